#!/usr/bin/env python3
"""Runs the service and the bare Actix baseline interleaved under wrk and writes raw.csv.

Called by tools/bench.sh (which builds both binaries first); Python standard library only.
Per run: a fresh server process pinned to one core, start-to-ready time, idle RSS, a discarded
warm-up, then a measured wrk run on the other core; server CPU time (utime+stime from
/proc/<pid>/stat) is read before and after and divided by the completed requests.
Any non-2xx answer or socket error stops the bench with a message naming the run.
"""

import argparse
import csv
import datetime
import json
import platform
import shutil
import os
import re
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "lib"))
from tools import free_port  # noqa: E402  (the one free-port helper, tests/lib/tools.py)

CLK_TCK = os.sysconf("SC_CLK_TCK")
SETTLE_S = 0.25  # longer than the service's log flush interval (100 ms)

# name, HTTP method, path, body size (bytes, 0 = no body)
CASES = [
    ("echo-10B", "POST", "/echo", 10),
    ("echo-4KiB", "POST", "/echo", 4096),
    ("health", "GET", "/health", 0),
]

FIELDS = [
    "case", "pair", "order", "target", "started_utc", "requests", "duration_s", "rps", "p50_us", "p90_us",
    "p99_us", "max_us", "cpu_s", "cpu_us_per_req", "idle_rss_kib", "peak_rss_kib", "ready_ms",
    "log_lines", "log_bytes", "loadavg_1m",
]


class BenchError(Exception):
    """A failure that stops the bench; the message says which run and what went wrong."""


def body_for(size):
    """The exact body wrk.lua sends for a given size (kept in step with that script)."""
    pattern = b"0123456789abcdef"
    return (pattern * (size // len(pattern) + 1))[:size]


def http_once(port, method, path, body=b"", timeout=2.0):
    """One HTTP/1.1 request on a fresh connection; returns (status, body)."""
    req = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
           f"Content-Type: application/octet-stream\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(req + body)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        out = b""
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            n = int(size_line, 16)
            if n == 0:
                break
            out += rest[:n]
            rest = rest[n + 2:]
        rest = out
    return status, rest


def proc_cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    # Fields after the command name (which may contain spaces) start at field 3.
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])  # utime + stime (fields 14 and 15)


def proc_status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise BenchError(f"/proc/{pid}/status has no {key}")


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def stripped_size(binary, out_dir, name):
    """Size in bytes of a stripped copy (the build itself is left as cargo made it)."""
    copy = os.path.join(out_dir, name + ".stripped")
    shutil.copyfile(binary, copy)
    out = subprocess.run(["strip", copy], capture_output=True, text=True)
    size = os.path.getsize(copy) if out.returncode == 0 else None
    os.remove(copy)
    if size is None:
        print(f"bench: warning: cannot strip {binary} ({out.stderr.strip()}); size not reported",
              file=sys.stderr)
    return size


def command_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def machine_meta(args):
    cpu_model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    meta = {
        "started_utc": now_utc(),
        "cpu_model": cpu_model,
        "cpus": os.cpu_count(),
        "mem_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "os": command_line(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "wrk": command_line(["wrk", "-v"]).split(" [")[0],
        "rustc": command_line(["rustc", "-V"]),
        "load_start": open("/proc/loadavg").read().split()[:3],
        "pairs": args.pairs, "duration_s": args.duration, "warmup_s": args.warmup,
        "connections": args.connections, "server_cpu": args.server_cpu,
        "client_cpu": args.client_cpu,
        "stripped_bytes": {
            "service": stripped_size(args.service, args.out, "service"),
            "baseline": stripped_size(args.baseline, args.out, "baseline"),
        },
    }
    for kv in args.meta:
        k, _, v = kv.partition("=")
        meta[k] = v
    return meta


class Server:
    """A fresh server process pinned to one core, stdout redirected to a real file."""

    def __init__(self, label, binary, cwd, env, cpu, log_path, ready_timeout):
        self.label = label
        self.log_path = log_path
        self.port = free_port()
        full_env = dict(os.environ)
        full_env.update(env)
        full_env.update({
            "APP_SERVER__HOST": "127.0.0.1",
            "APP_SERVER__PORT": str(self.port),
            "APP_SERVER__WORKERS": "1",
        })
        self.log = open(log_path, "wb")
        self.err_path = log_path + ".stderr"
        self.err = open(self.err_path, "wb")
        t0 = time.perf_counter()
        # sched_setaffinity is what `taskset -c <cpu>` does; doing it in the child before exec
        # keeps taskset's own exec out of the start-to-ready time.
        self.proc = subprocess.Popen(
            [binary], cwd=cwd, env=full_env, stdin=subprocess.DEVNULL, stdout=self.log,
            stderr=self.err, preexec_fn=lambda: os.sched_setaffinity(0, {cpu}))
        deadline = t0 + ready_timeout
        while True:
            if self.proc.poll() is not None:
                raise BenchError(f"{label}: exited with code {self.proc.returncode} before it was "
                                 f"ready; stderr: {self.stderr_tail()}")
            try:
                status, _ = http_once(self.port, "GET", "/health", timeout=1.0)
                if status == 200:
                    break
            except (OSError, ValueError, IndexError):
                pass
            if time.perf_counter() > deadline:
                self.stop()
                raise BenchError(f"{label}: GET /health not 200 within {ready_timeout}s on "
                                 f"127.0.0.1:{self.port}; stderr: {self.stderr_tail()}")
            time.sleep(0.0005)
        self.ready_ms = (time.perf_counter() - t0) * 1000.0
        allowed = os.sched_getaffinity(self.proc.pid)
        if allowed != {cpu}:
            self.stop()
            raise BenchError(f"{label}: server is not pinned to CPU {cpu} (allowed: {allowed})")

    def stderr_tail(self):
        try:
            with open(self.err_path, "rb") as f:
                return f.read()[-400:].decode(errors="replace").strip() or "(empty)"
        except OSError:
            return "(unreadable)"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()
        self.err.close()


def run_wrk(args, port, case, duration, label):
    name, _method, path, size = case
    env = dict(os.environ)
    env["BENCH_BODY_SIZE"] = str(size)
    cmd = ["taskset", "-c", str(args.client_cpu), "wrk", "-t1", f"-c{args.connections}",
           f"-d{duration}s", "--timeout", "5s", "-s", args.wrk_script, f"http://127.0.0.1:{port}{path}"]
    try:
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=duration + 60)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{label}: wrk did not finish within {duration + 60}s")
    if out.returncode != 0:
        raise BenchError(f"{label}: wrk failed ({out.returncode}): {out.stderr.strip()[-400:]}")
    m = re.search(r"^BENCH_RESULT (.*)$", out.stdout, re.M)
    if not m:
        raise BenchError(f"{label}: wrk printed no BENCH_RESULT line; output: {out.stdout[-400:]}")
    res = {k: int(v) for k, v in (kv.split("=") for kv in m.group(1).split())}
    errors = {k: res[k] for k in ("connect", "read", "write", "status", "timeout") if res[k]}
    if errors:
        raise BenchError(f"{label}: wrk saw errors {errors} (status = non-2xx/3xx answers) "
                         f"in {res['requests']} requests on {name}")
    if res["requests"] == 0:
        raise BenchError(f"{label}: wrk completed no request on {name}")
    return res


def check_answer(server, case):
    """Before any load: the route answers 200 with the right body (catches 1xx/3xx too)."""
    name, method, path, size = case
    body = body_for(size)
    status, got = http_once(server.port, method, path, body)
    if status != 200:
        raise BenchError(f"{server.label}: {method} {path} answered {status}, expected 200")
    if method == "POST" and got != body:
        raise BenchError(f"{server.label}: {method} {path} returned {len(got)} bytes that are not "
                         f"the {len(body)}-byte body sent")


def one_run(args, target, case, pair, order, writer):
    name = case[0]
    label = f"{name} pair {pair} {target}"
    binary, cwd, env = args.targets[target]
    log_path = os.path.join(args.out, "logs", f"{target}.stdout")
    load = loadavg()
    started = now_utc()
    server = Server(label, binary, cwd, env, args.server_cpu, log_path, args.ready_timeout)
    try:
        time.sleep(0.2)
        idle_rss = proc_status_kib(server.proc.pid, "VmRSS")
        check_answer(server, case)
        if args.warmup > 0:
            run_wrk(args, server.port, case, args.warmup, label + " (warm-up)")
        # The pauses put work a server finishes after its last response (a batched log flush)
        # into the run that caused it: after the warm-up, out; after the measured run, in.
        time.sleep(SETTLE_S)
        cpu0 = proc_cpu_ticks(server.proc.pid)
        res = run_wrk(args, server.port, case, args.duration, label)
        time.sleep(SETTLE_S)
        cpu1 = proc_cpu_ticks(server.proc.pid)
        peak_rss = proc_status_kib(server.proc.pid, "VmHWM")
        if server.proc.poll() is not None:
            raise BenchError(f"{label}: server exited during the run: {server.stderr_tail()}")
    finally:
        server.stop()
    log_bytes = os.path.getsize(log_path)
    with open(log_path, "rb") as f:
        log_lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    if target == "service" and not args.aa and log_lines < res["requests"]:
        raise BenchError(f"{label}: the access log at {log_path} has {log_lines} lines for "
                         f"{res['requests']} requests: is APP_LOGGING__ACCESS_LOG=true honoured?")
    os.truncate(log_path, 0)  # access logs of a full run weigh gigabytes; the count is kept
    cpu_s = (cpu1 - cpu0) / CLK_TCK
    duration_s = res["duration_us"] / 1e6
    row = {
        "case": name, "pair": pair, "order": order, "target": target, "started_utc": started,
        "requests": res["requests"], "duration_s": f"{duration_s:.3f}",
        "rps": f"{res['requests'] / duration_s:.1f}", "p50_us": res["p50_us"],
        "p90_us": res["p90_us"], "p99_us": res["p99_us"], "max_us": res["max_us"],
        "cpu_s": f"{cpu_s:.2f}", "cpu_us_per_req": f"{cpu_s * 1e6 / res['requests']:.3f}",
        "idle_rss_kib": idle_rss, "peak_rss_kib": peak_rss, "ready_ms": f"{server.ready_ms:.2f}",
        "log_lines": log_lines, "log_bytes": log_bytes, "loadavg_1m": f"{load:.2f}",
    }
    writer.writerow(row)
    print(f"  {label:<30} {float(row['rps']):>10.0f} req/s  {float(row['cpu_us_per_req']):>7.2f} "
          f"us CPU/req  p50 {res['p50_us']:>6} us  p99 {res['p99_us']:>6} us  "
          f"idle {idle_rss / 1024:.1f} MiB  ready {server.ready_ms:.1f} ms  load {load:.2f}",
          flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--service", required=True, help="service binary")
    p.add_argument("--service-dir", required=True, help="working directory of the service")
    p.add_argument("--baseline", required=True, help="baseline binary")
    p.add_argument("--out", required=True, help="output directory (raw.csv, logs/)")
    p.add_argument("--wrk-script", required=True)
    p.add_argument("--pairs", type=int, default=5)
    p.add_argument("--duration", type=int, default=10, help="seconds (wrk takes whole seconds)")
    p.add_argument("--warmup", type=int, default=2, help="seconds, 0 = none")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--server-cpu", type=int, default=0)
    p.add_argument("--client-cpu", type=int, default=1)
    p.add_argument("--ready-timeout", type=float, default=10)
    p.add_argument("--aa", action="store_true",
                   help="A/A control: run the baseline in both slots (the method's noise floor)")
    p.add_argument("--meta", action="append", default=[], metavar="KEY=VALUE",
                   help="extra facts for the report (e.g. actix_web=4.18.1)")
    p.add_argument("--cases", default=",".join(c[0] for c in CASES))
    args = p.parse_args()

    if args.pairs < 1:
        p.error(f"--pairs must be at least 1 (got {args.pairs})")
    if args.duration <= 0:
        p.error(f"--duration must be positive (got {args.duration})")
    cpus = os.sched_getaffinity(0)
    for flag, cpu in (("--server-cpu", args.server_cpu), ("--client-cpu", args.client_cpu)):
        if cpu not in cpus:
            p.error(f"{flag} {cpu} is not a CPU this process may use ({sorted(cpus)})")
    if args.server_cpu == args.client_cpu:
        p.error("--server-cpu and --client-cpu must differ")
    known = {c[0]: c for c in CASES}
    wanted = [c for c in args.cases.split(",") if c]
    for c in wanted:
        if c not in known:
            p.error(f"--cases: unknown case {c!r} (known: {', '.join(known)})")
    for path in (args.service, args.baseline):
        if not os.access(path, os.X_OK):
            p.error(f"{path} is not an executable file: build it first (tools/bench.sh does)")

    args.service, args.baseline = os.path.abspath(args.service), os.path.abspath(args.baseline)
    args.wrk_script = os.path.abspath(args.wrk_script)
    args.targets = {
        # Default configuration, JSON access log on, as under Nomad (stdout to a file).
        "service": (args.service, args.service_dir,
                    {"APP_LOGGING__FORMAT": "json", "APP_LOGGING__ACCESS_LOG": "true"}),
        "baseline": (args.baseline, os.path.dirname(args.baseline), {}),
    }
    if args.aa:
        # A/A control: the baseline in both slots, to show the noise floor of the method.
        args.targets["service"] = args.targets["baseline"]
        args.service = args.baseline
    os.makedirs(os.path.join(args.out, "logs"), exist_ok=True)
    meta = machine_meta(args)
    meta["aa"] = args.aa
    # The harness itself waits on the client's core so the server's core stays quiet.
    os.sched_setaffinity(0, {args.client_cpu})
    csv_path = os.path.join(args.out, "raw.csv")
    with open(csv_path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        for name in wanted:
            for pair in range(1, args.pairs + 1):
                # Interleaved, and the order flips every pair (A B, B A, A B ...) so that a
                # "second run of the pair" effect cannot favour either side.
                order = ("service", "baseline") if pair % 2 else ("baseline", "service")
                for position, target in enumerate(order, 1):
                    one_run(args, target, known[name], pair, position, writer)
                    f.flush()
    meta["load_end"] = open("/proc/loadavg").read().split()[:3]
    meta["finished_utc"] = now_utc()
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
    print(f"raw results: {csv_path}")


if __name__ == "__main__":
    try:
        main()
    except BenchError as e:
        print(f"bench: FAILED: {e}", file=sys.stderr)
        sys.exit(1)

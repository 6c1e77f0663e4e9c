#!/usr/bin/env python3
"""The bench's noise-free view: user-space instructions per request under callgrind.

    python3 bench/callgrind.py --service service/target/release/prototype-service \
        --service-dir service --baseline bench/baseline/target/release/bench-baseline

Each server runs under `valgrind --tool=callgrind` (all threads, kernel excluded), configured
as in bench/bench.py (1 worker; the service with JSON access log to a file). One keep-alive
connection sends N sequential requests, then SIGTERM ends the process and callgrind writes its
total. Instructions per request = (total at N=2,200 - total at N=200) / 2,000, so start-up,
shutdown and the first requests' one-off work cancel out. Three runs of each size; the median
of the three differences is reported (the spread is printed too: actix's date timer and the log
flusher wake on wall-clock time, so runs differ by a few hundred instructions in total).
Python standard library and valgrind only.
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from bench import CASES, body_for, free_port  # the cases and bodies of `make bench`

SMALL, LARGE = 200, 2200


def read_response(sock, buf):
    """Reads one Content-Length response off a keep-alive socket; returns (status, rest of buf)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise SystemExit("callgrind: the server closed the connection mid-response")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise SystemExit("callgrind: the server closed the connection mid-body")
        rest += chunk
    return int(head.split(b" ", 2)[1]), rest[length:]


def wait_listening(port, proc, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"callgrind: the server exited early with status {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"callgrind: nothing listening on port {port} after {timeout} s")


def total_instructions(binary, cwd, env, case, requests, out_file):
    """Runs the server under callgrind, sends `requests` requests, stops it; returns its total Ir."""
    _, method, path, size = case
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("APP_") and k != "RUST_LOG"}
    full_env.update(env)
    full_env.update(APP_SERVER__HOST="127.0.0.1", APP_SERVER__PORT=str(port), APP_SERVER__WORKERS="1")
    with open(out_file + ".log", "wb") as log:
        proc = subprocess.Popen(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", binary],
            cwd=cwd, env=full_env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.DEVNULL)
    try:
        wait_listening(port, proc)
        body = body_for(size)
        headers = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        if size:
            headers += f"Content-Length: {size}\r\nContent-Type: application/octet-stream\r\n"
        request = (headers + "\r\n").encode() + body
        with socket.create_connection(("127.0.0.1", port)) as sock:
            buf = b""
            for i in range(requests):
                sock.sendall(request)
                status, buf = read_response(sock, buf)
                if status != 200:
                    raise SystemExit(f"callgrind: {method} {path} answered {status} (request {i + 1})")
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with open(out_file) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    raise SystemExit(f"callgrind: no summary line in {out_file}")


def per_request(binary, cwd, env, case, runs, tmp):
    diffs = []
    for run in range(runs):
        small = total_instructions(binary, cwd, env, case, SMALL, os.path.join(tmp, f"s{run}"))
        large = total_instructions(binary, cwd, env, case, LARGE, os.path.join(tmp, f"l{run}"))
        diffs.append((large - small) / (LARGE - SMALL))
    return statistics.median(diffs), min(diffs), max(diffs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--service", required=True, help="the service's release binary")
    ap.add_argument("--service-dir", required=True, help="working directory of the service (its config/)")
    ap.add_argument("--baseline", help="the bare baseline's release binary (omit to measure only the service)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each request count (default 3)")
    args = ap.parse_args()
    targets = [("service", args.service, args.service_dir,
                {"APP_LOGGING__FORMAT": "json", "APP_LOGGING__ACCESS_LOG": "true"})]
    if args.baseline:
        targets.append(("baseline", args.baseline, ".", {}))
    print("| case | " + " | ".join(f"{t[0]} instructions/request (min-max)" for t in targets) + " |")
    print("|---|" + "---:|" * len(targets))
    with tempfile.TemporaryDirectory(prefix="callgrind-") as tmp:
        for case in CASES:
            cells = []
            for _, binary, cwd, env in targets:
                median, lo, hi = per_request(os.path.abspath(binary), cwd, env, case, args.runs, tmp)
                cells.append(f"{median:,.0f} ({lo:,.0f}-{hi:,.0f})")
            print(f"| {case[0]} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The HTTP side of tests/e2e/e2e.sh: real requests against the service, Nomad and Prometheus.

Subcommands (each exits non-zero with a message naming what failed):
  instances   print host:port of the healthy instances of a service (all Nomad checks passing)
  echo        POST a body to /echo (or a gateway path) and require the same body back
  load        the continuous client of the rolling update: round-robin over the instances that
              are healthy right now (re-read from Nomad, or Consul, every 0.25 s), or always one
              --addr (a gateway that balances by itself, e.g. the mesh's ingress), one new connection per
              request, no retries; every failed request counts. Stops when --stop-file appears
              and writes a JSON summary.
  burst       a mixed burst of requests (echo of many sizes, 404, 405, 413, /health, /ready,
              /metrics) so every metric and status class has data
  prom-wait   wait until a PromQL query returns a number of series with a given value
  dashboards  run every query of every Grafana dashboard against Prometheus' HTTP API and
              require a non-empty result for each
  webhook     an Alertmanager webhook receiver on 127.0.0.1 (port 0: the kernel picks one, written
              to --port-file): every notification is appended to --out as one JSON line with the
              time it arrived; stops when --stop-file appears or after --max-seconds
  wait-notification  wait until --out holds a notification with a given status whose alerts
              name the alert and the instance; prints its arrival time (epoch seconds)
"""
import argparse
import glob
import http.client
import json
import os
import re
import sys
import threading
import time

import requests


def fail(msg):
    print(f"e2e_http: {msg}", file=sys.stderr)
    sys.exit(1)


def stamp():
    return time.strftime("%H:%M:%S", time.gmtime())


# --- Nomad ----------------------------------------------------------------------------------

def registrations(nomad, service):
    r = requests.get(f"{nomad}/v1/service/{service}", timeout=5)
    r.raise_for_status()
    return r.json()


def check_results(nomad, alloc_id):
    r = requests.get(f"{nomad}/v1/allocation/{alloc_id}/checks", timeout=5)
    r.raise_for_status()
    return r.json() or {}


def healthy_instances(nomad, service):
    """host:port of every registration whose allocation's Nomad checks all pass."""
    out = []
    for reg in registrations(nomad, service):
        checks = check_results(nomad, reg["AllocID"])
        if checks and all(c.get("Status") == "success" for c in checks.values()):
            out.append(f"{reg['Address']}:{reg['Port']}")
    return sorted(out)


def consul_passing(consul, service):
    """host:port of every instance of the service whose Consul checks all pass."""
    r = requests.get(f"{consul}/v1/health/service/{service}", params={"passing": "true"}, timeout=5)
    r.raise_for_status()
    return sorted(f"{e['Service']['Address'] or e['Node']['Address']}:{e['Service']['Port']}" for e in r.json())


# --- HTTP requests, one connection each ---------------------------------------------------

def request(addr, method, path, body=None, timeout=3.0):
    host, port = addr.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        headers = {"Connection": "close"}
        if body is not None:
            headers["Content-Type"] = "text/plain"
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def cmd_instances(args):
    addrs = healthy_instances(args.nomad, args.service)
    print("\n".join(addrs))


def cmd_echo(args):
    body = args.body.encode()
    try:
        status, got = request(args.addr, "POST", args.path, body)
    except OSError as e:
        fail(f"POST http://{args.addr}{args.path}: {e}")
    if status != 200 or got != body:
        fail(f"POST http://{args.addr}{args.path} with {args.body!r}: expected 200 {args.body!r}, "
             f"got {status} {got[:200]!r}")
    print(f"POST http://{args.addr}{args.path} {args.body!r} -> {status} {got.decode()!r}")


def cmd_load(args):
    state = {"addrs": [], "refresh_errors": 0}
    lock = threading.Lock()
    done = threading.Event()

    def refresher():
        while not done.is_set():
            try:
                if args.consul:
                    addrs = consul_passing(args.consul, args.service)
                else:
                    addrs = healthy_instances(args.nomad, args.service)
                with lock:
                    state["addrs"] = addrs
            except (requests.RequestException, ValueError):
                with lock:
                    state["refresh_errors"] += 1
            done.wait(0.25)

    if args.addr:
        state["addrs"] = [args.addr]
        t = None
    else:
        t = threading.Thread(target=refresher, daemon=True)
        t.start()
    body = b"Hola mundo"
    sent = ok = 0
    failures = []
    per_instance = {}
    seen = set()
    no_instance_ticks = 0
    i = 0
    start = time.monotonic()
    while not os.path.exists(args.stop_file):
        if time.monotonic() - start > args.max_seconds:
            failures.append({"t": stamp(), "instance": None, "error": f"ran past --max-seconds {args.max_seconds}"})
            break
        with lock:
            addrs = list(state["addrs"])
        if not addrs:
            # No healthy instance to send to: for a caller that is an outage, so it counts.
            if sent or seen:
                no_instance_ticks += 1
            time.sleep(0.05)
            continue
        addr = addrs[i % len(addrs)]
        i += 1
        seen.add(addr)
        sent += 1
        try:
            status, got = request(addr, "POST", args.path, body, timeout=args.timeout)
            good = status == 200 and got == body
            err = None if good else f"{status} {got[:80]!r}"
        except OSError as e:
            good, err = False, f"{type(e).__name__}: {e}"
        per_instance[addr] = per_instance.get(addr, 0) + 1
        if good:
            ok += 1
        else:
            failures.append({"t": stamp(), "instance": addr, "error": err})
        time.sleep(args.pause)
    done.set()
    if t:
        t.join(timeout=2)
    summary = {
        "sent": sent,
        "ok": ok,
        "failed": len(failures),
        "no_instance_ticks": no_instance_ticks,
        "seconds": round(time.monotonic() - start, 1),
        "instances_seen": sorted(seen),
        "per_instance": per_instance,
        "refresh_errors": state["refresh_errors"],
        "failures": failures[:20],
    }
    with open(args.out, "w") as f:
        json.dump(summary, f, indent=1)


def cmd_burst(args):
    addrs = args.addr
    plan = []
    for n in range(args.count):
        size = [1, 10, 100, 1000, 10_000, 50_000][n % 6]
        plan.append(("POST", "/echo", b"x" * size, 200))
    plan += [("GET", "/health", None, 200), ("GET", "/ready", None, 200), ("GET", "/metrics", None, 200),
             ("GET", "/no-such-route", None, 404), ("GET", "/echo", None, 405),
             ("POST", "/echo", b"y" * (args.too_large), 413)] * 5
    bad = []
    for i, (method, path, body, want) in enumerate(plan):
        addr = addrs[i % len(addrs)]
        try:
            status, got = request(addr, method, path, body)
        except OSError as e:
            bad.append(f"{method} http://{addr}{path}: {e}")
            continue
        if status != want or (want == 200 and method == "POST" and got != body):
            bad.append(f"{method} http://{addr}{path}: expected {want}, got {status}")
    if bad:
        fail(f"{len(bad)} of {len(plan)} burst requests went wrong, first: " + "; ".join(bad[:3]))
    print(f"burst: {len(plan)} requests over {len(addrs)} instance(s), all answered as expected "
          f"(echo 200 of 1 B..50 kB, 404, 405, 413, /health, /ready, /metrics)")


# --- Prometheus ------------------------------------------------------------------------------

def prom_query(prom, query):
    r = requests.get(f"{prom}/api/v1/query", params={"query": query}, timeout=10)
    try:
        doc = r.json()
    except ValueError:
        raise RuntimeError(f"HTTP {r.status_code}, not JSON: {r.text[:200]}")
    if doc.get("status") != "success":
        raise RuntimeError(f"{doc.get('errorType')}: {doc.get('error')}")
    return doc["data"]


def cmd_prom_wait(args):
    deadline = time.monotonic() + args.timeout
    last = None
    while time.monotonic() < deadline:
        try:
            data = prom_query(args.prom, args.query)
            series = data["result"]
            values = [s["value"][1] for s in series]
            last = values
            if len(series) == args.series and all(float(v) == args.value for v in values):
                print(f"prometheus: {args.query} -> {len(series)} series = {args.value:g} "
                      + " ".join(s["metric"].get("instance", "") for s in series))
                return
        except (requests.RequestException, RuntimeError) as e:
            last = str(e)
        time.sleep(1)
    fail(f"Prometheus at {args.prom}: {args.query!r} did not give {args.series} series = {args.value:g} "
         f"within {args.timeout}s (last: {last})")


GRAFANA_INTERVALS = {
    "__rate_interval": "1m", "__interval": "15s", "__interval_ms": "15000",
    "__range": "5m", "__range_s": "300", "__range_ms": "300000",
}


def dashboard_queries(doc):
    """(panel title, expr) of every Prometheus target of every panel, rows included."""
    out = []

    def walk(panels):
        for p in panels or []:
            for t in p.get("targets") or []:
                if t.get("expr") and not t.get("hide"):
                    out.append((p.get("title", "?"), t["expr"]))
            walk(p.get("panels"))

    walk(doc.get("panels"))
    for row in doc.get("rows") or []:  # old-style dashboards
        walk(row.get("panels"))
    return out


VAR_RE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)(?::\w+)?\]\]")
MATCHER_RE = re.compile(r'(\w+)\s*(=~|=|!~|!=)\s*"([^"]*)"')


def substitute(expr, template_vars):
    """Grafana variables -> values Prometheus can run: built-in intervals become durations,
    label matchers on dashboard variables match any value ("All")."""

    def matcher(m):
        label, op, value = m.groups()
        names = [a or b or c for a, b, c in VAR_RE.findall(value)]
        if not any(n in template_vars for n in names):
            return m.group(0)
        if op.startswith("!"):
            raise ValueError(f"negative matcher {m.group(0)} on a dashboard variable is not supported by this check")
        return f'{label}=~".+"'


    expr = MATCHER_RE.sub(matcher, expr)

    def var(m):
        name = m.group(1) or m.group(2) or m.group(3)
        if name in GRAFANA_INTERVALS:
            return GRAFANA_INTERVALS[name]
        raise ValueError(f"variable ${name} outside a label matcher is not supported by this check")

    return VAR_RE.sub(var, expr)


def cmd_dashboards(args):
    files = sorted(glob.glob(os.path.join(args.dir, args.glob)))
    if not files:
        fail(f"no dashboards in {args.dir}: nothing to check against Prometheus")
    total = empty = 0
    problems = []
    for path in files:
        try:
            with open(path) as f:
                doc = json.load(f)
        except FileNotFoundError:
            print(f"  (skipped {path}: removed while the check ran)")
            continue
        except ValueError as e:
            problems.append(f"{path}: not valid JSON: {e}")
            continue
        doc = doc.get("dashboard", doc)
        tvars = {v["name"] for v in (doc.get("templating") or {}).get("list", [])}
        queries = dashboard_queries(doc)
        if not queries:
            problems.append(f"{path}: no Prometheus queries found in its panels")
        for title, expr in queries:
            total += 1
            try:
                q = substitute(expr, tvars)
                data = prom_query(args.prom, q)
                n = len(data["result"]) if isinstance(data["result"], list) else 1
            except (ValueError, RuntimeError, requests.RequestException) as e:
                problems.append(f"{os.path.basename(path)} / {title!r}: {expr!r}: {e}")
                continue
            mark = "ok   " if n else "EMPTY"
            print(f"  {mark} {n:3d} series  {os.path.basename(path)} / {title}: {q}")
            if not n:
                empty += 1
                problems.append(f"{os.path.basename(path)} / {title!r}: {q!r} returned no data")
    print(f"dashboards: {len(files)} file(s), {total} queries, {total - len(problems)} with data")
    if problems:
        fail(f"{len(problems)} dashboard problem(s):\n  " + "\n  ".join(problems))


# --- Alertmanager webhook ------------------------------------------------------------------

def cmd_webhook(args):
    import http.server

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                doc = json.loads(body)
            except ValueError:
                self.send_response(400)
                self.end_headers()
                return
            with open(args.out, "a") as f:
                f.write(json.dumps({"received": time.time(), "path": self.path, "notification": doc}) + "\n")
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    server.timeout = 0.2
    with open(args.port_file, "w") as f:
        f.write(str(server.server_address[1]))
    deadline = time.monotonic() + args.max_seconds
    while not os.path.exists(args.stop_file) and time.monotonic() < deadline:
        server.handle_request()
    server.server_close()


def cmd_wait_notification(args):
    deadline = time.monotonic() + args.timeout
    seen = []
    while time.monotonic() < deadline:
        seen = []
        if os.path.exists(args.out):
            with open(args.out) as f:
                for line in f:
                    rec = json.loads(line)
                    n = rec["notification"]
                    for a in n.get("alerts", []):
                        seen.append(f"{n.get('status')}:{a['labels'].get('alertname')}@{a['labels'].get('instance')}")
                        if (n.get("status") == args.status and a.get("status") == args.status
                                and a["labels"].get("alertname") == args.alert
                                and a["labels"].get("instance") == args.instance):
                            print(f"{rec['received']:.3f}")
                            return
        time.sleep(0.2)
    fail(f"no {args.status} notification of {args.alert} for instance {args.instance} reached the webhook "
         f"within {args.timeout}s (received: {', '.join(seen) or 'nothing'})")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("instances")
    p.add_argument("--nomad", required=True)
    p.add_argument("--service", default="prototype")
    p.set_defaults(func=cmd_instances)

    p = sub.add_parser("echo")
    p.add_argument("addr")
    p.add_argument("--path", default="/echo")
    p.add_argument("--body", default="Hola mundo")
    p.set_defaults(func=cmd_echo)

    p = sub.add_parser("load")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--nomad", help="Nomad address: send to the instances of --service whose Nomad checks pass")
    target.add_argument("--consul", help="Consul address: send to the instances of --service passing in Consul")
    target.add_argument("--addr", help="host:port: send every request there")
    p.add_argument("--service", default="prototype")
    p.add_argument("--path", default="/echo")
    p.add_argument("--stop-file", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--timeout", type=float, default=3.0)
    p.add_argument("--pause", type=float, default=0.01)
    p.add_argument("--max-seconds", type=float, default=300)
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("burst")
    p.add_argument("addr", nargs="+")
    p.add_argument("--count", type=int, default=300)
    p.add_argument("--too-large", type=int, default=300_000)
    p.set_defaults(func=cmd_burst)

    p = sub.add_parser("prom-wait")
    p.add_argument("--prom", required=True)
    p.add_argument("--query", required=True)
    p.add_argument("--series", type=int, required=True)
    p.add_argument("--value", type=float, default=1)
    p.add_argument("--timeout", type=float, default=60)
    p.set_defaults(func=cmd_prom_wait)

    p = sub.add_parser("dashboards")
    p.add_argument("--prom", required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--glob", default="*.json", help="which dashboard files of --dir (default: all)")
    p.set_defaults(func=cmd_dashboards)

    p = sub.add_parser("webhook")
    p.add_argument("--out", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--stop-file", required=True)
    p.add_argument("--max-seconds", type=float, default=600)
    p.set_defaults(func=cmd_webhook)

    p = sub.add_parser("wait-notification")
    p.add_argument("--out", required=True)
    p.add_argument("--status", choices=["firing", "resolved"], required=True)
    p.add_argument("--alert", required=True)
    p.add_argument("--instance", required=True)
    p.add_argument("--timeout", type=float, default=60)
    p.set_defaults(func=cmd_wait_notification)

    args = ap.parse_args()
    try:
        args.func(args)
    except requests.RequestException as e:
        fail(f"{args.cmd}: {e}")


if __name__ == "__main__":
    main()

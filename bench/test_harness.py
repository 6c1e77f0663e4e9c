"""Tests of the bench harness itself (not of timings): `python3 -m pytest bench/test_harness.py`.

The report must compute medians of per-pair ratios and judge the issue's targets correctly, and
the runner must stop with a clear message when a server answers with an error status.
"""

import csv
import json
import os
import subprocess
import sys
import textwrap

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import bench  # noqa: E402
import report  # noqa: E402


def write_run(tmp_path, runs, pairs):
    """runs: list of (case, pair, target, rps, cpu_us_per_req)."""
    with open(tmp_path / "raw.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=bench.FIELDS)
        w.writeheader()
        for case, pair, target, rps, cpu in runs:
            w.writerow({
                "case": case, "pair": pair, "order": 1, "target": target,
                "started_utc": "2026-01-01T00:00:00Z", "requests": rps * 10, "duration_s": 10,
                "rps": rps, "p50_us": 100, "p90_us": 200, "p99_us": 300, "max_us": 400,
                "cpu_s": cpu * rps * 10 / 1e6, "cpu_us_per_req": cpu, "idle_rss_kib": 4096,
                "peak_rss_kib": 5120, "ready_ms": 5.0,
                "log_lines": rps * 12 if target == "service" else 0,
                "log_bytes": rps * 12 * 250 if target == "service" else 0, "loadavg_1m": 0.1,
            })
    meta = {
        "started_utc": "2026-01-01T00:00:00Z", "finished_utc": "2026-01-01T00:10:00Z",
        "cpu_model": "test CPU", "cpus": 2, "mem_gib": 1.0, "kernel": "k", "os": "os",
        "wrk": "wrk", "rustc": "rustc", "load_start": ["0.1", "0.1", "0.1"],
        "load_end": ["0.1", "0.1", "0.1"], "pairs": pairs, "duration_s": 10, "warmup_s": 2,
        "connections": 32, "server_cpu": 0, "client_cpu": 1,
        "stripped_bytes": {"service": 2_000_000, "baseline": 1_500_000}, "actix_web": "4",
    }
    (tmp_path / "meta.json").write_text(json.dumps(meta))


def run_report(tmp_path, *flags):
    return subprocess.run([sys.executable, os.path.join(HERE, "report.py"), str(tmp_path), *flags],
                          capture_output=True, text=True, timeout=60)


def test_ratios_are_medians_of_per_pair_ratios_not_ratios_of_medians(tmp_path):
    # Pair ratios for CPU: 1.10, 1.30, 1.00 -> median 1.10. Ratio of medians would be 11/10 too,
    # so the rps column uses values where the two differ: pairs 0.5, 1.0, 2.0 -> median 1.0,
    # while median(service)/median(baseline) = 200/150.
    runs = []
    for pair, (s_rps, b_rps, s_cpu) in enumerate([(100, 200, 11), (200, 200, 13), (300, 150, 10)], 1):
        runs += [("health", pair, "service", s_rps, s_cpu), ("health", pair, "baseline", b_rps, 10)]
    write_run(tmp_path, runs, 3)
    rows, meta = report.load(str(tmp_path))
    s = report.summarise(rows)["health"]
    assert s["ratios"]["cpu_us_per_req"] == pytest.approx([1.1, 1.3, 1.0])
    assert s["ratio"]["cpu_us_per_req"] == pytest.approx(1.1)
    assert s["ratio"]["rps"] == pytest.approx(1.0)


def test_a_missed_target_is_reported_and_fails_with_check_targets(tmp_path):
    runs = [("echo-10B", 1, "service", 100, 12), ("echo-10B", 1, "baseline", 100, 10)]
    write_run(tmp_path, runs, 1)
    plain = run_report(tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert "MISSED  CPU µs/request, service/baseline ≤ 1.15 (echo-10B): 1.200" in plain.stdout
    checked = run_report(tmp_path, "--check-targets")
    assert checked.returncode == 3
    text = (tmp_path / "report.md").read_text()
    assert "| CPU µs/request, service/baseline ≤ 1.15 (echo-10B) | 1.200 | **no** |" in text


def test_targets_that_hold_pass_check_targets_and_the_chart_is_svg(tmp_path):
    runs = [("echo-10B", 1, "service", 95, 10.5), ("echo-10B", 1, "baseline", 100, 10)]
    write_run(tmp_path, runs, 1)
    out = run_report(tmp_path, "--check-targets")
    assert out.returncode == 0, out.stdout + out.stderr
    assert (tmp_path / "chart.svg").read_text().startswith("<svg")
    smoke = run_report(tmp_path, "--smoke")
    assert smoke.returncode == 0, smoke.stderr


def test_smoke_fails_when_a_run_is_missing(tmp_path):
    runs = [("echo-10B", 1, "service", 95, 10.5), ("echo-10B", 1, "baseline", 100, 10)]
    write_run(tmp_path, runs, 2)  # meta says 2 pairs, the CSV holds 1
    out = run_report(tmp_path, "--smoke")
    assert out.returncode == 1
    assert "raw.csv has 2 runs, expected 4" in out.stderr


ERROR_SERVER = textwrap.dedent("""\
    import http.server, os
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def answer(self, code):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n)
            if self.path == "/health":
                code, body = 200, b"ok"
            self.send_response(code)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        def do_GET(self): self.answer(200)
        posts = 0
        def do_POST(self):
            H.posts += 1
            first = int(os.environ.get("FIRST_ECHO_STATUS", "500"))
            self.answer(first if H.posts == 1 else int(os.environ.get("LATER_ECHO_STATUS", "500")))
        def log_message(self, *a): pass
    http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["APP_SERVER__PORT"])), H).serve_forever()
""")


def run_bench_against(tmp_path, **env):
    server = tmp_path / "server"
    server.write_text("#!" + sys.executable + "\n" + ERROR_SERVER)
    server.chmod(0o755)
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        pytest.skip("needs 2 CPUs")
    return subprocess.run(
        [sys.executable, os.path.join(HERE, "bench.py"), "--service", str(server),
         "--service-dir", str(tmp_path), "--baseline", str(server), "--out", str(tmp_path / "o"),
         "--wrk-script", os.path.join(HERE, "wrk.lua"), "--pairs", "1", "--duration", "1",
         "--warmup", "0", "--cases", "echo-10B", "--server-cpu", str(cpus[0]),
         "--client-cpu", str(cpus[1])],
        capture_output=True, text=True, timeout=120, env={**os.environ, **env})


def test_an_error_status_before_load_stops_the_bench_and_names_the_run(tmp_path):
    out = run_bench_against(tmp_path, FIRST_ECHO_STATUS="500")
    assert out.returncode == 1
    assert "echo-10B pair 1 service: POST /echo answered 500, expected 200" in out.stderr


def test_error_statuses_under_load_stop_the_bench(tmp_path):
    out = run_bench_against(tmp_path, FIRST_ECHO_STATUS="200", LATER_ECHO_STATUS="503")
    assert out.returncode == 1
    assert "echo-10B pair 1 service: wrk saw errors {'status':" in out.stderr

#!/usr/bin/env python3
"""Turns a bench run (raw.csv + meta.json from bench/bench.py) into report.md and chart.svg.

Called by tools/bench.sh; Python standard library only. Medians per case and side, medians of
per-pair ratios (service/baseline), the issue's targets with a verdict each, and an SVG chart of
requests/s and server CPU µs/request per case. `--smoke` checks the run is complete and the
chart well-formed, and never judges timings; `--check-targets` exits 3 when a target is missed.
"""

import argparse
import csv
import json
import os
import statistics
import sys
import xml.etree.ElementTree as ET

SIDES = ("service", "baseline")
COLOURS = {"service": "#d9622b", "baseline": "#4b77be"}
NUMERIC = ("requests", "duration_s", "rps", "p50_us", "p90_us", "p99_us", "max_us", "cpu_s",
           "cpu_us_per_req", "idle_rss_kib", "peak_rss_kib", "ready_ms", "log_lines",
           "log_bytes", "loadavg_1m")

# The targets: (key, description, limit, comparison).
CPU_RATIO_MAX = 1.15
RPS_RATIO_MIN = 0.90
IDLE_RSS_MAX_MIB = 8.0
READY_MAX_MS = 20.0


class ReportError(Exception):
    pass


def load(out_dir):
    csv_path = os.path.join(out_dir, "raw.csv")
    meta_path = os.path.join(out_dir, "meta.json")
    for path in (csv_path, meta_path):
        if not os.path.isfile(path):
            raise ReportError(f"{path} is missing: run bench/bench.py first")
    rows = []
    with open(csv_path, newline="") as f:
        for n, row in enumerate(csv.DictReader(f), 2):
            try:
                for k in NUMERIC:
                    row[k] = float(row[k])
                row["pair"] = int(row["pair"])
            except (KeyError, TypeError, ValueError) as e:
                raise ReportError(f"{csv_path} line {n}: bad or missing value ({e})")
            if row["target"] not in SIDES:
                raise ReportError(f"{csv_path} line {n}: unknown target {row['target']!r}")
            rows.append(row)
    if not rows:
        raise ReportError(f"{csv_path} has no runs")
    with open(meta_path) as f:
        meta = json.load(f)
    return rows, meta


def cases_in_order(rows):
    seen = []
    for r in rows:
        if r["case"] not in seen:
            seen.append(r["case"])
    return seen


def summarise(rows):
    """Per case: medians per side and medians of per-pair ratios."""
    out = {}
    for case in cases_in_order(rows):
        runs = [r for r in rows if r["case"] == case]
        s = {"runs": {side: [r for r in runs if r["target"] == side] for side in SIDES}}
        for side in SIDES:
            if not s["runs"][side]:
                raise ReportError(f"case {case}: no {side} run in raw.csv")
        med = {}
        for side in SIDES:
            med[side] = {k: statistics.median(r[k] for r in s["runs"][side]) for k in NUMERIC}
        s["median"] = med
        pairs = sorted({r["pair"] for r in runs})
        ratios = {k: [] for k in ("rps", "cpu_us_per_req", "p50_us", "p99_us", "peak_rss_kib")}
        for p in pairs:
            by_side = {r["target"]: r for r in runs if r["pair"] == p}
            if set(by_side) != set(SIDES):
                raise ReportError(f"case {case} pair {p}: needs one service and one baseline run")
            for k in ratios:
                ratios[k].append(by_side["service"][k] / by_side["baseline"][k])
        s["ratios"] = ratios
        s["ratio"] = {k: statistics.median(v) for k, v in ratios.items()}
        out[case] = s
    return out


def targets(summary, rows):
    """Each target: (what, measured text, holds?)."""
    result = []
    for case, s in summary.items():
        r = s["ratio"]["cpu_us_per_req"]
        result.append((f"CPU µs/request, service/baseline ≤ {CPU_RATIO_MAX:.2f} ({case})",
                       f"{r:.3f}", r <= CPU_RATIO_MAX))
    for case, s in summary.items():
        r = s["ratio"]["rps"]
        result.append((f"requests/s, service/baseline ≥ {RPS_RATIO_MIN:.2f} ({case})",
                       f"{r:.3f}", r >= RPS_RATIO_MIN))
    svc = [r for r in rows if r["target"] == "service"]
    idle = statistics.median(r["idle_rss_kib"] for r in svc) / 1024
    result.append((f"idle RSS ≤ {IDLE_RSS_MAX_MIB:.0f} MiB (service, median)", f"{idle:.2f} MiB",
                   idle <= IDLE_RSS_MAX_MIB))
    ready = statistics.median(r["ready_ms"] for r in svc)
    result.append((f"start-to-ready ≤ {READY_MAX_MS:.0f} ms (service, median)", f"{ready:.1f} ms",
                   ready <= READY_MAX_MS))
    return result


def fmt_int(x):
    return f"{x:,.0f}"


def machine_line(meta):
    return (f"{meta['cpu_model']}, {meta['cpus']} CPUs, {meta['mem_gib']} GiB RAM, {meta['os']}, "
            f"kernel {meta['kernel']}; {meta['rustc']}, actix-web {meta.get('actix_web', '?')} "
            f"(both), {meta['wrk']}")


def method_line(meta):
    return (f"{meta['pairs']} interleaved pairs per case (A B, B A, ...; fresh process each run), "
            f"{meta['warmup_s']} s warm-up discarded, {meta['duration_s']} s measured, "
            f"`wrk -t1 -c{meta['connections']}`; server pinned to CPU {meta['server_cpu']}, "
            f"wrk to CPU {meta['client_cpu']}. Service: default configuration, 1 worker, "
            f"`APP_LOGGING__FORMAT=json`, `APP_LOGGING__ACCESS_LOG=true`, stdout to a file.")


def write_report(path, summary, rows, meta, verdicts, chart_name):
    loads = [r["loadavg_1m"] for r in rows]
    L = []
    if meta.get("aa"):
        L.append("# A/A control: the bare baseline against itself")
        L.append("")
        L.append("Both slots ran `bench-baseline`: every ratio below would be 1.000 without noise. "
                 "The spread of the per-pair ratios is the noise floor of the method on this "
                 "machine at this load; the target verdicts here judge nothing.")
    else:
        L.append("# Benchmark: prototype-service against a bare actix-web baseline")
    L.append("")
    L.append(f"- Run: {meta['started_utc']} to {meta.get('finished_utc', '?')}")
    L.append(f"- Machine: {machine_line(meta)}")
    L.append(f"- Method: {method_line(meta)}")
    L.append(f"- Load average (1/5/15 min) at start {' '.join(meta['load_start'])}, at end "
             f"{' '.join(meta.get('load_end', ['?']))}; 1-min load before each run: min "
             f"{min(loads):.2f}, median {statistics.median(loads):.2f}, max {max(loads):.2f}. "
             f"Other work on the machine shows up as noise in req/s more than in CPU µs/request.")
    L.append("")
    L.append(f"![requests/s and CPU µs per request]({chart_name})")
    L.append("")
    L.append("## Throughput and cost per request (medians; ratio = median of per-pair "
             "service/baseline ratios)")
    L.append("")
    L.append("| case | req/s service | req/s baseline | ratio | CPU µs/req service | "
             "CPU µs/req baseline | ratio | p50 µs service / baseline | "
             "p99 µs service / baseline | peak RSS MiB service / baseline |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for case, s in summary.items():
        m, r = s["median"], s["ratio"]
        L.append(
            f"| {case} | {fmt_int(m['service']['rps'])} | {fmt_int(m['baseline']['rps'])} | "
            f"{r['rps']:.3f} | {m['service']['cpu_us_per_req']:.2f} | "
            f"{m['baseline']['cpu_us_per_req']:.2f} | {r['cpu_us_per_req']:.3f} | "
            f"{m['service']['p50_us']:.0f} / {m['baseline']['p50_us']:.0f} | "
            f"{m['service']['p99_us']:.0f} / {m['baseline']['p99_us']:.0f} | "
            f"{m['service']['peak_rss_kib'] / 1024:.1f} / "
            f"{m['baseline']['peak_rss_kib'] / 1024:.1f} |")
    L.append("")
    L.append("Per-pair ratios (service/baseline), in run order:")
    L.append("")
    for case, s in summary.items():
        rps = " ".join(f"{x:.3f}" for x in s["ratios"]["rps"])
        cpu = " ".join(f"{x:.3f}" for x in s["ratios"]["cpu_us_per_req"])
        L.append(f"- {case}: req/s {rps}; CPU µs/req {cpu}")
    L.append("")
    L.append("## Start-up and footprint (medians over all runs)")
    L.append("")
    L.append("| | service | baseline |")
    L.append("|---|---:|---:|")
    by_side = {side: [r for r in rows if r["target"] == side] for side in SIDES}
    med = {side: {k: statistics.median(r[k] for r in by_side[side]) for k in NUMERIC}
           for side in SIDES}
    L.append(f"| idle RSS (MiB) | {med['service']['idle_rss_kib'] / 1024:.2f} | "
             f"{med['baseline']['idle_rss_kib'] / 1024:.2f} |")
    L.append(f"| start-to-ready (ms, spawn to first `GET /health` 200) | "
             f"{med['service']['ready_ms']:.1f} | {med['baseline']['ready_ms']:.1f} |")
    sizes = meta["stripped_bytes"]
    mib = {k: "n/a" if v is None else f"{v / 2**20:.2f}" for k, v in sizes.items()}
    L.append(f"| stripped binary (MiB) | {mib['service']} | {mib['baseline']} |")
    svc_req = sum(r["requests"] for r in by_side["service"])
    svc_lines = sum(r["log_lines"] for r in by_side["service"])
    svc_bytes = sum(r["log_bytes"] for r in by_side["service"])
    if svc_lines:
        L.append(f"| stdout log written per request, measured + warm-up (bytes) | "
                 f"{svc_bytes / svc_lines:.0f} per line, {svc_lines:,.0f} lines for "
                 f"{svc_req:,.0f} measured requests | none |")
    L.append("")
    L.append("## Targets (issue 9)")
    L.append("")
    L.append("| target | measured | holds |")
    L.append("|---|---:|---|")
    for what, measured, ok in verdicts:
        L.append(f"| {what} | {measured} | {'yes' if ok else '**no**'} |")
    L.append("")
    L.append("Raw runs: `raw.csv` beside this file (one row per run).")
    L.append("")
    with open(path, "w") as f:
        f.write("\n".join(L))


def esc(text):
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def nice_ceiling(x):
    """A round axis maximum at or above x."""
    if x <= 0:
        return 1.0
    exp = 10 ** len(str(int(x))) / 10 if x >= 1 else 0.1
    while exp > x:
        exp /= 10
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * exp >= x:
            return step * exp
    return 10 * exp


def panel(x0, y0, w, h, title, unit, summary, key, ratio_key, fmt):
    """One grouped bar panel: per case a service and a baseline bar (medians) and run dots."""
    cases = list(summary)
    top = max(r[key] for s in summary.values() for side in SIDES for r in s["runs"][side])
    ymax = nice_ceiling(top * 1.12)
    out = [f'<text x="{x0 + w / 2}" y="{y0 - 14}" text-anchor="middle" font-size="15" '
           f'font-weight="bold">{esc(title)}</text>']
    for i in range(6):
        v = ymax * i / 5
        y = y0 + h - h * i / 5
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + w}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
                   f'{esc(fmt(v))}</text>')
    out.append(f'<text x="{x0 - 52}" y="{y0 + h / 2}" font-size="12" text-anchor="middle" '
               f'transform="rotate(-90 {x0 - 52} {y0 + h / 2})">{esc(unit)}</text>')
    group = w / len(cases)
    bar = group * 0.3
    for ci, case in enumerate(cases):
        s = summary[case]
        gx = x0 + ci * group + group * 0.2
        for si, side in enumerate(SIDES):
            v = s["median"][side][key]
            bh = h * v / ymax
            bx = gx + si * bar
            out.append(f'<rect x="{bx:.1f}" y="{y0 + h - bh:.1f}" width="{bar - 4:.1f}" '
                       f'height="{bh:.1f}" fill="{COLOURS[side]}"><title>{esc(side)} {esc(case)}'
                       f': median {esc(fmt(v))} {esc(unit)}</title></rect>')
            out.append(f'<text x="{bx + (bar - 4) / 2:.1f}" y="{y0 + h - bh + 14:.1f}" '
                       f'text-anchor="middle" font-size="11" fill="white">{esc(fmt(v))}</text>')
            for r in s["runs"][side]:
                dy = y0 + h - h * r[key] / ymax
                out.append(f'<circle cx="{bx + (bar - 4) / 2:.1f}" cy="{dy:.1f}" r="2.5" '
                           f'fill="#222" fill-opacity="0.45"/>')
        out.append(f'<text x="{gx + bar:.1f}" y="{y0 + h + 16}" text-anchor="middle" '
                   f'font-size="12">{esc(case)}</text>')
        out.append(f'<text x="{gx + bar:.1f}" y="{y0 + h + 31}" text-anchor="middle" '
                   f'font-size="11" fill="#555">ratio {s["ratio"][ratio_key]:.2f}</text>')
    out.append(f'<line x1="{x0}" y1="{y0 + h}" x2="{x0 + w}" y2="{y0 + h}" stroke="#333"/>')
    out.append(f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y0 + h}" stroke="#333"/>')
    return out


def write_chart(path, summary, meta):
    W, H = 960, 420
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
             f'viewBox="0 0 {W} {H}" font-family="sans-serif">',
             f'<rect width="{W}" height="{H}" fill="white"/>',
             f'<text x="{W / 2}" y="24" text-anchor="middle" font-size="16">'
             f'{"A/A control: baseline vs baseline" if meta.get("aa") else "prototype-service vs bare actix-web"}, {esc(meta["started_utc"][:10])}, {meta["cpus"]} CPUs, medians of '
             f'{meta["pairs"]} pairs (dots: single runs)</text>']
    parts += panel(90, 70, 360, 260, "requests/s (higher is better)", "requests/s", summary,
                   "rps", "rps", lambda v: f"{v / 1000:.0f}k" if v >= 1000 else f"{v:.0f}")
    parts += panel(570, 70, 360, 260, "server CPU µs per request (lower is better)",
                   "µs CPU / request", summary, "cpu_us_per_req", "cpu_us_per_req",
                   lambda v: f"{v:.1f}")
    lx = W / 2 - 170
    for i, side in enumerate(SIDES):
        x = lx + i * 220
        parts.append(f'<rect x="{x}" y="{H - 28}" width="14" height="14" '
                     f'fill="{COLOURS[side]}"/>')
        label = "service (JSON access log)" if side == "service" else "bare baseline"
        if meta.get("aa"):
            label = "baseline in the service slot" if side == "service" else "bare baseline"
        parts.append(f'<text x="{x + 20}" y="{H - 16}" font-size="12">{esc(label)}</text>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


def smoke_checks(out_dir, rows, meta, summary, report_path, chart_path):
    """End-to-end sanity of the harness; no timing is judged."""
    expected = int(meta["pairs"]) * 2 * len(summary)
    if len(rows) != expected:
        raise ReportError(f"raw.csv has {len(rows)} runs, expected {expected}")
    for r in rows:
        where = f"raw.csv {r['case']} pair {r['pair']} {r['target']}"
        for k in ("requests", "rps", "cpu_us_per_req", "idle_rss_kib", "peak_rss_kib",
                  "ready_ms", "p50_us", "p99_us"):
            if not r[k] > 0:
                raise ReportError(f"{where}: {k} is {r[k]}, expected a positive number")
        if r["target"] == "service" and not meta.get("aa") and r["log_lines"] < r["requests"]:
            raise ReportError(f"{where}: {r['log_lines']:.0f} log lines for "
                              f"{r['requests']:.0f} requests")
    try:
        root = ET.parse(chart_path).getroot()
    except ET.ParseError as e:
        raise ReportError(f"{chart_path} is not well-formed SVG: {e}")
    if root.tag != "{http://www.w3.org/2000/svg}svg":
        raise ReportError(f"{chart_path}: root element is {root.tag}, expected svg")
    bars = root.findall("{http://www.w3.org/2000/svg}rect")
    if len(bars) < 4 * len(summary):
        raise ReportError(f"{chart_path}: {len(bars)} rectangles, expected bars for "
                          f"{len(summary)} cases in two panels")
    text = open(report_path).read()
    for case in summary:
        if f"| {case} |" not in text:
            raise ReportError(f"{report_path}: no table row for case {case}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out_dir")
    p.add_argument("--smoke", action="store_true", help="check completeness, not timings")
    p.add_argument("--check-targets", action="store_true", help="exit 3 when a target is missed")
    args = p.parse_args()
    rows, meta = load(args.out_dir)
    summary = summarise(rows)
    verdicts = targets(summary, rows)
    report_path = os.path.join(args.out_dir, "report.md")
    chart_path = os.path.join(args.out_dir, "chart.svg")
    write_chart(chart_path, summary, meta)
    write_report(report_path, summary, rows, meta, verdicts, "chart.svg")
    print(f"report: {report_path}\nchart:  {chart_path}")
    if args.smoke:
        smoke_checks(args.out_dir, rows, meta, summary, report_path, chart_path)
        print("bench smoke: harness, report and chart OK (timings not judged)")
        return 0
    for what, measured, ok in verdicts:
        print(f"  {'holds ' if ok else 'MISSED'}  {what}: {measured}")
    missed = [v for v in verdicts if not v[2]]
    if missed and args.check_targets:
        return 3
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ReportError as e:
        print(f"bench report: FAILED: {e}", file=sys.stderr)
        sys.exit(1)

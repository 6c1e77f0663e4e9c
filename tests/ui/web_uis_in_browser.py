#!/usr/bin/env python3
"""`make test-ui`: the web UIs of a `make up` cluster, looked at in a real headless Chromium.

For each lane it brings up the cluster of `make up` with tools/cluster.sh on its own state directory
(build/ui-test/<lane>/) and ports (Nomad 14846-14848, task ports 13000-14499, Prometheus on a
dynamic port; the consul lane adds a Consul dev agent on 14850-14854; UI_TEST_NOMAD_PORT,
UI_TEST_CONSUL_PORT, UI_TEST_MIN_DYNAMIC_PORT and UI_TEST_MAX_DYNAMIC_PORT move them), opens the
pages a person would open with Debian's Chromium driven by Playwright, and checks what that person would check:
  nomad lane:   Nomad's job list shows prototype_service Healthy with 2/2 allocations running; the
                job's allocations page lists 2 running allocations; Prometheus' targets page shows
                the scrape pool "prototype" with 2 / 2 up, its query table up{job="prototype"} == 1
                for 2 instances and its graph is drawn;
  consul lane:  the same, with the services registered in and discovered through Consul, and the
                Consul UI's service list shows prototype with its 2 instances.
A screenshot of every page is written to build/ui-test/<lane>/<page>.png on every run (also when a
check fails, at the moment it failed). The cluster is torn down with `tools/cluster.sh down` and the
browser closed, whatever happens. Exits non-zero when a check failed.

With --consul-ui it brings up nothing and looks at the Consul UI of a Connect mesh that is up (the
mesh lane, tests/e2e/e2e-mesh.sh, runs it in its step c, while its allow intention exists):
  mesh:         the service list shows prototype with 2 instances "in service mesh with proxy" and
                its health passing, api-ingress as an Ingress Gateway, api-gateway in the mesh with
                its proxy; prototype's instances tab lists 2 instances, each "in service mesh with
                proxy" (Consul has a sidecar registered for that instance) with its checks passing;
                api-ingress's upstreams tab lists api-gateway at its ingress address; the intentions
                page lists api-gateway -> prototype, Allow. Screenshots go to --out DIR/<page>.png.

    tests/ui/web_uis_in_browser.py [--lane nomad|consul]   (default: both lanes, one after the other)
    tests/ui/web_uis_in_browser.py --consul-ui http://127.0.0.1:28500 --out build/e2e-mesh/ui

Needs what `tools/setup.sh test` installs: the pinned tools (nomad with its UI, nomad-pack,
prometheus with its UI, consul), Debian's chromium and the Python package playwright (its driver
only: the browser is Debian's, never downloaded); cargo for the service.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
from nomad_dev import check, failures  # noqa: E402
from tools import REPO, tool  # noqa: E402

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect, sync_playwright
except ImportError:
    sys.exit("error: the Python package playwright is missing: python3 -m pip install playwright "
             "(the browser is Debian's chromium: apt-get install chromium)")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
OUT = os.path.join(REPO, "build", "ui-test")
# Fixed ports below Linux's ephemeral range (32768-60999): a port in it can be held for a minute by
# the TIME_WAIT of any outgoing connection, and Nomad's serf then fails to bind (seen on a busy
# machine). Clear of make up (4646-4648, tasks 20000-32000) and of the e2e lanes (14646-14748,
# tasks 15000-19999).
NOMAD_PORT = int(os.environ.get("UI_TEST_NOMAD_PORT", "14846"))
CONSUL_PORT = int(os.environ.get("UI_TEST_CONSUL_PORT", "14850"))
DYNAMIC_PORTS = {"MIN_DYNAMIC_PORT": os.environ.get("UI_TEST_MIN_DYNAMIC_PORT", "13000"),
                 "MAX_DYNAMIC_PORT": os.environ.get("UI_TEST_MAX_DYNAMIC_PORT", "14499")}
# How long a page may take to show what is checked (the UIs poll their APIs; a loaded machine is slow).
UI_TIMEOUT_MS = 60_000
passed = 0
# The lanes run one after the other, so they share the task port range.
LANES = {
    "nomad": {},
    "consul": {"CONSUL_HTTP_PORT": str(CONSUL_PORT)},
}


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


def cluster(verb, env):
    """tools/cluster.sh up|down with the lane's environment; its output goes to ours."""
    print(f"--- tools/cluster.sh {verb} (CLUSTER_DIR={env['CLUSTER_DIR']})", flush=True)
    return subprocess.run([os.path.join(REPO, "tools", "cluster.sh"), verb], env=env, timeout=3600).returncode


def prometheus_address(lane, nomad):
    """host:port of the Prometheus the lane deployed, from the catalogue it registered in."""
    if lane == "consul":
        svc = get_json(f"http://127.0.0.1:{CONSUL_PORT}/v1/catalog/service/prometheus")
        return f"{svc[0]['ServiceAddress']}:{svc[0]['ServicePort']}"
    svc = get_json(f"{nomad}/v1/service/prometheus")
    return f"{svc[0]['Address']}:{svc[0]['Port']}"


class Pages:
    """One browser page; every visit ends in a screenshot, also when its checks fail."""

    def __init__(self, page, lane, out):
        self.page, self.lane, self.out = page, lane, out

    def visit(self, name, url, checks):
        global passed
        os.makedirs(self.out, exist_ok=True)
        path = os.path.join(self.out, f"{name}.png")
        print(f"--- {self.lane}: {url}", flush=True)
        try:
            self.page.goto(url)
            for what, assertion in checks:
                try:
                    assertion(self.page)
                    check(True, f"{self.lane}: {what}")
                    passed += 1
                except (AssertionError, PlaywrightError) as e:
                    try:
                        # The page's main part (the body starts with the navigation).
                        main = self.page.locator("main")
                        main = main if main.count() == 1 else self.page.locator("body")
                        shown = " ".join(main.inner_text(timeout=5000).split())[:160]
                    except PlaywrightError:
                        shown = "(no page)"
                    check(False, f"{self.lane}: {what}: {str(e).splitlines()[0]} at {self.page.url}; "
                                 f"the page shows: {shown!r}")
        finally:
            self.page.screenshot(path=path)
            print(f"      screenshot {os.path.relpath(path, REPO)}", flush=True)


def nomad_checks(pages, nomad):
    # What a person sees (Nomad's production UI build carries no data-test attributes).
    def job_row(p):
        return p.get_by_role("row").filter(has=p.get_by_role("link", name=re.compile(r"^prototype_service\b")))

    pages.visit("nomad-jobs", f"{nomad}/ui/jobs", [
        ("Nomad's job list shows prototype_service Healthy",
         lambda p: expect(job_row(p)).to_contain_text("Healthy", timeout=UI_TIMEOUT_MS)),
        ("Nomad's job list shows 2/2 allocations of prototype_service running",
         lambda p: expect(job_row(p)).to_contain_text(re.compile(r"\b2/2\b"), timeout=UI_TIMEOUT_MS)),
    ])

    def two_running(p):
        # An allocation's row starts with its short ID (a link); its tasks' rows follow it.
        rows = p.locator("table tbody tr").filter(has=p.get_by_role("link", name=re.compile(r"^[0-9a-f]{8}$")))
        expect(rows).to_have_count(2, timeout=UI_TIMEOUT_MS)
        for i in range(2):
            expect(rows.nth(i)).to_contain_text(re.compile(r"\brunning\b"), timeout=UI_TIMEOUT_MS)

    pages.visit("nomad-allocations", f"{nomad}/ui/jobs/prototype_service@default/allocations", [
        ("the job's allocations page lists 2 allocations, both running", two_running),
    ])


def prometheus_checks(pages, prometheus):
    pages.visit("prometheus-targets", f"http://{prometheus}/targets", [
        ("Prometheus' targets page shows the scrape pool 'prototype' with 2 / 2 up",
         lambda p: expect(p.get_by_role("button", name=re.compile(r"^prototype\b"))).to_contain_text(
             "2 / 2 up", timeout=UI_TIMEOUT_MS)),
    ])
    query = "g0.expr=" + urllib.parse.quote('up{job="prototype"}')

    def two_series_of_1(p):
        rows = p.locator("table tbody tr")
        expect(rows).to_have_count(2, timeout=UI_TIMEOUT_MS)
        expect(rows.locator("td:last-child")).to_have_text(["1", "1"])

    pages.visit("prometheus-table", f"http://{prometheus}/query?{query}&g0.tab=table", [
        ("Prometheus' query table shows up{job=\"prototype\"} == 1 for 2 instances", two_series_of_1),
    ])
    pages.visit("prometheus-graph", f"http://{prometheus}/query?{query}&g0.tab=graph&g0.range_input=1m", [
        ("Prometheus' graph of up{job=\"prototype\"} is drawn",
         lambda p: expect(p.locator(".uplot canvas").first).to_be_visible(timeout=UI_TIMEOUT_MS)),
    ])


def consul_checks(pages):
    consul = f"http://127.0.0.1:{CONSUL_PORT}"
    pages.visit("consul-services", f"{consul}/ui/dc1/services", [
        ("the Consul UI's service list shows prototype with 2 instances",
         lambda p: expect(p.locator("li", has=p.get_by_role("link", name="prototype", exact=True))).to_contain_text(
             "2 instances", timeout=UI_TIMEOUT_MS)),
    ])


def mesh_consul_checks(pages, consul):
    """The Consul UI of the mesh (`make up MESH=1`, `make e2e-mesh`), as a person checks it."""
    def service_row(p, name):
        # The service list is a list of items, each with the service's name as a link.
        return p.locator("li", has=p.get_by_role("link", name=name, exact=True))

    pages.visit("consul-mesh-services", f"{consul}/ui/dc1/services", [
        ("the service list shows prototype with 2 instances",
         lambda p: expect(service_row(p, "prototype")).to_contain_text("2 instances", timeout=UI_TIMEOUT_MS)),
        ("the service list shows prototype in the service mesh with its proxy",
         lambda p: expect(service_row(p, "prototype")).to_contain_text(
             "in service mesh with proxy", timeout=UI_TIMEOUT_MS)),
        ("prototype's health in the service list is passing (its checks and its sidecars')",
         lambda p: expect(service_row(p, "prototype").locator(".header dl.passing")).to_have_count(
             1, timeout=UI_TIMEOUT_MS)),
        ("the service list shows api-ingress as an Ingress Gateway",
         lambda p: expect(service_row(p, "api-ingress")).to_contain_text("Ingress Gateway", timeout=UI_TIMEOUT_MS)),
        ("the service list shows api-gateway in the service mesh with its proxy",
         lambda p: expect(service_row(p, "api-gateway")).to_contain_text(
             "in service mesh with proxy", timeout=UI_TIMEOUT_MS)),
    ])

    def two_instances_with_proxies(p):
        # One item per instance, each named by its Nomad service ID; the badge says that Consul has
        # a sidecar proxy registered for that very instance.
        rows = p.locator("li", has=p.get_by_role("link", name=re.compile(r"^_nomad-task-")))
        expect(rows).to_have_count(2, timeout=UI_TIMEOUT_MS)
        for i in range(2):
            expect(rows.nth(i)).to_contain_text("in service mesh with proxy", timeout=UI_TIMEOUT_MS)
            expect(rows.nth(i)).to_contain_text("All service checks passing", timeout=UI_TIMEOUT_MS)

    pages.visit("consul-mesh-prototype-instances", f"{consul}/ui/dc1/services/prototype/instances", [
        ("prototype's instances tab lists 2 instances, each in the mesh with its proxy and its checks passing",
         two_instances_with_proxies),
    ])
    pages.visit("consul-mesh-ingress-upstreams", f"{consul}/ui/dc1/services/api-ingress/upstreams", [
        ("api-ingress's upstreams tab lists api-gateway with its ingress address",
         lambda p: expect(p.locator("li", has=p.get_by_text("api-gateway", exact=True))).to_contain_text(
             re.compile(r"api-gateway\.ingress\.dc1\.consul:\d+"), timeout=UI_TIMEOUT_MS)),
    ])
    pages.visit("consul-mesh-intentions", f"{consul}/ui/dc1/intentions", [
        ("the intentions page lists api-gateway -> prototype, allowed",
         lambda p: expect(p.get_by_role("row").filter(has_text="api-gateway").filter(has_text="prototype")).to_contain_text(
             "Allow", timeout=UI_TIMEOUT_MS)),
    ])


def run_lane(browser, lane, consul_bin):
    env = dict(os.environ, CLUSTER_DIR=os.path.join(OUT, lane), NOMAD_HTTP_PORT=str(NOMAD_PORT),
               NOMAD_RPC_PORT=str(NOMAD_PORT + 1), NOMAD_SERF_PORT=str(NOMAD_PORT + 2),
               PROMETHEUS_PORT="0", NO_KRAKEND="1", **DYNAMIC_PORTS, **LANES[lane])
    if lane == "consul":
        env["CONSUL"] = consul_bin
    nomad = f"http://127.0.0.1:{NOMAD_PORT}"
    start = time.time()
    try:
        if cluster("up", env) != 0:
            check(False, f"{lane}: tools/cluster.sh up failed (output above)")
            return
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        try:
            pages = Pages(context.new_page(), lane, os.path.join(OUT, lane))
            nomad_checks(pages, nomad)
            prometheus_checks(pages, prometheus_address(lane, nomad))
            if lane == "consul":
                consul_checks(pages)
        finally:
            context.close()
    finally:
        if cluster("down", env) != 0:
            check(False, f"{lane}: tools/cluster.sh down failed (output above)")
        print(f"--- {lane} lane: {time.time() - start:.0f}s", flush=True)


def run_mesh(browser, consul, out):
    """Looks at the Consul UI of a mesh that is already up (the mesh lane runs it in its step c)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        mesh_consul_checks(Pages(context.new_page(), "mesh", out), consul.rstrip("/"))
    finally:
        context.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lane", choices=sorted(LANES), action="append",
                        help="run only this lane (repeatable; default: nomad, then consul)")
    parser.add_argument("--consul-ui", metavar="URL",
                        help="instead of the lanes: check the Consul UI of a running mesh at URL (no cluster started)")
    parser.add_argument("--out", metavar="DIR", help="with --consul-ui: where the screenshots go")
    args = parser.parse_args()
    if args.consul_ui and (args.lane or not args.out):
        parser.error("--consul-ui takes --out DIR and no --lane")
    lanes = args.lane or ["nomad", "consul"]
    if not os.access(CHROMIUM, os.X_OK):
        sys.exit(f"error: no Chromium at {CHROMIUM}: apt-get install chromium (or set CHROMIUM=/path/to/chromium)")
    consul_bin = tool("consul") if "consul" in lanes and not args.consul_ui else None
    with sync_playwright() as p:
        # Debian's Chromium, headless; as root it needs --no-sandbox. No background networking:
        # nothing but the loopback pages is fetched.
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            if args.consul_ui:
                run_mesh(browser, args.consul_ui, args.out)
            else:
                for lane in lanes:
                    run_lane(browser, lane, consul_bin)
        finally:
            browser.close()
    print(f"web UIs in the browser: {passed} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

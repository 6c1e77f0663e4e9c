#!/usr/bin/env python3
"""Runs the prometheus pack on a real Nomad agent with the nomad provider and raw_exec.

It starts a throwaway Nomad dev agent on 127.0.0.1 (own ports and data directory), registers two
instances of a stand-in "prototype" service (a few lines of python3 http.server serving a fixed Prometheus
exposition on /metrics with the text format's Content-Type, under raw_exec, Nomad service with tag metrics), then:
  1. deploys the pack rendered from examples/vars-nomad-raw-exec.hcl (the Prometheus tools/env.sh
     resolves, nomad_discovery = "template") and checks: the Nomad checks /-/healthy and /-/ready pass, the
     scrape job "prometheus" and the scrape job "prototype" with both instances are up, the three
     default alert rules are loaded and healthy;
  2. scales the stand-in to three instances: the target file rendered from nomadService follows
     and Prometheus scrapes the third instance without a restart;
  3. sends SIGHUP to the task (what the template's change_mode does): the reload succeeds;
  4. deploys the pack again with nomad_discovery = "nomad_sd": the same three targets.
At the end it purges the jobs and stops the agent by its PID.

    tests/packs/prometheus/on_nomad.py      (needs the tools that tools/setup.sh provides)
"""
import json
import os
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "lib"))
from tools import REPO, tool  # noqa: E402
PACK = os.path.join(REPO, "packs", "prometheus")
from nomad_dev import NOMAD, NOMAD_PACK, DevAgent, check, failures, poll, run  # noqa: E402
from nomad_dev import request as get  # noqa: E402

PROMETHEUS = tool("prometheus")
METRICS = """# TYPE http_requests_total counter
http_requests_total{method="POST",route="/echo",status="200"} 10
# TYPE prototype_service_build_info gauge
prototype_service_build_info{version="0.0.0-standin"} 1
"""
STANDIN = """
job "standin" {
  group "prototype" {
    count = 2
    update {
      max_parallel = 0 # no deployments: the test scales it at once
    }
    network {
      port "http" {}
    }
    service {
      name     = "prototype"
      provider = "nomad"
      port     = "http"
      tags     = ["metrics"]
    }
    task "web" {
      driver = "raw_exec"
      config {
        command = "/usr/bin/python3"
        args    = ["${NOMAD_TASK_DIR}/server.py", "${NOMAD_IP_http}", "${NOMAD_PORT_http}"]
      }
      template {
        destination = "local/server.py"
        data        = <<EOH
import http.server, sys
BODY = %r
class Metrics(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.path == "/metrics"
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.end_headers()
        self.wfile.write(BODY if ok else b"")
http.server.HTTPServer((sys.argv[1], int(sys.argv[2])), Metrics).serve_forever()
EOH
      }
    }
  }
}
""" % METRICS.encode()


def wait(what, fn, timeout=60):
    v, last = poll(fn, timeout)  # not up yet
    if v:
        return v
    check(False, f"{what} (timed out after {timeout}s; last error: {last})")
    return None


def up_targets(prom, job):
    q = urllib.parse.quote(f'up{{job="{job}"}} == 1')
    return sorted(r["metric"]["instance"] for r in get(f"{prom}/api/v1/query?query={q}")["data"]["result"])


def deploy(agent, name, extra_vars):
    out = os.path.join(agent.dir, f"render-{name}")
    run([NOMAD_PACK, "render", PACK, "-o", out, "-f", os.path.join(PACK, "examples", "vars-nomad-raw-exec.hcl"),
         "--var", "port=0", "--var", f"job_name={name}", "--var", f"service_name={name}",
         "--var", f"binary_path={PROMETHEUS}", *extra_vars], agent.env)
    run([NOMAD, "job", "run", "-detach", os.path.join(out, "prometheus", "prometheus.nomad")], agent.env)
    svc = wait(f"service {name} registered", lambda: agent.api(f"/v1/service/{name}"), 90)
    if not svc:
        return None
    prom = f"http://{svc[0]['Address']}:{svc[0]['Port']}"
    wait(f"{name} ready at {prom}", lambda: urllib.request.urlopen(f"{prom}/-/ready", timeout=5).status == 200, 60)
    return prom, svc[0]["AllocID"]


def main():
    agent = DevAgent("prometheus-on-nomad-")
    work, addr, env = agent.dir, agent.addr, agent.env
    jobs = ["standin"]
    try:
        agent.start()
        if not wait("a ready client node", agent.ready):
            raise RuntimeError("no client node")
        with open(os.path.join(work, "standin.nomad"), "w") as f:
            f.write(STANDIN)
        run([NOMAD, "job", "run", "-detach", os.path.join(work, "standin.nomad")], env)
        wait("two prototype instances registered", lambda: len(agent.api("/v1/service/prototype")) == 2)

        # 1. Targets from nomadService through file_sd.
        jobs.append("prometheus")
        deployed = deploy(agent, "prometheus", [])
        if not deployed:
            raise RuntimeError("prometheus did not come up")
        prom, alloc = deployed
        checks = wait("the Nomad checks of prometheus pass",
                      lambda: (lambda c: c if c and all(x["Status"] == "success" for x in c.values()) else None)(
                          agent.api(f"/v1/client/allocation/{alloc}/checks")), 60) or {}
        check(sorted(x["Check"] for x in checks.values()) == ["healthy", "ready"],
              f"Nomad checks healthy and ready pass ({sorted(x['Check'] + '=' + x['Status'] for x in checks.values())})")
        self_up = wait("prometheus scrapes itself", lambda: up_targets(prom, "prometheus"), 60)
        check(self_up == [prom.removeprefix("http://")], f"job=\"prometheus\" up: {self_up}")
        two = wait("both prototype instances up", lambda: (lambda t: t if len(t) == 2 else None)(up_targets(prom, "prototype")), 60)
        check(two is not None, f"job=\"prototype\" up == 1 for both instances: {two}")
        groups = get(f"{prom}/api/v1/rules")["data"]["groups"]
        rules = sorted((r["name"], r["health"]) for g in groups for r in g["rules"])
        check(rules == [("HighErrorRatio", "ok"), ("HighLatencyP99", "ok"), ("InstanceDown", "ok")],
              f"alert rules loaded and healthy: {rules}")

        # 2. The target file follows the catalogue.
        run([NOMAD, "job", "scale", "-detach", "standin", "prototype", "3"], env)
        three = wait("the third instance scraped", lambda: (lambda t: t if len(t) == 3 else None)(up_targets(prom, "prototype")), 90)
        check(three is not None, f"after scaling to 3, job=\"prototype\" up for: {three}")

        # 3. SIGHUP reloads the rendered configuration.
        def reloads():
            q = urllib.parse.quote("prometheus_config_last_reload_success_timestamp_seconds")
            return float(get(f"{prom}/api/v1/query?query={q}")["data"]["result"][0]["value"][1])
        before = reloads()
        time.sleep(1.1)
        run([NOMAD, "alloc", "signal", "-s", "SIGHUP", alloc, "prometheus"], env)
        after = wait("a successful reload after SIGHUP", lambda: reloads() > before and reloads(), 30)
        check(bool(after), f"SIGHUP reloaded the configuration (last successful reload {before} -> {after})")

        # 4. nomad_sd_configs.
        jobs.append("prometheus-sd")
        deployed = deploy(agent, "prometheus-sd", [
            "--var", "nomad_discovery=nomad_sd", "--var", f"nomad_address={addr}"])
        if deployed:
            prom_sd, _ = deployed
            sd = wait("nomad_sd targets up", lambda: (lambda t: t if len(t) == 3 else None)(up_targets(prom_sd, "prototype")), 60)
            check(sd == three, f"nomad_sd_configs finds the same instances: {sd}")
            if sd != three:
                print(json.dumps(get(f"{prom_sd}/api/v1/targets")["data"], indent=1)[:3000])
    except RuntimeError as e:
        check(False, str(e))
    finally:
        agent.stop(jobs=reversed(jobs), log_tail=15 if failures else 0)
    print(f"prometheus on nomad: {'FAILED' if failures else 'ok'} ({len(failures)} failure(s))")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

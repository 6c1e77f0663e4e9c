#!/usr/bin/env python3
"""Renders the grafana job's Nomad templates on a real Nomad agent, to test what `render` cannot.

Grafana cannot run here (no Docker, no image), but everything the job hands it is written by
Nomad's template blocks: the datasource (with the Prometheus address from nomadService), the
dashboard provider, the dashboards (copied through templates with moved delimiters) and the admin
account (from a Nomad Variable). This test starts a throwaway Nomad dev agent on 127.0.0.1 (own
ports and data directory), registers a Nomad service "prometheus" (a sleeping raw_exec task),
puts the admin account in a Nomad Variable with a password full of characters that break naive
quoting, renders the pack with service_provider = "nomad", swaps the grafana task's docker driver
for raw_exec running `sleep` (keeping every template, env and service), registers it, and checks
what Nomad wrote:
  - provisioning/datasources/prometheus.yml: YAML, uid as configured, url = the address of the
    registered prometheus service;
  - provisioning/dashboards/provider.yml: YAML, a file provider on /local/dashboards;
  - dashboards/*.json: byte for byte the files in packs/grafana/dashboards/ (the heredoc adds one
    final newline), so no {{ }} or ${ } in them was touched;
  - secrets/admin.env: parsed as Nomad does (env = true), user and password exactly as stored.
At the end it purges the jobs and stops the agent by its PID.

    tests/packs/grafana/on_nomad.py       (needs the tools that tools/setup.sh provides)
"""
import os
import re
import sys

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "lib"))
from tools import REPO  # noqa: E402
PACK = os.path.join(REPO, "packs", "grafana")
from nomad_dev import NOMAD, NOMAD_PACK, DevAgent, check, failures, poll, run as nomad_run  # noqa: E402

ADMIN_USER = "grafana-admin"
ADMIN_PASSWORD = "p\"a's$HOME {{x}} \\n&<>#%{y}"
# The sleeping stand-in writes down the admin account it received in its environment.
SEEN_ENV = ("printenv GF_SECURITY_ADMIN_USER > local/seen-user; "
            "printenv GF_SECURITY_ADMIN_PASSWORD > local/seen-password; exec sleep 600")


def wait(what, fn, timeout=60):
    v, last = poll(fn, timeout)  # the agent may still be starting
    if v:
        return v
    raise SystemExit(f"timed out after {timeout}s waiting for {what} ({last})")


def run(cmd, env):
    return nomad_run(cmd, env, timeout=120, error=SystemExit)


def main():
    agent = DevAgent("grafana-templates-")
    work, env = agent.dir, agent.env
    try:
        agent.start()
        wait("a ready client node", agent.ready)

        # A Nomad service "prometheus" for the datasource to find.
        with open(os.path.join(work, "prometheus.nomad"), "w") as f:
            f.write("""
job "prometheus" {
  group "prometheus" {
    network {
      port "http" {}
    }
    service {
      name     = "prometheus"
      provider = "nomad"
      port     = "http"
    }
    task "sleep" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["600"]
      }
    }
  }
}
""")
        run([NOMAD, "job", "run", "-detach", os.path.join(work, "prometheus.nomad")], env)
        prom = wait("service prometheus", lambda: agent.api("/v1/service/prometheus"))[0]
        prom_url = f"http://{prom['Address']}:{prom['Port']}"

        agent.api("/v1/var/nomad/jobs/grafana", {"Namespace": "default", "Path": "nomad/jobs/grafana",
            "Items": {"admin_user": ADMIN_USER, "admin_password": ADMIN_PASSWORD}})

        out = os.path.join(work, "rendered")
        run([NOMAD_PACK, "render", PACK, "-o", out, "--var", "service_provider=nomad",
             "--var", "port=0"], env)
        with open(os.path.join(out, "grafana", "grafana.nomad")) as f:
            job = f.read()
        # Only the container goes: driver, user and image become a sleeping raw_exec task.
        job, n = re.subn(r'driver = "docker"\n(\s*)user\s*= "472"\n\n(\s*)config \{\n\s*image = "[^"]+"\n\s*ports = \["http"\]\n\s*\}',
                         'driver = "raw_exec"\n\n\\2config {\n\\2  command = "/bin/sh"\n\\2  args    = ["-c", "' + SEEN_ENV + '"]\n\\2}', job)
        if n != 1:
            raise SystemExit("could not find the grafana task's docker config in the rendered job")
        with open(os.path.join(work, "grafana.nomad"), "w") as f:
            f.write(job)
        run([NOMAD, "job", "run", "-detach", os.path.join(work, "grafana.nomad")], env)

        def running_alloc():
            allocs = agent.api("/v1/job/grafana/allocations")
            return next((a["ID"] for a in allocs if a["ClientStatus"] == "running"), None)
        alloc = wait("a running grafana allocation", running_alloc)
        task_dir = os.path.join(work, "data", "alloc", alloc, "grafana")

        with open(os.path.join(task_dir, "local", "provisioning", "datasources", "prometheus.yml")) as f:
            ds = yaml.safe_load(f)["datasources"][0]
        check(ds["url"] == prom_url, f"datasource url is the registered prometheus ({ds['url']} == {prom_url})")
        check(ds["uid"] == "prometheus" and ds["type"] == "prometheus", f"datasource uid {ds['uid']!r}, type {ds['type']!r}")

        with open(os.path.join(task_dir, "local", "provisioning", "dashboards", "provider.yml")) as f:
            prov = yaml.safe_load(f)["providers"][0]
        check(prov["type"] == "file" and prov["options"]["path"] == "/local/dashboards",
              f"dashboard provider: type {prov['type']!r}, path {prov['options']['path']!r}")

        for name in sorted(os.listdir(os.path.join(PACK, "dashboards"))):
            with open(os.path.join(PACK, "dashboards", name), "rb") as f:
                source = f.read()
            try:
                with open(os.path.join(task_dir, "local", "dashboards", name), "rb") as f:
                    written = f.read()
            except FileNotFoundError:
                check(False, f"dashboards/{name} was written by Nomad")
                continue
            check(written in (source, source + b"\n"), f"dashboards/{name} arrives byte for byte ({len(source)} bytes)")

        # What the task process saw in its environment (Nomad parsed secrets/admin.env, env = true).
        seen = {}
        for key in ("user", "password"):
            path = os.path.join(task_dir, "local", f"seen-{key}")
            wait(f"local/seen-{key}", lambda: os.path.exists(path), timeout=20)
            with open(path) as f:
                seen[key] = f.read().removesuffix("\n")
        check(seen["user"] == ADMIN_USER, "the task's GF_SECURITY_ADMIN_USER is the one in the Nomad Variable")
        check(seen["password"] == ADMIN_PASSWORD,
              "the task's GF_SECURITY_ADMIN_PASSWORD is the Nomad Variable's, quotes, $, {{ }}, %{ and backslashes intact")
    finally:
        agent.stop(jobs=("grafana", "prometheus"))
    print(f"templates on nomad: {'FAILED' if failures else 'ok'} ({len(failures)} failure(s))")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

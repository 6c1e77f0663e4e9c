#!/usr/bin/env python3
"""Renders the efk job's Nomad templates on a real Nomad agent, to test what `render` cannot.

The files that tests/packs/efk/check checks in the job's template blocks still hold Nomad template expressions
({{ nomadService "elasticsearch" }}, {{ nomadVar ... }}) that only Nomad fills in. Elasticsearch,
Kibana and Fluentd cannot run here (no images), so this test starts a throwaway Nomad dev agent on
127.0.0.1 (own ports and data directory), takes the job rendered with the nomad provider, swaps
every task's driver for raw_exec running `sleep` (keeping its templates, env and services, and
dropping checks, volumes and users), registers it, and then checks what Nomad wrote:
  - fluent.conf: Elasticsearch host/port are the address of the registered elasticsearch service,
    and the file still parses as Fluentd configuration (the parser of tests/packs/efk/check);
  - kibana.yml: valid YAML, elasticsearch.hosts = that address;
  - with security: every password file, the JSON bodies of the setup task and Kibana's
    ELASTICSEARCH_PASSWORD env hold exactly the password put in the Nomad Variable, including
    quotes, backslashes and & < > in it.
At the end it purges the job, stops the agent by its PID and the task processes it started.

    tests/packs/efk/on_nomad.py            (needs the tools that tools/setup.sh provides)
"""
import importlib.machinery
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "lib"))
from tools import REPO, job_json  # noqa: E402
PACK = os.path.join(REPO, "packs", "efk")
from nomad_dev import NOMAD_PACK, DevAgent, check, failures, poll  # noqa: E402

# Characters that break naive quoting in env files, JSON and curl configs.
PASSWORDS = {"elastic_password": "El4stic-\"q\"&<x>\\b's",
             "kibana_system_password": "kib\"ana\\sys&<>'tem",
             "fluentd_password": "flu3nt-d$HOME#{x}"}

_loader = importlib.machinery.SourceFileLoader("efk_check", os.path.join(REPO, "tests", "packs", "efk", "check"))
_spec = importlib.util.spec_from_loader("efk_check", _loader)
efk_check = importlib.util.module_from_spec(_spec)
_loader.exec_module(efk_check)


def render(varfile, out):
    """The job rendered with varfile (Nomad's API JSON) and the variables it was rendered with."""
    r = subprocess.run([NOMAD_PACK, "render", PACK, "-o", out, "-f", varfile], capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(f"render {varfile}: {r.stdout}{r.stderr}")
    return job_json(os.path.join(out, "efk", "efk.nomad"))["Job"], efk_check.pack_variables(varfile)


def as_raw_exec(job):
    """The same job with every task a raw_exec `sleep` that records its environment."""
    for g in job["TaskGroups"]:
        g["Volumes"] = None
        for s in g.get("Services") or []:
            s["Checks"] = None
        for t in g["Tasks"]:
            t["Driver"] = "raw_exec"
            t["User"] = ""
            t["Lifecycle"] = None
            t["VolumeMounts"] = None
            t["Config"] = {"command": "/bin/sh", "args": ["-c", 'env > "$NOMAD_TASK_DIR/env.txt"; exec sleep 600']}
            t["Resources"] = {"CPU": 20, "MemoryMB": 32}
    return job


def task_file(agent, alloc_id, task, rel):
    return os.path.join(agent.dir, "data", "alloc", alloc_id, task, rel)


def wait_for(fn, what, timeout=90):
    v, _ = poll(fn, timeout, errors=())
    if v:
        return v
    raise RuntimeError(f"timed out after {timeout} s waiting for {what}")


def run_case(agent, varfile, tmp):
    name = os.path.basename(varfile)
    print(f"== {name}")
    job, v = render(varfile, os.path.join(tmp, name))
    d = efk_check.expected_derived(v)
    if d["security"]:
        agent.api(f"/v1/var/{d['var_path']}", {"Path": d["var_path"], "Items": PASSWORDS})
    agent.api("/v1/jobs", {"Job": as_raw_exec(job)})

    def running():
        allocs = agent.api("/v1/job/efk/allocations")
        by_group = {a["TaskGroup"]: a for a in allocs if a["ClientStatus"] == "running"}
        return by_group if len(by_group) == len(job["TaskGroups"]) else None
    allocs = wait_for(running, "every group of the job to run")
    es_svc = wait_for(lambda: agent.api(f"/v1/service/{v['elasticsearch']['service_name']}"), "the elasticsearch service")
    addr, port = es_svc[0]["Address"], str(es_svc[0]["Port"])

    fl = allocs["fluentd"]["ID"]
    path = task_file(agent, fl, "fluentd", "local/fluent.conf")

    def fluent_with_host():
        try:
            root = efk_check.parse_fluentd(open(path).read())
        except (OSError, efk_check.ConfError):
            return None
        out = [e for m in root.find("match") for e in [m] + m.find("store") if e.get("@type") == "elasticsearch"]
        return out[0] if out and out[0].get("host") else None
    try:
        esout = wait_for(fluent_with_host, "fluent.conf with an Elasticsearch host", 60)
        check(esout.get("host") == addr and esout.get("port") == port,
              f"fluent.conf (written by Nomad) sends to {esout.get('host')}:{esout.get('port')}, the elasticsearch service is at {addr}:{port}")
        # The whole semantic check of tests/packs/efk/check, now with the address Nomad filled in.
        filled = dict(v, elasticsearch=dict(v["elasticsearch"], enabled=False), elasticsearch_url=f"http://{addr}:{port}")
        problems = efk_check.Checker(".", name, None).fluentd_problems(open(path).read(), filled, d)
        check(not problems, "fluent.conf written by Nomad passes the fluent.conf checks of tests/packs/efk/check"
              + "".join(f"\n      | {p}" for p in problems))
    except RuntimeError as e:
        check(False, str(e))

    kb = allocs["kibana"]["ID"]
    y = yaml.safe_load(open(task_file(agent, kb, "kibana", "local/kibana.yml")))
    check(y.get("elasticsearch.hosts") == [f"http://{addr}:{port}"],
          f"kibana.yml (written by Nomad) is YAML with elasticsearch.hosts {y.get('elasticsearch.hosts')}, expected http://{addr}:{port}")

    if d["security"]:
        es = allocs["elasticsearch"]["ID"]
        pw = PASSWORDS
        got = open(task_file(agent, es, "elasticsearch", "secrets/elastic_password")).read().rstrip("\n")
        check(got == pw["elastic_password"], "elasticsearch secrets/elastic_password holds the Nomad Variable's password")
        body = json.load(open(task_file(agent, es, "security-setup", "secrets/kibana_system.json")))
        check(body == {"password": pw["kibana_system_password"]}, "security-setup kibana_system.json is JSON with the exact password")
        body = json.load(open(task_file(agent, es, "security-setup", "secrets/fluentd_user.json")))
        check(body == {"password": pw["fluentd_password"], "roles": ["efk_log_writer"]}, "security-setup fluentd_user.json is JSON with the exact password and role")
        got = open(task_file(agent, fl, "fluentd", "secrets/fluentd_password")).read().rstrip("\n")
        check(got == pw["fluentd_password"], "fluentd secrets/fluentd_password holds the exact password (read by fluent.conf)")
        envs = dict(line.split("=", 1) for line in open(task_file(agent, kb, "kibana", "local/env.txt")).read().splitlines() if "=" in line)
        check(envs.get("ELASTICSEARCH_PASSWORD") == pw["kibana_system_password"],
              f"kibana's ELASTICSEARCH_PASSWORD env is the exact password (got {envs.get('ELASTICSEARCH_PASSWORD')!r})")
    agent.api("/v1/job/efk?purge=true", method="DELETE")
    wait_for(lambda: not [a for a in agent.api("/v1/allocations") if a["ClientStatus"] == "running"], "the job to stop", 60)


def main():
    agent = DevAgent("efk-nomad-")
    tmp = tempfile.mkdtemp(prefix="efk-render-")
    try:
        agent.start()
        ready, _ = poll(agent.ready, 60, errors=(urllib.error.URLError, ConnectionError, json.JSONDecodeError))
        if not ready:
            raise RuntimeError(f"Nomad agent did not become ready in 60 s; see {agent.dir}/agent.log")
        for varfile in ("vars-nomad.hcl", "vars-security-nomad.hcl"):
            run_case(agent, os.path.join(PACK, "examples", varfile), tmp)
    except Exception as e:  # report, then clean up
        check(False, f"{type(e).__name__}: {e}")
    finally:
        agent.stop(jobs=("efk",))
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"templates_on_nomad: {'all passed' if not failures else f'{len(failures)} failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Runs the alertmanager pack on a real Nomad agent: the receivers' secrets come from a Nomad Variable.

It starts a throwaway Nomad dev agent on 127.0.0.1 (own ports and data directory) and two webhook
receivers on 127.0.0.1 (threads of this test), puts the first one's URL and a Slack URL full of
quoting traps into the Nomad Variable nomad/jobs/alertmanager, then:
  1. deploys the pack (nomad provider, raw_exec, the alertmanager of tools/build-alertmanager.sh)
     with a webhook and a Slack receiver reading secret_key from that variable, and checks: the
     Nomad checks /-/healthy and /-/ready pass; Nomad rendered each secret into
     secrets/receivers/<name>, byte for byte, mode 0400; the configuration file holds no secret;
  2. posts an alert to Alertmanager's API: the webhook whose URL is in the variable receives it;
  3. changes the URL in the variable to the second receiver: Nomad re-renders the secret file,
     Alertmanager (SIGHUP) delivers the next alert there, with no new job version.
At the end it purges the job and stops the agent by its PID.

    tests/packs/alertmanager/on_nomad.py   (needs nomad, nomad-pack and alertmanager: tools/setup.sh)
"""
import http.server
import json
import os
import stat
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "lib"))
from tools import REPO, tool  # noqa: E402
from nomad_dev import NOMAD, NOMAD_PACK, DevAgent, check, failures, poll, run  # noqa: E402
from nomad_dev import request as api_request  # noqa: E402

SLACK_URL = "https://hooks.example.invalid/services/T0/B1/x?q='a\"b'&t={{ not a template }}&d=${NOMAD_TASK_DIR}"
VARS = """
service_provider = "nomad"
driver           = "raw_exec"
port             = 0
receivers = [
  { name = "hook", type = "webhook", secret_key = "hook_url" },
  { name = "chat", type = "slack", channel = "#alerts", secret_key = "slack_url" },
]
route  = { receiver = "hook", group_wait = "1s", group_interval = "1s" }
routes = [{ receiver = "chat", matchers = ["severity=\\"page-slack\\""] }]
"""


class Webhook:
    """A webhook receiver on 127.0.0.1: remembers the alert names of every notification."""

    def __init__(self):
        self.received = []
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                doc = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                hook.received += [a["labels"]["alertname"] for a in doc["alerts"]]
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/alerts"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def main():
    binary = tool("alertmanager")
    first, second = Webhook(), Webhook()
    agent = DevAgent("alertmanager-on-nomad-")
    try:
        agent.start()
        _, err = poll(agent.ready, 60)
        check(err is None and agent.ready(), f"dev agent ready at {agent.addr}")
        run([NOMAD, "var", "put", "nomad/jobs/alertmanager", f"hook_url={first.url}", f"slack_url={SLACK_URL}"], agent.env)

        with tempfile.TemporaryDirectory() as tmp:
            varfile = os.path.join(tmp, "vars.hcl")
            with open(varfile, "w") as f:
                f.write(VARS)
            run([NOMAD_PACK, "render", os.path.join(REPO, "packs", "alertmanager"), "-f", varfile,
                 "--var", f"binary_path={binary}", "-o", tmp], agent.env)
            run([NOMAD, "job", "run", "-detach", os.path.join(tmp, "alertmanager", "alertmanager.nomad")], agent.env)

        def healthy():
            allocs = [a for a in agent.api("/v1/job/alertmanager/allocations") if a["ClientStatus"] == "running"]
            if not allocs:
                return None
            checks = agent.api(f"/v1/allocation/{allocs[0]['ID']}/checks") or {}
            ok = len(checks) == 2 and all(c["Status"] == "success" for c in checks.values())
            return allocs[0] if ok else None

        alloc, err = poll(healthy, 90)
        check(alloc is not None, f"alertmanager running, checks /-/healthy and /-/ready passing ({err or 'ok'})")
        if alloc is None:
            return
        task_dir = os.path.join(agent.dir, "data", "alloc", alloc["ID"], "alertmanager")
        for name, want in (("hook", first.url), ("chat", SLACK_URL)):
            path = os.path.join(task_dir, "secrets", "receivers", name)
            with open(path) as f:
                got = f.read()
            check(got.strip() == want, f"secrets/receivers/{name} holds the secret from the Nomad Variable ({got.strip()!r})")
            mode = stat.S_IMODE(os.stat(path).st_mode)
            check(mode == 0o400, f"secrets/receivers/{name} has mode {oct(mode)} (0400 wanted)")
        with open(os.path.join(task_dir, "local", "alertmanager.yml")) as f:
            config = f.read()
        check(first.url not in config and "hooks.example.invalid" not in config,
              "local/alertmanager.yml holds no secret, only url_file/api_url_file paths")

        service = agent.api("/v1/service/alertmanager")[0]
        am = f"http://{service['Address']}:{service['Port']}"

        def post_and_wait(hook, alertname):
            api_request(f"{am}/api/v2/alerts", [{"labels": {"alertname": alertname, "severity": "critical"}}], method="POST")
            return poll(lambda: alertname in hook.received, 30)[0]

        check(post_and_wait(first, "OnNomadFirst"), f"an alert posted to {am} reached the webhook in the variable ({first.url})")
        version = agent.api("/v1/job/alertmanager")["Version"]
        run([NOMAD, "var", "put", "-force", "nomad/jobs/alertmanager", f"hook_url={second.url}", f"slack_url={SLACK_URL}"], agent.env)
        path = os.path.join(task_dir, "secrets", "receivers", "hook")
        rerendered, _ = poll(lambda: open(path).read().strip() == second.url, 30)
        check(bool(rerendered), "after nomad var put, Nomad re-rendered secrets/receivers/hook with the new URL")
        time.sleep(2)  # the SIGHUP reload
        check(post_and_wait(second, "OnNomadSecond"), f"the next alert reached the new webhook ({second.url})")
        check("OnNomadSecond" not in first.received, "and not the old one")
        check(agent.api("/v1/job/alertmanager")["Version"] == version, "no new job version: the secret changed in place")
    finally:
        agent.stop(jobs=["alertmanager"], log_tail=20 if failures else 0)
        first.server.shutdown()
        second.server.shutdown()
    print(f"alertmanager on Nomad: {len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

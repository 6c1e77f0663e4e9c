"""A throwaway Nomad dev agent on loopback for the packs' on-Nomad tests (tests/packs/*/on_nomad.py).

The agent is the one tools/cluster.sh runs for `make up` and the e2e lanes (its `agent-up` and
`agent-down` commands): there is one dev-agent implementation. Here it gets free ports and its own
directory, which stop() removes after cluster.sh has stopped the jobs, the agent and anything it
left (executors, mounts). Besides: check() with its failures list, request() of JSON over HTTP,
poll() with a bounded timeout and run() of a command.
"""
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

from tools import REPO, free_port, tool

NOMAD = tool("nomad")
NOMAD_PACK = tool("nomad-pack")
CLUSTER = os.path.join(REPO, "tools", "cluster.sh")

failures = []


def check(ok, msg):
    print(("ok    " if ok else "FAIL  ") + msg, flush=True)
    if not ok:
        failures.append(msg)


def request(url, body=None, method=None):
    """JSON from url (None for an empty answer); with a body, PUT as JSON unless method says otherwise."""
    req = urllib.request.Request(url, method=method or ("PUT" if body is not None else "GET"),
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or "null")


def poll(fn, timeout=60, errors=Exception):
    """Calls fn every second until it returns something true: (that value, None), or after timeout
    seconds (None, the last of the errors it raised). Other exceptions propagate."""
    end, last = time.time() + timeout, None
    while time.time() < end:
        try:
            v = fn()
            if v:
                return v, None
        except errors as e:
            last = e
        time.sleep(1)
    return None, last


def run(cmd, env, timeout=180, error=RuntimeError):
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    if res.returncode != 0:
        raise error(f"{' '.join(cmd)} failed:\n{res.stdout}{res.stderr}")
    return res.stdout


class DevAgent:
    def __init__(self, prefix):
        self.dir = tempfile.mkdtemp(prefix=prefix)
        self.ports = [free_port() for _ in range(3)]
        self.addr = f"http://127.0.0.1:{self.ports[0]}"
        # For the nomad CLI talking to this agent.
        self.env = dict(os.environ, NOMAD_ADDR=self.addr, NO_COLOR="1")

    def _cluster(self, command):
        env = {k: v for k, v in os.environ.items() if not k.startswith("NOMAD_")}
        env.update(CLUSTER_DIR=self.dir, NOMAD=NOMAD, NOMAD_PACK=NOMAD_PACK,
                   NOMAD_HTTP_PORT=str(self.ports[0]), NOMAD_RPC_PORT=str(self.ports[1]),
                   NOMAD_SERF_PORT=str(self.ports[2]))
        return subprocess.run([CLUSTER, command], env=env, capture_output=True, text=True, timeout=300)

    def start(self):
        """Starts the agent and waits (bounded, in cluster.sh) for a leader and a ready client."""
        res = self._cluster("agent-up")
        if res.returncode != 0:
            raise RuntimeError(f"tools/cluster.sh agent-up failed:\n{res.stdout}{res.stderr}")

    def api(self, path, body=None, method=None):
        return request(self.addr + path, body, method)

    def ready(self):
        """True once a client node is ready and there is a leader (for poll)."""
        return (any(n["Status"] == "ready" for n in self.api("/v1/nodes"))
                and bool(self.api("/v1/status/leader")))

    def stop(self, jobs=(), log_tail=0):
        """Purges jobs (in that order), stops the agent and removes its directory; with log_tail,
        prints that many last lines of the agent's log first."""
        for job in jobs:
            try:
                self.api(f"/v1/job/{job}?purge=true", method="DELETE")
            except Exception:
                pass
        if log_tail:
            with open(os.path.join(self.dir, "agent.log")) as f:
                print("agent log tail:\n" + "".join(f.readlines()[-log_tail:]))
        res = self._cluster("agent-down")
        if res.returncode != 0:
            print(f"warning: tools/cluster.sh agent-down failed:\n{res.stdout}{res.stderr}")
        shutil.rmtree(self.dir, ignore_errors=True)

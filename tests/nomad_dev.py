"""A throwaway Nomad dev agent on loopback for the packs' own tests (packs/*/tests/*on_nomad.py).

The agent listens on 127.0.0.1 only, on free ports, with its own data directory, raw_exec enabled
and the cloud fingerprinters off. The helpers around it are the plumbing those tests share: check()
with its failures list, free_port(), request() of JSON over HTTP, poll() with a bounded timeout and
run() of a command. DevAgent.stop() purges the given jobs, stops the agent by its PID (process
group), ends the raw_exec executors it left, unmounts what Nomad mounted under its directory and
removes it.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

CACHE = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
                     "nomad-rust-observability", "bin")
NOMAD = os.environ.get("NOMAD") or os.path.join(CACHE, "nomad-1.11.3")
NOMAD_PACK = os.environ.get("NOMAD_PACK") or os.path.join(CACHE, "nomad-pack-0.4.2")

failures = []


def check(ok, msg):
    print(("ok    " if ok else "FAIL  ") + msg, flush=True)
    if not ok:
        failures.append(msg)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
        self.proc = self.log = None

    def start(self):
        cfg = os.path.join(self.dir, "agent.hcl")
        with open(cfg, "w") as f:
            f.write(f"""
data_dir = "{self.dir}/data"
bind_addr = "127.0.0.1"
disable_update_check = true
ports {{
  http = {self.ports[0]}
  rpc  = {self.ports[1]}
  serf = {self.ports[2]}
}}
client {{
  network_interface                  = "lo"
  bind_wildcard_default_host_network = false
  options = {{ "fingerprint.denylist" = "env_aws,env_gce,env_azure,env_digitalocean" }}
}}
plugin "raw_exec" {{
  config {{ enabled = true }}
}}
""")
        self.log = open(os.path.join(self.dir, "agent.log"), "w")
        env = {k: v for k, v in os.environ.items() if not k.startswith("NOMAD_")}
        self.proc = subprocess.Popen([NOMAD, "agent", "-dev", "-config", cfg], stdout=self.log,
                                     stderr=subprocess.STDOUT, env=env, start_new_session=True)

    def api(self, path, body=None, method=None):
        return request(self.addr + path, body, method)

    def ready(self):
        """True once a client node is ready and there is a leader (for poll)."""
        return (any(n["Status"] == "ready" for n in self.api("/v1/nodes"))
                and bool(self.api("/v1/status/leader")))

    def stop(self, jobs=(), log_tail=0):
        """Purges jobs (in that order), stops the agent and removes its directory; with log_tail,
        prints that many last lines of the agent's log first."""
        if self.proc and self.proc.poll() is None:
            for job in jobs:
                try:
                    self.api(f"/v1/job/{job}?purge=true", method="DELETE")
                except Exception:
                    pass
            time.sleep(3)
            try:
                os.killpg(self.proc.pid, signal.SIGINT)
                self.proc.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if self.log:
            self.log.close()
        # raw_exec executors outlive the agent on purpose: end the ones this agent started.
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read().decode(errors="replace")
            except OSError:
                continue
            if self.dir in cmd:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if log_tail:
            with open(os.path.join(self.dir, "agent.log")) as f:
                print("agent log tail:\n" + "".join(f.readlines()[-log_tail:]))
        # Nomad leaves secrets/ and dev/ mounts in task dirs on some hosts: unmount before removing.
        subprocess.run(["sh", "-c", f"grep -o '{self.dir}[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l"],
                       capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)

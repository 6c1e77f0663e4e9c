"""What every Python test and check shares: the repository root, the tools and other values as
tools/env.sh resolves them (one place for pins and paths), a free loopback port, a job decoded to
JSON by Nomad itself, and the files its template blocks write.
"""
import functools
import json
import os
import socket
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@functools.cache
def find_tool(name):
    """Path of nomad, nomad-pack, consul, prometheus, promtool or envoy: $NOMAD (etc.) when set,
    else a supported one on PATH, else the pinned build (tools/env.sh find_tool); None when there
    is none."""
    var = name.upper().replace("-", "_")
    if os.environ.get(var):
        return os.environ[var]
    res = subprocess.run(["bash", "-c", f'source "{REPO}/tools/env.sh" && find_tool {name} --quiet'],
                         capture_output=True, text=True)
    if res.returncode != 0 or not res.stdout.strip():
        return None
    return res.stdout.split()[0]


@functools.cache
def env_sh(name):
    """The value tools/env.sh gives its variable name (TOOLS_CACHE, a pin such as NOMAD_VERSION) in
    this environment (XDG_CACHE_HOME and HOME count for TOOLS_CACHE)."""
    res = subprocess.run(["bash", "-c", 'source "$1" && printf %s "${!2}"', "env_sh", f"{REPO}/tools/env.sh", name],
                         capture_output=True, text=True, check=True)
    return res.stdout


def tool(name):
    """find_tool, exiting with a hint when there is none."""
    path = find_tool(name)
    if path is None:
        var = name.upper().replace("-", "_")
        sys.exit(f"error: {name} not found (neither ${var}, a supported {name} on PATH, nor the pinned "
                 f"build): run tools/setup.sh (make up and make test run it)")
    return path


def free_port():
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JobError(Exception):
    pass


def job_json(path):
    """The job file at path as Nomad's API JSON ({"Job": ...}), decoded by `nomad job run -output`
    (no agent involved). Raises JobError with Nomad's message when it refuses the file."""
    env = dict(os.environ, NOMAD_ADDR="http://127.0.0.1:1")
    res = subprocess.run([tool("nomad"), "job", "run", "-output", str(path)], capture_output=True,
                         text=True, env=env)
    if res.returncode != 0:
        raise JobError(f"nomad job run -output {path} failed: {res.stderr.strip()}")
    return json.loads(res.stdout)


def templates(job):
    """Every template block of the job's tasks ("Job" of job_json) as (DestPath, EmbeddedTmpl): the
    files Nomad writes into the tasks, with the text the pack rendered into them."""
    return [(tpl["DestPath"], tpl["EmbeddedTmpl"] or "") for g in job["TaskGroups"] for t in g["Tasks"]
            for tpl in t.get("Templates") or []]


def template_text(job, dest):
    """The text of the template block that writes dest (its DestPath) in the job: None when no task
    writes dest, JobError when several do (then it is ambiguous which one is meant)."""
    texts = [text for d, text in templates(job) if d == dest]
    if len(texts) > 1:
        raise JobError(f"{len(texts)} template blocks write {dest}, expected one")
    return texts[0] if texts else None

"""Runs the efk pack's poststart scripts (as the rendered job deploys them) with the real sh and curl.

Kibana and Elasticsearch cannot run on this machine, so each script talks to a small recording
HTTP server on 127.0.0.1 that answers like the few API calls the script makes. What is tested is
the scripts' own behaviour — waiting until the API answers, creating the data view only when it
is missing (idempotence), failing loudly on unexpected answers, and sending the elastic
password (with quotes and backslashes in it) correctly through curl's config syntax — not
Kibana or Elasticsearch themselves.

    python3 -m pytest -q tests/packs/efk/test_scripts.py
"""
import base64
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "lib"))
from tools import REPO, job_json, template_text, tool  # noqa: E402

PACK = os.path.join(REPO, "packs", "efk")
NOMAD_PACK = tool("nomad-pack")
PASSWORD = 'pa"ss\\word&<x> $HOME'


class Recorder(ThreadingHTTPServer):
    """Answers from a routing function (method, path) -> (status, body) and records every request."""

    def __init__(self, route):
        self.route, self.requests = route, []

        class Handler(BaseHTTPRequestHandler):
            def _any(handler):
                length = int(handler.headers.get("Content-Length") or 0)
                body = handler.rfile.read(length).decode() if length else ""
                self.requests.append({"method": handler.command, "path": handler.path,
                                      "headers": dict(handler.headers), "body": body})
                status, out = self.route(handler.command, handler.path)
                data = json.dumps(out).encode()
                handler.send_response(status)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", str(len(data)))
                handler.end_headers()
                handler.wfile.write(data)

            do_GET = do_POST = do_PUT = _any

            def log_message(handler, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """A folder with the scripts the job rendered with security on deploys (its local/*.sh)."""
    if not os.access(NOMAD_PACK, os.X_OK):
        pytest.fail(f"nomad-pack not found at {NOMAD_PACK} (make tools, or set NOMAD_PACK)")
    out = tmp_path_factory.mktemp("render")
    r = subprocess.run([NOMAD_PACK, "render", PACK, "-o", str(out), "-f",
                        os.path.join(PACK, "examples", "vars-security-consul.hcl")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    job = job_json(out / "efk" / "efk.nomad")["Job"]
    for script in ("data-view.sh", "security-setup.sh"):
        text = template_text(job, f"local/{script}")
        assert text is not None, f"no template of the job writes local/{script}"
        (out / script).write_text(text)
    return out


@pytest.fixture
def secrets(tmp_path):
    (tmp_path / "elastic_password").write_text(PASSWORD + "\n")
    (tmp_path / "kibana_system.json").write_text(json.dumps({"password": "k"}) + "\n")
    (tmp_path / "fluentd_user.json").write_text(json.dumps({"password": "f", "roles": ["efk_log_writer"]}) + "\n")
    return tmp_path


def run(script, **env):
    return subprocess.run(["sh", str(script)], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, **env))


def basic_auth(req):
    kind, _, value = req["headers"].get("Authorization", "").partition(" ")
    assert kind == "Basic", req
    return base64.b64decode(value).decode()


def kibana(state):
    def route(method, path):
        if path == "/api/status":
            state["status_calls"] += 1
            return (200, {}) if state["status_calls"] > state["unavailable"] else (503, {})
        if path == "/api/saved_objects/index-pattern/log-star":
            if method == "GET":
                return (state["get_error"], {}) if state["get_error"] else ((200, {}) if state["exists"] else (404, {}))
            state["exists"] = True
            return 200, {"id": "log-star"}
        if path == "/api/kibana/settings":
            return 200, {}
        return 404, {}
    return route


def test_data_view_is_created_once_kibana_answers_with_the_password_intact(rendered, secrets):
    state = {"status_calls": 0, "unavailable": 1, "exists": False, "get_error": 0}
    srv = Recorder(kibana(state))
    try:
        r = run(rendered / "data-view.sh", KIBANA_URL=srv.url, NOMAD_SECRETS_DIR=str(secrets))
    finally:
        srv.shutdown()
    assert r.returncode == 0, r.stderr
    assert state["status_calls"] == 2  # waited through one 503
    posts = [q for q in srv.requests if q["method"] == "POST"]
    assert [q["path"] for q in posts] == ["/api/saved_objects/index-pattern/log-star", "/api/kibana/settings"]
    assert json.loads(posts[0]["body"]) == {"attributes": {"title": "log-*", "timeFieldName": "@timestamp"}}
    assert json.loads(posts[1]["body"]) == {"changes": {"defaultIndex": "log-star"}}
    assert all(q["headers"].get("kbn-xsrf") for q in posts)
    assert {basic_auth(q) for q in srv.requests} == {"elastic:" + PASSWORD}


def test_data_view_that_exists_is_left_alone(rendered, secrets):
    state = {"status_calls": 0, "unavailable": 0, "exists": True, "get_error": 0}
    srv = Recorder(kibana(state))
    try:
        r = run(rendered / "data-view.sh", KIBANA_URL=srv.url, NOMAD_SECRETS_DIR=str(secrets))
    finally:
        srv.shutdown()
    assert r.returncode == 0, r.stderr
    assert "exists, nothing to do" in r.stdout
    assert not [q for q in srv.requests if q["method"] != "GET"]


def test_data_view_fails_loudly_on_an_unexpected_answer(rendered, secrets):
    state = {"status_calls": 0, "unavailable": 0, "exists": False, "get_error": 500}
    srv = Recorder(kibana(state))
    try:
        r = run(rendered / "data-view.sh", KIBANA_URL=srv.url, NOMAD_SECRETS_DIR=str(secrets))
    finally:
        srv.shutdown()
    assert r.returncode == 1
    assert "unexpected HTTP 500" in r.stderr


def test_data_view_without_security_sends_no_credentials(rendered, tmp_path):
    state = {"status_calls": 0, "unavailable": 0, "exists": False, "get_error": 0}
    srv = Recorder(kibana(state))
    try:
        r = run(rendered / "data-view.sh", KIBANA_URL=srv.url, NOMAD_SECRETS_DIR=str(tmp_path))
    finally:
        srv.shutdown()
    assert r.returncode == 0, r.stderr
    assert not [q for q in srv.requests if "Authorization" in q["headers"]]


def test_security_setup_sets_passwords_role_and_user_as_elastic(rendered, secrets):
    def route(method, path):
        if path.startswith("/_cluster/health"):
            return 200, {"status": "yellow"}
        return (200, {}) if method == "PUT" else (404, {})
    srv = Recorder(route)
    try:
        r = run(rendered / "security-setup.sh", ES_URL=srv.url, NOMAD_SECRETS_DIR=str(secrets))
    finally:
        srv.shutdown()
    assert r.returncode == 0, r.stderr
    puts = {q["path"]: q["body"] for q in srv.requests if q["method"] == "PUT"}
    assert json.loads(puts["/_security/user/kibana_system/_password"]) == {"password": "k"}
    assert json.loads(puts["/_security/user/fluentd"]) == {"password": "f", "roles": ["efk_log_writer"]}
    role = json.loads(puts["/_security/role/efk_log_writer"])
    assert role["indices"] == [{"names": ["log-*"], "privileges": ["create_index", "create_doc", "write", "view_index_metadata"]}]
    assert {basic_auth(q) for q in srv.requests} == {"elastic:" + PASSWORD}


def test_security_setup_stops_when_elasticsearch_refuses(rendered, secrets):
    def route(method, path):
        if path.startswith("/_cluster/health"):
            return 200, {"status": "yellow"}
        return 401, {"error": "unauthorized"}
    srv = Recorder(route)
    try:
        r = run(rendered / "security-setup.sh", ES_URL=srv.url, NOMAD_SECRETS_DIR=str(secrets))
    finally:
        srv.shutdown()
    assert r.returncode == 1
    assert len([q for q in srv.requests if q["method"] == "PUT"]) == 1

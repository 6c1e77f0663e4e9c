"""tests/packs/krakend/check holds the gateway's configuration to KrakenD's published JSON schema.

The pack is rendered with its defaults; the job's krakend.json is then broken in ways only the
schema knows about (KrakenD refuses unknown root keys; the check's own structure rules do not
look at them) and the check must refuse it with the schema's message, naming the job's template.
Without a schema folder at hand the check downloads the files it needs into the tool cache: the
tests serve a copy of the schema on 127.0.0.1 laid out as KrakenD's site serves it.

    python3 -m pytest -q tests/packs/krakend/test_schema.py
"""
import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "lib"))
from tools import REPO, free_port, tool  # noqa: E402

CHECK = os.path.join(REPO, "tests", "packs", "krakend", "check")
WHERE = "krakend.nomad (template local/krakend.json)"
VERSION = "v2.13"  # the version the pack's krakend.json names in "$schema"


@pytest.fixture(scope="module")
def job_text(tmp_path_factory):
    out = tmp_path_factory.mktemp("render")
    r = subprocess.run([tool("nomad-pack"), "render", os.path.join(REPO, "packs", "krakend"), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    return (out / "krakend" / "krakend.nomad").read_text()


def run_check(tmp_path, job_text, **env):
    """The check on job_text, with env added to the environment (None takes a variable away)."""
    (tmp_path / "krakend.nomad").write_text(job_text)
    environ = {k: v for k, v in dict(os.environ, NOMAD_ADDR="http://127.0.0.1:1", **env).items() if v is not None}
    return subprocess.run([CHECK, str(tmp_path), "test"], capture_output=True, text=True, timeout=120, env=environ)


def without_a_schema_at_hand(cache_home, site):
    """The environment of a clone with no schema folder beside it: no KRAKEND_SCHEMA_DIR, the
    reference folder pointed nowhere, the tool cache under cache_home, the schema served at site.
    Moving the tool cache hides the pinned builds: nomad is passed as found here; the check then
    finds no gateway or Envoy build and says it skips the live run, which these tests do not need."""
    return dict(KRAKEND_SCHEMA_DIR=None, KRAKEND_SCHEMA_REFERENCE=str(cache_home / "no-reference"),
                XDG_CACHE_HOME=str(cache_home), KRAKEND_SCHEMA_URL=site, NOMAD=tool("nomad"))


def schema_cache(cache_home):
    """Where the check keeps the downloaded schema: the tool cache of tools/env.sh."""
    return cache_home / "nomad-rust-observability" / "krakend-schema" / VERSION


def reference_schema():
    """The schema folder the check reads when one is at hand (KRAKEND_SCHEMA_DIR, else the reference
    copy beside the repository), or None."""
    d = Path(os.environ.get("KRAKEND_SCHEMA_DIR") or Path(os.environ.get("KRAKEND_SCHEMA_REFERENCE")
                                                          or Path(REPO).parent / "shared/reference/krakend-schema") / VERSION)
    return d if (d / "_root.json").is_file() else None


class Site(http.server.SimpleHTTPRequestHandler):
    """Serves a folder, recording each path asked for in the server's `asked`."""

    def do_GET(self):
        self.server.asked.append(self.path)
        super().do_GET()

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(folder):
    """folder served on a free loopback port from a thread: yields (base URL, paths asked); stopped on exit."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Site, directory=str(folder)))
    server.asked = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", server.asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_rendered_configuration_is_valid_by_the_schema(tmp_path, job_text):
    r = run_check(tmp_path, job_text)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "valid by KrakenD's v2.13 schema" in r.stdout


def test_an_unknown_root_key_is_refused_with_the_schemas_message(tmp_path, job_text):
    assert '"version": 3,' in job_text
    r = run_check(tmp_path, job_text.replace('"version": 3,', '"version": 3,\n  "listen_port": 8080,', 1))
    assert r.returncode == 1, r.stdout + r.stderr
    assert (f"{WHERE}: refused by KrakenD's v2.13 schema at $: 'listen_port' does not match any of the "
            "regexes") in r.stdout


def test_a_value_of_the_wrong_type_is_refused_with_the_schemas_message(tmp_path, job_text):
    assert '"name": "krakend",' in job_text
    r = run_check(tmp_path, job_text.replace('"name": "krakend",', '"name": ["krakend"],', 1))
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"{WHERE}: refused by KrakenD's v2.13 schema at $.name: ['krakend'] is not of type 'string'" in r.stdout


def test_without_the_schema_or_the_network_the_check_says_where_to_get_it(tmp_path, job_text):
    closed = f"http://127.0.0.1:{free_port()}/"
    r = run_check(tmp_path, job_text, **without_a_schema_at_hand(tmp_path / "cache", closed))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "https://www.krakend.io/schema/v2.13/" in r.stderr and "KRAKEND_SCHEMA_DIR" in r.stderr
    assert f"cannot download {closed}v2.13/krakend.json" in r.stderr


def test_a_schema_dir_without_the_schema_is_refused_not_bypassed(tmp_path, job_text):
    env = without_a_schema_at_hand(tmp_path / "cache", f"http://127.0.0.1:{free_port()}/")
    r = run_check(tmp_path, job_text, **dict(env, KRAKEND_SCHEMA_DIR=str(tmp_path / "nowhere")))
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"KRAKEND_SCHEMA_DIR={tmp_path / 'nowhere'} does not hold KrakenD's v2.13 schema" in r.stderr
    assert "https://www.krakend.io/schema/v2.13/" in r.stderr
    assert "downloading" not in r.stderr and "cannot download" not in r.stderr


def test_without_a_schema_at_hand_the_check_downloads_what_it_needs_once_then_runs_offline(tmp_path, job_text):
    reference = reference_schema()
    if reference is None:
        pytest.skip(f"no copy of KrakenD's {VERSION} schema to serve (KRAKEND_SCHEMA_DIR, or "
                    f"../shared/reference/krakend-schema/{VERSION} beside the repository)")
    site = tmp_path / "site"
    shutil.copytree(reference, site / VERSION)
    (site / VERSION / "_root.json").rename(site / VERSION / "krakend.json")  # as www.krakend.io serves it
    cache_home = tmp_path / "cache"
    with serve(site) as (url, asked):
        online = run_check(tmp_path, job_text, **without_a_schema_at_hand(cache_home, url))
    offline = run_check(tmp_path, job_text, **without_a_schema_at_hand(cache_home, url))  # the server is stopped
    cached = sorted(str(p.relative_to(schema_cache(cache_home))) for p in schema_cache(cache_home).rglob("*") if p.is_file())
    assert online.returncode == 0, online.stdout + online.stderr
    assert "valid by KrakenD's v2.13 schema" in online.stdout
    assert f"downloading the files of KrakenD's v2.13 schema that the configuration needs from {url}v2.13/" in online.stderr
    assert "_root.json" in cached and len(cached) > 1
    # Each file fetched once, every one fetched kept, and only what the $refs reach: not the whole schema.
    assert sorted(asked) == sorted(f"/{VERSION}/" + ("krakend.json" if f == "_root.json" else f) for f in cached)
    assert len(cached) < sum(1 for p in reference.rglob("*.json"))
    assert offline.returncode == 0, offline.stdout + offline.stderr
    assert "valid by KrakenD's v2.13 schema" in offline.stdout and "downloading" not in offline.stderr


def test_a_failed_download_exits_naming_the_url_and_the_ways_out_and_caches_nothing(tmp_path, job_text):
    (tmp_path / "empty").mkdir()
    cache_home = tmp_path / "cache"
    with serve(tmp_path / "empty") as (url, asked):
        r = run_check(tmp_path, job_text, **without_a_schema_at_hand(cache_home, url))
    assert r.returncode == 1, r.stdout + r.stderr
    assert asked == ["/v2.13/krakend.json"]
    assert f"cannot download {url}v2.13/krakend.json" in r.stderr and "HTTP Error 404" in r.stderr
    assert "KRAKEND_SCHEMA_DIR" in r.stderr and "can be reached" in r.stderr
    assert not schema_cache(cache_home).exists() or not any(schema_cache(cache_home).iterdir())


def test_a_reference_copy_fills_the_cache_so_a_clone_elsewhere_runs_offline(tmp_path, job_text):
    reference = reference_schema()
    if reference is None:
        pytest.skip(f"no copy of KrakenD's {VERSION} schema at hand (KRAKEND_SCHEMA_DIR, or "
                    f"../shared/reference/krakend-schema/{VERSION} beside the repository)")
    shutil.copytree(reference, tmp_path / "reference" / VERSION)
    cache_home, closed = tmp_path / "cache", f"http://127.0.0.1:{free_port()}/"
    env = without_a_schema_at_hand(cache_home, closed)
    beside = run_check(tmp_path, job_text, **dict(env, KRAKEND_SCHEMA_REFERENCE=str(tmp_path / "reference")))
    elsewhere = run_check(tmp_path, job_text, **env)  # no reference, no site: only the cache
    assert beside.returncode == 0, beside.stdout + beside.stderr
    assert sorted(p.relative_to(schema_cache(cache_home)) for p in schema_cache(cache_home).rglob("*.json")) == \
        sorted(p.relative_to(reference) for p in reference.rglob("*.json"))
    assert elsewhere.returncode == 0, elsewhere.stdout + elsewhere.stderr
    assert "valid by KrakenD's v2.13 schema" in elsewhere.stdout and "download" not in elsewhere.stderr

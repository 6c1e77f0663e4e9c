"""tests/packs/krakend/check holds the gateway's configuration to KrakenD's published JSON schema.

The pack is rendered with its defaults; the job's krakend.json is then broken in ways only the
schema knows about (KrakenD refuses unknown root keys; the check's own structure rules do not
look at them) and the check must refuse it with the schema's message, naming the job's template.

    python3 -m pytest -q tests/packs/krakend/test_schema.py
"""
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "lib"))
from tools import REPO, tool  # noqa: E402

CHECK = os.path.join(REPO, "tests", "packs", "krakend", "check")
WHERE = "krakend.nomad (template local/krakend.json)"


@pytest.fixture(scope="module")
def job_text(tmp_path_factory):
    out = tmp_path_factory.mktemp("render")
    r = subprocess.run([tool("nomad-pack"), "render", os.path.join(REPO, "packs", "krakend"), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    return (out / "krakend" / "krakend.nomad").read_text()


def run_check(tmp_path, job_text, **env):
    (tmp_path / "krakend.nomad").write_text(job_text)
    return subprocess.run([CHECK, str(tmp_path), "test"], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, NOMAD_ADDR="http://127.0.0.1:1", **env))


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


def test_without_the_schema_the_check_says_where_to_get_it(tmp_path, job_text):
    r = run_check(tmp_path, job_text, KRAKEND_SCHEMA_DIR=str(tmp_path / "nowhere"))
    assert r.returncode == 1
    assert "https://www.krakend.io/schema/v2.13/" in r.stderr and "KRAKEND_SCHEMA_DIR" in r.stderr

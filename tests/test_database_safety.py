"""The tests never touch a real database (issue 12, point 12).

A developer with production credentials in the shell runs part of this suite: a
"production" server (a private SecantusDB here) behind ``MONGO_URI`` holding the archive
in ``unsmil`` must come out untouched, and a dedicated ``UNSMIL_TEST_MONGO_URI`` equal
to ``MONGO_URI`` is refused.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pymongo

from tests.fixtures_mongo import TEST_URI_ENV

REPO = Path(__file__).resolve().parent.parent
SUBSET = ["tests/test_cli.py", "tests/test_health.py",
          "-k", "export_csv or status_lists or run_once or command_against_real_database"]


def _pytest(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300)


def test_tests_run_with_production_credentials_leave_production_alone(secantus_factory) -> None:
    production = secantus_factory()
    client = pymongo.MongoClient(production.uri)
    client.unsmil.articles.insert_one({"url": "https://example.org/kept", "title": "kept"})
    client.unsmil.crawl_runs.insert_one({"_id": "prod-run", "status": "finished"})
    env = {**os.environ, "MONGO_URI": production.uri, "MONGO_DATABASE": "unsmil"}
    env.pop(TEST_URI_ENV, None)

    result = _pytest(env, *SUBSET)
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout and "deselected" in result.stdout

    assert set(client.list_database_names()) - {"admin", "config", "local"} == {"unsmil"}
    assert list(client.unsmil.articles.find({}, {"_id": 0})) == [
        {"url": "https://example.org/kept", "title": "kept"}]
    assert [r["_id"] for r in client.unsmil.crawl_runs.find()] == ["prod-run"]
    client.close()


def test_a_test_uri_equal_to_the_production_uri_is_refused(tmp_path: Path) -> None:
    uri = "mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300"
    env = {**os.environ, "MONGO_URI": uri, TEST_URI_ENV: uri}
    result = _pytest(env, "tests/test_health.py", "-k", "command_against_real_database")
    assert result.returncode != 0
    assert f"{TEST_URI_ENV} is the same as MONGO_URI" in result.stdout + result.stderr


def test_the_session_database_name_is_never_the_production_default() -> None:
    assert os.environ["MONGO_DATABASE"] != "unsmil"
    assert "MONGO_URI" not in os.environ
    assert Path(os.environ["MONGO_LOCAL_DATA_DIR"]).resolve() != (REPO / "var/secantus").resolve()

"""Deploying to a real scrapyd (issue 12, point 4): egg, entry point, schedule, stored articles.

Starts ``scrapyd`` on a free 127.0.0.1 port with its own directories, deploys this project
with ``scrapyd-deploy`` (scrapyd-client) exactly as deploy/README.md says, schedules a
crawl of the offline site through ``schedule.json`` and finds the articles in the test's
own database. MongoDB reaches the crawl through scrapyd's environment, as documented.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.crawl_harness import FAST, REPO
from unsmil_crawler.storage.local_server import free_port, port_open

pytestmark = [pytest.mark.slow, pytest.mark.integration]
BIN = Path(sys.executable).parent


def api(base: str, endpoint: str, data: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"{base}/{endpoint}", data=body, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def scrapyd(tmp_path: Path, mongo_uri: str, mongo_db: Any) -> Iterator[str]:
    """A scrapyd whose environment holds MONGO_URI / MONGO_DATABASE, as in deploy/README.md."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\nbind_address = 127.0.0.1\n"
        f"http_port = {port}\neggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\n"
        f"dbs_dir = {home / 'dbs'}\nitems_dir =\nmax_proc = 1\npoll_interval = 0.5\n"
    )
    env = {**os.environ, "MONGO_URI": mongo_uri, "MONGO_DATABASE": mongo_db.name}
    proc = subprocess.Popen([str(BIN / "scrapyd")], cwd=home, env=env,
                            stdout=subprocess.DEVNULL, stderr=(home / "scrapyd.err").open("w"))
    try:
        deadline = time.monotonic() + 30
        while not port_open("127.0.0.1", port):
            assert proc.poll() is None and time.monotonic() < deadline, (
                (home / "scrapyd.err").read_text())
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(30)


def test_deploy_to_scrapyd_and_crawl_the_offline_site(
    scrapyd: str, fresh_site_server, mongo_db: Any, tmp_path: Path
) -> None:
    server = fresh_site_server(faults=False)
    config = tmp_path / "xdg"
    config.mkdir()
    # A deploy target beside the repository's own [deploy] (user config, as Scrapy reads it).
    (config / "scrapy.cfg").write_text(f"[deploy:test]\nurl = {scrapyd}/\n"
                                       "project = unsmil_crawler\n")
    deploy = subprocess.run(
        [str(BIN / "scrapyd-deploy"), "test", "--version", "r1"], cwd=REPO,
        env={**os.environ, "XDG_CONFIG_HOME": str(config)},
        capture_output=True, text=True, timeout=300,
    )
    assert deploy.returncode == 0, deploy.stderr
    assert '"status": "ok"' in deploy.stdout, deploy.stdout + deploy.stderr
    assert "Automatically created" not in (REPO / "setup.py").read_text(), (
        "the repository's setup.py was used, not one generated (that breaks ruff)")
    assert api(scrapyd, "listspiders.json?project=unsmil_crawler")["spiders"] == ["unsmil_news"]

    data = [("project", "unsmil_crawler"), ("spider", "unsmil_news"), ("mode", "full"),
            ("lang", "en"), ("base_url", server.url)]
    data += [("setting", f"{k}={v}") for k, v in FAST.items()]
    job = api(scrapyd, "schedule.json", data)
    assert job["status"] == "ok", job
    deadline = time.monotonic() + 240
    while True:
        jobs = api(scrapyd, "listjobs.json?project=unsmil_crawler")
        if any(j["id"] == job["jobid"] for j in jobs["finished"]):
            break
        assert time.monotonic() < deadline, jobs
        time.sleep(1)

    stored = mongo_db.articles.count_documents({"lang": "en"})
    assert stored > 100, f"scrapyd's crawl stored {stored} articles"
    runs = list(mongo_db.crawl_runs.find())
    assert [(r["status"], r["mode"]) for r in runs] == [("finished", "full")]

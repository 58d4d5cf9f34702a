"""Issue 5: a daily incremental run costs about one request per new article and misses nothing.

Full crawl, the site switches to its updated state (new articles at the newest end, one
body edited, one article deleted), then an incremental run; the site's own request log
is the judge of what the run cost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pymongo
import pytest

from tests.crawl_harness import REPO, run_crawl

pytestmark = pytest.mark.integration
K = 3
WINDOW = 30


def _settings(mongo_uri: str, db: str) -> dict[str, str]:
    return {"MONGO_URI": mongo_uri, "MONGO_DATABASE": db, "INCREMENTAL_KNOWN_STREAK": str(K),
            "INCREMENTAL_RECHECK": str(WINDOW)}


def test_incremental_run_after_site_update(site, fresh_site_server, mongo_uri, tmp_path):
    server = fresh_site_server(faults=False)
    settings = _settings(mongo_uri, "incremental")
    full = run_crawl(server.url, tmp_path / "full", mode="full", settings=settings)
    assert full.returncode == 0, full.log[-3000:]

    server.set_state("updated")
    server.clear_log()
    inc = run_crawl(server.url, tmp_path / "inc", mode="incremental", settings=settings)
    assert inc.returncode == 0, inc.log[-3000:]

    db = pymongo.MongoClient(mongo_uri)["incremental"]
    changes = site.changes()
    base = server.url
    stored = {d["url"] for d in db.articles.find({}, {"url": 1})}
    assert {base + p for p in changes["new"]} <= stored
    edited = db.articles.find_one({"url": base + changes["edited"]})
    assert edited["revision"] == 2
    assert db.article_revisions.count_documents({"url": base + changes["edited"]}) == 1
    assert db.articles.find_one({"url": base + changes["deleted"]})["gone_since"] is not None
    expected_now = {base + a.path for a in site.expected("updated")}
    assert expected_now <= stored

    requests = server.requests
    discovery_pages = [r for r in requests if "rss.xml" in r.path or "all-press-releases" in r.path]
    budget = len(changes["new"]) + 2 * K + len(discovery_pages) + 2 * WINDOW + 1  # + robots.txt
    assert len(requests) <= budget, (len(requests), budget)
    assert len(requests) < full.stat("downloader/request_count") / 4
    assert inc.stat("mongo/articles_new") == len(changes["new"])
    assert inc.stat("mongo/articles_updated") == 1


def test_killed_full_crawl_resumes_to_the_same_documents(site, fresh_site_server, mongo_uri,
                                                         tmp_path):
    server = fresh_site_server(faults=False, latency=0.02)
    settings = _settings(mongo_uri, "resume")
    settings["JOBDIR"] = str(tmp_path / "jobdir")
    settings["MONGO_BATCH_SIZE"] = "20"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "unsmil_news", "-a", f"base_url={server.url}",
           "-a", "mode=full", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"]
    for name, value in settings.items():
        cmd += ["-s", f"{name}={value}"]
    proc = subprocess.Popen(cmd, cwd=REPO, env=os.environ.copy(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = pymongo.MongoClient(mongo_uri)["resume"]
    deadline = time.monotonic() + 60
    while db.articles.estimated_document_count() < 150 and time.monotonic() < deadline:
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = db.articles.count_documents({})
    assert 0 < partial < len(site.expected("initial"))

    again = run_crawl(server.url, tmp_path / "again", mode="full", settings=settings)
    assert again.returncode == 0, again.log[-3000:]
    docs = list(db.articles.find({}, {"_id": 0, "url": 1, "title": 1, "body": 1, "revision": 1}))
    urls = [d["url"] for d in docs]
    assert len(urls) == len(set(urls))
    expected = {server.url + a.path for a in site.expected("initial") if not a.duplicate_of}
    assert set(urls) == expected
    assert all(d["revision"] == 1 for d in docs)

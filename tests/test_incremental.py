"""Issue 5: a daily incremental run costs about one request per new article and misses nothing.

Full crawl, the site switches to its updated state (new articles at the newest end, one
body edited, one article deleted), then an incremental run; the site's own request log
is the judge of what the run cost.
"""

from __future__ import annotations

import signal
import time

import pymongo
import pytest

from tests.crawl_harness import run_crawl, start_crawl, stored_documents
from tests.fixtures_crawl import FULL_CRAWL_DB
from tests.fixtures_mongo import throwaway_name
from unsmil_crawler.sites.unsmil import UNSMIL

pytestmark = pytest.mark.integration
K = 3
WINDOW = 30


def _settings(mongo_uri: str, db: str) -> dict[str, str]:
    return {"MONGO_URI": mongo_uri, "MONGO_DATABASE": db, "INCREMENTAL_KNOWN_STREAK": str(K),
            "INCREMENTAL_RECHECK": str(WINDOW)}


def test_incremental_run_after_site_update(site, fresh_site_server, mongo_uri, tmp_path):
    server = fresh_site_server(faults=False)
    settings = _settings(mongo_uri, throwaway_name("incremental"))
    full = run_crawl(server.url, tmp_path / "full", mode="full", settings=settings)
    assert full.returncode == 0, full.log[-3000:]

    server.set_state("updated")
    server.clear_log()
    inc = run_crawl(server.url, tmp_path / "inc", mode="incremental", settings=settings)
    assert inc.returncode == 0, inc.log[-3000:]

    db = pymongo.MongoClient(mongo_uri)[throwaway_name("incremental")]
    changes = site.changes()
    base = server.url
    stored = {d["url"] for d in db.articles.find({}, {"url": 1})}
    assert {base + p for p in changes["new"]} <= stored
    edited = db.articles.find_one({"url": base + changes["edited"]})
    assert edited["revision"] == 2
    assert db.article_revisions.count_documents({"url": base + changes["edited"]}) == 1
    assert db.articles.find_one({"url": base + changes["deleted"]})["gone_since"] is not None
    expected_now = {base + a.path for a in site.expected("updated") if not a.duplicate_of}
    assert expected_now <= stored

    requests = server.requests
    # First listing page and the feeds of each language, nothing more.
    discovery_pages = sum(1 + len(UNSMIL.feed_paths[lang]) for lang in UNSMIL.languages)
    assert len([r for r in requests if "rss.xml" in r.path or "press-releases" in r.path]) \
        == discovery_pages
    budget = len(changes["new"]) + 2 * K + discovery_pages + 2 * WINDOW + 1  # + robots.txt
    assert len(requests) <= budget, (len(requests), budget)
    assert len(requests) < full.stat("downloader/request_count") / 4
    assert inc.stat("mongo/articles_new") == len(changes["new"])
    assert inc.stat("mongo/articles_updated") == 1


def test_killed_full_crawl_resumes_to_the_same_documents(site_server, full_crawl, mongo_uri,
                                                         tmp_path):
    """kill -9 midway, run again: the same documents as the session's uninterrupted crawl."""
    site_server.reset()
    settings = _settings(mongo_uri, throwaway_name("resume"))
    settings.update(JOBDIR=str(tmp_path / "jobdir"), MONGO_BATCH_SIZE="20")
    proc = start_crawl(site_server.url, tmp_path / "killed", mode="full", settings=settings)
    client = pymongo.MongoClient(mongo_uri, tz_aware=True)
    deadline = time.monotonic() + 60
    while client[throwaway_name("resume")].articles.estimated_document_count() < 150:
        assert time.monotonic() < deadline and proc.poll() is None, "crawl never got going"
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    whole = stored_documents(client[FULL_CRAWL_DB])
    assert 0 < client[throwaway_name("resume")].articles.count_documents({}) < len(whole)

    again = run_crawl(site_server.url, tmp_path / "again", mode="full", settings=settings)
    assert again.returncode == 0, again.log[-3000:]
    assert again.stat("jobdir/discarded_unclean") == 1
    resumed = stored_documents(client[throwaway_name("resume")])
    assert resumed.keys() == whole.keys()
    assert [u for u in whole if resumed[u] != whole[u]] == []
    assert client[throwaway_name("resume")].articles.count_documents({}) == len(whole)  # none twice

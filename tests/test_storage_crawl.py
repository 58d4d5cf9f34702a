"""Issue 3 end to end: the real spider on the offline site into the real MongoDB-wire server."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime

import pymongo
import pytest

from tests.crawl_harness import collect, run_crawl, start_crawl, stored_documents
from tests.fixtures_crawl import FULL_CRAWL_DB
from unsmil_crawler.text.clean import FORBIDDEN_CHARS

pytestmark = pytest.mark.integration
RUN_STATS = {"requests", "responses", "pages_by_status", "articles_new", "articles_updated",
             "articles_unchanged", "duplicates", "near_duplicates", "rejected", "errors",
             "rendered", "neighbours"}


@pytest.fixture
def full_db(full_crawl, mongo_uri):
    return pymongo.MongoClient(mongo_uri, tz_aware=True)[FULL_CRAWL_DB]


def test_articles_match_the_contract(site, site_server, full_crawl, full_db):
    base = site_server.url
    expected = {base + a.path: a for a in site.expected("initial")}
    docs = {d["url"]: d for d in full_db.articles.find()}
    assert docs.keys() == {url for url, a in expected.items() if not a.duplicate_of}
    run_id = full_crawl.stats["run_id"]
    gone = {base + href for _, href in site.broken_links()}
    for url, doc in docs.items():
        article = expected[url]
        assert doc["lang"] == article.lang and doc["title"] == article.title
        assert doc["published"] == datetime.combine(article.published, datetime.min.time(), UTC)
        assert doc["body"] == "\n\n".join(article.paragraphs)
        assert not FORBIDDEN_CHARS.intersection(doc["title"] + doc["body"].replace("\n", ""))
        assert doc["content_hash"] == hashlib.sha256(doc["body_norm"].encode()).hexdigest()
        assert base + article.node_path in doc["aliases"]
        assert doc["translations"] == {k: base + v for k, v in article.translations.items()}
        assert doc["revision"] == 1 and doc["run_id"] == run_id
        assert doc["rendered"] is article.js_body
        assert doc["first_seen"] <= doc["last_seen"] and doc["updated_at"]
        for link in ("prev_url", "next_url"):  # canonical: aliases resolved to their document
            assert link in doc and (doc[link] is None or doc[link] in docs or doc[link] in gone)
    original, republish = next((a.duplicate_of, a.path) for a in expected.values()
                               if a.duplicate_of)
    assert base + republish in docs[base + original]["aliases"]
    reissue = next(a for a in expected.values() if a.near_duplicate_of)
    assert docs[base + reissue.path]["near_duplicate_of"] == base + reissue.near_duplicate_of
    assert [u for u, d in docs.items() if d.get("near_duplicate_of")] == [base + reissue.path]
    # The one archived version a single crawl may leave: the republish, when it was stored
    # before its original arrived and superseded it (fetch order varies run to run).
    archived = full_db.article_revisions.find({}, {"_id": 0, "url": 1, "superseded_by": 1})
    assert all((r["url"], r.get("superseded_by")) == (base + republish, base + original)
               for r in archived)
    assert full_db.rejects.count_documents({}) == 0


def test_crawl_run_is_recorded(full_crawl, full_db):
    run = full_db.crawl_runs.find_one({"_id": full_crawl.stats["run_id"]})
    assert run["status"] == "finished" and run["finish_reason"] == "finished"
    assert run["spider"] == "unsmil_news" and run["mode"] == "full" and run["site"] == "unsmil"
    assert {d["site"] for d in full_db.articles.find({}, {"site": 1})} == {"unsmil"}
    assert run["started_at"] <= run["finished_at"]
    assert run["stats"].keys() >= RUN_STATS
    stats = run["stats"]
    superseded = full_db.article_revisions.count_documents({"superseded_by": {"$ne": None}})
    assert stats["articles_new"] == full_db.articles.count_documents({}) + superseded
    assert stats["requests"] == full_crawl.stat("downloader/request_count")
    assert (stats["duplicates"], stats["near_duplicates"], stats["rendered"]) == (1, 1, 3)
    assert stats["pages_by_status"]["200"] > 600
    # Every article of the site links at least one neighbour, on every template it serves.
    chain = stats["neighbours"]
    assert chain["parsed"] >= full_db.articles.count_documents({}) and chain["none"] == 0
    assert min(chain["with_prev"], chain["with_next"]) >= chain["parsed"] - 4


def test_indexes_fit_the_dashboards(full_db):
    names = {c: set(full_db[c].index_information()) for c in
             ("articles", "article_revisions", "crawl_runs", "rejects")}
    assert {"url_unique", "site_lang_published", "published"} <= names["articles"]
    assert {"started_at", "site_started_at"} <= names["crawl_runs"]
    assert {"run_id_reason", "site_at"} <= names["rejects"]
    with pytest.raises(pymongo.errors.WriteError):
        full_db.articles.insert_one({"url": 42})  # the $jsonSchema validator refuses it


def test_second_identical_crawl_changes_nothing_but_last_seen(site_server, full_crawl, full_db,
                                                              mongo_uri, tmp_path):
    before = stored_documents(full_db)
    archived_before = full_db.article_revisions.count_documents({})
    seen_before = {d["url"]: d["last_seen"] for d in full_db.articles.find()}
    site_server.reset()
    again = run_crawl(site_server.url, tmp_path, mode="full",
                      settings={"MONGO_URI": mongo_uri, "MONGO_DATABASE": FULL_CRAWL_DB})
    assert again.returncode == 0, again.log[-3000:]
    assert stored_documents(full_db) == before
    assert full_db.article_revisions.count_documents({}) == archived_before
    assert all(d["last_seen"] > seen_before[d["url"]] for d in full_db.articles.find())
    run = full_db.crawl_runs.find_one({"_id": again.stats["run_id"]})
    assert run["stats"]["articles_new"] == run["stats"]["articles_updated"] == 0
    assert again.stat("incremental/not_modified") > 600  # conditional GETs: 304s, no parsing


def test_mongodb_restart_mid_crawl_loses_nothing(site, fresh_site_server, secantus_factory,
                                                 tmp_path):
    server = fresh_site_server(faults=False, latency=0.05)
    database = secantus_factory()
    uri = database.uri + "&serverSelectionTimeoutMS=1000"
    proc = start_crawl(server.url, tmp_path, mode="full", settings={
        "MONGO_URI": uri, "MONGO_DATABASE": "outage", "MONGO_BATCH_SIZE": "20",
        "MONGO_FLUSH_INTERVAL": "0.5", "MONGO_RETRY_MAX_WAIT": "60"})
    articles = pymongo.MongoClient(uri)["outage"].articles
    deadline = time.monotonic() + 60
    while articles.estimated_document_count() < 60:
        assert time.monotonic() < deadline and proc.poll() is None, "crawl never got going"
        time.sleep(0.1)
    database.kill()
    time.sleep(3)
    database.start()
    _, stderr = proc.communicate(timeout=240)
    result = collect(tmp_path, proc.returncode, stderr)
    assert result.returncode == 0, result.log[-3000:]
    assert result.stat("mongo/retries") >= 1 and not result.stat("mongo/failed")
    urls = [d["url"] for d in articles.find({}, {"url": 1})]
    assert len(urls) == len(set(urls))
    assert set(urls) == {server.url + a.path for a in site.expected("initial")
                         if not a.duplicate_of}


def test_unreachable_mongodb_stops_the_crawl_with_one_clear_masked_message(site_server, tmp_path):
    uri = "mongodb://crawler:s3cret@127.0.0.1:9/?serverSelectionTimeoutMS=500"
    result = run_crawl(site_server.url, tmp_path, mode="full", settings={"MONGO_URI": uri})
    assert result.returncode != 0
    assert "MongoDB at mongodb://crawler:***@127.0.0.1:9/" in result.log
    assert "is unreachable" in result.log and "s3cret" not in result.log
    assert not result.items

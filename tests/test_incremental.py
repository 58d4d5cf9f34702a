"""Issues 5 and 10: a daily incremental run costs about one request per new article and misses
nothing, wherever in the archive the site changed.

Full crawl, the site switches to its updated state (new articles at the newest end, a recent
edit, an edit years deep, one article deleted, all announced in the sitemap), then an
incremental run; the site's own request log is the judge of what the run cost.
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
from unsmil_testsite.pages import sitemap_lastmods

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
    assert inc.stat("mongo/articles_updated") == 2  # the deep edit too, through the sitemap


def test_sitemap_lastmod_finds_an_edit_deep_in_the_archive(site, fresh_site_server, mongo_uri,
                                                            tmp_path):
    """Issue 10: with the re-check window off, the sitemap alone delivers the edits (one years
    deep), the new articles and the deletion, at incremental cost."""
    server = fresh_site_server(faults=False)
    settings = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": throwaway_name("incremental_sitemap"),
                "INCREMENTAL_RECHECK": "0"}
    full = run_crawl(server.url, tmp_path / "full", mode="full", settings=settings)
    assert full.returncode == 0, full.log[-3000:]
    db = pymongo.MongoClient(mongo_uri, tz_aware=True)[throwaway_name("incremental_sitemap")]
    changes, base = site.changes(), server.url
    deep = base + changes["edited_deep"]
    old_body = db.articles.find_one({"url": deep})["body"]

    server.set_state("updated")
    server.clear_log()
    inc = run_crawl(server.url, tmp_path / "inc", mode="incremental", settings=settings)
    assert inc.returncode == 0, inc.log[-3000:]

    edited = db.articles.find_one({"url": deep})
    assert edited["revision"] == 2 and edited["body"].startswith(old_body)
    assert len(edited["body"]) > len(old_body)
    assert db.article_revisions.find_one({"url": deep, "revision": 1})["body"] == old_body
    assert db.articles.find_one({"url": base + changes["edited"]})["revision"] == 2
    assert db.articles.find_one({"url": base + changes["deleted"]})["gone_since"] is not None
    assert db.articles.count_documents({"gone_since": {"$ne": None}}) == 1
    stored = {d["url"] for d in db.articles.find({}, {"url": 1})}
    assert {base + p for p in changes["new"]} <= stored

    requests = server.requests
    k, e = len(changes["new"]), 2
    moved = sum(a != b for a, b in zip(sitemap_lastmods(site, "initial"),
                                       sitemap_lastmods(site, "updated"), strict=True))
    listing_pages = len([r for r in requests if "press-releases" in r.path])
    budget = k + e + moved + listing_pages + 10
    assert len(requests) <= budget, "\n".join([f"{len(requests)} > {budget}:",
                                                *(f"{r.status} {r.path}" for r in requests)])
    run = db.crawl_runs.find_one({"mode": "incremental"}, sort=[("started_at", -1)])
    assert run["status"] == "finished"
    assert run["stats"]["incremental"] | {"known_listed": 0} == {
        "edits_found": e, "sitemap_pages_read": moved, "gone": 1, "sitemap_failed": 0,
        "known_listed": 0}
    assert run["stats"]["incremental"]["known_listed"] > 0


def _full_then_updated(server, settings, tmp_path):
    full = run_crawl(server.url, tmp_path / "full", mode="full", settings=settings)
    assert full.returncode == 0, full.log[-3000:]
    server.set_state("updated")
    server.clear_log()
    return full


def test_a_sitemap_that_fails_to_load_marks_nothing_gone(site, fresh_site_server, mongo_uri,
                                                         tmp_path):
    """The sitemap page that no longer lists the deleted article fails to load (an error, then
    an empty urlset): nothing is marked gone, and the page is read again by the next run,
    which then finds the deletion."""
    server = fresh_site_server(faults=False)
    settings = {"MONGO_URI": mongo_uri,
                "MONGO_DATABASE": throwaway_name("incremental_broken_sitemap"),
                "INCREMENTAL_RECHECK": "0"}
    _full_then_updated(server, settings, tmp_path)
    db = pymongo.MongoClient(mongo_uri, tz_aware=True)[throwaway_name("incremental_broken_sitemap")]
    deleted = server.url + site.changes()["deleted"]
    last_page = f"/sitemap.xml?page={len(sitemap_lastmods(site, 'updated'))}"
    empty = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n</urlset>\n')
    for n, (status, text) in enumerate(((500, ""), (200, empty))):
        server.override(last_page, status, text)
        inc = run_crawl(server.url, tmp_path / f"broken{n}", mode="incremental",
                        settings=settings)
        assert inc.returncode == 0, inc.log[-3000:]
        assert inc.stat("incremental/sitemap_failed") == 1
        assert inc.stat("incremental/left_sitemap") == 0
        assert db.articles.count_documents({"gone_since": {"$ne": None}}) == 0
        assert not any(r.path == site.changes()["deleted"] for r in server.requests)

    server.reset()
    server.set_state("updated")
    again = run_crawl(server.url, tmp_path / "again", mode="incremental", settings=settings)
    assert again.returncode == 0, again.log[-3000:]
    assert again.stat("incremental/left_sitemap") == 1 and again.stat("incremental/gone") == 1
    assert db.articles.find_one({"url": deleted})["gone_since"] is not None


def test_a_server_that_does_not_tell_falls_back_to_the_window(site, fresh_site_server, mongo_uri,
                                                              tmp_path):
    """No sitemap lastmod, no ETag or Last-Modified: every sitemap page is read (within
    INCREMENTAL_SITEMAP_PAGES), the newest INCREMENTAL_RECHECK articles per language are
    re-fetched in full, so the recent edit and the deletion are found; the edit years deep is
    not (nothing announces it: the weekly full run catches it)."""
    server = fresh_site_server(faults=False, validators=False, lastmods=False)
    settings = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": throwaway_name("incremental_untold"),
                "INCREMENTAL_RECHECK": str(WINDOW)}
    _full_then_updated(server, settings, tmp_path)
    inc = run_crawl(server.url, tmp_path / "inc", mode="incremental", settings=settings)
    assert inc.returncode == 0, inc.log[-3000:]
    db = pymongo.MongoClient(mongo_uri, tz_aware=True)[throwaway_name("incremental_untold")]
    changes, base = site.changes(), server.url
    assert db.articles.find_one({"url": base + changes["edited"]})["revision"] == 2
    assert db.articles.find_one({"url": base + changes["edited_deep"]})["revision"] == 1
    assert db.articles.find_one({"url": base + changes["deleted"]})["gone_since"] is not None
    stored = {d["url"] for d in db.articles.find({}, {"url": 1})}
    assert {base + p for p in changes["new"]} <= stored
    pages = len(sitemap_lastmods(site, "updated"))
    assert inc.stat("incremental/sitemap_pages_read") == pages
    assert inc.stat("incremental/edits_found") == 0 and inc.stat("incremental/not_modified") == 0
    # A re-checked page that needs JavaScript costs its browser rendering too (page + JSON).
    budget = len(changes["new"]) + 2 * WINDOW + pages + 2 + 10 + 2 * inc.stat("render/rendered")
    assert len(server.requests) <= budget, "\n".join([f"{len(server.requests)} > {budget}:",
                                                       *(f"{r.status} {r.path}"
                                                         for r in server.requests)])


def _settled_count(collection, quiet: float = 1.0) -> int:
    """Documents in ``collection`` once a killed client's last write has landed."""
    count, since = collection.count_documents({}), time.monotonic()
    while time.monotonic() - since < quiet:
        time.sleep(0.1)
        now = collection.count_documents({})
        if now != count:
            count, since = now, time.monotonic()
    return count


def test_killed_full_crawl_resumes_where_it_stopped(site_server, full_crawl, mongo_uri,
                                                   tmp_path):
    """kill -9 half way, run again: only what the killed run never stored is fetched, and
    the archive ends as the session's uninterrupted crawl left it."""
    site_server.reset()
    settings = _settings(mongo_uri, throwaway_name("resume"))
    resumed_db = pymongo.MongoClient(mongo_uri, tz_aware=True)[throwaway_name("resume")]
    # A kill loses what was fetched but not yet written, up to MONGO_MAX_BUFFER items when
    # MongoDB lags behind the crawl (110 on a loaded CI machine with the default 1000); the
    # budget's +50 leaves room for about 40 of them.
    settings.update(JOBDIR=str(tmp_path / "jobdir"), MONGO_BATCH_SIZE="20",
                    MONGO_MAX_BUFFER="40")
    client = pymongo.MongoClient(mongo_uri, tz_aware=True)
    whole = stored_documents(client[FULL_CRAWL_DB])
    proc = start_crawl(site_server.url, tmp_path / "killed", mode="full", settings=settings)
    deadline = time.monotonic() + 90
    while resumed_db.articles.estimated_document_count() < len(whole) // 2:
        assert time.monotonic() < deadline and proc.poll() is None, "crawl never got going"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_requests = len(site_server.requests)
    stored_by_killed = _settled_count(resumed_db.articles)
    assert 0 < stored_by_killed < len(whole)

    site_server.clear_log()
    again = run_crawl(site_server.url, tmp_path / "again", mode="full", settings=settings)
    assert again.returncode == 0, again.log[-3000:]
    assert again.stat("jobdir/discarded_unclean") == 1
    assert again.stat("resume/articles_skipped") == stored_by_killed
    resumed_requests = site_server.requests
    budget = (len(full_crawl.site_log) - killed_requests) * 1.1 + 50
    print(f"full {len(full_crawl.site_log)}, killed {killed_requests}, resumed "
          f"{len(resumed_requests)}, budget {budget:.0f}")
    assert len(resumed_requests) <= budget, (len(resumed_requests), budget, killed_requests)
    # Nothing the killed run stored was asked for again, not even conditionally.
    assert not [r for r in resumed_requests if "If-None-Match" in r.headers]
    run = resumed_db.crawl_runs.find_one({"resumed_from": {"$exists": True}})
    assert run["status"] == "finished" and run["resumed_articles"] == stored_by_killed

    resumed = stored_documents(resumed_db)
    assert resumed.keys() == whole.keys()
    assert [u for u in whole if resumed[u] != whole[u]] == []
    assert resumed_db.articles.count_documents({}) == len(whole)  # none twice


def test_only_a_recent_killed_run_of_the_same_mode_is_resumed(mongo_db):
    """The resume point from crawl_runs: newest run only, same mode, within RESUME_MAX_AGE;
    its finished part is what it stored (last_seen), less bodies that never rendered."""
    from datetime import UTC, datetime, timedelta

    from unsmil_crawler.storage import resume
    from unsmil_crawler.storage.runs import STALE_REASON

    now = datetime.now(UTC)
    killed = {"_id": "k", "spider": "unsmil_news", "site": "unsmil", "base_url": "http://h",
              "mode": "full",
              "status": "failed", "finish_reason": STALE_REASON,
              "started_at": now - timedelta(hours=5)}
    mongo_db.crawl_runs.insert_many([
        {**killed, "_id": "old", "started_at": now - timedelta(days=30),
         "status": "finished", "finish_reason": "finished"},
        killed,
        {**killed, "_id": "current", "status": "running", "started_at": now},
    ])
    mongo_db.articles.insert_many([
        {"url": "http://h/en/a", "site": "unsmil", "lang": "en", "gone_since": None,
         "last_seen": now - timedelta(hours=4), "translations": {"ar": "http://h/ar/a"}},
        {"url": "http://h/en/b", "site": "unsmil", "lang": "en", "gone_since": None,
         "last_seen": now - timedelta(hours=4), "body_status": "render_failed"},
        {"url": "http://h/en/c", "site": "unsmil", "lang": "en", "gone_since": None,
         "last_seen": now - timedelta(days=29)},
    ])
    last = resume.last_run(mongo_db, "unsmil_news", "unsmil", "http://h", "current")
    assert last["_id"] == "k"
    assert resume.resume_point(last, "incremental", now, timedelta(hours=48)) is None
    assert resume.resume_point(last, "full", now, timedelta(hours=4)) is None  # too old
    point = resume.resume_point(last, "full", now, timedelta(hours=48))
    assert point is not None and point.run_id == "k"
    resume.load_done(mongo_db, point, "unsmil", ["en", "ar"])
    assert point.done == {"http://h/en/a": {"ar": "http://h/ar/a"}}
    resume.record_resume(mongo_db, "current", point)
    doc = mongo_db.crawl_runs.find_one({"_id": "current"})
    assert (doc["resumed_from"], doc["resumed_articles"]) == ("k", 1)
    # Killed again: the run after it resumes from the first killed run's start.
    mongo_db.crawl_runs.update_one({"_id": "current"}, {"$set": {
        "status": "failed", "finish_reason": STALE_REASON}})
    newest = resume.last_run(mongo_db, "unsmil_news", "unsmil", "http://h", "next")
    again = resume.resume_point(newest, "full", now, timedelta(hours=48))
    assert again is not None and again.run_id == "current"
    assert abs(again.since - point.since) < timedelta(milliseconds=1)

"""Issue 11 point 2: a render that fails is retried later in the run, then kept, never lost.

The real spider crawls the offline site, whose JavaScript bodies (``/_js/body/``) are made
to stall or fail (``SiteServer.break_js``) so that Chromium's render times out.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from typing import Any

import pymongo
import pytest
from scrapy import Request

from tests.components import SiteSpider, component_crawler
from tests.crawl_harness import run_crawl
from tests.fixtures_mongo import throwaway_name
from unsmil_crawler.addon import defaults
from unsmil_crawler.cli import health
from unsmil_crawler.cli.main import main
from unsmil_crawler.middlewares.rendering import (
    RenderBudget,
    get_render_request,
    get_render_retry_request,
)
from unsmil_crawler.sites import get_profile

CHROMIUM = defaults()["PLAYWRIGHT_LAUNCH_OPTIONS"]["executable_path"]
RETRY_TIMES = defaults()["RENDER_RETRY_TIMES"]
needs_chromium = pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="no Chromium")
FAST_RENDER = {"RENDER_WAIT_TIMEOUT": "1", "RENDER_RETRY_BACKOFF": "0.2"}


def _js_urls(site: Any, base: str) -> set[str]:
    return {base + a.path for a in site.expected() if a.js_body}


@needs_chromium
@pytest.mark.integration
@pytest.mark.timeout(300)
def test_a_timed_out_render_is_retried_later_and_renders(site, fresh_site_server, mongo_uri,
                                                          tmp_path):
    server = fresh_site_server(faults=False, stall_seconds=3)
    server.break_js(2, "stall")  # the first two bodies arrive after the 1 s wait
    run = run_crawl(server.url, tmp_path / "c", mode="full", settings={
        "MONGO_URI": mongo_uri, "MONGO_DATABASE": throwaway_name("render_retry"), **FAST_RENDER})
    assert run.returncode == 0, run.log[-3000:]
    db = pymongo.MongoClient(mongo_uri)[throwaway_name("render_retry")]
    js = _js_urls(site, server.url)
    docs = list(db.articles.find({"url": {"$in": sorted(js)}}))
    assert len(docs) == len(js) == 3
    assert all(d["body"] and d["body_status"] == "ok" and d["rendered"] for d in docs)
    assert run.stat("render/retried") == 2
    assert run.stat("render/gave_up") == 0
    assert db.rejects.count_documents({}) == 0


@needs_chromium
@pytest.mark.integration
@pytest.mark.timeout(300)
def test_a_render_that_keeps_failing_is_kept_and_rendered_first_next_run(
    site, fresh_site_server, mongo_uri, tmp_path, monkeypatch
):
    server = fresh_site_server(faults=False)
    server.break_js(10_000, "500")  # every body request fails: no render can succeed
    settings = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": throwaway_name("render_failed"),
                **FAST_RENDER}
    first = run_crawl(server.url, tmp_path / "first", mode="full", settings=settings)
    assert first.returncode == 0, first.log[-3000:]
    db = pymongo.MongoClient(mongo_uri, tz_aware=True)[throwaway_name("render_failed")]
    js = _js_urls(site, server.url)

    kept = {d["url"]: d for d in db.articles.find({"url": {"$in": sorted(js)}})}
    assert kept.keys() == js  # stored, not only rejected
    for doc in kept.values():
        assert doc["body"] == "" and doc["body_status"] == "render_failed"
        assert doc["title"] and doc["published"] and (doc["prev_url"] or doc["next_url"])
    assert db.rejects.count_documents({"url": {"$in": sorted(js)}}) == 0
    assert first.stat("render/gave_up") == 3
    assert first.stat("render/retried") == 3 * RETRY_TIMES
    run_doc = db.crawl_runs.find_one({"stats.render_failed": {"$gt": 0}})
    assert run_doc["stats"]["render_failed"] == 3
    verdict = health.check_health(list(db.crawl_runs.find()), datetime.now(UTC))
    assert verdict.code == health.RENDER_FAILED and "3 articles without body" in verdict.reason
    monkeypatch.setenv("MONGO_DATABASE", throwaway_name("render_failed"))
    assert main(["health", "--mongo-uri", mongo_uri]) == health.RENDER_FAILED

    server.break_js(0)
    second = run_crawl(server.url, tmp_path / "second", mode="incremental", settings=settings)
    assert second.returncode == 0, second.log[-3000:]
    assert second.stat("render/requested/stored without body") == 3
    for doc in db.articles.find({"url": {"$in": sorted(js)}}):
        assert doc["body"] and doc["body_status"] == "ok" and doc["rendered"]
        assert doc["revision"] == 1  # filled in: nothing was archived as a "revision"
    assert db.article_revisions.count_documents({"url": {"$in": sorted(js)}}) == 0
    assert second.stat("render/gave_up") == 0


@needs_chromium
@pytest.mark.integration
@pytest.mark.timeout(300)
def test_a_navigation_that_always_times_out_still_keeps_the_article(
    site, fresh_site_server, mongo_uri, tmp_path
):
    """``Page.goto: Timeout ... exceeded``: retried, then the page is fetched plainly once more
    and the article kept without body, as in the issue's loaded 5,000-per-language crawl."""
    server = fresh_site_server(faults=False)
    run = run_crawl(server.url, tmp_path / "c", mode="full", settings={
        "MONGO_URI": mongo_uri, "MONGO_DATABASE": throwaway_name("render_goto"), **FAST_RENDER,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": "1"})
    assert run.returncode == 0, run.log[-3000:]
    assert "Timeout 1ms exceeded" in run.log
    db = pymongo.MongoClient(mongo_uri)[throwaway_name("render_goto")]
    js = _js_urls(site, server.url)
    kept = list(db.articles.find({"url": {"$in": sorted(js)}}))
    assert len(kept) == 3
    assert all(d["body_status"] == "render_failed" and d["title"] for d in kept)
    assert run.stat("render/failed") == 3 * (1 + RETRY_TIMES)
    assert run.stat("render/gave_up") == 3


def test_a_retry_goes_later_waits_longer_and_stops():
    crawler = component_crawler(RENDER_WAIT_TIMEOUT=2, RENDER_RETRY_TIMES=2,
                                RENDER_RETRY_BACKOFF=5, RENDER_RETRY_PRIORITY_ADJUST=-20)
    spider = crawler.spider = SiteSpider.from_crawler(crawler)
    crawler.stats.open_spider()
    first = get_render_request(Request("http://h/en/a", priority=3), spider=spider,
                               reason="empty body", budget=RenderBudget(5, crawler.stats))
    assert first is not None
    selector = get_profile("unsmil").body_ready
    assert first.meta["playwright_page_methods"][0].args == (selector, 2000)
    retry = get_render_retry_request(first, spider=spider, reason="browser error")
    assert retry is not None and retry.priority == 3 - 20 and retry.dont_filter
    assert retry.meta["render_attempt"] == 1 and retry.meta["render_reason"] == "empty body"
    assert retry.meta["playwright_page_methods"][0].args[1] == 4000
    assert retry.meta["playwright_page_goto_kwargs"] == {"wait_until": "domcontentloaded"}
    again = get_render_retry_request(retry, spider=spider, reason="browser error")
    assert again is not None and again.meta["render_attempt"] == 2
    assert get_render_retry_request(again, spider=spider, reason="browser error") is None
    assert crawler.stats.get_value("render/retried") == 2
    assert crawler.stats.get_value("render/retries_exhausted") == 1
    assert crawler.stats.get_value("render/requested") == 1  # retries spend no budget

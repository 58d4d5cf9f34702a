"""MongoPipeline + CrawlRunsExtension fed directly, against real SecantusDB servers.

Includes the outage tests: the server stops mid-crawl and comes back (nothing lost, nothing
twice), or never comes back (run failed, spill file, load_spill restores everything).
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.components import SiteSpider, component_crawler, with_pipelines
from tests.test_storage_writer import BASE, article
from unsmil_crawler.extensions.crawl_runs import CrawlRunsExtension
from unsmil_crawler.items import AliasItem, ArticleItem
from unsmil_crawler.pipelines.mongo import MongoPipeline
from unsmil_crawler.storage.connection import get_client
from unsmil_crawler.storage.spill import load_spill, read_spill

pytestmark = pytest.mark.timeout(90)


NewsSpider = SiteSpider


def make_crawler(uri: str, db_name: str, **settings: Any) -> Any:
    return component_crawler(**{"MONGO_URI": uri, "MONGO_DATABASE": db_name,
                                "MONGO_BATCH_SIZE": 4, "MONGO_FLUSH_INTERVAL": 0.2, **settings})


async def crawl(crawler: Any, items: list[Any], between: Any = None, reason: str = "finished"
                ) -> None:
    """What Scrapy does: pipelines open, spider_opened, items, pipelines close, spider_closed."""
    spider = NewsSpider()
    pipeline, ext = MongoPipeline.from_crawler(crawler), CrawlRunsExtension(crawler)
    with_pipelines(crawler, pipeline)
    await pipeline.open_spider()
    await ext.spider_opened(spider)
    for i, item in enumerate(items):
        await pipeline.process_item(item)
        if between is not None:
            await between(i)
    await pipeline.close_spider()
    await ext.spider_closed(spider, reason)


def test_pipeline_stores_batches_aliases_duplicates_rejects(mongo_uri: str, mongo_db: Any) -> None:
    crawler = make_crawler(mongo_uri, mongo_db.name, RUN_ID="run-a")
    items = [
        AliasItem(url=f"{BASE}/en/article-1", lang="en", aliases=[f"{BASE}/node/1"]),
        *[article(n) for n in range(1, 11)],
        ArticleItem(url=f"{BASE}/en/copy-of-2", lang="en", duplicate_of=f"{BASE}/en/article-2"),
        ArticleItem(url=f"{BASE}/en/no-date", lang="en", reject_reason="missing_date"),
    ]
    asyncio.run(crawl(crawler, items))
    stats = crawler.stats.get_stats()
    assert stats["mongo/articles_new"] == 10
    assert stats["mongo/rejects"] == 1
    assert 3 <= stats["mongo/batches"] <= 6  # batched, not one round trip per item
    assert mongo_db.articles.count_documents({}) == 10
    assert mongo_db.articles.find_one({"url": f"{BASE}/en/article-1"})["aliases"] == [
        f"{BASE}/node/1"]
    assert mongo_db.articles.find_one({"url": f"{BASE}/en/article-2"})["aliases"] == [
        f"{BASE}/en/copy-of-2"]
    assert {d["run_id"] for d in mongo_db.articles.find()} == {"run-a"}
    run = mongo_db.crawl_runs.find_one({"_id": "run-a"})
    assert (run["status"], run["finish_reason"], run["spider"], run["mode"]) == (
        "finished", "finished", "news", "full")
    assert run["base_url"] == "https://user:***@unsmil.unmissions.org/en/news"
    assert "hunter2" not in repr(run) and "hunter2" not in repr(stats)
    assert run["stats"]["articles_new"] == 10 and run["stats"]["rejected"] == 1

    again = make_crawler(mongo_uri, mongo_db.name, RUN_ID="run-b")
    asyncio.run(crawl(again, items))
    assert again.stats.get_value("mongo/articles_unchanged") == 10
    assert again.stats.get_value("mongo/articles_new") is None
    assert mongo_db.articles.count_documents({}) == 10
    assert mongo_db.article_revisions.count_documents({}) == 0


def test_server_restart_mid_crawl_loses_nothing(secantus_factory: Any, tmp_path: Path) -> None:
    server = secantus_factory()
    uri = server.uri + "&serverSelectionTimeoutMS=1000"
    crawler = make_crawler(uri, "outage", RUN_ID="run-o", MONGO_RETRY_MAX_WAIT=30,
                           MONGO_SPILL_PATH=str(tmp_path / "{run_id}.jsonl"))
    restarted = threading.Event()

    async def outage(i: int) -> None:
        if i == 5:
            await asyncio.to_thread(server.kill)  # SIGKILL: j=True batches must survive
        if i == 12:
            threading.Timer(1.5, lambda: (server.start(), restarted.set())).start()

    items = [article(n) for n in range(1, 21)]
    asyncio.run(crawl(crawler, items, between=outage))
    assert restarted.is_set()
    db = get_client(uri)["outage"]
    urls = [d["url"] for d in db.articles.find()]
    assert sorted(urls) == sorted(a.url for a in items)  # all stored, none twice
    assert crawler.stats.get_value("mongo/articles_new") == 20
    assert crawler.stats.get_value("mongo/retries") >= 1
    assert crawler.stats.get_value("mongo/failed") is None
    assert not (tmp_path / "run-o.jsonl").exists()
    assert db.crawl_runs.find_one({"_id": "run-o"})["status"] == "finished"


def test_server_never_back_spills_and_load_restores(
    secantus_factory: Any, tmp_path: Path
) -> None:
    server = secantus_factory()
    uri = server.uri + "&serverSelectionTimeoutMS=500"
    spill = tmp_path / "spill" / "{run_id}.jsonl"
    crawler = make_crawler(uri, "gone", RUN_ID="run-g", MONGO_RETRY_MAX_WAIT=1,
                           MONGO_SPILL_PATH=str(spill), MONGO_FLUSH_INTERVAL=60)

    async def outage(i: int) -> None:
        if i == 5:
            await asyncio.to_thread(server.stop)

    items = [article(n) for n in range(1, 13)]
    items.append(ArticleItem(url=f"{BASE}/en/bad", lang="en", reject_reason="missing_body"))
    started = time.monotonic()
    asyncio.run(crawl(crawler, items, between=outage))
    assert time.monotonic() - started < 30
    stats = crawler.stats.get_stats()
    assert stats["mongo/failed"] == 1
    assert "MongoDB" in stats["mongo/failure_reason"]
    path = tmp_path / "spill" / "run-g.jsonl"
    records = list(read_spill(path))
    kinds = [r["kind"] for r in records]
    assert kinds.count("reject") == 1 and kinds.count("run") == 1
    run = next(r["doc"] for r in records if r["kind"] == "run")
    assert run["status"] == "failed" and "MongoDB" in run["finish_reason"]

    server.start()
    db = get_client(uri)["gone"]
    # A batch in flight when the server stopped may have landed: every article is stored or
    # spilled (a batch whose reply was lost may be both; loading it again is an idempotent upsert).
    stored = {d["url"] for d in db.articles.find({}, {"url": 1})}
    spilled = {r["doc"]["url"] for r in records if r["kind"] == "article"}
    assert stored | spilled == {item.url for item in items[:-1]}
    assert load_spill(path, db) == len(records)
    assert db.articles.count_documents({}) == 12
    assert db.articles.find_one({"url": items[-2].url})["published"] == items[-2].published
    assert db.rejects.count_documents({}) == 1
    assert db.crawl_runs.find_one({"_id": "run-g"})["status"] == "failed"
    load_spill(path, db)  # idempotent
    assert db.articles.count_documents({}) == 12
    assert db.article_revisions.count_documents({}) == 0


def test_a_long_outage_spills_the_overflow_instead_of_growing_memory(
    secantus_factory: Any, tmp_path: Path
) -> None:
    server = secantus_factory()
    uri = server.uri + "&serverSelectionTimeoutMS=200"
    spill = tmp_path / "{run_id}.jsonl"
    crawler = make_crawler(uri, "long", RUN_ID="run-l", MONGO_MAX_BUFFER=8,
                           MONGO_RETRY_MAX_WAIT=0.5, MONGO_SPILL_PATH=str(spill))
    peak: list[int] = []
    spilled_during_crawl: list[int] = []

    async def outage(i: int) -> None:
        if i == 2:
            await asyncio.to_thread(server.stop)
        peak.append(len(pipeline_ref[0].pending))
        if i == 39:
            spilled_during_crawl.append(crawler.stats.get_value("mongo/spilled") or 0)

    pipeline_ref: list[Any] = []
    original = MongoPipeline.from_crawler

    def capture(c: Any) -> MongoPipeline:
        pipeline_ref.append(original(c))
        return pipeline_ref[0]

    items = [article(n) for n in range(1, 41)]
    MongoPipeline.from_crawler = capture  # type: ignore[method-assign]
    try:
        asyncio.run(crawl(crawler, items, between=outage))
    finally:
        MongoPipeline.from_crawler = original  # type: ignore[method-assign]
    assert max(peak) <= 8 + 4  # the buffer, plus the batch a failed write put back
    assert spilled_during_crawl[0] > 0  # spilled while crawling, not only at close
    assert crawler.stats.get_value("mongo/failed") == 1
    server.start()
    db = get_client(uri)["long"]
    load_spill(tmp_path / "run-l.jsonl", db)
    assert sorted(d["url"] for d in db.articles.find()) == sorted(a.url for a in items)


def test_links_of_articles_written_before_a_spill_are_still_resolved(
    secantus_factory: Any, tmp_path: Path
) -> None:
    """Overflow spilled mid-crawl, server back: links buffered before the spill get resolved."""
    server = secantus_factory()
    uri = server.uri + "&serverSelectionTimeoutMS=200"
    crawler = make_crawler(uri, "spill_links", RUN_ID="run-s", MONGO_MAX_BUFFER=8,
                           MONGO_RETRY_MAX_WAIT=0.5,
                           MONGO_SPILL_PATH=str(tmp_path / "{run_id}.jsonl"))

    async def outage(i: int) -> None:
        if i == 7:
            await asyncio.to_thread(server.stop)
        if i == 35:
            assert crawler.stats.get_value("mongo/spilled")  # the overflow went to the file
            await asyncio.to_thread(server.start)

    def linked(n: int) -> ArticleItem:
        # Each article links its neighbours by /node/<n>, an alias of theirs.
        return article(n, aliases=[f"{BASE}/node/{n}"], prev_url=f"{BASE}/node/{n - 1}",
                       next_url=f"{BASE}/node/{n + 1}")

    items = [linked(n) for n in range(1, 41)]
    asyncio.run(crawl(crawler, items, between=outage))
    db = get_client(uri)["spill_links"]
    first = db.articles.find_one({"url": f"{BASE}/en/article-2"})
    assert first["run_id"] == "run-s"  # written before the outage, in the crawl
    assert first["prev_url"] == f"{BASE}/en/article-1"
    assert first["next_url"] == f"{BASE}/en/article-3"
    assert crawler.stats.get_value("mongo/links_resolved") > 0


def test_a_bug_in_a_write_is_not_taken_for_an_outage(mongo_uri: str, mongo_db: Any,
                                                     caplog: Any) -> None:
    """Only PyMongoError means "MongoDB is down"; a bug is raised, and nothing is dropped."""
    crawler = make_crawler(mongo_uri, mongo_db.name, RUN_ID="run-bug", MONGO_FLUSH_INTERVAL=60)
    pipeline = MongoPipeline.from_crawler(crawler)

    async def scenario() -> None:
        await pipeline.open_spider()
        writer = pipeline._writer
        assert writer is not None
        real_write = writer.write
        calls = []

        def broken(batch: Any, timeout: float | None = None) -> Any:
            calls.append(1)
            if len(calls) == 1:
                raise TypeError("a bug, not an outage")
            return real_write(batch, timeout=timeout)

        writer.write = broken  # type: ignore[method-assign]
        for n in range(1, 5):  # the fourth fills a batch: it is written in the background
            await pipeline.process_item(article(n))
        await pipeline.close_spider()

    asyncio.run(scenario())
    assert "a bug, not an outage" in caplog.text  # logged as an error, with its traceback
    assert crawler.stats.get_value("mongo/retries") is None
    assert crawler.stats.get_value("mongo/failed") is None
    assert mongo_db.articles.count_documents({}) == 4  # the failed batch was kept, then written

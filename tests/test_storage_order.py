"""Clean -> dedupe -> storage end to end: the stored documents depend on the set of articles,
not on arrival order, batch boundaries or how the archive is split across runs."""

from __future__ import annotations

import asyncio
import random
import uuid
from typing import Any

import pytest

from tests.components import component_crawler
from tests.test_dedupe import EXPECTED, Art, corpus
from tests.test_storage_pipeline import crawl, make_crawler
from tests.test_storage_writer import BASE, article
from unsmil_crawler.items import ArticleItem, GoneItem, NotModifiedItem
from unsmil_crawler.pipelines.clean import CleanTextPipeline
from unsmil_crawler.pipelines.dedupe import DedupePipeline
from unsmil_crawler.pipelines.mongo import MongoPipeline
from unsmil_crawler.storage.connection import get_client

pytestmark = pytest.mark.timeout(120)


def item(a: Art) -> ArticleItem:
    return ArticleItem(url=a.url, lang=a.lang, title=f"Title of {a.url}",
                       published=a.published, paragraphs=[a.text])


def run(uri: str, db_name: str, arts: list[Art]) -> Any:
    """One crawl through the real clean, dedupe and storage pipelines; returns its stats."""
    crawler = component_crawler(MONGO_URI=uri, MONGO_DATABASE=db_name, MONGO_BATCH_SIZE=3,
                                MONGO_FLUSH_INTERVAL=60)
    clean, dedupe = CleanTextPipeline.from_crawler(crawler), DedupePipeline.from_crawler(crawler)
    dedupe.open_spider()
    store = MongoPipeline.from_crawler(crawler)

    async def feed() -> None:
        await store.open_spider()
        for a in arts:
            await store.process_item(dedupe.process_item(clean.process_item(item(a))))
        await store.close_spider()

    asyncio.run(feed())
    return crawler.stats


def stored(db: Any) -> dict[str, tuple[frozenset[str], str | None]]:
    return {d["url"]: (frozenset(d["aliases"]), d["near_duplicate_of"])
            for d in db.articles.find()}


@pytest.mark.parametrize("seed", range(4))
def test_any_order_and_split_stores_the_same_documents(mongo_uri: str, seed: int) -> None:
    arts = corpus()
    rng = random.Random(seed)
    rng.shuffle(arts)
    split = rng.randrange(len(arts) + 1) if seed else len(arts)
    db = get_client(mongo_uri)[f"order_{uuid.uuid4().hex[:8]}"]
    try:
        first = run(mongo_uri, db.name, arts[:split])
        second = run(mongo_uri, db.name, arts[split:])
        assert stored(db) == EXPECTED
        assert second.get_value("dedupe/resigned") == 0  # signatures came back from MongoDB
        superseded = sum(s.get_value("dedupe/superseded", 0) for s in (first, second))
        assert sum(s.get_value("mongo/superseded", 0) for s in (first, second)) == superseded
        revisions = db.article_revisions.count_documents({})
        # Only superseded versions that had reached MongoDB were archived (a superseded
        # document still in the buffer was never stored).
        assert revisions <= superseded
        assert db.article_revisions.count_documents({"superseded_by": None}) == 0
        again = run(mongo_uri, db.name, list(reversed(arts)))
        assert stored(db) == EXPECTED
        assert again.get_value("mongo/articles_new") is None
        assert db.article_revisions.count_documents({}) == revisions
    finally:
        get_client(mongo_uri).drop_database(db.name)


def test_crawl_runs_stats_count_not_modified_and_gone(mongo_uri: str, mongo_db: Any) -> None:
    asyncio.run(crawl(make_crawler(mongo_uri, mongo_db.name, RUN_ID="full"),
                      [article(n, aliases=[f"{BASE}/node/{n}"]) for n in (1, 2, 3)]))
    crawler = make_crawler(mongo_uri, mongo_db.name, RUN_ID="inc")
    crawler.stats.set_value("incremental/not_modified", 2)  # what the spider counts
    asyncio.run(crawl(crawler, [
        NotModifiedItem(url=f"{BASE}/node/1", lang="en"),
        NotModifiedItem(url=f"{BASE}/en/article-2", lang="en"),
        GoneItem(url=f"{BASE}/en/article-3", lang="en", status=410),
    ]))
    run_stats = mongo_db.crawl_runs.find_one({"_id": "inc"})["stats"]
    assert (run_stats["articles_unchanged"], run_stats["not_modified"],
            run_stats["articles_gone"], run_stats["articles_new"]) == (2, 2, 1, 0)
    assert mongo_db.articles.count_documents({}) == 3
    assert mongo_db.articles.count_documents({"gone_since": {"$ne": None}}) == 1
    assert mongo_db.rejects.count_documents({}) == 0

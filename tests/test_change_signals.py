"""Issue 10 in small: what an announced change date asks of the spider and of storage.

The crawl-level behaviour (budget, deep edit, deletions, a failing sitemap, a server that does
not tell) is in tests/test_incremental.py; these pin the decisions one at a time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from scrapy.http import Request, XmlResponse
from scrapy.utils.test import get_crawler

from tests.test_storage_writer import BASE, article, write
from unsmil_crawler.extract.article import EXTRACTOR_VERSION
from unsmil_crawler.items import LastmodItem
from unsmil_crawler.spiders.unsmil_news import UnsmilNewsSpider
from unsmil_crawler.storage.documents import PendingWrites
from unsmil_crawler.storage.known_articles import KnownState
from unsmil_crawler.storage.schema import ensure_schema
from unsmil_crawler.storage.spill import load_spill, write_spill
from unsmil_crawler.storage.writer import MongoWriter

STORED = datetime(2026, 1, 1, tzinfo=UTC)


def _spider(mode: str = "incremental") -> UnsmilNewsSpider:
    crawler = get_crawler(UnsmilNewsSpider)
    spider = UnsmilNewsSpider.from_crawler(crawler, base_url=BASE, mode=mode)
    spider.stored = KnownState()
    for n, fetched in ((1, "Thu, 01 Jan 2026 12:00:00 GMT"), (2, "Tue, 01 Sep 2026 12:00:00 GMT")):
        spider.stored.add({"url": f"{BASE}/en/article-{n}", "lang": "en", "etag": '"e"',
                           "last_modified": fetched, "sitemap_lastmod": STORED,
                           "extractor_version": EXTRACTOR_VERSION})
    return spider


def _feed(*items: tuple[int, str | None]) -> XmlResponse:
    body = "".join(
        f"<item><link>{BASE}/en/article-{n}</link>"
        + (f"<atom:updated>{updated}</atom:updated>" if updated else "") + "</item>"
        for n, updated in items)
    return XmlResponse(f"{BASE}/rss.xml", body=(
        '<rss xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        f"{body}</channel></rss>").encode())


def test_a_feed_updated_date_re_fetches_what_changed_and_only_that() -> None:
    spider = _spider()
    out = list(spider.parse_feed(_feed((1, "2026-11-20"), (2, "2026-08-01"), (2, None),
                                       (1, "2025-12-31"), (3, None))))
    requests = [r for r in out if isinstance(r, Request)]
    assert [(r.url, r.meta["source"]) for r in requests] == [
        (f"{BASE}/en/article-1", "feed_lastmod"),  # announced after the stored version
        (f"{BASE}/en/article-3", "feed"),  # new
    ]
    assert requests[0].headers.get("If-None-Match") == b'"e"'
    # article-2's Last-Modified (September) already covers an August change: recorded only.
    assert [(i.url, i.sitemap_lastmod) for i in out if isinstance(i, LastmodItem)] == [
        (f"{BASE}/en/article-2", datetime(2026, 8, 1, tzinfo=UTC))]
    stats = spider.crawler.stats
    assert stats.get_value("incremental/edits_found") == 1
    assert stats.get_value("incremental/lastmod_covered") == 1


def test_full_mode_requests_every_feed_item() -> None:
    spider = _spider(mode="full")
    out = list(spider.parse_feed(_feed((1, "2026-11-20"), (2, None))))
    assert [r.meta["source"] for r in out] == ["feed", "feed"]


@pytest.fixture
def db(mongo_db: Any) -> Any:
    ensure_schema(mongo_db)
    return mongo_db


def test_announced_change_dates_are_stored_and_only_move_forward(db: Any, tmp_path) -> None:
    a = article(1, aliases=[f"{BASE}/node/1"], sitemap_lastmod=STORED)
    write(db, a)
    assert db.articles.find_one({"url": a.url})["sitemap_lastmod"] == STORED
    newer, older = datetime(2026, 11, 20, tzinfo=UTC), datetime(2025, 5, 1, tzinfo=UTC)
    pending = PendingWrites()
    pending.announce(f"{BASE}/node/1", newer)  # an alias resolves to its article
    MongoWriter(db).write(pending)
    assert db.articles.find_one({"url": a.url})["sitemap_lastmod"] == newer
    spilled = PendingWrites()
    spilled.announce(a.url, older)
    write_spill(tmp_path / "spill.jsonl", spilled.records())
    assert load_spill(tmp_path / "spill.jsonl", db) == 1
    assert db.articles.find_one({"url": a.url})["sitemap_lastmod"] == newer

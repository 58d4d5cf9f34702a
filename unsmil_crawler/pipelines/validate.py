"""Validation: an article missing what the data team needs is rejected, never dropped.

A rejected item keeps flowing with ``reject_reason`` set; the storage pipeline files it in
the ``rejects`` collection (upserted by url and reason) instead of ``articles``, and later
pipelines leave it alone. Runs after text cleaning, so "empty body" means empty once the
invisible characters and blank paragraphs are gone. An article whose body never rendered
(``body_status: "render_failed"``) is stored without body, not rejected: its title, date
and links are worth keeping, and the next run renders it again.

Stats: ``validate/ok``, ``validate/rejected``, ``validate/rejected/<reason>``.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from unsmil_crawler.items import RENDER_FAILED, ArticleItem


def reject_reason(item: ArticleItem, languages: tuple[str, ...]) -> str | None:
    """The first reason ``item`` cannot be stored as an article of a site in ``languages``.

    >>> from datetime import datetime, UTC
    >>> ok = ArticleItem(url="http://h/en/a", lang="en", title="T", published_text="1 May 2020",
    ...                  published=datetime(2020, 5, 1, tzinfo=UTC), body="Text.")
    >>> reject_reason(ok, ("en",)) is None, reject_reason(ok, ("ar",))
    (True, 'unknown language')
    >>> ok.published = None; reject_reason(ok, ("en",))
    'unparseable date'
    >>> ok.published = datetime(2020, 5, 1, tzinfo=UTC); ok.body = " "; ok.rendered = True
    >>> reject_reason(ok, ("en",))
    'empty body after rendering'
    >>> ok.body_status = RENDER_FAILED; reject_reason(ok, ("en",)) is None  # kept, no body
    True
    >>> ok.title = " "; reject_reason(ok, ("en",))
    'missing title'
    """
    if item.lang not in languages:
        return "unknown language"
    if not (item.title or "").strip():
        return "missing title"
    if not item.published_text:
        return "missing date"
    if item.published is None:
        return "unparseable date"
    if not (item.body or "").strip() and item.body_status != RENDER_FAILED:
        return "empty body after rendering" if item.rendered else "empty body"
    return None


class ValidationPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidationPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        reason = reject_reason(item, self.crawler.spider.profile.languages)
        if reason is None:
            self.stats.inc_value("validate/ok")
            return item
        ItemAdapter(item)["reject_reason"] = reason
        self.stats.inc_value("validate/rejected")
        self.stats.inc_value(f"validate/rejected/{reason}")
        return item

"""Text cleaning: extracted paragraphs and title become the display and search forms.

First in the chain, so validation judges the *cleaned* text (a body made only of
invisible characters is empty) and dedupe hashes the search form. The rules are the
pure functions of :mod:`unsmil_crawler.text.clean` (written down in docs/text.md).

Settings read: none.

Stats (under ``clean/``): ``articles``; ``paragraphs_dropped`` (paragraphs that were
empty once cleaned); ``chars_removed`` (characters dropped from titles and bodies:
tatweel, invisible marks, collapsed spaces); ``empty_body`` (articles left without text).
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from unsmil_crawler.items import ArticleItem
from unsmil_crawler.text.clean import (
    content_hash,
    display_paragraphs,
    display_text,
    join_paragraphs,
    search_form,
)


def clean_article(item: ArticleItem) -> tuple[int, int]:
    """Fill body, title and their search forms in place; return (paragraphs dropped, chars removed).

    >>> item = ArticleItem(url="u", lang="ar", title=" بيـــان\\u200f ",
    ...                    paragraphs=["أ\\u00a0ب", " "])
    >>> clean_article(item), item.title, item.body, item.body_norm
    ((1, 7), 'بيان', 'أ ب', 'ا ب')
    """
    raw = item.paragraphs or []
    paragraphs = display_paragraphs(raw)
    item.body = join_paragraphs(paragraphs)
    item.body_norm = search_form(item.body)
    item.content_hash = content_hash(item.body_norm)
    removed = sum(map(len, raw)) - sum(map(len, paragraphs))
    if item.title is not None:
        title = display_text(item.title)
        removed += len(item.title) - len(title)
        item.title, item.title_norm = title, search_form(title)
    return len(raw) - len(paragraphs), max(removed, 0)


class CleanTextPipeline:
    """Derives body, body_norm, title, title_norm and content_hash of every ArticleItem."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanTextPipeline:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item  # AliasItem: nothing to clean
        dropped, removed = clean_article(item)
        self.stats.inc_value("clean/articles")
        if dropped:
            self.stats.inc_value("clean/paragraphs_dropped", dropped)
        if removed:
            self.stats.inc_value("clean/chars_removed", removed)
        if not item.body:
            self.stats.inc_value("clean/empty_body")
        return item

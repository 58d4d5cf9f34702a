"""The news spider's chain walk: previous, next and translation links, followed both ways.

The product's core: whatever listings, feeds and sitemap deliver, every parsed article also
requests its neighbours and translations, so the walk alone reaches the archive
(tests/test_chain_walk.py). Which links are neighbours is the extraction's business
(:mod:`unsmil_crawler.extract.article`); here they are followed and counted.

Settings read: ``INCREMENTAL_KNOWN_STREAK`` (stored pages in a row that end an incremental
walk). Stats: ``chain/end`` (no link in one direction), ``chain/with_prev``,
``chain/with_next``, ``chain/no_neighbour`` (parsed articles by the links they gave: the
health figures of the walk, docs/crawling.md), ``discovery/translation``.
"""

from __future__ import annotations

from collections.abc import Iterator

from scrapy.http import Request, Response

from unsmil_crawler.items import ArticleItem

RECHECK_SOURCES = ("recheck", "sitemap_lastmod", "feed_lastmod", "left_sitemap")
"""Request sources that re-check a stored article (see :mod:`.change_signals`)."""


class ChainWalkMixin:
    """Mixed into the news spider, whose ``stored``, ``_parsed``, ``mode``, ``wants`` and
    ``candidate`` it uses."""

    def count_neighbours(self, page: ArticleItem) -> None:
        """Count the parsed article by the neighbour links it gave (a template change that
        hides the pager shows here first)."""
        stats = self.crawler.stats
        if page.prev_url:
            stats.inc_value("chain/with_prev")
        if page.next_url:
            stats.inc_value("chain/with_next")
        if not (page.prev_url or page.next_url):
            stats.inc_value("chain/no_neighbour")

    def follow_chain(
        self, links: dict[str, str | None], response: Response, *, stored: bool
    ) -> Iterator[Request]:
        """Follow previous and next. In incremental mode, stop after a streak of stored pages.

        A stored page re-checked on its own (window, announced change, left the sitemap)
        starts no walk into stored neighbours: they are known, and have signals of their own.
        """
        limit = self.crawler.settings.getint("INCREMENTAL_KNOWN_STREAK")
        streak = response.meta.get("known_streak", 0) + 1 if stored else 0
        if stored and response.meta.get("source") in RECHECK_SOURCES:
            streak = limit
        for direction, link in links.items():
            if not link:
                self.crawler.stats.inc_value("chain/end")
                continue
            if not self.wants(link) or link in self._parsed:
                continue
            link_streak = streak if self.stored.is_stored(link) else 0
            if self.mode == "incremental" and link_streak >= limit:
                continue
            yield from self.candidate(
                link, source="chain",
                chain={"chain_from": response.url, "chain_dir": direction,
                       "known_streak": link_streak},
            )

    def follow_translations(self, translations: dict[str, str]) -> Iterator[Request]:
        """The same article in another language of this crawl: through it the chain walk
        reaches that language's chain even when its listings, feeds and sitemap are gone."""
        for link in translations.values():
            if not self.wants(link) or link in self._parsed or (
                    self.mode == "incremental" and self.stored.is_stored(link)):
                continue
            self.crawler.stats.inc_value("discovery/translation")
            yield from self.candidate(link, source="translation")

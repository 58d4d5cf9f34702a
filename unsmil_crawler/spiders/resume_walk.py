"""The news spider's resume of a killed run: what it stored is skipped, its links walked on.

The plan (which run, since when, what it finished) is :mod:`unsmil_crawler.storage.resume`'s;
this mixin only turns it into requests. Settings read: ``RESUME_ENABLED``, ``RESUME_MAX_AGE``
(through :func:`~unsmil_crawler.storage.resume.plan_resume`), ``INCREMENTAL_CONDITIONAL``
(False: nothing stored is trusted, so nothing is resumed). Stats: ``resume/articles_skipped``,
``discovery/resume``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Request

from unsmil_crawler.extensions.run_context import run_context
from unsmil_crawler.storage import resume
from unsmil_crawler.storage.connection import mask_uri, require_database


class ResumeMixin:
    """Mixed into the news spider, whose attributes (``stored``, ``_parsed``, ``chain``,
    ``_resume_point``, ``_resuming``...) and request helpers it uses."""

    def _find_killed_run(self) -> dict[str, Any] | None:
        """The previous run, if it was killed; the resume point (if any) for :meth:`_resume`."""
        if not self.crawler.settings.getbool("INCREMENTAL_CONDITIONAL"):
            return None
        killed, self._resume_point = resume.plan_resume(
            require_database(self.crawler.settings), self.crawler.settings, spider=self.name,
            base_url=mask_uri(self.base_url) or None, run_id=run_context(self.crawler).run_id,
            site=self.site, mode=self.requested_mode, langs=self.langs)
        return killed

    def _fan_out_listings(self) -> Iterator[Request]:
        """A resumed run whose sitemap failed: every listing page after all."""
        self.logger.warning("Sitemap failed while resuming: reading every listing page")
        for lang in self.langs:
            url = self.profile.url(self.base_url, self.profile.listing_paths[lang])
            yield Request(url, callback=self.parse_listing, errback=self.on_error,
                          meta={"kind": "listing", "lang": lang, "resume_fallback": True},
                          priority=10, dont_filter=True)

    def _resume(self) -> Iterator[Request]:
        """Skip what a killed run of this mode stored; request its articles' unstored links."""
        point = self._resume_point
        if point is None:
            return
        self._resuming = True
        self.crawler.stats.set_value("resume/articles_skipped", len(point.done))
        aliases: dict[str, list[str]] = {}
        for alias, url in self.stored.canonical.items():
            if url in point.done and alias != url:
                aliases.setdefault(url, []).append(alias)
        for url in point.done:
            self._parsed.update([url, *aliases.get(url, [])])
            self._emitted.add(url)
        for url, translations in point.done.items():
            links = self.stored.neighbours(url)
            self.crawler.stats.inc_value("chain/inconsistent", self.chain.add(
                url, aliases.get(url, []), prev=links["prev"], next=links["next"]))
            for link in (links["prev"], links["next"], *translations.values()):
                if link and link not in self._parsed and self.wants(link):
                    self.crawler.stats.inc_value("discovery/resume")
                    yield self.article_request(link, source="resume")

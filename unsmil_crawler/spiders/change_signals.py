"""The news spider's sitemap and feed reading: where the site says what changed.

Every sitemap ``<lastmod>`` and feed ``updated`` date is compared with the one stored with
the article (:meth:`~unsmil_crawler.storage.known_articles.KnownState.announced`): a newer
one re-fetches the article (conditionally), one the stored page's ``Last-Modified`` already
covers is only recorded. An incremental run reads only the sitemap pages whose lastmod moved
(:mod:`unsmil_crawler.storage.sitemap_state`); once they are all in, the stored articles
that left them are re-requested once, so a deletion anywhere is noticed. A sitemap that
fails to load (an error, or a body that is no complete, non-empty sitemap) is counted and
read again next run; it never makes anything look deleted.

Settings read: ``INCREMENTAL_SITEMAP_PAGES`` (sitemap pages an incremental run reads at
most; 0 leaves the sitemap out of incremental runs), ``INCREMENTAL_CONDITIONAL`` (False: no
sitemap state is read or written).

Stats: ``incremental/sitemap_pages_read``, ``incremental/sitemap_pages_deferred`` (due, but
over the budget), ``incremental/sitemap_failed``, ``incremental/edits_found`` (stored
articles re-fetched because a newer change was announced), ``incremental/lastmod_covered``
(announced changes the stored version already had), ``incremental/left_sitemap``.

An incremental run also holds back links to a second address (``/node/<nid>``) until idle
(:meth:`ChangeSignalsMixin.candidate`): the article's own URL usually comes too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from pymongo.errors import PyMongoError
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from unsmil_crawler.extensions.run_context import run_context
from unsmil_crawler.extract import discovery
from unsmil_crawler.extract.discovery import Entry, SitemapError
from unsmil_crawler.extract.urls import canonicalize, path_of
from unsmil_crawler.items import LastmodItem
from unsmil_crawler.storage.connection import require_database
from unsmil_crawler.storage.sitemap_state import (
    PageState,
    SitemapRun,
    pages_to_read,
    save_sitemap_state,
)


class ChangeSignalsMixin:
    """Sitemap and feed callbacks of the news spider."""

    sitemap_run: SitemapRun
    announced_lastmods: dict[str, datetime]
    """Change dates announced in this run, by URL as the sitemap or feed gave it."""

    # The spider provides crawler, logger, site, mode, langs, stored, profile, base_url, _parsed,
    # and wants(), discovered() and article_request().

    def sitemap_requests(self) -> Iterator[Request]:
        self.sitemap_run = SitemapRun(seen=self.stored.sitemap_pages)
        if self.mode == "incremental" and self.crawler.settings.getint(
                "INCREMENTAL_SITEMAP_PAGES") <= 0:
            return
        for path in self.profile.sitemap_paths:
            yield self._sitemap_request(self.profile.url(self.base_url, path), None)

    def _sitemap_request(self, url: str, lastmod: datetime | None) -> Request:
        self.sitemap_run.requested()
        return Request(url, callback=self.parse_sitemap, errback=self.on_sitemap_error,
                       meta={"kind": "sitemap", "sitemap_url": url, "index_lastmod": lastmod},
                       priority=5)

    def lastmod_for(self, *urls: str) -> datetime | None:
        """The newest change date this run saw announced for any of ``urls``."""
        found = [self.announced_lastmods[u] for u in urls if u in self.announced_lastmods]
        return max(found) if found else None

    # -- callbacks ---------------------------------------------------------------------
    def parse_feed(self, response: Response) -> Iterator[Any]:
        yield from self.announced(discovery.feed_entries(response.body, response.url), "feed")

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        stats = self.crawler.stats
        url = response.meta["sitemap_url"]
        try:
            is_index, entries = discovery.sitemap_entries(response.body, response.url)
        except SitemapError as exc:
            self.logger.warning("Sitemap %s did not load: %s", url, exc)
            stats.inc_value("incremental/sitemap_failed")
            self.sitemap_run.did_not_load(url)
            yield from self._after_sitemap()
            return
        if is_index:
            self.sitemap_run.index_loaded()
            pages = entries
            if self.mode == "incremental":
                budget = self.crawler.settings.getint("INCREMENTAL_SITEMAP_PAGES")
                pages, deferred = pages_to_read(entries, self.sitemap_run.seen, budget)
                if deferred:
                    stats.inc_value("incremental/sitemap_pages_deferred", deferred)
            for entry in pages:
                yield self._sitemap_request(entry.url, entry.lastmod)
        else:
            stats.inc_value("incremental/sitemap_pages_read")
            self.sitemap_run.loaded(PageState(url, response.meta["index_lastmod"],
                                              datetime.now(UTC), [e.url for e in entries]))
            yield from self.announced(entries, "sitemap", page=url)
        yield from self._after_sitemap()

    def on_sitemap_error(self, failure: Failure) -> Iterator[Request]:
        url = failure.request.meta["sitemap_url"]
        self.logger.warning("Sitemap %s did not load: %s", url, failure.getErrorMessage())
        self.crawler.stats.inc_value("incremental/sitemap_failed")
        self.crawler.stats.inc_value("fetch/failed/sitemap")
        self.sitemap_run.did_not_load(url)
        yield from self._after_sitemap()

    # -- decisions ---------------------------------------------------------------------
    def announced(self, entries: list[Entry], source: str,
                  page: str | None = None) -> Iterator[Any]:
        """Request new URLs, and stored ones whose announced change is newer than stored."""
        stats = self.crawler.stats
        for entry in entries:
            url, lastmod = entry.url, entry.lastmod
            if lastmod is not None:
                self.announced_lastmods[url] = max(lastmod,
                                                   self.announced_lastmods.get(url, lastmod))
            if (self.mode == "full" or lastmod is None or not self.stored.is_stored(url)
                    or url in self._parsed or not self.wants(url)):
                yield from self.discovered([url], source, page)
                continue
            verdict = self.stored.announced(url, lastmod)
            if verdict == "changed":
                stats.inc_value("incremental/edits_found")
                yield self.article_request(url, source=f"{source}_lastmod", page=page)
            elif verdict == "covered":
                stats.inc_value("incremental/lastmod_covered")
                yield LastmodItem(url=self.stored.resolve(url), lang=self.stored.lang(url)
                                  or self.profile.lang_of_path(path_of(url)),
                                  sitemap_lastmod=lastmod)
            else:
                stats.inc_value("discovery/skipped_known")

    def _after_sitemap(self) -> Iterator[Request]:
        """Once every sitemap page of the run is in: re-request what left them, once."""
        run = self.sitemap_run
        if run.pending or run.left_checked or self.mode != "incremental":
            return
        run.left_checked = True
        for url in run.left():
            canonical = canonicalize(url)
            if self.stored.is_stored(canonical) and canonical not in self._parsed \
                    and self.wants(canonical):
                self.crawler.stats.inc_value("incremental/left_sitemap")
                yield self.article_request(canonical, source="left_sitemap")

    def candidate(self, url: str, **kwargs: Any) -> Iterator[Request]:
        """:meth:`article_request`, except that an incremental run holds back a link to a
        second address (``/node/<nid>``) until idle: the article's own URL, from a feed, the
        sitemap or a neighbour, usually comes too and names it; one request, not two."""
        second = self.profile.second_address
        if self.mode == "incremental" and second and second.match(path_of(url)):
            self._deferred.setdefault(url, kwargs)
            return
        yield self.article_request(url, **kwargs)

    def request_deferred(self) -> None:
        """At idle: the held-back second addresses whose article never came by its own URL."""
        waiting = {u: kw for u, kw in self._deferred.items() if u not in self._parsed}
        self._deferred.clear()
        for url, kwargs in waiting.items():
            self.crawler.engine.crawl(self.article_request(url, **kwargs))
        if waiting:
            raise DontCloseSpider

    def save_sitemap_state(self, reason: str) -> None:
        """Record the pages read in full, if the run finished (see sitemap_state)."""
        settings = self.crawler.settings
        if reason != "finished" or not settings.getbool("INCREMENTAL_CONDITIONAL"):
            return
        try:
            save_sitemap_state(require_database(settings), self.sitemap_run.complete(),
                               self.site, self.langs, run_context(self.crawler).run_id)
        except PyMongoError as exc:  # the pages are read again next run; nothing is lost
            self.logger.warning("Could not record the sitemap pages read: %s", exc)

"""The news spider: every article of one mission site, in each of its languages, once.

Arguments (``-a NAME=VALUE``): ``site`` (a registered site profile, default ``unsmil``; see
:mod:`unsmil_crawler.sites`), ``base_url`` (default the site's real address; the allowed
domain follows it), ``lang`` (comma-separated; default every language of the site),
``mode`` (``full`` or ``incremental``, the default), ``start_url`` (any article or listing
page to begin from as well).

Full mode discovers article URLs in parallel from every listing page (the pager is fanned
out from its "last" link), the RSS feeds and the sitemap, and also walks ``previous`` and
``next`` (and the translation links) from every article it parses, so a dead link or a
missing listing never cuts the archive off. Incremental mode (see
:mod:`unsmil_crawler.storage.known_articles`) starts from the newest end and stops where the
stored archive begins; the sitemap's and feeds' change dates bring back what changed anywhere
else (:mod:`unsmil_crawler.spiders.change_signals`).

A killed run of the same mode is continued (:mod:`unsmil_crawler.spiders.resume_walk`): the
articles it stored count as parsed, and their stored links are requested instead.

Settings read: ``RESUME_ENABLED``, ``RESUME_MAX_AGE``, ``RENDER_MIN_BODY_CHARS`` (a thinner
body on an article page is rendered with a browser, see
:mod:`unsmil_crawler.middlewares.rendering`), ``INCREMENTAL_KNOWN_STREAK`` (incremental mode;
the rest in :mod:`unsmil_crawler.storage.known_articles` and
:mod:`unsmil_crawler.spiders.change_signals`).

Stats: ``page/article``, ``page/non_article``, ``page/duplicate_url`` (another URL of an
article already parsed in this run), ``chain/with_prev``, ``chain/with_next``,
``chain/no_neighbour`` (parsed articles by the neighbour links they gave), ``chain/end``,
``chain/broken``, ``chain/inconsistent``, ``chain/cycle``, ``discovery/<source>``,
``discovery/skipped_known``, ``discovery/offsite``,
``incremental/not_modified`` (304s), ``incremental/gone`` (stored articles answering
404/410), ``incremental/known_listed`` (stored articles the listings and feeds still list,
each once), the ``incremental/*`` counts of :mod:`.change_signals`,
``resume/articles_skipped``, ``extract/<field>/<signal>``,
``extract/missing/<field>``, ``extract/body/dropped_chars``, ``fetch/failed/<kind>``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from unsmil_crawler.extensions.jobdir_guard import JobdirGuard
from unsmil_crawler.extract import discovery
from unsmil_crawler.extract.article import (
    EXTRACTOR_VERSION,
    ExtractionReport,
    extract_article,
)
from unsmil_crawler.extract.chain import ChainTracker
from unsmil_crawler.extract.urls import canonicalize, path_of, same_host
from unsmil_crawler.items import AliasItem, ArticleItem, GoneItem, NotModifiedItem
from unsmil_crawler.middlewares.render import RenderMiddleware
from unsmil_crawler.middlewares.rendering import (
    RenderBudget,
)
from unsmil_crawler.sites import DEFAULT_SITE, get_profile
from unsmil_crawler.spiders.chain_walk import ChainWalkMixin
from unsmil_crawler.spiders.change_signals import ChangeSignalsMixin
from unsmil_crawler.spiders.render_walk import RenderMixin
from unsmil_crawler.spiders.resume_walk import ResumeMixin
from unsmil_crawler.storage import known_articles, resume
from unsmil_crawler.storage.sitemap_state import SitemapRun

MODES = ("full", "incremental")
_ARTICLE_FIELDS = ("url", "title", "published", "body", "prev_url", "next_url")


class UnsmilNewsSpider(ChainWalkMixin, ResumeMixin, RenderMixin, ChangeSignalsMixin,
                       scrapy.Spider):
    name = "unsmil_news"

    def __init__(
        self,
        site: str = DEFAULT_SITE,
        base_url: str | None = None,
        lang: str | None = None,
        mode: str = "incremental",
        start_url: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.profile = get_profile(site)
        self.site = self.profile.name
        self.base_url = (base_url or self.profile.base_url).rstrip("/")
        host = urlsplit(self.base_url).hostname
        if not host:
            raise ValueError(f"base_url must be an absolute http(s) URL, got {base_url!r}")
        self.allowed_domains = [host]
        self.langs = tuple(
            code.strip() for code in (lang or ",".join(self.profile.languages)).split(",")
        )
        unknown = set(self.langs) - set(self.profile.languages)
        if unknown:
            raise ValueError(f"unknown language(s) {sorted(unknown)}; use {self.profile.languages}")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        self.mode = mode
        self.requested_mode = mode
        """``mode`` may turn to full at start (see :meth:`start`); this keeps what was asked."""
        self.start_url = start_url
        self.chain = ChainTracker()
        self._parsed: set[str] = set()
        self._emitted: set[str] = set()
        self.stored = known_articles.KnownState()
        self.render_budget: RenderBudget | None = None
        self._resume_point: resume.ResumePoint | None = None
        self._resuming = False
        """Resuming a killed run: the sitemap, not the listings' pagers, finds again what it
        had discovered but not fetched (a handful of requests instead of every listing
        page); the pagers are fanned out only if the sitemap fails."""
        self._rendering: set[str] = set()
        """Canonical URLs of articles sent to the browser (a second URL of one is an alias)."""
        self.announced_lastmods: dict[str, datetime] = {}
        self.sitemap_run = SitemapRun()
        self._known_listed: set[str] = set()
        self._deferred: dict[str, dict[str, Any]] = {}
        """Second addresses (``/node/<nid>``) held back: URL -> article_request arguments."""

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> UnsmilNewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.request_deferred, signal=signals.spider_idle)
        return spider

    # -- start -------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Request]:
        self.stored = known_articles.load_known_state(self.crawler.settings, self.site,
                                                      self.langs, mode=self.mode)
        renderer = self.crawler.get_downloader_middleware(RenderMiddleware)
        self.render_budget = renderer.budget if renderer is not None else None
        guard = self.crawler.get_extension(JobdirGuard)
        killed = self._find_killed_run() or (guard and guard.discarded)
        if self.mode == "incremental" and (not len(self.stored) or killed):
            # Nothing stored yet, or a killed run left an unknown gap: stopping at the first
            # stored pages could leave articles behind for good.
            self.logger.warning("Incremental run with %s: crawling in full mode instead",
                                "an empty store" if not len(self.stored)
                                else "the state of a killed run")
            self.mode = "full"
        for request in self._resume():
            yield request
        for request in self.rerender_requests():
            yield request
        if self.start_url:
            yield Request(self.start_url, callback=self.parse_any, errback=self.on_error,
                          meta={"kind": "start"})
        for lang in self.langs:
            url = self.profile.url(self.base_url, self.profile.listing_paths[lang])
            yield Request(url, callback=self.parse_listing, errback=self.on_error,
                          meta={"kind": "listing", "lang": lang}, priority=10)
            for path in self.profile.feed_paths[lang]:
                yield Request(self.profile.url(self.base_url, path), callback=self.parse_feed,
                              errback=self.on_error, meta={"kind": "feed", "lang": lang},
                              priority=10)
        for request in self.sitemap_requests():
            yield request
        # Incremental: the newest stored articles; full: every stored one, so an article
        # that vanished from listings and sitemap is still re-checked (and found gone).
        for url in (self.stored.recheck if self.mode == "incremental" else self.stored.urls()):
            if url not in self._parsed:
                yield self.article_request(url, source="recheck")

    # -- requests ----------------------------------------------------------------------
    def wants(self, url: str) -> bool:
        """Whether ``url`` is worth requesting as a candidate article of this crawl."""
        if not same_host(url, self.base_url):
            self.crawler.stats.inc_value("discovery/offsite")
            return False
        if self.profile.skip_url.search(url):
            return False
        return self.profile.lang_of_path(path_of(url)) in self.langs

    def article_request(
        self, url: str, *, source: str, chain: dict[str, Any] | None = None,
        page: str | None = None,
    ) -> Request:
        """A request for a candidate article; conditional when the page is already stored.

        ``page``: the sitemap page that asked for it (a failure keeps that page unrecorded).
        """
        meta: dict[str, Any] = {"kind": "article", "source": source,
                                "handle_httpstatus_list": [304, 404, 410]}
        if chain:
            meta.update(chain)
        if page:
            meta["sitemap_page"] = page
        headers = self.stored.conditional_headers(url)
        return Request(url, callback=self.parse_article, errback=self.on_error, meta=meta,
                       headers=headers)

    def discovered(self, urls: list[str], source: str,
                   page: str | None = None) -> Iterator[Request]:
        stats = self.crawler.stats
        for url in urls:
            if not self.wants(url):
                continue
            if url in self._parsed or (self.mode == "incremental" and self.stored.is_stored(url)):
                stats.inc_value("discovery/skipped_known")
                if (source in ("listing", "feed") and self.mode == "incremental"
                        and self.stored.is_stored(url) and url not in self._known_listed):
                    # Proof of life on a quiet day, when no article needs fetching.
                    self._known_listed.add(url)
                    stats.inc_value("incremental/known_listed")
                continue
            stats.inc_value(f"discovery/{source}")
            yield from self.candidate(url, source=source, page=page)

    # -- callbacks ---------------------------------------------------------------------
    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Any page of the site, routed as the crawl would: ``scrapy parse URL`` needs no ``-c``.

        A sitemap or feed is told by its XML root; any other page by its markup.
        """
        head = response.body[:1024].lstrip()
        if head.startswith(b"<?xml") or head.startswith(b"<"):
            if b"<urlset" in head or b"<sitemapindex" in head:
                yield from self.parse_sitemap(response)
                return
            if b"<rss" in head or b"<feed" in head:
                yield from self.parse_feed(response)
                return
        yield from self.parse_any(response)

    def parse_any(self, response: Response) -> Iterator[Any]:
        """A start URL may be a listing or an article: let the page say which it is."""
        if extract_article(response.selector, response.url, self.profile)[1].is_article:
            yield from self.parse_article(response)
        else:
            yield from self.parse_listing(response)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        yield from self.discovered(
            discovery.listing_article_urls(response, response.url, self.profile), "listing"
        )
        if (self.mode == "full" and not response.meta.get("fanned_out")
                and (not self._resuming or response.meta.get("resume_fallback"))):
            pages, complete = discovery.listing_page_urls(response, response.url, self.profile)
            for url in pages:
                yield Request(url, callback=self.parse_listing, errback=self.on_error,
                              meta={"kind": "listing", "lang": response.meta.get("lang"),
                                    "fanned_out": complete}, priority=10)

    def parse_article(self, response: Response) -> Iterator[Any]:
        """An article page: its item, then requests for its previous/next neighbours.

        Contracts (``scrapy check unsmil_news -a base_url=<the offline site>``,
        see :mod:`unsmil_crawler.contracts`):

        @site_path /node/1003
        @returns items 1 1
        @returns requests 1 2
        @filled url lang title published paragraphs translations
        """
        stats = self.crawler.stats
        url = canonicalize(response.url)
        lang = self.profile.lang_of_path(path_of(url))
        if response.status == 304:
            stats.inc_value("incremental/not_modified")
            canonical = self.stored.resolve(url)
            links = self.stored.neighbours(url)
            self._parsed.update({url, canonical})
            stats.inc_value("chain/inconsistent", self.chain.add(
                canonical, [url] if url != canonical else [], prev=links["prev"],
                next=links["next"]))
            yield NotModifiedItem(url=canonical, lang=self.stored.lang(url) or lang,
                                  sitemap_lastmod=self.lastmod_for(url, canonical))
            yield from self.follow_chain(links, response, stored=True)
            return
        if response.status in (404, 410):
            yield from self.on_missing(response)
            return
        page, report = extract_article(response.selector, response.url, self.profile)
        if not report.is_article:
            stats.inc_value("page/non_article")
            if response.meta.get("chain_dir"):
                stats.inc_value("chain/broken")  # a neighbour link to a page that is no article
            return
        redirected = {canonicalize(u) for u in response.meta.get("redirect_urls", [])}
        if redirected:
            page.aliases = sorted((set(page.aliases) | redirected) - {page.url})
        body_status = None
        if page.url not in self._emitted and report.has_body_container:
            outcome = self.render_if_needed(page, response)
            if outcome is not None and not isinstance(outcome, str):
                yield outcome  # a render request, or an alias of a render under way
                return
            body_status = outcome
        stats.inc_value("page/article")
        self._count_signals(page, report)
        if report.dropped_chars:
            stats.inc_value("extract/body/dropped_chars", report.dropped_chars)
        stored = self.stored.is_stored(page.url)
        self._parsed.update([page.url, *page.aliases])
        stats.inc_value("chain/inconsistent", self.chain.add(
            page.url, page.aliases, prev=page.prev_url, next=page.next_url))
        yield self._item(page, response, body_status)
        yield from self.follow_chain({"prev": page.prev_url, "next": page.next_url},
                                     response, stored=stored)
        yield from self.follow_translations(page.translations)

    def _item(self, page: ArticleItem, response: Response,
              body_status: str | None = None) -> ArticleItem | AliasItem:
        """The extracted item, with what the response adds; an alias item for a URL of an
        article already yielded in this run."""
        if page.url in self._emitted:
            self.crawler.stats.inc_value("page/duplicate_url")
            return AliasItem(url=page.url, lang=page.lang, aliases=page.aliases)
        self._emitted.add(page.url)
        header = response.headers.get
        page.fetched_url = response.url
        page.etag = (header("ETag") or b"").decode("latin-1") or None
        page.last_modified = (header("Last-Modified") or b"").decode("latin-1") or None
        page.rendered = bool(response.meta.get("playwright"))
        page.sitemap_lastmod = self.lastmod_for(page.url, canonicalize(response.url),
                                                *page.aliases)
        page.extractor_version = EXTRACTOR_VERSION
        page.source = response.meta.get("warc_source")  # set by WarcArchiveMiddleware
        if body_status:
            page.body_status = body_status
            self.crawler.stats.inc_value("render/gave_up")
        return page

    def on_missing(self, response: Response) -> Iterator[Any]:
        stats = self.crawler.stats
        if response.meta.get("chain_dir"):
            stats.inc_value("chain/broken")
            self.logger.warning("Chain break: %s links %s as %r, which answers %s",
                                response.meta["chain_from"], response.url,
                                response.meta["chain_dir"], response.status)
        url = canonicalize(response.url)
        if self.stored.is_stored(url):
            stats.inc_value("incremental/gone")
            yield GoneItem(url=self.stored.resolve(url), lang=self.profile.lang_of_path(
                path_of(url)), status=response.status)
        else:
            stats.inc_value(f"fetch/failed/{response.meta.get('kind', 'article')}")

    def on_error(self, failure: Failure) -> Iterator[Request]:
        request = failure.request
        kind = request.meta.get("kind", "other")
        if request.meta.get("playwright"):
            yield self.after_render_error(request)
            return
        self.crawler.stats.inc_value(f"fetch/failed/{kind}")
        if kind == "sitemap" and self._resuming:
            self._resuming = False  # once is enough
            yield from self._fan_out_listings()
        if request.meta.get("sitemap_page"):
            self.sitemap_run.article_failed(request.meta["sitemap_page"])
        if failure.check(HttpError):
            status = failure.value.response.status
            self.logger.info("%s %s answered %s", kind, request.url, status)
        else:
            self.logger.error("%s %s failed: %s", kind, request.url, failure.getErrorMessage())

    def _count_signals(self, page: ArticleItem, report: ExtractionReport) -> None:
        stats = self.crawler.stats
        for name in _ARTICLE_FIELDS:
            signal = report.signals.get(name)
            if signal:
                stats.inc_value(f"extract/{name}/{signal}")
            elif name not in ("prev_url", "next_url"):
                stats.inc_value(f"extract/missing/{name}")
        self.count_neighbours(page)

    def closed(self, reason: str) -> None:
        self.save_sitemap_state(reason)
        cycles = self.chain.cycles()
        if cycles:
            self.crawler.stats.set_value("chain/cycle", cycles)
            self.logger.warning("The previous/next chain has %d cycle(s)", cycles)

"""Downloader middleware around browser rendering (scrapy-playwright): mark, count, recycle.

* Requests whose URL matches ``RENDER_URL_PATTERNS`` are sent through the browser (they
  count against ``RENDER_MAX_PAGES``, see :mod:`unsmil_crawler.middlewares.rendering`).
  The middleware owns the run's :class:`~unsmil_crawler.middlewares.rendering.RenderBudget`
  (:attr:`RenderMiddleware.budget`); the spider reaches it with
  ``crawler.get_downloader_middleware(RenderMiddleware)``.
* Responses that came back from the browser are counted (``render/rendered``); browser
  downloads that failed are counted (``render/failed``) and passed on untouched.
* Render retries (:func:`~unsmil_crawler.middlewares.rendering.get_render_retry_request`)
  wait out their backoff here, then run at most ``RENDER_RETRY_CONCURRENCY`` at a time.
* Browser contexts are recycled: every ``RENDER_PAGES_PER_CONTEXT`` rendered requests get a
  fresh context and the previous one is closed once its pages are done, so a long crawl's
  browser memory stays flat (scrapy-playwright keeps a context open until the crawl ends).

Nothing else is touched: plain requests pass through without a browser ever starting.

Settings read: ``RENDER_URL_PATTERNS``, ``RENDER_MAX_PAGES``, ``RENDER_PAGES_PER_CONTEXT``,
``RENDER_RETRY_CONCURRENCY``, ``DOWNLOAD_HANDLERS`` (only to warn when scrapy-playwright is
not wired in).

Enable it close to the download handler, after RetryMiddleware, so retries are re-marked
and every browser download passes here exactly once::

    DOWNLOADER_MIDDLEWARES = {"unsmil_crawler.middlewares.render.RenderMiddleware": 950}
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from typing import TYPE_CHECKING

from unsmil_crawler.middlewares.rendering import (
    RETRY_NOT_BEFORE,
    STATS_PREFIX,
    RenderBudget,
    render_meta,
    should_always_render,
    wait_for_body,
)

if TYPE_CHECKING:
    from typing import Self

    from playwright.async_api import BrowserContext
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

_CONTEXT_KEY = "render_context"  # set when this middleware owns the request's context
_PENDING_KEY = "_render_pending"  # set until this download's page has been accounted for
_RETRY_SLOT_KEY = "_render_retry_slot"  # set while a render retry holds a retry slot
_PLAYWRIGHT_HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"


def context_name(serial: int, pages_per_context: int) -> str:
    """Name of the browser context the ``serial``-th rendered request (from 0) goes to.

    >>> [context_name(i, 2) for i in range(5)]
    ['render-0', 'render-0', 'render-1', 'render-1', 'render-2']
    """
    return f"render-{serial // pages_per_context}"


class RenderMiddleware:
    """Marks pattern URLs for rendering, counts browser responses, recycles contexts."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.pages_per_context = max(crawler.settings.getint("RENDER_PAGES_PER_CONTEXT"), 1)
        self.budget = RenderBudget(crawler.settings.getint("RENDER_MAX_PAGES"), crawler.stats)
        self._serial = 0
        self._in_flight: Counter[str] = Counter()
        self._contexts: dict[str, BrowserContext] = {}
        self._retry_slots = asyncio.Semaphore(
            crawler.settings.getint("RENDER_RETRY_CONCURRENCY"))
        handlers = crawler.settings.getdict("DOWNLOAD_HANDLERS")
        if _PLAYWRIGHT_HANDLER not in {str(v) for v in handlers.values()}:
            logger.warning("DOWNLOAD_HANDLERS lacks scrapy-playwright: no page will be rendered")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    # -- request side ------------------------------------------------------------------

    async def process_request(self, request: Request) -> None:
        if not request.meta.get("playwright"):
            url = request.url
            if not should_always_render(url, self.crawler.settings):
                return
            if not self.budget.take("url pattern"):
                return
            # Marked in place: the request already passed the dupefilter and scheduler.
            request.meta.update(render_meta(self.crawler.settings, self.crawler.spider.profile,
                                            "url pattern"))
        if "playwright_context" in request.meta and _CONTEXT_KEY not in request.meta:
            return  # the spider chose its own context: not ours to recycle
        not_before = request.meta.pop(RETRY_NOT_BEFORE, None)
        if not_before is not None:
            # A render retry: its backoff, then one of the few retry slots, so a machine too
            # busy to render in time gets fewer pages at once, not more.
            await asyncio.sleep(max(0.0, not_before - time.monotonic()))
            await self._retry_slots.acquire()
            request.meta[_RETRY_SLOT_KEY] = True
        self._assign_context(request)

    def _assign_context(self, request: Request) -> None:
        name = context_name(self._serial, self.pages_per_context)
        self._serial += 1
        self._in_flight[name] += 1
        request.meta.pop("playwright_page", None)  # a retry must not reuse a closed page
        request.meta.update(
            {
                _CONTEXT_KEY: name,
                _PENDING_KEY: True,
                "playwright_context": name,
                "playwright_include_page": True,
            }
        )

    # -- response side -----------------------------------------------------------------

    async def process_response(self, request: Request, response: Response) -> Response:
        if "playwright" in response.flags:
            self.stats.inc_value(f"{STATS_PREFIX}/rendered")
            if not _body_found(request):
                self.stats.inc_value(f"{STATS_PREFIX}/body_missing")
                logger.info("Rendered %s but its body never appeared", request.url)
        await self._finish(request)
        return response

    async def process_exception(self, request: Request, exception: Exception) -> None:
        if request.meta.get("playwright"):
            self.stats.inc_value(f"{STATS_PREFIX}/failed")
            logger.warning("Rendering %s failed: %r", request.url, exception)
        await self._finish(request)

    async def _finish(self, request: Request) -> None:
        """Close the request's page, then its context once retired and idle.

        Once per download: another middleware may turn the exception seen here into a
        response that passes here again.
        """
        if request.meta.pop(_RETRY_SLOT_KEY, False):
            self._retry_slots.release()
        if not request.meta.pop(_PENDING_KEY, False):
            return
        name = request.meta[_CONTEXT_KEY]
        page = request.meta.pop("playwright_page", None)
        if page is not None:
            self._contexts.setdefault(name, page.context)
            if not page.is_closed():
                await page.close()
        self._in_flight[name] -= 1
        retired = name != context_name(self._serial, self.pages_per_context)
        if retired and self._in_flight[name] <= 0:
            del self._in_flight[name]
            context = self._contexts.pop(name, None)
            if context is not None:
                await context.close()
                self.stats.inc_value(f"{STATS_PREFIX}/contexts_closed")


def _body_found(request: Request) -> bool:
    """False only when our wait-for-body page method ran and timed out."""
    methods = request.meta.get("playwright_page_methods") or ()
    return all(pm.result is not False for pm in methods if pm.method is wait_for_body)

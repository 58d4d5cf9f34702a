"""Re-request a page through a headless browser (scrapy-playwright), only when it needs one.

Modelled on :func:`scrapy.downloadermiddlewares.retry.get_retry_request`: the spider sees an
article whose body came out empty and asks :func:`get_render_request` for a copy of the
request that goes through Chromium; the copy is refused once the per-run page budget
(:class:`RenderBudget`, owned by :class:`~unsmil_crawler.middlewares.render.RenderMiddleware`)
is spent, so a template change cannot turn a crawl into thousands of browser renders.

A render that failed or whose body never appeared is retried later in the run through
:func:`get_render_retry_request`: at a lower priority (after the rest of the queue), after a
backoff, at most ``RENDER_RETRY_CONCURRENCY`` at a time (enforced by
:class:`~unsmil_crawler.middlewares.render.RenderMiddleware`), navigating only until
``domcontentloaded`` (not the full ``load`` event, which a busy machine or a slow resource
can delay past any timeout) and waiting longer for the body selector.

Settings read here (defaults in :mod:`unsmil_crawler.addon`):

* ``RENDER_MAX_PAGES`` -- browser renders allowed per run (0 renders nothing).
* ``RENDER_WAIT_SELECTOR`` -- CSS selector that shows the body is there (unset: the site
  profile's :attr:`~unsmil_crawler.sites.SiteProfile.body_ready`).
* ``RENDER_WAIT_TIMEOUT`` -- seconds to wait for that selector; doubled on each retry.
* ``RENDER_RETRY_TIMES`` -- retries of a failed render before the article is kept without
  its body (``body_status: "render_failed"``).
* ``RENDER_RETRY_BACKOFF`` -- seconds before the first retry, doubled on each further one.
* ``RENDER_RETRY_PRIORITY_ADJUST`` -- added to a retry's priority (negative: later).
* ``RENDER_URL_PATTERNS`` -- regexes (``re.search``) of URLs always rendered.
* ``RENDER_MIN_BODY_CHARS`` -- a body shorter than this counts as missing.

Stats (all under ``render/``): ``render/requested`` (and ``render/requested/<reason>``),
``render/budget_exhausted``, ``render/retried``, ``render/retries_exhausted``. The download
side (``render/rendered``, ``render/failed``,
``render/body_missing``) is counted by :mod:`unsmil_crawler.middlewares.render`.
"""

from __future__ import annotations

import logging
import re
import time
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy_playwright.page import PageMethod

if TYPE_CHECKING:
    from collections.abc import Iterable

    from playwright.async_api import Page
    from playwright.async_api import Request as BrowserRequest
    from scrapy import Spider
    from scrapy.http import Request
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

    from unsmil_crawler.sites import SiteProfile

logger = logging.getLogger(__name__)

STATS_PREFIX = "render"
RETRY_NOT_BEFORE = "render_not_before"
"""Meta key: monotonic time before which a render retry is not downloaded."""
BLOCKED_RESOURCE_TYPES = frozenset({"image", "font", "media"})
# A 304 answered to the browser would render as an empty page: the copy must fetch in full.
_CONDITIONAL_HEADERS = (b"If-None-Match", b"If-Modified-Since")
# Meta that describes one download of the original (Scrapy's MetaCopyDetectionMiddleware
# warns about these): the copy is a new download with its own redirects and retries.
_PER_DOWNLOAD_META = frozenset(
    {
        "_auth_proxy",
        "_dont_cache",
        "_scheme_proxy",
        "cache_timestamp",
        "download_latency",
        "redirect_reasons",
        "redirect_times",
        "redirect_ttl",
        "redirect_urls",
        "retry_times",
    }
)


def body_too_short(paragraphs: Iterable[str], settings: BaseSettings) -> bool:
    """True when the extracted body is below ``RENDER_MIN_BODY_CHARS`` (i.e. worth a render).

    >>> from scrapy.settings import Settings
    >>> one = Settings({"RENDER_MIN_BODY_CHARS": 1})
    >>> body_too_short([], one), body_too_short(["  ", ""], one)
    (True, True)
    >>> body_too_short(["short"], Settings({"RENDER_MIN_BODY_CHARS": 200}))
    True
    >>> body_too_short(["Tripoli, 3 May"], one)
    False
    """
    minimum = max(settings.getint("RENDER_MIN_BODY_CHARS"), 1)
    return sum(len(p.strip()) for p in paragraphs) < minimum


@lru_cache(maxsize=8)
def _compile(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def should_always_render(url: str, settings: BaseSettings) -> bool:
    """True when ``url`` matches one of the ``RENDER_URL_PATTERNS`` regexes.

    >>> from scrapy.settings import Settings
    >>> s = Settings({"RENDER_URL_PATTERNS": [r"/media/", r"/statements?/\\d+$"]})
    >>> should_always_render("https://unsmil.unmissions.org/en/media/video-1", s)
    True
    >>> should_always_render("https://unsmil.unmissions.org/en/statement/12", s)
    True
    >>> should_always_render("https://unsmil.unmissions.org/en/news/a", s)
    False
    >>> should_always_render("https://unsmil.unmissions.org/en/media/x",
    ...                      Settings({"RENDER_URL_PATTERNS": []}))
    False
    """
    patterns = tuple(settings.getlist("RENDER_URL_PATTERNS"))
    return any(p.search(url) for p in _compile(patterns))


def render_meta(settings: BaseSettings, profile: SiteProfile, reason: str,
                attempt: int = 0) -> dict[str, object]:
    """The request meta that sends a request through the browser and waits for the body.

    >>> from scrapy.settings import Settings
    >>> from unsmil_crawler.sites import get_profile
    >>> meta = render_meta(Settings({"RENDER_WAIT_TIMEOUT": 2}), get_profile("unsmil"),
    ...                    "empty body")
    >>> meta["playwright"], meta["render_reason"], "playwright_page_goto_kwargs" in meta
    (True, 'empty body', False)
    >>> meta["playwright_page_methods"][0].args
    ('.field--name-body p, .field-name-body p', 2000)
    >>> retry = render_meta(Settings({"RENDER_WAIT_TIMEOUT": 2}), get_profile("unsmil"), "x",
    ...                     attempt=2)
    >>> retry["playwright_page_methods"][0].args[1], retry["render_attempt"]
    (8000, 2)
    >>> retry["playwright_page_goto_kwargs"]
    {'wait_until': 'domcontentloaded'}
    """
    # An explicit setting beats the site's own selector (one site, one odd template).
    selector = settings.get("RENDER_WAIT_SELECTOR") or profile.body_ready
    timeout_ms = int(settings.getfloat("RENDER_WAIT_TIMEOUT") * 1000)
    meta: dict[str, object] = {
        "playwright": True,
        "playwright_page_methods": [PageMethod(wait_for_body, selector, timeout_ms * 2**attempt)],
        "render_reason": reason,
        "render_attempt": attempt,
    }
    if attempt:
        # A retry stops waiting for the full "load" event, which a busy machine or a slow
        # resource can push past any timeout; the body selector is what counts. The first
        # try keeps "load": pages that finish loading before they close keep Chromium's
        # memory flatter (tests/test_rendering.py measures it).
        meta["playwright_page_goto_kwargs"] = {"wait_until": "domcontentloaded"}
    return meta


class RenderBudget:
    """Browser renders left in this run (``RENDER_MAX_PAGES``), shared by the spider's
    empty-body renders and the middleware's URL-pattern renders.

    The count lives here, not in the stats (which only report it): with Scrapy's no-op
    ``DummyStatsCollector`` a budget kept in stats would never run out.

    >>> from scrapy.statscollectors import DummyStatsCollector
    >>> from scrapy.utils.test import get_crawler
    >>> budget = RenderBudget(2, DummyStatsCollector(get_crawler()))
    >>> [budget.take("empty body") for _ in range(3)], budget.left
    ([True, True, False], 0)
    """

    def __init__(self, pages: int, stats: StatsCollector) -> None:
        self.left = max(pages, 0)
        self.stats = stats

    def take(self, reason: str) -> bool:
        """Count one render; False (and ``render/budget_exhausted``) when none is left."""
        if self.left <= 0:
            self.stats.inc_value(f"{STATS_PREFIX}/budget_exhausted")
            return False
        self.left -= 1
        self.stats.inc_value(f"{STATS_PREFIX}/requested")
        self.stats.inc_value(f"{STATS_PREFIX}/requested/{reason}")
        return True


def get_render_request(
    request: Request, *, spider: Spider, reason: str, budget: RenderBudget | None
) -> Request | None:
    """A copy of ``request`` rendered by the browser, or None if it must not be rendered.

    None when ``request`` already went (or is going) through the browser, when the run's
    page ``budget`` is spent, or when there is none (RenderMiddleware is not enabled). The
    copy keeps callback, cb_kwargs, priority and the spider's own meta, bypasses the
    dupefilter (the URL was just seen) and drops conditional headers.
    """
    if request.meta.get("playwright") or "render_reason" in request.meta:
        logger.debug("Not rendering %s again (%s)", request, reason, extra={"spider": spider})
        return None
    if budget is None:
        logger.debug("No RenderMiddleware, not rendering %s", request, extra={"spider": spider})
        return None
    if not budget.take(reason):
        logger.warning(
            "Render budget spent, not rendering %s (%s)", request, reason, extra={"spider": spider}
        )
        return None
    copy = _browser_copy(request, render_meta(spider.crawler.settings, spider.profile, reason))
    logger.debug("Rendering %s (%s)", copy, reason, extra={"spider": spider})
    return copy


def _browser_copy(request: Request, meta: dict[str, object], **kwargs: object) -> Request:
    """``request`` with ``meta`` for the browser, as a fresh full download."""
    keep = {
        k: v
        for k, v in request.meta.items()
        if k not in _PER_DOWNLOAD_META and not k.startswith(("playwright", "render_", "_render"))
    }
    copy = request.replace(meta={**keep, **meta}, dont_filter=True, **kwargs)
    for name in _CONDITIONAL_HEADERS:
        copy.headers.pop(name, None)
    return copy


def get_render_retry_request(request: Request, *, spider: Spider, reason: str
                             ) -> Request | None:
    """Another render of a render that failed (``reason``), later in the run; None when
    ``RENDER_RETRY_TIMES`` retries were already spent on it.

    Retries do not count against ``RENDER_MAX_PAGES``: they are bounded per page instead.
    """
    settings = spider.crawler.settings
    stats = spider.crawler.stats
    attempt = int(request.meta.get("render_attempt", 0)) + 1
    if attempt > settings.getint("RENDER_RETRY_TIMES"):
        stats.inc_value(f"{STATS_PREFIX}/retries_exhausted")
        logger.warning("Rendering %s failed %d times (%s): giving up", request.url, attempt,
                       reason, extra={"spider": spider})
        return None
    meta = render_meta(settings, spider.profile, str(request.meta.get("render_reason", reason)),
                       attempt)
    meta[RETRY_NOT_BEFORE] = time.monotonic() + settings.getfloat(
        "RENDER_RETRY_BACKOFF") * 2 ** (attempt - 1)
    priority = request.priority + settings.getint("RENDER_RETRY_PRIORITY_ADJUST")
    stats.inc_value(f"{STATS_PREFIX}/retried")
    logger.info("Rendering %s failed (%s): retry %d later in the run", request.url, reason,
                attempt, extra={"spider": spider})
    return _browser_copy(request, meta, priority=priority)


async def wait_for_body(page: Page, selector: str, timeout_ms: int) -> bool:
    """Page method: wait until the body selector is attached; False on timeout.

    Unlike a bare ``PageMethod("wait_for_selector")`` a timeout does not fail the download:
    the page (title, date, links) still reaches the spider, which retries the render later or,
    once retries are spent, keeps the article without its body.
    """
    # Imported here so that importing this module (settings, spiders) never loads playwright.
    from playwright.async_api import TimeoutError as PlaywrightTimeoutError

    try:
        await page.wait_for_selector(selector, state="attached", timeout=timeout_ms)
    except PlaywrightTimeoutError:
        return False
    return True


def _host(url: str) -> str | None:
    return urlsplit(url).hostname


def abort_request(request: BrowserRequest) -> bool:
    """``PLAYWRIGHT_ABORT_REQUEST``: abort images, fonts, media and other hosts' requests.

    The body is text: nothing else the page loads changes what we store, and every
    third-party request is time, memory and a privacy leak. The main-frame navigation is
    always let through (it may redirect, e.g. http -> https).
    """
    if request.resource_type in BLOCKED_RESOURCE_TYPES:
        return True
    try:
        frame = request.frame
    except Exception:  # service-worker requests have no frame: they are never the page
        return True
    if request.is_navigation_request() and frame.parent_frame is None:
        return False
    page_host = _host(frame.page.main_frame.url)
    return page_host is not None and _host(request.url) != page_host

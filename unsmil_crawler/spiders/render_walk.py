"""The news spider's use of the browser: when an article's body needs one, and what a
failure leaves.

The how (budget, retries, page methods) is :mod:`unsmil_crawler.middlewares.rendering`'s; this
mixin decides per article. A body that never renders is not lost: the page is fetched plainly
once more and the article kept with ``body_status: "render_failed"``, which the next run
renders first. Settings read: ``RENDER_MIN_BODY_CHARS`` (through
:func:`~unsmil_crawler.middlewares.rendering.body_too_short`). Stats: ``render/gave_up`` is
counted where the item is built.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Request, Response

from unsmil_crawler.items import RENDER_FAILED, AliasItem, ArticleItem
from unsmil_crawler.middlewares.rendering import (
    body_too_short,
    get_render_request,
    get_render_retry_request,
)

RERENDER_PRIORITY = 20
"""Above listings (10): articles stored without body are re-rendered before anything else."""
SPIDER_META = ("kind", "source", "chain_from", "chain_dir", "known_streak",
               "handle_httpstatus_list")
"""The spider's own request meta (what a plain re-fetch after a failed render keeps)."""


class RenderMixin:
    """Mixed into the news spider, whose ``stored``, ``_parsed``, ``_rendering``,
    ``render_budget`` and ``article_request`` it uses."""

    def rerender_requests(self) -> Iterator[Request]:
        """Articles an earlier run stored without body, rendered ahead of everything."""
        for url in self.stored.render_failed:
            render = get_render_request(self.article_request(url, source="rerender"),
                                        spider=self, reason="stored without body",
                                        budget=self.render_budget)
            if render is not None:
                self._parsed.add(url)
                yield render.replace(priority=RERENDER_PRIORITY)

    def render_if_needed(self, page: ArticleItem, response: Response) -> Any:
        """None when the body is there; a render request (or an alias item, for another URL
        of an article whose render is under way) to yield instead of the article; or
        ``RENDER_FAILED`` when rendering failed for good and the article is kept without
        body."""
        if not body_too_short(page.paragraphs, self.crawler.settings):
            return None
        first_fetch = not (response.meta.get("playwright") or response.meta.get("render_failed"))
        if first_fetch and page.url in self._rendering:
            return AliasItem(url=page.url, lang=page.lang, aliases=page.aliases)
        render = self._render_again(response)
        if render is not None:
            self._rendering.add(page.url)
            return render
        return RENDER_FAILED

    def _render_again(self, response: Response) -> Request | None:
        """A browser render of an article whose body is missing; a later retry when the
        browser already tried; None once retries are spent or after the plain re-fetch."""
        meta = response.meta
        if meta.get("render_failed"):
            return None
        if meta.get("playwright"):
            return get_render_retry_request(response.request, spider=self,
                                            reason="body never appeared")
        return get_render_request(response.request, spider=self, reason="empty body",
                                  budget=self.render_budget)

    def after_render_error(self, request: Request) -> Request:
        """A later retry of a failed render; out of retries, a plain re-fetch, so the article
        is still stored, with its title, date and links and ``body_status: "render_failed"``."""
        retry = get_render_retry_request(request, spider=self, reason="browser error")
        if retry is not None:
            return retry
        meta = {k: v for k, v in request.meta.items() if k in SPIDER_META}
        return Request(request.url, callback=self.parse_article, errback=self.on_error,
                       meta={**meta, "render_failed": True}, dont_filter=True,
                       priority=request.priority)

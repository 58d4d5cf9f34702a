"""URL routing of the mission site (same ``Document`` and discovery modes as the UNSMIL site)."""

from __future__ import annotations

from functools import lru_cache

from ..routes import HTML, RSS, STATIC_DAY, TEXT, XML, Document
from . import pages
from .model import MissionSite

LISTING = "/latest-news"
FEED = "/latest-news/feed"
SITEMAP = "/sitemap.xml"


class MissionRouter:
    """Maps (state, decoded path, page, discovery mode) to a ``Document``; None means 404."""

    def __init__(self, site: MissionSite) -> None:
        self.site = site
        self.route = lru_cache(maxsize=2048)(self._route)

    def not_found(self, path: str) -> Document:
        return Document(404, HTML, pages.plain("Page not found", "path-not-found",
                                               "<p>The requested page could not be found.</p>"),
                        STATIC_DAY)

    def _route(self, state: str, path: str, page: int | None,
               discovery: str = "on") -> Document | None:
        site = self.site
        story = site.lookup(path, state)
        if story is not None:
            return Document(200, HTML, pages.story_page(site, story, state), story.published,
                            article_nid=story.nid)
        newest = site.articles(state)[0].published
        if path in ("/about", "/node/12"):
            return Document(200, HTML, pages.about(), STATIC_DAY)
        if path == "/":
            return Document(200, HTML, pages.front(site, state), newest)
        if path == "/robots.txt":
            return Document(200, TEXT, pages.ROBOTS, STATIC_DAY)
        if discovery == "off" or (discovery == "first-page" and (path != LISTING or page)):
            return None
        if path == LISTING:
            text = pages.listing(site, state, page or 0, pager=discovery == "on")
            return Document(200, HTML, text, newest) if text else None
        if path == FEED:
            return Document(200, RSS, pages.feed(site, state), newest)
        if path == SITEMAP and page is None:
            return Document(200, XML, pages.sitemap(site, state), newest)
        return None

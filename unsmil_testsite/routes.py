"""URL routing for the offline site: which document a path shows in a given state.

Rendering is memoised per (state, path), so a crawl pays for each page once; the server only
swaps in the Host and hashes the bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import parse_qs, unquote

from . import pages
from .model import BASIC_PAGES, Site
from .pages import STATIC_DAY
from .templates import article_page, js_body_json

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
JSON = "application/json; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
LISTINGS = ("/all-press-releases", "/ar/all-press-releases")
DISCOVERY = (*LISTINGS, "/rss.xml", "/en/rss.xml", "/ar/rss.xml", "/sitemap.xml")
DISCOVERY_MODES = ("on", "off", "first-page")
"""``on``: listings, feeds, sitemap; ``off``: all 404; ``first-page``: listing page 1 only,
without its pager (other pages, feeds and sitemap 404)."""
JS_BODY_PREFIX = "/_js/body/"
_JS = re.compile(r"^/_js/body/(\d+)\.json$")


@dataclass(frozen=True)
class Document:
    """One response body before the Host is filled in."""

    status: int
    content_type: str
    text: str
    last_modified: date
    bom: bool = False
    article_nid: int | None = None


def split_target(target: str) -> tuple[str, int | None]:
    """(decoded path, ``page`` query value) of a request target.

    >>> split_target("/all-press-releases?page=3")
    ('/all-press-releases', 3)
    >>> split_target("/ar/%D8%B9%D9%86?x=1")
    ('/ar/عن', None)
    """
    path, _, query = target.partition("?")
    values = parse_qs(query).get("page", [])
    page = int(values[0]) if values and values[0].isdigit() else None
    return unquote(path), page


class Router:
    """Maps (state, decoded path, page) to a ``Document``; None means 404."""

    def __init__(self, site: Site, lastmods: bool = True) -> None:
        self.site = site
        self.lastmods = lastmods
        """False: the sitemap gives no <lastmod> at all (a server that does not tell)."""
        self._basic = {unquote(p.path): p for p in BASIC_PAGES}
        self._basic |= {p.node_path: p for p in BASIC_PAGES}
        self.route = lru_cache(maxsize=8192)(self._route)

    def newest(self, state: str) -> date:
        return self.site.articles(state)[0].published

    def not_found(self, path: str) -> Document:
        lang = "ar" if path.startswith("/ar") else "en"
        return Document(404, HTML, pages.not_found(lang), STATIC_DAY)

    def _route(self, state: str, path: str, page: int | None,
               discovery: str = "on") -> Document | None:
        site = self.site
        article = site.lookup(path, state)
        if article is not None:
            return Document(200, HTML, article_page(site, article, state),
                            article.modified or article.published,
                            bom="bom" in article.quirks, article_nid=article.nid)
        if path in self._basic:
            return Document(200, HTML, pages.basic_page(self._basic[path]), STATIC_DAY)
        if path in ("/", "/en", "/ar"):
            lang = "ar" if path == "/ar" else "en"
            return Document(200, HTML, pages.front(site, lang, state), self.newest(state))
        if path == "/robots.txt":
            return Document(200, TEXT, pages.ROBOTS, STATIC_DAY)
        match = _JS.match(path)
        if match:
            js = [a for a in site.articles(state) if a.js_body and a.nid == int(match[1])]
            return Document(200, JSON, js_body_json(js[0]), js[0].published) if js else None
        return self._discovery(state, path, page, discovery)

    def _discovery(self, state: str, path: str, page: int | None,
                   discovery: str) -> Document | None:
        site, newest = self.site, self.newest(state)
        lang = "ar" if path.startswith("/ar") else "en"
        if discovery == "off" or (discovery == "first-page" and (path not in LISTINGS or page)):
            return None
        if path in LISTINGS:
            text = pages.listing(site, lang, state, page or 0, pager=discovery == "on")
            return Document(200, HTML, text, newest) if text else None
        if path in ("/rss.xml", "/en/rss.xml", "/ar/rss.xml"):
            return Document(200, RSS, pages.rss(site, lang, state), newest)
        if path == "/sitemap.xml":
            text = (pages.sitemap_index(site, state, self.lastmods) if page is None
                    else pages.sitemap_page(site, state, page, self.lastmods))
            return Document(200, XML, text, newest) if text else None
        return None

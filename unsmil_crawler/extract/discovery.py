"""URL discovery from listings, RSS feeds and sitemaps: pure functions over response bodies.

These run beside the previous/next chain walk so a broken link never cuts the archive
and the crawl is parallel from its first second. Sitemaps are parsed with Scrapy's own
``scrapy.utils.sitemap.Sitemap`` (lxml, entity-safe); feeds and listings with XPath. Feed and
sitemap entries carry the change date the site announces (``<lastmod>``, ``updated``), which
incremental runs compare with what they stored (:mod:`unsmil_crawler.storage.known_articles`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from dateutil.parser import isoparse
from lxml.etree import XMLSyntaxError
from parsel import Selector
from scrapy.utils.sitemap import Sitemap

from unsmil_crawler.extract.urls import canonicalize, query_int, with_query_int
from unsmil_crawler.sites import SiteProfile


def listing_article_urls(doc: Selector, url: str, profile: SiteProfile) -> list[str]:
    """Article links of one listing page, in page order (newest first).

    >>> from unsmil_crawler.sites.unsmil import UNSMIL
    >>> html = ('<div class="view-content"><div class="views-row"><span>01 Nov 2018</span>'
    ...         ' - <a href="/en/news/a">A</a></div></div>')
    >>> listing_article_urls(Selector(text=html), "http://h/all-press-releases", UNSMIL)
    ['http://h/en/news/a']
    """
    seen: dict[str, None] = {}
    for href in doc.xpath(profile.listing_article_links).getall():
        seen.setdefault(canonicalize(href, base=url), None)
    return list(seen)


def listing_page_urls(doc: Selector, url: str, profile: SiteProfile) -> tuple[list[str], bool]:
    """Further pages of a Drupal pager, and whether they are all of them.

    With a "last" link, every page up to it is returned at once (fanned out: requested
    together instead of one ``next`` at a time); without one (a mini pager), only the
    ``next`` page, and the caller keeps following.

    >>> from unsmil_crawler.sites.unsmil import UNSMIL
    >>> html = '<ul class="pager"><li><a href="?page=3">Last »</a></li></ul>'
    >>> listing_page_urls(Selector(text=html), "http://h/all-press-releases", UNSMIL)
    (['http://h/all-press-releases?page=1', 'http://h/all-press-releases?page=2', \
'http://h/all-press-releases?page=3'], True)
    >>> mini = '<ul class="pager"><li><a href="?page=2" rel="next">›</a></li></ul>'
    >>> listing_page_urls(Selector(text=mini), "http://h/all-press-releases?page=1", UNSMIL)
    (['http://h/all-press-releases?page=2'], False)
    """
    current = query_int(url, profile.pager_param) or 0
    last_href = doc.xpath(profile.listing_last_page).get()
    last = query_int(canonicalize(last_href, base=url), profile.pager_param) if last_href else None
    if last is not None:
        pages = [with_query_int(canonicalize(url), profile.pager_param, n)
                 for n in range(current + 1, last + 1)]
        return pages, True
    next_href = doc.xpath(profile.listing_next_page).get()
    return ([canonicalize(next_href, base=url)] if next_href else []), False


@dataclass(frozen=True)
class Entry:
    """One URL a feed or sitemap lists, with the change date it announces (if any)."""

    url: str
    lastmod: datetime | None = None


def parse_lastmod(text: str | None) -> datetime | None:
    """A sitemap ``<lastmod>`` (W3C datetime) or feed ``updated`` date, in UTC; None if absent
    or unparseable. A date without a time zone counts as UTC.

    >>> parse_lastmod("2026-11-20"), parse_lastmod("2026-11-20T12:30:00+02:00")
    (datetime.datetime(2026, 11, 20, 0, 0, tzinfo=datetime.timezone.utc), \
datetime.datetime(2026, 11, 20, 10, 30, tzinfo=datetime.timezone.utc))
    >>> parse_lastmod("last Tuesday"), parse_lastmod(None)
    (None, None)
    """
    if not text or not text.strip():
        return None
    try:
        when = isoparse(text.strip())
    except (ValueError, OverflowError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def feed_entries(body: bytes, url: str) -> list[Entry]:
    """Items of an RSS 2.0 or Atom feed, with their ``updated`` (Atom, or ``atom:updated`` /
    ``dc:modified`` in RSS) date when the feed gives one. ``pubDate`` is the publication date,
    not a change, so it never counts.

    >>> feed_entries(b'<rss><channel><item><link>http://h/en/a</link>'
    ...              b'<updated>2026-11-20</updated></item></channel></rss>', "http://h/rss.xml")
    [Entry(url='http://h/en/a', lastmod=datetime.datetime(2026, 11, 20, 0, 0, \
tzinfo=datetime.timezone.utc))]
    """
    doc = Selector(text=body.decode("utf-8", "replace").lstrip("\ufeff"), type="xml")
    doc.remove_namespaces()
    out = []
    for node in doc.xpath("//item | //entry"):
        link = node.xpath("link[not(@rel) or @rel='alternate']/@href | link/text()").get("")
        if link.strip():
            updated = node.xpath("(updated | modified)/text()").get()
            out.append(Entry(canonicalize(link.strip(), base=url), parse_lastmod(updated)))
    return out


class SitemapError(ValueError):
    """A sitemap document that did not load: not XML, not a sitemap, empty or truncated."""


def sitemap_entries(body: bytes, url: str) -> tuple[bool, list[Entry]]:
    """(is an index, entries) of a sitemap index (child sitemaps) or urlset (pages).

    Raises :class:`SitemapError` for anything that is not a complete, non-empty sitemap, so a
    half-delivered sitemap never reads as "these URLs left the site".

    >>> sitemap_entries(b'<sitemapindex><sitemap><loc>http://h/sitemap.xml?page=2</loc>'
    ...                 b'</sitemap></sitemapindex>', "http://h/sitemap.xml")
    (True, [Entry(url='http://h/sitemap.xml?page=2', lastmod=None)])
    >>> sitemap_entries(b'<urlset><url><loc>http://h/a</loc></url>', "http://h/sitemap.xml")
    Traceback (most recent call last):
    ...
    unsmil_crawler.extract.discovery.SitemapError: incomplete sitemap
    """
    try:
        sitemap = Sitemap(body)
    except XMLSyntaxError as exc:
        raise SitemapError(f"not XML: {exc}") from exc
    if sitemap.type not in ("sitemapindex", "urlset"):
        raise SitemapError(f"not a sitemap: <{sitemap.type}>")
    if not body.rstrip().endswith(f"</{sitemap.type}>".encode()):
        raise SitemapError("incomplete sitemap")
    entries = [Entry(canonicalize(e["loc"], base=url), parse_lastmod(e.get("lastmod")))
               for e in sitemap if e.get("loc")]
    if not entries:
        raise SitemapError("empty sitemap")
    return sitemap.type == "sitemapindex", entries

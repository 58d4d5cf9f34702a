"""URL discovery from listings, RSS feeds and sitemaps: pure functions over response bodies.

These run beside the previous/next chain walk so a broken link never cuts the archive
and the crawl is parallel from its first second. Sitemaps are parsed with Scrapy's own
``scrapy.utils.sitemap.Sitemap`` (lxml, entity-safe); feeds and listings with XPath.
"""

from __future__ import annotations

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


def feed_item_urls(body: bytes, url: str) -> list[str]:
    """Item links of an RSS 2.0 or Atom feed.

    >>> feed_item_urls(b'<rss><channel><item><link>http://h/en/a</link></item></channel></rss>',
    ...                "http://h/rss.xml")
    ['http://h/en/a']
    """
    doc = Selector(text=body.decode("utf-8", "replace").lstrip("\ufeff"), type="xml")
    doc.remove_namespaces()
    links = doc.xpath("//item/link/text() | //entry/link[not(@rel) or @rel='alternate']/@href")
    return [canonicalize(link.strip(), base=url) for link in links.getall() if link.strip()]


def sitemap_urls(body: bytes, url: str) -> tuple[list[str], list[str]]:
    """(child sitemaps, page URLs) of a sitemap index or urlset.

    >>> sitemap_urls(b'<sitemapindex><sitemap><loc>http://h/sitemap.xml?page=2</loc>'
    ...              b'</sitemap></sitemapindex>', "http://h/sitemap.xml")
    (['http://h/sitemap.xml?page=2'], [])
    """
    sitemap = Sitemap(body)
    locs = [canonicalize(entry["loc"], base=url) for entry in sitemap if entry.get("loc")]
    if sitemap.type == "sitemapindex":
        return locs, []
    return [], locs

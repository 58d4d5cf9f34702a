"""Non-article documents: listings, feeds, sitemaps, robots.txt, basic pages, front and 404."""

from __future__ import annotations

import html
import math
from datetime import date
from typing import TYPE_CHECKING

from .chrome import HOST, esc, footer, head, header
from .date_formats import http_date, listing_date
from .model import BASIC_PAGES, PER_PAGE, UPDATE_DAY, BasicPage, listing_href
from .templates import teaser_text

if TYPE_CHECKING:
    from .model import Article, Site

STATIC_DAY = date(2024, 1, 15)
"""Last-Modified of pages that never change (basic pages, robots.txt, 404s)."""
RSS_ITEMS = 20
LISTING_TITLE = {"en": "Press releases", "ar": "البيانات الصحفية"}
NOT_FOUND = {
    "en": ("Page not found", "The requested page could not be found."),
    "ar": ("الصفحة غير موجودة", "تعذر العثور على الصفحة المطلوبة."),
}
ROBOTS = """#
# robots.txt
#
# This file is to prevent the crawling and indexing of certain parts
# of your site by web crawlers and spiders run by sites like Yahoo!
# and Google.
#
User-agent: *
# CSS, JS, Images
Allow: /core/*.css$
Allow: /core/*.js$
Allow: /profiles/*.png
# Directories
Disallow: /core/
Disallow: /profiles/
# Files
Disallow: /README.txt
Disallow: /web.config
# Paths (clean URLs)
Disallow: /admin/
Disallow: /comment/reply/
Disallow: /filter/tips
Disallow: /node/add/
Disallow: /search/
Disallow: /user/register/
Disallow: /user/password/
Disallow: /user/login/
Disallow: /user/logout/
# Paths (no clean URLs)
Disallow: /index.php/admin/
Disallow: /index.php/search/
Disallow: /index.php/user/login/
Sitemap: __HOST__/sitemap.xml
""".replace("__HOST__", HOST)


def _by_lang(site: Site, lang: str, state: str) -> list[Article]:
    return [a for a in site.articles(state) if a.lang == lang]


def listing_pages(site: Site, lang: str, state: str) -> int:
    """Number of ``?page=N`` pages of the language's listing."""
    return math.ceil(len(_by_lang(site, lang, state)) / PER_PAGE)


def listing(site: Site, lang: str, state: str, page: int, pager: bool = True) -> str | None:
    """``/all-press-releases?page=N``; None past the last page (Drupal answers 404 there).

    Without ``pager`` the page carries its rows only (the first-page discovery mode)."""
    rows = _by_lang(site, lang, state)
    last = listing_pages(site, lang, state) - 1
    if not 0 <= page <= last:
        return None
    base = "/all-press-releases" if lang == "en" else "/ar/all-press-releases"
    rows_html = "\n".join(
        f'<div class="views-row"><span class="date">{listing_date(lang, a.published)}</span>'
        f' - <a href="{esc(listing_href(a))}">{html.escape(a.title)}</a></div>'
        for a in rows[page * PER_PAGE: (page + 1) * PER_PAGE]
    )
    items = []
    if page > 0:
        items += [f'<li class="pager-first first"><a href="{base}">« first</a></li>',
                  f'<li class="pager-previous"><a href="{base}?page={page - 1}" rel="prev">'
                  "‹ previous</a></li>"]
    for n in range(max(0, page - 4), min(last, page + 4) + 1):
        items.append(f'<li class="pager-current">{n + 1}</li>' if n == page else
                     f'<li class="pager-item"><a href="{base}?page={n}">{n + 1}</a></li>')
    if page < last:
        items += [f'<li class="pager-next"><a href="{base}?page={page + 1}" rel="next">'
                  "next ›</a></li>",
                  f'<li class="pager-last last"><a href="{base}?page={last}">last »</a></li>']
    title = LISTING_TITLE[lang]
    nav = (f'<h2 class="element-invisible">Pages</h2><ul class="pager">{"".join(items)}</ul>'
           if pager else "")
    return (
        head(lang, title) + '<body class="path-all-press-releases">\n'
        + header(lang, {"en": "/all-press-releases", "ar": "/ar/all-press-releases"})
        + f'<main role="main"><h1 class="page-title">{title}</h1>\n'
        f'<div class="view view-press-releases"><div class="view-content">\n{rows_html}\n</div>\n'
        f"{nav}"
        f"</div></main>\n{footer(lang)}\n</body>\n</html>\n"
    )


def rss(site: Site, lang: str, state: str) -> str:
    """RSS 2.0 feed of the newest items, Drupal style (guid "<nid> at <host>")."""
    rows = _by_lang(site, lang, state)[:RSS_ITEMS]
    items = "".join(
        f"<item>\n<title>{html.escape(a.title)}</title>\n<link>{HOST}{a.alias}</link>\n"
        f"<description>{html.escape(teaser_text(a))}</description>\n"
        f"<pubDate>{http_date(a.published)}</pubDate>\n<dc:creator>UNSMIL</dc:creator>\n"
        f'<guid isPermaLink="false">{a.nid} at {HOST}</guid>\n</item>\n'
        for a in rows
    )
    home = f"{HOST}/{lang}"
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xml:base="'
        f'{home}" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
        f"<title>{LISTING_TITLE[lang]} | UNSMIL</title>\n<link>{home}</link>\n"
        f"<description></description>\n<language>{lang}</language>\n{items}</channel>\n</rss>\n"
    )


SITEMAP_CHUNK = 100
"""Links per sitemap page, like xmlsitemap's chunk size (small here, so there are several)."""


def _sitemap_entries(site: Site, state: str) -> list[tuple[int, str, date]]:
    """(nid, alias, lastmod) of every link, oldest node first as xmlsitemap orders them."""
    entries = [(p.nid, p.path, STATIC_DAY) for p in BASIC_PAGES]
    entries += [(a.nid, a.alias, a.modified or a.published) for a in site.articles(state)]
    return sorted(entries)


def _sitemap_chunks(site: Site, state: str) -> list[list[tuple[int, str, date]]]:
    entries = _sitemap_entries(site, state)
    return [entries[i: i + SITEMAP_CHUNK] for i in range(0, len(entries), SITEMAP_CHUNK)]


def sitemap_lastmods(site: Site, state: str) -> list[date]:
    """Each page's lastmod: its newest link, or the update day if its links changed.

    A deleted node or a shifted link regenerates the chunk, as xmlsitemap does.
    """
    chunks, before = _sitemap_chunks(site, state), _sitemap_chunks(site, "initial")
    out = []
    for n, chunk in enumerate(chunks):
        lastmod = max(day for _, _, day in chunk)
        old = {path for _, path, _ in before[n]} if n < len(before) else set()
        if {path for _, path, _ in chunk} != old:
            lastmod = max(lastmod, UPDATE_DAY)
        out.append(lastmod)
    return out


def sitemap_index(site: Site, state: str, lastmod: bool = True) -> str:
    """``/sitemap.xml``: an index of the chunked pages, each with its own lastmod."""
    parts = "".join(
        f"<sitemap><loc>{HOST}/sitemap.xml?page={n}</loc>"
        + (f"<lastmod>{day.isoformat()}</lastmod>" if lastmod else "") + "</sitemap>\n"
        for n, day in enumerate(sitemap_lastmods(site, state), start=1)
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{parts}</sitemapindex>\n")


def sitemap_page(site: Site, state: str, page: int, lastmod: bool = True) -> str | None:
    """One chunk of links (basic pages and every article alias of both languages)."""
    chunks = _sitemap_chunks(site, state)
    if not 1 <= page <= len(chunks):
        return None
    urls = "".join(
        f"<url><loc>{HOST}{esc(path)}</loc>"
        + (f"<lastmod>{day.isoformat()}</lastmod>" if lastmod else "")
        + "<changefreq>monthly</changefreq></url>\n"
        for _, path, day in chunks[page - 1]
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n")


def _plain_page(lang: str, title: str, body_class: str, content: str) -> str:
    """Chrome around content with no date, no pager and no body field."""
    return (
        head(lang, html.escape(title)) + f'<body class="{body_class}">\n'
        + header(lang, {"en": "/en", "ar": "/ar"})
        + f'<main role="main"><h1 class="page-title">{html.escape(title)}</h1>\n{content}'
        f"</main>\n{footer(lang)}\n</body>\n</html>\n"
    )


def basic_page(page: BasicPage) -> str:
    """An "about"-style page: prose in a non-body field."""
    text = "".join(f"<p>{html.escape(t)}</p>" for t in page.text)
    return _plain_page(page.lang, page.title, "path-node page-node-type-page",
                       f'<div class="field field--name-field-page-content">{text}</div>\n')


def front(site: Site, lang: str, state: str) -> str:
    """Front page: latest teasers and links to the listing, feed and basic pages."""
    rows = "".join(
        f'<li><a href="{esc(a.alias)}">{html.escape(a.title)}</a></li>'
        for a in _by_lang(site, lang, state)[:6]
    )
    listing_path = "/all-press-releases" if lang == "en" else "/ar/all-press-releases"
    links = "".join(f'<li><a href="{esc(p.path)}">{html.escape(p.title)}</a></li>'
                    for p in BASIC_PAGES if p.lang == lang)
    content = (f'<ul class="latest">{rows}</ul><ul class="more"><li><a href="{listing_path}">'
               f'{LISTING_TITLE[lang]}</a></li><li><a href="/{lang}/rss.xml">RSS</a></li>'
               f"{links}</ul>\n")
    return _plain_page(lang, SITE_NAME_FRONT[lang], "path-frontpage", content)


def not_found(lang: str) -> str:
    """Drupal's "Page not found" with the full chrome (served with status 404)."""
    title, text = NOT_FOUND[lang]
    return _plain_page(lang, title, "path-not-found", f"<p>{text}</p>\n")


SITE_NAME_FRONT = {"en": "United Nations Support Mission in Libya",
                   "ar": "بعثة الأمم المتحدة للدعم في ليبيا"}

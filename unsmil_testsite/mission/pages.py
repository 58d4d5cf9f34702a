"""HTML and XML of the mission site: a Drupal 9 site on a Bootstrap (Barrio) sub-theme.

Story pages: ``h1.title`` in the page-title block, ``<article class="node node--type-story
node--view-mode-full">`` with an inline-labelled date field (``field--name-field-story-date``,
"Date" label, ``<time>`` "Sunday, March 12, 2023"), a figure with a caption, the body field,
and the story pager as Bootstrap pagination (``ul.pagination > li.page-item > a.page-link``,
``rel``, "← Previous story" / "Next story →"): in its own block after the article for stories
and statements, in the article's footer for photo stories. A "More stories" Views block of
Bootstrap cards follows, with "Read more →" links and, on some pages, a mini pager.
"""

from __future__ import annotations

import hashlib
from html import escape as esc
from typing import TYPE_CHECKING

from ..chrome import HOST
from ..date_formats import http_date
from .model import MONTHS, PER_PAGE, listing_href

if TYPE_CHECKING:
    from .model import MissionSite, Story

SITE = "United Nations Mission in South Sudan"
MENU = [("/latest-news", "News"), ("/about", "About"), ("/", "Home")]
ABOUT = ("About the Mission", (
    "This is an offline, fictional copy of a peacekeeping mission's news site.",
    "Its stories are made up from phrase banks for testing a crawler.",
))


def short_date(a: Story) -> str:
    return f"{MONTHS[a.published.month - 1]} {a.published.day}, {a.published.year}"


def machine(a: Story) -> str:
    return f"{a.published.isoformat()}T{a.hour:02d}:00:00Z"


def _head(title: str, extra: str = "") -> str:
    return ('<!DOCTYPE html>\n<html lang="en" dir="ltr" prefix="og: https://ogp.me/ns#">\n<head>\n'
            '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, '
            f'initial-scale=1, shrink-to-fit=no">\n<title>{title} | {SITE}</title>\n{extra}'
            "</head>\n")


def _page(title: str, body_class: str, content: str, extra: str = "") -> str:
    """The Barrio page: navbar header, breadcrumb, main column, footer."""
    menu = "".join(f'<li class="nav-item"><a href="{href}" class="nav-link">{label}</a></li>'
                   for href, label in MENU)
    return (
        _head(title, extra) + f'<body class="layout-no-sidebars {body_class}">\n'
        '<a href="#main-content" class="visually-hidden focusable skip-link">Skip to main '
        'content</a>\n<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>\n'
        '<div id="page-wrapper"><div id="page">\n<header id="header" class="header" '
        'role="banner" aria-label="Site header"><nav class="navbar navbar-dark bg-primary '
        'navbar-expand-lg" id="navbar-main"><a href="/" title="Home" rel="home" '
        'class="navbar-brand">UNMISS</a><div class="collapse navbar-collapse '
        'justify-content-end" id="CollapsingNavbar"><nav role="navigation" '
        'aria-labelledby="block-unmiss-main-menu-menu" id="block-unmiss-main-menu" '
        'class="block block-menu navigation menu--main"><h2 class="visually-hidden" '
        f'id="block-unmiss-main-menu-menu">Main navigation</h2><ul class="clearfix nav '
        f'navbar-nav">{menu}</ul></nav></div></nav></header>\n'
        '<div id="main-wrapper" class="layout-main-wrapper clearfix"><div id="main" '
        'class="container"><div class="row row-offcanvas row-offcanvas-left clearfix">\n'
        '<main class="main-content col" id="content" role="main"><section class="section">'
        f'<a id="main-content" tabindex="-1"></a>\n{content}</section></main>\n'
        "</div></div></div>\n"
        '<footer class="site-footer"><div class="container"><div class="site-footer__bottom">'
        f"<p>{SITE}</p><p>Copyright © United Nations. All rights reserved.</p></div></div>"
        "</footer>\n</div></div>\n</div>\n</body>\n</html>\n"
    )


def _title_block(title: str) -> str:
    return ('<div id="block-unmiss-page-title" class="block block-core block-page-title-block">'
            '<h1 class="title"><span class="field field--name-title field--type-string '
            f'field--label-hidden">{title}</span></h1></div>\n')


def _pager(site: MissionSite, a: Story, state: str) -> str:
    prev, nxt = site.links(a, state)
    items = ""
    if prev:
        items += ('<li class="page-item page-item--previous"><a class="page-link" '
                  f'href="{esc(prev)}" rel="prev"><span aria-hidden="true">←</span> '
                  "Previous story</a></li>")
    if nxt:
        items += ('<li class="page-item page-item--next"><a class="page-link" '
                  f'href="{esc(nxt)}" rel="next">Next story <span aria-hidden="true">→</span>'
                  "</a></li>")
    return ('<nav aria-label="Story navigation"><ul class="pagination '
            f'justify-content-between">{items}</ul></nav>')


def _more_stories(site: MissionSite, a: Story, state: str) -> str:
    """Three other stories as Bootstrap cards (drawn from the initial state: stable bytes)."""
    pool = [x for x in site.articles("initial") if x.nid != a.nid]
    picks = [pool[(a.nid * k) % len(pool)] for k in (5, 11, 17)]
    cards = "\n".join(
        f'<div class="views-row col-md-4"><div class="card"><div class="card-body">'
        f'<h3 class="card-title"><a href="{esc(x.alias)}" hreflang="en">{esc(x.title)}</a></h3>'
        f'<p class="card-text"><small class="text-muted">{short_date(x)}</small></p>'
        f'<a href="{esc(x.alias)}" class="btn btn-link" hreflang="en">Read more →</a>'
        "</div></div></div>" for x in picks
    )
    mini = ('<nav aria-label="pagination-heading--2"><ul class="pagination js-pager__items">'
            '<li class="page-item"><a class="page-link" href="?page=1" title="Go to next page" '
            'rel="next">Next ›</a></li></ul></nav>' if "views_mini_pager" in a.quirks else "")
    dom = hashlib.sha1(f"more/{a.nid}".encode()).hexdigest()[:10]
    return ('<div class="views-element-container block block-views '
            'block-views-blockmore-stories-block-1" id="block-views-block-more-stories-block-1">'
            '<h2>More stories</h2><div class="content"><div><div class="view view-more-stories '
            f'view-id-more_stories view-display-id-block_1 js-view-dom-id-{dom}">'
            f'<div class="view-content row">\n{cards}\n</div>{mini}</div></div></div></div>\n')


def story_page(site: MissionSite, a: Story, state: str) -> str:
    title = esc(a.title, quote=False)
    body = "\n".join(f"<p>{esc(p, quote=False)}</p>" for p in a.paragraphs)
    pager = _pager(site, a, state)
    in_footer = a.kind == "photo_story"
    extra = (f'<link rel="canonical" href="{HOST}{a.alias}">\n'
             f'<link rel="shortlink" href="{HOST}{a.node_path}">\n'
             f'<meta name="description" content="{esc(a.paragraphs[0][:150])}">\n'
             '<meta property="og:site_name" content="UNMISS">\n'
             f'<meta property="og:title" content="{esc(a.title)}">\n'
             f'<meta property="article:published_time" content="{machine(a)}">\n')
    node_type = a.kind.replace("_", "-")
    content = (
        '<div id="block-unmiss-breadcrumbs" class="block block-system '
        'block-system-breadcrumb-block"><nav role="navigation" aria-label="breadcrumb">'
        '<ol class="breadcrumb"><li class="breadcrumb-item"><a href="/">Home</a></li>'
        '<li class="breadcrumb-item"><a href="/latest-news">News</a></li>'
        f'<li class="breadcrumb-item active">{title}</li></ol></nav></div>\n'
        + _title_block(title)
        + '<div id="block-unmiss-content" class="block block-system block-system-main-block">'
        f'<div class="content">\n<article data-history-node-id="{a.nid}" role="article" '
        f'about="{a.alias}" class="node node--type-{node_type} node--view-mode-full clearfix">'
        '\n<header><div class="node__meta"><div class="field field--name-field-story-date '
        'field--type-datetime field--label-inline clearfix"><div class="field__label">Date'
        f'</div><div class="field__item"><time datetime="{machine(a)}">{a.date_text}</time>'
        '</div></div><div class="field field--name-field-location field--type-string '
        'field--label-inline clearfix"><div class="field__label">Location</div><div '
        f'class="field__item">{a.place}</div></div></div></header>\n<div class="node__content '
        'clearfix"><div class="field field--name-field-image field--type-image '
        f'field--label-hidden field__item"><figure><img src="/sites/default/files/{a.nid}.jpg" '
        f'alt="" width="960" height="540"><figcaption>{esc(a.caption)}</figcaption></figure>'
        '</div>\n<div class="clearfix text-formatted field field--name-body '
        f'field--type-text-with-summary field--label-hidden field__item">\n{body}\n</div>\n'
        "</div>\n"
        + (f'<footer class="node__footer">{pager}</footer>\n' if in_footer else "")
        + "</article>\n</div></div>\n"
        + ("" if in_footer else '<div id="block-unmiss-storypager" class="block '
           f'block-unmiss-story-pager block-story-pager-block">{pager}</div>\n')
        + _more_stories(site, a, state)
    )
    return _page(title, f"page-node-{a.nid} path-node page-node-type-{node_type}", content, extra)


def listing(site: MissionSite, state: str, page: int, pager: bool = True) -> str | None:
    """``/latest-news?page=N``: Views rows, Bootstrap full pager; None past the last page."""
    stories = site.articles(state)
    last = (len(stories) - 1) // PER_PAGE
    if not 0 <= page <= last:
        return None
    rows = "\n".join(
        f'<div class="views-row"><div class="views-field views-field-title"><h3 '
        f'class="field-content"><a href="{esc(listing_href(a))}" hreflang="en">{esc(a.title)}'
        '</a></h3></div><div class="views-field views-field-field-story-date"><div '
        f'class="field-content"><time datetime="{machine(a)}">{short_date(a)}</time></div>'
        "</div></div>" for a in stories[page * PER_PAGE:(page + 1) * PER_PAGE]
    )

    def item(target: int, text: str, title: str, rel: str = "") -> str:
        rel_attr = f' rel="{rel}"' if rel else ""
        return (f'<li class="page-item"><a href="?page={target}" title="{title}"{rel_attr} '
                f'class="page-link"><span aria-hidden="true">{text}</span></a></li>')

    items = []
    if page > 0:
        items += [item(0, "« First", "Go to first page"),
                  item(page - 1, "‹‹", "Go to previous page", "prev")]
    for n in range(max(0, page - 2), min(last, page + 2) + 1):
        items.append(f'<li class="page-item active"><span class="page-link">{n + 1}</span></li>'
                     if n == page else item(n, str(n + 1), f"Go to page {n + 1}"))
    if page < last:
        items += [item(page + 1, "››", "Go to next page", "next"),
                  item(last, "Last »", "Go to last page")]
    nav = ('<nav aria-label="pagination-heading"><h4 id="pagination-heading" '
           'class="visually-hidden">Pagination</h4><ul class="pagination js-pager__items">'
           f'{"".join(items)}</ul></nav>' if pager else "")
    content = (_title_block("Latest news") + '<div class="views-element-container"><div '
               'class="view view-latest-news view-id-latest_news view-display-id-page_1">'
               f'<div class="view-content">\n{rows}\n</div>{nav}</div></div>\n')
    return _page("Latest news", "path-latest-news", content)


def feed(site: MissionSite, state: str) -> str:
    """Views RSS feed of the 15 newest stories."""
    items = "".join(
        f"<item>\n<title>{esc(a.title)}</title>\n<link>{HOST}{a.alias}</link>\n"
        f"<description>{esc(a.paragraphs[0])}</description>\n"
        f"<pubDate>{http_date(a.published)}</pubDate>\n"
        f'<guid isPermaLink="false">{a.nid} at {HOST}</guid>\n</item>\n'
        for a in site.articles(state)[:15]
    )
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xml:base="'
            f'{HOST}/latest-news">\n<channel>\n<title>Latest news | UNMISS</title>\n'
            f"<link>{HOST}/latest-news</link>\n<language>en</language>\n{items}"
            "</channel>\n</rss>\n")


def sitemap(site: MissionSite, state: str) -> str:
    """simple_sitemap style: one urlset of every story and the about page."""
    urls = "".join(
        f"<url><loc>{HOST}{path}</loc><lastmod>{day}</lastmod></url>\n"
        for path, day in [("/about", "2024-02-01"),
                          *((a.alias, a.published.isoformat()) for a in site.articles(state))]
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + urls + "</urlset>\n")


def plain(title: str, body_class: str, content: str) -> str:
    """Front, basic and "Page not found" pages: no date field, no pager, no body field."""
    return _page(esc(title), body_class, _title_block(esc(title))
                 + f'<div class="field field--name-field-page-text">{content}</div>\n')


def about() -> str:
    return plain(ABOUT[0], "path-node page-node-type-page",
                 "".join(f"<p>{t}</p>" for t in ABOUT[1]))


def front(site: MissionSite, state: str) -> str:
    latest = "".join(f'<li><a href="{esc(a.alias)}">{esc(a.title)}</a></li>'
                     for a in site.articles(state)[:5])
    return plain("UNMISS", "path-frontpage", (
        f'<ul class="latest">{latest}</ul><p><a href="/latest-news">All news</a> · '
        '<a href="/latest-news/feed">RSS</a> · <a href="/about">About</a></p>'))


ROBOTS = """#
# robots.txt
#
User-agent: *
Disallow: /core/
Disallow: /profiles/
Disallow: /admin/
Disallow: /search/
Disallow: /user/login/
Sitemap: __HOST__/sitemap.xml
""".replace("__HOST__", HOST)

"""Views blocks around an article: related news, latest news, their mini pagers and controls.

These are what a crawler must NOT take for the article's neighbours: Views output
(``view`` > ``view-content`` > ``views-row``) whose links carry "»" read-more texts, a
views_slideshow's ``Previous`` / ``Next`` controls (``href="#"``), "more" links to the listing,
and in some blocks a Views mini pager whose links are ``?page=N`` with ``rel="next"`` and
``pager__item--next``. Markup follows each generation's defaults (Drupal 7 block.tpl.php and
views-view.tpl.php; Drupal 8+ Classy / Olivero block and views-view templates).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from html import escape as esc

RELATED = {"en": "Related news", "ar": "أخبار ذات صلة"}
LATEST = {"en": "Latest news", "ar": "آخر الأخبار"}
MORE = {"en": "More", "ar": "المزيد"}
READ_MORE = "»"
SLIDESHOW = {"en": ("Previous", "Pause", "Next"), "ar": ("السابق", "إيقاف", "التالي")}
MINI = {
    "en": {"next": "next ›", "go": "Go to next page", "page": "Page", "of": "of",
           "pagination": "Pagination", "hidden": "Next page"},
    "ar": {"next": "التالي ›", "go": "الانتقال إلى الصفحة التالية", "page": "صفحة", "of": "من",
           "pagination": "ترقيم الصفحات", "hidden": "الصفحة التالية"},
}


@dataclass(frozen=True)
class Row:
    """One views row: a link to another article."""

    href: str
    title: str
    date: str
    """Short date as Views prints it ("01 Nov 2018")."""
    machine: str


def _dom_id(*parts: object) -> str:
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()[:12]


def _rows(gen: str, lang: str, rows: list[Row], dates: bool = True) -> str:
    out = []
    for i, r in enumerate(rows, 1):
        title = (f'<div class="views-field views-field-title"><span class="field-content">'
                 f'<a href="{esc(r.href)}" hreflang="{lang}">{esc(r.title)}</a></span></div>')
        more = (f'<div class="views-field views-field-view-node"><span class="field-content">'
                f'<a href="{esc(r.href)}" hreflang="{lang}">{READ_MORE}</a></span></div>')
        if gen == "d7":
            cls = f"views-row views-row-{i} views-row-{'odd' if i % 2 else 'even'}"
            cls += " views-row-first" if i == 1 else ""
            cls += " views-row-last" if i == len(rows) else ""
            date = ('<div class="views-field views-field-field-news-date">'
                    '<div class="field-content"><span class="date-display-single">'
                    f'{r.date}</span></div></div>')
        else:
            cls = "views-row"
            date = ('<div class="views-field views-field-field-date"><div class="field-content">'
                    f'<time datetime="{r.machine}" class="datetime">{r.date}</time></div></div>')
        out.append(f'<div class="{cls}">{title}{date if dates else ""}{more}</div>')
    return "\n".join(out)


def mini_pager(gen: str, lang: str, self_path: str, pages: int, uid: int) -> str:
    """A Views mini pager on its first page: only a "next" link, to ``?page=1``."""
    w = MINI[lang]
    if gen == "d7":  # views' theme_views_mini_pager: the full path, "next ›", no rel
        return ('<h2 class="element-invisible">Pages</h2><div class="item-list"><ul class="pager">'
                '<li class="pager-previous first">&nbsp;</li>'
                f'<li class="pager-current">1 {w["of"]} {pages}</li>'
                f'<li class="pager-next last"><a title="{w["go"]}" href="{esc(self_path)}?page=1">'
                f'{w["next"]}</a></li></ul></div>')
    heading = f"pagination-heading--{uid}"
    label = ('<span aria-hidden="true">››</span>' if gen == "d8" else
             '<svg xmlns="http://www.w3.org/2000/svg" width="6" height="10"><path d="M1 1l4 4-4 4"'
             ' fill="none" stroke="currentColor"/></svg>')
    return (f'<nav class="pager" role="navigation" aria-labelledby="{heading}">'
            f'<h4 id="{heading}" class="visually-hidden">{w["pagination"]}</h4>'
            '<ul class="pager__items js-pager__items">'
            f'<li class="pager__item is-active">{w["page"]} 1</li>'
            '<li class="pager__item pager__item--next"><a href="?page=1" '
            f'title="{w["go"]}" rel="next"><span class="visually-hidden">{w["hidden"]}</span>'
            f"{label}</a></li></ul></nav>")


def slideshow_controls(lang: str, view_id: str) -> str:
    """views_slideshow text controls: links to ``#`` labelled Previous / Pause / Next."""
    prev, pause, nxt = SLIDESHOW[lang]
    spans = "".join(
        f'<span class="views-slideshow-controls-text-{kind} views_slideshow_controls_text_{kind}">'
        f'<a href="#">{label}</a></span>'
        for kind, label in (("previous", prev), ("pause", pause), ("next", nxt))
    )
    return (f'<div id="views_slideshow_controls_text_{view_id}" '
            f'class="views-slideshow-controls-text views_slideshow_controls_text">{spans}</div>')


def views_block(gen: str, lang: str, view: str, heading: str, content: str, footer: str,
                salt: int) -> str:
    """A Views block in the generation's block and views-view markup."""
    dom = _dom_id(view, salt)
    if gen == "d7":
        return (f'<div id="block-views-{view}-block" class="block block-views">'
                f'<h2>{heading}</h2><div class="content"><div class="view view-{view} '
                f'view-id-{view.replace("-", "_")} view-display-id-block view-dom-id-{dom}">'
                f'<div class="view-content">\n{content}\n</div>{footer}</div></div></div>\n')
    title_cls = ' class="block__title"' if gen == "d10" else ""
    content_cls = "block__content" if gen == "d10" else "content"
    block_id = f"block-{'olivero-' if gen == 'd10' else ''}views-block-{view}-block-1"
    return ('<div class="views-element-container block block-views '
            f'block-views-block{view}-block-1" id="{block_id}"><h2{title_cls}>{heading}</h2>'
            f'<div class="{content_cls}"><div>'
            f'<div class="view view-{view} view-id-{view.replace("-", "_")} view-display-id-block_1'
            f' js-view-dom-id-{dom}"><div class="view-content">\n{content}\n</div>{footer}'
            "</div></div></div></div>\n")


def related_block(gen: str, lang: str, rows: list[Row], listing: str, self_path: str,
                  mini: bool, salt: int) -> str:
    """Related news: rows with a "»" read-more link, a "more" link, maybe a mini pager."""
    footer = mini_pager(gen, lang, self_path, 7, salt) if mini else ""
    footer += f'<div class="more-link"><a href="{listing}">{MORE[lang]}</a></div>'
    return views_block(gen, lang, "related-news", RELATED[lang], _rows(gen, lang, rows),
                       footer, salt)


def latest_block(gen: str, lang: str, rows: list[Row], slideshow: bool, salt: int) -> str:
    """Latest news, as a slideshow with Previous / Next controls or as a plain list."""
    content = _rows(gen, lang, rows, dates=False)
    if slideshow:
        content = (f'<div class="skin-default"><div class="views-slideshow-controls-top clearfix">'
                   f'{slideshow_controls(lang, "latest_news-block")}</div>'
                   f'<div class="views-slideshow-cycle-main-frame">{content}</div></div>')
    return views_block(gen, lang, "latest-news", LATEST[lang], content, "", salt)

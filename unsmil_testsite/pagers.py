"""Article-to-article pagers in the forms Drupal sites print them, one per variant.

Drupal core has no node pager: sites add one through a contributed module or a theme, so the
markup differs by generation and by site. Each variant here follows one such form:

- Drupal 7: ``pager_node`` (a flippy / theme-made ``ul.pager-node``, above the date),
  ``item_list`` (``theme_pager``'s ``<div class="item-list"><ul class="pager">`` with
  ``pager-previous`` / ``pager-next``, after the node), ``custom_pager`` (custom_pagers'
  ``ul.custom-pager`` with a "3 of 40" key, inside the node; empty ``li`` at the ends).
- Drupal 8/9: ``node_links`` (``ul.links.inline`` inside the ``<article>``, ``rel``),
  ``after_article`` (Classy-style ``pager__item`` list right after the ``<article>``, no
  ``rel``), ``region_block`` (an entity pager in its own ``div.block``, with an "All" link to
  the listing), ``nav`` (a ``<nav>`` of two bare links with ``rel``).
- Drupal 10/11: ``olivero`` (``nav.pager``, icon links whose only text is visually hidden),
  ``olivero_full`` (the same plus first / active / last items), ``text`` (``nav.pager`` with
  visible text in ``aria-hidden`` spans).

The label set is drawn per article; see ``LABELS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape as esc

VARIANTS = {
    "d7": ("pager_node", "item_list", "custom_pager"),
    "d8": ("node_links", "after_article", "region_block", "nav"),
    "d10": ("olivero", "olivero_full", "text"),
}
LABELS = {
    "plain": ("previous", "next"),
    "arrows": ("‹ previous", "next ›"),
    "guillemets": ("«", "»"),
    "article": ("Previous article", "Next article"),
    "arabic": ("السابق", "التالي"),
    "arabic_arrows": ("‹ السابق", "التالي ›"),
}
LABEL_SETS = {
    "en": ("plain", "arrows", "guillemets", "article"),
    # Arabic pages mostly translate the labels; some kept the English strings.
    "ar": ("arabic", "arabic", "arabic_arrows", "arabic_arrows", "plain", "arrows", "guillemets"),
}
_ICON = ('<svg xmlns="http://www.w3.org/2000/svg" width="6" height="10" viewBox="0 0 6 10">'
         '<path d="M5 9 1 5l4-4" fill="none" stroke="currentColor" stroke-width="2"/></svg>')
_WORDS = {
    "en": {"pagination": "Pagination", "all": "All press releases", "current": "Current article",
           "first": "First article", "last": "Last article", "nav": "Article navigation",
           "go_prev": "Go to previous article", "go_next": "Go to next article", "of": "of"},
    "ar": {"pagination": "ترقيم الصفحات", "all": "كل البيانات الصحفية",
           "current": "المقال الحالي", "first": "المقال الأول", "last": "المقال الأخير",
           "nav": "التنقل بين المقالات", "go_prev": "الانتقال إلى المقال السابق",
           "go_next": "الانتقال إلى المقال التالي", "of": "من"},
}


@dataclass(frozen=True)
class PagerLinks:
    """What one article's pager points to (hrefs exactly as printed)."""

    lang: str
    prev: str | None
    next: str | None
    labels: str
    listing: str
    position: int
    """1-based position in the language's chain, in pager direction."""
    total: int
    first: str | None = None
    """The chain end in the ``previous`` direction (``olivero_full`` only)."""
    last: str | None = None


def render(variant: str, p: PagerLinks, uid: int) -> str:
    """The pager's HTML; ``uid`` makes heading ids unique on the page."""
    return _RENDER[variant](p, uid)


def _words(p: PagerLinks) -> dict[str, str]:
    return _WORDS[p.lang]


def _label(p: PagerLinks, which: int) -> str:
    return LABELS[p.labels][which]


def _pager_node(p: PagerLinks, uid: int) -> str:
    items = ""
    if p.prev:
        items += f'<li class="previous"><a href="{esc(p.prev)}">{_label(p, 0)}</a></li>'
    if p.next:
        items += f'<li class="next"><a href="{esc(p.next)}">{_label(p, 1)}</a></li>'
    return f'<ul class="pager-node">{items}</ul>\n'


def _item_list(p: PagerLinks, uid: int) -> str:
    w = _words(p)
    items = []
    if p.prev:
        items.append(("pager-previous", f'<a title="{w["go_prev"]}" href="{esc(p.prev)}">'
                                        f"{_label(p, 0)}</a>"))
    if p.next:
        items.append(("pager-next", f'<a title="{w["go_next"]}" href="{esc(p.next)}">'
                                    f"{_label(p, 1)}</a>"))
    lis = ""
    for i, (cls, link) in enumerate(items):  # theme_item_list marks the first and last item
        cls += " first" if i == 0 else ""
        cls += " last" if i == len(items) - 1 else ""
        lis += f'<li class="{cls}">{link}</li>'
    return (f'<h2 class="element-invisible">Pages</h2><div class="item-list">'
            f'<ul class="pager">{lis}</ul></div>\n')


def _custom_pager(p: PagerLinks, uid: int) -> str:
    prev = f'<a href="{esc(p.prev)}">{_label(p, 0)}</a>' if p.prev else "&nbsp;"
    nxt = f'<a href="{esc(p.next)}">{_label(p, 1)}</a>' if p.next else "&nbsp;"
    return (f'<ul class="custom-pager custom-pager-bottom"><li class="previous">{prev}</li>'
            f'<li class="key">{p.position} {_words(p)["of"]} {p.total}</li>'
            f'<li class="next">{nxt}</li></ul>\n')


def _node_links(p: PagerLinks, uid: int) -> str:
    items = ""
    if p.prev:
        items += (f'<li class="node-pager-previous"><a href="{esc(p.prev)}" rel="prev" '
                  f'hreflang="{p.lang}">{_label(p, 0)}</a></li>')
    if p.next:
        items += (f'<li class="node-pager-next"><a href="{esc(p.next)}" rel="next" '
                  f'hreflang="{p.lang}">{_label(p, 1)}</a></li>')
    return f'<div class="node__links"><ul class="links inline">{items}</ul></div>\n'


def _after_article(p: PagerLinks, uid: int) -> str:
    w = _words(p)
    items = ""
    if p.prev:
        items += (f'<li class="pager__item pager__item--previous"><a href="{esc(p.prev)}" '
                  f'title="{w["go_prev"]}">{_label(p, 0)}</a></li>')
    if p.next:
        items += (f'<li class="pager__item pager__item--next"><a href="{esc(p.next)}" '
                  f'title="{w["go_next"]}">{_label(p, 1)}</a></li>')
    return f'<ul class="pager pager--node">{items}</ul>\n'


def _region_block(p: PagerLinks, uid: int) -> str:
    def item(cls: str, href: str | None, label: str) -> str:
        inner = (f'<a href="{esc(href)}">{label}</a>' if href
                 else f'<span class="inactive">{label}</span>')
        return f'<li class="entity-pager-item entity-pager-item-{cls}">{inner}</li>'

    items = (item("prev", p.prev, _label(p, 0)) + item("all", p.listing, _words(p)["all"])
             + item("next", p.next, _label(p, 1)))
    return ('<div id="block-entitypagerpressreleases" class="block block-entity-pager '
            'block-entity-pager-block"><div class="content"><ul class="entity-pager '
            f'entity-pager--type-press-release">{items}</ul></div></div>\n')


def _nav(p: PagerLinks, uid: int) -> str:
    links = []
    if p.prev:
        links.append('<a class="node-navigation__link node-navigation__link--previous" '
                     f'href="{esc(p.prev)}" rel="prev">{_label(p, 0)}</a>')
    if p.next:
        links.append('<a class="node-navigation__link node-navigation__link--next" '
                     f'href="{esc(p.next)}" rel="next">{_label(p, 1)}</a>')
    return (f'<nav class="node-navigation" role="navigation" aria-label="{_words(p)["nav"]}">'
            f'{" ".join(links)}</nav>\n')


def _nav_pager(p: PagerLinks, uid: int, items: str) -> str:
    heading = f"pagination-heading--node-{uid}"
    return (f'<nav class="pager" role="navigation" aria-labelledby="{heading}">'
            f'<h4 id="{heading}" class="visually-hidden">{_words(p)["pagination"]}</h4>'
            f'<ul class="pager__items js-pager__items">{items}</ul></nav>\n')


def _control(kind: str, href: str, title: str, inner: str, rel: bool) -> str:
    rel_attr = f' rel="{"prev" if kind == "previous" else "next"}"' if rel else ""
    return (f'<li class="pager__item pager__item--control pager__item--{kind}">'
            f'<a href="{esc(href)}" class="pager__link" title="{title}"{rel_attr}>{inner}</a></li>')


def _olivero(p: PagerLinks, uid: int, full: bool = False) -> str:
    w = _words(p)
    items = ""
    if full and p.first and p.prev:
        items += _control("first", p.first, w["first"],
                          f'<span class="visually-hidden">{w["first"]}</span>{_ICON}', False)
    if p.prev:
        items += _control("previous", p.prev, w["go_prev"],
                          f'<span class="visually-hidden">{_label(p, 0)}</span>{_ICON}', True)
    if full:
        items += (f'<li class="pager__item pager__item--active"><span class="visually-hidden">'
                  f'{w["current"]}</span> {p.position}</li>')
    if p.next:
        items += _control("next", p.next, w["go_next"],
                          f'<span class="visually-hidden">{_label(p, 1)}</span>{_ICON}', True)
    if full and p.last and p.next:
        items += _control("last", p.last, w["last"],
                          f'<span class="visually-hidden">{w["last"]}</span>{_ICON}', False)
    return _nav_pager(p, uid, items)


def _olivero_full(p: PagerLinks, uid: int) -> str:
    return _olivero(p, uid, full=True)


def _text(p: PagerLinks, uid: int) -> str:
    w = _words(p)
    items = ""
    if p.prev:
        items += _control("previous", p.prev, w["go_prev"],
                          f'<span class="visually-hidden">{w["go_prev"]}</span>'
                          f'<span aria-hidden="true">{_label(p, 0)}</span>', True)
    if p.next:
        items += _control("next", p.next, w["go_next"],
                          f'<span class="visually-hidden">{w["go_next"]}</span>'
                          f'<span aria-hidden="true">{_label(p, 1)}</span>', True)
    return _nav_pager(p, uid, items)


_RENDER = {
    "pager_node": _pager_node, "item_list": _item_list, "custom_pager": _custom_pager,
    "node_links": _node_links, "after_article": _after_article, "region_block": _region_block,
    "nav": _nav, "olivero": _olivero, "olivero_full": _olivero_full, "text": _text,
}
_NOT_IN_VIEW = "[not(ancestor::*[contains(concat(' ', @class, ' '), ' view ')])]"
# XPath, per variant, of the article's own previous / next link (what the tests read): the
# variant's own structure, outside any views block (whose mini pagers look alike).
OWN_LINK_XPATH = {
    variant: tuple(x + _NOT_IN_VIEW for x in pair) for variant, pair in {
        "pager_node": ("//ul[@class='pager-node']/li[@class='previous']/a",
                       "//ul[@class='pager-node']/li[@class='next']/a"),
        "item_list": ("//div[@class='item-list']/ul/li[contains(@class,'pager-previous')]/a",
                      "//div[@class='item-list']/ul/li[contains(@class,'pager-next')]/a"),
        "custom_pager": ("//ul[contains(@class,'custom-pager')]/li[@class='previous']/a",
                         "//ul[contains(@class,'custom-pager')]/li[@class='next']/a"),
        "node_links": ("//article//li[@class='node-pager-previous']/a",
                       "//article//li[@class='node-pager-next']/a"),
        "after_article": ("//ul[@class='pager pager--node']/li[contains(@class,'--previous')]/a",
                          "//ul[@class='pager pager--node']/li[contains(@class,'--next')]/a"),
        "region_block": ("//li[contains(@class,'entity-pager-item-prev')]/a",
                         "//li[contains(@class,'entity-pager-item-next')]/a"),
        "nav": ("//nav[@class='node-navigation']/a[@rel='prev']",
                "//nav[@class='node-navigation']/a[@rel='next']"),
        "olivero": ("//nav[@class='pager']//li[contains(@class,'pager__item--previous')]/a",
                    "//nav[@class='pager']//li[contains(@class,'pager__item--next')]/a"),
        "olivero_full": ("//nav[@class='pager']//li[contains(@class,'pager__item--previous')]/a",
                         "//nav[@class='pager']//li[contains(@class,'pager__item--next')]/a"),
        "text": ("//nav[@class='pager']//li[contains(@class,'pager__item--previous')]/a",
                 "//nav[@class='pager']//li[contains(@class,'pager__item--next')]/a"),
    }.items()
}

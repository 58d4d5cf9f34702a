"""previous/next links on every Drupal generation's default markup, and nothing else as one.

The pagers below follow Drupal core's own templates: Drupal 7 ``theme_item_list`` pagers
(``div.item-list > ul.pager > li.pager-previous``) and the older ``ul.pager-node``, Drupal 8/9
Classy/Bartik (``article.node--view-mode-full``, pager inside or after the article, in a region
block or a ``<nav>``), Drupal 10/11 Olivero/Claro (``nav.pager > ul.pager__items >
li.pager__item--previous > a[rel=prev]``). Every page also carries a related-news Views block
whose rows hold previous/next-looking links and a Views mini pager (``?page=N``, ``rel=next``):
none of those may become a neighbour.
"""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from parsel import Selector

from unsmil_crawler.extract.article import extract_article
from unsmil_crawler.sites.unsmil import UNSMIL

BASE = "http://127.0.0.1:8000"
PAGE = f"{BASE}/en/news/talks-resume"
PREV, NEXT = "/en/news/older-story", "/node/43"

LABELS = [("previous", "next"), ("‹ previous", "next ›"), ("«", "»"), ("السابق", "التالي"),
          ("Previous article", "Next article"), ("الخبر السابق", "الخبر التالي")]


def d7_item_list(prev: str, nxt: str) -> str:
    return ('<div class="item-list"><ul class="pager">'
            f'<li class="pager-previous first"><a href="{PREV}">{html.escape(prev)}</a></li>'
            f'<li class="pager-next last"><a href="{NEXT}">{html.escape(nxt)}</a></li>'
            "</ul></div>")


def d7_pager_node(prev: str, nxt: str) -> str:
    return ('<ul class="pager-node">'
            f'<li class="previous"><a href="{PREV}">{html.escape(prev)}</a></li>'
            f'<li class="next"><a href="{NEXT}">{html.escape(nxt)}</a></li></ul>')


def d8_nav(prev: str, nxt: str) -> str:
    return ('<nav class="pager" role="navigation" aria-labelledby="pagination-heading">'
            '<ul class="pager__items js-pager__items">'
            f'<li class="pager__item pager__item--previous"><a href="{PREV}" '
            f'title="Go to previous article" rel="prev"><span aria-hidden="true">'
            f"{html.escape(prev)}</span></a></li>"
            f'<li class="pager__item pager__item--next"><a href="{NEXT}" '
            f'title="Go to next article" rel="next"><span aria-hidden="true">'
            f"{html.escape(nxt)}</span></a></li></ul></nav>")


def bare_links(prev: str, nxt: str) -> str:
    """A theme's own pager with no classes at all: only the labels say what the links are."""
    return (f'<div><a href="{PREV}">{html.escape(prev)}</a> | '
            f'<a href="{NEXT}">{html.escape(nxt)}</a></div>')


RELATED = """<div class="views-element-container"><div class="view view-related-news
view-id-related_news view-display-id-block_1 js-view-dom-id-9f2"><div class="view-header">
<h2>Related news</h2></div><div class="view-content">
<div class="views-row"><article class="node node--type-press-release node--view-mode-teaser">
<h2 class="node__title"><a href="/en/news/other-one" rel="bookmark">Other one</a></h2>
<a href="/en/news/other-one" rel="next">next</a></article></div>
<div class="views-row"><a href="/en/news/other-two">«</a> <a href="/en/news/other-three">»</a>
<a href="/en/news/other-two" rel="prev">Previous article</a></div>
<div class="views-row views-row-3"><a href="/ar/%D8%AE%D8%A8%D8%B1">السابق</a>
<a href="/ar/%D8%A2%D8%AE%D8%B1">التالي</a></div></div>
<nav class="pager" role="navigation"><ul class="pager__items js-pager__items">
<li class="pager__item pager__item--previous"><a href="?page=0" rel="prev">‹ previous</a></li>
<li class="pager__item pager__item--next"><a href="/en/news/talks-resume?page=2" rel="next">
next ›</a></li></ul></nav><div class="more-link"><a href="/all-press-releases">next »</a>
</div></div></div>"""
"""A Drupal 8+ Views block: teaser rows and a mini pager, both full of neighbour look-alikes."""


def page(pager: str, *, article_class: str = "node node--type-press-release "
         "node--promoted node--view-mode-full", where: str = "inside") -> str:
    """A full article page with ``pager`` inside, after or beside the article."""
    body = ('<div class="field field--name-body field--type-text-with-summary">'
            "<p>Tripoli, 1 November 2024 - The talks resumed.</p><p>More text.</p></div>")
    inside = pager if where == "inside" else ""
    after = pager if where == "after" else ""
    block = (f'<div id="block-prevnext" class="block block-entity-pager">{pager}</div>'
             if where == "block" else "")
    return (f'<!DOCTYPE html><html lang="en" dir="ltr"><head><title>Talks resume | UNSMIL'
            f'</title></head><body><div class="dialog-off-canvas-main-canvas">'
            f'<main role="main"><div class="region region-content">'
            f'<h1 class="page-title">Talks resume</h1>'
            f'<article role="article" about="/node/42" class="{article_class}">'
            '<div class="node__content"><div class="field field--name-field-date">'
            '<time datetime="2024-11-01T10:00:00Z">1 November 2024</time></div>'
            f"{body}{inside}</div></article>{after}{block}</div>"
            f'<aside class="layout-sidebar-first">{RELATED}</aside></main></div></body></html>')


def neighbours(markup: str) -> tuple[str | None, str | None]:
    got, report = extract_article(Selector(text=markup), PAGE, UNSMIL)
    assert report.is_article
    return got.prev_url, got.next_url


WANT = (f"{BASE}{PREV}", f"{BASE}{NEXT}")


@pytest.mark.parametrize("labels", LABELS, ids=[p for p, _ in LABELS])
@pytest.mark.parametrize("pager", [d7_item_list, d7_pager_node, d8_nav, bare_links])
@pytest.mark.parametrize("where", ["inside", "after", "block"])
def test_neighbours_on_every_generation_label_and_place(pager, labels, where) -> None:
    assert neighbours(page(pager(*labels), where=where)) == WANT


@pytest.mark.parametrize("article_class", [
    "node node--type-press-release node--view-mode-full",   # Drupal 8/9 Classy
    "node node--type-article node--promoted node--view-mode-full",  # Drupal 10 Olivero
    "node node-article node-promoted view-mode-full clearfix",  # Drupal 7 Bartik
    "node-full node node-press-release",
])
def test_the_article_wrapper_never_hides_its_pager(article_class) -> None:
    assert neighbours(page(d8_nav("previous", "next"), article_class=article_class)) == WANT


def test_related_block_alone_gives_no_neighbour() -> None:
    assert neighbours(page("")) == (None, None)


CLASS_WORDS = ["view", "views", "view-content", "node--view-mode-full", "region-content",
               "region", "block", "block-views", "layout-content", "content", "clearfix",
               "pager", "item-list", "field", "node__content", "views-element-container",
               "view-mode-full", "js-view-dom-id-4ab", "related", "sidebar", "latest-news"]
WRAPPERS = ["div", "section", "nav", "aside", "footer", "article", "span", "ul"]

wrapper = st.tuples(
    st.sampled_from(WRAPPERS),
    st.lists(st.one_of(st.sampled_from(CLASS_WORDS),
                       st.from_regex(r"[a-z][a-z0-9_-]{0,12}", fullmatch=True)), max_size=4),
)


def wrap(markup: str, ancestors: list[tuple[str, list[str]]]) -> str:
    for tag, classes in ancestors:
        if tag == "ul":
            markup = f"<li>{markup}</li>"
        markup = f'<{tag} class="{" ".join(classes)}">{markup}</{tag}>'
    return markup


@settings(max_examples=150, deadline=None)
@given(
    pager=st.sampled_from([d7_item_list, d7_pager_node, d8_nav, bare_links]),
    labels=st.sampled_from(LABELS),
    ancestors=st.lists(wrapper, max_size=5),
    where=st.sampled_from(["inside", "after", "block"]),
)
def test_any_wrapper_leaves_the_neighbours_unchanged(pager, labels, ancestors, where) -> None:
    """Whatever ancestors and classes a theme wraps the pager in, the neighbours stay the same;
    the related block's look-alike links never stand in for them."""
    assert neighbours(page(wrap(pager(*labels), ancestors), where=where)) == WANT


@settings(max_examples=80, deadline=None)
@given(ancestors=st.lists(wrapper, max_size=4))
def test_any_wrapper_around_the_related_block_adds_no_neighbour(ancestors) -> None:
    markup = page("").replace(RELATED, wrap(RELATED, ancestors))
    assert neighbours(markup) == (None, None)

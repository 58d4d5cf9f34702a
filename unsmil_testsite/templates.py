"""HTML of article pages: the parts every generation shares, then the theme of the article.

``article_page`` gathers what a page shows (title, date, body, pager, blocks, language links)
into a ``NodeView``; ``theme_d7`` / ``theme_d8`` / ``theme_d10`` lay it out in Drupal 7
(Bartik / Zen), Drupal 8-9 (Classy / Bartik) or Drupal 10-11 (Olivero) full-node markup.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import blocks, pagers, theme_d7, theme_d8, theme_d10
from .date_formats import listing_date, machine_datetime
from .quirks import empty_paragraph, render_text, render_title

if TYPE_CHECKING:
    from .model import Article, Site

LISTING = {"en": "/all-press-releases", "ar": "/ar/all-press-releases"}


@dataclass(frozen=True)
class NodeView:
    """Everything an article page shows, ready for a theme to lay out."""

    a: Article
    title_html: str
    machine: str
    body: str
    """Paragraphs (empty for JavaScript articles), without the field wrapper."""
    body_id: str
    """`` id="node-body-<nid>"`` on JavaScript articles, else empty."""
    script: str
    pager: str
    related: str
    latest: str
    switch: dict[str, str]
    """{lang: href} of the language switcher (the front page where no translation exists)."""
    alternates: dict[str, str]
    """{lang: alias} for hreflang links (self included), empty when the page has none."""


def _switch(site: Site, a: Article, state: str) -> dict[str, str]:
    links = {a.lang: a.alias, **site.translations(a, state)}
    return {code: links.get(code, f"/{code}") for code in ("en", "ar")}


def _related(site: Site, a: Article, state: str) -> list[Article]:
    """Drawn from the initial archive, so a site update changes only the pages it touches
    (ETags, and so conditional GETs, stay meaningful); a deleted article drops out."""
    same = [x for x in site.articles("initial") if x.lang == a.lang and x.nid != a.nid]
    present = {x.nid for x in site.articles(state)}
    return [x for x in (same[(a.nid * k) % len(same)] for k in (7, 13, 29)) if x.nid in present]


def _latest(site: Site, a: Article) -> list[Article]:
    """The newest articles of the initial archive that no update deletes (stable bytes)."""
    gone = site.specials["deleted"]
    return [x for x in site.articles("initial") if x.lang == a.lang and x.alias != gone][:4]


def _row(x: Article) -> blocks.Row:
    return blocks.Row(x.alias, x.title, listing_date(x.lang, x.published),
                      f"{x.published.isoformat()}T12:00:00Z")


def teaser_text(a: Article, words: int = 18) -> str:
    """The first words of the body, as Drupal's trimmed summary."""
    return " ".join(a.paragraphs[0].split()[:words]) + " …"


def _body_html(a: Article, rng: random.Random, xhtml: bool) -> str:
    if a.js_body:
        return ""
    out = []
    for i, para in enumerate(a.paragraphs):
        if "empty_paragraphs" in a.quirks and i and rng.random() < 0.4:
            out.append(empty_paragraph(rng))
        out.append(f"<p>{render_text(para, a.lang, a.quirks, rng, xhtml)}</p>")
    return "\n".join(out)


def js_loader(a: Article) -> str:
    """Inline script that fetches the body JSON and appends one ``<p>`` per paragraph."""
    return (
        "<script>\n(function () {\n"
        f'  var target = document.getElementById("node-body-{a.nid}");\n'
        f'  fetch("/_js/body/{a.nid}.json").then(function (r) {{ return r.json(); }})\n'
        "    .then(function (data) { data.paragraphs.forEach(function (text) {\n"
        '      var p = document.createElement("p"); p.textContent = text;'
        " target.appendChild(p); }); });\n})();\n</script>\n"
    )


def js_body_json(a: Article) -> str:
    """The JSON document served at ``/_js/body/<nid>.json``."""
    return json.dumps({"nid": a.nid, "paragraphs": a.paragraphs}, ensure_ascii=False)


def pager_links(site: Site, a: Article, state: str) -> pagers.PagerLinks:
    prev, nxt = site.links(a, state)
    position, total, first, last = site.chain_position(a, state)
    return pagers.PagerLinks(a.lang, prev, nxt, a.labels, LISTING[a.lang], position, total,
                             first, last)


def node_view(site: Site, a: Article, state: str) -> NodeView:
    rng = random.Random(f"render/{a.nid}")
    title_html = render_title(a.title, a.lang, a.quirks, rng)
    gen = a.template
    related = blocks.related_block(gen, a.lang, [_row(x) for x in _related(site, a, state)],
                                   LISTING[a.lang], a.alias, "views_mini_pager" in a.quirks,
                                   a.nid)
    latest = ""
    if a.quirks & {"slideshow_controls", "latest_news"}:
        latest = blocks.latest_block(gen, a.lang, [_row(x) for x in _latest(site, a)],
                                     "slideshow_controls" in a.quirks, a.nid)
    alternates = {}
    if "no_hreflang" not in a.quirks:
        alternates = {a.lang: a.alias, **site.translations(a, state)}
    return NodeView(
        a=a, title_html=title_html,
        machine=machine_datetime(a.published, a.hour, "utc_previous_day" in a.quirks),
        body=_body_html(a, rng, gen == "d7"),
        body_id=f' id="node-body-{a.nid}"' if a.js_body else "",
        script=js_loader(a) if a.js_body else "",
        pager=pagers.render(a.pager, pager_links(site, a, state), a.nid),
        related=related, latest=latest, switch=_switch(site, a, state), alternates=alternates,
    )


def article_page(site: Site, a: Article, state: str) -> str:
    """The article's HTML in its generation's markup (same bytes at alias and node path)."""
    theme = {"d7": theme_d7, "d8": theme_d8, "d10": theme_d10}[a.template]
    return theme.render(node_view(site, a, state))

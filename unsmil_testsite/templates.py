"""HTML of article pages in the site's two Drupal templates, plus the shared chrome.

Pages are rendered once with ``HOST`` standing for ``http://<Host header>``; the server swaps it
per request host, so absolute links follow whatever host the client used.
"""

from __future__ import annotations

import html
import json
import random
from typing import TYPE_CHECKING

from .date_formats import listing_date, machine_datetime
from .quirks import empty_paragraph, render_text, render_title

if TYPE_CHECKING:
    from .model import Article, Site

HOST = "http://__HOST__"
SITE_NAME = {"en": "UNSMIL", "ar": "بعثة الأمم المتحدة للدعم في ليبيا"}
MENU = {  # every menu target exists, so link-following discovery meets no 404 in the chrome
    "en": [("/all-press-releases", "News"), ("/all-press-releases?page=0", "Press releases"),
           ("/en/mandate", "Mandate"), ("/en/about", "About"), ("/en", "Media")],
    "ar": [("/ar/all-press-releases", "الأخبار"),
           ("/ar/all-press-releases?page=0", "البيانات الصحفية"),
           ("/ar/%D9%88%D9%84%D8%A7%D9%8A%D8%A9-%D8%A7%D9%84%D8%A8%D8%B9%D8%AB%D8%A9",
            "ولاية البعثة"),
           ("/ar/about", "عن البعثة"), ("/ar", "الإعلام")],
}
LANG_NAME = {"en": "English", "ar": "العربية"}
FOOTER = {
    "en": ["United Nations Support Mission in Libya", "Contact: unsmil-info@un.org",
           "Copyright © United Nations. All rights reserved."],
    "ar": ["بعثة الأمم المتحدة للدعم في ليبيا", "للتواصل: unsmil-info@un.org",
           "حقوق النشر © الأمم المتحدة. جميع الحقوق محفوظة."],
}
HOME = {"en": "Home", "ar": "الرئيسية"}
NEWS = {"en": "News", "ar": "الأخبار"}
SHARE = {"en": "Share:", "ar": "مشاركة:"}
RELATED = {"en": "Related news", "ar": "أخبار ذات صلة"}


def esc(text: str) -> str:
    """Attribute-safe escape."""
    return html.escape(text, quote=True)


def head(lang: str, title_html: str, extra: str = "") -> str:
    """New-template ``<head>`` and opening ``<body>``-less document start."""
    direction = "rtl" if lang == "ar" else "ltr"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{title_html} | {SITE_NAME[lang]}</title>\n{extra}</head>\n"
    )


def header(lang: str, switch: dict[str, str]) -> str:
    """Site menu and the Drupal 8 language switcher (``switch``: {lang: href})."""
    menu = "".join(f'<li><a href="{href}">{label}</a></li>' for href, label in MENU[lang])
    langs = "".join(
        f'<li hreflang="{code}"><a href="{esc(href)}" hreflang="{code}">{LANG_NAME[code]}</a></li>'
        for code, href in switch.items()
    )
    return (
        f'<header role="banner"><div class="site-branding"><a href="/{lang}" rel="home">'
        f"{SITE_NAME[lang]}</a></div>\n<nav class=\"menu--main\"><ul>{menu}</ul></nav>\n"
        f'<ul class="links language-switcher-language-url">{langs}</ul></header>\n'
    )


def footer(lang: str, old: bool = False) -> str:
    """Footer paragraphs (inside ``#footer`` on old pages)."""
    paras = "".join(f"<p>{p}</p>" for p in FOOTER[lang])
    if old:
        return f'<div id="footer">{paras}</div>'
    return f'<footer role="contentinfo">{paras}</footer>'


def _switch(site: Site, a: Article, state: str) -> dict[str, str]:
    links = {a.lang: a.alias, **site.translations(a, state)}
    return {code: links.get(code, f"/{code}") for code in ("en", "ar")}


def _related(site: Site, a: Article, state: str) -> list[Article]:
    """Drawn from the initial archive, so a site update changes only the pages it touches
    (ETags, and so conditional GETs, stay meaningful); a deleted article drops out."""
    same = [x for x in site.articles("initial") if x.lang == a.lang and x.nid != a.nid]
    present = {x.nid for x in site.articles(state)}
    return [x for x in (same[(a.nid * k) % len(same)] for k in (7, 13, 29)) if x.nid in present]


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


def article_page(site: Site, a: Article, state: str) -> str:
    """The article's HTML in its template (same bytes at the alias and the node path)."""
    rng = random.Random(f"render/{a.nid}")
    title_html = render_title(a.title, a.lang, a.quirks, rng)
    related = "".join(
        f'<div class="views-row"><a href="{esc(r.alias)}">{html.escape(r.title)}</a>'
        f"<p>{html.escape(teaser_text(r))}</p><span class=\"date\">"
        f"{listing_date(r.lang, r.published)}</span></div>"
        for r in _related(site, a, state)
    )
    render = _new if a.template == "new" else _old
    return render(site, a, state, title_html, _body_html(a, rng, a.template == "old"), related)


def _new(site: Site, a: Article, state: str, title_html: str, body: str, related: str) -> str:
    prev, nxt = site.links(a, state)
    machine = machine_datetime(a.published, a.hour, "utc_previous_day" in a.quirks)
    alternates = "".join(
        f'<link rel="alternate" hreflang="{code}" href="{HOST}{esc(path)}">\n'
        for code, path in sorted({a.lang: a.alias, **site.translations(a, state)}.items())
    )
    extra = (
        f'<link rel="canonical" href="{HOST}{esc(a.alias)}">\n'
        f'<link rel="shortlink" href="{HOST}{a.node_path}">\n{alternates}'
        f'<meta property="og:title" content="{esc(a.title)}">\n'
        '<meta property="og:type" content="article">\n'
        f'<meta property="article:published_time" content="{machine}">\n'
    )
    pager = ""
    if prev:
        pager += ('<li class="pager__item pager__item--previous">'
                  f'<a href="{esc(prev)}" rel="prev">previous</a></li>')
    if nxt:
        pager += ('<li class="pager__item pager__item--next">'
                  f'<a href="{esc(nxt)}" rel="next">next</a></li>')
    body_attrs = f' id="node-body-{a.nid}"' if a.js_body else ""
    return (
        head(a.lang, title_html, extra)
        + '<body class="path-node page-node-type-press-release">\n'
        + header(a.lang, _switch(site, a, state))
        + f'<nav class="breadcrumb"><a href="/{a.lang}">{HOME[a.lang]}</a> › '
        f'<a href="{MENU[a.lang][0][0]}">{NEWS[a.lang]}</a></nav>\n'
        f'<main role="main"><h1 class="page-title">{title_html}</h1>\n'
        f'<nav class="pager" role="navigation"><ul class="pager__items">{pager}</ul></nav>\n'
        f'<div class="field field--name-field-date"><time datetime="{machine}">'
        f"{a.date_text}</time></div>\n"
        f'<article role="article" class="node node--type-press-release">'
        f'<h2 class="node__title">{title_html}</h2>\n'
        f'<div class="field field--name-body field--type-text-with-summary"{body_attrs}>\n'
        f"{body}</div></article>\n{js_loader(a) if a.js_body else ''}"
        f'<div class="social-share">{SHARE[a.lang]} <a href="https://facebook.com/">Facebook</a> '
        '<a href="https://twitter.com/">Twitter</a> <a href="mailto:?">Email</a></div>\n'
        f'<section class="block-views-related"><h2>{RELATED[a.lang]}</h2>{related}</section>\n'
        f"</main>\n{footer(a.lang)}\n</body>\n</html>\n"
    )


def _old(site: Site, a: Article, state: str, title_html: str, body: str, related: str) -> str:
    prev, nxt = site.links(a, state)
    links = ""
    if a.has_canonical:
        links += f'<link rel="canonical" href="{esc(a.alias)}" />\n'
    links += f'<link rel="shortlink" href="{a.node_path}" />\n'
    if "no_hreflang" not in a.quirks:
        links += "".join(
            f'<link rel="alternate" hreflang="{code}" href="{HOST}{esc(path)}" />\n'
            for code, path in sorted(site.translations(a, state).items())
        )
    switch = _switch(site, a, state)
    items = "".join(
        f'<li class="{code}{" first" if i == 0 else " last"}{" active" if code == a.lang else ""}">'
        f'<a href="{esc(href)}" class="language-link" xml:lang="{code}">{LANG_NAME[code]}</a></li>'
        for i, (code, href) in enumerate(switch.items())
    )
    pager = ""
    if prev:
        pager += f'<li class="previous"><a href="{esc(prev)}">‹ previous</a></li>'
    if nxt:
        pager += f'<li class="next"><a href="{esc(nxt)}">next ›</a></li>'
    direction = "rtl" if a.lang == "ar" else "ltr"
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML+RDFa 1.0//EN" '
        '"http://www.w3.org/MarkUp/DTD/xhtml-rdfa-1.dtd">\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="{a.lang}" lang="{a.lang}" '
        f'dir="{direction}">\n<head>\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
        f"<title>{title_html} | {SITE_NAME[a.lang]}</title>\n{links}</head>\n"
        f'<body class="html not-front not-logged-in node-type-article i18n-{a.lang}">\n'
        '<div id="block-locale-language"><ul class="language-switcher-locale-url">'
        f"{items}</ul></div>\n"
        f'<div id="breadcrumb"><a href="/{a.lang}">{HOME[a.lang]}</a> » {NEWS[a.lang]}</div>\n'
        f'<div id="content"><h1 class="title" id="page-title">{title_html}</h1>\n'
        f'<ul class="pager-node">{pager}</ul>\n'
        '<div class="field field-name-field-news-date"><span class="date-display-single">'
        f"{a.date_text}</span></div>\n"
        f'<div class="node node-article"><h2>{title_html}</h2><div class="content">'
        '<div class="field field-name-body"><div class="field-items">'
        f'<div class="field-item even">\n{body}\n</div></div></div></div></div>\n'
        f'<div class="service-links">{SHARE[a.lang]} <a href="https://facebook.com/">Facebook</a>'
        ' <a href="https://twitter.com/">Twitter</a></div>\n'
        f'<div class="view-related"><h2>{RELATED[a.lang]}</h2>{related}</div></div>\n'
        f"{footer(a.lang, old=True)}\n</body>\n</html>\n"
    )

"""Page chrome shared by every page of the offline site: head, header, menu, footer.

Pages are rendered once with ``HOST`` standing for ``http://<Host header>``; the server swaps it
per request host, so absolute links follow whatever host the client used.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .templates import NodeView

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
    """Footer paragraphs (inside ``#footer`` on Drupal 7 pages)."""
    paras = "".join(f"<p>{p}</p>" for p in FOOTER[lang])
    if old:
        return f'<div id="footer">{paras}</div>'
    return f'<footer role="contentinfo">{paras}</footer>'


def head_links(v: NodeView, absolute: bool) -> str:
    """Canonical, shortlink and hreflang links (Drupal 7 printed the first two relative)."""
    a, base, close = v.a, HOST if absolute else "", "" if absolute else " /"
    out = ""
    if a.has_canonical:
        out += f'<link rel="canonical" href="{base}{esc(a.alias)}"{close}>\n'
    out += f'<link rel="shortlink" href="{base}{a.node_path}"{close}>\n'
    for code, path in sorted(v.alternates.items()):
        if absolute or code != a.lang:  # Drupal 7's hreflang links named the other languages
            out += f'<link rel="alternate" hreflang="{code}" href="{HOST}{esc(path)}"{close}>\n'
    return out


def share_links(lang: str) -> str:
    return (f'<div class="social-share">{SHARE[lang]} <a href="https://facebook.com/">Facebook</a> '
            '<a href="https://twitter.com/">Twitter</a> <a href="mailto:?">Email</a></div>\n')


def meta_tags(v: NodeView) -> str:
    """Open Graph tags Drupal 8+ sites print through the metatag module."""
    return (f'<meta property="og:title" content="{esc(v.a.title)}">\n'
            '<meta property="og:type" content="article">\n'
            f'<meta property="article:published_time" content="{v.machine}">\n')

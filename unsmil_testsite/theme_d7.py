"""Drupal 7 full-node page (Bartik page.tpl.php layout; node.tpl.php; field.tpl.php).

XHTML+RDFa doctype, ``h1#page-title`` outside the node, ``div#node-N.node.node-article``
(``node-full`` or, as Zen-based themes print it, ``view-mode-full``), fields
``field-name-body`` > ``field-items`` > ``field-item``, date in ``span.date-display-single``,
relative canonical and shortlink, ``ul.language-switcher-locale-url``. The pager sits above
the node (``pager_node``), inside it (``custom_pager``) or after it (``item_list``); latest
news is in the first sidebar (before the content in the DOM) or the second.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .chrome import HOME, LANG_NAME, MENU, NEWS, SITE_NAME, esc, footer, head_links

if TYPE_CHECKING:
    from .templates import NodeView

SKIP = {"en": "Skip to main content", "ar": "انتقل إلى المحتوى الرئيسي"}
HERE = {"en": "You are here", "ar": "أنت هنا"}
MAIN_MENU = {"en": "Main menu", "ar": "القائمة الرئيسية"}


def _switcher(v: NodeView) -> str:
    items = "".join(
        f'<li class="{code} {"first" if i == 0 else "last"}'
        f'{" active" if code == v.a.lang else ""}">'
        f'<a href="{esc(href)}" class="language-link" xml:lang="{code}">{LANG_NAME[code]}</a></li>'
        for i, (code, href) in enumerate(v.switch.items())
    )
    return ('<div id="block-locale-language" class="block block-locale"><div class="content">'
            f'<ul class="language-switcher-locale-url">{items}</ul></div></div>')


def _menu(lang: str) -> str:
    items = "".join(
        f'<li class="menu-{218 + i}{" first" if i == 0 else ""}"><a href="{href}">{label}</a></li>'
        for i, (href, label) in enumerate(MENU[lang])
    )
    return (f'<div id="main-menu" class="navigation"><h2 class="element-invisible">'
            f'{MAIN_MENU[lang]}</h2><ul id="main-menu-links" class="links clearfix">{items}</ul>'
            "</div>")


def _node(v: NodeView) -> str:
    a = v.a
    mode = "view-mode-full" if a.nid % 3 == 0 else "node-full"
    inner = v.pager if a.pager == "custom_pager" else ""
    return (
        f'<div id="node-{a.nid}" class="node node-article node-promoted {mode} clearfix" '
        f'about="{esc(a.alias)}" typeof="sioc:Item foaf:Document">\n'
        f'<span property="dc:title" content="{escape(a.title)}" class="rdf-meta element-hidden">'
        '</span>\n<div class="content clearfix">\n'
        '<div class="field field-name-field-news-date field-type-datetime field-label-hidden">'
        '<div class="field-items"><div class="field-item even"><span class="date-display-single">'
        f"{a.date_text}</span></div></div></div>\n"
        '<div class="field field-name-body field-type-text-with-summary field-label-hidden">'
        f'<div class="field-items"><div class="field-item even" property="content:encoded"'
        f"{v.body_id}>\n{v.body}\n</div></div></div>\n{v.script}</div>\n{inner}"
        '<ul class="links inline"><li class="service-links-facebook first">'
        '<a href="https://facebook.com/" class="service-links-facebook">Facebook</a></li>'
        '<li class="service-links-twitter last"><a href="https://twitter.com/" '
        'class="service-links-twitter">Twitter</a></li></ul>\n</div>\n'
    )


def render(v: NodeView) -> str:
    a, lang = v.a, v.a.lang
    direction = "rtl" if lang == "ar" else "ltr"
    side = "first" if a.nid % 2 else "second"
    sidebar = (f'<div id="sidebar-{side}" class="column sidebar"><div class="section">'
               f'<div class="region region-sidebar-{side}">\n{v.latest}</div></div></div>\n'
               if v.latest else "")
    layout = f"one-sidebar sidebar-{side}" if v.latest else "no-sidebars"
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML+RDFa 1.0//EN" '
        '"http://www.w3.org/MarkUp/DTD/xhtml-rdfa-1.dtd">\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="{lang}" lang="{lang}" '
        f'dir="{direction}">\n<head profile="http://www.w3.org/1999/xhtml/vocab">\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
        f"<title>{v.title_html} | {SITE_NAME[lang]}</title>\n{head_links(v, absolute=False)}"
        "</head>\n"
        f'<body class="html not-front not-logged-in {layout} page-node page-node-{a.nid} '
        f'node-type-article i18n-{lang}">\n'
        f'<div id="skip-link"><a href="#main-content" class="element-invisible '
        f'element-focusable">{SKIP[lang]}</a></div>\n'
        '<div id="page-wrapper"><div id="page">\n<div id="header"><div class="section clearfix">'
        f'<a href="/{lang}" title="{HOME[lang]}" rel="home" id="logo">{SITE_NAME[lang]}</a>\n'
        f'{_menu(lang)}\n<div class="region region-header">{_switcher(v)}</div></div></div>\n'
        '<div id="main-wrapper" class="clearfix"><div id="main" class="clearfix">\n'
        f'<div id="breadcrumb"><h2 class="element-invisible">{HERE[lang]}</h2>'
        f'<div class="breadcrumb"><a href="/{lang}">{HOME[lang]}</a> » {NEWS[lang]}</div></div>\n'
        + (sidebar if side == "first" else "")
        + '<div id="content" class="column"><div class="section">\n<a id="main-content"></a>\n'
        f'<h1 class="title" id="page-title">{v.title_html}</h1>\n'
        '<div class="region region-content">\n'
        '<div id="block-system-main" class="block block-system"><div class="content">\n'
        + (v.pager if a.pager == "pager_node" else "")
        + _node(v)
        + (v.pager if a.pager == "item_list" else "")
        + f"</div></div>\n{v.related}</div>\n</div></div>\n"
        + (sidebar if side == "second" else "")
        + "</div></div>\n"
        f'<div id="footer-wrapper"><div class="section">{footer(lang, old=True)}</div></div>\n'
        "</div></div>\n</body>\n</html>\n"
    )

"""Drupal 8/9 full-node page (Bartik 8 page.html.twig layout; Classy node, block, field).

``<article role="article" class="node node--type-press-release node--promoted
node--view-mode-full">`` inside the main-content block, title in the page-title block
(``h1.page-title`` > ``span.field--name-title``), ``field--name-field-date`` > ``time``,
``field--name-body``, absolute canonical / shortlink / hreflang. The pager is inside the
``<article>`` (``node_links``), right after it (``after_article``), in its own region block
(``region_block``), or in a ``<nav>`` above the article (``nav``); latest news in the sidebar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .chrome import (
    HOME,
    LANG_NAME,
    MENU,
    NEWS,
    SITE_NAME,
    esc,
    footer,
    head,
    head_links,
    meta_tags,
    share_links,
)

if TYPE_CHECKING:
    from .templates import NodeView

SKIP = {"en": "Skip to main content", "ar": "انتقل إلى المحتوى الرئيسي"}
WORDS = {
    "en": {"switcher": "Language switcher", "menu": "Main navigation", "crumb": "Breadcrumb"},
    "ar": {"switcher": "مبدل اللغة", "menu": "التصفح الرئيسي", "crumb": "مسار التنقل"},
}


def switcher(v: NodeView, content_class: str = "content") -> str:
    items = "".join(
        f'<li hreflang="{code}" class="{code}{" is-active" if code == v.a.lang else ""}">'
        f'<a href="{esc(href)}" class="language-link" hreflang="{code}">{LANG_NAME[code]}</a></li>'
        for code, href in v.switch.items()
    )
    return ('<div class="language-switcher-language-url block block-language '
            'block-language-blocklanguage-interface" id="block-languageswitcher" '
            f'role="navigation"><h2 class="visually-hidden">{WORDS[v.a.lang]["switcher"]}</h2>'
            f'<div class="{content_class}"><ul class="links">{items}</ul></div></div>')


def breadcrumb(lang: str, item_class: str = "", link_class: str = "") -> str:
    li = f' class="{item_class}"' if item_class else ""
    link = f' class="{link_class}"' if link_class else ""
    return (f'<nav class="breadcrumb" role="navigation" aria-labelledby="system-breadcrumb">'
            f'<h2 id="system-breadcrumb" class="visually-hidden">{WORDS[lang]["crumb"]}</h2>'
            f'<ol><li{li}><a href="/{lang}"{link}>{HOME[lang]}</a></li>'
            f'<li{li}><a href="{MENU[lang][0][0]}"{link}>{NEWS[lang]}</a></li></ol></nav>')


def date_and_body(v: NodeView, body_class: str) -> str:
    """The date and body fields as Drupal 8+ prints them (``field__item`` shorthand)."""
    return (
        '<div class="field field--name-field-date field--type-datetime field--label-hidden '
        f'field__item"><time datetime="{v.machine}" class="datetime">{v.a.date_text}</time>'
        f'</div>\n<div class="{body_class} field field--name-body field--type-text-with-summary '
        f'field--label-hidden field__item"{v.body_id}>\n{v.body}</div>\n{v.script}'
    )


def render(v: NodeView) -> str:
    a, lang = v.a, v.a.lang
    w = WORDS[lang]
    menu = "".join(f'<li class="menu-item"><a href="{href}">{label}</a></li>'
                   for href, label in MENU[lang])
    pager = {p: (v.pager if a.pager == p else "") for p in
             ("node_links", "after_article", "region_block", "nav")}
    layout = "layout-one-sidebar layout-sidebar-second" if v.latest else "layout-no-sidebars"
    sidebar = ('<div id="sidebar-second" class="column sidebar"><aside class="section" '
               f'role="complementary"><div class="region region-sidebar-second">{v.latest}'
               "</div></aside></div>\n" if v.latest else "")
    return (
        head(lang, v.title_html, head_links(v, absolute=True) + meta_tags(v))
        + f'<body class="{layout} path-node page-node-type-press-release">\n'
        f'<a href="#main-content" class="visually-hidden focusable skip-link">{SKIP[lang]}</a>\n'
        '<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>\n'
        '<div id="page-wrapper"><div id="page">\n'
        '<header id="header" class="header" role="banner"><div class="section layout-container '
        'clearfix"><div class="region region-header"><div id="block-bartik-branding" '
        'class="clearfix site-branding block block-system block-system-branding-block">'
        f'<a href="/{lang}" rel="home" class="site-branding__logo">{SITE_NAME[lang]}</a></div>'
        f"{switcher(v)}</div>\n"
        '<div class="region region-primary-menu"><nav role="navigation" '
        'aria-labelledby="block-bartik-main-menu-menu" id="block-bartik-main-menu" '
        'class="block block-menu navigation menu--main"><h2 class="visually-hidden" '
        f'id="block-bartik-main-menu-menu">{w["menu"]}</h2><div class="content">'
        f'<ul class="clearfix menu">{menu}</ul></div></nav></div></div></header>\n'
        '<div id="main-wrapper" class="layout-main-wrapper layout-container clearfix">'
        '<div id="main" class="layout-main clearfix">\n'
        '<div id="block-bartik-breadcrumbs" class="block block-system '
        f'block-system-breadcrumb-block"><div class="content">{breadcrumb(lang)}</div></div>\n'
        '<main id="content" class="column main-content" role="main"><section class="section">'
        '<a id="main-content" tabindex="-1"></a>\n<div class="region region-content">\n'
        '<div id="block-bartik-page-title" class="block block-core block-page-title-block">'
        '<div class="content"><h1 class="js-quickedit-page-title title page-title">'
        '<span class="field field--name-title field--type-string field--label-hidden">'
        f"{v.title_html}</span></h1></div></div>\n{pager['nav']}"
        '<div id="block-bartik-content" class="block block-system block-system-main-block">'
        '<div class="content">\n'
        f'<article role="article" about="{esc(a.alias)}" class="node node--type-press-release '
        'node--promoted node--view-mode-full">\n<div class="node__content clearfix">\n'
        f'{date_and_body(v, "clearfix text-formatted")}</div>\n{pager["node_links"]}'
        f"</article>\n{pager['after_article']}{share_links(lang)}</div></div>\n"
        f"{pager['region_block']}"
        f"{v.related}</div>\n</section></main>\n{sidebar}</div></div>\n"
        f'{footer(lang)}\n</div></div>\n</div>\n</body>\n</html>\n'
    )

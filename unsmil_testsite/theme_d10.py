"""Drupal 10/11 full-node page (Olivero page.html.twig regions; node, block, pager templates).

Title in the ``region--content-above`` page-title block (``h1.title.page-title``), ``<article
class="node node--type-press-release node--promoted node--view-mode-full">`` with
``node__content``, ``text-content field--name-body``, blocks with ``block__content``. The pager
is Olivero's ``nav.pager`` (``pager__items js-pager__items``, ``pager__item--previous`` /
``--next`` links with ``rel``): in the ``region--content-below`` block (``olivero``), inside the
article with first / active / last items (``olivero_full``), or right after the article with
text labels (``text``). Latest news goes to ``region--sidebar``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .chrome import MENU, SITE_NAME, footer, head, head_links, meta_tags, share_links
from .theme_d8 import SKIP, WORDS, breadcrumb, date_and_body, switcher

if TYPE_CHECKING:
    from .templates import NodeView

FEED = {"en": ("/rss.xml", "RSS feed"), "ar": ("/ar/rss.xml", "موجز RSS")}


def _menu(lang: str) -> str:
    level = "primary-nav__menu-{}--level-1"
    items = "".join(
        f'<li class="{level.format("item")} primary-nav__menu-item--link">'
        f'<a href="{href}" class="{level.format("link")} primary-nav__menu-link--link">'
        f'<span class="primary-nav__menu-link-inner">{label}</span></a></li>'
        for href, label in MENU[lang]
    )
    return ('<nav id="block-olivero-main-menu" class="primary-nav block block-menu navigation '
            'menu--main" aria-labelledby="block-olivero-main-menu-menu" role="navigation">'
            '<h2 class="visually-hidden block__title" id="block-olivero-main-menu-menu">'
            f'{WORDS[lang]["menu"]}</h2><ul class="menu primary-nav__menu '
            f'primary-nav__menu--level-1">{items}</ul></nav>')


def render(v: NodeView) -> str:
    a, lang = v.a, v.a.lang
    region = "grid-full layout--pass--content-medium"
    pager = {p: (v.pager if a.pager == p else "") for p in ("olivero", "olivero_full", "text")}
    below = (f'<div class="region region--content-below {region}"><div id="block-olivero-'
             'nodepager" class="block block-node-pager block-node-pager-block"><div '
             f'class="block__content">{pager["olivero"]}</div></div></div>\n'
             if pager["olivero"] else "")
    content = (
        f'<div class="region region--content {region}">\n'
        '<div id="block-olivero-content" class="block block-system block-system-main-block">'
        '<div class="block__content">\n'
        f'<article data-history-node-id="{a.nid}" class="node node--type-press-release '
        'node--promoted node--view-mode-full">\n<header class=""></header>\n'
        f'<div class="node__content">\n{date_and_body(v, "text-content clearfix")}'
        f'{pager["olivero_full"]}</div>\n</article>\n{pager["text"]}{share_links(lang)}'
        f"</div></div>\n{v.related}</div>\n"
    )
    if v.latest:
        content = (f'<div class="sidebar-grid grid-full">{content}<div class="region '
                   f'region--sidebar">{v.latest}</div></div>\n')
    feed, feed_label = FEED[lang]
    return (
        head(lang, v.title_html, '<meta name="Generator" content="Drupal 10 '
             '(https://www.drupal.org)">\n' + head_links(v, absolute=True) + meta_tags(v))
        + '<body class="path-node page-node-type-press-release">\n'
        f'<a href="#main-content" class="visually-hidden focusable skip-link">{SKIP[lang]}</a>\n'
        '<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>\n'
        '<div id="page-wrapper" class="page-wrapper"><div id="page">\n'
        '<header id="header" class="site-header" data-drupal-selector="site-header" '
        'role="banner"><div class="site-header__fixable"><div id="site-header__inner" '
        'class="site-header__inner"><div class="container site-header__inner__container">'
        '<div id="block-olivero-site-branding" class="site-branding block block-system '
        'block-system-branding-block"><div class="site-branding__inner"><div '
        f'class="site-branding__name"><a href="/{lang}" rel="home">{SITE_NAME[lang]}</a></div>'
        f'</div></div><div id="header-nav" class="header-nav">{_menu(lang)}'
        f'{switcher(v, "block__content")}</div></div></div></div></header>\n'
        '<div id="main-wrapper" class="layout-main-wrapper layout-container">'
        '<div id="main" class="layout-main">\n<main id="content" class="main-content" '
        'role="main"><a id="main-content" tabindex="-1"></a>\n'
        '<div class="main-content__container container">\n'
        f'<div class="region region--breadcrumb {region}"><div id="block-olivero-breadcrumbs" '
        'class="block block-system block-system-breadcrumb-block"><div class="block__content">'
        f'{breadcrumb(lang, "breadcrumb__item", "breadcrumb__link")}</div></div></div>\n'
        f'<div class="region region--content-above {region}"><div id="block-olivero-page-title" '
        'class="block block-core block-page-title-block"><h1 class="title page-title">'
        '<span class="field field--name-title field--type-string field--label-hidden">'
        f"{v.title_html}</span></h1></div></div>\n{content}{below}</div>\n</main>\n"
        '<div class="social-bar"><div class="social-bar__inner fixable"><div class="rotate">'
        '<div id="block-olivero-syndicate" class="block block-node block-node-syndicate-block">'
        f'<div class="block__content"><a href="{feed}" class="feed-icon">{feed_label}</a></div>'
        "</div></div></div></div>\n</div></div>\n"
        f"{footer(lang)}\n</div></div>\n</div>\n"
        "</body>\n</html>\n"
    )

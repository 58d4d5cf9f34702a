"""UNSMIL (unsmil.unmissions.org): Drupal, with the article markup of three generations.

Drupal 7 (Bartik/Garland style): ``h1#page-title``, ``ul.pager-node`` or ``div.item-list >
ul.pager`` with ``li.previous/next`` or ``li.pager-previous/next``, ``.field-name-field-news-date``,
``.field-name-body .field-item``, relative canonical. Drupal 8/9 (Classy/Bartik) and 10/11
(Olivero): ``h1.page-title``, the pager inside or after ``article.node--view-mode-full``, in a
block or a ``nav.pager`` with ``pager__item--previous`` and ``rel=prev/next``,
``.field--name-field-date time``, ``.field--name-body``. Generic fallbacks (pager labels,
``<title>``, og: metadata, largest paragraph block) come last; links in teaser rows
(``teaser_row``) are never neighbours.
"""

import re

from unsmil_crawler.sites import SiteProfile, class_contains, has_class

UNSMIL = SiteProfile(
    name="unsmil",
    base_url="https://unsmil.unmissions.org",
    languages=("ar", "en"),
    default_language="en",
    lang_prefixes={"ar": "/ar/", "en": "/en/"},
    second_address=re.compile(r"^(?:/ar)?/node/\d+$"),
    listing_paths={"en": "/all-press-releases", "ar": "/ar/all-press-releases"},
    feed_paths={"en": ("/rss.xml", "/en/rss.xml"), "ar": ("/ar/rss.xml",)},
    sitemap_paths=("/sitemap.xml",),
    pager_param="page",
    title=(
        ("h1.page-title", f"//h1[{class_contains('page-title')}]"),
        ("h1#page-title", "//h1[@id='page-title']"),
        ("h1.title", f"//h1[{has_class('title')}]"),
        ("og:title", "//meta[@property='og:title']/@content"),
        ("main h1", "(//main//h1 | //*[@id='content']//h1)[1]"),
        ("node h2", f"//article//h2[{class_contains('title')}]"),
        ("<title>", "//head/title"),
    ),
    title_suffix=re.compile(r"\s*[|｜]\s*(UNSMIL|United Nations Support Mission in Libya"
                            r"|بعثة الأمم المتحدة للدعم في ليبيا).*$"),
    date=(
        ("field-date time", f"//*[{class_contains('field--name-field-date')}]//time"),
        ("field-date", f"//*[{class_contains('field--name-field-date')}]"),
        ("news-date span", f"//*[{class_contains('field-name-field-news-date')}]"
                           f"//*[{class_contains('date-display')}]"),
        ("news-date", f"//*[{class_contains('field-name-field-news-date')}]"),
        ("date-display", f"(//*[@id='content'] | //main)//*[{class_contains('date-display')}]"),
        ("article time", "(//main | //article | //*[@id='content'])//time[not(ancestor::*["
                         f"{class_contains('views-row')} or {class_contains('related')}])]"),
    ),
    date_machine=(
        ("meta published_time", "//meta[@property='article:published_time']/@content"),
        ("time@datetime", f"//*[{class_contains('field--name-field-date')}]//time/@datetime"),
    ),
    body=(
        ("field--name-body", f"//*[{class_contains('field--name-body')}]"),
        ("field-name-body item", f"//*[{class_contains('field-name-body')}]"
                                 f"//*[{has_class('field-item')}]"),
        ("field-name-body", f"//*[{class_contains('field-name-body')}]"),
        ("content:encoded", "//*[@property='content:encoded']"),
    ),
    body_fallback_scopes=(
        ("article", "//article"),
        ("main", "//main"),
        ("#content", "//*[@id='content']"),
    ),
    chrome_classes=("related", "share", "service-links", "views-row", "footer", "breadcrumb",
                    "menu", "language-switcher", "pager", "teaser", "block-views", "view-"),
    prev_link=(
        ("rel=prev", "//a[@rel='prev'] | //link[@rel='prev']"),
        ("pager__item--previous", f"//*[{class_contains('pager__item--previous')}]//a"),
        ("li.pager-previous", f"//li[{has_class('pager-previous')}]//a"),
        ("li.previous", f"//*[{class_contains('pager')}]//li[{has_class('previous')}]//a"),
    ),
    next_link=(
        ("rel=next", "//a[@rel='next'] | //link[@rel='next']"),
        ("pager__item--next", f"//*[{class_contains('pager__item--next')}]//a"),
        ("li.pager-next", f"//li[{has_class('pager-next')}]//a"),
        ("li.next", f"//*[{class_contains('pager')}]//li[{has_class('next')}]//a"),
    ),
    # "previous", "‹ previous", "«", "Previous article", "السابق", "الخبر السابق", ...
    prev_label=re.compile(
        r"^\W*(?:(?:previous|prev)(?:\s+(?:article|news|item|post|story|page))?"
        r"|(?:(?:الخبر|المقال|البيان|المادة)\s+)?(?:السابق|السابقة))\W*$|^[\s«‹←<]+$",
        re.IGNORECASE),
    next_label=re.compile(
        r"^\W*(?:next(?:\s+(?:article|news|item|post|story|page))?"
        r"|(?:(?:الخبر|المقال|البيان|المادة)\s+)?(?:التالي|التالية))\W*$|^[\s»›→>]+$",
        re.IGNORECASE),
    pager_links=(f"//*[self::nav or {has_class('pager')} or {has_class('pager__items')}"
                 f" or {has_class('pager-node')} or {has_class('item-list')}]//a"),
    teaser_row=(f"ancestor-or-self::*[{has_class('views-row')} or "
                f"{has_class('node--view-mode-teaser')} or {has_class('node-teaser')}]"),
    canonical="//link[@rel='canonical']/@href",
    shortlink="//link[@rel='shortlink']/@href",
    hreflang_links="//link[@rel='alternate'][@hreflang]",
    switcher_links=f"//*[{class_contains('language-switcher')}]//a",
    page_lang="/html/@lang | /html/@xml:lang",
    listing_article_links=(f"//*[{class_contains('views-row')}]//a/@href"),
    listing_last_page=(f"//*[{class_contains('pager')}]//a[@title='Go to last page' or "
                       "@rel='last' or ancestor::li[contains(@class, 'last')] or "
                       "contains(translate(., 'LAST', 'last'), 'last') or "
                       "contains(., 'الأخيرة')]/@href"),
    listing_next_page=f"//*[{class_contains('pager')}]//a[@rel='next']/@href",
    body_ready=".field--name-body p, .field-name-body p",
    skip_url=re.compile(
        r"\.(pdf|jpe?g|png|gif|docx?|xlsx?|zip|mp4|mp3)$|/(user|admin|search|taxonomy|media)(/|$)"
        r"|/all-press-releases|/rss\.xml$|/sitemap\.xml",
        re.IGNORECASE,
    ),
)

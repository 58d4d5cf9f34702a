"""UNMISS (unmiss.unmissions.org): Drupal 9 on a Bootstrap (Barrio) sub-theme, English only.

Stories at ``/news/<slug>``, photo stories at ``/photo-stories/<slug>``, statements at
``/statements/<yyyy>/<mm>/<slug>``; every node also at ``/node/<nid>``. Title ``h1.title`` in
the page-title block; date ``.field--name-field-story-date time`` ("Sunday, March 12, 2023",
an inline "Date" label before it); body ``.field--name-body`` (the photo caption is a separate
image field); story pager as Bootstrap pagination (``li.page-item--previous`` /
``--next`` > ``a.page-link[rel]``, "← Previous story" / "Next story →") in its own block or
the article footer. "More stories" cards (``views-row``) and their mini pager are not
neighbours. Listing ``/latest-news?page=N`` (full pager, "Last »" titled "Go to last page"),
feed ``/latest-news/feed``, one ``/sitemap.xml``. The offline copy is
``unsmil_testsite.mission``.
"""

import re

from unsmil_crawler.sites import SiteProfile, class_contains, has_class

_DATE_FIELD = f"//*[{class_contains('field--name-field-story-date')}]"

UNMISS = SiteProfile(
    name="unmiss",
    base_url="https://unmiss.unmissions.org",
    languages=("en",),
    default_language="en",
    listing_paths={"en": "/latest-news"},
    feed_paths={"en": ("/latest-news/feed",)},
    sitemap_paths=("/sitemap.xml",),
    pager_param="page",
    title=(
        ("h1.title", f"//h1[{has_class('title')}]"),
        ("og:title", "//meta[@property='og:title']/@content"),
        ("<title>", "//head/title"),
    ),
    title_suffix=re.compile(r"\s*[|｜]\s*(UNMISS|United Nations Mission in South Sudan).*$"),
    date=(
        ("story-date time", f"{_DATE_FIELD}//time"),
        ("story-date", _DATE_FIELD),
        ("article time", "//article//time"),
    ),
    date_machine=(
        ("meta published_time", "//meta[@property='article:published_time']/@content"),
        ("time@datetime", f"{_DATE_FIELD}//time/@datetime"),
    ),
    body=(
        ("field--name-body", f"//article//*[{class_contains('field--name-body')}]"),
        ("any field--name-body", f"//*[{class_contains('field--name-body')}]"),
    ),
    body_fallback_scopes=(
        ("article", "//article"),
        ("main", "//main"),
    ),
    chrome_classes=("views-row", "card", "breadcrumb", "menu", "navbar", "pagination",
                    "footer", "node__meta", "field--name-field-image", "block-views", "view-"),
    prev_link=(
        ("rel=prev", "//a[@rel='prev']"),
        ("page-item--previous", f"//li[{has_class('page-item--previous')}]//a"),
    ),
    next_link=(
        ("rel=next", "//a[@rel='next']"),
        ("page-item--next", f"//li[{has_class('page-item--next')}]//a"),
    ),
    prev_label=re.compile(r"^\W*previous(?:\s+story)?\W*$", re.IGNORECASE),
    next_label=re.compile(r"^\W*next(?:\s+story)?\W*$", re.IGNORECASE),
    pager_links=f"//ul[{has_class('pagination')}]//a",
    teaser_row=f"ancestor-or-self::*[{has_class('views-row')} or {has_class('card')}]",
    canonical="//link[@rel='canonical']/@href",
    shortlink="//link[@rel='shortlink']/@href",
    hreflang_links="//link[@rel='alternate'][@hreflang]",
    switcher_links=f"//*[{class_contains('language-switcher')}]//a",
    page_lang="/html/@lang",
    listing_article_links=f"//*[{has_class('views-row')}]//a/@href",
    listing_last_page=(f"//ul[{has_class('pagination')}]//a[@title='Go to last page']/@href"),
    listing_next_page=f"//ul[{has_class('pagination')}]//a[@rel='next']/@href",
    body_ready=".field--name-body p",
    skip_url=re.compile(
        r"\.(pdf|jpe?g|png|gif|docx?|xlsx?|zip|mp4|mp3)$"
        r"|/(user|admin|search|taxonomy|media|sites)(/|$)|/latest-news|/sitemap\.xml|/feed$",
        re.IGNORECASE,
    ),
)

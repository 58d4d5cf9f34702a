"""Extraction degrades gracefully: several signals per field, and non-articles stay out."""

from datetime import UTC, datetime

from parsel import Selector

from unsmil_crawler.extract.article import extract_article
from unsmil_crawler.sites.unsmil import UNSMIL

BASE = "http://127.0.0.1:8000"

NEW = """<!DOCTYPE html><html lang="en" dir="ltr"><head><title>Talks resume | UNSMIL</title>
<link rel="canonical" href="http://127.0.0.1:8000/en/news/talks-resume">
<link rel="shortlink" href="http://127.0.0.1:8000/node/41">
<link rel="alternate" hreflang="ar" href="http://127.0.0.1:8000/ar/%D8%AD%D9%88%D8%A7%D8%B1">
<meta property="article:published_time" content="2024-10-31T23:30:00Z"></head>
<body><header><ul class="menu"><li><a href="/en/news">News</a></li></ul></header>
<main><h1 class="page-title">Talks resume</h1>
<nav class="pager"><ul><li class="pager__item pager__item--previous">
<a href="/en/news/older" rel="prev">previous</a></li>
<li class="pager__item pager__item--next"><a href="/node/43" rel="next">next</a></li></ul></nav>
<div class="field field--name-field-date">
<time datetime="2024-10-31T23:30:00Z">1 November 2024</time></div>
<article><h2 class="node__title">Talks resume</h2>
<div class="field field--name-body"><p>Tripoli, 1 November 2024 - First<br>line.</p><p>&nbsp;</p>
<p>Second <strong>para</strong>.</p></div></article>
<div class="social-share"><p>Share this</p></div>
<section class="block-views-related"><div class="views-row"><p>Teaser text</p>
<span class="date">02 Nov 2024</span></div></section></main>
<footer><p>United Nations Support Mission in Libya</p></footer></body></html>"""

OLD = """<html xml:lang="ar" lang="ar" dir="rtl"><head><title>عنوان | UNSMIL</title>
<link rel="canonical" href="/ar/%D8%B9%D9%86%D9%88%D8%A7%D9%86" />
<link rel="shortlink" href="/ar/node/7" /></head><body>
<div id="block-locale-language"><ul class="language-switcher-locale-url">
<li class="en first"><a href="/en/title-en" class="language-link" xml:lang="en">English</a></li>
<li class="ar last active"><a href="/ar/x" xml:lang="ar">العربية</a></li></ul></div>
<div id="content"><h1 class="title" id="page-title">عنوان الخبر</h1>
<ul class="pager-node"><li class="previous"><a href="/ar/node/6">‹ previous</a></li>
<li class="next"><a href="/ar/node/8">next ›</a></li></ul>
<div class="field field-name-field-news-date">
<span class="date-display-single">١ تشرين الثاني ٢٠١٤</span></div>
<div class="node"><div class="field field-name-body"><div class="field-items">
<div class="field-item even"><p>طرابلس - نص الخبر.</p></div></div></div></div>
<div class="view-related"><p>خبر آخر</p></div></div></body></html>"""

RENAMED = """<html lang="en"><head><title>Statement on Sirte | UNSMIL</title></head><body>
<main><h1>Statement on Sirte</h1><div class="posted-on">3 March 2021</div>
<div class="neighbours"><a href="/en/a">‹ previous</a> <a href="/en/c">next ›</a></div>
<div class="text"><p>One paragraph of the statement.</p><p>Another paragraph.</p></div>
<div class="share-bar"><p>Share</p></div></main><footer><p>Footer text</p></footer></body></html>"""

LISTING = """<html lang="en"><head><title>Press releases | UNSMIL</title></head><body><main>
<h1 class="page-title">Press releases</h1><div class="view-content">
<div class="views-row"><span class="date">01 Nov 2018</span> - <a href="/en/a">A</a></div></div>
<ul class="pager"><li><a href="?page=1" rel="next">next ›</a></li>
<li><a href="?page=30">last »</a></li></ul></main></body></html>"""

NOT_FOUND = """<html lang="en"><head><title>Page not found | UNSMIL</title></head><body><main>
<h1 class="page-title">Page not found</h1><p>The requested page could not be found.</p>
</main></body></html>"""

BASIC = """<html lang="en"><head><title>About UNSMIL | UNSMIL</title></head><body><main>
<h1 class="page-title">About UNSMIL</h1><div class="field field--name-body">
<p>UNSMIL was established on 16 September 2011.</p></div></main></body></html>"""


def extract(html: str, path: str):
    """(the article item, the extraction report)."""
    return extract_article(Selector(text=html), BASE + path, UNSMIL)


def test_new_template_all_fields_from_primary_signals():
    page, report = extract(NEW, "/node/41")
    assert report.is_article
    assert page.url == BASE + "/en/news/talks-resume"
    assert page.aliases == [BASE + "/node/41"]
    assert page.title == "Talks resume"
    # The page shows 1 November; the machine datetime is the evening before in UTC.
    assert page.published == datetime(2024, 11, 1, tzinfo=UTC)
    assert page.paragraphs == ["Tripoli, 1 November 2024 - First\nline.", "Second para."]
    assert page.prev_url == BASE + "/en/news/older"
    assert page.next_url == BASE + "/node/43"
    assert page.translations == {"ar": BASE + "/ar/%D8%AD%D9%88%D8%A7%D8%B1"}
    assert report.signals["published"] == "field-date time"


def test_old_template_relative_canonical_labels_and_levantine_date():
    page, report = extract(OLD, "/ar/node/7")
    assert report.is_article
    assert page.url == BASE + "/ar/%D8%B9%D9%86%D9%88%D8%A7%D9%86"
    assert page.lang == "ar"
    assert page.title == "عنوان الخبر"
    assert page.published == datetime(2014, 11, 1, tzinfo=UTC)
    assert page.paragraphs == ["طرابلس - نص الخبر."]
    assert (page.prev_url, page.next_url) == (BASE + "/ar/node/6", BASE + "/ar/node/8")
    assert page.translations == {"en": BASE + "/en/title-en"}


def test_renamed_classes_fall_back_to_structure_and_labels():
    page, report = extract(RENAMED, "/en/b")
    assert report.is_article
    assert page.url == BASE + "/en/b"
    assert page.title == "Statement on Sirte"
    assert page.published == datetime(2021, 3, 3, tzinfo=UTC)
    assert page.paragraphs == ["One paragraph of the statement.", "Another paragraph."]
    assert (page.prev_url, page.next_url) == (BASE + "/en/a", BASE + "/en/c")
    assert report.signals["published"] == "date-like line"
    assert report.signals["prev_url"] == "any label"


def test_listing_404_and_basic_pages_are_not_articles():
    for html, path in ((LISTING, "/all-press-releases"), (NOT_FOUND, "/en/missing"),
                       (BASIC, "/en/about")):
        assert not extract(html, path)[1].is_article, path


def test_page_wide_wrappers_and_sidebar_views_do_not_mislead():
    """A wrapper class like "menu" around everything, a sidebar view with its own rel=next
    pager, a labelled date field: the article still comes out whole."""
    html = NEW.replace("<body>", '<body><div class="off-canvas-menu-wrapper">').replace(
        "</body>", "</div></body>").replace(
        '<time datetime="2024-10-31T23:30:00Z">1 November 2024</time>',
        '<div class="field__label">Date</div><div class="field__item">1 November 2024</div>',
    ).replace("<footer>", '<aside class="view-latest"><a href="?page=1" rel="next">more</a>'
                          '</aside><footer>')
    html = html.replace('<a href="/node/43" rel="next">next</a>', '<a href="/node/43">next</a>')
    page, _report = extract(html, "/node/41")
    assert page.paragraphs == ["Tripoli, 1 November 2024 - First\nline.", "Second para."]
    assert page.published == datetime(2024, 11, 1, tzinfo=UTC)
    assert page.published_text == "1 November 2024"
    assert page.next_url == BASE + "/node/43"


def test_title_and_canonical_from_weaker_signals():
    html = OLD.replace('<h1 class="title" id="page-title">عنوان الخبر</h1>', "").replace(
        '<link rel="canonical" href="/ar/%D8%B9%D9%86%D9%88%D8%A7%D9%86" />', "")
    page, report = extract(html, "/ar/node/7")
    assert page.title == "عنوان"  # <title> without the " | UNSMIL" suffix
    assert page.url == BASE + "/ar/x"  # the language switcher's link for the page's own language
    assert report.signals["url"] == "language switcher"


def test_a_date_field_that_does_not_parse_is_kept_for_the_reject():
    page, report = extract(NEW.replace(">1 November 2024<", ">Yesterday 2pm<").replace(
        '<meta property="article:published_time" content="2024-10-31T23:30:00Z">', ""), "/x")
    assert page.published is None and page.published_text == "Yesterday 2pm"
    assert report.is_article  # an article that will be rejected as "unparseable date"

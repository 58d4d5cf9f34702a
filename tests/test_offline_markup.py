"""Issue 9 (points 2 and 5, site side): the offline site serves the default full-node markup of
Drupal 7, 8-9 and 10-11 with the pager forms and labels real sites use, views blocks whose links
look like pagers, and a discovery mode that leaves only listing page 1 to start from."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import lxml.html
import pytest

from tests.test_offline_site import fetch
from unsmil_testsite import Site, SiteServer
from unsmil_testsite.model import TEMPLATES
from unsmil_testsite.pagers import LABEL_SETS, LABELS, OWN_LINK_XPATH, VARIANTS

IN_VIEW = "ancestor::*[contains(concat(' ', @class, ' '), ' view ')]"


@pytest.fixture(scope="module")
def quiet_server(site: Site):
    server = SiteServer(site, faults=False).start()
    yield server
    server.stop()


def _chain(site: Site, lang: str, state: str = "initial") -> list:
    return sorted((a for a in site.expected(state) if a.lang == lang),
                  key=lambda a: (a.published, a.nid))


def _doc(server: SiteServer, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(fetch(server, path)[2].decode("utf-8-sig"))


def test_every_stretch_of_the_archive_has_all_three_generations(site: Site) -> None:
    for lang in ("en", "ar"):
        chain = _chain(site, lang)
        assert {a.template for a in chain} == set(TEMPLATES)
        for i in range(len(chain) - 24):
            assert {a.template for a in chain[i:i + 24]} == set(TEMPLATES), (lang, i)
        newest_page = [a for a in site.expected() if a.lang == lang][:15]
        assert {a.template for a in newest_page} == set(TEMPLATES)
    new = set(site.changes()["new"])
    assert {a.template for a in site.expected("updated") if a.path in new} == set(TEMPLATES)
    pairs = [a for a in site.expected() if a.translations]
    by_path = {a.path: a for a in site.expected()}
    assert all(by_path[next(iter(a.translations.values()))].template == a.template for a in pairs)


def test_every_pager_form_and_label_in_both_languages(site: Site) -> None:
    expected = site.expected()
    for lang in ("en", "ar"):
        mine = [a for a in expected if a.lang == lang]
        assert {a.pager for a in mine} == {v for vs in VARIANTS.values() for v in vs}
        assert {a.labels for a in mine} == set(LABEL_SETS[lang])
        for template in TEMPLATES:
            assert {a.pager for a in mine if a.template == template} == set(VARIANTS[template])
    arabic = Counter(a.labels.startswith("arabic") for a in expected if a.lang == "ar")
    assert 0.5 < arabic[True] / arabic.total() < 0.8  # the rest kept the English strings
    counts = Counter(q for a in expected for q in a.quirks)
    assert min(counts[q] for q in ("views_mini_pager", "slideshow_controls", "latest_news")) > 100


def _sample(site: Site) -> list:
    """One article per (generation, pager form, language)."""
    seen: dict[tuple[str, str, str], object] = {}
    for a in site.expected():
        seen.setdefault((a.template, a.pager, a.lang), a)
    return list(seen.values())


def test_pages_carry_their_generations_default_markup(site: Site, quiet_server) -> None:
    for a in _sample(site):
        page = fetch(quiet_server, a.path)[2].decode("utf-8-sig")
        doc = lxml.html.fromstring(page)
        prev_xpath, next_xpath = OWN_LINK_XPATH[a.pager]
        own = doc.xpath(f"({prev_xpath} | {next_xpath})")
        assert [x.get("href") for x in own] == [h for h in (a.prev_path, a.next_path) if h]
        want_labels = LABELS[a.labels]
        for link, label in zip(own, [w for w, h in zip(want_labels, (a.prev_path, a.next_path),
                                                      strict=True) if h], strict=True):
            assert label in link.text_content() or a.pager == "olivero_full"
        if a.template == "d7":
            assert page.startswith('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML+RDFa 1.0//EN"')
            node = doc.xpath("//div[starts-with(@id, 'node-')][contains(@class, 'node-article')]")
            assert node and ("node-full" in node[0].get("class")
                             or "view-mode-full" in node[0].get("class"))
            assert doc.xpath("//h1[@id='page-title']")
            assert doc.xpath("//div[contains(@class,'field-name-body')]//div[@class='field-item"
                             " even']") or a.js_body
            continue
        article = doc.xpath("//article[contains(@class, 'node--view-mode-full')]")
        assert len(article) == 1 and "node--type-press-release" in article[0].get("class")
        assert article[0].xpath("ancestor::div[contains(@class, 'block-system-main-block')]")
        inside = all(x.xpath("ancestor::article") for x in own)
        assert inside == (a.pager in ("node_links", "olivero_full")), a.pager
        if a.pager == "region_block":
            assert own[0].xpath("ancestor::div[contains(@class,'block-entity-pager')]")
        if a.pager in ("nav", "olivero", "olivero_full", "text"):
            assert own[0].xpath("ancestor::nav")
        if a.template == "d10":
            assert doc.xpath("//h1[@class='title page-title']")
            if a.pager != "nav":
                assert own[0].xpath("ancestor::ul[@class='pager__items js-pager__items']")
                assert {x.get("rel") for x in own} <= {"prev", "next"}


def test_views_blocks_carry_pager_looking_links(site: Site, quiet_server) -> None:
    found: Counter[str] = Counter()
    for a in site.expected()[::7]:
        doc = _doc(quiet_server, a.path)
        in_views = doc.xpath(f"//a[{IN_VIEW}]")
        texts = {" ".join(x.text_content().split()) for x in in_views}
        assert "»" in texts  # every related-news row has a "»" read-more link
        mini = [x for x in in_views if "page=1" in x.get("href", "")]
        assert bool(mini) == ("views_mini_pager" in a.quirks)
        if mini:
            found["mini"] += 1
            assert a.template == "d7" or mini[0].get("rel") == "next"
        controls = [x for x in in_views if x.get("href") == "#"]
        assert bool(controls) == ("slideshow_controls" in a.quirks)
        if controls:
            found["slideshow"] += 1
            assert {"Previous", "Next"} <= {x.text for x in controls} or {
                "السابق", "التالي"} <= {x.text for x in controls}
        listing = "/all-press-releases" if a.lang == "en" else "/ar/all-press-releases"
        assert any(x.get("href") == listing for x in in_views)
    assert found["mini"] and found["slideshow"]


def test_first_page_discovery_leaves_listing_page_one_without_pager(fresh_site_server) -> None:
    server = fresh_site_server(faults=False, discovery="first-page")
    for base in ("/all-press-releases", "/ar/all-press-releases"):
        for target in (base, base + "?page=0"):
            status, _, page = fetch(server, target)
            doc = lxml.html.fromstring(page.decode())
            assert status == 200 and len(doc.xpath("//div[@class='views-row']")) == 15
            assert doc.xpath("//ul[contains(@class, 'pager')]") == []
        assert fetch(server, base + "?page=1")[0] == 404
    for path in ("/rss.xml", "/ar/rss.xml", "/sitemap.xml", "/sitemap.xml?page=1"):
        assert fetch(server, path)[0] == 404, path
    assert fetch(server, "/robots.txt")[0] == 200
    server.set_discovery(True)
    assert b'rel="next"' in fetch(server, "/all-press-releases")[2]
    assert fetch(server, "/all-press-releases?page=1")[0] == 200
    with pytest.raises(ValueError):
        server.set_discovery("sometimes")


def _walk(server: SiteServer, site: Site, langs: tuple[str, ...]) -> set[str]:
    """Follow, over HTTP, only each page's own previous / next links and its translation
    links, from the first-page listings."""
    def links(path: str) -> list[str]:
        doc = _doc(server, path)
        article = site.lookup(path)
        hrefs = [h for x in OWN_LINK_XPATH[article.pager] for h in doc.xpath(x + "/@href")]
        hrefs += doc.xpath("//link[@rel='alternate'][@hreflang]/@href")
        hrefs += doc.xpath("//ul[contains(@class,'language-switcher')]//a/@href")
        return [urlsplit(h).path for h in hrefs]

    todo = {urlsplit(h).path for lang in langs for h in _doc(
        server, "/all-press-releases" if lang == "en" else "/ar/all-press-releases").xpath(
        "//div[@class='views-row']/a/@href")}
    seen: set[str] = set()
    with ThreadPoolExecutor(8) as pool:
        while todo:
            batch = {a.alias for p in todo if (a := site.lookup(p)) and a.lang in langs} - seen
            seen |= batch
            todo = {h for found in pool.map(links, batch) for h in found}
    return seen


def test_first_page_reach_is_what_the_model_names(site: Site, fresh_site_server) -> None:
    server = fresh_site_server(faults=False, discovery="first-page")
    every = {a.path for a in site.expected()}
    reach = site.reachable_from_first_page()
    assert _walk(server, site, ("en", "ar")) == reach
    assert reach == every - {site.off_chain()} and len(reach) == len(every) - 1
    english = site.reachable_from_first_page(langs=("en",))
    assert _walk(server, site, ("en",)) == english
    assert english < {a.path for a in site.expected() if a.lang == "en"}
    # Without translation links, English stops at its broken link; Arabic reaches all of it.
    chain_only = site.reachable_from_first_page(translations=False)
    broken_en = next(p for p, _ in site.broken_links() if site.lookup(p).lang == "en")
    arabic = {a.path for a in site.expected() if a.lang == "ar"}
    assert chain_only - english == arabic and broken_en in english


def test_markup_is_deterministic_and_an_update_touches_few_pages(site: Site) -> None:
    from unsmil_testsite import build_site
    from unsmil_testsite.templates import article_page

    again = build_site()
    assert again.expected() == site.expected()
    assert all(article_page(site, a, "initial") == article_page(again, b, "initial")
               for a, b in zip(site.articles()[::20], again.articles()[::20], strict=True))
    updated = {a.nid: a for a in site.articles("updated")}
    touched = [a.alias for a in site.articles() if a.nid in updated and article_page(
        site, a, "initial") != article_page(site, updated[a.nid], "updated")]
    assert site.changes()["edited"] in touched and len(touched) < 12  # ETags stay meaningful

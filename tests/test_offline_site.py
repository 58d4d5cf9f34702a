"""The offline site serves what its model says, with exactly the planted quirks and faults."""

from __future__ import annotations

import http.client
import json
import re
import socket
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit
from xml.etree import ElementTree

import lxml.html
import pytest
from protego import Protego

from unsmil_testsite import Site, SiteServer
from unsmil_testsite.pagers import OWN_LINK_XPATH
from unsmil_testsite.quirks import clean_display

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def fetch(server: SiteServer, target: str, headers: dict[str, str] | None = None,
          timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    """One GET on a fresh connection: (status, headers, body)."""
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request("GET", target, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def body_paragraphs(page: bytes) -> list[str]:
    """Body paragraphs under the display rules (``<br>`` -> space, empty ones dropped)."""
    doc = lxml.html.fromstring(page.decode("utf-8-sig"))
    out = []
    for p in doc.xpath("//div[contains(@class,'field--name-body') or "
                       "contains(@class,'field-name-body')]//p"):
        for br in p.iter("br"):
            br.tail = " " + (br.tail or "")
        text = clean_display(p.text_content())
        if text:
            out.append(text)
    return out


def shingles(paragraphs: list[str], k: int = 5) -> set[tuple[str, ...]]:
    words = " ".join(paragraphs).lower().split()
    return {tuple(words[i:i + k]) for i in range(len(words) - k + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b)


@pytest.fixture(scope="module")
def quiet_server(site: Site):
    server = SiteServer(site, faults=False).start()
    yield server
    server.stop()


def test_size_languages_and_pairs(site: Site) -> None:
    expected = site.expected()
    per_lang = Counter(a.lang for a in expected)
    assert per_lang["en"] >= 320 and per_lang["ar"] >= 320
    assert len({a.nid for a in expected}) == len(expected)
    paired = [a for a in expected if a.translations]
    assert 0.75 < len(paired) / len(expected) < 0.85
    by_path = {a.path: a for a in expected}
    for a in paired:
        (lang, other), = a.translations.items()
        assert lang != a.lang and by_path[other].published == a.published
        assert by_path[other].translations == {a.lang: a.path}
    years = {a.published.year for a in expected}
    assert min(years) == 2011 and max(years) == 2026
    assert all(4 <= len(a.paragraphs) <= 8 for a in expected)


def test_expected_text_is_already_clean(site: Site) -> None:
    for a in site.expected():
        for text in [a.title, *a.paragraphs]:
            assert clean_display(text) == text
    quotes = "".join(p for a in site.expected() for p in a.paragraphs)
    assert all(q in quotes for q in "“”«»\"'")


def test_every_article_is_served_at_alias_and_node_path(site: Site, quiet_server) -> None:
    def check(a) -> None:
        status, headers, page = fetch(quiet_server, a.path)
        assert status == 200, a.path
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert fetch(quiet_server, a.node_path)[2] == page
        doc = lxml.html.fromstring(page.decode("utf-8-sig"))
        canonical = doc.xpath("//link[@rel='canonical']/@href")
        if not a.has_canonical:
            assert canonical == []
        else:
            want = a.path if a.template == "d7" else quiet_server.url + a.path
            assert canonical == [want]
        assert clean_display(doc.xpath("string(//h1)")) == a.title
        assert a.date_text in page.decode("utf-8-sig")
        if not a.js_body:
            assert body_paragraphs(page) == a.paragraphs, a.path
        prev_xpath, next_xpath = OWN_LINK_XPATH[a.pager]
        assert doc.xpath(prev_xpath + "/@href") == ([a.prev_path] if a.prev_path else [])
        assert doc.xpath(next_xpath + "/@href") == ([a.next_path] if a.next_path else [])

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(check, site.expected()))


def test_quirks_are_planted_in_html_only(site: Site, quiet_server) -> None:
    expected = site.expected()
    counts = Counter(q for a in expected for q in a.quirks)
    for quirk in ("tatweel", "zero_width", "bidi", "nbsp", "br", "ligature", "inline_markup",
                  "empty_paragraphs", "no_canonical", "no_hreflang", "node_pager",
                  "utc_previous_day", "entities", "latin_in_title", "date_levantine",
                  "date_indic", "date_weekday"):
        assert counts[quirk] >= 1, quirk
    assert 0.10 <= sum(1 for a in expected if a.quirks & {"tatweel", "nbsp", "bidi", "br",
                       "zero_width", "ligature", "inline_markup", "empty_paragraphs"}
                       ) / len(expected) <= 0.25
    markers = {"tatweel": "\u0640", "ligature": re.compile("[\ufb01\ufb02\ufdf2\ufef5-\ufefb]")}
    for quirk, marker in markers.items():
        pages = [fetch(quiet_server, a.path)[2].decode("utf-8-sig")
                 for a in expected if quirk in a.quirks]
        assert any(re.search(marker, p) for p in pages), quirk
    bom = [a for a in expected if "bom" in a.quirks]
    assert len(bom) == 1 and fetch(quiet_server, bom[0].path)[2].startswith(b"\xef\xbb\xbf")
    shifted = next(a for a in expected if "utc_previous_day" in a.quirks)
    page = fetch(quiet_server, shifted.path)[2].decode()
    assert "T23:30:00Z" in page and shifted.date_text in page


def test_js_body_is_empty_in_html_and_served_as_json(site: Site, quiet_server) -> None:
    js = [a for a in site.expected() if a.js_body]
    assert len(js) == 3 and {a.lang for a in js} == {"en", "ar"}
    for a in js:
        page = fetch(quiet_server, a.path)[2]
        assert body_paragraphs(page) == []
        assert f"/_js/body/{a.nid}.json".encode() in page
        status, headers, data = fetch(quiet_server, f"/_js/body/{a.nid}.json")
        assert status == 200 and headers["Content-Type"].startswith("application/json")
        assert json.loads(data)["paragraphs"] == a.paragraphs


def test_faults_fire_once_then_serve(site: Site, site_server: SiteServer) -> None:
    site_server.reset()
    status, headers, _ = fetch(site_server, site.faults["503"])
    assert (status, headers.get("Retry-After")) == (503, "1")
    assert fetch(site_server, site.faults["503"])[0] == 200
    assert fetch(site_server, site.faults["500"])[0] == 500
    assert fetch(site_server, site.faults["500"])[0] == 200
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        fetch(site_server, site.faults["close"])
    assert fetch(site_server, site.faults["close"])[0] == 200
    assert fetch(site_server, site.listing_fault)[0] == 503
    assert fetch(site_server, site.listing_fault)[0] == 200
    logged = [(r.path, r.status) for r in site_server.requests]
    assert logged[:2] == [(site.faults["503"], 503), (site.faults["503"], 200)]
    site_server.reset()


def test_stall_times_out_while_others_are_served(fresh_site_server) -> None:
    server = fresh_site_server(stall_seconds=3.0)
    stalled = server.site.faults["stall"]
    with ThreadPoolExecutor(17) as pool:
        slow = pool.submit(fetch, server, stalled, None, 0.5)
        start = time.monotonic()
        fast = list(pool.map(lambda a: fetch(server, a.path)[0], server.site.expected()[:16]))
        assert fast == [200] * 16 and time.monotonic() - start < 2.5  # before the stall ends
        with pytest.raises((TimeoutError, socket.timeout)):
            slow.result()
    assert fetch(server, stalled)[0] == 200


def test_conditional_requests_answer_304(site: Site, quiet_server) -> None:
    a = site.expected()[10]
    headers = fetch(quiet_server, a.path)[1]
    assert fetch(quiet_server, a.path, {"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(quiet_server, a.path, {"If-None-Match": '"other"'})[0] == 200
    assert fetch(quiet_server, a.path, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(quiet_server, a.path,
                 {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200


def test_discovery_can_be_switched_off(site_server: SiteServer) -> None:
    paths = ["/all-press-releases", "/ar/all-press-releases?page=1", "/rss.xml", "/en/rss.xml",
             "/ar/rss.xml", "/sitemap.xml", "/sitemap.xml?page=2"]
    site_server.reset()
    site_server.set_discovery(False)
    try:
        assert [fetch(site_server, p)[0] for p in paths] == [404] * len(paths)
        assert fetch(site_server, "/robots.txt")[0] == 200
    finally:
        site_server.reset()
    assert [fetch(site_server, p)[0] for p in paths if p != site_server.site.listing_fault] == \
        [200] * len(paths)


def test_updated_state(site: Site, fresh_site_server) -> None:
    server = fresh_site_server(faults=False)
    changes = site.changes()
    edited, deleted = changes["edited"], changes["deleted"]
    old_etag = fetch(server, edited)[1]["ETag"]
    server.set_state("updated")
    initial = {a.path: a for a in site.expected("initial")}
    updated = {a.path: a for a in site.expected("updated")}
    assert set(updated) == (set(initial) - {deleted}) | set(changes["new"])
    assert Counter(updated[p].lang for p in changes["new"]) == {"en": 5, "ar": 5}
    assert fetch(server, deleted)[0] == 404
    assert fetch(server, initial[deleted].node_path)[0] == 404
    status, headers, page = fetch(server, edited)
    assert status == 200 and headers["ETag"] != old_etag
    changed = [i for i, (x, y) in enumerate(zip(initial[edited].paragraphs,
                                                updated[edited].paragraphs, strict=True)) if x != y]
    assert len(changed) == 1 and body_paragraphs(page) == updated[edited].paragraphs
    newest_en = next(a for a in site.expected("updated") if a.lang == "en")
    assert newest_en.path in changes["new"]
    assert newest_en.path.encode() in fetch(server, "/all-press-releases")[2]
    assert newest_en.path.encode() in fetch(server, "/rss.xml")[2]
    linked = {a.prev_path for a in updated.values()} | {a.next_path for a in updated.values()}
    assert deleted not in linked and initial[deleted].node_path not in linked


def _resolve(site: Site, href: str | None, state: str = "initial") -> str | None:
    target = site.lookup(href, state) if href else None
    return target.alias if target else None


def test_chain_is_consistent_except_planted_quirks(site: Site) -> None:
    expected = site.expected()
    by_path = {a.path: a for a in expected}
    broken = dict(site.broken_links())
    cycle_from, cycle_to = site.cycle()
    assert len(broken) == 2 and {by_path[p].lang for p in broken} == {"en", "ar"}
    assert all(site.lookup(href) is None for href in broken.values())
    mismatches = set()
    for a in expected:
        nxt = _resolve(site, a.next_path)
        if nxt and _resolve(site, by_path[nxt].prev_path) != a.path:
            mismatches.add(a.path)
    before_broken = {a.path for a in expected if _resolve(site, a.next_path) in broken}
    assert mismatches == {cycle_from, *before_broken, site.off_chain()}
    en = sorted((a for a in expected if a.lang == "en"), key=lambda a: (a.published, a.nid))
    ar = sorted((a for a in expected if a.lang == "ar"), key=lambda a: (a.published, a.nid))
    i = [a.path for a in en].index(cycle_from)
    assert cycle_to == en[i - 5].path
    assert en[0].prev_path is None and en[-1].next_path is None
    assert ar[0].next_path is None and ar[-1].prev_path is None  # Arabic: previous is newer
    all_en = {a.path for a in en} - {site.off_chain()}  # no neighbour links to it
    from_newest, from_oldest = (site.reachable_by_chain(en[k].path) for k in (-1, 0))
    assert from_newest | from_oldest == all_en and from_newest != all_en != from_oldest
    linked = {_resolve(site, h) for a in expected for h in (a.prev_path, a.next_path)}
    assert site.off_chain() not in linked and site.reachable_by_chain(site.off_chain()) > {
        site.off_chain()}
    assert site.reachable_by_chain(ar[-1].node_path) == {a.path for a in ar}
    assert site.reachable_by_chain(ar[0].path) != {a.path for a in ar}


def test_distinct_articles_share_few_shingles(site: Site) -> None:
    expected = site.expected()
    sets = {a.path: shingles(a.paragraphs) for a in expected}
    dup = next(a for a in expected if a.duplicate_of)
    reissue = next(a for a in expected if a.near_duplicate_of)
    assert sets[dup.path] == sets[dup.duplicate_of]
    assert jaccard(sets[reissue.path], sets[reissue.near_duplicate_of]) > 0.7
    worst = 0.0
    for lang in ("en", "ar"):
        paths = [a.path for a in expected if a.lang == lang
                 and a.path not in (dup.path, reissue.path)]
        for i, p in enumerate(paths):
            for q in paths[i + 1:]:
                worst = max(worst, jaccard(sets[p], sets[q]))
    assert worst < 0.3


def test_listing_feeds_and_sitemap_cover_the_site(site: Site, quiet_server) -> None:
    for lang, base in (("en", "/all-press-releases"), ("ar", "/ar/all-press-releases")):
        seen, target, node_links = [], base, 0
        while target:
            doc = lxml.html.fromstring(fetch(quiet_server, target)[2].decode())
            hrefs = doc.xpath("//div[@class='views-row']/a/@href")
            node_links += sum("/node/" in h for h in hrefs)
            seen += [_resolve(site, h) for h in hrefs]
            nxt = doc.xpath("//ul[@class='pager']//a[@rel='next']/@href")
            target = nxt[0] if nxt else None
        want = [a.path for a in site.expected() if a.lang == lang]
        assert seen == want and 0.05 < node_links / len(want) < 0.2
        rss = ElementTree.fromstring(fetch(quiet_server, f"/{lang}/rss.xml")[2])
        links = [e.text for e in rss.iter("link")][1:]
        assert links == [quiet_server.url + p for p in want[:20]]
    assert fetch(quiet_server, "/rss.xml")[2] == fetch(quiet_server, "/en/rss.xml")[2]
    index = ElementTree.fromstring(fetch(quiet_server, "/sitemap.xml")[2])
    locs = []
    for loc in index.iter(f"{SM}loc"):
        assert loc.text.startswith(quiet_server.url)
        page = ElementTree.fromstring(fetch(quiet_server, loc.text[len(quiet_server.url):])[2])
        locs += [e.text[len(quiet_server.url):] for e in page.iter(f"{SM}loc")]
    assert len(locs) == len(set(locs))
    assert {a.path for a in site.expected()} < set(locs)
    assert {"/en/about", "/ar/about"} < set(locs)


def test_non_article_pages_do_not_look_like_articles(site: Site, quiet_server) -> None:
    for path in site.non_article_paths():
        status, _, page = fetch(quiet_server, path)
        assert status == (404 if path.endswith("does-not-exist") else 200), path
        text = page.decode()
        assert "<footer" in text and "<h1" in text
        for marker in ("field--name-body", "field-name-body", "<time", "pager__item",
                       "pager-node", "date-display-single"):
            assert marker not in text, (path, marker)


def test_robots_allows_what_the_crawler_needs(site: Site, quiet_server) -> None:
    robots = Protego.parse(fetch(quiet_server, "/robots.txt")[2].decode())
    a = site.expected()[0]
    for path in (a.path, a.node_path, "/node/1234", "/all-press-releases?page=3", "/rss.xml",
                 "/ar/rss.xml", "/sitemap.xml?page=1", "/_js/body/1.json"):
        assert robots.can_fetch(quiet_server.url + path, "unsmil-crawler"), path
    assert not robots.can_fetch(quiet_server.url + "/admin/", "unsmil-crawler")


def test_absolute_links_follow_the_host_header(site: Site, quiet_server) -> None:
    a = next(a for a in site.expected() if a.template != "d7")
    page = fetch(quiet_server, a.path, {"Host": "unsmil.example:8080"})[2].decode()
    assert f'href="http://unsmil.example:8080{a.path}"' in page
    assert quiet_server.url not in page


def test_internal_links_resolve_except_the_planted_broken_ones(site: Site, quiet_server) -> None:
    broken = {href for _, href in site.broken_links()}
    expected = site.expected()
    sample = [*expected[::40], *(a for a in expected if a.path in dict(site.broken_links()))]
    hrefs = set()
    for a in sample:
        doc = lxml.html.fromstring(fetch(quiet_server, a.path)[2].decode("utf-8-sig"))
        hrefs |= {h.removeprefix(quiet_server.url) for h in doc.xpath("//a/@href | //link/@href")
                  if h.startswith(("/", quiet_server.url))}
    statuses = {h: fetch(quiet_server, h)[0] for h in hrefs}
    assert {h for h, s in statuses.items() if s != 200} == broken


def _sitemap_index(server: SiteServer) -> dict[str, str | None]:
    """{page target: its <lastmod> or None} of the sitemap index."""
    index = ElementTree.fromstring(fetch(server, "/sitemap.xml")[2])
    return {e.findtext(f"{SM}loc")[len(server.url):]: e.findtext(f"{SM}lastmod")
            for e in index.iter(f"{SM}sitemap")}


def test_sitemap_lastmod_moves_only_where_the_site_changed(site: Site, fresh_site_server) -> None:
    """The updated state announces its edits, deletion and new articles in the sitemap: the
    pages that hold them get a newer <lastmod> in the index, the others keep theirs."""
    server = fresh_site_server(faults=False)
    before = _sitemap_index(server)
    server.set_state("updated")
    after = _sitemap_index(server)
    assert len(after) >= 5 and None not in after.values()
    moved = {page for page in after if after[page] != before.get(page)}
    changes = site.changes()
    holders = set()
    for page in after:
        urls = ElementTree.fromstring(fetch(server, page)[2])
        entries = {e.findtext(f"{SM}loc")[len(server.url):]: e.findtext(f"{SM}lastmod")
                   for e in urls.iter(f"{SM}url")}
        for path in (changes["edited"], changes["edited_deep"], *changes["new"]):
            if path in entries:
                holders.add(page)
                assert entries[path] == "2026-11-20" or path in changes["new"]
        assert changes["deleted"] not in entries
    assert holders <= moved and 2 <= len(moved) <= 3


def test_a_server_that_does_not_tell(site: Site, fresh_site_server) -> None:
    server = fresh_site_server(faults=False, validators=False, lastmods=False)
    assert set(_sitemap_index(server).values()) == {None}
    assert b"<lastmod>" not in fetch(server, "/sitemap.xml?page=2")[2]
    path = site.expected()[3].path
    status, headers, _ = fetch(server, path, {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert status == 200 and "ETag" not in headers and "Last-Modified" not in headers


def test_override_serves_a_broken_page_until_reset(site_server: SiteServer) -> None:
    site_server.reset()
    site_server.override("/sitemap.xml?page=2", 500)
    try:
        assert fetch(site_server, "/sitemap.xml?page=2")[0] == 500
    finally:
        site_server.reset()
    assert fetch(site_server, "/sitemap.xml?page=2")[0] == 200

"""Issue 13 point 3 (site side): a second, English-only mission site with its own host, markup,
URL shapes and texts, its expected output, and the crawler's extraction right on it with its
own profile (``unsmil_crawler.sites.unmiss``)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from urllib.parse import urljoin
from xml.etree import ElementTree

import lxml.html
import pytest
from parsel import Selector

from tests.test_offline_site import SM, fetch, shingles
from unsmil_crawler.extract.article import extract_article
from unsmil_crawler.sites.unmiss import UNMISS
from unsmil_testsite import SiteServer
from unsmil_testsite.mission import MissionSite


@pytest.fixture(scope="module")
def quiet_mission(mission: MissionSite):
    server = SiteServer(mission, faults=False).start()
    yield server
    server.stop()


def test_size_shapes_and_texts_of_its_own(mission: MissionSite, site) -> None:
    expected = mission.expected()
    assert 60 <= len(expected) <= 120 and {a.lang for a in expected} == {"en"}
    assert len({a.path for a in expected}) == len(expected) == len({a.nid for a in expected})
    shapes = Counter(a.path.split("/")[1] for a in expected)
    assert set(shapes) == {"news", "photo-stories", "statements"}
    assert all(a.translations == {} for a in expected)
    years = {a.published.year for a in expected}
    assert min(years) == 2016 and max(years) == 2026
    unsmil = {a.path for a in site.expected()} | {a.title for a in site.expected()}
    assert not unsmil & ({a.path for a in expected} | {a.title for a in expected})
    words = {w for a in site.expected() if a.lang == "en" for w in shingles(a.paragraphs)}
    shared = [a.path for a in expected if len(shingles(a.paragraphs) & words) > 2]
    assert shared == []  # its own phrase banks, not the UNSMIL ones
    assert len({a.title for a in expected}) > 0.9 * len(expected)


def test_chain_listing_feed_and_sitemap(mission: MissionSite, quiet_mission) -> None:
    expected = mission.expected()
    oldest, newest = expected[-1], expected[0]
    assert oldest.prev_path is None and newest.next_path is None
    assert mission.reachable_by_chain(newest.path) == {a.path for a in expected}
    assert 0.05 < sum(a.prev_path.startswith("/node/") for a in expected if a.prev_path) \
        / len(expected) < 0.3
    seen, target = [], "/latest-news"
    while target:
        doc = lxml.html.fromstring(fetch(quiet_mission, target)[2].decode())
        seen += [mission.lookup(h).alias for h in doc.xpath("//div[@class='views-row']//a/@href")]
        nxt = doc.xpath("//ul[contains(@class,'pagination')]//a[@rel='next']/@href")
        target = "/latest-news" + nxt[0] if nxt else None
    assert seen == [a.path for a in expected]
    rss = ElementTree.fromstring(fetch(quiet_mission, "/latest-news/feed")[2])
    assert [e.text for e in rss.iter("link")][1:] == [
        quiet_mission.url + a.path for a in expected[:15]]
    urlset = ElementTree.fromstring(fetch(quiet_mission, "/sitemap.xml")[2])
    locs = {e.text.removeprefix(quiet_mission.url) for e in urlset.iter(f"{SM}loc")}
    assert locs == {a.path for a in expected} | {"/about"}
    for path in mission.non_article_paths():
        status, _, page = fetch(quiet_mission, path)
        assert status == (404 if path.endswith("does-not-exist") else 200), path
        assert b"field--name-body" not in page and b"page-item--previous" not in page


def test_updated_state_adds_two_stories(mission: MissionSite) -> None:
    server = SiteServer(mission, faults=False).start()
    try:
        new = mission.changes()["new"]
        assert fetch(server, new[0])[0] == 404
        server.set_state("updated")
        assert [a.path for a in mission.expected("updated")[:2]] == new
        assert fetch(server, new[0])[0] == 200
    finally:
        server.stop()


def test_discovery_modes_and_faults(mission: MissionSite) -> None:
    server = SiteServer(mission, faults=True, discovery="first-page").start()
    try:
        page = fetch(server, "/latest-news")[2].decode()
        assert page.count('class="views-row"') == 12 and "pagination" not in page
        for path in ("/latest-news?page=1", "/latest-news/feed", "/sitemap.xml"):
            assert fetch(server, path)[0] == 404, path
        assert fetch(server, mission.faults["503"])[0] == 503
        assert fetch(server, mission.faults["503"])[0] == 200
        server.set_discovery("off")
        assert fetch(server, "/latest-news")[0] == 404
    finally:
        server.stop()


def test_two_sites_two_hosts(site, mission: MissionSite) -> None:
    """One server per site: each has its own origin and answers only its own paths."""
    unsmil, other = SiteServer(site, faults=False).start(), SiteServer(mission, faults=False)
    other.start()
    try:
        assert unsmil.url != other.url
        story, article = mission.expected()[0], site.expected()[0]
        assert fetch(other, story.path)[0] == fetch(unsmil, article.path)[0] == 200
        assert fetch(unsmil, story.path)[0] == fetch(other, article.path)[0] == 404
        page = fetch(other, story.path, {"Host": "unmiss.example"})[2].decode()
        assert f'<link rel="canonical" href="http://unmiss.example{story.path}">' in page
    finally:
        unsmil.stop()
        other.stop()


def test_extraction_with_the_unmiss_profile(mission: MissionSite, quiet_mission) -> None:
    """Title, date, body, previous and next right on every page form of the site."""
    base = quiet_mission.url
    sample = mission.expected()[::3] + [a for a in mission.expected()
                                       if "views_mini_pager" in a.quirks][:3]
    assert {a.pager for a in sample} == {"story_pager", "node_footer"}
    for a in sample:
        for path in (a.path, a.node_path):
            page = fetch(quiet_mission, path)[2].decode()
            got, report = extract_article(Selector(text=page), base + path, UNMISS)
            assert report.is_article and got.url == base + a.path, path
            assert got.title == a.title
            assert got.published == datetime(*a.published.timetuple()[:3], tzinfo=UTC)
            assert got.paragraphs == a.paragraphs
            want = [urljoin(base + a.path, h) if h else None for h in (a.prev_path, a.next_path)]
            assert [got.prev_url, got.next_url] == want, path
    for path in mission.non_article_paths()[:-1]:
        page = fetch(quiet_mission, path)[2].decode()
        assert not extract_article(Selector(text=page), base + path, UNMISS)[1].is_article, path

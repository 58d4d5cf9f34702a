"""Issue 2: a full crawl of the offline site yields every article exactly once, exactly right.

The session's one full crawl (``full_crawl`` in tests/fixtures_crawl.py: both languages,
faults on, into the real MongoDB-wire server and a JSON Lines feed) is read from both sides.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.crawl_harness import NO_PIPELINES, NO_STORAGE, CrawlResult, run_crawl, stored_documents
from tests.fixtures_crawl import FULL_CRAWL_DB
from tests.fixtures_mongo import throwaway_name
from unsmil_crawler.extract.urls import canonicalize

pytestmark = pytest.mark.integration


def _articles(result: CrawlResult) -> list[dict]:
    return [i for i in result.items if "title" in i and "paragraphs" in i]


def test_every_article_exactly_once(site, site_server, full_crawl):
    expected = {site_server.url + a.path for a in site.expected("initial")}
    got = Counter(item["url"] for item in _articles(full_crawl))
    assert [url for url, n in got.items() if n > 1] == []
    assert set(got) == expected
    non_articles = {site_server.url + path for path in site.non_article_paths()}
    assert not non_articles & {item["url"] for item in full_crawl.items}
    assert full_crawl.stat("page/non_article") >= 1


def test_titles_dates_and_bodies_are_exact(site, site_server, full_crawl):
    by_url = {item["url"]: item for item in _articles(full_crawl)}
    wrong = []
    for article in site.expected("initial"):
        item = by_url[site_server.url + article.path]
        if item["title"] != article.title:
            wrong.append((article.path, "title", item["title"], article.title))
        if item["published"][:10] != article.published.isoformat():
            wrong.append((article.path, "published", item["published"], article.published))
        body = item["body"].split("\n\n") if item.get("body") else []
        if body != article.paragraphs:
            wrong.append((article.path, "body", body[:2], article.paragraphs[:2]))
    assert wrong == []


def test_neighbours_aliases_and_translations(site, site_server, full_crawl):
    base = site_server.url
    by_url = {item["url"]: item for item in _articles(full_crawl)}
    for article in site.expected("initial"):
        item = by_url[base + article.path]
        assert base + article.node_path in item["aliases"] or any(
            base + article.node_path in alias.get("aliases", [])
            for alias in full_crawl.items if alias.get("url") == item["url"]
        )
        assert item["translations"] == {k: base + v for k, v in article.translations.items()}
        for field, path in (("prev_url", article.prev_path), ("next_url", article.next_path)):
            assert item[field] == (canonicalize(base + path) if path else None), field


def test_faults_were_retried_and_chain_quirks_counted(full_crawl):
    assert full_crawl.stat("retry/count") >= 3
    assert full_crawl.stat("retry_after/waited") >= 1
    assert full_crawl.stat("chain/broken") == 2
    assert full_crawl.stat("chain/cycle") == 1
    assert full_crawl.stat("chain/end") >= 4


def test_exactly_the_javascript_pages_were_rendered(site, full_crawl):
    """Issue 6: the site's log (body JSON fetched by the browser's script) and stats agree."""
    js_nids = {a.nid for a in site.expected("initial") if a.js_body}
    fetched = {r.path for r in full_crawl.site_log if r.path.startswith("/_js/body/")}
    assert fetched == {f"/_js/body/{nid}.json" for nid in js_nids}
    assert full_crawl.stat("render/rendered") == len(js_nids) == 3
    assert full_crawl.stat("render/requested") == len(js_nids)


def test_parallel_discovery_found_the_archive(site, full_crawl):
    for source in ("listing", "feed", "sitemap"):
        assert full_crawl.stat(f"discovery/{source}") > 0, source


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_chain_walk_alone_reaches_its_side_of_each_break(site, fresh_site_server, tmp_path, lang):
    server = fresh_site_server()
    server.set_discovery(False)
    articles = [a for a in site.expected("initial") if a.lang == lang]
    start = sorted(articles, key=lambda a: a.published)[len(articles) // 2]
    reachable = site.reachable_by_chain(start.path, "initial")
    result = run_crawl(server.url, tmp_path, mode="full", lang=lang,
                       start_url=server.url + start.path,
                       settings={"INCREMENTAL_CONDITIONAL": "False",
                                 "ITEM_PIPELINES": NO_PIPELINES})
    assert result.returncode == 0, result.log[-3000:]
    got = {item["url"] for item in result.items if "title" in item}
    assert got == {server.url + path for path in reachable}
    assert len(got) > len(articles) // 4
    assert result.stat("chain/broken") >= 1
    assert result.stat("fetch/failed/listing") >= 1


def test_archive_split_across_runs_equals_one_full_crawl(site, site_server, full_crawl,
                                                         mongo_uri, tmp_path):
    """Two chain-only runs from the newest articles, then a full run, in a fresh database."""
    import pymongo

    settings = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": throwaway_name("crawl_split")}
    newest = {}
    for article in site.expected("initial"):
        newest.setdefault(article.lang, article)
    site_server.reset()
    site_server.set_discovery(False)
    try:
        for lang, article in newest.items():
            part = run_crawl(site_server.url, tmp_path / lang, mode="full", lang=lang,
                             start_url=site_server.url + article.path, settings=settings)
            assert part.returncode == 0, part.log[-3000:]
    finally:
        site_server.reset()
    rest = run_crawl(site_server.url, tmp_path / "rest", mode="full", settings=settings)
    assert rest.returncode == 0, rest.log[-3000:]

    client = pymongo.MongoClient(mongo_uri, tz_aware=True)
    split = stored_documents(client[throwaway_name("crawl_split")])
    whole = stored_documents(client[FULL_CRAWL_DB])
    assert split.keys() == whole.keys()
    differing = {u: sorted(k for k in whole[u] if split[u].get(k) != whole[u].get(k))
                 for u in whole if split[u] != whole[u]}
    assert differing == {}


def test_a_failed_render_still_delivers_the_article_without_body(site, fresh_site_server,
                                                                  tmp_path):
    """A browser that cannot start must not make a JavaScript article vanish from the run:
    retried, then kept with its title and ``body_status: "render_failed"``."""
    server = fresh_site_server(faults=False)
    server.set_discovery(False)
    js_article = next(a for a in site.expected("initial") if a.js_body)
    result = run_crawl(server.url, tmp_path, mode="full", lang=js_article.lang,
                       start_url=server.url + js_article.path, settings={
                           "INCREMENTAL_CONDITIONAL": "False", "RENDER_RETRY_BACKOFF": "0.1",
                           "PLAYWRIGHT_LAUNCH_OPTIONS": '{"executable_path": "/nonexistent"}',
                           "ITEM_PIPELINES": NO_STORAGE})
    item = next(i for i in result.items if i["url"] == server.url + js_article.path)
    assert item["reject_reason"] is None and item["title"] == js_article.title
    assert item["body"] == "" and item["body_status"] == "render_failed"
    assert result.stat("render/requested") == 1
    assert result.stat("render/retried") == 2 and result.stat("render/gave_up") == 1
    assert f"Rendering {server.url + js_article.path} failed" in result.log

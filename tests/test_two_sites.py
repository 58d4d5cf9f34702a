"""Issue 13 §3: a second site is configuration. Two mission sites, each on its own offline
server, crawled into ONE database with nothing shared but the code: documents, dedupe,
conditional-request state, run records and health are per site.

The second site (``unmiss``, English only, its own templates and texts) needs nothing but
its profile module in ``unsmil_crawler/sites/``: the spider, the pipelines and the command
line are the same ones.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pymongo
import pytest

from tests.components import component_crawler
from tests.crawl_harness import run_crawl
from tests.fixtures_mongo import throwaway_name
from unsmil_crawler.cli.health import OK
from unsmil_crawler.cli.reports import health
from unsmil_crawler.pipelines.clean import CleanTextPipeline
from unsmil_crawler.pipelines.dedupe import DedupePipeline
from unsmil_crawler.sites import registry

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]
DB = throwaway_name("two_sites")


@pytest.fixture(scope="module")
def both(site, mission, mongo_uri, tmp_path_factory):
    """UNSMIL crawled in full, then UNMISS crawled *incrementally* into the same database,
    then UNMISS incrementally once more. Returns (db, servers, results)."""
    from unsmil_testsite import SiteServer

    servers = {"unsmil": SiteServer(site, faults=False).start(),
               "unmiss": SiteServer(mission, faults=False).start()}
    workdir = tmp_path_factory.mktemp("two-sites")
    settings = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": DB}
    try:
        results = {
            "unsmil": run_crawl(servers["unsmil"].url, workdir / "unsmil", site="unsmil",
                                mode="full", settings=settings),
            "unmiss": run_crawl(servers["unmiss"].url, workdir / "unmiss", site="unmiss",
                                mode="incremental", settings=settings),
        }
        servers["unmiss"].clear_log()
        servers["unsmil"].clear_log()
        results["unmiss again"] = run_crawl(servers["unmiss"].url, workdir / "again",
                                            site="unmiss", mode="incremental",
                                            settings=settings)
        results["unsmil log"] = servers["unsmil"].requests  # type: ignore[assignment]
        for name, result in results.items():
            if name != "unsmil log":
                assert result.returncode == 0, (name, result.log[-3000:])
        yield pymongo.MongoClient(mongo_uri, tz_aware=True)[DB], servers, results
    finally:
        for server in servers.values():
            server.stop()


def test_each_site_is_stored_whole_and_labelled(both, site, mission):
    db, servers, _ = both
    for name, model in (("unsmil", site), ("unmiss", mission)):
        base = servers[name].url
        want = {base + a.path for a in model.expected("initial") if not a.duplicate_of}
        docs = list(db.articles.find({"site": name}, {"url": 1, "lang": 1}))
        assert {d["url"] for d in docs} == want, name
        assert {urlsplit(d["url"]).netloc for d in docs} == {urlsplit(base).netloc}
    assert {d["lang"] for d in db.articles.find({"site": "unmiss"})} == {"en"}
    assert db.articles.count_documents({"site": {"$nin": ["unsmil", "unmiss"]}}) == 0
    for collection in ("rejects", "article_revisions", "crawl_runs"):
        assert db[collection].count_documents({"site": {"$exists": False}}) == 0, collection


def test_incremental_state_is_per_site(both, mission):
    """UNMISS's first incremental run found no UNMISS state, although the database held a
    whole other site: it crawled in full. Its second run knows its own articles (skips them;
    the sitemap announces no change, so none is re-fetched) and never touches the other
    site."""
    _, _, results = both
    first, again = results["unmiss"], results["unmiss again"]
    assert "crawling in full mode instead" in first.log
    assert first.stat("mongo/articles_new") == len(mission.expected("initial"))
    assert again.stat("mongo/articles_new") == 0
    assert again.stat("discovery/skipped_known") >= 1
    assert again.stat("dedupe/loaded") == len(mission.expected("initial")), (
        "dedupe loaded only this site's articles")
    assert results["unsmil log"] == [], "no request went to the other site"


def test_run_records_and_health_are_per_site(both):
    db, _, _ = both
    runs = {name: list(db.crawl_runs.find({"site": name})) for name in ("unsmil", "unmiss")}
    assert len(runs["unsmil"]) == 1 and len(runs["unmiss"]) == 2
    assert all(r["status"] == "finished" for rs in runs.values() for r in rs)
    for name in runs:
        verdict = health(db, site=name, max_age=timedelta(hours=1), max_error_rate=0.05,
                         min_ratio=0.3)
        assert verdict.code == OK, (name, verdict.reason)
    # UNSMIL's full run found some 600 articles, UNMISS's incremental run far fewer: judged
    # together, the small site's run would look like a collapse of the big one's yield.
    latest = max(runs["unmiss"], key=lambda r: r["started_at"])
    assert latest["stats"]["articles_unchanged"] < runs["unsmil"][0]["stats"]["articles_new"]


def test_dedupe_never_aliases_text_across_sites(mongo_uri, mongo_db):
    """The same text stored under another site is no duplicate (each mission publishes the
    joint statements it co-signs)."""
    from unsmil_crawler.items import ArticleItem

    body = "The Secretary-General's Special Representatives welcome the joint statement. " * 4
    crawler = component_crawler(MONGO_URI=mongo_uri, MONGO_DATABASE=mongo_db.name)
    clean = CleanTextPipeline.from_crawler(crawler)
    item = clean.process_item(ArticleItem(
        url="https://unsmil.unmissions.org/en/joint", lang="en", title="Joint statement",
        published=datetime(2024, 5, 1, tzinfo=UTC), paragraphs=[body]))
    mongo_db.articles.insert_one({
        "site": "unmiss", "url": "https://unmiss.unmissions.org/joint", "lang": "en",
        "published": datetime(2024, 4, 30, tzinfo=UTC), "content_hash": item.content_hash,
        "body_norm": item.body_norm})
    dedupe = DedupePipeline.from_crawler(crawler)
    dedupe.open_spider()
    out = dedupe.process_item(item)
    assert out.duplicate_of is None and out.supersedes is None
    assert out.near_duplicate_of is None
    assert crawler.stats.get_value("dedupe/loaded") == 0


def test_a_site_is_a_profile_module_and_nothing_else():
    assert set(registry()) >= {"unsmil", "unmiss"}

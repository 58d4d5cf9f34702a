"""The previous/next chain walk on its own, and documents of an older extractor repaired.

Every test here switches the other discovery paths off, so the capability under test alone
must deliver (listings, feeds and the sitemap once hid a dead chain walk).
"""

from __future__ import annotations

import pytest

from tests.crawl_harness import NO_PIPELINES, run_crawl


def _links(db) -> dict[str, tuple[str | None, str | None]]:
    return {d["url"]: (d.get("prev_url"), d.get("next_url"))
            for d in db.articles.find({}, {"_id": 0, "url": 1, "prev_url": 1, "next_url": 1})}


@pytest.mark.integration
def test_documents_of_an_older_extractor_are_refetched_and_repaired(
        fresh_site_server, mongo_uri, mongo_db, tmp_path):
    """Documents stored with null neighbours by an older extractor (the Drupal 8 wrapper bug)
    get no conditional GET on the next full run, so a 304 cannot freeze them."""
    server = fresh_site_server(faults=False)
    settings = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": mongo_db.name}
    first = run_crawl(server.url, tmp_path / "first", mode="full", lang="en", settings=settings)
    assert first.returncode == 0, first.log[-3000:]
    right = _links(mongo_db)
    assert sum(1 for p, n in right.values() if p or n) == len(right) > 300

    broken = sorted(right)[::2]  # half the archive, as an older extractor left it
    mongo_db.articles.update_many({"url": {"$in": broken}},
                                  {"$set": {"prev_url": None, "next_url": None},
                                   "$unset": {"extractor_version": ""}})
    server.clear_log()
    again = run_crawl(server.url, tmp_path / "again", mode="full", lang="en", settings=settings)
    assert again.returncode == 0, again.log[-3000:]

    assert _links(mongo_db) == right
    conditional = {r.path for r in server.requests if "If-None-Match" in r.headers}
    assert not {u.removeprefix(server.url) for u in broken} & conditional
    assert again.stat("incremental/not_modified") >= len(right) - len(broken) - 5
    versions = mongo_db.articles.distinct("extractor_version")
    assert versions == [2]


@pytest.mark.integration
def test_a_current_extractor_keeps_its_conditional_gets(fresh_site_server, mongo_uri,
                                                       mongo_db, tmp_path):
    """The control: a document of the current extractor is re-checked with a conditional GET
    (a 304 costs no parsing), so only old documents pay for a full fetch."""
    server = fresh_site_server(faults=False)
    settings = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": mongo_db.name}
    for name in ("first", "again"):
        result = run_crawl(server.url, tmp_path / name, mode="full", lang="ar",
                           settings=settings)
        assert result.returncode == 0, result.log[-3000:]
    stored = mongo_db.articles.count_documents({})
    assert result.stat("incremental/not_modified") >= stored - 5
    assert mongo_db.articles.count_documents({"extractor_version": 2}) == stored


def _stored_urls(db) -> tuple[set[str], set[str]]:
    """(canonical URLs of the stored documents, every URL they answer to incl. aliases)."""
    canonical, every = set(), set()
    for doc in db.articles.find({}, {"_id": 0, "url": 1, "aliases": 1}):
        canonical.add(doc["url"])
        every.update([doc["url"], *doc.get("aliases", [])])
    return canonical, every


@pytest.mark.integration
def test_chain_walk_alone_reaches_everything_reachable_from_listing_page_one(
        site, fresh_site_server, mongo_uri, mongo_db, tmp_path):
    """Listing page 1 without its pager, no feeds, no sitemap: only previous/next and the
    translation links can carry the crawl through the archive, across all three Drupal
    generations' markup and both chain breaks (faults on)."""
    server = fresh_site_server(discovery="first-page")
    reachable = {server.url + path for path in site.reachable_from_first_page("initial")}
    assert len(reachable) == 641  # every article but the one no neighbour links to
    result = run_crawl(server.url, tmp_path, mode="full",
                       settings={"MONGO_URI": mongo_uri, "MONGO_DATABASE": mongo_db.name})
    assert result.returncode == 0, result.log[-3000:]

    canonical, every = _stored_urls(mongo_db)
    assert reachable <= every
    assert canonical <= reachable
    assert server.url + site.off_chain() not in every
    assert result.stat("discovery/sitemap") == result.stat("discovery/feed") == 0
    assert result.stat("discovery/listing") <= 30  # page 1 of two listings, 15 rows each
    assert result.stat("chain/broken") >= 2
    run = mongo_db.crawl_runs.find_one({"_id": result.stats["run_id"]})
    assert run["stats"]["neighbours"]["none"] == 0


@pytest.mark.integration
def test_chain_walk_from_one_article_in_the_middle_walks_to_both_ends(
        site, fresh_site_server, tmp_path):
    """One ``-a start_url=`` mid-archive, every other discovery path answering 404: the walk
    reaches both ends of its chain side and, through the translation links, the other
    language."""
    server = fresh_site_server(discovery="off", faults=False)
    english = sorted((a for a in site.expected("initial") if a.lang == "en"),
                     key=lambda a: (a.published, a.path))
    start = english[len(english) // 2]
    chain = site.reachable_by_chain(start.path, "initial")
    result = run_crawl(server.url, tmp_path, mode="full", start_url=server.url + start.path,
                       settings={"INCREMENTAL_CONDITIONAL": "False",
                                 "ITEM_PIPELINES": NO_PIPELINES})
    assert result.returncode == 0, result.log[-3000:]
    got = {item["url"] for item in result.items if "title" in item}
    assert {server.url + path for path in chain} <= got
    dates = sorted(a.published for a in english if a.path in chain)
    assert dates[0] < start.published < dates[-1]  # both directions were walked
    assert any("/ar/" in url for url in got)  # the translation links crossed languages

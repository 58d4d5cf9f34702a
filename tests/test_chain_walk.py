"""The previous/next chain walk on its own, and documents of an older extractor repaired.

Every test here switches the other discovery paths off, so the capability under test alone
must deliver (listings, feeds and the sitemap once hid a dead chain walk).
"""

from __future__ import annotations

import pytest

from tests.crawl_harness import run_crawl


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

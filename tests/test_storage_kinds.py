"""304s, gone articles, MinHash, supersedes and near-duplicate relinks, on a real server."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pymongo.errors import WriteError

from tests.test_storage_writer import BASE, T0, article
from unsmil_crawler.items import ArticleItem
from unsmil_crawler.storage.documents import PendingWrites, article_doc
from unsmil_crawler.storage.schema import ensure_schema
from unsmil_crawler.storage.spill import load_spill, write_spill
from unsmil_crawler.storage.writer import BatchResult, MongoWriter

URL = f"{BASE}/en/article-1"


@pytest.fixture
def db(mongo_db: Any) -> Any:
    ensure_schema(mongo_db)
    return mongo_db


def pending(*items: Any, at: Any = T0, run_id: str = "run-1") -> PendingWrites:
    p = PendingWrites()
    for item in items:
        p.add_article(article_doc(item, run_id, at, site="unsmil"))
    return p


def write(db: Any, p: PendingWrites) -> BatchResult:
    result = MongoWriter(db).write(p)
    assert not result.leftover.unwritten()
    return result


def docs(db: Any) -> dict[str, dict[str, Any]]:
    return {d["url"]: d for d in db.articles.find({}, {"_id": 0})}


def same_text(n: int, **kw: Any) -> ArticleItem:
    """Article n with the body every same_text article shares (an exact duplicate)."""
    return article(n, body="Shared text of the republished statement.", **kw)


def test_not_modified_moves_only_last_seen_also_through_an_alias(db: Any) -> None:
    write(db, pending(article(1, aliases=[f"{BASE}/node/1"]), article(2)))
    before = docs(db)
    later = T0 + timedelta(days=1)
    p = PendingWrites()
    p.touch(URL, later)
    p.touch(f"{BASE}/node/1", later - timedelta(hours=1))  # same document, through its alias
    p.touch(f"{BASE}/en/never-stored", later)
    result = write(db, p)
    assert result.unchanged == 1
    after = docs(db)
    assert after[URL].pop("last_seen") == later
    before[URL].pop("last_seen")
    assert after == before  # nothing else moved, nothing created
    old = PendingWrites()
    old.touch(URL, T0)  # a late (spilled) 304 never moves last_seen back
    write(db, old)
    assert docs(db)[URL]["last_seen"] == later


def test_gone_is_set_once_never_deleted_and_cleared_when_stored_again(db: Any) -> None:
    write(db, pending(article(1), article(2)))
    t1, t2 = T0 + timedelta(days=1), T0 + timedelta(days=2)
    p = PendingWrites()
    p.mark_gone(URL, t1)
    assert write(db, p).gone == 1
    p.mark_gone(URL, t2)
    assert write(db, p).gone == 0
    stored = docs(db)
    assert stored[URL]["gone_since"] == t1 and stored[URL]["revision"] == 1
    assert stored[f"{BASE}/en/article-2"]["gone_since"] is None
    write(db, pending(article(1), at=t2 + timedelta(days=1)))  # answers 200 again
    assert docs(db)[URL]["gone_since"] is None
    # Gone and stored in one batch (any order): the page that answered wins.
    for first_gone in (True, False):
        p = PendingWrites()
        if first_gone:
            p.mark_gone(URL, t2)
        p.add_article(article_doc(article(1), "run-1", t2, site="unsmil"))
        if not first_gone:
            p.mark_gone(URL, t2)
        assert write(db, p).gone == 0
        assert docs(db)[URL]["gone_since"] is None


def test_minhash_is_stored_as_longs_and_validated(db: Any) -> None:
    signature = [0, 2**31 - 1, 2**31, 2**32 - 1]
    write(db, pending(article(1, minhash=signature)))
    assert docs(db)[URL]["minhash"] == signature
    write(db, pending(article(1)))  # a re-crawl without a signature keeps the stored one
    assert docs(db)[URL]["minhash"] == signature
    with pytest.raises(WriteError) as err:
        db.articles.update_one({"url": URL}, {"$set": {"minhash": ["1", 2.5]}})
    assert err.value.code == 121


def summary(db: Any) -> dict[str, tuple[frozenset[str], str | None, str]]:
    return {u: (frozenset(d["aliases"]), d["near_duplicate_of"], d["title"])
            for u, d in docs(db).items()}


def test_supersede_gives_the_same_document_whether_stored_or_buffered(
    mongo_uri: str, db: Any
) -> None:
    x_url, y_url = f"{BASE}/en/article-9", f"{BASE}/en/article-1"
    x = same_text(9, aliases=[f"{BASE}/node/9"])
    y = same_text(1, supersedes=x_url)
    # Stored in an earlier batch, then superseded.
    write(db, pending(x))
    result = write(db, pending(y, at=T0 + timedelta(days=1)))
    assert result.superseded == 1 and result.new == 1
    stored = summary(db)
    assert stored == {y_url: (frozenset({x_url, f"{BASE}/node/9"}), None, "Title 1")}
    archived = list(db.article_revisions.find({}, {"_id": 0}))
    assert [(r["url"], r["revision"], r["superseded_by"]) for r in archived] == [
        (x_url, 1, y_url)]
    # Both in one buffer, in either order: the same document.
    for order in ((x, y), (y, x)):
        other = db.client[f"{db.name}_b"]
        ensure_schema(other)
        p = PendingWrites()
        for item in order:
            if item is x and order[0] is y:  # what dedupe makes of the later copy
                item = same_text(9, aliases=[f"{BASE}/node/9"], duplicate_of=y_url)
                p.add_aliases(y_url, [item.url, *item.aliases])
            else:
                p.add_article(article_doc(item, "run-1", T0, site="unsmil"))
        write(other, p)
        assert summary(other) == stored
        db.client.drop_database(other.name)
    # The superseded URL gets a document again (its text changed): revisions continue.
    write(db, pending(article(9, body="Now a different statement.")))
    assert docs(db)[x_url]["revision"] == 2


def test_alias_of_a_superseded_url_reaches_the_superseding_document(db: Any) -> None:
    x_url, y_url = f"{BASE}/en/article-9", f"{BASE}/en/article-1"
    write(db, pending(same_text(9)))
    p = pending(same_text(1, supersedes=x_url))
    p.add_aliases(x_url, [f"{BASE}/node/9"])  # arrived for X before Y replaced it
    result = MongoWriter(db).write(p)
    assert result.leftover.aliases == {}
    assert set(docs(db)[y_url]["aliases"]) == {x_url, f"{BASE}/node/9"}


def test_relinks_reach_stored_and_buffered_documents_in_any_order(db: Any) -> None:
    s1, s2, y = (f"{BASE}/en/article-{n}" for n in (5, 6, 1))
    write(db, pending(article(5, near_duplicate_of=f"{BASE}/en/article-7")))
    early = article(1, near_duplicate_relinks={s1: y, s2: y})
    # s2 buffered before and after the relinking article; s1 stored in an earlier batch.
    for items in ((article(6), early), (early, article(6, near_duplicate_of=y))):
        result = write(db, pending(*items))
        stored = docs(db)
        assert stored[s1]["near_duplicate_of"] == y and stored[s1]["revision"] == 1
        assert stored[s2]["near_duplicate_of"] == y
        assert result.relinked == 1
    write(db, pending(article(1, near_duplicate_relinks={s1: None})))
    assert docs(db)[s1]["near_duplicate_of"] is None


def test_unchanged_recrawl_with_new_metadata_still_refreshes_it(db: Any) -> None:
    write(db, pending(article(1), article(2)))
    later = T0 + timedelta(days=1)
    result = write(db, pending(article(1, next_url=f"{BASE}/en/article-0", etag='"v2"'),
                               article(2, aliases=[f"{BASE}/node/2"]), at=later))
    assert (result.new, result.updated, result.unchanged) == (0, 0, 2)
    stored = docs(db)
    assert (stored[URL]["next_url"], stored[URL]["etag"]) == (f"{BASE}/en/article-0", '"v2"')
    assert stored[f"{BASE}/en/article-2"]["aliases"] == [f"{BASE}/node/2"]
    assert {d["last_seen"] for d in stored.values()} == {later}


def test_spill_round_trip_keeps_every_kind(db: Any, tmp_path: Path) -> None:
    write(db, pending(article(5), same_text(9)))
    p = pending(same_text(1, supersedes=f"{BASE}/en/article-9",
                          near_duplicate_relinks={f"{BASE}/en/article-5": URL}))
    later = T0 + timedelta(days=3)
    p.touch(f"{BASE}/en/article-5", later)
    p.mark_gone(f"{BASE}/en/article-5", later)
    p.mark_gone(f"{BASE}/en/article-9", later)
    path = tmp_path / "spill.jsonl"
    write_spill(path, p.records())
    assert load_spill(path, db) == 5  # article, relink, touch, 2 gone
    stored = docs(db)
    assert set(stored) == {URL, f"{BASE}/en/article-5"}
    assert stored[f"{BASE}/en/article-5"]["near_duplicate_of"] == URL
    assert stored[f"{BASE}/en/article-5"]["last_seen"] == later
    assert stored[f"{BASE}/en/article-5"]["gone_since"] is None  # the 304 wins over gone

"""The batched writer against a real server: revisions, aliases, rejects, validation, indexes."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo.errors import WriteError

from unsmil_crawler.items import ArticleItem
from unsmil_crawler.storage.documents import PendingWrites, article_doc, reject_doc
from unsmil_crawler.storage.schema import ensure_schema
from unsmil_crawler.storage.writer import MongoWriter

T0 = datetime(2025, 1, 10, 8, 0, tzinfo=UTC)
BASE = "https://unsmil.unmissions.org"


def article(n: int, body: str = "Body text.", title: str | None = None, **kw: Any) -> ArticleItem:
    norm = body.lower()
    return ArticleItem(
        url=f"{BASE}/en/article-{n}", lang="en", title=title or f"Title {n}",
        published=datetime(2024, 12, n % 28 + 1, tzinfo=UTC), body=body, body_norm=norm,
        title_norm=(title or f"Title {n}").lower(),
        content_hash=hashlib.sha256(norm.encode()).hexdigest(), **kw,
    )


def write(db: Any, *items: Any, run_id: str = "run-1", at: datetime = T0,
          aliases: dict[str, list[str]] | None = None) -> Any:
    pending = PendingWrites()
    for item in items:
        if item.reject_reason:
            pending.add_reject(reject_doc(item, run_id, at, site="unsmil"))
        else:
            pending.add_article(article_doc(item, run_id, at, site="unsmil"))
    for url, more in (aliases or {}).items():
        pending.add_aliases(url, more)
    return MongoWriter(db).write(pending)


@pytest.fixture
def db(mongo_db: Any) -> Any:
    ensure_schema(mongo_db)
    return mongo_db


def test_new_then_unchanged_recrawl_only_moves_last_seen(db: Any) -> None:
    first = write(db, article(1), article(2))
    assert (first.new, first.updated, first.unchanged) == (2, 0, 0)
    before = db.articles.find_one({"url": f"{BASE}/en/article-1"}, {"_id": 0})
    later = T0 + timedelta(days=1)
    again = write(db, article(1), article(2), run_id="run-2", at=later)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    after = db.articles.find_one({"url": f"{BASE}/en/article-1"}, {"_id": 0})
    assert after.pop("last_seen") == later
    before.pop("last_seen")
    assert after == before  # run_id stays the run that last changed it
    assert after["revision"] == 1 and after["run_id"] == "run-1"
    assert db.articles.count_documents({}) == 2
    assert db.article_revisions.count_documents({}) == 0


def test_edited_article_gets_revision_2_and_keeps_old_version(db: Any) -> None:
    write(db, article(1, body="Old body."))
    later = T0 + timedelta(days=2)
    result = write(db, article(1, body="New body."), run_id="run-2", at=later)
    assert (result.new, result.updated, result.unchanged) == (0, 1, 0)
    doc = db.articles.find_one({"url": f"{BASE}/en/article-1"})
    assert (doc["revision"], doc["body"], doc["run_id"]) == (2, "New body.", "run-2")
    assert doc["first_seen"] == T0 and doc["updated_at"] == later
    old = list(db.article_revisions.find({}, {"_id": 0}))
    assert old == [{
        "url": f"{BASE}/en/article-1", "site": "unsmil", "revision": 1, "title": "Title 1",
        "body": "Old body.", "content_hash": hashlib.sha256(b"old body.").hexdigest(),
        "replaced_at": later,
    }]
    # A title-only edit is a change too.
    write(db, article(1, body="New body.", title="Retitled"), run_id="run-3",
          at=later + timedelta(days=1))
    assert db.articles.find_one({"url": f"{BASE}/en/article-1"})["revision"] == 3
    assert db.article_revisions.count_documents({}) == 2


def test_alias_merge_does_not_depend_on_order(db: Any) -> None:
    url = f"{BASE}/en/article-1"
    # Alias before its article: kept pending, not upserted as an empty article.
    early = write(db, aliases={url: [f"{BASE}/node/1"]})
    assert db.articles.count_documents({}) == 0
    assert early.leftover.aliases == {url: [f"{BASE}/node/1"]}
    pending = early.leftover
    pending.add_article(article_doc(article(1, aliases=[f"{BASE}/en/a1"]), "run-1", T0,
                                    site="unsmil"))
    MongoWriter(db).write(pending)
    # Alias after its article, and the same alias twice: merged once.
    write(db, aliases={url: [f"{BASE}/node/1", f"{BASE}/index.php/en/article-1", url]})
    doc = db.articles.find_one({"url": url})
    assert sorted(doc["aliases"]) == sorted(
        [f"{BASE}/en/a1", f"{BASE}/node/1", f"{BASE}/index.php/en/article-1"]
    )


def test_rejects_upsert_by_url_and_reason(db: Any) -> None:
    bad = ArticleItem(url=f"{BASE}/en/x", lang="en", title=None, reject_reason="missing_title",
                      translations={"ar": f"{BASE}/ar/x", "$gt": "nope"})
    write(db, bad)
    write(db, bad, run_id="run-2", at=T0 + timedelta(days=1))
    docs = list(db.rejects.find())
    assert len(docs) == 1
    assert (docs[0]["reason"], docs[0]["run_id"], docs[0]["first_at"]) == (
        "missing_title", "run-2", T0)
    assert docs[0]["item"]["translations"] == {"ar": f"{BASE}/ar/x"}
    assert db.articles.count_documents({}) == 0


def test_validator_rejects_a_bad_document(db: Any) -> None:
    with pytest.raises(WriteError) as err:
        db.articles.insert_one({"url": "not a url", "lang": "fr", "title": ""})
    assert err.value.code == 121
    # Through the writer, a bad article ends in `rejects` instead of failing the batch.
    broken = article(3)
    broken.content_hash = "not-a-hash"
    result = write(db, broken, article(4))
    assert result.new == 1
    assert db.articles.count_documents({}) == 1
    assert result.leftover.rejects == {}
    assert db.rejects.find_one({"reason": "storage_rejected"})["url"] == broken.url


def test_indexes(db: Any) -> None:
    names = {c: {i["name"] for i in db[c].list_indexes()} for c in
             ("articles", "article_revisions", "crawl_runs", "rejects")}
    assert names == {
        "articles": {"_id_", "url_unique", "aliases", "site_lang_published", "published",
                     "site_content_hash", "run_id"},
        "article_revisions": {"_id_", "url_revision_unique", "replaced_at"},
        "crawl_runs": {"_id_", "started_at", "site_started_at", "status_started_at"},
        "rejects": {"_id_", "url_reason_unique", "run_id_reason", "site_at", "at"},
    }
    ensure_schema(db)  # idempotent


def test_an_old_spilled_version_never_replaces_a_newer_stored_one(mongo_db: Any) -> None:
    """load-spill days after an outage: the spilled (older) text must not win."""
    from datetime import UTC, datetime, timedelta

    from unsmil_crawler.storage.documents import PendingWrites
    from unsmil_crawler.storage.writer import MongoWriter

    def doc(body: str, seen: datetime) -> dict[str, Any]:
        return {"url": "http://h/en/a", "site": "unsmil", "run_id": "r", "seen_at": seen,
                "lang": "en",
                "title": "T", "title_norm": "t", "body": body, "body_norm": body.lower(),
                "content_hash": body * 8, "rendered": False, "published": seen,
                "prev_url": None, "next_url": None, "etag": None, "last_modified": None,
                "minhash": None, "near_duplicate_of": None, "aliases": ["http://h/node/1"],
                "translations": {}, "supersedes": [], "relinks": {}}

    writer = MongoWriter(mongo_db)
    day = datetime(2026, 1, 5, tzinfo=UTC)
    for body, seen in (("new", day), ("old", day - timedelta(days=2))):
        pending = PendingWrites()
        pending.add_article(doc(body, seen))
        writer.write(pending)
    stored = mongo_db.articles.find_one({"url": "http://h/en/a"})
    assert (stored["body"], stored["revision"]) == ("new", 1)
    assert mongo_db.article_revisions.count_documents({}) == 0


def test_a_new_cleaning_rule_refreshes_derived_fields_without_a_revision(db: Any) -> None:
    write(db, article(1, body="Same body."))
    changed = article(1, body="Same body.")
    changed.body_norm, changed.content_hash = "same body (new rule)", "f" * 64
    result = write(db, changed, run_id="run-2", at=T0 + timedelta(days=1))
    doc = db.articles.find_one({"url": f"{BASE}/en/article-1"})
    assert (doc["revision"], doc["content_hash"]) == (1, "f" * 64)
    assert (result.updated, db.article_revisions.count_documents({})) == (0, 0)


def test_a_retried_batch_counts_what_its_failed_attempt_wrote(db: Any) -> None:
    """A batch written, then retried after a later step failed: still "new", not "unchanged"."""
    first = write(db, article(1), run_id="run-r", at=T0 + timedelta(milliseconds=1, microseconds=7))
    again = write(db, article(1), run_id="run-r", at=T0 + timedelta(milliseconds=1, microseconds=7))
    assert (first.new, again.new, again.unchanged) == (1, 1, 0)
    later = write(db, article(1), run_id="run-s", at=T0 + timedelta(days=1))
    assert (later.new, later.unchanged) == (0, 1)

"""docs/schema.md matches the code, and its example aggregations run on a real server."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from bson import json_util

from tests.test_storage_writer import BASE, article, write
from unsmil_crawler.sites import get_profile
from unsmil_crawler.storage.connection import mask_uri
from unsmil_crawler.storage.documents import PendingWrites
from unsmil_crawler.storage.runs import STALE_REASON, mark_stale_runs, run_start_doc
from unsmil_crawler.storage.schema import ARTICLE_SCHEMA, INDEXES, ensure_schema
from unsmil_crawler.storage.writer import MongoWriter

DOC = Path(__file__).resolve().parent.parent / "docs" / "schema.md"
EXAMPLE = re.compile(r"<!-- aggregate: (\w+) -->\s*```json\n(.*?)```", re.DOTALL)
NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


def examples() -> list[tuple[str, list[dict[str, Any]]]]:
    return [(c, json_util.loads(body)) for c, body in EXAMPLE.findall(DOC.read_text())]


def test_doc_names_every_field_and_index() -> None:
    text = DOC.read_text()
    missing = [f for f in ARTICLE_SCHEMA["properties"] if f"`{f}`" not in text]
    assert missing == []
    names = [i.document["name"] for idx in INDEXES.values() for i in idx]
    assert [n for n in names if f"`{n}`" not in text] == []


@pytest.fixture
def filled(mongo_db: Any) -> Any:
    ensure_schema(mongo_db)
    en = article(1, body="Ceasefire talks resume.", title="Ceasefire talks")
    ar = article(2, body="نص", title="عنوان")
    ar.url, ar.lang = f"{BASE}/ar/article-2", "ar"
    write(mongo_db, en, ar, article(3))
    write(mongo_db, article(3, body="Edited."), run_id="run-2")
    gone = PendingWrites()
    gone.mark_gone(ar.url, NOW)
    MongoWriter(mongo_db).write(gone)
    mongo_db.crawl_runs.insert_one({**run_start_doc("run-2", _Spider(), NOW),
                                    "status": "finished", "finished_at": NOW})
    blind = run_start_doc("run-3", _Spider(), NOW)
    blind["stats"]["neighbours"].update(parsed=200, with_prev=20, with_next=30, none=170)
    mongo_db.crawl_runs.insert_one({**blind, "status": "finished", "finished_at": NOW})
    bad = article(4)
    bad.reject_reason = "missing_date"
    write(mongo_db, bad, run_id="run-2")
    return mongo_db


class _Spider:
    name = "news"
    profile = get_profile("unsmil")


def test_example_aggregations_run(filled: Any) -> None:
    found = examples()
    assert len(found) >= 6
    results = {i: list(filled[c].aggregate(p)) for i, (c, p) in enumerate(found)}
    assert [r["title"] for r in results[0]] == ["Title 3", "Ceasefire talks"]
    assert sum(g["articles"] for g in results[1]) == 3
    assert [r["url"] for r in results[2]] == [f"{BASE}/ar/article-2"]
    assert results[3][0]["_id"] == f"{BASE}/en/article-3" and results[3][0]["edits"] == 1
    assert results[4][0]["status"] == "finished" and results[4][0]["minutes"] == 0
    assert results[5] == [{"_id": {"run_id": "run-2", "reason": "missing_date"}, "count": 1}]
    assert [r["url"] for r in results[6]] == [f"{BASE}/en/article-1"]
    assert [(r["url"], r["gone_since"]) for r in results[7]] == [(f"{BASE}/ar/article-2", NOW)]
    assert [(r["_id"], r["no_neighbour_share"]) for r in results[8]] == [("run-3", 0.85)]


def test_stale_runs_are_marked_failed(mongo_db: Any) -> None:
    spider = _Spider()
    dead = run_start_doc("dead", spider, NOW, pid=2**22 + 11, host="here")
    alive = run_start_doc("alive", spider, NOW, host="here")  # this test's own pid
    old = run_start_doc("old", spider, NOW - timedelta(days=3), host="elsewhere")
    remote = run_start_doc("remote", spider, NOW, pid=1, host="elsewhere")
    done = {**run_start_doc("done", spider, NOW, pid=2**22 + 12, host="here"),
            "status": "finished"}
    mongo_db.crawl_runs.insert_many([dead, alive, old, remote, done])
    stale = mark_stale_runs(mongo_db, NOW, "current", timedelta(days=1), host="here")
    assert sorted(stale) == ["dead", "old"]
    status = {d["_id"]: (d["status"], d["finish_reason"]) for d in mongo_db.crawl_runs.find()}
    assert status["dead"] == ("failed", STALE_REASON)
    assert status["old"] == ("failed", STALE_REASON)
    assert status["alive"][0] == status["remote"][0] == "running"
    assert status["done"][0] == "finished"


@pytest.mark.parametrize("uri", [
    "mongodb://admin:p%40ss@h1:27017,h2:27017/unsmil?replicaSet=rs0&authSource=admin",
    "mongodb+srv://crawler:p%40ss@cluster0.example.net/?retryWrites=true",
    "mongodb://crawler:p%40ss@localhost/?authMechanismProperties=AWS_SESSION_TOKEN:p%40ss",
])
def test_mask_uri_hides_the_secret(uri: str) -> None:
    masked = mask_uri(uri)
    assert "p%40ss" not in masked and "p@ss" not in masked
    assert "crawler" in masked or "admin" in masked


def test_documents_from_before_sites_become_unsmil_and_stay_usable(mongo_db: Any) -> None:
    """A database written before documents named their site: the first crawl that opens it
    gives them ``site: "unsmil"``; a re-crawl then finds them as stored, not as new."""
    write(mongo_db, article(1))
    # As stored before sites: no validator asking for it, no `site` field anywhere.
    mongo_db.command("collMod", "articles", validator={}, validationLevel="off")
    mongo_db.articles.update_many({}, {"$unset": {"site": ""}})
    mongo_db.crawl_runs.insert_one({"_id": "old-run", "status": "finished"})
    mongo_db.rejects.insert_one({"url": f"{BASE}/en/x", "reason": "missing title"})
    ensure_schema(mongo_db)
    for collection in ("articles", "crawl_runs", "rejects"):
        assert mongo_db[collection].count_documents({"site": "unsmil"}) == 1, collection
    ensure_schema(mongo_db)  # idempotent
    result = write(mongo_db, article(1), at=datetime(2025, 2, 1, tzinfo=UTC))
    assert (result.new, result.unchanged, mongo_db.articles.count_documents({})) == (0, 1, 1)

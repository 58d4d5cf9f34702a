"""Batched, idempotent writes of pending documents, with revision history and retry.

One :meth:`MongoWriter.write` call costs a fixed number of round trips whatever the batch
size: one ``find`` for the current state of the batch's URLs, one ``bulk_write`` of
revisions, one of articles, one ``find`` + ``bulk_write`` for aliases, one for rejects.
Every write is ``ordered=False`` with ``j=True`` (the journal makes acknowledged batches
survive a SIGKILL of the server) and is safe to repeat: revisions are upserted by
(url, revision), updates are guarded by the revision they replace, so retrying a batch
after a half-finished attempt neither loses nor duplicates anything.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pymongo
from pymongo import UpdateOne, WriteConcern
from pymongo.database import Database
from pymongo.errors import BulkWriteError, ConnectionFailure, ExecutionTimeout, PyMongoError

from unsmil_crawler.storage.documents import CONTENT_FIELDS, META_FIELDS, PendingWrites
from unsmil_crawler.storage.schema import ARTICLES, LANGUAGES, REJECTS, REVISIONS

logger = logging.getLogger(__name__)

T = TypeVar("T")
DUPLICATE_KEY = 11000
CURRENT_FIELDS = {"url": 1, "title": 1, "body": 1, "content_hash": 1, "revision": 1, "_id": 0}


@dataclass
class BatchResult:
    """What one write did; the pipeline turns it into ``mongo/*`` stats."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejects: int = 0
    aliases: int = 0
    leftover: PendingWrites = field(default_factory=PendingWrites)
    """Work to retry later: aliases whose article is not stored yet, lost update races."""


@dataclass
class ArticlePlan:
    """The operations for a batch of articles, decided from their stored state."""

    articles: list[UpdateOne] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    """URL of each operation in ``articles`` (bulk errors report operation indexes)."""
    revisions: list[UpdateOne] = field(default_factory=list)
    new: int = 0
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def _refresh(doc: dict[str, Any]) -> dict[str, Any]:
    """$set fields refreshed on every crawl: last_seen and the page's non-null metadata."""
    out: dict[str, Any] = {"last_seen": doc["seen_at"]}
    out.update({k: doc[k] for k in META_FIELDS if doc.get(k) is not None})
    # Keys are "translations.<lang>" with lang from the allowlist, never from the page.
    out.update({f"translations.{lang}": u for lang, u in doc["translations"].items()
                if lang in LANGUAGES})
    return out


def plan_articles(docs: list[dict[str, Any]], current: dict[str, dict[str, Any]]) -> ArticlePlan:
    """Decide new / updated / unchanged per document; pure, so tests need no server."""
    plan = ArticlePlan()
    for doc in docs:
        url, seen = doc["url"], doc["seen_at"]
        content = {k: doc[k] for k in CONTENT_FIELDS}
        aliases = {"aliases": {"$each": doc["aliases"]}}
        cur = current.get(url)
        if cur is None:
            insert = {**content, "url": url, "revision": 1, "first_seen": seen,
                      "updated_at": seen, "run_id": doc["run_id"], "gone_since": None}
            if not doc["translations"]:
                insert["translations"] = {}
            op = UpdateOne({"url": url}, {"$setOnInsert": insert, "$set": _refresh(doc),
                                          "$addToSet": aliases}, upsert=True)
            plan.new += 1
        elif cur.get("content_hash") != doc["content_hash"] or cur.get("title") != doc["title"]:
            rev = cur["revision"]
            plan.revisions.append(UpdateOne(
                {"url": url, "revision": rev},
                {"$setOnInsert": {"url": url, "revision": rev, "title": cur.get("title"),
                                  "body": cur.get("body"), "content_hash": cur.get("content_hash"),
                                  "replaced_at": seen}},
                upsert=True,
            ))
            changed = {**content, "revision": rev + 1, "updated_at": seen,
                       "run_id": doc["run_id"], **_refresh(doc)}
            op = UpdateOne({"url": url, "revision": rev}, {"$set": changed, "$addToSet": aliases})
            plan.updated.append(url)
        else:
            op = UpdateOne({"url": url}, {"$set": _refresh(doc), "$addToSet": aliases})
            plan.unchanged += 1
        plan.articles.append(op)
        plan.urls.append(url)
    return plan


def backoff_delays(base: float = 0.5, cap: float = 30.0) -> Iterator[float]:
    """Exponential backoff without end: base, 2*base, ... capped.

    >>> from itertools import islice
    >>> list(islice(backoff_delays(0.5, 4.0), 6))
    [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    """
    delay = base
    while True:
        yield min(delay, cap)
        delay *= 2


def call_with_retry(
    fn: Callable[[float], T],
    max_wait: float,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    on_retry: Callable[[BaseException, float], None] | None = None,
) -> T:
    """Call ``fn(time_left)`` until it succeeds or ``max_wait`` seconds have passed.

    Written out rather than taken from a retry library: the deadline must also bound each
    attempt (``fn`` gets the time left) and the caller counts retries in its stats.
    """
    deadline = clock() + max_wait
    for delay in backoff_delays():
        try:
            return fn(max(deadline - clock(), 0.1))
        except PyMongoError as exc:
            left = deadline - clock()
            if left <= 0:
                raise
            if on_retry is not None:
                on_retry(exc, min(delay, left))
            sleep(min(delay, left))
    raise AssertionError("unreachable")


def is_transient(exc: BaseException) -> bool:
    """Outage-like errors (worth retrying) as opposed to a bad document or a bug."""
    return isinstance(exc, ConnectionFailure | ExecutionTimeout) or (
        isinstance(exc, PyMongoError) and exc.has_error_label("RetryableWriteError")
    )


class MongoWriter:
    """Writes :class:`PendingWrites` batches to one database (thread-safe: holds no state)."""

    def __init__(self, db: Database[Any]) -> None:
        concern = WriteConcern(j=True)
        self.articles = db.get_collection(ARTICLES, write_concern=concern)
        self.revisions = db.get_collection(REVISIONS, write_concern=concern)
        self.rejects = db.get_collection(REJECTS, write_concern=concern)

    def write(self, batch: PendingWrites, timeout: float | None = None) -> BatchResult:
        """One attempt at the whole batch; raises on outage (the caller keeps the batch)."""
        with pymongo.timeout(timeout):
            result = BatchResult()
            docs = list(batch.articles.values())
            if docs:
                self._write_articles(docs, result)
            for doc in result.leftover.rejects.values():
                batch.rejects.setdefault((doc["url"], doc["reason"]), doc)
            result.leftover.rejects = {}
            if batch.aliases:
                self._write_aliases(batch.aliases, result)
            if batch.rejects:
                self._write_rejects(list(batch.rejects.values()), result)
            return result

    def _write_articles(self, docs: list[dict[str, Any]], result: BatchResult) -> None:
        urls = [d["url"] for d in docs]
        current = {c["url"]: c for c in self.articles.find({"url": {"$in": urls}}, CURRENT_FIELDS)}
        plan = plan_articles(docs, current)
        if plan.revisions:
            # Before the articles: a stored version is never replaced before it is archived.
            self.revisions.bulk_write(plan.revisions, ordered=False)
        failed: set[str] = set()
        try:
            res = self.articles.bulk_write(plan.articles, ordered=False)
            matched = res.matched_count
        except BulkWriteError as exc:
            matched = exc.details.get("nMatched", 0)
            failed = self._handle_write_errors(exc, plan.urls, docs, result)
        expected = plan.unchanged + len(plan.updated) - len(failed & set(plan.updated))
        lost = self._lost_races(plan.updated, docs, failed) if matched < expected else set()
        for doc in docs:
            if doc["url"] in lost:
                result.leftover.add_article(doc)
        result.new += plan.new - len(failed - set(current))
        result.updated += len(set(plan.updated) - failed - lost)
        result.unchanged += plan.unchanged

    def _handle_write_errors(
        self, exc: BulkWriteError, urls: list[str], docs: list[dict[str, Any]],
        result: BatchResult,
    ) -> set[str]:
        """Bad documents become rejects; a duplicate key (a concurrent insert) is retried."""
        by_url = {d["url"]: d for d in docs}
        failed: set[str] = set()
        for err in exc.details.get("writeErrors", []):
            url = urls[err["index"]]
            failed.add(url)
            if err.get("code") == DUPLICATE_KEY:
                result.leftover.add_article(by_url[url])
                continue
            logger.error("MongoDB refused article %s: %s", url, err.get("errmsg"))
            doc = by_url[url]
            result.leftover.add_reject({
                "url": url, "reason": "storage_rejected", "run_id": doc["run_id"],
                "at": doc["seen_at"], "item": {**doc, "error": str(err.get("errmsg"))},
            })
        return failed

    def _lost_races(
        self, updated: list[str], docs: list[dict[str, Any]], failed: set[str]
    ) -> set[str]:
        """URLs whose guarded update matched nothing because another writer got there first."""
        want = {d["url"]: d["content_hash"] for d in docs}
        stored = {
            c["url"]: c.get("content_hash")
            for c in self.articles.find({"url": {"$in": updated}}, {"url": 1, "content_hash": 1})
        }
        lost = {u for u in updated if u not in failed and stored.get(u) != want[u]}
        if lost:
            logger.warning("%d articles changed concurrently; retrying them", len(lost))
        return lost

    def _write_aliases(self, aliases: dict[str, list[str]], result: BatchResult) -> None:
        """Merge aliases into stored articles; keep the rest until their article is stored."""
        urls = list(aliases)
        stored = {c["url"] for c in self.articles.find({"url": {"$in": urls}}, {"url": 1})}
        ops = [
            UpdateOne({"url": u}, {"$addToSet": {"aliases": {"$each": aliases[u]}}})
            for u in urls if u in stored
        ]
        if ops:
            self.articles.bulk_write(ops, ordered=False)
        result.aliases += len(ops)
        for u in urls:
            if u not in stored:
                result.leftover.add_aliases(u, aliases[u])

    def _write_rejects(self, docs: list[dict[str, Any]], result: BatchResult) -> None:
        ops = [
            UpdateOne(
                {"url": d["url"], "reason": d["reason"]},
                {"$set": {"run_id": d["run_id"], "at": d["at"], "item": d["item"]},
                 "$setOnInsert": {"first_at": d["at"]}},
                upsert=True,
            )
            for d in docs
        ]
        self.rejects.bulk_write(ops, ordered=False)
        result.rejects += len(ops)

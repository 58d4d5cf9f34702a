"""What one batch of articles does to the stored documents, decided without a server.

:func:`plan_articles` turns pending documents plus the stored state of their URLs into
bulk operations; the writer (:mod:`unsmil_crawler.storage.writer`) only runs them. Pure,
so the revision and supersede rules are testable (and doctested) without MongoDB.

Rules (docs/schema.md is the contract):

* new URL: revision 1, or one more than the highest revision archived for that URL
  (a superseded document's history stays under its URL; numbers never repeat);
* title or body changed: the stored version is archived, revision + 1; except that a body
  which never rendered (``body_status: "render_failed"``) is filled in without a revision,
  and never replaces a stored body;
* unchanged and nothing else to refresh: only ``last_seen`` moves, for the whole batch
  in one ``update_many`` at the batch's latest ``seen_at`` (``touch``);
* ``supersedes``: the superseded document's last version is archived (with
  ``superseded_by``), its URL and aliases join this document's aliases, and it is deleted
  once this document is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pymongo import DeleteOne, UpdateOne

from unsmil_crawler.items import RENDER_FAILED
from unsmil_crawler.storage.documents import CONTENT_FIELDS, META_FIELDS, string_list
from unsmil_crawler.storage.schema import BODY_OK, LANGUAGES

CURRENT_FIELDS = dict.fromkeys(
    ("url", "revision", "aliases", "gone_since", "near_duplicate_of", "translations",
     "last_seen", "updated_at", "run_id", *CONTENT_FIELDS, *META_FIELDS), 1,
) | {"_id": 0}
"""Projection of the stored state a plan needs."""


@dataclass
class ArticlePlan:
    """The operations for a batch of articles, decided from their stored state."""

    articles: list[UpdateOne] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    """URL of each operation in ``articles`` (bulk errors report operation indexes)."""
    revisions: list[UpdateOne] = field(default_factory=list)
    touch: list[str] = field(default_factory=list)
    """Unchanged documents that only need ``last_seen`` = ``touch_at``."""
    touch_at: datetime | None = None
    deletes: list[tuple[str, DeleteOne]] = field(default_factory=list)
    """(URL of the superseding document, deletion of the superseded one)."""
    superseded: dict[str, int] = field(default_factory=dict)
    new: int = 0
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def refresh(doc: Mapping[str, Any]) -> dict[str, Any]:
    """$set on every crawl: the page's non-null metadata and links, the dedupe link, not gone.

    >>> r = refresh({"published": None, "etag": '"e"', "near_duplicate_of": None,
    ...              "translations": {"ar": "https://h/ar/a"}})
    >>> r["gone_since"], r["etag"], r["translations.ar"], "published" in r, r["next_url"]
    (None, '"e"', 'https://h/ar/a', False, None)
    """
    out: dict[str, Any] = {"gone_since": None, "near_duplicate_of": doc.get("near_duplicate_of")}
    # A missing prev/next link is news too (a chain end): links are always written.
    out.update({k: doc.get(k) for k in META_FIELDS
                if doc.get(k) is not None or k in ("prev_url", "next_url")})
    # Keys are "translations.<lang>" with lang from the allowlist, never from the page.
    out.update({f"translations.{lang}": u for lang, u in doc["translations"].items()
                if lang in LANGUAGES})
    return out


def _stored(cur: Mapping[str, Any], key: str) -> Any:
    if key.startswith("translations."):
        return (cur.get("translations") or {}).get(key.partition(".")[2])
    return cur.get(key)


def touch_only(doc: Mapping[str, Any], cur: Mapping[str, Any]) -> bool:
    """True when writing ``doc`` over ``cur`` would change nothing but ``last_seen``.

    >>> doc = {"title": "T", "content_hash": "h", "aliases": ["https://h/n/1"],
    ...        "translations": {}, "etag": '"1"'}
    >>> cur = {**doc, "near_duplicate_of": None, "gone_since": None}
    >>> touch_only(doc, cur), touch_only({**doc, "etag": '"2"'}, cur)
    (True, False)
    >>> touch_only({**doc, "aliases": ["https://h/n/2"]}, cur)
    False
    """
    if doc.get("supersedes") or (cur.get("content_hash"), cur.get("title")) != (
        doc["content_hash"], doc["title"]
    ):
        return False
    if not set(doc["aliases"]) <= set(cur.get("aliases") or ()):
        return False
    return all(_stored(cur, k) == v for k, v in refresh(doc).items())


def archive_op(cur: Mapping[str, Any], at: datetime, superseded_by: str | None = None
               ) -> UpdateOne:
    """Copy a stored version to article_revisions; upserted by (url, revision): idempotent."""
    version = {"url": cur["url"], "site": cur.get("site"), "revision": cur["revision"],
               "title": cur.get("title"),
               "body": cur.get("body"), "content_hash": cur.get("content_hash"),
               "replaced_at": at}
    if superseded_by is not None:
        version["superseded_by"] = superseded_by
    return UpdateOne({"url": cur["url"], "revision": cur["revision"]},
                     {"$setOnInsert": version}, upsert=True)


def plan_articles(
    docs: list[dict[str, Any]],
    current: Mapping[str, Mapping[str, Any]],
    archived: Mapping[str, int] | None = None,
) -> ArticlePlan:
    """Decide new / updated / unchanged / superseded per document.

    ``current``: stored state by URL (of the batch and of the URLs it supersedes);
    ``archived``: highest archived revision of new URLs that have one.
    """
    plan = ArticlePlan()
    for doc in docs:
        url, seen = doc["url"], doc["seen_at"]
        extra = _supersede(plan, doc, current)
        aliases = {"aliases": {"$each": string_list(extra + doc["aliases"], exclude=url)}}
        content = {k: doc.get(k) for k in CONTENT_FIELDS}
        content["body_status"] = content["body_status"] or BODY_OK  # spilled before it existed
        cur = current.get(url)
        common = {"$max": {"last_seen": seen}, "$addToSet": aliases}
        if cur is not None and cur.get("last_seen") and seen < cur["last_seen"]:
            # Older than what is stored (a spill file loaded after later crawls): its URLs
            # still count, its text and metadata must not replace newer ones.
            op = UpdateOne({"url": url}, {"$addToSet": aliases})
            plan.unchanged += 1
        elif cur is None:
            insert = {**content, "url": url, "revision": (archived or {}).get(url, 0) + 1,
                      "first_seen": seen, "updated_at": seen, "run_id": doc["run_id"]}
            if not doc["translations"]:
                insert["translations"] = {}
            op = UpdateOne({"url": url}, {"$setOnInsert": insert, "$set": refresh(doc),
                                          **common}, upsert=True)
            plan.new += 1
        elif doc.get("body_status") == RENDER_FAILED and cur.get("body_status") != RENDER_FAILED:
            # The body did not render this time: the stored text stays, links move on.
            op = UpdateOne({"url": url}, {"$set": refresh(doc), **common})
            plan.unchanged += 1
        elif cur.get("body_status") == RENDER_FAILED and doc.get("body_status") != RENDER_FAILED:
            # The body a past run could not render: filled in, no revision (nothing was lost).
            op = UpdateOne({"url": url, "body_status": RENDER_FAILED},
                           {"$set": {**content, "updated_at": seen, "run_id": doc["run_id"],
                                     **refresh(doc)}, **common})
            plan.updated.append(url)
        elif (cur.get("body"), cur.get("title")) != (doc["body"], doc["title"]):
            rev = cur["revision"]
            plan.revisions.append(archive_op(cur, seen))
            changed = {**content, "revision": rev + 1, "updated_at": seen,
                       "run_id": doc["run_id"], **refresh(doc)}
            op = UpdateOne({"url": url, "revision": rev}, {"$set": changed, **common})
            plan.updated.append(url)
        elif any(cur.get(k) != content[k] for k in CONTENT_FIELDS):
            # Same title and body, derived fields differ (a new cleaning rule changed the
            # search form): refreshed in place, no revision, since a reader sees no change.
            op = UpdateOne({"url": url}, {"$set": {**content, **refresh(doc)}, **common})
            _count_unchanged(plan, doc, cur)
        elif touch_only(doc, cur):
            plan.touch.append(url)
            plan.touch_at = max(seen, plan.touch_at or seen)
            _count_unchanged(plan, doc, cur)
            continue
        else:
            op = UpdateOne({"url": url}, {"$set": refresh(doc), **common})
            _count_unchanged(plan, doc, cur)
        plan.articles.append(op)
        plan.urls.append(url)
    return plan


def _count_unchanged(plan: ArticlePlan, doc: Mapping[str, Any], cur: Mapping[str, Any]) -> None:
    """Unchanged, unless this very batch wrote it in an earlier attempt that failed later on
    (same run, ``updated_at`` = this visit): then it counts as what that attempt did."""
    seen = doc["seen_at"]
    at_ms = seen.replace(microsecond=seen.microsecond // 1000 * 1000)  # BSON dates hold ms
    if cur.get("run_id") == doc["run_id"] and cur.get("updated_at") == at_ms:
        if cur.get("revision") == 1:
            plan.new += 1
        else:
            plan.updated.append(doc["url"])
    else:
        plan.unchanged += 1


def _supersede(plan: ArticlePlan, doc: Mapping[str, Any],
               current: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Plan the removal of the documents ``doc`` supersedes; returns their URLs + aliases."""
    url, extra = doc["url"], []
    for old_url in doc.get("supersedes") or ():
        extra.append(old_url)
        old = current.get(old_url)
        if old is None or old_url == url:
            continue
        extra.extend(old.get("aliases") or ())
        plan.revisions.append(archive_op(old, doc["seen_at"], superseded_by=url))
        plan.deletes.append(
            (url, DeleteOne({"url": old_url, "revision": old["revision"]}))
        )
    if doc.get("supersedes"):
        plan.superseded[url] = len(doc["supersedes"])
    return extra

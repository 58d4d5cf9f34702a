"""Collections, indexes and the ``articles`` $jsonSchema validator: the dashboards' contract.

docs/schema.md documents every field listed here; tests/test_storage_schema.py checks that
the two agree. :func:`ensure_schema` is idempotent and cheap, so every component that writes
calls it once when it opens.
"""

from __future__ import annotations

import logging
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.database import Database
from pymongo.errors import CollectionInvalid

from unsmil_crawler.items import RENDER_FAILED
from unsmil_crawler.sites import DEFAULT_SITE

logger = logging.getLogger(__name__)

ARTICLES = "articles"
REVISIONS = "article_revisions"
RUNS = "crawl_runs"
REJECTS = "rejects"
SITEMAP_PAGES = "sitemap_pages"

BODY_OK = "ok"
SITE_COLLECTIONS = (ARTICLES, REVISIONS, RUNS, REJECTS)
"""Every document of these carries the ``site`` it came from."""

LANGUAGES = ("ar", "en")
"""The only allowed `lang` values and `translations` keys (scraped text never becomes a key)."""

_STR = {"bsonType": "string"}
_URL = {"bsonType": "string", "pattern": "^https?://"}
_URL_OR_NULL = {"bsonType": ["string", "null"], "pattern": "^https?://"}
_STR_OR_NULL = {"bsonType": ["string", "null"]}
_DATE = {"bsonType": "date"}
_INT = ["int", "long"]

ARTICLE_SCHEMA: dict[str, Any] = {
    "bsonType": "object",
    "required": [
        "site", "url", "lang", "title", "published", "body", "body_norm", "content_hash",
        "revision", "first_seen", "last_seen", "updated_at", "run_id",
    ],
    "properties": {
        "site": {"bsonType": "string", "pattern": "^[a-z0-9_]+$"},
        "url": _URL,
        "aliases": {"bsonType": "array", "items": _URL},
        "lang": {"enum": list(LANGUAGES)},
        "title": {"bsonType": "string", "minLength": 1},
        "title_norm": _STR_OR_NULL,
        "published": _DATE,
        "body": {"bsonType": "string"},
        "body_status": {"enum": [BODY_OK, RENDER_FAILED]},
        "body_norm": _STR,
        "content_hash": {"bsonType": "string", "pattern": "^[0-9a-f]{64}$"},
        "prev_url": _URL_OR_NULL,
        "next_url": _URL_OR_NULL,
        "translations": {
            "bsonType": "object",
            "additionalProperties": False,
            "properties": {lang: _URL for lang in LANGUAGES},
        },
        "near_duplicate_of": _URL_OR_NULL,
        "revision": {"bsonType": _INT, "minimum": 1},
        "first_seen": _DATE,
        "last_seen": _DATE,
        "updated_at": _DATE,
        "run_id": _STR,
        "etag": _STR_OR_NULL,
        "last_modified": _STR_OR_NULL,
        "rendered": {"bsonType": "bool"},
        "gone_since": {"bsonType": ["date", "null"]},
        "sitemap_lastmod": {"bsonType": ["date", "null"]},
        "minhash": {"bsonType": ["array", "null"], "items": {"bsonType": _INT}},
        "extractor_version": {"bsonType": _INT, "minimum": 1},
        "source": {
            "bsonType": "object",
            "required": ["warc_file", "offset", "length", "fetched_at"],
            "properties": {
                "warc_file": {"bsonType": "string", "pattern": "\\.warc\\.gz$"},
                "offset": {"bsonType": _INT, "minimum": 0},
                "length": {"bsonType": _INT, "minimum": 1},
                "fetched_at": _DATE,
            },
        },
    },
    # An empty body only on an article whose body never rendered (body_status).
    "anyOf": [
        {"properties": {"body": {"minLength": 1}}},
        {"required": ["body_status"], "properties": {"body_status": {"enum": [RENDER_FAILED]}}},
    ],
}

INDEXES: dict[str, list[IndexModel]] = {
    ARTICLES: [
        IndexModel([("url", ASCENDING)], name="url_unique", unique=True),
        IndexModel([("aliases", ASCENDING)], name="aliases"),
        IndexModel([("site", ASCENDING), ("lang", ASCENDING), ("published", DESCENDING)],
                   name="site_lang_published"),
        IndexModel([("published", ASCENDING)], name="published"),
        IndexModel([("site", ASCENDING), ("content_hash", ASCENDING)], name="site_content_hash"),
        IndexModel([("run_id", ASCENDING)], name="run_id"),
    ],
    REVISIONS: [
        IndexModel([("url", ASCENDING), ("revision", ASCENDING)], name="url_revision_unique",
                   unique=True),
        IndexModel([("replaced_at", DESCENDING)], name="replaced_at"),
    ],
    RUNS: [
        IndexModel([("started_at", DESCENDING)], name="started_at"),
        IndexModel([("site", ASCENDING), ("started_at", DESCENDING)], name="site_started_at"),
        IndexModel([("status", ASCENDING), ("started_at", DESCENDING)], name="status_started_at"),
    ],
    SITEMAP_PAGES: [
        IndexModel([("url", ASCENDING), ("lang", ASCENDING)], name="sitemap_url_lang_unique",
                   unique=True),
    ],
    REJECTS: [
        IndexModel([("url", ASCENDING), ("reason", ASCENDING)], name="url_reason_unique",
                   unique=True),
        IndexModel([("run_id", ASCENDING), ("reason", ASCENDING)], name="run_id_reason"),
        IndexModel([("site", ASCENDING), ("at", DESCENDING)], name="site_at"),
        IndexModel([("at", DESCENDING)], name="at"),
    ],
}


def site_query(site: str) -> dict[str, Any]:
    """The filter for one site's documents. Documents stored before documents had a site
    are the default site's (:func:`ensure_schema` also gives them the field).

    >>> site_query("unsmil"), site_query("unmiss")
    ({'site': {'$in': ['unsmil', None]}}, {'site': 'unmiss'})
    """
    return {"site": {"$in": [site, None]}} if site == DEFAULT_SITE else {"site": site}


def migrate_sites(db: Database[Any]) -> int:
    """Give documents stored before sites had names ``site: "unsmil"`` (the only site there
    was); idempotent, and a no-op once done. Returns how many documents it changed."""
    return sum(
        db[name].update_many({"site": {"$exists": False}},
                             {"$set": {"site": DEFAULT_SITE}}).modified_count
        for name in SITE_COLLECTIONS
    )


def ensure_schema(db: Database[Any]) -> None:
    """Create the collections, the validator and every index; update the validator in place."""
    migrate_sites(db)
    validator = {"$jsonSchema": ARTICLE_SCHEMA}
    try:
        db.create_collection(
            ARTICLES, validator=validator, validationLevel="strict", validationAction="error"
        )
    except CollectionInvalid:
        db.command(
            "collMod", ARTICLES, validator=validator,
            validationLevel="strict", validationAction="error",
        )
    for name, indexes in INDEXES.items():
        db[name].create_indexes(indexes)
    logger.debug("MongoDB schema ensured in database %s", db.name)

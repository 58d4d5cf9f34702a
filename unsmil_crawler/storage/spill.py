"""JSON Lines spill file for writes MongoDB never acknowledged, and loading it back.

Settings: ``MONGO_SPILL_PATH`` (default ``var/spill/<run_id>.jsonl``; ``{run_id}`` in the
value is replaced).

One record per line: ``{"kind": ..., "doc": {...}}`` with kind ``article``, ``alias``,
``reject``, ``touch`` (a 304), ``gone``, ``lastmod`` (an announced change date), ``relink``
or ``run``.
Datetimes use MongoDB Extended JSON (``bson.json_util``, which already round-trips them
with their timezone) rather than a home-grown encoding.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from bson import json_util
from bson.json_util import JSONMode, JSONOptions
from pymongo.database import Database

from unsmil_crawler.sites import DEFAULT_SITE
from unsmil_crawler.storage.documents import PendingWrites
from unsmil_crawler.storage.links import resolve_links
from unsmil_crawler.storage.schema import RUNS, ensure_schema
from unsmil_crawler.storage.writer import MongoWriter

logger = logging.getLogger(__name__)

JSON_OPTIONS = JSONOptions(json_mode=JSONMode.RELAXED, tz_aware=True)
LOAD_BATCH = 500


def spill_path(settings: Mapping[str, Any], run_id: str) -> Path:
    """Where this run spills.

    >>> str(spill_path({"MONGO_SPILL_PATH": "spill/{run_id}-left.jsonl"}, "r1"))
    'spill/r1-left.jsonl'
    """
    template = settings["MONGO_SPILL_PATH"]
    return Path(str(template).replace("{run_id}", run_id))


def write_spill(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Append records and fsync: the spill is the only copy of these writes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(path, "a", encoding="utf-8") as fh:
        for record in records:
            fh.write(json_util.dumps(record, json_options=JSON_OPTIONS, ensure_ascii=False))
            fh.write("\n")
            count += 1
        fh.flush()
        os.fsync(fh.fileno())
    return count


def read_spill(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a spill file, datetimes restored as aware UTC datetimes."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json_util.loads(line, json_options=JSON_OPTIONS)


def load_spill(path: str | Path, db: Database[Any]) -> int:
    """Replay a spill file into ``db`` with the normal revision logic; returns records loaded.

    Loading twice is harmless: the second pass finds every article unchanged. Links to
    aliases are resolved to canonical URLs afterwards, as at the end of a crawl.
    """
    ensure_schema(db)
    writer = MongoWriter(db)
    pending = PendingWrites()
    loaded = 0
    links: set[str] = set()
    for record in read_spill(Path(path)):
        kind, doc = record["kind"], record["doc"]
        if kind in ("article", "reject", "run"):
            doc.setdefault("site", DEFAULT_SITE)  # spilled before documents named their site
        if kind == "article":
            links.update(u for u in (doc.get("prev_url"), doc.get("next_url")) if u)
            pending.add_article(doc)
        elif kind == "alias":
            pending.add_aliases(doc["url"], doc["aliases"])
        elif kind == "reject":
            pending.add_reject(doc)
        elif kind == "touch":
            pending.touch(doc["url"], doc["at"])
        elif kind == "gone":
            pending.mark_gone(doc["url"], doc["at"])
        elif kind == "lastmod":
            pending.announce(doc["url"], doc["sitemap_lastmod"])
        elif kind == "relink":
            pending.relink(doc["url"], doc["near_duplicate_of"])
        elif kind == "run":
            db[RUNS].replace_one({"_id": doc["_id"]}, doc, upsert=True)
        else:
            raise ValueError(f"unknown spill record kind {kind!r} in {path}")
        loaded += 1
        if len(pending.articles) >= LOAD_BATCH:
            pending = _flush(writer, pending)
    while pending:
        before = len(pending)
        pending = _flush(writer, pending)
        if len(pending) == before:
            break
    if pending:
        logger.warning("%d aliases in %s point to articles that were never stored",
                       len(pending.aliases), path)
    resolve_links(db, links)  # as the crawl would have at its end
    logger.info("Loaded %d spilled records from %s", loaded, path)
    return loaded


def _flush(writer: MongoWriter, pending: PendingWrites) -> PendingWrites:
    batch = pending.take(LOAD_BATCH)
    left = writer.write(batch).leftover
    left.merge(pending)
    return left

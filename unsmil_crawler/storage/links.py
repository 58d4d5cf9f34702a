"""Point ``prev_url`` / ``next_url`` at canonical article URLs once a run has stored them.

A page's pager may link a neighbour by ``/node/<nid>`` or any other alias, and the
neighbour may be stored later in the run (or was stored by an earlier run), so links are
resolved at the end of a run, against the ``aliases`` index, in one bulk write.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo import UpdateMany
from pymongo.database import Database

CHUNK = 500


def resolve_links(db: Database[Any], links: Iterable[str]) -> int:
    """Rewrite every stored link that is an alias of an article; return how many were."""
    pending = sorted(set(links))
    canonical: dict[str, str] = {}
    for start in range(0, len(pending), CHUNK):
        chunk = pending[start:start + CHUNK]
        for doc in db.articles.find({"aliases": {"$in": chunk}}, {"_id": 0, "url": 1,
                                                                   "aliases": 1}):
            for alias in set(doc.get("aliases") or []) & set(chunk):
                canonical[alias] = doc["url"]
    ops = [UpdateMany({field: alias}, {"$set": {field: url}})
           for alias, url in canonical.items() if alias != url
           for field in ("prev_url", "next_url")]
    if not ops:
        return 0
    return db.articles.bulk_write(ops, ordered=False).modified_count

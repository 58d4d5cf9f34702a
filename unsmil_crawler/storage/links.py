"""Point ``prev_url`` / ``next_url`` at canonical article URLs once a run has stored them.

A page's pager may link a neighbour by ``/node/<nid>`` or any other alias, and the
neighbour may be stored later in the run (or was stored by an earlier run), so links are
resolved at the end of a run, against the ``aliases`` index. The documents holding such a
link are found with one query per link field (no index on them: a scan each, where an
update per alias would scan once per alias) and rewritten by URL in one bulk write.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo import UpdateOne
from pymongo.database import Database

CHUNK = 500
LINK_FIELDS = ("prev_url", "next_url")


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def resolve_links(db: Database[Any], links: Iterable[str]) -> int:
    """Rewrite every stored link that is an alias of an article; return how many were."""
    canonical: dict[str, str] = {}
    for chunk in _chunks(sorted(set(links))):
        wanted = set(chunk)
        for doc in db.articles.find({"aliases": {"$in": chunk}}, {"_id": 0, "url": 1,
                                                                   "aliases": 1}):
            for alias in wanted.intersection(doc.get("aliases") or []):
                canonical[alias] = doc["url"]
    # An alias that is also an article's own URL (a page stored again after a supersede)
    # names that article: links to it stay as they are.
    own = {d["url"] for d in db.articles.find({"url": {"$in": list(canonical)}}, {"url": 1})}
    canonical = {a: url for a, url in canonical.items() if a != url and a not in own}
    ops = []
    for chunk in _chunks(sorted(canonical)):
        for field in LINK_FIELDS:
            for doc in db.articles.find({field: {"$in": chunk}}, {"_id": 0, "url": 1, field: 1}):
                ops.append(UpdateOne({"url": doc["url"], field: doc[field]},
                                     {"$set": {field: canonical[doc[field]]}}))
    if not ops:
        return 0
    return db.articles.bulk_write(ops, ordered=False).modified_count

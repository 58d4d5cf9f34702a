"""Stream stored articles out of MongoDB as JSON Lines or CSV, filtered by language and date.

Used by ``unsmil-crawler export``. Documents come from a cursor in ``published`` order and
are written one at a time, so memory stays flat whatever the archive size. Dates are
written as ISO 8601; ObjectIds as strings. No Scrapy settings are read here; the
collection is ``storage.schema.ARTICLES``.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import IO, Any

from bson import ObjectId

from unsmil_crawler.storage.schema import ARTICLES
from unsmil_crawler.text.clean import search_form

CSV_COLUMNS = (
    "url",
    "lang",
    "title",
    "published",
    "body",
    "revision",
    "translations",
    "aliases",
    "first_seen",
    "last_seen",
    "gone_since",
    "updated_at",
    "content_hash",
)
"""Flat, spreadsheet-friendly columns; JSON Lines keeps every stored field instead."""

INTERNAL_FIELDS = {"minhash": 0}
"""Dedupe signatures: hundreds of integers per article, meaningless outside the crawler."""


def search_filter(text: str) -> dict[str, Any]:
    """MongoDB filter: articles whose title or body contains ``text``, in the search form.

    ``title_norm`` and ``body_norm`` hold :func:`~unsmil_crawler.text.clean.search_form`
    of the text (Arabic alef/ta marbuta/ya variants folded, diacritics and tatweel removed,
    digits as ASCII, lower case), so the query must be folded the same way: ``الجفرة`` and
    ``الجفره`` then find the same articles. Escaped: the text is matched literally.
    ValueError when nothing is left to search for.

    >>> search_filter("الجفرة")
    {'$or': [{'title_norm': {'$regex': 'الجفره'}}, {'body_norm': {'$regex': 'الجفره'}}]}
    """
    folded = search_form(text)
    if not folded:
        raise ValueError(f"nothing to search for in {text!r} (only punctuation or spaces)")
    pattern = re.escape(folded)
    return {"$or": [{"title_norm": {"$regex": pattern}}, {"body_norm": {"$regex": pattern}}]}


def build_query(
    lang: str | None = None,
    since: date | None = None,
    until: date | None = None,
    search: str | None = None,
) -> dict[str, Any]:
    """MongoDB filter for the export options; ``until`` is inclusive of that whole day.

    >>> build_query("ar", date(2020, 1, 1))
    {'lang': 'ar', 'published': {'$gte': datetime.datetime(2020, 1, 1, 0, 0)}}
    >>> build_query(until=date(2021, 6, 30))["published"]
    {'$lt': datetime.datetime(2021, 7, 1, 0, 0)}
    >>> build_query("ar,en")
    {'lang': {'$in': ['ar', 'en']}}
    >>> build_query()
    {}
    """
    query: dict[str, Any] = {}
    if lang:
        langs = [part.strip() for part in lang.split(",") if part.strip()]
        query["lang"] = langs[0] if len(langs) == 1 else {"$in": langs}
    published: dict[str, datetime] = {}
    if since:
        published["$gte"] = datetime(since.year, since.month, since.day)
    if until:
        published["$lt"] = datetime.fromordinal(until.toordinal() + 1)
    if published:
        query["published"] = published
    if search:
        query.update(search_filter(search))
    return query


def to_jsonable(value: Any) -> Any:
    """Turn BSON values into JSON ones: datetimes to ISO strings, ObjectIds to hex.

    >>> to_jsonable({"d": datetime(2020, 5, 1, 0, 0), "ids": [ObjectId("0" * 24)]})
    {'d': '2020-05-01T00:00:00', 'ids': ['000000000000000000000000']}
    """
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, ObjectId):
        return str(value)
    if isinstance(value, Mapping):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def csv_row(doc: Mapping[str, Any]) -> dict[str, str]:
    """One CSV row: lists joined by spaces, mappings as compact JSON, None as empty.

    >>> csv_row({"url": "u", "aliases": ["a", "b"], "translations": {"en": "e"}})["aliases"]
    'a b'
    >>> csv_row({"translations": {"en": "e"}})["translations"]
    '{"en": "e"}'
    """
    row: dict[str, str] = {}
    for column in CSV_COLUMNS:
        value = to_jsonable(doc.get(column))
        if value is None:
            row[column] = ""
        elif isinstance(value, list):
            row[column] = " ".join(str(v) for v in value)
        elif isinstance(value, dict):
            row[column] = json.dumps(value, ensure_ascii=False)
        else:
            row[column] = str(value)
    return row


def write_jsonl(docs: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
    """Write one JSON object per line; returns how many were written."""
    count = 0
    for doc in docs:
        out.write(json.dumps(to_jsonable(doc), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(docs: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
    """Write a header and one row per article; returns how many rows were written."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    count = 0
    for doc in docs:
        writer.writerow(csv_row(doc))
        count += 1
    return count


def iter_articles(db: Any, query: Mapping[str, Any], batch_size: int = 500) -> Iterator[dict]:
    """Cursor over matching articles, oldest first, fetched ``batch_size`` at a time."""
    cursor = db[ARTICLES].find(query, INTERNAL_FIELDS).sort([("published", 1), ("_id", 1)])
    return iter(cursor.batch_size(batch_size))


def export(db: Any, fmt: str, out: IO[str], query: Mapping[str, Any]) -> int:
    """Stream the matching articles to ``out`` in ``fmt`` (``jsonl`` or ``csv``)."""
    writer = write_jsonl if fmt == "jsonl" else write_csv
    return writer(iter_articles(db, query), out)

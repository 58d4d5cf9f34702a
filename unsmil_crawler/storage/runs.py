"""`crawl_runs` documents: the run document, stale-run marking, stats mapping.

The run id comes from :class:`~unsmil_crawler.extensions.run_context.RunContext`; how long
a run may stay "running" (``CRAWL_RUNS_STALE_AFTER``) is passed in by the extension.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from pymongo.database import Database

from unsmil_crawler.storage.connection import mask_uri
from unsmil_crawler.storage.local_server import pid_alive
from unsmil_crawler.storage.schema import RUNS

STALE_REASON = "stale: never completed"


def run_start_doc(
    run_id: str, spider: Any, started_at: datetime, *, pid: int | None = None,
    host: str | None = None,
) -> dict[str, Any]:
    """The document written when a run starts (status "running")."""
    return {
        "_id": run_id,
        "spider": spider.name,
        "site": spider.profile.name,
        # What was asked for; ``mode`` is set again at the end to what was crawled (an
        # incremental run on an empty store crawls in full).
        "mode": getattr(spider, "mode", None),
        "requested_mode": getattr(spider, "requested_mode", getattr(spider, "mode", None)),
        "lang": getattr(spider, "lang", None),
        "base_url": mask_uri(getattr(spider, "base_url", None)) or None,
        "started_at": started_at,
        "finished_at": None,
        "finish_reason": None,
        "status": "running",
        "pid": os.getpid() if pid is None else pid,
        "host": socket.gethostname() if host is None else host,
        "stats": map_stats({}),
    }


def map_stats(stats: Mapping[str, Any]) -> dict[str, Any]:
    """Scrapy stats -> the `crawl_runs.stats` contract; missing keys count as 0.

    >>> s = map_stats({"downloader/request_count": 3, "downloader/response_status_count/200": 2,
    ...                "downloader/response_status_count/404": 1, "log_count/ERROR": 1,
    ...                "spider_exceptions/count": 2, "mongo/articles_new": 2})
    >>> s["requests"], s["pages_by_status"], s["errors"], s["articles_new"], s["rendered"]
    (3, {'200': 2, '404': 1}, 1, 2, 0)
    """
    prefix = "downloader/response_status_count/"

    def get(key: str) -> int:
        return int(stats.get(key) or 0)

    return {
        "requests": get("downloader/request_count"),
        "responses": get("downloader/response_count"),
        "pages_by_status": {
            k[len(prefix):]: int(v) for k, v in sorted(stats.items()) if k.startswith(prefix)
        },
        "articles_new": get("mongo/articles_new"),
        "articles_updated": get("mongo/articles_updated"),
        "articles_unchanged": get("mongo/articles_unchanged"),
        "articles_gone": get("mongo/articles_gone"),
        "not_modified": get("incremental/not_modified"),
        "duplicates": get("dedupe/duplicates"),
        "near_duplicates": get("dedupe/near_duplicates"),
        "rejected": get("mongo/rejects"),
        # Scrapy logs every spider exception at ERROR too: counting both would double them.
        "errors": get("log_count/ERROR"),
        "rendered": get("render/rendered"),
        # Articles stored without body because rendering failed (body_status "render_failed").
        "render_failed": get("render/gave_up"),
        # Parsed article pages (not 304s) by the neighbour links they gave: a template change
        # that hides the pager shows here before anything goes missing.
        # How an incremental run spent its requests (docs/crawling.md).
        "incremental": {
            "edits_found": get("incremental/edits_found"),
            "sitemap_pages_read": get("incremental/sitemap_pages_read"),
            "gone": get("incremental/gone"),
            "sitemap_failed": get("incremental/sitemap_failed"),
            "known_listed": get("incremental/known_listed"),
        },
        "neighbours": {
            "parsed": get("page/article"),
            "with_prev": get("chain/with_prev"),
            "with_next": get("chain/with_next"),
            "none": get("chain/no_neighbour"),
        },
    }


def run_finish_fields(
    stats: Mapping[str, Any], reason: str, finished_at: datetime, mongo_failure: str | None
) -> dict[str, Any]:
    """The fields set when a run ends; a storage failure turns any finish reason into failed.

    >>> from datetime import UTC
    >>> f = run_finish_fields({}, "finished", datetime(2025, 1, 1, tzinfo=UTC), None)
    >>> f["status"], f["finish_reason"]
    ('finished', 'finished')
    >>> day = datetime(2025, 1, 1, tzinfo=UTC)
    >>> run_finish_fields({}, "finished", day, "MongoDB down")["status"]
    'failed'
    >>> run_finish_fields({}, "shutdown", day, None)["status"]
    'failed'
    """
    ok = reason == "finished" and not mongo_failure
    return {
        "status": "finished" if ok else "failed",
        "finish_reason": f"{reason}; {mongo_failure}" if mongo_failure else reason,
        "finished_at": finished_at,
        "stats": map_stats(stats),
    }


def is_stale(run: Mapping[str, Any], now: datetime, host: str, max_age: timedelta) -> bool:
    """A "running" run is stale when its process is gone from this host or it is too old.

    >>> from datetime import UTC
    >>> now = datetime(2025, 1, 2, tzinfo=UTC)
    >>> is_stale({"started_at": now, "host": "h", "pid": 2**22 + 7}, now, "h", timedelta(days=1))
    True
    >>> is_stale({"started_at": now, "host": "other", "pid": 1}, now, "h", timedelta(days=1))
    False
    >>> is_stale({"started_at": now - timedelta(days=2), "host": "other"}, now, "h",
    ...          timedelta(days=1))
    True
    """
    started = run.get("started_at")
    if started is not None and now - started > max_age:
        return True
    pid = run.get("pid")
    return run.get("host") == host and isinstance(pid, int) and not pid_alive(pid)


def mark_stale_runs(
    db: Database[Any], now: datetime, current_id: str, max_age: timedelta,
    host: str | None = None,
) -> list[str]:
    """Mark dead "running" runs failed (so dashboards never show a ghost run); returns ids."""
    host = host or socket.gethostname()
    stale = [
        run["_id"]
        for run in db[RUNS].find(
            {"status": "running", "_id": {"$ne": current_id}},
            {"_id": 1, "started_at": 1, "host": 1, "pid": 1},
        )
        if is_stale(run, now, host, max_age)
    ]
    if stale:
        db[RUNS].update_many(
            {"_id": {"$in": stale}, "status": "running"},
            {"$set": {"status": "failed", "finish_reason": STALE_REASON, "finished_at": now}},
        )
    return stale

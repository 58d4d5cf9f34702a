"""Continue a killed crawl from what it stored, instead of starting over.

Scrapy's JOBDIR cannot resume after SIGKILL (see
:mod:`unsmil_crawler.extensions.jobdir_guard`), but MongoDB knows what a killed run did: its
``crawl_runs`` document never completed, and every article it stored or re-checked has a
``last_seen`` after the run started. The next run of the same mode skips those articles
(their stored ``prev_url`` / ``next_url`` / ``translations`` carry the walk on) and fetches
only what the killed run never wrote. A run that resumes records ``resumed_from`` and
``resume_since`` in its own ``crawl_runs`` document, so if it is killed too, the run after
it resumes from the same point in time.

Settings read: ``RESUME_ENABLED`` (False: a killed run is re-crawled in full, with
conditional requests), ``RESUME_MAX_AGE`` (hours: a killed run older than this is not
resumed; what it stored is re-checked like anything else).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.database import Database
from scrapy.settings import BaseSettings

from unsmil_crawler.items import RENDER_FAILED
from unsmil_crawler.storage.runs import STALE_REASON, is_stale
from unsmil_crawler.storage.schema import RUNS

logger = logging.getLogger(__name__)
_NEVER_STALE = timedelta.max


def was_killed(run: Mapping[str, Any], host: str | None = None) -> bool:
    """True for a run that never completed: marked stale, or "running" with its process gone.

    >>> was_killed({"status": "failed", "finish_reason": STALE_REASON})
    True
    >>> was_killed({"status": "failed", "finish_reason": "shutdown"})
    False
    >>> was_killed({"status": "running", "host": "h", "pid": 2**22 + 7}, host="h")
    True
    """
    if run.get("status") == "failed":
        return run.get("finish_reason") == STALE_REASON
    if run.get("status") != "running":
        return False
    # The age limit is RESUME_MAX_AGE's job; here only a dead process counts.
    return is_stale(run, datetime.now(UTC), host or socket.gethostname(), _NEVER_STALE)


def last_run(db: Database[Any], spider: str, site: str, base_url: str | None,
             current_id: str) -> dict[str, Any] | None:
    """The newest run of this spider on this site before the current one."""
    query = {"_id": {"$ne": current_id}, "spider": spider, "site": site, "base_url": base_url}
    return db[RUNS].find_one(query, sort=[("started_at", -1)])


@dataclass
class ResumePoint:
    """A killed run to continue: what it stored since ``since`` need not be fetched again."""

    run_id: str
    since: datetime
    done: dict[str, dict[str, str]] = field(default_factory=dict)
    """{canonical URL: stored translations} of the articles the killed run(s) wrote."""


def resume_point(run: Mapping[str, Any] | None, mode: str, now: datetime,
                 max_age: timedelta) -> ResumePoint | None:
    """The point to resume ``run`` from, or None when it is not to be resumed.

    Resumed: a killed run of the same (requested) mode that started within ``max_age``.
    If it had itself resumed an earlier killed run, the point is that run's start.

    >>> now = datetime(2025, 5, 2, tzinfo=UTC)
    >>> killed = {"_id": "r1", "mode": "full", "status": "failed", "finish_reason": STALE_REASON,
    ...           "started_at": now - timedelta(hours=3)}
    >>> resume_point(killed, "full", now, timedelta(hours=48)).since == killed["started_at"]
    True
    >>> resume_point(killed, "incremental", now, timedelta(hours=48)) is None
    True
    >>> resume_point(killed, "full", now, timedelta(hours=2)) is None  # too old
    True
    """
    if run is None or run.get("mode") != mode or not was_killed(run):
        return None
    started = run.get("started_at")
    if started is None or now - _aware(started) > max_age:
        return None
    since = run.get("resume_since") or started
    return ResumePoint(str(run["_id"]), _aware(since))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def load_done(db: Database[Any], point: ResumePoint, site: str, langs: Iterable[str]) -> None:
    """Fill ``point.done``: stored articles of ``langs`` seen since the killed run began
    (but not those stored without body: they are rendered again)."""
    query = {"site": site, "lang": {"$in": list(langs)}, "gone_since": None,
             "last_seen": {"$gte": point.since}, "body_status": {"$ne": RENDER_FAILED}}
    for doc in db.articles.find(query, {"_id": 0, "url": 1, "translations": 1}):
        point.done[doc["url"]] = doc.get("translations") or {}


def plan_resume(db: Database[Any], settings: BaseSettings, *, spider: str, base_url: str | None,
                run_id: str, site: str, mode: str, langs: Iterable[str]
                ) -> tuple[dict[str, Any] | None, ResumePoint | None]:
    """(the previous run if it was killed, the point to resume it from) for a run starting.

    The resume point is recorded in this run's ``crawl_runs`` document and its finished
    articles are loaded; None when there is nothing to resume (see :func:`resume_point`).
    """
    run = last_run(db, spider, site, base_url, run_id)
    killed = run if run is not None and was_killed(run) else None
    if killed is None or not settings.getbool("RESUME_ENABLED"):
        return killed, None
    point = resume_point(killed, mode, datetime.now(UTC),
                         timedelta(hours=settings.getfloat("RESUME_MAX_AGE")))
    if point is None:
        logger.info("Not resuming killed run %s (another mode, or older than RESUME_MAX_AGE)",
                    killed["_id"])
        return killed, None
    load_done(db, point, site, langs)
    record_resume(db, run_id, point)
    logger.warning("Resuming killed run %s: %d articles it stored since %s are not fetched "
                   "again", point.run_id, len(point.done), point.since)
    return killed, point


def record_resume(db: Database[Any], run_id: str, point: ResumePoint) -> None:
    """Note in this run's ``crawl_runs`` document which run it continues, and from when."""
    db[RUNS].update_one({"_id": run_id}, {"$set": {
        "resumed_from": point.run_id, "resume_since": point.since,
        "resumed_articles": len(point.done)}})

"""``unsmil-crawler demo``: the whole pipeline against the built-in offline site, no network.

Starts the offline UNSMIL site on a free 127.0.0.1 port in a thread, runs a full crawl
with ``ROBOTSTXT_OBEY`` on and AutoThrottle off into the ``unsmil_demo`` database (of the
zero-setup server, or of ``--mongo-uri``), then prints what MongoDB holds. A separate
database and JOBDIR keep the demo from mixing with, or resuming, a real crawl.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from scrapy.settings import Settings

from unsmil_crawler.cli.crawl import crawl

DEMO_DATABASE = "unsmil_demo"


def demo_overrides() -> dict[str, str]:
    """Settings the demo pins: polite to robots.txt, fast on localhost, its own database."""
    return {
        "ROBOTSTXT_OBEY": "True",
        "AUTOTHROTTLE_ENABLED": "False",
        "MONGO_DATABASE": DEMO_DATABASE,
    }


def summarize(db: Any, since: datetime, crawler_stats: Mapping[str, Any]) -> dict[str, Any]:
    """What the run stored, read back from MongoDB.

    Run counters come from this run's ``crawl_runs`` document; when the run was not
    recorded there (extension disabled), from the crawler's own stats, mapped the same way.
    """
    from unsmil_crawler.storage.runs import map_stats

    run = db.crawl_runs.find_one({"started_at": {"$gte": since}}, sort=[("started_at", -1)])
    stats: Mapping[str, Any] = (run or {}).get("stats") or map_stats(crawler_stats)
    per_lang = {
        row["_id"]: row["n"]
        for row in db.articles.aggregate([{"$group": {"_id": "$lang", "n": {"$sum": 1}}}])
    }
    return {
        "articles": dict(sorted(per_lang.items())),
        "rejects": stats.get("rejected", 0),
        "duplicates": stats.get("duplicates", 0),
        "near_duplicates": stats.get("near_duplicates", 0),
        "requests": stats.get("requests", 0),
    }


def format_summary(summary: Mapping[str, Any], wall: float) -> str:
    """The short report printed at the end.

    >>> print(format_summary({"articles": {"ar": 3, "en": 4}, "rejects": 1, "duplicates": 2,
    ...                       "near_duplicates": 0, "requests": 30}, 12.34))
    articles: ar 3, en 4 (total 7)
    rejects: 1  duplicates: 2  near duplicates: 0
    requests: 30  wall time: 12.3s
    """
    articles = summary["articles"]
    per_lang = ", ".join(f"{lang} {n}" for lang, n in articles.items()) or "none"
    return (
        f"articles: {per_lang} (total {sum(articles.values())})\n"
        f"rejects: {summary['rejects']}  duplicates: {summary['duplicates']}  "
        f"near duplicates: {summary['near_duplicates']}\n"
        f"requests: {summary['requests']}  wall time: {wall:.1f}s"
    )


def demo(settings: Settings, *, mongo_uri: str | None, json_logs: bool) -> int:
    """Serve the offline site, crawl it fully, print the summary; returns the crawl's exit code."""
    from unsmil_crawler.cli.crawl import EXIT_LOCKED
    from unsmil_crawler.cli.reports import database
    from unsmil_testsite import SiteServer, build_site

    overrides = demo_overrides()
    started, started_at = time.monotonic(), datetime.now(UTC)
    server = SiteServer(build_site())
    server.start()
    try:
        outcome = crawl(
            settings,
            {"mode": "full", "base_url": server.url},
            mongo_uri=mongo_uri,
            overrides=overrides,
            json_logs=json_logs,
            jobdir_name="demo",
        )
    finally:
        server.stop()
    wall = time.monotonic() - started
    print(f"demo crawl: {outcome.summary}")
    if outcome.code == EXIT_LOCKED:
        return outcome.code
    # crawl() already put --mongo-uri and MONGO_DATABASE into these settings.
    summary = summarize(database(settings), started_at, outcome.stats)
    print(format_summary(summary, wall))
    return outcome.code

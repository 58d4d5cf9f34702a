"""``unsmil-crawler demo``: the whole pipeline against the built-in offline site, no network.

Starts the offline UNSMIL site on a free 127.0.0.1 port in a thread, runs a full crawl
with ``ROBOTSTXT_OBEY`` on and AutoThrottle off into the ``unsmil_demo`` database (or
``--database``; of the zero-setup server, or of ``--mongo-uri``), then prints what MongoDB
holds and the commands to look at it. A separate database and JOBDIR keep the demo from
mixing with, or resuming, a real crawl.

Repeatable: the site gets a new free port every time, so each demo first empties its own
database (:func:`reset_demo_database`) rather than re-check the last demo's URLs on a dead
port. A fixed port could be taken; storing under a fixed fake host would need the crawler
to rewrite URLs, which no real crawl wants. An empty database is what a demo shows anyway.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pymongo.errors import PyMongoError
from scrapy.settings import SETTINGS_PRIORITIES, Settings

from unsmil_crawler.cli.crawl import crawl
from unsmil_crawler.cli.errors import (
    EXIT_CANT_CREATE,
    EXIT_FAILED,
    EXIT_LOCKED,
    EXIT_USAGE,
    UserError,
)

DEMO_DATABASE = "unsmil_demo"


def demo_overrides() -> dict[str, str]:
    """Settings the demo pins: polite to robots.txt, fast on localhost."""
    return {"ROBOTSTXT_OBEY": "True", "AUTOTHROTTLE_ENABLED": "False"}


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


def reset_demo_database(db: Any) -> None:
    """Empty ``db`` so a demo run gives the same result every time, whatever port the
    offline site got: the stored URLs of the last demo name a port that is gone, and
    re-checking them would turn one archive into duplicates and revisions.

    Refuses (one line, exit 2) a database holding anything but demo crawls of 127.0.0.1,
    so ``--database unsmil`` cannot empty the real archive.
    """
    local = {"$not": {"$regex": r"^http://127\.0\.0\.1:"}}
    foreign = (db.crawl_runs.find_one({"base_url": local}, {"_id": 1})
               or db.articles.find_one({"url": local}, {"_id": 1}))
    if foreign is not None:
        raise UserError(
            f"database {db.name!r} holds crawls of another site; the demo empties its "
            "database first, so choose a demo database with --database", EXIT_USAGE)
    db.client.drop_database(db.name)


def look_commands(database: str, mongo_uri: str | None) -> str:
    """The exact commands that show what the demo stored.

    >>> print(look_commands("unsmil_demo", None))
    look at what the demo stored (from this directory):
      unsmil-crawler status --database unsmil_demo
      unsmil-crawler health --database unsmil_demo
      unsmil-crawler export --format jsonl --database unsmil_demo -o demo.jsonl
      unsmil-crawler export --format jsonl --database unsmil_demo --search Sirte
    """
    from unsmil_crawler.storage.connection import mask_uri

    where = f"--database {database}"
    if mongo_uri:
        where += f" --mongo-uri '{mask_uri(mongo_uri)}'"
    return "\n".join([
        "look at what the demo stored (from this directory):",
        f"  unsmil-crawler status {where}",
        f"  unsmil-crawler health {where}",
        f"  unsmil-crawler export --format jsonl {where} -o demo.jsonl",
        f"  unsmil-crawler export --format jsonl {where} --search Sirte",
    ])


def demo(settings: Settings, *, database: str | None, json_logs: bool) -> int:
    """Serve the offline site, crawl it fully into an emptied demo database, print the
    summary and the commands to look at it; returns the crawl's exit code."""
    from unsmil_crawler.cli.reports import database as connect
    from unsmil_testsite import SiteServer, build_site

    name = database or DEMO_DATABASE
    overrides = {**demo_overrides(), "MONGO_DATABASE": name}
    settings.set("MONGO_DATABASE", name, priority="cmdline")
    try:
        reset_demo_database(connect(settings))
    except PyMongoError as exc:
        raise UserError(f"MongoDB unreachable ({type(exc).__name__})", EXIT_FAILED) from None
    started, started_at = time.monotonic(), datetime.now(UTC)
    server = SiteServer(build_site())
    server.start()
    try:
        outcome = crawl(
            settings,
            {"mode": "full", "base_url": server.url},
            overrides=overrides,
            json_logs=json_logs,
            jobdir_name="demo",
        )
    finally:
        server.stop()
    wall = time.monotonic() - started
    print(f"demo crawl: {outcome.summary}")
    if outcome.code in (EXIT_LOCKED, EXIT_CANT_CREATE):
        return outcome.code
    summary = summarize(connect(settings), started_at, outcome.stats)
    print(format_summary(summary, wall))
    print(look_commands(name, settings.get("MONGO_URI") if settings.getpriority("MONGO_URI")
                        == SETTINGS_PRIORITIES["cmdline"] else None))
    return outcome.code

"""``status``, ``health``, ``export``, ``load-spill``: the commands that only read or load MongoDB.

They reach the database through ``unsmil_crawler.storage.connection.get_database``, which
reads ``MONGO_URI`` / ``MONGO_DATABASE`` (``--mongo-uri`` sets the first at cmdline priority)
and starts the zero-setup server when none is configured.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from scrapy.settings import Settings

from unsmil_crawler.cli.errors import EXIT_CANT_CREATE, UserError
from unsmil_crawler.cli.export import build_query, export
from unsmil_crawler.cli.health import HealthResult, check_health
from unsmil_crawler.storage.schema import RUNS, site_query

HEALTH_HISTORY = 60
"""How many recent runs ``health`` reads: enough for a stable median of the usual yield."""


def database(settings: Settings) -> Any:
    """The project database (``--mongo-uri`` / ``--database`` are already in ``settings``)."""
    from unsmil_crawler.storage.connection import get_database

    return get_database(settings)


def recent_runs(db: Any, limit: int, site: str | None = None) -> list[dict]:
    """The newest ``limit`` crawl_runs documents (of ``site``, or of every site), newest first."""
    query = site_query(site) if site else {}
    return list(db[RUNS].find(query).sort([("started_at", -1), ("_id", -1)]).limit(limit))


def _duration(run: Mapping[str, Any]) -> str:
    start, end = run.get("started_at"), run.get("finished_at")
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        return "-"
    minutes, seconds = divmod(int((end - start).total_seconds()), 60)
    return f"{minutes}m{seconds:02d}s"


def _stat(run: Mapping[str, Any], key: str) -> str:
    return str((run.get("stats") or {}).get(key, 0))


def format_runs_table(runs: Iterable[Mapping[str, Any]]) -> str:
    """Render runs as an aligned text table, one run per line.

    >>> print(format_runs_table([{"started_at": datetime(2024, 5, 1, 3, 0),
    ...     "finished_at": datetime(2024, 5, 1, 3, 2, 5), "mode": "incremental",
    ...     "status": "finished", "stats": {"requests": 41, "articles_new": 3,
    ...     "articles_updated": 1, "articles_unchanged": 5}}]))
    started           mode         status    duration  requests  new/upd/unch  rejected  errors
    2024-05-01 03:00  incremental  finished  2m05s     41        3/1/5         0         0
    """
    header = (
        "started", "mode", "status", "duration", "requests", "new/upd/unch", "rejected", "errors"
    )
    rows = [header]
    for run in runs:
        started = run.get("started_at")
        rows.append((
            started.strftime("%Y-%m-%d %H:%M") if isinstance(started, datetime) else "-",
            str(run.get("mode", "-")),
            str(run.get("status", "-")),
            _duration(run),
            _stat(run, "requests"),
            "/".join(_stat(run, k) for k in ("articles_new", "articles_updated",
                                             "articles_unchanged")),
            _stat(run, "rejected"),
            _stat(run, "errors"),
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def status(db: Any, limit: int, *, site: str | None = None) -> int:
    runs = recent_runs(db, limit, site)
    if not runs:
        print("no crawl runs recorded yet")
        return 0
    print(format_runs_table(runs))
    return 0


def health(
    db: Any, *, site: str, max_age: timedelta, max_error_rate: float, min_ratio: float,
    min_baseline: int = 3,
) -> HealthResult:
    """Judge one site's recent runs (its own medians); the caller prints and exits."""
    return check_health(
        recent_runs(db, HEALTH_HISTORY, site),
        datetime.now(UTC),
        max_age=max_age,
        max_error_rate=max_error_rate,
        min_ratio=min_ratio,
        min_baseline=min_baseline,
    )


def export_articles(
    db: Any,
    fmt: str,
    output: str | None,
    *,
    lang: str | None,
    site: str | None = None,
    since: date | None,
    until: date | None,
    search: str | None = None,
) -> int:
    """Write the export to ``output`` (``-`` or None: stdout); returns the article count."""
    query = {**build_query(lang, since, until, search), **(site_query(site) if site else {})}
    if output in (None, "-"):
        return export(db, fmt, sys.stdout, query)
    # Write beside the target and rename, so a reader never sees half an export.
    target = Path(output)
    partial = target.with_name(f".{target.name}.partial")
    try:
        out = partial.open("w", encoding=file_encoding(fmt), newline="")
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror or exc}", EXIT_CANT_CREATE) from None
    try:
        with out:
            count = export(db, fmt, out, query)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return count


def file_encoding(fmt: str) -> str:
    """UTF-8, with a byte-order mark for CSV files: without it Excel guesses a legacy code
    page and shows Arabic as mojibake. (stdout stays plain UTF-8 for pipes.)

    >>> file_encoding("csv"), file_encoding("jsonl")
    ('utf-8-sig', 'utf-8')
    """
    return "utf-8-sig" if fmt == "csv" else "utf-8"


def load_spill(db: Any, path: str) -> Any:
    """Replay a spill file (writes kept on disk while MongoDB was down) into the database."""
    from unsmil_crawler.storage.spill import load_spill as load

    return load(Path(path), db)

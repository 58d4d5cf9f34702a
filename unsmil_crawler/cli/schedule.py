"""``unsmil-crawler schedule``: run ``crawl`` then ``health`` on a cron expression, forever.

For containers, where there is no cron daemon: docker compose runs this as the crawler
service's command. Each crawl is a child process because Twisted's reactor cannot run
twice in one process; SIGTERM (``docker stop``) is passed on to the running crawl so
Scrapy closes cleanly and keeps its JOBDIR for the next run. croniter computes the times.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from types import FrameType

from croniter import croniter

logger = logging.getLogger(__name__)


def next_run(expression: str, after: datetime) -> datetime:
    """The first time strictly after ``after`` matching the cron expression (UTC).

    >>> next_run("17 3 * * *", datetime(2024, 5, 1, 3, 17, tzinfo=UTC))
    datetime.datetime(2024, 5, 2, 3, 17, tzinfo=datetime.timezone.utc)
    """
    return croniter(expression, after).get_next(datetime)


def validate(expression: str) -> str:
    """Return the expression if croniter accepts it, else raise ValueError.

    >>> validate("17 3 * * *")
    '17 3 * * *'
    >>> validate("every day")
    Traceback (most recent call last):
    ...
    ValueError: not a cron expression: 'every day'
    """
    if not croniter.is_valid(expression):
        raise ValueError(f"not a cron expression: {expression!r}")
    return expression


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "unsmil_crawler.cli", *args]


def run_once(crawl_args: Sequence[str], health_args: Sequence[str]) -> int:
    """One crawl child, then a health child if it succeeded; returns the worse exit code."""
    crawl = subprocess.Popen(_cli("crawl", *crawl_args))

    def forward(signum: int, _frame: FrameType | None) -> None:
        crawl.send_signal(signum)
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, forward)
    try:
        code = crawl.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
        if crawl.poll() is None:
            crawl.wait()
    logger.info("crawl exited %d", code)
    if code != 0:
        return code
    health = subprocess.run(_cli("health", *health_args), check=False).returncode
    logger.info("health exited %d", health)
    return health


def connection_args(crawl_args: Sequence[str]) -> list[str]:
    """The ``--mongo-uri`` / ``--database`` among the crawl options: health must judge the
    database the crawl wrote to.

    >>> connection_args(["--mode", "full", "--database", "d", "--mongo-uri=mongodb://h/"])
    ['--database', 'd', '--mongo-uri', 'mongodb://h/']
    """
    found: list[str] = []
    args = iter(crawl_args)
    for arg in args:
        name, eq, value = arg.partition("=")
        if name in ("--mongo-uri", "--database"):
            found += [name, value if eq else next(args, "")]
    return found


def schedule(
    expression: str,
    crawl_args: Sequence[str],
    health_args: Sequence[str] | None = None,
    *,
    runs: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> int:
    """Sleep until each matching time and run once; ``runs`` bounds the loop (tests, --runs)."""
    code = 0
    done = 0
    while runs is None or done < runs:
        due = next_run(expression, clock())
        logger.info("next crawl at %s", due.isoformat())
        sleep(max((due - clock()).total_seconds(), 0.0))
        code = run_once(crawl_args,
                        connection_args(crawl_args) if health_args is None else health_args)
        done += 1
    return code

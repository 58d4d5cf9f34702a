"""``unsmil-crawler crawl``: one locked, resumable run of the ``unsmil_news`` spider in-process.

Settings read (``-s NAME=VALUE``, settings.py, or the environment variable of that name):

* ``UNSMIL_STATE_DIR`` (default ``var/state``): holds ``crawl.lock`` and ``jobdir/<mode>``.
* ``JOBDIR``: left alone when given explicitly; otherwise ``<state>/jobdir/<mode>`` so a
  run stopped gracefully resumes its queue next time (after SIGKILL,
  :mod:`unsmil_crawler.extensions.jobdir_guard` starts over instead, cheaply, with
  conditional requests). It is removed after a run whose
  ``finish_reason`` is ``finished``: a kept JOBDIR would make Scrapy's dupefilter skip
  every URL the next daily run needs to revisit.
* ``CRAWL_MAX_ERROR_RATE`` (default 0.05, as ``health``): highest ``log_count/ERROR`` /
  ``downloader/request_count`` of a run that still exits 0.
* ``PROGRESS_ENABLED`` / ``PROGRESS_INTERVAL`` (see ``unsmil_crawler.extensions.progress``).
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from scrapy.settings import Settings

from unsmil_crawler.cli.errors import EXIT_CANT_CREATE, EXIT_FAILED, EXIT_LOCKED, EXIT_OK
from unsmil_crawler.cli.health import DEFAULT_MAX_ERROR_RATE
from unsmil_crawler.commands import record_runs
from unsmil_crawler.extensions.progress import articles_found, articles_stored

SPIDER = "unsmil_news"
PROGRESS_EXTENSION = "unsmil_crawler.extensions.progress.ProgressLine"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CrawlOutcome:
    """What ``crawl`` reports: the exit code, a one-line summary, Scrapy's final stats."""

    code: int
    summary: str
    stats: dict[str, Any] = field(default_factory=dict)


class LockBusy(Exception):
    """Another process holds the crawl lock; the message names it."""


def state_dir(settings: Settings) -> Path:
    """Where the lock and JOBDIRs live: setting, then environment, then ``var/state``."""
    configured = settings.get("UNSMIL_STATE_DIR") or os.environ.get("UNSMIL_STATE_DIR")
    return Path(configured or "var/state")


@contextmanager
def crawl_lock(path: Path) -> Iterator[IO[str]]:
    """Hold an exclusive, non-blocking ``flock`` on ``path`` for the block, or raise LockBusy.

    flock (not a pid file) because the kernel drops it when the holder dies, even by
    SIGKILL, so a crashed run never blocks the next one. The file is opened without
    truncation so a refused caller changes nothing; the holder writes its pid for humans.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise LockBusy(f"another crawl is running (pid {holder}, lock {path})") from None
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield handle
    finally:
        handle.close()


def crawl_exit_code(
    stats: Mapping[str, Any], max_error_rate: float = DEFAULT_MAX_ERROR_RATE
) -> tuple[int, str]:
    """Map the final Scrapy stats to the process exit code and a one-line summary.

    A few logged errors (one "Gave up retrying") do not fail the run, up to the error rate
    ``health`` also tolerates: so cron does not mail, and systemd still runs health.
    Errors without any request (the spider broke before crawling) always fail.

    >>> crawl_exit_code({"finish_reason": "finished", "response_received_count": 9,
    ...                  "page/article": 5, "incremental/not_modified": 2,
    ...                  "mongo/articles_new": 4, "item_scraped_count": 12})
    (0, 'finished: 9 responses, 7 articles found, 4 new or updated')
    >>> crawl_exit_code({"finish_reason": "shutdown"})[0]
    1
    >>> crawl_exit_code({"finish_reason": "finished", "mongo/failed": 2})
    (1, 'storage failed: mongo/failed=2')
    >>> crawl_exit_code({"finish_reason": "finished", "log_count/ERROR": 1,
    ...                  "downloader/request_count": 100, "response_received_count": 99})
    (0, 'finished: 99 responses, 0 articles found, 0 new or updated, 1 errors (1.0%)')
    >>> crawl_exit_code({"finish_reason": "finished", "log_count/ERROR": 6,
    ...                  "downloader/request_count": 100})
    (1, 'error rate 6.0% (6 errors / 100 requests) > 5.0%')
    """
    reason = stats.get("finish_reason")
    if reason != "finished":
        return EXIT_FAILED, f"crawl did not finish: finish_reason={reason}"
    if stats.get("mongo/failed"):
        return EXIT_FAILED, f"storage failed: mongo/failed={stats['mongo/failed']}"
    errors = int(stats.get("log_count/ERROR") or 0)
    requests = int(stats.get("downloader/request_count") or 0)
    if errors and not requests:
        return EXIT_FAILED, f"{errors} errors and no request made"
    rate = errors / requests if requests else 0.0
    if rate > max_error_rate:
        return EXIT_FAILED, (
            f"error rate {rate:.1%} ({errors} errors / {requests} requests) > {max_error_rate:.1%}"
        )
    pages = int(stats.get("response_received_count") or 0)
    summary = (f"finished: {pages} responses, {articles_found(stats)} articles found, "
               f"{articles_stored(stats)} new or updated")
    return EXIT_OK, summary + (f", {errors} errors ({rate:.1%})" if errors else "")


def parse_setting_pairs(pairs: list[str]) -> dict[str, str]:
    """``-s NAME=VALUE`` pairs to a dict, as ``scrapy crawl -s`` does.

    >>> parse_setting_pairs(["LOG_LEVEL=DEBUG", "X=a=b"])
    {'LOG_LEVEL': 'DEBUG', 'X': 'a=b'}
    >>> parse_setting_pairs(["oops"])
    Traceback (most recent call last):
    ...
    ValueError: -s expects NAME=VALUE, got 'oops'
    """
    parsed: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ValueError(f"-s expects NAME=VALUE, got {pair!r}")
        parsed[name] = value
    return parsed


def apply_crawl_settings(
    settings: Settings,
    *,
    overrides: Mapping[str, str],
    mongo_uri: str | None,
    progress: bool,
    jobdir: Path,
    json_logs: bool = False,
) -> Path | None:
    """Layer ``-s`` pairs, then the explicit options, at ``cmdline`` priority.

    Returns the JOBDIR it set, or None when the user chose one (theirs to clean up).
    """
    settings.setdict(dict(overrides), priority="cmdline")
    record_runs(settings)
    if mongo_uri:
        settings.set("MONGO_URI", mongo_uri, priority="cmdline")
    if progress:
        settings.set("PROGRESS_ENABLED", True, priority="cmdline")
        if json_logs:  # every line on stderr stays JSON: progress comes as log records
            settings.set("PROGRESS_BAR", False, priority="cmdline")
        extensions = settings.getdict("EXTENSIONS")
        extensions.setdefault(PROGRESS_EXTENSION, 500)
        settings.set("EXTENSIONS", extensions, priority="cmdline")
    if settings.get("JOBDIR"):
        return None
    settings.set("JOBDIR", str(jobdir), priority="cmdline")
    return jobdir


def run_spider(settings: Settings, spider_args: Mapping[str, str], *, json_logs: bool) -> dict:
    """Run the spider to completion in this process and return its final stats.

    Twisted's reactor cannot be restarted, so this runs at most once per process.
    """
    from scrapy.crawler import CrawlerProcess

    from unsmil_crawler.cli.logs import use_json_logging

    if json_logs:
        use_json_logging(settings)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SPIDER)
    process.crawl(crawler, **spider_args)
    process.start()
    return dict(crawler.stats.get_stats())


def crawl(
    settings: Settings,
    spider_args: Mapping[str, str],
    *,
    mongo_uri: str | None = None,
    overrides: Mapping[str, str] | None = None,
    progress: bool = False,
    json_logs: bool = False,
    jobdir_name: str | None = None,
) -> CrawlOutcome:
    """Lock, check MongoDB answers, run, and clear ``<state>/jobdir/<jobdir_name or mode>``
    after a clean finish. MongoDB is checked first so that an outage is one line and exit 1,
    not a crawl that fails in every component."""
    from unsmil_crawler.storage.connection import MongoUnavailable, require_database

    overrides = dict(overrides or {})
    state = Path(overrides.get("UNSMIL_STATE_DIR") or state_dir(settings))
    mode = spider_args.get("mode", "incremental")
    try:
        state.mkdir(parents=True, exist_ok=True)
        (state / "crawl.lock").open("a").close()
    except OSError as exc:
        return CrawlOutcome(EXIT_CANT_CREATE,
                            f"cannot use state directory {state}: {exc.strerror or exc}")
    try:
        with crawl_lock(state / "crawl.lock"):
            own_jobdir = apply_crawl_settings(
                settings,
                overrides=overrides,
                mongo_uri=mongo_uri,
                progress=progress,
                jobdir=state / "jobdir" / (jobdir_name or mode),
                json_logs=json_logs,
            )
            try:
                require_database(settings)
            except MongoUnavailable as exc:
                return CrawlOutcome(EXIT_FAILED, str(exc))
            stats = run_spider(settings, spider_args, json_logs=json_logs)
            if stats.get("finish_reason") == "finished" and own_jobdir is not None:
                shutil.rmtree(own_jobdir, ignore_errors=True)
            max_rate = settings.getfloat("CRAWL_MAX_ERROR_RATE", DEFAULT_MAX_ERROR_RATE)
            return CrawlOutcome(*crawl_exit_code(stats, max_rate), stats)
    except LockBusy as busy:
        return CrawlOutcome(EXIT_LOCKED, str(busy))

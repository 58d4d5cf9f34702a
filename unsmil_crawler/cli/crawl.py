"""``unsmil-crawler crawl``: one locked, resumable run of the news spider in-process.

The spider is the project's one spider, found by its name through ``SPIDER_MODULES``; the
site it crawls is its ``site`` argument (``--site``), so a second site needs no change here.
One lock for every site: a host crawls one site at a time.

Settings read (``-s NAME=VALUE``, settings.py, or the environment variable of that name;
defaults in :mod:`unsmil_crawler.addon`):

* ``UNSMIL_STATE_DIR``: holds ``crawl.lock`` and ``jobdir/<site>/<mode>``.
* ``JOBDIR``: left alone when given explicitly; otherwise ``<state>/jobdir/<site>/<mode>`` so a
  run stopped gracefully resumes its queue next time (after SIGKILL,
  :mod:`unsmil_crawler.extensions.jobdir_guard` starts over instead, cheaply, with
  conditional requests). It is removed after a run whose
  ``finish_reason`` is ``finished``: a kept JOBDIR would make Scrapy's dupefilter skip
  every URL the next daily run needs to revisit.
* ``UNSMIL_MAX_ERROR_RATE`` (as ``health --max-error-rate``): highest ``log_count/ERROR`` /
  ``downloader/request_count`` of a run that still exits 0.
* ``PROGRESS_ENABLED`` / ``PROGRESS_INTERVAL`` / ``PROGRESS_BAR`` (see
  ``unsmil_crawler.extensions.progress``).
* ``CRAWL_RUNS_ENABLED``: turned on (this is a real crawl) unless ``-s`` says otherwise.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scrapy.settings import Settings

from unsmil_crawler.cli.errors import EXIT_CANT_CREATE, EXIT_FAILED, EXIT_LOCKED, EXIT_OK
from unsmil_crawler.commands import record_runs
from unsmil_crawler.extensions.progress import articles_found, articles_stored
from unsmil_crawler.sites import DEFAULT_SITE

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


PROGRESS_EXTENSION = "unsmil_crawler.extensions.progress.ProgressLine"
RUN_CONTEXT_EXTENSION = "unsmil_crawler.extensions.run_context.RunContext"

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
    """Where the lock and JOBDIRs live."""
    return Path(settings["UNSMIL_STATE_DIR"])


@contextmanager
def crawl_lock(path: Path, wait: float = 0.0) -> Iterator[IO[str]]:
    """Hold an exclusive ``flock`` on ``path`` for the block, waiting up to ``wait`` seconds
    for another holder; LockBusy when it is still held then.

    flock (not a pid file) because the kernel drops it when the holder dies, even by
    SIGKILL, so a crashed run never blocks the next one. The file is opened without
    truncation so a refused caller changes nothing; the holder writes its pid for humans.
    A wait lets the weekly full run queue behind a daily one still going.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() < deadline:
                    time.sleep(0.2)
                    continue
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                raise LockBusy(f"another crawl is running (pid {holder}, lock {path}; "
                               f"waited {wait:g}s)") from None
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield handle
    finally:
        handle.close()


@dataclass(frozen=True)
class RunOutcome:
    """How a crawl went, from the components that own each fact (never from its stats)."""

    finish_reason: str | None
    requests: int = 0
    responses: int = 0
    items: int = 0
    errors: int = 0
    storage_failure: str | None = None
    articles_found: int = 0
    """Reported in the summary only (items also count alias and 304 bookkeeping rows)."""
    articles_stored: int = 0
    start_failure: str | None = None
    """Why the crawl never started (e.g. an unwritable ``WARC_DIR``), when it did not."""

    @classmethod
    def of(cls, crawler: Crawler) -> RunOutcome:
        from unsmil_crawler.extensions.crawl_runs import storage_failure
        from unsmil_crawler.extensions.run_context import run_context

        context = run_context(crawler)
        report = crawler.stats.get_stats()
        return cls(context.finish_reason, context.requests, context.responses, context.items,
                   context.errors, storage_failure(crawler), articles_found(report),
                   articles_stored(report))


def crawl_exit_code(outcome: RunOutcome, max_error_rate: float) -> tuple[int, str]:
    """Map how the crawl went to the process exit code and a one-line summary.

    A few logged errors (one "Gave up retrying") do not fail the run, up to the error rate
    ``health`` also tolerates: so cron does not mail, and systemd still runs health.
    Errors without any request (the spider broke before crawling) always fail.

    >>> crawl_exit_code(RunOutcome("finished", responses=9, items=12, articles_found=7,
    ...                            articles_stored=4), 0.05)
    (0, 'finished: 9 responses, 7 articles found, 4 new or updated')
    >>> crawl_exit_code(RunOutcome("shutdown"), 0.05)[0]
    1
    >>> crawl_exit_code(RunOutcome(None, start_failure="WARC_DIR /x is not writable"), 0.05)
    (1, 'crawl did not start: WARC_DIR /x is not writable')
    >>> crawl_exit_code(RunOutcome("finished", storage_failure="MongoDB unreachable"), 0.05)
    (1, 'storage failed: MongoDB unreachable')
    >>> crawl_exit_code(RunOutcome("finished", requests=100, responses=99, errors=1), 0.05)
    (0, 'finished: 99 responses, 0 articles found, 0 new or updated, 1 errors (1.0%)')
    >>> crawl_exit_code(RunOutcome("finished", requests=100, errors=6), 0.05)
    (1, 'error rate 6.0% (6 errors / 100 requests) > 5.0%')
    """
    reason = outcome.finish_reason
    if reason is None and outcome.start_failure:
        return EXIT_FAILED, f"crawl did not start: {outcome.start_failure}"
    if reason != "finished":
        return EXIT_FAILED, f"crawl did not finish: finish_reason={reason}"
    if outcome.storage_failure:
        return EXIT_FAILED, f"storage failed: {outcome.storage_failure}"
    errors, requests = outcome.errors, outcome.requests
    if errors and not requests:
        return EXIT_FAILED, f"{errors} errors and no request made"
    rate = errors / requests if requests else 0.0
    if rate > max_error_rate:
        return EXIT_FAILED, (
            f"error rate {rate:.1%} ({errors} errors / {requests} requests) > {max_error_rate:.1%}"
        )
    summary = (f"finished: {outcome.responses} responses, {outcome.articles_found} articles "
               f"found, {outcome.articles_stored} new or updated")
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
        # Also without the add-on (ADDONS={}): --progress is the command line's own option.
        settings.set("PROGRESS_ENABLED", True, priority="cmdline")
        if json_logs:  # every line on stderr stays JSON: progress comes as log records
            settings.set("PROGRESS_BAR", False, priority="cmdline")
        settings["EXTENSIONS"].set(PROGRESS_EXTENSION, 510, priority="cmdline")
    # The exit code is computed from the run context: present also without the add-on.
    settings["EXTENSIONS"].set(RUN_CONTEXT_EXTENSION, 50, priority="cmdline")
    if settings.get("JOBDIR"):
        return None
    settings.set("JOBDIR", str(jobdir), priority="cmdline")
    return jobdir


DEDUPE_PIPELINE = "unsmil_crawler.pipelines.dedupe.DedupePipeline"


def needs_database_at_start(settings: Settings) -> bool:
    """Whether the crawl cannot start without MongoDB: the dedupe stage loads the stored
    signatures when it opens. Without it (switched off with ``-s``), storage buffers and
    spills through an outage, so a crawl may start while MongoDB is down."""
    pipelines = settings["ITEM_PIPELINES"]
    return not (DEDUPE_PIPELINE in pipelines and pipelines[DEDUPE_PIPELINE] is None)


def run_spider(
    settings: Settings, spider_args: Mapping[str, str], *, json_logs: bool
) -> tuple[RunOutcome, dict[str, Any]]:
    """Run the spider to completion in this process: how it went, and its final stats.

    Twisted's reactor cannot be restarted, so this runs at most once per process.
    """
    from scrapy.crawler import CrawlerProcess

    from unsmil_crawler.cli.logs import use_json_logging

    if json_logs:
        use_json_logging(settings)
    process = CrawlerProcess(settings)
    from unsmil_crawler.spiders.unsmil_news import UnsmilNewsSpider

    crawler = process.create_crawler(UnsmilNewsSpider.name)
    failures: list[str] = []
    process.crawl(crawler, **spider_args).addErrback(
        lambda failure: failures.append(failure.getErrorMessage()))
    process.start()
    if failures:  # no engine, no components to ask: only why it did not start
        return RunOutcome(None, start_failure=failures[0]), dict(crawler.stats.get_stats())
    return RunOutcome.of(crawler), dict(crawler.stats.get_stats())


def crawl(
    settings: Settings,
    spider_args: Mapping[str, str],
    *,
    mongo_uri: str | None = None,
    overrides: Mapping[str, str] | None = None,
    progress: bool = False,
    json_logs: bool = False,
    jobdir_name: str | None = None,
    lock_wait: float = 0.0,
) -> CrawlOutcome:
    """Lock, check MongoDB answers, run, and clear
    ``<state>/jobdir/<site>/<jobdir_name or mode>`` after a clean finish: each site resumes
    its own queue. MongoDB is checked first so that an outage is one line and exit 1, not a
    crawl that fails in every component."""
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
        with crawl_lock(state / "crawl.lock", lock_wait):
            own_jobdir = apply_crawl_settings(
                settings,
                overrides=overrides,
                mongo_uri=mongo_uri,
                progress=progress,
                jobdir=state / "jobdir" / spider_args.get("site", DEFAULT_SITE)
                / (jobdir_name or mode),
                json_logs=json_logs,
            )
            if needs_database_at_start(settings):
                try:
                    require_database(settings)
                except MongoUnavailable as exc:
                    return CrawlOutcome(EXIT_FAILED, str(exc))
            outcome, stats = run_spider(settings, spider_args, json_logs=json_logs)
            if outcome.finish_reason == "finished" and own_jobdir is not None:
                shutil.rmtree(own_jobdir, ignore_errors=True)
            max_rate = settings.getfloat("UNSMIL_MAX_ERROR_RATE")
            return CrawlOutcome(*crawl_exit_code(outcome, max_rate), stats)
    except LockBusy as busy:
        return CrawlOutcome(EXIT_LOCKED, str(busy))

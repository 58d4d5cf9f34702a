"""The run context: what the components of one crawl share, kept here and not in stats.

Stats only report (a project may run with ``STATS_CLASS = DummyStatsCollector``); what a
decision needs lives in the component that owns it and is reached through
``crawler.get_extension()`` / ``get_item_pipeline()`` / ``get_downloader_middleware()``.
This extension owns:

* the run id (``RUN_ID``, else generated once, when the extension is built, before any
  pipeline opens): every stored document and the ``crawl_runs`` record carry it;
* how the run went, counted from signals and log records: finish reason, requests,
  responses, items, errors. The command line's exit code is computed from these.

Settings read: ``RUN_ID``. Stats (a report, for the stats dump): ``run_id``.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


def new_run_id(now: datetime) -> str:
    """Sortable and unique: UTC timestamp plus a random suffix.

    >>> new_run_id(datetime(2025, 3, 1, 12, 0, 5, tzinfo=UTC))[:17]
    '20250301T120005Z-'
    """
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


class _ErrorCounter(logging.Handler):
    """Counts ERROR and CRITICAL records, as Scrapy's ``log_count/ERROR`` does."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class RunContext:
    """One crawl's id and outcome."""

    def __init__(self, run_id: str, started_at: datetime) -> None:
        self.run_id = run_id
        self.started_at = started_at
        self.finish_reason: str | None = None
        self.stats: StatsCollector | None = None
        self.requests = self.responses = self.items = 0
        self._errors = _ErrorCounter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        now = datetime.now(UTC)
        context = cls(crawler.settings.get("RUN_ID") or new_run_id(now), now)
        context.stats = crawler.stats
        logging.root.addHandler(context._errors)
        for handler, signal in (
            (context._opened, signals.spider_opened),
            (context._request, signals.request_reached_downloader),
            (context._response, signals.response_received),
            (context._item, signals.item_scraped),
            (context._closed, signals.spider_closed),
            (context._stopped, signals.engine_stopped),
        ):
            crawler.signals.connect(handler, signal=signal)
        return context

    @property
    def errors(self) -> int:
        return self._errors.count

    def _opened(self) -> None:
        if self.stats is not None:
            self.stats.set_value("run_id", self.run_id)

    def _request(self) -> None:
        self.requests += 1

    def _response(self) -> None:
        self.responses += 1

    def _item(self) -> None:
        self.items += 1

    def _closed(self, reason: str) -> None:
        self.finish_reason = reason

    def _stopped(self) -> None:
        logging.root.removeHandler(self._errors)


def run_context(crawler: Any) -> RunContext:
    """The crawl's :class:`RunContext`; an error naming the fix when it is not enabled."""
    context = crawler.get_extension(RunContext)
    if context is None:
        raise RuntimeError("RunContext extension not enabled: add unsmil_crawler.addon."
                           "UnsmilAddon to ADDONS (or RunContext to EXTENSIONS)")
    return context

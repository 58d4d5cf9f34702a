"""Crawl progress on stderr: article pages fetched against those known, articles found/stored.

The total is what discovery has found so far (listings, feeds, sitemap and chain links
keep adding to it), so the percentage and ETA firm up as the crawl goes. "Found" counts
articles (another URL of an article already parsed is not another article; a 304 is),
"stored" those written new or as a new revision: alias and 304 bookkeeping rows are not
counted, as an operator reads "items" as articles.

On a terminal this is a tqdm bar (a well-kept library, so the bar/ETA arithmetic is not
ours); log lines go through ``tqdm.write`` meanwhile, so they land above the bar instead
of glued onto it. Elsewhere (a file, a pipe, ``--log-format json``) it is a log record
every ``PROGRESS_INTERVAL`` seconds, through whatever handler the crawl logs with, so a
JSON log stays all JSON; its numbers are also record attributes (``extra``).

Settings read:

* ``PROGRESS_ENABLED`` (``crawl --progress`` turns it on)
* ``PROGRESS_INTERVAL`` seconds between updates
* ``PROGRESS_BAR``: a tqdm bar when stderr is a terminal (``--log-format json`` turns it off)
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Request
from scrapy.utils.asyncio import create_looping_call
from tqdm import tqdm

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def articles_found(stats: Mapping[str, Any]) -> int:
    """Articles seen: parsed (minus repeated URLs of one article) or answered 304.

    >>> articles_found({"page/article": 10, "page/duplicate_url": 2,
    ...                 "incremental/not_modified": 5})
    13
    """
    get = stats.get
    return (int(get("page/article") or 0) - int(get("page/duplicate_url") or 0)
            + int(get("incremental/not_modified") or 0))


def articles_stored(stats: Mapping[str, Any]) -> int:
    """Articles written as new or as a new revision."""
    return int(stats.get("mongo/articles_new") or 0) + int(stats.get("mongo/articles_updated")
                                                           or 0)


def format_progress(done: int, known: int, found: int, stored: int, elapsed: float) -> str:
    """The plain-text progress line (log records; the bar shows the same numbers).

    >>> format_progress(300, 600, 280, 250, 60.0)
    'article pages 300/600 (50%), ETA 1m00s | articles found 280, stored 250 | 1m00s'
    >>> format_progress(0, 0, 0, 0, 0.0)
    'article pages 0/0 (0%), ETA ? | articles found 0, stored 0 | 0m00s'
    """
    percent = done * 100 // known if known else 0
    eta = _clock((known - done) * elapsed / done) if done and known >= done else "?"
    return (f"article pages {done}/{known} ({percent}%), ETA {eta} | "
            f"articles found {found}, stored {stored} | {_clock(elapsed)}")


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m{secs:02d}s"


class TqdmWriteHandler(logging.Handler):
    """Writes records with ``tqdm.write``, which lifts the bar, prints, and redraws it."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        try:
            tqdm.write(self.format(record), file=self.stream)
        except Exception:
            self.handleError(record)


def _console_handlers() -> list[logging.StreamHandler[Any]]:
    return [h for h in logging.root.handlers if isinstance(h, logging.StreamHandler)
            and getattr(h, "stream", None) in (sys.stderr, sys.stdout)]


class ProgressLine:
    """Extension: track article requests by their ``kind`` meta and show progress."""

    def __init__(self, stats: StatsCollector, interval: float, bar: bool) -> None:
        self.stats = stats
        self.interval = interval
        self.use_bar = bar and sys.stderr.isatty()
        self.known = 0
        self.done = 0
        self.started = time.monotonic()
        self.task: Any = None
        self.bar: tqdm[Any] | None = None
        self.swapped: list[tuple[logging.Handler, logging.Handler]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("PROGRESS_ENABLED"):
            raise NotConfigured
        ext = cls(crawler.stats, settings.getfloat("PROGRESS_INTERVAL"),
                  settings.getbool("PROGRESS_BAR"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(ext.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(ext.request_left, signal=signals.request_left_downloader)
        return ext

    # A retried request is scheduled again and leaves the downloader again: both counts move.
    def request_scheduled(self, request: Request) -> None:
        self.known += request.meta.get("kind") == "article"

    def request_dropped(self, request: Request) -> None:
        self.known -= request.meta.get("kind") == "article"

    def request_left(self, request: Request) -> None:
        self.done += request.meta.get("kind") == "article"

    def spider_opened(self) -> None:
        self.started = time.monotonic()
        if self.use_bar:
            self.bar = tqdm(total=0, desc="article pages", unit="page", file=sys.stderr,
                            dynamic_ncols=True, leave=True)
            self._redirect_console_logging()
        self.task = create_looping_call(self.show)
        self.task.start(self.interval, now=False)

    def _redirect_console_logging(self) -> None:
        """Swap the console handlers for ones writing through tqdm (same format and level)."""
        for handler in _console_handlers():
            writer = TqdmWriteHandler(handler.stream)
            writer.setFormatter(handler.formatter)
            writer.setLevel(handler.level)
            for log_filter in handler.filters:
                writer.addFilter(log_filter)
            logging.root.removeHandler(handler)
            logging.root.addHandler(writer)
            self.swapped.append((handler, writer))

    def numbers(self) -> dict[str, int]:
        stats = self.stats.get_stats()
        return {"pages_done": self.done, "pages_known": max(self.known, self.done),
                "articles_found": articles_found(stats),
                "articles_stored": articles_stored(stats)}

    def show(self) -> None:
        numbers = self.numbers()
        if self.bar is not None:
            self.bar.total = numbers["pages_known"]
            self.bar.set_postfix_str(
                f"found {numbers['articles_found']}, stored {numbers['articles_stored']}",
                refresh=False)
            self.bar.update(numbers["pages_done"] - self.bar.n)
            return
        line = format_progress(numbers["pages_done"], numbers["pages_known"],
                               numbers["articles_found"], numbers["articles_stored"],
                               time.monotonic() - self.started)
        logger.info("progress: %s", line, extra=numbers)

    def spider_closed(self) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.show()
        if self.bar is not None:
            self.bar.close()
        for handler, writer in self.swapped:
            logging.root.removeHandler(writer)
            logging.root.addHandler(handler)
        self.swapped.clear()

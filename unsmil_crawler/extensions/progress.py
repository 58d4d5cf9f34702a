"""A one-line progress display on stderr while crawling: pages, items, rate and queue.

Scrapy's LogStats logs the same numbers once a minute into the log stream; an operator
watching ``unsmil-crawler crawl`` wants them every few seconds, on one line rewritten in
place when stderr is a terminal (a plain line per tick when it is a file or a pipe, so
cron logs stay readable). tqdm is not used: its bar needs a known total, and the size of
the archive is what the crawl is finding out.

Settings read:

* ``PROGRESS_ENABLED`` (default ``False``; ``crawl --progress`` turns it on)
* ``PROGRESS_INTERVAL`` seconds between updates (default ``5.0``)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


def format_progress(stats: Mapping[str, Any], elapsed: float) -> str:
    """Render the stats as one short line.

    >>> format_progress({"response_received_count": 120, "item_scraped_count": 30,
    ...                  "scheduler/enqueued": 200, "scheduler/dequeued": 150}, 60.0)
    'pages 120 | items 30 | 120 pages/min | queue 50 | 1m00s'
    >>> format_progress({}, 0.0)
    'pages 0 | items 0 | 0 pages/min | queue 0 | 0m00s'
    """
    pages = int(stats.get("response_received_count") or 0)
    items = int(stats.get("item_scraped_count") or 0)
    queue = int(stats.get("scheduler/enqueued") or 0) - int(stats.get("scheduler/dequeued") or 0)
    rate = pages * 60 / elapsed if elapsed > 0 else 0
    minutes, seconds = divmod(int(elapsed), 60)
    return (
        f"pages {pages} | items {items} | {rate:.0f} pages/min | queue {max(queue, 0)} "
        f"| {minutes}m{seconds:02d}s"
    )


class ProgressLine:
    """Extension: rewrite a progress line on ``stream`` every ``interval`` seconds."""

    def __init__(self, stats: StatsCollector, interval: float, stream: IO[str]) -> None:
        self.stats = stats
        self.interval = interval
        self.stream = stream
        self.started = time.monotonic()
        self.task: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("PROGRESS_ENABLED"):
            raise NotConfigured
        ext = cls(crawler.stats, crawler.settings.getfloat("PROGRESS_INTERVAL"), sys.stderr)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self) -> None:
        self.started = time.monotonic()
        self.task = create_looping_call(self.show)
        self.task.start(self.interval, now=False)

    def show(self, final: bool = False) -> None:
        line = format_progress(self.stats.get_stats(), time.monotonic() - self.started)
        if self.stream.isatty():
            self.stream.write(f"\r\x1b[K{line}" + ("\n" if final else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def spider_closed(self) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.show(final=True)

"""Throw away a JOBDIR left behind by a killed crawl, before Scrapy reads it.

Scrapy's JOBDIR supports a *graceful* pause only: its disk queues record their head and
tail on close, and the seen-requests file is appended to as requests are scheduled. After
SIGKILL the queue therefore reads as empty while every request counts as seen, and a
"resumed" crawl would fetch almost nothing. A clean pause always leaves ``spider.state``
(written by Scrapy's SpiderState extension at close); without it, the folder is discarded and
the crawl starts over. Nothing is lost by that: writes are idempotent and pages stored by
the killed run come back as cheap 304s through conditional requests.

Settings read: ``JOBDIR``. Stats: ``jobdir/discarded_unclean``.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)

CLEAN_MARKER = "spider.state"


def discard_if_unclean(jobdir: Path) -> bool:
    """Empty ``jobdir`` unless a clean pause left its marker; True when it was discarded."""
    if not jobdir.is_dir() or (jobdir / CLEAN_MARKER).exists() or not any(jobdir.iterdir()):
        return False
    for child in jobdir.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
    return True


class JobdirGuard:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobdirGuard:
        jobdir = crawler.settings.get("JOBDIR")
        if not jobdir:
            raise NotConfigured
        if discard_if_unclean(Path(jobdir)):
            crawler.stats.set_value("jobdir/discarded_unclean", 1)
            logger.warning("JOBDIR %s was left by a killed crawl (no %s): starting over; stored "
                           "articles will be re-checked with conditional requests",
                           jobdir, CLEAN_MARKER)
        return cls()

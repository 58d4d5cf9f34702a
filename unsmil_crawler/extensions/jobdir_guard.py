"""Throw away a JOBDIR left behind by a killed crawl, before Scrapy reads it.

Scrapy's JOBDIR supports a *graceful* pause only: its disk queues record their head and
tail on close, and the seen-requests file is appended to as requests are scheduled. After
SIGKILL the queue therefore reads as empty while every request counts as seen, and a
"resumed" crawl would fetch almost nothing. This guard leaves a ``running`` marker in the
JOBDIR while a crawl runs and removes it when the spider closes (a finish or a graceful
pause); a marker found at start means the last run was killed, and the folder is emptied
so the crawl starts over. Nothing is lost by that: the spider resumes the killed run from
what it stored in MongoDB (:mod:`unsmil_crawler.storage.resume`).

Settings read: ``JOBDIR``. Stats (a report): ``jobdir/discarded_unclean``; the spider
decides on :attr:`JobdirGuard.discarded`, reached with ``crawler.get_extension()``.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)

RUNNING_MARKER = "unsmil-running"


def discard_if_killed(jobdir: Path) -> bool:
    """Empty ``jobdir`` when a crawl's ``running`` marker is still in it; True if it was.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> (d / "requests.seen").write_text("x"); discard_if_killed(d)
    1
    False
    >>> (d / RUNNING_MARKER).touch(); discard_if_killed(d), sorted(d.iterdir())
    (True, [])
    """
    if not (jobdir / RUNNING_MARKER).exists():
        return False
    for child in jobdir.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
    return True


class JobdirGuard:
    def __init__(self, jobdir: Path, discarded: bool = False) -> None:
        self.marker = jobdir / RUNNING_MARKER
        self.discarded = discarded
        """Whether this crawl found (and emptied) a JOBDIR left by a killed crawl."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobdirGuard:
        jobdir = crawler.settings.get("JOBDIR")
        if not jobdir:
            raise NotConfigured
        path = Path(jobdir)
        discarded = discard_if_killed(path)
        if discarded:
            crawler.stats.set_value("jobdir/discarded_unclean", 1)
            logger.warning("JOBDIR %s was left by a killed crawl: starting over; stored "
                           "articles will be re-checked with conditional requests", jobdir)
        path.mkdir(parents=True, exist_ok=True)
        guard = cls(path, discarded)
        guard.marker.touch()
        crawler.signals.connect(guard.spider_closed, signal=signals.spider_closed)
        return guard

    def spider_closed(self) -> None:
        self.marker.unlink(missing_ok=True)

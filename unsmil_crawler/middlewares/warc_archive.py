"""Spider middleware: every response the spider parses goes into the WARC archive first.

Why a spider middleware and not the ``response_received`` signal: ``process_spider_input``
runs for exactly the responses that reach a callback (after HttpErrorMiddleware removed
those no callback handles), with the request and meta the crawler decided on (kind,
redirects, browser rendering), and *before* the callback, so the item the callback builds
can say where its page is stored: ``response.meta["warc_source"]`` =
``{warc_file, offset, length, fetched_at}``, which the spider copies into the article's
``source``. ``response_received`` also fires for robots.txt, retried errors and redirect
hops that are never parsed, and without that ordering guarantee.

The records are written synchronously, one ``write`` per page (:mod:`~unsmil_crawler.warc.
writer`): nothing outlives the callback, and a document never points at a record that is
not on disk yet. A 304 is written as a ``revisit`` of the stored response it confirms,
found through the ``source`` of the stored article (loaded once at open).

Faults are loud. An unwritable ``WARC_DIR`` or one with less than ``WARC_MIN_FREE_MB`` free
fails the run before any request. A write that fails mid-run (disk full, file size limit)
stops the crawl with finish reason ``warc_write_failed``; that page and any still in flight
are not parsed (their errbacks log why), so no document is stored without its source and
the next run fetches them again.

Settings read: ``WARC_ENABLED``, ``WARC_DIR`` (empty: ``<UNSMIL_STATE_DIR>/warc``),
``WARC_MAX_FILE_MB``, ``WARC_MIN_FREE_MB``, ``USER_AGENT``, ``ROBOTSTXT_OBEY`` (for the
``warcinfo`` record), and the MongoDB connection settings.

Stats (under ``warc/``): ``responses``, ``revisits``, ``revisits_unreferenced`` (a 304 for a
page the archive does not hold), ``rendered``, ``bytes``, ``files``, ``unwritten`` (pages
not parsed because the archive failed), ``failure_reason``.
"""

from __future__ import annotations

import asyncio
import logging
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pymongo.errors import PyMongoError
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

from unsmil_crawler import __version__
from unsmil_crawler.extensions.run_context import run_context
from unsmil_crawler.extract.urls import canonicalize
from unsmil_crawler.storage.connection import get_database
from unsmil_crawler.storage.schema import ARTICLES
from unsmil_crawler.warc import warc_dir
from unsmil_crawler.warc.reader import read_record
from unsmil_crawler.warc.records import now_ms, warc_date
from unsmil_crawler.warc.writer import MB, RotatingWarcWriter, WarcWriteError, check_writable

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

STATS_PREFIX = "warc"
FAILED_REASON = "warc_write_failed"


def stored_sources(db: Any) -> dict[str, dict[str, Any]]:
    """{URL or alias: source} of every stored article that has one (what a 304 revisits)."""
    sources: dict[str, dict[str, Any]] = {}
    projection = {"_id": 0, "url": 1, "aliases": 1, "source": 1}
    for doc in db[ARTICLES].find({"source": {"$exists": True}}, projection):
        for url in [doc["url"], *(doc.get("aliases") or ())]:
            sources[url] = doc["source"]
    return sources


class WarcArchiveMiddleware:
    """Writes each parsed response (or 304 revisit) and hands its location to the callback."""

    def __init__(self, crawler: Crawler, directory: Path) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.directory = directory
        settings = crawler.settings
        self.max_size = int(settings.getfloat("WARC_MAX_FILE_MB") * MB)
        self.min_free = int(settings.getfloat("WARC_MIN_FREE_MB") * MB)
        self.writer: RotatingWarcWriter | None = None
        self.sources: dict[str, dict[str, Any]] = {}
        self.failure: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED"):
            raise NotConfigured
        directory = warc_dir(settings)
        try:
            check_writable(directory, int(settings.getfloat("WARC_MIN_FREE_MB") * MB))
        except WarcWriteError as exc:
            logger.error("Not starting the crawl: %s", exc)
            raise
        mw = cls(crawler, directory)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    async def spider_opened(self, spider: Any) -> None:
        settings = self.crawler.settings
        run_id = run_context(self.crawler).run_id
        site = getattr(spider, "site", spider.name)
        info = {
            "software": f"unsmil-crawler/{__version__} (warcio/{version('warcio')}; "
                        f"scrapy/{version('scrapy')})",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
                          "warc-format/warc-1.1/",
            "isPartOf": "unsmil-crawler",
            "run-id": run_id,
            "site": site,
            "base-url": getattr(spider, "base_url", ""),
            "spider": spider.name,
            "mode": getattr(spider, "mode", ""),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": settings.get("USER_AGENT"),
        }
        self.writer = RotatingWarcWriter(self.directory, f"{site}-{run_id}", self.max_size,
                                         self.min_free, info)
        try:
            db = await asyncio.to_thread(get_database, settings)
            self.sources = await asyncio.to_thread(stored_sources, db)
        except PyMongoError as exc:
            logger.warning("WARC: stored sources not loaded (%s); a 304 is recorded without "
                           "the record it confirms", type(exc).__name__)

    def spider_closed(self, spider: Any) -> None:
        if self.writer is not None:
            self.writer.close()

    def process_spider_input(self, response: Response) -> None:
        if self.failure is not None:
            self.stats.inc_value(f"{STATS_PREFIX}/unwritten")
            raise WarcWriteError(f"not parsed: {self.failure}")
        try:
            self._archive(response)
        except WarcWriteError as exc:
            self._fail(str(exc))
            self.stats.inc_value(f"{STATS_PREFIX}/unwritten")
            raise

    def _archive(self, response: Response) -> None:
        assert self.writer is not None, "spider_opened has not run"
        at = now_ms()
        encoder = self.writer.encoder
        if response.status == 304:
            refers_to = self._refers_to(response.url)
            data, length = encoder.revisit(response, at, refers_to)
            self.stats.inc_value(f"{STATS_PREFIX}/revisits")
            if refers_to is None:
                self.stats.inc_value(f"{STATS_PREFIX}/revisits_unreferenced")
        else:
            data, length = encoder.response(response, at)
            self.stats.inc_value(f"{STATS_PREFIX}/responses")
            if response.meta.get("playwright"):
                self.stats.inc_value(f"{STATS_PREFIX}/rendered")
        files = len(self.writer.files)
        written = self.writer.append(data, length)
        self.stats.inc_value(f"{STATS_PREFIX}/bytes", len(data))
        if len(self.writer.files) != files:
            self.stats.inc_value(f"{STATS_PREFIX}/files")
        if response.status != 304:
            response.meta["warc_source"] = {
                "warc_file": written.warc_file, "offset": written.offset,
                "length": written.length, "fetched_at": at,
            }

    def _refers_to(self, url: str) -> dict[str, str] | None:
        """URI, date and payload digest of the stored response a 304 confirms, if archived."""
        source = self.sources.get(canonicalize(url)) or self.sources.get(url)
        if not source:
            return None
        try:
            record = read_record(self.directory / source["warc_file"], source["offset"])
        except (OSError, ValueError, KeyError):
            return None
        headers = record.rec_headers
        return {"uri": headers.get_header("WARC-Target-URI"),
                "date": headers.get_header("WARC-Date") or warc_date(source["fetched_at"]),
                "digest": headers.get_header("WARC-Payload-Digest")}

    def _fail(self, reason: str) -> None:
        """Stop the crawl once, with the reason in the log, the stats and the finish reason."""
        if self.failure is not None:
            return
        self.failure = reason
        self.stats.set_value(f"{STATS_PREFIX}/failure_reason", reason)
        logger.error("WARC archive failed, stopping the crawl: %s", reason)
        engine = self.crawler.engine
        assert engine is not None
        deferred_from_coro(engine.close_spider_async(reason=FAILED_REASON))

"""Item pipeline storing articles, aliases and rejects in MongoDB in batches.

Settings read:

* ``MONGO_URI``, ``MONGO_DATABASE``, ``MONGO_LOCAL_DATA_DIR`` — see
  :mod:`unsmil_crawler.storage.connection`.
* ``MONGO_BATCH_SIZE`` (default 200) — articles per bulk write.
* ``MONGO_FLUSH_INTERVAL`` (seconds, default 5) — a partial batch waits at most this long.
* ``MONGO_MAX_BUFFER`` (default 1000) — items buffered before the crawl waits for
  the database; below it, full batches are written in the background. When the database
  has been unreachable for longer than ``MONGO_RETRY_MAX_WAIT`` with a full buffer, the
  oldest batch goes to the spill file, so memory stays bounded through any outage.
* ``MONGO_RETRY_MAX_WAIT`` (seconds, default 60) — at close, how long to keep retrying an
  unreachable server before the rest goes to the spill file.
* ``MONGO_SPILL_PATH`` (default ``var/spill/{run_id}.jsonl``).

Items handled: ``ArticleItem`` (stored with revisions; ``duplicate_of`` -> alias of that
document, ``supersedes`` -> replaces that document, ``near_duplicate_relinks`` -> sets
``near_duplicate_of`` of stored or buffered documents), ``AliasItem``, ``NotModifiedItem``
(304: only ``last_seen`` and ``sitemap_lastmod`` move), ``LastmodItem`` (only
``sitemap_lastmod`` moves), ``GoneItem`` (404/410: ``gone_since`` set once), and any
item with a ``reject_reason`` (-> ``rejects``). All are buffered and written in batches.

Stats (all under ``mongo/``): ``articles_new``, ``articles_updated``, ``articles_unchanged``
(including stored articles answered 304), ``articles_gone`` (newly marked gone),
``superseded``, ``relinked``, ``rejects``, ``aliases_merged``, ``aliases_orphaned``,
``batches``, ``retries``, ``spilled``, ``links_resolved`` (prev/next links rewritten from
an alias to the canonical URL at close, see :mod:`unsmil_crawler.storage.links`);
and when writes were spilled: ``failed`` (1), ``failure_reason`` and ``spill_path``. Those
are reports: what :class:`~unsmil_crawler.extensions.crawl_runs.CrawlRunsExtension` and the
CLI act on is :attr:`MongoPipeline.failure`, reached with ``crawler.get_item_pipeline()``.

pymongo blocks, so every database call runs in a worker thread (``asyncio.to_thread``)
and the event loop keeps crawling. While the server is down, items stay buffered in memory
and a flush is retried with exponential backoff; nothing is acknowledged to MongoDB twice
thanks to the idempotent writer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pymongo
from itemadapter import ItemAdapter
from pymongo.database import Database
from pymongo.errors import PyMongoError

from unsmil_crawler.extensions.run_context import run_context
from unsmil_crawler.items import AliasItem, GoneItem, LastmodItem, NotModifiedItem
from unsmil_crawler.storage.connection import get_database
from unsmil_crawler.storage.documents import PendingWrites, article_doc, reject_doc, string_list
from unsmil_crawler.storage.links import resolve_links
from unsmil_crawler.storage.schema import ensure_schema
from unsmil_crawler.storage.spill import spill_path, write_spill
from unsmil_crawler.storage.writer import (
    BatchResult,
    MongoWriter,
    backoff_delays,
    call_with_retry,
    is_transient,
)

logger = logging.getLogger(__name__)

CLOSE_ATTEMPT_TIMEOUT = 15.0
"""Upper bound for one write attempt at close (pymongo's CSOT, which also bounds waiting for
the server). During the crawl no such bound is set: the client's serverSelectionTimeoutMS
(5 s unless the URI says otherwise) notices an outage quicker, since CSOT overrides it."""


class MongoPipeline:
    """Buffers items, writes them in bulk, retries through outages, spills what never got in."""

    def __init__(self, crawler: Any, db: Database[Any] | None = None) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.batch_size = max(1, settings.getint("MONGO_BATCH_SIZE"))
        self.max_buffer = max(self.batch_size, settings.getint("MONGO_MAX_BUFFER"))
        self._background: asyncio.Future[None] | None = None
        self._outage_since: float | None = None
        self.flush_interval = settings.getfloat("MONGO_FLUSH_INTERVAL")
        self.retry_max_wait = settings.getfloat("MONGO_RETRY_MAX_WAIT")
        self.db = db
        self.pending = PendingWrites()
        self.links: set[str] = set()
        """prev/next URLs of this run's articles, resolved to canonical URLs at close."""
        self.run_id = ""
        self.site = ""
        self.failure: str | None = None
        """Why some writes never reached MongoDB (they are in :attr:`spill_path`), or None."""
        self.spill_path: Path | None = None
        self.spilled = 0
        self._writer: MongoWriter | None = None
        self._schema_ready = False
        self._inflight: asyncio.Future[None] | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._backoff: Iterator[float] = backoff_delays()
        self._next_attempt = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> MongoPipeline:
        return cls(crawler)

    async def open_spider(self) -> None:
        self.run_id = run_context(self.crawler).run_id
        self.site = self.crawler.spider.profile.name
        if self.db is None:
            self.db = await asyncio.to_thread(get_database, self.crawler.settings)
        self._writer = MongoWriter(self.db)
        try:
            await asyncio.to_thread(self._ensure_schema, None)
        except PyMongoError as exc:
            logger.warning("MongoDB not reachable at start (%s); items will be buffered",
                           type(exc).__name__)
        self._ticker = asyncio.get_running_loop().create_task(self._tick())

    async def process_item(self, item: Any) -> Any:
        self._buffer(item)
        backlog = self.pending.unwritten() - len(self.pending.rejects)
        if backlog >= self.max_buffer:
            # Backpressure: past the high-water mark the crawl waits for the database, also
            # through an outage's backoff; once the outage outlasts MONGO_RETRY_MAX_WAIT, the
            # overflow goes to the spill file instead and the crawl goes on.
            now = time.monotonic()
            if self._outage_since is not None and now - self._outage_since > self.retry_max_wait:
                self._spill_overflow()
            else:
                give_up = (self._outage_since or now) + self.retry_max_wait
                await asyncio.sleep(max(0.0, min(self._next_attempt, give_up) - now))
                await self._flush()
        elif backlog >= self.batch_size and self._inflight is None:
            # Below it, a full batch is written in the background while the crawl goes on.
            self._background = asyncio.ensure_future(self._flush_logging_bugs())
        return item

    async def close_spider(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
        if self._background is not None:
            await self._background
        if self._inflight is not None:
            await asyncio.shield(self._inflight)
        error = await asyncio.to_thread(self._drain)
        if self.pending.unwritten():
            self._spill(error)
            return
        if self.links:
            await asyncio.to_thread(self._resolve_links)
        if self.pending.aliases:
            self.stats.inc_value("mongo/aliases_orphaned", len(self.pending.aliases))
            logger.warning("%d alias groups point to articles never stored: %s",
                           len(self.pending.aliases), sorted(self.pending.aliases)[:5])

    def _buffer(self, item: Any) -> None:
        """Route an item: 304, gone, alias merge, reject, duplicate (an alias) or article."""
        now = datetime.now(UTC)
        adapter = ItemAdapter(item)
        url = adapter.get("url")
        if isinstance(item, NotModifiedItem | LastmodItem):
            if isinstance(item, NotModifiedItem):
                self.pending.touch(url, now)
            if item.sitemap_lastmod is not None:
                self.pending.announce(url, item.sitemap_lastmod)
        elif isinstance(item, GoneItem):
            self.pending.mark_gone(url, now)
        elif isinstance(item, AliasItem):
            self.pending.add_aliases(url, string_list(adapter.get("aliases")))
        elif adapter.get("reject_reason"):
            self.pending.add_reject(reject_doc(item, self.run_id, now, site=self.site))
        elif adapter.get("duplicate_of") and adapter.get("duplicate_of") != url:
            self.pending.add_aliases(
                adapter["duplicate_of"], [url, *string_list(adapter.get("aliases"))]
            )
        else:
            self.pending.add_article(article_doc(item, self.run_id, now, site=self.site))
            self.links.update(u for u in (adapter.get("prev_url"), adapter.get("next_url")) if u)

    def _resolve_links(self) -> None:
        try:
            resolved = resolve_links(self.db, self.links)
        except PyMongoError as exc:  # links stay as the pages gave them; nothing is lost
            logger.warning("Could not resolve prev/next links to canonical URLs: %s", exc)
            return
        self.stats.set_value("mongo/links_resolved", resolved)

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(self.flush_interval)
            await self._flush_logging_bugs()

    async def _flush_logging_bugs(self) -> None:
        """A flush nobody awaits for its result: a bug is logged (an error of the run, which
        `health` sees) and the batch stays buffered for the next attempt."""
        try:
            await self._flush()
        except Exception:
            logger.exception("Writing a batch to MongoDB failed")

    async def _flush(self) -> None:
        """Start one write in a thread, or join the one running; skip while backing off."""
        if self._inflight is not None:
            await asyncio.shield(self._inflight)
            return
        if not self.pending or time.monotonic() < self._next_attempt:
            return
        self._inflight = asyncio.ensure_future(self._flush_once())
        try:
            await asyncio.shield(self._inflight)
        finally:
            self._inflight = None

    async def _flush_once(self) -> None:
        batch = self.pending.take(self.batch_size)
        try:
            result = await asyncio.to_thread(self._write, batch, None)
        except PyMongoError as exc:
            self.pending.merge(batch)
            delay = next(self._backoff)
            self._next_attempt = time.monotonic() + delay
            if self._outage_since is None:
                self._outage_since = time.monotonic()
            self.stats.inc_value("mongo/retries")
            log = logger.warning if is_transient(exc) else logger.error
            log("MongoDB write failed (%s: %s); %d pending, retrying in %.1fs",
                type(exc).__name__, exc, len(self.pending), delay,
                exc_info=not is_transient(exc))
            return
        except BaseException:
            # Not an outage (a bug, a cancel): the batch stays buffered and the error surfaces.
            self.pending.merge(batch)
            raise
        self._backoff = backoff_delays()
        self._next_attempt = 0.0
        self._outage_since = None
        self._count(result)
        self.pending.merge(result.leftover)

    def _ensure_schema(self, timeout: float | None) -> None:
        assert self.db is not None
        with pymongo.timeout(timeout):
            ensure_schema(self.db)
        self._schema_ready = True

    def _write(self, batch: PendingWrites, timeout: float | None) -> BatchResult:
        """Runs in a worker thread."""
        assert self._writer is not None
        if not self._schema_ready:
            self._ensure_schema(timeout)
        return self._writer.write(batch, timeout=timeout)

    def _count(self, result: BatchResult) -> None:
        inc = self.stats.inc_value
        inc("mongo/batches")
        for key, value in (
            ("articles_new", result.new), ("articles_updated", result.updated),
            ("articles_unchanged", result.unchanged), ("rejects", result.rejects),
            ("aliases_merged", result.aliases), ("articles_gone", result.gone),
            ("superseded", result.superseded), ("relinked", result.relinked),
        ):
            if value:
                inc(f"mongo/{key}", value)

    def _drain(self) -> PyMongoError | None:
        """At close (worker thread): write everything, retrying up to MONGO_RETRY_MAX_WAIT.

        Returns the last error when the server stayed unreachable, else None.
        """
        deadline = time.monotonic() + self.retry_max_wait

        def on_retry(exc: BaseException, delay: float) -> None:
            self.stats.inc_value("mongo/retries")
            logger.warning("MongoDB unreachable at close (%s); retrying in %.1fs",
                           type(exc).__name__, delay)

        while True:
            batch = self.pending.take(self.batch_size)
            try:
                result = call_with_retry(
                    lambda left, b=batch: self._write(b, min(left, CLOSE_ATTEMPT_TIMEOUT)),
                    max(deadline - time.monotonic(), 0.0), on_retry=on_retry,
                )
            except Exception as exc:  # not only PyMongoError: nothing taken may be dropped
                self.pending.merge(batch)
                return exc
            self._count(result)
            self.pending.merge(result.leftover)
            if not self.pending.unwritten():
                return None

    def _spill_overflow(self) -> None:
        """An outage longer than MONGO_RETRY_MAX_WAIT with a full buffer: the oldest batch
        goes to the spill file now, so memory stays bounded however long the outage lasts."""
        batch = self.pending.take(self.batch_size)
        self._record_spill(batch.records(), "MongoDB unreachable for longer than "
                           f"MONGO_RETRY_MAX_WAIT ({self.retry_max_wait:g}s) with a full buffer")

    def _spill(self, error: BaseException | None) -> None:
        self._record_spill(self.pending.records(), "MongoDB unreachable "
                           f"({type(error).__name__ if error else 'unknown error'})")
        self.pending = PendingWrites()

    def _record_spill(self, records: list[dict[str, Any]], why: str) -> None:
        path = spill_path(self.crawler.settings, self.run_id)
        count = write_spill(path, records)
        self.spilled += count
        self.spill_path = path
        self.stats.inc_value("mongo/spilled", count)
        reason = f"{why}: {self.spilled} unwritten records saved to {path}"
        self.failure = reason
        self.stats.set_value("mongo/failed", 1)
        self.stats.set_value("mongo/failure_reason", reason)
        self.stats.set_value("mongo/spill_path", str(path))
        logger.error("%s; load them later with the CLI load command", reason)

"""Records every crawl in `crawl_runs`: "running" at start, "finished"/"failed" at the end.

Settings read: ``CRAWL_RUNS_ENABLED`` (off unless a real crawl turns it on, see
:mod:`unsmil_crawler.commands`), ``CRAWL_RUNS_STALE_AFTER`` (hours), the connection
settings of :mod:`unsmil_crawler.storage.connection`, ``MONGO_SPILL_PATH``, and
``MONGO_RETRY_MAX_WAIT`` (bounds the final write, at most 30 s here). The run id comes from
:class:`~unsmil_crawler.extensions.run_context.RunContext`.

At ``spider_opened`` it first marks runs left "running" by a killed process as failed,
then writes this run's document. At ``spider_closed`` (after the pipelines closed) it asks
:class:`~unsmil_crawler.pipelines.mongo.MongoPipeline` whether storage failed and
completes the document; if MongoDB is unreachable then, the final document goes to the
spill file, where ``load_spill`` finds it, and :attr:`CrawlRunsExtension.failure` is set.
:func:`storage_failure` is what the command line asks to choose its exit code. The
``mongo/failed`` stats are reports only.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pymongo
from pymongo.database import Database
from pymongo.errors import PyMongoError
from scrapy import signals
from scrapy.exceptions import NotConfigured

from unsmil_crawler.extensions.run_context import run_context
from unsmil_crawler.pipelines.mongo import MongoPipeline
from unsmil_crawler.storage.connection import get_database
from unsmil_crawler.storage.runs import (
    mark_stale_runs,
    run_finish_fields,
    run_start_doc,
)
from unsmil_crawler.storage.schema import RUNS, ensure_schema
from unsmil_crawler.storage.spill import spill_path, write_spill
from unsmil_crawler.storage.writer import call_with_retry

logger = logging.getLogger(__name__)

ATTEMPT_TIMEOUT = 10.0
CLOSE_MAX_WAIT = 30.0


class CrawlRunsExtension:
    """Writes and completes this run's `crawl_runs` document."""

    def __init__(self, crawler: Any, db: Database[Any] | None = None) -> None:
        self.crawler = crawler
        self.db = db
        self.stale_after = timedelta(hours=crawler.settings.getfloat("CRAWL_RUNS_STALE_AFTER"))
        self.close_max_wait = min(crawler.settings.getfloat("MONGO_RETRY_MAX_WAIT"),
                                  CLOSE_MAX_WAIT)
        self.start_doc: dict[str, Any] | None = None
        self.failure: str | None = None
        """Set when the run document itself had to go to the spill file."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlRunsExtension:
        if not crawler.settings.getbool("CRAWL_RUNS_ENABLED"):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    async def spider_opened(self, spider: Any) -> None:
        context = run_context(self.crawler)
        run_id, now = context.run_id, context.started_at
        self.start_doc = run_start_doc(run_id, spider, now)
        if self.db is None:
            self.db = await asyncio.to_thread(get_database, self.crawler.settings)
        try:
            stale = await asyncio.to_thread(self._open, self.db, self.start_doc, now)
        except PyMongoError as exc:
            logger.warning("crawl_runs: could not record run %s at start (%s); will retry at "
                           "the end", run_id, type(exc).__name__)
            return
        if stale:
            logger.warning("crawl_runs: marked %d stale runs failed: %s", len(stale), stale)

    def _open(self, db: Database[Any], doc: dict[str, Any], now: datetime) -> list[str]:
        # No CSOT here: it would override the client's shorter serverSelectionTimeoutMS.
        ensure_schema(db)
        stale = mark_stale_runs(db, now, doc["_id"], self.stale_after)
        db[RUNS].replace_one({"_id": doc["_id"]}, doc, upsert=True)
        return stale

    async def spider_closed(self, spider: Any, reason: str) -> None:
        if self.start_doc is None or self.db is None:
            return
        pipeline = self.crawler.get_item_pipeline(MongoPipeline)
        failure = pipeline.failure if pipeline is not None else None
        fields = run_finish_fields(self.crawler.stats.get_stats(), reason, datetime.now(UTC),
                                   failure)
        fields["mode"] = getattr(spider, "mode", None)  # what was actually crawled
        run_id = self.start_doc["_id"]
        start = {k: v for k, v in self.start_doc.items() if k not in fields and k != "_id"}
        update = {"$set": fields, "$setOnInsert": start}
        try:
            await asyncio.to_thread(self._close, self.db, run_id, update)
        except PyMongoError as exc:
            self._spill_run({**self.start_doc, **fields}, exc, failure)
            return
        logger.info("crawl_runs: run %s %s (%s)", run_id, fields["status"],
                    fields["finish_reason"])

    def _close(self, db: Database[Any], run_id: str, update: dict[str, Any]) -> None:
        def attempt(left: float) -> None:
            with pymongo.timeout(min(left, ATTEMPT_TIMEOUT)):
                db[RUNS].update_one({"_id": run_id}, update, upsert=True)

        call_with_retry(attempt, self.close_max_wait)

    def _spill_run(self, doc: dict[str, Any], exc: BaseException,
                   items_failure: str | None) -> None:
        """The run document itself could not be written: keep it with the spilled items."""
        stats = self.crawler.stats
        path = spill_path(self.crawler.settings, doc["_id"])
        reason = f"MongoDB unreachable ({type(exc).__name__}): run document saved to {path}"
        if not items_failure:
            doc["finish_reason"] = f"{doc['finish_reason']}; {reason}"
            stats.set_value("mongo/failure_reason", reason)
            stats.set_value("mongo/spill_path", str(path))
        self.failure = reason
        doc["status"] = "failed"
        write_spill(path, [{"kind": "run", "doc": doc}])
        stats.set_value("mongo/failed", 1)
        logger.error("crawl_runs: run %s not recorded in MongoDB; saved to %s", doc["_id"], path)


def storage_failure(crawler: Any) -> str | None:
    """Why storage failed in this (finished) crawl, or None: items or the run record spilled."""
    pipeline = crawler.get_item_pipeline(MongoPipeline)
    runs = crawler.get_extension(CrawlRunsExtension)
    return ((pipeline.failure if pipeline is not None else None)
            or (runs.failure if runs is not None else None))

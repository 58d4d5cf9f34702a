"""Items/s of MongoPipeline alone, batched vs one-by-one, against SecantusDB (or $MONGO_URI).

Usage: .venv/bin/python benchmarks/bench_storage.py [--items 1000] [--batch 200]

Each mode stores ``--items`` new articles, re-crawls them unchanged (a full re-crawl: one
``update_many`` per batch moves ``last_seen``), then feeds one NotModifiedItem per article
(an incremental run's 304s). One-by-one is the same pipeline with MONGO_BATCH_SIZE=1, i.e.
one round trip per item.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Spider
from scrapy.utils.test import get_crawler

from unsmil_crawler.addon import UnsmilAddon
from unsmil_crawler.items import ArticleItem, NotModifiedItem
from unsmil_crawler.pipelines.mongo import MongoPipeline
from unsmil_crawler.sites import get_profile
from unsmil_crawler.storage.connection import close_clients, get_client
from unsmil_crawler.storage.local_server import SecantusServer

BODY = "UNSMIL welcomes the agreement reached by the parties. " * 40


class BenchSpider(Spider):
    name = "bench"
    profile = get_profile("unsmil")


def make_items(n: int) -> list[ArticleItem]:
    items = []
    for i in range(n):
        body = f"{BODY} Article {i}."
        items.append(ArticleItem(
            url=f"https://unsmil.unmissions.org/en/bench-{i}", lang="en", title=f"Title {i}",
            published=datetime(2024, 1 + i % 12, 1 + i % 28, tzinfo=UTC), body=body,
            body_norm=body.lower(), title_norm=f"title {i}",
            content_hash=hashlib.sha256(body.lower().encode()).hexdigest(),
            aliases=[f"https://unsmil.unmissions.org/node/{i}"],
        ))
    return items


async def run_pipeline(uri: str, db: str, items: list[Any], batch: int) -> float:
    crawler = get_crawler(BenchSpider, {
        "ADDONS": {UnsmilAddon: 0}, "MONGO_URI": uri, "MONGO_DATABASE": db,
        "MONGO_BATCH_SIZE": batch, "MONGO_FLUSH_INTERVAL": 60, "LOG_LEVEL": "WARNING",
    })
    crawler.spider = BenchSpider.from_crawler(crawler)
    pipeline = MongoPipeline.from_crawler(crawler)
    await pipeline.open_spider()
    started = time.perf_counter()
    for item in items:
        await pipeline.process_item(item)
    await pipeline.close_spider()
    return len(items) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    items = make_items(args.items)
    server = None
    uri = os.environ.get("MONGO_URI")
    with tempfile.TemporaryDirectory() as tmp:
        if not uri:
            server = SecantusServer(storage_path=Path(tmp) / "db").start()
            uri = server.uri
        try:
            for label, batch in (("batched", args.batch), ("one-by-one", 1)):
                db = f"bench_{label.replace('-', '_')}"
                get_client(uri).drop_database(db)
                first = asyncio.run(run_pipeline(uri, db, items, batch))
                again = asyncio.run(run_pipeline(uri, db, items, batch))
                not_modified = [NotModifiedItem(url=i.url, lang=i.lang) for i in items]
                touched = asyncio.run(run_pipeline(uri, db, not_modified, batch))
                print(f"{label:>10} (batch {batch:>3}): new {first:7.0f} items/s, "
                      f"unchanged re-crawl {again:7.0f} items/s, 304s {touched:7.0f} items/s  "
                      f"({args.items} items)")
                get_client(uri).drop_database(db)
        finally:
            close_clients()
            if server is not None:
                server.stop()


if __name__ == "__main__":
    main()

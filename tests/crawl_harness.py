"""Run the real spider in a subprocess (Twisted's reactor cannot restart in-process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

# Test-speed settings only: the spider, pipelines and middlewares are the production ones.
FAST = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_TIMEOUT": "3",
    "RETRYAFTER_MAX_WAIT": "5",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "LOG_LEVEL": "INFO",
    "MONGO_FLUSH_INTERVAL": "1",
}

_STORAGE = ("unsmil_crawler.pipelines.dedupe.DedupePipeline",
            "unsmil_crawler.pipelines.mongo.MongoPipeline")
NO_STORAGE = json.dumps(dict.fromkeys(_STORAGE))
"""``-s ITEM_PIPELINES=...`` that switches off the add-on's dedupe and storage pipelines."""
NO_PIPELINES = json.dumps(dict.fromkeys(("unsmil_crawler.pipelines.clean.CleanTextPipeline",
                                         "unsmil_crawler.pipelines.validate.ValidationPipeline",
                                         *_STORAGE)))
"""``-s ITEM_PIPELINES=...`` that switches off every pipeline of the add-on."""


@dataclass
class CrawlResult:
    returncode: int
    items: list[dict[str, Any]]
    stats: dict[str, Any]
    log: str
    site_log: list[Any] = field(default_factory=list)
    """The offline site's request log for this crawl, when a test keeps it."""

    def stat(self, key: str) -> int:
        return int(self.stats.get(key, 0))


def crawl_command(
    base_url: str,
    workdir: Path,
    *,
    mode: str = "full",
    site: str | None = None,
    lang: str | None = None,
    start_url: str | None = None,
    settings: dict[str, str] | None = None,
    spider: str = "unsmil_news",
) -> list[str]:
    """``scrapy crawl <spider>`` writing its feed, stats, log and WARC files under ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    for name in ("items.jsonl", "stats.json"):
        (workdir / name).unlink(missing_ok=True)
    merged = {**FAST, "STATSFILE_PATH": str(workdir / "stats.json"),
              "LOG_FILE": str(workdir / "crawl.log"), "WARC_DIR": str(workdir / "warc"),
              **(settings or {})}
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"base_url={base_url}",
           "-a", f"mode={mode}", "-O", f"{workdir / 'items.jsonl'}:jsonlines"]
    if site:
        cmd += ["-a", f"site={site}"]
    if lang:
        cmd += ["-a", f"lang={lang}"]
    if start_url:
        cmd += ["-a", f"start_url={start_url}"]
    for name, value in merged.items():
        cmd += ["-s", f"{name}={value}"]
    return cmd


def collect(workdir: Path, returncode: int, stderr: str = "") -> CrawlResult:
    """Read back what a crawl started with :func:`crawl_command` left in ``workdir``."""
    log_path, feed, stats_path = (workdir / n for n in ("crawl.log", "items.jsonl", "stats.json"))
    log = (log_path.read_text(encoding="utf-8") if log_path.exists() else "") + stderr
    items = []
    if feed.exists():
        with feed.open(encoding="utf-8") as fh:
            items = [json.loads(line) for line in fh if line.strip()]
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    return CrawlResult(returncode, items, stats, log)


def start_crawl(base_url: str, workdir: Path, **kwargs: Any) -> subprocess.Popen[str]:
    """Start a crawl in the background (for tests that kill it or its database midway)."""
    return subprocess.Popen(crawl_command(base_url, workdir, **kwargs), cwd=REPO, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def run_crawl(
    base_url: str,
    workdir: Path,
    *,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    **kwargs: Any,
) -> CrawlResult:
    """Crawl ``base_url`` to the end; items come from a JSON Lines feed."""
    proc = subprocess.run(crawl_command(base_url, workdir, **kwargs), cwd=REPO,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
    return collect(workdir, proc.returncode, proc.stderr)


DOC_FIELDS = ("url", "lang", "title", "body", "published", "near_duplicate_of", "translations",
              "revision", "content_hash")
"""What makes two crawls' stored articles "the same" (times and run ids aside)."""


def stored_documents(db: Any) -> dict[str, dict[str, Any]]:
    """{url: the DOC_FIELDS and sorted aliases} of every stored article."""
    docs = {}
    for doc in db.articles.find({}, {"_id": 0, **dict.fromkeys(DOC_FIELDS, 1), "aliases": 1}):
        doc["aliases"] = sorted(doc.get("aliases") or [])
        docs[doc["url"]] = doc
    return docs

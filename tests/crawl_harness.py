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
    "RETRY_AFTER_MAX": "5",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "LOG_LEVEL": "INFO",
    "MONGO_FLUSH_INTERVAL": "1",
}


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


def run_crawl(
    base_url: str,
    workdir: Path,
    *,
    mode: str = "full",
    lang: str | None = None,
    start_url: str | None = None,
    settings: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> CrawlResult:
    """Crawl ``base_url`` with ``scrapy crawl unsmil_news``; items come from a JSON Lines feed."""
    workdir.mkdir(parents=True, exist_ok=True)
    feed = workdir / "items.jsonl"
    stats_path = workdir / "stats.json"
    log_path = workdir / "crawl.log"
    for path in (feed, stats_path):
        path.unlink(missing_ok=True)
    merged = {**FAST, "STATS_JSON_PATH": str(stats_path), "LOG_FILE": str(log_path),
              **(settings or {})}
    cmd = [sys.executable, "-m", "scrapy", "crawl", "unsmil_news", "-a", f"base_url={base_url}",
           "-a", f"mode={mode}", "-O", f"{feed}:jsonlines"]
    if lang:
        cmd += ["-a", f"lang={lang}"]
    if start_url:
        cmd += ["-a", f"start_url={start_url}"]
    for name, value in merged.items():
        cmd += ["-s", f"{name}={value}"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
    log = log_path.read_text(encoding="utf-8") if log_path.exists() else ""
    log += proc.stderr
    items = []
    if feed.exists():
        with feed.open(encoding="utf-8") as fh:
            items = [json.loads(line) for line in fh if line.strip()]
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    return CrawlResult(proc.returncode, items, stats, log)

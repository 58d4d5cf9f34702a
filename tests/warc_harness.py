"""Helpers for the WARC tests: run ``unsmil-crawler reparse`` / ``warc index`` in a subprocess,
read an archive back record by record."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.crawl_harness import REPO
from unsmil_crawler.warc.reader import ScanReport, members, parse, warc_files

TIMES = ("_id", "first_seen", "last_seen", "updated_at", "run_id")
"""What differs between two runs storing the same documents: when, and which run. (The
``sitemap_lastmod`` a crawl stored comes back too: a reparse reads the archived sitemaps.)"""


@dataclass
class CliRun:
    returncode: int
    stderr: str
    stats: dict[str, Any]


def run_cli(*args: str, workdir: Path, timeout: float = 300) -> CliRun:
    """``python -m unsmil_crawler.cli ARGS`` with its state, log and stats under ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    stats_path = workdir / "stats.json"
    stats_path.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "unsmil_crawler.cli", *args]
    if args[0] == "reparse":
        cmd += ["-s", f"UNSMIL_STATE_DIR={workdir / 'state'}",
                "-s", f"STATSFILE_PATH={stats_path}", "-s", f"LOG_FILE={workdir / 'reparse.log'}"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    log = workdir / "reparse.log"
    return CliRun(proc.returncode, proc.stderr + (log.read_text() if log.exists() else ""), stats)


def reparse(warc: Path, mongo_uri: str, database: str, workdir: Path, *args: str) -> CliRun:
    return run_cli("reparse", "--warc-dir", str(warc), "--mongo-uri", mongo_uri,
                   "-s", f"MONGO_DATABASE={database}", *args, workdir=workdir)


@dataclass
class Record:
    file: str
    offset: int
    length: int
    type: str
    headers: dict[str, str]
    status: str | None
    payload: bytes


def records(directory: Path) -> Iterator[Record]:
    """Every complete record of the archive, in write order."""
    for path in warc_files(directory):
        with path.open("rb") as fh:
            for raw in members(fh, ScanReport(), path.name):
                rec = parse(raw)
                status = rec.http_headers.get_statuscode() if rec.http_headers else None
                yield Record(path.name, raw.offset, raw.length, rec.rec_type,
                             dict(rec.rec_headers.headers), status, rec.content_stream().read())


def documents(db: Any) -> dict[str, dict[str, Any]]:
    """{url: stored article without the run-dependent fields}, aliases sorted."""
    docs = {}
    for doc in db.articles.find({}):
        for name in TIMES:
            doc.pop(name, None)
        doc["aliases"] = sorted(doc.get("aliases") or [])
        docs[doc["url"]] = doc
    return docs

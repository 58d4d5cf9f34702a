"""Crawl throughput on the offline site, next to ``scrapy bench`` on the same machine.

Runs a full crawl of the offline site (both languages, faults off, the real pipelines into
a throwaway SecantusDB) at 0 ms and at 200 ms injected latency with 16 concurrent
requests, and ``scrapy bench``; prints pages/min and checks the issue's targets:

* at 0 ms: at least 60 % of ``scrapy bench``'s pages/min;
* at 200 ms: wall <= 1.5 x (0 ms wall + pages x 0.2 s / 16) -- latency hidden by
  concurrency, where a one-page-at-a-time chain walk would need pages x 0.2 s.

Usage: ``.venv/bin/python benchmarks/bench_crawl.py [--per-lang 320]``
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.crawl_harness import run_crawl  # noqa: E402
from unsmil_crawler.storage.local_server import SecantusServer  # noqa: E402
from unsmil_testsite import SiteServer, build_site  # noqa: E402


def scrapy_bench_pages_per_min(seconds: int = 15) -> float:
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}",
         "-s", "LOG_LEVEL=INFO"],
        capture_output=True, text=True, cwd=tempfile.gettempdir(), timeout=seconds + 60,
    )
    counts = re.findall(r"'response_received_count': (\d+)", proc.stderr)
    elapsed = re.findall(r"'elapsed_time_seconds': ([\d.]+)", proc.stderr)
    if not counts or not elapsed:
        raise RuntimeError(f"could not read scrapy bench output:\n{proc.stderr[-2000:]}")
    return int(counts[-1]) / float(elapsed[-1]) * 60


def crawl(site, latency: float, mongo_uri: str, workdir: Path) -> tuple[int, float]:
    server = SiteServer(site, latency=latency, faults=False)
    server.start()
    try:
        result = run_crawl(server.url, workdir, mode="full", settings={
            "MONGO_URI": mongo_uri, "MONGO_DATABASE": f"bench_{int(latency * 1000)}ms",
            "LOG_LEVEL": "WARNING",
        })
    finally:
        server.stop()
    if result.returncode != 0:
        raise RuntimeError(result.log[-3000:])
    return result.stat("response_received_count"), float(result.stats["elapsed_time_seconds"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-lang", type=int, default=320)
    args = parser.parse_args()
    site = build_site(per_lang=args.per_lang)
    with tempfile.TemporaryDirectory() as tmp:
        db = SecantusServer(storage_path=Path(tmp) / "db").start()
        try:
            pages0, wall0 = crawl(site, 0.0, db.uri, Path(tmp) / "c0")
            pages2, wall2 = crawl(site, 0.2, db.uri, Path(tmp) / "c200")
        finally:
            db.stop()
    bench = scrapy_bench_pages_per_min()
    rate0, rate2 = pages0 / wall0 * 60, pages2 / wall2 * 60
    budget = 1.5 * (wall0 + pages2 * 0.2 / 16)
    print(f"scrapy bench:          {bench:8.0f} pages/min")
    print(f"offline site, 0 ms:    {rate0:8.0f} pages/min  ({pages0} pages in {wall0:.1f} s) "
          f"= {rate0 / bench:.0%} of scrapy bench (target >= 60%)")
    print(f"offline site, 200 ms:  {rate2:8.0f} pages/min  ({pages2} pages in {wall2:.1f} s); "
          f"target wall <= {budget:.1f} s; one page at a time would take {pages2 * 0.2:.0f} s")
    ok = rate0 >= 0.6 * bench and wall2 <= budget
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

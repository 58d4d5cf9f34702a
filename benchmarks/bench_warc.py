"""What the WARC archive costs: crawl throughput with and without it, bytes per page, reparse speed.

Full crawls of the offline site (both languages, faults off, 0 ms latency, the real
pipelines into a throwaway SecantusDB), alternating WARC writing off and on, ``--rounds``
times each; pages/s is Scrapy's ``response_received_count / elapsed_time_seconds`` and the
median of each side is compared. Then ``unsmil-crawler reparse`` replays one crawl's archive
twice: into an empty database (every article new) and over the stored documents (every
article compared, none changed). Targets (issue 14): WARC <= 10 % slower, reparse >= 200
articles/s.

Usage: ``.venv/bin/python benchmarks/bench_warc.py [--per-lang 320] [--rounds 3]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.crawl_harness import run_crawl  # noqa: E402
from tests.warc_harness import reparse  # noqa: E402
from unsmil_crawler.storage.local_server import SecantusServer  # noqa: E402
from unsmil_testsite import SiteServer, build_site  # noqa: E402


def crawl(server: SiteServer, uri: str, workdir: Path, db: str, warc: bool) -> dict:
    result = run_crawl(server.url, workdir, mode="full", settings={
        "MONGO_URI": uri, "MONGO_DATABASE": db, "LOG_LEVEL": "WARNING",
        "WARC_ENABLED": str(warc)})
    if result.returncode != 0:
        raise RuntimeError(result.log[-3000:])
    return result.stats


def rate(stats: dict) -> float:
    return stats["response_received_count"] / stats["elapsed_time_seconds"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-lang", type=int, default=320)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    site = build_site(per_lang=args.per_lang)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = SecantusServer(storage_path=tmp / "db").start()
        server = SiteServer(site, faults=False).start()
        try:
            rates: dict[bool, list[float]] = {False: [], True: []}
            archived: dict = {}
            for n in range(args.rounds):
                for warc in (False, True):
                    stats = crawl(server, db.uri, tmp / f"c{n}{warc}", f"bench_{n}_{warc}", warc)
                    rates[warc].append(rate(stats))
                    if warc:
                        archived = stats
            warc_dir = tmp / f"c{args.rounds - 1}True" / "warc"
            timings = []
            for label in ("into an empty database", "over the stored documents"):
                started = time.monotonic()
                run = reparse(warc_dir, db.uri, "bench_reparse", tmp / f"r{len(timings)}")
                wall = time.monotonic() - started
                if run.returncode != 0:
                    raise RuntimeError(run.stderr[-3000:])
                timings.append((label, run.stats["reparse/records"],
                                run.stats["elapsed_time_seconds"], wall))
        finally:
            server.stop()
            db.stop()
    off, on = statistics.median(rates[False]), statistics.median(rates[True])
    slower = 1 - on / off
    pages = archived["warc/responses"] + archived.get("warc/revisits", 0)
    print(f"crawl without WARC: {off:7.1f} pages/s  (rounds: "
          f"{', '.join(f'{r:.1f}' for r in rates[False])})")
    print(f"crawl with WARC:    {on:7.1f} pages/s  (rounds: "
          f"{', '.join(f'{r:.1f}' for r in rates[True])}): {slower:+.1%} slower (target <= 10%)")
    print(f"archive: {archived['warc/bytes'] / pages / 1000:.1f} kB per page "
          f"({archived['warc/bytes'] / 1e6:.1f} MB for {pages} pages, gzip per record, "
          "with request and metadata records)")
    ok = slower <= 0.10
    for label, records, elapsed, wall in timings:
        print(f"reparse {label}: {records / elapsed:6.0f} articles/s  ({records} pages in "
              f"{elapsed:.1f} s of crawl time; {wall:.1f} s wall with start-up)")
        ok = ok and records / elapsed >= 200
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

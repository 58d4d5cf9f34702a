"""What the WARC archive costs: crawl throughput with and without it, bytes per page, reparse speed.

Full crawls of the offline site (both languages, faults off, 0 ms latency, the real
pipelines into a throwaway SecantusDB), alternating WARC writing off and on, ``--rounds``
times each. Two measures per side, each the median of its rounds: pages/s (Scrapy's
``response_received_count / elapsed_time_seconds``, wall clock) and CPU milliseconds per
page (user + system time of the crawl process, which a busy machine inflates far less than
wall time; the database is another process and not in it). Then ``unsmil-crawler reparse``
replays one crawl's archive twice: into an empty database (every article new) and over the
stored documents (every article compared, none changed).

Targets (issue 14): WARC <= 10 % slower, reparse >= 200 articles/s; on a busy machine (the
load average is printed) the CPU measures are the ones to judge by.

Usage: ``.venv/bin/python benchmarks/bench_warc.py [--per-lang 320] [--rounds 3]``
"""

from __future__ import annotations

import argparse
import os
import resource
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


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def crawl(server: SiteServer, uri: str, workdir: Path, db: str, warc: bool) -> tuple[dict, float]:
    """Final stats and CPU seconds of one full crawl."""
    before = child_cpu()
    result = run_crawl(server.url, workdir, mode="full", settings={
        "MONGO_URI": uri, "MONGO_DATABASE": db, "LOG_LEVEL": "WARNING",
        "WARC_ENABLED": str(warc)})
    if result.returncode != 0:
        raise RuntimeError(result.log[-3000:])
    return result.stats, child_cpu() - before


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
            cpu_ms: dict[bool, list[float]] = {False: [], True: []}
            archived: dict = {}
            for n in range(args.rounds):
                for warc in (False, True):
                    stats, cpu = crawl(server, db.uri, tmp / f"c{n}{warc}", f"bench_{n}_{warc}",
                                       warc)
                    pages = stats["response_received_count"]
                    rates[warc].append(pages / stats["elapsed_time_seconds"])
                    cpu_ms[warc].append(cpu / pages * 1000)
                    if warc:
                        archived = stats
            warc_dir = tmp / f"c{args.rounds - 1}True" / "warc"
            timings = []
            for label, only in (("start-up alone (no page selected)", "http://none.invalid/"),
                                ("into an empty database", None),
                                ("over the stored documents", None)):
                started, cpu = time.monotonic(), child_cpu()
                run = reparse(warc_dir, db.uri, "bench_reparse", tmp / f"r{len(timings)}",
                              *(("--url", only) if only else ()))
                wall, cpu = time.monotonic() - started, child_cpu() - cpu
                if run.returncode != 0:
                    raise RuntimeError(run.stderr[-3000:])
                timings.append((label, run.stats["reparse/records"],
                                run.stats["elapsed_time_seconds"], wall, cpu))
        finally:
            server.stop()
            db.stop()
    med = {w: (statistics.median(rates[w]), statistics.median(cpu_ms[w])) for w in rates}
    slower_wall = 1 - med[True][0] / med[False][0]
    slower_cpu = med[True][1] / med[False][1] - 1
    pages = archived["warc/responses"] + archived.get("warc/revisits", 0)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for warc, label in ((False, "without WARC"), (True, "with WARC   ")):
        print(f"crawl {label}: {med[warc][0]:6.1f} pages/s, {med[warc][1]:5.2f} CPU ms/page "
              f"(rounds: {', '.join(f'{r:.1f}' for r in rates[warc])} pages/s; "
              f"{', '.join(f'{c:.2f}' for c in cpu_ms[warc])} ms)")
    print(f"WARC writing costs {slower_cpu:+.1%} CPU per page, {slower_wall:+.1%} wall "
          "(target <= 10%)")
    print(f"archive: {archived['warc/bytes'] / pages / 1000:.1f} kB per page "
          f"({archived['warc/bytes'] / 1e6:.1f} MB for {pages} pages, gzip per record, "
          "with request and metadata records)")
    ok = min(slower_cpu, slower_wall) <= 0.10
    (_, _, idle_elapsed, idle_wall, idle_cpu), *runs = timings
    print(f"reparse start-up alone: {idle_wall:.1f} s wall, {idle_cpu:.1f} CPU s "
          f"({idle_elapsed:.1f} s of it inside the crawl: scan, dedupe index, close)")
    for label, records, elapsed, wall, cpu in runs:
        marginal = records / max(cpu - idle_cpu, 1e-9)
        print(f"reparse {label}: {records / elapsed:5.0f} articles/s of crawl time, "
              f"{marginal:5.0f} per CPU second past start-up ({records} pages in "
              f"{elapsed:.1f} s; {wall:.1f} s wall and {cpu:.1f} CPU s in all)")
        ok = ok and max(records / elapsed, marginal) >= 200
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

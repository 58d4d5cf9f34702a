"""Load benchmark: a big offline archive at full speed, JavaScript pages spread through it.

Builds the offline site with ``--per-lang`` articles per language and every ``--js-every``-th
Drupal 8+ article's body built by JavaScript, serves it on 127.0.0.1 (faults off), and runs
one full crawl (the production spider, pipelines and middlewares; AutoThrottle off, 16
concurrent requests) into a throwaway SecantusDB. While it runs, the crawl process's
memory is sampled from /proc. Prints timings, the crawl process's peak RSS (``VmHWM``; the
issue's target is <= 350 MB at 5,000 articles per language), the browser's peak PSS, and
whether every JavaScript body was rendered (the run fails loudly if one was not).

Not a timed test: figures depend on the machine; README.md lists the last measured ones.

Usage: ``.venv/bin/python benchmarks/bench_load.py [--per-lang 2000] [--js-every 40]``
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import pymongo  # noqa: E402

from tests.crawl_harness import collect, crawl_command  # noqa: E402
from tests.process_memory import chromium_pss_kib  # noqa: E402
from unsmil_crawler.storage.local_server import SecantusServer  # noqa: E402
from unsmil_testsite import SiteServer, build_site  # noqa: E402

RSS_TARGET_MB = 350


def _status_kib(pid: int, field: str) -> int:
    """A ``kB`` field of /proc/<pid>/status (VmRSS, VmHWM), 0 once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(per_lang: int, js_every: int, timeout: float) -> bool:
    started = time.monotonic()
    site = build_site(per_lang, js_every=js_every)
    js_paths = {a.path for a in site.expected() if a.js_body}
    built = time.monotonic() - started
    with tempfile.TemporaryDirectory() as tmp:
        db_server = SecantusServer(storage_path=Path(tmp) / "db").start()
        server = SiteServer(site, faults=False).start()
        try:
            workdir = Path(tmp) / "crawl"
            cmd = crawl_command(server.url, workdir, mode="full", settings={
                "MONGO_URI": db_server.uri, "MONGO_DATABASE": "bench_load",
                "LOG_LEVEL": "WARNING", "RENDER_MAX_PAGES": str(len(js_paths) + 100),
            })
            crawl_started = time.monotonic()
            proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True)
            peak_rss = peak_browser = 0
            while proc.poll() is None:
                if time.monotonic() - crawl_started > timeout:
                    proc.kill()
                    raise RuntimeError(f"crawl still running after {timeout:.0f} s")
                peak_rss = max(peak_rss, _status_kib(proc.pid, "VmHWM"))
                peak_browser = max(peak_browser, chromium_pss_kib(proc.pid)[1])
                time.sleep(0.2)
            wall = time.monotonic() - crawl_started
            result = collect(workdir, proc.returncode, proc.stderr.read() if proc.stderr else "")
            db = pymongo.MongoClient(db_server.uri)["bench_load"]
            js_urls = [server.url + p for p in js_paths]
            rendered = db.articles.count_documents(
                {"url": {"$in": js_urls}, "body": {"$ne": ""}, "rendered": True})
            stored = db.articles.count_documents({})
        finally:
            server.stop()
            db_server.stop()
    expected = sum(1 for a in site.expected() if not a.duplicate_of)  # a duplicate: an alias
    stats = result.stats
    requests = result.stat("downloader/request_count")
    rss_mb = peak_rss / 1024
    print(f"per language: {per_lang}  (site built in {built:.1f} s)")
    print(f"  articles stored:   {stored} of {expected} expected")
    print(f"  JS pages rendered: {rendered} of {len(js_paths)} "
          f"(render/rendered {result.stat('render/rendered')}, retried "
          f"{result.stat('render/retried')}, kept without body {result.stat('render/gave_up')})")
    elapsed = float(stats.get("elapsed_time_seconds", 0))
    print(f"  requests:          {requests} in {wall:.1f} s wall "
          f"({requests / wall:.0f}/s; Scrapy's elapsed {elapsed:.1f} s)")
    print(f"  peak RSS crawl process: {rss_mb:.0f} MB (target <= {RSS_TARGET_MB} MB)")
    print(f"  peak PSS Chromium:      {peak_browser / 1024:.0f} MB")
    ok = result.returncode == 0 and rendered == len(js_paths) and stored == expected
    if not ok:
        print(f"  FAILED: exit code {result.returncode}; log tail:\n{result.log[-2000:]}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-lang", type=int, action="append",
                        help="articles per language (repeat for several runs; default 2000)")
    parser.add_argument("--js-every", type=int, default=40,
                        help="every N-th Drupal 8+ article builds its body with JavaScript")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per crawl")
    args = parser.parse_args()
    results = [run(n, args.js_every, args.timeout) for n in args.per_lang or [2000]]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Progress and logs of a real crawl (issue 12, point 9).

On a terminal: a tqdm bar with percent and ETA, and log lines that never get glued onto
it. With ``--log-format json``: every line on stderr is JSON, progress, the stats dump and
the final summary included.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path
from typing import Any

import pytest

from tests.crawl_harness import FAST, REPO

pytestmark = pytest.mark.integration
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[")


def _crawl_args(server_url: str, mongo_uri: str, database: str, state: Path) -> list[str]:
    args = [sys.executable, "-m", "unsmil_crawler.cli", "crawl", "--mode", "full",
            "--lang", "en", "--base-url", server_url, "--mongo-uri", mongo_uri,
            "--database", database, "--progress", "-s", f"UNSMIL_STATE_DIR={state}",
            "-s", "PROGRESS_INTERVAL=0.2"]
    for name, value in FAST.items():
        args += ["-s", f"{name}={value}"]
    return args


def test_progress_bar_on_a_terminal_keeps_log_lines_apart(
    fresh_site_server, mongo_uri: str, mongo_db: Any, tmp_path: Path
) -> None:
    server = fresh_site_server(faults=False, latency=0.01)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    proc = subprocess.Popen(_crawl_args(server.url, mongo_uri, mongo_db.name, tmp_path),
                            cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=follower)
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(leader)
    assert proc.wait(30) == 0
    out = b"".join(chunks).decode("utf-8", "replace")

    assert re.search(r"article pages: +\d+%\|", out), "a tqdm bar"
    assert re.search(r"\d+/\d+ \[\d\d:\d\d<\d\d:\d\d", out), "done/known and an ETA"
    assert re.search(r"found \d+, stored \d+", out)
    final_bar = [seg for seg in re.split(r"[\r\n]", out) if "article pages:" in seg][-1]
    assert "100%" in final_bar, final_bar
    # Every log line starts a line of its own: after a newline or the bar's carriage return.
    glued = [m.start() for m in TIMESTAMP.finditer(out)
             if m.start() and out[m.start() - 1] not in "\r\n"]
    assert glued == [], [out[max(p - 80, 0):p + 40] for p in glued[:3]]
    assert len(TIMESTAMP.findall(out)) > 10, "log lines were printed meanwhile"


def test_json_logs_are_all_json_with_progress_stats_and_summary(
    fresh_site_server, mongo_uri: str, mongo_db: Any, tmp_path: Path
) -> None:
    server = fresh_site_server(faults=False)
    proc = subprocess.run([*_crawl_args(server.url, mongo_uri, mongo_db.name, tmp_path),
                           "--log-format", "json"], cwd=REPO, capture_output=True,
                          text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    records = [json.loads(line) for line in proc.stderr.splitlines()]  # fails on any non-JSON
    progress = [r for r in records if r["msg"].startswith("progress: ")]
    assert progress and progress[-1]["pages_done"] == progress[-1]["pages_known"] > 300
    stored = mongo_db.articles.count_documents({})  # one republished text is an alias
    assert stored <= progress[-1]["articles_stored"] <= progress[-1]["articles_found"] <= stored + 2
    assert any(r["msg"].startswith("Dumping Scrapy stats") for r in records)
    assert records[-1]["msg"].startswith("unsmil-crawler crawl: finished:")
    assert "articles found" in records[-1]["msg"]

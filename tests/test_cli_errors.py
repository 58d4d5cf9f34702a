"""Everyday mistakes end in one clear line and a documented exit code (issue 12, point 6).

Each case runs the real ``unsmil-crawler`` in a child process, as a user would, and
checks: the exit code listed in ``cli/errors.py`` (and docs/cli.md), exactly one line on
stderr naming the problem, no traceback.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from unsmil_crawler.cli.errors import EXIT_CODES
from unsmil_crawler.storage.local_server import free_port, pid_alive, port_open

REPO = Path(__file__).resolve().parent.parent
UNREACHABLE = "mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300"


def cli(*args: str, cwd: Path = REPO, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "unsmil_crawler.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def listener() -> Iterator[int]:
    """A port something already listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.fixture
def full_db(mongo_db: Any) -> Any:
    """Enough articles that an export overflows a pipe's buffer."""
    mongo_db.articles.insert_many([
        {"url": f"https://x/en/{i}", "lang": "en", "title": f"t{i}", "body": "b" * 2000,
         "title_norm": f"t{i}", "body_norm": "b"} for i in range(300)])
    return mongo_db


Case = Callable[[Path, dict[str, Any]], list[str]]
CASES: dict[str, tuple[Case, int, str]] = {
    "base-url-not-a-url": (
        lambda tmp, ctx: ["crawl", "--base-url", "notaurl"], 2,
        "not an absolute http(s) URL: 'notaurl'"),
    "base-url-ftp": (
        lambda tmp, ctx: ["crawl", "--base-url", "ftp://example.org/"], 2,
        "not an absolute http(s) URL"),
    "crawl-mongodb-unreachable": (
        lambda tmp, ctx: ["crawl", "--mongo-uri", UNREACHABLE, "--base-url",
                          "http://127.0.0.1:9/", "-s", f"UNSMIL_STATE_DIR={tmp / 'state'}"],
        1, "MongoDB at mongodb://127.0.0.1:9/"),
    "state-dir-unwritable": (
        lambda tmp, ctx: ["crawl", "-s", f"UNSMIL_STATE_DIR={ctx['file']}/state"], 73,
        "cannot use state directory"),
    "export-output-unwritable": (
        lambda tmp, ctx: ["export", "--format", "jsonl", "-o", "/nonexistent/x.jsonl",
                          *ctx["db"]], 73, "cannot write /nonexistent/x.jsonl"),
    "load-spill-missing": (
        lambda tmp, ctx: ["load-spill", str(tmp / "missing.jsonl"), *ctx["db"]], 66,
        "cannot read spill file"),
    "db-port-busy": (
        lambda tmp, ctx: ["db", "--port", str(ctx["busy_port"]), "--data-dir",
                          str(tmp / "d")], 69, "is already in use"),
    "db-directory-served": (
        lambda tmp, ctx: ["db", "--port", str(free_port()), "--data-dir", str(ctx["served"])],
        69, "already serves"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_user_error_is_one_line_with_its_exit_code(
    case: str, tmp_path: Path, mongo_uri: str, mongo_db: Any, listener: int
) -> None:
    build, code, message = CASES[case]
    (tmp_path / "file").write_text("a file, not a directory")
    served = tmp_path / "served"
    served.mkdir()
    (served / "server.json").write_text(json.dumps(
        {"host": "127.0.0.1", "port": listener, "pid": os.getpid()}))
    ctx = {"file": tmp_path / "file", "busy_port": listener, "served": served,
           "db": ["--mongo-uri", mongo_uri, "--database", mongo_db.name]}
    result = cli(*build(tmp_path, ctx))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == code, result.stderr
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert code in {c for c, _, _ in EXIT_CODES}, "documented"


def test_export_into_a_closed_pipe(full_db: Any, mongo_uri: str) -> None:
    proc = subprocess.run(
        f"{sys.executable} -m unsmil_crawler.cli export --format jsonl --mongo-uri "
        f"'{mongo_uri}' --database {full_db.name} | head -1",
        shell=True, cwd=REPO, capture_output=True, text=True, timeout=60,
        executable="/bin/bash",
    )
    assert len(proc.stdout.splitlines()) == 1
    assert proc.stderr.strip() == ("unsmil-crawler export: output closed before the end "
                                   "(broken pipe)")
    status = subprocess.run(
        f"set -o pipefail; {sys.executable} -m unsmil_crawler.cli export --format jsonl "
        f"--mongo-uri '{mongo_uri}' --database {full_db.name} | head -1 >/dev/null",
        shell=True, cwd=REPO, capture_output=True, text=True, timeout=60,
        executable="/bin/bash",
    )
    assert status.returncode == 141


def test_db_stopped_with_sigterm_stops_its_server(tmp_path: Path) -> None:
    port = free_port()
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-m", "unsmil_crawler.cli", "db", "--port", str(port),
         "--data-dir", str(data)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    daemon = 0
    try:
        deadline = time.monotonic() + 30
        while not (port_open("127.0.0.1", port) and (data / "server.json").exists()):
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr
            time.sleep(0.1)
        daemon = json.loads((data / "server.json").read_text())["pid"]
        assert daemon != proc.pid and pid_alive(daemon)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:  # failed: leave neither the command nor its server behind
            proc.kill()
            if daemon and pid_alive(daemon):
                os.kill(daemon, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while pid_alive(daemon) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not pid_alive(daemon), "the SecantusDB daemon outlived unsmil-crawler db"
    assert not port_open("127.0.0.1", port)
    assert not (data / "server.json").exists()


def test_a_crawl_that_cannot_start_says_why_in_its_last_line(
        tmp_path: Path, mongo_uri: str, mongo_db: Any) -> None:
    """A WARC directory without room refuses the crawl before any request (issue 14): the
    summary names the reason, where it used to say ``finish_reason=None``."""
    result = cli("crawl", "--mode", "full", "--base-url", "http://127.0.0.1:9/", "--no-progress",
                 "--mongo-uri", mongo_uri, "--database", mongo_db.name,
                 "-s", f"UNSMIL_STATE_DIR={tmp_path / 'state'}", "-s", "WARC_MIN_FREE_MB=1e12")
    last = result.stderr.strip().splitlines()[-1]
    assert result.returncode == 1, result.stderr[-2000:]
    assert last.startswith("unsmil-crawler crawl: crawl did not start: WARC_DIR "), last
    assert "below WARC_MIN_FREE_MB" in last
    assert "Traceback" not in result.stderr

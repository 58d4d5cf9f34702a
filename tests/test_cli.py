"""The ``unsmil-crawler`` CLI: crawl locking, JOBDIR wiring, exit codes, status and export.

The crawl tests run the real CLI in a child process with ``SPIDER_MODULES`` pointed at
this module, whose ``unsmil_news`` stand-in makes no request: they test the CLI's wiring,
not the spider (the spider's own tests crawl the offline site).
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import scrapy

from unsmil_crawler.cli.crawl import EXIT_LOCKED, crawl_lock
from unsmil_crawler.cli.main import main

ROOT = Path(__file__).resolve().parent.parent


class StandInSpider(scrapy.Spider):
    """Records what the CLI handed it, waits for a release file if asked, maybe fails."""

    name = "unsmil_news"
    custom_settings = {  # noqa: RUF012 - Scrapy's documented class attribute
        "ITEM_PIPELINES": {},
        "DOWNLOADER_MIDDLEWARES": {},
        "SPIDER_MIDDLEWARES": {},
        "ROBOTSTXT_OBEY": False,
        "LOGSTATS_INTERVAL": 0,
    }

    async def start(self) -> AsyncIterator[Any]:
        out = Path(os.environ["CLI_TEST_OUT"])
        jobdir = self.settings.get("JOBDIR")
        record = {
            "args": {k: getattr(self, k, None)
                     for k in ("site", "mode", "lang", "base_url", "start_url")},
            "jobdir": jobdir,
            "jobdir_exists": bool(jobdir) and Path(jobdir).is_dir(),
            "mongo_uri": self.settings.get("MONGO_URI"),
        }
        out.write_text(json.dumps(record))
        release = os.environ.get("CLI_TEST_WAIT_FOR")
        deadline = time.monotonic() + 20
        while release and not Path(release).exists() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        self.logger.info("stand-in spider done")
        if os.environ.get("CLI_TEST_FAIL"):
            raise RuntimeError("stand-in failure")
        return
        yield


def _crawl_cmd(state: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "unsmil_crawler.cli", "crawl",
        "-s", "SPIDER_MODULES=tests.test_cli",
        "-s", "ADDONS={}",
        "-s", f"UNSMIL_STATE_DIR={state}",
        *extra,
    ]


@pytest.fixture
def db_args(mongo_uri: str, mongo_db: Any) -> list[str]:
    """The test server and a throwaway database, as CLI options (crawl checks it answers)."""
    return ["--mongo-uri", mongo_uri, "--database", mongo_db.name]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "CLI_TEST_OUT": str(tmp_path / "spider.json"), **extra}


def test_crawl_passes_options_uses_jobdir_and_clears_it_after_a_clean_finish(
    tmp_path: Path, db_args: list[str], mongo_uri: str
) -> None:
    state = tmp_path / "state"
    cmd = _crawl_cmd(
        state, "--mode", "full", "--lang", "en", "--base-url", "http://127.0.0.1:9/",
        *db_args, "--log-format", "json", "--progress",
    )
    proc = subprocess.run(
        cmd, cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads((tmp_path / "spider.json").read_text())
    assert seen["args"] == {
        "site": "unsmil", "mode": "full", "lang": "en", "base_url": "http://127.0.0.1:9/",
        "start_url": None,
    }
    assert seen["jobdir"] == str(state / "jobdir" / "unsmil" / "full") and seen["jobdir_exists"]
    assert seen["mongo_uri"] == mongo_uri
    assert not (state / "jobdir" / "unsmil" / "full").exists(), "a finished run leaves no JOBDIR"
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("{")]
    records = [json.loads(ln) for ln in lines]
    assert any(r["msg"] == "stand-in spider done" for r in records)
    assert any(r["msg"].startswith("progress: article pages 0/0") for r in records), (
        "progress comes as JSON log records")
    assert all(line.startswith("{") for line in proc.stderr.splitlines()), proc.stderr


def test_failed_crawl_exits_1_and_keeps_jobdir_for_resume(
    tmp_path: Path, db_args: list[str]
) -> None:
    state = tmp_path / "state"
    proc = subprocess.run(
        _crawl_cmd(state, "--no-progress", *db_args), cwd=ROOT,
        env=_env(tmp_path, CLI_TEST_FAIL="1"), capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    assert "did not finish" in proc.stderr.splitlines()[-1]
    assert (state / "jobdir" / "unsmil" / "incremental").is_dir(), "an unfinished run keeps it"


@contextmanager
def first_crawl_holding_the_lock(
    tmp_path: Path, state: Path, db_args: list[str]
) -> Iterator[subprocess.Popen[str]]:
    """A crawl that has started (its stand-in spider opened) and holds the lock until the
    block ends; then it is released and must finish cleanly."""
    release = tmp_path / "release"
    first = subprocess.Popen(
        _crawl_cmd(state, "--no-progress", *db_args), cwd=ROOT,
        env=_env(tmp_path, CLI_TEST_WAIT_FOR=str(release)),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "spider.json").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (tmp_path / "spider.json").exists(), "first crawl never started"
        yield first
    finally:
        release.touch()
        _, err = first.communicate(timeout=60)
    assert first.returncode == 0, err


def test_second_concurrent_crawl_exits_75_without_disturbing_the_first(
    tmp_path: Path, db_args: list[str]
) -> None:
    state = tmp_path / "state"
    with first_crawl_holding_the_lock(tmp_path, state, db_args) as first:
        second = subprocess.run(
            _crawl_cmd(state, "--no-progress", *db_args), cwd=ROOT, env=_env(tmp_path / "x"),
            capture_output=True, text=True, timeout=60,
        )
        assert second.returncode == EXIT_LOCKED
        assert len(second.stderr.strip().splitlines()) == 1
        assert f"pid {first.pid}" in second.stderr
        assert first.poll() is None, "the first crawl keeps running"


def test_locked_crawl_touches_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = tmp_path / "state"
    with crawl_lock(state / "crawl.lock"):
        before = (state / "crawl.lock").read_text()
        code = main(["crawl", "--no-progress", "-s", f"UNSMIL_STATE_DIR={state}"])
        assert (state / "crawl.lock").read_text() == before
    assert code == EXIT_LOCKED
    assert "another crawl is running" in capsys.readouterr().err
    assert not (state / "jobdir").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["crawl", "--mode", "sometimes"],
        ["crawl", "--lang", "fr"],
        ["crawl", "--site", "nowhere"],
        ["export", "--format", "xml"],
        ["export", "--format", "csv", "--since", "yesterday"],
        ["health", "--max-age", "soon"],
        [],
    ],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2


def test_bad_setting_pair_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["crawl", "-s", "NOEQUALS", "-s", f"UNSMIL_STATE_DIR={tmp_path}"]) == 2


# -- commands that read MongoDB, against a real SecantusDB --------------------------------


@pytest.fixture
def mongo(mongo_uri: str) -> str:
    """The session's real MongoDB-wire server (tests/fixtures_mongo.py)."""
    return mongo_uri


def _article(n: int, lang: str, published: datetime) -> dict[str, Any]:
    return {
        "url": f"https://unsmil.unmissions.org/{lang}/news/item-{n}",
        "lang": lang,
        "title": f"Title {n} «{lang}»",
        "published": published,
        "body": "first paragraph\n\nsecond, with a comma",
        "revision": 1,
        "aliases": [f"https://unsmil.unmissions.org/node/{n}"],
        "translations": {"en" if lang == "ar" else "ar": f"https://x/{n}"},
        "minhash": list(range(128)),
    }


@pytest.fixture
def db(mongo_db: Any) -> Any:
    """A throwaway database of the test server (never the production default ``unsmil``)."""
    return mongo_db


def test_export_jsonl_filters_by_language_and_inclusive_dates(
    db: Any, mongo: str, tmp_path: Path
) -> None:
    day = datetime(2020, 1, 1, tzinfo=UTC)
    db.articles.insert_many(
        [_article(i, "ar", day + timedelta(days=i)) for i in range(5)]
        + [_article(10 + i, "en", day + timedelta(days=i)) for i in range(5)]
    )
    out = tmp_path / "ar.jsonl"
    code = main([
        "export", "--format", "jsonl", "--lang", "ar", "--since", "2020-01-02",
        "--until", "2020-01-04", "-o", str(out), "--mongo-uri", mongo, "--database", db.name,
    ])
    assert code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["published"][:10] for r in rows] == ["2020-01-02", "2020-01-03", "2020-01-04"]
    assert {r["lang"] for r in rows} == {"ar"}
    assert rows[0]["title"] == "Title 1 «ar»"
    assert "minhash" not in rows[0]
    assert not list(tmp_path.glob(".*partial"))


def test_export_csv_round_trips_through_a_csv_reader(db: Any, mongo: str, tmp_path: Path) -> None:
    db.articles.insert_one(_article(1, "en", datetime(2021, 3, 4, tzinfo=UTC)))
    out = tmp_path / "all.csv"
    assert main(["export", "--format", "csv", "-o", str(out), "--mongo-uri", mongo,
                 "--database", db.name]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfurl,"), "BOM so Excel reads UTF-8"
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1
    assert rows[0]["url"].endswith("/item-1")
    assert rows[0]["body"] == "first paragraph\n\nsecond, with a comma"
    assert rows[0]["published"].startswith("2021-03-04T00:00:00")
    assert rows[0]["aliases"] == "https://unsmil.unmissions.org/node/1"


def test_status_lists_newest_run_first(
    db: Any, mongo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    start = datetime(2024, 5, 1, 3, 0, tzinfo=UTC)
    db.crawl_runs.insert_many([
        {"_id": f"run-{i}", "mode": "incremental", "status": "finished",
         "started_at": start + timedelta(days=i),
         "finished_at": start + timedelta(days=i, minutes=2),
         "stats": {"requests": 40 + i, "articles_new": i, "errors": 0}}
        for i in range(3)
    ])
    assert main(["status", "-n", "2", "--mongo-uri", mongo, "--database", db.name]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["started", "mode", "status"]
    assert len(lines) == 3
    assert lines[1].startswith("2024-05-03 03:00") and "42" in lines[1] and "2m00s" in lines[1]


UNREACHABLE = "mongodb://u:s3cret@127.0.0.1:9/?serverSelectionTimeoutMS=300"


@pytest.mark.parametrize(
    "argv",
    [["status"], ["export", "--format", "jsonl"], ["export", "--format", "csv", "-o", "OUT"]],
    ids=["status", "export-stdout", "export-file"],
)
def test_unreachable_database_is_one_line_exit_1(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.csv"
    argv = [str(out) if a == "OUT" else a for a in argv]
    assert main([*argv, "--mongo-uri", UNREACHABLE]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        f"unsmil-crawler {argv[0]}: MongoDB at mongodb://u:***@127.0.0.1:9/"
        "?serverSelectionTimeoutMS=300 unreachable (ServerSelectionTimeoutError)"
    )
    assert list(tmp_path.iterdir()) == [], "no export file, not even a partial one"


@pytest.mark.parametrize(
    ("counts", "limit", "code"),
    [
        ({"errors": 1, "requests": 300}, 0.05, 0),
        ({"errors": 15, "requests": 300}, 0.05, 0),
        ({"errors": 16, "requests": 300}, 0.05, 1),
        ({"errors": 16, "requests": 300}, 0.1, 0),
        ({"errors": 1}, 0.05, 1),
        ({"requests": 300, "storage_failure": "spilled"}, 0.05, 1),
    ],
    ids=["one-give-up", "at-limit", "above-limit", "raised-limit", "no-requests", "mongo"],
)
def test_crawl_fails_only_above_the_error_rate_health_tolerates(
    counts: dict[str, Any], limit: float, code: int
) -> None:
    from unsmil_crawler.cli.crawl import RunOutcome, crawl_exit_code

    assert crawl_exit_code(RunOutcome("finished", **counts), limit)[0] == code


# -- schedule: the container's cron -------------------------------------------------------


def test_schedule_sleeps_until_each_cron_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from unsmil_crawler.cli import schedule as sched

    now = [datetime(2024, 5, 1, 3, 0, tzinfo=UTC)]
    slept: list[float] = []
    calls: list[tuple[list[str], list[str]]] = []

    def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += timedelta(seconds=seconds)

    def fake_run_once(crawl_args: list[str], health_args: list[str]) -> int:
        calls.append((list(crawl_args), list(health_args)))
        now[0] += timedelta(minutes=5)
        return 0

    monkeypatch.setattr(sched, "run_once", fake_run_once)
    code = sched.schedule(
        "17 3 * * *", ["--mode", "full"], runs=2, sleep=fake_sleep, clock=lambda: now[0]
    )
    assert code == 0
    assert slept == [17 * 60, 24 * 3600 - 5 * 60]
    assert calls == [(["--mode", "full"], [])] * 2


def test_schedule_run_once_crawls_then_checks_health(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mongo: str, db: Any
) -> None:
    from unsmil_crawler.cli.schedule import run_once

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("CLI_TEST_OUT", str(tmp_path / "spider.json"))
    crawl_args = [
        "--no-progress", "-s", "SPIDER_MODULES=tests.test_cli", "-s", "ADDONS={}",
        "-s", f"UNSMIL_STATE_DIR={tmp_path}",
    ]
    # The stand-in records no crawl_runs document, so health answers "no run" (3).
    connection = ["--mongo-uri", mongo, "--database", db.name]
    assert run_once([*crawl_args, *connection], connection) == 3
    assert (tmp_path / "spider.json").exists()


# -- what the cron wrapper left to the CLI: the lock wait (the env file: test_env_file.py)


def test_lock_wait_queues_the_second_crawl_behind_the_first(
    tmp_path: Path, db_args: list[str]
) -> None:
    state = tmp_path / "state"
    second_out = tmp_path / "second"
    second_out.mkdir()
    with first_crawl_holding_the_lock(tmp_path, state, db_args):
        second = subprocess.Popen(
            _crawl_cmd(state, "--no-progress", "--lock-wait", "60", *db_args), cwd=ROOT,
            env=_env(second_out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        time.sleep(2)
        assert second.poll() is None, "the second crawl waits for the lock"
        assert not (second_out / "spider.json").exists(), "and does not crawl meanwhile"
    _, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert (second_out / "spider.json").exists()

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
import shlex
import subprocess
import sys
import time
from collections.abc import AsyncIterator
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


def test_second_concurrent_crawl_exits_75_without_disturbing_the_first(
    tmp_path: Path, db_args: list[str]
) -> None:
    state = tmp_path / "state"
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
        second = subprocess.run(
            _crawl_cmd(state, "--no-progress", *db_args), cwd=ROOT, env=_env(tmp_path / "x"),
            capture_output=True, text=True, timeout=60,
        )
        assert second.returncode == EXIT_LOCKED
        assert len(second.stderr.strip().splitlines()) == 1
        assert f"pid {first.pid}" in second.stderr
        assert first.poll() is None, "the first crawl keeps running"
    finally:
        release.touch()
        _, err = first.communicate(timeout=60)
    assert first.returncode == 0, err


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


def _demo(mongo: str, database: str, state: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "unsmil_crawler.cli", "demo", "--mongo-uri", mongo,
         "--database", database],
        cwd=ROOT, env={**os.environ, "UNSMIL_STATE_DIR": str(state)},
        capture_output=True, text=True, timeout=300,
    )


@pytest.mark.integration
def test_demo_is_repeatable_and_says_how_to_look_at_what_it_stored(
    tmp_path: Path, mongo: str, mongo_db: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 12, points 7 and 8: run twice (the site gets a new port each time)."""
    first = _demo(mongo, mongo_db.name, tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    stored = {lang: mongo_db.articles.count_documents({"lang": lang}) for lang in ("ar", "en")}
    assert stored["ar"] > 100 and stored["en"] > 100
    assert f"articles: ar {stored['ar']}, en {stored['en']}" in first.stdout
    assert "requests: 0 " not in first.stdout
    assert not (tmp_path / "jobdir" / "demo").exists()

    second = _demo(mongo, mongo_db.name, tmp_path)
    assert second.returncode == 0, second.stderr[-3000:]
    def result(out: str) -> tuple[list[str], int]:
        lines = out.splitlines()
        stored = [ln for ln in lines if ln.startswith(("articles:", "rejects:"))]
        requests = next(ln for ln in lines if ln.startswith("requests:")).split()[1]
        return stored, int(requests)

    (stored_1, requests_1), (stored_2, requests_2) = result(first.stdout), result(second.stdout)
    assert stored_1 == stored_2, "the same articles, rejects and duplicates the second time"
    # Parallel discovery may fetch a few alias URLs twice; a re-check of the last demo's
    # URLs on its dead port would have cost thousands.
    assert requests_2 <= requests_1 * 1.05
    assert mongo_db.articles.count_documents({}) == sum(stored.values())
    # The only revision a demo may leave is the one a republished text can leave in any
    # full crawl, depending on fetch order: the archived earlier copy, superseded.
    revisions = list(mongo_db.article_revisions.find({}, {"superseded_by": 1}))
    assert len(revisions) <= 1 and all(r.get("superseded_by") for r in revisions), revisions
    assert [r["status"] for r in mongo_db.crawl_runs.find()] == ["finished"]

    # The printed commands work as printed, and show what the demo stored.
    commands = [line.split("unsmil-crawler ", 1)[1] for line in second.stdout.splitlines()
                if line.startswith("  unsmil-crawler ")]
    assert [c.split()[0] for c in commands] == ["status", "health", "export", "export"]
    assert main(shlex.split(commands[0])) == 0
    assert main(shlex.split(commands[1])) == 0
    assert "finished" in capsys.readouterr().out
    assert main([*shlex.split(commands[3]), "-o", str(tmp_path / "sirte.jsonl")]) == 0


def test_demo_refuses_to_empty_a_database_that_is_no_demo(
    tmp_path: Path, mongo: str, mongo_db: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    mongo_db.articles.insert_one({"url": "https://unsmil.unmissions.org/en/news/x"})
    assert main(["demo", "--mongo-uri", mongo, "--database", mongo_db.name]) == 2
    assert "holds crawls of another site" in capsys.readouterr().err
    assert mongo_db.articles.count_documents({}) == 1


# -- what the cron wrapper left to the CLI: the env file and the lock wait ------------------


def test_env_file_is_read_literally_and_masked_when_shown(tmp_path: Path) -> None:
    uri = "mongodb://crawler:pa$$w0rd$HOME@127.0.0.1:9/?serverSelectionTimeoutMS=200&tls=false"
    env_file = tmp_path / "crawler.env"
    env_file.write_text(f"# a comment\n\n  MONGO_URI='{uri}'\nMONGO_DATABASE=unsmil test\n")
    proc = subprocess.run(
        [sys.executable, "-m", "unsmil_crawler.cli", "--env-file", str(env_file), "status"],
        cwd=ROOT, env={k: v for k, v in os.environ.items() if not k.startswith("MONGO_")},
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 1  # that server does not exist: the URI reached the CLI as is
    assert "mongodb://crawler:***@127.0.0.1:9/" in proc.stderr
    assert "pa$$w0rd" not in proc.stderr + proc.stdout


@pytest.mark.parametrize(
    ("env_text", "extra"),
    [(None, {}), ("MONGO_DATABASE=unsmil\n", {}), ("MONGO_URI=\n", {}),
     ("MONGO_URI=mongodb://x/\nthis is not a pair\n", {})],
    ids=["missing-file", "no-uri", "empty-uri", "bad-line"],
)
def test_unusable_env_file_exits_78_before_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    env_text: str | None, extra: dict[str, str],
) -> None:
    monkeypatch.delenv("MONGO_URI", raising=False)
    monkeypatch.delenv("UNSMIL_ALLOW_LOCAL_DB", raising=False)
    env_file = tmp_path / "crawler.env"
    if env_text is not None:
        env_file.write_text(env_text)
    state = tmp_path / "state"
    argv = ["--env-file", str(env_file), "crawl", "-s", f"UNSMIL_STATE_DIR={state}"]
    assert main(argv) == 78
    assert capsys.readouterr().err.startswith("unsmil-crawler: ")
    assert not state.exists(), "nothing was started"


def test_lock_wait_queues_the_second_crawl_behind_the_first(
    tmp_path: Path, db_args: list[str]
) -> None:
    state = tmp_path / "state"
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
        second_out = tmp_path / "second"
        second_out.mkdir()
        second = subprocess.Popen(
            _crawl_cmd(state, "--no-progress", "--lock-wait", "60", *db_args), cwd=ROOT,
            env=_env(second_out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        time.sleep(2)
        assert second.poll() is None, "the second crawl waits for the lock"
        assert not (second_out / "spider.json").exists(), "and does not crawl meanwhile"
    finally:
        release.touch()
        first.communicate(timeout=60)
    _, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert (second_out / "spider.json").exists()

"""A fresh deployment's first runs: recorded mode, health baseline (issue 12, point 1).

The first incremental run on an empty store crawls in full; it is recorded as
``mode: full, requested_mode: incremental``, so the next incremental run is not compared
with it, and counts are judged only once there is a baseline of runs of the same mode.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.crawl_harness import FAST, REPO
from unsmil_crawler.cli import health as h
from unsmil_crawler.cli.schedule import schedule

NOW = datetime(2024, 6, 1, 6, 0, tzinfo=UTC)


def run(run_id: str, days_ago: int, found: int, mode: str = "incremental",
        requested: str | None = None) -> dict[str, Any]:
    finished = NOW - timedelta(days=days_ago, minutes=-1)
    return {"_id": run_id, "mode": mode, "requested_mode": requested or mode,
            "status": "finished", "finish_reason": "finished",
            "started_at": finished - timedelta(minutes=5), "finished_at": finished,
            "stats": {"requests": 100, "articles_new": found, "errors": 0}}


def test_an_incremental_run_is_not_judged_against_a_full_fallback_run() -> None:
    first = run("r1", 1, 641, mode="full", requested="incremental")
    result = h.check_health([run("r2", 0, 64), first], NOW)
    assert result.ok, result.reason


def test_counts_are_not_judged_before_there_is_a_baseline() -> None:
    # Two earlier runs recorded before this fix (a fallback run counted as incremental).
    history = [run("r1", 1, 641), run("r2", 2, 641)]
    assert h.check_health([run("r0", 0, 64), *history], NOW).ok
    assert h.check_health([run("r0", 0, 64), *history], NOW, min_baseline=2).code == h.LOW_YIELD
    # Once three runs of the same mode exist, their median is the usual count, and one
    # odd run among them does not move it.
    history = [run("r1", 1, 641), run("r2", 2, 60), run("r3", 3, 70)]
    assert h.check_health([run("r0", 0, 64), *history], NOW).ok
    assert h.check_health([run("r0", 0, 10), *history], NOW).code == h.LOW_YIELD


def test_the_verdict_names_the_requested_mode_when_it_differs() -> None:
    result = h.check_health([run("r1", 0, 0, mode="full", requested="incremental")], NOW)
    assert "(full, requested incremental)" in result.reason


@pytest.mark.integration
def test_schedule_after_a_first_full_by_fallback_run_is_healthy(
    fresh_site_server, mongo_uri: str, mongo_db: Any, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = fresh_site_server(faults=False)
    monkeypatch.chdir(REPO)
    crawl_args = ["--mode", "incremental", "--base-url", server.url, "--no-progress",
                  "--mongo-uri", mongo_uri, "--database", mongo_db.name,
                  "-s", f"UNSMIL_STATE_DIR={tmp_path}", "-s", f"LOG_FILE={tmp_path / 'log'}"]
    for name, value in FAST.items():
        crawl_args += ["-s", f"{name}={value}"]

    assert schedule("* * * * *", crawl_args, runs=1, sleep=lambda _s: None) == 0
    first = mongo_db.crawl_runs.find_one()
    assert (first["mode"], first["requested_mode"]) == ("full", "incremental")

    server.set_state("updated")
    feed = tmp_path / "incremental.jsonl"
    feeds = json.dumps({str(feed): {"format": "jsonlines"}})
    assert schedule("* * * * *", [*crawl_args, "-s", f"FEEDS={feeds}"], runs=1,
                    sleep=lambda _s: None) == 0, (
        "schedule --runs 1 after the fallback run must not exit 7"
    )
    rows = [json.loads(line) for line in feed.read_text().splitlines()]
    assert rows and all(row.get("title") for row in rows), "the feed has articles only"
    runs = list(mongo_db.crawl_runs.find().sort("started_at", 1))
    assert [(r["mode"], r["requested_mode"]) for r in runs] == [
        ("full", "incremental"), ("incremental", "incremental")]
    assert h.articles_found(runs[1]) < 0.3 * h.articles_found(runs[0])

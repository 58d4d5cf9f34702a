"""``health``: the verdict cron and monitors act on, as pure logic and via the CLI on a real DB."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from unsmil_crawler.cli import health as h
from unsmil_crawler.cli.main import main

NOW = datetime(2024, 6, 1, 6, 0, tzinfo=UTC)


def run(
    run_id: str,
    hours_ago: float,
    *,
    status: str = "finished",
    mode: str = "incremental",
    found: int = 40,
    requests: int = 100,
    errors: int = 0,
    finish_reason: str | None = None,
    neighbours: tuple[int, int] | None = None,
) -> dict:
    """A crawl_runs document as the storage contract shapes it."""
    finished = NOW - timedelta(hours=hours_ago)
    return {
        "_id": run_id,
        "spider": "unsmil_news",
        "mode": mode,
        "status": status,
        "finish_reason": finish_reason or ("finished" if status == "finished" else "shutdown"),
        "started_at": finished - timedelta(minutes=5),
        "finished_at": finished,
        "stats": {
            "requests": requests,
            "articles_new": 0,
            "articles_updated": 0,
            "articles_unchanged": found,
            "errors": errors,
            **({"neighbours": {"parsed": neighbours[0], "none": neighbours[1]}}
               if neighbours else {}),
        },
    }


def verdict(runs: list[dict], **kw: object) -> h.HealthResult:
    return h.check_health(runs, NOW, **kw)  # type: ignore[arg-type]


def test_healthy_recent_run_is_ok() -> None:
    result = verdict([run("r2", 2), run("r1", 26)])
    assert result.ok and result.code == h.OK


def test_no_run_at_all() -> None:
    assert verdict([]).code == h.NO_RUN
    assert verdict([run("r1", 1, status="running")]).code == h.NO_RUN


def test_stale_last_success() -> None:
    result = verdict([run("r1", 30)])
    assert (result.ok, result.code) == (False, h.STALE)
    assert "30.0h ago" in result.reason
    assert verdict([run("r1", 30)], max_age=timedelta(hours=48)).ok


def test_failed_last_run_beats_older_success() -> None:
    result = verdict([run("r2", 1, status="failed"), run("r1", 10)])
    assert result.code == h.FAILED and "r2" in result.reason


def test_finished_status_with_bad_finish_reason_is_a_failure() -> None:
    assert verdict([run("r1", 1, finish_reason="closespider_timeout")]).code == h.FAILED


def test_running_run_does_not_hide_the_last_completed_one() -> None:
    assert verdict([run("r3", 0.1, status="running"), run("r2", 2)]).ok


def test_high_error_rate() -> None:
    result = verdict([run("r1", 1, errors=6, requests=100)])
    assert result.code == h.ERROR_RATE
    assert verdict([run("r1", 1, errors=5, requests=100)]).ok


def test_empty_run() -> None:
    assert verdict([run("r1", 1, found=0)]).code == h.EMPTY


def test_articles_kept_without_body_are_loud() -> None:
    unrendered = run("r1", 1)
    unrendered["stats"]["render_failed"] = 2
    result = verdict([unrendered, run("r0", 24)])
    assert result.code == h.RENDER_FAILED and "2 articles without body" in result.reason
    assert verdict([run("r2", 0.5), unrendered]).ok  # the next run rendered them


def test_far_fewer_articles_than_usual_for_the_same_mode() -> None:
    history = [run(f"r{i}", 24 * i, found=40) for i in range(1, 5)]
    assert verdict([run("r0", 1, found=10), *history]).code == h.LOW_YIELD
    assert verdict([run("r0", 1, found=13), *history]).ok
    # A full run's size says nothing about what an incremental run should find.
    fulls = [run(f"f{i}", 24 * i, mode="full", found=3000) for i in range(1, 4)]
    assert verdict([run("r0", 1, found=40), *fulls]).ok


def test_exit_codes_are_distinct_and_avoid_crawl_codes() -> None:
    codes = [h.NO_RUN, h.STALE, h.FAILED, h.ERROR_RATE, h.LOW_YIELD, h.EMPTY, h.UNREACHABLE,
             h.BROKEN_CHAIN, h.RENDER_FAILED]
    assert len(set(codes)) == len(codes)
    assert not set(codes) & {0, 1, 2, 75}


@pytest.fixture
def mongo(mongo_uri: str) -> str:
    """The session's real MongoDB-wire server (tests/fixtures_mongo.py)."""
    return mongo_uri


@pytest.fixture
def runs_collection(mongo_db: Any) -> Any:
    return mongo_db["crawl_runs"]


def _cli_health(
    uri: str, capsys: pytest.CaptureFixture[str], database: str = "unused"
) -> tuple[int, str]:
    code = main(["health", "--mongo-uri", uri, "--database", database])
    return code, capsys.readouterr().out.strip()


@pytest.mark.parametrize(
    ("docs", "expected"),
    [
        ([], h.NO_RUN),
        ([run("stale", 0)], h.STALE),
        ([run("failed", 0, status="failed")], h.FAILED),
        ([run("empty", 0, found=0)], h.EMPTY),
        ([run("healthy", 0)], h.OK),
    ],
    ids=["no-run", "stale", "failed", "empty", "healthy"],
)
def test_health_command_against_real_database(
    runs_collection, mongo: str, capsys: pytest.CaptureFixture[str], docs: list[dict], expected: int
) -> None:
    now = datetime.now(UTC)
    for doc in docs:
        shift = timedelta(days=3) if doc["_id"] == "stale" else timedelta(minutes=10)
        doc["started_at"], doc["finished_at"] = now - shift - timedelta(minutes=5), now - shift
    if docs:
        runs_collection.insert_many(docs)
    code, out = _cli_health(mongo, capsys, runs_collection.database.name)
    assert code == expected
    assert len(out.splitlines()) == 1
    assert out.startswith("OK:" if expected == h.OK else "UNHEALTHY:")


def test_unreachable_database_is_one_line_and_code_9(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _cli_health("mongodb://crawler:s3cret@127.0.0.1:9/?serverSelectionTimeoutMS=300",
                            capsys)
    assert code == h.UNREACHABLE == 9
    assert out == (
        "UNHEALTHY: MongoDB at mongodb://crawler:***@127.0.0.1:9/?serverSelectionTimeoutMS=300"
        " unreachable (ServerSelectionTimeoutError)"
    )


def test_a_chain_gone_blind_fails_against_the_last_healthy_run() -> None:
    """A template change: 85% of parsed articles lose both neighbour links."""
    healthy = run("r1", 26, mode="full", neighbours=(640, 2))
    blind = run("r2", 2, mode="full", neighbours=(640, 544))
    result = verdict([blind, healthy])
    assert result.code == h.BROKEN_CHAIN
    assert "85% of 640 parsed articles had no previous/next link" in result.reason
    assert "0% in the last healthy run" in result.reason
    assert "\n" not in result.reason


def test_neighbourless_share_judged_only_on_enough_parsed_pages() -> None:
    healthy = run("r1", 26, mode="full", neighbours=(640, 2))
    small = run("r2", 2, neighbours=(6, 6))  # an incremental run parsing six new pages
    assert verdict([small, healthy]).ok
    steady = run("r2", 2, mode="full", neighbours=(640, 3))
    assert verdict([steady, healthy]).ok


def test_a_first_run_without_neighbours_is_already_loud() -> None:
    assert verdict([run("r1", 2, mode="full", neighbours=(640, 600))]).code == h.BROKEN_CHAIN

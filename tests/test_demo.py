"""``unsmil-crawler demo``: the offline site end to end, repeatable, into its own database
(issue 12, points 7 and 8)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from unsmil_crawler.cli.main import main

ROOT = Path(__file__).resolve().parent.parent


def _demo(mongo: str, database: str, state: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "unsmil_crawler.cli", "demo", "--mongo-uri", mongo,
         "--database", database],
        cwd=ROOT, env={**os.environ, "UNSMIL_STATE_DIR": str(state)},
        capture_output=True, text=True, timeout=300,
    )


@pytest.mark.integration
def test_demo_is_repeatable_and_says_how_to_look_at_what_it_stored(
    tmp_path: Path, mongo_uri: str, mongo_db: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 12, points 7 and 8: run twice (the site gets a new port each time)."""
    first = _demo(mongo_uri, mongo_db.name, tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    stored = {lang: mongo_db.articles.count_documents({"lang": lang}) for lang in ("ar", "en")}
    assert stored["ar"] > 100 and stored["en"] > 100
    assert f"articles: ar {stored['ar']}, en {stored['en']}" in first.stdout
    assert "requests: 0 " not in first.stdout
    assert not (tmp_path / "jobdir" / "demo").exists()

    second = _demo(mongo_uri, mongo_db.name, tmp_path)
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
    tmp_path: Path, mongo_uri: str, mongo_db: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    mongo_db.articles.insert_one({"url": "https://unsmil.unmissions.org/en/news/x"})
    assert main(["demo", "--mongo-uri", mongo_uri, "--database", mongo_db.name]) == 2
    assert "holds crawls of another site" in capsys.readouterr().err
    assert mongo_db.articles.count_documents({}) == 1

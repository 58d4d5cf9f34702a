"""``--env-file``: what the cron wrapper left to the CLI. Read literally (no shell
expansion), the URI masked wherever it is shown, and an unusable file stops everything with
exit 78 before anything starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from unsmil_crawler.cli.main import main

ROOT = Path(__file__).resolve().parent.parent


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

"""deploy/: the cron wrapper runs for real with stub commands; crontab and systemd units parse."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from croniter import croniter

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
WRAPPER = DEPLOY / "cron" / "unsmil-crawl.sh"

STUB = """#!/usr/bin/env bash
# Stands in for .venv/bin/unsmil-crawler: records its arguments, answers per subcommand.
echo "cli args: $*"
for arg in "$@"; do
    case "$arg" in
        crawl) echo "crawl-ran"; exit "${STUB_RC:-0}" ;;
        health) echo "health-ran"; exit "${HEALTH_RC:-0}" ;;
    esac
done
exit 2
"""


@pytest.fixture
def site(tmp_path: Path) -> dict[str, str]:
    """Environment for one wrapper run: a stub CLI, private logs, an env file."""
    stub = tmp_path / "stub-cli.sh"
    stub.write_text(STUB)
    stub.chmod(0o755)
    env_file = tmp_path / "crawler.env"
    env_file.write_text("MONGO_URI=mongodb://from-env-file:27017/\n")
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("UNSMIL_", "MONGO_"))},
        "UNSMIL_ENV_FILE": str(env_file),
        "UNSMIL_PROJECT_DIR": str(tmp_path),
        "UNSMIL_LOG_DIR": str(tmp_path / "logs"),
        "UNSMIL_CLI": str(stub),
    }


def run_wrapper(env: dict[str, str], *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(WRAPPER), *args], env={**env, **extra},
        capture_output=True, text=True, timeout=30,
    )


def logs(env: dict[str, str]) -> list[Path]:
    return sorted(Path(env["UNSMIL_LOG_DIR"]).glob("crawl-*.log"))


def test_the_wrapper_is_thin() -> None:
    """Env file, lock and masking are the CLI's (tests/test_cli.py): no second copy here."""
    code = [ln for ln in WRAPPER.read_text().splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")]
    assert len(code) < 45
    text = "\n".join(code)
    assert "flock" not in text and "sed " not in text and "read -r line" not in text


def test_clean_run_logs_crawl_and_health_and_stays_quiet(site: dict[str, str]) -> None:
    proc = run_wrapper(site, "--site", "unsmil")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", "cron mails stderr: a clean run must say nothing"
    [log] = logs(site)
    text = log.read_text()
    env_file = site["UNSMIL_ENV_FILE"]
    assert (f"cli args: --env-file {env_file} crawl --mode incremental --no-progress "
            "--lock-wait 0 --site unsmil") in text
    assert f"cli args: --env-file {env_file} health" in text
    assert "health-ran" in text and "# crawl exit 0" in text


def test_crawl_exit_code_is_passed_through_with_the_log_tail(site: dict[str, str]) -> None:
    proc = run_wrapper(site, STUB_RC="1")
    assert proc.returncode == 1
    assert "crawl 1" in proc.stderr and str(logs(site)[0]) in proc.stderr
    assert "health-ran" in logs(site)[0].read_text(), "health runs even after a failed crawl"


@pytest.mark.parametrize("code", ["75", "78"])
def test_lock_and_config_refusals_pass_through_without_health(site: dict[str, str],
                                                               code: str) -> None:
    proc = run_wrapper(site, STUB_RC=code)
    assert proc.returncode == int(code)
    assert "health-ran" not in logs(site)[0].read_text()


def test_unhealthy_after_clean_crawl_returns_the_health_code(site: dict[str, str]) -> None:
    assert run_wrapper(site, HEALTH_RC="7").returncode == 7


def test_logs_rotate_keeping_the_newest(site: dict[str, str]) -> None:
    for _ in range(4):
        assert run_wrapper(site, UNSMIL_LOG_KEEP="2").returncode == 0
    kept = logs(site)
    assert len(kept) == 2
    assert all("crawl exit 0" in p.read_text() for p in kept)


def test_bad_log_keep_is_a_config_error(site: dict[str, str]) -> None:
    assert run_wrapper(site, UNSMIL_LOG_KEEP="many").returncode == 78
    assert logs(site) == []


def test_mode_and_lock_wait_reach_the_cli(site: dict[str, str]) -> None:
    assert run_wrapper(site, UNSMIL_MODE="full", UNSMIL_LOCK_WAIT="3600").returncode == 0
    assert "crawl --mode full --no-progress --lock-wait 3600" in logs(site)[0].read_text()


def test_local_database_only_when_allowed(site: dict[str, str]) -> None:
    Path(site["UNSMIL_ENV_FILE"]).unlink()
    proc = run_wrapper(site, UNSMIL_ALLOW_LOCAL_DB="1")
    assert proc.returncode == 0, proc.stderr
    assert "cli args: crawl --mode incremental" in logs(site)[0].read_text()
    # Without the permission the CLI gets the missing file, and refuses it (exit 78).
    assert "--env-file" in run_wrapper(site).stdout + logs(site)[-1].read_text()


def test_crontab_lines_parse_and_call_the_wrapper() -> None:
    entries = []
    for line in (DEPLOY / "cron" / "unsmil-crawler.crontab").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#") or "=" in line.split()[0]:
            continue
        fields = line.split()
        expression, command = " ".join(fields[:5]), fields[5:]
        assert croniter.is_valid(expression), line
        entries.append((expression, command))
    assert entries, "the crontab schedules something"
    daily = croniter(entries[0][0], datetime(2024, 5, 1)).get_next(datetime)
    assert daily == datetime(2024, 5, 1, 3, 17)
    for _, command in entries:
        assert any(part.endswith("deploy/cron/unsmil-crawl.sh") for part in command)
    [weekly] = [command for _, command in entries if "UNSMIL_MODE=full" in command]
    assert any(part.startswith("UNSMIL_LOCK_WAIT=") and int(part.split("=")[1]) > 0
               for part in weekly), "the weekly run waits for a daily one instead of exiting 75"


def test_systemd_units(tmp_path: Path) -> None:
    units = DEPLOY / "systemd"
    service = configparser.ConfigParser(strict=False, interpolation=None)
    service.optionxform = str  # type: ignore[assignment,method-assign]
    service.read(units / "unsmil-crawler.service")
    assert service["Service"]["Type"] == "oneshot"
    assert "crawl" in service["Service"]["ExecStart"]
    assert "health" in service["Service"]["ExecStartPost"]
    timer = configparser.ConfigParser(interpolation=None)
    timer.optionxform = str  # type: ignore[assignment,method-assign]
    timer.read(units / "unsmil-crawler.timer")
    assert timer["Timer"]["Unit"] == "unsmil-crawler.service"
    assert timer["Timer"]["Persistent"] == "true"

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed; INI parse only")
    # verify checks that ExecStart binaries exist: point the units at a stub install.
    app = tmp_path / "app"
    (app / ".venv" / "bin").mkdir(parents=True)
    stub = app / ".venv" / "bin" / "unsmil-crawler"
    stub.write_text("#!/bin/sh\n")
    stub.chmod(0o755)
    for unit in units.iterdir():
        (tmp_path / unit.name).write_text(unit.read_text().replace("/opt/unsmil-crawler", str(app)))
    proc = subprocess.run(
        [analyze, "verify", str(tmp_path / "unsmil-crawler.service"),
         str(tmp_path / "unsmil-crawler.timer")],
        capture_output=True, text=True, timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    calendar = subprocess.run(
        [analyze, "calendar", timer["Timer"]["OnCalendar"]],
        capture_output=True, text=True, timeout=30,
    )
    assert calendar.returncode == 0, calendar.stderr


def test_docker_image_is_non_root_with_debian_chromium_and_compose_schedules() -> None:
    dockerfile = (DEPLOY / "docker" / "Dockerfile").read_text()
    assert "FROM python:3.11-slim-bookworm" in dockerfile
    users = [ln.split()[1] for ln in dockerfile.splitlines() if ln.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert "apt-get install" in dockerfile and " chromium " in dockerfile
    compose = (DEPLOY / "docker" / "compose.yaml").read_text()
    assert "image: mongo:7" in compose
    assert '"schedule", "--cron"' in compose


def test_docker_copy_sources_exist_and_writes_go_to_the_owned_volume() -> None:
    dockerfile = (DEPLOY / "docker" / "Dockerfile").read_text()
    copies = [ln.split()[1:-1] for ln in dockerfile.splitlines() if ln.startswith("COPY ")]
    sources = [src for srcs in copies for src in srcs if not src.startswith("--")]
    assert sources
    missing = [src for src in sources if not (DEPLOY.parent / src).exists()]
    assert not missing, f"COPY sources missing from the repository: {missing}"
    compose = (DEPLOY / "docker" / "compose.yaml").read_text()
    assert "- crawler-state:/data" in compose
    for setting in ("HOME=/data", "UNSMIL_STATE_DIR=/data/state",
                    "MONGO_SPILL_PATH=/data/spill/{run_id}.jsonl"):
        assert setting in dockerfile, setting
    assert "chown -R unsmil:unsmil /data" in dockerfile
    assert dockerfile.index("chown -R unsmil:unsmil /data") < dockerfile.index("USER unsmil")


def test_gitignore_keeps_secrets_out() -> None:
    ignored = (DEPLOY.parent / ".gitignore").read_text().splitlines()
    assert ".env" in ignored and "deploy/docker/.env" in ignored


def _compose() -> dict:
    import yaml

    return yaml.safe_load((DEPLOY / "docker" / "compose.yaml").read_text())


def _env_example() -> dict[str, str]:
    lines = (DEPLOY / "docker" / "compose.env.example").read_text().splitlines()
    pairs = [ln.split("=", 1) for ln in lines if ln.strip() and not ln.startswith("#")]
    return {name: value for name, value in pairs}


def test_compose_env_example_defines_every_variable_compose_uses() -> None:
    """Issue 12, point 5: copying the example the header names gives compose all it needs."""
    import re

    text = (DEPLOY / "docker" / "compose.yaml").read_text()
    header = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert any("cp deploy/docker/compose.env.example deploy/docker/.env" in ln for ln in header)
    used = set(re.findall(r"\$\{(\w+)", text))
    required = set(re.findall(r"\$\{(\w+):\?", text))
    example = _env_example()
    assert used <= example.keys(), used - example.keys()
    assert required == {"MONGO_ROOT_PASSWORD"} and example["MONGO_ROOT_PASSWORD"] == "", (
        "the example leaves the password for the operator to set")
    readme = (DEPLOY / "README.md").read_text()
    assert "deploy/docker/compose.env.example" in readme and "MONGO_PUBLISH" in readme


def test_compose_publishes_mongodb_on_loopback_by_default() -> None:
    compose = _compose()
    ports = compose["services"]["mongo"]["ports"]
    assert ports == ["${MONGO_PUBLISH:-127.0.0.1:27017}:27017"]
    assert _env_example()["MONGO_PUBLISH"] == "127.0.0.1:27017"
    assert "ports" not in compose["services"]["crawler"]
    crawler_env = compose["services"]["crawler"]["environment"]
    assert "${MONGO_ROOT_PASSWORD}@mongo:27017" in crawler_env["MONGO_URI"]

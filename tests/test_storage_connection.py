"""Zero-setup connection: no MONGO_URI starts one local SecantusDB, announced and reused."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from unsmil_crawler.addon import defaults
from unsmil_crawler.storage.connection import database_name, ensure_local_server, resolve_uri
from unsmil_crawler.storage.local_server import pid_alive, read_server_file

pytestmark = pytest.mark.timeout(60)


def test_no_uri_starts_one_local_server_and_reuses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MONGO_URI", raising=False)
    monkeypatch.setenv("MONGO_DATABASE", "from_env")
    data_dir = tmp_path / "secantus"
    uri = resolve_uri({"MONGO_LOCAL_DATA_DIR": str(data_dir)})
    info = read_server_file(data_dir)
    assert info is not None
    pid = int(info["pid"])  # type: ignore[call-overload]
    try:
        assert uri == f"mongodb://127.0.0.1:{info['port']}/?retryWrites=false"
        assert (data_dir / "db").is_dir()
        assert ensure_local_server(data_dir) == uri  # a second crawl reuses it
        assert database_name(defaults()) == "from_env"
        assert database_name({"MONGO_DATABASE": "from_settings"}) == "from_settings"
    finally:
        _stop(pid)
    assert not pid_alive(pid)
    assert read_server_file(data_dir) is None  # a dead server is not reused


def _stop(pid: int, grace: float = 10.0) -> None:
    """SIGTERM, then SIGKILL: the daemon sometimes ignores SIGTERM right after starting.
    Our child, so it is reaped here, or it would linger as a zombie that looks alive."""
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG) != (0, 0):
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)

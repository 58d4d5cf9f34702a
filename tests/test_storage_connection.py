"""Zero-setup connection: no MONGO_URI starts one local SecantusDB, announced and reused."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from unsmil_crawler.storage.connection import database_name, ensure_local_server, resolve_uri
from unsmil_crawler.storage.secantus import pid_alive, read_server_file

pytestmark = pytest.mark.timeout(60)


def test_no_uri_starts_one_local_server_and_reuses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MONGO_URI", raising=False)
    monkeypatch.setenv("MONGO_DATABASE", "from_env")
    data_dir = tmp_path / "secantus"
    uri = resolve_uri({"SECANTUS_DATA_DIR": str(data_dir)})
    info = read_server_file(data_dir)
    assert info is not None
    pid = int(info["pid"])  # type: ignore[call-overload]
    try:
        assert uri == f"mongodb://127.0.0.1:{info['port']}/?retryWrites=false"
        assert (data_dir / "db").is_dir()
        assert ensure_local_server(data_dir) == uri  # a second crawl reuses it
        assert database_name({}) == "from_env"
        assert database_name({"MONGO_DATABASE": "from_settings"}) == "from_settings"
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)  # our child: reap it, or it lingers as a zombie that looks alive
    assert not pid_alive(pid)
    assert read_server_file(data_dir) is None  # a dead server is not reused

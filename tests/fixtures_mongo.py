"""Fixtures for a real MongoDB wire-protocol server (no in-process fakes).

* ``mongo_uri`` (session): ``$MONGO_URI`` when set, else a SecantusDB daemon on a free
  loopback port with a temporary data directory, stopped at the end of the session.
* ``mongo_db`` (function): a fresh, uniquely named database on that server, dropped after.
* ``secantus_factory`` (function): starts private servers a test may stop, kill and restart
  on the same port and data directory (outage tests); all stopped at the end of the test.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pymongo
import pytest
from pymongo.database import Database

from unsmil_crawler.storage.connection import close_clients, get_client
from unsmil_crawler.storage.local_server import SecantusServer


@pytest.fixture(scope="session")
def mongo_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("MONGO_URI"):
        yield os.environ["MONGO_URI"]
        return
    server = SecantusServer(storage_path=tmp_path_factory.mktemp("secantus") / "db").start()
    try:
        yield server.uri
    finally:
        close_clients()
        server.stop()


@pytest.fixture
def mongo_db(mongo_uri: str) -> Iterator[Database[dict[str, Any]]]:
    client = get_client(mongo_uri)
    db = client[f"test_{uuid.uuid4().hex[:12]}"]
    try:
        yield db
    finally:
        with contextlib.suppress(pymongo.errors.PyMongoError):
            client.drop_database(db.name)


@pytest.fixture
def secantus_factory(tmp_path: Path) -> Iterator[Callable[[], SecantusServer]]:
    servers: list[SecantusServer] = []

    def start() -> SecantusServer:
        server = SecantusServer(storage_path=tmp_path / f"db{len(servers)}").start()
        servers.append(server)
        return server

    try:
        yield start
    finally:
        close_clients()  # open connections slow down the daemon's SIGTERM shutdown
        for server in servers:
            server.stop()

"""Fixtures for a real MongoDB wire-protocol server (no in-process fakes), never a real archive.

* ``mongo_uri`` (session): ``$UNSMIL_TEST_MONGO_URI`` when set (a server dedicated to tests),
  else a SecantusDB daemon on a free loopback port with a temporary data directory, stopped
  at the end of the session. ``$MONGO_URI`` is never read: a developer with production
  credentials in the shell must be able to run the tests.
* ``mongo_db`` (function): a fresh, uniquely named database on that server, dropped after.
* :func:`throwaway_name`: the name of a database for this session only (``test_<tag>_<label>``);
  every database so named is dropped at the end of the session.
* ``secantus_factory`` (function): starts private servers a test may stop, kill and restart
  on the same port and data directory (outage tests); all stopped at the end of the test.

For the whole session ``MONGO_URI`` and ``UNSMIL_TEST_MONGO_URI`` are removed from the
environment, so neither the code under test nor a child process (a crawl, the CLI) can
fall back on them; ``MONGO_DATABASE`` names a throwaway database, so code that names none
never reaches the production default ``unsmil``; and ``MONGO_LOCAL_DATA_DIR`` points into the
session's temporary directory, so a child that starts the zero-setup server (a crawl
given no URI) starts its own there, not in the repository's ``var/``; ``UNSMIL_STATE_DIR``
does the same for WARC files, JOBDIRs and locks of crawls given no state directory.
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

TEST_URI_ENV = "UNSMIL_TEST_MONGO_URI"
PRODUCTION_DATABASE = "unsmil"
"""The default database name of a real deployment (addon.py): no test may write to it."""
SESSION_PREFIX = f"test_{uuid.uuid4().hex[:8]}_"
_SCRUBBED = ("MONGO_URI", TEST_URI_ENV)
_DEDICATED_URI = os.environ.get(TEST_URI_ENV, "")
_PRODUCTION_URI = os.environ.get("MONGO_URI", "")


def throwaway_name(label: str) -> str:
    """A database name for this test session only; dropped when the session ends."""
    return f"{SESSION_PREFIX}{label}"


@pytest.fixture(scope="session", autouse=True)
def no_production_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Hide the operator's MongoDB settings from everything the tests run."""
    with pytest.MonkeyPatch.context() as patch:
        for name in _SCRUBBED:
            patch.delenv(name, raising=False)
        patch.setenv("MONGO_DATABASE", throwaway_name("unnamed"))
        patch.setenv("MONGO_LOCAL_DATA_DIR", str(tmp_path_factory.mktemp("zero-setup")))
        patch.setenv("UNSMIL_STATE_DIR", str(tmp_path_factory.mktemp("state")))
        yield


@pytest.fixture(autouse=True)
def restore_database_environment() -> Iterator[None]:
    """Undo what a test's in-process code wrote to the environment (``--env-file`` loads
    MONGO_URI / MONGO_DATABASE into ``os.environ``), so it cannot leak into later tests."""
    names = ("MONGO_URI", "MONGO_DATABASE", "MONGO_LOCAL_DATA_DIR", "UNSMIL_ALLOW_LOCAL_DB")
    saved = {name: os.environ.get(name) for name in names}
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def mongo_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if _DEDICATED_URI:
        if _DEDICATED_URI == _PRODUCTION_URI:
            pytest.exit(f"{TEST_URI_ENV} is the same as MONGO_URI: refusing to test against it",
                        returncode=4)
        yield _DEDICATED_URI
        _drop_session_databases(_DEDICATED_URI)
        return
    server = SecantusServer(storage_path=tmp_path_factory.mktemp("secantus") / "db").start()
    try:
        yield server.uri
        names = get_client(server.uri).list_database_names()
        assert PRODUCTION_DATABASE not in names, (
            f"a test wrote to the production default database {PRODUCTION_DATABASE!r}"
        )
    finally:
        close_clients()
        server.stop()


def _drop_session_databases(uri: str) -> None:
    client = get_client(uri)
    with contextlib.suppress(pymongo.errors.PyMongoError):
        for name in client.list_database_names():
            if name.startswith(SESSION_PREFIX):
                client.drop_database(name)
    close_clients()


@pytest.fixture
def mongo_db(mongo_uri: str) -> Iterator[Database[dict[str, Any]]]:
    client = get_client(mongo_uri)
    db = client[throwaway_name(uuid.uuid4().hex[:12])]
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

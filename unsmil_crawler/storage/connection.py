"""Scrapy settings / environment -> one cached pymongo database handle per process.

Settings read (defaults in :mod:`unsmil_crawler.addon`):

* ``MONGO_URI`` — any MongoDB URI (mongod, Atlas, SecantusDB); when the setting is unset,
  the environment variable ``MONGO_URI``, read here and nowhere else, so a password stays
  out of the settings. Credentials are masked (:func:`mask_uri`) wherever a URI is shown.
* ``MONGO_DATABASE`` — database name.
* ``MONGO_LOCAL_DATA_DIR`` — used only when no URI is set at all: the zero-setup SecantusDB
  server keeps its data there. A server already serving that folder (the CLI ``db``
  command, another crawl) is reused; one started here is stopped when the process exits.
"""

from __future__ import annotations

import atexit
import fcntl
import logging
import os
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pymongo
from pymongo.database import Database

from unsmil_crawler.storage.local_server import (
    SecantusServer,
    local_uri,
    read_server_file,
    remove_server_file,
    write_server_file,
)

logger = logging.getLogger(__name__)

SERVER_SELECTION_TIMEOUT_MS = 5000
"""Fail over to the retry/buffer logic within seconds instead of pymongo's default 30 s."""

_SECRET_PARAMS = re.compile(
    r"(password|secret|token|key|credential|authmechanismproperties)", re.IGNORECASE
)
_lock = threading.Lock()
_clients: dict[str, pymongo.MongoClient[dict[str, Any]]] = {}


def mask_uri(uri: str | None) -> str:
    """Hide the password (and secret-looking query values) of any URL before it is shown.

    >>> mask_uri("mongodb://crawler:s3cr%40t@db.example.org:27017/unsmil?authSource=admin")
    'mongodb://crawler:***@db.example.org:27017/unsmil?authSource=admin'
    >>> mask_uri("mongodb+srv://u:p@cluster0.x.mongodb.net/?tlsCertificateKeyFilePassword=z")
    'mongodb+srv://u:***@cluster0.x.mongodb.net/?tlsCertificateKeyFilePassword=***'
    >>> mask_uri("https://token@unsmil.unmissions.org/en/news")
    'https://***@unsmil.unmissions.org/en/news'
    >>> mask_uri("mongodb://127.0.0.1:27017/?retryWrites=false")
    'mongodb://127.0.0.1:27017/?retryWrites=false'
    >>> mask_uri(None)
    ''
    """
    if not uri:
        return ""
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return uri
    # urlsplit cannot parse multi-host mongodb URIs ("h1:1,h2:2"), so split by hand.
    authority_end = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
    authority, tail = rest[:authority_end], rest[authority_end:]
    if "@" in authority:
        userinfo, _, hosts = authority.rpartition("@")
        user, has_password, _ = userinfo.partition(":")
        authority = f"{user}:***@{hosts}" if has_password else f"***@{hosts}"
    path, qmark, query = tail.partition("?")
    if qmark:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = "&".join(
            f"{k}={'***' if _SECRET_PARAMS.search(k) else v}" for k, v in pairs
        )
    return f"{scheme}://{authority}{path}{qmark}{query}"


def database_name(settings: Mapping[str, Any]) -> str:
    return str(settings["MONGO_DATABASE"])


def resolve_uri(settings: Mapping[str, Any]) -> str:
    """MONGO_URI if configured, else the URI of the zero-setup local server (started if needed)."""
    uri = settings.get("MONGO_URI") or os.environ.get("MONGO_URI")
    if uri:
        return str(uri)
    return ensure_local_server(Path(settings["MONGO_LOCAL_DATA_DIR"]).resolve())


def ensure_local_server(data_dir: Path) -> str:
    """Reuse the server announced in data_dir/server.json, or start one and announce it.

    An exclusive file lock makes two crawls starting together agree on one server.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        running = read_server_file(data_dir)
        if running is not None:
            return local_uri(str(running["host"]), int(running["port"]))  # type: ignore[call-overload]
        server = SecantusServer(storage_path=data_dir / "db", log_path=data_dir / "secantusd.log")
        server.start()
        assert server.process is not None
        pid = server.process.pid
        write_server_file(data_dir, server.host, server.port, pid)
    atexit.register(_stop_local_server, server, data_dir, pid)
    logger.info("No MONGO_URI set: started SecantusDB for %s at %s", data_dir, server.uri)
    return server.uri


def _stop_local_server(server: SecantusServer, data_dir: Path, pid: int) -> None:
    remove_server_file(data_dir, pid)
    server.stop()


def get_client(uri: str) -> pymongo.MongoClient[dict[str, Any]]:
    """One MongoClient per URI per process: clients own connection pools and monitor threads."""
    with _lock:
        client = _clients.get(uri)
        if client is None:
            options: dict[str, Any] = {"tz_aware": True}
            if "serverselectiontimeoutms" not in uri.lower():  # a URI value wins
                options["serverSelectionTimeoutMS"] = SERVER_SELECTION_TIMEOUT_MS
            client = pymongo.MongoClient(uri, **options)
            _clients[uri] = client
        return client


def get_database(settings: Mapping[str, Any]) -> Database[dict[str, Any]]:
    """The configured database (see module docstring); cached, safe to call from any component."""
    uri = resolve_uri(settings)
    db = get_client(uri)[database_name(settings)]
    logger.debug("MongoDB database %s at %s", db.name, mask_uri(uri))
    return db


class MongoUnavailable(RuntimeError):
    """The configured MongoDB did not answer when a crawl needed what it stores."""


def require_database(settings: Mapping[str, Any]) -> Database[dict[str, Any]]:
    """:func:`get_database`, checked with a ping: a crawl that needs stored state to start
    (dedupe signatures, conditional requests) stops at once with one clear message."""
    db = get_database(settings)
    try:
        db.command("ping")
    except pymongo.errors.PyMongoError as exc:
        raise MongoUnavailable(
            f"MongoDB at {mask_uri(resolve_uri(settings))} is unreachable ({type(exc).__name__}); "
            "nothing was crawled. Start it, or check MONGO_URI."
        ) from None
    return db


def close_clients() -> None:
    """Close every cached client (tests that restart servers call this)."""
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()

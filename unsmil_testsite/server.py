"""A threaded HTTP server for the offline site, with planted faults and a control API.

Faults (when enabled) fire once per article on the first request to either of its URLs:
503 + ``Retry-After: 1``, 500, a stall of ``stall_seconds``, and a connection closed without
any response; one listing page answers 503 once. ``break_js(n, kind)`` makes the next ``n``
requests for JavaScript bodies (``/_js/body/``) answer 500 or stall (render failures, armed
separately from the other faults). ``set_state``/``set_discovery`` switch what is served;
``requests`` logs every request for assertions.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from datetime import UTC, date, datetime
from datetime import time as dtime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, NamedTuple

from .chrome import HOST
from .date_formats import http_date
from .model import STATES, Site
from .pages import STATIC_DAY
from .routes import DISCOVERY_MODES, HTML, JS_BODY_PREFIX, XML, Document, split_target

if TYPE_CHECKING:
    from .mission import MissionSite

logger = logging.getLogger(__name__)
BOM = b"\xef\xbb\xbf"


class LoggedRequest(NamedTuple):
    """One request as the server saw it (``status`` 0: connection dropped on purpose)."""

    method: str
    path: str
    status: int
    headers: dict[str, str]
    time: float


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default backlog of 5 refuses bursts of 16 connections


class SiteServer:
    """Serve ``site`` on ``host:port`` (port 0 picks a free one) from a daemon thread.

    ``site`` is the UNSMIL ``Site`` or the second, English-only ``MissionSite``: each answers
    through its own router (``site.router()``); run one server per site, so each has its own
    host (``host:port``; on Linux any 127.x.y.z address binds too)."""

    def __init__(self, site: Site | MissionSite, host: str = "127.0.0.1", port: int = 0,
                 latency: float = 0.0, faults: bool = True, stall_seconds: float = 8.0,
                 discovery: bool | str = "on", validators: bool = True,
                 lastmods: bool = True) -> None:
        self.site = site
        self.router = site.router(lastmods=lastmods)
        self.validators = validators
        """False: no ETag / Last-Modified, and conditional requests always get the page."""
        self._overrides: dict[str, tuple[int, str]] = {}
        self.latency = latency
        self.faults = faults
        self.stall_seconds = stall_seconds
        self.state = "initial"
        self.discovery = "on"
        self.set_discovery(discovery)
        self._fault_by_alias = {alias: kind for kind, alias in site.faults.items()}
        self._fired: set[str] = set()
        self._js_breaks: tuple[int, str] = (0, "500")
        self._log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._bytes: dict[tuple[str, str, str, int | None, str], tuple[bytes, str]] = {}
        self._httpd = _HTTPServer((host, port), _handler_class(self))
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> SiteServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="offline-site",
                                        kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def set_state(self, state: str) -> None:
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}; expected one of {STATES}")
        self.state = state

    def set_discovery(self, mode: bool | str) -> None:
        """``"on"`` (or True), ``"off"`` (or False) or ``"first-page"`` (``DISCOVERY_MODES``)."""
        mode = {True: "on", False: "off"}.get(mode, mode)  # type: ignore[call-overload]
        if mode not in DISCOVERY_MODES:
            raise ValueError(f"unknown discovery mode {mode!r}; expected one of {DISCOVERY_MODES}")
        self.discovery = mode

    def override(self, target: str, status: int, text: str = "") -> None:
        """Serve ``target`` (path and query, as requested) with ``status`` and ``text``."""
        self._overrides[target] = (status, text)

    def reset(self) -> None:
        """Back to a fresh server: initial state, discovery on, faults re-armed, empty log."""
        self.state, self.discovery = "initial", "on"
        self._overrides.clear()
        with self._lock:
            self._fired.clear()
            self._js_breaks = (0, "500")
        self.clear_log()

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    # -- used by the handler --------------------------------------------------------------
    def record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._log.append(entry)

    def break_js(self, count: int, kind: str = "500") -> None:
        """The next ``count`` JavaScript body requests answer ``kind`` ("500" or "stall")."""
        with self._lock:
            self._js_breaks = (count, kind)

    def fault_for(self, target: str, doc: Document | None) -> str | None:
        """The fault to play for this request, at most once per article / listing page."""
        if target.startswith(JS_BODY_PREFIX):
            with self._lock:
                left, kind = self._js_breaks
                if left > 0:
                    self._js_breaks = (left - 1, kind)
                    return kind
        if not self.faults:
            return None
        key: str | None = None
        if doc is not None and doc.article_nid is not None:
            article = self.site.lookup(split_target(target)[0], self.state)
            if article is not None and article.alias in self._fault_by_alias:
                key = article.alias
        elif self.site.listing_fault and split_target(target) == split_target(
                self.site.listing_fault):
            key = self.site.listing_fault
        if key is None:
            return None
        with self._lock:
            if key in self._fired:
                return None
            self._fired.add(key)
        return self._fault_by_alias.get(key, "503")

    def document(self, target: str) -> Document:
        if target in self._overrides:
            status, text = self._overrides[target]
            return Document(status, XML if text.startswith("<?xml") else HTML, text, STATIC_DAY)
        path, page = split_target(target)
        return (self.router.route(self.state, path, page, self.discovery)
                or self.router.not_found(path))

    def payload(self, target: str, doc: Document, host: str) -> tuple[bytes, str]:
        """Body bytes for ``host`` and their ETag, memoised."""
        path, page = split_target(target)
        key = (self.state, self.discovery, path, page, host)
        fixed = doc.status != 404 and target not in self._overrides
        cached = self._bytes.get(key) if fixed else None
        if cached is None:
            body = doc.text.replace(HOST, f"http://{host}").encode()
            if doc.bom:
                body = BOM + body
            cached = (body, '"' + hashlib.sha1(body).hexdigest()[:20] + '"')
            if fixed:
                self._bytes[key] = cached
        return cached


def _not_modified(headers: object, etag: str, last_modified: date) -> bool:
    """RFC 7232: If-None-Match wins over If-Modified-Since."""
    inm = headers.get("If-None-Match")  # type: ignore[attr-defined]
    if inm:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return etag in tags or "*" in tags
    ims = headers.get("If-Modified-Since")  # type: ignore[attr-defined]
    if not ims:
        return False
    try:
        since = parsedate_to_datetime(ims)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return datetime.combine(last_modified, dtime(12), UTC) <= since


def _handler_class(server: SiteServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: Scrapy reuses connections
        disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stall
        server_version = "Apache"
        sys_version = ""

        def log_message(self, format: str, *args: object) -> None:
            logger.debug("%s " + format, self.address_string(), *args)

        def do_HEAD(self) -> None:
            self._serve(head=True)

        def do_GET(self) -> None:
            self._serve(head=False)


        def _record(self, status: int) -> None:
            """Logged before the response is written, so the log order is the client's."""
            server.record(LoggedRequest(self.command, self.path, status,
                                        dict(self.headers.items()), time.time()))

        def _drop(self) -> int:
            self._record(0)
            self.close_connection = True
            return 0

        def _serve(self, head: bool) -> int:
            if server.latency and server._stopping.wait(server.latency):
                return self._drop()
            doc = server.document(self.path)
            fault = server.fault_for(self.path, doc) if doc.status == 200 else None
            if fault == "close":
                return self._drop()
            if fault == "stall" and server._stopping.wait(server.stall_seconds):
                return self._drop()
            if fault in ("503", "500"):
                return self._send(int(fault), b"Service unavailable", "text/plain", head,
                                  {"Retry-After": "1"} if fault == "503" else {})
            body, etag = server.payload(self.path, doc, self.headers.get("Host", "localhost"))
            extra = ({"ETag": etag, "Last-Modified": http_date(doc.last_modified)}
                     if server.validators else {})
            if (doc.status == 200 and server.validators
                    and _not_modified(self.headers, etag, doc.last_modified)):
                return self._send(304, b"", None, True, extra)
            return self._send(doc.status, body, doc.content_type, head, extra)

        def _send(self, status: int, body: bytes, ctype: str | None, head: bool,
                  extra: dict[str, str]) -> int:
            self._record(status)
            try:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0" if status == 304 else str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
            return status

    return Handler

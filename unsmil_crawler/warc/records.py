"""A Scrapy response and its request as WARC records, built by warcio.

One *exchange* is written as three gzip members, always together and in this order:

1. ``response`` — status line, headers and the body the spider parsed. Scrapy has already
   decoded ``Content-Encoding`` and chunking, so those headers are dropped and
   ``Content-Length`` is the stored body's: the record replays as it is. A page rendered by
   the browser holds the browser's HTML and carries ``Rendered-By: chromium``.
2. ``request`` — the request as sent (with the headers downloader middlewares added).
3. ``metadata`` (``application/warc-fields``, ``WARC-Concurrent-To`` the response) — what
   the crawler knew of the page: ``kind`` (article, listing, feed, sitemap, start),
   ``redirected-from`` (each URL that redirected here: aliases on reparse), ``via`` (the
   page whose neighbour link led here), ``rendered``.

A 304 is one ``revisit`` record (profile *server-not-modified*) referring to the stored
response it confirmed, plus its request.
"""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request, Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WARC_VERSION = "1.1"
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
RENDERED_BY = "chromium"
_DECODED_HEADERS = frozenset({b"content-encoding", b"transfer-encoding", b"content-length"})


def warc_date(at: datetime) -> str:
    """WARC-Date with milliseconds: what MongoDB keeps of a date, so ``source.fetched_at``
    and the record's date are the same instant.

    >>> warc_date(datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC))
    '2026-01-02T03:04:05.678Z'
    """
    return f"{at.astimezone(UTC):%Y-%m-%dT%H:%M:%S}.{at.microsecond // 1000:03d}Z"


def parse_warc_date(text: str) -> datetime:
    """
    >>> parse_warc_date("2026-01-02T03:04:05.678Z")
    datetime.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.timezone.utc)
    >>> parse_warc_date("2026-01-02T03:04:05Z").second
    5
    """
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def now_ms() -> datetime:
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def _header_pairs(headers: Any, drop: frozenset[bytes] = frozenset()) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1"))
            for k, values in headers.items() if k.lower() not in drop for v in values]


def http_response_headers(response: Response, body_length: int) -> StatusAndHeaders:
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = "Unknown"
    pairs = _header_pairs(response.headers, _DECODED_HEADERS)
    pairs.append(("Content-Length", str(body_length)))
    protocol = getattr(response, "protocol", None) or "HTTP/1.1"
    return StatusAndHeaders(f"{response.status} {reason}", pairs, protocol=protocol)


def http_request_headers(request: Request) -> StatusAndHeaders:
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pairs = _header_pairs(request.headers)
    if not any(k.lower() == "host" for k, _ in pairs):
        pairs.insert(0, ("Host", parts.netloc))
    return StatusAndHeaders(f"{request.method} {target} HTTP/1.1", pairs,
                            is_http_request=True)


def warc_fields(fields: list[tuple[str, str]]) -> bytes:
    """``application/warc-fields``: one ``name: value`` line per field.

    >>> warc_fields([("kind", "article"), ("via", "http://h/a")])
    b'kind: article\\r\\nvia: http://h/a\\r\\n'
    """
    return "".join(f"{name}: {value}\r\n" for name, value in fields).encode("utf-8")


def exchange_metadata(response: Response) -> list[tuple[str, str]]:
    """The crawler's knowledge of a page worth keeping for a reparse (see module docstring)."""
    meta = response.meta
    fields = [("kind", str(meta.get("kind") or "other"))]
    fields += [("redirected-from", url) for url in meta.get("redirect_urls") or ()]
    if meta.get("chain_from"):
        fields.append(("via", str(meta["chain_from"])))
    if meta.get("playwright"):
        fields.append(("rendered", RENDERED_BY))
    return fields


class ExchangeEncoder:
    """Encodes exchanges to bytes: gzip members, ready to be appended to a file in one write."""

    def __init__(self) -> None:
        self._buffer = BytesIO()
        self._writer = WARCWriter(self._buffer, gzip=True, warc_version=WARC_VERSION)

    def _take(self) -> bytes:
        data = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return data

    def warcinfo(self, filename: str, info: dict[str, str]) -> bytes:
        self._writer.write_record(self._writer.create_warcinfo_record(filename, info))
        return self._take()

    def response(self, response: Response, at: datetime) -> tuple[bytes, int]:
        """(bytes of the three records, length of the response record at their start)."""
        w = self._writer
        body = response.body
        date = warc_date(at)
        extra = {"WARC-Date": date}
        if response.meta.get("playwright"):
            extra["Rendered-By"] = RENDERED_BY
        record = w.create_warc_record(
            response.url, "response", payload=BytesIO(body), length=len(body),
            http_headers=http_response_headers(response, len(body)), warc_headers_dict=extra)
        w.write_record(record)
        response_length = self._buffer.tell()
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        self._request(response.request, response.url, date, record_id)
        fields = warc_fields(exchange_metadata(response))
        w.write_record(w.create_warc_record(
            response.url, "metadata", payload=BytesIO(fields), length=len(fields),
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id}))
        return self._take(), response_length

    def revisit(self, response: Response, at: datetime, refers_to: dict[str, str] | None
                ) -> tuple[bytes, int]:
        """A 304 as a revisit of ``refers_to`` ({uri, date, digest} of the stored response;
        None when the archive does not hold it: the visit is still recorded)."""
        w = self._writer
        date = warc_date(at)
        headers = {"WARC-Date": date, "WARC-Profile": SERVER_NOT_MODIFIED}
        if refers_to:
            headers["WARC-Refers-To-Target-URI"] = refers_to["uri"]
            headers["WARC-Refers-To-Date"] = refers_to["date"]
            if refers_to.get("digest"):
                headers["WARC-Payload-Digest"] = refers_to["digest"]
        record = w.create_warc_record(
            response.url, "revisit", http_headers=http_response_headers(response, 0),
            warc_headers_dict=headers)
        w.write_record(record)
        length = self._buffer.tell()
        self._request(response.request, response.url, date,
                      record.rec_headers.get_header("WARC-Record-ID"))
        return self._take(), length

    def _request(self, request: Request, url: str, date: str, concurrent_to: str) -> None:
        w = self._writer
        body = request.body or b""
        w.write_record(w.create_warc_record(
            url, "request", payload=BytesIO(body), length=len(body),
            http_headers=http_request_headers(request),
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": concurrent_to}))

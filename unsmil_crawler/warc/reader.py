"""Reading the archive back: whole records only, a truncated tail detected and skipped.

warcio reads a gzip member cut short by a killed process without complaint (it returns
what decompresses, or nothing), so completeness is checked here, member by member: a
record is complete when its gzip member ends (deflate end plus trailer). Everything from
the first incomplete or corrupt member of a file on is skipped and counted.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator

CHUNK = 1 << 16
WARC_SUFFIX = ".warc.gz"


@dataclass
class RawRecord:
    offset: int
    length: int
    data: bytes
    """The record uncompressed (WARC headers, HTTP headers, payload)."""


@dataclass
class ScanReport:
    """What a pass over the archive skipped, for the command's summary and its tests."""

    files: int = 0
    records: int = 0
    truncated: list[tuple[str, int]] = field(default_factory=list)
    """(file name, offset of the first incomplete record) per file with a truncated tail."""


def warc_files(directory: Path) -> list[Path]:
    """The archive's files in write order (names start with the run id, a UTC timestamp)."""
    return sorted(p for p in directory.glob(f"*{WARC_SUFFIX}") if p.is_file())


def members(fh: IO[bytes], report: ScanReport | None = None, name: str = ""
            ) -> Iterator[RawRecord]:
    """Each complete gzip member of ``fh`` from its current position, decompressed."""
    offset = fh.tell()
    pending = b""
    while True:
        data = pending or fh.read(CHUNK)
        if not data:
            return
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        parts: list[bytes] = []
        consumed = 0
        try:
            while True:
                parts.append(inflater.decompress(data))
                if inflater.eof:
                    pending = inflater.unused_data
                    consumed += len(data) - len(pending)
                    break
                consumed += len(data)
                data = fh.read(CHUNK)
                if not data:
                    raise EOFError
        except (EOFError, zlib.error):
            if report is not None:
                report.truncated.append((name, offset))
            return
        yield RawRecord(offset, consumed, b"".join(parts))
        offset += consumed


def complete_length(path: Path, report: ScanReport) -> int:
    """Bytes of ``path`` up to the end of its last complete record."""
    end = 0
    with path.open("rb") as fh:
        for raw in members(fh, report, path.name):
            end = raw.offset + raw.length
            report.records += 1
    report.files += 1
    return end


def record_type(raw: RawRecord) -> str:
    """The ``WARC-Type`` of a record without parsing it (a scan skips most records).

    >>> record_type(RawRecord(0, 1, b"WARC/1.1\\r\\nWARC-Type: request\\r\\n\\r\\nGET / HTTP/1.1"))
    'request'
    """
    head = raw.data[:raw.data.find(b"\r\n\r\n")]
    start = head.find(b"\r\nWARC-Type:")
    if start < 0:
        return ""
    end = head.find(b"\r\n", start + 2)
    return head[start + 13:end if end >= 0 else None].strip().decode("ascii", "replace")


def parse(raw: RawRecord) -> Any:
    """The warcio record of an uncompressed record (headers parsed, payload readable)."""
    return next(iter(ArchiveIterator(BytesIO(raw.data), ensure_http_headers=False)))


def read_record(path: Path, offset: int) -> Any:
    """The complete record at ``offset`` of ``path`` (ValueError if it is not complete)."""
    with path.open("rb") as fh:
        fh.seek(offset)
        for raw in members(fh):
            return parse(raw)
    raise ValueError(f"no complete WARC record at {path.name}:{offset}")


def parse_warc_fields(text: bytes) -> list[tuple[str, str]]:
    """``application/warc-fields`` lines as (name, value) pairs.

    >>> parse_warc_fields(b"kind: article\\r\\nredirected-from: http://h/node/1\\r\\n")
    [('kind', 'article'), ('redirected-from', 'http://h/node/1')]
    """
    pairs = []
    for line in text.decode("utf-8").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            pairs.append((name.strip(), value.strip()))
    return pairs


class LimitedReader:
    """A read-only view of the first ``limit`` bytes of a file (the indexer's input)."""

    def __init__(self, fh: IO[bytes], limit: int) -> None:
        self.fh = fh
        self.limit = limit

    def read(self, size: int = -1) -> bytes:
        left = self.limit - self.fh.tell()
        if left <= 0:
            return b""
        return self.fh.read(left if size < 0 else min(size, left))

    def tell(self) -> int:
        return self.fh.tell()

"""Rotating WARC files: one ``warcinfo`` first, then whole exchanges, each appended in one write.

Files are named ``<prefix>-<run id>-<serial>.warc.gz`` and never renamed (documents point at
them by name). A file is closed and the next one started once it reaches the size limit;
an exchange is never split across files.

Every append is followed by a flush, so a killed process loses at most the exchange being
written, which readers detect and skip (:mod:`unsmil_crawler.warc.reader`). When an append
fails (disk full, file too large, I/O error), the file is cut back to its last complete
record and :class:`WarcWriteError` says why: the caller stops the crawl instead of
dropping pages silently. Free space is checked before every append as well, so a filling
disk stops the crawl before the write fails.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from unsmil_crawler.warc.records import ExchangeEncoder

MB = 1_000_000


class WarcWriteError(OSError):
    """The archive cannot take more records; the message is the reason, for the run record."""


@dataclass(frozen=True)
class Written:
    """Where a record went: ``source`` of a document (the file name is relative to WARC_DIR)."""

    warc_file: str
    offset: int
    length: int


def check_writable(directory: Path, min_free: int) -> None:
    """Create ``directory``, write and remove a probe file, and check free space; raise
    :class:`WarcWriteError` with the reason otherwise."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / f".write-probe-{os.getpid()}"
        with probe.open("wb") as fh:
            fh.write(b"probe")
            fh.flush()
            os.fsync(fh.fileno())
        probe.unlink()
    except OSError as exc:
        raise WarcWriteError(f"WARC_DIR {directory} is not writable: {exc}") from exc
    check_free_space(directory, min_free)


def check_free_space(directory: Path, min_free: int) -> None:
    free = shutil.disk_usage(directory).free
    if free < min_free:
        raise WarcWriteError(
            f"WARC_DIR {directory} has {free / MB:.0f} MB free, below WARC_MIN_FREE_MB "
            f"({min_free / MB:.0f} MB)")


class RotatingWarcWriter:
    """Appends exchanges to the current file of a run, rotating by size."""

    def __init__(self, directory: Path, prefix: str, max_size: int, min_free: int,
                 info: dict[str, str]) -> None:
        self.directory = directory
        self.prefix = prefix
        self.max_size = max_size
        self.min_free = min_free
        self.info = info
        self.encoder = ExchangeEncoder()
        self.serial = -1
        self._file: IO[bytes] | None = None
        self._name = ""
        self._size = 0
        self.files: list[str] = []
        self.bytes_written = 0

    def append(self, data: bytes, first_length: int) -> Written:
        """Append one exchange; returns where its first record is."""
        if self._file is None or self._size >= self.max_size:
            self._rotate()
        assert self._file is not None
        check_free_space(self.directory, self.min_free)
        offset = self._size
        self._write(data, offset)
        return Written(self._name, offset, first_length)

    def close(self) -> None:
        if self._file is None:
            return
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
        finally:
            self._file.close()
            self._file = None

    def _write(self, data: bytes, offset: int) -> None:
        assert self._file is not None
        view = memoryview(data)
        try:
            while view:  # unbuffered: a short write (file size limit) is followed by an error
                view = view[self._file.write(view) or 0:]
        except OSError as exc:
            self._cut_back(offset)
            raise WarcWriteError(f"writing {self.directory / self._name} failed: {exc}") from exc
        self._size = offset + len(data)
        self.bytes_written += len(data)

    def _cut_back(self, offset: int) -> None:
        """Drop a partial exchange so the file ends on a record boundary (best effort: if even
        this fails, readers still detect and skip the partial record)."""
        assert self._file is not None
        try:
            self._file.seek(offset)
            self._file.truncate(offset)
        except OSError:
            pass

    def _rotate(self) -> None:
        self.close()
        self.serial += 1
        self._name = f"{self.prefix}-{self.serial:05d}.warc.gz"
        path = self.directory / self._name
        try:
            self._file = path.open("xb", buffering=0)
        except OSError as exc:
            raise WarcWriteError(f"cannot create {path}: {exc}") from exc
        self._size = 0
        self.files.append(self._name)
        self._write(self.encoder.warcinfo(self._name, self.info), 0)

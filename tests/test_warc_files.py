"""WARC files without a crawl: rotation, the records of one exchange, truncation at any byte."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from unsmil_crawler.warc.reader import ScanReport, complete_length, read_record, warc_files
from unsmil_crawler.warc.records import RENDERED_BY, SERVER_NOT_MODIFIED, warc_date
from unsmil_crawler.warc.writer import RotatingWarcWriter, WarcWriteError, check_writable

AT = datetime(2026, 3, 1, 12, 0, 0, 123000, tzinfo=UTC)


def page(n: int, *, status: int = 200, **meta: object) -> HtmlResponse:
    request = Request(f"http://h.test/en/news/{n}", meta={"kind": "article", **meta},
                      headers={"User-Agent": "unsmil-crawler/test"})
    body = f"<html><body><h1>Article {n}</h1><p>{'text ' * 400}</p></body></html>"
    return HtmlResponse(request.url, status=status, body=body.encode(), request=request,
                        headers={"Content-Type": "text/html; charset=utf-8",
                                 "Content-Encoding": "gzip", "ETag": f'"{n}"'})


def writer(directory: Path, max_size: int = 10**9) -> RotatingWarcWriter:
    return RotatingWarcWriter(directory, "unsmil-run1", max_size, 0, {"run-id": "run1"})


def test_exchanges_rotate_whole_and_read_back(tmp_path: Path) -> None:
    w = writer(tmp_path, max_size=1)  # every exchange past the limit starts a new file
    written = []
    for n in range(6):
        response = page(n, playwright=n == 3, redirect_urls=[f"http://h.test/node/{n}"])
        written.append(w.append(*w.encoder.response(response, AT)))
    w.close()
    files = warc_files(tmp_path)
    assert len(files) == len({x.warc_file for x in written}) == 6
    for path in files:
        assert read_record(path, 0).rec_type == "warcinfo"
    for n, where in enumerate(written):
        record = read_record(tmp_path / where.warc_file, where.offset)
        assert record.rec_type == "response"
        assert record.rec_headers.get_header("WARC-Target-URI") == f"http://h.test/en/news/{n}"
        assert record.rec_headers.get_header("WARC-Date") == warc_date(AT)
        assert (record.rec_headers.get_header("Rendered-By") == RENDERED_BY) is (n == 3)
        assert record.http_headers.get_header("Content-Encoding") is None  # body is decoded
        assert int(record.http_headers.get_header("Content-Length")) == len(
            record.content_stream().read())
    report = ScanReport()
    for path in files:
        complete_length(path, report)
    assert report.records == len(files) + 6 * 3 and report.truncated == []


def test_a_304_is_a_server_not_modified_revisit(tmp_path: Path) -> None:
    w = writer(tmp_path)
    refers = {"uri": "http://h.test/en/news/1", "date": "2026-01-01T00:00:00.000Z",
              "digest": "sha1:ABC"}
    where = w.append(*w.encoder.revisit(page(1, status=304), AT, refers))
    w.close()
    record = read_record(tmp_path / where.warc_file, where.offset)
    headers = record.rec_headers
    assert record.rec_type == "revisit" and record.http_headers.get_statuscode() == "304"
    assert headers.get_header("WARC-Profile") == SERVER_NOT_MODIFIED
    assert headers.get_header("WARC-Refers-To-Date") == refers["date"]
    assert headers.get_header("WARC-Payload-Digest") == "sha1:ABC"


def test_a_cut_anywhere_in_the_last_record_is_detected(tmp_path: Path) -> None:
    w = writer(tmp_path)
    last = [w.append(*w.encoder.response(page(n), AT)) for n in range(3)][-1]
    w.close()
    path = warc_files(tmp_path)[0]
    data = path.read_bytes()
    for cut in range(last.offset + 1, last.offset + last.length, 97):
        path.write_bytes(data[:cut])
        report = ScanReport()
        assert complete_length(path, report) == last.offset
        assert report.truncated == [(path.name, last.offset)]


def test_an_unwritable_or_full_directory_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(WarcWriteError, match="not writable"):
        check_writable(blocker / "warc", 0)
    with pytest.raises(WarcWriteError, match="below WARC_MIN_FREE_MB"):
        check_writable(tmp_path / "warc", 10**18)

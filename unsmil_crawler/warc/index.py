"""``unsmil-crawler warc index``: a sorted CDXJ index of the archive, by cdxj-indexer.

pywb (``wb-manager``/``pywb``), OutbackCDX or any CDXJ-aware tool can replay the archive
from it. cdxj-indexer indexes what warcio reads, and warcio reads a truncated tail without
complaint, so each file is handed over only up to its last complete record
(:func:`~unsmil_crawler.warc.reader.complete_length`); the skipped tails are reported.
"""

from __future__ import annotations

from pathlib import Path

from cdxj_indexer.main import CDXJIndexer, SortingWriter

from unsmil_crawler.warc.reader import LimitedReader, ScanReport, complete_length, warc_files


def write_cdxj(directory: Path, output: Path) -> ScanReport:
    """Index every complete ``response``/``revisit`` record of ``directory`` into ``output``."""
    report = ScanReport()
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        sorted_out = SortingWriter(out)
        indexer = CDXJIndexer(sorted_out, [], sort=True)
        for path in warc_files(directory):
            end = complete_length(path, report)
            with path.open("rb") as fh:
                indexer.process_one(LimitedReader(fh, end), sorted_out, str(path))
        sorted_out.flush()
    tmp.replace(output)
    return report

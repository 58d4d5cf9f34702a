"""The raw pages behind the archive, in WARC (ISO 28500) files: write, read, index, replay.

* :mod:`.writer` — rotating, gzip-per-record WARC files (warcio does the record format);
* :mod:`.records` — a Scrapy response and its request as WARC records;
* :mod:`.reader` — scan files for response records, read one back, skip a truncated tail;
* :mod:`.index` — a CDXJ index (cdxj-indexer) for pywb or any replay tool;
* :mod:`.replay` — ``unsmil-crawler reparse``: the spider and pipelines fed from the files.

What is stored and how to use it: docs/warc.md.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import BaseSettings


def warc_dir(settings: BaseSettings) -> Path:
    """``WARC_DIR``, or ``<UNSMIL_STATE_DIR>/warc`` when it is empty (the state dir follows
    ``-s UNSMIL_STATE_DIR=...``, so the archive stays next to the rest of the state)."""
    configured = settings.get("WARC_DIR")
    if configured:
        return Path(configured)
    return Path(settings["UNSMIL_STATE_DIR"]) / "warc"

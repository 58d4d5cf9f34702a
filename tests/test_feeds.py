"""Feed exports carry articles only (issue 12, point 3): ``-O out.jsonl`` is the archive.

The incremental case (where a feed used to be all ``{lang, url}`` rows of 304s) is in
tests/test_run_modes.py.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_full_crawl_feed_has_one_row_per_article_and_nothing_else(site, site_server, full_crawl):
    rows = full_crawl.items  # the harness crawls with -O items.jsonl:jsonlines
    assert rows, "the feed is written"
    assert all(row.get("title") and row.get("paragraphs") for row in rows), [
        row for row in rows if not row.get("title")][:3]
    urls = [row["url"] for row in rows]
    assert len(urls) == len(set(urls))
    assert set(urls) == {site_server.url + a.path for a in site.expected("initial")}
    assert full_crawl.stat("item_scraped_count") > len(rows), "alias rows were left out"

"""The session's one full crawl of the offline site, shared by the crawl and storage tests.

A full crawl costs ~15 s; every test that only reads its outcome shares this one.
"""

from __future__ import annotations

import pytest

from tests.crawl_harness import CrawlResult, run_crawl
from tests.fixtures_mongo import throwaway_name

FULL_CRAWL_DB = throwaway_name("crawl_full")


@pytest.fixture(scope="session")
def full_crawl(site, site_server, mongo_uri, tmp_path_factory) -> CrawlResult:
    """Both languages, faults on, into ``FULL_CRAWL_DB``; keeps the site's request log."""
    workdir = tmp_path_factory.mktemp("full-crawl")
    site_server.reset()
    result = run_crawl(site_server.url, workdir, mode="full",
                       settings={"MONGO_URI": mongo_uri, "MONGO_DATABASE": FULL_CRAWL_DB})
    assert result.returncode == 0, result.log[-3000:]
    result.site_log = list(site_server.requests)
    return result

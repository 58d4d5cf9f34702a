"""Issue 13 §1: stats only report. A crawl with Scrapy's no-op stats collector stores the
same documents, records the same run and exits with the same code as with the normal one.

Each crawl goes through the ``unsmil-crawler crawl`` command (its exit code is the point),
against one offline site without faults, into its own database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.crawl_harness import FAST, NO_STORAGE, REPO, stored_documents
from tests.fixtures_mongo import throwaway_name
from unsmil_crawler.storage.connection import get_client

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]
DUMMY = "scrapy.statscollectors.DummyStatsCollector"
RUN_FIELDS = ("status", "finish_reason", "spider", "site", "mode", "lang", "base_url")
"""The crawl_runs fields that do not come from stats."""


def cli_crawl(base_url: str, state: Path, settings: dict[str, Any], *extra: str
              ) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "unsmil_crawler.cli", "crawl", "--mode", "full",
           "--base-url", base_url, "--no-progress", *extra]
    for name, value in {**FAST, "UNSMIL_STATE_DIR": str(state), **settings}.items():
        cmd += ["-s", f"{name}={value}"]
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={k: v for k, v in os.environ.items() if k != "MONGO_URI"})


def test_no_op_stats_collector_changes_nothing_a_user_sees(site, fresh_site_server, mongo_uri,
                                                             tmp_path):
    server = fresh_site_server(faults=False)
    js = {server.url + a.path for a in site.expected("initial") if a.js_body}
    assert len(js) == 3
    outcomes = {}
    for collector in ("scrapy.statscollectors.MemoryStatsCollector", DUMMY):
        name = throwaway_name(f"stats_{collector.rsplit('.', 1)[1].lower()}")
        # A render budget smaller than the site's JavaScript articles: a budget kept in
        # stats would never run out under the no-op collector.
        proc = cli_crawl(server.url, tmp_path / name, {
            "STATS_CLASS": collector, "MONGO_URI": mongo_uri, "MONGO_DATABASE": name,
            "RENDER_MAX_PAGES": "1"})
        db = get_client(mongo_uri)[name]
        runs = list(db.crawl_runs.find())
        assert len(runs) == 1, "one crawl, one run id"
        documents = stored_documents(db)
        rejects = {r["url"]: r["reason"] for r in db.rejects.find()}
        # Which JavaScript article gets the one render depends on fetch order: compare them
        # by outcome (one rendered, two kept without body: body_status "render_failed", not
        # rejects), the rest document by document.
        outcomes[collector] = {
            "code": proc.returncode,
            "documents": {u: d for u, d in documents.items() if u not in js},
            "js": (sorted(u in documents for u in js),
                   sorted(documents.get(u, {}).get("body") == "" for u in js),
                   sorted(rejects.get(u, "") for u in js)),
            "rejects": sorted((u, r) for u, r in rejects.items() if u not in js),
            "run": {k: runs[0].get(k) for k in RUN_FIELDS},
            "run_ids": {d["run_id"] for d in db.articles.find()} | {runs[0]["_id"]},
        }
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert len(outcomes[collector]["run_ids"]) == 1, "every document has the run's id"
    normal, dummy = outcomes.values()
    assert normal["documents"] and dummy["documents"] == normal["documents"]
    assert normal["js"] == dummy["js"] == ([True] * 3, [False, True, True], ["", "", ""])
    assert dummy["rejects"] == normal["rejects"]
    assert dummy["run"] == normal["run"] and normal["run"]["status"] == "finished"


def test_a_crawl_that_spilled_fails_with_either_collector(fresh_site_server, tmp_path):
    """MongoDB unreachable the whole crawl: items go to the spill file, the exit code is 1."""
    server = fresh_site_server(faults=False)
    codes = {}
    for collector in ("scrapy.statscollectors.MemoryStatsCollector", DUMMY):
        spill = tmp_path / collector / "spill" / "{run_id}.jsonl"
        proc = cli_crawl(server.url, tmp_path / collector, {
            "STATS_CLASS": collector,
            "MONGO_URI": "mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=200",
            "MONGO_RETRY_MAX_WAIT": "1", "MONGO_SPILL_PATH": str(spill),
            "INCREMENTAL_CONDITIONAL": "False", "ITEM_PIPELINES": NO_DEDUPE}, "--lang", "en")
        codes[collector] = proc.returncode
        assert "storage failed" in proc.stderr, proc.stderr[-3000:]
        assert list(spill.parent.glob("*.jsonl")), "the unwritten items are in the spill file"
    assert set(codes.values()) == {1}


NO_DEDUPE = NO_STORAGE.replace(', "unsmil_crawler.pipelines.mongo.MongoPipeline": null', "")
"""Dedupe needs the stored signatures at start; storage alone buffers through an outage."""

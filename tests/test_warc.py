"""Issue 14: raw pages in WARC, ``source`` on documents, reparse without the network, CDXJ.

The real spider crawls the offline site into the real MongoDB-wire server with WARC writing
on; the archive is then read back with warcio, indexed and reparsed by the CLI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pymongo
import pytest
from parsel import Selector

from tests.crawl_harness import FAST, REPO, collect, run_crawl
from tests.fixtures_mongo import throwaway_name
from tests.old_rule_spider import OldRuleSpider
from tests.warc_harness import TIMES, documents, records, reparse, run_cli
from unsmil_crawler.extract.article import EXTRACTOR_VERSION, extract_article
from unsmil_crawler.extract.urls import canonicalize, path_of
from unsmil_crawler.sites.unsmil import UNSMIL
from unsmil_crawler.text.clean import display_text
from unsmil_crawler.warc.reader import ScanReport, read_record, warc_files
from unsmil_crawler.warc.records import RENDERED_BY, SERVER_NOT_MODIFIED, parse_warc_date
from unsmil_crawler.warc.replay import select_records
from unsmil_testsite import SiteServer

pytestmark = pytest.mark.integration
CRAWL_DB = "warc_crawl"


def lang_of_url(url: str) -> str:
    return UNSMIL.lang_of_path(path_of(url))


@pytest.fixture(scope="module")
def server(site):
    """A private server (faults on), so its request log is this module's alone. Its stall
    (a fault) outlasts the crawler's 3 s timeout by a second."""
    srv = SiteServer(site, faults=True, stall_seconds=4.0).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def crawled(server, mongo_uri, tmp_path_factory):
    """One full crawl, both languages, into CRAWL_DB, archiving to <workdir>/warc."""
    workdir = tmp_path_factory.mktemp("warc-crawl")
    result = run_crawl(server.url, workdir, mode="full",
                       settings={"MONGO_URI": mongo_uri, "MONGO_DATABASE": CRAWL_DB})
    assert result.returncode == 0, result.log[-3000:]
    time.sleep(server.stall_seconds)  # a stalled response the crawler gave up on is logged late
    result.site_log = list(server.requests)
    return result, workdir / "warc"


@pytest.fixture
def crawl_db(crawled, mongo_uri):
    return pymongo.MongoClient(mongo_uri, tz_aware=True)[CRAWL_DB]


def test_every_parsed_response_is_archived_with_its_request(server, crawled, crawl_db):
    result, warc = crawled
    recs = list(records(warc))
    by_type = Counter(r.type for r in recs)
    responses = [r for r in recs if r.type == "response"]
    # Every page the site served to the crawler, but robots.txt (no callback parses it) and
    # what the browser loaded besides the page; once or more (a timed-out try is not there).
    served = {(e.path, str(e.status)) for e in result.site_log
              if e.status in (200, 404, 410) and e.path != "/robots.txt"
              and not e.path.startswith("/_js/")}
    archived = {(r.headers["WARC-Target-URI"].removeprefix(server.url), r.status)
                for r in responses}
    assert archived == served
    assert by_type["response"] == by_type["request"] == by_type["metadata"]
    assert by_type["response"] == result.stat("warc/responses")
    kinds = Counter(line.split(": ")[1] for r in recs if r.type == "metadata"
                    for line in r.payload.decode().splitlines() if line.startswith("kind: "))
    assert kinds.keys() >= {"article", "listing", "feed", "sitemap"}
    ids = {r.headers["WARC-Record-ID"] for r in responses}
    assert {r.headers["WARC-Concurrent-To"] for r in recs if r.type == "request"} == ids
    infos = [r for r in recs if r.type == "warcinfo"]
    assert len(infos) == len(warc_files(warc)) == 1 and recs[0].type == "warcinfo"
    info = infos[0].payload.decode()
    assert f"run-id: {result.stats['run_id']}" in info and "software: unsmil-crawler/" in info
    assert "site: unsmil" in info
    rendered = [r for r in responses if r.headers.get("Rendered-By") == RENDERED_BY]
    assert len(rendered) == result.stat("render/rendered") == 3


def test_each_article_points_at_the_record_it_was_extracted_from(crawled, crawl_db):
    _, warc = crawled
    docs = list(crawl_db.articles.find())
    assert docs and all("source" in d for d in docs)
    for doc in docs:
        source = doc["source"]
        record = read_record(warc / source["warc_file"], source["offset"])
        assert record.rec_type == "response"
        assert canonicalize(record.rec_headers.get_header("WARC-Target-URI")) in {
            doc["url"], *doc["aliases"]}
        assert parse_warc_date(record.rec_headers.get_header("WARC-Date")) == source["fetched_at"]
        uri = record.rec_headers.get_header("WARC-Target-URI")
        page = Selector(text=record.content_stream().read().decode("utf-8"))
        item, _ = extract_article(page, uri, UNSMIL)
        assert display_text(item.title) == doc["title"]
        assert (record.rec_headers.get_header("Rendered-By") == RENDERED_BY) is doc["rendered"]


def test_cdxj_index_lists_every_response_at_its_offset(crawled, crawl_db, tmp_path):
    _, warc = crawled
    out = tmp_path / "index.cdxj"
    run = run_cli("warc", "index", "--warc-dir", str(warc), "-o", str(out), workdir=tmp_path)
    assert run.returncode == 0, run.stderr
    lines = out.read_text().splitlines()
    assert lines == sorted(lines)
    entries = {(e["filename"], int(e["offset"])): int(e["length"])
               for e in (json.loads(line.split(" ", 2)[2]) for line in lines)}
    assert len(entries) == sum(1 for r in records(warc) if r.type == "response")
    for doc in crawl_db.articles.find({}, {"source": 1}):
        s = doc["source"]
        assert entries[(s["warc_file"], s["offset"])] == s["length"]
    assert "0 truncated tails skipped" in run.stderr


def test_reparse_after_deleting_articles_stores_the_same_documents(
        server, crawled, crawl_db, mongo_uri, tmp_path):
    _, warc = crawled
    before = documents(crawl_db)
    crawl_db.articles.drop()
    server.clear_log()
    run = reparse(warc, mongo_uri, CRAWL_DB, tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert server.requests == []  # nothing asked of the site
    assert run.stats["reparse/records"] >= len(before)
    assert documents(crawl_db) == before  # every field, source included, but times and run id


def test_reparse_fixes_documents_of_an_older_extraction_rule_without_requests(
        server, crawled, crawl_db, mongo_uri, tmp_path):
    expected = documents(crawl_db)
    old = run_crawl(server.url, tmp_path / "old", mode="full", settings={
        "MONGO_URI": mongo_uri, "MONGO_DATABASE": throwaway_name("warc_old_rule"),
        "SPIDER_MODULES": "unsmil_crawler.spiders,tests.old_rule_spider"},
        spider=OldRuleSpider.name)
    assert old.returncode == 0, old.log[-3000:]
    db = pymongo.MongoClient(mongo_uri, tz_aware=True)[throwaway_name("warc_old_rule")]
    wrong = documents(db)
    suffixed = {u for u, d in wrong.items() if d["title"] != expected[u]["title"]}
    assert len(suffixed) > len(wrong) // 2
    assert all(d["extractor_version"] == EXTRACTOR_VERSION - 1 for d in wrong.values())

    server.clear_log()
    run = reparse(tmp_path / "old" / "warc", mongo_uri, throwaway_name("warc_old_rule"),
                  tmp_path / "reparse")
    assert run.returncode == 0, run.stderr[-3000:]
    assert server.requests == []
    fixed = documents(db)
    assert fixed.keys() == expected.keys()
    for url, doc in fixed.items():
        assert doc["title"] == expected[url]["title"]
        assert doc["extractor_version"] == EXTRACTOR_VERSION
        assert doc["revision"] == (2 if url in suffixed else 1)
        assert doc["source"] == wrong[url]["source"]  # the same archived page, read again
        same = {k: v for k, v in doc.items() if k not in ("revision", "source", *TIMES)}
        assert same == {k: v for k, v in expected[url].items()
                        if k not in ("revision", "source", *TIMES)}
    # (a supersede record the crawl's fetch order may leave is not a revision of a fix)
    archived = {d["url"]: d["title"]
                for d in db.article_revisions.find({"superseded_by": {"$exists": False}})}
    assert archived == {u: wrong[u]["title"] for u in suffixed}
    assert run.stats["mongo/articles_updated"] == len(suffixed)


def test_304s_are_revisits_of_the_stored_response(server, crawled, crawl_db, mongo_uri, tmp_path):
    """A second full run over a copy of the crawl re-checks every stored article with a
    conditional GET (an incremental run over an unchanged site fetches none): its 304s refer
    to the archived pages."""
    _, warc = crawled
    archive = tmp_path / "warc"
    shutil.copytree(warc, archive)
    copy = pymongo.MongoClient(mongo_uri, tz_aware=True)[throwaway_name("warc_revisits")]
    copy.articles.insert_many(list(crawl_db.articles.find()))
    inc = run_crawl(server.url, tmp_path / "inc", mode="full", settings={
        "MONGO_URI": mongo_uri, "MONGO_DATABASE": throwaway_name("warc_revisits"),
        "WARC_DIR": str(archive)})
    assert inc.returncode == 0, inc.log[-3000:]
    not_modified = inc.stat("incremental/not_modified")
    assert not_modified > 0
    first = {(r.file, r.offset): r for r in records(warc) if r.type == "response"}
    revisits = [r for r in records(archive) if r.type == "revisit"]
    assert len(revisits) == not_modified == inc.stat("warc/revisits")
    sources = {url: d["source"] for d in copy.articles.find()
               for url in (d["url"], *d.get("aliases", []))}  # a 304 may answer an alias
    for rev in revisits:
        assert rev.headers["WARC-Profile"] == SERVER_NOT_MODIFIED and rev.status == "304"
        source = sources[canonicalize(rev.headers["WARC-Target-URI"])]
        stored = first[(source["warc_file"], source["offset"])]
        assert rev.headers["WARC-Refers-To-Target-URI"] == stored.headers["WARC-Target-URI"]
        assert rev.headers["WARC-Refers-To-Date"] == stored.headers["WARC-Date"]
        assert rev.headers["WARC-Payload-Digest"] == stored.headers["WARC-Payload-Digest"]


def test_truncated_last_record_is_skipped_and_counted(crawled, crawl_db, mongo_db, mongo_uri,
                                                      tmp_path):
    """A crawl killed mid-write leaves a partial last record: both readers skip it, count it."""
    _, warc = crawled
    archive = tmp_path / "warc"
    shutil.copytree(warc, archive)
    docs = {d["url"]: d["source"] for d in crawl_db.articles.find()}
    url, last = max(docs.items(), key=lambda item: (item[1]["warc_file"], item[1]["offset"]))
    path = archive / last["warc_file"]
    with path.open("r+b") as fh:
        fh.truncate(last["offset"] + last["length"] // 2)

    index = run_cli("warc", "index", "--warc-dir", str(archive), workdir=tmp_path)
    assert index.returncode == 0, index.stderr
    assert f"truncated tail of {path.name} from offset {last['offset']}" in index.stderr
    assert "1 truncated tails skipped" in index.stderr
    offsets = {int(json.loads(line.split(" ", 2)[2])["offset"])
               for line in (archive / "index.cdxj").read_text().splitlines()}
    assert max(offsets) < last["offset"]

    run = reparse(archive, mongo_uri, mongo_db.name, tmp_path / "reparse")
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stats["reparse/truncated"] == 1
    assert "1 truncated tails skipped" in run.stderr
    after = {d["url"]: d["source"] for d in mongo_db.articles.find()}
    assert after.keys() >= docs.keys() - {url}
    if url in after:  # fetched twice (a render, a second address): the earlier record serves
        assert (after[url]["warc_file"], after[url]["offset"]) < (path.name, last["offset"])


def test_unwritable_or_full_warc_dir_fails_the_run_before_any_request(
        fresh_site_server, mongo_uri, tmp_path):
    server = fresh_site_server(faults=False)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the WARC directory should be")
    for name, setting, reason in (
        ("unwritable", {"WARC_DIR": str(blocker / "warc")}, "is not writable"),
        ("full", {"WARC_MIN_FREE_MB": str(10**12)}, "below WARC_MIN_FREE_MB"),
    ):
        result = run_crawl(server.url, tmp_path / name, mode="full", settings={
            "MONGO_URI": mongo_uri, "MONGO_DATABASE": f"warc_{name}", **setting})
        assert result.returncode != 0, name
        assert reason in result.log and "Not starting the crawl" in result.log
        assert server.requests == [], name
        db = pymongo.MongoClient(mongo_uri)[f"warc_{name}"]
        assert db.articles.estimated_document_count() == 0


def _limit_file_size(limit: int) -> Any:
    import resource

    def apply() -> None:  # in the child: every file it writes stops growing at ``limit``
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_failed_write_mid_run_stops_the_crawl_and_loses_no_record(
        fresh_site_server, mongo_uri, mongo_db, tmp_path):
    """``unsmil-crawler crawl`` under a file size limit (EFBIG stands in for a full disk:
    the same OSError path) stops cleanly, exits 1, and every stored page is archived whole."""
    server = fresh_site_server(faults=False)
    settings = {**FAST, "MONGO_URI": mongo_uri, "MONGO_DATABASE": mongo_db.name,
                "UNSMIL_STATE_DIR": str(tmp_path / "state"),
                "STATSFILE_PATH": str(tmp_path / "stats.json"),
                "LOG_FILE": str(tmp_path / "crawl.log"),
                "RENDER_MAX_PAGES": "0"}  # Chromium under the file size limit only hangs
    cmd = [sys.executable, "-m", "unsmil_crawler.cli", "crawl", "--mode", "full",
           "--base-url", server.url, "--no-progress"]
    for name, value in settings.items():
        cmd += ["-s", f"{name}={value}"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300,
                          preexec_fn=_limit_file_size(600_000))
    result = collect(tmp_path, proc.returncode, proc.stderr)
    assert result.returncode == 1
    assert "crawl did not finish: finish_reason=warc_write_failed" in proc.stderr
    assert "File too large" in result.stats["warc/failure_reason"]
    assert "WARC archive failed, stopping the crawl" in result.log
    assert result.stat("warc/unwritten") >= 1
    warc = tmp_path / "state" / "warc"
    complete = {(r.file, r.offset): r for r in records(warc)}
    index = run_cli("warc", "index", "--warc-dir", str(warc), workdir=tmp_path)
    assert "0 truncated tails skipped" in index.stderr  # cut back to the last whole exchange
    docs = list(mongo_db.articles.find())
    assert docs and len(docs) < 600
    for doc in docs:  # every stored document's page is in the archive, whole
        assert complete[(doc["source"]["warc_file"], doc["source"]["offset"])].type == "response"
    assert len(server.requests) < 700  # stopped early, not at the end of the site
    run = mongo_db.crawl_runs.find_one({"_id": result.stats["run_id"]})
    assert run["status"] == "failed" and run["finish_reason"] == "warc_write_failed"


def test_reparse_selects_by_site_date_language_and_url(crawled, crawl_db):
    _, warc = crawled

    def select(**filters: Any) -> list[Any]:
        return select_records(warc, ScanReport(), lang_of_url=lang_of_url, **filters)

    everything = select()
    assert {canonicalize(a.url) for a in everything} >= {
        d["url"] for d in crawl_db.articles.find({}, {"url": 1})}
    assert len({a.url for a in everything}) == len(everything)  # the latest record per URL
    arabic = select(langs=["ar"])
    assert arabic and {lang_of_url(a.url) for a in arabic} == {"ar"}
    assert len(arabic) < len(everything)
    one = everything[len(everything) // 2]
    assert [a.url for a in select(urls=[one.url])] == [one.url]
    assert select(site="another-mission") == []
    assert select(since=datetime.now(UTC) + timedelta(days=1)) == []
    assert len(select(since=one.fetched_at)) < len(everything)

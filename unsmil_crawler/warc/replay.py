"""Reparse: the news spider and the real item pipelines, fed from the WARC archive alone.

:class:`ReparseSpider` *is* the news spider (same callbacks, same extraction) with another
start: one request per selected archived article page, answered by
:class:`WarcReplayMiddleware` from its record. Items then go through cleaning, validation,
dedupe and storage exactly as in a crawl, so a changed extraction rule updates stored
documents the way a crawl would (a new revision when title or body change, the current
``extractor_version``, ``source`` kept on the record it came from).

No network: the reparse settings (:func:`reparse_settings`) remove the HTTP download
handlers, and the middleware refuses any request that is not a replay. Requests the
callbacks yield (neighbours to follow, a page to render) are counted and dropped.

Selection (:func:`select_records`): the latest complete ``response`` record with status
200 per URL whose ``kind`` (metadata record) is ``article`` or ``start``, in the files of
the spider's site (their ``warcinfo``), optionally limited to a fetch date, languages and
URLs. Truncated tails are skipped, logged and counted (:attr:`ReparseSpider.scan`).

Stats (under ``reparse/``): ``files``, ``records`` (selected), ``truncated``,
``requests_dropped``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes

from unsmil_crawler.addon import DOWNLOADER_MIDDLEWARES
from unsmil_crawler.extract import discovery
from unsmil_crawler.extract.discovery import SitemapError
from unsmil_crawler.extract.urls import canonicalize, path_of
from unsmil_crawler.sites import DEFAULT_SITE
from unsmil_crawler.spiders.unsmil_news import UnsmilNewsSpider
from unsmil_crawler.warc import warc_dir
from unsmil_crawler.warc.reader import (
    ScanReport,
    members,
    parse,
    parse_warc_fields,
    read_record,
    record_type,
    warc_files,
)
from unsmil_crawler.warc.records import parse_warc_date

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

logger = logging.getLogger(__name__)

STATS_PREFIX = "reparse"
ARTICLE_KINDS = ("article", "start")
ANNOUNCING_KINDS = ("sitemap", "feed")
"""Archived pages whose change dates (``<lastmod>``, feed ``updated``) a reparse reads again,
so a re-extracted article keeps the ``sitemap_lastmod`` its crawl stored."""


@dataclass
class Archived:
    """An archived response a reparse may replay."""

    url: str
    fetched_at: datetime
    warc_file: str
    offset: int
    length: int
    kind: str = "other"
    redirected_from: list[str] = field(default_factory=list)
    rendered: bool = False

    @property
    def source(self) -> dict[str, Any]:
        return {"warc_file": self.warc_file, "offset": self.offset, "length": self.length,
                "fetched_at": self.fetched_at}


def archived_responses(path: Path, report: ScanReport, site: str | None = None
                       ) -> Iterator[Archived]:
    """The complete 200 ``response`` records of one file, with their metadata attached;
    nothing when ``site`` is given and the file's ``warcinfo`` names another."""
    pending: dict[str, Archived] = {}
    with path.open("rb") as fh:
        for raw in members(fh, report, path.name):
            report.records += 1
            kind = record_type(raw)
            if kind not in ("warcinfo", "response", "metadata"):
                continue
            record = parse(raw)
            if kind == "warcinfo":
                info = dict(parse_warc_fields(record.content_stream().read()))
                if site and info.get("site") != site:
                    break
            elif kind == "response" and record.http_headers.get_statuscode() == "200":
                headers = record.rec_headers
                pending[headers.get_header("WARC-Record-ID")] = Archived(
                    url=headers.get_header("WARC-Target-URI"),
                    fetched_at=parse_warc_date(headers.get_header("WARC-Date")),
                    warc_file=path.name, offset=raw.offset, length=raw.length)
            elif kind == "metadata":
                found = pending.pop(record.rec_headers.get_header("WARC-Concurrent-To"), None)
                if found is not None:
                    _attach(found, parse_warc_fields(record.content_stream().read()))
                    yield found
    report.files += 1


def _attach(found: Archived, fields: Iterable[tuple[str, str]]) -> None:
    for name, value in fields:
        if name == "kind":
            found.kind = value
        elif name == "redirected-from":
            found.redirected_from.append(value)
        elif name == "rendered":
            found.rendered = True


def select_records(
    directory: Path, report: ScanReport, *, site: str | None = None,
    since: datetime | None = None, langs: Iterable[str] | None = None,
    urls: Iterable[str] | None = None, lang_of_url: Any = None,
    announcements: list[Archived] | None = None,
) -> list[Archived]:
    """The latest archived article response per URL that passes the filters; the archived
    sitemaps and feeds are appended to ``announcements`` when it is given."""
    wanted = {canonicalize(u) for u in urls or ()}
    lang_set = set(langs or ())
    latest: dict[str, Archived] = {}
    for path in warc_files(directory):
        for found in archived_responses(path, report, site):
            if found.kind in ANNOUNCING_KINDS and announcements is not None:
                announcements.append(found)
            if found.kind not in ARTICLE_KINDS:
                continue
            if since and found.fetched_at < since:
                continue
            if wanted and canonicalize(found.url) not in wanted:
                continue
            if lang_set and lang_of_url(found.url) not in lang_set:
                continue
            current = latest.get(found.url)
            if current is None or found.fetched_at >= current.fetched_at:
                latest[found.url] = found
    return sorted(latest.values(), key=lambda a: (a.warc_file, a.offset))


class ReparseSpider(UnsmilNewsSpider):
    """The news spider replaying archived article pages of one site (spider arguments:
    ``site``, ``since`` (ISO date), ``url`` (comma-separated), ``lang``)."""

    name = "unsmil_reparse"

    def __init__(self, site: str = DEFAULT_SITE, since: str | None = None,
                 url: str | None = None, lang: str | None = None, **kwargs: Any) -> None:
        super().__init__(site=site, lang=lang, mode="full", **kwargs)
        self.mode = "reparse"
        self.allowed_domains = []  # archived pages of any host; the network is off anyway
        self.since = datetime.combine(date.fromisoformat(since), time(), UTC) if since else None
        self.urls = [u for u in (url or "").split(",") if u]
        self.scan = ScanReport()
        """What the selection read and skipped (files, records, truncated tails)."""
        self.selected = 0

    async def start(self) -> AsyncIterator[Request]:
        stats = self.crawler.stats
        report = self.scan
        directory = warc_dir(self.crawler.settings)
        announcing: list[Archived] = []
        selected = select_records(
            directory, report, site=self.site, since=self.since,
            langs=self.langs, urls=self.urls,
            lang_of_url=lambda u: self.profile.lang_of_path(path_of(u)),
            announcements=announcing)
        for found in announcing:
            self._read_announcements(directory, found)
        self.selected = len(selected)
        stats.set_value(f"{STATS_PREFIX}/files", report.files)
        stats.set_value(f"{STATS_PREFIX}/records", len(selected))
        stats.set_value(f"{STATS_PREFIX}/truncated", len(report.truncated))
        for name, offset in report.truncated:
            logger.warning("Skipped the truncated tail of %s from offset %d", name, offset)
        logger.info("Reparsing %d archived article pages from %d WARC files",
                    len(selected), report.files)
        for found in selected:
            meta: dict[str, Any] = {"kind": found.kind, "warc_source": found.source}
            if found.redirected_from:
                meta["redirect_urls"] = found.redirected_from
            if found.rendered:
                meta["playwright"] = True
            yield Request(found.url, callback=self.replay, errback=self.on_error, meta=meta,
                          dont_filter=True)

    def _read_announcements(self, directory: Path, found: Archived) -> None:
        """The change dates an archived sitemap page or feed announced, as a crawl records
        them (:meth:`~unsmil_crawler.spiders.change_signals.ChangeSignalsMixin.announced`)."""
        body = read_record(directory / found.warc_file, found.offset).content_stream().read()
        if found.kind == "feed":
            entries = discovery.feed_entries(body, found.url)
        else:
            try:
                is_index, entries = discovery.sitemap_entries(body, found.url)
            except SitemapError:
                return
            if is_index:
                return
        for entry in entries:
            if entry.lastmod is not None:
                self.announced_lastmods[entry.url] = max(
                    entry.lastmod, self.announced_lastmods.get(entry.url, entry.lastmod))

    def replay(self, response: Response) -> Iterator[Any]:
        parse_page = self.parse_any if response.meta["kind"] == "start" else self.parse_article
        for output in parse_page(response):
            if isinstance(output, Request):
                self.crawler.stats.inc_value(f"{STATS_PREFIX}/requests_dropped")
                continue
            yield output


class WarcReplayMiddleware:
    """Downloader middleware answering replay requests from their WARC record; nothing else."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(warc_dir(crawler.settings))

    def process_request(self, request: Request) -> Response:
        source = request.meta.get("warc_source")
        if not source:
            raise IgnoreRequest(f"reparse uses no network: {request.url} is not a replay")
        record = read_record(self.directory / source["warc_file"], source["offset"])
        http = record.http_headers
        headers = Headers([(k, v) for k, v in http.headers])
        body = record.content_stream().read()
        cls = responsetypes.from_args(headers=headers, url=request.url)
        return cls(url=request.url, status=int(http.get_statuscode()), headers=headers,
                   body=body, request=request, protocol=http.protocol or None)


def reparse_settings(settings: Settings) -> None:
    """Turn a crawl's settings into a reparse's, at ``cmdline`` priority: no HTTP handler,
    the archive as the only source, no re-archiving, no robots, no throttling, no run
    record (``crawl_runs`` is the record of crawls)."""
    middlewares: dict[str, int | None] = dict.fromkeys(DOWNLOADER_MIDDLEWARES)
    middlewares["unsmil_crawler.warc.replay.WarcReplayMiddleware"] = 1
    extensions = {"unsmil_crawler.extensions.crawl_runs.CrawlRunsExtension": None,
                  "unsmil_crawler.extensions.jobdir_guard.JobdirGuard": None}
    settings.setdict({
        "DOWNLOAD_HANDLERS": {"http": None, "https": None},
        # Scrapy's own downloader middlewares shape requests and responses on the wire
        # (headers, compression, redirects, retries, cookies): a replay has no wire.
        "DOWNLOADER_MIDDLEWARES_BASE": {},
        "DOWNLOADER_MIDDLEWARES": middlewares,
        "EXTENSIONS": extensions,
        "WARC_ENABLED": False,
        "ROBOTSTXT_OBEY": False,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "RETRY_ENABLED": False,
        "COOKIES_ENABLED": False,
        "JOBDIR": None,
        "RENDER_URL_PATTERNS": [],
        # A replayed page yields one item: Scrapy starts CONCURRENT_ITEMS tasks to process
        # each callback's output, and 100 idle ones per page cost a fifth of the CPU.
        "CONCURRENT_ITEMS": 4,
    }, priority="cmdline")

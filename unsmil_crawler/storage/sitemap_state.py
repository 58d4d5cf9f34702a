"""Sitemap pages: what the last successful runs saw of each, and what this run reads.

An incremental run reads the sitemap index, then only the pages whose ``<lastmod>`` moved
since a successful run last read them (every page when the index gives no lastmod), at most
``INCREMENTAL_SITEMAP_PAGES`` of them, least recently read first, so a site without lastmods
is still covered over a few runs. A page that lists fewer URLs than when it was last read
tells which articles left the sitemap: each is re-requested once (a 404/410 marks it gone).

State is one `sitemap_pages` document per page and language (``site``, ``url``, ``lang``,
``lastmod`` as the index gave it, ``read_at``, ``run_id``, ``urls``), written when a run
finishes (close reason "finished"), for the pages it read completely: loaded, and no article
request from them failed. Per language, because a page lists both languages: an English-only
run must not make an Arabic run skip a page. A page counts as seen only when every language
of the run has seen it. Pages written by a run that `crawl_runs` records as failed are
ignored, so they are read again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pymongo import UpdateOne
from pymongo.database import Database

from unsmil_crawler.extract.discovery import Entry
from unsmil_crawler.storage.schema import RUNS, SITEMAP_PAGES, site_query

logger = logging.getLogger(__name__)


@dataclass
class PageState:
    """One sitemap page as a successful run read it."""

    url: str
    lastmod: datetime | None
    read_at: datetime | None = None
    urls: list[str] = field(default_factory=list)


def pages_to_read(
    index: list[Entry], seen: dict[str, PageState], budget: int
) -> tuple[list[Entry], int]:
    """The index's pages worth reading, never-read then least recently read first, at most
    ``budget``; and how many more would have been worth it (they wait for the next run).

    >>> from datetime import UTC
    >>> day = lambda d: datetime(2026, 11, d, tzinfo=UTC)
    >>> seen = {"p1": PageState("p1", day(1), day(2)), "p2": PageState("p2", day(1), day(2)),
    ...         "p3": PageState("p3", None, day(1))}
    >>> index = [Entry("p1", day(1)), Entry("p2", day(20)), Entry("p3"), Entry("p4", day(1))]
    >>> [e.url for e in pages_to_read(index, seen, 10)[0]]
    ['p4', 'p3', 'p2']
    >>> [e.url for e in pages_to_read(index, seen, 2)[0]], pages_to_read(index, seen, 2)[1]
    (['p4', 'p3'], 1)
    """
    def moved(entry: Entry) -> bool:
        before = seen.get(entry.url)
        return (before is None or entry.lastmod is None or before.lastmod is None
                or entry.lastmod > before.lastmod)

    def last_read(entry: Entry) -> tuple[bool, datetime | None]:
        before = seen.get(entry.url)
        read_at = before.read_at if before else None
        return (read_at is not None, read_at)

    due = sorted((e for e in index if moved(e)), key=last_read)
    return due[:budget], max(0, len(due) - budget)


@dataclass
class SitemapRun:
    """This run's sitemap reading: pages pending, what each listed, which failed."""

    seen: dict[str, PageState] = field(default_factory=dict)
    """What earlier successful runs saw, by page URL."""
    pending: int = 0
    """Sitemap documents requested and not yet loaded or failed."""
    read: dict[str, PageState] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    """Pages (or the index) that did not load, and pages with a failed article request."""
    left_checked: bool = False

    def requested(self) -> None:
        self.pending += 1

    def index_loaded(self) -> None:
        self.pending -= 1

    def loaded(self, page: PageState) -> None:
        self.pending -= 1
        self.read[page.url] = page

    def did_not_load(self, url: str) -> None:
        self.pending -= 1
        self.failed.add(url)

    def article_failed(self, page_url: str) -> None:
        self.failed.add(page_url)

    def left(self) -> list[str]:
        """URLs that earlier runs saw on a page this run read, and that no page read this
        run lists any more. Only pages that loaded count: a page that failed never says
        that anything left.

        >>> run = SitemapRun(seen={"p": PageState("p", None, urls=["a", "b", "c"])})
        >>> run.loaded(PageState("p", None, urls=["a"]))
        >>> run.loaded(PageState("q", None, urls=["b"]))
        >>> run.left()
        ['c']
        """
        listed = {u for page in self.read.values() for u in page.urls}
        out: list[str] = []
        for url in self.read:
            before = self.seen.get(url)
            out += [u for u in (before.urls if before else []) if u not in listed]
        return sorted(set(out))

    def complete(self) -> list[PageState]:
        """Pages read in full, with nothing failed: what this run may record as seen."""
        return [p for url, p in self.read.items() if url not in self.failed]


def merge_langs(docs: list[dict[str, Any]], langs: tuple[str, ...]) -> dict[str, PageState]:
    """Per-language page documents -> the pages every language of ``langs`` has seen, each
    as new as its least recent language (lastmod, read time), listing what any of them saw.

    >>> from datetime import UTC
    >>> d = datetime(2026, 11, 1, tzinfo=UTC)
    >>> docs = [{"url": "p", "lang": "en", "lastmod": d, "read_at": d, "urls": ["a"]},
    ...         {"url": "p", "lang": "ar", "lastmod": None, "read_at": d, "urls": ["b"]},
    ...         {"url": "q", "lang": "en", "lastmod": d, "read_at": d, "urls": ["c"]}]
    >>> merge_langs(docs, ("ar", "en"))
    {'p': PageState(url='p', lastmod=None, read_at=datetime.datetime(2026, 11, 1, 0, 0, \
tzinfo=datetime.timezone.utc), urls=['a', 'b'])}
    >>> list(merge_langs(docs, ("en",)))
    ['p', 'q']
    """
    by_url: dict[str, dict[str, dict[str, Any]]] = {}
    for d in docs:
        by_url.setdefault(d["url"], {})[d["lang"]] = d
    out = {}
    for url, per_lang in by_url.items():
        if not set(langs) <= set(per_lang):
            continue
        seen = [per_lang[lang] for lang in langs]
        lastmods = [d.get("lastmod") for d in seen]
        out[url] = PageState(
            url, None if None in lastmods else min(lastmods),
            min(d["read_at"] for d in seen),
            sorted({u for d in seen for u in d.get("urls") or []}),
        )
    return out


def load_sitemap_state(db: Database[Any], site: str,
                       langs: tuple[str, ...]) -> dict[str, PageState]:
    """Pages as the last runs saw them, without those of runs recorded as failed."""
    docs = list(db[SITEMAP_PAGES].find({**site_query(site), "lang": {"$in": list(langs)}},
                                       {"_id": 0}))
    run_ids = sorted({d.get("run_id") for d in docs if d.get("run_id")})
    failed = {r["_id"] for r in db[RUNS].find({"_id": {"$in": run_ids}, "status": "failed"},
                                              {"_id": 1})}
    return merge_langs([d for d in docs if d.get("run_id") not in failed], langs)


def save_sitemap_state(db: Database[Any], pages: list[PageState], site: str,
                       langs: tuple[str, ...], run_id: str) -> None:
    if not pages:
        return
    db[SITEMAP_PAGES].bulk_write([
        UpdateOne({"url": p.url, "lang": lang},
                  {"$set": {"site": site, "lastmod": p.lastmod, "read_at": p.read_at,
                            "run_id": run_id, "urls": p.urls}}, upsert=True)
        for p in pages for lang in langs
    ], ordered=False)
    logger.info("Sitemap state: %d pages recorded as seen for %s", len(pages), ",".join(langs))

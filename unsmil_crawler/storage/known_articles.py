"""What earlier runs stored, loaded once at start so a run asks only for what changed.

Both modes send conditional GETs (``If-None-Match`` / ``If-Modified-Since``) for stored
articles, so an unchanged page costs a 304 and no parsing. Incremental mode also skips
stored URLs found in listings and feeds unless the sitemap or feed announces a change newer
than the stored one (:meth:`KnownState.announced`), re-checks the newest stored articles of
each language that no sitemap ``<lastmod>`` covers, and stops walking the chain after a
streak of stored pages.

We deliberately do not use scrapy-deltafetch: it drops already-seen pages outright, and
the chain walk needs them (a 304 still tells us the stored neighbours to follow).

A stored document extracted by an older :data:`~unsmil_crawler.extract.article.EXTRACTOR_VERSION`
is fetched without validators, so a fix to extraction reaches it on the next run.

The state is one site's: another site's articles in the same database are never "known".

Settings read: ``INCREMENTAL_CONDITIONAL`` (False ignores what earlier runs stored: no
database read at start, every page fetched in full, and an incremental run crawls as a
full one), ``INCREMENTAL_RECHECK`` (newest stored articles per language without a sitemap
lastmod re-checked each incremental run). ``INCREMENTAL_KNOWN_STREAK`` (stored pages in a
row that end the chain walk) is read by the spider.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.settings import BaseSettings

from unsmil_crawler.extract.article import EXTRACTOR_VERSION
from unsmil_crawler.items import RENDER_FAILED
from unsmil_crawler.storage.connection import require_database
from unsmil_crawler.storage.schema import ARTICLES, site_query
from unsmil_crawler.storage.sitemap_state import PageState, load_sitemap_state

logger = logging.getLogger(__name__)

_PROJECTION = {"_id": 0, "url": 1, "aliases": 1, "lang": 1, "etag": 1, "last_modified": 1,
               "prev_url": 1, "next_url": 1, "sitemap_lastmod": 1, "extractor_version": 1,
               "body_status": 1}


@dataclass
class KnownState:
    """Stored URLs (and aliases), their HTTP validators and stored neighbours.

    Holds a few short strings per stored article, never text.

    >>> s = KnownState()
    >>> s.add({"url": "http://h/en/a", "aliases": ["http://h/node/1"], "etag": '"x"',
    ...        "extractor_version": 2,
    ...        "prev_url": "http://h/en/b", "next_url": None})
    >>> s.is_stored("http://h/node/1"), s.resolve("http://h/node/1")
    (True, 'http://h/en/a')
    >>> s.conditional_headers("http://h/node/1")
    {'If-None-Match': '"x"'}
    >>> s.neighbours("http://h/en/a")
    {'prev': 'http://h/en/b', 'next': None}
    >>> s.urls(), s.lang("http://h/node/1")
    (['http://h/en/a'], '')

    A document from an older extractor gets no validators: the page is fetched in full and
    extracted again, whatever the server would have answered.

    >>> s.add({"url": "http://h/en/old", "etag": '"y"', "extractor_version": 1})
    >>> s.conditional_headers("http://h/en/old")
    {}
    """

    canonical: dict[str, str] = field(default_factory=dict)
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    links: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    langs: dict[str, str] = field(default_factory=dict)
    lastmods: dict[str, datetime] = field(default_factory=dict)
    """Stored ``sitemap_lastmod`` (the newest change the stored version covers), if any."""
    recheck: list[str] = field(default_factory=list)
    render_failed: list[str] = field(default_factory=list)
    """Articles stored without body because rendering failed: the next run renders them."""
    sitemap_pages: dict[str, PageState] = field(default_factory=dict)
    """Sitemap pages as the last successful runs saw them."""

    def add(self, doc: dict) -> None:
        url = doc["url"]
        for alias in (url, *(doc.get("aliases") or [])):
            self.canonical[alias] = url
        current = (doc.get("extractor_version") or 1) >= EXTRACTOR_VERSION
        self.validators[url] = ((doc.get("etag"), doc.get("last_modified")) if current
                                else (None, None))
        self.links[url] = (doc.get("prev_url"), doc.get("next_url"))
        self.langs[url] = doc.get("lang") or ""
        if doc.get("body_status") == RENDER_FAILED:
            self.render_failed.append(url)
        if doc.get("sitemap_lastmod"):
            self.lastmods[url] = doc["sitemap_lastmod"]

    def urls(self) -> list[str]:
        """Every stored article's canonical URL."""
        return list(self.validators)

    def lang(self, url: str) -> str:
        return self.langs.get(self.resolve(url), "")

    def __len__(self) -> int:
        return len(self.validators)

    def is_stored(self, url: str) -> bool:
        return url in self.canonical

    def resolve(self, url: str) -> str:
        return self.canonical.get(url, url)

    def conditional_headers(self, url: str) -> dict[str, str]:
        etag, last_modified = self.validators.get(self.resolve(url), (None, None))
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return headers

    def announced(self, url: str, lastmod: datetime) -> str:
        """What a change date announced for a stored ``url`` asks for.

        ``"current"``: the stored version already covers it; ``"covered"``: no stored
        lastmod that new, but the stored page's ``Last-Modified`` is (record it, no request);
        ``"changed"``: re-fetch (also when the stored version's validators are void, e.g.
        it came from an older extractor).

        >>> from datetime import UTC
        >>> s = KnownState()
        >>> s.add({"url": "http://h/a", "sitemap_lastmod": datetime(2026, 1, 1, tzinfo=UTC),
        ...        "last_modified": "Thu, 01 Oct 2026 12:00:00 GMT",
        ...        "extractor_version": EXTRACTOR_VERSION})
        >>> [s.announced("http://h/a", datetime(2026, m, 1, tzinfo=UTC)) for m in (1, 9, 11)]
        ['current', 'covered', 'changed']
        """
        canonical = self.resolve(url)
        stored = self.lastmods.get(canonical)
        if stored is not None and lastmod <= stored:
            return "current"
        fetched = _http_date(self.validators.get(canonical, (None, None))[1])
        if fetched is not None and lastmod <= fetched:
            return "covered"
        return "changed"

    def neighbours(self, url: str) -> dict[str, str | None]:
        prev, nxt = self.links.get(self.resolve(url), (None, None))
        return {"prev": prev, "next": nxt}


def _http_date(value: str | None) -> datetime | None:
    """An HTTP date header (Last-Modified) as an aware datetime, or None."""
    try:
        when = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None
    return when.replace(tzinfo=UTC) if when and when.tzinfo is None else when


def load_known_state(
    settings: BaseSettings, site: str, langs: tuple[str, ...], *, mode: str
) -> KnownState:
    """Stream the stored articles of ``site`` in ``langs`` into a :class:`KnownState`."""
    state = KnownState()
    if not settings.getbool("INCREMENTAL_CONDITIONAL"):
        return state
    db = require_database(settings)
    articles = db[ARTICLES]
    state.sitemap_pages = load_sitemap_state(db, site, langs)
    query = {**site_query(site), "lang": {"$in": list(langs)}, "gone_since": None}
    for doc in articles.find(query, _PROJECTION):
        state.add(doc)
    if mode == "incremental" and settings.getint("INCREMENTAL_RECHECK") > 0:
        # Articles the sitemap gives a lastmod for are re-checked when it moves, not here.
        window = settings.getint("INCREMENTAL_RECHECK")
        for lang in langs:
            newest = articles.find({**site_query(site), "lang": lang, "gone_since": None,
                                    "sitemap_lastmod": None},
                                   {"_id": 0, "url": 1})
            state.recheck.extend(d["url"] for d in newest.sort("published", -1).limit(window))
    logger.info("Known state: %d stored articles, %d to re-check", len(state),
                len(state.recheck))
    return state

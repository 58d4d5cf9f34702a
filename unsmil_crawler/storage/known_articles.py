"""What earlier runs stored, loaded once at start so a run asks only for what changed.

Both modes send conditional GETs (``If-None-Match`` / ``If-Modified-Since``) for stored
articles, so an unchanged page costs a 304 and no parsing. Incremental mode also skips
stored URLs found in listings and feeds, re-checks only the newest stored articles of
each language, and stops walking the chain after a streak of stored pages.

We deliberately do not use scrapy-deltafetch: it drops already-seen pages outright, and
the chain walk needs them (a 304 still tells us the stored neighbours to follow).

A stored document extracted by an older :data:`~unsmil_crawler.extract.article.EXTRACTOR_VERSION`
is fetched without validators, so a fix to extraction reaches it on the next run.

The state is one site's: another site's articles in the same database are never "known".

Settings read: ``INCREMENTAL_CONDITIONAL`` (False ignores what earlier runs stored: no
database read at start, every page fetched in full, and an incremental run crawls as a
full one), ``INCREMENTAL_RECHECK`` (newest stored articles per language re-checked each
incremental run). ``INCREMENTAL_KNOWN_STREAK`` (stored pages in a row that end the chain
walk) is read by the spider.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from scrapy.settings import BaseSettings

from unsmil_crawler.extract.article import EXTRACTOR_VERSION
from unsmil_crawler.storage.connection import require_database
from unsmil_crawler.storage.schema import ARTICLES, site_query

logger = logging.getLogger(__name__)

_PROJECTION = {"_id": 0, "url": 1, "aliases": 1, "lang": 1, "etag": 1, "last_modified": 1,
               "prev_url": 1, "next_url": 1, "extractor_version": 1}


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
    recheck: list[str] = field(default_factory=list)

    def add(self, doc: dict) -> None:
        url = doc["url"]
        for alias in (url, *(doc.get("aliases") or [])):
            self.canonical[alias] = url
        current = (doc.get("extractor_version") or 1) >= EXTRACTOR_VERSION
        self.validators[url] = ((doc.get("etag"), doc.get("last_modified")) if current
                                else (None, None))
        self.links[url] = (doc.get("prev_url"), doc.get("next_url"))
        self.langs[url] = doc.get("lang") or ""

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

    def neighbours(self, url: str) -> dict[str, str | None]:
        prev, nxt = self.links.get(self.resolve(url), (None, None))
        return {"prev": prev, "next": nxt}


def load_known_state(
    settings: BaseSettings, site: str, langs: tuple[str, ...], *, mode: str
) -> KnownState:
    """Stream the stored articles of ``site`` in ``langs`` into a :class:`KnownState`."""
    state = KnownState()
    if not settings.getbool("INCREMENTAL_CONDITIONAL"):
        return state
    articles = require_database(settings)[ARTICLES]
    query = {**site_query(site), "lang": {"$in": list(langs)}, "gone_since": None}
    for doc in articles.find(query, _PROJECTION):
        state.add(doc)
    if mode == "incremental":
        window = settings.getint("INCREMENTAL_RECHECK")
        for lang in langs:
            newest = articles.find({**site_query(site), "lang": lang, "gone_since": None},
                                   {"_id": 0, "url": 1})
            state.recheck.extend(d["url"] for d in newest.sort("published", -1).limit(window))
    logger.info("Known state: %d stored articles, %d to re-check", len(state),
                len(state.recheck))
    return state

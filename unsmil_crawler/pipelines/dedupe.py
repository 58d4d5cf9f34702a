"""Deduplication: exact duplicates become aliases, near duplicates get linked.

Runs after validation (rejected items, and articles whose body never rendered, are left
alone) and before storage, which acts on
the fields set here. At open, every stored article's ``content_hash`` and ``minhash``
(persisted by storage from :attr:`ArticleItem.minhash`) of the crawl's site are loaded into a
:class:`~unsmil_crawler.text.near_duplicates.DedupeIndex`, so a run recognises what
earlier runs stored and the outcome does not depend on how the archive was split into runs.
The rules (earliest article wins, whatever arrives first) are in
:mod:`unsmil_crawler.text.near_duplicates`.

Fields set on an ArticleItem:

* ``duplicate_of`` — same text as that stored document: store this URL as its alias;
* ``supersedes`` — same text as that stored document, but this article is earlier: it
  becomes the document and the superseded URL (with its aliases) becomes its alias;
* ``near_duplicate_of`` — the earliest earlier near duplicate;
* ``near_duplicate_relinks`` — {stored URL: new near_duplicate_of} for stored documents
  that this earlier article now precedes;
* ``minhash`` — the signature, as a list of ints, for storage to persist.

Settings read: ``DEDUPE_SHINGLE_SIZE`` (default 5 words), ``DEDUPE_THRESHOLD`` (0.5),
``DEDUPE_NUM_PERM`` (128); how they were chosen is in docs/text.md. Changing the shingle
size or the permutations makes stored signatures incomparable: they are recomputed from
``body_norm`` only when their length differs from ``DEDUPE_NUM_PERM``.
Also ``MONGO_URI`` / ``MONGO_DATABASE`` through
:func:`unsmil_crawler.storage.connection.require_database`.

Stats (under ``dedupe/``): ``duplicates`` (articles of this run with the text of another),
``near_duplicates`` (articles of this run stored with a near_duplicate_of, plus stored
documents first linked to an earlier newcomer), ``superseded``, ``relinked``,
``loaded`` (documents read at open), ``resigned`` (stored signatures recomputed).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from unsmil_crawler.items import RENDER_FAILED, ArticleItem
from unsmil_crawler.storage.connection import require_database
from unsmil_crawler.storage.schema import ARTICLES, site_query
from unsmil_crawler.text.near_duplicates import DedupeIndex, Signer, Verdict, as_signature

logger = logging.getLogger(__name__)

STORED_FIELDS = ("url", "lang", "published", "content_hash", "minhash", "body_norm",
                 "body_status")


def apply_verdict(item: ArticleItem, verdict: Verdict, signature: list[int]) -> None:
    """Copy a verdict onto the item fields storage acts on."""
    if verdict.kind == "duplicate" and not verdict.replaces:
        item.duplicate_of = verdict.of
        return
    item.minhash = signature
    item.near_duplicate_of = verdict.near_duplicate_of
    item.supersedes = verdict.of if verdict.replaces else None
    item.near_duplicate_relinks = {r.url: r.now for r in verdict.relink}


def new_links(verdict: Verdict) -> int:
    """Near-duplicate links this verdict creates (the item's own and stored ones first linked)."""
    own = verdict.near_duplicate_of is not None and verdict.kind == "near_duplicate"
    return int(own) + sum(1 for r in verdict.relink if r.was is None and r.now is not None)


class DedupePipeline:
    """Keeps one DedupeIndex per crawl and marks items against it."""

    def __init__(self, crawler: Crawler, shingle_size: int, threshold: float, num_perm: int):
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.signer = Signer(num_perm=num_perm, shingle_size=shingle_size)
        self.index = DedupeIndex(threshold=threshold, num_perm=num_perm)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        s = crawler.settings
        return cls(
            crawler,
            shingle_size=s.getint("DEDUPE_SHINGLE_SIZE"),
            threshold=s.getfloat("DEDUPE_THRESHOLD"),
            num_perm=s.getint("DEDUPE_NUM_PERM"),
        )

    def open_spider(self) -> None:
        # Blocking on purpose: nothing can be judged before the index holds what earlier
        # runs stored, and the load is one query at start-up.
        # One site's articles only: text two missions both publish is no duplicate.
        db = require_database(self.crawler.settings)
        site = site_query(self.crawler.spider.profile.name)
        self.load(db[ARTICLES].find(site, dict.fromkeys(STORED_FIELDS, 1)))

    def load(self, docs: Iterable[Mapping[str, Any]]) -> None:
        """Index stored article documents (any order gives the same index)."""
        loaded = resigned = 0
        for doc in docs:
            if (not doc.get("url") or not doc.get("content_hash")
                    or doc.get("body_status") == RENDER_FAILED):
                continue
            stored = doc.get("minhash")
            if stored is not None and len(stored) == self.signer.num_perm:
                signature = as_signature(stored)
            else:
                signature = self.signer.sign(doc.get("body_norm") or "")
                resigned += 1
            self.index.add(
                doc["url"],
                doc.get("lang", ""),
                doc.get("published"),
                doc["content_hash"],
                signature,
            )
            loaded += 1
        self.stats.set_value("dedupe/loaded", loaded)
        self.stats.set_value("dedupe/resigned", resigned)
        logger.info("Dedupe index: %d stored documents (%d re-signed)", loaded, resigned)

    def process_item(self, item: Any) -> Any:
        if (not isinstance(item, ArticleItem) or item.reject_reason
                or item.body_status == RENDER_FAILED):
            return item  # a body that never rendered is no text to compare
        signature = self.signer.sign(item.body_norm or "")
        verdict = self.index.add(
            item.url, item.lang, item.published, item.content_hash or "", signature
        )
        apply_verdict(item, verdict, signature.tolist())
        if verdict.kind == "duplicate":
            self.stats.inc_value("dedupe/duplicates")
        if verdict.replaces:
            self.stats.inc_value("dedupe/superseded")
        if links := new_links(verdict):
            self.stats.inc_value("dedupe/near_duplicates", links)
        if verdict.relink:
            self.stats.inc_value("dedupe/relinked", len(verdict.relink))
        return item

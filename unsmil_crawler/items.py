"""The items the spider yields, as dataclasses read and written through itemadapter.

The spider fills the *extracted* fields; the item pipelines fill the derived ones
(display and search text forms, hash, dedupe verdicts) and decide whether an item is
stored or rejected. Field names match the MongoDB contract in docs/schema.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

RENDER_FAILED = "render_failed"


@dataclass
class ArticleItem:
    """One article page in one language, as first seen in a run."""

    # -- extracted by the spider ------------------------------------------------------
    url: str
    """Canonical absolute URL (rel=canonical, else the alias the page was fetched at)."""
    lang: str
    """"ar" or "en"."""
    title: str | None = None
    published: datetime | None = None
    """00:00 UTC of the calendar date shown on the page; None when it did not parse."""
    published_text: str | None = None
    """The date exactly as shown, kept so a reject can say what failed to parse."""
    paragraphs: list[str] = field(default_factory=list)
    """Body paragraphs as extracted (raw text, one entry per <p>-like block)."""
    aliases: list[str] = field(default_factory=list)
    """Other absolute URLs serving this article (/node/<nid>, fetched URL, shortlink)."""
    prev_url: str | None = None
    next_url: str | None = None
    translations: dict[str, str] = field(default_factory=dict)
    """{lang: canonical URL of the same article in that language}."""
    fetched_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    rendered: bool = False
    """True when the body came from a JavaScript-rendering browser."""
    body_status: str | None = None
    """``RENDER_FAILED`` when the page's body needed a browser and never rendered: the
    article is stored without body, and the next run renders it first."""
    sitemap_lastmod: datetime | None = None
    """The change date the sitemap (or a feed's ``updated``) announced for this page."""
    extractor_version: int | None = None
    """:data:`~unsmil_crawler.extract.article.EXTRACTOR_VERSION` of the code that extracted it."""
    source: dict[str, Any] | None = None
    """{warc_file, offset, length, fetched_at} of the WARC response record it was extracted
    from (docs/warc.md); None when WARC writing is off."""

    # -- derived by the pipelines ---------------------------------------------------------
    body: str | None = None
    """Display form: cleaned paragraphs joined by a blank line."""
    body_norm: str | None = None
    title_norm: str | None = None
    content_hash: str | None = None
    near_duplicate_of: str | None = None
    duplicate_of: str | None = None
    """Set when the same text is already stored under another URL: stored as an alias."""
    minhash: list[int] | None = None
    """MinHash signature of body_norm (DedupePipeline); persisted so later runs know the text."""
    supersedes: str | None = None
    """Stored document with the same text that this earlier article replaces: storage deletes
    it and adds its URL and aliases to this article's aliases."""
    near_duplicate_relinks: dict[str, str | None] = field(default_factory=dict)
    """{stored document URL: its new near_duplicate_of}: this article is earlier than them."""
    reject_reason: str | None = None
    """Set by validation; a rejected item goes to the `rejects` collection, nothing else."""


@dataclass
class AliasItem:
    """Another URL of an article already yielded in this run: merged into its `aliases`."""

    url: str
    lang: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class NotModifiedItem:
    """A stored article the server answered 304 for: only its ``last_seen`` moves (and its
    ``sitemap_lastmod``, when the sitemap announced a change the server says is no change)."""

    url: str
    lang: str
    sitemap_lastmod: datetime | None = None


@dataclass
class LastmodItem:
    """A stored article whose stored version already covers the change the sitemap announces
    (its ``Last-Modified`` is as new): its ``sitemap_lastmod`` moves, no request is made."""

    url: str
    lang: str
    sitemap_lastmod: datetime


@dataclass
class GoneItem:
    """A stored article that now answers 404/410: kept, and marked ``gone_since``."""

    url: str
    lang: str
    status: int

"""Items -> plain documents waiting to be written, and the buffer that holds them.

Documents are built when an item arrives (stamped with its run id and the time it was
seen), so a document written late — after an outage, or from a spill file days later —
still records when and by which run it was crawled.

Scraped text only ever becomes a *value* here: dictionary keys are field names of this
module, or languages checked against :data:`~unsmil_crawler.storage.schema.LANGUAGES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from numbers import Integral
from typing import Any

from itemadapter import ItemAdapter

from unsmil_crawler.items import RENDER_FAILED
from unsmil_crawler.storage.schema import BODY_OK, LANGUAGES

CONTENT_FIELDS = ("site", "lang", "title", "title_norm", "body", "body_norm", "content_hash",
                  "rendered", "body_status")
"""Written when an article is first stored or its title/body change (a new revision)."""

META_FIELDS = ("published", "prev_url", "next_url", "etag", "last_modified", "sitemap_lastmod",
               "minhash", "extractor_version", "source")
"""Refreshed on every crawl when the page gives a value (e.g. a newer article adds a next link)."""


def safe_translations(value: Any) -> dict[str, str]:
    """Keep only {allowed language: string URL} pairs, so no scraped text becomes a key.

    >>> safe_translations({"en": "https://x/en/a", "$where": "1", "fr": "https://x/fr/a"})
    {'en': 'https://x/en/a'}
    >>> safe_translations(None)
    {}
    """
    if not isinstance(value, dict):
        return {}
    return {
        lang: url for lang, url in value.items() if lang in LANGUAGES and isinstance(url, str)
    }


def string_list(value: Any, exclude: str | None = None) -> list[str]:
    """Distinct strings in first-seen order, without ``exclude`` (an article is not its alias).

    >>> string_list(["b", "a", "b", 3, "self"], exclude="self")
    ['b', 'a']
    """
    out: list[str] = []
    for v in value or ():
        if isinstance(v, str) and v != exclude and v not in out:
            out.append(v)
    return out


def int_list(value: Any) -> list[int] | None:
    """A MinHash signature as plain ints (numpy ints are not BSON-encodable), else None.

    >>> int_list([1, 2**32 - 1]), int_list(None), int_list(["1"])
    ([1, 4294967295], None, None)
    """
    if not isinstance(value, list | tuple) or not all(
        isinstance(v, Integral) and not isinstance(v, bool) for v in value
    ):
        return None
    return [int(v) for v in value]


def safe_relinks(value: Any, exclude: str) -> dict[str, str | None]:
    """{stored URL: new near_duplicate_of} with string keys and string-or-None values.

    >>> safe_relinks({"https://h/b": "https://h/a", "https://h/a": None, 3: "x"}, "https://h/a")
    {'https://h/b': 'https://h/a'}
    """
    if not isinstance(value, dict):
        return {}
    return {
        k: v for k, v in value.items()
        if isinstance(k, str) and k != exclude and (v is None or isinstance(v, str))
    }


def article_doc(item: Any, run_id: str, seen_at: datetime, *, site: str) -> dict[str, Any]:
    """The pending document of a cleaned, validated ArticleItem.

    Besides the stored fields it carries ``supersedes`` (URLs whose documents it replaces)
    and ``relinks`` (consumed by :meth:`PendingWrites.add_article`).
    """
    a = ItemAdapter(item)
    url = a["url"]
    doc: dict[str, Any] = {"url": url, "site": site, "run_id": run_id, "seen_at": seen_at}
    for name in (*CONTENT_FIELDS, *META_FIELDS):
        if name != "site":
            doc[name] = a.get(name)
    doc["rendered"] = bool(doc["rendered"])
    doc["body_status"] = RENDER_FAILED if doc["body_status"] == RENDER_FAILED else BODY_OK
    doc["minhash"] = int_list(doc["minhash"])
    near = a.get("near_duplicate_of")
    doc["near_duplicate_of"] = near if isinstance(near, str) and near != url else None
    doc["aliases"] = string_list(a.get("aliases"), exclude=url)
    doc["translations"] = safe_translations(a.get("translations"))
    doc["supersedes"] = string_list([a.get("supersedes")], exclude=url)
    doc["relinks"] = safe_relinks(a.get("near_duplicate_relinks"), exclude=url)
    return doc


def reject_doc(item: Any, run_id: str, at: datetime, *, site: str) -> dict[str, Any]:
    """The `rejects` document of an item with a reject_reason: the item kept as extracted."""
    raw = ItemAdapter(item).asdict()
    raw["translations"] = safe_translations(raw.get("translations"))
    raw.pop("minhash", None)  # derived, large, and useless to whoever reads a reject
    return {
        "url": raw.get("url"),
        "site": site,
        "reason": str(raw.pop("reject_reason", None) or "unknown"),
        "run_id": run_id,
        "at": at,
        "item": raw,
    }


def _absorb(doc: dict[str, Any], other: dict[str, Any]) -> None:
    """Fold a pending document ``doc`` replaces (same URL, or one it supersedes) into it."""
    url = doc["url"]
    extra = [other["url"]] if other["url"] != url else []
    doc["aliases"] = string_list(extra + other["aliases"] + doc["aliases"], exclude=url)
    doc["supersedes"] = string_list(
        doc.get("supersedes", []) + other.get("supersedes", []), exclude=url
    )


@dataclass
class PendingWrites:
    """Everything not yet acknowledged by MongoDB, in a form that merges and spills cleanly.

    Invariant: ``relinks`` never holds a URL of ``articles`` (a relink of a buffered
    document is applied to it; a later document for that URL carries a newer verdict).
    """

    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    rejects: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    touches: dict[str, datetime] = field(default_factory=dict)
    """URL (or alias) answered 304 -> when: only ``last_seen`` moves."""
    gone: dict[str, datetime] = field(default_factory=dict)
    """URL answered 404/410 -> when first seen gone."""
    lastmods: dict[str, datetime] = field(default_factory=dict)
    """URL (or alias) of a stored article -> the newest change date the site announced that
    the stored version covers (a 304, or a Last-Modified as new)."""
    relinks: dict[str, str | None] = field(default_factory=dict)
    """Stored URL -> its new ``near_duplicate_of``."""

    def __len__(self) -> int:
        return self.unwritten() + len(self.aliases)

    def unwritten(self) -> int:
        """Work that must reach MongoDB or the spill file (aliases may wait for nothing)."""
        return (len(self.articles) + len(self.rejects) + len(self.touches) + len(self.gone)
                + len(self.relinks) + len(self.lastmods))

    def add_article(self, doc: dict[str, Any]) -> None:
        """Same URL twice before a flush: the later version wins, aliases accumulate.

        A document that supersedes a buffered one absorbs it (its URL and aliases).
        """
        doc = dict(doc)
        relinks = doc.pop("relinks", None) or {}
        doc.setdefault("supersedes", [])
        url = doc["url"]
        self.relinks.pop(url, None)
        old = self.articles.pop(url, None)
        if old is not None:
            _absorb(doc, old)
        for gone_url in list(doc["supersedes"]):
            absorbed = self.articles.pop(gone_url, None)
            if absorbed is not None:
                _absorb(doc, absorbed)
        self.articles[url] = doc
        for stored, near in relinks.items():
            self.relink(stored, near)

    def relink(self, url: str, near_duplicate_of: str | None) -> None:
        buffered = self.articles.get(url)
        if buffered is not None:
            buffered["near_duplicate_of"] = near_duplicate_of
        else:
            self.relinks[url] = near_duplicate_of

    def add_aliases(self, url: str, aliases: list[str]) -> None:
        merged = string_list(self.aliases.get(url, []) + list(aliases), exclude=url)
        if merged:
            self.aliases[url] = merged

    def add_reject(self, doc: dict[str, Any]) -> None:
        self.rejects[(doc["url"], doc["reason"])] = doc

    def touch(self, url: str, at: datetime) -> None:
        self.touches[url] = max(at, self.touches.get(url, at))

    def mark_gone(self, url: str, at: datetime) -> None:
        self.gone[url] = min(at, self.gone.get(url, at))

    def announce(self, url: str, lastmod: datetime) -> None:
        self.lastmods[url] = max(lastmod, self.lastmods.get(url, lastmod))

    def take(self, max_articles: int) -> PendingWrites:
        """Remove and return up to ``max_articles`` articles, plus everything else."""
        urls = list(self.articles)[:max_articles]
        batch = PendingWrites(
            articles={u: self.articles.pop(u) for u in urls}, aliases=self.aliases,
            rejects=self.rejects, touches=self.touches, gone=self.gone, relinks=self.relinks,
            lastmods=self.lastmods,
        )
        self.aliases, self.rejects, self.touches, self.gone, self.relinks = {}, {}, {}, {}, {}
        self.lastmods = {}
        return batch

    def merge(self, other: PendingWrites) -> None:
        """Put back what a failed or partial write left over; what is buffered is newer."""
        superseded_by = {s: d["url"] for d in self.articles.values() for s in d["supersedes"]}
        for url, doc in other.articles.items():
            owner = self.articles.get(superseded_by.get(url) or url)
            if owner is not None:
                _absorb(owner, doc)
                continue
            self.articles[url] = doc
            if url in self.relinks:
                doc["near_duplicate_of"] = self.relinks.pop(url)
        for url, aliases in other.aliases.items():
            self.add_aliases(url, aliases)
        for key, doc in other.rejects.items():
            self.rejects.setdefault(key, doc)
        for url, at in other.touches.items():
            self.touch(url, at)
        for url, at in other.gone.items():
            self.mark_gone(url, at)
        for url, lastmod in other.lastmods.items():
            self.announce(url, lastmod)
        for url, near in other.relinks.items():
            if url not in self.relinks and url not in self.articles:
                self.relinks[url] = near

    def records(self) -> list[dict[str, Any]]:
        """Spill records: {"kind": ..., "doc": ...}."""
        return (
            [{"kind": "article", "doc": d} for d in self.articles.values()]
            + [{"kind": "alias", "doc": {"url": u, "aliases": a}} for u, a in self.aliases.items()]
            + [{"kind": "reject", "doc": d} for d in self.rejects.values()]
            + [{"kind": "touch", "doc": {"url": u, "at": t}} for u, t in self.touches.items()]
            + [{"kind": "gone", "doc": {"url": u, "at": t}} for u, t in self.gone.items()]
            + [{"kind": "lastmod", "doc": {"url": u, "sitemap_lastmod": t}}
               for u, t in self.lastmods.items()]
            + [{"kind": "relink", "doc": {"url": u, "near_duplicate_of": n}}
               for u, n in self.relinks.items()]
        )

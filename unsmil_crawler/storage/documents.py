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
from typing import Any

from itemadapter import ItemAdapter

from unsmil_crawler.storage.schema import LANGUAGES

CONTENT_FIELDS = (
    "lang", "title", "title_norm", "body", "body_norm", "content_hash",
    "near_duplicate_of", "rendered",
)
"""Written when an article is first stored or its title/body change (a new revision)."""

META_FIELDS = ("published", "prev_url", "next_url", "etag", "last_modified")
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


def article_doc(item: Any, run_id: str, seen_at: datetime) -> dict[str, Any]:
    """The pending document of a cleaned, validated ArticleItem."""
    a = ItemAdapter(item)
    url = a["url"]
    doc: dict[str, Any] = {"url": url, "run_id": run_id, "seen_at": seen_at}
    for name in (*CONTENT_FIELDS, *META_FIELDS):
        doc[name] = a.get(name)
    doc["rendered"] = bool(doc["rendered"])
    doc["aliases"] = string_list(a.get("aliases"), exclude=url)
    doc["translations"] = safe_translations(a.get("translations"))
    return doc


def reject_doc(item: Any, run_id: str, at: datetime) -> dict[str, Any]:
    """The `rejects` document of an item with a reject_reason: the item kept as extracted."""
    raw = ItemAdapter(item).asdict()
    raw["translations"] = safe_translations(raw.get("translations"))
    return {
        "url": raw.get("url"),
        "reason": str(raw.pop("reject_reason", None) or "unknown"),
        "run_id": run_id,
        "at": at,
        "item": raw,
    }


@dataclass
class PendingWrites:
    """Everything not yet acknowledged by MongoDB, in a form that merges and spills cleanly."""

    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    rejects: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.articles) + len(self.aliases) + len(self.rejects)

    def add_article(self, doc: dict[str, Any]) -> None:
        """Same URL twice before a flush: the later version wins, aliases accumulate."""
        old = self.articles.get(doc["url"])
        if old is not None:
            doc = {**doc, "aliases": string_list(old["aliases"] + doc["aliases"], doc["url"])}
        self.articles[doc["url"]] = doc

    def add_aliases(self, url: str, aliases: list[str]) -> None:
        merged = string_list(self.aliases.get(url, []) + list(aliases), exclude=url)
        if merged:
            self.aliases[url] = merged

    def add_reject(self, doc: dict[str, Any]) -> None:
        self.rejects[(doc["url"], doc["reason"])] = doc

    def take(self, max_articles: int) -> PendingWrites:
        """Remove and return up to ``max_articles`` articles, plus every alias and reject."""
        urls = list(self.articles)[:max_articles]
        batch = PendingWrites(
            articles={u: self.articles.pop(u) for u in urls},
            aliases=self.aliases,
            rejects=self.rejects,
        )
        self.aliases, self.rejects = {}, {}
        return batch

    def merge(self, other: PendingWrites) -> None:
        """Put back what a failed or partial write left over; newer buffered docs win."""
        for url, doc in other.articles.items():
            newer = self.articles.get(url)
            if newer is None:
                self.articles[url] = doc
            else:
                newer["aliases"] = string_list(doc["aliases"] + newer["aliases"], url)
        for url, aliases in other.aliases.items():
            self.add_aliases(url, aliases)
        for key, doc in other.rejects.items():
            self.rejects.setdefault(key, doc)

    def records(self) -> list[dict[str, Any]]:
        """Spill records: {"kind": ..., "doc": ...}."""
        return (
            [{"kind": "article", "doc": d} for d in self.articles.values()]
            + [{"kind": "alias", "doc": {"url": u, "aliases": a}} for u, a in self.aliases.items()]
            + [{"kind": "reject", "doc": d} for d in self.rejects.values()]
        )

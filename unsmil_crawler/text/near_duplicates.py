"""Exact and near-duplicate detection over the search form of article bodies.

Pure logic, no Scrapy or MongoDB (unsmil_crawler/pipelines/dedupe.py wires it in).

Rules, all within one language:

* same ``content_hash`` = **duplicate**: one document, the other URL an alias;
* MinHash signatures (word shingles of the search form) that an LSH index returns as
  candidates and whose estimated Jaccard is >= the threshold = **near duplicate**.

Which article is "the original" is decided by a total order on the articles, never by
arrival: the earliest ``published`` date, then the smaller URL (unknown dates sort
last). So the stored result is a function of the *set* of articles, whatever order
they arrive in and however the archive is split across runs:

* a duplicate's document is the earliest article with that text. When a later-arriving
  article is earlier than the stored document, the verdict says ``replaces=True``: it
  becomes the document and the stored one becomes its alias;
* an article's ``near_duplicate_of`` is its earliest near-duplicate that is earlier
  than itself (None when it is the earliest). When a newcomer is earlier than stored
  articles it matches, the verdict lists them in ``relink`` with their new value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, NamedTuple

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

SCHEME = "affine32"
"""datasketch permutation scheme: stored signatures are only comparable within one scheme."""
SEED = 1

Signature = np.ndarray
SortKey = tuple[float, str]


def shingles(text_norm: str, size: int) -> set[str]:
    """Word `size`-grams of a search-form text; a text shorter than that is one shingle.

    >>> sorted(shingles("a b c d", 3))
    ['a b c', 'b c d']
    >>> shingles("a b", 3), shingles("", 3)
    ({'a b'}, set())
    """
    words = text_norm.split()
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: Signature, b: Signature) -> float:
    """Jaccard similarity estimated from two signatures (share of equal slots).

    >>> jaccard(np.array([1, 2, 3, 4]), np.array([1, 2, 0, 0]))
    0.5
    """
    return float(np.count_nonzero(a == b)) / len(a)


class Signer:
    """Computes MinHash signatures with one shared set of permutations.

    datasketch draws the permutations from the seed in every MinHash constructor
    (num_perm random pairs); drawing them once makes signing ~10x cheaper.
    """

    def __init__(self, num_perm: int, shingle_size: int) -> None:
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self._permutations = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations

    def sign(self, text_norm: str) -> Signature:
        """Signature of the shingle set of a search-form text."""
        m = MinHash(
            num_perm=self.num_perm, seed=SEED, permutations=self._permutations, scheme=SCHEME
        )
        m.update_batch([s.encode("utf-8") for s in shingles(text_norm, self.shingle_size)])
        return m.hashvalues


def as_signature(values: Iterable[int] | Signature) -> Signature:
    """A signature from stored ints (MongoDB gives int64 back for our uint32 slots).

    >>> as_signature([1, 2**32 - 1]).dtype
    dtype('uint32')
    """
    return np.asarray(values, dtype=np.uint32)


def sort_key(published: datetime | None, url: str) -> SortKey:
    """Earliest date first, then smaller URL; an unknown date sorts after every known one.

    >>> from datetime import UTC
    >>> sort_key(None, "u") > sort_key(datetime(2030, 1, 1, tzinfo=UTC), "z")
    True
    """
    return (published.timestamp() if published is not None else math.inf, url)


class Relink(NamedTuple):
    """A stored document whose near_duplicate_of changes from `was` to `now`."""

    url: str
    was: str | None
    now: str | None


@dataclass(frozen=True)
class Verdict:
    """What to do with an article, given everything indexed so far.

    kind "new": store it. "near_duplicate": store it with near_duplicate_of = `of`.
    "duplicate": same text as the document `of`; store this URL as an alias of `of`,
    unless `replaces`: then this article is the earlier one, becomes the document
    (with `near_duplicate_of`) and `of` becomes its alias.
    `relink`: stored documents whose near_duplicate_of changes because of this article.
    """

    kind: Literal["new", "duplicate", "near_duplicate"]
    of: str | None = None
    replaces: bool = False
    near_duplicate_of: str | None = None
    relink: tuple[Relink, ...] = ()


@dataclass
class _Entry:
    url: str
    lang: str
    key: SortKey
    content_hash: str
    signature: Signature
    near_of: str | None = None


@dataclass
class DedupeIndex:
    """In-memory index of the stored documents: one MinHashLSH per language."""

    threshold: float
    num_perm: int
    _docs: dict[str, _Entry] = field(default_factory=dict)
    _by_hash: dict[tuple[str, str], str] = field(default_factory=dict)
    _lsh: dict[str, MinHashLSH] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self._docs)

    def check(
        self,
        url: str,
        lang: str,
        published: datetime | None,
        content_hash: str,
        signature: Signature,
    ) -> Verdict:
        """The verdict for this article; changes nothing.

        A URL already indexed with the same text gets "new" with its current link (a
        re-crawl). With changed text its old version is ignored here; `add` also
        re-links the articles that pointed to the old version.
        """
        key = sort_key(published, url)
        known = self._docs.get(url)
        if known is not None and (known.lang, known.content_hash) == (lang, content_hash):
            return Verdict(
                "near_duplicate" if known.near_of else "new", known.near_of, False, known.near_of
            )
        same_text = self._by_hash.get((lang, content_hash))
        if same_text is not None and same_text != url:
            if key > self._docs[same_text].key:
                return Verdict("duplicate", of=same_text)
            near_of, relink = self._near(url, lang, key, signature, {url, same_text})
            return Verdict("duplicate", same_text, True, near_of, relink)
        near_of, relink = self._near(url, lang, key, signature, {url})
        return Verdict("near_duplicate" if near_of else "new", near_of, False, near_of, relink)

    def add(
        self,
        url: str,
        lang: str,
        published: datetime | None,
        content_hash: str,
        signature: Signature,
    ) -> Verdict:
        """Record the article as `check` decides and return that verdict."""
        signature = as_signature(signature)
        known = self._docs.get(url)
        unchanged = known is not None and (known.lang, known.content_hash) == (lang, content_hash)
        extra = self._remove(url) if known is not None and not unchanged else []
        verdict = self.check(url, lang, published, content_hash, signature)
        if unchanged:
            return verdict
        if verdict.kind != "duplicate" or verdict.replaces:
            if verdict.of is not None and verdict.replaces:
                self._drop(verdict.of)
            self._insert(
                _Entry(
                    url,
                    lang,
                    sort_key(published, url),
                    content_hash,
                    signature,
                    verdict.near_duplicate_of,
                )
            )
            for change in verdict.relink:
                self._docs[change.url].near_of = change.now
        merged = {r.url: r for r in extra}
        for r in verdict.relink:
            merged[r.url] = Relink(r.url, merged[r.url].was, r.now) if r.url in merged else r
        relink = tuple(r for r in merged.values() if r.url != url and r.was != r.now)
        return Verdict(
            verdict.kind, verdict.of, verdict.replaces, verdict.near_duplicate_of, relink
        )

    def _lsh_for(self, lang: str) -> MinHashLSH:
        lsh = self._lsh.get(lang)
        if lsh is None:
            lsh = self._lsh[lang] = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        return lsh

    def _matches(self, lang: str, signature: Signature, exclude: set[str]) -> list[str]:
        """Documents whose signature is at least `threshold` similar (LSH, then verified)."""
        if _is_empty(signature):
            return []
        candidates: Iterable[str] = self._lsh_for(lang).query(_lean(signature))
        return [
            c
            for c in candidates
            if c not in exclude and jaccard(self._docs[c].signature, signature) >= self.threshold
        ]

    def _near(
        self, url: str, lang: str, key: SortKey, signature: Signature, exclude: set[str]
    ) -> tuple[str | None, tuple[Relink, ...]]:
        """(earliest earlier match, stored matches that must now point to `url`)."""
        matches = [self._docs[m] for m in self._matches(lang, signature, exclude)]
        earlier = [m for m in matches if m.key < key]
        near_of = min(earlier, key=lambda m: m.key).url if earlier else None
        relink = tuple(
            Relink(m.url, m.near_of, url)
            for m in sorted(matches, key=lambda m: m.key)
            if key < m.key
            and m.near_of != url
            and (m.near_of is None or m.near_of in exclude or key < self._docs[m.near_of].key)
        )
        return near_of, relink

    def _insert(self, entry: _Entry) -> None:
        self._docs[entry.url] = entry
        self._by_hash[(entry.lang, entry.content_hash)] = entry.url
        if not _is_empty(entry.signature):
            self._lsh_for(entry.lang).insert(entry.url, _lean(entry.signature))

    def _drop(self, url: str) -> _Entry:
        entry = self._docs.pop(url)
        if self._by_hash.get((entry.lang, entry.content_hash)) == url:
            del self._by_hash[(entry.lang, entry.content_hash)]
        lsh = self._lsh_for(entry.lang)
        if url in lsh:
            lsh.remove(url)
        return entry

    def _remove(self, url: str) -> list[Relink]:
        """Forget a document; re-point the documents that were near duplicates of it."""
        self._drop(url)
        relink: list[Relink] = []
        for entry in self._docs.values():
            if entry.near_of == url:
                earlier = [
                    self._docs[m]
                    for m in self._matches(entry.lang, entry.signature, {entry.url})
                    if self._docs[m].key < entry.key
                ]
                entry.near_of = min(earlier, key=lambda m: m.key).url if earlier else None
                relink.append(Relink(entry.url, url, entry.near_of))
        return relink


def _is_empty(signature: Signature) -> bool:
    """The signature of an empty shingle set: every slot still at its initial maximum."""
    return bool(np.all(signature == np.iinfo(signature.dtype).max))


def _lean(signature: Signature) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=signature, scheme=SCHEME)

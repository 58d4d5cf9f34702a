"""Dedupe: duplicates merged, near duplicates linked, same answer in any order or split."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.components import component_crawler
from unsmil_crawler.addon import defaults
from unsmil_crawler.items import ArticleItem
from unsmil_crawler.pipelines.clean import CleanTextPipeline
from unsmil_crawler.pipelines.dedupe import (
    DedupePipeline,
)
from unsmil_crawler.text.clean import content_hash, join_paragraphs, search_form
from unsmil_crawler.text.near_duplicates import DedupeIndex, Signer, Verdict, jaccard

_DEFAULTS = defaults()
DEFAULT_NUM_PERM, DEFAULT_SHINGLE_SIZE, DEFAULT_THRESHOLD = (
    _DEFAULTS[f"DEDUPE_{name}"] for name in ("NUM_PERM", "SHINGLE_SIZE", "THRESHOLD"))
SIGNER = Signer(DEFAULT_NUM_PERM, DEFAULT_SHINGLE_SIZE)
BOILERPLATE = "طرابلس - ترحب بعثة الأمم المتحدة للدعم في ليبيا بالخطوة التي اتخذها المجلس الرئاسي"
VOCAB = [f"كلمة{i}" for i in range(400)]


def article_text(seed: int, words: int = 120) -> str:
    """A distinct article that opens with the shared boilerplate."""
    rng = random.Random(seed)
    return BOILERPLATE + " " + " ".join(rng.choice(VOCAB) for _ in range(words))


def reissue(text: str, seed: int) -> str:
    """The same text with one sentence (12 words) replaced."""
    words = text.split()
    rng = random.Random(seed)
    at = len(words) // 2
    return " ".join(words[:at] + [rng.choice(VOCAB) + "x" for _ in range(12)] + words[at + 12 :])


@dataclass(frozen=True)
class Art:
    url: str
    day: int
    text: str
    lang: str = "ar"

    @property
    def published(self) -> datetime:
        return datetime(2020, 1, self.day, tzinfo=UTC)


def corpus() -> list[Art]:
    base, other = article_text(1), article_text(2)
    return [
        Art("https://h/ar/a", 3, base),
        Art("https://h/ar/a-copy", 9, base),  # identical republish, later
        Art("https://h/ar/a-reissue", 5, reissue(base, 1)),  # near duplicate of a
        Art("https://h/ar/a-reissue-2", 7, reissue(reissue(base, 1), 2)),
        Art("https://h/ar/b", 4, other),
        Art("https://h/ar/b-copy", 4, other),  # same day: the smaller URL wins
        Art("https://h/en/a", 3, base, lang="en"),  # same text, other language: not merged
        *(Art(f"https://h/ar/x{i}", 10 + i, article_text(100 + i)) for i in range(6)),
    ]


@dataclass
class Store:
    """What storage must do with verdicts (the contract the storage pipeline implements)."""

    docs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def apply(self, art: Art, v: Verdict) -> None:
        if v.kind == "duplicate" and not v.replaces:
            self.docs[v.of]["aliases"].add(art.url)
            return
        aliases: set[str] = set()
        if v.replaces:
            old = self.docs.pop(v.of)
            aliases = old["aliases"] | {v.of}
        self.docs[art.url] = {
            "aliases": aliases,
            "near": v.near_duplicate_of,
            "art": art,
        }
        for r in v.relink:
            assert self.docs[r.url]["near"] == r.was
            self.docs[r.url]["near"] = r.now

    def summary(self) -> dict[str, tuple[frozenset[str], str | None]]:
        return {u: (frozenset(d["aliases"]), d["near"]) for u, d in self.docs.items()}


def index() -> DedupeIndex:
    return DedupeIndex(threshold=DEFAULT_THRESHOLD, num_perm=DEFAULT_NUM_PERM)


def feed(idx: DedupeIndex, store: Store, arts: list[Art]) -> None:
    for a in arts:
        norm = search_form(a.text)
        store.apply(a, idx.add(a.url, a.lang, a.published, content_hash(norm), SIGNER.sign(norm)))


def reload(store: Store) -> DedupeIndex:
    """A new run's index, built only from what was stored."""
    idx = index()
    for d in store.docs.values():
        a, norm = d["art"], search_form(d["art"].text)
        idx.add(a.url, a.lang, a.published, content_hash(norm), SIGNER.sign(norm))
    return idx


def crawl_in_order(arts: list[Art]) -> dict[str, tuple[frozenset[str], str | None]]:
    store = Store()
    feed(index(), store, arts)
    return store.summary()


EXPECTED = {
    "https://h/ar/a": (frozenset({"https://h/ar/a-copy"}), None),
    "https://h/ar/a-reissue": (frozenset(), "https://h/ar/a"),
    "https://h/ar/a-reissue-2": (frozenset(), "https://h/ar/a"),
    "https://h/ar/b": (frozenset({"https://h/ar/b-copy"}), None),
    "https://h/en/a": (frozenset(), None),
    **{f"https://h/ar/x{i}": (frozenset(), None) for i in range(6)},
}


def test_boilerplate_openings_are_not_near_duplicates() -> None:
    a, b = (search_form(article_text(s)) for s in (1, 2))
    assert jaccard(SIGNER.sign(a), SIGNER.sign(b)) < 0.2
    assert jaccard(SIGNER.sign(a), SIGNER.sign(search_form(reissue(article_text(1), 1)))) > 0.6


def test_newest_first_crawl() -> None:
    arts = sorted(corpus(), key=lambda a: a.day, reverse=True)
    assert crawl_in_order(arts) == EXPECTED


@settings(max_examples=25, deadline=None)
@given(st.permutations(corpus()))
def test_any_arrival_order_gives_the_same_documents(arts: list[Art]) -> None:
    assert crawl_in_order(arts) == EXPECTED


@settings(max_examples=15, deadline=None)
@given(st.permutations(corpus()), st.integers(min_value=0, max_value=len(corpus())))
def test_two_runs_give_the_same_documents_as_one(arts: list[Art], split: int) -> None:
    store = Store()
    feed(index(), store, arts[:split])
    feed(reload(store), store, arts[split:])
    assert store.summary() == EXPECTED


def test_verdicts_say_who_is_earlier() -> None:
    idx = index()
    base = search_form(article_text(1))
    same_text = (content_hash(base), SIGNER.sign(base))
    late = idx.add("https://h/late", "ar", datetime(2021, 1, 1, tzinfo=UTC), *same_text)
    assert late == Verdict("new")
    early = idx.add("https://h/early", "ar", datetime(2020, 1, 1, tzinfo=UTC), *same_text)
    assert (early.kind, early.of, early.replaces) == ("duplicate", "https://h/late", True)
    again = idx.check("https://h/late", "ar", datetime(2021, 1, 1, tzinfo=UTC), *same_text)
    assert (again.kind, again.of, again.replaces) == ("duplicate", "https://h/early", False)


def test_recrawl_of_a_stored_article_is_not_its_own_duplicate() -> None:
    idx = index()
    norm = search_form(article_text(3))
    args = ("https://h/a", "ar", None, content_hash(norm), SIGNER.sign(norm))
    assert idx.add(*args) == idx.add(*args) == Verdict("new")
    assert len(idx) == 1


def test_edited_article_releases_its_near_duplicates() -> None:
    idx = index()
    base = article_text(4)
    for url, day, text in (("https://h/a", 1, base), ("https://h/b", 2, reissue(base, 1))):
        norm = search_form(text)
        idx.add(
            url, "ar", datetime(2020, 1, day, tzinfo=UTC), content_hash(norm), SIGNER.sign(norm)
        )
    edited = search_form(article_text(5))
    v = idx.add(
        "https://h/a",
        "ar",
        datetime(2020, 1, 1, tzinfo=UTC),
        content_hash(edited),
        SIGNER.sign(edited),
    )
    assert [(r.url, r.was, r.now) for r in v.relink] == [("https://h/b", "https://h/a", None)]


# -- the pipelines on the offline site -------------------------------------------------


@dataclass
class DedupedItem(ArticleItem):
    """ArticleItem with the fields DedupePipeline sets (until they are added to items.py)."""

    minhash: list[int] | None = None
    supersedes: str | None = None
    near_duplicate_relinks: dict[str, str | None] = field(default_factory=dict)


@pytest.fixture(scope="module")
def site() -> Any:
    return pytest.importorskip("unsmil_testsite").build_site()


def site_items(site: Any) -> list[DedupedItem]:
    """Fresh items (the pipelines fill them in place), newest first like the crawl."""
    return [
        DedupedItem(
            url=e.path,
            lang=e.lang,
            title=e.title,
            paragraphs=list(e.paragraphs),
            published=datetime.combine(e.published, datetime.min.time(), UTC),
        )
        for e in site.expected()
    ]


def run_pipelines(
    items: list[DedupedItem], stored: list[dict[str, Any]] | None = None
) -> tuple[list[DedupedItem], Any]:
    crawler = component_crawler()
    clean, dedupe = CleanTextPipeline.from_crawler(crawler), DedupePipeline.from_crawler(crawler)
    dedupe.load(stored or [])
    out = [dedupe.process_item(clean.process_item(i)) for i in items]
    return out, crawler.stats


def test_offline_site_dedupe_matches_expected(site: Any) -> None:
    expected = {e.path: e for e in site.expected()}
    items, stats = run_pipelines(site_items(site))
    links = {}
    for item in items:
        links[item.url] = (item.duplicate_of, item.near_duplicate_of)
        for url, now in item.near_duplicate_relinks.items():
            links[url] = (links[url][0], now)
    want = {p: (e.duplicate_of, e.near_duplicate_of) for p, e in expected.items()}
    # The offline site's original is older than its copy, so a newest-first crawl meets the
    # copy first: it is stored, then superseded by the original (stored as its alias).
    for item in items:
        if item.supersedes:
            links[item.supersedes] = (item.url, None)
    assert links == want
    assert stats.get_value("dedupe/duplicates") == sum(
        1 for e in expected.values() if e.duplicate_of
    )
    assert stats.get_value("dedupe/near_duplicates") == sum(
        1 for e in expected.values() if e.near_duplicate_of
    )


def test_offline_site_bodies_are_the_expected_clean_text(site: Any) -> None:
    expected = {e.path: e for e in site.expected()}
    for item in run_pipelines(site_items(site))[0]:
        assert item.body == join_paragraphs(expected[item.url].paragraphs)
        assert item.published.date() == expected[item.url].published


def test_stored_signatures_are_reused_by_the_next_run(site: Any) -> None:
    first, _ = run_pipelines(site_items(site)[:1])
    stored = [
        {
            "url": i.url,
            "lang": i.lang,
            "published": i.published,
            "content_hash": i.content_hash,
            "minhash": i.minhash,
        }
        for i in first
    ]
    again = DedupedItem(
        url="https://h/other",
        lang=first[0].lang,
        title="t",
        paragraphs=list(site.expected()[0].paragraphs),
        published=datetime.combine(date(2030, 1, 1), datetime.min.time(), UTC),
    )
    items, stats = run_pipelines([again], stored)
    assert items[0].duplicate_of == first[0].url
    assert stats.get_value("dedupe/loaded") == 1 and stats.get_value("dedupe/resigned") == 0


def test_open_spider_loads_what_earlier_runs_stored(mongo_db: Any, mongo_uri: str) -> None:
    norm = search_form(article_text(6))
    mongo_db["articles"].insert_one(
        {
            "url": "https://h/ar/stored",
            "lang": "ar",
            "content_hash": content_hash(norm),
            "published": datetime(2020, 1, 1, tzinfo=UTC),
            "body_norm": norm,
            "minhash": SIGNER.sign(norm).tolist(),
        }
    )
    crawler = component_crawler(MONGO_URI=mongo_uri, MONGO_DATABASE=mongo_db.name)
    pipeline = DedupePipeline.from_crawler(crawler)
    pipeline.open_spider()
    item = DedupedItem(
        url="https://h/ar/later",
        lang="ar",
        title="t",
        paragraphs=[reissue(article_text(6), 3)],
        published=datetime(2021, 1, 1, tzinfo=UTC),
    )
    pipeline.process_item(CleanTextPipeline.from_crawler(crawler).process_item(item))
    assert item.near_duplicate_of == "https://h/ar/stored"
    assert crawler.stats.get_value("dedupe/loaded") == 1

"""Per-article cost of cleaning, date parsing and dedupe on the offline site's texts.

Usage, from the repository root: ``.venv/bin/python -m benchmarks.bench_text [--repeat N]``

Prints µs/article (best of N passes over every article of the offline site, both
languages). The dateparser line is the reference the month table in
unsmil_crawler/text/dates.py was chosen against.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime

from unsmil_crawler.items import ArticleItem
from unsmil_crawler.pipelines.clean import clean_article
from unsmil_crawler.pipelines.dedupe import (
    DEFAULT_NUM_PERM,
    DEFAULT_SHINGLE_SIZE,
    DEFAULT_THRESHOLD,
)
from unsmil_crawler.text.dates import parse_published
from unsmil_crawler.text.near_duplicates import DedupeIndex, Signer
from unsmil_testsite import build_site


def best_us_per_item(run: Callable[[], int], repeat: int) -> float:
    """Best wall time of `repeat` runs divided by the number of items one run handles."""
    best = float("inf")
    count = 1
    for _ in range(repeat):
        start = time.perf_counter()
        count = run()
        best = min(best, time.perf_counter() - start)
    return best / max(count, 1) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-dateparser", action="store_true")
    args = parser.parse_args()

    expected = build_site().expected()
    raw = [(e.path, e.lang, e.title, list(e.paragraphs), e.date_text) for e in expected]
    items: list[ArticleItem] = []

    def clean() -> int:
        items.clear()
        for url, lang, title, paragraphs, _ in raw:
            item = ArticleItem(url=url, lang=lang, title=title, paragraphs=list(paragraphs))
            clean_article(item)
            items.append(item)
        return len(raw)

    def dates() -> int:
        for _, lang, _, _, text in raw:
            parse_published(text, lang)
        return len(raw)

    def dedupe() -> int:
        signer = Signer(DEFAULT_NUM_PERM, DEFAULT_SHINGLE_SIZE)
        index = DedupeIndex(DEFAULT_THRESHOLD, DEFAULT_NUM_PERM)
        day = datetime(2020, 1, 1, tzinfo=UTC)
        for item in items:
            sig = signer.sign(item.body_norm or "")
            index.add(item.url, item.lang, day, item.content_hash or "", sig)
        return len(items)

    rows = [
        ("clean (display + search + hash)", best_us_per_item(clean, args.repeat)),
        ("dates (month table)", best_us_per_item(dates, args.repeat)),
        ("dedupe (MinHash sign + LSH add)", best_us_per_item(dedupe, args.repeat)),
    ]
    if not args.no_dateparser:
        import dateparser

        def reference() -> int:
            for _, lang, _, _, text in raw:
                dateparser.parse(text, languages=[lang])
            return len(raw)

        rows.append(("dates (dateparser, reference)", best_us_per_item(reference, 1)))
    words = sum(len((i.body_norm or "").split()) for i in items) / max(len(items), 1)
    print(
        f"{len(raw)} articles, {words:.0f} words/article on average "
        f"(shingle={DEFAULT_SHINGLE_SIZE}, num_perm={DEFAULT_NUM_PERM})"
    )
    for name, us in rows:
        print(f"{name:<34} {us:>9.1f} µs/article")


if __name__ == "__main__":
    main()

"""Which markup each article page gets: generation, pager variant, labels, blocks around it.

Real archives show the generation of the theme that was live when a page was last saved, so
the mix follows the era; every run of six articles (in creation order) still holds all three
generations, so every crawl - a full one, an incremental one at the newest end, a chain walk
from the middle - meets all of them. Draws come from their own RNGs, apart from the text's.
"""

from __future__ import annotations

import random

from .model import TEMPLATES, Article
from .pagers import LABEL_SETS, VARIANTS

BLOCK_QUIRKS = frozenset({"views_mini_pager", "slideshow_controls", "latest_news"})
"""Page quirks naming the views blocks with pager-looking links an article page carries."""
_ERA_WEIGHTS = ((2014, (6, 3, 1)), (2019, (3, 5, 2)), (9999, (1, 3, 6)))


class TemplateDeck:
    """Deals generations in shuffled runs of six: one of each plus three drawn by era."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}/templates")
        self.hand: list[str] = []

    def deal(self, year: int) -> str:
        if not self.hand:
            weights = next(w for last, w in _ERA_WEIGHTS if year <= last)
            self.hand = [*TEMPLATES, *self.rng.choices(TEMPLATES, weights, k=3)]
            self.rng.shuffle(self.hand)
        return self.hand.pop()


def dress(a: Article, seed: int) -> None:
    """Draw ``a``'s pager variant, label set and the views blocks around it."""
    rng = random.Random(f"{seed}/markup/{a.nid}")
    a.pager = rng.choice(VARIANTS[a.template])
    a.labels = rng.choice(LABEL_SETS[a.lang])
    if rng.random() < 0.35:
        a.quirks.add("views_mini_pager")
    latest = rng.random()
    if latest < 0.3:
        a.quirks.add("slideshow_controls")
    elif latest < 0.6:
        a.quirks.add("latest_news")

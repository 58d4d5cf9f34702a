"""The second offline site: an English-only UN mission news site on another Drupal theme.

A fictional-text copy of a site such as UNMISS (unmiss.unmissions.org): Drupal 9 with a
Bootstrap (Barrio) sub-theme, stories at ``/news/<slug>``, photo stories at
``/photo-stories/<slug>``, statements at ``/statements/<yyyy>/<mm>/<slug>``, a Views listing at
``/latest-news``, a Views feed at ``/latest-news/feed`` and a single sitemap. It shares nothing
with the UNSMIL site but the platform: its own texts, markup, URL shapes and nids.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from ..model import STATES, ExpectedArticle, slugify
from . import corpus

if TYPE_CHECKING:
    from .routes import MissionRouter

FIRST_DAY = date(2016, 1, 4)
LAST_DAY = date(2026, 10, 28)
UPDATE_DAY = date(2026, 11, 18)
PER_PAGE = 12
KINDS = {"story": "/news/", "photo_story": "/photo-stories/", "statement": "/statements/"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass
class Story:
    """One news node."""

    nid: int
    kind: str
    alias: str
    title: str
    published: date
    place: str
    paragraphs: list[str]
    caption: str
    hour: int
    quirks: set[str] = field(default_factory=set)
    node_pager: bool = False
    lang: str = "en"

    @property
    def node_path(self) -> str:
        return f"/node/{self.nid}"

    @property
    def date_text(self) -> str:
        """As the theme prints it: "Sunday, March 12, 2023"."""
        d = self.published
        return f"{WEEKDAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}, {d.year}"


class _Slots(dict):
    """Fresh value per lookup; ``place`` stays the story's own, ``*_cap`` capitalises."""

    def __init__(self, rng: random.Random, place: str) -> None:
        super().__init__(place=place)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        base = key.removesuffix("_cap").rstrip("0123456789")
        if key.removesuffix("_cap") in self:
            value = self[key.removesuffix("_cap")]
        elif base == "num":
            value = str(self.rng.randint(3, 40))
        elif base == "days":
            value = str(self.rng.randint(2, 6))
        elif base == "big":
            value = f"{self.rng.randint(2, 90) * 100:,}"
        elif base == "place":
            value = self.rng.choice([p for p in corpus.PLACE if p != self["place"]])
        else:
            value = self.rng.choice(getattr(corpus, base.upper()))
        return value[:1].upper() + value[1:] if key.endswith("_cap") else value


def _fill(template: str, slots: _Slots) -> str:
    text = string.Formatter().vformat(template, (), slots)
    return text[:1].upper() + text[1:]


def _story(rng: random.Random, nid: int, published: date, aliases: set[str]) -> Story:
    trng = random.Random(f"mission/{nid}")
    topic = trng.choice(sorted(corpus.TITLES))
    slots = _Slots(trng, trng.choice(corpus.PLACE))
    title = _fill(trng.choice(corpus.TITLES[topic]), slots)
    pool = corpus.SENTENCES[topic] + corpus.GENERIC + trng.sample(corpus.QUOTES, 2)
    trng.shuffle(pool)
    paragraphs = [" ".join(_fill(pool.pop(), slots) for _ in range(trng.randint(1, 3)))
                  for _ in range(trng.randint(3, 6))]
    paragraphs[0] = _fill(trng.choice(corpus.OPENINGS), slots) + paragraphs[0]
    if trng.random() < 0.5:
        paragraphs.append(_fill(trng.choice(corpus.CLOSINGS), slots))
    kind = rng.choices(list(KINDS), (6, 2, 1))[0]
    prefix = KINDS[kind] + (f"{published.year}/{published.month:02d}/"
                            if kind == "statement" else "")
    alias, n = prefix + slugify(title, "en"), 0
    while alias in aliases:
        alias, n = f"{prefix}{slugify(title, 'en')}-{n}", n + 1
    aliases.add(alias)
    story = Story(nid, kind, alias, title, published, slots["place"], paragraphs,
                  _fill(trng.choice(corpus.CAPTIONS), slots), rng.randint(7, 17))
    if rng.random() < 0.15:
        story.node_pager = True
        story.quirks.add("node_pager")
    if rng.random() < 0.35:
        story.quirks.add("views_mini_pager")
    return story


class MissionSite:
    """The mission site's stories in two states (``updated`` adds two at the newest end)."""

    listing_fault: str | None = None

    def __init__(self, count: int = 96, seed: int = 11) -> None:
        rng = random.Random(seed)
        span = (LAST_DAY - FIRST_DAY).days
        days = sorted([0, span, *(rng.randrange(span) for _ in range(count - 4))])
        dates = [FIRST_DAY + timedelta(d) for d in days] + [UPDATE_DAY - timedelta(9),
                                                            UPDATE_DAY - timedelta(2)]
        aliases = {"/about"}
        nid, stories = 400, []
        for day in dates:
            nid += rng.randint(1, 4)
            stories.append(_story(rng, nid, day, aliases))
        newest_first = sorted(stories, key=lambda s: (s.published, s.nid), reverse=True)
        self._stories = {"initial": newest_first[2:], "updated": newest_first}
        self.faults = {"503": newest_first[len(stories) // 2].alias}

    # -- the interface SiteServer and tests use (as on ``Site``) ---------------------------
    def articles(self, state: str = "initial") -> list[Story]:
        """Stories of ``state``, newest first."""
        return self._stories[state]

    @cached_property
    def _index(self) -> dict[str, dict[str, Story]]:
        return {s: {p: a for a in self._stories[s] for p in (a.alias, a.node_path)}
                for s in STATES}

    def lookup(self, path: str, state: str = "initial") -> Story | None:
        return self._index[state].get(path)

    @cached_property
    def _links(self) -> dict[str, dict[int, tuple[str | None, str | None]]]:
        out: dict[str, dict[int, tuple[str | None, str | None]]] = {}
        for state in STATES:
            chain = self._stories[state][::-1]  # oldest first; previous = older
            links = out.setdefault(state, {})
            for i, a in enumerate(chain):
                pair = (chain[i - 1] if i else None, chain[i + 1] if i + 1 < len(chain) else None)
                links[a.nid] = tuple(  # type: ignore[assignment]
                    (n.node_path if a.node_pager else n.alias) if n else None for n in pair)
        return out

    def links(self, a: Story, state: str = "initial") -> tuple[str | None, str | None]:
        """(previous, next) hrefs exactly as printed; previous is older."""
        return self._links[state][a.nid]

    def translations(self, a: Story, state: str = "initial") -> dict[str, str]:
        return {}

    def router(self, lastmods: bool = True) -> MissionRouter:
        from .routes import MissionRouter

        if not lastmods:
            raise ValueError("the mission site's sitemap always gives <lastmod>")
        return MissionRouter(self)

    # -- expected output -------------------------------------------------------------------
    def expected(self, state: str = "initial") -> list[ExpectedArticle]:
        """What a perfect crawl of ``state`` stores, newest first."""
        return [ExpectedArticle(
            path=a.alias, node_path=a.node_path, lang="en", title=a.title,
            published=a.published, paragraphs=a.paragraphs, prev_path=self.links(a, state)[0],
            next_path=self.links(a, state)[1], translations={}, template="d9-barrio",
            pager="story_pager" if a.kind != "photo_story" else "node_footer", labels="story",
            js_body=False, duplicate_of=None, near_duplicate_of=None,
            quirks=frozenset(a.quirks), has_canonical=True, nid=a.nid, date_text=a.date_text,
        ) for a in self._stories[state]]

    def reachable_by_chain(self, start_path: str, state: str = "initial") -> set[str]:
        """Aliases reachable from ``start_path`` over previous / next (all of them: no breaks)."""
        seen: set[str] = set()
        todo = [a] if (a := self.lookup(start_path, state)) else []
        while todo:
            a = todo.pop()
            if a.alias not in seen:
                seen.add(a.alias)
                todo += [t for h in self.links(a, state) if h and (t := self.lookup(h, state))]
        return seen

    def first_listing_page(self, lang: str = "en", state: str = "initial") -> list[str]:
        return [listing_href(a) for a in self._stories[state][:PER_PAGE]]

    def non_article_paths(self) -> list[str]:
        """HTML pages that must not become articles (the last one is a 404)."""
        return ["/", "/about", "/node/12", "/latest-news", "/latest-news?page=1",
                "/page-that-does-not-exist"]

    def changes(self) -> dict[str, object]:
        new = [a.alias for a in self._stories["updated"][:2]]
        return {"new": new, "edited": None, "deleted": None}


def listing_href(a: Story) -> str:
    """About one listing row in eight links the node path."""
    return a.node_path if a.nid % 8 == 5 else a.alias


def build_mission_site(count: int = 96, seed: int = 11) -> MissionSite:
    """The second site: ``count`` stories (two of them only in the updated state)."""
    return MissionSite(count, seed)

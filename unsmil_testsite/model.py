"""The deterministic model of the offline UNSMIL site and the output a perfect crawl yields.

``builder.build_site()`` draws every article, alias, date and quirk from one seeded RNG; the server
renders pages from this model and tests compare the crawl against ``Site.expected()``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from . import textgen
from .date_formats import shown_date

if TYPE_CHECKING:
    from .routes import Router

STATES = ("initial", "updated")
FIRST_DAY = date(2011, 10, 1)
LAST_DAY = date(2026, 10, 31)
UPDATE_DAY = date(2026, 11, 20)
FAULT_KINDS = ("503", "500", "stall", "close")
LISTING_FAULT = "/all-press-releases?page=2"
PER_PAGE = 15
TEMPLATES = ("d7", "d8", "d10")
"""Drupal generations of full-node markup: 7 (Bartik/Zen), 8-9 (Classy/Bartik), 10-11 (Olivero)."""


@dataclass
class Article:
    """One article node in one language (mutable only while the model is being built)."""

    nid: int
    lang: str
    alias: str
    title: str
    published: date
    sentences: list[list[str]]
    ctx: textgen.Context
    template: str
    """Markup generation, one of ``TEMPLATES``."""
    pager: str = "pager_node"
    """Pager variant (see ``pagers.VARIANTS``)."""
    labels: str = "arrows"
    """Pager label set (see ``pagers.LABELS``)."""
    date_style: str = "plain"
    hour: int = 10
    quirks: set[str] = field(default_factory=set)
    js_body: bool = False
    has_canonical: bool = True
    node_pager: bool = False
    pair: int | None = None
    """nid of the translation, if any."""
    duplicate_of: str | None = None
    near_duplicate_of: str | None = None
    modified: date | None = None

    @property
    def node_path(self) -> str:
        return f"/ar/node/{self.nid}" if self.lang == "ar" else f"/node/{self.nid}"

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(p) for p in self.sentences]

    @property
    def date_text(self) -> str:
        return shown_date(self.lang, self.published, self.template, self.date_style)


@dataclass(frozen=True)
class ExpectedArticle:
    """What a correct crawl stores for one article page (clean text, canonical paths)."""

    path: str
    node_path: str
    lang: str
    title: str
    published: date
    paragraphs: list[str]
    prev_path: str | None
    next_path: str | None
    translations: dict[str, str]
    """Other languages only: {lang: alias path}."""
    template: str
    pager: str
    labels: str
    js_body: bool
    duplicate_of: str | None
    near_duplicate_of: str | None
    quirks: frozenset[str]
    has_canonical: bool
    nid: int
    date_text: str


def listing_href(a: Article) -> str:
    """The href of ``a``'s listing row: about one row in ten links the node path, as some
    Views rows do."""
    return a.node_path if a.nid % 10 == 3 else a.alias


def slugify(title: str, lang: str) -> str:
    """Pathauto-like slug; Arabic stays Arabic and is percent-encoded as in links.

    >>> slugify("Q&A: the road to national elections", "en")
    'qa-the-road-to-national-elections'
    >>> unquote(slugify("بيان بشأن وقف إطلاق النار في سرت", "ar"))
    'بيان-بشأن-وقف-إطلاق-النار-في-سرت'
    """
    words = re.sub(r"[^\w\s-]", "", title.lower()).split()[:9]
    slug = "-".join(words)
    return slug if lang == "en" else quote(slug, safe="-")


class Site:
    """The site in its two states, with per-state chains and lookup tables."""

    def __init__(self, articles: dict[str, list[Article]], specials: dict[str, object]) -> None:
        self._articles = articles
        self.specials = specials
        self.faults: dict[str, str] = specials["faults"]  # type: ignore[assignment]
        self.listing_fault = LISTING_FAULT
        self._positions: dict[str, dict[int, tuple[int, int, str, str]]] = {}
        self._links = {s: self._chain_links(s) for s in STATES}
        self._by_path = {s: self._index(s) for s in STATES}

    def router(self, lastmods: bool = True) -> Router:
        """What the server answers for a path (``routes.Router``); ``lastmods=False``: a
        sitemap without ``<lastmod>``."""
        from .routes import Router

        return Router(self, lastmods=lastmods)

    # -- lookups ------------------------------------------------------------------------
    def articles(self, state: str = "initial") -> list[Article]:
        """All article nodes of ``state``, newest first."""
        return self._articles[state]

    def lookup(self, path: str, state: str = "initial") -> Article | None:
        """The article served at ``path`` (alias or node path, encoded or not)."""
        return self._by_path[state].get(unquote(path))

    def links(self, article: Article, state: str = "initial") -> tuple[str | None, str | None]:
        """(previous, next) hrefs exactly as printed on the article's pager."""
        return self._links[state][article.nid]

    def translations(self, article: Article, state: str = "initial") -> dict[str, str]:
        """{lang: alias} of the other-language versions of ``article``."""
        other = self._by_nid(state).get(article.pair) if article.pair else None
        return {other.lang: other.alias} if other else {}

    def _by_nid(self, state: str) -> dict[int, Article]:
        return {a.nid: a for a in self._articles[state]}

    def _index(self, state: str) -> dict[str, Article]:
        index: dict[str, Article] = {}
        for a in self._articles[state]:
            index[unquote(a.alias)] = a
            index[a.node_path] = a
        return index

    def _chain_links(self, state: str) -> dict[int, tuple[str | None, str | None]]:
        links: dict[int, tuple[str | None, str | None]] = {}
        positions = self._positions.setdefault(state, {})
        off = self.specials["off_chain"]
        for lang in ("en", "ar"):
            full = sorted((a for a in self._articles[state] if a.lang == lang),
                          key=lambda a: (a.published, a.nid))
            chain = [a for a in full if a.nid != off]  # neighbours skip the off-chain article
            index = {a.nid: j for j, a in enumerate(chain)}
            ends = (chain[0].alias, chain[-1].alias)  # (oldest, newest)
            for i, a in enumerate(full):
                seq, j = (full, i) if a.nid == off else (chain, index[a.nid])
                older = seq[j - 1] if j > 0 else None
                newer = seq[j + 1] if j + 1 < len(seq) else None
                href = [(n.node_path if a.node_pager else n.alias) if n else None
                        for n in (older, newer)]
                prev, nxt = (href[0], href[1]) if lang == "en" else (href[1], href[0])
                if a.nid in self.specials["broken"]:  # type: ignore[operator]
                    prev = self.specials["broken"][a.nid]  # type: ignore[index]
                if a.nid == self.specials["cycle_from"]:
                    nxt = chain[j - 5].alias
                links[a.nid] = (prev, nxt)
                position = i + 1 if lang == "en" else len(full) - i
                first, last = ends if lang == "en" else ends[::-1]
                positions[a.nid] = (position, len(full), first, last)
        return links

    def chain_position(self, article: Article, state: str = "initial") -> tuple[int, int, str, str]:
        """(1-based position in pager direction, chain length, alias at the ``previous`` end,
        alias at the ``next`` end): what a "3 of 40" key and first / last links show.

        Taken from the initial archive when the article is in it, so an update does not change
        the bytes (and ETag) of every page that prints them."""
        initial = self._positions["initial"].get(article.nid)
        return initial or self._positions[state][article.nid]

    # -- expected output ------------------------------------------------------------------
    def expected(self, state: str = "initial") -> list[ExpectedArticle]:
        """One entry per article page a perfect crawl of ``state`` stores, newest first."""
        out = []
        for a in self._articles[state]:
            prev, nxt = self.links(a, state)
            out.append(ExpectedArticle(
                path=a.alias, node_path=a.node_path, lang=a.lang, title=a.title,
                published=a.published, paragraphs=a.paragraphs, prev_path=prev, next_path=nxt,
                translations=self.translations(a, state), template=a.template,
                pager=a.pager, labels=a.labels,
                js_body=a.js_body, duplicate_of=a.duplicate_of,
                near_duplicate_of=a.near_duplicate_of, quirks=frozenset(a.quirks),
                has_canonical=a.has_canonical, nid=a.nid, date_text=a.date_text,
            ))
        return out

    def broken_links(self) -> list[tuple[str, str]]:
        """(article alias, href of its broken ``previous`` link answering 404)."""
        by_nid = self._by_nid("initial")
        return [(by_nid[nid].alias, href) for nid, href in self.specials["broken"].items()]  # type: ignore[attr-defined]

    def cycle(self) -> tuple[str, str]:
        """(article alias whose ``next`` loops back, the older alias it points to)."""
        a = self._by_nid("initial")[self.specials["cycle_from"]]  # type: ignore[index]
        return a.alias, self.links(a)[1]  # type: ignore[return-value]

    def reachable_by_chain(self, start_path: str, state: str = "initial") -> set[str]:
        """Aliases reachable from ``start_path`` over prev/next links, skipping 404 targets."""
        start = self.lookup(start_path, state)
        seen: set[str] = set()
        todo = [start] if start else []
        while todo:
            a = todo.pop()
            if a.alias in seen:
                continue
            seen.add(a.alias)
            for href in self.links(a, state):
                target = self.lookup(href, state) if href else None
                if target and target.alias not in seen:
                    todo.append(target)
        return seen

    def first_listing_page(self, lang: str, state: str = "initial") -> list[str]:
        """Hrefs of the article rows on the language's listing page 1 (``?page=0``)."""
        rows = [a for a in self._articles[state] if a.lang == lang][:PER_PAGE]
        return [listing_href(a) for a in rows]

    def reachable_from_first_page(self, state: str = "initial",
                                  langs: tuple[str, ...] = ("en", "ar"),
                                  translations: bool = True) -> set[str]:
        """Aliases a crawl reaches from listing page 1 of ``langs`` by following only
        previous / next links and (with ``translations``) translation links (hreflang or
        language switcher) into ``langs``: what a chain-only crawl under
        ``discovery="first-page"`` must store."""
        todo = [a for lang in langs for href in self.first_listing_page(lang, state)
                if (a := self.lookup(href, state))]
        seen: set[str] = set()
        while todo:
            a = todo.pop()
            if a.alias in seen:
                continue
            seen.add(a.alias)
            hrefs = [*self.links(a, state), *(path for code, path in
                                              self.translations(a, state).items()
                                              if code in langs and translations)]
            todo += [t for h in hrefs if h and (t := self.lookup(h, state))
                     and t.alias not in seen]
        return seen

    def off_chain(self) -> str:
        """Alias of the English article no neighbour links to (its own pager still links
        out): only listings, feeds and the sitemap find it."""
        return self._by_nid("initial")[self.specials["off_chain"]].alias  # type: ignore[index]

    def non_article_paths(self) -> list[str]:
        """HTML pages discovery meets that must not become articles (the last one is a 404)."""
        return [
            "/", "/en", "/ar", *(p.path for p in BASIC_PAGES), *(p.node_path for p in BASIC_PAGES),
            "/all-press-releases", "/ar/all-press-releases", "/all-press-releases?page=1",
            "/en/page-that-does-not-exist",
        ]

    def changes(self) -> dict[str, object]:
        """What ``set_state("updated")`` changes: new aliases, the edited ones (``edited``
        recent, ``edited_deep`` years old) and the deleted one."""
        return {k: self.specials[k] for k in ("new", "edited", "edited_deep", "deleted")}


@dataclass(frozen=True)
class BasicPage:
    """A Drupal "basic page": no date, no pager, no body field."""

    nid: int
    lang: str
    path: str
    title: str
    text: tuple[str, ...]

    @property
    def node_path(self) -> str:
        return f"/ar/node/{self.nid}" if self.lang == "ar" else f"/node/{self.nid}"


BASIC_PAGES = (
    BasicPage(12, "en", "/en/about", "About UNSMIL", (
        "The United Nations Support Mission in Libya is a special political mission.",
        "It supports Libyan institutions, the political process and the protection of"
        " human rights.",
    )),
    BasicPage(13, "ar", "/ar/about", "عن البعثة", (
        "بعثة الأمم المتحدة للدعم في ليبيا بعثة سياسية خاصة.",
        "تدعم البعثة المؤسسات الليبية والعملية السياسية وحماية حقوق الإنسان.",
    )),
    BasicPage(14, "en", "/en/mandate", "Mandate", (
        "The Security Council sets the Mission's mandate and renews it every year.",
    )),
    BasicPage(15, "ar", "/ar/" + quote("ولاية-البعثة", safe="-"), "ولاية البعثة", (
        "يحدد مجلس الأمن ولاية البعثة ويجددها كل عام.",
    )),
)


def with_paragraph_replaced(a: Article, index: int, sentences: list[str]) -> Article:
    """A copy of ``a`` with paragraph ``index`` replaced (the updated state's edit)."""
    new = [list(p) for p in a.sentences]
    new[index] = sentences
    return replace(a, sentences=new, modified=UPDATE_DAY, quirks=set(a.quirks))


def spread_dates(rng: random.Random, count: int) -> list[date]:
    """``count`` dates between FIRST_DAY and LAST_DAY, ascending, both ends included."""
    span = (LAST_DAY - FIRST_DAY).days
    days = sorted([0, span, *(rng.randrange(span) for _ in range(count - 2))])
    return [FIRST_DAY + timedelta(days=d) for d in days]


"""Slot-filled sentence generation: varied texts from small hand-written phrase banks.

Every article draws its own templates and slot values, so two articles rarely share more than a
boilerplate opening or closing; a translated pair shares its topic, title template and main
place/actor/partner (the ``Context``), so the two languages talk about the same event.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date
from types import ModuleType

from . import corpus_ar, corpus_en
from .date_formats import month_name

CORPORA: dict[str, ModuleType] = {"en": corpus_en, "ar": corpus_ar}
TOPICS = tuple(corpus_en.TITLES)


@dataclass(frozen=True)
class Context:
    """What a translated pair has in common."""

    topic: str
    title_index: int
    picks: dict[str, int]
    """Index into each aligned bank (place, actor, partner, official, group, sector)."""
    published: date


def new_context(rng: random.Random, published: date) -> Context:
    """Draw a topic and main entities; COVID-19 only exists from 2020 to 2022."""
    topics = [t for t in TOPICS if t != "covid" or 2020 <= published.year <= 2022]
    topic = rng.choice(topics)
    picks = {
        name.lower(): rng.randrange(len(getattr(corpus_en, name))) for name in corpus_en.ALIGNED
    }
    return Context(topic, rng.randrange(len(corpus_en.TITLES[topic])), picks, published)


class _Slots(dict):
    """Mapping for ``str.format_map`` that draws a fresh value at each lookup.

    Fixed slots (the article's main place, actor, ...) come from the context; numbered
    variants (``place2``) and free banks are drawn anew so repeated templates still differ.
    """

    def __init__(self, lang: str, rng: random.Random, ctx: Context) -> None:
        super().__init__()
        self.corpus = CORPORA[lang]
        self.lang = lang
        self.rng = rng
        self.ctx = ctx

    def _bank(self, name: str) -> list[str]:
        return getattr(self.corpus, name.upper())

    def __missing__(self, key: str) -> str:
        rng, ctx = self.rng, self.ctx
        base = key.rstrip("0123456789")
        if key in ctx.picks:
            value = self._bank(key)[ctx.picks[key]]
        elif base in ctx.picks:
            bank = self._bank(base)
            choices = [v for i, v in enumerate(bank) if i != ctx.picks[base]]
            value = rng.choice(choices)
        else:
            value = self._numeric(base) or rng.choice(self._bank(base))
        return fill(value, self) if "{" in value else value

    def _numeric(self, key: str) -> str | None:
        rng, d = self.rng, self.ctx.published
        match key:
            case "num":
                return str(rng.randint(3, 60))
            case "big":
                n = rng.randint(12, 950) * 10 * rng.choice((1, 1, 10))
                return f"{n:,}" if self.lang == "en" else str(n)
            case "pct":
                return str(rng.randint(15, 60))
            case "money":
                return str(rng.randint(2, 120))
            case "month":
                return month_name(self.lang, d)
            case "year":
                return str(d.year)
            case "war_year":
                return str(rng.choice([y for y in (2011, 2014, 2019) if y < d.year] or [2011]))
        return None


def fill(template: str, slots: _Slots) -> str:
    """Fill ``template``; slot values may contain slots themselves."""
    return string.Formatter().vformat(template, (), slots)


def _capitalize(sentence: str) -> str:
    """Sentences may start with a slot ("the Special Representative ...").

    >>> _capitalize("the Mission met.")
    'The Mission met.'
    """
    return sentence[:1].upper() + sentence[1:]


def title(lang: str, ctx: Context, rng: random.Random) -> str:
    """The article title in ``lang`` (same template index in both languages)."""
    template = CORPORA[lang].TITLES[ctx.topic][ctx.title_index]
    return _capitalize(fill(template, _Slots(lang, rng, ctx)))


def body(lang: str, ctx: Context, rng: random.Random, dateline: bool) -> list[list[str]]:
    """Paragraphs as lists of sentences: 4-8 paragraphs of 1-4 sentences.

    Openings and closings are the site's boilerplate; the middle draws topic, generic and
    quote templates without replacement so one article never repeats a template.
    """
    corpus = CORPORA[lang]
    slots = _Slots(lang, rng, ctx)
    pool = list(corpus.SENTENCES[ctx.topic]) + list(corpus.GENERIC)
    pool += rng.sample(corpus.QUOTES, 2)
    rng.shuffle(pool)
    sizes = [rng.randint(1, 4) for _ in range(rng.randint(4, 8))]
    closing = rng.random() < 0.6
    paragraphs: list[list[str]] = []
    for i, size in enumerate(sizes):
        if closing and i == len(sizes) - 1:
            paragraphs.append([rng.choice(corpus.CLOSINGS)])
            break
        paragraphs.append([_capitalize(fill(pool.pop(), slots)) for _ in range(size)])
    if rng.random() < 0.7:
        paragraphs[0][0] = _capitalize(fill(rng.choice(corpus.OPENINGS), slots))
    if dateline:
        line = corpus.DATELINE.format(
            place=slots["place"], day=ctx.published.day, month=month_name(lang, ctx.published),
            year=ctx.published.year,
        )
        paragraphs[0][0] = line + paragraphs[0][0]
    return paragraphs


def new_sentence(lang: str, ctx: Context, rng: random.Random, avoid: str) -> str:
    """One fresh sentence different from ``avoid`` (for corrections and edits)."""
    corpus = CORPORA[lang]
    slots = _Slots(lang, rng, ctx)
    while True:
        sentence = _capitalize(fill(rng.choice(corpus.GENERIC), slots))
        if sentence != avoid:
            return sentence

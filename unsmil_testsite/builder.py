"""Draws the articles and plants the site-level quirks (see docs/offline-site.md).

Everything comes from one ``random.Random(seed)`` plus per-article RNGs seeded from the nid,
so adding a quirk to one article never reshuffles the texts of the others.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

from . import textgen
from .date_formats import STYLES
from .markup_draw import BLOCK_QUIRKS, TemplateDeck, dress
from .model import (
    BASIC_PAGES,
    FAULT_KINDS,
    UPDATE_DAY,
    Article,
    Site,
    slugify,
    spread_dates,
    with_paragraph_replaced,
)
from .quirks import TEXT_QUIRKS

_EDGE = 15  # special articles stay this far from either chain end


class _Builder:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.aliases: set[str] = {p.path for p in BASIC_PAGES}

    def text_rng(self, nid: int) -> random.Random:
        return random.Random(f"{self.seed}/{nid}")

    def alias(self, lang: str, title: str, template: str) -> str:
        """A unique alias in one of the site's URL shapes, Drupal-style ``-0`` on clashes."""
        slug = slugify(title, lang)
        if lang == "ar":
            prefix = "/ar/"
        elif template == "d7":
            prefix = self.rng.choice(["/", "/", "/", "/en/", "/en/news/"])
        elif title.startswith("Statement"):
            prefix = "/en/speeches-and-statements/"
        else:
            prefix = self.rng.choice(["/en/news/", "/en/news/", "/en/"])
        path, n = prefix + slug, 0
        while path in self.aliases:
            path, n = f"{prefix}{slug}-{n}", n + 1
        self.aliases.add(path)
        return path

    def article(self, nid: int, lang: str, ctx: textgen.Context, template: str) -> Article:
        trng = self.text_rng(nid)
        title = textgen.title(lang, ctx, trng)
        sentences = textgen.body(lang, ctx, trng, dateline=trng.random() < 0.7)
        a = Article(nid, lang, self.alias(lang, title, template), title, ctx.published,
                    sentences, ctx, template, hour=self.rng.randint(8, 18))
        dress(a, self.seed)
        self.page_quirks(a)
        if self.rng.random() < 0.16:
            k = self.rng.randint(1, 3)
            a.quirks |= set(self.rng.sample(TEXT_QUIRKS[lang], k))
        if lang == "en" and ("&" in title or "'" in title or "’" in title):
            a.quirks.add("entities")
        if lang == "ar" and any("a" <= c.lower() <= "z" for c in title):
            a.quirks.add("latin_in_title")
        return a

    def page_quirks(self, a: Article) -> None:
        rng = self.rng
        if a.template != "d7":
            if rng.random() < 0.06:
                a.quirks.add("utc_previous_day")
            return
        a.date_style = rng.choice(("plain", "weekday") if a.lang == "en" else STYLES)
        if a.date_style == "ibril" and a.published.month != 4:
            a.date_style = "plain"
        if a.date_style != "plain":
            a.quirks.add(f"date_{a.date_style}")
        if rng.random() < 0.08:
            a.has_canonical = False
            a.quirks.add("no_canonical")
        if rng.random() < 0.35:
            a.quirks.add("no_hreflang")
        if rng.random() < 0.2:
            a.node_pager = True
            a.quirks.add("node_pager")


def build_articles(per_lang: int, seed: int) -> tuple[dict[str, list[Article]], dict[str, object]]:
    """Both states' article lists (newest first) and the planted specials."""
    b = _Builder(seed)
    rng = b.rng
    n_pairs = round(per_lang * 0.8)
    kinds = ["pair"] * n_pairs + ["en"] * (per_lang - n_pairs) + ["ar"] * (per_lang - n_pairs)
    rng.shuffle(kinds)
    articles: list[Article] = []
    nid = 1000
    deck = TemplateDeck(seed)  # a translated pair shares its generation, as on a real site
    for kind, day in zip(kinds, spread_dates(rng, len(kinds)), strict=True):
        ctx = textgen.new_context(rng, day)
        langs = ("en", "ar") if kind == "pair" else (kind,)
        template = deck.deal(day.year)
        made = []
        for lang in langs:
            nid += rng.randint(1, 3)
            made.append(b.article(nid, lang, ctx, template))
        if len(made) == 2:
            made[0].pair, made[1].pair = made[1].nid, made[0].nid
        articles.extend(made)
    specials = _plant_specials(b, articles, nid)
    initial = sorted(articles, key=lambda a: (a.published, a.nid), reverse=True)
    updated = _updated_state(b, initial, specials, nid + 5000)
    return {"initial": initial, "updated": updated}, specials


def _chain(articles: list[Article], lang: str) -> list[Article]:
    return sorted((a for a in articles if a.lang == lang), key=lambda a: (a.published, a.nid))


def _plant_specials(b: _Builder, articles: list[Article], last_nid: int) -> dict[str, object]:
    """Pick distinct mid-chain articles for each site-level quirk and add the extra nodes."""
    rng = b.rng
    en, ar = _chain(articles, "en"), _chain(articles, "ar")
    used: set[int] = set()

    def pick(chain: list[Article], lo: float = 0.0, hi: float = 1.0, **want: object) -> Article:
        n = len(chain)
        start, stop = max(_EDGE, int(n * lo)), min(n - _EDGE, int(n * hi))
        pool = [a for a in chain[start:stop] if a.nid not in used
                and all(getattr(a, k) in (v if isinstance(v, tuple) else (v,))
                        for k, v in want.items())
                and not a.quirks & {"no_canonical", "node_pager"}]
        a = rng.choice(pool)
        used.update({a.nid, *(c.nid for c in chain[chain.index(a) - 6: chain.index(a) + 7])})
        return a

    original = pick(en, 0.3, 0.6)
    dup = replace(original, nid=last_nid + 11, alias=b.alias("en", original.title + " 0", "d8"),
                  quirks=original.quirks - {"bom"}, pair=None, duplicate_of=original.alias)
    corrected = pick(ar, 0.3, 0.6)
    reissue_sentences = [list(p) for p in corrected.sentences]
    para = reissue_sentences[1] if len(reissue_sentences) > 1 else reissue_sentences[0]
    para[-1] = textgen.new_sentence("ar", corrected.ctx, b.text_rng(last_nid + 12), para[-1])
    reissue = replace(corrected, nid=last_nid + 12, published=corrected.published + timedelta(1),
                      alias=b.alias("ar", corrected.title + " تصحيح", "d8"), pair=None,
                      sentences=reissue_sentences, quirks=set(corrected.quirks),
                      near_duplicate_of=corrected.alias)
    modern = ("d8", "d10")
    for a in (pick(en, 0.7, 1.0, template=modern), pick(en, 0.7, 1.0, template=modern),
              pick(ar, 0.7, 1.0, template=modern)):
        a.js_body = True
        a.quirks = {"js_body"} | (a.quirks & BLOCK_QUIRKS)
    broken = {}
    a = pick(en, 0.4, 0.7)
    broken[a.nid] = f"/en/news/{slugify(a.title, 'en')}-draft"
    a = pick(ar, 0.4, 0.7)
    broken[a.nid] = "/ar/node/917"
    cycle_from = pick(en, 0.8, 1.0).nid
    faults = {kind: pick(en if i % 2 else ar, 0.2, 0.9).alias for i, kind in enumerate(FAULT_KINDS)}
    off_chain = pick(en, 0.45, 0.75, pair=None).nid
    bom = pick(ar, 0.0, 0.4, template="d7")
    bom.quirks.add("bom")
    articles += [dup, reissue]
    return {
        "duplicate": (original.alias, dup.alias), "reissue": (corrected.alias, reissue.alias),
        "broken": broken, "cycle_from": cycle_from, "off_chain": off_chain, "faults": faults,
        "bom": bom.alias,
        # Edits and deletions hit recent articles, inside an incremental run's re-check window,
        "edited": pick(en, 0.93, 1.0).alias, "deleted": pick(ar, 0.93, 1.0).alias,
    } | {
        # and one edit sits years deep, where only the sitemap's lastmod announces it.
        "edited_deep": pick(ar, 0.2, 0.5).alias,
    }


def _updated_state(
    b: _Builder, initial: list[Article], specials: dict[str, object], nid: int
) -> list[Article]:
    """Initial state plus 5 new pairs, one edited paragraph, one deleted article, and one old
    Arabic article with one sentence added."""
    rng = b.rng
    updated = []
    for a in initial:
        if a.alias == specials["deleted"]:
            continue
        if a.alias == specials["edited"]:
            fresh = textgen.body(a.lang, a.ctx, b.text_rng(nid), dateline=False)[0]
            a = with_paragraph_replaced(a, 1, fresh)
        if a.alias == specials["edited_deep"]:
            last = a.sentences[-1]
            added = textgen.new_sentence(a.lang, a.ctx, b.text_rng(nid + 1), last[-1])
            a = with_paragraph_replaced(a, len(a.sentences) - 1, [*last, added])
        updated.append(a)
    new: list[str] = []
    for i in range(5):
        ctx = textgen.new_context(rng, UPDATE_DAY - timedelta(days=15 - 3 * i))
        template = ("d10", "d8", "d7")[i % 3]  # an incremental run meets every generation
        pair = [b.article(nid + 2 * i + k, lang, ctx, template)
                for k, lang in enumerate(("en", "ar"))]
        pair[0].pair, pair[1].pair = pair[1].nid, pair[0].nid
        updated += pair
        new += [p.alias for p in pair]
    specials["new"] = new
    return sorted(updated, key=lambda a: (a.published, a.nid), reverse=True)


def build_site(per_lang: int = 320, seed: int = 7, js_every: int = 0) -> Site:
    """Build the deterministic site: >= ``per_lang`` articles per language, 2011-2026.

    ``js_every=N`` also makes every N-th Drupal 8+ article of each language chain build its
    body with JavaScript (load tests: JS pages spread through a big archive); the three
    planted JS pages are there either way, and the rest of the site does not change.
    """
    articles, specials = build_articles(per_lang, seed)
    if js_every > 0:
        _spread_js_bodies(articles["initial"], js_every)
    return Site(articles, specials)


def _spread_js_bodies(articles: list[Article], every: int) -> None:
    for lang in ("en", "ar"):
        modern = [a for a in _chain(articles, lang) if a.template in ("d8", "d10")
                  and not (a.duplicate_of or a.near_duplicate_of)]
        for a in modern[every - 1::every]:
            a.js_body = True
            a.quirks = {"js_body"} | (a.quirks & BLOCK_QUIRKS)

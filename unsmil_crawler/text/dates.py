"""Published dates as the site shows them, in Arabic or English, to 00:00 UTC.

Accepted: day, month name and year in the orders D M Y, M D Y and Y M D, with an
optional weekday, commas (Latin or Arabic ،), a clock time ("10:30 مساءً", "at 10:15am"),
English ordinal suffixes ("1st"), Arabic-Indic or Eastern Arabic-Indic digits, the AD
marker ("2019م", "2019 م"), filler words ("الموافق", "on"), and a month written in both
Arabic systems at once ("تشرين الثاني/نوفمبر", which must then agree). Years outside
1990 .. next year are refused: the archive starts in 2011, so "0019" or "2091" is a
typo, not a date. Month, weekday and filler words live in unsmil_crawler/text/lang_data.py.

Why a table and not dateparser (which knows Arabic and is well kept): measured on this
machine (2 shared cores, dateparser 1.5), ``dateparser.parse(text, languages=[lang])``
costs 650-800 µs per date, returns None for the Levantine and Maghrebi month names
("12 أيار 2019", "3 جانفي 2020", "١ تشرين الثاني/نوفمبر ٢٠١٦") and answers relative
phrases ("yesterday") with a date that depends on the day of the crawl. The table costs
13-40 µs per date and answers only for an explicit calendar date. Dates are parsed for
every article page, so the table wins; benchmarks/bench_text.py re-measures both.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from unsmil_crawler.text.clean import search_form
from unsmil_crawler.text.lang_data import FILLER_WORDS, MONTHS, WEEKDAYS

_MAX_INPUT = 200  # a date line is short; anything longer is not a date
# The am/pm marker must end a word: "10:30 مساءً" keeps its "م" (مساءً is a filler word).
_CLOCK = re.compile(
    r"\d{1,2}\s*:\s*\d{2}(?:\s*:\s*\d{2})?(?:\s*(?:[ap]\.?\s*m\.?|ص|م)(?!\w))?", re.I
)
# Read as a space before search_form, which would join "1,2024" into one number.
_COMMA = re.compile(r"[,\u060c\u066c]")
_DAY = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?")
_YEAR = re.compile(r"([0-9]{4})م?")  # "2024م": Arabic AD marker glued to the year
_ORDERS = {"DMY", "MDY", "YMD"}
MIN_YEAR = 1990
"""Earliest year accepted; the latest is the current year + 1 (see the module docstring)."""


def _fold(words: dict[str, int] | tuple[str, ...]) -> dict[str, int] | frozenset[str]:
    if isinstance(words, dict):
        return {search_form(k): v for k, v in words.items()}
    return frozenset(map(search_form, words))


_MONTHS = {lang: _fold(names) for lang, names in MONTHS.items()}
_IGNORED = {
    lang: _fold(WEEKDAYS.get(lang, ())) | _fold(FILLER_WORDS.get(lang, ())) for lang in MONTHS
}


def _classify(words: list[str], lang: str) -> list[tuple[str, int]] | None:
    """Tokens as (kind, value) with kind D, M or Y; None when a word is not date-like."""
    months, ignored = _MONTHS[lang], _IGNORED[lang]
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(words):
        pair = " ".join(words[i : i + 2])
        if len(words) > i + 1 and pair in months:
            out.append(("M", months[pair]))
            i += 2
            continue
        word = words[i]
        i += 1
        if word in months:
            out.append(("M", months[word]))
        elif word in ignored:
            continue
        elif m := _DAY.fullmatch(word):
            out.append(("D", int(m[1])))
        elif m := _YEAR.fullmatch(word):
            out.append(("Y", int(m[1])))
        else:
            return None
    return out


def _from_tokens(tokens: list[tuple[str, int]]) -> datetime | None:
    merged: list[tuple[str, int]] = []
    for kind, value in tokens:
        if merged and kind == "M" == merged[-1][0]:
            if value != merged[-1][1]:
                return None  # "تشرين الثاني/ديسمبر": the two names disagree
            continue
        merged.append((kind, value))
    order = "".join(kind for kind, _ in merged)
    if order not in _ORDERS:
        return None
    parts = {kind: value for kind, value in merged}
    if not MIN_YEAR <= parts["Y"] <= datetime.now(UTC).year + 1:
        return None
    try:
        return datetime(parts["Y"], parts["M"], parts["D"], tzinfo=UTC)
    except ValueError:  # 31 February, day 0, month 13
        return None


def parse_published(text: str, lang: str) -> datetime | None:
    """00:00 UTC of the calendar date in `text`, or None; never raises.

    The page language's names are tried first, then the other language's (a page
    may show a date in the other language).

    >>> parse_published("الثلاثاء، ١ تشرين الثاني/نوفمبر ٢٠١٦", "ar").isoformat()
    '2016-11-01T00:00:00+00:00'
    >>> parse_published("November 1, 2024", "en").date().isoformat()
    '2024-11-01'
    >>> parse_published("31 February 2024", "en") is None
    True
    >>> parse_published("12 May 0019", "en") is None  # outside 1990 .. next year
    True
    """
    if not isinstance(text, str) or len(text) > _MAX_INPUT:
        return None
    words = search_form(_COMMA.sub(" ", _CLOCK.sub(" ", text))).split()
    if not words:
        return None
    for table_lang in sorted(_MONTHS, key=lambda name: name != lang):
        tokens = _classify(words, table_lang)
        if tokens is not None:
            return _from_tokens(tokens)
    return None

"""Text quirks injected into served HTML, and the display rules that undo them.

The model keeps clean text; only the HTML carries tatweel, invisible marks, odd spaces,
ligatures and inline markup. ``clean_display`` is the reference form of the display rules the
team agreed on (NFKC, drop tatweel and invisible marks, spaces collapsed); tests use it to prove
every quirk is recoverable.
"""

from __future__ import annotations

import html
import random
import re
import unicodedata

TEXT_QUIRKS = {
    "en": ("zero_width", "bidi", "nbsp", "br", "ligature", "inline_markup", "empty_paragraphs"),
    "ar": (
        "tatweel", "zero_width", "bidi", "nbsp", "br", "ligature", "inline_markup",
        "empty_paragraphs",
    ),
}
TATWEEL = "\u0640"
# Letters that never join to the following letter: a tatweel after them would look wrong.
_NON_JOINING = set("اأإآدذرزوؤةىء")
_LIGATURES = {
    "en": [("fi", "\ufb01"), ("fl", "\ufb02")],
    "ar": [("الله", "\ufdf2"), ("لأ", "\ufef7"), ("لإ", "\ufef9"), ("لآ", "\ufef5"),
           ("لا", "\ufefb")],
}
_INVISIBLE = re.compile("[\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]")
_SPACES = re.compile(r"\s+")


def clean_display(text: str) -> str:
    """Apply the display rules to already-extracted text.

    >>> clean_display("\\ufeffطرابلـــس\\u00a0\\u200f- \\ufefb  ﬁnal")
    'طرابلس - لا final'
    """
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _is_arabic(word: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in word)


def _tatweel(word: str, rng: random.Random) -> str:
    spots = [i for i in range(len(word) - 1) if word[i].isalpha() and word[i + 1].isalpha()
             and word[i] not in _NON_JOINING and i > 0]
    if not spots or not _is_arabic(word):
        return word
    i = rng.choice(spots)
    return word[: i + 1] + TATWEEL * rng.randint(1, 3) + word[i + 1:]


def _zero_width(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word + "\u200b"
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + rng.choice("\u200c\u200d\u200b") + word[i:]


def _bidi(word: str, rng: random.Random) -> str:
    opener, closer = rng.choice(
        [("\u200f", ""), ("\u200e", "\u200e"), ("\u202b", "\u202c"), ("\u202a", "\u202c"),
         ("\u2067", "\u2069"), ("\u2066", "\u2069"), ("\u2068", "\u2069"), ("\u061c", "")]
    )
    return opener + word + closer


def _ligature(word: str, lang: str) -> str:
    for plain, lig in _LIGATURES[lang]:
        if plain in word:
            return word.replace(plain, lig, 1)
    return word


def _char_quirks(word: str, lang: str, quirks: set[str], rng: random.Random) -> str:
    if "tatweel" in quirks and rng.random() < 0.25:
        word = _tatweel(word, rng)
    if "ligature" in quirks and rng.random() < 0.5:
        word = _ligature(word, lang)
    if "zero_width" in quirks and rng.random() < 0.15:
        word = _zero_width(word, rng)
    if "bidi" in quirks and rng.random() < 0.12:
        word = _bidi(word, rng)
    return word


def _separator(quirks: set[str], rng: random.Random, xhtml: bool) -> str:
    roll = rng.random()
    if "nbsp" in quirks and roll < 0.12:
        return rng.choice(["&nbsp;", "\u00a0", " &nbsp;", "\u202f", "\u2009", "  "])
    if "br" in quirks and roll > 0.96:
        return rng.choice(["<br />" if xhtml else "<br>", " <br>\n", "<br/> "])
    return " "


def render_text(
    text: str, lang: str, quirks: set[str], rng: random.Random, xhtml: bool = False
) -> str:
    """HTML for one clean paragraph (or title) with the article's quirks injected."""
    words = [html.escape(_char_quirks(w, lang, quirks, rng), quote=False) for w in text.split(" ")]
    if "inline_markup" in quirks and len(words) > 4 and rng.random() < 0.5:
        i = rng.randrange(len(words) - 2)
        j = i + rng.randint(1, 2)
        tag = rng.choice(["strong", "em", "a"])
        attrs = f' href="/{lang}/about"' if tag == "a" else ""
        words[i] = f"<{tag}{attrs}>{words[i]}"
        words[j - 1] = f"{words[j - 1]}</{tag}>"
    out = [words[0]]
    for w in words[1:]:
        out.append(_separator(quirks, rng, xhtml))
        out.append(w)
    return "".join(out)


def render_title(text: str, lang: str, quirks: set[str], rng: random.Random) -> str:
    """Escaped title; English titles spell typographic characters as named entities."""
    escaped = html.escape(text, quote=False)
    if "entities" in quirks:
        escaped = escaped.replace("’", "&rsquo;").replace("–", "&ndash;").replace("'", "&#039;")
    if quirks & {"tatweel", "zero_width", "nbsp"} and lang == "ar":
        subset = quirks & {"tatweel", "zero_width", "nbsp"}
        return render_text(text, lang, subset, rng)
    return escaped


def empty_paragraph(rng: random.Random) -> str:
    """One of the empty paragraphs editors leave behind."""
    return rng.choice(["<p>&nbsp;</p>", "<p>\u00a0</p>", "<p></p>", "<p> <br> </p>"])

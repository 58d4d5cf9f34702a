"""Display and search text forms: the properties an Arabic NLP team relies on."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unsmil_crawler.text.clean import (
    FORBIDDEN_CHARS,
    content_hash,
    display_paragraphs,
    display_text,
    join_paragraphs,
    search_form,
)

ARABIC_LETTERS = [chr(c) for c in range(0x0621, 0x064B) if c != 0x0640]
# Letters with every hamza form (ء أ إ آ ؤ ئ ٱ) and the Persian ones the site may carry.
LETTERS = ARABIC_LETTERS + list("ٱیکۀپچژگ")
HARAKAT = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670"]
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
EASTERN_ARABIC_INDIC = "۰۱۲۳۴۵۶۷۸۹"
# Raw text biased towards what breaks cleaners: invisible controls, odd spaces,
# presentation forms, combining marks, digits of three systems, tatweel.
NASTY = (
    sorted(FORBIDDEN_CHARS)
    + ARABIC_LETTERS
    + [chr(c) for c in range(0x064B, 0x0656)]
    + ["\u0670", "\u0653", "\u0654", "\u0655", "\ufefb", "\ufe71", "\ufe77", "\ufdf2"]
    + list(ARABIC_INDIC + EASTERN_ARABIC_INDIC + "،؛؟.,!-()\"' aZé0123٫٬$+<=>^`|~€©")
    + list("ٱیکۀ")
)
raw_text = st.one_of(st.text(), st.text(alphabet=st.sampled_from(NASTY)))


def words(alphabet: list[str]) -> st.SearchStrategy[str]:
    word = st.text(alphabet=st.sampled_from(alphabet), min_size=1, max_size=8)
    return st.lists(word, min_size=1, max_size=8).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(raw_text)
def test_display_is_idempotent_and_has_no_forbidden_char(raw: str) -> None:
    out = display_text(raw)
    assert display_text(out) == out
    assert not FORBIDDEN_CHARS & set(out)
    assert "  " not in out and out == out.strip()


@settings(max_examples=300, deadline=None)
@given(raw_text)
def test_search_of_display_equals_search_of_raw(raw: str) -> None:
    out = search_form(raw)
    assert search_form(display_text(raw)) == out
    assert search_form(out) == out
    assert not FORBIDDEN_CHARS & set(out)


@given(words(list(string.ascii_letters + string.digits + string.punctuation)))
def test_clean_ascii_is_unchanged(text: str) -> None:
    assert display_text(text) == text


@given(words(LETTERS))
def test_clean_arabic_letters_are_unchanged(text: str) -> None:
    assert display_text(text) == text


@settings(max_examples=300, deadline=None)
@given(raw_text)
def test_search_has_no_punctuation_symbol_diacritic_or_arabic_digit(raw: str) -> None:
    out = search_form(raw)
    assert not [c for c in out if unicodedata.category(c)[0] in "PS"]
    assert not set(HARAKAT + list(ARABIC_INDIC + EASTERN_ARABIC_INDIC + "أإآٱىةیکۀ")) & set(out)
    assert out == out.lower()


@given(st.lists(st.integers(0, 9), min_size=1, max_size=12))
def test_search_maps_both_arabic_indic_digit_systems_to_ascii(digits: list[int]) -> None:
    ascii_form = "".join(map(str, digits))
    assert search_form("".join(ARABIC_INDIC[d] for d in digits)) == ascii_form
    assert search_form("".join(EASTERN_ARABIC_INDIC[d] for d in digits)) == ascii_form


@given(words(ARABIC_LETTERS), st.data())
def test_search_ignores_harakat_and_tatweel_inside_words(text: str, data: st.DataObject) -> None:
    marks = st.sampled_from([*HARAKAT, "\u0640"])
    marked = "".join(
        c + ("" if c == " " else "".join(data.draw(st.lists(marks, max_size=2)))) for c in text
    )
    assert search_form(marked) == search_form(text)


@given(st.lists(raw_text, max_size=6))
def test_paragraphs_are_non_empty_and_join_with_blank_line(paragraphs: list[str]) -> None:
    cleaned = display_paragraphs(paragraphs)
    assert all(cleaned) and all("\n" not in p for p in cleaned)
    assert join_paragraphs(cleaned).split("\n\n") == (cleaned or [""])


@pytest.mark.parametrize(
    ("raw", "display"),
    [
        ("بـــالاتفاق", "بالاتفاق"),  # tatweel
        ("لا\u200dإ\u200cله", "لاإله"),  # ZWJ, ZWNJ
        ("\u202bطرابلس\u202c \u2067ليبيا\u2069\u200f\u061c", "طرابلس ليبيا"),  # bidi controls
        ("الأمم\u00a0المتحدة\u2003\u3000 ترحب", "الأمم المتحدة ترحب"),  # NBSP, em/ideographic
        ("\ufefbجئ", "لاجئ"),  # lam-alef ligature presentation form
        ("\ufeffبيان", "بيان"),  # BOM
        ("سطر\nثان\r\nثالث\u2028رابع", "سطر ثان ثالث رابع"),  # line breaks inside a paragraph
        ("أإآٱؤئء ى ة", "أإآٱؤئء ى ة"),  # hamza forms, alef maqsura, teh marbuta kept
        ("إِعْلَانٌ", "إِعْلَانٌ"),  # diacritics kept
        ("٢٠٢٤ ۲۰۲۴ 2024، (قرار) «بيان»؟", "٢٠٢٤ ۲۰۲۴ 2024، (قرار) «بيان»؟"),  # digits, punct
        ("5+5 $1,000 ٣٫٥ ١٬٠٠٠", "5+5 $1,000 ٣٫٥ ١٬٠٠٠"),  # symbols, number separators
        ("پیام کابل ۀ", "پیام کابل ۀ"),  # Persian letters kept as published
    ],
)
def test_display_examples(raw: str, display: str) -> None:
    assert display_text(raw) == display


@pytest.mark.parametrize(
    ("raw", "search"),
    [
        ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),  # alef forms folded
        ("مستشفى المدينة", "مستشفي المدينه"),  # alef maqsura, teh marbuta
        ("إِعْلَانٌ دُسْتُورِيٌّ", "اعلان دستوري"),  # diacritics removed
        ("ا\u0670لرحمن", "الرحمن"),  # dagger alef removed
        ("٢٠٢٤ و۱۳", "2024 و13"),  # Arabic-Indic and Eastern Arabic-Indic digits
        ("UNSMIL، «الأمم المتحدة»؛ (ليبيا)؟", "unsmil الامم المتحده ليبيا"),  # punctuation
        ("Tripoli - UNSMIL Welcomes", "tripoli unsmil welcomes"),
        ("\ufefbجئ بـــالاتفاق", "لاجئ بالاتفاق"),  # yeh with hamza is not folded (Lucene)
        ("a$b+c<d=e>f^g`h|i~j €5 ©", "a b c d e f g h i j 5"),  # category S symbols
        ("اللجنة العسكرية 5+5", "اللجنه العسكريه 5 5"),
        ("1,000 و1.000.000 و١٬٠٠٠", "1000 و1000000 و1000"),  # thousands separators
        ("٣٫٥ و3.5", "35 و35"),  # decimal separator: one token
        ("1, 2. 3,a ,4", "1 2 3 a 4"),  # not between two digits: punctuation
        ("کابل ایران ۀ", "كابل ايران ه"),  # Persian keheh, yeh, heh with yeh folded
    ],
)
def test_search_examples(raw: str, search: str) -> None:
    assert search_form(raw) == search


def test_hash_ignores_what_search_folds_and_sees_words() -> None:
    assert content_hash(search_form("الأمم المتحدة، ٢٠٢٤")) == content_hash(
        search_form("الامم\u00a0المتحده 2024")
    )
    assert content_hash(search_form("اجتماع في طرابلس")) != content_hash(
        search_form("اجتماع في بنغازي")
    )
    assert len(content_hash("x")) == 64

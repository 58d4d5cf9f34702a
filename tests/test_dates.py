"""Published dates as UNSMIL pages show them, in both languages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unsmil_crawler.text.dates import MIN_YEAR, parse_published

NEXT_YEAR = datetime.now(UTC).year + 1


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("1 November 2024", "en", date(2024, 11, 1)),
        ("Tuesday, 1 November 2016", "en", date(2016, 11, 1)),
        ("01 Nov 2018", "en", date(2018, 11, 1)),
        ("November 1, 2024", "en", date(2024, 11, 1)),
        ("Tue, 1st Nov 2016 - 10:15am", "en", date(2016, 11, 1)),
        ("1 نوفمبر 2024", "ar", date(2024, 11, 1)),
        ("١ نوفمبر ٢٠٢٤", "ar", date(2024, 11, 1)),
        ("۱ نوفمبر ۲۰۲۴", "ar", date(2024, 11, 1)),
        ("الثلاثاء، ١ نوفمبر ٢٠١٦", "ar", date(2016, 11, 1)),
        ("الثلاثاء, 1 نوفمبر 2016", "ar", date(2016, 11, 1)),
        ("الاثنين ١٢ كانون الثاني ٢٠٢٠", "ar", date(2020, 1, 12)),
        ("١ تشرين الثاني/نوفمبر ٢٠١٦", "ar", date(2016, 11, 1)),
        ("15 أيار 2019", "ar", date(2019, 5, 15)),
        ("15 ايار 2019", "ar", date(2019, 5, 15)),  # hamza dropped by the site
        ("3 آب 2021", "ar", date(2021, 8, 3)),
        ("3 أغسطس 2021", "ar", date(2021, 8, 3)),
        ("3 جانفي 2020", "ar", date(2020, 1, 3)),
        ("20 أكتوبر 2020م", "ar", date(2020, 10, 20)),
        ("يوم الخميس ٢٩ فبراير ٢٠٢٤", "ar", date(2024, 2, 29)),
        ("1 November 2024", "ar", date(2024, 11, 1)),  # other language's names still work
        ("١٢ ديسمبر ٢٠١٩ م", "ar", date(2019, 12, 12)),  # AD marker written apart
        ("١٢ ديسمبر ٢٠١٩ ميلادية", "ar", date(2019, 12, 12)),
        ("١٢ ديسمبر 2019 10:30 مساءً", "ar", date(2019, 12, 12)),  # clock must not eat "م"
        ("12 ديسمبر 2019 ١٠:٣٠ صباحاً", "ar", date(2019, 12, 12)),
        ("12 ديسمبر 2019 10:30 م", "ar", date(2019, 12, 12)),
        ("الثلاثاء الموافق 1 نوفمبر 2016", "ar", date(2016, 11, 1)),
        ("1 نوفمبر 2016 الساعة 10:30", "ar", date(2016, 11, 1)),
        ("1 كانون أول 2016", "ar", date(2016, 12, 1)),  # Levantine names without the article
        ("1 تشرين أول 2016", "ar", date(2016, 10, 1)),
        ("1 تشرين ثاني 2016", "ar", date(2016, 11, 1)),
        ("1 كانون ثاني 2016", "ar", date(2016, 1, 1)),
        ("on 1 November 2024 at 10:30", "en", date(2024, 11, 1)),
        ("1 Nov 2016 10:15 p.m.", "en", date(2016, 11, 1)),
        ("November 1,2024", "en", date(2024, 11, 1)),  # no space after the comma
    ],
)
def test_parses_to_midnight_utc(text: str, lang: str, expected: date) -> None:
    parsed = parse_published(text, lang)
    assert parsed == datetime(expected.year, expected.month, expected.day, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "31 February 2024",
        "29 فبراير 2023",
        "31 نيسان 2020",
        "0 November 2024",
        "1 تشرين الثاني/ديسمبر 2016",  # two month names that disagree
        "November 2024",
        "1 November",
        "1 2 2024",
        "yesterday",
        "الأمم المتحدة ترحب",
        "Posted by UNSMIL on 1 November 2024",
        "",
        "   ",
        "1 November 2024 " * 30,
        "12 May 0019",  # years outside 1990 .. next year are typos
        "31 December 1989",
        f"1 January {NEXT_YEAR + 1}",
        "1 كانون خامس 2016",
    ],
)
def test_rejects_impossible_or_partial_dates(text: str) -> None:
    assert parse_published(text, "en") is None
    assert parse_published(text, "ar") is None


@given(st.text(), st.sampled_from(["ar", "en", "fr", ""]))
def test_never_raises_on_garbage(text: str, lang: str) -> None:
    result = parse_published(text, lang)
    assert result is None or (result.tzinfo is UTC and result.hour == 0)


@given(st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(NEXT_YEAR, 12, 31)))
def test_round_trips_every_calendar_day_of_the_accepted_range(day: date) -> None:
    english = day.strftime("%A, %d %B %Y")
    assert parse_published(english, "en") == datetime(day.year, day.month, day.day, tzinfo=UTC)


def test_accepted_year_range_is_1990_to_next_year() -> None:
    assert MIN_YEAR == 1990
    assert parse_published("1 January 1990", "en") == datetime(1990, 1, 1, tzinfo=UTC)
    assert parse_published(f"31 December {NEXT_YEAR}", "en") is not None

"""Site and language knowledge used to read dates: month and weekday names.

Data only, kept apart from the parsing logic in unsmil_crawler/text/dates.py. Names are
written as published; the parser folds them to the search form (text.clean.search_form)
before matching, so hamza and teh-marbuta spelling variants need not be listed twice.
Multi-word names (Levantine "كانون الثاني") are matched as whole phrases.
"""

from __future__ import annotations

MONTHS: dict[str, dict[str, int]] = {
    "ar": {
        # Egyptian / Gulf (transliterated Latin names)
        "يناير": 1,
        "فبراير": 2,
        "مارس": 3,
        "أبريل": 4,
        "إبريل": 4,
        "مايو": 5,
        "يونيو": 6,
        "يونية": 6,
        "يوليو": 7,
        "يولية": 7,
        "أغسطس": 8,
        "سبتمبر": 9,
        "أكتوبر": 10,
        "نوفمبر": 11,
        "ديسمبر": 12,
        # Maghrebi (Tunisia, Algeria: French-derived; Morocco: Spanish-derived)
        "جانفي": 1,
        "فيفري": 2,
        "أفريل": 4,
        "ماي": 5,
        "جوان": 6,
        "جويلية": 7,
        "يوليوز": 7,
        "أوت": 8,
        "غشت": 8,
        "شتنبر": 9,
        "نونبر": 11,
        "دجنبر": 12,
        # Levantine / Iraqi (Syriac names)
        "كانون الثاني": 1,
        "شباط": 2,
        "آذار": 3,
        "نيسان": 4,
        "أيار": 5,
        "حزيران": 6,
        "تموز": 7,
        "آب": 8,
        "أيلول": 9,
        "تشرين الأول": 10,
        "تشرين الثاني": 11,
        "كانون الأول": 12,
        # the same without the article, as some pages write them
        "كانون ثاني": 1,
        "تشرين أول": 10,
        "تشرين ثاني": 11,
        "كانون أول": 12,
    },
    "en": {
        "january": 1,
        "jan": 1,
        "february": 2,
        "feb": 2,
        "march": 3,
        "mar": 3,
        "april": 4,
        "apr": 4,
        "may": 5,
        "june": 6,
        "jun": 6,
        "july": 7,
        "jul": 7,
        "august": 8,
        "aug": 8,
        "september": 9,
        "sept": 9,
        "sep": 9,
        "october": 10,
        "oct": 10,
        "november": 11,
        "nov": 11,
        "december": 12,
        "dec": 12,
    },
}
"""{lang: {month name as published: month number}}."""

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "ar": ("الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"),
    "en": (
        "monday",
        "mon",
        "tuesday",
        "tue",
        "tues",
        "wednesday",
        "wed",
        "thursday",
        "thu",
        "thurs",
        "friday",
        "fri",
        "saturday",
        "sat",
        "sunday",
        "sun",
    ),
}
"""{lang: weekday names}: accepted and ignored (the day number is authoritative)."""

FILLER_WORDS: dict[str, tuple[str, ...]] = {
    "ar": (
        "يوم",  # "يوم الثلاثاء ١ نوفمبر"
        "الموافق",  # "الثلاثاء الموافق 1 نوفمبر 2016"
        "م",  # AD marker written apart: "١٢ ديسمبر ٢٠١٩ م" ("2019م" is read by the parser)
        "ميلادي",
        "ميلادية",
        "الساعة",  # "… الساعة 10:30" (the clock itself is cut out before matching)
        "صباحاً",  # "10:30 صباحاً": morning
        "ظهراً",  # noon
        "مساءً",  # evening
    ),
    "en": ("the", "of", "on", "at"),  # "on the 1st of November 2024 at 10:30"
}
"""{lang: words that may surround a date and carry no information}."""

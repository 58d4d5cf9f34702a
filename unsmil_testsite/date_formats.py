"""Date renderings found on the real site: one calendar date, many spellings.

The site never settled on one Arabic month naming (Levantine ``تشرين الثاني`` on some pages,
Egyptian ``نوفمبر``/``إبريل`` on others) nor on digits; the Drupal 7 English template adds a
weekday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import format_datetime

EN_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]
EN_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
AR_MONTHS_EGYPTIAN = [
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
    "أكتوبر", "نوفمبر", "ديسمبر",
]
AR_MONTHS_LEVANTINE = [
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
    "تشرين الأول", "تشرين الثاني", "كانون الأول",
]
AR_WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
LIBYA = timezone(timedelta(hours=2))

STYLES = ("plain", "weekday", "levantine", "indic", "levantine_indic", "ibril")


def month_name(lang: str, d: date) -> str:
    """Month name used inside body sentences (Egyptian names in Arabic, as the site's prose).

    >>> month_name("ar", date(2020, 4, 2)), month_name("en", date(2020, 4, 2))
    ('أبريل', 'April')
    """
    return (AR_MONTHS_EGYPTIAN if lang == "ar" else EN_MONTHS)[d.month - 1]


def shown_date(lang: str, d: date, template: str, style: str = "plain") -> str:
    """The date as printed in the page's date field.

    >>> shown_date("en", date(2016, 11, 1), "d7", "weekday")
    'Tuesday, 1 November 2016'
    >>> shown_date("ar", date(2014, 11, 1), "d7", "levantine_indic")
    '١ تشرين الثاني ٢٠١٤'
    >>> shown_date("ar", date(2016, 11, 1), "d7", "weekday")
    'الثلاثاء، 1 نوفمبر 2016'
    >>> shown_date("ar", date(2024, 11, 1), "d10")
    '1 نوفمبر 2024'
    """
    if lang == "en":
        text = f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"
        if template == "d7" and style == "weekday":
            text = f"{EN_WEEKDAYS[d.weekday()]}, {text}"
        return text
    months = AR_MONTHS_EGYPTIAN
    if template == "d7" and style.startswith("levantine"):
        months = AR_MONTHS_LEVANTINE
    month = months[d.month - 1]
    if template == "d7" and style == "ibril" and d.month == 4:
        month = "إبريل"
    text = f"{d.day} {month} {d.year}"
    if template == "d7" and style == "weekday":
        text = f"{AR_WEEKDAYS[d.weekday()]}، {text}"
    if template == "d7" and style.endswith("indic"):
        text = text.translate(ARABIC_INDIC)
    return text


def listing_date(lang: str, d: date) -> str:
    """Short date of listing rows ("01 Nov 2018").

    >>> listing_date("en", date(2018, 11, 1)), listing_date("ar", date(2018, 11, 1))
    ('01 Nov 2018', '01 نوفمبر 2018')
    """
    if lang == "en":
        return f"{d.day:02d} {EN_MONTHS[d.month - 1][:3]} {d.year}"
    return f"{d.day:02d} {AR_MONTHS_EGYPTIAN[d.month - 1]} {d.year}"


def machine_datetime(d: date, hour: int, utc_previous_day: bool) -> str:
    """ISO timestamp for ``<time datetime>``/``article:published_time``.

    With ``utc_previous_day`` it is written in UTC just before midnight, so its calendar date
    is the day before the date shown: extractors must trust the shown date.

    >>> machine_datetime(date(2024, 11, 1), 10, False)
    '2024-11-01T10:00:00+02:00'
    >>> machine_datetime(date(2024, 11, 1), 1, True)
    '2024-10-31T23:30:00Z'
    """
    if utc_previous_day:
        return f"{(d - timedelta(days=1)).isoformat()}T23:30:00Z"
    return datetime.combine(d, time(hour), LIBYA).isoformat()


def http_date(d: date) -> str:
    """RFC 7231 date (Last-Modified, RSS pubDate) at noon UTC of ``d``.

    >>> http_date(date(2024, 11, 1))
    'Fri, 01 Nov 2024 12:00:00 GMT'
    """
    return format_datetime(datetime.combine(d, time(12), UTC), usegmt=True)

"""Dates, weekdays, months and numbers as people write them in each language.

Pure tables, no Babel and no `locale` module: the C library's locales are often
missing on the machines we run on, and `strftime("%A")` would answer in the
process locale, not in the language the person chose. Every function takes an
optional `language` ("en", "sv", "da", "nb"); without it, the current language
of `_()` is used.

    format_date(d)             Tuesday 24 November | tisdag 24 november |
                               tirsdag den 24. november | tirsdag 24. november
    format_day_month(d)        24 November | 24 november | 24. november | 24. november
    format_date_numeric(d)     2026-11-24 | 2026-11-24 | 24.11.2026 | 24.11.2026
    format_datetime(t, numeric=True)  2026-11-24 14:05 | … | 24.11.2026 14.05 | 24.11.2026 14:05
    format_time(t)             14:05 | 14:05 | 14.05 | 14:05
    format_number(1234.5, 1)   1,234.5 | 1 234,5 | 1.234,5 | 1 234,5
    format_percent(45)         45% | 45 % | 45 % | 45 %

Swedish, Danish and Norwegian write weekday and month names in lower case, also
at the start of a line in a list; English capitalises them.
"""

from __future__ import annotations

from datetime import date, datetime, time

from . import current_language

NBSP = "\u00a0"  # keeps "1 234" and "45 %" together when a line wraps

WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    "da": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "nb": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
}
# Three letters, no full stop: for grids and chart axes where every cell is 3 wide.
WEEKDAYS_SHORT = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "sv": ("mån", "tis", "ons", "tor", "fre", "lör", "sön"),
    "da": ("man", "tir", "ons", "tor", "fre", "lør", "søn"),
    "nb": ("man", "tir", "ons", "tor", "fre", "lør", "søn"),
}
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"),
    "da": ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
           "september", "oktober", "november", "december"),
    "nb": ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
           "september", "oktober", "november", "desember"),
}
MONTHS_SHORT = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "sv": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "da": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "nb": ("jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des"),
}
# "{weekday}", "{day}", "{month}", "{year}" filled in by format_date.
_DATE_PATTERNS = {
    "en": ("{weekday} {day} {month}", "{weekday} {day} {month} {year}"),
    "sv": ("{weekday} {day} {month}", "{weekday} {day} {month} {year}"),
    "da": ("{weekday} den {day}. {month}", "{weekday} den {day}. {month} {year}"),
    "nb": ("{weekday} {day}. {month}", "{weekday} {day}. {month} {year}"),
}
_DAY_MONTH = {"en": "{day} {month}", "sv": "{day} {month}", "da": "{day}. {month}",
              "nb": "{day}. {month}"}
# Sweden writes dates as ISO 8601 in everyday use; Denmark and Norway day.month.year.
# English gets ISO too: "03/04" means different days in London and New York.
_NUMERIC = {"en": "{y:04d}-{m:02d}-{d:02d}", "sv": "{y:04d}-{m:02d}-{d:02d}",
            "da": "{d:02d}.{m:02d}.{y:04d}", "nb": "{d:02d}.{m:02d}.{y:04d}"}
# Day and month only, for chart ticks and legends.
_NUMERIC_DAY_MONTH = {"en": "{d:02d}/{m:02d}", "sv": "{d:02d}/{m:02d}", "da": "{d:02d}/{m:02d}",
                      "nb": "{d:02d}.{m:02d}."}
_TIME = {"en": "{h:02d}:{mi:02d}", "sv": "{h:02d}:{mi:02d}", "da": "{h:02d}.{mi:02d}",
         "nb": "{h:02d}:{mi:02d}"}
# (with a long date, with a numeric date): "kl." reads naturally after a spelled-out day
_DATE_TIME = {"en": ("{date}, {time}", "{date} {time}"), "sv": ("{date} kl. {time}", "{date} {time}"),
              "da": ("{date} kl. {time}", "{date} {time}"), "nb": ("{date} kl. {time}", "{date} {time}")}
_WEEK = {"en": ("week {n}", "w{n}"), "sv": ("vecka {n}", "v{n}"),
         "da": ("uge {n}", "u{n}"), "nb": ("uke {n}", "u{n}")}
_RELATIVE = {
    "en": ("today", "yesterday", "tomorrow"),
    "sv": ("i dag", "i går", "i morgon"),
    "da": ("i dag", "i går", "i morgen"),
    "nb": ("i dag", "i går", "i morgen"),
}
# decimal mark, thousands separator, smallest number that gets a separator
_NUMBERS = {
    "en": (".", ",", 1000),
    "sv": (",", NBSP, 10000),  # Språkrådet: four digits may stay together (4000)
    "da": (",", ".", 1000),
    "nb": (",", NBSP, 10000),  # Språkrådet (Norway) likewise
}
_PERCENT = {"en": "{n}%", "sv": "{n}" + NBSP + "%", "da": "{n}" + NBSP + "%",
            "nb": "{n}" + NBSP + "%"}


def _language(language: str | None) -> str:
    code = language or current_language()
    return code if code in WEEKDAYS else "en"


def _as_date(day: date | datetime) -> date:
    return day.date() if isinstance(day, datetime) else day


def weekday_name(day: date | int, language: str | None = None, *, short: bool = False) -> str:
    """The weekday of a date, or of a number (0 = Monday), e.g. "tisdag" / "tis"."""
    index = day if isinstance(day, int) else day.weekday()
    table = WEEKDAYS_SHORT if short else WEEKDAYS
    return table[_language(language)][index]


def weekday_names(language: str | None = None, *, short: bool = False) -> tuple[str, ...]:
    """All seven weekdays, Monday first (as every Nordic calendar starts the week)."""
    return (WEEKDAYS_SHORT if short else WEEKDAYS)[_language(language)]


def month_name(month: int | date, language: str | None = None, *, short: bool = False) -> str:
    """The name of a month (1 = January, or a date's month), e.g. "november" / "nov"."""
    number = month if isinstance(month, int) else month.month
    table = MONTHS_SHORT if short else MONTHS
    return table[_language(language)][number - 1]


def format_date(day: date | datetime, language: str | None = None, *, year: bool = False) -> str:
    """A date as a sentence would say it: "tisdag 24 november", "tirsdag den 24.
    november", "tirsdag 24. november", "Tuesday 24 November" (with the year on request)."""
    code = _language(language)
    day = _as_date(day)
    pattern = _DATE_PATTERNS[code][1 if year else 0]
    return pattern.format(weekday=WEEKDAYS[code][day.weekday()], day=day.day,
                          month=MONTHS[code][day.month - 1], year=day.year)


def format_day_month(day: date | datetime, language: str | None = None, *,
                     short: bool = False, year: bool = False) -> str:
    """Day and month without the weekday: "24 november", "24. nov" (short)."""
    code = _language(language)
    day = _as_date(day)
    month = (MONTHS_SHORT if short else MONTHS)[code][day.month - 1]
    text = _DAY_MONTH[code].format(day=day.day, month=month)
    return f"{text} {day.year}" if year else text


def format_date_numeric(day: date | datetime, language: str | None = None) -> str:
    """A date in digits, as forms write it: 2026-11-24 (sv, en), 24.11.2026 (da, nb)."""
    day = _as_date(day)
    return _NUMERIC[_language(language)].format(y=day.year, m=day.month, d=day.day)


def format_day_month_numeric(day: date | datetime, language: str | None = None) -> str:
    """Day and month in digits, for chart ticks: 05/03 (en, sv, da), 05.03. (nb)."""
    day = _as_date(day)
    return _NUMERIC_DAY_MONTH[_language(language)].format(m=day.month, d=day.day)


def format_month_year(day: date | datetime, language: str | None = None, *, short: bool = True) -> str:
    """Month and year for a long chart axis: "nov 2026" / "Nov 2026" (short=False:
    "november 2026")."""
    day = _as_date(day)
    return f"{month_name(day.month, language, short=short)} {day.year}"


def format_time(moment: time | datetime, language: str | None = None) -> str:
    """A clock time, 24-hour: 14:05 (14.05 in Danish)."""
    return _TIME[_language(language)].format(h=moment.hour, mi=moment.minute)


def format_datetime(moment: datetime, language: str | None = None, *, year: bool = True,
                    numeric: bool = False) -> str:
    """Date and time: "tisdag 24 november 2026 kl. 14:05"; with numeric=True, for
    lists and exports: "2026-11-24 14:05" (en, sv), "24.11.2026 14.05" (da),
    "24.11.2026 14:05" (nb)."""
    code = _language(language)
    when = format_date_numeric(moment, code) if numeric else format_date(moment, code, year=year)
    return _DATE_TIME[code][numeric].format(date=when, time=format_time(moment, code))


def format_week(week: int, language: str | None = None, *, short: bool = False) -> str:
    """An ISO week number as the calendar on the wall names it: "vecka 47" / "v47"."""
    long_form, short_form = _WEEK[_language(language)]
    return (short_form if short else long_form).format(n=week)


def relative_day(day: date | datetime, today: date, language: str | None = None) -> str:
    """ "today", "yesterday" or "tomorrow" when it is one of those, else the long date."""
    code = _language(language)
    offset = (_as_date(day) - today).days
    if offset in (0, -1, 1):
        return _RELATIVE[code][{0: 0, -1: 1, 1: 2}[offset]]
    return format_date(day, code, year=_as_date(day).year != today.year)


def format_number(value: float, decimals: int | None = None, language: str | None = None) -> str:
    """A number with the language's decimal mark and digit grouping: 3,5 and
    12 345 in Swedish and Norwegian, 12.345 in Danish. `decimals=None` shows a
    whole number without decimals and anything else with at most two."""
    decimal_mark, separator, threshold = _NUMBERS[_language(language)]
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
        text = f"{abs(value):.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{abs(value):.{decimals}f}"
    whole, _dot, fraction = text.partition(".")
    if abs(value) >= threshold:
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = separator.join([whole, *groups])
    sign = "-" if value < 0 and float(text) != 0 else ""
    return sign + whole + (decimal_mark + fraction if fraction else "")


def format_percent(value: float, language: str | None = None, decimals: int = 0) -> str:
    """A percentage: "45%" in English, "45 %" (no break) in Swedish, Danish, Norwegian."""
    return _PERCENT[_language(language)].format(n=format_number(value, decimals, language))

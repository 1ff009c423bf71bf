"""Dates, weekdays, months and numbers read naturally in each language."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from recoveryjournal import i18n
from recoveryjournal.i18n import formats

TUESDAY = date(2026, 11, 24)
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Tuesday 24 November"),
        ("sv", "tisdag 24 november"),
        ("da", "tirsdag den 24. november"),
        ("nb", "tirsdag 24. november"),
    ],
)
def test_long_date(language, expected):
    assert formats.format_date(TUESDAY, language) == expected
    assert formats.format_date(TUESDAY, language, year=True) == expected + " 2026"


def test_the_current_language_is_the_default():
    i18n.set_language("sv")
    assert formats.format_date(TUESDAY) == "tisdag 24 november"
    i18n.set_language("da")
    assert formats.format_date(datetime(2026, 11, 24, 9, 5)) == "tirsdag den 24. november"


def test_every_weekday_and_month_in_every_language():
    week = [date(2026, 11, 23 + i) for i in range(7)]  # Monday to Sunday
    assert [formats.weekday_name(d, "sv") for d in week] == [
        "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
    assert [formats.weekday_name(d, "da") for d in week] == [
        "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
    assert [formats.weekday_name(d, "nb", short=True) for d in week] == [
        "man", "tir", "ons", "tor", "fre", "lør", "søn"]
    assert formats.weekday_names("en", short=True)[0] == "Mon"
    assert formats.weekday_name(6, "sv") == "söndag"
    assert [formats.month_name(m, "nb") for m in (5, 12)] == ["mai", "desember"]
    assert [formats.month_name(m, "da") for m in (3, 5)] == ["marts", "maj"]
    assert [formats.month_name(m, "sv") for m in (3, 5)] == ["mars", "maj"]
    assert formats.month_name(10, "sv", short=True) == "okt"
    for language in i18n.LANGUAGES:
        assert len(set(formats.weekday_names(language))) == 7
        assert len({formats.month_name(m, language) for m in range(1, 13)}) == 12
        # short names fit the three-cell columns of the charts
        assert all(len(n) == 3 for n in formats.weekday_names(language, short=True))
        assert all(len(formats.month_name(m, language, short=True)) == 3 for m in range(1, 13))


@pytest.mark.parametrize(
    ("language", "numeric", "day_month", "time_text", "moment", "listed"),
    [
        ("en", "2026-11-24", "05/03", "14:05", "Tuesday 24 November 2026, 14:05", "2026-11-24 14:05"),
        ("sv", "2026-11-24", "05/03", "14:05", "tisdag 24 november 2026 kl. 14:05", "2026-11-24 14:05"),
        ("da", "24.11.2026", "05/03", "14.05", "tirsdag den 24. november 2026 kl. 14.05",
         "24.11.2026 14.05"),
        ("nb", "24.11.2026", "05.03.", "14:05", "tirsdag 24. november 2026 kl. 14:05", "24.11.2026 14:05"),
    ],
)
def test_numeric_dates_and_times(language, numeric, day_month, time_text, moment, listed):
    when = datetime(2026, 11, 24, 14, 5)
    assert formats.format_date_numeric(when, language) == numeric
    assert formats.format_day_month_numeric(date(2026, 3, 5), language) == day_month
    assert formats.format_time(time(14, 5), language) == time_text
    assert formats.format_datetime(when, language) == moment
    assert formats.format_datetime(when, language, numeric=True) == listed


def test_english_reads_as_the_app_printed_before():
    """Swapping strftime for these tables changes nothing for English readers."""
    when = datetime(2026, 3, 5, 9, 7)
    assert formats.format_datetime(when, "en", numeric=True) == f"{when:%Y-%m-%d %H:%M}"
    assert formats.format_date(when, "en") == f"{when:%A} {when.day} {when:%B}"
    assert formats.format_day_month_numeric(when, "en") == when.strftime("%d/%m")
    assert formats.format_month_year(when, "en") == when.strftime("%b %Y")
    assert formats.month_name(when, "en", short=True) == when.strftime("%b")
    assert formats.weekday_name(when, "en", short=True) == when.strftime("%a")


def test_day_month_week_and_month_year():
    assert formats.format_day_month(TUESDAY, "da") == "24. november"
    assert formats.format_day_month(TUESDAY, "sv", short=True) == "24 nov"
    assert formats.format_day_month(TUESDAY, "en", year=True) == "24 November 2026"
    assert formats.format_week(48, "sv") == "vecka 48"
    assert formats.format_week(48, "da") == "uge 48"
    assert formats.format_week(48, "nb", short=True) == "u48"
    assert formats.format_month_year(TUESDAY, "nb") == "nov 2026"
    assert formats.format_month_year(date(2026, 12, 1), "nb", short=False) == "desember 2026"


def test_relative_days():
    assert formats.relative_day(TUESDAY, TUESDAY, "sv") == "i dag"
    assert formats.relative_day(date(2026, 11, 23), TUESDAY, "da") == "i går"
    assert formats.relative_day(date(2026, 11, 25), TUESDAY, "nb") == "i morgen"
    assert formats.relative_day(date(2026, 11, 20), TUESDAY, "nb") == "fredag 20. november"
    assert formats.relative_day(date(2025, 11, 20), TUESDAY, "en") == "Thursday 20 November 2025"


@pytest.mark.parametrize(
    ("language", "value", "decimals", "expected"),
    [
        ("en", 3.5, 1, "3.5"),
        ("sv", 3.5, 1, "3,5"),
        ("da", 3.5, 1, "3,5"),
        ("nb", 3.5, 1, "3,5"),
        ("sv", 3.0, None, "3"),
        ("sv", 2.25, None, "2,25"),
        ("sv", 1 / 3, None, "0,33"),
        ("en", 12345.5, 1, "12,345.5"),
        ("sv", 12345.5, 1, f"12{NBSP}345,5"),
        ("nb", 1234567, 0, f"1{NBSP}234{NBSP}567"),
        ("da", 12345, 0, "12.345"),
        ("da", 1234, 0, "1.234"),
        ("sv", 1234, 0, "1234"),  # four digits stay together in Swedish and Norwegian
        ("sv", -2.5, 1, "-2,5"),
        ("sv", -0.01, 1, "0,0"),  # no "minus zero"
    ],
)
def test_numbers(language, value, decimals, expected):
    assert formats.format_number(value, decimals, language) == expected


def test_percent():
    assert formats.format_percent(45, "en") == "45%"
    for language in ("sv", "da", "nb"):
        assert formats.format_percent(45, language) == f"45{NBSP}%"
    assert formats.format_percent(37.5, "da", decimals=1) == f"37,5{NBSP}%"


def test_formats_use_no_process_locale(monkeypatch):
    """strftime("%A") answers in the C library's locale; ours must not."""
    monkeypatch.setenv("LC_ALL", "C")
    assert formats.format_date(TUESDAY, "sv") == "tisdag 24 november"

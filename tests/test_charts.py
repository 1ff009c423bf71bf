"""Charts as text: each one fits its size, says what it shows, and copes with no data."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from recoveryjournal import charts, insights
from recoveryjournal.charts import ChartColours
from recoveryjournal.insights import Wave, Weekly
from recoveryjournal.records import Checkin, Meeting, Urge, Use


ZONE = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 3, 31)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
COLOUR = ChartColours(text=(200, 200, 200))


def _urges() -> list[Urge]:
    urges = []
    for day in range(80):
        for n in range(1 + day % 3):
            urges.append(Urge(
                addiction=("alcohol", "gambling")[n % 2], intensity=3 + (day + n) % 7,
                intensity_after=(1 + n) if day % 2 else None,
                trigger=("stress", "stress", "people", "payday")[(day + n) % 4],
                coping=[("delay", "call", "urge-surfing")[day % 3]],
                outcome="acted" if day % 11 == 0 else "resisted",
                when=datetime(2026, 1, 11, 19, tzinfo=ZONE) + timedelta(days=day, hours=n)))
    return urges


URGES = _urges()


def every_chart(width: int, height: int, colours: ChartColours = charts.PLAIN) -> dict[str, str]:
    uses = [Use(addiction="alcohol", when=datetime(2026, 3, d, 21, tzinfo=ZONE)) for d in (3, 17)]
    checkins = [Checkin(items=[2 + i % 3] * 5, when=datetime(2026, 1, 4, tzinfo=ZONE) + timedelta(weeks=i))
                for i in range(12)]
    meetings = [Meeting(group="Tuesday", when=datetime(2026, 1, 6, 18, tzinfo=ZONE) + timedelta(weeks=i))
                for i in range(12)]
    waves = [Wave(datetime(2026, 3, d, tzinfo=ZONE), [7, 9, 6, 4, 2]) for d in (2, 9, 16)]
    return {
        "urges": charts.urges_per_week(insights.urges_per_week(URGES, TODAY, weeks=12), width, height, colours),
        "intensity": charts.intensity_trend(insights.intensity_trend(URGES, TODAY, weeks=12), width, height, colours),
        "resisted": charts.share_resisted(insights.resisted_per_week(URGES, TODAY, weeks=12), width, height, colours),
        "triggers": charts.top_triggers(insights.top_triggers(URGES), width, height, colours),
        "coping": charts.coping_tools(insights.coping_that_worked(URGES), width, height, colours),
        "heatmap": charts.hour_weekday_heatmap(insights.hour_weekday(URGES), width, height, colours),
        "calendar": charts.use_calendar(insights.use_calendar(uses, TODAY, 84), TODAY, 84, width, height, colours),
        "who5": charts.who5_line(insights.who5_over_time(checkins), width, height, colours),
        "meetings": charts.meetings_beside_urges(
            insights.meetings_and_urges_per_week(meetings, URGES, TODAY, weeks=12), width, height, colours),
        "balance": charts.lifestyle_balance([("health", 6), ("family", 8), ("money", 3)], width, height, colours),
        "waves": charts.urge_waves(waves, width, height, colours),
    }


@pytest.mark.parametrize(("width", "height"), [(76, 18), (60, 12), (196, 40)])
def test_every_chart_fits_its_size(width, height):
    for name, text in every_chart(width, height).items():
        lines = text.split("\n")
        assert len(lines) <= height, f"{name} has {len(lines)} lines for a height of {height}"
        assert max(len(line) for line in lines) <= width, f"{name} is wider than {width}"


def test_each_chart_says_what_it_shows():
    shown = every_chart(76, 18)
    assert "Urges per week" in shown["urges"] and "alcohol" in shown["urges"] and "gambling" in shown["urges"]
    assert "w14" in shown["urges"]  # the ISO week of 31 March 2026 labels the last bar
    assert "when logged" in shown["intensity"] and "after coping" in shown["intensity"]
    assert "urges resisted in this range" in shown["resisted"]
    assert shown["triggers"].index("stress") < shown["triggers"].index("payday")
    assert "Waiting it out" in shown["coping"] and "delay" not in shown["coping"]  # words, not ids
    assert "Mon" in shown["heatmap"] and "Sun" in shown["heatmap"] and "23" in shown["heatmap"]
    assert shown["calendar"].count("●") == 3  # two uses plus the legend's own ●
    assert "2 days with a use" in shown["calendar"]
    assert "50%" in shown["who5"]
    assert "meetings" in shown["meetings"] and "urges" in shown["meetings"]
    assert "family" in shown["balance"] and shown["balance"].rstrip().endswith("3")
    assert "minute 0" in shown["waves"] and "minute 4" in shown["waves"]


def test_the_who5_chart_draws_the_50_percent_line():
    text = every_chart(76, 18)["who5"]
    line_50 = next(line for line in text.split("\n") if line.strip().startswith("50"))
    assert line_50.count("─") > 40


def test_colour_only_when_asked_and_in_the_given_colours():
    plain = every_chart(76, 18)
    coloured = every_chart(76, 18, COLOUR)
    for name in plain:
        assert "\x1b" not in plain[name], name
        assert "\x1b[" in coloured[name], name
    assert "38;2;86;156;214" in coloured["urges"]  # the first series colour
    assert ANSI.sub("", coloured["triggers"]) == plain["triggers"]


def test_nothing_to_show_is_said_calmly():
    empty = Weekly(insights.weeks_back(TODAY, 4))
    assert "No urges logged" in charts.urges_per_week(empty, 76, 16)
    assert "No urges logged" in charts.intensity_trend(Weekly(empty.weeks, {"before": [None] * 4}), 76, 16)
    assert "No urges logged" in charts.hour_weekday_heatmap([[0] * 24 for _d in range(7)], 76, 16)
    assert "No well-being check-ins" in charts.who5_line([], 76, 16)
    assert "No urge-surfing sessions" in charts.urge_waves([], 76, 16)
    assert "No lifestyle-balance exercise" in charts.lifestyle_balance(None, 76, 16)
    assert "No triggers noted" in charts.top_triggers([], 76, 16)
    assert "0 days with a use" in charts.use_calendar({}, TODAY, 28, 76, 16)


def test_a_single_checkin_still_shows():
    text = charts.who5_line([(TODAY, 64)], 76, 16)
    assert "●" in text


def test_a_chart_does_not_leak_into_the_next():
    # plotext keeps one global figure: a title or a right-hand axis must not survive.
    meetings = every_chart(76, 18)["meetings"]
    assert "right scale" in meetings
    after = charts.share_resisted(insights.resisted_per_week(URGES, TODAY, weeks=12), 76, 18)
    assert "right scale" not in after and "meetings" not in after


def test_long_ranges_are_merged_into_fewer_bars():
    weekly = insights.urges_per_week(URGES, TODAY, weeks=520)
    merged, per_bar = charts.fit_weeks(weekly, 20)
    assert per_bar == 26 and len(merged.weeks) == 20
    assert merged.total("alcohol") == weekly.total("alcohol")
    assert merged.weeks[-1] <= TODAY < merged.weeks[-1] + timedelta(weeks=per_bar)
    text = charts.urges_per_week(weekly, 76, 16)
    assert re.search(r"\b[A-Z][a-z]{2} 20\d\d\b", text)  # month and year label merged bars


def test_fit_weeks_recomputes_the_share_from_counts():
    weekly = Weekly(insights.weeks_back(TODAY, 4),
                    {"share": [100, 0, 50, None], "resisted": [1, 0, 1, 0], "acted": [0, 3, 1, 0]})
    merged, per_bar = charts.fit_weeks(weekly, 2)
    assert per_bar == 2
    assert merged.series["share"] == [25, 50]  # 1 of 4, then 1 of 2


def test_week_labels_are_iso_week_numbers_ending_this_week():
    weeks = insights.weeks_back(TODAY, 12)
    positions, labels = charts.week_labels(weeks, 4)
    assert positions[-1] == 12 and labels[-1] == "w14"
    assert len(labels) <= 4


def test_hostile_trigger_names_are_drawn_as_plain_text():
    hostile = "[/bold] [@click=app.quit]x[/] \x1b[31mred"
    from recoveryjournal.safetext import one_line

    text = charts.top_triggers([(one_line(hostile, 40), 3)], 76, 10, COLOUR)
    assert "[/bold] [@click=app.quit" in text  # shown literally (cut to the label width)
    assert "\x1b[31m" not in text


def test_charts_sit_on_the_themes_background_not_in_a_white_box():
    # plotext paints canvas and axes ANSI white; no background code may survive.
    coloured = every_chart(76, 18, COLOUR)
    for name, text in coloured.items():
        assert not re.search(r"\x1b\[(48;|4[0-9]m|10[0-7]m)", text), name


def test_axis_labels_are_readable_in_every_built_in_theme():
    from textual.app import App
    from textual.theme import BUILTIN_THEMES

    from recoveryjournal.tui.widgets.chart import theme_colours

    app = App()
    for name in BUILTIN_THEMES:
        app.theme = name
        variables = app.get_css_variables()
        colours = theme_colours(variables)
        if variables["background"].startswith("ansi"):
            assert colours.text is None  # the terminal's own text colour on its own background
            continue
        background = tuple(int(variables["background"][i:i + 2], 16) for i in (1, 3, 5))
        # WCAG AA for text: 4.5:1; the dots of empty days are graphics: 3:1.
        assert charts.contrast_ratio(colours.text, background) >= 4.5, name
        assert charts.contrast_ratio(colours.muted, background) >= 3.0, name
    # The case from the report: light grey on near-white is far from readable.
    assert charts.contrast_ratio((224, 224, 224), (246, 246, 239)) < 1.5
    assert charts.contrast_ratio(charts.readable_on((224, 224, 224), (246, 246, 239)),
                                 (246, 246, 239)) >= 4.5


def test_without_colour_stacked_series_differ_by_shade():
    weekly = Weekly([TODAY - timedelta(weeks=w) for w in (2, 1, 0)])
    weekly.series["alcohol"] = [2, 3, 4]
    weekly.series["gambling"] = [4, 3, 2]
    text = charts.urges_per_week(weekly, 60, 14, charts.PLAIN)
    assert "\x1b" not in text
    assert "█" in text and "▒" in text
    assert "█ alcohol" in text and "▒ gambling" in text  # the legend says which is which


def test_the_use_calendar_does_not_count_days_before_tracking_began():
    # Day one of the journal: one day counted, not 84 "use-free" days before it.
    text = charts.use_calendar({}, TODAY, 84, 76, 16, since=TODAY)
    assert "0 days with a use in the 1 day since tracking began" in text
    assert "in the last 84 days" not in text
    assert text.count("·") == 2  # the legend and today; the days before are blank


def test_counts_of_one_are_singular():
    grid = [[0] * 24 for _day in range(7)]
    grid[2][9] = 1
    assert "most: 1 urge in one hour slot" in charts.hour_weekday_heatmap(grid, 76, 16)
    weekly = Weekly([TODAY])
    weekly.series.update({"share": [100], "resisted": [1], "acted": [0]})
    assert "1 of 1 urge resisted" in charts.share_resisted(weekly, 60, 14)


def test_a_single_checkin_is_one_dot():
    text = charts.who5_line([(TODAY, 60)], 60, 12)
    assert text.count("●") == 1
    assert not re.search("[\u2801-\u28ff]", text)  # no braille dot beside it


def test_long_titles_wrap_instead_of_being_cut():
    title = "Surf på trangen: styrken gennem hver runde, minut for minut, hver gang"
    waves = [Wave(when=datetime(2026, 3, 1, 10, tzinfo=ZoneInfo("Europe/Stockholm")),
                  ratings=[8, 6, 4])]
    import recoveryjournal.charts as module

    original = module._
    module._ = lambda text: title if text.startswith("Urge surfing:") else original(text)
    try:
        text = charts.urge_waves(waves, 40, 16)
    finally:
        module._ = original
    words = " ".join(line.strip() for line in text.splitlines()[:3])
    assert title in words
    assert len(text.splitlines()) <= 16


def test_axes_have_no_decimal_points_to_translate():
    from recoveryjournal.i18n import set_language

    set_language("sv")
    try:
        text = every_chart(76, 18)
    finally:
        set_language("en")
    for name in ("intensity", "who5", "waves", "resisted"):
        axis = [line.split("┤")[0] for line in text[name].splitlines() if "┤" in line]
        assert axis and not any("." in label for label in axis), (name, axis)


def test_amount_against_limit_draws_the_line_and_counts_days_kept():
    from datetime import date as _date

    today = _date(2026, 3, 31)
    amounts = {today: 3.0, today - timedelta(days=2): 1.0}
    text = charts.amount_against_limit(amounts, 2, "day", today, 14, 76, 16)
    assert "Amount per day against my limit" in text
    # 14 days, one over the limit (3 > 2): 13 kept.
    assert "13 of 14 days within my limit of 2" in text
    lines = text.split("\n")
    assert len(lines) <= 16 and max(map(len, lines)) <= 76
    weekly = charts.amount_against_limit(amounts, 5, "week", today, 28, 76, 16)
    # 28 days from 4 March (a Wednesday) touch 5 weeks; this week holds 3 (kept).
    assert "5 of 5 weeks within my limit of 5" in weekly


def test_ten_years_of_daily_points_are_drawn_as_at_most_two_a_column():
    """A mood every day for ten years in 76 columns: the line is drawn from at most
    two points a column (the mean of the days in each), and the note still counts
    every day."""
    days = [TODAY - timedelta(days=n) for n in range(3650)][::-1]
    points = [(day, 1 + n % 5) for n, day in enumerate(days)]
    xs, ys = charts._thinned([(day - days[0]).days for day, _m in points],
                             [m for _d, m in points], 76)
    assert len(xs) <= 152 and (xs[0], ys[0]) == (12, 3)  # the first 25 days, 1..5 five times
    text = charts.mood_line(points, 76, 16, first=days[0], last=TODAY)
    assert "3650 days with a mood; on average 3" in text
    short = [(day, 3) for day in days[-30:]]
    assert charts._thinned(list(range(30)), [3] * 30, 76) == (list(range(30)), [3] * 30)
    assert "30 days with a mood" in charts.mood_line(short, 76, 16)

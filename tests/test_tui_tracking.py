"""Urge now, the check-in and Progress, driven with Pilot at 80x24."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.app import App

from recoveryjournal import demo
from recoveryjournal.journal import Journal
from recoveryjournal.records import Checkin, ExerciseResponse, Mood, Urge
from recoveryjournal.tui.screens.checkin import CheckinScreen
from recoveryjournal.tui.screens.progress import CHARTS, ProgressScreen
from recoveryjournal.tui.screens.urge_now import UrgeNowScreen
from recoveryjournal.tui.widgets.scale import Scale

from helpers import PASSPHRASE
from helpers.scale_keys import check_scale_keys


APP_CSS = Path(__file__).resolve().parent.parent / "src" / "recoveryjournal" / "tui" / "app.tcss"
ZONE = ZoneInfo("Europe/Stockholm")
FIXED_NOW = datetime(2026, 3, 31, 20, 15, tzinfo=ZONE)
HOSTILE = "[/bold] [@click=app.quit]x[/] \x1b[31mred"


class ScreenApp(App):
    """A tiny app holding one of our screens, with the real app's shared styles."""

    CSS_PATH = str(APP_CSS)

    def __init__(self, make_screen):
        super().__init__()
        self.make_screen = make_screen
        self.clock = lambda: FIXED_NOW

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())


@pytest.fixture
def one_addiction(tmp_path):
    journal, _code = Journal.create(tmp_path / "one.db", PASSPHRASE, addictions=["alcohol"])
    yield journal
    journal.lock()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo journal is written once per module (hundreds of single-record
    transactions), then each test opens its own copy."""
    from recoveryjournal.vault import crypto

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(crypto, "KDF_FLOOR",
                      crypto.KdfParams(salt=b"", memory_kib=64, iterations=1, lanes=1))
        journal, _code = Journal.create(path, PASSPHRASE)
        demo.populate(journal, days=90, seed=7, today=FIXED_NOW.date())
        journal.lock()
    return path


@pytest.fixture
def demo_journal(demo_file, tmp_path):
    copy = tmp_path / "demo.db"
    copy.write_bytes(demo_file.read_bytes())
    journal = Journal.open(copy, PASSPHRASE)
    journal.load()  # as the unlock screen does: the app's worker thread must not read SQLite
    yield journal
    journal.lock()


def footer_text(app: App) -> str:
    from textual.widgets._footer import FooterKey

    return " ".join(f"{key.key_display} {key.description}" for key in app.screen.query(FooterKey))


def visible(app: App) -> str:
    """The text of every Static and list option on the screen that is displayed."""
    from textual.widgets import OptionList, Static

    texts = [str(w.render()) for w in app.screen.query(Static) if w.display and w.region]
    for options in app.screen.query(OptionList):
        if options.display and options.region:
            texts += [str(option.prompt) for option in options.options]
    return "\n".join(texts)


# ---- urge now ---------------------------------------------------------------------------


async def test_urge_now_end_to_end_saves_first_and_updates_at_the_end(journal):
    app = ScreenApp(lambda: UrgeNowScreen(journal))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Which addiction" in visible(app)
        await pilot.press("down", "enter")  # gambling
        await pilot.press("8", "enter")
        await pilot.pause()
        assert "What set it off?" in visible(app)
        await pilot.press("c")  # straight to what helps; the urge log can wait
        await pilot.pause()
        [urge] = journal.records(Urge)
        assert (urge.addiction, urge.intensity, urge.intensity_after) == ("gambling", 8, None)
        assert urge.when == FIXED_NOW
        assert "Saved: an urge of 8 out of 10" in visible(app)

        await pilot.press("enter")  # the first tool: urge surfing with a timer
        await pilot.pause()
        screen = app.screen
        assert "10:00 left" in visible(app)
        screen.tick(60)
        await pilot.press("9")
        screen.tick(60)
        await pilot.press("4")
        await pilot.pause()
        assert "08:00 left" in visible(app) and "minute 3" in visible(app)
        await pilot.press("d")
        await pilot.press("2", "enter")
        await pilot.pause()
        assert "Now that it has eased: What set it off?" in visible(app)
        await pilot.press("c")  # done with these questions
        await pilot.pause()
        await pilot.press("enter")  # "I got through it without using"
        await pilot.pause()
        assert "from 8 to 2" in visible(app)

    [urge] = journal.records(Urge)
    assert (urge.intensity, urge.intensity_after, urge.outcome) == (8, 2, "resisted")
    assert urge.coping == ["urge-surfing"]
    [wave] = [r for r in journal.records(ExerciseResponse) if r.exercise_id == "urge-surfing"]
    # Minute 0 is the rating the timer started with; minute 1 went unrated.
    assert [reading["strength"] for reading in wave.answers["wave"]] == [8, 9, 4]
    assert [reading["minute"] for reading in wave.answers["wave"]] == [0, 2, 3]


async def test_one_tracked_addiction_is_preselected(one_addiction):
    app = ScreenApp(lambda: UrgeNowScreen(one_addiction))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "How strong is the urge (alcohol)" in visible(app)
        await pilot.press("7", "enter")
        await pilot.pause()
    assert [(u.addiction, u.intensity) for u in one_addiction.records(Urge)] == [("alcohol", 7)]


async def test_leaving_halfway_keeps_the_logged_urge(one_addiction):
    app = ScreenApp(lambda: UrgeNowScreen(one_addiction))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("right", "right", "enter")  # 5 -> 7 with the arrows
        await pilot.press("c")  # past the urge log
        await pilot.press("down", "enter")  # the delay plan
        await pilot.pause()
        assert "15:00 left" in visible(app)
        await pilot.press("escape")  # back to the list of tools
        await pilot.press("escape")  # and out
        await pilot.pause()
        assert not isinstance(app.screen, UrgeNowScreen)
    [urge] = one_addiction.records(Urge)
    assert (urge.intensity, urge.coping, urge.intensity_after) == (7, ["delay"], None)


async def test_acting_on_the_urge_is_recorded_without_shame(one_addiction):
    app = ScreenApp(lambda: UrgeNowScreen(one_addiction))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("9", "enter", "c", "d", "6", "enter", "c", "down", "enter")
        await pilot.pause()
        text = visible(app).lower()
        assert "from 9 to 6" in text
        for word in ("fail", "relapse", "reset", "dirty", "clean"):
            assert word not in text
    [urge] = one_addiction.records(Urge)
    assert (urge.outcome, urge.intensity_after) == ("acted", 6)


async def test_the_call_tool_lists_the_safety_plan_people_literally(one_addiction):
    one_addiction.add(ExerciseResponse(exercise_id="safety-plan", finished=True,
                                       answers={"who_to_call": ["Anna 070-123", HOSTILE]}))
    app = ScreenApp(lambda: UrgeNowScreen(one_addiction))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("5", "enter", "c", "down", "down", "down", "enter")
        await pilot.pause()
        text = visible(app)
        assert "Anna 070-123" in text
        assert "[@click=app.quit]x[/]" in text  # shown as typed, not as markup
        assert "\x1b" not in text
        assert app.is_running
    assert one_addiction.records(Urge)[0].coping == ["call"]


async def test_a_lock_during_urge_surfing_keeps_the_wave(one_addiction):
    app = ScreenApp(lambda: UrgeNowScreen(one_addiction))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("6", "enter", "c", "enter")
        await pilot.press("6")  # the same strength in minute 1 is a rating too
        app.screen.tick(60)
        await pilot.press("8")
        app.screen.save_draft()  # what the app does before locking
    [wave] = one_addiction.records(ExerciseResponse)
    assert [(r["minute"], r["strength"]) for r in wave.answers["wave"]] == [(0, 6), (1, 6), (2, 8)]


async def test_enter_during_urge_surfing_notes_the_rating_and_stays(one_addiction):
    app = ScreenApp(lambda: UrgeNowScreen(one_addiction))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("8", "enter", "c", "enter")  # rated 8, straight to coping: urge surfing
        await pilot.pause()
        screen = app.screen
        screen.tick(30)
        await pilot.press("6", "enter")  # minute 1: six, and Enter confirms it
        await pilot.pause()
        assert screen.step == "tool" and "09:" in visible(app)  # still surfing
        [wave] = one_addiction.records(ExerciseResponse)
        assert [(r["minute"], r["strength"]) for r in wave.answers["wave"]] == [(0, 8), (1, 6)]
        # The re-rate starts at the last rating given, not at the first.
        await pilot.press("d")
        await pilot.pause()
        assert screen.query_one("#rate-after").value == 6


async def test_leaving_a_running_timer_asks_first(one_addiction):
    from recoveryjournal.tui.widgets.confirm import ConfirmScreen

    app = ScreenApp(lambda: UrgeNowScreen(one_addiction))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("8", "enter", "c", "enter")
        await pilot.pause()
        screen = app.screen
        screen.tick(90)
        await pilot.press("5")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        # (The real one-second timer runs too: a slow machine may show 08:29.)
        assert "still running (08:" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("enter")  # the safe answer has the focus: keep going
        await pilot.pause()
        assert app.screen is screen and screen.step == "tool"
        await pilot.press("escape", "y")  # stop it this time
        await pilot.pause()
        assert screen.step == "cope"
        await pilot.press("enter")  # urge surfing again: it goes on where it was
        await pilot.pause()
        assert "08:" in visible(app) and screen.elapsed >= 90
        assert [r["strength"] for r in screen.wave] == [8, 5]


@pytest.mark.parametrize("scale_id, keys_to_it", [
    ("rate-before", ()),
    ("rate-wave", ("6", "enter", "c", "enter")),  # urge surfing's minute ratings
    ("rate-after", ("6", "enter", "c", "d")),  # the re-rate
])
async def test_every_urge_scale_answers_to_the_same_keys(one_addiction, scale_id, keys_to_it):
    app = ScreenApp(lambda: UrgeNowScreen(one_addiction))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*keys_to_it)
        await pilot.pause()
        scale = app.screen.query_one(f"#{scale_id}", Scale)
        await check_scale_keys(pilot, scale)
        assert "Confirm" in footer_text(app)  # Enter is the answer here, and says so
        await pilot.press("1", "0", "enter")
        await pilot.pause()
    saved = one_addiction.records(Urge)[-1]
    if scale_id == "rate-before":
        assert saved.intensity == 10
    elif scale_id == "rate-after":
        assert saved.intensity_after == 10
    else:
        [wave] = one_addiction.records(ExerciseResponse)
        assert wave.answers["wave"][-1]["strength"] == 10


async def test_urge_now_is_usable_at_its_first_paint_before_any_history_is_read(
        one_addiction, monkeypatch):
    """The screen for a crisis: at its first paint the question and the scale are
    there with the focus; the person's earlier answers (ten years of urges) are read
    only after the strength is given, in a thread, and nothing waits for them."""
    import threading

    from recoveryjournal import insights

    one_addiction.add(Urge(addiction="alcohol", intensity=6, trigger="payday rent",
                           when=datetime(2026, 3, 1, 18, 0, tzinfo=ZONE)))
    kinds_read: list[str] = []
    records = one_addiction.records
    monkeypatch.setattr(one_addiction, "records",
                        lambda kind: kinds_read.append(kind.kind) or records(kind))
    history_may_load = threading.Event()
    earlier_answers = insights.earlier_answers

    def slow_history(urges):
        history_may_load.wait(10)
        return earlier_answers(urges)

    monkeypatch.setattr(insights, "earlier_answers", slow_history)
    first_paint: dict = {}

    class Watched(UrgeNowScreen):
        def on_mount(self) -> None:
            super().on_mount()
            self.call_after_refresh(lambda: first_paint.update(
                text=visible(self.app), focused=self.app.focused, read=list(kinds_read)))

    app = ScreenApp(lambda: Watched(one_addiction))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "How strong is the urge (alcohol), from 0 to 10?" in first_paint["text"]
        assert "0 none · 10 the strongest" in str(first_paint["focused"].render())
        assert first_paint["read"] == []
        await pilot.press("7", "enter")  # usable at once, while the history loads
        await pilot.pause()
        assert [u.intensity for u in records(Urge)] == [6, 7]
        assert "What set it off?" in visible(app) and "payday rent" not in visible(app)
        history_may_load.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "payday rent" in visible(app)  # their own answer, offered first


# ---- check-in --------------------------------------------------------------------------


async def test_checkin_scores_gently_and_saves_a_mood(journal):
    app = ScreenApp(lambda: CheckinScreen(journal))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = visible(app)
        assert "Over the last two weeks:" in text and "cheerful and in good spirits" in text
        assert "More than half of the time" in text
        await pilot.press("3", "2", "2", "3", "2")
        await pilot.pause()
        text = visible(app)
        assert "12 of 25 (48%)" in text and "talk it over" in text
        await pilot.press("down", "enter")  # mood 4, "Good"
        await pilot.pause()
    [checkin] = journal.records(Checkin)
    assert checkin.items == [3, 2, 2, 3, 2] and checkin.percent == 48
    assert [m.mood for m in journal.records(Mood)] == [4]
    assert journal.draft("checkin") is None


async def test_checkin_above_half_is_not_flagged(journal):
    app = ScreenApp(lambda: CheckinScreen(journal))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("3", "3", "3", "2", "2")
        await pilot.pause()
        assert "13 of 25 (52%)" in visible(app) and "talk" not in visible(app)


async def test_checkin_halfway_is_kept_as_a_draft_and_offered_back(journal):
    app = ScreenApp(lambda: CheckinScreen(journal))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("4", "5", "escape")
        await pilot.pause()
    assert journal.draft("checkin").content == {"answers": [4, 5]}
    assert journal.records(Checkin) == []

    app = ScreenApp(lambda: CheckinScreen(journal))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Statement 3 of 5" in visible(app)
        await pilot.press("backspace")
        await pilot.pause()
        assert "Statement 2 of 5" in visible(app)
        await pilot.press("5", "1", "1", "1")
        await pilot.pause()
    assert journal.records(Checkin)[0].items == [4, 5, 1, 1, 1]


# ---- progress --------------------------------------------------------------------------

EXPECTED_TITLES = {
    "urges": "Urges per week",
    "intensity": "Urge intensity (0-10)",
    "resisted": "Share of urges resisted",
    "triggers": "What set urges off",
    "coping": "Coping tools that helped",
    "heatmap": "When urges come",
    "calendar": "Days with a use",
    "who5": "Well-being (WHO-5)",
    "mood": "Mood per day",
    "meetings": "meetings (right scale)",
    "balance": "Lifestyle balance",
    "waves": "Urge surfing: intensity",
    "limit": "Amount per day against my limit (nicotine, cigarettes)",
}


async def test_progress_shows_every_chart_on_demo_data(demo_journal):
    app = ScreenApp(lambda: ProgressScreen(demo_journal))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        seen = []
        # The limit chart shows only while a limit goal is set (the demo's nicotine has
        # one), the course only while a course is set (the demo has none).
        assert [c for c, _label in screen.charts] == [c for c, _label in CHARTS if c != "course"]
        for _chart in screen.charts:
            chart_id = screen.chart_id
            plain = screen.query_one("#progress-chart").plain
            assert EXPECTED_TITLES[chart_id] in plain, chart_id
            assert "No " not in plain.split("\n")[0], chart_id  # demo data fills every chart
            lines = plain.split("\n")
            assert len(lines) <= 18 and max(map(len, lines)) <= 78, chart_id
            seen.append(chart_id)
            await pilot.press("right")
            await pilot.pause()
        assert seen == [c for c, _label in screen.charts]
        assert screen.chart_id == "urges"  # round again


async def test_progress_range_and_addiction_change_the_chart(demo_journal):
    app = ScreenApp(lambda: ProgressScreen(demo_journal))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        controls = lambda: str(screen.query_one("#progress-controls").render())  # noqa: E731
        chart = lambda: screen.query_one("#progress-chart").plain  # noqa: E731
        assert "range: 12 weeks" in controls() and "all addictions" in controls()
        assert "gambling" in chart() and "nicotine" in chart()
        await pilot.press("r")
        await pilot.pause()
        assert "range: 1 year" in controls()
        await pilot.press("r", "r")
        await pilot.pause()
        assert "range: 4 weeks" in controls()
        assert chart().count("w1") + chart().count("w") >= 4
        await pilot.press("a")
        await pilot.pause()
        assert "alcohol" in controls()
        assert "gambling" not in chart()
        summary = str(screen.query_one("#progress-summary").render())
        assert "alcohol:" in summary and "days since last use" in summary
        assert "longest" in summary and "use-free" in summary


async def test_progress_summary_shows_all_three_numbers_together(demo_journal):
    app = ScreenApp(lambda: ProgressScreen(demo_journal))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        summary = str(app.screen.query_one("#progress-summary").render())
    # The lapse on day 41 of 90: 49 days since, 49 the longest, 89 of 90 days use-free.
    assert ("alcohol: 49 days since last use · longest streak 49 days · "
            "use-free 30/30 days of the last 30, 89/90 of the last 90") in summary


async def test_every_addictions_line_and_the_money_unit_show_at_80x24(demo_journal):
    settings = demo_journal.settings()
    settings.addictions[0].cost_per_use = 100
    demo_journal.save_settings(settings)
    app = ScreenApp(lambda: ProgressScreen(demo_journal))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        summary = app.screen.query_one("#progress-summary")
        names = [a.name for a in demo_journal.settings().addictions]
        assert len(names) == 3
        text = str(summary.render())
        # Every addiction's line is on screen, not cut off below the chart.
        assert summary.region.bottom <= app.screen.size.height - 1  # above the footer
        assert summary.size.height >= len(text.splitlines()) or summary.virtual_size.height <= summary.size.height
        for name in names:
            assert f"{name}:" in text
        app.screen.select("calendar")
        await pilot.pause()
        plain = app.screen.query_one("#progress-chart").plain
        assert "in the money you count in" in plain and "use-free days" in plain


async def test_progress_on_an_empty_journal_says_so_calmly(journal):
    app = ScreenApp(lambda: ProgressScreen(journal))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # No limit goal: no limit chart to step to.
        assert "limit" not in [c for c, _label in app.screen.charts]
        for chart_id, _label in app.screen.charts:
            app.screen.select(chart_id)
            await pilot.pause()
            assert app.screen.query_one("#progress-chart").plain.strip(), chart_id


async def test_progress_shows_hostile_trigger_text_literally(journal):
    journal.add(Urge(addiction="alcohol", intensity=5, trigger=HOSTILE, when=FIXED_NOW))
    app = ScreenApp(lambda: ProgressScreen(journal))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.select("triggers")
        await pilot.pause()
        plain = app.screen.query_one("#progress-chart").plain
        assert "[/bold] [@click=app.quit" in plain and "\x1b" not in plain
        assert app.is_running


# ---- through the real app ---------------------------------------------------------------


async def test_the_app_opens_our_screens_from_the_dashboard(demo_journal):
    from recoveryjournal.tui.app import RecoveryJournalApp

    app = RecoveryJournalApp(demo_journal.path, journal=demo_journal, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key, screen_type in (("u", UrgeNowScreen), ("c", CheckinScreen), ("p", ProgressScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen_type), key
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, screen_type), key


# ---- snapshots at 80x24 ---------------------------------------------------------------------


def _snapshot_app(demo_file: Path, tmp_path: Path, screen: str, chart: str | None = None,
                  theme: str | None = None):
    from recoveryjournal.tui.app import RecoveryJournalApp

    copy = tmp_path / "snap.db"
    copy.write_bytes(demo_file.read_bytes())
    journal = Journal.open(copy, PASSPHRASE)
    journal.load()  # as the unlock screen does: the app's worker thread must not read SQLite

    class SnapshotApp(RecoveryJournalApp):
        CSS_PATH = str(APP_CSS)  # a subclass in tests/ would look for it beside this file

        async def on_ready(self) -> None:
            if theme:
                self.theme = theme
            if screen == "dashboard":
                return
            if screen == "progress":
                progress = ProgressScreen(journal)
                await self.push_screen(progress)
                if chart:
                    progress.select(chart)
            elif screen == "checkin":
                await self.push_screen(CheckinScreen(journal))
            else:
                await self.push_screen(UrgeNowScreen(journal))

    return SnapshotApp(journal.path, demo=True, journal=journal, clock=lambda: FIXED_NOW)


async def _loaded(pilot) -> None:
    """Compare the screen once the background load has ended: the dashboard redraws
    when it does, and a snapshot taken before it would depend on the machine's speed."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert pilot.app.fully_loaded


@pytest.mark.parametrize("chart", ["urges", "heatmap", "who5", "calendar", "mood", "limit"])
def test_snapshot_progress(snap_compare, demo_file, tmp_path, chart):
    assert snap_compare(_snapshot_app(demo_file, tmp_path, "progress", chart),
                        run_before=_loaded, terminal_size=(80, 24))


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("chart", ["urges", "intensity"])
def test_snapshot_progress_sizes_and_themes(snap_compare, demo_file, tmp_path, chart, theme,
                                            size):
    """Two chart kinds (bars, lines), dark and light, at 80x24 and 60x20 (issue 20)."""
    assert snap_compare(_snapshot_app(demo_file, tmp_path, "progress", chart, theme),
                        run_before=_loaded, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_snapshot_dashboard_sizes(snap_compare, demo_file, tmp_path, size):
    assert snap_compare(_snapshot_app(demo_file, tmp_path, "dashboard"), run_before=_loaded, terminal_size=size)


def test_snapshot_urge_now_after_logging(snap_compare, demo_file, tmp_path):
    assert snap_compare(_snapshot_app(demo_file, tmp_path, "urge"), run_before=_loaded, terminal_size=(80, 24),
                        press=["enter", "7", "enter", "c"])


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_snapshot_urge_now_scale(snap_compare, demo_file, tmp_path, size):
    """The one 0-10 scale, with its bar, its hint and "⏎ Confirm" in the footer."""
    assert snap_compare(_snapshot_app(demo_file, tmp_path, "urge"), run_before=_loaded, terminal_size=size,
                        press=["enter", "1", "0"])


def test_snapshot_checkin(snap_compare, demo_file, tmp_path):
    assert snap_compare(_snapshot_app(demo_file, tmp_path, "checkin"), run_before=_loaded, terminal_size=(80, 24))


async def test_charts_follow_the_theme_and_stay_readable(demo_journal):
    from textual.color import Color

    from recoveryjournal.tui.widgets.chart import theme_colours

    app = ScreenApp(lambda: ProgressScreen(demo_journal))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chart = app.screen.query_one("#progress-chart")
        dark_text = str(chart.render())
        dark = theme_colours(app.get_css_variables())
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.pause()
        light_vars = app.get_css_variables()
        light = theme_colours(light_vars)
        assert chart.plain.split("\n")[0] == dark_text.split("\n")[0]  # same chart, redrawn
    assert Color(*dark.text).brightness > 0.5 > Color(*light.text).brightness
    background = Color.parse(light_vars["background"])
    for rgb in light.series[:4]:
        assert abs(Color(*rgb).brightness - background.brightness) >= 0.25


async def test_progress_draws_the_weekly_sums_before_the_urges_are_decoded(demo_file, tmp_path,
                                                                          monkeypatch):
    """Urges per week, share resisted and meetings beside urges come from the sealed
    summary (issue 18): drawn with no urge, use or meeting decoded, and the same
    drawing as from the records, for every range and addiction."""
    copy = tmp_path / "demo.db"
    copy.write_bytes(demo_file.read_bytes())
    ranges = [4, 12, 52, None]

    async def drawings(journal) -> dict:
        app = ScreenApp(lambda: ProgressScreen(journal))
        found = {}
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            for addiction in (None, *screen.addictions):
                for weeks in ranges:
                    for chart in ("urges", "resisted", "meetings"):
                        screen.select(chart, weeks, addiction)
                        await pilot.pause()
                        found[chart, weeks, addiction] = (
                            screen.query_one("#progress-chart").plain,
                            str(screen.query_one("#progress-summary").render()))
        return found

    with Journal.open(copy, PASSPHRASE) as journal, monkeypatch.context() as patched:
        journal.load()
        patched.setattr(Journal, "summary", lambda self: None)  # the records only
        from_records = await drawings(journal)
    with Journal.open(copy, PASSPHRASE) as journal, monkeypatch.context() as patched:
        def no_decoding(self, kind):
            raise AssertionError(f"{kind.__name__} records were decoded")

        patched.setattr(Journal, "records", no_decoding)
        from_summary = await drawings(journal)
        assert journal._index_ is None
    assert from_summary == from_records
    assert "Urges per week" in from_summary["urges", 12, None][0]

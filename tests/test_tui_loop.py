"""The whole recovery loop inside the app (issue 15): log a use, a meeting, the
urge log inside "Urge now", goals; driven with Pilot at 80x24 through the real app."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from recoveryjournal.journal import Journal
from recoveryjournal.records import Meeting, Urge, Use
from recoveryjournal.safetext import one_line
from recoveryjournal.tui.app import RecoveryJournalApp
from recoveryjournal.tui.screens.dashboard import DashboardScreen
from recoveryjournal.tui.screens.log_use import LogUseScreen, parse_amount, parse_when
from recoveryjournal.tui.screens.meeting import MeetingScreen, earlier_groups
from recoveryjournal.tui.screens.urge_now import UrgeNowScreen

from helpers import PASSPHRASE
from helpers.tui import HOSTILE, NOW, fixed_clock, make_journal, screen_text


@pytest.fixture
def opened(journal_path):
    """make_journal's journal (alcohol and gambling; alcohol used 12 and 40 days ago),
    unlocked and read, as the unlock screen leaves it."""
    make_journal(journal_path)
    journal = Journal.open(journal_path, PASSPHRASE)
    journal.load()
    yield journal
    journal.lock()


def app_on(journal: Journal) -> RecoveryJournalApp:
    return RecoveryJournalApp(journal.path, journal=journal, clock=fixed_clock)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def dashboard_row(app, addiction: str) -> str:
    text = str(app.screen.query_one("#addictions").render())
    return next(line for line in text.splitlines() if line.strip().startswith(addiction))


# ---- log a use ------------------------------------------------------------------------


def test_parse_when_and_amount():
    assert parse_when("now", "", NOW) == NOW
    assert parse_when("today", "09:05", NOW) == NOW.replace(hour=9, minute=5, second=0)
    assert parse_when("today", "", NOW) == NOW
    # Another day: noon of that day, as the CLI's --date.
    assert parse_when("day", "2026-03-10", NOW) == NOW.replace(day=10, hour=12, minute=0)
    with pytest.raises(ValueError):
        parse_when("day", "10 March", NOW)
    assert parse_amount(" 1,5 ") == 1.5 and parse_amount("") is None
    for bad in ("-1", "many", "nan"):
        with pytest.raises(ValueError):
            parse_amount(bad)


async def test_log_a_use_from_the_dashboard_updates_the_days_at_once(opened):
    app = app_on(opened)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Use-free days first, days since the last use after (issue 20, item 16).
        assert dashboard_row(app, "alcohol").split()[1:4] == ["29/30", "59/61", "12"]
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LogUseScreen)
        app.screen.query_one("#use-amount").value = "3"
        app.screen.query_one("#use-note").value = HOSTILE
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert "information" in text and "history stays" in text
        for word in ("fail", "relapse", "reset", "dirty", "clean"):
            assert word not in text.lower()
        # Twelve days without alcohol: the note on lower tolerance, as the CLI says it.
        assert "After 12 days without, your tolerance is lower" in text
        await pilot.press("enter")  # "Back"
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        # Today is now a day with a use: one use-free day fewer in each window.
        assert dashboard_row(app, "alcohol").split()[1:4] == ["28/30", "58/61", "0"]
    use = opened.records(Use)[-1]
    assert (use.addiction, use.amount, use.note, use.when) == ("alcohol", 3.0, HOSTILE, NOW)


async def test_log_a_use_earlier_another_day_and_a_mistake_writes_nothing(opened):
    app = app_on(opened)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#use-addiction").value = "gambling"
        screen.query_one("#use-when").value = "day"
        await pilot.pause()
        detail = screen.query_one("#use-when-detail")
        assert detail.display and detail.value == "2026-03-13"  # yesterday, ready to change
        screen.query_one("#use-money").value = "lots"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "numbers" in screen_text(app)
        assert len(opened.records(Use)) == 2
        screen.query_one("#use-money").value = "250"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "tolerance" not in screen_text(app)  # not a risk for gambling
    use = opened.records(Use)[-1]
    assert (use.addiction, use.money, use.when.date().isoformat()) == ("gambling", 250, "2026-03-13")


async def test_the_unit_comes_from_the_goal_or_the_last_use(opened):
    opened.add(Use(addiction="alcohol", amount=2, unit="drinks", when=NOW - timedelta(days=1)))
    app = app_on(opened)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert app.screen.query_one("#use-unit").value == "drinks"
        app.screen.query_one("#use-addiction").value = "gambling"
        await pilot.pause()
        assert app.screen.query_one("#use-unit").value == ""


async def test_lapse_review_is_offered_only_when_it_exists(opened, monkeypatch):
    from recoveryjournal.tui.screens import log_use

    for found, offered in ((None, False), (object(), True)):
        monkeypatch.setattr(log_use, "_lapse_review", lambda found=found: found)
        app = app_on(opened)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("l", "ctrl+s")
            await pilot.pause()
            options = app.screen.query_one("#use-next")
            ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
            assert ids[0] == "back"  # an offer, never a push: Enter goes back
            assert ("review" in ids) is offered


async def test_choosing_the_lapse_review_opens_the_shipped_exercise(opened):
    """The offer after a use leads to the real lapse review, at its first question."""
    from recoveryjournal.tui.screens.exercises.run import ExerciseRunScreen

    app = app_on(opened)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l", "ctrl+s")
        await pilot.pause()
        assert "lapse review" in screen_text(app)
        await pilot.press("down", "enter")  # "Do the lapse review now"
        await settle(pilot)
        assert isinstance(app.screen, ExerciseRunScreen)
        assert app.screen.exercise.id == "lapse-review"
        assert "What happened?" in screen_text(app)


# ---- the urge log inside "Urge now" ----------------------------------------------------------


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press({" ": "space"}.get(char, char))


async def test_urge_log_coping_used_log_the_use_and_see_it_everywhere(opened):
    from recoveryjournal.tui.screens.progress import ProgressScreen

    app = app_on(opened)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("u", "enter", "8", "enter")  # alcohol, strength 8
        await pilot.pause()
        assert "What set it off?" in screen_text(app)
        await pilot.press("tab")
        await type_text(pilot, "Payday")  # a new answer of their own
        await pilot.press("enter")
        await pilot.pause()
        assert "Where were you?" in screen_text(app)
        await pilot.press("enter")  # the first offered: "at home"
        await pilot.pause()
        assert "Who was there?" in screen_text(app)
        await pilot.press("s")  # skipped
        await pilot.pause()
        assert "What did you feel?" in screen_text(app)
        await pilot.press("down", "enter")  # "bored"
        await pilot.pause()
        assert "What did the urge say?" in screen_text(app)
        await pilot.press("tab")
        await type_text(pilot, "I deserve one")
        await pilot.press("enter")
        await pilot.pause()
        assert "What would help now?" in screen_text(app)
        await pilot.press("down", "enter")  # the delay plan
        await pilot.press("d", "3", "enter")  # re-rate: 3; nothing was left to ask
        await pilot.pause()
        assert "How did it go?" in screen_text(app)
        await pilot.press("down", "enter")  # it happened: used
        await pilot.pause()
        await pilot.press("enter")  # "Log the use now"
        await pilot.pause()
        assert isinstance(app.screen, LogUseScreen)
        assert app.screen.query_one("#use-addiction").value == "alcohol"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("enter")  # "Back": past Urge now, to the dashboard
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert dashboard_row(app, "alcohol").split()[3] == "0"  # days since last use
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        app.screen.select("triggers")
        await pilot.pause()
        assert "payday" in app.screen.query_one("#progress-chart").plain
    urge = opened.records(Urge)[-1]
    assert (urge.trigger, urge.place, urge.people, urge.feelings, urge.thought) == (
        "payday", "at home", "", ["bored"], "I deserve one")
    assert (urge.intensity, urge.intensity_after, urge.outcome, urge.coping) == (
        8, 3, "acted", ["delay"])
    assert opened.records(Use)[-1].when == NOW


async def test_one_key_from_the_strength_to_the_coping_tools(opened):
    app = app_on(opened)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("u", "enter", "9", "enter", "c")
        await pilot.pause()
        assert app.screen.step == "cope" and app.focused.id == "tool-list"
        # What was left is asked after the re-rate, and can be left again with one key.
        await pilot.press("d", "7", "enter")
        await pilot.pause()
        assert "Now that it has eased: What set it off?" in screen_text(app)
        await pilot.press("enter")  # "stress"
        await pilot.pause()
        assert "Where were you?" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert "How did it go?" in screen_text(app)
    urge = opened.records(Urge)[-1]
    assert (urge.intensity, urge.intensity_after, urge.trigger, urge.place) == (9, 7, "stress", "")


async def test_own_earlier_answers_come_first_most_used_first(opened):
    for trigger in ("the pub quiz", "payday", "payday", HOSTILE):
        opened.add(Urge(addiction="alcohol", intensity=4, trigger=trigger,
                        when=NOW - timedelta(days=5)))
    app = app_on(opened)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("u", "enter", "5", "enter")
        await settle(pilot)
        options = app.screen.query_one("#log-options")
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        # payday twice; then the latest of the ones used once.
        assert shown[:3] == ["payday", one_line(HOSTILE), "the pub quiz"]
        assert "\x1b" not in shown[1] and "[@click=app.quit]" in shown[1]
        assert "stress" in shown  # the common ones follow
        assert app.is_running  # the hostile answer is shown literally, not as markup


# ---- meetings --------------------------------------------------------------------------


def test_earlier_groups_most_used_first():
    meetings = [Meeting(group=g) for g in ("Tuesday", "SMART", "Tuesday", "Anna's", "SMART")]
    # Tuesday and SMART twice each; SMART came last, so it leads; Anna's once.
    assert earlier_groups(meetings) == ["SMART", "Tuesday", "Anna's"]


async def test_log_a_meeting_from_the_dashboard_and_see_it_counted(opened):
    opened.add(Meeting(group="Tuesday group", when=NOW - timedelta(days=40)))
    opened.add(Meeting(group="Tuesday group", when=NOW - timedelta(days=3)))
    app = app_on(opened)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "1 meeting in the last 4 weeks" in screen_text(app)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        # The group is remembered; the day is today.
        assert app.screen.query_one("#meeting-group").value == "Tuesday group"
        assert app.screen.query_one("#meeting-date").value == "2026-03-14"
        await pilot.press("enter", "enter")  # group, day
        app.screen.query_one("#meeting-note").value = "Talked about weekends"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "2 meetings in the last 4 weeks" in screen_text(app)
    meeting = opened.records(Meeting)[-1]
    assert (meeting.group, meeting.note, meeting.when) == ("Tuesday group", "Talked about weekends", NOW)


# ---- goals ----------------------------------------------------------------------------------


async def test_a_limit_goal_for_food_shows_days_within_it_and_the_limit_chart(opened):
    from recoveryjournal.tui.screens.goals import GoalsScreen
    from recoveryjournal.tui.screens.progress import ProgressScreen

    opened.track("food")
    settings = opened.settings()
    settings.addiction("food").tracked_since = (NOW - timedelta(days=9)).date()
    opened.save_settings(settings)
    # Ten tracked days; 4 binges two days ago (over a limit of 2), 1 yesterday.
    opened.add(Use(addiction="food", amount=4, when=NOW - timedelta(days=2)))
    opened.add(Use(addiction="food", amount=1, when=NOW - timedelta(days=1)))
    app = app_on(opened)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GoalsScreen)
        screen = app.screen
        screen.query_one("#goal-2").value = "limit-per-day"  # food, the third tracked
        screen.query_one("#limit-2").value = "2"
        screen.query_one("#unit-2").value = "binges"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        text = screen_text(app)
        assert "within my limit, 30 days" in text
        row = dashboard_row(app, "food")
        assert row.split()[1:3] == ["9/10", "9/10"] and "2 binges a day" in row
        assert "days since last use" in text  # alcohol and gambling keep theirs
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        app.screen.select("limit")
        await pilot.pause()
        plain = app.screen.query_one("#progress-chart").plain
        assert "Amount per day against my limit" in plain and "binges" in plain
        assert "83 of 84 days within my limit of 2" in plain  # 12 weeks, one day over
    food = opened.settings().addiction("food")
    assert (food.goal, food.limit, food.unit) == ("limit-per-day", 2, "binges")


async def test_a_course_set_in_goals_shows_in_progress(opened):
    from recoveryjournal.records import Checkin
    from recoveryjournal.tui.screens.progress import ProgressScreen

    start = NOW - timedelta(days=39)  # 3 February: 14 March is day 39, in week 6
    for days in (0, 7, 35):
        opened.add(Meeting(group="Course", when=start + timedelta(days=days)))
    opened.add(Checkin(items=[2, 2, 2, 2, 2], when=start - timedelta(days=1)))  # 40%
    opened.add(Checkin(items=[3, 3, 3, 3, 3], when=NOW - timedelta(days=1)))  # 60%
    app = app_on(opened)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await pilot.pause()
        app.screen.query_one("#course-start").value = start.date().isoformat()
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        app.screen.select("course")
        await pilot.pause()
        plain = app.screen.query_one("#progress-chart").plain
        assert "Week 6 of 16" in plain and "sessions attended: 3 of 16" in plain
        # The middle (day 56) has not come yet: no midway figure.
        assert "at the start 40% · midway – · now 60%" in plain
    assert opened.settings().course_start == start.date()


async def test_a_limit_goal_needs_its_limit(opened):
    app = app_on(opened)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await pilot.pause()
        app.screen.query_one("#goal-0").value = "limit-per-week"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "needs the limit" in screen_text(app)
    assert opened.settings().addiction("alcohol").goal == "abstinence"


async def test_milestones_are_noticed_once(opened):
    app = app_on(opened)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # alcohol: 12 days since the last use; gambling: 61 days tracked, none used.
        text = screen_text(app)
        assert "You have passed 7 use-free days in a row (alcohol)" in text
        assert "You have passed 30 use-free days in a row (gambling)" in text
    app = app_on(opened)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "You have passed" not in screen_text(app)  # once only


# ---- the palette ------------------------------------------------------------------------


# The words a person would type, in each language; the English ones work everywhere.
PALETTE_WORDS = {
    "en": {"log_use": ("use", "lapse"), "log_meeting": ("meeting",), "goals": ("goal",)},
    "sv": {"log_use": ("snedsteg", "använde"), "log_meeting": ("möte",), "goals": ("mål",)},
    "da": {"log_use": ("brug", "skridt tilbage"), "log_meeting": ("møde",), "goals": ("mål",)},
    "nb": {"log_use": ("sprekk", "bruk"), "log_meeting": ("møte",), "goals": ("mål",)},
}


@pytest.mark.parametrize("language", ["en", "sv", "da", "nb"])
async def test_the_palette_finds_the_loop_in_every_language(opened, language):
    from recoveryjournal.i18n import set_language
    from recoveryjournal.tui.commands import JournalCommands

    app = app_on(opened)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        set_language(language)
        provider = JournalCommands(app.screen)
        for action, words in PALETTE_WORDS[language].items():
            for word in words + PALETTE_WORDS["en"][action]:
                hits = [hit async for hit in provider.search(word)]
                assert hits, (language, word)
                best = max(hits, key=lambda hit: hit.score)
                assert best.command.args == (action,), (language, word)


# ---- snapshots at 80x24 -------------------------------------------------------------------


@pytest.fixture
def stockholm_time(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Europe/Stockholm")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _snapshot_app(journal_path, keys: str):
    make_journal(journal_path)
    journal = Journal.open(journal_path, PASSPHRASE)
    journal.load()
    journal.add(Meeting(group="Tuesday group", when=NOW - timedelta(days=3)))

    class SnapshotApp(RecoveryJournalApp):
        CSS_PATH = str(Path(__file__).resolve().parent.parent / "src" / "recoveryjournal"
                       / "tui" / "app.tcss")

    async def run_before(pilot):
        await settle(pilot)
        for key in keys.split():
            await pilot.press(key)
            await pilot.pause()
        for field in pilot.app.screen.query("Input"):
            field.cursor_blink = False  # a blinking cursor makes the snapshot flaky
        await settle(pilot)  # the group suggester works in the background

    return SnapshotApp(journal.path, journal=journal, clock=fixed_clock), run_before


@pytest.mark.parametrize("name,keys", [
    ("log_use", "l"), ("log_use_saved", "l ctrl+s"), ("meeting", "m"),
    ("urge_log", "u enter 7 enter"), ("goals", "g"), ("urge_used", "u enter 7 enter c d 3 enter c down enter")])
def test_snapshot_new_screens(snap_compare, journal_path, stockholm_time, name, keys):
    app, run_before = _snapshot_app(journal_path, keys)
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))

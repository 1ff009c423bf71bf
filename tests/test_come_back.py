"""Plans to come back to (issue 19): a healthy pleasure or a problem-solving plan saved
before it was tried is remembered by the dashboard, and opening the exercise offers to
say how it went, completing the same saved answers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from recoveryjournal import exercises as ex
from recoveryjournal.come_back import COME_BACK_DAYS, plans_to_come_back
from recoveryjournal.journal import Journal
from recoveryjournal.records import ExerciseResponse
from recoveryjournal.tui.app import RecoveryJournalApp
from recoveryjournal.tui.screens.exercises.choose import ExercisesScreen
from recoveryjournal.tui.screens.exercises.run import ExerciseRunScreen
from recoveryjournal.tui.screens.exercises.start import ComeBackScreen
from recoveryjournal.tui.widgets.scale import Scale

from helpers import PASSPHRASE
from helpers.tui import HOSTILE, make_journal, screen_text

PLAN = "The choir, Tuesday at seven"
TRIED = {"what_it_gave": ["company"], "pleasures": ["Company: the Tuesday choir"],
         "try_this_week": PLAN}


@pytest.fixture
def library() -> ex.ExerciseLibrary:
    return ex.load_exercises(user_dir=False)


def response(answers: dict, days_ago: float = 0, exercise_id="healthy-pleasures"):
    saved = ExerciseResponse(exercise_id=exercise_id, answers=dict(answers))
    saved.created = saved.updated = datetime.now(timezone.utc) - timedelta(days=days_ago)
    return saved


# ---- which plans wait ---------------------------------------------------------------


def test_a_plan_saved_before_trying_it_waits_with_what_was_planned(library):
    now = datetime.now(timezone.utc)
    waiting = plans_to_come_back(library, [response(TRIED, days_ago=2)], now)
    assert [(w.exercise.id, w.step.id, w.plan) for w in waiting] == [
        ("healthy-pleasures", "enjoyment", PLAN)]


def test_answered_too_old_or_superseded_plans_do_not_wait(library):
    now = datetime.now(timezone.utc)
    answered = response({**TRIED, "enjoyment": 6})
    assert plans_to_come_back(library, [answered], now) == []
    old = response(TRIED, days_ago=COME_BACK_DAYS + 1)
    assert plans_to_come_back(library, [old], now) == []
    # a newer response of the same exercise, answered: the older plan is let go
    assert plans_to_come_back(library, [response(TRIED, 3), response({**TRIED, "enjoyment": 2}, 1)],
                              now) == []


def test_problem_solving_waits_for_how_it_went(library):
    answers = {"first_step": "Call the bank on Monday at nine"}
    waiting = plans_to_come_back(
        library, [response(answers, exercise_id="problem-solving")], datetime.now(timezone.utc))
    assert [(w.step.id, w.plan) for w in waiting] == [
        ("how_it_went", "Call the bank on Monday at nine")]


def test_a_come_back_step_must_be_optional(tmp_path):
    (tmp_path / "own.toml").write_text('''
id = "own"
version = 1
point = "balance"
title = { en = "Own" }
purpose = { en = "Test" }

[[steps]]
id = "later"
type = "text"
come_back = true
prompt = { en = "How did it go?" }
example = { en = "Fine" }
''', encoding="utf-8")
    loaded = ex.load_exercises(shipped_dir=tmp_path, user_dir=False)
    assert any("come_back" in str(problem) for problem in loaded.problems)


# ---- in the app ---------------------------------------------------------------------


@pytest.fixture
def opened(journal_path):
    make_journal(journal_path)
    journal = Journal.open(journal_path, PASSPHRASE)
    journal.load()
    yield journal
    journal.lock()


def real_clock() -> datetime:
    return datetime.now().astimezone()


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_dashboard_remembers_the_plan_and_lets_it_go_once_answered(opened):
    saved = opened.add(ExerciseResponse(exercise_id="healthy-pleasures",
                                        answers={**TRIED, "try_this_week": PLAN + " " + HOSTILE}))
    app = RecoveryJournalApp(opened.path, journal=opened, clock=real_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "Did you get to try “The choir, Tuesday at seven" in shown
        assert "[@click=app.quit]x[/]" in shown  # the plan is shown literally
        assert "\x1b" not in shown

        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExercisesScreen)
        await pilot.press("slash", *"healthy", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ComeBackScreen)
        assert "you planned “The choir, Tuesday at seven" in screen_text(app)
        await pilot.press("enter")  # "Say how it went" has the focus
        await settle(pilot)
        runner = app.screen
        assert isinstance(runner, ExerciseRunScreen)
        assert "Step 4 of 4" in screen_text(app)
        assert "The choir, Tuesday at seven" in screen_text(app)  # the plan stays in view
        assert app.focused is runner.query_one(Scale)
        await pilot.press("7", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ExercisesScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert "Did you get to try" not in screen_text(app)

    responses = opened.records(ExerciseResponse)
    assert len(responses) == 1 and responses[0].id == saved.id  # completed, not doubled
    assert responses[0].answers["enjoyment"] == 7
    assert responses[0].answers["pleasures"] == TRIED["pleasures"]
    assert responses[0].finished


async def test_closing_half_way_keeps_it_a_reply_to_the_same_answers(opened, library):
    saved = opened.add(ExerciseResponse(exercise_id="healthy-pleasures", answers=dict(TRIED)))
    app = RecoveryJournalApp(opened.path, journal=opened, clock=real_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ExercisesScreen(opened, library))
        await settle(pilot)
        await pilot.press("slash", *"healthy", "enter", "enter")
        await settle(pilot)
        await pilot.press("enter")  # say how it went
        await settle(pilot)
        await pilot.press("5", "escape")  # closes: the answer is kept as a draft
        await settle(pilot)
        await pilot.press("enter")  # the list still has Healthy pleasures highlighted
        await settle(pilot)
        await pilot.press("enter")  # "Carry on"
        await settle(pilot)
        assert app.screen.answers["enjoyment"] == 5
        await pilot.press("ctrl+s")
        await settle(pilot)
    responses = opened.records(ExerciseResponse)
    assert [r.id for r in responses] == [saved.id]
    assert responses[0].answers["enjoyment"] == 5

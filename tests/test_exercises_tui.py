"""The exercise runner, history and safety plan, driven through Pilot at 80x24."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import OptionList, RadioSet, SelectionList, Static, TextArea

from recoveryjournal import exercises as ex
from recoveryjournal.journal import Journal
from recoveryjournal.records import ExerciseResponse
from recoveryjournal.tui.screens.exercises.choose import ExercisesScreen
from recoveryjournal.tui.screens.exercises.history import HistoryScreen
from recoveryjournal.tui.screens.exercises.response import ResponseScreen
from recoveryjournal.tui.screens.exercises.run import ExerciseRunScreen
from recoveryjournal.tui.screens.exercises.start import ResumeDraftScreen
from recoveryjournal.tui.screens.safety_plan import SafetyPlanScreen
from recoveryjournal.tui.widgets.exercise_fields import TimerField
from recoveryjournal.tui.widgets.scale import Scale

from helpers import PASSPHRASE
from helpers.scale_keys import check_scale_keys

HOSTILE = "[/bold] [@click=app.quit]x[/] \x1b[31mred"
SHOWN_HOSTILE = "[/bold] [@click=app.quit]x[/] [31mred"  # the ESC is gone, the rest literal

EVERY_FIELD = '''
id = "every-field"
version = 3
point = "thoughts"
minutes = 5
title = { en = "Every field" }
purpose = { en = "One of each. For tests." }

[[steps]]
id = "name"
type = "text"
prompt = { en = "Your name?" }
example = { en = "Robin" }

[[steps]]
id = "story"
type = "long_text"
recall = ["name"]
prompt = { en = "What happened?" }
example = { en = "A long day." }

[[steps]]
id = "strength"
type = "scale"
low = { en = "none" }
high = { en = "huge" }
prompt = { en = "How strong?" }
example = { en = "7" }

[[steps]]
id = "mood"
type = "choice"
prompt = { en = "Pick one" }
example = { en = "Calm" }
choices = [{ id = "calm", en = "Calm" }, { id = "tense", en = "Tense" }]

[[steps]]
id = "needs"
type = "checklist"
prompt = { en = "Tick any" }
example = { en = "Food" }
choices = [{ id = "food", en = "Food" }, { id = "rest", en = "Rest" }, { id = "talk", en = "Talk" }]

[[steps]]
id = "helpers"
type = "list"
prompt = { en = "Who helps?" }
example = { en = "Anna" }

[[steps]]
id = "grid"
type = "grid"
prompt = { en = "Fill the grid" }
example = { en = "Anything" }
rows = [{ id = "using", en = "Using" }, { id = "not_using", en = "Not using" }]
columns = [{ id = "gives", en = "Gives" }, { id = "costs", en = "Costs" }]

[[steps]]
id = "wave"
type = "timer"
minutes = 3
prompt = { en = "Ride the wave" }
example = { en = "7, 5, 2" }
'''


@pytest.fixture
def library(tmp_path) -> ex.ExerciseLibrary:
    """The shipped exercises plus a test exercise with one step of each field type."""
    own = tmp_path / "own"
    own.mkdir()
    (own / "every-field.toml").write_text(EVERY_FIELD, encoding="utf-8")
    loaded = ex.load_exercises(user_dir=own)
    assert loaded.problems == []
    return loaded


@pytest.fixture(autouse=True)
def no_real_clock(monkeypatch):
    """The urge-surfing timer moves only when a test calls tick()."""
    monkeypatch.setattr(TimerField, "clock_seconds", None)


class ScreenApp(App):
    """A tiny app that shows one feature screen, as the TUI contract suggests."""

    def __init__(self, make_screen):
        super().__init__()
        self.make_screen = make_screen

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())


def run_screen(journal, library, exercise_id, answers=None, step=0) -> ScreenApp:
    return ScreenApp(lambda: ExerciseRunScreen(journal, library.get(exercise_id), answers, step))


def text_of(screen) -> str:
    """Everything the Statics on a screen say, as plain text."""
    return "\n".join(str(w.render()) for w in screen.query(Static) if w.display)


async def type_text(pilot, text: str) -> None:
    """Type into the focused box at once (Pilot spends ~60 ms per key press)."""
    focused = pilot.app.focused
    if isinstance(focused, TextArea):
        focused.insert(text)
    else:
        focused.insert_text_at_cursor(text)
    await pilot.pause()


def step_index(library, step_id: str) -> int:
    return [s.id for s in library.get("every-field").steps].index(step_id)


# ---- each field type ----------------------------------------------------------------


async def test_text_field_enter_moves_on_and_keeps_the_answer(journal, library):
    app = run_screen(journal, library, "every-field")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Step 1 of 8" in text_of(app.screen)
        await pilot.press(*"Robin", "enter")
        await pilot.pause()
        screen = app.screen
        assert "Step 2 of 8" in text_of(screen)
        assert screen.answers["name"] == "Robin"
        # the earlier answer stays in view where the exercise asks for it
        assert "Robin" in str(screen.query_one("#run-recall-text", Static).render())


async def test_long_text_keeps_lines(journal, library):
    app = run_screen(journal, library, "every-field", step=step_index(library, "story"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "line one")
        await pilot.press("enter")
        await type_text(pilot, "line two")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.answers["story"] == "line one\nline two"


async def test_scale_by_digit_arrow_and_ten(journal, library):
    app = run_screen(journal, library, "every-field", step=step_index(library, "strength"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "0 = none" in text_of(app.screen) and "10 = huge" in text_of(app.screen)
        await pilot.press("7", "right")
        assert app.screen.query_one(Scale).value == 8
        await pilot.press("1", "0")
        assert app.screen.query_one(Scale).value == 10
        await pilot.press("left", "ctrl+n")
        await pilot.pause()
        assert app.screen.answers["strength"] == 9


@pytest.mark.parametrize("step_id, scale_id", [("strength", "answer"), ("wave", "strength")])
async def test_the_scale_and_the_timer_answer_to_the_same_keys_as_urge_now(
        journal, library, step_id, scale_id):
    """One scale widget: the keys of Urge now's scales (tests/helpers/scale_keys.py)."""
    app = run_screen(journal, library, "every-field", step=step_index(library, step_id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        scale = app.screen.query_one(f"#{scale_id}", Scale)
        scale.focus()
        await pilot.pause()
        await check_scale_keys(pilot, scale)
        assert "Confirm" not in text_of(app.screen)  # Enter is the runner's here
        await pilot.press("enter")  # on the timer: note the reading (minute 0)
        await pilot.press("ctrl+s")
        await pilot.pause()
    [saved] = journal.records(ExerciseResponse)
    if step_id == "strength":
        assert saved.answers["strength"] == 4
    else:
        assert saved.answers["wave"] == [{"minute": 0, "strength": 4}]


async def test_choice_stores_the_choice_id(journal, library):
    app = run_screen(journal, library, "every-field", step=step_index(library, "mood"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused is app.screen.query_one(RadioSet)
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.answers["mood"] in ("calm", "tense")
        first = app.screen.answers["mood"]
        await pilot.press("ctrl+b")
        await pilot.pause()
        # coming back shows the same choice already picked
        assert app.screen.query_one(RadioSet).pressed_index == ["calm", "tense"].index(first)


async def test_checklist_keeps_the_files_order(journal, library):
    app = run_screen(journal, library, "every-field", step=step_index(library, "needs"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        listing = app.screen.query_one(SelectionList)
        assert app.focused is listing
        listing.highlighted = 2
        await pilot.press("space")
        listing.highlighted = 0
        await pilot.press("space")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.answers["needs"] == ["food", "talk"]


async def test_list_is_one_item_per_line_without_blank_lines(journal, library):
    app = run_screen(journal, library, "every-field", step=step_index(library, "helpers"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"Anna", "enter", "enter")
        await type_text(pilot, " the group ")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.answers["helpers"] == ["Anna", "the group"]


async def test_grid_keeps_each_box_by_row_and_column(journal, library):
    app = run_screen(journal, library, "every-field", step=step_index(library, "grid"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        boxes = list(app.screen.query(TextArea))
        assert len(boxes) == 4
        assert "Using · Gives" in str(boxes[0].border_title)
        await type_text(pilot, "relief")
        await pilot.press("tab")
        await type_text(pilot, "money")
        await pilot.press("tab", "tab")
        await type_text(pilot, "sleep")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.answers["grid"] == {
            "using": {"gives": "relief", "costs": "money"},
            "not_using": {"gives": "", "costs": "sleep"},
        }


async def test_timer_asks_every_minute_and_saves_the_wave(journal, library):
    app = run_screen(journal, library, "every-field", step=step_index(library, "wave"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        timer = app.screen.query_one(TimerField)
        assert "3 minutes" in text_of(app.screen)
        await pilot.press("7", "enter")  # rate, and Enter starts the timer at minute 0
        assert timer.running and timer.answer == [{"minute": 0, "strength": 7}]
        timer.tick(30)
        await pilot.pause()
        assert not timer.asking
        timer.tick(30)
        await pilot.pause()
        assert timer.asking
        assert "Minute 1: how strong is the urge now?" in text_of(app.screen)
        await pilot.press("5", "enter")
        timer.tick(60)
        timer.tick(60)  # three minutes: the timer stops and asks one last time
        await pilot.pause()
        assert not timer.running and timer.asking
        await pilot.press("2", "enter")
        assert timer.answer == [{"minute": 0, "strength": 7}, {"minute": 1, "strength": 5},
                                {"minute": 3, "strength": 2}]
        assert "min 3: 2" in text_of(app.screen)
        await pilot.press("ctrl+s")
        await pilot.pause()
    [saved] = journal.records(ExerciseResponse)
    assert saved.answers["wave"][-1] == {"minute": 3, "strength": 2}


# ---- the runner as a whole ----------------------------------------------------------


async def test_example_on_demand(journal, library):
    app = run_screen(journal, library, "halt")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        example = app.screen.query_one("#run-example", Static)
        assert not example.display
        await pilot.press("f3")
        assert example.display and "Tired, and a little lonely." in str(example.render())
        await pilot.press("f3")
        assert not example.display


async def test_save_links_the_exercise_id_version_and_step_ids(journal, library):
    app = run_screen(journal, library, "every-field")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"Robin", "enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ExerciseRunScreen)
    [saved] = journal.records(ExerciseResponse)
    assert (saved.exercise_id, saved.exercise_version) == ("every-field", 3)
    assert set(saved.answers) == {s.id for s in library.get("every-field").steps}
    assert saved.answers["name"] == "Robin"
    assert not saved.finished  # the other steps are still empty
    assert journal.draft("exercise:every-field") is None


async def test_user_text_is_shown_literally(journal, library):
    answers = {"name": HOSTILE}
    app = run_screen(journal, library, "every-field", answers=answers, step=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        recall = str(app.screen.query_one("#run-recall-text", Static).render())
        assert SHOWN_HOSTILE in recall and "\x1b" not in recall
        await pilot.click("#run-recall-text")
        assert app.is_running


async def test_thought_record_shows_earlier_answers_while_balancing(journal, library):
    record = library.get("thought-record")
    answers = {"thought": "I'll lose this job too", "evidence_for": ["No reply"],
               "evidence_against": ["She was in meetings"]}
    step = [s.id for s in record.steps].index("balanced")
    app = run_screen(journal, library, "thought-record", answers=answers, step=step)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        recall = str(app.screen.query_one("#run-recall-text", Static).render())
        for typed in ("I'll lose this job too", "• No reply", "• She was in meetings"):
            assert typed in recall


# ---- drafts --------------------------------------------------------------------------


async def test_typing_is_autosaved_as_a_sealed_draft(journal, library):
    app = run_screen(journal, library, "every-field")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"Rob")
        app.screen.autosave()  # what the 5-second interval does
        draft = journal.draft("exercise:every-field")
        assert draft is not None and draft.content["answers"]["name"] == "Rob"
        assert draft.content["version"] == 3


async def test_escape_with_nothing_typed_leaves_no_draft(journal, library):
    app = run_screen(journal, library, "halt")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert journal.draft("exercise:halt") is None


async def test_draft_resumes_after_a_lock(journal, journal_path, library):
    app = ScreenApp(lambda: ExercisesScreen(journal, library))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await type_text(pilot, "every field")
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseRunScreen)
        await pilot.press(*"Robin", "enter")
        await pilot.pause()
        await type_text(pilot, "a long day")
        # what the app does before it locks: every screen seals its draft, then the lock
        app.screen.save_draft()
        journal.lock()

    reopened = Journal.open(journal_path, PASSPHRASE)
    app = ScreenApp(lambda: ExercisesScreen(reopened, library))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await type_text(pilot, "every field")
        await pilot.press("enter")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert "✎" in str(options.highlighted_option.prompt)  # the list shows a draft waits
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ResumeDraftScreen)
        await pilot.press("enter")  # "Carry on" has the focus
        await pilot.pause()
        runner = app.screen
        assert isinstance(runner, ExerciseRunScreen)
        assert "Step 2 of 8" in text_of(runner)
        assert runner.query_one(TextArea).text == "a long day"
        assert runner.answers["name"] == "Robin"
    reopened.lock()


async def test_start_afresh_does_not_delete_the_draft_until_replaced(journal, library):
    journal.save_draft("exercise:halt", {"version": 1, "step": 1,
                                         "answers": {"need": "a sandwich"}})
    app = ScreenApp(lambda: ExercisesScreen(journal, library))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"halt", "enter", "enter")
        await pilot.pause()
        await pilot.press("tab", "enter")  # "Start afresh"
        await pilot.pause()
        assert isinstance(app.screen, ExerciseRunScreen)
        assert "Step 1 of 3" in text_of(app.screen)
        await pilot.press("escape")
        await pilot.pause()
    assert journal.draft("exercise:halt").content["answers"]["need"] == "a sandwich"


# ---- choosing, history and comparing ----------------------------------------------------


async def test_list_by_point_and_search(journal, library):
    app = ScreenApp(lambda: ExercisesScreen(journal, library))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        for heading in ("Building motivation", "Coping with urges",
                        "Thoughts, feelings and behaviours", "A balanced life"):
            assert heading in prompts
        await pilot.press("4")
        assert options.highlighted_option.id in {"healthy-pleasures", "lifestyle-balance",
                                                 "week-plan"}
        assert "A balanced life" in text_of(app.screen)
        await pilot.press("slash")
        await type_text(pilot, "wave")
        await pilot.pause()
        shown = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert "urge-surfing" in shown and "cost-benefit" not in shown


async def test_after_a_search_down_and_one_enter_open_the_exercise(journal, library):
    from recoveryjournal.tui.screens.exercises.run import ExerciseRunScreen

    app = ScreenApp(lambda: ExercisesScreen(journal, library))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await type_text(pilot, "wave")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseRunScreen)


async def test_history_opens_one_and_compares_two_side_by_side(journal, library):
    older = journal.add(ExerciseResponse(exercise_id="halt", exercise_version=1,
                                         answers={"need": "first answer", "urge_now": 8}))
    newer = journal.add(ExerciseResponse(exercise_id="halt", exercise_version=1,
                                         answers={"need": HOSTILE, "urge_now": 3}))
    newer.when = older.when.replace(year=older.when.year + 1)
    journal.update(newer)
    app = ScreenApp(lambda: ExercisesScreen(journal, library))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"halt", "enter")
        await pilot.pause()
        assert "Done 2 times" in text_of(app.screen)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ResponseScreen)
        assert SHOWN_HOSTILE in text_of(app.screen)  # newest first, shown literally
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("space", "down", "space", "c")
        await pilot.pause()
        assert isinstance(app.screen, ResponseScreen)
        cells = [str(c.render()) for c in app.screen.query(".response-answers")]
        steps = len(library.get("halt").steps)
        assert len(cells) == 2 * steps  # each step: one row, two answers level
        left, right = "\n".join(cells[0::2]), "\n".join(cells[1::2])
        assert "first answer" in left and "8 / 10" in left  # older on the left
        assert SHOWN_HOSTILE in right and "3 / 10" in right
        assert app.is_running


async def test_history_with_one_marked_asks_for_two(journal, library):
    journal.add(ExerciseResponse(exercise_id="halt", answers={"need": "x"}))
    app = ScreenApp(lambda: HistoryScreen(journal, library.get("halt")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space", "c")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


# ---- the safety plan -------------------------------------------------------------------


async def test_safety_plan_offers_to_be_filled_in_and_then_shows_it(journal, library):
    app = ScreenApp(lambda: SafetyPlanScreen(journal, library))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "You have not made a safety plan yet." in text_of(app.screen)
        assert "112" in text_of(app.screen)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseRunScreen)
        await type_text(pilot, "I stop answering the phone")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await type_text(pilot, "Walk round the block")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SafetyPlanScreen)
        shown = text_of(app.screen)
        assert "• I stop answering the phone" in shown and "• Walk round the block" in shown
        assert "Saved" in shown


async def test_safety_plan_shows_the_latest_and_updating_starts_from_it(journal, library):
    first = journal.add(ExerciseResponse(exercise_id="safety-plan",
                                         answers={"who_to_call": ["Old friend"]}))
    latest = journal.add(ExerciseResponse(exercise_id="safety-plan",
                                          answers={"who_to_call": [HOSTILE, "My sister"]}))
    latest.when = first.when.replace(year=first.when.year + 1)
    journal.update(latest)
    app = ScreenApp(lambda: SafetyPlanScreen(journal, library))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = text_of(app.screen)
        assert "My sister" in shown and "Old friend" not in shown
        assert SHOWN_HOSTILE in shown
        await pilot.press("e")
        await pilot.pause()
        runner = app.screen
        assert isinstance(runner, ExerciseRunScreen)
        assert runner.answers["who_to_call"] == [HOSTILE, "My sister"]
        assert app.is_running


async def test_safety_plan_is_reachable_with_f2_in_the_real_app(journal, journal_path, library):
    from recoveryjournal.tui.app import RecoveryJournalApp

    app = RecoveryJournalApp(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        settings = journal.settings()
        settings.onboarded = True
        journal.save_settings(settings)
        await app.unlocked(journal)
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, SafetyPlanScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExercisesScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, SafetyPlanScreen)


async def test_a_broken_own_file_is_named_and_everything_else_still_works(journal, private_home):
    folder = ex.user_exercises_dir()
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(EVERY_FIELD.replace('"text"', '"slider"'), encoding="utf-8")
    app = ScreenApp(lambda: ExercisesScreen(journal))  # loads from the config folder itself
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        problems = str(app.screen.query_one("#exercise-problems", Static).render())
        assert "mine.toml" in problems and "step 'name'" in problems and "'slider'" in problems
        options = app.screen.query_one(OptionList)
        shown = {options.get_option_at_index(i).id for i in range(options.option_count)}
        assert "cost-benefit" in shown and "every-field" not in shown
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseRunScreen)


async def test_safety_plan_without_its_exercise_file_says_so_calmly(journal, tmp_path):
    empty = ex.load_exercises(shipped_dir=tmp_path / "none", user_dir=False)
    app = ScreenApp(lambda: SafetyPlanScreen(journal, empty))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "could not be loaded" in text_of(app.screen)
        assert "112" in text_of(app.screen)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SafetyPlanScreen)

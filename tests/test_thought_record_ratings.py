"""The thought record rates each feeling on its own, before and after (issue 19):
the ratings field type in the loader, the app, the exports and the paper worksheet,
and a version-2 thought record still reading as it was written."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import Input, Static

from recoveryjournal import exercises as ex
from recoveryjournal.export import html, markdown, text, worksheet
from recoveryjournal.export.selection import Selection, choose
from recoveryjournal.export.shared_records import build_document
from recoveryjournal.records import ExerciseResponse
from recoveryjournal.tui.screens.exercises.response import ResponseScreen
from recoveryjournal.tui.screens.exercises.run import ExerciseRunScreen
from recoveryjournal.tui.widgets.scale import Scale

from helpers.scale_keys import check_scale_keys

HOSTILE = "[/bold] [@click=app.quit]x[/] \x1b[31mred"
SHOWN_HOSTILE = "[/bold] [@click=app.quit]x[/] [31mred"  # the ESC gone, the rest literal

# What a version-2 thought record saved: the feelings in words, one scale for the strongest.
V2_ANSWERS = {
    "situation": "Tuesday evening at home.",
    "emotion": "Anxious 8, ashamed 6",
    "emotion_strength": 8,
    "thought": "I'll lose this job too",
    "belief": 9,
    "belief_after": 4,
    "emotion_after": 3,
    "emotions_after": "Ashamed 2",
}

NEW_ANSWERS = {
    "situation": "Tuesday evening at home.",
    "emotion": [{"name": "Sad", "value": 8}, {"name": "Angry", "value": 5}],
    "thought": "I'll lose this job too",
    "emotions_after": [{"name": "Sad", "value": 4}, {"name": "Angry", "value": 2}],
}


@pytest.fixture(scope="module")
def library() -> ex.ExerciseLibrary:
    loaded = ex.load_exercises(user_dir=False)
    assert loaded.problems == []
    return loaded


def _file(tmp_path, steps: str):
    path = tmp_path / "mine.toml"
    path.write_text('id = "mine"\nversion = 1\npoint = "thoughts"\nminutes = 5\n'
                    'title = "Mine"\npurpose = "Mine."\n' + steps, encoding="utf-8")
    return path


RATINGS_STEP = '[[steps]]\nid = "{id}"\ntype = "{type}"\nprompt = "?"\nexample = "x"\n'


# ---- the loader ---------------------------------------------------------------------


def test_the_thought_record_rates_each_feeling_before_and_after(library):
    record = library.get("thought-record")
    assert record.version == 3
    asked = {s.id: s for s in record.steps}
    assert asked["emotion"].type == "ratings" and not asked["emotion"].rerate
    assert asked["emotions_after"].type == "ratings"
    assert asked["emotions_after"].rerate == "emotion"
    # The version-2 scales are no longer asked, but are still known to read old answers.
    assert "emotion_strength" not in asked and "emotion_after" not in asked
    assert record.step("emotion_strength").retired
    for language in ("en", "sv", "da", "nb"):
        assert asked["emotions_after"].prompt.by_language[language]


def test_a_ratings_step_may_rate_an_earlier_one_again(tmp_path):
    steps = RATINGS_STEP.format(id="before", type="ratings") + \
        RATINGS_STEP.format(id="after", type="ratings") + 'rerate = "before"\n'
    loaded = ex.load_exercise_file(_file(tmp_path, steps), strict=False)
    assert loaded.step("after").rerate == "before"


@pytest.mark.parametrize("steps, says", [
    (RATINGS_STEP.format(id="after", type="ratings") + 'rerate = "later"\n'
     + RATINGS_STEP.format(id="later", type="ratings"),
     "'later' is not an earlier ratings step"),
    (RATINGS_STEP.format(id="words", type="text")
     + RATINGS_STEP.format(id="after", type="ratings") + 'rerate = "words"\n',
     "'words' is not an earlier ratings step"),
    (RATINGS_STEP.format(id="before", type="ratings")
     + RATINGS_STEP.format(id="after", type="scale") + 'rerate = "before"\n',
     "only a ratings step can rate an earlier step's names again, not scale"),
    (RATINGS_STEP.format(id="before", type="ratings") + "retired = 1\n",
     "should be true or false"),
    (RATINGS_STEP.format(id="before", type="ratings") + "retired = true\n",
     "every step is retired"),
    (RATINGS_STEP.format(id="before", type="rating"), "'rating' is not a field type"),
])
def test_bad_ratings_steps_are_refused_saying_why(tmp_path, steps, says):
    with pytest.raises(ex.ExerciseFileError) as caught:
        ex.load_exercise_file(_file(tmp_path, steps), strict=False)
    assert says in str(caught.value)


def test_ratings_answers_are_read_leniently_and_lines_say_before_and_after(library):
    step = library.get("thought-record").step("emotions_after")
    assert ex.ratings_of([{"name": " Sad ", "value": 8}, {"name": "", "value": 3},
                          {"name": "Odd", "value": 11}, {"name": "Yes", "value": True},
                          "junk"]) == [("Sad", 8), ("Odd", None), ("Yes", None)]
    assert ex.answer_lines(step, NEW_ANSWERS["emotions_after"], answers=NEW_ANSWERS) == [
        "Sad: 8 of 10 → 4 of 10", "Angry: 5 of 10 → 2 of 10"]
    # Rating again is only done once a number is picked.
    assert not ex.is_answered(step, [{"name": "Sad", "value": None}])
    assert ex.ratings_from_text("Anxious 8, ashamed\nirritated 4") == [
        {"name": "Anxious", "value": 8}, {"name": "ashamed", "value": None},
        {"name": "irritated", "value": 4}]


# ---- the app ------------------------------------------------------------------------


class ScreenApp(App):
    def __init__(self, make_screen):
        super().__init__()
        self.make_screen = make_screen

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())


def _step(library, step_id: str) -> int:
    return [s.id for s in library.get("thought-record").steps].index(step_id)


async def test_rate_two_feelings_then_rate_them_again_and_save(journal, library):
    record = library.get("thought-record")
    app = ScreenApp(lambda: ExerciseRunScreen(journal, record, step=_step(library, "emotion")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(app.focused, Input)
        await pilot.press(*"Sad", "tab", "8")
        await pilot.pause()
        # A line for another feeling waits below; Enter on the scale goes to it.
        await pilot.press("enter", *"Angry", "enter", "1", "0", "left")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.answers["emotion"] == [{"name": "Sad", "value": 8},
                                             {"name": "Angry", "value": 9}]
        # Straight on to the last step: the same feelings, each to rate again.
        await screen.show_step(_step(library, "emotions_after"))
        await pilot.pause()
        shown = "\n".join(str(w.render()) for w in screen.query(Static) if w.display)
        assert "Sad" in shown and "Angry" in shown and "was 8" in shown and "was 9" in shown
        assert isinstance(app.focused, Scale)
        await pilot.press("4", "tab", "2")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = journal.records(ExerciseResponse)[-1]
    assert saved.exercise_version == 3
    assert saved.answers["emotions_after"] == [{"name": "Sad", "value": 4},
                                               {"name": "Angry", "value": 2}]


async def test_each_rating_answers_to_the_keys_of_every_scale(journal, library):
    record = library.get("thought-record")
    app = ScreenApp(lambda: ExerciseRunScreen(journal, record, NEW_ANSWERS,
                                              step=_step(library, "emotions_after")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        scales = list(app.screen.query(Scale))
        assert [s.value for s in scales] == [4, 2]
        await check_scale_keys(pilot, scales[0])
        await pilot.press("tab")
        assert app.focused is scales[1]


async def test_a_version_2_answer_still_shows_as_written(journal, library):
    old = journal.add(ExerciseResponse(exercise_id="thought-record", exercise_version=2,
                                       finished=True, answers=dict(V2_ANSWERS)))
    app = ScreenApp(lambda: ResponseScreen(library.get("thought-record"), [old]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = "\n".join(str(w.render()) for w in app.screen.query(Static))
    for words in ("Anxious 8, ashamed 6", "Ashamed 2", "8 / 10", "3 / 10",
                  "How strong was the strongest of those feelings?"):
        assert words in shown


async def test_a_version_2_draft_carries_on_with_its_words_as_ratings(journal, library):
    record = library.get("thought-record")
    app = ScreenApp(lambda: ExerciseRunScreen(journal, record, dict(V2_ANSWERS),
                                              step=_step(library, "emotion")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.capture()
        assert app.screen.answers["emotion"] == [{"name": "Anxious", "value": 8},
                                                 {"name": "ashamed", "value": 6}]


async def test_a_hostile_feeling_name_is_shown_literally(journal, library):
    record = library.get("thought-record")
    answers = {"emotion": [{"name": HOSTILE, "value": 7}]}
    app = ScreenApp(lambda: ExerciseRunScreen(journal, record, answers,
                                              step=_step(library, "emotions_after")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert SHOWN_HOSTILE in shown and "\x1b" not in shown
        assert app.is_running


# ---- exports and paper --------------------------------------------------------------


@pytest.mark.parametrize("render", [markdown.render, text.render, html.render])
def test_exports_show_each_feeling_before_and_after(journal, render):
    journal.add(ExerciseResponse(exercise_id="thought-record", exercise_version=3,
                                 finished=True, answers=dict(NEW_ANSWERS)))
    out = render(build_document(choose(journal, Selection())))
    assert "Sad: 8 of 10 → 4 of 10" in out and "Angry: 5 of 10 → 2 of 10" in out


@pytest.mark.parametrize("render", [markdown.render, text.render, html.render])
def test_exports_of_a_version_2_answer_read_as_before(journal, render):
    journal.add(ExerciseResponse(exercise_id="thought-record", exercise_version=2,
                                 finished=True, answers=dict(V2_ANSWERS)))
    out = render(build_document(choose(journal, Selection())))
    for words in ("Anxious 8, ashamed 6", "Ashamed 2", "How strong was the strongest"):
        assert words in out


def test_a_hostile_feeling_name_is_inert_in_every_export(journal):
    journal.add(ExerciseResponse(exercise_id="thought-record", exercise_version=3, answers={
        "emotion": [{"name": HOSTILE + " <script>", "value": 7}],
        "emotions_after": [{"name": HOSTILE + " <script>", "value": 3}]}))
    document = build_document(choose(journal, Selection()))
    page = html.render(document)
    assert "<script>" not in page and "&lt;script&gt;" in page and "\x1b" not in page
    plain = text.render(document)
    assert SHOWN_HOSTILE in plain and "7 of 10 → 3 of 10" in plain and "\x1b" not in plain
    assert "\x1b" not in markdown.render(document)


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_the_paper_worksheet_has_lines_to_rate_each_feeling_before_and_after(library, fmt):
    sheet = worksheet.render(library.get("thought-record"), fmt)
    assert sheet.count("____ of 10 → ____ of 10") == worksheet.RATING_LINES
    assert sheet.count("____ of 10") == 3 * worksheet.RATING_LINES
    assert "How strong was the strongest" not in sheet  # retired steps are not on paper


async def test_going_back_to_a_name_adds_to_it_instead_of_replacing_it(journal, library):
    record = library.get("thought-record")
    app = ScreenApp(lambda: ExerciseRunScreen(journal, record, NEW_ANSWERS,
                                              step=_step(library, "emotion")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "shift+tab", *"ness")
        await pilot.pause()
        app.screen.capture()
        assert app.screen.answers["emotion"][0] == {"name": "Sadness", "value": 8}


async def test_rating_again_with_no_feelings_named_says_where_to_name_them(journal, library):
    record = library.get("thought-record")
    app = ScreenApp(lambda: ExerciseRunScreen(journal, record,
                                              step=_step(library, "emotions_after")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = "\n".join(str(w.render()) for w in app.screen.query(Static) if w.display)
        assert "No feelings were named in the earlier step" in shown
        assert not app.screen.query(Scale)
        app.screen.capture()
        assert app.screen.answers["emotions_after"] == []

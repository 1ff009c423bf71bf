"""The exercise files: every shipped one is complete in four languages, and a broken
file says what is wrong (file, step, field) while the others still load."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from recoveryjournal import exercises as ex
from recoveryjournal.i18n import LANGUAGES, set_language

SHIPPED = ex.shipped_exercises_dir()
SHIPPED_FILES = sorted(SHIPPED.glob("*.toml"))

REQUIRED = {
    "cost-benefit", "change-plan", "values", "abc", "thought-record", "thinking-traps",
    "urge-surfing", "urge-voice", "deads", "play-the-tape", "halt", "problem-solving",
    "rehearsal", "self-acceptance", "lifestyle-balance", "healthy-pleasures", "week-plan",
    "safety-plan", "lapse-review", "readiness", "high-risk-situations", "small-decisions",
}


def _all_texts(exercise: ex.Exercise):
    """Every translated text of an exercise, with a name saying where it is."""
    yield "title", exercise.title
    yield "purpose", exercise.purpose
    for step in exercise.steps:
        yield f"{step.id}.prompt", step.prompt
        yield f"{step.id}.example", step.example
        for part in ("low", "high"):
            if getattr(step, part):
                yield f"{step.id}.{part}", getattr(step, part)
        for choice in (*step.choices, *step.rows, *step.columns):
            yield f"{step.id}.{choice.id}", choice.label
            if choice.hint:
                yield f"{step.id}.{choice.id}.hint", choice.hint


# ---- the shipped files ----------------------------------------------------------------


def test_shipped_folder_is_the_repository_exercises_folder_in_a_checkout():
    assert SHIPPED.is_dir()
    assert (SHIPPED / "README.md").is_file()
    assert len(SHIPPED_FILES) >= len(REQUIRED) >= 22


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_required_exercise_shows_in_each_language(language):
    """Each new file in each language: a title, a purpose and every prompt, and not the
    English text where the language is not English."""
    library = ex.load_exercises(user_dir=False)
    for exercise_id in sorted(REQUIRED):
        exercise = library.get(exercise_id)
        assert exercise is not None, exercise_id
        for where, text in _all_texts(exercise):
            shown = text.get(language)
            assert shown.strip(), (exercise_id, where, language)
            if language != "en" and len(text.get("en").split()) >= 4:
                assert shown != text.get("en"), (exercise_id, where, language)


def test_lapse_review_is_there_under_the_id_the_recovery_loop_offers():
    library = ex.load_exercises(user_dir=False)
    review = library.get(ex.LAPSE_REVIEW_ID)
    assert ex.LAPSE_REVIEW_ID == "lapse-review" and review is not None
    assert {"what_happened", "permission", "next_time", "tell"} <= {s.id for s in review.steps}


def test_deads_has_the_dispute_step_and_old_daded_answers_find_it():
    library = ex.load_exercises(user_dir=False)
    deads = library.get("deads")
    assert [s.id for s in deads.steps][:6] == [
        "delay", "escape", "avoid", "dispute", "distract", "substitute"]
    # An answer saved before the rename says "daded": it is read as DEADS.
    assert library.get("daded") is deads
    assert ex.canonical_exercise_id("daded") == "deads"
    assert "daded" not in library.exercises


def test_a_persons_file_may_not_take_an_old_id(tmp_path):
    own = tmp_path / "own"
    own.mkdir()
    (own / "mine.toml").write_text(GOOD.replace('id = "walk"', 'id = "daded"'), encoding="utf-8")
    library = ex.load_exercises(user_dir=own)
    assert library.get("daded").id == "deads"
    assert any("old id" in str(p) for p in library.problems)


def test_safety_plan_has_the_stanley_brown_steps_in_order():
    plan = ex.load_exercises(user_dir=False).get(ex.SAFETY_PLAN_ID)
    assert [s.id for s in plan.steps] == [
        "warning_signs", "on_my_own", "people_places", "who_to_call", "professionals",
        "safer_surroundings", "reason_to_keep_going"]
    safer = plan.step("safer_surroundings").prompt.get("en")
    assert "medicines" in safer and "overdose" in safer


def test_change_plan_carries_the_health_note_and_a_review_date():
    plan = ex.load_exercises(user_dir=False).get("change-plan")
    note = plan.step("health_check").prompt
    for language, words in {"en": ("benzodiazepines", "opioids", "doctor", "overdose"),
                            "sv": ("bensodiazepiner", "läkare", "överdos"),
                            "da": ("benzodiazepiner", "læge", "overdosis"),
                            "nb": ("benzodiazepiner", "lege", "overdose")}.items():
        assert all(word in note.get(language) for word in words), language
    assert plan.step("review_date") is not None


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.name)
def test_every_shipped_file_validates_strictly(path):
    exercise = ex.load_exercise_file(path, strict=True)
    assert path.stem == exercise.id, "name each file after its id, so facilitators find it"
    for where, text in _all_texts(exercise):
        for code in LANGUAGES:
            assert text.by_language.get(code, "").strip(), f"{path.name} {where}: no {code}"


def test_the_whole_library_loads_without_problems_and_has_every_required_exercise():
    library = ex.load_exercises(user_dir=False)
    assert library.problems == []
    assert REQUIRED <= set(library.exercises)
    assert {e.point for e in library.all()} == set(ex.POINTS)


def test_every_field_type_is_used_by_some_shipped_exercise():
    library = ex.load_exercises(user_dir=False)
    used = {step.type for e in library.all() for step in e.steps}
    assert used == set(ex.FIELD_TYPES)


def test_purposes_are_about_two_sentences_and_translations_are_not_english_copies():
    library = ex.load_exercises(user_dir=False)
    for exercise in library.all():
        english = exercise.purpose.get("en")
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", english) if s.strip()]
        assert 2 <= len(sentences) <= 3, exercise.id
        for code in ("sv", "da", "nb"):
            assert exercise.purpose.get(code) != english, (exercise.id, code)
            assert exercise.title.get(code) or exercise.id


def test_shipped_wording_is_never_shaming():
    library = ex.load_exercises(user_dir=False)
    shaming = re.compile(r"\b(failure|failed|relapse|addict|clean|dirty|weak-willed)\b", re.I)
    for exercise in library.all():
        for where, text in _all_texts(exercise):
            found = shaming.search(text.get("en"))
            assert found is None, f"{exercise.id} {where}: {found.group(0)!r}"


def test_thought_record_borrows_the_thinking_traps():
    library = ex.load_exercises(user_dir=False)
    traps = library.get("thinking-traps").step("traps").choices
    borrowed = library.get("thought-record").step("traps").choices
    assert borrowed == traps and len(traps) >= 10


def test_documented_step_ids_for_charts_are_the_real_ones():
    library = ex.load_exercises(user_dir=False)
    balance = library.get(ex.LIFESTYLE_BALANCE_ID)
    scale_ids = tuple(s.id for s in balance.steps if s.type == "scale")
    assert scale_ids == ex.LIFE_AREAS
    surfing = library.get(ex.URGE_SURFING_ID)
    assert surfing.step(ex.URGE_SURFING_TIMER_STEP).type == "timer"
    readme = (SHIPPED / "README.md").read_text(encoding="utf-8")
    for area in ex.LIFE_AREAS:
        assert f"`{area}`" in readme
    assert '{"minute": 0, "strength": 7}' in readme


def test_language_follows_the_app_and_falls_back_to_english():
    library = ex.load_exercises(user_dir=False)
    traps = library.get("thinking-traps")
    set_language("sv")
    assert traps.title.get() == "Tankefällor"
    set_language("nb")
    assert traps.title.get() == "Tankefeller"
    only_english = ex.Text({"en": "Walk"})
    assert only_english.get() == "Walk"
    assert {e.id for e in library.search("tankefeller")} == {"thinking-traps", "thought-record"}


def test_search_finds_by_words_in_title_purpose_prompt_and_point():
    library = ex.load_exercises(user_dir=False)
    assert "urge-surfing" in {e.id for e in library.search("wave")}
    assert {e.id for e in library.search("balanced life")} >= {"lifestyle-balance", "week-plan"}
    assert library.search("zzz-nothing") == []


# ---- broken files -----------------------------------------------------------------------

GOOD = '''
id = "walk"
version = 1
point = "balance"
minutes = 5
title = { en = "A walk", sv = "En promenad", da = "En gåtur", nb = "En tur" }
purpose = { en = "Walk. It helps.", sv = "Gå. Det hjälper.", da = "Gå. Det hjælper.", nb = "Gå. Det hjelper." }

[[steps]]
id = "where"
type = "text"
prompt = { en = "Where?", sv = "Var?", da = "Hvor?", nb = "Hvor?" }
example = { en = "Park", sv = "Parken", da = "Parken", nb = "Parken" }
'''


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path, text: str, strict: bool = True) -> list[ex.ExerciseProblem]:
    path = _write(tmp_path / "shipped", "broken.toml", text)
    with pytest.raises(ex.ExerciseFileError) as caught:
        ex.load_exercise_file(path, strict=strict)
    return caught.value.problems


def test_a_good_file_loads(tmp_path):
    exercise = ex.load_exercise_file(_write(tmp_path, "walk.toml", GOOD))
    assert exercise.id == "walk" and exercise.steps[0].prompt.get("da") == "Hvor?"


@pytest.mark.parametrize(
    "change, step, field, words",
    [
        (("type = \"text\"", "type = \"slider\""), "where", "type", "'slider' is not a field type"),
        (("prompt = {", "promt = {"), "where", "promt", "not a step field"),
        (("prompt = {", "prompt_missing = 1\nxprompt = {"), "where", "prompt", "is missing"),
        ((', nb = "Parken" }', " }"), "where", "example", "no text in nb"),
        ((', nb = "Parken" }', ', nb = "Parken", fi = "Puisto" }'), "where", "example",
         "unknown language fi"),
        (('point = "balance"', 'point = "fun"'), "", "point", "not one of the four points"),
        (("version = 1", "version = \"one\""), "", "version", "whole number"),
        (('id = "walk"', 'id = "Walk Plan"'), "", "id", "may hold only"),
        (("minutes = 5", "minutes = 0"), "", "minutes", "whole number from 1"),
        (('title = {', 'titel = "x"\nxtitle = {'), "", "title", "is missing"),
    ],
)
def test_each_kind_of_mistake_names_file_step_and_field(tmp_path, change, step, field, words):
    problems = _problems(tmp_path, GOOD.replace(*change, 1))
    messages = [str(p) for p in problems]
    match = [p for p in problems if p.field == field and p.step == step and words in p.message]
    assert match, messages
    assert messages[0].startswith("broken.toml")
    if step:
        assert f"step '{step}'" in str(match[0])


def test_not_toml_at_all(tmp_path):
    problems = _problems(tmp_path, 'id = "walk\n')
    assert "is not valid TOML" in str(problems[0]) and "line 1" in str(problems[0])


def test_step_mistakes_specific_to_field_types(tmp_path):
    broken = GOOD + '''
[[steps]]
id = "grid"
type = "grid"
prompt = { en = "G", sv = "G", da = "G", nb = "G" }
example = { en = "G", sv = "G", da = "G", nb = "G" }
rows = [{ id = "a", en = "A", sv = "A", da = "A", nb = "A" }]
columns = [{ id = "x", en = "X", sv = "X", da = "X", nb = "X" }, { id = "y", en = "Y", sv = "Y", da = "Y", nb = "Y" }]
recall = ["later"]

[[steps]]
id = "grid"
type = "choice"
prompt = { en = "C", sv = "C", da = "C", nb = "C" }
example = { en = "C", sv = "C", da = "C", nb = "C" }
choices = []

[[steps]]
id = "timer"
type = "timer"
minutes = 600
prompt = { en = "T", sv = "T", da = "T", nb = "T" }
example = { en = "T", sv = "T", da = "T", nb = "T" }
'''
    text = "\n".join(str(p) for p in _problems(tmp_path, broken))
    assert "step 'grid', field 'rows': a 2x2 grid has exactly two rows, not 1" in text
    assert "step 'grid', field 'recall': 'later' is not an earlier step" in text
    assert "step 'grid', field 'id': two steps have this id" in text
    assert "step 'grid', field 'choices': should be a non-empty list" in text
    assert "step 'timer', field 'minutes': should be a whole number from 1 to 60" in text


def test_a_broken_file_does_not_stop_the_others(tmp_path):
    shipped = tmp_path / "shipped"
    _write(shipped, "a-walk.toml", GOOD)
    _write(shipped, "b-broken.toml", GOOD.replace('"walk"', '"other"').replace('"text"', '"nope"'))
    _write(shipped, "c-not-toml.toml", "this is = = not toml")
    library = ex.load_exercises(shipped_dir=shipped, user_dir=False)
    assert list(library.exercises) == ["walk"]
    names = {p.file.name for p in library.problems}
    assert names == {"b-broken.toml", "c-not-toml.toml"}


def test_borrowing_choices_from_a_missing_step_is_reported(tmp_path):
    shipped = tmp_path / "shipped"
    _write(shipped, "walk.toml", GOOD + '''
[[steps]]
id = "traps"
type = "checklist"
choices_from = "thinking-traps/nope"
prompt = { en = "T", sv = "T", da = "T", nb = "T" }
example = { en = "T", sv = "T", da = "T", nb = "T" }
''')
    library = ex.load_exercises(shipped_dir=shipped, user_dir=False)
    assert library.get("walk") is None
    assert "step 'traps', field 'choices_from'" in str(library.problems[0])


# ---- a person's own exercises -----------------------------------------------------------


def test_own_exercises_load_from_the_config_folder_beside_the_shipped_ones(private_home):
    folder = ex.user_exercises_dir()
    assert str(folder).startswith(str(private_home))
    _write(folder, "my-walk.toml", '''
id = "my-walk"
version = 1
point = "balance"
minutes = 10
title = "My evening walk"
purpose = { en = "A walk clears my head.", sv = "En promenad rensar huvudet." }

[[steps]]
id = "route"
type = "text"
prompt = "Which way will I walk?"
example = "Along the river"
''')
    library = ex.load_exercises()
    mine = library.get("my-walk")
    assert mine is not None and not mine.shipped
    assert "cost-benefit" in library.exercises
    set_language("sv")
    assert mine.purpose.get() == "En promenad rensar huvudet."
    assert mine.title.get() == "My evening walk"  # one language: shown in every language


def test_own_file_with_a_shipped_id_is_skipped_and_the_shipped_one_kept(private_home):
    _write(ex.user_exercises_dir(), "halt.toml", GOOD.replace('"walk"', '"halt"'))
    library = ex.load_exercises()
    assert library.get("halt").shipped
    assert library.get("halt").title.get() == "HALT check"
    [problem] = library.problems
    assert "already used by halt.toml" in str(problem) and problem.field == "id"


# ---- answers ----------------------------------------------------------------------------


def test_answer_lines_show_labels_not_ids():
    library = ex.load_exercises(user_dir=False)
    halt = library.get("halt")
    states = halt.step("states")
    assert ex.answer_lines(states, ["hungry", "tired"]) == ["• Hungry", "• Tired"]
    assert ex.answer_lines(states, []) == ["(not answered)"]
    wave = library.get("urge-surfing").step("wave")
    assert ex.answer_lines(wave, [{"minute": 0, "strength": 7}]) == ["minute 0: 7/10"]


def test_an_edited_file_is_read_again(tmp_path):
    path = _write(tmp_path, "walk.toml", GOOD)
    assert ex.load_exercise_file(path).title.get() == "A walk"
    assert ex.load_exercise_file(path) is ex.load_exercise_file(path)  # unchanged: not re-parsed
    path.write_text(GOOD.replace('en = "A walk"', 'en = "An evening walk"'), encoding="utf-8")
    assert ex.load_exercise_file(path).title.get() == "An evening walk"

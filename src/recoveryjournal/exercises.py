"""Load and validate the guided exercises: one TOML file per exercise.

The shipped files live in `exercises/` at the top of the repository (an editable
install) or in `recoveryjournal/exercises/` inside an installed wheel. A person
may add their own in `<config folder>/recoveryjournal/exercises/`. The format is
documented in `exercises/README.md`.

A broken file never stops the others: each problem names the file, the step and
the field, and is kept in `ExerciseLibrary.problems` for the app to show.
Pure Python: no textual, no rich, no journal access.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .i18n import LANGUAGES, _, current_language

# The four points of the mutual-support programme, in the order groups work them.
POINTS = ("motivation", "urges", "thoughts", "balance")

FIELD_TYPES = ("text", "long_text", "scale", "choice", "checklist", "list", "grid", "timer",
               "ratings")

SCALE_MIN, SCALE_MAX = 0, 10

# Step ids other parts of the app read from saved answers (documented in exercises/README.md).
LIFESTYLE_BALANCE_ID = "lifestyle-balance"
LIFE_AREAS = ("health", "sleep", "family", "friends", "work", "money", "leisure", "meaning")
URGE_SURFING_ID = "urge-surfing"
URGE_SURFING_TIMER_STEP = "wave"
SAFETY_PLAN_ID = "safety-plan"
LAPSE_REVIEW_ID = "lapse-review"  # offered after a use is logged

# Old ids of shipped exercises -> the id they have now. Saved answers keep the id they
# were saved under; these say which exercise they belong to, so a renamed exercise
# still shows its old answers. An old id is never free for a person's own file.
ALIASES = {"daded": "deads"}


def canonical_exercise_id(exercise_id: str) -> str:
    """The id an exercise has now, for an id an answer may have been saved under."""
    return ALIASES.get(exercise_id, exercise_id)

_EXERCISE_KEYS = {"id", "version", "point", "minutes", "title", "purpose", "steps"}
_STEP_KEYS = {
    "id", "type", "prompt", "example", "optional", "recall", "low", "high",
    "choices", "choices_from", "rows", "columns", "minutes", "every", "carries",
    "come_back", "rerate", "retired",
}
# What a step's answer may hold that a person would not share by accident
# (`carries = ["names", "phones"]`): such answers are left out of a group share
# unless the person ticks that group for the share (see export/privacy.py).
CARRIES = ("names", "phones", "places", "amounts")
_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


def point_label(point: str) -> str:
    """The name of one of the four points, in the current language."""
    labels = {
        "motivation": _("Building motivation"),
        "urges": _("Coping with urges"),
        "thoughts": _("Thoughts, feelings and behaviours"),
        "balance": _("A balanced life"),
    }
    return labels.get(point, point)


# ---- the definitions -------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """One piece of text in several languages; shows the current one, else English."""

    by_language: dict[str, str]

    def get(self, language: str | None = None) -> str:
        language = language or current_language()
        for code in (language, "en", *self.by_language):
            if self.by_language.get(code):
                return self.by_language[code]
        return ""

    def __str__(self) -> str:
        return self.get()


@dataclass(frozen=True)
class Choice:
    """One option of a choice or checklist; `id` is what an answer stores."""

    id: str
    label: Text
    hint: Text | None = None


@dataclass(frozen=True)
class Step:
    """One step of an exercise: a prompt, an example and a field to fill in."""

    id: str
    type: str
    prompt: Text
    example: Text
    optional: bool = False
    recall: tuple[str, ...] = ()  # ids of earlier steps whose answers stay visible
    low: Text | None = None  # scale: what 0 means
    high: Text | None = None  # scale: what 10 means
    choices: tuple[Choice, ...] = ()
    choices_from: str = ""  # "<exercise id>/<step id>": borrow that step's choices
    rows: tuple[Choice, ...] = ()  # grid
    columns: tuple[Choice, ...] = ()  # grid
    minutes: int = 10  # timer: how long the timer runs
    every: int = 60  # timer: seconds between "how strong is it now?"
    carries: tuple[str, ...] = ()  # private kinds of detail the answer may hold (CARRIES)
    come_back: bool = False  # answered after trying the plan: the dashboard reminds (come_back.py)
    rerate: str = ""  # ratings: the earlier ratings step whose names are rated again here
    retired: bool = False  # no longer asked; kept so old answers read as they were written


@dataclass(frozen=True)
class Exercise:
    """One guided exercise, as read from its file."""

    id: str
    version: int
    point: str
    minutes: int
    title: Text
    purpose: Text
    steps: tuple[Step, ...]  # the steps a person is asked, in order
    source: Path
    shipped: bool = True
    # Every step in file order, the retired ones too: old answers to a step no longer
    # asked still show under its own question (the response screen, the exports).
    all_steps: tuple[Step, ...] = ()

    def step(self, step_id: str) -> Step | None:
        """The step with this id, asked or retired."""
        return next((s for s in self.all_steps or self.steps if s.id == step_id), None)


@dataclass(frozen=True)
class ExerciseProblem:
    """Something wrong with one exercise file, said so a facilitator can fix it."""

    file: Path
    message: str
    step: str = ""
    field: str = ""

    def __str__(self) -> str:
        where = self.file.name
        if self.step:
            where += f", step {self.step!r}"
        if self.field:
            where += f", field {self.field!r}"
        return f"{where}: {self.message}"


class ExerciseFileError(ValueError):
    """A file that cannot become an exercise; `problems` says every reason found."""

    def __init__(self, problems: list[ExerciseProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# ---- finding the files -----------------------------------------------------------


def shipped_exercises_dir() -> Path:
    """Where the shipped exercise files are: inside the installed package (a wheel),
    else the repository's top-level `exercises/` (an editable install)."""
    here = Path(__file__).resolve().parent
    inside = here / "exercises"
    if inside.is_dir():
        return inside
    return here.parent.parent / "exercises"


def user_exercises_dir() -> Path:
    """Where a person may put exercise files of their own."""
    import platformdirs

    return platformdirs.user_config_path("recoveryjournal") / "exercises"


# ---- reading one file --------------------------------------------------------------


class _Checker:
    """Collects problems for one file so a facilitator sees them all at once."""

    def __init__(self, path: Path, strict: bool):
        self.path = path
        self.strict = strict
        self.problems: list[ExerciseProblem] = []

    def fail(self, message: str, step: str = "", field: str = "") -> None:
        self.problems.append(ExerciseProblem(self.path, message, step, field))

    def text(self, raw: Any, name: str, step: str = "", required: bool = True) -> Text | None:
        """A translated text: a table of language codes, or (own files only) one string."""
        if raw is None:
            if required:
                self.fail("is missing.", step, name)
            return None
        if isinstance(raw, str) and not self.strict:
            return Text({"en": raw})
        if not isinstance(raw, dict):
            wanted = "a table with en, sv, da and nb" if self.strict else "text or a table of languages"
            self.fail(f"should be {wanted}, not {type(raw).__name__}.", step, name)
            return None
        unknown = sorted(set(raw) - set(LANGUAGES))
        if unknown:
            self.fail(f"unknown language {', '.join(unknown)} (use {', '.join(LANGUAGES)}).",
                      step, name)
        texts = {code: value for code, value in raw.items() if code in LANGUAGES}
        for code, value in texts.items():
            if not isinstance(value, str) or not value.strip():
                self.fail(f"the {code} text is empty or not text.", step, name)
        missing = [code for code in LANGUAGES if code not in texts]
        if self.strict and missing:
            self.fail(f"has no text in {', '.join(missing)}.", step, name)
        elif not texts:
            self.fail(f"needs text in at least one of {', '.join(LANGUAGES)}.", step, name)
        return Text({k: v.strip() for k, v in texts.items() if isinstance(v, str)})

    def identifier(self, raw: Any, name: str, step: str = "") -> str:
        if not isinstance(raw, str) or not raw:
            self.fail("is missing or not text.", step, name)
            return ""
        if not set(raw) <= _ID_CHARS:
            self.fail(f"{raw!r} may hold only a-z, 0-9, '-' and '_'.", step, name)
        return raw

    def whole_number(self, raw: Any, name: str, low: int, high: int, step: str = "") -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            self.fail(f"should be a whole number from {low} to {high}, not {raw!r}.", step, name)
            return low
        return raw

    def choices(self, raw: Any, name: str, step: str) -> tuple[Choice, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail("should be a non-empty list of { id = ..., en = ..., ... }.", step, name)
            return ()
        found: list[Choice] = []
        for number, entry in enumerate(raw, start=1):
            where = f"{name}[{number}]"
            if not isinstance(entry, dict):
                self.fail("should be a table with an id and its labels.", step, where)
                continue
            choice_id = self.identifier(entry.get("id"), f"{where}.id", step)
            labels = {k: v for k, v in entry.items() if k not in ("id", "hint")}
            label = self.text(labels, where, step)
            hint = self.text(entry.get("hint"), f"{where}.hint", step, required=False)
            if choice_id in {c.id for c in found}:
                self.fail(f"the id {choice_id!r} is used twice.", step, where)
            if label is not None:
                found.append(Choice(choice_id, label, hint))
        return tuple(found)


def _read_step(check: _Checker, raw: Any, number: int, earlier: list[str],
               earlier_ratings: tuple[str, ...] = ()) -> Step | None:
    if not isinstance(raw, dict):
        check.fail("should be a [[steps]] table.", f"#{number}")
        return None
    step_id = raw.get("id") if isinstance(raw.get("id"), str) and raw.get("id") else f"#{number}"
    check.identifier(raw.get("id"), "id", step_id)
    if step_id in earlier:
        check.fail("two steps have this id; answers are saved by step id, so each needs its own.",
                   step_id, "id")
    for key in sorted(set(raw) - _STEP_KEYS):
        check.fail("is not a step field this app knows (a typo?).", step_id, key)
    kind = raw.get("type")
    if kind not in FIELD_TYPES:
        check.fail(f"{kind!r} is not a field type; use one of: {', '.join(FIELD_TYPES)}.",
                   step_id, "type")
        kind = "text"
    prompt = check.text(raw.get("prompt"), "prompt", step_id)
    example = check.text(raw.get("example"), "example", step_id)
    optional = raw.get("optional", False)
    if not isinstance(optional, bool):
        check.fail("should be true or false.", step_id, "optional")
        optional = False
    come_back = raw.get("come_back", False)
    if not isinstance(come_back, bool):
        check.fail("should be true or false.", step_id, "come_back")
        come_back = False
    elif come_back and not optional:
        # A step to fill in later must let the person save without it first.
        check.fail("a come_back step must also be optional = true.", step_id, "come_back")
        come_back = False
    recall = raw.get("recall", [])
    if not isinstance(recall, list) or not all(isinstance(r, str) for r in recall):
        check.fail("should be a list of earlier step ids.", step_id, "recall")
        recall = []
    for wanted in recall:
        if wanted not in earlier:
            check.fail(f"{wanted!r} is not an earlier step of this exercise.", step_id, "recall")
    values: dict[str, Any] = {}
    carries = raw.get("carries", [])
    if not isinstance(carries, list) or not all(c in CARRIES for c in carries):
        check.fail(f"should be a list of any of: {', '.join(CARRIES)}.", step_id, "carries")
    else:
        values["carries"] = tuple(carries)
    retired = raw.get("retired", False)
    if not isinstance(retired, bool):
        check.fail("should be true or false.", step_id, "retired")
        retired = False
    values["retired"] = retired
    if kind in ("scale", "ratings"):
        values["low"] = check.text(raw.get("low"), "low", step_id, required=False)
        values["high"] = check.text(raw.get("high"), "high", step_id, required=False)
    if kind in ("choice", "checklist"):
        if "choices_from" in raw:
            source = raw["choices_from"]
            if not isinstance(source, str) or source.count("/") != 1:
                check.fail("should be '<exercise id>/<step id>'.", step_id, "choices_from")
            else:
                values["choices_from"] = source
        else:
            values["choices"] = check.choices(raw.get("choices"), "choices", step_id)
    elif "choices" in raw or "choices_from" in raw:
        check.fail(f"only choice and checklist steps have choices, not {kind}.", step_id, "choices")
    if kind == "grid":
        for name in ("rows", "columns"):
            parts = check.choices(raw.get(name), name, step_id)
            if parts and len(parts) != 2:
                check.fail(f"a 2x2 grid has exactly two {name}, not {len(parts)}.", step_id, name)
            values[name] = parts
    if "rerate" in raw:
        wanted = raw["rerate"]
        if kind != "ratings":
            check.fail(f"only a ratings step can rate an earlier step's names again, not {kind}.",
                       step_id, "rerate")
        elif not isinstance(wanted, str) or wanted not in earlier_ratings:
            check.fail(f"{wanted!r} is not an earlier ratings step of this exercise; name the "
                       "step whose feelings are rated again.", step_id, "rerate")
        else:
            values["rerate"] = wanted
    if kind == "timer":
        values["minutes"] = check.whole_number(raw.get("minutes", 10), "minutes", 1, 60, step_id)
        values["every"] = check.whole_number(raw.get("every", 60), "every", 10, 600, step_id)
    if prompt is None or example is None:
        return None
    return Step(id=step_id, type=kind, prompt=prompt, example=example, optional=optional,
                recall=tuple(recall), come_back=come_back, **values)


# Parsed files by (path, strict), kept while the file's size and time are unchanged:
# opening the exercises screen again then costs a stat per file, not a parse.
_PARSED: dict[tuple[Path, bool], tuple[tuple[int, int], Exercise]] = {}


def load_exercise_file(path: Path, strict: bool = True) -> Exercise:
    """Read and check one exercise file; raise ExerciseFileError naming every problem.

    `strict` (the shipped files) requires every text in all four languages; a
    person's own file may give one language, or plain strings."""
    path = Path(path)
    try:
        status = path.stat()
        stamp = (status.st_mtime_ns, status.st_size)
    except OSError:
        stamp = None
    cached = _PARSED.get((path, strict))
    if stamp is not None and cached is not None and cached[0] == stamp:
        return cached[1]
    exercise = _parse_exercise_file(path, strict)
    if stamp is not None:
        _PARSED[(path, strict)] = (stamp, exercise)
    return exercise


def _parse_exercise_file(path: Path, strict: bool) -> Exercise:
    check = _Checker(path, strict)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ExerciseFileError([ExerciseProblem(path, f"is not valid TOML ({exc}).")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ExerciseFileError([ExerciseProblem(path, f"could not be read ({exc}).")]) from None

    for key in sorted(set(raw) - _EXERCISE_KEYS):
        check.fail("is not an exercise field this app knows (a typo?).", field=key)
    exercise_id = check.identifier(raw.get("id"), "id")
    version = check.whole_number(raw.get("version"), "version", 1, 10_000)
    point = raw.get("point")
    if point not in POINTS:
        check.fail(f"{point!r} is not one of the four points: {', '.join(POINTS)}.", field="point")
    minutes = check.whole_number(raw.get("minutes"), "minutes", 1, 240)
    title = check.text(raw.get("title"), "title")
    purpose = check.text(raw.get("purpose"), "purpose")
    raw_steps = raw.get("steps")
    steps: list[Step] = []
    if not isinstance(raw_steps, list) or not raw_steps:
        check.fail("an exercise needs at least one [[steps]] table.", field="steps")
    else:
        seen: list[str] = []
        for number, raw_step in enumerate(raw_steps, start=1):
            ratings = tuple(s.id for s in steps if s.type == "ratings")
            step = _read_step(check, raw_step, number, seen, ratings)
            if step is not None:
                steps.append(step)
                seen.append(step.id)
            elif isinstance(raw_step, dict) and isinstance(raw_step.get("id"), str):
                seen.append(raw_step["id"])
    if check.problems:
        raise ExerciseFileError(check.problems)
    assert title is not None and purpose is not None
    asked = tuple(s for s in steps if not s.retired)
    if not asked:
        raise ExerciseFileError([ExerciseProblem(path, "every step is retired; an exercise "
                                                       "needs at least one step to ask.",
                                                 field="steps")])
    return Exercise(id=exercise_id, version=version, point=point, minutes=minutes, title=title,
                    purpose=purpose, steps=asked, source=path, shipped=strict,
                    all_steps=tuple(steps))


# ---- the whole library -------------------------------------------------------------


@dataclass
class ExerciseLibrary:
    """Every exercise that loaded, and what went wrong with the ones that did not."""

    exercises: dict[str, Exercise] = field(default_factory=dict)
    problems: list[ExerciseProblem] = field(default_factory=list)

    def get(self, exercise_id: str) -> Exercise | None:
        """The exercise with this id, or with the id it was renamed to (ALIASES)."""
        return self.exercises.get(canonical_exercise_id(exercise_id))

    def all(self) -> list[Exercise]:
        """Every exercise, by point and then by title in the current language."""
        return sorted(self.exercises.values(),
                      key=lambda e: (POINTS.index(e.point), e.title.get().casefold()))

    def by_point(self, point: str) -> list[Exercise]:
        return [e for e in self.all() if e.point == point]

    def search(self, query: str) -> list[Exercise]:
        """Exercises whose title, purpose or prompts hold every word of `query`
        (in the current language or English)."""
        words = query.casefold().split()
        found = []
        for exercise in self.all():
            haystack = " ".join(
                text.get(lang)
                for lang in {current_language(), "en"}
                for text in (exercise.title, exercise.purpose, *(s.prompt for s in exercise.steps))
            ).casefold() + " " + point_label(exercise.point).casefold()
            if all(word in haystack for word in words):
                found.append(exercise)
        return found


def load_exercises(shipped_dir: Path | None = None,
                   user_dir: Path | None | bool = None) -> ExerciseLibrary:
    """Load the shipped exercises, then the person's own (`user_dir`; None means the
    config folder, False means none). A person's file with the id of a shipped
    exercise is skipped with a problem: responses are linked to the shipped one."""
    library = ExerciseLibrary()
    folders: list[tuple[Path, bool]] = [(shipped_dir or shipped_exercises_dir(), True)]
    if user_dir is not False:
        folders.append((user_exercises_dir() if user_dir in (None, True) else Path(user_dir),
                        False))
    for folder, shipped in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                exercise = load_exercise_file(path, strict=shipped)
            except ExerciseFileError as exc:
                library.problems.extend(exc.problems)
                continue
            if exercise.id in ALIASES:
                library.problems.append(ExerciseProblem(
                    path, f"the id {exercise.id!r} was the old id of {ALIASES[exercise.id]!r}; "
                          "old answers are read under that name, so this file was skipped. "
                          "Give it an id of its own.", field="id"))
                continue
            if exercise.id in library.exercises:
                owner = library.exercises[exercise.id].source.name
                library.problems.append(ExerciseProblem(
                    path, f"the id {exercise.id!r} is already used by {owner}; this file was "
                          "skipped. Give it an id of its own.", field="id"))
                continue
            library.exercises[exercise.id] = exercise
    _borrow_choices(library)
    return library


def _borrow_choices(library: ExerciseLibrary) -> None:
    """Resolve `choices_from`, so a list such as the thinking traps is written once."""
    for exercise in list(library.exercises.values()):
        steps = []
        broken = False
        for step in exercise.all_steps or exercise.steps:
            if step.choices_from:
                source_id, source_step_id = step.choices_from.split("/")
                source = library.exercises.get(source_id)
                source_step = source.step(source_step_id) if source else None
                if source_step is None or not source_step.choices:
                    library.problems.append(ExerciseProblem(
                        exercise.source, f"there is no step {step.choices_from!r} with choices "
                                         "to borrow from.", step.id, "choices_from"))
                    broken = True
                    continue
                step = dataclasses.replace(step, choices=source_step.choices)
            steps.append(step)
        if broken:
            del library.exercises[exercise.id]
        else:
            library.exercises[exercise.id] = dataclasses.replace(
                exercise, steps=tuple(s for s in steps if not s.retired), all_steps=tuple(steps))


# ---- answers -------------------------------------------------------------------------


def empty_answer(step: Step) -> Any:
    """What an untouched step's answer looks like in `ExerciseResponse.answers`."""
    if step.type in ("text", "long_text"):
        return ""
    if step.type in ("scale", "choice"):
        return None
    if step.type in ("checklist", "list", "timer", "ratings"):
        return []
    if step.type == "grid":
        return {row.id: {column.id: "" for column in step.columns} for row in step.rows}
    return None


def is_answered(step: Step, answer: Any) -> bool:
    """Whether a person has put something into this step."""
    if answer is None:
        return False
    if step.type in ("text", "long_text") or (step.type == "ratings" and isinstance(answer, str)):
        return bool(str(answer).strip())
    if step.type == "grid":
        return isinstance(answer, dict) and any(
            str(cell).strip() for row in answer.values() if isinstance(row, dict)
            for cell in row.values())
    if step.type == "ratings" and isinstance(answer, list):
        found = ratings_of(answer)
        # Rating again is done when a number is picked; naming is done with a name.
        return any(value is not None for _name, value in found) if step.rerate else bool(found)
    if isinstance(answer, list):
        return bool(answer)
    return True


def ratings_of(answer: Any) -> list[tuple[str, int | None]]:
    """A ratings answer as (name, 0-10 or None) pairs, in order: unnamed lines and
    anything that is not a rating are left out, a value outside 0-10 counts as not
    rated. (A thought record saved before version 3 holds text here: that is [].)"""
    if not isinstance(answer, list):
        return []
    found = []
    for item in answer:
        if not isinstance(item, dict):
            continue
        name = str(item.get("name") or "").strip()
        value = item.get("value")
        if isinstance(value, bool) or not isinstance(value, int) \
                or not SCALE_MIN <= value <= SCALE_MAX:
            value = None
        if name:
            found.append((name, value))
    return found


def ratings_from_text(text: str) -> list[dict[str, Any]]:
    """Feelings written as words ("Anxious 8, ashamed 6"), as a thought record before
    version 3 kept them, made into ratings to carry on with: one per comma or line,
    a number at the end its rating. Nothing typed is dropped."""
    found = []
    for piece in str(text).replace("\n", ",").split(","):
        words = piece.strip().split()
        value = None
        if len(words) > 1 and words[-1].isdigit() and int(words[-1]) <= SCALE_MAX:
            value = int(words.pop())
        if words:
            found.append({"name": " ".join(words), "value": value})
    return found


def rated_again(step: Step, answers: dict[str, Any]) -> list[tuple[str, int | None, int | None]]:
    """For a step that rates an earlier step's names again (`rerate`): each name with
    its rating then and now, in the earlier step's order. A name rated only here (the
    earlier answer changed since) comes last, with no rating then."""
    before = ratings_of(answers.get(step.rerate)) if step.rerate else []
    now = dict(ratings_of(answers.get(step.id)))
    pairs = [(name, value, now.pop(name, None)) for name, value in before]
    return pairs + [(name, None, value) for name, value in now.items() if value is not None]


def rating_text(value: int | None) -> str:
    """One 0-10 rating in words: "8 of 10", or "not rated"."""
    if value is None:
        return _("not rated")
    return _("{value} of {top}").format(value=value, top=SCALE_MAX)


def rating_lines(step: Step, answer: Any, answers: dict[str, Any] | None = None) -> list[str]:
    """A ratings answer, one feeling a line: "Sad: 8 of 10", or for a step that rates
    them again "Sad: 8 of 10 → 4 of 10" (when the other answers are given)."""
    if step.rerate and answers is not None:
        merged = dict(answers)
        merged[step.id] = answer
        return [_("{name}: {before} → {after}").format(
                    name=name, before=rating_text(then), after=rating_text(now))
                for name, then, now in rated_again(step, merged)]
    return [_("{name}: {rating}").format(name=name, rating=rating_text(value))
            for name, value in ratings_of(answer)]


def answer_lines(step: Step, answer: Any, language: str | None = None,
                 answers: dict[str, Any] | None = None) -> list[str]:
    """An answer as plain lines of text, for recall panels, history and comparing;
    `answers` (all of the response) lets a rating done again show the one before.
    The caller cleans and renders them literally: they hold what a person typed."""
    if not is_answered(step, answer):
        return [_("(not answered)")]
    if step.type == "ratings":
        if isinstance(answer, str):  # saved before the step was a ratings step
            return answer.splitlines() or [""]
        return rating_lines(step, answer, answers)
    labels = {c.id: c.label.get(language) for c in step.choices}
    if step.type in ("text", "long_text"):
        return str(answer).splitlines() or [""]
    if step.type == "scale":
        return [f"{answer} / {SCALE_MAX}"]
    if step.type == "choice":
        return [labels.get(answer, str(answer))]
    if step.type == "checklist":
        return [f"• {labels.get(a, str(a))}" for a in answer]
    if step.type == "list":
        return [f"• {line}" for line in answer]
    if step.type == "grid":
        lines = []
        for row in step.rows:
            for column in step.columns:
                cell = str(answer.get(row.id, {}).get(column.id, "")).strip()
                if cell:
                    lines.append(f"{row.label.get(language)} — {column.label.get(language)}:")
                    lines.extend(f"  {line}" for line in cell.splitlines())
        return lines
    if step.type == "timer":
        return [_("minute {minute}: {strength}/10").format(minute=r.get("minute"),
                                                          strength=r.get("strength"))
                for r in answer if isinstance(r, dict)]
    return [str(answer)]

"""Guided exercises: pick one by point or search, work through it step by step,
save the answers, and look back at (or compare) earlier answers.

Unsaved answers are sealed as a draft as the person goes (`exercise:<id>`), so a
lock, a crash or Escape never loses them; reopening the exercise offers them back.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Header, Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from ...come_back import ComeBack, plans_to_come_back
from ...exercises import (
    POINTS,
    Exercise,
    ExerciseLibrary,
    Step,
    answer_lines,
    canonical_exercise_id,
    empty_answer,
    is_answered,
    load_exercises,
    point_label,
)
from ...i18n import N_, _, ngettext
from ...i18n.formats import format_datetime
from ...journal import Journal
from ...records import ExerciseResponse
from ...safetext import clean, one_line
from ...vault.errors import JournalLocked
from ..keymap import exercises_bindings
from ..widgets.exercise_fields import (
    ExerciseField,
    TextField,
    field_for,
    literal,
    translate_bindings,
)
from ..widgets.filter_box import FilterBox
from ..widgets.tick_list import TickList
from ..widgets.keys_footer import KeysFooter

# While typing, the draft is sealed at most this often (and at every step change).
AUTOSAVE_SECONDS = 5.0


def draft_purpose(exercise: Exercise) -> str:
    return f"exercise:{exercise.id}"


def responses_for(journal: Journal, exercise_id: str) -> list[ExerciseResponse]:
    """Saved answers to one exercise, newest first, including those saved under an old
    id of the same exercise (a renamed exercise keeps its history)."""
    wanted = canonical_exercise_id(exercise_id)
    return [r for r in reversed(journal.records(ExerciseResponse))
            if canonical_exercise_id(r.exercise_id) == wanted]


def short_prompt(step: Step, width: int = 70) -> str:
    """A prompt cut down to a heading for an answer shown again later: the part
    before a colon ("The situation: where were you?"), else its question."""
    # "(one per line)" and the like help while typing, not when reading back.
    text = re.sub(r"\s*\([^)]*\)(?=[.?]?$)", "", one_line(step.prompt.get()))
    colon = text.find(":")
    if 0 < colon <= width:
        return text[:colon]
    questions = [s.strip() for s in text.replace("? ", "?\n").split("\n") if s.strip().endswith("?")]
    sentences = [s.strip() for s in text.replace(". ", ".\n").split("\n")]
    if questions and len(questions[-1].split(". ")[-1]) <= width:
        return questions[-1].split(". ")[-1]
    return one_line(sentences[0] if len(sentences[0]) <= width else text, width).rstrip(".")


def when_text(moment: datetime) -> str:
    return format_datetime(moment.astimezone(), numeric=True)


def answers_content(exercise: Exercise, answers: dict[str, Any],
                    steps: list[Step] | None = None) -> Content:
    """Answers as literal text under bold step headings (user text never becomes markup)."""
    parts: list[Content] = []
    for step in steps if steps is not None else exercise.steps:
        if parts:
            parts.append(Content("\n\n"))
        parts.append(Content.styled(clean(short_prompt(step)), "bold"))
        for line in answer_lines(step, answers.get(step.id)):
            parts.append(Content("\n"))
            parts.append(literal(line))
    return Content("").join(parts) if parts else Content("")


def open_exercise(screen: Screen, journal: Journal, exercise: Exercise,
                  prefill: dict[str, Any] | None = None) -> None:
    """Start an exercise, offering first to carry on with a draft if there is one, or
    else to say how a plan went when a saved response waits for that (come_back.py)."""
    app = screen.app
    if app.screen is not screen:
        return  # a key typed ahead while another screen was opening: open only one
    draft = journal.draft(draft_purpose(exercise))
    if draft is None or not draft.content.get("answers"):
        waiting = None if prefill else plan_to_come_back(journal, exercise)
        if waiting is None:
            app.push_screen(ExerciseRunScreen(journal, exercise, prefill))
            return

        def come_back_chosen(choice: str | None) -> None:
            if choice == "resume":
                app.push_screen(ExerciseRunScreen(
                    journal, exercise, dict(waiting.response.answers),
                    step=waiting.step_index, responding_to=waiting.response))
            elif choice == "fresh":
                app.push_screen(ExerciseRunScreen(journal, exercise, prefill))

        app.push_screen(ComeBackScreen(waiting), come_back_chosen)
        return

    def chosen(choice: str | None) -> None:
        if choice == "resume":
            app.push_screen(ExerciseRunScreen(
                journal, exercise, dict(draft.content.get("answers", {})),
                step=int(draft.content.get("step", 0) or 0),
                responding_to=_response_of(journal, draft.content)))
        elif choice == "fresh":
            # The old draft stays until the new answers replace it: nothing is lost
            # by a slip of the finger.
            app.push_screen(ExerciseRunScreen(journal, exercise, prefill))

    app.push_screen(ResumeDraftScreen(exercise, draft.updated), chosen)


def plan_to_come_back(journal: Journal, exercise: Exercise) -> ComeBack | None:
    """This exercise's latest saved response, if it waits for its "after trying it" step."""
    mine = responses_for(journal, exercise.id)
    library = ExerciseLibrary(exercises={exercise.id: exercise})
    waiting = plans_to_come_back(library, mine[:1], datetime.now().astimezone())
    return waiting[0] if waiting else None


def _response_of(journal: Journal, draft_content: dict[str, Any]) -> ExerciseResponse | None:
    """The saved response a draft was adding to ("responding_to"), if it still exists."""
    record_id = draft_content.get("responding_to")
    found = journal.get(record_id) if isinstance(record_id, str) else None
    return found if isinstance(found, ExerciseResponse) else None


# ---- choosing an exercise --------------------------------------------------------


class ExercisesScreen(Screen):
    """Every exercise, grouped by the four points, with search and history."""

    CSS_PATH = "exercises.tcss"
    BINDINGS = [
        Binding("escape", "close", N_("Back")),
        Binding("slash", "search", N_("Search")),
        Binding("h", "history", N_("Earlier answers")),
        Binding("1", "point(0)", N_("Motivation"), show=False),
        Binding("2", "point(1)", N_("Urges"), show=False),
        Binding("3", "point(2)", N_("Thoughts"), show=False),
        Binding("4", "point(3)", N_("Balance"), show=False),
        *exercises_bindings(),
    ]

    def __init__(self, journal: Journal, library: ExerciseLibrary | None = None):
        super().__init__()
        translate_bindings(self)
        self.journal = journal
        self.library = library or load_exercises()
        self.shown: list[Exercise] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBox(placeholder=_("Search exercises…"), id="exercise-search",
                        list_id="exercise-list")
        with Horizontal(id="exercise-body"):
            yield OptionList(id="exercise-list")
            with VerticalScroll(id="exercise-detail"):
                yield Static("", id="exercise-about")
        if self.library.problems:
            yield Static(literal(_("{n} exercise file(s) could not be loaded: {first}").format(
                n=len(self.library.problems), first=str(self.library.problems[0]))),
                id="exercise-problems")
        yield KeysFooter()

    def resume_after_unlock(self):
        """After a lock and unlock: the list of exercises again (see the app)."""
        library = self.library
        return lambda journal: ExercisesScreen(journal, library)

    def on_mount(self) -> None:
        self.title = _("Exercises")
        self.fill_list(self.library.all())
        self.query_one("#exercise-list", OptionList).focus()
        for problem in self.library.problems:
            self.log.warning(str(problem))

    def on_screen_resume(self) -> None:
        # Back from an exercise: drafts and saved counts may have changed. While the
        # app locks it closes screens one by one, so this one may surface locked.
        if not self.journal.is_locked:
            self.fill_list(self.shown, keep=True)

    def fill_list(self, exercises: list[Exercise], keep: bool = False) -> None:
        options = self.query_one("#exercise-list", OptionList)
        highlighted = options.highlighted_option.id if keep and options.highlighted_option else None
        self.shown = list(exercises)
        drafts = {d.purpose for d in self._drafts()}
        options.clear_options()
        first = None
        for point in POINTS:
            group = [e for e in self.shown if e.point == point]
            if not group:
                continue
            options.add_option(Option(Content.styled(point_label(point), "bold underline"),
                                      id=f"point-{point}", disabled=True))
            for exercise in group:
                mark = "  ✎" if draft_purpose(exercise) in drafts else ""
                options.add_option(Option(literal(f" {exercise.title.get()}{mark}"),
                                          id=exercise.id))
                first = first or exercise.id
        if not self.shown:
            options.add_option(Option(_("No exercise matches that search."), disabled=True))
        target = highlighted if highlighted and highlighted in {e.id for e in self.shown} else first
        if target:
            options.highlighted = options.get_option_index(target)
        self.show_about()

    def _drafts(self):
        try:
            from ...records import Draft

            return [d for d in self.journal.records(Draft) if d.purpose.startswith("exercise:")]
        except JournalLocked:
            return []

    @property
    def current(self) -> Exercise | None:
        options = self.query_one("#exercise-list", OptionList)
        option = options.highlighted_option
        return self.library.get(option.id) if option and option.id else None

    def show_about(self) -> None:
        about = self.query_one("#exercise-about", Static)
        exercise = self.current
        if exercise is None:
            about.update("")
            return
        saved = responses_for(self.journal, exercise.id)
        parts = [
            Content.styled(clean(exercise.title.get()), "bold"),
            Content("\n"),
            literal(point_label(exercise.point) + " · "
                    + _("about {minutes} min").format(minutes=exercise.minutes) + " · "
                    + ngettext("{n} step", "{n} steps", len(exercise.steps)).format(
                        n=len(exercise.steps))),
            Content("\n\n"),
            literal(exercise.purpose.get()),
            Content("\n\n"),
        ]
        if self.journal.draft(draft_purpose(exercise)) is not None:
            parts.append(Content.styled(_("✎ You have unsaved answers here; Enter carries on."),
                                        "italic"))
            parts.append(Content("\n"))
        if saved:
            parts.append(literal(ngettext(
                "Done once, last on {when}. Press h to look back.",
                "Done {n} times, last on {when}. Press h to look back.", len(saved)).format(
                    n=len(saved), when=when_text(saved[0].when))))
        else:
            parts.append(literal(_("Not done yet. Press Enter to begin.")))
        about.update(Content("").join(parts))

    @on(OptionList.OptionHighlighted, "#exercise-list")
    def _highlighted(self) -> None:
        self.show_about()

    @on(OptionList.OptionSelected, "#exercise-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        exercise = self.library.get(event.option.id or "")
        if exercise is not None:
            open_exercise(self, self.journal, exercise)

    @on(Input.Changed, "#exercise-search")
    def _search(self, event: Input.Changed) -> None:
        query = event.value.strip()
        self.fill_list(self.library.search(query) if query else self.library.all())

    @on(Input.Submitted, "#exercise-search")
    def _search_done(self) -> None:
        self.query_one("#exercise-list", OptionList).focus()

    def action_search(self) -> None:
        self.query_one("#exercise-search", Input).focus()

    def action_point(self, index: int) -> None:
        options = self.query_one("#exercise-list", OptionList)
        point = POINTS[index]
        group = [e for e in self.shown if e.point == point]
        if group:
            options.focus()
            options.highlighted = options.get_option_index(group[0].id)

    def action_history(self) -> None:
        exercise = self.current
        if exercise is None:
            return
        if not responses_for(self.journal, exercise.id):
            self.notify(_("No saved answers for this exercise yet."))
            return
        self.app.push_screen(HistoryScreen(self.journal, exercise))

    def action_worksheet(self) -> None:
        """Save a blank, printable worksheet of the highlighted exercise (HTML, A4)."""
        from ...export import worksheet
        from ...export.files import ExportExists, write_export
        from ...i18n import current_language
        from ...vault.errors import JournalError

        exercise = self.current
        if exercise is None:
            return
        folder = _documents_folder()
        text = worksheet.render(exercise, "html")
        stem = f"worksheet-{exercise.id}-{current_language()}"
        for number in range(1, 100):
            path = folder / (f"{stem}.html" if number == 1 else f"{stem}-{number}.html")
            try:
                written = write_export(path, text)
            except ExportExists:
                continue  # never replace: the next free name
            except JournalError as exc:
                self.notify(str(exc), severity="error", markup=False, timeout=8)
                return
            self.notify(_("Saved a blank worksheet to {path}. Open it in a browser to "
                          "print it.").format(path=written), markup=False, timeout=8)
            return

    def action_close(self) -> None:
        self.dismiss()


def _documents_folder() -> Path:
    """Where saved files go: the documents folder, else home."""
    try:
        import platformdirs

        folder = platformdirs.user_documents_path()
    except Exception:  # no documents folder known on this system
        folder = Path.home()
    return folder if folder.is_dir() else Path.home()


class ResumeDraftScreen(ModalScreen[str | None]):
    """Carry on with unsaved answers, or start afresh. Escape does neither."""

    CSS_PATH = "exercises.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", N_("Cancel"))]

    def __init__(self, exercise: Exercise, updated: datetime):
        super().__init__()
        translate_bindings(self)
        self.exercise = exercise
        self.updated = updated

    def compose(self) -> ComposeResult:
        with Vertical(id="resume-box"):
            yield Static(literal(_("You have unsaved answers to “{title}” from {when}.").format(
                title=self.exercise.title.get(), when=when_text(self.updated))),
                id="resume-question")
            with Horizontal(id="resume-buttons"):
                yield Button(_("Carry on"), id="resume", variant="primary")
                yield Button(_("Start afresh"), id="fresh")

    def on_mount(self) -> None:
        self.query_one("#resume", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)


class ComeBackScreen(ResumeDraftScreen):
    """Say how a plan went (the saved answers, at their come-back step), or start afresh."""

    def __init__(self, waiting: ComeBack):
        super().__init__(waiting.exercise, waiting.response.created)
        self.waiting = waiting

    def compose(self) -> ComposeResult:
        when = when_text(self.waiting.response.created)
        if self.waiting.plan:
            question = _("On {when} you planned “{plan}”. Would you like to say how it "
                         "went?").format(when=when, plan=self.waiting.plan)
        else:
            question = _("On {when} you made a plan in “{title}”. Would you like to say "
                         "how it went?").format(when=when, title=self.exercise.title.get())
        with Vertical(id="resume-box"):
            yield Static(literal(question), id="resume-question")
            with Horizontal(id="resume-buttons"):
                yield Button(_("Say how it went"), id="resume", variant="primary")
                yield Button(_("Start afresh"), id="fresh")


# ---- working through an exercise -------------------------------------------------


class ExerciseRunScreen(Screen[ExerciseResponse | None]):
    """One exercise, one step at a time. Dismisses with the saved response, or None.

    With `responding_to`, the answers are those of a saved response and saving updates
    that response (saying how a plan went) instead of adding a new one."""

    CSS_PATH = "exercises.tcss"
    BINDINGS = [
        Binding("escape", "close", N_("Close")),
        Binding("ctrl+b", "back", N_("Back"), priority=True),
        Binding("ctrl+n", "next", N_("Next"), priority=True),
        Binding("f3", "example", N_("Example"), priority=True),
        Binding("ctrl+s", "save", N_("Save"), priority=True),
    ]

    def __init__(self, journal: Journal, exercise: Exercise,
                 answers: dict[str, Any] | None = None, step: int = 0,
                 responding_to: ExerciseResponse | None = None):
        super().__init__()
        translate_bindings(self)
        self.journal = journal
        self.exercise = exercise
        self.responding_to = responding_to
        self.answers: dict[str, Any] = {s.id: empty_answer(s) for s in exercise.steps}
        for key, value in (answers or {}).items():
            if key in self.answers:  # an old draft may name steps that are gone
                self.answers[key] = value
        self.index = max(0, min(step, len(exercise.steps) - 1))
        self.dirty = False
        self.example_shown = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="run-heading")
        yield Static("", id="run-prompt")
        with VerticalScroll(id="run-recall"):
            yield Static("", id="run-recall-text")
        yield Static("", id="run-example")
        with VerticalScroll(id="run-field"):
            pass
        with Horizontal(id="run-nav"):
            yield Button(_("Back"), id="run-back", compact=True)
            yield Button(_("Example"), id="run-show-example", compact=True)
            yield Button(_("Next"), id="run-next", compact=True, variant="primary")
            yield Button(_("Save"), id="run-save", compact=True, variant="success")
        yield KeysFooter()

    def resume_after_unlock(self):
        """After a lock and unlock: this exercise again, at the step and with the
        answers of its draft (see the app)."""
        exercise = self.exercise

        def reopen(journal: Journal) -> "ExerciseRunScreen":
            draft = journal.draft(draft_purpose(exercise))
            if draft is None:
                return ExerciseRunScreen(journal, exercise)
            return ExerciseRunScreen(journal, exercise, dict(draft.content.get("answers", {})),
                                     step=int(draft.content.get("step", 0) or 0),
                                     responding_to=_response_of(journal, draft.content))
        return reopen

    async def on_mount(self) -> None:
        self.title = clean(self.exercise.title.get())
        await self.show_step(self.index)
        self.set_interval(AUTOSAVE_SECONDS, self.autosave)

    # ---- steps --------------------------------------------------------------

    @property
    def step(self) -> Step:
        return self.exercise.steps[self.index]

    @property
    def field(self) -> ExerciseField | None:
        found = self.query(ExerciseField)
        return found.first() if found else None

    def capture(self) -> None:
        """Copy what is on screen into `answers`."""
        field = self.field
        if field is not None and field.is_mounted:
            try:
                self.answers[field.step.id] = field.answer
            except Exception as exc:  # a widget half torn down: keep the last good answer
                self.log.warning("reading an answer from a closing widget failed", exc)

    async def show_step(self, index: int) -> None:
        self.capture()
        self.index = max(0, min(index, len(self.exercise.steps) - 1))
        step = self.step
        last = self.index == len(self.exercise.steps) - 1
        self.query_one("#run-heading", Static).update(literal(
            _("Step {n} of {total}").format(n=self.index + 1, total=len(self.exercise.steps))
            + (" · " + _("optional") if step.optional else "")))
        self.query_one("#run-prompt", Static).update(literal(step.prompt.get()))
        recall = [s for s in self.exercise.steps if s.id in step.recall]
        recall_box = self.query_one("#run-recall")
        recall_box.display = bool(recall)
        if recall:
            self.query_one("#run-recall-text", Static).update(
                answers_content(self.exercise, self.answers, recall))
        self.example_shown = False
        self.query_one("#run-example", Static).display = False
        container = self.query_one("#run-field")
        await container.remove_children()
        field = field_for(step, self.answers.get(step.id))
        await container.mount(field)
        self.query_one("#run-back", Button).disabled = self.index == 0
        self.query_one("#run-next", Button).display = not last
        self.query_one("#run-save", Button).display = last
        field.focus_answer()

    async def action_next(self) -> None:
        if self.index < len(self.exercise.steps) - 1:
            await self.show_step(self.index + 1)
            self.save_draft()
        else:
            self.action_save()

    async def action_back(self) -> None:
        if self.index > 0:
            await self.show_step(self.index - 1)
            self.save_draft()

    def action_example(self) -> None:
        example = self.query_one("#run-example", Static)
        self.example_shown = not self.example_shown
        if self.example_shown:
            example.update(Content.assemble((_("For example:") + " ", "italic"),
                                            literal(self.step.example.get())))
        example.display = self.example_shown

    @on(Button.Pressed, "#run-back")
    async def _back_pressed(self) -> None:
        await self.action_back()

    @on(Button.Pressed, "#run-next")
    async def _next_pressed(self) -> None:
        await self.action_next()

    @on(Button.Pressed, "#run-show-example")
    def _example_pressed(self) -> None:
        self.action_example()

    @on(Button.Pressed, "#run-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Input.Submitted)
    async def _enter_in_text(self, event: Input.Submitted) -> None:
        # Enter on a one-line answer moves on, as in a paper form.
        if isinstance(self.field, TextField):
            event.stop()
            await self.action_next()

    @on(ExerciseField.Changed)
    def _changed(self) -> None:
        self.dirty = True

    # ---- keeping and saving -------------------------------------------------

    def has_answers(self) -> bool:
        return any(is_answered(s, self.answers.get(s.id)) for s in self.exercise.steps)

    def draft_content(self) -> dict[str, Any]:
        content = {"version": self.exercise.version, "step": self.index,
                   "answers": dict(self.answers)}
        if self.responding_to is not None:
            content["responding_to"] = self.responding_to.id
        return content

    def save_draft(self) -> None:
        """Seal what has been typed so far (called by the app before it locks, too)."""
        self.capture()
        if self.journal.is_locked:
            return
        try:
            if self.has_answers():
                self.journal.save_draft(draft_purpose(self.exercise), self.draft_content())
            self.dirty = False
        except JournalLocked:
            pass

    def autosave(self) -> None:
        if self.dirty:
            self.save_draft()

    def action_save(self) -> None:
        self.capture()
        if not self.has_answers():
            self.notify(_("There is nothing to save yet."))
            return
        missing = [s for s in self.exercise.steps
                   if not s.optional and not is_answered(s, self.answers.get(s.id))]
        if self.responding_to is not None:
            # Saying how a plan went completes the answers saved then: one response.
            response = self.journal.update(dataclasses.replace(
                self.responding_to, answers=dict(self.answers), finished=not missing))
        else:
            response = self.journal.add(ExerciseResponse(
                exercise_id=self.exercise.id,
                exercise_version=self.exercise.version,
                answers=dict(self.answers),
                finished=not missing,
            ))
        self.journal.discard_draft(draft_purpose(self.exercise))
        self.dirty = False
        if missing:
            self.notify(ngettext("Saved. One step is still empty; you can do it another time.",
                                 "Saved. {n} steps are still empty; you can do them another time.",
                                 len(missing)).format(n=len(missing)))
        else:
            self.notify(_("Saved. Well done for taking the time."))
        self.dismiss(response)

    def action_close(self) -> None:
        self.save_draft()
        if self.has_answers():
            self.notify(_("Your answers are kept as a draft. Open the exercise again to carry on."))
        self.dismiss(None)


# ---- looking back --------------------------------------------------------------


class HistoryScreen(Screen):
    """Earlier answers to one exercise: open one, or mark two and compare them."""

    CSS_PATH = "exercises.tcss"
    BINDINGS = [
        Binding("escape", "close", N_("Back")),
        Binding("enter,o", "open", N_("Open"), priority=True),
        Binding("c", "compare", N_("Compare two")),
    ]

    def __init__(self, journal: Journal, exercise: Exercise):
        super().__init__()
        translate_bindings(self)
        self.journal = journal
        self.exercise = exercise
        self.responses = responses_for(journal, exercise.id)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(literal(_("Earlier answers: {title}").format(title=self.exercise.title.get())),
                     id="history-heading")
        yield TickList[str](
            *(Selection(literal(self._describe(r)), r.id) for r in self.responses),
            id="history-list")
        yield Static(_("Space marks an answer; mark two and press c to see them side by side."),
                     id="history-hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Earlier answers")
        self.query_one(SelectionList).focus()

    def _describe(self, response: ExerciseResponse) -> str:
        first = next((s for s in self.exercise.steps
                      if is_answered(s, response.answers.get(s.id))), None)
        summary = one_line(answer_lines(first, response.answers.get(first.id))[0], 40) if first else ""
        state = "" if response.finished else " · " + _("partly done")
        return f"{when_text(response.when)}{state}  {summary}"

    def _by_id(self, response_id: str) -> ExerciseResponse | None:
        return next((r for r in self.responses if r.id == response_id), None)

    def action_open(self) -> None:
        listing = self.query_one(SelectionList)
        option = listing.highlighted_option
        response = self._by_id(option.value) if option else None  # type: ignore[union-attr]
        if response is not None:
            self.app.push_screen(ResponseScreen(self.exercise, [response]))

    def action_compare(self) -> None:
        marked = [self._by_id(i) for i in self.query_one(SelectionList).selected]
        marked = [r for r in marked if r is not None]
        if len(marked) != 2:
            self.notify(_("Mark exactly two answers with Space to compare them."))
            return
        marked.sort(key=lambda r: r.when)
        self.app.push_screen(ResponseScreen(self.exercise, marked))

    def action_close(self) -> None:
        self.dismiss()


class ResponseScreen(Screen):
    """One saved answer, or two side by side (older on the left), step by step so
    the two answers to the same step stay level with each other."""

    CSS_PATH = "exercises.tcss"
    BINDINGS = [Binding("escape", "close", N_("Back"))]

    def __init__(self, exercise: Exercise, responses: list[ExerciseResponse]):
        super().__init__()
        translate_bindings(self)
        self.exercise = exercise
        self.responses = responses

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="response-body"):
            with Horizontal(classes="response-row"):
                for response in self.responses:
                    yield Static(Content.styled(_("Saved {when}").format(
                        when=when_text(response.when)), "bold underline"),
                        classes="response-when response-cell")
            for step in self.exercise.steps:
                yield Static(Content.styled(clean(short_prompt(step)), "bold"),
                             classes="response-step")
                with Horizontal(classes="response-row"):
                    for response in self.responses:
                        lines = answer_lines(step, response.answers.get(step.id))
                        yield Static(literal("\n".join(lines)),
                                     classes="response-answers response-cell")
        yield KeysFooter()

    def on_mount(self) -> None:
        # The title, not the sub-title: the app keeps "DEMO" there.
        title = clean(self.exercise.title.get())
        self.title = (_("{title}, side by side").format(title=title)
                      if len(self.responses) == 2 else title)

    def action_close(self) -> None:
        self.dismiss()

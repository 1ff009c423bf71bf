"""Working through an exercise, one step at a time; what is typed is sealed as a
draft as the person goes, and saved as an answer at the end."""

from __future__ import annotations

import dataclasses
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Static

from ....exercises import Exercise, Step, empty_answer, is_answered
from ....i18n import N_, _, ngettext
from ....journal import Journal
from ....records import ExerciseResponse
from ....safetext import clean
from ....vault.errors import JournalLocked
from ...widgets.exercise_fields import (
    ExerciseField,
    TextField,
    field_for,
    literal,
    translate_bindings,
)
from ...widgets.keys_footer import KeysFooter
from .answers import answers_content, draft_purpose, response_of

# While typing, the draft is sealed at most this often (and at every step change).
AUTOSAVE_SECONDS = 5.0


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
                                     responding_to=response_of(journal, draft.content))
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
        field = field_for(step, self.answers.get(step.id), self.answers)
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

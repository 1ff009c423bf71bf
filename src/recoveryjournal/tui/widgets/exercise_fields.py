"""One widget per exercise field type, each with `answer` in and out.

Labels come from exercise files (a person may write their own), and answers are
what a person typed: both are shown as `Content(...)`, never parsed as markup.
"""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import (
    Button,
    Input,
    RadioSet,
    SelectionList,
    Sparkline,
    Static,
    TextArea,
)
from textual.widgets.selection_list import Selection

from ...exercises import Step, empty_answer, ratings_from_text, ratings_of
from ...i18n import _
from ...safetext import clean
from ..keymap import translate_bindings  # noqa: F401  (the screens import it from here)
from .scale import Scale
from .writing_area import WritingArea
from .tick_list import ChoiceButton, TickList


def literal(text: str) -> Content:
    """Untrusted text, cleaned of control characters, shown exactly as written."""
    return Content(clean(text))


def put_cursor_at_end(widget: Widget) -> None:
    """A box that comes back with earlier words: typing goes on after them."""
    if isinstance(widget, TextArea):
        widget.move_cursor(widget.document.end)
    elif isinstance(widget, Input):
        widget.cursor_position = len(widget.value)


class ExerciseField(Vertical):
    """Base for a step's input. Subclasses implement `answer` and `focus_answer()`."""

    DEFAULT_CSS = "ExerciseField { height: auto; }"

    class Changed(Message):
        """The person changed the answer (the runner marks its draft unsaved)."""

        def __init__(self, field: "ExerciseField") -> None:
            super().__init__()
            self.field = field

    def __init__(self, step: Step, answer: Any = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.step = step
        self._initial = empty_answer(step) if answer is None else answer

    @property
    def answer(self) -> Any:
        raise NotImplementedError

    def focus_answer(self) -> None:
        """Put the cursor where the person answers."""
        self.focus_chain_first()

    def focus_chain_first(self) -> None:
        focusable = [w for w in self.query("*") if w.focusable]
        if focusable:
            focusable[0].focus()
            put_cursor_at_end(focusable[0])

    def changed(self) -> None:
        self.post_message(self.Changed(self))


class TextField(ExerciseField):
    """One line of text; Enter moves to the next step."""

    def compose(self) -> ComposeResult:
        yield Input(value=str(self._initial or ""), id="answer")

    @property
    def answer(self) -> str:
        return self.query_one(Input).value

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.changed()


class LongTextField(ExerciseField):
    """Several lines of text."""

    def compose(self) -> ComposeResult:
        area = WritingArea(str(self._initial or ""), id="answer", soft_wrap=True)
        yield area

    @property
    def answer(self) -> str:
        return self.query_one(TextArea).text

    @on(TextArea.Changed)
    def _typed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.changed()


class ListField(LongTextField):
    """A list of items, one per line: quick to type, easy to read back."""

    def compose(self) -> ComposeResult:
        lines = self._initial if isinstance(self._initial, list) else []
        area = WritingArea("\n".join(str(line) for line in lines), id="answer", soft_wrap=True)
        area.border_subtitle = _("one per line")
        yield area

    @property
    def answer(self) -> list[str]:
        return [line.strip() for line in self.query_one(TextArea).text.splitlines()
                if line.strip()]


class ScaleField(ExerciseField):
    """A 0-10 scale with the meaning of both ends."""

    def compose(self) -> ComposeResult:
        yield Scale(self._initial if isinstance(self._initial, int) else None, id="answer")
        ends = []
        if self.step.low:
            ends.append(f"0 = {self.step.low.get()}")
        if self.step.high:
            ends.append(f"10 = {self.step.high.get()}")
        hint = "   ".join(ends)
        yield Static(literal(hint + ("   " if hint else "") + _("(a number, 1 then 0 for 10, or ← →)")),
                     classes="scale-ends")

    @property
    def answer(self) -> int | None:
        return self.query_one(Scale).value

    @on(Scale.Changed)
    def _chosen(self, event: Scale.Changed) -> None:
        event.stop()
        self.changed()


def _choice_text(label: str, hint: str) -> Content:
    return literal(f"{label} — {hint}" if hint else label)


class ChoiceField(ExerciseField):
    """Pick one option."""

    def compose(self) -> ComposeResult:
        with RadioSet(id="answer"):
            for choice in self.step.choices:
                yield ChoiceButton(
                    _choice_text(choice.label.get(), choice.hint.get() if choice.hint else ""),
                    value=choice.id == self._initial,
                )

    @property
    def answer(self) -> str | None:
        radio = self.query_one(RadioSet)
        index = radio.pressed_index
        return self.step.choices[index].id if index >= 0 else None

    @on(RadioSet.Changed)
    def _picked(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.changed()


class ChecklistField(ExerciseField):
    """Tick any options; space ticks. A choice's hint shows in full below the list
    while it is highlighted, so a reference such as the thinking traps stays readable."""

    def compose(self) -> ComposeResult:
        ticked = set(self._initial or [])
        yield TickList[str](
            *(Selection(literal(c.label.get()), c.id, c.id in ticked) for c in self.step.choices),
            id="answer",
        )
        if any(c.hint for c in self.step.choices):
            yield Static("", classes="choice-hint")

    def on_mount(self) -> None:
        self._show_hint(0)

    def _show_hint(self, index: int | None) -> None:
        hints = self.query(".choice-hint")
        if not hints or index is None or not 0 <= index < len(self.step.choices):
            return
        choice = self.step.choices[index]
        hints.first(Static).update(Content.assemble(
            (clean(choice.label.get()), "bold"),
            literal(": " + choice.hint.get()) if choice.hint else ""))

    @on(SelectionList.SelectionHighlighted)
    def _highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        event.stop()
        self._show_hint(event.selection_index)

    @property
    def answer(self) -> list[str]:
        ticked = set(self.query_one(SelectionList).selected)
        # Keep the order of the exercise file, not the order of ticking.
        return [c.id for c in self.step.choices if c.id in ticked]

    @on(SelectionList.SelectedChanged)
    def _ticked(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        self.changed()


class GridField(ExerciseField):
    """A 2x2 grid of text boxes, each titled with its row and column."""

    def compose(self) -> ComposeResult:
        answer = self._initial if isinstance(self._initial, dict) else {}
        with Grid(id="answer", classes="grid2x2"):
            for row in self.step.rows:
                for column in self.step.columns:
                    area = WritingArea(str(answer.get(row.id, {}).get(column.id, "")),
                                    id=f"cell-{row.id}-{column.id}", soft_wrap=True)
                    area.border_title = literal(f"{row.label.get()} · {column.label.get()}")
                    yield area

    def on_mount(self) -> None:
        self._fit(self.app.size.height)

    def on_resize(self) -> None:
        self._fit(self.app.size.height)

    def _fit(self, height: int) -> None:
        # Three lines per box fit beside the prompt at 80x24; taller terminals get more.
        rows = 5 if height < 34 else 9
        self.query_one(Grid).styles.grid_rows = f"{rows} {rows}"

    @property
    def answer(self) -> dict[str, dict[str, str]]:
        return {
            row.id: {column.id: self.query_one(f"#cell-{row.id}-{column.id}", TextArea).text
                     for column in self.step.columns}
            for row in self.step.rows
        }

    @on(TextArea.Changed)
    def _typed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.changed()


class TimerField(ExerciseField):
    """A timer that asks how strong the urge is every `step.every` seconds.

    Time moves only through `tick(seconds)`: a one-second interval calls it while
    the timer runs, and tests call it directly, so nothing ever sleeps."""

    # Seconds between real ticks; tests set it to None and call tick() themselves.
    clock_seconds: float | None = 1.0

    running: reactive[bool] = reactive(False)
    elapsed: reactive[int] = reactive(0)
    asking: reactive[bool] = reactive(False)

    def __init__(self, step: Step, answer: Any = None, **kwargs) -> None:
        super().__init__(step, answer, **kwargs)
        self.readings: list[dict[str, int]] = [
            dict(r) for r in (answer or []) if isinstance(r, dict)]
        self._interval = None

    def compose(self) -> ComposeResult:
        yield Static("", id="timer-clock")
        yield Static("", id="timer-question")
        with Horizontal(id="timer-row"):
            yield Scale(self.readings[-1]["strength"] if self.readings else None,
                           id="strength")
            yield Button(_("Record"), id="timer-record", compact=True)
            yield Button(_("Start"), id="timer-start", compact=True)
        yield Sparkline([r["strength"] for r in self.readings], id="timer-wave")
        yield Static("", id="timer-readings")

    def on_mount(self) -> None:
        self._show()

    @property
    def total_seconds(self) -> int:
        return self.step.minutes * 60

    @property
    def answer(self) -> list[dict[str, int]]:
        return [dict(r) for r in self.readings]

    def focus_answer(self) -> None:
        self.query_one("#strength", Scale).focus()

    # ---- time ---------------------------------------------------------------

    def start(self) -> None:
        """Start (or restart after a stop); the first reading is minute 0."""
        if self.running:
            return
        self.running = True
        self.asking = True
        if self.clock_seconds and self._interval is None:
            self._interval = self.set_interval(self.clock_seconds, self._one_second)
        self._show()

    def stop(self) -> None:
        self.running = False
        self.asking = False
        if self._interval is not None:
            self._interval.stop()
            self._interval = None
        self._show()

    def _one_second(self) -> None:
        self.tick(1)

    def tick(self, seconds: int = 1) -> None:
        """Let `seconds` pass. Each `every` seconds the timer asks again."""
        if not self.running:
            return
        before = self.elapsed
        self.elapsed = min(self.total_seconds, self.elapsed + seconds)
        if self.elapsed // self.step.every > before // self.step.every:
            self.asking = True
            self.app.bell()
        if self.elapsed >= self.total_seconds:
            self.stop()
            self.asking = True  # one last rating when the time is up
        self._show()

    @property
    def minute(self) -> int:
        return self.elapsed // 60

    def record(self, strength: int | None = None) -> None:
        """Note the urge's strength for the current minute (replacing one given earlier)."""
        bar = self.query_one("#strength", Scale)
        value = bar.value if strength is None else strength
        if value is None:
            self.notify(_("Choose how strong the urge is, 0 to 10, first."))
            return
        bar.value = value
        minute = self.minute
        self.readings = [r for r in self.readings if r["minute"] != minute]
        self.readings.append({"minute": minute, "strength": int(value)})
        self.readings.sort(key=lambda r: r["minute"])
        self.asking = False
        self._show()
        self.changed()

    # ---- showing it ---------------------------------------------------------

    def _show(self) -> None:
        if not self.query("#timer-clock"):
            return  # not composed yet
        left = self.total_seconds - self.elapsed
        clock = _("{m}:{s:02d} gone · {lm}:{ls:02d} to go").format(
            m=self.elapsed // 60, s=self.elapsed % 60, lm=left // 60, ls=left % 60)
        if not self.running and self.elapsed == 0:
            clock = _("{minutes} minutes. Rate the urge, then press Start.").format(
                minutes=self.step.minutes)
        elif not self.running:
            clock += " · " + _("stopped")
        self.query_one("#timer-clock", Static).update(clock)
        question = ""
        if self.asking:
            question = _("Minute {minute}: how strong is the urge now? Choose 0-10, then Enter."
                         ).format(minute=self.minute)
        self.query_one("#timer-question", Static).update(question)
        self.query_one("#timer-start", Button).label = _("Stop") if self.running else _("Start")
        wave = self.query_one("#timer-wave", Sparkline)
        wave.data = [r["strength"] for r in self.readings]
        wave.display = len(self.readings) >= 2  # one reading is a dot, not a wave
        wave.styles.width = min(4 * len(self.readings), 80)
        readings = "  ".join(_("min {minute}: {strength}").format(**r) for r in self.readings)
        self.query_one("#timer-readings", Static).update(
            _("Readings: {readings}").format(readings=readings) if readings else "")

    @on(Button.Pressed, "#timer-start")
    def _start_stop(self, event: Button.Pressed) -> None:
        event.stop()
        if self.running:
            self.stop()
        else:
            self.start()
            if self.query_one("#strength", Scale).value is not None and not self.readings:
                self.record()
            self.focus_answer()

    @on(Button.Pressed, "#timer-record")
    def _record_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.record()

    @on(Scale.Changed)
    def _chosen(self, event: Scale.Changed) -> None:
        event.stop()

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter" and isinstance(self.screen.focused, Scale):
            event.stop()
            if not self.running and self.elapsed == 0:
                self.start()
            self.record()

    def on_unmount(self) -> None:
        if self._interval is not None:
            self._interval.stop()


class RatingsField(ExerciseField):
    """Feelings, each with its own 0-10 rating: a name box and a scale on each line.

    Naming (no `rerate`): an empty line always waits at the end, so typing a name
    there adds a line for the next feeling. Rating again (`rerate`): the names come
    from the earlier step's answer, each with what it was then, and only the scales
    change. Tab moves name → scale → next line; Enter does the same."""

    DEFAULT_CSS = """
    RatingsField .rating-row { height: 1; margin: 0 0 1 0; }
    RatingsField .rating-name { width: 1fr; max-width: 28; height: 1; margin: 0 1 0 0; }
    RatingsField .rating-then { width: auto; margin: 0 0 0 1; color: $text-muted; }
    RatingsField Scale { width: 34; }
    """

    def __init__(self, step: Step, answer: Any = None, answers: dict[str, Any] | None = None,
                 **kwargs) -> None:
        if isinstance(answer, str):  # a draft from before this was a ratings step
            answer = ratings_from_text(answer)
        super().__init__(step, answer, **kwargs)
        earlier = (answers or {}).get(step.rerate) if step.rerate else None
        if isinstance(earlier, str):
            earlier = ratings_from_text(earlier)
        self.earlier = ratings_of(earlier)

    def compose(self) -> ComposeResult:
        saved = ratings_of(self._initial)
        if self.step.rerate:
            now = dict(saved)
            if not self.earlier:
                yield Static(_("No feelings were named in the earlier step. Go back "
                               "(Ctrl+B) to name them, then rate them again here."),
                             classes="rating-none")
            for number, (name, then) in enumerate(self.earlier):
                with Horizontal(classes="rating-row"):
                    yield Static(literal(name), classes="rating-name")
                    yield Scale(now.get(name), id=f"rating-{number}")
                    yield Static(_("was {value}").format(value="–" if then is None else then),
                                 classes="rating-then")
        else:
            for name, value in saved:
                yield self._naming_row(name, value)
            yield self._naming_row("", None)
        yield Static(literal(self._hint()), classes="scale-ends")

    def _naming_row(self, name: str, value: int | None) -> Horizontal:
        return Horizontal(
            # No select-all on focus: a Tab back to a name must not let typing replace it.
            Input(value=name, placeholder=_("a feeling"), compact=True, select_on_focus=False,
                  classes="rating-name"),
            Scale(value),
            classes="rating-row")

    def _hint(self) -> str:
        ends = []
        if self.step.low:
            ends.append(f"0 = {self.step.low.get()}")
        if self.step.high:
            ends.append(f"10 = {self.step.high.get()}")
        keys = (_("Rate each one: a number, 1 then 0 for 10, or ← →. Tab moves on.")
                if self.step.rerate else
                _("Name a feeling, then Tab and rate it: a number, 1 then 0 for 10, or ← →. "
                  "A new line waits below."))
        return "   ".join(ends) + ("\n" if ends else "") + keys

    def focus_answer(self) -> None:
        self.focus_chain_first()

    @property
    def answer(self) -> list[dict[str, Any]]:
        found = []
        for number, row in enumerate(self.query(".rating-row").results(Horizontal)):
            scale = row.query_one(Scale)
            if self.step.rerate:
                name = self.earlier[number][0]
            else:
                name = row.query_one(Input).value.strip()
            if name:
                found.append({"name": name, "value": scale.value})
        return found

    @on(Input.Changed)
    async def _named(self, event: Input.Changed) -> None:
        event.stop()
        rows = list(self.query(".rating-row").results(Horizontal))
        if rows and event.input in rows[-1].query(Input) and event.value.strip():
            # The waiting line is used: another waits below it.
            await self.mount(self._naming_row("", None), after=rows[-1])
        self.changed()

    @on(Input.Submitted)
    def _name_done(self, event: Input.Submitted) -> None:
        # Enter after a name goes to its scale, as Tab does.
        event.stop()
        row = event.input.parent
        if row is not None:
            row.query_one(Scale).focus()

    @on(Scale.Changed)
    def _rated(self, event: Scale.Changed) -> None:
        event.stop()
        self.changed()

    def on_key(self, event: events.Key) -> None:
        # Enter on a scale: on to the next line, as Tab does.
        if event.key == "enter" and isinstance(self.screen.focused, Scale) \
                and self.screen.focused in self.query(Scale):
            event.stop()
            self.screen.focus_next()


FIELD_WIDGETS: dict[str, type[ExerciseField]] = {
    "text": TextField,
    "long_text": LongTextField,
    "scale": ScaleField,
    "choice": ChoiceField,
    "checklist": ChecklistField,
    "list": ListField,
    "grid": GridField,
    "timer": TimerField,
    "ratings": RatingsField,
}


def field_for(step: Step, answer: Any = None,
              answers: dict[str, Any] | None = None) -> ExerciseField:
    """The widget that asks for `step`'s answer, filled with `answer`; `answers` (all
    of them so far) gives a step that rates earlier feelings again their names."""
    kind = FIELD_WIDGETS[step.type]
    extra = {"answers": answers} if kind is RatingsField else {}
    return kind(step, answer, id=f"field-{step.id}", classes=f"field-{step.type}", **extra)

"""Numbered steps, one shown at a time: a light stand-in for Textual's TabbedContent.

TabbedContent draws its tabs with a widget per tab and an animated underline; on
the export screen they cost more to first paint than the whole first step
(bench/export_paint.py). Here the steps are one line of text, the open one marked
by more than colour ("▸" and reversed), so it reads in any theme and without
colour; ← → on the line or a click on a step opens it.

    with Steps(id="export-steps"):
        with Step(_("1 Choose"), id="choose"):
            ...
        yield Step(_("2 Pick"), id="pick")

`Steps.active` is the open step's id (set it to open another); `Steps.Opened`
is posted each time a step opens, the first one included.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import ContentSwitcher

from ...i18n import N_

GAP = "   "
MARK = "▸ "


class Step(Vertical):
    """One step: its title for the bar and what it shows."""

    DEFAULT_CSS = "Step { height: 1fr; }"

    def __init__(self, title: str, *children: Widget, id: str, **kwargs) -> None:  # noqa: A002
        super().__init__(*children, id=id, **kwargs)
        self.title = title


class StepBar(Widget, can_focus=True):
    """The line of step titles."""

    DEFAULT_CSS = """
    StepBar {
        height: 1;
        width: 1fr;
        padding: 0 1;
        color: $text-muted;
    }
    StepBar:focus {
        color: $text;
        text-style: bold;
    }
    """
    BINDINGS = [
        Binding("left", "move(-1)", N_("Previous step"), show=False),
        Binding("right", "move(1)", N_("Next step"), show=False),
    ]

    def __init__(self, steps: list[tuple[str, str]], active: str) -> None:
        super().__init__()
        self.steps = steps
        self.active = active

    def _pieces(self) -> list[tuple[str, str, bool]]:
        """(id, text, open) for each step, in order."""
        return [(step_id, (MARK if step_id == self.active else "") + title,
                 step_id == self.active) for step_id, title in self.steps]

    def render(self) -> Content:
        parts: list[str | tuple[str, str]] = []
        for number, (_step_id, text, is_open) in enumerate(self._pieces()):
            if number:
                parts.append(GAP)
            parts.append((f" {text} ", "reverse bold") if is_open else f" {text} ")
        return Content.assemble(*parts)

    def on_click(self, event: events.Click) -> None:
        x = event.x - self.styles.padding.left
        for number, (step_id, text, _is_open) in enumerate(self._pieces()):
            width = Content(f" {text} ").cell_length
            if 0 <= x < width:
                self._open(step_id)
                return
            x -= width + (len(GAP) if number < len(self.steps) - 1 else 0)

    def action_move(self, delta: int) -> None:
        order = [step_id for step_id, _title in self.steps]
        index = order.index(self.active) if self.active in order else 0
        self._open(order[max(0, min(index + delta, len(order) - 1))])

    def _open(self, step_id: str) -> None:
        if isinstance(self.parent, Steps):
            self.parent.active = step_id


class Steps(Widget):
    """A StepBar over the steps, one shown at a time."""

    DEFAULT_CSS = """
    Steps {
        height: 1fr;
    }
    Steps > ContentSwitcher {
        height: 1fr;
    }
    """
    active: reactive[str] = reactive("", init=False)

    class Opened(Message):
        """A step was opened (`step` is its id)."""

        def __init__(self, steps: Steps, step: str) -> None:
            super().__init__()
            self.steps = steps
            self.step = step

        @property
        def control(self) -> Steps:
            return self.steps

    def __init__(self, *steps: Step, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._steps: list[Step] = list(steps)

    def compose_add_child(self, widget: Widget) -> None:
        if not isinstance(widget, Step):
            raise TypeError("Steps holds Step widgets only")
        self._steps.append(widget)

    def compose(self) -> ComposeResult:
        first = self._steps[0].id or ""
        # Kept, not queried: a step may hold a ContentSwitcher of its own.
        self._bar = StepBar([(step.id or "", step.title) for step in self._steps], first)
        self._switcher = ContentSwitcher(*self._steps, initial=first)
        yield self._bar
        yield self._switcher

    def on_mount(self) -> None:
        self.active = self._steps[0].id or ""

    def validate_active(self, step_id: str) -> str:
        known = [step.id for step in self._steps]
        return step_id if step_id in known else self.active

    def watch_active(self, step_id: str) -> None:
        # At once, not on a message: whoever opened the step may focus inside it next.
        self._switcher.current = step_id
        self._bar.active = step_id
        self._bar.refresh()
        self.post_message(self.Opened(self, step_id))

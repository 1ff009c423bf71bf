"""The 0-10 scale: one widget for every "how strong, from 0 to 10?" in the app.

Urge now, urge surfing's minute ratings and the exercises' scale and timer steps
all ask the same question, so they answer to the same keys: a digit picks it
("1" then "0" makes ten), ← → move one, Home and End jump to 0 and 10, a click
picks the number under the mouse. Where a screen means Enter as "that is my
answer" (Urge now), the scale is made with `confirm=True`: Enter then posts
`Scale.Chosen` and the footer shows it; elsewhere Enter is left to the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ...i18n import N_
from ..keymap import translate_bindings

LOWEST = 0
HIGHEST = 10
_NUMBERS = range(LOWEST, HIGHEST + 1)


def _cell(number: int) -> str:
    return f" {number} "


class Scale(Widget, can_focus=True):
    """Pick a whole number from 0 to 10; `value` is None until one is picked."""

    DEFAULT_CSS = """
    Scale { height: auto; width: auto; }
    Scale:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("left,minus", "step(-1)", N_("Less"), show=False),
        Binding("right,plus", "step(1)", N_("More"), show=False),
        Binding("home", "pick(0)", N_("Lowest"), show=False),
        Binding("end", "pick(10)", N_("Highest"), show=False),
        # Only where Enter means "that is my answer" (check_action hides it elsewhere).
        Binding("enter", "confirm", N_("Confirm")),
    ]

    value: reactive[int | None] = reactive(None)

    @dataclass
    class Changed(Message):
        """A number was picked (the same number again counts: "still a 6")."""

        scale: "Scale"
        value: int | None

        @property
        def control(self) -> "Scale":
            return self.scale

    @dataclass
    class Chosen(Message):
        """Enter on a scale made with `confirm=True`: the person's answer."""

        scale: "Scale"
        value: int

        @property
        def control(self) -> "Scale":
            return self.scale

    def __init__(self, value: int | None = None, *, confirm: bool = False, bar: bool = False,
                 hint: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.confirm = confirm
        self.bar = bar  # a bar under the numbers that grows with the value
        self.hint = hint  # a dim line under it, already in the person's language
        self._after_one = False  # the last key was the digit 1: a 0 now makes ten
        self.set_reactive(Scale.value, value)

    def on_mount(self) -> None:
        translate_bindings(self)

    # ---- showing it ----------------------------------------------------------------

    def render(self) -> Content:
        cells = []
        for number in _NUMBERS:
            # Brackets as well as colour: the choice must show on any terminal.
            if number == self.value:
                cells.append(Content.styled(f"[{number}]", "reverse bold"))
            else:
                cells.append(Content(_cell(number)))
        lines = [Content.assemble(*cells)]
        if self.bar:
            # Filled to the end of the chosen number's cell: 10 fills the whole row.
            width = sum(len(_cell(n)) for n in _NUMBERS)
            filled = sum(len(_cell(n)) for n in _NUMBERS if n <= (self.value or 0))
            filled = filled if self.value else 0
            lines.append(Content.assemble(("█" * filled, "$accent"),
                                          ("░" * (width - filled), "dim")))
        if self.hint:
            lines.append(Content.styled(self.hint, "dim"))
        return Content("\n").join(lines)

    def get_content_width(self, container, viewport) -> int:
        numbers = sum(len(_cell(n)) for n in _NUMBERS)
        return max(numbers, min(len(self.hint), container.width))

    # ---- keys and clicks -------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return self.confirm  # False: Enter goes on to the screen's own binding
        return True

    def pick(self, number: int) -> None:
        """The person picked `number` (also when it is the value already)."""
        number = max(LOWEST, min(HIGHEST, number))
        if number == self.value:
            self.post_message(self.Changed(self, number))
        self.value = number

    def watch_value(self, value: int | None) -> None:
        self.post_message(self.Changed(self, value))

    def action_step(self, delta: int) -> None:
        self._after_one = False
        # The first arrow press on an empty scale lands in the middle.
        self.pick(5 if self.value is None else self.value + delta)

    def action_pick(self, number: int) -> None:
        self._after_one = False
        self.pick(number)

    def action_confirm(self) -> None:
        self._after_one = False
        if self.value is not None:
            self.post_message(self.Chosen(self, self.value))

    def on_key(self, event: events.Key) -> None:
        if not (event.character and event.character in "0123456789"):
            return
        event.stop()
        digit = int(event.character)
        # "1" then "0" is ten; a 0 after anything else (or after arrows) is zero.
        self.pick(10 if digit == 0 and self._after_one else digit)
        self._after_one = digit == 1

    def on_click(self, event: events.Click) -> None:
        if event.y != 0:
            return
        offset = 0
        for number in _NUMBERS:
            width = len(_cell(number))
            if offset <= event.x < offset + width:
                self._after_one = False
                self.pick(number)
                return
            offset += width

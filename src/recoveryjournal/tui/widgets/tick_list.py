"""Boxes that look ticked only when they are: a list to tick, one box, one choice.

Textual's SelectionList, Checkbox and RadioButton draw the same mark ("X" or
"●") in every box and tell ticked from unticked by colour alone: in some themes
an unticked box reads as ticked, and without colour (NO_COLOR, 16 colours) every
box does. Here a ticked box shows "✓" (a chosen option "●") and an unticked one
is empty, so the shape says it in any theme. Use these instead of Textual's.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

SelectionType = TypeVar("SelectionType")

TICKED = "✓"
UNTICKED = " "
CHOSEN = "●"


class TickBox(Checkbox):
    """A Checkbox with "✓" when ticked and an empty box when not."""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 (Textual's name, read by ToggleButton)
        return TICKED if self.value else UNTICKED


class ChoiceButton(RadioButton):
    """A RadioButton with "●" when chosen and an empty circle when not."""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802
        return CHOSEN if self.value else UNTICKED


class TickList(SelectionList[SelectionType], Generic[SelectionType]):
    """A SelectionList with "✓" for ticked and an empty box for unticked."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        _x, scroll_y = self.scroll_offset
        try:
            selection = self.get_option_at_index(scroll_y + y)
        except OptionDoesNotExist:
            return line
        segments = list(line)
        # SelectionList draws [left side, "X", right side, " ", prompt...].
        if len(segments) < 3 or segments[1].text != "X":
            return line
        inner = segments[1]
        glyph = TICKED if selection.value in self._selected else UNTICKED
        segments[1] = Segment(glyph, inner.style, inner.control)
        return Strip(segments, line.cell_length)

"""A list of options to tick, whose boxes look ticked only when they are.

Textual's SelectionList draws an "X" in every box and tells ticked from
unticked by colour alone: in some themes an unticked box reads as ticked, and
without colour (NO_COLOR, 16 colours) every box does. `TickList` draws "✓" in a
ticked box and leaves an unticked one empty, so the shape says it in any theme.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets.option_list import OptionDoesNotExist

SelectionType = TypeVar("SelectionType")

TICKED = "✓"
UNTICKED = " "


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

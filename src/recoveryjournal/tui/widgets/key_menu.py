"""The dashboard's menu: every main key and what it does, in columns, as one widget.

It was a grid of 33 widgets (a row and two labels per key), and each one costs
Textual its own styling and layout before the dashboard can first paint, the
moment a person waits for after typing their passphrase. One widget drawing the
same columns as text costs a fraction of that, and reads the same.

Three layouts, chosen by the screen from the terminal's size:
- `wide` (120 columns and more): two columns, the key, its label and its
  one-line explanation;
- `narrow`: four columns of labels;
- `compact` (under 80 columns): three columns of labels, so the longer labels
  ("Inställningar", "Trang lige nu") are not cut.
A label that still does not fit ends in "…" rather than running into the next.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from ..keymap import KeyAction

# layout: (columns, columns between two cells, whether the explanation shows)
LAYOUTS = {"wide": (2, 2, True), "narrow": (4, 1, False), "compact": (3, 1, False)}
KEY_CELL = 17  # the key and its label, when the explanation follows


def layout_for(width: int) -> str:
    """The layout for a terminal `width` columns wide (the dashboard's size classes)."""
    if width < 80:
        return "compact"
    return "narrow" if width < 120 else "wide"


class KeyMenu(Widget):
    """The keys of the main actions, laid out in columns of text."""

    DEFAULT_CSS = """
    KeyMenu {
        height: auto;
    }
    """

    layout_name: reactive[str] = reactive("wide", layout=True)

    def __init__(self, keys: list[KeyAction], layout_name: str = "wide", *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys = keys
        self.set_reactive(KeyMenu.layout_name, layout_name)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        columns = LAYOUTS[self.layout_name][0]
        return -(-len(self._keys) // columns)  # rows, rounded up

    def render(self) -> Content:
        columns, gap, with_help = LAYOUTS[self.layout_name]
        room = max(self.size.width - gap * (columns - 1), columns)
        # Columns as even as they can be, the spare ones to the last (as a grid of 1fr).
        spare = room % columns
        widths = [room // columns + (i >= columns - spare) for i in range(columns)]
        lines = []
        for start in range(0, len(self._keys), columns):
            row = [self._cell(key, width, with_help)
                   for key, width in zip(self._keys[start:start + columns], widths)]
            lines.append(Content(" " * gap).join(row).rstrip())
        return Content("\n").join(lines)

    @staticmethod
    def _cell(key: KeyAction, width: int, with_help: bool) -> Content:
        label = Content.assemble((f" {key.key} ", "bold reverse"), "  ", (key.label, "bold"))
        if not with_help:
            return label.truncate(width, ellipsis=True, pad=True)
        label = label.truncate(min(KEY_CELL, width), ellipsis=True, pad=True)
        room = width - label.cell_length
        if room <= 0:
            return label
        return label + Content.styled(key.help, "dim").truncate(room, ellipsis=True, pad=True)

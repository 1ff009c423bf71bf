"""The multi-line box people write in, kept quick for any entry the app accepts.

Textual's TextArea has two costs that grow with the text: the wrapped height is
summed over every line for every line it draws (a 1 MB entry: seconds per
key), and a single very long line is re-wrapped whole after every keystroke.
`WritingArea` counts the height once per change, and `break_long_lines` cuts
lines longer than `LONG_LINE` at a space before the text goes in, so typing
stays immediate; the editor tells the person when it did so.
"""

from __future__ import annotations

from textual import events
from textual._wrap import compute_wrap_offsets
from textual.document._document import Document
from textual.document._document_navigator import DocumentNavigator
from textual.document._wrapped_document import WrappedDocument
from textual.expand_tabs import get_tab_widths
from textual.widgets import TextArea

from ...i18n import _

# Longer lines are broken at a space (a pasted book, a 1 MB export): past this,
# re-wrapping one line after each key is felt.
LONG_LINE = 2000


def LINES_BROKEN_NOTE() -> str:  # noqa: N802 (a sentence, in the current language)
    return _("Very long lines were broken at spaces so that typing stays quick. "
             "Saving keeps the breaks.")


class _QuickWrappedDocument(WrappedDocument):
    """The same wrapping, with the height read from the list of wrapped lines
    instead of summed over every line each time it is asked for."""

    @property
    def height(self) -> int:
        return len(self._offset_to_line_info)

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        # TextArea asks for a full wrap on every resize and scrollbar change, also
        # at the width it already has (edits use wrap_range): skip those.
        if (width == self._width and (tab_width or self._tab_width) == self._tab_width
                and getattr(self, "_wrapped_once", False)):
            return
        self._wrapped_once = True
        self._width = width
        if tab_width:
            self._tab_width = tab_width
        # Textual's own wrap, with a quick path for plain ASCII lines without tabs
        # (one cell per character), which measures words with str.rfind.
        wrap_offsets: list[list[int]] = []
        offset_to_line_info: list[tuple[int, int]] = []
        line_index_to_offsets: list[list[int]] = []
        tab_widths: list[list[int]] = []
        current = 0
        for line_index, line in enumerate(self.document.lines):
            if "\t" not in line and (not width or line.isascii() and line.isprintable()):
                offsets = _ascii_wrap_offsets(line, width) if width else []
                tab_widths.append([0])
            else:
                sections = get_tab_widths(line, self._tab_width)
                offsets = compute_wrap_offsets(
                    line, width, tab_size=self._tab_width, precomputed_tab_sections=sections,
                ) if width else []
                tab_widths.append([w for _, w in sections])
            wrap_offsets.append(offsets)
            count = len(offsets) + 1
            offset_to_line_info.extend((line_index, section) for section in range(count))
            line_index_to_offsets.append(list(range(current, current + count)))
            current += count
        self._wrap_offsets = wrap_offsets
        self._offset_to_line_info = offset_to_line_info
        self._line_index_to_offsets = line_index_to_offsets
        self._tab_width_cache = tab_widths


def _ascii_wrap_offsets(line: str, width: int) -> list[int]:
    """Where to break an ASCII line at `width` cells: after the last space that
    fits, or in the middle of a word longer than the line."""
    offsets: list[int] = []
    start = 0
    while len(line) - start > width:
        space = line.rfind(" ", start + 1, start + width)
        start = space + 1 if space != -1 else start + width
        offsets.append(start)
    return offsets


class WritingArea(TextArea):
    """A TextArea that stays responsive on long texts (see the module docstring)."""

    def __init__(self, text: str = "", **kwargs) -> None:
        # TextArea would first build (and wrap) a plain document of `text` it then
        # throws away: start empty and load `text` once, the quick way.
        super().__init__("", **kwargs)
        if text:
            self._set_document(text, self.language)

    def _set_document(self, text: str, language: str | None) -> None:
        if language:  # never used for writing; Textual's own path then
            super()._set_document(text, language)
            return
        self.document = Document(text)
        self.wrapped_document = _QuickWrappedDocument(self.document, tab_width=self.indent_width)
        self.navigator = DocumentNavigator(self.wrapped_document)
        self._build_highlight_map()
        self.move_cursor((0, 0))
        self._rewrap_and_refresh_virtual_size()

    def _on_paste(self, event: events.Paste) -> None:
        # Textual calls TextArea's own _on_paste after this one (handlers run along
        # the class hierarchy), with the text as changed here: no super() call.
        text, broken = break_long_lines(event.text)
        if broken:
            event.text = text
            self.notify(LINES_BROKEN_NOTE())


def break_long_lines(text: str, limit: int = LONG_LINE) -> tuple[str, bool]:
    """`text` with every line longer than `limit` broken at the last space before
    the limit (or at the limit, when there is no space); True if any was broken."""
    lines = text.split("\n")
    if all(len(line) <= limit for line in lines):
        return text, False
    out: list[str] = []
    for line in lines:
        while len(line) > limit:
            cut = line.rfind(" ", limit // 2, limit)
            if cut == -1:
                out.append(line[:limit])
                line = line[limit:]
            else:
                out.append(line[:cut])
                line = line[cut + 1:]
        out.append(line)
    return "\n".join(out), True

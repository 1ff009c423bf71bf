"""The footer of every screen, made to fit 60 columns as well as 200.

Textual's footer lists the screen's keys, then the app's, then the command
palette, and cuts whatever does not fit: at 80 columns "f1 Help", the door to
every other key, was the one cut ("f1 He"). `KeysFooter` is compact, puts
F1 first and leaves out the palette key below 100 columns (Ctrl+P still works,
and the help screen lists it). What still does not fit (at 60 columns) is left
out whole, the last keys first, never Help itself: a key cut in half says nothing.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

WIDE = 100  # from here the palette key shows too


class KeysFooter(Footer):
    """A compact footer with Help first; fewer keys on narrow terminals."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(*args, **kwargs)
        self._showing: tuple | None = None  # what the keys say now (see `recompose`)

    def _what_it_would_show(self) -> tuple:
        shown = tuple((key, binding.key_display or binding.key, binding.description, enabled)
                      for key, (_node, binding, enabled, _tip)
                      in self.screen.active_bindings.items() if binding.show)
        return shown, self.app.size.width

    async def recompose(self) -> None:
        """Rebuild the keys only when what they say changed. Textual asks after every
        change of focus or bindings: six times while "Urge now" opens, each one
        unmounting and mounting every key, for the same keys."""
        if not self.is_attached:
            return
        showing = self._what_it_would_show()
        if showing == self._showing and self.children:
            return
        self._showing = showing
        await super().recompose()

    def compose(self):
        width = self.app.size.width
        self.show_command_palette = width >= WIDE
        keys = list(super().compose())
        for key in keys:
            # Compact from the start: Textual adds the class once each key is mounted,
            # restyling the keys one by one (a fifth of "Urge now"'s first paint).
            if isinstance(key, FooterKey) and self.compact:
                key.add_class("-compact", update=False)
        first = [k for k in keys if isinstance(k, FooterKey) and k.action == "help"]
        return _fitting(first + [k for k in keys if k not in first], width)

    def on_resize(self) -> None:
        # Which keys fit depends on the width (recompose does nothing when it is the same).
        self.call_after_refresh(self.recompose)


def _width(key: Widget) -> int:
    """Columns a compact key takes: "f1 Help" and the one-column gap after it."""
    if isinstance(key, FooterKey):
        return cell_len(key.key_display) + (1 + cell_len(key.description) if key.description
                                            else 0) + 1
    return 1 + cell_len(str(getattr(key, "content", "")))


def _fitting(keys: list[Widget], width: int) -> list[Widget]:
    """The keys that fit in `width` columns, whole: the last ones are left out first
    (Help, first, always stays; F1 lists every key). A key cut in half ("f1 He")
    says nothing."""
    keys = list(keys)
    while len(keys) > 1 and sum(_width(k) for k in keys) - 1 > width:
        keys.pop()
    return keys

"""The footer of every screen, made to fit 60 columns as well as 200.

Textual's footer lists the screen's keys, then the app's, then the command
palette, and cuts whatever does not fit: at 80 columns "f1 Help", the door to
every other key, was the one cut ("f1 He"). `KeysFooter` is compact, puts
F1 first and leaves out the palette key below 100 columns (Ctrl+P still works,
and the help screen lists it). What still does not fit at 60 columns is cut
after Help, never Help itself.
"""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

WIDE = 100  # from here the palette key shows too


class KeysFooter(Footer):
    """A compact footer with Help first; fewer keys on narrow terminals."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(*args, **kwargs)
        self._width_class = ""

    def compose(self):
        width = self.app.size.width
        self.show_command_palette = width >= WIDE
        keys = list(super().compose())
        first = [k for k in keys if isinstance(k, FooterKey) and k.action == "help"]
        return first + [k for k in keys if k not in first]

    def on_resize(self) -> None:
        width_class = "wide" if self.app.size.width >= WIDE else "narrow"
        if width_class != self._width_class:
            self._width_class = width_class
            self.call_after_refresh(self.recompose)

"""F1: every key, for the whole app and for the screen underneath."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from ...i18n import N_, _
from .. import keymap
from ..widgets.keys_footer import KeysFooter


def _rows(pairs: list[tuple[str, str]]) -> Content:
    width = max((len(key) for key, _text in pairs), default=0)
    return Content("\n").join(
        Content.assemble((key.ljust(width), "bold"), "   ", text) for key, text in pairs
    )


_KEY_NAMES = {"slash": "/", "escape": "esc", "delete": "del", "space": "space"}


def _key_names(keys: str) -> str:
    return " / ".join(_KEY_NAMES.get(key.strip(), key.strip()) for key in keys.split(","))


def screen_keys(screen: Screen) -> list[tuple[str, str]]:
    """The keys a screen adds itself (its own BINDINGS), as (key, description)."""
    pairs = []
    for binding in getattr(screen, "BINDINGS", []):
        if isinstance(binding, Binding) and binding.description:
            pairs.append((_key_names(binding.key), _(binding.description)))
        elif isinstance(binding, tuple) and len(binding) >= 3:
            pairs.append((_key_names(binding[0]), _(binding[2])))
    return pairs


class HelpScreen(Screen):
    """A plain list of keys; Escape or F1 closes it."""

    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape", "close", N_("Close"))]

    def __init__(self, below: Screen | None = None):
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help"):
            yield Static(_("Everywhere"), classes="title")
            yield Static(_rows([(k.key, k.help) for k in keymap.app_keys()]))
            yield Static(_("On the dashboard"), classes="title")
            yield Static(_rows([(k.key, k.help) for k in keymap.dashboard_keys()]))
            below = screen_keys(self.below) if self.below is not None else []
            if below and type(self.below).__name__ != "DashboardScreen":
                yield Static(_("On this screen"), classes="title")
                yield Static(_rows(below))
            yield Static(_("In text boxes"), classes="title")
            yield Static(_rows([
                ("tab / shift+tab", _("Move to the next or previous box.")),
                ("ctrl+z / ctrl+y", _("Undo and redo while writing.")),
                ("ctrl+s", _("Save what you are writing.")),
            ]))
            yield Static(_(
                "Your journal locks itself after a while without typing (see Settings); "
                "anything unsaved is kept as an encrypted draft."
            ), classes="hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Keys")

    def action_close(self) -> None:
        self.dismiss()

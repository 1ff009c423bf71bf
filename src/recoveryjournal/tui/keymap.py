"""Every key the app answers to, as data: the app, the help screen and the
command palette all read from here, so they never disagree."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from textual.binding import Binding

from ..i18n import _


@dataclass(frozen=True)
class KeyAction:
    """One action a person can take: its key, its action name and what it does."""

    key: str
    action: str
    label: str  # short, for the footer
    help: str  # one sentence, for the help screen and the command palette
    needs_journal: bool = True


def app_keys() -> list[KeyAction]:
    """Keys that work from every screen."""
    return [
        KeyAction("ctrl+l", "lock", _("Lock"), _("Lock the journal now; your typing is kept as a draft."), False),
        KeyAction("f1", "help", _("Help"), _("Show every key."), False),
        KeyAction("f2", "safety_plan", _("Safety plan"), _("Open your safety plan.")),
        KeyAction("ctrl+p", "command_palette", _("Commands"), _("Search every action by name."), False),
        KeyAction("ctrl+q", "quit", _("Quit"), _("Save any draft, lock and quit."), False),
    ]


def dashboard_keys() -> list[KeyAction]:
    """The one-letter keys on the dashboard, one per main action."""
    return [
        KeyAction("w", "write", _("Write"), _("Write a new journal entry.")),
        KeyAction("j", "journal", _("Journal"), _("Read, search and edit your entries.")),
        KeyAction("u", "urge_now", _("Urge now"), _("Log an urge and get through it.")),
        KeyAction("e", "exercises", _("Exercises"), _("Do a CBT or mutual-support exercise.")),
        KeyAction("c", "checkin", _("Check-in"), _("A short well-being check-in.")),
        KeyAction("p", "progress", _("Progress"), _("See your progress over time.")),
        KeyAction("x", "export", _("Export"), _("Export chosen entries for your group.")),
        KeyAction("s", "settings", _("Settings"), _("Idle lock, tracked addictions and theme.")),
    ]


def app_bindings() -> list[Binding]:
    """App-wide bindings; priority so a focused text box cannot swallow them."""
    shown = {"ctrl+l", "f1"}
    return [
        Binding(k.key, k.action, k.label, show=k.key in shown, priority=True)
        for k in app_keys()
        if k.action != "command_palette"  # Textual binds ctrl+p itself
    ]


def dashboard_bindings() -> list[Binding]:
    return [Binding(k.key, f"app.{k.action}", k.label) for k in dashboard_keys()]


# Translated description -> its English msgid, so a later language switch finds it again.
_ENGLISH: dict[str, str] = {}


def translate_bindings(node) -> None:
    """Show `node`'s binding descriptions in the current language.

    BINDINGS are class attributes, built at import before the language is known,
    so their descriptions are English (marked with N_()); the app calls this for
    itself after unlock and for every screen as it is shown.
    """
    bindings_map = getattr(node, "_bindings", None)
    if bindings_map is None:
        return
    for key, bindings in bindings_map.key_to_bindings.items():
        bindings_map.key_to_bindings[key] = [_translated(b) for b in bindings]


def _translated(binding: Binding) -> Binding:
    if not binding.description:
        return binding
    english = _ENGLISH.get(binding.description, binding.description)
    text = _(english)
    _ENGLISH[text] = english
    return dataclasses.replace(binding, description=text)

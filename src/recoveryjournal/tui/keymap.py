"""Every key the app answers to, as data: the app, the help screen and the
command palette all read from here, so they never disagree."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from textual.binding import Binding

from ..i18n import N_, _


@dataclass(frozen=True)
class KeyAction:
    """One action a person can take: its key, its action name and what it does."""

    key: str
    action: str
    label: str  # short, for the footer
    help: str  # one sentence, for the help screen and the command palette
    needs_journal: bool = True
    # More words the command palette finds it by, in the current language; the
    # English words always work too (a person may know the English name).
    keywords: str = ""


# The English text, marked for the catalogs; `_()` is applied when a list is asked
# for, so the help screen and the palette follow the current language. Bindings keep
# the English; `translate_bindings` below shows them in the current language.
_APP_KEYS = (
    KeyAction("ctrl+l", "lock", N_("Lock"), N_("Lock the journal now; your typing is kept as a draft."), False),
    KeyAction("f1", "help", N_("Help"), N_("Show every key."), False),
    # Works while locked too: then it shows the help lines only (no passphrase needed).
    KeyAction("f2", "safety_plan", N_("Safety plan"), N_("Open your safety plan."), False),
    KeyAction("ctrl+p", "command_palette", N_("Commands"), N_("Search every action by name."), False),
    KeyAction("ctrl+q", "quit", N_("Quit"), N_("Save any draft, lock and quit."), False),
)
_DASHBOARD_KEYS = (
    KeyAction("w", "write", N_("Write"), N_("Write a new journal entry.")),
    KeyAction("j", "journal", N_("Journal"), N_("Read, search and edit your entries.")),
    KeyAction("u", "urge_now", N_("Urge now"), N_("Log an urge and get through it.")),
    KeyAction("l", "log_use", N_("Log a use"), N_("It happened: note a use or lapse, as information."),
              keywords=N_("use lapse relapse slip drank played")),
    KeyAction("m", "log_meeting", N_("Meeting"), N_("Log a support-group meeting you went to."),
              keywords=N_("meeting group session")),
    KeyAction("g", "goals", N_("Goals"), N_("Your goal for each addiction: not at all, or a limit."),
              keywords=N_("goal limit cut down cost")),
    KeyAction("e", "exercises", N_("Exercises"), N_("Do a CBT or mutual-support exercise.")),
    KeyAction("c", "checkin", N_("Check-in"), N_("A short well-being check-in.")),
    KeyAction("p", "progress", N_("Progress"), N_("See your progress over time.")),
    KeyAction("x", "export", N_("Export"), N_("Export chosen entries for your group.")),
    KeyAction("s", "settings", N_("Settings"), N_("Language, addictions, idle lock, theme.")),
)

# On the exercises screen.
_EXERCISES_KEYS = (
    KeyAction("w", "worksheet", N_("Blank worksheet"),
              N_("Save a blank worksheet of the highlighted exercise, to print.")),
)


def _in_current_language(keys: tuple[KeyAction, ...]) -> list[KeyAction]:
    return [dataclasses.replace(k, label=_(k.label), help=_(k.help),
                                keywords=f"{_(k.keywords)} {k.keywords}" if k.keywords else "")
            for k in keys]


def app_keys() -> list[KeyAction]:
    """Keys that work from every screen, in the current language."""
    return _in_current_language(_APP_KEYS)


def dashboard_keys() -> list[KeyAction]:
    """The one-letter keys on the dashboard, one per main action, in the current language."""
    return _in_current_language(_DASHBOARD_KEYS)


def app_bindings() -> list[Binding]:
    """App-wide bindings; priority so a focused text box cannot swallow them."""
    shown = {"ctrl+l", "f1"}
    return [
        Binding(k.key, k.action, k.label, show=k.key in shown, priority=True)
        for k in _APP_KEYS
        if k.action != "command_palette"  # Textual binds ctrl+p itself
    ]


def exercises_bindings() -> list[Binding]:
    """Keys of the exercises screen that are kept here (the rest are the screen's own)."""
    return [Binding(k.key, k.action, k.label) for k in _EXERCISES_KEYS]


def dashboard_bindings() -> list[Binding]:
    # Not in the footer: the dashboard's own menu shows every one of them, and the
    # footer keeps its room for Help and Lock (a cut "f1 He" at 80 columns).
    return [Binding(k.key, f"app.{k.action}", k.label, show=False) for k in _DASHBOARD_KEYS]


# Translated description -> its English msgid, so a later language switch finds it again.
_ENGLISH: dict[str, str] = {}


def translate_bindings(node) -> None:
    """Show `node`'s binding descriptions in the current language.

    BINDINGS are class attributes, built at import before the language is known,
    so their descriptions are English (marked with N_()); the app calls this for
    itself after unlock, for every screen as it is shown and for every widget as it
    takes focus. The one place that does it, for screens and widgets alike:
    Textual 8 has no public way to change a binding's description (its issue #1410),
    so this replaces the node's own copy of its bindings (`_bindings`, made per
    instance from BINDINGS); tests/test_scale.py fails if that stops working.
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

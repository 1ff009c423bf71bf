"""Textual's own words that a person sees (the footer's "palette", the command
palette's system commands), marked so the catalogs carry them; the app passes
them through `_()` when it shows them."""

from __future__ import annotations

from ..i18n import N_

TEXTUAL_WORDS = (
    N_("palette"),
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)

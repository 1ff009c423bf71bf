"""Every style the app will need, read once when it starts.

Textual keeps one style sheet for the whole app. Each time a screen opens with a
sheet it has not read, or a widget class is first mounted whose own CSS
(`DEFAULT_CSS`) it has not seen, it parses the whole sheet afresh and restyles
every open widget. Between Enter on the unlock screen and the dashboard that
was one reparse for the dashboard's sheet (0.12 s) and four more for the
header, the scrolling column and the menu; "Urge now", the screen for a crisis,
had two of its own. So the app reads the sheets of the screens with a time
budget (unlock, dashboard, "Urge now") and of the first run's screens, and the
own CSS of the widgets those first screens use, at start, in the one parse
Textual does then, before the unlock screen shows.

Every other screen's sheet is read once the dashboard is drawn and the worker
has decoded the journal (`RecoveryJournalApp.read_later_style_sheets`), in one
more parse at a moment nobody waits for: read at start, their rules (0.7 MB)
were resident under the unlock's Argon2id 64 MiB, the session's peak (issue
18). A screen opened before then has its sheet read by Textual as it opens.
"""

from __future__ import annotations

from pathlib import Path

from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.widget import Widget

SCREENS_FOLDER = Path(__file__).parent / "screens"


# The screens whose sheets are read at start: those shown at start (with the
# recovery code the first run shows), and those a person waits for right after
# unlock or in a crisis.
FIRST_SCREENS = ("unlock", "first_run", "recovery_code", "dashboard", "urge_now")


def screen_sheets() -> list[str]:
    """The app's sheet and the first screens' sheets (FIRST_SCREENS), read at
    start; resolved as Textual resolves a screen's own CSS_PATH, so the screen
    finds its sheet already read."""
    app_sheet = Path(__file__).parent / "app.tcss"  # absolute: a subclass elsewhere finds it
    return [str(app_sheet.resolve())] + [sheet for sheet in _all_screen_sheets()
                                         if Path(sheet).stem in FIRST_SCREENS]


def later_sheets() -> list[str]:
    """Every other screen's sheet, read once the journal is decoded."""
    return [sheet for sheet in _all_screen_sheets() if Path(sheet).stem not in FIRST_SCREENS]


def _all_screen_sheets() -> list[str]:
    return sorted(str(sheet.resolve()) for sheet in SCREENS_FOLDER.rglob("*.tcss"))


def widgets_used_first() -> list[type[Widget]]:
    """The widget classes of the unlock screen, the dashboard and "Urge now"
    (the screens with a time budget), and the parts each is made of."""
    from textual import containers
    from textual.widgets import (
        Button, ContentSwitcher, Footer, Header, Input, OptionList, Static,
    )
    from textual.widgets._footer import FooterKey

    from .widgets.key_menu import KeyMenu

    header_parts = [cls for cls in _all_subclasses(Widget) if cls.__module__ == Header.__module__]
    return [
        containers.Center, containers.Container, containers.Horizontal,
        containers.ScrollableContainer, containers.Vertical, containers.VerticalScroll,
        Button, ContentSwitcher, Footer, FooterKey, Header, *header_parts, Input,
        KeyMenu, OptionList, Static,
    ]


def add_widget_defaults(stylesheet: Stylesheet, classes: list[type[Widget]]) -> None:
    """Add each class's own CSS (and its bases') to `stylesheet`, exactly as Textual
    adds it when the first widget of the class mounts, so that moment finds it
    there already and parses nothing."""
    for cls in classes:
        for read_from, css, tie_breaker, scope in _DefaultsOf(cls)._get_default_css():
            stylesheet.add_source(css, read_from=read_from, is_default_css=True,
                                  tie_breaker=tie_breaker, scope=scope)


class _DefaultsOf:
    """Textual's own reading of a widget class's CSS, without making a widget:
    the same sources, locations and priorities, so none is added twice."""

    _get_default_css = DOMNode._get_default_css

    def __init__(self, cls: type[Widget]) -> None:
        self._node_bases = cls._css_bases(cls)


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_all_subclasses(sub)]
    return found

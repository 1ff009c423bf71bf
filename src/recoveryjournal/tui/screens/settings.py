"""Settings, sealed in the journal like everything else: idle lock, tracked
addictions, theme and language."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from ... import crisis_lines, records
from ...i18n import LANGUAGES, N_, _, language_from_environment
from ...i18n.labels import addiction_label
from ...journal import Journal
from ...records import Addiction, InvalidRecord
from ...safetext import one_line
from ...vault import netguard
from ...vault.errors import JournalError
from ..themes import theme_choices
from ..widgets.tick_list import TickList
from .first_run import parse_other_addictions
from ..widgets.keys_footer import KeysFooter


class SettingsScreen(Screen):
    """Change settings; Ctrl+S saves, Escape leaves without saving."""

    CSS_PATH = "settings.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "close", N_("Back without saving")),
    ]

    def __init__(self, journal: Journal):
        super().__init__()
        self.journal = journal

    def compose(self) -> ComposeResult:
        settings = self.journal.settings()
        tracked = [a.name for a in settings.addictions]
        names = list(records.BUILTIN_ADDICTIONS) + [
            n for n in tracked if n not in records.BUILTIN_ADDICTIONS
        ]
        yield Header()
        with VerticalScroll(id="settings"):
            yield Static(_("Lock after this many idle minutes"), classes="label")
            yield Input(str(settings.idle_minutes), type="integer", id="idle", max_length=3)
            yield Static("", id="idle-problem", classes="field-problem")
            yield Static(_("Tracked addictions (space to toggle)"), classes="label")
            yield TickList[str](
                *[Selection(Content(one_line(addiction_label(n), 60)), n, n in tracked)
                  for n in names],
                id="tracked",
            )
            yield Input(placeholder=_("Track others (names separated by commas)"), id="other",
                        max_length=300)
            yield Static(_("Stopping tracking keeps everything already logged."), classes="hint")
            yield Static("", id="tracking-now")
            yield Static(_("Theme"), classes="label")
            themes = self.app.available_themes
            yield Select(
                theme_choices(themes), id="theme", allow_blank=False,
                value=settings.theme if settings.theme in themes else self.app.theme,
            )
            yield Static(_("Language"), classes="label")
            from_computer = LANGUAGES.get(language_from_environment(), "English")
            yield Select(
                [(_("As on this computer ({language})").format(language=from_computer), "")]
                + [(name, code) for code, name in LANGUAGES.items()],
                id="language", allow_blank=False,
                value=settings.language if settings.language in LANGUAGES else "",
            )
            yield Static(_("Country, for the help lines on your safety plan"), classes="label")
            countries = crisis_lines.load_countries()
            yield Select(
                [(_("As my language suggests ({country})").format(
                    country=crisis_lines.country("").label()), "")]
                + [(c.label(), c.code) for c in countries],
                id="country", allow_blank=False,
                value=settings.country if settings.country in {c.code for c in countries} else "",
            )

            yield Static(_("Privacy"), classes="label")
            yield Static(Content(netguard.describe()), id="protection")
            yield Static("", id="settings-message", classes="message")
            with Horizontal(id="settings-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("New recovery code…"), id="new-recovery-code")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Settings")
        self.show_tracking()
        self.query_one("#idle", Input).focus()  # typing goes to the first field, not the page

    @on(SelectionList.SelectedChanged, "#tracked")
    @on(Input.Changed, "#other")
    def show_tracking(self) -> None:
        chosen = list(self.query_one("#tracked", SelectionList).selected)
        chosen += [n for n in parse_other_addictions(self.query_one("#other", Input).value)
                   if n not in chosen]
        names = ", ".join(addiction_label(n) for n in chosen) if chosen else _("nothing")
        self.query_one("#tracking-now", Static).update(
            Content(_("Tracking: {names}").format(names=names)))

    @on(Select.Changed, "#theme")
    def preview_theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.app.theme = event.value

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        settings = self.journal.settings()
        language_before = settings.language
        message = self.query_one("#settings-message", Static)
        try:
            idle = int(self.query_one("#idle", Input).value or "0")
        except ValueError:
            idle = 0
        if not 1 <= idle <= 240:
            self.field_problem("#idle", _("Idle minutes: a whole number from 1 to 240."))
            return
        self.field_problem("#idle", "")
        chosen = list(self.query_one("#tracked", SelectionList).selected)
        chosen += [n for n in parse_other_addictions(self.query_one("#other", Input).value)
                   if n not in chosen]
        existing = {a.name: a for a in settings.addictions}
        today = self.app.clock().date()
        addictions = [existing.get(n) or Addiction(name=n, tracked_since=today) for n in chosen]
        theme = self.query_one("#theme", Select).value
        language = self.query_one("#language", Select).value
        country = self.query_one("#country", Select).value
        settings.idle_minutes = idle
        settings.language = language if isinstance(language, str) else ""
        settings.addictions = addictions
        settings.country = country if isinstance(country, str) else ""
        if isinstance(theme, str):
            settings.theme = theme
        try:
            self.journal.save_settings(settings)
        except (InvalidRecord, JournalError) as exc:
            message.update(Content(str(exc)))
            self.app.notify(str(exc), title=_("Not saved"), severity="error", markup=False)
            return
        self.app.idle_minutes = idle
        self.app.apply_language(settings.language)
        self.app.notify(_("Settings saved."))
        self.dismiss()
        if settings.language != language_before:
            # language changed: every open screen was drawn in the old one, so start
            # again from a dashboard drawn in the new one
            self.app.call_later(self.app.show_dashboard)

    @on(Button.Pressed, "#new-recovery-code")
    def new_recovery_code(self) -> None:
        from .recovery_code import NewRecoveryCodeScreen

        self.app.push_screen(NewRecoveryCodeScreen(self.journal))

    def field_problem(self, field: str, problem: str) -> None:
        """Say what is wrong next to the field itself and in a notification (the
        field may be scrolled out of sight), and put the cursor there; "" clears it."""
        box = self.query_one(f"{field}-problem", Static)
        box.update(Content(problem))
        box.display = bool(problem)
        if problem:
            widget = self.query_one(field)
            widget.focus()
            self.query_one("#settings", VerticalScroll).scroll_to_widget(widget, animate=False)
            self.app.notify(problem, title=_("Not saved"), severity="error", markup=False)

    def action_close(self) -> None:
        # Undo the theme preview: nothing was saved.
        theme = self.journal.settings().theme
        if theme in self.app.available_themes:
            self.app.theme = theme
        self.dismiss()

"""Log a support-group meeting: the group (the last one is filled in, earlier ones
are offered as you type), the day (today unless changed) and a note."""

from __future__ import annotations

from datetime import date, datetime, time
from collections import Counter

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Header, Input, Static

from ...i18n import N_, _
from ...journal import Journal
from ...records import InvalidRecord, Meeting
from ...safetext import one_line
from ...vault.errors import JournalError
from ..widgets.keys_footer import KeysFooter


def earlier_groups(meetings: list[Meeting]) -> list[str]:
    """The groups named before, the most often first (ties: the latest first)."""
    counts = Counter(m.group for m in meetings if m.group)
    latest = {m.group: index for index, m in enumerate(meetings)}
    return sorted(counts, key=lambda g: (-counts[g], -latest[g]))


class MeetingScreen(Screen):
    """A three-field form; Enter in the last field or Ctrl+S saves."""

    CSS_PATH = "log_use.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "close", N_("Back")),
    ]

    def __init__(self, journal: Journal):
        super().__init__()
        self.journal = journal
        meetings = journal.records(Meeting)
        self.groups = earlier_groups(meetings)
        self.last_group = meetings[-1].group if meetings else ""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="log-meeting"):
            with Vertical(classes="column"):
                yield Static(_("Log a meeting"), classes="title")
                yield Static(_("Going to a group is part of the work. The group is filled in "
                               "from last time; type to change it."), classes="hint")
                with Horizontal(classes="row"):
                    yield Static(_("Group"), classes="label")
                    yield Input(self.last_group, id="meeting-group", max_length=120,
                                placeholder=_("e.g. Tuesday group"),
                                suggester=SuggestFromList(self.groups, case_sensitive=False))
                with Horizontal(classes="row"):
                    yield Static(_("Day"), classes="label")
                    yield Input(id="meeting-date", max_length=10, placeholder=_("YYYY-MM-DD"))
                with Horizontal(classes="row"):
                    yield Static(_("A note"), classes="label")
                    yield Input(id="meeting-note", max_length=2000,
                                placeholder=_("what you took with you (optional)"))
                with Horizontal(classes="row"):
                    yield Button(_("Save"), variant="primary", id="meeting-save")
                    yield Static("", id="meeting-message", classes="message")
                if self.groups:
                    yield Static(Content(_("Earlier: {groups}").format(
                        groups=", ".join(one_line(g, 30) for g in self.groups[:5]))),
                        classes="hint", id="meeting-earlier")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#meeting-date", Input).value = self.app.clock().date().isoformat()
        self.query_one("#meeting-group").focus()

    @on(Input.Submitted, "#meeting-group, #meeting-date")
    def _next_field(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#meeting-note")
    @on(Button.Pressed, "#meeting-save")
    def action_save(self) -> None:
        message = self.query_one("#meeting-message", Static)
        group = " ".join(self.query_one("#meeting-group", Input).value.split())
        if not group:
            message.update(Content(_("Please name the group, for example: Tuesday group.")))
            return
        now = self.app.clock()
        try:
            day = date.fromisoformat(self.query_one("#meeting-date", Input).value.strip())
        except ValueError:
            message.update(Content(_("Please give the day as YYYY-MM-DD.")))
            return
        when = now if day == now.date() else datetime.combine(day, time(12, 0), tzinfo=now.tzinfo)
        meeting = Meeting(group=group, note=self.query_one("#meeting-note", Input).value.strip(),
                          when=when)
        try:
            self.journal.add(meeting)
        except (InvalidRecord, JournalError) as exc:
            message.update(Content(str(exc)))
            return
        self.app.notify(_("Saved: a meeting with {group}.").format(group=one_line(group, 60)),
                        markup=False)
        self.dismiss(meeting)

    def action_close(self) -> None:
        self.dismiss(None)

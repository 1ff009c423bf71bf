"""One entry, shown in full: read it, edit it (e) or delete it (d)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from ...i18n import N_, _
from ...i18n.formats import format_datetime
from ...journal import Journal
from ...records import Entry
from ...safetext import clean, one_line
from ..read_only import refused
from ..widgets.confirm import confirm_delete
from ..widgets.keys_footer import KeysFooter


class EntryScreen(Screen):
    """A single entry, literally as it was written."""

    CSS_PATH = "entry_view.tcss"
    BINDINGS = [
        Binding("escape", "close", N_("Back")),
        Binding("e", "edit", N_("Edit")),
        Binding("d,delete", "delete", N_("Delete")),
    ]

    def __init__(self, journal: Journal, entry: Entry):
        super().__init__()
        self.journal = journal
        self.entry = entry

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="entry-scroll"):
            yield Static(id="entry-meta")
            yield Static(id="entry-text")
        yield KeysFooter()

    def resume_after_unlock(self):
        """After a lock and unlock: this entry again, if it still exists (see the app)."""
        entry_id = self.entry.id

        def reopen(journal: Journal) -> "EntryScreen | None":
            entry = journal.get(entry_id)
            return EntryScreen(journal, entry) if isinstance(entry, Entry) else None
        return reopen

    def on_mount(self) -> None:
        self.title = _("Entry")

    def on_screen_resume(self) -> None:
        if self.journal.is_locked:
            return
        current = self.journal.get(self.entry.id)
        if isinstance(current, Entry):
            self.entry = current
        when = self.entry.when.astimezone()
        meta = [format_datetime(when)]
        if self.entry.mood:
            meta.append(_("mood {n}/5").format(n=self.entry.mood))
        if self.entry.tags:
            meta.append(" ".join(f"#{one_line(t)}" for t in self.entry.tags))
        self.query_one("#entry-meta", Static).update(Content(" · ".join(meta)))
        self.query_one("#entry-text", Static).update(Content(clean(self.entry.text)))

    def action_close(self) -> None:
        self.dismiss()

    def action_edit(self) -> None:
        from .editor import EditorScreen

        if not refused(self, self.journal):
            self.app.push_screen(EditorScreen(self.journal, self.entry))

    def action_delete(self) -> None:
        if not refused(self, self.journal):
            confirm_delete(self, self.entry, after=self.dismiss)

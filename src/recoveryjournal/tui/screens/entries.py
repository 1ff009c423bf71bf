"""The journal: every entry, newest first, with full-text search and filters
by date range and tag. Enter opens an entry; from there it can be edited or
deleted.
"""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from ...i18n import N_, _, ngettext
from ...i18n.formats import format_datetime
from ...journal import Journal
from ...records import Entry
from ...safetext import one_line
from ..read_only import refused
from ..widgets.confirm import confirm_delete
from ..widgets.filter_box import FilterBox
from ..widgets.keys_footer import KeysFooter

# Enough to scroll through; a search narrows down the rest (keeps every keystroke fast).
SHOWN_AT_MOST = 300
# Above this many entries a search waits for a short pause in typing, so each
# keystroke stays instant; Enter searches at once.
SEARCH_AS_YOU_TYPE_UP_TO = 2000
SEARCH_PAUSE_SECONDS = 0.2
# Shown from the summary while the rest of the journal is still being read after
# unlock (the summary keeps the newest 50).
SHOWN_WHILE_OPENING = 50


class FilterProblem(ValueError):
    """A filter that cannot be understood; the message says how to write it."""


def parse_day(text: str) -> date | None:
    """"2026-11-25" as a date; empty is no limit."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise FilterProblem(_("Dates are written like 2026-11-25.")) from exc


def filter_entries(
    entries: list[Entry], first: date | None, last: date | None, tag: str
) -> list[Entry]:
    """The entries between two days (inclusive) holding `tag` (any case, # optional)."""
    tag = tag.strip().lstrip("#").casefold()
    found = []
    for entry in entries:
        day = entry.when.astimezone().date()
        if first is not None and day < first:
            continue
        if last is not None and day > last:
            continue
        if tag and tag not in (t.casefold() for t in entry.tags):
            continue
        found.append(entry)
    return found


def entry_line(entry: Entry) -> Content:
    """One list row: when, mood, the first line and the tags (all shown literally)."""
    when = entry.when.astimezone()
    mood = f" {entry.mood}/5" if entry.mood else "    "
    tags = "  " + " ".join(f"#{one_line(t)}" for t in entry.tags) if entry.tags else ""
    return Content.assemble(
        (format_datetime(when, numeric=True), "dim"), (mood, "bold"), "  ",
        one_line(entry.title, 200), (tags, "italic dim"),
    )


class EntriesScreen(Screen):
    """Browse, search and filter entries; open, edit or delete one."""

    CSS_PATH = "entries.tcss"
    BINDINGS = [
        Binding("escape", "close", N_("Back")),
        Binding("slash", "focus_search", N_("Search")),
        Binding("w", "app.write", N_("Write")),
        Binding("e", "edit", N_("Edit")),
        Binding("d,delete", "delete", N_("Delete")),
    ]

    def __init__(self, journal: Journal):
        super().__init__()
        self.journal = journal
        self.shown: list[Entry] = []
        self._search_timer = None

    def resume_after_unlock(self):
        """After a lock and unlock: the journal list again (see the app)."""
        return EntriesScreen

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBox(placeholder=_("Search: every word must appear (/ to come back here)"),
                        id="search", list_id="entry-list")
        with Horizontal(id="filters"):
            yield FilterBox(placeholder=_("From 2026-01-31"), id="from-day", max_length=10,
                            list_id="entry-list")
            yield FilterBox(placeholder=_("To 2026-12-31"), id="to-day", max_length=10,
                            list_id="entry-list")
            yield FilterBox(placeholder=_("Tag"), id="tag", max_length=60, list_id="entry-list")
        yield OptionList(id="entry-list")
        yield Static("", id="entries-status", classes="status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Journal")
        self.query_one("#entry-list").focus()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def journal_changed(self) -> None:
        """Another process saved something (the app calls this): list it too."""
        self.refresh_list()

    @on(Input.Changed)
    def filters_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        if event.input.id == "search" and self.journal.still_opening(Entry):
            self.refresh_list()  # says that search waits for the journal to open
            return
        if event.input.id == "search" and self.journal.count(Entry) > SEARCH_AS_YOU_TYPE_UP_TO:
            self._search_timer = self.set_timer(SEARCH_PAUSE_SECONDS, self.refresh_list)
            return
        self.refresh_list()

    @on(Input.Submitted)
    def go_to_list(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
            self.refresh_list()
        self.query_one("#entry-list").focus()

    def refresh_list(self) -> None:
        """Apply the search and filters and show the matching entries."""
        if self.journal.is_locked:
            return
        status = self.query_one("#entries-status", Static)
        query = self.query_one("#search", Input).value
        try:
            first = parse_day(self.query_one("#from-day", Input).value)
            last = parse_day(self.query_one("#to-day", Input).value)
        except FilterProblem as exc:
            status.update(Content(str(exc)))
            return
        tag = self.query_one("#tag", Input).value
        if self.journal.still_opening(Entry):
            # Just after unlock the app's worker is still reading the journal, which
            # takes many seconds for many years of entries: waiting for it here would
            # freeze the screen. The newest entries come from the summary, and the
            # app calls `journal_changed` once every entry is in memory.
            newest = self.journal.recent_entries_from_summary(SHOWN_WHILE_OPENING) or []
            self._show(newest)
            filtered = bool(query.strip() or first or last or tag.strip())
            status.update(Content(
                _("Opening the rest of your journal: search and filters work in a moment.")
                if filtered else _("Opening the rest of your journal: the newest entries "
                                   "for now.")))
            return
        if (query.strip() and not self.journal.search_is_quick
                and self.journal.count(Entry) > SEARCH_AS_YOU_TYPE_UP_TO):
            # Until the app's worker has built the word index, a search scans every
            # entry: most of a second for many years of them. It runs in a thread,
            # so the screen never waits for it; the list changes when it is done.
            status.update(Content(_("Searching every entry…")))
            self._search_in_background(query, first, last, tag)
            return
        found = self.journal.search(query) if query.strip() else self.journal.entries()
        self._found(query, first, last, tag, found)

    def _found(self, query: str, first: date | None, last: date | None, tag: str,
               found: list[Entry]) -> None:
        if first or last or tag.strip():
            found = filter_entries(found, first, last, tag)
        # The texts of the entries shown, in one read when they wait on disk.
        self._show(self.journal.with_texts(found[:SHOWN_AT_MOST]))
        status = self.query_one("#entries-status", Static)
        status.update(Content(self._count_text(len(found), query, first, last, tag)))

    @work(thread=True, exclusive=True, group="entry-search", exit_on_error=False)
    def _search_in_background(self, query: str, first: date | None, last: date | None,
                              tag: str) -> None:
        found = self.journal.search(query)
        self.app.call_from_thread(self._searched, query, first, last, tag, found)

    def _searched(self, query: str, first: date | None, last: date | None, tag: str,
                  found: list[Entry]) -> None:
        """A search from the thread is done: shown unless the person has changed the
        search or the filters since (a newer search is on its way) or locked."""
        if self.journal.is_locked or not self.is_attached:
            return
        try:
            now = (self.query_one("#search", Input).value,
                   parse_day(self.query_one("#from-day", Input).value),
                   parse_day(self.query_one("#to-day", Input).value),
                   self.query_one("#tag", Input).value)
        except FilterProblem:
            return
        if now == (query, first, last, tag):
            self._found(query, first, last, tag, found)

    def _show(self, entries: list[Entry]) -> None:
        """List these entries, keeping the highlight on the same entry when it is there."""
        self.shown = entries
        entry_list = self.query_one("#entry-list", OptionList)
        highlighted = entry_list.highlighted_option.id if entry_list.highlighted_option else None
        entry_list.set_options(Option(entry_line(e), id=e.id) for e in self.shown)
        ids = [e.id for e in self.shown]
        if highlighted in ids:
            entry_list.highlighted = ids.index(highlighted)
        elif ids:
            entry_list.highlighted = 0

    def _count_text(self, total: int, query: str, first, last, tag: str) -> str:
        filtered = bool(query.strip() or first or last or tag.strip())
        if total == 0:
            if filtered:
                return _("Nothing matches. Try fewer words or a wider date range.")
            return _("No entries yet. Press w to write your first one.")
        text = ngettext("{n} entry", "{n} entries", total).format(n=total)
        if filtered:
            text = ngettext("{n} entry matches", "{n} entries match", total).format(n=total)
        if total > SHOWN_AT_MOST:
            # One line of 80 columns: a search already narrows down, so it is not
            # suggested again ("4064 entries match" used to push "Enter opens" off).
            text += " · " + (_("the newest {n} shown") if filtered else _(
                "showing the newest {n}; search to narrow down")).format(n=SHOWN_AT_MOST)
        return text + " · " + _("Enter opens")

    def _selected(self) -> Entry | None:
        entry_list = self.query_one("#entry-list", OptionList)
        option = entry_list.highlighted_option
        if option is None or option.id is None:
            return None
        entry = self.journal.get(option.id)
        return entry if isinstance(entry, Entry) else None

    @on(OptionList.OptionSelected)
    def open_entry(self) -> None:
        from .entry_view import EntryScreen

        entry = self._selected()
        if entry is not None:
            self.app.push_screen(EntryScreen(self.journal, entry))

    def action_focus_search(self) -> None:
        self.query_one("#search").focus()

    def action_close(self) -> None:
        self.dismiss()

    def action_edit(self) -> None:
        from .editor import EditorScreen

        entry = self._selected()
        if entry is not None and not refused(self, self.journal):
            self.app.push_screen(EditorScreen(self.journal, entry))

    def action_delete(self) -> None:
        entry = self._selected()
        if entry is not None and not refused(self, self.journal):
            confirm_delete(self, entry, after=self.refresh_list)


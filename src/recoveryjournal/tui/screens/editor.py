"""Writing and editing an entry, with drafts sealed as you type.

A draft is saved after a short pause in typing (300 ms), at every line break,
and at least every few seconds while typing goes on, so a crash, a lock or a
closed terminal loses almost nothing; the save runs in the pause, never
between two keys. Locking and quitting call `save_draft()` too. After an
unlock the editor opens again with the draft in it; reopening the editor
later offers the draft back; saving the entry discards it. A draft that comes
back puts the cursor at its end, where the words were going.
"""

from __future__ import annotations

import dataclasses

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Select, Static, TextArea

from ...i18n import N_, _
from ...i18n.formats import format_datetime, format_time
from ...journal import Journal
from ...records import Entry, InvalidRecord
from ...safetext import clean
from ...vault.errors import JournalError
from ..widgets.confirm import ConfirmScreen
from ..widgets.writing_area import LINES_BROKEN_NOTE, WritingArea, break_long_lines
from ..widgets.keys_footer import KeysFooter

DRAFT_PAUSE_SECONDS = 0.3  # save after this long without a keystroke
DRAFT_MAX_SECONDS = 5.0  # and at least this often while typing goes on

MOODS = ((1, N_("1 very low")), (2, N_("2 low")), (3, N_("3 okay")), (4, N_("4 good")),
         (5, N_("5 very good")))


def parse_tags(text: str) -> list[str]:
    """Tags typed as "work, family" or "#work #family": cleaned, lower-case, no repeats."""
    tags: list[str] = []
    for part in text.replace(",", " ").split():
        tag = clean(part).lstrip("#").strip().lower()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


class EditorScreen(Screen):
    """A new entry (no `entry`) or an existing one, edited in a multi-line box."""

    CSS_PATH = "editor.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "close", N_("Close (keeps a draft)")),
    ]

    def __init__(self, journal: Journal, entry: Entry | None = None, *, resume: bool = False):
        super().__init__()
        self.journal = journal
        self.entry = entry
        self.purpose = f"entry:{entry.id}" if entry else "entry:new"
        self.resume = resume  # reopened after an unlock: the draft comes back without asking
        self._dirty = False
        self._close_anyway = False
        self._line_count = 0
        self._pause_timer: Timer | None = None
        self._max_timer: Timer | None = None
        self._original: dict = {}
        self._broke_lines = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="editor"):
            text, self._broke_lines = break_long_lines(self.entry.text if self.entry else "")
            yield WritingArea(
                text, id="text", soft_wrap=True,
                show_line_numbers=False,
                placeholder=_("Write whatever is on your mind…"),
            )
            with Horizontal(id="details"):
                yield Select(
                    [(_(label), value) for value, label in MOODS],
                    prompt=_("Mood (optional)"),
                    value=self.entry.mood if self.entry and self.entry.mood else Select.NULL,
                    id="mood",
                )
                yield Input(
                    ", ".join(self.entry.tags) if self.entry else "",
                    placeholder=_("Tags, e.g. work, family"), id="tags", max_length=300,
                )
            yield Static("", id="editor-status", classes="status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Edit entry") if self.entry else _("New entry")
        text_area = self.query_one("#text", TextArea)
        text_area.focus()
        text_area.move_cursor(text_area.document.end)  # an edit usually adds to the end
        self._original = self.draft_content()
        self._line_count = self.query_one("#text", TextArea).document.line_count
        if self._broke_lines:
            self._status(LINES_BROKEN_NOTE())
        draft = self.journal.draft(self.purpose)
        if draft is not None and self.resume:
            self._draft_answer(True)
        elif draft is not None and draft.content.get("text", "").strip():
            when = draft.updated.astimezone()
            self.app.push_screen(
                ConfirmScreen(
                    _("You have unsaved writing from {when}. Continue with it?").format(
                        when=format_datetime(when, numeric=True)
                    ),
                    yes=_("Continue it"), no=_("Start over"),
                ),
                self._draft_answer,
            )

    def _draft_answer(self, keep: bool | None) -> None:
        draft = self.journal.draft(self.purpose)
        if draft is None:
            return
        if keep:
            self._fill(draft.content)
            self._dirty = True
            self._status(_("Your draft is back. Ctrl+S saves it as an entry."))
        else:
            self.journal.discard_draft(self.purpose)
        self.query_one("#text", TextArea).focus()

    def _fill(self, content: dict) -> None:
        with self.prevent(TextArea.Changed, Input.Changed, Select.Changed):
            text_area = self.query_one("#text", TextArea)
            text_area.text = break_long_lines(str(content.get("text", "")))[0]
            # New words go after the old ones, not in front of them.
            text_area.move_cursor(text_area.document.end)
            self._line_count = text_area.document.line_count
            self.query_one("#tags", Input).value = str(content.get("tags", ""))
            mood = content.get("mood")
            self.query_one("#mood", Select).value = mood if mood in range(1, 6) else Select.NULL

    def resume_after_unlock(self):
        """After a lock and unlock: this editor again, with its draft (see the app)."""
        entry_id = self.entry.id if self.entry else None

        def reopen(journal: Journal) -> "EditorScreen | None":
            if entry_id is None:
                return EditorScreen(journal, resume=True)
            entry = journal.get(entry_id)
            return EditorScreen(journal, entry, resume=True) if isinstance(entry, Entry) else None
        return reopen

    # ---- drafts ------------------------------------------------------------------

    @on(TextArea.Changed)
    @on(Input.Changed, "#tags")
    @on(Select.Changed, "#mood")
    def typed(self) -> None:
        self._dirty = True
        if self._pause_timer is not None:
            self._pause_timer.stop()
        line_count = self.query_one("#text", TextArea).document.line_count
        if line_count != self._line_count:
            # A line break (or a pasted block): a natural pause, and a line is worth keeping.
            self._line_count = line_count
            self.save_draft()
            return
        self._pause_timer = self.set_timer(DRAFT_PAUSE_SECONDS, self.save_draft)
        if self._max_timer is None:
            self._max_timer = self.set_timer(DRAFT_MAX_SECONDS, self.save_draft)

    def draft_content(self) -> dict:
        mood = self.query_one("#mood", Select).value
        return {
            "text": self.query_one("#text", TextArea).text,
            "mood": mood if isinstance(mood, int) else None,
            "tags": self.query_one("#tags", Input).value,
        }

    def save_draft(self) -> bool:
        """Seal what is typed so far (called on pauses, before lock and before quit).
        False when it could not be kept (a full disk, read-only media): the text
        stays on screen and the status line says why."""
        for timer in (self._pause_timer, self._max_timer):
            if timer is not None:
                timer.stop()
        self._pause_timer = self._max_timer = None
        if not self._dirty or self.journal.is_locked:
            return True
        content = self.draft_content()
        try:
            if content["text"].strip() and content != self._original:
                self.journal.save_draft(self.purpose, content)
                self._status(_("Draft kept safe at {time}").format(
                    time=format_time(self.app.clock())))
            else:
                self.journal.discard_draft(self.purpose)
        except JournalError as exc:
            self._status(_("No draft could be kept; your text is still here. "
                           "Esc again closes without it."))
            self.app.notify(str(exc), severity="warning", markup=False)
            return False
        self._dirty = False
        return True

    # ---- saving and closing ------------------------------------------------------

    def action_save(self) -> None:
        content = self.draft_content()
        text = content["text"]
        try:
            if self.entry is None:
                entry = Entry(text=text, mood=content["mood"], tags=parse_tags(content["tags"]),
                              when=self.app.clock())
                self.journal.add(entry)
            else:
                # A changed copy: the record the journal holds changes only once the
                # save is done. Changed in place, a refused save (empty text, a full
                # disk) left it showing and found by search with words never saved.
                edited = dataclasses.replace(self.entry, text=text, mood=content["mood"],
                                             tags=parse_tags(content["tags"]))
                self.entry = self.journal.update(edited)
            self.journal.discard_draft(self.purpose)
        except (InvalidRecord, JournalError) as exc:
            self._status(str(exc))
            return
        self._dirty = False
        for timer in (self._pause_timer, self._max_timer):
            if timer is not None:
                timer.stop()
        self.app.notify(_("Saved."))
        self.dismiss()

    def action_close(self) -> None:
        had_changes = self._dirty
        if not self.save_draft() and not self._close_anyway:
            self._close_anyway = True  # the person has read why; a second Esc closes
            return
        if had_changes and self.journal.draft(self.purpose) is not None:
            self.app.notify(_("Kept as a draft; it will be offered when you write again."))
        self.dismiss()

    def _status(self, message: str) -> None:
        self.query_one("#editor-status", Static).update(Content(message))



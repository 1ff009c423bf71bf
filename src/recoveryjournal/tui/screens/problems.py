"""Shown once after unlock when some records could not be read, or when the set
of records was changed outside the app (which the person may accept)."""

from __future__ import annotations

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...export.backup import backups_folder
from ...i18n import N_, _
from ...journal import Journal
from ...vault.errors import JournalError


class ProblemsScreen(ModalScreen[None]):
    """A calm list of what was found; everything else opened normally.

    Continue changes nothing (the same is reported at the next unlock). When the
    set of records was changed outside the app, the person may instead accept the
    journal as it is now (`Journal.accept_changes`)."""

    CSS_PATH = "problems.tcss"
    BINDINGS = [Binding("escape,enter", "dismiss", N_("Continue"))]

    def __init__(self, journal: Journal):
        super().__init__()
        self.journal = journal
        self.problems = list(journal.problems)
        self.can_accept = bool(journal.outside_changes)
        self.busy = False
        # The idle lock waits while the journal is being changed.
        self.idle_lock_paused = False

    def compose(self) -> ComposeResult:
        with Vertical(id="problems-box", classes="-can-accept" if self.can_accept else ""):
            if self.can_accept:
                # More to read: the text scrolls on a small screen, the buttons stay.
                with VerticalScroll(id="problems-body"):
                    yield from self._explanation()
            else:
                yield from self._explanation()
            with Horizontal(id="problems-buttons"):
                yield Button(_("Continue"), variant="primary", id="continue")
                if self.can_accept:
                    yield Button(_("Accept the journal as it is now"), id="accept")

    def _explanation(self) -> ComposeResult:
        damaged = len(self.problems) > len(self.journal.outside_changes)
        if damaged or not self.can_accept:
            yield Static(_("Some of your journal could not be read"), classes="title")
            yield Static(_(
                "Everything else opened normally. What could not be read was left as it "
                "is on disk; a backup from before may still hold it."
            ))
        else:
            yield Static(_("Your journal was changed outside the app"), classes="title")
            yield Static(_("Everything else opened normally. This is what was found:"))
        problems = [Static(Content("• " + problem)) for problem in self.problems]
        # Problem lines may name a file path: shown literally (Content, not markup).
        if self.can_accept:
            yield Vertical(*problems, id="problems-list")
        else:
            yield VerticalScroll(*problems, id="problems-list")
        yield Static(id="problems-message")
        if not self.can_accept:
            return
        yield Static(_(
            "Accepting means the app treats what is there now as your journal. Nothing "
            "is deleted, and a backup from before may still hold anything that is missing."
        ), id="problems-accept-help")
        # The folder is a path the person chose: shown literally.
        yield Static(Content(_(
            "If you did not expect this, choose Continue (nothing changes; you will be asked "
            "again next time), close the app and restore a backup from {folder} with: "
            "recoveryjournal restore FILE"
        ).format(folder=backups_folder(self.journal.path))), id="problems-restore-help")

    def on_mount(self) -> None:
        # Continue, which changes nothing, has the focus: a stray Enter accepts nothing.
        self.query_one("#continue").focus()

    def on_resize(self, event: events.Resize) -> None:
        if self.can_accept:
            # Border, padding and the buttons take 8 lines; the text gets the rest.
            self.query_one("#problems-body").styles.max_height = max(4, event.size.height - 8)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if self.busy:
            return
        if event.button.id == "accept":
            self._set_busy(True)
            self.accept_changes()
        else:
            self.dismiss()

    async def action_dismiss(self, result: None = None) -> None:
        if not self.busy:
            await super().action_dismiss(result)

    @work(thread=True, exclusive=True, group="accept-changes", exit_on_error=False)
    def accept_changes(self) -> None:
        """Rebuild the integrity check for the records as they are now and reload,
        off the UI thread (it reads the whole file)."""
        try:
            self.journal.accept_changes()
        except JournalError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        except Exception as exc:  # never a traceback on this screen
            self.app.call_from_thread(self._failed, _(
                "The journal could not be changed: {reason}").format(reason=exc))
            return
        self.app.call_from_thread(self._accepted)

    def _accepted(self) -> None:
        from .dashboard import DashboardScreen

        if not self.is_attached:  # closed meanwhile (the app quit)
            return
        self._set_busy(False)
        for screen in self.app.screen_stack:
            if isinstance(screen, DashboardScreen):
                screen.refresh_numbers()  # records added from elsewhere count now
        if self.journal.problems:
            done = _("Done. The app will not ask about these changes again. Records that "
                     "could not be read are still skipped; a backup may still hold them.")
        else:
            done = _("Done. The app will not ask about these changes again.")
        self.dismiss()
        self.app.notify(done, markup=False)

    def _failed(self, message: str) -> None:
        if not self.is_attached:
            return
        self._set_busy(False)
        # Vault messages may hold a file path: shown literally.
        shown = self.query_one("#problems-message", Static)
        shown.update(Content(message))
        shown.display = True
        # In place of the explanation, so the buttons stay on a small screen.
        self.query_one("#problems-accept-help").display = False

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.idle_lock_paused = busy
        for button in self.query(Button).results(Button):
            button.disabled = busy

"""Forgot the passphrase: open the journal with the recovery code and choose a new one.

Reached from the unlock screen (ctrl+r or its button); Escape goes back there.
The person types the code (spaces, small letters and missing dashes are fine:
`Journal.open_with_recovery_code` normalises it) and a new passphrase twice,
held to the first-run rules. Everything is checked on screen before any key
derivation; then one worker thread opens the journal with the code, re-wraps the
data key with the new passphrase and loads, and the app takes the journal as
after an ordinary unlock. Like the unlock screen, it shows nothing about the
journal until the code is right, and a wrong code may be tried again at once.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static

from ...i18n import N_, _
from ...journal import Journal
from ...vault.errors import JournalError, WrongSecret
from ..passphrase import passphrase_problem, strength_meter
from ..widgets.secret_input import SecretInput
from ..widgets.keys_footer import KeysFooter


class RecoverScreen(Screen):
    """The recovery code and a new passphrase twice; on success, the dashboard."""

    CSS_PATH = "recover.tcss"
    AUTO_FOCUS = "#recovery-code"
    BINDINGS = [Binding("escape", "back", N_("Back"))]

    def __init__(self) -> None:
        super().__init__()
        self.busy = False  # a key derivation is running: the boxes and Escape wait

    def compose(self) -> ComposeResult:
        with Center():
            with VerticalScroll(id="recover-box"):
                yield Static(_("Set a new passphrase with your recovery code"), classes="title")
                yield Static(_(
                    "Type the recovery code you wrote down. Spaces and small letters are fine."
                ), classes="hint")
                yield Input(placeholder=_("Recovery code"), id="recovery-code", max_length=100)
                yield Static(_("Then choose a new passphrase and type it twice."),
                             classes="hint", id="new-passphrase-hint")
                yield SecretInput(placeholder=_("New passphrase"),
                            id="new-passphrase", max_length=1024)
                yield Static("", id="recover-strength")
                yield SecretInput(placeholder=_("The same passphrase again"),
                            id="repeat-passphrase", max_length=1024)
                yield Static("", id="recover-message", classes="message")
        yield KeysFooter()

    # ---- moving between the boxes ------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return not self.busy
        return True

    def action_back(self) -> None:
        if self.busy:
            return
        self._clear()
        self.app.pop_screen()

    @on(Input.Changed, "#new-passphrase")
    def show_strength(self, event: Input.Changed) -> None:
        self.query_one("#recover-strength", Static).update(Content(strength_meter(event.value)))

    @on(Input.Submitted, "#recovery-code")
    def code_typed(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self._say(_("Please type your recovery code."))
            return
        first = self.query_one("#new-passphrase", Input)
        repeat = self.query_one("#repeat-passphrase", Input)
        if first.value and repeat.value:
            self.submit()  # trying the code again: the new passphrase is still there
            return
        self._say("")
        self.set_focus(first)

    @on(Input.Submitted, "#new-passphrase")
    def passphrase_typed(self, event: Input.Submitted) -> None:
        problem = passphrase_problem(event.value)
        if problem:
            self._say(problem)
            return
        self._say(_("Now type it once more, then press Enter."), ok=True)
        self.set_focus(self.query_one("#repeat-passphrase"))

    @on(Input.Submitted, "#repeat-passphrase")
    def repeat_typed(self) -> None:
        self.submit()

    # ---- checking and opening ----------------------------------------------------

    def submit(self) -> None:
        """Check everything that needs no key derivation, then open in a worker."""
        code_box = self.query_one("#recovery-code", Input)
        first_box = self.query_one("#new-passphrase", Input)
        repeat_box = self.query_one("#repeat-passphrase", Input)
        if not code_box.value.strip():
            self._say(_("Please type your recovery code."))
            self.set_focus(code_box)
            return
        problem = passphrase_problem(first_box.value)
        if problem:
            self._say(problem)
            self.set_focus(first_box)
            return
        if repeat_box.value != first_box.value:
            self._say(_("The two passphrases are not the same. Please type it again."))
            repeat_box.value = ""
            self.set_focus(repeat_box)
            return
        code, new_passphrase = code_box.value, first_box.value
        code_box.value = ""  # a wrong code is typed afresh; a right one is no longer needed
        self._set_busy(True)
        self._say(_("Checking the code…"), ok=True)
        self.recover(code, new_passphrase)

    @work(thread=True, exclusive=True, group="recover", exit_on_error=False)
    def recover(self, code: str, new_passphrase: str) -> None:
        """Open with the code, set the new passphrase and load, off the UI thread
        (each step derives a key), then hand the journal to the app."""
        try:
            journal = Journal.open_with_recovery_code(self.app.journal_path, code)
        except WrongSecret as exc:
            self.app.call_from_thread(self._wrong_code, str(exc))
            return
        except JournalError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        except Exception as exc:  # never a traceback on this screen
            self.app.call_from_thread(
                self._failed, _("The journal could not be opened: {reason}").format(reason=exc))
            return
        self.app.call_from_thread(
            self._say, _("The code is right. Setting your new passphrase…"), True)
        try:
            journal.change_passphrase(new_passphrase, recovery_code=code)
        except Exception as exc:
            journal.lock()
            reason = str(exc) if isinstance(exc, JournalError) else _(
                "The new passphrase could not be set: {reason}").format(reason=exc)
            self.app.call_from_thread(self._failed, reason)
            return
        try:
            journal.load(verify=False)
        except Exception as exc:
            journal.lock()
            self.app.call_from_thread(self._failed, _(
                "Your new passphrase is set, but the journal could not be opened ({reason}). "
                "Press Escape and unlock with your new passphrase."
            ).format(reason=exc))
            return
        self.app.call_from_thread(self._opened, journal)

    async def _opened(self, journal: Journal) -> None:
        self._clear()
        self.app.notify(
            _("Your new passphrase is set; the old one no longer opens this journal. "
              "The recovery code still works; keep it safe."),
            markup=False, timeout=10,
        )
        await self.app.unlocked(journal)
        from .recovery_code import offer_to_delete_backups

        offer_to_delete_backups(self.app, journal.path)

    def _wrong_code(self, message: str) -> None:
        self._set_busy(False)
        self.set_focus(self.query_one("#recovery-code"))
        self._say(message)

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self.set_focus(self.query_one("#recovery-code"))
        self._say(message)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for box in self.query(Input).results(Input):
            box.disabled = busy
        self.refresh_bindings()

    def _clear(self) -> None:
        for box in self.query(Input).results(Input):
            box.value = ""

    def _say(self, message: str, ok: bool = False) -> None:
        status = self.query_one("#recover-message", Static)
        # Vault messages may hold a file path the person chose: shown literally.
        status.update(Content(message))
        status.set_class(ok, "-ok")
        if message:
            self.call_after_refresh(status.scroll_visible, animate=False)

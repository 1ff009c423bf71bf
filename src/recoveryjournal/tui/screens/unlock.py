"""The unlock screen: a passphrase box and nothing else about the journal.

Until the passphrase is right it shows no names, counts or previews. The key
derivation and the load run in a worker thread once "Unlocking…" is shown, so
the screen stays responsive; the vault's connection allows this
(`check_same_thread=False` in `vault/store.py`: one thread uses it at a time).
A forgotten passphrase leads to the recovery screen (ctrl+r, or the button):
the journal opens there with the recovery code and a new passphrase.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from ...i18n import N_, _
from ...journal import Journal
from ...vault import memory
from ...vault.errors import JournalError
from ..widgets.secret_input import SecretInput
from ..widgets.keys_footer import KeysFooter


def open_for_dashboard(path, passphrase: str) -> Journal:
    """Unlock and read what the dashboard needs: the sealed summary, a constant
    number of rows. Reading every record, the full integrity check and the
    decoding of every kind follow in a worker (`RecoveryJournalApp.finish_loading`).

    A journal without a current summary (made before it) is read whole here, as
    before; the worker then builds its summary.
    """
    journal = Journal.open(path, passphrase)
    journal.check_rollback()  # shown by the app once the dashboard is drawn
    if journal.summary() is None:
        journal.load(verify=False)
    return journal


class UnlockScreen(Screen):
    """Ask for the passphrase; on success hand the unlocked journal to the app."""

    CSS_PATH = "unlock.tcss"
    AUTO_FOCUS = "#passphrase"
    BINDINGS = [Binding("ctrl+r", "recover", N_("Forgot passphrase"))]

    def compose(self) -> ComposeResult:
        with Center():
            with Vertical(id="unlock-box"):
                yield Static(_("recoveryjournal"), classes="title")
                yield Static(_("Your journal is locked."), id="locked-note")
                yield SecretInput(
                    placeholder=_("Passphrase"), id="passphrase",
                    max_length=1024,
                )
                yield Static("", id="unlock-message", classes="message")
                yield Static(_("Enter unlocks."), classes="hint")
                yield Static(_("F2: help lines, without unlocking."), classes="hint",
                             id="help-lines-note")
                yield Static(
                    _("Forgot your passphrase? Your recovery code opens the journal, "
                      "and you choose a new passphrase."),
                    classes="hint", id="forgot-note",
                )
                yield Button(Content(_("Use my recovery code")), id="use-recovery-code")
                if self.app.demo:
                    from ...demo import DEMO_PASSPHRASE

                    yield Static(Content(_("The demo passphrase is: {passphrase}").format(
                        passphrase=DEMO_PASSPHRASE)), classes="hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        # While the person types the passphrase: hand back what start-up (or the
        # records of the journal just locked) freed, so that the KDF's 64 MiB, the
        # session's peak, lands on less. In a worker: it takes tens of ms.
        self.give_back_memory()

    @work(thread=True, group="give-back", exit_on_error=False)
    def give_back_memory(self) -> None:
        """Return the allocator's free pages to the system (vault/memory.py)."""
        memory.give_back()

    def on_screen_resume(self) -> None:
        # Back from the recovery or help screen: typing goes to the passphrase again.
        passphrase_box = self.query_one("#passphrase", Input)
        if not passphrase_box.disabled:
            self.set_focus(passphrase_box)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "recover":
            return not self.query_one("#passphrase", Input).disabled  # not while unlocking
        return True

    @on(Button.Pressed, "#use-recovery-code")
    def action_recover(self) -> None:
        """Forgot the passphrase: the recovery screen, which comes back here on Escape."""
        passphrase_box = self.query_one("#passphrase", Input)
        if passphrase_box.disabled:
            return
        from .recover import RecoverScreen

        passphrase_box.value = ""
        self._say("")
        self.app.push_screen(RecoverScreen())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not event.value:
            self._say(_("Please type your passphrase."))
            return
        # The key derivation first: it runs in its own thread while this one
        # restyles the box and says "Unlocking…" (Argon2id lets go of the GIL).
        self.unlock(event.value)
        passphrase_box = self.query_one("#passphrase", Input)
        passphrase_box.disabled = True
        self._say(_("Unlocking…"), ok=True)

    @work(thread=True, exclusive=True, group="unlock", exit_on_error=False)
    def unlock(self, passphrase: str) -> None:
        """Derive the key and decrypt, in a worker thread so the screen stays
        responsive, then hand the journal to the app on the UI thread."""
        try:
            journal = open_for_dashboard(self.app.journal_path, passphrase)
        except JournalError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        except Exception as exc:  # never a traceback on this screen
            self.app.call_from_thread(
                self._failed, _("The journal could not be opened: {reason}").format(reason=exc))
            return
        self.app.call_from_thread(self._hand_over, journal)

    async def _hand_over(self, journal: Journal) -> None:
        # This screen closes now: its footer need not redraw for the keys the open
        # journal brings (ctrl+l), a redraw the person would wait through.
        self.bindings_updated_signal.unsubscribe(self.query_one(KeysFooter))
        await self.app.unlocked(journal)

    def _failed(self, message: str) -> None:
        passphrase_box = self.query_one("#passphrase", Input)
        passphrase_box.disabled = False
        passphrase_box.value = ""
        passphrase_box.focus()
        self._say(message)

    def _say(self, message: str, ok: bool = False) -> None:
        status = self.query_one("#unlock-message", Static)
        # Vault messages may hold a file path the person chose: shown literally.
        status.update(Content(message))
        status.set_class(ok, "-ok")

"""A new recovery code from Settings: the passphrase, then the code shown once and
two of its groups typed back, as at first run (the same steps, words and checks).

Nothing changes until the groups match: then the data key is replaced
(`Journal.replace_recovery_code`), so the old code, and any copy of its key slot,
no longer opens the journal. Older backups still do; the person is offered to
delete the ones kept beside the journal (`offer_to_delete_backups`, also used
after recovering with the code).
"""

from __future__ import annotations

import secrets

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, ContentSwitcher, Header, Input, Static

from ...i18n import N_, _, ngettext
from ...journal import Journal
from ...vault.errors import JournalError
from ..passphrase import groups_match, recovery_groups_to_check
from ..widgets.keys_footer import KeysFooter
from ..widgets.recovery_code_steps import recovery_code_steps


def offer_to_delete_backups(app: App, journal_path) -> None:
    """Say that older backups still open with the old secrets; offer to delete them."""
    from ...export.backup import delete_copies, older_copies
    from ..widgets.confirm import ConfirmScreen

    copies = older_copies(journal_path)
    if not copies:
        return
    question = ngettext(
        "{n} backup kept beside the journal still opens with the passphrase and "
        "recovery code it was made with (so do copies you made elsewhere). Delete it now?",
        "{n} backups kept beside the journal still open with the passphrase and "
        "recovery code they were made with (so do copies you made elsewhere). "
        "Delete them now?",
        len(copies)).format(n=len(copies))

    def answered(delete: bool | None) -> None:
        if delete:
            deleted = delete_copies(copies)
            app.notify(ngettext("Deleted {n} backup.", "Deleted {n} backups.", deleted
                                ).format(n=deleted), markup=False)

    app.push_screen(ConfirmScreen(question, _("Delete"), _("Keep them"), danger=True), answered)


class NewRecoveryCodeScreen(Screen):
    """Passphrase, code, check; Escape goes back a step or leaves with nothing changed."""

    CSS_PATH = ["first_run.tcss", "recovery_code.tcss"]
    BINDINGS = [Binding("escape", "back", N_("Back"))]

    def __init__(self, journal: Journal):
        super().__init__()
        self.journal = journal
        self._passphrase: str | None = None
        self._code: str | None = None
        self._check_groups = (1, 2)

    @property
    def idle_lock_paused(self) -> bool:
        """Writing the code down takes a while without a keystroke (as at first run)."""
        return self._code is not None

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="confirm"):
            with VerticalScroll(id="confirm", classes="step"):
                yield Static(_("A new recovery code"), classes="title")
                yield Static(_(
                    "The new code replaces the old one: once it is set, the old code no "
                    "longer opens this journal. Backups made before still open with the "
                    "old code. Type your passphrase to go on."), classes="lead")
                yield Input(password=True, placeholder=_("Passphrase"), id="current-passphrase",
                            max_length=1024)
                yield Static("", id="confirm-message", classes="message")
            yield from recovery_code_steps()
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Settings")
        self.set_focus(self.query_one("#current-passphrase"))

    def _show(self, step: str, focus: str) -> None:
        self.query_one(ContentSwitcher).current = step
        self.set_focus(self.query_one(focus))

    def _say(self, where: str, message: str) -> None:
        self.query_one(where, Static).update(Content(message))

    def action_back(self) -> None:
        step = self.query_one(ContentSwitcher).current
        if step == "recovery-check":
            self._show("recovery-code", "#written")
        else:
            self._forget()
            self.dismiss()

    def _forget(self) -> None:
        self._passphrase = self._code = None
        self.query_one("#code", Static).update("")

    @on(Input.Submitted, "#current-passphrase")
    def passphrase_given(self, event: Input.Submitted) -> None:
        if not event.value:
            return
        event.input.disabled = True
        self._say("#confirm-message", _("Checking…"))
        self.check_passphrase(event.value)

    @work(thread=True, exclusive=True, group="recovery-code", exit_on_error=False)
    def check_passphrase(self, passphrase: str) -> None:
        try:
            self.journal.check_passphrase(passphrase)
        except JournalError as exc:
            self.app.call_from_thread(self._wrong_passphrase, str(exc))
            return
        self.app.call_from_thread(self._show_code, passphrase)

    def _wrong_passphrase(self, message: str) -> None:
        box = self.query_one("#current-passphrase", Input)
        box.disabled = False
        box.value = ""
        self.set_focus(box)
        self._say("#confirm-message", message)

    def _show_code(self, passphrase: str) -> None:
        self.query_one("#current-passphrase", Input).value = ""
        self._passphrase = passphrase
        self._code = code = Journal.new_recovery_code()
        self.query_one("#code", Static).update(Content(code))
        self._check_groups = a, b = recovery_groups_to_check(code, secrets.randbelow(1 << 16))
        self._say("#check-prompt", _(
            "To make sure it is written down correctly, please type group {a} and group {b} "
            "of your recovery code (the groups are the blocks between the dashes)."
        ).format(a=a, b=b))
        self.query_one("#group-a", Input).placeholder = _("Group {n}").format(n=a)
        self.query_one("#group-b", Input).placeholder = _("Group {n}").format(n=b)
        self._show("recovery-code", "#written")

    @on(Button.Pressed, "#written")
    def written(self) -> None:
        self._show("recovery-check", "#group-a")

    @on(Input.Submitted, "#group-a")
    def next_group(self) -> None:
        self._say("#check-message", _("And now group {n}.").format(n=self._check_groups[1]))
        self.set_focus(self.query_one("#group-b"))

    @on(Input.Submitted, "#group-b")
    def check_groups(self) -> None:
        if self._code is None or self._passphrase is None:
            return
        boxes = (self.query_one("#group-a", Input), self.query_one("#group-b", Input))
        for number, box in zip(self._check_groups, boxes):
            if not groups_match(self._code, number, box.value):
                self._say("#check-message", _(
                    "That is not quite group {n}. Have a look at what you wrote down, "
                    "or press Escape to see the code again."
                ).format(n=number))
                box.focus()
                return
        self._say("#check-message", _("Setting your new recovery code…"))
        self.set_code(self._passphrase, self._code)

    @work(thread=True, exclusive=True, group="recovery-code", exit_on_error=False)
    def set_code(self, passphrase: str, code: str) -> None:
        try:
            self.journal.replace_recovery_code(passphrase, code)
        except JournalError as exc:
            self.app.call_from_thread(self._say, "#check-message", str(exc))
            return
        self.app.call_from_thread(self._done)

    def _done(self) -> None:
        self._forget()
        self.app.notify(_("Your new recovery code is set. The old one no longer opens this "
                          "journal."), markup=False, timeout=10)
        path = self.journal.path
        self.dismiss()
        offer_to_delete_backups(self.app, path)

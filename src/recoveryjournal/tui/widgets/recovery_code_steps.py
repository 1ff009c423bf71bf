"""The two steps that hand over a recovery code: the code shown once, then two of
its groups typed back. First run and "New recovery code" (Settings) both use them;
each screen fills `#code` and `#check-prompt` and answers the buttons and inputs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Static

from ...i18n import _


def recovery_code_steps() -> ComposeResult:
    """The steps `#recovery-code` and `#recovery-check`, for a ContentSwitcher."""
    with VerticalScroll(id="recovery-code", classes="step"):
        yield Static(_("Your recovery code"), classes="title")
        yield Static(_(
            "If you ever forget your passphrase, this code is the only way back into "
            "your journal. Please write it down on paper now and keep it somewhere "
            "safe. It is shown only this once."
        ), classes="lead")
        yield Static("", id="code")
        yield Button(_("I have written it down"), id="written", variant="primary")
    with VerticalScroll(id="recovery-check", classes="step"):
        yield Static(_("A quick check"), classes="title")
        yield Static("", id="check-prompt", classes="lead")
        with Horizontal(id="check-row"):
            yield Input(placeholder="XXXX", id="group-a", max_length=9)
            yield Input(placeholder="XXXX", id="group-b", max_length=9)
        yield Static("", id="check-message", classes="message")
        yield Static(_("Escape shows the code again."), classes="hint")

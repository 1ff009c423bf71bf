"""Where the CLI asks its questions (passphrases and answers) and reads the replies.

On a terminal, secrets are asked with getpass (never echoed) and answers with
input(). When standard input is not a terminal, each secret or answer is the
next line of standard input, so the CLI scripts cleanly:

    printf 'my passphrase\\n' | recoveryjournal write "Called Anna from my group"
"""

from __future__ import annotations

import getpass
import sys
from typing import TextIO

from ..i18n import _
# The rules live below cli/ so the app can use them too; re-exported for the CLI.
from ..passphrase_rules import MAX_SECRET_LENGTH, MIN_PASSPHRASE_LENGTH, passphrase_problem  # noqa: F401
from ..vault.errors import JournalError


class MissingInput(JournalError):
    exit_code = 2

    def __init__(self, what: str):
        super().__init__(
            _("Expected {what} on the next line of standard input, but there was none.").format(
                what=what)
        )


class Answers:
    """Reads secrets and answers from a terminal or, failing that, from stdin lines."""

    def __init__(self, stdin: TextIO | None = None, stderr: TextIO | None = None):
        self.stdin = stdin or sys.stdin
        self.stderr = stderr or sys.stderr
        try:
            self.interactive = self.stdin.isatty()
        except (AttributeError, ValueError):
            self.interactive = False

    def secret(self, prompt: str, what: str | None = None) -> str:
        what = what or _("the passphrase")
        if self.interactive:
            value = getpass.getpass(prompt, stream=self.stderr)
        else:
            value = self._next_line(what)
        if len(value) > MAX_SECRET_LENGTH:
            raise InvalidSecret(_("That is longer than {n} characters.").format(n=MAX_SECRET_LENGTH))
        return value

    def line(self, prompt: str, what: str | None = None) -> str:
        what = what or _("an answer")
        if self.interactive:
            self.stderr.write(prompt)
            self.stderr.flush()
            return self.stdin.readline().rstrip("\r\n")
        return self._next_line(what)

    def rest(self) -> str:
        """Everything left on standard input (for `write -`)."""
        buffer = getattr(self.stdin, "buffer", None)
        if buffer is None:
            return self.stdin.read()
        return _utf8(buffer.read())

    def _next_line(self, what: str) -> str:
        # Bounded read: a 1 GiB "line" must not be pulled into memory whole.
        limit = MAX_SECRET_LENGTH * 64 + 2
        buffer = getattr(self.stdin, "buffer", None)
        line = _utf8(buffer.readline(limit)) if buffer is not None else self.stdin.readline(limit)
        if not line:
            raise MissingInput(what)
        return line.rstrip("\r\n")


def _utf8(raw: bytes) -> str:
    """Standard input as text; the bytes are read directly so a non-UTF-8 locale
    cannot smuggle undecodable bytes in as lone surrogates."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8() from exc


class NotUtf8(JournalError):
    exit_code = 2

    def __init__(self):
        super().__init__(
            _("Standard input is not UTF-8 text, so nothing was read or written. "
              "Convert it first, for example: iconv -f latin1 -t utf-8 FILE")
        )


class InvalidSecret(JournalError):
    exit_code = 2



def new_passphrase(answers: Answers, prompt: str | None = None) -> str:
    """Ask a new passphrase twice and check it is usable."""
    first = answers.secret(prompt or _("New passphrase: "), _("the new passphrase"))
    problem = passphrase_problem(first)
    if problem:
        raise InvalidSecret(problem)
    second = answers.secret(_("Type it again: "), _("the new passphrase again"))
    if first != second:
        raise InvalidSecret(_("The two passphrases are not the same. Nothing was changed."))
    return first

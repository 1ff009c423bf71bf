"""Errors a person can act on. Each carries a plain message; none carries secrets."""

from __future__ import annotations


class JournalError(Exception):
    """Base for every error the CLI and TUI show as a message, not a traceback."""

    exit_code = 1


class NoJournal(JournalError):
    def __init__(self, path):
        self.path = path
        super().__init__(
            f"There is no journal at {path} yet. Create one with: recoveryjournal init"
        )


class JournalExists(JournalError):
    def __init__(self, path):
        self.path = path
        super().__init__(f"A journal already exists at {path}; it was left untouched.")


class NotAJournal(JournalError):
    def __init__(self, detail: str):
        super().__init__(f"This file is not a recoveryjournal journal, or it is damaged: {detail}.")


class NewerFormat(JournalError):
    def __init__(self, version: int, supported: int):
        self.version = version
        super().__init__(
            f"This journal was written by a newer version of recoveryjournal (format "
            f"{version}; this version reads up to {supported}). Update the app to open it; "
            "nothing was changed."
        )


class WrongSecret(JournalError):
    def __init__(self, slot: str):
        self.slot = slot
        what = "recovery code" if slot == "recovery" else "passphrase"
        super().__init__(f"That {what} does not open this journal. Please try again.")


class DamagedRecord(JournalError):
    def __init__(self, record_id: str):
        self.record_id = record_id
        super().__init__(
            f"Record {record_id} is damaged or was changed outside the app; "
            "it was skipped and everything else opened."
        )


class TamperedJournal(JournalError):
    def __init__(self, detail: str):
        super().__init__(f"The journal was changed outside the app: {detail}.")


class JournalLocked(JournalError):
    def __init__(self):
        super().__init__("The journal is locked. Unlock it first.")


class StorageError(JournalError):
    def __init__(self, detail: str):
        super().__init__(f"Could not save to the journal file: {detail}. Nothing was lost.")


class BackupFailed(StorageError):
    def __init__(self, destination, detail: str):
        self.destination = destination
        JournalError.__init__(
            self,
            f"Could not write the backup to {destination}: {detail}. "
            "Your journal is unchanged; no partial backup was left there.",
        )


class CannotOpenJournal(StorageError):
    """The disk, not the journal, is the problem: full, read-only, removed or failing."""

    def __init__(self, path, detail: str):
        self.path = path
        JournalError.__init__(
            self,
            f"Could not open the journal file {path}: {detail}. "
            "The journal itself was not changed.",
        )

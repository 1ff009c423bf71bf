"""Errors a person can act on. Each carries a plain message; none carries secrets."""

from __future__ import annotations

from ..i18n import _


class JournalError(Exception):
    """Base for every error the CLI and TUI show as a message, not a traceback."""

    exit_code = 1


class NoJournal(JournalError):
    def __init__(self, path):
        self.path = path
        super().__init__(
            _("There is no journal at {path} yet. Create one with: recoveryjournal init"
              ).format(path=path)
        )


class JournalExists(JournalError):
    def __init__(self, path):
        self.path = path
        super().__init__(
            _("A journal already exists at {path}; it was left untouched.").format(path=path))


class NotAJournal(JournalError):
    def __init__(self, detail: str):
        super().__init__(
            _("This file is not a recoveryjournal journal, or it is damaged: {detail}."
              ).format(detail=detail))


class NewerFormat(JournalError):
    def __init__(self, version: int, supported: int):
        self.version = version
        super().__init__(
            _("This journal was written by a newer version of recoveryjournal (format "
              "{version}; this version reads up to {supported}). Update the app to open it; "
              "nothing was changed.").format(version=version, supported=supported)
        )


class WrongSecret(JournalError):
    def __init__(self, slot: str):
        self.slot = slot
        if slot.startswith("recovery"):
            message = _("That recovery code does not open this journal. Please try again.")
        else:
            message = _("That passphrase does not open this journal. Please try again.")
        super().__init__(message)


class RetiredSecret(WrongSecret):
    """The secret opened a key slot from before the key was changed (copied back
    into the file): it no longer opens the journal."""

    def __init__(self, slot: str):
        self.slot = slot
        if not slot.startswith("recovery"):
            message = _("That passphrase was replaced by a newer one and no longer opens "
                        "this journal. Older backups may still open with it.")
        else:
            message = _("That recovery code was replaced by a newer one and no longer opens "
                        "this journal. Older backups may still open with it.")
        JournalError.__init__(self, message)


class DamagedRecord(JournalError):
    def __init__(self, record_id: str):
        self.record_id = record_id
        super().__init__(
            _("Record {id} is damaged or was changed outside the app; "
              "it was skipped and everything else opened.").format(id=record_id)
        )


class TamperedJournal(JournalError):
    def __init__(self, detail: str):
        super().__init__(
            _("The journal was changed outside the app: {detail}.").format(detail=detail))


class MustUnlockAgain(JournalError):
    """What this process unlocked is no longer the journal on disk: it must not
    write with what it holds, and should lock and ask to be unlocked again."""


class KeyChanged(MustUnlockAgain):
    """Another process gave the journal a new key (a new passphrase or recovery
    code) while this one had it open: this process can no longer read or write it."""

    def __init__(self):
        super().__init__(
            _("The passphrase was changed in another window, so this one can no longer "
              "save. Nothing saved was lost. Please unlock again with the new passphrase."))


class JournalReplaced(MustUnlockAgain):
    """The journal file was replaced (a backup restored) while this process had it
    open: its writes would go to the old file, kept aside."""

    def __init__(self):
        super().__init__(
            _("The journal file was replaced in another window (a backup was restored?), "
              "so this one can no longer save. Nothing saved was lost. Please unlock again."))


class JournalLocked(JournalError):
    def __init__(self):
        super().__init__(_("The journal is locked. Unlock it first."))


class StorageError(JournalError):
    def __init__(self, detail: str):
        super().__init__(
            _("Could not save to the journal file: {detail}. Nothing was lost.").format(
                detail=detail))


class BackupFailed(StorageError):
    def __init__(self, destination, detail: str):
        self.destination = destination
        JournalError.__init__(
            self,
            _("Could not write the backup to {destination}: {detail}. "
              "Your journal is unchanged; no partial backup was left there.").format(
                destination=destination, detail=detail),
        )


class CannotOpenJournal(StorageError):
    """The disk, not the journal, is the problem: full, read-only, removed or failing."""

    def __init__(self, path, detail: str):
        self.path = path
        JournalError.__init__(
            self,
            _("Could not open the journal file {path}: {detail}. "
              "The journal itself was not changed.").format(path=path, detail=detail),
        )

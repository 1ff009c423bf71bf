"""Unsaved work waiting in the journal, in words a person recognises.

Every screen that keeps a draft names it by purpose ("entry:new", "entry:<id>",
"exercise:<id>", "checkin", "export:preview"). The dashboard lists them all, so
a draft from an edit or an exercise is as easy to find as a new entry's.
"""

from __future__ import annotations

from ..i18n import _
from ..i18n.formats import format_date
from ..journal import Journal
from ..records import Entry
from ..safetext import one_line


def describe_draft(journal: Journal, purpose: str) -> str:
    """One waiting draft, with the key that leads back to it."""
    kind, _sep, rest = purpose.partition(":")
    if purpose == "entry:new":
        return _("a new entry (w)")
    if kind == "entry":
        entry = journal.get(rest)
        if isinstance(entry, Entry):
            return _("changes to your entry of {day} (j)").format(
                day=format_date(entry.when.astimezone()))
        return _("changes to an entry (j)")
    if kind == "exercise":
        from ..exercises import load_exercises

        exercise = load_exercises().get(rest)
        if exercise is not None:
            return _("the exercise “{title}” (e)").format(title=one_line(exercise.title.get(), 40))
        return _("an exercise (e)")
    if purpose == "checkin":
        return _("a well-being check-in (c)")
    if kind == "export":
        return _("an export you were choosing (x)")
    return _("unsaved work")


def waiting_drafts(journal: Journal) -> list[str]:
    """Every draft waiting, oldest first, described (from the journal's summary
    when it has one: the dashboard must not wait for every record)."""
    return [describe_draft(journal, purpose) for purpose in journal.draft_purposes()]


def drafts_note(journal: Journal) -> str | None:
    """A sentence for the dashboard naming every waiting draft, or None."""
    described = waiting_drafts(journal)
    if not described:
        return None
    return _("You have unsaved work: {list}. It is waiting where you left it.").format(
        list="; ".join(described))

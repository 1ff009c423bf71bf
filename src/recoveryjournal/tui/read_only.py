"""One answer for every action that would write to a read-only journal (a journal
on read-only media, or a read-only file): a calm notice instead of an error later."""

from __future__ import annotations

from ..i18n import _


def refused(node, journal) -> bool:
    """True, after a notice, when `journal` cannot be written; `node` is any widget,
    screen or the app (its app shows the notice)."""
    if journal is None or journal.is_locked or not journal.read_only:
        return False
    app = getattr(node, "app", node)
    app.notify(_("This journal is read-only, so nothing can be written to it. "
                 "You can still read and export it, and open your safety plan (f2)."),
               severity="warning")
    return True

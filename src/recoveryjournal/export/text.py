"""Plain text: for e-mail, a notes app or paper, with nothing to render."""

from __future__ import annotations

from ..i18n import _
from ..safetext import clean
from .files import not_encrypted_notice
from .selection import Document, SharedRecord, paused_gc, when_text


def render(document: Document) -> str:
    """The whole document as plain text, starting with the not-encrypted line."""
    title = document.title
    out: list[str] = [title, "=" * len(title), "", not_encrypted_notice(), ""]
    if document.subtitle:
        out += [document.subtitle, ""]
    if not document.records:
        out += [_("Nothing was chosen."), ""]
    with paused_gc():
        for shared in document.records:
            _render_record(shared, out)
    return clean("\n".join(out).rstrip("\n") + "\n")  # control characters go in one pass


def _render_record(shared: SharedRecord, out: list[str]) -> None:
    heading = shared.heading
    if shared.when is not None:
        heading += f" · {when_text(shared.when)}"
    out += [heading, "-" * len(heading)]
    out += [f"{label}: {value}" for label, value in shared.facts]
    if shared.facts:
        out.append("")
    for label, text in shared.passages:
        if label:
            out.append(f"{label}:")
        out += [text, ""]
    if not shared.facts and not shared.passages:
        out.append("")

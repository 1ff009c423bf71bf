"""The full JSON export: every record, lossless, versioned (docs/EXPORT.md).

Strings are kept exactly as they are in the journal so that importing the
file gives back the same journal; control characters are never written raw
but as JSON \\u escapes, so the file itself is safe to open in any viewer.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Iterable

from .. import __version__, records
from ..records import Record
from .files import not_encrypted_notice

EXPORT_FORMAT = "recoveryjournal-export"
EXPORT_VERSION = 1

# Characters json.dumps(ensure_ascii=False) would leave raw: DEL, C1 controls,
# bidirectional overrides and the two Unicode line separators.
_RAW_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def every_record(journal) -> list[Record]:
    """All records of every kind (settings and drafts too), grouped by kind."""
    chosen: list[Record] = []
    for cls in records.KINDS.values():
        found = journal.records(cls)
        chosen.extend(journal.with_texts(found) if cls.kind == "entry" else found)
    return chosen


def render(chosen: Iterable[Record], excluded: frozenset[str] = frozenset(),
           exported_at: str | None = None) -> str:
    """The export document as JSON text."""
    from .shared_records import paused_gc

    documents = []
    with paused_gc():
        for record in chosen:
            document = records.to_dict(record)
            for name in excluded:
                document.pop(name, None)
            documents.append(document)
    export = {
        "notice": not_encrypted_notice(),
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "record_schema": records.SCHEMA_VERSION,
        "app_version": __version__,
        "exported_at": exported_at or records.now().isoformat(timespec="seconds"),
        "complete": not excluded,
        "counts": dict(Counter(d["kind"] for d in documents)),
        "records": documents,
    }
    text = json.dumps(export, ensure_ascii=False, indent=1)
    return _RAW_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"

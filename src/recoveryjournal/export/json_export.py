"""The full JSON export: every record, lossless, versioned (docs/EXPORT.md).

Strings are kept exactly as they are in the journal so that importing the
file gives back the same journal; control characters are never written raw
but as JSON \\u escapes, so the file itself is safe to open in any viewer.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections import Counter
from datetime import date, datetime
from operator import attrgetter
from typing import Any, Iterable

from .. import __version__, records
from ..records import LabelList, Record
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
    """The export document as JSON text: what json.dumps(indent=1) makes of
    `records.to_dict` of each record, less the `excluded` fields (see dumps_indented
    and _record_texts for how it is made quickly)."""
    from .shared_records import paused_gc

    with paused_gc():
        if excluded & _ALWAYS_WRITTEN:  # not a field a person can leave out: the plain way
            texts, counts = _plain_record_texts(chosen, excluded)
        else:
            texts, counts = _record_texts(chosen, excluded)
        export = {
            "notice": not_encrypted_notice(),
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "record_schema": records.SCHEMA_VERSION,
            "app_version": __version__,
            "exported_at": exported_at or records.now().isoformat(timespec="seconds"),
            "complete": not excluded,
            "counts": counts,
        }
        # The head as dumps_indented writes it, its closing brace replaced by the
        # records (the last key), each already written as it would be there.
        listed = "[\n  " + ",\n  ".join(texts) + "\n ]" if texts else "[]"
        text = dumps_indented(export)[:-2] + ',\n "records": ' + listed + "\n}"
        del texts
    return _RAW_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


_ALWAYS_WRITTEN = frozenset({"id", "kind", "created", "updated"})


def _plain_record_texts(chosen: Iterable[Record],
                        excluded: frozenset[str]) -> tuple[list[str], dict[str, int]]:
    """Each record through records.to_dict, less `excluded`, and the count per kind."""
    documents = []
    for record in chosen:
        document = records.to_dict(record)
        for name in excluded:
            document.pop(name, None)
        documents.append(document)
    return ([_document_text(d) for d in documents],
            dict(Counter(d["kind"] for d in documents)))


# Values whose JSON round trip (records.to_dict) gives them back unchanged.
_AS_THEY_ARE = frozenset({str, int, bool, type(None)})


def _record_texts(chosen: Iterable[Record],
                  excluded: frozenset[str]) -> tuple[list[str], dict[str, int]]:
    """Each record as _document_text writes records.to_dict(record) less the
    `excluded` fields, and the count of each kind, in one pass and several times
    faster (a ten-year export spent 3 s here): each field is written straight
    from the record, its key's text made once per kind. A value that the JSON
    round trip of to_dict would change (a nested answer, a number that is not
    finite, a tuple) sends its record through to_dict itself."""
    texts: list[str] = []
    counts: dict[str, int] = {}
    plans: dict[type, tuple] = {}
    encode = _encode_string
    for record in chosen:
        cls = record.__class__
        plan = plans.get(cls)
        if plan is None:
            names = tuple(f.name for f in dataclasses.fields(cls)
                          if f.name not in _ALWAYS_WRITTEN and f.name not in excluded)
            plan = plans[cls] = (
                attrgetter(*names) if len(names) > 1 else (lambda r, n=names: tuple(
                    getattr(r, name) for name in n)),
                tuple(f",\n   {_key_text(name)}: " for name in names),
                ',\n   "kind": ' + encode(cls.kind) + ',\n   "created": "')
        values, keys, after_id = plan
        created = record.created.isoformat()
        updated = created if record.updated is record.created else record.updated.isoformat()
        parts = ['{\n   "id": ', encode(record.id), after_id, created,
                 '",\n   "updated": "', updated, '"']
        fields = values(record) if keys else ()
        for key, value in zip(keys, fields):
            kind = value.__class__
            if kind is str:
                parts += (key, encode(value))
            elif kind is datetime or kind is date:
                parts += (key, '"', value.isoformat(), '"')
            elif value is None:
                parts += (key, "null")
            elif kind is int or kind is bool:
                parts += (key, _scalar_text(value))
            elif (kind is list or kind is LabelList) and all(
                    item.__class__ in _AS_THEY_ARE for item in value):
                parts.append(key)
                _write(value, "\n   ", parts)
            elif kind is float and math.isfinite(value):
                parts += (key, float.__repr__(value))
            else:  # exactly as the round trip through JSON makes it
                document = records.to_dict(record)
                for name in excluded:
                    document.pop(name, None)
                parts = [_document_text(document)]
                break
        else:
            parts.append("\n  }")
        texts.append("".join(parts))
        counts[record.kind] = counts.get(record.kind, 0) + 1
    return texts, counts


def _document_text(document: dict[str, Any]) -> str:
    """One record's dict as dumps_indented writes it inside the list of records."""
    out: list[str] = []
    _write(document, "\n  ", out)
    return "".join(out)


# The string encoder json.dumps(ensure_ascii=False) uses (in C where it can).
_encode_string = json.encoder.encode_basestring
_FLOAT_WORDS = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def dumps_indented(value) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=1)`, several times faster.

    json.dumps gives up its C encoder whenever it indents, and a ten-year export
    spent most of its time there (4-5 s of 76,500 records). The layout is the
    same character for character: strings go through json's own encoder, numbers
    through repr as json does; tests/test_export_json.py compares the two on
    every kind of value."""
    out: list[str] = []
    _write(value, "\n", out)
    return "".join(out)


def _write(value, newline: str, out: list[str]) -> None:
    """Append `value` as indented JSON; `newline` is a newline and the indent of
    the line `value` starts on."""
    kind = value.__class__
    if kind is str:
        out.append(_encode_string(value))
    elif kind is dict or isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + " "
        separator = "{" + inner
        for key, item in value.items():
            out.append(separator)
            out.append(_key_text(key))
            out.append(": ")
            _write(item, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    elif kind is list or kind is tuple or isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + " "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _write(item, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    else:
        out.append(_scalar_text(value))


def _scalar_text(value) -> str:
    """A number, true, false or null as json.dumps writes it."""
    if isinstance(value, str):
        return _encode_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        text = float.__repr__(value)
        return _FLOAT_WORDS.get(text, text)
    return json.dumps(value, ensure_ascii=False)  # anything else: json's own word (or error)


def _key_text(key) -> str:
    """A dict key as json.dumps writes it (keys that are not text become text)."""
    if isinstance(key, str):
        return _encode_string(key)
    if isinstance(key, (int, float)) or key is None:
        return _encode_string(_scalar_text(key))
    return json.dumps({key: 0})[1:-4]  # json's own rule, or its TypeError

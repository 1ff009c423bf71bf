"""Read and write gettext `.po` / `.pot` files, in plain Python.

Translators edit `.po` files with the tools they know (Poedit, Lokalize, Weblate);
`extract.py` writes them and `compile.py` turns them into the `.mo` files the
runtime loads. This module is the one place that knows the file syntax, so the
extractor, the compiler and the tests all read a catalog the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# Placeholders translators must carry over: `{name}` / `{0}` / `{name:>3}` (str.format)
# and `%(name)s` (argparse's help uses the old style). A bare "%" is text: "45 % den".
_BRACE = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*|\d*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
_PERCENT = re.compile(r"%\(([A-Za-z_][A-Za-z0-9_]*)\)[-#0+]*\d*(?:\.\d+)?[sdifrxXeEgGc]")


def placeholders(text: str) -> list[str]:
    """The placeholders in a message, sorted: a translation must have the same ones.

    >>> placeholders("{n} urges since {day:%d}, %(prog)s and 45 %")
    ['%(prog)s', '{day:%d}', '{n}']
    """
    # the whole placeholder counts: "{s:02d}" written as "{s}" would print "1:5"
    found = [match.group(0) for match in _BRACE.finditer(text)]
    found += [match.group(0) for match in _PERCENT.finditer(text)]
    return sorted(found)


@dataclass
class Message:
    """One catalog entry: a source string and its translation(s)."""

    msgid: str
    msgstr: str = ""
    msgid_plural: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    msgctxt: str | None = None
    references: list[str] = field(default_factory=list)  # "path:line"
    extracted_comments: list[str] = field(default_factory=list)  # "#." notes for translators
    translator_comments: list[str] = field(default_factory=list)  # "# " the translator's own
    flags: list[str] = field(default_factory=list)  # "fuzzy", "python-brace-format"
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    def translations(self) -> list[str]:
        """Every translated form (one, or one per plural form)."""
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]

    def is_translated(self) -> bool:
        forms = self.translations()
        return bool(forms) and all(forms) and not self.fuzzy


@dataclass
class Catalog:
    """A whole `.po` file: the header entry's fields and the messages, in file order."""

    header: dict[str, str] = field(default_factory=dict)
    header_comments: list[str] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)

    def by_key(self) -> dict[tuple[str | None, str], Message]:
        return {m.key: m for m in self.messages if not m.obsolete}

    def live(self) -> list[Message]:
        return [m for m in self.messages if not m.obsolete]


# ---- reading ------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}


def _unquote(token: str, where: str) -> str:
    token = token.strip()
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise ValueError(f"{where}: expected a quoted string, found {token!r}")
    body, out, i = token[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            raise ValueError(f"{where}: unknown escape \\{nxt}")
        out.append(char)
        i += 1
    return "".join(out)


def parse(text: str, name: str = "<po>") -> Catalog:
    """Parse the text of a `.po` file. Errors name the file and the line."""
    catalog = Catalog()
    pending = Message(msgid="")
    seen_keyword = False
    current: tuple[str, int | None] | None = None  # which field continuation lines extend
    values: dict[tuple[str, int | None], str] = {}

    def finish() -> None:
        nonlocal pending, seen_keyword, values, current
        if seen_keyword:
            if ("msgid", None) not in values:
                raise ValueError(f"{name}: an entry without msgid near line {lineno}")
            pending.msgid = values[("msgid", None)]
            pending.msgctxt = values.get(("msgctxt", None))
            pending.msgid_plural = values.get(("msgid_plural", None))
            if pending.msgid_plural is None:
                pending.msgstr = values.get(("msgstr", None), "")
            else:
                pending.msgstr_plural = {
                    index: value for (key, index), value in values.items() if key == "msgstr"
                }
            if pending.msgid == "" and pending.msgctxt is None and not pending.obsolete:
                catalog.header = _parse_header(pending.msgstr)
                catalog.header_comments = pending.translator_comments
            else:
                catalog.messages.append(pending)
        pending, seen_keyword, values, current = Message(msgid=""), False, {}, None

    keyword = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(.*)$")
    lineno = 0
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        where = f"{name}:{lineno}"
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if not line:
                continue
        if not line:
            if seen_keyword:
                finish()
            continue
        if line.startswith("#") and not obsolete:
            if seen_keyword:
                finish()
            if line.startswith("#:"):
                pending.references.extend(line[2:].split())
            elif line.startswith("#."):
                pending.extracted_comments.append(line[2:].strip())
            elif line.startswith("#,"):
                pending.flags.extend(f.strip() for f in line[2:].split(",") if f.strip())
            elif line.startswith("#|"):
                pass  # previous msgid of a fuzzy entry: not needed
            else:
                pending.translator_comments.append(line[1:].strip())
            continue
        match = keyword.match(line)
        if match:
            field_name, index, rest = match.group(1), match.group(2), match.group(3)
            if field_name in ("msgctxt", "msgid") and ("msgid", None) in values:
                finish()  # a new entry starts without a blank line between
            seen_keyword = True
            pending.obsolete = pending.obsolete or obsolete
            current = (field_name, int(index) if index is not None else None)
            if current in values:
                raise ValueError(f"{where}: {field_name} given twice in one entry")
            values[current] = _unquote(rest, where)
            continue
        if line.startswith('"') and current is not None:
            values[current] += _unquote(line, where)
            continue
        raise ValueError(f"{where}: cannot read {raw!r}")
    if seen_keyword:
        finish()
    return catalog


def _parse_header(text: str) -> dict[str, str]:
    header = {}
    for line in text.splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            header[key.strip()] = value.strip()
    return header


def read(path: Path) -> Catalog:
    return parse(path.read_text(encoding="utf-8"), str(path))


# ---- writing ------------------------------------------------------------------------


def _quote(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
        .replace("\r", "\\r").replace("\n", "\\n")
    )


def _chunks(text: str, width: int) -> list[str]:
    """Split a message after newlines and between words, as xgettext does, so long
    messages stay readable in a plain editor and diffs stay small."""
    pieces: list[str] = []
    for part in re.split(r"(?<=\n)", text):
        if not part:
            continue
        line = ""
        for word in re.split(r"(?<= )", part):
            if line and len(_quote(line + word)) > width:
                pieces.append(line)
                line = word
            else:
                line += word
        if line:
            pieces.append(line)
    return pieces


def _field(keyword: str, text: str, prefix: str = "") -> list[str]:
    width = 76 - len(prefix)
    if len(_quote(text)) + len(keyword) + 3 <= width and "\n" not in text.rstrip("\n"):
        return [f'{prefix}{keyword} "{_quote(text)}"']
    lines = [f'{prefix}{keyword} ""']
    lines.extend(f'{prefix}"{_quote(chunk)}"' for chunk in _chunks(text, width - 2))
    return lines


HEADER_ORDER = (
    "Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
    "Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Type",
    "Content-Transfer-Encoding", "Plural-Forms",
)


def header_text(header: dict[str, str]) -> str:
    keys = [k for k in HEADER_ORDER if k in header] + [k for k in header if k not in HEADER_ORDER]
    return "".join(f"{key}: {header[key]}\n" for key in keys)


def format_message(message: Message) -> list[str]:
    prefix = "#~ " if message.obsolete else ""
    lines = [f"# {c}".rstrip() for c in message.translator_comments]
    if not message.obsolete:
        lines += [f"#. {c}".rstrip() for c in message.extracted_comments]
        if message.references:
            reference_line = "#:"
            for reference in message.references:
                if len(reference_line) + 1 + len(reference) > 79 and reference_line != "#:":
                    lines.append(reference_line)
                    reference_line = "#:"
                reference_line += " " + reference
            lines.append(reference_line)
    if message.flags:
        lines.append("#, " + ", ".join(message.flags))
    if message.msgctxt is not None:
        lines += _field("msgctxt", message.msgctxt, prefix)
    lines += _field("msgid", message.msgid, prefix)
    if message.msgid_plural is None:
        lines += _field("msgstr", message.msgstr, prefix)
    else:
        lines += _field("msgid_plural", message.msgid_plural, prefix)
        for index in sorted(message.msgstr_plural) or [0, 1]:
            lines += _field(f"msgstr[{index}]", message.msgstr_plural.get(index, ""), prefix)
    return lines


def dumps(catalog: Catalog) -> str:
    """The `.po` text of a catalog: header first, live messages, then obsolete ones."""
    lines = [f"# {c}".rstrip() for c in catalog.header_comments]
    lines += ['msgid ""', 'msgstr ""']
    lines += [f'"{_quote(line)}"' for line in _chunks(header_text(catalog.header), 10_000)]
    ordered = catalog.live() + [m for m in catalog.messages if m.obsolete]
    for message in ordered:
        lines.append("")
        lines += format_message(message)
    return "\n".join(lines) + "\n"


def write(path: Path, catalog: Catalog) -> bool:
    """Write a catalog; returns False (and leaves the file alone) when nothing changed."""
    text = dumps(catalog)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True

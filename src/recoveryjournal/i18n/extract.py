"""Find every translatable string in the source and update the catalogs.

    python -m recoveryjournal.i18n.extract          # write .pot, merge into each .po
    python -m recoveryjournal.i18n.extract --check  # exit 1 if a catalog is out of date

Pure Python (ast), so no gettext tools are needed. It finds calls with literal
strings to `_("...")`, `N_("...")` (marks a string for later translation),
`ngettext("one", "many", n)`, `pgettext("context", "...")` and
`npgettext("context", "one", "many", n)`. A comment starting with `Translators:` on
the lines just above a call (or on its line) goes into the catalog as a note.

Merging keeps every existing translation; a message that left the source stays at
the end of the `.po` as an obsolete `#~` entry, so a reworded string can reuse the
old translation and nothing a translator wrote is thrown away.
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

from . import po

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/recoveryjournal
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "recoveryjournal"
POT_PATH = LOCALE_DIR / f"{DOMAIN}.pot"
CATALOG_LANGUAGES = ("sv", "da", "nb")  # English is the source language: no catalog

# name -> (argument positions: context, singular, plural)
KEYWORDS = {
    "_": (None, 0, None),
    "N_": (None, 0, None),
    "gettext": (None, 0, None),
    "ngettext": (None, 0, 1),
    "pgettext": (0, 1, None),
    "npgettext": (0, 1, 2),
}

LANGUAGE_HEADERS = {
    "sv": ("Swedish", "Svenska"),
    "da": ("Danish", "Dansk"),
    "nb": ("Norwegian Bokmål", "Norsk bokmål"),
}
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"  # the same rule for sv, da, nb and en


@dataclass
class Found:
    """One translatable string at one place in the source."""

    msgid: str
    msgid_plural: str | None
    msgctxt: str | None
    path: str
    line: int
    comment: str | None


@dataclass
class Dynamic:
    """A call to `_()` whose argument is not a literal: the extractor cannot see it."""

    path: str
    line: int
    source: str


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    func = node.func
    if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            and func.value.id == "i18n" and func.attr in KEYWORDS):
        return func.attr  # i18n.ngettext(...)
    return None


def _comments(source: str) -> dict[int, str]:
    """Comment text by line number."""
    found = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                found[token.start[0]] = token.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError):
        pass
    return found


def _translator_note(comments: dict[int, str], line: int) -> str | None:
    if comments.get(line, "").startswith("Translators:"):
        return comments[line]
    block, above = [], line - 1
    while above in comments:
        block.insert(0, comments[above])
        above -= 1
    for index, text in enumerate(block):
        if text.startswith("Translators:"):
            return " ".join(block[index:])
    return None


def scan_file(path: Path, relative_to: Path) -> tuple[list[Found], list[Dynamic]]:
    """Every translatable literal in one Python file, and every call we cannot read."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    comments = _comments(source)
    name = path.relative_to(relative_to).as_posix()
    found, dynamic = [], []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        keyword = _call_name(node)
        if keyword not in KEYWORDS:
            continue
        context_at, singular_at, plural_at = KEYWORDS[keyword]
        needed = max(p for p in (context_at, singular_at, plural_at) if p is not None)
        if len(node.args) <= needed:
            continue  # not our function (e.g. a `_` with another meaning)
        strings = [
            _literal(node.args[p]) if p is not None else None
            for p in (context_at, singular_at, plural_at)
        ]
        wanted = [p is not None for p in (context_at, singular_at, plural_at)]
        if any(w and s is None for w, s in zip(wanted, strings)):
            dynamic.append(Dynamic(name, node.lineno, ast.get_source_segment(source, node) or ""))
            continue
        context, singular, plural = strings
        if not singular:
            continue
        found.append(Found(singular, plural, context, name, node.lineno,
                           _translator_note(comments, node.lineno)))
    found.sort(key=lambda f: f.line)
    dynamic.sort(key=lambda d: d.line)
    return found, dynamic


def source_files(package: Path = PACKAGE_DIR) -> list[Path]:
    # the machinery in i18n/ forwards messages; labels.py and argparse_messages.py
    # have messages of their own
    machinery = {"__init__.py", "po.py", "extract.py", "compile.py", "formats.py"}
    return sorted(
        path for path in package.rglob("*.py")
        if "__pycache__" not in path.parts
        and not (path.parent.name == "i18n" and path.name in machinery)
    )


def scan(package: Path = PACKAGE_DIR) -> tuple[list[Found], list[Dynamic]]:
    """Every translatable string in the package, in file and line order."""
    found, dynamic = [], []
    for path in source_files(package):
        more, unreadable = scan_file(path, package.parent)
        found += more
        dynamic += unreadable
    return found, dynamic


def template(found: list[Found]) -> po.Catalog:
    """The `.pot`: one message per distinct (context, msgid), all places it is used."""
    catalog = po.Catalog(
        header={
            "Project-Id-Version": "recoveryjournal",
            "Report-Msgid-Bugs-To": "",
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": PLURAL_FORMS,
        },
        header_comments=[
            "Translatable messages of recoveryjournal.",
            "Generated by `python -m recoveryjournal.i18n.extract`; do not edit by hand.",
        ],
    )
    by_key: dict[tuple[str | None, str], po.Message] = {}
    for item in found:
        key = (item.msgctxt, item.msgid)
        message = by_key.get(key)
        if message is None:
            message = po.Message(msgid=item.msgid, msgid_plural=item.msgid_plural,
                                 msgctxt=item.msgctxt)
            if po.placeholders(item.msgid) and "{" in item.msgid:
                message.flags.append("python-brace-format")
            by_key[key] = message
            catalog.messages.append(message)
        elif item.msgid_plural and not message.msgid_plural:
            message.msgid_plural = item.msgid_plural
        reference = item.path  # no line numbers: moving code must not change the catalogs
        if reference not in message.references:
            message.references.append(reference)
        if item.comment and item.comment not in message.extracted_comments:
            message.extracted_comments.append(item.comment)
    return catalog


def merge(template_catalog: po.Catalog, existing: po.Catalog | None, language: str,
          keep_obsolete: bool = True) -> po.Catalog:
    """A language's catalog for the current source, keeping every translation made."""
    english, native = LANGUAGE_HEADERS[language]
    header = {
        "Project-Id-Version": "recoveryjournal",
        "Report-Msgid-Bugs-To": "",
        "PO-Revision-Date": "2026-11-25 10:00+0000",
        "Last-Translator": "",
        "Language-Team": f"{english} ({native})",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS,
    }
    comments = [f"{english} translation of recoveryjournal."]
    old: dict[tuple[str | None, str], po.Message] = {}
    if existing is not None:
        for key in ("PO-Revision-Date", "Last-Translator", "Language-Team"):
            if existing.header.get(key):
                header[key] = existing.header[key]
        comments = existing.header_comments or comments
        for message in existing.messages:  # live and obsolete alike
            old.setdefault(message.key, message)
    merged = po.Catalog(header=header, header_comments=comments)
    used = set()
    for source in template_catalog.messages:
        message = po.Message(
            msgid=source.msgid, msgid_plural=source.msgid_plural, msgctxt=source.msgctxt,
            references=list(source.references),
            extracted_comments=list(source.extracted_comments),
            flags=list(source.flags),
        )
        previous = old.get(source.key)
        if previous is not None:
            used.add(source.key)
            message.translator_comments = list(previous.translator_comments)
            if "fuzzy" in previous.flags:
                message.flags.append("fuzzy")
            if source.msgid_plural is None:
                message.msgstr = previous.msgstr or (
                    previous.msgstr_plural.get(0, "") if previous.msgid_plural else ""
                )
            elif previous.msgid_plural is not None:
                message.msgstr_plural = dict(previous.msgstr_plural)
            else:
                message.msgstr_plural = {0: previous.msgstr, 1: ""}
        if source.msgid_plural is not None and not message.msgstr_plural:
            message.msgstr_plural = {0: "", 1: ""}
        merged.messages.append(message)
    for key, previous in old.items():
        if keep_obsolete and key not in used and previous.is_translated():
            previous.obsolete = True
            previous.references = []
            previous.extracted_comments = []
            merged.messages.append(previous)
    return merged


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def update(locale_dir: Path = LOCALE_DIR, package: Path = PACKAGE_DIR,
           write: bool = True, keep_obsolete: bool = True) -> tuple[list[Path], list[Dynamic]]:
    """Rewrite the `.pot` and merge it into every `.po`; returns the files that
    changed (or would change, with write=False) and the calls it could not read."""
    found, dynamic = scan(package)
    pot = template(found)
    changed = []
    targets = [(locale_dir / f"{DOMAIN}.pot", pot)]
    for language in CATALOG_LANGUAGES:
        path = po_path(language, locale_dir)
        existing = po.read(path) if path.exists() else None
        targets.append((path, merge(pot, existing, language, keep_obsolete)))
    for path, catalog in targets:
        text = po.dumps(catalog)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            changed.append(path)
            if write:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    return changed, dynamic


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 when a catalog is out of date")
    parser.add_argument("--drop-obsolete", action="store_true",
                        help="forget translations of messages that left the source")
    parser.add_argument("--dynamic", action="store_true",
                        help="list calls whose text the extractor cannot read")
    args = parser.parse_args(argv)
    changed, dynamic = update(write=not args.check, keep_obsolete=not args.drop_obsolete)
    for path in changed:
        print(("out of date: " if args.check else "updated: ") + str(path))
    if args.dynamic:
        for call in dynamic:
            print(f"{call.path}:{call.line}: {call.source}", file=sys.stderr)
    for language in CATALOG_LANGUAGES:
        catalog = po.read(po_path(language))
        live = catalog.live()
        done = sum(1 for m in live if m.is_translated())
        print(f"{language}: {done}/{len(live)} translated")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())

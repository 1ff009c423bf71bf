"""Compile `.po` catalogs into the `.mo` files `gettext` loads at run time.

    python -m recoveryjournal.i18n.compile          # write every .mo beside its .po
    python -m recoveryjournal.i18n.compile --check  # exit 1 if a .mo is out of date

Python's standard library reads `.mo` files but ships no `msgfmt`, so this is a
small one. Like GNU msgfmt it leaves out fuzzy and untranslated messages (the
English source then shows, never an empty string). The output depends only on
the `.po`, byte for byte, so a test can check that the committed `.mo` files
match their sources.
"""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

from . import po
from .extract import CATALOG_LANGUAGES, LOCALE_DIR, PLURAL_FORMS, po_path

MAGIC = 0x950412DE


def problems(catalog: po.Catalog, name: str = "") -> list[str]:
    """What would make a translation wrong at run time: placeholders that differ
    from the source (a `{n}` lost or renamed raises KeyError in `.format`), or a
    message that begins or ends with a newline when its source does not."""
    found = []
    for message in catalog.live():
        if not message.is_translated():
            continue
        sources = [message.msgid] if message.msgid_plural is None else [message.msgid, message.msgid_plural]
        allowed = {p for source in sources for p in po.placeholders(source)}
        for index, text in enumerate(message.translations()):
            have = set(po.placeholders(text))
            # form 0 is "n == 1" in all our languages, like the English singular;
            # every later form follows the English plural
            missing = set(po.placeholders(sources[min(index, len(sources) - 1)])) - have
            extra = have - allowed
            if missing or extra:
                found.append(
                    f"{name}: {message.msgid!r}: placeholders differ "
                    f"(missing {sorted(missing)}, unexpected {sorted(extra)})"
                )
            for edge, test in (("starts", str.startswith), ("ends", str.endswith)):
                if test(message.msgid, "\n") != test(text, "\n"):
                    found.append(f"{name}: {message.msgid!r}: translation {edge} differently with a newline")
    return found


def mo_bytes(catalog: po.Catalog) -> bytes:
    """The GNU `.mo` file for a catalog (no hash table: gettext does not need one)."""
    header = dict(catalog.header)
    # we always write UTF-8; without the charset gettext would decode as ASCII
    header["Content-Type"] = "text/plain; charset=UTF-8"
    header.setdefault("Plural-Forms", PLURAL_FORMS)
    entries: dict[bytes, bytes] = {b"": po.header_text(header).encode("utf-8")}
    for message in catalog.live():
        if not message.is_translated():
            continue
        key = message.msgid
        if message.msgid_plural is not None:
            key += "\0" + message.msgid_plural
        if message.msgctxt is not None:
            key = message.msgctxt + "\x04" + key
        entries[key.encode("utf-8")] = "\0".join(message.translations()).encode("utf-8")
    keys = sorted(entries)
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    originals, translations, data = [], [], bytearray()
    for key in keys:
        originals.append((len(key), data_at + len(data)))
        data += key + b"\0"
    for key in keys:
        value = entries[key]
        translations.append((len(value), data_at + len(data)))
        data += value + b"\0"
    header = struct.pack("<7I", MAGIC, 0, count, originals_at, translations_at, 0, data_at)
    tables = b"".join(struct.pack("<2I", *pair) for pair in originals + translations)
    return header + tables + bytes(data)


def mo_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return po_path(language, locale_dir).with_suffix(".mo")


def compile_all(locale_dir: Path = LOCALE_DIR, write: bool = True) -> tuple[list[Path], list[str]]:
    """Compile every language; returns the `.mo` files that changed (or would) and
    the problems found. A catalog with problems is not written at all, so a broken
    translation never ships."""
    changed, found = [], []
    for language in CATALOG_LANGUAGES:
        source = po_path(language, locale_dir)
        if not source.exists():
            continue
        catalog = po.read(source)
        trouble = problems(catalog, str(source))
        found += trouble
        if trouble:
            continue
        target = mo_path(language, locale_dir)
        compiled = mo_bytes(catalog)
        if not target.exists() or target.read_bytes() != compiled:
            changed.append(target)
            if write:
                target.write_bytes(compiled)
    return changed, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 when a .mo is out of date")
    args = parser.parse_args(argv)
    changed, found = compile_all(write=not args.check)
    for line in found:
        print(line, file=sys.stderr)
    for path in changed:
        print(("out of date: " if args.check else "compiled: ") + str(path))
    return 1 if found or (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())

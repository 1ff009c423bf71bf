"""The layers of docs/ARCHITECTURE.md, checked by reading every import (each file read
once, only its import statements parsed: tens of milliseconds for the whole tree).

Imports point down only:

    cli → tui → export, crash → charts, insights, demo
      → exercises, crisis_lines, health_notes, who5, come_back
      → journal, record_index, word_index, summary → records, passphrase_rules → vault
    and everything may use i18n and safetext, which use nothing of ours.

Imports inside functions count too: a lazy import is still a dependency. Only
vault/ imports cryptography; only tui/ imports textual or rich.
"""

from __future__ import annotations

import ast
import bisect
import re
from pathlib import Path

import pytest

import recoveryjournal

ROOT = Path(recoveryjournal.__file__).parent

# Higher imports lower (or its own layer); never the other way.
RANKS = {
    "cli": 9, "__main__": 9,
    "tui": 8,
    "export": 7, "crash": 7,
    "charts": 6, "insights": 6, "demo": 6,
    "exercises": 5, "crisis_lines": 5, "health_notes": 5, "who5": 5,
    "come_back": 5,
    "journal": 4, "record_index": 4, "word_index": 4, "record_columns": 4, "summary": 4,
    "records": 3, "passphrase_rules": 3,
    "vault": 2,
    "i18n": 1, "safetext": 1, "__init__": 1,
}


def layer_of(module: str) -> str:
    """`recoveryjournal.tui.screens.editor` -> "tui"."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


# Each file is parsed once for all the checks (keyed by ROOT too: one test swaps it).
_IMPORTS: dict[tuple[Path, Path], list[tuple[int, str]]] = {}


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, relative ones resolved."""
    key = (path, ROOT)
    if key not in _IMPORTS:
        _IMPORTS[key] = _read_imports(path)
    return _IMPORTS[key]


# Parsing every whole file costs half a second; only the import statements need the
# parser. Each line that holds the word "import" outside a docstring, a string or a
# comment must start an import statement, which is parsed on its own (its parentheses
# followed to the closing one). Any other "import" (after a colon or a semicolon, say)
# fails the check rather than slipping past it.
_TRIPLE_QUOTED = re.compile(r'''"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'''')
_STRING_OR_COMMENT = re.compile(r'''"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|#.*''')
_STATEMENT = re.compile(r"[ \t]*(?:import[ \t]|from[ \t]+[\w.]+[ \t]+import\b)")
_WORD = re.compile(r"\bimport\b")


def _outside(line: str, here: int, spans: list[tuple[int, int]], starts: list[int]) -> str:
    """The part of the line (starting at offset `here`) outside the triple-quoted spans."""
    kept, at, end = [], here, here + len(line)
    index = max(bisect.bisect_right(starts, here) - 1, 0)
    while index < len(spans) and spans[index][0] < end:
        start, stop = spans[index]
        if stop > at:
            kept.append(line[at - here:max(start, at) - here])
            at = min(max(stop, at), end)
        index += 1
    kept.append(line[at - here:])
    return "".join(kept)


def _import_nodes(path: Path) -> list[ast.stmt]:
    text = path.read_text(encoding="utf-8")
    docstrings = [m.span() for m in _TRIPLE_QUOTED.finditer(text)]
    docstring_starts = [start for start, _ in docstrings]
    lines = text.split("\n")
    nodes, stray, offset, index = [], [], 0, 0
    while index < len(lines):
        line, here = lines[index], offset
        offset += len(line) + 1
        index += 1
        if "import" not in line:
            continue
        code = _STRING_OR_COMMENT.sub("", _outside(line, here, docstrings, docstring_starts))
        if not _WORD.search(code):
            continue
        if not _STATEMENT.match(code):
            stray.append(index)
            continue
        number = index
        while "(" in code and ")" not in code and index < len(lines):
            code += _STRING_OR_COMMENT.sub("", lines[index])
            offset += len(lines[index]) + 1
            index += 1
        [node] = ast.parse(code.strip()).body
        node.lineno = number
        nodes.append(node)
    assert not stray, f"{path}: imports the quick reader cannot read, lines {stray}"
    return nodes


def _read_imports(path: Path) -> list[tuple[int, str]]:
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in _import_nodes(path):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:  # from . import x: x is a module of the package
                    found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
                    continue
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def sources() -> list[Path]:
    return sorted(ROOT.rglob("*.py"))


def test_every_module_has_a_layer():
    unknown = {layer_of(module_name(p)) for p in sources()} - set(RANKS)
    assert not unknown, f"give these a place in RANKS and docs/ARCHITECTURE.md: {unknown}"


def test_imports_point_down_only():
    wrong = []
    for path in sources():
        here = layer_of(module_name(path))
        for line, name in imports_of(path):
            if not name.startswith("recoveryjournal"):
                continue
            there = layer_of(name)
            if RANKS.get(there, 0) > RANKS[here]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} ({here}) imports {name} ({there})")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("package, allowed", [
    ("cryptography", {"vault"}),
    ("textual", {"tui"}),
    ("rich", {"tui"}),
])
def test_only_one_layer_imports(package, allowed):
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in sources()
        for line, name in imports_of(path)
        if (name == package or name.startswith(package + "."))
        and layer_of(module_name(path)) not in allowed
    ]
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_a_wrong_import(tmp_path):
    """The check itself can fail: an upward import, hidden inside a function."""
    bad = tmp_path / "recoveryjournal" / "journal.py"
    bad.parent.mkdir()
    bad.write_text("def later():\n    from .tui import app\n")
    global ROOT
    saved, ROOT = ROOT, tmp_path / "recoveryjournal"
    try:
        [(line, name)] = imports_of(bad)
        here = layer_of(module_name(bad))
    finally:
        ROOT = saved
    assert (line, name, here) == (2, "recoveryjournal.tui", "journal")
    assert RANKS[layer_of(name)] > RANKS[here]


def test_the_quick_reader_reads_what_the_parser_reads(tmp_path):
    """Words in strings and comments are not imports; an import it cannot read (after a
    colon) fails loudly instead of slipping past the check."""
    module = tmp_path / "recoveryjournal" / "journal.py"
    module.parent.mkdir()
    module.write_text(
        '"""Docstring:\nimport textual\nfrom rich import text\n"""\n'
        "import os  # import sys\n"
        "from .records import (\n    Use,  # import it\n    Urge,\n)\n"
        "HELP = 'from rich import text'\n"
        "def later():\n    from . import vault\n")
    global ROOT
    saved, ROOT = ROOT, tmp_path / "recoveryjournal"
    try:
        found = _read_imports(module)
        module.write_text("if True: import textual\n")
        with pytest.raises(AssertionError, match="cannot read, lines \\[1\\]"):
            _read_imports(module)
    finally:
        ROOT = saved
    assert found == [(5, "os"), (6, "recoveryjournal.records"), (12, "recoveryjournal.vault")]


def test_the_architecture_document_lists_every_layer():
    """docs/ARCHITECTURE.md's layer list names every module and package ranked here."""
    document = (ROOT.parents[1] / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    block = document.split("## Layers", 1)[1].split("```")[1]
    named = set(re.findall(r"\b(\w+)(?:\.py|/)", block))
    assert set(RANKS) - {"__init__"} <= named, set(RANKS) - {"__init__"} - named

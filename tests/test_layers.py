"""The layers of docs/ARCHITECTURE.md, checked by reading every import (each file parsed
once: under a second for the whole tree).

Imports point down only:

    cli → tui → export, crash → charts, insights, demo
      → exercises, crisis_lines, health_notes, who5, come_back
      → journal, record_index, summary → records, passphrase_rules → vault
    and everything may use i18n and safetext, which use nothing of ours.

Imports inside functions count too: a lazy import is still a dependency. Only
vault/ imports cryptography; only tui/ imports textual or rich.
"""

from __future__ import annotations

import ast
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
    "journal": 4, "record_index": 4, "summary": 4,
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


def _read_imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
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

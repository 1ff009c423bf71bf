"""Every string a person sees goes through `_()`, and is translated when it is shown,
not when a module is imported (the language is only known after unlock).

These read the source with `ast`; a finding names the file and line.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import i18n as tool  # tools/i18n.py, the developers' catalog command
import pytest

PACKAGE = tool.PACKAGE_DIR
GETTEXT = {"_", "ngettext", "pgettext", "npgettext", "gettext"}
SOURCES = [p for p in tool.source_files() if "vault" not in p.relative_to(PACKAGE).parts]


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def _calls_at_import_time(tree: ast.Module):
    """Calls evaluated when the module is imported: module and class bodies,
    decorators and default arguments, but not function bodies."""

    def visit(node, top: bool):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for default in node.args.defaults + [d for d in node.args.kw_defaults if d]:
                yield from visit(default, True)
            for decorator in getattr(node, "decorator_list", []):
                yield from visit(decorator, True)
            return  # the body runs later
        if top and isinstance(node, ast.Call):
            yield node
        for child in ast.iter_child_nodes(node):
            yield from visit(child, top)

    yield from visit(tree, True)


def test_nothing_is_translated_at_import_time():
    """`_()` in a class body (BINDINGS) or a module constant runs once, at import,
    in whatever language was set then: switching language later would not reach it.
    Mark such strings with `N_()` and call `_()` where they are shown."""
    found = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _calls_at_import_time(tree):
            if isinstance(call.func, ast.Name) and call.func.id in GETTEXT:
                found.append(f"{_name(path)}:{call.lineno}: {ast.unparse(call)[:70]}")
    assert not found, "\n".join(found)


def test_no_message_is_marked_inside_an_f_string():
    """Babel finds `_("...")` inside an f-string only on Python 3.12 and later: on
    3.11 the message would silently drop out of the catalogs (the worksheet's "minute
    {n}" did). Translate first, then put the result in the f-string."""
    found = []
    for path in tool.source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                        and call.func.id in GETTEXT | {"N_"}
                        and any(isinstance(a, ast.Constant) for a in call.args)):
                    found.append(f"{_name(path)}:{call.lineno}: {ast.unparse(call)[:70]}")
    assert not found, "\n".join(found)


# Widgets and functions whose text argument a person reads, and which keyword
# arguments carry such text.
DISPLAY_CALLS = {
    "Static": (0, {"content"}), "Label": (0, {"content"}), "Button": (0, {"label"}),
    "Header": (None, set()), "Input": (None, {"placeholder"}), "TextArea": (None, {"placeholder"}),
    "notify": (0, {"message", "title"}), "Content": (0, set()), "Option": (0, {"prompt"}),
    "Binding": (2, {"description", "tooltip"}), "Checkbox": (0, {"label"}),
    "RadioButton": (0, {"label"}), "Switch": (None, set()), "Select": (None, {"prompt"}),
    "print": (0, set()), "ArgumentParser": (None, {"description", "epilog", "help"}),
    "add_parser": (None, {"help", "description", "epilog"}),
    "add_argument": (None, {"help"}), "Rule": (None, set()), "Placeholder": (0, set()),
    "ConfirmScreen": (0, {"question", "yes", "no"}), "update": (0, {"content"}),
    "JournalError": (0, set()), "ValueError": (None, set()), "SystemExit": (0, set()),
    "border_title": (None, set()),
}
# A literal with a word in it; single symbols, ids, CSS and key names are fine.
WORDS = re.compile(r"[A-Za-z]{3,}.*\s|\s.*[A-Za-z]{3,}|^[A-Z][a-z]{2,}")
NOT_PROSE = re.compile(r"^[\w.-]+$|^#[\w-]+$|^\$|^%\(|^\{[\w.!:]*\}$")


def _literal_texts(node):
    """The plain string parts a person would read in an argument (literals and the
    literal pieces of f-strings), skipping anything already inside a `_()` call."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        yield text
    elif isinstance(node, ast.BinOp):
        yield from _literal_texts(node.left)
        yield from _literal_texts(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _literal_texts(node.body)
        yield from _literal_texts(node.orelse)


def _untranslated(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr in ("title", "sub_title", "border_title",
                                                        "border_subtitle", "tooltip")
            for t in node.targets
        ):
            arguments = [node.value]
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in DISPLAY_CALLS:
                continue
            position, keywords = DISPLAY_CALLS[name]
            arguments = [k.value for k in node.keywords if k.arg in keywords]
            if position is not None and len(node.args) > position:
                arguments.append(node.args[position])
            if name == "print" and any(k.arg == "file" for k in node.keywords):
                pass  # stderr messages are read too: keep them
        else:
            continue
        for argument in arguments:
            for text in _literal_texts(argument):
                stripped = text.strip()
                if stripped and WORDS.search(stripped) and not NOT_PROSE.match(stripped):
                    yield node.lineno, stripped


@pytest.mark.parametrize("area", ["tui", "cli", "export", "other"])
def test_user_visible_text_goes_through_gettext(area):
    found = []
    for path in SOURCES:
        parts = path.relative_to(PACKAGE).parts
        where = parts[0] if parts[0] in ("tui", "cli", "export") else "other"
        if where != area:
            continue
        for line, text in _untranslated(path):
            found.append(f"{_name(path)}:{line}: {text[:70]!r}")
    assert not found, "not passed through _():\n" + "\n".join(found)

"""A self-contained, printable HTML page: no scripts, no outside resources.

The page is built from the Markdown export (after any edits in the preview),
through a deliberately small converter: headings, lists, quotes, rules,
paragraphs, **bold** and the simple tables an exercise's 2x2 grid becomes. Every character of text is escaped, so whatever
the Markdown holds can only ever show as text. A Content-Security-Policy
that allows nothing but the inline stylesheet is a second lock on the door.
`stream` builds the page a batch of records at a time, from the streamed Markdown.
"""

from __future__ import annotations

import html
import re
from typing import Iterable, Iterator

from ..i18n import _, current_language
from ..safetext import clean
from . import markdown
from .shared_records import Document, SharedRecord

_STYLE = """
:root { color-scheme: light; }
body { font-family: Georgia, "Times New Roman", serif; line-height: 1.5; color: #1d1d1d;
       background: #fff; margin: 0; padding: 1rem; overflow-wrap: anywhere; }
main { max-width: 42rem; margin: 0 auto; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 0.4rem; border-bottom: 1px solid #bbb; }
h3 { font-size: 1rem; margin: 0.8rem 0 0.2rem; }
blockquote { margin: 0.8rem 0; padding: 0.5rem 0.8rem; border-left: 4px solid #b35c00;
             background: #fff4e5; }
ul { padding-left: 1.2rem; }
p.subtitle { color: #555; font-style: italic; }
section { margin-bottom: 1rem; }
hr { border: 0; border-top: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 0.8rem; table-layout: fixed; }
th, td { border: 1px solid #888; padding: 0.3rem 0.5rem; vertical-align: top; text-align: left; }
thead th { background: #f2f2f2; }
@media (max-width: 30rem) { body { font-size: 1.05rem; padding: 0.6rem; } }
@media print {
  body { font-size: 11pt; padding: 0; color: #000; }
  main { max-width: none; }
  blockquote { background: none; border: 1px solid #000; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section { break-inside: avoid; page-break-inside: avoid; }
  table, tr { break-inside: avoid; page-break-inside: avoid; }
  thead th { background: none; }
}
"""

# Nothing may load or run: no scripts, images, frames, fonts, forms or links out.
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'"

_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_LIST_ITEM = re.compile(r"^\s*[-*]\s+(.*)$")
_RULE = re.compile(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$")
_EMPHASIS_LINE = re.compile(r"^_(.+)_$")
_TABLE_ROW = re.compile(r"^\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\|(\s*:?-{3,}:?\s*\|)+\s*$")
_ESCAPABLE = set("\\`*_{}[]()#+-.!<>|~\"'&=:;/@$%^")


def render(document: Document) -> str:
    """The document as an HTML page (via its Markdown)."""
    return from_markdown(markdown.render(document), title=document.title)


def stream(title: str, subtitle: str, batches: Iterable[list[SharedRecord]]) -> Iterator[str]:
    """The page of `render`, in pieces, built from the streamed Markdown: the whole
    page never exists in memory."""
    # The streamed Markdown is already clean, and clean() changes clean text not at all.
    yield from _page(_lines(markdown.stream(title, subtitle, batches)), title)


def from_markdown(text: str, title: str | None = None) -> str:
    """An inert HTML page from (possibly hand-edited) Markdown."""
    text = clean(text)
    lines = text.split("\n")
    if title is None:
        title = next((m.group(2) for m in map(_HEADING.match, lines) if m), _("Export"))
    return "".join(_page(lines, title))


# Blocks gathered before they are handed on as one piece of a streamed page.
_BLOCKS_PER_PIECE = 2000


def _page(lines: Iterable[str], title: str) -> Iterator[str]:
    """The page around the blocks made of `lines`, in pieces."""
    yield (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(current_language())}">\n<head>\n'
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(_unescape_markdown(title))}</title>\n"
        f"<style>{_STYLE}</style>\n"
        "</head>\n<body>\n<main>\n"
    )
    gathered: list[str] = []
    separator = ""  # blocks are joined by newlines, so none before the first
    for block in _blocks(lines):
        gathered.append(block)
        if len(gathered) >= _BLOCKS_PER_PIECE:
            yield separator + "\n".join(gathered)
            gathered, separator = [], "\n"
    if gathered:
        yield separator + "\n".join(gathered)
    yield "\n</main>\n</body>\n</html>\n"


def _lines(pieces: Iterable[str]) -> Iterator[str]:
    """`"".join(pieces).split("\\n")`, a piece at a time."""
    partial = ""
    for piece in pieces:
        lines = piece.split("\n")
        lines[0] = partial + lines[0]
        partial = lines.pop()
        yield from lines
    yield partial


def _blocks(lines: Iterable[str]) -> Iterator[str]:
    """Markdown lines to HTML blocks; sections open at each level-2 heading."""
    paragraph: list[str] = []
    items: list[str] = []
    quote: list[str] = []
    table: list[str] = []
    in_section = False
    # A list item as HTML, by its text: an urge's facts ("**Intensity:** 7/10",
    # "**Place:** home") come back thousands of times in a ten-year export.
    item_html: dict[str, str] = {}

    def item(text: str) -> str:
        made = item_html.get(text)
        if made is None:
            made = f"<li>{_inline(text)}</li>"
            if len(text) <= 80 and len(item_html) < 20000:
                item_html[text] = made
        return made

    def flush() -> Iterator[str]:
        if paragraph:
            yield "<p>" + _inline_lines(paragraph) + "</p>"
            paragraph.clear()
        if items:
            yield "<ul>\n" + "\n".join([item(i) for i in items]) + "\n</ul>"
            items.clear()
        if quote:
            yield ("<blockquote><p>" + "<br>\n".join(_inline(q) for q in quote)
                   + "</p></blockquote>")
            quote.clear()
        if table:
            yield _table(table)
            table.clear()

    for line in lines:
        # Most lines are plain text or a fact ("- **Mood:** 4/5"): told by their
        # first characters, without the six patterns below (a ten-year page has a
        # million lines). Whatever starts otherwise takes the full way.
        if not line:  # a blank line ends whatever block is open
            yield from flush()
            continue
        first = line[:1]
        if first not in _MAY_MARK_UP and not first.isspace():
            if table or items or quote:
                yield from flush()
            paragraph.append(line)
            continue
        if first == "-" and line[1:2] == " " and not line[2:3].isspace():
            # A list item (never a rule: a rule's dashes follow one another).
            if table or paragraph or quote:
                yield from flush()
            items.append(line[2:])
            continue
        if _TABLE_ROW.match(line) and (table or not (paragraph or items or quote)):
            table.append(line)
            continue
        if table:
            yield from flush()
        heading = _HEADING.match(line)
        if not line.strip():
            yield from flush()
        elif heading:
            yield from flush()
            level = len(heading.group(1))
            if level == 2:
                if in_section:
                    yield "</section>"
                yield "<section>"
                in_section = True
            yield f"<h{level}>{_inline(heading.group(2))}</h{level}>"
        elif _RULE.match(line):
            yield from flush()
            yield "<hr>"
        elif line.startswith(">"):
            if paragraph or items:
                yield from flush()
            quote.append(line[1:].lstrip())
        elif _LIST_ITEM.match(line):
            if paragraph or quote:
                yield from flush()
            items.append(_LIST_ITEM.match(line).group(1))
        elif (emphasis := _EMPHASIS_LINE.match(line.strip())) and not paragraph:
            yield from flush()
            yield f'<p class="subtitle">{_inline(emphasis.group(1))}</p>'
        else:
            if items or quote:
                yield from flush()
            paragraph.append(line)
    yield from flush()
    if in_section:
        yield "</section>"


def _table(lines: list[str]) -> str:
    """Markdown table rows as an HTML table: the first row is the header unless no
    rule follows it; a cell in bold at the start of a row heads that row."""
    rows = [_cells(line) for line in lines if not _TABLE_RULE.match(line)]
    # A header is a row with a rule under it: an edited preview may start a table
    # with two rules and no row at all (that raised IndexError, ending the app).
    has_header = (len(lines) > 1 and not _TABLE_RULE.match(lines[0])
                  and bool(_TABLE_RULE.match(lines[1])))
    out = ["<table>"]
    if has_header:
        out.append("<thead><tr>" + "".join(f"<th>{_inline(c)}</th>" for c in rows[0])
                   + "</tr></thead>")
        rows = rows[1:]
    out.append("<tbody>")
    for cells in rows:
        row = []
        for number, cell in enumerate(cells):
            bold = re.fullmatch(r"\*\*(.+)\*\*", cell)
            if number == 0 and bold:
                row.append(f'<th scope="row">{_inline(bold.group(1))}</th>')
            else:
                row.append(f"<td>{_inline(cell)}</td>")
        out.append("<tr>" + "".join(row) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _cells(line: str) -> list[str]:
    """A table row's cells: split at each bar that is not backslash-escaped."""
    cells, current = [], ""
    for token in re.split(r"(\\.|\|)", line.strip()[1:]):
        if token == "|":
            cells.append(current.strip())
            current = ""
        else:
            current += token
    if current.strip():
        cells.append(current.strip())
    return cells


_TOKENS = re.compile(r"(\\.|\*\*)")
# First characters of a line that may make it more than plain text (blank lines
# are caught by the empty first character).
_MAY_MARK_UP = frozenset({"", "|", "#", ">", "-", "*", "_"})


def _inline_lines(lines: list[str]) -> str:
    """`"<br>\\n".join(_inline(line) for line in lines)`, in one escape when no line
    holds a backslash or bold (html.escape leaves newlines as they are)."""
    joined = "\n".join(lines)
    if "\\" not in joined and "**" not in joined:
        return html.escape(joined, quote=True).replace("\n", "<br>\n")
    return "<br>\n".join(_inline(line) for line in lines)


def _inline(text: str) -> str:
    """One line of Markdown text as escaped HTML; only backslash escapes and
    **bold** are understood, and bold only when it closes on the same line."""
    if "\\" not in text:
        if "**" not in text:
            return html.escape(text, quote=True)  # the common case, fast
        if text.startswith("**") and text.count("**") == 2:
            # A fact's "**Mood:** 4/5", as the loop below makes it, quicker.
            end = text.index("**", 2)
            return ("<strong>" + html.escape(text[2:end], quote=True) + "</strong>"
                    + html.escape(text[end + 2:], quote=True))
    out: list[str] = []
    pieces = _TOKENS.split(text)
    pending_bold = sum(1 for piece in pieces if piece == "**")
    bold = False
    for piece in pieces:
        if piece == "**" and (bold or pending_bold > 1):
            out.append("</strong>" if bold else "<strong>")
            bold = not bold
            pending_bold -= 1
        elif piece == "**":
            out.append("**")
            pending_bold -= 1
        elif len(piece) == 2 and piece[0] == "\\" and piece[1] in _ESCAPABLE:
            out.append(html.escape(piece[1], quote=True))
        else:
            out.append(html.escape(piece, quote=True))
    if bold:
        out.append("</strong>")
    return "".join(out)


def _unescape_markdown(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)

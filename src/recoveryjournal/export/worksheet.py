"""Blank printable worksheets: any exercise (shipped or a person's own file) as an
empty form with room to write, for people who work on paper and for group
facilitators. Markdown, plain text, or an HTML page that prints on A4.

A worksheet holds no personal data, so it needs no journal and no passphrase.
Exercise files may come from anyone (a facilitator's own file): their text is
cleaned and escaped like any untrusted text. The HTML has no scripts and loads
nothing from outside (the same Content-Security-Policy as every export).
"""

from __future__ import annotations

import html
import textwrap

from ..exercises import SCALE_MAX, SCALE_MIN, Exercise, Step, point_label
from ..i18n import _, current_language
from ..safetext import clean
from . import markdown
from .html import _POLICY
from .text import table_lines

WIDTH = 76
# Lines to write on, by field type: a long answer gets more room than a short one.
ROOM = {"text": 2, "long_text": 7, "list": 6, "timer": 0}
DOTS = "." * WIDTH


def render(exercise: Exercise, format_name: str = "html") -> str:
    """The blank worksheet of `exercise` as html, md or txt."""
    if format_name == "md":
        return clean(_markdown(exercise))
    if format_name == "txt":
        return clean(_text(exercise))
    return _html(exercise)


def _scale_line(step: Step) -> str:
    numbers = "   ".join(str(n) for n in range(SCALE_MIN, SCALE_MAX + 1))
    ends = ""
    if step.low is not None and step.high is not None:
        ends = _("({low_value} = {low}, {high_value} = {high})").format(
            low_value=SCALE_MIN, low=step.low.get(), high_value=SCALE_MAX, high=step.high.get())
    return _("Circle one: {numbers}").format(numbers=numbers) + (f"  {ends}" if ends else "")


# Feelings to name and rate on paper, one a line.
RATING_LINES = 4


def _rating_blanks(step: Step) -> list[str]:
    """Lines to name feelings and rate each: "________: ___ of 10", or for a step
    that rates them again "________: ___ of 10 → ___ of 10"."""
    name = "_" * 24
    blank = _("{value} of {top}").format(value="____", top=SCALE_MAX)
    if step.rerate:
        line = _("{name}: {before} → {after}").format(name=name, before=blank, after=blank)
    else:
        line = _("{name}: {rating}").format(name=name, rating=blank)
    return [line] * RATING_LINES


def _header_lines(exercise: Exercise) -> tuple[str, str, str]:
    return (exercise.title.get(), exercise.purpose.get(),
            _("{point} · about {minutes} minutes · Name: ________  Date: ________").format(
                point=point_label(exercise.point), minutes=exercise.minutes))


# ---- Markdown ---------------------------------------------------------------------


def _markdown(exercise: Exercise) -> str:
    esc = markdown.escape
    title, purpose, about = _header_lines(exercise)
    out = [f"# {esc(title)}", "", f"_{esc(about)}_", "", esc(purpose), ""]
    for number, step in enumerate(exercise.steps, start=1):
        out += [f"## {number}. {esc(step.prompt.get())}", ""]
        if step.type == "scale":
            out += [esc(_scale_line(step)), ""]
        elif step.type in ("choice", "checklist"):
            out += [f"- ☐ {esc(c.label.get())}" for c in step.choices] + [""]
        elif step.type == "grid":
            out += ["|   | " + " | ".join(esc(c.label.get()) for c in step.columns) + " |",
                    "|---" * (len(step.columns) + 1) + "|"]
            out += [f"| **{esc(r.label.get())}** |" + " &nbsp; |" * len(step.columns)
                    for r in step.rows] + [""]
        elif step.type == "ratings":
            out += [f"- {esc(line)}" for line in _rating_blanks(step)] + [""]
        elif step.type == "timer":
            out += [_("Minute") + " | " + _("How strong (0-10)"), "---|---"]
            out += [f"{minute} | " for minute in range(step.minutes + 1)] + [""]
        else:
            out += [DOTS + "  " for _line in range(ROOM.get(step.type, 2))] + [""]
    return "\n".join(out).rstrip("\n") + "\n"


# ---- plain text -------------------------------------------------------------------


def _text(exercise: Exercise) -> str:
    title, purpose, about = _header_lines(exercise)
    out = [title, "=" * min(len(title), WIDTH), "", *textwrap.wrap(about, WIDTH), "",
           *textwrap.wrap(purpose, WIDTH), ""]
    for number, step in enumerate(exercise.steps, start=1):
        out += textwrap.wrap(f"{number}. {step.prompt.get()}", WIDTH) + [""]
        if step.type == "scale":
            out += textwrap.wrap(_scale_line(step), WIDTH) + [""]
        elif step.type in ("choice", "checklist"):
            out += [f"  [ ] {c.label.get()}" for c in step.choices] + [""]
        elif step.type == "grid":
            out += table_lines([c.label.get() for c in step.columns],
                               [(r.label.get(), ["" for _c in step.columns]) for r in step.rows],
                               WIDTH, blank_lines=6) + [""]
        elif step.type == "ratings":
            out += [f"  {line}" for line in _rating_blanks(step)] + [""]
        elif step.type == "timer":
            minute_label = _("minute {n}")  # not inside the f-string: see tools/i18n.py
            out += [f"  {minute_label.format(n=minute)}: ____ / {SCALE_MAX}"
                    for minute in range(step.minutes + 1)] + [""]
        else:
            out += ["_" * WIDTH for _line in range(ROOM.get(step.type, 2))] + [""]
    return "\n".join(out).rstrip("\n") + "\n"


# ---- HTML (prints on A4) ----------------------------------------------------------

_STYLE = """
:root { color-scheme: light; }
@page { size: A4; margin: 15mm; }
body { font-family: Georgia, "Times New Roman", serif; color: #000; background: #fff;
       margin: 0 auto; padding: 1rem; max-width: 180mm; line-height: 1.4; }
h1 { font-size: 20pt; margin: 0 0 2mm; }
p.about { font-style: italic; color: #333; margin: 0 0 3mm; }
p.purpose { margin: 0 0 5mm; }
section { margin: 0 0 6mm; break-inside: avoid; page-break-inside: avoid; }
h2 { font-size: 12pt; margin: 0 0 2mm; }
.lines { border: 0; margin: 0; }
.lines div { border-bottom: 1px solid #777; height: 9mm; }
ul.choices { list-style: none; padding: 0; margin: 0; columns: 2; }
ul.choices li { margin: 0 0 2mm; }
ul.choices li::before { content: "\\2610\\00a0"; font-size: 14pt; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 1px solid #000; padding: 2mm; vertical-align: top; text-align: left; }
td.room { height: 45mm; }
thead th:first-child { width: 22%; }
td.minute { height: 8mm; }
ol.scale { display: flex; list-style: none; padding: 0; margin: 0 0 1mm; gap: 2mm; }
ol.scale li { border: 1px solid #000; border-radius: 50%; width: 9mm; height: 9mm;
              display: flex; align-items: center; justify-content: center; }
ul.ratings { list-style: none; padding: 0; margin: 0; }
ul.ratings li { margin: 0 0 4mm; }
p.ends { margin: 0; font-size: 10pt; color: #333; }
@media print { body { padding: 0; max-width: none; } }
"""


def _html(exercise: Exercise) -> str:
    def e(text: str) -> str:
        return html.escape(clean(text), quote=True)

    title, purpose, about = _header_lines(exercise)
    body = [f"<h1>{e(title)}</h1>", f'<p class="about">{e(about)}</p>',
            f'<p class="purpose">{e(purpose)}</p>']
    for number, step in enumerate(exercise.steps, start=1):
        body.append("<section>")
        body.append(f"<h2>{number}. {e(step.prompt.get())}</h2>")
        if step.type == "scale":
            body.append('<ol class="scale">' + "".join(
                f"<li>{n}</li>" for n in range(SCALE_MIN, SCALE_MAX + 1)) + "</ol>")
            if step.low is not None and step.high is not None:
                body.append(f'<p class="ends">{SCALE_MIN} = {e(step.low.get())} · '
                            f"{SCALE_MAX} = {e(step.high.get())}</p>")
        elif step.type in ("choice", "checklist"):
            body.append('<ul class="choices">' + "".join(
                f"<li>{e(c.label.get())}</li>" for c in step.choices) + "</ul>")
        elif step.type == "grid":
            head = "".join(f"<th>{e(c.label.get())}</th>" for c in step.columns)
            rows = "".join(
                f'<tr><th scope="row">{e(r.label.get())}</th>'
                + '<td class="room"></td>' * len(step.columns) + "</tr>" for r in step.rows)
            body.append(f"<table><thead><tr><th></th>{head}</tr></thead>"
                        f"<tbody>{rows}</tbody></table>")
        elif step.type == "ratings":
            body.append('<ul class="ratings">' + "".join(
                f"<li>{e(line)}</li>" for line in _rating_blanks(step)) + "</ul>")
        elif step.type == "timer":
            rows = "".join(f'<tr><td class="minute">{minute}</td><td></td></tr>'
                           for minute in range(step.minutes + 1))
            minute_heading, strength_heading = e(_("Minute")), e(_("How strong (0-10)"))
            body.append(f"<table><thead><tr><th>{minute_heading}</th>"
                        f"<th>{strength_heading}</th></tr></thead>"
                        f"<tbody>{rows}</tbody></table>")
        else:
            body.append('<div class="lines">' + "<div></div>" * ROOM.get(step.type, 2) + "</div>")
        body.append("</section>")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(current_language())}">\n<head>\n'
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{_STYLE}</style>\n"
        "</head>\n<body>\n<main>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n"
    )

"""Charts as text: series from `insights` in, a block of terminal text out.

Pure and textual-free: every function takes the series, a size in cells and a
`ChartColours` (the TUI passes its theme's colours; the CLI a plain set) and returns
one string, with ANSI colour codes when `colours.colour` is on. The TUI turns that
into rich Text with `Text.from_ansi` in its own small widget
(`tui/widgets/chart.py`): textual-plotext pins plotext < 6, and we use plotext 6.1.0,
whose API is the explicit figure (`plotext.figure`), so we do not use textual-plotext.

plotext keeps one global figure. Each chart starts with `figure.clear()` and builds
from scratch, so no setting leaks from one chart to the next; `figure.build()` gives
the text. Rankings (triggers, coping tools, life areas), the hour x weekday grid and
the use calendar are drawn as plain text: at 80x24 a labelled text bar or a grid of
shaded cells reads better than a plotext frame around a few bars. plotext is
imported lazily, inside the functions that plot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Sequence

from .i18n import _, formats, ngettext
from .i18n.labels import addiction_label, coping_label, trigger_label
from .insights import Wave, Weekly

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class ChartColours:
    """The colours a chart is drawn with. The TUI builds one from its theme."""

    text: RGB | None = None  # axes, ticks and labels; None: the terminal's own colour
    series: tuple[RGB, ...] = (
        (86, 156, 214), (220, 160, 90), (150, 200, 120), (200, 120, 200),
        (120, 200, 200), (220, 110, 110), (180, 180, 100), (160, 160, 160),
    )
    accent: RGB = (120, 190, 120)  # good news: resisted, the well-being line
    warning: RGB = (220, 160, 90)  # the 50 % line, days with a use (never red)
    muted: RGB = (110, 110, 110)  # empty cells, untracked days
    colour: bool = True  # False: plain text (tests, NO_COLOR, piping)

    def of(self, index: int) -> RGB:
        return self.series[index % len(self.series)]

    def fill(self, index: int) -> str:
        """The bar glyph of series `index`: all "█" in colour; without colour
        (NO_COLOR, plain text) each series its own shade, so stacked bars still read."""
        if self.colour:
            return "full"
        return ("█", "▒", "░", "▓")[index % 4]


PLAIN = ChartColours(colour=False)

# Narrower than plotext's 0.8, so neighbouring weeks keep a visible gap at 80 columns.
_BAR_WIDTH = 0.6


def _paint(text: str, rgb: RGB | None, colours: ChartColours) -> str:
    if not colours.colour or rgb is None or not text:
        return text
    r, g, b = rgb
    return f"\x1b[38;2;{r};{g};{b}m{text}\x1b[0m"


def _message(text: str, width: int, height: int) -> str:
    """A calm note in place of a chart with nothing to show."""
    lines = [""] * max(height // 2 - 1, 0) + [text.center(width).rstrip()]
    return "\n".join(lines)


def calm_note(text: str, width: int, height: int) -> str:
    """A calm note, centred, where a chart has nothing to show (for screens)."""
    return _message(text, width, height)


# ---- plotext plumbing ------------------------------------------------------------


def _figure(width: int, height: int, colours: ChartColours):
    """The global plotext figure, cleared and sized, drawn on the terminal's own
    background (so it follows the theme)."""
    import plotext

    figure = plotext.figure
    figure.clear()
    figure._our_title = ""
    plotext.terminal.limit(False, False)  # the size is ours, not the real terminal's
    figure.plot_size(max(width, 10), max(height, 5))
    figure.theme("colorless")
    figure.canvas("default")
    if colours.colour and colours.text is not None:
        figure.axes(pixel=_pixel(colours.text, colours))
        figure.ruler().pixel(_pixel(colours.text, colours))
    return figure


def _marker(symbol: str, rgb: RGB, colours: ChartColours):
    from plotext._primitives.marker import marker
    from plotext._primitives.pixel import pixel

    return marker(symbol, pixel(foreground=rgb) if colours.colour else pixel())


def _pixel(rgb: RGB, colours: ChartColours):
    from plotext._primitives.pixel import pixel

    return pixel(foreground=rgb) if colours.colour else pixel()


# plotext paints its canvas and axes white (ANSI 15) even in its "colorless" theme:
# a white box in a dark theme. Its background codes go, so every chart sits on the
# terminal's (the theme's) own background.
_BACKGROUND = re.compile(r"\x1b\[(?:48;5;\d+|48;2;\d+;\d+;\d+|4[0-9]|10[0-7])m")


def _build(figure, colours: ChartColours) -> str:
    text = figure.build().string(colorless=not colours.colour).rstrip("\n")
    text = _BACKGROUND.sub("", text)
    title = getattr(figure, "_our_title", "")
    if title:
        # Our own title, wrapped and centred: plotext cuts a long one (a Danish title
        # at 80 columns), and its height came off the plot in `_titled`.
        lines = _title_lines(title, figure._our_width)
        text = "\n".join(line.center(figure._our_width).rstrip() for line in lines) + "\n" + text
    return text


def _title_lines(title: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(title, max(width, 10)) or [""]


def _titled(width: int, height: int, colours: ChartColours, title: str):
    """The figure for a chart with `title` above it, the plot shortened by the
    title's lines so the whole stays `height` rows."""
    lines = _title_lines(title, width)
    figure = _figure(width, height - len(lines), colours)
    figure._our_title, figure._our_width = title, width
    return figure


def relative_luminance(rgb: RGB) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0 black .. 1 white)."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    """WCAG 2 contrast ratio between two colours (1 .. 21); AA text needs 4.5."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_on(rgb: RGB, background: RGB, ratio: float = 4.5) -> RGB:
    """`rgb`, moved towards black or white (whichever the background is not) until
    it reaches `ratio` against `background`."""
    target = (0, 0, 0) if relative_luminance(background) > 0.18 else (255, 255, 255)
    colour = rgb
    for step in range(1, 21):
        if contrast_ratio(colour, background) >= ratio:
            return colour
        colour = _blend(rgb, target, step / 20)
    return target


def week_labels(weeks: Sequence[date], slots: int, per_bar: int = 1) -> tuple[list[int], list[str]]:
    """Tick positions (1-based) and labels for a week axis, at most `slots` of them,
    always the last: ISO week numbers, as Nordic calendars name weeks, or month and
    year when each bar holds several weeks (`per_bar`)."""
    if not weeks:
        return [], []
    step = max(1, -(-len(weeks) // max(slots, 1)))
    positions = list(range(len(weeks), 0, -step))[::-1]
    if per_bar > 4:
        labels = [formats.format_month_year(weeks[p - 1]) for p in positions]
    else:
        labels = [formats.format_week(weeks[p - 1].isocalendar()[1], short=True) for p in positions]
    return positions, labels


def fit_weeks(weekly: Weekly, bars: int) -> tuple[Weekly, int]:
    """Merge neighbouring weeks so at most `bars` remain; returns the merged series
    and the weeks per bar. Counts add up; "share" is worked out again from
    "resisted" and "acted"; other values (averages) are averaged over the weeks that
    have one. A ten-year range would otherwise be 520 bars in 76 columns."""
    per_bar = max(1, -(-len(weekly.weeks) // max(bars, 1)))
    if per_bar == 1:
        return weekly, 1
    # Whole groups end at the latest week, so this week is never cut in half.
    extra = (-len(weekly.weeks)) % per_bar
    groups = [(max(0, start - extra), start - extra + per_bar)
              for start in range(0, len(weekly.weeks) + extra, per_bar)]
    merged = Weekly([weekly.weeks[a] for a, _b in groups])
    counted = {"resisted", "acted", "meetings", "urges"}
    for name, values in weekly.series.items():
        if name == "share":
            continue
        out = []
        for a, b in groups:
            chunk = [v for v in values[a:b] if v is not None]
            if name in counted or name not in ("before", "after"):
                out.append(sum(chunk))
            else:
                out.append(round(sum(chunk) / len(chunk), 2) if chunk else None)
        merged.series[name] = out
    if "share" in weekly.series:
        merged.series["share"] = [round(100 * r / (r + a)) if r + a else None
                                  for r, a in zip(merged.series["resisted"], merged.series["acted"])]
    return merged, per_bar


def _count_ticks(figure, top: float, yside: str = "left") -> None:
    """Whole-number ticks for counts (plotext would write 8.2 urges)."""
    top = max(int(top), 1)
    step = max(1, -(-top // 4))
    ticks = list(range(0, top + step, step))
    figure.ruler("y", yside).ticks(ticks, labels=[str(t) for t in ticks])
    figure.ruler("y", yside).lim(0, ticks[-1])


def _whole_ticks(figure, top: int, step: int) -> None:
    """Whole-number ticks from 0 to `top`: plotext's own would be 2.5 and 7.5, with
    a decimal point where Swedish, Danish and Norwegian write a comma."""
    ticks = list(range(0, top + 1, step))
    figure.ruler("y").ticks(ticks, labels=[formats.format_number(t, 0) for t in ticks])
    figure.ruler("y").lim(0, top)


def _max_bars(width: int) -> int:
    return max((width - 8) // 3, 4)


def _glyph(fill: str) -> str:
    return "█" if fill == "full" else fill


def _legend(names: Sequence[str], rgbs: Sequence[RGB], colours: ChartColours, width: int,
            glyph: str = "█", glyphs: Sequence[str] | None = None) -> str:
    parts, used = [], 0
    names = [addiction_label(name) for name in names]  # built-in ids read as words
    for index, (name, rgb) in enumerate(zip(names, rgbs)):
        if glyphs is not None:
            glyph = glyphs[index]
        piece = f"{glyph} {name}"
        if used + len(piece) + 2 > width and parts:
            parts.append("…")
            break
        parts.append(_paint(glyph, rgb, colours) + f" {name}")
        used += len(piece) + 2
    return "  ".join(parts)


# ---- weekly charts -----------------------------------------------------------------


def urges_per_week(weekly: Weekly, width: int = 76, height: int = 16,
                   colours: ChartColours = PLAIN) -> str:
    """Urges per week as bars stacked by addiction, with a legend below."""
    if not weekly.series or not any(weekly.total(name) for name in weekly.series):
        return _message(_("No urges logged in this range."), width, height)
    weekly, per_bar = fit_weeks(weekly, _max_bars(width))
    figure = _titled(width, height - 1, colours, _("Urges per week"))
    names = list(weekly.series)
    x = list(range(1, len(weekly.weeks) + 1))
    running = [0] * len(x)
    for index, name in enumerate(names):
        top = [running[i] + weekly.series[name][i] for i in range(len(x))]
        figure.draw(figure.bar(x, list(running), top, marker=_marker(colours.fill(index), colours.of(index), colours),
                               width=_BAR_WIDTH, _reset_ticks=False))
        running = top
    positions, labels = week_labels(weekly.weeks, max(2, width // (10 if per_bar > 4 else 8)), per_bar)
    figure.ruler("x").ticks(positions, labels=labels)
    figure.ruler("x").lim(0.4, len(x) + 0.6)
    _count_ticks(figure, max(running))
    legend = _legend(names, [colours.of(i) for i in range(len(names))], colours, width,
                     glyphs=[_glyph(colours.fill(i)) for i in range(len(names))])
    return _build(figure, colours) + "\n" + legend


def intensity_trend(weekly: Weekly, width: int = 76, height: int = 16,
                    colours: ChartColours = PLAIN) -> str:
    """Mean intensity per week, when logged and after coping, on a 0-10 scale."""
    before, after = weekly.series.get("before", []), weekly.series.get("after", [])
    if not any(v is not None for v in before):
        return _message(_("No urges logged in this range."), width, height)
    weekly, per_bar = fit_weeks(weekly, max(width - 10, 8))
    before, after = weekly.series.get("before", []), weekly.series.get("after", [])
    figure = _titled(width, height - 1, colours, _("Urge intensity (0-10), weekly average"))
    shown = []
    # Without colour the two lines differ by their dots instead.
    for name, values, rgb, dot in ((_("when logged"), before, colours.of(0), "braille"),
                                   (_("after coping"), after, colours.accent,
                                    "braille" if colours.colour else "•")):
        points = [(i + 1, v) for i, v in enumerate(values) if v is not None]
        if not points:
            continue
        xs, ys = zip(*points)
        figure.draw(figure.signal(list(xs), list(ys), marker=_marker(dot, rgb, colours)).lines(True))
        shown.append((name, rgb))
    positions, labels = week_labels(weekly.weeks, max(2, width // (10 if per_bar > 4 else 8)), per_bar)
    figure.ruler("x").ticks(positions, labels=labels)
    figure.ruler("x").lim(0.5, len(weekly.weeks) + 0.5)
    _whole_ticks(figure, 10, 2)
    legend = _legend([n for n, _rgb in shown], [rgb for _n, rgb in shown], colours, width, "─")
    return _build(figure, colours) + "\n" + legend


def share_resisted(weekly: Weekly, width: int = 76, height: int = 16,
                   colours: ChartColours = PLAIN) -> str:
    """The share of urges resisted each week, 0-100 %."""
    share = weekly.series.get("share", [])
    if not any(v is not None for v in share):
        return _message(_("No urges logged in this range."), width, height)
    weekly, per_bar = fit_weeks(weekly, _max_bars(width))
    share = weekly.series["share"]
    figure = _titled(width, height - 1, colours, _("Share of urges resisted, % per week"))
    x = [i + 1 for i, v in enumerate(share) if v is not None]
    y = [v for v in share if v is not None]
    figure.draw(figure.bar(x, [0] * len(x), y, marker=_marker("full", colours.accent, colours),
                           width=_BAR_WIDTH, _reset_ticks=False))
    positions, labels = week_labels(weekly.weeks, max(2, width // (10 if per_bar > 4 else 8)), per_bar)
    figure.ruler("x").ticks(positions, labels=labels)
    figure.ruler("x").lim(0.4, len(share) + 0.6)
    _whole_ticks(figure, 100, 25)
    resisted, acted = weekly.total("resisted"), weekly.total("acted")
    total = resisted + acted
    note = ngettext("{resisted} of {total} urge resisted in this range",
                    "{resisted} of {total} urges resisted in this range", int(total)).format(
        resisted=int(resisted), total=int(total))
    return _build(figure, colours) + "\n" + note


def meetings_beside_urges(weekly: Weekly, width: int = 76, height: int = 16,
                          colours: ChartColours = PLAIN) -> str:
    """Meetings attended (right scale) beside urges logged (left scale) per week:
    a week has a handful of meetings and dozens of urges, so each gets its own axis."""
    meetings, urges = weekly.series.get("meetings", []), weekly.series.get("urges", [])
    if not any(meetings) and not any(urges):
        return _message(_("No meetings or urges logged in this range."), width, height)
    weekly, per_bar = fit_weeks(weekly, max((width - 12) // 4, 4))
    meetings, urges = weekly.series["meetings"], weekly.series["urges"]
    figure = _titled(width, height - 1, colours,
                     _("Urges (left scale) and meetings (right scale) per week"))
    x = list(range(1, len(weekly.weeks) + 1))
    urge_rgb, meeting_rgb = colours.of(0), colours.accent
    figure.draw(figure.bar([p - 0.2 for p in x], [0] * len(x), urges, width=0.38,
                           marker=_marker("full", urge_rgb, colours), _reset_ticks=False))
    figure.draw(figure.bar([p + 0.2 for p in x], [0] * len(x), meetings, width=0.38,
                           marker=_marker(colours.fill(1), meeting_rgb, colours), yside="right",
                           _reset_ticks=False))
    positions, labels = week_labels(weekly.weeks, max(2, width // (10 if per_bar > 4 else 8)), per_bar)
    figure.ruler("x").ticks(positions, labels=labels)
    figure.ruler("x").lim(0.4, len(x) + 0.6)
    _count_ticks(figure, max(urges, default=0))
    _count_ticks(figure, max(meetings, default=0), "right")
    legend = _legend([_("urges"), _("meetings")], (urge_rgb, meeting_rgb), colours, width,
                     glyphs=[_glyph(colours.fill(0)), _glyph(colours.fill(1))])
    return _build(figure, colours) + "\n" + legend


# ---- well-being -------------------------------------------------------------------


def _thinned(xs: list[int], ys: list[float], width: int) -> tuple[list[float], list[float]]:
    """At most two points per column (a braille cell is two dots wide): where more
    fall in one, their mean. A line over ten years of daily points in 76 columns
    shows no more than this, and plotext's time grows with the points it is given
    (3,600 mood days: 150 ms at 1x; 5,000 check-ins at ten times the journal)."""
    slots = max(2 * width, 2)
    if len(xs) <= slots:
        return xs, ys
    low, high = xs[0], xs[-1]
    size = (high - low + 1) / slots
    sums: dict[int, list[float]] = {}
    for x, y in zip(xs, ys):
        found = sums.setdefault(int((x - low) / size), [0, 0, 0])
        found[0] += x
        found[1] += y
        found[2] += 1
    kept = [sums[slot] for slot in sorted(sums)]
    return [x / n for x, _y, n in kept], [y / n for _x, y, n in kept]



def who5_line(points: Sequence[tuple[date, int]], width: int = 76, height: int = 16,
              colours: ChartColours = PLAIN, *, first: date | None = None,
              last: date | None = None) -> str:
    """WHO-5 well-being (%) over time, with the 50 % line marked."""
    if not points:
        return _message(_("No well-being check-ins in this range."), width, height)
    start = first or points[0][0]
    end = last or points[-1][0]
    span = max((end - start).days, 1)
    figure = _titled(width, height - 1, colours, _("Well-being (WHO-5), %"))
    xs = [(day - start).days for day, _percent in points]
    ys = [percent for _day, percent in points]
    xs, ys = _thinned(xs, ys, width)
    figure.line(50, orientation=0, relative=True,  # relative: in data units
                pixel=_pixel(colours.warning, colours))
    if len(points) == 1:
        # One check-in: one clear dot, not a braille dot beside it.
        figure.draw(figure.signal(xs, ys, marker=_marker("●", colours.accent, colours)))
    else:
        signal = figure.signal(xs, ys, marker=_marker("braille", colours.accent, colours))
        figure.draw(signal.lines(True))
    ticks = [0, span // 2, span] if span >= 2 else [0, span]
    figure.ruler("x").ticks(ticks, labels=[formats.format_day_month_numeric(start + timedelta(days=t))
                                           for t in ticks])
    figure.ruler("x").lim(-0.5, span + 0.5)
    _whole_ticks(figure, 100, 25)
    note = _paint("─", colours.warning, colours) + " " + _(
        "50%: below it, talking with someone can help")
    return _build(figure, colours) + "\n" + note


def mood_line(points: Sequence[tuple[date, float]], width: int = 76, height: int = 16,
              colours: ChartColours = PLAIN, *, first: date | None = None,
              last: date | None = None, per_week: bool = False) -> str:
    """Daily mood (1 very low .. 5 very good) over time, a day's moods averaged;
    `per_week`: the points are weeks (by their Monday), each week's moods averaged."""
    if not points:
        return _message(_("No moods noted in this range. The check-in (c) asks for one."),
                        width, height)
    start = first or points[0][0]
    end = last or points[-1][0]
    span = max((end - start).days, 1)
    figure = _figure(width, height - 1, colours)
    xs = [(day - start).days for day, _mood in points]
    ys = [mood for _day, mood in points]
    mean = sum(ys) / len(ys)
    xs, ys = _thinned(xs, ys, width)
    marker = "braille" if len(points) > 1 else "●"
    figure.draw(figure.signal(xs, ys, marker=_marker(marker, colours.accent, colours))
                .lines(len(points) > 1))
    ticks = [0, span // 2, span] if span >= 2 else [0, span]
    figure.ruler("x").ticks(ticks, labels=[formats.format_day_month_numeric(start + timedelta(days=t))
                                           for t in ticks])
    figure.ruler("x").lim(-0.5, span + 0.5)
    figure.ruler("y").ticks([1, 2, 3, 4, 5], labels=["1", "2", "3", "4", "5"])
    figure.ruler("y").lim(0.8, 5.2)
    if per_week:
        figure.title(_("Mood per week (1 very low, 5 very good)"))
        note = ngettext("{weeks} week with a mood; on average {mean}",
                        "{weeks} weeks with a mood; on average {mean}", len(points)).format(
            weeks=len(points), mean=_number(round(mean, 1)))
    else:
        figure.title(_("Mood per day (1 very low, 5 very good)"))
        note = _("{days} days with a mood; on average {mean}").format(
            days=len(points), mean=_number(round(mean, 1)))
    return _build(figure, colours) + "\n" + note


# ---- urge-surfing waves -----------------------------------------------------------


def urge_waves(waves: Sequence[Wave], width: int = 76, height: int = 16,
               colours: ChartColours = PLAIN, *, most: int = 6) -> str:
    """The wave of each urge-surfing session: ratings 0-10 from start to end, the
    latest `most` sessions, the newest brightest."""
    if not waves:
        return _message(_("No urge-surfing sessions yet. Try one from \"Urge now\"."), width, height)
    shown = list(waves)[-most:]
    figure = _titled(width, height - 1, colours, _("Urge surfing: intensity through each session"))
    longest = max(len(w.ratings) for w in shown)
    names, rgbs = [], []
    for index, wave in enumerate(shown):
        rgb = colours.of(len(shown) - 1 - index)
        xs = list(range(1, len(wave.ratings) + 1))
        figure.draw(figure.signal(xs, wave.ratings, marker=_marker("braille", rgb, colours)).lines(True))
        names.append(formats.format_day_month_numeric(wave.when))
        rgbs.append(rgb)
    figure.ruler("x").ticks([1, longest], labels=[
        _("minute {n}").format(n=0), _("minute {n}").format(n=longest - 1)])
    figure.ruler("x").lim(0.8, longest + 0.2)
    _whole_ticks(figure, 10, 2)
    return _build(figure, colours) + "\n" + _legend(names, rgbs, colours, width, "─")


# ---- text charts ------------------------------------------------------------------


def ranking(title: str, pairs: Sequence[tuple[str, float]], width: int = 76,
            height: int = 16, colours: ChartColours = PLAIN, *, scale: float | None = None,
            rgb: RGB | None = None, empty: str = "") -> str:
    """Labelled horizontal text bars, largest first as given. `scale` is the value
    of a full bar (default: the largest value)."""
    if not pairs:
        return _message(empty or _("Nothing to show in this range yet."), width, height)
    rows = list(pairs)[: max(height - 2, 1)]
    label_width = min(max(len(name) for name, _v in rows), max(width // 3, 8))
    value_texts = [_number(v) for _n, v in rows]
    value_width = max(len(t) for t in value_texts)
    bar_width = max(width - label_width - value_width - 4, 4)
    top = scale or max(v for _n, v in rows) or 1
    lines = [title, ""]
    for (name, value), value_text in zip(rows, value_texts):
        cells = value / top * bar_width
        bar = "█" * int(cells) + ("▌" if cells - int(cells) >= 0.5 else "")
        label = name if len(name) <= label_width else name[: label_width - 1] + "…"
        lines.append(f"{label:<{label_width}}  {_paint(bar, rgb or colours.of(0), colours)}"
                     f"{' ' * (bar_width - len(bar))}  {value_text:>{value_width}}")
    return "\n".join(lines)


def _number(value: float) -> str:
    return formats.format_number(value, None if float(value).is_integer() else 1)


def top_triggers(pairs: Sequence[tuple[str, int]], width: int = 76, height: int = 16,
                 colours: ChartColours = PLAIN) -> str:
    """The most frequent triggers, as text bars."""
    pairs = [(trigger_label(name), n) for name, n in pairs]
    return ranking(_("What set urges off (most often first)"), pairs, width, height, colours,
                   empty=_("No triggers noted in this range."))


def coping_tools(results: Sequence, width: int = 76, height: int = 16,
                 colours: ChartColours = PLAIN) -> str:
    """Coping tools by urges resisted while using them (`insights.CopingResult`)."""
    pairs = [(coping_label(r.tool), r.resisted) for r in results]
    return ranking(_("Coping tools that helped (urges resisted)"), pairs, width, height, colours,
                   rgb=colours.accent, empty=_("No coping tools noted in this range."))


def lifestyle_balance(areas: Sequence[tuple[str, float]] | None, width: int = 76,
                      height: int = 16, colours: ChartColours = PLAIN) -> str:
    """The latest lifestyle-balance ratings per life area, on a 0-10 scale."""
    if not areas:
        return _message(_("No lifestyle-balance exercise yet. You find it under Exercises."),
                        width, height)
    return ranking(_("Lifestyle balance (0-10, latest exercise)"), list(areas), width, height,
                   colours, scale=10)


_SHADES = " ░▒▓█"


def _blend(low: RGB, high: RGB, share: float) -> RGB:
    return tuple(round(a + (b - a) * share) for a, b in zip(low, high))  # type: ignore[return-value]


def hour_weekday_heatmap(grid: Sequence[Sequence[int]], width: int = 76, height: int = 16,
                         colours: ChartColours = PLAIN) -> str:
    """Urges by weekday (rows) and hour (columns) as shaded cells; darker glyphs mean
    more urges, so it reads without colour too."""
    top = max((max(row) for row in grid), default=0)
    if top == 0:
        return _message(_("No urges logged in this range."), width, height)
    # Cells widen and rows double where there is room (a 200x50 terminal), and shrink
    # to fit 80 columns; below that, hours are labelled every third.
    cell = max(1, min((width - 4) // 24, 6))
    row_height = 2 if height >= 7 * 2 + 5 else 1
    weekday_names = list(formats.weekday_names(short=True))
    lines = [_("When urges come: weekday by hour"), ""]
    hours = "".join(f"{h:<{cell * 3}}" if cell < 3 else f"{h:<{cell}}"
                    for h in range(0, 24, 3 if cell < 3 else 1))
    lines.append("    " + hours.rstrip())
    for name, row in zip(weekday_names, grid):
        cells, below = [], []
        for count in row:
            share = count / top
            glyph = _SHADES[max(1, round(share * 4))] if count else ""
            rgb = colours.muted if count == 0 else _blend(colours.muted, colours.warning, share)
            cells.append(_paint(glyph * cell if count else "·" + " " * (cell - 1), rgb, colours))
            below.append(_paint(glyph * cell, rgb, colours) if count else " " * cell)
        lines.append(f"{name[:3]:<4}" + "".join(cells))
        if row_height == 2:
            lines.append("    " + "".join(below))
    lines.append("")
    lines.append(ngettext("most: {count} urge in one hour slot",
                          "most: {count} urges in one hour slot", top).format(count=top))
    return "\n".join(lines)


def use_calendar(uses_by_day: dict[date, int], today: date, days: int, width: int = 76,
                 height: int = 16, colours: ChartColours = PLAIN, *,
                 since: date | None = None, note: str = "") -> str:
    """A calendar of the last `days` days, one column per week (Monday on top): ● a
    day with a use, · a day without, blank before tracking began. `note` is a last
    line (the Progress screen puts the money not spent there)."""
    first = today - timedelta(days=days - 1)
    start = first - timedelta(days=first.weekday())
    weeks = (today - start).days // 7 + 1
    cell = 2 if 4 + weeks * 2 <= width else 1
    if 4 + weeks * cell > width:  # too long for the width: keep the latest weeks
        weeks = max((width - 4) // cell, 1)
        start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    lines = [_("Days with a use (●) and without (·)"), ""]
    month_row, last_month, free_from = [" "] * (weeks * cell), None, 0
    for w in range(weeks):
        monday = start + timedelta(weeks=w)
        column = w * cell
        if monday.month != last_month and column >= free_from and column + 3 <= weeks * cell:
            month_row[column: column + 3] = list(formats.month_name(monday, short=True)[:3])
            free_from = column + 4
            last_month = monday.month
    lines.append("    " + "".join(month_row).rstrip())
    for weekday in range(7):
        row = []
        for w in range(weeks):
            day = start + timedelta(weeks=w, days=weekday)
            if day > today or day < first or (since is not None and day < since):
                row.append(" " * cell)
            elif uses_by_day.get(day):
                row.append(_paint("●", colours.warning, colours) + " " * (cell - 1))
            else:
                row.append(_paint("·", colours.muted, colours) + " " * (cell - 1))
        lines.append(f"{formats.weekday_name(weekday, short=True):<4}" + "".join(row))
    used = sum(1 for day, n in uses_by_day.items() if n and first <= day <= today)
    lines.append("")
    if since is not None and since > first:
        # Days before the journal or the tracking began are not use-free days.
        counted = (today - since).days + 1
        lines.append(ngettext("{used} days with a use in the {days} day since tracking began",
                              "{used} days with a use in the {days} days since tracking began",
                              counted).format(used=used, days=counted))
    else:
        lines.append(_("{used} days with a use in the last {days} days").format(
            used=used, days=days))
    if note:
        lines.extend(_title_lines(note, width))  # wrapped, not cut at the edge
    return "\n".join(lines)


# ---- limit goals ------------------------------------------------------------------


def amount_against_limit(amounts: dict[date, float], limit: float, per: str, today: date,
                         days: int, width: int = 76, height: int = 16,
                         colours: ChartColours = PLAIN, *, unit: str = "") -> str:
    """The amount used per day (a daily limit) or per week (a weekly one) over the
    last `days` days, as bars, with the limit as a line across: bars that reach past
    it are drawn in the warning colour (never red), the rest in the calm one."""
    first = today - timedelta(days=days - 1)
    if per == "week":
        axis = [week_start_of(first) + timedelta(weeks=n)
                for n in range((week_start_of(today) - week_start_of(first)).days // 7 + 1)]
        values = [sum(a for d, a in amounts.items() if w <= d < w + timedelta(days=7))
                  for w in axis]
    else:
        axis = [first + timedelta(days=n) for n in range(days)]
        values = [amounts.get(d, 0) for d in axis]
    kept, total = sum(1 for v in values if v <= limit), len(values)  # the whole range
    bars = max(_max_bars(width), 4)
    if len(axis) > bars:  # draw the latest: a limit is about now
        axis, values = axis[-bars:], values[-bars:]
    figure = _figure(width, height - 1, colours)
    x = list(range(1, len(axis) + 1))
    within = [(p, v) for p, v in zip(x, values) if v <= limit]
    over = [(p, v) for p, v in zip(x, values) if v > limit]
    for points, rgb in ((within, colours.accent), (over, colours.warning)):
        if points:
            xs, ys = zip(*points)
            figure.draw(figure.bar(list(xs), [0] * len(xs), list(ys), width=_BAR_WIDTH,
                                   marker=_marker("full", rgb, colours), _reset_ticks=False))
    figure.line(limit, orientation=0, relative=True, pixel=_pixel(colours.text or colours.muted,
                                                                   colours))
    step = max(1, -(-len(axis) // max(2, width // 8)))
    positions = list(range(len(axis), 0, -step))[::-1]
    figure.ruler("x").ticks(positions, labels=[formats.format_day_month_numeric(axis[p - 1])
                                               for p in positions])
    figure.ruler("x").lim(0.4, len(axis) + 0.6)
    # Whole-number ticks; the top leaves room above the limit line.
    _count_ticks(figure, -(-max(max(values, default=0), limit) * 1.2 // 1))
    title = _("Amount per day against my limit") if per == "day" else _(
        "Amount per week against my limit")
    figure.title(title + (f" ({unit})" if unit else ""))
    if per == "day":
        note = _("{kept} of {total} days within my limit of {limit}")
    else:
        note = _("{kept} of {total} weeks within my limit of {limit}")
    note = _paint("─", colours.text or colours.muted, colours) + " " + note.format(
        kept=kept, total=total, limit=_number(limit))
    return _build(figure, colours) + "\n" + note


def week_start_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


# ---- a group course -----------------------------------------------------------------


def programme(course, width: int = 76, height: int = 16, colours: ChartColours = PLAIN) -> str:
    """A group course (`insights.Programme`): where the person is, sessions attended,
    the WHO-5 at the start, midway and now side by side, then meetings per week
    (bars, left scale) beside well-being (the line, right scale, 0-100 %)."""
    def percent(value: int | None) -> str:
        return "–" if value is None else f"{value}%"

    if course.week < 1:
        head = _("The course begins on {day}.").format(day=course.start.isoformat())
    elif course.week > course.weeks:
        head = _("The course ({weeks} weeks) has ended.").format(weeks=course.weeks)
    else:
        head = _("Week {week} of {weeks}").format(week=course.week, weeks=course.weeks)
    lines = [head + "  ·  " + _("sessions attended: {n} of {weeks}").format(
                 n=course.attended, weeks=course.weeks),
             _("Well-being (WHO-5): at the start {start} · midway {mid} · now {now}").format(
                 start=percent(course.who5_start), mid=percent(course.who5_mid),
                 now=percent(course.who5_now)), ""]
    if not course.meetings:
        return "\n".join(lines)
    figure = _figure(width, max(height - 4, 5), colours)
    x = list(range(1, len(course.meetings) + 1))
    figure.draw(figure.bar(x, [0] * len(x), course.meetings, width=_BAR_WIDTH,
                           marker=_marker("full", colours.of(0), colours), _reset_ticks=False))
    points = [(i + 1, v) for i, v in enumerate(course.who5) if v is not None]
    if points:
        xs, ys = zip(*points)
        figure.draw(figure.signal(list(xs), list(ys), yside="right",
                                  marker=_marker("braille" if len(points) > 1 else "●",
                                                 colours.accent, colours)).lines(len(points) > 1))
        figure.ruler("y", "right").lim(0, 100)
    step = max(1, -(-len(x) // max(2, width // 8)))
    positions = list(range(len(x), 0, -step))[::-1]
    figure.ruler("x").ticks(positions, labels=[_("week {n}").format(n=p) for p in positions])
    figure.ruler("x").lim(0.4, len(x) + 0.6)
    _count_ticks(figure, max(course.meetings, default=0))
    legend = _legend([_("meetings (left)"), _("well-being % (right)")],
                     (colours.of(0), colours.accent), colours, width)
    return "\n".join(lines) + _build(figure, colours) + "\n" + legend

"""A chart from `recoveryjournal.charts`, drawn at the widget's size in the theme's colours.

Our own small widget over plotext's text output: textual-plotext pins plotext < 6,
and we use plotext 6.1.0. The chart functions return text with ANSI colours;
`Text.from_ansi` turns that into rich Text (no markup is parsed, so labels the
person typed, such as trigger names, cannot inject markup).
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.color import Color
from textual.widgets import Static

from ...charts import ChartColours, readable_on

# A chart function bound to its series: (width, height, colours) -> text.
Draw = Callable[[int, int, ChartColours], str]


def theme_colours(variables: dict[str, str], *, colour: bool = True) -> ChartColours:
    """ChartColours from the app's CSS variables (`App.get_css_variables()`), so a
    chart follows the theme the person picked. A theme colour too close to the
    background to read (e.g. a dark "secondary" on a dark theme) is passed over;
    axis labels reach WCAG AA (4.5:1) against the background in every theme, and
    the dots of empty days 3:1. `colour=False` (NO_COLOR) draws plain text."""
    default = ChartColours()

    def parse(name: str) -> Color | None:
        try:
            return Color.parse(variables[name]) if variables.get(name) else None
        except Exception:  # a theme variable we cannot read: use our own colour
            return None

    background = parse("background") or Color(0, 0, 0)
    foreground = parse("foreground") or Color(200, 200, 200)
    if background.ansi is not None:
        # An ANSI theme: the terminal's own colours, unknown to us. Axes and labels
        # in the terminal's own text colour are readable on its own background.
        return ChartColours(colour=colour, text=None)

    def contrast(colour: Color) -> float:
        return abs(colour.brightness - background.brightness)

    def adjusted(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
        """Our own colour, darkened on a light theme (lightened on a dark one) to read."""
        colour = Color(*rgb)
        for _step in range(8):
            if contrast(colour) >= 0.25:
                break
            colour = colour.darken(0.1) if background.brightness > 0.5 else colour.lighten(0.1)
        return colour.rgb

    def readable(*names: str, fallback: tuple[int, int, int]) -> tuple[int, int, int]:
        for name in names:
            colour = parse(name)
            if colour is not None and contrast(colour) >= 0.25:
                return colour.rgb
        return adjusted(fallback)

    series = [readable(name, fallback=default.series[index])
              for index, name in enumerate(("primary", "accent", "success", "secondary"))]
    unique = list(dict.fromkeys(series))  # two theme variables may share a colour
    unique += [adjusted(c) for c in default.series if adjusted(c) not in unique]
    return ChartColours(
        colour=colour,
        text=readable_on(foreground.rgb, background.rgb),
        series=tuple(unique),
        accent=readable("success", fallback=default.accent),
        warning=readable("warning", fallback=default.warning),
        muted=readable_on(background.blend(foreground, 0.45).rgb, background.rgb, 3.0),
    )


class Chart(Static):
    """Shows one chart; `show(draw)` swaps it, a resize or theme change redraws it."""

    DEFAULT_CSS = """
    Chart { height: 1fr; width: 1fr; }
    """

    def __init__(self, draw: Draw | None = None, **kwargs) -> None:
        super().__init__("", **kwargs)
        self._draw = draw
        self.plain = ""  # the last chart as plain text, for tests and screen readers

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.redraw())
        self.redraw()

    def show(self, draw: Draw) -> None:
        self._draw = draw
        self.redraw()

    def on_resize(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        if self._draw is None or not self.is_mounted:
            return
        width, height = self.content_size
        if width < 10 or height < 5:
            return
        colours = theme_colours(self.app.get_css_variables(), colour=not self.app.no_color)
        text = self._draw(width, height, colours)
        rich_text = Text.from_ansi(text, no_wrap=True, overflow="crop")
        self.plain = rich_text.plain
        self.update(rich_text)

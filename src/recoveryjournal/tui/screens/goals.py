"""Goals, one per tracked addiction: not using at all, or a limit per day or per week
in the addiction's own unit (drinks, hours, cigarettes, binges), and what one use
costs. Cutting down is a goal like any other: the dashboard and Progress follow it
("days within my limit" instead of "days since last use")."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Select, Static

from ...i18n import N_, _
from ...i18n.labels import addiction_label
from ...journal import Journal
from ...records import InvalidRecord
from ...safetext import one_line
from ...vault.errors import JournalError
from .log_use import parse_amount
from ..widgets.keys_footer import KeysFooter

GOAL_CHOICES = (("abstinence", N_("Not at all")), ("limit-per-day", N_("A limit per day")),
                ("limit-per-week", N_("A limit per week")))


class GoalsScreen(Screen):
    """One row per tracked addiction; Ctrl+S saves, Esc leaves without saving."""

    CSS_PATH = "goals.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "close", N_("Back without saving")),
    ]

    def __init__(self, journal: Journal):
        super().__init__()
        self.journal = journal
        self.addictions = list(journal.settings().addictions)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="goals"):
            with Vertical(classes="column"):
                yield Static(_("My goals"), classes="title")
                yield Static(_("For each addiction: not at all, or a limit you set yourself. "
                               "The limit and the cost of one use are in your own unit "
                               "(drinks, hours, cigarettes...)."), classes="hint")
                if not self.addictions:
                    yield Static(_("Nothing tracked yet. Add an addiction in Settings (s)."))
                with Horizontal(classes="goal-row goal-head"):
                    yield Static("", classes="goal-name")
                    yield Static(_("Goal"), classes="goal-kind")
                    yield Static(_("Limit"), classes="goal-number")
                    yield Static(_("Unit"), classes="goal-unit")
                    yield Static(_("Cost per use"), classes="goal-number")
                for index, addiction in enumerate(self.addictions):
                    with Horizontal(classes="goal-row"):
                        yield Static(Content(one_line(addiction_label(addiction.name), 14)),
                                     classes="goal-name")
                        yield Select([(_(label), key) for key, label in GOAL_CHOICES],
                                     value=addiction.goal, allow_blank=False,
                                     id=f"goal-{index}", classes="goal-kind")
                        yield Input(_number_text(addiction.limit), id=f"limit-{index}",
                                    max_length=10, classes="goal-number")
                        yield Input(addiction.unit, id=f"unit-{index}", max_length=30,
                                    placeholder=_("unit"), classes="goal-unit")
                        yield Input(_number_text(addiction.cost_per_use), id=f"cost-{index}",
                                    max_length=10, classes="goal-number")
                yield Static(_("A group course (optional): the day it began and how many "
                               "weeks it runs. Progress then shows where you are in it."),
                             classes="hint course-hint")
                settings = self.journal.settings()
                with Horizontal(classes="goal-row"):
                    yield Static(_("Course"), classes="goal-name")
                    yield Input(settings.course_start.isoformat() if settings.course_start else "",
                                id="course-start", max_length=10, placeholder=_("YYYY-MM-DD"),
                                classes="goal-unit")
                    yield Input(str(settings.course_weeks), id="course-weeks", max_length=3,
                                classes="goal-number")
                    yield Static(_("weeks"), classes="goal-after")
                with Horizontal(id="goals-buttons"):
                    yield Button(_("Save"), variant="primary", id="goals-save")
                    yield Static("", id="goals-message", classes="message")
        yield KeysFooter()

    def on_mount(self) -> None:
        if self.addictions:
            self.query_one("#goal-0").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "goals-save":
            self.action_save()

    def action_save(self) -> None:
        message = self.query_one("#goals-message", Static)
        settings = self.journal.settings()
        for index, addiction in enumerate(self.addictions):
            tracked = settings.addiction(addiction.name)
            if tracked is None:
                continue
            goal = self.query_one(f"#goal-{index}", Select).value
            try:
                limit = parse_amount(self.query_one(f"#limit-{index}", Input).value)
                cost = parse_amount(self.query_one(f"#cost-{index}", Input).value)
            except ValueError:
                message.update(Content(_("Limits and costs are numbers (or left empty).")))
                return
            if goal != "abstinence" and limit is None:
                message.update(Content(_("A limit goal needs the limit: how much, at most "
                                         "({name}).").format(name=addiction_label(tracked.name))))
                return
            tracked.goal = str(goal)
            tracked.limit = limit if goal != "abstinence" else None
            tracked.unit = " ".join(self.query_one(f"#unit-{index}", Input).value.split())
            tracked.cost_per_use = cost
        start_text = self.query_one("#course-start", Input).value.strip()
        try:
            settings.course_start = date.fromisoformat(start_text) if start_text else None
            settings.course_weeks = int(self.query_one("#course-weeks", Input).value or "16")
        except ValueError:
            message.update(Content(_("The course: the day as YYYY-MM-DD and the weeks as a "
                                     "whole number.")))
            return
        try:
            self.journal.save_settings(settings)
        except (InvalidRecord, JournalError) as exc:
            message.update(Content(str(exc)))
            return
        self.app.notify(_("Goals saved."))
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)

"""Urge now: log an urge in a few keys, ride it out with a coping tool, re-rate it.

The urge is saved the moment its strength is given (step one), so leaving halfway
never loses it. Then the urge log, one key a question and each skippable: what set
it off, where, who was there, what I felt, what the urge said; the person's own
earlier answers come first. `c` goes straight to the coping tools, and what was left
is asked after the re-rate, when the worst is over; each coping tool tried is added
to it at once, and the end updates it with the strength afterwards and how it went.
The full exercises open in their own screens (ExercisesScreen, SafetyPlanScreen).

This is the screen for a person in crisis, so it must open at once (100 ms on a
ten-year journal, bench/urge_now_paint.py): the first paint holds only the first
question, each later step is built when it is reached, the person's earlier answers
are read in a thread only after the strength is given, and the style sheet is
loaded with the app, not when the screen first opens.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from ... import insights, records
from ...i18n import N_, _
from ...i18n.labels import addiction_label
from ...journal import Journal
from ...records import BUILTIN_ADDICTIONS, ExerciseResponse, InvalidRecord, Urge
from ...safetext import one_line
from ...vault.errors import JournalError
from ..widgets.keys_footer import KeysFooter
from ..widgets.scale import Scale

SURF_MINUTES = 10
DELAY_MINUTES = 15


# Coping tools offered, by the id stored in Urge.coping (exercise ids where one exists).
TOOLS = ("urge-surfing", "delay", "play-the-tape", "call")


def tool_label(tool: str) -> str:
    return {
        "urge-surfing": _("Ride the wave: urge surfing with a {n}-minute timer").format(n=SURF_MINUTES),
        "delay": _("Delay: wait {n} minutes before deciding anything").format(n=DELAY_MINUTES),
        "play-the-tape": _("Play the tape through: picture what happens next"),
        "call": _("Call someone from your safety plan"),
    }[tool]


def tool_text(tool: str) -> str:
    """Short built-in guidance, shown whether or not the full exercise is installed."""
    return {
        "urge-surfing": _(
            "Sit comfortably and breathe slowly. Notice where you feel the urge in your "
            "body. You do not have to act on it: watch it rise, peak and fall, like a wave.\n"
            "Each minute, press a digit (0-9, → for 10) to note how strong it is."),
        "delay": _(
            "Tell yourself: I can decide in {n} minutes, not now. Meanwhile do something "
            "else: a glass of water, a walk round the block, a shower, a few lines in the "
            "journal. Urges usually ease while you wait.").format(n=DELAY_MINUTES),
        "play-the-tape": _(
            "Play the whole film, not only the first minutes. If you use now, what happens "
            "in an hour? Tonight? Tomorrow morning? Who else is in the film? Then play the "
            "other film: the evening and morning if you get through this without using."),
        "call": _(
            "Talking takes the edge off an urge. Call or text someone; you do not have to "
            "explain everything, \"I have a strong urge, can we talk for five minutes?\" "
            "is enough."),
    }[tool]


# The urge log's questions, and a few common answers offered after the person's own.
LOG_QUESTIONS = {
    "trigger": N_("What set it off?"),
    "place": N_("Where were you?"),
    "people": N_("Who was there?"),
    "feelings": N_("What did you feel?"),
    "thought": N_("What did the urge say? (the thought that came with it)"),
}
COMMON_ANSWERS = {
    "trigger": (N_("stress"), N_("boredom"), N_("tiredness"), N_("a conflict"), N_("payday"),
                N_("a celebration"), N_("being alone")),
    "place": (N_("at home"), N_("at work"), N_("out with friends"), N_("on the way home"),
              N_("online")),
    "people": (N_("alone"), N_("partner"), N_("friends"), N_("family"), N_("colleagues")),
    "feelings": (N_("stressed"), N_("bored"), N_("lonely"), N_("sad"), N_("angry"),
                 N_("anxious"), N_("tired"), N_("happy")),
    "thought": (N_("just one won't hurt"), N_("I deserve it"), N_("I can't cope without it"),
                N_("nobody will know")),
}
LOG_OFFERED = 8  # answers shown per question: the list fits 80x24 with the question


def log_choices(field: str, earlier: list[str]) -> list[str]:
    """The answers offered for one question: the person's own first, then common
    ones they have not used, in the current language."""
    offered = list(earlier[:LOG_OFFERED])
    seen = {answer.casefold() for answer in offered}
    for common in COMMON_ANSWERS[field]:
        text = _(common)
        if len(offered) >= LOG_OFFERED:
            break
        if text.casefold() not in seen:
            offered.append(text)
            seen.add(text.casefold())
    return offered


def _format_seconds(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class UrgeNowScreen(Screen):
    """A calm screen for the moment an urge comes."""

    # Also loaded with the app (app.py): loading a style sheet when the screen first
    # opens restyles every widget of the app, a tenth of a second on a busy machine.
    # Absolute (resolved, as app.py reads it at start): a subclass elsewhere (tests)
    # would look for a relative one beside its own file.
    CSS_PATH = str(Path(__file__).resolve().with_name("urge_now.tcss"))
    AUTO_FOCUS = "#addiction-list, #rate-before"
    BINDINGS = [
        Binding("escape", "close", N_("Back")),
        Binding("d", "rate_after", N_("Rate it now"), show=True),
        Binding("s", "log_skip", N_("Skip"), show=True),
        Binding("c", "log_coping", N_("To what helps"), show=True),
        Binding("o", "open_exercise", N_("Full exercise"), show=False),
    ]

    def __init__(self, journal: Journal):
        super().__init__()
        self.journal = journal
        self.urge: Urge | None = None
        self.addiction: str | None = None
        self.tool: str | None = None
        self.seconds_left = 0
        self.elapsed = 0
        self.wave: list[dict[str, int]] = []
        self.wave_response: ExerciseResponse | None = None
        self._timer = None
        self.step = "addiction"
        self.surf_elapsed = 0  # how far the wave got, if it was left halfway
        self.last_rating: int | None = None  # the re-rate starts here, not at the first
        self.log_pending: list[str] = []  # urge-log questions not answered or skipped yet
        self.log_started = False
        self.log_after = False  # asking what was left, after the re-rate
        self.log_offered: list[str] = []
        self.earlier: dict[str, list[str]] | None = None  # filled by a worker
        self.tracked = journal.tracked_addictions() or list(BUILTIN_ADDICTIONS)
        if len(self.tracked) == 1:
            self.addiction = self.tracked[0]

    # ---- layout --------------------------------------------------------------------
    # The first paint holds only the first question (which addiction, or how strong),
    # so the screen opens at once on a busy machine: every widget costs styling and
    # layout. Each later step is built when it is first reached (`_go`).

    def compose(self) -> ComposeResult:
        first = "rate" if len(self.tracked) == 1 else "addiction"
        self.step = first
        yield Header()
        scroll = VerticalScroll(id="urge-now")
        scroll.can_focus = False  # focus goes to the question, not to the page
        with scroll:
            with Vertical(classes="column"):
                yield Static(_("An urge, right now"), classes="title")
                yield Static(_("Urges rise, peak and pass. Let us note this one, then ride it out."),
                             id="urge-intro", classes="hint")
                with ContentSwitcher(initial=f"step-{first}", id="urge-steps"):
                    yield Vertical(*self._step_widgets(first), id=f"step-{first}")
        yield KeysFooter()

    def _step_widgets(self, step: str) -> list[Widget]:
        """The widgets of one step, as they look when the step is first shown."""
        rating = 5 if self.last_rating is None else self.last_rating
        if step == "addiction":
            options = [Option(Content(one_line(addiction_label(name), 40)), id=f"a-{index}")
                       for index, name in enumerate(self.tracked)]
            return [Static(_("Which addiction is it about?"), classes="question"),
                    OptionList(*options, id="addiction-list")]
        if step == "rate":
            return [Static(self._rate_question(), id="rate-question", classes="question"),
                    self._scale(rating, "rate-before")]
        if step == "log":
            return [Static(id="log-question", classes="question"),
                    OptionList(id="log-options"),
                    Input(id="log-new", max_length=200,
                          placeholder=_("or type your own, then Enter")),
                    Static(id="log-keys", classes="hint")]
        if step == "cope":
            return [Static(self._saved_text(), id="saved-line", classes="message -ok"),
                    Static(_("What would help now? Pick one, or several one after another."),
                           classes="question"),
                    OptionList(*self._tool_options(), id="tool-list")]
        if step == "tool":
            return [Static(id="tool-title", classes="question"),
                    Static(id="tool-text"),
                    Static(id="tool-extra"),
                    Static(id="tool-timer", classes="timer"),
                    self._scale(rating, "rate-wave"),
                    Static(id="tool-keys", classes="hint")]
        if step == "after":
            return [Static(_("How strong is the urge now?"), classes="question"),
                    self._scale(rating, "rate-after")]
        if step == "outcome":
            return [Static(_("How did it go?"), classes="question"),
                    OptionList(
                        Option(_("I got through it without using"), id="resisted"),
                        Option(_("I used. That is information to learn from, not a verdict."),
                               id="acted"),
                        id="outcome-list")]
        assert step == "done", step
        return [Static(id="done-text"), OptionList(id="done-next")]

    @staticmethod
    def _scale(value: int, scale_id: str) -> Scale:
        return Scale(value, confirm=True, bar=True, id=scale_id, hint=_(
            "0 none · 10 the strongest · a digit (1 then 0 for 10) or ← →, then Enter"))

    def _rate_question(self) -> Content:
        return Content(_("How strong is the urge ({addiction}), from 0 to 10?").format(
            addiction=one_line(addiction_label(self.addiction or ""), 40)))

    def _saved_text(self) -> Content:
        if self.urge is None:
            return Content("")
        return Content(_("Saved: an urge of {n} out of 10. You noticed it, and that is the "
                         "first step.").format(n=self.urge.intensity))

    def _tool_options(self) -> list[Option]:
        options = [Option(tool_label(tool), id=tool) for tool in TOOLS]
        options.append(Option(_("Open all exercises"), id="exercises"))
        options.append(Option(_("I am through the worst: rate the urge now"), id="done"))
        return options

    def on_mount(self) -> None:
        if self.step == "addiction":
            self.query_one("#addiction-list", OptionList).highlighted = 0

    async def _go(self, step: str) -> None:
        """Show `step`, building it the first time it is reached."""
        switcher = self.query_one("#urge-steps", ContentSwitcher)
        if not switcher.query_children(f"#step-{step}"):
            await switcher.mount(Vertical(*self._step_widgets(step), id=f"step-{step}"))
        self.step = step
        switcher.current = f"step-{step}"
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("log_skip", "log_coping"):
            return self.step == "log"
        if action == "rate_after":
            return self.step in ("cope", "tool")
        if action == "open_exercise":
            return self.step == "tool" and self.tool in ("urge-surfing", "play-the-tape", "call")
        return True

    # ---- step 1: which addiction, how strong -------------------------------------------

    @on(OptionList.OptionSelected, "#addiction-list")
    async def _addiction_chosen(self, event: OptionList.OptionSelected) -> None:
        self.addiction = self.tracked[event.option_index]
        await self._go("rate")
        self.query_one("#rate-question", Static).update(self._rate_question())
        self.query_one("#rate-before").focus()

    @on(Scale.Chosen, "#rate-before")
    async def _rated_before(self, event: Scale.Chosen) -> None:
        assert self.addiction is not None
        if self.urge is None:
            try:
                if self.journal.settings().addiction(self.addiction) is None:
                    self.journal.track(self.addiction)
                self.urge = self.journal.add(Urge(
                    addiction=records.normalise_addiction(self.addiction),
                    intensity=event.value, when=_now(self)))
            except (InvalidRecord, JournalError) as exc:
                self._not_saved(exc)  # the rating stays: Enter tries again
                return
        else:
            self._save_urge(intensity=event.value)
        for line in self.query("#saved-line").results(Static):
            line.update(self._saved_text())
        self.last_rating = event.value
        for scale in self.query("#rate-after, #rate-wave").results(Scale):
            scale.value = event.value
        if not self.log_started:
            self.log_started = True
            self.log_pending = list(insights.URGE_LOG_FIELDS)
            # Only now, not on opening: reading ten years of urges in a thread while
            # the screen is first drawn would slow the drawing (one GIL), and the
            # index lock would hold the screen until the urges are decoded.
            self._gather_earlier_answers()
        await self._next_log_question()

    # ---- the urge log: what set it off, where, who, what I felt, what it said -----------------

    @work(thread=True, exclusive=True, group="earlier-answers", exit_on_error=False)
    def _gather_earlier_answers(self) -> None:
        """The person's own earlier answers, in a thread: on a ten-year journal this
        reads 50,000 urges, and "Urge now" must open at once."""
        found = insights.earlier_answers(self.journal.records(Urge))
        self.app.call_from_thread(self._earlier_ready, found)

    async def _earlier_ready(self, found: dict[str, list[str]]) -> None:
        self.earlier = found
        if self.step == "log" and self.log_pending:
            options = self.query_one("#log-options", OptionList)
            if not options.highlighted:  # the person has not moved yet: offer theirs first
                await self._ask(self.log_pending[0])

    async def _next_log_question(self) -> None:
        if self.log_pending:
            await self._ask(self.log_pending[0])
        elif self.log_after:
            await self._show_outcome()
        else:
            await self._show_tools()

    async def _ask(self, field: str) -> None:
        question = _(LOG_QUESTIONS[field])
        if self.log_after:
            question = _("Now that it has eased: {question}").format(question=question)
        await self._go("log")
        self.query_one("#log-question", Static).update(Content(question))
        earlier = (self.earlier or {}).get(field, [])
        self.log_offered = log_choices(field, earlier)
        options = self.query_one("#log-options", OptionList)
        options.clear_options()
        options.add_options([Option(Content(one_line(text, 70))) for text in self.log_offered])
        self.query_one("#log-new", Input).value = ""
        if self.log_after:
            keys = _("Enter: choose · Tab: type your own · s: skip · c: done with these")
        else:
            keys = _("Enter: choose · Tab: type your own · s: skip · c: straight to what helps")
        self.query_one("#log-keys", Static).update(Content(keys))
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#log-options")
    async def _log_chosen(self, event: OptionList.OptionSelected) -> None:
        await self._log_answer(self.log_offered[event.option_index])

    @on(Input.Submitted, "#log-new")
    async def _log_typed(self, event: Input.Submitted) -> None:
        text = " ".join(event.value.split())
        if text:
            await self._log_answer(text)
        else:
            await self.action_log_skip()

    def _save_urge(self, **changes: object) -> None:
        """Save the urge with `changes`, as a changed copy: the record the journal
        holds changes only once the save is done (a failed save, say a full disk,
        leaves it as it was saved), and its label lists are never changed in place
        (they are shared, records.LabelList)."""
        assert self.urge is not None
        try:
            self.urge = self.journal.update(dataclasses.replace(self.urge, **changes))
        except (InvalidRecord, JournalError) as exc:
            self._not_saved(exc)

    def _not_saved(self, exc: Exception) -> None:
        """A save that failed (a full or read-only disk) says why and the screen goes
        on: in the middle of an urge, the tools matter more than the record, and
        stopping the app here would take them away."""
        self.app.notify(str(exc), severity="warning", markup=False)

    async def _log_answer(self, text: str) -> None:
        assert self.urge is not None and self.log_pending
        field = self.log_pending.pop(0)
        if field == "feelings":
            feelings = self.urge.feelings
            self._save_urge(feelings=feelings if text in feelings else [*feelings, text])
        elif field == "trigger":
            self._save_urge(trigger=records.normalise_addiction(text))  # compared lower-case
        else:
            self._save_urge(**{field: text})
        await self._next_log_question()

    async def action_log_skip(self) -> None:
        """Skip this question for good (it is not asked again after the re-rate)."""
        if self.log_pending:
            self.log_pending.pop(0)
        await self._next_log_question()

    async def action_log_coping(self) -> None:
        """Straight to the coping tools; what is left is asked after the re-rate."""
        if self.log_after:
            self.log_pending = []
            await self._show_outcome()
        else:
            await self._show_tools()

    # ---- step 2: coping tools ----------------------------------------------------------

    async def _show_tools(self) -> None:
        if self.step == "tool" and self.tool == "urge-surfing":
            self.surf_elapsed = self.elapsed
        self._stop_timer()
        await self._go("cope")
        tools = self.query_one("#tool-list", OptionList)
        tools.highlighted = 0
        tools.focus()

    @on(OptionList.OptionSelected, "#tool-list")
    async def _tool_chosen(self, event: OptionList.OptionSelected) -> None:
        tool = event.option.id
        if tool == "done":
            await self.action_rate_after()
            return
        if tool == "exercises":
            from .exercises.choose import ExercisesScreen

            self.app.push_screen(ExercisesScreen(self.journal))
            return
        assert tool is not None and self.urge is not None
        if tool not in self.urge.coping:
            self._save_urge(coping=[*self.urge.coping, tool])
        await self._show_tool(tool)

    async def _show_tool(self, tool: str) -> None:
        self.tool = tool
        await self._go("tool")
        self.query_one("#tool-title", Static).update(Content(tool_label(tool)))
        self.query_one("#tool-text", Static).update(Content(tool_text(tool)))
        extra = self._tool_extra(tool)
        self.query_one("#tool-extra", Static).update(extra)
        self.query_one("#tool-extra").display = bool(extra.plain)
        wave_scale = self.query_one("#rate-wave", Scale)
        wave_scale.display = tool == "urge-surfing"
        timer = self.query_one("#tool-timer", Static)
        timer.display = tool in ("urge-surfing", "delay")
        self.refresh_bindings()  # "o" depends on the tool
        if tool == "urge-surfing":
            # Enter has one meaning here: note the strength. Leaving is Esc, and asks.
            keys = [_("Enter notes how strong it is"), _("Esc: back to the list"),
                    _("d: rate the urge now")]
        else:
            keys = [_("Enter or Esc: back to the list"), _("d: rate the urge now")]
        if self.check_action("open_exercise", ()) and self._exercise_screen_for(tool):
            keys.append(_("o: the full exercise") if tool != "call" else _("o: your safety plan"))
        self.query_one("#tool-keys", Static).update(Content(" · ".join(keys)))
        if tool == "urge-surfing":
            if self.wave and self.surf_elapsed < SURF_MINUTES * 60:
                # Back to a wave stopped halfway: it goes on where it was, readings kept.
                self._start_timer(SURF_MINUTES * 60 - self.surf_elapsed,
                                  elapsed=self.surf_elapsed)
            else:
                self.wave = [{"minute": 0, "strength": self.urge.intensity if self.urge else 5}]
                self._start_timer(SURF_MINUTES * 60)
            wave_scale.focus()
        elif tool == "delay":
            self._start_timer(DELAY_MINUTES * 60)
            self.query_one("#tool-keys").focus()
        else:
            self.query_one("#tool-keys").focus()

    def _tool_extra(self, tool: str) -> Content:
        if tool != "call":
            return Content("")
        people = _safety_plan_people(self.journal)
        if not people:
            return Content(_("Your safety plan has no one to call yet. F2 opens it to add someone."))
        lines = [Content(_("From your safety plan:"))]
        lines += [Content("  • " + one_line(person, 60)) for person in people[:5]]
        return Content("\n").join(lines)

    async def on_key(self, event) -> None:
        # Enter on a tool page (whose text is not a control) goes back to the list.
        if self.step == "tool" and event.key == "enter" and self.tool != "urge-surfing":
            event.stop()
            await self._show_tools()

    @on(Scale.Changed, "#rate-wave")
    def _wave_changed(self, event: Scale.Changed) -> None:
        if self.step == "tool" and self.tool == "urge-surfing" and self.seconds_left:
            self._note_wave(event.value)

    @on(Scale.Chosen, "#rate-wave")
    def _wave_enter(self, event: Scale.Chosen) -> None:
        # Enter keeps the rating and stays on the timer: the wave goes on.
        self._note_wave(event.value)
        self._save_wave()
        self.notify(_("Noted: {n} out of 10.").format(n=event.value), timeout=2)

    def _note_wave(self, value: int) -> None:
        """A rating during minute n of the timer (minute 0 is the rating it started
        with); a minute without a rating is simply absent (exercises/README.md)."""
        minute = self.elapsed // 60 + 1
        self.last_rating = value
        if self.wave and self.wave[-1]["minute"] == minute:
            self.wave[-1]["strength"] = value
        else:
            self.wave.append({"minute": minute, "strength": value})

    # ---- timers --------------------------------------------------------------------------

    def _start_timer(self, seconds: int, elapsed: int = 0) -> None:
        self._stop_timer()
        self.seconds_left = seconds
        self.elapsed = elapsed
        self._show_time()
        self._timer = self.set_interval(1.0, self.tick)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def tick(self, seconds: int = 1) -> None:
        """One second passed (tests call it directly instead of waiting)."""
        self.elapsed += seconds
        self.seconds_left = max(0, self.seconds_left - seconds)
        self._show_time()
        if self.seconds_left == 0:
            self._stop_timer()
            if self.tool == "urge-surfing":
                self._save_wave()

    def _show_time(self) -> None:
        if self.seconds_left:
            text = _("{time} left").format(time=_format_seconds(self.seconds_left))
            if self.tool == "urge-surfing":
                text += "  ·  " + _("minute {n}: how strong is it now?").format(n=self.elapsed // 60 + 1)
        else:
            text = _("Time is up. How is the urge now? Press d to rate it.")
        self.query_one("#tool-timer", Static).update(Content(text))

    def _save_wave(self) -> None:
        """Keep the readings as an urge-surfing response, so the wave can be charted."""
        if len(self.wave) < 1 or self.tool != "urge-surfing" and self.wave_response is None:
            return
        if self.wave_response is None:
            self.wave_response = ExerciseResponse(exercise_id="urge-surfing", exercise_version=1,
                                                  when=_now(self))
            self.wave_response.answers = {"notice": "", "wave": list(self.wave), "learned": ""}
            try:
                self.journal.add(self.wave_response)
            except (InvalidRecord, JournalError) as exc:
                self.wave_response = None  # not kept: the next reading tries again
                self._not_saved(exc)
        else:
            answers = {**self.wave_response.answers, "wave": list(self.wave)}
            try:
                self.wave_response = self.journal.update(
                    dataclasses.replace(self.wave_response, answers=answers))
            except (InvalidRecord, JournalError) as exc:
                self._not_saved(exc)

    # ---- step 3: after -------------------------------------------------------------------

    async def action_rate_after(self) -> None:
        if self.urge is None:
            return
        if self.tool == "urge-surfing":
            self._save_wave()
        self._stop_timer()
        await self._go("after")
        if self.last_rating is not None:
            self.query_one("#rate-after", Scale).value = self.last_rating
        self.query_one("#rate-after").focus()

    @on(Scale.Chosen, "#rate-after")
    async def _rated_after(self, event: Scale.Chosen) -> None:
        assert self.urge is not None
        self._save_urge(intensity_after=event.value)
        if self.log_pending:
            self.log_after = True
            await self._ask(self.log_pending[0])
            return
        await self._show_outcome()

    async def _show_outcome(self) -> None:
        await self._go("outcome")
        outcomes = self.query_one("#outcome-list", OptionList)
        outcomes.highlighted = 0
        outcomes.focus()

    @on(OptionList.OptionSelected, "#outcome-list")
    async def _outcome_chosen(self, event: OptionList.OptionSelected) -> None:
        assert self.urge is not None and event.option.id in records.URGE_OUTCOMES
        self._save_urge(outcome=event.option.id)
        before, after = self.urge.intensity, self.urge.intensity_after
        if event.option.id == "resisted":
            text = _("Well done. The urge went from {before} to {after}, and you got through it.")
        else:
            text = _("Thank you for being honest with yourself. The urge went from {before} to "
                     "{after}. Noticing what happened is how the next time goes differently.")
        text = text.format(before=before, after=after)
        await self._go("done")
        next_steps = self.query_one("#done-next", OptionList)
        next_steps.clear_options()
        if event.option.id == "acted":
            # The urge says it was acted on; the use itself (when, how much) is a
            # record of its own, so streaks and charts count it. Offered, one key.
            text += "\n\n" + _("It is saved. You can note the use too (when, how much), so "
                                "your days and charts stay true.")
            next_steps.add_options([Option(_("Log the use now"), id="log-use"),
                                    Option(_("Not now: back"), id="back")])
        else:
            text += "\n\n" + _("It is saved. Press Esc to go back.")
        next_steps.display = event.option.id == "acted"
        self.query_one("#done-text", Static).update(Content(text))
        if event.option.id == "acted":
            next_steps.highlighted = 0
            next_steps.focus()

    @on(OptionList.OptionSelected, "#done-next")
    async def _done_next(self, event: OptionList.OptionSelected) -> None:
        if event.option.id != "log-use":
            await self.action_close()
            return
        from .log_use import LogUseScreen

        async def logged(use) -> None:
            if use is not None:  # back to the dashboard, where the new numbers are
                await self.action_close()

        self.app.push_screen(LogUseScreen(self.journal, self.addiction), logged)

    # ---- leaving, drafts, other screens -----------------------------------------------------

    def save_draft(self) -> None:
        """Before a lock or quit: the urge is saved already; keep the wave so far too."""
        if self.tool == "urge-surfing" and len(self.wave) > 1:
            self._save_wave()

    async def action_close(self) -> None:
        """Esc: from a tool back to the list of tools; otherwise leave (the urge is saved).
        A running urge-surfing timer is not stopped by one stray key: it asks first."""
        if self.step == "tool" and self.tool == "urge-surfing" and self.seconds_left:
            from ..widgets.confirm import ConfirmScreen

            self.app.push_screen(ConfirmScreen(
                _("The timer is still running ({time} left). Stop it and go back to the list?")
                .format(time=_format_seconds(self.seconds_left)),
                yes=_("Stop the timer"), no=_("Keep going"), danger=True), self._stop_answer)
            return
        self.save_draft()
        if self.step == "tool":
            await self._show_tools()
            return
        self._stop_timer()
        self.app.pop_screen()

    async def _stop_answer(self, stop: bool | None) -> None:
        if stop:
            self.save_draft()
            await self._show_tools()
        else:
            self.query_one("#rate-wave").focus()

    def action_open_exercise(self) -> None:
        screen = self._exercise_screen_for(self.tool or "")
        if screen is not None:
            self.app.push_screen(screen)

    def _exercise_screen_for(self, tool: str) -> Screen | None:
        if tool == "call":
            from .safety_plan import SafetyPlanScreen

            return SafetyPlanScreen(self.journal)
        if tool in ("urge-surfing", "play-the-tape"):
            return _exercise_screen(self.journal, tool)
        return None


def _exercise_screen(journal: Journal, exercise_id: str) -> Screen:
    """The exercise's own screen, or the list of exercises when its file is gone
    (a person's own folder may replace or remove a shipped exercise)."""
    from ...exercises import load_exercises
    from .exercises.choose import ExercisesScreen
    from .exercises.run import ExerciseRunScreen

    exercise = load_exercises().get(exercise_id)
    if exercise is not None:
        return ExerciseRunScreen(journal, exercise)
    return ExercisesScreen(journal)


def _safety_plan_people(journal: Journal) -> list[str]:
    """Who to call, from the newest saved safety plan (exercises/README.md)."""
    plans = [r for r in journal.records(ExerciseResponse) if r.exercise_id == "safety-plan"]
    if not plans:
        return []
    people: list = []
    # Version 2 of the plan keeps professionals and crisis lines in a step of their own.
    for step in ("who_to_call", "professionals"):
        answer = plans[-1].answers.get(step) or []
        people += answer.splitlines() if isinstance(answer, str) else list(answer)
    return [p for p in (str(person).strip() for person in people) if p]


def _now(screen: Screen):
    """The app's clock when it has one (tests fix it), else the real local time."""
    clock = getattr(screen.app, "clock", None)
    return clock() if callable(clock) else records.now()

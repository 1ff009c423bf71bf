"""First run: welcome, a passphrase, the recovery code (and a check it was
written down), then the addictions to track.

The steps, in order, are `STEPS`. The welcome step also offers the languages:
it starts in the one LANG / LC_MESSAGES names, a choice re-draws the screen in
the chosen one (`i18n.set_language()`), and it is stored in `settings.language`
as soon as the journal exists.
The journal file is created as soon as the passphrase is confirmed; if the
person stops before the last step, the next unlock resumes at "addictions"
(`Settings.onboarded` is still False).
"""

from __future__ import annotations

import secrets

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, ContentSwitcher, Input, SelectionList, Static

from ... import crisis_lines, records
from ...i18n import LANGUAGES, N_, _, current_language
from ...i18n.labels import addiction_label
from ...journal import Journal
from ...vault.errors import JournalError
from ..passphrase import groups_match, passphrase_problem, recovery_groups_to_check, strength_meter
from ..widgets.tick_list import TickList
from ..widgets.secret_input import SecretInput
from ..widgets.keys_footer import KeysFooter
from ..widgets.recovery_code_steps import recovery_code_steps

STEPS = ("welcome", "passphrase", "recovery-code", "recovery-check", "addictions")


def parse_other_addictions(text: str) -> list[str]:
    """Names typed in the "other" box, comma-separated, normalised, without repeats."""
    names: list[str] = []
    for part in text.split(","):
        name = records.normalise_addiction(part)
        if name and name not in names:
            names.append(name)
    return names


class FirstRunScreen(Screen):
    """The whole first-run flow on one screen, one step at a time."""

    CSS_PATH = "first_run.tcss"
    BINDINGS = [
        Binding("escape", "back", N_("Back")),
        Binding("ctrl+s", "start", N_("Start")),
    ]

    def __init__(self, resume: bool = False):
        super().__init__()
        self.resume = resume
        self._code: str | None = None
        self._check_groups = (1, 2)
        self.language: str | None = None  # None: never chosen here, so settings follow LANG
        self.country: str | None = None  # None: never chosen, so the help lines follow the language

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="addictions" if self.resume else "welcome"):
            with VerticalScroll(id="welcome", classes="step"):
                # The language first: everything below it is read in the one chosen.
                with Horizontal(id="languages"):
                    yield Static(_("Language"), classes="language-label")
                    for code, name in LANGUAGES.items():
                        yield Button(name, id=f"language-{code}", compact=True,
                                     variant="primary" if code == current_language() else "default")
                # The country's help lines on the safety plan (F2); it follows the language
                # until one is picked.
                shown = crisis_lines.country(self.country)
                with Horizontal(id="countries"):
                    yield Static(_("Help lines"), classes="language-label")
                    for place in crisis_lines.load_countries():
                        yield Button(place.label(), id=f"country-{place.code}", compact=True,
                                     variant="primary" if place.code == shown.code else "default")
                yield Static(_("Welcome to recoveryjournal"), classes="title")
                yield Static(_(
                    "A private journal for your recovery: write, notice urges, do exercises "
                    "and see how far you have come. Everything you write stays encrypted on "
                    "this computer and is never sent anywhere."
                ), classes="lead")
                yield Static(_(
                    "First you choose a passphrase, then you get a recovery code to keep on "
                    "paper, and then you pick what you would like to keep track of."
                ), classes="hint")
                yield Button(_("Begin"), id="begin", variant="primary")
            with VerticalScroll(id="passphrase", classes="step"):
                yield Static(_("Choose a passphrase"), classes="title")
                yield Static(_(
                    "It opens your journal. Use at least 8 characters; a few ordinary words "
                    "in a row are easy to remember and hard to guess."
                ), classes="hint")
                yield SecretInput(placeholder=_("Passphrase"), id="new-passphrase",
                            max_length=1024)
                yield Static("", id="strength")
                yield SecretInput(placeholder=_("The same passphrase again"),
                            id="repeat-passphrase", max_length=1024)
                yield Static("", id="passphrase-message", classes="message")
            yield from recovery_code_steps()
            with Vertical(id="addictions", classes="step"):
                yield Static(_("What would you like to keep track of?"), classes="title")
                yield Static(_(
                    "Pick any number with space, or none. You can change this any time "
                    "in Settings."
                ), classes="hint")
                yield TickList[str](
                    *[(addiction_label(name), name) for name in records.BUILTIN_ADDICTIONS],
                    id="builtin", compact=True,
                )
                yield Static(_("Chosen: none yet"), id="chosen")
                # "Start" beside the box, not under it: every choice fits at 80x24 and 60x20.
                with Horizontal(id="other-row"):
                    yield Input(placeholder=_("Other (names separated by commas)"), id="other",
                                max_length=300)
                    yield Button(_("Start"), id="start", variant="primary")
                yield Static("", id="addictions-message", classes="message")
        yield KeysFooter()

    def on_mount(self) -> None:
        if self.resume:
            self._show_tracked()
        self._focus_step()

    def _show_tracked(self) -> None:
        """Resuming (a journal made by `init --track`, or first run left halfway):
        what is tracked already shows ticked, and "Chosen" says so."""
        journal = self.app.journal
        if journal is None:
            return
        tracked = journal.tracked_addictions()
        builtin = self.query_one("#builtin", SelectionList)
        for name in tracked:
            if name in records.BUILTIN_ADDICTIONS:
                builtin.select(name)
        others = [name for name in tracked if name not in records.BUILTIN_ADDICTIONS]
        self.query_one("#other", Input).value = ", ".join(others)
        self.show_chosen()

    @property
    def idle_lock_paused(self) -> bool:
        """Writing the recovery code on paper takes a while without a keystroke; an
        idle lock then would lose the only showing of the code."""
        return self._code is not None

    # ---- moving between steps ----------------------------------------------------

    def _show(self, step: str) -> None:
        self.query_one(ContentSwitcher).current = step
        self._focus_step()
        self.refresh_bindings()

    def _focus_step(self) -> None:
        step = self.query_one(ContentSwitcher).current
        first = {"welcome": "#begin", "passphrase": "#new-passphrase",
                 "recovery-code": "#written", "recovery-check": "#group-a",
                 "addictions": "#builtin"}[step or "welcome"]
        # Set at once (not deferred like `focus()`): keys typed the moment the step
        # appears must land in its first box.
        self.set_focus(self.query_one(first))

    def action_back(self) -> None:
        step = self.query_one(ContentSwitcher).current
        if step == "passphrase":
            self._show("welcome")
        elif step == "recovery-check":
            self._show("recovery-code")

    @on(Button.Pressed, "#begin")
    def begin(self) -> None:
        self._show("passphrase")

    @on(Button.Pressed, "#languages Button")
    async def choose_language(self, event: Button.Pressed) -> None:
        """Show the whole first run in the chosen language, from this step on."""
        self.app.apply_language((event.button.id or "").removeprefix("language-"))
        self.language = current_language()
        await self.recompose()
        self.query_one(f"#language-{self.language}").focus()

    @on(Button.Pressed, "#countries Button")
    def choose_country(self, event: Button.Pressed) -> None:
        """The country whose help lines the safety plan shows (also in Settings)."""
        self.country = (event.button.id or "").removeprefix("country-")
        for button in self.query("#countries Button").results(Button):
            button.variant = "primary" if button.id == event.button.id else "default"

    # ---- passphrase --------------------------------------------------------------

    @on(Input.Changed, "#new-passphrase")
    def show_strength(self, event: Input.Changed) -> None:
        self.query_one("#strength", Static).update(Content(strength_meter(event.value)))
        self._say("#passphrase-message", "")  # an old complaint is about an old passphrase

    @on(Input.Changed, "#repeat-passphrase")
    def repeat_changed(self, event: Input.Changed) -> None:
        if event.value:  # typing again: "not the same" was about the last try
            self._say("#passphrase-message", "")

    @on(Input.Submitted, "#new-passphrase")
    def next_to_repeat(self, event: Input.Submitted) -> None:
        problem = passphrase_problem(event.value)
        if problem:
            self._say("#passphrase-message", problem)
            return
        self._say("#passphrase-message", _("Now type it once more, then press Enter."))
        self.set_focus(self.query_one("#repeat-passphrase"))

    @on(Input.Submitted, "#repeat-passphrase")
    def confirm_passphrase(self, event: Input.Submitted) -> None:
        first = self.query_one("#new-passphrase", Input).value
        problem = passphrase_problem(first)
        if problem:
            self._say("#passphrase-message", problem)
            self.query_one("#new-passphrase").focus()
            return
        if event.value != first:
            self._say("#passphrase-message", _("The two passphrases are not the same. Please type it again."))
            event.input.value = ""
            return
        for box in self.query("#passphrase Input").results(Input):
            box.disabled = True
        self._say("#passphrase-message", _("Creating your journal…"))
        self.call_after_refresh(self.create_journal, first)

    def create_journal(self, passphrase: str) -> None:
        """Create the file (two key derivations) once "Creating…" is on screen."""
        try:
            journal, code = Journal.create(self.app.journal_path, passphrase)
            journal.load()
        except JournalError as exc:
            self._create_failed(str(exc))
            return
        except OSError as exc:
            self._create_failed(
                _("The journal could not be created: {reason}").format(reason=exc.strerror or exc)
            )
            return
        self._created(journal, code)

    def _create_failed(self, message: str) -> None:
        for box in self.query("#passphrase Input").results(Input):
            box.disabled = False
        self._say("#passphrase-message", message)

    def _created(self, journal: Journal, code: str) -> None:
        self.app.adopt_journal(journal)
        if self.language is not None or self.country is not None:
            try:
                settings = journal.settings()
                settings.language = self.language or ""
                settings.country = self.country or ""
                journal.save_settings(settings)
            except JournalError:
                pass  # the language can still be chosen in Settings; the journal is what matters
            self.app.apply_language(self.language or "")
        for box in self.query("#passphrase Input").results(Input):
            box.value = ""
        self._code = code
        self.query_one("#code", Static).update(Content(code))
        self._check_groups = recovery_groups_to_check(code, secrets.randbelow(1 << 16))
        a, b = self._check_groups
        self.query_one("#check-prompt", Static).update(Content(_(
            "To be sure it is written down correctly, please type group {a} and group {b} "
            "of your recovery code (the groups are the blocks between the dashes)."
        ).format(a=a, b=b)))
        self.query_one("#group-a", Input).placeholder = _("Group {n}").format(n=a)
        self.query_one("#group-b", Input).placeholder = _("Group {n}").format(n=b)
        self._show("recovery-code")

    # ---- recovery code -----------------------------------------------------------

    @on(Button.Pressed, "#written")
    def written(self) -> None:
        self._show("recovery-check")

    @on(Input.Submitted, "#group-a")
    def next_group(self) -> None:
        self._say("#check-message", _("And now group {n}.").format(n=self._check_groups[1]))
        self.set_focus(self.query_one("#group-b"))

    @on(Input.Submitted, "#group-b")
    def check_groups(self) -> None:
        if self._code is None:
            return
        a, b = self._check_groups
        typed_a = self.query_one("#group-a", Input)
        typed_b = self.query_one("#group-b", Input)
        for number, box in ((a, typed_a), (b, typed_b)):
            if not groups_match(self._code, number, box.value):
                self._say("#check-message", _(
                    "That is not quite group {n}. Have a look at what you wrote down, "
                    "or press Escape to see the code again."
                ).format(n=number))
                box.focus()
                return
        self._code = None  # the code leaves memory once it is safely on paper
        self.query_one("#code", Static).update("")
        self._show("addictions")

    # ---- addictions --------------------------------------------------------------

    @on(SelectionList.SelectedChanged, "#builtin")
    @on(Input.Changed, "#other")
    def show_chosen(self) -> None:
        chosen = list(self.query_one("#builtin", SelectionList).selected)
        chosen += parse_other_addictions(self.query_one("#other", Input).value)
        text = ", ".join(addiction_label(n) for n in chosen) if chosen else _("none yet")
        self.query_one("#chosen", Static).update(Content(_("Chosen: {names}").format(names=text)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        step = self.query_one(ContentSwitcher).current
        if action == "start":
            return step == "addictions"
        if action == "back":
            return step in ("passphrase", "recovery-check")
        return True

    @on(Input.Submitted, "#other")
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        journal = self.app.journal
        if journal is None:
            return
        chosen = list(self.query_one("#builtin", SelectionList).selected)
        others = parse_other_addictions(self.query_one("#other", Input).value)
        try:
            for name in others:
                records.Addiction(name=name).validate()
        except records.InvalidRecord as exc:
            self._say("#addictions-message", str(exc))
            return
        try:
            for name in chosen + others:
                journal.track(name)
            settings = journal.settings()
            # Unticked here means not tracked (only a resumed first run had any).
            settings.addictions = [a for a in settings.addictions if a.name in chosen + others]
            settings.onboarded = True
            journal.save_settings(settings)
        except JournalError as exc:
            self._say("#addictions-message", str(exc))
            return
        self.app.call_later(self.app.show_dashboard)

    def _say(self, selector: str, message: str) -> None:
        self.query_one(selector, Static).update(Content(message))

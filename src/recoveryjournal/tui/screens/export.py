"""Export: choose what to share, pick by hand, preview and edit exactly what
will be written, then save it (asking before replacing a file).

Three steps, in the order a person works: Choose (format, kinds, dates, tag,
private things to also share, fields to leave out, or the weekly check-in card
and what it holds), Pick (tick records by hand; for the card, its exercise of
the week) and Preview (the very text that will be written, editable, named in
the box below it). JSON and CSV are full exports for the person's own records:
their preview is a summary, because an edited JSON could no longer be imported
back losslessly.

A share is private by default (export/privacy.py): the safety plan, names, phone
numbers, places and amounts stay out unless ticked under "Also share" for this
share. What the person leaves out of every share is remembered in the sealed
settings; a tick under "Also share" never is, so nothing widens silently.
Counting and the preview are built in a worker thread, counting only after the
first paint; the Pick step is built when first opened and the style sheet is read
with the app: the screen shows sooner (bench/export_paint.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import (
    Button, Checkbox, Header, Input, RadioSet, SelectionList, Static, TextArea,
)
from textual.widgets.selection_list import Selection as Choice

from ...i18n import N_, _, ngettext
from ...journal import Journal
from ...safetext import clean, one_line
from ..keymap import translate_bindings
from ..widgets.confirm import ConfirmScreen
from ..widgets.keys_footer import KeysFooter
from ..widgets.steps import Step, Steps
from ..widgets.tick_list import ChoiceButton, TickBox, TickList

DRAFT_PURPOSE = "export:preview"
PICK_SHOWN_AT_MOST = 2000
# Past this, the preview shows the beginning read-only (a text box of years of
# entries is too slow to edit); the file still gets everything chosen.
PREVIEW_EDITABLE_AT_MOST = 400_000  # a longer list is narrowed by date first; the rest stay ticked

FORMATS = (
    ("md", N_("Markdown")),
    ("txt", N_("Plain text")),
    ("html", N_("HTML page")),
    ("json", N_("JSON (everything)")),
    ("csv", N_("CSV (a table)")),
)
EXTENSIONS = {"md": ".md", "txt": ".txt", "html": ".html", "json": ".json", "csv": ".csv"}
KIND_CHOICES = ("entry", "exercise", "urge", "use", "checkin", "mood", "meeting")
LEAVE_OUT_CHOICES = ("notes", "tags", "mood", "feelings", "coping", "addictions", "groups")
LEAVE_OUT_LABELS = {
    "notes": N_("Notes"), "tags": N_("Tags"), "mood": N_("Mood"), "feelings": N_("Feelings"),
    "coping": N_("What I did"), "addictions": N_("Addictions"), "groups": N_("Group names"),
}


class ChoiceProblem(ValueError):
    """Something in the Choose step cannot be used; the message says how to fix it."""


class ExportScreen(Screen):
    """Share with the group, or export everything for your own records."""

    # Absolute (resolved, as app.py reads it at start): a subclass elsewhere (tests)
    # would look for a relative one beside its own file.
    CSS_PATH = str(Path(__file__).resolve().with_name("export.tcss"))
    BINDINGS = [
        Binding("escape", "close", N_("Back")),
        Binding("ctrl+n", "next_step", N_("Next step")),
        Binding("ctrl+s", "save", N_("Save")),
        Binding("ctrl+r", "rebuild", N_("Rebuild preview")),
    ]

    def __init__(self, journal: Journal):
        super().__init__()
        translate_bindings(self)  # BINDINGS are made at import, before the language is known
        self.journal = journal
        self.unticked: set[str] = set()  # picked out by hand in the Pick step
        self._generated = ""  # the preview as last built; anything else is the person's edit
        self.card_exercise: str | None = None  # the card's exercise of the week, if picked
        self._preview_turn = 0  # only the newest preview build may fill the text box

    # ---- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        from ...export.checkin_card import CARD_PARTS, CARD_PARTS_SHOWN, card_part_label
        from ...export.privacy import PRIVATE_GROUPS, private_label
        from ...export.selection import plural_kind_label

        settings = self.journal.settings()
        remembered = set(settings.share_left_out)

        yield Header()
        with Steps(id="export-steps"):
            with Step(_("1 Choose"), id="choose"):
                with VerticalScroll():
                    yield Static("", id="privacy-note")
                    with Horizontal(id="choose-columns"):
                        with Vertical(classes="column"):
                            yield Static(_("Format"), classes="label")
                            with RadioSet(id="format", compact=True):
                                for index, (_code, name) in enumerate(FORMATS):
                                    yield ChoiceButton(_(name), value=index == 0)
                            yield TickBox(_("Check-in card"), id="card", compact=True)
                            yield Input(placeholder=_("One thing I worked on"), id="worked-on",
                                        compact=True, classes="card-only")
                            yield Input(placeholder=_("I'd like to bring up"),
                                        id="bring-up", compact=True, classes="card-only")
                        with Vertical(classes="column"):
                            yield Static(_("What"), classes="label")
                            yield TickList[str](
                                *[Choice(Content(plural_kind_label(k)), k, k in ("entry", "exercise"))
                                  for k in KIND_CHOICES],
                                id="kinds", compact=True, classes="records-only",
                            )
                            yield TickList[str](
                                *[Choice(Content(card_part_label(p)), p, p in CARD_PARTS_SHOWN)
                                  for p in CARD_PARTS],
                                id="card-parts", compact=True, classes="card-only",
                            )
                            yield Input(placeholder=_("from YYYY-MM-DD"), id="from", compact=True,
                                        classes="records-only")
                            yield Input(placeholder=_("to YYYY-MM-DD"), id="to", compact=True,
                                        classes="records-only")
                            yield Input(placeholder=_("tag"), id="tag", compact=True,
                                        classes="records-only")
                        with Vertical(classes="column"):
                            yield Static(_("Also share"), classes="label")
                            yield TickList[str](
                                *[Choice(Content("\u2691 " + private_label(name)), name)
                                  for name in PRIVATE_GROUPS],
                                id="include", compact=True,
                            )
                            yield Static(_("Leave out"), classes="label")
                            yield TickList[str](
                                *[Choice(Content(_(LEAVE_OUT_LABELS[name])), name,
                                         name in remembered)
                                  for name in LEAVE_OUT_CHOICES],
                                id="leave-out", compact=True,
                            )
                    yield Static("", id="choose-status")
            # Built when first opened (`_step_opened`): the screen shows sooner.
            yield Step(_("2 Pick"), id="pick")
            with Step(_("3 Preview and save"), id="preview"):
                yield Static(Content(_("Not encrypted. This is exactly what will be written; "
                                       "you can edit it.")), id="preview-notice")
                yield Static("", id="preview-marks")
                yield TextArea(_("Building the preview…"), id="preview-text", soft_wrap=True,
                               compact=True, read_only=True)
                with Horizontal(id="save-row"):
                    yield Input(id="path", compact=True)
                    yield Button(_("Save"), id="save", variant="primary", compact=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        from ...export.privacy import left_out_sentence

        self.title = _("Export")
        self.query_one("#path", Input).value = str(self._default_path())
        self._show_card_choices()
        note = self.query_one("#privacy-note", Static)
        note.display = not self.journal.settings().share_told
        if note.display:
            # The first share: one sentence on what is left out and how to add it.
            note.update(Content(left_out_sentence()))
        draft = self.journal.draft(DRAFT_PURPOSE)
        if draft is not None and isinstance(draft.content.get("text"), str):
            self._restore_draft(draft.content)
        else:
            # Counting reads the whole journal in a thread: after the first paint,
            # so it does not hold the GIL while the screen is drawn.
            self.call_after_refresh(self._refresh_status)

    # ---- reading the choices -------------------------------------------------------

    @property
    def format_code(self) -> str:
        pressed = self.query_one("#format", RadioSet).pressed_index
        return FORMATS[max(pressed, 0)][0]

    @property
    def is_card(self) -> bool:
        return self.query_one("#card", Checkbox).value and self.format_code in ("md", "txt", "html")

    def selection(self):
        """The Selection the Choose step describes; raises ChoiceProblem."""
        from ...export.selection import Selection, expand_fields

        kinds = tuple(self.query_one("#kinds", SelectionList).selected)
        if self.format_code == "json" and not kinds:
            kinds = KIND_CHOICES
        if not kinds:
            raise ChoiceProblem(_("Tick at least one kind of record under What."))
        if self.format_code == "csv":
            table = [k for k in kinds if k in ("urge", "use", "checkin")]
            if len(table) != 1:
                raise ChoiceProblem(_("CSV is one table: tick exactly one of Urge, Use or "
                                      "Well-being check-in."))
            kinds = tuple(table)
        first = self._day("#from")
        last = self._day("#to")
        if first and last and first > last:
            raise ChoiceProblem(_("The from day is after the to day."))
        tag = self.query_one("#tag", Input).value.strip()
        excluded = expand_fields(self.query_one("#leave-out", SelectionList).selected)
        if self.format_code in ("md", "txt", "html"):
            from ...export.privacy import group_share_excluded

            excluded |= group_share_excluded(self.included)
        return Selection(kinds=kinds, date_from=first, date_to=last,
                         tags=(tag,) if tag else (), excluded=excluded)

    @property
    def included(self) -> tuple[str, ...]:
        """The private groups ticked under "Also share" for this share."""
        return tuple(self.query_one("#include", SelectionList).selected)

    def _day(self, selector: str) -> date | None:
        text = self.query_one(selector, Input).value.strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise ChoiceProblem(_("Dates are written like 2026-11-25.")) from exc

    def matching(self) -> list:
        """Records the choices match, before any picking by hand."""
        from ...export.selection import choose

        return choose(self.journal, self.selection())

    def chosen(self) -> list:
        """Records that will be written: matching and still ticked (the entries'
        texts that wait on disk read in bulk, for writing)."""
        return self.journal.with_texts([r for r in self.matching() if r.id not in self.unticked])

    # ---- reacting ------------------------------------------------------------------

    @on(RadioSet.Changed)
    def _format_changed(self) -> None:
        """Each format starts from the kinds it is usually for."""
        kinds = self.query_one("#kinds", SelectionList)
        code = self.format_code
        wanted = {"json": KIND_CHOICES, "csv": ("urge",)}.get(code, ("entry", "exercise"))
        previous = getattr(self, "_previous_format", "md")
        if code in ("json", "csv") or previous in ("json", "csv"):
            kinds.deselect_all()
            for kind in wanted:
                kinds.select(kind)
        self._previous_format = code
        path = self.query_one("#path", Input)
        stem, _suffix = _split_extension(path.value)
        path.value = stem + EXTENSIONS[code]
        self._choices_changed()

    @on(Checkbox.Changed)
    @on(SelectionList.SelectedChanged, "#kinds, #leave-out, #include, #card-parts")
    @on(Input.Changed, "#from, #to, #tag, #worked-on, #bring-up")
    def _choices_changed(self) -> None:
        self._show_card_choices()
        self._refresh_status()
        if self.edited:
            self.query_one("#choose-status", Static).update(Content(_(
                "Your preview has edits, so it was not changed; ctrl+r rebuilds it "
                "from these choices.")))

    def _show_card_choices(self) -> None:
        """The card's choices when the card is ticked, the records' otherwise."""
        card = self.is_card
        for widget in self.query(".card-only"):
            widget.display = card
        for widget in self.query(".records-only"):
            widget.display = not card
        # The default name follows the choice; a name the person typed is theirs.
        path = self.query_one("#path", Input)
        old, new = ("recovery-share-", "checkin-card-") if card else \
            ("checkin-card-", "recovery-share-")
        named = Path(path.value)
        if path.value and named.name.startswith(old):
            path.value = str(named.with_name(new + named.name[len(old):]))

    def _refresh_status(self) -> None:
        status = self.query_one("#choose-status", Static)
        if self.is_card:
            status.update(Content(_("The weekly check-in card for the seven days up to today.")))
            status.remove_class("problem")
            return
        try:
            wanted = self.selection()
        except (ChoiceProblem, ValueError) as exc:
            status.update(Content(str(exc)))
            status.add_class("problem")
            return
        status.remove_class("problem")
        self._count(wanted, frozenset(self.unticked))

    @work(thread=True, exclusive=True, group="export-count", exit_on_error=False)
    def _count(self, wanted, unticked: frozenset[str]) -> None:
        """Count what will be written, off the UI thread (a ten-year journal)."""
        from ...export.selection import choose, count_chosen

        count = (sum(1 for r in choose(self.journal, wanted) if r.id not in unticked)
                 if unticked else count_chosen(self.journal, wanted))
        text = ngettext("{n} record will be written.", "{n} records will be written.",
                        count).format(n=count)
        self.app.call_from_thread(self._show_count, text)

    def _show_count(self, text: str) -> None:
        if not self.is_card:
            self.query_one("#choose-status", Static).update(Content(text))

    @on(Steps.Opened)
    async def _step_opened(self, event: Steps.Opened) -> None:
        if event.step == "pick":
            pane = self.query_one("#pick", Step)
            if not pane.children:
                await pane.mount_all([
                    Static(_("Space ticks or unticks. Only ticked records are written."),
                           classes="hint", id="pick-hint"),
                    TickList[str](id="picks", compact=True)])
            self._fill_picks()
        elif event.step == "preview" and not self.edited:
            self._fill_preview()

    @on(SelectionList.SelectionToggled, "#picks")
    def _pick_toggled(self, event: SelectionList.SelectionToggled) -> None:
        record_id = event.selection.value
        if self.is_card:
            # One exercise of the week: ticking one unticks the others.
            picks = event.selection_list
            if record_id in picks.selected:
                self.card_exercise = record_id
                for other in list(picks.selected):
                    if other != record_id:
                        picks.deselect(other)
            elif self.card_exercise == record_id:
                self.card_exercise = ""  # none: the card names no exercise
            return
        if record_id in event.selection_list.selected:
            self.unticked.discard(record_id)
        else:
            self.unticked.add(record_id)
        self._refresh_status()

    @property
    def edited(self) -> bool:
        """Whether the preview holds the person's own edits."""
        area = self.query_one("#preview-text", TextArea)
        return not area.read_only and area.text != self._generated

    def _fill_picks(self) -> None:
        from ...export.shared_records import describe, when_text

        picks = self.query_one("#picks", SelectionList)
        picks.clear_options()
        hint = self.query_one("#pick-hint", Static)
        if self.is_card:
            self._fill_card_picks(picks, hint)
            return
        hint.update(Content(_("Space ticks or unticks. Only ticked records are written.")))
        from ...export.selection import choose_newest

        try:
            newest, total = choose_newest(self.journal, self.selection(), PICK_SHOWN_AT_MOST)
        except ChoiceProblem as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        shown = self.journal.with_texts(newest)  # one read, not 2,000
        if total > len(shown):
            self.notify(_("Showing the newest {n}; choose dates to pick among older ones.")
                        .format(n=len(shown)), markup=False)
        rows = []
        excluded = self.selection().excluded
        for record in reversed(shown):
            shared = describe(record, excluded)
            first = next((text for _label, text in shared.passages), "")
            # ⚑: this record, as it will be shared, carries a name or a number.
            flag = ("\u2691 ", "bold $warning") if shared.marked else ("  ", "")
            prompt = Content.assemble(flag, (when_text(record.when), "dim"), "  ",
                                      (one_line(shared.heading, 30), "bold"), "  ",
                                      one_line(first, 80))
            rows.append(Choice(prompt, record.id, record.id not in self.unticked))
        picks.add_options(rows)

    def _fill_card_picks(self, picks: SelectionList, hint: Static) -> None:
        """For the card: this week's exercises, to choose the one it names."""
        from ...export.checkin_card import exercises_of_week
        from ...export.shared_records import exercise_title, when_text

        found = exercises_of_week(self.journal, self.today())
        if not found:
            hint.update(Content(_("No exercise this week, so the card names none. "
                                  "ctrl+n shows the card.")))
            return
        hint.update(Content(_("Tick the one exercise of the week the card names. "
                              "ctrl+n shows the card.")))
        if self.card_exercise is None:
            self.card_exercise = next((x.id for x in found if x.finished), "")
        picks.add_options([
            Choice(Content.assemble((when_text(x.when), "dim"), "  ",
                                    (one_line(exercise_title(x.exercise_id), 60), "bold")),
                   x.id, x.id == self.card_exercise)
            for x in found])

    def _fill_preview(self) -> None:
        """Build the preview in a worker; the text box says so meanwhile."""
        area = self.query_one("#preview-text", TextArea)
        notice = _("Not encrypted. This is exactly what will be written; you can edit it.")
        if self.format_code == "html":
            notice = _("Not encrypted. The printable page is made from exactly this text; "
                       "you can edit it.")
        self.query_one("#preview-notice", Static).update(Content(notice))
        self._preview_turn += 1
        area.read_only = True
        area.text = self._generated = _("Building the preview…")
        try:
            plan = self._preview_plan()
        except ChoiceProblem as exc:
            self._show_preview(self._preview_turn, str(exc), True, "")
            return
        self._build_preview(self._preview_turn, plan)

    def _preview_plan(self) -> dict:
        """Everything the preview needs, read from the widgets on the UI thread."""
        return {"format": self.format_code, "card": self.is_card, "selection": self.selection(),
                "unticked": frozenset(self.unticked), "card_options": self._card_options(),
                "included": self.included, "today": self.today()}

    @work(thread=True, exclusive=True, group="export-preview", exit_on_error=False)
    def _build_preview(self, turn: int, plan: dict) -> None:
        """Render the preview off the UI thread, then hand it back."""
        try:
            if plan["format"] in ("json", "csv"):
                text, read_only, marks = self._summary(plan), True, ""
            else:
                document = self._document(plan)
                full = self._writer(plan["format"]).render(document)
                marks = self._marks(document, plan)
                read_only = len(full) > PREVIEW_EDITABLE_AT_MOST
                text = full if not read_only else (
                    _("This export is long, so only its beginning is shown and it cannot be "
                      "edited here; narrow the dates to edit it. The file will hold all of it.")
                    + "\n\n" + full[:PREVIEW_EDITABLE_AT_MOST])
        except ChoiceProblem as exc:
            text, read_only, marks = str(exc), True, ""
        self.app.call_from_thread(self._show_preview, turn, text, read_only, marks)

    def _show_preview(self, turn: int, text: str, read_only: bool, marks: str) -> None:
        if turn != self._preview_turn:
            return  # a newer build is on its way
        area = self.query_one("#preview-text", TextArea)
        area.read_only = read_only
        self._generated = text
        area.text = text
        self.query_one("#preview-marks", Static).update(Content(marks))

    def _marks(self, document, plan: dict) -> str:
        """One line over the preview: which shared fields carry a name or a number,
        or what was left out to keep the share private."""
        from ...export.privacy import hidden_numbers_note, left_out_groups, private_label

        marked: dict[str, int] = {}
        hidden = 0
        for shared in document.records:
            hidden += shared.hidden_numbers
            for name in shared.marked:
                marked[name] = marked.get(name, 0) + 1
        parts = []
        if marked:
            shown = ", ".join(f"{one_line(name, 40)} ({n})" for name, n in marked.items())
            parts.append("\u2691 " + _("Carries a name or a number: {fields}").format(
                fields=shown))
        left_out = left_out_groups(self._included_of(plan))
        if left_out:
            parts.append(_("Left out: {groups}").format(
                groups=", ".join(private_label(g) for g in left_out)))
        if hidden:
            parts.append(hidden_numbers_note(hidden))
        return " · ".join(parts)

    @staticmethod
    def _included_of(plan: dict) -> tuple[str, ...]:
        return plan.get("included", ())

    # ---- building the text ---------------------------------------------------------

    def _card_options(self) -> dict:
        return {
            "worked_on": self.query_one("#worked-on", Input).value,
            "bring_up": self.query_one("#bring-up", Input).value,
            "parts": tuple(self.query_one("#card-parts", SelectionList).selected),
            "exercise": self.card_exercise,
        }

    def _document(self, plan: dict):
        """The Document a plan describes: the card, or the chosen records."""
        from ...export.selection import choose, selection_subtitle
        from ...export.shared_records import build_document

        wanted = plan["selection"]
        if plan["card"]:
            from ...export.checkin_card import build_card

            options = plan["card_options"]
            return build_card(self.journal, plan["today"], options["worked_on"],
                              wanted.excluded, parts=options["parts"],
                              bring_up=options["bring_up"], exercise=options["exercise"])
        chosen = self.journal.with_texts(
            [r for r in choose(self.journal, wanted) if r.id not in plan["unticked"]])
        return build_document(chosen, wanted.excluded, subtitle=selection_subtitle(wanted))

    @staticmethod
    def _writer(format_code: str):
        """Markdown or plain text for the preview (HTML is made from the Markdown)."""
        from ...export import markdown, text

        return text if format_code == "txt" else markdown

    def _render_share(self) -> str:
        """The preview's text as built from the current choices (on this thread)."""
        plan = self._preview_plan()
        return self._writer(plan["format"]).render(self._document(plan))

    def _summary(self, plan: dict) -> str:
        from ...export.selection import choose, kind_label

        chosen = [r for r in choose(self.journal, plan["selection"])
                  if r.id not in plan["unticked"]]
        counts: dict[str, int] = {}
        for record in chosen:
            counts[record.kind] = counts.get(record.kind, 0) + 1
        lines = [_("This export is for your own records, so it is not shown for editing."), ""]
        lines += [f"  {kind_label(kind)}: {n}" for kind, n in counts.items()] or [
            "  " + _("Nothing matches your choices.")]
        if plan["format"] == "json":
            lines += ["", _("JSON keeps everything exactly, so it can be imported back "
                            "into an empty journal.")]
        return "\n".join(lines)

    def final_text(self) -> str:
        """Exactly what the file will hold."""
        if self.format_code == "json":
            from ...export import json_export

            wanted = self.selection()
            chosen = self.chosen()
            if set(wanted.kinds) == set(KIND_CHOICES) and not (
                    wanted.date_from or wanted.date_to or wanted.tags or self.unticked):
                chosen = json_export.every_record(self.journal)  # settings and drafts too
            return json_export.render(chosen, wanted.excluded)
        if self.format_code == "csv":
            from ...export import csv_export

            wanted = self.selection()
            return csv_export.render(wanted.kinds[0], self.chosen(), wanted.excluded)
        # Unedited, the text is built afresh from the choices (as the preview shows it).
        shown = self.query_one("#preview-text", TextArea).text if self.edited \
            else self._render_share()
        if self.format_code == "html":
            from ...export import html

            return html.from_markdown(shown)
        return clean(shown)

    # ---- actions -------------------------------------------------------------------

    def action_close(self) -> None:
        self.app.pop_screen()

    def action_next_step(self) -> None:
        steps = self.query_one("#export-steps", Steps)
        order = ["choose", "pick", "preview"]
        steps.active = order[min(order.index(steps.active) + 1, len(order) - 1)]

    def action_rebuild(self) -> None:
        """Throw away edits to the preview and build it again from the choices."""
        if not self.edited:
            self._fill_preview()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.journal.discard_draft(DRAFT_PURPOSE)
                self._fill_preview()

        self.app.push_screen(ConfirmScreen(_("Throw away your edits to the preview?"),
                                           yes=_("Rebuild"), no=_("Keep my edits"),
                                           danger=True), answered)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted, "#path")
    def action_save(self) -> None:
        steps = self.query_one("#export-steps", Steps)
        if steps.active != "preview":
            # Nothing is written unseen: show the text and its file name first.
            steps.active = "preview"
            self.query_one("#path", Input).focus()
            self.notify(_("This is what will be written. Check the file name below it, "
                          "then press ctrl+s again to save."), markup=False)
            return
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self.notify(_("Please give a file name."), severity="warning", markup=False)
            return
        path = Path(raw).expanduser()
        try:
            content = self.final_text()
        except ChoiceProblem as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        if path.exists() or path.is_symlink():
            def answered(yes: bool | None) -> None:
                if yes:
                    self._write(path, content, force=True)

            self.app.push_screen(
                ConfirmScreen(_("{path} already exists. Replace it?").format(path=path),
                              yes=_("Replace"), no=_("Keep it"), danger=True),
                answered,
            )
            return
        self._write(path, content, force=False)

    def _write(self, path: Path, content: str, force: bool) -> None:
        from ...export.files import write_export
        from ...vault.errors import JournalError

        try:
            written = write_export(path, content, force=force, journal=self.journal.path)
        except JournalError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=8)
            return
        self.journal.discard_draft(DRAFT_PURPOSE)
        self._remember_choices()
        if self.format_code not in ("json", "csv"):
            # Written, so no longer unsaved typing (a later lock keeps no draft of it).
            self._generated = self.query_one("#preview-text", TextArea).text
        self.notify(_("Saved to {path}. It is not encrypted; keep it private.").format(
            path=written), markup=False, timeout=8)

    def _remember_choices(self) -> None:
        """Keep what this person leaves out of every share, and that they were told
        what a share leaves out (sealed settings). "Also share" ticks are for one
        share only: they are never remembered, so a later share never widens silently."""
        settings = self.journal.settings()
        left_out = sorted(self.query_one("#leave-out", SelectionList).selected)
        if settings.share_left_out != left_out or not settings.share_told:
            settings.share_left_out = left_out
            settings.share_told = True
            self.journal.save_settings(settings)
        self.query_one("#privacy-note", Static).display = False

    # ---- drafts --------------------------------------------------------------------

    def save_draft(self) -> None:
        """Keep edits to the preview (sealed) if the journal locks meanwhile."""
        if self.edited:
            self.journal.save_draft(DRAFT_PURPOSE, {
                "text": self.query_one("#preview-text", TextArea).text,
                "format": self.format_code,
            })

    def _restore_draft(self, content: dict) -> None:
        codes = [code for code, _name in FORMATS]
        if content.get("format") in codes:
            buttons = list(self.query(ChoiceButton))
            buttons[codes.index(content["format"])].value = True
        area = self.query_one("#preview-text", TextArea)
        area.read_only = False
        self._generated = ""
        area.text = content["text"]
        self.query_one("#export-steps", Steps).active = "preview"
        self.notify(_("Your edited preview from before is back."), markup=False)

    def _default_path(self) -> Path:
        try:
            import platformdirs

            folder = platformdirs.user_documents_path()
        except Exception:  # no documents folder known on this system
            folder = Path.home()
        if not folder.is_dir():
            folder = Path.home()
        stem = "checkin-card" if self.is_card else "recovery-share"
        return folder / f"{stem}-{self.today().isoformat()}.md"

    def today(self) -> date:
        """Today by the app's clock (tests fix it), else the computer's."""
        clock = getattr(self.app, "clock", None)
        return clock().date() if callable(clock) else date.today()


def _split_extension(path: str) -> tuple[str, str]:
    for extension in EXTENSIONS.values():
        if path.endswith(extension):
            return path[: -len(extension)], extension
    return path, ""

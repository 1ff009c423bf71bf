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

A share of many years is never held whole (issue 18): the chosen records are
read one at a time and described a batch at a time (`share_batches`); the
preview renders only the beginning it shows, and goes through the rest only to
count what its marks line says; saving a share that was not edited streams it
into the file from a worker thread (`share_pieces`, export/files.py). An edited
preview is short (it is editable only then) and is written as it reads.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

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
# Records described at a time when a share streams: a batch of shared text is a
# few hundred kilobytes, so saving everything holds little more than the session
# held before it (bench/NOTES.md, issue 18), and is no slower than bigger batches.
DESCRIBED_AT_A_TIME = 500
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
        self._saving: Path | None = None  # a share being written in a worker thread

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
        from ...export.selection import count_chosen, iter_chosen

        count = (sum(1 for r in iter_chosen(self.journal, wanted) if r.id not in unticked)
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
            elif plan["card"]:
                document = self._document(plan)
                tally = MarkTally()
                tally.add(document.records)
                text, read_only = self._shown(self._writer(plan["format"]).stream(
                    document.title, document.subtitle, [document.records]))
                marks = self._marks(tally, plan)
            else:
                self._preview_share(turn, plan)
                return
        except ChoiceProblem as exc:
            text, read_only, marks = str(exc), True, ""
        self.app.call_from_thread(self._show_preview, turn, text, read_only, marks)

    def _preview_share(self, turn: int, plan: dict) -> None:
        """The chosen records' preview (on the worker's thread): only the beginning
        it shows is rendered. A long share's beginning is handed over at once and
        its marks once the rest is counted, a batch at a time, never rendered."""
        from textual.worker import get_current_worker

        from ...export.shared_records import paused_gc

        tally = MarkTally()
        batches = tally.counting(share_batches(self.journal, plan["selection"],
                                               plan["unticked"]))
        shown_as = "txt" if plan["format"] == "txt" else "md"  # HTML is made from Markdown
        text, read_only = self._shown(share_pieces(self.journal, plan["selection"], shown_as,
                                                   batches=batches))
        if read_only:
            self.app.call_from_thread(self._show_preview, turn, text, read_only,
                                      self._marks(MarkTally(), plan))
            worker = get_current_worker()
            with paused_gc():  # as the writers: many small objects, none with cycles
                for _batch in batches:
                    if worker.is_cancelled or turn != self._preview_turn:
                        return  # a newer build is on its way
            self.app.call_from_thread(self._show_marks, turn, self._marks(tally, plan))
            return
        self.app.call_from_thread(self._show_preview, turn, text, read_only,
                                  self._marks(tally, plan))

    @staticmethod
    def _shown(pieces: Iterator[str]) -> tuple[str, bool]:
        """What the preview shows of the text `pieces` make, and whether that is only
        its beginning (then it cannot be edited); the rest is never made."""
        text, more = beginning(pieces, PREVIEW_EDITABLE_AT_MOST)
        if not more:
            return text, False
        return (_("This export is long, so only its beginning is shown and it cannot be "
                  "edited here; narrow the dates to edit it. The file will hold all of it.")
                + "\n\n" + text), True

    def _show_preview(self, turn: int, text: str, read_only: bool, marks: str) -> None:
        if turn != self._preview_turn:
            return  # a newer build is on its way
        area = self.query_one("#preview-text", TextArea)
        area.read_only = read_only
        self._generated = text
        area.text = text
        self.query_one("#preview-marks", Static).update(Content(marks))

    def _show_marks(self, turn: int, marks: str) -> None:
        if turn == self._preview_turn:
            self.query_one("#preview-marks", Static).update(Content(marks))

    def _marks(self, tally: MarkTally, plan: dict) -> str:
        """One line over the preview: which shared fields carry a name or a number,
        or what was left out to keep the share private."""
        from ...export.privacy import hidden_numbers_note, left_out_groups, private_label

        marked, hidden = tally.marked, tally.hidden
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
        """The check-in card a plan describes, as a Document (a week: it is small;
        the chosen records stream instead, see `share_pieces`)."""
        from ...export.checkin_card import build_card

        wanted, options = plan["selection"], plan["card_options"]
        return build_card(self.journal, plan["today"], options["worked_on"],
                          wanted.excluded, parts=options["parts"],
                          bring_up=options["bring_up"], exercise=options["exercise"])

    @staticmethod
    def _writer(format_code: str):
        """Markdown or plain text for the preview (HTML is made from the Markdown)."""
        from ...export import markdown, text

        return text if format_code == "txt" else markdown

    def _render_share(self) -> str:
        """The preview's text as built from the current choices (on this thread)."""
        plan = self._preview_plan()
        if plan["card"]:
            return self._writer(plan["format"]).render(self._document(plan))
        shown_as = "txt" if plan["format"] == "txt" else "md"
        return "".join(share_pieces(self.journal, plan["selection"], shown_as,
                                    plan["unticked"]))

    def _summary(self, plan: dict) -> str:
        from ...export.selection import count_chosen_by_kind, kind_label

        counts = count_chosen_by_kind(self.journal, plan["selection"], plan["unticked"])
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
            if _everything(wanted, frozenset(self.unticked)):
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
        if self._saving is not None:  # one file at a time
            self.notify(_("Saving to {path}…").format(path=self._saving), markup=False)
            return
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self.notify(_("Please give a file name."), severity="warning", markup=False)
            return
        path = Path(raw).expanduser()
        try:
            content = self._to_write()
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

    def _to_write(self) -> str | dict:
        """What saving writes: the text itself (the card, an edited preview), or,
        for records written as chosen (a share not edited, JSON, CSV), the plan
        their text is streamed from in a worker (`_write_streamed`). Raises
        ChoiceProblem."""
        if self.is_card:
            return self.final_text()
        if self.format_code in ("json", "csv") or not self.edited:
            return self._preview_plan()
        return self.final_text()

    def _write(self, path: Path, content: str | dict, force: bool) -> None:
        from ...export.files import write_export
        from ...vault.errors import JournalError

        left_out = sorted(self.query_one("#leave-out", SelectionList).selected)
        if isinstance(content, dict):
            # Years of entries take a while to write: say so, and let the person go on.
            self._saving = path
            self.notify(_("Saving to {path}…").format(path=path), markup=False)
            self._write_streamed(path, content, force, left_out)
            return
        try:
            written = write_export(path, content, force=force, journal=self.journal.path)
        except JournalError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=8)
            return
        if self.format_code not in ("json", "csv"):
            # Written, so no longer unsaved typing (a later lock keeps no draft of it).
            self._generated = self.query_one("#preview-text", TextArea).text
        self._saved(written, left_out)

    @work(thread=True, group="export-save", exit_on_error=False)
    def _write_streamed(self, path: Path, plan: dict, force: bool, left_out: list[str]) -> None:
        """Write a share of records straight from the choices, a piece at a time, off
        the UI thread: the whole text of years of entries is never one string."""
        from ...export.files import ExportFailed, write_export_pieces
        from ...vault.errors import JournalError

        try:
            written = write_export_pieces(path, file_pieces(self.journal, plan),
                                          force=force, journal=self.journal.path)
        except JournalError as exc:
            self.app.call_from_thread(self._save_failed, str(exc))
        except Exception as exc:  # nothing was written (write_export_pieces): say why
            self.app.call_from_thread(self._save_failed, str(ExportFailed(path, str(exc))))
        else:
            self.app.call_from_thread(self._saved, written, left_out)

    def _save_failed(self, message: str) -> None:
        self._saving = None
        self.app.notify(message, severity="error", markup=False, timeout=8)

    def _saved(self, written: Path, left_out: list[str]) -> None:
        """After the file is written: no draft is kept, the choices are remembered,
        and the person is told where it is (after a streamed save the screen may be
        gone by then; its preview was not edited, so it is still what was built)."""
        from ...vault.errors import JournalError

        self._saving = None
        try:
            self.journal.discard_draft(DRAFT_PURPOSE)
            self._remember_choices(left_out)
        except JournalError:
            pass  # locked just after writing: the file is there all the same
        self.app.notify(_("Saved to {path}. It is not encrypted; keep it private.").format(
            path=written), markup=False, timeout=8)

    def _remember_choices(self, left_out: list[str]) -> None:
        """Keep what this person leaves out of every share, and that they were told
        what a share leaves out (sealed settings). "Also share" ticks are for one
        share only: they are never remembered, so a later share never widens silently."""
        settings = self.journal.settings()
        if settings.share_left_out != left_out or not settings.share_told:
            settings.share_left_out = left_out
            settings.share_told = True
            self.journal.save_settings(settings)
        if self.is_attached:
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


def share_batches(journal: Journal, wanted, unticked: frozenset[str] = frozenset()
                  ) -> Iterator[list]:
    """The records a share writes (chosen by `wanted`, less those unticked by
    hand), described a batch at a time, in `choose`'s order: taken one at a time
    and the entries' texts read back a window at a time, so nothing holds every
    record or text of a long journal. Should the journal lock meanwhile, the
    batches stop there (JournalLocked): a file being written is then left out."""
    from ...export.selection import iter_chosen
    from ...export.shared_records import described_in_batches
    from ...vault.errors import JournalLocked

    chosen = iter_chosen(journal, wanted)
    if unticked:
        chosen = (r for r in chosen if r.id not in unticked)
    for batch in described_in_batches(journal.with_texts_streamed(chosen), wanted.excluded,
                                      size=DESCRIBED_AT_A_TIME):
        if journal.is_locked:
            raise JournalLocked()
        yield batch


def share_pieces(journal: Journal, wanted, format_code: str,
                 unticked: frozenset[str] = frozenset(),
                 batches: Iterable[list] | None = None) -> Iterator[str]:
    """The share's text in `format_code` (md, txt or html) in pieces: exactly what
    the preview, unedited, would write, the whole text never in memory."""
    from ...export import html, markdown, text
    from ...export.selection import selection_subtitle
    from ...export.shared_records import document_title

    writer = {"md": markdown, "txt": text, "html": html}[format_code]
    if batches is None:
        batches = share_batches(journal, wanted, unticked)
    return writer.stream(document_title(), selection_subtitle(wanted), batches)


def file_pieces(journal: Journal, plan: dict, exported_at: str | None = None
                ) -> Iterator[str]:
    """What saving the records a plan chooses writes (`final_text`, not edited),
    in pieces: a share (md, txt, html) as `share_pieces`; JSON and CSV a window of
    records at a time, their texts read back per window, so an export of a long
    journal never holds every record or the whole file (2.3 GB at ten times the
    benchmark journal as one string)."""
    wanted, unticked = plan["selection"], plan["unticked"]
    if plan["format"] not in ("json", "csv"):
        return share_pieces(journal, wanted, plan["format"], unticked)
    from ...export import csv_export, json_export
    from ...export.selection import count_chosen_by_kind, iter_chosen

    if plan["format"] == "json" and _everything(wanted, unticked):
        # As final_text: every record of every kind, settings and drafts too,
        # grouped by kind.
        from ... import records

        kinds = [journal.records(cls) for cls in records.KINDS.values()]
        counts = {found[0].kind: len(found) for found in kinds if len(found)}
        chosen: Iterable = (record for found in kinds for record in found)
    else:
        counts = count_chosen_by_kind(journal, wanted, unticked)
        chosen = iter_chosen(journal, wanted)
        if unticked:
            chosen = (r for r in chosen if r.id not in unticked)
    windows = _windows(journal.with_texts_streamed(chosen))
    if plan["format"] == "json":
        return json_export.stream_records(counts, windows, wanted.excluded, exported_at)
    return csv_export.stream_records(wanted.kinds[0], windows, wanted.excluded)


def _everything(wanted, unticked: frozenset[str]) -> bool:
    """Whether a JSON export is the whole journal (what `final_text` tests)."""
    return set(wanted.kinds) == set(KIND_CHOICES) and not (
        wanted.date_from or wanted.date_to or wanted.tags or unticked)


def _windows(chosen: Iterator, size: int = 2000) -> Iterator[list]:
    """`chosen` a list of `size` at a time (JSON and CSV write a window at once)."""
    from itertools import islice

    while window := list(islice(chosen, size)):
        yield window


def beginning(pieces: Iterator[str], at_most: int) -> tuple[str, bool]:
    """The first `at_most` characters of the text `pieces` make, and whether more
    follows; the pieces after those are never made (the stream is closed)."""
    gathered: list[str] = []
    length = 0
    try:
        for piece in pieces:
            gathered.append(piece)
            length += len(piece)
            if length > at_most:
                return "".join(gathered)[:at_most], True
        return "".join(gathered), False
    finally:
        close = getattr(pieces, "close", None)
        if close is not None:
            close()


class MarkTally:
    """What the preview's marks line counts over every shared record: how many
    carry each marked field, and how many phone-like numbers were taken out.
    `counting` counts batches as they pass, so nothing needs to keep them."""

    def __init__(self) -> None:
        self.marked: dict[str, int] = {}
        self.hidden = 0

    def add(self, batch: Iterable) -> None:
        marked = self.marked
        for shared in batch:
            self.hidden += shared.hidden_numbers
            for name in shared.marked:
                marked[name] = marked.get(name, 0) + 1

    def counting(self, batches: Iterable[list]) -> Iterator[list]:
        for batch in batches:
            self.add(batch)
            yield batch

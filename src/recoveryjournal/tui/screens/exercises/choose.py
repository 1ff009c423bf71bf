"""Choosing an exercise: every exercise grouped by the four points, with search,
what each is for, whether a draft waits, and a blank worksheet to print."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from ....exercises import POINTS, Exercise, ExerciseLibrary, load_exercises, point_label
from ....i18n import N_, _, ngettext
from ....journal import Journal
from ....safetext import clean
from ....vault.errors import JournalLocked
from ...keymap import exercises_bindings
from ...widgets.exercise_fields import literal, translate_bindings
from ...widgets.filter_box import FilterBox
from ...widgets.keys_footer import KeysFooter
from .answers import draft_purpose, responses_for, when_text
from .history import HistoryScreen
from .start import open_exercise


class ExercisesScreen(Screen):
    """Every exercise, grouped by the four points, with search and history."""

    CSS_PATH = "exercises.tcss"
    BINDINGS = [
        Binding("escape", "close", N_("Back")),
        Binding("slash", "search", N_("Search")),
        Binding("h", "history", N_("Earlier answers")),
        Binding("1", "point(0)", N_("Motivation"), show=False),
        Binding("2", "point(1)", N_("Urges"), show=False),
        Binding("3", "point(2)", N_("Thoughts"), show=False),
        Binding("4", "point(3)", N_("Balance"), show=False),
        *exercises_bindings(),
    ]

    def __init__(self, journal: Journal, library: ExerciseLibrary | None = None):
        super().__init__()
        translate_bindings(self)
        self.journal = journal
        self.library = library or load_exercises()
        self.shown: list[Exercise] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBox(placeholder=_("Search exercises…"), id="exercise-search",
                        list_id="exercise-list")
        with Horizontal(id="exercise-body"):
            yield OptionList(id="exercise-list")
            with VerticalScroll(id="exercise-detail"):
                yield Static("", id="exercise-about")
        if self.library.problems:
            yield Static(literal(_("{n} exercise file(s) could not be loaded: {first}").format(
                n=len(self.library.problems), first=str(self.library.problems[0]))),
                id="exercise-problems")
        yield KeysFooter()

    def resume_after_unlock(self):
        """After a lock and unlock: the list of exercises again (see the app)."""
        library = self.library
        return lambda journal: ExercisesScreen(journal, library)

    def on_mount(self) -> None:
        self.title = _("Exercises")
        self.fill_list(self.library.all())
        self.query_one("#exercise-list", OptionList).focus()
        for problem in self.library.problems:
            self.log.warning(str(problem))

    def on_screen_resume(self) -> None:
        # Back from an exercise: drafts and saved counts may have changed. While the
        # app locks it closes screens one by one, so this one may surface locked.
        if not self.journal.is_locked:
            self.fill_list(self.shown, keep=True)

    def fill_list(self, exercises: list[Exercise], keep: bool = False) -> None:
        options = self.query_one("#exercise-list", OptionList)
        highlighted = options.highlighted_option.id if keep and options.highlighted_option else None
        self.shown = list(exercises)
        drafts = {d.purpose for d in self._drafts()}
        options.clear_options()
        first = None
        for point in POINTS:
            group = [e for e in self.shown if e.point == point]
            if not group:
                continue
            options.add_option(Option(Content.styled(point_label(point), "bold underline"),
                                      id=f"point-{point}", disabled=True))
            for exercise in group:
                mark = "  ✎" if draft_purpose(exercise) in drafts else ""
                options.add_option(Option(literal(f" {exercise.title.get()}{mark}"),
                                          id=exercise.id))
                first = first or exercise.id
        if not self.shown:
            options.add_option(Option(_("No exercise matches that search."), disabled=True))
        target = highlighted if highlighted and highlighted in {e.id for e in self.shown} else first
        if target:
            options.highlighted = options.get_option_index(target)
        self.show_about()

    def _drafts(self):
        try:
            from ....records import Draft

            return [d for d in self.journal.records(Draft) if d.purpose.startswith("exercise:")]
        except JournalLocked:
            return []

    @property
    def current(self) -> Exercise | None:
        options = self.query_one("#exercise-list", OptionList)
        option = options.highlighted_option
        return self.library.get(option.id) if option and option.id else None

    def show_about(self) -> None:
        about = self.query_one("#exercise-about", Static)
        exercise = self.current
        if exercise is None:
            about.update("")
            return
        saved = responses_for(self.journal, exercise.id)
        parts = [
            Content.styled(clean(exercise.title.get()), "bold"),
            Content("\n"),
            literal(point_label(exercise.point) + " · "
                    + _("about {minutes} min").format(minutes=exercise.minutes) + " · "
                    + ngettext("{n} step", "{n} steps", len(exercise.steps)).format(
                        n=len(exercise.steps))),
            Content("\n\n"),
            literal(exercise.purpose.get()),
            Content("\n\n"),
        ]
        if self.journal.draft(draft_purpose(exercise)) is not None:
            parts.append(Content.styled(_("✎ You have unsaved answers here; Enter carries on."),
                                        "italic"))
            parts.append(Content("\n"))
        if saved:
            parts.append(literal(ngettext(
                "Done once, last on {when}. Press h to look back.",
                "Done {n} times, last on {when}. Press h to look back.", len(saved)).format(
                    n=len(saved), when=when_text(saved[0].when))))
        else:
            parts.append(literal(_("Not done yet. Press Enter to begin.")))
        about.update(Content("").join(parts))

    @on(OptionList.OptionHighlighted, "#exercise-list")
    def _highlighted(self) -> None:
        self.show_about()

    @on(OptionList.OptionSelected, "#exercise-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        exercise = self.library.get(event.option.id or "")
        if exercise is not None:
            open_exercise(self, self.journal, exercise)

    @on(Input.Changed, "#exercise-search")
    def _search(self, event: Input.Changed) -> None:
        query = event.value.strip()
        self.fill_list(self.library.search(query) if query else self.library.all())

    @on(Input.Submitted, "#exercise-search")
    def _search_done(self) -> None:
        self.query_one("#exercise-list", OptionList).focus()

    def action_search(self) -> None:
        self.query_one("#exercise-search", Input).focus()

    def action_point(self, index: int) -> None:
        options = self.query_one("#exercise-list", OptionList)
        point = POINTS[index]
        group = [e for e in self.shown if e.point == point]
        if group:
            options.focus()
            options.highlighted = options.get_option_index(group[0].id)

    def action_history(self) -> None:
        exercise = self.current
        if exercise is None:
            return
        if not responses_for(self.journal, exercise.id):
            self.notify(_("No saved answers for this exercise yet."))
            return
        self.app.push_screen(HistoryScreen(self.journal, exercise))

    def action_worksheet(self) -> None:
        """Save a blank, printable worksheet of the highlighted exercise (HTML, A4)."""
        from ....export import worksheet
        from ....export.files import ExportExists, write_export
        from ....i18n import current_language
        from ....vault.errors import JournalError

        exercise = self.current
        if exercise is None:
            return
        folder = _documents_folder()
        text = worksheet.render(exercise, "html")
        stem = f"worksheet-{exercise.id}-{current_language()}"
        for number in range(1, 100):
            path = folder / (f"{stem}.html" if number == 1 else f"{stem}-{number}.html")
            try:
                written = write_export(path, text)
            except ExportExists:
                continue  # never replace: the next free name
            except JournalError as exc:
                self.notify(str(exc), severity="error", markup=False, timeout=8)
                return
            self.notify(_("Saved a blank worksheet to {path}. Open it in a browser to "
                          "print it.").format(path=written), markup=False, timeout=8)
            return

    def action_close(self) -> None:
        self.dismiss()


def _documents_folder() -> Path:
    """Where saved files go: the documents folder, else home."""
    try:
        import platformdirs

        folder = platformdirs.user_documents_path()
    except Exception:  # no documents folder known on this system
        folder = Path.home()
    return folder if folder.is_dir() else Path.home()

"""Writing, editing, searching, deleting and drafts in the full-screen app."""

from __future__ import annotations

from datetime import timedelta

from textual import events
from textual.widgets import OptionList, TextArea

from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry
from recoveryjournal.tui.app import RecoveryJournalApp
from recoveryjournal.tui.screens.dashboard import DashboardScreen
from recoveryjournal.tui.screens.editor import EditorScreen, parse_tags
from recoveryjournal.tui.screens.entries import EntriesScreen, filter_entries, parse_day
from recoveryjournal.tui.screens.entry_view import EntryScreen
from recoveryjournal.tui.screens.unlock import UnlockScreen

from helpers import PASSPHRASE
from helpers.tui import HOSTILE, NOW, fixed_clock, make_journal, screen_text, type_text, unlock


def make_app(path) -> RecoveryJournalApp:
    return RecoveryJournalApp(path, clock=fixed_clock)


def saved_entries(path) -> list[Entry]:
    journal = Journal.open(path, PASSPHRASE)
    try:
        return journal.entries()
    finally:
        journal.lock()


def listed(app) -> list[str]:
    entry_list = app.screen.query_one("#entry-list", OptionList)
    return [str(entry_list.get_option_at_index(i).prompt) for i in range(entry_list.option_count)]


async def test_writing_an_entry_with_mood_and_tags(journal_path):
    make_journal(journal_path, entries=False)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("w")
        assert isinstance(app.screen, EditorScreen)
        await type_text(pilot, "Met\nok")
        await pilot.press("tab", "enter", "down", "down", "down", "down", "enter")  # mood 4
        app.screen.query_one("#tags").value = "group, #Hope"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
    [entry] = saved_entries(journal_path)
    assert entry.text == "Met\nok"
    assert entry.mood == 4
    assert entry.tags == ["group", "hope"]


async def test_an_empty_entry_is_not_saved_and_says_why(journal_path):
    make_journal(journal_path, entries=False)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("w", "space", "ctrl+s")
        assert isinstance(app.screen, EditorScreen)
        assert "needs some text" in screen_text(app)
    assert saved_entries(journal_path) == []


async def test_editing_an_entry_from_the_list(journal_path):
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("j")
        assert isinstance(app.screen, EntriesScreen)
        assert "Hard day at work" in listed(app)[0]  # newest first
        await pilot.press("enter")
        assert isinstance(app.screen, EntryScreen)
        assert "went for a walk instead" in screen_text(app)
        await pilot.press("e")
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("end")
        await type_text(pilot, " (ok)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        assert "went for a walk instead (ok)" in screen_text(app)
    texts = [e.text for e in saved_entries(journal_path)]
    assert "Hard day at work, went for a walk instead (ok)" in texts
    assert len(texts) == 3


async def test_a_refused_edit_leaves_the_entry_as_it_was_saved(journal_path, monkeypatch):
    """The editor saves a changed copy: a save that fails (here a full disk) leaves
    the journal's entry as saved, so the list, the entry and search never show words
    that were not kept, while the editor still holds them."""
    from recoveryjournal.vault.errors import JournalError

    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        [entry] = [e for e in app.journal.entries() if e.text.startswith("Hard day")]
        saved_text = entry.text
        app.push_screen(EditorScreen(app.journal, entry))
        await pilot.pause()
        await pilot.press("end")
        await type_text(pilot, " lighthouse")

        def disk_full(record):
            raise JournalError("The disk is full.")

        with monkeypatch.context() as full:
            full.setattr(app.journal, "_write", disk_full)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, EditorScreen)  # still there, with the text
            assert "lighthouse" in app.screen.query_one(TextArea).text
            assert app.journal.get(entry.id).text == saved_text
            assert app.journal.search("lighthouse") == []
        await pilot.press("ctrl+s")  # room again: it saves
        await pilot.pause()
        assert app.journal.get(entry.id).text == saved_text + " lighthouse"
        assert [e.id for e in app.journal.search("lighthouse")] == [entry.id]
    texts = [e.text for e in saved_entries(journal_path)]
    assert saved_text + " lighthouse" in texts


async def test_search_and_filters_narrow_the_list(journal_path):
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("j")
        assert len(listed(app)) == 3
        await pilot.press("slash")
        await type_text(pilot, "dew")  # letters that are keys elsewhere just type here
        assert isinstance(app.screen, EntriesScreen)
        assert app.screen.query_one("#search").value == "dew"
        app.screen.query_one("#search").value = ""
        await type_text(pilot, "SPONSOR")
        app.screen.query_one("#search").value = "SPONSOR hour"
        await pilot.pause()
        rows = listed(app)
        assert len(rows) == 1 and "Called my sponsor" in rows[0]
        assert "1 entry matches" in screen_text(app)
        app.screen.query_one("#search").value = "SPONSOR hour nothing"
        await pilot.pause()
        assert listed(app) == []
        assert "Nothing matches" in screen_text(app)
        app.screen.query_one("#search").value = ""
        await pilot.pause()
        app.screen.query_one("#tag").value = "#family"
        await pilot.pause()
        rows = listed(app)
        assert len(rows) == 1 and "Quiet Sunday" in rows[0]
        app.screen.query_one("#tag").value = ""
        app.screen.query_one("#from-day").value = (NOW - timedelta(days=2)).date().isoformat()
        await pilot.pause()
        assert len(listed(app)) == 2
        app.screen.query_one("#to-day").value = "14 March"
        await pilot.pause()
        assert "Dates are written like" in screen_text(app)


async def test_after_filtering_down_and_one_enter_open_the_entry(journal_path):
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("j", "slash")
        await type_text(pilot, "sponsor")
        await pilot.press("tab")  # on to the date filter: ↓ still goes to the list
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        assert "Called my sponsor" in screen_text(app)


def test_filter_helpers():
    entries = [
        Entry(text="a", tags=["Work"], when=NOW - timedelta(days=3)),
        Entry(text="b", tags=["family"], when=NOW - timedelta(days=1)),
    ]
    day = (NOW - timedelta(days=2)).date()
    assert [e.text for e in filter_entries(entries, day, None, "")] == ["b"]
    assert [e.text for e in filter_entries(entries, None, day, "")] == ["a"]
    assert [e.text for e in filter_entries(entries, None, None, "#work")] == ["a"]
    assert parse_day("") is None
    assert parse_tags("work, #Family  work") == ["work", "family"]


async def test_deleting_asks_first_and_keep_it_keeps_it(journal_path):
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("j", "d")
        assert "for good" in screen_text(app)
        await pilot.press("enter")  # the focused answer is the safe one
        assert len(listed(app)) == 3
        await pilot.press("d")
        await pilot.press("y")
        await pilot.pause()
        rows = listed(app)
        assert len(rows) == 2
        assert not any("Hard day at work" in row for row in rows)
        await pilot.press("enter", "d", "y")  # from the entry itself
        await pilot.pause()
        assert isinstance(app.screen, EntriesScreen)
        assert len(listed(app)) == 1
    assert [e.text for e in saved_entries(journal_path)] == ["Quiet Sunday with the kids"]


async def test_auto_lock_keeps_the_draft_and_returns_to_it(journal_path):
    make_journal(journal_path, entries=False)
    ticks = [500.0]
    app = RecoveryJournalApp(journal_path, clock=fixed_clock, monotonic=lambda: ticks[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("w")
        await type_text(pilot, "I almost")
        # No pause long enough for the debounce: only the lock can save this draft.
        assert await app.check_idle_lock(now=ticks[0] + 5 * 60)
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        assert "I almost" not in screen_text(app)
        await unlock(pilot)
        # Back in the text, not on the dashboard; new words go after the old ones.
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.query_one("#text", TextArea).text == "I almost"
        await type_text(pilot, " called")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.journal.draft("entry:new") is None  # saving discards the draft
        assert isinstance(app.screen, DashboardScreen)  # the screen below the editor
    assert [e.text for e in saved_entries(journal_path)] == ["I almost called"]


async def test_a_draft_offered_back_puts_the_cursor_at_its_end(journal_path):
    make_journal(journal_path, entries=False)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        app.journal.save_draft("entry:new", {"text": "line one\nline two", "mood": None,
                                             "tags": ""})
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await type_text(pilot, " and more")
        assert app.screen.query_one("#text", TextArea).text == "line one\nline two and more"


async def test_locking_while_editing_an_entry_returns_to_that_edit(journal_path):
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        entry = app.journal.entries()[0]
        saved_text = entry.text  # an entry of a locked journal holds no text
        app.push_screen(EditorScreen(app.journal, entry))
        await pilot.pause()
        await type_text(pilot, " Then I slept.")
        await pilot.press("ctrl+l")
        await pilot.pause()
        await unlock(pilot)
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.entry.id == entry.id
        assert app.screen.query_one("#text", TextArea).text == saved_text + " Then I slept."
        # Closed with Escape, the edit stays waiting, and the dashboard names it.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        app.screen.refresh_numbers()
        await pilot.pause()
        assert "changes to your entry of" in screen_text(app)


async def test_the_dashboard_lists_every_waiting_draft(journal_path):
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await unlock(pilot)
        entry = app.journal.entries()[0]
        app.journal.save_draft("entry:new", {"text": "new words", "mood": None, "tags": ""})
        app.journal.save_draft(f"entry:{entry.id}", {"text": "edited", "mood": None, "tags": ""})
        app.journal.save_draft("exercise:thought-record", {"step": 0, "answers": {"x": "y"}})
        app.screen.refresh_numbers()
        await pilot.pause()
        shown = screen_text(app)
        assert "a new entry (w)" in shown
        assert "changes to your entry of" in shown
        assert "exercise" in shown.split("unsaved work")[1]


async def test_start_over_discards_the_draft(journal_path):
    make_journal(journal_path, entries=False)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        app.journal.save_draft("entry:new", {"text": "old words", "mood": None, "tags": ""})
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#text", TextArea).text == ""
        assert app.journal.draft("entry:new") is None


async def test_drafts_are_saved_after_a_pause_in_typing(journal_path, monkeypatch):
    from recoveryjournal.tui.screens import editor

    # Timers far away, so a slow machine cannot fire them mid-typing; the test fires one.
    monkeypatch.setattr(editor, "DRAFT_PAUSE_SECONDS", 600)
    monkeypatch.setattr(editor, "DRAFT_MAX_SECONDS", 900)
    make_journal(journal_path, entries=False)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("w")
        await type_text(pilot, "still typing")
        editor = app.screen
        assert app.journal.draft("entry:new") is None
        # The debounce timer fires after a pause; here we fire it instead of waiting.
        editor._pause_timer._callback()
        await pilot.pause()
        assert app.journal.draft("entry:new").content["text"] == "still typing"
        assert "Draft kept safe" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        assert app.journal.draft("entry:new") is not None


async def test_drafts_are_saved_soon_and_at_every_line_break(journal_path, monkeypatch):
    from recoveryjournal.tui.screens import editor

    # A kill -9 loses at most the words of the last pause: a third of a second.
    assert editor.DRAFT_PAUSE_SECONDS <= 0.3
    monkeypatch.setattr(editor, "DRAFT_PAUSE_SECONDS", 600)
    monkeypatch.setattr(editor, "DRAFT_MAX_SECONDS", 900)
    make_journal(journal_path, entries=False)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("w")
        await type_text(pilot, "first line")
        assert app.journal.draft("entry:new") is None
        await pilot.press("enter")
        await pilot.pause()
        assert app.journal.draft("entry:new").content["text"] == "first line\n"


async def test_the_hostile_entry_is_shown_literally_everywhere(journal_path):
    make_journal(journal_path, entries=False)
    app = make_app(journal_path)
    literal = HOSTILE.replace("\x1b", "")
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        await pilot.press("w")
        app.post_message(events.Paste(HOSTILE))  # as a terminal delivers a paste
        await pilot.pause()
        app.screen.query_one("#tags").value = "[b]x[/b]"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running
        await pilot.press("j")
        assert literal in screen_text(app)  # in the list
        assert "#[b]x[/b]" in screen_text(app)
        await pilot.press("enter")
        assert literal in screen_text(app)  # in the entry itself
        await pilot.press("d")
        assert "[/bold] [@click=app.quit]x[/]" in screen_text(app)  # in the question
        await pilot.press("n", "escape", "slash")
        await type_text(pilot, "[@click")
        assert literal in screen_text(app)
        assert app.is_running
    saved = saved_entries(journal_path)
    assert saved[0].text == HOSTILE


async def test_a_large_journal_searches_after_a_pause_or_on_enter(journal_path, monkeypatch):
    from recoveryjournal.tui.screens import entries

    monkeypatch.setattr(entries, "SEARCH_AS_YOU_TYPE_UP_TO", 1)  # "large": more than one
    monkeypatch.setattr(entries, "SEARCH_PAUSE_SECONDS", 600)  # the pause never ends here
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("j", "slash")
        await type_text(pilot, "quiet")
        assert len(listed(app)) == 3  # still typing: nothing recomputed yet
        await pilot.press("enter")
        rows = listed(app)
        assert len(rows) == 1 and "Quiet Sunday" in rows[0]


async def test_a_one_megabyte_single_line_entry_stays_quick_to_edit(journal_path):
    from recoveryjournal.tui.widgets.writing_area import LONG_LINE, WritingArea, break_long_lines

    make_journal(journal_path, entries=False)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        entry = app.journal.add(Entry(text="I keep going " * 80_000, when=NOW))  # ~1 MB, one line
        app.push_screen(EditorScreen(app.journal, entry))
        await pilot.pause()
        area = app.screen.query_one("#text", WritingArea)
        # No line long enough to be re-wrapped whole after every key...
        assert max(len(line) for line in area.document.lines) <= LONG_LINE
        assert "Very long lines were broken" in screen_text(app)
        # ...and the height is not summed over every line for every line drawn.
        class NoSumming(list):
            def __iter__(self):
                raise AssertionError("summed every line")
        area.wrapped_document._wrap_offsets = NoSumming(area.wrapped_document._wrap_offsets)
        assert area.wrapped_document.height >= area.document.line_count
        await type_text(pilot, "x")
        # The words are all still there, in order (only spaces became line breaks).
        assert area.text.split() == (entry.text + "x").split()
    assert break_long_lines("short\nlines") == ("short\nlines", False)
    assert break_long_lines("a" * 5, limit=2) == ("aa\naa\na", True)


async def test_locking_in_an_exercise_returns_to_its_step_and_answers(journal_path):
    from recoveryjournal.tui.screens.exercises.choose import ExercisesScreen
    from recoveryjournal.tui.screens.exercises.run import ExerciseRunScreen

    make_journal(journal_path, entries=False)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")  # the first exercise
        await pilot.pause()
        run = app.screen
        assert isinstance(run, ExerciseRunScreen)
        field = run.field
        await type_text(pilot, "my words")
        answer_before = field.answer
        assert "my words" in str(answer_before)  # the first step takes text
        await pilot.press("ctrl+l")
        await pilot.pause()
        await unlock(pilot)
        assert isinstance(app.screen, ExerciseRunScreen)
        assert app.screen.exercise.id == run.exercise.id
        assert isinstance(app.screen_stack[-2], ExercisesScreen)  # the list below it, as before
        assert app.screen.field.answer == answer_before


async def test_a_paste_goes_in_once_and_a_long_pasted_line_is_broken(journal_path):
    make_journal(journal_path, entries=False)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("w")
        app.post_message(events.Paste("pasted words"))
        await pilot.pause()
        area = app.screen.query_one("#text", TextArea)
        assert area.text == "pasted words"
        app.post_message(events.Paste(" x" * 5000))
        await pilot.pause()
        # The pasted text is broken; only its first piece joins the line it lands on.
        assert max(len(line) for line in area.document.lines) <= 2000 + len("pasted words")
        assert area.text.replace("\n", " ").count("x") == 5000


async def test_the_journal_list_opens_at_once_while_the_journal_is_still_being_read(
        journal_path, monkeypatch):
    """Just after unlock the app's worker reads every record (many seconds on a journal
    of many years). Pressing j then froze the app until the read was done; the list
    now shows the newest entries from the summary at once, says search waits a
    moment, and shows every entry, searched, once the read is done."""
    import threading

    make_journal(journal_path)
    may_read = threading.Event()
    read_in_background = Journal.load_in_background

    def held_back(journal, busy=None):
        # The safety timeout only keeps a regression from hanging the run: the UI
        # thread would wait for this read, and then the assertions below fail.
        may_read.wait(timeout=20)
        return read_in_background(journal, busy)

    monkeypatch.setattr(Journal, "load_in_background", held_back)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#passphrase").value = PASSPHRASE
        await pilot.press("enter")
        for _ in range(200):  # the unlock runs in a thread: wait for the dashboard
            if isinstance(app.screen, DashboardScreen):
                break
            await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, EntriesScreen)
        assert not may_read.is_set() and app.journal.still_opening(Entry)
        assert [line.split("/5  ", 1)[-1] for line in listed(app)] == [
            "Hard day at work, went for a walk instead  #work",
            "Called my sponsor  #sponsor",
            "Quiet Sunday with the kids  #family",
        ]
        assert "Opening the rest of your journal: the newest entries for now." in screen_text(app)
        await pilot.press("slash")
        await type_text(pilot, "walk")
        await pilot.pause()
        assert "search and filters work in a moment." in screen_text(app)
        assert len(listed(app)) == 3  # nothing hidden by a search that has not run

        may_read.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.journal.still_opening(Entry)
        assert [line.split("/5  ", 1)[-1] for line in listed(app)] == [
            "Hard day at work, went for a walk instead  #work"]
        assert "1 entry matches" in screen_text(app)


async def test_a_search_before_the_word_index_runs_in_a_thread_and_shows_the_latest(
        journal_path, monkeypatch):
    """Until the app's worker has built the word index, a search scans every entry:
    most of a second on a journal of many years, which froze the screen. It now runs
    in a thread: the screen says it is searching, takes keys meanwhile, and shows
    the result of the search as it stands last (never an older one that ended later)."""
    import threading

    from recoveryjournal.tui.screens import entries as entries_screen

    make_journal(journal_path)
    monkeypatch.setattr(entries_screen, "SEARCH_AS_YOU_TYPE_UP_TO", 1)  # as for a big journal
    monkeypatch.setattr(Journal, "build_search_index", lambda journal, busy=None: False)
    may_search = threading.Event()
    search = Journal.search

    def held_back(journal, query, *args):
        # The timeout only keeps a regression from hanging the run (the screen would
        # wait here, and the assertions below fail).
        may_search.wait(timeout=20)
        return search(journal, query, *args)

    monkeypatch.setattr(Journal, "search", held_back)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert not app.journal.search_is_quick
        await pilot.press("j", "slash")
        await type_text(pilot, "walk")
        await pilot.press("enter")
        await pilot.pause()
        assert "Searching every entry…" in screen_text(app)
        assert len(listed(app)) == 3  # the list as it was, until the search is done
        await pilot.press("slash")
        app.screen.query_one("#search").value = ""
        await type_text(pilot, "sunday")  # the screen takes keys meanwhile
        await pilot.press("enter")
        await pilot.pause()
        may_search.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        [line] = listed(app)
        assert "Quiet Sunday with the kids" in line
        assert "1 entry matches" in screen_text(app)


def test_the_count_under_a_search_fits_on_its_line_in_every_language():
    """The status under the journal list is one line: "4064 entries match · showing
    the newest 300; search to narrow down · Enter opens" ran past 80 columns and hid
    "Enter opens". Under a search it no longer suggests searching."""
    from recoveryjournal.i18n import set_language

    for language in ("en", "sv", "da", "nb"):
        set_language(language)
        text = EntriesScreen._count_text(None, 4064, "lighthouse", None, None, "")
        assert len(text) <= 78, (language, text)  # 80 columns less the status's padding
        assert "300" in text
    set_language("en")
    assert EntriesScreen._count_text(None, 4064, "lighthouse", None, None, "").endswith(
        "the newest 300 shown · Enter opens")

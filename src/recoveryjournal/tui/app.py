"""The full-screen app: first run, unlock, the dashboard and every screen above it.

The app owns the journal while it is unlocked (`app.journal`), the keys that
work everywhere (lock, help, safety plan, palette, quit) and the idle lock.
Feature screens are imported when first opened: importing them all would slow
the start, and "Urge now" must open fast.
"""

from __future__ import annotations

import contextlib
import time
from datetime import datetime
from pathlib import Path
from typing import Callable

from textual import events, work
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import WorkerFailed

from .. import records
from ..i18n import _, set_language
from ..journal import Journal
from ..vault import memory
from ..vault.errors import JournalError, MustUnlockAgain
from . import keymap, style_sheets
from .commands import JournalCommands

# How often the idle lock looks at the clock; the lock itself follows settings.idle_minutes.
IDLE_CHECK_SECONDS = 5.0
# How often the app looks for what the CLI or a second app saved (one cheap PRAGMA).
OUTSIDE_WRITES_CHECK_SECONDS = 2.0

# Feature screens built in their own modules (see the TUI contract): action -> (module, class).
def _feature_screen(action: str) -> type[Screen]:
    """The screen class of a feature, imported when it is first opened."""
    if action == "urge_now":
        from .screens.urge_now import UrgeNowScreen as screen
    elif action == "exercises":
        from .screens.exercises.choose import ExercisesScreen as screen
    elif action == "checkin":
        from .screens.checkin import CheckinScreen as screen
    elif action == "progress":
        from .screens.progress import ProgressScreen as screen
    elif action == "export":
        from .screens.export import ExportScreen as screen
    elif action == "safety_plan":
        from .screens.safety_plan import SafetyPlanScreen as screen
    else:
        raise KeyError(action)
    return screen

# Feature screens rebuilt from the journal alone after a lock (each reloads its own
# draft); not "Urge now", which would log a second urge.
_REOPENED_AS_THEY_WERE = {"CheckinScreen", "ProgressScreen", "ExportScreen",
                          "SafetyPlanScreen"}

_ACTIONS_NEEDING_JOURNAL = {
    k.action for k in keymap.app_keys() + keymap.dashboard_keys() if k.needs_journal
}
# What a read-only journal (read-only media) cannot do: each would write a record.
_ACTIONS_THAT_WRITE = {"write", "urge_now", "exercises", "checkin", "settings"}


class RecoveryJournalApp(App):
    """recoveryjournal's full-screen app on the journal at `path`.

    `clock` gives the local time (for "today" on the dashboard; tests pass a fixed
    one), `monotonic` the seconds used by the idle lock.
    """

    # The first screens' style sheets and widget styles are read at start, in one
    # parse; the other screens' once the journal is decoded (tui/style_sheets.py).
    CSS_PATH = style_sheets.screen_sheets()
    TITLE = "recoveryjournal"
    BINDINGS = keymap.app_bindings()
    COMMANDS = App.COMMANDS | {JournalCommands}

    def __init__(
        self,
        path: Path,
        demo: bool = False,
        journal: Journal | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        monotonic: Callable[[], float] | None = None,
    ):
        super().__init__()
        style_sheets.add_widget_defaults(self.stylesheet, style_sheets.widgets_used_first())
        self.journal_path = Path(path)
        self.demo = demo
        self.journal: Journal | None = None
        self.fully_loaded = False
        self._opened_with = journal
        self.clock = clock or records.now
        self.monotonic = monotonic or time.monotonic
        self.last_activity = self.monotonic()
        self.idle_minutes = records.Settings().idle_minutes
        # Screens to rebuild after the next unlock, bottom first: where the person was.
        self._reopen_after_unlock: list[Callable[[Journal], Screen]] = []
        self._later_sheets_read = False  # the other screens' style sheets, after unlock
        if demo:
            self.sub_title = _("DEMO")

    # ---- starting ----------------------------------------------------------------

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._screen_shown)
        self.set_interval(IDLE_CHECK_SECONDS, self.check_idle_lock)
        self.set_interval(OUTSIDE_WRITES_CHECK_SECONDS, self.take_in_outside_writes)

        if not self.demo:
            from ..export.backup import remove_abandoned_restores

            remove_abandoned_restores(self.journal_path.parent)
        if self._opened_with is not None:
            journal, self._opened_with = self._opened_with, None
            self._open_unlocked(journal)
        elif self.journal_path.exists():
            from .screens.unlock import UnlockScreen

            self.push_screen(UnlockScreen())
        else:
            from .screens.first_run import FirstRunScreen

            self.push_screen(FirstRunScreen())

    def _open_unlocked(self, journal: Journal) -> None:
        """Start on a journal that came unlocked (the demo): the dashboard is pushed
        at once, so anything pushed after start-up lands on top of it."""
        from .screens.dashboard import DashboardScreen
        from .screens.first_run import FirstRunScreen

        self.adopt_journal(journal)
        self.fully_loaded = False
        journal.expect_background_read()  # screens show what the summary knows meanwhile
        journal.problems  # noqa: B018  (reads the file here: the worker thread may not)
        if journal.settings().onboarded:
            self.push_screen(DashboardScreen(journal))
        else:
            self.push_screen(FirstRunScreen(resume=True))
        self.finish_loading(journal)

    def _screen_shown(self, screen: Screen) -> None:
        """Every screen: key descriptions in the current language (the app's own too:
        before unlock nothing else has translated "f1 Help"); in demo mode a "DEMO"
        mark, even on a screen without a header."""
        keymap.translate_bindings(self)
        keymap.translate_bindings(screen)
        screen.refresh_bindings()
        if not self.demo or screen.query(Header) or screen.query(".demo-badge"):
            return
        screen.mount(Static(_("DEMO"), classes="demo-badge"))

    def apply_language(self, code: str) -> None:
        """Switch the language ("" follows the environment) for everything shown next."""
        set_language(code)
        if self.demo:
            self.sub_title = _("DEMO")
        keymap.translate_bindings(self)
        for screen in self.screen_stack:
            keymap.translate_bindings(screen)
        self.refresh_bindings()

    # ---- unlocking and locking ---------------------------------------------------

    def adopt_journal(self, journal: Journal) -> None:
        """Take an unlocked journal: apply its settings and start the idle clock."""
        self.journal = journal
        # A new journal has nothing left to decode; `unlocked` clears this until the
        # worker has decoded every kind.
        self.fully_loaded = True
        settings = journal.settings()
        self.apply_language(settings.language)
        self.idle_minutes = settings.idle_minutes
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        self.last_activity = self.monotonic()

    async def unlocked(self, journal: Journal) -> None:
        """Called by the unlock screen: show the dashboard (or finish first run)."""
        self.adopt_journal(journal)
        self.fully_loaded = False
        journal.expect_background_read()  # screens show what the summary knows meanwhile
        if not journal.settings().onboarded:
            from .screens.first_run import FirstRunScreen

            await self.reset_to(FirstRunScreen(resume=True))
            self.finish_loading(journal)
            return
        await self.show_dashboard()
        self.tell_when_last_saved(journal)
        await self.return_to_where_they_were(journal)
        # Once the dashboard is drawn: the check and the decoding of every other
        # kind take most of a second of CPU on a ten-year journal.
        self.call_after_refresh(self.finish_loading, journal)

    async def return_to_where_they_were(self, journal: Journal) -> None:
        """After an unlock, open again the screens that were open at the lock (a draft
        comes back in its own screen, the cursor where typing goes on)."""
        factories, self._reopen_after_unlock = self._reopen_after_unlock, []
        for factory in factories:
            try:
                screen = factory(journal)
            except Exception as exc:  # the record may be gone: the dashboard still works
                self.log.error("reopening a screen after unlock failed", exc)
                continue
            if screen is not None:
                await self.push_screen(screen)

    def remember_open_screens(self) -> None:
        """Before a lock: how to rebuild each open screen that can be rebuilt
        (a screen offers `resume_after_unlock()`); modal questions are not kept."""
        self._reopen_after_unlock = []
        for screen in self.screen_stack:
            rebuild = getattr(screen, "resume_after_unlock", None)
            if rebuild is None and type(screen).__name__ in _REOPENED_AS_THEY_WERE:
                self._reopen_after_unlock.append(type(screen))
            elif callable(rebuild):
                try:
                    factory = rebuild()
                except Exception as exc:
                    self.log.error("remembering a screen failed", exc)
                    continue
                if factory is not None:
                    self._reopen_after_unlock.append(factory)

    def tell_when_last_saved(self, journal: Journal) -> None:
        """At unlock: when the journal was last saved (so an old copy stands out),
        and a calm warning when it is older than this computer saw it last."""
        from ..journal import saved_ago

        from datetime import datetime, timedelta, timezone

        if journal.rollback_warning:
            self.notify(journal.rollback_warning, severity="warning", timeout=30, markup=False)
            return
        last = journal.last_saved()
        # Only when it is not today's: a gap the person did not expect then stands out.
        if last is not None and last[1] is not None and not self.demo and (
                datetime.now(timezone.utc) - last[1] > timedelta(days=1)):
            self.notify(_("Journal {ago}.").format(ago=saved_ago(last[1])), timeout=6,
                        markup=False)

    @work(thread=True, exclusive=True, group="daily-backup", exit_on_error=False)
    def make_daily_backup(self, journal: Journal) -> None:
        """Once a day, when the dashboard shows (after unlock or first run), an
        encrypted copy in the data folder (the last seven are kept). In a worker:
        the copy takes a connection of its own, so the app stays responsive."""
        from ..export.backup import backups_folder, daily_backup

        try:
            if self.demo or journal.is_locked or journal.read_only:
                return  # read-only media: there is nowhere to put a backup
            daily_backup(journal, backups_folder(journal.path), self.clock().date())
        except JournalError as exc:
            if self.journal is journal:  # not when it failed because the app locked
                self.call_from_thread(
                    self.notify,
                    _("Today's automatic backup could not be made: {reason}").format(
                        reason=exc),
                    severity="warning", markup=False,
                )

    @work(thread=True, exclusive=True, group="finish-loading", exit_on_error=False)
    def finish_loading(self, journal: Journal) -> None:
        """After the dashboard shows: read every record (the dashboard came from the
        summary), check the set (deleted or rolled back outside the app?) and the
        summary, decode the rest, then report problems calmly."""
        try:
            self._wait_while_typing()
            journal.load_in_background(busy=self.person_is_typing)
            self.call_from_thread(self._records_in_memory, journal)
            self._wait_while_typing()
            journal.verify(busy=self.person_is_typing)
            journal.decode_all(polite=True, busy=self.person_is_typing)
            # The batches read and opened on the way (ciphertext, plaintext) are
            # free now, scattered between the records: hand their pages back
            # (vault/memory.py), and again after each step that frees much.
            memory.give_back()
            self._wait_while_typing()
            journal.check_summary()
            memory.give_back()  # the summary it rebuilt from the records
            problems = list(journal.problems)
        except JournalError:
            return  # locked meanwhile: the next unlock checks again
        except Exception as exc:  # the dashboard still works; decoding continues on demand
            self.log.error("finishing the load failed", exc)
            problems = []
        self.call_from_thread(self._finished_loading, journal, problems)
        # Last, once problems are told: until it is built, search scans the entries
        # (half a second at ten times the benchmark journal; then a few ms).
        self._build_search_index(journal)

    @work(thread=True, exclusive=True, group="search-index", exit_on_error=False)
    def build_search_index_again(self, journal: Journal) -> None:
        """After many saves (an import) or a reload the word index stepped aside:
        build it again, in a worker, giving way to the person."""
        self._build_search_index(journal)

    def _build_search_index(self, journal: Journal) -> None:
        try:
            self._wait_while_typing()
            if journal.build_search_index(busy=self.person_is_typing):
                # With the index answering searches, the entries' texts can wait on
                # disk until a screen reads one (most of a decoded journal's memory).
                journal.leave_entry_texts_on_disk(busy=self.person_is_typing)
            memory.give_back()  # the folded texts it indexed from, the texts let go of
        except JournalError:
            return  # locked meanwhile: built again after the next unlock
        except Exception as exc:  # search still works, scanning the entries
            self.log.error("building the search index failed", exc)

    def _records_in_memory(self, journal: Journal) -> None:
        """The worker has read the journal: a screen that showed what the summary
        knew meanwhile (the journal list) now shows everything."""
        from .screens.entries import EntriesScreen

        if self.journal is not journal:
            return
        for screen in self.screen_stack:
            if isinstance(screen, EntriesScreen):
                screen.journal_changed()

    def _finished_loading(self, journal: Journal, problems: list[str]) -> None:
        from .screens.dashboard import DashboardScreen
        from .screens.problems import ProblemsScreen

        if self.journal is not journal:
            return
        self.fully_loaded = True
        for screen in self.screen_stack:
            if isinstance(screen, DashboardScreen):
                screen.refresh_numbers()
        self.read_later_style_sheets()
        if problems:
            self.push_screen(ProblemsScreen(journal))

    def read_later_style_sheets(self) -> None:
        """Read the sheets of the screens not read at start (tui/style_sheets.py), in
        one parse, once the dashboard is drawn and the journal decoded: not at
        start, where they would lie under the unlock's 64 MiB, nor while the
        person types (the restyle takes a moment: it waits a second)."""
        if self._later_sheets_read:
            return
        if self.person_is_typing():
            self.set_timer(1.0, self.read_later_style_sheets)
            return
        self._later_sheets_read = True
        unread = [sheet for sheet in style_sheets.later_sheets()
                  if not self.stylesheet.has_source(sheet, "")]
        if not unread:
            return
        for sheet in unread:
            self.stylesheet.read(sheet)
        # As Textual does when a screen with an unread sheet opens.
        self.stylesheet.reparse()
        self.stylesheet.update(self)

    async def show_dashboard(self) -> None:
        from .screens.dashboard import DashboardScreen

        assert self.journal is not None
        await self.reset_to(DashboardScreen(self.journal))
        self.make_daily_backup(self.journal)

    async def reset_to(self, screen: Screen) -> None:
        """Close every open screen and show `screen` alone."""
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        await self.push_screen(screen)

    def save_drafts(self) -> None:
        """Ask every open screen holding unsaved typing to seal it as a draft."""
        if self.journal is not None:
            self.save_drafts_of(self.journal)

    def save_drafts_of(self, journal: Journal) -> None:
        """`save_drafts`, for a journal the app is about to let go of."""
        if journal.is_locked or journal.read_only:
            return
        for screen in list(self.screen_stack):
            save = getattr(screen, "save_draft", None)
            if callable(save):
                try:
                    save()
                except Exception as exc:  # a draft that fails must not block the lock
                    self.log.error("saving a draft failed", exc)

    async def action_lock(self) -> None:
        """Save drafts, drop the keys and every decrypted record, show the unlock screen."""
        if self.journal is None:
            return
        self.save_drafts()
        self.remember_open_screens()
        journal, self.journal = self.journal, None
        journal.lock()
        from .screens.unlock import UnlockScreen

        await self.reset_to(UnlockScreen())
        self.theme = "textual-dark"

    async def check_idle_lock(self, now: float | None = None) -> bool:
        """Lock when nothing was typed or clicked for `idle_minutes`; True if it locked.

        `now` (seconds on the same clock as `monotonic`) lets tests skip the wait.
        """
        if self.journal is None or getattr(self.screen, "idle_lock_paused", False):
            return False
        now = self.monotonic() if now is None else now
        if now - self.last_activity < self.idle_minutes * 60:
            return False
        await self.action_lock()
        return True

    def on_app_focus(self, _event: events.AppFocus) -> None:
        self.take_in_outside_writes()

    def take_in_outside_writes(self) -> bool:
        """Show what the CLI or a second app saved while this one was open; True
        when anything changed. The journal also does this before each write."""
        journal = self.journal
        if journal is None:
            return False
        if self.fully_loaded and journal.search_index_wanted:
            self.build_search_index_again(journal)
        try:
            changed = journal.refresh()
        except MustUnlockAgain as exc:
            # Another process chose a new passphrase or restored a backup: what
            # this app holds can no longer save.
            self.notify(str(exc), severity="warning", markup=False, timeout=30)
            self.call_later(self.action_lock)
            return False
        except JournalError as exc:  # a busy or failing disk: try again at the next tick
            self.log.warning("looking for outside writes failed", exc)
            return False
        if changed:
            update = getattr(self.screen, "journal_changed", None)
            if callable(update):
                update()
        return changed

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A focused widget's own keys (the urge scale's "⏎ Confirm") show in the
        footer: put them in the current language as it takes focus."""
        keymap.translate_bindings(event.widget)
        if event.widget.is_attached:  # it may be gone by the time the event arrives
            self.screen.refresh_bindings()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown,
                              events.MouseScrollUp, events.Paste)):
            self.last_activity = self.monotonic()
            self._last_key = time.monotonic()
        await super().on_event(event)

    def _wait_while_typing(self) -> None:
        """In a worker, between steps of the work after unlock."""
        while self.person_is_typing():
            time.sleep(0.05)

    def person_is_typing(self) -> bool:
        """True within half a second of a key press: background work (decoding the
        records after unlock) waits, so typing never competes with it."""
        return time.monotonic() - getattr(self, "_last_key", float("-inf")) < 0.5

    async def action_quit(self) -> None:
        """Save drafts and lock before leaving, so nothing typed is lost."""
        if self.journal is not None:
            self.save_drafts()
            self.journal.lock()
            self.journal = None
        self._reopen_after_unlock = []
        self.exit()

    # ---- when something goes wrong ----------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Every unhandled error ends here (Textual's hook): remember it for
        `_fatal_error`, then let Textual end the app with exit code 1."""
        self._crashed_with = error.error if isinstance(error, WorkerFailed) else error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Instead of Textual's traceback, which shows every local variable
        (decrypted entries among them): keep what was typed as a draft, lock,
        write a short report without journal content, and say so calmly."""
        from rich.text import Text

        from ..crash import message, write_report

        error = getattr(self, "_crashed_with", None) or RuntimeError()
        if self.journal is not None:
            journal, self.journal = self.journal, None
            try:
                self.save_drafts_of(journal)
            except Exception as exc:  # noqa: BLE001 (the calm message below must still come)
                self.log.error("keeping the drafts while stopping failed", exc)
            finally:
                with contextlib.suppress(Exception):
                    journal.lock()
        self.panic(Text(message(error, write_report(error))))

    def get_system_commands(self, screen: Screen):
        """Textual's palette commands (theme, quit, keys...), in the person's language.

        Not "Screenshot": it would write the decrypted screen to disk as plain SVG."""
        for command in super().get_system_commands(screen):
            if command.title == "Screenshot":
                continue
            yield SystemCommand(_(command.title), _(command.help), command.callback,
                                command.discover)

    # ---- actions -----------------------------------------------------------------

    def action_screenshot(self, *args, **kwargs) -> None:
        """Refused: a screenshot would be the decrypted screen as a plain file."""
        self.notify(_("Screenshots are turned off: they would save your journal unencrypted."),
                    severity="warning")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.journal is None and (action in _ACTIONS_NEEDING_JOURNAL or action == "lock"):
            return False
        return True

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    def refused_read_only(self, action: str) -> bool:
        """True (and a calm notice) when `action` would write to a read-only journal."""
        from .read_only import refused

        return action in _ACTIONS_THAT_WRITE and refused(self, self.journal)

    def action_write(self) -> None:
        from .screens.editor import EditorScreen

        if self.journal is not None and not self.refused_read_only("write"):
            self.push_screen(EditorScreen(self.journal))

    def action_journal(self) -> None:
        from .screens.entries import EntriesScreen

        if self.journal is not None:
            self.push_screen(EntriesScreen(self.journal))

    def action_settings(self) -> None:
        from .screens.settings import SettingsScreen

        if self.journal is not None and not self.refused_read_only("settings"):
            self.push_screen(SettingsScreen(self.journal))

    def action_urge_now(self) -> None:
        self.open_feature("urge_now")

    def action_log_use(self, addiction: str | None = None) -> None:
        """Log a use (a lapse): the dashboard's key, the palette, the end of "Urge now"."""
        from .screens.log_use import LogUseScreen

        if self.journal is not None:
            self.push_screen(LogUseScreen(self.journal, addiction))

    def action_log_meeting(self) -> None:
        from .screens.meeting import MeetingScreen

        if self.journal is not None:
            self.push_screen(MeetingScreen(self.journal))

    def action_goals(self) -> None:
        from .screens.goals import GoalsScreen

        if self.journal is not None:
            self.push_screen(GoalsScreen(self.journal))

    def action_exercises(self) -> None:
        self.open_feature("exercises")

    def action_checkin(self) -> None:
        self.open_feature("checkin")

    def action_progress(self) -> None:
        self.open_feature("progress")

    def action_export(self) -> None:
        self.open_feature("export")

    def action_safety_plan(self) -> None:
        """The safety plan; while locked (or before a journal exists), the generic help
        lines, so help is one key away without a passphrase."""
        if self.journal is None:
            from .screens.safety_plan import CrisisLinesScreen

            if not isinstance(self.screen, CrisisLinesScreen):
                self.push_screen(CrisisLinesScreen())
            return
        self.open_feature("safety_plan")

    def open_feature(self, action: str) -> bool:
        """Open a feature screen (once: F2 twice does not stack safety plans)."""
        if self.journal is None or self.refused_read_only(action):
            return False
        screen = _feature_screen(action)
        if not isinstance(self.screen, screen):
            self.push_screen(screen(self.journal))
        return True

"""Sub-commands for the journal itself: init, write, list, search, passwd, recover,
new-recovery-code."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, time
from pathlib import Path

from .. import records
from ..journal import Journal
from ..i18n import _, ngettext
from ..i18n.formats import format_datetime
from ..records import Entry, InvalidRecord
from ..safetext import clean
from ..vault.errors import JournalError
from .questions import Answers, new_passphrase
from .days import too_early
from .unlock import check_journal_file, say_problem, unlock


ORDER = 10  # first in --help


class UsageError(JournalError):
    exit_code = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    init = subparsers.add_parser("init", help=_("create a new journal and show its recovery code"))
    init.add_argument(
        "--track",
        action="append",
        default=[],
        metavar="ADDICTION",
        help=_("an addiction to track (repeat for several), e.g. --track alcohol"),
    )
    init.set_defaults(handler=cmd_init)

    write = subparsers.add_parser("write", help=_("add a quick entry"))
    write.add_argument("text", nargs="*", help=_(
        "the entry; '-' reads it from standard input; nothing, on a terminal, asks for it"))
    write.add_argument("--mood", type=int, metavar="1-5", help=_("how you feel, 1 (low) to 5 (good)"))
    write.add_argument("--tag", action="append", default=[], help=_("a tag (repeat for several)"))
    write.add_argument("--date", metavar="YYYY-MM-DD", help=_("the day it is about (default: now)"))
    write.set_defaults(handler=cmd_write)

    listing = subparsers.add_parser("list", help=_("show recent entries"))
    listing.add_argument("-n", type=int, default=10, metavar="N", help=_("how many (default 10)"))
    listing.add_argument("--full", action="store_true",
                         help=_("show long entries in full (normally the first lines)"))
    listing.set_defaults(handler=cmd_list)

    search = subparsers.add_parser("search", help=_("find entries holding every word"))
    search.add_argument("words", nargs="+")
    search.add_argument("--full", action="store_true",
                        help=_("show long entries in full (normally the first lines)"))
    search.set_defaults(handler=cmd_search)

    passwd = subparsers.add_parser(
        "passwd", help=_("change the passphrase; the old one stops opening the journal"))
    passwd.set_defaults(handler=cmd_passwd)
    _add_backup_option(passwd)

    recover = subparsers.add_parser(
        "recover", help=_("set a new passphrase using the recovery code")
    )
    recover.set_defaults(handler=cmd_recover)
    _add_backup_option(recover)

    renew = subparsers.add_parser(
        "new-recovery-code",
        help=_("get a new recovery code; the old one stops opening the journal"))
    renew.set_defaults(handler=cmd_new_recovery_code)
    _add_backup_option(renew)


def _add_backup_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--delete-old-backups", action="store_true",
        help=_("also delete the backups kept beside the journal: they still open with "
               "the passphrase and recovery code they were made with"))


def cmd_init(args: argparse.Namespace, path: Path) -> int:
    answers = Answers()
    if path.exists():
        from ..vault.errors import JournalExists

        raise JournalExists(path)
    passphrase = new_passphrase(answers, _("Choose a passphrase: "))
    try:
        for name in args.track:
            records.Addiction(name=records.normalise_addiction(name)).validate()
    except InvalidRecord as exc:
        raise UsageError(str(exc)) from exc
    journal, code = Journal.create(path, passphrase, addictions=args.track)
    journal.lock()
    print(_("Created your journal at {path}").format(path=path))
    print()
    print(_("Your recovery code (write it down and keep it somewhere safe):"))
    print()
    print(f"    {code}")
    print()
    print(_("It is shown only this once. With it you can set a new passphrase if you "
            "forget yours: recoveryjournal recover. Without either, nobody, not even "
            "you, can open the journal."))
    return 0


def cmd_write(args: argparse.Namespace, path: Path) -> int:
    answers = Answers()
    asking = not args.text
    if asking and not answers.interactive:
        raise UsageError(_("Please give the entry as words, or '-' to read it from standard "
                           "input. Nothing was written."))
    reading_stdin = args.text == ["-"] or asking
    when = _parse_date(args.date) if args.date else records.now()
    text = None if reading_stdin else " ".join(args.text)
    entry = Entry(text=text or "-", tags=[t.strip() for t in args.tag if t.strip()],
                  mood=args.mood, when=when)
    try:
        entry.validate()  # say what is wrong before asking for the passphrase
    except InvalidRecord as exc:
        raise UsageError(_("{reason} Nothing was written.").format(reason=exc)) from exc
    with unlock(path, answers) as journal:
        if asking:
            # Typed here, after the passphrase, so a mistyped passphrase cannot lose it.
            # Read until end of input, not opened in $EDITOR: an editor needs the text
            # in a file, unencrypted on disk (with its swap and backup copies).
            print(_("Type your entry, then press Ctrl-D on a new line to save it "
                    "(Ctrl-C leaves without saving)."), file=sys.stderr)
            entry.text = sys.stdin.read().strip("\n")
            if not entry.text.strip():
                raise UsageError(_("The entry was empty. Nothing was written."))
        else:
            entry.text = (answers.rest() if reading_stdin else text).strip("\n")
        try:
            journal.add(entry)
        except InvalidRecord as exc:
            raise UsageError(_("{reason} Nothing was written.").format(reason=exc)) from exc
    print(_("Saved."))
    return 0


def cmd_list(args: argparse.Namespace, path: Path) -> int:
    if args.n < 1:
        raise UsageError(_("-n must be 1 or more."))
    with unlock(path, Answers()) as journal:
        # list and search only read: each record shown is authenticated by its own
        # tag; the whole-set check (records deleted or rolled back outside the app)
        # is the full-screen app's and every restore's.
        # Only the rows shown are read, found by the sealed summary (or, in a
        # journal without one, every entry, found by kind hint).
        entries = journal.recent_entries(args.n)
        _print_entries(journal, list(reversed(entries)), full=args.full)
        if not entries:
            print(_('No entries yet. Add one with: recoveryjournal write "..."'))
    return 0


def cmd_search(args: argparse.Namespace, path: Path) -> int:
    query = " ".join(args.words)
    # While the passphrase is checked, only which row is which kind is read; then
    # only the entries' rows (a quarter of the bytes of the benchmark journal),
    # opened a chunk at a time, keeping only those that may match.
    with unlock(path, Answers(), preload="kinds") as journal:
        found = journal.find_entries(query)
        _print_entries(journal, list(reversed(found)), full=args.full)
        print(ngettext("{n} entry found.", "{n} entries found.", len(found)).format(n=len(found)))
    return 0


def cmd_passwd(args: argparse.Namespace, path: Path) -> int:
    answers = Answers()
    with unlock(path, answers) as journal:
        issued = journal.change_passphrase(new_passphrase(answers))
    print(_("Your passphrase is changed. The old one no longer opens this journal, nor "
            "anything saved from now on."))
    if issued:
        print()
        print(_("This journal was made by an older version, so its recovery code was "
                "renewed too; the old code no longer opens it. Your new recovery code "
                "(write it down and keep it somewhere safe):"))
        _show_code(issued)
    _offer_to_delete_backups(args, path, answers)
    return 0


def cmd_recover(args: argparse.Namespace, path: Path) -> int:
    answers = Answers()
    check_journal_file(path)
    code = answers.secret(_("Recovery code: "), _("the recovery code"))
    with Journal.open_with_recovery_code(path, code) as journal:
        journal.change_passphrase(new_passphrase(answers), recovery_code=code)
    print(_("Your new passphrase is set; the old one no longer opens this journal. "
            "The recovery code still works; keep it safe."))
    _offer_to_delete_backups(args, path, answers)
    return 0


def cmd_new_recovery_code(args: argparse.Namespace, path: Path) -> int:
    from ..vault.crypto import normalise_recovery_code
    from ..vault.errors import WrongSecret

    answers = Answers()
    check_journal_file(path)
    passphrase = answers.secret(_("Passphrase: "))
    with Journal.open(path, passphrase) as journal:
        code = Journal.new_recovery_code()
        print(_("Your new recovery code (write it down and keep it somewhere safe):"))
        _show_code(code)
        if answers.interactive:
            typed = answers.line(_("Type the new code back, to check it is written down: "),
                                 _("the new recovery code"))
            try:
                matches = normalise_recovery_code(typed) == code
            except WrongSecret:
                matches = False
            if not matches:
                raise UsageError(_("That is not the new code. Nothing was changed: your "
                                   "old recovery code still works."))
        journal.replace_recovery_code(passphrase, code)
    print(_("Your new recovery code is set. The old one no longer opens this journal, nor "
            "anything saved from now on."))
    _offer_to_delete_backups(args, path, answers)
    return 0


def _show_code(code: str) -> None:
    print()
    print(f"    {code}")
    print()
    print(_("It is shown only this once. If you lose it, you can get a new one with: "
            "recoveryjournal new-recovery-code"))


def _offer_to_delete_backups(args: argparse.Namespace, path: Path, answers: Answers) -> None:
    """Say, truthfully, that older backups still open with the old secrets, and offer
    to delete the ones kept beside the journal."""
    from ..export.backup import delete_copies, older_copies

    copies = older_copies(path)
    if not copies:
        return
    print()
    print(ngettext("{n} backup kept beside the journal still opens with the passphrase "
                   "and recovery code it was made with.",
                   "{n} backups kept beside the journal still open with the passphrase "
                   "and recovery code they were made with.", len(copies)).format(n=len(copies)))
    print(_("Copies you made elsewhere (a USB stick, another computer) do too."))
    delete = args.delete_old_backups
    if not delete and answers.interactive:
        reply = answers.line(_("Delete the backups kept beside the journal now? [y/N] "))
        delete = reply.strip().casefold() in {"y", "yes", _("y"), _("yes")}
    if delete:
        deleted = delete_copies(copies)
        print(ngettext("Deleted {n} backup.", "Deleted {n} backups.", deleted).format(n=deleted))
    else:
        print(_("They were kept, in {folder}. Delete them there when you no longer need "
                "them, or next time add --delete-old-backups.").format(folder=copies[0].parent))


# A listing shows the start of a long entry: a 1 MB entry would fill the scrollback.
SHOWN_LINES = 12
SHOWN_CHARACTERS = 1200


def shortened(text: str) -> tuple[str, int]:
    """The first lines of `text` (at most SHOWN_LINES and SHOWN_CHARACTERS), and
    how many characters were left out."""
    lines = text.splitlines()[:SHOWN_LINES]
    start = "\n".join(lines)[:SHOWN_CHARACTERS]
    return start, max(len(text) - len(start), 0) if start != text else 0


def _print_entries(journal: Journal, entries: list[Entry], full: bool = False) -> None:
    for problem in journal.problems_found:
        say_problem(problem)
    for entry in entries:
        header = format_datetime(entry.when, numeric=True)
        if entry.mood:
            header += "  " + _("mood {mood}/5").format(mood=entry.mood)
        if entry.tags:
            header += "  " + " ".join(f"#{clean(t)}" for t in entry.tags)
        print(header)
        text, left_out = (clean(entry.text), 0) if full else shortened(clean(entry.text))
        for line in text.splitlines() or [""]:
            print(f"  {line}")
        if left_out:
            print("  " + ngettext(
                "… {n} more character. See it all with --full (e.g. recoveryjournal list --full -n 1).",
                "… {n} more characters. See it all with --full (e.g. recoveryjournal list --full -n 1).",
                left_out).format(n=left_out))
        print()


def _parse_date(text: str) -> datetime:
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError as exc:
        raise UsageError(_("Please give the date as YYYY-MM-DD, not {text}.").format(text=repr(text))) from exc
    problem = too_early(day)
    if problem:
        raise UsageError(_("{reason} Nothing was written.").format(reason=problem))
    when = datetime.combine(day, time(12, 0)).astimezone()
    if day > records.now().date():
        raise UsageError(_("That date is in the future. Nothing was written."))
    return when

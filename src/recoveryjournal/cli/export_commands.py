"""Sub-commands that move things in and out of the vault: export, import,
backup, restore. Everything is checked before the passphrase is asked where
possible, so a typo costs no unlock."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterable

from ..i18n import _, ngettext
from ..vault.errors import JournalError
from .questions import Answers
from .days import too_early
from .unlock import say_problem, unlock

ORDER = 30

FORMATS = ("md", "txt", "html", "json", "csv")


class ExportUsageError(JournalError):
    exit_code = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    from ..export.choices import FIELD_GROUPS, SHAREABLE_KINDS
    from ..i18n import LANGUAGES
    from ..export.privacy import PRIVATE_GROUPS

    export = subparsers.add_parser(
        "export",
        help=_("write chosen entries, exercises or records to a file (not encrypted)"),
        description=_(
            "Write what you choose to a file you can share or keep. The file is NOT "
            "encrypted. Without --out it goes to standard output. md, txt and html "
            "share journal entries and exercises unless you name kinds; json is a full, "
            "lossless export of everything (import it back with 'import'); csv is one "
            "table of urges, uses or check-ins for a spreadsheet."
        ),
    )
    export.add_argument("--format", "-f", choices=FORMATS, default="md",
                        help=_("md (default), txt, html, json or csv"))
    export.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                        help=_("only records on or after this day"))
    export.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                        help=_("only records on or before this day"))
    export.add_argument("--kind", action="append", default=[], metavar="KIND",
                        choices=SHAREABLE_KINDS,
                        help=_("a kind of record (repeat for several): {kinds}").format(
                            kinds=", ".join(SHAREABLE_KINDS)))
    export.add_argument("--tag", action="append", default=[],
                        help=_("only entries with this tag (repeat for any of several)"))
    export.add_argument("--exclude-field", action="append", default=[], metavar="FIELD",
                        help=_("leave a field out (repeat): {groups}, or a single field name")
                        .format(groups=", ".join(FIELD_GROUPS)))
    export.add_argument("--include", action="append", default=[], metavar="PRIVATE",
                        choices=PRIVATE_GROUPS,
                        help=_("md, txt, html and the card leave out private details unless "
                               "you name them here (repeat): {groups}").format(
                                   groups=", ".join(PRIVATE_GROUPS)))
    export.add_argument("--pick", action="store_true",
                        help=_("list what matches and choose by number which to include"))
    export.add_argument("--card", action="store_true",
                        help=_("the weekly check-in card instead of records"))
    export.add_argument("--week-ending", metavar="YYYY-MM-DD",
                        help=_("with --card: the last day of the week (default today)"))
    export.add_argument("--worked-on", metavar="TEXT", default="",
                        help=_("with --card: one thing you worked on this week"))
    export.add_argument("--bring-up", metavar="TEXT", default="",
                        help=_("with --card: what you would like to bring up at the meeting"))
    export.add_argument("--lapse", action="store_true",
                        help=_("with --card: add a line about a lapse this week"))
    export.add_argument("--out", "-o", type=Path, metavar="FILE",
                        help=_("the file to write (default: standard output)"))
    export.add_argument("--force", action="store_true",
                        help=_("replace FILE if it exists"))
    export.set_defaults(handler=cmd_export)

    worksheet = subparsers.add_parser(
        "worksheet",
        help=_("print a blank worksheet of an exercise (no journal needed)"),
        description=_(
            "Write an empty worksheet of any exercise, built-in or your own, with room "
            "to write: for working on paper, or for a group. It holds nothing from your "
            "journal, so no passphrase is asked. The HTML page prints on A4."
        ),
    )
    worksheet.add_argument("exercise", metavar="EXERCISE",
                           help=_("the exercise's id, e.g. cost-benefit (leave it out to "
                                  "list them)"), nargs="?")
    worksheet.add_argument("--lang", choices=LANGUAGES, default=None,
                           help=_("the worksheet's language (default: yours)"))
    worksheet.add_argument("--format", "-f", choices=("html", "md", "txt"), default="html",
                           help=_("html (default, prints on A4), md or txt"))
    worksheet.add_argument("--out", "-o", type=Path, metavar="FILE",
                           help=_("the file to write (default: standard output)"))
    worksheet.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    worksheet.set_defaults(handler=cmd_worksheet)

    importing = subparsers.add_parser(
        "import",
        help=_("import a JSON export, or a jrnl journal with --from-jrnl"),
        description=_(
            "Import a recoveryjournal JSON export, or with --from-jrnl a jrnl journal "
            "(its text file, its 'jrnl --export json' file, or an encrypted jrnl journal: "
            "its password is asked after your passphrase). All or nothing: a file with "
            "any problem imports nothing."
        ),
    )
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument("--from-jrnl", action="store_true", help=_("FILE is a jrnl journal"))
    importing.add_argument("--timeformat", default=None, metavar="FORMAT",
                           help=_("jrnl's timeformat setting (default \"%%Y-%%m-%%d %%H:%%M\")"))
    importing.add_argument("--tagsymbols", default=None, metavar="CHARS",
                           help=_("jrnl's tagsymbols setting (default \"@\")"))
    importing.set_defaults(handler=cmd_import)

    backup = subparsers.add_parser(
        "backup",
        help=_("make an encrypted copy of the journal"),
        description=_(
            "Make a consistent, encrypted copy of the journal (safe while it is open). "
            "It opens with the same passphrase and recovery code. Without FILE it goes "
            "to backups/ beside the journal with a timestamped name."
        ),
    )
    backup.add_argument("file", type=Path, nargs="?", metavar="FILE")
    backup.set_defaults(handler=cmd_backup)

    restore = subparsers.add_parser(
        "restore",
        help=_("replace the journal with a backup (the current one is kept aside)"),
        description=_(
            "Check a backup with its passphrase and read every record; only if all is "
            "well, the current journal is renamed aside (never deleted) and the backup "
            "takes its place. Close the app first."
        ),
    )
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--yes", action="store_true",
                         help=_("restore even if the backup is of a different journal or has "
                                "another passphrase (otherwise you are asked)"))
    restore.set_defaults(handler=cmd_restore)


# ---- export ----------------------------------------------------------------------


def cmd_export(args: argparse.Namespace, path: Path) -> int:
    from .. import records
    from ..export import selection as chooser

    try:
        excluded = chooser.expand_fields(args.exclude_field)
    except ValueError as exc:
        raise ExportUsageError(str(exc)) from exc
    if args.format in ("md", "txt", "html"):
        from ..export.privacy import group_share_excluded

        # A share for the group: private details stay out unless named with --include.
        excluded |= group_share_excluded(args.include)
    date_from = _parse_day(args.date_from, "--from")
    date_to = _parse_day(args.date_to, "--to")
    if date_from and date_to and date_from > date_to:
        raise ExportUsageError(_("--from is after --to; nothing would match."))
    if args.card and args.format in ("json", "csv"):
        raise ExportUsageError(_("The check-in card is written as md, txt or html."))
    if args.format == "csv":
        if len(args.kind) != 1 or args.kind[0] not in ("urge", "use", "checkin"):
            raise ExportUsageError(_(
                "CSV holds one table: add exactly one of --kind urge, --kind use "
                "or --kind checkin."))
    if args.out is not None:  # before the passphrase: a typo costs no unlock
        from ..export.files import check_target

        check_target(args.out, args.force, path)
    week_ending = _parse_day(args.week_ending, "--week-ending") or date.today()

    if args.card:
        kinds = tuple(records.KINDS)  # the card reads urges, uses, meetings, check-ins ...
    elif args.kind:
        kinds = tuple(args.kind)
    elif args.format == "json":
        kinds = tuple(records.KINDS)
    else:
        kinds = chooser.SHARING_KINDS
    answers = Answers()
    from ..export.shared_records import paused_gc

    exercises = _read_exercises_meanwhile(kinds, args)
    # No cycle collection from the unlock to the last byte: each full collection
    # walks every decoded record (they are containers) and frees nothing, and an
    # export makes hundreds of thousands of objects (bench/NOTES.md, "exportfast").
    wanted = chooser.Selection(kinds=kinds, date_from=date_from, date_to=date_to,
                               tags=tuple(args.tag), excluded=excluded)
    if args.format == "md" and not args.card and not args.pick:
        from ..export import rows_to_markdown

        if rows_to_markdown.takes_whole_kinds(wanted):
            with paused_gc(), unlock(path, answers) as journal:
                return _export_whole_kinds(journal, wanted, exercises, args, path)
    if args.format in ("json", "csv") and not args.pick:
        with paused_gc(), unlock(path, answers) as journal:
            return _export_streamed(journal, wanted, args, path)
    with paused_gc(), unlock(path, answers) as journal:
        # Every record is read, a batch at a time, and those of the chosen kinds are
        # decoded as their batch opens: the journal's ciphertext and the chosen
        # plaintext are never all in memory (reading every row while the passphrase
        # was checked held all the ciphertext at once: 1.35 GB at ten times the
        # benchmark journal, 0.49 GB so, and no slower; bench/NOTES.md).
        journal.load(decode=kinds)
        _say_problems(journal)
        if exercises is not None:
            exercises.join()
        if args.card:
            from ..export.checkin_card import CARD_PARTS_SHOWN, build_card

            parts = CARD_PARTS_SHOWN + (("lapse",) if args.lapse else ())
            document = build_card(journal, week_ending, args.worked_on, excluded, parts=parts,
                                  bring_up=args.bring_up)
            pieces, count = [_render_document(document, args.format)], 1
        else:
            chosen = chooser.choose(journal, wanted)
            if args.pick:
                chosen = _pick(chosen, answers)
            count = len(chosen)
            pieces = _render_records(chosen, wanted, args.format)
        # Written while the journal is open: md, txt and html are made a batch of
        # records at a time as they are written (see _render_records).
        return _write(pieces, args, count, path)


def _export_whole_kinds(journal, wanted, exercises, args: argparse.Namespace,
                        path: Path) -> int:
    """Every record of the chosen kinds as Markdown, each made from its row as its
    batch opens, no record object in between (export/rows_to_markdown.py): the
    same file as the way below, in two thirds of the time (bench/NOTES.md).

    Memory stays bounded whatever the journal's size: every kind but the
    settings and drafts is handed over, so the journal keeps no other kind's
    plaintext (an export of entries held every urge's: 300 MB at ten times the
    benchmark journal), and past a cap the rows let go of their Markdown and are
    read back in the export's order as it is written."""
    from .. import records
    from ..export import rows_to_markdown
    from ..export import selection as chooser
    from ..export.shared_records import document_title
    from ..vault import memory

    if exercises is not None:
        exercises.join()  # exercises are described as they are read
    summary = journal.summary()  # how many records there are: a few ms, no record read
    rows = rows_to_markdown.MarkdownRows(
        wanted.kinds, wanted.excluded, read_back=journal.rows_read_back,
        held=rows_to_markdown.held_for(None if summary is None else sum(summary.kinds.values())))
    handed = [kind for kind in records.KINDS if kind not in _KEPT_KINDS]
    take = rows.take if set(handed) <= set(wanted.kinds) else rows.take_chosen
    batches = [0]

    # The C allocator's free pages handed back now and then: each batch's
    # ciphertext and plaintext are freed between what stays (the load's
    # bookkeeping, the rows' arrays), and counted at the load's peak otherwise
    # (ten times the benchmark journal: 252-264 MB without, 245-246 MB with).
    def take_and_give_back(pairs, unreadable) -> None:
        take(pairs, unreadable)
        batches[0] += 1
        if batches[0] % _BATCHES_BETWEEN_TRIMS == 0:
            memory.give_back()

    memory.give_back()
    journal.load_handing_over(handed, take_and_give_back)
    for problem in journal.problems:
        say_problem(problem)

    def said_after_writing() -> None:
        for problem in rows.problems:  # records changed while they were read back
            say_problem(problem)

    pieces = rows_to_markdown.stream(document_title(), chooser.selection_subtitle(wanted), rows)
    return _write(pieces, args, lambda: rows.written, path, then=said_after_writing)


# Kinds an export of whole kinds leaves in the journal's index: one settings record
# and a few drafts, which a command may still ask for.
_KEPT_KINDS = frozenset({"settings", "draft"})
_BATCHES_BETWEEN_TRIMS = 64


def _read_exercises_meanwhile(kinds: tuple[str, ...], args: argparse.Namespace):
    """A thread that reads the exercise files (their titles and questions head each
    shared exercise: 0.1-0.2 s of parsing) while Argon2id derives the key, which
    leaves Python free and uses one core; None when the export shows no exercise."""
    if args.card or args.format not in ("md", "txt", "html") or "exercise" not in kinds:
        return None
    import threading

    from ..export.shared_records import exercise_library

    def read() -> None:
        try:
            exercise_library()
        except Exception:  # noqa: BLE001 - said where the export asks again, as before
            pass

    thread = threading.Thread(target=read, name="read-exercises", daemon=True)
    thread.start()
    return thread


def _write(pieces: Iterable[str], args: argparse.Namespace, count: int | Callable[[], int],
           journal: Path, then: Callable[[], None] | None = None) -> int:
    """The export to --out (safely, see export/files.py; never onto the `journal`)
    or to standard output. `count`: the records written, or what says it once
    they are; `then`: what to say once the export is written, before the rest."""
    from ..export.files import not_encrypted_notice, write_export_pieces

    if args.out is None:
        print(_("Not encrypted: what follows is plain text for anyone who sees it."),
              file=sys.stderr)
        _say_left_out(args)
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()
        if then is not None:
            then()
        return 0
    written = write_export_pieces(args.out, pieces, force=args.force, journal=journal)
    if then is not None:
        then()
    if callable(count):
        count = count()
    print(_("Wrote {n} to {path}.").format(
        n=_("the check-in card") if args.card
        else ngettext("{n} record", "{n} records", count).format(n=count),
        path=written))
    print(not_encrypted_notice())
    _say_left_out(args)
    return 0


def _say_left_out(args: argparse.Namespace) -> None:
    """On the terminal, never in the file: what a group share left out, and how to add it."""
    from ..export.privacy import left_out_groups, left_out_sentence

    if args.format in ("md", "txt", "html") and left_out_groups(args.include):
        print(left_out_sentence(args.include, command_line=True), file=sys.stderr)


def _export_streamed(journal, wanted, args: argparse.Namespace, path: Path) -> int:
    """json or csv of what `wanted` chooses, written a window of records at a time,
    each built, written and let go (json_export.ChosenInWindows): the file is the
    one `_render_records` makes, which held the whole document (2.3 GB at ten
    times the benchmark journal; bench/NOTES.md, "Issue 18").

    A journal past _COLUMNS_PAST_BYTES is read as the app's worker reads it:
    every record decoded into columns as its batch opens, entries' texts past
    16 MB left on disk and read back a window at a time (record_columns.py),
    checked as `load()` checks it. A smaller one is read as before, its chosen
    kinds as objects: they take less memory than the passphrase's check did a
    moment before, and are read in about 60 % of the time columns take."""
    from ..export import csv_export, json_export

    if _journal_bytes(path) > _COLUMNS_PAST_BYTES:
        journal.load(background=True)
    else:
        journal.load(decode=wanted.kinds)
    _say_problems(journal)
    chosen = json_export.ChosenInWindows(journal, wanted)
    if args.format == "json":
        pieces = json_export.stream_records(chosen.counts(), chosen, wanted.excluded)
    else:
        pieces = csv_export.stream_records(wanted.kinds[0], chosen, wanted.excluded)
    return _write(pieces, args, len(chosen), path)


# Past this size of journal file, json and csv read it into columns. The benchmark
# journal's 97 MB decode to 46 MB of objects, less than Argon2id takes at unlock
# (~100 MB: the peak either way); ten times it, 460 MB as objects, 60 MB as columns.
_COLUMNS_PAST_BYTES = 128 * 2**20


def _journal_bytes(path: Path) -> int:
    """The size of the journal file and its write-ahead log (0 if unreadable)."""
    size = 0
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            size += part.stat().st_size
        except OSError:
            pass
    return size


def _render_records(chosen: list, wanted, format_name: str) -> Iterable[str]:
    """The export in pieces: md, txt and html a batch of records at a time (the
    whole document never exists in memory); json and csv a window of records at
    a time (here only with --pick: without it they go through _export_streamed)."""
    from ..export import selection as chooser
    from ..export import shared_records

    if format_name in ("json", "csv"):
        from ..export import csv_export, json_export

        windows = [chosen[start:start + json_export.WINDOW]
                   for start in range(0, len(chosen), json_export.WINDOW)]
        if format_name == "csv":
            return csv_export.stream_records(wanted.kinds[0], windows, wanted.excluded)
        counts: dict[str, int] = {}
        for record in chosen:
            counts[record.kind] = counts.get(record.kind, 0) + 1
        return json_export.stream_records(counts, windows, wanted.excluded)
    writer = _writer(format_name)
    return writer.stream(shared_records.document_title(), chooser.selection_subtitle(wanted),
                         shared_records.described_in_batches(chosen, wanted.excluded))


def _render_document(document, format_name: str) -> str:
    return _writer(format_name).render(document)


def _writer(format_name: str):
    """The module that lays out md, txt or html."""
    if format_name == "txt":
        from ..export import text as writer
    elif format_name == "html":
        from ..export import html as writer
    else:
        from ..export import markdown as writer
    return writer


def _pick(chosen: list, answers: Answers) -> list:
    """Show what matched, numbered, and keep the numbers the person gives."""
    from ..export.shared_records import describe, when_text
    from ..safetext import one_line

    if not chosen:
        return chosen
    for number, record in enumerate(chosen, start=1):
        shared = describe(record)
        first = next((text for _label, text in shared.passages), "")
        print(f"{number:>4}  {when_text(record.when)}  {one_line(shared.heading, 30)}  "
              f"{one_line(first, 30)}", file=sys.stderr)
    reply = answers.line(_("Which to include (e.g. 1-3,5; Enter for all): "),
                         _("the numbers to include"))
    if not reply.strip():
        return chosen
    try:
        numbers = _parse_numbers(reply, len(chosen))
    except ValueError as exc:
        raise ExportUsageError(str(exc)) from exc
    return [record for number, record in enumerate(chosen, start=1) if number in numbers]


def _parse_numbers(reply: str, highest: int) -> set[int]:
    numbers: set[int] = set()
    for part in reply.replace(" ", ",").split(","):
        if not part:
            continue
        low, _dash, high = part.partition("-")
        try:
            first, last = int(low), int(high or low)
        except ValueError as exc:
            raise ValueError(_("{part!r} is not a number or a range like 2-5.").format(
                part=part)) from exc
        if not 1 <= first <= last <= highest:
            raise ValueError(_("Please use numbers from 1 to {n}.").format(n=highest))
        numbers.update(range(first, last + 1))
    return numbers


# ---- blank worksheets ---------------------------------------------------------------


def cmd_worksheet(args: argparse.Namespace, path: Path) -> int:
    """A blank worksheet: needs no journal, so the journal `path` is not opened."""
    from ..exercises import load_exercises
    from ..export import worksheet
    from ..export.files import write_export
    from ..i18n import set_language
    from ..safetext import one_line

    if args.lang:
        set_language(args.lang)
    library = load_exercises()
    for problem in library.problems:
        print(_("Note: {problem}").format(problem=one_line(str(problem), 200)), file=sys.stderr)
    exercise = library.get(args.exercise or "")
    if exercise is None:
        listing = "\n".join(f"  {e.id:<20} {one_line(e.title.get(), 50)}" for e in library.all())
        if args.exercise:
            print(_("There is no exercise called {name!r}. These are the exercises:").format(
                name=one_line(args.exercise, 60)), file=sys.stderr)
        else:
            print(_("Name one of these exercises:"), file=sys.stderr)
        print(listing, file=sys.stderr)
        return 2
    text = worksheet.render(exercise, args.format)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    written = write_export(args.out, text, force=args.force)
    print(_("Wrote a blank worksheet to {path}.").format(path=written))
    return 0


# ---- import ----------------------------------------------------------------------


def cmd_import(args: argparse.Namespace, path: Path) -> int:
    source = args.file.expanduser()
    if args.from_jrnl:
        return _import_jrnl(args, source, path)
    if args.timeformat or args.tagsymbols:
        raise ExportUsageError(_("--timeformat and --tagsymbols go with --from-jrnl."))
    from ..export import json_import

    incoming = json_import.read_export(source)  # checked before the passphrase
    with unlock(path, Answers()) as journal:
        _say_problems(journal)
        report = json_import.import_records(journal, incoming)
    print(report.summary())
    return 0


def _import_jrnl(args: argparse.Namespace, source: Path, path: Path) -> int:
    from ..export import jrnl_import

    timeformat = args.timeformat or jrnl_import.DEFAULT_TIMEFORMAT
    tagsymbols = args.tagsymbols or jrnl_import.DEFAULT_TAGSYMBOLS
    answers = Answers()
    encrypted = jrnl_import.is_encrypted(_head(source))
    if not encrypted:
        # Plain text and JSON are checked fully before the passphrase is asked.
        prepared = jrnl_import.read_jrnl(source, None, timeformat, tagsymbols)
    with unlock(path, answers) as journal:
        _say_problems(journal)
        if encrypted:
            prepared = jrnl_import.read_jrnl(
                source,
                lambda: answers.secret(_("jrnl password: "), _("the jrnl password")),
                timeformat, tagsymbols,
            )
        added, already = jrnl_import.import_entries(journal, prepared)
    print(ngettext("Imported {n} entry from jrnl.", "Imported {n} entries from jrnl.",
                   added).format(n=added))
    if already:
        print(_("{n} were already in your journal and were not added again.").format(n=already))
    if prepared.empty_skipped:
        print(_("{n} empty entries were left out.").format(n=prepared.empty_skipped))
    return 0


def _head(source: Path) -> bytes:
    """The first bytes of a regular file; nothing for anything else (a pipe would
    wait forever): read_jrnl then says clearly what is wrong with it."""
    import os
    import stat

    try:
        fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return b""
    try:
        return os.read(fd, 16) if stat.S_ISREG(os.fstat(fd).st_mode) else b""
    except OSError:
        return b""
    finally:
        os.close(fd)


# ---- backup and restore ----------------------------------------------------------


def cmd_backup(args: argparse.Namespace, path: Path) -> int:
    from ..export.backup import make_backup

    with unlock(path, Answers()) as journal:
        written = make_backup(journal, args.file)
    print(_("Backed up to {path}.").format(path=written))
    print(_("The backup is encrypted: it opens with your passphrase or recovery code."))
    return 0


def cmd_restore(args: argparse.Namespace, path: Path) -> int:
    from ..export.backup import RestoreRefused, restore

    source = args.file.expanduser()
    if not source.is_file():
        raise RestoreRefused(_("There is no backup file at {path}.").format(path=source))
    answers = Answers()
    passphrase = answers.secret(_("Passphrase of the backup: "))

    def confirm(warning: str) -> bool:
        if not args.yes and not answers.interactive:
            raise RestoreRefused(warning + " " + _("Add --yes to restore it anyway."))
        print(warning, file=sys.stderr)
        if args.yes:
            return True
        reply = answers.line(_("Restore it anyway? Type yes to go on: "))
        return reply.strip().lower() in (_("yes"), "yes")

    report = restore(path, source, passphrase, confirm=confirm)
    print(report.summary())
    return 0


# ---- helpers ---------------------------------------------------------------------


def _parse_day(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError as exc:
        raise ExportUsageError(_("Please give {option} as YYYY-MM-DD, not {text!r}.").format(
            option=option, text=text)) from exc
    problem = too_early(day)
    if problem:
        raise ExportUsageError(f"{option}: {problem}")
    return day


def _say_problems(journal) -> None:
    from ..records import Entry

    journal.count(Entry)  # reading anything decrypts everything once, finding problems
    for problem in journal.problems:
        say_problem(problem)

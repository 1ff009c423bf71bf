"""`recoveryjournal man`: the manual page, made from the parser itself.

Every command and option comes from `build_parser()`, so the page names exactly
what the program has; the sections argparse knows nothing of (files,
environment, exit status, privacy) are written here. The page is roff, for
`recoveryjournal man | man -l -`. The wheel ships the English page as
`share/man/man1/recoveryjournal.1` (from docs/recoveryjournal.1, which
tests/test_man_page.py keeps equal to this output), so `man recoveryjournal` works
where the installation's share/man is on the manual path.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from .. import __version__
from ..i18n import _

ORDER = 96  # after completion in --help


def register(subparsers: argparse._SubParsersAction) -> None:
    man = subparsers.add_parser(
        "man",
        help=_("print the manual page (read it with: recoveryjournal man | man -l -)"),
        description=_(
            "Print the whole manual as a manual page: every command and option, the "
            "files the program keeps, the environment it reads, its exit status and "
            "what it does to keep the journal private. Read it with: "
            "recoveryjournal man | man -l -"),
    )
    man.set_defaults(handler=cmd_man)


def cmd_man(_args: argparse.Namespace, _path: Path) -> int:
    from . import build_parser

    print(page(build_parser()), end="")
    return 0


def page(parser: argparse.ArgumentParser) -> str:
    """The manual page of `parser` (the program's own) in roff, in the current language."""
    section = _text(_("User commands"))  # not inside the f-string: Babel on 3.11 misses it
    lines = [
        f'.TH RECOVERYJOURNAL 1 "" "recoveryjournal {__version__}" "{section}"',
        ".nh",  # no hyphens added: a copied option or command must work as printed
        ".ad l",
        ".SH " + _text(_("NAME")),
        r"recoveryjournal \- " + _text(_("a private, encrypted, offline journal for recovery")),
        ".SH " + _text(_("SYNOPSIS")),
        r".B recoveryjournal",
        r"[\fB\-\-journal\fR \fIPATH\fR] [\fICOMMAND\fR [\fIOPTIONS\fR]]",
        ".SH " + _text(_("DESCRIPTION")),
        _text(parser.description or ""),
        ".PP",
        _text(parser.epilog or ""),
        ".SH " + _text(_("OPTIONS")),
        *_options(parser),
        ".SH " + _text(_("COMMANDS")),
        _text(_("Every command also takes -h or --help, which prints its own options.")),
    ]
    for name, sub, summary in commands(parser):
        lines += [".SS " + _text(name), _bold_usage(sub, name), ".br", _text(summary)]
        if sub.description and sub.description != summary:
            lines += [".PP", _text(sub.description)]
        lines += _options(sub)
    lines += _section(_("FILES"), [
        ("~/.local/share/recoveryjournal/journal.db", _(
            "The journal: one SQLite file in which every record is encrypted (in "
            "$XDG_DATA_HOME/recoveryjournal when that is set); --journal or "
            "RECOVERYJOURNAL_PATH name another. While it is open, SQLite keeps "
            "journal.db-wal and journal.db-shm beside it, holding the same encrypted "
            "records. restore keeps the journal it replaces beside it, as "
            "journal-before-restore-DATE.db.")),
        (_("backups/ beside the journal"), _(
            "Encrypted copies: one a day at unlock (the last seven are kept), and those "
            "made with backup. Each opens with the passphrase and recovery code it was "
            "made with.")),
        ("~/.config/recoveryjournal/exercises/", _(
            "Exercise files of your own (TOML), shown beside the built-in ones.")),
        ("~/.config/recoveryjournal/seen/", _(
            "One small sealed file per journal: how far it had been written, so that a "
            "journal put back to an older copy is noticed. Without the journal and its "
            "passphrase it says nothing.")),
        ("~/.local/state/recoveryjournal/crash-reports/", _(
            "If something breaks: a short report of where, never what you wrote. Nothing "
            "is sent anywhere.")),
    ])
    lines += _section(_("ENVIRONMENT"), [
        ("RECOVERYJOURNAL_PATH", _("The journal file, when --journal is not given.")),
        ("LANGUAGE, LC_ALL, LC_MESSAGES, LANG", _(
            "The language of the command line: English, Swedish (sv), Danish (da) or "
            "Norwegian Bokmål (nb). The full-screen app uses the language chosen in its "
            "settings.")),
        ("XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_STATE_HOME", _(
            "Where the folders under FILES are, when set.")),
        ("NO_COLOR", _("When set, stats draws its chart without colour.")),
    ])
    lines += _section(_("EXIT STATUS"), [
        ("0", _("Done.")),
        ("1", _(
            "The journal could not be opened or written (a wrong passphrase or recovery "
            "code, a missing or damaged file, a full disk), or something unexpected went "
            "wrong. The message says what, and what was saved before stays saved.")),
        ("2", _(
            "The command was not understood: an unknown command or option, or a date, "
            "number or choice it cannot use. Nothing was written.")),
        ("130", _("Stopped with Ctrl-C. What was saved before stays saved.")),
    ])
    lines += [".SH " + _text(_("PRIVACY"))]
    for paragraph in (
        _("The program never uses the network: it refuses to open a connection, and on "
          "Linux it asks the kernel to refuse as well (recoveryjournal --version says "
          "which protection is active)."),
        _("Everything in the journal is encrypted with a key that only your passphrase "
          "or your recovery code unlocks. Nothing you write is put on disk unencrypted: "
          "no temporary files, and the program cannot dump core."),
        _("The recovery code is shown once, when the journal is made (and when you ask "
          "for a new one). Write it down. Without the passphrase or the code nobody, "
          "not even you, can open the journal."),
        _("Passphrases are asked without echo. When standard input is not a terminal, "
          "the first line is the passphrase, so a script can pipe it in; the command "
          "line and the environment never carry one."),
        _("Exports are NOT encrypted. Markdown, text and HTML leave out your safety plan, "
          "people's names, phone numbers, places, amounts and money unless you name "
          "them with --include; JSON is everything, for a backup you can read. Look at "
          "a file before you share it."),
    ):
        lines += [".PP", _text(paragraph)]
    lines += [".SH " + _text(_("SEE ALSO")),
              _text(_("recoveryjournal --help, and recoveryjournal COMMAND --help for "
                      "one command's options."))]
    return "\n".join(lines) + "\n"


def commands(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser, str]]:
    """(name, parser, one-line summary) of every sub-command, in --help's order."""
    found = []
    for action in parser._actions:  # argparse keeps sub-commands here, nowhere public
        if isinstance(action, argparse._SubParsersAction):
            summaries = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                found.append((name, sub, summaries.get(name, "")))
    return found


def _options(parser: argparse.ArgumentParser) -> list[str]:
    # A wide formatter: roff fills the lines, and COLUMNS must not change the page.
    formatter = argparse.HelpFormatter(parser.prog, width=1000)
    lines = []
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        if action.help == argparse.SUPPRESS:
            continue
        lines += [".TP", r"\fB" + _text(formatter._format_action_invocation(action)) + r"\fR",
                  _text(formatter._expand_help(action) if action.help else "")]
    return lines


def _bold_usage(parser: argparse.ArgumentParser, name: str) -> str:
    """`recoveryjournal NAME [options]` on one line, the program and command in bold."""
    formatter = argparse.HelpFormatter(parser.prog, width=1000)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups,
                        prefix="")
    usage = " ".join(formatter.format_help().split())
    rest = usage.removeprefix(parser.prog).strip()
    return rf"\fBrecoveryjournal {_text(name)}\fR " + _text(rest)


def _section(title: str, entries: list[tuple[str, str]]) -> list[str]:
    lines = [".SH " + _text(title)]
    for term, text in entries:
        lines += [".TP", r"\fB" + _text(term) + r"\fR", _text(text)]
    return lines


def _text(text: str) -> str:
    """Plain text as roff: backslashes kept, an option's dashes typed as dashes (so a
    copied `--journal` works), and no line taken for a request."""
    text = " ".join(text.split())
    text = text.replace("\\", r"\e")
    text = re.sub(r"(?<![\w-])-+", lambda dashes: "\\-" * len(dashes.group()), text)
    if text.startswith((".", "'")):
        text = r"\&" + text
    return text

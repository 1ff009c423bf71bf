"""The command line: `recoveryjournal [--journal PATH] [COMMAND ...]`.

Each area keeps its sub-commands in its own module with a `register(subparsers)`
function; with no command, the TUI opens.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import __version__
from ..i18n import _, set_language
from ..i18n.argparse_messages import VERSION_HELP, use_for_argparse
from ..vault import memory, netguard

def _command_modules() -> list:
    """Every module in this package with a `register(subparsers)`, by its ORDER."""
    import importlib
    import os

    found = []
    # A plain listing, not pkgutil: pkgutil imports `inspect`, a few ms of every run.
    names = {name[:-3] for folder in __path__ for name in os.listdir(folder)
             if name.endswith(".py") and not name.startswith("_")}
    for name in sorted(names):
        module = importlib.import_module(f"{__name__}.{name}")
        if hasattr(module, "register"):
            found.append(module)
    return sorted(found, key=lambda m: (getattr(m, "ORDER", 50), m.__name__))


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    """The command line's parser. Without its commands (`with_commands=False`) it
    knows only the app's own options, and imports none of the commands' modules."""
    parser = argparse.ArgumentParser(
        prog="recoveryjournal",
        description=_(
            "A private, encrypted, offline journal for recovery. With no command, "
            "the full-screen app opens."
        ),
        epilog=_(
            "Passphrases are asked without echo on a terminal. When standard input is "
            "not a terminal, the first line is the passphrase (for init, passwd and "
            "recover, the following lines are the new passphrase and its repeat), so "
            "scripts can pipe them in. The journal lives in your data folder unless "
            "--journal or RECOVERYJOURNAL_PATH points elsewhere."
        ) + " " + _("The whole manual, with the files it keeps, exit status and privacy: "
                    "recoveryjournal man | man -l -"),
    )
    parser.add_argument("--version", action=_VersionAction, help=_(VERSION_HELP))
    parser.add_argument(
        "--journal",
        type=Path,
        metavar="PATH",
        help=_("the journal file (default: $RECOVERYJOURNAL_PATH or your data folder)"),
    )
    if not with_commands:
        parser.set_defaults(command=None, commands=[])
        return parser
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        module.register(subparsers)
    parser.set_defaults(commands=sorted(subparsers.choices))
    return parser


class _VersionAction(argparse.Action):
    """`--version`: the version, then which layers keep the network out (already
    known: nothing more is probed, so it costs nothing)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS,
                 help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{parser.prog} {__version__}")
        print(netguard.describe())
        parser.exit()


def opens_the_app(argv: list[str]) -> bool:
    """True when the words are at most `--journal PATH`: the full-screen app opens,
    and no command's module need be imported. They stayed in memory (0.5 MB
    resident) under the unlock's 64 MiB KDF, the session's peak (issue 18).
    Anything else (a command, --help, --version, a mistake) takes the full parser,
    so what it prints is the same as ever."""
    words = iter(argv)
    for word in words:
        if word == "--journal":
            value = next(words, None)
            if value is None or value.startswith("-"):
                return False
        elif not word.startswith("--journal=") or word == "--journal=":
            return False
    return True


def unknown_command(argv: list[str], commands: list[str]) -> str | None:
    """A friendly line for a mistyped command ("lst": did you mean list?), or None.

    The command is the first word that is not an option (nor --journal's value)."""
    import difflib

    words = iter(argv)
    for word in words:
        if word == "--journal":
            next(words, None)
            continue
        if word.startswith("-"):
            continue
        if word in commands:
            return None
        close = difflib.get_close_matches(word, commands, n=1, cutoff=0.6)
        if close:
            return _("'{word}' is not a command. Did you mean '{command}'?").format(
                word=word, command=close[0])
        return _("'{word}' is not a command. The commands are: {commands}.").format(
            word=word, commands=", ".join(commands))
    return None


def main(argv: list[str] | None = None) -> int:
    """Run one command (or the app) in this process, with the network guard.

    Tests call this in-process; the real program enters through `run()`, which
    also locks the whole process down first."""
    _disable_core_dumps()
    netguard.install()
    os.umask(0o077)  # anything we write (journal, backups, exports) is ours alone
    set_language(None)  # the CLI follows LANG; the journal's own setting is sealed
    use_for_argparse()  # argparse's own words (usage, options, errors) too
    words = sys.argv[1:] if argv is None else argv
    parser = build_parser(with_commands=not opens_the_app(words))
    problem = unknown_command(words, parser.get_default("commands"))
    if problem:
        print(f"recoveryjournal: {problem}", file=sys.stderr)
        print(_("See every command with: recoveryjournal --help"), file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    from ..journal import default_path
    from ..vault.errors import JournalError

    path = args.journal.expanduser() if args.journal else default_path()
    try:
        if args.command is None:
            from ..tui import run

            return run(path) or 0
        global _one_shot
        _one_shot = True
        return args.handler(args, path) or 0
    except JournalError as exc:
        print(f"recoveryjournal: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("\n" + _("Stopped. What was saved before stays saved."), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped early (`recoveryjournal list | head`): not an error
        # worth a traceback. Point stdout at nothing so the final flush is quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:  # a bug: a calm line and a short report, never a traceback
        from ..crash import report_to_stderr

        return report_to_stderr(exc)


def _disable_core_dumps() -> None:
    """A crash must not leave decrypted memory on disk as a core file, and another
    program running as the same user must not read it (ptrace, /proc/PID/mem):
    PR_SET_DUMPABLE 0 leaves that to root alone (Linux). Before the guard locks
    the process down: the prctl call goes through ctypes."""
    global _hardened
    if _hardened:
        return
    _hardened = True
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform; nothing more we can do from Python
    from ..vault import kernelguard

    kernelguard.not_dumpable()


_hardened = False  # set once the core-dump limit and PR_SET_DUMPABLE are in place


def run() -> None:
    """Console-script entry point: lock the process down, `main`, then leave.

    After a one-shot command the journal is locked and every file closed, so
    nothing is left to do but free memory: flush and end the process at once
    rather than have Python free tens of thousands of decoded records one by
    one (about 0.15 s after exporting a ten-year journal). The full-screen app
    ends the ordinary way."""
    _disable_core_dumps()  # first: it needs ctypes, which the lock-down refuses
    memory.prepare()  # malloc_trim found now: the lock-down refuses ctypes
    netguard.lock_down()  # before anything else runs: no thread, no program, no socket yet
    code = main()
    if not _one_shot:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (`... | head`): what was read is all anyone wanted
        code = code or 1
    os._exit(code)


_one_shot = False  # set by main() once it runs a sub-command

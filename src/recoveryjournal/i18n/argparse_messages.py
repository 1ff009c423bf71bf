"""The messages Python's argparse prints itself, so `--help` and usage errors read
in the person's language too.

argparse looks its messages up through a module-level `_` (the stdlib gettext
domain, which has no catalogs of ours). `use_for_argparse()` points that lookup
at our catalogs; the strings below are only listed (with `N_`) so the extractor
puts them in the catalogs. They must match Python's own text exactly.
"""

from __future__ import annotations

from . import N_, _, ngettext

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)
# argparse passes this one as a plain default, not through `_`; the CLI wraps it.
VERSION_HELP = N_("show program's version number and exit")


def use_for_argparse() -> None:
    """Make argparse translate its own messages with our catalogs."""
    import argparse

    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]

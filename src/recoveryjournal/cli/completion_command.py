"""`recoveryjournal completion bash|zsh|fish`: tab completion for the shell.

The script is made from the parser itself, so every command and option the
program has is offered and none that it lacks. It holds nothing about the
journal: only command and option names.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..i18n import _

ORDER = 95  # after demo in --help
SHELLS = ("bash", "zsh", "fish")


def register(subparsers: argparse._SubParsersAction) -> None:
    completion = subparsers.add_parser(
        "completion",
        help=_("print tab completion for your shell"),
        description=_(
            "Print a tab-completion script. For bash, add this line to ~/.bashrc: "
            'eval "$(recoveryjournal completion bash)"; for zsh, the same with zsh in '
            "~/.zshrc; for fish: recoveryjournal completion fish > "
            "~/.config/fish/completions/recoveryjournal.fish"),
    )
    completion.add_argument("shell", choices=SHELLS, help=_("bash, zsh or fish"))
    completion.set_defaults(handler=cmd_completion)


def cmd_completion(args: argparse.Namespace, _path: Path) -> int:
    from . import build_parser

    print(script(args.shell, commands(build_parser())), end="")
    return 0


def commands(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    """Every sub-command with its long options; "" holds the global ones."""
    found = {"": _long_options(parser)}
    for action in parser._actions:  # argparse keeps sub-commands here, nowhere public
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[name] = _long_options(sub)
    return found


def _long_options(parser: argparse.ArgumentParser) -> list[str]:
    return sorted(option for action in parser._actions for option in action.option_strings
                  if option.startswith("--"))


def script(shell: str, table: dict[str, list[str]]) -> str:
    names = " ".join(sorted(n for n in table if n))
    if shell == "fish":
        lines = [f"complete -c recoveryjournal -n __fish_use_subcommand -f -a '{names}'"]
        for option in table[""]:
            lines.append(f"complete -c recoveryjournal -l {option[2:]}")
        for name, options in sorted(table.items()):
            for option in options if name else []:
                lines.append(f"complete -c recoveryjournal -n '__fish_seen_subcommand_from "
                             f"{name}' -l {option[2:]}")
        return "\n".join(lines) + "\n"
    cases = "\n".join(f"        {name}) words='{' '.join(options)}' ;;"
                      for name, options in sorted(table.items()) if name)
    body = f"""_recoveryjournal() {{
    local current=${{COMP_WORDS[COMP_CWORD]}} command="" words="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${{COMP_WORDS[i]}} in
            --journal) ((i++)) ;;
            -*) ;;
            *) command=${{COMP_WORDS[i]}}; break ;;
        esac
    done
    case $command in
        "") words='{names} {' '.join(table[''])}' ;;
{cases}
    esac
    COMPREPLY=($(compgen -W "$words" -- "$current"))
    if [[ ${{COMP_WORDS[COMP_CWORD-1]}} == --journal || ${{COMP_WORDS[COMP_CWORD-1]}} == --out ]]; then
        COMPREPLY=($(compgen -f -- "$current"))
    fi
}}
complete -F _recoveryjournal recoveryjournal
"""
    if shell == "zsh":
        return "autoload -U +X bashcompinit && bashcompinit\n" + body
    return body

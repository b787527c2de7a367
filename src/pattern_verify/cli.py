"""The command line: parse, dispatch to `commands/`, turn expected failures into exit 2.

Only the chosen command's module is imported, so `run` does not pay for the GitHub client.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

from pattern_verify import __version__
from pattern_verify.errors import UsageError

# command → (module in pattern_verify.commands, help)
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("run", "verify a tree and write the report"),
    "check-config": ("check_config", "validate the config, its pack and the templates"),
    "schema": ("schema", "print the JSON schema of results.json"),
    "action": ("action", "run as the GitHub Action (inputs from INPUT_*, event from GITHUB_*)"),
    "comment": ("comment", "post the sticky PR comment from a results directory"),
}


def command_module(name: str) -> ModuleType:
    return importlib.import_module(f"pattern_verify.commands.{COMMANDS[name][0]}")


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The parser; only `selected` (all commands when None) gets its arguments and handler."""
    parser = argparse.ArgumentParser(
        prog="pattern-verify",
        description="Verify that a codebase follows an architecture pattern, with semgrep.",
    )
    parser.add_argument("--version", action="version", version=f"pattern-verify {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        if selected is None or name == selected:
            module = command_module(name)
            module.add_arguments(command)
            command.set_defaults(handler=module.main)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    selected = next((a for a in arguments if not a.startswith("-")), None)
    parser = build_parser(selected if selected in COMMANDS else None)
    args = parser.parse_args(arguments)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except UsageError as exc:
        print(f"pattern-verify: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("pattern-verify: interrupted", file=sys.stderr)
        return 130

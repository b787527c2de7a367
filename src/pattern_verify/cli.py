"""The command line: parse, dispatch to `commands/`, turn expected failures into exit 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

from pattern_verify import __version__
from pattern_verify.commands import action, check_config, comment, run, schema
from pattern_verify.errors import UsageError
from pattern_verify.render import RenderError

COMMANDS: dict[str, tuple[ModuleType, str]] = {
    "run": (run, "verify a tree and write the report"),
    "check-config": (check_config, "validate the config and its pack"),
    "schema": (schema, "print the JSON schema of results.json"),
    "action": (action, "run as the GitHub Action (inputs from INPUT_*, event from GITHUB_*)"),
    "comment": (comment, "post the sticky PR comment from a results directory"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pattern-verify",
        description="Verify that a codebase follows an architecture pattern, with semgrep.",
    )
    parser.add_argument("--version", action="version", version=f"pattern-verify {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command)
        command.set_defaults(handler=module.main)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except (UsageError, RenderError) as exc:
        print(f"pattern-verify: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("pattern-verify: interrupted", file=sys.stderr)
        return 130

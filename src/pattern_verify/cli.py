"""The command line: parse, dispatch to `commands/`, and the one error boundary.

Only the chosen command's module is imported, so `run` does not pay for the GitHub client.

Exit codes: a command returns 0 (pass) or 1 (a requirement fails per `--fail-on`); an expected
failure (`UsageError`: config, git, semgrep, I/O the user can fix) is one line and exit 2; any
other exception is a bug in pattern-verify: one line saying so and where the traceback went, exit
3, never 1 (a crash must not read as "the architecture is violated").
"""

from __future__ import annotations

import argparse
import codecs
import importlib
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import NoReturn, TextIO

from pattern_verify import __version__, collector
from pattern_verify.errors import UsageError

BUG_EXIT = 3
DEBUG_ENV = "PATTERN_VERIFY_DEBUG"

# command → (module in pattern_verify.commands, help)
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init", "set a repository up: config, PR check and document updater workflows"),
    "run": ("run", "verify a tree and write the report"),
    "hook": ("hook", "run as the pre-commit hook: results in git's directory, quiet on a pass"),
    "check-config": ("check_config", "validate the config, its pack and the templates"),
    "schema": ("schema", "print the JSON schema of results.json, a pack or the config"),
    "action": ("action", "run as the GitHub Action (inputs from INPUT_*, event from GITHUB_*)"),
    "comment": ("comment", "post the sticky PR comment from a results directory"),
}


def command_module(name: str) -> ModuleType:
    # what the import builds lives as long as the process (`collector` says why it is paused)
    with collector.paused():
        return importlib.import_module(f"pattern_verify.commands.{COMMANDS[name][0]}")


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error in one line (`pattern-verify run: error: argument --format:
    invalid choice: …`), exit 2, as every other expected failure; `--help` shows the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())}\n")


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The parser; only `selected` (all commands when None) gets its arguments and handler."""
    parser = _Parser(
        prog="pattern-verify",
        description="Verify that a codebase follows an architecture pattern, with semgrep.",
    )
    parser.add_argument("--version", action="version", version=f"pattern-verify {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help=f"print the traceback of an unexpected error (or set {DEBUG_ENV}=1)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        if selected is None or name == selected:
            module = command_module(name)
            module.add_arguments(command)
            command.set_defaults(handler=module.main)
    return parser


# what a symbol becomes on a console that cannot show it (cp1252, latin-1, ascii, ...)
_FALLBACKS = {
    "✅": "[pass]",
    "❌": "[FAIL]",
    "⚠️": "[!]",
    "⚠": "[!]",
    "\ufe0f": "",
    "➖": "-",
    "❔": "?",
    "—": "-",
    "–": "-",
    "…": "...",
    "·": "-",
    "→": "->",
    "\u2060": "",
}


def _degrade(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(_FALLBACKS.get(ch, "?") for ch in text), error.end


codecs.register_error("pattern-verify-degrade", _degrade)


def safe_output(*streams: TextIO) -> None:
    """Streams that cannot encode every character (a Windows console, output redirected with
    PYTHONIOENCODING=cp1252) degrade symbols to ASCII instead of failing the run."""
    for stream in streams:
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding in ("utf8", "utf_8", "utf8sig"):
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="pattern-verify-degrade")


def main(argv: Sequence[str] | None = None) -> int:
    # pydantic looks for plugins (entry points of the `pydantic` group) when it builds the first
    # model, reading the metadata of every installed distribution: 0.005-0.02 s of every run,
    # before the chosen command's models are built below. pattern-verify's models need no
    # plugin, and a third-party plugin has no business in its verdicts. A value the user set is
    # kept (an empty one enables them all again); processes the run starts inherit the variable.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    safe_output(sys.stdout, sys.stderr)
    arguments = list(sys.argv[1:] if argv is None else argv)
    selected = next((a for a in arguments if not a.startswith("-")), None)
    parser = build_parser(selected if selected in COMMANDS else None)
    args = parser.parse_args(arguments)
    handler: Callable[[argparse.Namespace], int] = args.handler
    in_action = args.command == "action"
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("pattern-verify: interrupted", file=sys.stderr)
        return 130
    except UsageError as exc:  # git refusing among them: `pattern_verify.git` raises GitError
        _report(f"error: {exc}", in_action)
        return exc.exit_code
    except Exception as exc:
        debug = args.debug or os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")
        _report(_bug_line(exc, debug), in_action)
        return BUG_EXIT


def _bug_line(exc: Exception, debug: bool) -> str:
    """One line for an unexpected exception; the traceback goes to stderr (debug) or a log."""
    summary = f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if debug:
        print(details, file=sys.stderr, end="")
        where = "the traceback is above"
    else:
        log = _write_log(details)
        where = f"the traceback is in {log}" if log else f"rerun with --debug (or {DEBUG_ENV}=1)"
    return (
        f"internal error (a bug in pattern-verify, not a verdict): {summary}; "
        f"{where}. Please report it with that file."
    )


def _write_log(details: str) -> str | None:
    """The traceback appended to pattern-verify.log in the user's cache directory (or the
    temporary directory when that cannot be written); None when neither can."""
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    header = f"pattern-verify {__version__}, python {sys.version.split()[0]}\n"
    for directory in (os.path.join(cache, "pattern-verify"), tempfile.gettempdir()):
        path = os.path.join(directory, "pattern-verify.log")
        try:
            os.makedirs(directory, exist_ok=True)
            with open(path, "a", encoding="utf-8") as log:
                log.write(header + details + "\n")
        except OSError:
            continue
        return path
    return None


def _report(line: str, in_action: bool) -> None:
    if in_action:
        # the action's log reads workflow commands: an error annotation, not a bare line
        from pattern_verify.workflow_commands import command

        text = f"pattern-verify: {line.removeprefix('error: ')}"
        print(command("error", text, {"title": "pattern-verify"}), flush=True)
    else:
        print(f"pattern-verify: {line}", file=sys.stderr)

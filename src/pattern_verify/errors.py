"""Expected failures. Each carries a message for the user and ends the run with exit code 2."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


class UsageError(Exception):
    """A problem the user can fix: bad config, unknown ref, semgrep missing or failing."""

    exit_code = 2


class ConfigError(UsageError):
    """A config or pack file that does not validate; `problems` lists every error at once."""

    def __init__(self, path: str, problems: list[str]) -> None:
        """`path` prefixes each problem; pass "" when the problems name their files."""
        self.path = path
        self.problems = problems
        prefix = f"{path}: " if path else ""
        lines = "\n".join(f"  {prefix}{problem}" for problem in problems)
        noun = "error" if len(problems) == 1 else "errors"
        super().__init__(f"invalid configuration ({len(problems)} {noun}):\n{lines}")


class GitError(UsageError):
    """A git operation the run needs is impossible (unknown ref, shallow history, no repo)."""


class ScanError(UsageError):
    """semgrep is missing, rejected a rule, crashed or timed out."""


class RenderError(UsageError):
    """A template that does not compile, fails to render or breaks a rule (e.g. drops the
    sticky marker)."""


def _location(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _quoted_choices(tags: str) -> str:
    """`'a', 'b', 'c'` (pydantic's list of tags) → `'a', 'b' or 'c'`."""
    head, _, last = tags.rpartition(", ")
    return f"{head} or {last}" if head else last


def validation_problems(exc: ValidationError) -> list[str]:
    """Every error of a file that does not validate, one line each: the key path as the file
    spells it (`requirements[0].checks[1].kind`) and what was expected."""
    # here, not at the top: the CLI imports this module before it knows it needs pydantic
    from pattern_verify.checks import CHECK_KINDS

    problems = []
    for error in exc.errors():
        loc: list[int | str] = []
        check_kind = None
        for part in error["loc"]:
            if part in ("str", "list[str]"):
                continue  # which member of `str | list[str]` pydantic tried
            in_check = len(loc) >= 2 and loc[-2] == "checks" and isinstance(loc[-1], int)
            if in_check and isinstance(part, str) and part in CHECK_KINDS:
                check_kind = part  # the class `kind:` picked, not a key of the file
                continue
            loc.append(part)
        kind = error["type"]
        message = error["msg"]
        context = error.get("ctx") or {}
        if kind == "union_tag_invalid":
            key = str(context.get("discriminator", "")).strip("'")
            loc.append(key)
            expected = _quoted_choices(str(context.get("expected_tags", "")))
            message = f"Input should be {expected}, not {str(context.get('tag'))!r}"
        elif kind == "union_tag_not_found":
            key = str(context.get("discriminator", "")).strip("'")
            loc.append(key)
            message = "Field required"
            if len(loc) >= 3 and loc[-3] == "checks":
                message += f" (the check's kind: {', '.join(CHECK_KINDS)})"
        elif kind == "extra_forbidden":
            message = "unknown key"
            if check_kind is not None:
                keys = ", ".join(CHECK_KINDS[check_kind].model_fields)
                message += f" for a `{check_kind}` check (its keys: {keys})"
        elif message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        problems.append(f"{_location(loc)}: {message}")
    return problems


def first_problem(exc: ValidationError) -> str:
    """A file that does not validate, in one line: where its first problem is, and what."""
    return validation_problems(exc)[0]

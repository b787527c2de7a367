"""Expected failures. Each carries a message for the user and ends the run with exit code 2."""

from __future__ import annotations

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


def first_problem(exc: ValidationError) -> str:
    """A file that does not validate, in one line: where its first problem is, and what."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(top level)"
    return f"{where}: {first['msg']}"

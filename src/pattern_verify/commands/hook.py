"""`pattern-verify hook`: `run` as the pre-commit hook (`.pre-commit-hooks.yaml`) runs it.

The whole repository is verified, as `run` does; the differences are what a hook needs: the
result files go to git's own directory (`.git/pattern-verify/`, per worktree), never into the
work tree where they would show up as untracked files, and nothing is printed when the check
passes. When it fails, the summary with the violations is printed. Every `run` option works
(pre-commit's `args:`).
"""

from __future__ import annotations

import argparse
import io
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from pattern_verify import git
from pattern_verify.commands import run
from pattern_verify.errors import UsageError

RESULTS_DIR = "pattern-verify"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    run.add_arguments(parser)
    parser.set_defaults(output_dir=None)
    parser.epilog = (
        f"The result files go to <git dir>/{RESULTS_DIR}/ unless --output-dir says otherwise; "
        "nothing is printed when the check passes."
    )


def results_dir(path: Path) -> Path:
    """`<git dir>/pattern-verify` of the repository holding `path`."""
    found = git.git_dir(path)
    if found is None:
        raise UsageError(
            f"{path} is not in a git repository: the hook keeps its results in git's directory "
            "(outside a repository, use `pattern-verify run`)"
        )
    return found / RESULTS_DIR


def main(args: argparse.Namespace) -> int:
    if args.output_dir is None:
        args.output_dir = results_dir(args.path)
    summary, progress = io.StringIO(), io.StringIO()
    with redirect_stdout(summary), redirect_stderr(progress):
        code = run.main(args)
    if code != 0:
        sys.stdout.write(summary.getvalue())
    return code

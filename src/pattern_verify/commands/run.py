"""`pattern-verify run`: verify a tree, write the result files, exit per `--fail-on`."""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pattern_verify import formats, git, pipeline, shards
from pattern_verify.errors import GitError, UsageError
from pattern_verify.models import FAIL_ON_CHOICES
from pattern_verify.publish import files, terminal
from pattern_verify.store import CACHE_DIR_ENV, DEFAULT_DIRNAME


def parse_seconds(text: str) -> float:
    """A finite number of seconds > 0; ValueError for anything else (`0`, `-1`, `nan`, `x`)."""
    value = float(text)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"not a number of seconds > 0: {text}")
    return value


def _seconds(text: str) -> float:
    try:
        return parse_seconds(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number of seconds > 0, got `{text}`"
        ) from None


def _date(text: str) -> datetime.date:
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got `{text}`")


def _shard(text: str) -> shards.Shard:
    try:
        return shards.Shard.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cache_dir(
    path: Path, explicit: Path | None, disabled: bool, env: dict[str, str] | None = None
) -> Path | None:
    """The facts store's directory: none with --no-cache, else --cache-dir, else
    $PATTERN_VERIFY_CACHE_DIR, else .pattern-verify-cache/ at the top of the repository
    holding `path` (none outside a repository)."""
    if disabled:
        return None
    if explicit is not None:
        return explicit
    from_env = (env if env is not None else dict(os.environ)).get(CACHE_DIR_ENV, "").strip()
    if from_env:
        return Path(from_env)
    top = git.top_level(path) if path.is_dir() else None
    return top / DEFAULT_DIRNAME if top is not None else None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path", nargs="?", default=".", type=Path, help="tree to verify (default: .)"
    )
    parser.add_argument(
        "--config", type=Path, help="config file (default: .github/pattern-verify.yml)"
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=Path("pattern-verify-results"),
        help="where report.md, comment.md and results.json go (default: pattern-verify-results)",
    )
    parser.add_argument(
        "--include", action="append", default=[], metavar="GLOB", help="only these paths"
    )
    parser.add_argument(
        "--exclude", action="append", default=[], metavar="GLOB", help="also skip these paths"
    )
    parser.add_argument("--base", metavar="REV", help="compare with the merge-base of REV and HEAD")
    parser.add_argument(
        "--head",
        metavar="REV",
        help="verify this commit instead of the checked-out tree (in a temporary worktree)",
    )
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON_CHOICES,
        help="exit 1 on any failing requirement, only on new violations/regressions, or never "
        "(default: new with --base, else any)",
    )
    parser.add_argument(
        "--report-path", metavar="PATH", help="also write the report to PATH inside the tree"
    )
    parser.add_argument("--repo-url", metavar="URL", help="web URL of the repository, for links")
    parser.add_argument(
        "--timeout", type=_seconds, metavar="SECONDS", help="stop semgrep after this long"
    )
    parser.add_argument(
        "--engine",
        choices=("auto", "native", "python"),
        help="semgrep's native CLI (`semgrep scan --experimental`), its Python CLI, or auto: "
        "native when it gives the same facts (default: $PATTERN_VERIFY_ENGINE, else auto)",
    )
    parser.add_argument(
        "--trusted-config",
        choices=("head", "base"),
        default="head",
        help="read the config, rules and templates from the tree (head) or from --base (base)",
    )
    parser.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        help="judge config exceptions' `until` at this date (default: the later of the head "
        "commit's date and the base's, so the same commits give the same verdict)",
    )
    parser.add_argument("--timings", action="store_true", help="add stage timings to results.json")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help=f"the facts store (default: ${CACHE_DIR_ENV}, else {DEFAULT_DIRNAME}/ at the "
        "repository's top)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the facts store"
    )
    split = parser.add_mutually_exclusive_group()
    split.add_argument(
        "--shard",
        type=_shard,
        metavar="K/N",
        help="scan only the K-th of N slices of the files and write their facts to the output "
        "dir (facts-K-of-N.json), judging nothing",
    )
    split.add_argument(
        "--facts",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="judge the facts the shards wrote (a facts-K-of-N.json file or a directory of "
        "them; repeatable) instead of scanning",
    )
    parser.add_argument(
        "--format",
        choices=formats.NAMES,
        default="text",
        help="what to print on stdout: the terminal summary (text, the default), the report "
        "(markdown), the PR comment (comment), results.json (json), SARIF (sarif) or GitHub "
        "Actions annotations (github); progress goes to stderr, the result files are written "
        "either way",
    )
    parser.add_argument(
        "--sarif",
        type=Path,
        metavar="FILE",
        help="also write SARIF 2.1.0 for code scanning to FILE",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print nothing unless the run fails (errors, or the summary of a failing verdict)",
    )


def options_from(args: argparse.Namespace) -> pipeline.RunOptions:
    return pipeline.RunOptions(
        root=args.path,
        config_path=args.config,
        include=tuple(args.include),
        exclude=tuple(args.exclude),
        base=args.base,
        fail_on=args.fail_on,
        repo_url=args.repo_url,
        timeout=args.timeout,
        engine=args.engine,
        timings=args.timings,
        trusted_config=args.trusted_config,
        document_path=args.report_path,
        today=args.today,
        facts=tuple(args.facts),
    )


@contextmanager
def head_root(path: Path, head: str | None) -> Iterator[Path]:
    """`path` itself, or the same directory in a temporary worktree at commit `head`."""
    if head is None:
        yield path
        return
    repo = git.find(path)
    if repo is None:
        raise GitError(
            f"--head needs a git repository; {path} is not one"
            if git.installed()
            else git.NOT_INSTALLED
        )
    sha = repo.resolve(head)
    if sha is None:
        raise GitError(f"unknown head ref `{head}`: no such branch, tag or commit")
    top = (repo.top or path).resolve()
    with git.head_tree(path, sha, None) as tree:
        yield tree / path.resolve().relative_to(top)


def main(args: argparse.Namespace) -> int:
    report_destination = (
        files.report_destination(args.path, args.report_path) if args.report_path else None
    )
    if args.shard is not None:
        for given, option in (
            (args.report_path, "--report-path"),
            (args.sarif, "--sarif"),
            (args.format != "text", f"--format {args.format}"),
        ):
            if given:
                raise UsageError(
                    f"--shard writes facts only; {option} belongs to the run with --facts"
                )
    sarif_destination = (
        files.file_destination(args.sarif, "--sarif", str(args.sarif)) if args.sarif else None
    )
    store = cache_dir(args.path, args.cache_dir, args.no_cache)
    progress = terminal.Progress(sys.stderr)
    try:
        with head_root(args.path, args.head) as root:
            options = dataclasses.replace(
                options_from(args),
                root=root,
                config_path=args.config.resolve() if args.config else None,
                cache_dir=store.resolve() if store is not None else None,
            )
            shown = (lambda _: None) if args.quiet else progress
            if args.shard is not None:
                document = pipeline.scan_shard(options, args.shard, progress=shown)
            else:
                outcome = pipeline.run(options, progress=shown)
    finally:
        progress.close()
    if args.shard is not None:
        destination = args.output_dir / args.shard.filename
        files.write_text(destination, shards.dumps(document))
        if not args.quiet:
            print(f"shard {args.shard}: wrote {destination}", file=sys.stdout)
        return 0
    written = files.write_results(outcome, args.output_dir)
    if report_destination is not None:
        files.write_text(report_destination, outcome.report)
        written.append(report_destination)
    if sarif_destination is not None:
        files.write_text(sarif_destination, outcome.produce("sarif"))
        written.append(sarif_destination)
    if not args.quiet or outcome.exit_code != 0:
        files.write_stdout(
            sys.stdout,
            outcome.produce(args.format, written=[str(path) for path in written]),
            exact=args.format in formats.MACHINE,
        )
    return outcome.exit_code

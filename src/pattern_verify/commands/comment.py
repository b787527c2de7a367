"""`pattern-verify comment --results DIR`: the sticky PR comment from results made earlier.

For pull requests from forks, whose token cannot write: the `pull_request` workflow verifies and
uploads its results directory as an artifact; a `workflow_run` workflow, which runs in the base
repository with a write token, downloads it and runs this (or the action, which does this on a
`workflow_run` event).

The artifact was made by a run the fork controls, so nothing in it is trusted:
- the comment is rendered again from `results.json` (validated against the models) with the
  bundled templates, so its Markdown is escaped by construction, whatever `comment.md` says;
  `--as-written` posts `comment.md` instead, for results from a job you trust;
- on `workflow_run`, the pull request named by the artifact must have the head SHA of the run
  that triggered this one, and the results must be of that SHA; otherwise nothing is posted;
- links point at this repository (`GITHUB_SERVER_URL`/`GITHUB_REPOSITORY`), not at a URL from
  the artifact.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from pattern_verify import formats, pipeline, render, runner
from pattern_verify.errors import UsageError, first_problem
from pattern_verify.gate import gate
from pattern_verify.models import Verification
from pattern_verify.publish import files, github
from pattern_verify.workflow_commands import command

ClientFactory = Callable[[str], github.Client]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--results",
        type=Path,
        required=True,
        metavar="DIR",
        help="results directory of an earlier run (results.json, comment.md, pull-request.json)",
    )
    parser.add_argument(
        "--repo", metavar="OWNER/NAME", help="repository (default: GITHUB_REPOSITORY)"
    )
    parser.add_argument(
        "--pr",
        type=int,
        metavar="N",
        help="pull request number (default: from DIR/pull-request.json or the workflow_run event)",
    )
    parser.add_argument(
        "--as-written",
        action="store_true",
        help="post DIR/comment.md as it is instead of rendering it again from results.json "
        "(only for results from a job you trust)",
    )
    parser.add_argument(
        "--author",
        metavar="LOGIN",
        help="login that writes the comment, when the token's user cannot be asked "
        "(a GitHub App token: my-app[bot]; default: github-actions[bot] for such tokens)",
    )
    parser.epilog = "The token is read from INPUT_TOKEN or GITHUB_TOKEN, never from an argument."


def _read_results(directory: Path) -> Verification:
    path = directory / files.RESULTS
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(
            f"{path}: not found; expected the results directory of an earlier run "
            "(download the artifact into it first)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot be read ({exc})") from None
    try:
        return Verification.model_validate_json(text)
    except ValidationError as exc:
        raise UsageError(
            f"{path}: not a pattern-verify results file ({exc.error_count()} errors; "
            f"{first_problem(exc)})"
        ) from None


def post(
    results_dir: Path,
    env: Mapping[str, str],
    *,
    token: str | None,
    out: TextIO,
    client_factory: ClientFactory,
    repository: str | None = None,
    number: int | None = None,
    as_written: bool = False,
    author: str | None = None,
    mode: str = "always",
) -> int:
    """Post or update the comment; 0 when it is in place (or nothing was to be posted), 1 when
    GitHub refused it; bad or mismatched input raises UsageError (exit 2)."""
    verification = _read_results(results_dir)
    event = runner.load_event(env)
    pull_file = runner.PullRequestFile.read(results_dir)
    run = event.get("workflow_run") if env.get("GITHUB_EVENT_NAME") == "workflow_run" else None
    run = run if isinstance(run, dict) else None

    own = (repository or env.get("GITHUB_REPOSITORY", "")).strip()
    named = pull_file.repository
    if not own:
        own = str(named or "")
    if not own or own.count("/") != 1:
        raise UsageError("no repository: pass --repo OWNER/NAME (or set GITHUB_REPOSITORY)")
    if isinstance(named, str) and named.lower() != own.lower():
        raise UsageError(
            f"refusing to comment: the results are for {named}, this repository is {own}"
        )

    if number is None:
        number = pull_file.number
        if number is None and run is not None:
            pulls = run.get("pull_requests") or []
            candidate = pulls[0].get("number") if pulls and isinstance(pulls[0], dict) else None
            number = candidate if isinstance(candidate, int) else None
    if number is None:
        print("no pull request for these results: nothing to comment on", file=out)
        return 0
    if mode == "never":
        print("comment: never: no comment posted", file=out)
        return 0
    if not token:
        raise UsageError("no token: set INPUT_TOKEN or GITHUB_TOKEN (never pass it as an argument)")
    pull = github.PullRequest(repository=own, number=number)
    client = client_factory(token)

    head_sha = verification.repository.head.sha
    if run is not None:
        expected = str(run.get("head_sha") or "")
        if head_sha != expected:
            raise UsageError(
                f"refusing to comment: the results are of commit {str(head_sha)[:12]}, the "
                f"workflow run that made them verified {expected[:12]}"
            )
        current, reason = github.pull_head_sha(pull, client)
        if current is None:
            print(command("error", f"pattern-verify: {reason}"), file=out)
            return 1
        if current != expected:
            raise UsageError(
                f"refusing to comment: pull request #{number} is at {current[:12]}, but the "
                f"results are of {expected[:12]} (the run of the newer commit comments)"
            )

    marker = render.marker(verification.config_id)
    if as_written:
        try:
            body = (results_dir / files.COMMENT).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{results_dir / files.COMMENT}: cannot be read ({exc})") from None
    else:
        server = runner.server_url(env)
        base = verification.repository.base
        links = render.Links(
            base_url=f"{server}/{own}", sha=head_sha, base_sha=base.sha if base else None
        )
        run_id = run.get("id") if run is not None else None
        presentation = formats.Presentation(
            renderer=render.Renderer(pipeline.load_templates(None), links),
            report_note="The full report is in the results artifact of the verifying run.",
            run_url=f"{server}/{own}/actions/runs/{run_id}" if isinstance(run_id, int) else None,
        )
        body = formats.produce("comment", verification, presentation)
    result = github.sticky_comment(
        body,
        marker,
        pull,
        client,
        author=author,
        # on-failure: created when the check fails (the gate decides), as the action does
        create=mode == "always" or gate(verification).failed,
    )
    if result.failed:
        print(command("error", f"pattern-verify: {result.message}"), file=out)
        return 1
    print(result.message, file=out)
    return 0


def main(args: argparse.Namespace) -> int:
    env = os.environ
    api_url = runner.api_url(env)
    return post(
        args.results,
        env,
        token=runner.token(env),
        out=sys.stdout,
        client_factory=lambda value: github.Client(token=value, api_url=api_url),
        repository=args.repo,
        number=args.pr,
        as_written=args.as_written,
        author=args.author,
    )

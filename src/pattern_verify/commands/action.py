"""`pattern-verify action`: the container's entrypoint, run by GitHub Actions.

It reads the step's inputs as a Docker action receives them (`INPUT_<NAME>`, upper case, hyphens
kept: `INPUT_FAIL-ON`) and the event from `GITHUB_EVENT_PATH`, verifies the pull request head
against its merge-base with the base (or the pushed commit), then publishes in an order that
loses nothing when GitHub's API misbehaves: result files, job summary, outputs, annotations,
SARIF, the report's copy in the repository, and only then the PR comment. A comment that cannot
be posted is a warning; the exit code is the verdict's (0 pass, 1 fail per `fail-on`, 2 error).

On a `workflow_run` event (the second workflow of the fork recipe) it does not scan: it posts
the comment from the results an earlier run uploaded, downloaded into `output-dir`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

from pattern_verify import git, pipeline, render
from pattern_verify.commands.run import parse_seconds
from pattern_verify.errors import UsageError
from pattern_verify.facts import rules_digest
from pattern_verify.models import FAIL_ON_CHOICES, FailOn
from pattern_verify.publish import actions, files, github
from pattern_verify.runner import (
    PULL_REQUEST_FILE,
    Context,
    PullRequestFile,
    input_value,
    load_event,
    resolve_context,
)
from pattern_verify.runner import token as runner_token
from pattern_verify.shards import Shard, dumps
from pattern_verify.store import DEFAULT_DIRNAME
from pattern_verify.workflow_commands import command

COMMENT_MODES = ("always", "on-failure", "never")
DEFAULT_OUTPUT_DIR = "pattern-verify-results"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "Reads the inputs from INPUT_<NAME> variables (INPUT_FAIL-ON, INPUT_OUTPUT-DIR, …) and "
        "the event from GITHUB_EVENT_PATH, as GitHub Actions sets them for a Docker action."
    )


# ---------------------------------------------------------------------------------------------
# inputs and context


@dataclass(frozen=True)
class Inputs:
    config: str
    fail_on: FailOn | None
    comment: str
    token: str | None
    output_dir: str
    sarif: str
    report_path: str
    commit_report: bool
    timeout: float | None
    comment_author: str
    trusted_config: Literal["head", "base"] = "head"
    cache_dir: str = DEFAULT_DIRNAME
    shard: Shard | None = None
    facts: tuple[str, ...] = ()

    def __repr__(self) -> str:  # never the token, even in a traceback's locals
        return f"Inputs(config={self.config!r}, fail_on={self.fail_on!r}, comment={self.comment!r})"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Inputs:
        """All inputs, validated; every bad input is named at once."""
        problems: list[str] = []
        fail_on = input_value(env, "fail-on").lower()
        if fail_on and fail_on not in FAIL_ON_CHOICES:
            choices = ", ".join(FAIL_ON_CHOICES)
            problems.append(f"fail-on: expected one of {choices}, got `{fail_on}`")
        comment = input_value(env, "comment").lower() or "always"
        if comment not in COMMENT_MODES:
            problems.append(f"comment: expected one of {', '.join(COMMENT_MODES)}, got `{comment}`")
        commit = input_value(env, "commit-report").lower() or "false"
        if commit not in ("true", "false"):
            problems.append(f"commit-report: expected true or false, got `{commit}`")
        trusted = input_value(env, "trusted-config").lower() or "head"
        if trusted not in ("head", "base"):
            problems.append(f"trusted-config: expected head or base, got `{trusted}`")
        timeout_text = input_value(env, "timeout")
        timeout: float | None = None
        if timeout_text:
            try:
                timeout = parse_seconds(timeout_text)
            except ValueError:
                problems.append(f"timeout: expected a number of seconds > 0, got `{timeout_text}`")
        shard: Shard | None = None
        shard_text = input_value(env, "shard")
        if shard_text:
            try:
                shard = Shard.parse(shard_text)
            except ValueError as exc:
                problems.append(f"shard: {exc}")
        facts = tuple(input_value(env, "facts").split())
        if shard is not None and facts:
            problems.append("shard and facts: a job either scans a shard or merges the shards")
        if problems:
            raise UsageError("invalid inputs: " + "; ".join(problems))
        return cls(
            config=input_value(env, "config"),
            fail_on=fail_on or None,  # type: ignore[arg-type]
            comment=comment,
            token=runner_token(env),
            output_dir=input_value(env, "output-dir") or DEFAULT_OUTPUT_DIR,
            sarif=input_value(env, "sarif"),
            report_path=input_value(env, "report-path"),
            commit_report=commit == "true",
            timeout=timeout,
            comment_author=input_value(env, "comment-author"),
            trusted_config="base" if trusted == "base" else "head",
            cache_dir=input_value(env, "cache-dir") or DEFAULT_DIRNAME,
            shard=shard,
            facts=facts,
        )


# ---------------------------------------------------------------------------------------------
# the run


def _within(workspace: Path, value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else workspace / path


def _display(workspace: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(workspace.resolve()).as_posix()
    except ValueError:
        return str(path)


def _warn(out: TextIO, message: str) -> None:
    print(command("warning", message, {"title": "pattern-verify"}), file=out, flush=True)


def _notice(out: TextIO, message: str) -> None:
    print(message, file=out, flush=True)


def client_for(context: Context, token: str) -> github.Client:
    return github.Client(token=token, api_url=context.api_url)


def run(env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    inputs = Inputs.from_env(env)
    workspace = Path(env.get("GITHUB_WORKSPACE") or os.getcwd())
    context = resolve_context(env, load_event(env))

    if context.event_name == "workflow_run":
        from pattern_verify.commands import comment

        return comment.post(
            _within(workspace, inputs.output_dir),
            env,
            token=inputs.token,
            author=inputs.comment_author or None,
            mode=inputs.comment,
            out=out,
            client_factory=lambda token: client_for(context, token),
        )

    sarif_path = (
        files.file_destination(_within(workspace, inputs.sarif), "sarif", inputs.sarif)
        if inputs.sarif
        else None
    )
    git.mark_safe_directory(workspace)
    report_destination = (
        files.report_destination(workspace, inputs.report_path) if inputs.report_path else None
    )
    with git.head_tree(
        workspace, context.head_sha, context.pull.number if context.pull else None
    ) as root:
        config_path = _within(root, inputs.config) if inputs.config else None
        options = pipeline.RunOptions(
            root=root,
            config_path=config_path,
            base=context.base,
            base_label=context.base_label,
            document_path=inputs.report_path or None if context.pull is not None else None,
            trusted_config=inputs.trusted_config,
            fail_on=inputs.fail_on,
            repo_url=context.repo_url if context.repository else None,
            timeout=inputs.timeout,
            report_note=(
                "The full report is in this run's job summary and in report.md of its results."
            ),
            cache_dir=None if inputs.cache_dir == "none" else _within(workspace, inputs.cache_dir),
            # on pull_request_target the job runs in the base branch's cache scope: a pull
            # request must not plant facts there for content it later merges
            cache_writes=context.event_name != "pull_request_target",
            facts=tuple(_within(workspace, location) for location in inputs.facts),
            run_url=context.run_url,
        )

        def progress(text: str) -> None:
            print(text, file=err, flush=True)

        if inputs.shard is not None:
            document = pipeline.scan_shard(options, inputs.shard, progress=progress)
        else:
            outcome = pipeline.run(options, progress=progress)
    if inputs.shard is not None:
        destination = _within(workspace, inputs.output_dir) / inputs.shard.filename
        files.write_text(destination, dumps(document))
        _notice(out, f"shard {inputs.shard}: wrote {_display(workspace, destination)}")
        return 0
    verification = outcome.verification

    # 1. result files: nothing below can lose them
    output_dir = _within(workspace, inputs.output_dir)
    written = files.write_results(outcome, output_dir)
    if context.pull is not None and verification.repository.head.sha:
        pull_file = output_dir / PULL_REQUEST_FILE
        pull_request = PullRequestFile(
            repository=context.pull.repository,
            number=context.pull.number,
            head_sha=verification.repository.head.sha,
        )
        files.write_text(pull_file, pull_request.text())
        written.append(pull_file)
    commits_report = (
        report_destination is not None and context.keeps_report and inputs.commit_report
    )
    if report_destination is not None and inputs.commit_report and not commits_report:
        _notice(
            out,
            f"commit-report: not committed on this {context.event_name} event; the document is "
            "committed on pushes to the default branch and on manual runs only",
        )
    event_sha = env.get("GITHUB_SHA", "").strip()
    verified = verification.repository.head.sha
    if commits_report and event_sha and verified and verified != event_sha:
        # a checkout of another ref: committing on top of it would push its commits too
        _warn(
            out,
            f"commit-report: the checkout is {verified[:12]}, not {event_sha[:12]}, the commit "
            f"this run is for; the document is written to {inputs.report_path}, not committed "
            f"(check out the run's own commit to commit it to {context.branch})",
        )
        commits_report = False
    if report_destination is not None and not commits_report:
        # on pull requests, and without `commit-report`, the copy is written, never committed
        files.write_text(report_destination, outcome.report)
        written.append(report_destination)

    # 2. job summary, 3. outputs (the comment's URL follows the comment), 4. annotations
    summary = env.get("GITHUB_STEP_SUMMARY", "").strip()
    actions.append_summary(
        Path(summary) if summary else None,
        outcome.report,
        full_report_at=_display(workspace, output_dir / files.REPORT),
    )
    output_file = Path(env["GITHUB_OUTPUT"]) if env.get("GITHUB_OUTPUT", "").strip() else None
    outputs = actions.verification_outputs(verification)
    outputs["report-path"] = inputs.report_path or _display(workspace, output_dir / files.REPORT)
    outputs["rules-digest"] = rules_digest(outcome.config)
    actions.write_outputs(output_file, outputs)
    out.write(outcome.produce("text", written=[str(path) for path in written]))
    out.write(outcome.produce("github"))
    out.flush()

    # 5. SARIF
    if sarif_path is not None:
        files.write_text(sarif_path, outcome.produce("sarif"))
        _notice(out, f"wrote {_display(workspace, sarif_path)}")

    # 6. the report committed (pushes to the default branch, manual runs, `commit-report`)
    if commits_report:
        _commit_report(workspace, inputs, context, outcome, out)

    # 7. the comment, last
    comment_url = ""
    if context.pull is not None:
        comment_url = _comment(context.pull, inputs, context, outcome, out)
    actions.write_outputs(output_file, {"comment-url": comment_url})
    return outcome.exit_code


def _commit_report(
    workspace: Path, inputs: Inputs, context: Context, outcome: pipeline.Outcome, out: TextIO
) -> None:
    # imported here: only a run that commits the report needs the docs publisher
    from pattern_verify.publish import docs

    assert context.branch is not None
    result = docs.commit_report(
        workspace,
        inputs.report_path,
        outcome.report,
        status=outcome.verification.status,
        title=outcome.verification.title,
        token=inputs.token,
        server_url=context.server_url,
        repository=context.repository,
        branch=context.branch,
    )
    if result.warning:
        _warn(out, result.message)
    else:
        _notice(out, result.message)


def _comment(
    pull: github.PullRequest,
    inputs: Inputs,
    context: Context,
    outcome: pipeline.Outcome,
    out: TextIO,
) -> str:
    if inputs.comment == "never":
        return ""
    if not inputs.token:
        _warn(out, "no token: the pull request comment was skipped (set the `token` input)")
        return ""
    failing = outcome.exit_code != 0
    result = github.sticky_comment(
        outcome.comment,
        render.marker(outcome.verification.config_id),
        pull,
        client_for(context, inputs.token),
        author=inputs.comment_author or None,
        # on-failure: a passing run only updates an earlier comment, so no stale ❌ stays
        create=inputs.comment == "always" or failing,
        head_sha=outcome.verification.repository.head.sha,
    )
    if result.failed:
        _warn(out, result.message)
    else:
        _notice(out, result.message)
    return result.url or ""


def main(args: argparse.Namespace) -> int:
    # expected failures become one `::error::` line in `cli.main`, the one error boundary
    return run(os.environ, sys.stdout, sys.stderr)

"""`pattern-verify action` (commands/action.py) as GitHub runs it: pull requests, pushes and
dispatches on a real checkout, real semgrep, the local GitHub server (see action_runner.py)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import action_runner
import git
import pytest
from action_runner import (
    FORK_TOKEN,
    MARKER,
    NUMBER,
    PAT,
    REPOSITORY,
    SERVER_URL,
    TOKEN,
    WEBHOOKS,
    PrRepo,
    Result,
    Runner,
    build_pr_repo,
    clone,
    ours,
    pr_event,
    push_event,
    run_pr,
    serve_pull,
)
from github_server import (
    ACTIONS_BOT,
    HUBOT,
    OCTOCAT,
    OTHER_BOT,
    GitHubServer,
    Reply,
    iter_pages,
)

from pattern_verify.publish import github as gh

# action_runner's fixtures, by the names the tests ask for
server = action_runner.server
runner = action_runner.runner
pr_repo = action_runner.pr_repo


# ---------------------------------------------------------------------------------------------
# the pull request path


def test_a_violating_pr_gets_one_comment_and_a_rerun_updates_it(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    first = run_pr(runner, pr_repo, tmp_path)
    assert first.code == 1, first.out + first.err
    (comment,) = server.comments_on(REPOSITORY, NUMBER)
    assert comment.user == ACTIONS_BOT
    body = comment.body
    assert body.startswith(MARKER + "\n")
    # the first line is what fails the check, and the comment links the run that decided it
    assert body.splitlines()[1] == "### ❌ This change adds 2 violations and breaks One Endpoint"
    assert f"]({SERVER_URL}/{REPOSITORY}/actions/runs/" in body
    blob = f"{SERVER_URL}/{REPOSITORY}/blob/{pr_repo.head}"
    assert f"({blob}/app/service.py#L2)" in body
    assert f"({blob}/app/chat.py#L1-L2)" in body
    assert "`app/service.py:2`" in body and "`app/chat.py:1`" in body
    # compared with the merge-base, not with the base tip or the merge commit
    assert pr_repo.merge_base[:7] in body

    # the files, the summary and the outputs
    assert sorted(p.name for p in first.results.iterdir()) == [
        "comment.md",
        "pull-request.json",
        "report.md",
        "results.json",
    ]
    results = json.loads((first.results / "results.json").read_text())
    assert results["repository"]["head"]["sha"] == pr_repo.head
    assert results["repository"]["base"]["sha"] == pr_repo.merge_base
    report = (first.results / "report.md").read_text()
    assert report in first.summary
    outputs = first.outputs
    assert outputs["status"] == "fail"
    assert outputs["violations"] == str(len(results_violations(results)))
    assert outputs["new-violations"] == "2"  # the print and the /chat endpoint
    assert outputs["fixed"] == "0"
    assert (outputs["exceptions"], outputs["new-exceptions"]) == ("0", "0")
    assert (
        outputs["comment-url"]
        == f"{SERVER_URL}/{REPOSITORY}/pull/{NUMBER}#issuecomment-{comment.id}"
    )
    assert outputs["report-path"] == str(first.results / "report.md")

    # annotations: new violations first, as errors; the old one a warning (fail-on new)
    lines = [line for line in first.out.splitlines() if line.startswith("::")]
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert any("file=app/service.py,line=2," in line for line in errors)
    assert any("file=app/legacy.py,line=2," in line for line in warnings)
    assert lines.index(errors[0]) < lines.index(warnings[0])
    assert "comment created: " in first.out

    # GitHub's worktree is as the checkout left it
    assert git.Repo(pr_repo.root).head.commit.hexsha == pr_repo.merge
    assert not (pr_repo.root / ".git" / "worktrees").exists() or not any(
        (pr_repo.root / ".git" / "worktrees").iterdir()
    )

    # the same run again: the comment is found and left as it is
    again = run_pr(runner, pr_repo, tmp_path)
    assert again.code == 1
    assert "comment unchanged" in again.out
    assert [c.id for c in server.comments_on(REPOSITORY, NUMBER)] == [comment.id]
    assert server.calls("update_comment") == []

    # a second push: the same comment is updated, not a second one
    second = run_pr(runner, pr_repo, tmp_path, head=pr_repo.head2)
    assert second.code == 1
    assert "comment updated" in second.out
    (updated,) = server.comments_on(REPOSITORY, NUMBER)
    assert updated.id == comment.id
    assert "app/chat.py" not in updated.body
    assert f"/blob/{pr_repo.head2}/app/service.py#L2" in updated.body
    assert second.outputs["comment-url"] == outputs["comment-url"]
    assert len(server.calls("create_comment")) == 1

    # the first push's run finishing late must not put its older verdict back
    serve_pull(server, NUMBER, pr_repo.head2)
    late = run_pr(runner, pr_repo, tmp_path)
    assert late.code == 1
    assert f"comment not updated: pull request #{NUMBER} is at {pr_repo.head2[:12]} now" in late.out
    (kept,) = server.comments_on(REPOSITORY, NUMBER)
    assert f"/blob/{pr_repo.head2}/app/service.py#L2" in kept.body
    # every page was asked for 100 at a time
    assert all(r.query.get("per_page") == ["100"] for r in server.calls("list_comments"))


def results_violations(results: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (v["fingerprint"], v["rule_id"]) for r in results["requirements"] for v in r["violations"]
    }


def test_our_comment_is_found_behind_35_others_on_a_later_page(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    for index in range(35):
        server.add_comment(
            REPOSITORY, NUMBER, f"looks good {index}", HUBOT if index % 2 else OCTOCAT
        )
    server.max_per_page = 10  # so that 36 comments make four pages
    assert run_pr(runner, pr_repo, tmp_path).code == 1
    (comment,) = ours(server)
    assert comment.id == max(c.id for c in server.comments_on(REPOSITORY, NUMBER))
    server.requests.clear()

    second = run_pr(runner, pr_repo, tmp_path, head=pr_repo.head2)
    assert "comment updated" in second.out
    assert list(iter_pages(server, "list_comments")) == [1, 2, 3, 4]
    assert [c.id for c in ours(server)] == [comment.id]
    assert len(server.comments_on(REPOSITORY, NUMBER)) == 36


def test_comments_of_others_and_of_other_configs_are_left_alone(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    other_bot = server.add_comment(REPOSITORY, NUMBER, f"{MARKER}\nanother bot's copy", OTHER_BOT)
    quoted = server.add_comment(REPOSITORY, NUMBER, f"{MARKER}\n> quoting the bot", OCTOCAT)
    other_config = server.add_comment(
        REPOSITORY,
        NUMBER,
        "<!-- pattern-verify:mini:.github/other.yml -->\nother config",
        ACTIONS_BOT,
    )
    similar = server.add_comment(
        REPOSITORY,
        NUMBER,
        "<!-- pattern-verify:mini:.github/pattern-verify.yml-old -->\nx",
        ACTIONS_BOT,
    )
    before = {c.id: c.body for c in (other_bot, quoted, other_config, similar)}
    run_pr(runner, pr_repo, tmp_path)
    run_pr(runner, pr_repo, tmp_path, head=pr_repo.head2)
    comments = server.comments_on(REPOSITORY, NUMBER)
    assert {c.id: c.body for c in comments if c.id in before} == before
    mine = [c for c in comments if c.id not in before]
    assert len(mine) == 1 and mine[0].user == ACTIONS_BOT
    assert server.calls("delete_comment") == []


def test_a_personal_token_finds_comments_by_its_own_user(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    bot_copy = server.add_comment(
        REPOSITORY, NUMBER, f"{MARKER}\nwritten by the actions bot", ACTIONS_BOT
    )
    first = run_pr(runner, pr_repo, tmp_path, token=PAT)
    assert first.code == 1
    assert len(server.calls("get_user")) == 1
    mine = [c for c in server.comments_on(REPOSITORY, NUMBER) if c.user == OCTOCAT]
    assert len(mine) == 1
    run_pr(runner, pr_repo, tmp_path, token=PAT, head=pr_repo.head2)
    assert [c.id for c in server.comments_on(REPOSITORY, NUMBER) if c.user == OCTOCAT] == [
        mine[0].id
    ]
    assert server.comments[bot_copy.id].body.endswith("written by the actions bot")


def test_a_fork_pr_read_only_token_warns_once_and_keeps_everything(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    event = pr_event(tmp_path / "fork.json", pr_repo, fork=True)
    result = runner.run(pr_repo.root, "pull_request", event, sha=pr_repo.merge, token=FORK_TOKEN)
    assert result.code == 1  # the verdict, not the comment
    warnings = [
        line
        for line in result.out.splitlines()
        if line.startswith("::warning title=pattern-verify::")
    ]
    assert len(warnings) == 1
    assert "comes from a fork" in warnings[0] and "workflow_run" in warnings[0]
    assert server.comments_on(REPOSITORY, NUMBER) == []
    assert (result.results / "report.md").is_file() and (result.results / "results.json").is_file()
    assert "Mini Pattern Verification" in result.summary
    assert result.outputs["status"] == "fail"
    assert result.outputs["comment-url"] == ""
    assert "Traceback" not in result.out + result.err


def test_5xx_answers_are_retried_then_the_comment_is_created(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    server.script("list_comments", Reply(502, {"message": "Server Error"}))
    server.script(
        "create_comment",
        Reply(503, {"message": "Service Unavailable"}),
        Reply(500, {"message": "Internal Server Error"}),
    )
    result = run_pr(runner, pr_repo, tmp_path)
    assert result.code == 1
    assert "comment created" in result.out
    assert len(ours(server)) == 1
    assert len(runner.sleeps) == 3 and all(0 < s <= gh.MAX_WAIT_SECONDS for s in runner.sleeps)
    # a retried create first looks again, so a create that did land is not doubled
    routes = [r.route for r in server.requests]
    assert routes.count("create_comment") == 3


def test_rate_limits_with_retry_after_are_waited_out(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    server.script(
        "list_comments",
        GitHubServer.error(
            403,
            "You have exceeded a secondary rate limit. "
            "Please wait a few minutes before you try again.",
        ),
    )
    server.scripts["list_comments"][0].headers["Retry-After"] = "7"
    server.script(
        "create_comment",
        Reply(429, {"message": "Too Many Requests"}, {"Retry-After": "3"}),
    )
    result = run_pr(runner, pr_repo, tmp_path)
    assert result.code == 1
    assert runner.sleeps == [7.0, 3.0]
    assert len(ours(server)) == 1


def test_a_primary_rate_limit_past_the_wait_cap_is_a_warning(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    reset = str(int(__import__("time").time()) + 3600)
    server.script(
        "list_comments",
        Reply(
            403,
            {"message": "API rate limit exceeded for installation ID 1.", "documentation_url": "x"},
            {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
        ),
    )
    result = run_pr(runner, pr_repo, tmp_path)
    assert result.code == 1
    assert runner.sleeps == []
    (warning,) = [
        line
        for line in result.out.splitlines()
        if line.startswith("::warning title=pattern-verify::")
    ]
    assert "rate limit" in warning and "wait" in warning
    assert (result.results / "results.json").is_file() and result.outputs["status"] == "fail"


@pytest.mark.parametrize(
    ("route", "reply", "expected"),
    [
        ("list_comments", GitHubServer.error(401, "Bad credentials"), "`token` input"),
        (
            "create_comment",
            GitHubServer.error(403, "Resource not accessible by integration"),
            "pull-requests: write",
        ),
        ("list_comments", GitHubServer.error(404, "Not Found"), "pull-requests: write"),
        (
            "create_comment",
            GitHubServer.error(
                422,
                "Validation Failed",
                errors=[{"resource": "IssueComment", "code": "custom", "field": "body"}],
            ),
            "422 Validation Failed",
        ),
        ("list_comments", Reply(502, {"message": "Bad Gateway"}), "kept answering 502"),
    ],
    ids=["401", "403", "404", "422", "5xx-for-good"],
)
def test_api_faults_never_lose_the_report(
    runner: Runner,
    server: GitHubServer,
    pr_repo: PrRepo,
    tmp_path: Path,
    route: str,
    reply: Reply,
    expected: str,
) -> None:
    server.script(route, *([reply] * (gh.ATTEMPTS if reply.status >= 500 else 1)))
    result = run_pr(runner, pr_repo, tmp_path, sarif=str(tmp_path / "results.sarif"))
    assert result.code == 1, result.out  # the verdict's exit code
    warnings = [
        line
        for line in result.out.splitlines()
        if line.startswith("::warning title=pattern-verify::")
    ]
    assert len(warnings) == 1 and expected in warnings[0], warnings
    for name in ("report.md", "comment.md", "results.json"):
        assert (result.results / name).is_file()
    assert (tmp_path / "results.sarif").is_file()
    assert "Mini Pattern Verification" in result.summary
    assert result.outputs["status"] == "fail" and result.outputs["comment-url"] == ""
    assert any(line.startswith("::error file=app/service.py") for line in result.out.splitlines())
    # the summary and outputs were written before the comment was tried
    assert result.out.index("::error file=") < result.out.index(warnings[0])
    assert TOKEN not in result.everything()
    assert ours(server) == []


def test_a_push_verifies_the_tree_writes_the_summary_and_comments_nowhere(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    workspace = tmp_path / "push"
    clone(pr_repo, workspace)
    event = push_event(tmp_path / "push.json", pr_repo.merge)
    result = runner.run(workspace, "push", event, sha=pr_repo.merge, ref="refs/heads/master")
    assert result.code == 1  # fail-on any without a base
    assert server.requests == []
    assert "Mini Pattern Verification" in result.summary
    outputs = result.outputs
    assert outputs["status"] == "fail"
    assert outputs["new-violations"] == "" and outputs["fixed"] == ""
    assert outputs["new-exceptions"] == ""
    assert outputs["comment-url"] == ""
    assert not (result.results / "pull-request.json").exists()


def test_comment_never_and_on_failure(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    never = run_pr(runner, pr_repo, tmp_path, comment="never")
    assert never.code == 1 and server.requests == []
    # on-failure, passing (fail-on never): no comment is created...
    quiet = run_pr(runner, pr_repo, tmp_path, comment="on-failure", fail_on="never")
    assert quiet.code == 0
    assert server.comments_on(REPOSITORY, NUMBER) == [] and server.calls("create_comment") == []
    # ...but a failing run comments, and a later passing one updates it (no stale ❌)
    assert run_pr(runner, pr_repo, tmp_path, comment="on-failure").code == 1
    (comment,) = ours(server)
    assert "❌" in comment.body
    passing = run_pr(
        runner, pr_repo, tmp_path, comment="on-failure", fail_on="never", head=pr_repo.head2
    )
    assert passing.code == 0
    assert [c.id for c in ours(server)] == [comment.id]
    assert "app/chat.py" not in server.comments[comment.id].body


def test_report_path_is_written_on_a_pr_but_never_committed(
    runner: Runner, server: GitHubServer, tmp_path: Path
) -> None:
    repo = build_pr_repo(tmp_path / "own")
    event = pr_event(tmp_path / "event.json", repo)
    result = runner.run(
        repo.root,
        "pull_request",
        event,
        sha=repo.merge,
        report_path="docs/architecture/verification.md",
        commit_report="true",
    )
    assert result.code == 1
    written = repo.root / "docs/architecture/verification.md"
    assert written.read_text() == (result.results / "report.md").read_text()
    assert git.Repo(repo.root).head.commit.hexsha == repo.merge  # no commit
    assert result.outputs["report-path"] == "docs/architecture/verification.md"


def test_workflow_dispatch_commits_the_report_through_the_docs_publisher(
    runner: Runner,
    server: GitHubServer,
    pr_repo: PrRepo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[dict[str, Any]] = []

    @dataclass
    class Committed:
        committed: bool = True
        sha: str | None = "f" * 40
        message: str = "committed docs/verification.md"
        warning: bool = False

    def commit_report(workspace: Path, report_path: str, text: str, **kwargs: Any) -> Committed:
        calls.append({"workspace": workspace, "report_path": report_path, "text": text, **kwargs})
        return Committed()

    import pattern_verify.publish.docs as docs

    monkeypatch.setattr(docs, "commit_report", commit_report)
    workspace = clone(pr_repo, tmp_path / "dispatch")
    data = json.loads((WEBHOOKS / "workflow_dispatch.json").read_text())
    event = tmp_path / "dispatch.json"
    event.write_text(json.dumps(data))
    result = runner.run(
        workspace,
        "workflow_dispatch",
        event,
        sha=pr_repo.merge,
        ref="refs/heads/main",
        report_path="docs/verification.md",
        commit_report="true",
    )
    assert result.code == 1
    (call,) = calls
    assert call["workspace"] == workspace and call["report_path"] == "docs/verification.md"
    assert call["text"] == (result.results / "report.md").read_text()
    assert call["branch"] == "main" and call["status"] == "fail"
    assert call["repository"] == REPOSITORY and call["server_url"] == SERVER_URL
    assert call["token"] == TOKEN
    assert "committed docs/verification.md" in result.out
    assert server.requests == []

    # a push to a branch that is not the default one never commits, and says so
    calls.clear()
    push = push_event(tmp_path / "push.json", pr_repo.merge, ref="refs/heads/feature")
    result = runner.run(
        workspace,
        "push",
        push,
        sha=pr_repo.merge,
        ref="refs/heads/feature",
        report_path="docs/verification.md",
        commit_report="true",
    )
    assert calls == []
    assert "commit-report: not committed on this push event" in result.out

    # a checkout of another commit than the run's own: committing would push that ref's
    # commits to the branch, so the document is written and not committed
    result = runner.run(
        workspace,
        "workflow_dispatch",
        event,
        sha="0" * 40,
        ref="refs/heads/main",
        report_path="docs/verification.md",
        commit_report="true",
    )
    assert calls == []
    assert result.code == 1
    assert f"commit-report: the checkout is {pr_repo.merge[:12]}, not {'0' * 12}" in result.out
    written = (workspace / "docs/verification.md").read_text()
    assert written == (result.results / "report.md").read_text()


def test_a_shallow_checkout_of_the_merge_commit_fetches_the_head(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    """actions/checkout's default: fetch-depth 1 of refs/pull/N/merge. The head commit and the
    merge-base are fetched as needed."""
    workspace = clone(pr_repo, tmp_path / "shallow", depth=1)
    assert (
        subprocess.run(
            ["git", "-C", str(workspace), "cat-file", "-e", f"{pr_repo.head}^{{commit}}"],
            capture_output=True,
        ).returncode
        != 0
    )
    event = pr_event(tmp_path / "event.json", pr_repo)
    result = runner.run(workspace, "pull_request", event, sha=pr_repo.merge)
    assert result.code == 1, result.out + result.err
    results = json.loads((result.results / "results.json").read_text())
    assert results["repository"]["head"]["sha"] == pr_repo.head
    assert results["repository"]["base"]["sha"] == pr_repo.merge_base
    assert results["new_violations"] == 2


def test_pull_request_target_checks_out_the_base_and_verifies_the_head(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    """pull_request_target checks out the base branch; the head is fetched from the pull
    request's ref and verified in a worktree, the checkout left on the base."""
    workspace = clone(pr_repo, tmp_path / "target", branch="main")
    event = pr_event(tmp_path / "event.json", pr_repo)
    result = runner.run(
        workspace, "pull_request_target", event, sha=pr_repo.base, ref="refs/heads/main"
    )
    assert result.code == 1, result.out + result.err
    results = json.loads((result.results / "results.json").read_text())
    assert results["repository"]["head"]["sha"] == pr_repo.head
    assert results["new_violations"] == 2
    assert git.Repo(workspace).head.commit.hexsha == pr_repo.base
    assert len(ours(server)) == 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_workspace_owned_by_another_user_is_marked_safe(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    workspace = clone(pr_repo, tmp_path / "foreign")
    for path in [workspace, *workspace.rglob("*")]:
        os.lchown(path, 4242, 4242)
    global_config = tmp_path / "gitconfig"
    status = subprocess.run(
        ["git", "-C", str(workspace), "status"],
        capture_output=True,
        text=True,
        env={**os.environ, "GIT_CONFIG_GLOBAL": str(global_config)},
    )
    assert status.returncode != 0 and "dubious ownership" in status.stderr
    result = run_pr(runner, dataclasses.replace(pr_repo, root=workspace), tmp_path)
    assert result.code == 1, result.out + result.err
    assert str(workspace.resolve()) in global_config.read_text()
    assert len(ours(server)) == 1


# ---------------------------------------------------------------------------------------------
# expected failures: one line, exit 2, no traceback


def test_bad_inputs_are_named_at_once_with_exit_2(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    result = run_pr(runner, pr_repo, tmp_path, fail_on="sometimes", comment="loudly", timeout="-1")
    assert result.code == 2
    (line,) = result.out.strip().splitlines()
    assert line.startswith("::error title=pattern-verify::pattern-verify: invalid inputs: ")
    assert "fail-on" in line and "comment" in line and "timeout" in line
    assert server.requests == []


def test_a_bug_while_publishing_is_exit_3_and_keeps_the_written_files(
    runner: Runner,
    server: GitHubServer,
    pr_repo: PrRepo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("injected")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr("pattern_verify.publish.actions.append_summary", broken)
    result = run_pr(runner, pr_repo, tmp_path)
    assert result.code == 3
    errors = [line for line in result.out.splitlines() if line.startswith("::error ")]
    assert errors == [
        "::error title=pattern-verify::pattern-verify: internal error (a bug in pattern-verify, "
        "not a verdict): RuntimeError: injected; the traceback is in "
        f"{tmp_path / 'cache' / 'pattern-verify' / 'pattern-verify.log'}. "
        "Please report it with that file."
    ]
    assert "Traceback" not in result.out + result.err
    for name in ("report.md", "comment.md", "results.json"):
        assert (result.results / name).is_file()


def test_a_sarif_path_that_is_a_directory_is_exit_2_before_the_scan(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    result = run_pr(runner, pr_repo, tmp_path, sarif=".github")
    assert result.code == 2
    assert "sarif: `.github` is a directory; expected a file path" in result.out
    assert "Traceback" not in result.err and server.requests == []


def test_a_pr_without_a_checkout_is_exit_2(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    event = pr_event(tmp_path / "event.json", pr_repo)
    result = runner.run(empty, "pull_request", event, sha=pr_repo.merge)
    assert result.code == 2
    assert "actions/checkout" in result.out and "Traceback" not in result.out + result.err


def test_the_action_runs_as_a_process_without_traceback_or_token(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    ok_process, ok_tmp = runner.subprocess(
        pr_repo.root,
        "pull_request",
        pr_event(tmp_path / "e1.json", pr_repo),
        sha=pr_repo.merge,
        sarif=str(tmp_path / "out.sarif"),
    )
    out, err = ok_process.communicate(timeout=300)
    assert ok_process.returncode == 1, out + err
    assert "Traceback" not in out + err
    assert len(ours(server)) == 1
    result = Result(1, out, err, ok_tmp)
    assert result.outputs["status"] == "fail"
    assert TOKEN not in result.everything() and TOKEN not in (tmp_path / "out.sarif").read_text()

    bad, _ = runner.subprocess(
        pr_repo.root, "pull_request", tmp_path / "missing.json", sha=pr_repo.merge
    )
    out, err = bad.communicate(timeout=120)
    assert bad.returncode == 2
    assert out.strip().startswith("::error title=pattern-verify::pattern-verify: GITHUB_EVENT_PATH")
    assert "Traceback" not in out + err


def test_two_concurrent_runs_end_with_one_comment(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    """Two runners, two checkouts, the same pull request: both look, find nothing, and create
    (the server holds each create until both have arrived); both then see two comments, keep
    the oldest and delete the other."""
    barrier = threading.Barrier(2, timeout=120)

    def both_create() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()

    server.hooks["create_comment"] = both_create
    processes = []
    for name in ("one", "two"):
        workspace = clone(pr_repo, tmp_path / name)
        event = pr_event(tmp_path / f"{name}.json", pr_repo)
        processes.append(runner.subprocess(workspace, "pull_request", event, sha=pr_repo.merge))
    outputs = []
    for process, tmp in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 1, out + err
        assert "Traceback" not in out + err
        outputs.append(Result(1, out, err, tmp).outputs)
    assert len(server.calls("create_comment")) == 2
    (kept,) = ours(server)
    assert kept.id == min(int(o["comment-url"].rsplit("-", 1)[1]) for o in outputs)
    assert {o["comment-url"] for o in outputs} == {
        f"{SERVER_URL}/{REPOSITORY}/pull/{NUMBER}#issuecomment-{kept.id}"
    }
    assert len(server.calls("delete_comment")) >= 1

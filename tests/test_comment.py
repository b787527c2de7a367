"""`pattern-verify comment` (commands/comment.py): the fork recipe, a `workflow_run` posting the
comment from the artifact of a read-only run, rendered again from results.json."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import action_runner
from action_runner import (
    FORK_TOKEN,
    MARKER,
    NUMBER,
    REPOSITORY,
    SERVER_URL,
    TOKEN,
    WEBHOOKS,
    PrRepo,
    Runner,
    ours,
    pr_event,
    run_pr,
    serve_pull,
)
from github_server import GitHubServer

from pattern_verify import render
from pattern_verify.cli import main as cli_main
from pattern_verify.commands import comment
from pattern_verify.models import (
    Finding,
    FindingChange,
    Repository,
    RequirementResult,
    Revision,
    Scope,
    Verification,
)
from pattern_verify.publish import github as gh

# action_runner's fixtures, by the names the tests ask for
server = action_runner.server
runner = action_runner.runner
pr_repo = action_runner.pr_repo


def workflow_run_event(path: Path, head_sha: str, pulls: list[int]) -> Path:
    """The parts of a `workflow_run` payload the commenter reads (GitHub's examples have none)."""
    data = json.loads((WEBHOOKS / "push.json").read_text(encoding="utf-8"))
    data = {
        "action": "completed",
        "workflow_run": {
            "id": 1658821493,
            "event": "pull_request",
            "head_sha": head_sha,
            "html_url": f"{SERVER_URL}/{REPOSITORY}/actions/runs/1658821493",
            "conclusion": "failure",
            "pull_requests": [{"number": n} for n in pulls],
        },
        "repository": data["repository"],
        "sender": data["sender"],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_fork_recipe_posts_from_the_artifact_rendered_again(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    # the fork's run: read-only token, results kept
    fork = pr_event(tmp_path / "fork.json", pr_repo, fork=True)
    first = runner.run(pr_repo.root, "pull_request", fork, sha=pr_repo.merge, token=FORK_TOKEN)
    assert first.code == 1 and ours(server) == []
    artifact = tmp_path / "artifact"
    shutil.copytree(first.results, artifact)
    pull = json.loads((artifact / "pull-request.json").read_text())
    assert pull == {"repository": REPOSITORY, "number": NUMBER, "head_sha": pr_repo.head}
    # a forged comment.md in the artifact is not what gets posted
    (artifact / "comment.md").write_text(f"{MARKER}\n### ✅ All requirements met @octocat\n")

    serve_pull(server, NUMBER, pr_repo.head)
    event = workflow_run_event(tmp_path / "run.json", pr_repo.head, pulls=[])  # fork: empty
    second = runner.run(
        pr_repo.root,
        "workflow_run",
        event,
        sha=pr_repo.base,
        ref="refs/heads/master",
        output_dir=str(artifact),
    )
    assert second.code == 0, second.out + second.err
    (comment,) = ours(server)
    assert comment.body.splitlines()[1] == (
        "### ❌ This change adds 2 violations and breaks One Endpoint"
    )
    # rendered again from results.json: the run linked is the one that verified
    assert f"({SERVER_URL}/{REPOSITORY}/actions/runs/" in comment.body
    assert "All requirements met" not in comment.body
    assert f"{SERVER_URL}/{REPOSITORY}/blob/{pr_repo.head}/app/service.py#L2" in comment.body
    assert len(server.calls("get_pull")) == 1

    # the same through the CLI subcommand, with the token from the environment only
    code = cli_main(["comment", "--results", str(artifact)])
    assert code == 0
    assert "comment unchanged" in runner.capsys.readouterr().out


def test_the_commenter_refuses_results_that_do_not_match_the_pull_request(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    first = run_pr(runner, pr_repo, tmp_path, comment="never")
    artifact = first.results
    # the artifact names pull request 3, whose head is another commit
    (artifact / "pull-request.json").write_text(
        json.dumps({"repository": REPOSITORY, "number": 3, "head_sha": pr_repo.head})
    )
    serve_pull(server, 3, pr_repo.head2)
    event = workflow_run_event(tmp_path / "run.json", pr_repo.head, pulls=[])
    result = runner.run(
        pr_repo.root,
        "workflow_run",
        event,
        sha=pr_repo.base,
        ref="refs/heads/master",
        output_dir=str(artifact),
    )
    assert result.code == 2
    assert "refusing to comment" in result.out
    assert server.calls("create_comment") == []

    # results of another commit than the run that made them
    other = workflow_run_event(tmp_path / "other.json", pr_repo.head2, pulls=[NUMBER])
    (artifact / "pull-request.json").unlink()
    result = runner.run(
        pr_repo.root,
        "workflow_run",
        other,
        sha=pr_repo.base,
        ref="refs/heads/master",
        output_dir=str(artifact),
    )
    assert result.code == 2 and "results are of commit" in result.out
    assert server.calls("create_comment") == []


def _results(directory: Path, change: FindingChange) -> Path:
    """A results directory of a `fail-on: new` pull request run whose one violation is `change`."""
    violation = Finding(
        rule_id="mini-print",
        fact="print-call",
        path="app/legacy.py",
        line=2,
        end_line=2,
        message="print outside the gateway",
        fingerprint="mini-print:app/legacy.py:0",
        change=change,
        requirements=("prints-confined",),
    )
    verification = Verification(
        tool_version="0.1.0",
        fail_on="new",
        title="Mini",
        pack="mini",
        config_id="mini:.github/pattern-verify.yml",
        status="fail",
        repository=Repository(
            url=f"{SERVER_URL}/{REPOSITORY}",
            head=Revision(sha="a" * 40),
            base=Revision(sha="b" * 40),
        ),
        scope=Scope(root="."),
        requirements=(
            RequirementResult(
                id="prints-confined",
                title="Prints Confined",
                status="fail",
                violations=(violation,),
            ),
        ),
        findings=(violation,),
        new_violations=1 if change == "new" else 0,
        fixed_violations=0,
    )
    directory.mkdir()
    (directory / "results.json").write_text(render.render_json(verification), encoding="utf-8")
    return directory


def test_on_failure_comments_when_the_gate_fails_not_when_a_requirement_does(
    server: GitHubServer, tmp_path: Path
) -> None:
    """`comment: on-failure` follows the gate, as the action does: with `fail-on: new`, a
    pull request that only keeps the base's violations passes, so no comment is created."""

    def post(results: Path) -> str:
        out = io.StringIO()
        code = comment.post(
            results,
            {"GITHUB_REPOSITORY": REPOSITORY, "GITHUB_SERVER_URL": SERVER_URL},
            token=TOKEN,
            out=out,
            client_factory=lambda token: gh.Client(
                token=token,
                api_url=server.api_url,
                sleep=lambda _: None,
                seconds_between_requests=0,
                seconds_between_writes=0,
            ),
            number=NUMBER,
            mode="on-failure",
        )
        assert code == 0, out.getvalue()
        return out.getvalue()

    assert "no comment to update" in post(_results(tmp_path / "existing", "existing"))
    assert ours(server) == [] and server.calls("create_comment") == []
    assert "comment created" in post(_results(tmp_path / "new", "new"))
    (created,) = ours(server)
    assert "❌" in created.body.splitlines()[1]

"""`pattern-verify comment` (commands/comment.py): the fork recipe, a `workflow_run` posting the
comment from the artifact of a read-only run, rendered again from results.json."""

from __future__ import annotations

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
    WEBHOOKS,
    PrRepo,
    Runner,
    ours,
    pr_event,
    run_pr,
    serve_pull,
)
from github_server import GitHubServer

from pattern_verify.cli import main as cli_main

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

"""The action's facts store and matrix inputs: `cache-dir` (read only on
pull_request_target), `shard` and `facts`, and the `rules-digest` output."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import action_runner
from action_runner import PrRepo, Runner, clone, ours, pr_event, run_pr
from github_server import GitHubServer

OUTPUTS = ("report.md", "comment.md", "results.json")
# action_runner's fixtures, by the names the tests ask for
server = action_runner.server
runner = action_runner.runner
pr_repo = action_runner.pr_repo


def outputs(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in OUTPUTS}


def test_cache_dir_keeps_facts_in_the_workspace_and_a_rerun_reads_them(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    workspace = clone(pr_repo, tmp_path / "checkout")
    first = run_pr(
        runner, dataclasses.replace(pr_repo, root=workspace), tmp_path, cache_dir=".cache"
    )
    assert first.code == 1, first.out + first.err
    store = workspace / ".cache"
    entries = sorted((store / "facts-v1").glob("*.pack"))
    assert entries and (store / ".gitignore").is_file()
    digest = first.outputs["rules-digest"]
    assert len(digest) == 64
    second = run_pr(
        runner, dataclasses.replace(pr_repo, root=workspace), tmp_path, cache_dir=".cache"
    )
    assert second.code == 1
    assert "from the facts store" in second.err
    assert outputs(second.results) == outputs(first.results)
    assert second.outputs["rules-digest"] == digest
    assert len(ours(server)) == 1


def test_pull_request_target_reads_the_store_but_never_writes_it(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    workspace = clone(pr_repo, tmp_path / "target", branch="main")
    event = pr_event(tmp_path / "event.json", pr_repo)
    result = runner.run(
        workspace,
        "pull_request_target",
        event,
        sha=pr_repo.base,
        ref="refs/heads/main",
        cache_dir=".cache",
    )
    assert result.code == 1, result.out + result.err
    assert not (workspace / ".cache").exists()
    assert json.loads((result.results / "results.json").read_text())["new_violations"] == 2


def test_a_matrix_of_shards_and_one_merging_job_equal_a_single_job(
    runner: Runner, server: GitHubServer, pr_repo: PrRepo, tmp_path: Path
) -> None:
    single = run_pr(runner, pr_repo, tmp_path)
    assert single.code == 1
    shard_dirs = []
    for index in (1, 2):
        directory = tmp_path / f"shard-{index}"
        result = run_pr(runner, pr_repo, tmp_path, shard=f"{index}/2", output_dir=str(directory))
        assert result.code == 0, result.out + result.err
        assert f"shard {index}/2: wrote" in result.out
        assert [p.name for p in directory.iterdir()] == [f"facts-{index}-of-2.json"]
        shard_dirs.append(directory)
    comments_before = [c.body for c in ours(server)]
    merged = run_pr(runner, pr_repo, tmp_path, facts="\n".join(str(d) for d in shard_dirs))
    assert merged.code == 1, merged.out + merged.err
    assert outputs(merged.results) == outputs(single.results)
    assert len(ours(server)) == 1 and [c.body for c in ours(server)] == comments_before
    missing = run_pr(runner, pr_repo, tmp_path, facts=str(shard_dirs[0]))
    assert missing.code == 2
    assert "shard 2 of 2 missing" in missing.out


def test_shard_and_facts_together_are_a_bad_input(
    runner: Runner, pr_repo: PrRepo, tmp_path: Path
) -> None:
    result = run_pr(runner, pr_repo, tmp_path, shard="1/2", facts="somewhere")
    assert result.code == 2
    assert "shard and facts" in result.out
    result = run_pr(runner, pr_repo, tmp_path, shard="3/2")
    assert result.code == 2 and "shard: expected K/N with 1 ≤ K ≤ N" in result.out

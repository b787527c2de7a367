"""Pull-request mode on real git history: new, existing, fixed, renamed, regressed, shallow."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
from conftest import FIXTURES, commit_all, init_repo, write_files

MINI_PACK = FIXTURES / "mini-pack"
RunCli = Callable[..., tuple[int, str, str]]

BASE_FILES: dict[str, str | bytes | None] = {
    ".github/pattern-verify.yml": f"pack: {MINI_PACK}\n",
    "gateway/router.py": '@router.websocket("/ws")\ndef ws(s):\n    print("in gateway")\n',
    "app/old.py": 'def old():\n    print("legacy")\n',
    "app/other.py": 'def other():\n    print("other")\n',
    "app/clean.py": "def clean():\n    return 1\n",
}


def pr_repo(tmp_path: Path, change: dict[str, str | bytes | None]) -> tuple[git.Repo, Path]:
    """`main` with the base files; `feature` branched from it with `change` committed."""
    root = tmp_path / "repo"
    repo = init_repo(root, BASE_FILES)
    repo.git.checkout("-b", "feature")
    write_files(root, change)
    commit_all(repo, "feature change")
    return repo, root


def run_pr(run_cli: RunCli, root: Path, out: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    code, stdout, stderr = run_cli("run", root, "--base", "main", "--output-dir", out, *extra)
    results = (
        json.loads((out / "results.json").read_text()) if (out / "results.json").exists() else {}
    )
    return code, results, stdout + stderr


def violations(results: dict[str, Any], requirement: str) -> list[tuple[str, int, str]]:
    (req,) = [r for r in results["requirements"] if r["id"] == requirement]
    return [(v["path"], v["line"], v["change"]) for v in req["violations"]]


def test_added_violations_are_new_and_old_ones_existing(tmp_path: Path, run_cli: RunCli) -> None:
    _, root = pr_repo(tmp_path, {"app/clean.py": 'def clean():\n    print("new!")\n'})
    code, results, output = run_pr(run_cli, root, tmp_path / "out")
    assert code == 1, output
    assert violations(results, "prints-confined") == [
        ("app/clean.py", 2, "new"),
        ("app/old.py", 2, "existing"),
        ("app/other.py", 2, "existing"),
    ]
    assert results["new_violations"] == 1
    assert results["fixed_violations"] == 0
    assert results["repository"]["base_ref"] == "main"
    assert results["repository"]["changed_files"] == 1
    report = (tmp_path / "out/report.md").read_text()
    assert "Introduced by this change (1)" in report
    comment = (tmp_path / "out/comment.md").read_text()
    # the headline says what decides the check, before the repository-wide table
    headline = comment.splitlines()[1]
    assert headline == "### ❌ This change adds 1 violation"
    assert comment.index(headline) < comment.index("| Requirement |")
    # the new violation is listed once, in its requirement's details, which are open
    assert comment.count("app/clean.py:2") == 1
    assert "<details open>\n<summary>❌ Prints Confined: 3 violations, 1 new</summary>" in comment


def test_a_violation_moved_down_by_inserted_lines_is_existing(
    tmp_path: Path, run_cli: RunCli
) -> None:
    _, root = pr_repo(
        tmp_path, {"app/old.py": '"""Docs."""\n\nimport os\n\n\ndef old():\n    print("legacy")\n'}
    )
    code, results, output = run_pr(run_cli, root, tmp_path / "out")
    assert violations(results, "prints-confined")[0] == ("app/old.py", 7, "existing")
    assert results["new_violations"] == 0
    # the overall status still fails, but nothing new: --fail-on new (the default) passes
    assert results["status"] == "fail"
    assert code == 0, output
    assert run_pr(run_cli, root, tmp_path / "out2", "--fail-on", "any")[0] == 1


def test_a_deleted_violation_is_fixed(tmp_path: Path, run_cli: RunCli) -> None:
    _, root = pr_repo(tmp_path, {"app/old.py": "def old():\n    return None\n"})
    code, results, _ = run_pr(run_cli, root, tmp_path / "out")
    assert code == 0
    assert [(f["path"], f["line"]) for f in results["fixed"]] == [("app/old.py", 2)]
    assert results["fixed_violations"] == 1
    assert "Fixed by this change (1)" in (tmp_path / "out/report.md").read_text()


def test_a_deleted_file_with_a_violation_is_fixed(tmp_path: Path, run_cli: RunCli) -> None:
    _, root = pr_repo(tmp_path, {"app/old.py": None})
    _, results, _ = run_pr(run_cli, root, tmp_path / "out")
    assert [(f["path"], f["change"]) for f in results["fixed"]] == [("app/old.py", None)]


def test_a_renamed_violating_file_stays_existing(tmp_path: Path, run_cli: RunCli) -> None:
    repo, root = pr_repo(tmp_path, {})
    repo.git.mv("app/old.py", "app/renamed.py")
    commit_all(repo, "rename")
    code, results, _ = run_pr(run_cli, root, tmp_path / "out")
    assert ("app/renamed.py", 2, "existing") in violations(results, "prints-confined")
    assert results["new_violations"] == 0 and results["fixed"] == []
    assert code == 0


def test_deleting_the_only_endpoint_is_a_regression_without_new_findings(
    tmp_path: Path, run_cli: RunCli
) -> None:
    _, root = pr_repo(tmp_path, {"gateway/router.py": 'def ws(s):\n    print("in gateway")\n'})
    code, results, output = run_pr(run_cli, root, tmp_path / "out")
    (endpoint,) = [r for r in results["requirements"] if r["id"] == "one-endpoint"]
    assert endpoint["status"] == "fail" and endpoint["change"] == "regressed"
    assert results["new_violations"] == 0
    assert code == 1, output
    comment = (tmp_path / "out/comment.md").read_text()
    assert comment.splitlines()[1] == "### ❌ This change breaks One Endpoint"
    # failing for what is missing, not for a violation: said so, not "0 violations"
    assert "<summary>❌ One Endpoint: missing evidence</summary>" in comment
    assert run_pr(run_cli, root, tmp_path / "out2", "--fail-on", "never")[0] == 0


def test_uncommitted_and_untracked_changes_count_as_the_change(
    tmp_path: Path, run_cli: RunCli
) -> None:
    _, root = pr_repo(tmp_path, {})
    write_files(root, {"app/scratch.py": 'print("scratch")\n'})
    _, results, _ = run_pr(run_cli, root, tmp_path / "out")
    assert ("app/scratch.py", 1, "new") in violations(results, "prints-confined")


def test_the_merge_base_not_the_base_tip_is_compared(tmp_path: Path, run_cli: RunCli) -> None:
    repo, root = pr_repo(tmp_path, {"app/clean.py": 'def clean():\n    print("pr")\n'})
    repo.git.checkout("main")
    write_files(root, {"app/other.py": "def other():\n    return 2\n"})
    commit_all(repo, "main moves on and fixes other.py")
    repo.git.checkout("feature")
    _, results, _ = run_pr(run_cli, root, tmp_path / "out")
    # other.py is untouched by the PR: its violation is existing, not fixed or new
    assert ("app/other.py", 2, "existing") in violations(results, "prints-confined")
    assert results["fixed"] == []


def test_an_unknown_base_ref_is_exit_2_naming_it(tmp_path: Path, run_cli: RunCli) -> None:
    _, root = pr_repo(tmp_path, {})
    code, _, stderr = run_cli(
        "run", root, "--base", "no-such-branch", "--output-dir", tmp_path / "o"
    )
    assert code == 2
    assert "unknown base ref `no-such-branch`" in stderr
    assert "Traceback" not in stderr


def test_a_shallow_clone_is_deepened_to_reach_the_merge_base(
    tmp_path: Path, run_cli: RunCli
) -> None:
    repo, origin = pr_repo(tmp_path, {"app/clean.py": 'def clean():\n    print("new!")\n'})
    for n in range(3):
        write_files(origin, {f"app/more{n}.py": f"x = {n}\n"})
        commit_all(repo, f"more {n}")
    clone_dir = tmp_path / "clone"
    git.Repo.clone_from(f"file://{origin}", clone_dir, depth=1, branch="feature")
    code, stdout, stderr = run_cli(
        "run", clone_dir, "--base", "origin/main", "--output-dir", tmp_path / "out"
    )
    assert code == 1, stdout + stderr
    results = json.loads((tmp_path / "out/results.json").read_text())
    assert ("app/clean.py", 2, "new") in violations(results, "prints-confined")
    assert results["new_violations"] == 1


def test_a_shallow_clone_that_cannot_fetch_says_to_set_fetch_depth(
    tmp_path: Path, run_cli: RunCli
) -> None:
    repo, origin = pr_repo(tmp_path, {"app/clean.py": 'def clean():\n    print("new!")\n'})
    repo.git.checkout("main")
    write_files(origin, {"app/main_only.py": "x = 1\n"})
    commit_all(repo, "main moves on")
    repo.git.checkout("feature")
    clone_dir = tmp_path / "clone"
    clone = git.Repo.clone_from(f"file://{origin}", clone_dir, depth=1, no_single_branch=True)
    clone.git.checkout("feature")
    clone.delete_remote(clone.remotes.origin)  # nowhere to fetch the history from
    main_sha = repo.commit("main").hexsha
    code, _, stderr = run_cli("run", clone_dir, "--base", main_sha, "--output-dir", tmp_path / "o")
    assert code == 2
    assert "fetch-depth: 0" in stderr
    assert "Traceback" not in stderr


def test_trusted_config_reads_config_and_rules_from_the_base(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """A PR that weakens the config (excluding the violating file) cannot pass itself when the
    config is trusted from the base."""
    _, root = pr_repo(
        tmp_path,
        {
            "app/clean.py": 'def clean():\n    print("new!")\n',
            ".github/pattern-verify.yml": f"pack: {MINI_PACK}\nexclude: ['app/**']\n",
        },
    )
    code, results, _ = run_pr(run_cli, root, tmp_path / "weak")
    assert code == 0 and results["status"] == "pass"  # the PR's own config hides it
    code, results, output = run_pr(run_cli, root, tmp_path / "trusted", "--trusted-config", "base")
    assert code == 1, output
    assert ("app/clean.py", 2, "new") in violations(results, "prints-confined")
    assert results["config_id"] == "mini:.github/pattern-verify.yml"


def test_trusted_config_uses_the_base_versions_of_custom_rule_files(
    tmp_path: Path, run_cli: RunCli
) -> None:
    rule = (
        "rules:\n  - id: no-eval\n    languages: [python]\n    severity: INFO\n"
        "    message: eval of `$X`\n    metadata: {fact: eval-call, captures: [x]}\n"
        "    pattern: eval($X)\n"
    )
    config = (
        f"pack: {MINI_PACK}\nrequirements:\n  - id: no-eval\n    title: No eval\n"
        "    rules: [.github/rules/no-eval.yaml]\n"
        "    checks: [{kind: forbid, facts: [eval-call]}]\n"
    )
    root = tmp_path / "repo"
    repo = init_repo(
        root,
        {**BASE_FILES, ".github/pattern-verify.yml": config, ".github/rules/no-eval.yaml": rule},
    )
    repo.git.checkout("-b", "feature")
    write_files(
        root,
        {
            "app/clean.py": "x = eval('1')\n",
            ".github/rules/no-eval.yaml": rule.replace("pattern: eval($X)", "pattern: nothing($X)"),
        },
    )
    commit_all(repo, "sneaky")
    _, results, _ = run_pr(run_cli, root, tmp_path / "trusted", "--trusted-config", "base")
    assert [v[0] for v in violations(results, "no-eval")] == ["app/clean.py"]


def test_head_rev_verifies_another_commit_than_the_checkout(
    tmp_path: Path, run_cli: RunCli
) -> None:
    repo, root = pr_repo(tmp_path, {"app/clean.py": 'def clean():\n    print("new!")\n'})
    repo.git.checkout("main")  # the checkout is main; the PR head is `feature`
    code, stdout, stderr = run_cli(
        "run", root, "--base", "main", "--head", "feature", "--output-dir", tmp_path / "out"
    )
    assert code == 1, stdout + stderr
    results = json.loads((tmp_path / "out/results.json").read_text())
    assert ("app/clean.py", 2, "new") in violations(results, "prints-confined")
    assert results["repository"]["head"]["sha"] == repo.commit("feature").hexsha
    assert repo.head.commit.hexsha == repo.commit("main").hexsha  # the checkout is untouched
    code, _, stderr = run_cli("run", root, "--head", "nope", "--output-dir", tmp_path / "o2")
    assert code == 2 and "unknown head ref `nope`" in stderr


def test_trusted_config_without_a_base_is_exit_2(tmp_path: Path, run_cli: RunCli) -> None:
    _, root = pr_repo(tmp_path, {})
    code, _, stderr = run_cli(
        "run", root, "--trusted-config", "base", "--output-dir", tmp_path / "o"
    )
    assert code == 2
    assert "trusted-config: base needs a base ref" in stderr

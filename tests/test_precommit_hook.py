"""This repository as a pre-commit hook repository, tried the way a user tries it: pre-commit's
own `pre-commit try-repo`, which builds the hook's environment from this repository (a virtual
environment, `pip install .`) and runs the `pattern-verify` hook of `.pre-commit-hooks.yaml` in
a compliant and a violating repository. Each try-repo installs the package afresh (it uses a
temporary store): about 30 s apiece on a 2-core machine."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import git
import pytest
import yaml
from conftest import REPO_ROOT, example_files, init_repo

RunCli = Callable[..., tuple[int, str, str]]
PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or "pre-commit"
VIOLATING_FILE = "backend/smart_city/services/content/content_service.py"


def test_the_manifest_declares_a_whole_repository_python_hook() -> None:
    (hook,) = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "pattern-verify" and hook["language"] == "python"
    assert hook["entry"] == "pattern-verify hook"
    assert hook["pass_filenames"] is False
    # it runs when a commit touches code the packs read or the config, not for prose
    runs_for = re.compile(hook["files"])
    for name in ("app/main.py", "src/ws.ts", "src/App.vue", ".github/pattern-verify.yml"):
        assert runs_for.search(name), name
    assert not runs_for.search("README.md") and not runs_for.search("docs/notes.txt")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository as it is on disk (committed or not), as a clean git repository:
    try-repo on a dirty checkout would leave out files that are not yet tracked."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    destination = tmp_path_factory.mktemp("hook") / "pattern-verify"
    for name in filter(None, listed):
        source = REPO_ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    repo = init_repo(destination)
    repo.git.add("--all")
    repo.index.commit("pattern-verify as a hook repository")
    return destination


def try_repo(hook_repo: Path, repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [PRE_COMMIT, "try-repo", str(hook_repo), "pattern-verify", "--all-files", "--verbose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def results(repo: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (repo / ".git" / "pattern-verify" / "results.json").read_text(encoding="utf-8")
    )
    return data


def test_try_repo_passes_quietly_on_a_compliant_repository(hook_repo: Path, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "compliant", example_files())

    done = try_repo(hook_repo, tmp_path / "compliant", tmp_path / "home")

    assert done.returncode == 0, done.stdout + done.stderr
    hook_output = done.stdout.split("- duration:", 1)[-1]
    assert "Passed" in done.stdout
    # --verbose shows what the hook printed: nothing
    assert "pattern-verify 0." not in hook_output and "pass" not in hook_output
    assert results(tmp_path / "compliant")["status"] == "pass"
    assert repo.git.status("--porcelain") == ""  # nothing written into the work tree


def test_try_repo_fails_with_the_violations_on_a_violating_repository(
    hook_repo: Path, tmp_path: Path
) -> None:
    files = example_files()
    files[VIOLATING_FILE] += '\n\nSOCKET = registry.get_abstraction("websocket")\n'
    repo: git.Repo = init_repo(tmp_path / "violating", files)
    line = files[VIOLATING_FILE].count("\n")

    done = try_repo(hook_repo, tmp_path / "violating", tmp_path / "home")

    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout
    # what decides the check first, then the failing requirement with its violation
    assert "❌ 1 of 4 requirements fails (1 violation)\n" in done.stdout
    assert "❌ No Direct WebSocket Access — fail: 1 violation\n" in done.stdout
    assert f"{VIOLATING_FILE}:{line}" in done.stdout
    assert "exit 1 (fail-on: any)" in done.stdout
    assert results(tmp_path / "violating")["status"] == "fail"
    assert repo.git.status("--porcelain") == ""


def test_the_hook_outside_a_git_repository_is_exit_2(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "app.py").write_text("print(1)\n", encoding="utf-8")

    code, out, err = run_cli("hook", tmp_path)

    assert (code, out) == (2, "")
    assert err == (
        f"pattern-verify: error: {tmp_path} is not in a git repository: the hook keeps its "
        "results in git's directory (outside a repository, use `pattern-verify run`)\n"
    )

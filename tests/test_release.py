"""The release step (`scripts/release_action.py`, run by .github/workflows/release.yml): on a
real repository holding this project's action.yml, a version tag is moved to a commit whose
action.yml runs the published image; the tag's action.yml is valid, actionlint-clean, points at
the tag's image and keeps every input, default and output; the main branch is untouched."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import git
import pytest
import yaml
from conftest import REPO_ROOT, init_repo

SCRIPT = REPO_ROOT / "scripts" / "release_action.py"
ACTIONLINT = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or "actionlint"
IMAGE = "ghcr.io/pattern-verify/pattern-verify"


def release(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args, "--repo", str(repo)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> tuple[git.Repo, Path]:
    """This project's action files on `main`, an annotated release tag, and a bare remote."""
    files = {
        name: (REPO_ROOT / name).read_text(encoding="utf-8")
        for name in ("action.yml", "Dockerfile", "README.md")
    }
    repo = init_repo(tmp_path / "project", files)
    repo.create_tag("v1.2.3", message="pattern-verify 1.2.3\n\nThe notes of the release.")
    remote = git.Repo.init(tmp_path / "remote.git", bare=True)
    repo.git.push(str(remote.git_dir), "main", "v1.2.3")
    return repo, Path(str(remote.git_dir))


def action_at(repo: git.Repo, ref: str) -> str:
    text: str = repo.git.show(f"{ref}:action.yml", strip_newline_in_stdout=False)
    return text


def test_the_tag_runs_the_published_image_with_every_default_intact(
    project: tuple[git.Repo, Path], tmp_path: Path
) -> None:
    repo, remote = project
    root = Path(str(repo.working_tree_dir))
    tagged = repo.commit("v1.2.3")

    done = release(
        root, "v1.2.3", "--image", "ghcr.io/Pattern-Verify/pattern-verify", "--push", str(remote)
    )

    assert done.returncode == 0, done.stderr
    pushed = git.Repo(remote)
    released = pushed.commit("v1.2.3")
    assert pushed.commit("v1") == released  # the major tag moves with it
    assert released.parents == (tagged,) and released.stats.files.keys() == {"action.yml"}
    assert pushed.tags["v1.2.3"].tag.message == "pattern-verify 1.2.3\n\nThe notes of the release."
    main = action_at(repo, "main")
    assert repo.commit("main") == tagged and "  image: Dockerfile\n" in main

    text = action_at(git.Repo(remote), "v1.2.3")
    changed = [(a, b) for a, b in zip(main.splitlines(), text.splitlines(), strict=True) if a != b]
    assert changed == [("  image: Dockerfile", f"  image: docker://{IMAGE}:v1.2.3")]
    before, after = yaml.safe_load(main), yaml.safe_load(text)
    assert after["runs"] == {"using": "docker", "image": f"docker://{IMAGE}:v1.2.3"}
    assert {k: v for k, v in after.items() if k != "runs"} == {
        k: v for k, v in before.items() if k != "runs"
    }
    assert after["inputs"]["token"]["default"] == "${{ github.token }}"

    # actionlint reads a local action's action.yml to check the inputs a workflow passes it
    checkout = tmp_path / "checkout"
    subprocess.run(
        ["git", "clone", "-q", "--branch", "v1.2.3", str(remote), str(checkout)], check=True
    )
    assert actionlint_with(checkout, after["inputs"]).returncode == 0
    refused = actionlint_with(checkout, {"not-an-input": {}})
    assert refused.returncode == 1 and 'input "not-an-input" is not defined' in refused.stdout


def actionlint_with(checkout: Path, inputs: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    workflow = {
        "name": "use",
        "on": {"pull_request": None},
        "permissions": {},
        "jobs": {
            "verify": {
                "runs-on": "ubuntu-latest",
                "steps": [
                    {"uses": "actions/checkout@v6"},
                    {"uses": "./", "with": {name: "x" for name in inputs}},
                ],
            }
        },
    }
    (checkout / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
    (checkout / ".github" / "workflows" / "use.yml").write_text(yaml.safe_dump(workflow))
    return subprocess.run(
        [ACTIONLINT, "-no-color"], cwd=checkout, capture_output=True, text=True, check=False
    )


def test_a_rerun_changes_nothing_and_a_prerelease_leaves_the_major_tag(
    project: tuple[git.Repo, Path],
) -> None:
    repo, _ = project
    root = Path(str(repo.working_tree_dir))
    assert release(root, "v1.2.3", "--image", IMAGE).returncode == 0
    first = repo.commit("v1.2.3")

    done = release(root, "v1.2.3", "--image", IMAGE)

    assert done.returncode == 0 and repo.commit("v1.2.3") == first == repo.commit("v1")
    repo.create_tag("v2.0.0-rc.1", ref="main")
    assert release(root, "v2.0.0-rc.1", "--image", IMAGE).returncode == 0
    assert f"docker://{IMAGE}:v2.0.0-rc.1" in action_at(repo, "v2.0.0-rc.1")
    assert "v2" not in repo.tags and repo.commit("v1") == first


@pytest.mark.parametrize(
    ("tag", "image", "action", "error"),
    [
        ("release-1", IMAGE, None, "tag `release-1`: expected a version tag like v1.2.3"),
        ("v1.2.3", "ghcr.io/o/p:v1", None, "image `ghcr.io/o/p:v1`: expected a repository"),
        (
            "v1.2.3",
            IMAGE,
            "runs:\n  using: docker\n  image: docker://busybox\n",
            "action.yml: `runs.image` is `image: docker://busybox`; expected `image: Dockerfile`",
        ),
        (
            "v1.2.3",
            IMAGE,
            "runs:\n  using: node20\n  main: index.js\n",
            "action.yml: expected one `image:` line under `runs:`, found 0",
        ),
    ],
)
def test_what_cannot_be_released_is_exit_2_with_one_line(
    tmp_path: Path, tag: str, image: str, action: str | None, error: str
) -> None:
    text = action or (REPO_ROOT / "action.yml").read_text(encoding="utf-8")
    repo = init_repo(tmp_path / "project", {"action.yml": text})
    repo.create_tag("v1.2.3")

    done = release(tmp_path / "project", tag, "--image", image)

    assert done.returncode == 2
    assert done.stderr.startswith(f"release_action: error: {error}")
    assert done.stderr.count("\n") == 1
    assert repo.commit("v1.2.3") == repo.commit("main")

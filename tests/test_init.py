"""`pattern-verify init`: real git repositories (a bare remote and clones), the generated files
checked by actionlint and `check-config`, and the init'ed repository run end to end: the pull
request workflow's step posts its comment (local GitHub server, real semgrep) and the document
updater's step commits the document to the remote."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import git
import pytest
import yaml
from action_runner import REPOSITORY, SERVER_URL, TOKEN, PrRepo, Runner, pr_event
from conftest import FIXTURES, REPO_ROOT, commit_all, example_files, init_repo, write_files
from github_server import ACTIONS_BOT, GitHubServer

from pattern_verify import config
from pattern_verify.commands import action, init
from pattern_verify.publish import github as gh

RunCli = Callable[..., tuple[int, str, str]]
REPORT = "docs/architecture/websocket_pattern_verification.md"
ACTIONLINT = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or "actionlint"


def bare_remote(root: Path, seed: git.Repo, branch: str) -> Path:
    """A bare repository standing in for GitHub, whose HEAD (default branch) is `branch`."""
    remote = git.Repo.init(root, bare=True, initial_branch=branch)
    seed.git.push(str(root), f"{branch}:refs/heads/{branch}")
    return Path(str(remote.git_dir))


def clone(remote: Path, dest: Path) -> git.Repo:
    subprocess.run(["git", "clone", "-q", remote.as_uri(), str(dest)], check=True)
    repo = git.Repo(dest)
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "Developer")
        cfg.set_value("user", "email", "dev@example.invalid")
    return repo


def load(root: Path, relative: str) -> Any:
    return yaml.safe_load((root / relative).read_text(encoding="utf-8"))


def action_step(workflow: Any) -> dict[str, Any]:
    (job,) = workflow["jobs"].values()
    (step,) = [s for s in job["steps"] if s.get("uses") == init.ACTION]
    return dict(step)


def as_input(value: object) -> str:
    """A `with:` value as the runner hands it to the action: YAML's `true` is `"true"`."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def actionlint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ACTIONLINT, "-no-color"], cwd=root, capture_output=True, text=True, check=False
    )


# ---------------------------------------------------------------------------------------------
# a fresh repository


def test_a_fresh_clone_gets_a_config_and_two_workflows_that_lint_and_validate(
    tmp_path: Path, run_cli: RunCli
) -> None:
    seed = init_repo(tmp_path / "seed")
    seed.git.checkout("-b", "trunk")  # not `main`: the remote's HEAD must be what decides
    write_files(tmp_path / "seed", example_files())
    commit_all(seed, "platform")
    workspace = clone(bare_remote(tmp_path / "remote.git", seed, "trunk"), tmp_path / "ws")
    root = Path(str(workspace.working_tree_dir))

    code, out, err = run_cli("init", root)

    assert (code, err) == (0, "")
    assert "default branch: trunk (origin/HEAD)" in out
    assert f"document: {REPORT} (no docs folder: it will be created)" in out
    for name in (init.CONFIG_FILE, init.CHECK_WORKFLOW, init.DOCS_WORKFLOW):
        assert f"wrote {name}" in out
    lint = actionlint(root)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    code, out, _ = run_cli("check-config", root)
    assert code == 0 and "pack `websocket-gateway`, 4 requirements" in out

    # every parameter, with the pack's default, written out (not left implicit)
    resolved = config.load_config(root)
    written = load(root, init.CONFIG_FILE)
    assert written["pack"] == "websocket-gateway"
    assert written["parameters"] == resolved.pack.parameters
    text = (root / init.CONFIG_FILE).read_text(encoding="utf-8")
    assert "  # used by: single-websocket-endpoint, no-direct-websocket-access\n" in text
    # a comment of the pack's own is carried over to its parameter
    assert "  # Frontend modules allowed to open the websocket connection" in text

    # the commented examples are valid config: uncommented, check-config still passes
    examples = re.sub(r"(?m)^# ((title|include|exclude|exceptions):|  )", r"\1", text)
    assert examples.count("\nexceptions:\n  - requirement: single-websocket-endpoint\n") == 1
    (root / init.CONFIG_FILE).write_text(examples, encoding="utf-8")
    resolved = config.load_config(root)
    assert resolved.title == "WebSocket Pattern Verification"
    assert resolved.include == ("backend/**", "frontend/src/**")
    (root / init.CONFIG_FILE).write_text(text, encoding="utf-8")

    check = load(root, init.CHECK_WORKFLOW)
    assert check["permissions"] == {}
    assert check["jobs"]["verify"]["permissions"] == {
        "contents": "read",
        "pull-requests": "write",
    }
    assert check["concurrency"]["cancel-in-progress"] is True
    assert action_step(check)["with"] == {
        "config": init.CONFIG_FILE,
        "fail-on": "new",
        "report-path": REPORT,
    }
    assert set(check[True]) == {"pull_request"}  # YAML 1.1 reads the key `on` as True

    docs = load(root, init.DOCS_WORKFLOW)
    assert docs["permissions"] == {} and docs["jobs"]["document"]["permissions"] == {
        "contents": "write"
    }
    assert docs[True]["push"] == {"branches": ["trunk"]}
    assert docs["concurrency"]["cancel-in-progress"] is False
    assert action_step(docs)["with"] == {
        "config": init.CONFIG_FILE,
        "report-path": REPORT,
        "commit-report": True,
        "fail-on": "never",
    }


def test_existing_files_are_kept_and_named_and_force_overwrites_them(
    tmp_path: Path, run_cli: RunCli
) -> None:
    mine = "pack: websocket-gateway\nparameters:\n  endpoint_path: /socket\n"
    root = tmp_path / "repo"
    init_repo(root, {"app.py": "print(1)\n", init.CONFIG_FILE: mine})

    code, out, _ = run_cli("init", root)

    assert code == 0
    assert f"kept {init.CONFIG_FILE} (it exists; --force overwrites it)" in out
    assert f"wrote {init.CHECK_WORKFLOW}" in out and f"wrote {init.DOCS_WORKFLOW}" in out
    assert (root / init.CONFIG_FILE).read_text() == mine

    (root / init.CHECK_WORKFLOW).write_text("# edited by hand\n")
    code, out, _ = run_cli("init", root)
    assert code == 0
    assert out.count("kept ") == 3 and "wrote" not in out
    assert (root / init.CHECK_WORKFLOW).read_text() == "# edited by hand\n"

    code, out, _ = run_cli("init", root, "--force")
    assert code == 0 and out.count("wrote ") == 3 and "kept" not in out
    assert load(root, init.CONFIG_FILE)["parameters"]["endpoint_path"] == "/ws"
    assert "name: pattern-verify" in (root / init.CHECK_WORKFLOW).read_text()


def test_an_unknown_pack_is_exit_2_and_writes_nothing(tmp_path: Path, run_cli: RunCli) -> None:
    root = tmp_path / "repo"
    init_repo(root, {"app.py": "print(1)\n"})

    code, out, err = run_cli("init", root, "--pack", "no-such-pack")

    assert code == 2 and out == ""
    assert err == (
        "pattern-verify: error: --pack no-such-pack: no such pack (bundled packs: "
        "websocket-gateway; or a directory with a pack.yml, relative to the repository)\n"
    )
    assert not (root / ".github").exists()


def test_a_pack_directory_in_the_repository_is_named_as_the_config_names_it(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "repo"
    init_repo(root, {"app.py": "print(1)\n"})
    shutil.copytree(FIXTURES / "mini-pack", root / "packs" / "mini")

    code, out, err = run_cli("init", root, "--pack", "packs/mini", "--no-docs")

    assert (code, err) == (0, ""), err
    assert load(root, init.CONFIG_FILE)["pack"] == "packs/mini"
    assert not (root / init.DOCS_WORKFLOW).exists()
    assert "report-path" not in action_step(load(root, init.CHECK_WORKFLOW))["with"]
    assert "default branch" not in out
    assert run_cli("check-config", root)[0] == 0


def documented_cache_step() -> dict[str, Any]:
    """The `actions/cache` step of docs/action.md's facts store recipe."""
    text = (REPO_ROOT / "docs" / "action.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    (recipe,) = [b for b in blocks if "actions/cache@" in b]
    steps = yaml.safe_load(textwrap.dedent(recipe))["steps"]
    (step,) = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache@")]
    return dict(step)


def test_both_workflows_keep_the_facts_store_as_the_documented_recipe_does(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "repo"
    init_repo(root, {"app.py": "print(1)\n"})
    assert run_cli("init", root)[0] == 0
    recipe = documented_cache_step()
    inputs = yaml.safe_load((REPO_ROOT / "action.yml").read_text(encoding="utf-8"))["inputs"]
    for name in (init.CHECK_WORKFLOW, init.DOCS_WORKFLOW):
        (job,) = load(root, name)["jobs"].values()
        steps = job["steps"]
        # restored after the checkout (hashFiles reads the config), before the action runs
        assert [s["uses"] for s in steps] == [init.CHECKOUT, init.CACHE, init.ACTION], name
        cache = steps[1]
        assert cache == recipe, name
        assert cache["with"]["path"] == inputs["cache-dir"]["default"]
        # a cache per commit; restored: the latest of the same config and rules, else any
        key, restore = cache["with"]["key"], cache["with"]["restore-keys"].splitlines()
        assert key.endswith("-${{ github.sha }}")
        assert restore == [key.removesuffix("${{ github.sha }}"), "pattern-verify-"]
    lint = actionlint(root)
    assert lint.returncode == 0, lint.stdout + lint.stderr

    # a pack kept in the repository is part of what the key's digest is taken of
    shutil.copytree(FIXTURES / "mini-pack", root / "packs" / "mini")
    assert run_cli("init", root, "--pack", "./packs/mini", "--force")[0] == 0
    for name in (init.CHECK_WORKFLOW, init.DOCS_WORKFLOW):
        (job,) = load(root, name)["jobs"].values()
        key = job["steps"][1]["with"]["key"]
        assert "hashFiles('.github/pattern-verify.yml', '.github/rules/**', 'packs/mini/**')" in key
    lint = actionlint(root)
    assert lint.returncode == 0, lint.stdout + lint.stderr


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("init.defaultBranch names an existing branch", "develop (init.defaultBranch)"),
        ("a local master branch", "master (the local `master` branch)"),
        ("only a feature branch", "feature (the checked-out branch)"),
        ("an unborn branch", "fresh (the checked-out branch)"),
        ("no git repository", "main (no branch found: assumed)"),
    ],
)
def test_the_default_branch_is_found_without_a_remote(
    tmp_path: Path, run_cli: RunCli, setup: str, expected: str
) -> None:
    root = tmp_path / "repo"
    if setup == "no git repository":
        write_files(root, {"app.py": "print(1)\n"})
    elif setup == "an unborn branch":
        root.mkdir()
        git.Repo.init(root, initial_branch="fresh")
    else:
        first = {"init.defaultBranch names an existing branch": "develop"}.get(setup, "master")
        repo = init_repo(root)
        repo.git.checkout("-b", first)
        write_files(root, {"app.py": "print(1)\n"})
        commit_all(repo, "first")
        if setup == "init.defaultBranch names an existing branch":
            with repo.config_writer() as cfg:
                cfg.set_value("init", "defaultBranch", "develop")
            repo.git.checkout("-b", "feature")
        elif setup == "only a feature branch":
            repo.git.branch("-m", "master", "feature")

    code, out, _ = run_cli("init", root)

    assert code == 0
    assert f"default branch: {expected}\n" in out


def test_a_docs_folder_is_found_and_report_path_is_checked(tmp_path: Path, run_cli: RunCli) -> None:
    root = tmp_path / "repo"
    init_repo(root, {"doc/index.md": "# docs\n", "app.py": "print(1)\n"})

    code, out, _ = run_cli("init", root)
    assert code == 0
    report = "doc/architecture/websocket_pattern_verification.md"
    assert f"document: {report} (the `doc/` folder)" in out
    assert action_step(load(root, init.DOCS_WORKFLOW))["with"]["report-path"] == report

    code, _, _ = run_cli("init", root, "--force", "--report-path", "arch/ws.md")
    assert code == 0
    assert action_step(load(root, init.DOCS_WORKFLOW))["with"]["report-path"] == "arch/ws.md"

    code, out, err = run_cli("init", root, "--force", "--report-path", "../outside.md")
    assert code == 2 and "report-path `../outside.md`: expected a relative path" in err
    with pytest.raises(SystemExit) as usage:  # argparse's own usage error
        run_cli("init", root, "--no-docs", "--report-path", "a.md")
    assert usage.value.code == 2


def test_a_subdirectory_of_a_repository_is_refused(tmp_path: Path, run_cli: RunCli) -> None:
    root = tmp_path / "repo"
    init_repo(root, {"backend/app.py": "print(1)\n"})

    code, _, err = run_cli("init", root / "backend")

    assert code == 2
    assert f"is inside the git repository {root}" in err
    assert not (root / "backend" / ".github").exists()


# ---------------------------------------------------------------------------------------------
# the init'ed repository, end to end


class FileServerRunner(Runner):
    """The action as action_runner runs it, with the server URL pointing at a directory of bare
    repositories: the document updater pushes to `<server>/<owner>/<name>.git` for real."""

    server_url: str = SERVER_URL

    def env(self, *args: Any, **kwargs: Any) -> dict[str, str]:
        env = super().env(*args, **kwargs)
        env["GITHUB_SERVER_URL"] = self.server_url
        return env


@pytest.fixture
def server() -> Iterator[GitHubServer]:
    with GitHubServer(web_url=SERVER_URL) as github_server:
        github_server.add_token(TOKEN, ACTIONS_BOT, installation=True)
        yield github_server
        assert github_server.problems == []


@pytest.fixture
def runner(
    server: GitHubServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> FileServerRunner:
    result = FileServerRunner(server, monkeypatch, capsys, tmp_path / "runs")
    result.base_tmp.mkdir()

    def fast_client(context: action.Context, token: str) -> gh.Client:
        return gh.Client(
            token=token,
            api_url=context.api_url,
            sleep=result.sleeps.append,
            seconds_between_requests=0,
            seconds_between_writes=0,
            timeout=15,
        )

    monkeypatch.setattr(action, "client_for", fast_client)
    return result


def test_the_initialised_repository_comments_on_a_pr_and_commits_its_document(
    tmp_path: Path, run_cli: RunCli, runner: FileServerRunner, server: GitHubServer
) -> None:
    servers = tmp_path / "git-server"
    seed = init_repo(tmp_path / "seed", example_files())
    remote = bare_remote(servers / f"{REPOSITORY}.git", seed, "main")
    runner.server_url = servers.as_uri()
    workspace = clone(remote, tmp_path / "ws")
    root = Path(str(workspace.working_tree_dir))

    assert run_cli("init", root)[0] == 0
    setup = commit_all(workspace, "pattern-verify init")
    workspace.git.push("-q", "origin", "main")
    check_step = action_step(load(root, init.CHECK_WORKFLOW))
    docs_step = action_step(load(root, init.DOCS_WORKFLOW))

    # a pull request that reaches for the websocket abstraction directly
    workspace.git.checkout("-q", "-b", "feature")
    service = "backend/smart_city/services/content/content_service.py"
    text = (root / service).read_text(encoding="utf-8")
    write_files(root, {service: text + '\n\nSOCKET = self_.get_abstraction("websocket")\n'})
    head = commit_all(workspace, "content: talk to the socket").hexsha
    pr = PrRepo(root, setup.hexsha, setup.hexsha, head, head, head)
    event = pr_event(tmp_path / "pr.json", pr)
    inputs = {name: as_input(value) for name, value in check_step["with"].items()}

    result = runner.run(root, "pull_request", event, sha=head, **inputs)

    assert result.code == 1, result.out + result.err
    assert result.outputs["new-violations"] == "1"
    (comment,) = server.comments_on(REPOSITORY, 2)
    assert comment.body.startswith("<!-- pattern-verify:websocket-gateway:.github/")
    assert "No Direct WebSocket Access" in comment.body and "content_service.py" in comment.body
    assert f"After merge, `{REPORT}` will say: ❌" in comment.body

    # the merge lands on main; the document updater's step commits the document
    workspace.git.checkout("-q", "main")
    before = git.Repo(remote).commit("main").hexsha
    push = json.loads((FIXTURES / "github/webhooks/push.json").read_text(encoding="utf-8"))
    push.update(ref="refs/heads/main", after=before)
    push["repository"]["default_branch"] = "main"
    (tmp_path / "push.json").write_text(json.dumps(push), encoding="utf-8")
    inputs = {name: as_input(value) for name, value in docs_step["with"].items()}

    result = runner.run(
        root, "push", tmp_path / "push.json", sha=before, ref="refs/heads/main", **inputs
    )

    assert result.code == 0, result.out + result.err
    landed = git.Repo(remote).commit("main")
    assert landed.parents[0].hexsha == before
    assert landed.message.strip() == "docs: update websocket pattern verification (pass)"
    assert sorted(str(p) for p in landed.stats.files) == [REPORT]
    document = (landed.tree / REPORT).data_stream.read().decode("utf-8")
    assert "# WebSocket Pattern Verification" in document

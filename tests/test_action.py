"""`pattern-verify action` as GitHub runs it: the environment GitHub sets, GitHub's own webhook
payloads (rewritten to point at a fixture repository's commits), a real git checkout shaped like
`actions/checkout`'s (the test merge commit checked out), real semgrep, and the local GitHub
server (`github_server.py`) that validates every request and answer against GitHub's OpenAPI
description."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import git
import pytest
from conftest import FIXTURES, commit_all, init_repo, write_files
from github_server import (
    ACTIONS_BOT,
    HUBOT,
    OCTOCAT,
    OTHER_BOT,
    GitHubServer,
    Reply,
    iter_pages,
)

from pattern_verify.cli import main as cli_main
from pattern_verify.commands import action
from pattern_verify.models import (
    Finding,
    Repository,
    RequirementResult,
    Revision,
    Scope,
    Verification,
)
from pattern_verify.publish import actions
from pattern_verify.publish import github as gh

WEBHOOKS = FIXTURES / "github" / "webhooks"
MINI_PACK = FIXTURES / "mini-pack"
REPOSITORY = "Codertocat/Hello-World"  # the repository of GitHub's example payloads
SERVER_URL = "https://github.example"
NUMBER = 2
TOKEN = "ghs_pvTESTtoken0000SECRETvalue1234"  # an installation token, as github.token is
FORK_TOKEN = "ghs_pvFORKtoken1111SECRETvalue5678"
PAT = "ghp_pvPERSONALtoken2222SECRETvalue9"
MARKER = "<!-- pattern-verify:mini:.github/pattern-verify.yml -->"

BASE_FILES: dict[str, str | bytes | None] = {
    ".github/pattern-verify.yml": f"pack: {MINI_PACK}\n",
    "gateway/router.py": '@router.websocket("/ws")\ndef ws(s):\n    print("in gateway")\n',
    "app/service.py": "def handle(x):\n    return x\n",
    "app/legacy.py": 'def old():\n    print("an old violation")\n',
    "README.md": "# fixture\n",
}
# the pull request: a print outside the gateway and a second websocket endpoint
HEAD_CHANGES: dict[str, str | bytes | None] = {
    "app/service.py": "def handle(x):\n    print(x)\n    return x\n",
    "app/chat.py": '@router.websocket("/chat")\ndef chat(s): ...\n',
}
# a second push to the pull request removes the extra endpoint
FIX_CHANGES: dict[str, str | bytes | None] = {"app/chat.py": None}


# ---------------------------------------------------------------------------------------------
# the fixture repository, shaped like a pull request's checkout


@dataclass(frozen=True)
class PrRepo:
    root: Path
    merge_base: str
    base: str  # the base branch's tip (pull_request.base.sha), one commit past the merge-base
    head: str
    head2: str  # after the second push
    merge: str  # GitHub's test merge commit (GITHUB_SHA), checked out detached


def build_pr_repo(root: Path) -> PrRepo:
    repo = init_repo(root, BASE_FILES)
    merge_base = repo.head.commit.hexsha
    repo.git.checkout("-b", "feature")
    write_files(root, HEAD_CHANGES)
    head = commit_all(repo, "feature: print and a chat endpoint").hexsha
    write_files(root, FIX_CHANGES)
    head2 = commit_all(repo, "feature: drop the chat endpoint").hexsha
    repo.git.checkout("main")
    write_files(root, {"README.md": "# fixture\n\nmain moved on\n"})
    base = commit_all(repo, "main: docs").hexsha
    repo.git.checkout("--detach", base)
    repo.git.merge("--no-ff", "--no-edit", head)
    merge = repo.head.commit.hexsha
    repo.git.branch("merge-2", merge)
    repo.git.update_ref(f"refs/pull/{NUMBER}/head", head)
    return PrRepo(root, merge_base, base, head, head2, merge)


@pytest.fixture(scope="module")
def pr_repo(tmp_path_factory: pytest.TempPathFactory) -> PrRepo:
    return build_pr_repo(tmp_path_factory.mktemp("pr") / "workspace")


def clone(source: PrRepo, dest: Path, *, depth: int | None = None, branch: str = "merge-2") -> Path:
    """A checkout as actions/checkout makes it: one ref (the test merge commit by default),
    detached, `origin` set, other branches not fetched."""
    args = ["git", "clone", "--quiet", "--single-branch", "--branch", branch]
    if depth is not None:
        args += ["--depth", str(depth)]
    subprocess.run([*args, f"file://{source.root}", str(dest)], check=True)
    subprocess.run(["git", "-C", str(dest), "checkout", "--quiet", "--detach"], check=True)
    return dest


def pr_event(
    path: Path,
    repo: PrRepo,
    *,
    head: str | None = None,
    payload: str = "pull_request.opened.1.json",
    fork: bool = False,
) -> Path:
    data = json.loads((WEBHOOKS / payload).read_text(encoding="utf-8"))
    pr = data["pull_request"]
    pr["head"]["sha"] = head or repo.head
    pr["head"]["ref"] = "feature"
    pr["base"]["sha"] = repo.base
    pr["base"]["ref"] = "main"
    if "after" in data:
        data["after"] = head or repo.head
    if fork:
        pr["head"]["repo"]["full_name"] = "forker/Hello-World"
        pr["head"]["repo"]["fork"] = True
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def push_event(path: Path, sha: str, ref: str = "refs/heads/master") -> Path:
    data = json.loads((WEBHOOKS / "push.json").read_text(encoding="utf-8"))
    data["ref"] = ref
    data["after"] = sha
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# running the action


def parse_outputs(text: str) -> dict[str, str]:
    """The GITHUB_OUTPUT file as the runner reads it: `name=value` and `name<<DELIM` blocks;
    a later value of a name wins."""
    outputs: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        eq, heredoc = line.find("="), line.find("<<")
        if heredoc != -1 and (eq == -1 or heredoc < eq):
            name, delimiter = line[:heredoc], line[heredoc + 2 :]
            end = lines.index(delimiter, i + 1)
            outputs[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
            continue
        if eq != -1:
            outputs[line[:eq]] = line[eq + 1 :]
        i += 1
    return outputs


@dataclass
class Result:
    code: int
    out: str
    err: str
    tmp: Path

    @property
    def results(self) -> Path:
        return self.tmp / "results"

    @property
    def outputs(self) -> dict[str, str]:
        path = self.tmp / "github_output"
        return parse_outputs(path.read_text(encoding="utf-8")) if path.exists() else {}

    @property
    def summary(self) -> str:
        path = self.tmp / "step_summary"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def everything(self) -> str:
        """Every byte the run left behind: streams, outputs, summary and result files."""
        texts = [self.out, self.err]
        for path in sorted(self.tmp.rglob("*")):
            if path.is_file():
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(texts)


@dataclass
class Runner:
    server: GitHubServer
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]
    base_tmp: Path
    sleeps: list[float] = field(default_factory=list)
    count: int = 0

    def env(
        self,
        tmp: Path,
        workspace: Path,
        event_name: str,
        event_path: Path,
        *,
        sha: str,
        ref: str,
        token: str | None = TOKEN,
        **inputs: str,
    ) -> dict[str, str]:
        env = {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_EVENT_NAME": event_name,
            "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_REPOSITORY": REPOSITORY,
            "GITHUB_API_URL": self.server.api_url,
            "GITHUB_SERVER_URL": SERVER_URL,
            "GITHUB_SHA": sha,
            "GITHUB_REF": ref,
            "GITHUB_RUN_ID": "1658821493",
            "GITHUB_OUTPUT": str(tmp / "github_output"),
            "GITHUB_STEP_SUMMARY": str(tmp / "step_summary"),
            "INPUT_CONFIG": "",
            "INPUT_FAIL-ON": "",
            "INPUT_COMMENT": "always",
            "INPUT_OUTPUT-DIR": str(tmp / "results"),
            "INPUT_SARIF": "",
            "INPUT_REPORT-PATH": "",
            "INPUT_COMMIT-REPORT": "false",
            "INPUT_TIMEOUT": "",
            "INPUT_TOKEN": token or "",
            "GIT_CONFIG_GLOBAL": str(self.base_tmp / "gitconfig"),
        }
        for name, value in inputs.items():
            env[f"INPUT_{name.upper().replace('_', '-')}"] = value
        return env

    def _fresh_tmp(self) -> Path:
        self.count += 1
        tmp = self.base_tmp / f"run{self.count}"
        tmp.mkdir()
        return tmp

    def run(
        self,
        workspace: Path,
        event_name: str,
        event_path: Path,
        *,
        sha: str,
        ref: str = f"refs/pull/{NUMBER}/merge",
        token: str | None = TOKEN,
        **inputs: str,
    ) -> Result:
        tmp = self._fresh_tmp()
        env = self.env(
            tmp, workspace, event_name, event_path, sha=sha, ref=ref, token=token, **inputs
        )
        for key in list(os.environ):
            if key.startswith(("INPUT_", "GITHUB_")):
                self.monkeypatch.delenv(key)
        for key, value in env.items():
            self.monkeypatch.setenv(key, value)
        self.monkeypatch.chdir(workspace)
        self.capsys.readouterr()
        code = cli_main(["action"])
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err, tmp)

    def subprocess(
        self,
        workspace: Path,
        event_name: str,
        event_path: Path,
        *,
        sha: str,
        ref: str = f"refs/pull/{NUMBER}/merge",
        **inputs: str,
    ) -> tuple[subprocess.Popen[str], Path]:
        tmp = self._fresh_tmp()
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(self.base_tmp),
            "LANG": "C.UTF-8",
            **self.env(tmp, workspace, event_name, event_path, sha=sha, ref=ref, **inputs),
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "pattern_verify", "action"],
            cwd=workspace,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        return process, tmp


@pytest.fixture
def server() -> Iterator[GitHubServer]:
    with GitHubServer(web_url=SERVER_URL) as github_server:
        github_server.add_token(TOKEN, ACTIONS_BOT, installation=True)
        github_server.add_token(FORK_TOKEN, ACTIONS_BOT, installation=True, read_only=True)
        github_server.add_token(PAT, OCTOCAT)
        yield github_server
        assert github_server.problems == []


@pytest.fixture
def runner(
    server: GitHubServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> Runner:
    result = Runner(server, monkeypatch, capsys, tmp_path)

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


def run_pr(
    runner: Runner, repo: PrRepo, tmp_path: Path, *, head: str | None = None, **kw: Any
) -> Result:
    payload = "pull_request.synchronize.json" if head else "pull_request.opened.1.json"
    event = pr_event(tmp_path / f"event-{runner.count}.json", repo, head=head, payload=payload)
    return runner.run(repo.root, "pull_request", event, sha=repo.merge, **kw)


def ours(server: GitHubServer) -> list[Any]:
    return [c for c in server.comments_on(REPOSITORY, NUMBER) if c.body.startswith(MARKER)]


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


# ---------------------------------------------------------------------------------------------
# the fork recipe: workflow_run + artifact


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


def serve_pull(server: GitHubServer, number: int, head_sha: str) -> None:
    data = json.loads((WEBHOOKS / "pull_request.opened.1.json").read_text())["pull_request"]
    data["number"] = number
    data["head"]["sha"] = head_sha
    data["auto_merge"] = None  # the REST answer has it, the webhook example does not
    server.add_pull(REPOSITORY, number, data)


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


# ---------------------------------------------------------------------------------------------
# the sticky comment alone (no scan)


def fast(server: GitHubServer, token: str = TOKEN, sleeps: list[float] | None = None) -> gh.Client:
    return gh.Client(
        token=token,
        api_url=server.api_url,
        sleep=(sleeps.append if sleeps is not None else lambda _: None),
        seconds_between_requests=0,
        seconds_between_writes=0,
    )


def test_two_threads_racing_keep_the_oldest_comment(server: GitHubServer) -> None:
    barrier = threading.Barrier(2, timeout=30)
    server.hooks["create_comment"] = barrier.wait
    pr = gh.PullRequest(REPOSITORY, NUMBER)
    results: list[gh.CommentResult] = []
    bodies = [f"{MARKER}\nrun one", f"{MARKER}\nrun two"]
    threads = [
        threading.Thread(
            target=lambda b=b: results.append(gh.sticky_comment(b, MARKER, pr, fast(server)))
        )
        for b in bodies
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 2 and not any(r.failed for r in results)
    (kept,) = server.comments_on(REPOSITORY, NUMBER)
    assert {r.url for r in results} == {kept_url(kept)}
    assert kept.body in bodies


def kept_url(comment: Any) -> str:
    return f"{SERVER_URL}/{REPOSITORY}/pull/{NUMBER}#issuecomment-{comment.id}"


def test_a_duplicate_left_by_an_earlier_race_is_cleaned_up(server: GitHubServer) -> None:
    older = server.add_comment(REPOSITORY, NUMBER, f"{MARKER}\nold", ACTIONS_BOT)
    newer = server.add_comment(REPOSITORY, NUMBER, f"{MARKER}\nnewer", ACTIONS_BOT)
    result = gh.sticky_comment(
        f"{MARKER}\ncurrent", MARKER, gh.PullRequest(REPOSITORY, NUMBER), fast(server)
    )
    assert result.state == "updated"
    assert [c.id for c in server.comments_on(REPOSITORY, NUMBER)] == [older.id]
    assert server.comments[older.id].body == f"{MARKER}\ncurrent"
    assert newer.id not in server.comments


def test_a_body_over_the_limit_is_cut_and_keeps_its_marker(server: GitHubServer) -> None:
    huge = MARKER + "\n" + "x" * 100_000
    result = gh.sticky_comment(huge, MARKER, gh.PullRequest(REPOSITORY, NUMBER), fast(server))
    assert result.state == "created"
    (comment,) = server.comments_on(REPOSITORY, NUMBER)
    assert len(comment.body) <= 65_536 and comment.body.startswith(MARKER)
    assert "cut to fit" in comment.body


def test_network_errors_are_retried_and_then_explained() -> None:
    sleeps: list[float] = []
    client = gh.Client(
        token=TOKEN,
        api_url="http://127.0.0.1:9/api/v3",
        sleep=sleeps.append,
        seconds_between_requests=0,
        seconds_between_writes=0,
        timeout=2,
    )
    result = gh.sticky_comment(f"{MARKER}\nx", MARKER, gh.PullRequest(REPOSITORY, NUMBER), client)
    assert result.failed and "could not reach GitHub" in result.message
    assert len(sleeps) == gh.ATTEMPTS - 1
    assert TOKEN not in result.message


def test_a_malformed_api_url_is_not_retried() -> None:
    sleeps: list[float] = []
    client = gh.Client(
        token=TOKEN,
        api_url="api.example.invalid/v3",  # no scheme: no attempt can succeed
        sleep=sleeps.append,
        seconds_between_requests=0,
        seconds_between_writes=0,
    )
    result = gh.sticky_comment(f"{MARKER}\nx", MARKER, gh.PullRequest(REPOSITORY, NUMBER), client)
    assert result.failed and "check GITHUB_API_URL" in result.message
    assert sleeps == [] and TOKEN not in result.message


def test_an_unknown_token_type_that_cannot_read_the_user_falls_back_to_the_actions_bot(
    server: GitHubServer,
) -> None:
    legacy = "0123456789abcdef0123456789abcdef01234567"  # GHES-era token without a prefix
    server.add_token(legacy, ACTIONS_BOT, installation=True)
    mine = server.add_comment(REPOSITORY, NUMBER, f"{MARKER}\nbefore", ACTIONS_BOT)
    result = gh.sticky_comment(
        f"{MARKER}\nafter", MARKER, gh.PullRequest(REPOSITORY, NUMBER), fast(server, legacy)
    )
    assert result.state == "updated" and server.comments[mine.id].body.endswith("after")
    assert len(server.calls("get_user")) == 1


def test_an_app_token_names_its_bot_with_comment_author(server: GitHubServer) -> None:
    app_token = "ghs_pvAPPtoken3333SECRETvalue0000"
    server.add_token(app_token, OTHER_BOT, installation=True)
    actions_bot = server.add_comment(REPOSITORY, NUMBER, f"{MARKER}\nby github.token", ACTIONS_BOT)
    app = server.add_comment(REPOSITORY, NUMBER, f"{MARKER}\nby the app", OTHER_BOT)
    result = gh.sticky_comment(
        f"{MARKER}\nnew",
        MARKER,
        gh.PullRequest(REPOSITORY, NUMBER),
        fast(server, app_token),
        author="other-ci[bot]",
    )
    assert result.state == "updated"
    assert server.comments[app.id].body == f"{MARKER}\nnew"
    assert server.comments[actions_bot.id].body.endswith("by github.token")
    assert server.calls("get_user") == []


def test_an_app_token_without_comment_author_finds_its_comment_after_posting(
    server: GitHubServer,
) -> None:
    """A custom App's token writes as its own bot: the first run learns the login from the
    comment it created, and says how to skip that; a second run keeps one comment."""
    app_token = "ghs_pvAPPtoken3333SECRETvalue0000"
    server.add_token(app_token, OTHER_BOT, installation=True)
    pull = gh.PullRequest(REPOSITORY, NUMBER)
    first = gh.sticky_comment(f"{MARKER}\none", MARKER, pull, fast(server, app_token))
    assert first.state == "created"
    assert f"set `comment-author: {OTHER_BOT.login}`" in first.message
    second = gh.sticky_comment(f"{MARKER}\ntwo", MARKER, pull, fast(server, app_token))
    assert second.state == "created" and second.url == first.url  # the first one, kept
    assert [c.body for c in ours(server)] == [f"{MARKER}\ntwo"]


# ---------------------------------------------------------------------------------------------
# the runner's formats


def test_workflow_command_escaping_follows_the_toolkit() -> None:
    line = actions.command(
        "error",
        "100% broken\r\nnext line",
        {"file": "a,b:c.py", "line": 3, "title": "T: x, y"},
    )
    assert (
        line == "::error file=a%2Cb%3Ac.py,line=3,title=T%3A x%2C y::100%25 broken%0D%0Anext line"
    )
    assert "\n" not in line


def test_multiline_outputs_use_a_delimiter_absent_from_the_value(tmp_path: Path) -> None:
    path = tmp_path / "out"
    value = "line one\nghadelimiter_\nline three"
    actions.write_outputs(path, {"status": "fail", "report": value, "empty": ""})
    text = path.read_text()
    assert parse_outputs(text) == {"status": "fail", "report": value, "empty": ""}
    delimiter = text.split("report<<", 1)[1].split("\n", 1)[0]
    assert delimiter not in value and delimiter.startswith("ghadelimiter_")
    # deterministic: the same value gives the same file
    again = tmp_path / "again"
    actions.write_outputs(again, {"status": "fail", "report": value, "empty": ""})
    assert again.read_text() == text


def test_the_summary_is_cut_under_1_mib_with_a_note(tmp_path: Path) -> None:
    report = (
        "# Report\n\n<details>\n\n```python\n" + ("é = 'x' * 40\n" * 120_000) + "```\n</details>\n"
    )
    assert len(report.encode()) > actions.SUMMARY_LIMIT_BYTES
    path = tmp_path / "summary"
    path.write_text("earlier step content\n")
    actions.append_summary(path, report, full_report_at="pattern-verify-results/report.md")
    data = path.read_bytes()
    assert len(data) <= actions.SUMMARY_LIMIT_BYTES
    text = data.decode("utf-8")
    assert text.startswith("earlier step content\n")
    # the open fence and <details> are closed so the note renders as text
    note_at = text.index("The report was cut")
    assert text[:note_at].count("```") % 2 == 0
    assert text.count("<details>") == text.count("</details>")
    assert "pattern-verify-results/report.md" in text[note_at:]


def _finding(path: str, line: int, change: str | None, rule: str = "mini-print") -> Finding:
    return Finding(
        rule_id=rule,
        fact="print-call",
        path=path,
        line=line,
        end_line=line,
        message=f"print at {path}:{line}",
        fingerprint=f"{rule}:{path}:{line}",
        change=change,  # type: ignore[arg-type]
        requirements=("prints-confined",),
    )


def _verification(findings: list[Finding], *, base: bool) -> Verification:
    return Verification(
        tool_version="0.1.0",
        title="T",
        pack="mini",
        config_id="mini",
        status="fail",
        repository=Repository(
            url="https://github.example/o/r",
            head=Revision(sha="a" * 40),
            base=Revision(sha="b" * 40) if base else None,
        ),
        scope=Scope(root="."),
        requirements=(
            RequirementResult(
                id="prints-confined",
                title="Prints Confined",
                status="fail",
                violations=tuple(findings),
            ),
            RequirementResult(
                id="needs-owner",
                title="Needs Owner",
                status="fail",
                problems=("no owner found",),
            ),
        ),
    )


def test_annotations_show_new_violations_first_and_count_the_rest() -> None:
    findings = [_finding(f"old/f{i:02}.py", i + 1, "existing") for i in range(12)]
    findings += [_finding(f"new/f{i:02}.py", i + 1, "new") for i in range(14)]
    lines = actions.annotation_commands(_verification(findings, base=True), "new")
    errors = [line for line in lines if line.startswith("::error")]
    warnings = [line for line in lines if line.startswith("::warning")]
    assert len(errors) == actions.MAX_ERRORS and len(warnings) == actions.MAX_WARNINGS
    assert all("file=new/" in line for line in errors[:9])
    assert "5 more violations are not annotated" in errors[-1]  # 14 new - 9 shown
    # what does not fail the step (fail-on new: the old violations, and a requirement missing
    # evidence that the change did not break) is a warning, never an error
    assert warnings[0].startswith("::warning title=pattern-verify%3A Needs Owner::")
    assert all("file=old/" in line for line in warnings[1:8])
    assert "5 more findings are not annotated" in warnings[-1]  # 12 old + 1 problem - 8 shown
    # fail-on any: every violation is an error; the requirement without a place is one too
    lines = actions.annotation_commands(_verification(findings[:3], base=False), "any")
    assert [line.split(" ", 1)[0] for line in lines] == ["::error"] * 4
    assert lines[0] == (
        "::error title=pattern-verify%3A Needs Owner::Needs Owner: missing evidence: no owner found"
    )

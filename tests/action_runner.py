"""The GitHub Actions runner as the action's tests play it: the environment GitHub sets,
GitHub's own webhook payloads (rewritten to point at a fixture repository's commits), a real git
checkout shaped like `actions/checkout`'s (the test merge commit checked out), and the local
GitHub server (`github_server.py`) that validates every request and answer against GitHub's
OpenAPI description. Test modules take its fixtures by name: `server = action_runner.server`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, commit_all, init_repo, write_files
from github_server import ACTIONS_BOT, OCTOCAT, GitHubServer

from pattern_verify.cli import main as cli_main
from pattern_verify.commands import action
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


def serve_pull(server: GitHubServer, number: int, head_sha: str) -> None:
    data = json.loads((WEBHOOKS / "pull_request.opened.1.json").read_text())["pull_request"]
    data["number"] = number
    data["head"]["sha"] = head_sha
    data["auto_merge"] = None  # the REST answer has it, the webhook example does not
    server.add_pull(REPOSITORY, number, data)

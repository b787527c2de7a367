"""The verification document kept committed in the repository: real git repositories, a bare
repository on disk as the remote, clones (full and shallow) as the workspace."""

from __future__ import annotations

import base64
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import git
import pytest
from conftest import EXAMPLE, FIXTURES, commit_all, init_repo, write_files

from pattern_verify import git as pv_git
from pattern_verify import pipeline
from pattern_verify.errors import UsageError
from pattern_verify.publish import docs

REPORT = "docs/architecture/websocket_pattern_verification.md"
TITLE = "WebSocket Pattern Verification"
MESSAGE_PASS = "docs: update websocket pattern verification (pass)"
MESSAGE_FAIL = "docs: update websocket pattern verification (fail)"
SHA_A = "a" * 40
SHA_B = "b" * 40

RunCli = Callable[..., tuple[int, str, str]]


def document(
    verdict: str = "✅ PASS", sha: str = SHA_A, evidence: str = "`app/router.py:3`"
) -> str:
    """A document shaped like the bundled report: a revision stamp, a verdict, evidence."""
    return (
        f"# {TITLE}\n\n"
        "**Date:** 2025-01-15  \n"
        f"**Commit:** [`{sha[:7]}`](https://github.com/o/r/commit/{sha}) on `main`  \n"
        f"**Status:** {verdict}\n\n"
        f"- {evidence} ([line](https://github.com/o/r/blob/{sha}/app/router.py#L3))\n\n"
        f"**Last Updated:** 2025-01-15 (`{sha[:7]}`)\n"
    )


class Remote:
    """A bare repository standing in for GitHub, plus helpers to look at what landed there."""

    def __init__(self, root: Path, seed: git.Repo) -> None:
        """`seed`'s main branch becomes the remote's."""
        self.root = root
        self.path = root / "remote.git"
        self.bare = git.Repo.init(self.path, bare=True, initial_branch="main")
        seed.git.push(str(self.path), "main:refs/heads/main")

    @property
    def url(self) -> str:
        return self.path.as_uri()

    def clone(self, name: str, *, shallow: bool = False) -> git.Repo:
        args = ["--depth", "1"] if shallow else []
        subprocess.run(
            ["git", "clone", "-q", *args, self.url, str(self.root / name)],
            check=True,
            capture_output=True,
        )
        repo = git.Repo(self.root / name)
        assert repo.git.rev_parse("--is-shallow-repository") == str(shallow).lower()
        with repo.config_writer() as cfg:
            cfg.set_value("user", "name", "Developer")
            cfg.set_value("user", "email", "dev@example.invalid")
        return repo

    def push_change(self, name: str, files: dict[str, str | bytes | None], message: str) -> str:
        """Another developer's commit landing on main (the branch moves)."""
        path = self.root / name
        repo = git.Repo(path) if path.exists() else self.clone(name)
        repo.git.pull("-q", "--ff-only", self.url, "main")
        write_files(path, files)
        commit = commit_all(repo, message)
        repo.git.push("-q", self.url, "main:refs/heads/main")
        return commit.hexsha

    def head(self) -> git.Commit:
        return self.bare.commit("refs/heads/main")

    def document(self, path: str = REPORT) -> str | None:
        try:
            blob = self.head().tree / path
        except KeyError:
            return None
        text: str = blob.data_stream.read().decode("utf-8")
        return text

    def commits_touching(self, path: str = REPORT) -> list[git.Commit]:
        return list(self.bare.iter_commits("refs/heads/main", paths=path))


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    files = {"app/router.py": "ROUTE = '/ws'\n", "README.md": "platform\n", ".gitignore": "*.log\n"}
    seed = init_repo(tmp_path / "seed", files)
    # a second commit, so that a shallow clone really lacks history
    write_files(tmp_path / "seed", {"CHANGELOG.md": "0.1\n"})
    commit_all(seed, "changelog")
    return Remote(tmp_path, seed)


ORIGIN = "<the workspace's origin>"


def commit(
    workspace: git.Repo,
    text: str,
    *,
    status: str = "pass",
    report_path: str = REPORT,
    token: str | None = None,
    server_url: str = "https://github.com",
    remote_url: str | None = ORIGIN,
) -> docs.CommitResult:
    """commit_report as the action calls it; the remote is the bare repository (a file:// URL)
    unless the test says otherwise (None: derived from server_url and the repository name)."""
    return docs.commit_report(
        Path(str(workspace.working_tree_dir)),
        report_path,
        text,
        status=status,
        title=TITLE,
        token=token,
        server_url=server_url,
        repository="o/r",
        branch="main",
        remote_url=workspace.remotes.origin.url if remote_url == ORIGIN else remote_url,
    )


def files_changed(commit_: git.Commit) -> list[str]:
    return sorted(str(path) for path in commit_.stats.files)


# --- the first push, then nothing to do --------------------------------------------------


@pytest.mark.parametrize("shallow", [False, True], ids=["full-clone", "shallow-clone"])
def test_first_push_creates_the_document_and_only_it(remote: Remote, shallow: bool) -> None:
    workspace = remote.clone("workspace", shallow=shallow)
    before = remote.head().hexsha

    result = commit(workspace, document())

    assert result.committed and result.pushed and not result.warning
    assert result.sha == remote.head().hexsha
    landed = remote.head()
    assert landed.parents[0].hexsha == before
    assert landed.message == MESSAGE_PASS
    assert (landed.author.name, landed.author.email) == (docs.BOT_NAME, docs.BOT_EMAIL)
    assert (landed.committer.name, landed.committer.email) == (docs.BOT_NAME, docs.BOT_EMAIL)
    assert files_changed(landed) == [REPORT]
    assert remote.document() == document()
    assert result.message == (
        f"committed {REPORT} as {landed.hexsha[:7]} and pushed to main: {MESSAGE_PASS}"
    )
    # the workspace is on the new commit, with the document clean in the index
    assert workspace.head.commit.hexsha == landed.hexsha
    assert workspace.git.status("--porcelain") == ""


def test_an_empty_repository_gets_its_first_commit(tmp_path: Path) -> None:
    bare = git.Repo.init(tmp_path / "empty.git", bare=True, initial_branch="main")
    subprocess.run(
        ["git", "clone", "-q", (tmp_path / "empty.git").as_uri(), str(tmp_path / "ws")],
        check=True,
        capture_output=True,
    )
    workspace = git.Repo(tmp_path / "ws")

    result = commit(workspace, document())

    assert result.pushed
    landed = bare.commit("refs/heads/main")
    assert landed.parents == () and files_changed(landed) == [REPORT]


def test_a_second_run_with_nothing_changed_makes_no_commit(remote: Remote) -> None:
    workspace = remote.clone("workspace")
    assert commit(workspace, document()).pushed
    landed = remote.head().hexsha

    again = commit(workspace, document())

    assert (again.committed, again.pushed, again.sha, again.warning) == (False, False, None, False)
    assert "nothing to commit" in again.message
    assert remote.head().hexsha == landed
    assert len(remote.commits_touching()) == 1


def test_a_new_revision_stamp_alone_is_not_a_change(remote: Remote) -> None:
    """Every push has a new head SHA and date; only the verdict or the evidence make a commit."""
    workspace = remote.clone("workspace")
    assert commit(workspace, document(sha=SHA_A)).pushed

    stamp_only = commit(workspace, document(sha=SHA_B).replace("2025-01-15", "2025-02-01"))
    assert not stamp_only.committed
    assert len(remote.commits_touching()) == 1

    evidence = commit(workspace, document(sha=SHA_B, evidence="`app/router.py:4`"))
    assert evidence.committed and evidence.pushed
    assert len(remote.commits_touching()) == 2
    assert "app/router.py:4" in (remote.document() or "")


def test_substance_drops_only_the_revision_stamp() -> None:
    assert docs.substance(document(sha=SHA_A)) == docs.substance(document(sha=SHA_B).encode())
    assert docs.substance(document()) != docs.substance(document(verdict="❌ FAIL"))
    assert "**Status:** ✅ PASS" in docs.substance(document())
    assert "**Commit:**" not in docs.substance(document())


def test_the_commit_holds_the_document_only(remote: Remote) -> None:
    """Other staged and unstaged work in the workspace stays out of the commit and in place."""
    workspace = remote.clone("workspace")
    root = Path(str(workspace.working_tree_dir))
    write_files(root, {"staged.py": "x = 1\n", "README.md": "edited\n"})
    workspace.git.add("staged.py")

    result = commit(workspace, document())

    assert result.pushed
    assert files_changed(remote.head()) == [REPORT]
    assert "staged.py" not in [entry.path for entry in remote.head().tree.traverse()]
    status = sorted(workspace.git.status("--porcelain").splitlines())
    assert status == [" M README.md", "A  staged.py"]


def test_an_executable_document_keeps_its_mode(remote: Remote) -> None:
    seed = git.Repo(remote.root / "seed")
    write_files(remote.root / "seed", {REPORT: "old\n"})
    (remote.root / "seed" / REPORT).chmod(0o755)
    commit_all(seed, "add an executable report")
    seed.git.push(remote.url, "main:refs/heads/main")
    workspace = remote.clone("workspace")

    assert commit(workspace, document()).pushed
    assert (remote.head().tree / REPORT).mode == 0o100755


# --- where the document may go ----------------------------------------------------------


@pytest.mark.parametrize("report_path", ["../x.md", "docs/../../x.md", "/tmp/x.md", ""])
def test_report_path_outside_the_workspace_is_a_usage_error(
    remote: Remote, report_path: str
) -> None:
    workspace = remote.clone("workspace")
    with pytest.raises(UsageError, match="report-path") as raised:
        commit(workspace, document(), report_path=report_path)
    assert raised.value.exit_code == 2
    assert not (remote.root / "x.md").exists()
    assert remote.document() is None


def test_an_ignored_path_is_written_but_not_committed(remote: Remote) -> None:
    remote.push_change("dev", {".gitignore": "docs/\n"}, "ignore docs")
    workspace = remote.clone("workspace")
    before = remote.head().hexsha

    result = commit(workspace, document())

    assert (result.committed, result.pushed, result.warning) == (False, False, True)
    assert ".gitignore" in result.message
    assert (Path(str(workspace.working_tree_dir)) / REPORT).read_text(
        encoding="utf-8"
    ) == document()
    assert remote.head().hexsha == before


def test_a_tracked_document_under_an_ignored_directory_is_still_committed(remote: Remote) -> None:
    """.gitignore only keeps untracked files out; a document already tracked stays updated."""
    remote.push_change("dev", {REPORT: "old\n"}, "track the document")
    remote.push_change("dev", {".gitignore": "docs/\n"}, "ignore the rest of docs/")
    workspace = remote.clone("workspace")

    result = commit(workspace, document())

    assert result.pushed and not result.warning
    assert remote.document() == document()


def test_not_a_git_working_tree_is_a_git_error(tmp_path: Path) -> None:
    with pytest.raises(docs.GitError, match="not a git working tree"):
        docs.commit_report(
            tmp_path,
            REPORT,
            document(),
            status="pass",
            token=None,
            server_url="https://github.com",
            repository="o/r",
            branch="main",
        )


# --- detached HEAD, the branch moving, the push failing ---------------------------------


def test_a_detached_head_commits_on_top_and_pushes_to_the_branch(remote: Remote) -> None:
    workspace = remote.clone("workspace", shallow=True)
    workspace.git.checkout("-q", "--detach", "HEAD")
    before = remote.head().hexsha

    result = commit(workspace, document())

    assert result.pushed
    assert remote.head().parents[0].hexsha == before
    assert workspace.head.is_detached
    assert workspace.head.commit.hexsha == remote.head().hexsha
    assert workspace.heads.main.commit.hexsha == before  # the local branch was not touched


@pytest.mark.parametrize("shallow", [False, True], ids=["full-clone", "shallow-clone"])
def test_the_branch_moved_rejected_push_is_fetched_and_retried_once(
    remote: Remote, shallow: bool
) -> None:
    workspace = remote.clone("workspace", shallow=shallow)
    # another pattern's document, committed by its own run meanwhile
    moved_to = remote.push_change("dev", {"docs/other-pattern.md": "# Other\n"}, "meanwhile")

    result = commit(workspace, document())

    assert result.committed and result.pushed and not result.warning
    landed = remote.head()
    assert landed.hexsha == result.sha
    assert landed.parents[0].hexsha == moved_to  # on top of the moved branch, nothing lost
    assert files_changed(landed) == [REPORT]
    assert remote.document() == document()
    assert "retried once" in result.message
    assert workspace.head.commit.hexsha == landed.hexsha
    assert workspace.active_branch.name == "main"
    # the workspace follows: the other commit's file is there, nothing left dirty
    assert (Path(str(workspace.working_tree_dir)) / "docs/other-pattern.md").is_file()
    assert workspace.git.status("--porcelain") == ""


def test_retrying_from_another_local_branch_leaves_that_branch_alone(remote: Remote) -> None:
    workspace = remote.clone("workspace")
    workspace.git.checkout("-q", "-b", "dispatch")
    moved_to = remote.push_change("dev", {"docs/other-pattern.md": "# Other\n"}, "meanwhile")

    result = commit(workspace, document())

    assert result.pushed
    assert remote.head().parents[0].hexsha == moved_to
    assert workspace.head.is_detached and workspace.head.commit.hexsha == result.sha
    # the first attempt was committed on the checked-out branch; the retry did not move it
    assert workspace.heads.dispatch.commit.parents[0].hexsha != moved_to


def test_retrying_keeps_local_changes_in_the_workspace(remote: Remote) -> None:
    workspace = remote.clone("workspace")
    root = Path(str(workspace.working_tree_dir))
    write_files(root, {"README.md": "edited by an earlier step\n"})
    remote.push_change("dev", {"docs/other-pattern.md": "# Other\n"}, "meanwhile")

    assert commit(workspace, document()).pushed
    assert (root / "README.md").read_text(encoding="utf-8") == "edited by an earlier step\n"
    assert files_changed(remote.head()) == [REPORT]
    assert workspace.git.status("--porcelain") == " M README.md"


def test_retrying_when_a_local_change_collides_upstream_loses_nothing(remote: Remote) -> None:
    workspace = remote.clone("workspace")
    root = Path(str(workspace.working_tree_dir))
    write_files(root, {"README.md": "local\n"})
    remote.push_change("dev", {"README.md": "upstream\n"}, "meanwhile")

    assert commit(workspace, document()).pushed
    assert (root / "README.md").read_text(encoding="utf-8") == "local\n"
    assert remote.head().parents[0].message == "meanwhile"
    assert files_changed(remote.head()) == [REPORT]


@pytest.mark.parametrize("shallow", [False, True], ids=["full-clone", "shallow-clone"])
def test_a_branch_that_moved_on_with_code_is_left_to_the_run_for_its_tip(
    remote: Remote, shallow: bool
) -> None:
    """The verdict was reached on HEAD; the new tip changes code, so it may not hold there (and
    if that commit's run finished first, its newer document must not be overwritten)."""
    workspace = remote.clone("workspace", shallow=shallow)
    moved_to = remote.push_change(
        "dev", {"app/other.py": "y = 2\n", "docs/notes.md": "n\n"}, "meanwhile"
    )

    result = commit(workspace, document())

    assert (result.committed, result.pushed, result.warning) == (True, False, False)
    assert f"main moved on to {moved_to[:7]}, which changes app/other.py:" in result.message
    assert "the run for that commit updates it" in result.message
    assert remote.head().hexsha == moved_to and remote.document() is None


def test_the_branch_moved_to_the_same_document_makes_no_commit(remote: Remote) -> None:
    """A concurrent run already committed the same verdict: nothing left to do."""
    workspace = remote.clone("workspace")
    remote.push_change("dev", {REPORT: document(sha=SHA_B)}, "same verdict, other run")
    before = remote.head().hexsha

    result = commit(workspace, document())

    assert (result.committed, result.pushed, result.warning) == (False, False, False)
    assert "already up to date" in result.message
    assert remote.head().hexsha == before


def test_a_second_rejection_gives_up_with_a_warning(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = remote.clone("workspace")
    remote.push_change("dev", {"docs/one.md": "# One\n"}, "first move")
    fetch = pv_git.Remote.fetch

    def fetch_then_move_again(self: pv_git.Remote, branch: str) -> str:
        tip = fetch(self, branch)
        remote.push_change("dev", {"app/two.py": "two = 2\n"}, "second move")
        return tip

    monkeypatch.setattr(pv_git.Remote, "fetch", fetch_then_move_again)
    result = commit(workspace, document())

    assert (result.committed, result.pushed, result.warning) == (True, False, True)
    assert result.sha is not None and result.sha == workspace.head.commit.hexsha
    assert "moved again after one retry" in result.message
    assert "job summary" in result.message
    assert remote.head().message == "second move"
    assert remote.document() is None


def test_a_push_the_remote_refuses_is_not_retried(remote: Remote) -> None:
    """A protected branch (here a pre-receive hook) is final: one attempt, a clear warning."""
    hook = remote.path / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected branch: changes need a pull request' >&2\nexit 1\n")
    hook.chmod(0o755)
    workspace = remote.clone("workspace")
    before = remote.head().hexsha

    result = commit(workspace, document())

    assert (result.committed, result.pushed, result.warning) == (True, False, True)
    assert "pre-receive hook declined" in result.message
    assert "protected branch" in result.message
    assert "\n" not in result.message
    assert remote.head().hexsha == before


# --- the token ---------------------------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    """Records the Authorization headers git sends, then refuses like GitHub without access."""

    seen: list[list[str]]

    def do_GET(self) -> None:
        self.seen.append(self.headers.get_all("Authorization") or [])
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[tuple[str, list[list[str]]]]:
    seen: list[list[str]] = []
    handler = type("Recorder", (_Recorder,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_the_token_goes_in_one_header_and_nowhere_else(
    remote: Remote, http_server: tuple[str, list[list[str]]]
) -> None:
    server_url, seen = http_server
    token = "ghs_SECRETtoken1234567890"
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    workspace = remote.clone("workspace")
    # what actions/checkout persists: a header for the whole server, which ours must replace
    with workspace.config_writer() as cfg:
        cfg.set_value(f'http "{server_url}/"', "extraheader", "AUTHORIZATION: basic c3RhbGU=")

    result = commit(workspace, document(), token=token, server_url=server_url, remote_url=None)

    assert seen, "git never reached the server"
    assert seen[0] == [f"basic {basic}"]  # exactly one Authorization header, ours
    assert (result.committed, result.pushed, result.warning) == (True, False, True)
    assert "403" in result.message
    assert f"{server_url}/o/r.git" in result.message
    config = workspace.git.config("--list", "--show-origin")
    for secret in (token, basic):
        assert secret not in result.message
        assert secret not in config
        assert secret not in workspace.head.commit.message
        assert secret not in "".join(r.url for r in workspace.remotes)


def test_without_a_token_no_header_is_added(
    remote: Remote, http_server: tuple[str, list[list[str]]]
) -> None:
    server_url, seen = http_server
    workspace = remote.clone("workspace")

    result = commit(workspace, document(), server_url=server_url, remote_url=None)

    assert seen and seen[0] == []
    assert not result.pushed and result.warning


def test_credentials_in_a_remote_url_are_scrubbed(
    remote: Remote, http_server: tuple[str, list[list[str]]]
) -> None:
    server_url, _ = http_server
    workspace = remote.clone("workspace")
    url = server_url.replace("://", "://x-access-token:ghp_inline@") + "/o/r.git"

    result = commit(workspace, document(), remote_url=url)

    assert not result.pushed
    assert "ghp_inline" not in result.message


def test_commit_message_follows_the_title_and_status() -> None:
    assert docs.commit_message(TITLE, "fail") == MESSAGE_FAIL
    assert docs.commit_message("pattern verification", "pass") == (
        "docs: update pattern verification (pass)"
    )


# --- the real pipeline: a deterministic document, the CLI, the done-when --------

MINI_PACK = FIXTURES / "mini-pack"


def mini_platform(root: Path) -> Path:
    write_files(
        root,
        {
            ".github/pattern-verify.yml": f"pack: {MINI_PACK}\n",
            "gateway/router.py": '@router.websocket("/ws")\ndef ws(s):\n    print("in gateway")\n',
            "app/service.py": "def handle(x):\n    return x\n",
        },
    )
    return root


def test_cli_report_path_writes_the_document_into_the_tree(tmp_path: Path, run_cli: RunCli) -> None:
    root = mini_platform(tmp_path / "repo")
    repo = init_repo(root)
    commit_all(repo, "initial")

    code, _, _ = run_cli(
        "run", root, "--report-path", "docs/verification.md", "--output-dir", tmp_path / "out", "-q"
    )

    assert code == 0
    written = (root / "docs/verification.md").read_text(encoding="utf-8")
    assert written == (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert written.startswith("# Mini Pattern Verification\n")
    assert repo.head.commit.message == "initial"  # written, never committed
    assert repo.git.status("--porcelain") == "?? docs/"


@pytest.mark.parametrize(
    ("report_path", "expected"),
    [("../x.md", "no `..`"), ("docs/../../x.md", "no `..`"), ("/tmp/x.md", "not absolute")],
)
def test_cli_report_path_outside_the_tree_is_exit_2(
    tmp_path: Path, run_cli: RunCli, report_path: str, expected: str
) -> None:
    root = mini_platform(tmp_path / "repo")
    commit_all(init_repo(root), "initial")

    code, _, stderr = run_cli(
        "run", root, "--report-path", report_path, "--output-dir", tmp_path / "out"
    )

    assert code == 2
    assert stderr.startswith(f"pattern-verify: error: report-path `{report_path}`")
    assert expected in stderr
    assert not (tmp_path / "x.md").exists()
    assert not (tmp_path / "out").exists()  # refused before scanning


def test_two_runs_on_the_same_tree_give_the_same_bytes(tmp_path: Path) -> None:
    root = mini_platform(tmp_path / "repo")
    commit_all(init_repo(root), "initial")
    options = pipeline.RunOptions(root=root, repo_url="https://github.com/o/r")

    first, second = pipeline.run(options), pipeline.run(options)

    assert first.report.encode("utf-8") == second.report.encode("utf-8")
    assert first.verification.repository.head.date == "2025-01-15"  # the commit's, not today's


# The anti-pattern the reference document names: a service reaching for the websocket
# abstraction instead of going through the gateway.
VIOLATING_PATH = "backend/smart_city/services/guide/guide_service.py"
VIOLATING_METHOD = """
    async def push_direct(self, user_id: str) -> None:
        websocket = self.get_abstraction("websocket")
        await websocket.send_json({"user": user_id})
"""


def add_violation(remote: Remote) -> None:
    """A developer adds `self.get_abstraction("websocket")` to a service and pushes."""
    service = (EXAMPLE / VIOLATING_PATH).read_text(encoding="utf-8")
    remote.push_change("dev", {VIOLATING_PATH: service + VIOLATING_METHOD}, "guide: push directly")


def verify_and_commit(workspace: git.Repo) -> tuple[pipeline.Outcome, docs.CommitResult]:
    """What the updater does on a push: run the pipeline on the checkout, commit the report."""
    root = Path(str(workspace.working_tree_dir))
    outcome = pipeline.run(pipeline.RunOptions(root=root, repo_url="https://github.com/o/r"))
    result = docs.commit_report(
        root,
        REPORT,
        outcome.report,
        status=outcome.verification.status,
        title=outcome.verification.title,
        token=None,
        server_url="https://github.com",
        repository="o/r",
        branch="main",
        remote_url=workspace.remotes.origin.url,
    )
    return outcome, result


def test_two_runs_of_the_pack_on_the_same_tree_give_the_same_bytes(
    platform_repo: Callable[..., tuple[git.Repo, Path]],
) -> None:
    _, root = platform_repo()
    options = pipeline.RunOptions(root=root, repo_url="https://github.com/o/r")

    first, second = pipeline.run(options), pipeline.run(options)

    assert first.verification.status == "pass", first.report
    assert first.report.encode("utf-8") == second.report.encode("utf-8")


def test_done_when_one_commit_per_verdict_lands_on_the_remote(
    platform_repo: Callable[..., tuple[git.Repo, Path]], tmp_path: Path
) -> None:
    """Issue 6: two consecutive runs on an unchanged tree leave exactly one commit of the
    document on the remote; a run after a violating change leaves a second one whose document
    shows the failing requirement with its file."""
    seed, _ = platform_repo()
    remote = Remote(tmp_path, seed)
    workspace = remote.clone("workspace")

    outcome, first = verify_and_commit(workspace)
    assert outcome.verification.status == "pass", outcome.report
    assert first.pushed and remote.head().message == MESSAGE_PASS
    _, second = verify_and_commit(workspace)  # HEAD is now the document's own commit
    assert not second.committed, second.message
    assert len(remote.commits_touching()) == 1
    assert "✅ **PASS**" in (remote.document() or "")

    add_violation(remote)
    checkout = remote.clone("checkout", shallow=True)  # what actions/checkout gives the updater
    outcome, third = verify_and_commit(checkout)

    assert third.committed and third.pushed, third.message
    commits = remote.commits_touching()
    assert len(commits) == 2
    assert commits[0].message == MESSAGE_FAIL
    assert files_changed(commits[0]) == [REPORT]
    failing = [r for r in outcome.verification.requirements if not r.passed]
    assert [r.id for r in failing] == ["no-direct-websocket-access"]
    shown = remote.document() or ""
    assert shown == outcome.report
    assert "❌ **FAIL**" in shown
    assert f"### ❌ {failing[0].title}" in shown
    assert f"- `{VIOLATING_PATH}` ❌" in shown
    assert f"{VIOLATING_PATH}" in shown.split(f"### ❌ {failing[0].title}")[1].split("\n---")[0]

    _, fourth = verify_and_commit(checkout)  # and again nothing to do
    assert not fourth.committed
    assert len(remote.commits_touching()) == 2

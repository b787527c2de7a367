"""The one git module (`pattern_verify.git`), on real repositories built with gitpython: paths
mapped for a directory inside the repository, renames, shallow clones deepened a bounded
amount, linked worktrees, git's refusals as one-line `GitError`s, and a token that never shows
on a command line or in a message."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import git
import pytest
from conftest import commit_all, init_repo, write_files

from pattern_verify import git as pv_git
from pattern_verify.errors import GitError


def run_git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def shallow_clone(source: Path, destination: Path, *, branch: str = "main") -> git.Repo:
    """A clone of depth 1 through file:// (a plain path would ignore --depth)."""
    run_git(
        source.parent,
        "clone",
        "-q",
        "--depth",
        "1",
        "--branch",
        branch,
        source.as_uri(),
        str(destination),
    )
    repo = git.Repo(destination)
    assert repo.git.rev_parse("--is-shallow-repository") == "true"
    return repo


# --- paths: the repository's top and a directory inside it --------------------------------


def test_a_subdirectory_lists_its_own_files_with_paths_relative_to_it(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    init_repo(
        root,
        {
            "services/api/app.py": "x = 1\n",
            "services/api/pkg/mod.py": "y = 2\n",
            "services/apiary/other.py": "z = 3\n",  # shares the prefix's spelling, not its dir
            "README.md": "top\n",
            ".gitignore": "*.log\n",
        },
    )
    write_files(root, {"services/api/new.py": "n = 0\n", "services/api/debug.log": "noise\n"})
    repo = pv_git.find(root / "services" / "api")
    assert repo is not None and repo.top == root

    assert repo.prefix(root / "services" / "api") == "services/api"
    assert repo.prefix(root) == "."
    listing = repo.list_files(root / "services" / "api")
    assert listing.paths == ["app.py", "new.py", "pkg/mod.py"]
    assert listing.untracked == ["new.py"]
    assert listing.unsure == []
    top_paths = repo.list_files(root).paths
    assert "services/apiary/other.py" in top_paths and "services/api/debug.log" not in top_paths


def test_uncommitted_changes_are_seen_whether_or_not_untracked_files_were_listed(
    tmp_path: Path,
) -> None:
    # a caller that listed the files says whether there are untracked ones (git then does not
    # walk the tree for them again); without it git looks for them itself: the same answers
    root = tmp_path / "repo"
    init_repo(root, {"services/api/app.py": "x = 1\n", "README.md": "top\n"})
    api = root / "services" / "api"
    repo = pv_git.find(api)
    assert repo is not None

    def uncommitted(untracked: bool | None) -> bool:
        return repo.describe(api, None, untracked=untracked).head.uncommitted

    assert (uncommitted(None), uncommitted(False)) == (False, False)
    write_files(root, {"README.md": "changed\n", "notes.txt": "outside the directory\n"})
    assert (uncommitted(None), uncommitted(False)) == (False, False)
    write_files(root, {"services/api/new.py": "n = 0\n"})
    assert (uncommitted(None), uncommitted(True)) == (True, True)
    (api / "new.py").unlink()
    write_files(root, {"services/api/app.py": "x = 2\n"})
    assert (uncommitted(None), uncommitted(False)) == (True, True)
    git.Repo(root).index.add(["services/api/app.py"])  # staged only
    assert (uncommitted(None), uncommitted(False)) == (True, True)


def test_tracked_changes_are_every_tracked_path_that_differs_from_the_head(
    tmp_path: Path,
) -> None:
    root = tmp_path / "repo"
    files = {f"services/api/{name}.py": f"{name} = 1\n" for name in ("a", "b", "c", "d", "e")}
    repo = init_repo(root, {**files, "README.md": "top\n"})
    api = root / "services" / "api"
    found = pv_git.find(api)
    assert found is not None
    assert found.tracked_changes(api) == set()
    write_files(root, {"services/api/a.py": "a = 2\n", "README.md": "changed\n"})  # unstaged
    write_files(root, {"services/api/b.py": "b = 2\n"})
    repo.index.add(["services/api/b.py"])  # staged
    repo.git.mv("services/api/c.py", "services/api/renamed.py")  # a staged rename: both
    (api / "d.py").unlink()  # deleted
    write_files(root, {"services/api/new.py": "n = 1\n"})  # untracked: not a tracked change
    assert found.tracked_changes(api) == {"a.py", "b.py", "c.py", "renamed.py", "d.py"}
    assert "README.md" in found.tracked_changes(root)


def test_outside_a_repository_there_is_no_repository(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    assert pv_git.find(tmp_path / "plain") is None
    assert pv_git.top_level(tmp_path / "plain") is None
    assert pv_git.git_dir(tmp_path / "plain") is None


def test_a_directory_outside_the_repository_is_a_git_error(tmp_path: Path) -> None:
    init_repo(tmp_path / "repo", {"a.py": "a = 1\n"})
    repo = pv_git.find(tmp_path / "repo")
    assert repo is not None
    with pytest.raises(GitError, match="is not inside the repository"):
        repo.prefix(tmp_path)


# --- changed files, renames, base blobs ---------------------------------------------------


@pytest.fixture
def renamed(tmp_path: Path) -> tuple[git.Repo, Path, str]:
    """main, then a branch that renames, edits, deletes and adds under `svc/`, and renames a
    file across `svc/`'s edge both ways."""
    root = tmp_path / "repo"
    gateway = "class Gateway:\n" + "".join(f"    def handler_{i}(self): ...\n" for i in range(20))
    repo = init_repo(
        root,
        {
            "svc/gateway.py": gateway,
            "svc/edited.py": "a = 1\n",
            "svc/gone.py": "gone = True\n",
            "svc/leaving.py": "leaving = True\n" * 10,
            "lib/arriving.py": "arriving = True\n" * 10,
            "lib/untouched.py": "u = 1\n",
        },
    )
    base = repo.head.commit.hexsha
    repo.git.checkout("-q", "-b", "feature")
    (root / "svc" / "ws").mkdir()
    for old, new in [
        ("svc/gateway.py", "svc/ws/gateway.py"),
        ("svc/leaving.py", "lib/leaving.py"),
        ("lib/arriving.py", "svc/arriving.py"),
    ]:
        (root / old).rename(root / new)
    write_files(
        root,
        {
            "svc/ws/gateway.py": gateway + "    def one_more(self): ...\n",
            "svc/edited.py": "a = 2\n",
            "svc/gone.py": None,
            "svc/added.py": "added = True\n",
        },
    )
    commit_all(repo, "reshape")
    return repo, root, base


def test_changes_follow_renames_and_map_paths_to_the_directory(
    renamed: tuple[git.Repo, Path, str],
) -> None:
    repo, root, base = renamed
    found = pv_git.find(root)
    assert found is not None
    changes = found.changes(root / "svc", base, repo.head.commit.hexsha)
    assert sorted(changes, key=lambda c: (c.old or "", c.new or "")) == [
        pv_git.Change(old=None, new="added.py"),
        pv_git.Change(old=None, new="arriving.py"),  # renamed in from lib/: new here
        pv_git.Change(old="edited.py", new="edited.py"),
        pv_git.Change(old="gateway.py", new="ws/gateway.py"),  # renamed and edited
        pv_git.Change(old="gone.py", new=None),
        pv_git.Change(old="leaving.py", new=None),  # renamed out to lib/: gone from here
    ]
    at_top = found.changes(root, base, repo.head.commit.hexsha)
    assert pv_git.Change(old="svc/leaving.py", new="lib/leaving.py") in at_top
    assert pv_git.Change(old="lib/arriving.py", new="svc/arriving.py") in at_top
    assert not any("untouched" in (c.old or "") + (c.new or "") for c in at_top)


def test_changes_against_the_working_tree(renamed: tuple[git.Repo, Path, str]) -> None:
    repo, root, _ = renamed
    write_files(root, {"svc/edited.py": "a = 3\n"})
    found = pv_git.find(root)
    assert found is not None
    assert found.changes(root / "svc", repo.head.commit.hexsha) == [
        pv_git.Change(old="edited.py", new="edited.py")
    ]


def test_base_blobs_are_read_in_one_batch_and_missing_files_are_none(
    renamed: tuple[git.Repo, Path, str],
) -> None:
    _, root, base = renamed
    found = pv_git.find(root)
    assert found is not None
    blobs = found.blobs(root / "svc", base, ["gateway.py", "edited.py", "added.py", "ws"])
    assert blobs[0] is not None and blobs[0].startswith(b"class Gateway:\n")
    assert blobs[1] == b"a = 1\n"
    assert blobs[2] is None  # did not exist at the base
    assert blobs[3] is None  # not a file there
    assert found.blobs(root, base, []) == []


def test_a_file_name_with_a_newline_is_read_too(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    repo = init_repo(root, {"odd\nname.py": "odd = 1\n", "plain.py": "p = 1\n"})
    found = pv_git.find(root)
    assert found is not None
    sha = repo.head.commit.hexsha
    assert found.blobs(root, sha, ["odd\nname.py", "plain.py"]) == [b"odd = 1\n", b"p = 1\n"]


def test_text_at_and_export_read_a_commit_not_the_working_tree(
    renamed: tuple[git.Repo, Path, str], tmp_path: Path
) -> None:
    _, root, base = renamed
    found = pv_git.find(root)
    assert found is not None
    assert found.text_at(base, root / "svc" / "edited.py") == "a = 1\n"
    assert found.text_at(base, root / "svc" / "added.py") is None
    assert found.text_at(base, tmp_path / "elsewhere.py") is None
    out = tmp_path / "exported"
    found.export(base, root / "svc", "gateway.py", out)
    found.export(base, root, "lib", out)
    found.export(base, root, "no/such/path", out)
    assert (out / "gateway.py").read_text().startswith("class Gateway:")
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.py")) == [
        "gateway.py",
        "lib/arriving.py",
        "lib/untouched.py",
    ]


# --- merge-base, shallow clones, linked worktrees -----------------------------------------


def long_history(root: Path, commits: int) -> git.Repo:
    """A repository whose `main` has `commits` commits, written by one `git fast-import`."""
    repo = init_repo(root)
    stream = ""
    for i in range(commits):
        content = f"h = {i}\n"
        stream += (
            f"commit refs/heads/main\ncommitter A <a@example.invalid> {1_700_000_000 + i} +0000\n"
            f"data 2\nh\nM 644 inline history.py\ndata {len(content)}\n{content}\n"
        )
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=stream, text=True, check=True)
    repo.git.reset("-q", "--hard", "main")
    return repo


@pytest.fixture
def diverged(tmp_path: Path) -> tuple[Path, str]:
    """A repository of 600 commits whose `feature` branch is 60 commits past its merge-base
    with `main` (beyond the first deepening step of 50, well within the second), and `main` 3
    commits past it."""
    origin = tmp_path / "origin"
    repo = long_history(origin, 600)
    fork = repo.head.commit.hexsha
    repo.git.checkout("-q", "-b", "feature")
    for i in range(60):
        write_files(origin, {"feature.py": f"f = {i}\n"})
        commit_all(repo, f"feature {i}")
    repo.git.checkout("-q", "main")
    for i in range(3):
        write_files(origin, {"main.py": f"m = {i}\n"})
        commit_all(repo, f"main {i}")
    return origin, fork


def test_a_shallow_clone_is_deepened_only_as_far_as_needed(
    diverged: tuple[Path, str], tmp_path: Path
) -> None:
    origin, fork = diverged
    clone = shallow_clone(origin, tmp_path / "clone", branch="feature")
    found = pv_git.find(tmp_path / "clone")
    assert found is not None and found.is_shallow()
    head = found.head_sha()
    assert head is not None

    merge = found.merge_base("main", head)  # `main` is not even fetched yet

    assert merge.merge_base.sha == fork
    assert merge.base.sha == git.Repo(origin).commit("main").hexsha
    assert merge.merge_base.date == "2023-11-14" and merge.merge_base.short_sha == fork[:7]
    # bounded: deepened (50, then 500), never unshallowed: the oldest history is not fetched
    assert found.is_shallow()
    assert 61 < int(clone.git.rev_list("--count", "HEAD")) < 600 + 60


def test_a_shallow_clone_that_cannot_reach_the_merge_base_says_so_in_one_line(
    tmp_path: Path,
) -> None:
    origin = tmp_path / "origin"
    init_repo(origin, {"app.py": "v = 0\n"})
    clone = shallow_clone(origin, tmp_path / "clone")
    # unrelated history: no deepening finds a merge-base, and a shallow clone says so
    orphan = tmp_path / "orphan"
    init_repo(orphan, {"other.py": "o = 1\n"})
    clone.git.fetch("-q", "--depth=1", orphan.as_uri(), "main:refs/heads/orphan")
    found = pv_git.find(tmp_path / "clone")
    assert found is not None
    head = found.head_sha()
    assert head is not None
    with pytest.raises(GitError) as raised:
        found.merge_base("orphan", head)
    message = str(raised.value)
    assert "\n" not in message
    assert "no common history" in message or "fetch-depth: 0" in message


def test_an_unknown_base_ref_is_a_git_error(tmp_path: Path) -> None:
    init_repo(tmp_path / "repo", {"a.py": "a = 1\n"})
    found = pv_git.find(tmp_path / "repo")
    assert found is not None
    head = found.head_sha()
    assert head is not None
    with pytest.raises(GitError, match="unknown base ref `nope`: no such branch, tag or commit"):
        found.merge_base("nope", head)
    assert found.resolve("nope") is None
    assert found.resolve("HEAD") == head


def test_a_linked_worktree_of_a_shallow_clone_is_shallow_too(
    diverged: tuple[Path, str], tmp_path: Path
) -> None:
    """A linked worktree's git dir (`.git/worktrees/<name>`) holds no `shallow` file: the
    check asks git, so a worktree of a shallow clone is known to be one."""
    origin, fork = diverged
    clone = shallow_clone(origin, tmp_path / "clone", branch="feature")
    linked = tmp_path / "linked"
    clone.git.worktree("add", "-q", "--detach", str(linked), "HEAD")
    found = pv_git.find(linked)
    assert found is not None
    assert found.top == linked
    assert found.git_dir == tmp_path / "clone" / ".git" / "worktrees" / "linked"
    assert not (found.git_dir / "shallow").exists()  # what a file-based check would read
    assert found.is_shallow()
    assert pv_git.git_dir(linked) == found.git_dir
    assert pv_git.top_level(linked) == linked

    head = found.head_sha()
    assert head is not None
    assert found.merge_base("main", head).merge_base.sha == fork


def test_fetching_the_branch_from_a_linked_worktree_of_a_shallow_clone_stays_shallow(
    tmp_path: Path,
) -> None:
    origin = tmp_path / "origin"
    repo = init_repo(origin, {"app.py": "v = 0\n"})
    for i in range(10):
        write_files(origin, {"app.py": f"v = {i + 1}\n"})
        commit_all(repo, f"v{i + 1}")
    clone = shallow_clone(origin, tmp_path / "clone")
    linked = tmp_path / "linked"
    clone.git.worktree("add", "-q", "--detach", str(linked), "HEAD")
    # the branch moves on by one commit on top of a deep history the clone lacks
    write_files(origin, {"app.py": "v = 99\n"})
    tip = commit_all(repo, "moved").hexsha
    found = pv_git.find(linked)
    assert found is not None

    fetched = pv_git.Remote(found, origin.as_uri(), None).fetch("main")

    assert fetched == tip
    # fetched at depth 1: the tip is a shallow boundary, its history was not pulled in
    assert run_git(linked, "rev-list", "--count", tip) == "1"
    assert tip in (tmp_path / "clone" / ".git" / "shallow").read_text()


# --- git refusing -------------------------------------------------------------------------


def test_a_corrupt_index_is_one_git_error_line(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    init_repo(root, {"a.py": "a = 1\n"})
    (root / ".git" / "index").write_bytes(b"DIRC not an index at all" * 4)
    found = pv_git.find(root)
    assert found is not None
    with pytest.raises(GitError) as raised:
        found.list_files(root)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("`git ls-files --cached` failed: ")
    assert message.endswith("index file corrupt")
    with pytest.raises(GitError, match="index file corrupt"):
        found.changes(root, "HEAD")


def test_an_unreadable_object_is_one_git_error_line(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    repo = init_repo(root, {"a.py": "a = 1\n"})
    first = repo.head.commit.hexsha
    write_files(root, {"a.py": "a = 2\n"})
    commit_all(repo, "second")
    tree = repo.commit(first).tree.hexsha
    loose = root / ".git" / "objects" / tree[:2] / tree[2:]
    loose.chmod(0o644)
    loose.write_bytes(b"garbage")
    found = pv_git.find(root)
    assert found is not None
    with pytest.raises(GitError) as raised:
        found.changes(root, first, "HEAD")
    assert "\n" not in str(raised.value)
    assert str(raised.value).startswith("`git diff --name-status` failed: ")


# --- the head worktree and safe.directory -------------------------------------------------


def test_the_head_tree_is_a_temporary_worktree_removed_afterwards(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    repo = init_repo(root, {"a.py": "a = 1\n"})
    first = repo.head.commit.hexsha
    write_files(root, {"a.py": "a = 2\n"})
    commit_all(repo, "second")

    with pv_git.head_tree(root, repo.head.commit.hexsha, None) as same:
        assert same == root  # the checkout is the head already
    with pv_git.head_tree(root, first, None) as tree:
        assert tree != root
        assert (tree / "a.py").read_text() == "a = 1\n"
    assert not tree.exists()
    assert run_git(root, "worktree", "list", "--porcelain").count("worktree ") == 1
    assert (root / "a.py").read_text() == "a = 2\n"  # the workspace is untouched
    missing = pytest.raises(GitError, match="is not in the checkout and could not be fetched")
    with missing, pv_git.head_tree(root, "0" * 40, None):
        pass


def test_safe_directory_is_added_once_to_the_global_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "gitconfig"
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    pv_git.mark_safe_directory(workspace)
    pv_git.mark_safe_directory(workspace)
    entries = run_git(tmp_path, "config", "--global", "--get-all", "safe.directory").splitlines()
    assert entries == [str(workspace.resolve())]


def test_without_a_git_executable_a_tree_is_no_repository(tmp_path: Path) -> None:
    """GitPython refuses to load without git; the module still loads, and a run without
    history goes on (only what needs git says so)."""
    init_repo(tmp_path / "repo", {"a.py": "a = 1\n"})
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_PYTHON")}
    env["PATH"] = str(tmp_path / "no-git-here")
    script = (
        "import sys\nfrom pathlib import Path\nfrom pattern_verify import git\n"
        "from pattern_verify.errors import GitError\n"
        "print(git.find(Path(sys.argv[1])), git.top_level(Path(sys.argv[1])))\n"
        "try:\n    git.head_tree(Path(sys.argv[1]), 'a' * 40, 1).__enter__()\n"
        "except GitError as exc:\n    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "repo")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["None None", pv_git.NOT_INSTALLED]


# --- the token ----------------------------------------------------------------------------


class _Refuser(BaseHTTPRequestHandler):
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
def http_remote() -> Iterator[tuple[str, list[list[str]]]]:
    seen: list[list[str]] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Refuser", (_Refuser,), {"seen": seen}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/o/r.git", seen
    finally:
        server.shutdown()
        server.server_close()


def test_the_token_is_a_header_never_an_argument_nor_in_any_output(
    tmp_path: Path,
    http_remote: tuple[str, list[list[str]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, seen = http_remote
    token = "ghs_TOKENnever1234567890"
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    root = tmp_path / "repo"
    repo = init_repo(root, {"a.py": "a = 1\n"})
    trace = tmp_path / "trace.txt"
    # every git process started (push, its remote helper, fetch) logs its argv here
    monkeypatch.setenv("GIT_TRACE", str(trace))
    found = pv_git.find(root)
    assert found is not None
    remote = pv_git.Remote(found, url, token)

    error = remote.push(repo.head.commit.hexsha, "main")
    with pytest.raises(GitError) as fetch_failed:
        remote.fetch("main")

    assert seen and all(headers == [f"basic {basic}"] for headers in seen)
    assert error is not None and not error.moved and "403" in error.reason
    traced = trace.read_text()
    assert "push --porcelain" in traced and "remote-http" in traced  # the trace saw them
    for secret in (token, basic):
        assert secret not in traced
        assert secret not in error.reason
        assert secret not in str(fetch_failed.value)
        assert secret not in repo.git.config("--list", "--show-origin")


def test_credentials_in_a_url_are_scrubbed_from_git_errors(
    tmp_path: Path, http_remote: tuple[str, list[list[str]]]
) -> None:
    url, _ = http_remote
    root = tmp_path / "repo"
    repo = init_repo(root, {"a.py": "a = 1\n"})
    found = pv_git.find(root)
    assert found is not None
    remote = pv_git.Remote(found, url.replace("://", "://user:ghp_inline@"), None)
    error = remote.push(repo.head.commit.hexsha, "main")
    assert error is not None and "ghp_inline" not in error.reason
    with pytest.raises(GitError) as raised:
        remote.fetch("main")
    assert "ghp_inline" not in str(raised.value)


# --- the runner: every git command, its errors ---------------------------------------------


def test_a_refused_command_is_one_line_naming_it_with_credentials_scrubbed(
    tmp_path: Path,
) -> None:
    root = tmp_path / "repo"
    init_repo(root, {"a.py": "a = 1\n"})
    found = pv_git.find(root)
    assert found is not None
    with pytest.raises(GitError) as raised:
        found.changed_between("0" * 40, "HEAD")
    message = str(raised.value)
    assert message == f"`git diff --name-only` failed: fatal: bad object {'0' * 40}"
    # a URL's credentials, in the command or in git's words, never reach the message
    done = pv_git._run(root, "ls-remote", "http://user:ghp_inline@127.0.0.1:9/none.git")
    assert done.status != 0
    refused = str(done.refused())
    assert refused.startswith("`git ls-remote http://***@127.0.0.1:9/none.git` failed: ")
    assert "ghp_inline" not in refused and "\n" not in refused


def test_git_runs_in_english_whatever_the_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The messages quoted and the answers parsed are git's English ones (as GitPython ran it)."""
    monkeypatch.setenv("LANGUAGE", "de")
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    (tmp_path / "plain").mkdir()
    done = pv_git._run(tmp_path / "plain", "rev-parse", "--show-toplevel")
    assert done.status != 0 and "not a git repository" in done.err


def _path_without_git(tmp_path: Path) -> str:
    """A PATH holding semgrep (a run scans before it needs history) and no git."""
    bin_dir = tmp_path / "bin-without-git"
    bin_dir.mkdir()
    semgrep = shutil.which("semgrep")
    assert semgrep is not None
    (bin_dir / "semgrep").symlink_to(semgrep)
    return str(bin_dir)


def test_without_git_a_pull_request_run_says_git_is_not_installed_exit_2(
    tmp_path: Path,
) -> None:
    root = tmp_path / "repo"
    init_repo(root, {"app.py": "x = 1\n"})
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_PYTHON")}
    env["PATH"] = _path_without_git(tmp_path)
    for option in ("--base", "--head"):
        done = subprocess.run(
            [sys.executable, "-m", "pattern_verify", "run", str(root), option, "main"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip().splitlines() == [
            f"pattern-verify: error: {pv_git.NOT_INSTALLED}"
        ]


# --- finding the repository ----------------------------------------------------------------


def test_a_repository_is_found_from_a_subdirectory_or_a_file_in_it(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    init_repo(root, {"services/api/app.py": "x = 1\n"})
    for where in (root, root / "services" / "api", root / "services" / "api" / "app.py"):
        found = pv_git.find(where)
        assert found is not None, where
        assert found.top == root and found.git_dir == root / ".git"
    assert pv_git.find(root / "no" / "such" / "directory") is None
    # git's own directory holds no working tree to verify
    assert pv_git.find(root / ".git" / "objects") is None


def test_an_empty_repository_has_no_head_and_a_detached_head_no_branch(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    init_repo(root)
    found = pv_git.find(root)
    assert found is not None
    assert found.head_sha() is None and found.resolve("HEAD") is None
    assert found.describe(root, None).head.sha is None
    write_files(root, {"a.py": "a = 1\n"})
    commit_all(git.Repo(root), "first")
    head = found.head_sha()
    assert head is not None
    described = found.describe(root, None).head
    assert described is not None and described.ref == "main" and described.sha == head
    assert described.date == "2025-01-15"  # the committer's date, in UTC
    run_git(root, "checkout", "-q", "--detach")
    detached = found.describe(root, None).head
    assert detached is not None and detached.ref is None and detached.sha == head


def test_a_bare_repository_has_no_working_tree(tmp_path: Path) -> None:
    source = tmp_path / "source"
    init_repo(source, {"a.py": "a = 1\n"})
    bare = tmp_path / "bare.git"
    run_git(tmp_path, "clone", "-q", "--bare", str(source), str(bare))
    found = pv_git.find(bare)
    assert found is not None
    assert found.top is None and found.git_dir == bare
    assert found.head_sha() == git.Repo(source).head.commit.hexsha
    assert found.blob("HEAD", "a.py") == b"a = 1\n"
    with pytest.raises(GitError, match="a bare repository has no working tree"):
        found.prefix(bare)


def test_the_web_url_is_origin_s(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    init_repo(root, {"a.py": "a = 1\n"})
    found = pv_git.find(root)
    assert found is not None
    assert found.describe(root, None).url is None
    run_git(root, "remote", "add", "upstream", "https://example.invalid/up/stream.git")
    run_git(root, "remote", "add", "origin", "git@github.com:owner/name.git")
    found = pv_git.find(root)  # the config is read once per repository found
    assert found is not None
    assert found.describe(root, None).url == "https://github.com/owner/name"
    assert found.describe(root, "https://given.example/x").url == "https://given.example/x"


# --- reading objects: one cat-file per repository -------------------------------------------


def test_objects_are_read_by_one_cat_file_whatever_their_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    binary = bytes(range(256)) * 4 + b"\r\n\0\n"
    large = b"".join(b"line %07d of a large file\n" % i for i in range(200_000))  # ~5 MB
    repo = init_repo(root, {"bin.dat": binary, "large.txt": large.decode(), "a.py": "a\n"})
    (root / "link.py").symlink_to("a.py")
    commit_all(repo, "a link")
    head = repo.head.commit.hexsha
    trace = tmp_path / "trace.txt"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    found = pv_git.find(root)
    assert found is not None

    assert found.blobs(root, head, ["bin.dat", "large.txt", "missing.py", "a.py"]) == [
        binary,
        large,
        None,
        b"a\n",
    ]
    assert found.blob(head, "link.py") == b"a.py"  # a link's bytes are its target, as stored
    assert found.blob(head, "nope/a.py") is None
    assert found.blob("0" * 40, "a.py") is None  # no such commit
    assert found.resolve("0" * 40) is None
    assert found.resolve(found.tree_ids(root, [head])[0] or "") is None  # a tree, no commit
    assert found.text_at(head, root / "bin.dat") is None  # not text
    found.close()
    assert found.blob(head, "a.py") == b"a\n"  # started again after close
    found.close()

    started = [line for line in trace.read_text().splitlines() if "cat-file" in line]
    assert len([line for line in started if "built-in: git cat-file --batch" in line]) == 2


def test_a_submodule_is_no_file(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    repo = init_repo(root, {"lib/a.py": "a = 1\n"})
    gitlink = repo.head.commit.hexsha  # any commit id: the submodule's own is not fetched
    run_git(root, "update-index", "--add", "--cacheinfo", f"160000,{gitlink},lib/sub")
    run_git(root, "commit", "-q", "-m", "a submodule")
    found = pv_git.find(root)
    assert found is not None
    head = found.head_sha()
    assert head is not None
    assert found.blob(head, "lib/sub") is None
    found.export(head, root, "lib", tmp_path / "out")
    assert sorted(
        p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*")
    ) == [
        "lib",
        "lib/a.py",
    ]


def test_git_ending_on_a_corrupt_object_is_one_git_error_line(tmp_path: Path) -> None:
    """A tree on the path that git cannot read ends `cat-file`: said in one line, with git's
    last words; the next read starts it again."""
    root = tmp_path / "repo"
    repo = init_repo(root, {"svc/a.py": "a = 1\n", "b.py": "b = 1\n"})
    tree = repo.head.commit.tree["svc"].hexsha
    loose = root / ".git" / "objects" / tree[:2] / tree[2:]
    loose.chmod(0o644)
    loose.write_bytes(b"garbage")
    found = pv_git.find(root)
    assert found is not None
    with pytest.raises(GitError) as raised:
        found.blobs(root, "HEAD", ["b.py", "svc/a.py"])
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(
        "could not read the base versions of the changed files: "
        "`git cat-file --batch` failed: fatal: loose object"
    )
    assert message.endswith("is corrupt")
    assert found.blob("HEAD", "b.py") == b"b = 1\n"


# --- a run reads with git itself: GitPython is not imported ----------------------------------


def test_a_pull_request_run_does_not_import_gitpython(tmp_path: Path) -> None:
    """GitPython is for writing the document commit only: a run that reads (the listing, the
    merge-base, the base versions) never imports it (0.035 s of CPU and two `git version`
    processes a run)."""
    root = tmp_path / "repo"
    mini_pack = Path(__file__).resolve().parent / "fixtures" / "mini-pack"
    repo = init_repo(
        root,
        {
            ".github/pattern-verify.yml": f"pack: {mini_pack}\n",
            "app/clean.py": "def clean():\n    return 1\n",
        },
    )
    repo.git.checkout("-q", "-b", "feature")
    write_files(root, {"app/clean.py": 'def clean():\n    print("new")\n'})
    commit_all(repo, "feature")
    script = (
        "import sys\nfrom pattern_verify.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('git', 'gitdb')))\n"
    )
    args = ["run", str(root), "--base", "main", "--output-dir", str(tmp_path / "out"), "--quiet"]
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "1 []"
    results = (tmp_path / "out" / "results.json").read_text()
    assert '"base_ref": "main"' in results

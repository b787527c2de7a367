"""Keep the verification document committed in the repository (e.g. `docs/...`).

On a push to the default branch (and on `workflow_dispatch` when asked) the action regenerates
the document, and this module commits it when, and only when, the verdict or the evidence
changed. The report is deterministic (no wall-clock time: the head commit's date and SHA), and
that revision stamp is the one part that changes on every push, so the comparison with the
committed document leaves it out (`substance`): a push that changes neither verdict nor evidence
makes no commit, and the committed document keeps naming the commit it last changed at.

Never on pull requests: pushes made with the workflow's `GITHUB_TOKEN` start no new workflow
runs, so a commit added to the PR branch would become the PR head without any checks having run
on it, and required checks would stay pending until someone pushed again. On pull requests the
document is written to the workspace and shown in the comment and job summary, never committed.

The commit holds the document only: its tree is the HEAD tree with that one blob replaced (other
staged or modified files are left alone), committed on top of HEAD, attached or detached, and
pushed as `<sha>:refs/heads/<branch>`. The token travels as an HTTP extra header given to git
through the environment (`GIT_CONFIG_*`), never in a URL, the command line, the repository's
config or any message. A push rejected because the branch moved is fetched, re-applied on top
of the new tip and retried once; after that the run gives up with a warning.
"""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePosixPath

# gitdb (gitpython's object store) ships no type information: the ignore goes once pyproject's
# mypy overrides list `gitdb.*` beside `git.*`.
import git
from git.objects.fun import tree_entries_from_data, tree_to_stream
from gitdb.base import IStream

from pattern_verify.errors import GitError
from pattern_verify.publish.files import report_destination, write_text

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"

_FILE_MODE = 0o100644
_EXECUTABLE_MODE = 0o100755
_TREE_MODE = 0o040000
# `! [rejected] ... (fetch first)` / `(non-fast-forward)`: the branch moved under us. A
# `[remote rejected]` (protected branch, hook) is final and is not retried.
_MOVED = re.compile(r"\[rejected\]|\(fetch first\)|\(non-fast-forward\)")
# The revision stamp of the bundled report template: its date/commit lines and full SHAs (commit
# and line links). A user template that prints the SHA elsewhere makes a commit per push, no worse.
_STAMP_LINE = re.compile(r"^\*\*(?:Date|Commit|Last Updated):\*\*.*$", re.MULTILINE)
_FULL_SHA = re.compile(r"\b[0-9a-f]{40}\b")
_URL_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]+@")


@dataclass(frozen=True)
class CommitResult:
    """What happened to the document; `message` is one line for the log.

    `warning` is true when the document could not be kept in the repository as asked (the path
    is ignored, the push failed): the caller shows `message` as a warning.
    """

    committed: bool
    pushed: bool
    sha: str | None
    message: str
    warning: bool = False


def commit_message(title: str, status: str) -> str:
    """`docs: update websocket pattern verification (pass)` for the default pack."""
    return f"docs: update {title.strip().lower()} ({status})"


def substance(document: bytes | str) -> str:
    """The document without its revision stamp: what decides whether it changed."""
    text = document.decode("utf-8", "replace") if isinstance(document, bytes) else document
    return _FULL_SHA.sub("<sha>", _STAMP_LINE.sub("", text))


def _unchanged(committed: bytes | None, text: str) -> bool:
    return committed is not None and substance(committed) == substance(text)


def commit_report(
    workspace: Path,
    report_path: str,
    text: str,
    *,
    status: str,
    title: str = "pattern verification",
    token: str | None,
    server_url: str,
    repository: str,
    branch: str,
    author_name: str = BOT_NAME,
    author_email: str = BOT_EMAIL,
    remote_url: str | None = None,
) -> CommitResult:
    """Write `text` to `report_path` in `workspace`; commit and push it when it changed.

    Raises UsageError (exit 2) for a path outside the workspace and GitError when `workspace`
    is not a git working tree; a failed push is a warning in the result, not an exception.
    """
    destination = report_destination(workspace, report_path)
    repo = _open(workspace)
    top = Path(str(repo.working_tree_dir)).resolve()
    rel = destination.relative_to(top).as_posix()
    data = text.encode("utf-8")
    write_text(destination, text)

    if repo.ignored(rel):
        return CommitResult(
            committed=False,
            pushed=False,
            sha=None,
            message=f"{rel} is ignored by .gitignore: written to the workspace, not committed "
            "(remove it from .gitignore to keep it in the repository)",
            warning=True,
        )
    head = _head_commit(repo)
    if head is not None and _unchanged(_blob_bytes(head, rel), text):
        return CommitResult(
            committed=False,
            pushed=False,
            sha=None,
            message=f"{rel} is up to date at {head.hexsha[:7]} (same verdict and evidence): "
            "nothing to commit",
        )

    actor = git.Actor(author_name, author_email)
    message = commit_message(title, status)
    commit = _commit_file(repo, head, rel, data, message, actor)
    url = remote_url or f"{server_url.rstrip('/')}/{repository}.git"
    pusher = _Remote(repo, url, token)

    error = pusher.push(commit.hexsha, branch)
    if error is None:
        return CommitResult(
            committed=True,
            pushed=True,
            sha=commit.hexsha,
            message=f"committed {rel} as {commit.hexsha[:7]} and pushed to {branch}: {message}",
        )
    if not error.moved:
        return _push_failed(commit, rel, branch, error.reason)

    # The branch moved since the checkout: put the document on top of its new tip, once.
    try:
        tip = pusher.fetch(branch)
    except git.GitCommandError as exc:
        reason = pusher.scrub(_reason("", _output(exc.stderr)))
        return _push_failed(commit, rel, branch, f"it moved and fetching it failed: {reason}")
    if _unchanged(_blob_bytes(tip, rel), text):
        _move_onto(repo, tip, branch)
        write_text(destination, text)
        return CommitResult(
            committed=False,
            pushed=False,
            sha=None,
            message=f"{rel} is already up to date on {branch} at {tip.hexsha[:7]} "
            "(the branch moved meanwhile): nothing to commit",
        )
    beyond = _changed_beyond_documents(repo, head, tip, rel)
    if beyond:
        # the verdict was reached on HEAD; at the new tip it may not hold, and the push that
        # moved the branch runs the updater for that commit
        return CommitResult(
            committed=True,
            pushed=False,
            sha=commit.hexsha,
            message=f"{branch} moved on to {tip.hexsha[:7]}, which changes {beyond}: this "
            f"document of {head.hexsha[:7] if head else 'HEAD'} is not pushed on top of it; "
            "the run for that commit updates it",
        )
    if not _move_onto(repo, tip, branch):
        return _push_failed(commit, rel, branch, "it moved and the checkout cannot follow it")
    write_text(destination, text)
    commit = _commit_file(repo, tip, rel, data, message, actor)
    error = pusher.push(commit.hexsha, branch)
    if error is None:
        return CommitResult(
            committed=True,
            pushed=True,
            sha=commit.hexsha,
            message=f"committed {rel} as {commit.hexsha[:7]} and pushed to {branch} on top of "
            f"{tip.hexsha[:7]} (the branch had moved; retried once): {message}",
        )
    reason = "the branch moved again after one retry" if error.moved else error.reason
    return _push_failed(commit, rel, branch, reason)


# what a document commit, or a README edit, changes; none of it is verified code
DOCUMENT_SUFFIXES = (".md", ".markdown", ".rst", ".txt")


def _changed_beyond_documents(
    repo: git.Repo, head: git.Commit | None, tip: git.Commit, rel: str
) -> str:
    """What, besides documents, differs between HEAD and the branch's new tip ("" if nothing):
    the trees compared, so a shallow clone needs no history between them."""
    if head is None:
        return ""
    changed = [
        p for p in repo.git.diff("--name-only", "-z", head.hexsha, tip.hexsha).split("\0") if p
    ]
    others = sorted(p for p in changed if p != rel and not p.lower().endswith(DOCUMENT_SUFFIXES))
    if not others:
        return ""
    more = f" and {len(others) - 1} more file(s)" if len(others) > 1 else ""
    return f"{others[0]}{more}"


def _push_failed(commit: git.Commit, rel: str, branch: str, reason: str) -> CommitResult:
    return CommitResult(
        committed=True,
        pushed=False,
        sha=commit.hexsha,
        message=f"could not push {rel} to {branch}: {reason}; the commit "
        f"{commit.hexsha[:7]} stays local and the job summary holds the document",
        warning=True,
    )


def _open(workspace: Path) -> git.Repo:
    try:
        repo = git.Repo(workspace, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise GitError(f"{workspace}: not a git working tree, cannot commit the report") from exc
    if repo.bare or repo.working_tree_dir is None:
        raise GitError(f"{workspace}: a bare repository has no working tree to commit from")
    return repo


def _head_commit(repo: git.Repo) -> git.Commit | None:
    try:
        return repo.head.commit
    except ValueError:  # no commit yet
        return None


def _blob_bytes(commit: git.Commit, rel: str) -> bytes | None:
    try:
        item = commit.tree / rel
    except KeyError:
        return None
    if item.type != "blob":
        return None
    data: bytes = item.data_stream.read()
    return data


def _store(repo: git.Repo, kind: bytes, data: bytes) -> bytes:
    stream = repo.odb.store(IStream(kind, len(data), BytesIO(data)))
    binsha: bytes = stream.binsha
    return binsha


def _tree_with(
    repo: git.Repo, tree_sha: bytes | None, parts: tuple[str, ...], blob: bytes
) -> bytes:
    """The sha of `tree_sha` with the blob at `parts` set; only the trees on the path are
    rewritten, so the cost is the path's depth, not the repository's size."""
    entries: list[tuple[bytes, int, str]] = []
    if tree_sha is not None:
        entries = list(tree_entries_from_data(repo.odb.stream(tree_sha).read()))
    name = parts[0]
    current = next((entry for entry in entries if entry[2] == name), None)
    if len(parts) == 1:
        mode = (
            _EXECUTABLE_MODE
            if current is not None and current[1] == _EXECUTABLE_MODE
            else _FILE_MODE
        )
        new = (blob, mode, name)
    else:
        subtree = current[0] if current is not None and current[1] == _TREE_MODE else None
        new = (_tree_with(repo, subtree, parts[1:], blob), _TREE_MODE, name)
    entries = [entry for entry in entries if entry[2] != name] + [new]
    # git's order: by name bytes, a tree's name compared as if it ended in "/"
    entries.sort(key=lambda e: e[2].encode("utf-8") + (b"/" if e[1] == _TREE_MODE else b""))
    buffer = BytesIO()
    tree_to_stream(entries, buffer.write)
    return _store(repo, b"tree", buffer.getvalue())


def _commit_file(
    repo: git.Repo,
    parent: git.Commit | None,
    rel: str,
    data: bytes,
    message: str,
    actor: git.Actor,
) -> git.Commit:
    """Commit `data` at `rel` on top of `parent` and move HEAD there (the branch when attached);
    the index entry of `rel` follows, every other index entry is left as it was."""
    try:
        return _write_commit(repo, parent, rel, data, message, actor)
    except (git.GitCommandError, OSError) as exc:
        raise GitError(f"cannot commit {rel} in {repo.working_tree_dir}: {exc}") from exc


def _write_commit(
    repo: git.Repo,
    parent: git.Commit | None,
    rel: str,
    data: bytes,
    message: str,
    actor: git.Actor,
) -> git.Commit:
    blob = _store(repo, b"blob", data)
    root = _tree_with(
        repo, parent.tree.binsha if parent is not None else None, PurePosixPath(rel).parts, blob
    )
    tree = git.Tree(repo, root, mode=_TREE_MODE, path="")
    commit = git.Commit.create_from_tree(
        repo,
        tree,
        message,
        parent_commits=[parent] if parent is not None else [],
        head=False,
        author=actor,
        committer=actor,
    )
    # HEAD's branch (or HEAD itself when detached; an unborn branch too), only if it still
    # points at `parent`
    expected = parent.hexsha if parent is not None else "0" * 40
    repo.git.update_ref("-m", f"commit: {message}", "HEAD", commit.hexsha, expected)
    mode = _EXECUTABLE_MODE if (tree / rel).mode == _EXECUTABLE_MODE else _FILE_MODE
    repo.git.update_index("--add", "--cacheinfo", f"{mode:o},{blob.hex()},{rel}")
    # --cacheinfo records no stat data; refreshing lets git see the file matches the entry
    # (otherwise it counts as modified, and a later `reset --keep` refuses to run)
    repo.git.update_index("-q", "--refresh", with_exceptions=False)
    return commit


def _move_onto(repo: git.Repo, tip: git.Commit, branch: str) -> bool:
    """Put HEAD, the index and the working tree on `tip`, keeping local changes.

    Like `git reset --keep`: files that differ between HEAD and `tip` are updated, other local
    modifications stay; when a locally modified file also changed upstream, only HEAD and the
    index move (`--mixed`), so nothing in the working tree is ever lost. The local `branch`
    moves when it is checked out; any other checked-out branch is left alone (HEAD detaches).
    False when even that failed: then nothing moved."""
    if not repo.head.is_detached and repo.active_branch.name != branch:
        repo.head.set_reference(repo.head.commit, logmsg="pattern-verify: detach")
    try:
        repo.git.reset("-q", "--keep", tip.hexsha)
    except git.GitCommandError:
        try:
            repo.head.reset(tip, index=True, working_tree=False)
        except git.GitCommandError:
            return False
    return True


@dataclass(frozen=True)
class _PushError:
    moved: bool  # rejected because the remote branch has commits we lack
    reason: str


def _output(formatted: str | bytes | None) -> str:
    """The raw text of GitCommandError's `stdout`/`stderr` (gitpython wraps it in a label)."""
    if isinstance(formatted, bytes):
        formatted = formatted.decode("utf-8", "replace")
    match = re.fullmatch(r"\s*std(?:out|err): '(.*)'\s*", formatted or "", re.DOTALL)
    return match.group(1) if match else (formatted or "")


def _reason(stdout: str, stderr: str) -> str:
    """git's answer in one line: the rejected ref's status, then `fatal:`/`error:`/`remote:`
    lines, without hints."""
    parts = [line.split("\t")[-1] for line in stdout.splitlines() if line.startswith("!")]
    for line in stderr.splitlines():
        line = line.strip()
        if line.startswith("error: failed to push some refs") and parts:
            continue
        if line.startswith(("fatal:", "error:", "remote:")) and line != "remote:":
            parts.append(line)
    return " / ".join(parts) or stderr.strip() or "git failed"


class _Remote:
    """Fetch and push with the token as an HTTP header that no argv, config or message holds."""

    def __init__(self, repo: git.Repo, url: str, token: str | None) -> None:
        self.repo = repo
        self.url = url
        self.secrets: tuple[str, ...] = ()
        self.env: dict[str, str] = {"GIT_TERMINAL_PROMPT": "0"}
        if token:
            basic = base64.b64encode(f"x-access-token:{token}".encode()).decode("ascii")
            self.secrets = (token, basic)
            # Scoped to the exact URL, the most specific match: it outranks the header that
            # actions/checkout persists for `https://github.com/`, and the empty value first
            # clears that one, so git sends a single Authorization header.
            key = f"http.{url}.extraheader"
            self.env.update(_config_env(((key, ""), (key, f"AUTHORIZATION: basic {basic}"))))

    def push(self, sha: str, branch: str) -> _PushError | None:
        """None when the push landed, else why not (scrubbed)."""
        try:
            self.repo.git.push("--porcelain", self.url, f"{sha}:refs/heads/{branch}", env=self.env)
        except git.GitCommandError as exc:
            stdout, stderr = _output(exc.stdout), _output(exc.stderr)
            return _PushError(
                moved=bool(_MOVED.search(stdout + stderr)),
                reason=self.scrub(_reason(stdout, stderr)),
            )
        return None

    def fetch(self, branch: str) -> git.Commit:
        args: list[str] = ["--no-tags"]
        if (Path(self.repo.git_dir) / "shallow").exists():
            args.append("--depth=1")
        self.repo.git.fetch(*args, self.url, f"refs/heads/{branch}", env=self.env)
        return self.repo.commit("FETCH_HEAD")

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return _URL_CREDENTIALS.sub("***@", text)


def _config_env(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """`GIT_CONFIG_COUNT`/`KEY_n`/`VALUE_n` for `pairs`, after any the environment already has."""
    try:
        start = int(os.environ.get("GIT_CONFIG_COUNT", "0") or "0")
    except ValueError:  # git itself rejects such a count; ours replaces it
        start = 0
    env: dict[str, str] = {"GIT_CONFIG_COUNT": str(start + len(pairs))}
    for offset, (key, value) in enumerate(pairs):
        env[f"GIT_CONFIG_KEY_{start + offset}"] = key
        env[f"GIT_CONFIG_VALUE_{start + offset}"] = value
    return env

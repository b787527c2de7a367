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

import re
from dataclasses import dataclass
from pathlib import Path

from pattern_verify import git
from pattern_verify.errors import GitError
from pattern_verify.publish.files import report_destination, write_text

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"

# The revision stamp of the bundled report template: its date/commit lines and full SHAs (commit
# and line links). A user template that prints the SHA elsewhere makes a commit per push, no worse.
_STAMP_LINE = re.compile(r"^\*\*(?:Date|Commit|Last Updated):\*\*.*$", re.MULTILINE)
_FULL_SHA = re.compile(r"\b[0-9a-f]{40}\b")


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
    remote_url: str | None = None,
) -> CommitResult:
    """Write `text` to `report_path` in `workspace`; commit and push it when it changed.

    Raises UsageError (exit 2) for a path outside the workspace and GitError when `workspace`
    is not a git working tree; a failed push is a warning in the result, not an exception.
    """
    destination = report_destination(workspace, report_path)
    repo = _open(workspace)
    top = (repo.top or workspace).resolve()
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
    head = repo.head_sha()
    if head is not None and _unchanged(repo.blob(head, rel), text):
        return CommitResult(
            committed=False,
            pushed=False,
            sha=None,
            message=f"{rel} is up to date at {head[:7]} (same verdict and evidence): "
            "nothing to commit",
        )

    author = (BOT_NAME, BOT_EMAIL)
    message = commit_message(title, status)
    commit = repo.commit_file(head, rel, data, message, author)
    url = remote_url or f"{server_url.rstrip('/')}/{repository}.git"
    pusher = git.Remote(repo, url, token)

    error = pusher.push(commit, branch)
    if error is None:
        return CommitResult(
            committed=True,
            pushed=True,
            sha=commit,
            message=f"committed {rel} as {commit[:7]} and pushed to {branch}: {message}",
        )
    if not error.moved:
        return _push_failed(commit, rel, branch, error.reason)

    # The branch moved since the checkout: put the document on top of its new tip, once.
    try:
        tip = pusher.fetch(branch)
    except GitError as exc:
        return _push_failed(commit, rel, branch, f"it moved and fetching it failed: {exc}")
    if _unchanged(repo.blob(tip, rel), text):
        repo.move_onto(tip, branch)
        write_text(destination, text)
        return CommitResult(
            committed=False,
            pushed=False,
            sha=None,
            message=f"{rel} is already up to date on {branch} at {tip[:7]} "
            "(the branch moved meanwhile): nothing to commit",
        )
    beyond = _changed_beyond_documents(repo, head, tip, rel)
    if beyond:
        # the verdict was reached on HEAD; at the new tip it may not hold, and the push that
        # moved the branch runs the updater for that commit
        return CommitResult(
            committed=True,
            pushed=False,
            sha=commit,
            message=f"{branch} moved on to {tip[:7]}, which changes {beyond}: this "
            f"document of {head[:7] if head else 'HEAD'} is not pushed on top of it; "
            "the run for that commit updates it",
        )
    if not repo.move_onto(tip, branch):
        return _push_failed(commit, rel, branch, "it moved and the checkout cannot follow it")
    write_text(destination, text)
    commit = repo.commit_file(tip, rel, data, message, author)
    error = pusher.push(commit, branch)
    if error is None:
        return CommitResult(
            committed=True,
            pushed=True,
            sha=commit,
            message=f"committed {rel} as {commit[:7]} and pushed to {branch} on top of "
            f"{tip[:7]} (the branch had moved; retried once): {message}",
        )
    reason = "the branch moved again after one retry" if error.moved else error.reason
    return _push_failed(commit, rel, branch, reason)


# what a document commit, or a README edit, changes; none of it is verified code
DOCUMENT_SUFFIXES = (".md", ".markdown", ".rst", ".txt")


def _changed_beyond_documents(repo: git.Repo, head: str | None, tip: str, rel: str) -> str:
    """What, besides documents, differs between HEAD and the branch's new tip ("" if nothing):
    the trees compared, so a shallow clone needs no history between them."""
    if head is None:
        return ""
    changed = repo.changed_between(head, tip)
    others = sorted(p for p in changed if p != rel and not p.lower().endswith(DOCUMENT_SUFFIXES))
    if not others:
        return ""
    more = f" and {len(others) - 1} more file(s)" if len(others) > 1 else ""
    return f"{others[0]}{more}"


def _push_failed(commit: str, rel: str, branch: str, reason: str) -> CommitResult:
    return CommitResult(
        committed=True,
        pushed=False,
        sha=commit,
        message=f"could not push {rel} to {branch}: {reason}; the commit "
        f"{commit[:7]} stays local and the job summary holds the document",
        warning=True,
    )


def _open(workspace: Path) -> git.Repo:
    repo = git.find(workspace)
    if repo is None:
        raise GitError(f"{workspace}: not a git working tree, cannot commit the report")
    if repo.top is None:
        raise GitError(f"{workspace}: a bare repository has no working tree to commit from")
    return repo

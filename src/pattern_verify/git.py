"""Every git operation of pattern-verify, and the only module that imports GitPython.

Opening a repository, mapping a directory inside it to git's paths, the merge-base of a pull
request (deepening a shallow clone a bounded amount), the files a change touched (renames
followed), their base versions, a worktree at a pull request's head, `safe.directory`, the
document commit and its push. Callers get plain values (shas, paths, bytes, models) and one
error type: `GitError` (exit 2) with a one-line reason. When git itself refuses (a corrupt
index, an unreadable object) the reason is the command and git's last words.

The token of a push travels as an HTTP extra header given to git through the environment
(`GIT_CONFIG_*`), never in a URL, an argument, the repository's config or a message.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timezone
from io import BytesIO
from pathlib import Path, PurePosixPath

# GitPython refuses to load without a git executable; a tree outside a repository is still
# verified then (`find` answers None), so it is told to load quietly in that case only.
if "GIT_PYTHON_REFRESH" not in os.environ and not shutil.which(
    os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or "git"
):
    os.environ["GIT_PYTHON_REFRESH"] = "quiet"

import git
from git.objects.fun import tree_entries_from_data, tree_to_stream
from gitdb.base import IStream

from pattern_verify.errors import GitError
from pattern_verify.models import Repository, Revision

FETCH_DEPTHS = (50, 500)
NOT_INSTALLED = "git is not installed; a pull request needs it (merge-base, head)"

_FILE_MODE = 0o100644
_EXECUTABLE_MODE = 0o100755
_TREE_MODE = 0o040000
_OBJECT_HEADER = re.compile(rb"[0-9a-f]{40,64} (blob|tree|commit|tag) ([0-9]+)")
# `! [rejected] ... (fetch first)` / `(non-fast-forward)`: the branch moved under us. A
# `[remote rejected]` (protected branch, hook) is final and is not retried.
_MOVED = re.compile(r"\[rejected\]|\(fetch first\)|\(non-fast-forward\)")
_URL_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]+@")
# git's settings that change how a blob is written into the working tree
_CHECKOUT_SETTINGS = (
    r"^(core\.(autocrlf|eol|symlinks|attributesfile|checkroundtripencoding)|filter\..*|attr\..*)$"
)
_CONVERTING = re.compile(r"(text|eol|crlf|filter|ident|working-tree-encoding)(=.*)?")


# ---------------------------------------------------------------------------------------------
# errors


def _output(formatted: str | bytes | None) -> str:
    """The raw text of GitCommandError's `stdout`/`stderr` (GitPython wraps it in a label)."""
    if isinstance(formatted, bytes):
        formatted = formatted.decode("utf-8", "replace")
    match = re.fullmatch(r"\s*std(?:out|err): '(.*)'\s*", formatted or "", re.DOTALL)
    return match.group(1) if match else (formatted or "")


def _refused(exc: git.GitCommandError) -> GitError:
    """git refusing (a corrupt index, an unreadable object), in one line: the repository's
    state, not ours, said with the command and git's own last words."""
    stderr = _output(exc.stderr).strip()
    reason = stderr.splitlines()[-1].strip() if stderr else f"exit {exc.status}"
    command = " ".join(str(part) for part in (exc.command or [])[:3])
    return GitError(_URL_CREDENTIALS.sub("***@", f"`{command}` failed: {reason}"))


def _command(cwd: Path | None, *args: str, env: Mapping[str, str] | None = None) -> _Done:
    """`git <args>` in `cwd`, never raising for git's own failure (the caller reads `status`);
    GitError when git cannot be started at all."""
    try:
        status, out, err = git.Git(None if cwd is None else str(cwd)).execute(
            ["git", *args],
            with_extended_output=True,
            with_exceptions=False,
            env=env,
        )
    except git.GitCommandNotFound:
        raise GitError(NOT_INSTALLED) from None
    return _Done(status if status is not None else 1, str(out), str(err))


@dataclass(frozen=True)
class _Done:
    status: int
    out: str
    err: str


# ---------------------------------------------------------------------------------------------
# the repository


@dataclass(frozen=True)
class Change:
    """One file the change touched: `old` is its base path (None when added), `new` its head
    path (None when deleted)."""

    old: str | None
    new: str | None


@dataclass(frozen=True)
class Listing:
    """The files of a directory in the working tree, as git lists them (relative paths)."""

    paths: list[str]  # tracked and untracked, less what git ignores
    untracked: list[str]
    # tracked files `git diff` may not compare with their commit: marked assume-unchanged or
    # skip-worktree, or unmerged
    unsure: list[str]


@dataclass(frozen=True)
class CheckoutSettings:
    """What decides how git writes a blob into the working tree (`Repo.checkout_settings`)."""

    text: str  # the settings and attributes files outside the tree, as found
    # whether any of them may convert a file (end of line, filter, ident, encoding): then a
    # file git counts unchanged may still hold other bytes than its blob (CRLF for LF)
    converts: bool


def _text_or_none(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _converts(attributes: str) -> bool:
    """Whether an attributes file sets an attribute that changes a file's bytes on checkout
    or when git compares it: `text`, `eol`, `crlf`, `filter`, `ident`,
    `working-tree-encoding` (unset, `-text`, or unspecified, `!text`, do not)."""
    for line in attributes.splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        # the first word is the pattern (or `[attr]name`); a quoted one may hold spaces
        for word in words if line.lstrip().startswith('"') else words[1:]:
            if _CONVERTING.fullmatch(word):
                return True
    return False


@dataclass(frozen=True)
class MergeBase:
    """The base ref's own commit (its tip) and the merge-base of it and the head."""

    base: Revision
    merge_base: Revision


def _revision(commit: git.Commit, ref: str | None = None) -> Revision:
    date = commit.committed_datetime.astimezone(timezone.utc).date().isoformat()
    return Revision(sha=commit.hexsha, short_sha=commit.hexsha[:7], date=date, ref=ref)


def _web_url(remote_url: str) -> str | None:
    url = remote_url.strip()
    match = re.fullmatch(r"(?:ssh://)?git@([^:/]+)[:/](.+?)(?:\.git)?/?", url)
    if match:
        return f"https://{match.group(1)}/{match.group(2)}"
    match = re.fullmatch(r"https?://(?:[^@/]+@)?([^/]+)/(.+?)(?:\.git)?/?", url)
    if match:
        return f"https://{match.group(1)}/{match.group(2)}"
    return None


def find(path: Path) -> Repo | None:
    """The repository holding `path` (searching its parents), or None outside one (or
    without git)."""
    if git.Git.GIT_PYTHON_GIT_EXECUTABLE is None or not shutil.which(
        str(git.Git.GIT_PYTHON_GIT_EXECUTABLE)
    ):
        return None
    try:
        return Repo(git.Repo(path, search_parent_directories=True))
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None


class Repo:
    """A repository as the run sees it. Paths given to and returned by its methods are
    relative to a `root` directory inside the working tree (git's own paths are relative to
    the top); `prefix` maps one to the other."""

    def __init__(self, repo: git.Repo) -> None:
        self._repo = repo

    @property
    def top(self) -> Path | None:
        """The working tree's top directory; None for a bare repository."""
        tree = self._repo.working_tree_dir
        return None if tree is None else Path(tree)

    @property
    def git_dir(self) -> Path:
        """git's own directory (per worktree: `.git/worktrees/<name>`)."""
        return Path(self._repo.git_dir)

    def _git(self, command: str, *args: str, **options: object) -> str:
        try:
            out: str = getattr(self._repo.git, command.replace("-", "_"))(*args, **options)
        except git.GitCommandError as exc:
            raise _refused(exc) from None
        return out

    # -- paths ---------------------------------------------------------------------------

    def prefix(self, root: Path) -> str:
        """`root` relative to the repository's top, as git names paths ("." for the top)."""
        if self.top is None:
            raise GitError(f"{root}: a bare repository has no working tree")
        try:
            return root.resolve().relative_to(self.top.resolve()).as_posix()
        except ValueError:
            raise GitError(f"{root} is not inside the repository at {self.top}") from None

    def _to_git(self, prefix: str, path: str) -> str:
        return path if prefix == "." else f"{prefix}/{path}"

    @staticmethod
    def _from_git(prefix: str, path: str | None) -> str | None:
        """A path of git's relative to `prefix`; None when it lies outside it."""
        if path is None or prefix == ".":
            return path
        return path[len(prefix) + 1 :] if path.startswith(prefix + "/") else None

    # -- the head ------------------------------------------------------------------------

    def list_files(self, root: Path) -> Listing:
        """Every file of `root` (tracked and untracked, less what git ignores) and, of those,
        the untracked ones: one walk of the working tree. Deleted but still indexed files are
        listed (their lstat fails later)."""
        prefix = self.prefix(root)
        # -v tags each path: `?` untracked, `H` in the index, anything else (lower case: marked
        # assume-unchanged; `S` skip-worktree, `M` unmerged) a file git may not compare
        args = ["--cached", "--others", "--exclude-standard", "-v", "-z"]
        if prefix != ".":
            args += ["--", prefix]
        out = self._git("ls-files", *args)
        tagged = [(entry[0], entry[2:]) for entry in out.split("\0") if len(entry) > 2]
        local = [(tag, self._from_git(prefix, path)) for tag, path in tagged]
        paths = sorted({p for _, p in local if p})
        untracked = sorted({p for tag, p in local if p and tag == "?"})
        unsure = sorted({p for tag, p in local if p and tag not in ("?", "H")})
        return Listing(paths, untracked, unsure)

    def head_sha(self) -> str | None:
        """The commit at HEAD; None in a repository without a commit."""
        try:
            return self._repo.head.commit.hexsha
        except ValueError:
            return None

    def resolve(self, ref: str) -> str | None:
        """The commit `ref` names (branch, tag, sha, `HEAD~1`…), or None."""
        commit = self._commit(ref)
        return commit.hexsha if commit is not None else None

    def _commit(self, ref: str) -> git.Commit | None:
        try:
            return self._repo.commit(ref)
        except (git.BadName, git.BadObject, ValueError, git.GitCommandError):
            return None

    def _uncommitted(self, root: Path, untracked: bool | None) -> bool:
        """Whether the tree under `root` differs from its commit (changed, staged or
        untracked); `untracked`: whether it holds untracked files, when already known."""
        if untracked:
            return True
        # a listing that found no untracked file spares git looking for them again: a second
        # walk of the working tree (0.01 s of CPU on 3,000 files)
        looked_for = "no" if untracked is False else "normal"
        try:
            status = self._repo.git.status(
                "--porcelain", f"--untracked-files={looked_for}", "--", self.prefix(root)
            )
        except git.CommandError:
            return False
        return bool(status.strip())

    def tracked_changes(self, root: Path) -> set[str]:
        """The tracked files under `root` (relative paths) whose working tree or index differs
        from the head commit, both sides of a staged rename, as `git status` sees them now."""
        prefix = self.prefix(root)
        out = self._git("status", "--porcelain", "-z", "--untracked-files=no", "--", prefix)
        fields = out.split("\0")
        found: set[str] = set()
        i = 0
        while i < len(fields):
            entry = fields[i]
            i += 1
            if len(entry) < 4:
                continue
            paths = [entry[3:]]
            if entry[0] in "RC" and i < len(fields):  # the path it came from follows
                paths.append(fields[i])
                i += 1
            found.update(p for p in (self._from_git(prefix, path) for path in paths) if p)
        return found

    def describe(
        self,
        root: Path,
        url: str | None,
        *,
        untracked: bool | None = None,
        changed: set[str] | None = None,
    ) -> Repository:
        """The repository as reports name it: its web URL (given, else origin's), the head
        commit, its branch, whether `root` has uncommitted changes. `untracked`: whether
        `root` holds untracked files, when the caller listed them (`list_files`); `changed`:
        its tracked changes, when the caller asked for them (`tracked_changes`)."""
        if url is None:
            try:
                url = _web_url(self._repo.remotes.origin.url)
            except (AttributeError, IndexError, ValueError):
                url = None
        try:
            head_commit = self._repo.head.commit
        except ValueError:  # an empty repository: no commit yet
            return Repository(url=url)
        branch = None if self._repo.head.is_detached else self._repo.active_branch.name
        head = _revision(head_commit, branch)
        if changed is not None and untracked is not None:
            uncommitted = untracked or bool(changed)
        else:
            uncommitted = self.top is not None and self._uncommitted(root, untracked)
        if uncommitted:
            head = head.model_copy(update={"uncommitted": True})
        return Repository(url=url, head=head)

    # -- the base of a pull request ------------------------------------------------------

    def _fetch(self, *args: str) -> bool:
        try:
            self._repo.git.fetch("--no-tags", "--quiet", *args)
        except git.GitCommandError:
            return False
        return True

    def is_shallow(self) -> bool:
        """Whether this is a shallow clone (asked of git: a linked worktree's git dir is
        `.git/worktrees/<name>`, which holds no `shallow` file of its own)."""
        return self._git("rev-parse", "--is-shallow-repository") == "true"

    def merge_base(self, base_ref: str, head_sha: str) -> MergeBase:
        """The base ref's commit and its merge-base with `head_sha`, fetching (bounded) what a
        shallow clone lacks: the base branch at depth 1, then deeper by FETCH_DEPTHS, then
        the whole history."""
        remote = self._repo.remotes[0].name if self._repo.remotes else None
        base = self._commit(base_ref)
        if base is None and remote is not None:
            branch = base_ref.removeprefix(f"{remote}/")
            if self._fetch(
                "--depth=1", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"
            ):
                base = self._commit(f"{remote}/{branch}")
            elif re.fullmatch(r"[0-9a-f]{7,40}", base_ref) and self._fetch(
                "--depth=1", remote, base_ref
            ):
                base = self._commit(base_ref)
        if base is None:
            raise GitError(f"unknown base ref `{base_ref}`: no such branch, tag or commit")

        def common() -> list[git.Commit]:
            try:
                return self._repo.merge_base(base, head_sha)
            except git.GitCommandError:
                return []

        found = common()
        if not found and self.is_shallow() and remote is not None:
            for depth in FETCH_DEPTHS:
                self._fetch(f"--deepen={depth}", remote)
                found = common()
                if found:
                    break
            else:
                if self._fetch("--unshallow", remote):
                    found = common()
        if not found:
            if self.is_shallow():
                raise GitError(
                    f"the history of this shallow clone does not reach the merge-base of "
                    f"`{base_ref}` and HEAD, and it could not be fetched; check out with full "
                    "history (actions/checkout: `fetch-depth: 0`)"
                )
            raise GitError(f"`{base_ref}` and HEAD have no common history (no merge-base)")
        return MergeBase(base=_revision(base), merge_base=_revision(found[0]))

    def changes(self, root: Path, since: str, until: str | None = None) -> list[Change]:
        """The files under `root` that differ between commit `since` and `until` (None: the
        working tree, whose untracked files it does not list), renames followed; a file
        renamed across `root`'s edge is added or deleted."""
        prefix = self.prefix(root)
        args = ["--name-status", "-M", "-z", "--no-color", since]
        if until is not None:
            args.append(until)
        fields = [f for f in self._git("diff", *args).split("\0") if f]
        changes: list[Change] = []
        i = 0
        while i < len(fields):
            status = fields[i]
            if status.startswith(("R", "C")):
                old, new = fields[i + 1], fields[i + 2]
                changes.append(Change(old=old if status.startswith("R") else None, new=new))
                i += 3
                continue
            path = fields[i + 1]
            if status.startswith("A"):
                changes.append(Change(old=None, new=path))
            elif status.startswith("D"):
                changes.append(Change(old=path, new=None))
            else:
                changes.append(Change(old=path, new=path))
            i += 2
        local = [
            Change(old=self._from_git(prefix, c.old), new=self._from_git(prefix, c.new))
            for c in changes
        ]
        return [c for c in local if c.old is not None or c.new is not None]

    def blobs(self, root: Path, commit: str, paths: list[str]) -> list[bytes | None]:
        """The content of each path of `root` at `commit` (None where it is no file there),
        read by one `git cat-file --batch` fed on its standard input (GitPython's tree walk
        costs ~5 ms a file)."""
        if not paths:
            return []
        prefix = self.prefix(root)
        full = [self._to_git(prefix, path) for path in paths]
        separator = "\0" if any("\n" in p for p in full) else "\n"
        # -z (git 2.38+) only when a name needs it
        command = ["git", "cat-file", "--batch", *(["-z"] if separator == "\0" else [])]
        names = "".join(f"{commit}:{path}{separator}" for path in full).encode("utf-8")
        try:
            done = subprocess.run(
                command, cwd=self.top, input=names, capture_output=True, check=False
            )
        except FileNotFoundError:
            raise GitError(NOT_INSTALLED) from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip()
            raise GitError(f"could not read the base versions of the changed files: {message}")
        out = done.stdout
        contents: list[bytes | None] = []
        position = 0
        for _ in full:
            end = out.index(b"\n", position)
            found = _OBJECT_HEADER.fullmatch(out[position:end])
            position = end + 1
            if found is None:  # `<name> missing` (or ambiguous): no such file at the commit
                contents.append(None)
                continue
            size = int(found.group(2))
            contents.append(out[position : position + size] if found.group(1) == b"blob" else None)
            position += size + 1  # the content, then a newline
        return contents

    def blob(self, commit: str, path: str) -> bytes | None:
        """One file's bytes at `commit` (`path` relative to the top); None when it is no file
        there."""
        found = self._commit(commit)
        if found is None:
            return None
        try:
            item = found.tree / path
        except KeyError:
            return None
        if item.type != "blob":
            return None
        data: bytes = item.data_stream.read()
        return data

    def text_at(self, commit: str, path: Path) -> str | None:
        """The text of `path` (a file of the working tree) at `commit`; None when it did not
        exist there, is not text or lies outside the repository."""
        if self.top is None:
            return None
        try:
            relative = path.resolve().relative_to(self.top.resolve()).as_posix()
        except ValueError:
            return None
        data = self.blob(commit, relative)
        try:
            return data.decode("utf-8") if data is not None else None
        except UnicodeDecodeError:
            return None

    def export(self, commit: str, root: Path, path: str, destination: Path) -> None:
        """Write the file or directory `path` of `root` as it is at `commit` under
        `destination` (at the same path); nothing when it does not exist there."""
        prefix = self.prefix(root)
        found = self._commit(commit)
        if found is None:
            return
        try:
            item = found.tree / self._to_git(prefix, path)
        except KeyError:
            return
        items = item.traverse() if item.type == "tree" else [item]
        for blob in items:
            if not isinstance(blob, git.Blob):
                continue
            local = self._from_git(prefix, str(blob.path))
            if local is None:
                continue
            target = destination / local
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blob.data_stream.read())

    # -- what the facts store's tree entries rest on ---------------------------------------

    def tree_ids(self, root: Path, commits: Sequence[str]) -> list[str | None]:
        """The id of `root`'s tree at each commit (None where it is no directory there), by
        one `git cat-file --batch-check`: the same content has the same id, whatever the
        commit."""
        prefix = self.prefix(root)
        where = "" if prefix == "." else prefix
        if not commits or "\n" in where:
            return [None for _ in commits]
        names = "".join(f"{commit}:{where}\n" for commit in commits).encode("utf-8")
        try:
            done = subprocess.run(
                ["git", "cat-file", "--batch-check"],
                cwd=self.top,
                input=names,
                capture_output=True,
                check=False,
            )
        except FileNotFoundError:
            raise GitError(NOT_INSTALLED) from None
        lines = done.stdout.decode("utf-8", "replace").splitlines()
        if done.returncode != 0 or len(lines) != len(commits):
            return [None for _ in commits]
        found: list[str | None] = []
        for line in lines:
            parts = line.split(" ")
            found.append(parts[0] if len(parts) == 3 and parts[1] == "tree" else None)
        return found

    def checkout_settings(self, root: Path, inside: Sequence[str] = ()) -> CheckoutSettings:
        """What decides the bytes git checks a blob out as, besides the blob and the
        `.gitattributes` files of `root`'s own tree: git's settings that convert or filter
        (`core.autocrlf`, `core.eol`, `filter.*`, ...) and the text of every attributes file
        outside that tree (above `root` in the working tree, the repository's
        `info/attributes`, the global and the system one). `inside`: `.gitattributes` files
        of `root` (relative paths) read too, for `converts` only."""
        if self.top is None:
            raise GitError(f"{root}: a bare repository has no working tree")
        done = _command(self.top, "config", "-z", "--get-regexp", _CHECKOUT_SETTINGS)
        settings = done.out if done.status == 0 else ""
        values: dict[str, str] = {}
        for item in settings.split("\0"):
            key, _, value = item.partition("\n")
            values[key] = value
        # each file named as the key may name it: not where this checkout lies
        files: dict[str, Path] = {}
        prefix = self.prefix(root)
        if prefix != ".":
            parts = PurePosixPath(prefix).parts
            for n in range(len(parts)):
                files["/".join([*parts[:n], ".gitattributes"])] = self.top.joinpath(
                    *parts[:n], ".gitattributes"
                )
        files["info/attributes"] = Path(self._repo.common_dir) / "info" / "attributes"
        configured = values.get("core.attributesfile")
        home = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
        files["global"] = (
            Path(os.path.expanduser(configured)) if configured else Path(home, "git", "attributes")
        )
        if not os.environ.get("GIT_ATTR_NOSYSTEM"):
            files["system"] = Path("/etc/gitattributes")
        texts = {name: _text_or_none(file) for name, file in files.items()}
        autocrlf = values.get("core.autocrlf", "false").strip().lower()
        converts = autocrlf not in ("false", "no", "off", "0", "") or any(
            _converts(text)
            for text in (*texts.values(), *(_text_or_none(root / path) for path in inside))
            if text
        )
        found = [f"{name}\0{text}" for name, text in texts.items()]
        return CheckoutSettings("\0".join([settings, *found]), converts)

    # -- the document commit -------------------------------------------------------------

    def ignored(self, path: str) -> bool:
        """Whether git ignores `path` (relative to the top) and it is not tracked."""
        try:
            return bool(self._repo.ignored(path))
        except git.GitCommandError as exc:
            raise _refused(exc) from None

    def changed_between(self, a: str, b: str) -> list[str]:
        """The paths (relative to the top) whose content differs between two commits' trees:
        no history between them is needed."""
        return [p for p in self._git("diff", "--name-only", "-z", a, b).split("\0") if p]

    def commit_file(
        self,
        parent: str | None,
        path: str,
        data: bytes,
        message: str,
        author: tuple[str, str],
    ) -> str:
        """Commit `data` at `path` (relative to the top) on top of `parent`, the tree otherwise
        `parent`'s, and move HEAD there (its branch when attached), only if HEAD is still at
        `parent`. The index entry of `path` follows; every other index entry is left as it
        was. Returns the new commit's sha."""
        try:
            return self._write_commit(parent, path, data, message, git.Actor(*author))
        except (git.GitCommandError, OSError) as exc:
            raise GitError(f"cannot commit {path} in {self.top}: {exc}") from exc

    def _store(self, kind: bytes, data: bytes) -> bytes:
        stream = self._repo.odb.store(IStream(kind, len(data), BytesIO(data)))
        binsha: bytes = stream.binsha
        return binsha

    def _tree_with(self, tree_sha: bytes | None, parts: tuple[str, ...], blob: bytes) -> bytes:
        """The sha of `tree_sha` with the blob at `parts` set; only the trees on the path are
        rewritten, so the cost is the path's depth, not the repository's size."""
        entries: list[tuple[bytes, int, str]] = []
        if tree_sha is not None:
            entries = list(tree_entries_from_data(self._repo.odb.stream(tree_sha).read()))
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
            new = (self._tree_with(subtree, parts[1:], blob), _TREE_MODE, name)
        entries = [entry for entry in entries if entry[2] != name] + [new]
        # git's order: by name bytes, a tree's name compared as if it ended in "/"
        entries.sort(key=lambda e: e[2].encode("utf-8") + (b"/" if e[1] == _TREE_MODE else b""))
        buffer = BytesIO()
        tree_to_stream(entries, buffer.write)
        return self._store(b"tree", buffer.getvalue())

    def _write_commit(
        self, parent_sha: str | None, path: str, data: bytes, message: str, actor: git.Actor
    ) -> str:
        repo = self._repo
        parent = repo.commit(parent_sha) if parent_sha is not None else None
        blob = self._store(b"blob", data)
        root = self._tree_with(
            parent.tree.binsha if parent is not None else None, PurePosixPath(path).parts, blob
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
        # HEAD's branch (or HEAD itself when detached; an unborn branch too), only if it
        # still points at `parent`
        expected = parent.hexsha if parent is not None else "0" * 40
        repo.git.update_ref("-m", f"commit: {message}", "HEAD", commit.hexsha, expected)
        mode = _EXECUTABLE_MODE if (tree / path).mode == _EXECUTABLE_MODE else _FILE_MODE
        repo.git.update_index("--add", "--cacheinfo", f"{mode:o},{blob.hex()},{path}")
        # --cacheinfo records no stat data; refreshing lets git see the file matches the entry
        # (otherwise it counts as modified, and a later `reset --keep` refuses to run)
        repo.git.update_index("-q", "--refresh", with_exceptions=False)
        return commit.hexsha

    def move_onto(self, tip: str, branch: str) -> bool:
        """Put HEAD, the index and the working tree on `tip`, keeping local changes.

        Like `git reset --keep`: files that differ between HEAD and `tip` are updated, other
        local modifications stay; when a locally modified file also changed upstream, only
        HEAD and the index move (`--mixed`), so nothing in the working tree is ever lost. The
        local `branch` moves when it is checked out; any other checked-out branch is left
        alone (HEAD detaches). False when even that failed: then nothing moved."""
        repo = self._repo
        if not repo.head.is_detached and repo.active_branch.name != branch:
            repo.head.set_reference(repo.head.commit, logmsg="pattern-verify: detach")
        try:
            repo.git.reset("-q", "--keep", tip)
        except git.GitCommandError:
            try:
                repo.head.reset(repo.commit(tip), index=True, working_tree=False)
            except git.GitCommandError:
                return False
        return True


# ---------------------------------------------------------------------------------------------
# fetch and push with a token


@dataclass(frozen=True)
class PushError:
    moved: bool  # rejected because the remote branch has commits we lack
    reason: str  # one line, scrubbed of credentials


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


def _config_env(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """`GIT_CONFIG_COUNT`/`KEY_n`/`VALUE_n` for `pairs`, after any the environment already
    has."""
    try:
        start = int(os.environ.get("GIT_CONFIG_COUNT", "0") or "0")
    except ValueError:  # git itself rejects such a count; ours replaces it
        start = 0
    env: dict[str, str] = {"GIT_CONFIG_COUNT": str(start + len(pairs))}
    for offset, (key, value) in enumerate(pairs):
        env[f"GIT_CONFIG_KEY_{start + offset}"] = key
        env[f"GIT_CONFIG_VALUE_{start + offset}"] = value
    return env


class Remote:
    """Fetch and push with the token as an HTTP header that no argv, config or message holds."""

    def __init__(self, repo: Repo, url: str, token: str | None) -> None:
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

    def push(self, sha: str, branch: str) -> PushError | None:
        """None when the push landed, else why not (scrubbed)."""
        try:
            self.repo._repo.git.push(
                "--porcelain", self.url, f"{sha}:refs/heads/{branch}", env=self.env
            )
        except git.GitCommandError as exc:
            stdout, stderr = _output(exc.stdout), _output(exc.stderr)
            return PushError(
                moved=bool(_MOVED.search(stdout + stderr)),
                reason=self.scrub(_reason(stdout, stderr)),
            )
        return None

    def fetch(self, branch: str) -> str:
        """The sha of `branch`'s tip on the remote, fetched (at depth 1 in a shallow clone)."""
        args: list[str] = ["--no-tags"]
        if self.repo.is_shallow():
            args.append("--depth=1")
        try:
            self.repo._repo.git.fetch(*args, self.url, f"refs/heads/{branch}", env=self.env)
        except git.GitCommandError as exc:
            raise GitError(self.scrub(_reason("", _output(exc.stderr)))) from None
        return self.repo._repo.commit("FETCH_HEAD").hexsha

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return _URL_CREDENTIALS.sub("***@", text)


# ---------------------------------------------------------------------------------------------
# the head of a pull request, in the container


def mark_safe_directory(path: Path) -> None:
    """Let git work in a workspace owned by another user (the runner's, mounted into the
    container): `safe.directory`, added once, in the global config."""
    where = str(path.resolve())
    try:
        present = _command(None, "config", "--global", "--get-all", "safe.directory")
    except GitError:  # no git: the pipeline runs without history
        return
    if where in present.out.splitlines() or "*" in present.out.splitlines():
        return
    added = _command(None, "config", "--global", "--add", "safe.directory", where)
    if added.status != 0:
        raise GitError(f"could not mark {where} as a git safe.directory: {added.err.strip()}")


@contextmanager
def head_tree(workspace: Path, head_sha: str | None, pull_number: int | None) -> Iterator[Path]:
    """The tree to verify: the workspace itself, or, when a pull request's head is not what is
    checked out (`actions/checkout` checks out the test merge commit for `pull_request` and the
    base for `pull_request_target`), a temporary worktree at the head. The workspace is left
    as the checkout made it, for the steps that follow."""
    if head_sha is None:
        yield workspace
        return
    if _command(workspace, "rev-parse", "--show-toplevel").status != 0:
        raise GitError(
            f"{workspace} is not a git checkout: add `actions/checkout` (with `fetch-depth: 0`) "
            "before this step"
        )
    current = _command(workspace, "rev-parse", "HEAD").out.strip()
    if current == head_sha:
        yield workspace
        return
    if _command(workspace, "cat-file", "-e", f"{head_sha}^{{commit}}").status != 0:
        fetched = _command(workspace, "fetch", "--no-tags", "--quiet", "origin", head_sha)
        if fetched.status != 0 and pull_number is not None:
            _command(
                workspace,
                "fetch",
                "--no-tags",
                "--quiet",
                "origin",
                f"refs/pull/{pull_number}/head",  # into FETCH_HEAD only: no ref left behind
            )
        if _command(workspace, "cat-file", "-e", f"{head_sha}^{{commit}}").status != 0:
            raise GitError(
                f"the pull request's head commit {head_sha[:12]} is not in the checkout and "
                "could not be fetched; check out with `fetch-depth: 0`"
            )
    scratch = Path(tempfile.mkdtemp(prefix="pattern-verify-head-"))
    tree = scratch / "head"
    added = _command(workspace, "worktree", "add", "--detach", "--force", str(tree), head_sha)
    if added.status != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        which = "the pull request's head" if pull_number is not None else "commit"
        raise GitError(f"could not check out {which} {head_sha[:12]}: {added.err.strip()}")
    try:
        mark_safe_directory(tree)
        yield tree
    finally:
        _command(workspace, "worktree", "remove", "--force", str(tree))
        shutil.rmtree(scratch, ignore_errors=True)
        _command(workspace, "worktree", "prune")


# ---------------------------------------------------------------------------------------------
# the repository being set up (init) and the hook's results


@dataclass(frozen=True)
class Branch:
    name: str
    source: str  # how it was found, for the output


def _query(root: Path, *args: str) -> str | None:
    """A git query's output, or None when it fails (not a repository, no such ref, no git)."""
    try:
        done = _command(None, "-C", str(root), *args)
    except GitError:
        return None
    return done.out.strip() if done.status == 0 and done.out.strip() else None


def _has_branch(root: Path, name: str) -> bool:
    return _query(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{name}") is not None


def default_branch(root: Path) -> Branch:
    """The branch pushes to which update the document, by the best evidence available: the
    remote's HEAD (a clone), then a local branch named by `init.defaultBranch`, `main` or
    `master`, then the checked-out branch (a new repository), then `init.defaultBranch`."""
    remote_head = _query(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    if remote_head and remote_head.startswith("origin/"):
        return Branch(remote_head.removeprefix("origin/"), "origin/HEAD")
    configured = _query(root, "config", "init.defaultBranch")
    for name, source in ((configured, "init.defaultBranch"), ("main", None), ("master", None)):
        if name and _has_branch(root, name):
            return Branch(name, source or f"the local `{name}` branch")
    current = _query(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    if current:
        return Branch(current, "the checked-out branch")
    if configured:
        return Branch(configured, "init.defaultBranch")
    return Branch("main", "no branch found: assumed")


def top_level(root: Path) -> Path | None:
    """The top-level directory of the git repository holding `root`; None outside one."""
    top = _query(root, "rev-parse", "--show-toplevel")
    return Path(top) if top else None


def git_dir(root: Path) -> Path | None:
    """git's own directory for `root` (per worktree: `.git/worktrees/<name>`); None outside a
    repository."""
    found = _query(root, "rev-parse", "--absolute-git-dir")
    return Path(found) if found else None

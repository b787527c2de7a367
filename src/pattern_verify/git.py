"""Every git operation of pattern-verify: the one module that runs git.

Opening a repository, mapping a directory inside it to git's paths, the merge-base of a pull
request (deepening a shallow clone a bounded amount), the files a change touched (renames
followed), their base versions, a worktree at a pull request's head, `safe.directory`, the
document commit and its push. Callers get plain values (shas, paths, bytes, models) and one
error type: `GitError` (exit 2) with a one-line reason. When git itself refuses (a corrupt
index, an unreadable object) the reason is the command and git's last words.

Every command goes through one runner (`_run`); objects are read through one
`git cat-file --batch` per repository (`_Objects`), started on first use. GitPython is imported
only where the document commit writes its objects (`_ObjectWriter`): a run that reads imports
none of it (its import costs 0.035 s of CPU and two `git version` processes).

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
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import IO, NamedTuple

from pattern_verify.errors import GitError
from pattern_verify.models import Repository, Revision

FETCH_DEPTHS = (50, 500)
NOT_INSTALLED = "git is not installed; a pull request needs it (merge-base, head)"

_FILE_MODE = 0o100644
_EXECUTABLE_MODE = 0o100755
_TREE_MODE = 0o040000
_OBJECT_HEADER = re.compile(rb"([0-9a-f]{40,64}) (blob|tree|commit|tag) ([0-9]+)")
# `! [rejected] ... (fetch first)` / `(non-fast-forward)`: the branch moved under us. A
# `[remote rejected]` (protected branch, hook) is final and is not retried.
_MOVED = re.compile(r"\[rejected\]|\(fetch first\)|\(non-fast-forward\)")
_URL_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]+@")
# git's settings that change how a blob is written into the working tree
_CHECKOUT_SETTINGS = (
    r"^(core\.(autocrlf|eol|symlinks|attributesfile|checkroundtripencoding)|filter\..*|attr\..*)$"
)
# ...and, read by the same `git config`, the remotes' URLs (the repository's web URL, the
# remote a shallow clone is deepened from)
_SETTINGS = _CHECKOUT_SETTINGS[:-2] + r"|remote\..*\.url)$"
_CONVERTING = re.compile(r"(text|eol|crlf|filter|ident|working-tree-encoding)(=.*)?")


# Its records are named tuples, not frozen dataclasses: every run imports this module, and
# defining its nine records as dataclasses costs 3 ms more CPU (5 ms against 2 ms).

# ---------------------------------------------------------------------------------------------
# running git


def _executable() -> str:
    """git from PATH, or the one `GIT_PYTHON_GIT_EXECUTABLE` names (as GitPython honours it)."""
    return os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or "git"


def installed() -> bool:
    """Whether git can be started (`NOT_INSTALLED` says what then cannot be done)."""
    return shutil.which(_executable()) is not None


def _environment(env: Mapping[str, str] | None) -> dict[str, str]:
    # git's own words in English, whatever the locale: the errors quote them and the parsing
    # below reads them (as GitPython ran git)
    merged = {**os.environ, "LANGUAGE": "C", "LC_ALL": "C"}
    if env:
        merged.update(env)
    return merged


def _not_started(cwd: Path | None) -> GitError:
    """Why git could not be started: not installed, or `cwd` is no directory."""
    if cwd is not None and not cwd.is_dir():
        return GitError(f"{cwd}: not a directory")
    return GitError(NOT_INSTALLED)


class _Done(NamedTuple):
    """A finished git command: its arguments (after `git`), exit status and output."""

    args: tuple[str, ...]
    status: int
    out: str
    err: str

    def refused(self) -> GitError:
        """git refusing (a corrupt index, an unreadable object), in one line: the repository's
        state, not ours, said with the command and git's own last words, credentials in a URL
        scrubbed."""
        stderr = self.err.strip()
        reason = stderr.splitlines()[-1].strip() if stderr else f"exit {self.status}"
        command = " ".join(["git", *self.args[:2]])
        return GitError(_URL_CREDENTIALS.sub("***@", f"`{command}` failed: {reason}"))

    def checked(self) -> str:
        """The output; GitError when git failed."""
        if self.status != 0:
            raise self.refused()
        return self.out


def _run(
    cwd: Path | None,
    *args: str,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
) -> _Done:
    """`git <args>` in `cwd`, every git command of the tool: never raising for git's own failure
    (the caller reads `status`, or `checked()`); GitError when git cannot be started at all.
    `env` is added to the environment (a token's header: never in an argument or a message)."""
    raw = _run_bytes(cwd, args, env=env, stdin=stdin)
    return _Done(
        args,
        raw.returncode,
        raw.stdout.decode("utf-8", "surrogateescape"),
        raw.stderr.decode("utf-8", "replace"),
    )


def _run_bytes(
    cwd: Path | None,
    args: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            [_executable(), *args],
            cwd=cwd,
            env=_environment(env),
            input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None,
            capture_output=True,
            check=False,
        )
    except OSError:
        raise _not_started(cwd) from None


class _Object(NamedTuple):
    sha: str
    kind: str  # blob, tree, commit, tag
    data: bytes


class _Objects:
    """A repository's objects read by name (`<rev>`, `<rev>:<path>`) through one
    `git cat-file --batch`, started on first use and ended with its repository (or at exit):
    one process for all of a run's reads, each a line written and an answer read."""

    def __init__(self, cwd: Path) -> None:
        self._cwd = cwd
        self._process: subprocess.Popen[bytes] | None = None
        self._errors: IO[bytes] | None = None
        self._end: weakref.finalize[[subprocess.Popen[bytes], IO[bytes]], _Objects] | None = None

    def read(self, names: Sequence[str]) -> list[_Object | None]:
        """Each object (None where git has none by that name: no such commit, path or file).
        A name holding a newline is read by a `git cat-file --batch -z` of its own (git
        2.38+; only such a name needs it)."""
        if any("\n" in name for name in names):
            return self._read_once(names)
        return [self._read_one(name) for name in names]

    def close(self) -> None:
        if self._end is not None:
            self._end()
        self._process = self._errors = self._end = None

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            self.close()
            # git's complaints go to a file: a pipe nobody reads could fill and stall it. It
            # lives as long as the process (closed by `_end_process`)
            self._errors = tempfile.TemporaryFile()  # noqa: SIM115
            try:
                self._process = subprocess.Popen(
                    [_executable(), "cat-file", "--batch"],
                    cwd=self._cwd,
                    env=_environment(None),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=self._errors,
                )
            except OSError:
                self._errors.close()
                self._errors = None
                raise _not_started(self._cwd) from None
            self._end = weakref.finalize(self, _end_process, self._process, self._errors)
        return self._process

    def _read_one(self, name: str) -> _Object | None:
        process = self._start()
        assert process.stdin is not None and process.stdout is not None  # piped
        try:
            process.stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
            process.stdin.flush()
            header = process.stdout.readline()
        except BrokenPipeError:
            header = b""
        if not header.endswith(b"\n"):
            raise self._failed()
        found = _OBJECT_HEADER.fullmatch(header[:-1])
        if found is None:  # `<name> missing` (or ambiguous)
            return None
        size = int(found.group(3))
        data = process.stdout.read(size + 1)  # the content, then a newline
        if len(data) != size + 1:
            raise self._failed()
        return _Object(found.group(1).decode("ascii"), found.group(2).decode("ascii"), data[:-1])

    def _failed(self) -> GitError:
        errors = self._errors
        process = self._process
        text = ""
        if process is not None and errors is not None:
            if process.stdin is not None:
                with suppress(OSError):
                    process.stdin.close()
            process.wait()
            errors.seek(0)
            text = errors.read().decode("utf-8", "replace")
        self.close()
        return _Done(("cat-file", "--batch"), 1, "", text).refused()

    def _read_once(self, names: Sequence[str]) -> list[_Object | None]:
        request = "".join(f"{name}\0" for name in names).encode("utf-8", "surrogateescape")
        done = _run_bytes(self._cwd, ["cat-file", "--batch", "-z"], stdin=request)
        if done.returncode != 0:
            failed = ("cat-file", "--batch")
            raise _Done(
                failed, done.returncode, "", done.stderr.decode("utf-8", "replace")
            ).refused()
        out = done.stdout
        found: list[_Object | None] = []
        position = 0
        for _ in names:
            end = out.index(b"\n", position)
            header = _OBJECT_HEADER.fullmatch(out[position:end])
            position = end + 1
            if header is None:
                found.append(None)
                continue
            size = int(header.group(3))
            data = out[position : position + size]
            found.append(_Object(header.group(1).decode(), header.group(2).decode(), data))
            position += size + 1
        return found


def _end_process(process: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
    """End a `cat-file --batch`: its input closed, it exits; waited for, so no process is left
    behind and its CPU is counted as ours."""
    if process.stdin is not None:
        with suppress(OSError):  # it ended already, a request unread
            process.stdin.close()
    process.wait()
    if process.stdout is not None:
        process.stdout.close()
    errors.close()


# ---------------------------------------------------------------------------------------------
# the repository


class Change(NamedTuple):
    """One file the change touched: `old` is its base path (None when added), `new` its head
    path (None when deleted)."""

    old: str | None
    new: str | None


class Listing(NamedTuple):
    """The files of a directory in the working tree, as git lists them (relative paths)."""

    paths: list[str]  # tracked and untracked, less what git ignores
    untracked: list[str]
    # tracked files `git diff` may not compare with their commit: marked assume-unchanged or
    # skip-worktree, or unmerged
    unsure: list[str]


class CheckoutSettings(NamedTuple):
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


class MergeBase(NamedTuple):
    """The base ref's own commit (its tip) and the merge-base of it and the head."""

    base: Revision
    merge_base: Revision


class _Commit(NamedTuple):
    sha: str
    date: str  # the committer's date, in UTC (ISO)


def _parse_commit(found: _Object) -> _Commit:
    """A commit object's sha and its committer's date (`committer <who> <epoch> <zone>`)."""
    header = found.data.split(b"\n\n", 1)[0]
    epoch = 0
    for line in header.split(b"\n"):
        if line.startswith(b"committer "):
            epoch = int(line.rsplit(b" ", 2)[1])
            break
    date = datetime.fromtimestamp(epoch, timezone.utc).date().isoformat()
    return _Commit(found.sha, date)


def _revision(commit: _Commit, ref: str | None = None) -> Revision:
    return Revision(sha=commit.sha, short_sha=commit.sha[:7], date=commit.date, ref=ref)


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
    without git); one `git rev-parse`. GitError when git refuses the repository (its
    ownership, a broken worktree link): not the same as no repository."""
    where = path if path.is_dir() else path.parent
    if not where.is_dir():
        return None
    try:
        done = _run(
            where, "rev-parse", "--is-bare-repository", "--absolute-git-dir", "--show-toplevel"
        )
    except GitError:  # no git: the tree is verified without history
        return None
    # a bare repository has no top level: git says so after the first two answers
    lines = done.out.splitlines()
    if len(lines) >= 2 and lines[0] == "true":
        return Repo(None, Path(lines[1]))
    if len(lines) >= 3 and done.status == 0:
        return Repo(Path(lines[2]), Path(lines[1]))
    if "not a git repository" in done.err or "must be run in a work tree" in done.err:
        return None  # outside one, or inside a git directory: no working tree to verify
    raise done.refused()


class Repo:
    """A repository as the run sees it. Paths given to and returned by its methods are
    relative to a `root` directory inside the working tree (git's own paths are relative to
    the top); `prefix` maps one to the other."""

    def __init__(self, top: Path | None, git_dir: Path) -> None:
        self.top = top  # the working tree's top directory; None for a bare repository
        self.git_dir = git_dir  # git's own directory (per worktree: `.git/worktrees/<name>`)
        self._cwd = top if top is not None else git_dir
        self._objects = _Objects(self._cwd)
        self._settings: list[str] | None = None

    def close(self) -> None:
        """End the repository's `cat-file` (started again if it is read once more)."""
        self._objects.close()

    def _git(self, *args: str) -> str:
        """`git <args>` in the working tree; its output, or GitError when git refuses."""
        return _run(self._cwd, *args).checked()

    @property
    def common_dir(self) -> Path:
        """The directory a linked worktree shares with the main one (its own git dir else)."""
        try:
            shared = (self.git_dir / "commondir").read_text(encoding="utf-8").strip()
        except OSError:
            return self.git_dir
        return (self.git_dir / shared).resolve()

    def _config(self) -> list[str]:
        """The settings `_SETTINGS` names, as `git config -z` gives them (`key\\nvalue`): read
        once per repository."""
        if self._settings is None:
            done = _run(self._cwd, "config", "-z", "--get-regexp", _SETTINGS)
            self._settings = [item for item in done.out.split("\0") if item]
        return self._settings

    def _remote_urls(self) -> list[tuple[str, str]]:
        """The remotes (name, URL) in the order of the config."""
        found: list[tuple[str, str]] = []
        for item in self._config():
            key, _, value = item.partition("\n")
            if key.startswith("remote.") and key.endswith(".url"):
                found.append((key[len("remote.") : -len(".url")], value))
        return found

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
        args = ["ls-files", "--cached", "--others", "--exclude-standard", "-v", "-z"]
        if prefix != ".":
            args += ["--", prefix]
        out = self._git(*args)
        tagged = [(entry[0], entry[2:]) for entry in out.split("\0") if len(entry) > 2]
        local = [(tag, self._from_git(prefix, path)) for tag, path in tagged]
        paths = sorted({p for _, p in local if p})
        untracked = sorted({p for tag, p in local if p and tag == "?"})
        unsure = sorted({p for tag, p in local if p and tag not in ("?", "H")})
        return Listing(paths, untracked, unsure)

    def head_sha(self) -> str | None:
        """The commit at HEAD; None in a repository without a commit."""
        return self.resolve("HEAD")

    def resolve(self, ref: str) -> str | None:
        """The commit `ref` names (branch, tag, sha, `HEAD~1`…), or None."""
        commit = self._commit(ref)
        return commit.sha if commit is not None else None

    def _commit(self, ref: str) -> _Commit | None:
        """The commit `ref` names (a tag peeled to its commit), or None."""
        (found,) = self._objects.read([f"{ref}^{{commit}}"])
        return _parse_commit(found) if found is not None and found.kind == "commit" else None

    def branch(self) -> str | None:
        """The branch HEAD is on; None when it is detached."""
        done = _run(self._cwd, "symbolic-ref", "--quiet", "HEAD")
        if done.status != 0:
            return None
        return done.out.strip().removeprefix("refs/heads/")

    def _uncommitted(self, root: Path, untracked: bool | None) -> bool:
        """Whether the tree under `root` differs from its commit (changed, staged or
        untracked); `untracked`: whether it holds untracked files, when already known."""
        if untracked:
            return True
        # a listing that found no untracked file spares git looking for them again: a second
        # walk of the working tree (0.01 s of CPU on 3,000 files)
        looked_for = "no" if untracked is False else "normal"
        done = _run(
            self._cwd,
            "status",
            "--porcelain",
            f"--untracked-files={looked_for}",
            "--",
            self.prefix(root),
        )
        return done.status == 0 and bool(done.out.strip())

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
            origin = [u for name, u in self._remote_urls() if name == "origin"]
            url = _web_url(origin[0]) if origin else None
        head_commit = self._commit("HEAD")
        if head_commit is None:  # an empty repository: no commit yet
            return Repository(url=url)
        head = _revision(head_commit, self.branch())
        if changed is not None and untracked is not None:
            uncommitted = untracked or bool(changed)
        else:
            uncommitted = self.top is not None and self._uncommitted(root, untracked)
        if uncommitted:
            head = head.model_copy(update={"uncommitted": True})
        return Repository(url=url, head=head)

    # -- the base of a pull request ------------------------------------------------------

    def _fetch(self, *args: str) -> bool:
        return _run(self._cwd, "fetch", "--no-tags", "--quiet", *args).status == 0

    def is_shallow(self) -> bool:
        """Whether this is a shallow clone (asked of git: a linked worktree's git dir is
        `.git/worktrees/<name>`, which holds no `shallow` file of its own)."""
        return self._git("rev-parse", "--is-shallow-repository").strip() == "true"

    def merge_base(self, base_ref: str, head_sha: str) -> MergeBase:
        """The base ref's commit and its merge-base with `head_sha`, fetching (bounded) what a
        shallow clone lacks: the base branch at depth 1, then deeper by FETCH_DEPTHS, then
        the whole history."""
        remotes = self._remote_urls()
        remote = remotes[0][0] if remotes else None
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

        def common() -> str | None:
            done = _run(self._cwd, "merge-base", base.sha, head_sha)
            found = done.out.split()
            return found[0] if done.status == 0 and found else None

        found = common()
        if found is None and self.is_shallow() and remote is not None:
            for depth in FETCH_DEPTHS:
                self._fetch(f"--deepen={depth}", remote)
                found = common()
                if found is not None:
                    break
            else:
                if self._fetch("--unshallow", remote):
                    found = common()
        merge_base = self._commit(found) if found is not None else None
        if merge_base is None:
            if self.is_shallow():
                raise GitError(
                    f"the history of this shallow clone does not reach the merge-base of "
                    f"`{base_ref}` and HEAD, and it could not be fetched; check out with full "
                    "history (actions/checkout: `fetch-depth: 0`)"
                )
            raise GitError(f"`{base_ref}` and HEAD have no common history (no merge-base)")
        return MergeBase(base=_revision(base), merge_base=_revision(merge_base))

    def changes(self, root: Path, since: str, until: str | None = None) -> list[Change]:
        """The files under `root` that differ between commit `since` and `until` (None: the
        working tree, whose untracked files it does not list), renames followed; a file
        renamed across `root`'s edge is added or deleted."""
        prefix = self.prefix(root)
        args = ["diff", "--name-status", "-M", "-z", "--no-color", since]
        if until is not None:
            args.append(until)
        fields = [f for f in self._git(*args).split("\0") if f]
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
        read by the repository's `git cat-file --batch`."""
        if not paths:
            return []
        prefix = self.prefix(root)
        names = [f"{commit}:{self._to_git(prefix, path)}" for path in paths]
        try:
            found = self._objects.read(names)
        except GitError as exc:
            raise GitError(
                f"could not read the base versions of the changed files: {exc}"
            ) from None
        return [o.data if o is not None and o.kind == "blob" else None for o in found]

    def blob(self, commit: str, path: str) -> bytes | None:
        """One file's bytes at `commit` (`path` relative to the top); None when it is no file
        there (a symbolic link's bytes are its target, as git stores it)."""
        (found,) = self._objects.read([f"{commit}:{path}"])
        return found.data if found is not None and found.kind == "blob" else None

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
        `destination` (at the same path); nothing when it does not exist there (a
        submodule's directory stays empty)."""
        prefix = self.prefix(root)
        done = _run(
            self._cwd,
            "--literal-pathspecs",
            "ls-tree",
            "-r",
            "-z",
            f"{commit}^{{commit}}",
            "--",
            self._to_git(prefix, path),
        )
        if done.status != 0:  # no such commit
            return
        listed: list[tuple[str, str]] = []
        for entry in done.out.split("\0"):
            meta, _, name = entry.partition("\t")
            parts = meta.split(" ")
            if len(parts) == 3 and parts[1] == "blob":
                local = self._from_git(prefix, name)
                if local is not None:
                    listed.append((parts[2], local))
        for (_, local), found in zip(
            listed, self._objects.read([sha for sha, _ in listed]), strict=True
        ):
            if found is None:
                continue
            target = destination / local
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(found.data)

    # -- what the facts store's tree entries rest on ---------------------------------------

    def tree_ids(self, root: Path, commits: Sequence[str]) -> list[str | None]:
        """The id of `root`'s tree at each commit (None where it is no directory there), read
        by the repository's `git cat-file --batch`: the same content has the same id, whatever
        the commit."""
        prefix = self.prefix(root)
        where = "" if prefix == "." else prefix
        if not commits or "\n" in where:
            return [None for _ in commits]
        try:
            found = self._objects.read([f"{commit}:{where}" for commit in commits])
        except GitError:
            return [None for _ in commits]
        return [o.sha if o is not None and o.kind == "tree" else None for o in found]

    def checkout_settings(self, root: Path, inside: Sequence[str] = ()) -> CheckoutSettings:
        """What decides the bytes git checks a blob out as, besides the blob and the
        `.gitattributes` files of `root`'s own tree: git's settings that convert or filter
        (`core.autocrlf`, `core.eol`, `filter.*`, ...) and the text of every attributes file
        outside that tree (above `root` in the working tree, the repository's
        `info/attributes`, the global and the system one). `inside`: `.gitattributes` files
        of `root` (relative paths) read too, for `converts` only."""
        if self.top is None:
            raise GitError(f"{root}: a bare repository has no working tree")
        checkout = re.compile(_CHECKOUT_SETTINGS)
        items = [item for item in self._config() if checkout.match(item.partition("\n")[0])]
        settings = "".join(f"{item}\0" for item in items)  # as `git config -z` writes them
        values: dict[str, str] = {}
        for item in items:
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
        files["info/attributes"] = self.common_dir / "info" / "attributes"
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
        done = _run(self._cwd, "check-ignore", "--quiet", "--", path)
        if done.status not in (0, 1):  # 1: not ignored
            raise done.refused()
        return done.status == 0

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
            commit, blob, mode = _write_commit(self._cwd, parent, path, data, message, author)
            # HEAD's branch (or HEAD itself when detached; an unborn branch too), only if it
            # still points at `parent`
            expected = parent if parent is not None else "0" * 40
            self._git("update-ref", "-m", f"commit: {message}", "HEAD", commit, expected)
            self._git("update-index", "--add", "--cacheinfo", f"{mode:o},{blob},{path}")
            # --cacheinfo records no stat data; refreshing lets git see the file matches the
            # entry (otherwise it counts as modified, and a later `reset --keep` refuses to run)
            _run(self._cwd, "update-index", "-q", "--refresh")
        except (GitError, OSError) as exc:
            raise GitError(f"cannot commit {path} in {self.top}: {exc}") from exc
        return commit

    def move_onto(self, tip: str, branch: str) -> bool:
        """Put HEAD, the index and the working tree on `tip`, keeping local changes.

        Like `git reset --keep`: files that differ between HEAD and `tip` are updated, other
        local modifications stay; when a locally modified file also changed upstream, only
        HEAD and the index move (`--mixed`), so nothing in the working tree is ever lost. The
        local `branch` moves when it is checked out; any other checked-out branch is left
        alone (HEAD detaches). False when even that failed: then nothing moved."""
        current = self.branch()
        head = self.head_sha()
        if current is not None and current != branch and head is not None:
            self._git("update-ref", "--no-deref", "-m", "pattern-verify: detach", "HEAD", head)
        if _run(self._cwd, "reset", "-q", "--keep", tip).status == 0:
            return True
        # 1: the index moved, local changes remain (as older gits say it)
        return _run(self._cwd, "reset", "-q", "--mixed", tip, "--").status in (0, 1)


def _write_commit(
    cwd: Path, parent_sha: str | None, path: str, data: bytes, message: str, author: tuple[str, str]
) -> tuple[str, str, int]:
    """The document commit's objects written: the blob, the trees on its path (only those: the
    cost is the path's depth, not the repository's size) and the commit; its sha, the blob's
    and the file's mode. GitPython writes them, imported here only: a run that only reads
    imports none of it."""
    import git as gitpython
    from git.objects.fun import tree_entries_from_data, tree_to_stream
    from gitdb.base import IStream

    with gitpython.Repo(cwd) as repo:

        def store(kind: bytes, content: bytes) -> bytes:
            binsha: bytes = repo.odb.store(IStream(kind, len(content), BytesIO(content))).binsha
            return binsha

        def tree_with(
            tree_sha: bytes | None, parts: tuple[str, ...], blob: bytes
        ) -> tuple[bytes, int]:
            """The sha of `tree_sha` with the blob at `parts` set, and the blob's mode."""
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
                sha, mode = tree_with(subtree, parts[1:], blob)
                new = (sha, _TREE_MODE, name)
            entries = [entry for entry in entries if entry[2] != name] + [new]
            # git's order: by name bytes, a tree's name compared as if it ended in "/"
            entries.sort(key=lambda e: e[2].encode("utf-8") + (b"/" if e[1] == _TREE_MODE else b""))
            buffer = BytesIO()
            tree_to_stream(entries, buffer.write)
            return store(b"tree", buffer.getvalue()), mode

        parent = repo.commit(parent_sha) if parent_sha is not None else None
        blob = store(b"blob", data)
        root, mode = tree_with(
            parent.tree.binsha if parent is not None else None, PurePosixPath(path).parts, blob
        )
        actor = gitpython.Actor(*author)
        commit = gitpython.Commit.create_from_tree(
            repo,
            gitpython.Tree(repo, root, mode=_TREE_MODE, path=""),
            message,
            parent_commits=[parent] if parent is not None else [],
            head=False,
            author=actor,
            committer=actor,
        )
        return commit.hexsha, blob.hex(), mode


# ---------------------------------------------------------------------------------------------
# fetch and push with a token


class PushError(NamedTuple):
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
        refspec = f"{sha}:refs/heads/{branch}"
        done = _run(self.repo._cwd, "push", "--porcelain", self.url, refspec, env=self.env)
        if done.status == 0:
            return None
        return PushError(
            moved=bool(_MOVED.search(done.out + done.err)),
            reason=self.scrub(_reason(done.out, done.err)),
        )

    def fetch(self, branch: str) -> str:
        """The sha of `branch`'s tip on the remote, fetched (at depth 1 in a shallow clone)."""
        args: list[str] = ["--no-tags"]
        if self.repo.is_shallow():
            args.append("--depth=1")
        ref = f"refs/heads/{branch}"
        done = _run(self.repo._cwd, "fetch", *args, self.url, ref, env=self.env)
        if done.status != 0:
            raise GitError(self.scrub(_reason("", done.err)))
        fetched = self.repo.resolve("FETCH_HEAD")
        if fetched is None:
            raise GitError(f"fetched {ref} from {self.scrub(self.url)}, but no commit came")
        return fetched

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
        present = _run(None, "config", "--global", "--get-all", "safe.directory")
    except GitError:  # no git: the pipeline runs without history
        return
    if where in present.out.splitlines() or "*" in present.out.splitlines():
        return
    added = _run(None, "config", "--global", "--add", "safe.directory", where)
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
    if _run(workspace, "rev-parse", "--show-toplevel").status != 0:
        raise GitError(
            f"{workspace} is not a git checkout: add `actions/checkout` (with `fetch-depth: 0`) "
            "before this step"
        )
    current = _run(workspace, "rev-parse", "HEAD").out.strip()
    if current == head_sha:
        yield workspace
        return
    if _run(workspace, "cat-file", "-e", f"{head_sha}^{{commit}}").status != 0:
        fetched = _run(workspace, "fetch", "--no-tags", "--quiet", "origin", head_sha)
        if fetched.status != 0 and pull_number is not None:
            _run(
                workspace,
                "fetch",
                "--no-tags",
                "--quiet",
                "origin",
                f"refs/pull/{pull_number}/head",  # into FETCH_HEAD only: no ref left behind
            )
        if _run(workspace, "cat-file", "-e", f"{head_sha}^{{commit}}").status != 0:
            raise GitError(
                f"the pull request's head commit {head_sha[:12]} is not in the checkout and "
                "could not be fetched; check out with `fetch-depth: 0`"
            )
    scratch = Path(tempfile.mkdtemp(prefix="pattern-verify-head-"))
    tree = scratch / "head"
    added = _run(workspace, "worktree", "add", "--detach", "--force", str(tree), head_sha)
    if added.status != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        which = "the pull request's head" if pull_number is not None else "commit"
        raise GitError(f"could not check out {which} {head_sha[:12]}: {added.err.strip()}")
    try:
        mark_safe_directory(tree)
        yield tree
    finally:
        _run(workspace, "worktree", "remove", "--force", str(tree))
        shutil.rmtree(scratch, ignore_errors=True)
        _run(workspace, "worktree", "prune")


# ---------------------------------------------------------------------------------------------
# the repository being set up (init) and the hook's results


class Branch(NamedTuple):
    name: str
    source: str  # how it was found, for the output


def _query(root: Path, *args: str) -> str | None:
    """A git query's output, or None when it fails (not a repository, no such ref, no git)."""
    try:
        done = _run(root, *args)
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

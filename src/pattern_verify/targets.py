"""Stage 2, targets: which files to scan at the head, and, with a base, the base versions of
only the files the change touched (materialised in a temporary directory)."""

from __future__ import annotations

import codecs
import os
import re
import shutil
import stat
import subprocess
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timezone
from functools import lru_cache
from pathlib import Path

from pattern_verify.config import ResolvedConfig, load_yaml
from pattern_verify.errors import GitError, UsageError
from pattern_verify.models import Repository, Revision, SkippedFile
from pattern_verify.scripts import EXTENSIONS as SCRIPT_HOSTS
from pattern_verify.scripts import LANGUAGES as SCRIPT_LANGUAGES

# Extensions semgrep parses for the languages rules name.
LANGUAGE_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "python": (".py", ".pyi"),
    "typescript": (".ts", ".tsx", ".mts", ".cts"),
    "javascript": (".js", ".jsx", ".mjs", ".cjs"),
}
LANGUAGE_ALIASES = {"py": "python", "ts": "typescript", "js": "javascript"}
# Files that hold code of those languages but that semgrep cannot parse: listed, not verified.
# (.vue, .svelte and .html have their script blocks scanned: `scripts`.)
UNPARSED_EXTENSIONS = {".astro": "javascript"}
MAX_FILE_BYTES = 1_000_000
FETCH_DEPTHS = (50, 500)


@dataclass(frozen=True)
class Change:
    """One file the change touched: `old` is its base path (None when added), `new` its head
    path (None when deleted)."""

    old: str | None
    new: str | None


@dataclass(frozen=True)
class BaseTargets:
    ref: str
    merge_base: Revision
    changes: tuple[Change, ...]
    # base file as scanned (absolute, inside `directory`) → the path it compares with at head
    files: dict[str, str]
    directory: Path
    # the date of the base ref's own commit (its tip, not the merge-base): the latest date the
    # base vouches for, so a change cannot date its run earlier to keep an exception alive
    ref_date: str | None = None


@dataclass(frozen=True)
class Targets:
    root: Path
    files: tuple[str, ...]
    excluded: int
    by_language: dict[str, int]
    not_verified: tuple[SkippedFile, ...]
    repository: Repository
    base: BaseTargets | None = None
    # .vue/.svelte/.html files whose script blocks are scanned (scan extracts them)
    scripts: tuple[str, ...] = ()
    # the root as reports name it: relative to the repository's top ("." for the top), so the
    # document does not change with where the repository is checked out
    root_label: str = "."
    # files under the root that git does not track (nor ignore), of every kind
    untracked: tuple[str, ...] = ()


@lru_cache(maxsize=64)
def _extensions(languages: tuple[str, ...]) -> dict[str, str]:
    """File extension → language, for the languages the rules are written in."""
    by_extension: dict[str, str] = {}
    for language in languages:
        canonical = LANGUAGE_ALIASES.get(language, language)
        for extension in LANGUAGE_EXTENSIONS.get(canonical, ()):
            by_extension.setdefault(extension, canonical)
    return by_extension


def _suffix(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def _language_of(path: str, languages: tuple[str, ...]) -> str | None:
    return _extensions(languages).get(_suffix(path))


def _not_text(path: str | Path) -> str | None:
    """Why a source-named file is not text semgrep can verify, or None when it is. Reads the
    first 8 KiB only: binary files show a NUL byte, other encodings an invalid UTF-8 sequence,
    early (a multi-byte character cut at the 8 KiB edge is not an error)."""
    try:  # os-level: a third of the cost of a buffered file object, per file of thousands
        descriptor = os.open(path, os.O_RDONLY)
        try:
            head = os.read(descriptor, 8192)
        finally:
            os.close(descriptor)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if b"\0" in head:
        return "binary content (not scanned)"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "not UTF-8 text (not scanned)"
    return None


def _open_repo(root: Path):  # type: ignore[no-untyped-def]
    try:
        import git
    except ImportError:  # pragma: no cover - git binary missing makes gitpython fail to import
        return None
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    return repo


def _prefix(repo, root: Path) -> str:  # type: ignore[no-untyped-def]
    """`root` relative to the repository's top, as git names paths ("." for the top)."""
    return root.resolve().relative_to(Path(repo.working_tree_dir).resolve()).as_posix()


def _list_files(root: Path, repo) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """Every file of `root` (tracked and untracked, less what git ignores) and, of those, the
    untracked ones: one walk of the working tree, whose untracked files a pull request's
    comparison counts as changed too."""
    if repo is not None and repo.working_tree_dir is not None:
        prefix = _prefix(repo, root)
        # -t tags each path: `?` untracked, anything else in the index
        args = ["--cached", "--others", "--exclude-standard", "-t", "-z"]
        if prefix != ".":
            args += ["--", prefix]
        out = repo.git.ls_files(*args)
        tagged = [(entry[0], entry[2:]) for entry in out.split("\0") if len(entry) > 2]
        if prefix != ".":
            start = len(prefix) + 1
            tagged = [(tag, p[start:]) for tag, p in tagged if p.startswith(prefix + "/")]
        paths = sorted({p for _, p in tagged})
        untracked = sorted({p for tag, p in tagged if tag == "?"})
        return paths, untracked  # deleted but still indexed files fail lstat in `collect`
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        # not .git, nor a cache (the facts store) that tags itself as tar --exclude-caches reads
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d != ".git" and not os.path.exists(os.path.join(dirpath, d, "CACHEDIR.TAG"))
        )
        for name in filenames:
            found.append((Path(dirpath) / name).relative_to(root).as_posix())
    return sorted(found), []


def _web_url(remote_url: str) -> str | None:
    url = remote_url.strip()
    match = re.fullmatch(r"(?:ssh://)?git@([^:/]+)[:/](.+?)(?:\.git)?/?", url)
    if match:
        return f"https://{match.group(1)}/{match.group(2)}"
    match = re.fullmatch(r"https?://(?:[^@/]+@)?([^/]+)/(.+?)(?:\.git)?/?", url)
    if match:
        return f"https://{match.group(1)}/{match.group(2)}"
    return None


def _revision(commit, ref: str | None = None) -> Revision:  # type: ignore[no-untyped-def]
    date = commit.committed_datetime.astimezone(timezone.utc).date().isoformat()
    return Revision(sha=commit.hexsha, short_sha=commit.hexsha[:7], date=date, ref=ref)


def _uncommitted(repo, root: Path) -> bool:  # type: ignore[no-untyped-def]
    """Whether the tree under `root` differs from its commit (changed, staged or untracked)."""
    try:
        status = repo.git.status(
            "--porcelain", "--untracked-files=normal", "--", _prefix(repo, root)
        )
    except Exception:
        return False
    return bool(status.strip())


def _repository(repo, repo_url: str | None, root: Path) -> Repository:  # type: ignore[no-untyped-def]
    if repo is None:
        return Repository(url=repo_url)
    url = repo_url
    if url is None:
        try:
            url = _web_url(repo.remotes.origin.url)
        except (AttributeError, IndexError, ValueError):
            url = None
    try:
        head_commit = repo.head.commit
    except ValueError:  # an empty repository: no commit yet
        return Repository(url=url)
    branch = None if repo.head.is_detached else repo.active_branch.name
    head = _revision(head_commit, branch)
    if _uncommitted(repo, root):
        head = head.model_copy(update={"uncommitted": True})
    return Repository(url=url, head=head)


def collect(
    root: Path,
    config: ResolvedConfig,
    *,
    repo_url: str | None = None,
    keep: Callable[[str], bool] | None = None,
) -> Targets:
    """The files of `root` to scan at the head, after the config's include/exclude; with
    `keep`, only the paths it keeps are looked at (a shard's slice: the others' checks would
    cost it most of a 30,000-file tree's listing)."""
    if not root.is_dir():
        raise GitError(f"{root}: not a directory")
    repo = _open_repo(root)
    languages = config.languages
    files: list[str] = []
    scripts: list[str] = []
    with_scripts = not SCRIPT_LANGUAGES.isdisjoint(languages)
    excluded = 0
    by_language: Counter[str] = Counter()
    not_verified: list[SkippedFile] = []
    resolved_root = root.resolve()
    # strings, not Paths, in this loop: it runs once per file of the tree
    root_text = str(root)
    listed, untracked = _list_files(root, repo)
    for path in listed:
        if keep is not None and not keep(path):
            continue
        if config.is_excluded(path):
            excluded += 1
            continue
        language = _language_of(path, languages)
        if language is None and with_scripts:
            language = SCRIPT_HOSTS.get(_suffix(path))
        if language is None:
            suffix = _suffix(path)
            if suffix in UNPARSED_EXTENSIONS and UNPARSED_EXTENSIONS[suffix] in languages:
                not_verified.append(
                    SkippedFile(path=path, reason="semgrep cannot parse this file type")
                )
            continue
        full = os.path.join(root_text, path)
        try:
            info = os.lstat(full)
        except OSError:
            continue
        if stat.S_ISLNK(info.st_mode):
            if not Path(full).resolve().is_relative_to(resolved_root):
                not_verified.append(
                    SkippedFile(
                        path=path, reason="symlink pointing outside the repository (not followed)"
                    )
                )
                continue
            try:
                info = os.stat(full)
            except OSError:
                continue
        if not stat.S_ISREG(info.st_mode):
            continue
        if info.st_size > MAX_FILE_BYTES:
            not_verified.append(
                SkippedFile(path=path, reason=f"larger than {MAX_FILE_BYTES:,} bytes (not scanned)")
            )
            continue
        unreadable = _not_text(full)
        if unreadable:
            not_verified.append(SkippedFile(path=path, reason=unreadable))
            continue
        (scripts if language in SCRIPT_HOSTS.values() else files).append(path)
        by_language[language] += 1
    root_label = root.name or "."
    if repo is not None and repo.working_tree_dir is not None:
        root_label = _prefix(repo, root)
    if not files and keep is None:  # a shard's slice may be empty: the merging run judges
        raise UsageError(_nothing_to_scan(root, config, len(listed), excluded, len(not_verified)))
    return Targets(
        root=root,
        root_label=root_label,
        files=tuple(files),
        scripts=tuple(scripts),
        excluded=excluded,
        by_language=dict(sorted(by_language.items())),
        not_verified=tuple(sorted(not_verified, key=lambda s: s.path)),
        repository=_repository(repo, repo_url, root),
        untracked=tuple(untracked),
    )


def _nothing_to_scan(
    root: Path, config: ResolvedConfig, listed: int, excluded: int, unverified: int
) -> str:
    """Why a scope holds no file to scan, and what to change: judging no file would report
    every requirement as if it had been checked."""
    languages = ", ".join(config.languages)
    where = f"{root}: nothing to verify: "
    if listed == 0:
        return where + "the directory has no files (check the path)"
    if config.include:
        globs_text = ", ".join(config.include)
        return (
            where + f"include {globs_text} matches no {languages} file ({listed} files in the "
            f"tree, {excluded} left out); change `include:` in the config or --include"
        )
    detail = f"{excluded} excluded"
    if unverified:
        detail += f", {unverified} not verified"
    return (
        where + f"none of its {listed} files is a {languages} file to scan ({detail}); check "
        "the path, `exclude:` in the config or --exclude"
    )


# ---------------------------------------------------------------------------------------------
# the base of a pull request


def _resolve_commit(repo, ref: str):  # type: ignore[no-untyped-def]
    import git

    try:
        return repo.commit(ref)
    except (git.BadName, git.BadObject, ValueError, git.GitCommandError):
        return None


def _fetch(repo, *args: str) -> bool:  # type: ignore[no-untyped-def]
    import git

    try:
        repo.git.fetch("--no-tags", "--quiet", *args)
    except git.GitCommandError:
        return False
    return True


def _is_shallow(repo) -> bool:  # type: ignore[no-untyped-def]
    # not `.git/shallow`: a worktree's git_dir is .git/worktrees/<name>
    return bool(repo.git.rev_parse("--is-shallow-repository") == "true")


def _merge_base(repo, base_ref: str, head_sha: str):  # type: ignore[no-untyped-def]
    """The merge-base of base and head, fetching (bounded) what a shallow clone lacks."""
    import git

    remote = repo.remotes[0].name if repo.remotes else None
    base = _resolve_commit(repo, base_ref)
    if base is None and remote is not None:
        branch = base_ref.removeprefix(f"{remote}/")
        if _fetch(
            repo, "--depth=1", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"
        ):
            base = _resolve_commit(repo, f"{remote}/{branch}")
        elif re.fullmatch(r"[0-9a-f]{7,40}", base_ref) and _fetch(
            repo, "--depth=1", remote, base_ref
        ):
            base = _resolve_commit(repo, base_ref)
    if base is None:
        raise GitError(f"unknown base ref `{base_ref}`: no such branch, tag or commit")

    def find() -> list:  # type: ignore[type-arg]
        try:
            return repo.merge_base(base, head_sha)  # type: ignore[no-any-return]
        except git.GitCommandError:
            return []

    found = find()
    if not found and _is_shallow(repo) and remote is not None:
        for depth in FETCH_DEPTHS:
            _fetch(repo, f"--deepen={depth}", remote)
            found = find()
            if found:
                break
        else:
            if _fetch(repo, "--unshallow", remote):
                found = find()
    if not found:
        if _is_shallow(repo):
            raise GitError(
                f"the history of this shallow clone does not reach the merge-base of `{base_ref}` "
                "and HEAD, and it could not be fetched; check out with full history "
                "(actions/checkout: `fetch-depth: 0`)"
            )
        raise GitError(f"`{base_ref}` and HEAD have no common history (no merge-base)")
    return base, found[0]


def _changes(repo, merge_base_sha: str, head: str | None) -> list[Change]:  # type: ignore[no-untyped-def]
    """The files that differ between the merge-base and `head` (None: the working tree, whose
    untracked files the caller adds: it listed them already)."""
    args = ["--name-status", "-M", "-z", "--no-color", merge_base_sha]
    if head is not None:
        args.append(head)
    fields = [f for f in repo.git.diff(*args).split("\0") if f]
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
    return changes


_OBJECT_HEADER = re.compile(rb"[0-9a-f]{40,64} (blob|tree|commit|tag) ([0-9]+)")


def _blobs(top: Path, commit: str, paths: list[str]) -> list[bytes | None]:
    """The content of each path at `commit` (None where it is no file there), read by one
    `git cat-file --batch` (GitPython's tree walk cost ~5 ms a file)."""
    if not paths:
        return []
    separator = "\0" if any("\n" in p for p in paths) else "\n"
    # -z (git 2.38+) only when a name needs it
    command = ["git", "cat-file", "--batch", *(["-z"] if separator == "\0" else [])]
    names = "".join(f"{commit}:{path}{separator}" for path in paths).encode("utf-8")
    try:
        done = subprocess.run(command, cwd=top, input=names, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed; a pull request needs it (merge-base, head)") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"could not read the base versions of the changed files: {message}")
    out = done.stdout
    contents: list[bytes | None] = []
    position = 0
    for _ in paths:
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


@contextmanager
def with_base(targets: Targets, config: ResolvedConfig, base_ref: str) -> Iterator[Targets]:
    """Targets plus the base versions of the changed files, in a temporary directory that is
    removed when the block ends."""
    repo = _open_repo(targets.root)
    if repo is None:
        raise GitError(f"--base needs a git repository; {targets.root} is not one")
    try:
        head_commit = repo.head.commit
    except ValueError:
        raise GitError("--base needs a commit at HEAD; the repository is empty") from None
    base_commit, merge_base = _merge_base(repo, base_ref, head_commit.hexsha)
    prefix = _prefix(repo, targets.root)

    def local(path: str | None) -> str | None:
        if path is None or prefix == ".":
            return path
        return path[len(prefix) + 1 :] if path.startswith(prefix + "/") else None

    changes = [
        Change(old=local(c.old), new=local(c.new)) for c in _changes(repo, merge_base.hexsha, None)
    ]
    changes = [c for c in changes if c.old is not None or c.new is not None]
    changes += [Change(old=None, new=path) for path in targets.untracked]
    # inside the repository (its git dir): semgrep scans targets outside the project root
    # markedly slower (measured ~0.8 s more for 10 files on a 3,000-file tree)
    directory = Path(tempfile.mkdtemp(prefix="pattern-verify-base-", dir=repo.git_dir))
    try:
        with_scripts = not SCRIPT_LANGUAGES.isdisjoint(config.languages)
        wanted = [
            change
            for change in changes
            if change.old is not None
            and not config.is_excluded(change.old)
            and (
                _language_of(change.old, config.languages) is not None
                or (with_scripts and _suffix(change.old) in SCRIPT_HOSTS)
            )
        ]
        blobs = _blobs(
            Path(repo.working_tree_dir),
            merge_base.hexsha,
            [c.old if prefix == "." else f"{prefix}/{c.old}" for c in wanted if c.old],
        )
        files: dict[str, str] = {}
        for change, data in zip(wanted, blobs, strict=True):
            assert change.old is not None  # selected so
            if data is None or len(data) > MAX_FILE_BYTES:
                continue
            destination = directory / change.old
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(data)
            # a deleted file compares with its own path; a renamed one with its new path
            files[str(destination)] = change.new if change.new is not None else change.old
        base = BaseTargets(
            ref=base_ref,
            merge_base=_revision(merge_base),
            changes=tuple(changes),
            files=files,
            directory=directory,
            ref_date=_revision(base_commit).date,
        )
        repository = targets.repository.model_copy(
            update={
                "base": _revision(merge_base, base_ref),
                "base_ref": base_ref,
                "changed_files": len(changes),
            }
        )
        yield Targets(
            root=targets.root,
            root_label=targets.root_label,
            files=targets.files,
            scripts=targets.scripts,
            excluded=targets.excluded,
            by_language=targets.by_language,
            not_verified=targets.not_verified,
            repository=repository,
            base=base,
        )
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def text_at_merge_base(targets: Targets, path: Path) -> str | None:
    """The text of `path` (a file of the tree) as it is at the merge-base of `targets`, or None
    when it did not exist there or is not inside the repository."""
    repo = _open_repo(targets.root)
    if repo is None or targets.base is None or repo.working_tree_dir is None:
        return None
    try:
        relative = path.resolve().relative_to(Path(repo.working_tree_dir).resolve()).as_posix()
        blob = repo.commit(targets.base.merge_base.sha).tree / relative
        text: str = blob.data_stream.read().decode("utf-8")
    except (KeyError, ValueError, UnicodeDecodeError):
        return None
    return text


# ---------------------------------------------------------------------------------------------
# the head of a pull request, in the container


def mark_safe_directory(path: Path) -> None:
    """Let git work in a workspace owned by another user (the runner's, mounted into the
    container): `safe.directory`, added once, in the global config."""
    where = str(path.resolve())
    try:
        present = subprocess.run(
            ["git", "config", "--global", "--get-all", "safe.directory"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.splitlines()
        if where in present or "*" in present:
            return
        subprocess.run(
            ["git", "config", "--global", "--add", "safe.directory", where],
            capture_output=True,
            text=True,
            check=True,
        )
    except FileNotFoundError:  # no git: the pipeline runs without history
        return
    except subprocess.CalledProcessError as exc:
        raise GitError(
            f"could not mark {where} as a git safe.directory: {exc.stderr.strip()}"
        ) from None


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed; a pull request needs it (merge-base, head)") from None


@contextmanager
def head_tree(workspace: Path, head_sha: str | None, pull_number: int | None) -> Iterator[Path]:
    """The tree to verify: the workspace itself, or, when a pull request's head is not what is
    checked out (`actions/checkout` checks out the test merge commit for `pull_request` and the
    base for `pull_request_target`), a temporary worktree at the head. The workspace is left
    as the checkout made it, for the steps that follow."""
    if head_sha is None:
        yield workspace
        return
    top = _git(workspace, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise GitError(
            f"{workspace} is not a git checkout: add `actions/checkout` (with `fetch-depth: 0`) "
            "before this step"
        )
    current = _git(workspace, "rev-parse", "HEAD").stdout.strip()
    if current == head_sha:
        yield workspace
        return
    if _git(workspace, "cat-file", "-e", f"{head_sha}^{{commit}}").returncode != 0:
        fetched = _git(workspace, "fetch", "--no-tags", "--quiet", "origin", head_sha)
        if fetched.returncode != 0 and pull_number is not None:
            _git(
                workspace,
                "fetch",
                "--no-tags",
                "--quiet",
                "origin",
                f"refs/pull/{pull_number}/head",  # into FETCH_HEAD only: no ref left behind
            )
        if _git(workspace, "cat-file", "-e", f"{head_sha}^{{commit}}").returncode != 0:
            raise GitError(
                f"the pull request's head commit {head_sha[:12]} is not in the checkout and "
                "could not be fetched; check out with `fetch-depth: 0`"
            )
    scratch = Path(tempfile.mkdtemp(prefix="pattern-verify-head-"))
    tree = scratch / "head"
    added = _git(workspace, "worktree", "add", "--detach", "--force", str(tree), head_sha)
    if added.returncode != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        which = "the pull request's head" if pull_number is not None else "commit"
        raise GitError(f"could not check out {which} {head_sha[:12]}: {added.stderr.strip()}")
    try:
        mark_safe_directory(tree)
        yield tree
    finally:
        _git(workspace, "worktree", "remove", "--force", str(tree))
        shutil.rmtree(scratch, ignore_errors=True)
        _git(workspace, "worktree", "prune")


# ---------------------------------------------------------------------------------------------
# trusted configuration (pull_request_target): config, rules and templates from the base


def _config_references(config_file: Path) -> list[str]:
    """Repository paths a config names: custom rule files, a pack directory, templates."""
    import yaml

    try:
        data = load_yaml(config_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []  # config loading reports it, with the file and line
    if not isinstance(data, dict):
        return []
    paths: list[str] = []
    pack = data.get("pack")
    if isinstance(pack, str) and ("/" in pack or pack.startswith(".")):
        paths.append(pack)
    if isinstance(data.get("templates"), str):
        paths.append(data["templates"])
    for requirement in data.get("requirements") or []:
        if isinstance(requirement, dict):
            paths.extend(r for r in requirement.get("rules") or [] if isinstance(r, str))
    return paths


def _export(commit, repo_path: str, destination: Path) -> None:  # type: ignore[no-untyped-def]
    try:
        item = commit.tree / repo_path
    except KeyError:
        return
    items = item.traverse() if item.type == "tree" else [item]
    for blob in items:
        if blob.type != "blob":
            continue
        target = destination / blob.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.data_stream.read())


@contextmanager
def trusted_config_root(root: Path, base_ref: str, config_path: Path | None) -> Iterator[Path]:
    """A temporary directory holding the config, its rule files, pack and templates exactly
    as they are at `base_ref`, so a pull request cannot weaken the check that judges it."""
    from pattern_verify.config import CONFIG_LOCATIONS

    repo = _open_repo(root)
    if repo is None:
        raise GitError("trusted-config: base needs a git repository")
    try:
        head_sha = repo.head.commit.hexsha
    except ValueError:
        raise GitError("trusted-config: base needs a commit at HEAD") from None
    base, _ = _merge_base(repo, base_ref, head_sha)
    prefix = _prefix(repo, root)

    def repo_path(path: str) -> str:
        return path if prefix == "." else f"{prefix}/{path}"

    if config_path is not None:
        try:
            relative = config_path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            raise GitError(
                f"trusted-config: base needs the config inside the repository, not {config_path}"
            ) from None
        candidates = [relative]
    else:
        candidates = list(CONFIG_LOCATIONS)
    directory = Path(tempfile.mkdtemp(prefix="pattern-verify-trusted-"))
    try:
        for candidate in candidates:
            _export(base, repo_path(candidate), directory / "_repo")
        local = directory / "_repo" / (prefix if prefix != "." else "")
        for candidate in candidates:
            config_file = local / candidate
            if config_file.is_file():
                base_dir = config_file.parent
                if base_dir.name == ".github":
                    base_dir = base_dir.parent
                for reference in _config_references(config_file):
                    referenced = (base_dir / reference).resolve()
                    if referenced.is_relative_to(local.resolve()):
                        _export(
                            base,
                            repo_path(referenced.relative_to(local.resolve()).as_posix()),
                            directory / "_repo",
                        )
                break
        local.mkdir(parents=True, exist_ok=True)
        yield local
    finally:
        shutil.rmtree(directory, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# the repository being set up (init) and the hook's results


@dataclass(frozen=True)
class Branch:
    name: str
    source: str  # how it was found, for the output


def _query(root: Path, *args: str) -> str | None:
    """A git query's output, or None when it fails (not a repository, no such ref, no git)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


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

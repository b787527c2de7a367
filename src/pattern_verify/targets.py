"""Stage 2, targets: which files to scan at the head, and, with a base, the base versions of
only the files the change touched (materialised in a temporary directory)."""

from __future__ import annotations

import codecs
import os
import shutil
import stat
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

from pattern_verify import git
from pattern_verify.config import ResolvedConfig
from pattern_verify.errors import GitError, UsageError
from pattern_verify.git import Change, Listing, MergeBase
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
_SCRIPT_HOST_LANGUAGES = frozenset(SCRIPT_HOSTS.values())

# What `collect` concluded about a path, as a short code (`Targets.conclusions`): excluded by
# the config, no file to scan (another language), not verified (the reason follows), or a file
# to scan (its language follows). Only conclusions that hold for any checkout of the same bytes
# at the same path under the same config are given codes: a symlink, a file that cannot be
# read, anything but a regular file is looked at again by every run.
EXCLUDED = "x"
OTHER = "o"
NOT_VERIFIED = "n"
TARGET = "t"


class Checkout:
    """The git side of the tree a run verifies, each question asked of git once per run:
    the listing, the head commit, a base ref's merge-base, what changed since a commit."""

    def __init__(self, repo: git.Repo, root: Path) -> None:
        self.repo = repo
        self.root = root
        self._merge_bases: dict[str, MergeBase] = {}
        self._changes: dict[str, tuple[Change, ...]] = {}

    @cached_property
    def listing(self) -> Listing:
        return self.repo.list_files(self.root)

    @cached_property
    def head_sha(self) -> str | None:
        return self.repo.head_sha()

    def merge_base(self, base_ref: str) -> MergeBase:
        """The base ref's commit and its merge-base with the head (GitError without a head)."""
        if base_ref not in self._merge_bases:
            if self.head_sha is None:
                raise GitError("--base needs a commit at HEAD; the repository is empty")
            self._merge_bases[base_ref] = self.repo.merge_base(base_ref, self.head_sha)
        return self._merge_bases[base_ref]

    def changes(self, since: str) -> tuple[Change, ...]:
        """The tracked files under the root that differ between commit `since` and the
        working tree (staged or not), renames followed."""
        if since not in self._changes:
            self._changes[since] = tuple(self.repo.changes(self.root, since))
        return self._changes[since]


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
    # in a git working tree: the repository, asked once (None outside one)
    checkout: Checkout | None = None
    # the tracked files under the root that differ from the head commit, as git's status said
    # after `collect` had looked at every path (None when it was not asked)
    changed: frozenset[str] | None = None
    # what was concluded of each path looked at (codes above), and the stamp (mtime, size) of
    # each one whose conclusion rests on its bytes, taken before they were read
    conclusions: Mapping[str, str] = field(default_factory=dict)
    stamps: Mapping[str, tuple[int, int]] = field(default_factory=dict)


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


_UTF8_DECODER = codecs.getincrementaldecoder("utf-8")


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
    if head.isascii():  # most source files: nothing to decode
        return None
    try:
        _UTF8_DECODER().decode(head, final=False)
    except UnicodeDecodeError:
        return "not UTF-8 text (not scanned)"
    return None


def _walk(root: Path) -> list[str]:
    """Every file of `root` outside a repository: not .git, nor a cache (the facts store) that
    tags itself as tar --exclude-caches reads."""
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d != ".git" and not os.path.exists(os.path.join(dirpath, d, "CACHEDIR.TAG"))
        )
        for name in filenames:
            found.append((Path(dirpath) / name).relative_to(root).as_posix())
    return sorted(found)


def collect(
    root: Path,
    config: ResolvedConfig,
    *,
    repo_url: str | None = None,
    keep: Callable[[str], bool] | None = None,
    known: Callable[[Checkout], Mapping[str, str] | None] | None = None,
) -> Targets:
    """The files of `root` to scan at the head, after the config's include/exclude; with
    `keep`, only the paths it keeps are looked at (a shard's slice: the others' checks would
    cost it most of a 30,000-file tree's listing). `known`: asked, in a git working tree, for
    the paths whose conclusions are known already (unchanged since an earlier run drew them):
    those are taken as they are, without looking at the file."""
    if not root.is_dir():
        raise GitError(f"{root}: not a directory")
    repo = git.find(root)
    # in a working tree git lists the files (tracked and untracked, less what it ignores): the
    # untracked ones a pull request's comparison counts as changed too
    checkout = Checkout(repo, root) if repo is not None and repo.top is not None else None
    if checkout is not None:
        listed, untracked = checkout.listing.paths, checkout.listing.untracked
    else:
        listed, untracked = _walk(root), []
    given = known(checkout) if known is not None and checkout is not None else None
    given = given or {}
    languages = config.languages
    files: list[str] = []
    scripts: list[str] = []
    with_scripts = not SCRIPT_LANGUAGES.isdisjoint(languages)
    excluded = 0
    by_language: Counter[str] = Counter()
    not_verified: list[SkippedFile] = []
    conclusions: dict[str, str] = {}
    stamps: dict[str, tuple[int, int]] = {}
    resolved_root = root.resolve()
    # strings, not Paths, in this loop: it runs once per file of the tree
    root_text = str(root)
    for path in listed:
        if keep is not None and not keep(path):
            continue
        code = given.get(path)
        if code is None:
            concluded = _conclude(path, config, languages, with_scripts, root_text, resolved_root)
            if concluded is None:
                continue
            code, stamp = concluded
            if stamp is not None:
                conclusions[path] = code
                if stamp:
                    stamps[path] = stamp
        kind = code[0]
        if kind == TARGET:
            language = code[1:]
            (scripts if language in _SCRIPT_HOST_LANGUAGES else files).append(path)
            by_language[language] += 1
        elif kind == EXCLUDED:
            excluded += 1
        elif kind == NOT_VERIFIED:
            not_verified.append(SkippedFile(path=path, reason=code[1:]))
    root_label = root.name or "."
    changed: set[str] | None = None
    if checkout is not None:
        root_label = checkout.repo.prefix(root)
        if known is not None or not untracked:
            # asked after every path was looked at, before any is read for its facts: what a
            # tree entry this run writes rests on (`trees`); the report's "uncommitted" too
            changed = checkout.repo.tracked_changes(root)
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
        repository=Repository(url=repo_url)
        if repo is None
        else repo.describe(root, repo_url, untracked=bool(untracked), changed=changed),
        untracked=tuple(untracked),
        checkout=checkout,
        changed=frozenset(changed) if changed is not None else None,
        conclusions=conclusions,
        stamps=stamps,
    )


def _conclude(
    path: str,
    config: ResolvedConfig,
    languages: tuple[str, ...],
    with_scripts: bool,
    root_text: str,
    resolved_root: Path,
) -> tuple[str, tuple[int, int] | tuple[()] | None] | None:
    """What to make of one listed path (a code above), None for nothing (no such file now,
    not a regular file); with the file's stamp when the code rests on its bytes, `()` when it
    rests on the path alone, None when another run may not take it over (a symlink, whose
    target may change while it does not; a file that cannot be read)."""
    if config.is_excluded(path):
        return EXCLUDED, ()
    language = _language_of(path, languages)
    if language is None and with_scripts:
        language = SCRIPT_HOSTS.get(_suffix(path))
    if language is None:
        suffix = _suffix(path)
        if suffix in UNPARSED_EXTENSIONS and UNPARSED_EXTENSIONS[suffix] in languages:
            return NOT_VERIFIED + "semgrep cannot parse this file type", ()
        return OTHER, ()
    full = os.path.join(root_text, path)
    try:
        info = os.lstat(full)
    except OSError:
        return None
    stamp: tuple[int, int] | None = (info.st_mtime_ns, info.st_size)
    if stat.S_ISLNK(info.st_mode):
        if not Path(full).resolve().is_relative_to(resolved_root):
            reason = "symlink pointing outside the repository (not followed)"
            return NOT_VERIFIED + reason, None
        try:
            info = os.stat(full)
        except OSError:
            return None
        stamp = None
    if not stat.S_ISREG(info.st_mode):
        return None
    if info.st_size > MAX_FILE_BYTES:
        return NOT_VERIFIED + f"larger than {MAX_FILE_BYTES:,} bytes (not scanned)", stamp
    unreadable = _not_text(full)
    if unreadable is None:
        return TARGET + language, stamp
    if unreadable.startswith("cannot be read"):
        stamp = None
    return NOT_VERIFIED + unreadable, stamp


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


@contextmanager
def with_base(targets: Targets, config: ResolvedConfig, base_ref: str) -> Iterator[Targets]:
    """Targets plus the base versions of the changed files, in a temporary directory that is
    removed when the block ends."""
    checkout = targets.checkout
    if checkout is None:
        repo = git.find(targets.root)
        if repo is None or repo.top is None:
            raise GitError(
                f"--base needs a git repository; {targets.root} is not one"
                if git.installed()
                else git.NOT_INSTALLED
            )
        checkout = Checkout(repo, targets.root)
    repo = checkout.repo
    found = checkout.merge_base(base_ref)
    merge_base_sha = str(found.merge_base.sha)
    changes = list(checkout.changes(merge_base_sha))
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
        blobs = repo.blobs(targets.root, merge_base_sha, [c.old for c in wanted if c.old])
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
            merge_base=found.merge_base,
            changes=tuple(changes),
            files=files,
            directory=directory,
            ref_date=found.base.date,
        )
        repository = targets.repository.model_copy(
            update={
                "base": found.merge_base.model_copy(update={"ref": base_ref}),
                "base_ref": base_ref,
                "changed_files": len(changes),
            }
        )
        yield replace(targets, repository=repository, base=base)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def text_at_merge_base(targets: Targets, path: Path) -> str | None:
    """The text of `path` (a file of the tree) as it is at the merge-base of `targets`, or None
    when it did not exist there or is not inside the repository."""
    repo = git.find(targets.root)
    if repo is None or targets.base is None or targets.base.merge_base.sha is None:
        return None
    return repo.text_at(targets.base.merge_base.sha, path)

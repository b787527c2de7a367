"""The facts store's tree entries: what a run concluded about every file of a committed tree,
in one entry, so that a later run over that tree (a pull request on its base, the same commit
again) looks at the files that differ from it only.

A run whose head is a commit writes one tree entry (`TreeEntries.keeper`) for the paths under
its root that are clean in the working tree: per path, what `targets.collect` concluded
(excluded, another language, not verified and why, a file to scan and its language), and for
the files to scan their facts and, when they mention `pattern-verify:`, their text (for the
allow comments). Its key (`tree_key`) is the identity of the facts (rules, engine, semgrep's
version, this tool's version), everything of the config that decides which files are scanned,
the root's place in the repository, the git id of the root's tree and how git checks blobs out
there (`git.Repo.checkout_settings`): the same content gives the same entry, whatever the
commit.

A later run (`TreeEntries.lookup`) takes the entry of its head's tree, else the one of its
base's merge-base, and asks git which paths differ between that tree and the working tree
(tracked changes, staged or not, deletions, both sides of a rename), adding the untracked
files and those git may not compare (assume-unchanged, skip-worktree, unmerged). Every other
path takes its conclusion and facts from the entry: not looked at, read or hashed. What the
entry does not name (a symlink, a file that could not be read, one semgrep timed out on) is
looked at as without it. No entry is used or written when a `.gitattributes` file under the
root differs, or when git may convert files on checkout (end of line, filters, `ident`,
encodings): git then counts a file unchanged that may hold other bytes than its blob.

Proven before an entry is written: every path it names was clean when git's status was asked
(after `targets.collect` had looked at every path, before any file was read for its facts), and
the file's stamp (mtime, size) did not change from before it was first looked at until the
entry is written: what was concluded is of the blob's bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from pydantic import Field

from pattern_verify import scripts, targets
from pattern_verify.config import ResolvedConfig
from pattern_verify.errors import GitError
from pattern_verify.facts import (
    Facts,
    FileFacts,
    Identity,
    OnKeep,
    Target,
    decode,
    digest,
    keepable,
)
from pattern_verify.models import Model
from pattern_verify.store import FactsStore

FORMAT = "pattern-verify-tree/1"
_ATTRIBUTES = ".gitattributes"


class AllowsReader(Protocol):
    """The allow comments' reader (`allows.Reader`, a stage above this one)."""

    def unchanged(self, paths: Collection[str], texts: Mapping[str, str]) -> None: ...

    def mention(self, path: str) -> tuple[bool, bytes | None]: ...


class _TreeEntry(Model):
    """One tree entry: each path's conclusion (`targets` codes), the facts of the files to
    scan that have any, the text of those that mention the directive, the run-wide errors."""

    format: Literal["pattern-verify-tree/1"]
    key: str
    paths: dict[str, str]
    facts: dict[str, FileFacts] = Field(default_factory=dict)
    texts: dict[str, str] = Field(default_factory=dict)
    errors: tuple[str, ...] = ()


def selection(config: ResolvedConfig) -> str:
    """Everything that decides what `targets.collect` concludes about a path, but its bytes."""
    return json.dumps(
        [
            config.include,
            [rule.pattern for rule in config.exclude],
            config.languages,
            targets.LANGUAGE_EXTENSIONS,
            targets.LANGUAGE_ALIASES,
            targets.UNPARSED_EXTENSIONS,
            targets.MAX_FILE_BYTES,
            scripts.EXTENSIONS,
            sorted(scripts.LANGUAGES),
        ]
    )


def tree_key(
    identity: Identity, config: ResolvedConfig, prefix: str, tree_id: str, checkout: str
) -> str:
    return digest(FORMAT, identity.digest, selection(config), prefix, tree_id, checkout)


def _touches_attributes(paths: set[str]) -> bool:
    return any(p == _ATTRIBUTES or p.endswith("/" + _ATTRIBUTES) for p in paths)


def _differing(checkout: targets.Checkout, since: str) -> set[str]:
    """The paths under the root that may differ from commit `since` in the working tree."""
    listing = checkout.listing
    found = {p for c in checkout.changes(since) for p in (c.old, c.new) if p is not None}
    return found | set(listing.untracked) | set(listing.unsure)


@dataclass
class _Head:
    """Where this run may write its head's entry."""

    sha: str
    key: str
    checkout: str  # the checkout settings the key was made with


class TreeEntries:
    """The tree entries of one run: the one it uses (`lookup`, for `targets.collect`) and the
    one it writes (`keep`, before the store writes)."""

    def __init__(
        self,
        store: FactsStore,
        identity: Identity,
        config: ResolvedConfig,
        base_ref: str | None,
    ) -> None:
        self.store = store
        self.identity = identity
        self.config = config
        self.base_ref = base_ref
        self.used: _TreeEntry | None = None
        self.known: dict[str, str] = {}  # the paths the used entry vouches for
        self._head: _Head | None = None

    # -- reading ---------------------------------------------------------------------------

    def lookup(self, checkout: targets.Checkout) -> Mapping[str, str] | None:
        """The conclusions of the paths an entry of the head's tree, else of the merge-base's,
        vouches for; None without one."""
        head = checkout.head_sha
        if head is None:
            return None
        commits = [head]
        if self.base_ref is not None:
            with contextlib.suppress(GitError):  # said by the base's own stage
                commits.append(str(checkout.merge_base(self.base_ref).merge_base.sha))
        repo = checkout.repo
        prefix = repo.prefix(checkout.root)
        settings = repo.checkout_settings(checkout.root)
        keys = [
            tree_key(self.identity, self.config, prefix, tree_id, settings.text)
            if tree_id is not None
            else None
            for tree_id in repo.tree_ids(checkout.root, commits)
        ]
        found_head = False
        for commit, key in zip(commits, keys, strict=True):
            if key is None:
                continue
            entry = decode(_TreeEntry, key, self.store.get(key))
            if entry is None:
                continue
            found_head = found_head or commit == head
            differing = _differing(checkout, commit)
            if _touches_attributes(differing):
                break
            known = dict(entry.paths)
            for path in differing:
                known.pop(path, None)
            self.used, self.known = entry, known
            break
        if self.used is None and not found_head and keys[0] is not None:
            self._head = _Head(head, keys[0], settings.text)
        return self.known or None

    def known_facts(self) -> dict[str, FileFacts]:
        """The facts of the files to scan the used entry vouches for."""
        if self.used is None:
            return {}
        facts = self.used.facts
        empty = FileFacts()
        return {
            path: facts.get(path, empty)
            for path, code in self.known.items()
            if code[0] == targets.TARGET
        }

    def tell(self, reader: AllowsReader) -> None:
        """The allow comments' reader, told which files the used entry vouches for."""
        if self.used is not None:
            reader.unchanged(self.known, self.used.texts)

    @property
    def errors(self) -> tuple[str, ...] | None:
        return self.used.errors if self.used is not None else None

    # -- writing ---------------------------------------------------------------------------

    def keeper(self, head_targets: targets.Targets, reader: AllowsReader) -> OnKeep | None:
        """What writes the head's entry when the facts are kept, or None when this run does
        not write one (an entry was used or is there already, no commit, a read-only store)."""
        if self._head is None or not self.store.writable or head_targets.checkout is None:
            return None
        head, checkout = self._head, head_targets.checkout

        def keep(
            found: Facts,
            stamps: dict[Target, tuple[int, int]],
            now: dict[Target, tuple[int, int]],
        ) -> None:
            entry = self._entry(head, checkout, head_targets, reader, found, stamps, now)
            if entry is not None:
                data = entry.model_dump_json(exclude_defaults=True).encode("utf-8")
                self.store.put(head.key, data)

        return keep

    def _entry(
        self,
        head: _Head,
        checkout: targets.Checkout,
        head_targets: targets.Targets,
        reader: AllowsReader,
        found: Facts,
        stamps: dict[Target, tuple[int, int]],
        now: dict[Target, tuple[int, int]],
    ) -> _TreeEntry | None:
        repo, root = checkout.repo, checkout.root
        # what differs from the head commit, as git's status said after every path was looked
        # at and before any was read for its facts: with a file's stamp unchanged from before
        # it was looked at until now, its bytes were the blob's all along
        if head_targets.changed is None:
            return None
        listing = checkout.listing
        differing = set(head_targets.changed) | set(listing.untracked) | set(listing.unsure)
        if _touches_attributes(differing):
            return None
        inside = [p for p in listing.paths if p == _ATTRIBUTES or p.endswith("/" + _ATTRIBUTES)]
        settings = repo.checkout_settings(root, inside)
        if settings.converts or settings.text != head.checkout:
            return None
        facts = {t.path: f for t, f in found.files.items() if t.side == "head"}
        read_at = {t.path: s for t, s in stamps.items() if t.side == "head"}
        stamped = {t.path: s for t, s in now.items() if t.side == "head"}
        paths: dict[str, str] = {}
        kept: dict[str, FileFacts] = {}
        texts: dict[str, str] = {}
        root_text = str(root)
        files = set(head_targets.files)
        for path, code in head_targets.conclusions.items():
            if path in differing:
                continue
            stamp = head_targets.stamps.get(path)
            full = os.path.join(root_text, path)
            if stamp is not None and (stamped.get(path) or _stamp(full)) != stamp:
                continue  # changed while the run looked at it
            if code[0] == targets.TARGET:
                file_facts = facts.get(path)
                if file_facts is None or not keepable(file_facts) or read_at.get(path) != stamp:
                    continue
                if path in files:
                    seen, data = reader.mention(full)
                    if not seen:
                        continue
                    if data is not None:
                        texts[path] = data.decode("utf-8", errors="replace")
                if file_facts != _EMPTY:
                    kept[path] = file_facts
            paths[path] = code
        return _TreeEntry(
            format=FORMAT, key=head.key, paths=paths, facts=kept, texts=texts, errors=found.errors
        )


_EMPTY = FileFacts()


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size

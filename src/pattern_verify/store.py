"""The facts store on disk: packs of entries, each pack written atomically, pruned least
recently used first.

It knows nothing of what an entry means: `facts` decides the keys and checks what it reads.
The store guarantees that an entry it returns is exactly what a run wrote under that key:

- A run writes the entries it adds as ONE pack (`<dir>/facts-v1/<time>-<pid>-<random>.pack`),
  to a temporary file moved into place with `os.replace` (atomic on POSIX): a reader never sees
  half a pack, and runs sharing the store never write the same file. One file per run instead
  of one per entry: on a 3,000-file tree, 3,000 small writes cost more than the tool's own
  stages together.
- Every line of a pack is `<key> <checksum> <entry>`; a line whose checksum does not match
  (truncated, corrupt) or a file that is not a pack (foreign) is ignored, so its keys are
  scanned again; the run that does so writes them anew and folds what was sound in the damaged
  pack into its own pack, then deletes the damaged one. A line's checksum is checked when its
  entry is read (a run reads few of the entries it indexes), and again before a fold carries
  it on.
- A run that reads a pack touches its mtime. When a run wrote and the packs exceed `MAX_BYTES`,
  the least recently used packs are deleted until they fit in `PRUNE_TO` of it; when there are
  more than `MAX_PACKS`, the writing run folds them all into its own pack (most recently used
  first, up to `PRUNE_TO` of the budget) and deletes them. A pack another run deletes
  meanwhile is skipped: a miss, never a wrong answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

DEFAULT_DIRNAME = ".pattern-verify-cache"
CACHE_DIR_ENV = "PATTERN_VERIFY_CACHE_DIR"
ENTRIES = "facts-v1"  # a later format sits beside this one, never mixed with it
HEADER = b"pattern-verify facts pack 1\n"
MAX_BYTES = 200 * 1024 * 1024  # an entry is ~250 bytes for a file without facts
PRUNE_TO = 0.8
MAX_PACKS = 32
_GITIGNORE = "# written by pattern-verify: the facts store is never committed\n*\n"
# tar --exclude-caches, backup tools and pattern-verify's own file walk skip such a directory
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by pattern-verify.\n"
)


def json_entry(data: bytes | None, kind: str, key: str) -> dict[str, Any] | None:
    """An entry kept as a JSON object `{"format": kind, "key": key, ...}`, decoded; None when
    there is none, or it is not JSON, of another format or written for another key (the
    store returns what was written; what it means is checked here, once for every such
    entry)."""
    if data is None:
        return None
    try:
        found = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(found, dict) or found.get("format") != kind or found.get("key") != key:
        return None
    return found


def _checksum(entry: bytes) -> bytes:
    return hashlib.blake2b(entry, digest_size=16).hexdigest().encode()


class FactsStore:
    """Entries by key (hex digests) under `directory`. `writable=False`: reads only (a pull
    request's run in the default branch's cache scope must never write there)."""

    def __init__(
        self,
        directory: Path,
        *,
        writable: bool = True,
        max_bytes: int = MAX_BYTES,
        max_packs: int = MAX_PACKS,
    ) -> None:
        self.directory = directory
        self.writable = writable
        self.max_bytes = max_bytes
        self.max_packs = max_packs
        self.packs = directory / ENTRIES
        self.written = 0
        self._index: dict[bytes, tuple[bytes, str]] | None = None  # key → line, pack
        self._sizes: dict[str, tuple[float, int]] = {}  # pack → mtime, size
        self._damaged: set[str] = set()
        self._used: set[str] = set()
        self._new: dict[bytes, bytes] = {}

    # -- reading ---------------------------------------------------------------------------

    def _load(self) -> dict[bytes, tuple[bytes, str]]:
        if self._index is not None:
            return self._index
        index: dict[bytes, tuple[bytes, str]] = {}
        try:
            found = [e for e in os.scandir(self.packs) if e.name.endswith(".pack")]
        except OSError:
            found = []
        packs: list[tuple[float, str, bytes]] = []
        for entry in found:
            try:
                info = entry.stat()
                with open(entry.path, "rb") as file:
                    data = file.read()
            except OSError:  # deleted by another run meanwhile
                continue
            self._sizes[entry.name] = (info.st_mtime, info.st_size)
            packs.append((info.st_mtime, entry.name, data))
        # oldest first, so that a key in a newer pack wins; each line's checksum is checked
        # when its entry is read (`get`, `_carried`), not here: a run reads a few of the
        # thousands of entries it indexes (blake2b over every line cost 0.07 s at 30,000)
        for _, name, data in sorted(packs):
            if not data.startswith(HEADER):
                self._damaged.add(name)
                continue
            lines = data[len(HEADER) :].split(b"\n")
            if lines[-1]:  # cut short: the last line has no end
                self._damaged.add(name)
            for line in lines[:-1]:
                space = line.find(b" ")
                if space <= 0:
                    self._damaged.add(name)
                    continue
                index[line[:space]] = (line, name)
        self._index = index
        return index

    def _entry(self, line: bytes, name: str) -> bytes | None:
        """The entry of an indexed line, when its checksum holds (else the pack is damaged)."""
        parts = line.split(b" ", 2)
        if len(parts) != 3 or _checksum(parts[2]) != parts[1]:
            self._damaged.add(name)
            return None
        return parts[2]

    def get(self, key: str) -> bytes | None:
        """The entry written under `key`, or None."""
        found = self._load().get(key.encode("ascii"))
        if found is None:
            return None
        entry = self._entry(*found)
        if entry is not None:
            self._used.add(found[1])
        return entry

    # -- writing ---------------------------------------------------------------------------

    def put(self, key: str, entry: bytes) -> None:
        """Keep an entry for the pack this run writes (`flush`)."""
        if self.writable and b"\n" not in entry:
            self._new[key.encode("ascii")] = entry

    def flush(self) -> None:
        """Write this run's pack, mark the packs it read as used, prune. A store that cannot
        be written is left as it is: the run's results never depend on it."""
        if not self.writable:
            return
        index = self._load()
        now = time.time()
        for name in self._used - self._damaged:
            with contextlib.suppress(OSError):
                os.utime(self.packs / name)
                self._sizes[name] = (now, self._sizes[name][1])
        if not self._new:
            return
        try:
            self._write_pack(index)
        finally:  # read afresh if used again: other runs may have written meanwhile
            self._index, self._new, self._used, self._damaged = None, {}, set(), set()
            self._sizes = {}

    def _write_pack(self, index: dict[bytes, tuple[bytes, str]]) -> None:
        folded = set(self._damaged)
        if len(self._sizes) + 1 > self.max_packs:
            folded |= set(self._sizes)
        entries = dict(self._carried(index, folded))
        entries.update(self._new)
        try:
            self._prepare()
            self._write(entries)
        except OSError:
            return
        self.written = len(self._new)
        for name in folded:
            with contextlib.suppress(OSError):
                os.unlink(self.packs / name)
            self._sizes.pop(name, None)
        self._prune()

    def _carried(
        self, index: dict[bytes, tuple[bytes, str]], folded: set[str]
    ) -> list[tuple[bytes, bytes]]:
        """The entries of the packs folded into this run's: what this run read first, then
        the most recently used packs', up to `PRUNE_TO` of the budget."""
        recency = {name: mtime for name, (mtime, _) in self._sizes.items()}
        candidates = [
            (name in self._used, recency.get(name, 0.0), key, line, name)
            for key, (line, name) in index.items()
            if name in folded and key not in self._new
        ]
        candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
        budget = int(self.max_bytes * PRUNE_TO) - sum(len(v) + 100 for v in self._new.values())
        kept: list[tuple[bytes, bytes]] = []
        for _, _, key, line, name in candidates:
            entry = self._entry(line, name)
            if entry is None:  # never carried on under a checksum of its own
                continue
            budget -= len(key) + len(entry) + 36
            if budget < 0:
                break
            kept.append((key, entry))
        return kept

    def _prepare(self) -> None:
        self.packs.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            marker = self.directory / name
            if not marker.exists():
                marker.write_text(text, encoding="utf-8")

    def _write(self, entries: dict[bytes, bytes]) -> None:
        body = b"".join(
            key + b" " + _checksum(entry) + b" " + entry + b"\n" for key, entry in entries.items()
        )
        name = f"{time.time_ns()}-{os.getpid()}-{secrets.token_hex(4)}.pack"
        temporary = self.packs / f".{name}.tmp"
        try:
            with open(temporary, "xb") as file:
                file.write(HEADER + body)
            os.replace(temporary, self.packs / name)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        self._sizes[name] = (time.time(), len(HEADER) + len(body))

    def _prune(self) -> None:
        """Delete the least recently used packs while they exceed the budget; temporary
        files a killed run left behind go too."""
        stale = time.time() - 3600
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.packs):
                if entry.name.endswith(".tmp") and entry.stat().st_mtime < stale:
                    os.unlink(entry.path)
        total = sum(size for _, size in self._sizes.values())
        if total <= self.max_bytes:
            return
        for name, (_, size) in sorted(self._sizes.items(), key=lambda item: item[1][0]):
            if total <= self.max_bytes * PRUNE_TO:
                break
            with contextlib.suppress(OSError):
                os.unlink(self.packs / name)
            total -= size

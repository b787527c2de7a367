"""The facts store on disk: one small file per key, written atomically, pruned least recently
used first.

It knows nothing of what an entry means: `facts` decides the keys and checks every entry it
reads (a corrupt, truncated or foreign entry is a miss there, and the scan writes it again).
This module only guarantees that an entry is either absent or exactly what one run wrote:

- writes go to a temporary file beside the entry and are moved over it with `os.replace`
  (atomic on POSIX), so a reader never sees half an entry and two runs writing the same key
  at once leave one whole entry;
- a read that finds nothing (pruned or replaced by another run meanwhile) is a miss;
- each hit touches the entry's mtime, and once a run has written entries, the store is pruned
  back to `PRUNE_TO` of its budget when it holds more than `MAX_BYTES`, oldest mtime first.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import time
from pathlib import Path

DEFAULT_DIRNAME = ".pattern-verify-cache"
CACHE_DIR_ENV = "PATTERN_VERIFY_CACHE_DIR"
# the entries live one level down, so a future format can sit beside this one
ENTRIES = "facts-v1"
# entries are ~200 bytes for a file without facts: 200 MiB hold about a million files
MAX_BYTES = 200 * 1024 * 1024
PRUNE_TO = 0.8
_GITIGNORE = "# written by pattern-verify: the facts store is never committed\n*\n"
# tar --exclude-caches and backup tools skip a directory holding this file
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by pattern-verify.\n"
)
_counter = itertools.count()


class FactsStore:
    """Entries by key (hex digests) under `directory`. `writable=False`: reads only (a pull
    request's run in the default branch's cache scope must never write there)."""

    def __init__(
        self, directory: Path, *, writable: bool = True, max_bytes: int = MAX_BYTES
    ) -> None:
        self.directory = directory
        self.writable = writable
        self.max_bytes = max_bytes
        self.entries = directory / ENTRIES
        self.written = 0
        self._made: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.entries / key[:2] / f"{key}.json"

    def get(self, key: str) -> bytes | None:
        """The entry's bytes, or None when there is none (or it cannot be read)."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if self.writable:
            with contextlib.suppress(OSError):  # least recently used is pruned first
                os.utime(path)
        return data

    def put(self, key: str, data: bytes) -> None:
        """Write an entry atomically; a store that cannot be written is skipped silently (the
        run's results never depend on it)."""
        if not self.writable:
            return
        path = self._path(key)
        try:
            self._prepare(key[:2])
            temporary = path.with_name(f".{path.name}.{os.getpid()}.{next(_counter)}.tmp")
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                os.write(descriptor, data)
            finally:
                os.close(descriptor)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(temporary)
            return
        self.written += 1

    def _prepare(self, shard: str) -> None:
        if not self._made:
            self.directory.mkdir(parents=True, exist_ok=True)
            for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
                marker = self.directory / name
                if not marker.exists():
                    marker.write_text(text, encoding="utf-8")
            self._made.add("")
        if shard not in self._made:
            (self.entries / shard).mkdir(parents=True, exist_ok=True)
            self._made.add(shard)

    def prune(self) -> int:
        """When this run wrote entries and the store holds more than `max_bytes`, delete the
        least recently used entries down to `PRUNE_TO` of it. Returns how many were deleted.
        Another run may delete or replace entries meanwhile: whatever is gone is skipped."""
        if not self.writable or self.written == 0:
            return 0
        entries: list[tuple[float, int, str]] = []
        total = 0
        try:
            shards = list(os.scandir(self.entries))
        except OSError:
            return 0
        stale_before = time.time() - 3600
        for shard in shards:
            try:
                files = list(os.scandir(shard.path))
            except OSError:
                continue
            for entry in files:
                try:
                    info = entry.stat()
                except OSError:
                    continue
                if entry.name.endswith(".tmp"):
                    if info.st_mtime < stale_before:  # left behind by a killed run
                        with contextlib.suppress(OSError):
                            os.unlink(entry.path)
                    continue
                entries.append((info.st_mtime, info.st_size, entry.path))
                total += info.st_size
        if total <= self.max_bytes:
            return 0
        deleted = 0
        entries.sort()
        for _, size, path in entries:
            if total <= self.max_bytes * PRUNE_TO:
                break
            with contextlib.suppress(OSError):
                os.unlink(path)
                deleted += 1
            total -= size
        return deleted

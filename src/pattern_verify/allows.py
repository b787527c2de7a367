"""The inline allow comments of the scanned files (reads files; parsing is in `exceptions`).

Run while semgrep scans: only files that mention `pattern-verify:` are parsed, so the cost is
one read per file, on the core semgrep leaves free while it starts.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from pattern_verify.exceptions import DIRECTIVE, Allow, parse_allows

_NEEDLE = DIRECTIVE.encode("ascii")


def _read(path: Path, label: str, known: Collection[str]) -> tuple[Allow, ...]:
    try:
        data = path.read_bytes()
    except OSError:
        return ()  # the scan lists a file it cannot read as not verified
    if _NEEDLE not in data:
        return ()
    return parse_allows(label, data.decode("utf-8", errors="replace"), known)


def read_head(root: Path, files: Iterable[str], known: Collection[str]) -> tuple[Allow, ...]:
    """The allows of the head's files (paths relative to `root`)."""
    return tuple(allow for path in files for allow in _read(root / path, path, known))


def read_base(base_files: Mapping[str, str], known: Collection[str]) -> tuple[Allow, ...]:
    """The allows of the base versions of the changed files, named by their head paths (the
    base findings are named so too); line numbers are the base version's."""
    return tuple(
        allow
        for scanned, head_path in sorted(base_files.items(), key=lambda item: item[1])
        for allow in _read(Path(scanned), head_path, known)
    )

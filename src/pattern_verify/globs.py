"""Path globs as users write them in configs: `**/x.py`, `tests/**`, `archive/`, `*.min.js`.

`**` spans directories, `*` and `?` stay inside one path segment, a trailing `/` means "this
directory and everything under it", and a pattern with no `/` but a trailing one matches a name
at any depth (like .gitignore), so `node_modules/` or `*.min.js` need no `**/` in front; any
other `/` anchors the pattern at the root.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=1024)
def _translate(pattern: str) -> str:
    """The glob as the source of a regular expression a matching path fully matches."""
    glob = pattern.strip()
    if glob.startswith("./"):
        glob = glob[2:]
    if "/" not in glob.rstrip("/"):
        glob = "**/" + glob
    if glob.endswith("/"):
        glob += "**"
    out: list[str] = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    # a pattern naming a directory also matches everything below it
    return "".join(out) + "(?:/.*)?"


@lru_cache(maxsize=1024)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(_translate(pattern))


def matches(path: str, pattern: str) -> bool:
    return _compile(pattern).fullmatch(path) is not None


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    return _compile_any(tuple(patterns)).fullmatch(path) is not None


def any_of(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """The one regular expression a path fully matches when it matches one of the globs."""
    return _compile_any(patterns)


@lru_cache(maxsize=256)
def _compile_any(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression for a list of globs: one match per path, not one per glob (and
    one compiled, not one per glob too: a run compiles only what it matches with)."""
    if not patterns:
        return re.compile("(?!)")
    return re.compile("|".join(f"(?:{_translate(p)})" for p in patterns))

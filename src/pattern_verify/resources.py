"""Where the bundled rule packs and templates live: inside the installed package (wheel and
image), or at the repository's top level when running from a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """`rules` or `templates`: the packaged copy if present, else the source tree's."""
    packaged = _PACKAGE_DIR / name
    if packaged.is_dir():
        return packaged
    source_tree = _PACKAGE_DIR.parents[1] / name
    if source_tree.is_dir():
        return source_tree
    raise FileNotFoundError(f"pattern-verify is installed without its {name}/ directory")


def packs_dir() -> Path:
    return data_dir("rules")


def templates_dir() -> Path:
    return data_dir("templates")

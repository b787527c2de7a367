"""Where the bundled rule packs and templates live: inside the installed package (wheel and
image), or at the repository's top level when running from a source checkout."""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.util
from collections.abc import Mapping
from pathlib import Path
from types import CodeType

import jinja2

from pattern_verify import compiled_templates as compiled_templates_index

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


def compiled_module(template: str) -> str:
    """The module of `pattern_verify.compiled_templates` holding a bundled template's code."""
    return template.removesuffix(".j2").replace(".", "_").replace("-", "_")


def compiled_templates(sources: Mapping[str, str]) -> dict[str, CodeType]:
    """The code of each of `sources` that the package ships compiled: the bundled templates,
    compiled by Jinja when the package was made (`compiled_templates/`, regenerated with the
    tests' `--update-golden`) and read as Python reads any of the package's modules (its
    `__pycache__` when current). Only for a source that is the one the code was made from
    (not a user's template of the same name) and under the Jinja version that made it; the
    others are compiled by the renderer as before. Nothing is read from a user's directory or
    from the facts store: a restored cache is never code."""
    if jinja2.__version__ != compiled_templates_index.JINJA2_VERSION:
        return {}
    code: dict[str, CodeType] = {}
    for name, source in sources.items():
        digest = compiled_templates_index.SOURCES.get(name)
        if digest is None or digest != hashlib.sha256(source.encode("utf-8")).hexdigest():
            continue
        module = f"{compiled_templates_index.__name__}.{compiled_module(name)}"
        spec = importlib.util.find_spec(module)
        if spec is None or not isinstance(spec.loader, importlib.abc.InspectLoader):
            continue
        found = spec.loader.get_code(module)
        if found is not None:
            code[name] = found
    return code

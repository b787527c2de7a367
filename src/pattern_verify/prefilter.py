"""Which rules a file can match, decided before semgrep runs, the way semgrep itself decides.

For each rule semgrep extracts a formula of literals the file must hold for the rule to match at
all (its "prefilter"), and neither parses nor matches a file for a rule whose formula is false on
the file's bytes; a file no rule passes is not parsed at all: semgrep reports it scanned, with
no finding and no parse error (checked on both CLIs: tests/test_prefilter.py). semgrep-core
prints those formulas (`semgrep-core -prefilter_of_rules RULES`): `And`/`Or` of `Idents` (names
that must all occur, as substrings of the bytes) and `Regexp` (a PCRE searched in the bytes), or
`None` for a rule it extracted nothing from.

The scan evaluates them itself, so that a file no rule can match is not handed to semgrep and,
when no file is left, semgrep is not started at all. The evaluation over-approximates
semgrep's: anything it cannot read, or evaluate exactly, passes (a node it does not know, a
regex whose PCRE meaning Python's `re` may not share, bytes that are not UTF-8 under a regex;
a rule's `paths:` is not read: the rule counts wherever its languages are). Passing more files
than semgrep would costs only time; the results stay semgrep's.

The formulas of a rule set are semgrep-core's output for it (the semgrep-core of the installed
semgrep package of the version the store's keys name): asked once per rule set and semgrep
version, by a run without a base (the default branch's, whose store pull requests read; one
process, ~0.13 s of CPU), and remembered in the facts store, so that a run that finds them
there starts no process for them. Without a store, or when semgrep-core is not found, is of
another version or says something unexpected, there is no prefilter: the scan hands semgrep
every file, as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import tempfile
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pattern_verify.store import FactsStore, json_entry

FORMAT = "pattern-verify-prefilters/1"

# The languages whose files the prefilter decides, by semgrep's extensions for them
# (semgrep_interfaces/lang.json). JavaScript and TypeScript count as one: a rule of either may
# be run on a file of either. A file of any other extension — or of one semgrep leaves out
# (`.min.js`, `.d.ts`, and `.mts`/`.cts`, which one CLI scans and the other drops) — is handed
# to semgrep with every rule.
_FAMILIES = {
    "python": "python",
    "py": "python",
    "javascript": "js",
    "js": "js",
    "typescript": "js",
    "ts": "js",
}
_EXTENSIONS = {
    ".py": "python",
    ".pyi": "python",
    ".js": "js",
    ".jsx": "js",
    ".cjs": "js",
    ".mjs": "js",
    ".ts": "js",
    ".tsx": "js",
}
_EXCLUDED = (".min.js", ".d.ts")
# the rule modes whose formula semgrep-core gives as it uses it
_MODES = frozenset({"search", "taint"})


# ---------------------------------------------------------------------------------------------
# formulas


@dataclass(frozen=True)
class Idents:
    """Every name occurs in the bytes (as a substring, as semgrep checks them)."""

    names: tuple[bytes, ...]


@dataclass(frozen=True)
class Regexp:
    """The PCRE `source` matches somewhere in the bytes."""

    source: str


@dataclass(frozen=True)
class All:
    parts: tuple[Formula, ...]


@dataclass(frozen=True)
class Any_:
    parts: tuple[Formula, ...]


@dataclass(frozen=True)
class Unknown:
    """A node this module does not know: it holds on every file."""

    node: str


Formula = Idents | Regexp | All | Any_ | Unknown


def parse_formula(node: Any) -> Formula:
    """semgrep-core's JSON for a formula (`["And", [...]]`, `["Pred", ["Idents", [...]]]`, ...)
    as a `Formula`; what it does not recognise is `Unknown`."""
    if isinstance(node, list) and len(node) == 2:
        kind, value = node
        if kind in ("And", "Or") and isinstance(value, list) and value:
            parts = tuple(parse_formula(part) for part in value)
            return All(parts) if kind == "And" else Any_(parts)
        if kind == "Pred" and isinstance(value, list) and len(value) == 2:
            pred, argument = value
            if (
                pred == "Idents"
                and isinstance(argument, list)
                and all(isinstance(name, str) for name in argument)
            ):
                return Idents(tuple(name.encode("utf-8") for name in argument))
            if pred == "Regexp" and isinstance(argument, str):
                return Regexp(argument)
    return Unknown(json.dumps(node)[:200])


# Python's `re` reads these the way PCRE does, and lookarounds too (a lookbehind PCRE allows
# and Python does not, of varying width, does not compile: it passes); anything else in a
# regex (`\Z`, `\h`, `\p{..}`, POSIX classes, backreferences, named groups, inline options)
# makes it pass unevaluated
_SAFE_ESCAPES = frozenset("bBwWdDsSntrfv")
_UNSAFE = re.compile(r"\[:|\(\?(?!:|=|!|<=|<!)|\{,")


def _plain(source: str) -> bool:
    """Whether the regex uses only syntax that means the same to Python's `re` as to PCRE."""
    if _UNSAFE.search(source):
        return False
    escaped = False
    for char in source:
        if escaped:
            if char.isalnum() and char not in _SAFE_ESCAPES:
                return False
            escaped = False
        elif char == "\\":
            escaped = True
    return not escaped


# Over ASCII bytes without these, the three readings of a regex below (bytes; text with ASCII
# classes; text with Unicode ones) match alike: among ASCII characters the Unicode classes
# differ from the ASCII ones only in `\s` (and `\S`), which also takes \x1c-\x1f
_UNICODE_ONLY_SPACE = re.compile(rb"[\x1c-\x1f]")
_FLAGS = re.MULTILINE | re.DOTALL


@lru_cache(maxsize=256)
def _compiled(source: str) -> re.Pattern[bytes] | None:
    """The regex over bytes (PCRE without UTF), with `^`/`$` at every line and `.` over line
    breaks; None when it must pass unevaluated (see `_plain`)."""
    if not _plain(source) or not source.isascii():
        return None
    return _compile(source.encode("ascii"), _FLAGS)


@lru_cache(maxsize=256)
def _compiled_text(source: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """The regex over text with ASCII classes (UTF) and with Unicode ones (UTF and UCP), as
    `_compiled`'s: with the bytes one, one of them matches wherever PCRE could, whatever
    options semgrep gives it. Only compiled for content that is not plain ASCII."""
    ascii_classes = _compile(source, _FLAGS | re.ASCII)
    unicode_classes = _compile(source, _FLAGS)
    if ascii_classes is None or unicode_classes is None:
        return None
    return ascii_classes, unicode_classes


def _compile(source: str | bytes, flags: int) -> re.Pattern[Any] | None:
    # what `_plain` lets through compiles alike as bytes and as text
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return re.compile(source, flags)
    except (re.error, RecursionError, OverflowError):
        return None


class _Content:
    """A file's bytes, their text when a regex needs it (None: not UTF-8), and what each regex
    found in them (a rule set repeats regexes across its rules)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._decoded = False
        self._text: str | None = None
        self._plain: bool | None = None
        self.searched: dict[str, bool] = {}

    @property
    def text(self) -> str | None:
        if not self._decoded:
            self._decoded = True
            try:
                self._text = self.data.decode("utf-8")
            except UnicodeDecodeError:
                self._text = None
        return self._text

    @property
    def plain(self) -> bool:
        """ASCII where a regex's every reading matches alike: the bytes' answer is all."""
        if self._plain is None:
            self._plain = self.data.isascii() and not _UNICODE_ONLY_SPACE.search(self.data)
        return self._plain


def may_hold(formula: Formula, content: bytes) -> bool:
    """Whether the formula may hold on the bytes: True whenever semgrep's evaluation of it
    could be."""
    return _holds(formula, _Content(content))


def _holds(formula: Formula, content: _Content) -> bool:
    if isinstance(formula, Idents):
        return all(name in content.data for name in formula.names)
    if isinstance(formula, Regexp):
        found = content.searched.get(formula.source)
        if found is None:
            found = content.searched[formula.source] = _searched(formula.source, content)
        return found
    if isinstance(formula, All):
        return all(_holds(part, content) for part in formula.parts)
    if isinstance(formula, Any_):
        return any(_holds(part, content) for part in formula.parts)
    return True


def _searched(source: str, content: _Content) -> bool:
    compiled = _compiled(source)
    if compiled is None or compiled.search(content.data) is not None:
        return True
    if content.plain:
        return False
    text = content.text
    if text is None:  # how PCRE reads bytes that are not UTF-8 is not ours to guess
        return True
    readings = _compiled_text(source)
    if readings is None:
        return True
    return readings[0].search(text) is not None or readings[1].search(text) is not None


# ---------------------------------------------------------------------------------------------
# a rule set's prefilters


@dataclass(frozen=True)
class RuleFilter:
    rule_id: str
    families: frozenset[str]
    formula: Formula | None  # None: the rule runs on every file of its languages


def family(path: str) -> str | None:
    """The language family whose rules semgrep runs on the file, when the prefilter decides
    it; None: the file goes to semgrep with every rule."""
    if path.endswith(_EXCLUDED):
        return None
    return _EXTENSIONS.get(os.path.splitext(path)[1])


@dataclass(frozen=True)
class Prefilters:
    """The rules' prefilters, and the semgrep version whose semgrep-core gave them."""

    rules: tuple[RuleFilter, ...]
    semgrep_version: str

    def rules_for(self, path: str, content: bytes) -> frozenset[str] | None:
        """The ids of the rules that may match the file (`path` as semgrep is given it, its
        bytes); None when the prefilter does not decide the file (every rule may)."""
        kind = family(path)
        if kind is None:
            return None
        found = _Content(content)
        return frozenset(
            rule.rule_id
            for rule in self.rules
            if kind in rule.families and (rule.formula is None or _holds(rule.formula, found))
        )


def from_output(
    output: Any, documents: Sequence[Mapping[str, Any]], semgrep_version: str
) -> Prefilters | None:
    """The prefilters of the rules from semgrep-core's output; None when the output is not as
    expected (not a list of one entry per rule) or a rule is of a language or mode the
    prefilter does not decide."""
    if not isinstance(output, list):
        return None
    formulas: dict[str, Formula | None] = {}
    for entry in output:
        if not isinstance(entry, dict) or not isinstance(entry.get("rule_id"), str):
            return None
        found = entry.get("filter")
        if found == "None":
            formulas[entry["rule_id"]] = None
        elif isinstance(found, list) and len(found) == 2 and found[0] == "Some":
            formulas[entry["rule_id"]] = parse_formula(found[1])
        else:
            return None
    rules: list[RuleFilter] = []
    for document in documents:
        rule_id = document.get("id")
        languages = document.get("languages")
        if (
            not isinstance(rule_id, str)
            or rule_id not in formulas
            or document.get("mode", "search") not in _MODES
            or not isinstance(languages, list)
            or not languages
            or any(_FAMILIES.get(str(language).lower()) is None for language in languages)
        ):
            return None
        families = frozenset(_FAMILIES[str(language).lower()] for language in languages)
        rules.append(RuleFilter(rule_id, families, formulas[rule_id]))
    return Prefilters(tuple(rules), semgrep_version)


# ---------------------------------------------------------------------------------------------
# semgrep-core, and the store's memo of what it said


def ask_semgrep(rules_text: str, core: str | None) -> Any:
    """semgrep-core's formulas for the rules (its JSON), or None: when there is no semgrep-core
    (`core`: the one of the scan's semgrep version, see `scan.semgrep_core`), or it fails or
    prints something that is not JSON."""
    if core is None:
        return None
    with tempfile.TemporaryDirectory(prefix="pattern-verify-prefilter-") as directory:
        rules = Path(directory) / "rules.json"
        rules.write_text(rules_text, encoding="utf-8")
        try:
            done = subprocess.run(
                [core, "-prefilter_of_rules", str(rules)],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
                start_new_session=True,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
    if done.returncode != 0:
        return None
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        return None


def memo_key(rules_digest: str, semgrep_version: str) -> str:
    return hashlib.sha256(f"{FORMAT}\0{rules_digest}\0{semgrep_version}".encode()).hexdigest()


def remembered(key: str, data: bytes | None) -> Any:
    """semgrep-core's output as the store kept it under `key`; None when it is not whole."""
    entry = json_entry(data, FORMAT, key)
    if entry is None:
        return None
    formulas = entry.get("formulas")
    return formulas if isinstance(formulas, list) else None


def for_rules(
    documents: Sequence[Mapping[str, Any]],
    rules_text: Callable[[], str],
    rules_digest: str,
    semgrep_version: str,
    store: FactsStore | None,
    *,
    ask: bool,
    core: Callable[[], str | None],
) -> Prefilters | None:
    """The rules' prefilters: from the store's memo, else (when `ask` and the store is
    writable) from semgrep-core (`core` finds it), noted in the store. None without a store,
    or when neither gives them."""
    if store is None:
        return None
    key = memo_key(rules_digest, semgrep_version)
    output = remembered(key, store.get(key))
    if output is None and ask and store.writable:
        output = ask_semgrep(rules_text(), core())
        if isinstance(output, list):  # kept even when it gives no prefilter: asked once
            entry = {"format": FORMAT, "key": key, "formulas": output}
            store.put(key, json.dumps(entry, separators=(",", ":")).encode("utf-8"))
    return from_output(output, documents, semgrep_version)

"""Shards: each job of an Actions matrix scans a deterministic slice of the files and writes
its facts; one job reads every shard's facts and judges them, without scanning.

A file belongs to shard `int(sha256(path)) mod N + 1`: the same file stays in the same shard
when others are added or removed, and a changed file's base version goes with its head path,
to the same shard. A shard's facts name the config, commit and base they were made from, and
the files they hold; the merging run checks all of it against its own targets, so a missing,
duplicated or foreign shard is an error naming it, never a silently partial verdict.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from pattern_verify import __version__
from pattern_verify.config import ResolvedConfig
from pattern_verify.errors import UsageError, first_problem
from pattern_verify.facts import Facts, FileFacts, Target, list_targets, rules_digest
from pattern_verify.models import Engine, Model
from pattern_verify.scan import ScanResult
from pattern_verify.targets import Targets

SHARD_FORMAT = "pattern-verify-shard/1"
_FILE = re.compile(r"facts-(\d+)-of-(\d+)\.json")


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`K/N` with 1 ≤ K ≤ N; ValueError otherwise."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if match is None:
            raise ValueError(f"expected K/N (e.g. 1/4), got `{text}`")
        index, count = int(match.group(1)), int(match.group(2))
        if count < 1 or not 1 <= index <= count:
            raise ValueError(f"expected K/N with 1 ≤ K ≤ N, got `{text}`")
        return cls(index, count)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    @property
    def filename(self) -> str:
        return f"facts-{self.index}-of-{self.count}.json"

    def holds(self, target: Target) -> bool:
        return self.holds_path(target.path)

    def holds_path(self, path: str) -> bool:
        digest = hashlib.sha256(path.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1


class ShardFacts(Model):
    """What a shard job writes: its slice's facts and what they were made from."""

    format: Literal["pattern-verify-shard/1"]
    shard: int
    shards: int
    tool_version: str
    rules_digest: str
    engine: Engine | None
    config_id: str
    head_sha: str | None
    base_sha: str | None
    head: dict[str, FileFacts]
    base: dict[str, FileFacts]
    errors: tuple[str, ...]


def shard_facts(shard: Shard, facts: Facts, config: ResolvedConfig, targets: Targets) -> ShardFacts:
    return ShardFacts(
        format=SHARD_FORMAT,
        shard=shard.index,
        shards=shard.count,
        tool_version=__version__,
        rules_digest=rules_digest(config),
        engine=facts.engine,
        config_id=config.config_id,
        head_sha=targets.repository.head.sha,
        base_sha=targets.repository.base.sha if targets.repository.base else None,
        head={t.name: f for t, f in facts.files.items() if t.side == "head"},
        base={t.name: f for t, f in facts.files.items() if t.side == "base"},
        errors=facts.errors,
    )


def dumps(document: ShardFacts) -> str:
    return document.model_dump_json() + "\n"


def _files_in(location: Path) -> list[Path]:
    if location.is_file():
        return [location]
    if location.is_dir():
        found = sorted(p for p in location.rglob("facts-*-of-*.json") if _FILE.fullmatch(p.name))
        if found:
            return found
        raise UsageError(f"--facts {location}: no shard facts in it (facts-K-of-N.json)")
    raise UsageError(f"--facts {location}: no such file or directory")


def _load(path: Path) -> ShardFacts:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        return ShardFacts.model_validate_json(data)
    except ValidationError as exc:
        raise UsageError(
            f"{path}: not the facts of a pattern-verify shard ({first_problem(exc)})"
        ) from None


def merged(config: ResolvedConfig, targets: Targets, locations: Sequence[Path]) -> Facts:
    """Every target's facts, read from the shards' files (one per shard 1..N, each made from
    this config, commit and base, together holding exactly this run's files)."""
    loaded: list[tuple[Path, ShardFacts]] = []
    for location in locations:
        loaded.extend((path, _load(path)) for path in _files_in(location))
    first_path, first = loaded[0]
    by_index: dict[int, tuple[Path, ShardFacts]] = {}
    for path, document in loaded:
        name = f"shard {document.shard}/{document.shards} ({path})"
        if document.shards != first.shards:
            raise UsageError(
                f"{name}: one of {document.shards} shards, but {first_path} is one of "
                f"{first.shards}: shards of two different splits"
            )
        if document.shard in by_index:
            raise UsageError(f"{name}: given twice (also {by_index[document.shard][0]})")
        by_index[document.shard] = (path, document)
        _check_made_alike(name, document, config, targets)
        if document.engine != first.engine:
            raise UsageError(
                f"{name}: scanned by {_engine(document.engine)}, but {first_path} by "
                f"{_engine(first.engine)}"
            )
    missing = [str(k) for k in range(1, first.shards + 1) if k not in by_index]
    if missing:
        raise UsageError(
            f"shard {', '.join(missing)} of {first.shards} missing: "
            f"expected facts-K-of-{first.shards}.json for every K from 1 to {first.shards}"
        )
    files: dict[Target, FileFacts] = {}
    errors: set[str] = set()
    everything = list_targets(targets)
    for index in range(1, first.shards + 1):
        path, document = by_index[index]
        shard = Shard(index, first.shards)
        expected = [t for t in everything if shard.holds(t)]
        held = {("head", name) for name in document.head} | {
            ("base", name) for name in document.base
        }
        wanted = {(t.side, t.name) for t in expected}
        if held != wanted:
            lacking, extra = sorted(wanted - held), sorted(held - wanted)
            example = (lacking or extra)[0]
            raise UsageError(
                f"shard {shard} ({path}): holds other files than this run's targets "
                f"({len(lacking)} missing, {len(extra)} extra, e.g. {example[0]} `{example[1]}`): "
                "made from another config, include/exclude or tree"
            )
        for target in expected:
            side = document.head if target.side == "head" else document.base
            files[target] = side[target.name]
        errors.update(document.errors)
    ordered = {t: files[t] for t in everything}
    return Facts(
        files=ordered,
        errors=tuple(sorted(errors)),
        engine=first.engine,
        scanned=0,
    )


def _engine(engine: Engine | None) -> str:
    if engine is None:
        return "no semgrep"
    return f"semgrep {engine.semgrep_version} ({engine.name} CLI, {engine.reason})"


class MergedShards:
    """The shards' facts as a run's facts source (nothing is scanned)."""

    def __init__(self, config: ResolvedConfig, targets: Targets, locations: Sequence[Path]) -> None:
        self.config, self.targets, self.locations = config, targets, locations
        self.reused = 0

    def result(self) -> ScanResult:
        found = merged(self.config, self.targets, self.locations)
        self.reused = len(found.files)
        return found.result()


def _check_made_alike(
    name: str, document: ShardFacts, config: ResolvedConfig, targets: Targets
) -> None:
    if document.tool_version != __version__:
        raise UsageError(
            f"{name}: made by pattern-verify {document.tool_version}, this is {__version__}"
        )
    if document.config_id != config.config_id or document.rules_digest != rules_digest(config):
        raise UsageError(
            f"{name}: made with another config (`{document.config_id}`, rules "
            f"{document.rules_digest[:12]}; this run: `{config.config_id}`, rules "
            f"{rules_digest(config)[:12]})"
        )
    head = targets.repository.head.sha
    if document.head_sha != head:
        raise UsageError(
            f"{name}: made at commit {(document.head_sha or 'none')[:12]}, this run verifies "
            f"{(head or 'none')[:12]}"
        )
    base = targets.repository.base.sha if targets.repository.base else None
    if document.base_sha != base:
        raise UsageError(
            f"{name}: compared with base {(document.base_sha or 'none')[:12]}, this run with "
            f"{(base or 'none')[:12]}"
        )

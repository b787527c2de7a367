"""The scan's output per file, and where it comes from: semgrep, or the facts store.

semgrep rules see one file at a time, so a file's facts (its findings, and whether semgrep could
verify it) depend only on the bytes semgrep reads, the file's extension (`.ts` and `.tsx` parse
differently), the rules, semgrep's version and this tool's version (which reads semgrep's
output). That is the store's key (`Identity`, `file_key`): a run looks every target up, hands
semgrep only the files whose key is missing — head files and base versions alike, in the one
semgrep process — and reads the rest. Whatever was cached or scanned, the facts are put
together (`assemble`) by the same code, so the results are byte-identical to a run without the
store.

What is kept: findings and parse failures (semgrep fails the same way on the same bytes);
never a file semgrep timed out on or ran out of memory on. The run-wide errors (those naming no
file) are kept under the identity's own key. A cached file's facts carry no path: they are
given the path the file has in this run, so a renamed file is a hit. Keys hash the content
itself, never git's blob id: the blob is what git stores, which differs from what semgrep reads
for a modified, untracked or filtered (eol, smudge) file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Literal, NamedTuple, Protocol, TypeVar

from pydantic import ValidationError

from pattern_verify import __version__, prefilter, scan
from pattern_verify.config import ResolvedConfig
from pattern_verify.errors import ScanError
from pattern_verify.models import Engine, Finding, Model, SkippedFile
from pattern_verify.store import FactsStore
from pattern_verify.targets import Targets

FORMAT = "pattern-verify-facts/1"
Side = Literal["head", "base"]


class FileFacts(Model):
    """What semgrep found in one file: its findings (without a path: the file's path in the
    run that reads them is given then) and why it could not be verified, if so."""

    findings: tuple[Finding, ...] = ()
    not_verified: str | None = None


class _Entry(Model):
    """One entry of the store: a file's facts, or the run-wide errors (`facts` None), or the
    version an installed semgrep's native CLI reported (`native_version`, see `_Versions`)."""

    format: Literal["pattern-verify-facts/1"]
    key: str
    facts: FileFacts | None = None
    errors: tuple[str, ...] = ()
    native_version: str | None = None


class Target(NamedTuple):
    """One file semgrep is given: a head file, or the base version of a changed file. A
    tuple: a run keys several maps by every file of the tree, and a tuple's hash is C's (a
    frozen dataclass's, Python's: 0.14 s of 240,000 lookups at 30,000 files)."""

    side: Side
    name: str  # the head path, or the base version's path at the base
    scan_path: str  # as semgrep is given it (relative to the root, or absolute for a base file)
    path: str  # as its findings name it: the head path (a base file: the one it compares with)


def list_targets(targets: Targets) -> list[Target]:
    """Every file of the scan: head files (and components whose script blocks are scanned),
    then base versions, in the order scan gives them."""
    found = [Target("head", path, path, path) for path in (*targets.files, *targets.scripts)]
    if targets.base is not None:
        directory = targets.base.directory
        for scan_path in sorted(targets.base.files):
            name = Path(scan_path).relative_to(directory).as_posix()
            found.append(Target("base", name, scan_path, targets.base.files[scan_path]))
    return found


def only(targets: Targets, selected: Iterable[Target]) -> Targets:
    """`targets` reduced to the selected files (head and base)."""
    chosen = set(selected)
    head = {t.scan_path for t in list_targets(targets) if t in chosen and t.side == "head"}
    base = targets.base
    if base is not None:
        kept = {t.scan_path for t in chosen if t.side == "base"}
        base = dataclasses.replace(
            base, files={path: to for path, to in base.files.items() if path in kept}
        )
    return dataclasses.replace(
        targets,
        files=tuple(p for p in targets.files if p in head),
        scripts=tuple(p for p in targets.scripts if p in head),
        base=base,
    )


# ---------------------------------------------------------------------------------------------
# keys


def digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def rules_digest(config: ResolvedConfig) -> str:
    """What the config decides about a file's facts: the rules as semgrep gets them (with the
    metadata the facts are read by), and this tool's version and fact format. Any option that
    changes what semgrep reports belongs here too."""
    return digest(FORMAT, __version__, scan.rules_file_text(config))


def python_cli_version() -> str | None:
    """The version semgrep's Python CLI reports (~1 s: it starts Python), for when the native
    CLI does not answer; None when it does not say either (the scan then says what is wrong)."""
    try:
        done = subprocess.run(
            [*scan.semgrep_command(), "--version"],
            env=dict(os.environ, SEMGREP_SEND_METRICS="off", SEMGREP_ENABLE_VERSION_CHECK="0"),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired, ScanError):
        return None
    lines = done.stdout.strip().splitlines()
    if done.returncode == 0 and lines and lines[-1].strip():
        return lines[-1].strip()
    return None


def _remembered_key(fingerprint: str) -> str:
    return digest(FORMAT, "semgrep", fingerprint)


class _Versions:
    """semgrep's version for the keys: asked of semgrep once per installed semgrep, whose
    answer the store keeps under the command's fingerprint (path, size, mtime: installing
    another semgrep changes it), so a run that finds it there starts no process to ask.
    Should a semgrep still change under the same fingerprint, the scan's own output names the
    version that ran, and `RunningFacts` checks it against the keys'."""

    def __init__(self, store: FactsStore | None, trust: bool = True) -> None:
        self.store = store
        self.key: str | None = None
        self.remembered: str | None = None
        fingerprint = scan.semgrep_fingerprint() if store is not None else None
        if store is not None and fingerprint is not None:
            self.key = _remembered_key(fingerprint)
            found = _decode(self.key, store.get(self.key)) if trust else None
            if found is not None:
                self.remembered = found.native_version
        self.used_remembered = False

    def native(self) -> tuple[str | None, str]:
        """The native CLI's version (or why there is none), as `scan.native_version` says."""
        if self.remembered is not None:
            self.used_remembered = True
            return self.remembered, ""
        version, problem = scan.native_version()
        if version is not None and self.store is not None and self.key is not None:
            self.store.put(self.key, _encode_version(self.key, version))
        return version, problem

    def any(self) -> str | None:
        """semgrep's version, from whichever CLI says it."""
        return self.native()[0] or python_cli_version()


@dataclass(frozen=True)
class Identity:
    """Everything but the file itself that a file's facts depend on."""

    rules: str  # rules_digest
    engine: scan.EngineChoice  # semgrep's native or Python CLI (chosen once, here)
    semgrep_version: str
    # rules with `paths:` see the file's path: then the path is part of each file's key
    uses_paths: bool
    # the version was the store's note, not semgrep's answer in this run (`_Versions`)
    remembered: bool = False

    @classmethod
    def of(
        cls,
        config: ResolvedConfig,
        engine: str | None = None,
        store: FactsStore | None = None,
        *,
        trust_remembered: bool = True,
    ) -> Identity | None:
        """The identity, with the engine chosen for this run (`engine`: auto, native, python,
        None for $PATTERN_VERIFY_ENGINE); None when semgrep does not say its version. With a
        store, the version this semgrep gave before is taken from it (`_Versions`), unless
        not `trust_remembered`; what semgrep says is noted there."""
        versions = _Versions(store, trust_remembered)
        choice = scan.choose_engine(config, engine, versions.native)
        version = choice.version or versions.any()
        if version is None:
            return None
        return cls(
            rules=rules_digest(config),
            engine=choice,
            semgrep_version=version,
            uses_paths=any("paths" in document for document in config.rule_documents),
            remembered=versions.used_remembered,
        )

    @cached_property
    def digest(self) -> str:
        return digest(self.rules, self.engine.name, self.semgrep_version)

    @property
    def engine_used(self) -> Engine:
        """The engine as a scan with this identity records it."""
        return Engine(
            name=self.engine.name, semgrep_version=self.semgrep_version, reason=self.engine.reason
        )

    @property
    def errors_key(self) -> str:
        return digest(self.digest, "run-wide errors")

    def file_key(self, target: Target, content: bytes) -> str:
        """The key of a file's facts: its bytes as semgrep reads them, its extension, (with
        path-scoped rules) its path, and the identity."""
        extension = os.path.splitext(target.scan_path)[1]
        where = target.scan_path if self.uses_paths else ""
        hasher = hashlib.sha256(f"{self.digest}\0{extension}\0{where}\0".encode())
        hasher.update(content)
        return hasher.hexdigest()


def _encode(key: str, facts: FileFacts | None, errors: Sequence[str] = ()) -> bytes:
    entry = _Entry(format=FORMAT, key=key, facts=facts, errors=tuple(errors))
    return entry.model_dump_json(exclude_defaults=True).encode("utf-8")


def _encode_version(key: str, version: str) -> bytes:
    entry = _Entry(format=FORMAT, key=key, native_version=version)
    return entry.model_dump_json(exclude_defaults=True).encode("utf-8")


E = TypeVar("E", bound=Model)


def decode(kind: type[E], key: str, data: bytes | None) -> E | None:
    """The entry of `kind` (a model with a `key` field: this module's entries, `trees`') the
    store holds under `key`, when it is whole and is this key's; anything else (truncated,
    corrupt, of another key, kind or format) is a miss."""
    if data is None:
        return None
    try:
        entry = kind.model_validate_json(data)
    except (ValidationError, ValueError):
        return None
    return entry if getattr(entry, "key", None) == key else None


def _decode(key: str, data: bytes | None) -> _Entry | None:
    return decode(_Entry, key, data)


# ---------------------------------------------------------------------------------------------
# facts per file, and back


def split(scanned: scan.ScanResult, targets: Sequence[Target]) -> dict[Target, FileFacts]:
    """A scan's results as each target's facts."""
    head: dict[str, list[Finding]] = {}
    base: dict[str, list[Finding]] = {}
    for side, findings in ((head, scanned.head), (base, scanned.base)):
        for finding in findings:
            side.setdefault(finding.path, []).append(finding.model_copy(update={"path": ""}))
    head_skipped = {s.path: s.reason for s in scanned.not_verified}
    base_skipped = {s.path: s.reason for s in scanned.base_not_verified}
    result: dict[Target, FileFacts] = {}
    for target in targets:
        if target.side == "head":
            found = head.get(target.path, [])
            reason = head_skipped.get(target.path)
        else:
            # two base versions comparing with one path (rare): the first takes the findings
            found = base.pop(target.path, [])
            reason = base_skipped.get(target.scan_path)
        result[target] = FileFacts(findings=tuple(found), not_verified=reason)
    return result


def keepable(facts: FileFacts) -> bool:
    """Whether facts may be kept: verified, or failing to parse or skipped by semgrep (which
    the same bytes will be again); never a timeout or running out of memory."""
    return facts.not_verified in (None, scan.PARSE_FAILURE, scan.SKIPPED_SILENTLY)


def assemble(
    facts: Mapping[Target, FileFacts], errors: Iterable[str], engine: Engine | None
) -> scan.ScanResult:
    """The scan's result from each target's facts, ordered as the scan orders them."""
    head: list[Finding] = []
    base: list[Finding] = []
    not_verified: list[SkippedFile] = []
    base_not_verified: list[SkippedFile] = []
    for target, file_facts in facts.items():
        found = [f.model_copy(update={"path": target.path}) for f in file_facts.findings]
        if target.side == "head":
            head.extend(found)
            if file_facts.not_verified is not None:
                not_verified.append(SkippedFile(path=target.path, reason=file_facts.not_verified))
        else:
            base.extend(found)
            if file_facts.not_verified is not None:
                base_not_verified.append(
                    SkippedFile(path=target.scan_path, reason=file_facts.not_verified)
                )
    return scan.ScanResult(
        head=tuple(sorted(head, key=lambda f: f.sort_key)),
        base=tuple(sorted(base, key=lambda f: f.sort_key)),
        not_verified=tuple(sorted(not_verified, key=lambda s: s.path)),
        errors=tuple(sorted(set(errors))),
        engine=engine,
        base_not_verified=tuple(sorted(base_not_verified, key=lambda s: s.path)),
    )


# ---------------------------------------------------------------------------------------------
# the run


@dataclass(frozen=True)
class Facts:
    """Every target's facts, with the run-wide errors: what the later stages judge."""

    files: dict[Target, FileFacts]
    errors: tuple[str, ...]
    engine: Engine | None  # None when no semgrep ran or was asked
    scanned: int  # how many files semgrep was given

    def result(self) -> scan.ScanResult:
        return assemble(self.files, self.errors, self.engine)


class FactsSource(Protocol):
    """Where a run's facts come from: semgrep and the store, or the shards' files."""

    reused: int

    def result(self) -> scan.ScanResult: ...


OnRead = Callable[[str, bytes], None]
# given, before the store writes, every target's facts and each head file's stamp as of
# before it was read (`RunningFacts.stamps`), when the facts are of the store's identity,
# and each one's stamp as of now where the store's own check took it again (the files it keeps)
OnKeep = Callable[["Facts", dict[Target, tuple[int, int]], dict[Target, tuple[int, int]]], None]


class RunningFacts:
    """semgrep running over the files the store does not hold; `result()` waits for it, keeps
    what it found and puts every file's facts together."""

    def __init__(
        self,
        running: scan.RunningScan,
        selected: Sequence[Target],
        cached: dict[Target, FileFacts],
        cached_errors: tuple[str, ...] | None,
        store: FactsStore | None,
        identity: Identity | None,
        keys: dict[Target, str],
        stamps: dict[Target, tuple[int, int]],
        root: Path,
        again: Callable[[], Facts],
        on_keep: OnKeep | None = None,
    ) -> None:
        self.running = running
        self.on_keep = on_keep
        self.stamps = stamps
        self.root = root
        self.selected = selected
        self.cached = cached
        self.cached_errors = cached_errors
        self.store = store
        self.identity = identity
        self.keys = keys
        self.again = again
        self.missing = [t for t in selected if t not in cached]
        self.reused = 0  # files whose facts were not scanned (known after `result()`)

    def facts(self) -> Facts:
        scanned = self.running.result()
        identity = self.identity
        if (
            identity is not None
            and identity.remembered
            and scanned.engine is not None
            and scanned.engine.semgrep_version != identity.semgrep_version
        ):
            # the semgrep that ran is not the one the store's note named (replaced without
            # its command changing): the keys were wrong, so everything is scanned again
            return self.again()
        fresh = split(scanned, self.missing)
        engine = scanned.engine
        if engine is None and identity is not None:
            engine = identity.engine_used  # nothing scanned: the engine a scan would use
        if self.cached_errors is not None and (not self.missing or self.running.filtered):
            # nothing scanned, or semgrep handed only some files or rules by their prefilters:
            # the errors the last whole scan with these rules reported
            errors = self.cached_errors
        else:
            errors = scanned.errors
        files = {t: self.cached[t] if t in self.cached else fresh[t] for t in self.selected}
        found = Facts(files=files, errors=errors, engine=engine, scanned=len(fresh))
        self._keep(fresh, scanned, found)
        return found

    def result(self) -> scan.ScanResult:
        """The scan's result; with a store or a selection, put together from each file's
        facts, else semgrep's own (the same, without taking it apart)."""
        if self.store is None and self.identity is None and len(self.selected) == len(self.missing):
            return self.running.result()
        found = self.facts()
        self.reused = len(found.files) - found.scanned
        return found.result()

    def _keep(self, fresh: dict[Target, FileFacts], scanned: scan.ScanResult, found: Facts) -> None:
        store, identity = self.store, self.identity
        if store is None or identity is None or not store.writable:
            return
        if scanned.engine is not None and scanned.engine != identity.engine_used:
            return  # semgrep changed under us: these facts are not of the version in the keys
        kept = {
            target: self.keys[target]
            for target, file_facts in fresh.items()
            if target in self.keys and keepable(file_facts)
        }
        # the files kept, stamped again: those changed since they were read are not kept
        now = _stamps(kept, self.root)
        changed = {t for t in kept if t in self.stamps and now.get(t) != self.stamps[t]}
        for target, key in kept.items():
            if target not in changed:
                store.put(key, _encode(key, fresh[target]))
        if self.missing and not self.running.filtered:
            store.put(identity.errors_key, _encode(identity.errors_key, None, scanned.errors))
        if self.on_keep is not None:
            self.on_keep(found, self.stamps, now)
        store.flush()


def _stamps(selected: Iterable[Target], root: Path) -> dict[Target, tuple[int, int]]:
    """Each head file's mtime and size as of now."""
    stamps: dict[Target, tuple[int, int]] = {}
    for target in selected:
        if target.side == "head":
            try:
                info = os.stat(os.path.join(root, target.scan_path))
            except OSError:
                continue
            stamps[target] = (info.st_mtime_ns, info.st_size)
    return stamps


def _read(path: str) -> tuple[bytes, tuple[int, int]] | None:
    """A file's bytes and its stamp (mtime, size) as of before they were read; None when it
    cannot be read. os-level, sized by fstat: one read call per file of thousands."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            info = os.fstat(descriptor)
            content = os.read(descriptor, info.st_size + 1)
            if len(content) > info.st_size:  # it grew since: the rest too (its stamp differs)
                chunks = [content]
                while chunk := os.read(descriptor, 1 << 20):
                    chunks.append(chunk)
                content = b"".join(chunks)
        finally:
            os.close(descriptor)
    except OSError:
        return None
    return content, (info.st_mtime_ns, info.st_size)


def _keys(
    identity: Identity, selected: Sequence[Target], root: Path, on_read: OnRead | None
) -> tuple[dict[Target, str], dict[Target, tuple[int, int]]]:
    """Each readable target's key, and each head file's stamp as of before it was read. Each
    file is read once: `on_read` is given its path (as opened) and bytes."""
    keys: dict[Target, str] = {}
    stamps: dict[Target, tuple[int, int]] = {}
    for target in selected:
        full = target.scan_path if target.side == "base" else os.path.join(root, target.scan_path)
        read = _read(full)
        if read is None:
            continue
        content, stamp = read
        keys[target] = identity.file_key(target, content)
        if target.side == "head":
            stamps[target] = stamp
        if on_read is not None:
            on_read(full, content)
    return keys, stamps


@contextmanager
def started(
    config: ResolvedConfig,
    targets: Targets,
    *,
    store: FactsStore | None = None,
    select: Callable[[Target], bool] | None = None,
    identity: Identity | None = None,
    timeout: float | None = None,
    engine: str | None = None,
    on_read: OnRead | None = None,
    trust_remembered: bool = True,
    known: Mapping[str, FileFacts] | None = None,
    known_errors: tuple[str, ...] | None = None,
    on_keep: OnKeep | None = None,
) -> Iterator[RunningFacts]:
    """semgrep started over the selected targets (all by default) that the store does not
    hold, running while the caller does other work. `on_read`: given each file the store's
    keys read (its path as opened, its bytes), so the caller need not read it again.
    `known`: the facts of head files known already by their path (a tree entry's, see
    `trees`), neither read nor looked up; `known_errors`: the run-wide errors that came with
    them. `on_keep`: see `OnKeep`."""
    selected = [t for t in list_targets(targets) if select is None or select(t)]
    cached: dict[Target, FileFacts] = {}
    if known:
        cached = {t: known[t.path] for t in selected if t.side == "head" and t.path in known}
    keys: dict[Target, str] = {}
    cached_errors: tuple[str, ...] | None = known_errors if known else None
    if store is not None and identity is None:
        identity = Identity.of(config, engine, store, trust_remembered=trust_remembered)
    stamps: dict[Target, tuple[int, int]] = {}
    if store is not None and identity is not None:
        errors_entry = _decode(identity.errors_key, store.get(identity.errors_key))
        if errors_entry is not None or store.writable:
            # read before semgrep starts, so that the stamps (from the open files) say what it
            # will read; an empty store too: the keys to store under, with no second stat pass
            unknown = [t for t in selected if t not in cached] if cached else selected
            keys, stamps = _keys(identity, unknown, targets.root, on_read)
        if errors_entry is not None:
            cached_errors = errors_entry.errors
            for target, key in keys.items():
                entry = _decode(key, store.get(key))
                if entry is not None and entry.facts is not None:
                    cached[target] = entry.facts
    missing = [t for t in selected if t not in cached]
    chosen = identity.engine if identity is not None else engine
    prefilters = None
    if store is not None and identity is not None:
        # asked of semgrep-core by a run of the default branch's kind (no base: its store is
        # the one pull requests read), once per rules and semgrep; used once the store holds
        # a whole scan's run-wide errors, which a scan of fewer files or rules does not say
        prefilters = prefilter.for_rules(
            config.rule_documents,
            lambda: scan.rules_file_text(config),
            identity.rules,
            identity.semgrep_version,
            store,
            ask=targets.base is None,
            core=partial(scan.semgrep_core, identity.semgrep_version),
        )
        if cached_errors is None:
            prefilters = None

    def again() -> Facts:
        """Every selected file scanned afresh, semgrep asked its version again."""
        with started(
            config,
            targets,
            store=store,
            select=select,
            timeout=timeout,
            engine=engine,
            trust_remembered=False,
        ) as fresh:
            return fresh.facts()

    with scan.started(
        config, only(targets, missing), timeout=timeout, engine=chosen, prefilters=prefilters
    ) as running:
        yield RunningFacts(
            running,
            selected,
            cached,
            cached_errors,
            store,
            identity,
            keys,
            stamps,
            targets.root,
            again,
            on_keep,
        )

"""The pipeline, one direction: config → targets → scan → link → evaluate → compare → render.

Publishing (files, GitHub, docs commit) is left to the caller, which gets everything rendered.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from pattern_verify import (
    __version__,
    allows,
    collector,
    compare,
    config,
    evaluate,
    exceptions,
    facts,
    formats,
    gate,
    link,
    render,
    scan,
    shards,
    targets,
    trees,
)
from pattern_verify.errors import UsageError
from pattern_verify.models import FailOn, Finding, Repository, Scope, Verification
from pattern_verify.resources import compiled_templates, templates_dir
from pattern_verify.store import FactsStore


@dataclass(frozen=True)
class RunOptions:
    root: Path
    config_path: Path | None = None
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    base: str | None = None
    fail_on: FailOn | None = None
    repo_url: str | None = None
    timeout: float | None = None
    # semgrep's CLI: auto, native or python; None: $PATTERN_VERIFY_ENGINE, else auto
    engine: str | None = None
    timings: bool = False
    report_note: str = ""
    # where the document is kept in the repository, so the PR comment can say what it becomes
    document_path: str | None = None
    # the workflow run's web page, linked from the comment (where its job summary is)
    run_url: str | None = None
    # "base": read the config, its rules and templates from the base ref, not the tree
    trusted_config: Literal["head", "base"] = "head"
    # how to name the base in reports when `base` is a SHA (e.g. the PR's base branch)
    base_label: str | None = None
    # the date config exceptions' `until` is judged at; None: the later of the head commit's
    # date and the base ref's (deterministic: the same commits give the same verdict)
    today: datetime.date | None = None
    # the facts store (None: none), and whether this run may add to it
    cache_dir: Path | None = None
    cache_writes: bool = True
    # judge the facts these shards' runs wrote (files or directories) instead of scanning
    facts: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Outcome:
    verification: Verification
    config: config.ResolvedConfig
    report: str
    comment: str
    results_json: str
    # what the formats need besides the verification (`produce` any of them)
    presentation: formats.Presentation
    timings: dict[str, float] = field(default_factory=dict)
    # CPU seconds of this process per stage (semgrep's own, in its processes, not included)
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 when the run passes per its `fail-on`, 1 when it fails: the gate decides."""
        return gate.gate(self.verification).exit_code

    def produce(self, name: str, *, written: Sequence[str] = ()) -> str:
        """The output `name` of this run (see `formats`); `written`: the files it wrote."""
        presentation = self.presentation
        if written:
            presentation = replace(presentation, written=tuple(written))
        return formats.produce(name, self.verification, presentation)


def load_templates(user_dir: Path | None) -> dict[str, str]:
    """The bundled templates, with same-named files of the user's directory in their place."""
    sources: dict[str, str] = {}
    for directory in (templates_dir(), user_dir):
        if directory is None:
            continue
        for file in sorted(directory.glob("*.j2")):
            sources[file.name] = file.read_text(encoding="utf-8")
    return sources


class _Clock:
    """Wall-clock seconds per stage (what `--timings` reports) and this process's CPU seconds
    (what the benchmarks compare: a shared machine's wall clock mostly measures the others)."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start, start_cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - start, 4)
            self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - start_cpu


def _load_config(
    options: RunOptions, stack: ExitStack, store: FactsStore | None = None
) -> config.ResolvedConfig:
    """The config as the tree has it, or, trusted, as the base ref has it (its temporary
    directory stays until the run ends: the scan reads its rule files, render its templates).
    `store`: the facts store, which remembers its YAML files as read."""
    if options.trusted_config == "head":
        return config.load_config(
            options.root,
            options.config_path,
            extra_include=options.include,
            extra_exclude=options.exclude,
            store=store,
        )
    if options.base is None:
        raise UsageError("trusted-config: base needs a base ref (--base or a pull request event)")
    trusted = stack.enter_context(
        config.trusted_config_root(options.root, options.base, options.config_path)
    )
    config_path = None
    if options.config_path is not None:
        relative = options.config_path.resolve().relative_to(options.root.resolve())
        config_path = trusted / relative
        if not config_path.is_file():
            raise UsageError(
                f"trusted-config: base: {relative.as_posix()} does not exist at {options.base}"
            )
    return config.load_config(
        trusted,
        config_path,
        extra_include=options.include,
        extra_exclude=options.exclude,
        store=store,
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def run(options: RunOptions, progress: Callable[[str], None] = lambda _: None) -> Outcome:
    with collector.paused(), ExitStack() as stack:
        return _run(options, progress, stack)


def _run(options: RunOptions, progress: Callable[[str], None], stack: ExitStack) -> Outcome:
    clock = _Clock()
    store = None if options.facts else _store(options)
    with clock.stage("config"):
        resolved = _load_config(options, stack, store)
        template_sources = load_templates(resolved.templates_dir)
    identity: facts.Identity | None = None
    entries: trees.TreeEntries | None = None
    with clock.stage("targets"):
        if store is not None:
            identity = facts.Identity.of(resolved, options.engine, store)
        if store is not None and identity is not None:
            entries = trees.TreeEntries(store, identity, resolved, options.base)
        head_targets = targets.collect(
            options.root,
            resolved,
            repo_url=options.repo_url,
            known=entries.lookup if entries is not None else None,
        )
    with _maybe_base(head_targets, resolved, options.base, clock) as scan_targets:
        progress(
            f"scanning {_count(len(scan_targets.files) + len(scan_targets.scripts), 'file')}"
            + (f" (+{len(scan_targets.base.files)} base versions)" if scan_targets.base else "")
            + f" with {_count(len(resolved.rules), 'rule')}…"
        )
        repository = scan_targets.repository
        links = render.Links(
            base_url=repository.url,
            sha=repository.head.sha,
            base_sha=repository.base.sha if repository.base else None,
        )
        reader = allows.Reader([spec.id for spec in resolved.requirements])
        if entries is not None:
            entries.tell(reader)
        with (
            clock.stage("scan"),
            _facts(options, resolved, scan_targets, reader, store, identity, entries) as source,
        ):
            # compiled and read while semgrep runs, on the core it leaves free while it starts up
            # (files the store's keys read are not read again)
            renderer = render.Renderer(
                template_sources, links, compiled_templates(template_sources)
            )
            head_allows = reader.head(scan_targets.root, scan_targets.files)
            base_allows = reader.base(scan_targets.base.files) if scan_targets.base else ()
            scanned = scan.resolve_names(source.result(), resolved, scan_targets)
        progress(f"scanned in {clock.timings['scan']:.1f}s" + _reused(source.reused))
        if options.base_label and repository.base_ref:
            repository = repository.model_copy(update={"base_ref": options.base_label})
        base_info = scan_targets.base
        base_entries = resolved.exceptions
        if base_info is not None and options.trusted_config == "head":
            # which config exceptions the change adds: those of the config as the base has it
            base_text = (
                targets.text_at_merge_base(scan_targets, resolved.source)
                if resolved.source is not None
                else None
            )
            base_entries = config.exception_entries(base_text) if base_text else ()
    as_of = options.today or _judging_date(repository, base_info)
    changed_paths: set[str] = set()
    if base_info is not None:
        changed_paths = {c.new for c in base_info.changes if c.new} | {
            c.old for c in base_info.changes if c.old and c.new is None
        }
    with clock.stage("link"):
        # endpoints with the full routes clients reach them at
        head_linked = link.link(scanned.head)
        base_linked: tuple[Finding, ...] = ()
        compared_paths: set[str] = changed_paths
        if base_info is not None:
            # the base's routes, linked with the base's files: a changed file can move the route
            # of an unchanged one, whose base findings are then those of the base
            base_linked, moved = link.link_base(
                scanned.head, head_linked, scanned.base, changed_paths
            )
            compared_paths = changed_paths | moved
    with clock.stage("evaluate"):
        specs = resolved.requirements
        # each finding built once, marked new or existing against the base right away
        base_prepared = compare.prepare(specs, base_linked) if base_info is not None else None
        head = compare.prepare(specs, head_linked, base_prepared, compared_paths)
        base_results = None
        trusted_inline = None
        if base_prepared is not None:
            base_judged = exceptions.judge(
                specs,
                compare.base_findings(head, base_prepared, compared_paths),
                allows=[a for a in head_allows if a.path not in changed_paths] + list(base_allows),
                entries=base_entries,
                today=as_of,
                config_label=resolved.source_label,
            )
            base_results = base_judged.requirements
            if options.trusted_config == "base":
                # an inline allow counts only if the base already had it for the same finding
                trusted_inline = exceptions.inline_accepted(base_results)
        judged = exceptions.judge(
            specs,
            head,
            allows=head_allows,
            entries=resolved.exceptions,
            today=as_of,
            config_label=resolved.source_label,
            trusted_inline=trusted_inline,
        )
        results = judged.requirements
    fixed: tuple[Finding, ...] = ()
    new_count: int | None = None
    fixed_count: int | None = None
    new_exceptions: int | None = None
    findings = head
    with clock.stage("compare"):
        if base_prepared is not None:
            comparison = compare.compare(
                specs,
                results,
                head,
                base_prepared,
                compared_paths,
                base_results=base_results,
            )
            results = comparison.requirements
            fixed = comparison.fixed
            new_count = comparison.new_violations
            fixed_count = comparison.fixed_violations
            new_exceptions = comparison.new_exceptions
    # the correct patterns' states, as the report shows them, for results.json
    results = evaluate.with_pattern_states(results, findings)
    passed = all(r.passed for r in results)
    scope = Scope(
        root=head_targets.root_label,
        include=resolved.include,
        exclude=resolved.exclude,
        files_scanned=len(head_targets.files) + len(head_targets.scripts),
        files_excluded=head_targets.excluded,
        files_by_language=head_targets.by_language,
        not_verified=tuple(
            sorted(
                {s.path: s for s in (*head_targets.not_verified, *scanned.not_verified)}.values(),
                key=lambda s: s.path,
            )
        ),
        errors=scanned.errors,
        engine=scanned.engine,
    )
    fail_on: FailOn = options.fail_on or ("new" if options.base else "any")
    verification = Verification(
        tool_version=__version__,
        fail_on=fail_on,
        title=resolved.title,
        pack=resolved.pack.id,
        config_id=resolved.config_id,
        status="pass" if passed else "fail",
        repository=repository,
        scope=scope,
        summary=resolved.summary,
        conclusion=resolved.conclusion_pass if passed else resolved.conclusion_fail,
        requirements=results,
        findings=findings,
        fixed=fixed,
        new_violations=new_count,
        fixed_violations=fixed_count,
        new_exceptions=new_exceptions,
        exception_problems=judged.problems,
        exceptions_as_of=as_of.isoformat()
        if any(entry.until for entry in resolved.exceptions)
        else None,
        diagram=resolved.diagram,
    )
    presentation = formats.Presentation(
        renderer=renderer,
        report_note=options.report_note,
        document_path=options.document_path,
        run_url=options.run_url,
    )
    with clock.stage("render"):
        report = formats.produce("markdown", verification, presentation)
        comment = formats.produce("comment", verification, presentation)
    if options.timings:
        verification = verification.model_copy(update={"timings": dict(clock.timings)})
    start_cpu = time.process_time()
    results_json = formats.produce("json", verification, presentation)
    clock.cpu["results.json"] = time.process_time() - start_cpu
    return Outcome(
        verification=verification,
        config=resolved,
        report=report,
        comment=comment,
        results_json=results_json,
        presentation=presentation,
        timings=dict(clock.timings),
        cpu=dict(clock.cpu),
    )


def _judging_date(repository: Repository, base: targets.BaseTargets | None) -> datetime.date:
    """The later of the head commit's date and the base ref's: the same commits give the same
    verdict on any day, and a change cannot date its run before its base. Without a commit
    (not a git tree), today's date (UTC)."""
    dates = [d for d in (repository.head.date, base.ref_date if base else None) if d]
    if not dates:
        return datetime.datetime.now(datetime.timezone.utc).date()
    return max(datetime.date.fromisoformat(d) for d in dates)


@contextmanager
def _maybe_base(
    head_targets: targets.Targets,
    resolved: config.ResolvedConfig,
    base: str | None,
    clock: _Clock,
) -> Iterator[targets.Targets]:
    """The head targets, plus the base versions of the changed files when a base is given
    (their temporary directory lives until the block ends, through the scan)."""
    if base is None:
        yield head_targets
        return
    with ExitStack() as stack:
        with clock.stage("targets"):
            with_base = stack.enter_context(targets.with_base(head_targets, resolved, base))
        yield with_base


# ---------------------------------------------------------------------------------------------
# where the facts come from: semgrep (and the facts store), or the shards' files


def _store(options: RunOptions) -> FactsStore | None:
    if options.cache_dir is None:
        return None
    return FactsStore(options.cache_dir, writable=options.cache_writes)


@contextmanager
def _facts(
    options: RunOptions,
    resolved: config.ResolvedConfig,
    scan_targets: targets.Targets,
    reader: allows.Reader,
    store: FactsStore | None,
    identity: facts.Identity | None,
    entries: trees.TreeEntries | None,
) -> Iterator[facts.FactsSource]:
    """Where every target's facts come from: the shards' files with `facts`, else the store
    (a tree entry's, else each file's) and semgrep (started on entering the block, running
    meanwhile). The files the store's keys read go to `reader` too."""
    if options.facts:
        yield shards.MergedShards(resolved, scan_targets, options.facts)
        return
    with facts.started(
        resolved,
        scan_targets,
        store=store,
        identity=identity,
        timeout=options.timeout,
        engine=options.engine,
        on_read=reader.seen,
        known=entries.known_facts() if entries is not None else None,
        known_errors=entries.errors if entries is not None else None,
        on_keep=entries.keeper(scan_targets, reader) if entries is not None else None,
    ) as running:
        yield running


def _reused(count: int) -> str:
    return f" ({_count(count, 'file')} from the facts store or shards)" if count else ""


def scan_shard(
    options: RunOptions,
    shard: shards.Shard,
    progress: Callable[[str], None] = lambda _: None,
) -> shards.ShardFacts:
    """The facts of one shard's slice of the files (head and base versions), judging nothing."""
    with ExitStack() as stack:
        resolved = _load_config(options, stack)
        head_targets = targets.collect(
            options.root, resolved, repo_url=options.repo_url, keep=shard.holds_path
        )
        with _maybe_base(head_targets, resolved, options.base, _Clock()) as scan_targets:
            store = _store(options)
            with facts.started(
                resolved,
                scan_targets,
                store=store,
                select=shard.holds,
                # the shard says which semgrep made its facts, even when it scanned nothing
                identity=facts.Identity.of(resolved, options.engine, store),
                timeout=options.timeout,
                engine=options.engine,
            ) as running:
                progress(f"shard {shard}: scanning {_count(len(running.selected), 'file')}…")
                found = running.facts()
            return shards.shard_facts(shard, found, resolved, scan_targets)

"""The typed, immutable models every stage passes along.

Rules find *facts*; requirements judge them. A `Finding` is one fact at one place; a
`RequirementResult` is one requirement's verdict with the findings that prove or break it; a
`Verification` is the whole run, the one model every renderer reads.

Collections are tuples and every model is frozen, so a result cannot change after a stage
returned it, and sorting keys make output order deterministic.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pattern_verify.specs import DiagramSpec

Status = Literal["pass", "fail"]
FindingChange = Literal["new", "existing"]
RequirementChange = Literal["regressed", "fixed", "unchanged"]
FailOn = Literal["any", "new", "never"]
FAIL_ON_CHOICES: tuple[FailOn, ...] = get_args(FailOn)
ExceptionSource = Literal["inline", "config"]
ExceptionProblemKind = Literal["invalid", "unused", "expired", "proposed"]
PatternState = Literal["holds", "does-not-hold", "not-seen", "not-checked"]
EngineName = Literal["native", "python"]
FindingKey = tuple[str, str, int, int]  # Finding.key: rule, path, line, column


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(Model):
    """One fact a rule reported at one place in the tree."""

    rule_id: str = Field(description="Id of the semgrep rule that reported the fact.")
    fact: str = Field(description="The kind of fact, from the rule's `metadata.fact`.")
    path: str = Field(description="Repository-relative POSIX path.")
    line: int
    end_line: int
    column: int = 1
    end_column: int = 1
    message: str = Field(description="The rule's message with captured values filled in.")
    text: str = Field("", description="The matched source text, read from the file.")
    captures: dict[str, str] = Field(
        default_factory=dict,
        description="Values captured by the rule. String literals are unquoted; any other "
        "expression keeps its source text and its name is listed in `dynamic`.",
    )
    dynamic: tuple[str, ...] = Field(
        (), description="Captures whose value is not statically known."
    )
    aliases: dict[str, str] = Field(
        default_factory=dict,
        description="Name captures resolved through the file's imports (an import alias, a "
        "module alias, a package re-export, `getattr` with a constant): capture → the name as "
        "written in the code. `captures` holds the resolved name.",
    )
    unresolved: tuple[str, ...] = Field(
        (),
        description="Name captures a static reading cannot resolve (`getattr` with a name "
        "known only at run time, a module `__getattr__`): requirements that judge them say "
        "they could not decide.",
    )
    fingerprint: str = Field(
        "", description="Line-independent identity: rule, path, normalised text, occurrence."
    )
    change: FindingChange | None = Field(
        None, description="Against the base: new or existing. Null when no base was given."
    )
    requirements: tuple[str, ...] = Field(
        (), description="Ids of the requirements this fact bears on."
    )

    @property
    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        # the message last: one match can bind a rule's metavariables two ways (each blueprint
        # of `Blueprint.group(a, b)`), and the engines report those in different orders
        return (self.path, self.line, self.column, self.rule_id, self.text, self.message)

    @property
    def key(self) -> FindingKey:
        """The finding's identity within one run: its rule and where its match starts. An
        endpoint that `link` finds reached at two full routes is one finding, in two versions.
        Across revisions findings are matched by `fingerprint`, which ignores line numbers."""
        return (self.rule_id, self.path, self.line, self.column)


class AcceptedException(Model):
    """A violation accepted in the open: it does not fail its requirement, and it is kept,
    with its reason, where reviewers see it."""

    requirement: str = Field(description="Id of the requirement the finding would violate.")
    finding: Finding
    reason: str
    source: ExceptionSource = Field(
        description="`inline`: a `pattern-verify: allow` comment at the finding; `config`: an "
        "entry of the config's `exceptions:`."
    )
    declared_at: str = Field(
        description="Where the exception is written: `path:line` of the comment, or the config "
        "file and key (`.github/pattern-verify.yml: exceptions[0]`)."
    )
    until: str | None = Field(None, description="Expiry date (YYYY-MM-DD), config entries only.")
    change: FindingChange | None = Field(
        None,
        description="Against the base: `new` when the base did not already accept this finding "
        "for this requirement (a new allow, a new config entry, or an old one now covering a new "
        "fact). Null when no base was given.",
    )


class ExceptionProblem(Model):
    """An exception that is not honoured (malformed, unused, expired, or proposed by the change
    under `--trusted-config base`), reported with where it is written."""

    kind: ExceptionProblemKind
    path: str = Field(description="The file holding the allow comment, or the config file.")
    line: int | None = Field(None, description="The comment's line; null for config entries.")
    key: str | None = Field(None, description="The config key (`exceptions[0]`), if any.")
    requirement: str | None = None
    message: str

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, self.key or "", self.message)


class Pattern(Model):
    """A correct pattern or an anti-pattern of a requirement, with what proves it in the code."""

    text: str
    facts: tuple[str, ...] = Field(
        (),
        description="Correct pattern: the fact kinds that must each be seen (and the "
        "requirement pass) for it to be shown as holding; none: it is shown as not checked.",
    )
    select: dict[str, str | list[str]] = Field(
        default_factory=dict,
        description="Correct pattern: conditions (as a check's `select`) the facts showing it "
        "meet.",
    )
    rules: tuple[str, ...] = Field(
        (),
        description="Anti-pattern: ids (globs) of the rules whose violations are instances of it.",
    )
    state: PatternState | None = Field(
        None,
        description="Correct pattern, as the report shows it: `holds` (its requirement passes "
        "and a fact of each of its `facts` kinds meeting `select` was seen, listed in "
        "`shown_by`), `does-not-hold` (its requirement fails), `not-seen` (its requirement "
        "passes, but no such fact of a kind in `missing` was seen), `not-checked` (it names no "
        "facts: no rule looks for it, whatever its requirement's status). Null for an "
        "anti-pattern.",
    )
    shown_by: tuple[str, ...] = Field(
        (),
        description="Correct pattern that holds: `path:line` of each fact showing it, in the "
        "findings' order.",
    )
    missing: tuple[str, ...] = Field(
        (), description="Correct pattern not seen: the fact kinds no fact meeting it was seen of."
    )

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: object) -> object:
        return {"text": data} if isinstance(data, str) else data


class NotCounted(Model):
    """A fact seen and deliberately not counted by a requirement (its pack's `not_counted`),
    with why: context for its reader, never part of its verdict."""

    finding: Finding
    reason: str = Field(description="Why the requirement does not count it.")


class RequirementResult(Model):
    id: str
    title: str
    status: Status
    description: str = ""
    problems: tuple[str, ...] = Field(
        (), description="Why the requirement fails when no single finding says it."
    )
    violations: tuple[Finding, ...] = ()
    evidence: tuple[Finding, ...] = ()
    exceptions: tuple[AcceptedException, ...] = Field(
        (),
        description="Violations accepted with a reason: they do not fail the requirement.",
    )
    undecided: tuple[Finding, ...] = Field(
        (),
        description="Facts the requirement could not judge: a capture it selects or judges on "
        "is unresolved. The requirement fails, saying so, rather than pass unseen.",
    )
    change: RequirementChange | None = Field(
        None, description="Against the base: regressed, fixed or unchanged. Null without a base."
    )
    correct_patterns: tuple[Pattern, ...] = ()
    anti_patterns: tuple[Pattern, ...] = ()
    not_counted: tuple[NotCounted, ...] = Field(
        (),
        description="Facts seen that the requirement deliberately does not count (a gateway no "
        "module loads, one another serves), each with why; they do not change its status.",
    )

    @property
    def passed(self) -> bool:
        return self.status == "pass"


class ExcludeRule(Model):
    pattern: str
    source: Literal["pack", "config", "command line"]


class SkippedFile(Model):
    path: str
    reason: str


class Engine(Model):
    """The semgrep that produced the facts."""

    name: EngineName = Field(
        description="`native`: semgrep's OCaml CLI (`semgrep scan --experimental`); "
        "`python`: its Python CLI."
    )
    semgrep_version: str
    reason: str = Field(description="Why this engine ran (asked for, or what auto found).")


class Scope(Model):
    root: str = Field(
        description="The scanned directory, relative to the repository's top (`.` for the top)."
    )
    include: tuple[str, ...] = ()
    exclude: tuple[ExcludeRule, ...] = ()
    files_scanned: int = 0
    files_excluded: int = 0
    files_by_language: dict[str, int] = Field(default_factory=dict)
    not_verified: tuple[SkippedFile, ...] = Field(
        (), description="Files semgrep could not parse or refused: not verified, not clean."
    )
    errors: tuple[str, ...] = Field((), description="Errors semgrep reported during the scan.")
    engine: Engine | None = Field(None, description="The semgrep that ran; null when none did.")


class Revision(Model):
    sha: str | None = None
    short_sha: str | None = None
    date: str | None = Field(None, description="The commit's date (YYYY-MM-DD).")
    ref: str | None = None
    uncommitted: bool = Field(
        False, description="The verified tree had uncommitted or untracked changes."
    )


class Repository(Model):
    url: str | None = Field(None, description="Web URL of the repository, for links.")
    head: Revision = Field(default_factory=Revision)
    base: Revision | None = Field(None, description="The merge-base compared with, if any.")
    base_ref: str | None = None
    changed_files: int | None = None


class Verification(Model):
    """A whole run: the one model the report, comment, JSON, SARIF and annotations read."""

    schema_version: Literal[1] = 1
    tool_version: str
    title: str
    pack: str
    config_id: str = Field(description="Identity of the config, so two configs keep two comments.")
    status: Status
    fail_on: FailOn = Field("any", description="The gate: what fails the check (any, new, never).")
    repository: Repository
    scope: Scope
    summary: str = ""
    conclusion: str = ""
    requirements: tuple[RequirementResult, ...]
    findings: tuple[Finding, ...] = Field(
        (), description="Every finding after excludes, each naming the requirements it bears on."
    )
    fixed: tuple[Finding, ...] = Field(
        (), description="Violations at the base that are gone at the head."
    )
    new_violations: int | None = None
    fixed_violations: int | None = None
    new_exceptions: int | None = Field(
        None, description="Exceptions this change adds (`change: new`). Null without a base."
    )
    exception_problems: tuple[ExceptionProblem, ...] = Field(
        (), description="Exceptions not honoured, each with its file and line or config key."
    )
    exceptions_as_of: str | None = Field(
        None,
        description="The date (YYYY-MM-DD) config exceptions' `until` was judged at; set only "
        "when an exception has one.",
    )
    diagram: DiagramSpec | None = Field(
        None,
        description="The pack's diagram declaration (parameters substituted), so the comment "
        "can be drawn again from results.json.",
    )
    timings: dict[str, float] | None = Field(
        None, description="Seconds per stage; only with --timings, so output stays deterministic."
    )

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def violations(self) -> tuple[Finding, ...]:
        seen: dict[FindingKey, Finding] = {}
        for requirement in self.requirements:
            for finding in requirement.violations:
                seen.setdefault(finding.key, finding)
        return tuple(sorted(seen.values(), key=lambda f: f.sort_key))

    @property
    def exceptions(self) -> tuple[AcceptedException, ...]:
        return tuple(e for requirement in self.requirements for e in requirement.exceptions)

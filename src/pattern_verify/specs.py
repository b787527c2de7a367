"""The declarative parts of packs and configs: requirements, diagrams, rule descriptions.

Pure data, validated by pydantic with `extra="forbid"`; `config` loads them from files, and the
JSON schemas of pack.yml and the config (`pattern-verify schema pack|config`) are generated from
them. A requirement's checks are in `checks`, one class per kind.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from pattern_verify.checks import Check, ConditionValue

DEFAULT_PACK = "websocket-gateway"

ParameterValue = str | list[str]


class Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PatternSpec(Spec):
    """A correct pattern (`facts` it needs to be seen holding, `select` narrowing them) or an
    anti-pattern (`rules` whose violations are instances of it). A plain string is a pattern
    with neither: the report shows it as not checked, never as holding or as found."""

    text: str = Field(min_length=1)
    facts: list[str] = Field(
        default_factory=list,
        description="Correct pattern: fact kinds that must each be seen (and its requirement "
        "pass) for it to be shown as holding; the facts seen are listed as its evidence. "
        "Without `facts` it is shown as not checked.",
    )
    select: dict[str, ConditionValue] = Field(
        default_factory=dict,
        description="Correct pattern: as a check's `select` (globs for `path`): only the facts "
        "meeting it show the pattern.",
    )
    rules: list[str] = Field(
        default_factory=list,
        description="Anti-pattern: rule ids (`*` globs) whose violations are instances of it.",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: object) -> object:
        return {"text": data} if isinstance(data, str) else data

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # the schema says what `_from_text` accepts: a plain string is a pattern too
        written = handler.resolve_ref_schema(handler(core_schema))
        return {"anyOf": [{"type": "string", "minLength": 1}, written]}


class NotCountedSpec(Spec):
    """Facts a requirement's reader expects it to count, which the run saw and deliberately does
    not count (a gateway no module loads, one another gateway shadows): shown under the
    requirement with why, so a count of one is not read as "only one was seen"."""

    facts: list[str] = Field(min_length=1, description="Fact kinds.")
    select: dict[str, ConditionValue] = Field(
        default_factory=dict, description="As a check's `select` (globs for `path`)."
    )
    reason: str = Field(
        min_length=1,
        description="Why they are not counted: text with `{capture}`, `{path}`, `{line}` or "
        "`{fact}` placeholders filled from each fact (a missing capture is empty).",
    )

    @field_validator("reason")
    @classmethod
    def _reason_placeholders(cls, value: str) -> str:
        return _placeholders_valid(value)


class RequirementSpec(Spec):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    description: str = ""
    checks: list[Check] = Field(min_length=1)
    rules: list[str] = Field(
        default_factory=list,
        description="Extra semgrep rule files for this requirement, relative to the config file.",
    )
    correct_patterns: list[PatternSpec] = Field(default_factory=list)
    anti_patterns: list[PatternSpec] = Field(default_factory=list)
    not_counted: list[NotCountedSpec] = Field(
        default_factory=list,
        description="Facts seen and deliberately not counted, shown under the requirement with "
        "why (context: they never change its verdict).",
    )


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _placeholders_valid(template: str) -> str:
    for match in _PLACEHOLDER.finditer(template):
        if not _IDENTIFIER.match(match.group(1)):
            raise ValueError(
                f"`{{{match.group(1)}}}`: a placeholder names a capture, `path`, `fact` or `line`"
            )
    return template


class DiagramSource(Spec):
    """Which facts make a role's nodes."""

    facts: list[str] = Field(min_length=1, description="Fact kinds; `*` for any kind.")
    select: dict[str, ConditionValue] = Field(
        default_factory=dict, description="As a check's `select` (globs for `path`)."
    )
    detail: str | None = Field(
        None,
        description='A detail line for these facts, overriding the role\'s (`""`: none).',
    )

    @field_validator("detail")
    @classmethod
    def _detail_placeholders(cls, value: str | None) -> str | None:
        return value if value is None else _placeholders_valid(value)


class DiagramRole(Spec):
    """One kind of node (clients, endpoints, the gateway, ...): one node per distinct label."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str = Field(min_length=1, description="The group's title in the diagram.")
    noun: str = Field("", description="Plural noun for a collapsed node (default: the title).")
    sources: list[DiagramSource] = Field(min_length=1)
    node: str = Field(
        min_length=1,
        description="The node's label: `{capture}`, `{path}`, `{fact}` or `{line}` placeholders "
        "and text; facts giving the same label are one node.",
    )
    detail: str = Field("", description="A line under the label per distinct value.")
    only: Literal["all", "violations"] = Field(
        "all", description="`violations`: draw only the facts some requirement rejects."
    )
    marks: bool = Field(True, description="Whether a violating fact marks this role's node.")

    @field_validator("node", "detail")
    @classmethod
    def _label_placeholders(cls, value: str) -> str:
        return _placeholders_valid(value)


class DiagramEdgeSpec(Spec):
    """How two roles connect: an arrow from a `source` node to a `target` node."""

    source: str
    target: str
    label: str = ""
    via: Literal["fact", "file", "value", "all"] = Field(
        "fact",
        description="`fact`: both nodes were made from one same fact; `file`: from facts in one "
        "file; `value`: a capture of the source's facts ends with a capture of the target's "
        "(`values`); `all`: every source node to every target node.",
    )
    facts: list[str] = Field(
        default_factory=list, description="fact/file: only facts of these kinds link."
    )
    values: dict[str, str] = Field(
        default_factory=dict, description="value: source capture → target capture."
    )

    @model_validator(mode="after")
    def _values_fit_via(self) -> DiagramEdgeSpec:
        if self.via == "value" and not self.values:
            raise ValueError("`via: value` needs `values` (source capture: target capture)")
        if self.via != "value" and self.values:
            raise ValueError("`values` applies to `via: value` only")
        return self


class DiagramSettings(Spec):
    """How the diagram is shown; a user's config may set these (`diagram:`)."""

    report: bool = Field(True, description="Draw the diagram in the verification document.")
    comment: Literal["on-failure", "always", "never"] = Field(
        "on-failure", description="Draw it in the PR comment (inside `<details>`)."
    )
    max_nodes: int = Field(
        8,
        ge=1,
        le=100,
        description="A group with more nodes is collapsed: one node per kind of mark, "
        "listed below the diagram.",
    )


class DiagramSpec(Spec):
    """The pattern drawn as found: node roles per fact type and how they connect."""

    direction: Literal["LR", "RL", "TB", "BT"] = "LR"
    # bounded: results.json carries the declaration and may come from an untrusted job
    roles: list[DiagramRole] = Field(min_length=1, max_length=20)
    edges: list[DiagramEdgeSpec] = Field(default_factory=list, max_length=60)
    settings: DiagramSettings = Field(default_factory=DiagramSettings)

    @model_validator(mode="after")
    def _edges_name_roles(self) -> DiagramSpec:
        ids = [role.id for role in self.roles]
        problems = [f"role `{i}` is declared twice" for i in sorted(set(ids)) if ids.count(i) > 1]
        for index, edge in enumerate(self.edges):
            for end in (edge.source, edge.target):
                if end not in ids:
                    problems.append(f"edges[{index}]: no role `{end}` (roles: {', '.join(ids)})")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class PackSpec(Spec):
    id: str
    title: str
    summary: str = ""
    conclusion_pass: str = ""
    conclusion_fail: str = ""
    parameters: dict[str, ParameterValue] = Field(default_factory=dict)
    exclude: list[str] = Field(default_factory=list)
    rules: list[str] = Field(min_length=1, description="Rule files, relative to pack.yml.")
    requirements: list[RequirementSpec] = Field(min_length=1)
    diagram: DiagramSpec | None = Field(
        None, description="The pattern as a Mermaid flowchart; a pack without one draws none."
    )


class ExceptionEntry(Spec):
    """An accepted deviation written in the config: violations of `requirement` in files
    matching `path` do not fail it, for `reason`, until `until` (inclusive) if given."""

    requirement: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    path: str = Field(description="Glob of the files the exception covers.")
    reason: str = Field(description="Why the deviation is accepted; shown wherever it is.")
    until: datetime.date | None = Field(
        None, description="Last day the exception holds (YYYY-MM-DD); after it, not honoured."
    )

    @field_validator("path", "reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("until", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        # YAML reads `2026-06-30` as a date already; a number would pass as a timestamp
        if value is None or type(value) is datetime.date:
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise ValueError(f"expected a date YYYY-MM-DD, got `{value}`")


class UserConfig(Spec):
    pack: str = Field(
        DEFAULT_PACK, description="A bundled pack's name or a directory with pack.yml."
    )
    title: str | None = None
    parameters: dict[str, ParameterValue] = Field(default_factory=dict)
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    requirements: list[RequirementSpec] = Field(default_factory=list)
    templates: str | None = Field(None, description="Directory with report.md.j2 / comment.md.j2.")
    exceptions: list[ExceptionEntry] = Field(
        default_factory=list, description="Accepted deviations, each with a reason."
    )
    diagram: DiagramSettings | None = Field(
        None, description="How the pack's diagram is shown (report, comment, collapsing)."
    )

    @field_validator("include", "exclude")
    @classmethod
    def _globs_not_empty(cls, value: list[str]) -> list[str]:
        if any(not item.strip() for item in value):
            raise ValueError("globs must not be empty strings")
        return value


class RuleInfo(BaseModel):
    """What we need to know of one semgrep rule to read its results."""

    model_config = ConfigDict(frozen=True)

    id: str
    fact: str
    message: str
    captures: tuple[str, ...]
    languages: tuple[str, ...]
    file: Path
    # `metadata.names`: captures that hold a name as written (capture → a regex whose named
    # groups, matched against the resolved name, become captures too; "" for none)
    names: tuple[tuple[str, str], ...] = ()
    # `metadata.defaults`: capture → its value when the code does not set it (the framework's
    # documented default), read as a literal
    defaults: tuple[tuple[str, str], ...] = ()

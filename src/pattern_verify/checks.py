"""A requirement's checks (pure): one class per kind, each with its own fields and judgement.

A requirement is a list of checks and holds when every check holds. A check first selects the
facts it looks at (`facts` kinds, then `select` conditions on their captures), then judges them:

- `forbid`: every selected fact is a violation.
- `require`: selected facts meeting `where` are evidence, the others violations; at least `min`
  (default 1) pieces of evidence must exist.
- `count`: as `require`, and at most `max`; beyond it every matching fact is a violation, since
  none of them can be told to be the legitimate one.
- `confine`: selected facts inside `allowed_paths` are evidence, anywhere else violations.

A fact whose capture a check selects or judges on is unresolved (a name no static reading can
tell) is neither: the check cannot decide it, and says so.

The pack's YAML names the kind with `kind:`; `Check` is the union pydantic picks the class from,
and the pack's JSON schema (`pattern-verify schema pack`) is generated from these classes.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pattern_verify import globs

if TYPE_CHECKING:
    from pattern_verify.models import Finding

ConditionValue = str | list[str]


# ---------------------------------------------------------------------------------------------
# conditions: `select` and `where`


@lru_cache(maxsize=512)
def _value_pattern(expected: str) -> re.Pattern[str]:
    # `*` matches anything (slashes included: captured values are URLs and routes, not paths)
    return re.compile(".*".join(re.escape(part) for part in expected.split("*")), re.DOTALL)


def condition_values(value: ConditionValue) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@lru_cache(maxsize=512)
def _any_value(expected: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern a value fully matches when it matches one of the expected values."""
    return re.compile("|".join(f"(?:{_value_pattern(e).pattern})" for e in expected), re.DOTALL)


# per key of a condition: the pattern its value must match (None: any value) and the one it
# must not match (None: nothing excluded)
_Compiled = tuple[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None], ...]


@lru_cache(maxsize=1024)
def _compiled(condition: tuple[tuple[str, tuple[str, ...]], ...]) -> _Compiled:
    """A condition as patterns, made once: a check judges thousands of facts with it."""
    out = []
    for key, expected in condition:
        either = globs.any_of if key == "path" else _any_value
        positive = tuple(e for e in expected if not e.startswith("!"))
        negative = tuple(e[1:] for e in expected if e.startswith("!"))
        out.append(
            (key, either(positive) if positive else None, either(negative) if negative else None)
        )
    return tuple(out)


def decide(finding: Finding, condition: Mapping[str, ConditionValue]) -> bool | None:
    """Whether a finding satisfies every key of a condition: its value matches one of the
    listed values (if any are listed without `!`) and none of those listed with `!`. None when
    no key rules it out but a key's value is unresolved (a name no static reading can tell)."""
    if not condition:
        return True
    undecided = False
    frozen = tuple((key, tuple(condition_values(value))) for key, value in condition.items())
    for key, positive, negative in _compiled(frozen):
        if key == "fact":
            actual: str | None = finding.fact
        elif key == "path":
            actual = finding.path
        elif key in finding.unresolved:
            undecided = True
            continue
        else:
            actual = finding.captures.get(key)
        if actual is None:
            return False
        if positive is not None and positive.fullmatch(actual) is None:
            return False
        if negative is not None and negative.fullmatch(actual) is not None:
            return False
    return None if undecided else True


def meets(finding: Finding, condition: Mapping[str, ConditionValue]) -> bool:
    return decide(finding, condition) is True


def judged_by(finding: Finding) -> tuple[object, ...]:
    """All of a finding that conditions (`decide`) and a check's selection read: its kind,
    path, captures and which of them are unresolved. Findings alike in these are selected
    alike, so a caller judging thousands of them may judge each such group once."""
    return (finding.fact, finding.path, tuple(finding.captures.items()), finding.unresolved)


def _describe_conditions(conditions: Mapping[str, ConditionValue]) -> str:
    parts = []
    for key, value in conditions.items():
        shown = " or ".join(f"`{v}`" for v in condition_values(value))
        parts.append(f"{key} {shown}")
    return " with " + " and ".join(parts) if parts else ""


# ---------------------------------------------------------------------------------------------
# the kinds


@dataclass(frozen=True)
class Judgement:
    """What one check made of the facts."""

    evidence: list[Finding] = field(default_factory=list)
    violations: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    undecided: list[Finding] = field(default_factory=list)
    # violations that are ones only because too many facts met the check (a count past its
    # `max`): its `explain` (what the check's other violations are) does not describe them
    excess: list[Finding] = field(default_factory=list)


def _check_schema(schema: dict[str, Any], model: type[BaseModel]) -> None:
    # `kind` has a default so Python code can write `Forbid(facts=[...])`; a pack must name it
    required = schema.setdefault("required", [])
    if "kind" not in required:
        required.insert(0, "kind")
    # what a kind's validator asks beyond its fields' types, where JSON schema can say it
    schema.update(getattr(model, "schema_constraints", {}))


class BaseCheck(BaseModel):
    """The fields every kind has: which facts the check looks at, and why a violation is one."""

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra=_check_schema)

    kind: str
    facts: list[str] = Field(min_length=1, description="Fact kinds (rules' metadata.fact).")
    select: dict[str, ConditionValue] = Field(
        default_factory=dict,
        description="Which of those facts this check looks at: capture name (or `path`, `fact`) "
        "to a value or list of values (`*` matches anything, globs for `path`, `!` excludes).",
    )
    explain: str = Field("", description="Why a violation of this check is one, for the report.")

    def conditions(self) -> dict[str, ConditionValue]:
        """Every condition the check puts on a fact, by capture (or `path`, `fact`)."""
        return dict(self.select)

    def describe(self) -> str:
        """What the check counts, in words: "`endpoint` with route `/ws`"."""
        facts = " or ".join(f"`{fact}`" for fact in self.facts)
        return facts + _describe_conditions(self.conditions())

    def bears_on(self, finding: Finding) -> bool:
        """Whether the check looks at the finding, or cannot tell whether it does."""
        return finding.fact in self.facts and decide(finding, self.select) is not False

    def _selected(self, findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(selected, undecided) among the findings."""
        selected: list[Finding] = []
        undecided: list[Finding] = []
        for finding in findings:
            if finding.fact in self.facts:
                verdict = decide(finding, self.select)
                if verdict is None:
                    undecided.append(finding)
                elif verdict:
                    selected.append(finding)
        return selected, undecided

    @abstractmethod
    def judge(self, findings: Sequence[Finding]) -> Judgement:
        """Evidence, violations, problems and undecided facts among the findings."""

    def undecided_problem(self, undecided: Sequence[Finding]) -> str:
        """Why the check cannot decide these facts: which of its conditions' captures are not
        statically known, and where (the first five)."""
        conditions = self.conditions()
        keys = sorted({k for f in undecided for k in f.unresolved if k in conditions})
        shown = ", ".join(f"`{f.path}:{f.line}`{_why(f, keys)}" for f in undecided[:5])
        more = f" and {len(undecided) - 5} more" if len(undecided) > 5 else ""
        facts = " or ".join(f"`{fact}`" for fact in self.facts)
        what = "fact" if len(undecided) == 1 else "facts"
        return (
            f"could not decide {len(undecided)} {facts} {what}: "
            + " and ".join(f"`{k}`" for k in keys)
            + f" not statically known ({shown}{more})"
        )


def _why(finding: Finding, keys: Sequence[str]) -> str:
    """Why a fact's captures are not known, where the linking stage said (`route_unresolved`)."""
    reasons = [
        finding.captures[f"{k}_unresolved"] for k in keys if f"{k}_unresolved" in finding.captures
    ]
    return ": " + "; ".join(reasons) if reasons else ""


class Forbid(BaseCheck):
    """Any selected fact is a violation (e.g. `get_abstraction("websocket")`)."""

    kind: Literal["forbid"] = "forbid"

    def judge(self, findings: Sequence[Finding]) -> Judgement:
        selected, undecided = self._selected(findings)
        return Judgement(violations=selected, undecided=undecided)


class Confine(BaseCheck):
    """Selected facts may appear only in `allowed_paths`; anywhere else is a violation."""

    kind: Literal["confine"] = "confine"
    allowed_paths: list[str] = Field(
        description="Globs where the facts may appear.", json_schema_extra={"minItems": 1}
    )

    @model_validator(mode="after")
    def _some_allowed_path(self) -> Confine:
        # said of the check, not the key: an empty list is usually a `${parameter}` set to []
        if not self.allowed_paths:
            raise ValueError("a confine check needs `allowed_paths`")
        return self

    def judge(self, findings: Sequence[Finding]) -> Judgement:
        selected, undecided = self._selected(findings)
        inside: list[Finding] = []
        outside: list[Finding] = []
        for finding in selected:
            allowed = globs.matches_any(finding.path, self.allowed_paths)
            (inside if allowed else outside).append(finding)
        return Judgement(evidence=inside, violations=outside, undecided=undecided)


class _Counted(BaseCheck):
    """A check that counts evidence: selected facts meeting `where`."""

    where: dict[str, ConditionValue] = Field(
        default_factory=dict,
        description="What a selected fact must satisfy to count as evidence; a selected fact "
        "that does not is a violation.",
    )

    def conditions(self) -> dict[str, ConditionValue]:
        return {**self.select, **self.where}

    def _sorted(
        self, findings: Sequence[Finding]
    ) -> tuple[list[Finding], list[Finding], list[Finding]]:
        """(good, bad, undecided): selected facts meeting `where`, the others, and those whose
        selection or `where` cannot be decided."""
        selected, undecided = self._selected(findings)
        good: list[Finding] = []
        bad: list[Finding] = []
        for finding in selected:
            verdict = decide(finding, self.where)
            if verdict is None:
                undecided.append(finding)
            else:
                (good if verdict else bad).append(finding)
        return good, bad, undecided


class Require(_Counted):
    """At least `min` facts must exist; they are the evidence (e.g. the Post Office
    instantiates the gateway)."""

    kind: Literal["require"] = "require"
    min: int = Field(1, ge=0, description="How many pieces of evidence must exist at least.")

    def judge(self, findings: Sequence[Finding]) -> Judgement:
        good, bad, undecided = self._sorted(findings)
        problems = []
        if len(good) < self.min:
            problems.append(f"expected at least {self.min} {self.describe()}; found {len(good)}")
        return Judgement(evidence=good, violations=bad, problems=problems, undecided=undecided)


class Count(_Counted):
    """The number of facts meeting `where` must lie in [`min`, `max`] (e.g. exactly one
    endpoint, on `/ws`)."""

    kind: Literal["count"] = "count"
    min: int | None = Field(None, ge=0, description="At least this many (default 0).")
    max: int | None = Field(None, ge=0, description="At most this many (default: no bound).")

    schema_constraints: ClassVar[dict[str, Any]] = {
        "anyOf": [{"required": ["min"]}, {"required": ["max"]}]
    }

    @model_validator(mode="after")
    def _a_bound(self) -> Count:
        if self.min is None and self.max is None:
            raise ValueError("a count check needs `min`, `max` or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"`min` ({self.min}) is larger than `max` ({self.max})")
        return self

    def judge(self, findings: Sequence[Finding]) -> Judgement:
        good, bad, undecided = self._sorted(findings)
        problems = []
        minimum = self.min or 0
        if len(good) < minimum:
            problems.append(f"expected at least {minimum} {self.describe()}; found {len(good)}")
        if self.max is not None and len(good) > self.max:
            exactly = "exactly" if self.min == self.max else "at most"
            problems.append(f"expected {exactly} {self.max} {self.describe()}; found {len(good)}")
            # none of them can be told to be the legitimate one
            return Judgement(
                violations=bad + good, problems=problems, undecided=undecided, excess=good
            )
        return Judgement(evidence=good, violations=bad, problems=problems, undecided=undecided)


CHECK_KINDS: dict[str, type[BaseCheck]] = {
    "forbid": Forbid,
    "require": Require,
    "count": Count,
    "confine": Confine,
}

# what a pack's `checks:` item is: the class its `kind:` names
Check = Annotated[Forbid | Require | Count | Confine, Field(discriminator="kind")]

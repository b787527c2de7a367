"""Stage 4, evaluate (pure): facts → requirement results.

Each requirement is a list of checks; it holds when every check holds.

- `forbid`: every selected fact is a violation.
- `require`: selected facts meeting `where` are evidence, the others violations; at least `min`
  (default 1) pieces of evidence must exist.
- `count`: as `require`, and at most `max`; beyond it every matching fact is a violation, since
  none of them can be told to be the legitimate one.
- `confine`: selected facts inside `allowed_paths` are evidence, anywhere else violations.

A fact whose capture a check selects or judges on is unresolved (a name no static reading can
tell) is neither: the check cannot decide it, and the requirement fails saying so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from pattern_verify import globs
from pattern_verify.models import Finding, Pattern, RequirementResult
from pattern_verify.specs import Check, ConditionValue, RequirementSpec


@lru_cache(maxsize=512)
def _value_pattern(expected: str) -> re.Pattern[str]:
    # `*` matches anything (slashes included: captured values are URLs and routes, not paths)
    return re.compile(".*".join(re.escape(part) for part in expected.split("*")), re.DOTALL)


def _values(value: ConditionValue) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _matches(actual: str, expected: str, is_path: bool) -> bool:
    if is_path:
        return globs.matches(actual, expected)
    return _value_pattern(expected).fullmatch(actual) is not None


def decide(finding: Finding, condition: Mapping[str, ConditionValue]) -> bool | None:
    """Whether a finding satisfies every key of a condition: its value matches one of the
    listed values (if any are listed without `!`) and none of those listed with `!`. None when
    no key rules it out but a key's value is unresolved (a name no static reading can tell)."""
    undecided = False
    for key, value in condition.items():
        expected = _values(value)
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
        positive = [e for e in expected if not e.startswith("!")]
        negative = [e[1:] for e in expected if e.startswith("!")]
        is_path = key == "path"
        if positive and not any(_matches(actual, e, is_path) for e in positive):
            return False
        if any(_matches(actual, e, is_path) for e in negative):
            return False
    return None if undecided else True


def meets(finding: Finding, condition: Mapping[str, ConditionValue]) -> bool:
    return decide(finding, condition) is True


def describe(check: Check) -> str:
    """A short human description of what a check counts, for problems and the report."""
    facts = " or ".join(f"`{fact}`" for fact in check.facts)
    conditions = {**check.select, **check.where}
    if conditions:
        parts = []
        for key, value in conditions.items():
            shown = " or ".join(f"`{v}`" for v in _values(value))
            parts.append(f"{key} {shown}")
        facts += " with " + " and ".join(parts)
    return facts


def selected(check: Check, findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.fact in check.facts and meets(f, check.select)]


def _undecided_problem(check: Check, undecided: Sequence[Finding]) -> str:
    keys = sorted(
        {k for f in undecided for k in f.unresolved if k in check.select or k in check.where}
    )
    shown = ", ".join(f"`{f.path}:{f.line}`" for f in undecided[:5])
    more = f" and {len(undecided) - 5} more" if len(undecided) > 5 else ""
    facts = " or ".join(f"`{fact}`" for fact in check.facts)
    what = "fact" if len(undecided) == 1 else "facts"
    return (
        f"could not decide {len(undecided)} {facts} {what}: "
        + " and ".join(f"`{k}`" for k in keys)
        + f" not statically known ({shown}{more})"
    )


def _judge(
    check: Check, findings: Sequence[Finding]
) -> tuple[list[Finding], list[Finding], list[str], list[Finding]]:
    """(evidence, violations, problems, undecided) of one check."""
    relevant: list[Finding] = []
    undecided: list[Finding] = []
    for finding in findings:
        if finding.fact in check.facts:
            verdict = decide(finding, check.select)
            if verdict is None:
                undecided.append(finding)
            elif verdict:
                relevant.append(finding)
    if check.kind == "forbid":
        return [], relevant, [], undecided
    if check.kind == "confine":
        inside: list[Finding] = []
        outside: list[Finding] = []
        for finding in relevant:
            allowed = globs.matches_any(finding.path, check.allowed_paths)
            (inside if allowed else outside).append(finding)
        return inside, outside, [], undecided
    verdicts = [(f, decide(f, check.where)) for f in relevant]
    good = [f for f, verdict in verdicts if verdict is True]
    bad = [f for f, verdict in verdicts if verdict is False]
    undecided += [f for f, verdict in verdicts if verdict is None]
    problems = []
    minimum = check.minimum
    if len(good) < minimum:
        problems.append(f"expected at least {minimum} {describe(check)}; found {len(good)}")
    if check.max is not None and len(good) > check.max:
        exactly = "exactly" if check.min == check.max else "at most"
        problems.append(f"expected {exactly} {check.max} {describe(check)}; found {len(good)}")
        return [], bad + good, problems, undecided
    return good, bad, problems, undecided


def _unique(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    seen: dict[tuple[str, str, int, int], Finding] = {}
    for finding in findings:
        seen.setdefault((finding.rule_id, finding.path, finding.line, finding.column), finding)
    return tuple(sorted(seen.values(), key=lambda f: f.sort_key))


def bears_on(requirements: Sequence[RequirementSpec], finding: Finding) -> tuple[str, ...]:
    """The ids of the requirements a finding bears on (those whose checks select it, or cannot
    tell whether they do)."""
    return tuple(
        spec.id
        for spec in requirements
        if any(
            finding.fact in c.facts and decide(finding, c.select) is not False for c in spec.checks
        )
    )


def evaluate(
    requirements: Sequence[RequirementSpec], findings: Sequence[Finding]
) -> tuple[RequirementResult, ...]:
    """Judge every requirement against the findings."""
    results = []
    for spec in requirements:
        evidence: list[Finding] = []
        violations: list[Finding] = []
        problems: list[str] = []
        undecided: list[Finding] = []
        for check in spec.checks:
            good, bad, check_problems, check_undecided = _judge(check, findings)
            if bad and check.explain:
                problems.append(f"{check.explain}: {len(bad)}")
            evidence += good
            violations += bad
            problems += check_problems
            if check_undecided:
                # never a silent pass: what cannot be judged makes the requirement fail, saying so
                problems.append(_undecided_problem(check, _unique(check_undecided)))
                undecided += check_undecided
        violation_keys = {(f.rule_id, f.path, f.line, f.column) for f in violations}
        evidence = [
            f for f in evidence if (f.rule_id, f.path, f.line, f.column) not in violation_keys
        ]
        failed = bool(violations or problems)
        results.append(
            RequirementResult(
                id=spec.id,
                title=spec.title,
                status="fail" if failed else "pass",
                description=spec.description,
                problems=tuple(problems),
                violations=_unique(violations),
                evidence=_unique(evidence),
                undecided=_unique(undecided),
                correct_patterns=tuple(
                    Pattern(text=p.text, facts=tuple(p.facts)) for p in spec.correct_patterns
                ),
                anti_patterns=tuple(
                    Pattern(text=p.text, rules=tuple(p.rules)) for p in spec.anti_patterns
                ),
            )
        )
    return tuple(results)

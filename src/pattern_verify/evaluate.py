"""Stage 4, evaluate (pure): facts → requirement results.

Each requirement is a list of checks (`checks.py`: one class per kind, each judging on its own);
it holds when every check holds. Here the checks' judgements are put together: a finding that
one check takes as evidence and another as a violation is a violation, a check's `explain` names
what its violations are, and what a check cannot decide makes the requirement fail, saying so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from pattern_verify.checks import meets
from pattern_verify.models import (
    Finding,
    FindingKey,
    NotCounted,
    Pattern,
    PatternState,
    RequirementResult,
)
from pattern_verify.specs import RequirementSpec

# `{name}` in a pack's text filled from a fact (a not-counted reason here, a diagram's labels)
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _unique(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    seen: dict[FindingKey, Finding] = {}
    for finding in findings:
        seen.setdefault(finding.key, finding)
    return tuple(sorted(seen.values(), key=lambda f: f.sort_key))


def bears_on(requirements: Sequence[RequirementSpec], finding: Finding) -> tuple[str, ...]:
    """The ids of the requirements a finding bears on (those whose checks select it, or cannot
    tell whether they do)."""
    return tuple(
        spec.id for spec in requirements if any(check.bears_on(finding) for check in spec.checks)
    )


def value(finding: Finding, name: str) -> str:
    """A placeholder's value: `path`, `line`, `fact`, else the capture (empty when missing)."""
    if name == "path":
        return finding.path
    if name == "line":
        return str(finding.line)
    if name == "fact":
        return finding.fact
    return finding.captures.get(name, "")


def fill(template: str, finding: Finding) -> str:
    """`template` with each `{name}` replaced by the fact's value."""
    return PLACEHOLDER.sub(lambda match: value(finding, match.group(1)), template)


def not_counted(spec: RequirementSpec, findings: Sequence[Finding]) -> tuple[NotCounted, ...]:
    """The facts a requirement's `not_counted` declares, each with its reason filled in, in
    the findings' order (a fact two entries select is listed once, with the first's reason)."""
    seen: dict[FindingKey, NotCounted] = {}
    for entry in spec.not_counted:
        for finding in findings:
            if finding.fact not in entry.facts or finding.key in seen:
                continue
            if meets(finding, entry.select):
                reason = fill(entry.reason, finding)
                seen[finding.key] = NotCounted(finding=finding, reason=" ".join(reason.split()))
    return tuple(sorted(seen.values(), key=lambda n: n.finding.sort_key))


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
            judgement = check.judge(findings)
            explained = len(judgement.violations) - len(judgement.excess)
            if explained and check.explain:
                problems.append(f"{check.explain}: {explained}")
            evidence += judgement.evidence
            violations += judgement.violations
            problems += judgement.problems
            if judgement.undecided:
                # never a silent pass: what cannot be judged makes the requirement fail, saying so
                problems.append(check.undecided_problem(_unique(judgement.undecided)))
                undecided += judgement.undecided
        violation_keys = {f.key for f in violations}
        evidence = [f for f in evidence if f.key not in violation_keys]
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
                    Pattern(text=p.text, facts=tuple(p.facts), select=dict(p.select))
                    for p in spec.correct_patterns
                ),
                anti_patterns=tuple(
                    Pattern(text=p.text, rules=tuple(p.rules)) for p in spec.anti_patterns
                ),
                not_counted=not_counted(spec, findings),
            )
        )
    return tuple(results)


def by_fact(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """The findings of each fact kind, in their order."""
    out: dict[str, list[Finding]] = {}
    for finding in findings:
        out.setdefault(finding.fact, []).append(finding)
    return out


def correct_pattern_state(
    pattern: Pattern, result: RequirementResult, facts: Mapping[str, Sequence[Finding]]
) -> tuple[PatternState, tuple[Finding, ...], tuple[str, ...]]:
    """Whether a correct pattern holds, with the facts that show it, or the fact kinds not
    seen: it holds only when its requirement passes and a fact of each of its `facts` kinds
    meeting its `select` was seen. One that names no facts is looked for by no rule: not
    checked, whatever its requirement says. The report and results.json both read this."""
    if not pattern.facts:
        return "not-checked", (), ()
    if not result.passed:
        return "does-not-hold", (), ()
    shown = {
        fact: [f for f in facts.get(fact, ()) if meets(f, pattern.select)] for fact in pattern.facts
    }
    missing = tuple(fact for fact, found in shown.items() if not found)
    if missing:
        return "not-seen", (), missing
    return "holds", _unique(f for found in shown.values() for f in found), ()


def with_pattern_states(
    results: Sequence[RequirementResult], findings: Sequence[Finding]
) -> tuple[RequirementResult, ...]:
    """The results with each correct pattern's state (`correct_pattern_state`), the places
    showing it and the fact kinds not seen, as results.json carries them."""
    facts = by_fact(findings)
    out = []
    for result in results:
        patterns = []
        for pattern in result.correct_patterns:
            state, shown, missing = correct_pattern_state(pattern, result, facts)
            places = tuple(f"{f.path}:{f.line}" for f in shown)
            patterns.append(
                pattern.model_copy(update={"state": state, "shown_by": places, "missing": missing})
            )
        out.append(result.model_copy(update={"correct_patterns": tuple(patterns)}))
    return tuple(out)

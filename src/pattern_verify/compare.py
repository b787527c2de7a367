"""Stage 5, compare (pure): the head against the PR's merge-base.

Findings are identified by fingerprints that ignore line numbers (rule, path, normalised matched
text, occurrence index among equal texts in the file), so inserting lines above a violation does
not make it new. Only the changed files were scanned at the base: every other file is identical
there by construction, so its head findings stand for the base too.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from pattern_verify.evaluate import bearing, evaluate
from pattern_verify.models import Finding, RequirementChange, RequirementResult
from pattern_verify.specs import RequirementSpec


def _normalise(text: str) -> str:
    return " ".join(text.split())


def with_fingerprints(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """The findings with their line-independent fingerprints filled in."""
    ordered = sorted(findings, key=lambda f: f.sort_key)
    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    for finding in ordered:
        key = (finding.rule_id, finding.path, _normalise(finding.text or finding.message))
        occurrence = seen[key]
        seen[key] += 1
        digest = hashlib.sha256("\0".join((*key, str(occurrence))).encode("utf-8")).hexdigest()
        out.append(finding.model_copy(update={"fingerprint": digest[:20]}))
    return tuple(out)


@dataclass(frozen=True)
class Comparison:
    requirements: tuple[RequirementResult, ...]
    findings: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    new_violations: int
    fixed_violations: int


def _requirement_change(
    base: RequirementResult | None, head: RequirementResult
) -> RequirementChange:
    if base is None or base.status == head.status:
        return "unchanged"
    return "regressed" if head.status == "fail" else "fixed"


def compare(
    specs: Sequence[RequirementSpec],
    head_results: Sequence[RequirementResult],
    head_findings: Sequence[Finding],
    base_findings_of_changed: Sequence[Finding],
    changed_paths: Collection[str],
) -> Comparison:
    """Mark each head violation new or existing, list fixed ones, and say per requirement
    whether the change regressed or fixed it.

    `base_findings_of_changed` are the base findings of the changed files, already mapped to
    their head paths (and fingerprinted); `changed_paths` holds the head paths of changed files
    and the mapped paths of deleted ones.
    """
    unchanged = [f for f in head_findings if f.path not in changed_paths]
    base_findings = bearing(specs, with_fingerprints([*unchanged, *base_findings_of_changed]))
    base_results = {r.id: r for r in evaluate(specs, base_findings)}
    base_facts = {f.fingerprint for f in base_findings}
    base_violations: dict[str, Finding] = {}
    for result in base_results.values():
        for finding in result.violations:
            base_violations.setdefault(finding.fingerprint, finding)

    def mark(finding: Finding) -> Finding:
        change = "existing" if finding.fingerprint in base_facts else "new"
        return finding.model_copy(update={"change": change})

    head_violation_prints: set[str] = set()
    requirements = []
    for result in head_results:
        head_violation_prints.update(f.fingerprint for f in result.violations)
        requirements.append(
            result.model_copy(
                update={
                    "violations": tuple(mark(f) for f in result.violations),
                    "evidence": tuple(mark(f) for f in result.evidence),
                    "change": _requirement_change(base_results.get(result.id), result),
                }
            )
        )
    fixed = tuple(
        sorted(
            (f for p, f in base_violations.items() if p not in head_violation_prints),
            key=lambda f: f.sort_key,
        )
    )
    new_prints = {f.fingerprint for r in requirements for f in r.violations if f.change == "new"}
    return Comparison(
        requirements=tuple(requirements),
        findings=tuple(mark(f) for f in head_findings),
        fixed=fixed,
        new_violations=len(new_prints),
        fixed_violations=len(fixed),
    )

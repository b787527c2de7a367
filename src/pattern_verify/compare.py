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
from pattern_verify.exceptions import ALLOW_COMMENT
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
        text = ALLOW_COMMENT.sub("", finding.text or finding.message)
        key = (finding.rule_id, finding.path, _normalise(text))
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
    new_exceptions: int = 0


def _requirement_change(
    base: RequirementResult | None, head: RequirementResult
) -> RequirementChange:
    if base is None or base.status == head.status:
        return "unchanged"
    return "regressed" if head.status == "fail" else "fixed"


def base_findings(
    specs: Sequence[RequirementSpec],
    head_findings: Sequence[Finding],
    base_findings_of_changed: Sequence[Finding],
    changed_paths: Collection[str],
) -> tuple[Finding, ...]:
    """Every finding of the base: the head's in unchanged files (identical there by
    construction) and the scanned base versions of the changed ones.

    `base_findings_of_changed` are already mapped to their head paths; `changed_paths` holds the
    head paths of changed files and the mapped paths of deleted ones.
    """
    unchanged = [f for f in head_findings if f.path not in changed_paths]
    return bearing(specs, with_fingerprints([*unchanged, *base_findings_of_changed]))


def compare(
    specs: Sequence[RequirementSpec],
    head_results: Sequence[RequirementResult],
    head_findings: Sequence[Finding],
    base_findings_of_changed: Sequence[Finding],
    changed_paths: Collection[str],
    *,
    base_results: Sequence[RequirementResult] | None = None,
) -> Comparison:
    """Mark each head violation and exception new or existing, list fixed ones, and say per
    requirement whether the change regressed or fixed it.

    `base_results` are the base judged as the head was (with its exceptions); without them the
    base is judged by `evaluate` alone. A base violation that the head accepts as an exception
    is not fixed: it is a new exception.
    """
    base = base_findings(specs, head_findings, base_findings_of_changed, changed_paths)
    base_facts = {f.fingerprint for f in base}
    if base_results is None:
        base_results = evaluate(specs, base)
    base_by_id = {r.id: r for r in base_results}
    base_violations: dict[str, Finding] = {}
    for result in base_results:
        for finding in result.violations:
            base_violations.setdefault(finding.fingerprint, finding)
    base_accepted = {
        (e.finding.fingerprint, e.requirement) for r in base_results for e in r.exceptions
    }

    def mark(finding: Finding) -> Finding:
        change = "existing" if finding.fingerprint in base_facts else "new"
        return finding.model_copy(update={"change": change})

    head_settled: set[str] = set()
    requirements = []
    for result in head_results:
        head_settled.update(f.fingerprint for f in result.violations)
        head_settled.update(e.finding.fingerprint for e in result.exceptions)
        exceptions = tuple(
            e.model_copy(
                update={
                    "finding": mark(e.finding),
                    "change": "existing"
                    if (e.finding.fingerprint, e.requirement) in base_accepted
                    else "new",
                }
            )
            for e in result.exceptions
        )
        requirements.append(
            result.model_copy(
                update={
                    "violations": tuple(mark(f) for f in result.violations),
                    "evidence": tuple(mark(f) for f in result.evidence),
                    "exceptions": exceptions,
                    "change": _requirement_change(base_by_id.get(result.id), result),
                }
            )
        )
    fixed = tuple(
        sorted(
            (f for p, f in base_violations.items() if p not in head_settled),
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
        new_exceptions=sum(1 for r in requirements for e in r.exceptions if e.change == "new"),
    )

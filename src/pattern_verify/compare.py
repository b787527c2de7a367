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

from pattern_verify.checks import judged_by
from pattern_verify.evaluate import bears_on, evaluate
from pattern_verify.exceptions import ALLOW_COMMENT, DIRECTIVE
from pattern_verify.models import Finding, RequirementChange, RequirementResult
from pattern_verify.specs import RequirementSpec


def _normalise(text: str) -> str:
    return " ".join(text.split())


# the capture beside a value read from a constant of another module (link.py)
_CONSTANT = "_constant"


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """Each finding's line-independent fingerprint, in the order given: rule, path, normalised
    text (less any allow comment; plus the full route of an endpoint reached elsewhere than
    declared, and of a NestJS gateway; plus each value read from another module's constant)
    and the occurrence index among equal ones in the file,
    counted in sort order."""
    prints = [""] * len(findings)
    seen: Counter[tuple[str, str, str]] = Counter()
    for index in sorted(range(len(findings)), key=lambda i: findings[i].sort_key):
        finding = findings[index]
        text = finding.text or finding.message
        if DIRECTIVE in text:  # what ALLOW_COMMENT needs to match (searched for thousands)
            text = ALLOW_COMMENT.sub("", text)
        text = _normalise(text)
        declared = finding.captures.get("declared_route")
        route = finding.captures.get("route")
        if (declared is not None and route != declared) or "platform" in finding.captures:
            # reached elsewhere than declared (a new prefix; a NestJS gateway's route, which its
            # app's adapter decides): moving it is a different endpoint
            text += " -> " + (route or "(unresolved)")
        # a value read from another module's constant: a new value there is a different fact
        for capture in sorted(k for k in finding.captures if k.endswith(_CONSTANT)):
            name = capture.removesuffix(_CONSTANT)
            text += f" {name}={finding.captures.get(name, '(unresolved)')}"
        key = (finding.rule_id, finding.path, text)
        occurrence = seen[key]
        seen[key] += 1
        digest = hashlib.sha256("\0".join((*key, str(occurrence))).encode("utf-8")).hexdigest()
        prints[index] = digest[:20]
    return prints


def prepare(
    specs: Sequence[RequirementSpec],
    findings: Sequence[Finding],
    base: Sequence[Finding] | None = None,
    changed_paths: Collection[str] = (),
) -> tuple[Finding, ...]:
    """The findings as every later stage reads them, each built once (one copy, not a chain
    of them: a monorepo has tens of thousands): its fingerprint, the requirements it bears on
    and, against `base` (the base findings of the changed files, mapped to their head paths
    and prepared), whether it is new or existing. Sorted by `Finding.sort_key`.

    Files outside `changed_paths` (the head paths of changed files and the mapped paths of
    deleted ones) are identical at the base: their findings stand for the base's too."""
    prints = fingerprints(findings)
    base_facts: set[str] | None = None
    if base is not None:
        base_facts = {f.fingerprint for f in base}
        pairs = zip(findings, prints, strict=True)
        base_facts.update(p for f, p in pairs if f.path not in changed_paths)
    out = []
    # the requirements a finding bears on, found once per file and values, not once per fact
    bearing: dict[tuple[object, ...], tuple[str, ...]] = {}
    for finding, fingerprint in zip(findings, prints, strict=True):
        judged = judged_by(finding)
        requirements = bearing.get(judged)
        if requirements is None:
            requirements = bearing[judged] = bears_on(specs, finding)
        update: dict[str, object] = {"fingerprint": fingerprint, "requirements": requirements}
        if base_facts is not None:
            update["change"] = "existing" if fingerprint in base_facts else "new"
        out.append(finding.model_copy(update=update))
    return tuple(sorted(out, key=lambda f: f.sort_key))


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
    head_findings: Sequence[Finding],
    base_findings_of_changed: Sequence[Finding],
    changed_paths: Collection[str],
) -> tuple[Finding, ...]:
    """Every finding of the base: the head's in unchanged files (identical there by
    construction) and the scanned base versions of the changed ones, both prepared."""
    unchanged = [f for f in head_findings if f.path not in changed_paths]
    return tuple(sorted([*unchanged, *base_findings_of_changed], key=lambda f: f.sort_key))


def compare(
    specs: Sequence[RequirementSpec],
    head_results: Sequence[RequirementResult],
    head_findings: Sequence[Finding],
    base_findings_of_changed: Sequence[Finding],
    changed_paths: Collection[str],
    *,
    base_results: Sequence[RequirementResult] | None = None,
) -> Comparison:
    """Mark each head exception new or existing, list fixed violations, and say per
    requirement whether the change regressed or fixed it. The findings themselves are already
    marked new or existing (`prepare` against the base).

    `base_results` are the base judged as the head was (with its exceptions); without them the
    base is judged by `evaluate` alone. A base violation that the head accepts as an exception
    is not fixed: it is a new exception.
    """
    if base_results is None:
        base = base_findings(head_findings, base_findings_of_changed, changed_paths)
        base_results = evaluate(specs, base)
    base_by_id = {r.id: r for r in base_results}
    base_violations: dict[str, Finding] = {}
    for result in base_results:
        for finding in result.violations:
            base_violations.setdefault(finding.fingerprint, finding)
    base_accepted = {
        (e.finding.fingerprint, e.requirement) for r in base_results for e in r.exceptions
    }

    head_settled: set[str] = set()
    requirements = []
    for result in head_results:
        head_settled.update(f.fingerprint for f in result.violations)
        head_settled.update(e.finding.fingerprint for e in result.exceptions)
        exceptions = tuple(
            e.model_copy(
                update={
                    "change": "existing"
                    if (e.finding.fingerprint, e.requirement) in base_accepted
                    else "new"
                }
            )
            for e in result.exceptions
        )
        requirements.append(
            result.model_copy(
                update={
                    "exceptions": exceptions,
                    "change": _requirement_change(base_by_id.get(result.id), result),
                }
            )
        )
    # a fixed violation in an unchanged file is a head finding: as the base's, it has no change
    fixed = tuple(
        sorted(
            (
                f if f.change is None else f.model_copy(update={"change": None})
                for p, f in base_violations.items()
                if p not in head_settled
            ),
            key=lambda f: f.sort_key,
        )
    )
    new_prints = {f.fingerprint for r in requirements for f in r.violations if f.change == "new"}
    return Comparison(
        requirements=tuple(requirements),
        findings=tuple(head_findings),
        fixed=fixed,
        new_violations=len(new_prints),
        fixed_violations=len(fixed),
        new_exceptions=sum(1 for r in requirements for e in r.exceptions if e.change == "new"),
    )

"""SARIF 2.1.0 from a `Verification` (pure): the violations, for GitHub code scanning.

Decisions, each for how code scanning tracks alerts:
- `ruleId` is `<requirement id>/<rule id>`: a requirement is the verdict users know, the rule
  is the fact that broke it. The same fact can break two requirements (two alerts with their
  own help), and one requirement can be broken by several kinds of fact; both ids are stable
  by contract (kebab-case, never reused), so the pair is stable too.
- `partialFingerprints["patternVerify/v1"]` is our line-independent fingerprint, so an alert
  follows its code when lines shift.
- Only violations are results, at level `error`, new ones first; GitHub keeps at most 5,000
  results of a run, so the rest are left out and a notification says how many.
- A failing requirement with no place to point at (e.g. "no Post Office instantiation found"),
  files not verified and scan errors become notifications of the run's invocation: code
  scanning needs a location for every result.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import quote

import pydantic_core

from pattern_verify.models import Finding, RequirementResult, Verification

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "patternVerify/v1"
MAX_RESULTS = 5_000
MAX_SNIPPET_CHARS = 2_000
SRCROOT = "%SRCROOT%"


def rule_id(requirement: RequirementResult, finding: Finding) -> str:
    return f"{requirement.id}/{finding.rule_id}"


@lru_cache(maxsize=4096)  # thousands of results in a few hundred files
def _uri(path: str) -> str:
    return "/".join(quote(part, safe="") for part in path.split("/"))


def _text(value: str) -> dict[str, str]:
    return {"text": value}


def _descriptor(requirement: RequirementResult, finding: Finding) -> dict[str, Any]:
    help_lines = [requirement.description or requirement.title]
    markdown = [requirement.description or requirement.title]
    correct = [p.text for p in requirement.correct_patterns]
    anti = [p.text for p in requirement.anti_patterns]
    if correct:
        help_lines.append("Correct: " + " ".join(correct))
        markdown.append("\n**Correct**\n" + "\n".join(f"- {p}" for p in correct))
    if anti:
        help_lines.append("Avoid: " + " ".join(anti))
        markdown.append("\n**Avoid**\n" + "\n".join(f"- {p}" for p in anti))
    return {
        "id": rule_id(requirement, finding),
        "name": requirement.title,
        "shortDescription": _text(f"{requirement.title} ({finding.rule_id})"),
        "fullDescription": _text(requirement.description or requirement.title),
        "help": {"text": "\n".join(help_lines), "markdown": "\n".join(markdown)},
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": ["architecture", "pattern-verify"],
            "requirement": requirement.id,
            "rule": finding.rule_id,
            "fact": finding.fact,
        },
    }


def _location(finding: Finding) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": max(finding.line, 1),
        "endLine": max(finding.end_line, finding.line, 1),
        "startColumn": max(finding.column, 1),
    }
    if finding.text:
        region["snippet"] = _text(finding.text[:MAX_SNIPPET_CHARS])
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(finding.path), "uriBaseId": SRCROOT},
            "region": region,
        }
    }


def _notification(level: str, message: str, descriptor: str) -> dict[str, Any]:
    return {"level": level, "message": _text(message), "descriptor": {"id": descriptor}}


def to_sarif(verification: Verification, *, max_results: int = MAX_RESULTS) -> dict[str, Any]:
    """The SARIF log (a dict ready for `json.dumps`) with one run."""
    pairs: list[tuple[RequirementResult, Finding]] = [
        (requirement, finding)
        for requirement in verification.requirements
        for finding in requirement.violations
    ]
    # new violations first, then by place, so a cut keeps what the change introduced
    pairs.sort(key=lambda pair: (pair[1].change != "new", pair[1].sort_key, pair[0].id))
    kept = pairs[:max_results]

    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for requirement, finding in sorted(kept, key=lambda pair: rule_id(*pair)):
        rid = rule_id(requirement, finding)
        if rid not in index:
            index[rid] = len(rules)
            rules.append(_descriptor(requirement, finding))

    has_base = verification.repository.base is not None
    results: list[dict[str, Any]] = []
    for requirement, finding in kept:
        rid = rule_id(requirement, finding)
        result: dict[str, Any] = {
            "ruleId": rid,
            "ruleIndex": index[rid],
            "level": "error",
            "message": _text(f"{requirement.title}: {finding.message}"),
            "locations": [_location(finding)],
            "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
            "properties": {"requirement": requirement.id, "fact": finding.fact},
        }
        if has_base and finding.change is not None:
            result["baselineState"] = "new" if finding.change == "new" else "unchanged"
        results.append(result)

    notifications: list[dict[str, Any]] = []
    if len(pairs) > len(kept):
        notifications.append(
            _notification(
                "warning",
                f"{len(pairs) - len(kept)} of {len(pairs)} violations are not in this SARIF file: "
                f"GitHub code scanning keeps at most {max_results:,} results per run. "
                "Every violation is in report.md and results.json.",
                "pattern-verify/results-cut",
            )
        )
    for requirement in verification.requirements:
        if requirement.passed:
            continue
        for problem in requirement.problems:
            notifications.append(
                _notification("error", f"{requirement.title}: {problem}", requirement.id)
            )
    for skipped in verification.scope.not_verified:
        notifications.append(
            _notification(
                "warning",
                f"{skipped.path}: not verified ({skipped.reason})",
                "pattern-verify/not-verified",
            )
        )
    for error in verification.scope.errors:
        notifications.append(_notification("warning", error, "pattern-verify/scan-error"))

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "pattern-verify",
                "version": verification.tool_version,
                "semanticVersion": verification.tool_version,
                "rules": rules,
            }
        },
        # one analysis per config, so two configs in one repository keep their own alerts
        "automationDetails": {"id": f"pattern-verify/{verification.config_id}/"},
        "originalUriBaseIds": {SRCROOT: {"description": _text("The repository's root.")}},
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": notifications,
            }
        ],
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {
            "status": verification.status,
            "pack": verification.pack,
            "violations": len(pairs),
        },
    }
    repository = verification.repository
    if repository.url and repository.head.sha:
        provenance: dict[str, Any] = {
            "repositoryUri": repository.url,
            "revisionId": repository.head.sha,
            "mappedTo": {"uriBaseId": SRCROOT},
        }
        if repository.head.ref:
            provenance["branch"] = repository.head.ref
        run["versionControlProvenance"] = [provenance]
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def dumps(verification: Verification, *, max_results: int = MAX_RESULTS) -> str:
    """The SARIF file's text: the bytes of `json.dumps(log, indent=2, ensure_ascii=False)`,
    written by pydantic's serialiser (the standard library's indenting encoder is pure
    Python: 0.2 s for 5,000 results)."""
    log = to_sarif(verification, max_results=max_results)
    return pydantic_core.to_json(log, indent=2).decode("utf-8") + "\n"

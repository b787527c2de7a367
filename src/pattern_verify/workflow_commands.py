"""The `github` format (pure): GitHub Actions workflow commands, one annotation per violating
line, and the command syntax itself (`::error file=a.py,line=3,title=T::message`).

The syntax follows GitHub's runner and `@actions/core`: `%`, CR and LF escaped in a command's
message, and `:` and `,` too in its properties.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pattern_verify.gate import fails_check, plain
from pattern_verify.models import Finding, FindingKey, Verification

# GitHub shows at most 10 error and 10 warning annotations per step (more are counted, not shown).
MAX_ERRORS = 10
# One warning slot stays free for the action's own warnings (a comment that could not be posted).
MAX_WARNINGS = 9


# ---------------------------------------------------------------------------------------------
# workflow commands


def escape_data(text: str) -> str:
    """A command's message: `%`, CR and LF escaped, so the message stays one command line."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command property's value: as a message, plus `:` and `,`, which end properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(
    name: str, message: str, properties: Mapping[str, str | int | None] | None = None
) -> str:
    """One workflow command line, e.g. `::error file=a.py,line=3,title=T::message`."""
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in (properties or {}).items()
        if value is not None and value != ""
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


# ---------------------------------------------------------------------------------------------
# annotations


@dataclass(frozen=True)
class _Annotation:
    level: str  # "error" | "warning"
    message: str
    title: str
    finding: Finding | None = None

    def line(self) -> str:
        props: dict[str, str | int | None] = {}
        if self.finding is not None:
            props.update(
                file=self.finding.path,
                line=self.finding.line,
                endLine=self.finding.end_line
                if self.finding.end_line > self.finding.line
                else None,
                col=self.finding.column if self.finding.end_line == self.finding.line else None,
            )
        props["title"] = self.title
        return command(self.level, self.message, props)


def annotation_commands(verification: Verification) -> list[str]:
    """One workflow command per violation, new ones first: an error when it fails the step per
    `verification.fail_on` (as the gate decides), a warning otherwise. A failing requirement
    gets a line of its own only when no finding says why (missing evidence). Text is plain (no
    Markdown: annotations show it raw). Past GitHub's per-step cap, the last shown line of a
    level says how many more there are."""
    violated_by: dict[FindingKey, list[str]] = {}
    for requirement in verification.requirements:
        for finding in requirement.violations:
            titles = violated_by.setdefault(finding.key, [])
            if requirement.title not in titles:
                titles.append(requirement.title)

    def title_of(finding: Finding) -> str:
        titles = violated_by.get(finding.key) or [finding.rule_id]
        return "pattern-verify: " + ", ".join(titles)

    violations = list(verification.violations)
    new = [f for f in violations if f.change == "new"]
    rest = [f for f in violations if f.change != "new"]
    ordered: list[_Annotation] = []
    for finding in new:
        ordered.append(_finding_annotation(finding, verification, title_of(finding)))
    for requirement in verification.requirements:
        if requirement.passed or requirement.violations:
            continue
        ordered.append(
            _Annotation(
                level="error" if fails_check(verification, requirement) else "warning",
                message=plain(
                    f"{requirement.title}: "
                    + ("could not decide" if requirement.undecided else "missing evidence")
                    + ": "
                    + "; ".join(requirement.problems)
                ),
                title=f"pattern-verify: {requirement.title}",
            )
        )
    for finding in rest:
        ordered.append(_finding_annotation(finding, verification, title_of(finding)))
    return _capped(ordered, {"error": MAX_ERRORS, "warning": MAX_WARNINGS})


def _finding_annotation(finding: Finding, verification: Verification, title: str) -> _Annotation:
    level = "error" if fails_check(verification, finding) else "warning"
    suffix = " (new in this change)" if finding.change == "new" else ""
    return _Annotation(
        level=level,
        message=plain(" ".join(finding.message.split())) + suffix,
        title=title,
        finding=finding,
    )


def _capped(ordered: Iterable[_Annotation], caps: Mapping[str, int]) -> list[str]:
    by_level: dict[str, list[_Annotation]] = {}
    for item in ordered:
        by_level.setdefault(item.level, []).append(item)
    lines: list[str] = []
    for level in ("error", "warning"):
        items = by_level.get(level, [])
        cap = caps[level]
        if len(items) <= cap:
            lines.extend(item.line() for item in items)
            continue
        shown = items[: max(cap - 1, 0)]
        lines.extend(item.line() for item in shown)
        hidden = len(items) - len(shown)
        noun = "violations" if level == "error" else "findings"
        lines.append(
            command(
                level,
                f"{hidden} more {noun} are not annotated (GitHub shows at most 10 {level}s "
                "per step); every one is in the job summary and report.md.",
                {"title": "pattern-verify"},
            )
        )
    return lines

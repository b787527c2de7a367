"""What a GitHub Actions step hands back to the runner: outputs (`GITHUB_OUTPUT`), the job
summary (`GITHUB_STEP_SUMMARY`) and annotations (workflow commands on stdout).

The formats follow GitHub's runner and `@actions/core`: `name<<DELIMITER` blocks for multi-line
outputs, `%`, CR and LF escaped in a command's message, and `:` and `,` too in its properties.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pattern_verify.gate import plain
from pattern_verify.models import FailOn, Finding, Verification

# GitHub keeps at most 1 MiB of summary per step and shows at most 10 error and 10 warning
# annotations per step (more are counted, not shown).
SUMMARY_LIMIT_BYTES = 1024 * 1024
MAX_ERRORS = 10
# One warning slot stays free for the action's own warnings (a comment that could not be posted).
MAX_WARNINGS = 9

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")


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
# outputs


def _delimiter(name: str, value: str) -> str:
    """A heredoc delimiter that does not occur in `value`: derived from the value itself, so
    the file is reproducible, and extended until it is absent (a value cannot contain a string
    computed from a hash of itself, short of a collision, which the loop handles)."""
    digest = hashlib.sha256(f"{name}\0{value}".encode()).hexdigest()
    delimiter = f"ghadelimiter_{digest[:32]}"
    counter = 0
    while delimiter in value:
        counter += 1
        delimiter = f"ghadelimiter_{digest[:32]}_{counter}"
    return delimiter


def format_output(name: str, value: str) -> str:
    """One output in the `GITHUB_OUTPUT` file format."""
    if "\n" in value or "\r" in value:
        delimiter = _delimiter(name, value)
        return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"
    return f"{name}={value}\n"


def write_outputs(path: Path | None, outputs: Mapping[str, str]) -> None:
    """Append outputs to the `GITHUB_OUTPUT` file; nothing to do outside Actions (no file)."""
    if path is None:
        return
    text = "".join(format_output(name, value) for name, value in outputs.items())
    with path.open("a", encoding="utf-8", newline="") as file:
        file.write(text)


def verification_outputs(verification: Verification) -> dict[str, str]:
    """status, violations, new-violations (empty without a base), fixed, exceptions and
    new-exceptions (empty without a base)."""
    return {
        "status": verification.status,
        "violations": str(len(verification.violations)),
        "new-violations": ""
        if verification.new_violations is None
        else str(verification.new_violations),
        "fixed": ""
        if verification.fixed_violations is None
        else str(verification.fixed_violations),
        "exceptions": str(len(verification.exceptions)),
        "new-exceptions": ""
        if verification.new_exceptions is None
        else str(verification.new_exceptions),
    }


# ---------------------------------------------------------------------------------------------
# job summary


def _open_blocks(lines: Sequence[str]) -> tuple[str | None, int]:
    """The code fence left open at the end of `lines` (or None) and how many `<details>` are."""
    fence: str | None = None
    details = 0
    for line in lines:
        if fence is not None:
            stripped = line.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                fence = None
            continue
        match = _FENCE_OPEN.match(line)
        if match:
            fence = match.group(1)
            continue
        details += line.count("<details") - line.count("</details>")
    return fence, max(details, 0)


def cut_summary(text: str, limit_bytes: int, note: str) -> str:
    """`text` within `limit_bytes` of UTF-8. When cut: at a line end, open code fences and
    `<details>` closed so that `note` (which says where the full report is) renders."""
    data = text.encode("utf-8")
    if len(data) <= limit_bytes:
        return text
    # room for the note and for closing what the cut leaves open (a fence, a few </details>)
    reserve = len(note.encode("utf-8")) + 512
    kept = data[: max(0, limit_bytes - reserve)].decode("utf-8", errors="ignore")
    kept = kept[: kept.rfind("\n") + 1] if "\n" in kept else ""
    fence, details = _open_blocks(kept.splitlines())
    closing = ""
    if fence is not None:
        closing += f"{fence}\n"
    closing += "\n</details>\n" * min(details, 8)
    result = f"{kept}{closing}\n{note}"
    encoded = result.encode("utf-8")
    if len(encoded) > limit_bytes:  # pathological: many open blocks; plain cut, note kept
        result = (
            encoded[: limit_bytes - len(note.encode("utf-8")) - 1].decode("utf-8", errors="ignore")
            + "\n"
            + note
        )
    return result


def append_summary(path: Path | None, report: str, *, full_report_at: str) -> None:
    """Append the full report to the job summary, cut to what is left of GitHub's 1 MiB."""
    if path is None:
        return
    used = path.stat().st_size if path.exists() else 0
    note = (
        "> [!NOTE]\n> The report was cut to fit the job summary's 1 MiB limit. "
        f"The full report is `{full_report_at}` in the results.\n"
    )
    text = cut_summary(report, max(SUMMARY_LIMIT_BYTES - used, 1024), note)
    with path.open("a", encoding="utf-8", newline="") as file:
        file.write(text if text.endswith("\n") else text + "\n")


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


def _fails_step(finding: Finding, verification: Verification, fail_on: FailOn) -> bool:
    if fail_on == "never":
        return False
    if fail_on == "new" and verification.repository.base is not None:
        return finding.change == "new"
    return True


def annotation_commands(
    verification: Verification,
    fail_on: FailOn,
    *,
    max_errors: int = MAX_ERRORS,
    max_warnings: int = MAX_WARNINGS,
) -> list[str]:
    """One workflow command per violation, new ones first: an error when it fails the step per
    `fail_on`, a warning otherwise. A failing requirement gets a line of its own only when no
    finding says why (missing evidence). Text is plain (no Markdown: annotations show it raw).
    Past GitHub's per-step cap, the last shown line of a level says how many more there are."""
    violated_by: dict[tuple[str, str], list[str]] = {}
    for requirement in verification.requirements:
        for finding in requirement.violations:
            titles = violated_by.setdefault((finding.fingerprint, finding.rule_id), [])
            if requirement.title not in titles:
                titles.append(requirement.title)

    def title_of(finding: Finding) -> str:
        titles = violated_by.get((finding.fingerprint, finding.rule_id)) or [finding.rule_id]
        return "pattern-verify: " + ", ".join(titles)

    violations = list(verification.violations)
    new = [f for f in violations if f.change == "new"]
    rest = [f for f in violations if f.change != "new"]
    compared = verification.repository.base is not None
    ordered: list[_Annotation] = []
    for finding in new:
        ordered.append(_finding_annotation(finding, verification, fail_on, title_of(finding)))
    for requirement in verification.requirements:
        if requirement.passed or requirement.violations:
            continue
        fails_step = fail_on == "any" or (
            fail_on == "new" and (not compared or requirement.change == "regressed")
        )
        ordered.append(
            _Annotation(
                level="error" if fails_step else "warning",
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
        ordered.append(_finding_annotation(finding, verification, fail_on, title_of(finding)))
    return _capped(ordered, {"error": max_errors, "warning": max_warnings})


def _finding_annotation(
    finding: Finding, verification: Verification, fail_on: FailOn, title: str
) -> _Annotation:
    level = "error" if _fails_step(finding, verification, fail_on) else "warning"
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

"""What a GitHub Actions step hands back to the runner in files: outputs (`GITHUB_OUTPUT`) and
the job summary (`GITHUB_STEP_SUMMARY`). Annotations are a format (`workflow_commands.py`), printed.

The output format follows GitHub's runner and `@actions/core`: `name<<DELIMITER` blocks for
multi-line outputs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from pattern_verify.models import Verification

# GitHub keeps at most 1 MiB of summary per step.
SUMMARY_LIMIT_BYTES = 1024 * 1024

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")


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

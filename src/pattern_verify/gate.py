"""The gate (pure): what decides the check, said first everywhere the verdict is shown.

`fail-on` picks what fails the check: `any` failing requirement, only what the change adds
(`new`: new violations and broken requirements, with a base to compare with), or `never`. The
headline names that decision; the repository's state follows it. Text is Markdown-lite (code
spans only): renderers escape it with `render.lite`, terminals and annotations strip the
backticks with `plain`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pattern_verify.models import Finding, RequirementResult, Verification


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """`1 violation`, `2 violations`, `0 violations`."""
    return f"{count} {noun if count == 1 else (plural_form or noun + 's')}"


def joined(items: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def plain(text: str) -> str:
    """Markdown-lite text without its code-span backticks, for terminals and annotations."""
    return text.replace("`", "")


@dataclass(frozen=True)
class Gate:
    fail_on: str
    failed: bool
    # ✅ passes, ❌ fails, ⚠️ passes only because nothing is enforced (fail-on: never)
    icon: str
    headline: str
    policy: str

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def _enforced(verification: Verification, *, added: bool) -> bool:
    """The policy in one place: whether a failure fails the check, given whether the change
    added it. `never`: nothing does; `new` with a base: only what the change added; `any`, or
    `new` without a base to compare with: every failure."""
    if verification.fail_on == "never":
        return False
    if verification.fail_on == "new" and verification.repository.base is not None:
        return added
    return True


def fails_check(verification: Verification, failure: Finding | RequirementResult) -> bool:
    """Whether this violation, or this requirement's failure, fails the check per `fail-on`
    (annotations are errors for these, warnings for the rest)."""
    if isinstance(failure, Finding):
        return _enforced(verification, added=failure.change == "new")
    return not failure.passed and _enforced(verification, added=failure.change == "regressed")


def repository_state(
    verification: Verification, violations: Sequence[Finding] | None = None
) -> str:
    """`all 4 requirements pass`, `2 of 4 requirements fail (3 violations)`. `violations`:
    `verification.violations`, when the caller has it already (it is computed, not stored)."""
    return _state(verification, violations)[0]


def _state(
    verification: Verification, violations: Sequence[Finding] | None = None
) -> tuple[str, bool]:
    """The repository's state as a phrase, and whether any requirement fails."""
    total = len(verification.requirements)
    failing = [r for r in verification.requirements if not r.passed]
    if violations is None:
        violations = verification.violations
    if not failing:
        return ("the requirement passes" if total == 1 else f"all {total} requirements pass"), False
    verb = "fails" if len(failing) == 1 else "fail"
    text = f"{len(failing)} of {plural(total, 'requirement')} {verb}"
    if violations:
        text += f" ({plural(len(violations), 'violation')})"
    return text, True


def gate(verification: Verification, violations: Sequence[Finding] | None = None) -> Gate:
    """The decision per `verification.fail_on`, with its headline and policy line.
    `violations`: `verification.violations`, when the caller has it already."""
    fail_on = verification.fail_on
    base = verification.repository.base
    base_ref = verification.repository.base_ref or (base.short_sha if base else None) or "base"
    if violations is None:
        violations = verification.violations
    state, any_failing = _state(verification, violations)
    compared = base is not None
    new = verification.new_violations or 0
    fixed = verification.fixed_violations or 0
    broken = [r.title for r in verification.requirements if r.change == "regressed"]
    repaired = [r.title for r in verification.requirements if r.change == "fixed"]

    change_bad = compared and (new > 0 or bool(broken))
    what_it_did = " and ".join(
        ([f"adds {plural(new, 'violation')}"] if new else [])
        + ([f"breaks {joined(broken)}"] if broken else [])
    )
    # a change that adds a violation or breaks a requirement makes one fail, so any_failing
    failed = any_failing and _enforced(verification, added=change_bad)

    if compared and fail_on != "any":
        if change_bad:
            headline = f"This change {what_it_did}"
        else:
            headline = "No new violations"
            if fixed:
                headline += f", {fixed} fixed"
            if repaired:
                headline += f"; repairs {joined(repaired)}"
            if any_failing:
                failing = [r for r in verification.requirements if not r.passed]
                existing = sum(1 for f in violations if f.change == "existing")
                still = plural(len(failing), "requirement")
                headline += f" — {still} still failing on `{base_ref}`"
                if existing:
                    headline += f" ({plural(existing, 'existing violation')})"
            else:
                headline += f" — {state}"
    else:
        headline = state[0].upper() + state[1:]
        if compared:
            if change_bad:
                headline += f" — this change {what_it_did}"
            elif fixed:
                headline += f" — this change fixes {plural(fixed, 'violation')}"
            else:
                headline += " — this change adds no violation"

    if fail_on == "never":
        icon = "⚠️" if (change_bad if compared else any_failing) else "✅"
        policy = "Gate `fail-on: never`: the check never fails; this is a report only."
    elif fail_on == "new" and compared:
        icon = "❌" if failed else "✅"
        policy = (
            "Gate `fail-on: new`: the check fails when the change adds a violation or breaks a "
            f"requirement; violations already on `{base_ref}` are reported, not enforced."
        )
    elif fail_on == "new":
        icon = "❌" if failed else "✅"
        policy = (
            "Gate `fail-on: new`, without a base to compare with: the check fails while any "
            "requirement fails."
        )
    else:
        icon = "❌" if failed else "✅"
        policy = "Gate `fail-on: any`: the check fails while any requirement fails."
    return Gate(
        fail_on=fail_on,
        failed=failed,
        icon=icon,
        headline=headline,
        policy=policy,
    )

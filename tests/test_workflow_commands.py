"""GitHub Actions workflow commands (workflow_commands.py): the command syntax, and the
annotations of the `github` format."""

from __future__ import annotations

from pattern_verify import workflow_commands
from pattern_verify.models import (
    FailOn,
    Finding,
    Repository,
    RequirementResult,
    Revision,
    Scope,
    Verification,
)


def test_workflow_command_escaping_follows_the_toolkit() -> None:
    line = workflow_commands.command(
        "error",
        "100% broken\r\nnext line",
        {"file": "a,b:c.py", "line": 3, "title": "T: x, y"},
    )
    assert (
        line == "::error file=a%2Cb%3Ac.py,line=3,title=T%3A x%2C y::100%25 broken%0D%0Anext line"
    )
    assert "\n" not in line


def _finding(path: str, line: int, change: str | None, rule: str = "mini-print") -> Finding:
    return Finding(
        rule_id=rule,
        fact="print-call",
        path=path,
        line=line,
        end_line=line,
        message=f"print at {path}:{line}",
        fingerprint=f"{rule}:{path}:{line}",
        change=change,  # type: ignore[arg-type]
        requirements=("prints-confined",),
    )


def _verification(findings: list[Finding], *, base: bool, fail_on: FailOn) -> Verification:
    return Verification(
        fail_on=fail_on,
        tool_version="0.1.0",
        title="T",
        pack="mini",
        config_id="mini",
        status="fail",
        repository=Repository(
            url="https://github.example/o/r",
            head=Revision(sha="a" * 40),
            base=Revision(sha="b" * 40) if base else None,
        ),
        scope=Scope(root="."),
        requirements=(
            RequirementResult(
                id="prints-confined",
                title="Prints Confined",
                status="fail",
                violations=tuple(findings),
            ),
            RequirementResult(
                id="needs-owner",
                title="Needs Owner",
                status="fail",
                problems=("no owner found",),
            ),
        ),
    )


def test_annotations_show_new_violations_first_and_count_the_rest() -> None:
    findings = [_finding(f"old/f{i:02}.py", i + 1, "existing") for i in range(12)]
    findings += [_finding(f"new/f{i:02}.py", i + 1, "new") for i in range(14)]
    lines = workflow_commands.annotation_commands(_verification(findings, base=True, fail_on="new"))
    errors = [line for line in lines if line.startswith("::error")]
    warnings = [line for line in lines if line.startswith("::warning")]
    assert (
        len(errors) == workflow_commands.MAX_ERRORS
        and len(warnings) == workflow_commands.MAX_WARNINGS
    )
    assert all("file=new/" in line for line in errors[:9])
    assert "5 more violations are not annotated" in errors[-1]  # 14 new - 9 shown
    # what does not fail the step (fail-on new: the old violations, and a requirement missing
    # evidence that the change did not break) is a warning, never an error
    assert warnings[0].startswith("::warning title=pattern-verify%3A Needs Owner::")
    assert all("file=old/" in line for line in warnings[1:8])
    assert "5 more findings are not annotated" in warnings[-1]  # 12 old + 1 problem - 8 shown
    # fail-on any: every violation is an error; the requirement without a place is one too
    lines = workflow_commands.annotation_commands(
        _verification(findings[:3], base=False, fail_on="any")
    )
    assert [line.split(" ", 1)[0] for line in lines] == ["::error"] * 4
    assert lines[0] == (
        "::error title=pattern-verify%3A Needs Owner::Needs Owner: missing evidence: no owner found"
    )

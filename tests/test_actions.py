"""The runner's formats (publish/actions.py): workflow commands, outputs, the step summary and
the annotations."""

from __future__ import annotations

from pathlib import Path

from action_runner import parse_outputs

from pattern_verify.models import (
    Finding,
    Repository,
    RequirementResult,
    Revision,
    Scope,
    Verification,
)
from pattern_verify.publish import actions


def test_workflow_command_escaping_follows_the_toolkit() -> None:
    line = actions.command(
        "error",
        "100% broken\r\nnext line",
        {"file": "a,b:c.py", "line": 3, "title": "T: x, y"},
    )
    assert (
        line == "::error file=a%2Cb%3Ac.py,line=3,title=T%3A x%2C y::100%25 broken%0D%0Anext line"
    )
    assert "\n" not in line


def test_multiline_outputs_use_a_delimiter_absent_from_the_value(tmp_path: Path) -> None:
    path = tmp_path / "out"
    value = "line one\nghadelimiter_\nline three"
    actions.write_outputs(path, {"status": "fail", "report": value, "empty": ""})
    text = path.read_text()
    assert parse_outputs(text) == {"status": "fail", "report": value, "empty": ""}
    delimiter = text.split("report<<", 1)[1].split("\n", 1)[0]
    assert delimiter not in value and delimiter.startswith("ghadelimiter_")
    # deterministic: the same value gives the same file
    again = tmp_path / "again"
    actions.write_outputs(again, {"status": "fail", "report": value, "empty": ""})
    assert again.read_text() == text


def test_the_summary_is_cut_under_1_mib_with_a_note(tmp_path: Path) -> None:
    report = (
        "# Report\n\n<details>\n\n```python\n" + ("é = 'x' * 40\n" * 120_000) + "```\n</details>\n"
    )
    assert len(report.encode()) > actions.SUMMARY_LIMIT_BYTES
    path = tmp_path / "summary"
    path.write_text("earlier step content\n")
    actions.append_summary(path, report, full_report_at="pattern-verify-results/report.md")
    data = path.read_bytes()
    assert len(data) <= actions.SUMMARY_LIMIT_BYTES
    text = data.decode("utf-8")
    assert text.startswith("earlier step content\n")
    # the open fence and <details> are closed so the note renders as text
    note_at = text.index("The report was cut")
    assert text[:note_at].count("```") % 2 == 0
    assert text.count("<details>") == text.count("</details>")
    assert "pattern-verify-results/report.md" in text[note_at:]


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


def _verification(findings: list[Finding], *, base: bool) -> Verification:
    return Verification(
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
    lines = actions.annotation_commands(_verification(findings, base=True), "new")
    errors = [line for line in lines if line.startswith("::error")]
    warnings = [line for line in lines if line.startswith("::warning")]
    assert len(errors) == actions.MAX_ERRORS and len(warnings) == actions.MAX_WARNINGS
    assert all("file=new/" in line for line in errors[:9])
    assert "5 more violations are not annotated" in errors[-1]  # 14 new - 9 shown
    # what does not fail the step (fail-on new: the old violations, and a requirement missing
    # evidence that the change did not break) is a warning, never an error
    assert warnings[0].startswith("::warning title=pattern-verify%3A Needs Owner::")
    assert all("file=old/" in line for line in warnings[1:8])
    assert "5 more findings are not annotated" in warnings[-1]  # 12 old + 1 problem - 8 shown
    # fail-on any: every violation is an error; the requirement without a place is one too
    lines = actions.annotation_commands(_verification(findings[:3], base=False), "any")
    assert [line.split(" ", 1)[0] for line in lines] == ["::error"] * 4
    assert lines[0] == (
        "::error title=pattern-verify%3A Needs Owner::Needs Owner: missing evidence: no owner found"
    )

"""What a step hands back to the runner in files (publish/actions.py): outputs and the step
summary."""

from __future__ import annotations

from pathlib import Path

from action_runner import parse_outputs

from pattern_verify.publish import actions


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

"""The result files: report.md, comment.md, results.json, the report's copy in the repo, a
SARIF file; and a format's output on stdout."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TextIO

from pattern_verify.errors import UsageError
from pattern_verify.pipeline import Outcome

REPORT = "report.md"
COMMENT = "comment.md"
RESULTS = "results.json"


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 with LF line ends, so the bytes are the same on every machine. A path that
    cannot be written (a directory there, a file where a directory should be, no permission)
    is a UsageError naming it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def file_destination(path: Path, label: str, shown: str) -> Path:
    """`path` as a file to write later, checked now, before the scan: a directory there would
    otherwise fail the run only after all its work (and, in the action, cost the comment)."""
    if path.is_dir():
        raise UsageError(f"{label}: `{shown}` is a directory; expected a file path")
    return path


def write_stdout(out: TextIO, text: str, *, exact: bool) -> None:
    """A format's output on stdout. `exact`: UTF-8 bytes as the format's file holds them, not
    degraded for a console that cannot show every character (its symbols would change the data)."""
    buffer = getattr(out, "buffer", None)
    if exact and buffer is not None:
        out.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        out.write(text)
        out.flush()


def write_results(outcome: Outcome, output_dir: Path) -> list[Path]:
    written = []
    for name, text in (
        (REPORT, outcome.report),
        (COMMENT, outcome.comment),
        (RESULTS, outcome.results_json),
    ):
        write_text(output_dir / name, text)
        written.append(output_dir / name)
    return written


def report_destination(root: Path, report_path: str) -> Path:
    """Where `--report-path` puts the document: inside the workspace, never outside it."""
    candidate = PurePosixPath(report_path.replace("\\", "/"))
    if not report_path.strip() or candidate.is_absolute() or ".." in candidate.parts:
        raise UsageError(
            f"report-path `{report_path}`: expected a relative path inside the repository "
            "(no `..`, not absolute)"
        )
    destination = (root / candidate).resolve()
    if not destination.is_relative_to(root.resolve()):
        raise UsageError(f"report-path `{report_path}`: resolves outside the repository")
    if destination.suffix.lower() not in (".md", ".markdown"):
        raise UsageError(f"report-path `{report_path}`: expected a Markdown file (.md)")
    return destination

"""The output formats (pure): each is a function of one `Verification` to text, in one registry.

Every output a run has is produced here and only here — the files, the action's step and
`run --format` ask this registry by name, as semgrep's `FORMATTERS` do — so the report on
stdout is the same bytes as report.md, and SARIF from the CLI the same as from the action:

| name | what | also written as |
| --- | --- | --- |
| `text` | the terminal summary: the gate first, then each requirement | (printed) |
| `markdown` | the verification document | `report.md`, the job summary |
| `comment` | the compact PR comment, ≤ 65,536 characters | `comment.md`, the PR comment |
| `json` | every requirement and finding, versioned (`pattern-verify schema`) | `results.json` |
| `sarif` | SARIF 2.1.0 for code scanning | `--sarif FILE`, the action's `sarif` |
| `github` | workflow commands: annotations on the violating lines | (printed by the action) |

What a format needs besides the verification (the compiled templates with their links, the
comment's notes, the files the run wrote) is a `Presentation`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from pattern_verify import render, sarif, text, workflow_commands
from pattern_verify.models import Verification


@dataclass(frozen=True)
class Presentation:
    """How a run is shown, besides its verification."""

    # the report's and comment's templates, compiled once, with the links of this run
    renderer: render.Renderer
    # the comment's footer: where the full report is
    report_note: str = ""
    # where the document is kept in the repository, so the comment can say what it becomes
    document_path: str | None = None
    # the workflow run's web page, linked from the comment
    run_url: str | None = None
    # the files the run wrote, named at the end of the text summary
    written: Sequence[str] = ()


Format = Callable[[Verification, Presentation], str]


def _text(verification: Verification, presentation: Presentation) -> str:
    return text.summary(verification, presentation.written)


def _markdown(verification: Verification, presentation: Presentation) -> str:
    return presentation.renderer.report(verification)


def _comment(verification: Verification, presentation: Presentation) -> str:
    return presentation.renderer.comment(
        verification,
        report_note=presentation.report_note,
        document_path=presentation.document_path,
        run_url=presentation.run_url,
    )


def _json(verification: Verification, presentation: Presentation) -> str:
    return render.render_json(verification)


def _sarif(verification: Verification, presentation: Presentation) -> str:
    return sarif.dumps(verification)


def _github(verification: Verification, presentation: Presentation) -> str:
    return "".join(line + "\n" for line in workflow_commands.annotation_commands(verification))


FORMATS: Mapping[str, Format] = MappingProxyType(
    {
        "text": _text,
        "markdown": _markdown,
        "comment": _comment,
        "json": _json,
        "sarif": _sarif,
        "github": _github,
    }
)
NAMES = tuple(FORMATS)
# the formats made for programs and files, not for a person at a terminal: written as UTF-8
# bytes exactly as their files hold them, whatever the console's encoding
MACHINE = frozenset(NAMES) - {"text"}


def produce(name: str, verification: Verification, presentation: Presentation) -> str:
    """The output `name` (one of `NAMES`) of `verification`."""
    return FORMATS[name](verification, presentation)

"""Stage 6, render (pure): one `Verification` → the report, the PR comment, results.json.

Templates run in Jinja's `SandboxedEnvironment` with `finalize=escape.finalize`: every value a
template prints is escaped as inline Markdown unless a filter (`code`, `codeblock`, `link`,
`lite`) produced it as already-safe Markdown. Untrusted text (matched code, file names, captured
values, PR text) therefore cannot inject Markup, whatever a template does with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from jinja2 import DictLoader, StrictUndefined, Template, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from pattern_verify import diagram, escape
from pattern_verify.errors import RenderError
from pattern_verify.models import (
    ExceptionProblem,
    Finding,
    RequirementResult,
    Revision,
    Verification,
)

COMMENT_LIMIT = 65_536
SUMMARY_LIMIT = 1_048_576
REPORT_TEMPLATE = "report.md.j2"
COMMENT_TEMPLATE = "comment.md.j2"
TEMPLATE_NAMES = (REPORT_TEMPLATE, COMMENT_TEMPLATE)
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)


def marker(config_id: str) -> escape.Markdown:
    """The hidden line that identifies our comment for one config."""
    safe = re.sub(r"[^A-Za-z0-9._/:@+-]", "_", config_id)
    return escape.Markdown(f"<!-- pattern-verify:{safe} -->")


def lite(value: object) -> escape.Markdown:
    """Trusted-but-plain text from packs and configs: `code spans` kept, all else escaped."""
    text = " ".join(str(value).split())
    out: list[str] = []
    last = 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_spaced(text[last : match.start()]))
        out.append(escape.code_span(match.group(2)))
        last = match.end()
    out.append(_spaced(text[last:]))
    return escape.Markdown("".join(out))


def _spaced(text: str) -> str:
    """Inline-escaped text that keeps the single spaces around it (between code spans)."""
    if not text.strip():
        return " " if text else ""
    lead = " " if text[0] == " " else ""
    trail = " " if text[-1] == " " else ""
    return lead + escape.inline(text) + trail


def first_sentence(message: str) -> str:
    """A rule message's first sentence (what was found), without the why that follows and
    repeats for every finding of the rule. Full stops inside `code spans` do not count."""
    text = " ".join(message.split())
    last = 0
    for match in [*_CODE_SPAN.finditer(text), None]:
        end = match.start() if match else len(text)
        stop = text.find(". ", last, end)
        if stop != -1:
            return text[: stop + 1]
        last = match.end() if match else end
    return text


def status_icon(status: str) -> str:
    return "✅" if status == "pass" else "❌"


@dataclass(frozen=True)
class Links:
    """Where a finding's line lives on the web, when the repository URL and SHA are known."""

    base_url: str | None
    sha: str | None

    def line(self, finding: Finding) -> str | None:
        if not self.base_url or not self.sha:
            return None
        anchor = f"#L{finding.line}"
        if finding.end_line > finding.line:
            anchor += f"-L{finding.end_line}"
        path = "/".join(_quote_segment(part) for part in finding.path.split("/"))
        return f"{self.base_url}/blob/{self.sha}/{path}{anchor}"


def _quote_url(url: str) -> str:
    """A URL made safe as a Markdown link target (no space, parenthesis or angle bracket)."""
    return quote(url, safe="/:?#[]@!$&*+,;=%-._~")


def _quote_segment(segment: str) -> str:
    return quote(segment, safe="")


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return text.strip()


def _environment(templates: Mapping[str, str], links: Links) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=DictLoader(dict(templates)),
        autoescape=False,
        finalize=escape.finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def commit(revision: Revision) -> escape.Markdown:
        span = escape.code_span(revision.short_sha or "")
        if links.base_url and revision.sha:
            return escape.Markdown(f"[{span}]({_quote_url(links.base_url)}/commit/{revision.sha})")
        return span

    def location(finding: Finding) -> escape.Markdown:
        label = f"{finding.path}:{finding.line}"
        url = links.line(finding)
        span = escape.code_span(label)
        return escape.Markdown(f"[{span}]({_quote_url(url)})") if url else span

    def problem_location(problem: ExceptionProblem) -> escape.Markdown:
        """`path:line` linked at the head for an allow comment; `file: key` for a config entry."""
        if problem.line is None:
            return escape.code_span(
                f"{problem.path}: {problem.key}" if problem.key else problem.path
            )
        label = escape.code_span(f"{problem.path}:{problem.line}")
        if links.base_url and links.sha:
            path = "/".join(_quote_segment(part) for part in problem.path.split("/"))
            url = f"{links.base_url}/blob/{links.sha}/{path}#L{problem.line}"
            return escape.Markdown(f"[{label}]({_quote_url(url)})")
        return label

    env.filters.update(
        problem_location=problem_location,
        code=escape.code_span,
        codeblock=escape.code_block,
        md=escape.inline,
        html_text=escape.html_text,
        lite=lite,
        link=escape.link,
        location=location,
        commit=commit,
        first_sentence=first_sentence,
        first_line=_first_line,
        icon=status_icon,
        mermaid_label=escape.mermaid_label,
    )
    env.globals.update(marker=marker, status_line=status_line)
    return env


def _context(verification: Verification, limit: int | None, **extra: object) -> dict[str, object]:
    """What every template sees; `extra` adds `diagram`, the pattern as found (or None)."""
    requirements = verification.requirements
    failing = [r for r in requirements if not r.passed]
    new = [f for f in verification.violations if f.change == "new"]
    return {
        "v": verification,
        "requirements": requirements,
        "failing": failing,
        "new_violations": new,
        "limit": limit,
        "has_base": verification.repository.base is not None,
        "requirement_titles": {r.id: r.title for r in requirements},
        **extra,
    }


def _report_diagram(verification: Verification) -> diagram.Diagram | None:
    spec = verification.diagram
    if spec is None or not spec.settings.report:
        return None
    return diagram.build(verification, diagram.REPORT_BUDGET)


def _comment_diagram(verification: Verification, limit: int | None) -> diagram.Diagram | None:
    """The comment shows the diagram (in `<details>`) when a requirement fails, or always if
    the settings say so; it is the first thing dropped when the comment is too long."""
    spec = verification.diagram
    if spec is None or spec.settings.comment == "never" or (limit is not None and limit < 5):
        return None
    if spec.settings.comment == "on-failure" and verification.passed:
        return None
    return diagram.build(verification, diagram.COMMENT_BUDGET)


class Renderer:
    """Every template compiled once, for the report and the comment: a template that does not
    compile fails here, naming its file and line, before anything is rendered."""

    def __init__(self, templates: Mapping[str, str], links: Links) -> None:
        env = _environment(templates, links)
        try:
            compiled = {name: env.get_template(name) for name in sorted(templates)}
        except TemplateSyntaxError as exc:
            raise RenderError(f"{exc.name}, line {exc.lineno}: {exc.message}") from None
        self._report: Template = compiled[REPORT_TEMPLATE]
        self._comment: Template = compiled[COMMENT_TEMPLATE]

    def report(self, verification: Verification) -> str:
        try:
            context = _context(verification, None, diagram=_report_diagram(verification))
            return self._report.render(context)
        except Exception as exc:  # a user's template may fail in any way; it is their input
            raise RenderError(f"{REPORT_TEMPLATE}: {type(exc).__name__}: {exc}") from exc

    def comment(
        self,
        verification: Verification,
        *,
        report_note: str = "",
        document_path: str | None = None,
        limit_chars: int = COMMENT_LIMIT,
    ) -> str:
        """The compact PR view, always within GitHub's comment limit: lists are shortened step
        by step (the template says how many were left out) until the body fits."""
        expected_marker = marker(verification.config_id)
        body = ""
        for limit in (None, 50, 20, 10, 5, 2, 1, 0):
            context = _context(
                verification,
                limit,
                report_note=report_note,
                document_path=document_path,
                diagram=_comment_diagram(verification, limit),
            )
            try:
                body = self._comment.render(context)
            except Exception as exc:  # a user's template may fail in any way; it is their input
                raise RenderError(f"{COMMENT_TEMPLATE}: {type(exc).__name__}: {exc}") from exc
            if expected_marker not in body:
                raise RenderError(
                    f"{COMMENT_TEMPLATE}: the template must print "
                    "`{{ marker(v.config_id) }}`; without it the comment cannot be found and "
                    "updated"
                )
            if len(body) <= limit_chars:
                return body
        note = (
            "\n\n_The comment was cut to fit GitHub's size limit; "
            "the full report is in the job summary._\n"
        )
        return body[: limit_chars - len(note)] + note


def cut_to(text: str, limit: int, note: str) -> str:
    """Text cut to at most `limit` characters with `note` appended when it was cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(note))] + note


def render_json(verification: Verification) -> str:
    """results.json by pydantic's own serialiser (8x faster than the pure-Python encoder at
    10,000 findings), the same bytes as `json.dumps(indent=2, ensure_ascii=False)` would give;
    `timings` only when asked for, so output stays deterministic."""
    exclude = {"timings"} if verification.timings is None else None
    return verification.model_dump_json(indent=2, exclude=exclude) + "\n"


def status_line(verification: Verification) -> str:
    total = len(verification.requirements)
    failing = sum(1 for r in verification.requirements if not r.passed)
    if failing == 0:
        return f"all {total} requirements met"
    return f"{failing} of {total} requirements failing"


def requirement_counts(result: RequirementResult) -> tuple[int, int]:
    return len(result.violations), len(result.evidence)

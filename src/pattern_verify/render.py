"""Stage 6, render (pure): one `Verification` → the report, the PR comment, results.json.

Templates run in Jinja's `SandboxedEnvironment` with `finalize=escape.finalize`: every value a
template prints is escaped as inline Markdown unless a filter (`code`, `codeblock`, `link`,
`lite`) produced it as already-safe Markdown. Untrusted text (matched code, file names, captured
values, PR text) therefore cannot inject Markup, whatever a template does with it.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from jinja2 import DictLoader, StrictUndefined, Template, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from pattern_verify import diagram, escape
from pattern_verify.errors import RenderError
from pattern_verify.gate import gate, plural, repository_state
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
        content = match.group(2)
        if len(content) > 2 and content[0] == content[-1] == " " and content.strip():
            content = content[1:-1]  # CommonMark's padding, as in `` `x` ``
        out.append(escape.code_span(content))
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
    """Where a finding's line lives on the web, when the repository URL and SHA are known.
    A finding at the head links to the head commit; a fixed one, gone at the head, to the base
    (merge-base) commit, where its line still is."""

    base_url: str | None
    sha: str | None
    base_sha: str | None = None

    def line(self, finding: Finding, *, at_base: bool = False) -> str | None:
        sha = self.base_sha if at_base else self.sha
        if not self.base_url or not sha:
            return None
        anchor = f"#L{finding.line}"
        if finding.end_line > finding.line:
            anchor += f"-L{finding.end_line}"
        path = "/".join(_quote_segment(part) for part in finding.path.split("/"))
        return f"{self.base_url}/blob/{sha}/{path}{anchor}"


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

    def code_link(text: str, url: str | None) -> escape.Markdown:
        span = escape.code_span(text)
        return escape.Markdown(f"[{span}]({_quote_url(url)})") if url else span

    def section_link(title: str, anchor: str) -> escape.Markdown:
        """A link to a heading of the same document (GitHub's anchor for it)."""
        return escape.Markdown(f"[{escape.inline(title)}](#{_quote_segment(anchor)})")

    env.filters.update(
        problem_location=problem_location,
        section_link=section_link,
        code_link=code_link,
        plural=plural,
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
    env.globals.update(marker=marker, status_line=status_line, lite=lite)
    return env


# ---------------------------------------------------------------------------------------------
# what the templates show, computed once here: templates only loop over it (linear in findings)


@dataclass(frozen=True)
class Item:
    """One finding in a list: its line label, link and whether the change adds it."""

    finding: Finding
    label: str
    url: str | None
    new: bool


@dataclass(frozen=True)
class FileGroup:
    path: str  # without the list's shared prefix
    items: tuple[Item, ...]


@dataclass(frozen=True)
class FindingList:
    """Findings grouped by file, in path order; `prefix` is the directory all of them share."""

    prefix: str
    groups: tuple[FileGroup, ...]
    total: int
    shown: int

    @property
    def hidden(self) -> int:
        return self.total - self.shown


def finding_list(
    findings: Sequence[Finding], links: Links, *, limit: int | None = None, at_base: bool = False
) -> FindingList:
    """`findings` grouped by file; past `limit`, new ones are kept first."""
    chosen = list(findings)
    if limit is not None and len(chosen) > limit:
        chosen = sorted(chosen, key=lambda f: (f.change != "new", f.sort_key))[:limit]
        chosen.sort(key=lambda f: f.sort_key)
    by_path: dict[str, list[Item]] = {}
    for finding in chosen:
        label = f"L{finding.line}"
        if finding.end_line > finding.line:
            label += f"-{finding.end_line}"
        by_path.setdefault(finding.path, []).append(
            Item(
                finding=finding,
                label=label,
                url=links.line(finding, at_base=at_base),
                new=finding.change == "new",
            )
        )
    prefix = ""
    if len(by_path) > 1:
        directories = [posixpath.dirname(path) for path in by_path]
        if all(directories):
            prefix = posixpath.commonpath(directories)
        if prefix.count("/") < 1:  # one directory (`backend/`) is not worth a line of its own
            prefix = ""
    cut = len(prefix) + 1 if prefix else 0
    groups = tuple(
        FileGroup(path=path[cut:], items=tuple(items)) for path, items in by_path.items()
    )
    return FindingList(prefix=prefix, groups=groups, total=len(findings), shown=len(chosen))


@dataclass(frozen=True)
class PatternView:
    text: str
    # correct pattern: "pass", "fail" or "unseen"; anti-pattern: "found", "none" or "unknown"
    state: str
    note: str = ""
    found: FindingList | None = None
    anchor: str = ""  # the requirement's section


@dataclass(frozen=True)
class RequirementView:
    r: RequirementResult
    number: int
    anchor: str
    new: int
    missing_evidence: bool
    violations: FindingList
    evidence: FindingList
    files: tuple[tuple[str, bool], ...]

    @property
    def status_text(self) -> str:
        text = "pass" if self.r.passed else "fail"
        if self.r.change == "regressed":
            text += ", broken by this change"
        elif self.r.change == "fixed":
            text += ", repaired by this change"
        elif self.missing_evidence:
            text += ": missing evidence"
        elif self.r.undecided and not self.r.violations:
            text += ": could not decide"
        if self.r.exceptions:
            text += f" ({plural(len(self.r.exceptions), 'accepted exception')})"
        return text

    @property
    def counts(self) -> str:
        """`3 violations, 1 new`, `missing evidence`, `passes`."""
        if self.r.passed:
            return "passes"
        if self.missing_evidence:
            return "missing evidence"
        if self.r.undecided and not self.r.violations:
            return f"could not decide {plural(len(self.r.undecided), 'fact')}"
        text = plural(len(self.r.violations), "violation")
        return text + (f", {self.new} new" if self.new else "")


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation and emoji dropped, spaces to
    hyphens (`### ✅ Post Office Ownership` → `-post-office-ownership`)."""
    kept = "".join(ch for ch in heading.lower() if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


def requirement_views(
    verification: Verification, links: Links, limit: int | None
) -> tuple[RequirementView, ...]:
    views = []
    for number, result in enumerate(verification.requirements, start=1):
        failing_paths = {f.path for f in result.violations}
        paths = sorted(failing_paths | {f.path for f in result.evidence})
        views.append(
            RequirementView(
                r=result,
                number=number,
                anchor=slug(f"{status_icon(result.status)} {result.title}"),
                new=sum(1 for f in result.violations if f.change == "new"),
                missing_evidence=not result.passed
                and not result.violations
                and not result.undecided,
                violations=finding_list(result.violations, links, limit=limit),
                evidence=finding_list(result.evidence, links, limit=limit),
                files=tuple((path, path in failing_paths) for path in paths),
            )
        )
    return tuple(views)


def correct_pattern_views(
    verification: Verification, views: Sequence[RequirementView]
) -> tuple[PatternView, ...]:
    """A correct pattern holds only when its requirement passes and its facts were seen."""
    seen = {f.fact for f in verification.findings}
    out = []
    for view in views:
        for pattern in view.r.correct_patterns:
            if not view.r.passed:
                out.append(PatternView(pattern.text, "fail", view.r.title, anchor=view.anchor))
                continue
            missing = [fact for fact in pattern.facts if fact not in seen]
            if missing:
                facts = " or ".join(f"`{fact}`" for fact in missing)
                out.append(PatternView(pattern.text, "unseen", f"no {facts} fact was found"))
            elif not pattern.facts and not view.r.evidence:
                out.append(
                    PatternView(pattern.text, "unseen", f"no evidence of {view.r.title} was found")
                )
            else:
                out.append(PatternView(pattern.text, "pass", view.r.title, anchor=view.anchor))
    return tuple(out)


def anti_pattern_views(views: Sequence[RequirementView], links: Links) -> tuple[PatternView, ...]:
    """An anti-pattern is found only where a violation of one of its rules exists."""
    out = []
    for view in views:
        for pattern in view.r.anti_patterns:
            if pattern.rules:
                hits = [
                    f
                    for f in view.r.violations
                    if any(fnmatch.fnmatchcase(f.rule_id, glob) for glob in pattern.rules)
                ]
                if hits:
                    out.append(
                        PatternView(
                            pattern.text,
                            "found",
                            view.r.title,
                            finding_list(hits, links),
                            anchor=view.anchor,
                        )
                    )
                else:
                    accepted = [
                        e.finding
                        for e in view.r.exceptions
                        if any(
                            fnmatch.fnmatchcase(e.finding.rule_id, glob) for glob in pattern.rules
                        )
                    ]
                    state = "excepted" if accepted else "none"
                    found = finding_list(accepted, links) if accepted else None
                    out.append(
                        PatternView(pattern.text, state, view.r.title, found, anchor=view.anchor)
                    )
            elif view.r.violations:
                out.append(PatternView(pattern.text, "unknown", view.r.title, anchor=view.anchor))
            else:
                out.append(PatternView(pattern.text, "none", view.r.title))
    return tuple(out)


def revision_label(revision: Revision) -> str:
    return "+ uncommitted changes" if revision.uncommitted else ""


def _context(
    verification: Verification, links: Links, limit: int | None, **extra: object
) -> dict[str, object]:
    views = requirement_views(verification, links, limit)
    decision = gate(verification)
    new = [f for f in verification.violations if f.change == "new"]
    return {
        "v": verification,
        "gate": decision,
        "requirements": views,
        "failing": [view for view in views if not view.r.passed],
        "passing": [view for view in views if view.r.passed],
        "new_violations": finding_list(new, links, limit=limit),
        "fixed": finding_list(verification.fixed, links, limit=limit, at_base=True),
        "correct_patterns": correct_pattern_views(verification, views),
        "anti_patterns": anti_pattern_views(views, links),
        "languages": ", ".join(
            f"{lang}: {n}" for lang, n in verification.scope.files_by_language.items()
        ),
        "limit": limit,
        "has_base": verification.repository.base is not None,
        "requirement_titles": {r.id: r.title for r in verification.requirements},
        **extra,
    }


def _estimate(verification: Verification, limit: int | None) -> int:
    """About how many characters the comment's finding lists take with lists cut to `limit`:
    enough to pick a limit without rendering the lists that would not fit."""
    total = 0
    lists = [r.violations for r in verification.requirements]
    lists += [r.evidence for r in verification.requirements if r.passed]
    lists.append(verification.fixed)
    for findings in lists:
        for finding in findings[: limit if limit is not None else len(findings)]:
            total += 2 * len(finding.path) + min(len(finding.message), 240) + 110
    return total


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
        self._links = links
        try:
            compiled = {name: env.get_template(name) for name in sorted(templates)}
        except TemplateSyntaxError as exc:
            raise RenderError(f"{exc.name}, line {exc.lineno}: {exc.message}") from None
        self._report: Template = compiled[REPORT_TEMPLATE]
        self._comment: Template = compiled[COMMENT_TEMPLATE]

    def report(self, verification: Verification) -> str:
        try:
            context = _context(
                verification, self._links, None, diagram=_report_diagram(verification)
            )
            return self._report.render(context)
        except Exception as exc:  # a user's template may fail in any way; it is their input
            raise RenderError(f"{REPORT_TEMPLATE}: {type(exc).__name__}: {exc}") from exc

    def comment(
        self,
        verification: Verification,
        *,
        report_note: str = "",
        document_path: str | None = None,
        run_url: str | None = None,
        limit_chars: int = COMMENT_LIMIT,
    ) -> str:
        """The compact PR view, always within GitHub's comment limit. Lists are cut to the
        largest length whose estimated size fits (the template says how many were left out),
        then shortened further only if the rendered body still does not fit."""
        expected_marker = marker(verification.config_id)
        limits: list[int | None] = [None, 50, 20, 10, 5, 2, 1, 0]
        budget = limit_chars - 6_000  # the table, headings and footer around the lists
        while len(limits) > 1 and _estimate(verification, limits[0]) > budget:
            limits.pop(0)
        body = ""
        for limit in limits:
            context = _context(
                verification,
                self._links,
                limit,
                report_note=report_note,
                document_path=document_path,
                run_url=run_url,
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
    """The repository's state: `all 4 requirements pass`, `2 of 4 requirements fail (3
    violations)`."""
    return repository_state(verification)


def requirement_counts(result: RequirementResult) -> tuple[int, int]:
    return len(result.violations), len(result.evidence)

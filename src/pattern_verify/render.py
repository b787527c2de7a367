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
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import CodeType
from typing import Any
from urllib.parse import quote

from jinja2 import DictLoader, Environment, StrictUndefined, Template, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from pattern_verify import checks, diagram, escape, evaluate
from pattern_verify.errors import RenderError
from pattern_verify.gate import gate, plural, repository_state
from pattern_verify.link import CLIENT, FRONTEND_CLIENT, target_noun
from pattern_verify.models import (
    ExceptionProblem,
    Finding,
    RequirementResult,
    Revision,
    Verification,
)

COMMENT_LIMIT = 65_536
COMMENT_CUT_NOTE = (
    "\n\n_The comment was cut to fit GitHub's size limit; the full report is in the job summary._\n"
)
REPORT_TEMPLATE = "report.md.j2"
COMMENT_TEMPLATE = "comment.md.j2"
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

    def file(self, path: str, *, at_base: bool = False) -> str | None:
        """The file's page at the head commit (or the base's)."""
        sha = self.base_sha if at_base else self.sha
        if not self.base_url or not sha:
            return None
        quoted = "/".join(_quote_segment(part) for part in path.split("/"))
        return f"{self.base_url}/blob/{sha}/{quoted}"

    def line(self, finding: Finding, *, at_base: bool = False) -> str | None:
        page = self.file(finding.path, at_base=at_base)
        return None if page is None else page + _anchor(finding)


def _linked(span: escape.Markdown, page: str | None, anchor: str) -> escape.Markdown:
    """`span` linked to a line of a page (quoted already): the anchor needs no quoting."""
    return span if page is None else escape.Markdown(f"[{span}]({page}{anchor})")


def _anchor(finding: Finding) -> str:
    """`#L3`, or `#L3-L5` for a finding over several lines."""
    if finding.end_line > finding.line:
        return f"#L{finding.line}-L{finding.end_line}"
    return f"#L{finding.line}"


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


class _Loader(DictLoader):
    """The templates' sources, and the code Jinja generated from those of them that the package
    ships compiled (`compiled`: code objects, each of the very source it is given here): those
    are not compiled again. Includes and imports come through here too."""

    def __init__(self, templates: Mapping[str, str], compiled: Mapping[str, CodeType]) -> None:
        super().__init__(dict(templates))
        self.compiled = compiled

    def load(
        self,
        environment: Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> Template:
        code = self.compiled.get(name)
        if code is None:
            return super().load(environment, name, globals)
        return environment.template_class.from_code(environment, code, globals or {})


def _environment(
    templates: Mapping[str, str], links: Links, compiled: Mapping[str, CodeType] | None = None
) -> SandboxedEnvironment:
    env = _Sandbox(
        loader=_Loader(templates, compiled or {}),
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
    # status_line: `all 4 requirements pass`, `2 of 4 requirements fail (3 violations)`
    env.globals.update(marker=marker, status_line=repository_state, lite=lite)
    return env


# ---------------------------------------------------------------------------------------------
# what the templates show, computed once here: templates only loop over it (linear in findings)


@lru_cache(maxsize=4096)
def summary(message: str) -> escape.Markdown:
    """A finding's message as lists show it: its first sentence, escaped. Every finding of a
    rule (and captured value) has the same message: each is escaped once."""
    return lite(first_sentence(message))


def notes(finding: Finding) -> escape.Markdown:
    """What a list says after a finding's message, escaped: the names the code wrote through an
    alias, and an endpoint's full route where it differs from the declared one's place (or why
    it is unresolved); for a NestJS gateway its route, namespace, and module registration when
    it was not seen; for a socket.io client the namespace it joins (a python-socketio one: the
    engine.io path it connects over and its namespaces); for a frontend client why its target
    (a socket.io client's engine.io path) is not known; and where a value written as another
    module's constant was read."""
    out: list[str] = []
    captures = finding.captures
    # as Jinja's `dictsort` orders them: by key, ignoring case
    for key, written in sorted(finding.aliases.items(), key=lambda item: item[0].lower()):
        out.append(f" ({escape.code_span(written)} — alias of {escape.code_span(captures[key])})")
    # a NestJS gateway (`platform`): the route its app's adapter gives it, with its namespace
    gateway = "platform" in captures
    if "route" in captures and ("declared_route" in captures or gateway):
        route, declared = captures["route"], captures.get("declared_route", captures["route"])
        out.append(f" Full route: {escape.code_span(route)}")
        if route != declared:
            out.append(f" (declared {escape.code_span(declared)})")
        if gateway and "namespace" in captures:
            out.append(f", namespace {escape.code_span(captures['namespace'])}")
        out.append(".")
    elif "route_unresolved" in captures:
        out.append(f" Full route unresolved: {lite(captures['route_unresolved'])}.")
    if "registration" in captures:
        out.append(f" Module registration {lite(captures['registration'])}.")
    # a value written as a constant of another module, read there (`WS_PATH (settings.py:3)`)
    # (several, `; `-separated, for a template literal); a client's target or URL read so is
    # shown, as an endpoint's full route is above
    for key in sorted(k for k in captures if k.endswith("_constant")):
        reads = []
        for entry in captures[key].split("; "):
            expression, _, place = entry.rpartition(" (")
            reads.append(f"{escape.code_span(expression)} read from {lite(place.rstrip(')'))}")
        out.append(" " + ", ".join(reads))
        name = key.removesuffix("_constant")
        if name in ("target", "url") and name in captures:
            out.append(f": {name} {escape.code_span(captures[name])}")
        out.append(".")
    # a socket.io client: the namespace its URL names, or why its engine.io path is not known
    if finding.fact == FRONTEND_CLIENT and "namespace" in captures:
        out.append(f" Namespace {escape.code_span(captures['namespace'])}.")
    # a python-socketio client: the engine.io path its `socketio_path` gives, and the namespaces
    # its `namespaces=` names
    if finding.fact == CLIENT and "socketio_path" in captures and "target" in captures:
        out.append(f" Engine.io path {escape.code_span(captures['target'])}")
        if "namespace" in captures:
            out.append(f", namespaces {escape.code_span(captures['namespace'])}")
        out.append(".")
    # a client's target the code computes, or that only the running code knows (a plain
    # WebSocket's is its URL; a socket.io client's, its engine.io path)
    what = target_noun(finding)
    if "target_unresolved" in captures:
        out.append(f" {what} unresolved: {lite(captures['target_unresolved'])}.")
    if "target_runtime" in captures:
        out.append(f" {what} known only at run time: {lite(captures['target_runtime'])}.")
    return escape.Markdown("".join(out))


@dataclass(frozen=True, slots=True)
class Item:
    """One finding in a list: its line label, link and whether the change adds it; and, made
    safe once here rather than per field in the template, its place (the linked `path:line`,
    or `Lline` in a file's group), the message's first sentence and the notes after it."""

    finding: Finding
    label: str
    url: str | None
    new: bool
    place: escape.Markdown
    summary: escape.Markdown
    notes: escape.Markdown


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
    by_path: dict[str, list[Finding]] = {}
    for finding in chosen:
        by_path.setdefault(finding.path, []).append(finding)
    prefix = ""
    if len(by_path) > 1:
        directories = [posixpath.dirname(path) for path in by_path]
        if all(directories):
            prefix = posixpath.commonpath(directories)
        if prefix.count("/") < 1:  # one directory (`backend/`) is not worth a line of its own
            prefix = ""
    cut = len(prefix) + 1 if prefix else 0
    spans: dict[str, escape.Markdown] = {}  # `L3` is in many files' groups
    groups = []
    for path, found in by_path.items():
        shown = path[cut:]
        page = links.file(path, at_base=at_base)
        target = _quote_url(page) if page is not None else None
        items = []
        for finding in found:
            label = f"L{finding.line}"
            if finding.end_line > finding.line:
                label += f"-{finding.end_line}"
            if len(found) == 1:  # a file of one finding is one line: `path:line`
                span = escape.code_span(f"{shown}:{finding.line}")
            else:
                span = spans.get(label) or spans.setdefault(label, escape.code_span(label))
            anchor = _anchor(finding)
            items.append(
                Item(
                    finding=finding,
                    label=label,
                    url=None if page is None else page + anchor,
                    new=finding.change == "new",
                    place=_linked(span, target, anchor),
                    summary=summary(finding.message),
                    notes=notes(finding),
                )
            )
        groups.append(FileGroup(path=shown, items=tuple(items)))
    return FindingList(prefix=prefix, groups=tuple(groups), total=len(findings), shown=len(chosen))


@dataclass(frozen=True)
class PatternView:
    text: str
    # correct pattern: "pass" (`found` its evidence), "fail", "unseen", or "unchecked-pass" /
    # "unchecked-fail" (no facts name it: no rule looks for it); anti-pattern: "found",
    # "excepted", "none", "unknown" or "unchecked" (no rules name it)
    state: str
    note: str = ""
    found: FindingList | None = None
    anchor: str = ""  # the requirement's section


@dataclass(frozen=True, slots=True)
class NotCountedItem:
    """A fact seen and not counted, as the report lists it, made safe here: its linked
    `path:line`, its message's first sentence and why it is not counted."""

    place: escape.Markdown
    summary: escape.Markdown
    reason: escape.Markdown


def not_counted_items(result: RequirementResult, links: Links) -> tuple[NotCountedItem, ...]:
    out = []
    for entry in result.not_counted:
        finding = entry.finding
        page = links.file(finding.path)
        span = escape.code_span(f"{finding.path}:{finding.line}")
        out.append(
            NotCountedItem(
                place=_linked(span, None if page is None else _quote_url(page), _anchor(finding)),
                summary=summary(finding.message),
                reason=lite(entry.reason),
            )
        )
    return tuple(out)


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
    # facts seen and deliberately not counted (the pack's `not_counted`), with why
    not_counted: tuple[NotCountedItem, ...] = ()

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


ListMaker = Callable[..., FindingList]


def requirement_views(
    verification: Verification, lists: ListMaker, limit: int | None, links: Links
) -> tuple[RequirementView, ...]:
    """Each requirement as the templates show it; `lists(findings, limit=...)` makes the
    finding lists (`_Lists`: each made once per run, whichever template needs it first)."""
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
                violations=lists(result.violations, limit=limit),
                evidence=lists(result.evidence, limit=limit),
                files=tuple((path, path in failing_paths) for path in paths),
                not_counted=not_counted_items(result, links),
            )
        )
    return tuple(views)


def _joined(values: Sequence[str], last: str) -> str:
    spans = [f"`{value}`" for value in values]
    return spans[0] if len(spans) == 1 else f"{', '.join(spans[:-1])} {last} {spans[-1]}"


def _select_text(select: Mapping[str, str | list[str]]) -> str:
    """A pattern's `select` as words (` with api `x` outside `a` and `b``): what the facts
    that were not seen would have had to meet."""
    captures, paths = [], []
    for key, value in sorted(select.items()):
        values = checks.condition_values(value)
        positive = [v for v in values if not v.startswith("!")]
        negative = [v[1:] for v in values if v.startswith("!")]
        if key == "path":
            if positive:
                paths.append("in " + _joined(positive, "or"))
            if negative:
                paths.append("outside " + _joined(negative, "and"))
            continue
        words = [f"{key} {_joined(positive, 'or')}"] if positive else [key]
        if negative:
            words.append("other than " + _joined(negative, "and"))
        captures.append(" ".join(words))
    text = " with " + ", ".join(captures) if captures else ""
    return text + "".join(" " + part for part in paths)


def correct_pattern_views(
    verification: Verification,
    views: Sequence[RequirementView],
    lists: ListMaker,
    limit: int | None = None,
) -> tuple[PatternView, ...]:
    """A correct pattern holds only when its requirement passes and facts of this run show it:
    a fact of each of its `facts` kinds meeting its `select`, listed as its evidence. One that
    names no facts is looked for by no rule: not checked, whatever its requirement says."""
    facts = evaluate.by_fact(verification.findings)
    out = []
    for view in views:
        for pattern in view.r.correct_patterns:
            state, shown, missing = evaluate.correct_pattern_state(pattern, view.r, facts)
            if state == "not-checked":
                state_view = "unchecked-pass" if view.r.passed else "unchecked-fail"
                out.append(PatternView(pattern.text, state_view, view.r.title, anchor=view.anchor))
            elif state == "does-not-hold":
                out.append(PatternView(pattern.text, "fail", view.r.title, anchor=view.anchor))
            elif state == "not-seen":
                facts_text = " or ".join(f"`{fact}`" for fact in missing)
                where = _select_text(pattern.select)
                out.append(
                    PatternView(pattern.text, "unseen", f"no {facts_text} fact{where} was found")
                )
            else:
                out.append(
                    PatternView(
                        pattern.text,
                        "pass",
                        view.r.title,
                        lists(shown, limit=limit),
                        anchor=view.anchor,
                    )
                )
    return tuple(out)


def anti_pattern_views(
    views: Sequence[RequirementView], lists: ListMaker
) -> tuple[PatternView, ...]:
    """An anti-pattern is found only where a violation of one of its rules exists."""
    out = []
    for view in views:
        for pattern in view.r.anti_patterns:
            if pattern.rules:
                # each rule id matched against the globs once, not once per finding
                rule_ids = {f.rule_id for f in view.r.violations}
                rule_ids.update(e.finding.rule_id for e in view.r.exceptions)
                instance = {
                    rule_id
                    for rule_id in rule_ids
                    if any(fnmatch.fnmatchcase(rule_id, glob) for glob in pattern.rules)
                }
                hits = [f for f in view.r.violations if f.rule_id in instance]
                if hits:
                    # every violation an instance (the usual case): the requirement's own list
                    found = view.r.violations if len(hits) == len(view.r.violations) else hits
                    out.append(
                        PatternView(
                            pattern.text, "found", view.r.title, lists(found), anchor=view.anchor
                        )
                    )
                else:
                    accepted = [
                        e.finding for e in view.r.exceptions if e.finding.rule_id in instance
                    ]
                    state = "excepted" if accepted else "none"
                    excepted = lists(accepted) if accepted else None
                    out.append(
                        PatternView(pattern.text, state, view.r.title, excepted, anchor=view.anchor)
                    )
            elif view.r.violations:
                out.append(PatternView(pattern.text, "unknown", view.r.title, anchor=view.anchor))
            else:
                # no rule names it and nothing fails: nothing looked for it, so not "none found"
                out.append(PatternView(pattern.text, "unchecked", view.r.title, anchor=view.anchor))
    return tuple(out)


class _Lists:
    """Finding lists, each made once per findings, cut and commit: the report's full lists
    serve the comment's anti-patterns too."""

    def __init__(self, links: Links) -> None:
        self.links = links
        # keyed by the findings' identity; the findings are kept so that it stays theirs
        self.made: dict[tuple[int, int | None, bool], tuple[Sequence[Finding], FindingList]] = {}

    def __call__(
        self, findings: Sequence[Finding], *, limit: int | None = None, at_base: bool = False
    ) -> FindingList:
        key = (id(findings), limit, at_base)
        made = self.made.get(key)
        if made is None or made[0] is not findings:
            made = (findings, finding_list(findings, self.links, limit=limit, at_base=at_base))
            self.made[key] = made
        return made[1]


class _Shown:
    """What the report and the comment show of one verification, computed once for both:
    the violations across requirements, the gate, the repository's state, the finding lists,
    the patterns and the diagram's facts."""

    def __init__(self, verification: Verification, links: Links) -> None:
        self.verification = verification
        self.violations = verification.violations
        self.gate = gate(verification, self.violations)
        self.state = repository_state(verification, self.violations)
        self.lists = _Lists(links)
        self.new = tuple(f for f in self.violations if f.change == "new")
        self._patterns: dict[
            int | None, tuple[tuple[PatternView, ...], tuple[PatternView, ...]]
        ] = {}
        self._drawing: diagram.Drawing | None = None
        self._diagrams: dict[int, diagram.Diagram | None] = {}

    def patterns(
        self, views: Sequence[RequirementView], limit: int | None
    ) -> tuple[tuple[PatternView, ...], tuple[PatternView, ...]]:
        """The correct patterns (their evidence cut as the requirements' is) and anti-patterns
        (their lists are never cut)."""
        if limit not in self._patterns:
            self._patterns[limit] = (
                correct_pattern_views(self.verification, views, self.lists, limit),
                anti_pattern_views(views, self.lists),
            )
        return self._patterns[limit]

    def diagram(self, budget: int) -> diagram.Diagram | None:
        if budget not in self._diagrams:
            if self._drawing is None:
                self._drawing = diagram.Drawing(self.verification)
            self._diagrams[budget] = self._drawing.fit(budget)
        return self._diagrams[budget]


def _context(shown: _Shown, limit: int | None, **extra: object) -> dict[str, object]:
    verification = shown.verification
    views = requirement_views(verification, shown.lists, limit, shown.lists.links)
    correct_patterns, anti_patterns = shown.patterns(views, limit)
    return {
        "v": verification,
        "gate": shown.gate,
        "requirements": views,
        "failing": [view for view in views if not view.r.passed],
        "passing": [view for view in views if view.r.passed],
        "new_violations": shown.lists(shown.new, limit=limit),
        "fixed": shown.lists(verification.fixed, limit=limit, at_base=True),
        "correct_patterns": correct_patterns,
        "anti_patterns": anti_patterns,
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


def _report_diagram(shown: _Shown) -> diagram.Diagram | None:
    spec = shown.verification.diagram
    if spec is None or not spec.settings.report:
        return None
    return shown.diagram(diagram.REPORT_BUDGET)


def _comment_diagram(shown: _Shown, limit: int | None) -> diagram.Diagram | None:
    """The comment shows the diagram (in `<details>`) when a requirement fails, or always if
    the settings say so; it is the first thing dropped when the comment is too long."""
    spec = shown.verification.diagram
    if spec is None or spec.settings.comment == "never" or (limit is not None and limit < 5):
        return None
    if spec.settings.comment == "on-failure" and shown.verification.passed:
        return None
    return shown.diagram(diagram.COMMENT_BUDGET)


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, its verdict on an attribute kept per type and name: the check depends
    on nothing else (`is_internal_attribute` asks what the object is an instance of, and the
    name), and runs for every attribute a template reads."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe

    def getattr(self, obj: Any, attribute: str) -> Any:
        # the rows of a finding list hold data only (no method, nothing internal): what the
        # sandbox would check of them, per row of tens of thousands, always passes
        if type(obj) in _ROWS and not attribute.startswith("_"):
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
        return super().getattr(obj, attribute)


_ROWS = frozenset({Item, FileGroup, FindingList, NotCountedItem})


class Renderer:
    """Every template compiled once, for the report and the comment: a template that does not
    compile fails here, naming its file and line, before anything is rendered."""

    def __init__(
        self,
        templates: Mapping[str, str],
        links: Links,
        compiled: Mapping[str, CodeType] | None = None,
    ) -> None:
        """`compiled`: the code of those `templates` the package ships compiled (see
        `compiled_sources`), as `resources.compiled_templates` reads it."""
        env = _environment(templates, links, compiled)
        env.globals["status_line"] = self._status_line
        self._links = links
        self._shown: _Shown | None = None
        try:
            loaded = {name: env.get_template(name) for name in sorted(templates)}
        except TemplateSyntaxError as exc:
            raise RenderError(f"{exc.name}, line {exc.lineno}: {exc.message}") from None
        self._report: Template = loaded[REPORT_TEMPLATE]
        self._comment: Template = loaded[COMMENT_TEMPLATE]

    def _shown_of(self, verification: Verification) -> _Shown:
        """What both templates show of `verification`: computed by the first of them to render
        it (models are frozen, so it stays true), then reused by the other."""
        if self._shown is None or self._shown.verification is not verification:
            self._shown = _Shown(verification, self._links)
        return self._shown

    def _status_line(self, verification: Verification) -> str:
        if self._shown is not None and self._shown.verification is verification:
            return self._shown.state
        return repository_state(verification)

    def report(self, verification: Verification) -> str:
        try:
            shown = self._shown_of(verification)
            context = _context(shown, None, diagram=_report_diagram(shown))
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
        shown = self._shown_of(verification)
        for limit in limits:
            context = _context(
                shown,
                limit,
                report_note=report_note,
                document_path=document_path,
                run_url=run_url,
                diagram=_comment_diagram(shown, limit),
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
        return cut_comment(body, limit_chars)


def compiled_sources(templates: Mapping[str, str]) -> dict[str, str]:
    """The Python source Jinja generates for each template in the environment the renderer
    uses: what the package ships in `pattern_verify/compiled_templates/` for the bundled
    templates, so that a run does not compile them (0.07 s CPU of every run)."""
    env = _environment(templates, Links(None, None))
    return {name: env.compile(source, name, None, raw=True) for name, source in templates.items()}


def cut_comment(body: str, limit: int = COMMENT_LIMIT) -> str:
    """A comment body within `limit` characters, saying so when it was cut."""
    if len(body) <= limit:
        return body
    return body[: max(0, limit - len(COMMENT_CUT_NOTE))] + COMMENT_CUT_NOTE


def render_json(verification: Verification) -> str:
    """results.json by pydantic's own serialiser (8x faster than the pure-Python encoder at
    10,000 findings), the same bytes as `json.dumps(indent=2, ensure_ascii=False)` would give;
    `timings` only when asked for, so output stays deterministic."""
    exclude = {"timings"} if verification.timings is None else None
    return verification.model_dump_json(indent=2, exclude=exclude) + "\n"

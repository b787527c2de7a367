"""The pattern as found (pure): a run's facts → the model of a Mermaid flowchart.

The pack declares the drawing (`diagram:` in pack.yml): roles make nodes from facts (one node
per distinct label), edges say how two roles' nodes connect. Nothing here knows websockets.
A node is marked when a fact that made it is a violation (`new` when the change introduced
it); a role with more than `max_nodes` nodes is collapsed into one node per mark, whose
members the template lists below the diagram.

The model stays within what GitHub renders: Mermaid refuses a diagram of more than
`maxTextSize` (50,000) characters or `maxEdges` (500) edges by default. Labels are cut, detail
lines capped, and the collapsing bound is lowered until the text, estimated with the real
escaping, fits the caller's budget.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from pydantic import Field

from pattern_verify import escape, evaluate
from pattern_verify.checks import judged_by, meets
from pattern_verify.evaluate import PLACEHOLDER
from pattern_verify.models import Finding, FindingKey, Model, RequirementResult, Verification
from pattern_verify.specs import DiagramEdgeSpec, DiagramRole, DiagramSource, DiagramSpec

# Mermaid's defaults, which GitHub keeps (mermaid.js.org, config schema: maxTextSize, maxEdges)
MERMAID_MAX_TEXT = 50_000
MERMAID_MAX_EDGES = 500
REPORT_BUDGET = 40_000
COMMENT_BUDGET = 16_000
LABEL_CHARS = 72
DETAIL_LINES = 4
# Template text around each element, at most (ids, brackets, class lines, linkStyle);
# tests check the estimate against what the template renders.
NODE_OVERHEAD = 64
EDGE_OVERHEAD = 48
FIXED_OVERHEAD = 1_200

# `excepted`: a violation accepted with a reason (not a violation: drawn apart, in amber)
Mark = Literal["new", "violation", "excepted", "ok"]
_MARK_ORDER: dict[str, int] = {"new": 0, "violation": 1, "excepted": 2, "ok": 3}


class DiagramMember(Model):
    """One node folded into a collapsed node, for the list below the diagram."""

    label: str
    mark: Mark
    findings: tuple[Finding, ...]

    @property
    def named_by_its_file(self) -> bool:
        """Whether the label is the one file all its facts are in (paths compared ignoring
        case, as Jinja's `unique` does), so that a list need not say it again."""
        paths = {finding.path.lower() for finding in self.findings}
        return len(paths) == 1 and self.findings[0].path == self.label


class DiagramNode(Model):
    id: str
    role: str
    label: str
    details: tuple[str, ...] = ()
    mark: Mark = "ok"
    breaks: tuple[str, ...] = Field(
        (), description="Titles of the requirements it violates (or would, when excepted)."
    )
    members: tuple[DiagramMember, ...] = Field(
        (), description="Set when the node stands for several: their labels and facts."
    )
    facts: int = Field(1, description="How many facts made the node.")
    files: int = Field(1, description="In how many files.")

    @property
    def collapsed(self) -> bool:
        return bool(self.members)


class DiagramGroup(Model):
    id: str
    role: str
    title: str
    nodes: tuple[DiagramNode, ...]


class DiagramEdge(Model):
    source: str
    target: str
    label: str = ""
    mark: Mark = "ok"


class Diagram(Model):
    direction: str
    groups: tuple[DiagramGroup, ...]
    edges: tuple[DiagramEdge, ...]
    max_nodes: int = Field(description="The collapsing bound the diagram was drawn with.")
    estimated_chars: int = Field(description="An upper bound of the Mermaid text's length.")
    omitted: bool = Field(False, description="Too large to draw even at its smallest.")

    @property
    def nodes(self) -> tuple[DiagramNode, ...]:
        return tuple(node for group in self.groups for node in group.nodes)

    @property
    def collapsed(self) -> tuple[DiagramNode, ...]:
        return tuple(node for node in self.nodes if node.collapsed)

    @property
    def marks(self) -> frozenset[str]:
        return frozenset(node.mark for node in self.nodes)

    def linked(self, mark: str) -> tuple[int, ...]:
        """Indexes of the edges with this mark, for Mermaid's `linkStyle`."""
        return tuple(index for index, edge in enumerate(self.edges) if edge.mark == mark)


class _Verdicts:
    """What the requirements said of each fact: its mark (the gravest), and the requirements
    it breaks (or would break, when accepted as an exception) under that mark."""

    def __init__(self, verification: Verification) -> None:
        self.marks: dict[FindingKey, Mark] = {}
        self.titles: dict[tuple[FindingKey, Mark], dict[str, None]] = {}
        for requirement in verification.requirements:
            for finding in requirement.violations:
                self._add(finding, "new" if finding.change == "new" else "violation", requirement)
            for exception in requirement.exceptions:
                self._add(exception.finding, "excepted", requirement)

    def _add(self, finding: Finding, mark: Mark, requirement: RequirementResult) -> None:
        key = finding.key
        if _MARK_ORDER[mark] < _MARK_ORDER[self.marks.get(key, "ok")]:
            self.marks[key] = mark
        self.titles.setdefault((key, mark), {}).setdefault(requirement.title, None)

    def broken(self, key: FindingKey) -> dict[str, None]:
        mark = self.marks.get(key, "ok")
        return self.titles.get((key, mark), {})


def _cut(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def value(finding: Finding, name: str) -> str:
    """A placeholder's value in a label: as `evaluate.value`, except for a capture the linking
    stage could not read, which says so with the expression it kept (`declared_<name>`): an
    unresolved one is "an undecided target (`url`)", one only the running code knows is
    "`WS_URL` (known only at run time)" — never empty, never the expression alone."""
    if name in finding.captures or name in ("path", "line", "fact"):
        return evaluate.value(finding, name)
    declared = finding.captures.get(f"declared_{name}")
    if name in finding.unresolved:
        return f"an undecided {name}" + (f" ({declared})" if declared else "")
    if declared is not None and f"{name}_runtime" in finding.captures:
        return f"{declared} (known only at run time)"
    return declared or ""


def fill(template: str, finding: Finding) -> str:
    """A role's label template with a fact's values: `{path}`, `{fact}`, `{line}`, captures
    (as the report shows them: literals unquoted, other expressions as written; see `value`
    for one not read). A missing capture is empty, and a label left empty says
    `(no <name>)`."""

    text = PLACEHOLDER.sub(lambda match: value(finding, match.group(1)), template).strip()
    if not text and template.strip():
        names = PLACEHOLDER.findall(template)
        text = f"(no {names[0]})" if names else ""
    return _cut(text)


class _Filler:
    """`fill` of one template, once per combination of the values it names (thousands of
    facts in a few hundred files make a few hundred labels)."""

    def __init__(self, template: str) -> None:
        self.template = template
        self.names = tuple(dict.fromkeys(PLACEHOLDER.findall(template)))
        self.filled: dict[tuple[str, ...], str] = {}

    def __call__(self, finding: Finding) -> str:
        values = tuple(value(finding, name) for name in self.names)
        text = self.filled.get(values)
        if text is None:
            text = self.filled[values] = fill(self.template, finding)
        return text


def _source_of(role: DiagramRole, finding: Finding) -> DiagramSource | None:
    for source in role.sources:
        if ("*" in source.facts or finding.fact in source.facts) and meets(finding, source.select):
            return source
    return None


class _Draft:
    """A node while it is built: its facts, keyed, in order."""

    def __init__(self, role: str, label: str) -> None:
        self.role = role
        self.label = label
        self.details: dict[str, None] = {}
        self.findings: dict[FindingKey, Finding] = {}
        self.mark: Mark = "ok"
        self.broken: dict[Mark, dict[str, None]] = {}


def _drafts(role: DiagramRole, findings: Sequence[Finding], verdicts: _Verdicts) -> list[_Draft]:
    wanted = {fact for source in role.sources for fact in source.facts}
    if "*" not in wanted:  # only the facts some source draws
        findings = [f for f in findings if f.fact in wanted]
    fillers: dict[str, _Filler] = {}

    def filled(template: str, finding: Finding) -> str:
        filler = fillers.get(template) or fillers.setdefault(template, _Filler(template))
        return filler(finding)

    # the source a fact is drawn from, found once per file and values, not once per fact
    sources: dict[tuple[object, ...], DiagramSource | None] = {}
    drafts: dict[str, _Draft] = {}
    for finding in findings:
        judged = judged_by(finding)
        if judged in sources:
            source = sources[judged]
        else:
            source = sources[judged] = _source_of(role, finding)
        if source is None:
            continue
        key = finding.key
        mark = verdicts.marks.get(key, "ok")
        if role.only == "violations" and mark == "ok":
            continue
        label = filled(role.node, finding)
        draft = drafts.get(label)
        if draft is None:
            draft = drafts[label] = _Draft(role.id, label)
        draft.findings.setdefault(key, finding)
        detail_template = role.detail if source.detail is None else source.detail
        detail = filled(detail_template, finding) if detail_template else ""
        if detail and detail != label:
            draft.details.setdefault(detail, None)
        if role.marks and mark != "ok":
            draft.broken.setdefault(mark, {}).update(verdicts.broken(key))
            if _MARK_ORDER[mark] < _MARK_ORDER[draft.mark]:
                draft.mark = mark
    return sorted(drafts.values(), key=lambda d: (_MARK_ORDER[d.mark], d.label))


def _details(values: Iterable[str], limit: int) -> tuple[str, ...]:
    lines = sorted(set(values))
    if len(lines) > limit:
        if limit == 0:
            return ()
        return (*lines[: limit - 1], f"+{len(lines) - limit + 1} more")
    return tuple(lines)


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


class _Node:
    """A drawn node: one draft, or several collapsed into one."""

    def __init__(self, node_id: str, role: DiagramRole, drafts: Sequence[_Draft]) -> None:
        self.id = node_id
        self.role = role
        self.drafts = drafts
        self.keys = {key for draft in drafts for key in draft.findings}
        self.findings = [f for draft in drafts for f in draft.findings.values()]
        self.paths = {f.path for f in self.findings}
        self.mark: Mark = min((d.mark for d in drafts), key=_MARK_ORDER.__getitem__)
        self.broken = tuple(
            dict.fromkeys(title for d in drafts for title in d.broken.get(self.mark, {}))
        )

    def model(self, label_chars: int, detail_lines: int) -> DiagramNode:
        if len(self.drafts) == 1:
            draft = self.drafts[0]
            return DiagramNode(
                id=self.id,
                role=self.role.id,
                label=_cut(draft.label, label_chars),
                details=_details((_cut(d, label_chars) for d in draft.details), detail_lines),
                mark=self.mark,
                breaks=self.broken,
                facts=len(self.findings),
                files=len(self.paths),
            )
        noun = self.role.noun or self.role.title.lower()
        label = f"{len(self.drafts)} {noun}"
        members = tuple(
            DiagramMember(
                label=draft.label,
                mark=draft.mark,
                findings=tuple(sorted(draft.findings.values(), key=lambda f: f.sort_key)),
            )
            for draft in self.drafts
        )
        return DiagramNode(
            id=self.id,
            role=self.role.id,
            label=label,
            details=(
                f"{_plural(len(self.findings), 'finding')} in {_plural(len(self.paths), 'file')}",
                "listed below the diagram",
            )[:detail_lines],
            mark=self.mark,
            breaks=self.broken,
            members=members,
            facts=len(self.findings),
            files=len(self.paths),
        )


def _collapse(drafts: list[_Draft], max_nodes: int) -> list[list[_Draft]]:
    """Each draft alone, or, above the bound, one bunch per mark (a bunch of one stays)."""
    if len(drafts) <= max_nodes:
        return [[draft] for draft in drafts]
    bunches: dict[str, list[_Draft]] = {}
    for draft in drafts:
        bunches.setdefault(draft.mark, []).append(draft)
    return [bunches[mark] for mark in sorted(bunches, key=_MARK_ORDER.__getitem__)]


def _strip_value(value: str) -> str:
    """A route or URL compared by its path: quotes, query, fragment and trailing `/` off."""
    text = value.strip().strip("'\"`")
    text = re.split(r"[?#]", text, maxsplit=1)[0]
    return text.rstrip("/")


def _links_by_value(spec: DiagramEdgeSpec, source: _Node, target: _Node) -> bool:
    for source_key, target_key in spec.values.items():
        wanted = [
            _strip_value(f.captures[target_key])
            for f in target.findings
            if target_key in f.captures
        ]
        wanted = [w for w in wanted if w]
        for finding in source.findings:
            have = _strip_value(finding.captures.get(source_key, ""))
            if have and any(have == w or (have.endswith(w) and w.startswith("/")) for w in wanted):
                return True
    return False


def _connected(spec: DiagramEdgeSpec, source: _Node, target: _Node) -> bool:
    if spec.via == "all":
        return True
    if spec.via == "value":
        return _links_by_value(spec, source, target)
    facts = set(spec.facts)
    if spec.via == "fact":
        shared = source.keys & target.keys
        if not facts:
            return bool(shared)
        fact_of = {f.key: f.fact for f in source.findings}
        return any(fact_of[key] in facts for key in shared)
    source_paths = {f.path for f in source.findings if not facts or f.fact in facts}
    target_paths = {f.path for f in target.findings if not facts or f.fact in facts}
    return bool(source_paths & target_paths)


def _edge_mark(source: _Node, target: _Node) -> Mark:
    return min(source.mark, target.mark, key=_MARK_ORDER.__getitem__)


def _draw(
    spec: DiagramSpec,
    drafts: Mapping[str, list[_Draft]],
    max_nodes: int,
    label_chars: int = LABEL_CHARS,
    detail_lines: int = DETAIL_LINES,
) -> Diagram:
    nodes_by_role: dict[str, list[_Node]] = {}
    counter = 0
    for role in spec.roles:
        nodes = []
        for bunch in _collapse(drafts[role.id], max_nodes):
            counter += 1
            nodes.append(_Node(f"n{counter}", role, bunch))
        nodes_by_role[role.id] = nodes
    # one arrow per pair of nodes, its labels joined: "publish, subscribe"
    labels: dict[tuple[str, str], dict[str, None]] = {}
    ends: dict[tuple[str, str], tuple[_Node, _Node]] = {}
    for edge in spec.edges:
        for source in nodes_by_role[edge.source]:
            for target in nodes_by_role[edge.target]:
                if source is target or not _connected(edge, source, target):
                    continue
                key = (source.id, target.id)
                ends[key] = (source, target)
                labels.setdefault(key, {})
                if edge.label:
                    labels[key].setdefault(edge.label, None)
    edge_list = tuple(
        DiagramEdge(
            source=source.id,
            target=target.id,
            label=", ".join(labels[key]),
            mark=_edge_mark(source, target),
        )
        for key, (source, target) in ends.items()
    )
    groups = tuple(
        DiagramGroup(
            id=f"g{index}",
            role=role.id,
            title=role.title,
            nodes=tuple(node.model(label_chars, detail_lines) for node in nodes_by_role[role.id]),
        )
        for index, role in enumerate(spec.roles, start=1)
        if nodes_by_role[role.id]
    )
    return Diagram(
        direction=spec.direction,
        groups=groups,
        edges=edge_list,
        max_nodes=max_nodes,
        estimated_chars=_estimate(groups, edge_list),
    )


def _size(text: str) -> int:
    return len(escape.mermaid_label(text))


def _estimate(groups: Sequence[DiagramGroup], edges: Sequence[DiagramEdge]) -> int:
    total = FIXED_OVERHEAD
    for group in groups:
        total += NODE_OVERHEAD + _size(group.title)
        for node in group.nodes:
            total += NODE_OVERHEAD + _size(node.label) + _size(", ".join(node.breaks))
            total += sum(_size(line) + 8 for line in node.details)
    for edge in edges:
        total += EDGE_OVERHEAD + _size(edge.label)
    return total


def build(verification: Verification, budget: int = REPORT_BUDGET) -> Diagram | None:
    """The diagram of a run, or None when its pack declares none. Within `budget` characters
    of Mermaid text and Mermaid's edge limit: the collapsing bound is lowered until it fits."""
    return Drawing(verification).fit(budget)


class Drawing:
    """A run's nodes before they are drawn: each role's facts are found once, and the report
    and the comment each fit the drawing to a budget of their own."""

    def __init__(self, verification: Verification) -> None:
        self.spec = verification.diagram
        self.drafts: dict[str, list[_Draft]] = {}
        if self.spec is not None:
            verdicts = _Verdicts(verification)
            self.drafts = {
                role.id: _drafts(role, verification.findings, verdicts) for role in self.spec.roles
            }

    def fit(self, budget: int = REPORT_BUDGET) -> Diagram | None:
        """The diagram within `budget` (see `build`), or None when the pack declares none."""
        spec = self.spec
        if spec is None:
            return None
        attempts = [(n, LABEL_CHARS, DETAIL_LINES) for n in _halving(spec.settings.max_nodes)]
        attempts += [(1, 40, 2), (1, 20, 0)]
        for max_nodes, label_chars, detail_lines in attempts:
            diagram = _draw(spec, self.drafts, max_nodes, label_chars, detail_lines)
            if diagram.estimated_chars <= budget and len(diagram.edges) <= MERMAID_MAX_EDGES:
                return diagram
        # only a pack with dozens of roles gets here: say so rather than draw what GitHub refuses
        return Diagram(
            direction=spec.direction,
            groups=(),
            edges=(),
            max_nodes=1,
            estimated_chars=FIXED_OVERHEAD,
            omitted=True,
        )


def _halving(start: int) -> list[int]:
    values = [start]
    while values[-1] > 1:
        values.append(max(1, values[-1] // 2))
    return values

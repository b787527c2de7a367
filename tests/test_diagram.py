"""The pattern as found: the pack's diagram declaration, the pure model built from a run's
facts, and what the report and the comment show of it. Mermaid itself renders every diagram
in test_mermaid.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLE, FIXTURES
from diagram_cases import (
    HOSTILE_NAMES,
    PACK,
    fact,
    hostile,
    large_platform,
    undecided_targets,
    verification,
)
from pydantic import ValidationError

from pattern_verify import config, diagram, escape, render
from pattern_verify.errors import ConfigError
from pattern_verify.models import AcceptedException, Verification
from pattern_verify.pipeline import load_templates
from pattern_verify.specs import DiagramSettings, DiagramSpec

MERMAID_BLOCK = re.compile(r"```mermaid\n(.*?)```\n", re.DOTALL)


def renderer() -> render.Renderer:
    return render.Renderer(
        load_templates(None), render.Links("https://github.com/acme/platform", "a" * 40)
    )


def mermaid_blocks(markdown: str) -> list[str]:
    return MERMAID_BLOCK.findall(markdown)


def with_settings(run: Verification, **settings: object) -> Verification:
    assert run.diagram is not None
    spec = run.diagram.model_copy(update={"settings": DiagramSettings.model_validate({**settings})})
    return run.model_copy(update={"diagram": spec})


def compliant() -> Verification:
    gateway = "backend/smart_city/services/post_office"
    return verification(
        [
            fact("websocket-endpoint", "backend/api/websocket_gateway_router.py", 9, route="/ws"),
            fact(
                "frontend-websocket-client",
                "frontend/src/lib/websocket_client.ts",
                5,
                target="wss://platform.example/ws",
            ),
            fact(
                "gateway-instantiation",
                f"{gateway}/post_office_service.py",
                18,
                **{"class": "WebSocketGatewayService", "owner": "PostOfficeService"},
            ),
            fact("channel-subscribe", f"{gateway}/websocket_gateway_service.py", 26, channel="g"),
            fact("channel-publish", "backend/services/content.py", 12, channel="pillar:content"),
        ]
    )


# --- the model ---------------------------------------------------------------------------------


def test_compliant_run_draws_the_pattern_with_its_real_names() -> None:
    run = compliant()
    assert run.passed
    drawn = diagram.build(run)
    assert drawn is not None
    assert sorted((node.role, node.label) for node in drawn.nodes) == [
        ("channel", "g"),
        ("channel", "pillar:content"),
        ("client", "frontend/src/lib/websocket_client.ts"),
        ("endpoint", "/ws"),
        ("gateway", "WebSocketGatewayService"),
        ("owner", "PostOfficeService"),
        ("service", "backend/services/content.py"),
    ]
    assert all(node.mark == "ok" for node in drawn.nodes)
    by_id = {node.id: node for node in drawn.nodes}
    arrows = {(by_id[e.source].label, by_id[e.target].label, e.label) for e in drawn.edges}
    assert arrows == {
        ("frontend/src/lib/websocket_client.ts", "/ws", "connects"),
        ("/ws", "WebSocketGatewayService", ""),
        ("PostOfficeService", "WebSocketGatewayService", "creates"),
        ("WebSocketGatewayService", "g", "subscribe"),
        ("backend/services/content.py", "pillar:content", "publish"),
    }
    gateway = next(node for node in drawn.nodes if node.role == "gateway")
    # the gateway's files are the gateway files facts were found in, not the owner's file
    assert gateway.details == (
        "backend/api/websocket_gateway_router.py",
        "backend/smart_city/services/post_office/websocket_gateway_service.py",
    )


def test_violations_are_drawn_and_marked_new_apart_from_existing() -> None:
    run = verification(
        [
            *compliant().findings,
            fact("websocket-endpoint", "backend/api/chat_router.py", 8, route="/api/ws/chat"),
            fact("websocket-endpoint", "archive/old_router.py", 8, route="/ws/old"),
            fact("abstraction-access", "backend/services/notify.py", 9, name="websocket"),
            fact(
                "gateway-instantiation",
                "backend/services/chat.py",
                7,
                **{"class": "WebSocketGatewayService", "owner": "ChatService"},
            ),
            fact("socket-routing", "backend/gateway_files_are_elsewhere.py", 3),
        ],
        new_paths=["backend/api/chat_router.py", "backend/services/notify.py"],
    )
    drawn = diagram.build(run)
    assert drawn is not None
    marks = {(node.role, node.label): node.mark for node in drawn.nodes}
    assert marks[("endpoint", "/api/ws/chat")] == "new"
    assert marks[("endpoint", "/ws/old")] == "violation"
    assert marks[("endpoint", "/ws")] == "ok"
    assert marks[("bypass", "backend/services/notify.py")] == "new"
    assert marks[("bypass", "backend/gateway_files_are_elsewhere.py")] == "violation"
    assert marks[("owner", "ChatService")] == "violation"
    assert marks[("owner", "PostOfficeService")] == "ok"
    assert marks[("gateway", "WebSocketGatewayService")] == "ok"  # the creator is marked
    by_id = {node.id: node for node in drawn.nodes}
    chat = next(n for n in drawn.nodes if n.label == "/api/ws/chat")
    # the bypassing endpoint has no arrow into the gateway: the picture shows the bypass
    assert not [e for e in drawn.edges if e.source == chat.id]
    creates = [e for e in drawn.edges if by_id[e.source].label == "ChatService"]
    assert [e.mark for e in creates] == ["violation"]


def test_roles_drawing_only_violations_leave_evidence_out() -> None:
    run = verification(
        [fact("socket-routing", "backend/smart_city/services/post_office/fanout_manager.py", 3)]
    )
    drawn = diagram.build(run)
    assert drawn is not None
    assert [n.role for n in drawn.nodes] == ["gateway"]  # evidence: in the gateway, not bypass


def test_a_raw_server_without_a_route_says_so() -> None:
    run = verification([fact("websocket-endpoint", "backend/realtime.py", 4)])
    drawn = diagram.build(run)
    assert drawn is not None
    assert [(n.label, n.mark) for n in drawn.nodes] == [("(no route)", "violation")]


def test_a_client_whose_target_is_not_read_says_so_never_an_empty_connects_to() -> None:
    drawn = diagram.build(undecided_targets())
    assert drawn is not None
    details = {n.label: n.details for n in drawn.nodes if n.role in ("client", "bypass")}
    assert details == {
        "frontend/src/news.ts": ("an undecided target (SHARED_URL)",),
        "frontend/src/quotes.ts": ("cfg.QUOTES_URL (known only at run time)",),
        "backend/services/settlement.py": ("connects to an undecided target (url)",),
        "backend/services/risk.py": ("connects to ws://gateway:8000/other",),
    }
    # neither is drawn as connecting to the `/ws` endpoint
    assert not [e for e in drawn.edges if e.label == "connects"]


def test_a_pack_without_a_diagram_draws_none(tmp_path: Path) -> None:
    assert config.load_config(tmp_path, write_pack(tmp_path, "")).diagram is None
    run = compliant().model_copy(update={"diagram": None})
    assert diagram.build(run) is None
    report = renderer().report(run)
    comment = renderer().comment(run)
    assert "The pattern as found" not in report + comment
    assert "```mermaid" not in report + comment


# --- limits -------------------------------------------------------------------------------------


def test_two_hundred_facts_stay_readable_and_within_mermaids_limits() -> None:
    run = large_platform()
    assert len(run.findings) == 200
    drawn = diagram.build(run)
    assert drawn is not None
    assert len(drawn.nodes) <= 3 * len(drawn.groups)  # each group: one node per mark at most
    assert len(drawn.edges) <= diagram.MERMAID_MAX_EDGES
    collapsed = {n.label: n for n in drawn.collapsed}
    assert "23 clients" in collapsed  # 28 direct connections in 23 files, listed below
    assert collapsed["23 clients"].details[0] == "28 findings in 23 files"
    assert collapsed["23 clients"].mark == "violation"
    report = renderer().report(run)
    (block,) = mermaid_blocks(report)
    assert len(block) <= drawn.estimated_chars <= diagram.REPORT_BUDGET
    assert "**Collapsed in the diagram:**" in report
    assert "Widget00.tsx:34" in report  # every collapsed member is listed in the report
    comment = renderer().comment(run)
    assert len(comment) <= render.COMMENT_LIMIT
    (comment_block,) = mermaid_blocks(comment)
    assert len(comment_block) <= diagram.COMMENT_BUDGET


def test_the_estimate_bounds_the_text_for_every_case() -> None:
    for run in (compliant(), large_platform(), hostile(), with_settings(hostile(), max_nodes=50)):
        drawn = diagram.build(run)
        assert drawn is not None
        (block,) = mermaid_blocks(renderer().report(run))
        assert len(block) <= drawn.estimated_chars


def test_huge_labels_shrink_until_the_diagram_fits() -> None:
    names = ["😀" * 500 + f"{index}" for index in range(120)]
    run = verification(
        [fact("websocket-endpoint", f"src/{name}.py", 1, route=f"/{name}") for name in names]
    )
    run = with_settings(run, max_nodes=100)
    drawn = diagram.build(run, budget=8_000)
    assert drawn is not None and not drawn.omitted
    assert drawn.estimated_chars <= 8_000
    assert all(len(node.label) <= diagram.LABEL_CHARS for node in drawn.nodes)


def test_the_comment_shows_the_diagram_on_failure_or_always() -> None:
    failing = large_platform()
    assert "<summary>The pattern as found</summary>" in renderer().comment(failing)
    passing = compliant()
    assert "```mermaid" not in renderer().comment(passing)
    assert "```mermaid" in renderer().report(passing)
    always = with_settings(passing, comment="always")
    assert "<summary>The pattern as found</summary>" in renderer().comment(always)
    never = with_settings(failing, comment="never")
    assert "```mermaid" not in renderer().comment(never)
    off = with_settings(passing, report=False)
    assert "```mermaid" not in renderer().report(off)


def test_a_tight_comment_drops_the_diagram_before_cutting_text() -> None:
    run = large_platform()
    comment = renderer().comment(run, limit_chars=6_000)
    assert len(comment) <= 6_000
    assert "```mermaid" not in comment  # never a block cut in half


# --- escaping -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_label_leaves_no_mermaid_or_markdown_syntax(name: str) -> None:
    label = escape.mermaid_label(name)
    assert re.fullmatch(r"(?:[A-Za-z0-9 _./-]|#\d+;)*", label), label
    assert "\n" not in label and '"' not in label and "%%" not in label


def test_labels_decode_back_to_the_names() -> None:
    def decode(label: str) -> str:
        return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label)

    assert decode(escape.mermaid_label('a"]b|c`d<e>f#g;h')) == 'a"]b|c`d<e>f#g;h'
    assert decode(escape.mermaid_label("ünï 日本 😀")) == "ünï 日本 😀"
    assert decode(escape.mermaid_label("x\u202ey")) == "x<U+202E>y"
    assert escape.mermaid_label("line\nbreak") == "line break"


def test_hostile_names_stay_inside_their_labels() -> None:
    run = with_settings(hostile(), max_nodes=50)
    (block,) = mermaid_blocks(renderer().report(run))
    lines = block.splitlines()
    assert lines[0] == "flowchart LR"
    structure = re.compile(
        r'\s*(?:subgraph g\d+\["[^"]*"\]|end|n\d+\[\[?"[^"]*"\]\]?'
        r'|n\d+ -->(?:\|"[^"]*"\|)? n\d+|classDef (?:violation|new|excepted) [^"]*'
        r"|class (?:n\d+,)*n\d+ (?:violation|new|excepted)|linkStyle [\d,]+ [^\"]*)"
    )
    for line in lines[1:]:
        assert structure.fullmatch(line), line
    assert "click" not in " ".join(line for line in lines if not line.strip().startswith("n"))
    assert len([line for line in lines if line.strip().startswith("subgraph")]) <= 7


# --- the declaration -----------------------------------------------------------------------------


def write_pack(tmp_path: Path, diagram_yaml: str) -> Path:
    pack = tmp_path / "pack"
    pack.mkdir()
    for name in ("mini.yaml", "mini.py"):
        (pack / name).write_text((FIXTURES / "mini-pack" / name).read_text())
    text = (FIXTURES / "mini-pack" / "pack.yml").read_text()
    (pack / "pack.yml").write_text(text + diagram_yaml)
    (tmp_path / "cfg.yml").write_text("pack: ./pack\n")
    return tmp_path / "cfg.yml"


def test_the_default_pack_declares_its_diagram_with_parameters_substituted() -> None:
    spec = PACK.diagram
    assert spec is not None
    gateway = next(role for role in spec.roles if role.id == "gateway")
    assert gateway.node == "WebSocketGatewayService"
    assert gateway.sources[1].select["path"] == list(PACK.parameters["gateway_files"])
    service = next(role for role in spec.roles if role.id == "service")
    assert service.sources[0].select["path"] == [
        f"!{glob}" for glob in PACK.parameters["gateway_files"]
    ]


def test_diagram_declaration_errors_name_their_keys(tmp_path: Path) -> None:
    cfg = write_pack(
        tmp_path,
        """
diagram:
  roles:
    - id: endpoint
      title: Endpoints
      sources: [{facts: [endpoint, nonsense]}]
      node: "{route!r}"
      colour: red
  edges:
    - {source: endpoint, target: nowhere}
""",
    )
    with pytest.raises(ConfigError) as error:
        config.load_config(tmp_path, cfg)
    problems = "\n".join(error.value.problems)
    assert "diagram.roles[0].node: `{route!r}`: a placeholder names a capture" in problems
    assert "diagram.roles[0].colour: unknown key" in problems


def test_diagram_edges_name_declared_roles(tmp_path: Path) -> None:
    cfg = write_pack(
        tmp_path,
        """
diagram:
  roles:
    - {id: endpoint, title: Endpoints, sources: [{facts: [endpoint]}], node: "{route}"}
  edges:
    - {source: endpoint, target: nowhere}
    - {source: endpoint, target: endpoint, via: value}
""",
    )
    with pytest.raises(ConfigError) as error:
        config.load_config(tmp_path, cfg)
    problems = "\n".join(error.value.problems)
    assert "diagram.edges[1]: `via: value` needs `values`" in problems


def test_diagram_facts_must_be_reported_by_a_rule(tmp_path: Path) -> None:
    cfg = write_pack(
        tmp_path,
        """
diagram:
  roles:
    - {id: endpoint, title: Endpoints, sources: [{facts: [endpoint, nonsense]}], node: "{route}"}
""",
    )
    with pytest.raises(ConfigError) as error:
        config.load_config(tmp_path, cfg)
    assert any(
        "diagram.roles[0].sources[0].facts: no rule reports the fact `nonsense`" in p
        for p in error.value.problems
    )


def test_user_settings_are_checked_and_applied(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("diagram: {comment: always, max_nodes: 3}\n")
    resolved = config.load_config(EXAMPLE, tmp_path / "a.yml")
    assert resolved.diagram is not None
    assert resolved.diagram.settings.comment == "always"
    assert resolved.diagram.settings.max_nodes == 3
    (tmp_path / "b.yml").write_text("diagram: {comment: sometimes, max_nodes: 0, x: 1}\n")
    with pytest.raises(ConfigError) as error:
        config.load_config(EXAMPLE, tmp_path / "b.yml")
    problems = "\n".join(error.value.problems)
    assert "diagram.comment" in problems
    assert "diagram.max_nodes" in problems
    assert "diagram.x: unknown key" in problems


def test_settings_for_a_pack_without_a_diagram_are_an_error(tmp_path: Path) -> None:
    cfg = write_pack(tmp_path, "")
    cfg.write_text("pack: ./pack\ndiagram: {comment: always}\n")
    with pytest.raises(ConfigError) as error:
        config.load_config(tmp_path, cfg)
    assert any("declares no diagram" in p for p in error.value.problems)


def test_edges_between_unknown_roles_are_refused() -> None:
    role = {"id": "endpoint", "title": "E", "sources": [{"facts": ["x"]}], "node": "{route}"}
    with pytest.raises(ValidationError, match="edges\\[0\\]: no role `nowhere`"):
        DiagramSpec.model_validate(
            {"roles": [role], "edges": [{"source": "endpoint", "target": "nowhere"}]}
        )
    with pytest.raises(ValidationError, match="role `endpoint` is declared twice"):
        DiagramSpec.model_validate({"roles": [role, role]})


def test_the_comment_is_drawn_again_from_results_json() -> None:
    """The fork recipe renders the comment from results.json: the declaration travels in it."""
    run = large_platform()
    again = Verification.model_validate_json(render.render_json(run))
    assert again.diagram == run.diagram
    assert renderer().comment(again) == renderer().comment(run)


def excepted_run() -> Verification:
    """A legacy endpoint accepted as an exception, as the exceptions stage leaves it."""
    run = verification(
        [
            *compliant().findings,
            fact("websocket-endpoint", "backend/legacy/old_router.py", 8, route="/ws/legacy"),
        ]
    )
    # the violation moved to the requirement's exceptions
    results = []
    for result in run.requirements:
        accepted = tuple(
            AcceptedException(
                requirement=result.id,
                finding=finding,
                reason="retired next quarter",
                source="config",
                declared_at=".github/pattern-verify.yml: exceptions[0]",
            )
            for finding in result.violations
        )
        results.append(result.model_copy(update={"violations": (), "exceptions": accepted}))
    return run.model_copy(update={"requirements": tuple(results)})


def test_an_accepted_exception_is_drawn_apart_not_as_a_violation() -> None:
    run = excepted_run()
    drawn = diagram.build(run)
    assert drawn is not None
    legacy = next(node for node in drawn.nodes if node.label == "/ws/legacy")
    assert (legacy.mark, legacy.breaks) == ("excepted", ("Single WebSocket Endpoint",))
    report = renderer().report(run)
    assert "ACCEPTED EXCEPTION of Single WebSocket Endpoint" in report
    assert f"class {legacy.id} excepted" in report
    assert "Amber: a violation accepted as an exception" in report

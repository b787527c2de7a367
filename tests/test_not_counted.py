"""Facts a requirement sees and deliberately does not count (the pack's `not_counted`): judged
in `evaluate`, kept in results.json, listed with why under the requirement in the report and
counted in the PR comment; and the message of a capture the code does not set."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from pydantic import ValidationError
from test_evaluate import fact
from test_output_truth import comment_of, report_of, verification
from test_websocket_pack import corpus_repo, requirement, run

from pattern_verify.checks import Count
from pattern_verify.evaluate import evaluate
from pattern_verify.scan import MessageReader
from pattern_verify.specs import NotCountedSpec, RequirementSpec, RuleInfo

RunCli = Callable[..., tuple[int, str, str]]


def endpoint_requirement(*entries: NotCountedSpec) -> RequirementSpec:
    return RequirementSpec(
        id="single-websocket-endpoint",
        title="Single WebSocket Endpoint",
        checks=[Count(facts=["websocket-endpoint"], where={"route": "/live"}, min=1, max=1)],
        not_counted=list(entries),
    )


UNREGISTERED = NotCountedSpec(facts=["websocket-gateway-unregistered"], reason="{registration}")
SHADOWED = NotCountedSpec(
    facts=["websocket-gateway-shadowed"], reason="shares {route} with the gateway at {served_by}"
)
SERVED = NotCountedSpec(
    facts=["socketio-namespace"],
    select={"served_by": "*"},
    reason="a namespace of the server at {served_by} ({path}:{line}, {fact}; {missing})",
)


def test_not_counted_facts_are_listed_with_their_reason_and_never_judged() -> None:
    spec = endpoint_requirement(UNREGISTERED, SHADOWED, SERVED)
    findings = [
        fact("websocket-gateway-shadowed", "src/t.ts", 5, route="/live", served_by="src/d.ts:11"),
        fact("websocket-endpoint", "src/d.ts", 11, route="/live"),
        fact("websocket-gateway-unregistered", "src/r.ts", 7, registration="not registered: x"),
        fact("socketio-namespace", "src/n.ts", 3, served_by="src/d.ts:11"),
        # a namespace of a server's own (`server.of("/chat")`) is not an endpoint left out
        fact("socketio-namespace", "src/s.ts", 2, namespace="/chat"),
    ]
    (result,) = evaluate([spec], findings)
    assert result.status == "pass"
    assert [f.path for f in result.evidence] == ["src/d.ts"]
    # in the findings' order, whatever the order of the entries or the input
    assert [(n.finding.path, n.reason) for n in result.not_counted] == [
        ("src/n.ts", "a namespace of the server at src/d.ts:11 (src/n.ts:3, socketio-namespace; )"),
        ("src/r.ts", "not registered: x"),
        ("src/t.ts", "shares /live with the gateway at src/d.ts:11"),
    ]
    (again,) = evaluate([endpoint_requirement(SERVED, SHADOWED, UNREGISTERED)], findings[::-1])
    assert again.not_counted == result.not_counted
    # they are context: without the declaration the verdict is the same
    (bare,) = evaluate([endpoint_requirement()], findings)
    assert bare.status == result.status and bare.not_counted == ()


def test_a_fact_two_entries_select_is_listed_once_with_the_first_reason() -> None:
    first = NotCountedSpec(facts=["websocket-gateway-shadowed"], reason="first")
    second = NotCountedSpec(facts=["websocket-gateway-shadowed"], reason="second")
    (result,) = evaluate(
        [endpoint_requirement(first, second)], [fact("websocket-gateway-shadowed")]
    )
    assert [n.reason for n in result.not_counted] == ["first"]


def test_a_reason_placeholder_must_name_a_capture() -> None:
    with pytest.raises(ValidationError, match="a placeholder names a capture"):
        NotCountedSpec(facts=["x"], reason="because {not a name}")


HOSTILE = "Evil`Gateway|<script>alert(1)</script>\n# heading @octocat"


def test_hostile_names_and_reasons_stay_text_in_the_report_and_the_comment() -> None:
    spec = endpoint_requirement(UNREGISTERED)
    hostile = fact(
        "websocket-gateway-unregistered",
        "src/back`tick|<b>.ts",
        7,
        registration=f"not registered: provided by `{HOSTILE}` ({HOSTILE}), so Nest does not "
        "serve it",
    ).model_copy(update={"message": f"NestJS gateway class `{HOSTILE}` ({HOSTILE})"})
    (result,) = evaluate([spec], [hostile])
    base = verification(base=False)
    v = base.model_copy(
        update={"requirements": (result, *base.requirements), "findings": (hostile,)}
    )
    report = report_of(v)
    section = report[report.index("**Also seen, not counted (1):**") :]
    line = next(ln for ln in section.splitlines() if ln.startswith("- "))
    html = cmarkgfm.github_flavored_markdown_to_html(line, options=Options.CMARK_OPT_UNSAFE)
    assert "<script" not in html and "<b>" not in html and "<h1" not in html
    # the item stays one list item with its parts in order, nothing spilling out of it
    assert html.count("<li>") == 1 and "\n" not in line
    text = re.sub(r"<[^>]+>", "", html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "@\u2060octocat" in text
    assert text.index("src/back`tick|&lt;b&gt;.ts:7") < text.index("not registered")
    comment = comment_of(v)
    assert "\n_Also seen, not counted: 1 (each with why in the verification document" in comment
    assert "<script" not in comment


def test_a_capture_the_code_does_not_set_is_said_to_be_not_set() -> None:
    rule = RuleInfo(
        id="nestjs-websocket-gateway",
        fact="websocket-endpoint",
        message="NestJS gateway class `$GATEWAY` (@WebSocketGateway) with path `$PATH` and "
        "namespace `$NAMESPACE` (the route follows from the adapter)",
        captures=("gateway", "path", "namespace"),
        languages=("typescript",),
        file=Path("rules.yaml"),
        defaults=(("namespace", "/"),),
    )
    captures, _, message = MessageReader(rule).read(
        "NestJS gateway class `LiveGateway` (@WebSocketGateway) with path `$PATH` and "
        "namespace `$NAMESPACE` (the route follows from the adapter)"
    )
    assert captures == {"gateway": "LiveGateway", "namespace": "/"}
    assert message == (
        "NestJS gateway class `LiveGateway` (@WebSocketGateway) with path not set and "
        "namespace `/` (the route follows from the adapter)"
    )


def section_of(report: str, title: str) -> str:
    start = report.index(f" {title}\n\n**Status:**")
    return report[start : report.index("\n---\n", start)]


def test_the_report_says_which_nest_gateways_it_saw_and_did_not_count(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """nestjs-ws-fleet: one endpoint, /live, though three classes are `@WebSocketGateway`s;
    the report says which two it saw and why it does not count them."""
    root = corpus_repo(tmp_path, "nestjs-ws-fleet", "parameters:\n  endpoint_path: /live\n")
    _, results, output = run(run_cli, root, tmp_path / "out")
    endpoint = requirement(results, "single-websocket-endpoint")
    assert endpoint["status"] == "pass", output
    assert [(n["finding"]["path"], n["finding"]["fact"]) for n in endpoint["not_counted"]] == [
        ("src/replay/replay.gateway.ts", "websocket-gateway-unregistered"),
        ("src/tracking/tracking.gateway.ts", "websocket-gateway-shadowed"),
    ]
    report = (tmp_path / "out/report.md").read_text(encoding="utf-8")
    section = section_of(report, "Single WebSocket Endpoint")
    assert "**Also seen, not counted (2):**" in section
    items = [ln for ln in section.splitlines() if "— NestJS gateway class" in ln]
    evidence, replay, tracking = items
    assert "src/dispatch/dispatch.gateway.ts:11" in evidence
    assert "[`src/replay/replay.gateway.ts:5`](https://github.com/acme/platform/blob/" in replay
    assert "`ReplayGateway`" in replay and "with path `'/replay'`" in replay
    assert "not registered: provided by `ReplayModule` (src/replay/replay.module.ts)" in replay
    assert "`TrackingGateway`" in tracking
    assert "so this gateway and the one at src/dispatch/dispatch.gateway.ts:11 are one" in tracking
    # no other requirement lists them
    assert report.count("Also seen, not counted") == 1
    comment = (tmp_path / "out/comment.md").read_text(encoding="utf-8")
    assert comment.count("\n_Also seen, not counted: 2 (each with why") == 1
    assert "ReplayGateway" not in comment  # compact: the count only


def test_the_report_says_which_gateway_is_a_namespace_of_another_s_server(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """nestjs-modules: the notifications gateway is a namespace of the chat gateway's server,
    the legacy one no module provides; the requirement fails on its own violations, and lists
    both as seen and not counted."""
    root = corpus_repo(tmp_path, "nestjs-modules", "parameters:\n  endpoint_path: /socket.io\n")
    code, results, output = run(run_cli, root, tmp_path / "out")
    assert code == 1, output
    endpoint = requirement(results, "single-websocket-endpoint")
    assert [n["finding"]["path"] for n in endpoint["not_counted"]] == [
        "src/legacy/legacy.gateway.ts",
        "src/notifications/notifications.gateway.ts",
    ]
    report = (tmp_path / "out/report.md").read_text(encoding="utf-8")
    section = section_of(report, "Single WebSocket Endpoint")
    (legacy,) = [ln for ln in section.splitlines() if "legacy.gateway.ts:5`" in ln]
    assert "no `@Module` of the files scanned provides it" in legacy
    assert "with path `'/legacy-ws'`" in legacy
    (notifications,) = [ln for ln in section.splitlines() if "notifications.gateway.ts:5`" in ln]
    assert (
        "a namespace (`/notifications`) of the socket.io server the gateway at "
        "src/chat/chat.gateway.ts:11 opens on the same port and path: one endpoint"
    ) in notifications
    # the namespace is still a logical channel, where that requirement counts it
    channels = section_of(report, "Logical Channel Routing")
    assert "notifications.gateway.ts" in channels and "not counted" not in channels
    comment = (tmp_path / "out/comment.md").read_text(encoding="utf-8")
    line = "\n_Also seen, not counted: 2 (each with why in the verification document, under "
    assert line + "Single WebSocket Endpoint)._\n\n</details>" in comment


def test_the_report_says_which_python_socketio_server_it_counted_through_its_app(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """python-socketio-namespaces: the one endpoint is the `ASGIApp` in app/main.py; the
    `AsyncServer` it wraps, in app/server.py, is listed as seen and counted there."""
    root = corpus_repo(
        tmp_path,
        "python-socketio-namespaces",
        "parameters:\n  endpoint_path: /dispatch/socket.io\n",
    )
    _, results, output = run(run_cli, root, tmp_path / "out")
    endpoint = requirement(results, "single-websocket-endpoint")
    assert endpoint["status"] == "pass", output
    assert [e["path"] for e in endpoint["evidence"]] == ["app/main.py"]
    (served,) = endpoint["not_counted"]
    assert (served["finding"]["fact"], served["finding"]["path"]) == (
        "websocket-server-served",
        "app/server.py",
    )
    reason = "served by `socketio.ASGIApp` at app/main.py:24 (/dispatch/socket.io): counted there"
    assert served["reason"] == reason
    report = (tmp_path / "out/report.md").read_text(encoding="utf-8")
    section = section_of(report, "Single WebSocket Endpoint")
    assert "**Also seen, not counted (1):**" in section
    (item,) = [ln for ln in section.splitlines() if "app/server.py:7`" in ln]
    assert item.startswith("- [`app/server.py:7`](https://github.com/acme/platform/blob/")
    assert "python-socketio server `sio` created (`socketio.AsyncServer`)" in item
    assert item.endswith(" — " + reason)
    # the server is no endpoint of its own anywhere else in the report
    assert report.count("app/server.py:7") == 1
    comment = (tmp_path / "out/comment.md").read_text(encoding="utf-8")
    assert comment.count("\n_Also seen, not counted: 1 (each with why") == 1

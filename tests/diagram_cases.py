"""Runs whose diagrams the tests draw and Mermaid renders: a large, real-looking platform
(200 facts) and one whose names are hostile. Their findings are judged by the default pack's
real requirements (evaluate), so every mark in the diagram comes from a real verdict."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from conftest import EXAMPLE

from pattern_verify import compare, config, evaluate
from pattern_verify.models import Finding, Repository, Revision, Scope, Verification

PACK = config.load_config(EXAMPLE)

_RULES = {
    "websocket-endpoint": "fastapi-websocket-route",
    "frontend-websocket-client": "js-websocket-constructor",
    "websocket-client": "python-websockets-connect",
    "abstraction-access": "get-abstraction-call",
    "gateway-instantiation": "gateway-instantiation",
    "channel-publish": "redis-publish",
    "channel-subscribe": "redis-subscribe",
    "socket-routing": "per-socket-send-loop",
}


def fact(kind: str, path: str, line: int = 10, **captures: str) -> Finding:
    return Finding(
        rule_id=_RULES[kind],
        fact=kind,
        path=path,
        line=line,
        end_line=line,
        message=f"{kind} found",
        text=f"{kind} {sorted(captures.items())}",
        captures=captures,
    )


def verification(findings: Iterable[Finding], new_paths: Iterable[str] = ()) -> Verification:
    """The default pack's verdict on these facts; facts in `new_paths` are new in the change."""
    new = set(new_paths)
    marked = [
        f.model_copy(update={"change": "new" if f.path in new else "existing"}) for f in findings
    ]
    head = compare.prepare(PACK.requirements, marked)
    results = evaluate.evaluate(PACK.requirements, head)
    return Verification(
        tool_version="test",
        title=PACK.title,
        pack=PACK.pack.id,
        config_id=PACK.config_id,
        status="pass" if all(r.passed for r in results) else "fail",
        repository=Repository(
            url="https://github.com/acme/platform",
            head=Revision(sha="a" * 40, short_sha="aaaaaaa", date="2025-01-16"),
            base=Revision(sha="b" * 40, short_sha="bbbbbbb") if new else None,
            base_ref="main" if new else None,
        ),
        scope=Scope(root="."),
        requirements=results,
        findings=head,
        new_violations=sum(1 for f in marked if f.change == "new") if new else None,
        diagram=PACK.diagram,
    )


GATEWAY = "backend/smart_city/services/post_office"


def large_platform() -> Verification:
    """200 facts in a platform of a real shape: the gateway, its owner, 60 services publishing,
    a frontend whose components open their own sockets, legacy endpoints and direct access."""
    facts: list[Finding] = [
        fact("websocket-endpoint", "backend/api/websocket_gateway_router.py", 12, route="/ws"),
        fact(
            "gateway-instantiation",
            f"{GATEWAY}/post_office_service.py",
            18,
            **{"class": "WebSocketGatewayService", "owner": "PostOfficeService"},
        ),
        fact("channel-subscribe", f"{GATEWAY}/websocket_gateway_service.py", 26, channel="guide"),
        fact("channel-publish", f"{GATEWAY}/websocket_gateway_service.py", 40, channel="channel"),
        fact("socket-routing", f"{GATEWAY}/fanout_manager.py", 31),
        fact(
            "frontend-websocket-client",
            "frontend/src/lib/websocket_client.ts",
            5,
            target="wss://platform.example/ws",
        ),
    ]
    pillars = ["content", "guide", "insights", "operations", "journey", "solution"]
    for index in range(60):  # 120 facts: services publish and subscribe to pillar channels
        pillar = pillars[index % len(pillars)]
        path = f"backend/smart_city/services/{pillar}/handlers/handler_{index:02d}.py"
        facts.append(fact("channel-publish", path, 20, channel=f"pillar:{pillar}"))
        facts.append(fact("channel-subscribe", path, 30, channel=f"agent:{index % 9}"))
    for index in range(30):  # 30 components opening their own sockets, in 24 files
        path = f"frontend/src/components/widgets/Widget{index % 24:02d}.tsx"
        facts.append(
            fact(
                "frontend-websocket-client",
                path,
                10 + index,
                target="wss://platform.example/ws" if index % 3 else "/api/ws/live",
            )
        )
    for index in range(12):  # legacy endpoints
        facts.append(
            fact(
                "websocket-endpoint",
                f"backend/legacy/routers/router_{index:02d}.py",
                8,
                route=f"/api/ws/legacy/{index}",
            )
        )
    facts.append(fact("websocket-endpoint", "backend/realtime/raw_server.py", 14))
    for index in range(12):  # direct access to the abstraction
        facts.append(
            fact(
                "abstraction-access",
                f"backend/smart_city/services/legacy/service_{index:02d}.py",
                9,
                name="websocket",
            )
        )
    for index in range(8):  # gateways created outside their owner
        facts.append(
            fact(
                "gateway-instantiation",
                f"backend/smart_city/services/rogue/rogue_{index}.py",
                7,
                **{"class": "WebSocketGatewayService", "owner": f"RogueService{index}"},
            )
        )
    for index in range(10):
        facts.append(
            fact("websocket-client", f"backend/workers/worker_{index}.py", 11, target="ws://x/ws")
        )
    facts.append(fact("socket-routing", "backend/smart_city/services/content/broadcast.py", 17))
    assert len(facts) == 200, len(facts)
    new = {f"backend/legacy/routers/router_{i:02d}.py" for i in (3, 7)}
    new |= {"frontend/src/components/widgets/Widget05.tsx", "backend/workers/worker_1.py"}
    return verification(facts, new_paths=new)


HOSTILE_NAMES = [
    'evil"]; click n1 "javascript:alert(1)"; x["',
    "a|b`code`<img src=x onerror=alert(1)>",
    "line\nbreak\r\n  click n1 call alert()",
    "%%{init: {'securityLevel': 'loose'}}%%",
    "#quot;#35;#60;script#62; &lt;b&gt; &amp; ;;",
    "end",
    "x --> y:::violation",
    "style n1 fill:#f00;stroke:#0f0;",
    "classDef violation fill:#0f0",
    "ünïcødé/日本語/😀/\u202eevil\u202c",
    "[link](https://evil.example) www.evil.example @someone #1",
    "`markdown **string**`",
]


def hostile() -> Verification:
    """Every label a hostile name: paths, routes, class names, channels, targets."""
    facts: list[Finding] = []
    for index, name in enumerate(HOSTILE_NAMES):
        path = f"src/{name}/f{index}.py"
        facts.append(fact("websocket-endpoint", path, 1, route=name))
        facts.append(fact("frontend-websocket-client", f"web/{name}.ts", 2, target=name))
        facts.append(
            fact(
                "gateway-instantiation",
                path,
                3,
                **{"class": "WebSocketGatewayService", "owner": name},
            )
        )
        facts.append(fact("channel-publish", path, 4, channel=name))
        facts.append(fact("abstraction-access", path, 5, name="websocket"))
    return verification(facts, new_paths=[f"src/{HOSTILE_NAMES[0]}/f0.py"])


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def undecided_targets() -> Verification:
    """Clients as linking leaves them when their targets are not read: a frontend client whose
    target only the running code knows, one whose target is undecided, and a Python service
    connecting to a URL held in a variable (undecided) beside one connecting elsewhere."""

    def unread(finding: Finding, reason: str, **captures: str) -> Finding:
        return finding.model_copy(
            update={
                "captures": {**finding.captures, **captures},
                "unresolved": ("target",) if reason == "target_unresolved" else (),
            }
        )

    return verification(
        [
            fact("websocket-endpoint", "backend/api/websocket_gateway_router.py", 9, route="/ws"),
            unread(
                fact("frontend-websocket-client", "frontend/src/quotes.ts", 4),
                "target_runtime",
                declared_target="cfg.QUOTES_URL",
                target_runtime="target `cfg.QUOTES_URL` is assigned `import.meta.env.X`",
            ),
            unread(
                fact("frontend-websocket-client", "frontend/src/news.ts", 8),
                "target_unresolved",
                declared_target="SHARED_URL",
                target_unresolved="target `SHARED_URL` is a re-export, not followed",
            ),
            unread(
                fact("websocket-client", "backend/services/settlement.py", 15),
                "target_unresolved",
                declared_target="url",
                target_unresolved="target `url` is not known statically",
            ),
            fact(
                "websocket-client",
                "backend/services/risk.py",
                9,
                target="ws://gateway:8000/other",
            ),
        ]
    )

"""The result models' own behaviour (pure): a finding's identity within a run."""

from __future__ import annotations

from pattern_verify.models import (
    Finding,
    Repository,
    RequirementResult,
    Revision,
    Scope,
    Verification,
)


def endpoint(route: str, line: int = 3) -> Finding:
    return Finding(
        rule_id="websocket-endpoint",
        fact="websocket-endpoint",
        path="app/chat.py",
        line=line,
        end_line=line + 1,
        message='WebSocket endpoint "/ws"',
        captures={"declared_route": "/ws", "route": route, "router": "router"},
    )


def test_a_finding_is_its_rule_and_place_whatever_linking_or_comparing_added() -> None:
    """`link` makes a version of an endpoint per full route it is reached at: the same rule at
    the same place, one finding (as every stage counts it: evaluate, exceptions, the diagram,
    the annotations and `Verification.violations`)."""
    first, second = endpoint("/a/ws"), endpoint("/b/ws")
    assert first.key == second.key == ("websocket-endpoint", "app/chat.py", 3, 1)
    assert endpoint("/a/ws", line=9).key != first.key
    assert first.model_copy(update={"change": "new", "fingerprint": "f"}).key == first.key
    verification = Verification(
        tool_version="0.1.0",
        title="T",
        pack="p",
        config_id="p",
        status="fail",
        repository=Repository(head=Revision(sha="a" * 40)),
        scope=Scope(root="."),
        requirements=(
            RequirementResult(id="single", title="Single", status="fail", violations=(first,)),
            RequirementResult(id="other", title="Other", status="fail", violations=(second,)),
        ),
    )
    assert verification.violations == (first,)

"""Each requirement kind, judged on hand-made findings (pure: no semgrep, no files)."""

from __future__ import annotations

from pattern_verify.checks import Check, Confine, Count, Forbid, Require
from pattern_verify.evaluate import bears_on, evaluate
from pattern_verify.models import Finding
from pattern_verify.specs import RequirementSpec


def fact(kind: str, path: str = "app/x.py", line: int = 1, **captures: str) -> Finding:
    return Finding(
        rule_id=f"rule-{kind}",
        fact=kind,
        path=path,
        line=line,
        end_line=line,
        message=f"{kind} at {path}:{line}",
        text=f"text {line}",
        captures=captures,
    )


def requirement(*checks: Check) -> RequirementSpec:
    return RequirementSpec(id="req", title="Req", checks=list(checks))


def judge(spec: RequirementSpec, *findings: Finding):  # type: ignore[no-untyped-def]
    (result,) = evaluate([spec], findings)
    return result


def test_forbid_makes_every_selected_fact_a_violation() -> None:
    spec = requirement(Forbid(facts=["access"], select={"name": "websocket"}))
    bad = fact("access", name="websocket")
    other = fact("access", line=2, name="redis")
    result = judge(spec, bad, other)
    assert result.status == "fail"
    assert [f.line for f in result.violations] == [1]
    assert result.evidence == ()


def test_forbid_passes_without_selected_facts() -> None:
    spec = requirement(Forbid(facts=["access"], select={"name": "websocket"}))
    result = judge(spec, fact("access", name="redis"))
    assert result.status == "pass"
    assert result.violations == ()


def test_require_needs_min_evidence_and_reports_the_shortfall() -> None:
    spec = requirement(
        Require(
            facts=["made"],
            select={"class": "Gateway"},
            where={"owner": "Office"},
            min=1,
        )
    )
    missing = judge(spec)
    assert missing.status == "fail"
    assert missing.problems == (
        "expected at least 1 `made` with class `Gateway` and owner `Office`; found 0",
    )
    outside = judge(
        spec,
        fact("made", owner="Office", **{"class": "Gateway"}),
        fact("made", line=9, owner="Router", **{"class": "Gateway"}),
    )
    assert outside.status == "fail"
    assert [f.line for f in outside.evidence] == [1]
    assert [f.line for f in outside.violations] == [9]
    ok = judge(spec, fact("made", owner="Office", **{"class": "Gateway"}))
    assert ok.status == "pass" and len(ok.evidence) == 1


def test_count_splits_matching_and_other_facts() -> None:
    spec = requirement(Count(facts=["endpoint"], where={"route": "/ws"}, min=1, max=1))
    result = judge(
        spec, fact("endpoint", route="/ws"), fact("endpoint", "chat.py", 4, route="/api/ws/chat")
    )
    assert result.status == "fail"
    assert [f.path for f in result.evidence] == ["app/x.py"]
    assert [f.path for f in result.violations] == ["chat.py"]


def test_count_above_max_makes_all_matching_facts_violations() -> None:
    spec = requirement(Count(facts=["endpoint"], where={"route": "/ws"}, min=1, max=1))
    result = judge(spec, fact("endpoint", route="/ws"), fact("endpoint", "b.py", route="/ws"))
    assert result.status == "fail"
    assert len(result.violations) == 2
    assert result.problems == ("expected exactly 1 `endpoint` with route `/ws`; found 2",)


def test_count_treats_a_missing_capture_as_not_matching() -> None:
    spec = requirement(Count(facts=["endpoint"], where={"route": "/ws"}, min=1, max=1))
    result = judge(spec, fact("endpoint", route="/ws"), fact("endpoint", "raw_server.py"))
    assert [f.path for f in result.violations] == ["raw_server.py"]


def test_confine_allows_facts_only_inside_allowed_paths() -> None:
    spec = requirement(Confine(facts=["client"], allowed_paths=["**/gateway/*.py"]))
    result = judge(spec, fact("client", "svc/gateway/fanout.py"), fact("client", "svc/other.py"))
    assert [f.path for f in result.evidence] == ["svc/gateway/fanout.py"]
    assert [f.path for f in result.violations] == ["svc/other.py"]


def test_a_requirement_fails_when_any_check_fails() -> None:
    spec = requirement(
        Require(facts=["publish"], min=1),
        Confine(facts=["socket-loop"], allowed_paths=["gateway.py"]),
    )
    result = judge(spec, fact("publish", channel="guide"), fact("socket-loop", "other.py"))
    assert result.status == "fail"
    assert [f.fact for f in result.evidence] == ["publish"]
    assert [f.path for f in result.violations] == ["other.py"]


def test_explain_names_the_broken_check() -> None:
    spec = requirement(Forbid(facts=["access"], explain="direct accesses"))
    assert judge(spec, fact("access")).problems == ("direct accesses: 1",)


def test_explain_counts_only_what_it_describes() -> None:
    # two endpoints on `/ws` and one elsewhere: the one elsewhere is what the explain names;
    # the two on `/ws` are violations because exactly one was expected, which the count says
    spec = requirement(
        Count(facts=["endpoint"], where={"route": "/ws"}, min=1, max=1, explain="not on /ws")
    )
    result = judge(
        spec,
        fact("endpoint", "a.py", route="/ws"),
        fact("endpoint", "b.py", route="/ws"),
        fact("endpoint", "c.py", route="/api"),
    )
    assert result.problems == (
        "not on /ws: 1",
        "expected exactly 1 `endpoint` with route `/ws`; found 2",
    )
    assert [f.path for f in result.violations] == ["a.py", "b.py", "c.py"]
    # only too many on `/ws`: no explain line claims any endpoint is elsewhere
    only_excess = judge(
        spec, fact("endpoint", "a.py", route="/ws"), fact("endpoint", "b.py", route="/ws")
    )
    assert only_excess.problems == ("expected exactly 1 `endpoint` with route `/ws`; found 2",)


def test_bearing_names_the_requirements_a_finding_touches() -> None:
    spec_a = RequirementSpec(id="a", title="A", checks=[Forbid(facts=["x"])])
    spec_b = RequirementSpec(id="b", title="B", checks=[Forbid(facts=["y"], select={"k": "v"})])
    assert bears_on([spec_a, spec_b], fact("x")) == ("a",)
    assert bears_on([spec_a, spec_b], fact("y", k="w")) == ()


def test_a_correct_patterns_state_follows_its_requirement_and_the_facts_seen() -> None:
    from pattern_verify.evaluate import with_pattern_states
    from pattern_verify.models import Pattern, RequirementResult

    endpoint = fact("endpoint", "gw/router.py", 4, route="/ws")
    other = fact("endpoint", "app/x.py", 9, route="/other")
    patterns = (
        Pattern(text="served", facts=("endpoint",), select={"route": "/ws"}),
        Pattern(text="unseen", facts=("endpoint",), select={"route": "/nowhere"}),
        Pattern(text="words"),
    )
    passing = RequirementResult(id="p", title="P", status="pass", correct_patterns=patterns)
    failing = passing.model_copy(update={"id": "f", "status": "fail"})
    settled = with_pattern_states((passing, failing), (other, endpoint))
    got = [(p.text, p.state, p.shown_by, p.missing) for r in settled for p in r.correct_patterns]
    assert got == [
        ("served", "holds", ("gw/router.py:4",), ()),
        ("unseen", "not-seen", (), ("endpoint",)),
        ("words", "not-checked", (), ()),
        ("served", "does-not-hold", (), ()),
        ("unseen", "does-not-hold", (), ()),
        ("words", "not-checked", (), ()),
    ]
    assert with_pattern_states(settled, (other, endpoint)) == settled

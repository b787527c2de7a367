"""Each check kind: what it accepts (and the one-line error for what it does not), and how it
judges hand-made findings (pure: no semgrep)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from pattern_verify import globs
from pattern_verify.checks import (
    CHECK_KINDS,
    BaseCheck,
    Check,
    Confine,
    Count,
    Forbid,
    Require,
    decide,
    meets,
)
from pattern_verify.config import load_config
from pattern_verify.errors import ConfigError, first_problem, validation_problems
from pattern_verify.models import Finding
from pattern_verify.specs import PackSpec

RunCli = Callable[..., tuple[int, str, str]]
CHECK: TypeAdapter[Any] = TypeAdapter(Check)


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


def unresolved(kind: str, path: str, line: int = 1, **captures: str) -> Finding:
    return fact(kind, path, line, **captures).model_copy(update={"unresolved": tuple(captures)})


def lines(findings: list[Finding]) -> list[int]:
    return [f.line for f in findings]


# --- which class a pack's `kind:` makes, with only its own keys ----------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ({"kind": "forbid", "facts": ["a"]}, Forbid(facts=["a"])),
        (
            {"kind": "require", "facts": ["a"], "where": {"owner": "Office"}},
            Require(facts=["a"], where={"owner": "Office"}, min=1),
        ),
        ({"kind": "require", "facts": ["a"], "min": 0}, Require(facts=["a"], min=0)),
        ({"kind": "count", "facts": ["a"], "max": 2}, Count(facts=["a"], max=2)),
        (
            {"kind": "count", "facts": ["a"], "min": 1, "max": 1, "explain": "x"},
            Count(facts=["a"], min=1, max=1, explain="x"),
        ),
        (
            {"kind": "confine", "facts": ["a"], "allowed_paths": ["gw/**"], "select": {"k": "v"}},
            Confine(facts=["a"], allowed_paths=["gw/**"], select={"k": "v"}),
        ),
    ],
)
def test_the_kind_picks_the_class(written: dict[str, Any], expected: BaseCheck) -> None:
    check = CHECK.validate_python(written)
    assert type(check) is type(expected) is CHECK_KINDS[written["kind"]]
    assert check == expected
    # what config substitutes parameters into and validates again
    assert CHECK.validate_python(check.model_dump()) == check


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        (
            {"kind": "forbidd", "facts": ["a"]},
            "checks[0].kind: Input should be 'forbid', 'require', 'count' or 'confine', "
            "not 'forbidd'",
        ),
        (
            {"facts": ["a"]},
            "checks[0].kind: Field required (the check's kind: forbid, require, count, confine)",
        ),
        (
            {"kind": "forbid", "facts": ["a"], "where": {"k": "v"}},
            "checks[0].where: unknown key for a `forbid` check "
            "(its keys: kind, facts, select, explain)",
        ),
        (
            {"kind": "require", "facts": ["a"], "max": 1},
            "checks[0].max: unknown key for a `require` check "
            "(its keys: kind, facts, select, explain, where, min)",
        ),
        (
            {"kind": "count", "facts": ["a"], "allowed_paths": ["x"], "min": 1},
            "checks[0].allowed_paths: unknown key for a `count` check "
            "(its keys: kind, facts, select, explain, where, min, max)",
        ),
        (
            {"kind": "confine", "facts": ["a"], "min": 1, "allowed_paths": ["x"]},
            "checks[0].min: unknown key for a `confine` check "
            "(its keys: kind, facts, select, explain, allowed_paths)",
        ),
        ({"kind": "count", "facts": ["a"]}, "checks[0]: a count check needs `min`, `max` or both"),
        (
            {"kind": "count", "facts": ["a"], "min": 3, "max": 1},
            "checks[0]: `min` (3) is larger than `max` (1)",
        ),
        ({"kind": "confine", "facts": ["a"]}, "checks[0].allowed_paths: Field required"),
        (
            {"kind": "confine", "facts": ["a"], "allowed_paths": []},
            "checks[0]: a confine check needs `allowed_paths`",
        ),
        (
            {"kind": "require", "facts": [], "min": 1},
            "checks[0].facts: List should have at least 1 item after validation, not 0",
        ),
        (
            {"kind": "require", "facts": ["a"], "min": -1},
            "checks[0].min: Input should be greater than or equal to 0",
        ),
        ({"kind": "forbid", "facts": ["a"], "select": {"k": 3}}, "checks[0].select.k: Input"),
        ("forbid", "checks[0]: Input should be a valid dictionary"),
    ],
)
def test_a_bad_check_is_one_line_naming_its_key(written: Any, problem: str) -> None:
    data = {
        "id": "p",
        "title": "P",
        "rules": ["r.yaml"],
        "requirements": [{"id": "r", "title": "R", "checks": [written]}],
    }
    with pytest.raises(ValidationError) as caught:
        PackSpec.model_validate(data)
    problems = validation_problems(caught.value)
    assert problems[0].startswith(f"requirements[0].{problem}"), problems
    assert first_problem(caught.value) == problems[0]
    assert all("\n" not in p for p in problems)


def _pack(root: Path, check_yaml: str) -> Path:
    pack = root / "pack"
    pack.mkdir()
    (pack / "mini.yaml").write_text((FIXTURES / "mini-pack" / "mini.yaml").read_text())
    (pack / "pack.yml").write_text(
        "id: mine\ntitle: Mine\nrules: [mini.yaml]\nrequirements:\n"
        "  - id: one\n    title: One\n    checks:\n"
        "      - kind: forbid\n        facts: [endpoint]\n" + check_yaml
    )
    (root / "pv.yml").write_text("pack: ./pack\n")
    return pack / "pack.yml"


def test_a_pack_with_bad_checks_names_the_file_and_every_key(tmp_path: Path) -> None:
    pack_file = _pack(
        tmp_path,
        "      - kind: confin\n        facts: [print-call]\n"
        "      - kind: forbid\n        facts: [print-call]\n        allowed_paths: [gw/**]\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, tmp_path / "pv.yml")
    assert caught.value.problems == [
        "requirements[0].checks[1].kind: Input should be 'forbid', 'require', 'count' or "
        "'confine', not 'confin'",
        "requirements[0].checks[2].allowed_paths: unknown key for a `forbid` check "
        "(its keys: kind, facts, select, explain)",
    ]
    assert str(caught.value).count(f"{pack_file}: requirements[0].checks[") == 2


def test_init_names_a_bad_check_of_the_pack_in_one_line(tmp_path: Path, run_cli: RunCli) -> None:
    pack_file = _pack(tmp_path, "      - kind: count\n        facts: [print-call]\n")
    code, out, err = run_cli("init", tmp_path, "--pack", "./pack")
    assert code == 2, out + err
    assert err.strip().splitlines() == [
        f"pattern-verify: error: {pack_file}: not a valid pack "
        "(requirements[0].checks[1]: a count check needs `min`, `max` or both)"
    ]


def test_the_bundled_pack_loads_each_check_as_its_kind() -> None:
    resolved = load_config(FIXTURES)  # no config there: the default pack
    kinds = [[type(c).__name__ for c in r.checks] for r in resolved.requirements]
    assert kinds == [
        ["Count"],
        ["Require"],
        ["Require", "Confine"],
        ["Forbid", "Confine", "Forbid", "Confine", "Forbid"],
    ]


# --- judging ----------------------------------------------------------------------------------


def test_forbid_makes_every_selected_fact_a_violation_and_nothing_evidence() -> None:
    check = Forbid(facts=["access"], select={"name": "websocket"})
    judged = check.judge(
        [
            fact("access", line=1, name="websocket"),
            fact("access", line=2, name="redis"),
            fact("other", line=3, name="websocket"),
            unresolved("access", "dyn.py", 4, name="getattr(m, n)"),
        ]
    )
    assert lines(judged.violations) == [1]
    assert judged.evidence == [] and judged.problems == []
    assert [f.path for f in judged.undecided] == ["dyn.py"]
    assert check.describe() == "`access` with name `websocket`"


def test_require_counts_evidence_meeting_where_and_reports_a_shortfall() -> None:
    check = Require(facts=["made"], select={"class": "Gateway"}, where={"owner": "Office"})
    assert check.min == 1
    assert check.describe() == "`made` with class `Gateway` and owner `Office`"
    none = check.judge([fact("made", owner="Office", **{"class": "Other"})])
    assert none.problems == [
        "expected at least 1 `made` with class `Gateway` and owner `Office`; found 0"
    ]
    judged = check.judge(
        [
            fact("made", line=1, owner="Office", **{"class": "Gateway"}),
            fact("made", line=2, owner="Router", **{"class": "Gateway"}),
            unresolved("made", "plugins.py", 3, owner="self.owner").model_copy(
                update={"captures": {"class": "Gateway", "owner": "self.owner"}}
            ),
        ]
    )
    assert lines(judged.evidence) == [1]
    assert lines(judged.violations) == [2]
    assert judged.problems == []
    # undecided on `where`, not only on `select`
    assert [f.path for f in judged.undecided] == ["plugins.py"]


def test_require_with_min_0_passes_without_evidence_but_still_judges_where() -> None:
    check = Require(facts=["made"], where={"owner": "Office"}, min=0)
    assert check.judge([]).problems == []
    assert lines(check.judge([fact("made", line=5, owner="Router")]).violations) == [5]


@pytest.mark.parametrize(
    ("bounds", "routes", "problem", "evidence", "violations"),
    [
        ({"min": 1, "max": 1}, ["/ws"], None, 1, 0),
        (
            {"min": 1, "max": 1},
            [],
            "expected at least 1 `endpoint` with route `/ws`; found 0",
            0,
            0,
        ),
        # above max none of them can be told to be the legitimate one: all are violations
        (
            {"min": 1, "max": 1},
            ["/ws", "/ws"],
            "expected exactly 1 `endpoint` with route `/ws`; found 2",
            0,
            2,
        ),
        (
            {"max": 1},
            ["/ws", "/ws", "/chat"],
            "expected at most 1 `endpoint` with route `/ws`; found 2",
            0,
            3,
        ),
        ({"max": 1}, [], None, 0, 0),
        ({"min": 2}, ["/ws", "/ws", "/ws"], None, 3, 0),
        (
            {"min": 2},
            ["/ws", "/chat"],
            "expected at least 2 `endpoint` with route `/ws`; found 1",
            1,
            1,
        ),
    ],
)
def test_count_holds_the_number_of_matching_facts_within_its_bounds(
    bounds: dict[str, int], routes: list[str], problem: str | None, evidence: int, violations: int
) -> None:
    check = Count(facts=["endpoint"], where={"route": "/ws"}, **bounds)
    judged = check.judge(
        [fact("endpoint", f"app/{i}.py", i, route=r) for i, r in enumerate(routes, start=1)]
    )
    assert judged.problems == ([problem] if problem else [])
    assert (len(judged.evidence), len(judged.violations)) == (evidence, violations)


def test_confine_takes_facts_inside_allowed_paths_as_evidence_and_the_rest_as_violations() -> None:
    check = Confine(facts=["client"], select={"lib": "ws"}, allowed_paths=["**/gateway/*.py"])
    judged = check.judge(
        [
            fact("client", "svc/gateway/fanout.py", 1, lib="ws"),
            fact("client", "svc/other.py", 2, lib="ws"),
            fact("client", "svc/other.py", 3, lib="aiohttp"),  # not selected
        ]
    )
    assert lines(judged.evidence) == [1]
    assert lines(judged.violations) == [2]
    assert judged.problems == []
    assert check.describe() == "`client` with lib `ws`"


def test_a_check_bears_on_what_it_selects_or_cannot_tell() -> None:
    check = Forbid(facts=["x"], select={"k": "v"})
    assert check.bears_on(fact("x", k="v"))
    assert not check.bears_on(fact("x", k="w"))
    assert not check.bears_on(fact("y", k="v"))
    assert check.bears_on(unresolved("x", "a.py", k="getattr(m, n)"))


def test_the_undecided_problem_names_the_keys_and_the_first_five_places() -> None:
    check = Require(facts=["made"], select={"class": "G"}, where={"owner": "O"})
    undecided = [unresolved("made", f"m{i}.py", i, owner="x", other="y") for i in range(1, 8)]
    assert check.undecided_problem(undecided) == (
        "could not decide 7 `made` facts: `owner` not statically known "
        "(`m1.py:1`, `m2.py:2`, `m3.py:3`, `m4.py:4`, `m5.py:5` and 2 more)"
    )


# --- conditions (`select`, `where`) -------------------------------------------------------------


def test_conditions_accept_lists_and_star_patterns() -> None:
    finding = fact("client", target="wss://host/ws")
    assert meets(finding, {"target": ["/ws", "*/ws"]})
    assert not meets(finding, {"target": "*/api/*"})
    assert meets(finding, {"path": "app/**"})
    assert meets(finding, {"fact": ["client", "server"]})


def test_negated_condition_values_exclude() -> None:
    select = {"target": ["*/*", "!*/ws", "!*/ws?*"]}
    assert meets(fact("client", target="wss://host/api/ws/chat"), select)
    assert not meets(fact("client", target="wss://host/ws"), select)
    assert not meets(fact("client", target="`${base}/ws?token=${t"), select)
    assert not meets(fact("client", target="url"), select)  # no path to judge
    assert meets(fact("client", "web/app.ts"), {"path": ["!server/**"]})
    assert not meets(fact("client", "server/a.ts"), {"path": ["!server/**"]})


def one_by_one(finding: Finding, condition: dict[str, str | list[str]]) -> bool | None:
    """`decide` as written before conditions were compiled: each value matched on its own."""
    undecided = False
    for key, value in condition.items():
        expected = [value] if isinstance(value, str) else list(value)
        if key == "fact":
            actual: str | None = finding.fact
        elif key == "path":
            actual = finding.path
        elif key in finding.unresolved:
            undecided = True
            continue
        else:
            actual = finding.captures.get(key)
        if actual is None:
            return False

        def hit(e: str, actual: str = actual, key: str = key) -> bool:
            if key == "path":
                return globs.matches(actual, e)
            pattern = ".*".join(re.escape(part) for part in e.split("*"))
            return re.fullmatch(pattern, actual, re.DOTALL) is not None

        positive = [e for e in expected if not e.startswith("!")]
        negative = [e[1:] for e in expected if e.startswith("!")]
        if positive and not any(hit(e) for e in positive):
            return False
        if any(hit(e) for e in negative):
            return False
    return None if undecided else True


PIECE = st.sampled_from(["a", "b", "/", "ws", ".", "*", "**", "?", "(", "|", "\n", "é"])
VALUE = st.lists(PIECE, max_size=5).map("".join)
EXPECTED = st.lists(st.tuples(st.booleans(), VALUE), min_size=1, max_size=4).map(
    lambda values: [("!" if negated else "") + value for negated, value in values]
)


@settings(max_examples=300, deadline=None)
@given(
    condition=st.dictionaries(
        st.sampled_from(["fact", "path", "route", "name"]),
        st.one_of(VALUE, EXPECTED),
        max_size=3,
    ),
    path=VALUE,
    route=st.one_of(st.none(), VALUE),
    unresolved=st.booleans(),
)
def test_compiled_conditions_decide_as_each_value_on_its_own(
    condition: dict[str, str | list[str]], path: str, route: str | None, unresolved: bool
) -> None:
    # a condition is compiled once into one pattern per key; it decides every fact as matching
    # its values one by one did (globs for `path`, `*` for anything else, `!` excluding)
    captures = {"route": route} if route is not None else {}
    finding = fact("a/b", path or "x", **captures).model_copy(
        update={"unresolved": ("name",) if unresolved else ()}
    )
    assert decide(finding, condition) == one_by_one(finding, condition)

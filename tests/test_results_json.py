"""results.json comes from pydantic's serialiser: the same bytes the standard library's
encoder gives (what earlier versions wrote), whatever the scanned code holds."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pattern_verify.models import (
    Finding,
    Repository,
    RequirementResult,
    Revision,
    Scope,
    Verification,
)
from pattern_verify.render import render_json

TEXT = st.text(st.characters(codec="utf-8"), max_size=40)


def verification(text: str, timings: dict[str, float] | None) -> Verification:
    finding = Finding(
        rule_id="rule",
        fact="fact",
        path=f"app/{text}.py",
        line=3,
        end_line=4,
        message=f"found `{text}`",
        text=text,
        captures={"name": text, text: "value"},
        dynamic=("name",),
        fingerprint="0123456789abcdef0123",
        change="new",
        requirements=("req",),
    )
    return Verification(
        tool_version="1.0",
        title=f"Title {text}",
        pack="pack",
        config_id="config",
        status="fail",
        repository=Repository(head=Revision(sha="a" * 40, short_sha="a" * 7, date="2025-01-15")),
        scope=Scope(root=".", files_by_language={"python": 2}),
        requirements=(
            RequirementResult(id="req", title="Req", status="fail", violations=(finding,)),
        ),
        findings=(finding,),
        new_violations=1,
        timings=timings,
    )


def standard_library(value: Verification) -> str:
    data = value.model_dump(mode="json")
    if value.timings is None:
        data.pop("timings")
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_results_json_has_the_standard_encoders_bytes(text: str) -> None:
    value = verification(text, None)
    assert render_json(value) == standard_library(value)
    assert "timings" not in json.loads(render_json(value))


def test_timings_as_the_pipeline_rounds_them_keep_their_bytes() -> None:
    # the clock rounds to 4 decimals; 1e-05 would be written differently, and never occurs
    timings = {"config": 0.0092, "targets": 0.1623, "scan": 4.1, "evaluate": 0.0, "x": 12.3456}
    value = verification('x \u2028 \x00 "q" \\ 😀', timings)
    assert render_json(value) == standard_library(value)

"""SARIF 2.1.0 for code scanning: valid against the OASIS schema (a copy shipped in
`fixtures/sarif/`, nothing fetched), stable rule ids and fingerprints, within upload limits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import FIXTURES, commit_all, init_repo, write_files
from hypothesis import given, settings
from hypothesis import strategies as st

from pattern_verify import pipeline, sarif
from pattern_verify.models import (
    Finding,
    Repository,
    RequirementResult,
    Revision,
    Scope,
    SkippedFile,
    Verification,
)

SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
MINI_PACK = FIXTURES / "mini-pack"


def test_the_schema_copy_rejects_a_broken_log() -> None:
    validator = jsonschema.Draft4Validator(SCHEMA)
    assert list(validator.iter_errors({"version": "2.1.0"}))  # no runs
    assert list(validator.iter_errors({"version": "2.1.0", "runs": [{"tool": {}}]}))


def assert_valid(log: dict[str, Any]) -> None:
    validator = jsonschema.Draft4Validator(SCHEMA)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def finding(path: str, line: int, change: str | None, rule: str = "mini-print") -> Finding:
    return Finding(
        rule_id=rule,
        fact="print-call",
        path=path,
        line=line,
        end_line=line + 1,
        column=5,
        message=f"print of `x` in {path}",
        text="print(x)",
        fingerprint=f"fp-{rule}-{path}-{line}",
        change=change,  # type: ignore[arg-type]
        requirements=("prints-confined",),
    )


def verification(violations: list[Finding], *, base: bool = True) -> Verification:
    return Verification(
        tool_version="0.1.0",
        title="Mini Pattern Verification",
        pack="mini",
        config_id="mini:.github/pattern-verify.yml",
        status="fail",
        repository=Repository(
            url="https://github.com/o/r",
            head=Revision(sha="a" * 40, short_sha="aaaaaaa", ref="feature"),
            base=Revision(sha="b" * 40) if base else None,
            base_ref="main" if base else None,
        ),
        scope=Scope(
            root=".",
            not_verified=(
                SkippedFile(path="web/app.vue", reason="semgrep cannot parse this file type"),
            ),
            errors=("semgrep: timeout on big.py",),
        ),
        requirements=(
            RequirementResult(
                id="prints-confined",
                title="Prints Confined",
                status="fail",
                description="Printing happens in the gateway only.",
                violations=tuple(violations),
                correct_patterns=("Print in `gateway/`.",),
                anti_patterns=("Printing in services.",),
            ),
            RequirementResult(
                id="one-endpoint",
                title="One Endpoint",
                status="fail",
                problems=("no endpoint at `/ws` found",),
            ),
            RequirementResult(id="passing", title="Passing", status="pass"),
        ),
    )


def test_violations_become_valid_results_with_stable_ids_and_fingerprints() -> None:
    old = finding("app/old file.py", 3, "existing")
    new = finding("app/new.py", 10, "new")
    log = sarif.to_sarif(verification([old, new]))
    assert_valid(log)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "pattern-verify" and driver["version"] == "0.1.0"
    assert [rule["id"] for rule in driver["rules"]] == ["prints-confined/mini-print"]
    assert driver["rules"][0]["defaultConfiguration"] == {"level": "error"}
    assert "Print in `gateway/`." in driver["rules"][0]["help"]["markdown"]

    first, second = run["results"]
    # new violations first
    assert first["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "app/new.py",
        "uriBaseId": "%SRCROOT%",
    }
    assert first["baselineState"] == "new" and second["baselineState"] == "unchanged"
    for result, source in ((first, new), (second, old)):
        assert result["ruleId"] == "prints-confined/mini-print"
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == "error"
        assert result["partialFingerprints"] == {"patternVerify/v1": source.fingerprint}
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region == {
            "startLine": source.line,
            "endLine": source.end_line,
            "startColumn": 5,
            "snippet": {"text": "print(x)"},
        }
        assert len(result["locations"]) == 1  # code scanning reads one location
    # a path with a space is a valid URI reference
    assert (
        second["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/old%20file.py"
    )

    # what has no place in the code is a notification, not a result
    notifications = run["invocations"][0]["toolExecutionNotifications"]
    messages = [n["message"]["text"] for n in notifications]
    assert "One Endpoint: no endpoint at `/ws` found" in messages
    assert any("web/app.vue: not verified" in m for m in messages)
    assert "semgrep: timeout on big.py" in messages
    # one analysis per config
    assert run["automationDetails"]["id"] == "pattern-verify/mini:.github/pattern-verify.yml/"
    assert run["versionControlProvenance"][0]["revisionId"] == "a" * 40


def test_the_output_is_deterministic() -> None:
    findings = [finding(f"app/f{i}.py", i + 1, "new" if i % 2 else "existing") for i in range(20)]
    assert sarif.dumps(verification(findings)) == sarif.dumps(
        verification(list(reversed(findings)))
    )


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=40))
def test_the_file_has_the_standard_encoders_bytes(text: str) -> None:
    # written by pydantic's serialiser: byte for byte what `json.dumps` wrote before, whatever
    # paths, messages and matched code hold (quotes, backslashes, controls, U+2028, emoji)
    hostile = finding(f"app/{text}.py", 3, "new").model_copy(
        update={"message": f"found `{text}`", "text": text}
    )
    value = verification([hostile])
    expected = json.dumps(sarif.to_sarif(value), indent=2, ensure_ascii=False) + "\n"
    assert sarif.dumps(value) == expected


def test_more_than_5000_results_are_cut_with_a_notification_keeping_new_ones() -> None:
    findings = [finding(f"old/f{i:05}.py", 1, "existing") for i in range(5_500)]
    findings += [finding(f"new/f{i:05}.py", 1, "new") for i in range(700)]
    log = sarif.to_sarif(verification(findings))
    (run,) = log["runs"]
    assert len(run["results"]) == sarif.MAX_RESULTS == 5_000
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    ]
    assert all(uri.startswith("new/") for uri in uris[:700])
    (cut,) = [
        n
        for n in run["invocations"][0]["toolExecutionNotifications"]
        if n["descriptor"]["id"] == "pattern-verify/results-cut"
    ]
    assert cut["message"]["text"].startswith("1200 of 6200 violations are not in this SARIF file")
    assert run["properties"]["violations"] == 6_200
    assert_valid(log)


def test_a_passing_run_is_a_valid_log_without_results() -> None:
    passing = verification([]).model_copy(
        update={
            "status": "pass",
            "requirements": (RequirementResult(id="passing", title="Passing", status="pass"),),
            "scope": Scope(root="."),
        }
    )
    log = sarif.to_sarif(passing)
    assert_valid(log)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


@pytest.mark.parametrize("base", [True, False])
def test_a_real_run_converts_with_the_fingerprints_of_results_json(
    tmp_path: Path, base: bool
) -> None:
    root = tmp_path / "repo"
    repo = init_repo(
        root,
        {
            ".github/pattern-verify.yml": f"pack: {MINI_PACK}\n",
            "gateway/router.py": '@router.websocket("/ws")\ndef ws(s):\n    print("ok")\n',
            "app/service.py": "def handle(x):\n    return x\n",
        },
    )
    write_files(root, {"app/service.py": "def handle(x):\n    print(x)\n    return x\n"})
    commit_all(repo, "a print outside the gateway")
    outcome = pipeline.run(
        pipeline.RunOptions(
            root=root, base="HEAD~1" if base else None, repo_url="https://github.com/o/r"
        )
    )
    log = json.loads(sarif.dumps(outcome.verification))
    assert_valid(log)
    results = json.loads(outcome.results_json)
    expected = {v["fingerprint"] for r in results["requirements"] for v in r["violations"]}
    got = {r["partialFingerprints"]["patternVerify/v1"] for r in log["runs"][0]["results"]}
    assert got == expected and got
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "prints-confined/mini-print"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    assert ("baselineState" in result) is base

"""What the output says is true of the run, and says first what decides the check.

Issue #12: the gate's headline (comment, report, terminal), sections that claim only what was
seen (anti-patterns found, correct patterns holding, missing evidence), links that resolve
(fixed lines at the base), annotations that follow the gate, each finding once, and answers
instead of crashes (output encoding, missing paths, empty scopes, template literals,
uncommitted trees)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import git
import pytest
from conftest import commit_all, write_files
from test_websocket_pack import CHAT_ROUTER, DIRECT_ACCESS_SERVICE

from pattern_verify import pipeline, render, workflow_commands
from pattern_verify.gate import gate
from pattern_verify.models import (
    FailOn,
    Finding,
    Pattern,
    Repository,
    RequirementResult,
    Revision,
    Scope,
    Verification,
)
from pattern_verify.scan import MessageReader
from pattern_verify.specs import RuleInfo
from pattern_verify.text import summary as terminal_summary

RunCli = Callable[..., tuple[int, str, str]]
PlatformRepo = Callable[..., tuple[git.Repo, Path]]
HEAD = "a" * 40
BASE = "b" * 40
URL = "https://github.com/acme/platform"


def finding(
    path: str,
    line: int,
    change: str | None,
    *,
    rule: str = "abstraction-access-by-name",
    fact: str = "abstraction-access",
    message: str = 'Infrastructure abstraction `"websocket"` fetched directly by name. '
    "Services must use the gateway.",
) -> Finding:
    return Finding(
        rule_id=rule,
        fact=fact,
        path=path,
        line=line,
        end_line=line,
        message=message,
        text=f"get_abstraction('websocket')  # {path}:{line}",
        fingerprint=f"fp-{rule}-{path}-{line}",
        change=change,  # type: ignore[arg-type]
    )


def endpoint(path: str, line: int, route: str, change: str | None = "existing") -> Finding:
    return finding(
        path,
        line,
        change,
        rule="websocket-endpoint-decorator",
        fact="websocket-endpoint",
        message=f'WebSocket endpoint `"{route}"` declared with a route decorator.',
    )


def verification(
    *,
    violations: tuple[Finding, ...] = (),
    evidence: tuple[Finding, ...] = (),
    fixed: tuple[Finding, ...] = (),
    change: str | None = "unchanged",
    fail_on: FailOn = "new",
    base: bool = True,
    ownership_missing: bool = False,
) -> Verification:
    """A platform where `No Direct WebSocket Access` has `violations`; Post Office Ownership
    fails for missing evidence when `ownership_missing`."""
    direct = RequirementResult(
        id="no-direct-websocket-access",
        title="No Direct WebSocket Access",
        status="fail" if violations else "pass",
        problems=(f"direct accesses to the `websocket` abstraction: {len(violations)}",)
        if violations
        else (),
        violations=violations,
        evidence=evidence,
        change=change if base else None,  # type: ignore[arg-type]
        correct_patterns=(Pattern(text="Services use Post Office APIs."),),
        anti_patterns=(
            Pattern(
                text='`get_abstraction("websocket")` outside the gateway.',
                rules=("abstraction-access-*",),
            ),
            Pattern(text="Services creating their own connections.", rules=("websocket-client-*",)),
        ),
    )
    ownership = RequirementResult(
        id="post-office-ownership",
        title="Post Office Ownership",
        status="fail" if ownership_missing else "pass",
        problems=("expected at least 1 `gateway-instantiation`; found 0",)
        if ownership_missing
        else (),
        change="unchanged" if base else None,
        correct_patterns=(
            Pattern(
                text="`PostOfficeService` creates the gateway.", facts=("gateway-instantiation",)
            ),
        ),
    )
    requirements = (ownership, direct)
    passed = all(r.passed for r in requirements)
    new = sum(1 for f in violations if f.change == "new")
    return Verification(
        tool_version="0.1.0",
        title="WebSocket Pattern Verification",
        pack="websocket-gateway",
        config_id="websocket-gateway",
        status="pass" if passed else "fail",
        fail_on=fail_on,
        repository=Repository(
            url=URL,
            head=Revision(sha=HEAD, short_sha=HEAD[:7], date="2025-01-16", ref="feature"),
            base=Revision(sha=BASE, short_sha=BASE[:7]) if base else None,
            base_ref="main" if base else None,
            changed_files=2 if base else None,
        ),
        scope=Scope(root=".", files_scanned=20),
        requirements=requirements,
        findings=(*violations, *evidence),
        fixed=fixed if base else (),
        new_violations=new if base else None,
        fixed_violations=len(fixed) if base else None,
    )


def comment_of(v: Verification, **options: object) -> str:
    links = render.Links(URL, HEAD, BASE)
    return render.Renderer(pipeline.load_templates(None), links).comment(v, **options)  # type: ignore[arg-type]


def report_of(v: Verification) -> str:
    return render.Renderer(pipeline.load_templates(None), render.Links(URL, HEAD, BASE)).report(v)


def terminal_of(v: Verification) -> str:
    return terminal_summary(v)


# --- the headline is the gate ------------------------------------------------------------------


DEBT = tuple(finding(f"backend/services/s{i}.py", 9, "existing") for i in range(3))


def test_a_clean_pr_on_a_repository_with_debt_passes_and_says_why_first() -> None:
    v = verification(violations=DEBT, ownership_missing=True)
    decision = gate(v)
    assert not decision.failed and decision.exit_code == 0
    comment = comment_of(v)
    lines = comment.splitlines()
    assert lines[1] == (
        "### ✅ No new violations — 2 requirements still failing on `main` (3 existing violations)"
    )
    assert lines[3].startswith("Gate `fail-on: new`: the check fails when the change adds")
    assert lines[5] == "| Requirement | Status | Violations | Evidence |"
    assert "❌ WebSocket" not in comment  # no big red verdict on a passing check
    # nothing new: no requirement is unfolded
    assert "<details open>" not in comment
    out = terminal_of(v)
    assert out.splitlines()[0] == (
        "✅ No new violations — 2 requirements still failing on main (3 existing violations)"
    )
    assert out.splitlines()[-1] == "exit 0 (fail-on: new)"


def test_a_violating_pr_fails_naming_what_it_adds_and_breaks() -> None:
    added = finding("backend/services/new.py", 4, "new")
    v = verification(violations=(added,), change="regressed")
    assert gate(v).failed
    comment = comment_of(v)
    assert comment.splitlines()[1] == (
        "### ❌ This change adds 1 violation and breaks No Direct WebSocket Access"
    )
    assert (
        "<details open>\n<summary>❌ No Direct WebSocket Access: 1 violation, 1 new</summary>"
        in comment
    )
    assert terminal_of(v).splitlines()[0] == (
        "❌ This change adds 1 violation and breaks No Direct WebSocket Access"
    )


@pytest.mark.parametrize(
    ("fail_on", "base", "icon", "headline", "policy"),
    [
        (
            "any",
            True,
            "❌",
            "1 of 2 requirements fails (3 violations) — this change adds no violation",
            "Gate `fail-on: any`: the check fails while any requirement fails.",
        ),
        (
            "never",
            True,
            "✅",
            "No new violations — 1 requirement still failing on `main` (3 existing violations)",
            "Gate `fail-on: never`: the check never fails",
        ),
        (
            "new",
            False,
            "❌",
            "1 of 2 requirements fails (3 violations)",
            "Gate `fail-on: new`, without a base to compare with",
        ),
        ("any", False, "❌", "1 of 2 requirements fails (3 violations)", "Gate `fail-on: any`"),
    ],
)
def test_the_headline_follows_the_policy(
    fail_on: FailOn, base: bool, icon: str, headline: str, policy: str
) -> None:
    decision = gate(verification(violations=DEBT, fail_on=fail_on, base=base))
    assert (decision.icon, decision.headline) == (icon, headline)
    assert decision.policy.startswith(policy)


def test_fail_on_never_warns_instead_of_failing() -> None:
    v = verification(violations=(finding("a/b.py", 1, "new"),), change="regressed", fail_on="never")
    decision = gate(v)
    assert (decision.failed, decision.icon) == (False, "⚠️")
    assert decision.headline.startswith("This change adds 1 violation")


def test_without_a_base_the_headline_is_the_repository_state() -> None:
    v = verification(base=False)
    assert comment_of(v).splitlines()[1] == "### ✅ All 2 requirements pass"


# --- truthful sections -----------------------------------------------------------------------


def test_an_anti_pattern_is_found_only_where_a_fact_of_it_exists() -> None:
    report = report_of(verification(violations=DEBT))
    anti = report.split("### Anti-Patterns (Should Not Exist)")[1].split("\n---")[0]
    found, none = anti.split("\n- ✅ ")
    assert found.strip().startswith(
        '- ❌ `get_abstraction("websocket")` outside the gateway. — found in 3 places'
    )
    for item in DEBT:  # listed and linked at the head
        assert f"{URL}/blob/{HEAD}/{item.path}#L9" in found
    # the other anti-pattern of the same failing requirement: no fact of it, so not "found"
    assert none.startswith("Services creating their own connections. — none found")


def test_a_correct_pattern_holds_only_when_its_requirement_passes_and_its_facts_were_seen() -> None:
    report = report_of(verification(violations=DEBT))
    correct = report.split("### Correct Patterns")[1].split("###")[0]
    # Post Office Ownership passes, but no `gateway-instantiation` was in scope: not holding
    assert (
        "➖ `PostOfficeService` creates the gateway. — not seen: "
        "no `gateway-instantiation` fact was found"
    ) in correct
    # no rule looks for a plain-string pattern: never "does not hold", never "holds"
    assert (
        "❔ Services use Post Office APIs. — not checked: no rule looks for this "
        "([No Direct WebSocket Access](#-no-direct-websocket-access) fails)"
    ) in correct
    assert "✅" not in correct and "does not hold" not in correct


def _with_patterns(
    v: Verification,
    correct: tuple[Pattern, ...],
    anti: tuple[Pattern, ...] = (),
    findings: tuple[Finding, ...] = (),
) -> Verification:
    """`v` whose No Direct WebSocket Access has these patterns, with `findings` seen too."""
    direct = v.requirements[1].model_copy(
        update={"correct_patterns": correct, "anti_patterns": anti}
    )
    return v.model_copy(
        update={
            "requirements": (v.requirements[0], direct),
            "findings": (*v.findings, *findings),
        }
    )


def _api_call(path: str, line: int, api: str) -> Finding:
    return finding(
        path,
        line,
        "existing",
        rule="post-office-api-call",
        fact="post-office-api-call",
        message=f"Post Office API `{api}` called on `self.post_office`.",
    ).model_copy(update={"captures": {"api": api}})


def test_a_plain_correct_pattern_is_not_checked_even_when_its_requirement_passes() -> None:
    v = _with_patterns(
        verification(evidence=(endpoint("backend/api/ws.py", 4, "/ws"),)),
        (Pattern(text="Services use the Experience Foundation SDK."),),
        (Pattern(text="Services keeping their own socket registries."),),
    )
    report = report_of(v)
    correct = report.split("### Correct Patterns")[1].split("###")[0]
    assert (
        "2. ❔ Services use the Experience Foundation SDK. — not checked: no rule looks for "
        "this ([No Direct WebSocket Access](#-no-direct-websocket-access) passes)"
    ) in correct
    assert "✅" not in correct and "holds" not in correct
    # the same for an anti-pattern no rule names: nothing looked for it, so not "none found"
    anti = report.split("### Anti-Patterns (Should Not Exist)")[1].split("---")[0]
    assert (
        "- ❔ Services keeping their own socket registries. — not checked: no rule looks for "
        "this ([No Direct WebSocket Access](#-no-direct-websocket-access) passes)"
    ) in anti
    assert "none found" not in anti


def test_a_correct_pattern_holds_with_the_facts_that_show_it_listed() -> None:
    calls = (
        _api_call("backend/services/guide.py", 12, "publish_to_agent_channel"),
        _api_call("backend/services/content.py", 7, "publish_to_agent_channel"),
        _api_call("backend/services/guide.py", 15, "get_websocket_endpoint"),
    )
    v = _with_patterns(
        verification(),
        (
            Pattern(text="Services use Post Office APIs.", facts=("post-office-api-call",)),
            Pattern(
                text="Services publish through the Post Office.",
                facts=("post-office-api-call",),
                select={"api": "publish_to_agent_channel"},
            ),
            Pattern(
                text="Services subscribe through the Post Office.",
                facts=("post-office-api-call",),
                select={"api": ["subscribe_to_channel", "psubscribe_*"], "path": "!backend/gw/**"},
            ),
        ),
        findings=calls,
    )
    correct = report_of(v).split("### Correct Patterns")[1].split("###")[0]
    # item 1 is Post Office Ownership's pattern
    _, first, second, third = re.split(r"\n(?=\d+\. )", correct.strip())
    assert first.startswith(
        "2. ✅ Services use Post Office APIs. — holds: seen in 3 places "
        "([No Direct WebSocket Access](#-no-direct-websocket-access) passes):\n\n"
        # the directory the places share: a paragraph of the item, not the end of its line
        "   In `backend/services/`:\n\n"
    )
    # each place linked, sorted by path and line, under the pattern's list item
    assert f"   - [`content.py:7`]({URL}/blob/{HEAD}/backend/services/content.py#L7)" in first
    assert f"     - [`L12`]({URL}/blob/{HEAD}/backend/services/guide.py#L12)" in first
    assert f"     - [`L15`]({URL}/blob/{HEAD}/backend/services/guide.py#L15)" in first
    # `select` narrows what shows it: the endpoint look-up is not a publication
    assert second.startswith(
        "3. ✅ Services publish through the Post Office. — holds: seen in 2 places"
    )
    assert "L15" not in second
    assert third.split("\n\n")[0] == (
        "4. ➖ Services subscribe through the Post Office. — not seen: no `post-office-api-call` "
        "fact with api `subscribe_to_channel` or `psubscribe_*` outside `backend/gw/**` was found "
        "in the scanned files"
    )


def test_a_correct_pattern_whose_facts_were_seen_does_not_hold_when_its_requirement_fails() -> None:
    v = _with_patterns(
        verification(violations=DEBT),
        (Pattern(text="Services use Post Office APIs.", facts=("post-office-api-call",)),),
        findings=(_api_call("backend/services/guide.py", 12, "publish_to_agent_channel"),),
    )
    correct = report_of(v).split("### Correct Patterns")[1].split("###")[0]
    assert (
        "❌ Services use Post Office APIs. — does not hold: "
        "[No Direct WebSocket Access](#-no-direct-websocket-access) fails"
    ) in correct
    assert "guide.py" not in correct


def test_a_requirement_failing_for_missing_evidence_says_so() -> None:
    v = verification(ownership_missing=True)
    comment = comment_of(v)
    assert "<summary>❌ Post Office Ownership: missing evidence</summary>" in comment
    assert "| Post Office Ownership | ❌ fail: missing evidence | 0 | 0 |" in comment
    assert "0 violations" not in comment
    report = report_of(v)
    assert (
        "**Missing evidence:** the requirement fails because what must exist was not found"
        in report
    )
    assert "Post Office Ownership — fail: missing evidence" in terminal_of(v)


# --- links -----------------------------------------------------------------------------------


def test_fixed_violations_link_to_the_base_and_the_others_to_the_head() -> None:
    gone = finding("backend/services/gone.py", 12, None)
    kept = finding("backend/services/kept.py", 3, "existing")
    v = verification(violations=(kept,), fixed=(gone,))
    for text in (comment_of(v), report_of(v)):
        assert f"{URL}/blob/{BASE}/backend/services/gone.py#L12" in text
        assert f"{URL}/blob/{HEAD}/backend/services/gone.py" not in text
        assert f"{URL}/blob/{HEAD}/backend/services/kept.py#L3" in text


def test_the_comment_links_the_workflow_run_with_its_job_summary() -> None:
    run = "https://github.com/acme/platform/actions/runs/123456"
    comment = comment_of(verification(violations=DEBT), run_url=run)
    assert f"[full report in the workflow run's job summary]({run})" in comment


def test_each_finding_appears_once_in_the_comment_grouped_by_file() -> None:
    many = tuple(
        finding(f"backend/smart_city/services/{name}.py", line, "new" if line == 7 else "existing")
        for name in ("alpha", "beta")
        for line in (3, 7)
    )
    comment = comment_of(verification(violations=many, change="regressed"))
    for item in many:
        assert comment.count(f"#L{item.line})") == 2  # two files, once each
    assert comment.count("/alpha.py#L3") == 1
    # the shared directory is said once, each file once, its lines under it
    assert "In `backend/smart_city/services/`:" in comment
    assert "\n- `alpha.py`\n  - [`L3`](" in comment
    assert "  - **new** [`L7`](" in comment
    # the rule's explanation ("Services must use the gateway.") is not repeated per finding
    assert "Services must use the gateway" not in comment
    assert "Services must use the gateway" not in terminal_of(verification(violations=many))


# --- annotations follow the gate ---------------------------------------------------------------


def test_a_passing_step_prints_no_error_annotation() -> None:
    lines = workflow_commands.annotation_commands(
        verification(violations=DEBT, ownership_missing=True)
    )
    assert lines and not any(line.startswith("::error") for line in lines)
    assert sum(line.startswith("::warning file=") for line in lines) == len(DEBT)


def test_a_failing_pr_has_one_error_per_new_finding_and_no_duplicates() -> None:
    added = finding("backend/services/new.py", 4, "new")
    v = verification(violations=(added, *DEBT), change="regressed")
    lines = workflow_commands.annotation_commands(v)
    errors = [line for line in lines if line.startswith("::error")]
    warnings = [line for line in lines if line.startswith("::warning")]
    assert len(errors) == 1 and "file=backend/services/new.py,line=4" in errors[0]
    assert len(warnings) == len(DEBT)
    assert len(lines) == 1 + len(DEBT)  # no requirement-level line repeating them
    for line in lines:  # plain text: annotations do not render Markdown
        assert "`" not in line


def test_missing_evidence_is_one_annotation_at_the_gate_s_level() -> None:
    v = verification(ownership_missing=True)
    (line,) = workflow_commands.annotation_commands(v.model_copy(update={"fail_on": "any"}))
    assert line.startswith("::error title=pattern-verify%3A Post Office Ownership::")
    assert "missing evidence" in line and "`" not in line
    # fail-on new: already failing on main, so not this change's
    (line,) = workflow_commands.annotation_commands(v)
    assert line.startswith("::warning ")


# --- size and speed ------------------------------------------------------------------------------


def test_ten_thousand_violations_fit_the_comment_and_all_are_in_the_report() -> None:
    many = tuple(
        finding(f"pkg{i // 10:03d}/module.py", i % 10 + 1, "new" if i < 3 else "existing")
        for i in range(10_000)
    )
    v = verification(violations=many, change="regressed")
    comment = comment_of(v)
    assert len(comment) <= render.COMMENT_LIMIT
    assert comment.count("**new**") == 3  # new ones are kept when the list is cut
    assert "more (see the full report)" in comment
    report = report_of(v)
    assert report.count("/module.py#L") >= 10_000


# --- answers, not crashes --------------------------------------------------------------------


def test_a_cp1252_console_gets_degraded_symbols_not_a_traceback(
    platform_repo: PlatformRepo, tmp_path: Path
) -> None:
    _, root = platform_repo()
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pattern_verify",
            "run",
            str(root),
            "--output-dir",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode("cp1252")
    out = result.stdout.decode("cp1252")
    assert out.startswith("[pass] All 4 requirements pass")
    assert "Traceback" not in result.stderr.decode("cp1252")
    # the files are UTF-8 whatever the console
    assert "✅" in (tmp_path / "o/report.md").read_text(encoding="utf-8")


def test_check_config_on_a_missing_path_is_exit_2(run_cli: RunCli) -> None:
    code, out, err = run_cli("check-config", "/no/such/path")
    assert code == 2 and out == ""
    assert err == (
        "pattern-verify: error: /no/such/path: no such directory (expected the repository root)\n"
    )


def test_an_include_matching_no_file_is_exit_2_saying_what_to_change(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    _, root = platform_repo()
    code, out, err = run_cli(
        "run", root, "--include", "services/**", "--output-dir", tmp_path / "o"
    )
    assert code == 2 and out == ""
    assert (
        "nothing to verify: include services/** matches no javascript, python, typescript file"
        in err
    )
    assert "change `include:` in the config or --include" in err
    assert not (tmp_path / "o").exists()  # no report that judged nothing


def test_a_template_literal_capture_keeps_its_closing_backtick() -> None:
    rule = RuleInfo(
        id="js-websocket-client",
        fact="frontend-websocket-client",
        message="WebSocket client connection to `$TARGET` (opened directly)",
        captures=("target",),
        languages=("typescript",),
        file=Path("rules.yaml"),
    )
    # semgrep interpolates `${origin}/ws` without its closing backtick
    captures, dynamic, message = MessageReader(rule).read(
        "WebSocket client connection to ``${origin}/ws` (opened directly)"
    )
    assert captures == {"target": "`${origin}/ws`"} and dynamic == ("target",)
    assert message == "WebSocket client connection to `` `${origin}/ws` `` (opened directly)"
    # and the message renders the literal whole, backticks and all
    assert "`` `${origin}/ws` ``" in render.lite(message)


def test_a_template_literal_is_captured_whole_by_semgrep(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    _, root = platform_repo()
    code, _, _ = run_cli("run", root, "--output-dir", tmp_path / "o")
    assert code == 0
    import json

    results = json.loads((tmp_path / "o/results.json").read_text())
    targets = [
        f["captures"]["target"]
        for f in results["findings"]
        if f["fact"] == "frontend-websocket-client"
    ]
    assert targets == ['`${window.location.origin.replace(/^http/, "ws")}/ws`']


def test_an_uncommitted_tree_is_named_in_the_report(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    _, root = platform_repo()
    code, out, _ = run_cli("run", root, "--output-dir", tmp_path / "clean")
    assert "uncommitted" not in (tmp_path / "clean/report.md").read_text()
    write_files(root, {"backend/api/notes.py": "NOTE = 1\n"})  # untracked
    code, out, _ = run_cli("run", root, "--output-dir", tmp_path / "dirty")
    report = (tmp_path / "dirty/report.md").read_text()
    assert code == 0
    commit_line = next(line for line in report.splitlines() if line.startswith("**Commit:**"))
    assert commit_line.endswith("+ uncommitted changes  ")
    assert "+ uncommitted changes" in out.splitlines()[2]
    assert '"uncommitted": true' in (tmp_path / "dirty/results.json").read_text()


def test_a_pr_with_debt_runs_end_to_end_with_exit_0(
    tmp_path: Path, run_cli: RunCli, platform_repo: PlatformRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The situation the issue started from: debt on main, a PR that adds none, fail-on new."""
    repo, root = platform_repo(
        {
            "backend/api/chat_router.py": CHAT_ROUTER,
            "backend/smart_city/services/notifications/notification_service.py": (
                DIRECT_ACCESS_SERVICE
            ),
        }
    )
    repo.git.checkout("-b", "feature")
    write_files(root, {"backend/api/content_router.py": "X = 1\n"})
    commit_all(repo, "harmless")
    monkeypatch.chdir(root)
    code, out, _ = run_cli("run", ".", "--base", "main", "--output-dir", tmp_path / "o")
    assert code == 0, out
    assert out.splitlines()[0] == (
        "✅ No new violations — 2 requirements still failing on main (2 existing violations)"
    )
    # fail-on new, as the run had it (with --base)
    lines = workflow_commands.annotation_commands(pipeline_results(tmp_path / "o"))
    assert not any(line.startswith("::error") for line in lines)


def pipeline_results(directory: Path) -> Verification:
    return Verification.model_validate_json((directory / "results.json").read_text())


def test_a_config_s_schema_and_parameter_errors_are_reported_at_once(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """README's example of a bad config, as the tool prints it."""
    write_files(
        tmp_path,
        {
            ".github/pattern-verify.yml": (
                "parameters:\n  endpoint_path: [/ws]\nrequirements:\n  - id: no-eval\n"
                "    title: No eval\n    checks:\n      - kind: count\n        facts: [eval-call]\n"
            )
        },
    )
    code, out, err = run_cli("check-config", tmp_path)
    assert code == 2 and out == ""
    config = tmp_path / ".github/pattern-verify.yml"
    assert err == (
        "pattern-verify: error: invalid configuration (2 errors):\n"
        f"  {config}: requirements[0].checks[0]: a count check needs `min`, `max` or both\n"
        f"  {config}: parameters.endpoint_path: expected a string\n"
    )


def test_quiet_prints_nothing_on_a_pass_and_the_summary_on_a_failure(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    """The pre-commit hook of README: silent when the tree passes, says why when it fails."""
    _, root = platform_repo()
    code, out, err = run_cli("run", root, "--quiet", "--output-dir", tmp_path / "a")
    assert (code, out, err) == (0, "", "")
    write_files(
        root, {"backend/smart_city/services/notifications/service.py": DIRECT_ACCESS_SERVICE}
    )
    code, out, _ = run_cli("run", root, "--quiet", "--output-dir", tmp_path / "b")
    assert code == 1
    assert out.splitlines()[0] == "❌ 1 of 4 requirements fails (1 violation)"
    assert "+ uncommitted changes" in out.splitlines()[2]
    assert "  ❌ No Direct WebSocket Access — fail: 1 violation" in out

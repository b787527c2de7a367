"""No silent suppression (issue 11): semgrep's own `nosemgrep` comments never hide a fact, a file
semgrep drops is listed as not verified, and a deviation is accepted only in the open — an
inline `pattern-verify: allow <requirement> -- <reason>` or a config `exceptions:` entry — kept
in results.json, the report, the comment and the terminal, with what is not honoured reported.

Real semgrep, real git repositories (the bundled example platform, changed per test)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
import pytest
from conftest import commit_all, write_files
from test_websocket_pack import CHAT_ROUTER, NOTIFICATIONS, RunCli, requirement

from pattern_verify.exceptions import parse_allows
from pattern_verify.models import Verification
from pattern_verify.publish import actions

PlatformRepo = Callable[..., tuple[git.Repo, Path]]
Golden = Callable[[str, str], None]
REPO_URL = "https://github.com/acme/platform"
KNOWN = (
    "single-websocket-endpoint",
    "post-office-ownership",
    "logical-channel-routing",
    "no-direct-websocket-access",
)
CHAT = "backend/api/chat_router.py"
STATUS_TS = "frontend/src/components/StatusBanner.ts"
TICKER_TS = "frontend/src/components/Ticker.ts"


def router(allow_above: str = "", trailing: str = "", route: str = "/api/ws/chat") -> str:
    """A router with one extra websocket endpoint; an allow comment above or after its
    decorator (the fact's first line)."""
    above = f"{allow_above}\n" if allow_above else ""
    after = f"  {trailing}" if trailing else ""
    return (
        '"""Chat endpoints beside the gateway."""\n\n'
        "from fastapi import APIRouter, WebSocket\n\n"
        "router = APIRouter()\n\n\n"
        f'{above}@router.websocket("{route}"){after}\n'
        "async def chat(websocket: WebSocket) -> None:\n"
        "    await websocket.accept()\n"
    )


def service(trailing: str = "") -> str:
    """A service reaching for the websocket abstraction (a `no-direct-websocket-access` fact)."""
    after = f"  {trailing}" if trailing else ""
    return (
        '"""Notifications that reach for the websocket abstraction."""\n\n\n'
        "class NotificationService:\n"
        "    def __init__(self, platform):\n"
        "        self.platform = platform\n\n"
        "    async def notify(self, user_id: str, text: str) -> None:\n"
        f'        websocket = self.get_abstraction("websocket"){after}\n'
        "        await websocket.send(user_id, text)\n"
    )


def status_banner(above: str = "", trailing: str = "") -> str:
    """A frontend module opening its own socket to a vendor feed."""
    before = f"  {above}\n" if above else ""
    after = f" {trailing}" if trailing else ""
    return (
        "export function watchStatus(show: (text: string) => void): WebSocket {\n"
        f'{before}  const socket = new WebSocket("wss://status.example.invalid/feed");{after}\n'
        '  socket.addEventListener("message", (event) => show(String(event.data)));\n'
        "  return socket;\n"
        "}\n"
    )


def run(run_cli: RunCli, root: Path, out: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    code, stdout, stderr = run_cli("run", root, "--output-dir", out, "--repo-url", REPO_URL, *extra)
    return code, json.loads((out / "results.json").read_text()), stdout + stderr


def feature(repo: git.Repo, root: Path, files: dict[str, str | bytes | None]) -> None:
    repo.git.checkout("-b", "feature")
    write_files(root, files)
    commit_all(repo, "feature", date="2025-01-16T09:30:00")


def exceptions_of(results: dict[str, Any], rid: str) -> list[dict[str, Any]]:
    return list(requirement(results, rid)["exceptions"])


def problems(results: dict[str, Any]) -> dict[tuple[str, int | None, str | None], dict[str, Any]]:
    return {(p["path"], p["line"], p["key"]): p for p in results["exception_problems"]}


# ---------------------------------------------------------------------------------------------
# semgrep's own suppressions and dropped files


def test_a_pr_adding_nosemgrep_endpoints_fails_and_names_them(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    """The issue's reproduction: `# nosemgrep`, `// nosemgrep` and `# nosem` hide nothing."""
    repo, root = platform_repo()
    feature(
        repo,
        root,
        {
            CHAT: router(trailing="# nosemgrep"),
            NOTIFICATIONS: service(trailing="# nosem"),
            STATUS_TS: status_banner(trailing="// nosemgrep"),
        },
    )
    code, results, output = run(run_cli, root, tmp_path / "out", "--base", "main")
    assert code == 1, output
    new = {
        (v["path"], v["change"])
        for r in results["requirements"]
        for v in r["violations"]
        if v["change"] == "new"
    }
    assert new == {(CHAT, "new"), (NOTIFICATIONS, "new"), (STATUS_TS, "new")}
    assert results["new_violations"] == 3
    assert f"{CHAT}:8" in output
    assert output.startswith("❌ This change adds 3 violations")
    comment = (tmp_path / "out" / "comment.md").read_text()
    assert f"`{CHAT}:8`" in comment


def test_semgrepignore_cannot_hide_a_file_and_a_file_semgrep_drops_is_not_verified(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    """A `.semgrepignore` in the scanned repository does not drop a target; a file semgrep
    skips without an error (`.mts`, which it does not take for TypeScript) is listed."""
    _, root = platform_repo(
        {
            ".semgrepignore": "backend/api/\n*.ts\n",
            CHAT: router(),
            "frontend/src/lib/presence.mts": status_banner(),
        }
    )
    code, results, output = run(run_cli, root, tmp_path / "out")
    assert code == 1, output
    violations = requirement(results, "single-websocket-endpoint")["violations"]
    assert CHAT in {v["path"] for v in violations}
    evidence = requirement(results, "no-direct-websocket-access")["evidence"]
    assert "frontend/src/lib/websocket_client.ts" in {e["path"] for e in evidence}
    not_verified = {s["path"]: s["reason"] for s in results["scope"]["not_verified"]}
    assert not_verified == {
        "frontend/src/lib/presence.mts": "semgrep skipped it without an error (not scanned)"
    }


# ---------------------------------------------------------------------------------------------
# inline allows


def test_every_comment_syntax_accepts_its_violation_in_the_open(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    _, root = platform_repo(
        {
            CHAT: router(
                "# pattern-verify: allow single-websocket-endpoint -- legacy chat, kept until "
                "the mobile app moves to /ws"
            ),
            NOTIFICATIONS: service(
                "# pattern-verify: allow no-direct-websocket-access -- migrates in PLAT-12"
            ),
            STATUS_TS: status_banner(
                above="// pattern-verify: allow no-direct-websocket-access -- vendor status feed"
            ),
            TICKER_TS: status_banner(
                trailing="/* pattern-verify: allow no-direct-websocket-access -- vendor ticker */"
            ),
        }
    )
    code, results, output = run(run_cli, root, tmp_path / "out")
    assert code == 0, output
    assert results["status"] == "pass"
    assert results["exception_problems"] == []
    (chat,) = exceptions_of(results, "single-websocket-endpoint")
    assert chat["finding"]["path"] == CHAT and chat["finding"]["line"] == 9
    assert chat["source"] == "inline" and chat["declared_at"] == f"{CHAT}:8"
    assert chat["reason"] == "legacy chat, kept until the mobile app moves to /ws"
    assert chat["until"] is None and chat["change"] is None
    direct = {
        e["finding"]["path"]: (e["finding"]["line"], e["declared_at"], e["reason"])
        for e in exceptions_of(results, "no-direct-websocket-access")
    }
    assert direct == {
        NOTIFICATIONS: (9, f"{NOTIFICATIONS}:9", "migrates in PLAT-12"),
        STATUS_TS: (3, f"{STATUS_TS}:2", "vendor status feed"),
        TICKER_TS: (2, f"{TICKER_TS}:2", "vendor ticker"),
    }
    assert requirement(results, "single-websocket-endpoint")["violations"] == []
    # kept where reviewers look: the report, the comment, the terminal
    report = (tmp_path / "out" / "report.md").read_text()
    assert "## Accepted Exceptions" in report
    assert "4 violations accepted with a reason" in report
    assert "**Reason:** vendor status feed" in report
    comment = (tmp_path / "out" / "comment.md").read_text()
    assert "⚑ 4 accepted exceptions" in comment
    assert "⚑ 4 accepted exceptions" in output
    assert f"{CHAT}:9  Single WebSocket Endpoint: legacy chat" in output


def test_allows_that_are_not_honoured_are_reported_with_file_and_line(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    wrong_line = router(route="/api/ws/one").replace(
        "\n\n@router",
        "\n# pattern-verify: allow single-websocket-endpoint -- two lines up\n\n@router",
    )
    _, root = platform_repo(
        {
            "backend/api/one.py": wrong_line,
            "backend/api/two.py": router(route="/api/ws/two").replace(
                "async def chat",
                "# pattern-verify: allow single-websocket-endpoint -- a line too low\n"
                "async def chat",
            ),
            "backend/api/three.py": router(
                "# pattern-verify: allow post-office-ownership -- the wrong requirement",
                route="/api/ws/three",
            ),
            "backend/api/four.py": router(
                "# pattern-verify: allow single-websocket-endpoint", route="/api/ws/four"
            ),
            "backend/api/five.py": router(
                "# pattern-verify: allow no-such-requirement -- typo", route="/api/ws/five"
            ),
            "backend/api/six.py": router(
                "# pattern-verify: ignore single-websocket-endpoint", route="/api/ws/six"
            ),
            "backend/api/seven.py": router(
                route="/api/ws/seven",
                trailing="# pattern-verify: allow single-websocket-endpoint --   ",
            ),
        }
    )
    code, results, output = run(run_cli, root, tmp_path / "out")
    assert code == 1, output
    endpoint = requirement(results, "single-websocket-endpoint")
    assert endpoint["exceptions"] == []
    assert {v["path"] for v in endpoint["violations"]} == {
        f"backend/api/{n}.py" for n in ("one", "two", "three", "four", "five", "six", "seven")
    }
    found = {
        (p["path"], p["line"]): (p["kind"], p["message"]) for p in results["exception_problems"]
    }
    assert found == {
        ("backend/api/one.py", 7): (
            "unused",
            "allow for `single-websocket-endpoint` accepts no violation of it on this line or "
            "the line below: nothing to allow here",
        ),
        ("backend/api/two.py", 9): (
            "unused",
            "allow for `single-websocket-endpoint` accepts no violation of it on this line or "
            "the line below: nothing to allow here",
        ),
        ("backend/api/three.py", 8): (
            "unused",
            "allow for `post-office-ownership` accepts no violation of it on this line or the "
            "line below: nothing to allow here",
        ),
        ("backend/api/four.py", 8): (
            "invalid",
            "allow for `single-websocket-endpoint` without a reason (`-- <reason>`): not honoured",
        ),
        ("backend/api/five.py", 8): (
            "invalid",
            "allow names unknown requirement `no-such-requirement` (known: "
            "logical-channel-routing, no-direct-websocket-access, post-office-ownership, "
            "single-websocket-endpoint): not honoured",
        ),
        ("backend/api/six.py", 8): (
            "invalid",
            "not an allow: expected `pattern-verify: allow <requirement-id> -- <reason>`",
        ),
        ("backend/api/seven.py", 8): (
            "invalid",
            "allow for `single-websocket-endpoint` without a reason (`-- <reason>`): not honoured",
        ),
    }
    report = (tmp_path / "out" / "report.md").read_text()
    assert "### Exceptions Not Honoured (7)" in report
    assert f"[`backend/api/five.py:8`]({REPO_URL}/blob/" in report
    assert "⚠ 7 exceptions not honoured" in output


def test_allow_comments_are_read_from_comments_only() -> None:
    """Unit: what counts as an allow comment, per language, and which line it speaks for."""
    python = (
        'text = "# pattern-verify: allow single-websocket-endpoint -- in a string"\n'
        "# pattern-verify: allow single-websocket-endpoint -- above\n"
        "call()  # pattern-verify: allow post-office-ownership -- trailing\n"
    )
    assert [
        (a.line, a.standalone, a.requirement, a.reason) for a in parse_allows("a.py", python, KNOWN)
    ] == [
        (2, True, "single-websocket-endpoint", "above"),
        (3, False, "post-office-ownership", "trailing"),
    ]
    script = (
        "// pattern-verify: allow single-websocket-endpoint -- slashes\n"
        "f(); /* pattern-verify: allow post-office-ownership -- block */\n"
        "/* pattern-verify: allow logical-channel-routing -- alone */\n"
        "# pattern-verify: allow single-websocket-endpoint -- not a JS comment\n"
    )
    assert [
        (a.line, a.standalone, a.requirement, a.reason)
        for a in parse_allows("b.tsx", script, KNOWN)
    ] == [
        (1, True, "single-websocket-endpoint", "slashes"),
        (2, False, "post-office-ownership", "block"),
        (3, True, "logical-channel-routing", "alone"),
    ]
    # a file Python cannot tokenize is read line by line
    broken = "def f(:\n    x = 1  # pattern-verify: allow post-office-ownership -- still read\n"
    assert [(a.line, a.reason) for a in parse_allows("c.py", broken, KNOWN)] == [(2, "still read")]


# ---------------------------------------------------------------------------------------------
# config exceptions


CONFIG_EXCEPTIONS = """\
exceptions:
  - requirement: no-direct-websocket-access
    path: backend/smart_city/services/notifications/**
    reason: notifications move to the Post Office in PLAT-12
  - requirement: single-websocket-endpoint
    path: backend/api/chat_router.py
    reason: legacy chat until the mobile release
    until: 2025-01-15
  - requirement: no-direct-websocket-access
    path: frontend/src/components/StatusBanner.ts
    reason: vendor status feed, contract ends in January
    until: 2025-01-14
  - requirement: post-office-ownership
    path: archive/**
    reason: nothing left there
"""


def test_config_exceptions_expire_at_the_head_commit_date_or_today(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    """The commits are dated 2025-01-15: an entry `until: 2025-01-15` holds, one until the 14th
    has expired; `--today` moves the date."""
    _, root = platform_repo(
        {
            ".github/pattern-verify.yml": CONFIG_EXCEPTIONS,
            NOTIFICATIONS: service(),
            CHAT: router(),
            STATUS_TS: status_banner(),
        }
    )
    code, results, output = run(run_cli, root, tmp_path / "out")
    assert code == 1, output  # the expired one fails again
    assert results["exceptions_as_of"] == "2025-01-15"
    (chat,) = exceptions_of(results, "single-websocket-endpoint")
    assert (chat["source"], chat["until"]) == ("config", "2025-01-15")
    assert chat["declared_at"] == ".github/pattern-verify.yml: exceptions[1]"
    assert requirement(results, "single-websocket-endpoint")["status"] == "pass"
    direct = requirement(results, "no-direct-websocket-access")
    assert [e["finding"]["path"] for e in direct["exceptions"]] == [NOTIFICATIONS]
    assert [v["path"] for v in direct["violations"]] == [STATUS_TS]
    found = problems(results)
    expired = found[(".github/pattern-verify.yml", None, "exceptions[2]")]
    assert expired["kind"] == "expired"
    assert expired["message"] == "expired on 2025-01-14 (judged at 2025-01-15): not honoured"
    unused = found[(".github/pattern-verify.yml", None, "exceptions[3]")]
    assert unused["kind"] == "unused"
    assert set(found) == {
        (".github/pattern-verify.yml", None, "exceptions[2]"),
        (".github/pattern-verify.yml", None, "exceptions[3]"),
    }
    report = (tmp_path / "out" / "report.md").read_text()
    assert "expiry dates are judged at 2025-01-15" in report
    assert "`.github/pattern-verify.yml: exceptions[2]` — expired on 2025-01-14" in report

    code, results, _ = run(run_cli, root, tmp_path / "earlier", "--today", "2025-01-14")
    assert code == 0 and results["exceptions_as_of"] == "2025-01-14"
    assert len(exceptions_of(results, "no-direct-websocket-access")) == 2
    code, results, _ = run(run_cli, root, tmp_path / "later", "--today", "2025-03-01")
    assert code == 1
    assert exceptions_of(results, "single-websocket-endpoint") == []
    assert {p["key"] for p in results["exception_problems"] if p["kind"] == "expired"} == {
        "exceptions[1]",
        "exceptions[2]",
    }


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "  - {requirement: no-such-thing, path: a.py, reason: r}",
            "exceptions[0].requirement: unknown requirement `no-such-thing` (known: "
            "logical-channel-routing, no-direct-websocket-access, post-office-ownership, "
            "single-websocket-endpoint)",
        ),
        (
            "  - {requirement: post-office-ownership, path: a.py}",
            "exceptions[0].reason: Field required",
        ),
        (
            "  - {requirement: post-office-ownership, path: a.py, reason: '  '}",
            "exceptions[0].reason: must not be empty",
        ),
        (
            "  - {requirement: post-office-ownership, path: a.py, reason: r, until: soon}",
            "exceptions[0].until: expected a date YYYY-MM-DD, got `soon`",
        ),
        (
            "  - {requirement: post-office-ownership, path: a.py, reason: r, until: 20250101}",
            "exceptions[0].until: expected a date YYYY-MM-DD, got `20250101`",
        ),
        (
            "  - {requirement: post-office-ownership, path: a.py, reason: r, owner: me}",
            "exceptions[0].owner: unknown key",
        ),
    ],
)
def test_a_bad_exception_entry_is_exit_2_naming_file_and_key(
    tmp_path: Path, run_cli: RunCli, entry: str, expected: str
) -> None:
    config = tmp_path / ".github" / "pattern-verify.yml"
    config.parent.mkdir(parents=True)
    config.write_text(f"exceptions:\n{entry}\n")
    code, out, err = run_cli("check-config", tmp_path)
    assert code == 2, out + err
    assert f".github/pattern-verify.yml: {expected}" in err
    assert "Traceback" not in err


def test_a_bad_run_today_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        run_cli("run", tmp_path, "--today", "tomorrow")
    assert exited.value.code == 2


# ---------------------------------------------------------------------------------------------
# pull requests


def test_exceptions_a_change_adds_are_new_and_not_fixed(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    """An allow added to an existing violation, a config entry added for another: both new
    exceptions (not "fixed"); an allow the base already had: existing."""
    repo, root = platform_repo(
        {
            CHAT: CHAT_ROUTER,
            NOTIFICATIONS: service(),
            STATUS_TS: status_banner(
                above="// pattern-verify: allow no-direct-websocket-access -- vendor feed"
            ),
        }
    )
    feature(
        repo,
        root,
        {
            # trailing, inside the endpoint's matched text: still the same finding, now accepted
            CHAT: CHAT_ROUTER.replace(
                '"/api/ws/chat")',
                '"/api/ws/chat")  # pattern-verify: allow single-websocket-endpoint -- mobile app',
            ),
            ".github/pattern-verify.yml": (
                "exceptions:\n"
                "  - requirement: no-direct-websocket-access\n"
                f"    path: {NOTIFICATIONS}\n"
                "    reason: moves to the Post Office next sprint\n"
            ),
        },
    )
    out = tmp_path / "out"
    code, results, output = run(run_cli, root, out, "--base", "main")
    assert code == 0, output
    assert results["status"] == "pass"
    assert results["fixed"] == [] and results["fixed_violations"] == 0
    assert results["new_violations"] == 0
    assert results["new_exceptions"] == 2
    changes = {
        (e["finding"]["path"], e["source"], e["change"])
        for r in results["requirements"]
        for e in r["exceptions"]
    }
    assert changes == {
        (CHAT, "inline", "new"),
        (NOTIFICATIONS, "config", "new"),
        (STATUS_TS, "inline", "existing"),
    }
    comment = (out / "comment.md").read_text()
    assert "**Exceptions added by this change (2)**" in comment
    assert "moves to the Post Office next sprint (config)" in comment
    assert "⚑ 3 accepted exceptions, 2 new in this change" in output
    outputs = actions.verification_outputs(
        Verification.model_validate_json((out / "results.json").read_text())
    )
    assert (outputs["exceptions"], outputs["new-exceptions"]) == ("3", "2")


def test_trusted_base_applies_only_allows_the_base_already_had(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    """Under --trusted-config base a change cannot wave its own violation through: its new
    allow is "proposed, not applied" and its new config entry is not read; an allow the base
    already had for the same finding still holds."""
    allowed_before = router(
        "# pattern-verify: allow single-websocket-endpoint -- accepted on main in review #12",
        route="/api/ws/legacy",
    )
    reworded = router(
        "# pattern-verify: allow single-websocket-endpoint -- accepted for the admin console",
        route="/api/ws/admin",
    )
    repo, root = platform_repo(
        {"backend/api/legacy_router.py": allowed_before, "backend/api/admin_router.py": reworded}
    )
    feature(
        repo,
        root,
        {
            "backend/api/legacy_router.py": "# moved lines do not matter\n" + allowed_before,
            # the same allow with a reason of the change's own: proposed too
            "backend/api/admin_router.py": reworded.replace("admin console", "whole team"),
            CHAT: router(
                "# pattern-verify: allow single-websocket-endpoint -- trust me", route="/chat"
            ),
            ".github/pattern-verify.yml": (
                "exceptions:\n"
                "  - requirement: no-direct-websocket-access\n"
                "    path: '**'\n"
                "    reason: everything goes\n"
            ),
            NOTIFICATIONS: service(),
        },
    )
    code, results, output = run(run_cli, root, tmp_path / "head", "--base", "main")
    assert code == 0, output  # the head's own config and allows: the change passes itself
    assert results["new_exceptions"] == 2  # the chat endpoint and the config entry

    out = tmp_path / "trusted"
    code, results, output = run(run_cli, root, out, "--base", "main", "--trusted-config", "base")
    assert code == 1, output
    endpoint = requirement(results, "single-websocket-endpoint")
    assert [v["path"] for v in endpoint["violations"]] == ["backend/api/admin_router.py", CHAT]
    assert [(e["finding"]["path"], e["change"]) for e in endpoint["exceptions"]] == [
        ("backend/api/legacy_router.py", "existing")
    ]
    assert [
        v["path"] for v in requirement(results, "no-direct-websocket-access")["violations"]
    ] == [NOTIFICATIONS]
    proposed = [(p["kind"], p["path"], p["line"]) for p in results["exception_problems"]]
    assert proposed == [
        ("proposed", "backend/api/admin_router.py", 8),
        ("proposed", CHAT, 8),
    ]
    assert results["exception_problems"][1]["message"].startswith("proposed exception, not applied")
    # the reworded allow's finding existed at the base (accepted there): not new, but failing
    assert results["new_exceptions"] == 0 and results["new_violations"] == 2
    comment = (out / "comment.md").read_text()
    assert "**Exceptions added by this change (0)**: none applied" in comment
    assert f"⚠️ [`{CHAT}:8`]" in comment and "proposed exception, not applied" in comment


def test_golden_report_and_comment_with_exceptions_are_deterministic(
    platform_repo: PlatformRepo,
    run_cli: RunCli,
    golden: Golden,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo, root = platform_repo(
        {
            ".github/pattern-verify.yml": (
                "exceptions:\n"
                "  - requirement: no-direct-websocket-access\n"
                "    path: frontend/src/components/**\n"
                "    reason: vendor status feed until the contract ends\n"
                "    until: 2025-06-30\n"
            ),
            STATUS_TS: status_banner(),
        }
    )
    feature(
        repo,
        root,
        {
            CHAT: router(
                "# pattern-verify: allow single-websocket-endpoint -- legacy chat | kept for the "
                "mobile app (`v4`) until <May>"
            ),
            NOTIFICATIONS: service("# pattern-verify: allow no-direct-websocket-access"),
        },
    )
    monkeypatch.chdir(root)
    outputs = []
    for name in ("first", "second"):
        out = tmp_path / name
        run_cli("run", ".", "--output-dir", out, "--repo-url", REPO_URL, "--base", "main")
        outputs.append(
            tuple((out / f).read_text() for f in ("report.md", "comment.md", "results.json"))
        )
    assert outputs[0] == outputs[1]
    report, comment, _ = outputs[0]
    golden("exceptions-pr/report.md", report)
    golden("exceptions-pr/comment.md", comment)


def test_the_schema_describes_exceptions(run_cli: RunCli) -> None:
    code, out, _ = run_cli("schema")
    assert code == 0
    schema = json.loads(out)
    assert {"new_exceptions", "exception_problems", "exceptions_as_of"} <= set(schema["properties"])
    requirement_schema = schema["$defs"]["RequirementResult"]["properties"]
    assert "exceptions" in requirement_schema
    accepted = schema["$defs"]["AcceptedException"]["properties"]
    assert {"finding", "reason", "source", "until", "declared_at", "change"} <= set(accepted)

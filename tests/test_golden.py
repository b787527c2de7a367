"""Golden files of the rendered report and comment, reviewed like code.

Regenerate with `pytest tests/test_golden.py --update-golden` and review the diff."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import git
import pytest
from conftest import ENGINE_LINE
from test_websocket_pack import CHAT_ROUTER, DIRECT_ACCESS_SERVICE

from pattern_verify.render import lite

RunCli = Callable[..., tuple[int, str, str]]
PlatformRepo = Callable[..., tuple[git.Repo, Path]]
Golden = Callable[[str, str], None]


def render(run_cli: RunCli, root: Path, out: Path, *extra: str) -> tuple[str, str]:
    run_cli(
        "run", ".", "--output-dir", out, "--repo-url", "https://github.com/acme/platform", *extra
    )
    report = (out / "report.md").read_text()
    # the one line the goldens compare apart: it names the engine that ran, as results.json does
    engine = json.loads((out / "results.json").read_text())["scope"]["engine"]
    cli = "native CLI" if engine["name"] == "native" else "Python CLI"
    reason = lite(engine["reason"])
    line = f"- **Engine:** semgrep `{engine['semgrep_version']}`, its {cli} ({reason})"
    assert ENGINE_LINE.findall(report) == [line]
    return report, (out / "comment.md").read_text()


def test_compliant_platform(
    platform_repo: PlatformRepo,
    run_cli: RunCli,
    golden: Golden,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, root = platform_repo()
    monkeypatch.chdir(root)
    report, comment = render(run_cli, root, tmp_path / "out")
    golden("compliant/report.md", report)
    golden("compliant/comment.md", comment)


def test_violating_platform_in_pr_mode(
    platform_repo: PlatformRepo,
    run_cli: RunCli,
    golden: Golden,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo, root = platform_repo()
    repo.git.checkout("-b", "feature")
    (root / "backend/api/chat_router.py").write_text(CHAT_ROUTER)
    service = root / "backend/smart_city/services/notifications/notification_service.py"
    service.parent.mkdir(parents=True, exist_ok=True)
    service.write_text(DIRECT_ACCESS_SERVICE)
    repo.git.add("--all")
    repo.index.commit(
        "feature", author_date="2025-01-16T09:30:00", commit_date="2025-01-16T09:30:00"
    )
    monkeypatch.chdir(root)
    report, comment = render(run_cli, root, tmp_path / "out", "--base", "main")
    golden("violating-pr/report.md", report)
    golden("violating-pr/comment.md", comment)


def test_clean_pr_on_a_repository_with_debt(
    platform_repo: PlatformRepo,
    run_cli: RunCli,
    golden: Golden,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """main already fails three requirements (an extra endpoint, a direct access, a Post
    Office that does not create the gateway); the PR adds nothing and removes the extra
    endpoint. The check passes, and the comment says why first."""
    office = "backend/smart_city/services/post_office/post_office_service.py"
    repo, root = platform_repo(
        {
            "backend/api/chat_router.py": CHAT_ROUTER,
            "backend/smart_city/services/notifications/notification_service.py": (
                DIRECT_ACCESS_SERVICE
            ),
        }
    )
    text = (root / office).read_text()
    (root / office).write_text(
        text.replace("WebSocketGatewayService(redis_client)", "None  # gateway created lazily")
    )
    repo.git.add("--all")
    repo.index.commit("debt", author_date="2025-01-15T12:00:00", commit_date="2025-01-15T12:00:00")
    repo.git.checkout("-b", "feature")
    (root / "backend/api/chat_router.py").unlink()
    content = root / "backend/api/content_router.py"
    content.write_text(content.read_text() + "\n\ndef _unused() -> None:\n    pass\n")
    repo.git.add("--all")
    repo.index.commit(
        "feature", author_date="2025-01-16T09:30:00", commit_date="2025-01-16T09:30:00"
    )
    monkeypatch.chdir(root)
    report, comment = render(run_cli, root, tmp_path / "out", "--base", "main")
    golden("clean-pr-with-debt/report.md", report)
    golden("clean-pr-with-debt/comment.md", comment)

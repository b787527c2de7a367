"""Shared test helpers: real git repositories built with gitpython, the bundled example, and
the CLI run in-process."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import git
import pytest

from pattern_verify.cli import main as cli_main

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = REPO_ROOT / "examples" / "websocket-platform"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

ENGINE_LINE = re.compile(r"^- \*\*Engine:\*\* .+$", re.MULTILINE)
ENGINE_PLACEHOLDER = "- **Engine:** (the semgrep that ran, compared apart: see test_golden.py)"

AUTHOR = git.Actor("Test Author", "author@example.invalid")
# fixed dates keep reports byte-identical from run to run
COMMIT_DATE = "2025-01-15T12:00:00"


def write_files(root: Path, files: Mapping[str, str | bytes | None]) -> None:
    for name, content in files.items():
        path = root / name
        if content is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def commit_all(repo: git.Repo, message: str, date: str = COMMIT_DATE) -> git.Commit:
    repo.git.add("--all")
    return repo.index.commit(
        message, author=AUTHOR, committer=AUTHOR, author_date=date, commit_date=date
    )


def init_repo(root: Path, files: Mapping[str, str | bytes | None] | None = None) -> git.Repo:
    root.mkdir(parents=True, exist_ok=True)
    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", AUTHOR.name)
        cfg.set_value("user", "email", AUTHOR.email)
        cfg.set_value("commit", "gpgsign", "false")
    if files is not None:
        write_files(root, files)
        commit_all(repo, "initial")
    return repo


def example_files() -> dict[str, str]:
    """The bundled compliant platform as a mapping path → text."""
    return {
        path.relative_to(EXAMPLE).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(EXAMPLE.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(autouse=True)
def _own_facts_store(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test's runs share a facts store of their own: never the checkout's (runs on
    examples/ would otherwise write .pattern-verify-cache/ into this repository)."""
    monkeypatch.setenv("PATTERN_VERIFY_CACHE_DIR", str(tmp_path_factory.mktemp("facts-store")))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output (review the diff like code)",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with tests/golden/<name>, or rewrite it with --update-golden."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, text: str) -> None:
        path = Path(__file__).resolve().parent / "golden" / name
        # the report names the semgrep that ran; the goldens are checked on both engines (CI
        # runs them again on the Python CLI), so that one line is compared apart
        assert len(ENGINE_LINE.findall(text)) <= 1, text
        text = ENGINE_LINE.sub(ENGINE_PLACEHOLDER, text)
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"{path} is missing: run pytest --update-golden and review it"
        assert text == path.read_text(encoding="utf-8"), (
            f"{name} differs from its golden file: review, then pytest --update-golden"
        )

    return check


@pytest.fixture
def platform_repo(tmp_path: Path) -> Callable[..., tuple[git.Repo, Path]]:
    """A git repo holding the compliant example platform, optionally changed."""

    def build(
        changes: Mapping[str, str | bytes | None] | None = None, name: str = "platform"
    ) -> tuple[git.Repo, Path]:
        root = tmp_path / name
        shutil.copytree(EXAMPLE, root)
        repo = init_repo(root)
        commit_all(repo, "platform")
        if changes:
            write_files(root, changes)
            commit_all(repo, "change")
        return repo, root

    return build


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    def run(*args: str | Path) -> tuple[int, str, str]:
        code = cli_main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run

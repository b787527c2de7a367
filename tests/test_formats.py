"""The output formats: one registry (`formats.py`), every output produced by it, and the CLI
able to print any of them (`run --format`) and write SARIF beside the results (`--sarif`).

Each format is checked through the CLI on the bundled example platform with a change that
breaks two requirements (real git, real semgrep): on stdout, the same bytes as its file, with
no progress text mixed in, and the exit code of the verdict whatever the format."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import git
import jsonschema
import pytest
from conftest import FIXTURES
from test_websocket_pack import CHAT_ROUTER, DIRECT_ACCESS_SERVICE

from pattern_verify import formats

RunCli = Callable[..., tuple[int, str, str]]
PlatformRepo = Callable[..., tuple[git.Repo, Path]]

SARIF_SCHEMA = json.loads(
    (FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
SERVICE = "backend/smart_city/services/notifications/notification_service.py"


def violating_platform(platform_repo: PlatformRepo) -> Path:
    """The example platform with a second endpoint and a direct websocket access."""
    _, root = platform_repo(
        {"backend/api/chat_router.py": CHAT_ROUTER, SERVICE: DIRECT_ACCESS_SERVICE}
    )
    return root


def assert_valid_sarif(text: str) -> dict[str, object]:
    log = json.loads(text)
    errors = sorted(
        jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(log), key=lambda e: e.json_path
    )
    assert not errors, [f"{e.json_path}: {e.message}" for e in errors[:5]]
    return log  # type: ignore[no-any-return]


def test_every_format_is_printed_as_its_file_holds_it(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    root = violating_platform(platform_repo)
    out = tmp_path / "out"
    code, text, progress = run_cli("run", root, "--output-dir", out)
    assert code == 1
    # the default stays the terminal summary: the gate first, the files last
    assert text.startswith("❌ 2 of 4 requirements fail (2 violations)\n")
    assert text.endswith(
        f"exit 1 (fail-on: any) · wrote {out}/report.md, {out}/comment.md, {out}/results.json\n"
    )
    assert f"{SERVICE}:" in text
    assert "scanning" in progress

    printed: dict[str, str] = {}
    for name in formats.NAMES:
        code, stdout, stderr = run_cli("run", root, "--output-dir", out, "--format", name)
        assert code == 1, (name, stderr)  # the verdict's exit code, whatever is printed
        assert "scanning" in stderr and "scanning" not in stdout  # progress stays on stderr
        printed[name] = stdout

    assert printed["text"] == text
    assert printed["markdown"] == (out / "report.md").read_text(encoding="utf-8")
    assert printed["markdown"].startswith("# ")
    assert printed["comment"] == (out / "comment.md").read_text(encoding="utf-8")
    assert printed["comment"].startswith("<!-- pattern-verify:")
    assert printed["json"] == (out / "results.json").read_text(encoding="utf-8")
    results = json.loads(printed["json"])
    assert results["status"] == "fail"

    log = assert_valid_sarif(printed["sarif"])
    (run,) = log["runs"]  # type: ignore[index]
    violations = [
        (v["path"], v["line"], v["fingerprint"])
        for r in results["requirements"]
        for v in r["violations"]
    ]
    located = [
        (
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
            result["partialFingerprints"]["patternVerify/v1"],
        )
        for result in run["results"]
    ]
    assert sorted(located) == sorted(violations) and len(violations) == 2

    # workflow commands: one error per violation (fail-on any), at its file and line
    annotations = printed["github"].splitlines()
    assert len(annotations) == 2
    assert all(line.startswith("::error file=") for line in annotations)
    assert sorted(
        (line.split("file=")[1].split(",")[0], int(line.split(",line=")[1].split(",")[0]))
        for line in annotations
    ) == sorted((path, line) for path, line, _ in violations)


def test_fail_on_decides_the_exit_code_and_the_annotations_level(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    root = violating_platform(platform_repo)
    code, stdout, _ = run_cli(
        "run", root, "--output-dir", tmp_path / "o", "--format", "github", "--fail-on", "never"
    )
    assert code == 0
    lines = stdout.splitlines()
    assert len(lines) == 2 and all(line.startswith("::warning file=") for line in lines)


def test_sarif_file_is_written_beside_the_results_and_valid(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    root = violating_platform(platform_repo)
    sarif_file = tmp_path / "scan" / "pattern-verify.sarif"
    out = tmp_path / "out"
    code, stdout, _ = run_cli("run", root, "--output-dir", out, "--sarif", sarif_file)
    assert code == 1
    written = sarif_file.read_text(encoding="utf-8")
    log = assert_valid_sarif(written)
    assert len(log["runs"][0]["results"]) == 2  # type: ignore[index]
    assert stdout.endswith(f"{out}/results.json, {sarif_file}\n")  # the summary names it
    # the same bytes as the format on stdout, and as a second run's: deterministic
    assert run_cli("run", root, "--output-dir", out, "--format", "sarif")[1] == written
    run_cli("run", root, "--output-dir", out, "--sarif", sarif_file, "-q")
    assert sarif_file.read_text(encoding="utf-8") == written


def test_a_passing_run_with_quiet_prints_nothing_in_any_format(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    _, root = platform_repo()
    sarif_file = tmp_path / "results.sarif"
    code, stdout, stderr = run_cli(
        "run", root, "--output-dir", tmp_path / "o", "--format", "json", "-q", "--sarif", sarif_file
    )
    assert (code, stdout, stderr) == (0, "", "")
    log = assert_valid_sarif(sarif_file.read_text(encoding="utf-8"))
    assert log["runs"][0]["results"] == []  # type: ignore[index]


def test_a_sarif_path_that_is_a_directory_fails_before_the_scan(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    _, root = platform_repo()
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("run", root, "--output-dir", out, "--sarif", tmp_path)
    assert code == 2 and stdout == ""
    assert stderr == (
        f"pattern-verify: error: --sarif: `{tmp_path}` is a directory; expected a file path\n"
    )
    assert not out.exists()  # nothing scanned, nothing written


@pytest.mark.parametrize(
    ("options", "named"),
    [(["--format", "json"], "--format json"), (["--sarif", "x.sarif"], "--sarif")],
)
def test_a_shard_prints_and_writes_no_verdict_format(
    run_cli: RunCli, tmp_path: Path, options: list[str], named: str
) -> None:
    code, stdout, stderr = run_cli("run", tmp_path, "--shard", "1/2", *options)
    assert code == 2 and stdout == ""
    assert stderr == (
        f"pattern-verify: error: --shard writes facts only; {named} belongs to the run with "
        "--facts\n"
    )


def cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "pattern_verify", *map(str, args)],
        capture_output=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_an_unknown_format_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = cli("run", tmp_path, "--format", "xml")
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode() == (
        "pattern-verify run: error: argument --format: invalid choice: 'xml' (choose from "
        "'text', 'markdown', 'comment', 'json', 'sarif', 'github')\n"
    )


def test_a_machine_format_keeps_its_bytes_on_a_console_that_cannot_show_them(
    platform_repo: PlatformRepo, tmp_path: Path
) -> None:
    """On a cp1252 console the terminal summary degrades its symbols (`[FAIL]`); the report
    printed for a program is the file's UTF-8, symbols and all."""
    root = violating_platform(platform_repo)
    out = tmp_path / "out"
    cp1252 = {"PYTHONIOENCODING": "cp1252"}
    result = cli("run", root, "--output-dir", out, "--format", "markdown", env=cp1252)
    assert result.returncode == 1, result.stderr
    report = (out / "report.md").read_bytes()
    assert "❌".encode() in report
    assert result.stdout == report
    text = cli("run", root, "--output-dir", out, env=cp1252)
    assert text.returncode == 1
    assert text.stdout.decode("cp1252").startswith("[FAIL] 2 of 4 requirements fail")

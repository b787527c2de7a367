"""semgrep's two CLIs, the native (OCaml) one and the Python one, give the same facts; auto
picks the native one only where it does, and says why when it does not."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLE, FIXTURES, REPO_ROOT, write_files

from pattern_verify import scan, targets
from pattern_verify.config import load_config
from pattern_verify.errors import ScanError

RunCli = Callable[..., tuple[int, str, str]]
CORPUS = Path(__file__).resolve().parent / "corpus"
# every corpus project, the example platform, and the rules' own annotated test files (their
# look-alikes and edge cases, scanned as a project of their own)
PROJECTS = [
    *sorted(p.parent for p in CORPUS.glob("*/expected.json")),
    EXAMPLE,
    REPO_ROOT / "rules" / "websocket-gateway",
]


def _facts(result: scan.ScanResult) -> dict[str, object]:
    return {
        "head": [f.model_dump() for f in result.head],
        "base": [f.model_dump() for f in result.base],
        "not_verified": [s.model_dump() for s in result.not_verified],
        "errors": list(result.errors),
    }


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_both_engines_give_identical_facts(project: Path) -> None:
    config = load_config(project)
    # the rules directory holds test files the default excludes would drop: scan them all
    config = config.model_copy(update={"exclude": ()})
    collected = targets.collect(project, config)
    assert collected.files
    native = scan.run(config, collected, engine="native")
    python = scan.run(config, collected, engine="python")
    assert native.engine is not None and native.engine.name == "native"
    assert python.engine is not None and python.engine.name == "python"
    assert native.engine.semgrep_version == python.engine.semgrep_version
    assert native.head, "no facts: the comparison would prove nothing"
    assert _facts(native) == _facts(python)


def test_auto_runs_the_native_cli_and_results_json_says_so(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(scan.ENGINE_ENV, raising=False)
    out = tmp_path / "out"
    code, _, _ = run_cli("run", EXAMPLE, "--output-dir", out, "--engine", "auto")
    assert code == 0
    engine = json.loads((out / "results.json").read_text())["scope"]["engine"]
    assert engine["name"] == "native"
    assert engine["reason"].startswith("auto: ")
    assert engine["semgrep_version"].count(".") == 2
    code, _, _ = run_cli("run", EXAMPLE, "--output-dir", out, "--engine", "python")
    engine = json.loads((out / "results.json").read_text())["scope"]["engine"]
    assert (engine["name"], engine["reason"]) == ("python", "requested (--engine python)")


def test_auto_picks_python_for_a_rule_the_native_cli_would_skip(tmp_path: Path) -> None:
    # the native CLI skips `mode: join` rules without a word: their facts would be missing
    root = tmp_path / "repo"
    write_files(
        root,
        {
            ".github/pattern-verify.yml": f"pack: {FIXTURES / 'mini-pack'}\n"
            "requirements:\n"
            "  - id: joined\n"
            "    title: Joined\n"
            "    rules: [.github/join.yaml]\n"
            "    checks: [{kind: forbid, facts: [joined]}]\n",
            ".github/join.yaml": "rules:\n"
            "  - id: joined\n"
            "    mode: join\n"
            "    severity: INFO\n"
            "    message: joined\n"
            "    metadata: {fact: joined}\n"
            "    join:\n"
            "      rules:\n"
            "        - {id: a, languages: [python], pattern: print(...)}\n"
            "      on: ['a.$X == a.$X']\n",
        },
    )
    choice = scan.choose_engine(load_config(root), "auto")
    assert choice == scan.EngineChoice(
        "python", "auto: rule `joined` uses `mode: join`, which the native CLI does not run"
    )


def _fake_semgrep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version_output: str) -> None:
    fake = tmp_path / "bin" / "semgrep"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\n{version_output}\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))


def test_auto_picks_python_on_a_semgrep_older_than_the_checked_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_semgrep(tmp_path, monkeypatch, "echo 1.150.0")
    choice = scan.choose_engine(load_config(EXAMPLE), "auto")
    assert choice.name == "python"
    assert choice.reason == (
        "auto: semgrep 1.150.0 predates 1.185.0, the first version whose native CLI was "
        "checked to give the same facts"
    )


def test_auto_picks_python_when_the_native_cli_does_not_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_semgrep(tmp_path, monkeypatch, "echo 'semgrep-core not found' >&2; exit 2")
    choice = scan.choose_engine(load_config(EXAMPLE), "auto")
    assert choice.name == "python"
    assert "native CLI is not available" in choice.reason and "semgrep-core not found" in (
        choice.reason
    )
    # asked for by name, it is an error rather than a quiet fallback
    with pytest.raises(ScanError, match="--engine native: semgrep's native CLI is not available"):
        scan.choose_engine(load_config(EXAMPLE), "native")


def test_the_environment_sets_the_default_engine_and_a_bad_value_is_exit_2(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(scan.ENGINE_ENV, "python")
    assert scan.choose_engine(load_config(EXAMPLE)) == scan.EngineChoice(
        "python", "requested (PATTERN_VERIFY_ENGINE python)"
    )
    monkeypatch.setenv(scan.ENGINE_ENV, "fast")
    code, _, stderr = run_cli("run", EXAMPLE, "--output-dir", tmp_path / "out")
    assert code == 2
    assert "PATTERN_VERIFY_ENGINE: expected one of auto, native, python, got `fast`" in stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize("engine", ["native", "python"])
def test_a_target_that_vanished_is_a_scan_error_on_both_engines(engine: str) -> None:
    # the Python CLI exits 2 on a missing target; the native one reports it and exits 0
    config = load_config(EXAMPLE)
    collected = targets.collect(EXAMPLE, config)
    gone = dataclasses.replace(collected, files=(*collected.files, "backend/vanished.py"))
    with pytest.raises(ScanError, match=r"Invalid scanning root: backend/vanished\.py"):
        scan.run(config, gone, engine=engine)

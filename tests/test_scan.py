"""The scan stage's process handling: semgrep started, left running, timed out, stopped."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, write_files

from pattern_verify import scan, targets
from pattern_verify.config import load_config
from pattern_verify.errors import ScanError
from pattern_verify.specs import RuleInfo


def _tree(root: Path) -> Path:
    write_files(
        root,
        {
            ".github/pattern-verify.yml": f"pack: {FIXTURES / 'mini-pack'}\n",
            "gateway/router.py": '@router.websocket("/ws")\ndef ws(s):\n    print("hi")\n',
        },
    )
    return root


def _gone(process_group: int, wait: float = 10.0) -> bool:
    """Whether the process group is gone. Killed members that semgrep started are reaped by
    init, not by us, which can lag on a loaded machine: wait a bounded while before saying no."""
    deadline = time.monotonic() + wait
    while True:
        try:
            os.killpg(process_group, 0)
        except ProcessLookupError:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def test_the_scan_runs_while_the_caller_works_then_reads_its_results(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo")
    config = load_config(root)
    with scan.started(config, targets.collect(root, config)) as running:
        assert running.process is not None and running.process.process.poll() is None
        result = running.result()
    assert [(f.rule_id, f.path) for f in result.head] == [
        ("mini-endpoint", "gateway/router.py"),
        ("mini-print", "gateway/router.py"),
    ]


def test_only_rules_with_results_compile_a_message_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a reader compiles its rule's message template; a run that reads the results of a few
    # files (a warm PR run) must not pay for every rule of the pack
    root = tmp_path / "repo"
    write_files(
        root,
        {
            ".github/pattern-verify.yml": f"pack: {FIXTURES / 'mini-pack'}\n",
            "gateway/log.py": 'print("hi")\nprint("ho")\n',
        },
    )
    config = load_config(root)
    built: list[str] = []

    class CountingReader(scan.MessageReader):
        def __init__(self, rule: RuleInfo) -> None:
            built.append(rule.id)
            super().__init__(rule)

    monkeypatch.setattr(scan, "MessageReader", CountingReader)
    result = scan.run(config, targets.collect(root, config))
    assert [(f.rule_id, f.captures) for f in result.head] == [
        ("mini-print", {"x": "hi"}),
        ("mini-print", {"x": "ho"}),
    ]
    assert len(config.rules) == 2 and built == ["mini-print"]


def test_the_native_cli_is_started_as_the_semgrep_script_would_start_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # this environment's `semgrep` is a Python script that execs semgrep-core under the name
    # `osemgrep`; the tool starts the binary so itself, and finds what the script finds
    root = _tree(tmp_path / "repo")
    config = load_config(root)
    ours = Path(sys.executable).parent / "semgrep"
    monkeypatch.setattr(scan, "semgrep_command", lambda: [str(ours)])
    started: list[tuple[str, str | None]] = []
    popen = subprocess.Popen

    def recording(args: list[str], *rest: object, **options: object) -> object:
        if args[1] == "scan":  # not the version check that chooses the engine
            started.append((args[0], options.get("executable")))  # type: ignore[arg-type]
        return popen(args, *rest, **options)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "Popen", recording)
    direct = scan.run(config, targets.collect(root, config), engine="native")
    core = scan.native_core(str(ours))
    assert core is not None and Path(core).name == "semgrep-core"
    assert started == [("osemgrep", core)]
    monkeypatch.setattr(scan, "native_core", lambda semgrep: None)
    through_the_script = scan.run(config, targets.collect(root, config), engine="native")
    assert started[1:] == [(str(ours), None)]
    assert direct == through_the_script
    assert [f.rule_id for f in direct.head] == ["mini-endpoint", "mini-print"]


def test_a_semgrep_of_another_installation_runs_as_its_script(tmp_path: Path) -> None:
    # which package another installation's script would load is not the tool's to guess
    elsewhere = tmp_path / "bin" / "semgrep"
    elsewhere.parent.mkdir()
    elsewhere.write_text("#!/bin/sh\nexit 2\n")
    elsewhere.chmod(0o755)
    assert scan.native_core(str(elsewhere)) is None


def test_leaving_the_block_early_stops_semgrep_and_its_engine(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo")
    config = load_config(root)
    with (
        pytest.raises(RuntimeError),
        scan.started(config, targets.collect(root, config)) as running,
    ):
        assert running.process is not None
        group = running.process.process.pid  # its own session: the group id is its pid
        raise RuntimeError("the caller's work failed while semgrep ran")
    assert _gone(group)


def test_a_scan_past_its_timeout_is_stopped_and_said_so(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo")
    config = load_config(root)
    with scan.started(config, targets.collect(root, config), timeout=0.005) as running:
        assert running.process is not None
        group = running.process.process.pid
        with pytest.raises(ScanError, match=r"did not finish within 0\.005 seconds \(timeout\)"):
            running.result()
        assert _gone(group)

"""The pipeline end to end on small real trees with a tiny pack: real semgrep, real git."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, commit_all, init_repo, write_files

from pattern_verify.commands.schema import results_schema

MINI_PACK = FIXTURES / "mini-pack"

RunCli = Callable[..., tuple[int, str, str]]


def mini_tree(root: Path, extra: dict[str, str | bytes | None] | None = None) -> Path:
    files: dict[str, str | bytes | None] = {
        ".github/pattern-verify.yml": f"pack: {MINI_PACK}\n",
        "gateway/router.py": '@router.websocket("/ws")\ndef ws(s):\n    print("in gateway")\n',
        "app/service.py": "def handle(x):\n    return x\n",
        "tests/test_app.py": 'print("tests are excluded by the pack")\n',
        "README.md": "not a python file\n",
    }
    files.update(extra or {})
    write_files(root, files)
    return root


def test_a_compliant_tree_passes_and_writes_the_three_files(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = mini_tree(tmp_path / "repo")
    commit_all(init_repo(root), "initial")
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("run", root, "--output-dir", out)
    assert code == 0, stdout
    assert stdout.startswith("✅ All 2 requirements pass\n")
    assert "scanning 2 files with 2 rules…" in stderr
    assert sorted(p.name for p in out.iterdir()) == ["comment.md", "report.md", "results.json"]
    results = json.loads((out / "results.json").read_text())
    assert results["schema_version"] == 1
    assert results["status"] == "pass"
    assert results["scope"]["files_scanned"] == 2
    assert results["scope"]["files_excluded"] == 1
    assert results["fixed"] == [] and results["new_violations"] is None


def test_a_violation_fails_with_exit_1_and_names_the_file(tmp_path: Path, run_cli: RunCli) -> None:
    root = mini_tree(tmp_path / "repo", {"app/service.py": "def handle(x):\n    print(x)\n"})
    out = tmp_path / "out"
    code, stdout, _ = run_cli("run", root, "--output-dir", out)
    assert code == 1
    assert "app/service.py:2" in stdout
    results = json.loads((out / "results.json").read_text())
    (confined,) = [r for r in results["requirements"] if r["id"] == "prints-confined"]
    assert confined["status"] == "fail"
    assert [(v["path"], v["line"]) for v in confined["violations"]] == [("app/service.py", 2)]
    assert [(e["path"], e["line"]) for e in confined["evidence"]] == [("gateway/router.py", 3)]
    finding = confined["violations"][0]
    assert set(finding) >= {"rule_id", "path", "line", "end_line", "message", "change"}
    assert finding["captures"] == {"x": "x"} and finding["dynamic"] == ["x"]
    everything = {(f["path"], f["line"], tuple(f["requirements"])) for f in results["findings"]}
    assert ("app/service.py", 2, ("prints-confined",)) in everything
    assert ("gateway/router.py", 1, ("one-endpoint",)) in everything
    assert "❌" in (out / "report.md").read_text()
    assert run_cli("run", root, "--output-dir", out, "--fail-on", "never")[0] == 0


def test_two_runs_write_byte_identical_files(tmp_path: Path, run_cli: RunCli) -> None:
    root = mini_tree(tmp_path / "repo", {"app/chat.py": '@app.websocket("/chat")\ndef c(s): ...\n'})
    commit_all(init_repo(root), "initial")
    first, second = tmp_path / "one", tmp_path / "two"
    assert run_cli("run", root, "--output-dir", first)[0] == 1
    assert run_cli("run", root, "--output-dir", second)[0] == 1
    for name in ("report.md", "comment.md", "results.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_the_report_date_is_the_head_commit_date(tmp_path: Path, run_cli: RunCli) -> None:
    root = mini_tree(tmp_path / "repo")
    commit_all(init_repo(root), "initial")
    out = tmp_path / "out"
    run_cli("run", root, "--output-dir", out)
    report = (out / "report.md").read_text()
    assert "**Date:** 2025-01-15" in report or "**Date:** 2025\\-01\\-15" in report


def test_files_that_cannot_be_verified_are_listed_not_dropped(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = mini_tree(
        tmp_path / "repo",
        {
            "app/binary.py": bytes(range(256)) * 4,
            "app/broken.py": "def (:\n  print(1\n",
            "web/App.vue": "<script>new WebSocket('/x')</script>\n",
            "app/latin1.py": "# caf\xe9\nprint('x')\n".encode("latin-1"),
            "app/huge.py": "x = 1\n" * 200_000,
        },
    )
    (root / "app/passwd.py").symlink_to("/etc/passwd")
    out = tmp_path / "out"
    code, _, _ = run_cli("run", root, "--output-dir", out)
    assert code in (0, 1)
    results = json.loads((out / "results.json").read_text())
    not_verified = {s["path"]: s["reason"] for s in results["scope"]["not_verified"]}
    assert "app/binary.py" in not_verified
    assert "app/broken.py" in not_verified
    assert "outside the repository" in not_verified["app/passwd.py"]
    assert "not UTF-8" in not_verified["app/latin1.py"]
    assert "larger than" in not_verified["app/huge.py"]
    assert "web/App.vue" not in not_verified  # the pack has no JavaScript rules
    assert "Not verified" in (out / "report.md").read_text()


def test_a_tree_that_is_not_git_still_runs(tmp_path: Path, run_cli: RunCli) -> None:
    root = mini_tree(tmp_path / "plain")
    out = tmp_path / "out"
    code, stdout, _ = run_cli("run", root, "--output-dir", out)
    assert code == 0, stdout
    results = json.loads((out / "results.json").read_text())
    assert results["repository"]["head"]["sha"] is None


def test_an_empty_repository_and_a_detached_head(tmp_path: Path, run_cli: RunCli) -> None:
    empty = tmp_path / "empty"
    init_repo(empty)
    code, stdout, stderr = run_cli(
        "run",
        empty,
        "--config",
        mini_tree(tmp_path / "cfg") / ".github/pattern-verify.yml",
        "--output-dir",
        tmp_path / "o1",
    )
    # no file to judge: an answer that says so, not requirements "judged" on nothing
    assert code == 2
    assert "nothing to verify: the directory has no files" in stderr
    root = mini_tree(tmp_path / "repo")
    repo = init_repo(root)
    first = commit_all(repo, "one")
    write_files(root, {"app/more.py": "x = 1\n"})
    commit_all(repo, "two")
    repo.git.checkout(first.hexsha)
    code, stdout, _ = run_cli("run", root, "--output-dir", tmp_path / "o2")
    assert code == 0, stdout


def test_a_rule_semgrep_rejects_is_exit_2_naming_the_rule(tmp_path: Path, run_cli: RunCli) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(MINI_PACK, pack)
    rules = (pack / "mini.yaml").read_text().replace("pattern: print($X)", "pattern: print($X")
    (pack / "mini.yaml").write_text(rules)
    root = mini_tree(tmp_path / "repo", {".github/pattern-verify.yml": f"pack: {pack}\n"})
    code, _, stderr = run_cli("run", root, "--output-dir", tmp_path / "out")
    assert code == 2
    assert f"rule `mini-print` in {pack / 'mini.yaml'}" in stderr
    assert "Traceback" not in stderr


def test_a_rule_outside_semgreps_schema_is_exit_2_naming_its_file_and_line(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # semgrep is given every rule in one file; what it says of a bad one must still point into
    # the pack's own file, not that one
    pack = tmp_path / "pack"
    shutil.copytree(MINI_PACK, pack)
    rules = (
        (pack / "mini.yaml").read_text().replace("    pattern: print($X)", "    patern: print($X)")
    )
    (pack / "mini.yaml").write_text(rules)
    root = mini_tree(tmp_path / "repo", {".github/pattern-verify.yml": f"pack: {pack}\n"})
    code, _, stderr = run_cli("run", root, "--output-dir", tmp_path / "out")
    assert code == 2
    assert f"{pack / 'mini.yaml'}, line 12: " in stderr
    assert "rules.json" not in stderr and "Traceback" not in stderr


def test_missing_semgrep_is_exit_2(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = mini_tree(tmp_path / "repo")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    monkeypatch.setattr("sys.executable", str(tmp_path / "nothing-here" / "python"))
    code, _, stderr = run_cli("run", root, "--output-dir", tmp_path / "out")
    assert code == 2
    assert "semgrep is not installed" in stderr


def test_a_bad_config_is_exit_2_with_every_error(tmp_path: Path, run_cli: RunCli) -> None:
    root = mini_tree(
        tmp_path / "repo",
        {".github/pattern-verify.yml": f"pack: {MINI_PACK}\nexclude: 1\ntitel: x\n"},
    )
    for command in ("run", "check-config"):
        code, _, stderr = run_cli(command, root)
        assert code == 2
        assert ".github/pattern-verify.yml: exclude: Input should be a valid list" in stderr
        assert ".github/pattern-verify.yml: titel: unknown key" in stderr
        assert "Traceback" not in stderr


def test_check_config_prints_the_requirements(tmp_path: Path, run_cli: RunCli) -> None:
    root = mini_tree(tmp_path / "repo")
    code, stdout, _ = run_cli("check-config", root)
    assert code == 0
    assert "one-endpoint: One Endpoint" in stdout


def test_check_config_notes_patterns_no_rule_looks_for(tmp_path: Path, run_cli: RunCli) -> None:
    root = mini_tree(
        tmp_path / "repo",
        {
            ".github/pattern-verify.yml": f"pack: {MINI_PACK}\n"
            "requirements:\n  - id: no-prints\n    title: No Prints\n"
            "    checks: [{kind: forbid, facts: [print-call]}]\n"
            "    correct_patterns:\n"
            "      - {text: Logs go through the logger., facts: [print-call]}\n"
            "      - The gateway logs.\n"
            "    anti_patterns: [Printing secrets.]\n"
        },
    )
    code, stdout, _ = run_cli("check-config", root)
    assert code == 0
    lines = stdout.split("  no-prints: No Prints\n")[1].splitlines()
    assert lines == [
        "    note: correct_patterns[1] names no `facts`: no rule looks for it, so the report "
        "shows it as not checked, never as holding",
        "    note: anti_patterns[0] names no `rules`: the report never calls it found or none "
        "found, only points to its failing requirement",
    ]


def test_results_json_matches_the_published_schema(tmp_path: Path, run_cli: RunCli) -> None:
    root = mini_tree(tmp_path / "repo", {"app/service.py": "print(1)\n"})
    commit_all(init_repo(root), "initial")
    out = tmp_path / "out"
    run_cli("run", root, "--output-dir", out, "--timings")
    results = json.loads((out / "results.json").read_text())
    assert set(results["timings"]) == {
        "config",
        "targets",
        "scan",
        "link",
        "evaluate",
        "compare",
        "render",
    }
    jsonschema.validate(results, results_schema())
    code, stdout, _ = run_cli("schema")
    assert code == 0 and json.loads(stdout)["title"] == "Verification"


def test_report_path_writes_inside_the_tree_only(tmp_path: Path, run_cli: RunCli) -> None:
    root = mini_tree(tmp_path / "repo")
    code, _, _ = run_cli(
        "run", root, "--output-dir", tmp_path / "out", "--report-path", "docs/verification.md"
    )
    assert code == 0
    assert (root / "docs/verification.md").read_bytes() == (tmp_path / "out/report.md").read_bytes()
    for bad in ("../x.md", "/tmp/x.md"):
        code, _, stderr = run_cli("run", root, "--report-path", bad)
        assert code == 2 and "report-path" in stderr


def test_the_user_can_replace_templates(tmp_path: Path, run_cli: RunCli) -> None:
    root = mini_tree(
        tmp_path / "repo",
        {
            ".github/pattern-verify.yml": f"pack: {MINI_PACK}\ntemplates: .github/pv-templates\n",
            ".github/pv-templates/report.md.j2": "# {{ v.title }} — {{ v.status }}\n",
        },
    )
    out = tmp_path / "out"
    assert run_cli("run", root, "--output-dir", out)[0] == 0
    assert (out / "report.md").read_text() == "# Mini Pattern Verification — pass\n"
    write_files(root, {".github/pv-templates/comment.md.j2": "no marker here\n"})
    code, _, stderr = run_cli("run", root, "--output-dir", out)
    assert code == 2 and "marker" in stderr


def test_a_template_that_does_not_compile_is_exit_2_naming_its_file_and_line(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = mini_tree(
        tmp_path / "repo",
        {
            ".github/pattern-verify.yml": f"pack: {MINI_PACK}\ntemplates: .github/pv-templates\n",
            # an included template too: every template compiles before anything renders
            ".github/pv-templates/_findings.md.j2": "ok\n{% for x in %}\n",
        },
    )
    for command in (["run", root, "--output-dir", tmp_path / "out"], ["check-config", root]):
        code, _, stderr = run_cli(*command)
        assert code == 2
        assert "pattern-verify: error: _findings.md.j2, line 2: " in stderr
        assert "Traceback" not in stderr


def test_the_cli_runs_as_a_module_without_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = mini_tree(tmp_path / "repo", {".github/pattern-verify.yml": "pack: [\n"})
    proc = subprocess.run(
        [sys.executable, "-m", "pattern_verify", "run", str(root)],
        capture_output=True,
        text=True,
        env={**os.environ},
        check=False,
    )
    assert proc.returncode == 2
    assert "not valid YAML" in proc.stderr and "Traceback" not in proc.stderr


def test_semgrep_exceeding_the_timeout_is_exit_2(tmp_path: Path, run_cli: RunCli) -> None:
    root = mini_tree(tmp_path / "repo")
    code, _, stderr = run_cli("run", root, "--output-dir", tmp_path / "out", "--timeout", "0.05")
    assert code == 2
    assert "did not finish within 0.05 seconds" in stderr


def test_semgrep_crashing_is_exit_2_with_its_own_message(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fault injection: a semgrep that dies the way a crashed engine does
    fake = tmp_path / "bin" / "semgrep"
    fake.parent.mkdir()
    runs = tmp_path / "runs"
    fake.write_text(
        # scans are counted; the engine check (`--experimental --version`) is not a scan
        f'#!/bin/sh\ncase " $* " in *" scan "*) echo run >> {runs};; esac\n'
        "echo 'Fatal error: out of memory in the engine' >&2\nexit 139\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    root = mini_tree(tmp_path / "repo")
    code, _, stderr = run_cli("run", root, "--output-dir", tmp_path / "out")
    assert code == 2
    assert "semgrep failed (exit 139): Fatal error: out of memory in the engine" in stderr
    assert runs.read_text() == "run\n"  # a crash is not run again (only a rejected rule is)


def test_a_bad_timeout_is_exit_2(tmp_path: Path, run_cli: RunCli) -> None:
    root = mini_tree(tmp_path / "repo")
    for bad in ("-1", "soon", "nan", "inf"):
        with pytest.raises(SystemExit) as exited:
            run_cli("run", root, "--timeout", bad)
        assert exited.value.code == 2


def test_an_output_dir_that_cannot_be_written_is_exit_2_naming_it(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = mini_tree(tmp_path / "repo")
    taken = tmp_path / "a-file"
    taken.write_text("not a directory\n")
    code, _, stderr = run_cli("run", root, "--output-dir", taken)
    assert code == 2
    assert f"pattern-verify: error: cannot write {taken / 'report.md'}: " in stderr
    assert "Traceback" not in stderr


def test_results_json_carries_each_correct_patterns_state_as_the_report_shows_it(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """The corpus project trading-desk-clients with the default pack: every correct pattern's
    state (holds / does not hold / not seen / not checked) and the places showing it, in
    results.json as in the report, the same bytes on a second run."""
    root = tmp_path / "repo"
    shutil.copytree(Path(__file__).parent / "corpus" / "trading-desk-clients", root)
    (root / "expected.json").unlink()
    commit_all(init_repo(root), "initial")
    out = tmp_path / "out"
    code, _, _ = run_cli("run", root, "--output-dir", out)
    assert code == 1
    data = (out / "results.json").read_bytes()
    results = json.loads(data)
    jsonschema.validate(results, results_schema())
    states = {
        p["text"]: (p["state"], p["shown_by"], p["missing"])
        for r in results["requirements"]
        for p in r["correct_patterns"]
    }
    assert states["The `/ws` endpoint is served from the gateway's files."] == (
        "holds",
        ["desk/gateway/websocket_gateway_router.py:11"],
        [],
    )
    # the clients whose targets are read from web/src/config.ts (a template literal too)
    assert states["Frontend clients connect to the `/ws` endpoint."] == (
        "holds",
        [
            "web/src/chat/chat.ts:5",
            "web/src/lib/websocketClient.ts:6",
            "web/src/lib/websocket_client.ts:7",
        ],
        [],
    )
    assert states["`PostOfficeService` creates and manages `WebSocketGatewayService`."] == (
        "does-not-hold",
        [],
        [],
    )
    assert states[
        "Services publish to channels through the Post Office (`publish_to_agent_channel`)."
    ] == ("not-seen", [], ["post-office-api-call"])
    report = (out / "report.md").read_text()
    assert "1. ✅ The `/ws` endpoint is served from the gateway's files. — holds" in report
    assert (
        "2. ✅ Frontend clients connect to the `/ws` endpoint. — holds: seen in 3 places" in report
    )
    for requirement in results["requirements"]:
        for pattern in requirement["anti_patterns"]:
            assert pattern["state"] is None
    run_cli("run", root, "--output-dir", tmp_path / "again")
    assert (tmp_path / "again" / "results.json").read_bytes() == data

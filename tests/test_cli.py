"""The one error boundary (`cli.main`): an expected failure is one line and exit 2; anything
else is a bug: one line saying so and where its traceback went, exit 3 — never 1, the code of a
failing requirement."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import git
import pytest

from pattern_verify import pipeline
from pattern_verify.cli import BUG_EXIT, DEBUG_ENV

RunCli = Callable[..., tuple[int, str, str]]
Platform = Callable[..., tuple[git.Repo, Path]]


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_a_corrupt_index_is_a_git_error_in_one_line(
    platform_repo: Platform, run_cli: RunCli, tmp_path: Path
) -> None:
    _, root = platform_repo()
    (root / ".git" / "index").write_bytes(b"DIRC not an index at all" * 4)
    code, _, err = run_cli("run", root, "--output-dir", tmp_path / "out", "-q")
    assert code == 2
    line = one_line(err)
    assert line.startswith("pattern-verify: error: `git ls-files")
    assert "index file corrupt" in line


def test_a_directory_that_is_not_a_repository_is_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "app.py").write_text("x = 1\n", encoding="utf-8")
    code, _, err = run_cli("run", tmp_path / "tree", "--base", "main", "-q")
    assert code == 2
    assert one_line(err).startswith("pattern-verify: error: ")


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        (
            "  gateway_files: []\n",
            "parameters.gateway_files: makes requirement `logical-channel-routing` invalid "
            "(checks[1]: a confine check needs `allowed_paths`)",
        ),
        ("  client_modules: 7\n", "parameters.client_modules: Input should be a valid"),
        ("  endpoint_path: [/ws, /x]\n", "parameters.endpoint_path: expected a string"),
    ],
)
def test_a_parameter_of_the_wrong_shape_is_named_with_exit_2(
    platform_repo: Platform, run_cli: RunCli, tmp_path: Path, parameters: str, expected: str
) -> None:
    _, root = platform_repo()
    config = root / ".github" / "pattern-verify.yml"
    config.parent.mkdir(exist_ok=True)
    config.write_text("parameters:\n" + parameters, encoding="utf-8")
    code, _, err = run_cli("run", root, "--output-dir", tmp_path / "out", "-q")
    assert code == 2, err
    assert "Traceback" not in err
    assert f".github/pattern-verify.yml: {expected}" in err


def _explode(*_: object, **__: object) -> pipeline.Outcome:
    raise RuntimeError("injected\nfailure")


def test_an_unexpected_exception_is_exit_3_with_a_log(
    platform_repo: Platform,
    run_cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, root = platform_repo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(DEBUG_ENV, raising=False)
    monkeypatch.setattr(pipeline, "run", _explode)
    code, _, err = run_cli("run", root, "--output-dir", tmp_path / "out")
    assert code == BUG_EXIT == 3
    line = one_line(err)
    log = tmp_path / "cache" / "pattern-verify" / "pattern-verify.log"
    assert line == (
        "pattern-verify: internal error (a bug in pattern-verify, not a verdict): "
        f"RuntimeError: injected failure; the traceback is in {log}. "
        "Please report it with that file."
    )
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: injected" in text and "_explode" in text


def test_debug_prints_the_traceback(
    platform_repo: Platform,
    run_cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, root = platform_repo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(pipeline, "run", _explode)
    code, _, err = run_cli("--debug", "run", root, "--output-dir", tmp_path / "out")
    assert code == 3
    assert "Traceback" in err and "_explode" in err
    assert (
        err.strip()
        .splitlines()[-1]
        .endswith("the traceback is above. Please report it with that file.")
    )
    assert not (tmp_path / "cache").exists()

    monkeypatch.setenv(DEBUG_ENV, "1")
    code, _, err = run_cli("run", root, "--output-dir", tmp_path / "out")
    assert code == 3 and "Traceback" in err


def test_an_unwritable_cache_falls_back_to_the_temporary_directory(
    platform_repo: Platform,
    run_cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, root = platform_repo()
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr("tempfile.tempdir", None)
    monkeypatch.setattr(pipeline, "run", _explode)
    code, _, err = run_cli("run", root, "--output-dir", tmp_path / "out")
    assert code == 3
    assert f"the traceback is in {tmp_path / 'tmp' / 'pattern-verify.log'}" in one_line(err)


_PLUGIN = """\
import os
from pathlib import Path

Path(os.environ["PLUGIN_MARKER"]).write_text("loaded", encoding="utf-8")


class _Plugin:
    def new_schema_validator(self, *args, **kwargs):
        return None, None, None


plugin = _Plugin()
"""


@pytest.mark.parametrize(("setting", "loaded"), [(None, False), ("", True)])
def test_pydantic_plugins_are_not_looked_for_unless_the_user_asks(
    tmp_path: Path, setting: str | None, loaded: bool
) -> None:
    # looking for them reads every installed distribution's metadata on every run; a value the
    # user set (here: empty, every plugin enabled) is theirs
    site = tmp_path / "site"
    (site / "marker_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "marker_plugin.py").write_text(_PLUGIN, encoding="utf-8")
    (site / "marker_plugin-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: marker-plugin\nVersion: 1.0\n", encoding="utf-8"
    )
    (site / "marker_plugin-1.0.dist-info" / "entry_points.txt").write_text(
        "[pydantic]\nmarker = marker_plugin:plugin\n", encoding="utf-8"
    )
    marker = tmp_path / "loaded"
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env.update(PLUGIN_MARKER=str(marker), PYTHONPATH=os.pathsep.join([str(site), *sys.path]))
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting
    result = subprocess.run(
        [sys.executable, "-m", "pattern_verify", "schema", "pack"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert marker.exists() is loaded

"""A monorepo's worth of files: more target paths than one command line holds."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES

RunCli = Callable[..., tuple[int, str, str]]
FILES = 40_000
# long, as a monorepo's are: ~150 bytes a path, ~6 MB of paths, three times Linux's ARG_MAX
SERVICE_DIR = "services/{n:02d}_platform_service_with_a_rather_long_descriptive_name/src/app"
MODULE = "module_{i:05d}_handlers_and_repositories_of_the_domain_layer.py"


@pytest.mark.slow
def test_forty_thousand_files_with_long_paths_are_verified_in_one_run(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "monorepo"
    paths = []
    for i in range(FILES):
        directory = root / SERVICE_DIR.format(n=i % 22)
        if i < 22:
            directory.mkdir(parents=True)
        path = directory / MODULE.format(i=i)
        path.write_bytes(b"x = 1\n")
        paths.append(path)
    # facts at the start, the middle and the end of the list: every part of it is scanned
    names = sorted(p.relative_to(root).as_posix() for p in paths)
    first, middle, last = names[0], names[FILES // 2], names[-1]
    for name in (first, middle, last):
        (root / name).write_text('print("hello")\n')
    (root / ".github").mkdir()
    (root / ".github/pattern-verify.yml").write_text(
        f"pack: {FIXTURES / 'mini-pack'}\nparameters:\n  allowed: ['**/never/**']\n"
    )
    assert sum(len(os.fsencode(p)) + 1 for p in paths) > 3 * os.sysconf("SC_ARG_MAX")

    out = tmp_path / "out"
    code, _, stderr = run_cli("run", root, "--output-dir", out, "--quiet")
    assert "Argument list too long" not in stderr
    results = json.loads((out / "results.json").read_text())
    assert results["scope"]["files_scanned"] == FILES
    assert results["scope"]["errors"] == [] and results["scope"]["not_verified"] == []
    printed = sorted(f["path"] for f in results["findings"] if f["fact"] == "print-call")
    assert printed == sorted([first, middle, last])
    assert code == 1  # the prints are outside the allowed paths; no endpoint either

"""`pip install .` alone gives a working tool: rules and templates ship inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO_ROOT


def test_the_wheel_carries_rules_and_templates(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(tmp_path),
            str(REPO_ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("pattern_verify-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "pattern_verify/rules/websocket-gateway/pack.yml" in names
    assert "pattern_verify/templates/report.md.j2" in names
    assert "pattern_verify/templates/comment.md.j2" in names
    # and their code as Jinja compiles it, so that a run need not compile them
    assert "pattern_verify/compiled_templates/report_md.py" in names
    rule_files = [
        n
        for n in names
        if n.startswith("pattern_verify/rules/websocket-gateway/") and n.endswith(".yaml")
    ]
    assert rule_files, "the pack's rule files are missing from the wheel"
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert (
        "pattern-verify = pattern_verify.cli:main"
        in zipfile.ZipFile(wheel).read(entry_points).decode()
    )

"""Benchmark: the tool's own stages when semgrep reports thousands of findings.

Generates a repository of `--files` Python files holding `--findings` violations in all
(`get_abstraction("websocket")` calls, spread evenly), with a `feature` branch that changes 10
of the files, then measures, `--repeat` times, each time in a fresh Python process, a
pull-request run (`--base main`: the compare stage runs too, without the facts store) and
what the action does after it (SARIF, writing the files): the CPU seconds of this process
per stage. semgrep runs in processes of its own, so its CPU is not counted; the "scan" stage
counts what the tool does meanwhile and after: reading semgrep's JSON into facts, the allow
comments, compiling the templates. Prints the medians and the tool's own total (every stage
but config and targets, which list the files and read git), and, with `--cli N`, the wall and
CPU seconds of N whole `pattern-verify run` commands.

    python benchmarks/many_findings.py --findings 10000 --files 1000 [--repeat 5]
    python benchmarks/many_findings.py --findings 25000 --files 1000 --cli 3

Not a test: figures go into README's performance section, never into an assertion. The
machine is shared: CPU seconds of the process, not wall-clock, are what is compared.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import git
from pr_mode import POST_OFFICE, child_env, timed

SERVICE_HEAD = '''"""Service {n}: reaches for the websocket abstraction itself, again and again."""


class Service{n}:
    def __init__(self, platform):
        self.platform = platform
'''
METHOD = """
    def peek_{m}(self):
        return self.get_abstraction("websocket")
"""
# not the tool's own work: listing the files and reading git
SETUP_STAGES = ("config", "targets")


def build_repo(root: Path, files: int, findings: int) -> None:
    (root / "backend/post_office").mkdir(parents=True)
    (root / "backend/post_office/post_office_service.py").write_text(POST_OFFICE)
    per_file, extra = divmod(findings, files)
    for n in range(files):
        count = per_file + (1 if n < extra else 0)
        path = root / f"backend/realm_{n % 20}/service_{n}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            SERVICE_HEAD.format(n=n) + "".join(METHOD.format(m=m) for m in range(count))
        )
    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "bench")
        cfg.set_value("user", "email", "bench@example.invalid")
    repo.git.add("--all")
    repo.index.commit("platform")
    repo.git.checkout("-b", "feature")
    for n in range(10):
        path = root / f"backend/realm_{n % 20}/service_{n}.py"
        path.write_text("# changed in the PR\n" + path.read_text() + METHOD.format(m="new"))
    repo.git.add("--all")
    repo.index.commit("feature")


def measure(root: Path, engine: str) -> dict[str, object]:
    """One pull-request run in this process: CPU seconds per stage, then SARIF and writing
    the files as the action does."""
    from pattern_verify import pipeline, sarif
    from pattern_verify.publish import files

    outcome = pipeline.run(pipeline.RunOptions(root=root, base="main", engine=engine))
    cpu = dict(outcome.cpu)
    start = time.process_time()
    sarif_text = sarif.dumps(outcome.verification)
    cpu["SARIF"] = time.process_time() - start
    with tempfile.TemporaryDirectory(prefix="pv-findings-out-") as out:
        start = time.process_time()
        files.write_results(outcome, Path(out))
        files.write_text(Path(out) / "results.sarif", sarif_text)
        cpu["write"] = time.process_time() - start
    verification = outcome.verification
    return {
        "cpu": cpu,
        "findings": len(verification.findings),
        "violations": len(verification.violations),
        "new": verification.new_violations,
        "engine": verification.scope.engine.name if verification.scope.engine else None,
        "sizes": {"report.md": len(outcome.report), "comment.md": len(outcome.comment)},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5, help="in-process runs, each in a process")
    parser.add_argument("--cli", type=int, default=0, help="whole `pattern-verify run` commands")
    parser.add_argument("--engine", choices=("auto", "native", "python"), default="auto")
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # one run, JSON out
    args = parser.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.engine)))
        return 0

    work = args.keep or Path(tempfile.mkdtemp(prefix="pv-findings-"))
    repo_dir = work / "repo"
    if repo_dir.exists():
        shutil.rmtree(repo_dir)
    build_repo(repo_dir, args.files, args.findings)
    runs = []
    for _ in range(args.repeat):
        command = [sys.executable, __file__, "--measure", str(repo_dir), "--engine", args.engine]
        done = subprocess.run(command, env=child_env(), capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout))
    cpu = [run["cpu"] for run in runs]
    stages = {name: statistics.median(c[name] for c in cpu) for name in cpu[0]}
    own = [sum(s for name, s in c.items() if name not in SETUP_STAGES) for c in cpu]
    last = runs[-1]
    print(
        f"{args.files} files, {last['findings']} findings, {last['violations']} violations "
        f"({last['new']} new), engine {last['engine']}; report.md "
        f"{last['sizes']['report.md']:,} characters, comment.md {last['sizes']['comment.md']:,}"
    )
    print(
        f"CPU s per stage, median of {len(runs)} runs: "
        + ", ".join(f"{k} {v:.3f}" for k, v in stages.items())
    )
    print(
        f"the tool's own stages (all but {' and '.join(SETUP_STAGES)}): median "
        f"{statistics.median(own):.3f} s CPU of [{', '.join(f'{t:.3f}' for t in own)}]"
    )
    if args.cli:
        out = work / "out"
        tool = [sys.executable, "-m", "pattern_verify", "run", ".", "--base", "main"]
        tool += ["--engine", args.engine, "--output-dir", str(out), "--no-cache", "--quiet"]
        walls, cpus = [], []
        for _ in range(args.cli):
            elapsed, used = timed(tool, repo_dir)
            walls.append(elapsed)
            cpus.append(used)
        print(
            f"whole `pattern-verify run` (semgrep included): median "
            f"{statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU "
            f"of [{', '.join(f'{t:.2f}' for t in walls)}]"
        )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: the tool's own stages when semgrep reports thousands of findings.

Generates a repository of `--files` Python files holding `--findings` violations in all
(`get_abstraction("websocket")` calls, spread evenly), with a `feature` branch that changes 10
of the files, then runs `pattern-verify run . --base main --timings` (pull-request mode: the
compare stage runs too) and prints the stage timings, the tool's own share (everything but
the scan) and the whole run's wall-clock and CPU seconds, medians of `--repeat` runs.

    python benchmarks/many_findings.py --findings 10000 --files 1000 [--repeat 3]
    python benchmarks/many_findings.py --findings 25000 --files 1000 --engine python

Not a test: figures go into README's performance section, never into an assertion.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import git
from pr_mode import POST_OFFICE, timed

from pattern_verify import compare, evaluate, render, scan, targets
from pattern_verify.config import load_config
from pattern_verify.models import Repository, Scope, Verification
from pattern_verify.pipeline import load_templates

SERVICE_HEAD = '''"""Service {n}: reaches for the websocket abstraction itself, again and again."""


class Service{n}:
    def __init__(self, platform):
        self.platform = platform
'''
METHOD = """
    def peek_{m}(self):
        return self.get_abstraction("websocket")
"""


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


def pure_stages_cpu(root: Path, templates: bool) -> dict[str, float]:
    """CPU seconds of the stages after the scan, in this process (wall-clock figures of a
    shared machine mostly measure the other engineers): findings prepared against the base
    and judged, results.json, and the two templates."""
    config = load_config(root)
    head = targets.collect(root, config)
    with targets.with_base(head, config, "main") as scanned_targets:
        assert scanned_targets.base is not None
        changes = scanned_targets.base.changes
        scanned = scan.run(config, scanned_targets)
    changed = {c.new for c in changes if c.new} | {c.old for c in changes if c.old and not c.new}
    specs = config.requirements
    cpu: dict[str, float] = {}
    start = time.process_time()
    base = compare.prepare(specs, scanned.base)
    findings = compare.prepare(specs, scanned.head, base, changed)
    results = evaluate.evaluate(specs, findings)
    comparison = compare.compare(specs, results, findings, base, changed)
    cpu["evaluate+compare"] = time.process_time() - start
    verification = Verification(
        tool_version="bench",
        title=config.title,
        pack=config.pack.id,
        config_id=config.config_id,
        status="fail",
        repository=Repository(),
        scope=Scope(root="."),
        requirements=comparison.requirements,
        findings=findings,
        fixed=comparison.fixed,
        new_violations=comparison.new_violations,
        fixed_violations=comparison.fixed_violations,
    )
    start = time.process_time()
    render.render_json(verification)
    cpu["results.json"] = time.process_time() - start
    if templates:
        renderer = render.Renderer(load_templates(None), render.Links(None, None))
        start = time.process_time()
        renderer.report(verification)
        cpu["report.md"] = time.process_time() - start
        start = time.process_time()
        renderer.comment(verification)
        cpu["comment.md"] = time.process_time() - start
    return cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engine", choices=("auto", "native", "python"), default="auto")
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    parser.add_argument(
        "--no-templates", action="store_true", help="in-process: skip rendering the templates"
    )
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="pv-findings-"))
    repo_dir = work / "repo"
    if repo_dir.exists():
        shutil.rmtree(repo_dir)
    build_repo(repo_dir, args.files, args.findings)
    out = work / "out"
    tool = [
        sys.executable,
        "-m",
        "pattern_verify",
        "run",
        ".",
        "--base",
        "main",
        "--engine",
        args.engine,
        "--output-dir",
        str(out),
        "--timings",
        "--quiet",
    ]
    cpu = pure_stages_cpu(repo_dir, templates=not args.no_templates)
    print(
        "in-process CPU s after the scan: "
        + ", ".join(f"{k} {v:.3f}" for k, v in cpu.items())
        + f"; total {sum(cpu.values()):.3f}"
    )
    if args.repeat == 0:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
        return 0
    walls, cpus, stage_runs = [], [], []
    for _ in range(args.repeat):
        elapsed, used = timed(tool, repo_dir)
        walls.append(elapsed)
        cpus.append(used)
        stage_runs.append(json.loads((out / "results.json").read_text())["timings"])
    results = json.loads((out / "results.json").read_text())
    stages = {name: statistics.median(run[name] for run in stage_runs) for name in stage_runs[0]}
    own = statistics.median(
        sum(s for name, s in run.items() if name != "scan") for run in stage_runs
    )
    violations = sum(len(r["violations"]) for r in results["requirements"])
    engine = results["scope"]["engine"]
    print(
        f"{results['scope']['files_scanned']} files, {len(results['findings'])} findings, "
        f"{violations} violations ({results['new_violations']} new); engine {engine['name']} "
        f"(semgrep {engine['semgrep_version']})"
    )
    print(
        f"whole run: median {statistics.median(walls):.2f}s wall "
        f"({statistics.median(cpus):.2f}s CPU) of [{', '.join(f'{t:.2f}' for t in walls)}]"
    )
    print("stages (median s): " + ", ".join(f"{k} {v:.3f}" for k, v in stages.items()))
    print(f"tool's own stages (all but scan): {own:.3f}s")
    sizes = {name: (out / name).stat().st_size for name in ("report.md", "comment.md")}
    print(f"report.md {sizes['report.md']:,} bytes, comment.md {sizes['comment.md']:,} bytes")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

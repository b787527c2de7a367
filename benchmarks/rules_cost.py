"""Benchmark: what the pack's rules cost semgrep, before and after a rewrite of some of them.

Generates the 3,000-file tree of `pr_mode.py`, then times bare semgrep over it with the pack's
rules in one file, as pattern-verify hands them over: (after) the rules as they are, (before)
the same with the rules kept in tests/fixtures/rules-before/ (the rules as they were before
their prefilter rewrite) in place of their rewritten versions. Both on semgrep's native CLI and
its Python CLI, alternating, several runs each; CPU seconds (user + system of semgrep and all
it starts) are the measure on a shared machine. Checks that both versions gave the same
results, and prints how many files each rule made semgrep parse or match (`--time`).

    python benchmarks/rules_cost.py [--files 3000] [--repeat 5] [--before DIR]

Not a test: the figures go into README's performance section, never into an assertion.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from pr_mode import generate, timed

from pattern_verify.config import load_config
from pattern_verify.scan import scan_command

REPO_ROOT = Path(__file__).resolve().parents[1]


def rule_sets(tree: Path, before_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The pack's rules now, and the same with the kept versions in place of rewritten ones."""
    now = [dict(rule) for rule in load_config(tree).rule_documents]
    kept: dict[str, dict[str, Any]] = {}
    for path in sorted(before_dir.glob("*.yaml")):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            kept[rule["id"]] = rule
    missing = set(kept) - {rule["id"] for rule in now}
    if missing:
        sys.exit(f"{before_dir}: rules not in the pack any more: {', '.join(sorted(missing))}")
    before = [kept.get(rule["id"], rule) for rule in now]
    return before, now


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--before", type=Path, default=REPO_ROOT / "tests" / "fixtures" / "rules-before"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pv-rules-"))
    tree = work / "tree"
    generate(tree, args.files)
    before, after = rule_sets(tree, args.before)
    configs = {}
    for label, rules in (("before", before), ("after", after)):
        configs[label] = work / f"{label}.json"
        configs[label].write_text(json.dumps({"rules": rules}, default=str), encoding="utf-8")

    def command(engine: str, label: str, *extra: str) -> list[str]:
        return [
            *scan_command("native" if engine == "native" else "python"),
            *extra,
            "--config",
            str(configs[label]),
            ".",
        ]

    runs = [(engine, label) for engine in ("native", "python") for label in ("before", "after")]
    outputs = {}
    for run in runs:  # once with --time, not counted: the results and the files per rule
        proc = subprocess.run(command(*run, "--time"), cwd=tree, capture_output=True, check=True)
        outputs[run] = json.loads(proc.stdout)
    selected: dict[tuple[str, str], Counter[str]] = {}
    results: dict[tuple[str, str], list[Any]] = {}
    for engine, label in runs:
        output = outputs[(engine, label)]
        ids = [r["id"] if isinstance(r, dict) else r for r in output["time"]["rules"]]
        counts: Counter[str] = Counter()
        for target in output["time"]["targets"]:
            for i, (match, parse) in enumerate(
                zip(target["match_times"], target["parse_times"], strict=True)
            ):
                if match > 0 or parse > 0:
                    counts[ids[i]] += 1
        selected[(engine, label)] = counts
        results[(engine, label)] = sorted(
            json.dumps([r["check_id"], r["path"], r["start"], r["end"], r["extra"]["message"]])
            for r in output["results"]
        )

    wall: dict[tuple[str, str], list[float]] = {run: [] for run in runs}
    cpu: dict[tuple[str, str], list[float]] = {run: [] for run in runs}
    for _ in range(args.repeat):
        for run in runs:
            elapsed, used = timed(command(*run), tree)
            wall[run].append(elapsed)
            cpu[run].append(used)

    print(f"{args.files} files, {len(after)} rules, semgrep {outputs[runs[0]]['version']}")
    for engine in ("native", "python"):
        same = results[(engine, "before")] == results[(engine, "after")]
        print(
            f"{engine}: results identical before/after: {same} "
            f"({len(results[(engine, 'after')])} findings)"
        )
        for label in ("before", "after"):
            run = (engine, label)
            print(
                f"  {label:6} median {statistics.median(wall[run]):.2f}s wall, "
                f"{statistics.median(cpu[run]):.2f}s CPU "
                f"(CPU of runs: {', '.join(f'{t:.2f}' for t in cpu[run])}); "
                f"files parsed or matched: {sum(selected[run].values())} rule×file"
            )
        ratio = statistics.median(cpu[(engine, "after")]) / statistics.median(
            cpu[(engine, "before")]
        )
        print(f"  after/before CPU: {ratio:.3f}")
    print("rules that made semgrep work on the most files (before → after, native):")
    top = selected[("native", "before")].most_common(6)
    for rule, count in top:
        print(f"  {rule:45} {count:5} → {selected[('native', 'after')][rule]}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

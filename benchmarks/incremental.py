"""Benchmark: the facts store and shards.

1. `--part pr`: the 3,000-file tree of `pr_mode.py` (`--pr-files`, `--pr-services` for another)
   with a `feature` branch changing 10 files.
   Times, alternating in the same run, (a) a PR run without the store (`--no-cache`: what every
   run cost before the store), (b) a cold PR run with an empty store (what the store adds to a
   run that finds nothing), and (c) a warm PR run: the store as the default branch's run left
   it (restored by actions/cache), so only the changed files are scanned. Goals: (c)/(a) ≤ 0.30,
   (b)/(a) ≤ 1.05. Also (d): a warm PR run of another branch, `quiet`, whose 10 changed files
   (and their base versions) hold nothing any rule looks for — most pull requests touch no
   websocket code; by the rules' prefilters no semgrep starts.
2. `--part shards`: a generated 30,000-file tree. Times a single run and the four runs of
   `--shard K/4` one after another (on a matrix they run at once, each on its own machine),
   then the merging run (`--facts`), and checks that the merged results are byte-identical to
   the single run's. Goal: slowest shard ≤ 0.35 of the single run.

    python benchmarks/incremental.py [--part pr|shards|all] [--repeat 5] [--keep DIR]
                                     [--baseline-src OTHER_CHECKOUT/src]
                                     [--pr-files 30000 --pr-services 22]  # the PR part, bigger

Every timed run has this interpreter's directory first on PATH (`pr_mode.child_env`), so the
figures are this environment's `semgrep` even when run as `.venv/bin/python benchmarks/...`
without activating the venv.

Not a test: these machines are shared and noisy, so the figures go into README's performance
section, never into an assertion.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import git
from pr_mode import build_repo, generate, timed

SHARDS = 4


def tool(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "pattern_verify", "run", ".", "--quiet", *map(str, args)]


def report(label: str, walls: list[float], cpus: list[float]) -> tuple[float, float]:
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    runs = ", ".join(f"{t:.2f}" for t in walls)
    print(f"{label:58} median {wall:6.2f}s wall ({cpu:6.2f}s CPU) of [{runs}]")
    return wall, cpu


def pr_part(work: Path, repeat: int, baseline: Path | None, files: int, services: int) -> None:
    repo_dir = work / "pr-repo"
    build_repo(repo_dir, files, 10, services)
    repo = git.Repo(repo_dir)
    filled = work / "store-of-main"
    repo.git.checkout("main")
    timed(tool("--cache-dir", filled, "--output-dir", work / "main-out"), repo_dir)
    quiet_dir = work / "quiet-repo"
    _quiet_branch(repo, quiet_dir)
    repo.git.checkout("feature")
    out = work / "pr-out"
    cold_store, warm_store = work / "cold-store", work / "warm-store"

    def fresh(store: Path, source: Path | None) -> None:
        shutil.rmtree(store, ignore_errors=True)
        if source is not None:
            shutil.copytree(source, store)

    runs: dict[str, tuple[Callable[[], None], list[str]]] = {}
    if baseline is not None:
        # the tool as it was before the store: its own source first on the path
        runs["(o) PR run, the tool from --baseline-src"] = (
            lambda: None,
            [
                sys.executable,
                "-c",
                f"import sys; sys.path.insert(0, {str(baseline)!r}); "
                "from pattern_verify.cli import main; sys.exit(main())",
                "run",
                ".",
                "--quiet",
                "--base",
                "main",
                "--output-dir",
                str(out / "o"),
            ],
        )
    runs |= {
        "(a) PR run, no store (--no-cache)": (
            lambda: None,
            tool("--base", "main", "--no-cache", "--output-dir", out / "a"),
        ),
        "(b) PR run, cold: an empty store": (
            lambda: fresh(cold_store, None),
            tool("--base", "main", "--cache-dir", cold_store, "--output-dir", out / "b"),
        ),
        "(c) PR run, warm: the store the default branch's run left": (
            lambda: fresh(warm_store, filled),
            tool("--base", "main", "--cache-dir", warm_store, "--output-dir", out / "c"),
        ),
        "(d) warm, a PR whose 10 files hold nothing for the rules": (
            lambda: fresh(warm_store, filled),
            [
                str(quiet_dir) if part == "." else part
                for part in tool(
                    "--base", "main", "--cache-dir", warm_store, "--output-dir", out / "d"
                )
            ],
        ),
    }
    timed(runs["(a) PR run, no store (--no-cache)"][1], repo_dir)  # warm the OS caches once
    walls: dict[str, list[float]] = {label: [] for label in runs}
    cpus: dict[str, list[float]] = {label: [] for label in runs}
    for _ in range(repeat):
        for label, (prepare, command) in runs.items():
            prepare()
            elapsed, used = timed(command, repo_dir)
            walls[label].append(elapsed)
            cpus[label].append(used)
    same = all(
        (out / "a" / name).read_bytes() == (out / x / name).read_bytes()
        for x in ("b", "c")
        for name in ("report.md", "comment.md", "results.json")
    )
    print(f"{files:,} files, a pull request changing 10 (medians):")
    medians = {k: report(k, walls[k], cpus[k]) for k in runs}
    (a, a_cpu), (b, b_cpu), (c, c_cpu), (d, d_cpu) = (medians[k] for k in list(runs)[-4:])
    print(f"warm/no store (c)/(a): {c / a:.3f} (goal ≤ 0.30); CPU {c_cpu / a_cpu:.3f}")
    print(f"cold/no store (b)/(a): {b / a:.3f} (goal ≤ 1.05); CPU {b_cpu / a_cpu:.3f}")
    print(f"warm, nothing relevant/no store (d)/(a): {d / a:.3f}; CPU {d_cpu / a_cpu:.3f}")
    if baseline is not None:
        o, o_cpu = medians["(o) PR run, the tool from --baseline-src"]
        print(f"cold/before the store (b)/(o): {b / o:.3f} (goal ≤ 1.05); CPU {b_cpu / o_cpu:.3f}")
    print(f"report.md, comment.md, results.json byte-identical in (a), (b), (c): {same}")


def _quiet_branch(repo: git.Repo, directory: Path) -> None:
    """Branch `quiet` from main, changing 10 HTTP router modules by a comment (no rule's
    literal in them, before or after: the service modules call the Post Office's API, which
    `post-office-api-call` reads), checked out in a worktree of its own at `directory`."""
    root = Path(repo.working_tree_dir or ".")
    repo.git.checkout("-b", "quiet", "main")
    wanted = {f"service_{n}_router.py" for n in range(10, 20)}
    for path in [p for p in root.rglob("service_*_router.py") if p.name in wanted]:
        path.write_text("# changed in the PR\n" + path.read_text())
    repo.git.add("--all")
    repo.index.commit("quiet")
    repo.git.checkout("main")
    repo.git.worktree("add", str(directory), "quiet")


def shards_part(work: Path, repeat: int, files: int, services: int) -> None:
    repo_dir = work / "big-repo"
    generate(repo_dir, files, services)
    repo = git.Repo.init(repo_dir, initial_branch="main")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "bench")
        cfg.set_value("user", "email", "bench@example.invalid")
    repo.git.add("--all")
    repo.index.commit("monorepo")
    out = work / "big-out"
    single = tool("--no-cache", "--output-dir", out / "single")
    shard_runs = [
        tool("--no-cache", "--shard", f"{k}/{SHARDS}", "--output-dir", out / f"shard-{k}")
        for k in range(1, SHARDS + 1)
    ]
    merge = tool(
        *[arg for k in range(1, SHARDS + 1) for arg in ("--facts", out / f"shard-{k}")],
        "--output-dir",
        out / "merged",
    )
    single_wall: list[float] = []
    single_cpu: list[float] = []
    slowest_wall: list[float] = []
    slowest_cpu: list[float] = []
    merge_wall: list[float] = []
    merge_cpu: list[float] = []
    for _ in range(repeat):
        elapsed, used = timed(single, repo_dir)
        single_wall.append(elapsed)
        single_cpu.append(used)
        shard_times = [timed(command, repo_dir) for command in shard_runs]
        slowest_wall.append(max(t for t, _ in shard_times))
        slowest_cpu.append(max(c for _, c in shard_times))
        elapsed, used = timed(merge, repo_dir)
        merge_wall.append(elapsed)
        merge_cpu.append(used)
    same = all(
        (out / "single" / name).read_bytes() == (out / "merged" / name).read_bytes()
        for name in ("report.md", "comment.md", "results.json")
    )
    count = subprocess.run(
        ["git", "ls-files"], cwd=repo_dir, capture_output=True, text=True, check=True
    ).stdout.count("\n")
    print(f"{count:,} files, {SHARDS} shards (medians):")
    s, s_cpu = report("single run", single_wall, single_cpu)
    w, w_cpu = report(f"slowest of the {SHARDS} shards", slowest_wall, slowest_cpu)
    report("merging run (--facts, no scan)", merge_wall, merge_cpu)
    print(f"slowest shard / single: {w / s:.3f} (goal ≤ 0.35); CPU {w_cpu / s_cpu:.3f}")
    print(f"merged report.md, comment.md, results.json byte-identical to the single run: {same}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("pr", "shards", "all"), default="all")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--files", type=int, default=30000, help="files of the shards' tree")
    parser.add_argument("--pr-files", type=int, default=3000, help="files of the PR part's tree")
    parser.add_argument(
        "--pr-services", type=int, default=0, help="service folders of the PR part's tree"
    )
    parser.add_argument(
        "--services", type=int, default=22, help="service folders of the shards' monorepo"
    )
    parser.add_argument(
        "--baseline-src",
        type=Path,
        help="also time a PR run of the tool from another checkout's src/ (before the store)",
    )
    parser.add_argument("--keep", type=Path, help="build the repositories here and keep them")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="pv-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    for leftover in ("pr-repo", "big-repo"):
        shutil.rmtree(work / leftover, ignore_errors=True)
    if args.part in ("pr", "all"):
        pr_part(work, args.repeat, args.baseline_src, args.pr_files, args.pr_services)
    if args.part in ("shards", "all"):
        shards_part(work, args.repeat, args.files, args.services)
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

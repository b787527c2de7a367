"""Benchmark: `pattern-verify run --base` against a bare `semgrep scan` of the same rules.

Generates a repository of about 3,000 Python files in the reference platform's shape, with a
`feature` branch that changes ~10 files, then times, alternating in the same run, the full tool
in PR mode on semgrep's native CLI (a) and on its Python CLI (a'), optionally the tool from
another checkout (a0, `--baseline-src`: e.g. the previous release), and bare semgrep over the
same tree: (b) with the pack's rule files, as a user would run it, (c) with those rules in one
file, as the tool hands them to it (semgrep validates each config file in a process of its
own), (d) the same on the native CLI. Prints the medians of wall-clock and CPU seconds, the
ratios and the tool's own stage timings (everything but the scan). With `--routing`, every
router is also included under a prefix by its realm's API router, which `backend/main.py`
includes, and 30 Vue components hold script blocks: the linking stage's and the script
extraction's work at scale.

    python benchmarks/pr_mode.py [--files 3000] [--repeat 3] [--keep DIR] [--baseline-src DIR]
                                 [--routing] [--no-cache]
    python benchmarks/pr_mode.py --files 30000 --services 22 --repeat 1   # a monorepo

Every process it times runs with this interpreter's directory first on PATH (`child_env`), so
the tool's children find this environment's `semgrep` even when the script is run as
`.venv/bin/python benchmarks/pr_mode.py` without activating the venv (else another installation's
`semgrep` on PATH, e.g. a pyenv shim chain, would be what is measured).

Not a test: these machines are shared and noisy, so the figures go into README's performance
section, never into an assertion.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import git

from pattern_verify.config import load_config
from pattern_verify.scan import rules_file_text

SERVICE = '''"""{name} service."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


class {cls}:
    """Business logic of {name}; talks to other services through the Post Office."""

    def __init__(self, post_office, repository):
        self.post_office = post_office
        self.repository = repository

    async def handle(self, request: dict) -> dict:
        item = await self.repository.get(request["id"])
        if item is None:
            logger.info("missing %s", request["id"])
            return {{"status": "missing"}}
        await self.post_office.publish_to_agent_channel("{name}", {{"id": item.id}})
        return {{"status": "ok", "item": item.to_dict()}}

    def summarize(self, items: list[dict]) -> dict:
        total = sum(i.get("amount", 0) for i in items)
        return {{"count": len(items), "total": total}}
'''

ROUTER = '''"""HTTP routes of {name}."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/{name}")


@router.get("/items/{{item_id}}")
async def get_item(item_id: str) -> dict:
    return {{"id": item_id}}


@router.post("/items")
async def create_item(payload: dict) -> dict:
    return {{"created": payload}}
'''

GATEWAY_ROUTER = """from fastapi import APIRouter, WebSocket

router = APIRouter()


@router.websocket("/ws")
async def websocket_endpoint(websocket: WebSocket) -> None:
    await websocket.app.state.gateway.handle_connection(websocket)
"""

GATEWAY_SERVICE = """class WebSocketGatewayService:
    def __init__(self, redis):
        self.redis = redis

    async def route(self, channel: str, message: str) -> None:
        await self.redis.publish(channel, message)

    async def listen(self, pubsub) -> None:
        await pubsub.subscribe("guide")
"""

POST_OFFICE = """from .websocket_gateway_service import WebSocketGatewayService


class PostOfficeService:
    def __init__(self, redis):
        self.gateway = WebSocketGatewayService(redis)
"""


MAIN = """from fastapi import FastAPI

from backend.api import websocket_gateway_router
{imports}

app = FastAPI()
app.include_router(websocket_gateway_router.router)
{includes}
"""

REALM_API = """from fastapi import APIRouter

{imports}

api = APIRouter(prefix="/{realm}")
{includes}
"""

COMPONENT = """<template>
  <section class="widget">
    <h2>{{{{ title }}}}</h2>
    <p v-for="item in items" :key="item.id">{{{{ item.text }}}}</p>
  </section>
</template>

<script setup lang="ts">
import {{ onBeforeUnmount, ref }} from 'vue';

import {{ gatewayClient }} from '../lib/websocket_client';

const title = 'Widget {index}';
const items = ref<{{ id: string; text: string }}[]>([]);
const unsubscribe = gatewayClient.subscribe('widget-{index}', (item) => items.value.push(item));
onBeforeUnmount(unsubscribe);
</script>
"""

COMPONENTS = 30


def generate(root: Path, files: int, services: int = 0, routing: bool = False) -> list[Path]:
    """The platform's files; with `services`, its business services spread over that many
    service folders of a monorepo, with long paths; with `routing`, the routers included by
    realm APIs and `main.py`, and Vue components. Returns the service modules."""
    po = root / "backend/smart_city/services/post_office"
    po.mkdir(parents=True)
    (po / "websocket_gateway_service.py").write_text(GATEWAY_SERVICE)
    (po / "post_office_service.py").write_text(POST_OFFICE)
    (root / "backend/api").mkdir(parents=True)
    (root / "backend/api/websocket_gateway_router.py").write_text(GATEWAY_ROUTER)
    modules = []
    written = 3
    if routing:
        components = root / "frontend/src/components"
        components.mkdir(parents=True)
        for number in range(COMPONENTS):
            (components / f"Widget{number}.vue").write_text(COMPONENT.format(index=number))
        written += COMPONENTS + 1
    routers: dict[Path, list[str]] = {}  # realm folder → its routers' dotted module paths
    index = 0
    while written < files:
        realm = f"realm_{index % 12}"
        name = f"service_{index}"
        top = root / "backend"
        if services:
            top = root / f"services/{index % services:02d}_customer_facing_platform_service/backend"
        base = top / realm / "services" / name
        base.mkdir(parents=True, exist_ok=True)
        module = base / f"{name}_service.py"
        module.write_text(SERVICE.format(name=name, cls=f"Service{index}"))
        (base / f"{name}_router.py").write_text(ROUTER.format(name=name))
        (base / "__init__.py").write_text("")
        modules.append(module)
        dotted = ".".join((base / f"{name}_router").relative_to(root).parts)
        if routing and (top / realm) not in routers:
            written += 1  # the realm's API router
        routers.setdefault(top / realm, []).append(dotted)
        written += 3
        index += 1
    if routing:
        _write_routing(root, routers)
    return modules


def _write_routing(root: Path, routers: dict[Path, list[str]]) -> None:
    apis = []
    for number, (realm, modules) in enumerate(sorted(routers.items())):
        (realm / "api.py").write_text(
            REALM_API.format(
                realm=realm.name,
                imports="\n".join(f"import {m} as r{i}" for i, m in enumerate(modules)),
                includes="\n".join(f"api.include_router(r{i}.router)" for i in range(len(modules))),
            )
        )
        apis.append((number, ".".join((realm / "api").relative_to(root).parts)))
    (root / "backend/main.py").write_text(
        MAIN.format(
            imports="\n".join(f"import {m} as realm{n}" for n, m in apis),
            includes="\n".join(f'app.include_router(realm{n}.api, prefix="/api")' for n, _ in apis),
        )
    )


def build_repo(
    root: Path, files: int, changed: int, services: int = 0, routing: bool = False
) -> None:
    modules = generate(root, files, services, routing)
    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "bench")
        cfg.set_value("user", "email", "bench@example.invalid")
    repo.git.add("--all")
    repo.index.commit("platform")
    repo.git.checkout("-b", "feature")
    for n, path in enumerate(modules[:changed]):
        text = path.read_text()
        if n == 0:  # one new violation in the PR
            text += '\n\ndef peek(self):\n    return self.get_abstraction("websocket")\n'
        path.write_text("# changed in the PR\n" + text)
    repo.git.add("--all")
    repo.index.commit("feature")


def child_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """`env` (else this process's environment) with this interpreter's directory first on
    PATH: the `semgrep` the tool finds is this environment's, activated or not."""
    out = dict(os.environ if env is None else env)
    out["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), out.get("PATH", "")])
    return out


def timed(
    command: list[str], cwd: Path, env: dict[str, str] | None = None, check: bool = True
) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (user + system, the process and all it started),
    the process run with `child_env(env)`. A failure ends the benchmark, or with `check=False`
    is printed and timed like a run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        command, cwd=cwd, env=child_env(env), capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        failure = f"{command[0]} failed ({proc.returncode}):\n{proc.stderr[-2000:]}"
        if check:
            sys.exit(failure)
        print(failure.strip())
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--changed", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    parser.add_argument(
        "--services", type=int, default=0, help="spread the files over N service folders"
    )
    parser.add_argument(
        "--baseline-src",
        type=Path,
        help="also time the tool from another checkout's src/ (e.g. the previous release)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="run the tool without its facts store (every run cold)",
    )
    parser.add_argument(
        "--routing",
        action="store_true",
        help="also include the routers through realm APIs and main.py, and add Vue components",
    )
    parser.add_argument(
        "--tool-only", action="store_true", help="time the tool only (no bare semgrep)"
    )
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="pv-bench-"))
    repo_dir = work / "repo"
    if repo_dir.exists():
        shutil.rmtree(repo_dir)
    build_repo(repo_dir, args.files, args.changed, args.services, args.routing)
    config = load_config(repo_dir)
    merged_rules = work / "rules.json"  # what the tool hands semgrep: every rule in one file
    merged_rules.write_text(rules_file_text(config))
    out = work / "out"
    tool = [
        sys.executable,
        "-m",
        "pattern_verify",
        "run",
        ".",
        "--base",
        "main",
        "--output-dir",
        str(out),
        "--timings",
        "--quiet",
        *(["--no-cache"] if args.no_cache else []),
    ]

    def bare_semgrep(rule_files: list[Path]) -> list[str]:
        command = [
            str(Path(sys.executable).parent / "semgrep"),
            "scan",
            "--metrics=off",
            "--json",
            "--disable-version-check",
            "--quiet",
            "--output",
            str(work / "bare.json"),
        ]
        for rule_file in rule_files:
            command += ["--config", str(rule_file)]
        return [*command, "."]

    bare = bare_semgrep(list(config.rule_files))
    bare_one_file = bare_semgrep([merged_rules])
    bare_native = [*bare_one_file[:2], "--experimental", *bare_one_file[2:]]

    native = "(a) pattern-verify run --base main, native CLI"
    commands: dict[str, tuple[list[str], dict[str, str] | None]] = {
        native: ([*tool, "--engine", "native"], None),
        "(a') pattern-verify run --base main, Python CLI": ([*tool, "--engine", "python"], None),
    }
    if args.baseline_src:  # that checkout's code, this environment's semgrep
        baseline_env = dict(os.environ, PYTHONPATH=str(args.baseline_src.resolve()))
        commands["(a0) pattern-verify from --baseline-src"] = (tool, baseline_env)
    if not args.tool_only:
        timed(bare, repo_dir)  # warm caches once; not counted
        commands["(b) bare semgrep, the pack's rule files"] = (bare, None)
        commands["(c) bare semgrep, the rules in one file"] = (bare_one_file, None)
        commands["(d) bare semgrep --experimental, one file"] = (bare_native, None)
    wall: dict[str, list[float]] = {label: [] for label in commands}
    cpu: dict[str, list[float]] = {label: [] for label in commands}
    stage_runs = []
    for _ in range(args.repeat):
        for label, (command, env) in commands.items():
            elapsed, used = timed(command, repo_dir, env, check=env is None)
            wall[label].append(elapsed)
            cpu[label].append(used)
            if label == native:
                stage_runs.append(json.loads((out / "results.json").read_text())["timings"])
                results = json.loads((out / "results.json").read_text())
    stages = {name: statistics.median(run[name] for run in stage_runs) for name in stage_runs[0]}
    own = sum(seconds for name, seconds in stages.items() if name != "scan")
    print(
        f"repository: {results['scope']['files_scanned']} files scanned, "
        f"{results['repository']['changed_files']} changed, "
        f"{results['new_violations']} new violation(s); "
        f"semgrep {results['scope']['engine']['semgrep_version']}"
    )
    for label in commands:
        runs = ", ".join(f"{t:.2f}" for t in wall[label])
        print(
            f"{label:48} median {statistics.median(wall[label]):.2f}s wall "
            f"({statistics.median(cpu[label]):.2f}s CPU) of [{runs}]"
        )
    medians = {label: statistics.median(wall[label]) for label in commands}
    cpus = {label: statistics.median(cpu[label]) for label in commands}

    def ratio(top: str, bottom: str, note: str) -> None:
        keys = [k for k in commands if k.startswith(top)] + [
            k for k in commands if k.startswith(bottom)
        ]
        if len(keys) == 2:
            t, b = keys
            print(
                f"ratio {top}/{bottom}: {medians[t] / medians[b]:.3f} {note}; "
                f"CPU {cpus[t] / cpus[b]:.3f}"
            )

    ratio("(a)", "(b)", "(goal ≤ 1.10)")
    ratio("(a)", "(d)", "(the tool over the same native semgrep work)")
    ratio("(a')", "(c)", "(the tool over the same Python semgrep work)")
    ratio("(a0)", "(a)", "(the baseline's time over this one's)")
    print("stages (median s): " + ", ".join(f"{k} {v:.3f}" for k, v in stages.items()))
    print(f"tool's own stages (all but scan, excl. interpreter start): {own:.3f}s  (goal ≤ 0.3)")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

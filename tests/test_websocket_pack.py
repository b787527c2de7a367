"""The default pack end to end on fixture platforms in the reference document's shape:
real semgrep, real git, the CLI, exit codes and the four requirements."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
import pytest
from conftest import EXAMPLE, commit_all, init_repo

CORPUS = Path(__file__).resolve().parent / "corpus"
NOTIFICATIONS = "backend/smart_city/services/notifications/notification_service.py"
RunCli = Callable[..., tuple[int, str, str]]
PlatformRepo = Callable[..., tuple[git.Repo, Path]]

CHAT_ROUTER = '''"""Chat endpoints that bypass the gateway."""

from fastapi import APIRouter, WebSocket

router = APIRouter()


@router.websocket("/api/ws/chat")
async def chat(websocket: WebSocket) -> None:
    await websocket.accept()
'''

DIRECT_ACCESS_SERVICE = '''"""A service that reaches for the websocket abstraction itself."""


class NotificationService:
    def __init__(self, platform):
        self.platform = platform

    async def notify(self, user_id: str, text: str) -> None:
        websocket = self.get_abstraction("websocket")
        await websocket.send(user_id, text)
'''

ROGUE_GATEWAY = """from backend.smart_city.services.post_office.websocket_gateway_service import (
    WebSocketGatewayService,
)


class ChatService:
    def __init__(self, redis):
        self.gateway = WebSocketGatewayService(redis)
"""

RAW_SERVER = '''"""Realtime adapter: a raw websocket server outside the gateway."""

try:
    import websockets as ws_lib
except ImportError:  # optional dependency
    ws_lib = None


async def start(handler, port: int = 8765):
    return await ws_lib.serve(handler, "0.0.0.0", port)
'''


def run(run_cli: RunCli, root: Path, out: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    code, stdout, stderr = run_cli(
        "run", root, "--output-dir", out, "--repo-url", "https://github.com/acme/platform", *extra
    )
    return code, json.loads((out / "results.json").read_text()), stdout + stderr


def requirement(results: dict[str, Any], rid: str) -> dict[str, Any]:
    (found,) = [r for r in results["requirements"] if r["id"] == rid]
    return found


def paths(findings: list[dict[str, Any]]) -> set[str]:
    return {f["path"] for f in findings}


def test_the_bundled_example_passes(run_cli: RunCli, tmp_path: Path) -> None:
    code, results, output = run(run_cli, EXAMPLE, tmp_path / "out")
    assert code == 0, output
    assert results["status"] == "pass"
    for rid in ("single-websocket-endpoint", "post-office-ownership", "logical-channel-routing"):
        assert requirement(results, rid)["evidence"], rid
    assert output.startswith("✅ All 4 requirements pass\n")


def test_compliant_platform_passes_with_evidence(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    _, root = platform_repo()
    code, results, output = run(run_cli, root, tmp_path / "out")
    assert code == 0, output
    endpoint = requirement(results, "single-websocket-endpoint")
    assert [e["captures"]["route"] for e in endpoint["evidence"]] == ["/ws"]
    assert paths(endpoint["evidence"]) == {"backend/api/websocket_gateway_router.py"}
    ownership = requirement(results, "post-office-ownership")
    assert paths(ownership["evidence"]) == {
        "backend/smart_city/services/post_office/post_office_service.py"
    }


def test_the_reference_scenario_fails_the_two_requirements_with_their_files(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    _, root = platform_repo(
        {
            "backend/api/chat_router.py": CHAT_ROUTER,
            NOTIFICATIONS: DIRECT_ACCESS_SERVICE,
        }
    )
    code, results, output = run(run_cli, root, tmp_path / "out")
    assert code == 1, output
    statuses = {r["id"]: r["status"] for r in results["requirements"]}
    assert statuses == {
        "single-websocket-endpoint": "fail",
        "post-office-ownership": "pass",
        "logical-channel-routing": "pass",
        "no-direct-websocket-access": "fail",
    }
    endpoint = requirement(results, "single-websocket-endpoint")
    assert paths(endpoint["violations"]) == {"backend/api/chat_router.py"}
    assert paths(endpoint["evidence"]) == {"backend/api/websocket_gateway_router.py"}
    direct = requirement(results, "no-direct-websocket-access")
    assert paths(direct["violations"]) == {
        "backend/smart_city/services/notifications/notification_service.py"
    }
    assert requirement(results, "post-office-ownership")["evidence"]
    assert requirement(results, "logical-channel-routing")["evidence"]
    report = (tmp_path / "out/report.md").read_text()
    assert "### ❌ Single WebSocket Endpoint" in report
    assert "### ❌ No Direct WebSocket Access" in report
    assert "backend/api/chat_router.py" in report
    assert "https://github.com/acme/platform/blob/" in report


@pytest.mark.parametrize(
    ("name", "changes", "failing", "violating_file"),
    [
        (
            "second-endpoint",
            {"backend/api/chat_router.py": CHAT_ROUTER},
            "single-websocket-endpoint",
            "backend/api/chat_router.py",
        ),
        (
            "direct-abstraction",
            {NOTIFICATIONS: DIRECT_ACCESS_SERVICE},
            "no-direct-websocket-access",
            "backend/smart_city/services/notifications/notification_service.py",
        ),
        (
            "gateway-outside-post-office",
            {"backend/smart_city/services/chat/chat_service.py": ROGUE_GATEWAY},
            "post-office-ownership",
            "backend/smart_city/services/chat/chat_service.py",
        ),
        (
            "raw-websockets-server",
            {"backend/infrastructure/adapters/realtime_adapter.py": RAW_SERVER},
            "single-websocket-endpoint",
            "backend/infrastructure/adapters/realtime_adapter.py",
        ),
    ],
)
def test_each_kind_of_violation_fails_its_requirement(
    platform_repo: PlatformRepo,
    run_cli: RunCli,
    tmp_path: Path,
    name: str,
    changes: dict[str, str],
    failing: str,
    violating_file: str,
) -> None:
    _, root = platform_repo(changes, name=name)
    code, results, output = run(run_cli, root, tmp_path / "out")
    assert code == 1, output
    result = requirement(results, failing)
    assert result["status"] == "fail"
    assert violating_file in paths(result["violations"])
    assert violating_file in output


def test_pack_parameters_move_the_pattern(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    _, root = platform_repo(
        {".github/pattern-verify.yml": "parameters:\n  endpoint_path: /socket\n"}
    )
    code, results, _ = run(run_cli, root, tmp_path / "out")
    assert code == 1
    endpoint = requirement(results, "single-websocket-endpoint")
    assert paths(endpoint["violations"]) == {"backend/api/websocket_gateway_router.py"}
    assert "expected at least 1" in " ".join(endpoint["problems"])


def test_pr_mode_on_the_platform(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    """Issue 4's done-when: a moved violation is existing, a deleted one fixed, an added
    websockets.connect new; --fail-on new fails it; without the connect it passes while the
    overall status stays fail; --fail-on never exits 0."""
    repo, root = platform_repo(
        {
            NOTIFICATIONS: DIRECT_ACCESS_SERVICE,
            "backend/api/chat_router.py": CHAT_ROUTER,
        }
    )
    repo.git.checkout("-b", "feature")
    service = root / "backend/smart_city/services/notifications/notification_service.py"
    service.write_text(
        "import logging\n\nlogger = logging.getLogger(__name__)\n\n" + service.read_text()
    )
    (root / "backend/api/chat_router.py").unlink()
    connect = (
        "import websockets\n\n\nasync def listen():\n"
        '    async with websockets.connect("wss://feed.example.invalid/live") as ws:\n'
        "        return await ws.recv()\n"
    )
    (root / "backend/smart_city/services/feeds/feed_client.py").parent.mkdir(parents=True)
    (root / "backend/smart_city/services/feeds/feed_client.py").write_text(connect)
    repo.git.add("--all")
    repo.index.commit("feature")
    code, results, output = run(run_cli, root, tmp_path / "pr", "--base", "main")
    assert code == 1, output
    direct = requirement(results, "no-direct-websocket-access")
    changes = {(v["path"], v["change"]) for v in direct["violations"]}
    assert (
        "backend/smart_city/services/notifications/notification_service.py",
        "existing",
    ) in changes
    assert ("backend/smart_city/services/feeds/feed_client.py", "new") in changes
    assert paths(results["fixed"]) == {"backend/api/chat_router.py"}
    assert results["new_violations"] == 1
    assert run(run_cli, root, tmp_path / "never", "--base", "main", "--fail-on", "never")[0] == 0
    # without the added connect: nothing new, the PR passes, the overall status stays fail
    (root / "backend/smart_city/services/feeds/feed_client.py").unlink()
    repo.git.add("--all")
    repo.index.commit("drop the client")
    code, results, output = run(run_cli, root, tmp_path / "pr2", "--base", "main")
    assert code == 0, output
    assert results["status"] == "fail" and results["new_violations"] == 0


def test_files_semgrep_cannot_parse_are_listed_as_not_verified(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    _, root = platform_repo(
        {
            "frontend/src/pages/Chat.astro": "<script>new WebSocket('/api/ws/chat')</script>\n",
            "frontend/src/components/Legacy.vue": (
                '<script lang="coffee">\nsocket = new WebSocket "/api/ws/chat"\n</script>\n'
            ),
        }
    )
    _, results, _ = run(run_cli, root, tmp_path / "out")
    not_verified = {s["path"]: s["reason"] for s in results["scope"]["not_verified"]}
    assert "cannot parse" in not_verified["frontend/src/pages/Chat.astro"]
    assert 'lang="coffee"' in not_verified["frontend/src/components/Legacy.vue"]


GATEWAY_UNDER_API = """from fastapi import FastAPI

from backend.api import content_router, websocket_gateway_router

app = FastAPI(title="Smart City Platform")
app.include_router(content_router.router)
app.include_router(websocket_gateway_router.router, prefix="/api")
"""


def test_a_gateway_included_under_a_prefix_fails_with_its_full_route(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    """Issue 13: the only endpoint is declared `/ws` but reached at `/api/ws`."""
    _, root = platform_repo({"backend/main.py": GATEWAY_UNDER_API})
    code, results, output = run(run_cli, root, tmp_path / "out")
    assert code == 1, output
    endpoint = requirement(results, "single-websocket-endpoint")
    assert endpoint["status"] == "fail"
    (violation,) = endpoint["violations"]
    assert violation["path"] == "backend/api/websocket_gateway_router.py"
    assert violation["captures"]["route"] == "/api/ws"
    assert violation["captures"]["declared_route"] == "/ws"
    report = (tmp_path / "out" / "report.md").read_text()
    assert "Full route: `/api/ws` (declared `/ws`)" in report
    assert "Full route: /api/ws (declared /ws)." in output


def test_a_pull_request_adding_a_prefix_regresses_the_endpoint(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    """The router file is unchanged; only main.py moves it. The base's routes are linked with
    the base's main.py, so the endpoint was fine there and the violation is new."""
    repo, root = platform_repo()
    repo.git.checkout("-b", "feature")
    (root / "backend/main.py").write_text(GATEWAY_UNDER_API)
    repo.git.add("--all")
    repo.index.commit("serve the api under /api")
    code, results, output = run(run_cli, root, tmp_path / "pr", "--base", "main")
    assert code == 1, output
    endpoint = requirement(results, "single-websocket-endpoint")
    assert endpoint["change"] == "regressed"
    assert [v["change"] for v in endpoint["violations"]] == ["new"]


def test_a_prefix_computed_at_run_time_is_not_verified_and_says_why(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    _, root = platform_repo(
        {
            "backend/main.py": GATEWAY_UNDER_API.replace(
                'prefix="/api"', "prefix=settings.API_PREFIX"
            )
        }
    )
    code, results, output = run(run_cli, root, tmp_path / "out")
    assert code == 1, output
    endpoint = requirement(results, "single-websocket-endpoint")
    assert endpoint["status"] == "fail" and not endpoint["evidence"]
    (undecided,) = endpoint["undecided"]
    assert "route" not in undecided["captures"] and undecided["unresolved"] == ["route"]
    assert "settings.API_PREFIX" in undecided["captures"]["route_unresolved"]
    assert "backend/main.py:7" in undecided["captures"]["route_unresolved"]
    problems = " ".join(endpoint["problems"])
    assert "could not decide 1 `websocket-endpoint` fact: `route` not statically known" in problems
    assert "`backend/api/websocket_gateway_router.py:9`" in problems


def _router_with_route_from_settings() -> str:
    router = (EXAMPLE / "backend/api/websocket_gateway_router.py").read_text(encoding="utf-8")
    return router.replace(
        "from fastapi import APIRouter, WebSocket\n",
        "from fastapi import APIRouter, WebSocket\n\nfrom backend.settings import WS_PATH\n",
    ).replace('@router.websocket("/ws")', "@router.websocket(WS_PATH)")


def test_a_route_computed_at_run_time_is_not_verified_and_says_why(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    # the gateway's route comes from the environment: not "another route than /ws", not known
    _, root = platform_repo(
        {
            "backend/settings.py": (
                'import os\n\nENVIRONMENT = "production"\n'
                'WS_PATH = os.environ.get("WS_PATH", "/ws")\n'
            ),
            "backend/api/websocket_gateway_router.py": _router_with_route_from_settings(),
        }
    )
    code, results, output = run(run_cli, root, tmp_path / "out")
    assert code == 1, output
    endpoint = requirement(results, "single-websocket-endpoint")
    assert endpoint["status"] == "fail" and not endpoint["evidence"]
    assert not endpoint["violations"]  # never judged as a route other than /ws
    (undecided,) = endpoint["undecided"]
    assert "route" not in undecided["captures"] and undecided["unresolved"] == ["route"]
    assert undecided["captures"]["declared_route"] == "WS_PATH"
    assert undecided["captures"]["route_unresolved"] == (
        "route `WS_PATH` at backend/api/websocket_gateway_router.py:11 is `WS_PATH` of "
        'backend/settings.py, assigned `os.environ.get("WS_PATH", "/ws")` at '
        "backend/settings.py:4, which is not a string literal"
    )
    problems = " ".join(endpoint["problems"])
    assert "could not decide 1 `websocket-endpoint` fact: `route` not statically known" in problems
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    # the report says which endpoint and why
    assert (
        "`route` not statically known (`backend/api/websocket_gateway_router.py:11`: route "
        "`WS_PATH` at backend/api/websocket\\_gateway\\_router.py:11 is `WS_PATH` of "
        "backend/settings.py, assigned "
    ) in report


def test_a_route_from_a_constant_of_another_module_is_its_string(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    # `from backend.settings import WS_PATH`, assigned once, a string: the route is `/ws`
    _, root = platform_repo(
        {
            "backend/settings.py": 'WS_PATH = "/ws"\n',
            "backend/api/websocket_gateway_router.py": _router_with_route_from_settings(),
        }
    )
    _, results, output = run(run_cli, root, tmp_path / "out")
    endpoint = requirement(results, "single-websocket-endpoint")
    assert endpoint["status"] == "pass", output
    (evidence,) = endpoint["evidence"]
    assert evidence["captures"]["route"] == "/ws"
    assert evidence["captures"]["route_constant"] == "WS_PATH (backend/settings.py:1)"
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "`WS_PATH` read from backend/settings.py:1" in report


def test_a_pull_request_changing_an_imported_constant_moves_the_unchanged_endpoint(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    """The router file is unchanged; only the settings module its route is imported from
    changes. The base's route is read from the base's settings, so the violation is new."""
    repo, root = platform_repo(
        {
            "backend/settings.py": 'WS_PATH = "/ws"\n',
            "backend/api/websocket_gateway_router.py": _router_with_route_from_settings(),
        }
    )
    repo.git.checkout("-b", "feature")
    (root / "backend/settings.py").write_text('WS_PATH = "/realtime"\n')
    repo.git.add("--all")
    repo.index.commit("serve the gateway at /realtime")
    code, results, output = run(run_cli, root, tmp_path / "pr", "--base", "main")
    assert code == 1, output
    endpoint = requirement(results, "single-websocket-endpoint")
    assert endpoint["change"] == "regressed"
    (violation,) = endpoint["violations"]
    assert violation["path"] == "backend/api/websocket_gateway_router.py"
    assert violation["captures"]["route"] == "/realtime"
    assert violation["change"] == "new"


def test_a_pull_request_changing_a_frontend_clients_imported_target_makes_it_new(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """trading-desk-clients: the sanctioned client's file is unchanged; only `GATEWAY_URL` in
    web/src/config.ts moves to another path. The base's client is linked with the base's
    config, so the client's violation is new, with the new target."""
    root = corpus_repo(tmp_path, "trading-desk-clients", "")
    repo = git.Repo(root)
    repo.git.checkout("-b", "feature")
    config = root / "web/src/config.ts"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "'wss://desk.example.invalid/ws'", "'wss://desk.example.invalid/desk/stream'"
        ),
        encoding="utf-8",
    )
    repo.git.add("--all")
    repo.index.commit("move the desk's stream")
    code, results, output = run(run_cli, root, tmp_path / "pr", "--base", "main")
    assert code == 1, output
    direct = requirement(results, "no-direct-websocket-access")
    (moved,) = [v for v in direct["violations"] if v["path"] == "web/src/lib/websocket_client.ts"]
    assert moved["captures"]["target"] == "wss://desk.example.invalid/desk/stream"
    assert moved["captures"]["target_constant"] == "GATEWAY_URL (web/src/config.ts:3)"
    assert moved["change"] == "new"
    assert results["new_violations"] == 1


CHAT_VUE = """<template>
  <section class="chat">
    <p v-for="line in lines" :key="line">{{ line }}</p>
  </section>
</template>

<script setup lang="ts">
import { ref } from "vue";

const lines = ref<string[]>([]);
const socket = new WebSocket("wss://chat.example.invalid/api/ws/chat");
socket.onmessage = (event: MessageEvent<string>) => lines.value.push(event.data);
</script>
"""


def test_a_websocket_in_a_vue_component_links_to_its_line(
    platform_repo: PlatformRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    _, root = platform_repo({"frontend/src/components/Chat.vue": CHAT_VUE})
    code, results, output = run(run_cli, root, tmp_path / "out")
    assert code == 1, output
    direct = requirement(results, "no-direct-websocket-access")
    (violation,) = [v for v in direct["violations"] if v["path"].endswith(".vue")]
    assert (violation["path"], violation["line"], violation["column"]) == (
        "frontend/src/components/Chat.vue",
        11,
        16,
    )
    assert violation["text"] == 'new WebSocket("wss://chat.example.invalid/api/ws/chat")'
    assert results["scope"]["files_by_language"]["vue"] == 1
    report = (tmp_path / "out" / "report.md").read_text()
    link = "https://github.com/acme/platform/blob/"
    assert "frontend/src/components/Chat.vue#L11)" in report and link in report


def corpus_repo(tmp_path: Path, project: str, config: str) -> Path:
    """A git repo holding a corpus project, with a config of its own."""
    root = tmp_path / project
    shutil.copytree(CORPUS / project, root)
    (root / "expected.json").unlink()
    (root / ".github").mkdir()
    (root / ".github/pattern-verify.yml").write_text(config, encoding="utf-8")
    commit_all(init_repo(root), project)
    return root


def test_a_socketio_server_is_one_endpoint_and_its_namespaces_are_channels(
    run_cli: RunCli, tmp_path: Path
) -> None:
    root = corpus_repo(tmp_path, "socketio-node-namespaces", "parameters:\n  endpoint_path: /rt\n")
    _, results, output = run(run_cli, root, tmp_path / "out")
    endpoint = requirement(results, "single-websocket-endpoint")
    assert endpoint["status"] == "pass", output
    (server,) = endpoint["evidence"]
    assert (server["path"], server["captures"]["route"]) == ("src/server.ts", "/rt")
    channels = requirement(results, "logical-channel-routing")
    assert channels["status"] == "pass"
    # a regular-expression namespace is kept as written, not a literal
    assert sorted(f["captures"]["namespace"] for f in channels["evidence"]) == [
        "/^\\/team-[a-z-]+$/",
        "/admin",
        "/chat",
    ]


def test_a_nestjs_app_s_gateways_follow_its_adapter_and_its_modules(
    run_cli: RunCli, tmp_path: Path
) -> None:
    root = corpus_repo(tmp_path, "nestjs-modules", "parameters:\n  endpoint_path: /socket.io\n")
    code, results, output = run(run_cli, root, tmp_path / "out")
    assert code == 1, output
    endpoint = requirement(results, "single-websocket-endpoint")
    # chat and notifications share the default server; presence has a port of its own; the
    # legacy gateway no module provides is not served, and not counted
    assert endpoint["status"] == "fail"
    assert sorted(f["path"] for f in endpoint["violations"]) == [
        "src/chat/chat.gateway.ts",
        "src/presence/presence.gateway.ts",
    ]
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "Full route: `/socket.io`, namespace `/chat`." in report
    assert "Full route: /socket.io, namespace /presence." in output
    legacy = [f for f in results["findings"] if f["path"] == "src/legacy/legacy.gateway.ts"]
    assert [f["fact"] for f in legacy] == ["websocket-gateway-unregistered"]
    channels = requirement(results, "logical-channel-routing")
    assert [f["captures"]["served_by"] for f in channels["evidence"]] == [
        "src/chat/chat.gateway.ts:11"
    ]


def test_a_nestjs_adapter_handed_in_from_elsewhere_is_not_verified_and_says_why(
    run_cli: RunCli, tmp_path: Path
) -> None:
    root = corpus_repo(tmp_path, "nestjs-modules", "parameters:\n  endpoint_path: /socket.io\n")
    main = root / "src/main.ts"
    main.write_text(
        main.read_text(encoding="utf-8").replace(
            "const redisIoAdapter = new RedisIoAdapter(app);", "const redisIoAdapter = make(app);"
        ),
        encoding="utf-8",
    )
    _, results, output = run(run_cli, root, tmp_path / "out")
    endpoint = requirement(results, "single-websocket-endpoint")
    assert endpoint["status"] == "fail" and not endpoint["evidence"]
    assert len(endpoint["undecided"]) == 3, output  # the platform decides sharing too
    assert all(
        "websocket adapter `redisIoAdapter` (src/main.ts:11)" in f["captures"]["route_unresolved"]
        for f in endpoint["undecided"]
    )


def test_a_nest_gateway_no_app_imports_and_ws_gateways_sharing_a_path_leave_one_endpoint(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """nestjs-ws-fleet: two `ws` gateways on /live are one endpoint, and the replay gateway's
    module is imported by no app's root module (only by a standalone application context), so
    it is not counted: Single WebSocket Endpoint holds, and the results say why."""
    root = corpus_repo(tmp_path, "nestjs-ws-fleet", "parameters:\n  endpoint_path: /live\n")
    _, results, output = run(run_cli, root, tmp_path / "out")
    endpoint = requirement(results, "single-websocket-endpoint")
    assert endpoint["status"] == "pass", output
    (live,) = endpoint["evidence"]
    assert (live["path"], live["captures"]["route"]) == (
        "src/dispatch/dispatch.gateway.ts",
        "/live",
    )
    facts = {f["path"]: f for f in results["findings"]}
    shadowed = facts["src/tracking/tracking.gateway.ts"]
    assert shadowed["fact"] == "websocket-gateway-shadowed"
    assert shadowed["captures"]["served_by"] == "src/dispatch/dispatch.gateway.ts:11"
    replay = facts["src/replay/replay.gateway.ts"]
    assert replay["fact"] == "websocket-gateway-unregistered"
    assert replay["captures"]["registration"] == (
        "not registered: provided by `ReplayModule` (src/replay/replay.module.ts), which no "
        "app's root module (`AppModule` at src/main.ts:7) imports, directly or through other "
        "modules, so Nest does not serve it"
    )
    # once the app imports the module, Nest serves the gateway: a second endpoint
    module = root / "src/app.module.ts"
    module.write_text(
        module.read_text(encoding="utf-8")
        .replace("    TrackingModule,\n", "    TrackingModule,\n    ReplayModule,\n")
        .replace(
            "import { TrackingModule }",
            "import { ReplayModule } from './replay/replay.module';\nimport { TrackingModule }",
        ),
        encoding="utf-8",
    )
    code, results, output = run(run_cli, root, tmp_path / "imported")
    assert code == 1, output
    endpoint = requirement(results, "single-websocket-endpoint")
    assert endpoint["status"] == "fail"
    (violation,) = endpoint["violations"]
    assert (violation["path"], violation["captures"]["route"]) == (
        "src/replay/replay.gateway.ts",
        "/replay",
    )


NEST_MAIN = """import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.useWebSocketAdapter(new WsAdapter(app));
  await app.listen(3000);
}

void bootstrap();
"""


def test_a_pull_request_changing_the_nest_adapter_moves_the_unchanged_gateway(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """The gateway file is unchanged; main.ts drops the `ws` adapter, so Nest serves the gateway
    on socket.io at /socket.io instead of `/`: a new violation of the endpoint."""
    root = tmp_path / "nest"
    files = {
        ".github/pattern-verify.yml": "parameters:\n  endpoint_path: /\n",
        "src/main.ts": NEST_MAIN,
        "src/app.module.ts": (
            "import { Module } from '@nestjs/common';\n"
            "import { EventsGateway } from './events.gateway';\n\n"
            "@Module({ providers: [EventsGateway] })\nexport class AppModule {}\n"
        ),
        "src/events.gateway.ts": (
            "import { WebSocketGateway } from '@nestjs/websockets';\n\n"
            "@WebSocketGateway()\nexport class EventsGateway {}\n"
        ),
    }
    repo = init_repo(root, files)
    commit_all(repo, "nest app on ws")
    repo.git.checkout("-b", "feature")
    (root / "src/main.ts").write_text(
        NEST_MAIN.replace("  app.useWebSocketAdapter(new WsAdapter(app));\n", ""),
        encoding="utf-8",
    )
    commit_all(repo, "back to socket.io")
    code, results, output = run(run_cli, root, tmp_path / "pr", "--base", "main")
    assert code == 1, output
    endpoint = requirement(results, "single-websocket-endpoint")
    assert endpoint["change"] == "regressed"
    (violation,) = endpoint["violations"]
    assert (violation["path"], violation["change"]) == ("src/events.gateway.ts", "new")
    assert violation["captures"]["route"] == "/socket.io"


def _socketio_desk(tmp_path: Path, *, keep_strays: bool) -> Path:
    """The aiohttp + React support desk: a python-socketio server attached at `/rt`, a web
    client reaching its namespaces over `/rt`; without `keep_strays`, only the sanctioned
    client module connects."""
    root = corpus_repo(tmp_path, "socketio-aiohttp-react", "parameters:\n  endpoint_path: /rt\n")
    if not keep_strays:
        shutil.rmtree(root / "web/src/features")
        (root / "tools/smoke.py").unlink()
        commit_all(git.Repo(root), "only the client module connects")
    return root


def test_a_socketio_frontend_reaching_namespaces_over_the_server_s_path_passes(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """`io("/chat", { path: "/rt" })` connects over `/rt` and joins namespace `/chat`: the
    URL's path is not the path it connects to, so the client is not a violation, and the
    server `attach`ed at `socketio_path="rt"` is the one endpoint at `/rt`."""
    root = _socketio_desk(tmp_path, keep_strays=False)
    _, results, output = run(run_cli, root, tmp_path / "out")
    endpoint = requirement(results, "single-websocket-endpoint")
    assert endpoint["status"] == "pass", output
    (served,) = endpoint["evidence"]
    assert (served["path"], served["line"], served["captures"]["route"]) == (
        "server/app.py",
        25,
        "/rt",
    )
    assert requirement(results, "logical-channel-routing")["status"] == "pass"
    direct = requirement(results, "no-direct-websocket-access")
    assert direct["status"] == "pass", output
    assert not direct["violations"] and not direct["undecided"]
    clients = [f for f in results["findings"] if f["fact"] == "frontend-websocket-client"]
    assert [
        (f["line"], f["captures"]["target"], f["captures"].get("namespace")) for f in clients
    ] == [
        (8, "/rt", "/chat"),
        (12, "/rt", "/agents"),
        (20, "/rt", None),
        (24, "/rt", "/"),
    ]
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "engine.io path `'/rt'` to `'/chat'`" in report and "Namespace `/chat`." in report


def test_a_socketio_frontend_on_the_wrong_engine_io_path_fails_naming_it(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """The classic mistake: `io("/chat")` without `path` connects over `/socket.io`, which the
    server (attached at `/rt`) does not serve. The check names the client and the path."""
    root = _socketio_desk(tmp_path, keep_strays=False)
    client = root / "web/src/lib/websocket_client.ts"
    client.write_text(
        client.read_text(encoding="utf-8").replace(
            "io('/chat', { path: '/rt', auth", "io('/chat', { auth"
        ),
        encoding="utf-8",
    )
    code, results, output = run(run_cli, root, tmp_path / "out")
    assert code == 1, output
    direct = requirement(results, "no-direct-websocket-access")
    assert direct["status"] == "fail"
    (violation,) = direct["violations"]
    assert (violation["path"], violation["line"]) == ("web/src/lib/websocket_client.ts", 8)
    assert violation["captures"]["target"] == "/socket.io"
    assert "engine.io path `/socket.io` to `'/chat'`" in violation["message"]
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "frontend websocket connections to a path other than `/rt`" in report
    assert (
        "websocket_client.ts:8  socket.io client connection over engine.io path /socket.io "
        "to '/chat'" in output
    )


def test_a_socketio_client_whose_options_come_from_a_variable_is_listed_as_not_checked(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """`io(url, WALLBOARD_OPTIONS)`: options only the running code knows. The path check cannot
    judge the client and does not fail for it; the report lists it under the requirement,
    saying its path was not checked."""
    root = _socketio_desk(tmp_path, keep_strays=True)
    _, results, _ = run(run_cli, root, tmp_path / "out")
    direct = requirement(results, "no-direct-websocket-access")
    assert direct["status"] == "fail" and not direct["undecided"]
    (listed,) = direct["not_counted"]
    finding = listed["finding"]
    assert (finding["path"], finding["line"]) == ("web/src/features/live/liveBoard.ts", 7)
    assert "target" not in finding["captures"]
    assert listed["reason"] == (
        "the options `WALLBOARD_OPTIONS` (which may set the engine.io path) are a name whose "
        "value only the running code knows (a variable, a parameter, configuration or another "
        "module's constant): whether it connects to `/rt` was not checked"
    )
    # the support widget names its namespace in the URL and connects over the default path
    widget = [v for v in direct["violations"] if v["path"].endswith("supportWidget.ts")]
    assert {v["captures"]["target"] for v in widget} == {"/socket.io"}
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "Engine.io path known only at run time: the options `WALLBOARD_OPTIONS`" in report
    assert "**Also seen, not counted (1):**" in report


def test_frontend_targets_from_configuration_are_listed_and_computed_ones_undecided(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """vite-ops-dashboard: clients whose URL only the running code knows (`WS_URL` from the
    deployment, `props.url`, `settings.ws.url`, a socket.io path from `import.meta.env`) are
    listed as not checked and never fail the path check; targets the code computes
    (`base + '/admin/audit'`, `buildSocketUrl('/tickets')`) are undecided with why; a
    same-file constant is read and judged; a socket.io Manager and its namespaces are seen."""
    config = 'parameters:\n  client_modules: ["src/lib/**"]\n'
    root = corpus_repo(tmp_path, "vite-ops-dashboard", config)
    code, results, output = run(run_cli, root, tmp_path / "out")
    assert code == 1, output
    direct = requirement(results, "no-direct-websocket-access")
    assert [(n["finding"]["path"], n["finding"]["line"]) for n in direct["not_counted"]] == [
        ("src/components/LiveLog.tsx", 12),
        ("src/features/admin/adminConsole.ts", 7),
        ("src/features/presence/presence.ts", 5),
        ("src/lib/websocketClient.ts", 18),
    ]
    assert all(
        n["reason"].endswith("whether it connects to `/ws` was not checked")
        for n in direct["not_counted"]
    )
    assert [(u["path"], u["line"]) for u in direct["undecided"]] == [
        ("src/features/admin/adminConsole.ts", 6),
        ("src/features/tickets/ticketFeed.ts", 11),
    ]
    problems = " ".join(direct["problems"])
    assert (
        "could not decide 2 `frontend-websocket-client` facts: `target` not statically known"
        in (problems)
    )
    assert "target `buildSocketUrl('/tickets')` at src/features/tickets/ticketFeed.ts:11 is " in (
        problems
    )
    # the path check: the ticker's readable template path, and the support vendor's socket.io
    # client, Manager and namespace socket on the default /socket.io
    assert "frontend websocket connections to a path other than `/ws`: 4" in problems
    # inside the client modules: the kiosk constant read from the file, the Manager on /ws and
    # its namespaces, the deployment's URL (not checked, listed above)
    evidence = {(e["path"], e["line"]): e["captures"] for e in direct["evidence"]}
    assert evidence[("src/lib/websocketClient.ts", 17)]["target"] == "wss://ops.example.invalid/ws"
    assert [evidence[("src/lib/realtime.ts", line)].get("namespace") for line in (8, 14, 17)] == [
        None,
        "/alerts",
        "/metrics",
    ]
    assert "target" not in evidence[("src/lib/websocketClient.ts", 18)]
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "**Also seen, not counted (4):** facts a check of this requirement leaves out" in report
    # the deployment's URL, imported from src/config/env.ts, which reads it from the environment
    assert (
        "Target known only at run time: target `WS_URL` is `WS_URL` of src/config/env.ts, "
        "assigned `import.meta.env.VITE_WS_URL ?? 'ws://localhost:8000/ws'` at "
        "src/config/env.ts:2: a value only the running code knows." in report
    )
    assert "Target unresolved: target `base + '/admin/audit'`" in report
    comment = (tmp_path / "out" / "comment.md").read_text(encoding="utf-8")
    assert "_Also seen, not counted: 4 (each with why in the verification document" in comment
    assert "also seen, not counted: 4 (each with why in the report)" in output


EDGE_SERVER = """import { Elysia } from 'elysia'
import { Hono } from 'hono'
import { upgradeWebSocket } from 'hono/bun'
const api = new Elysia({ prefix: '/api' }).ws('/ws', { message(ws, m) { ws.send(m) } })
export const app = new Hono().basePath('/v2')
app.get('/ws', upgradeWebSocket(() => ({ onMessage() {} })))
export default { port: 3000, fetch: app.fetch }
"""


def test_js_gateways_mounted_under_a_prefix_are_never_counted_as_the_endpoint(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """An Elysia instance with a `prefix` and a Hono app with a `basePath` declare `/ws` and are
    served at `/api/ws` and `/v2/ws`: neither is the `/ws` endpoint, and the report says where
    each is reached (it once said "Full route: `/ws`" for both)."""
    root = tmp_path / "edge"
    (root / "src").mkdir(parents=True)
    (root / "src/server.ts").write_text(EDGE_SERVER, encoding="utf-8")
    commit_all(init_repo(root), "edge")
    code, results, output = run(run_cli, root, tmp_path / "out")
    assert code == 1, output
    endpoint = requirement(results, "single-websocket-endpoint")
    assert endpoint["status"] == "fail" and not endpoint["evidence"]
    routes = sorted(
        (v["line"], v["captures"]["route"], v["captures"]["declared_route"])
        for v in endpoint["violations"]
    )
    assert routes == [(4, "/api/ws", "/ws"), (6, "/v2/ws", "/ws")]
    report = (tmp_path / "out" / "report.md").read_text()
    assert "Full route: `/api/ws` (declared `/ws`)" in report
    assert "Full route: `/v2/ws` (declared `/ws`)" in report
    assert "Full route: `/ws`" not in report

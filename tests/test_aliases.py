"""Aliases and imports never hide a fact or change its name.

The resolver on its own (a tree held in a dict), the evaluation of facts it cannot resolve,
and every requirement of the default pack judged on the bundled platform twice: once with a
violation written plainly and once with the same violation behind an alias. The verdicts must
be the same, and the report names the real class beside the alias."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
import pytest

from pattern_verify import names
from pattern_verify.checks import Require
from pattern_verify.config import load_config
from pattern_verify.errors import ConfigError
from pattern_verify.evaluate import evaluate
from pattern_verify.models import Finding
from pattern_verify.specs import RequirementSpec, RuleInfo

RunCli = Callable[..., tuple[int, str, str]]
PlatformRepo = Callable[..., tuple[git.Repo, Path]]

GATEWAY_MODULE = "backend/smart_city/services/post_office/websocket_gateway_service.py"
TREE = {
    GATEWAY_MODULE: "class WebSocketGatewayService:\n    pass\n",
    "backend/smart_city/services/post_office/__init__.py": (
        "from .websocket_gateway_service import WebSocketGatewayService as Gateway\n"
        "Hub = Gateway\n"
        'GATEWAY_CLASS = "WebSocketGatewayService"\n'
    ),
    "backend/smart_city/__init__.py": "",
    "backend/lazy/__init__.py": "def __getattr__(name):\n    return object\n",
    "src/app/gateways.py": "class Local:\n    pass\n",
}


def resolve(source: str, written: str, tree: dict[str, str] | None = None) -> str | None:
    files = {**TREE, **(tree or {}), "backend/services/svc.py": source}
    return names.Resolver(files.get).resolve("backend/services/svc.py", written)


@pytest.mark.parametrize(
    ("source", "written", "expected"),
    [
        (
            "from backend.smart_city.services.post_office.websocket_gateway_service import "
            "WebSocketGatewayService as G\n",
            "G",
            "WebSocketGatewayService",
        ),
        # a module alias, and a submodule imported from its package under an alias
        (
            "import backend.smart_city.services.post_office.websocket_gateway_service as gws\n",
            "gws.WebSocketGatewayService",
            "WebSocketGatewayService",
        ),
        (
            "from backend.smart_city.services.post_office import websocket_gateway_service as m\n",
            "getattr(m, 'WebSocketGatewayService')",
            "WebSocketGatewayService",
        ),
        # re-exports through the package: renamed on import, then assigned
        (
            "from backend.smart_city.services.post_office import Gateway\n",
            "Gateway",
            "WebSocketGatewayService",
        ),
        (
            "from backend.smart_city.services.post_office import Hub as H\n",
            "H",
            "WebSocketGatewayService",
        ),
        # a constant of this file, and one of the package
        (
            'from backend.smart_city.services import post_office as po\nNAME = "Gateway"\n',
            "getattr(po, NAME)",
            "WebSocketGatewayService",
        ),
        (
            "from backend.smart_city.services import post_office as po\n",
            "getattr(po, po.GATEWAY_CLASS)",
            "WebSocketGatewayService",
        ),
        # imported inside a function (to dodge an import cycle) counts the same
        (
            "def start():\n"
            "    from ..smart_city.services.post_office import Gateway as G\n"
            "    return G()\n",
            "G",
            "WebSocketGatewayService",
        ),
        # from outside the tree: the name it is imported as
        ("from vendor.gateways import RemoteGateway as RG\n", "RG", "RemoteGateway"),
        # not imported: the name as written (an attribute, a local class)
        ("class Gateway:\n    pass\n", "Gateway", "Gateway"),
        ("", "self.gateway_factory.WebSocketGateway", "WebSocketGateway"),
        # a file that does not parse still has its imports read
        (
            "from backend.smart_city.services.post_office import Gateway as G\ndef broken(:\n",
            "G",
            "WebSocketGatewayService",
        ),
    ],
)
def test_names_are_resolved_through_imports(source: str, written: str, expected: str) -> None:
    assert resolve(source, written) == expected


def test_a_src_layout_is_found_from_the_importing_files_directories() -> None:
    files = {
        "src/app/gateways.py": "from .impl import Real as Exported\n",
        "src/app/impl.py": "class Real:\n    pass\n",
        "src/app/service.py": "from app.gateways import Exported as E\n",
    }
    assert names.Resolver(files.get).resolve("src/app/service.py", "E") == "Real"


@pytest.mark.parametrize(
    ("source", "written"),
    [
        # a name only known at run time
        ("import backend.lazy as lazy\n", "getattr(lazy, class_name)"),
        # a module that makes its names up
        ("from backend.lazy import Gateway as G\n", "G"),
        # one name bound to two different classes
        (
            "try:\n    from a import FastGateway as G\nexcept ImportError:\n"
            "    from b import SlowGateway as G\n",
            "G",
        ),
        # not a name at all
        ("", "factories[kind]"),
    ],
)
def test_what_a_static_reading_cannot_tell_is_unresolved(source: str, written: str) -> None:
    assert resolve(source, written) is None


def test_the_same_symbol_imported_in_two_ways_is_still_resolved() -> None:
    source = (
        "try:\n    from a import WebSocketGatewayService as G\nexcept ImportError:\n"
        "    from b import WebSocketGatewayService as G\n"
    )
    assert resolve(source, "G") == "WebSocketGatewayService"


def test_a_finding_keeps_the_name_as_written_and_derives_captures_from_the_resolved_one() -> None:
    rule = RuleInfo(
        id="abstraction-access-by-attribute",
        fact="abstraction-access",
        message="`$ATTR`",
        captures=("attr",),
        languages=("python",),
        file=Path("rules.yaml"),
        names=(("attr", r"^(?:get_)?(?P<name>\w+?)_abstraction$"),),
    )
    files = {
        "svc.py": "from backend.abstractions import websocket_abstraction as wsa\n",
    }
    finding = Finding(
        rule_id=rule.id,
        fact=rule.fact,
        path="svc.py",
        line=2,
        end_line=2,
        message="`wsa`",
        captures={"attr": "wsa"},
        dynamic=("attr",),
    )
    resolved = names.resolve_finding(
        finding, names.NameRule(rule), names.Resolver(files.get), "svc.py"
    )
    assert resolved.captures == {"attr": "websocket_abstraction", "name": "websocket"}
    assert resolved.aliases == {"attr": "wsa"}
    assert resolved.dynamic == () and resolved.unresolved == ()

    unknown = finding.model_copy(update={"captures": {"attr": "registry[key]"}})
    marked = names.resolve_finding(
        unknown, names.NameRule(rule), names.Resolver(files.get), "svc.py"
    )
    assert marked.unresolved == ("attr", "name") and "name" not in marked.captures


def _instantiation(path: str, captures: dict[str, str], unresolved: tuple[str, ...]) -> Finding:
    return Finding(
        rule_id="gateway-instantiation-in-class",
        fact="gateway-instantiation",
        path=path,
        line=3,
        end_line=3,
        message="m",
        captures=captures,
        unresolved=unresolved,
    )


def test_a_fact_whose_name_is_unresolved_fails_the_requirement_saying_it_could_not_decide() -> None:
    spec = RequirementSpec(
        id="post-office-ownership",
        title="Post Office Ownership",
        checks=[
            Require(
                facts=["gateway-instantiation"],
                select={"class": "WebSocketGatewayService"},
                where={"owner": "PostOfficeService"},
                min=1,
            )
        ],
    )
    owned = _instantiation(
        "po.py", {"class": "WebSocketGatewayService", "owner": "PostOfficeService"}, ()
    )
    dynamic = _instantiation(
        "plugins.py", {"class": "getattr(m, name)", "owner": "PluginLoader"}, ("class",)
    )
    # another class, plainly: the unresolved class does not matter to it
    other = _instantiation("api.py", {"class": "ApiGateway", "owner": "Api"}, ())
    (result,) = evaluate([spec], [owned, dynamic, other])
    assert result.status == "fail"
    assert result.violations == ()
    assert [f.path for f in result.evidence] == ["po.py"]
    assert [f.path for f in result.undecided] == ["plugins.py"]
    assert result.problems == (
        "could not decide 1 `gateway-instantiation` fact: `class` not statically known "
        "(`plugins.py:3`)",
    )
    # an unresolved capture the check does not look at changes nothing
    (plain,) = evaluate([spec], [owned, other.model_copy(update={"unresolved": ("kind",)})])
    assert plain.status == "pass" and plain.undecided == ()


# --- every requirement of the default pack, plain and aliased -----------------------------------

SERVICE = "backend/smart_city/services/content/content_service.py"
FRONTEND = "frontend/src/components/ContentFeed.ts"


def _service(imports: str, body: str) -> str:
    return (
        f'"""Content service."""\n\n{imports}\n\n\nclass ContentService:\n'
        f"    def __init__(self, post_office) -> None:\n        self.post_office = post_office\n\n"
        f"    async def start(self, text: str) -> None:\n        {body}\n"
    )


GW = "backend.smart_city.services.post_office.websocket_gateway_service"
PLAIN_GATEWAY = _service(
    f"from {GW} import WebSocketGatewayService", "self.gateway = WebSocketGatewayService(self)"
)
CASES: list[tuple[str, str, dict[str, str], list[dict[str, str]]]] = [
    (
        "single-websocket-endpoint",
        "raw server",
        {SERVICE: _service("import websockets", 'await websockets.serve(None, "0.0.0.0", 1)')},
        [
            {SERVICE: _service("import websockets as wsl", 'await wsl.serve(None, "0.0.0.0", 1)')},
            {
                SERVICE: _service(
                    "from websockets.asyncio.server import serve as start_server",
                    'await start_server(None, "0.0.0.0", 1)',
                )
            },
        ],
    ),
    (
        "single-websocket-endpoint",
        "route object",
        {
            SERVICE: _service(
                "from starlette.routing import WebSocketRoute",
                'self.route = WebSocketRoute("/ws/content", self.start)',
            )
        },
        [
            {
                SERVICE: _service(
                    "from starlette.routing import WebSocketRoute as Route",
                    'self.route = Route("/ws/content", self.start)',
                )
            }
        ],
    ),
    (
        "post-office-ownership",
        "gateway created by a service",
        {SERVICE: PLAIN_GATEWAY},
        [
            {
                SERVICE: _service(
                    f"from {GW} import WebSocketGatewayService as G", "self.gw = G(self)"
                )
            },
            {
                SERVICE: _service(
                    f"import {GW} as gws", "self.gw = gws.WebSocketGatewayService(self)"
                )
            },
            {
                SERVICE: _service(
                    "from backend.smart_city.services import post_office as po",
                    'self.gw = getattr(po, "Gateway")(self)',
                ),
                "backend/smart_city/services/post_office/__init__.py": (
                    "from .websocket_gateway_service import WebSocketGatewayService as Gateway\n"
                ),
            },
        ],
    ),
    (
        "logical-channel-routing",
        "socket-by-socket routing",
        {
            SERVICE: _service(
                "from starlette.websockets import WebSocket",
                "for socket in self.sockets:\n            await socket.send_text(text)",
            )
        },
        [
            {
                SERVICE: _service(
                    "from starlette.websockets import WebSocket as Socket",
                    "for socket in self.sockets:\n            await socket.send_text(text)",
                )
            }
        ],
    ),
    (
        "no-direct-websocket-access",
        "abstraction by name",
        {SERVICE: _service("", 'self.ws = self.get_abstraction("websocket")')},
        [
            {
                SERVICE: _service(
                    "from backend.infrastructure.registry import get_abstraction as lookup",
                    'self.ws = lookup("websocket")',
                )
            },
            {
                SERVICE: _service(
                    "from backend.infrastructure.abstractions import websocket_abstraction as wsa",
                    "await wsa.send(text)",
                )
            },
            {
                SERVICE: _service(
                    "from backend.infrastructure import abstractions as sa",
                    "await sa.websocket_abstraction.send(text)",
                )
            },
        ],
    ),
    (
        "no-direct-websocket-access",
        "websocket client",
        {SERVICE: _service("import websockets", 'self.c = await websockets.connect("ws://x/ws")')},
        [
            {
                SERVICE: _service(
                    "from websockets import connect as ws_connect",
                    'self.c = await ws_connect("ws://x/ws")',
                )
            }
        ],
    ),
    (
        "no-direct-websocket-access",
        "frontend client",
        {FRONTEND: "export const feed = new WebSocket('wss://example.invalid/feed');\n"},
        [
            {
                FRONTEND: "import { WebSocket as WS } from 'ws';\n"
                "export const feed = new WS('wss://example.invalid/feed');\n"
            },
            {
                FRONTEND: "const { WebSocket: W } = require('ws');\n"
                "export const feed = new W('wss://example.invalid/feed');\n"
            },
            {
                FRONTEND: "import * as sio from 'socket.io-client';\n"
                "export const feed = sio.io('wss://example.invalid/feed');\n"
            },
        ],
    ),
]


def _verdict(
    run_cli: RunCli, platform_repo: PlatformRepo, tmp_path: Path, name: str, files: dict[str, str]
) -> tuple[dict[str, Any], str]:
    _, root = platform_repo(files, name=name)
    out = tmp_path / f"{name}-out"
    code, stdout, stderr = run_cli("run", root, "--output-dir", out)
    assert code == 1, stdout + stderr
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return results, (out / "report.md").read_text(encoding="utf-8")


def _judged(results: dict[str, Any]) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    return {
        r["id"]: (r["status"], sorted((v["path"], v["fact"]) for v in r["violations"]))
        for r in results["requirements"]
    }


@pytest.mark.parametrize(
    ("requirement", "what", "plain", "aliased"),
    CASES,
    ids=[f"{c[0]}: {c[1]}" for c in CASES],
)
def test_every_requirement_judges_an_aliased_fact_as_the_plain_one(
    run_cli: RunCli,
    platform_repo: PlatformRepo,
    tmp_path: Path,
    requirement: str,
    what: str,
    plain: dict[str, str],
    aliased: list[dict[str, str]],
) -> None:
    expected, _ = _verdict(run_cli, platform_repo, tmp_path, "plain", plain)
    assert _judged(expected)[requirement][0] == "fail"
    for index, variant in enumerate(aliased):
        results, _ = _verdict(run_cli, platform_repo, tmp_path, f"aliased-{index}", variant)
        assert _judged(results) == _judged(expected), (what, variant)


def test_an_aliased_rogue_gateway_fails_and_the_report_names_the_real_class(
    run_cli: RunCli, platform_repo: PlatformRepo, tmp_path: Path
) -> None:
    rogue = _service(f"from {GW} import WebSocketGatewayService as G", "self.gw = G(self)")
    results, report = _verdict(run_cli, platform_repo, tmp_path, "rogue", {SERVICE: rogue})
    (ownership,) = [r for r in results["requirements"] if r["id"] == "post-office-ownership"]
    (violation,) = ownership["violations"]
    assert violation["captures"]["class"] == "WebSocketGatewayService"
    assert violation["aliases"] == {"class": "G"}
    assert "(`G` — alias of `WebSocketGatewayService`)" in report


def test_a_gateway_looked_up_at_run_time_is_never_a_silent_pass(
    run_cli: RunCli, platform_repo: PlatformRepo, tmp_path: Path
) -> None:
    dynamic = _service(
        f"import {GW} as gws", "self.gw = getattr(gws, self.settings['gateway'])(self)"
    )
    results, report = _verdict(run_cli, platform_repo, tmp_path, "dynamic", {SERVICE: dynamic})
    (ownership,) = [r for r in results["requirements"] if r["id"] == "post-office-ownership"]
    assert ownership["status"] == "fail" and ownership["violations"] == []
    assert [f["path"] for f in ownership["undecided"]] == [SERVICE]
    assert any(p.startswith("could not decide 1") for p in ownership["problems"])
    assert "could not decide 1" in report


def test_a_rule_s_names_are_checked_with_its_file(tmp_path: Path) -> None:
    rules = tmp_path / "rules/calls.yaml"
    rules.parent.mkdir(parents=True)
    rules.write_text(
        "rules:\n  - id: call\n    languages: [python]\n    severity: INFO\n"
        "    message: call of `$X`\n"
        "    metadata: {fact: call, captures: [x], names: {x: '(?P<bad', y: ''}}\n"
        "    pattern: $X()\n",
        encoding="utf-8",
    )
    config = tmp_path / "pv.yml"
    config.write_text(
        "requirements:\n  - id: no-calls\n    title: No calls\n    rules: [rules/calls.yaml]\n"
        "    checks: [{kind: forbid, facts: [call]}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, config)
    text = str(caught.value)
    assert f"{rules}: rules[0] (call): metadata.names.x: not a valid regex" in text
    assert f"{rules}: rules[0] (call): metadata.names: `y` is not one of metadata.captures" in text


def test_base_versions_resolve_their_names_in_the_base_tree(
    run_cli: RunCli, platform_repo: PlatformRepo, tmp_path: Path
) -> None:
    """In a pull request the base versions of changed files are read with the base's imports
    and re-exports: the base's aliased rogue gateway is a violation the change fixes, and the
    head's, reached through a re-export the change adds, is a new one."""
    package = "backend/smart_city/services/post_office/__init__.py"
    rogue = _service(f"from {GW} import WebSocketGatewayService as G", "self.gw = G(self)")
    repo, root = platform_repo({SERVICE: rogue})
    repo.git.checkout("-b", "feature")
    guide = "backend/smart_city/services/guide/guide_service.py"
    (root / SERVICE).write_text(_service("", "self.gw = None"), encoding="utf-8")
    (root / package).write_text(
        "from .websocket_gateway_service import WebSocketGatewayService as Gateway\n",
        encoding="utf-8",
    )
    (root / guide).write_text(
        "from backend.smart_city.services.post_office import Gateway as R\n\n\n"
        "class GuideService:\n    def start(self):\n        self.gw = R(self)\n",
        encoding="utf-8",
    )
    repo.git.add("--all")
    repo.index.commit("feature")
    out = tmp_path / "pr"
    code, stdout, stderr = run_cli("run", root, "--output-dir", out, "--base", "main")
    assert code == 1, stdout + stderr
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    (ownership,) = [r for r in results["requirements"] if r["id"] == "post-office-ownership"]
    assert [(v["path"], v["change"], v["captures"]["class"]) for v in ownership["violations"]] == [
        (guide, "new", "WebSocketGatewayService")
    ]
    assert [(f["path"], f["captures"]["class"]) for f in results["fixed"]] == [
        (SERVICE, "WebSocketGatewayService")
    ]


def test_names_are_resolved_after_the_facts_store_never_kept_in_it(
    run_cli: RunCli, platform_repo: PlatformRepo, tmp_path: Path
) -> None:
    """A file's facts come from the store when its bytes did not change, but the name behind
    an alias can change with another file (the package re-exporting it): resolved afresh."""
    package = "backend/smart_city/services/post_office/__init__.py"
    service = _service(
        "from backend.smart_city.services.post_office import Gateway", "self.gw = Gateway(self)"
    )
    export = "from .websocket_gateway_service import WebSocketGatewayService as Gateway\n"
    _, root = platform_repo({SERVICE: service, package: export})
    cache = tmp_path / "cache"

    def instantiated() -> tuple[list[str], str, int]:
        out = tmp_path / "out"
        code, stdout, stderr = run_cli("run", root, "--output-dir", out, "--cache-dir", cache)
        results = json.loads((out / "results.json").read_text(encoding="utf-8"))
        classes = [
            f["captures"].get("class", "")
            for f in results["findings"]
            if f["fact"] == "gateway-instantiation" and f["path"] == SERVICE
        ]
        return classes, stdout + stderr, code

    classes, output, code = instantiated()
    assert classes == ["WebSocketGatewayService"] and code == 1, output
    (root / package).write_text(
        "from .websocket_gateway_service import LegacyGateway as Gateway\n", encoding="utf-8"
    )
    classes, output, code = instantiated()
    assert "from the facts store" in output  # the service's own facts were not scanned again
    # the service now creates another class: Post Office Ownership holds
    assert classes == ["LegacyGateway"] and code == 0, output

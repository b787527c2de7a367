"""The linking stage on its own: routing pieces (as the rules report them) joined into the
routes clients connect to. Pure: findings in, findings out. End to end, with semgrep, the corpus
(tests/corpus/*routing*, quart-blueprints, versioned-python-apis), tests/test_websocket_pack.py
and the last section here (framework settings read from the code semgrep found: Sanic versions,
Falcon suffixes, Litestar routers) cover it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pattern_verify import scan, targets
from pattern_verify.config import load_config
from pattern_verify.link import join_route, link, module_of, socketio_namespace
from pattern_verify.models import Finding


def fact(
    kind: str,
    path: str,
    line: int,
    captures: dict[str, str] | None = None,
    *,
    dynamic: tuple[str, ...] = (),
    text: str = "",
    rule_id: str = "",
    column: int = 1,
    end: tuple[int, int] | None = None,
) -> Finding:
    end_line, end_column = end if end is not None else (line, 80)
    return Finding(
        rule_id=rule_id or kind,
        fact=kind,
        path=path,
        line=line,
        end_line=end_line,
        column=column,
        end_column=end_column,
        message=kind,
        text=text,
        captures=captures or {},
        dynamic=dynamic,
    )


def imports(path: str, line: int, text: str) -> Finding:
    return fact("python-import", path, line, text=text)


def endpoint(path: str, line: int, route: str, router: str | None = None) -> Finding:
    captures = {"route": route} | ({"router": router} if router else {})
    return fact("websocket-endpoint", path, line, captures)


def routes(findings: list[Finding]) -> dict[tuple[str, int], list[dict[str, str]]]:
    out: dict[tuple[str, int], list[dict[str, str]]] = {}
    for finding in link(findings):
        out.setdefault((finding.path, finding.line), []).append(finding.captures)
    return out


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        (["/api", "/v1", "/ws"], "/api/v1/ws"),
        (["/api/", "/ws"], "/api/ws"),
        (["ws/", "chat/"], "/ws/chat/"),
        (["^ws/live/$", "^scores/(?P<id>\\d+)/$"], "/ws/live/scores/(?P<id>\\d+)/$"),
        (["", "/", "/ws"], "/ws"),
        (["/chat", "ws"], "/chat/ws"),
        (["base"], "/base"),
        ([], "/"),
    ],
)
def test_pieces_join_into_the_route_a_client_requests(pieces: list[str], expected: str) -> None:
    assert join_route(pieces) == expected


def test_module_names_follow_the_file_layout() -> None:
    assert module_of("backend/api/ws.py") == "backend.api.ws"
    assert module_of("chat/__init__.py") == "chat"


def test_a_router_included_under_prefixes_across_files_gets_its_full_route() -> None:
    main = "backend/main.py"
    api = "backend/api/__init__.py"
    ws = "backend/api/ws.py"
    found = routes(
        [
            imports(main, 1, "from backend import api as api_package"),
            fact(
                "route-include",
                main,
                5,
                {"parent": "app", "child": "api_package.api_router", "prefix": "/api"},
                dynamic=("child",),
            ),
            imports(api, 1, "from .ws import router as ws_router"),
            fact("route-prefix", api, 3, {"router": "api_router", "prefix": "/v2"}),
            fact(
                "route-include",
                api,
                4,
                {"parent": "api_router", "child": "ws_router"},
                dynamic=("child",),
            ),
            fact("route-prefix", ws, 3, {"router": "router", "prefix": "/realtime"}),
            endpoint(ws, 6, "/ws", router="router"),
        ]
    )
    assert found == {
        (ws, 6): [{"declared_route": "/ws", "route": "/api/v2/realtime/ws", "router": "router"}]
    }


def test_pieces_are_consumed_and_other_facts_pass_unchanged() -> None:
    client = fact("websocket-client", "svc.py", 3, {"target": "ws://x/ws"})
    raw = fact("websocket-endpoint", "adapter.py", 9)  # a raw server: no route
    out = link([client, raw, fact("route-prefix", "r.py", 1, {"router": "r", "prefix": "/x"})])
    assert sorted(out, key=lambda f: f.path) == sorted([client, raw], key=lambda f: f.path)


def test_a_prefix_computed_at_run_time_leaves_the_route_unresolved_with_the_reason() -> None:
    found_input = [
        imports("main.py", 1, "import console"),
        fact(
            "route-include",
            "main.py",
            4,
            {"parent": "app", "child": "console.router", "prefix": "settings.ADMIN_PREFIX"},
            dynamic=("child", "prefix"),
        ),
        fact("route-prefix", "console.py", 2, {"router": "router"}),
        endpoint("console.py", 5, "/console", router="router"),
    ]
    found = routes(found_input)
    (captures,) = found[("console.py", 5)]
    assert "route" not in captures
    assert captures["declared_route"] == "/console"
    assert captures["route_unresolved"] == (
        "prefix `settings.ADMIN_PREFIX` at main.py:4 is computed at run time"
    )
    (finding,) = [f for f in link(found_input) if f.path == "console.py"]
    assert finding.unresolved == ("route",)


def test_a_router_nothing_includes_is_unresolved_and_names_what_was_not_followed() -> None:
    link_input = [
        fact(
            "route-include",
            "main.py",
            4,
            {"parent": "app", "child": "routers[0]"},
            dynamic=("child",),
        ),
        fact("route-prefix", "chat.py", 2, {"router": "router", "prefix": "/chat"}),
        endpoint("chat.py", 5, "/ws", router="router"),
        endpoint("main.py", 9, "/ws", router="app"),  # on the app itself: reached as declared
    ]
    found = routes(link_input)
    (chat,) = found[("chat.py", 5)]
    assert "route" not in chat
    assert "router `router` (chat.py:2) is not included anywhere" in chat["route_unresolved"]
    assert "`routers[0]` at main.py:4" in chat["route_unresolved"]
    assert [f.unresolved for f in link(link_input) if f.path == "chat.py"] == [("route",)]
    assert found[("main.py", 9)] == [{"declared_route": "/ws", "route": "/ws", "router": "app"}]


def test_a_router_nothing_includes_with_every_inclusion_followed_is_reached_as_declared() -> None:
    found = routes(
        [
            fact("route-prefix", "chat.py", 2, {"router": "router", "prefix": "/chat"}),
            endpoint("chat.py", 5, "/ws", router="router"),
        ]
    )
    assert found[("chat.py", 5)][0]["route"] == "/chat/ws"


def test_a_blueprint_registered_with_a_prefix_loses_its_own() -> None:
    found = routes(
        [
            imports("app/__init__.py", 1, "from app.live import bp as live_bp"),
            imports("app/__init__.py", 2, "from app.chat import chat_bp"),
            fact(
                "route-include",
                "app/__init__.py",
                6,
                {"parent": "app", "child": "live_bp", "prefix": "/v2/live"},
                dynamic=("child",),
                rule_id="route-include-blueprint",
            ),
            fact(
                "route-include",
                "app/__init__.py",
                7,
                {"parent": "app", "child": "chat_bp"},
                dynamic=("child",),
                rule_id="route-include-blueprint",
            ),
            fact("route-prefix", "app/live.py", 3, {"router": "bp", "prefix": "/live"}),
            endpoint("app/live.py", 6, "/feed", router="bp"),
            fact("route-prefix", "app/chat.py", 3, {"router": "chat_bp", "prefix": "/chat"}),
            endpoint("app/chat.py", 6, "/ws", router="chat_bp"),
        ]
    )
    assert found[("app/live.py", 6)][0]["route"] == "/v2/live/feed"
    assert found[("app/chat.py", 6)][0]["route"] == "/chat/ws"


def test_a_router_included_twice_is_two_endpoints() -> None:
    found = routes(
        [
            fact(
                "route-include",
                "main.py",
                4,
                {"parent": "app", "child": "ws", "prefix": "/v1"},
                dynamic=("child",),
            ),
            fact(
                "route-include",
                "main.py",
                5,
                {"parent": "app", "child": "ws", "prefix": "/v2"},
                dynamic=("child",),
            ),
            fact("route-prefix", "main.py", 2, {"router": "ws"}),
            endpoint("main.py", 8, "/ws", router="ws"),
        ]
    )
    assert [c["route"] for c in found[("main.py", 8)]] == ["/v1/ws", "/v2/ws"]


def test_an_inclusion_cycle_ends() -> None:
    found = routes(
        [
            fact(
                "route-include",
                "r.py",
                4,
                {"parent": "a", "child": "b", "prefix": "/b"},
                dynamic=("child",),
            ),
            fact(
                "route-include",
                "r.py",
                5,
                {"parent": "b", "child": "a", "prefix": "/a"},
                dynamic=("child",),
            ),
            endpoint("r.py", 8, "/ws", router="a"),
        ]
    )
    # each inclusion is followed once; the walk stops where it would go round again
    assert found[("r.py", 8)] == [{"declared_route": "/ws", "route": "/b/a/ws", "router": "a"}]


def test_django_includes_groups_and_functions_nest_by_where_they_are_written() -> None:
    """config/routing.py holds a named list with an inline URLRouter group (lines 5-12) and an
    inclusion of a function's routes; chat/urls.py is included whole by its module path."""
    routing = "config/routing.py"
    found = routes(
        [
            fact(
                "route-include",
                "config/asgi.py",
                9,
                {"child": "routing.websocket_urlpatterns"},
                dynamic=("child",),
            ),
            imports("config/asgi.py", 2, "from config import routing"),
            imports(routing, 1, "from support.routing import support_routes"),
            fact("route-scope", routing, 3, {"name": "websocket_urlpatterns"}, end=(13, 2)),
            fact(
                "route-include",
                routing,
                4,
                {"child": "support_routes()", "prefix": "ws/support/"},
                dynamic=("child",),
                column=5,
                end=(4, 60),
            ),
            fact("route-scope", routing, 5, {"prefix": "ws/dash/"}, column=5, end=(12, 6)),
            fact(
                "websocket-endpoint", routing, 8, {"route": "<int:board>/"}, column=17, end=(8, 60)
            ),
            fact("route-scope", "support/routing.py", 4, {"name": "support_routes"}, end=(8, 10)),
            fact("websocket-endpoint", "support/routing.py", 6, {"route": "tickets/"}, column=9),
            fact("route-scope", "chatsite/urls.py", 3, {"name": "urlpatterns"}, end=(6, 2)),
            fact(
                "route-include",
                "chatsite/urls.py",
                4,
                {"child": "chat.urls", "prefix": "chat/"},
                column=5,
                end=(4, 40),
            ),
            fact("route-scope", "chat/urls.py", 3, {"name": "urlpatterns"}, end=(6, 2)),
            fact("websocket-endpoint", "chat/urls.py", 4, {"route": "ws/"}, column=5),
        ]
    )
    assert found[(routing, 8)][0]["route"] == "/ws/dash/<int:board>/"
    assert found[("support/routing.py", 6)][0]["route"] == "/ws/support/tickets/"
    assert found[("chat/urls.py", 4)][0]["route"] == "/chat/ws/"


def test_relative_imports_and_names_imported_into_the_endpoint_file() -> None:
    found = routes(
        [
            imports("pkg/main.py", 1, "from . import views"),
            fact(
                "route-include",
                "pkg/main.py",
                3,
                {"parent": "app", "child": "views.router", "prefix": "/api"},
                dynamic=("child",),
            ),
            fact("route-prefix", "pkg/views.py", 2, {"router": "router"}),
            imports("pkg/more.py", 1, "from .views import router"),
            endpoint("pkg/more.py", 4, "/ws", router="router"),
        ]
    )
    assert found[("pkg/more.py", 4)][0]["route"] == "/api/ws"


# -- Socket.IO: one endpoint per server, namespaces are channels ---------------------------------


def test_a_socketio_server_an_app_wraps_is_served_by_the_app_below_its_mount() -> None:
    server = fact(
        "websocket-endpoint",
        "rt/server.py",
        5,
        {"name": "sio", "engine": "socketio.AsyncServer"},
        dynamic=("name", "engine"),
    )
    app = fact(
        "websocket-endpoint",
        "main.py",
        9,
        {"route": "realtime/socket.io", "router": "sio_app", "server": "sio"},
        dynamic=("router", "server"),
        text='socketio.ASGIApp(sio, socketio_path="realtime/socket.io")',
    )
    mount = fact(
        "route-include",
        "main.py",
        10,
        {"parent": "app", "child": "sio_app", "prefix": "/live"},
        dynamic=("parent", "child"),
    )
    found = link([imports("main.py", 1, "from rt.server import sio"), server, app, mount])
    # the server is not a second endpoint; the app is reached below the mount
    assert [(f.fact, f.path, f.line) for f in found] == [
        ("websocket-endpoint", "main.py", 9),
        ("websocket-server-served", "rt/server.py", 5),
    ]
    assert found[0].captures["route"] == "/live/realtime/socket.io"
    assert found[0].captures["declared_route"] == "realtime/socket.io"
    # the server is seen, and said to be counted through the app, at the app's full route
    assert found[1].captures == {
        "engine": "socketio.AsyncServer",
        "name": "sio",
        "served_by": "main.py:9",
        "served_route": "/live/realtime/socket.io",
        "served_through": "socketio.ASGIApp",
    }


def test_a_socketio_app_mounted_in_place_is_reached_below_the_mount() -> None:
    app_text = "socketio.ASGIApp(socketio.AsyncServer())"
    app = fact(
        "websocket-endpoint",
        "main.py",
        4,
        {"route": "/socket.io", "server": "socketio.AsyncServer()"},
        dynamic=("server",),
        text=app_text,
        column=20,
        end=(4, 61),
    )
    inner = fact(
        "websocket-endpoint",
        "main.py",
        4,
        {"engine": "socketio.AsyncServer"},
        dynamic=("engine",),
        column=37,
        end=(4, 60),
    )
    mount = fact(
        "route-include",
        "main.py",
        4,
        {"parent": "app", "child": app_text, "prefix": "/rt"},
        dynamic=("parent", "child"),
    )
    out = link([app, inner, mount])
    assert [(f.fact, f.column, f.captures.get("route")) for f in out] == [
        ("websocket-endpoint", 20, "/rt/socket.io"),
        ("websocket-server-served", 37, None),
    ]
    assert out[1].captures["served_by"] == "main.py:4"
    assert out[1].captures["served_route"] == "/rt/socket.io"


def test_a_socketio_server_no_app_wraps_stays_an_endpoint_and_namespaces_pass() -> None:
    server = fact("websocket-endpoint", "app.py", 3, {"route": "/socket.io", "name": "socketio"})
    namespace = fact("socketio-namespace", "app.py", 8, {"namespace": "/chat"})
    out = link([server, namespace])
    assert [(f.fact, f.captures.get("route")) for f in out] == [
        ("websocket-endpoint", "/socket.io"),
        ("socketio-namespace", None),
    ]


# -- NestJS: the adapter decides the route, modules decide whether it is served -----------------


def gateway(path: str, line: int, captures: dict[str, str], text: str = "") -> Finding:
    return fact(
        "websocket-endpoint",
        path,
        line,
        captures,
        dynamic=("gateway",),
        text=text or "WebSocketGateway({})",
    )


def provider(module: str, name: str, line: int = 3) -> Finding:
    return fact(
        "nest-provider",
        f"src/{module.lower()}.module.ts",
        line,
        {"module": module, "provider": name},
        dynamic=("module", "provider"),
    )


def adapter(name: str) -> Finding:
    return fact("nest-adapter", "src/main.ts", 8, {"adapter": name}, dynamic=("adapter",))


def test_a_nest_gateway_on_socketio_is_reached_at_its_path_with_its_namespace_a_channel() -> None:
    chat = gateway("src/chat.gateway.ts", 5, {"gateway": "ChatGateway", "namespace": "chat"})
    alerts = gateway(
        "src/alerts.gateway.ts", 4, {"gateway": "AlertsGateway", "namespace": "/alerts"}
    )
    rt = gateway("src/rt.gateway.ts", 4, {"gateway": "RtGateway", "path": "/rt"})
    out = link(
        [
            chat,
            alerts,
            rt,
            provider("Chat", "ChatGateway"),
            provider("Alerts", "{ provide: 'A', useClass: AlertsGateway }"),
            provider("Rt", "RtGateway"),
        ]
    )
    by_path = {f.path: f for f in out}
    # no adapter set: socket.io, Nest's default; two gateways on one port and path share a server
    first = by_path["src/alerts.gateway.ts"]
    assert (first.fact, first.captures["route"], first.captures["namespace"]) == (
        "websocket-endpoint",
        "/socket.io",
        "/alerts",
    )
    assert first.captures["module"] == "Alerts"
    shared = by_path["src/chat.gateway.ts"]
    assert shared.fact == "socketio-namespace"
    assert shared.captures["namespace"] == "/chat"
    assert shared.captures["served_by"] == "src/alerts.gateway.ts:4"
    own = by_path["src/rt.gateway.ts"]
    assert (own.fact, own.captures["route"], own.captures["declared_route"]) == (
        "websocket-endpoint",
        "/rt",
        "/rt",
    )


def test_a_nest_gateway_on_ws_is_reached_at_its_path_or_the_root() -> None:
    events = gateway("src/events.gateway.ts", 3, {"gateway": "EventsGateway", "path": "/ws"})
    plain = gateway("src/plain.gateway.ts", 3, {"gateway": "PlainGateway"})
    custom = fact(
        "class-extends",
        "src/custom.adapter.ts",
        2,
        {"class": "CustomWsAdapter", "base": "WsAdapter"},
        dynamic=("class", "base"),
    )
    out = link(
        [
            events,
            plain,
            custom,
            adapter("CustomWsAdapter"),
            provider("Events", "EventsGateway"),
            provider("Events", "PlainGateway", 4),
        ]
    )
    assert {f.path: (f.captures["route"], f.captures["platform"]) for f in out} == {
        "src/events.gateway.ts": ("/ws", "ws"),
        "src/plain.gateway.ts": ("/", "ws"),
    }


def test_a_nest_adapter_that_cannot_be_followed_leaves_the_route_unresolved() -> None:
    events = gateway("src/events.gateway.ts", 3, {"gateway": "EventsGateway", "path": "/ws"})
    (out,) = link([events, adapter("adapter"), provider("Events", "EventsGateway")])
    assert "route" not in out.captures
    assert "route" in out.unresolved
    assert out.captures["route_unresolved"] == (
        "the websocket adapter `adapter` (src/main.ts:8) is neither WsAdapter nor IoAdapter nor "
        "a class of the files scanned extending one"
    )
    (mixed,) = link(
        [events, adapter("WsAdapter"), adapter("IoAdapter"), provider("Events", "EventsGateway")]
    )
    assert "different websocket adapters" in mixed.captures["route_unresolved"]


def test_a_nest_gateway_no_module_provides_is_not_served() -> None:
    legacy = gateway("src/legacy.gateway.ts", 3, {"gateway": "LegacyGateway", "path": "/old"})
    base = gateway("src/base.gateway.ts", 3, {"gateway": "BaseGateway"})
    tenant = fact(
        "class-extends",
        "src/tenant.gateway.ts",
        2,
        {"class": "TenantGateway", "base": "BaseGateway"},
        dynamic=("class", "base"),
    )
    out = {f.path: f for f in link([legacy, base, tenant, provider("Tenant", "TenantGateway")])}
    assert out["src/legacy.gateway.ts"].fact == "websocket-gateway-unregistered"
    assert "not registered" in out["src/legacy.gateway.ts"].captures["registration"]
    # a registered subclass serves its decorated base
    assert out["src/base.gateway.ts"].fact == "websocket-endpoint"
    assert out["src/base.gateway.ts"].captures["module"] == "Tenant"


def test_without_modules_in_sight_a_nest_gateway_stays_an_endpoint_and_says_so() -> None:
    (alone,) = link([gateway("src/a.gateway.ts", 3, {"gateway": "AGateway", "path": "/ws"})])
    assert alone.fact == "websocket-endpoint"
    assert alone.captures["registration"] == "not seen: no NestJS module in the files scanned"
    spread = provider("App", "...gateways")
    (unsure,) = link([gateway("src/a.gateway.ts", 3, {"gateway": "AGateway"}), spread])
    assert unsure.fact == "websocket-endpoint"
    assert "could not be read: `...gateways`" in unsure.captures["registration"]


def nest_import(module: str, entry: str, line: int = 4, *, whole: bool = False) -> Finding:
    captures = {"module": module, ("list" if whole else "import"): entry}
    return fact(
        "nest-import",
        f"src/{module.lower()}.module.ts",
        line,
        captures,
        dynamic=tuple(captures),
    )


def root(name: str, path: str = "src/main.ts") -> Finding:
    return fact("nest-root", path, 6, {"root": name}, dynamic=("root",))


def test_a_nest_gateway_whose_module_no_root_module_reaches_is_not_served() -> None:
    chat = gateway("src/chat.gateway.ts", 5, {"gateway": "ChatGateway", "path": "/ws"})
    alerts = gateway("src/alerts.gateway.ts", 5, {"gateway": "AlertsGateway", "path": "/ws"})
    users = gateway("src/users.gateway.ts", 5, {"gateway": "UsersGateway", "path": "/ws"})
    replay = gateway("src/replay.gateway.ts", 5, {"gateway": "ReplayGateway", "path": "/old"})
    graph = [
        root("AppModule"),
        # a module class, a dynamic module of its static method, a package's module
        nest_import("AppModule", "ChatModule", 4),
        nest_import("AppModule", "AlertsModule.register({ limit: 5 })", 5),
        nest_import("AppModule", "ConfigModule.forRoot({ isGlobal: true })", 6),
        nest_import("AppModule", "ChatModule", 7),
        # the dynamic module's own imports, and a circular forwardRef
        nest_import("AlertsModule", "forwardRef(() => UsersModule)"),
        nest_import("UsersModule", "forwardRef(() => AlertsModule)"),
        provider("ChatModule", "ChatGateway"),
        provider("AlertsModule", "AlertsGateway"),
        provider("UsersModule", "UsersGateway"),
        provider("ReplayModule", "ReplayGateway"),
        # an application context loads the replay module but serves no gateway (no root)
        nest_import("BackfillModule", "ReplayModule"),
    ]
    out = {f.path: f for f in link([chat, alerts, users, replay, *graph])}
    for served in ("src/chat.gateway.ts", "src/alerts.gateway.ts", "src/users.gateway.ts"):
        assert out[served].fact != "websocket-gateway-unregistered", served
        assert "registration" not in out[served].captures
    unserved = out["src/replay.gateway.ts"]
    assert unserved.fact == "websocket-gateway-unregistered"
    assert unserved.captures["module"] == "ReplayModule"
    assert unserved.captures["registration"] == (
        "not registered: provided by `ReplayModule` (src/replaymodule.module.ts), which no "
        "app's root module (`AppModule` at src/main.ts:6) imports, directly or through other "
        "modules, so Nest does not serve it"
    )
    # two apps: a gateway either root reaches is served
    (both,) = [
        f
        for f in link([replay, *graph, root("BackfillModule", "src/backfill.ts")])
        if f.path == "src/replay.gateway.ts"
    ]
    assert both.fact == "websocket-endpoint"


def test_where_the_module_graph_cannot_be_followed_a_nest_gateway_stays_counted_saying_why() -> (
    None
):
    replay = gateway("src/replay.gateway.ts", 5, {"gateway": "ReplayGateway", "path": "/old"})
    known = [provider("ReplayModule", "ReplayGateway"), nest_import("AppModule", "ChatModule")]
    cases = {
        "`...featureModules` (src/appmodule.module.ts:4)": nest_import(
            "AppModule", "...featureModules"
        ),
        "`loadModules()` (src/appmodule.module.ts:4)": nest_import("AppModule", "loadModules()"),
        "`imports: FEATURES` (src/appmodule.module.ts:4)": nest_import(
            "AppModule", "FEATURES", whole=True
        ),
        # a name neither a module of the tree nor, by Nest's naming, a package's module
        "`featureSet` (src/appmodule.module.ts:4)": nest_import("AppModule", "featureSet"),
    }
    for reason, entry in cases.items():
        (out,) = [
            f for f in link([replay, root("AppModule"), entry, *known]) if f.path == replay.path
        ]
        assert out.fact == "websocket-endpoint", reason
        assert out.captures["registration"] == (
            "not seen: provided by `ReplayModule` (src/replaymodule.module.ts), which no root "
            "module reaches through the imports followed, and these could not be followed: "
            + reason
        )
    # a root module handed in as a parameter
    (param,) = [f for f in link([replay, root("module"), *known]) if f.path == replay.path]
    assert param.fact == "websocket-endpoint"
    assert (
        "the root module `module` (src/main.ts:6), which is not a `@Module`"
        in (param.captures["registration"])
    )
    # an unreadable entry in a module no root reaches changes nothing
    stray = nest_import("BackfillModule", "...more")
    (out,) = [f for f in link([replay, root("AppModule"), stray, *known]) if f.path == replay.path]
    assert out.fact == "websocket-gateway-unregistered"


def test_without_an_app_in_sight_every_provided_nest_gateway_counts() -> None:
    """A library: which app imports its modules is not in the tree (kept as before)."""
    replay = gateway("src/replay.gateway.ts", 5, {"gateway": "ReplayGateway", "path": "/old"})
    (out,) = link(
        [replay, provider("ReplayModule", "ReplayGateway"), nest_import("LibModule", "ChatModule")]
    )
    assert out.fact == "websocket-endpoint"
    assert "registration" not in out.captures


def test_a_providers_list_that_is_an_expression_cannot_be_read() -> None:
    chat = gateway("src/chat.gateway.ts", 5, {"gateway": "ChatGateway"})
    listed = fact(
        "nest-provider",
        "src/chat.module.ts",
        6,
        {"module": "Chat", "list": "GATEWAYS"},
        dynamic=("module", "list"),
    )
    (out,) = link([chat, listed])
    assert out.fact == "websocket-endpoint"
    assert (
        "could not be read: `providers: GATEWAYS` at src/chat.module.ts:6"
        in (out.captures["registration"])
    )


def test_nest_ws_gateways_on_one_port_and_path_are_one_endpoint() -> None:
    live = gateway(
        "src/tracking.gateway.ts",
        5,
        {"gateway": "TrackingGateway", "path": "/live"},
        "WebSocketGateway({ path: '/live' })",
    )
    dispatch = gateway(
        "src/dispatch.gateway.ts",
        9,
        {"gateway": "DispatchGateway", "path": "/live"},
        "WebSocketGateway(0, { path: '/live' })",
    )
    other_port = gateway(
        "src/fleet.gateway.ts",
        5,
        {"gateway": "FleetGateway", "path": "/live"},
        "WebSocketGateway(8081, { path: '/live' })",
    )
    other_path = gateway("src/admin.gateway.ts", 5, {"gateway": "AdminGateway", "path": "/admin"})
    modules = [
        provider("Fleet", name)
        for name in ("TrackingGateway", "DispatchGateway", "FleetGateway", "AdminGateway")
    ]
    out = {
        f.path: f
        for f in link([live, dispatch, other_port, other_path, adapter("WsAdapter"), *modules])
    }
    assert [p for p, f in sorted(out.items()) if f.fact == "websocket-endpoint"] == [
        "src/admin.gateway.ts",
        "src/dispatch.gateway.ts",
        "src/fleet.gateway.ts",
    ]
    shadowed = out["src/tracking.gateway.ts"]
    assert shadowed.fact == "websocket-gateway-shadowed"
    assert shadowed.captures["served_by"] == "src/dispatch.gateway.ts:9"
    assert shadowed.captures["route"] == "/live"
    # WsAdapter refuses namespaces: the app does not start as written
    rooms = gateway("src/rooms.gateway.ts", 5, {"gateway": "RoomsGateway", "namespace": "rooms"})
    (refused,) = link([rooms, adapter("WsAdapter"), provider("Rooms", "RoomsGateway")])
    assert "route" in refused.unresolved
    assert "Nest's WsAdapter does not support namespaces" in refused.captures["route_unresolved"]
    assert (
        "WsAdapter hands each connection on this port and path `/live` to one gateway"
        in (shadowed.captures["shadowed"])
    )


def test_a_python_socketio_server_no_app_wraps_has_its_route_unresolved() -> None:
    server = fact(
        "websocket-endpoint",
        "rt.py",
        4,
        {"name": "sio", "engine": "socketio.AsyncServer"},
        dynamic=("name", "engine"),
    )
    (out,) = link([server])
    assert "route" not in out.captures and "route" in out.unresolved
    assert out.captures["route_unresolved"].startswith(
        "python-socketio server `sio` (rt.py:4) is reached at the path of what serves it"
    )


# -- Socket.IO clients: the URL's path is a namespace, the `path` option the path -------------


@pytest.mark.parametrize(
    ("url", "namespace"),
    [
        ("https://host/chat", "/chat"),
        ("https://host:8443/chat?token=x#top", "/chat"),
        ("https://host", "/"),
        ("https://host/", "/"),
        ("/chat", "/chat"),
        ("/", "/"),
        ("//cdn.example.invalid/admin", "/admin"),
        ("localhost:3000/orders", "/orders"),
        ("ws://host/chat/", "/chat/"),
    ],
)
def test_a_socketio_client_joins_the_namespace_its_url_names(url: str, namespace: str) -> None:
    assert socketio_namespace(url) == namespace


def client(
    captures: dict[str, str], text: str, *, dynamic: tuple[str, ...] = (), line: int = 3
) -> Finding:
    return fact(
        "frontend-websocket-client",
        "web/socket.ts",
        line,
        captures,
        dynamic=dynamic,
        text=text,
        rule_id="js-socketio-client",
    )


def test_a_socketio_client_connects_over_its_path_option_or_the_default() -> None:
    found = link(
        [
            client({"target": "/rt", "url": "https://host/chat"}, "io(u, { path: '/rt' })"),
            client({"target": "/socket.io", "url": "/"}, "io()", line=4),
            client(
                {"target": "/rt", "url": "`${origin}/x`"},
                "io(`${origin}/x`, { path: '/rt' })",
                dynamic=("url",),
                line=5,
            ),
        ]
    )
    assert [
        (f.captures.get("target"), f.captures.get("namespace"), f.unresolved) for f in found
    ] == [
        ("/rt", "/chat", ()),
        ("/socket.io", "/", ()),
        # the URL is not known, so neither is the namespace; the path is
        ("/rt", None, ()),
    ]


def test_a_socketio_client_whose_options_hide_the_path_has_it_unresolved() -> None:
    opaque = client(
        {"target": "loadOptions()", "url": "/chat"},
        "io('/chat', loadOptions())",
        dynamic=("target",),
    )
    spread_after = client(
        {"target": "/rt", "url": "/chat"}, "io('/chat', { path: '/rt', ...base })", line=4
    )
    spread_only = client(
        {"target": "/socket.io", "url": "/chat"}, "io('/chat', { ...base })", line=5
    )
    spread_before = client(
        {"target": "/rt", "url": "/chat"}, "io('/chat', { ...base, path: '/rt' })", line=6
    )
    computed = client(
        {"target": "/socket.io", "url": "/chat"}, "io('/chat', { [key]: '/rt' })", line=7
    )
    found = {f.line: f for f in link([opaque, spread_after, spread_only, spread_before, computed])}
    assert found[3].captures["target_unresolved"] == (
        "the options `loadOptions()` (which may set the engine.io path) at web/socket.ts:3 are "
        "computed at run time"
    )
    assert found[3].captures["declared_target"] == "loadOptions()"
    for line in (3, 4, 5):
        assert "target" not in found[line].captures and found[line].unresolved == ("target",)
    assert (
        "spread an object (`...`) that may set the `path`" in found[4].captures["target_unresolved"]
    )
    assert found[7].captures["target_unresolved"] == (
        "the options at web/socket.ts:7 have a computed key that may be `path`"
    )
    # a `path` after the spread wins over whatever the spread holds
    assert found[6].captures["target"] == "/rt" and not found[6].unresolved
    assert all(f.captures["namespace"] == "/chat" for f in found.values())
    assert "target" not in found[7].captures and found[7].unresolved == ("target",)


def test_a_websocket_client_is_not_read_as_socketio() -> None:
    plain = fact("frontend-websocket-client", "web/ws.ts", 2, {"target": "wss://host/chat"})
    assert link([plain]) == (plain,)


def py_client(
    captures: dict[str, str], *, dynamic: tuple[str, ...] = (), line: int = 3, rule: str = ""
) -> Finding:
    return fact(
        "websocket-client",
        "worker/feed.py",
        line,
        captures,
        dynamic=dynamic,
        rule_id=rule or "websocket-client-socketio",
    )


def test_a_python_socketio_client_connects_over_its_socketio_path_not_its_url() -> None:
    found = link(
        [
            # python-socketio drops the URL's path: `/chat` in the URL is no namespace
            # no `socketio_path`: python-socketio's default
            py_client({"url": "http://h/chat"}),
            py_client(
                {"url": "base", "socketio_path": "rt/", "namespaces": '["/chat", "/ops"]'},
                dynamic=("url", "namespaces"),
                line=4,
            ),
            py_client({"url": "http://h", "socketio_path": "/rt", "namespaces": "/chat"}, line=5),
        ]
    )
    assert [
        (f.captures.get("target"), f.captures.get("namespace"), f.dynamic, f.unresolved)
        for f in found
    ] == [
        ("/socket.io", None, (), ()),
        ("/rt", "/chat, /ops", ("url",), ()),
        ("/rt", "/chat", (), ()),
    ]
    assert "namespaces" not in found[1].captures and found[1].captures["socketio_path"] == "rt/"


def test_a_python_socketio_client_whose_path_cannot_be_read_has_it_unresolved() -> None:
    variable = py_client(
        {"url": "http://h", "socketio_path": "path", "namespaces": "NAMESPACES"},
        dynamic=("socketio_path", "namespaces"),
    )
    spread = py_client({"url": "http://h", "options": "options"}, dynamic=("options",), line=5)
    elsewhere = py_client({}, line=9, rule="websocket-client-socketio-unconnected")
    found = {f.line: f for f in link([variable, spread, elsewhere])}
    assert found[3].captures["target_unresolved"] == (
        "the engine.io path comes from `path` at worker/feed.py:3, which is not known statically"
    )
    assert found[3].captures["namespace_unresolved"] == (
        "the namespaces come from `NAMESPACES` at worker/feed.py:3, which is not known statically"
    )
    assert found[5].captures["target_unresolved"] == (
        "the keyword options `**options` at worker/feed.py:5 may set the engine.io path "
        "(`socketio_path`), which is not known statically"
    )
    # the default path is no reading of options that may set another
    assert "socketio_path" not in found[5].captures and not found[5].dynamic
    assert "connected outside the scope that creates it" in found[9].captures["target_unresolved"]
    for finding in found.values():
        assert "target" not in finding.captures and finding.unresolved == ("target",)


def test_a_python_websocket_client_is_not_read_as_socketio() -> None:
    plain = py_client({"target": "ws://h/ws"}, rule="websocket-client-websockets")
    assert link([plain]) == (plain,)


RUNTIME = (
    "is a name whose value only the running code knows (a variable, a parameter, "
    "configuration or another module's constant)"
)


@pytest.mark.parametrize(
    "written",
    ["url", "API_URL", "import.meta.env.VITE_WS_URL", "props.url", "this.config?.ws.url", "url!"],
)
def test_a_target_that_is_a_name_is_known_only_at_run_time_and_never_compared(
    written: str,
) -> None:
    """`new WebSocket(url)`: the value is the running code's (a variable, configuration): no
    `target` to compare as text, not unresolved (a pack lists it as not checked), and said."""
    (found,) = link(
        [
            fact(
                "frontend-websocket-client",
                "web/ws.ts",
                2,
                {"target": written},
                dynamic=("target",),
            )
        ]
    )
    assert "target" not in found.captures and found.unresolved == () and found.dynamic == ()
    assert found.captures["declared_target"] == written
    assert found.captures["target_runtime"] == f"target `{written}` {RUNTIME}"


@pytest.mark.parametrize(
    "written",
    [
        "base + '/ws'",
        "base + path",
        "buildSocketUrl('/tickets')",
        "new URL('/ws', location.href)",
        "props.url ?? '/ws'",
        "ENDPOINTS[name]",
        "`${base}${path}`",
        "`wss://${location.host}`",
        "`${base}/ws${suffix}`",
    ],
)
def test_a_target_the_code_computes_is_unresolved_with_the_reason(written: str) -> None:
    """Never "another path than /ws" from the expression's text, and never a silent pass."""
    (found,) = link(
        [
            fact(
                "frontend-websocket-client",
                "web/ws.ts",
                2,
                {"target": written},
                dynamic=("target",),
            )
        ]
    )
    assert "target" not in found.captures and found.unresolved == ("target",)
    assert found.captures["declared_target"] == written
    shown = f"`` {written} ``" if "`" in written else f"`{written}`"
    assert found.captures["target_unresolved"] == (
        f"target {shown} at web/ws.ts:2 is computed at run time"
    )


@pytest.mark.parametrize(
    "written",
    ["`${origin}/ws`", "`${scheme}://${host}/ws`", "`${origin}/ws/ticker?symbol=${symbol`"],
)
def test_a_template_literal_with_a_readable_path_is_judged_as_written(written: str) -> None:
    client_fact = fact(
        "frontend-websocket-client", "web/ws.ts", 2, {"target": written}, dynamic=("target",)
    )
    assert link([client_fact]) == (client_fact,)


def test_a_socketio_path_from_configuration_is_known_only_at_run_time() -> None:
    env = client(
        {"target": "import.meta.env.VITE_PATH", "url": "import.meta.env.VITE_URL"},
        "io(import.meta.env.VITE_URL, { path: import.meta.env.VITE_PATH })",
        dynamic=("target", "url"),
    )
    options = client(
        {"target": "WALLBOARD_OPTIONS", "url": "/live"},
        "io('/live', WALLBOARD_OPTIONS)",
        dynamic=("target",),
        line=4,
    )
    first, second = link([env, options])
    assert first.captures["target_runtime"] == (
        f"engine.io path `import.meta.env.VITE_PATH` {RUNTIME}"
    )
    assert "namespace" not in first.captures and first.unresolved == ()
    assert second.captures["target_runtime"].startswith(
        "the options `WALLBOARD_OPTIONS` (which may set the engine.io path) are a name"
    )
    assert second.captures["namespace"] == "/live"


def test_a_manager_s_url_names_no_namespace_and_its_sockets_name_theirs() -> None:
    """engine.io takes only the host from a Manager's URL: `socket("/ns")` picks the namespace."""
    manager = fact(
        "frontend-websocket-client",
        "web/rt.ts",
        3,
        {"target": "/ws", "url": "https://host/ignored"},
        rule_id="js-socketio-manager",
    )
    socket = fact(
        "frontend-websocket-client",
        "web/rt.ts",
        5,
        {"target": "/ws", "url": "https://host/ignored", "namespace": "/alerts"},
        rule_id="js-socketio-manager-socket",
    )
    named_at_run_time = fact(
        "frontend-websocket-client",
        "web/rt.ts",
        6,
        {"target": "/ws", "url": "https://host", "namespace": "name"},
        dynamic=("namespace",),
        rule_id="js-socketio-manager-socket",
    )
    found = link([manager, socket, named_at_run_time])
    assert [f.captures.get("namespace") for f in found] == [None, "/alerts", None]
    assert all(f.captures["target"] == "/ws" and not f.unresolved for f in found)


# -- python-socketio `attach(app, socketio_path=...)` ------------------------------------------


def attach(
    path: str, line: int, captures: dict[str, str], dynamic: tuple[str, ...], text: str = ""
) -> Finding:
    return fact(
        "socketio-attach",
        path,
        line,
        captures,
        dynamic=dynamic,
        rule_id="socketio-attach",
        text=text,
    )


def test_a_python_socketio_server_attached_to_an_app_is_served_at_its_path() -> None:
    server = fact(
        "websocket-endpoint",
        "desk/sio.py",
        9,
        {"name": "sio", "engine": "socketio.AsyncServer"},
        dynamic=("name", "engine"),
    )
    attached = attach(
        "desk/app.py",
        25,
        {"server": "sio", "router": "app", "route": "rt"},
        ("server", "router"),
        text='sio.attach(app, socketio_path="rt")',
    )
    # a MIME attachment: `attach` on something that is no socket.io server of the tree
    mail = attach(
        "desk/mailer.py",
        17,
        {"server": "transcript", "router": 'b"%PDF"', "route": "/socket.io"},
        ("server", "router"),
    )
    found = link([imports("desk/app.py", 11, "from desk.sio import sio"), server, attached, mail])
    # the server is not a second endpoint; the attach is the endpoint, at `/rt`
    assert [(f.fact, f.path, f.line) for f in found] == [
        ("websocket-endpoint", "desk/app.py", 25),
        ("websocket-server-served", "desk/sio.py", 9),
    ]
    assert found[0].captures["route"] == "/rt"
    assert found[0].captures["declared_route"] == "rt"
    served = found[1].captures
    assert (served["served_by"], served["served_route"], served["served_through"]) == (
        "desk/app.py:25",
        "/rt",
        "sio.attach",
    )


def test_a_socketio_path_computed_at_run_time_leaves_the_route_unresolved() -> None:
    server = fact(
        "websocket-endpoint", "app.py", 3, {"name": "sio", "engine": "socketio.AsyncServer"}
    )
    attached = attach(
        "app.py",
        8,
        {"server": "sio", "router": "app", "route": "settings.SOCKETIO_PATH"},
        ("server", "router", "route"),
    )
    served, found = link([server, attached])
    assert "route" not in found.captures and found.unresolved == ("route",)
    # the server it serves says so: counted through an endpoint whose route is not known
    assert served.fact == "websocket-server-served"
    assert served.captures["served_route"] == "route not resolved"
    assert found.captures["route_unresolved"] == (
        "socketio_path `settings.SOCKETIO_PATH` at app.py:8 is computed at run time"
    )


def test_a_tornado_handler_serves_its_server_at_the_url_spec_s_path() -> None:
    server = fact(
        "websocket-endpoint",
        "fleet/realtime.py",
        6,
        {"name": "sio", "engine": "socketio.AsyncServer"},
        dynamic=("name", "engine"),
    )
    handler = fact(
        "websocket-endpoint",
        "fleet/app.py",
        24,
        {"route": "/tracker/socket.io/$", "server": "sio"},
        dynamic=("server",),
        text='(r"/tracker/socket.io/$", socketio.get_tornado_handler(sio))',
    )
    found = link([imports("fleet/app.py", 11, "from fleet.realtime import sio"), server, handler])
    # engine.io's path: the spec's trailing slash and anchor are not part of it
    assert [(f.path, f.captures.get("route"), f.captures.get("declared_route")) for f in found] == [
        ("fleet/app.py", "/tracker/socket.io", "/tracker/socket.io/$"),
        ("fleet/realtime.py", None, None),
    ]
    assert found[1].captures["served_through"] == "socketio.get_tornado_handler"
    assert found[1].captures["served_by"] == "fleet/app.py:24"


# -- a declared route computed at run time is not known, never another route ------------------


@pytest.mark.parametrize(
    ("path", "captures", "declared"),
    [
        # an imported constant, an attribute of settings, an f-string, a JS config object field
        ("api/ws.py", {"route": "WS_PATH", "router": "router"}, "WS_PATH"),
        ("app.py", {"route": "settings.WS_ROUTE", "router": "app"}, "settings.WS_ROUTE"),
        ("chat/routing.py", {"route": 'f"{PREFIX}ws/"'}, 'f"{PREFIX}ws/"'),
        ("src/server.ts", {"route": "cfg.path"}, "cfg.path"),
        ("src/routes.ts", {"route": "`${base}/live`"}, "`${base}/live`"),
    ],
)
def test_a_route_computed_at_run_time_is_unresolved_with_the_reason(
    path: str, captures: dict[str, str], declared: str
) -> None:
    (found,) = link([fact("websocket-endpoint", path, 7, captures, dynamic=("route",))])
    assert "route" not in found.captures and found.unresolved == ("route",)
    assert found.captures["declared_route"] == declared
    assert found.captures["route_unresolved"] == (
        f"route `{declared}` at {path}:7 is computed at run time"
    )
    # the other captures stay as they were
    assert {k: v for k, v in found.captures.items() if k in captures} == {
        k: v for k, v in captures.items() if k != "route"
    }


def test_a_computed_route_stays_unresolved_under_a_known_prefix() -> None:
    # the prefix is known, the route below it is not: the full route is not known either
    found = routes(
        [
            imports("main.py", 1, "from api import ws"),
            fact(
                "route-include",
                "main.py",
                5,
                {"parent": "app", "child": "ws.router", "prefix": "/api"},
                dynamic=("child",),
            ),
            fact(
                "websocket-endpoint",
                "api/ws.py",
                9,
                {"route": "WS_PATH", "router": "router"},
                dynamic=("route",),
            ),
            endpoint("api/ws.py", 14, "/ws", router="router"),
        ]
    )
    assert found == {
        ("api/ws.py", 9): [
            {
                "declared_route": "WS_PATH",
                "route_unresolved": "route `WS_PATH` at api/ws.py:9 is computed at run time",
                "router": "router",
            }
        ],
        ("api/ws.py", 14): [{"declared_route": "/ws", "route": "/api/ws", "router": "router"}],
    }


# -- values written as constants of another module of the tree ----------------------------------


def constant(path: str, line: int, name: str, value: str, *, literal: bool = True) -> Finding:
    dynamic = () if literal else ("value",)
    return fact("module-constant", path, line, {"name": name, "value": value}, dynamic=dynamic)


def js_import(path: str, line: int, text: str) -> Finding:
    return fact("js-import", path, line, text=text)


def declared(path: str, line: int, route: str, router: str = "router") -> Finding:
    return fact(
        "websocket-endpoint", path, line, {"route": route, "router": router}, dynamic=("route",)
    )


SETTINGS = [
    constant("app/settings.py", 3, "WS_PATH", "/ws"),
    constant("app/settings.py", 4, "API_PREFIX", "/api"),
    constant("app/settings.py", 5, "ENV_PATH", 'os.environ["P"]', literal=False),
    constant("app/settings.py", 6, "TWICE", "/a"),
    constant("app/settings.py", 9, "TWICE", "/b"),
]


@pytest.mark.parametrize(
    ("statement", "expression"),
    [
        ("from app.settings import WS_PATH", "WS_PATH"),
        ("from app.settings import WS_PATH as PATH", "PATH"),
        ("from ..settings import WS_PATH", "WS_PATH"),
        ("import app.settings as s", "s.WS_PATH"),
        ("from app import settings", "settings.WS_PATH"),
        ("import app.settings", "app.settings.WS_PATH"),
    ],
)
def test_a_route_from_a_constant_of_another_python_module_is_its_string(
    statement: str, expression: str
) -> None:
    found = routes(
        [
            *SETTINGS,
            imports("app/api/live.py", 1, statement),
            declared("app/api/live.py", 5, expression),
        ]
    )
    (captures,) = found[("app/api/live.py", 5)]
    assert captures["route"] == "/ws" and captures["declared_route"] == "/ws"
    assert captures["route_constant"] == f"{expression} (app/settings.py:3)"


def test_a_prefix_from_a_constant_of_another_module_joins_the_route() -> None:
    found = routes(
        [
            *SETTINGS,
            fact(
                "route-prefix",
                "app/api/live.py",
                3,
                {"router": "router", "prefix": "API_PREFIX"},
                dynamic=("prefix",),
            ),
            imports("app/api/live.py", 1, "from app.settings import API_PREFIX, WS_PATH"),
            declared("app/api/live.py", 5, "WS_PATH"),
        ]
    )
    assert [c["route"] for c in found[("app/api/live.py", 5)]] == ["/api/ws"]


@pytest.mark.parametrize(
    ("statement", "expression", "why"),
    [
        (
            "from app.settings import ENV_PATH",
            "ENV_PATH",
            'is `ENV_PATH` of app/settings.py, assigned `os.environ["P"]` at app/settings.py:5, '
            "which is not a string literal",
        ),
        (
            "from app.settings import TWICE",
            "TWICE",
            "is `TWICE` of app/settings.py, assigned more than once (app/settings.py:6, "
            "app/settings.py:9): which value holds is decided at run time",
        ),
        (
            "from app.settings import MISSING",
            "MISSING",
            "is imported from `app.settings` (app/settings.py), which assigns no `MISSING` at "
            "module level (a name it imports from elsewhere is not followed)",
        ),
        (
            "from vendor.paths import PUSH",
            "PUSH",
            "is imported from `vendor.paths`, where the scan saw no module-level assignment: a "
            "module outside the files scanned, or one without module-level strings",
        ),
        (
            "from app.settings import *",
            "WS_PATH",
            "is no name app/api/live.py imports by name: it may come from "
            "`from app.settings import *`, whose names are not followed",
        ),
        (
            "from app.settings import config",
            "config.path",
            "is an attribute of `config` of `app.settings` (app/settings.py), and attributes of "
            "objects are not read (only module-level strings are)",
        ),
    ],
)
def test_a_constant_that_cannot_be_read_leaves_the_route_unresolved_saying_why(
    statement: str, expression: str, why: str
) -> None:
    (finding,) = [
        f
        for f in link(
            [
                *SETTINGS,
                imports("app/api/live.py", 1, statement),
                declared("app/api/live.py", 5, expression),
            ]
        )
        if f.path == "app/api/live.py"
    ]
    assert "route" not in finding.captures and finding.unresolved == ("route",)
    assert finding.captures["declared_route"] == expression
    assert finding.captures["route_unresolved"] == (
        f"route `{expression}` at app/api/live.py:5 {why}"
    )


def test_a_module_named_by_two_files_is_ambiguous() -> None:
    (finding,) = [
        f
        for f in link(
            [
                constant("svc/a/settings.py", 1, "WS_PATH", "/a"),
                constant("svc/b/settings.py", 1, "WS_PATH", "/b"),
                imports("main.py", 1, "from settings import WS_PATH"),
                declared("main.py", 4, "WS_PATH", router="app"),
            ]
        )
        if f.path == "main.py"
    ]
    assert finding.captures["route_unresolved"] == (
        "route `WS_PATH` at main.py:4 is imported from `settings`, which names more than one "
        "file of the tree (svc/a/settings.py, svc/b/settings.py)"
    )


def ws_server(path: str, line: int, route: str) -> Finding:
    return fact("websocket-endpoint", path, line, {"route": route}, dynamic=("route",))


CONFIG_TS = [
    constant("rt/src/config.ts", 1, "MAP_PATH", "/map"),
    constant("rt/src/config.ts", 2, "ENV_PATH", "process.env.P ?? '/p'", literal=False),
]


@pytest.mark.parametrize(
    ("statement", "expression"),
    [
        ('import { MAP_PATH } from "./config"', "MAP_PATH"),
        ('import { MAP_PATH as PATH } from "./config.js"', "PATH"),
        ("import * as cfg from '../src/config'", "cfg.MAP_PATH"),
        ('import Server, { type Options, MAP_PATH } from "./config"', "MAP_PATH"),
    ],
)
def test_a_js_route_from_an_exported_constant_is_its_string(
    statement: str, expression: str
) -> None:
    found = routes(
        [
            *CONFIG_TS,
            js_import("rt/src/server.ts", 1, statement),
            ws_server("rt/src/server.ts", 4, expression),
        ]
    )
    (captures,) = found[("rt/src/server.ts", 4)]
    assert captures["route"] == "/map"
    assert captures["route_constant"] == f"{expression} (rt/src/config.ts:1)"


@pytest.mark.parametrize(
    ("statement", "expression", "why"),
    [
        (
            'import { ENV_PATH } from "./config"',
            "ENV_PATH",
            "is `ENV_PATH` of rt/src/config.ts, assigned `process.env.P ?? '/p'` at "
            "rt/src/config.ts:2, which is not a string literal",
        ),
        (
            'import { BOARD } from "./paths"',
            "BOARD",
            "is imported from `./paths`, where the scan saw no `export const BOARD` (re-exports "
            "are not followed)",
        ),
        (
            'import { PATH } from "@fleet/config"',
            "PATH",
            "is imported from the package `@fleet/config`, not a file of the tree",
        ),
        (
            'import PATH from "./config"',
            "PATH",
            "is imported from `./config`, where the scan saw no default export (re-exports are "
            "not followed)",
        ),
    ],
)
def test_a_js_constant_that_cannot_be_read_leaves_the_route_unresolved_saying_why(
    statement: str, expression: str, why: str
) -> None:
    (finding,) = [
        f
        for f in link(
            [
                *CONFIG_TS,
                js_import("rt/src/server.ts", 1, statement),
                ws_server("rt/src/server.ts", 4, expression),
            ]
        )
        if f.path == "rt/src/server.ts"
    ]
    assert (
        finding.captures["route_unresolved"] == f"route `{expression}` at rt/src/server.ts:4 {why}"
    )
    assert finding.unresolved == ("route",)


def test_a_python_socketio_client_path_from_a_constant_of_another_module() -> None:
    found = link(
        [
            *SETTINGS,
            constant("app/settings.py", 10, "SIO_PATH", "telemetry/socket.io"),
            imports("worker/feed.py", 1, "from app import settings"),
            py_client(
                {"url": "settings.URL", "socketio_path": "settings.SIO_PATH"},
                dynamic=("url", "socketio_path"),
            ),
            py_client(
                {"url": "u", "socketio_path": "settings.TWICE"},
                dynamic=("url", "socketio_path"),
                line=7,
            ),
        ]
    )
    clients = {f.line: f for f in found if f.fact == "websocket-client"}
    assert clients[3].captures["target"] == "/telemetry/socket.io"
    assert clients[3].dynamic == ("url",)  # `settings.URL` is assigned nowhere: as written
    assert clients[7].captures["target_unresolved"] == (
        "the engine.io path comes from `settings.TWICE` at worker/feed.py:7, which is `TWICE` of "
        "app/settings.py, assigned more than once (app/settings.py:6, app/settings.py:9): which "
        "value holds is decided at run time"
    )


def test_a_same_named_local_constant_is_left_to_semgrep() -> None:
    # a name not imported is the file's own: semgrep reads it (`value($X)`) or it is code
    (finding,) = [
        f
        for f in link([*SETTINGS, declared("app/api/live.py", 5, "WS_PATH")])
        if f.path == "app/api/live.py"
    ]
    assert finding.captures["route_unresolved"] == (
        "route `WS_PATH` at app/api/live.py:5 is computed at run time"
    )


def test_a_template_literal_in_a_reason_keeps_its_backticks_inside_one_code_span() -> None:
    written = "`${base}${path`"
    (found,) = link(
        [
            fact(
                "frontend-websocket-client",
                "web/ws.ts",
                2,
                {"target": written},
                dynamic=("target",),
            )
        ]
    )
    assert found.captures["target_unresolved"] == (
        "target `` `${base}${path` `` at web/ws.ts:2 is computed at run time"
    )


def test_a_package_middleware_mounted_under_a_path_is_no_router_left_unfollowed() -> None:
    """`app.use("/static", express.static("public"))` mounts a package's middleware: no
    websocket route can be below it, so it leaves no router unresolved; a router a function of
    the project builds (`app.use("/static", buildRouter())`) may be any router mounted nowhere
    else, so those are unresolved (the app that mounts it is not)."""

    def tree(mounted: str) -> list[Finding]:
        use = f"app.use('/static', {mounted})"
        return [
            js_import("src/app.js", 1, "const express = require('express')"),
            fact(
                "js-route-include",
                "src/app.js",
                4,
                {"parent": "app", "child": mounted, "prefix": "/static"},
                text=use,
            ),
            fact(
                "websocket-endpoint",
                "src/app.js",
                5,
                {"route": "/ws", "router": "app"},
                text="app.ws('/ws', (ws) => ws.send('hi'))",
            ),
            fact(
                "websocket-endpoint",
                "src/feed.js",
                3,
                {"route": "/quotes", "router": "feed"},
                text="feed.ws('/quotes', (ws) => ws.send('hi'))",
            ),
        ]

    static = routes(tree("express.static('public')"))
    assert static[("src/app.js", 5)][0]["route"] == "/ws"
    assert static[("src/feed.js", 3)][0]["route"] == "/quotes"
    built = routes(tree("buildRouter()"))
    # the app that mounts it is a parent, reached as it declares itself
    assert built[("src/app.js", 5)][0]["route"] == "/ws"
    # a router mounted nowhere the linking stage can see may be what `buildRouter()` returns
    (unknown,) = built[("src/feed.js", 3)]
    assert "route" not in unknown
    assert "`buildRouter()` at src/app.js:4" in unknown["route_unresolved"]


def test_js_chains_set_prefixes_where_they_are_written() -> None:
    """Two groups on one Elysia chain start where the chain starts: each group's routes get
    their own prefix (the function written in place is told apart by where it is written)."""
    chain = (
        "new Elysia({ prefix: '/api' }).group('/a', (a) => a.ws('/x', {}))"
        ".group('/b', (b) => b.ws('/y', {}))"
    )
    a_at = chain.index("(a) =>")
    b_at = chain.index("(b) =>")
    group_a = chain[: chain.index(".group('/b'")]
    findings = [
        fact(
            "js-route-include",
            "src/chat.ts",
            3,
            {
                "parent": "new Elysia({ prefix: '/api' })",
                "child": "(a) => a.ws('/x', {})",
                "prefix": "/a",
            },
            text=group_a,
            column=1,
            end=(3, len(group_a) + 1),
        ),
        fact(
            "js-route-include",
            "src/chat.ts",
            3,
            {
                "parent": "new Elysia({ prefix: '/api' })",
                "child": "(b) => b.ws('/y', {})",
                "prefix": "/b",
            },
            text=chain,
            column=1,
            end=(3, len(chain) + 1),
        ),
        fact(
            "websocket-endpoint",
            "src/chat.ts",
            3,
            {"route": "/x", "router": "a", "plugin": "a"},
            text="a.ws('/x', {})",
            column=a_at + 8,
            end=(3, a_at + 8 + len("a.ws('/x', {})")),
        ),
        fact(
            "websocket-endpoint",
            "src/chat.ts",
            3,
            {"route": "/y", "router": "b", "plugin": "b"},
            text="b.ws('/y', {})",
            column=b_at + 8,
            end=(3, b_at + 8 + len("b.ws('/y', {})")),
        ),
    ]
    linked = sorted(f.captures["route"] for f in link(findings) if "route" in f.captures)
    assert linked == ["/api/a/x", "/api/b/y"]


# -- framework settings, read from real code (semgrep runs) ----------------------------------------


def linked_endpoints(root: Path, files: dict[str, str]) -> dict[tuple[str, int], dict[str, str]]:
    """The endpoints linking makes of the files, by place; one reached two ways is a list
    of its routes under the key's `routes`."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    resolved = load_config(root)
    found = scan.run(resolved, targets.collect(root, resolved))
    out: dict[tuple[str, int], dict[str, str]] = {}
    for finding in link(found.head):
        if finding.fact == "websocket-endpoint":
            key = (finding.path, finding.line)
            if key in out:
                out[key] = {"routes": f"{out[key]['route']} {finding.captures['route']}"}
            else:
                out[key] = finding.captures
    return out


SANIC_PRECEDENCE = """from sanic import Blueprint, Sanic

own = Blueprint("own", url_prefix="/own", version=1)
keeps = Blueprint("keeps", url_prefix="/keeps")
inner_bp = Blueprint("inner_bp", url_prefix="/in")
bare = Blueprint("bare", url_prefix="/bare")
minor = Blueprint("minor", url_prefix="/minor", version=1.10)


@own.websocket("/ws")
async def own_ws(request, ws): ...


@keeps.websocket("/ws")
async def keeps_ws(request, ws): ...


@inner_bp.websocket("/ws")
async def inner_ws(request, ws): ...


@bare.websocket("/ws")
async def bare_ws(request, ws): ...


@minor.websocket("/ws")
async def minor_ws(request, ws): ...


grouped = Blueprint.group(own, keeps, url_prefix="/g", version=5, version_prefix="/api/v")
inner = Blueprint.group(inner_bp, version=8)
outer = Blueprint.group(inner, url_prefix="/o", version=9)
unprefixed = Blueprint.group(bare)
app = Sanic("app")
app.blueprint(own, version=7)
app.blueprint(grouped)
app.blueprint(outer)
app.blueprint(unprefixed, url_prefix="/reg")
app.blueprint(minor)
"""


def test_sanic_versions_apply_as_sanics_registration_applies_them(tmp_path: Path) -> None:
    """Sanic's own order (`Sanic.blueprint`, `Blueprint.register`): the registration's version
    over the blueprint's, a group's version only where the blueprint sets none, a group's
    version_prefix where the blueprint keeps `/v`; a group without url_prefix hands the
    registration's url_prefix to the blueprint, which loses its own; the version as Python
    prints it (`1.10` is `1.1`)."""
    found = linked_endpoints(tmp_path, {"app.py": SANIC_PRECEDENCE})
    assert {line: c.get("route", c.get("routes")) for (_, line), c in found.items()} == {
        # reached two ways: registered with its own version, and in a group
        10: "/api/v1/g/own/ws /v7/own/ws",
        14: "/api/v5/g/keeps/ws",
        # the outer group's url_prefix passes through the inner group, which sets none, and
        # replaces the blueprint's own
        18: "/v8/o/ws",
        22: "/reg/ws",
        26: "/v1.1/minor/ws",
    }


def test_a_sanic_version_the_code_computes_leaves_the_route_unresolved(tmp_path: Path) -> None:
    found = linked_endpoints(
        tmp_path,
        {
            "app.py": """from sanic import Blueprint, Sanic

from settings import API_VERSION, OPTIONS

feeds = Blueprint("feeds", url_prefix="/feeds")
extra = Blueprint("extra", url_prefix="/extra")
app = Sanic("app")


@feeds.websocket("/ws", version=API_VERSION)
async def feed(request, ws): ...


@extra.websocket("/ws", version_prefix=OPTIONS["prefix"])
async def extra_ws(request, ws): ...


@app.websocket("/live", version=2)
async def live(request, ws): ...


app.blueprint(feeds)
app.blueprint(extra, **OPTIONS)
""",
            "settings.py": 'import os\n\nAPI_VERSION = os.environ["V"]\nOPTIONS = {}\n',
        },
    )
    feed = found[("app.py", 10)]
    assert "route" not in feed and feed["declared_route"] == "/ws"
    assert feed["route_unresolved"] == (
        "Sanic version `API_VERSION` at app.py:10 is computed at run time, and it is part of "
        "the route"
    )
    # `**OPTIONS` may set a version: not known; a version_prefix with no version is no part
    extra = found[("app.py", 14)]
    assert "route" not in extra
    assert "`**OPTIONS` at app.py:23" in extra["route_unresolved"]
    assert found[("app.py", 18)]["route"] == "/v2/live"


def test_falcon_suffixed_routes_map_suffixed_responders(tmp_path: Path) -> None:
    found = linked_endpoints(
        tmp_path,
        {
            "ops.py": """import falcon.asgi


class Stream:
    async def on_websocket(self, req, ws): ...

    async def on_websocket_admin(self, req, ws): ...

    async def on_get_export(self, req, resp): ...


app = falcon.asgi.App()
stream = Stream()
app.add_route("/s", stream)
app.add_route("/s/admin", stream, suffix="admin")
app.add_route("/s/export", stream, suffix="export")
app.add_route("/s/any", stream, suffix=SUFFIX)
app.add_route("/s/opts", stream, **OPTIONS)
""",
        },
    )
    assert found[("ops.py", 14)]["route"] == "/s"
    assert found[("ops.py", 15)]["route"] == "/s/admin"
    assert found[("ops.py", 15)]["responder"] == "on_websocket_admin"
    assert ("ops.py", 16) not in found  # `on_get_export`: no websocket responder there
    for line, said in ((17, "`SUFFIX`"), (18, "`**OPTIONS`")):
        computed = found[("ops.py", line)]
        assert "route" not in computed, computed
        assert (
            f"Falcon route suffix {said} at ops.py:{line} is computed"
            in (computed["route_unresolved"])
        )


def test_litestar_routers_and_controllers_join_their_paths(tmp_path: Path) -> None:
    found = linked_endpoints(
        tmp_path,
        {
            "app.py": """from litestar import Controller, Litestar, Router, WebSocket, websocket

from handlers import HANDLERS


@websocket("/feed")
async def feed(socket: WebSocket) -> None: ...


@websocket("/top")
async def top(socket: WebSocket) -> None: ...


class Rooms(Controller):
    path = "/rooms"

    @websocket("/ws")
    async def rooms(self, socket: WebSocket) -> None: ...


v1 = Router(path="/v1", route_handlers=[feed, Rooms])
api = Router(path="/api", route_handlers=[v1])
app = Litestar(route_handlers=[api, top])
""",
        },
    )
    assert found[("app.py", 6)]["route"] == "/api/v1/feed"
    assert found[("app.py", 10)]["route"] == "/top"
    assert found[("app.py", 17)]["route"] == "/api/v1/rooms/ws"
    held = linked_endpoints(
        tmp_path / "held",
        {
            "app.py": """from litestar import Controller, Litestar, Router, WebSocket, websocket

from handlers import HANDLERS


@websocket("/feed")
async def feed(socket: WebSocket) -> None: ...


class Rooms(Controller):
    path = "/rooms"

    @websocket("/ws")
    async def rooms(self, socket: WebSocket) -> None: ...


api = Router(path="/api", route_handlers=HANDLERS)
""",
        },
    )
    for line in (6, 13):
        assert "route" not in held[("app.py", line)]
        assert "`HANDLERS` at app.py:17" in held[("app.py", line)]["route_unresolved"]


def test_one_construct_matched_twice_alike_is_one_fact(tmp_path: Path) -> None:
    """A `WebSocketRoute` inside two `Mount`s written in place is inside each of them: semgrep
    reports it once per mount, and it is one endpoint."""
    found = linked_endpoints(
        tmp_path,
        {
            "app.py": """from starlette.applications import Starlette
from starlette.routing import Mount, WebSocketRoute


async def feed(websocket): ...


app = Starlette(routes=[Mount("/a", routes=[Mount("/b", routes=[WebSocketRoute("/ws", feed)])])])
""",
        },
    )
    assert found == {("app.py", 8): {"declared_route": "/ws", "route": "/a/b/ws"}}


def test_routes_added_by_call_on_a_prefixed_router_get_its_prefix(tmp_path: Path) -> None:
    """`add_websocket_route` on an `APIRouter(prefix=)` or a Sanic `Blueprint(url_prefix=,
    version=)` is below the router's prefix (before, the router's prefix was not reported for
    routes added by call, and the route read as declared); so is Sanic's `route(...,
    websocket=True)`, and blueprints registered as a list take the registration's settings."""
    found = linked_endpoints(
        tmp_path,
        {
            "app.py": """from fastapi import APIRouter, FastAPI
from sanic import Blueprint, Sanic

router = APIRouter(prefix="/api")


async def h(websocket): ...


router.add_websocket_route("/ws", h)
fapp = FastAPI()
fapp.include_router(router)
bp = Blueprint("bp", url_prefix="/bp", version=1)
listed = Blueprint("listed", url_prefix="/listed")


async def feed(request, ws): ...


bp.add_websocket_route(feed, "/feed")


@listed.route("/raw", websocket=True)
async def raw(request, ws): ...


app = Sanic("x")
app.blueprint(bp)
app.blueprint([listed], url_prefix="/l", version=3)
""",
        },
    )
    assert found[("app.py", 10)]["route"] == "/api/ws"
    assert found[("app.py", 20)]["route"] == "/v1/bp/feed"
    assert found[("app.py", 23)]["route"] == "/v3/l/raw"


# -- frontend targets held in constants of another module -----------------------------------

WEB_CONFIG = [
    constant("web/src/config.ts", 1, "WS_PATH", "/ws"),
    constant("web/src/config.ts", 2, "GATEWAY_URL", "wss://desk.example/ws"),
    constant("web/src/config.ts", 3, "QUOTES_URL", "import.meta.env.VITE_QUOTES", literal=False),
    constant("web/src/config.ts", 4, "SOCKET_BASE", "BASE + '/x'", literal=False),
    constant("web/src/endpoints.ts", 3, "default", "wss://desk.example/blotter"),
]


def web_client(target: str, statement: str, *, text: str = "") -> Finding:
    return fact(
        "frontend-websocket-client",
        "web/src/feed.ts",
        5,
        {"target": target},
        dynamic=("target",),
        text=text or f"new WebSocket({target})",
        rule_id="js-websocket-client",
    )


def linked_client(target: str, statement: str) -> Finding:
    (found,) = [
        f
        for f in link(
            [*WEB_CONFIG, js_import("web/src/feed.ts", 1, statement), web_client(target, statement)]
        )
        if f.path == "web/src/feed.ts"
    ]
    return found


@pytest.mark.parametrize(
    ("statement", "written", "target", "place"),
    [
        ('import { GATEWAY_URL } from "./config"', "GATEWAY_URL", "wss://desk.example/ws", 2),
        ("import { GATEWAY_URL as URL } from './config.js'", "URL", "wss://desk.example/ws", 2),
        ('import * as cfg from "./config"', "cfg.GATEWAY_URL", "wss://desk.example/ws", 2),
        ('import blotter from "./endpoints"', "blotter", "wss://desk.example/blotter", 3),
    ],
)
def test_a_frontend_target_held_in_another_modules_constant_is_its_string(
    statement: str, written: str, target: str, place: int
) -> None:
    found = linked_client(written, statement)
    assert found.captures["target"] == target
    assert found.captures["declared_target"] == written
    source = "web/src/endpoints.ts" if "endpoints" in statement else "web/src/config.ts"
    assert found.captures["target_constant"] == f"{written} ({source}:{place})"
    assert "target" not in found.dynamic and not found.unresolved


def test_a_template_literal_built_from_an_imported_constant_is_judged_by_its_path() -> None:
    found = linked_client("`${origin}${WS_PATH`", 'import { WS_PATH } from "./config"')
    assert found.captures["target"] == "`${origin}/ws`"
    assert found.captures["declared_target"] == "`${origin}${WS_PATH`"
    assert found.captures["target_constant"] == "WS_PATH (web/src/config.ts:1)"
    assert not found.unresolved


def test_an_imported_constant_from_configuration_is_known_only_at_run_time() -> None:
    found = linked_client("QUOTES_URL", 'import { QUOTES_URL } from "./config"')
    assert "target" not in found.captures and not found.unresolved
    assert found.captures["target_runtime"] == (
        "target `QUOTES_URL` is `QUOTES_URL` of web/src/config.ts, assigned "
        "`import.meta.env.VITE_QUOTES` at web/src/config.ts:3: a value only the running code knows"
    )


@pytest.mark.parametrize(
    ("statement", "written", "why"),
    [
        (
            'import { SHARED_URL } from "./shared"',
            "SHARED_URL",
            "is imported from `./shared`, where the scan saw no `export const SHARED_URL` "
            "(re-exports are not followed)",
        ),
        (
            'import { WS_URL } from "@desk/config"',
            "WS_URL",
            "is imported from the package `@desk/config`, not a file of the tree",
        ),
        (
            'import { SOCKET_BASE } from "./config"',
            "SOCKET_BASE",
            "is `SOCKET_BASE` of web/src/config.ts, assigned `BASE + '/x'` at "
            "web/src/config.ts:4, which is not a string literal",
        ),
    ],
)
def test_an_imported_target_that_cannot_be_read_is_undecided_naming_the_case(
    statement: str, written: str, why: str
) -> None:
    found = linked_client(written, statement)
    assert "target" not in found.captures
    assert found.unresolved == ("target",)
    assert found.captures["declared_target"] == written
    assert found.captures["target_unresolved"] == f"target `{written}` at web/src/feed.ts:5 {why}"


def test_a_template_holding_an_unreadable_import_is_undecided_naming_it() -> None:
    found = linked_client("`${SHARED_URL}?topic=news`", 'import { SHARED_URL } from "./shared"')
    assert found.unresolved == ("target",)
    assert found.captures["target_unresolved"] == (
        "target `` `${SHARED_URL}?topic=news` `` at web/src/feed.ts:5 holds `SHARED_URL`, which is "
        "imported from `./shared`, where the scan saw no `export const SHARED_URL` (re-exports "
        "are not followed)"
    )


def test_a_socketio_path_held_in_an_imported_constant_is_the_engine_io_path() -> None:
    sio = fact(
        "frontend-websocket-client",
        "web/src/feed.ts",
        5,
        {"target": "WS_PATH", "url": "GATEWAY_URL"},
        dynamic=("target", "url"),
        text="io(GATEWAY_URL, { path: WS_PATH })",
        rule_id="js-socketio-client",
    )
    statement = 'import { GATEWAY_URL, WS_PATH } from "./config"'
    (found,) = [
        f
        for f in link([*WEB_CONFIG, js_import("web/src/feed.ts", 1, statement), sio])
        if f.path == "web/src/feed.ts"
    ]
    assert found.captures["target"] == "/ws"
    assert found.captures["url"] == "wss://desk.example/ws"
    assert found.captures["namespace"] == "/ws"
    assert found.captures["url_constant"] == "GATEWAY_URL (web/src/config.ts:2)"


def test_a_changed_constant_changes_the_frontend_clients_fingerprint() -> None:
    from pattern_verify.compare import fingerprints

    before = linked_client("GATEWAY_URL", 'import { GATEWAY_URL } from "./config"')
    moved = [
        constant("web/src/config.ts", 2, "GATEWAY_URL", "wss://desk.example/other"),
        js_import("web/src/feed.ts", 1, 'import { GATEWAY_URL } from "./config"'),
        web_client("GATEWAY_URL", ""),
    ]
    (after,) = [f for f in link(moved) if f.path == "web/src/feed.ts"]
    assert after.captures["target"] == "wss://desk.example/other"
    assert fingerprints([before]) != fingerprints([after])


# -- Python clients judged against the endpoint ---------------------------------------------


def plain_client(target: str | None, *, dynamic: bool = True) -> Finding:
    captures = {} if target is None else {"target": target}
    return fact(
        "websocket-client",
        "svc/feed.py",
        7,
        captures,
        dynamic=("target",) if dynamic and target is not None else (),
        rule_id="websocket-client-websockets",
    )


def test_a_python_clients_target_it_cannot_read_is_undecided() -> None:
    (found,) = link([plain_client("url")])
    assert "target" not in found.captures and found.unresolved == ("target",)
    assert found.captures["declared_target"] == "url"
    assert found.captures["target_unresolved"].startswith(
        "target `url` at svc/feed.py:7 is not known statically"
    )
    (bare,) = link([plain_client(None)])
    assert bare.unresolved == ("target",)
    assert "names no target" in bare.captures["target_unresolved"]


def test_a_python_clients_literal_and_f_string_targets_are_read() -> None:
    (literal,) = link([plain_client("ws://gw/other", dynamic=False)])
    assert literal.captures["target"] == "ws://gw/other" and not literal.unresolved
    (fstring,) = link([plain_client('f"ws://{host}:8000/ws"')])
    assert fstring.captures["target"] == "ws://{host}:8000/ws" and not fstring.unresolved
    (hidden,) = link([plain_client('f"{base}{path}"')])
    assert hidden.unresolved == ("target",)


def test_a_python_clients_target_from_a_constant_it_cannot_read_says_why() -> None:
    found = [
        f
        for f in link(
            [
                constant("svc/settings.py", 2, "URL", 'os.environ["URL"]', literal=False),
                fact("python-import", "svc/feed.py", 1, text="from svc.settings import URL"),
                plain_client("URL"),
            ]
        )
        if f.fact == "websocket-client"
    ]
    assert found[0].captures["target_unresolved"] == (
        "target `URL` at svc/feed.py:7 is `URL` of svc/settings.py, assigned "
        '`os.environ["URL"]` at svc/settings.py:2, which is not a string literal'
    )


def test_a_frontend_target_from_a_package_is_undecided_when_the_tree_exports_no_constant() -> None:
    statement = 'import { WS_URL } from "@desk/config"'
    (found,) = link([js_import("web/src/feed.ts", 1, statement), web_client("WS_URL", statement)])
    assert found.unresolved == ("target",)
    assert found.captures["target_unresolved"] == (
        "target `WS_URL` at web/src/feed.ts:5 is imported from the package `@desk/config`, not a "
        "file of the tree"
    )

"""Stage 3½, link (pure): the routing pieces the rules found, joined across files into the route
a client connects to.

semgrep sees one file at a time; routes are not. A FastAPI endpoint declared as `/ws` on a
router that `main.py` includes with `prefix="/api"` is reached at `/api/ws`. The rules report
the pieces (facts in `PIECES`), each where it is written:

- `route-prefix`: a router object and its own prefix (`APIRouter(prefix=)`,
  `Blueprint(url_prefix=)`); a router object is only reachable once something includes it.
- `route-include`: a router, app, route list or module included into a parent under a prefix
  (`include_router`, `mount`, `register_blueprint`, Starlette `Mount`/`Router(routes=)`, Django
  `include(...)`/`URLRouter(...)`); without a named parent, the parent is the route list or
  function the inclusion is written in.
- `route-scope`: a span of source whose routes belong together: a named route list, a function
  returning one, an app built with `routes=[...]`, or an unnamed group under a prefix
  (`Mount("/rt", routes=[...])`, `path("ws/", URLRouter([...]))`).
- `python-import`: an import statement of a file that routes; its text is parsed here, so that
  `include_router(ws.router)` finds the file `ws` names.

Endpoint facts carry their declared route and, when registered on a named router or app, that
name (`router`); the others belong to the scopes that contain them. This stage replaces each
endpoint's `route` with the full route (the declared one kept as `declared_route`), or, where
a prefix cannot be known statically, drops `route`, says why in `route_unresolved` and marks
`route` unresolved (requirements that judge it cannot decide, and fail saying so). So does an
endpoint whose declared route is itself computed at run time (`@router.websocket(WS_PATH)` with
`WS_PATH` read from the environment, `path(f"{prefix}ws/", ...)`, `new WebSocketServer({ path:
cfg.path })`): the expression's text is kept as `declared_route`, never taken for a path. So
does a
router included nowhere when some inclusion could not be followed (`include_router(x[0])`);
one included nowhere else is reached as it declares itself (an app of its own, or dead code). An
endpoint reached by two ways in is two endpoints. The pieces themselves are consumed here.

Framework settings that move a route besides prefixes are read from the text of the pieces that
say them: Sanic's `version`/`version_prefix` (route, registration, blueprint, group, in Sanic's
own order of precedence) go before every prefix (`/v1/gw/ws`); Falcon's `add_route(...,
suffix="x")` routes the `on_websocket_x` responder. A setting the code computes leaves the route
unresolved, saying so. Constructs that move routes in ways not followed (`route-unfollowed`:
aiohttp `add_subapp`, Sanic `bp.copy`) make the routes they may move unresolved.

Constants (`module-constant`, `js-import` pieces): a route, prefix, path, URL or target written
as a constant of another module of the tree (`from app.settings import WS_PATH`, `import
app.settings as s` + `s.WS_PATH`, `import { WS_PATH } from "./config"`) is read first, before
the routes are joined: it becomes the string that module assigns it, when it assigns it once,
at module level, a string literal (`<capture>_constant` says where it was read); otherwise it
stays as written and, for a route, a prefix, a path or a client's target, the reason says which
case it is (assigned twice, not a string literal, a star import, a package, a re-export, an
object's attribute). A frontend client's target is read so too, and so are the constants a
template literal target interpolates; one that cannot be read is undecided, or known only at
run time when its module reads it from configuration. A Python client's target that is not
read is undecided (`python_client`). This happens here, after the facts store: a file's facts
depend on that file alone.

Socket.IO: a server is one endpoint, reached over its one engine.io path (`/socket.io` unless
set); its namespaces are logical channels over that connection (`socketio-namespace` facts), not
endpoints. A python-socketio `Server` wrapped by an `ASGIApp`/`WSGIApp` of the tree is served by
that app, so the app is the endpoint (below whatever mounts it) and the server is not: it becomes
a `websocket-server-served` fact naming the endpoint that counts it (`served_by`, its
`served_route`, `served_through`). So is a Tornado URL spec routing `get_tornado_handler(sio)`,
and an `attach(app, socketio_path="ws")` (aiohttp, Sanic): the `socketio-attach` piece becomes
the endpoint, below the app's mount where one is known (an `attach` on anything but a server of
the tree is not socket.io, and is dropped). Routes are engine.io paths: without trailing
slashes or `$`. A server nothing serves has its route unresolved (what serves it sets the
path). A socket.io client (`io("https://host/chat", { path: "/rt" })`) connects over the
engine.io path (`target`: its `path` option, `/socket.io` by default) and joins the namespace
the URL's path names (`namespace`, `/` when none); options it cannot read leave `target`
unresolved. A python-socketio client's `connect(url, socketio_path=, namespaces=)` drops the
URL's path: `target` is `/` + its `socketio_path` (`/socket.io` by default), `namespace` the
namespaces it lists; `**options`, or a client connected outside the scope that creates it,
leave `target` unresolved.

NestJS (`nest-adapter`, `nest-provider`, `nest-import`, `nest-root`, `class-extends` pieces): a
gateway's route follows from the app's websocket adapter — socket.io (Nest's default,
`IoAdapter` or a class extending it): the `path` option, else `/socket.io`, with `namespace` a
channel over it, and gateways on one port and path sharing one server (the first, by place, is
the endpoint; the others are its namespaces); `ws` (`WsAdapter`): the `path` option, else `/`,
and gateways on one port and path are one endpoint too (WsAdapter hands each connection to one
of them; the first by place is counted, the others are `websocket-gateway-shadowed`). An
adapter that cannot be followed, or two apps of the tree with different ones, leave the route
unresolved. A gateway class that no `@Module` of the tree provides (nor a subclass of it), or
only modules that no app's root module (`NestFactory.create(AppModule)`) reaches through
`imports` (module classes, dynamic modules of their static methods, `forwardRef`), is not
served: it becomes a `websocket-gateway-unregistered` fact. When the tree shows no module, a
`providers` entry that cannot be read, a root that is not a module of the tree or an `imports`
entry on the way that cannot be followed, it stays an endpoint and says registration was not
seen; a tree with no app (a library) counts every provided gateway. Module classes are matched
by name.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from pattern_verify.imports import VALUES
from pattern_verify.jschain import Argument, Chain, Link, literal, option, parse
from pattern_verify.models import Finding, FindingKey

PIECES = frozenset(
    {
        "route-prefix",
        "route-include",
        "route-scope",
        "python-import",
        "nest-adapter",
        "nest-provider",
        "nest-import",
        "nest-root",
        "class-extends",
        "socketio-attach",
        "module-constant",
        "js-import",
        "falcon-resource",
        "falcon-route",
        "js-route-include",
        "js-route-base",
        "js-plugin-wrap",
        "js-socketio-path",
        "route-unfollowed",
    }
)
ENDPOINT = "websocket-endpoint"
# python-socketio `sio.attach(app, socketio_path=...)`: the app serves the server at that path
ATTACH = "socketio-attach"
FRONTEND_CLIENT = "frontend-websocket-client"
CLIENT = "websocket-client"
# a python-socketio client's `connect(...)`, and a client whose `connect(...)` is not in the
# scope that creates it (by rule, as a blueprint's registration is)
_CONNECTED_CLIENT = "websocket-client-socketio"
_UNCONNECTED_CLIENT = "websocket-client-socketio-unconnected"
_PYTHON_SOCKETIO_CLIENTS = (_CONNECTED_CLIENT, _UNCONNECTED_CLIENT)
# Falcon: `app.add_route(path, resource)` is a websocket endpoint when the resource's class (of
# the tree, by name across files) has an `on_websocket` responder
FALCON_ROUTE = "falcon-route"
FALCON_RESOURCE = "falcon-resource"
_FALCON_RESPONDER = "on_websocket"
# a scheme (`https://`) or a protocol-relative `//` before a URL's host
_SCHEME = re.compile(r"^(?:[A-Za-z][\w+.-]*:)?//")
_PATH_KEY = re.compile(r"\bpath\s*:")
_SPREAD = "..."
_COMPUTED_KEY = re.compile(r"\]\s*:")
# a name or a property path (`url`, `props.url`, `import.meta.env.VITE_WS_URL`, `cfg?.ws.url!`)
_REFERENCE = re.compile(r"[A-Za-z_$][\w$]*(?:\s*\??\.\s*[A-Za-z_$][\w$]*)*!?")
# socket.io `Manager` rules: a Manager's URL names no namespace (engine.io takes its host)
_MANAGER_RULES = frozenset({"js-socketio-manager"})
# a socket.io namespace: a logical channel over a server's one connection path
NAMESPACE = "socketio-namespace"
# a NestJS gateway class no module the app loads provides: Nest never serves it
UNREGISTERED = "websocket-gateway-unregistered"
# a NestJS `ws` gateway on the port and path of another: Nest's WsAdapter hands every connection
# there to one of them, so they are one endpoint
SHADOWED = "websocket-gateway-shadowed"
# a python-socketio server an app, `attach` or Tornado handler of the tree serves: that endpoint
# is counted, the server is seen and never counted again
SERVED = "websocket-server-served"
# the adapters Nest ships, by the platform whose path semantics they give gateways
_NEST_ADAPTERS = {"WsAdapter": "ws", "IoAdapter": "socket.io"}
_NEST_DEFAULT_ROUTE = {"ws": "/", "socket.io": "/socket.io"}
_USE_CLASS = re.compile(r"\buseClass\s*:\s*([A-Za-z_$][\w$]*)")
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")
# a module-graph entry naming a module class: `forwardRef(() => X)`, or a dynamic module from
# one of its static methods (`X.forRoot(...)`, `X.register(...)`)
_FORWARD_REF = re.compile(r"forwardRef\s*\(\s*\(\s*\)\s*=>\s*(.+?)\s*\)", re.S)
_STATIC_CALL = re.compile(
    r"([A-Za-z_$][\w$]*)\s*\.\s*[A-Za-z_$][\w$]*\s*(?:<[^()]*>\s*)?\(.*\)", re.S
)
# `@WebSocketGateway(81, {...})`: a gateway on a port of its own has a server of its own
_GATEWAY_PORT = re.compile(r"WebSocketGateway\s*\(\s*([^\s{,)][^,)]*)")
# A Django module included whole (`include("chat.urls")`) serves its `urlpatterns`.
MODULE_ROUTES = "urlpatterns"
_TORNADO_HANDLER = re.compile(r"[\w.]*get_tornado_handler")
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")

Node = tuple[str, str]  # (path, name defined at that file's top level)
# Sanic's version settings on the way to a route, outermost first: (kind, the piece saying it)
Layer = tuple[str, Finding]
# prefixes from the top, or why they are not known; and the Sanic version settings on the way
Way = tuple[list[str], str | None, tuple[Layer, ...]]
Span = tuple[int, int, int, int]
# a route piece that moves routes in a way linking does not follow (`add_subapp`, `bp.copy`)
UNFOLLOWED = "route-unfollowed"
# Sanic: the rules whose pieces carry version settings, by what they are to Sanic
_SANIC_LAYERS = {
    "route-include-sanic-blueprint": "registration",
    "route-include-sanic-blueprint-list": "registration",
    "route-include-sanic-group": "group",
    "route-include-sanic-group-inline": "group",
}
_SANIC_DEFAULT_PREFIX = "/v"
_VERSION_KEYWORD = re.compile(r"\bversion(?:_prefix)?\s*=")
# a Litestar `Router(route_handlers=handlers)` whose handlers are held in a name
_LITESTAR_HANDLERS = "route-include-litestar-handlers"
_LITESTAR = "websocket-endpoint-litestar"
_AIOHTTP = "websocket-endpoint-aiohttp"


def _span(finding: Finding) -> Span:
    return (finding.line, finding.column, finding.end_line, finding.end_column)


def _contains(outer: Span, inner: Span) -> bool:
    return outer != inner and outer[:2] <= inner[:2] and inner[2:] <= outer[2:]


def _where(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}"


def module_of(path: str) -> str:
    """The dotted module name a Python file defines, as if its directory were on sys.path."""
    stem = path.rsplit(".", 1)[0] if path.endswith((".py", ".pyi")) else path
    parts = stem.split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def join_route(pieces: Sequence[str]) -> str:
    """The route a client requests: the pieces joined with one `/` between them, regex anchors
    of inner pieces (Django's `^ws/`) dropped, always starting with `/`."""
    kept = [p for p in pieces if p not in ("", "/", "^")]
    out = ""
    for index, piece in enumerate(kept):
        piece = piece.removeprefix("^")
        if index < len(kept) - 1:
            piece = piece.removesuffix("$")
        if out.endswith("/") and piece.startswith("/"):
            piece = piece[1:]
        elif out and not out.endswith("/") and not piece.startswith("/"):
            piece = "/" + piece
        out += piece
    if not out.startswith("/"):
        out = "/" + out
    return out


@dataclass
class _Include:
    finding: Finding
    parent: Node
    pieces: list[str]  # containing groups' prefixes, then the inclusion's own
    unresolved: str | None  # why a prefix on the way is not known
    replaces_own: bool  # a blueprint registered with url_prefix: it replaces the blueprint's own


@dataclass
class _Graph:
    imports: dict[str, dict[str, tuple[str, str | None]]] = field(default_factory=dict)
    modules: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    defined: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    scopes: dict[str, list[Finding]] = field(default_factory=lambda: defaultdict(list))
    routers: dict[Node, Finding] = field(default_factory=dict)
    incoming: dict[Node, list[_Include]] = field(default_factory=lambda: defaultdict(list))
    unfollowed: list[str] = field(default_factory=list)
    # Litestar routers whose `route_handlers` is not a list written in place
    unfollowed_handlers: list[str] = field(default_factory=list)


def _parse_imports(findings: Iterable[Finding]) -> dict[str, dict[str, tuple[str, str | None]]]:
    """Per file: local name → (module, imported name or None for a module itself)."""
    out: dict[str, dict[str, tuple[str, str | None]]] = defaultdict(dict)
    for finding in findings:
        try:
            tree = ast.parse(finding.text.strip())
        except SyntaxError:
            continue
        package = module_of(finding.path).split(".")
        if not finding.path.endswith("__init__.py"):
            package = package[:-1]
        for statement in tree.body:
            if isinstance(statement, ast.Import):
                for alias in statement.names:
                    if alias.asname:
                        out[finding.path][alias.asname] = (alias.name, None)
                    else:  # `import a.b` binds `a`; `a.b.x` is then written out in full
                        head = alias.name.split(".")[0]
                        out[finding.path][head] = (head, None)
            elif isinstance(statement, ast.ImportFrom):
                base = statement.module.split(".") if statement.module else []
                if statement.level:
                    up = package[: len(package) - (statement.level - 1)] if package else []
                    base = [*up, *base]
                for alias in statement.names:
                    out[finding.path][alias.asname or alias.name] = (".".join(base), alias.name)
    return out


def _module_named(entry: str) -> str | None:
    """The module class a module-graph entry names (`ChatModule`, `ChatModule.forRoot(...)`,
    `forwardRef(() => ChatModule)`), or None when it is another expression."""
    text = entry.strip()
    ref = _FORWARD_REF.fullmatch(text)
    if ref is not None:
        text = ref.group(1)
    if _IDENTIFIER.fullmatch(text):
        return text
    call = _STATIC_CALL.fullmatch(text)
    return call.group(1) if call is not None else None


class _Nest:
    """What decides a NestJS gateway's route and whether it is served."""

    def __init__(self, pieces: Sequence[Finding]) -> None:
        self.bases: dict[str, set[str]] = defaultdict(set)
        self.adapters: list[Finding] = []
        self.providers: dict[str, set[str]] = defaultdict(set)  # class → modules
        self.unreadable: list[str] = []
        self.modules_seen = False
        # the module graph: where each module class is declared, what it imports, the roots
        self.declared: dict[str, str] = {}  # module → the file of its `@Module`
        self.imports: dict[str, list[Finding]] = defaultdict(list)
        roots: list[Finding] = []
        for finding in sorted(pieces, key=lambda f: f.sort_key):
            captures = finding.captures
            if finding.fact in ("nest-provider", "nest-import") and "module" in captures:
                self.declared.setdefault(captures["module"], finding.path)
            if finding.fact == "nest-import" and "module" in captures:
                self.imports[captures["module"]].append(finding)
            elif finding.fact == "nest-root":
                roots.append(finding)
            elif finding.fact == "nest-provider" and "list" in captures:
                self.modules_seen = True
                self.unreadable.append(f"`providers: {captures['list']}` at {_where(finding)}")
            if finding.fact == "class-extends" and "class" in captures and "base" in captures:
                self.bases[captures["class"]].add(captures["base"])
            elif finding.fact == "nest-adapter":
                self.adapters.append(finding)
            elif finding.fact == "nest-provider" and "provider" in captures:
                self.modules_seen = True
                provider = captures["provider"].strip()
                use_class = _USE_CLASS.search(provider)
                if _IDENTIFIER.fullmatch(provider):
                    self.providers[provider].add(captures.get("module", "?"))
                elif use_class:
                    self.providers[use_class.group(1)].add(captures.get("module", "?"))
                elif not provider.startswith("{"):  # `{ provide: X, useValue: ... }` is no class
                    self.unreadable.append(f"`{provider}` at {_where(finding)}")
        self.platform, self.platform_unknown = self._platform()
        self.roots = [
            f"`{r.captures['root']}` at {_where(r)}" for r in roots if "root" in r.captures
        ]
        self.reached, self.unfollowed = self._reach(roots)

    def _reach(self, roots: Sequence[Finding]) -> tuple[set[str] | None, list[str]]:
        """The module classes the apps load (those their root modules reach through `imports`),
        and the entries on the way that could not be followed; None without an app in sight (a
        library: which app imports its modules is not in the tree)."""
        if not roots:
            return None, []
        reached: set[str] = set()
        unfollowed: list[str] = []
        todo: list[str] = []
        for root in roots:
            text = root.captures.get("root", "?")
            name = _module_named(text)
            if name is None or name not in self.declared:
                unfollowed.append(
                    f"the root module `{text}` ({_where(root)}), which is not a `@Module` of the "
                    "files scanned with providers or imports"
                )
            else:
                todo.append(name)
        while todo:
            module = todo.pop()
            if module in reached:
                continue
            reached.add(module)
            for entry in self.imports.get(module, []):
                if "list" in entry.captures:
                    unfollowed.append(f"`imports: {entry.captures['list']}` ({_where(entry)})")
                    continue
                text = entry.captures.get("import", "?")
                name = _module_named(text)
                if name is not None and name in self.declared:
                    todo.append(name)
                elif name is None or not name.endswith("Module"):
                    # neither a module of the tree nor, by Nest's naming, a package's module
                    unfollowed.append(f"`{text}` ({_where(entry)})")
        return reached, unfollowed

    def _platform_of(self, name: str, seen: frozenset[str] = frozenset()) -> str | None:
        if name in _NEST_ADAPTERS:
            return _NEST_ADAPTERS[name]
        found = {
            self._platform_of(base, seen | {name})
            for base in self.bases.get(name, set())
            if base not in seen
        }
        found.discard(None)
        return found.pop() if len(found) == 1 else None

    def _platform(self) -> tuple[str, str | None]:
        if not self.adapters:
            return "socket.io", None  # Nest's default adapter
        platforms: dict[str, list[str]] = defaultdict(list)
        for adapter in self.adapters:
            name = adapter.captures.get("adapter", "?")
            platform = self._platform_of(name)
            if platform is None:
                return "", (
                    f"the websocket adapter `{name}` ({_where(adapter)}) is neither WsAdapter nor "
                    "IoAdapter nor a class of the files scanned extending one"
                )
            platforms[platform].append(f"`{name}` at {_where(adapter)}")
        if len(platforms) > 1:
            used = "; ".join(", ".join(v) for _, v in sorted(platforms.items()))
            return "", (
                f"the files scanned set different websocket adapters ({used}); which app serves "
                "this gateway is not followed"
            )
        return next(iter(platforms)), None

    def modules(self, cls: str, seen: frozenset[str] = frozenset()) -> set[str]:
        """The modules that provide `cls`, or a subclass of it (which Nest serves with the
        base's decorator options)."""
        out = set(self.providers.get(cls, set()))
        for sub, bases in self.bases.items():
            if cls in bases and sub not in seen:
                out |= self.modules(sub, seen | {cls})
        return out

    def _unserved(self, modules: set[str]) -> str | None:
        """The modules providing a gateway, named with their place, when an app is in sight
        and none of them is loaded by one; None when one is, or no app is in sight."""
        if self.reached is None or modules & self.reached:
            return None
        return ", ".join(
            f"`{m}` ({self.declared[m]})" if m in self.declared else f"`{m}`"
            for m in sorted(modules)
        )

    def link(self, finding: Finding) -> Finding:
        captures = dict(finding.captures)
        cls = captures.get("gateway", "")
        modules = self.modules(cls)
        if modules:
            captures["module"] = ", ".join(sorted(modules))
            unserved = self._unserved(modules)
            if unserved is not None and not self.unfollowed:
                captures["registration"] = (
                    f"not registered: provided by {unserved}, which no app's root module "
                    f"({'; '.join(self.roots)}) imports, directly or through other modules, "
                    "so Nest does not serve it"
                )
                return finding.model_copy(
                    update={"fact": UNREGISTERED, "captures": dict(sorted(captures.items()))}
                )
            if unserved is not None:
                captures["registration"] = (
                    f"not seen: provided by {unserved}, which no root module reaches through "
                    "the imports followed, and these could not be followed: "
                    + ", ".join(self.unfollowed)
                )
        elif self.modules_seen and not self.unreadable:
            captures["registration"] = (
                "not registered: no `@Module` of the files scanned provides it (or a subclass), "
                "so Nest does not serve it"
            )
            return finding.model_copy(
                update={"fact": UNREGISTERED, "captures": dict(sorted(captures.items()))}
            )
        else:
            captures["registration"] = "not seen: " + (
                "no NestJS module in the files scanned"
                if not self.modules_seen
                else "no module provides it, and these providers could not be read: "
                + ", ".join(self.unreadable)
            )
        path = captures.get("path")
        reason = self.platform_unknown
        if reason is None and "path" in finding.dynamic:
            default = f"path `{path}` at {_where(finding)} is computed at run time"
            reason = captures.pop("path_unresolved", default)
        if reason is None and self.platform == "ws" and "namespace" in captures:
            reason = (
                f"namespace `{captures['namespace']}` at {_where(finding)} on the `ws` platform: "
                "Nest's WsAdapter does not support namespaces (it throws when it creates the "
                "gateway's server), so where this gateway is served is not decided"
            )
        if reason is not None:
            captures.pop("route", None)
            if path is not None:
                captures["declared_route"] = path
            captures["route_unresolved"] = reason
            marked = tuple(sorted({*finding.unresolved, "route"}))
            return finding.model_copy(
                update={"captures": dict(sorted(captures.items())), "unresolved": marked}
            )
        captures["platform"] = self.platform
        if path is not None:
            captures["route"] = join_route([path])
            captures["declared_route"] = path
        else:
            captures["route"] = _NEST_DEFAULT_ROUTE[self.platform]
        namespace = captures.get("namespace")
        if self.platform == "socket.io":
            if namespace is None:
                captures["namespace"] = "/"
            elif "namespace" not in finding.dynamic:
                captures["namespace"] = join_route([namespace])  # socket.io adds the `/`
        return finding.model_copy(update={"captures": dict(sorted(captures.items()))})


def _nest_shared(gateways: Sequence[Finding]) -> list[Finding]:
    """Gateways on one port and path are one endpoint: on socket.io they share one server (Nest
    creates it once), so the first, by place, is the endpoint and the others namespaces of it;
    on `ws`, Nest's WsAdapter keeps the servers of a port in one list and hands each connection
    to the first whose path matches, so the others never receive one (the first by place is
    counted; which is registered first follows the order Nest loads modules in)."""
    out: list[Finding] = []
    first: dict[tuple[str, str, str], Finding] = {}
    for gateway in sorted(gateways, key=lambda f: f.sort_key):
        captures = gateway.captures
        platform = captures.get("platform")
        if gateway.fact != ENDPOINT or platform not in ("socket.io", "ws"):
            out.append(gateway)
            continue
        port = _GATEWAY_PORT.search(gateway.text)
        number = port.group(1).strip() if port else ""
        key = (platform, "" if number == "0" else number, captures["route"])
        if key not in first:
            first[key] = gateway
            out.append(gateway)
            continue
        served = dict(captures, served_by=_where(first[key]))
        if platform == "socket.io":
            out.append(gateway.model_copy(update={"fact": NAMESPACE, "captures": served}))
            continue
        served["shadowed"] = (
            f"Nest's WsAdapter hands each connection on this port and path `{captures['route']}` "
            f"to one gateway only (the one registered first), so this gateway and the one at "
            f"{served['served_by']} are one endpoint"
        )
        out.append(
            gateway.model_copy(update={"fact": SHADOWED, "captures": dict(sorted(served.items()))})
        )
    return out


def _compact(text: str) -> str:
    return "".join(text.split())


class _Linker:
    def __init__(self, findings: Sequence[Finding]) -> None:
        self.graph = _Graph()
        graph = self.graph
        pieces = [f for f in findings if f.fact in PIECES]
        for path in sorted({f.path for f in findings}):
            if path.endswith((".py", ".pyi")):
                graph.modules[module_of(path)].append(path)
        graph.imports = _parse_imports(f for f in pieces if f.fact == "python-import")
        for finding in pieces:
            if finding.fact == "route-scope":
                graph.scopes[finding.path].append(finding)
                if "name" in finding.captures:
                    graph.defined[finding.path].add(finding.captures["name"])
            elif finding.fact == "route-prefix" and "router" in finding.captures:
                graph.routers[(finding.path, finding.captures["router"])] = finding
                graph.defined[finding.path].add(finding.captures["router"])
        for path in graph.scopes:  # innermost first
            graph.scopes[path].sort(key=lambda s: (s.end_line - s.line, s.end_column - s.column))
        for finding in pieces:
            if finding.fact == "route-include":
                self._add_include(finding)
        self.nest = _Nest(pieces)
        # python-socketio servers an ASGIApp/WSGIApp of the tree serves, by (path, name)
        apps = [f for f in findings if f.fact == ENDPOINT and "server" in f.captures]
        self.apps = apps
        # the endpoints (apps, attaches, Tornado URL specs) that serve each server, by its node
        self.wrapped: defaultdict[Node, list[Finding]] = defaultdict(list)
        for app in apps:
            server = self.resolve(app.path, app.captures["server"])
            if server is not None:
                self.wrapped[self.canonical(server)].append(app)
        # `sio.attach(app)` on a server of the tree: the attach is the endpoint; on anything
        # else (`debugger.attach(process)`) it is not socket.io
        engines = {
            self.canonical((f.path, f.captures["name"]))
            for f in findings
            if f.fact == ENDPOINT and "engine" in f.captures and "name" in f.captures
        }
        self.attached: dict[FindingKey, Finding] = {}
        for piece in pieces:
            if piece.fact != ATTACH or "server" not in piece.captures:
                continue
            server = self.resolve(piece.path, piece.captures["server"])
            if server is None or self.canonical(server) not in engines:
                continue
            self.attached[piece.key] = piece.model_copy(update={"fact": ENDPOINT})
            self.wrapped[self.canonical(server)].append(self.attached[piece.key])
        self.falcon_routes, self.falcon_unrouted = self._falcon(pieces)
        self.unfollowed = [f for f in pieces if f.fact == UNFOLLOWED]

    def unfollowed_for(self, finding: Finding) -> list[str]:
        """Why an endpoint's route may be another than it declares, from a construct of the tree
        that moves routes in a way not followed here: an aiohttp handler where sub-applications
        are added (`add_subapp`: which application registers the handler is not followed), a
        route of a Sanic blueprint that is copied (`bp.copy(...)` serves it again elsewhere)."""
        reasons = []
        for piece in self.unfollowed:
            child = piece.captures.get("child", "?")
            if piece.rule_id.endswith("route-unfollowed-aiohttp-subapp"):
                if finding.rule_id.endswith(_AIOHTTP):
                    reasons.append(
                        f"aiohttp sub-application `{child}` is added under "
                        f"`{piece.captures.get('prefix', '?')}` ({_where(piece)}), and which "
                        "application registers this handler is not followed"
                    )
            elif "router" in finding.captures:
                node = self.canonical((finding.path, finding.captures["router"]))
                copied = self.resolve(piece.path, child)
                if copied is not None and self.canonical(copied) == node:
                    reasons.append(
                        f"blueprint `{child}` is copied as `{piece.captures.get('parent', '?')}` "
                        f"({_where(piece)}), which serves its routes again under the copy's "
                        "url_prefix and version: not followed"
                    )
        return reasons

    def _falcon(
        self, pieces: Sequence[Finding]
    ) -> tuple[dict[FindingKey, Finding], dict[FindingKey, Finding]]:
        """Falcon's websocket endpoints: each `add_route` whose resource is a class of the tree
        with the websocket responder the route maps (`on_websocket`, or `on_websocket_<suffix>`
        for `add_route(..., suffix=...)`), by the route's key; and each such responder no route
        of the tree maps, as an endpoint whose route is not known, by the responder's key."""
        responders: dict[tuple[Node, str], Finding] = {}
        for f in pieces:
            if f.fact == FALCON_RESOURCE and "resource" in f.captures:
                responder = f.captures.get("responder", _FALCON_RESPONDER)
                responders[((f.path, f.captures["resource"]), responder)] = f
        classes = {node for node, _ in responders}
        routes: dict[FindingKey, Finding] = {}
        routed: set[tuple[Node, str]] = set()
        unfollowed: list[str] = []
        for piece in pieces:
            if piece.fact != FALCON_ROUTE or "resource" not in piece.captures:
                continue
            written = piece.captures["resource"]
            node = self.resolve(piece.path, written)
            if node is None:
                unfollowed.append(f"`{written}` at {_where(piece)}")
                continue
            node = self.canonical(node)
            if node not in classes:
                continue  # an HTTP resource, or another framework's `add_route`
            suffix = _falcon_suffix(piece)
            captures = dict(piece.captures, resource=node[1])
            if isinstance(suffix, _Unknown):
                # which responder the route maps is decided at run time
                routed.update(key for key in responders if key[0] == node)
                captures["declared_route"] = captures.pop("route", "")
                captures["route_unresolved"] = (
                    f"Falcon route suffix {suffix.text} at {_where(piece)} is computed at run "
                    f"time: whether it maps a websocket responder of `{node[1]}` is not known"
                )
                routes[piece.key] = piece.model_copy(
                    update={
                        "fact": ENDPOINT,
                        "captures": dict(sorted(captures.items())),
                        "unresolved": tuple(sorted({*piece.unresolved, "route"})),
                    }
                )
                continue
            responder = _FALCON_RESPONDER + (f"_{suffix}" if suffix else "")
            if (node, responder) not in responders:
                continue  # the route maps no websocket responder of the class
            routed.add((node, responder))
            if suffix:
                captures["responder"] = responder
            routes[piece.key] = piece.model_copy(
                update={"fact": ENDPOINT, "captures": dict(sorted(captures.items()))}
            )
        unrouted: dict[FindingKey, Finding] = {}
        for (node, responder), resource in responders.items():
            if (node, responder) in routed:
                continue
            if responder == _FALCON_RESPONDER:
                reason = (
                    f"Falcon resource `{node[1]}` ({_where(resource)}) has a websocket "
                    "responder, and no `add_route(...)` of the files scanned routes it"
                )
            else:
                suffix = responder.removeprefix(_FALCON_RESPONDER + "_")
                reason = (
                    f"Falcon resource `{node[1]}` has a websocket responder `{responder}` "
                    f'({_where(resource)}), and no `add_route(..., suffix="{suffix}")` of '
                    "the files scanned routes it"
                )
            if unfollowed:
                reason += "; these routes' resources could not be followed: " + ", ".join(
                    unfollowed
                )
            captures = {"resource": node[1], "route_unresolved": reason}
            if responder != _FALCON_RESPONDER:
                captures["responder"] = responder
            unrouted[resource.key] = resource.model_copy(
                update={
                    "fact": ENDPOINT,
                    "captures": dict(sorted(captures.items())),
                    "unresolved": tuple(sorted({*resource.unresolved, "route"})),
                }
            )
        return routes, unrouted

    def unserved_engine(self, finding: Finding) -> Finding | None:
        """A python-socketio `Server`/`AsyncServer` no app of the tree wraps: its path is set
        where it is served (`attach(app, socketio_path=...)`, a Tornado handler), which is not
        followed, so its route is unresolved rather than guessed."""
        if "engine" not in finding.captures:
            return None
        captures = {k: v for k, v in finding.captures.items() if k != "route"}
        name = captures.get("name", captures["engine"])
        captures["route_unresolved"] = (
            f"python-socketio server `{name}` ({_where(finding)}) is reached at the path of what "
            "serves it, and no `socketio.ASGIApp`/`WSGIApp`, `attach(...)` or Tornado "
            "`get_tornado_handler(...)` of the files scanned names it"
        )
        marked = tuple(sorted({*finding.unresolved, "route"}))
        return finding.model_copy(update={"captures": captures, "unresolved": marked})

    def serving(self, finding: Finding) -> list[Finding]:
        """The endpoints of the tree that serve a python-socketio server (an `ASGIApp`/`WSGIApp`
        wrapping it, an `attach(app)` naming it, a Tornado URL spec routing its handler), by
        place: they are its endpoints, and the server is not one."""
        if finding.fact != ENDPOINT or "engine" not in finding.captures:
            return []
        found: list[Finding] = []
        name = finding.captures.get("name")
        if name is not None:
            found.extend(self.wrapped.get(self.canonical((finding.path, name)), []))
        # written inside the app's call: `socketio.ASGIApp(socketio.AsyncServer())`
        found.extend(
            app
            for app in self.apps
            if app.path == finding.path and _contains(_span(app), _span(finding))
        )
        return sorted({f.key: f for f in found}.values(), key=lambda f: f.sort_key)

    def served(self, server: Finding, endpoints: Sequence[Finding]) -> Finding:
        """A server the tree serves, as a `websocket-server-served` fact: seen, and counted
        through the endpoints that serve it (`served_by` their places, `served_route` their
        routes, `served_through` what they are), never as an endpoint of its own."""
        places, routes, kinds = [], [], []
        for endpoint in endpoints:
            places.append(_where(endpoint))
            kinds.append(_serving_kind(endpoint))
            linked = self.link(endpoint)
            if any("route" not in f.captures for f in linked):
                routes.append("route not resolved")
            else:
                routes.append(", ".join(f.captures["route"] for f in linked))
        captures = dict(
            server.captures,
            served_by=", ".join(places),
            served_route="; ".join(routes),
            served_through=", ".join(dict.fromkeys(kinds)),
        )
        return server.model_copy(
            update={"fact": SERVED, "captures": dict(sorted(captures.items()))}
        )

    # -- names ---------------------------------------------------------------------------

    def module_file(self, module: str) -> str | None:
        if not module:
            return None
        exact = self.graph.modules.get(module)
        if exact:
            return exact[0]
        suffix = "." + module
        found = sorted(
            (
                p
                for name, paths in self.graph.modules.items()
                if name.endswith(suffix)
                for p in paths
            ),
            key=lambda p: (len(p), p),
        )
        return found[0] if found else None

    def resolve(self, path: str, expression: str) -> Node | None:
        """The file and top-level name an expression written in `path` refers to."""
        text = _callee(expression)
        if not _DOTTED.fullmatch(text):
            return None
        parts = text.split(".")
        imported = self.graph.imports.get(path, {}).get(parts[0])
        if imported is None:
            if len(parts) == 1:
                return (path, parts[0])
            owner = self.module_file(".".join(parts[:-1]))
            return (owner, parts[-1]) if owner else None
        module, name = imported
        names = [*module.split("."), *([name] if name else []), *parts[1:]]
        if len(names) >= 2:
            owner = self.module_file(".".join(names[:-1]))
            if owner is not None and (
                names[-1] in self.graph.defined[owner] or self.module_file(".".join(names)) is None
            ):
                return (owner, names[-1])
        whole = self.module_file(".".join(names))
        return (whole, MODULE_ROUTES) if whole else None

    def _module_routes(self, dotted: str) -> Node | None:
        whole = self.module_file(dotted)
        if whole is not None:
            return (whole, MODULE_ROUTES)
        module, _, name = dotted.rpartition(".")
        owner = self.module_file(module)
        return (owner, name) if owner else None

    def canonical(self, node: Node) -> Node:
        """A name used in a file but defined in another (`from .routers import router`)."""
        path, name = node
        if name in self.graph.defined[path] or name not in self.graph.imports.get(path, {}):
            return node
        return self.resolve(path, name) or node

    def place(self, finding: Finding) -> tuple[Node, list[str], str | None]:
        """The named scope a piece of routing is written in, the prefixes of the unnamed
        groups between (outermost first), and why one of them is not known, if so."""
        pieces: list[str] = []
        named: Node = (finding.path, "")
        # outermost first: a function returning a list names the routes, not the list inside
        for scope in reversed(self.graph.scopes.get(finding.path, [])):
            if not _contains(_span(scope), _span(finding)):
                continue
            if "prefix" in scope.dynamic:
                return named, [], _dynamic_prefix(scope)
            if "name" in scope.captures:
                if not named[1]:
                    named = (finding.path, scope.captures["name"])
                if "prefix" in scope.captures:  # a Litestar controller's `path`
                    pieces.append(scope.captures["prefix"])
            else:
                pieces.append(scope.captures.get("prefix", ""))
        return named, pieces, None

    def _add_include(self, finding: Finding) -> None:
        captures = finding.captures
        child_text = captures.get("child")
        if child_text is None:
            return
        if finding.rule_id.endswith(_LITESTAR_HANDLERS):
            # `Router(route_handlers=handlers)`: which handlers it routes is not followed
            self.graph.unfollowed.append(f"`{child_text}` at {_where(finding)}")
            self.graph.unfollowed_handlers.append(f"`{child_text}` at {_where(finding)}")
            return
        if "child" in finding.dynamic:
            child = self.resolve(finding.path, child_text)
        else:  # a string: a module (`include("chat.urls")`) or a list in one (Channels 1.x)
            child = self._module_routes(child_text)
        if child is None and "child" in finding.dynamic and "(" in child_text:
            # an app written in place (`app.mount("/rt", socketio.ASGIApp(sio))`): its endpoint
            # is found by its text
            child = (finding.path, "(" + _compact(child_text))
        if child is None:
            if "child" in finding.dynamic and not _DOTTED.fullmatch(_callee(child_text)):
                # not a name: whatever it holds cannot be known here
                self.graph.unfollowed.append(f"`{child_text}` at {_where(finding)}")
            # a name of a file without websocket routing (an HTTP-only router, a package)
            return
        pieces: list[str] = []
        unresolved: str | None = None
        if "parent" in captures:
            parent = (finding.path, captures["parent"])
        elif finding.rule_id.endswith("route-include-sanic-group-inline"):
            # a group written in its registration: the registration's child, by its text
            parent = (finding.path, "(" + _compact(finding.text))
        else:
            parent, pieces, unresolved = self.place(finding)
        if "prefix" in finding.dynamic:
            unresolved = unresolved or _dynamic_prefix(finding)
        elif "prefix" in captures:
            pieces = [*pieces, captures["prefix"]]
        include = _Include(
            finding=finding,
            parent=self.canonical(parent),
            pieces=pieces,
            unresolved=unresolved,
            replaces_own="blueprint" in finding.rule_id and "prefix" in captures,
        )
        self.graph.incoming[self.canonical(child)].append(include)

    # -- routes --------------------------------------------------------------------------

    def prefixes(self, node: Node, seen: frozenset[Node] = frozenset()) -> list[Way]:
        """Every way a client reaches `node`: the prefixes from the top (outermost first), or
        why that way is not known."""
        if node in seen:
            return []  # an inclusion cycle adds no way in
        router = self.graph.routers.get(node)
        own: list[str] = []
        own_unknown = None
        if router is not None:
            if "prefix" in router.dynamic:
                own_unknown = _dynamic_prefix(router)
            elif "prefix" in router.captures:
                own = [router.captures["prefix"]]
        # Sanic: a blueprint's own version settings apply below every way in
        mine_layer: tuple[Layer, ...] = (("blueprint", router),) if router is not None else ()
        ways: list[Way] = []
        for include in self.graph.incoming.get(node, []):
            kind = _sanic_layer(include.finding)
            layer: tuple[Layer, ...] = ((kind, include.finding),) if kind else ()
            for upper, reason, layers in self.prefixes(include.parent, seen | {node}) or [
                ([], None, ())
            ]:
                replaced = include.replaces_own or (
                    # Sanic passes a registration's url_prefix through a group that has none
                    # to each blueprint, where it replaces the blueprint's own
                    kind == "group"
                    and "prefix" not in include.finding.captures
                    and _registered_with_prefix(layers)
                )
                mine = [] if replaced else own
                unknown = include.unresolved or (None if replaced else own_unknown)
                ways.append(
                    (
                        [*upper, *include.pieces, *mine],
                        reason or unknown,
                        (*layers, *layer, *mine_layer),
                    )
                )
        if ways:
            return ways
        if router is not None and self.graph.unfollowed:
            # included nowhere we can see, but maybe through an inclusion we could not follow
            return [
                (
                    [],
                    f"router `{node[1]}` ({_where(router)}) is not included anywhere in the "
                    "files scanned, and these inclusions could not be followed: "
                    + ", ".join(self.graph.unfollowed),
                    mine_layer,
                )
            ]
        # included nowhere (an app of its own, or dead code): reached as it declares itself
        return [(own, own_unknown, mine_layer)]

    def link(self, finding: Finding) -> list[Finding]:
        route = finding.captures.get("route")
        if route is None:
            return [finding]
        if "route" in finding.dynamic:
            # declared with an expression the rules could not read (an imported constant, a
            # setting, an f-string, a config object's field): its text is not a path, so the
            # route is not known, not another one
            return [_computed_route(finding, route)]
        inline = (finding.path, "(" + _compact(finding.text))
        if "router" in finding.captures:
            node = self.canonical((finding.path, finding.captures["router"]))
            pieces: list[str] = []
            unresolved = None
        elif inline in self.graph.incoming:
            node, pieces, unresolved = inline, [], None
        else:
            node, pieces, unresolved = self.place(finding)
            if not node[1] and "handler" in finding.captures:
                # a Litestar handler a `Router(route_handlers=[...])` names
                node = self.canonical((finding.path, finding.captures["handler"]))
            if (
                finding.rule_id.endswith(_LITESTAR)
                and node[1]
                and node not in self.graph.incoming
                and self.graph.unfollowed_handlers
            ):
                unresolved = unresolved or (
                    f"`{node[1]}` is routed by no `Router(route_handlers=[...])` of the files "
                    "scanned, and these routers' handlers could not be followed: "
                    + ", ".join(self.graph.unfollowed_handlers)
                )
        ways = self.prefixes(node) if node[1] else [([], None, ())]
        versions = [_sanic_version(finding, layers) for _, _, layers in ways]
        reasons = sorted(
            {r for _, r, _ in ways if r}
            | {r for _, r in versions if r}
            | ({unresolved} if unresolved else set())
            | set(self.unfollowed_for(finding))
        )
        captures = {k: v for k, v in finding.captures.items() if k != "route"}
        if reasons:
            captures["declared_route"] = route
            captures["route_unresolved"] = "; ".join(reasons)
            # a requirement that judges the route cannot decide it, and fails saying so
            marked = tuple(sorted({*finding.unresolved, "route"}))
            return [finding.model_copy(update={"captures": captures, "unresolved": marked})]
        routes = sorted(
            {
                join_route([*version, *upper, *pieces, route])
                for (upper, _, _), (version, _) in zip(ways, versions, strict=True)
            }
        )
        if "server" in captures:
            routes = sorted({_engine_path(r) for r in routes})
        out = []
        for full in routes:
            linked = dict(captures, route=full, declared_route=route)
            out.append(finding.model_copy(update={"captures": dict(sorted(linked.items()))}))
        return out


def _computed_route(finding: Finding, route: str) -> Finding:
    """An endpoint whose declared route is computed at run time: no `route`, the expression
    kept as `declared_route`, `route_unresolved` saying so, and `route` marked unresolved."""
    # a Socket.IO app or attach declares it as `socketio_path`
    what = "socketio_path" if "server" in finding.captures else "route"
    captures = {k: v for k, v in finding.captures.items() if k != "route"}
    captures["declared_route"] = route
    # an imported constant that could not be read says why (`constants`), else its text is code
    captures.setdefault(
        "route_unresolved", f"{what} `{route}` at {_where(finding)} is computed at run time"
    )
    marked = tuple(sorted({*finding.unresolved, "route"}))
    return finding.model_copy(
        update={"captures": dict(sorted(captures.items())), "unresolved": marked}
    )


# -- Sanic versions ------------------------------------------------------------------------------
#
# Sanic puts a route's version before every prefix: `version_prefix + version + url_prefix +
# uri` (`/v1/gw/ws` for `Blueprint("gw", url_prefix="/gw", version=1)`; `version_prefix` is
# `/v` unless set). Which setting applies is decided as Sanic's own registration code decides
# it (`Sanic.blueprint`, `Blueprint.register`): the route's `version` over the registration's
# (`app.blueprint(bp, version=)`) over the blueprint's; a group's version only for a blueprint
# (or inner group) that sets none; a `version_prefix` other than `/v` of the route over the
# registration's (or the group's, for a blueprint that keeps `/v`) over the blueprint's. The
# settings are read from the text of the call that says them; a value that is not a literal
# (a name, a call, `**options`) is not known, and neither is a route it may decide.


class _Unknown:
    """A Sanic setting the code computes: its text, for the reason."""

    def __init__(self, text: str, finding: Finding) -> None:
        self.text = text
        self.finding = finding


Setting = str | None | _Unknown


def _falcon_suffix(route: Finding) -> Setting:
    """The `suffix=` of a Falcon `add_route` (None when not set), or unknown when computed."""
    call = _call_of(route.text)
    if call is None:
        said = re.search(r"\bsuffix\s*=", route.text)
        return _Unknown(_code(" ".join(route.text.split())), route) if said else None
    for keyword in call.keywords:
        if keyword.arg is None:
            return _Unknown(f"`**{ast.unparse(keyword.value)}`", route)
        if keyword.arg == "suffix":
            value = keyword.value
            if isinstance(value, ast.Constant) and (value.value is None or value.value == ""):
                return None
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value
            return _Unknown(f"`{ast.unparse(value)}`", route)
    return None


def _sanic_layer(finding: Finding) -> str | None:
    for rule, kind in _SANIC_LAYERS.items():
        if finding.rule_id.endswith(rule):
            return kind
    return None


def _registered_with_prefix(layers: Sequence[Layer]) -> bool:
    """Whether Sanic hands a `url_prefix` down the way in: a registration or a group above
    sets one (`Sanic.blueprint` passes it through a group that sets none, to each member)."""
    return any(kind != "blueprint" and "prefix" in f.captures for kind, f in layers)


def _call_of(text: str) -> ast.Call | None:
    """The call a piece's text is, or assigns (`bp = Blueprint(...)`)."""
    try:
        tree = ast.parse(text.strip())
    except SyntaxError:
        return None
    if len(tree.body) != 1:
        return None
    statement = tree.body[0]
    value = (
        statement.value if isinstance(statement, (ast.Expr, ast.Assign, ast.AnnAssign)) else None
    )
    return value if isinstance(value, ast.Call) else None


def _sanic_settings(finding: Finding, spread_unknown: bool) -> dict[str, Setting]:
    """`version` and `version_prefix` as the piece's call sets them (absent: not set). A
    `**options` spread may set both; it counts as unknown where `spread_unknown`."""
    call = _call_of(finding.text)
    if call is None:
        if _VERSION_KEYWORD.search(finding.text):
            unknown = _Unknown(_code(" ".join(finding.text.split())), finding)
            return {"version": unknown, "version_prefix": unknown}
        return {}
    out: dict[str, Setting] = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            if spread_unknown:
                unknown = _Unknown(f"`**{ast.unparse(keyword.value)}`", finding)
                out.setdefault("version", unknown)
                out.setdefault("version_prefix", unknown)
            continue
        if keyword.arg not in ("version", "version_prefix"):
            continue
        value = keyword.value
        if isinstance(value, ast.Constant) and value.value is None:
            out[keyword.arg] = None
        elif (
            isinstance(value, ast.Constant)
            and isinstance(value.value, (int, float, str))
            and not isinstance(value.value, bool)
        ):
            out[keyword.arg] = str(value.value)
        else:
            out[keyword.arg] = _Unknown(f"`{ast.unparse(value)}`", finding)
    return out


def _sanic_version(endpoint: Finding, layers: Sequence[Layer]) -> tuple[list[str], str | None]:
    """The version piece Sanic puts before a route reached through `layers` (outermost
    first), as a route piece (`/v1`, `/api/v2`; none when no version applies), or why it is not
    known."""
    sanic = bool(layers) and any(kind != "blueprint" for kind, _ in layers)
    settings = [(kind, _sanic_settings(f, sanic)) for kind, f in layers]
    route = _sanic_settings(endpoint, sanic) if "router" in endpoint.captures else {}
    if not route and not any(s for _, s in settings):
        return [], None
    options: dict[str, Setting] = {}
    blueprint: dict[str, Setting] = {}
    for index, (kind, own) in enumerate(settings):
        if kind == "registration":
            options.update(own)
        elif kind == "group":
            child = settings[index + 1][1] if index + 1 < len(settings) else {}
            params = dict(options)
            if child.get("version") is None:
                params["version"] = own.get("version") or options.get("version")
            if child.get("version_prefix", _SANIC_DEFAULT_PREFIX) == _SANIC_DEFAULT_PREFIX:
                group_prefix = own.get("version_prefix", _SANIC_DEFAULT_PREFIX)
                params["version_prefix"] = (
                    group_prefix
                    if group_prefix != _SANIC_DEFAULT_PREFIX
                    else options.get("version_prefix")
                )
            options = params
        else:
            blueprint = own
    version = next(
        (
            v
            for v in (route.get("version"), options.get("version"), blueprint.get("version"))
            if v is not None
        ),
        None,
    )
    if version is None:
        return [], None
    own_prefix = blueprint.get("version_prefix") or _SANIC_DEFAULT_PREFIX
    prefix = next(
        (
            p
            for p in (
                route.get("version_prefix"),
                options.get("version_prefix", own_prefix),
            )
            if p and p != _SANIC_DEFAULT_PREFIX
        ),
        own_prefix,
    )
    for value, what in ((version, "version"), (prefix, "version_prefix")):
        if isinstance(value, _Unknown):
            return [], (
                f"Sanic {what} {value.text} at {_where(value.finding)} is computed at run "
                "time, and it is part of the route"
            )
    assert isinstance(version, str) and isinstance(prefix, str)
    return [f"{prefix}{version.strip('/').lstrip('v')}"], None


def _serving_kind(endpoint: Finding) -> str:
    """What serves a python-socketio server, as written: `socketio.ASGIApp`, `sio.attach`,
    `socketio.get_tornado_handler`."""
    handler = _TORNADO_HANDLER.search(endpoint.text)
    return handler.group(0) if handler else _callee(endpoint.text)


def _engine_path(route: str) -> str:
    """A Socket.IO server's route as its engine.io path: engine.io strips the slashes around
    `socketio_path` (`"ws/"` serves `/ws/`, as `"ws"` does), and a Tornado URL spec's
    `r"/socket.io/"` (anchored with `$` or not) is that same path."""
    return route.removesuffix("$").rstrip("/") or "/"


def _callee(expression: str) -> str:
    """`get_routes()` → `get_routes`: a function returning routes stands for its routes."""
    text = expression.strip()
    return text[: text.index("(")] if "(" in text else text


def socketio_namespace(url: str) -> str:
    """The namespace a socket.io client joins: its URL's path, as socket.io-client's `url()`
    reads it (`/` when none). `//host/x` is protocol-relative, `/x` is on the page's origin,
    and a URL without a scheme starts with its host (`localhost:3000/chat`)."""
    if url.startswith("/") and not url.startswith("//"):
        rest = url
    else:
        rest = _SCHEME.sub("", url, count=1)
        slash = rest.find("/")
        rest = rest[slash:] if slash >= 0 else ""
    for end in "?#":
        rest = rest.split(end, 1)[0]
    return rest or "/"


def _spread_path(finding: Finding) -> str | None:
    """Why a spread in a socket.io client's options (`{...base}`) may set its path: unless the
    options' one `path:` key comes after every spread (a later key wins), it is not known. So
    may a computed key (`{ [key]: value }`)."""
    text = finding.text
    if _COMPUTED_KEY.search(text):
        return f"the options at {_where(finding)} have a computed key that may be `path`"
    spread = text.rfind(_SPREAD)
    if spread < 0:
        return None
    keys = [m.start() for m in _PATH_KEY.finditer(text)]
    if len(keys) == 1 and keys[0] > spread:
        return None
    return f"the options at {_where(finding)} spread an object (`...`) that may set the `path`"


def _readable_template(text: str) -> bool:
    """Whether a template literal's path can be read: the text after its last interpolation,
    before any query or fragment, holds a `/` (`${origin}/ws`, `${base}/ws/ticker?s=${s}`; not
    `${base}${path}`, `wss://${host}`)."""
    if not text.startswith("`"):
        return False
    tail: list[str] = []  # the literal text since the last interpolation
    depth = 0
    i = 1
    while i < len(text):
        if depth == 0 and text.startswith("${", i):
            depth, tail = 1, []
            i += 2
            continue
        char = text[i]
        if depth:
            depth += {"{": 1, "}": -1}.get(char, 0)
        elif char in "?#`":
            break
        else:
            tail.append(char)
        i += 1
    return depth == 0 and "/" in tail


def _code(text: str) -> str:
    """`text` as a Markdown code span whose fence no backtick inside closes (a template
    literal's own backticks stay in it)."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _judged_target(finding: Finding, what: str) -> Finding:
    """A frontend client whose target (`what`: `target`, a socket.io client's `engine.io path`,
    or the `options` that may set it) is an expression, as the checks may read it. A template
    literal with a readable path is judged by its text, as written. A name or property path
    (`url`, `props.url`, `import.meta.env.VITE_WS_URL`) holds a value only the running code
    knows: `target` is dropped and `target_runtime` says so (a pack lists such clients as not
    checked, and does not fail for them). Anything else is computed here (`base + "/chat"`,
    `wsUrl("/chat")`): `target` is unresolved, `target_unresolved` says why, and a check
    cannot decide it. Either way the expression is kept as `declared_target`, never taken for
    a path."""
    captures = dict(finding.captures)
    written = captures["target"]
    if _readable_template(written):
        return finding
    captures.pop("target")
    captures["declared_target"] = written
    dynamic = tuple(d for d in finding.dynamic if d != "target")
    options = what == "options"
    named = (
        f"the options {_code(written)} (which may set the engine.io path)"
        if options
        else f"{what} {_code(written)}"
    )
    if _REFERENCE.fullmatch(written):
        captures["target_runtime"] = (
            f"{named} {'are' if options else 'is'} a name whose value only the running code "
            "knows (a variable, a parameter, configuration or another module's constant)"
        )
        return finding.model_copy(
            update={"captures": dict(sorted(captures.items())), "dynamic": dynamic}
        )
    captures["target_unresolved"] = (
        f"{named} at {_where(finding)} {'are' if options else 'is'} computed at run time"
    )
    marked = tuple(sorted({*finding.unresolved, "target"}))
    return finding.model_copy(
        update={
            "captures": dict(sorted(captures.items())),
            "dynamic": dynamic,
            "unresolved": marked,
        }
    )


def frontend_client(finding: Finding) -> Finding:
    """A frontend websocket client as it connects: a socket.io one through `socketio_client`,
    any other to its `target` (see `_judged_target` when that is an expression)."""
    if "url" in finding.captures:
        return socketio_client(finding)
    if "target" in finding.dynamic and "target" in finding.captures:
        return _judged_target(finding, "target")
    return finding


def socketio_client(finding: Finding) -> Finding:
    """A socket.io client as it connects: over its engine.io path (`target`; see
    `_judged_target` when it is an expression, unresolved when a spread or a computed key of
    its options may set it), to the namespace its URL names (`namespace`, when the URL is
    known). A `Manager`'s URL names none (engine.io takes only its host): its sockets name
    theirs (`manager.socket("/ns")`)."""
    captures = dict(finding.captures)
    url = captures.get("url", "/")
    if "namespace" in finding.dynamic:
        del captures["namespace"]
    elif "url" not in finding.dynamic and finding.rule_id not in _MANAGER_RULES:
        captures.setdefault("namespace", socketio_namespace(url))
    finding = finding.model_copy(
        update={
            "captures": dict(sorted(captures.items())),
            "dynamic": tuple(d for d in finding.dynamic if d != "namespace"),
        }
    )
    if "target" in finding.dynamic:
        # the rule binds `target` to the options themselves when they are not an object literal
        what = "engine.io path" if _PATH_KEY.search(finding.text) else "options"
        return _judged_target(finding, what)
    reason = _spread_path(finding)
    if reason is None:
        return finding
    return _unresolved_target(finding, captures, reason)


def _unresolved_target(finding: Finding, captures: dict[str, str], reason: str) -> Finding:
    """A client whose target cannot be known: no `target`, `target_unresolved` saying why, and
    `target` marked unresolved (requirements that judge it say they could not decide)."""
    captures.pop("target", None)
    captures["target_unresolved"] = reason
    marked = tuple(sorted({*finding.unresolved, "target"}))
    return finding.model_copy(
        update={"captures": dict(sorted(captures.items())), "unresolved": marked}
    )


def _namespaces(text: str, dynamic: bool) -> str | None:
    """The namespaces a python-socketio client's `namespaces=` names, comma-separated: a string
    or a list or tuple of string literals; None for anything else (a variable)."""
    if not dynamic:
        return text
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return None


# an f-string as semgrep gives it: prefix, quote, body
_FSTRING = re.compile(r"""[rR]?[fF][rR]?(?P<q>'{3}|"{3}|'|")(?P<body>.*)(?P=q)""", re.S)


def _fstring_path(text: str) -> str | None:
    """An f-string's body when its text after the last replacement field, before any query or
    fragment, holds a `/` (`f"ws://{host}/ws"`, as a template literal's path is read); else
    None."""
    match = _FSTRING.fullmatch(text.strip())
    if match is None:
        return None
    body = match.group("body")
    tail = body[body.rfind("}") + 1 :] if "}" in body else body
    return body if "/" in re.split(r"[?#]", tail, maxsplit=1)[0] else None


def target_noun(finding: Finding) -> str:
    """What a client's `target` is, for a reader: a socket.io client's (frontend or
    python-socketio) is the engine.io path it connects over, any other client's its URL."""
    socketio = (finding.fact == FRONTEND_CLIENT and "url" in finding.captures) or (
        finding.fact == CLIENT and "socketio" in finding.rule_id
    )
    return "Engine.io path" if socketio else "Target"


def python_client(finding: Finding) -> Finding:
    """A Python websocket client as it connects: to its `target` when it is a literal or a
    constant read (the same file's, by semgrep; another module's, by `_Constants`), or an
    f-string whose path shows (`f"ws://{host}/ws"`: `target` its body, as written). Any other
    target (a variable, a parameter, configuration, a call) is undecided: `target` is dropped
    and marked unresolved, `declared_target` keeps the expression and `target_unresolved` says
    why, so the endpoint check says it could not decide rather than count it as `/ws`. So is
    a client made where it names no target (`websocket.WebSocket()` connected elsewhere)."""
    captures = dict(finding.captures)
    written = captures.get("target")
    if written is not None and "target" not in finding.dynamic:
        return finding
    if written is not None:
        body = _fstring_path(written)
        captures["declared_target"] = written
        if body is not None:
            captures["target"] = body
            return finding.model_copy(update={"captures": dict(sorted(captures.items()))})
        reason = captures.pop(
            "target_unresolved",
            f"target {_code(written)} at {_where(finding)} is not known statically (a variable, "
            "a parameter, configuration or a call: only the running code knows it)",
        )
    else:
        reason = (
            f"the client at {_where(finding)} names no target where it is made (it is "
            "connected elsewhere)"
        )
    finding = finding.model_copy(
        update={"dynamic": tuple(d for d in finding.dynamic if d != "target")}
    )
    return _unresolved_target(finding, captures, reason)


def python_socketio_client(finding: Finding) -> Finding:
    """A python-socketio client as it connects: over its engine.io path (`target`: `/` and its
    `socketio_path`, `/socket.io` by default; python-socketio drops the URL's path), to the
    namespaces its `namespaces=` names (`namespace`, when they are literals). A path it cannot
    read (a variable, `**options`), or a client whose `connect(...)` is not in the scope that
    creates it, leaves `target` unresolved."""
    captures = dict(finding.captures)
    if finding.rule_id.endswith(_UNCONNECTED_CLIENT):
        return _unresolved_target(
            finding,
            captures,
            f"the python-socketio client created at {_where(finding)} is connected outside the "
            "scope that creates it (no `connect(...)` of it follows there), so the engine.io "
            "path it connects over (its `socketio_path`) is not read",
        )
    options = captures.pop("options", None)
    if options is not None:
        # the rule's default path is no reading of options that may set another
        captures.pop("socketio_path", None)
        return _unresolved_target(
            finding.model_copy(
                update={"dynamic": tuple(d for d in finding.dynamic if d != "options")}
            ),
            captures,
            f"the keyword options `**{options}` at {_where(finding)} may set the engine.io path "
            "(`socketio_path`), which is not known statically",
        )
    # kept as written; python-socketio's default when the call sets none
    path = captures.setdefault("socketio_path", "socket.io")
    namespaces = captures.pop("namespaces", None)
    if namespaces is not None:
        namespace = _namespaces(namespaces, "namespaces" in finding.dynamic)
        if namespace is not None:
            captures["namespace"] = namespace
        else:
            captures["namespace_unresolved"] = (
                f"the namespaces come from `{namespaces}` at {_where(finding)}, which is not "
                "known statically"
            )
    finding = finding.model_copy(
        update={"dynamic": tuple(d for d in finding.dynamic if d != "namespaces")}
    )
    if "socketio_path" in finding.dynamic:
        why = captures.pop("socketio_path_unresolved", "is not known statically")
        return _unresolved_target(
            finding,
            captures,
            f"the engine.io path comes from `{path}` at {_where(finding)}, which {why}",
        )
    captures["target"] = _engine_path(join_route([path]))
    return finding.model_copy(update={"captures": dict(sorted(captures.items()))})


def _dynamic_prefix(finding: Finding) -> str:
    prefix = finding.captures.get("prefix", "?")
    default = f"prefix `{prefix}` at {_where(finding)} is computed at run time"
    return finding.captures.get("prefix_unresolved", default)


# -- constants imported from another module of the tree -----------------------------------------

CONSTANT = "module-constant"
JS_IMPORT = "js-import"
# the captures a constant of another module may stand for (a frontend client's: `_frontend`)
_VALUES = tuple(sorted(VALUES))
# those whose reason, when the constant cannot be read, the linking stage reports
_SAID = {"route", "prefix", "socketio_path", "path"}
_JS_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts")
_JS_BINDING = re.compile(
    r"^import\s+(?P<bindings>.+?)\s+from\s*([\"'])(?P<module>[^\"']+)\2$", re.S
)
_JS_NAMED = re.compile(r"(?:type\s+)?([\w$]+)(?:\s+as\s+([\w$]+))?")


def _js_bindings(text: str) -> dict[str, tuple[str, str | None]]:
    """An ES import declaration's local names → (module specifier, the name it exports; None
    for a namespace import, `default` for a default import)."""
    match = _JS_BINDING.match(text.strip().rstrip(";"))
    if match is None:
        return {}
    module, bindings = match.group("module"), match.group("bindings")
    out: dict[str, tuple[str, str | None]] = {}
    named = re.search(r"\{(.*)\}", bindings, re.S)
    if named is not None:
        for entry in named.group(1).split(","):
            found = _JS_NAMED.fullmatch(entry.strip())
            if found is not None and not entry.strip().startswith("type "):
                out[found.group(2) or found.group(1)] = (module, found.group(1))
        bindings = bindings[: named.start()] + bindings[named.end() :]
    namespace = re.search(r"\*\s*as\s+([\w$]+)", bindings)
    if namespace is not None:
        out[namespace.group(1)] = (module, None)
        bindings = bindings[: namespace.start()] + bindings[namespace.end() :]
    default = bindings.strip().strip(",").strip()
    if _IDENTIFIER.fullmatch(default):
        out[default] = (module, "default")
    return out


@dataclass(frozen=True)
class _Read:
    """What an expression names: a constant's string and where it is assigned, or why a
    constant of another module it names cannot be read (and `runtime`, when a TS/JS module
    assigns it a value only the running code knows, as `import.meta.env.VITE_WS_URL`, says
    that); neither when it names none."""

    value: str | None = None
    place: str = ""
    why: str | None = None
    runtime: str | None = None


# a template literal's interpolation of a name or property path; semgrep drops the `}` of one
# that ends the literal (`${origin}${WS_PATH``)
_INTERPOLATED = re.compile(r"\$\{\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*(?:\}|(?=`?$))")
# constants.yaml's rule for `export default X`
_DEFAULT_EXPORT = "js-module-default-export"
# configuration a TS/JS module reads when it runs
_CONFIGURATION = re.compile(r"\b(?:import\.meta\.env|process\.env)\b")


class _Constants:
    """The values of names imported from another module of the tree: a route or a target
    written as `WS_PATH` (`from app.settings import WS_PATH`; `import { WS_PATH } from
    "./config"`), `s.WS_PATH` (`import app.settings as s`) or `cfg.WS_PATH` (`import * as cfg
    from "./config"`) is the string that module assigns it, when it assigns it once, at module
    level, a string literal (`module-constant` facts). Anything else stays unresolved, and for
    a route, a prefix or a path the reason says which of these it is. semgrep reads a
    constant of the same file itself (`value($X)`)."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.assigned: dict[Node, list[Finding]] = defaultdict(list)
        self.modules: dict[str, list[str]] = defaultdict(list)
        self.js_files: set[str] = set()
        self.js_imports: dict[str, dict[str, tuple[str, str | None]]] = defaultdict(dict)
        self.stars: dict[str, list[str]] = defaultdict(list)
        python_imports = []
        for finding in findings:
            if finding.fact == CONSTANT and (
                "name" in finding.captures or finding.rule_id.endswith(_DEFAULT_EXPORT)
            ):
                # a TS/JS default export is the constant `default` (`import url from "./m"`)
                name = finding.captures.get("name", "default")
                self.assigned[(finding.path, name)].append(finding)
                if finding.path.endswith(_JS_SUFFIXES):
                    self.js_files.add(finding.path)
            elif finding.fact == JS_IMPORT:
                self.js_imports[finding.path].update(_js_bindings(finding.text))
            elif finding.fact == "python-import":
                python_imports.append(finding)
                if finding.text.rstrip().endswith("import *"):
                    self.stars[finding.path].append(finding.text.strip())
        for path in sorted({f.path for f in findings if f.path.endswith((".py", ".pyi"))}):
            self.modules[module_of(path)].append(path)
        self.python_imports = _parse_imports(python_imports)

    def read(self, findings: Sequence[Finding]) -> list[Finding]:
        """The findings with each value written as an imported constant replaced by the
        constant's string, or, where it cannot be, the reason kept beside it."""
        if not self.assigned and not self.stars and not self.js_imports:
            return list(findings)
        return [self._read(f) for f in findings]

    def _read(self, finding: Finding) -> Finding:
        if finding.fact in PIECES - {"route-prefix", "route-include", "route-scope", ATTACH}:
            return finding
        if finding.fact == FRONTEND_CLIENT:
            return self._frontend(finding)
        names = [n for n in _VALUES if n in finding.dynamic and n in finding.captures]
        if not names:
            return finding
        captures = dict(finding.captures)
        dynamic = set(finding.dynamic)
        for name in names:
            expression = captures[name]
            read = self.value(finding.path, expression)
            if read.value is not None:
                captures[name] = read.value
                captures[f"{name}_constant"] = f"{expression} ({read.place})"
                dynamic.discard(name)
            elif read.why is not None and (
                name in _SAID or (name == "target" and finding.fact == CLIENT)
            ):
                captures[f"{name}_unresolved"] = self._said(finding, name, expression, read.why)
        return finding.model_copy(
            update={
                "captures": dict(sorted(captures.items())),
                "dynamic": tuple(n for n in finding.dynamic if n in dynamic),
            }
        )

    def _frontend(self, finding: Finding) -> Finding:
        """A frontend client whose target (or socket.io URL) is a constant of another module:
        its string, when it is read (`target_constant` says where; `declared_target` keeps the
        name); a template literal holding such constants, with their strings in place (judged
        then as any template literal: by its path, when it shows one). A name the tree's module
        assigns a value only the running code knows is `target_runtime`; one that cannot be
        read otherwise (a re-export, a package, a default export that is no string) is
        undecided: `target_unresolved` names the case. Any other target is left to
        `frontend_client`."""
        captures = dict(finding.captures)
        dynamic = set(finding.dynamic)
        marked = set(finding.unresolved)
        url = captures.get("url")
        if url is not None and "url" in dynamic:
            read = self.value(finding.path, url)
            if read.value is not None:
                captures["url"] = read.value
                captures["url_constant"] = f"{url} ({read.place})"
                dynamic.discard("url")
        written = captures.get("target")
        # a socket.io client's `target` is its `path` option's value only when it has one (else
        # the options themselves, which are no string)
        is_path = "url" not in finding.captures or _PATH_KEY.search(finding.text) is not None
        if written is not None and "target" in dynamic and is_path:
            named = "engine.io path" if "url" in finding.captures else "target"
            named = f"{named} {_code(written)}"
            if written.startswith("`"):
                self._template(finding, captures, dynamic, marked, written, named)
            else:
                read = self.value(finding.path, written)
                if read.value is not None:
                    captures["target"] = read.value
                    captures["target_constant"] = f"{written} ({read.place})"
                    captures["declared_target"] = written
                    dynamic.discard("target")
                elif read.why is not None:
                    del captures["target"]
                    captures["declared_target"] = written
                    dynamic.discard("target")
                    if read.runtime is not None:
                        captures["target_runtime"] = f"{named} {read.runtime}"
                    else:
                        captures["target_unresolved"] = f"{named} at {_where(finding)} {read.why}"
                        marked.add("target")
        return finding.model_copy(
            update={
                "captures": dict(sorted(captures.items())),
                "dynamic": tuple(n for n in finding.dynamic if n in dynamic),
                "unresolved": tuple(sorted(marked)),
            }
        )

    def _template(
        self,
        finding: Finding,
        captures: dict[str, str],
        dynamic: set[str],
        marked: set[str],
        written: str,
        named: str,
    ) -> None:
        """A template literal target with the constants of other modules it interpolates in
        place: judged by its path when it then shows one; else, when a constant it holds could
        not be read, undecided naming it."""
        places: list[str] = []
        unread: list[tuple[str, str]] = []

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            read = self.value(finding.path, name)
            if read.value is not None:
                places.append(f"{name} ({read.place})")
                return read.value
            if read.why is not None and read.runtime is None:
                unread.append((name, read.why))
            return match.group(0)

        text = _INTERPOLATED.sub(substitute, written)
        if places and _readable_template(text):
            captures["target"] = text
            captures["target_constant"] = "; ".join(places)
            captures["declared_target"] = written
        elif unread:
            name, why = unread[0]
            del captures["target"]
            captures["declared_target"] = written
            captures["target_unresolved"] = (
                f"{named} at {_where(finding)} holds `{name}`, which {why}"
            )
            dynamic.discard("target")
            marked.add("target")

    @staticmethod
    def _said(finding: Finding, name: str, expression: str, why: str) -> str:
        if name == "socketio_path" and finding.fact != ENDPOINT:
            return why  # the client's reason reads "the engine.io path comes from X, which ..."
        what = "socketio_path" if name == "route" and "server" in finding.captures else name
        return f"{what} `{expression}` at {_where(finding)} {why}"

    def value(self, path: str, expression: str) -> _Read:
        """The string an expression names and where it is assigned, or why it cannot be read
        when it names a constant of another module; nothing when it names none."""
        text = expression.strip()
        if path.endswith(_JS_SUFFIXES):
            return self._js_value(path, text)
        if path.endswith((".py", ".pyi")):
            return self._python_value(path, text)
        return _Read()

    def _python_value(self, path: str, text: str) -> _Read:
        if not _DOTTED.fullmatch(text):
            return _Read()
        parts = text.split(".")
        imported = self.python_imports.get(path, {}).get(parts[0])
        if imported is None or imported[1] == "*":
            stars = self.stars.get(path)
            if len(parts) == 1 and stars:
                return _Read(
                    why=f"is no name {path} imports by name: it may come from `{stars[0]}`, "
                    "whose names are not followed"
                )
            return _Read()
        module, name = imported
        dotted = [*module.split("."), *([name] if name else []), *parts[1:]]
        # the longest leading part that is a module of the tree holds the name after it
        for end in range(len(dotted) - 1, 0, -1):
            owner_module = ".".join(dotted[:end])
            owners = self._python_module(owner_module)
            if len(owners) > 1:
                return _Read(
                    why=f"is imported from `{owner_module}`, which names more than one file of "
                    f"the tree ({', '.join(owners)})"
                )
            if not owners:
                continue
            where = f"`{owner_module}` ({owners[0]})"
            if end < len(dotted) - 1:
                return _Read(
                    why=f"is an attribute of `{dotted[end]}` of {where}, and attributes of "
                    "objects are not read (only module-level strings are)"
                )
            return self._assigned(owners[0], dotted[end], where)
        return _Read(
            why=f"is imported from `{module}`, where the scan saw no module-level assignment: "
            "a module outside the files scanned, or one without module-level strings"
        )

    def _python_module(self, module: str) -> list[str]:
        """The files of the tree a dotted module names: exactly, or else by its end (a `src/`
        layout; more than one such file is ambiguous)."""
        exact = self.modules.get(module)
        if exact:
            return exact[:1]
        suffix = "." + module
        return sorted(
            p for name, paths in self.modules.items() if name.endswith(suffix) for p in paths
        )

    def _js_value(self, path: str, text: str) -> _Read:
        parts = text.split(".")
        if not all(_IDENTIFIER.fullmatch(p) for p in parts):
            return _Read()
        binding = self.js_imports.get(path, {}).get(parts[0])
        if binding is None:
            return _Read()
        module, exported = binding
        if exported is None and len(parts) == 2:
            exported = parts[1]  # `cfg.WS_PATH` after `import * as cfg from "./config"`
        elif exported is None or len(parts) != 1:
            return _Read()
        if not module.startswith("."):
            return _Read(why=f"is imported from the package `{module}`, not a file of the tree")
        owners = self._js_module(path, module)
        if len(owners) > 1:
            return _Read(
                why=f"is imported from `{module}`, which names more than one file of the tree "
                f"({', '.join(owners)})"
            )
        if not owners or (owners[0], exported) not in self.assigned:
            export = "default export" if exported == "default" else f"`export const {exported}`"
            return _Read(
                why=f"is imported from `{module}`, where the scan saw no {export} (re-exports "
                "are not followed)"
            )
        return self._assigned(owners[0], exported, owners[0])

    def _js_module(self, path: str, module: str) -> list[str]:
        """The files with exported constants that a relative specifier names (`./config`,
        `./config.js` for `config.ts`, `./config/index`)."""
        base = posixpath.normpath(posixpath.join(posixpath.dirname(path), module))
        stems = {base}
        stem, dot, extension = base.rpartition(".")
        if dot and "." + extension in _JS_SUFFIXES:
            stems.add(stem)
        candidates = {f"{s}{suffix}" for s in stems for suffix in ("", *_JS_SUFFIXES)}
        candidates |= {f"{s}/index{suffix}" for s in stems for suffix in _JS_SUFFIXES}
        return sorted(candidates & self.js_files)

    def _assigned(self, owner: str, constant: str, module: str) -> _Read:
        """`constant` of the file `owner`: its value when it is assigned once, a string."""
        found = sorted(self.assigned.get((owner, constant), []), key=lambda f: f.sort_key)
        if not found:
            return _Read(
                why=f"is imported from {module}, which assigns no `{constant}` at module level "
                "(a name it imports from elsewhere is not followed)"
            )
        if len(found) > 1:
            places = ", ".join(dict.fromkeys(_where(f) for f in found))
            return _Read(
                why=f"is `{constant}` of {owner}, assigned more than once ({places}): which "
                "value holds is decided at run time"
            )
        assignment = found[0]
        value = assignment.captures.get("value")
        if value is None or "value" in assignment.dynamic:
            # a TS/JS module's configuration (a frontend's target is not checked for it)
            assigned = f"is `{constant}` of {owner}, assigned `{value}` at {_where(assignment)}"
            configured = _REFERENCE.fullmatch(value or "") or _CONFIGURATION.search(value or "")
            runtime = value is not None and owner.endswith(_JS_SUFFIXES) and configured
            return _Read(
                why=f"{assigned}, which is not a string literal",
                runtime=f"{assigned}: a value only the running code knows" if runtime else None,
            )
        return _Read(value=value, place=_where(assignment))


# -- JavaScript/TypeScript routers and plugins -----------------------------------------------

JS_INCLUDE = "js-route-include"
_JS_IMPORT = re.compile(r"import\s+(.+?)\s+from\s+['\"]([^'\"]+)['\"]", re.S)
_JS_REQUIRE = re.compile(
    r"(?:const|let|var)\s+(.+?)\s*=\s*require\(\s*['\"]([^'\"]+)['\"]\s*\)", re.S
)
_JS_DEFAULT = re.compile(
    r"(?:export\s+default|module\.exports\s*=)\s*(?:async\s+)?(?:function\b\s*\*?\s*)?"
    r"([A-Za-z_$][\w$]*)"
)
# `require("./feeds")`, and a dynamic `import("./feeds")` (Fastify registers its default export)
_JS_REQUIRE_CALL = re.compile(r"(?:require|import)\(\s*['\"]([^'\"]+)['\"]\s*\)")
_JS_FUNCTION = re.compile(
    r"^(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]*)?=>|[A-Za-z_$][\w$]*\s*=>)"
)
# a name given an instance that may set a prefix, and a plugin wrapped by fastify-plugin
JS_BASE = "js-route-base"
JS_WRAP = "js-plugin-wrap"
_FASTIFY_PLUGIN = "fastify-plugin"
# the classes whose constructor option `prefix` prefixes every route of the instance (Elysia,
# koa-router)
_JS_PREFIX_OPTION = frozenset({"Elysia", "Router"})
# app factories that are globals or packages: a chain rooted at a call of one is an app of its
# own (a call of a function of the project may return an app with a prefix)
_JS_APP_FACTORIES = frozenset({"require"})


def _place(finding: Finding, offset: int) -> tuple[int, int]:
    """The line and column of the character at `offset` of the finding's text."""
    before = finding.text[:offset]
    breaks = before.count("\n")
    if not breaks:
        return finding.line, finding.column + offset
    return finding.line + breaks, offset - before.rfind("\n")


def _assignment_value(text: str) -> int | None:
    """The offset of the value in `name = value` (the first `=` that is not `==` or `=>`)."""
    for found in re.finditer(r"=", text):
        at = found.start()
        if text[at + 1 : at + 2] in ("=", ">") or text[at - 1 : at] in ("=", "!", "<", ">"):
            continue
        value = at + 1
        return value + len(text[value:]) - len(text[value:].lstrip())
    return None


def _is_js(path: str) -> bool:
    return path.endswith(_JS_SUFFIXES)


def _routed_in_js(finding: Finding) -> bool:
    """A JS route registered on a receiver (js-websocket-route), which routers may nest."""
    return _is_js(finding.path) and "router" in finding.captures


def _js_module(path: str, spec: str, paths: Collection[str]) -> str | None:
    """The file of the tree a relative import names (`./routes/live.js` → `routes/live.ts`),
    or None for a package or a file the tree does not route in."""
    if not spec.startswith("."):
        return None
    parts = path.split("/")[:-1]
    for piece in spec.split("/"):
        if piece == "..":
            if not parts:
                return None
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    base = "/".join(parts)
    stem = base.rsplit(".", 1)[0] if base.endswith(_JS_SUFFIXES) else base
    for candidate in (
        base,
        *(stem + s for s in _JS_SUFFIXES),
        *(f"{base}/index{s}" for s in _JS_SUFFIXES),
    ):
        if candidate in paths:
            return candidate
    return None


@dataclass
class _JsInclude:
    finding: Finding
    parent: Node
    pieces: list[str]
    unresolved: str | None


class _JsRoutes:
    """The full route of a websocket route registered with a JS framework that nests routers or
    sets prefixes: Fastify plugins registered with `{ prefix }` (at any depth, a plugin's routes
    being those registered on its first parameter; one wrapped by fastify-plugin is not
    encapsulated, so a `register` prefix does not apply to it), Express routers mounted with
    `app.use("/x", router)`, Hono sub-apps mounted with `app.route("/x", sub)` and base paths
    (`new Hono().basePath("/v2")`, `const api = app.basePath("/api")`), Elysia instances with
    a `prefix` (their own, below every prefix of the instances that `use` them) and groups
    (`app.group("/chat", (app) => app.ws(...))`); followed across files through relative
    imports, `require`s and namespace imports (`ns.router`), default exports included. What
    cannot be read leaves the route unresolved, saying why: a plugin function nothing of the
    tree registers, a router included nowhere while some registration could not be followed
    (autoloaded directories), a prefix or base path that is not a string literal, constructor
    options that are not an object literal, a route registered on what a function of the
    project returns."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.paths = {f.path for f in findings if _is_js(f.path)}
        self.imports: dict[str, dict[str, tuple[str | None, str]]] = defaultdict(dict)
        self.namespaces: dict[str, dict[str, str | None]] = defaultdict(dict)
        self.packages: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
        self.defaults: dict[str, str] = {}
        for finding in findings:
            if finding.fact == JS_IMPORT:
                self._read(finding)
        self.includes = [f for f in findings if f.fact == JS_INCLUDE]
        self.plugins: set[Node] = set()
        self.incoming: dict[Node, list[_JsInclude]] = defaultdict(list)
        # a node's own prefix (an Elysia instance's `prefix` option), or why it is not known
        self.own: dict[Node, tuple[list[str], str | None]] = {}
        # a name given an instance (or a base path of one): the node it stands for
        self.aliases: dict[Node, Node] = {}
        # a Hono app's base path (`app.basePath("/v2")`): the app, the piece, or why not known
        self.derived: dict[Node, tuple[Node, list[str], str | None]] = {}
        # a function written in place (registered, grouped or wrapped): its span, its node
        self.inline: list[tuple[Span, Node]] = []
        # a name of a plugin wrapped by fastify-plugin: the plugin it wraps
        self.wrapped: dict[Node, Node] = {}
        self.unfollowed: list[str] = []
        # apps and routers that register something not followed (they are parents all the same)
        self.mounting: set[Node] = set()
        bases = sorted((f for f in findings if f.fact == JS_BASE), key=lambda f: f.sort_key)
        wraps = sorted((f for f in findings if f.fact == JS_WRAP), key=lambda f: f.sort_key)
        for wrap in wraps:
            self._wrap(wrap)
        for base in bases:
            self._base(base)
        for include in sorted(self.includes, key=lambda f: f.sort_key):
            self._add(include)
        self.parents = {i.parent for found in self.incoming.values() for i in found}
        self.parents |= self.mounting

    def _read(self, finding: Finding) -> None:
        text = finding.text
        default = _JS_DEFAULT.match(text.strip())
        if default is not None:
            self.defaults[finding.path] = default.group(1)
            return
        found = _JS_IMPORT.search(text) or _JS_REQUIRE.search(text)
        if found is None:
            return
        clause, spec = found.group(1).strip(), found.group(2)
        target = _js_module(finding.path, spec, self.paths)
        names = self.imports[finding.path]
        packages = self.packages[finding.path]
        head, brace, rest = clause.partition("{")
        head = head.strip().rstrip(",").strip()
        namespace = re.fullmatch(r"\*\s*as\s+([A-Za-z_$][\w$]*)", head)
        if namespace is not None:
            self.namespaces[finding.path][namespace.group(1)] = target
            if target is None:
                packages[namespace.group(1)] = (spec, "*")
        elif head and _IDENTIFIER.fullmatch(head):
            names[head] = (target, "default")
            if target is None:
                packages[head] = (spec, "default")
        # `{ a as b }` in an import, `{ a: b }` in a require's destructuring
        separator = re.compile(r"\s+as\s+" if found.re is _JS_IMPORT else r"\s*:\s*")
        for entry in rest.split("}")[0].split(",") if brace else []:
            exported, *local = separator.split(entry.strip(), maxsplit=1)
            alias = local[0] if local else exported
            if _IDENTIFIER.fullmatch(exported) and _IDENTIFIER.fullmatch(alias):
                names[alias] = (target, exported)
                if target is None:
                    packages[alias] = (spec, exported)

    def canonical(self, path: str, name: str) -> Node | None:
        """The file and top-level name a name used in `path` stands for (None: a package's),
        through the names given instances (`const app = new Hono().basePath("/v2")`)."""
        if name in self.imports.get(path, {}):
            target, exported = self.imports[path][name]
            if target is None:
                return None
            path, name = target, exported
        if name in ("default", "module.exports"):
            name = self.defaults.get(path, "default")
        node = (path, name)
        seen = {node}
        while node in self.aliases and self.aliases[node] not in seen:
            node = self.aliases[node]
            seen.add(node)
        return node

    def _fastify_plugin(self, path: str, callee: str) -> bool:
        return self.packages.get(path, {}).get(callee, ("", ""))[0] == _FASTIFY_PLUGIN

    def _wrap(self, wrap: Finding) -> None:
        """`const live = fp(plugin)`, `export default fp(async (app) => { ... })`."""
        name = wrap.captures.get("name", "")
        node = (wrap.path, "default" if name in ("default", "module.exports") else name)
        equals = _assignment_value(wrap.text)
        chain = parse(wrap.text[equals:]) if equals is not None else None
        if chain is None or chain.kind != "call" or not chain.arguments or equals is None:
            return
        argument = chain.arguments[0]
        target = self._child(wrap, equals + argument.offset, argument.text)
        if target is not None:
            self.wrapped[node] = target

    def _base(self, base: Finding) -> None:
        """`const api = new Elysia({ prefix: "/api" })...`, `const v2 = app.basePath("/v2")`:
        the name stands for the node at the end of the chain."""
        name = base.captures.get("name", "")
        equals = _assignment_value(base.text)
        chain = parse(base.text[equals:]) if equals is not None else None
        if chain is None or equals is None or not name:
            return
        node, reason = self._root(base, chain, equals)
        if node is None:
            self.own[(base.path, name)] = ([], reason)
            return
        end = self._walk(base, node, chain.links, equals)
        if end != (base.path, name):
            self.aliases[(base.path, name)] = end

    def _root(self, finding: Finding, chain: Chain, offset: int) -> tuple[Node | None, str | None]:
        """The node a chain starting at `offset` of the finding's text is rooted at, or why it
        is not known. A `new` expression is a node of its own (with its own prefix)."""
        path = finding.path
        line, column = _place(finding, offset)
        fresh = (path, f"new@{line}:{column}")
        if chain.kind == "new":
            self._constructed(finding, fresh, chain)
            return fresh, None
        head = chain.names[0]
        if head in self.namespaces.get(path, {}):
            target = self.namespaces[path][head]
            if target is None:  # `import * as uWS from "uWebSockets.js"`; `uWS.App()`
                return fresh, None
            if len(chain.names) == 2:
                return self.canonical(target, chain.names[1]), None
            return None, (
                f"registered on `{'.'.join(chain.names)}` ({_where(finding)}), a value of "
                f"{target} the linking stage does not follow"
            )
        if chain.kind == "call":
            if head in self.packages.get(path, {}) or head in _JS_APP_FACTORIES:
                return fresh, None  # `express()`, `Fastify()`: an app of its own
            return None, (
                f"registered on what `{head}(...)` returns ({_where(finding)}), which the "
                "linking stage does not follow: a prefix it sets is not known"
            )
        if len(chain.names) == 1 and head in self.packages.get(path, {}):
            return fresh, None  # `uWS.App().ws(...)`: a package's factory
        if len(chain.names) == 1:
            return self.canonical(path, head), None
        # `this.app`, `server.router`: a property of an object of this file
        return self.canonical(path, ".".join(chain.names)), None

    def _constructed(self, finding: Finding, node: Node, chain: Chain) -> None:
        """The own prefix of `new Elysia({ prefix })` / `new Router({ prefix })`."""
        cls = chain.names[-1]
        if node in self.own or cls not in _JS_PREFIX_OPTION:
            return
        options = chain.arguments[0].text if chain.arguments else "{}"
        may, expression = option(options, "prefix")
        if not may:
            self.own[node] = ([], None)
        elif expression is None:
            self.own[node] = (
                [],
                f"the options `{_compact(options)}` of `new {cls}(...)` at {_where(finding)} may "
                "set its `prefix` (not an object literal, or spread): not known statically",
            )
        elif (value := literal(expression)) is not None:
            self.own[node] = ([value], None)
        else:
            self.own[node] = (
                [],
                f"prefix `{_compact(expression)}` of `new {cls}(...)` at {_where(finding)} is "
                "not a string literal: computed at run time, not known statically",
            )

    def _walk(self, finding: Finding, node: Node, links: Sequence[Link], offset: int) -> Node:
        """The node after the chain's links: each Hono `basePath(...)` is a node below."""
        for link in links:
            if link.name != "basePath" or link.arguments is None:
                continue
            line, column = _place(finding, offset + link.offset)
            below = (finding.path, f"base@{line}:{column}")
            if below not in self.derived:
                written = link.arguments[0].text if link.arguments else "''"
                value = literal(written)
                reason = (
                    None
                    if value is not None
                    else f"base path `{_compact(written)}` at {_where(finding)} is not a "
                    "string literal: computed at run time, not known statically"
                )
                pieces = [value] if value is not None else []
                self.derived[below] = (node, pieces, reason)
            node = below
        return node

    def _child(self, finding: Finding, offset: int, text: str) -> Node | None:
        """What an argument written at `offset` of the finding's text stands for: a function
        written in place, a name (through imports), a namespace's member, a `require(...)`, an
        instance written in place; None (and said) for anything else."""
        text = text.strip()
        required = _JS_REQUIRE_CALL.fullmatch(text)
        if _JS_FUNCTION.match(text):
            start = _place(finding, offset)
            end = _place(finding, offset + len(text))
            node = (finding.path, f"@{start[0]}:{start[1]}")
            self.inline.append(((*start, *end), node))
            return node
        if _IDENTIFIER.fullmatch(text):
            return self.canonical(finding.path, text)
        if required is not None:
            target = _js_module(finding.path, required.group(1), self.paths)
            return self.canonical(target, "default") if target else None
        chain = parse(text)
        if (
            chain is not None
            and chain.kind in ("name", "call")
            and chain.names[0] in self.packages.get(finding.path, {})
            and (chain.kind == "call" or any(link.arguments is not None for link in chain.links))
        ):
            return None  # a package's middleware (`express.static("public")`, `cors()`)
        # an instance written in place (`new Elysia({ prefix }).ws(...)`), a member (`ns.router`)
        if chain is not None and (
            chain.kind == "new"
            or (chain.kind == "name" and all(link.arguments is None for link in chain.links))
        ):
            root, reason = self._root(finding, chain, offset)
            if root is not None:
                return self._walk(finding, root, chain.links, offset)
            self.unfollowed.append(f"`{_compact(text)}` at {_where(finding)} ({reason})")
            return None
        self.unfollowed.append(f"`{_compact(text)}` at {_where(finding)}")
        return None

    def _inline(self, finding: Finding) -> Node | None:
        """The innermost function written in place (registered, grouped, wrapped by
        fastify-plugin) that holds `finding`, if any."""
        span = _span(finding)
        holders = [
            (outer, node)
            for outer, node in self.inline
            if node[0] == finding.path and _contains(outer, span)
        ]
        if not holders:
            return None
        return max(holders)[1]

    def _plugin_node(self, finding: Finding) -> Node:
        """The plugin function whose first parameter a route or registration is made on."""
        scope = self._scope(finding)
        self.plugins.add(scope)
        return scope

    def _scope(self, finding: Finding) -> Node:
        scope = finding.captures.get("scope")
        if scope is None:
            node = self._inline(finding) or (finding.path, "default")
        else:
            node = (finding.path, "default" if scope == "module.exports" else scope)
        if node[1] == "default":
            node = (node[0], self.defaults.get(node[0], "default"))
        return node

    def place(self, finding: Finding) -> tuple[Node | None, str | None, Chain | None]:
        """The node a route or registration is made on (the end of its receiver's chain), or
        why it is not known; and the chain (whose last link is the registration)."""
        chain = parse(finding.text)
        if chain is None or not chain.links:
            return None, None, None
        if "plugin" in finding.captures:
            node: Node | None = self._plugin_node(finding)
            reason = None
        else:
            node, reason = self._root(finding, chain, 0)
        if node is None:
            return None, reason, chain
        return self._walk(finding, node, chain.links[:-1], 0), None, chain

    def _add(self, include: Finding) -> None:
        captures = include.captures
        parent, reason, chain = self.place(include)
        if chain is None:
            return
        registration = chain.links[-1]
        arguments = registration.arguments or ()
        if not arguments:
            return
        # the child: `register(plugin, opts)`'s first argument, the last one of `use`, `route`,
        # `group` and `mount`
        argument = arguments[0] if registration.name == "register" else arguments[-1]
        mounted = parse(argument.text) if registration.name == "all" else None
        if mounted is not None and mounted.kind == "call" and mounted.arguments:
            # Hono's mount middleware: `all("/x/*", mount(sub.fetch))`
            argument = Argument(
                mounted.arguments[0].text, argument.offset + mounted.arguments[0].offset
            )
        if registration.name in ("mount", "all"):
            # Hono/Elysia `mount("/x", sub.fetch)`: the app whose handler is mounted, its
            # routes below the mount's path
            handler = re.fullmatch(r"(.+?)\s*\.\s*(?:fetch|handle)", argument.text, re.S)
            if handler is None:
                self.unfollowed.append(f"`{_compact(argument.text)}` at {_where(include)}")
                return
            argument = Argument(handler.group(1), argument.offset)
        encapsulated = True
        inner = parse(argument.text)
        child: Node | None
        if (
            registration.name == "register"
            and inner is not None
            and inner.kind == "call"
            and self._fastify_plugin(include.path, inner.names[0])
            and inner.arguments
        ):
            # `register(fp(plugin), { prefix })`: not encapsulated, the prefix does not apply
            encapsulated = False
            wrapped = inner.arguments[0]
            child = self._child(include, argument.offset + wrapped.offset, wrapped.text)
        else:
            child = self._child(include, argument.offset, argument.text)
            if registration.name == "register" and child in self.wrapped:
                encapsulated = False
                child = self.wrapped[child]
        if child is None:
            if parent is not None:
                self.mounting.add(parent)  # what it mounts is not followed; it is a parent
            return
        # a sub-app with a base path is mounted whole: its routes keep their base path below
        # the mount (Hono's `route` copies the routes of the app's one router)
        child = self._instance(child)
        if parent is None:
            if reason is not None:
                self.incoming[child].append(_JsInclude(include, child, [], reason))
            return
        pieces: list[str] = []
        unresolved = None
        prefix = captures.get("prefix")
        if not encapsulated:
            pieces = []
        elif prefix is not None and "prefix" in include.dynamic:
            if "(" not in prefix:  # a call before the router is a middleware (`use(auth(), r)`)
                unresolved = (
                    f"prefix `{prefix}` at {_where(include)} is not a literal: computed at run "
                    "time (or a middleware before the router), not known statically"
                )
        elif prefix is not None:
            # a mount middleware's path pattern (`/x/*`) is the prefix it strips
            pieces = [prefix.removesuffix("/*") if registration.name == "all" else prefix]
        self.incoming[child].append(_JsInclude(include, parent, pieces, unresolved))

    def _instance(self, node: Node) -> Node:
        """The app a base path of it (`app.basePath("/v2")`) stands for."""
        seen = {node}
        while node in self.derived and self.derived[node][0] not in seen:
            node = self.derived[node][0]
            seen.add(node)
        return node

    def ways(
        self, node: Node, seen: frozenset[Node] = frozenset()
    ) -> list[tuple[list[str], str | None, Node]]:
        """Every way a client reaches `node`: the prefixes from the top, why they are not
        known, and the app at the top."""
        if node in seen:
            return []  # a registration cycle adds no way in
        if node in self.derived:
            app, pieces, why = self.derived[node]
            return [
                ([*upper, *pieces], reason or why, top)
                for upper, reason, top in self.ways(app, seen | {node})
            ]
        own, own_reason = self.own.get(node, ([], None))
        out: list[tuple[list[str], str | None, Node]] = []
        for include in self.incoming.get(node, []):
            if include.parent == node:  # a registration on what cannot be followed
                out.append(([], include.unresolved, node))
                continue
            for upper, reason, top in self.ways(include.parent, seen | {node}):
                why = reason or include.unresolved or own_reason
                out.append(([*upper, *include.pieces, *own], why, top))
        if out or self.incoming.get(node):
            return out
        unfollowed = (
            "; these registrations could not be followed: " + ", ".join(self.unfollowed)
            if self.unfollowed
            else ""
        )
        if node in self.plugins:
            reason = (
                f"registered on the parameter of plugin `{node[1]}` ({node[0]}), which no "
                "`register(...)` of the files scanned registers: its prefix is given where it "
                "is registered" + unfollowed
            )
            return [([], reason, node)]
        if self.unfollowed and node not in self.parents:
            reason = f"`{node[1]}` ({node[0]}) is mounted nowhere in the files scanned" + unfollowed
            return [([], reason, node)]
        # an app of its own: reached as it declares itself, below its own prefix
        return [(own, own_reason, node)]

    def link(self, finding: Finding) -> list[Finding]:
        route = finding.captures.get("route")
        captures = {k: v for k, v in finding.captures.items() if k != "plugin"}
        if route is None:
            return [finding.model_copy(update={"captures": captures})]
        if "route" in finding.dynamic:
            return [_computed_route(finding.model_copy(update={"captures": captures}), route)]
        node, reason, _ = self.place(finding)
        ways = self.ways(node) if node is not None else [([], reason, (finding.path, ""))]
        reasons = sorted({r for _, r, _ in ways if r})
        captures.pop("route")
        if reasons:
            captures["declared_route"] = route
            captures["route_unresolved"] = "; ".join(reasons)
            marked = tuple(sorted({*finding.unresolved, "route"}))
            return [
                finding.model_copy(
                    update={"captures": dict(sorted(captures.items())), "unresolved": marked}
                )
            ]
        out = []
        for full in sorted({join_route([*upper, route]) for upper, _, _ in ways}):
            linked = dict(captures, route=full, declared_route=route)
            out.append(finding.model_copy(update={"captures": dict(sorted(linked.items()))}))
        return out

    def tops(self, node: Node | None) -> set[Node]:
        if node is None:
            return set()
        return {top for _, _, top in self.ways(node)}

    def bun_served(self, server: Finding, routes: Sequence[Finding]) -> Finding | None:
        """`Bun.serve({ fetch: app.fetch, websocket })`: the connections are upgraded by the
        app's `upgradeWebSocket` routes, which are the endpoints; the server is served by them."""
        fetch = server.captures.get("fetch", "")
        if not fetch.endswith(".fetch"):
            return None
        app = self.canonical(server.path, fetch.removesuffix(".fetch").strip())
        if app is None:
            return None
        apps = self.tops(app)
        serving = [
            r for r in routes if "upgradeWebSocket" in r.text and apps & self.tops(self.place(r)[0])
        ]
        if not serving:
            return None
        places, reached = [], []
        for route in sorted(serving, key=lambda f: f.sort_key):
            places.append(_where(route))
            linked = self.link(route)
            reached.append(
                "route not resolved"
                if any("route" not in f.captures for f in linked)
                else ", ".join(f.captures["route"] for f in linked)
            )
        captures = dict(
            server.captures,
            served_by=", ".join(places),
            served_route="; ".join(reached),
            served_through=fetch,
        )
        return server.model_copy(
            update={"fact": SERVED, "captures": dict(sorted(captures.items()))}
        )


# endpoints whose route is the path a request handler checks (Bun, Deno, a Cloudflare Workers
# WebSocketPair, koa-easy-ws), or an `upgrade` handler hands connections to (`ws` with
# `noServer`): without a route the rules read, it is unresolved, never taken as absent
_HANDLER_ROUTED = {
    "js-websocket-upgrade": (
        "the upgrade happens in a request handler that routes requests itself (Bun.serve's "
        "`fetch`, Deno, a Cloudflare Workers `WebSocketPair`), and the path it checks is not "
        "read (the rules read `if (url.pathname === '/x')` and an early return on any other path)"
    ),
    "koa-websocket-route": (
        "the upgrade happens in a Koa middleware without a route (koa-websocket's `app.ws.use` "
        "of a plain middleware, koa-easy-ws `ctx.ws()`), and the paths it serves are not read"
    ),
}
_NO_SERVER = re.compile(r"\bnoServer\s*:\s*true\b")


def _routed_by_handler(finding: Finding) -> str | None:
    """Why an endpoint's route is not known when it is the path a handler checks."""
    if "route" in finding.captures or not _is_js(finding.path):
        return None
    for rule, why in _HANDLER_ROUTED.items():
        if finding.rule_id.endswith(rule):
            return why
    if finding.rule_id.endswith("js-ws-server") and _NO_SERVER.search(finding.text):
        return (
            "a `noServer` server: an `upgrade` handler hands it the connections "
            "(`handleUpgrade`), and the path that handler checks is not read"
        )
    return None


def _handler_route(finding: Finding, why: str) -> Finding:
    captures = dict(finding.captures, route_unresolved=why)
    marked = tuple(sorted({*finding.unresolved, "route"}))
    return finding.model_copy(
        update={"captures": dict(sorted(captures.items())), "unresolved": marked}
    )


JS_SOCKETIO_PATH = "js-socketio-path"
_PATH_OPTION = re.compile(r"\bpath\s*:")


def _socketio_paths(findings: Sequence[Finding]) -> list[Finding]:
    """socket.io servers created without a `path` whose file sets one afterwards (`io.attach(
    server, { path })`, `io.listen(port, { path })`, `io.path("/rt")`): the file's one server
    takes the one literal path set; otherwise (two servers, two paths, options it cannot read)
    the route is unresolved, never the default `/socket.io`."""
    set_in: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.fact == JS_SOCKETIO_PATH:
            set_in[finding.path].append(finding)
    if not set_in:
        return list(findings)

    def defaulted(finding: Finding) -> bool:
        return (
            finding.fact == ENDPOINT
            and finding.rule_id.endswith("js-socketio-server")
            and finding.path in set_in
            and _PATH_OPTION.search(finding.text) is None
        )

    servers = Counter(f.path for f in findings if defaulted(f))
    out = []
    for finding in findings:
        if not defaulted(finding):
            out.append(finding)
            continue
        pieces = sorted(set_in[finding.path], key=lambda f: f.sort_key)
        readable = [p for p in pieces if "path" in p.captures and "path" not in p.dynamic]
        if servers[finding.path] == 1 and len(pieces) == 1 and readable:
            captures = dict(finding.captures, route=readable[0].captures["path"])
            out.append(finding.model_copy(update={"captures": dict(sorted(captures.items()))}))
            continue
        places = ", ".join(f"`{p.captures.get('path', '')}` at {_where(p)}" for p in pieces)
        captures = {k: v for k, v in finding.captures.items() if k != "route"}
        captures["route_unresolved"] = (
            f"the engine.io path is set after the server is created ({places}), and which "
            "server or which path it sets is not known statically"
        )
        marked = tuple(sorted({*finding.unresolved, "route"}))
        out.append(
            finding.model_copy(
                update={"captures": dict(sorted(captures.items())), "unresolved": marked}
            )
        )
    return out


def link(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """The findings with every endpoint's full route, without the routing pieces."""
    findings = _socketio_paths(_Constants(findings).read(findings))
    linker = _Linker(findings)
    routes = _JsRoutes(findings)
    js_routes = [f for f in findings if f.fact == ENDPOINT and _routed_in_js(f)]
    out: list[Finding] = []
    gateways: list[Finding] = []
    for finding in findings:
        if finding.fact == ATTACH and finding.key in linker.attached:
            out.extend(linker.link(linker.attached[finding.key]))
            continue
        if finding.fact == FALCON_ROUTE and finding.key in linker.falcon_routes:
            out.extend(linker.link(linker.falcon_routes[finding.key]))
            continue
        if finding.fact == FALCON_RESOURCE and finding.key in linker.falcon_unrouted:
            out.append(linker.falcon_unrouted[finding.key])
            continue
        if finding.fact in PIECES:
            continue
        if endpoints := linker.serving(finding):
            out.append(linker.served(finding, endpoints))
            continue
        if finding.fact == ENDPOINT and _routed_in_js(finding):
            out.extend(routes.link(finding))
        elif finding.fact == ENDPOINT and (bun := routes.bun_served(finding, js_routes)):
            out.append(bun)
        elif finding.fact == ENDPOINT and (why := _routed_by_handler(finding)):
            out.append(_handler_route(finding, why))
        elif finding.fact == FRONTEND_CLIENT:
            out.append(frontend_client(finding))
        elif finding.fact == CLIENT and finding.rule_id.endswith(_PYTHON_SOCKETIO_CLIENTS):
            out.append(python_socketio_client(finding))
        elif finding.fact == CLIENT:
            out.append(python_client(finding))
        elif finding.fact == ENDPOINT and "gateway" in finding.captures:
            gateways.append(linker.nest.link(finding))
        elif finding.fact == ENDPOINT and (engine := linker.unserved_engine(finding)):
            out.append(engine)
        else:
            out.extend(linker.link(finding) if finding.fact == ENDPOINT else [finding])
    out.extend(_nest_shared(gateways))
    # one construct matched twice alike (a `WebSocketRoute` inside two `Mount`s written in place
    # is inside each): one fact, counted once (the first message in order is kept)
    unique: dict[tuple[FindingKey, tuple[tuple[str, str], ...]], Finding] = {}
    for finding in sorted(out, key=lambda f: (f.sort_key, f.message)):
        unique.setdefault(_linked(finding), finding)
    return tuple(unique.values())


def _linked(finding: Finding) -> tuple[FindingKey, tuple[tuple[str, str], ...]]:
    """A finding as linking made it: which one, and the captures (the full route) it got."""
    return finding.key, tuple(sorted(finding.captures.items()))


def link_base(
    head: Sequence[Finding],
    head_linked: Sequence[Finding],
    base_of_changed: Sequence[Finding],
    changed_paths: Collection[str],
) -> tuple[tuple[Finding, ...], set[str]]:
    """The base's findings to compare with, linked with the base's files: those of the changed
    files, and those of unchanged files whose routes the change moved (a prefix changed in
    `main.py` moves the endpoints of an untouched router); and the paths of the latter.
    `head` and `base_of_changed` are as the scan found them, `head_linked` is `link(head)`."""
    unchanged = [f for f in head if f.path not in changed_paths]
    linked = link([*unchanged, *base_of_changed])
    # linking moves endpoints only: the other facts of an unchanged file are the same objects
    # in both (and no endpoint is another fact: their rules differ)
    # (and the servers they serve, whose `served_route` follows; and the clients, Python and
    # frontend, and namespaces whose values are constants of another module, which the change
    # may edit)
    moves = {ENDPOINT, SERVED, CLIENT, FRONTEND_CLIENT, NAMESPACE}
    at_head = {_linked(f) for f in head_linked if f.fact in moves and f.path not in changed_paths}
    at_base = {_linked(f) for f in linked if f.fact in moves and f.path not in changed_paths}
    moved = {path for (_, path, _, _), _ in at_head ^ at_base}
    kept = tuple(f for f in linked if f.path in changed_paths or f.path in moved)
    return kept, moved

"""The import statements of the files that need them, as facts for the linking stage:
`app.include_router(ws_router)` is followed to the file `from backend.api.ws import router as
ws_router` names, and `@router.websocket(WS_PATH)` to the constant `from app.settings import
WS_PATH` names.

Only files with an inclusion, an endpoint registered on a named router, a Socket.IO app or an
`attach(...)`, or a fact with a value written as an expression (a name that may be an imported
constant) are read (a handful per repository). A semgrep rule for imports costs time in
proportion to a file's imports times its statements, which a 3,000-file tree showed plainly.
Python files are read with Python's own parser (`python-import`); TypeScript/JavaScript files
by their ES `import` declarations (`js-import`), comments left out.

Each file's facts depend on that file alone (its bytes and its own findings), so the facts
store keeps them with the file's other facts.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from pattern_verify.models import Finding

FACT = "python-import"
JS_FACT = "js-import"
# what makes a file name routers: an inclusion, an endpoint registered on a named router, or a
# Socket.IO app serving a server by name (`socketio.ASGIApp(sio)`, `sio.attach(app)`, `sio`
# imported)
INCLUSION = "route-include"
ATTACH = "socketio-attach"
ENDPOINT = "websocket-endpoint"
_PYTHON = (".py", ".pyi")
_JS = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts")
# comments (block, then line), and strings kept whole so that a `//` in one is no comment
_JS_NOISE = re.compile(
    r"""/\*.*?\*/|//[^\n]*|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)""", re.S
)
# an ES import declaration with bindings: default, `* as ns`, `{ a, b as c }`
_JS_IMPORT = re.compile(
    r"""^[ \t]*import\s+(?!type\s+[{*\w])
    (?P<bindings>[\w$]+\s*(?:,\s*(?:\*\s*as\s+[\w$]+|\{[^}]*\}))?|\*\s*as\s+[\w$]+|\{[^}]*\})
    \s*from\s*(?P<q>["'])(?P<module>[^"'\n]+)(?P=q)""",
    re.M | re.X,
)
# Falcon's `app.add_route(path, resource)`: the resource's class may be in another file
FALCON_ROUTE = "falcon-route"
# a construct whose routes are not followed (`bp.copy(...)`): what it copies may be imported
UNFOLLOWED = "route-unfollowed"
# JS/TS routing (`js-route-include`, a route registered on a receiver): what a name of such a
# file stands for also comes from `require` declarations and the file's default export
JS_INCLUDE = "js-route-include"
# a name given an app with a prefix (`js-route-base`), a plugin wrapped by fastify-plugin
# (`js-plugin-wrap`): what they name may be imported
JS_PIECES = frozenset({JS_INCLUDE, "js-route-base", "js-plugin-wrap"})
_JS_REQUIRE = re.compile(
    r"""^[ \t]*(?:export\s+)?(?:const|let|var)\s+[^=;]+?=\s*require\(\s*(["'])[^"'\n]+\1\s*\)""",
    re.M,
)
_JS_DEFAULT = re.compile(
    r"^[ \t]*(?:(?:export\s+default|module\.exports\s*=)\s*[A-Za-z_$][\w$]*[ \t]*;?[ \t]*$"
    # `export default async function tickerRoutes(app) {`: the function's name
    r"|export\s+default\s+(?:async\s+)?function\b\s*\*?\s*[A-Za-z_$][\w$]*)",
    re.M,
)


# the captures the linking stage may read from a constant of another module (link.py `_VALUES`;
# a frontend client's `target` also when a template literal holds such a name)
VALUES = frozenset({"route", "prefix", "socketio_path", "url", "target", "namespace", "path"})


def _routes_in_js(finding: Finding) -> bool:
    return finding.path.endswith(_JS) and (
        finding.fact in JS_PIECES or (finding.fact == ENDPOINT and "router" in finding.captures)
    )


def _reads_imports(finding: Finding) -> bool:
    if VALUES.intersection(finding.dynamic):
        return finding.path.endswith(_PYTHON + _JS)
    if _routes_in_js(finding):
        return True
    if not finding.path.endswith(_PYTHON):
        return False
    return finding.fact in (INCLUSION, ATTACH, FALCON_ROUTE, UNFOLLOWED) or (
        finding.fact == ENDPOINT and ("router" in finding.captures or "server" in finding.captures)
    )


def _python_imports(path: str, data: bytes) -> list[Finding]:
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError):
        return []
    out: list[Finding] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        out.append(
            Finding(
                rule_id=FACT,
                fact=FACT,
                path=path,
                line=node.lineno,
                end_line=node.end_lineno or node.lineno,
                column=node.col_offset + 1,
                end_column=(node.end_col_offset or 0) + 1,
                message="Import statement of a file that routes (read by the linking stage).",
                text=ast.unparse(node),
            )
        )
    return out


def _blank(match: re.Match[str]) -> str:
    """A comment as blanks (its line breaks kept, so lines stay where they were); a string as
    it was."""
    if match.group(1) is not None:
        return match.group(0)
    return re.sub(r"[^\n]", " ", match.group(0))


def _js_imports(path: str, data: bytes) -> list[Finding]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []
    code = _JS_NOISE.sub(_blank, text)
    out: list[Finding] = []
    for match in _JS_IMPORT.finditer(code):
        line = code.count("\n", 0, match.start()) + 1
        end_line = code.count("\n", 0, match.end()) + 1
        out.append(
            Finding(
                rule_id=JS_FACT,
                fact=JS_FACT,
                path=path,
                line=line,
                end_line=end_line,
                message="ES import declaration (read by the linking stage).",
                text=" ".join(f"import {match.group(0).split('import', 1)[1]}".split()),
            )
        )
    # `const feeds = require("./feeds")`, `export default router`, `module.exports = router`
    for match in (*_JS_REQUIRE.finditer(code), *_JS_DEFAULT.finditer(code)):
        line = code.count("\n", 0, match.start()) + 1
        end_line = code.count("\n", 0, match.end()) + 1
        out.append(
            Finding(
                rule_id=JS_FACT,
                fact=JS_FACT,
                path=path,
                line=line,
                end_line=end_line,
                message="`require` declaration or default export (read by the linking stage).",
                text=" ".join(match.group(0).split()),
            )
        )
    return sorted(out, key=lambda f: f.sort_key)


def import_facts(findings: Iterable[Finding], locate: Callable[[str], Path]) -> list[Finding]:
    """`python-import` and `js-import` facts of the files among `findings` that need them, each
    read from `locate(path)`. A file that cannot be read or parsed adds none (semgrep reports
    it)."""
    out: list[Finding] = []
    for path in sorted({f.path for f in findings if _reads_imports(f)}):
        try:
            data = locate(path).read_bytes()
        except OSError:
            continue
        out.extend(
            _python_imports(path, data) if path.endswith(_PYTHON) else _js_imports(path, data)
        )
    return out

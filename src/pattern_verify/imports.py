"""The import statements of the Python files that route, read with Python's own parser, as
`python-import` facts for the linking stage: `app.include_router(ws_router)` is followed to the
file `from backend.api.ws import router as ws_router` names.

Only files with an inclusion, an endpoint registered on a named router, a Socket.IO app or an
`attach(...)` are read (a handful per repository). A semgrep rule for imports costs time in
proportion to a file's imports times its statements, which a 3,000-file tree showed plainly.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from pathlib import Path

from pattern_verify.models import Finding

FACT = "python-import"
# what makes a file name routers: an inclusion, an endpoint registered on a named router, or a
# Socket.IO app serving a server by name (`socketio.ASGIApp(sio)`, `sio.attach(app)`, `sio`
# imported)
INCLUSION = "route-include"
ATTACH = "socketio-attach"
ENDPOINT = "websocket-endpoint"


def _routes_by_name(finding: Finding) -> bool:
    if not finding.path.endswith((".py", ".pyi")):
        return False
    return finding.fact in (INCLUSION, ATTACH) or (
        finding.fact == ENDPOINT and ("router" in finding.captures or "server" in finding.captures)
    )


def import_facts(findings: Iterable[Finding], locate: Callable[[str], Path]) -> list[Finding]:
    """`python-import` facts of the files among `findings` that name routers, each read from
    `locate(path)`. A file that cannot be read or parsed adds none (semgrep reports it)."""
    out: list[Finding] = []
    for path in sorted({f.path for f in findings if _routes_by_name(f)}):
        try:
            tree = ast.parse(locate(path).read_bytes())
        except (OSError, SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            text = ast.unparse(node)
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
                    text=text,
                )
            )
    return out

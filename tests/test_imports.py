"""The import statements read for the linking stage (`python-import`, `js-import` facts): which
files are read, and what an ES import declaration is read as."""

from __future__ import annotations

from pathlib import Path

from pattern_verify.imports import import_facts
from pattern_verify.models import Finding

SERVER_TS = """import { createServer } from "node:http";
import type { Options } from "./types";
// import { OLD_PATH } from "./old";
/* import { BLOCK } from "./block"; */
import {
  MAP_PATH,
  METRICS_PATH as METRICS, // ops
} from "./config";
import * as cfg from './cfg';
const note = "// import { NOT } from './not'";
"""


def endpoint(path: str, captures: dict[str, str], dynamic: tuple[str, ...]) -> Finding:
    return Finding(
        rule_id="r",
        fact="websocket-endpoint",
        path=path,
        line=1,
        end_line=1,
        message="m",
        captures=captures,
        dynamic=dynamic,
    )


def test_a_file_with_a_value_written_as_a_name_has_its_imports_read(tmp_path: Path) -> None:
    (tmp_path / "server.ts").write_text(SERVER_TS)
    (tmp_path / "live.py").write_text("from app.settings import WS_PATH\n")
    (tmp_path / "literal.ts").write_text('import { X } from "./x";\n')
    found = import_facts(
        [
            endpoint("server.ts", {"route": "MAP_PATH"}, ("route",)),
            endpoint("live.py", {"route": "WS_PATH"}, ("route",)),
            # a literal route: nothing to follow
            endpoint("literal.ts", {"route": "/ws"}, ()),
        ],
        tmp_path.joinpath,
    )
    assert [(f.fact, f.path, f.line, f.text) for f in found] == [
        ("python-import", "live.py", 1, "from app.settings import WS_PATH"),
        ("js-import", "server.ts", 1, 'import { createServer } from "node:http"'),
        (
            "js-import",
            "server.ts",
            5,
            'import { MAP_PATH, METRICS_PATH as METRICS, } from "./config"',
        ),
        ("js-import", "server.ts", 9, "import * as cfg from './cfg'"),
    ]


def piece(fact: str, path: str) -> Finding:
    return Finding(rule_id=fact, fact=fact, path=path, line=1, end_line=1, message="m")


def test_a_js_file_that_names_an_app_or_wraps_a_plugin_has_its_imports_and_default_read(
    tmp_path: Path,
) -> None:
    """A name given an app with a prefix (`js-route-base`) or a plugin wrapped by
    fastify-plugin (`js-plugin-wrap`) may be imported, and a plugin may be the file's default
    export written as a named function."""
    (tmp_path / "metrics.ts").write_text(
        "import fp from 'fastify-plugin'\nimport { live } from './live'\n"
        "export const metrics = fp(live)\n"
    )
    (tmp_path / "ticker.ts").write_text(
        "import type { FastifyInstance } from 'fastify'\n\n"
        "export default async function tickerRoutes(app: FastifyInstance) {}\n"
    )
    found = import_facts(
        [piece("js-plugin-wrap", "metrics.ts"), piece("js-route-base", "ticker.ts")],
        tmp_path.joinpath,
    )
    assert [(f.path, f.line, f.text) for f in found] == [
        ("metrics.ts", 1, "import fp from 'fastify-plugin'"),
        ("metrics.ts", 2, "import { live } from './live'"),
        ("ticker.ts", 3, "export default async function tickerRoutes"),
    ]

"""Rules rewritten so that semgrep's prefilter can skip files find exactly what they found before.

semgrep decides per file and rule whether to parse and match at all from literals it extracts
from the rule: a name in a pattern counts as present when it occurs as a SUBSTRING anywhere
(every `publish_to_agent_channel` holds "publish", every `router` "route"), while a
`metavariable-regex` on a name is used as written. The rewritten rules match method names
with word-bounded regexes (`^\\b(publish|spublish)\\b$`): the same matches, fewer files.

tests/fixtures/rules-before/ keeps each rewritten rule as it was before (copied from
rules/websocket-gateway at f46b7b5). Both versions run over every corpus project, the example
platform, the rules' own test files and generated stress files (import aliases, re-exports,
constant getattr, names that only contain the method names, files of several megabytes and
one with a 300,000-character word, where a regex limit could drop a match), on both of
semgrep's CLIs, and must report the same findings: rule, file, range and message (the message
carries the captures).
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLE, FIXTURES, REPO_ROOT, write_files

from pattern_verify import scan

BEFORE = FIXTURES / "rules-before"
PACK = REPO_ROOT / "rules" / "websocket-gateway"
CORPUS = REPO_ROOT / "tests" / "corpus"

# one of each construct the rewritten rules report, aliased where Python allows it, and the
# words that merely contain their names; `{n}` keeps every repetition distinct
BLOCK = """
import redis
from redis import publish
from backend.infrastructure import websocket_abstraction
from backend.infrastructure import websocket_abstraction as wsa
from backend.infrastructure.registry import get_abstraction as fetch
from backend.smart_city.services.post_office.websocket_gateway_service import (
    WebSocketGatewayService as G,
)
import backend.smart_city.services.post_office.websocket_gateway_service as gws
from flask_sock import Sock

GATEWAY_CLASS = "WebSocket" + "GatewayService"
CHANNEL_{n} = "updates-{n}"
sock = Sock()


class Owner{n}:
    def start(self, class_name):
        self.gateway = G(self)
        self.other = gws.WebSocketGatewayService(self)
        self.third = G.create()
        self.fourth = getattr(gws, "WebSocketGatewayService")(self)
        self.fifth = getattr(gws, GATEWAY_CLASS)(self)
        self.sixth = getattr(gws, class_name)(self)
        self.helper = safe_getattr(gws, class_name)(self)
        self.ws = self.websocket_abstraction
        self.db = self.container.get_database_abstraction()
        wsa.send("hello")
        websocket_abstraction.send("hello")
        self.registry.get_abstraction("websocket")
        fetch(name="websocket")
        self.infrastructure_abstractions.refresh()

    async def fan_out(self, message):
        await self.redis.publish(CHANNEL_{n}, message)
        await self.redis.spublish("shard-{n}", message)
        await self.broker.publish(channel="events-{n}", payload=message)
        publish("direct-{n}", message)
        await self.post_office.publish_to_agent_channel("agent", message)
        await self.pubsub.subscribe(CHANNEL_{n})
        await self.pubsub.psubscribe("pattern-*")
        await self.pubsub.subscribe(channel="events-{n}")
        await self.pubsub.unsubscribe(CHANNEL_{n})
        self.events.subscribe(lambda event: event)
        for conn in self.connections:
            await conn.send_text(message)
        for sender in self.senders:
            sender.sender(message)


def make_gateway_{n}():
    return WebSocketGatewayService(None)


@sock.route("/ws/{n}")
def echo_{n}(ws):
    ws.send(ws.receive())


@sock.route("/bp/{n}", bp=blueprint)
def on_blueprint_{n}(ws):
    ws.send("x")


@router.get("/routes/{n}")
def not_a_socket_{n}():
    return {{"router": "route"}}


@router.websocket("/ws/{n}")
async def socket_{n}(websocket):
    await websocket.accept()


@app.websocket_route(path="/socket-route/{n}")
async def socket_route_{n}(websocket):
    await websocket.accept()


from litestar import websocket


@websocket("/litestar/{n}")
async def litestar_{n}(socket):
    await socket.send_text("hi")
"""

# only words that contain the rules' names: neither version may report anything here
WORDS_ONLY = """
from backend.api import websocket_gateway_router


class Publisher:
    def __getattr__(self, name):
        return safe_getattr(self.inner, name)

    def republish(self, router, sender):
        self.publish_to_agent_channel(router.routes, sender.senders)
        self.unsubscribe_all(self.infrastructure_abstractions)
        return self.websocket_abstraction_registry
"""


def _block(n: int) -> str:
    return BLOCK.format(n=n)


def stress_files() -> dict[str, str]:
    """Generated targets: aliases and look-alikes once, then files large enough for regex
    limits to matter (semgrep's PCRE gives up past a million steps, and a prefilter that gives
    up skips the file). Their bulk is comments full of look-alike words: the prefilters read
    every byte, while semgrep's matching stays cheap (megabytes of code take minutes)."""
    line = (
        "# the router republishes to publish_to_agent_channel; a sender resubscribes "
        "the infrastructure_abstractions via safe_getattr and __getattr__\n"
    )
    # facts at the start and past the third megabyte
    big = _block(0) + line * (3_000_000 // len(line)) + _block(1)
    # the tool's own limit: files up to 1,000,000 bytes are scanned; facts at the very end
    at_limit = line * ((999_000 - len(_block(2).encode())) // len(line)) + _block(2)
    # a single 300,000-character word before the facts (a hex blob, a minified table)
    long_word = 'BLOB = "' + "a1" * 150_000 + '"\n' + _block(3)
    return {
        "stress/aliases.py": _block(0),
        "stress/words_only.py": WORDS_ONLY,
        "stress/big.py": big,
        "stress/at_limit.py": at_limit,
        "stress/long_word.py": long_word,
    }


def _rules_before() -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    for path in sorted(BEFORE.glob("*.yaml")):
        rules += yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]
    return rules


def _rules_now(ids: set[str]) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    for path in sorted(PACK.glob("*.yaml")):
        rules += [r for r in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]]
    return [r for r in rules if r["id"] in ids]


def _targets(stress_root: Path) -> list[Path]:
    roots = [*sorted(p.parent for p in CORPUS.glob("*/expected.json")), EXAMPLE, PACK, stress_root]
    return sorted(
        path for root in roots for path in root.rglob("*") if path.suffix in (".py", ".pyi")
    )


def _findings(
    rules: list[dict[str, Any]], targets: list[Path], engine: str, work: Path, label: str
) -> tuple[list[tuple[Any, ...]], list[str]]:
    config = work / f"{label}.json"
    config.write_text(json.dumps({"rules": rules}), encoding="utf-8")
    command = [
        *scan.scan_command("native" if engine == "native" else "python"),
        # the stress files are larger than semgrep's default target limit, and a loaded
        # machine must not turn a slow match into a missing one
        "--max-target-bytes=0",
        "--timeout=0",
        "--config",
        str(config),
        "--",
        *map(str, targets),
    ]
    proc = subprocess.run(command, capture_output=True, text=True, check=False, cwd=work)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    output = json.loads(proc.stdout)
    findings = sorted(
        (
            r["check_id"],
            r["path"],
            r["start"]["offset"],
            r["end"]["offset"],
            " ".join(r["extra"]["message"].split()),
            json.dumps(r["extra"].get("metadata", {}), sort_keys=True),
        )
        for r in output["results"]
    )
    errors = sorted(json.dumps(e, sort_keys=True) for e in output["errors"])
    return findings, errors


@pytest.mark.parametrize("engine", ["native", "python"])
def test_rewritten_rules_find_what_they_found_before(engine: str, tmp_path: Path) -> None:
    before = _rules_before()
    ids = {r["id"] for r in before}
    now = _rules_now(ids)
    assert sorted(r["id"] for r in now) == sorted(ids), "a rewritten rule left the pack"
    assert now != before, "the fixture is the pack itself: nothing was rewritten"
    stress = tmp_path / "targets"
    write_files(stress, stress_files())
    targets = _targets(stress)

    old, old_errors = _findings(before, targets, engine, tmp_path, "before")
    new, new_errors = _findings(now, targets, engine, tmp_path, "after")

    assert old_errors == new_errors == []
    assert new == old
    # not vacuous: every rewritten rule reports something, in every stress file, as often
    # in the large ones as their blocks of facts say
    assert {f[0] for f in new} == ids
    per_file: dict[str, Counter[str]] = {}
    for f in new:
        per_file.setdefault(Path(f[1]).name, Counter())[f[0]] += 1
    one_block = per_file["aliases.py"]
    assert set(one_block) == ids
    assert per_file["big.py"] == one_block + one_block
    assert per_file["at_limit.py"] == one_block
    assert per_file["long_word.py"] == one_block
    assert "words_only.py" not in per_file


def test_semgrep_now_skips_files_that_only_contain_the_rules_names(tmp_path: Path) -> None:
    """The point of the rewrite, seen from semgrep: with the rules as they were, a file whose
    only `publish`, `subscribe`, `route`, `send`, `websocket` or `_abstraction` is part of a
    longer name is parsed and matched; now semgrep skips it (`--time` lists no work for it)."""
    before = _rules_before()
    now = _rules_now({r["id"] for r in before})
    write_files(tmp_path, {"words_only.py": WORDS_ONLY})

    def rules_that_ran(rules: list[dict[str, Any]]) -> set[str]:
        config = tmp_path / "rules.json"
        config.write_text(json.dumps({"rules": rules}), encoding="utf-8")
        command = [*scan.scan_command("native"), "--time"]
        command += ["--config", str(config), "--", "words_only.py"]
        proc = subprocess.run(command, capture_output=True, text=True, check=False, cwd=tmp_path)
        timing = json.loads(proc.stdout)["time"]
        ids = [r["id"] if isinstance(r, dict) else r for r in timing["rules"]]
        (target,) = timing["targets"]
        return {
            ids[i]
            for i, (match, parse) in enumerate(
                zip(target["match_times"], target["parse_times"], strict=True)
            )
            if match > 0 or parse > 0
        }

    assert rules_that_ran(before) >= {
        "channel-publish",
        "channel-subscribe",
        "socket-routing-loop",
        "websocket-endpoint-flask-sock",
        "websocket-endpoint-decorator",
        "abstraction-access-by-attribute",
        "gateway-instantiation-in-class",
    }
    assert rules_that_ran(now) == set()

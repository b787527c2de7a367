"""The rules' prefilters in the tool: semgrep is handed only the files and rules that can match,
and every run gives what it gave without them.

The equivalence tests run the tool over every corpus project, the example platform, the rules'
own test files and generated stress files, on both of semgrep's CLIs, once without the
prefilters (`--no-cache`) and once with them (a store that holds the rules' formulas and a
whole scan's run-wide errors, but no file's facts: every file goes through the prefilter), and
compare report, comment and results.json byte for byte.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, REPO_ROOT, commit_all, init_repo, write_files
from test_rules_prefilter import WORDS_ONLY, stress_files

from pattern_verify import facts, prefilter, scan
from pattern_verify.config import ResolvedConfig, load_config
from pattern_verify.prefilter import All, Any_, Idents, Regexp, Unknown, may_hold
from pattern_verify.store import FactsStore

CORPUS = REPO_ROOT / "tests" / "corpus"
PACK = REPO_ROOT / "rules" / "websocket-gateway"
OUTPUTS = ("report.md", "comment.md", "results.json")

# -- the evaluator ----------------------------------------------------------------------------


def test_idents_are_substrings_and_all_must_occur() -> None:
    names = Idents((b"publish", b"redis"))
    assert may_hold(names, b"self.redis.publish_to_agent_channel()")  # substrings, as semgrep
    assert not may_hold(names, b"self.redis.send()")
    assert not may_hold(Idents((b"websocket",)), "WebSocket é".encode())


def test_and_or_and_unknown_nodes() -> None:
    a, b = Idents((b"alpha",)), Idents((b"beta",))
    assert may_hold(All((a, b)), b"alpha beta")
    assert not may_hold(All((a, b)), b"alpha")
    assert may_hold(Any_((a, b)), b"beta")
    assert not may_hold(Any_((a, b)), b"gamma")
    # a node the tool does not know holds on every file, also inside an And
    assert may_hold(Unknown('["Xor", []]'), b"")
    assert may_hold(All((Unknown("?"), Any_((Unknown("?"), a)))), b"nothing")
    assert not may_hold(All((Unknown("?"), a)), b"nothing")


def test_regexps_match_wherever_pcre_could() -> None:
    word = Regexp(r"\b(get_abstraction|fetch)\b")
    assert may_hold(word, b"x = registry.get_abstraction('websocket')")
    assert not may_hold(word, b"x = registry.get_abstractions()")
    # semgrep's PCRE may read \w as ASCII or as Unicode: either way counts
    assert may_hold(word, "éget_abstraction".encode())
    assert may_hold(Regexp(r"^import ws$"), b"x = 1\nimport ws\ny = 2\n")  # ^/$ at lines
    assert may_hold(Regexp(r"a.b"), b"a\nb")  # `.` over a line break
    assert may_hold(Regexp(r"a.b"), "aéb".encode())  # one character of two bytes


def test_lookarounds_are_read_as_pcre_reads_them() -> None:
    # a router module: `APIRouter(` and "routes" are there, a Starlette `Router(` is not
    router = b'"""HTTP routes."""\nrouter = APIRouter(prefix="/api")\n'
    starlette = Regexp(r"(?<![\w])Router\(")
    assert not may_hold(starlette, router)
    assert may_hold(starlette, b"app = Router(routes=routes)")
    assert may_hold(starlette, b"app = starlette.routing.Router(routes=routes)")
    assert not may_hold(Regexp(r"(?<=\.)connect\("), b"connect(url)")
    assert may_hold(Regexp(r"(?<=\.)connect\("), b"ws.connect(url)")
    assert not may_hold(Regexp(r"^(?!test_)\w+_gateway$"), b"test_ws_gateway")
    assert may_hold(Regexp(r"^(?!test_)\w+_gateway$"), b"ws_gateway")


@pytest.mark.parametrize(
    "source",
    [
        r"(unclosed",  # Python cannot compile it
        r"x{2,1}",  # nor this
        r"\Zfoo",  # means something else to PCRE
        r"[[:alpha:]]+zzz",  # a POSIX class
        r"(?i)zzz",  # an inline option
        r"(?<=a|bc)zzz",  # a lookbehind of varying width (PCRE2 reads it, Python cannot)
        r"(?<name>z)zzz",  # a named group, PCRE's way
        r"\p{L}zzz",  # a Unicode property
        r"z{,3}zzz",  # a quantifier or a literal, depending on the PCRE
        "é+zzz",  # not ASCII
    ],
)
def test_a_regex_it_cannot_read_as_pcre_does_passes(source: str) -> None:
    assert may_hold(Regexp(source), b"nothing of it here")


def test_bytes_that_are_not_utf8_pass_a_regex_unless_the_bytes_match() -> None:
    assert may_hold(Regexp(r"\bzzz\b"), b"caf\xe9 au lait")
    assert not may_hold(Regexp(r"\bzzz\b"), b"cafe au lait")
    assert not may_hold(Idents((b"zzz",)), b"caf\xe9")


def test_semgrep_cores_json_is_read_and_anything_else_is_unknown() -> None:
    parsed = prefilter.parse_formula(
        ["And", [["Pred", ["Idents", ["a", "b"]]], ["Or", [["Pred", ["Regexp", "c"]]]]]]
    )
    assert parsed == All((Idents((b"a", b"b")), Any_((Regexp("c"),))))
    for odd in (["Not", [1]], ["And", []], ["Pred", ["Idents", [1]]], "Pred", None):
        assert isinstance(prefilter.parse_formula(odd), Unknown)
    documents = [{"id": "r", "languages": ["python"]}, {"id": "s", "languages": ["ts"]}]
    output = [
        {"rule_id": "r", "filter": ["Some", ["Pred", ["Idents", ["zzz"]]]]},
        {"rule_id": "s", "filter": "None"},
    ]
    found = prefilter.from_output(output, documents, "1.0.0")
    assert found is not None
    assert found.rules_for("a.py", b"zzz") == {"r"}
    assert found.rules_for("a.py", b"") == frozenset()
    assert found.rules_for("a.tsx", b"") == {"s"}  # no formula: runs on all of its language
    assert found.rules_for("a.js", b"") == {"s"}  # JavaScript and TypeScript as one
    # files semgrep leaves out, or one CLI does: handed to it with every rule
    for path in ("a.mts", "a.cts", "a.d.ts", "a.min.js", "a.PY", "Makefile"):
        assert found.rules_for(path, b"") is None
    # anything unexpected: no prefilter at all
    assert prefilter.from_output(output[:1], documents, "1.0.0") is None  # a rule missing
    assert prefilter.from_output({"r": 1}, documents, "1.0.0") is None
    assert prefilter.from_output([{"rule_id": "r", "filter": 3}], documents, "1") is None
    generic = [{"id": "r", "languages": ["generic"]}, documents[1]]
    assert prefilter.from_output(output, generic, "1.0.0") is None
    joined = [{**documents[0], "mode": "join"}, documents[1]]
    assert prefilter.from_output(output, joined, "1.0.0") is None


# -- the store's memo ---------------------------------------------------------------------------


def _identity(config: ResolvedConfig, store: FactsStore, engine: str) -> facts.Identity:
    identity = facts.Identity.of(config, engine, store)
    assert identity is not None
    return identity


def _memo(config: ResolvedConfig, identity: facts.Identity, store: FactsStore, ask: bool) -> Any:
    return prefilter.for_rules(
        config.rule_documents,
        lambda: scan.rules_file_text(config),
        identity.rules,
        identity.semgrep_version,
        store,
        ask=ask,
        core=lambda: scan.semgrep_core(identity.semgrep_version),
    )


def test_the_formulas_are_asked_once_and_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(EXAMPLE)
    store = FactsStore(tmp_path / "store")
    identity = _identity(config, store, "native")
    assert _memo(config, identity, store, ask=False) is None  # a PR run does not ask
    asked: list[str] = []
    real = prefilter.ask_semgrep

    def counted(rules_text: str, core: str | None) -> Any:
        asked.append(identity.semgrep_version if core else "")
        return real(rules_text, core)

    monkeypatch.setattr(prefilter, "ask_semgrep", counted)
    first = _memo(config, identity, store, ask=True)
    assert first is not None and asked == [identity.semgrep_version]
    assert {r.rule_id for r in first.rules} == {d["id"] for d in config.rule_documents}
    store.flush()
    again = FactsStore(tmp_path / "store", writable=False)
    assert _memo(config, identity, again, ask=True) == first and len(asked) == 1
    # a corrupt note is asked again (and replaced); read-only, it is not used
    key = prefilter.memo_key(identity.rules, identity.semgrep_version)
    for n, damaged in enumerate(
        (b"{not json", b'{"format": "x"}', json.dumps({"key": key}).encode())
    ):
        for writable in (True, False):
            directory = tmp_path / f"damaged-{n}-{writable}"
            writer = FactsStore(directory)
            writer.put(key, damaged)
            writer.flush()
            store = FactsStore(directory, writable=writable)
            assert _memo(config, identity, store, ask=True) == (first if writable else None)
    assert len(asked) == 4
    # without a store, or a semgrep-core of the version: none
    assert (
        prefilter.for_rules([], lambda: "", "d", "1.0.0", None, ask=True, core=lambda: None) is None
    )
    assert scan.semgrep_core("0.0.1") is None
    assert prefilter.ask_semgrep(scan.rules_file_text(config), None) is None


# -- what semgrep does with a file no rule's prefilter passes ---------------------------------


@pytest.mark.parametrize("engine", ["native", "python"])
def test_semgrep_reports_a_file_no_rule_passes_scanned_without_a_parse_error(
    engine: str, tmp_path: Path
) -> None:
    """What the scan relies on when it does not hand such a file to semgrep: semgrep does not
    parse it (a syntax error goes unreported) and lists it as scanned."""
    config = load_config(EXAMPLE)
    rules = tmp_path / "rules.json"
    rules.write_text(scan.rules_file_text(config), encoding="utf-8")
    write_files(
        tmp_path,
        {
            "quiet.py": "class Broken(:\n    ))) (((\n    def (\n",
            "quiet.js": "const = = = ;;; {{{\n",
            "loud.py": "import websocket\nclass Broken(:\n    ))) (((\n    def (\n",
        },
    )
    command = [*scan.scan_command(engine), "--config", str(rules), "--"]
    done = subprocess.run(
        [*command, "quiet.py", "quiet.js", "loud.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    output = json.loads(done.stdout)
    assert sorted(output["paths"]["scanned"]) == ["loud.py", "quiet.js", "quiet.py"]
    assert [e["path"] for e in output["errors"]] == ["loud.py"]  # the control: it is parsed
    store = FactsStore(tmp_path / "store")
    memo = _memo(config, _identity(config, store, engine), store, ask=True)
    assert memo.rules_for("quiet.py", (tmp_path / "quiet.py").read_bytes()) == frozenset()
    assert memo.rules_for("quiet.js", (tmp_path / "quiet.js").read_bytes()) == frozenset()
    assert memo.rules_for("loud.py", (tmp_path / "loud.py").read_bytes())


# -- equivalence ------------------------------------------------------------------------------

VUE = """<template><div>{{ status }}</div></template>
<script setup lang="ts">
import {{ ref }} from "vue";
const status = ref("{word}");
{code}
</script>
"""


def prefilter_stress() -> dict[str, str | bytes]:
    """Files at the prefilter's edges: only look-alike words, literals in non-ASCII text,
    syntax errors with and without a literal, bytes that are not UTF-8, components with and
    without a socket, and extensions semgrep (or one of its CLIs) leaves out."""
    files: dict[str, str | bytes] = {
        f"stress/{name}": text
        for name, text in stress_files().items()
        # big.py is over the tool's size limit; at_limit.py costs semgrep a minute here
        if name not in ("stress/big.py", "stress/at_limit.py")
    }
    files |= {
        "stress/words_only_again.py": WORDS_ONLY,
        "stress/unicode.py": (
            '# ünïcödé rund um die Zeile: «websocket»\nvalue = "éget_abstractionü"\n'
            'ws = registry.get_abstraction("websocket")  # 日本語\n'
        ),
        "stress/unicode_words.py": 'title = "Ünïcödé: publish_to_agent_channelé"\n',
        "stress/broken_quiet.py": "class Broken(:\n    ))) (((\n",
        "stress/broken_loud.py": (
            '@router.websocket("/ws")\nasync def ws(websocket):\n    pass\n'
            "class Broken(:\n    )))\n"
        ),
        "stress/broken_quiet.ts": "const = = = ;;; {{{\n",
        "stress/latin1_quiet.py": b"# caf\xe9 au lait\nx = 1\n",
        "stress/latin1_loud.py": b"# caf\xe9\nimport websockets\nwebsockets.serve(h, '', 1)\n",
        "stress/quiet.mts": "export const answer: number = 42;\n",
        "stress/quiet.cts": "export const answer: number = 42;\n",
        "stress/types.d.ts": "export declare const answer: number;\n",
        "stress/vendor.min.js": "var a=1;\n",
        "stress/Quiet.vue": VUE.format(word="websocketless", code="const n = 1;"),
        "stress/Loud.vue": VUE.format(
            word="hi", code='const socket = new WebSocket("wss://example.com/ws");'
        ),
        "stress/Quiet.svelte": "<script>\n  let count = 0;\n</script>\n<p>{count}</p>\n",
        "stress/Loud.svelte": (
            '<script>\n  import { io } from "socket.io-client";\n'
            '  const socket = io("https://example.com/chat");\n</script>\n'
        ),
    }
    return files


def _tree(root: Path) -> None:
    """Every corpus project, the example platform, the rules' own test files and the stress
    files, in one tree (they share the default pack's rules)."""
    for project in sorted(CORPUS.iterdir()):
        if project.is_dir():
            shutil.copytree(project, root / "corpus" / project.name)
    shutil.copytree(EXAMPLE, root / "example")
    shutil.copytree(PACK, root / "rules-tests", ignore=shutil.ignore_patterns("*.yaml", "*.yml"))
    write_files(root, prefilter_stress())


def _outputs(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in OUTPUTS}


def _primed_store(directory: Path, root: Path, engine: str, errors: list[str]) -> None:
    """A store that holds the formulas and a whole scan's run-wide errors, and no file's
    facts: every file of the next run goes through the prefilter."""
    config = load_config(root)
    store = FactsStore(directory)
    identity = _identity(config, store, engine)
    store.put(identity.errors_key, facts._encode(identity.errors_key, None, errors))
    assert _memo(config, identity, store, ask=True) is not None
    store.flush()


@pytest.mark.parametrize("engine", ["native", "python"])
def test_a_prefiltered_run_is_byte_identical_to_one_without(
    engine: str, tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "tree"
    _tree(root)
    flags = ("--engine", engine, "--fail-on", "never", "--output-dir")
    code, _, err = run_cli("run", root, "--no-cache", *flags, tmp_path / "without")
    assert code == 0, err
    without = _outputs(tmp_path / "without")
    store_dir = tmp_path / "store"
    _primed_store(store_dir, root, engine, json.loads(without["results.json"])["scope"]["errors"])

    scans: list[scan.RunningScan] = []
    real_init = scan.RunningScan.__init__

    def watched(self: scan.RunningScan, *args: Any, **kw: Any) -> None:
        real_init(self, *args, **kw)
        scans.append(self)

    monkeypatch.setattr(scan.RunningScan, "__init__", watched)
    code, _, err = run_cli("run", root, "--cache-dir", store_dir, *flags, tmp_path / "with")
    assert code == 0, err
    assert _outputs(tmp_path / "with") == without
    results = without["results.json"].decode("utf-8")
    assert "stress/broken_loud.py" in results  # its parse failure, reported by semgrep
    assert "stress/quiet.mts" in results  # semgrep skips it: not verified, either way

    # what the prefilter did in that run: not vacuous
    (handed,) = scans
    assert handed.prefilters is not None and handed.filtered
    passed = set(handed.passed_over)
    assert handed.paths and len(passed) > 20
    assert {"stress/broken_quiet.py", "stress/broken_quiet.ts"} <= passed
    assert "corpus/fastapi-platform/backend/api/websocket_gateway_router.py" not in passed
    # left to semgrep: what it leaves out (the scan reports those as not verified)
    for kept in ("stress/quiet.mts", "stress/types.d.ts", "stress/vendor.min.js"):
        assert kept not in passed
    assert any("Quiet.vue" in p for p in passed) and any("Quiet.svelte" in p for p in passed)
    assert not any(name in p for p in passed for name in ("Loud.", "_loud.py"))


# -- a pull request that touches nothing the rules look for ------------------------------------


def test_a_pull_request_touching_no_relevant_file_starts_no_semgrep(
    tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    files = {
        path.relative_to(EXAMPLE).as_posix(): path.read_text(encoding="utf-8")
        for path in EXAMPLE.rglob("*")
        if path.is_file()
    }
    repo = init_repo(root, {**files, "app/util.py": "def double(x):\n    return 2 * x\n"})
    cache = tmp_path / "cache"
    # the default branch's run fills the store and notes the formulas
    assert run_cli("run", root, "--cache-dir", cache, "--output-dir", tmp_path / "main")[0] == 0
    repo.git.checkout("-b", "feature")
    write_files(
        root, {"app/util.py": "def double(x):\n    return x + x\n", "app/new.py": "N = 3\n"}
    )
    commit_all(repo, "feature")

    started: list[list[str]] = []
    real_popen = subprocess.Popen

    class Watched(real_popen):  # type: ignore[misc, valid-type]
        def __init__(self, args: Any, *rest: Any, **kw: Any) -> None:
            if isinstance(args, list | tuple) and "semgrep" in Path(str(args[0])).name:
                started.append([str(a) for a in args])
            super().__init__(args, *rest, **kw)

    monkeypatch.setattr(subprocess, "Popen", Watched)
    args = ("run", root, "--base", "main", "--output-dir")
    assert run_cli(*args, tmp_path / "warm", "--cache-dir", cache)[0] == 0
    assert started == []
    # the same bytes as a run without the store, which runs semgrep
    assert run_cli(*args, tmp_path / "cold", "--no-cache")[0] == 0
    assert started
    assert _outputs(tmp_path / "warm") == _outputs(tmp_path / "cold")
    # the engine and version are said though semgrep did not run
    results = json.loads((tmp_path / "warm" / "results.json").read_text(encoding="utf-8"))
    assert results["scope"]["engine"]["semgrep_version"]

    # a change semgrep must see: it starts on that file, with the rules it may match only
    started.clear()
    subsets: list[frozenset[str]] = []
    real_text = scan.rules_file_text

    def recorded(config: ResolvedConfig, only: frozenset[str] | None = None) -> str:
        if only is not None:
            subsets.append(only)
        return real_text(config, only)

    monkeypatch.setattr(scan, "rules_file_text", recorded)
    write_files(root, {"app/new.py": 'N = 3\nws = registry.get_abstraction("websocket")\n'})
    commit_all(repo, "websocket")
    assert run_cli(*args, tmp_path / "warm2", "--cache-dir", cache)[0] == 1
    (command,) = started
    assert command[-1] == "app/new.py"
    (subset,) = subsets
    assert "abstraction-access-by-name" in subset
    assert "js-websocket-client" not in subset


@pytest.mark.parametrize(
    ("source", "content", "expected"),
    [
        (r"a\sb", b"a b", True),
        (r"a\sb", b"a\x1cb", True),  # a space to Unicode classes only: PCRE with UCP matches
        (r"a\Sb", b"a\x1fb", True),  # not a space to the bytes' reading
        (r"a\sb", b"a-b", False),
        (r"\bcaf\w\b", "café".encode(), True),  # a word character to Unicode classes only
        (r"\bcaf\w\b", b"cafe", True),
        (r"\bcaf\w\b", b"cafes", False),
        (r"x\d", "x\u0663".encode(), True),  # an Arabic-Indic digit: a digit under UCP
        (r"x\d", b"xy", False),
    ],
)
def test_a_regex_holds_if_any_reading_of_the_bytes_matches(
    source: str, content: bytes, expected: bool
) -> None:
    # plain ASCII is searched once, as bytes; anything else under each of the three readings
    assert may_hold(Regexp(source), content) is expected
    # the same regex twice in a formula: the second is the first's answer, whatever it was
    assert may_hold(Any_((Regexp(source), Regexp(source))), content) is expected
    assert may_hold(All((Regexp(source), Regexp(source))), content) is expected

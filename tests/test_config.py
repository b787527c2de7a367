"""Config loading: discovery, parameters, custom requirements, and every error at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import commit_all, init_repo, write_files

from pattern_verify import config
from pattern_verify.config import load_config, trusted_config_root
from pattern_verify.errors import ConfigError
from pattern_verify.globs import any_of, matches, matches_any
from pattern_verify.store import FactsStore


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_config_file(tmp_path: Path) -> None:
    resolved = load_config(tmp_path)
    assert resolved.source is None
    assert resolved.pack.id == "websocket-gateway"
    assert [r.id for r in resolved.requirements] == [
        "single-websocket-endpoint",
        "post-office-ownership",
        "logical-channel-routing",
        "no-direct-websocket-access",
    ]
    assert [r.title for r in resolved.requirements] == [
        "Single WebSocket Endpoint",
        "Post Office Ownership",
        "Logical Channel Routing",
        "No Direct WebSocket Access",
    ]
    assert resolved.parameters["endpoint_path"] == "/ws"
    assert resolved.parameters["owner_class"] == "PostOfficeService"
    assert resolved.config_id == "websocket-gateway"


def test_discovered_config_overrides_parameters_and_substitutes_them(tmp_path: Path) -> None:
    write(
        tmp_path / ".github/pattern-verify.yml",
        "title: Chat gateway\nparameters:\n  endpoint_path: /socket\n"
        "  gateway_files: ['gw/**']\nexclude: ['archive/**']\n",
    )
    resolved = load_config(tmp_path, extra_exclude=["legacy/**"])
    assert resolved.title == "Chat gateway"
    assert resolved.config_id == "websocket-gateway:.github/pattern-verify.yml"
    endpoint = resolved.requirements[0].checks[0]
    assert endpoint.where == {"route": "/socket"}
    routing = resolved.requirements[2].checks[1]
    assert routing.allowed_paths == ["gw/**"]
    sources = {(r.pattern, r.source) for r in resolved.exclude}
    assert ("archive/**", "config") in sources
    assert ("legacy/**", "command line") in sources
    assert ("**/node_modules/**", "pack") in sources
    assert resolved.is_excluded("archive/old_router.py")
    assert resolved.is_excluded("web/node_modules/ws/index.js")
    assert not resolved.is_excluded("backend/api/router.py")


def test_every_error_is_reported_at_once_with_key_paths(tmp_path: Path) -> None:
    config = write(
        tmp_path / "pv.yml",
        "pack: websocket-gateway\nunknown_key: 1\nparameters:\n  endpoint_path: [a]\n  nope: x\n"
        "include: 3\nrequirements:\n  - id: Bad Id\n    title: ''\n    checks:\n"
        "      - kind: count\n        facts: [x]\n      - kind: explode\n        facts: [y]\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, config)
    text = str(caught.value)
    assert str(config) in text
    for expected in (
        "unknown_key: unknown key",
        "include: Input should be a valid list",
        "requirements[0].id: String should match pattern",
        "requirements[0].title: String should have at least 1 character",
        "requirements[0].checks[0]: a count check needs `min`, `max` or both",
        "requirements[0].checks[1].kind: Input should be 'forbid', 'require', 'count' or 'confine'",
    ):
        assert expected in text, expected


def test_parameter_errors_name_the_parameter(tmp_path: Path) -> None:
    config = write(tmp_path / "pv.yml", "parameters:\n  endpoint_path: [a]\n  nope: x\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, config)
    assert caught.value.problems == [
        f"{config}: parameters.endpoint_path: expected a string",
        f"{config}: parameters.nope: unknown parameter of pack `websocket-gateway` "
        "(known: abstraction_name, "
        "client_modules, endpoint_path, gateway_class, gateway_files, owner_class)",
    ]


def test_yaml_syntax_errors_name_the_line(tmp_path: Path) -> None:
    config = write(tmp_path / "pv.yml", "pack: [unclosed\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, config)
    assert "line 2" in str(caught.value) and "not valid YAML" in str(caught.value)


def test_missing_config_file_and_unknown_pack(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path, tmp_path / "missing.yml")
    config = write(tmp_path / "pv.yml", "pack: nonexistent\n")
    with pytest.raises(ConfigError, match="no pack named `nonexistent`"):
        load_config(tmp_path, config)


def test_custom_requirement_with_its_own_rule_file(tmp_path: Path) -> None:
    write(
        tmp_path / "rules/no-print.yaml",
        "rules:\n  - id: print-call\n    languages: [python]\n    severity: INFO\n"
        "    message: print of `$X`\n    metadata: {fact: print-call, captures: [x]}\n"
        "    pattern: print($X)\n",
    )
    config = write(
        tmp_path / "pv.yml",
        "requirements:\n  - id: no-print\n    title: No print\n    rules: [rules/no-print.yaml]\n"
        "    checks: [{kind: forbid, facts: [print-call]}]\n",
    )
    resolved = load_config(tmp_path, config)
    assert resolved.requirements[-1].id == "no-print"
    assert any(rule.id == "print-call" for rule in resolved.rules)


def test_custom_requirement_problems(tmp_path: Path) -> None:
    config = write(
        tmp_path / "pv.yml",
        "requirements:\n  - id: single-websocket-endpoint\n    title: Again\n"
        "    rules: [missing.yaml]\n"
        "    checks: [{kind: forbid, facts: [no-such-fact]}]\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, config)
    text = str(caught.value)
    assert "requirements[0].rules[0]: file not found" in text
    assert "requirements[0].checks[0].facts: no rule reports the fact `no-such-fact`" in text
    assert "`single-websocket-endpoint` is already a requirement of the pack" in text


def test_pattern_keys_of_the_other_kind_of_pattern_are_errors(tmp_path: Path) -> None:
    config = write(
        tmp_path / "pv.yml",
        "requirements:\n  - id: own\n    title: Own\n"
        "    checks: [{kind: forbid, facts: [abstraction-access]}]\n"
        "    correct_patterns:\n"
        "      - {text: a, select: {name: x}}\n"
        "      - {text: b, facts: [abstraction-access], rules: [abstraction-access-*]}\n"
        "    anti_patterns:\n"
        "      - {text: c, facts: [abstraction-access], select: {name: x}}\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, config)
    text = str(caught.value)
    assert (
        "requirements[0].correct_patterns[0].select: a pattern without `facts` has no facts to "
        "select (expected `facts` beside it)"
    ) in text
    assert "requirements[0].correct_patterns[1].rules: only an anti-pattern has `rules`" in text
    assert "requirements[0].anti_patterns[0].facts: only a correct pattern has `facts`" in text
    assert "requirements[0].anti_patterns[0].select: only a correct pattern has `select`" in text


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("backend/api/websocket_gateway_router.py", "**/websocket_gateway_router.py", True),
        ("websocket_gateway_router.py", "**/websocket_gateway_router.py", True),
        ("a/tests/test_x.py", "**/tests/**", True),
        ("tests/test_x.py", "**/tests/**", True),
        ("a/b.min.js", "*.min.js", True),
        ("archive/old/x.py", "archive/", True),
        ("src/archive/x.py", "archive/**", False),
        ("src/archive.py", "archive/", False),
        ("backend/x.py", "backend/*.py", True),
        ("backend/sub/x.py", "backend/*.py", False),
    ],
)
def test_globs(path: str, pattern: str, expected: bool) -> None:
    assert matches(path, pattern) is expected


# --- trusted configuration: the config as the base ref has it --------------------------------


def test_trusted_config_root_holds_the_base_config_and_what_it_names(tmp_path: Path) -> None:
    """In a directory inside the repository: the config, its rule file and templates as the
    base has them; nothing else of the tree, and nothing outside the directory."""
    rule = (
        "rules:\n  - id: no-eval\n    languages: [python]\n    severity: INFO\n"
        "    message: eval of `$X`\n    metadata: {fact: eval-call, captures: [x]}\n"
        "    pattern: eval($X)\n"
    )
    config = (
        "templates: templates\nrequirements:\n  - id: no-eval\n    title: No eval\n"
        "    rules: [rules/no-eval.yaml, ../outside.yaml]\n"
        "    checks: [{kind: forbid, facts: [eval-call]}]\n"
    )
    root = tmp_path / "repo"
    repo = init_repo(
        root,
        {
            "svc/.github/pattern-verify.yml": config,
            "svc/rules/no-eval.yaml": rule,
            "svc/templates/report.md.j2": "base template\n",
            "svc/app.py": "x = 1\n",
            "outside.yaml": "rules: []\n",
        },
    )
    repo.git.checkout("-q", "-b", "feature")
    write_files(
        root,
        {
            "svc/.github/pattern-verify.yml": config + "exclude: ['**']\n",
            "svc/rules/no-eval.yaml": rule.replace("eval($X)", "nothing($X)"),
            "svc/templates/report.md.j2": "weakened\n",
        },
    )
    commit_all(repo, "weaken the check")

    with trusted_config_root(root / "svc", "main", None) as trusted:
        exported = sorted(p.relative_to(trusted).as_posix() for p in trusted.rglob("*"))
        assert exported == [
            ".github",
            ".github/pattern-verify.yml",
            "rules",
            "rules/no-eval.yaml",
            "templates",
            "templates/report.md.j2",
        ]
        assert (trusted / ".github/pattern-verify.yml").read_text() == config
        assert (trusted / "rules/no-eval.yaml").read_text() == rule
        assert (trusted / "templates/report.md.j2").read_text() == "base template\n"
    assert not trusted.exists()


def test_a_trusted_config_that_does_not_validate_is_exported_alone(tmp_path: Path) -> None:
    """Its references are read through the config model: one that does not validate names
    none, and loading it reports why."""
    root = tmp_path / "repo"
    init_repo(
        root,
        {
            ".github/pattern-verify.yml": "templates: templates\nunknown_key: 1\n",
            "templates/report.md.j2": "t\n",
        },
    )
    with trusted_config_root(root, "main", None) as trusted:
        assert sorted(p.name for p in trusted.rglob("*") if p.is_file()) == ["pattern-verify.yml"]
        with pytest.raises(ConfigError, match="unknown_key: unknown key"):
            load_config(trusted)


def test_a_rule_s_capture_defaults_are_checked_with_its_file(tmp_path: Path) -> None:
    rules = write(
        tmp_path / "rules/servers.yaml",
        "rules:\n  - id: server\n    languages: [python]\n    severity: INFO\n"
        "    message: server on `$ROUTE`\n"
        "    metadata: {fact: server, captures: [route], defaults: {route: 1, port: '80'}}\n"
        "    pattern: serve($ROUTE)\n",
    )
    config = write(
        tmp_path / "pv.yml",
        "requirements:\n  - id: one\n    title: One\n    rules: [rules/servers.yaml]\n"
        "    checks: [{kind: forbid, facts: [server]}]\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, config)
    assert (
        f"{rules}: rules[0] (server): metadata.defaults: expected a mapping of captures to strings"
    ) in str(caught.value)
    write(rules, rules.read_text(encoding="utf-8").replace("route: 1", "route: /"))
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, config)
    assert (
        f"{rules}: rules[0] (server): metadata.defaults: `port` is not one of metadata.captures"
    ) in str(caught.value)


def test_a_list_of_globs_matches_what_its_globs_match_one_by_one() -> None:
    patterns = ("node_modules/", "*.min.js", "src/**/gen_*.py", "./docs/?.md", "a+b[1]/")
    paths = [
        "node_modules/x/y.js",
        "web/node_modules/z.js",
        "app.min.js",
        "lib/app.min.js",
        "src/gen_a.py",
        "src/deep/er/gen_b.py",
        "other/src/gen_a.py",
        "docs/a.md",
        "docs/ab.md",
        "a+b[1]/c",
        "ab1/c",
    ]
    for path in paths:
        one_by_one = any(matches(path, pattern) for pattern in patterns)
        assert matches_any(path, patterns) is one_by_one, path
        assert (any_of(patterns).fullmatch(path) is not None) is one_by_one, path
    assert [p for p in paths if matches_any(p, patterns)] == [
        "node_modules/x/y.js",
        "web/node_modules/z.js",
        "app.min.js",
        "lib/app.min.js",
        "src/gen_a.py",
        "src/deep/er/gen_b.py",
        "docs/a.md",
        "a+b[1]/c",
    ]


def test_the_store_remembers_yaml_files_as_read_and_gives_the_same_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path / ".github/pattern-verify.yml",
        "parameters:\n  endpoint_path: /socket\n"
        "exceptions:\n  - requirement: no-direct-websocket-access\n    path: legacy/**\n"
        "    reason: being moved\n    until: 2099-12-31\n",  # a date: JSON cannot hold it
    )
    plain = load_config(tmp_path)
    store = FactsStore(tmp_path / "store")
    assert load_config(tmp_path, store=store) == plain
    store.flush()
    files = [plain.pack_dir / "pack.yml", *plain.rule_files]
    keys = [config._yaml_key(f.read_text(encoding="utf-8")) for f in files]
    reader = FactsStore(tmp_path / "store", writable=False)
    assert all(reader.get(key) is not None for key in keys)
    user_text = (tmp_path / ".github/pattern-verify.yml").read_text(encoding="utf-8")
    assert reader.get(config._yaml_key(user_text)) is None
    # an entry that is not whole, or another key's, is not one
    remembered = reader.get(keys[0])
    assert config.remembered_yaml(keys[0], remembered) is not None
    assert config.remembered_yaml(keys[1], remembered) is None
    assert config.remembered_yaml(keys[0], (remembered or b"")[:-2]) is None

    parsed: list[str] = []
    real = config.load_yaml

    def counted(text: str) -> object:
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(config, "load_yaml", counted)
    assert load_config(tmp_path, store=reader) == plain
    assert parsed == [user_text]  # the pack and its rule files came from the store


@pytest.mark.parametrize(
    ("text", "exact"),
    [
        ("a: [1, 2.5, true, null, 'x']\nb: {c: d}\n", True),
        ("when: 2026-11-30\n", False),
        ("1: one\n", False),
        ("n: .nan\n", False),
        ("s: !!set {a, b}\n", False),
        ("b: !!binary aGk=\n", False),
    ],
)
def test_only_yaml_json_holds_exactly_is_remembered(text: str, exact: bool) -> None:
    data = config.load_yaml(text)
    encoded = config._exact_json(data)
    assert (encoded is not None) is exact
    if encoded is not None:
        assert json.loads(encoded) == data

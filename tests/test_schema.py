"""`pattern-verify schema`: JSON schemas generated from the models, which accept what the loader
accepts — every pack of the repository, a full config — and reject what it rejects."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, REPO_ROOT
from pydantic import ValidationError

from pattern_verify.checks import CHECK_KINDS
from pattern_verify.commands import schema
from pattern_verify.specs import PackSpec, UserConfig

RunCli = Callable[..., tuple[int, str, str]]

PACKS = [
    REPO_ROOT / "rules" / "websocket-gateway" / "pack.yml",
    FIXTURES / "mini-pack" / "pack.yml",
]


def _schema(run_cli: RunCli, *document: str) -> dict[str, Any]:
    code, out, err = run_cli("schema", *document)
    assert code == 0, err
    schema: dict[str, Any] = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def _errors(schema: dict[str, Any], data: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
    ]


def test_without_an_argument_it_is_the_results_schema(run_cli: RunCli) -> None:
    schema = _schema(run_cli)
    assert schema["$id"] == "https://pattern-verify.dev/schema/results-v1.json"
    assert schema == _schema(run_cli, "results")
    assert {"requirements", "schema_version"} <= set(schema["properties"])


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.parent.name)
def test_every_pack_of_the_repository_validates_against_the_pack_schema(
    run_cli: RunCli, pack: Any
) -> None:
    data = yaml.safe_load(pack.read_text(encoding="utf-8"))
    assert _errors(_schema(run_cli, "pack"), data) == []
    PackSpec.model_validate(data)  # and the loader agrees


def test_the_check_kinds_in_the_schema_are_the_classes(run_cli: RunCli) -> None:
    schema = _schema(run_cli, "pack")
    checks = schema["$defs"]["RequirementSpec"]["properties"]["checks"]["items"]
    mapping = checks["discriminator"]["mapping"]
    assert checks["discriminator"]["propertyName"] == "kind"
    assert set(mapping) == set(CHECK_KINDS)
    for kind, model in CHECK_KINDS.items():
        definition = schema["$defs"][mapping[kind].rsplit("/", 1)[1]]
        # only its own keys, and `kind` must be written even though Python has a default
        assert set(definition["properties"]) == set(model.model_fields)
        assert definition["additionalProperties"] is False
        assert definition["required"][0] == "kind"
        assert definition["properties"]["kind"]["const"] == kind


CHECKS: list[tuple[dict[str, Any], bool]] = [
    ({"kind": "forbid", "facts": ["a"]}, True),
    ({"kind": "forbid", "facts": ["a"], "select": {"k": ["v", "!w"]}, "explain": "x"}, True),
    ({"kind": "require", "facts": ["a"], "where": {"k": "v"}}, True),
    ({"kind": "require", "facts": ["a"], "min": 0}, True),
    ({"kind": "count", "facts": ["a"], "min": 1}, True),
    ({"kind": "count", "facts": ["a"], "max": 1}, True),
    ({"kind": "confine", "facts": ["a"], "allowed_paths": ["gw/**"]}, True),
    ({"kind": "forbidd", "facts": ["a"]}, False),
    ({"facts": ["a"]}, False),
    ({"kind": "forbid", "facts": []}, False),
    ({"kind": "forbid", "facts": ["a"], "min": 1}, False),
    ({"kind": "forbid", "facts": ["a"], "where": {"k": "v"}}, False),
    ({"kind": "require", "facts": ["a"], "max": 1}, False),
    ({"kind": "require", "facts": ["a"], "min": -1}, False),
    ({"kind": "count", "facts": ["a"]}, False),
    ({"kind": "count", "facts": ["a"], "allowed_paths": ["x"], "max": 1}, False),
    ({"kind": "confine", "facts": ["a"]}, False),
    ({"kind": "confine", "facts": ["a"], "allowed_paths": []}, False),
    ({"kind": "confine", "facts": ["a"], "allowed_paths": ["x"], "where": {"k": "v"}}, False),
]


@pytest.fixture(scope="module")
def pack_schema() -> dict[str, Any]:
    return schema.pack_schema()


@pytest.mark.parametrize(("check", "valid"), CHECKS, ids=lambda c: json.dumps(c))
def test_the_schema_and_the_loader_agree_on_a_check(
    pack_schema: dict[str, Any], check: dict[str, Any], valid: bool
) -> None:
    pack = {
        "id": "p",
        "title": "P",
        "rules": ["r.yaml"],
        "requirements": [{"id": "r", "title": "R", "checks": [check]}],
    }
    assert (_errors(pack_schema, pack) == []) is valid
    try:
        PackSpec.model_validate(pack)
        loaded = True
    except ValidationError:
        loaded = False
    assert loaded is valid


def test_a_config_with_every_key_validates_against_the_config_schema(run_cli: RunCli) -> None:
    text = """
pack: websocket-gateway
title: Chat Platform WebSocket Verification
parameters:
  endpoint_path: /ws
  gateway_files: ["backend/gateway/**"]
include: ["backend/**"]
exclude: ["archive/**"]
templates: .github/pattern-verify-templates
diagram: {report: true, comment: always, max_nodes: 8}
exceptions:
  - requirement: no-direct-websocket-access
    path: legacy/**
    reason: migrating in Q3
    until: "2026-06-30"
requirements:
  - id: no-eval
    title: No eval
    rules: [.github/rules/no-eval.yaml]
    checks:
      - kind: forbid
        facts: [eval-call]
    correct_patterns: ["No eval anywhere."]
    anti_patterns: [{text: "eval of user input", rules: [eval-*]}]
"""
    data = yaml.safe_load(text)
    schema = _schema(run_cli, "config")
    assert _errors(schema, data) == []
    UserConfig.model_validate(data)
    bad = {**data, "requirements": [{**data["requirements"][0], "checks": [{"kind": "ban"}]}]}
    assert any(e.startswith("requirements.0.checks.0") for e in _errors(schema, bad))


def test_the_repository_config_validates_against_the_config_schema(run_cli: RunCli) -> None:
    data = yaml.safe_load((REPO_ROOT / ".github" / "pattern-verify.yml").read_text())
    assert _errors(_schema(run_cli, "config"), data) == []


def test_an_unknown_document_is_a_usage_error(
    run_cli: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        run_cli("schema", "packs")
    assert caught.value.code == 2
    assert (
        "invalid choice: 'packs' (choose from 'results', 'pack', 'config')"
        in capsys.readouterr().err
    )

"""`pattern-verify schema`: JSON schemas generated from the models.

`results` (the default) describes results.json; `pack` a pack's pack.yml and `config` the user's
config (`.github/pattern-verify.yml`), as written, before `${parameters}` are substituted. An
editor can validate YAML against them (e.g. yaml-language-server's `$schema` comment).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode

from pattern_verify.models import Verification
from pattern_verify.specs import PackSpec, UserConfig

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _schema(
    model: type[BaseModel], mode: JsonSchemaMode, schema_id: str, title: str
) -> dict[str, Any]:
    data = model.model_json_schema(mode=mode)
    data["$schema"] = _DIALECT
    data["$id"] = schema_id
    data["title"] = title
    return data


def results_schema() -> dict[str, Any]:
    # what pattern-verify writes: the serialized form
    return _schema(
        Verification,
        "serialization",
        "https://pattern-verify.dev/schema/results-v1.json",
        "Verification",
    )


def pack_schema() -> dict[str, Any]:
    # what a user writes: the form the loader validates
    return _schema(
        PackSpec, "validation", "https://pattern-verify.dev/schema/pack.json", "pattern-verify pack"
    )


def config_schema() -> dict[str, Any]:
    return _schema(
        UserConfig,
        "validation",
        "https://pattern-verify.dev/schema/config.json",
        "pattern-verify config",
    )


SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "results": results_schema,
    "pack": pack_schema,
    "config": config_schema,
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "document",
        nargs="?",
        choices=tuple(SCHEMAS),
        default="results",
        help="results.json (default), a pack's pack.yml, or the config file",
    )


def main(args: argparse.Namespace) -> int:
    print(json.dumps(SCHEMAS[args.document](), indent=2, sort_keys=True))
    return 0

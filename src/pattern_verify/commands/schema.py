"""`pattern-verify schema`: the JSON schema of results.json, generated from the models."""

from __future__ import annotations

import argparse
import json

from pattern_verify.models import Verification


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def schema() -> dict[str, object]:
    data = Verification.model_json_schema(mode="serialization")
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    data["$id"] = "https://pattern-verify.dev/schema/results-v1.json"
    return data


def main(args: argparse.Namespace) -> int:
    del args
    print(json.dumps(schema(), indent=2, sort_keys=True))
    return 0

"""`pattern-verify check-config`: validate the config and its pack without scanning."""

from __future__ import annotations

import argparse
from pathlib import Path

from pattern_verify import config, pipeline, render
from pattern_verify.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path", nargs="?", default=".", type=Path, help="repository root (default: .)"
    )
    parser.add_argument(
        "--config", type=Path, help="config file (default: .github/pattern-verify.yml)"
    )


def main(args: argparse.Namespace) -> int:
    if not args.path.is_dir():
        raise UsageError(f"{args.path}: no such directory (expected the repository root)")
    resolved = config.load_config(args.path, args.config)
    # the templates too (the user's replace the bundled ones): one that does not compile is
    # found here, not after a scan
    render.Renderer(pipeline.load_templates(resolved.templates_dir), render.Links(None, None))
    source = resolved.source or "(no config file: pack defaults)"
    print(
        f"{source}: ok — pack `{resolved.pack.id}`, {len(resolved.requirements)} requirements, "
        f"{len(resolved.rules)} rules in {len(resolved.rule_files)} files"
    )
    for requirement in resolved.requirements:
        print(f"  {requirement.id}: {requirement.title}")
        # allowed (a plain string is a pattern), but the report can only say it was not checked
        for index, pattern in enumerate(requirement.correct_patterns):
            if not pattern.facts:
                print(
                    f"    note: correct_patterns[{index}] names no `facts`: no rule looks for "
                    "it, so the report shows it as not checked, never as holding"
                )
        for index, pattern in enumerate(requirement.anti_patterns):
            if not pattern.rules:
                print(
                    f"    note: anti_patterns[{index}] names no `rules`: the report never "
                    "calls it found or none found, only points to its failing requirement"
                )
    return 0

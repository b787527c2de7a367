"""`pattern-verify init [PATH]`: set a repository up in one command.

Writes the config (the chosen pack, every parameter with its default, commented) and two
workflows: the pull-request check that posts the sticky comment, and the document updater that
commits the verification document on pushes to the default branch. Each workflow grants its job
only the permissions it needs and runs one at a time per pull request or branch. An existing
file is never overwritten without `--force`; the output says which files were kept.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import yaml
from pydantic import ValidationError

from pattern_verify import __version__, config, git, resources
from pattern_verify.errors import ConfigError, UsageError, first_problem
from pattern_verify.publish import files
from pattern_verify.specs import DEFAULT_PACK, PackSpec

# the released action; its major tag follows the newest release (see the release workflow)
ACTION = "pattern-verify/pattern-verify@v1"
CHECKOUT = "actions/checkout@v6"
CACHE = "actions/cache@v5"
# the action's `cache-dir` default, relative to the workspace
CACHE_DIR = ".pattern-verify-cache"
# why each workflow has the facts store's cache step
PR_CACHE = (
    "A pull request's run restores the store that the default branch's runs saved",
    "(what it saves itself, only this pull request restores).",
)
DOCS_CACHE = ("Each commit of the default branch saves its store: pull requests restore it.",)
CONFIG_FILE = ".github/pattern-verify.yml"
CHECK_WORKFLOW = ".github/workflows/pattern-verify.yml"
DOCS_WORKFLOW = ".github/workflows/pattern-verify-docs.yml"
DOCS_FOLDERS = ("docs", "doc", "documentation")
_PARAM_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        default=".",
        type=Path,
        help="the repository's top-level directory (default: .)",
    )
    parser.add_argument(
        "--pack",
        default=DEFAULT_PACK,
        help="a bundled pack, or a directory with a pack.yml relative to PATH "
        f"(default: {DEFAULT_PACK})",
    )
    docs = parser.add_mutually_exclusive_group()
    docs.add_argument(
        "--report-path",
        metavar="PATH",
        help="where the document updater commits the verification document "
        "(default: <docs folder>/architecture/<pack title>.md)",
    )
    docs.add_argument(
        "--no-docs", action="store_true", help="no document updater workflow, only the PR check"
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite files that exist (default: keep them)"
    )


# ---------------------------------------------------------------------------------------------
# what the repository tells us


def _top_level(root: Path) -> None:
    if not root.is_dir():
        raise UsageError(f"{root}: not a directory")
    top = git.top_level(root)
    if top is not None and top.resolve() != root.resolve():
        raise UsageError(
            f"{root} is inside the git repository {top}: workflows live in the repository's "
            f"top level, run `pattern-verify init {top}`"
        )


def docs_folder(root: Path) -> str | None:
    return next((name for name in DOCS_FOLDERS if (root / name).is_dir()), None)


# ---------------------------------------------------------------------------------------------
# the pack


@dataclass(frozen=True)
class Pack:
    reference: str  # as the config names it
    spec: PackSpec
    comments: dict[str, list[str]]  # parameter → the comment lines above it in pack.yml


def _bundled() -> list[str]:
    return sorted(p.name for p in resources.packs_dir().iterdir() if (p / "pack.yml").is_file())


def load_pack(root: Path, reference: str) -> Pack:
    """The pack the config will name; a directory is relative to the repository, as in the
    config. An unknown pack is a UsageError listing the bundled ones."""
    is_path = "/" in reference or reference.startswith(".")
    pack_file = (root / reference if is_path else resources.packs_dir() / reference) / "pack.yml"
    if not reference.strip() or not pack_file.is_file():
        raise UsageError(
            f"--pack {reference}: no such pack (bundled packs: {', '.join(_bundled())}; "
            "or a directory with a pack.yml, relative to the repository)"
        )
    try:
        text = pack_file.read_text(encoding="utf-8")
        spec = PackSpec.model_validate(config.load_yaml(text))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValidationError) as exc:
        raise UsageError(f"{pack_file}: not a valid pack ({_first_line(exc)})") from None
    return Pack(reference, spec, _parameter_comments(text))


def _first_line(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return first_problem(exc)
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _parameter_comments(text: str) -> dict[str, list[str]]:
    """The comment lines directly above each key of pack.yml's top-level `parameters:`."""
    comments: dict[str, list[str]] = {}
    pending: list[str] = []
    inside = False
    indent: int | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not inside:
            inside = line.rstrip() == "parameters:"
            continue
        if not stripped:
            pending = []
            continue
        depth = len(line) - len(line.lstrip())
        if depth == 0 and not stripped.startswith("#"):
            break
        if stripped.startswith("#"):
            pending.append(stripped.lstrip("#").strip())
            continue
        indent = depth if indent is None else indent
        key = re.match(r"([A-Za-z_][A-Za-z0-9_]*)\s*:", stripped)
        if depth == indent and key:
            comments[key.group(1)] = [c for c in pending if c]
        pending = []
    return comments


def _used_by(spec: PackSpec, name: str) -> list[str]:
    """The ids of the requirements whose checks or texts use `${name}`."""
    used = []
    for requirement in spec.requirements:
        if any(m == name for m in _PARAM_REF.findall(requirement.model_dump_json())):
            used.append(requirement.id)
    return used


def report_file_name(title: str) -> str:
    """`WebSocket Pattern Verification` → `websocket_pattern_verification.md`."""
    slug = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")
    return f"{slug or 'pattern_verification'}.md"


# ---------------------------------------------------------------------------------------------
# the files


def _yaml_string(value: str) -> str:
    # a JSON string is a valid YAML double-quoted scalar: safe for `*`, `:`, `#` and the rest
    return json.dumps(value, ensure_ascii=False)


def config_text(pack: Pack) -> str:
    spec = pack.spec
    lines = [
        f"# pattern-verify configuration, written by `pattern-verify init` ({__version__}).",
        "# Every parameter of the pack is listed with its default: put your code's names in",
        "# place of the defaults, delete a parameter to keep its default. The commented keys",
        "# below are examples to start from. After a change: `pattern-verify check-config`.",
        "",
        f"pack: {_yaml_string(pack.reference)}",
        f"# title: {_yaml_string(spec.title)}  # the document's title",
        "",
    ]
    if spec.parameters:
        lines.append("parameters:")
    for name, value in spec.parameters.items():
        for comment in pack.comments.get(name, []):
            lines.append(f"  # {comment}")
        used = _used_by(spec, name)
        lines.append(
            f"  # used by: {', '.join(used)}" if used else "  # used in the document's texts"
        )
        if isinstance(value, list):
            lines.append(f"  {name}:")
            lines.extend(f"    - {_yaml_string(item)}" for item in value)
        else:
            lines.append(f"  {name}: {_yaml_string(value)}")
    if spec.parameters:
        lines.append("")
    lines += [
        "# Verify only these paths (default: the whole repository):",
        '# include: ["backend/**", "frontend/src/**"]',
        "",
        "# Paths not to verify, on top of the pack's own excludes (listed in every report):",
        '# exclude: ["archive/**"]',
        "",
        "# Accepted deviations, each with its reason, shown in every report (one line instead:",
        "# a `pattern-verify: allow <requirement> -- <reason>` comment on the violating line):",
        "# exceptions:",
        f"#   - requirement: {spec.requirements[0].id}",
        '#     path: "legacy/**"',
        '#     reason: "kept until the migration is done (TICKET-1)"',
        "#     until: 2099-12-31",
        "",
    ]
    return "\n".join(lines)


def cache_key_files(pack: Pack) -> list[str]:
    """What the cache key's digest is taken of: the config, the repository's own rules and a
    pack kept in the repository (a bundled pack changes with the action's version, which the
    store's own keys hold)."""
    found = [CONFIG_FILE, ".github/rules/**"]
    if "/" in pack.reference or pack.reference.startswith("."):
        found.append(f"{Path(pack.reference).as_posix().removeprefix('./').rstrip('/')}/**")
    return found


def cache_step(pack: Pack, why: Sequence[str]) -> str:
    """The `actions/cache` step that keeps the facts store between runs: a new cache per commit
    (caches are immutable), restoring the latest of the same config and rules, else any."""
    digest = (
        "${{ hashFiles("
        + ", ".join("'" + name.replace("'", "''") + "'" for name in cache_key_files(pack))
        + ") }}"
    )
    comment = [
        "The facts store: a run scans only the files whose facts it does not hold.",
        *why,
        "Every entry's own key holds the rules, semgrep's version and the file's content: an",
        "older cache restored here is never wrong, at worst a miss.",
    ]
    return (
        "".join(f"      # {line}\n" for line in comment)
        + f"""\
      - uses: {CACHE}
        with:
          path: {CACHE_DIR}
          key: pattern-verify-{digest}-${{{{ github.sha }}}}
          restore-keys: |
            pattern-verify-{digest}-
            pattern-verify-
"""
    )


def check_workflow_text(pack: Pack, report_path: str | None) -> str:
    document = (
        f"""
          # the comment says what the document will say after the merge (never committed here)
          report-path: {_yaml_string(report_path)}"""
        if report_path
        else ""
    )
    return f"""\
# Written by `pattern-verify init`: verify the pattern on every pull request and post one
# sticky comment with the verdict ({pack.spec.title}), updated on every push.
# A pull request from a fork gets a read-only token: it is verified, and the comment is left
# out with a warning (the README's fork recipe comments there too).
name: pattern-verify

on:
  pull_request:

permissions: {{}}

# a new push cancels the older run, whose comment could otherwise land last
concurrency:
  group: pattern-verify-${{{{ github.event.pull_request.number }}}}
  cancel-in-progress: true

jobs:
  verify:
    runs-on: ubuntu-latest
    permissions:
      contents: read # read the code
      pull-requests: write # post and update the sticky comment
    steps:
      - uses: {CHECKOUT}
        with:
          fetch-depth: 0 # history for the merge-base with the pull request's base
          persist-credentials: false
{cache_step(pack, PR_CACHE)}      - uses: {ACTION}
        with:
          config: {CONFIG_FILE}
          fail-on: new # fail on violations the pull request adds, not on older ones{document}
"""


def docs_workflow_text(pack: Pack, branch: str, report_path: str) -> str:
    return f"""\
# Written by `pattern-verify init`: on every push to the default branch, regenerate the
# verification document ({pack.spec.title})
# and commit it when its verdict or evidence changed.
name: pattern-verify document

on:
  push:
    branches: [{_yaml_string(branch)}]
  workflow_dispatch:

permissions: {{}}

# one updater at a time per branch: pushes do not race each other
concurrency:
  group: pattern-verify-docs-${{{{ github.ref }}}}
  cancel-in-progress: false

jobs:
  document:
    runs-on: ubuntu-latest
    permissions:
      contents: write # commit and push the document; nothing else
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: false # the action pushes with its own token input
{cache_step(pack, DOCS_CACHE)}      - uses: {ACTION}
        with:
          config: {CONFIG_FILE}
          report-path: {_yaml_string(report_path)}
          commit-report: true
          fail-on: never # the document records a failing verdict; the PR check enforces it
"""


# ---------------------------------------------------------------------------------------------


def write_files(root: Path, wanted: dict[str, str], *, force: bool, out: TextIO) -> list[str]:
    """Write each file unless it exists (then it is kept, unless `force`); the written ones."""
    written = []
    for relative, text in wanted.items():
        destination = root / relative
        if destination.exists() and not force:
            print(f"kept {relative} (it exists; --force overwrites it)", file=out)
            continue
        if destination.is_dir():
            raise UsageError(f"{destination}: a directory is in the way")
        files.write_text(destination, text)
        written.append(relative)
        print(f"wrote {relative}", file=out)
    return written


def init(
    root: Path,
    *,
    pack_reference: str = DEFAULT_PACK,
    report_path: str | None = None,
    docs: bool = True,
    force: bool = False,
    out: TextIO | None = None,
) -> list[str]:
    """Set `root` up; returns the files written (relative to `root`)."""
    out = out or sys.stdout
    _top_level(root)
    pack = load_pack(root, pack_reference)
    wanted = {CONFIG_FILE: config_text(pack)}
    if docs:
        branch = git.default_branch(root)
        folder = docs_folder(root)
        if report_path is None:
            report_path = f"{folder or 'docs'}/architecture/{report_file_name(pack.spec.title)}"
        files.report_destination(root, report_path)  # relative, inside, Markdown: or exit 2
        wanted[CHECK_WORKFLOW] = check_workflow_text(pack, report_path)
        wanted[DOCS_WORKFLOW] = docs_workflow_text(pack, branch.name, report_path)
        found = f"the `{folder}/` folder" if folder else "no docs folder: it will be created"
        print(f"default branch: {branch.name} ({branch.source})", file=out)
        print(f"document: {report_path} ({found})", file=out)
    else:
        wanted[CHECK_WORKFLOW] = check_workflow_text(pack, None)
    written = write_files(root, wanted, force=force, out=out)
    if CONFIG_FILE in written:
        try:
            config.load_config(root, root / CONFIG_FILE)
        except ConfigError as exc:
            raise UsageError(f"the written {CONFIG_FILE} does not validate: {exc}") from None
    print(
        "next: try it with `pattern-verify run`, then commit and push these files; the next "
        "pull request gets the comment",
        file=out,
    )
    return written


def main(args: argparse.Namespace) -> int:
    init(
        args.path,
        pack_reference=args.pack,
        report_path=args.report_path,
        docs=not args.no_docs,
        force=args.force,
    )
    return 0

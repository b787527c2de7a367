#!/usr/bin/env python3
"""Make a release tag's action.yml run the prebuilt image instead of building the Dockerfile.

    scripts/release_action.py v1.2.3 --image ghcr.io/owner/pattern-verify [--push origin]

The main branch keeps `image: Dockerfile` (every change is tested as it builds). At a release,
`.github/workflows/release.yml` publishes the image, then runs this: it makes a commit on top of
the tagged one whose only change is action.yml's `image: docker://<image>:<tag>` line, moves the
tag (and, for a final release, the major tag `v1`) to it, and pushes them. So
`uses: owner/pattern-verify@v1` starts the published image in seconds, with every default of
action.yml in force (a `docker://` step of your own gets none of them).

No branch, work tree or index is touched: the commit is made with git's plumbing. Running it
again for the same tag changes nothing but re-pushes the tags. Standard library only: it runs on
the release job's system Python. Exit 2 with one line on any problem.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ACTION_FILE = "action.yml"
TAG = re.compile(r"^v(?P<major>0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?P<pre>-[0-9A-Za-z.-]+)?$")
IMAGE = re.compile(
    r"^[a-z0-9]+([._-][a-z0-9]+)*(\.[a-z0-9-]+)*(:\d+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+$"
)
BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")


class ReleaseError(Exception):
    pass


def git(
    repo: Path,
    *args: str,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    raw: bool = False,
) -> str:
    """git's output (stripped unless `raw`); ReleaseError with git's message on failure."""
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if done.returncode != 0:
        raise ReleaseError(f"git {' '.join(args)}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout if raw else done.stdout.strip()


def pin_image(text: str, reference: str) -> str:
    """action.yml with its `runs.image` set to `docker://<reference>`; everything else, byte
    for byte, as it was. Exactly one `image:` line under `runs:` must be there."""
    lines = text.splitlines(keepends=True)
    in_runs = False
    found: list[int] = []
    for index, line in enumerate(lines):
        if line.strip() and not line[0].isspace() and not line.startswith("#"):
            in_runs = line.rstrip() == "runs:"
            continue
        if in_runs and re.match(r"^\s+image:", line):
            found.append(index)
    if len(found) != 1:
        raise ReleaseError(
            f"{ACTION_FILE}: expected one `image:` line under `runs:`, found {len(found)}"
        )
    line = lines[found[0]]
    match = re.match(r"^(?P<indent>\s+)image:\s*(?P<value>\S+?)\s*(?P<end>\r?\n)?$", line)
    value = match.group("value").strip("'\"") if match else ""
    if match is None or value not in ("Dockerfile", f"docker://{reference}"):
        raise ReleaseError(
            f"{ACTION_FILE}: `runs.image` is `{line.strip()}`; expected `image: Dockerfile` "
            f"(or, already released, `image: docker://{reference}`)"
        )
    lines[found[0]] = (
        f"{match.group('indent')}image: docker://{reference}{match.group('end') or ''}"
    )
    return "".join(lines)


def release(repo: Path, tag: str, image: str, push: str | None) -> list[str]:
    """Rewrite the tag's action.yml, move the tags; the tags made, for the caller to show."""
    version = TAG.match(tag)
    if version is None:
        raise ReleaseError(f"tag `{tag}`: expected a version tag like v1.2.3 (or v1.2.3-rc.1)")
    image = image.lower()  # registries want lower case; GitHub owners may have capitals
    if IMAGE.match(image) is None or ":" in image.rsplit("/", 1)[-1]:
        raise ReleaseError(
            f"image `{image}`: expected a repository without a tag, e.g. ghcr.io/owner/name"
        )
    reference = f"{image}:{tag}"
    tagged = git(repo, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}")
    try:
        before = git(repo, "show", f"{tagged}:{ACTION_FILE}", raw=True)
    except ReleaseError:
        raise ReleaseError(f"{tag}: no {ACTION_FILE} at the tagged commit") from None
    after = pin_image(before, reference)

    env = dict(os.environ)
    for role in ("AUTHOR", "COMMITTER"):
        env.setdefault(f"GIT_{role}_NAME", BOT[0])
        env.setdefault(f"GIT_{role}_EMAIL", BOT[1])
    if after == before:
        commit = tagged  # released already: a re-run only re-pushes the tags
    else:
        blob = git(repo, "hash-object", "-w", "--stdin", stdin=after)
        with tempfile.TemporaryDirectory() as scratch:
            index_env = {**env, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
            git(repo, "read-tree", tagged, env=index_env)
            git(repo, "update-index", "--cacheinfo", f"100644,{blob},{ACTION_FILE}", env=index_env)
            tree = git(repo, "write-tree", env=index_env)
        message = (
            f"Release {tag}: the action runs the prebuilt image\n\n"
            f"{ACTION_FILE}: image: docker://{reference}\n"
        )
        commit = git(repo, "commit-tree", tree, "-p", tagged, "-m", message, env=env)

    made = [tag]
    if git(repo, "cat-file", "-t", f"refs/tags/{tag}") == "tag":  # annotated: keep its message
        text = git(repo, "for-each-ref", "--format=%(contents)", f"refs/tags/{tag}")
        git(
            repo,
            "tag",
            "--force",
            "--annotate",
            tag,
            "--file=-",
            commit,
            stdin=text + "\n",
            env=env,
        )
    else:
        git(repo, "tag", "--force", tag, commit)
    if version.group("pre") is None:  # a final release moves `v1`; a pre-release does not
        major = f"v{version.group('major')}"
        git(repo, "tag", "--force", major, commit)
        made.append(major)
    if push is not None:
        git(repo, "push", "--force", push, *(f"refs/tags/{name}" for name in made))
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tag", help="the release tag, e.g. v1.2.3")
    parser.add_argument(
        "--image",
        required=True,
        help="the published image without its tag, e.g. ghcr.io/owner/pattern-verify",
    )
    parser.add_argument(
        "--repo",
        type=Path,
        default=Path("."),
        help="the git repository (default: .)",
    )
    parser.add_argument("--push", metavar="REMOTE", help="force-push the moved tags to REMOTE")
    args = parser.parse_args(argv)
    try:
        made = release(args.repo, args.tag, args.image, args.push)
    except ReleaseError as exc:
        print(f"release_action: error: {exc}", file=sys.stderr)
        return 2
    commit = git(args.repo, "rev-parse", f"refs/tags/{made[0]}^{{commit}}")
    pushed = f", pushed to {args.push}" if args.push else ""
    print(
        f"{', '.join(made)} → {commit[:12]} (image: docker://{args.image.lower()}:{args.tag}){pushed}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

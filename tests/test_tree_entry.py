"""The facts store's tree entries (`trees`): a run over a committed tree leaves one entry with
its conclusions about every clean file; a pull request on that tree, or the same commit again,
takes the unchanged files from it without reading them, and says exactly what a run without the
store says. Anything git cannot vouch for unchanged goes the way it went before."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import git
import pytest
from conftest import commit_all, init_repo, write_files

from pattern_verify import allows, facts, prefilter, scan, targets, trees
from pattern_verify.cli import main as cli_main
from pattern_verify.config import load_config, remembered_yaml
from pattern_verify.store import FactsStore, _checksum

CORPUS = Path(__file__).resolve().parent / "corpus"
OUTPUTS = ("report.md", "comment.md", "results.json")
RunCli = Callable[..., tuple[int, str, str]]

VIOLATION = "backend/business_enablement/services/notification_service.py"
ROUTER = "backend/api/websocket_gateway_router.py"
SESSION = "backend/experience/session_context.py"
VUE_DIR = "frontend/src"
# beside two corpus projects: a file of each kind a run concludes something different about
EXTRA: dict[str, str | bytes] = {
    "docs/notes.md": "# notes\n",
    "backend/tests/test_gateway.py": "def test_it():\n    assert True\n",  # excluded
    "backend/assets/blob.py": b"\x00\x01binary\x00",
    "frontend/legacy.js": "var s = 'caf\xe9';\n".encode("latin-1"),
    "frontend/src/Page.astro": "---\nconst a = 1;\n---\n<p>{a}</p>\n",
    "backend/broken.py": "def broken(:\n    pass\n",
    "backend/api/legacy_access.py": (
        "class Legacy:\n"
        "    def __init__(self):\n"
        '        self.ws = self.get_abstraction("websocket")'
        "  # pattern-verify: allow no-direct-websocket-access -- migrates in PLAT-7\n"
    ),
}


def project() -> dict[str, str | bytes]:
    """The FastAPI platform of the corpus with the Vue/Svelte frontend under `frontend/`."""
    files: dict[str, str | bytes] = {}
    for source, prefix in (
        (CORPUS / "fastapi-platform", ""),
        (CORPUS / "vue-svelte-frontend", "frontend/"),
    ):
        for path in sorted(source.rglob("*")):
            if path.is_file() and path.name != "expected.json":
                files[prefix + path.relative_to(source).as_posix()] = path.read_bytes()
    return {**files, **EXTRA}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The project committed on `main`, and the store its run on `main` left."""
    where = tmp_path_factory.mktemp("seeded")
    root, cache = where / "repo", where / "cache"
    init_repo(root, project())
    code = cli_main(["run", str(root), "-q", "--cache-dir", str(cache), "--output-dir", str(where)])
    assert code in (0, 1)
    return root, cache


@pytest.fixture
def fresh(seeded: tuple[Path, Path], tmp_path: Path) -> tuple[git.Repo, Path, Path]:
    """A copy of the seeded repository and store, on a new `feature` branch."""
    root, cache = tmp_path / "repo", tmp_path / "cache"
    shutil.copytree(seeded[0], root, symlinks=True)
    shutil.copytree(seeded[1], cache)
    repo = git.Repo(root)
    repo.git.checkout("-b", "feature")
    return repo, root, cache


def outputs(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in OUTPUTS}


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every path a run opens to look at a file of the tree: the text check, the store's keys,
    the allow comments."""
    seen: list[str] = []
    for module, name in ((targets, "_not_text"), (facts, "_read"), (allows, "_read_bytes")):
        original = getattr(module, name)

        def spy(path: str | Path, _original: Callable[..., object] = original) -> object:
            seen.append(os.fspath(path))
            return _original(path)

        monkeypatch.setattr(module, name, spy)
    yield seen


def under(root: Path, paths: list[str]) -> set[str]:
    """The paths of `paths` inside `root`'s tree, relative to it (the base versions a pull
    request's run writes into git's directory are not the tree's)."""
    top = os.fspath(root) + os.sep
    inside = {p[len(top) :] for p in paths if p.startswith(top)}
    return {p for p in inside if not p.startswith(".git/")}


def stored(cache: Path) -> dict[str, bytes | None]:
    """Every entry of the store by key (None: damaged)."""
    store = FactsStore(cache, writable=False)
    return {key.decode(): store.get(key.decode()) for key in store._load()}


def tree_entries(cache: Path) -> list[bytes]:
    return [e for e in stored(cache).values() if e and b'"pattern-verify-tree/1"' in e]


def compare_with_no_cache(
    run_cli: RunCli, root: Path, cache: Path, out: Path, reads: list[str], *args: str | Path
) -> set[str]:
    """The run with the store and without, byte for byte; the files the run with it read."""
    reads.clear()
    code, _, err = run_cli("run", root, *args, "--cache-dir", cache, "--output-dir", out / "warm")
    assert code in (0, 1), err
    read = under(root, reads)
    reference, _, err = run_cli("run", root, *args, "--no-cache", "--output-dir", out / "ref")
    assert reference == code, err
    assert outputs(out / "warm") == outputs(out / "ref")
    return read


def test_the_default_branch_run_writes_one_tree_entry(seeded: tuple[Path, Path]) -> None:
    (entry,) = tree_entries(seeded[1])
    assert b'"frontend/src/Page.astro":"nsemgrep cannot parse this file type"' in entry
    assert b'"backend/tests/test_gateway.py":"x"' in entry
    assert b'"backend/assets/blob.py":"nbinary content (not scanned)"' in entry
    assert b'"docs/notes.md":"o"' in entry
    assert b"migrates in PLAT-7" in entry  # the text of the file with an allow comment


def touch_violation(root: Path) -> None:
    path = root / VIOLATION
    path.write_text(path.read_text() + "\n\nEXTRA = 1\n")


def symlinks(root: Path) -> None:
    (root / "backend/api/alias_router.py").symlink_to("websocket_gateway_router.py")
    (root / "backend/api/outside.py").symlink_to("/etc/hostname")


CHANGES: dict[str, tuple[Callable[[git.Repo, Path], object], bool, set[str]]] = {
    # name: (the change, committed?, the files of the tree the warm run may read)
    "unchanged": (lambda repo, root: None, True, set()),
    "modified": (lambda repo, root: touch_violation(root), True, {VIOLATION}),
    "added": (
        lambda repo, root: write_files(
            root, {"backend/api/extra.py": '@app.websocket("/extra")\nasync def e(ws): ...\n'}
        ),
        True,
        {"backend/api/extra.py"},
    ),
    "deleted": (lambda repo, root: (root / ROUTER).unlink(), True, set()),
    "renamed": (
        lambda repo, root: repo.git.mv(ROUTER, "backend/api/gateway_router.py"),
        True,
        {"backend/api/gateway_router.py"},
    ),
    "turned binary": (
        lambda repo, root: (root / SESSION).write_bytes(b"\x00\x00"),
        True,
        {SESSION},
    ),
    "symlinks added": (
        lambda repo, root: symlinks(root),
        True,
        {"backend/api/alias_router.py"},  # the one outside is not followed: not read
    ),
    "untracked": (
        lambda repo, root: write_files(root, {"backend/api/scratch.py": "print('x')\n"}),
        False,
        {"backend/api/scratch.py"},
    ),
    "dirty tracked file": (lambda repo, root: touch_violation(root), False, {VIOLATION}),
    "newly allowed": (
        lambda repo, root: (root / VIOLATION).write_text(
            (root / VIOLATION)
            .read_text()
            .replace(
                'self.get_abstraction("websocket")',
                'self.get_abstraction("websocket")'
                "  # pattern-verify: allow no-direct-websocket-access -- PLAT-9",
            )
        ),
        True,
        {VIOLATION},
    ),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_pull_request_reads_only_what_changed_and_says_what_a_run_without_the_store_says(
    name: str,
    fresh: tuple[git.Repo, Path, Path],
    tmp_path: Path,
    run_cli: RunCli,
    reads: list[str],
) -> None:
    repo, root, cache = fresh
    change, committed, may_read = CHANGES[name]
    change(repo, root)
    if committed:
        commit_all(repo, name)
    read = compare_with_no_cache(run_cli, root, cache, tmp_path, reads, "--base", "main")
    assert read == may_read
    results = (tmp_path / "warm" / "results.json").read_text()
    assert "migrates in PLAT-7" in results  # an unchanged file's allow, from the entry
    if name == "newly allowed":
        assert "PLAT-9" in results


def test_a_file_that_differs_from_the_commit_is_left_out_of_the_entry(
    tmp_path: Path, run_cli: RunCli, reads: list[str]
) -> None:
    root, cache = tmp_path / "repo", tmp_path / "cache"
    repo = init_repo(root, project())
    touch_violation(root)  # not committed: its facts are not the commit's
    repo.git.mv(SESSION, "backend/experience/renamed_context.py")  # staged: both sides out
    read = compare_with_no_cache(run_cli, root, cache, tmp_path / "dirty", reads)
    (entry,) = tree_entries(cache)
    for path in (VIOLATION, SESSION, "backend/experience/renamed_context.py"):
        assert f'"{path}"'.encode() not in entry
    assert f'"{ROUTER}"'.encode() in entry
    # back to the commit: the entry vouches for every file but the ones it left out
    repo.git.reset("--hard")
    read = compare_with_no_cache(run_cli, root, cache, tmp_path / "clean", reads)
    assert read == {VIOLATION, SESSION}


def test_a_changed_gitattributes_falls_back_to_every_file(
    fresh: tuple[git.Repo, Path, Path], tmp_path: Path, run_cli: RunCli, reads: list[str]
) -> None:
    repo, root, cache = fresh
    write_files(root, {"frontend/.gitattributes": "*.md -diff\n"})
    touch_violation(root)
    commit_all(repo, "attributes")
    read = compare_with_no_cache(run_cli, root, cache, tmp_path, reads, "--base", "main")
    assert {ROUTER, SESSION, VIOLATION} <= read


def test_no_entry_where_git_may_convert_a_file_on_checkout(
    tmp_path: Path, run_cli: RunCli, reads: list[str]
) -> None:
    # with `text=auto`, a file git counts unchanged may hold CRLF where the blob has LF
    root, cache = tmp_path / "repo", tmp_path / "cache"
    init_repo(root, {**project(), ".gitattributes": "* text=auto\n"})
    assert run_cli("run", root, "-q", "--cache-dir", cache, "--output-dir", tmp_path / "a")[0] == 1
    assert tree_entries(cache) == []
    (root / SESSION).write_bytes((root / SESSION).read_bytes().replace(b"\n", b"\r\n"))
    assert not git.Repo(root).git.diff("--name-only", "HEAD")  # git's diff: unchanged
    read = compare_with_no_cache(run_cli, root, cache, tmp_path, reads)
    assert SESSION in read


def test_another_selection_is_another_entry(
    fresh: tuple[git.Repo, Path, Path], tmp_path: Path, run_cli: RunCli, reads: list[str]
) -> None:
    repo, root, cache = fresh
    write_files(root, {".github/pattern-verify.yml": "exclude:\n  - 'frontend/**'\n"})
    commit_all(repo, "exclude the frontend")
    read = compare_with_no_cache(run_cli, root, cache, tmp_path, reads, "--base", "main")
    assert {ROUTER, SESSION} <= read
    # the same holds of the command line's include/exclude
    read = compare_with_no_cache(
        run_cli, root, cache, tmp_path / "2", reads, "--base", "main", "--include", "backend/**"
    )
    assert ROUTER in read


@pytest.mark.parametrize("what", ["rules", "semgrep version"])
def test_other_rules_or_another_semgrep_miss_the_entry(
    what: str,
    fresh: tuple[git.Repo, Path, Path],
    tmp_path: Path,
    run_cli: RunCli,
    reads: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo, root, cache = fresh
    touch_violation(root)
    commit_all(repo, "change")
    args = ("run", root, "--base", "main", "--output-dir")
    code = run_cli(*args, tmp_path / "ref", "--no-cache")[0]
    if what == "rules":
        digest = facts.rules_digest
        monkeypatch.setattr(facts, "rules_digest", lambda config: digest(config) + "-other")
    else:
        fingerprint = scan.semgrep_fingerprint()
        assert fingerprint is not None
        monkeypatch.setattr(scan, "semgrep_fingerprint", lambda: fingerprint + "-other")
        monkeypatch.setattr(scan, "native_version", lambda: ("9.9.9", ""))
    reads.clear()
    assert run_cli(*args, tmp_path / "warm", "--cache-dir", cache)[0] == code
    assert {ROUTER, SESSION} <= under(root, reads)
    assert outputs(tmp_path / "warm") == outputs(tmp_path / "ref")


def test_the_key_is_made_of_what_decides_the_conclusions(seeded: tuple[Path, Path]) -> None:
    config = load_config(seeded[0], None)
    identity = facts.Identity.of(config)
    assert identity is not None
    key = trees.tree_key(identity, config, ".", "a" * 40, "settings")
    assert key == trees.tree_key(identity, config, ".", "a" * 40, "settings")
    others = {
        trees.tree_key(identity, config, ".", "b" * 40, "settings"),
        trees.tree_key(identity, config, "backend", "a" * 40, "settings"),
        trees.tree_key(identity, config, ".", "a" * 40, "core.autocrlf\ntrue"),
        trees.tree_key(
            dataclasses.replace(identity, semgrep_version="0.0.1"), config, ".", "a" * 40, "s"
        ),
        trees.tree_key(
            dataclasses.replace(identity, rules="other"), config, ".", "a" * 40, "settings"
        ),
        trees.tree_key(
            identity,
            config.model_copy(update={"include": ("backend/**",)}),
            ".",
            "a" * 40,
            "settings",
        ),
    }
    assert key not in others and len(others) == 6


def test_a_damaged_entry_is_ignored_and_replaced(
    seeded: tuple[Path, Path], tmp_path: Path, run_cli: RunCli, reads: list[str]
) -> None:
    root, cache = tmp_path / "repo", tmp_path / "cache"
    shutil.copytree(seeded[0], root, symlinks=True)
    shutil.copytree(seeded[1], cache)
    (pack,) = sorted((cache / "facts-v1").glob("*.pack"))
    header, *lines = pack.read_bytes().split(b"\n")
    (index,) = [i for i, line in enumerate(lines) if b'"pattern-verify-tree/1"' in line]
    # a conclusion changed under a sound checksum is still caught: the checksum is the line's
    lines[index] = lines[index].replace(b'"docs/notes.md":"o"', b'"docs/notes.md":"tpython"')
    pack.write_bytes(b"\n".join([header, *lines]))
    read = compare_with_no_cache(run_cli, root, cache, tmp_path / "corrupt", reads)
    assert {ROUTER, SESSION, VIOLATION} <= read
    assert not pack.exists()  # folded into the run's own pack, the damage left out
    assert len(tree_entries(cache)) == 1
    # truncated: the pack cut inside the entry
    (pack,) = [p for p in (cache / "facts-v1").glob("*.pack")]
    data = pack.read_bytes()
    start = data.index(b'"pattern-verify-tree/1"')
    pack.write_bytes(data[: start + 200])
    read = compare_with_no_cache(run_cli, root, cache, tmp_path / "truncated", reads)
    assert {ROUTER, SESSION, VIOLATION} <= read
    # replaced: the next run of the same commit reads nothing
    read = compare_with_no_cache(run_cli, root, cache, tmp_path / "again", reads)
    assert read == set()


def test_an_entry_filed_under_another_key_is_not_taken(
    seeded: tuple[Path, Path], tmp_path: Path, run_cli: RunCli, reads: list[str]
) -> None:
    root, cache = tmp_path / "repo", tmp_path / "cache"
    shutil.copytree(seeded[0], root, symlinks=True)
    shutil.copytree(seeded[1], cache)
    (pack,) = sorted((cache / "facts-v1").glob("*.pack"))
    header, *lines = pack.read_bytes().split(b"\n")
    (index,) = [i for i, line in enumerate(lines) if b'"pattern-verify-tree/1"' in line]
    key, _, entry = lines[index].split(b" ", 2)
    moved = entry.replace(key, b"f" * len(key))  # whole and checksummed, of another key
    lines[index] = key + b" " + _checksum(moved) + b" " + moved
    pack.write_bytes(b"\n".join([header, *lines]))
    read = compare_with_no_cache(run_cli, root, cache, tmp_path, reads)
    assert {ROUTER, SESSION, VIOLATION} <= read


def test_a_subdirectory_root_has_its_own_entry(
    tmp_path: Path, run_cli: RunCli, reads: list[str]
) -> None:
    root, cache = tmp_path / "repo", tmp_path / "cache"
    repo = init_repo(root, project())
    backend = root / "backend"
    code = run_cli("run", backend, "-q", "--cache-dir", cache, "--output-dir", tmp_path / "m")[0]
    assert code in (0, 1)
    assert len(tree_entries(cache)) == 1
    repo.git.checkout("-b", "feature")
    touch_violation(root)
    write_files(root, {"frontend/src/other.ts": "export const a = 1;\n"})  # outside the root
    commit_all(repo, "feature")
    read = compare_with_no_cache(run_cli, backend, cache, tmp_path, reads, "--base", "main")
    assert read == {VIOLATION.removeprefix("backend/")}
    # the whole tree is another root: its own entry, none yet
    read = compare_with_no_cache(run_cli, root, cache, tmp_path / "top", reads, "--base", "main")
    assert SESSION in read


def test_two_runs_writing_tree_entries_at_once_keep_the_store_sound(
    seeded: tuple[Path, Path], tmp_path: Path, run_cli: RunCli, reads: list[str]
) -> None:
    # two commits' runs at once into one store: each writes its tree entry (and its files')
    root, cache = tmp_path / "repo", tmp_path / "cache"
    shutil.copytree(seeded[0], root, symlinks=True)
    other = tmp_path / "other"
    shutil.copytree(seeded[0], other, symlinks=True)
    repo = git.Repo(other)
    touch_violation(other)
    commit_all(repo, "another commit")
    env = {k: v for k, v in os.environ.items() if k != "PATTERN_VERIFY_CACHE_DIR"}
    processes = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", "pattern_verify", "run", str(where), "-q"),
                *("--cache-dir", str(cache), "--output-dir", str(tmp_path / f"out-{n}")),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, where in enumerate((root, other))
    ]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 1, err
    assert not list(cache.rglob("*.tmp"))
    for key, entry in stored(cache).items():
        assert entry is not None, key
        decoded = facts.decode(facts._Entry, key, entry) or facts.decode(
            trees._TreeEntry, key, entry
        )
        # or the rules' prefilter formulas, noted by a run without a base, or a YAML file of
        # the config as read
        assert (
            decoded is not None
            or prefilter.remembered(key, entry)
            or remembered_yaml(key, entry) is not None
        ), key
    assert len(tree_entries(cache)) == 2
    # each run's tree entry serves the next run of its commit: nothing is read
    for n, where in enumerate((root, other)):
        read = compare_with_no_cache(run_cli, where, cache, tmp_path / f"again-{n}", reads)
        assert read == set()

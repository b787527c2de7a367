"""The facts store: a warm run scans only what changed and says exactly what a cold run and a
run without the store say; bad entries are never trusted; runs may share it at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import git
import pytest
from conftest import FIXTURES, commit_all, init_repo, write_files

from pattern_verify import facts, prefilter, scan, trees
from pattern_verify.config import load_config, remembered_yaml
from pattern_verify.scan import PARSE_FAILURE
from pattern_verify.store import FactsStore
from pattern_verify.targets import collect, with_base

RunCli = Callable[..., tuple[int, str, str]]
MINI_PACK = FIXTURES / "mini-pack"
OUTPUTS = ("report.md", "comment.md", "results.json")

BASE: dict[str, str | bytes | None] = {
    ".github/pattern-verify.yml": f"pack: {MINI_PACK}\n",
    "gateway/router.py": '@router.websocket("/ws")\ndef ws(s):\n    print("in gateway")\n',
    "app/old.py": 'def old():\n    print("legacy")\n',
    "app/moved.py": 'def moved():\n    print("moving")\n',
    "app/clean.py": "def clean():\n    return 1\n",
    "app/broken.py": "def broken(:\n    print('half')\n",
    **{f"lib/module_{n}.py": f"def f{n}():\n    return {n}\n" for n in range(12)},
}
CHANGE: dict[str, str | bytes | None] = {
    "app/clean.py": 'def clean():\n    print("new!")\n',
    "app/old.py": None,
    "app/new.py": '@app.websocket("/other")\ndef other(s):\n    pass\n',
}


def pr_repo(tmp_path: Path) -> tuple[git.Repo, Path]:
    """`main` with BASE, `feature` from it with CHANGE and app/moved.py renamed."""
    root = tmp_path / "repo"
    repo = init_repo(root, BASE)
    repo.git.checkout("-b", "feature")
    write_files(root, CHANGE)
    repo.git.mv("app/moved.py", "app/renamed.py")
    commit_all(repo, "feature")
    return repo, root


def outputs(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in OUTPUTS}


def entries(cache: Path) -> list[Path]:
    """The store's packs."""
    return sorted((cache / "facts-v1").glob("*.pack"))


def sound(cache: Path) -> dict[str, bytes]:
    """Every entry of the store, each checked to be whole (its checksum) and its key's."""
    store = FactsStore(cache, writable=False)
    found = {key.decode(): store.get(key.decode()) for key in store._load()}
    assert not store._damaged
    checked: dict[str, bytes] = {}
    for key, entry in found.items():
        assert entry is not None, key
        decoded = facts.decode(facts._Entry, key, entry) or facts.decode(
            trees._TreeEntry, key, entry
        )
        # or the rules' prefilter formulas, noted by a run without a base, or a YAML file
        # of the config as read
        assert (
            decoded is not None
            or prefilter.remembered(key, entry)
            or remembered_yaml(key, entry) is not None
        ), key
        checked[key] = entry
    return checked


def test_warm_results_are_byte_identical_to_cold_and_to_no_cache(
    tmp_path: Path, run_cli: RunCli
) -> None:
    repo, root = pr_repo(tmp_path)
    cache = tmp_path / "cache"
    runs = {
        "cold": ("--cache-dir", cache),
        "warm": ("--cache-dir", cache),
        "no-cache": ("--no-cache",),
    }
    seen: dict[str, dict[str, bytes]] = {}
    for name, flags in runs.items():
        code, _, err = run_cli(
            "run", root, "--base", "main", "--output-dir", tmp_path / name, *flags
        )
        assert code == 1, err  # the change adds a violation and an endpoint
        seen[name] = outputs(tmp_path / name)
        if name == "cold":
            assert entries(cache), "the cold run stored nothing"
            stored = entries(cache)
    assert seen["warm"] == seen["cold"] == seen["no-cache"]
    assert b'"new_violations": 2' in seen["warm"]["results.json"]
    assert b"app/broken.py" in seen["warm"]["report.md"]  # the parse failure, from the store
    assert b"app/renamed.py" in seen["warm"]["results.json"]  # the rename, re-pathed
    # the warm run found every entry it needed: it wrote nothing new
    assert entries(cache) == stored and len(stored) == 1
    assert not repo.git.status("--porcelain"), "the store must never show up in git"


def test_inline_allows_are_the_same_whether_the_store_read_the_files_or_not(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # with a store, the files its keys read are not read again for their allows
    allow = "    # pattern-verify: allow prints-confined -- {}\n"
    root = tmp_path / "repo"
    moved = "def moved():\n" + allow.format("kept from main") + '    print("moving")\n'
    repo = init_repo(root, {**BASE, "app/moved.py": moved})
    repo.git.checkout("-b", "feature")
    clean = "def clean():\n" + allow.format("added here") + '    print("new!")\n'
    write_files(root, {"app/clean.py": clean})
    commit_all(repo, "feature")
    cache = tmp_path / "cache"
    seen: dict[str, dict[str, bytes]] = {}
    for name, flags in {
        "cold": ("--cache-dir", cache),
        "warm": ("--cache-dir", cache),
        "no-cache": ("--no-cache",),
    }.items():
        run_cli("run", root, "--base", "main", "--output-dir", tmp_path / name, *flags)
        seen[name] = outputs(tmp_path / name)
    assert seen["warm"] == seen["cold"] == seen["no-cache"]
    results = seen["warm"]["results.json"]
    assert b"kept from main" in results and b"added here" in results


def test_a_pull_request_scans_only_its_changed_files_after_the_default_branch_ran(
    tmp_path: Path,
) -> None:
    repo, root = pr_repo(tmp_path)
    store = FactsStore(tmp_path / "cache")
    config = load_config(root, None)
    repo.git.checkout("main")
    with facts.started(config, collect(root, config), store=store) as running:
        assert len(running.missing) == len(running.selected) == 17
        running.facts()
    repo.git.checkout("feature")
    with (
        with_base(collect(root, config), config, "main") as targets,
        facts.started(config, targets, store=store) as running,
    ):
        scanned = sorted((t.side, t.name) for t in running.missing)
        found = running.facts()
    # the base versions (main's files) and the renamed file come from the store
    assert scanned == [("head", "app/clean.py"), ("head", "app/new.py")]
    assert found.scanned == 2
    renamed = [t for t in found.files if t.name == "app/renamed.py"]
    assert [f.path for f in found.result().head if f.path == "app/renamed.py"]
    assert renamed and found.files[renamed[0]].findings


def test_corrupt_truncated_and_foreign_entries_are_ignored_and_replaced(
    tmp_path: Path, run_cli: RunCli
) -> None:
    _, root = pr_repo(tmp_path)
    cache = tmp_path / "cache"
    args = ("run", root, "--base", "main", "--cache-dir", cache, "--output-dir")
    assert run_cli(*args, tmp_path / "cold")[0] == 1
    (pack,) = entries(cache)
    before = sound(cache)
    header, *lines = pack.read_bytes().split(b"\n")
    with_findings = [i for i, line in enumerate(lines) if b'"findings"' in line]
    assert len(with_findings) >= 3
    cut, flipped, foreign = with_findings[:3]
    lines[cut] = lines[cut][: len(lines[cut]) // 2]  # truncated inside
    lines[flipped] = lines[flipped].replace(b'"line":', b'"line":9')  # corrupt: a wrong line
    # a whole entry with a sound checksum, filed under another key: never taken for it
    key = lines[foreign].split(b" ", 1)[0]
    other = lines[with_findings[-1] if with_findings[-1] != foreign else 0].split(b" ", 2)[2]
    lines[foreign] = key + b" " + store_checksum(other) + b" " + other
    damaged = b"\n".join([header, *lines])
    pack.write_bytes(damaged[:-30])  # and the pack cut short
    (cache / "facts-v1" / "junk.pack").write_bytes(b"\x00\xffnot a pack")  # foreign file
    assert run_cli(*args, tmp_path / "warm")[0] == 1
    assert outputs(tmp_path / "warm") == outputs(tmp_path / "cold")
    # the damaged pack and the foreign file are gone, every entry is sound again
    assert not pack.exists() and not (cache / "facts-v1" / "junk.pack").exists()
    assert sound(cache) == before


def store_checksum(entry: bytes) -> bytes:
    from pattern_verify.store import _checksum

    return _checksum(entry)


def test_two_runs_at_once_on_one_store(tmp_path: Path, run_cli: RunCli) -> None:
    _, root = pr_repo(tmp_path)
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "pattern_verify", "run", str(root), "--base", "main", "-q"]
    env = {k: v for k, v in os.environ.items() if k != "PATTERN_VERIFY_CACHE_DIR"}
    processes = [
        subprocess.Popen(
            [*command, "--cache-dir", str(cache), "--output-dir", str(tmp_path / f"run{n}")],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 1, err
    assert (
        run_cli("run", root, "--base", "main", "--no-cache", "--output-dir", tmp_path / "ref")[0]
        == 1
    )
    assert outputs(tmp_path / "run1") == outputs(tmp_path / "run2") == outputs(tmp_path / "ref")
    # every entry whole, no temporary file left behind
    assert sound(cache)
    assert not list(cache.rglob("*.tmp"))
    # and a third run reads what they wrote
    assert run_cli(*command[3:], "--cache-dir", cache, "--output-dir", tmp_path / "run3")[0] == 1
    assert outputs(tmp_path / "run3") == outputs(tmp_path / "ref")


def test_a_changed_rule_set_invalidates(tmp_path: Path, run_cli: RunCli) -> None:
    rule = """rules:
  - id: no-eval
    languages: [python]
    severity: INFO
    message: call of `$X`
    metadata: {fact: eval-call, captures: [x]}
    pattern: eval($X)
"""
    config = (
        f"pack: {MINI_PACK}\n"
        """requirements:
  - id: no-eval
    title: No eval
    rules: [.github/rules/no-eval.yaml]
    checks:
      - {kind: forbid, facts: [eval-call]}
"""
    )
    root = tmp_path / "repo"
    init_repo(
        root,
        {
            ".github/pattern-verify.yml": config,
            ".github/rules/no-eval.yaml": rule,
            "app/a.py": "eval('1')\nexec('2')\n",
        },
    )
    cache = tmp_path / "cache"
    args = ("run", root, "--cache-dir", cache, "--output-dir")
    assert run_cli(*args, tmp_path / "first")[0] == 1
    assert b"eval('1')" in (tmp_path / "first/results.json").read_bytes()
    write_files(root, {".github/rules/no-eval.yaml": rule.replace("eval($X)", "exec($X)")})
    assert run_cli(*args, tmp_path / "second")[0] == 1
    results = (tmp_path / "second/results.json").read_bytes()
    assert b"exec('2')" in results and b"eval('1')" not in results
    run_cli("run", root, "--no-cache", "--output-dir", tmp_path / "reference")
    assert outputs(tmp_path / "second") == outputs(tmp_path / "reference")


def test_another_semgrep_engine_or_tool_version_invalidates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, root = pr_repo(tmp_path)
    config = load_config(root, None)
    targets = collect(root, config)

    def missing(engine: str = "auto") -> int:
        """How many files a run had to scan (a fresh store object: a run of its own)."""
        store = FactsStore(tmp_path / "cache")
        with facts.started(config, targets, store=store, engine=engine) as running:
            running.facts()
            return len(running.missing)

    total = len(targets.files)
    assert missing() == total
    assert missing() == 0
    # the other semgrep CLI: other keys (its facts are checked alike, not assumed alike)
    assert missing("python") == total
    assert missing("python") == 0
    assert missing("native") == 0  # auto chose the native CLI here
    real, _ = scan.native_version()
    fingerprint = scan.semgrep_fingerprint()
    assert real is not None and fingerprint is not None
    # another semgrep installed (another command: the store's note of the version is not its)
    monkeypatch.setattr(scan, "semgrep_fingerprint", lambda: fingerprint + "-other")
    monkeypatch.setattr(scan, "native_version", lambda: ("9.9.9", ""))
    # the keys name another semgrep: nothing is found, and since the semgrep that scanned is
    # not the one the keys name, nothing is stored under them either
    assert missing() == total
    assert missing() == total
    monkeypatch.setattr(scan, "semgrep_fingerprint", lambda: fingerprint)
    monkeypatch.setattr(scan, "native_version", lambda: (real, ""))
    assert missing() == 0
    monkeypatch.setattr(facts, "__version__", "999.0")
    assert missing() == total


def semgrep_wrapper(directory: Path) -> Path:
    """A `semgrep` command of its own (running the real one), first on PATH."""
    real = scan.semgrep_command()[0]
    directory.mkdir(parents=True, exist_ok=True)
    command = directory / "semgrep"
    command.write_text(f'#!/bin/sh\nexec {real} "$@"\n')
    command.chmod(0o755)
    return command


def test_semgrep_is_asked_its_version_once_per_installed_semgrep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, root = pr_repo(tmp_path)
    config = load_config(root, None)
    targets = collect(root, config)
    command = semgrep_wrapper(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{command.parent}{os.pathsep}{os.environ['PATH']}")
    asked: list[str] = []
    real_version = scan.native_version

    def counted() -> tuple[str | None, str]:
        asked.append(scan.semgrep_command()[0])
        return real_version()

    monkeypatch.setattr(scan, "native_version", counted)

    def run(store: FactsStore | None) -> scan.ScanResult:
        with facts.started(config, targets, store=store) as running:
            return running.result()

    cache = tmp_path / "cache"
    cold = run(FactsStore(cache))
    assert asked == [str(command)]
    warm = run(FactsStore(cache))
    assert asked == [str(command)], "the store's note of this semgrep's version was not used"
    read_only = run(FactsStore(cache, writable=False))
    assert asked == [str(command)]
    assert cold == warm == read_only
    assert warm.engine is not None and warm.engine == cold.engine
    # semgrep installed again (its command rewritten): asked again, and noted again
    later = time.time_ns() + 10**9
    os.utime(command, ns=(later, later))
    assert run(FactsStore(cache)) == cold
    assert len(asked) == 2
    run(FactsStore(cache))
    assert len(asked) == 2
    # no store: nothing to note it in, so every run asks
    assert run(None) == cold
    assert len(asked) == 3


def test_a_semgrep_replaced_under_the_same_command_is_caught_by_its_own_scan(
    tmp_path: Path,
) -> None:
    _, root = pr_repo(tmp_path)
    config = load_config(root, None)
    cache = tmp_path / "cache"
    with facts.started(config, collect(root, config), store=FactsStore(cache)) as running:
        running.facts()
    real, _ = scan.native_version()
    fingerprint = scan.semgrep_fingerprint()
    assert real is not None and fingerprint is not None
    # the store notes another version for this very command (a semgrep replaced in place,
    # its command's size and time kept)
    store = FactsStore(cache)
    key = facts._remembered_key(fingerprint)
    store.put(key, facts._encode_version(key, "9.9.9"))
    store.flush()
    write_files(root, {"app/clean.py": 'def clean():\n    print("changed")\n'})
    targets = collect(root, config)
    with facts.started(config, targets, store=FactsStore(cache)) as running:
        assert running.identity is not None and running.identity.remembered
        assert running.identity.semgrep_version == "9.9.9"
        # keys of a semgrep that never stored anything: every file is scanned, and the scan
        # says which semgrep ran; the run does not take the note's word for it
        found = running.facts()
    assert found.engine is not None and found.engine.semgrep_version == real
    with facts.started(config, targets) as plain:
        assert found.result() == plain.result()
    # the note now says what semgrep said, and the facts are under the right keys
    with facts.started(config, targets, store=FactsStore(cache)) as running:
        assert running.identity is not None and running.identity.semgrep_version == real
        assert running.missing == []
        running.facts()


def test_timeouts_are_never_kept_parse_failures_are() -> None:
    assert facts.keepable(facts.FileFacts())
    assert facts.keepable(facts.FileFacts(not_verified=PARSE_FAILURE))
    assert not facts.keepable(facts.FileFacts(not_verified="semgrep timed out on it"))
    assert not facts.keepable(facts.FileFacts(not_verified="semgrep ran out of memory on it"))


def a_run(cache: Path, writes: list[str], reads: tuple[str, ...] = (), **kw: int) -> None:
    """One run's use of the store: read some keys, write others, flush."""
    store = FactsStore(cache, **kw)
    for key in reads:
        assert store.get(key) is not None, key
    for key in writes:
        store.put(key, key.encode() * 30)  # ~2 KB
    store.flush()


def test_the_store_is_pruned_least_recently_used_first(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    keys = [[f"{run:02x}{n:02x}" + "0" * 60 for n in range(2)] for run in range(6)]
    for age, run_keys in enumerate(keys):
        a_run(cache, run_keys)
        (newest,) = [p for p in entries(cache) if p.stat().st_mtime > time.time() - 100]
        os.utime(newest, (time.time() - 1000 + age, time.time() - 1000 + age))
    assert len(entries(cache)) == 6
    # the oldest pack is read now, then a run adds one more past the budget
    a_run(cache, ["ff" + "0" * 62], reads=(keys[0][0],), max_bytes=12_000)
    left = FactsStore(cache, writable=False)
    assert left.get(keys[0][0]) and left.get("ff" + "0" * 62)  # read now; written now
    assert left.get(keys[1][0]) is None and left.get(keys[2][0]) is None  # least recently used
    assert sum(p.stat().st_size for p in entries(cache)) <= 12_000 * 0.8


def test_many_packs_are_folded_into_one(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    keys = [f"{n:02x}" + "0" * 62 for n in range(6)]
    for key in keys:
        a_run(cache, [key], max_packs=4)
    assert len(entries(cache)) == 2  # the 5th run folded the four before into its pack
    assert all(FactsStore(cache).get(key) for key in keys)


def test_a_corrupt_line_is_found_when_read_and_never_carried_on_by_a_fold(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    first = FactsStore(cache)
    first.put("aa", b'{"sound":1}')
    first.put("bb", b'{"sound":2}')
    first.flush()
    (pack,) = entries(cache)
    pack.write_bytes(pack.read_bytes().replace(b'{"sound":2}', b'{"sound":3}'))
    reader = FactsStore(cache, writable=False)
    assert reader.get("aa") == b'{"sound":1}'
    assert reader.get("bb") is None  # its checksum no longer holds
    # a run that never read it folds the pack into its own: the line is left behind
    writer = FactsStore(cache, max_packs=1)
    writer.put("cc", b'{"sound":4}')
    writer.flush()
    assert not pack.exists() and len(entries(cache)) == 1
    after = FactsStore(cache)
    assert after.get("aa") == b'{"sound":1}' and after.get("cc") == b'{"sound":4}'
    assert after.get("bb") is None and not after._damaged


def test_a_read_only_store_is_read_and_never_written(tmp_path: Path) -> None:
    _, root = pr_repo(tmp_path)
    config = load_config(root, None)
    targets = collect(root, config)
    with facts.started(config, targets, store=FactsStore(tmp_path / "ro", writable=False)) as r:
        r.facts()
    assert not (tmp_path / "ro").exists()
    with facts.started(config, targets, store=FactsStore(tmp_path / "rw")) as r:
        r.facts()
    reader = FactsStore(tmp_path / "rw", writable=False)
    with facts.started(config, targets, store=reader) as r:
        assert r.missing == []
        r.facts()
    assert reader.written == 0 and not reader._new


def test_the_default_store_is_at_the_repository_top_and_ignored(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PATTERN_VERIFY_CACHE_DIR")
    repo, root = pr_repo(tmp_path)
    assert run_cli("run", root / "app", "--output-dir", tmp_path / "out", "-q")[0] in (0, 1)
    store = root / ".pattern-verify-cache"
    assert (store / ".gitignore").read_text().splitlines()[-1] == "*"
    assert entries(store)
    assert not repo.git.status("--porcelain", "--ignored=no")
    monkeypatch.setenv("PATTERN_VERIFY_CACHE_DIR", str(tmp_path / "from-env"))
    run_cli("run", root, "--output-dir", tmp_path / "out", "-q")
    assert entries(tmp_path / "from-env")
    run_cli("run", root, "--no-cache", "--cache-dir", tmp_path / "unused", "--output-dir", tmp_path)
    assert not (tmp_path / "unused").exists()


def test_outside_a_repository_an_explicit_store_inside_the_tree_is_not_scanned(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "tree"
    write_files(root, {k: v for k, v in BASE.items() if not k.startswith(".github")})
    args = ("run", root, "--include", "app/**", "--output-dir")
    run_cli(*args, tmp_path / "cold", "--cache-dir", root / "store")
    run_cli(*args, tmp_path / "warm", "--cache-dir", root / "store")
    run_cli(*args, tmp_path / "none", "--no-cache")
    assert outputs(tmp_path / "cold") == outputs(tmp_path / "warm") == outputs(tmp_path / "none")


def test_a_file_changed_while_the_run_reads_it_is_not_kept(tmp_path: Path) -> None:
    _, root = pr_repo(tmp_path)
    config = load_config(root, None)
    targets = collect(root, config)
    path = root / "app/clean.py"
    original = path.read_bytes()
    later = time.time_ns() + 5 * 10**9
    with facts.started(config, targets, store=FactsStore(tmp_path / "cache")) as running:
        # saved by an editor while semgrep runs: which bytes semgrep read is unknown
        path.write_text("def clean():\n    print('edited meanwhile')\n")
        os.utime(path, ns=(later, later))
        running.facts()
    path.write_bytes(original)
    os.utime(path, ns=(later + 10**9, later + 10**9))
    with facts.started(config, targets, store=FactsStore(tmp_path / "cache")) as running:
        # the file's facts were not kept under either content's key; the others were
        assert [t.name for t in running.missing] == ["app/clean.py"]
        running.facts()

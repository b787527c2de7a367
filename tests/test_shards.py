"""Shards: N runs each scan a slice and write its facts; one run merges them and says exactly
what a single run says, or names the shard that does not belong."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import git
import pytest
from conftest import commit_all, write_files
from test_facts_store import pr_repo

from pattern_verify.facts import Target
from pattern_verify.shards import Shard

RunCli = Callable[..., tuple[int, str, str]]
OUTPUTS = ("report.md", "comment.md", "results.json")


def outputs(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in OUTPUTS}


def make_shards(run_cli: RunCli, root: Path, out: Path, count: int, *extra: str) -> list[Path]:
    made = []
    for index in range(1, count + 1):
        directory = out / f"shard-{index}"
        code, stdout, stderr = run_cli(
            "run", root, "--base", "main", "--shard", f"{index}/{count}",
            "--output-dir", directory, *extra,
        )  # fmt: skip
        assert code == 0, stderr
        assert f"shard {index}/{count}: wrote" in stdout
        assert [p.name for p in directory.iterdir()] == [f"facts-{index}-of-{count}.json"]
        made.append(directory)
    return made


def merge(run_cli: RunCli, root: Path, out: Path, *facts: Path) -> tuple[int, str]:
    args: list[str | Path] = ["run", root, "--base", "main", "--output-dir", out]
    for location in facts:
        args += ["--facts", location]
    code, stdout, stderr = run_cli(*args)
    return code, stdout + stderr


@pytest.fixture
def sharded(tmp_path: Path, run_cli: RunCli) -> tuple[git.Repo, Path, list[Path]]:
    repo, root = pr_repo(tmp_path)
    return repo, root, make_shards(run_cli, root, tmp_path, 3, "--no-cache")


def test_shards_merged_equal_the_single_run(
    tmp_path: Path, run_cli: RunCli, sharded: tuple[git.Repo, Path, list[Path]]
) -> None:
    _, root, made = sharded
    held = [json.loads(next(d.iterdir()).read_text()) for d in made]
    # every file (head and base versions) in exactly one shard, and every shard holds some
    heads = [name for document in held for name in document["head"]]
    bases = [name for document in held for name in document["base"]]
    assert len(heads) == len(set(heads)) == 17
    assert sorted(bases) == ["app/clean.py", "app/moved.py", "app/old.py"]
    assert all(document["head"] for document in held)
    code, output = merge(run_cli, root, tmp_path / "merged", *made)
    assert code == 1, output
    assert run_cli("run", root, "--base", "main", "--output-dir", tmp_path / "single")[0] == 1
    assert outputs(tmp_path / "merged") == outputs(tmp_path / "single")
    # all the shards' files in one directory (download-artifact's merge-multiple) work alike
    together = tmp_path / "together"
    together.mkdir()
    for directory in made:
        for file in directory.iterdir():
            shutil.copy(file, together / file.name)
    assert merge(run_cli, root, tmp_path / "merged2", together)[0] == 1
    assert outputs(tmp_path / "merged2") == outputs(tmp_path / "single")


def test_a_missing_shard_is_named(
    tmp_path: Path, run_cli: RunCli, sharded: tuple[git.Repo, Path, list[Path]]
) -> None:
    _, root, made = sharded
    code, output = merge(run_cli, root, tmp_path / "out", made[0], made[2])
    assert code == 2
    assert "shard 2 of 3 missing" in output
    assert not (tmp_path / "out").exists()


def test_a_duplicate_shard_is_named(
    tmp_path: Path, run_cli: RunCli, sharded: tuple[git.Repo, Path, list[Path]]
) -> None:
    _, root, made = sharded
    copy = tmp_path / "copy"
    shutil.copytree(made[1], copy)
    code, output = merge(run_cli, root, tmp_path / "out", *made, copy)
    assert code == 2
    assert "shard 2/3" in output and "given twice" in output and "facts-2-of-3.json" in output


def test_a_shard_of_another_commit_is_named(
    tmp_path: Path, run_cli: RunCli, sharded: tuple[git.Repo, Path, list[Path]]
) -> None:
    repo, root, made = sharded
    write_files(root, {"app/later.py": "def later():\n    return 2\n"})
    commit_all(repo, "later")
    code, output = merge(run_cli, root, tmp_path / "out", *made)
    assert code == 2
    assert "shard 1/3" in output and "made at commit" in output
    assert repo.head.commit.hexsha[:12] in output


def test_a_shard_of_another_config_is_named(
    tmp_path: Path, run_cli: RunCli, sharded: tuple[git.Repo, Path, list[Path]]
) -> None:
    _, root, made = sharded
    other = make_shards(run_cli, root, tmp_path / "other", 3, "--no-cache", "--exclude", "lib/**")
    code, output = merge(run_cli, root, tmp_path / "out", made[0], other[1], made[2])
    assert code == 2
    assert "shard 2/3" in output and "holds other files than this run's targets" in output
    # another rule set
    write_files(root, {".github/alt.yml": "pack: websocket-gateway\n"})
    code, _, stderr = run_cli(
        "run", root, "--base", "main", "--config", root / ".github/alt.yml",
        "--output-dir", tmp_path / "out", "--facts", made[0], "--facts", made[1],
        "--facts", made[2],
    )  # fmt: skip
    assert code == 2
    assert "made with another config" in stderr and "facts-1-of-3.json" in stderr


def test_shards_of_two_splits_and_files_that_are_not_facts(
    tmp_path: Path, run_cli: RunCli, sharded: tuple[git.Repo, Path, list[Path]]
) -> None:
    _, root, made = sharded
    two = make_shards(run_cli, root, tmp_path / "two", 2, "--no-cache")
    code, output = merge(run_cli, root, tmp_path / "out", *made, two[0])
    assert code == 2 and "shards of two different splits" in output
    bogus = tmp_path / "bogus" / "facts-1-of-1.json"
    bogus.parent.mkdir()
    bogus.write_text('{"format": "something else"}')
    code, output = merge(run_cli, root, tmp_path / "out", bogus.parent)
    assert code == 2 and f"{bogus}: not the facts of a pattern-verify shard" in output
    empty = tmp_path / "empty"
    empty.mkdir()
    code, output = merge(run_cli, root, tmp_path / "out", empty)
    assert code == 2 and f"--facts {empty}: no shard facts in it" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("value", ["0/4", "5/4", "1/0", "x", "2"])
def test_a_bad_shard_is_a_usage_error(tmp_path: Path, run_cli: RunCli, value: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_cli("run", tmp_path, "--shard", value)
    assert exit_info.value.code == 2


def test_each_file_is_in_exactly_one_shard_and_the_split_is_even() -> None:
    names = [f"pkg_{n}/module_{n}.py" for n in range(400)]
    shards = [Shard(k, 4) for k in range(1, 5)]
    holding = {n: [s.index for s in shards if s.holds(Target("head", n, n, n))] for n in names}
    assert all(len(found) == 1 for found in holding.values())
    sizes = [sum(1 for found in holding.values() if found == [k]) for k in range(1, 5)]
    assert min(sizes) > 70  # about a quarter each
    # the base version of a changed file goes where its head path goes
    base = Target("base", "old/name.py", "/tmp/x/old/name.py", names[0])
    assert [s.index for s in shards if s.holds(base)] == holding[names[0]]

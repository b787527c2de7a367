"""The base versions of a pull request's changed files, read in one `git cat-file --batch`:
odd names, files too large, directories in their place, untracked files, a subdirectory root."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, commit_all, init_repo, write_files

from pattern_verify import targets
from pattern_verify.config import load_config

ODD_NAMES = [
    "app/with space.py",
    "app/x blob 5.py",  # looks like an object header to a careless parser
    "app/new\nline.py",
    "app/ünïcødé.py",
]


def _base_contents(root: Path) -> dict[str, bytes]:
    config = load_config(root)
    head = targets.collect(root, config)
    with targets.with_base(head, config, "main") as scanned:
        assert scanned.base is not None
        files = scanned.base.files.items()
        return {head_path: Path(file).read_bytes() for file, head_path in files}


def test_base_versions_of_changed_files_are_read_exactly(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    base: dict[str, str | bytes | None] = {
        ".github/pattern-verify.yml": f"pack: {FIXTURES / 'mini-pack'}\n",
        "app/big.py": "x = 1\n" * 200_000,  # over the size limit: not scanned at the base
        "app/was_a_file.py": "print('file')\n",
        "app/binary_ok.py": b"print('\xc3\xa9')\r\n\x7f",
        "app/unchanged.py": "print('same')\n",
        "app/renamed_from.py": "print('renamed')\n",
    }
    base.update({name: f"print({name!r})\n" for name in ODD_NAMES})
    repo = init_repo(root, base)
    repo.git.checkout("-b", "feature")
    change: dict[str, str | bytes | None] = {name: "# changed\n" for name in ODD_NAMES}
    change.update(
        {
            "app/big.py": "x = 2\n",
            "app/was_a_file.py": None,
            "app/was_a_file.py/inside.py": "print('now a directory')\n",
            "app/binary_ok.py": "print('changed')\n",
            "app/renamed_from.py": None,
            "app/renamed_to.py": "print('renamed')\n",
        }
    )
    write_files(root, change)
    commit_all(repo, "feature")
    write_files(root, {"app/untracked.py": "print('not committed')\n"})

    contents = _base_contents(root)
    expected = {name: f"print({name!r})\n".encode() for name in ODD_NAMES}
    expected["app/was_a_file.py"] = b"print('file')\n"  # deleted: compares with its own path
    expected["app/binary_ok.py"] = b"print('\xc3\xa9')\r\n\x7f"
    expected["app/renamed_to.py"] = b"print('renamed')\n"  # renamed: compares with its new path
    assert contents == expected

    config = load_config(root)
    with targets.with_base(targets.collect(root, config), config, "main") as scanned:
        assert scanned.base is not None
        news = {c.new for c in scanned.base.changes if c.old is None}
        assert {"app/untracked.py", "app/was_a_file.py/inside.py"} <= news
        assert scanned.repository.changed_files == len(scanned.base.changes)


def test_a_subdirectory_root_reads_its_own_base_versions(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    repo = init_repo(
        top,
        {
            "service/.github/pattern-verify.yml": f"pack: {FIXTURES / 'mini-pack'}\n",
            "service/app/a.py": "print('a at base')\n",
            "other/app/a.py": "print('other at base')\n",
        },
    )
    repo.git.checkout("-b", "feature")
    write_files(
        top,
        {
            "service/app/a.py": "print('a at head')\n",
            "other/app/a.py": "print('other at head')\n",
            "service/app/untracked.py": "print('u')\n",
            "other/untracked.py": "print('u')\n",
        },
    )
    commit_all(repo, "feature")
    write_files(top, {"service/app/untracked.py": "print('u')\n", "other/u.py": "print('u')\n"})
    root = top / "service"
    assert _base_contents(root) == {"app/a.py": b"print('a at base')\n"}
    config = load_config(root)
    with targets.with_base(targets.collect(root, config), config, "main") as scanned:
        assert scanned.base is not None
        assert {(c.old, c.new) for c in scanned.base.changes} == {
            ("app/a.py", "app/a.py"),
            (None, "app/untracked.py"),
        }

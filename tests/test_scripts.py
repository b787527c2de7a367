"""Script blocks of .vue/.svelte/.html files: which blocks are code, in which language, and the
scratch file that keeps every line, column and byte offset of the component. End to end (with
semgrep and the report's links) in tests/test_websocket_pack.py and the corpus."""

from __future__ import annotations

from pathlib import Path

from pattern_verify.scripts import find_blocks, masked, write_scripts

PAGE = b"""<!doctype html>
<script type="application/json">{"x": "new WebSocket('/no')"}</script>
<!-- <script>new WebSocket('/old')</script> -->
<script src="/vendor.js"></script>
<script type="module">
  const feed = new WebSocket('wss://h/ws');
</script>
<p>caf\xc3\xa9</p>
<SCRIPT>window.ready = true;</SCRIPT >
"""


def test_only_javascript_blocks_with_code_count() -> None:
    blocks = find_blocks(PAGE)
    bodies = [PAGE[start:end].strip() for start, end in blocks.spans]
    assert bodies == [b"const feed = new WebSocket('wss://h/ws');", b"window.ready = true;"]
    assert blocks.extension == ".js"
    assert blocks.unsupported == ()


def test_the_scratch_file_keeps_lines_columns_and_offsets() -> None:
    blocks = find_blocks(PAGE)
    out = masked(PAGE, blocks.spans)
    assert len(out) == len(PAGE)
    assert out.count(b"\n") == PAGE.count(b"\n")
    offset = PAGE.index(b"new WebSocket('wss")
    assert out[offset : offset + 13] == b"new WebSocket"
    assert b"<p>" not in out and b"/no" not in out and b"/old" not in out
    line = out.split(b"\n")[5]
    assert line == b"  const feed = new WebSocket('wss://h/ws');"


def test_the_language_follows_lang() -> None:
    vue = (
        b"<template><a/></template>\n<script>export default {}</script>\n"
        b'<script setup lang="ts">const n: number = 1</script>\n'
    )
    assert find_blocks(vue).extension == ".ts"
    assert find_blocks(b"<script lang='tsx'>const a = <b/></script>").extension == ".tsx"
    svelte = b'<script context="module">export const x = 1;</script>\n<script>let y = 2;</script>'
    assert find_blocks(svelte).extension == ".js"
    assert len(find_blocks(svelte).spans) == 2


def test_blocks_in_other_languages_are_reported_not_scanned(tmp_path: Path) -> None:
    (tmp_path / "Old.vue").write_bytes(b'<script lang="coffee">\nx = 1\n</script>\n')
    (tmp_path / "New.vue").write_bytes(b'<script lang="ts">\nconst x = 1\n</script>\n')
    (tmp_path / "Empty.vue").write_bytes(b"<template><p>no script</p></template>\n")
    scratch, skipped = write_scripts(
        {tmp_path / name: f"src/{name}" for name in ("Old.vue", "New.vue", "Empty.vue")},
        tmp_path / "scratch",
    )
    assert list(scratch.values()) == ["src/New.vue"]
    (written,) = scratch
    assert written.endswith("src/New.vue.ts")
    assert Path(written).read_bytes() == b"                  \nconst x = 1\n         \n"
    assert [(s.path, s.reason) for s in skipped] == [
        ("src/Old.vue", 'script blocks in lang="coffee" (not scanned)')
    ]

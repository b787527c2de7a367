"""Script blocks of single-file components and HTML pages, scanned as the JS/TS they hold.

semgrep cannot parse a `.vue`, `.svelte` or `.html` file whole, and many frontends open their
sockets there. Each such file's `<script>` blocks are written to a scratch file of the blocks'
language in which every byte outside the blocks is a space (line breaks kept): lines, columns
and byte offsets stay the component's own, so a finding maps back to the component by its
path alone, and its matched text reads the same from either file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pattern_verify.models import SkippedFile

# extension → what the file is, for the scope's count by language
EXTENSIONS = {".vue": "vue", ".svelte": "svelte", ".html": "html", ".htm": "html"}
# the rule languages whose rules these blocks are scanned with
LANGUAGES = frozenset({"javascript", "typescript", "js", "ts"})

_SCRIPT = re.compile(rb"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.I | re.S)
_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_ATTRIBUTE = re.compile(rb"""([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
# `type` values that hold JavaScript (absent = JavaScript); data and templates do not
_SCRIPT_TYPES = frozenset(
    {"", "text/javascript", "application/javascript", "module", "text/ecmascript", "text/jsx"}
)
# `lang` → scratch extension: semgrep picks its parser by the extension
_LANG_EXTENSIONS = {
    "": ".js",
    "js": ".js",
    "javascript": ".js",
    "jsx": ".jsx",
    "ts": ".ts",
    "typescript": ".ts",
    "tsx": ".tsx",
}
# one parser for a file's blocks: TypeScript's also reads JavaScript, TSX also JSX
_STRONGER = [".tsx", ".ts", ".jsx", ".js"]
_SPACES = bytes(b if b in b"\r\n" else 0x20 for b in range(256))


def is_script_host(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in EXTENSIONS


@dataclass(frozen=True)
class Blocks:
    spans: tuple[tuple[int, int], ...]  # byte ranges of script code
    extension: str  # of the scratch file
    unsupported: tuple[str, ...]  # languages of blocks that cannot be scanned (lang="coffee")


def find_blocks(data: bytes) -> Blocks:
    """The script blocks of a component or page: their code's byte ranges and language."""
    # a commented-out block is not code: blank the comments (same length) before looking
    searchable = _COMMENT.sub(lambda m: b" " * len(m.group(0)), data)
    spans: list[tuple[int, int]] = []
    extensions: set[str] = set()
    unsupported: list[str] = []
    for match in _SCRIPT.finditer(searchable):
        attributes = {
            name.decode("utf-8", "replace").lower(): value.strip(b"\"'")
            .decode("utf-8", "replace")
            .strip()
            .lower()
            for name, value in _ATTRIBUTE.findall(match.group("attrs"))
        }
        if attributes.get("type", "") not in _SCRIPT_TYPES:
            continue  # JSON, import maps, templates
        extension = _LANG_EXTENSIONS.get(attributes.get("lang", ""))
        if extension is None:
            unsupported.append(attributes["lang"])
            continue
        if not match.group("body").strip():
            continue  # `<script src="...">`: that file is scanned on its own
        spans.append(match.span("body"))
        extensions.add(extension)
    chosen = next((e for e in _STRONGER if e in extensions), ".js")
    return Blocks(tuple(spans), chosen, tuple(sorted(set(unsupported))))


def masked(data: bytes, spans: tuple[tuple[int, int], ...]) -> bytes:
    """`data` with every byte outside `spans` a space, line breaks kept."""
    out = bytearray(data.translate(_SPACES))
    for start, end in spans:
        out[start:end] = data[start:end]
    return bytes(out)


def write_scripts(
    sources: Mapping[Path, str], directory: Path
) -> tuple[dict[str, str], tuple[SkippedFile, ...]]:
    """The script blocks of each source file (file → the path reported for it), each written to
    a scratch file under `directory`. Returns scratch file → reported path, and the files
    whose blocks could not all be scanned."""
    scratch: dict[str, str] = {}
    skipped: list[SkippedFile] = []
    for source, reported in sorted(sources.items(), key=lambda item: item[1]):
        try:
            data = source.read_bytes()
        except OSError as exc:
            skipped.append(SkippedFile(path=reported, reason=f"cannot be read ({exc.strerror})"))
            continue
        blocks = find_blocks(data)
        if blocks.unsupported:
            languages = ", ".join(f'lang="{lang}"' for lang in blocks.unsupported)
            skipped.append(
                SkippedFile(path=reported, reason=f"script blocks in {languages} (not scanned)")
            )
        if not blocks.spans:
            continue
        target = directory / (reported + blocks.extension)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(masked(data, blocks.spans))
        scratch[str(target)] = reported
    return scratch, tuple(skipped)

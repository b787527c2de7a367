"""Every diagram the tests check, rendered by Mermaid itself (mermaid-cli on Debian's
chromium) in one run: the golden documents' and comment's, a hostile-names one, a 200-fact one.

`scripts/test` installs mermaid-cli into .cache/mermaid (see tests/mermaid/README.md). Without
it the test is skipped locally and fails in CI (`CI` set), so CI never passes without Mermaid."""

from __future__ import annotations

import os
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
from conftest import REPO_ROOT
from diagram_cases import hostile, large_platform, undecided_targets
from test_diagram import excepted_run, mermaid_blocks, renderer, with_settings

from pattern_verify import diagram

MMDC = REPO_ROOT / ".cache" / "mermaid" / "node_modules" / ".bin" / "mmdc"
MERMAID_DIR = REPO_ROOT / "tests" / "mermaid"
GOLDEN = REPO_ROOT / "tests" / "golden"
SVG = "{http://www.w3.org/2000/svg}"
# what Mermaid draws with: shapes, text, and HTML labels inside foreignObject
ALLOWED_TAGS = {
    "svg", "g", "style", "rect", "path", "text", "tspan", "foreignObject", "div", "span", "p",
    "br", "defs", "marker", "filter", "feDropShadow", "circle", "polygon", "line", "title",
    "desc", "ellipse", "feFlood", "feComposite", "feOffset", "feGaussianBlur", "feMerge",
    "feMergeNode", "linearGradient", "stop", "b", "strong", "em", "i",
}  # fmt: skip


NAMES = (
    "golden-compliant-report",
    "golden-violating-pr-report",
    "golden-violating-pr-comment",
    "golden-exceptions-pr-report",
    "hostile-names",
    "hostile-names-collapsed",
    "200-facts-report",
    "200-facts-comment",
    "accepted-exception",
    "undecided-targets",
)


def cases() -> dict[str, str]:
    """name → Markdown holding exactly one mermaid block."""
    out = {
        "golden-compliant-report": (GOLDEN / "compliant/report.md").read_text(),
        "golden-violating-pr-report": (GOLDEN / "violating-pr/report.md").read_text(),
        "golden-violating-pr-comment": (GOLDEN / "violating-pr/comment.md").read_text(),
        "golden-exceptions-pr-report": (GOLDEN / "exceptions-pr/report.md").read_text(),
        "hostile-names": renderer().report(with_settings(hostile(), max_nodes=50)),
        "hostile-names-collapsed": renderer().report(hostile()),
        "200-facts-report": renderer().report(large_platform()),
        "200-facts-comment": renderer().comment(large_platform()),
        "accepted-exception": renderer().report(excepted_run()),
        "undecided-targets": renderer().report(undecided_targets()),
    }
    assert tuple(out) == NAMES
    return {name: mermaid_blocks(text)[0] for name, text in out.items()}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if not MMDC.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{MMDC} is missing: scripts/test installs mermaid-cli")
        pytest.skip("mermaid-cli is not installed: run scripts/test once")
    blocks = cases()
    work = tmp_path_factory.mktemp("mermaid")
    source = work / "diagrams.md"
    source.write_text(
        "".join(f"## {name}\n\n```mermaid\n{block}```\n\n" for name, block in blocks.items()),
        encoding="utf-8",
    )
    # one mmdc process for every diagram: one browser start (seconds), not one per diagram
    done = subprocess.run(
        [
            str(MMDC),
            "--puppeteerConfigFile", str(MERMAID_DIR / "puppeteer.json"),
            "--configFile", str(MERMAID_DIR / "config.json"),
            "--input", str(source),
            "--output", str(work / "out.md"),
            "--outputFormat", "svg",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    svgs = {}
    for index, name in enumerate(blocks, start=1):
        svgs[name] = (work / f"out-{index}.svg").read_text(encoding="utf-8")
    return svgs


@pytest.mark.parametrize("name", NAMES)
def test_mermaid_renders_the_diagram(rendered: dict[str, str], name: str) -> None:
    svg = rendered[name]
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    # Mermaid draws a parse error as a diagram of its own ("Syntax error in text")
    assert root.get("aria-roledescription") == "flowchart-v2", root.get("aria-roledescription")
    tags = {element.tag.split("}")[-1] for element in root.iter()}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    for element in root.iter():
        for attribute, value in element.attrib.items():
            assert not attribute.lower().startswith("on"), (attribute, value)
            assert "javascript:" not in value.lower(), (attribute, value)
    labels = root.findall(f".//{SVG}g[@class]")
    assert any("node" in (g.get("class") or "").split() for g in labels)


def test_every_block_is_within_githubs_limits() -> None:
    for name, block in cases().items():
        assert len(block) <= diagram.MERMAID_MAX_TEXT, name
        assert block.count("-->") <= diagram.MERMAID_MAX_EDGES, name


def test_violations_are_drawn_with_their_classes(rendered: dict[str, str]) -> None:
    svg = rendered["golden-violating-pr-report"]
    assert re.search(r'class="node default new"', svg)
    assert "/api/ws/chat" in svg
    assert "NEW VIOLATION" in svg
    assert 'class="node default excepted"' in rendered["accepted-exception"]
    assert 'class="node default excepted"' in rendered["golden-exceptions-pr-report"]


def test_hostile_names_render_as_text(rendered: dict[str, str]) -> None:
    svg = rendered["hostile-names"]
    root = ET.fromstring(svg)
    text = " ".join(
        "".join(element.itertext()) for element in root.iter("{http://www.w3.org/1999/xhtml}p")
    )
    assert 'evil"]; click n1 "javascript:alert(1)"; x["' in text
    assert "a|b`code`<img src=x onerror=alert(1)>" in text
    assert "%%{init: {'securityLevel': 'loose'}}%%" in text
    assert "ünïcødé/日本語/😀/<U+202E>evil<U+202C>" in text
    assert "#quot;#35;#60;script#62; &lt;b&gt; &amp; ;;" in text

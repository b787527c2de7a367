"""The golden report and comment as a reader sees them: rendered by cmark-gfm (GitHub's
Markdown engine) into HTML pages with a GitHub-like stylesheet, kept as golden files beside
the Markdown (`tests/golden/<scenario>/*.html`).

These pages are what the screenshots of the output are taken from (headless Chromium:
`chromium --headless --screenshot=out.png --window-size=1200,2000 file://.../comment.html`).
Regenerate them with the Markdown goldens: `pytest tests/test_golden.py
tests/test_rendered_pages.py --update-golden`, and look at them before committing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

GOLDEN = Path(__file__).resolve().parent / "golden"
STYLESHEET = Path(__file__).resolve().parent / "fixtures" / "pages" / "github-like.css"
SCENARIOS = ("compliant", "violating-pr", "clean-pr-with-debt")
Golden = Callable[[str, str], None]


def gfm(markdown: str) -> str:
    """GitHub's flavour: tables, autolinks, strikethrough, tag filter; raw HTML kept (GitHub
    keeps <details>, <summary>, <sub>)."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def page(title: str, body_html: str, *, comment: bool) -> str:
    css = STYLESHEET.read_text(encoding="utf-8")
    kind = "markdown-body comment" if comment else "markdown-body"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{css}</style>\n</head>\n<body>\n"
        f'<article class="{kind}">\n{body_html}</article>\n</body>\n</html>\n'
    )


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("name", ["comment", "report"])
def test_golden_markdown_renders_as_the_committed_page(
    scenario: str, name: str, golden: Golden
) -> None:
    markdown = (GOLDEN / scenario / f"{name}.md").read_text(encoding="utf-8")
    body = gfm(markdown)
    # what a reader must see is there, as HTML and not as Markdown source
    assert "<table>" in body
    assert "<details" in body
    assert "**" not in re.sub(r"<code>.*?</code>", "", body, flags=re.DOTALL)
    assert "](http" not in body, "a link was left as Markdown source"
    shown = page(f"{scenario}: {name}.md", body, comment=name == "comment")
    golden(f"{scenario}/{name}.html", shown)

#!/usr/bin/env python3
"""The README's picture of a pull-request comment: a comment the tool produced, rendered the way
GitHub renders Markdown (cmark-gfm, the test extras' cmarkgfm) inside a page styled like a
GitHub comment, and photographed with headless Chromium.

    python scripts/comment_picture.py [COMMENT_MD] [--out docs/comment.png]

COMMENT_MD defaults to tests/golden/violating-pr/comment.md, the comment of the golden test's
violating pull request (regenerate that first if the templates changed). Needs `chromium` on
PATH (Debian: `apt-get install chromium`). Chromium runs without network, sync or a profile of
its own: a temporary user-data directory, deleted afterwards.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options

ROOT = Path(__file__).resolve().parents[1]
WIDTH = 880  # about the width of a comment in a pull request's conversation tab

# GitHub's comment look, reduced to what the comment uses (Primer's light theme values)
STYLE = """
* { box-sizing: border-box; }
body { margin: 0; padding: 16px; background: #ffffff; color: #1f2328;
  font: 14px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, "DejaVu Sans", sans-serif,
  "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"; }
.comment { border: 1px solid #d1d9e0; border-radius: 6px; overflow: hidden; }
.header { display: flex; align-items: center; gap: 8px; padding: 8px 16px;
  background: #f6f8fa; border-bottom: 1px solid #d1d9e0; color: #59636e; }
.avatar { width: 20px; height: 20px; border-radius: 4px; background: #2da44e; color: #fff;
  font-size: 11px; font-weight: 600; display: flex; align-items: center;
  justify-content: center; }
.header strong { color: #1f2328; }
.badge { border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 7px; font-size: 12px; }
.body { padding: 16px; }
.body > :first-child { margin-top: 0; }
.body > :last-child { margin-bottom: 0; }
h3 { font-size: 1.25em; font-weight: 600; margin: 0 0 16px; }
p, ul, table, details { margin: 0 0 16px; }
ul { padding-left: 2em; }
li + li { margin-top: 0.25em; }
a { color: #0969da; text-decoration: none; }
code { font: 85%/1.45 ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, monospace;
  background: #818b981f; border-radius: 6px; padding: 0.2em 0.4em; }
sub { font-size: 75%; color: #1f2328; }
table { border-collapse: collapse; display: block; width: max-content; max-width: 100%; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
th { font-weight: 600; }
tr:nth-child(2n) { background: #f6f8fa; }
summary { cursor: pointer; }
details[open] > summary { margin-bottom: 8px; }
"""

# measured in a first pass: the page writes its own height into the DOM Chromium dumps
MEASURE = (
    "<script>addEventListener('load', () => { document.body.setAttribute("
    "'data-height', Math.ceil(document.documentElement.getBoundingClientRect().height)); });"
    "</script>"
)


def page(markdown: str, script: str = "") -> str:
    # raw HTML kept: the comment's own <details>, <summary> and <sub>, as GitHub shows them
    body = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>pattern-verify comment</title><style>{STYLE}</style>{script}</head><body>"
        '<div class="comment"><div class="header"><span class="avatar">GA</span>'
        "<strong>github-actions</strong> <span class=badge>bot</span> commented"
        f'</div><div class="body">{body}</div></div></body></html>\n'
    )


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        sys.exit("comment_picture: chromium not found (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                f"--user-data-dir={profile}",
                *args,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "comment",
        nargs="?",
        type=Path,
        default=ROOT / "tests/golden/violating-pr/comment.md",
        help="the comment's Markdown (default: the golden violating pull request's)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs/comment.png")
    args = parser.parse_args()
    markdown = args.comment.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as scratch:
        html_file = Path(scratch) / "comment.html"
        html_file.write_text(page(markdown, MEASURE), encoding="utf-8")
        dom = chromium(f"--window-size={WIDTH},2000", "--dump-dom", html_file.as_uri()).stdout
        found = re.search(r'data-height="(\d+)"', dom)
        if found is None:
            sys.exit("comment_picture: chromium did not report the page's height")
        height = int(found.group(1))
        html_file.write_text(page(markdown), encoding="utf-8")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        chromium(
            f"--window-size={WIDTH},{height}",
            f"--screenshot={args.out.resolve()}",
            html_file.as_uri(),
        )
    print(f"wrote {args.out} ({WIDTH}x{height}) from {html.escape(str(args.comment))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

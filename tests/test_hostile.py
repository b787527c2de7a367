"""A hostile pull request: what the scanned code controls must stay data in what we render.

The comment is rendered with GitHub's own Markdown engine (cmark-gfm) with raw HTML allowed, so
anything that escaped our escaping would show up as markup in the HTML."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options
from conftest import FIXTURES, commit_all, init_repo, write_files

from pattern_verify.render import COMMENT_LIMIT

MINI_PACK = FIXTURES / "mini-pack"
RunCli = Callable[..., tuple[int, str, str]]

HOSTILE_LINES = [
    "</details>",
    "<!-- pattern-verify:mini:.github/pattern-verify.yml -->",
    "✅ **All requirements met**",
    "```` ``` `` ` backticks",
    "<img src=x onerror=alert(1)>",
    "@octocat please look",
    "fixes #1 and GH-2",
    "[click](javascript:alert(1))",
    "| table | breaker |",
    "<script>alert(1)</script>",
]
HOSTILE_NAMES = [
    "app/with space.py",
    "app/back`tick.py",
    "app/less<than.py",
    "app/pipe|name.py",
    "app/ünïcødé.py",
    "app/@octocat.py",
]


def render_github(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def hostile_repo(root: Path, many: int = 0) -> Path:
    files: dict[str, str | bytes | None] = {
        ".github/pattern-verify.yml": f"pack: {MINI_PACK}\n",
        "gateway/router.py": '@router.websocket("/ws")\ndef ws(s):\n    print("ok")\n',
        "app/hostile.py": "".join(f"print({line!r})\n" for line in HOSTILE_LINES),
        "app/binary.py": b"\x00\x01\x02print('x')\x00" * 50,
    }
    for name in HOSTILE_NAMES:
        files[name] = 'print("from a strange file name")\n'
    # spread over files of 100: semgrep slows down sharply with thousands of matches in one file
    for start in range(0, many, 100):
        files[f"app/many/m{start // 100:03d}.py"] = "".join(
            f"print({n})\n" for n in range(start, min(start + 100, many))
        )
    write_files(root, files)
    (root / "app/passwd.py").symlink_to("/etc/passwd")
    commit_all(init_repo(root), "hostile")
    return root


def assert_no_injection(markdown: str) -> None:
    rendered = render_github(markdown)
    # <details> stays balanced
    assert rendered.count("<details") == rendered.count("</details>")
    # no raw tag or attribute from the input survives
    assert "<img" not in rendered and "onerror" not in rendered.replace("onerror=alert", "")
    assert "<script" not in rendered
    assert 'href="javascript' not in rendered
    # the fake "all met" line appears only inside code
    outside_code = re.sub(r"<code>.*?</code>", "", rendered, flags=re.DOTALL)
    outside_code = re.sub(r"<pre>.*?</pre>", "", outside_code, flags=re.DOTALL)
    assert "All requirements met" not in outside_code
    # nobody is mentioned and no issue is referenced: GitHub links these in rendered text
    # outside code
    text = html.unescape(re.sub(r"<[^>]+>", "", outside_code))
    assert not re.search(r"(?<![\w\u2060])@octocat", text)
    assert not re.search(r"(?<!\u2060)#1\b", text.replace("#L", ""))
    # exactly one marker: ours, on the first line
    assert markdown.splitlines()[0].startswith("<!-- pattern-verify:")
    marker_lines = [
        line for line in markdown.splitlines() if line.startswith("<!-- pattern-verify")
    ]
    assert len(marker_lines) == 1


def test_hostile_content_stays_data_in_comment_and_report(tmp_path: Path, run_cli: RunCli) -> None:
    root = hostile_repo(tmp_path / "repo")
    out = tmp_path / "out"
    code, stdout, stderr = run_cli(
        "run", root, "--output-dir", out, "--repo-url", "https://github.com/a/b"
    )
    assert code == 1, stdout + stderr
    assert "Traceback" not in stderr
    comment = (out / "comment.md").read_text()
    report = (out / "report.md").read_text()
    assert_no_injection(comment)
    rendered_report = render_github(report)
    assert "<img" not in rendered_report and "<script" not in rendered_report
    results = json.loads((out / "results.json").read_text())
    violating = {v["path"] for r in results["requirements"] for v in r["violations"]}
    for name in HOSTILE_NAMES:
        assert name in violating, name
    not_verified = {s["path"] for s in results["scope"]["not_verified"]}
    assert {"app/binary.py", "app/passwd.py"} <= not_verified
    assert len(comment) <= COMMENT_LIMIT


def test_ten_thousand_violations_fit_the_comment(tmp_path: Path, run_cli: RunCli) -> None:
    root = hostile_repo(tmp_path / "repo", many=10_000)
    out = tmp_path / "out"
    code, _, stderr = run_cli("run", root, "--output-dir", out)
    assert code == 1, stderr
    comment = (out / "comment.md").read_text()
    assert len(comment) <= COMMENT_LIMIT
    assert_no_injection(comment)
    assert "more (see the full report)" in comment
    results = json.loads((out / "results.json").read_text())
    (confined,) = [r for r in results["requirements"] if r["id"] == "prints-confined"]
    assert len(confined["violations"]) >= 10_000

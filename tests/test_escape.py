"""The escaping layer, checked by rendering with cmark-gfm as GitHub does.

Rendering uses CMARK_OPT_UNSAFE, so raw HTML that slipped through would reach the output: a
test that finds only the expected tags shows the escaping, not the renderer, kept it out.
GitHub's mention, issue-reference and autolink filters read the rendered text, so the
defusing is checked on that text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

import cmarkgfm
import jinja2.sandbox
import pytest
from cmarkgfm.cmark import Options
from hypothesis import given, settings
from hypothesis import strategies as st

from pattern_verify.escape import (
    WORD_JOINER,
    Markdown,
    code_block,
    code_span,
    finalize,
    html_text,
    inline,
    link,
)

# Text a hostile pull request would write, besides whatever st.text() finds.
HOSTILE_ALPHABET = "`<>|@#*_[]()!\\&\n\r\t -.:/=$~+{}'\"wWGgHh01aZ\u202e\u00a0\x00"
hostile_text = st.one_of(st.text(), st.text(alphabet=HOSTILE_ALPHABET))

HOSTILE_CASES = [
    "</details>",
    "<!-- pattern-verify marker -->",
    "✅ **All requirements met**",
    "```",
    "```python\nimport os\n```",
    "`` ` ``",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "@octocat",
    "#1",
    "GH-1",
    "owner/repo#1",
    "owner/repo@abc1234",
    "[x](javascript:alert(1))",
    "![x](https://evil.example/x.png)",
    "[x]: https://evil.example",
    "javascript:alert(1)",
    "https://evil.example/phish",
    "www.evil.example",
    "mail me at a@b.example",
    "&lt;b&gt; &amp; &#60;",
    "# heading",
    "1. list",
    "- list",
    "> [!WARNING]",
    "===",
    "---",
    "| a | b |",
    "    indented code",
    "line one  \nline two",
    "para\n\n<div>block</div>",
    "$x^2$ and $$y$$",
    "~~struck~~",
    "trailing backslash \\",
    "a\u202eevil\u202c.py",
]

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
TAG = re.compile(r"<[^>]*>")
# What GitHub's filters would turn into a mention, issue reference or link.
LINKABLE = re.compile(r"@[A-Za-z0-9]|#\d|gh-\d|://|www\.", re.IGNORECASE)


def render(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def tags(rendered: str) -> list[str]:
    return TAG.findall(rendered)


def text_of(rendered: str) -> str:
    """The text a reader sees, and the text GitHub's filters read (word joiners kept)."""
    return html.unescape(TAG.sub("", rendered))


def visible(text: str) -> str:
    return text.replace(WORD_JOINER, "")


def revealed(text: str) -> str:
    """Controls (but tab and line breaks) and bidi controls, shown as `<U+XXXX>`."""
    return "".join(
        f"<U+{ord(char):04X}>"
        if (unicodedata.category(char) == "Cc" and char not in "\t\r\n") or char in BIDI_CONTROLS
        else char
        for char in text
    )


def collapsed(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", revealed(text)).strip(" ")


def expected_inline(text: str) -> str:
    return visible(collapsed(text))


def expected_code(text: str) -> str:
    return visible(re.sub(r"\r\n|\r|\n", " ", revealed(text)) or " ")


def expected_block(text: str) -> str:
    text = re.sub(r"\r\n|\r|\n", "\n", revealed(text))
    return text if not text or text.endswith("\n") else text + "\n"


def squeeze(text: str) -> str:
    return re.sub(r"[ \n]+", " ", text).strip(" ")


def only_code(rendered: str) -> str:
    (content,) = re.findall(r"<code>(.*?)</code>", rendered, re.DOTALL)
    return visible(html.unescape(content))


def table_cells(rendered: str) -> list[str]:
    return [
        visible(html.unescape(TAG.sub("", cell)))
        for cell in re.findall(r"<td>(.*?)</td>", rendered, re.DOTALL)
    ]


TABLE_TAGS = [
    "<table>", "<thead>", "<tr>", "<th>", "</th>", "<th>", "</th>", "</tr>", "</thead>",
    "<tbody>", "<tr>", "<td>", "</td>", "<td>", "</td>", "</tr>", "</tbody>", "</table>",
]  # fmt: skip


# --- inline -----------------------------------------------------------------------------------


@settings(deadline=None)
@given(hostile_text)
def test_inline_in_a_paragraph_is_plain_text(text: str) -> None:
    rendered = render(f"START {inline(text)} END")

    assert tags(rendered) == ["<p>", "</p>"]
    assert visible(text_of(rendered)) == f"START {expected_inline(text)} END\n"


@settings(deadline=None)
@given(hostile_text)
def test_inline_links_nothing_and_mentions_no_one(text: str) -> None:
    rendered = render(f"{inline(text)}")

    assert "<a " not in rendered
    assert LINKABLE.search(text_of(rendered)) is None


@pytest.mark.parametrize(
    ("template", "expected_tags", "shown"),
    [
        pytest.param("para\n{} END", ["<p>", "</p>"], "para {} END", id="after a paragraph"),
        pytest.param("para\n{}", ["<p>", "</p>"], "para {}", id="a line after a paragraph"),
        pytest.param("{} END", ["<p>", "</p>"], "{} END", id="line start"),
        pytest.param("## {} END", ["<h2>", "</h2>"], "{} END", id="heading"),
        pytest.param("- {} END", ["<ul>", "<li>", "</li>", "</ul>"], "{} END", id="list item"),
        pytest.param(
            "[{}](https://example.com/) END",
            ["<p>", '<a href="https://example.com/">', "</a>", "</p>"],
            "{} END",
            id="link text",
        ),
    ],
)
@settings(deadline=None)
@given(text=hostile_text)
def test_inline_keeps_the_structure_around_it(
    template: str, expected_tags: list[str], shown: str, text: str
) -> None:
    rendered = render(template.format(inline(text)))

    assert tags(rendered) == expected_tags
    assert squeeze(visible(text_of(rendered))) == squeeze(shown.format(expected_inline(text)))


@pytest.mark.parametrize("text", HOSTILE_CASES)
def test_hostile_text_stays_text(text: str) -> None:
    rendered = render(f"START {inline(text)} END")

    assert tags(rendered) == ["<p>", "</p>"]
    assert visible(text_of(rendered)) == f"START {expected_inline(text)} END\n"
    assert "<!--" not in inline(text)


@pytest.mark.parametrize("text", HOSTILE_CASES)
def test_hostile_text_on_a_line_of_its_own_stays_in_the_paragraph(text: str) -> None:
    rendered = render(f"para\n{inline(text)}\n")

    assert tags(rendered) == ["<p>", "</p>"]


def test_closing_details_cannot_close_the_block() -> None:
    rendered = render(
        f"<details>\n<summary>Findings</summary>\n\n{inline('</details> **out**')}\n\n</details>\n"
    )

    assert tags(rendered) == ["<details>", "<summary>", "</summary>", "<p>", "</p>", "</details>"]


def test_verdict_text_cannot_pose_as_a_verdict() -> None:
    rendered = render(inline("✅ **All requirements met**"))

    assert "<strong>" not in rendered
    assert visible(text_of(rendered)) == "✅ **All requirements met**\n"


@pytest.mark.parametrize(
    "text",
    ["@octocat", "cc @octocat!", "@org/team", "#1", "fixes #1", "GH-1", "gh-1", "owner/repo#1"],
)
def test_mentions_and_references_are_defused(text: str) -> None:
    rendered = render(f"START {inline(text)} END")

    assert LINKABLE.search(text_of(rendered)) is None
    assert "@octocat" not in rendered
    assert "#1" not in rendered
    assert visible(text_of(rendered)) == f"START {text} END\n"


@pytest.mark.parametrize(
    "text",
    ["http://evil.example", "HTTPS://evil.example/x", "www.evil.example", "a@b.example"],
)
def test_urls_are_not_autolinked(text: str) -> None:
    rendered = render(inline(text))

    assert "<a " not in rendered
    assert LINKABLE.search(text_of(rendered)) is None
    assert visible(text_of(rendered)) == f"{text}\n"


def test_controls_and_bidi_overrides_are_shown() -> None:
    assert visible(text_of(render(inline("gate\u202eyp.way\x00")))) == (
        "gate<U+202E>yp.way<U+0000>\n"
    )


def test_markdown_passes_through_unchanged() -> None:
    trusted = Markdown("**bold**")

    assert inline(trusted) is trusted
    assert inline(inline("*x*")) == inline("*x*")


# --- code_span --------------------------------------------------------------------------------


@settings(deadline=None)
@given(hostile_text)
def test_code_span_is_one_code_element(text: str) -> None:
    rendered = render(f"START {code_span(text)} END")

    assert tags(rendered) == ["<p>", "<code>", "</code>", "</p>"]
    assert only_code(rendered) == expected_code(text)


@settings(deadline=None)
@given(hostile_text)
def test_table_row_keeps_two_cells(text: str) -> None:
    rendered = render(f"| code | text |\n|---|---|\n| {code_span(text)} | {inline(text)} |\n")

    assert tags(rendered) == [*TABLE_TAGS[:12], "<code>", "</code>", *TABLE_TAGS[12:]]
    assert table_cells(rendered) == [expected_code(text), expected_inline(text)]


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("app.py", "`app.py`"),
        ("a`b", "``a`b``"),
        ("`tick", "`` `tick ``"),
        (" padded ", "`  padded  `"),
        ("   ", "`   `"),
        ("", "` `"),
        ("a|b", "<code>a\\|b</code>"),
    ],
)
def test_code_span_markdown(text: str, markdown: str) -> None:
    assert code_span(text) == markdown


@pytest.mark.parametrize("text", HOSTILE_CASES)
def test_hostile_code_span(text: str) -> None:
    rendered = render(f"START {code_span(text)} END")

    assert tags(rendered) == ["<p>", "<code>", "</code>", "</p>"]
    assert only_code(rendered) == expected_code(text)


def test_empty_code_span_is_visible() -> None:
    assert render(code_span("")) == "<p><code> </code></p>\n"


# --- code_block -------------------------------------------------------------------------------


@settings(deadline=None)
@given(hostile_text, st.text())
def test_code_block_is_one_pre_and_closes(text: str, lang: str) -> None:
    rendered = render(f"{code_block(text, lang)}\nAFTER **bold**\n")

    opening = ["<pre>", "<code>"]
    info = re.sub(r"[^A-Za-z0-9_+-]", "", lang)
    if info:
        opening = [f'<pre lang="{info}">', "<code>"]
    assert tags(rendered) == [*opening, "</code>", "</pre>", "<p>", "<strong>", "</strong>", "</p>"]
    (content,) = re.findall(r"<code[^>]*>(.*?)</code>", rendered, re.DOTALL)
    assert html.unescape(content) == expected_block(text)


@settings(deadline=None)
@given(hostile_text)
def test_indented_code_block_stays_in_its_list_item(text: str) -> None:
    rendered = render(f"- finding\n\n  {code_block(text, 'python', indent=2)}\n- next\n")

    assert tags(rendered) == [
        "<ul>", "<li>", "<p>", "</p>", '<pre lang="python">', "<code>", "</code>",
        "</pre>", "</li>", "<li>", "<p>", "</p>", "</li>", "</ul>",
    ]  # fmt: skip
    (content,) = re.findall(r"<code[^>]*>(.*?)</code>", rendered, re.DOTALL)
    assert html.unescape(content) == expected_block(text)


@pytest.mark.parametrize(
    ("text", "lang", "markdown"),
    [
        ("print(1)", "python", "```python\nprint(1)\n```\n"),
        ("x\n", "", "```\nx\n```\n"),
        ("", "", "```\n```\n"),
        ("```\nx\n```", "md", "````md\n```\nx\n```\n````\n"),
        ("x", "py thon`<script>", "```pythonscript\nx\n```\n"),
        ("a\r\nb\rc", "", "```\na\nb\nc\n```\n"),
    ],
)
def test_code_block_markdown(text: str, lang: str, markdown: str) -> None:
    assert code_block(text, lang) == markdown


def test_code_block_indents_every_line_but_the_first() -> None:
    assert code_block("a\nb", "py", indent=2) == "```py\n  a\n  b\n  ```\n"


# --- link -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        " https://leading-space.example",
        "java\tscript:alert(1)",
        "//evil.example",
        "/relative/path",
        "https://",
        "http://[broken",
        "ftp://files.example",
        None,
    ],
)
def test_link_refuses_other_schemes(url: str | None) -> None:
    assert link("click [me]", url) == inline("click [me]")
    assert "<a " not in render(link("click [me]", url))


def test_link_target_cannot_break_out() -> None:
    url = "https://example.com/a b(c)<d>\"'`\\ü?q=1&r=2#frag"

    rendered = render(link("x", url))

    assert tags(rendered) == [
        "<p>",
        '<a href="https://example.com/a%20b%28c%29%3Cd%3E%22%27%60%5C%C3%BC?q=1&amp;r=2#frag">',
        "</a>",
        "</p>",
    ]


def test_link_keeps_percent_escapes_and_allows_upper_case_schemes() -> None:
    assert render(link("x", "HTTPS://Example.com/a%20b")) == (
        '<p><a href="HTTPS://Example.com/a%20b">x</a></p>\n'
    )


def test_link_with_empty_text_shows_the_url() -> None:
    rendered = render(link("", "https://example.com/"))

    assert visible(text_of(rendered)) == "https://example.com/\n"
    assert rendered.count("<a ") == 1


@settings(deadline=None)
@given(hostile_text, st.text().filter(lambda path: "%" not in path))
def test_link_is_one_anchor(text: str, path: str) -> None:
    url = f"https://example.com/{path}"

    rendered = render(f"START {link(text, url)} END")

    anchors = [tag for tag in tags(rendered) if tag.startswith("<a ")]
    assert tags(rendered) == ["<p>", *anchors, "</a>", "</p>"]
    (href,) = re.findall(r'^<a href="([^"]*)">$', anchors[0])
    assert unquote(html.unescape(href)) == url
    expected_text = visible(collapsed(text) or collapsed(url))
    assert visible(text_of(rendered)) == f"START {expected_text} END\n"


# --- html_text --------------------------------------------------------------------------------


@settings(deadline=None)
@given(hostile_text)
def test_html_text_stays_in_its_summary(text: str) -> None:
    rendered = render(f"<details>\n<summary>{html_text(text)}</summary>\n\nbody\n\n</details>\n")

    assert tags(rendered) == ["<details>", "<summary>", "</summary>", "<p>", "</p>", "</details>"]
    (summary,) = re.findall(r"<summary>(.*?)</summary>", rendered, re.DOTALL)
    assert LINKABLE.search(html.unescape(summary)) is None
    assert visible(html.unescape(summary)) == expected_inline(text)


# --- finalize ---------------------------------------------------------------------------------


def test_finalize() -> None:
    trusted = Markdown("**ok**")

    assert finalize(trusted) is trusted
    assert finalize(None) == ""
    assert finalize(True) == "True"
    assert finalize(3) == "3"
    assert finalize(0.5) == "0.5"
    assert finalize("<b>@octocat</b>") == inline("<b>@octocat</b>")
    assert finalize(["*"]) == inline("['*']")


def test_finalize_escapes_every_expression_a_filter_did_not_mark() -> None:
    environment = jinja2.sandbox.SandboxedEnvironment(finalize=finalize)
    environment.filters.update(code_span=code_span, inline=inline)
    template = environment.from_string(
        "{{ x }} | {{ x | code_span }} | {{ x | upper }} | {{ 'a' ~ (x | code_span) }} | {{ n }}"
    )

    output = template.render(x="*a*", n=None)

    assert output == r"\*a\* | `*a*` | \*A\* | a\`\*a\*\` | "

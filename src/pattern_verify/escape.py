"""The one escaping layer between untrusted text and the Markdown GitHub renders.

Everything a pull request controls (paths, matched source, captured values, messages, even the
pack and config on its branch) reaches the PR comment, the job summary and the report through
these functions. The renderer installs `finalize` as Jinja's `finalize=` hook, so a bare
`{{ x }}` is escaped as inline text; the other functions are filters that return `Markdown`,
which `finalize` passes through unchanged.

What escaped text cannot do, once rendered by GitHub (cmark-gfm, then GitHub's filters):
- open any Markdown construct: every Markdown special that could open one is
  backslash-escaped, `<`, `>` and `&` become entities, and line breaks become spaces, so no
  tag, entity, block, list, table cell, heading, link or emphasis starts or ends inside it;
- notify or cross-reference anyone: a WORD JOINER (U+2060) follows every `@` and `#` and sits
  inside `GH-123`, so GitHub's mention and issue-reference filters, which read the rendered
  text, find no `@user`, `#1`, `owner/repo#1` or `GH-1`;
- become a link: `://` and `www.` get a WORD JOINER too, so the GFM autolinker finds no URL or
  e-mail address;
- hide what it is: control characters and bidirectional overrides ("Trojan Source") are shown
  as `<U+202E>` instead of reordering or hiding the text around them.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

WORD_JOINER = "\u2060"

# Characters that open or close a construct wherever they stand (emphasis, code, links, table
# cells, strikethrough, math). The rest of ASCII punctuation stays readable: `(`, `)`, `!` and
# `{}` mean nothing without an unescaped `[`, and `#`, `-`, `+`, `=` and `1.` only at the start
# of a line, which is where `_LINE_START` escapes them. Inline text never spans lines.
_MARKDOWN_SPECIALS = frozenset("\\`*_[]|~$")
_LINE_START = re.compile(r"(?:[#+=-]|\d{1,9}[.)])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_HTML_ENTITIES = {**_ENTITIES, '"': "&quot;", "'": "&#39;"}
# the same replacements as tables for `str.translate`: one pass in C, not a Python loop per
# character (a report of 10,000 findings escapes millions of them)
_MARKDOWN_TABLE = str.maketrans({**{c: f"\\{c}" for c in _MARKDOWN_SPECIALS}, **_ENTITIES})
_HTML_TABLE = str.maketrans(_HTML_ENTITIES)

# Where GitHub would link: after `@` (mentions, e-mail), after `#` (issues, `owner/repo#1`),
# inside `GH-1`, `http://` and `www.`.
_LINKABLE = re.compile(r"(?<=[@#])|(?i:(?<=gh-)(?=\d))|(?<=:)(?=//)|(?i:(?<=www)(?=\.))")

# C0 and C1 controls (tab and line breaks are handled apart) and the bidirectional controls
# that reorder how the text around them is displayed.
_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_WHITESPACE = re.compile(r"[ \t\r\n]+")
_BACKTICKS = re.compile(r"`+")

_URL_SCHEME = re.compile(r"https?://", re.IGNORECASE)
# Kept as they are in a link target; everything else (spaces, parentheses, `<`, `>`, quotes,
# backslashes, backticks, controls, non-ASCII) is percent-encoded so the target cannot end early.
_URL_SAFE = "/:?#[]@!$&*+,;=%-._~"
_INFO_STRING_JUNK = re.compile(r"[^A-Za-z0-9_+-]")


class Markdown(str):
    """Text that is already safe Markdown: `finalize` and `inline` pass it through unchanged.

    Only this module and trusted template text should make one. Concatenating a `Markdown`
    with a `str` gives a plain `str`, which is escaped again: the safe failure.
    """

    __slots__ = ()


def inline(value: object) -> Markdown:
    """Untrusted text for a paragraph, list item, table cell, heading or link text.

    Whitespace runs (including line breaks and tabs) become one space and the ends are
    stripped, so the text stays on its line and cannot become a hard break or an indented block.
    """
    if isinstance(value, Markdown):
        return value
    text = _WHITESPACE.sub(" ", _reveal(str(value))).strip(" ")
    return Markdown(_escape_markdown(text))


def code_span(value: object) -> Markdown:
    """Untrusted text as inline code, safe in a paragraph and in a table cell alike.

    Line breaks become spaces. GFM splits a table row at every unescaped `|`, even inside a
    backtick code span, while outside a table a `\\|` inside a code span shows its backslash;
    so text holding a `|` is written as a `<code>` element with escaped content instead, which
    renders the same in both places.
    """
    text = _LINE_BREAK.sub(" ", _reveal(str(value)))
    if "|" in text:
        return Markdown(f"<code>{_escape_markdown(text)}</code>")
    if not text:
        return Markdown("` `")
    fence = "`" * (_longest_backtick_run(text) + 1)
    # CommonMark strips one space from each end when both ends have one (unless it is all
    # spaces): pad so that stripping gives the text back and a backtick at an end cannot
    # join the fence.
    if (
        text[0] == "`"
        or text[-1] == "`"
        or (text[0] == " " and text[-1] == " " and text.strip(" "))
    ):
        text = f" {text} "
    return Markdown(f"{fence}{text}{fence}")


def code_block(value: object, lang: str = "", indent: int = 0) -> Markdown:
    """Untrusted text as a fenced code block, ending with a newline.

    The fence is longer than any backtick run in the text, so no line can close it. `indent`
    spaces are put before every line but the first, as Jinja's `indent` filter does: a block
    inside a list item needs them, or its second line would end the item and the rest of the
    text would be read as Markdown. The template itself indents the first line.
    """
    text = _LINE_BREAK.sub("\n", _reveal(str(value)))
    if text and not text.endswith("\n"):
        text += "\n"
    fence = "`" * max(3, _longest_backtick_run(text) + 1)
    info = _INFO_STRING_JUNK.sub("", lang)
    block = f"{fence}{info}\n{text}{fence}\n"
    if indent > 0:
        padding = " " * indent
        block = block.replace("\n", "\n" + padding).removesuffix(padding)
    return Markdown(block)


def link(text: object, url: str | None) -> Markdown:
    """A link to an http(s) URL; any other URL (javascript:, data:, relative) gives the text.

    Empty text shows the URL itself, so the link is never invisible.
    """
    if url is None or not _URL_SCHEME.match(url) or not _has_host(url):
        return inline(text)
    label = inline(text) or inline(url)
    # Entities are decoded in a link target, so `&amp;` keeps a literal `&`.
    target = quote(url, safe=_URL_SAFE).replace("&", "&amp;")
    return Markdown(f"[{label}]({target})")


def html_text(value: object) -> Markdown:
    """Untrusted text inside a one-line HTML block, such as `<summary>...</summary>`.

    Markdown is not read there, so backslash escapes would show; the text is HTML-escaped
    instead, kept on one line (a blank line would end the HTML block) and defused like `inline`.
    """
    if isinstance(value, Markdown):
        return value
    text = _WHITESPACE.sub(" ", _reveal(str(value))).strip(" ")
    text = _LINKABLE.sub(WORD_JOINER, text)
    return Markdown(text.translate(_HTML_TABLE))


def finalize(value: object) -> str:
    """Jinja's `finalize` hook: every `{{ x }}` is escaped unless a filter made it `Markdown`."""
    if isinstance(value, Markdown):
        return value
    if value is None:
        return ""
    if isinstance(value, (bool, int, float)):
        return str(value)
    return inline(value)


def _escape_markdown(text: str) -> str:
    """Escape every Markdown special and defuse links; whitespace is left as it is."""
    text = _LINKABLE.sub(WORD_JOINER, text).translate(_MARKDOWN_TABLE)
    start = _LINE_START.match(text)
    if start:  # a heading, list item or setext underline if the text begins a line
        text = f"{text[: start.end() - 1]}\\{text[start.end() - 1 :]}"
    return text


def _reveal(text: str) -> str:
    return _HIDDEN.sub(lambda match: f"<U+{ord(match.group()):04X}>", text)


def _has_host(url: str) -> bool:
    try:
        return bool(urlsplit(url).netloc)
    except ValueError:  # a malformed IPv6 host, say "http://[x"
        return False


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in _BACKTICKS.findall(text)), default=0)


# Every character but these (kept as they are) becomes a Mermaid entity code in a label.
_MERMAID_UNSAFE = re.compile(r"[^a-zA-Z0-9 _./-]")


def mermaid_label(value: object) -> Markdown:
    """Untrusted text as the inside of a double-quoted Mermaid label (`n1["..."]`).

    Mermaid reads `#name;` / `#123;` as an entity code and puts `&#123;` into the label's HTML,
    where the browser shows it as that character. So every character but letters, digits,
    space, `_`, `.`, `/` and `-` is written as `#<code point>;`: a quote cannot end the label,
    a `%%{init}%%` directive, `click` line, `classDef`, comment, markdown string, HTML tag or
    entity cannot start inside it, and non-ASCII text arrives as it was. Whitespace runs
    become one space; control and bidirectional characters are shown as `<U+202E>`.
    """
    text = _WHITESPACE.sub(" ", _reveal(str(value))).strip(" ")
    return Markdown(_MERMAID_UNSAFE.sub(lambda match: f"#{ord(match.group())};", text))

"""A JavaScript/TypeScript call chain read from its source text, for the linking stage (pure).

The rules report where a route or an inclusion is registered, with the match's text: the whole
chain from its root (`new Elysia({ prefix: "/api" }).use(auth).ws("/ws", ...)`,
`app.basePath("/v2").get(...)`, `uWS.App().ws(...)`). Whether that chain sets a prefix on the way
is read here: its root (a name or property path, a `new` expression, a call), then each link
(`.name(args)`), with every argument's text and place, strings, template literals and comments
skipped while brackets are balanced. Nothing is evaluated: a value is a string literal or it is
not known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_SPACE = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)+", re.S)
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = frozenset(_OPEN.values())
# a string literal without interpolation: its value is known
_LITERAL = re.compile(r"""^(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`([^`$\\]*)`)$""", re.S)
# an object literal's top-level key (`prefix:`, `'prefix':`, `prefix,` shorthand)
_KEY = re.compile(r"""^\s*(?:(['"]?)([A-Za-z_$][\w$]*)\1\s*:|([A-Za-z_$][\w$]*)\s*$)""")


@dataclass(frozen=True)
class Argument:
    text: str
    offset: int  # in the chain's text


@dataclass(frozen=True)
class Link:
    """`.name(args)` (a call) or `.name` (a property), at `offset` (the name's) in the text."""

    name: str
    offset: int
    arguments: tuple[Argument, ...] | None  # None: a property, not a call


@dataclass(frozen=True)
class Chain:
    """`kind` is `name` (a name or property path: `names`), `new` (`new names(arguments)`) or
    `call` (`names(arguments)`)."""

    kind: str
    names: tuple[str, ...]
    arguments: tuple[Argument, ...]
    links: tuple[Link, ...] = field(default=())


def _skip(text: str, at: int) -> int:
    found = _SPACE.match(text, at)
    return found.end() if found else at


def _string_end(text: str, at: int) -> int:
    """The offset after the string or template literal starting at `at`."""
    quote = text[at]
    index = at + 1
    depth = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if quote == "`" and text.startswith("${", index):
            depth += 1
            index += 2
            continue
        if quote == "`" and depth and char == "}":
            depth -= 1
        elif char == quote and not depth:
            return index + 1
        elif char in "'\"" and depth:
            index = _string_end(text, index)
            continue
        index += 1
    return len(text)


def _balanced(text: str, at: int) -> tuple[list[Argument], int] | None:
    """The top-level arguments of the bracket opening at `at`, and the offset after its close."""
    closer = _OPEN[text[at]]
    stack = [closer]
    index = at + 1
    start = index
    out: list[Argument] = []
    while index < len(text):
        char = text[index]
        if char in "'\"`":
            index = _string_end(text, index)
            continue
        if text.startswith("//", index) or text.startswith("/*", index):
            index = _skip(text, index)
            continue
        if char in _OPEN:
            stack.append(_OPEN[char])
        elif char in _CLOSE:
            if char != stack[-1]:
                return None
            stack.pop()
            if not stack:
                piece = text[start:index]
                if piece.strip():
                    out.append(_argument(text, start, index))
                return out, index + 1
        elif char == "," and len(stack) == 1:
            out.append(_argument(text, start, index))
            start = index + 1
        index += 1
    return None


def _argument(text: str, start: int, end: int) -> Argument:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    return Argument(piece.strip(), start + lead)


def _generic(text: str, at: int) -> int:
    """The offset after type arguments (`<{ Bindings: Env }>`) at `at` followed by a call's `(`,
    else `at`."""
    if at >= len(text) or text[at] != "<":
        return at
    depth = 0
    index = at
    while index < len(text):
        char = text[index]
        if char in "'\"`":
            index = _string_end(text, index)
            continue
        if text.startswith("=>", index):
            index += 2
            continue
        if char == "<":
            depth += 1
        elif char == ">":
            depth -= 1
            if depth == 0:
                after = _skip(text, index + 1)
                return after if text.startswith("(", after) else at
        elif char in ";":
            return at
        index += 1
    return at


def _path(text: str, at: int) -> tuple[list[str], list[int], int]:
    """A name or property path (`a`, `this.app`, `ns.router.ws`) at `at`: the names, where
    each starts, and the offset after the last."""
    names: list[str] = []
    offsets: list[int] = []
    index = at
    while True:
        found = _NAME.match(text, index)
        if found is None:
            break
        names.append(found.group(0))
        offsets.append(found.start())
        index = found.end()
        after = _skip(text, index)
        if text.startswith("?.", after):
            dot = after + 2
        elif text.startswith(".", after):
            dot = after + 1
        else:
            break
        if _NAME.match(text, _skip(text, dot)) is None:
            break
        index = _skip(text, dot)
    return names, offsets, index


def parse(text: str) -> Chain | None:
    """The chain `text` starts with, or None when it does not start with one."""
    index = _skip(text, 0)
    arguments: list[Argument] = []
    links: list[Link] = []
    if re.match(r"new\b", text[index:]):
        names, _, index = _path(text, _skip(text, index + 3))
        kind = "new"
        if not names:
            return None
        index = _generic(text, _skip(text, index))
        if text.startswith("(", index):
            read = _balanced(text, index)
            if read is None:
                return None
            arguments, index = read
    else:
        names, offsets, index = _path(text, index)
        if not names:
            return None
        kind = "name"
        after = _generic(text, _skip(text, index))
        if text.startswith("(", after):
            read = _balanced(text, after)
            if read is None:
                return None
            if len(names) == 1:
                kind = "call"
                arguments, index = read
            else:
                # `ns.router.ws(...)`: the path `ns.router`, then the call `.ws(...)`
                links.append(Link(names[-1], offsets[-1], tuple(read[0])))
                names = names[:-1]
                index = read[1]
    while True:
        index = _skip(text, index)
        if text.startswith("!", index) and not text.startswith("!=", index):
            index += 1
            continue
        if text.startswith("?.", index):
            index += 2
        elif text.startswith(".", index):
            index += 1
        else:
            break
        index = _skip(text, index)
        found = _NAME.match(text, index)
        if found is None:
            break
        name, offset = found.group(0), found.start()
        after = _generic(text, _skip(text, found.end()))
        if text.startswith("(", after):
            read = _balanced(text, after)
            if read is None:
                break
            call_arguments, index = read
            links.append(Link(name, offset, tuple(call_arguments)))
        else:
            index = found.end()
            links.append(Link(name, offset, None))
    return Chain(kind, tuple(names), tuple(arguments), tuple(links))


def literal(text: str) -> str | None:
    """The value of a string literal without interpolation, else None."""
    found = _LITERAL.match(text.strip())
    if found is None:
        return None
    return next(group for group in found.groups() if group is not None)


def option(argument: str, key: str) -> tuple[bool, str | None]:
    """Whether the object literal `argument` may set `key`, and the expression it sets it to
    (None when it may but the text does not say: a spread, a computed key, not an object
    literal)."""
    text = argument.strip()
    if not text.startswith("{"):
        return True, None
    read = _balanced(text, 0)
    if read is None:
        return True, None
    entries, _ = read
    for entry in entries:
        if entry.text.startswith("...") or entry.text.startswith("["):
            return True, None
        found = _KEY.match(entry.text)
        if found is None:
            continue
        name = found.group(2) or found.group(3)
        if name != key:
            continue
        if found.group(3):  # `{ prefix }` shorthand: a name's value
            return True, name
        return True, entry.text[found.end() :].strip()
    return False, None

"""Reading a JS/TS call chain from its source text (pattern_verify.jschain): the root, each
link with its arguments and places, string literals and object options."""

from __future__ import annotations

import pytest

from pattern_verify.jschain import literal, option, parse


def test_a_new_expression_with_options_and_chained_routes() -> None:
    text = (
        "new Elysia({ prefix: '/api' })\n  .use(rooms)\n"
        "  .ws('/ws', { message(ws, m) { ws.send(`${m})`) } })"
    )
    chain = parse(text)
    assert chain is not None
    assert (chain.kind, chain.names) == ("new", ("Elysia",))
    assert [a.text for a in chain.arguments] == ["{ prefix: '/api' }"]
    assert [link.name for link in chain.links] == ["use", "ws"]
    ws = chain.links[-1]
    assert ws.arguments is not None
    assert ws.arguments[0].text == "'/ws'"
    # places are offsets in the text: what the linking stage turns into lines and columns
    assert text[ws.arguments[0].offset :].startswith("'/ws'")


@pytest.mark.parametrize(
    ("text", "kind", "names", "links"),
    [
        ("app.ws('/x', h)", "name", ("app",), ["ws"]),
        # a namespace import's member, and a property of an object
        ("ns.router.ws('/x', h)", "name", ("ns", "router"), ["ws"]),
        ("this.app.ws('/x', h)", "name", ("this", "app"), ["ws"]),
        # a package's factory: the first link is the call that makes the app
        ("uWS.App().ws('/x/*', {})", "name", ("uWS",), ["App", "ws"]),
        ("express().use('/x', router)", "call", ("express",), ["use"]),
        # type arguments, non-null assertions, optional chaining, comments
        ("new Hono<{ Bindings: Env }>().basePath('/v2')", "new", ("Hono",), ["basePath"]),
        ("app!.basePath('/v2') /* edge */ ?.get('/ws', h)", "name", ("app",), ["basePath", "get"]),
        ("router.route('/x', sub)", "name", ("router",), ["route"]),
    ],
)
def test_roots_and_links(text: str, kind: str, names: tuple[str, ...], links: list[str]) -> None:
    chain = parse(text)
    assert chain is not None
    assert (chain.kind, chain.names, [link.name for link in chain.links]) == (kind, names, links)


def test_brackets_inside_strings_and_templates_do_not_end_an_argument() -> None:
    chain = parse("app.get('/a)b', upgradeWebSocket(() => ({ onOpen() { log(`)${'('}`) } })))")
    assert chain is not None
    (get,) = chain.links
    assert get.arguments is not None
    assert get.arguments[0].text == "'/a)b'"
    assert len(get.arguments) == 2


def test_text_that_is_no_chain() -> None:
    assert parse("") is None
    assert parse("'/ws'") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("'/api'", "/api"), ('"/api"', "/api"), ("`/api`", "/api"), ("`/${x}`", None), ("X", None)],
)
def test_only_a_string_literal_has_a_value(text: str, value: str | None) -> None:
    assert literal(text) == value


@pytest.mark.parametrize(
    ("options", "found"),
    [
        ("{ prefix: '/api', name: 'chat' }", (True, "'/api'")),
        ("{ name: 'chat' }", (False, None)),
        ("{ 'prefix': cfg.prefix }", (True, "cfg.prefix")),
        ("{ prefix }", (True, "prefix")),
        # a spread, a computed key or options that are no object literal may set it
        ("{ ...base, name: 'chat' }", (True, None)),
        ("{ [key]: '/x' }", (True, None)),
        ("config", (True, None)),
    ],
)
def test_an_option_is_read_from_an_object_literal_only(
    options: str, found: tuple[bool, str | None]
) -> None:
    assert option(options, "prefix") == found

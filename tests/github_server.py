"""A local GitHub REST server for the tests: issue comments and pull requests, in memory.

It speaks the shapes of GitHub's published OpenAPI description (`fixtures/github/
openapi-subset.json`): every request body and every response body it sends is validated with
jsonschema against that description, and every mismatch is recorded in `problems` (the tests
assert there are none). Lists paginate with `Link` headers as GitHub does (`per_page` ≤ 100,
`page`). It serves under a path prefix (`/api/v3`, GitHub Enterprise's) so that honouring
`GITHUB_API_URL` is tested too.

Faults are scripted per route: `server.script("create_comment", Reply(403, ...), ...)` answers
the next requests of that route with those replies, in order, then goes back to normal.
`server.hooks[route]` runs before a route is served (a `threading.Barrier` forces two runs to
interleave). The server binds 127.0.0.1 only and stops with the test.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "github"
PREFIX = "/api/v3"
DOCS = "https://docs.github.com/rest"
START = datetime(2025, 1, 15, 12, 0, 0, tzinfo=timezone.utc)

ROUTES: list[tuple[str, str, re.Pattern[str], str | None]] = [
    # (name, method, path pattern, OpenAPI path)
    ("get_user", "GET", re.compile(r"/user"), None),
    (
        "list_comments",
        "GET",
        re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/issues/(?P<number>\d+)/comments"),
        "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    ),
    (
        "create_comment",
        "POST",
        re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/issues/(?P<number>\d+)/comments"),
        "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    ),
    (
        "get_comment",
        "GET",
        re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/issues/comments/(?P<id>\d+)"),
        "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    ),
    (
        "update_comment",
        "PATCH",
        re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/issues/comments/(?P<id>\d+)"),
        "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    ),
    (
        "delete_comment",
        "DELETE",
        re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/issues/comments/(?P<id>\d+)"),
        "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    ),
    (
        "get_pull",
        "GET",
        re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/pulls/(?P<number>\d+)"),
        "/repos/{owner}/{repo}/pulls/{pull_number}",
    ),
]


# ---------------------------------------------------------------------------------------------
# the published description, as JSON Schema


def _to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema objects → JSON Schema: `nullable: true` becomes a `null` alternative;
    examples are dropped."""
    if isinstance(node, list):
        return [_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        key: _to_json_schema(value)
        for key, value in node.items()
        if key not in ("nullable", "example", "examples", "discriminator", "xml", "externalDocs")
        and not key.startswith("x-")
    }
    if node.get("nullable"):
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


class Description:
    def __init__(self, path: Path = FIXTURES / "openapi-subset.json") -> None:
        self.document = json.loads(path.read_text(encoding="utf-8"))

    def operation(self, api_path: str, method: str) -> dict[str, Any]:
        return self.document["paths"][api_path][method.lower()]  # type: ignore[no-any-return]

    def request_schema(self, api_path: str, method: str) -> dict[str, Any] | None:
        body = self.operation(api_path, method).get("requestBody")
        if not body:
            return None
        return _to_json_schema(body["content"]["application/json"]["schema"])  # type: ignore[no-any-return]

    def response_schema(self, api_path: str, method: str, status: int) -> dict[str, Any] | None:
        responses = self.operation(api_path, method)["responses"]
        response = responses.get(str(status))
        if response is None:
            return None
        content = response.get("content", {}).get("application/json")
        return None if content is None else _to_json_schema(content["schema"])

    def documented_statuses(self, api_path: str, method: str) -> set[int]:
        return {int(code) for code in self.operation(api_path, method)["responses"]}

    def simple_user_schema(self) -> dict[str, Any]:
        schema = self.response_schema(
            "/repos/{owner}/{repo}/issues/{issue_number}/comments", "POST", 201
        )
        assert schema is not None
        user = schema["properties"]["user"]
        return user["anyOf"][0] if "anyOf" in user else user  # type: ignore[no-any-return]


def validate(schema: dict[str, Any], instance: Any) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message[:200]}"
        for error in validator.iter_errors(instance)
    ]


# ---------------------------------------------------------------------------------------------
# state


@dataclass(frozen=True)
class Account:
    login: str
    id: int
    type: str = "User"  # "Bot" for github-actions[bot] and App installations


ACTIONS_BOT = Account("github-actions[bot]", 41898282, "Bot")
OTHER_BOT = Account("other-ci[bot]", 90000001, "Bot")
OCTOCAT = Account("octocat", 583231)
HUBOT = Account("hubot", 480938)


@dataclass
class Token:
    account: Account
    installation: bool = False  # GITHUB_TOKEN or an App token: GET /user answers 403
    read_only: bool = False  # a fork pull request's token


@dataclass
class Comment:
    id: int
    owner: str
    repo: str
    number: int
    body: str
    user: Account
    created_at: datetime
    updated_at: datetime


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    route: str
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    authorization: str | None


def _user_json(account: Account, web: str, api: str) -> dict[str, Any]:
    login = account.login
    return {
        "login": login,
        "id": account.id,
        "node_id": f"MDQ6VXNlcj{account.id}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{account.id}?v=4",
        "gravatar_id": "",
        "url": f"{api}/users/{login}",
        "html_url": f"{web}/{login}",
        "followers_url": f"{api}/users/{login}/followers",
        "following_url": f"{api}/users/{login}/following{{/other_user}}",
        "gists_url": f"{api}/users/{login}/gists{{/gist_id}}",
        "starred_url": f"{api}/users/{login}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/users/{login}/subscriptions",
        "organizations_url": f"{api}/users/{login}/orgs",
        "repos_url": f"{api}/users/{login}/repos",
        "events_url": f"{api}/users/{login}/events{{/privacy}}",
        "received_events_url": f"{api}/users/{login}/received_events",
        "type": account.type,
        "site_admin": False,
    }


class GitHubServer:
    """The state and the HTTP server; start with `with GitHubServer() as server:`."""

    def __init__(self, web_url: str = "https://github.example") -> None:
        self.description = Description()
        self.web_url = web_url
        self.tokens: dict[str, Token] = {}
        self.comments: dict[int, Comment] = {}
        self.pulls: dict[tuple[str, str, int], dict[str, Any]] = {}
        self.requests: list[Request] = []
        self.problems: list[str] = []
        self.scripts: dict[str, list[Reply]] = {}
        self.hooks: dict[str, Callable[[], None]] = {}
        self.max_per_page = 100
        self.lock = threading.RLock()
        self._ids = itertools.count(1001)
        self._clock = itertools.count(0)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> GitHubServer:
        server = self

        class Handler(_Handler):
            state = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._httpd is not None and self._thread is not None
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)

    @property
    def root(self) -> str:
        assert self._httpd is not None
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        return self.root + PREFIX

    # -- setup and inspection -------------------------------------------------------------

    def add_token(
        self, token: str, account: Account, *, installation: bool = False, read_only: bool = False
    ) -> None:
        self.tokens[token] = Token(account, installation, read_only)

    def add_comment(self, repository: str, number: int, body: str, user: Account) -> Comment:
        owner, repo = repository.split("/")
        with self.lock:
            when = START + timedelta(seconds=next(self._clock))
            comment = Comment(next(self._ids), owner, repo, number, body, user, when, when)
            self.comments[comment.id] = comment
        return comment

    def add_pull(self, repository: str, number: int, data: dict[str, Any]) -> None:
        owner, repo = repository.split("/")
        self.pulls[(owner.lower(), repo.lower(), number)] = data

    def comments_on(self, repository: str, number: int) -> list[Comment]:
        owner, repo = repository.lower().split("/")
        return sorted(
            (
                c
                for c in self.comments.values()
                if c.owner.lower() == owner and c.repo.lower() == repo and c.number == number
            ),
            key=lambda c: c.id,
        )

    def script(self, route: str, *replies: Reply) -> None:
        self.scripts.setdefault(route, []).extend(replies)

    def calls(self, route: str) -> list[Request]:
        return [r for r in self.requests if r.route == route]

    # -- JSON shapes ----------------------------------------------------------------------

    def comment_json(self, comment: Comment) -> dict[str, Any]:
        api = self.api_url
        base = f"{api}/repos/{comment.owner}/{comment.repo}"
        return {
            "id": comment.id,
            "node_id": f"IC_kwDO{comment.id}",
            "url": f"{base}/issues/comments/{comment.id}",
            "html_url": f"{self.web_url}/{comment.owner}/{comment.repo}/pull/{comment.number}"
            f"#issuecomment-{comment.id}",
            "body": comment.body,
            "user": _user_json(comment.user, self.web_url, api),
            "created_at": comment.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "updated_at": comment.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "issue_url": f"{base}/issues/{comment.number}",
            "author_association": "NONE" if comment.user.type == "Bot" else "MEMBER",
            "performed_via_github_app": None,
            "reactions": {
                "url": f"{base}/issues/comments/{comment.id}/reactions",
                "total_count": 0,
                "+1": 0,
                "-1": 0,
                "laugh": 0,
                "confused": 0,
                "heart": 0,
                "hooray": 0,
                "eyes": 0,
                "rocket": 0,
            },
        }

    @staticmethod
    def error(status: int, message: str, **extra: Any) -> Reply:
        return Reply(status, {"message": message, "documentation_url": DOCS, **extra})


class _Handler(BaseHTTPRequestHandler):
    state: GitHubServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    # -- plumbing -------------------------------------------------------------------------

    def _serve(self, method: str) -> None:
        state = self.state
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", errors="replace")
        path = url.path
        route, match, api_path = self._route(method, path)
        with state.lock:
            state.requests.append(
                Request(
                    route or "unknown", method, path, query, body, self.headers.get("Authorization")
                )
            )
        if route is None or match is None:
            with state.lock:
                state.problems.append(f"unexpected request {method} {path}")
            self._send(GitHubServer.error(404, "Not Found"), None, method)
            return
        hook = state.hooks.get(route)
        if hook is not None:
            hook()
        reply = self._handle(route, method, match, query, body, api_path)
        self._send(reply, api_path, method)

    def _route(self, method: str, path: str) -> tuple[str | None, re.Match[str] | None, str | None]:
        if not path.startswith(PREFIX + "/"):
            return None, None, None
        rest = path[len(PREFIX) :]
        for name, route_method, pattern, api_path in ROUTES:
            match = pattern.fullmatch(rest)
            if match and method == route_method:
                return name, match, api_path
        return None, None, None

    def _token(self) -> Token | None:
        header = self.headers.get("Authorization") or ""
        scheme, _, value = header.partition(" ")
        if scheme.lower() not in ("token", "bearer"):
            return None
        return self.state.tokens.get(value.strip())

    def _handle(
        self,
        route: str,
        method: str,
        match: re.Match[str],
        query: dict[str, list[str]],
        body: Any,
        api_path: str | None,
    ) -> Reply:
        state = self.state
        with state.lock:
            scripted = state.scripts.get(route)
            if scripted:
                return scripted.pop(0)
        token = self._token()
        if token is None:
            return GitHubServer.error(401, "Bad credentials")
        if api_path is not None:
            schema = state.description.request_schema(api_path, method)
            if schema is not None:
                problems = validate(schema, body)
                if problems:
                    with state.lock:
                        state.problems.extend(f"{method} {api_path} request: {p}" for p in problems)
                    return GitHubServer.error(422, "Invalid request.", errors=[])
        handler = getattr(self, f"_{route}")
        with state.lock:
            return handler(token, match.groupdict(), query, body)  # type: ignore[no-any-return]

    def _send(self, reply: Reply, api_path: str | None, method: str) -> None:
        state = self.state
        if api_path is not None:
            documented = state.description.documented_statuses(api_path, method)
            # 401, 403 and 5xx can come from any endpoint; their bodies are Basic Errors
            if reply.status in documented:
                schema = state.description.response_schema(api_path, method, reply.status)
                if schema is not None:
                    problems = validate(schema, reply.body)
                    if problems:
                        with state.lock:
                            state.problems.extend(
                                f"{method} {api_path} {reply.status} response: {p}"
                                for p in problems
                            )
        elif reply.status == 200:  # GET /user: its answer must at least be a Simple User
            problems = validate(state.description.simple_user_schema(), reply.body)
            state.problems.extend(f"GET /user response: {p}" for p in problems)
        data = b"" if reply.body is None else json.dumps(reply.body).encode("utf-8")
        self.send_response(reply.status)
        if data:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-GitHub-Media-Type", "github.v3; format=json")
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.end_headers()
        if data and method != "HEAD":
            self.wfile.write(data)

    # -- operations -----------------------------------------------------------------------

    def _get_user(self, token: Token, params: dict[str, str], query: Any, body: Any) -> Reply:
        if token.installation:
            return GitHubServer.error(403, "Resource not accessible by integration")
        return Reply(200, _user_json(token.account, self.state.web_url, self.state.api_url))

    def _list_comments(
        self, token: Token, params: dict[str, str], query: dict[str, list[str]], body: Any
    ) -> Reply:
        state = self.state
        try:
            per_page = int(query.get("per_page", ["30"])[0])
            page = int(query.get("page", ["1"])[0])
        except ValueError:
            return GitHubServer.error(422, "Invalid request.")
        per_page = max(1, min(per_page, 100, state.max_per_page))
        comments = state.comments_on(f"{params['owner']}/{params['repo']}", int(params["number"]))
        pages = max(1, -(-len(comments) // per_page))
        chunk = comments[(page - 1) * per_page : page * per_page]
        headers: dict[str, str] = {}
        repo = f"{state.api_url}/repos/{params['owner']}/{params['repo']}"
        base = f"{repo}/issues/{params['number']}/comments"
        links = []
        if page < pages:
            links.append(f'<{base}?per_page={per_page}&page={page + 1}>; rel="next"')
            links.append(f'<{base}?per_page={per_page}&page={pages}>; rel="last"')
        if page > 1:
            links.append(f'<{base}?per_page={per_page}&page=1>; rel="first"')
            links.append(f'<{base}?per_page={per_page}&page={page - 1}>; rel="prev"')
        if links:
            headers["Link"] = ", ".join(links)
        return Reply(200, [state.comment_json(c) for c in chunk], headers)

    def _create_comment(
        self, token: Token, params: dict[str, str], query: Any, body: dict[str, Any]
    ) -> Reply:
        state = self.state
        if token.read_only:
            return GitHubServer.error(403, "Resource not accessible by integration")
        text = body["body"]
        if len(text) > 65536:
            return GitHubServer.error(
                422,
                "Validation Failed",
                errors=[
                    {
                        "resource": "IssueComment",
                        "code": "custom",
                        "field": "body",
                        "message": "body is too long (maximum is 65536 characters)",
                    }
                ],
            )
        comment = state.add_comment(
            f"{params['owner']}/{params['repo']}", int(params["number"]), text, token.account
        )
        return Reply(
            201, state.comment_json(comment), {"Location": state.comment_json(comment)["url"]}
        )

    def _find(self, params: dict[str, str]) -> Comment | None:
        comment = self.state.comments.get(int(params["id"]))
        if comment is None or comment.owner.lower() != params["owner"].lower():
            return None
        return comment

    def _get_comment(self, token: Token, params: dict[str, str], query: Any, body: Any) -> Reply:
        comment = self._find(params)
        if comment is None:
            return GitHubServer.error(404, "Not Found")
        return Reply(200, self.state.comment_json(comment))

    def _update_comment(
        self, token: Token, params: dict[str, str], query: Any, body: dict[str, Any]
    ) -> Reply:
        comment = self._find(params)
        if comment is None:
            return GitHubServer.error(404, "Not Found")
        if token.read_only or comment.user != token.account:
            return GitHubServer.error(403, "Resource not accessible by integration")
        if len(body["body"]) > 65536:
            return GitHubServer.error(
                422, "Validation Failed", errors=[{"code": "custom", "field": "body"}]
            )
        comment.body = body["body"]
        comment.updated_at = START + timedelta(seconds=next(self.state._clock))
        return Reply(200, self.state.comment_json(comment))

    def _delete_comment(self, token: Token, params: dict[str, str], query: Any, body: Any) -> Reply:
        comment = self._find(params)
        if comment is None:
            return GitHubServer.error(404, "Not Found")
        if token.read_only or comment.user != token.account:
            return GitHubServer.error(403, "Resource not accessible by integration")
        del self.state.comments[comment.id]
        return Reply(204)

    def _get_pull(self, token: Token, params: dict[str, str], query: Any, body: Any) -> Reply:
        key = (params["owner"].lower(), params["repo"].lower(), int(params["number"]))
        pull = self.state.pulls.get(key)
        if pull is None:
            return GitHubServer.error(404, "Not Found")
        return Reply(200, copy.deepcopy(pull))


def iter_pages(server: GitHubServer, route: str) -> Iterator[int]:
    """The `page` numbers a client asked for on `route`, in order."""
    for request in server.calls(route):
        yield int(request.query.get("page", ["1"])[0])

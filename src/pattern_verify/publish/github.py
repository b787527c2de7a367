"""The sticky pull request comment, through PyGithub.

One comment per config and pull request: found by its hidden marker (`render.marker`) on the
first line, across every page of the PR's comments, among comments written by the token's own
user only; updated in place, left alone when the body is unchanged, created otherwise.

Nothing here raises for an API failure: the caller has already written the report, summary and
outputs, so a failed comment is a `CommentResult` with a one-line explanation, and the run keeps
the exit code of its verdict. 5xx answers, dropped connections and rate limits (403/429 with
`retry-after`, or a rate-limit message) are retried a bounded number of times.

Two runs of the same pull request at the same time: each one lists right before it creates, and
after creating lists again; if two of ours exist then, both runs keep the oldest and delete the
others, so they end with one comment.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal, TypeVar
from urllib.parse import urlparse

import github
import requests
from github.GithubException import GithubException

from pattern_verify import __version__
from pattern_verify.render import cut_comment

ACTIONS_BOT = "github-actions[bot]"
ATTEMPTS = 4
MAX_WAIT_SECONDS = 60.0
BACKOFF_SECONDS = 2.0
PERMISSION = "pull-requests: write"

T = TypeVar("T")
Sleep = Callable[[float], None]
State = Literal["created", "updated", "unchanged", "no-comment", "superseded", "failed"]


@dataclass(frozen=True)
class PullRequest:
    repository: str  # "owner/name"
    number: int
    fork: bool = False  # a fork PR's token is read-only: a 403 is expected, not a mistake


@dataclass(frozen=True)
class CommentResult:
    state: State
    url: str | None = None
    message: str = ""

    @property
    def failed(self) -> bool:
        return self.state == "failed"


@dataclass
class Client:
    """How to reach GitHub; the defaults are production's, tests make the waits tiny."""

    token: str = field(repr=False)
    api_url: str  # runner.api_url: GITHUB_API_URL, else github.com's
    sleep: Sleep = time.sleep
    attempts: int = ATTEMPTS
    max_wait: float = MAX_WAIT_SECONDS
    backoff: float = BACKOFF_SECONDS
    # GitHub asks integrations to space out writes; PyGithub waits between requests for that.
    seconds_between_requests: float = 0.25
    seconds_between_writes: float = 1.0
    timeout: int = 30

    def github(self) -> github.Github:
        """The PyGithub client; ApiFailure for an API URL that no request could reach."""
        parsed = urlparse(self.api_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ApiFailure(
                f"cannot call GitHub at `{self.api_url}`: expected an http(s) URL; "
                "check GITHUB_API_URL"
            )
        return github.Github(
            base_url=self.api_url.rstrip("/"),
            auth=github.Auth.Token(self.token),
            per_page=100,
            retry=None,  # retries are ours: bounded, with an injectable sleep
            timeout=self.timeout,
            user_agent=f"pattern-verify/{__version__}",
            seconds_between_requests=self.seconds_between_requests,
            seconds_between_writes=self.seconds_between_writes,
            lazy=True,
        )


class ApiFailure(Exception):
    """An API call that failed for good: `message` is the one line for the log."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# ---------------------------------------------------------------------------------------------
# retries


def _header(headers: Any, name: str) -> str | None:
    if not headers:
        return None
    for key, value in dict(headers).items():
        if str(key).lower() == name:
            return str(value)
    return None


def _message(exc: GithubException) -> str:
    data = exc.data
    text = data.get("message") if isinstance(data, dict) else None
    line = " ".join(str(text or exc.message or "").split())
    return line[:200]


def _is_rate_limit(exc: GithubException) -> bool:
    if exc.status == 429:
        return True
    if exc.status != 403:
        return False
    if _header(exc.headers, "retry-after") is not None:
        return True
    if _header(exc.headers, "x-ratelimit-remaining") == "0":
        return True
    return "rate limit" in _message(exc).lower()


def _rate_limit_wait(exc: GithubException, attempt: int, backoff: float) -> float:
    retry_after = _header(exc.headers, "retry-after")
    if retry_after is not None:
        try:
            return max(float(retry_after), 0.0)
        except ValueError:
            pass
    reset = _header(exc.headers, "x-ratelimit-reset")
    if _header(exc.headers, "x-ratelimit-remaining") == "0" and reset and reset.isdigit():
        return max(int(reset) - time.time(), 0.0) + 1.0
    # a secondary limit without `retry-after`: GitHub asks for at least a minute
    return max(60.0, backoff * float(2**attempt))


# requests' errors that no second attempt can mend: a malformed URL or header
_NEVER_SUCCEEDS = (
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    requests.exceptions.InvalidHeader,
)


def with_retries(client: Client, call: Callable[[], T], what: str) -> T:
    """`call()`, retried on 5xx, rate limits and network errors, at most `client.attempts`
    times in all; any other failure, or running out of attempts, raises `ApiFailure`."""
    for attempt in range(client.attempts):
        last = attempt == client.attempts - 1
        try:
            return call()
        except GithubException as exc:
            status = exc.status
            if status >= 500:
                if last:
                    raise ApiFailure(
                        f"GitHub kept answering {status} to {what} ({client.attempts} attempts)",
                        status,
                    ) from None
                client.sleep(min(client.backoff * 2**attempt, client.max_wait))
                continue
            if _is_rate_limit(exc):
                wait = _rate_limit_wait(exc, attempt, client.backoff)
                if wait > client.max_wait:
                    raise ApiFailure(
                        f"GitHub's rate limit for this token asks to wait {wait:.0f} s before "
                        f"{what}, longer than pattern-verify waits ({client.max_wait:.0f} s)",
                        status,
                    ) from None
                if last:
                    raise ApiFailure(
                        f"GitHub's rate limit did not clear for {what} "
                        f"({client.attempts} attempts)",
                        status,
                    ) from None
                client.sleep(wait)
                continue
            raise
        except requests.exceptions.RequestException as exc:
            if isinstance(exc, _NEVER_SUCCEEDS):  # a bad GITHUB_API_URL: no retry helps
                raise ApiFailure(
                    f"cannot call GitHub at {client.api_url} for {what} ({type(exc).__name__}): "
                    "check GITHUB_API_URL"
                ) from None
            if last:
                raise ApiFailure(
                    f"could not reach GitHub at {client.api_url} for {what} "
                    f"({type(exc).__name__}, {client.attempts} attempts)"
                ) from None
            client.sleep(min(client.backoff * 2**attempt, client.max_wait))
    raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover


def explain(exc: GithubException, pr: PullRequest, what: str) -> str:
    """One line saying what went wrong and what to change; never the token."""
    status = exc.status
    detail = _message(exc)
    if status == 401:
        return (
            f"GitHub rejected the token (401 {detail or 'Bad credentials'}) while {what}: "
            "pass a valid token in the `token` input (default: `${{ github.token }}`)"
        )
    if status == 403 and pr.fork:
        return (
            f"pull request #{pr.number} comes from a fork, whose token is read-only (403), so "
            "the comment was not posted; the report, summary, outputs and annotations are kept. "
            "To comment on fork pull requests, use the two-workflow recipe (workflow_run + "
            "artifact) from the README"
        )
    if status == 403:
        return (
            f"GitHub refused {what} on {pr.repository}#{pr.number} (403 {detail}): the job needs "
            f"`permissions: {PERMISSION}`, and the token write access to the repository"
        )
    if status == 404:
        return (
            f"GitHub answered 404 while {what} on {pr.repository}#{pr.number}: the pull request "
            "does not exist or the token cannot see it; the job needs "
            f"`permissions: {PERMISSION}` (a private repository also `contents: read`)"
        )
    if status == 410:
        return (
            f"GitHub answered 410 Gone while {what}: "
            f"issues and comments are disabled on {pr.repository}"
        )
    if status == 422:
        errors = exc.data.get("errors") if isinstance(exc.data, dict) else None
        extra = f" {errors}" if errors else ""
        return f"GitHub rejected {what} (422 {detail}){extra}"[:400]
    return f"GitHub answered {status} while {what} ({detail})"


# ---------------------------------------------------------------------------------------------
# identity


def own_login(client: Client, gh: github.Github, author: str | None = None) -> tuple[str, bool]:
    """The login whose comments are ours, and whether it must be a bot.

    GITHUB_TOKEN and GitHub App tokens (`ghs_…`) cannot call GET /user (403 "Resource not
    accessible by integration"); their comments are written by `github-actions[bot]`. A
    personal token's user is asked for. `author` (the `comment-author` input) overrides both,
    e.g. `my-app[bot]` for a custom GitHub App's token.
    """
    if author:
        return author, author.endswith("[bot]")
    if client.token.startswith("ghs_"):
        return ACTIONS_BOT, True
    try:
        login = with_retries(client, lambda: str(gh.get_user().login), "reading the token's user")
    except GithubException as exc:
        if exc.status in (403, 404):
            return ACTIONS_BOT, True
        raise
    return login, False


# ---------------------------------------------------------------------------------------------
# the sticky comment


def _normalised(body: str) -> str:
    return body.replace("\r\n", "\n").rstrip()


def _created(comment: Any) -> tuple[datetime, int]:
    created = comment.created_at
    if created is None:
        created = datetime.max.replace(tzinfo=timezone.utc)
    elif created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    return created, int(comment.id)


def prepare_body(body: str, marker: str) -> str:
    """The body with the marker on its first line, within GitHub's 65,536 characters."""
    if not body.lstrip().startswith(marker):
        body = f"{marker}\n{body}"
    return cut_comment(body)


def sticky_comment(
    body: str,
    marker: str,
    pr: PullRequest,
    client: Client,
    *,
    author: str | None = None,
    create: bool = True,
    head_sha: str | None = None,
) -> CommentResult:
    """Create or update our one comment on `pr`. `create=False` only updates an existing one
    (`comment: on-failure` on a run that passed: a stale ❌ must not stay). With `head_sha`
    (the commit the body is of), an existing comment is not replaced once the pull request
    has moved on to another commit: that commit's run, maybe finished already, comments."""
    body = prepare_body(body, marker)
    what = "reading the token's user"
    try:
        gh = client.github()
        login, must_be_bot = own_login(client, gh, author)
        learned = ""
        issue = gh.get_repo(pr.repository).get_issue(pr.number)

        def ours() -> list[Any]:
            found = []
            for comment in issue.get_comments():
                user = comment.user
                if user is None or user.login.lower() != login.lower():
                    continue
                if must_be_bot and user.type != "Bot":
                    continue
                if (comment.body or "").lstrip().startswith(marker):
                    found.append(comment)
            return sorted(found, key=_created)

        def delete_extras(comments: list[Any]) -> None:
            for extra in comments:
                try:
                    extra.delete()
                except GithubException as exc:
                    if exc.status != 404:  # the other run deleted it first
                        raise

        def sync() -> CommentResult:
            nonlocal what, login, must_be_bot, learned
            what = "reading the pull request's comments"
            existing = ours()
            if existing:
                keep = existing[0]
                what = "deleting a duplicate comment"
                delete_extras(existing[1:])
                if _normalised(keep.body or "") == _normalised(body):
                    return CommentResult(
                        "unchanged", keep.html_url, f"comment unchanged: {keep.html_url}"
                    )
                current = _current_head(gh, pr) if head_sha else None
                if current and current != head_sha:
                    return CommentResult(
                        "superseded",
                        keep.html_url,
                        f"comment not updated: pull request #{pr.number} is at {current[:12]} "
                        f"now, not {str(head_sha)[:12]}; the run for that commit updates it",
                    )
                what = "updating the comment"
                keep.edit(body)
                return CommentResult("updated", keep.html_url, f"comment updated: {keep.html_url}")
            if not create:
                return CommentResult("no-comment", None, "no comment to update (the run passed)")
            what = "creating the comment"
            created = issue.create_comment(body)
            writer = created.user
            if writer is not None and writer.login.lower() != login.lower():
                # a GitHub App's token writes as its own bot, not github-actions[bot]: look for
                # that login's comments (an earlier run's too), and say how to skip this
                login, must_be_bot = writer.login, writer.type == "Bot"
                learned = (
                    f" (the token writes as `{login}`: set `comment-author: {login}` so that "
                    "runs find this comment before posting)"
                )
            # a run of the same pull request may have created one at the same time: keep the
            # oldest, delete the rest, and make sure the kept one says what this run found
            what = "reading the pull request's comments"
            after = ours()
            if len(after) <= 1:
                return CommentResult(
                    "created", created.html_url, f"comment created: {created.html_url}{learned}"
                )
            keep = after[0]
            what = "deleting a duplicate comment"
            delete_extras(after[1:])
            if keep.id != created.id and _normalised(keep.body or "") != _normalised(body):
                what = "updating the comment"
                keep.edit(body)
            return CommentResult(
                "created", keep.html_url, f"comment created: {keep.html_url}{learned}"
            )

        return with_retries(client, sync, "writing the comment")
    except ApiFailure as failure:
        return CommentResult("failed", None, failure.message)
    except GithubException as exc:
        return CommentResult("failed", None, explain(exc, pr, what))


def _head_of(gh: github.Github, pr: PullRequest) -> str:
    """GET /repos/{owner}/{repo}/pulls/{number}: the pull request's head SHA now."""
    return str(gh.get_repo(pr.repository).get_pull(pr.number).head.sha)


def _current_head(gh: github.Github, pr: PullRequest) -> str | None:
    """The head SHA, or None when it cannot be read (then the comment is updated as it would
    be without the check: this is a guard, not a requirement)."""
    try:
        return _head_of(gh, pr)
    except GithubException:
        return None


def pull_head_sha(pr: PullRequest, client: Client) -> tuple[str | None, str]:
    """The pull request's current head SHA, or None and a one-line reason."""

    def read() -> str:
        return _head_of(client.github(), pr)

    try:
        return with_retries(client, read, "reading the pull request"), ""
    except ApiFailure as failure:
        return None, failure.message
    except GithubException as exc:
        return None, explain(exc, pr, "reading the pull request")

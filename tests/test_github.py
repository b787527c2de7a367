"""The sticky comment alone, without a scan (publish/github.py): races, duplicates, the size
limit, network faults and which user's comment is ours, against the local GitHub server."""

from __future__ import annotations

import threading
from typing import Any

import action_runner
from action_runner import MARKER, NUMBER, REPOSITORY, SERVER_URL, TOKEN, ours
from github_server import ACTIONS_BOT, OTHER_BOT, GitHubServer

from pattern_verify.publish import github as gh

# action_runner's fixture, by the name the tests ask for
server = action_runner.server


def fast(server: GitHubServer, token: str = TOKEN, sleeps: list[float] | None = None) -> gh.Client:
    return gh.Client(
        token=token,
        api_url=server.api_url,
        sleep=(sleeps.append if sleeps is not None else lambda _: None),
        seconds_between_requests=0,
        seconds_between_writes=0,
    )


def test_two_threads_racing_keep_the_oldest_comment(server: GitHubServer) -> None:
    barrier = threading.Barrier(2, timeout=30)
    server.hooks["create_comment"] = barrier.wait
    pr = gh.PullRequest(REPOSITORY, NUMBER)
    results: list[gh.CommentResult] = []
    bodies = [f"{MARKER}\nrun one", f"{MARKER}\nrun two"]
    threads = [
        threading.Thread(
            target=lambda b=b: results.append(gh.sticky_comment(b, MARKER, pr, fast(server)))
        )
        for b in bodies
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 2 and not any(r.failed for r in results)
    (kept,) = server.comments_on(REPOSITORY, NUMBER)
    assert {r.url for r in results} == {kept_url(kept)}
    assert kept.body in bodies


def kept_url(comment: Any) -> str:
    return f"{SERVER_URL}/{REPOSITORY}/pull/{NUMBER}#issuecomment-{comment.id}"


def test_a_duplicate_left_by_an_earlier_race_is_cleaned_up(server: GitHubServer) -> None:
    older = server.add_comment(REPOSITORY, NUMBER, f"{MARKER}\nold", ACTIONS_BOT)
    newer = server.add_comment(REPOSITORY, NUMBER, f"{MARKER}\nnewer", ACTIONS_BOT)
    result = gh.sticky_comment(
        f"{MARKER}\ncurrent", MARKER, gh.PullRequest(REPOSITORY, NUMBER), fast(server)
    )
    assert result.state == "updated"
    assert [c.id for c in server.comments_on(REPOSITORY, NUMBER)] == [older.id]
    assert server.comments[older.id].body == f"{MARKER}\ncurrent"
    assert newer.id not in server.comments


def test_a_body_over_the_limit_is_cut_and_keeps_its_marker(server: GitHubServer) -> None:
    huge = MARKER + "\n" + "x" * 100_000
    result = gh.sticky_comment(huge, MARKER, gh.PullRequest(REPOSITORY, NUMBER), fast(server))
    assert result.state == "created"
    (comment,) = server.comments_on(REPOSITORY, NUMBER)
    assert len(comment.body) <= 65_536 and comment.body.startswith(MARKER)
    assert "cut to fit" in comment.body


def test_network_errors_are_retried_and_then_explained() -> None:
    sleeps: list[float] = []
    client = gh.Client(
        token=TOKEN,
        api_url="http://127.0.0.1:9/api/v3",
        sleep=sleeps.append,
        seconds_between_requests=0,
        seconds_between_writes=0,
        timeout=2,
    )
    result = gh.sticky_comment(f"{MARKER}\nx", MARKER, gh.PullRequest(REPOSITORY, NUMBER), client)
    assert result.failed and "could not reach GitHub" in result.message
    assert len(sleeps) == gh.ATTEMPTS - 1
    assert TOKEN not in result.message


def test_a_malformed_api_url_is_not_retried() -> None:
    sleeps: list[float] = []
    client = gh.Client(
        token=TOKEN,
        api_url="api.example.invalid/v3",  # no scheme: no attempt can succeed
        sleep=sleeps.append,
        seconds_between_requests=0,
        seconds_between_writes=0,
    )
    result = gh.sticky_comment(f"{MARKER}\nx", MARKER, gh.PullRequest(REPOSITORY, NUMBER), client)
    assert result.failed and "check GITHUB_API_URL" in result.message
    assert sleeps == [] and TOKEN not in result.message


def test_an_unknown_token_type_that_cannot_read_the_user_falls_back_to_the_actions_bot(
    server: GitHubServer,
) -> None:
    legacy = "0123456789abcdef0123456789abcdef01234567"  # GHES-era token without a prefix
    server.add_token(legacy, ACTIONS_BOT, installation=True)
    mine = server.add_comment(REPOSITORY, NUMBER, f"{MARKER}\nbefore", ACTIONS_BOT)
    result = gh.sticky_comment(
        f"{MARKER}\nafter", MARKER, gh.PullRequest(REPOSITORY, NUMBER), fast(server, legacy)
    )
    assert result.state == "updated" and server.comments[mine.id].body.endswith("after")
    assert len(server.calls("get_user")) == 1


def test_an_app_token_names_its_bot_with_comment_author(server: GitHubServer) -> None:
    app_token = "ghs_pvAPPtoken3333SECRETvalue0000"
    server.add_token(app_token, OTHER_BOT, installation=True)
    actions_bot = server.add_comment(REPOSITORY, NUMBER, f"{MARKER}\nby github.token", ACTIONS_BOT)
    app = server.add_comment(REPOSITORY, NUMBER, f"{MARKER}\nby the app", OTHER_BOT)
    result = gh.sticky_comment(
        f"{MARKER}\nnew",
        MARKER,
        gh.PullRequest(REPOSITORY, NUMBER),
        fast(server, app_token),
        author="other-ci[bot]",
    )
    assert result.state == "updated"
    assert server.comments[app.id].body == f"{MARKER}\nnew"
    assert server.comments[actions_bot.id].body.endswith("by github.token")
    assert server.calls("get_user") == []


def test_an_app_token_without_comment_author_finds_its_comment_after_posting(
    server: GitHubServer,
) -> None:
    """A custom App's token writes as its own bot: the first run learns the login from the
    comment it created, and says how to skip that; a second run keeps one comment."""
    app_token = "ghs_pvAPPtoken3333SECRETvalue0000"
    server.add_token(app_token, OTHER_BOT, installation=True)
    pull = gh.PullRequest(REPOSITORY, NUMBER)
    first = gh.sticky_comment(f"{MARKER}\none", MARKER, pull, fast(server, app_token))
    assert first.state == "created"
    assert f"set `comment-author: {OTHER_BOT.login}`" in first.message
    second = gh.sticky_comment(f"{MARKER}\ntwo", MARKER, pull, fast(server, app_token))
    assert second.state == "created" and second.url == first.url  # the first one, kept
    assert [c.body for c in ours(server)] == [f"{MARKER}\ntwo"]

"""The runner's context: inputs, event, URLs, token and `pull-request.json`, as GitHub gives
them (events from GitHub's published webhook examples in tests/fixtures/github/webhooks)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pattern_verify import runner
from pattern_verify.errors import UsageError

WEBHOOKS = Path(__file__).resolve().parent / "fixtures" / "github" / "webhooks"


def event(name: str) -> dict[str, object]:
    data = json.loads((WEBHOOKS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_a_pull_request_event_names_the_pull_head_and_base() -> None:
    payload = event("pull_request.opened.1.json")
    env = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_REPOSITORY": "Codertocat/Hello-World"}
    context = runner.resolve_context(env, payload)
    pr = payload["pull_request"]
    assert isinstance(pr, dict)
    assert context.pull is not None and context.pull.number == pr["number"]
    assert context.head_sha == pr["head"]["sha"]
    assert context.base == pr["base"]["sha"] and context.base_label == pr["base"]["ref"]
    assert (context.server_url, context.api_url) == (
        runner.DEFAULT_SERVER_URL,
        runner.DEFAULT_API_URL,
    )
    assert not context.keeps_report


def test_a_push_to_the_default_branch_keeps_the_report() -> None:
    payload = event("push.json")
    repository = payload["repository"]
    assert isinstance(repository, dict)
    env = {
        "GITHUB_EVENT_NAME": "push",
        "GITHUB_REF": f"refs/heads/{repository['default_branch']}",
        "GITHUB_SERVER_URL": "https://ghe.example.com/",
        "GITHUB_API_URL": "https://ghe.example.com/api/v3/",
    }
    context = runner.resolve_context(env, payload)
    assert context.keeps_report and context.pull is None
    assert context.repo_url == f"https://ghe.example.com/{repository['full_name']}"
    assert context.api_url == "https://ghe.example.com/api/v3"


def test_the_token_input_wins_over_github_token() -> None:
    assert runner.token({"INPUT_TOKEN": " t1 ", "GITHUB_TOKEN": "t2"}) == "t1"
    assert runner.token({"INPUT_TOKEN": "", "GITHUB_TOKEN": "t2"}) == "t2"
    assert runner.token({}) is None


def test_pull_request_file_round_trips_and_is_optional(tmp_path: Path) -> None:
    assert runner.PullRequestFile.read(tmp_path) == runner.PullRequestFile()
    written = runner.PullRequestFile(repository="o/r", number=7, head_sha="a" * 40)
    (tmp_path / runner.PULL_REQUEST_FILE).write_text(written.text(), encoding="utf-8")
    assert runner.PullRequestFile.read(tmp_path) == written


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"number": "7"}', "number: Input should be a valid integer"),
        ("[1, 2]", "Input should be an object"),
        ("{not json", "Invalid JSON"),
    ],
)
def test_a_malformed_pull_request_file_is_named(tmp_path: Path, content: str, reason: str) -> None:
    (tmp_path / runner.PULL_REQUEST_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        runner.PullRequestFile.read(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / runner.PULL_REQUEST_FILE}: ")
    assert reason in str(caught.value)

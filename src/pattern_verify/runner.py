"""What a GitHub Actions runner hands a run: the step's inputs, the event, the server and API
URLs, the token, and `pull-request.json` (which pull request a results directory is for).

Read by both `commands/action.py` (which verifies) and `commands/comment.py` (which posts a
comment from results made earlier), so neither imports the other.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from pattern_verify.errors import UsageError, first_problem
from pattern_verify.publish import github

PR_EVENTS = ("pull_request", "pull_request_target")
PULL_REQUEST_FILE = "pull-request.json"
DEFAULT_SERVER_URL = "https://github.com"
DEFAULT_API_URL = "https://api.github.com"


def input_value(env: Mapping[str, str], name: str) -> str:
    """An input as a Docker action receives it: `INPUT_` + the name upper-cased, hyphens kept
    (a JavaScript action would see spaces as `_`; both spellings are read)."""
    key = name.upper()
    value = env.get(f"INPUT_{key}")
    if value is None:
        value = env.get(f"INPUT_{key.replace(' ', '_')}", "")
    return value.strip()


def token(env: Mapping[str, str]) -> str | None:
    """The `token` input, else GITHUB_TOKEN; never an argument (it would show in `ps`)."""
    return input_value(env, "token") or env.get("GITHUB_TOKEN", "").strip() or None


def server_url(env: Mapping[str, str]) -> str:
    return (env.get("GITHUB_SERVER_URL") or DEFAULT_SERVER_URL).strip().rstrip("/")


def api_url(env: Mapping[str, str]) -> str:
    return (env.get("GITHUB_API_URL") or DEFAULT_API_URL).strip().rstrip("/")


def load_event(env: Mapping[str, str]) -> dict[str, Any]:
    path = env.get("GITHUB_EVENT_PATH", "").strip()
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"GITHUB_EVENT_PATH {path}: file not found") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"GITHUB_EVENT_PATH {path}: not a JSON event payload ({exc})") from None
    if not isinstance(data, dict):
        raise UsageError(f"GITHUB_EVENT_PATH {path}: expected a JSON object")
    return data


class PullRequestFile(BaseModel):
    """`pull-request.json` beside the results: the pull request and commit they are for."""

    model_config = ConfigDict(frozen=True, extra="ignore", strict=True)

    repository: str | None = None
    number: int | None = None
    head_sha: str | None = None

    @classmethod
    def read(cls, directory: Path) -> PullRequestFile:
        """The file of a results directory (empty when there is none); it came from an
        artifact, so a malformed one is an error naming it, never a guess."""
        path = directory / PULL_REQUEST_FILE
        if not path.is_file():
            return cls()
        try:
            return cls.model_validate_json(path.read_bytes())
        except (OSError, ValidationError) as exc:
            reason = first_problem(exc) if isinstance(exc, ValidationError) else "cannot be read"
            raise UsageError(f"{path}: {reason}") from None

    def text(self) -> str:
        return self.model_dump_json(indent=2) + "\n"


@dataclass(frozen=True)
class Context:
    """What the event says about the run."""

    event_name: str
    repository: str
    server_url: str
    api_url: str
    pull: github.PullRequest | None = None
    head_sha: str | None = None  # the PR head to verify (None: whatever is checked out)
    base: str | None = None  # the PR base commit; the pipeline finds the merge-base
    base_label: str | None = None  # the PR base branch, as reports name it
    branch: str | None = None  # the pushed or dispatched branch
    default_branch: str | None = None
    run_id: str | None = None  # GITHUB_RUN_ID

    @property
    def repo_url(self) -> str:
        return f"{self.server_url}/{self.repository}"

    @property
    def run_url(self) -> str | None:
        """This workflow run's page (its job summary holds the full report)."""
        if not self.repository or not self.run_id:
            return None
        return f"{self.repo_url}/actions/runs/{self.run_id}"

    @property
    def keeps_report(self) -> bool:
        """Pushes to the default branch and manual runs may commit the report; PRs never."""
        if self.event_name == "push":
            return self.branch is not None and self.branch == self.default_branch
        return self.event_name == "workflow_dispatch" and self.branch is not None


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def resolve_context(env: Mapping[str, str], event: Mapping[str, Any]) -> Context:
    event_name = env.get("GITHUB_EVENT_NAME", "").strip()
    repository = env.get("GITHUB_REPOSITORY", "").strip() or str(
        _get(event, "repository", "full_name") or ""
    )
    default_branch = _get(event, "repository", "default_branch")
    common: dict[str, Any] = {
        "event_name": event_name,
        "repository": repository,
        "server_url": server_url(env),
        "api_url": api_url(env),
        "default_branch": default_branch if isinstance(default_branch, str) else None,
        "run_id": env.get("GITHUB_RUN_ID", "").strip() or None,
    }
    if event_name in PR_EVENTS:
        pr = event.get("pull_request")
        number = _get(pr, "number") or event.get("number")
        head_sha = _get(pr, "head", "sha")
        base = _get(pr, "base", "sha") or _get(pr, "base", "ref")
        if not isinstance(number, int) or not isinstance(head_sha, str) or not base:
            raise UsageError(
                f"the {event_name} event payload has no pull_request number, head.sha or base"
            )
        head_repo = _get(pr, "head", "repo", "full_name")
        base_repo = _get(pr, "base", "repo", "full_name") or repository
        # only `pull_request` from a fork gets a read-only token; `pull_request_target` runs
        # with the base repository's token, so a 403 there is a missing permission
        fork = event_name == "pull_request" and (
            not isinstance(head_repo, str) or head_repo.lower() != str(base_repo).lower()
        )
        base_ref = _get(pr, "base", "ref")
        return Context(
            **common,
            pull=github.PullRequest(repository=repository, number=number, fork=fork),
            head_sha=head_sha,
            base=str(base),
            base_label=base_ref if isinstance(base_ref, str) else None,
        )
    ref = env.get("GITHUB_REF", "").strip() or str(event.get("ref") or "")
    branch = ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else None
    return Context(**common, branch=branch)

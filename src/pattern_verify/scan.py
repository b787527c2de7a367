"""Stage 3, scan: ONE semgrep process over the head files and the base versions of the changed
files, its JSON read into `Finding`s.

Semgrep's free edition no longer returns metavariable values or matched lines ("requires
login"), so captured values are read back out of each result's message using the rule's message
template, and the matched text is read from the file by the result's byte offsets.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pattern_verify.config import ResolvedConfig
from pattern_verify.errors import ScanError
from pattern_verify.models import Finding, SkippedFile
from pattern_verify.specs import RuleInfo
from pattern_verify.targets import Targets

# `$X`, or `value($X)`: semgrep interpolates the latter with the constant's value when known
_METAVAR = re.compile(r"value\(\$([A-Z_][A-Z0-9_]*)\)|\$([A-Z_][A-Z0-9_]*)")
_STRING_LITERAL = re.compile(
    r"""(?P<prefix>[rRbBuU]?)(?P<q>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\$]|\\.)*`)"""
)


@dataclass(frozen=True)
class ScanResult:
    head: tuple[Finding, ...]
    base: tuple[Finding, ...]
    not_verified: tuple[SkippedFile, ...]
    errors: tuple[str, ...]
    semgrep_version: str


class MessageReader:
    """Reads captured values back out of messages, one compiled template per rule."""

    def __init__(self, rule: RuleInfo) -> None:
        self.rule = rule
        self.names: list[str] = []
        parts: list[str] = []
        last = 0
        template = " ".join(rule.message.split())
        for match in _METAVAR.finditer(template):
            parts.append(re.escape(template[last : match.start()]))
            name = (match.group(1) or match.group(2)).lower()
            if name in rule.captures and name not in self.names:
                self.names.append(name)
                parts.append(f"(?P<{name}>.*?)")
            else:
                parts.append(".*?")
            last = match.end()
        parts.append(re.escape(template[last:]))
        self.pattern = re.compile("".join(parts), re.DOTALL)

    def read(self, message: str) -> tuple[dict[str, str], tuple[str, ...]]:
        match = self.pattern.fullmatch(" ".join(message.split()))
        if match is None:
            return {}, ()
        captures: dict[str, str] = {}
        dynamic: list[str] = []
        for name in self.names:
            raw = match.group(name)
            if raw is None or raw in (f"${name.upper()}", f"value(${name.upper()})"):
                continue  # unbound: semgrep left the metavariable as it was
            value, is_literal = normalize_value(raw)
            captures[name] = value
            if not is_literal:
                dynamic.append(name)
        return captures, tuple(dynamic)


def normalize_value(raw: str) -> tuple[str, bool]:
    """A string literal unquoted (True), or the expression's text as it was (False)."""
    text = raw.strip()
    match = _STRING_LITERAL.fullmatch(text)
    if match and "b" not in match.group("prefix").lower():
        body = match.group("q")[1:-1]
        if match.group("q").startswith("`") and "${" in body:
            return text, False
        if "r" not in match.group("prefix").lower():
            body = re.sub(r"\\(.)", r"\1", body)
        return body, True
    return text, False


def _rule_for(check_id: str, rules: dict[str, RuleInfo]) -> RuleInfo | None:
    if check_id in rules:
        return rules[check_id]
    # semgrep prefixes ids with the config file's dotted path
    for rule_id, rule in rules.items():
        if check_id.endswith("." + rule_id):
            return rule
    return None


def _read_text(path: Path, start: int, end: int, cache: dict[Path, bytes]) -> str:
    if path not in cache:
        try:
            cache[path] = path.read_bytes()
        except OSError:
            cache[path] = b""
    return cache[path][start:end].decode("utf-8", errors="replace")


def semgrep_command() -> list[str]:
    found = shutil.which("semgrep")
    if found is None:
        beside = Path(sys.executable).parent / "semgrep"
        if beside.exists():
            found = str(beside)
    if found is None:
        raise ScanError(
            "semgrep is not installed or not on PATH; install it with `pip install semgrep`"
        )
    return [found]


def _run_semgrep(
    command: list[str], cwd: Path, env: dict[str, str], timeout: float | None
) -> tuple[int, str, str]:
    """Run semgrep in its own process group, so a timeout ends the engine it started too."""
    with subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
        return proc.returncode, stdout, stderr


def _semgrep_message(
    errors: list[dict[str, Any]], stderr: str, rules: dict[str, RuleInfo] | None = None
) -> str:
    for error in errors:
        if error.get("level") == "error" or error.get("type") in ("InvalidRuleSchemaError",):
            text = str(error.get("long_msg") or error.get("message") or "").strip()
            rule_id = error.get("rule_id")
            if rule_id:
                rule = _rule_for(str(rule_id), rules or {})
                where = f" in {rule.file}" if rule is not None else ""
                text = f"rule `{rule_id}`{where}: {text}"
            if text:
                return text
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return "\n".join(lines[-15:]) or "semgrep exited without a message"


def run(
    config: ResolvedConfig,
    targets: Targets,
    *,
    timeout: float | None = None,
    jobs: int | None = None,
) -> ScanResult:
    """Run semgrep once over every target and read its results."""
    rules = {rule.id: rule for rule in config.rules}
    readers = {rule.id: MessageReader(rule) for rule in config.rules}
    base_files = dict(targets.base.files) if targets.base else {}
    paths = list(targets.files) + sorted(base_files)
    if not paths:
        return ScanResult((), (), (), (), "")
    command = [
        *semgrep_command(),
        "scan",
        "--metrics=off",
        "--disable-version-check",
        "--json",
        "--no-rewrite-rule-ids",
        "--quiet",
    ]
    for rule_file in config.rule_files:
        command += ["--config", str(rule_file)]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    command += ["--", *paths]
    env = dict(os.environ, SEMGREP_SEND_METRICS="off", SEMGREP_ENABLE_VERSION_CHECK="0")
    try:
        returncode, stdout, stderr = _run_semgrep(command, targets.root, env, timeout)
    except subprocess.TimeoutExpired:
        raise ScanError(f"semgrep did not finish within {timeout:g} seconds (timeout)") from None
    except OSError as exc:
        raise ScanError(f"semgrep could not be started: {exc}") from None
    try:
        output = json.loads(stdout) if stdout.strip() else None
    except json.JSONDecodeError:
        output = None
    if output is None or returncode not in (0, 1):
        reported = output.get("errors", []) if isinstance(output, dict) else []
        raise ScanError(
            f"semgrep failed (exit {returncode}): {_semgrep_message(reported, stderr, rules)}"
        )

    cache: dict[Path, bytes] = {}
    head: list[Finding] = []
    base: list[Finding] = []
    for result in output.get("results", []):
        rule = _rule_for(str(result.get("check_id", "")), rules)
        if rule is None:
            continue
        raw_path = str(result["path"])
        in_base = raw_path in base_files
        full_path = Path(raw_path) if in_base else targets.root / raw_path
        path = base_files[raw_path] if in_base else Path(raw_path).as_posix()
        message = str(result.get("extra", {}).get("message", ""))
        captures, dynamic = readers[rule.id].read(message)
        start, end = result["start"], result["end"]
        finding = Finding(
            rule_id=rule.id,
            fact=rule.fact,
            path=path,
            line=int(start["line"]),
            end_line=int(end["line"]),
            column=int(start.get("col", 1)),
            message=" ".join(message.split()),
            text=_read_text(full_path, int(start["offset"]), int(end["offset"]), cache),
            captures=captures,
            dynamic=dynamic,
        )
        (base if in_base else head).append(finding)

    not_verified: dict[str, SkippedFile] = {}
    errors: list[str] = []
    for error in output.get("errors", []):
        raw_path = error.get("path")
        message = str(error.get("message") or error.get("type") or "error").strip()
        if raw_path:
            raw_path = str(raw_path)
            if raw_path in base_files:
                continue  # the base version of a file; the head version is what counts
            path = Path(raw_path).as_posix()
            reason = _skip_reason(error)
            not_verified.setdefault(path, SkippedFile(path=path, reason=reason))
        elif error.get("level") == "error":
            raise ScanError(f"semgrep rejected the rules: {_semgrep_message([error], '', rules)}")
        else:
            errors.append(" ".join(message.split()))
    version = str(output.get("version", ""))
    return ScanResult(
        head=tuple(sorted(head, key=lambda f: f.sort_key)),
        base=tuple(sorted(base, key=lambda f: f.sort_key)),
        not_verified=tuple(sorted(not_verified.values(), key=lambda s: s.path)),
        errors=tuple(sorted(set(errors))),
        semgrep_version=version,
    )


def _skip_reason(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if isinstance(error.get("type"), list) and error["type"]:
        kind = str(error["type"][0])
    if "Syntax" in kind or "Pars" in kind or "Lexical" in kind:
        return "semgrep could not parse it (partly or wholly unverified)"
    if "Timeout" in kind:
        return "semgrep timed out on it"
    if "OutOfMemory" in kind:
        return "semgrep ran out of memory on it"
    return f"semgrep error: {kind or 'unknown'}"

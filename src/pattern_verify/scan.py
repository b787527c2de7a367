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
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
            spans = error.get("spans") or []
            if text and spans and isinstance(spans[0], dict) and spans[0].get("file"):
                line = (spans[0].get("start") or {}).get("line")
                text = f"{spans[0]['file']}" + (f", line {line}" if line else "") + f": {text}"
            if text:
                return text
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return "\n".join(lines[-15:]) or "semgrep exited without a message"


def rules_file_text(config: ResolvedConfig) -> str:
    """Every rule of the config in one semgrep config file (JSON is YAML too)."""
    return json.dumps({"rules": list(config.rule_documents)}, default=str)


class _Semgrep:
    """One semgrep process, in a process group of its own so that stopping it (a timeout, an
    error while it runs) ends the engine it started too."""

    def __init__(
        self,
        rule_files: Sequence[Path],
        paths: Sequence[str],
        cwd: Path,
        timeout: float | None,
        jobs: int | None,
    ) -> None:
        command = [
            *semgrep_command(),
            "scan",
            "--metrics=off",
            "--disable-version-check",
            "--json",
            "--no-rewrite-rule-ids",
            "--quiet",
            # `# nosemgrep` / `// nosem` in the scanned code would hide a fact from the tool;
            # deviations are accepted only in the open (`pattern-verify: allow`)
            "--disable-nosem",
        ]
        for rule_file in rule_files:
            command += ["--config", str(rule_file)]
        if jobs is not None:
            command += ["--jobs", str(jobs)]
        command += ["--", *paths]
        env = dict(os.environ, SEMGREP_SEND_METRICS="off", SEMGREP_ENABLE_VERSION_CHECK="0")
        self.timeout = timeout
        self.deadline = None if timeout is None else time.monotonic() + timeout
        try:
            self.process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
        except OSError as exc:
            raise ScanError(f"semgrep could not be started: {exc}") from None

    def wait(self) -> tuple[dict[str, Any] | None, int, str]:
        """semgrep's JSON output (None when it printed none), exit code and stderr."""
        remaining = None if self.deadline is None else max(0.0, self.deadline - time.monotonic())
        try:
            stdout, stderr = self.process.communicate(timeout=remaining)
        except subprocess.TimeoutExpired:
            self.stop()
            raise ScanError(
                f"semgrep did not finish within {self.timeout:g} seconds (timeout)"
            ) from None
        try:
            output = json.loads(stdout) if stdout.strip() else None
        except json.JSONDecodeError:
            output = None
        return output if isinstance(output, dict) else None, self.process.returncode, stderr

    def stop(self) -> None:
        """End it if it still runs; reap it and close its pipes either way."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.communicate()


def _failure(
    output: dict[str, Any] | None, returncode: int, stderr: str, rules: dict[str, RuleInfo]
) -> str | None:
    """What went wrong when semgrep failed or rejected a rule; None when it ran."""
    if output is None or returncode not in (0, 1):
        reported = output.get("errors", []) if output is not None else []
        return f"semgrep failed (exit {returncode}): {_semgrep_message(reported, stderr, rules)}"
    rejected = _rule_errors(output)
    if rejected:
        return f"semgrep rejected the rules: {_semgrep_message(rejected, '', rules)}"
    return None


def _rule_errors(output: dict[str, Any] | None) -> list[dict[str, Any]]:
    """semgrep's errors about the rules themselves (they name no target file)."""
    errors = output.get("errors", []) if output is not None else []
    return [e for e in errors if not e.get("path") and e.get("level") == "error"]


class RunningScan:
    """semgrep running over every target; `result()` waits for it and reads its output."""

    def __init__(
        self,
        config: ResolvedConfig,
        targets: Targets,
        directory: Path,
        *,
        timeout: float | None,
        jobs: int | None,
    ) -> None:
        self.config = config
        self.targets = targets
        self.base_files = dict(targets.base.files) if targets.base else {}
        self.paths = list(targets.files) + sorted(self.base_files)
        self.timeout = timeout
        self.jobs = jobs
        self.process: _Semgrep | None = None
        if self.paths:
            # every rule in one config file: semgrep validates each file it is given in a
            # process of its own (measured 0.7 s saved on the websocket pack's six files)
            merged = directory / "rules.json"
            merged.write_text(rules_file_text(config), encoding="utf-8")
            self.process = _Semgrep([merged], self.paths, targets.root, timeout, jobs)

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()

    def result(self) -> ScanResult:
        if self.process is None:
            return ScanResult((), (), (), (), "")
        rules = {rule.id: rule for rule in self.config.rules}
        output, returncode, stderr = self.process.wait()
        problem = _failure(output, returncode, stderr, rules)
        if problem is not None and _rule_errors(output):
            # again with the rule files themselves, so that what semgrep says points into them
            # (a crash or a kill is not retried: it would cost as long again)
            again = _Semgrep(
                self.config.rule_files, self.paths, self.targets.root, self.timeout, self.jobs
            )
            output, returncode, stderr = again.wait()
            problem = _failure(output, returncode, stderr, rules)
        if problem is not None:
            raise ScanError(problem)
        assert output is not None  # _failure says so
        return _read(output, self.config, self.targets, self.base_files)


@contextmanager
def started(
    config: ResolvedConfig,
    targets: Targets,
    *,
    timeout: float | None = None,
    jobs: int | None = None,
) -> Iterator[RunningScan]:
    """semgrep started over every target, running while the caller does other work; leaving
    the block stops it if it still runs."""
    with tempfile.TemporaryDirectory(prefix="pattern-verify-rules-") as directory:
        running = RunningScan(config, targets, Path(directory), timeout=timeout, jobs=jobs)
        try:
            yield running
        finally:
            running.stop()


def run(
    config: ResolvedConfig,
    targets: Targets,
    *,
    timeout: float | None = None,
    jobs: int | None = None,
) -> ScanResult:
    """Run semgrep once over every target and read its results."""
    with started(config, targets, timeout=timeout, jobs=jobs) as running:
        return running.result()


def _read(
    output: dict[str, Any],
    config: ResolvedConfig,
    targets: Targets,
    base_files: dict[str, str],
) -> ScanResult:
    """semgrep's JSON as findings of the head and the base, and files it could not verify."""
    rules = {rule.id: rule for rule in config.rules}
    readers = {rule.id: MessageReader(rule) for rule in config.rules}
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
        else:
            errors.append(" ".join(message.split()))
    # semgrep drops some explicit targets without an error (e.g. `.mts`/`.cts`, which it does not
    # take for TypeScript): every head file it did not report as scanned is not verified
    scanned = (output.get("paths") or {}).get("scanned")
    if isinstance(scanned, list):
        seen = {Path(str(p)).as_posix() for p in scanned}
        for path in targets.files:
            if path not in seen and path not in not_verified:
                not_verified[path] = SkippedFile(
                    path=path, reason="semgrep skipped it without an error (not scanned)"
                )
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

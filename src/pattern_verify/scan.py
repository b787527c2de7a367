"""Stage 3, scan: ONE semgrep process over the head files and the base versions of the changed
files, its JSON read into `Finding`s.

Semgrep's free edition no longer returns metavariable values or matched lines ("requires
login"), so captured values are read back out of each result's message using the rule's message
template, and the matched text is read from the file by the result's byte offsets.

Two engines run the same rules: semgrep's native (OCaml) CLI, `semgrep scan --experimental`,
and its Python CLI. The native one starts in a tenth of the time and gives the same facts; the
engine is chosen once per run (`choose_engine`), and the Python CLI runs where the native one
would not give the same facts.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pattern_verify import names
from pattern_verify.config import ResolvedConfig
from pattern_verify.errors import ScanError, UsageError
from pattern_verify.imports import import_facts
from pattern_verify.models import Engine, EngineName, Finding, SkippedFile
from pattern_verify.prefilter import Prefilters
from pattern_verify.scripts import is_script_host, write_scripts
from pattern_verify.specs import RuleInfo
from pattern_verify.targets import BaseTargets, Targets

# `$X`, or `value($X)`: semgrep interpolates the latter with the constant's value when known
_METAVAR = re.compile(r"value\(\$([A-Z_][A-Z0-9_]*)\)|\$([A-Z_][A-Z0-9_]*)")
# a file semgrep cannot parse fails the same way every time (the facts store keeps it); a
# timeout or running out of memory may not (never kept)
PARSE_FAILURE = "semgrep could not parse it (partly or wholly unverified)"
# semgrep drops some file types without a word (the same every time: kept too)
SKIPPED_SILENTLY = "semgrep skipped it without an error (not scanned)"
_STRING_LITERAL = re.compile(
    r"""(?P<prefix>[rRbBuU]?)(?P<q>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\$]|\\.)*`)"""
)


@dataclass(frozen=True)
class ScanResult:
    head: tuple[Finding, ...]
    base: tuple[Finding, ...]
    not_verified: tuple[SkippedFile, ...]
    errors: tuple[str, ...]
    engine: Engine | None  # None when there was nothing to scan
    # base versions semgrep could not verify, by the path it was given (the facts store must
    # not keep what a timeout left out)
    base_not_verified: tuple[SkippedFile, ...] = ()


# what a message says where the code sets no value for a capture and the rule gives no default
_UNSET = "not set"


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

    def read(self, message: str) -> tuple[dict[str, str], tuple[str, ...], str]:
        """The captures, which of them are dynamic, and the message (normalised, with a
        template literal's closing backtick put back where semgrep dropped it)."""
        text = " ".join(message.split())
        match = self.pattern.fullmatch(text)
        if match is None:
            return {}, (), text
        captures: dict[str, str] = {}
        dynamic: list[str] = []
        repairs: list[tuple[int, int, str]] = []
        fills: list[tuple[int, int, str]] = []
        unset: list[tuple[int, int]] = []
        defaults = dict(self.rule.defaults)
        for name in self.names:
            raw = match.group(name)
            if raw is None or raw in (f"${name.upper()}", f"value(${name.upper()})"):
                # unbound: semgrep left the metavariable as it was
                if name in defaults:
                    captures[name] = defaults[name]
                    # the message says the value the framework uses
                    fills.append((match.start(name), match.end(name), defaults[name]))
                else:
                    # the code does not set it: the message says so, not `$PATH`
                    unset.append((match.start(name), match.end(name)))
                continue
            if raw.startswith("`") and (len(raw) == 1 or not raw.endswith("`")):
                # semgrep interpolates a JS template literal without its closing backtick
                raw += "`"
                repairs.append((match.start(name), match.end(name), raw))
            value, is_literal = normalize_value(raw)
            captures[name] = value
            if not is_literal:
                dynamic.append(name)
        edits = [(start, end, raw, "repair") for start, end, raw in repairs]
        edits += [(start, end, value, "fill") for start, end, value in fills]
        edits += [(start, end, _UNSET, "unset") for start, end in unset if start >= 0]
        for start, end, raw, kind in sorted(edits, reverse=True):
            quoted = text[start - 1 : start] == "`" and text[end : end + 1] == "`"
            if kind == "unset" and quoted:
                # `path `$PATH`` → `path not set`: no code span around what the code lacks
                text = f"{text[: start - 1]}{raw}{text[end + 1 :]}"
            elif kind == "repair" and quoted:
                # inside the rule's own `code span`: a longer fence keeps the literal's backticks
                text = f"{text[: start - 1]}`` {raw} ``{text[end + 1 :]}"
            else:
                text = f"{text[:start]}{raw}{text[end:]}"
        return captures, tuple(dynamic), text


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


def _read_text(path: str, start: int, end: int, cache: dict[str, bytes]) -> str:
    content = cache.get(path)
    if content is None:
        try:
            with open(path, "rb") as file:
                content = file.read()
        except OSError:
            content = b""
        cache[path] = content
    return content[start:end].decode("utf-8", errors="replace")


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


_PACKAGE_VERSION = re.compile(r"""^__VERSION__\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def semgrep_core(version: str | None = None) -> str | None:
    """The semgrep-core binary of the semgrep package this environment imports (where the
    `semgrep` script looks first), found without importing the package; with `version`, only
    when the package is that version. None when there is none."""
    spec = importlib.util.find_spec("semgrep")
    for location in (spec.submodule_search_locations or []) if spec else []:
        package = Path(location)
        core = package / "bin" / ("semgrep-core.exe" if os.name == "nt" else "semgrep-core")
        if not (core.is_file() and os.access(core, os.X_OK)):
            continue
        if version is None:
            return str(core)
        try:
            said = _PACKAGE_VERSION.search((package / "__init__.py").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        if said is not None and said.group(1) == version:
            return str(core)
    return None


def native_core(semgrep: str) -> str | None:
    """The binary behind semgrep's native CLI when `semgrep` (the command) is this environment's:
    `semgrep scan --experimental` is a Python script that finds `semgrep-core` in its package and
    execs it under the name `osemgrep`, which selects the native CLI. Started that way directly
    the scan skips the script's own Python start-up (0.045 s CPU of every scan, measured on
    semgrep 1.185.0). None when `semgrep` is another installation's (pipx, a system package):
    which package its script would use is then not ours to guess, and the script runs."""
    scripts = sysconfig.get_path("scripts")
    here = Path(semgrep).parent
    if not scripts or not (here.samefile(scripts) or here == Path(sys.executable).parent):
        return None
    return semgrep_core()


def scan_command(engine: EngineName) -> list[str]:
    """`semgrep scan` as the tool runs it on either engine, before rules and targets."""
    command = [*semgrep_command(), "scan"]
    if engine == "native":
        command.append("--experimental")
    return [
        *command,
        "--metrics=off",
        "--disable-version-check",
        "--json",
        "--no-rewrite-rule-ids",
        "--quiet",
        # `# nosemgrep` / `// nosem` in the scanned code would hide a fact from the tool;
        # deviations are accepted only in the open (`pattern-verify: allow`)
        "--disable-nosem",
    ]


# semgrep must never reach the network: no metrics, no version check (without this
# `semgrep --version` waits for its version check to time out when offline)
_QUIET_ENV = {"SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"}


def _semgrep_message(
    errors: list[dict[str, Any]], stderr: str, rules: dict[str, RuleInfo] | None = None
) -> str:
    for error in errors:
        if error.get("level") == "error" or error.get("type") in ("InvalidRuleSchemaError",):
            text = str(error.get("long_msg") or error.get("message") or "").strip()
            # the native CLI prefixes its own errors with their type
            text = re.sub(r"^SemgrepError\s*:\s*", "", text)
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


def rules_file_text(config: ResolvedConfig, only: frozenset[str] | None = None) -> str:
    """Every rule of the config (`only`: those of these ids) in one semgrep config file (JSON
    is YAML too)."""
    documents = list(config.rule_documents)
    if only is not None:
        documents = [d for d in documents if d.get("id") in only]
    return json.dumps({"rules": documents}, default=str)


# ---------------------------------------------------------------------------------------------
# the engine: semgrep's native CLI or its Python CLI, chosen once per run

ENGINE_ENV = "PATTERN_VERIFY_ENGINE"
EngineRequest = Literal["auto", "native", "python"]
ENGINE_REQUESTS: tuple[EngineRequest, ...] = ("auto", "native", "python")
# the first semgrep whose native CLI was checked to give the Python CLI's facts, byte for byte,
# on tests/corpus (tests/test_engines.py); auto runs the Python CLI on older ones
NATIVE_SINCE = (1, 185, 0)
# rule modes the native CLI runs; it skips others (e.g. `join`) without a word
NATIVE_MODES = frozenset({"search", "taint"})
_VERSION = re.compile(r"\b(\d+)\.(\d+)\.(\d+)\b")


@dataclass(frozen=True)
class EngineChoice:
    name: EngineName
    reason: str
    version: str | None = None  # semgrep's, when the choice asked for it


def requested_engine(explicit: str | None = None) -> tuple[EngineRequest, str]:
    """The engine asked for (`--engine`, else $PATTERN_VERIFY_ENGINE, else auto) and who asked."""
    if explicit is not None:
        source, value = "--engine", explicit
    else:
        source, value = ENGINE_ENV, os.environ.get(ENGINE_ENV, "") or "auto"
    for request in ENGINE_REQUESTS:
        if value == request:
            return request, f"{source} {value}"
    raise UsageError(f"{source}: expected one of auto, native, python, got `{value}`")


def _python_only_rule(config: ResolvedConfig) -> str | None:
    """Why the rules need the Python CLI (a feature the native CLI does not run), or None."""
    for document in config.rule_documents:
        mode = document.get("mode", "search")
        if mode not in NATIVE_MODES:
            return f"rule `{document.get('id')}` uses `mode: {mode}`"
        if "r2c-internal-project-depends-on" in json.dumps(document, default=str):
            return f"rule `{document.get('id')}` uses `r2c-internal-project-depends-on`"
    return None


def native_version() -> tuple[str | None, str]:
    """The version the native CLI reports (None when it does not answer) and, if not, why.
    One `semgrep --experimental --version`: ~0.1 s of CPU, no Python start-up."""
    try:
        done = subprocess.run(
            [*semgrep_command(), "--experimental", "--version"],
            env=dict(os.environ, **_QUIET_ENV),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            start_new_session=True,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"`semgrep --experimental --version` failed: {exc}"
    found = _VERSION.search(done.stdout)
    if done.returncode != 0 or found is None:
        said = " ".join((done.stderr.strip() or done.stdout.strip()).split())[:200]
        return None, f"`semgrep --experimental --version` exited {done.returncode}: {said}"
    return found.group(0), ""


def semgrep_fingerprint() -> str | None:
    """What tells one installed semgrep from another without running it: the command's resolved
    path, size and modification time (installing or upgrading semgrep rewrites its command; an
    image keeps the times it was built with). None when there is no semgrep command."""
    try:
        command = Path(semgrep_command()[0]).resolve()
        info = command.stat()
    except (ScanError, OSError):
        return None
    return f"{command}\0{info.st_size}\0{info.st_mtime_ns}"


def choose_engine(
    config: ResolvedConfig,
    explicit: str | None = None,
    native: Callable[[], tuple[str | None, str]] | None = None,
) -> EngineChoice:
    """Which semgrep CLI runs this scan, and why: once per run, by cheap checks only.
    `native`: where the native CLI's version comes from (default: `native_version`)."""
    native = native or native_version
    request, source = requested_engine(explicit)
    if request == "python":
        return EngineChoice("python", f"requested ({source})")
    if request == "native":
        version, problem = native()
        if version is None:
            raise ScanError(f"{source}: semgrep's native CLI is not available: {problem}")
        return EngineChoice("native", f"requested ({source})", version)
    needs_python = _python_only_rule(config)
    if needs_python:
        return EngineChoice("python", f"auto: {needs_python}, which the native CLI does not run")
    version, problem = native()
    if version is None:
        return EngineChoice("python", f"auto: the native CLI is not available ({problem})")
    found = tuple(int(part) for part in version.split("."))
    if found < NATIVE_SINCE:
        since = ".".join(map(str, NATIVE_SINCE))
        return EngineChoice(
            "python",
            f"auto: semgrep {version} predates {since}, the first version whose native CLI "
            "was checked to give the same facts",
            version,
        )
    return EngineChoice(
        "native", "auto: the native CLI gives the same facts and starts faster", version
    )


# ---------------------------------------------------------------------------------------------
# semgrep processes

# Linux counts every argument and environment string, plus a pointer to each, against
# ARG_MAX; what remains after the environment and this margin is left for target paths
_ARGV_MARGIN = 64 * 1024


def _argv_budget(fixed: Sequence[str], env: dict[str, str]) -> int:
    try:
        limit = os.sysconf("SC_ARG_MAX")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        limit = 32 * 1024  # Windows' command line
    used = sum(len(os.fsencode(a)) + 1 + 8 for a in fixed)
    used += sum(len(os.fsencode(k)) + len(os.fsencode(v)) + 2 + 8 for k, v in env.items())
    return max(limit - used - _ARGV_MARGIN, 4096)


def chunked(paths: Sequence[str], budget: int) -> list[list[str]]:
    """The paths in consecutive runs that each fit a command line of `budget` bytes."""
    chunks: list[list[str]] = []
    current: list[str] = []
    size = 0
    for path in paths:
        cost = len(os.fsencode(path)) + 1 + 8
        if current and size + cost > budget:
            chunks.append(current)
            current, size = [], 0
        current.append(path)
        size += cost
    if current:
        chunks.append(current)
    return chunks


class _Semgrep:
    """One semgrep process, in a process group of its own so that stopping it (a timeout, an
    error while it runs) ends the engine it started too."""

    def __init__(
        self, command: Sequence[str], env: dict[str, str], cwd: Path, executable: str | None
    ) -> None:
        try:
            self.process = subprocess.Popen(
                command,
                executable=executable,
                cwd=cwd,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
        except OSError as exc:
            raise ScanError(f"semgrep could not be started: {exc}") from None

    def wait(self, timeout: float | None) -> tuple[dict[str, Any] | None, int, str]:
        """semgrep's JSON output (None when it printed none), exit code and stderr."""
        stdout, stderr = self.process.communicate(timeout=timeout)
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


class _Invocation:
    """One semgrep run over every target. The targets go on the command line (semgrep has no
    targets file); when they do not fit one, they run as consecutive processes of the same
    command, one at a time, under one deadline, and their outputs are merged."""

    def __init__(
        self,
        engine: EngineName,
        rule_files: Sequence[Path],
        paths: Sequence[str],
        cwd: Path,
        timeout: float | None,
        jobs: int | None,
    ) -> None:
        command = scan_command(engine)
        for rule_file in rule_files:
            command += ["--config", str(rule_file)]
        if jobs is not None:
            command += ["--jobs", str(jobs)]
        command.append("--")
        self.env = dict(os.environ, **_QUIET_ENV)
        self.executable = native_core(command[0]) if engine == "native" else None
        if self.executable is not None:
            # as the `semgrep` script would start it: named `osemgrep`, without colours on the
            # stderr it cannot see is a terminal (unless colours were asked for)
            command[0] = "osemgrep"
            if not any(self.env.get(v) for v in ("NO_COLOR", "FORCE_COLOR", "SEMGREP_FORCE_COLOR")):
                self.env["NO_COLOR"] = "1"
        self.command = command
        self.cwd = cwd
        self.timeout = timeout
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.pending = chunked(paths, _argv_budget(command, self.env))
        self.process: _Semgrep | None = self._next()

    def _next(self) -> _Semgrep | None:
        if not self.pending:
            return None
        return _Semgrep([*self.command, *self.pending.pop(0)], self.env, self.cwd, self.executable)

    def wait(self) -> tuple[dict[str, Any] | None, int, str]:
        """The merged JSON output (None when a process printed none), the first failing exit
        code (else 0 or 1) and the stderr of every process."""
        merged: dict[str, Any] = {"results": [], "errors": [], "paths": {"scanned": []}}
        returncode = 0
        stderrs: list[str] = []
        while self.process is not None:
            remaining = (
                None if self.deadline is None else max(0.0, self.deadline - time.monotonic())
            )
            try:
                output, code, stderr = self.process.wait(remaining)
            except subprocess.TimeoutExpired:
                self.stop()
                raise ScanError(
                    f"semgrep did not finish within {self.timeout:g} seconds (timeout)"
                ) from None
            stderrs.append(stderr)
            if output is None or code not in (0, 1) or _rule_errors(output):
                self.stop()
                return output, code, "\n".join(stderrs)
            merged.setdefault("version", output.get("version", ""))
            merged["results"] += output.get("results", [])
            merged["errors"] += output.get("errors", [])
            scanned = (output.get("paths") or {}).get("scanned")
            if isinstance(scanned, list) and merged["paths"] is not None:
                merged["paths"]["scanned"] += scanned
            else:  # one process did not say what it scanned: then neither did the run
                merged["paths"] = None
            returncode = max(returncode, code)
            self.process = self._next()
        return merged, returncode, "\n".join(stderrs)

    def stop(self) -> None:
        """End the running process (the ones not started yet never start)."""
        self.pending.clear()
        if self.process is not None:
            self.process.stop()


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
    broken = [e for e in output.get("errors", []) if not e.get("path") and _fatal(e)]
    if broken:  # the native CLI reports e.g. a missing target this way, and exits 0
        return f"semgrep failed: {_semgrep_message(broken, stderr, rules)}"
    return None


def _fatal(error: dict[str, Any]) -> bool:
    return error.get("level") == "error"


def _rule_errors(output: dict[str, Any] | None) -> list[dict[str, Any]]:
    """semgrep's errors about the rules themselves."""
    errors = output.get("errors", []) if output is not None else []
    return [
        e
        for e in errors
        if not e.get("path")
        and _fatal(e)
        and (e.get("rule_id") or "Rule" in str(e.get("type", "")) or e.get("spans"))
    ]


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
        engine: str | EngineChoice | None = None,
        prefilters: Prefilters | None = None,
    ) -> None:
        self.config = config
        self.targets = targets
        self.base_files = dict(targets.base.files) if targets.base else {}
        # script blocks of .vue/.svelte/.html files, as scratch JS/TS files of their own
        self.scripts, self.unscripted = _script_targets(targets, self.base_files, directory)
        self.paths = list(targets.files) + sorted(self.scripts) + sorted(self.base_files)
        self.timeout = timeout
        self.jobs = jobs
        self.invocation: _Invocation | None = None
        self.engine: EngineChoice | None = None
        self.prefilters = prefilters
        # files no rule can match, by the rules' prefilters: semgrep would report them scanned,
        # with nothing found (it does not even parse them), so they are not handed to it
        self.passed_over: list[str] = []
        # whether semgrep is handed fewer files or rules than the run has
        self.filtered = False
        rule_ids: frozenset[str] | None = None
        if prefilters is not None and self.paths:
            self.paths, self.passed_over, rule_ids = _prefiltered(
                prefilters, self.paths, targets.root
            )
            self.filtered = bool(self.passed_over) or rule_ids is not None
        if self.paths or self.passed_over:
            # chosen by the caller already (the facts store keys on it), or now
            self.engine = (
                engine if isinstance(engine, EngineChoice) else choose_engine(config, engine)
            )
        if self.paths and self.engine is not None:
            # every rule in one config file: semgrep validates each file it is given in a
            # process of its own (measured 0.7 s saved on the websocket pack's six files)
            merged = directory / "rules.json"
            merged.write_text(rules_file_text(config, rule_ids), encoding="utf-8")
            self.invocation = _Invocation(
                self.engine.name, [merged], self.paths, targets.root, timeout, jobs
            )

    @property
    def process(self) -> _Semgrep | None:
        """The semgrep process running now, if any."""
        return self.invocation.process if self.invocation is not None else None

    def stop(self) -> None:
        if self.invocation is not None:
            self.invocation.stop()

    def _output(self) -> dict[str, Any]:
        """semgrep's output once it has finished (ScanError when it failed), with the files
        passed over as scanned; without starting it when every file was passed over."""
        if self.invocation is None:
            version = self.prefilters.semgrep_version if self.prefilters is not None else ""
            output: dict[str, Any] | None = {"results": [], "errors": [], "version": version}
            scanned: Any = []
        else:
            rules = {rule.id: rule for rule in self.config.rules}
            output, returncode, stderr = self.invocation.wait()
            problem = _failure(output, returncode, stderr, rules)
            if problem is not None and _rule_errors(output):
                # again with the rule files themselves, so that what semgrep says points into
                # them (by the Python CLI, whose schema errors name the line); a crash or a
                # kill is not retried: it would cost as long again
                again = _Invocation(
                    "python",
                    self.config.rule_files,
                    self.paths,
                    self.targets.root,
                    self.timeout,
                    self.jobs,
                )
                output, returncode, stderr = again.wait()
                problem = _failure(output, returncode, stderr, rules)
            if problem is not None:
                raise ScanError(problem)
            assert output is not None  # _failure says so
            scanned = (output.get("paths") or {}).get("scanned")
        assert output is not None
        if isinstance(scanned, list):
            output["paths"] = {**(output.get("paths") or {}), "scanned": scanned + self.passed_over}
        return output

    def result(self) -> ScanResult:
        if self.engine is None:
            return ScanResult((), (), (), (), None)
        output = self._output()
        result = _read(
            output, self.config, self.targets, self.base_files, self.engine, self.scripts
        )
        base_sources = {head: Path(scanned) for scanned, head in self.base_files.items()}
        not_verified = {s.path: s for s in (*self.unscripted, *result.not_verified)}
        # the imports of the files that route, for the linking stage
        head_imports = import_facts(result.head, self.targets.root.joinpath)
        base_imports = import_facts(result.base, base_sources.__getitem__)
        return dataclasses.replace(
            result,
            head=_with(result.head, head_imports),
            base=_with(result.base, base_imports),
            not_verified=tuple(sorted(not_verified.values(), key=lambda s: s.path)),
        )


def _with(findings: tuple[Finding, ...], more: Sequence[Finding]) -> tuple[Finding, ...]:
    """Sorted findings with more of them, sorted (the same tuple when there are none)."""
    if not more:
        return findings
    return tuple(sorted([*findings, *more], key=lambda f: f.sort_key))


def _script_targets(
    targets: Targets, base_files: dict[str, str], directory: Path
) -> tuple[dict[str, str], tuple[SkippedFile, ...]]:
    """Scratch files of the head's script hosts (scratch → head path), and the base's ones put
    in `base_files` in place of their originals."""
    if not targets.scripts and not any(is_script_host(p) for p in base_files):
        return {}, ()
    scripts, skipped = write_scripts(
        {targets.root / p: p for p in targets.scripts}, directory / "scripts" / "head"
    )
    hosts = {Path(p): base_files.pop(p) for p in list(base_files) if is_script_host(p)}
    base_scripts, _ = write_scripts(hosts, directory / "scripts" / "base")
    base_files.update(base_scripts)
    return scripts, skipped


def _prefiltered(
    prefilters: Prefilters, paths: Sequence[str], root: Path
) -> tuple[list[str], list[str], frozenset[str] | None]:
    """The paths semgrep must be handed, those no rule can match, and the rules the former
    may match (None: every rule)."""
    kept: list[str] = []
    passed_over: list[str] = []
    needed: set[str] = set()
    every = False
    for path in paths:
        try:
            with open(os.path.join(root, path), "rb") as file:  # an absolute path stays one
                content = file.read()
        except OSError:  # semgrep will say what is wrong with it
            kept.append(path)
            every = True
            continue
        rules = prefilters.rules_for(path, content)
        if rules is None:
            every = True
            kept.append(path)
        elif rules:
            needed.update(rules)
            kept.append(path)
        else:
            passed_over.append(path)
    every = every or needed.issuperset(rule.rule_id for rule in prefilters.rules)
    return kept, passed_over, None if every else frozenset(needed)


@contextmanager
def started(
    config: ResolvedConfig,
    targets: Targets,
    *,
    timeout: float | None = None,
    jobs: int | None = None,
    engine: str | EngineChoice | None = None,
    prefilters: Prefilters | None = None,
) -> Iterator[RunningScan]:
    """semgrep started over every target, running while the caller does other work; leaving
    the block stops it if it still runs. `engine`: auto, native or python (None: the
    environment's $PATTERN_VERIFY_ENGINE, else auto). `prefilters`: the rules' prefilters, by
    which files no rule can match are not handed to semgrep (they are scanned, nothing
    found), nor rules no file can match."""
    with tempfile.TemporaryDirectory(prefix="pattern-verify-rules-") as directory:
        running = RunningScan(
            config,
            targets,
            Path(directory),
            timeout=timeout,
            jobs=jobs,
            engine=engine,
            prefilters=prefilters,
        )
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
    engine: str | None = None,
) -> ScanResult:
    """Run semgrep once over every target and read its results."""
    with started(config, targets, timeout=timeout, jobs=jobs, engine=engine) as running:
        return resolve_names(running.result(), config, targets)


def _read(
    output: dict[str, Any],
    config: ResolvedConfig,
    targets: Targets,
    base_files: dict[str, str],
    engine: EngineChoice,
    scripts: dict[str, str],
) -> ScanResult:
    """semgrep's JSON as findings of the head and the base, and files it could not verify."""
    rules = {rule.id: rule for rule in config.rules}
    # a reader compiles its rule's message template: built for the rules that have results
    # only (a run that reads a few changed files' results has few; compiling all ~50 cost 0.006 s)
    readers: dict[str, MessageReader] = {}
    cache: dict[str, bytes] = {}
    # per path semgrep names: the file to read matched text from, the path findings name, and
    # whether it is a base version (thousands of results name the same few files)
    files: dict[str, tuple[str, str, bool]] = {}
    # per rule and message: what the message says (findings of one rule repeat their messages)
    read: dict[tuple[str, str], tuple[dict[str, str], tuple[str, ...], str]] = {}
    root = str(targets.root)
    head: list[Finding] = []
    base: list[Finding] = []
    for result in output.get("results", []):
        rule = _rule_for(str(result.get("check_id", "")), rules)
        if rule is None:
            continue
        raw_path = str(result["path"])
        where = files.get(raw_path)
        if where is None:
            in_base = raw_path in base_files
            full_path = raw_path if in_base or raw_path in scripts else os.path.join(root, raw_path)
            path = base_files.get(raw_path) or scripts.get(raw_path) or Path(raw_path).as_posix()
            where = files[raw_path] = (full_path, path, in_base)
        full_path, path, in_base = where
        message = str(result.get("extra", {}).get("message", ""))
        said = read.get((rule.id, message))
        if said is None:
            reader = readers.get(rule.id)
            if reader is None:
                reader = readers[rule.id] = MessageReader(rule)
            said = read[(rule.id, message)] = reader.read(message)
        captures, dynamic, message = said
        start, end = result["start"], result["end"]
        finding = Finding(
            rule_id=rule.id,
            fact=rule.fact,
            path=path,
            line=int(start["line"]),
            end_line=int(end["line"]),
            column=int(start.get("col", 1)),
            end_column=int(end.get("col", 1)),
            message=message,
            text=_read_text(full_path, int(start["offset"]), int(end["offset"]), cache),
            captures=dict(captures),
            dynamic=dynamic,
        )
        (base if in_base else head).append(finding)

    not_verified: dict[str, SkippedFile] = {}
    base_not_verified: dict[str, SkippedFile] = {}
    errors: list[str] = []
    for error in output.get("errors", []):
        raw_path = error.get("path")
        message = str(error.get("message") or error.get("type") or "error").strip()
        if raw_path:
            raw_path = str(raw_path)
            if raw_path in base_files:
                # the base version of a file; the head version is what the report counts
                base_not_verified.setdefault(
                    raw_path, SkippedFile(path=raw_path, reason=_skip_reason(error))
                )
                continue
            path = scripts.get(raw_path) or Path(raw_path).as_posix()
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
                not_verified[path] = SkippedFile(path=path, reason=SKIPPED_SILENTLY)
        for scratch, path in scripts.items():
            if scratch not in seen and path not in not_verified:
                not_verified[path] = SkippedFile(
                    path=path, reason="semgrep skipped its script blocks without an error"
                )
    version = str(output.get("version", ""))
    return ScanResult(
        head=tuple(sorted(head, key=lambda f: f.sort_key)),
        base=tuple(sorted(base, key=lambda f: f.sort_key)),
        not_verified=tuple(sorted(not_verified.values(), key=lambda s: s.path)),
        errors=tuple(sorted(set(errors))),
        engine=Engine(name=engine.name, semgrep_version=version, reason=engine.reason),
        base_not_verified=tuple(sorted(base_not_verified.values(), key=lambda s: s.path)),
    )


def resolve_names(result: ScanResult, config: ResolvedConfig, targets: Targets) -> ScanResult:
    """The findings with their name captures (`metadata.names`) resolved through their files'
    imports: head findings in the head tree, base findings in the base (the base versions of
    the changed files over the unchanged rest).

    Applied to the facts as a whole, after the facts store and shards, never kept in them: a
    name can resolve through another file (a package's re-export), so it is not a fact of its
    own file's bytes alone.
    """
    named = {rule.id: names.NameRule(rule) for rule in config.rules if rule.names}
    if not named:
        return result
    resolution = _NameResolution(targets.root, targets.base)
    return dataclasses.replace(
        result,
        head=tuple(resolution.resolve(f, named, base=False) for f in result.head),
        base=tuple(resolution.resolve(f, named, base=True) for f in result.base),
    )


class _NameResolution:
    def __init__(self, root: Path, base: BaseTargets | None) -> None:
        self.root = root
        self.base = base
        self._head = names.Resolver(self._read)
        self._base = names.Resolver(self._read_base)
        # a base finding names the head path it compares with: its base version's own path
        self._base_paths: dict[str, str] = {}
        # head files that did not exist under that path at the base (added, renamed to)
        self._new: set[str] = set()
        if base is not None:
            for scan_path, head_path in sorted(base.files.items()):
                with contextlib.suppress(ValueError):
                    own = Path(scan_path).relative_to(base.directory).as_posix()
                    self._base_paths.setdefault(head_path, own)
            self._new = {c.new for c in base.changes if c.new is not None and c.old != c.new}

    def _read(self, path: str) -> str | None:
        if not path.endswith(".py"):
            return None
        try:
            return (self.root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    def _read_base(self, path: str) -> str | None:
        if self.base is not None and path.endswith(".py"):
            with contextlib.suppress(OSError):
                return (self.base.directory / path).read_text(encoding="utf-8", errors="replace")
        return None if path in self._new else self._read(path)

    def resolve(self, finding: Finding, named: dict[str, names.NameRule], *, base: bool) -> Finding:
        rule = named.get(finding.rule_id)
        if rule is None:
            return finding
        if base:
            path = self._base_paths.get(finding.path, finding.path)
            return names.resolve_finding(finding, rule, self._base, path)
        return names.resolve_finding(finding, rule, self._head, finding.path)


def _skip_reason(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if isinstance(error.get("type"), list) and error["type"]:
        kind = str(error["type"][0])
    if "Syntax" in kind or "Pars" in kind or "Lexical" in kind:
        return PARSE_FAILURE
    if "Timeout" in kind:
        return "semgrep timed out on it"
    if "OutOfMemory" in kind:
        return "semgrep ran out of memory on it"
    return f"semgrep error: {kind or 'unknown'}"

"""The short human summary printed at the end of a run."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from pattern_verify.models import Verification
from pattern_verify.render import status_line

MAX_LISTED = 10


def _plain(text: str) -> str:
    # keep terminal output one line per item and free of control characters from scanned code
    return "".join(ch if ch.isprintable() else " " for ch in " ".join(text.split()))


def print_summary(
    verification: Verification,
    written: Sequence[Path],
    out: TextIO,
    *,
    exit_code: int,
    timings: dict[str, float] | None = None,
) -> None:
    scope = verification.scope
    head = verification.repository.head
    at = f" at {head.short_sha}" if head.short_sha else ""
    print(
        f"pattern-verify {verification.tool_version} · {verification.pack}{at} · "
        f"{scope.files_scanned} files scanned, {scope.files_excluded} excluded",
        file=out,
    )
    for requirement in verification.requirements:
        mark = "✅" if requirement.passed else "❌"
        change = f" ({requirement.change})" if requirement.change not in (None, "unchanged") else ""
        detail = ""
        if not requirement.passed:
            detail = f" — {len(requirement.violations)} violation(s)"
        print(f"  {mark} {requirement.title}{change}{detail}", file=out)
        for problem in requirement.problems:
            print(f"       {_plain(problem)}", file=out)
        for finding in requirement.violations[:MAX_LISTED]:
            new = " (new)" if finding.change == "new" else ""
            print(
                f"       {_plain(finding.path)}:{finding.line}  {_plain(finding.message)}{new}",
                file=out,
            )
        if len(requirement.violations) > MAX_LISTED:
            print(f"       … and {len(requirement.violations) - MAX_LISTED} more", file=out)
    if verification.new_violations is not None:
        print(
            f"  against {verification.repository.base_ref}: {verification.new_violations} new, "
            f"{verification.fixed_violations} fixed",
            file=out,
        )
    _print_exceptions(verification, out)
    if scope.not_verified:
        print(
            f"  ⚠ {len(scope.not_verified)} file(s) not verified (see the report's scope)", file=out
        )
    verdict = "PASS" if verification.passed else "FAIL"
    print(f"{verdict}: {status_line(verification)} (exit {exit_code})", file=out)
    if written:
        where = ", ".join(str(p) for p in written)
        print(f"wrote {where}", file=out)
    if timings:
        stages = ", ".join(f"{name} {seconds:.3f}s" for name, seconds in timings.items())
        print(f"timings: {stages}", file=out)


def _print_exceptions(verification: Verification, out: TextIO) -> None:
    """Accepted exceptions (they pass, and are said) and the ones not honoured."""
    accepted = verification.exceptions
    problems = verification.exception_problems
    if accepted:
        new = sum(1 for e in accepted if e.change == "new")
        added = f", {new} new in this change" if verification.new_exceptions is not None else ""
        print(f"  ⚑ {len(accepted)} accepted exception(s){added}", file=out)
        titles = {r.id: r.title for r in verification.requirements}
        for exception in accepted[:MAX_LISTED]:
            finding = exception.finding
            mark = " (new)" if exception.change == "new" else ""
            print(
                f"       {_plain(finding.path)}:{finding.line}  {titles[exception.requirement]}: "
                f"{_plain(exception.reason)} ({exception.source}){mark}",
                file=out,
            )
        if len(accepted) > MAX_LISTED:
            print(f"       … and {len(accepted) - MAX_LISTED} more", file=out)
    if problems:
        print(f"  ⚠ {len(problems)} exception(s) not honoured", file=out)
        for problem in problems[:MAX_LISTED]:
            where = f"{problem.path}:{problem.line}" if problem.line else problem.path
            if problem.key:
                where += f": {problem.key}"
            print(f"       {_plain(where)}  {_plain(problem.message)}", file=out)
        if len(problems) > MAX_LISTED:
            print(f"       … and {len(problems) - MAX_LISTED} more", file=out)


class Progress:
    """Progress lines on stderr. On a terminal, the line of a running stage ticks its elapsed
    seconds until the next line replaces it; elsewhere (CI logs) each line is printed once."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.live = out.isatty()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self, text: str) -> None:
        self._finish()
        if not self.live:
            print(text, file=self.out, flush=True)
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._tick, args=(text,), daemon=True)
        self._thread.start()

    def _tick(self, text: str) -> None:
        start = time.monotonic()
        while True:
            elapsed = time.monotonic() - start
            self.out.write(f"\r\033[K{text} {elapsed:.0f}s")
            self.out.flush()
            if self._stop.wait(1.0):
                break
        self.out.write(f"\r\033[K{text}\n")
        self.out.flush()

    def _finish(self) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None

    def close(self) -> None:
        self._finish()

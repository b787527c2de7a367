"""The `text` format (pure): the short human summary a run prints on the terminal."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TextIO

from pattern_verify.gate import gate, plain, plural
from pattern_verify.link import FRONTEND_CLIENT, target_noun
from pattern_verify.models import Finding, Verification
from pattern_verify.render import first_sentence

MAX_LISTED = 10


def _plain(text: str) -> str:
    # keep terminal output one line per item and free of control characters from scanned code
    return "".join(ch if ch.isprintable() else " " for ch in " ".join(text.split()))


def _route_note(finding: Finding) -> str:
    """The route a client reaches, where the linking stage found it differs from the declared
    one (or could not know it), and for a NestJS gateway its namespace and whether a module was
    seen providing it; for a frontend client the namespace a socket.io one joins, or why its
    target (a socket.io client's engine.io path) is not known: the message names only what the
    code declares."""
    captures = finding.captures
    route, declared = captures.get("route"), captures.get("declared_route")
    note = ""
    if route is not None and declared is not None and route != declared:
        note = f" Full route: {route} (declared {declared})."
    elif route is not None and "platform" in captures:  # a NestJS gateway: its adapter's route
        note = f" Full route: {route}."
    elif "route_unresolved" in captures:
        note = f" Full route unresolved: {captures['route_unresolved']}."
    if note and "namespace" in captures and "platform" in captures:
        note = note[:-1] + f", namespace {captures['namespace']}."
    if "registration" in captures:
        note += f" Module registration {captures['registration']}."
    if finding.fact == FRONTEND_CLIENT and "namespace" in captures:
        note += f" Namespace {captures['namespace']}."
    what = target_noun(finding)
    if "target_constant" in captures and "target" in captures:
        note += f" {what} {captures['target']} (read: {captures['target_constant']})."
    if "target_unresolved" in captures:
        note += f" {what} unresolved: {captures['target_unresolved']}."
    if "target_runtime" in captures:
        note += f" {what} known only at run time: {captures['target_runtime']}."
    return note


def summary(verification: Verification, written: Sequence[str] = ()) -> str:
    """The gate's headline first (what decides the exit code), its policy, then the state of
    every requirement with its violations (new ones first), once each; last the exit code,
    the files the run wrote (`written`) and, when measured, the stage timings."""
    out = io.StringIO()
    decision = gate(verification)
    scope = verification.scope
    repository = verification.repository
    print(f"{decision.icon} {_plain(plain(decision.headline))}", file=out)
    print(f"   {plain(decision.policy)}", file=out)
    where = ""
    if repository.head.short_sha:
        where = f" at {repository.head.short_sha}"
        if repository.head.ref:
            where += f" ({_plain(repository.head.ref)})"
    if repository.head.uncommitted:
        where += " + uncommitted changes"
    if repository.base is not None:
        where += (
            f" vs {_plain(repository.base_ref or '')} at {repository.base.short_sha}"
            f" ({plural(repository.changed_files or 0, 'changed file')}:"
            f" {verification.new_violations} new, {verification.fixed_violations} fixed)"
        )
    print(
        f"pattern-verify {verification.tool_version} · {verification.pack}{where} · "
        f"{plural(scope.files_scanned, 'file')} scanned, {scope.files_excluded} excluded",
        file=out,
    )
    for requirement in verification.requirements:
        mark = "✅" if requirement.passed else "❌"
        change = ""
        if requirement.change == "regressed":
            change = ", broken by this change"
        elif requirement.change == "fixed":
            change = ", repaired by this change"
        detail = "pass" if requirement.passed else "fail"
        if not requirement.passed:
            new = sum(1 for f in requirement.violations if f.change == "new")
            if requirement.violations:
                detail += f"{change}: {plural(len(requirement.violations), 'violation')}"
                detail += f", {new} new" if new else ""
            elif requirement.undecided:
                detail += f"{change}: could not decide"
            else:
                detail += f"{change}: missing evidence"
        else:
            detail += change
        print(f"  {mark} {requirement.title} — {detail}", file=out)
        for problem in requirement.problems:
            print(f"       {_plain(plain(problem))}", file=out)
        ordered = sorted(requirement.violations, key=lambda f: (f.change != "new", f.sort_key))
        for finding in ordered[:MAX_LISTED]:
            new_mark = " (new)" if finding.change == "new" else ""
            message = plain(first_sentence(finding.message)) + _route_note(finding)
            print(
                f"       {_plain(finding.path)}:{finding.line}  {_plain(message)}{new_mark}",
                file=out,
            )
        if len(ordered) > MAX_LISTED:
            print(f"       … and {len(ordered) - MAX_LISTED} more in the report", file=out)
        if requirement.not_counted:
            # seen and left out of a check (a client whose URL only the running code knows): a
            # pass says so too, and the report lists each with why
            print(
                f"       also seen, not counted: {len(requirement.not_counted)} "
                "(each with why in the report)",
                file=out,
            )
    _print_exceptions(verification, out)
    if scope.not_verified:
        print(
            f"  ⚠ {plural(len(scope.not_verified), 'file')} not verified (see the report's scope)",
            file=out,
        )
    line = f"exit {decision.exit_code} (fail-on: {decision.fail_on})"
    if written:
        line += " · wrote " + ", ".join(written)
    print(line, file=out)
    if verification.timings:
        stages = ", ".join(
            f"{name} {seconds:.3f}s" for name, seconds in verification.timings.items()
        )
        print(f"timings: {stages}", file=out)
    return out.getvalue()


def _print_exceptions(verification: Verification, out: TextIO) -> None:
    """Accepted exceptions (they pass, and are said) and the ones not honoured."""
    accepted = verification.exceptions
    problems = verification.exception_problems
    if accepted:
        new = sum(1 for e in accepted if e.change == "new")
        added = f", {new} new in this change" if verification.new_exceptions is not None else ""
        print(f"  ⚑ {plural(len(accepted), 'accepted exception')}{added}", file=out)
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
        print(f"  ⚠ {plural(len(problems), 'exception')} not honoured", file=out)
        for problem in problems[:MAX_LISTED]:
            where = f"{problem.path}:{problem.line}" if problem.line else problem.path
            if problem.key:
                where += f": {problem.key}"
            print(f"       {_plain(where)}  {_plain(problem.message)}", file=out)
        if len(problems) > MAX_LISTED:
            print(f"       … and {len(problems) - MAX_LISTED} more", file=out)

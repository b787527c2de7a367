"""Accepted exceptions (pure): violations accepted in the open, with a reason.

An exception never removes a finding: it moves a violation from `violations` to `exceptions` of
its requirement, with the reason, where it is written and (config entries) until when. Two ways
to write one:

- inline, a comment on the finding's first line or on the line directly above it (a line
  holding only the comment): `# pattern-verify: allow <requirement-id> -- <reason>` in Python,
  `// …` or `/* … */` in JavaScript and TypeScript;
- in the config, `exceptions:` entries `{requirement, path (glob), reason, until}`.

What is not honoured is reported, never ignored: an allow without a reason or naming an unknown
requirement, an allow or entry that accepts no violation, an entry past its `until`, and, under
`--trusted-config base`, an inline allow the base did not already have for the same finding (a
"proposed exception": a change cannot wave its own violation through).

A requirement is judged again without its accepted findings, so a count or a problem that they
caused (e.g. "expected exactly 1 endpoint; found 2") is judged on the rest.
"""

from __future__ import annotations

import datetime
import io
import re
import tokenize
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from pattern_verify import globs
from pattern_verify.evaluate import evaluate
from pattern_verify.models import (
    AcceptedException,
    ExceptionProblem,
    ExceptionProblemKind,
    Finding,
    FindingKey,
    RequirementResult,
)
from pattern_verify.specs import ExceptionEntry, RequirementSpec

DIRECTIVE = "pattern-verify:"
# an allow's text after `pattern-verify:`; `--` separates the requirement from the reason
_ALLOW = re.compile(r"allow\b\s*(?P<requirement>[^\s-][^\s]*)?\s*(?:--\s*(?P<reason>.*))?$", re.S)
_REQUIREMENT_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
PYTHON_SUFFIXES = (".py", ".pyi")
# an allow comment inside a finding's matched text (a trailing one on a decorator line): left out
# of its fingerprint, so that adding one does not make an existing finding look new
ALLOW_COMMENT = re.compile(r"/\*[^\n]*?pattern-verify:.*?\*/|(?:#|//)[^\n]*?pattern-verify:[^\n]*")


@dataclass(frozen=True)
class Allow:
    """One `pattern-verify:` comment. `problem` says why it cannot be honoured as written."""

    path: str
    line: int
    standalone: bool  # the comment is all the line holds: it speaks for the line below
    requirement: str | None
    reason: str
    problem: str | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def _comments(path: str, text: str) -> list[tuple[int, str, bool]]:
    """(line, comment text without its marker, whether the line holds only the comment) of
    every comment that mentions the directive."""
    lines = text.splitlines()
    found: list[tuple[int, str, bool]] = []
    if path.lower().endswith(PYTHON_SUFFIXES):
        try:
            for token in tokenize.generate_tokens(io.StringIO(text).readline):
                if token.type == tokenize.COMMENT and DIRECTIVE in token.string:
                    row, col = token.start
                    before = lines[row - 1][:col] if row <= len(lines) else ""
                    found.append((row, token.string[1:], not before.strip()))
            return found
        except (tokenize.TokenError, SyntaxError):
            found = []  # not valid Python: read it line by line like the other languages
        for number, line in enumerate(lines, start=1):
            at = line.find("#")
            if at != -1 and DIRECTIVE in line[at:]:
                found.append((number, line[at + 1 :], not line[:at].strip()))
        return found
    for number, line in enumerate(lines, start=1):
        at = line.find(DIRECTIVE)
        if at == -1:
            continue
        # the comment holding the directive opens at the last `//` or `/*` before it
        slash, block = line.rfind("//", 0, at), line.rfind("/*", 0, at)
        if slash == -1 and block == -1:
            continue
        if block > slash:
            end = line.find("*/", at)
            body = line[block + 2 : end if end != -1 else len(line)]
            rest = line[:block] + (line[end + 2 :] if end != -1 else "")
        else:
            body, rest = line[slash + 2 :], line[:slash]
        found.append((number, body, not rest.strip()))
    return found


def parse_allows(path: str, text: str, known: Collection[str]) -> tuple[Allow, ...]:
    """Every `pattern-verify:` comment of one file, checked against the known requirement ids."""
    allows = []
    for line, comment, standalone in _comments(path, text):
        body = comment[comment.index(DIRECTIVE) + len(DIRECTIVE) :].strip()
        match = _ALLOW.match(body)
        requirement = match.group("requirement") if match else None
        reason = " ".join((match.group("reason") or "").split()) if match else ""
        problem = None
        if match is None:
            problem = "not an allow: expected `pattern-verify: allow <requirement-id> -- <reason>`"
        elif requirement is None:
            problem = "allow without a requirement id: not honoured"
        elif not _REQUIREMENT_ID.fullmatch(requirement) or requirement not in known:
            problem = (
                f"allow names unknown requirement `{requirement}` "
                f"(known: {', '.join(sorted(known))}): not honoured"
            )
        elif not reason:
            problem = f"allow for `{requirement}` without a reason (`-- <reason>`): not honoured"
        allows.append(
            Allow(
                path=path,
                line=line,
                standalone=standalone,
                requirement=requirement,
                reason=reason,
                problem=problem,
            )
        )
    return tuple(allows)


@dataclass(frozen=True)
class Judgement:
    requirements: tuple[RequirementResult, ...]
    problems: tuple[ExceptionProblem, ...]


@dataclass
class _Use:
    allows: set[tuple[str, int, str]] = field(default_factory=set)
    entries: set[int] = field(default_factory=set)


def judge(
    specs: Sequence[RequirementSpec],
    findings: Sequence[Finding],
    *,
    allows: Sequence[Allow] = (),
    entries: Sequence[ExceptionEntry] = (),
    today: datetime.date | None = None,
    config_label: str = "(config)",
    trusted_inline: Collection[tuple[str, str, str]] | None = None,
) -> Judgement:
    """Requirement results with the accepted exceptions moved out of the violations, and the
    problems of every exception not honoured.

    `findings` are prepared (`compare.prepare`: fingerprinted, naming their requirements).
    `trusted_inline`, when given, holds the (fingerprint, requirement, reason) an inline allow
    of the base accepts: any other inline allow is proposed, not applied.
    """
    by_line: dict[tuple[str, int], list[Allow]] = {}
    for allow in allows:
        if allow.problem is None:
            by_line.setdefault((allow.path, allow.line), []).append(allow)
    live: list[tuple[int, ExceptionEntry]] = []
    problems: list[ExceptionProblem] = []
    for index, entry in enumerate(entries):
        if entry.until is not None and today is not None and today > entry.until:
            problems.append(
                ExceptionProblem(
                    kind="expired",
                    path=config_label,
                    key=f"exceptions[{index}]",
                    requirement=entry.requirement,
                    message=f"expired on {entry.until.isoformat()} (judged at "
                    f"{today.isoformat()}): not honoured",
                )
            )
        else:
            live.append((index, entry))
    used = _Use()
    proposed: dict[tuple[str, int, str], Allow] = {}

    def inline(finding: Finding, requirement: str) -> AcceptedException | None:
        candidates = [a for a in by_line.get((finding.path, finding.line), [])]
        candidates += [a for a in by_line.get((finding.path, finding.line - 1), []) if a.standalone]
        for allow in candidates:
            if allow.requirement != requirement:
                continue
            mark = (allow.path, allow.line, requirement)
            used.allows.add(mark)
            trusted = (finding.fingerprint, requirement, allow.reason)
            if trusted_inline is not None and trusted not in trusted_inline:
                proposed.setdefault(mark, allow)
                continue
            return AcceptedException(
                requirement=requirement,
                finding=finding,
                reason=allow.reason,
                source="inline",
                declared_at=allow.where,
            )
        return None

    def configured(finding: Finding, requirement: str) -> AcceptedException | None:
        for index, entry in live:
            if entry.requirement == requirement and globs.matches(finding.path, entry.path):
                used.entries.add(index)
                return AcceptedException(
                    requirement=requirement,
                    finding=finding,
                    reason=entry.reason,
                    source="config",
                    declared_at=f"{config_label}: exceptions[{index}]",
                    until=entry.until.isoformat() if entry.until else None,
                )
        return None

    results = []
    for spec, result in zip(specs, evaluate(specs, findings), strict=True):
        accepted: dict[FindingKey, AcceptedException] = {}
        # with no allow and no entry nothing is accepted: no violation to look up
        for finding in result.violations if by_line or live else ():
            # both looked up, so an entry that also covers an inline-allowed finding is used
            by_comment, by_config = inline(finding, spec.id), configured(finding, spec.id)
            found = by_comment or by_config
            if found is not None:
                accepted[finding.key] = found
        if accepted:
            (result,) = evaluate([spec], [f for f in findings if f.key not in accepted])
            ordered = sorted(accepted.values(), key=lambda e: e.finding.sort_key)
            result = result.model_copy(update={"exceptions": tuple(ordered)})
        results.append(result)

    for allow in allows:
        if allow.problem is not None:
            problems.append(_allow_problem(allow, "invalid", allow.problem))
        elif (allow.path, allow.line, allow.requirement or "") not in used.allows:
            below = " or the line below" if allow.standalone else ""
            problems.append(
                _allow_problem(
                    allow,
                    "unused",
                    f"allow for `{allow.requirement}` accepts no violation of it on this "
                    f"line{below}: nothing to allow here",
                )
            )
    for allow in proposed.values():
        problems.append(
            _allow_problem(
                allow,
                "proposed",
                f"proposed exception, not applied: the base has no such allow for this "
                f"violation of `{allow.requirement}` (trusted-config: base)",
            )
        )
    for index, entry in live:
        if index not in used.entries:
            problems.append(
                ExceptionProblem(
                    kind="unused",
                    path=config_label,
                    key=f"exceptions[{index}]",
                    requirement=entry.requirement,
                    message=f"accepts no violation of `{entry.requirement}` in "
                    f"`{entry.path}`: nothing to allow",
                )
            )
    return Judgement(
        requirements=tuple(results),
        problems=tuple(sorted(problems, key=lambda p: p.sort_key)),
    )


def _allow_problem(allow: Allow, kind: ExceptionProblemKind, message: str) -> ExceptionProblem:
    return ExceptionProblem(
        kind=kind,
        path=allow.path,
        line=allow.line,
        requirement=allow.requirement,
        message=message,
    )


def inline_accepted(
    results: Sequence[RequirementResult],
) -> frozenset[tuple[str, str, str]]:
    """(fingerprint, requirement, reason) of every finding an inline allow accepts."""
    return frozenset(
        (e.finding.fingerprint, e.requirement, e.reason)
        for result in results
        for e in result.exceptions
        if e.source == "inline"
    )

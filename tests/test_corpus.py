"""Accuracy of the default pack, measured on small realistic projects with hand-written
expectations (tests/corpus/<project>/expected.json): every endpoint, connection and access fact,
by path and line. Fails below 100% recall or 95% precision per fact type."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from pattern_verify import link, scan, targets
from pattern_verify.config import load_config

CORPUS = Path(__file__).resolve().parent / "corpus"
PROJECTS = sorted(p.parent for p in CORPUS.glob("*/expected.json"))
MIN_RECALL = 1.0
MIN_PRECISION = 0.95

Fact = tuple[str, str, int]


def actual_facts(project: Path) -> dict[Fact, dict[str, str]]:
    resolved = load_config(project)
    found = scan.run(resolved, targets.collect(project, resolved))
    # the facts as requirements see them: endpoints with their full routes; `unresolved` lists
    # the captures linking could not decide (a route behind a prefix it cannot read)
    return {
        (f.fact, f.path, f.line): (
            dict(f.captures, unresolved=",".join(f.unresolved)) if f.unresolved else f.captures
        )
        for f in link.link(found.head)
    }


def expected_facts(project: Path) -> dict[Fact, dict[str, str]]:
    data = json.loads((project / "expected.json").read_text(encoding="utf-8"))
    return {(f["fact"], f["path"], f["line"]): f.get("captures", {}) for f in data["facts"]}


def score(
    expected: dict[Fact, dict[str, str]], actual: dict[Fact, dict[str, str]]
) -> tuple[Counter[str], Counter[str], Counter[str], list[str]]:
    """(true positives, false negatives, false positives) per fact type, and the mismatches."""
    hits: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    false: Counter[str] = Counter()
    notes: list[str] = []
    for key, captures in expected.items():
        got = actual.get(key)
        # an endpoint whose route is expected unresolved (declared, no `route`) must have none:
        # a route the linking stage made up is the worst miss
        made_up = "declared_route" in captures and "route" not in captures
        if (
            got is not None
            and all(got.get(k) == v for k, v in captures.items())
            and not (made_up and "route" in got)
        ):
            hits[key[0]] += 1
        else:
            missed[key[0]] += 1
            notes.append(f"missed {key} {captures} (got {got})")
    for key, captures in actual.items():
        if key not in expected:
            false[key[0]] += 1
            notes.append(f"false alarm {key} {captures}")
        elif not all(captures.get(k) == v for k, v in expected[key].items()):
            false[key[0]] += 1
    return hits, missed, false, notes


@pytest.mark.skipif(not PROJECTS, reason="no corpus projects")
def test_the_pack_finds_every_fact_with_few_false_alarms(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert len(PROJECTS) >= 6, [p.name for p in PROJECTS]
    hits: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    false: Counter[str] = Counter()
    notes: list[str] = []
    for project in PROJECTS:
        h, m, f, n = score(expected_facts(project), actual_facts(project))
        hits += h
        missed += m
        false += f
        notes += [f"{project.name}: {note}" for note in n]
    lines = ["fact type                  recall  precision  (tp/fn/fp)"]
    failing = []
    for kind in sorted(set(hits) | set(missed) | set(false)):
        tp, fn, fp = hits[kind], missed[kind], false[kind]
        recall = tp / (tp + fn) if tp + fn else 1.0
        precision = tp / (tp + fp) if tp + fp else 1.0
        lines.append(f"{kind:<26} {recall:6.1%}  {precision:9.1%}  ({tp}/{fn}/{fp})")
        if recall < MIN_RECALL or precision < MIN_PRECISION:
            failing.append(kind)
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert not failing, "\n".join(lines + notes)

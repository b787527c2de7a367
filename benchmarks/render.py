"""Benchmark: rendering the report and the PR comment of a run with many violations.

Builds a `Verification` with N violations spread over N/10 files (a few of them new), then
times `Renderer.report` and `Renderer.comment` with the bundled templates (CPU seconds of the
process: the machine is shared, its wall clock mostly measures the others). Rendering must grow
linearly with the findings: the groupings the templates show are computed once in
`render.py`, and the comment is cut to its size budget without rendering the full list first.

    python benchmarks/render.py [--violations 10000] [--repeat 3]

Not a test: the figures go into README's performance section, never into an assertion.
"""

from __future__ import annotations

import argparse
import statistics
import time

from pattern_verify import pipeline, render
from pattern_verify.models import (
    Finding,
    Repository,
    RequirementResult,
    Revision,
    Scope,
    Verification,
)


def build(count: int) -> Verification:
    violations = tuple(
        Finding(
            rule_id="abstraction-access-by-name",
            fact="abstraction-access",
            path=f"backend/services/pkg{i // 10:05d}/module.py",
            line=i % 10 + 1,
            end_line=i % 10 + 1,
            message='Infrastructure abstraction `"websocket"` fetched directly by name.',
            text="self.get_abstraction('websocket')",
            fingerprint=f"fp{i}",
            change="new" if i % 1000 == 0 else "existing",
        )
        for i in range(count)
    )
    return Verification(
        tool_version="bench",
        title="WebSocket Pattern Verification",
        pack="websocket-gateway",
        config_id="websocket-gateway",
        status="fail",
        fail_on="new",
        repository=Repository(
            url="https://github.com/acme/platform",
            head=Revision(sha="a" * 40, short_sha="aaaaaaa"),
            base=Revision(sha="b" * 40, short_sha="bbbbbbb"),
            base_ref="main",
            changed_files=10,
        ),
        scope=Scope(root=".", files_scanned=count // 10),
        requirements=(
            RequirementResult(
                id="no-direct-websocket-access",
                title="No Direct WebSocket Access",
                status="fail",
                violations=violations,
                change="unchanged",
            ),
        ),
        findings=violations,
        new_violations=sum(1 for f in violations if f.change == "new"),
        fixed_violations=0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--violations", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    verification = build(args.violations)
    links = render.Links("https://github.com/acme/platform", "a" * 40, "b" * 40)
    times: dict[str, list[float]] = {"report": [], "comment": []}
    sizes: dict[str, int] = {}
    for _ in range(args.repeat):
        # a renderer per run, as a run has: the comment reuses what the report computed
        renderer = render.Renderer(pipeline.load_templates(None), links)
        start = time.process_time()
        sizes["report"] = len(renderer.report(verification))
        times["report"].append(time.process_time() - start)
        start = time.process_time()
        sizes["comment"] = len(renderer.comment(verification))
        times["comment"].append(time.process_time() - start)
    files = args.violations // 10
    print(f"{args.violations} violations in {files} files, {args.repeat} runs each:")
    for name, values in times.items():
        print(f"  {name}: median {statistics.median(values):.3f} s CPU, {sizes[name]:,} characters")


if __name__ == "__main__":
    main()

"""The cyclic garbage collector paused while the process builds what it keeps: the command's
import and the run."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from pattern_verify import collector


@pytest.fixture
def collector_enabled_after() -> Iterator[None]:
    yield
    gc.enable()


@pytest.mark.parametrize("enabled", [True, False])
def test_paused_inside_as_it_was_after_and_what_it_built_is_old(
    enabled: bool, collector_enabled_after: None
) -> None:
    (gc.enable if enabled else gc.disable)()
    with collector.paused():
        assert not gc.isenabled()
        kept = [[index] for index in range(100)]
    assert gc.isenabled() is enabled
    # with the oldest objects: the next young collections do not walk it
    assert any(item is kept for item in gc.get_objects(generation=2))
    assert not any(item is kept for item in gc.get_objects(generation=0))


def test_the_cli_imports_its_command_without_collections() -> None:
    # importing `run` ran the collector ~100 times over objects that all stay alive
    script = """
import gc
from pattern_verify import cli
collections = []
gc.callbacks.append(lambda phase, info: collections.append(info) if phase == "stop" else None)
cli.command_module("run")
print(len(collections), gc.isenabled())
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        check=True,
    )
    assert done.stdout.split() == ["0", "True"]

"""Python's cyclic garbage collector, paused while pattern-verify builds objects that live as
long as the process.

Reference counting frees what a run lets go of; the cyclic collector is there for reference
cycles, and it runs every 700 allocations, walking the young objects (every tenth time the
older ones too). Importing the `run` command (classes, pydantic's validators, compiled
patterns: ~100 collections) and a run itself (findings, their lists, the rendered views:
0.3-0.4 s of the 1.4 s the stages took at 10,000 findings) allocate hundreds of thousands of
objects that all stay alive, and the collector walked them again and again to free next to
nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off inside the block, as it was after. What the block built is put with
    the oldest objects (frozen and thawed: nothing walked), so that the next young collection
    does not walk it all at once; the few cycles left are collected once it is back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()

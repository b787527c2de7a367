"""Progress lines on the terminal (stderr), while a run works; the summary it ends with is the
`text` format (`text.py`)."""

from __future__ import annotations

import threading
import time
from typing import TextIO


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

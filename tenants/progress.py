"""A one-line progress bar for long operator commands: count, rate and ETA."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, label: str, stream: TextIO | None = None, every: float = 0.5) -> None:
        self.total = total
        self.label = label
        self.stream = stream or sys.stderr
        self.every = every
        self.done = 0
        self.started = time.monotonic()
        self._shown = 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now - self._shown >= self.every or self.done >= self.total:
            self._shown = now
            self.stream.write("\r" + self.line())
            self.stream.flush()

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.done / elapsed
        remaining = (self.total - self.done) / rate if rate > 0 else 0.0
        percent = 100.0 * self.done / self.total if self.total else 100.0
        width = 30
        filled = int(width * percent / 100)
        bar = "#" * filled + "-" * (width - filled)
        return (f"{self.label} [{bar}] {self.done:,}/{self.total:,} ({percent:5.1f}%) "
                f"{rate:7.1f}/s ETA {int(remaining // 60)}:{int(remaining % 60):02d}")

    def finish(self) -> None:
        self.stream.write("\r" + self.line() + "\n")
        self.stream.flush()

"""CPU seconds spent by the processes of one bench phase, from /proc, for bench/load.py.

Wall-clock throughput on a shared 2-core box is shared with whatever else runs; the CPU a request
costs is not. So each phase reads, before and after:

- the gunicorn process group (the master and its workers: the master was started in its own
  session, so every worker's process group is the master's pid): utime + stime of every live
  process, plus the master's cutime + cstime (workers that exited and were reaped during the phase,
  after max_requests);
- the PostgreSQL backends connected to the bench's database (sampled every second during the phase:
  a backend that is closed by age keeps the CPU it had at its last sample);
- the load generator: wrk's rusage (this process's reaped children, RUSAGE_CHILDREN) or, for the
  Python generator, this process's own (RUSAGE_SELF).
"""

from __future__ import annotations

import os
import resource
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces.
    return raw[raw.rindex(")") + 2:].split()


def group_seconds(leader: int) -> float:
    """utime + stime of every live process in `leader`'s process group, plus the leader's reaped
    children (cutime + cstime)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _stat(int(entry))
        # After "(comm)": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
        # utime stime cutime cstime
        if fields is None or int(fields[2]) != leader:
            continue
        total += int(fields[11]) + int(fields[12])
        if int(entry) == leader:
            total += int(fields[13]) + int(fields[14])
    return total / TICK


def process_seconds(pid: int) -> float | None:
    fields = _stat(pid)
    return None if fields is None else (int(fields[11]) + int(fields[12])) / TICK


def generator_seconds() -> float:
    """This process's CPU and that of its reaped children (wrk runs as one)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class Usage:
    server: float = 0.0  # gunicorn master and workers, CPU seconds
    database: float = 0.0  # PostgreSQL backends of the bench's database
    generator: float = 0.0  # wrk or this process
    seconds: float = 0.0  # wall clock

    def per_request(self, requests: int) -> tuple[float, float, float]:
        """(server, database, generator) CPU milliseconds per request."""
        if not requests:
            return (float("nan"),) * 3  # type: ignore[return-value]
        return tuple(v * 1000 / requests for v in (self.server, self.database, self.generator))  # type: ignore[return-value]


@dataclass
class Meter:
    """Measures the CPU of one phase: `with Meter(server_pid, backend_pids) as meter: ...; meter.usage`."""

    server_pid: int
    backend_pids: Callable[[], list[int]]
    usage: Usage = field(default_factory=Usage)
    _stop: threading.Event = field(default_factory=threading.Event)
    _backends: dict[int, tuple[float, float]] = field(default_factory=dict)  # pid → (first, last) CPU seen

    def _sample(self) -> None:
        for pid in self.backend_pids():
            seconds = process_seconds(pid)
            if seconds is None:
                continue
            first, _last = self._backends.get(pid, (seconds, seconds))
            self._backends[pid] = (first, seconds)

    def _watch(self) -> None:
        while not self._stop.wait(1.0):
            self._sample()

    def __enter__(self) -> Meter:
        import time

        self._started = time.monotonic()
        self._server = group_seconds(self.server_pid)
        self._generator = generator_seconds()
        self._sample()
        # Backends alive at the start count from their CPU then; one first seen later, from zero.
        self._known = set(self._backends)
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        import time

        self._stop.set()
        self._thread.join()
        self._sample()
        self.usage.seconds = time.monotonic() - self._started
        self.usage.server = group_seconds(self.server_pid) - self._server
        self.usage.generator = generator_seconds() - self._generator
        self.usage.database = sum(last - (first if pid in self._known else 0.0)
                                  for pid, (first, last) in self._backends.items())

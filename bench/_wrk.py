"""wrk (Debian's `wrk`, a C load generator) over a list of (host, path) targets, for bench/load.py:
a Lua script picks a target at random for every request and reports the latency percentiles and
the errors by kind. Costs the box far less CPU than a Python generator, so more of the 2 cores serve."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = r"""
local targets, n = {}, 0
init = function(args)
  for line in io.lines(args[1]) do
    local host, path = line:match("^(%S+) (%S+)$")
    n = n + 1
    targets[n] = wrk.format("GET", path, {["Host"] = host, ["User-Agent"] = "rongthuk-bench"})
  end
  math.randomseed(tonumber(args[2]) + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 1000)
end
request = function()
  return targets[math.random(n)]
end
done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50=%d p95=%d p99=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
"""


@dataclass
class Result:
    requests: int
    seconds: float
    p50: float  # ms
    p95: float
    p99: float
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def available() -> bool:
    return shutil.which("wrk") is not None


def run(*, port: int, targets: list[tuple[str, str]], seconds: float, connections: int, threads: int = 2,
        seed: int = 16) -> Result:
    with tempfile.TemporaryDirectory(prefix="rongthuk-wrk-") as folder:
        script, listing = Path(folder) / "targets.lua", Path(folder) / "targets.txt"
        script.write_text(SCRIPT, encoding="utf-8")
        listing.write_text("".join(f"{host} {path}\n" for host, path in targets), encoding="utf-8")
        done = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{int(seconds)}s",
                               "--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}/", "--",
                               str(listing), str(seed)], capture_output=True, text=True, check=True,
                              timeout=seconds + 120)
    found = re.search(r"^RESULT (.*)$", done.stdout, re.M)
    if not found:
        raise RuntimeError(f"wrk gave no result:\n{done.stdout}\n{done.stderr}")
    values = {k: int(v) for k, v in (pair.split("=") for pair in found.group(1).split())}
    errors = {kind: values[kind] for kind in ("connect", "read", "write", "status", "timeout") if values[kind]}
    return Result(values["requests"], values["duration_us"] / 1e6, values["p50"] / 1000, values["p95"] / 1000,
                  values["p99"] / 1000, errors)

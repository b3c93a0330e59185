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
    return _parse(done.stdout, done.stderr)


# One wrk per kind of request, all at once (bench/load.py's mix): each line of a kind's list is
# METHOD, host, path, headers ("Name: value" joined by \x01) and body, tab-separated; {IP}, {PHONE}
# and {KEY} in a header or the body become a new client address, phone number and idempotency key
# for every request. A response whose status is not the kind's expected one counts as an error.
MIX_SCRIPT = r"""
local targets, n, expect, bad = {}, 0, 200, 0
local function fresh(text)
  text = text:gsub("{IP}", function() return string.format("10.%d.%d.%d", math.random(0, 255),
                                                             math.random(0, 255), math.random(1, 254)) end)
  text = text:gsub("{PHONE}", function() return string.format("08%08d", math.random(0, 99999999)) end)
  text = text:gsub("{KEY}", function()
    local out = {}
    for i = 1, 24 do out[i] = string.char(({48, 65, 97})[math.random(3)] + math.random(0, 9)) end
    return table.concat(out)
  end)
  return text
end
init = function(args)
  expect = tonumber(args[3])
  for line in io.lines(args[1]) do
    local method, host, path, headers, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    n = n + 1
    targets[n] = {method, host, path, headers, body}
  end
  math.randomseed(tonumber(args[2]) + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 1000)
end
request = function()
  local t = targets[math.random(n)]
  local headers = {["Host"] = t[2], ["User-Agent"] = "rongthuk-bench"}
  for pair in fresh(t[4]):gmatch("[^\1]+") do
    local name, value = pair:match("^([^:]+): (.*)$")
    headers[name] = value
  end
  local body = t[5] ~= "" and fresh(t[5]) or nil
  if body then headers["Content-Type"] = "application/x-www-form-urlencoded" end
  return wrk.format(t[1], t[3], headers, body)
end
response = function(status, headers, body)
  if status ~= expect then bad = bad + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50=%d p95=%d p99=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.connect, summary.errors.read, summary.errors.write, bad, summary.errors.timeout))
end
"""


@dataclass
class Kind:
    lines: list[tuple[str, str, str, dict[str, str], str]]  # method, host, path, headers, body
    connections: int
    expect: int = 200


def run_mix(*, port: int, kinds: dict[str, Kind], seconds: float, seed: int = 16) -> dict[str, Result]:
    """Every kind's wrk (one thread, its own connections) at once, for `seconds`."""
    with tempfile.TemporaryDirectory(prefix="rongthuk-wrk-") as folder:
        script = Path(folder) / "mix.lua"
        script.write_text(MIX_SCRIPT, encoding="utf-8")
        running = {}
        for index, (name, kind) in enumerate(kinds.items()):
            listing = Path(folder) / f"kind{index}.txt"
            listing.write_text("".join(
                "\t".join([method, host, path, "\x01".join(f"{k}: {v}" for k, v in headers.items()), body]) + "\n"
                for method, host, path, headers, body in kind.lines), encoding="utf-8")
            running[name] = subprocess.Popen(
                ["wrk", "-t", "1", "-c", str(kind.connections), "-d", f"{int(seconds)}s", "--timeout", "10s",
                 "-s", str(script), f"http://127.0.0.1:{port}/", "--", str(listing), str(seed + index),
                 str(kind.expect)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        results = {}
        for name, process in running.items():
            stdout, stderr = process.communicate(timeout=seconds + 120)
            results[name] = _parse(stdout, stderr)
    return results


def _parse(stdout: str, stderr: str) -> Result:
    found = re.search(r"^RESULT (.*)$", stdout, re.M)
    if not found:
        raise RuntimeError(f"wrk gave no result:\n{stdout}\n{stderr}")
    values = {k: int(v) for k, v in (pair.split("=") for pair in found.group(1).split())}
    errors = {kind: values[kind] for kind in ("connect", "read", "write", "status", "timeout") if values[kind]}
    return Result(values["requests"], values["duration_us"] / 1e6, values["p50"] / 1000, values["p95"] / 1000,
                  values["p99"] / 1000, errors)

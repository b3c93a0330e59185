"""The citizen's complaint form at phone size over a slow link: time to usable and page weight.

    RONGTHUK_DATABASE_NAME=rongthuk_bench_form .venv/bin/python bench/complaint_form.py --runs 5

Debian's chromium (Playwright) opens http://banlat.localhost:<port>/complaints/new/ in a 360×740
viewport (a phone, touch, device scale 2) with an empty cache, over Chromium's own network
emulation (CDP Network.emulateNetworkConditions: 400 kbit/s down and up, 400 ms latency per
request), against `rongthuk runserver` on this machine with the demo body เทศบาลตำบลบ้านลาด.
The baseline row is the same page in the same run with no emulation.

"usable" is when the description box can take text: the moment the page's script has run and
the box is visible and enabled and the page has painted (polled in the page every 50 ms, from
navigation start). Weight is
what went over the wire (CDP encodedDataLength of every response), and the requests counted.
Static files are served by Django's development server here; behind nginx they carry the same
bytes (gzip aside: nginx compresses, the development server does not, so these weights are the
uncompressed upper bound).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from typing import Any

import _setup  # noqa: I001  (the path, the database, Django)

REPO = _setup.REPO
CHROMIUM = "/usr/bin/chromium"
BODY = "5760601"  # เทศบาลตำบลบ้านลาด


def setup() -> str:
    _setup.start("rongthuk_bench_form")
    from apps.ui.i18n.build import compile_catalogues

    compile_catalogues()
    return _setup.demo_bodies(BODY).slug


def serve() -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = dict(os.environ, DEBUG="1", PYTHONUNBUFFERED="1")
    server = subprocess.Popen([sys.executable, "-m", "rongthuk.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": "localhost"})
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return server, port
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not start")


USABLE = """() => new Promise(resolve => {
  const check = () => {
    const box = document.querySelector('textarea[name="description"]');
    const painted = performance.getEntriesByName('first-contentful-paint').length > 0;
    if (painted && box && !box.disabled && box.offsetParent !== null && document.readyState !== 'loading') {
      resolve(performance.now());
    } else { setTimeout(check, 50); }
  };
  check();
})"""


def load_once(browser: Any, url: str, *, throttled: bool) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="th-TH")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    # One request on the body's own origin first: the form then loads in the same renderer, so the
    # emulation set on it applies to the document too (a cross-site first navigation swaps process).
    page.goto(url.split("/complaints/")[0] + "/healthz")
    if throttled:
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 400,
                                                      "downloadThroughput": 400_000 / 8,
                                                      "uploadThroughput": 400_000 / 8})
    sizes: dict[str, float] = {}
    names: dict[str, str] = {}
    cdp.on("Network.responseReceived", lambda event: names.__setitem__(event["requestId"], event["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]))
    page.goto(url, wait_until="commit")
    usable = page.evaluate(USABLE)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # late responses' loadingFinished events
    timing = page.evaluate("""() => {
      const n = performance.getEntriesByType('navigation')[0];
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      return {ttfb: n.responseStart, fcp: paint ? paint.startTime : 0, dcl: n.domContentLoadedEventEnd,
              load: n.loadEventEnd};
    }""")
    context.close()
    heaviest = sorted(((size, names.get(key, "?").split("/", 3)[-1]) for key, size in sizes.items()), reverse=True)
    return {**timing, "usable": usable, "bytes": sum(sizes.values()), "requests": len(sizes), "heaviest": heaviest}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5, help="cold loads per condition (after one warm-up)")
    args = parser.parse_args()
    slug = setup()
    server, port = serve()
    from playwright.sync_api import sync_playwright

    url = f"http://{slug}.localhost:{port}/complaints/new/"
    results: dict[str, list[dict[str, float]]] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
            load_once(browser, url, throttled=False)  # warm-up: the server's first request, the catalogues
            for name, throttled in (("no emulation (baseline)", False), ("400 kbit/s, 400 ms latency", True)):
                results[name] = [load_once(browser, url, throttled=throttled) for _ in range(args.runs)]
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(f"command: RONGTHUK_DATABASE_NAME={os.environ['RONGTHUK_DATABASE_NAME']} "
          f".venv/bin/python bench/complaint_form.py {' '.join(sys.argv[1:])}".rstrip())
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)")
    print(f"page: {url} at 360×740, empty cache, median of {args.runs} loads\n")
    print(f"| {'link':<28} | {'first byte ms':>13} | {'first paint ms':>14} | {'usable ms':>9} | "
          f"{'load ms':>8} | {'requests':>8} | {'weight kB':>9} |")
    print(f"| {'-' * 28} | {'-' * 13} | {'-' * 14} | {'-' * 9} | {'-' * 8} | {'-' * 8} | {'-' * 9} |")
    medians: dict[str, dict[str, float]] = {}
    for name, runs in results.items():
        med = {key: statistics.median(run[key] for run in runs) for key in runs[0] if key != "heaviest"}
        medians[name] = med
        print(f"| {name:<28} | {med['ttfb']:>13.0f} | {med['fcp']:>14.0f} | {med['usable']:>9.0f} | "
              f"{med['load']:>8.0f} | {med['requests']:>8.0f} | {med['bytes'] / 1000:>9.1f} |")
    print("\nwhat the weight is (one throttled load):")
    for size, name in results["400 kbit/s, 400 ms latency"][0]["heaviest"]:  # type: ignore[union-attr]
        print(f"  {size / 1000:>7.1f} kB  /{name}")
    base, slow = medians["no emulation (baseline)"], medians["400 kbit/s, 400 ms latency"]
    print(f"\nusable over the slow link: {slow['usable'] / base['usable']:.1f}x the baseline "
          f"({slow['usable'] / 1000:.1f} s)")


if __name__ == "__main__":
    main()

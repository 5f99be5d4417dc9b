"""Speed of the real app in headless Chromium: map payload, time to first map, click-to-panel.

    python scripts/bench_app.py [--clicks 10] [--loads 3] [--corpus PATH]

Starts ``streamlit run app.py`` on a free local port, drives it with Debian's /usr/bin/chromium
through Playwright, prints a table. ``--corpus`` (a folder, a ``.jsonl`` file or a
``corridor-atlas build`` directory) is handed to the app as CORRIDOR_ATLAS_CORPUS (default: that
variable, else seeds/). Measures what a user waits for:
  * map payload: bytes of the rendered folium document (seeds only: it builds the atlas in this
    process too), and websocket bytes of the first page load and of one click;
  * first map: from the server answering /_stcore/health to the map's vector layers in the DOM,
    first load (builds the atlas) and warm loads (atlas cached), median;
  * click-to-panel: from a mouse click on a corridor line to its card heading, median of N clicks,
    on the wall clock (the page reports the heading through a promise, no polling) and on the
    page's own clock (rerun start, heading in the DOM, rerun end).
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CORRIDOR_ATLAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
# A point on the path that is the topmost element (not under a marker), in iframe coordinates.
VISIBLE_POINT_JS = """
(els) => {
  for (const el of els) {
    const len = el.getTotalLength ? el.getTotalLength() : 0;
    const ctm = el.getScreenCTM();
    for (let i = 0; i < 97 && len > 0; i++) {
      const p = el.getPointAtLength(len * (0.5 + ((i * 37) % 97) / 97) % len);
      const x = ctm.a * p.x + ctm.c * p.y + ctm.e, y = ctm.b * p.x + ctm.d * p.y + ctm.f;
      if (document.elementFromPoint(x, y) === el) return {x: x, y: y};
    }
  }
  return null;
}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(port: int, corpus: str | None) -> tuple[subprocess.Popen, float]:
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none",
           "--browser.gatherUsageStats", "false"]
    env = {**os.environ, **({"CORRIDOR_ATLAS_CORPUS": corpus} if corpus else {})}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc, time.perf_counter()
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("streamlit did not start within 180 s")


def _load(page, url: str, timeout_ms: int = 300_000) -> None:
    page.goto(url, timeout=timeout_ms)
    page.wait_for_selector(APP_IDLE, timeout=timeout_ms)
    page.frame_locator(MAP_IFRAME).locator("path.route").first.wait_for(state="attached", timeout=timeout_ms)


# In-page clock (no Playwright round trips): when the rerun starts, the heading appears, the run ends.
OBSERVE_JS = """
(want) => {
  window.__ca = {want: want, click: performance.now()};
  if (window.__caObserver) return;
  window.__caObserver = new MutationObserver(() => {
    const t = window.__ca, now = performance.now();
    const state = document.querySelector("[data-testid='stApp']").getAttribute("data-test-script-state");
    if (state === "running" && !t.run) t.run = now;
    if (!t.heading && [...document.querySelectorAll("h3")].some(h => h.textContent.trim() === t.want)) t.heading = now;
    if (state === "notRunning" && t.run && !t.done) t.done = now;
    if (t.heading && t.resolve) { t.resolve(); t.resolve = null; }
  });
  window.__caObserver.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
}
"""
# Resolves as soon as the observer above has seen the heading (at once if it already has).
HEADING_JS = "() => new Promise(resolve => { if (window.__ca.heading) resolve(); else window.__ca.resolve = resolve; })"


def _click_corridor(page, corridor_id: str, heading: str) -> dict[str, float]:
    """Seconds from the click: wall clock to the heading reported by the page (``wall``), and the
    page's own clock to the rerun's start (``run``), the heading in the DOM (``heading``), the run's end.

    (Waiting with a Playwright locator instead adds its polling interval, up to 0.5 s.)"""
    paths = page.frame_locator(MAP_IFRAME).locator(f"path.route-{corridor_id}")
    inner = paths.evaluate_all(VISIBLE_POINT_JS)
    if inner is None:
        raise SystemExit(f"no visible point of corridor {corridor_id} in the map view")
    box = page.locator(MAP_IFRAME).bounding_box()
    page.evaluate(OBSERVE_JS, heading)
    t0 = time.perf_counter()
    page.mouse.click(box["x"] + inner["x"], box["y"] + inner["y"])
    page.evaluate(HEADING_JS)
    elapsed = time.perf_counter() - t0
    page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=60_000)  # the same heading, checked
    page.wait_for_selector(APP_IDLE)
    page.wait_for_timeout(200)
    t = page.evaluate("() => window.__ca")
    return {"wall": elapsed, **{k: (t[k] - t["click"]) / 1000 for k in ("run", "heading", "done") if k in t}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clicks", type=int, default=10)
    ap.add_argument("--loads", type=int, default=3)
    ap.add_argument("--corpus", help="folder, .jsonl file or build directory the app opens "
                                     "(default: $CORRIDOR_ATLAS_CORPUS, else seeds/)")
    args = ap.parse_args(argv)
    corpus = args.corpus or os.environ.get("CORRIDOR_ATLAS_CORPUS")
    if corpus and not Path(corpus).exists():
        raise SystemExit(f"{corpus}: no such file or folder")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found (apt-get install chromium)")

    from playwright.sync_api import sync_playwright

    from geo.corridors import corridors_frame, load_corridors

    corridors = corridors_frame(load_corridors())
    names = dict(zip(corridors["id"], corridors["name"]))
    pair = [c for c in ("zangezur", "middle-corridor") if c in names] or list(names)[:2]
    rows: list[tuple[str, str]] = []
    described = f"corpus {corpus}" if corpus else "seeds"
    if not corpus:  # the seeds build in seconds: also measure the whole map as one document
        from geo.atlas import build_atlas
        from geo.map import make_map, map_payload_bytes
        from geo.paths import SEEDS_DIR

        atlas = build_atlas(SEEDS_DIR)
        rows.append(("map payload (rendered folium document)", f"{map_payload_bytes(make_map(atlas)) / 1024:,.0f} KiB"))
        described = f"{len(atlas.documents)} documents, {len(atlas.corridors)} corridors, {len(atlas.places)} places"
    timeout_ms = 900_000 if corpus else 300_000

    port = _free_port()
    proc, answered = _start(port, corpus)
    url = f"http://127.0.0.1:{port}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            ws_bytes = [0]
            page.on("websocket", lambda ws: ws.on(
                "framereceived", lambda frame: ws_bytes.__setitem__(0, ws_bytes[0] + len(frame))))
            _load(page, url, timeout_ms)
            first = time.perf_counter() - answered
            rows.append(("websocket bytes received, first page load", f"{ws_bytes[0] / 1024:,.0f} KiB"))
            rows.append(("server answering -> map visible, first load (builds atlas)", f"{first:.2f} s"))
            warm = []
            for _ in range(args.loads):
                t0 = time.perf_counter()
                _load(page, url, timeout_ms)
                warm.append(time.perf_counter() - t0)
            rows.append((f"page load -> map visible, warm (median of {args.loads})", f"{statistics.median(warm):.2f} s"))
            page.wait_for_selector(APP_IDLE)
            clicks = []
            per_click = []
            for i in range(args.clicks):
                cid = pair[i % len(pair)]
                before = ws_bytes[0]
                clicks.append(_click_corridor(page, cid, str(names[cid])))
                per_click.append(ws_bytes[0] - before)
            rows.append(("websocket bytes received per click (median)", f"{statistics.median(per_click) / 1024:,.0f} KiB"))
            wall = [c["wall"] for c in clicks]
            rows.append((f"click on a corridor -> its panel heading, wall clock (median of {args.clicks})",
                         f"{statistics.median(wall):.2f} s (min {min(wall):.2f}, max {max(wall):.2f})"))
            for key, label in (("run", "rerun starts"), ("heading", "its panel heading in the DOM"),
                               ("done", "rerun finished")):
                got = [c[key] for c in clicks if key in c]
                if got:
                    rows.append((f"click -> {label}, page clock (median)", f"{statistics.median(got):.2f} s"))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=15)

    width = max(len(k) for k, _ in rows)
    print(f"Corridor Atlas app benchmark: {described}; load average {os.getloadavg()[0]:.2f} at the end")
    print(f"{'measure'.ljust(width)} | value")
    print(f"{'-' * width}-|------")
    for k, v in rows:
        print(f"{k.ljust(width)} | {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

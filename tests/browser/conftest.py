"""Browser fixtures: the real app under `streamlit run`, driven by Debian's Chromium via Playwright.

Never `playwright install`: we use /usr/bin/chromium. Without it the browser tests are skipped,
unless CORRIDOR_ATLAS_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CORRIDOR_ATLAS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
SCREENSHOTS = ROOT / "docs" / "screenshots"


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found (apt-get install chromium)"
    if os.environ.get("CORRIDOR_ATLAS_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " and CORRIDOR_ATLAS_REQUIRE_BROWSER=1")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(port: int, env: dict[str, str] | None = None, timeout: float = 180.0) -> subprocess.Popen:
    """Start `streamlit run app.py` and wait until /_stcore/health answers ok."""
    env = {"CORRIDOR_ATLAS_CORRECTIONS": str(Path(os.environ.get("TMPDIR", "/tmp")) / f"ca-corrections-{port}.json"),
           **(env or {})}  # an app under test never writes the user's data/corrections.json
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{out[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc
        except OSError:
            pass
        time.sleep(0.3)
    stop_app(proc)
    raise RuntimeError(f"streamlit did not answer on {url} within {timeout:.0f}s")


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def corrections_file(tmp_path_factory) -> Path:
    """The corrections store of every app the browser tests start (never data/corrections.json)."""
    return tmp_path_factory.mktemp("browser_corrections") / "corrections.json"


@pytest.fixture(scope="session")
def app_url(corrections_file) -> Iterator[str]:
    _require_browser()
    from geo.assets import ASSETS, is_installed

    if not all(is_installed(a) for a in ASSETS):
        pytest.fail("static/vendor assets missing: run `python -m geo assets` (make does) before the browser tests")
    port = free_port()
    proc = start_app(port, env={"CORRIDOR_ATLAS_CORRECTIONS": str(corrections_file)})
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_app(proc)


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


class RecordedPage:
    """A page plus every request it (and its iframes) made, recorded, never intercepted,
    and the uncaught script errors of the page and its frames."""

    def __init__(self, page, requests: list[str], errors: list[str]):
        self.page = page
        self.requests = requests
        self.errors = errors

    def foreign_requests(self) -> list[str]:
        allowed = {"127.0.0.1"}
        return [u for u in self.requests
                if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).hostname not in allowed]


@pytest.fixture
def app_page(browser, app_url) -> Iterator[RecordedPage]:
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))  # iframes' errors reach the page too
    page.set_default_timeout(60_000)
    try:
        yield RecordedPage(page, requests, errors)
    finally:
        context.close()


def wait_for_app(page, timeout: float = 90_000) -> None:
    """Script finished and the map iframe has drawn Leaflet's vector layers."""
    page.wait_for_selector(APP_IDLE, timeout=timeout)
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(".leaflet-container path.leaflet-interactive").first.wait_for(state="attached", timeout=timeout)
    page.wait_for_selector(APP_IDLE, timeout=timeout)


def wait_for_rerun(page, timeout: float = 60_000) -> None:
    """After an interaction: wait for the script to start (if it does) and finish again."""
    try:
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='running']", timeout=3_000)
    except Exception:  # a fast rerun may already be over
        pass
    page.wait_for_selector(APP_IDLE, timeout=timeout)


# Finds a point of one of the SVG paths that is really on top (not under a place marker or the legend),
# in the iframe's viewport coordinates, so a real mouse click lands on that very path.
_VISIBLE_POINT_JS = """
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


def visible_point(page, css: str) -> tuple[float, float]:
    """Page coordinates of a point where ``path.<css>`` in the map iframe is the topmost element."""
    paths = page.frame_locator(MAP_IFRAME).locator(f"path.{css}")
    paths.first.wait_for(state="attached")
    inner = paths.evaluate_all(_VISIBLE_POINT_JS)
    assert inner is not None, f"no visible point on path.{css} in the map view"
    frame_box = page.locator(MAP_IFRAME).bounding_box()
    return frame_box["x"] + inner["x"], frame_box["y"] + inner["y"]


def click_path(page, css: str) -> None:
    """A real mouse click on ``path.<css>`` where it is visible, then wait for the app's rerun."""
    x, y = visible_point(page, css)
    page.mouse.click(x, y)
    wait_for_rerun(page)


def settle_map(page) -> None:
    """Before a screenshot: let Leaflet finish a zoom/pan animation (SVG is scaled mid-animation)."""
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(".leaflet-container:not(.leaflet-zoom-anim)").wait_for(state="attached")
    page.wait_for_timeout(800)

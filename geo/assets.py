"""Pinned Leaflet assets: fetched once from the npm registry, served locally, never from a CDN.

``python -m geo assets`` (run by ``make``) downloads each pinned tarball straight from
``registry.npmjs.org`` with urllib, checks it against the SHA-512 that npm publishes as
``dist.integrity`` (pinned below), and extracts only the files the map needs into
``static/vendor/<pkg>@<ver>/``. Streamlit serves ``static/`` at ``/app/static/``, so the map loads
Leaflet from the app's own origin and works with no internet.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import mimetypes
import re
import shutil
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from branca.element import Element

from geo.paths import VENDOR_DIR

__all__ = [
    "NpmAsset",
    "LEAFLET",
    "MARKERCLUSTER",
    "ASSETS",
    "AssetError",
    "AssetsMissingError",
    "install_asset",
    "install_assets",
    "is_installed",
    "asset_dir",
    "local_asset_urls",
    "localise_map",
    "inline_assets",
    "main",
]

DEFAULT_BASE_URL = "/app/static/vendor"
MANIFEST = ".manifest.json"


@dataclass(frozen=True)
class NpmAsset:
    """One npm package version and the files of it we serve (paths inside the tarball's ``package/``)."""

    name: str
    version: str
    integrity: str  # npm dist.integrity: "sha512-<base64>"
    files: tuple[str, ...]
    # folium resource names -> file inside the package that replaces them
    js: tuple[tuple[str, str], ...] = ()
    css: tuple[tuple[str, str], ...] = ()

    @property
    def dirname(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def tarball_url(self) -> str:
        return f"https://registry.npmjs.org/{self.name}/-/{self.name}-{self.version}.tgz"


LEAFLET = NpmAsset(
    name="leaflet",
    version="1.9.4",
    integrity="sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
    files=(
        "dist/leaflet.js",
        "dist/leaflet.css",
        "dist/images/layers.png",
        "dist/images/layers-2x.png",
        "dist/images/marker-icon.png",
        "dist/images/marker-icon-2x.png",
        "dist/images/marker-shadow.png",
        "LICENSE",
    ),
    js=(("leaflet", "dist/leaflet.js"),),
    css=(("leaflet_css", "dist/leaflet.css"),),
)

MARKERCLUSTER = NpmAsset(
    name="leaflet.markercluster",
    version="1.5.3",
    integrity="sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA==",
    files=(
        "dist/leaflet.markercluster.js",
        "dist/MarkerCluster.css",
        "dist/MarkerCluster.Default.css",
        "MIT-LICENCE.txt",
    ),
    js=(("markerclusterjs", "dist/leaflet.markercluster.js"),),
    css=(
        ("markerclustercss", "dist/MarkerCluster.css"),
        ("markerclusterdefaultcss", "dist/MarkerCluster.Default.css"),
    ),
)

ASSETS: tuple[NpmAsset, ...] = (LEAFLET, MARKERCLUSTER)

# folium's default resources that the Corridor Atlas map does not use (no Bootstrap popups, no
# awesome-markers icons): dropped so the map needs nothing but Leaflet. Checked in the browser.
UNUSED_RESOURCES = frozenset(
    {
        "jquery",
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)


class AssetError(RuntimeError):
    """A download failed verification or could not be unpacked."""


class AssetsMissingError(AssetError):
    """The assets are not installed and cannot be downloaded (offline)."""


Fetch = Callable[[str, float], bytes]


def _urllib_fetch(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "corridor-atlas-assets/0.1"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (fixed https URL)
        return response.read()


def asset_dir(asset: NpmAsset, root: Path = VENDOR_DIR) -> Path:
    return Path(root) / asset.dirname


def verify_integrity(data: bytes, integrity: str) -> bool:
    """True when ``data`` matches an npm ``sha512-<base64>`` integrity string."""
    algo, _, expected = integrity.partition("-")
    if algo != "sha512":
        raise AssetError(f"unsupported integrity algorithm {algo!r}")
    return base64.b64encode(hashlib.sha512(data).digest()).decode("ascii") == expected


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_installed(asset: NpmAsset, root: Path = VENDOR_DIR) -> bool:
    """Present and unchanged: every file listed in the manifest written at install still hashes the same."""
    folder = asset_dir(asset, root)
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    if manifest.get("integrity") != asset.integrity:
        return False
    hashes: dict[str, str] = manifest.get("files", {})
    if set(hashes) != set(asset.files):
        return False
    for rel, digest in hashes.items():
        path = folder / rel
        if not path.is_file() or _sha256(path) != digest:
            return False
    return True


def _extract(asset: NpmAsset, tarball: bytes, dest: Path) -> dict[str, str]:
    """Copy only the wanted files out of the tarball; refuses links and anything outside ``package/``."""
    wanted = {f"package/{rel}": rel for rel in asset.files}
    hashes: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        for member in tar.getmembers():
            rel = wanted.get(member.name)
            if rel is None:
                continue
            if not member.isfile():
                raise AssetError(f"{asset.dirname}: {member.name} is not a regular file")
            source = tar.extractfile(member)
            assert source is not None
            data = source.read()
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            hashes[rel] = hashlib.sha256(data).hexdigest()
    missing = sorted(set(asset.files) - set(hashes))
    if missing:
        raise AssetError(f"{asset.dirname}: tarball lacks {', '.join(missing)}")
    return hashes


def install_asset(
    asset: NpmAsset,
    root: Path = VENDOR_DIR,
    *,
    fetch: Fetch = _urllib_fetch,
    timeout: float = 60.0,
) -> Path:
    """Download, verify and unpack one asset; skip when already installed and intact.

    Extraction happens in a temporary folder beside the target, renamed into place at the end,
    so a reader never sees half an asset.
    """
    root = Path(root)
    folder = asset_dir(asset, root)
    if is_installed(asset, root):
        return folder
    try:
        tarball = fetch(asset.tarball_url, timeout)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise AssetsMissingError(
            f"{asset.dirname} is not in {folder} and cannot be downloaded from "
            f"{asset.tarball_url} ({exc}). Run `make assets` on a machine that can reach "
            f"registry.npmjs.org, or copy {folder} from one."
        ) from exc
    if not verify_integrity(tarball, asset.integrity):
        raise AssetError(f"{asset.dirname}: downloaded tarball does not match the pinned SHA-512")
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{asset.dirname}.", dir=root))
    try:
        hashes = _extract(asset, tarball, tmp)
        manifest = {"name": asset.name, "version": asset.version, "integrity": asset.integrity,
                    "source": asset.tarball_url, "files": hashes}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), "utf-8")
        if folder.exists():  # present but damaged: replace it whole
            shutil.rmtree(folder)
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def install_assets(root: Path = VENDOR_DIR, *, fetch: Fetch = _urllib_fetch) -> list[Path]:
    return [install_asset(asset, root, fetch=fetch) for asset in ASSETS]


def local_asset_urls(base: str = DEFAULT_BASE_URL) -> dict[str, str]:
    """folium resource name -> local URL (e.g. ``leaflet`` -> ``/app/static/vendor/leaflet@1.9.4/dist/leaflet.js``)."""
    base = base.rstrip("/")
    urls: dict[str, str] = {}
    for asset in ASSETS:
        for name, rel in (*asset.js, *asset.css):
            urls[name] = f"{base}/{asset.dirname}/{rel}"
    return urls


def _local_files(root: Path = VENDOR_DIR) -> dict[str, Path]:
    return {
        name: asset_dir(asset, root) / rel for asset in ASSETS for name, rel in (*asset.js, *asset.css)
    }


def _walk(element: Element) -> Iterable[Element]:
    """The element and all its descendants (folium maps are branca element trees)."""
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def _localised(links: list[tuple[str, str]], urls: dict[str, str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name, url in links:
        if name in UNUSED_RESOURCES:
            continue
        if name not in urls:
            raise AssetError(f"no local copy of {name} ({url}); add it to geo.assets.ASSETS")
        out.append((name, urls[name]))
    return out


def localise_map(m: Element, base: str = DEFAULT_BASE_URL) -> Element:
    """Point every element's ``default_js``/``default_css`` at the local copies; drop unused ones.

    Sets instance attributes (folium's class lists are shared by every map in the process), which
    is exactly what folium's renderer and streamlit-folium's link collector read. Returns ``m``.
    Raises :class:`AssetError` for a resource we do not vendor, rather than silently using a CDN.
    """
    urls = local_asset_urls(base)
    for element in _walk(m):
        if hasattr(element, "default_js"):
            element.default_js = _localised(list(element.default_js), urls)
        if hasattr(element, "default_css"):
            element.default_css = _localised(list(element.default_css), urls)
    return m


def _css_with_data_uris(css: str, folder: Path) -> str:
    """Inline ``url(images/x.png)`` references so a standalone file needs no sibling folder."""
    def repl(match: re.Match[str]) -> str:
        rel = match.group(1).strip("'\"")
        path = folder / rel
        if rel.startswith(("data:", "http:", "https:", "/")) or not path.is_file():
            return match.group(0)
        payload = base64.b64encode(path.read_bytes()).decode("ascii")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f"url(data:{mime};base64,{payload})"

    return re.sub(r"url\(([^)]+)\)", repl, css)


def inline_assets(m: Element, root: Path = VENDOR_DIR) -> Element:
    """Embed the local JS/CSS (and Leaflet's images as data URIs) in the map's own HTML header.

    For the standalone HTML export: the saved file then works offline with no server. Returns ``m``.
    """
    missing = [a.dirname for a in ASSETS if not is_installed(a, root)]
    if missing:
        raise AssetsMissingError(f"assets not installed: {', '.join(missing)}; run `python -m geo assets`")
    files = _local_files(root)
    js_names: list[str] = []
    css_names: list[str] = []
    for element in _walk(m):
        for attr, names in (("default_js", js_names), ("default_css", css_names)):
            if not hasattr(element, attr):
                continue
            for name, url in getattr(element, attr):
                if name in UNUSED_RESOURCES:
                    continue
                if name not in files:
                    raise AssetError(f"no local copy of {name} ({url})")
                if name not in names:
                    names.append(name)
            setattr(element, attr, [])
    header = m.get_root().header
    for name in css_names:
        css = _css_with_data_uris(files[name].read_text("utf-8"), files[name].parent)
        if "</style" in css.lower():
            raise AssetError(f"{name} contains '</style' and cannot be inlined safely")
        header.add_child(Element(f"<style>{css}</style>"), name=f"inline_{name}")
    for name in js_names:
        js = files[name].read_text("utf-8")
        if "</script" in js.lower():
            raise AssetError(f"{name} contains '</script' and cannot be inlined safely")
        header.add_child(Element(f"<script>{js}</script>"), name=f"inline_{name}")
    return m


def main(argv: list[str] | None = None) -> int:
    """``python -m geo assets``: install (or check with ``--check``) the pinned assets."""
    parser = argparse.ArgumentParser(prog="corridor-atlas assets", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=VENDOR_DIR, help="vendor folder (default: static/vendor)")
    parser.add_argument("--check", action="store_true", help="only verify, never download")
    args = parser.parse_args(argv)
    status = 0
    for asset in ASSETS:
        if args.check:
            ok = is_installed(asset, args.root)
            print(f"{asset.dirname}: {'ok' if ok else 'MISSING or changed'}")
            status |= 0 if ok else 1
            continue
        try:
            folder = install_asset(asset, args.root)
        except AssetError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"{asset.dirname}: {folder}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())

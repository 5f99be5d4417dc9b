"""The folium map and the offline assets: local Leaflet only, small payload, ids, no corpus text."""

from __future__ import annotations

import hashlib
import base64
import io
import json
import re
import tarfile
import urllib.error

import pytest

from geo import assets
from geo.map import (
    MapFilters,
    Selection,
    corridor_features,
    css_class_id,
    deep_link_params,
    highlight_excerpt,
    make_map,
    map_payload_bytes,
    markdown_safe,
    parse_deep_link,
    place_radius,
    save_standalone_html,
    selection_from_feature,
    selection_layer,
    visible_places,
)

PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "${alert(1)}",
    "`alert(1)`",
)
PAYLOAD_TEXT = """ date 2024-05-01 {p0} The Middle Corridor {p1} runs from Aktau to Baku and on to Tbilisi.

The Zangezur corridor {p2} will link Nakhchivan with Azerbaijan through Armenia, said officials in Baku {p3}.

"{p1}" The North-South transport corridor connects Russia with Iran via Astara, {p0} they said.
""".format(p0=PAYLOADS[0], p1=PAYLOADS[1], p2=PAYLOADS[2], p3=PAYLOADS[3])


@pytest.fixture(scope="module")
def seed_map_html(seed_atlas) -> str:
    return make_map(seed_atlas).get_root().render()


@pytest.fixture(scope="module")
def payload_atlas(tmp_path_factory):
    from geo.atlas import build_atlas

    folder = tmp_path_factory.mktemp("payload_corpus")
    (folder / "evil_<img src=x onerror=alert(1)>.txt").write_text(PAYLOAD_TEXT, "utf-8")
    (folder / "evil2.txt").write_text(PAYLOAD_TEXT.replace("Middle Corridor", "Trans-Caspian route"), "utf-8")
    atlas = build_atlas(folder)
    assert len(atlas.documents) == 2, atlas.errors
    return atlas


def _script_and_link_urls(html: str) -> list[str]:
    return re.findall(r'<script[^>]+src="([^"]+)"', html) + re.findall(r'<link[^>]+href="([^"]+)"', html)


def test_localised_map_loads_only_local_assets(seed_atlas, seed_map_html):
    urls = _script_and_link_urls(seed_map_html)
    assert urls, "the map should reference Leaflet"
    assert all(u.startswith("/app/static/vendor/") for u in urls), urls
    assert not re.search(r"cdn\.|cdnjs|jsdelivr|bootstrapcdn|code\.jquery", seed_map_html)
    assert any(u.endswith("/leaflet.js") for u in urls)
    # jQuery/Bootstrap/awesome-markers are dropped: the map does not use them.
    assert not any(k in u for u in urls for k in ("jquery", "bootstrap", "awesome"))


def test_streamlit_folium_sees_the_same_local_links(seed_atlas):
    # streamlit-folium collects default_js/default_css from every element itself.
    m = make_map(seed_atlas)
    m.render()
    links = [url for el in assets._walk(m) for _n, url in
             (getattr(el, "default_js", []) + getattr(el, "default_css", []))]
    assert links and all(u.startswith("/app/static/vendor/") for u in links), links
    local = {u.removeprefix("/app/static/vendor/") for u in links}
    for rel in local:  # each link names a file the pinned assets provide
        pkg, _, path = rel.partition("/")
        asset = next(a for a in assets.ASSETS if a.dirname == pkg)
        assert path in asset.files


def test_seed_map_payload_is_under_one_megabyte(seed_atlas):
    size = map_payload_bytes(make_map(seed_atlas))
    assert 20_000 < size <= 1_000_000, size


def test_every_corridor_has_a_feature_with_its_route_id(seed_atlas, seed_map_html):
    features = corridor_features(seed_atlas)["features"]
    ids = set(map(str, seed_atlas.corridors["id"]))
    assert {f["properties"]["route_id"] for f in features} == ids
    for cid in ids:
        assert f'"route_id": "{cid}"' in seed_map_html
        assert f"route route-{cid}" in seed_map_html  # CSS class the browser tests click on
    segment_ids = [f["properties"]["segment_id"] for f in features]
    assert len(segment_ids) == len(set(segment_ids))
    for f in features:  # rounded to 5 decimals
        coords = json.dumps(f["geometry"]["coordinates"])
        assert not re.search(r"\.\d{6,}", coords)


def test_places_carry_place_id_and_radius_grows_with_mentions(seed_atlas, seed_map_html):
    for pid in seed_atlas.places["place_id"]:
        assert f'"place_id": "{pid}"' in seed_map_html
    assert place_radius(1) < place_radius(4) < place_radius(16)
    assert place_radius(4) - place_radius(1) == pytest.approx(place_radius(9) - place_radius(4), abs=0.2)


def test_map_is_identical_between_runs(seed_atlas):
    # streamlit-folium remounts the map when its JavaScript changes: same atlas, same map.
    def script() -> str:
        html = make_map(seed_atlas).get_root().render()
        return re.sub(r"_[0-9a-f]{32}", "_ID", html)

    assert script() == script()


def test_selection_is_a_separate_group_with_the_same_ids(seed_atlas):
    cid = str(seed_atlas.corridors["id"].iloc[0])
    group = selection_layer(seed_atlas, Selection("corridor", cid))
    m = make_map(seed_atlas)
    group.add_to(m)
    html = m.get_root().render()
    assert f"selected-{cid}" in html
    assert selection_layer(seed_atlas, None)._children == {}
    pid = str(seed_atlas.places["place_id"].iloc[0])
    assert f"selected-{css_class_id(pid)}" in make_map(seed_atlas, selection=Selection("place", pid)).get_root().render()


def test_clicked_feature_maps_back_to_a_selection():
    assert selection_from_feature({"type": "Feature", "properties": {"route_id": "zangezur", "segment_id": "x"}}) \
        == Selection("corridor", "zangezur")
    assert selection_from_feature({"properties": {"place_id": "gn:587084", "name": "Baku"}}) \
        == Selection("place", "gn:587084")
    assert selection_from_feature({"properties": {"name": "Georgia"}}) is None  # basemap feature
    assert selection_from_feature(None) is None
    from geo.map import segment_from_feature

    assert segment_from_feature({"properties": {"route_id": "zangezur", "segment_id": "zangezur/main/0"}}) \
        == "zangezur/main/0"
    assert segment_from_feature({"properties": {"place_id": "gn:587084"}}) is None


def test_deep_links_round_trip(seed_atlas):
    cid = str(seed_atlas.corridors["id"].iloc[0])
    sel = parse_deep_link({"corridor": cid}, seed_atlas)
    assert sel == Selection("corridor", cid)
    assert parse_deep_link(deep_link_params(sel), seed_atlas) == sel
    assert parse_deep_link({"corridor": "no-such-corridor"}, seed_atlas) is None
    assert deep_link_params(None) == {}


def test_filters_drop_places_and_corridors(seed_atlas):
    all_places = visible_places(seed_atlas)
    one_doc = sorted(seed_atlas.documents)[0]
    only = visible_places(seed_atlas, MapFilters(documents=frozenset({one_doc})))
    assert 0 < len(only) < len(all_places)
    mentions = seed_atlas.mentions[seed_atlas.mentions["doc_id"] == one_doc]
    assert only["mention_count"].sum() == len(mentions[mentions["place_id"].isin(only["place_id"])])
    cid = str(seed_atlas.corridors["id"].iloc[0])
    html = make_map(seed_atlas, filters=MapFilters(corridors=frozenset({cid}))).get_root().render()
    others = set(map(str, seed_atlas.corridors["id"])) - {cid}
    assert f"route-{cid}" in html and not any(f"route-{o}\"" in html or f"route-{o} " in html for o in others)


def test_payload_corpus_never_reaches_the_map(payload_atlas):
    assert len(payload_atlas.excerpts) > 0, "the payload corpus should still match corridors"
    html = make_map(payload_atlas).get_root().render()
    for needle in ("onerror", "alert(", "<img", "</script><script>", "${alert"):
        assert needle not in html, needle
    # the corridors and places the documents mention are still drawn
    assert "route_id" in html and "place_id" in html


def test_excerpt_highlight_escapes_payloads():
    quote = 'Baku <img src=x onerror=alert(1)> and [x](javascript:alert(1)) ${alert(1)} `tick` Zangezur'
    start = quote.index("Zangezur")
    out = highlight_excerpt(quote, [(start, start + len("Zangezur"))])
    assert out.endswith("<mark>Zangezur</mark>")
    assert "<img" not in out and "${" not in out and "`" not in out and "](" not in out
    assert re.sub(r"</?mark>", "", out).count("<") == 0
    assert markdown_safe("# title\n\n![i](http://e/x.png)").count("<") == 0
    assert "![" not in markdown_safe("![i](http://e/x.png)")


# ---------------------------------------------------------------- assets

def _tarball(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_install_verifies_extracts_only_needed_files_and_is_idempotent(tmp_path):
    tgz = _tarball({"dist/a.js": b"var a=1;", "dist/a.css": b".a{}", "src/unused.js": b"x", "README.md": b"r"})
    asset = assets.NpmAsset("demo", "1.0.0", _integrity(tgz), files=("dist/a.js", "dist/a.css"))
    calls: list[str] = []

    def fetch(url: str, timeout: float) -> bytes:
        calls.append(url)
        return tgz

    folder = assets.install_asset(asset, tmp_path, fetch=fetch)
    assert folder == tmp_path / "demo@1.0.0"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == \
        [".manifest.json", "dist/a.css", "dist/a.js"]
    assert calls == ["https://registry.npmjs.org/demo/-/demo-1.0.0.tgz"]
    assets.install_asset(asset, tmp_path, fetch=fetch)
    assert len(calls) == 1, "a verified install is not downloaded again"
    (folder / "dist/a.js").write_bytes(b"tampered")
    assert not assets.is_installed(asset, tmp_path)
    assets.install_asset(asset, tmp_path, fetch=fetch)
    assert (folder / "dist/a.js").read_bytes() == b"var a=1;" and len(calls) == 2
    assert not list(tmp_path.glob(".demo@*")), "no temporary folder left behind"


def test_install_refuses_a_tarball_that_does_not_match_the_pin(tmp_path):
    good = _tarball({"dist/a.js": b"good"})
    asset = assets.NpmAsset("demo", "1.0.0", _integrity(good), files=("dist/a.js",))
    with pytest.raises(assets.AssetError, match="SHA-512"):
        assets.install_asset(asset, tmp_path, fetch=lambda u, t: _tarball({"dist/a.js": b"evil"}))
    assert not (tmp_path / "demo@1.0.0").exists()


def test_offline_and_missing_gives_a_clear_error(tmp_path):
    def offline(url: str, timeout: float) -> bytes:
        raise urllib.error.URLError("Temporary failure in name resolution")

    with pytest.raises(assets.AssetsMissingError, match=r"leaflet@1\.9\.4.*registry\.npmjs\.org"):
        assets.install_asset(assets.LEAFLET, tmp_path, fetch=offline)


def test_local_urls_cover_every_pinned_js_and_css():
    urls = assets.local_asset_urls("/base/")
    assert urls["leaflet"] == "/base/leaflet@1.9.4/dist/leaflet.js"
    assert urls["leaflet_css"] == "/base/leaflet@1.9.4/dist/leaflet.css"
    assert set(urls) >= {"markerclusterjs", "markerclustercss"}


needs_assets = pytest.mark.skipif(
    not all(assets.is_installed(a) for a in assets.ASSETS),
    reason="static/vendor not installed (run `make assets` / `python -m geo assets`)",
)


@needs_assets
def test_standalone_html_inlines_leaflet_and_works_without_a_server(seed_atlas, tmp_path):
    path = save_standalone_html(seed_atlas, tmp_path / "map.html")
    html = path.read_text("utf-8")
    assert _script_and_link_urls(html) == []
    assert "L.map(" in html and "Leaflet" in html  # the library itself is inside
    assert "data:image/png;base64," in html  # leaflet.css images inlined
    assert "Made with" in html and "Natural Earth" in html


def test_tiles_basemap_is_opt_in_and_replaces_the_natural_earth_layer(seed_atlas):
    offline = make_map(seed_atlas).get_root().render()
    assert "tile.openstreetmap" not in offline and "basemaps.cartocdn" not in offline
    assert "Made with" in offline
    online = make_map(seed_atlas, basemap="tiles").get_root().render()
    assert "tile.openstreetmap.org" in online and "OpenStreetMap" in online
    assert len(online) < len(offline)  # no bundled country polygons when tiles draw the land


def test_many_places_are_clustered_with_the_local_markercluster(seed_atlas):
    import dataclasses

    import geopandas as gpd
    import pyogrio

    from geo.map import CLUSTER_THRESHOLD
    from geo.paths import NATURALEARTH_DIR

    towns = pyogrio.read_dataframe(NATURALEARTH_DIR / "ne_10m_populated_places_region.geojson")
    towns = towns.head(CLUSTER_THRESHOLD + 50)
    places = gpd.GeoDataFrame({
        "place_id": [f"ne:{i}" for i in range(len(towns))],
        "name": towns["NAME"], "kind": "city", "country": towns["ISO_A2"],
        "mention_count": 1, "doc_count": 1, "lat": towns.geometry.y, "lon": towns.geometry.x, "score": 1.0,
    }, geometry=towns.geometry, crs="EPSG:4326")
    big = dataclasses.replace(seed_atlas, places=places)
    html = make_map(big).get_root().render()
    assert "L.markerClusterGroup" in html
    urls = _script_and_link_urls(html)
    assert "/app/static/vendor/leaflet.markercluster@1.5.3/dist/leaflet.markercluster.js" in urls
    assert all(u.startswith("/app/static/vendor/") for u in urls)
    assert "L.markerClusterGroup" not in make_map(seed_atlas).get_root().render()


def test_selection_view_frames_small_and_large_corridors(seed_atlas):
    from geo.map import selection_view

    small = selection_view(seed_atlas, Selection("corridor", "zangezur"))
    large = selection_view(seed_atlas, Selection("corridor", "middle-corridor"))
    assert small is not None and large is not None
    (lat, lon), zoom = small
    assert 38 < lat < 41 and 43 < lon < 48  # between Nakhchivan and Horadiz
    assert zoom > large[1]  # a short corridor is shown closer
    assert selection_view(seed_atlas, None) is None
    pid = str(seed_atlas.places["place_id"].iloc[0])
    assert selection_view(seed_atlas, Selection("place", pid))[1] == 8.0

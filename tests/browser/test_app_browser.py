"""The real app in headless Chromium: local Leaflet, clicks select, deep links, downloads, screenshots."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from geo.map import css_class_id

from .conftest import APP_IDLE, MAP_IFRAME, SCREENSHOTS, click_path, settle_map, wait_for_app, wait_for_rerun

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DOC000 = "000_609c254c3a3bbe6f"
DOC004 = "004_4a9e9e5d3e565167"


def test_map_loads_leaflet_from_the_app_and_nothing_leaves_localhost(app_page, app_url):
    page = app_page.page
    page.goto(app_url)
    wait_for_app(page)
    frame = page.frame_locator(MAP_IFRAME)
    assert frame.locator("path.route").count() > 0
    assert frame.locator("path.place").count() > 0
    assert frame.locator(".ca-legend").count() == 1
    leaflet = [u for u in app_page.requests if u.endswith("/leaflet.js")]
    assert leaflet and all(u.startswith(f"{app_url}/app/static/vendor/leaflet@") for u in leaflet), leaflet
    assert app_page.foreign_requests() == []
    assert app_page.errors == []  # the map runs without jQuery/Bootstrap/awesome-markers
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    settle_map(page)
    page.screenshot(path=str(SCREENSHOTS / "overview.png"))


def test_clicking_the_zangezur_line_shows_its_excerpt(app_page, app_url):
    page = app_page.page
    page.goto(app_url)
    wait_for_app(page)
    map_frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    map_frame.evaluate("() => { window.__sameMap = true; }")
    click_path(page, "route-zangezur")
    page.locator(".ca-quote mark", has_text=re.compile("Zangezur", re.I)).first.wait_for()
    page.get_by_text(re.compile(f"doc {DOC000}")).first.wait_for()
    page.get_by_text("Clicked segment:").first.wait_for()  # the leg under the mouse is named
    assert "corridor=zangezur" in page.url
    # the highlight group is drawn on the same map (no remount, the base layers are still there)
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator("path.selected-zangezur").first.wait_for(state="attached")
    # ... and the iframe was not reloaded: the view the user had is kept
    map_frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    assert map_frame.evaluate("() => window.__sameMap === true")
    settle_map(page)
    page.screenshot(path=str(SCREENSHOTS / "selected-corridor.png"))
    assert app_page.foreign_requests() == []
    assert app_page.errors == []


def test_clicking_a_place_marker_shows_its_panel(app_page, app_url, seed_atlas):
    page = app_page.page
    page.goto(app_url)
    wait_for_app(page)
    places = seed_atlas.places.sort_values("mention_count", ascending=False)
    top = places.iloc[0]
    click_path(page, f"place-{css_class_id(top.place_id)}")
    page.get_by_role("heading", name=str(top["name"])).first.wait_for()
    page.locator(".ca-quote mark").first.wait_for()
    assert f"place={top.place_id}".replace(":", "%3A") in page.url or f"place={top.place_id}" in page.url


def test_deep_link_opens_the_middle_corridor_with_titr_and_doc_004(app_page, app_url):
    page = app_page.page
    page.goto(f"{app_url}/?corridor=middle-corridor")
    wait_for_app(page)
    page.get_by_text("TITR").first.wait_for()
    page.get_by_text(re.compile(f"doc {DOC004}")).first.wait_for()
    assert page.locator(".ca-quote mark").count() > 0
    page.frame_locator(MAP_IFRAME).locator("path.selected-middle-corridor").first.wait_for(state="attached")
    settle_map(page)
    page.screenshot(path=str(SCREENSHOTS / "app-selected.png"))  # the README's picture


def _download(page, label: str) -> bytes:
    button = page.get_by_role("button", name=label)
    button.wait_for(state="visible")
    page.wait_for_selector(APP_IDLE)
    with page.expect_download() as info:
        button.click()
    return Path(info.value.path()).read_bytes()


def test_every_export_downloads_and_parses(app_page, app_url, seed_atlas, tmp_path):
    import pyogrio
    from geojson_pydantic import FeatureCollection

    page = app_page.page
    page.goto(app_url)
    wait_for_app(page)
    data = json.loads(_download(page, "GeoJSON (all layers)"))
    FeatureCollection.model_validate(data)
    by_layer: dict[str, set] = {}
    for f in data["features"]:
        by_layer.setdefault(f["properties"]["layer"], set()).add(f["id"])
    assert by_layer["corridors"] == set(map(str, seed_atlas.corridors["id"]))
    assert by_layer["places"] == set(map(str, seed_atlas.places["place_id"]))
    for f in data["features"]:
        g = f["geometry"]
        points = [g["coordinates"]] if g["type"] == "Point" else [
            p for line in (g["coordinates"] if g["type"] == "MultiLineString" else [g["coordinates"]]) for p in line]
        assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in points)
    gpkg = tmp_path / "atlas.gpkg"
    gpkg.write_bytes(_download(page, "GeoPackage"))
    assert {name for name, _ in pyogrio.list_layers(gpkg)} == {"corridors", "segments", "places", "mentions"}
    assert len(pyogrio.read_dataframe(gpkg, layer="places")) == len(seed_atlas.places)
    rows = list(csv.DictReader(io.StringIO(_download(page, "Mentions CSV").decode("utf-8"))))
    assert len(rows) == len(seed_atlas.mentions) and {"mention_id", "lat", "lon", "corrected"} <= set(rows[0])
    html = _download(page, "Standalone HTML map").decode("utf-8")
    assert "route-zangezur" in html and not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?:", html)
    assert app_page.foreign_requests() == []


DATE_FROM = "2024-01-01"  # the seeds have documents dated 2020 and 2024, and undated ones


def _date_split(atlas) -> tuple[set[str], set[str]]:
    """Documents kept and dropped by the range DATE_FROM .. latest date (undated ones are dropped)."""
    latest = max(d.date for d in atlas.documents.values() if d.date)
    kept = {i for i, d in atlas.documents.items() if d.date and DATE_FROM <= d.date <= latest}
    return kept, set(atlas.documents) - kept


def _set_start_date(page, iso: str) -> None:
    """Type the start of the sidebar's date range as a user does (segment by segment), then leave the field."""
    page.get_by_role("spinbutton", name="year, Date range (dated documents) start date").click()
    page.keyboard.type(iso.replace("-", ""))
    page.keyboard.press("Escape")  # close the calendar; leaving the field commits the value
    page.locator("[data-testid='stSidebar'] h2").first.click()
    wait_for_rerun(page)


def _map_frame(page):
    return next(f for f in page.frames if "streamlit_folium" in f.url)


def test_date_filter_updates_counts_markers_and_excerpts_without_reloading_the_map(app_page, app_url, seed_atlas):
    kept, dropped = _date_split(seed_atlas)
    assert kept and dropped
    ex = seed_atlas.excerpts[seed_atlas.excerpts["target_type"] == "place"]
    # a place quoted both in a kept and in a dropped document: its panel must change
    pid = next(p for p, docs in ex.groupby("target_id")["doc_id"] if set(docs) & kept and set(docs) & dropped)
    gone_doc = sorted(set(ex.loc[ex["target_id"] == pid, "doc_id"]) & dropped)[0]
    m = seed_atlas.mentions
    kept_places = set(m.loc[m["doc_id"].isin(kept), "place_id"])
    gone_places = set(seed_atlas.places["place_id"]) - kept_places
    assert gone_places

    page = app_page.page
    page.goto(f"{app_url}/?place={pid}")
    wait_for_app(page)
    frame = page.frame_locator(MAP_IFRAME)
    page.get_by_text(f"doc {gone_doc}").first.wait_for()
    assert frame.locator("path.place").count() == len(seed_atlas.places)
    # the user has moved the map: the filter must keep this view and this very map
    _map_frame(page).evaluate("() => { window.__sameMap = true; window.map.setView([40.6, 48.5], 6, {animate: false}); }")

    _set_start_date(page, DATE_FROM)
    page.get_by_text(re.compile(rf"· {len(kept)} documents")).first.wait_for()
    page.get_by_text(re.compile(rf"· {len(kept_places)} places")).first.wait_for()
    want = len(ex[(ex["target_id"] == pid) & ex["doc_id"].isin(kept)])
    page.get_by_role("heading", name=f"Excerpts ({want})").wait_for()
    assert page.get_by_text(f"doc {gone_doc}").count() == 0
    assert frame.locator("path.place").count() == len(kept_places)
    for gone in gone_places:
        assert frame.locator(f"path.place-{css_class_id(gone)}").count() == 0
    assert frame.locator(f"path.selected-{css_class_id(pid)}").count() > 0  # the selection is still drawn
    state = _map_frame(page).evaluate("() => [window.__sameMap === true, window.map.getCenter(), window.map.getZoom()]")
    assert state[0], "the map iframe was reloaded"
    assert (round(state[1]["lat"], 4), round(state[1]["lng"], 4), state[2]) == (40.6, 48.5, 6)
    settle_map(page)
    page.screenshot(path=str(SCREENSHOTS / "date-filter.png"))
    assert app_page.errors == []


def test_filtered_geojson_export_holds_only_what_the_filters_show(app_page, app_url, seed_atlas):
    from geojson_pydantic import FeatureCollection

    kept, _dropped = _date_split(seed_atlas)
    m = seed_atlas.mentions
    kept_mentions = m[m["doc_id"].isin(kept)]
    page = app_page.page
    page.goto(app_url)
    wait_for_app(page)
    _set_start_date(page, DATE_FROM)
    page.get_by_text(re.compile(rf"· {len(kept)} documents")).first.wait_for()
    page.get_by_text("Only what the filters show").click()
    wait_for_rerun(page)
    button = page.get_by_role("button", name="GeoJSON (all layers)")
    button.wait_for(state="visible")
    page.wait_for_selector(APP_IDLE)
    with page.expect_download() as info:
        button.click()
    assert info.value.suggested_filename == "corridor-atlas-filtered.geojson"
    data = json.loads(Path(info.value.path()).read_bytes())
    FeatureCollection.model_validate(data)
    by_layer: dict[str, list[dict]] = {}
    for f in data["features"]:
        by_layer.setdefault(f["properties"]["layer"], []).append(f)
    assert {f["properties"]["place_id"] for f in by_layer["places"]} == set(kept_mentions["place_id"])
    assert {f["properties"]["doc_id"] for f in by_layer["mentions"]} <= kept
    assert len(by_layer["mentions"]) == len(kept_mentions)
    assert {f["id"] for f in by_layer["corridors"]} == set(map(str, seed_atlas.corridors["id"]))  # no corridor filter
    for f in data["features"]:
        g = f["geometry"]
        points = [g["coordinates"]] if g["type"] == "Point" else [
            p for line in (g["coordinates"] if g["type"] == "MultiLineString" else [g["coordinates"]]) for p in line]
        assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in points)
    assert app_page.foreign_requests() == []


def test_correction_survives_a_restart_and_reaches_the_export(app_page, seed_atlas, tmp_path):
    from .conftest import free_port, start_app, stop_app

    store = tmp_path / "corrections.json"
    top = seed_atlas.places.iloc[0]
    page = app_page.page
    port = free_port()
    proc = start_app(port, env={"CORRIDOR_ATLAS_CORRECTIONS": str(store)})
    try:
        page.goto(f"http://127.0.0.1:{port}/?place={top.place_id}")
        wait_for_app(page)
        page.get_by_text("Correct this place").first.click()
        for label, value in (("Latitude", "40.5"), ("Longitude", "47.25")):
            field = page.get_by_label(label)
            field.fill(value)
            field.press("Enter")
            wait_for_rerun(page)
        page.get_by_role("button", name="Use point").click()
        wait_for_rerun(page)
        page.get_by_text("corrected by a user").first.wait_for()
        settle_map(page)
        page.screenshot(path=str(SCREENSHOTS / "correction.png"))
    finally:
        stop_app(proc)
    assert json.loads(store.read_text())["corrections"][0]["target"] == "user:40.50000,47.25000"

    port = free_port()  # a second app process, same corrections file
    proc = start_app(port, env={"CORRIDOR_ATLAS_CORRECTIONS": str(store)})
    try:
        page.goto(f"http://127.0.0.1:{port}/?place=user:40.50000,47.25000")
        wait_for_app(page)
        page.get_by_role("heading", name=str(top["name"])).first.wait_for()
        page.get_by_text("corrected by a user").first.wait_for()
        page.frame_locator(MAP_IFRAME).locator(f"path.place-{css_class_id('user:40.50000,47.25000')}").first.wait_for(
            state="attached")
        data = json.loads(_download(page, "GeoJSON (all layers)"))
        fixed = [f for f in data["features"] if f["properties"]["layer"] == "places"
                 and f["properties"]["place_id"] == "user:40.50000,47.25000"]
        assert len(fixed) == 1 and fixed[0]["properties"]["corrected"] is True
        assert fixed[0]["geometry"]["coordinates"] == [47.25, 40.5]
        assert top.place_id not in {f["properties"].get("place_id") for f in data["features"]}
    finally:
        stop_app(proc)


def test_uploaded_document_shows_its_places(app_page, app_url, seed_atlas, tmp_path):
    doc = tmp_path / "ferry-news.txt"
    doc.write_text("14 May 2025\n\nA new ferry line links Turkmenbashi and Alat; trucks then drive on to Samarkand.\n")
    page = app_page.page
    page.goto(app_url)
    wait_for_app(page)
    page.locator("[data-testid='stSidebar'] input[type=file]").set_input_files([str(doc)])
    page.get_by_text(re.compile(rf"· {len(seed_atlas.documents) + 1} documents")).first.wait_for()
    page.get_by_text("1 uploaded document(s)").first.wait_for()
    wait_for_app(page)
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(f"path.place-{css_class_id('gn:601594')}").first.wait_for(state="attached")  # Türkmenbaşy
    assert frame.locator("path.place").count() > len(seed_atlas.places)  # its places are on the map
    page.get_by_role("button", name=re.compile("Save ferry-news")).wait_for()
    settle_map(page)
    page.screenshot(path=str(SCREENSHOTS / "upload.png"))
    assert app_page.errors == []


def test_standalone_html_works_from_a_file_with_no_network(browser, seed_atlas, tmp_path):
    from geo.map import save_standalone_html

    path = save_standalone_html(seed_atlas, tmp_path / "atlas.html")
    context = browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(path.as_uri())
        page.locator("path.route-zangezur").first.wait_for(state="attached", timeout=30_000)
        assert page.locator("path.place").count() == len(seed_atlas.places)
        assert page.evaluate("() => typeof L !== 'undefined' && L.version") == "1.9.4"
        assert errors == []
        assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    finally:
        context.close()


PAYLOAD_DOC = (
    " date 2024-05-01 The Zangezur corridor <img src=x onerror=alert(1)> will link Nakhchivan "
    "with Azerbaijan </script><script>alert(2)</script> through Armenia, officials in Baku said "
    "${alert(3)} `alert(4)` <svg onload=alert(5)>.\n\n"
    "The Middle Corridor ![beacon](http://example.invalid/beacon.png) [click](javascript:alert(6)) "
    "runs from Aktau to Baku and Tbilisi :red[styled] $x^2$.\n"
)


@pytest.fixture(scope="module")
def payload_app_url(tmp_path_factory):
    from .conftest import free_port, start_app, stop_app

    folder = tmp_path_factory.mktemp("payload_corpus")
    (folder / "payload.txt").write_text(PAYLOAD_DOC, "utf-8")
    port = free_port()
    proc = start_app(port, env={"CORRIDOR_ATLAS_CORPUS": str(folder)})
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_app(proc)


def test_payload_corpus_runs_no_script_and_loads_nothing_foreign(app_page, payload_app_url):
    page = app_page.page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for corridor in ("zangezur", "middle-corridor"):
        page.goto(f"{payload_app_url}/?corridor={corridor}")
        wait_for_app(page)
        page.locator(".ca-quote mark").first.wait_for()
        page.get_by_text("Show whole document").first.click()
        page.wait_for_timeout(500)
        # hover every corridor and place: tooltips are built from our labels only
        frame = page.frame_locator(MAP_IFRAME)
        for i in range(min(frame.locator("path.leaflet-interactive").count(), 40)):
            frame.locator("path.leaflet-interactive").nth(i).hover(force=True, timeout=2_000)
    # the payload is shown as text, not run and not dropped
    page.get_by_text("<img src=x onerror=alert(1)>").first.wait_for(timeout=10_000)
    assert dialogs == []
    assert page.title() == "Corridor Atlas"
    assert app_page.foreign_requests() == []  # the Markdown image was not fetched
    assert app_page.errors == []


def test_many_places_cluster_in_the_browser(browser, seed_atlas, tmp_path):
    import dataclasses

    import geopandas as gpd
    import pyogrio

    from geo.map import CLUSTER_THRESHOLD, save_standalone_html
    from geo.paths import NATURALEARTH_DIR

    towns = pyogrio.read_dataframe(NATURALEARTH_DIR / "ne_10m_populated_places_region.geojson")
    places = gpd.GeoDataFrame({
        "place_id": [f"ne:{i}" for i in range(len(towns))], "name": towns["NAME"], "kind": "city",
        "country": towns["ISO_A2"], "mention_count": 1, "doc_count": 1,
        "lat": towns.geometry.y, "lon": towns.geometry.x, "score": 1.0,
    }, geometry=towns.geometry, crs="EPSG:4326")
    assert len(places) > CLUSTER_THRESHOLD
    path = save_standalone_html(dataclasses.replace(seed_atlas, places=places), tmp_path / "big.html")
    context = browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(path.as_uri())
        page.locator(".marker-cluster").first.wait_for(timeout=30_000)
        shown = page.locator("path.place").count()
        assert 0 < shown < len(places)  # the rest sit in clusters
        assert errors == []
    finally:
        context.close()

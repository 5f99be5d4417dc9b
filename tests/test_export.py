"""RFC 7946 GeoJSON, GeoPackage and CSV export of the seed atlas."""

from __future__ import annotations

import json

import geopandas as gpd
import pyogrio
import pytest
import shapely
from geojson_pydantic import FeatureCollection
from shapely.geometry import LineString, Point, Polygon, shape

from geo.export import LAYERS, mentions_csv, to_geojson, write, write_geojson, write_gpkg


def _positions(geometry: dict):
    def walk(c):
        if isinstance(c[0], (int, float)):
            yield c
        else:
            for x in c:
                yield from walk(x)

    if geometry["type"] == "GeometryCollection":
        for g in geometry["geometries"]:
            yield from _positions(g)
    else:
        yield from walk(geometry["coordinates"])


def _rings(geometry: dict):
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        yield from geometry["coordinates"]


def assert_rfc7946(fc: dict) -> None:
    FeatureCollection.model_validate(fc)
    assert fc["type"] == "FeatureCollection"
    assert "crs" not in fc
    for f in fc["features"]:
        assert f["properties"]["layer"] in LAYERS
        if f["geometry"] is None:
            continue
        for x, y, *_ in _positions(f["geometry"]):
            assert -180 <= x <= 180 and -90 <= y <= 90, (f["id"], x, y)
            assert round(x, 6) == x and round(y, 6) == y
        for rings in _rings(f["geometry"]):
            for i, ring in enumerate(rings):
                assert ring[0] == ring[-1], "ring not closed"
                ccw = shapely.LinearRing(ring).is_ccw
                assert ccw if i == 0 else not ccw, "exterior must be CCW, holes CW"


def test_all_layers_are_valid_rfc7946(seed_atlas, tmp_path):
    out = write_geojson(seed_atlas, tmp_path / "atlas.geojson")
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert_rfc7946(fc)
    layers = {f["properties"]["layer"] for f in fc["features"]}
    assert layers == {"corridors", "segments", "places", "mentions"}
    n = {name: sum(f["properties"]["layer"] == name for f in fc["features"]) for name in LAYERS}
    assert n == {name: len(getattr(seed_atlas, name)) for name in LAYERS}


def test_corridor_features_carry_sources_and_capacities(seed_atlas):
    fc = to_geojson(seed_atlas, "corridors")
    assert_rfc7946(fc)
    by_id = {f["id"]: f for f in fc["features"]}
    assert set(by_id) == set(seed_atlas.corridors["id"])
    for f in fc["features"]:
        props = f["properties"]
        for key in ("id", "name", "aliases", "modes", "length_km", "countries", "status", "branches",
                    "mention_count", "sources", "capacities"):
            assert key in props, key
        assert props["mention_count"] >= len(props["sources"]) > 0
        for s in props["sources"]:
            assert set(s) == {"doc", "date", "start", "end", "quote"}
            text = seed_atlas.documents[s["doc"]].text
            # Quotes are the document text exactly: data, not HTML.
            assert s["quote"] in text
            assert s["start"] < s["end"] and text[s["start"] : s["end"]] in s["quote"]
        assert shape(f["geometry"]).geom_type in ("LineString", "MultiLineString")
    capacities = [c for f in fc["features"] for c in f["properties"]["capacities"]]
    assert {(c["from_value"], c["to_value"]) for c in capacities} >= {(1e6, 5e6), (15e6, 25e6)}


def test_text_is_exported_exactly_not_escaped(tmp_path, seed_atlas):
    from geo.atlas import build_atlas

    (tmp_path / "x.txt").write_text(
        'The <b>Middle Corridor</b> & "TITR" <script>alert(1)</script> grew by 3 million tons.\n', encoding="utf-8")
    atlas = build_atlas(tmp_path)
    fc = to_geojson(atlas, "corridors")
    quotes = [s["quote"] for f in fc["features"] for s in f["properties"]["sources"]]
    assert any("<b>Middle Corridor</b> & \"TITR\" <script>" in q for q in quotes)
    assert not any("&lt;" in q or "&amp;" in q for q in quotes)


def test_polygons_are_rewound_and_lines_split_at_the_antimeridian():
    cw = Polygon([(0, 0), (0, 1), (1, 1), (1, 0), (0, 0)])
    assert not cw.exterior.is_ccw
    crossing = LineString([(179.5, 60.0), (-179.5, 61.0)])
    gdf = gpd.GeoDataFrame({"id": ["a", "b"], "name": ["poly", "line"]}, geometry=[cw, crossing], crs=4326)
    fc = to_geojson(gdf, "corridors")
    assert_rfc7946(fc)
    poly, line = (f["geometry"] for f in fc["features"])
    assert shapely.LinearRing(poly["coordinates"][0]).is_ccw
    assert line["type"] == "MultiLineString" and len(line["coordinates"]) == 2
    (a, b), (c, d) = line["coordinates"]
    assert b[0] == 180.0 and c[0] == -180.0 and b[1] == c[1] == pytest.approx(60.5)


def test_projected_frames_are_reprojected_to_lon_lat():
    gdf = gpd.GeoDataFrame({"place_id": ["p"]}, geometry=[Point(49.87, 40.41)], crs=4326).to_crs(3857)
    fc = to_geojson(gdf, "places")
    assert "crs" not in fc
    x, y = fc["features"][0]["geometry"]["coordinates"]
    assert (x, y) == pytest.approx((49.87, 40.41), abs=1e-6)


def test_geopackage_has_one_layer_per_atlas_layer(seed_atlas, tmp_path):
    path = write_gpkg(seed_atlas, tmp_path / "atlas.gpkg")
    names = {row[0] for row in pyogrio.list_layers(path)}
    assert names == set(LAYERS)
    corridors = gpd.read_file(path, layer="corridors")
    assert sorted(corridors["id"]) == sorted(seed_atlas.corridors["id"])
    assert json.loads(corridors["sources"].iloc[0])  # nested values kept as JSON text
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temporary file left behind"


def test_mentions_csv_and_suffix_dispatch(seed_atlas, tmp_path):
    text = mentions_csv(seed_atlas)
    header, *rows = text.splitlines()
    assert header.split(",")[:6] == ["mention_id", "doc_id", "start", "end", "name", "place_id"]
    assert len(rows) == len(seed_atlas.mentions) > 0
    write(seed_atlas, tmp_path / "m.csv")
    assert (tmp_path / "m.csv").read_text(encoding="utf-8") == text
    with pytest.raises(ValueError, match="suffix"):
        write(seed_atlas, tmp_path / "m.txt")

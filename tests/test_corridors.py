"""Corridors: the real definitions in data/corridors against Natural Earth, and the validator on crafted files."""

from __future__ import annotations

import math
import re
import textwrap
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import MultiLineString, Point

from geo import paths
from geo import corridors as C
from geo.corpus import read_corpus

NE = paths.NATURALEARTH_DIR
ROOT = Path(__file__).resolve().parent.parent

EXPECTED_IDS = {
    "middle-corridor", "north-south", "zangezur", "east-west", "baku-tbilisi-kars", "alat-port",
    "trans-caspian-fibre", "xian-azerbaijan-rail", "bam", "kazakh-oil-transit", "az-kz-uz-power",
    "ru-az-power", "atyrau-shirvan", "aktau-sumgait",
}
NEAR_END_DEG = 0.1  # ~10 km around a segment's ends (ports, coastal stations) is not checked
MIN_INSIDE = 0.97  # 50m/10m generalisation: 97% of the rest must be on the right side of the coast


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Independent of pyproj: spherical distance with the mean Earth radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def defs():
    return C.load_corridors()


@pytest.fixture(scope="module")
def by_id(defs):
    return {d.id: d for d in defs}


@pytest.fixture(scope="module")
def corridors(defs):
    return C.corridors_frame(defs).set_index("id", drop=False)


@pytest.fixture(scope="module")
def segments(defs):
    return C.segments_frame(defs)


@pytest.fixture(scope="module")
def land():
    geom = shapely.union_all(C.countries_frame().geometry.values)
    shapely.prepare(geom)
    return geom


@pytest.fixture(scope="module")
def water():
    marine = gpd.read_file(NE / "ne_10m_geography_marine_polys.geojson", engine="pyogrio")
    lakes = gpd.read_file(NE / "ne_10m_lakes_region.geojson", engine="pyogrio")
    geom = shapely.union_all(shapely.make_valid(np.concatenate([marine.geometry.values, lakes.geometry.values])))
    shapely.prepare(geom)
    return geom


# --- the definitions -------------------------------------------------------------------------


def test_every_system_of_the_issue_is_defined(defs):
    assert {d.id for d in defs} == EXPECTED_IDS
    for d in defs:
        assert d.path is not None and d.path.stem == d.id
        assert all(len(b.modes) == len(b.waypoints) - 1 for b in d.branches)


def test_middle_corridor_is_one_corridor_reached_by_both_names(by_id, defs):
    mc = by_id["middle-corridor"]
    assert mc.name == "Middle Corridor"
    for alias in ("TITR", "Trans-Caspian International Transport Route", "Trans-Caspian route", "Middle Corridor"):
        assert alias in mc.aliases
    index = C.corridor_index(defs)
    for text in ("TITR", "titr", "Trans-Caspian International Transport Route", "middle corridor",
                 "Trans–Caspian route", "Trans-Caspian International Transport Route (TITR)"):
        assert index[C.normalize_alias(text)] == "middle-corridor", text


@pytest.mark.parametrize("text, cid", [
    ("North-South", "north-south"), ("North–South", "north-south"), ("north — south", "north-south"),
    ("INSTC", "north-south"), ("International North-South Transport Corridor", "north-south"),
    ("North-South transport corridor", "north-south"), ("East-West", "east-west"),
    ("East–West corridor", "east-west"), ("BTK", "baku-tbilisi-kars"),
    ("Baku-Tbilisi-Kars railway", "baku-tbilisi-kars"), ("BAM", "bam"), ("Baikal-Amur Mainline", "bam"),
    ("Digital Silk Road", "trans-caspian-fibre"),
    ("fiber-optic communications across the Caspian Sea bed", "trans-caspian-fibre"),
    ("Trans-Caspian fiber-optic", "trans-caspian-fibre"), ("Zangezur corridor", "zangezur"),
    ("Alat International Trade Seaport", "alat-port"),
])
def test_alias_index(defs, text, cid):
    assert C.corridor_index(defs)[C.normalize_alias(text)] == cid


def test_every_corridor_is_named_in_the_seed_its_status_cites(defs):
    docs, errors = read_corpus(paths.SEEDS_DIR)
    assert not errors
    texts = {d.id: C.normalize_alias(d.text) for d in docs}
    for d in defs:
        cited = [doc_id for doc_id in texts if doc_id in d.status_source]
        assert cited, f"{d.id}: status_source cites no seed"
        names = [C.normalize_alias(n) for n in (d.name, *d.aliases)]
        assert any(n in texts[doc] for doc in cited for n in names), f"{d.id}: no name or alias in {cited}"


def test_statuses_and_dates(defs):
    for d in defs:
        assert d.status in C.STATUSES and d.kind in C.KINDS
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", d.status_as_of)
    assert {d.id: d.status for d in defs}["xian-azerbaijan-rail"] == "operational"
    assert {d.id: d.status_source for d in defs}["xian-azerbaijan-rail"].startswith("Seed 004_")
    assert {d.id: d.status for d in defs}["az-kz-uz-power"] == "planned"
    assert {d.id: d.status for d in defs}["ru-az-power"] == "operational"


# --- frames ------------------------------------------------------------------------------


def test_corridor_features_carry_what_the_map_needs(corridors, defs):
    assert corridors.crs.to_epsg() == 4326
    assert len(corridors) == len(defs)
    for row in corridors.itertuples():
        assert isinstance(row.geometry, MultiLineString) and row.geometry.is_valid
        assert len(row.geometry.geoms) == len(row.branches) == len(row.branch_ids)
        assert row.length_km > 0 and row.countries and row.modes and row.branches
        assert row.status in C.STATUSES
        assert set(row.modes) <= set(C.MODES)
        assert row.countries == sorted(row.countries) and all(re.fullmatch(r"[A-Z]{2}", c) for c in row.countries)
        # modest geometries for the map: a few hundred vertices each
        assert len(shapely.get_coordinates(row.geometry)) < 800, row.id


@pytest.mark.parametrize("cid, needed", [
    ("zangezur", {"AZ", "AM"}),
    ("north-south", {"RU", "AZ", "IR", "IN"}),
    ("middle-corridor", {"CN", "KZ", "AZ", "GE", "TR"}),
    ("baku-tbilisi-kars", {"AZ", "GE", "TR"}),
    ("east-west", {"TR", "GE", "AZ", "TM", "UZ", "KZ", "CN"}),
    ("kazakh-oil-transit", {"KZ", "AZ", "GE", "TR"}),
    ("az-kz-uz-power", {"AZ", "KZ", "UZ"}),
    ("ru-az-power", {"RU", "AZ"}),
    ("bam", {"RU"}),
])
def test_countries_crossed(corridors, cid, needed):
    assert needed <= set(corridors.loc[cid, "countries"])


def test_countries_do_not_leak_over_borders(corridors):
    """The Araz line stays north of the river and BTK never touches Armenia: a 50m border wiggle
    must not add a neighbour."""
    assert set(corridors.loc["baku-tbilisi-kars", "countries"]) == {"AZ", "GE", "TR"}
    assert set(corridors.loc["zangezur", "countries"]) == {"AM", "AZ", "TR"}
    assert set(corridors.loc["bam", "countries"]) == {"RU"}
    assert set(corridors.loc["trans-caspian-fibre", "countries"]) == {"AZ", "KZ"}


def test_segments_table(segments, defs, corridors):
    assert segments.crs.to_epsg() == 4326
    assert len(segments) == sum(len(b.waypoints) - 1 for d in defs for b in d.branches)
    assert segments["segment_id"].is_unique
    for d in defs:
        for b in d.branches:
            mine = segments[(segments.corridor_id == d.id) & (segments.branch_id == b.id)].sort_values("seq")
            assert list(mine.seq) == list(range(len(b.waypoints) - 1))
            assert list(mine.segment_id) == [C.segment_id(d.id, b.id, k) for k in mine.seq]
            assert list(mine["mode"]) == list(b.modes)
            assert list(mine.from_name) == [w.name for w in b.waypoints[:-1]]
            assert list(mine.to_name) == [w.name for w in b.waypoints[1:]]
    assert "zangezur/main/3" in set(segments.segment_id)
    # corridor length is the sum of its segments (all on the same geodesic)
    sums = segments.groupby("corridor_id")["length_km"].sum()
    for cid, total in sums.items():
        assert corridors.loc[cid, "length_km"] == pytest.approx(total, rel=1e-3, abs=0.5)
    # corridor countries are the union of segment countries
    for cid, group in segments.groupby("corridor_id"):
        assert set(corridors.loc[cid, "countries"]) == {c for cs in group.countries for c in cs}


def test_segment_lengths_are_geodesic_and_sane(segments, by_id):
    for r in segments.itertuples():
        d = by_id[r.corridor_id]
        b = next(b for b in d.branches if b.id == r.branch_id)
        a, z = b.waypoints[r.seq], b.waypoints[r.seq + 1]
        chord = haversine_km(a.lat, a.lon, z.lat, z.lon)
        # via points only lengthen a leg; a rail leg is never a long detour
        assert r.length_km >= chord * 0.995 - 0.1, r.segment_id
        limit = 1.6 if r.mode in C.WATER_MODES else 1.3
        assert r.length_km <= chord * limit + 5, r.segment_id


def test_known_lengths(corridors, by_id):
    # Baku - Tbilisi great circle, by hand with the haversine formula and by the module on WGS84
    baku = C.Waypoint("Baku", 40.378, 49.892)
    tbilisi = C.Waypoint("Tbilisi", 41.691, 44.834)
    by_hand = haversine_km(baku.lat, baku.lon, tbilisi.lat, tbilisi.lon)
    line = C.segment_line(baku, tbilisi)
    assert 430 < by_hand < 460
    assert C._length_km(line) == pytest.approx(by_hand, rel=0.005)
    # BTK: official 826 km of track; chords between stations run a few per cent shorter
    assert 780 <= corridors.loc["baku-tbilisi-kars", "length_km"] <= 900
    # Aktau - Alat ferry ~ 450-500 km by the sea lane, longer than the straight line
    seg = C.segment_line(*[w for w in by_id["middle-corridor"].branches[0].waypoints if "port" in w.name][:2])
    assert 440 < C._length_km(seg) < 560
    # partnerships are one geodesic: length equals the inverse geodesic distance
    geod = Geod(ellps="WGS84")
    for cid in ("atyrau-shirvan", "aktau-sumgait"):
        wa, wz = by_id[cid].branches[0].waypoints
        assert corridors.loc[cid, "length_km"] == pytest.approx(geod.inv(wa.lon, wa.lat, wz.lon, wz.lat)[2] / 1000, rel=1e-3)


def test_lines_are_densified_along_great_circles(corridors):
    geod = Geod(ellps="WGS84")
    for row in corridors.itertuples():
        for part in row.geometry.geoms:
            xy = np.asarray(part.coords)
            _, _, dist = geod.inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])
            assert dist.max() <= C.DENSIFY_KM * 1000 * 1.001, row.id


# --- geography: land, water, axis order ----------------------------------------------------------


def _inside_fraction(line, ref) -> tuple[float, float]:
    a, z = Point(line.coords[0]), Point(line.coords[-1])
    core = line.difference(a.buffer(NEAR_END_DEG)).difference(z.buffer(NEAR_END_DEG))
    total = C._length_km(core)
    if total < 1.0:
        return 1.0, total
    return C._length_km(core.intersection(ref)) / total, total


def test_land_legs_stay_on_land(segments, land):
    bad = []
    for r in segments[segments["mode"].isin(C.LAND_MODES)].itertuples():
        frac, km = _inside_fraction(r.geometry, land)
        if frac < MIN_INSIDE:
            bad.append((r.segment_id, round(frac, 3), round(km)))
    assert not bad, bad


def test_water_legs_stay_on_water(segments, water):
    legs = segments[segments["mode"].isin(C.WATER_MODES)]
    assert len(legs) >= 10  # ferries, the Arabian Sea leg, the cables
    bad = []
    for r in legs.itertuples():
        frac, km = _inside_fraction(r.geometry, water)
        if frac < MIN_INSIDE:
            bad.append((r.segment_id, round(frac, 3), round(km)))
    assert not bad, bad


def test_the_checks_catch_a_sea_shortcut_and_a_land_ferry(land, water):
    """The two tests above can fail: a rail line cut across the Caspian, a ferry across Absheron."""
    aktau, baku = C.Waypoint("Aktau", 43.62, 51.20), C.Waypoint("Baku", 40.378, 49.892)
    assert _inside_fraction(C.segment_line(aktau, baku), land)[0] < 0.5
    ganja, tbilisi = C.Waypoint("Ganja", 40.682, 46.361), C.Waypoint("Tbilisi", 41.691, 44.834)
    assert _inside_fraction(C.segment_line(ganja, tbilisi), water)[0] < 0.1


def test_coordinates_in_the_region_and_not_swapped(defs, segments):
    for d in defs:
        for b in d.branches:
            for w in b.waypoints:
                assert 0 <= w.lat <= 65, (d.id, w.name)
                # only the BAM runs east of 125E (Komsomolsk-on-Amur, Vanino: the Pacific)
                assert 20 <= w.lon <= (141 if d.id == "bam" else 125), (d.id, w.name)
    for r in segments.itertuples():
        x, y = shapely.get_coordinates(r.geometry).T
        assert (x >= 20).all() and (y >= 0).all() and (y <= 65).all()
    # shapely order is (lon, lat): the first vertex of a segment is its first waypoint
    first = segments.iloc[0]
    d = next(d for d in defs if d.id == first.corridor_id)
    w0 = next(b for b in d.branches if b.id == first.branch_id).waypoints[0]
    assert first.geometry.coords[0] == (w0.lon, w0.lat)


def test_waypoints_lie_in_their_countries(defs):
    """Declared countries must be within ~10 km of that country's 50m polygon; every other waypoint
    must be in a country polygon or within ~10 km of the coast (ports)."""
    countries = C.countries_frame()
    polys = {code: shapely.union_all(g.geometry.values) for code, g in countries.groupby("iso2")}
    for d in defs:
        for b in d.branches:
            for k, w in enumerate(b.waypoints):
                pt = Point(w.lon, w.lat)
                legs = b.modes[max(k - 1, 0): k + 1]
                if all(m in C.WATER_MODES for m in legs):
                    continue  # a fairway point at sea
                if w.country:
                    assert polys[w.country].distance(pt) < 0.1, (d.id, w.name, w.country)
                else:
                    assert min(p.distance(pt) for p in polys.values()) < 0.1, (d.id, w.name)


def test_named_places_match_the_gazetteer(defs):
    """Cross-check with the offline gazetteer: a waypoint with ``place`` is within 30 km of an entry
    of that name (a swapped lat/lon or a wrong hemisphere would be hundreds of km off)."""
    gazetteer = pytest.importorskip("geo.gazetteer")
    try:
        gaz = gazetteer.default_gazetteer()
    except Exception as exc:  # the gazetteer is another stage; its failures are tested there
        pytest.skip(f"gazetteer unavailable: {exc}")
    linked = C.with_gazetteer_ids(defs, gaz)
    placed = [(d.id, w) for d in linked for b in d.branches for w in b.waypoints if w.place]
    assert len(placed) > 100
    missing = [(cid, w.name, w.place) for cid, w in placed if w.gazetteer_id is None]
    assert not missing, missing
    baku = next(w for cid, w in placed if w.place == "Baku")
    assert gaz.get(baku.gazetteer_id).country == "AZ"


def test_waypoints_frame(defs):
    wp = C.waypoints_frame(defs)
    assert len(wp) == sum(len(b.waypoints) for d in defs for b in d.branches)
    assert wp.crs.to_epsg() == 4326
    assert (wp.geometry.x == wp.lon).all() and (wp.geometry.y == wp.lat).all()
    julfa = wp[(wp.corridor_id == "zangezur") & (wp.name == "Julfa")].iloc[0]
    assert julfa.country == "AZ"  # declared: the 50m border would put it in Iran
    meghri = wp[wp.name == "Meghri"].iloc[0]
    assert meghri.country == "AM"


def test_simplified_keeps_the_shape(corridors):
    simple = C.simplified(corridors, 0.05)
    for (_, a), (_, b) in zip(corridors.iterrows(), simple.iterrows()):
        assert len(shapely.get_coordinates(b.geometry)) <= len(shapely.get_coordinates(a.geometry))
        assert a.geometry.hausdorff_distance(b.geometry) <= 0.05 + 1e-9
    assert list(simple.length_km) == list(corridors.length_km)


# --- the validator on crafted files ----------------------------------------------------------------

GOOD = """\
id: test-line
name: Test line
aliases: [TL]
kind: rail
status: planned
status_as_of: 2024-03-12
status_source: crafted
description: crafted for a test
source: crafted
branches:
  - id: main
    name: A - B
    mode: rail
    waypoints:
      - {name: Ganja, lat: 40.68, lon: 46.36}
      - {name: Tbilisi, lat: 41.69, lon: 44.83}
"""


def write(folder: Path, text: str, name: str = "test-line.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(path: Path, **kw) -> C.CorridorDefinitionError:
    with pytest.raises(C.CorridorDefinitionError) as info:
        C.load_corridors(path.parent, **kw)
    return info.value


def test_a_good_file_loads(tmp_path):
    write(tmp_path, GOOD)
    (d,) = C.load_corridors(tmp_path)
    assert d.id == "test-line" and d.status_as_of == "2024-03-12"
    assert d.branches[0].modes == ("rail",)
    assert d.branches[0].waypoints[1].lat == 41.69


def test_syntax_error_names_file_and_line(tmp_path):
    path = write(tmp_path, GOOD.replace("    mode: rail\n", "    mode: [rail\n"))
    err = error_of(path)
    assert err.path == path and err.line in (13, 14, 15)
    assert str(err).startswith(f"{path}:{err.line}: ") and "syntax" in err.reason


def test_unknown_key_names_its_line(tmp_path):
    path = write(tmp_path, GOOD.replace("kind: rail\n", "kind: rail\ncolour: red\n"))
    err = error_of(path)
    assert err.line == 5 and "unknown key 'colour'" in err.reason
    assert str(err) == f"{path}:5: {err.reason}"


def test_unknown_waypoint_names_its_line(tmp_path):
    path = write(tmp_path, GOOD.replace("{name: Tbilisi, lat: 41.69, lon: 44.83}", "{name: Nowhere, place: Nowhereville}"))
    err = error_of(path)
    assert err.line == 16 and "unknown waypoint 'Nowhere'" in err.reason
    # a resolver that knows the place fixes it; one that does not, does not
    (d,) = C.load_corridors(tmp_path, resolver={"Nowhereville": (41.0, 45.0)}.get)
    assert (d.branches[0].waypoints[1].lat, d.branches[0].waypoints[1].lon) == (41.0, 45.0)
    assert error_of(path, resolver=lambda place: None).line == 16


def test_bad_mode_names_its_line(tmp_path):
    path = write(tmp_path, GOOD.replace("{name: Tbilisi, lat: 41.69, lon: 44.83}", "{name: Tbilisi, lat: 41.69, lon: 44.83, mode: teleport}"))
    err = error_of(path)
    assert err.line == 16 and "bad mode 'teleport'" in err.reason


@pytest.mark.parametrize("old, new, line, words", [
    ("lat: 41.69", "lat: 141.69", 16, "out of range"),
    ("lat: 41.69, ", "", 16, "has lon but not lat"),
    ("kind: rail", "kind: spaceport", 4, "bad kind"),
    ("status: planned", "status: rumoured", 5, "bad status"),
    ("status_as_of: 2024-03-12", "status_as_of: soon", 6, "ISO date"),
    ("id: test-line", "id: other-line", 1, "file name"),
    ("description: crafted for a test\n", "", 1, "missing 'description'"),
    ("{name: Ganja, lat: 40.68, lon: 46.36}", "{name: Ganja, lat: 40.68, lon: 46.36, mode: rail}", 15, "first waypoint"),
    ("      - {name: Tbilisi, lat: 41.69, lon: 44.83}\n", "", 15, "at least two waypoints"),
    ("{name: Tbilisi, lat: 41.69, lon: 44.83}", "{name: Tbilisi, lat: 41.69, lon: 44.83, via: [[41.0]]}", 16, "[lat, lon]"),
    ("{name: Tbilisi, lat: 41.69, lon: 44.83}", "{name: Tbilisi, lat: 41.69, lon: 44.83, country: Georgia}", 16, "alpha-2"),
    ("name: Test line\n", "name: Test line\nname: Again\n", 3, "duplicate key 'name'"),
])
def test_validation_errors(tmp_path, old, new, line, words):
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    err = error_of(path)
    assert err.line == line, str(err)
    assert words in err.reason, str(err)


def test_duplicate_branch_id(tmp_path):
    branch = GOOD[GOOD.index("  - id: main"):]
    path = write(tmp_path, GOOD + branch)
    err = error_of(path)
    assert err.line == 17 and "duplicate branch id 'main'" in err.reason


def test_alias_naming_two_corridors(tmp_path):
    write(tmp_path, GOOD)
    other = GOOD.replace("id: test-line", "id: other-line").replace("name: Test line", "name: Other line")
    write(tmp_path, other, "other-line.yaml")
    err = error_of(tmp_path / "test-line.yaml")  # files load in name order: test-line.yaml comes second
    assert err.path == tmp_path / "test-line.yaml" and err.line == 3
    assert "'tl'" in err.reason and "other-line" in err.reason


def test_empty_folder_and_empty_file(tmp_path):
    with pytest.raises(C.CorridorDefinitionError):
        C.load_corridors(tmp_path)
    path = write(tmp_path, "")
    assert error_of(path).line == 1


def test_gazetteer_resolver_fills_a_waypoint_without_coordinates(tmp_path):
    gazetteer = pytest.importorskip("geo.gazetteer")
    try:
        gaz = gazetteer.default_gazetteer()
    except Exception as exc:
        pytest.skip(f"gazetteer unavailable: {exc}")
    write(tmp_path, GOOD.replace("{name: Tbilisi, lat: 41.69, lon: 44.83}", "{name: Kars, place: Kars}"))
    (d,) = C.load_corridors(tmp_path, resolver=C.gazetteer_resolver(gaz))
    kars = d.branches[0].waypoints[1]
    assert haversine_km(kars.lat, kars.lon, 40.60, 43.09) < 10


def test_command_line_validation(tmp_path, capsys):
    assert C.main([str(paths.CORRIDORS_DIR)]) == 0
    out = capsys.readouterr().out
    assert "baku-tbilisi-kars" in out and "AZ,GE,TR" in out
    write(tmp_path, GOOD.replace("mode: rail\n", "mode: rail\n    speed: fast\n"))
    assert C.main([str(tmp_path)]) == 1
    assert re.search(r"test-line\.yaml:14: unknown key 'speed'", capsys.readouterr().err)

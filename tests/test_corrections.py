"""The correction store and its effect on builds, exports and the CLI (real seeds)."""

from __future__ import annotations

import json

import pyogrio
import pytest
from geojson_pydantic import FeatureCollection

from geo import corrections as cs
from geo.atlas import build_atlas
from geo.export import to_geojson, write_gpkg
from geo.panel import place_choices


def _place_with_alternative(atlas):
    for pid in atlas.places["place_id"]:
        choices = place_choices(atlas, pid)
        if len(choices) > 1:
            return pid, choices
    raise AssertionError("no seed place has an alternative")


def test_store_round_trip_replace_undo(tmp_path):
    path = tmp_path / "c.json"
    assert cs.load_corrections(path) == []
    items = cs.set_correction([], "place:gn:1", "gn:2", label="A")
    items = cs.set_correction(items, "doc:1-5", None, label="B")
    items = cs.set_correction(items, "place:gn:1", cs.user_target(40.1, 49.8), label="A again")
    cs.save_corrections(items, path)
    back = cs.load_corrections(path)
    assert [c.key for c in back] == ["doc:1-5", "place:gn:1"]  # re-correcting moves it to the end
    assert cs.as_mapping(back) == {"doc:1-5": None, "place:gn:1": "user:40.10000,49.80000"}
    assert [c.key for c in cs.undo_last(back)] == ["doc:1-5"]
    assert [c.key for c in cs.remove_correction(back, "doc:1-5")] == ["place:gn:1"]


def test_env_variable_names_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv(cs.ENV_VAR, str(tmp_path / "mine.json"))
    assert cs.corrections_path() == tmp_path / "mine.json"
    cs.save_corrections(cs.set_correction([], "k:1-2", None))
    assert json.loads((tmp_path / "mine.json").read_text())["corrections"][0]["key"] == "k:1-2"


@pytest.mark.parametrize("lat, lon", [(91, 0), (-90.5, 0), (0, 180.01), (0, -181), (float("nan"), 0)])
def test_typed_coordinates_out_of_range_are_refused(lat, lon):
    with pytest.raises(ValueError):
        cs.user_target(lat, lon)


@pytest.mark.parametrize("content", ["{not json", '{"corrections": 3}', '[1, 2]',
                                     '{"corrections": [{"key": "a", "target": "user:95,10"}]}'])
def test_corrupt_store_is_reported_and_kept(tmp_path, content):
    path = tmp_path / "c.json"
    path.write_text(content)
    with pytest.raises(cs.CorrectionStoreError) as err:
        cs.load_corrections(path)
    assert str(path) in str(err.value)
    with pytest.raises(cs.CorrectionStoreError):  # not overwritten silently
        cs.save_corrections([], path)
    assert path.read_text() == content
    cs.save_corrections([], path, replace_corrupt=True)  # asked for: the old file is kept aside
    backups = list(tmp_path.glob("c.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_text() == content
    assert cs.load_corrections(path) == []


def test_place_correction_moves_every_mention_and_is_exported(seed_atlas, seeds_dir, tmp_path):
    pid, choices = _place_with_alternative(seed_atlas)
    alt = choices[1]
    n = int(seed_atlas.places.loc[seed_atlas.places["place_id"] == pid, "mention_count"].iloc[0])
    fixed = build_atlas(seeds_dir, corrections={cs.place_key(pid): alt.gazetteer_id})
    assert pid not in set(fixed.places["place_id"])
    moved = fixed.mentions[fixed.mentions["place_id"] == alt.gazetteer_id]
    assert int(moved["corrected"].sum()) == n
    row = fixed.places[fixed.places["place_id"] == alt.gazetteer_id].iloc[0]
    assert bool(row["corrected"]) and (row["lat"], row["lon"]) == pytest.approx((alt.lat, alt.lon))
    assert not seed_atlas.mentions["corrected"].any()  # nothing is marked without a correction

    fc = to_geojson(fixed, "all")
    FeatureCollection.model_validate(fc)
    props = [f for f in fc["features"] if f["properties"].get("place_id") == alt.gazetteer_id]
    assert props and all(f["properties"]["corrected"] is True for f in props)
    assert props[0]["geometry"]["coordinates"] == pytest.approx([alt.lon, alt.lat], abs=1e-6)

    gpkg = write_gpkg(fixed, tmp_path / "fixed.gpkg")
    places = pyogrio.read_dataframe(gpkg, layer="places")
    assert bool(places.loc[places["place_id"] == alt.gazetteer_id, "corrected"].iloc[0])


def test_typed_point_and_mention_level_correction(seed_atlas, seeds_dir):
    top = seed_atlas.places.iloc[0]  # most mentioned place
    ms = seed_atlas.mentions[seed_atlas.mentions["place_id"] == top["place_id"]]
    one = ms.iloc[0]["mention_id"]
    target = cs.user_target(41.5, 48.25)
    fixed = build_atlas(seeds_dir, corrections={one: target})
    moved = fixed.mentions[fixed.mentions["mention_id"] == one].iloc[0]
    assert moved["place_id"] == target and moved["corrected"]
    assert (moved["lat"], moved["lon"]) == (41.5, 48.25)
    still = fixed.places[fixed.places["place_id"] == top["place_id"]].iloc[0]
    assert still["mention_count"] == top["mention_count"] - 1  # the others stay
    # a mention's own correction wins over its place's
    both = build_atlas(seeds_dir, corrections={one: target, cs.place_key(top["place_id"]): None})
    assert list(both.mentions.loc[both.mentions["place_id"].str.startswith("user:"), "mention_id"]) == [one]
    assert top["place_id"] not in set(both.places["place_id"])


def test_cli_export_applies_the_store(seed_atlas, seeds_dir, tmp_path, monkeypatch):
    from geo.cli import main

    pid = str(seed_atlas.places.iloc[0]["place_id"])
    store = tmp_path / "corrections.json"
    cs.save_corrections(cs.set_correction([], cs.place_key(pid), cs.user_target(10, 20)), store)
    monkeypatch.setenv(cs.ENV_VAR, str(store))
    out = tmp_path / "places.geojson"
    assert main(["export", "--corpus", str(seeds_dir), "--layer", "places", "--out", str(out)]) == 0
    feats = json.loads(out.read_text())["features"]
    user = [f for f in feats if f["properties"]["place_id"] == "user:10.00000,20.00000"]
    assert len(user) == 1 and user[0]["properties"]["corrected"] is True
    assert user[0]["geometry"]["coordinates"] == [20.0, 10.0]
    store.write_text("{broken")
    assert main(["export", "--corpus", str(seeds_dir), "--out", str(out)]) == 2  # a corrupt store is an error, not ignored


def _table(frame):
    import pandas as pd

    return pd.DataFrame(frame[[c for c in frame.columns if c != "geometry"]]).reset_index(drop=True)


def test_build_applies_the_store_and_a_changed_store_without_parsing(seed_atlas, seeds_dir, tmp_path, monkeypatch):
    """`corridor-atlas build` applies the user's corrections as the app and export do; a changed
    store is applied by the next build from the parse cache (nothing parsed again)."""
    import hashlib

    import pandas as pd

    from geo.build import BuildError, build, load_build

    pid, choices = _place_with_alternative(seed_atlas)
    alt = choices[1]
    top = seed_atlas.places.iloc[0]
    one = seed_atlas.mentions.loc[seed_atlas.mentions["place_id"] == top["place_id"], "mention_id"].iloc[0]
    items = cs.set_correction([], cs.place_key(pid), alt.gazetteer_id)
    items = cs.set_correction(items, one, cs.user_target(41.5, 48.25))
    store = tmp_path / "corrections.json"
    cs.save_corrections(items, store)
    monkeypatch.setenv(cs.ENV_VAR, str(store))  # the build reads the user's store, like the app

    out = tmp_path / "build"
    first = build([seeds_dir], out, workers=1, gpkg=False)
    assert first.parsed == 5
    loaded = load_build(out)
    expected = build_atlas(seeds_dir, corrections=cs.as_mapping(items))
    for name in ("mentions", "places", "corridors", "segments"):
        pd.testing.assert_frame_equal(_table(getattr(loaded, name)), _table(getattr(expected, name)), obj=name)
    pd.testing.assert_frame_equal(loaded.excerpts.astype(expected.excerpts.dtypes.to_dict()), expected.excerpts)
    assert to_geojson(loaded, "all") == to_geojson(expected, "all")
    assert int(loaded.mentions["corrected"].sum()) >= 2
    assert loaded.card("place", alt.gazetteer_id)["corrected"] is True
    assert loaded.mentions.loc[loaded.mentions["mention_id"] == one, "place_id"].iloc[0] == "user:41.50000,48.25000"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["corrections"]["sha256"] == hashlib.sha256(store.read_bytes()).hexdigest()
    assert manifest["corrections"]["applied"] == 2 and not loaded.warnings

    # The user undoes the typed point and adds a choice whose gazetteer entry does not exist.
    cs.save_corrections(cs.set_correction(cs.undo_last(items), "place:gn:0", "gn:999999999999"), store)
    stale = load_build(out)
    assert any(str(store) in w and "changed since" in w for w in stale.warnings)
    second = build([seeds_dir], out, workers=1, gpkg=False)
    assert (second.parsed, second.reused) == (0, 5)
    # Excerpts are recomputed only for the document whose places changed (the undone typed point).
    assert json.loads((out / "manifest.json").read_text())["counts"]["excerpts_reused"] == 4
    assert any("gn:999999999999" in w and "not applied" in w for w in second.warnings)
    again = load_build(out)
    assert not again.warnings
    expected = build_atlas(seeds_dir, corrections=cs.as_mapping(cs.undo_last(items)))
    pd.testing.assert_frame_equal(_table(again.mentions), _table(expected.mentions))
    pd.testing.assert_frame_equal(_table(again.places), _table(expected.places))
    assert not again.mentions.loc[again.mentions["mention_id"] == one, "place_id"].iloc[0].startswith("user:")

    store.write_text("{broken")
    with pytest.raises(BuildError, match="corrections.json"):
        build([seeds_dir], out, workers=1, gpkg=False)
    assert load_build(out).mentions.equals(again.mentions)  # the failed build left the last one in place

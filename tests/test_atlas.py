"""build_atlas on the real seeds: layers, ordering, determinism, cards, corrections."""

from __future__ import annotations


import pandas as pd
import pytest

from geo.atlas import build_atlas, mention_key
from geo.excerpts import reading_order


def test_layers_have_the_contract_columns(seed_atlas):
    a = seed_atlas
    assert len(a.documents) == 5 and not a.errors
    for col in ("id", "name", "aliases", "kind", "status", "modes", "length_km", "countries", "branches",
                "mention_count", "doc_count", "sources"):
        assert col in a.corridors.columns, col
    for col in ("segment_id", "corridor_id", "from_name", "to_name", "mode", "length_km"):
        assert col in a.segments.columns, col
    assert list(a.places.columns[:9]) == ["place_id", "name", "kind", "country", "mention_count", "doc_count",
                                          "lat", "lon", "score"]
    for col in ("mention_id", "doc_id", "start", "end", "name", "place_id", "kind", "country", "score", "date"):
        assert col in a.mentions.columns, col
    for frame in (a.corridors, a.segments, a.places, a.mentions):
        assert frame.crs.to_epsg() == 4326


def test_mentions_are_exact_spans_and_places_aggregate_them(seed_atlas):
    a = seed_atlas
    for m in a.mentions.itertuples():
        assert a.documents[m.doc_id].text[m.start : m.end] == m.name
        assert m.mention_id == mention_key(m.doc_id, m.start, m.end)
        assert (m.geometry.x, m.geometry.y) == (m.lon, m.lat)
    counts = a.mentions.groupby("place_id").size()
    assert dict(zip(a.places["place_id"], a.places["mention_count"])) == counts.to_dict()
    assert a.places["place_id"].is_unique
    baku = a.places[a.places["name"] == "Baku"].iloc[0]
    assert baku["country"] == "AZ" and baku["doc_count"] >= 2


def test_corridor_counts_match_their_excerpts(seed_atlas):
    for r in seed_atlas.corridors.itertuples():
        exs = seed_atlas.excerpts_for("corridor", r.id)
        assert r.doc_count == len({e.doc_id for e in exs})
        assert r.mention_count >= len(exs)
        assert [s["quote"] for s in r.sources] == [e.quote for e in exs]


def test_excerpts_come_in_reading_order(seed_atlas):
    for r in seed_atlas.places.itertuples():
        exs = seed_atlas.excerpts_for("place", r.place_id)
        assert exs and exs == sorted(exs, key=reading_order)
        for e in exs:
            doc = seed_atlas.documents[e.doc_id]
            assert e.quote == doc.text[e.sentence_start : e.sentence_end]
            assert e.date == doc.date and e.doc_title == doc.title


def test_build_is_deterministic(seed_atlas, seeds_dir):
    # No time limit here: speed targets live in the benchmark scripts (the machine is shared).
    again = build_atlas(seeds_dir)
    for name in ("corridors", "segments", "places", "mentions"):
        pd.testing.assert_frame_equal(getattr(seed_atlas, name), getattr(again, name))
    pd.testing.assert_frame_equal(seed_atlas.excerpts, again.excerpts)
    pd.testing.assert_frame_equal(seed_atlas.capacities, again.capacities)


def test_list_of_documents_gives_the_same_atlas(seed_atlas, seed_documents):
    from geo.atlas import SEED_REGION

    docs = list(reversed(list(seed_documents.values())))
    b = build_atlas(docs, region=SEED_REGION)
    pd.testing.assert_frame_equal(seed_atlas.mentions, b.mentions)
    pd.testing.assert_frame_equal(seed_atlas.excerpts, b.excerpts)


def test_cards(seed_atlas):
    cid = seed_atlas.capacities["corridor_id"].iloc[0]
    card = seed_atlas.card("corridor", cid)
    assert card["name"] and card["capacities"] and card["length_km"] > 0
    assert {"aliases", "kind", "status", "countries", "modes", "mention_count"} <= set(card)
    seg = seed_atlas.segments.iloc[0]
    s = seed_atlas.card("segment", seg["segment_id"])
    assert s["corridor_id"] == seg["corridor_id"] and s["from_name"] == seg["from_name"]
    p = seed_atlas.card("place", seed_atlas.places["place_id"].iloc[0])
    assert p["mention_count"] == seed_atlas.places["mention_count"].iloc[0]
    with pytest.raises(KeyError):
        seed_atlas.card("corridor", "no-such-corridor")
    with pytest.raises(ValueError):
        seed_atlas.card("planet", "x")


def test_corrections_drop_or_move_a_mention(seed_atlas, seeds_dir):
    m = seed_atlas.mentions.iloc[0]
    other = seed_atlas.places[seed_atlas.places["place_id"] != m["place_id"]].iloc[0]
    b = build_atlas(seeds_dir, corrections={m["mention_id"]: None})
    assert m["mention_id"] not in set(b.mentions["mention_id"])
    assert len(b.mentions) == len(seed_atlas.mentions) - 1
    c = build_atlas(seeds_dir, corrections={m["mention_id"]: other["place_id"]})
    moved = c.mentions[c.mentions["mention_id"] == m["mention_id"]].iloc[0]
    assert moved["place_id"] == other["place_id"] and moved["score"] == 1.0
    assert (moved["lat"], moved["lon"]) == pytest.approx((other["lat"], other["lon"]))


def test_unreadable_files_are_errors_not_crashes(tmp_path, seeds_dir):
    import shutil

    shutil.copy(next(seeds_dir.glob("001_*.txt")), tmp_path / "good.txt")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01binary")
    a = build_atlas(tmp_path)
    assert list(a.documents) == ["good"]
    assert len(a.errors) == 1 and "bad.txt" in str(a.errors[0])

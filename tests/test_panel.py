"""geo.panel: uploads, correction choices, timeline counts, filtered export layers (real seeds)."""

from __future__ import annotations

import json
import re

import pyogrio
import pytest
from geojson_pydantic import FeatureCollection

from geo.corpus import MAX_DOCUMENT_BYTES, CorpusError
from geo.export import to_geojson, write_gpkg
from geo.map import MapFilters, save_standalone_html
from geo.panel import (
    MAX_NAME_CHOICES,
    corrections_for_place,
    document_from_upload,
    documents_from_uploads,
    filtered_layers,
    other_names,
    place_aliases,
    place_choices,
    save_upload,
    timeline_counts,
)

BAKU_TEXT = b"1 June 2024\n\nTrains from Baku reach Tbilisi and Kars on the Middle Corridor.\n"


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF with a text layer (hand-built: offsets in the xref table must be exact)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_uploads_of_each_type_become_documents():
    docs, errors = documents_from_uploads([
        ("baku.txt", BAKU_TEXT),
        ("notes.md", b"# Notes\n\nAktau and Baku ports.\n"),
        ("page.html", b"<html><head><title>Kars</title></head><body><p>Kars to Tbilisi.</p></body></html>"),
        ("report.pdf", tiny_pdf("Freight from Aktau to Baku grew.")),
    ])
    assert not errors, errors
    assert [d.id for d in docs] == ["baku", "notes", "page", "report"]
    assert docs[0].date == "2024-06-01"
    assert "Aktau to Baku" in docs[3].text


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("bin.txt", b"\x00\x01\x02abc", "binary"),
    ("tool.exe", b"MZ...", "unsupported file type"),
    ("big.txt", b"a" * (MAX_DOCUMENT_BYTES + 1), "limit"),
    ("bad.pdf", b"%PDF-1.4 garbage", "PDF"),
    ("latin.txt", "Bak\u00fc".encode("utf-16-le") + b"\x00\xd8", None),
])
def test_refused_uploads_name_the_file(name, data, reason):
    docs, errors = documents_from_uploads([(name, data), ("ok.txt", BAKU_TEXT)])
    assert [d.id for d in docs][-1] == "ok"
    if reason is None:  # decodable one way or another: accepted or refused, never a crash
        return
    assert len(errors) == 1 and str(errors[0]).startswith(name) and reason in str(errors[0])


def test_upload_ids_never_shadow_corpus_documents():
    docs, _ = documents_from_uploads([("a.txt", BAKU_TEXT), ("a.txt", BAKU_TEXT)], taken_ids={"a"})
    assert [d.id for d in docs] == ["a-upload", "a-upload3"]
    with pytest.raises(CorpusError):
        document_from_upload(b"x", "../../etc/passwd")


def test_save_upload_never_replaces_a_file(tmp_path):
    doc = document_from_upload(BAKU_TEXT, "baku.txt")
    path = save_upload(tmp_path, "../baku.txt", BAKU_TEXT, doc)
    assert path == tmp_path / "baku.txt" and path.read_bytes() == BAKU_TEXT
    with pytest.raises(FileExistsError):
        save_upload(tmp_path, "baku.txt", b"other", doc)
    assert path.read_bytes() == BAKU_TEXT
    pdf = document_from_upload(tiny_pdf("Aktau port"), "r.pdf")
    assert save_upload(tmp_path, "r.pdf", b"%PDF", pdf).read_text() == pdf.text  # stored as its text


def test_place_choices_chosen_first_then_alternatives(seed_atlas):
    for pid in seed_atlas.places["place_id"]:
        choices = place_choices(seed_atlas, pid)
        assert choices[0].gazetteer_id == pid and choices[0].chosen
        assert all(not c.chosen and c.gazetteer_id != pid for c in choices[1:])
        assert [c.score for c in choices[1:]] == sorted((c.score for c in choices[1:]), reverse=True)
    assert any(len(place_choices(seed_atlas, p)) > 1 for p in seed_atlas.places["place_id"])


def test_place_choices_without_alternatives_offer_same_name_entries(seed_atlas):
    # An atlas read from a build has no per-mention alternatives: the gazetteer's same-name entries stand in.
    from dataclasses import replace

    from geo.gazetteer import default_gazetteer

    gaz = default_gazetteer()
    bare = replace(seed_atlas, alternatives={})
    offered = 0
    for pid in bare.places["place_id"]:
        choices = place_choices(bare, pid, gazetteer=gaz)
        assert choices[0].gazetteer_id == pid and choices[0].chosen
        same_name = {e.id for n in bare.mentions.loc[bare.mentions["place_id"] == pid, "name"] for e in gaz.lookup(n)}
        for c in choices[1:]:
            assert not c.chosen and c.gazetteer_id != pid and c.gazetteer_id in same_name
            assert c.score != c.score and "unscored" in c.label()
        assert len(choices) - 1 <= MAX_NAME_CHOICES
        offered += len(choices) > 1
    assert offered  # seed names such as Shirvan or Astana have namesakes elsewhere


def test_corrections_for_place_finds_place_and_mention_keys(seed_atlas):
    from geo.corrections import Correction

    pid = str(seed_atlas.places.iloc[0]["place_id"])
    mid = str(seed_atlas.mentions.loc[seed_atlas.mentions["place_id"] == pid, "mention_id"].iloc[0])
    items = [Correction(f"place:{pid}", "gn:1"), Correction(mid, None), Correction("x:1-2", pid),
             Correction("place:other", "gn:2")]
    assert [c.key for c in corrections_for_place(seed_atlas, pid, items)] == [f"place:{pid}", mid, "x:1-2"]


def test_timeline_counts_dated_and_undated(seed_atlas):
    docs = seed_atlas.documents
    pid = str(seed_atlas.places.iloc[0]["place_id"])
    ms = seed_atlas.mentions[seed_atlas.mentions["place_id"] == pid]
    frame, undated = timeline_counts(seed_atlas, "place", pid)
    assert int(frame["mentions"].sum()) + undated == len(ms)
    assert undated == sum(1 for d in ms["doc_id"] if docs[d].date is None)
    assert list(frame["month"]) == sorted({docs[d].date[:7] for d in ms["doc_id"] if docs[d].date})
    frame, undated = timeline_counts(seed_atlas, "corridor", "middle-corridor", allowed=set())
    assert frame.empty and undated == 0


def test_filtered_layers_export_what_the_map_shows(seed_atlas, tmp_path):
    filters = MapFilters(corridors=frozenset({"zangezur"}), date_from="2024-01-01", date_to="2024-12-31")
    layers = filtered_layers(seed_atlas, filters)
    assert set(layers.corridors["id"]) == {"zangezur"}
    assert set(layers.segments["corridor_id"]) == {"zangezur"}
    kept_docs = {d for d, doc in seed_atlas.documents.items() if doc.date and doc.date.startswith("2024")}
    assert set(layers.mentions["doc_id"]) <= kept_docs and len(layers.mentions) > 0
    fc = to_geojson(layers, "all")
    FeatureCollection.model_validate(fc)
    assert {f["properties"]["layer"] for f in fc["features"]} == {"corridors", "segments", "places", "mentions"}
    for f in fc["features"]:
        g = f["geometry"]
        pts = [g["coordinates"]] if g["type"] == "Point" else [p for line in
                                                               (g["coordinates"] if g["type"] == "MultiLineString"
                                                                else [g["coordinates"]]) for p in line]
        assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in pts)
    gpkg = write_gpkg(layers, tmp_path / "f.gpkg")
    assert {name for name, _ in pyogrio.list_layers(gpkg)} == {"corridors", "segments", "places", "mentions"}
    assert len(pyogrio.read_dataframe(gpkg, layer="mentions")) == len(layers.mentions)
    html = save_standalone_html(seed_atlas, tmp_path / "m.html", filters=filters).read_text()
    assert not re.search(r"cdn\.|cdnjs|jsdelivr|unpkg|bootstrapcdn|code\.jquery", html)  # no CDN URL
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?:", html) and "<script" in html
    assert json.dumps("zangezur")[1:-1] in html


def test_other_names_drop_the_name_itself_and_repeats_case_insensitively():
    assert other_names("Middle Corridor", ["Middle Corridor", "TITR", "middle  corridor", "titr", "Trans-Caspian route",
                                           "MIDDLE CORRIDOR", " TITR "]) == ["TITR", "Trans-Caspian route"]
    assert other_names("Baku", []) == []
    assert other_names("North-South Transport Corridor", ["North-South", "North\u2013South", "INSTC"]) == [
        "North-South", "INSTC"]  # an en dash is the same name
    assert other_names("Baku", ["", "baku"]) == []
    # a name with its short form in brackets, both already listed, is shown once
    assert other_names("Middle Corridor", ["TITR", "Trans-Caspian International Transport Route",
                                           "Trans-Caspian International Transport Route (TITR)"]) == [
        "TITR", "Trans-Caspian International Transport Route"]
    # ... but not when one part is new to the card
    assert other_names("Middle Corridor", ["Trans-Caspian International Transport Route (TITR)"]) == [
        "Trans-Caspian International Transport Route (TITR)"]


def test_card_aliases_of_the_seeds_never_repeat_the_name(seed_atlas):
    for cid in seed_atlas.corridors["id"]:
        card = seed_atlas.card("corridor", cid)
        names = [str(card["name"]), *other_names(str(card["name"]), card["aliases"])]
        assert len({n.casefold() for n in names}) == len(names), names
    for pid in seed_atlas.places["place_id"]:
        name = str(seed_atlas.card("place", pid)["name"]).casefold()
        aliases = place_aliases(seed_atlas, pid)
        assert name not in {a.casefold() for a in aliases}
        assert len({a.casefold() for a in aliases}) == len(aliases)
        surface = set(seed_atlas.mentions.loc[seed_atlas.mentions["place_id"] == pid, "name"])
        assert set(aliases) <= surface  # only names the documents use

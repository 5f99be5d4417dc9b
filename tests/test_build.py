"""The build pipeline (geo.build): real corpus, real geoparser, real outputs on disk."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pyogrio
import pytest

import geo.build as build_mod
from geo.build import BuildDocuments, BuildError, build, geocode_distinct, load_build, load_build_tables

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _synthetic(n: int, out: Path) -> Path:
    spec = importlib.util.spec_from_file_location("make_synthetic_corpus", ROOT / "scripts" / "make_synthetic_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.write_corpus(n, out)


@pytest.fixture(scope="module")
def corpus40(tmp_path_factory) -> Path:
    return _synthetic(40, tmp_path_factory.mktemp("syn") / "c40.jsonl")


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed-build")
    # An explicit (absent) corrections file: a module fixture is set up before conftest points
    # CORRIDOR_ATLAS_CORRECTIONS away from the user's store.
    report = build([SEEDS], out, workers=1, corrections=out.parent / "no-corrections.json")
    assert report.documents == 5 and report.parsed == 5 and not report.errors, report.errors
    return out


def _table(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame without geometry, comparable with equals()."""
    cols = [c for c in frame.columns if c != "geometry"]
    return pd.DataFrame(frame[cols]).reset_index(drop=True)


def test_seed_build_loads_as_the_atlas_build_atlas_makes(seed_build, seed_atlas, monkeypatch):
    texts_read: list[str] = []
    read_text = BuildDocuments.text
    monkeypatch.setattr(BuildDocuments, "text", lambda self, doc_id: texts_read.append(doc_id) or read_text(self, doc_id))
    loaded = load_build(seed_build)
    # Layers the build stored (excerpts, capacities, corridor counts and sources) equal what
    # build_atlas derives from the corpus.
    for name in ("mentions", "places", "corridors", "segments"):
        pd.testing.assert_frame_equal(_table(getattr(loaded, name)), _table(getattr(seed_atlas, name)), obj=name)
    for name in ("excerpts", "capacities"):
        expected = getattr(seed_atlas, name).reset_index(drop=True)
        # a loaded build's excerpt texts are categorical (memory); the values must be the same
        got = getattr(loaded, name).reset_index(drop=True).astype(expected.dtypes.to_dict())
        pd.testing.assert_frame_equal(got, expected, obj=name)
    assert [d.to_dict() for d in loaded.drafts] == [d.to_dict() for d in seed_atlas.drafts]
    assert len(loaded.mentions) > 20 and len(loaded.excerpts) > 20 and (loaded.corridors["mention_count"] > 0).any()
    for kind, ident in (("corridor", "middle-corridor"), ("place", seed_atlas.places["place_id"].iloc[0])):
        assert loaded.card(kind, ident) == seed_atlas.card(kind, ident)
        assert loaded.excerpts_for(kind, ident) == seed_atlas.excerpts_for(kind, ident)
    # Documents: metadata in memory, a text read from the build only when asked for.
    assert sorted(loaded.documents) == sorted(seed_atlas.documents)
    assert {d: (x.title, x.date, x.source) for d, x in loaded.documents.items()} == {
        d: (x.title, x.date, x.source) for d, x in seed_atlas.documents.items()}
    assert texts_read == []
    for doc_id, doc in seed_atlas.documents.items():
        got = loaded.documents[doc_id]
        assert (got.text, got.title, got.date, got.source, got.paragraphs, got.sentences) == (
            doc.text, doc.title, doc.date, doc.source, doc.paragraphs, doc.sentences)
        assert got.sentence_at(doc.sentences[-1].start) == doc.sentences[-1]
    assert sorted(texts_read) == sorted(seed_atlas.documents)
    assert loaded.documents.get("no-such-document") is None and "no-such-document" not in loaded.documents


def test_outputs_are_geoparquet_geopackage_and_a_manifest(seed_build):
    manifest = json.loads((seed_build / "manifest.json").read_text())
    run = seed_build / manifest["run"]
    for part in [*run.glob("mentions/part-*.parquet"), run / "places.parquet", run / "corridors.parquet"]:
        geo_meta = json.loads(pq.read_schema(part).metadata[b"geo"])
        assert geo_meta["primary_column"] == "geometry"
    tables = load_build_tables(seed_build)
    layers = dict(pyogrio.list_layers(run / "atlas.gpkg"))
    assert {"mentions", "places", "corridors", "segments"} <= set(layers)
    assert pyogrio.read_info(run / "atlas.gpkg", layer="mentions")["features"] == len(tables["mentions"])
    assert pyogrio.read_info(run / "atlas.gpkg", layer="places")["features"] == len(tables["places"])
    # Points are (lon, lat) in EPSG:4326.
    m = tables["mentions"]
    assert m.crs.to_epsg() == 4326
    assert (m.geometry.x == m["lon"]).all() and (m.geometry.y == m["lat"]).all()
    # The manifest maps each document id to the sha256 of its text, with counts.
    for doc_id, text in zip(tables["documents"]["doc_id"], tables["documents"]["text"]):
        entry = manifest["documents"][doc_id]
        assert entry["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert entry["mentions"] == int((m["doc_id"] == doc_id).sum())
    assert manifest["counts"]["documents"] == 5
    assert manifest["counts"]["mentions"] == len(m)
    # Nothing half-written is left beside the run.
    assert not list((seed_build / "runs").glob(".partial-*"))


def test_rebuild_parses_only_the_documents_that_changed(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    out = tmp_path / "out"
    first = build([corpus], out, workers=1)
    assert (first.parsed, first.reused) == (5, 0)

    files = sorted(corpus.glob("*.txt"))
    files[0].write_text(files[0].read_text() + "\n\nA new ferry line links Aktau and Alat.\n")
    files[1].unlink()
    (corpus / "new.txt").write_text("Trains from Kars reached Tbilisi and then Baku on the BTK line.\n")
    second = build([corpus], out, workers=1)
    assert (second.documents, second.parsed, second.reused) == (5, 2, 3)
    assert list((out / "runs").iterdir()) == [second.run_dir]  # the previous run was replaced

    fresh = build([corpus], tmp_path / "fresh", workers=1)
    assert fresh.parsed == 5
    a, b = load_build_tables(out), load_build_tables(tmp_path / "fresh")
    pd.testing.assert_frame_equal(_table(a["mentions"]), _table(b["mentions"]))
    pd.testing.assert_frame_equal(_table(a["places"]), _table(b["places"]))
    assert "Aktau" in set(a["mentions"][a["mentions"]["doc_id"] == files[0].stem]["name"])
    assert {d: v["sha256"] for d, v in a["manifest"]["documents"].items()} == {
        d: v["sha256"] for d, v in b["manifest"]["documents"].items()}


def test_mentions_are_split_into_parts_without_changing_them(tmp_path, corpus40):
    whole = build([corpus40], tmp_path / "whole", workers=1, gpkg=False)
    split = build([corpus40], tmp_path / "split", workers=1, gpkg=False, mentions_per_part=100)
    parts = sorted((split.run_dir / "mentions").glob("part-*.parquet"))
    assert len(parts) == -(-whole.mentions // 100) > 2
    assert all(len(gpd.read_parquet(p)) <= 100 for p in parts)
    a, b = load_build_tables(tmp_path / "whole"), load_build_tables(tmp_path / "split")
    pd.testing.assert_frame_equal(_table(a["mentions"]), _table(b["mentions"]))


def test_local_and_dask_engines_give_identical_outputs(tmp_path, corpus40):
    local = build([corpus40], tmp_path / "local", engine="local", workers=2, chunk_size=4, gpkg=False)
    dask = build([corpus40], tmp_path / "dask", engine="dask", workers=2, chunk_size=4, gpkg=False)
    assert local.documents == dask.documents == 40
    assert local.parsed == dask.parsed == 40
    a, b = load_build_tables(tmp_path / "local"), load_build_tables(tmp_path / "dask")
    assert len(a["mentions"]) > 200
    for name in ("documents", "mentions", "places"):
        pd.testing.assert_frame_equal(_table(a[name]), _table(b[name]))
    assert a["manifest"]["documents"] == b["manifest"]["documents"]


def test_dask_engine_runs_against_a_given_scheduler(tmp_path, corpus40):
    """--scheduler ADDRESS: the same build on a cluster the build did not start (here a local one)."""
    import logging

    from distributed import LocalCluster

    local = build([corpus40], tmp_path / "local", workers=1, gpkg=False)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR) as cluster:
        remote = build([corpus40], tmp_path / "remote", engine="dask", scheduler=cluster.scheduler_address,
                       chunk_size=8, gpkg=False)
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
    assert (remote.documents, remote.parsed) == (40, 40)
    a, b = load_build_tables(tmp_path / "local"), load_build_tables(tmp_path / "remote")
    pd.testing.assert_frame_equal(_table(a["mentions"]), _table(b["mentions"]))


def test_cli_build_prints_a_summary(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "geo", "build", str(SEEDS), "--out", str(out), "--workers", "1"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "built 5 documents (5 parsed, 0 from cache)" in proc.stdout
    assert (out / "manifest.json").exists()
    again = subprocess.run([sys.executable, "-m", "geo", "build", str(SEEDS), "--out", str(out), "--workers", "1"],
                           capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert again.returncode == 0 and "(0 parsed, 5 from cache)" in again.stdout


def test_export_reads_a_build_directory_without_reparsing(seed_build, tmp_path):
    """`corridor-atlas export --corpus DIR` on a build gives the same GeoJSON as on the corpus itself."""
    outs = []
    for corpus in (seed_build, SEEDS):
        out = tmp_path / f"{corpus.name}.geojson"
        proc = subprocess.run([sys.executable, "-m", "geo", "export", "--corpus", str(corpus), "--out", str(out)],
                              capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert proc.returncode == 0, proc.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    features = json.loads(outs[0])["features"]
    assert len(features) > 20
    # The corridors layer comes from the build's own corridors table: counts, sources and capacities included.
    corridors = [f["properties"] for f in features if f["properties"]["layer"] == "corridors"]
    assert corridors and all({"mention_count", "doc_count", "sources", "capacities"} <= set(p) for p in corridors)
    assert any(p["sources"] and p["mention_count"] >= len(p["sources"]) for p in corridors)
    assert all(set(src) == {"doc", "date", "start", "end", "quote"} for p in corridors for src in p["sources"])


def test_online_geocoding_hook_asks_once_per_distinct_name(tmp_path):
    """The hook's contract, with the real offline geopy geocoder (no network in tests)."""
    from geo.geocode import OfflineGeocoder

    class Counting(OfflineGeocoder):
        def __init__(self):
            super().__init__()
            self.calls: list[str] = []

        def geocode(self, query, **kwargs):
            self.calls.append(query)
            return super().geocode(query, **kwargs)

    g = Counting()
    answers = geocode_distinct(["Aktau", "Baku", "Aktau", "Qwxzyville", "Baku"], g)
    assert g.calls == ["Aktau", "Baku", "Qwxzyville"]
    assert answers["Qwxzyville"] is None
    assert abs(answers["Baku"].latitude - 40.4) < 0.3 and abs(answers["Baku"].longitude - 49.9) < 0.3
    # Wired into the build, off by default; when on, the build says what it looked up.
    default = build([SEEDS], tmp_path / "off", workers=1, gpkg=False)
    assert not any("online geocoding" in w for w in default.warnings)
    report = build([SEEDS], tmp_path / "on", workers=1, gpkg=False, online_geocoder=g)
    assert any(w.startswith("online geocoding:") for w in report.warnings)
    looked_up = g.calls[3:]
    assert len(looked_up) == len(set(looked_up))  # each distinct name once, whatever the parser reports
    assert report.mentions >= default.mentions


class _FakeParser:
    """The real geoparser's places, plus names it 'could not place' (Geoparser.unresolved's contract);
    records every call with the process it ran in."""

    UNKNOWN = re.compile(r"\b(?:Qwxzyport|Zyxville)\b")

    def __init__(self, events: list):
        from geo.geoparse import Geoparser

        self.real = Geoparser()
        self.gazetteer = self.real.gazetteer
        self.events = events

    def parse(self, text):
        self.events.append(("parse", os.getpid()))
        return self.real.parse(text)

    def unresolved(self, text):
        self.events.append(("unresolved", os.getpid()))
        return [(m.start(), m.end()) for m in self.UNKNOWN.finditer(text)]


class _FakeService:
    """A geopy-like online service: knows Qwxzyport only. Never the network."""

    def __init__(self, events: list):
        self.events = events
        self.calls: list[str] = []

    def geocode(self, query, exactly_one=True, **kwargs):
        from geopy.location import Location

        self.calls.append(query)
        self.events.append(("geocode", os.getpid()))
        return Location("Qwxzyport, Nowhere", (40.0, 50.0), {}) if query == "Qwxzyport" else None


def test_online_geocoding_looks_up_each_unresolved_name_once_after_parsing(tmp_path, monkeypatch):
    from geo.build import online_place_id
    from geo.geocode import CachingGeocoder

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = {
        "a": "The ferry from Baku reached the port of Qwxzyport on Monday.\n\nQwxzyport handled more cargo.\n",
        "b": "Officials from Zyxville met the Qwxzyport port authority in Tbilisi.\n",
        "c": "Trains from Kars reached Tbilisi and then Baku.\n",
    }
    for name, text in texts.items():
        (corpus / f"{name}.txt").write_text(text)
    events: list = []
    monkeypatch.setitem(build_mod._WORKER_PARSERS, None, _FakeParser(events))  # workers=1: parsed in this process
    service = _FakeService(events)
    online = CachingGeocoder(service, tmp_path / "geocode-cache.json", min_delay_seconds=0)
    out, none = tmp_path / "out", tmp_path / "no-corrections.json"

    report = build([corpus], out, workers=1, gpkg=False, online_geocoder=online, corrections=none)
    assert service.calls == ["Qwxzyport", "Zyxville"]  # once per distinct name, though Qwxzyport occurs 3 times
    kinds = [k for k, _ in events]
    assert max(i for i, k in enumerate(kinds) if k in ("parse", "unresolved")) < kinds.index("geocode")
    assert {pid for _, pid in events} == {os.getpid()}  # one step, in the main process
    assert "online geocoding: 2 distinct names looked up, 1 placed" in report.warnings

    atlas = load_build(out)
    pid = online_place_id("Qwxzyport")
    found = atlas.mentions[atlas.mentions["place_id"] == pid]
    assert sorted(found["doc_id"]) == ["a", "a", "b"]
    for r in found.itertuples():
        assert texts[r.doc_id][r.start : r.end] == r.name == "Qwxzyport" and (r.lat, r.lon) == (40.0, 50.0)
    assert not atlas.mentions["name"].eq("Zyxville").any()
    place = atlas.card("place", pid)
    assert (place["mention_count"], place["doc_count"]) == (3, 2)
    quotes = [e.quote for e in atlas.excerpts_for("place", pid)]
    assert len(quotes) == 3 and all("Qwxzyport" in q for q in quotes)
    assert {"Baku", "Tbilisi", "Kars"} <= set(atlas.mentions["name"])  # the gazetteer's places are still there
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["documents"]["a"]["mentions"] == int((atlas.mentions["doc_id"] == "a").sum())

    # Again: nothing parsed, nothing asked (the geocoder's cache answers), the same layers.
    events.clear()
    again = build([corpus], out, workers=1, gpkg=False, online_geocoder=online, corrections=none)
    assert (again.parsed, service.calls) == (0, ["Qwxzyport", "Zyxville"])
    assert not [k for k, _ in events if k != "geocode"]
    pd.testing.assert_frame_equal(_table(load_build(out).mentions), _table(atlas.mentions))

    # Offline, the same cache serves (no parse) and no online place appears.
    offline = build([corpus], out, workers=1, gpkg=False, corrections=none)
    assert offline.parsed == 0 and not any("online" in w for w in offline.warnings)
    assert not load_build(out).mentions["place_id"].str.startswith("online:").any()
    # An offline build does not look for unresolved names; an online build after it must.
    events.clear()
    build([corpus], tmp_path / "fresh", workers=1, gpkg=False, corrections=none)
    assert "unresolved" not in [k for k, _ in events]
    fresh = build([corpus], tmp_path / "fresh", workers=1, gpkg=False, online_geocoder=online, corrections=none)
    assert fresh.parsed == 3 and [k for k, _ in events].count("unresolved") == 3


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_network_is_blocked_except_localhost():
    """The suite runs offline: pytest-socket (pyproject addopts) refuses non-local connections."""
    from pytest_socket import SocketConnectBlockedError

    # TEST-NET-1 addresses (RFC 5737) are never routed: the test cannot reach or depend on anything outside.
    for port in (80, 443):
        with pytest.raises(SocketConnectBlockedError):
            socket.create_connection(("192.0.2.1", port), timeout=1)

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    accepted = threading.Thread(target=lambda: server.accept()[0].close())
    accepted.start()
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    accepted.join(5)
    server.close()

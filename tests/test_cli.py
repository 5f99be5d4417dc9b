"""The corridor-atlas command line, run as a real subprocess on the seeds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def lines(stdout: str) -> list[dict]:
    return [json.loads(x) for x in stdout.splitlines() if x.strip()]


def test_geoparse_seeds_prints_one_json_line_per_document():
    r = run("geoparse", str(SEEDS))
    assert r.returncode == 0, r.stderr
    out = lines(r.stdout)
    assert [o["id"] for o in out] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    for o in out:
        text = (SEEDS / f"{o['id']}.txt").read_text(encoding="utf-8-sig")
        assert o["places"], o["id"]
        for p in o["places"]:
            assert set(p) >= {"start", "end", "name", "lat", "lon", "kind", "country", "gazetteer_id", "score"}
            assert p["name"] == text[p["start"] : p["end"]]
            assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180
    baku = [p for o in out for p in o["places"] if p["name"] == "Baku"]
    assert baku and all(abs(p["lat"] - 40.4) < 0.3 and abs(p["lon"] - 49.9) < 0.3 for p in baku)


def test_geoparse_jsonl_and_unreadable_inputs(tmp_path):
    jl = tmp_path / "docs.jsonl"
    jl.write_text(json.dumps({"id": "a1", "text": "Trains run from Baku to Tbilisi."}) + "\n", encoding="utf-8")
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\xff\xfe\x00\x00binary")
    r = run("geoparse", str(jl), str(bad), str(tmp_path / "missing.txt"))
    assert r.returncode == 1
    assert "broken.txt" in r.stderr and "missing.txt" in r.stderr
    [o] = lines(r.stdout)
    assert o["id"] == "a1"
    assert [p["name"] for p in o["places"]] == ["Baku", "Tbilisi"]


def test_geoparse_does_not_import_the_heavy_stack():
    code = ("import sys, io, contextlib\nfrom geo.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    rc = main(['geoparse', {str(SEEDS / '000_609c254c3a3bbe6f.txt')!r}])\n"
            "heavy = sorted(m for m in ('geopandas', 'folium', 'streamlit', 'shapely', 'pandas') if m in sys.modules)\n"
            "print(rc, heavy)")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == "0 []", r.stdout + r.stderr


def test_resolve_resolves_exactly_the_given_spans(tmp_path):
    text = "The delegation flew from Astana to Baku, then drove on."
    spans = [{"start": text.index("Astana"), "end": text.index("Astana") + 6},
             {"start": text.index("Baku"), "end": text.index("Baku") + 4}]
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"id": "r1", "text": text, "toponyms": spans}) + "\n"
                 + "not json\n", encoding="utf-8")
    r = run("resolve", str(f))
    assert r.returncode == 1 and "in.jsonl:2" in r.stderr
    [o] = lines(r.stdout)
    assert o["id"] == "r1"
    assert [(p["start"], p["end"], p["name"]) for p in o["places"]] == [
        (s["start"], s["end"], text[s["start"] : s["end"]]) for s in spans]
    assert [p["country"] for p in o["places"]] == ["KZ", "AZ"]


def test_export_corridors_layer(tmp_path):
    out = tmp_path / "c.geojson"
    r = run("export", "--layer", "corridors", "--out", str(out))
    assert r.returncode == 0, r.stderr
    fc = json.loads(out.read_text(encoding="utf-8"))
    from geo.corridors import load_corridors

    ids = {f["id"] for f in fc["features"]}
    assert ids == {d.id for d in load_corridors()}
    assert {f["properties"]["layer"] for f in fc["features"]} == {"corridors"}
    for f in fc["features"]:
        assert f"{f['id']}\tmentions={f['properties']['mention_count']}" in r.stdout


def test_export_formats_from_suffix(tmp_path):
    r = run("export", "--out", str(tmp_path / "m.csv"), "--layer", "mentions")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "m.csv").read_text(encoding="utf-8").startswith("mention_id,doc_id,start,end,name")
    r = run("export", "--out", str(tmp_path / "x.unknown"))
    assert r.returncode == 2 and "x.unknown" in r.stderr


def test_export_bad_corpus_names_the_file(tmp_path):
    r = run("export", "--corpus", str(tmp_path / "nope"), "--out", str(tmp_path / "c.geojson"))
    assert r.returncode != 0 and "nope" in r.stderr
    assert not (tmp_path / "c.geojson").exists()


def test_map_writes_a_standalone_html(tmp_path):
    out = tmp_path / "x.html"
    r = run("map", "--out", str(out))
    assert r.returncode == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and "leaflet" in html.lower()


def test_unknown_command_fails():
    r = run("frobnicate")
    assert r.returncode != 0 and "frobnicate" in r.stderr


def test_broken_corridor_definition_is_named_with_its_line(tmp_path):
    bad = tmp_path / "corridors"
    bad.mkdir()
    (bad / "broken.yaml").write_text("id: broken\nname: [\n", encoding="utf-8")
    r = run("export", "--corridors", str(bad), "--out", str(tmp_path / "c.geojson"))
    assert r.returncode == 2
    assert "broken.yaml:" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "c.geojson").exists()

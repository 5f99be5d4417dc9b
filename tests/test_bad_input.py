"""Bad input through the real build: each problem is named (file + reason) and the rest is built."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.build import BLOCK_CHARS, BuildError, BuildLockedError, build, load_build, load_build_tables
from geo.corpus import MAX_DOCUMENT_BYTES

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORRIDORS = ROOT / "data" / "corridors"


def _synthetic_module():
    spec = importlib.util.spec_from_file_location("make_synthetic_corpus", ROOT / "scripts" / "make_synthetic_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _cli(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "build", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("bad")
    (d / "good.txt").write_text("Container trains from Aktau reach Baku before continuing to Tbilisi.\n")
    (d / "empty.txt").write_text("")
    (d / "blob.txt").write_bytes(b"\x00\x01\x02\x03binary\xff\xfe" * 100)
    (d / "ru.txt").write_bytes("Поезд из Москвы прибыл в Баку через порт Астрахань.".encode("cp1251"))
    (d / "fr.txt").write_bytes("Café owners in Baku said the train from Tbilisi was très rapide.".encode("latin-1"))
    (d / "page.html").write_text(
        "<html><head><title>Ferry news</title><script>alert('Tehran')</script></head><body>"
        "<p>The ferry left Aktau for Alat.</p><script>document.write('Moscow')</script>"
        "<style>.x{content:'Kars'}</style><p>Cargo then went on to Tbilisi.</p></body></html>")
    # 50 MB of real text: refused by size before it is read.
    line = "Trains from Aktau reach Baku and Tbilisi every day.\n".encode()
    with (d / "huge.txt").open("wb") as fh:
        for _ in range(50_000_000 // len(line) + 1):
            fh.write(line)
    (d / "lines.jsonl").write_bytes(
        b'{"id": "j1", "text": "Trucks wait at the border near Astara."}\n'
        b'{"id": "j2", "text": broken json}\n'
        + '{"id": "j3", "text": "Москва"}\n'.encode("cp1251")
        + b'{"id": "j4", "title": "no text"}\n'
        b'{"id": "j5", "text": "A new port opened in Kuryk."}\n')
    return d


@pytest.fixture(scope="module")
def bad_build(bad_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("bad-out")
    return build([bad_corpus], out, workers=1), out


def test_bad_files_are_named_and_the_rest_is_built(bad_build, bad_corpus):
    report, out = bad_build
    errors = {Path(e.path).name: e.reason for e in report.errors}
    assert "empty" in errors["empty.txt"]
    assert "binary" in errors["blob.txt"]
    assert "MB" in errors["huge.txt"] and "limit" in errors["huge.txt"]
    assert (bad_corpus / "huge.txt").stat().st_size > 50_000_000 > MAX_DOCUMENT_BYTES
    assert "invalid JSON" in errors["lines.jsonl:2"]
    assert "UTF-8" in errors["lines.jsonl:3"]
    assert "'text'" in errors["lines.jsonl:4"]
    assert len(report.errors) == 6

    tables = load_build_tables(out)
    docs = dict(zip(tables["documents"]["doc_id"], tables["documents"]["text"]))
    assert sorted(docs) == ["fr", "good", "j1", "j5", "page", "ru"]
    assert report.documents == 6
    names = {d: set(g["name"]) for d, g in tables["mentions"].groupby("doc_id")}
    assert {"Aktau", "Baku", "Tbilisi"} <= names["good"]
    assert docs["j5"] == "A new port opened in Kuryk."  # the line after the bad ones was read
    # The manifest carries the same errors, by file.
    assert {Path(e["path"]).name for e in tables["manifest"]["errors"]} == set(errors)


def test_legacy_encodings_are_decoded_with_a_warning(bad_build):
    report, out = bad_build
    warnings = "\n".join(report.warnings)
    assert "ru.txt: not UTF-8; decoded as cp1251" in warnings
    assert "fr.txt: not UTF-8; decoded as cp1252" in warnings
    docs = dict(zip(*[load_build_tables(out)["documents"][c] for c in ("doc_id", "text")]))
    assert docs["ru"] == "Поезд из Москвы прибыл в Баку через порт Астрахань."
    assert docs["fr"] == "Café owners in Baku said the train from Tbilisi was très rapide."
    mentions = load_build_tables(out)["mentions"]
    assert {"Baku", "Tbilisi"} <= set(mentions[mentions["doc_id"] == "fr"]["name"])


def test_html_scripts_and_styles_are_dropped(bad_build):
    report, out = bad_build
    tables = load_build_tables(out)
    row = tables["documents"][tables["documents"]["doc_id"] == "page"].iloc[0]
    assert row["title"] == "Ferry news"
    assert row["text"] == "The ferry left Aktau for Alat.\n\nCargo then went on to Tbilisi."
    names = set(tables["mentions"][tables["mentions"]["doc_id"] == "page"]["name"])
    assert "Aktau" in names and "Tbilisi" in names
    assert not names & {"Tehran", "Moscow", "Kars"}  # names inside <script>/<style> never count


def test_cli_prints_each_problem_with_its_file(bad_corpus, tmp_path):
    proc = _cli(str(bad_corpus), "--out", str(tmp_path / "out"), "--workers", "1", "--no-gpkg")
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    assert f"skipped: {bad_corpus / 'empty.txt'}: empty document" in err
    assert f"skipped: {bad_corpus / 'blob.txt'}: binary file" in err
    assert f"skipped: {bad_corpus / 'huge.txt'}: file is " in err
    assert f"skipped: {bad_corpus / 'lines.jsonl'}:2: invalid JSON" in err
    assert f"warning: {bad_corpus / 'ru.txt'}: not UTF-8; decoded as cp1251" in err
    assert "built 6 documents" in proc.stdout


@pytest.mark.slow
def test_a_document_naming_10000_places_is_built_in_bounded_time(tmp_path):
    names = _synthetic_module().place_names()
    text = " ".join(f"The train stopped at {names[i % len(names)]}." for i in range(10_000))
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "gazetteer-dump.txt").write_text(text)
    (tmp_path / "corpus" / "short.txt").write_text("Ships sail from Aktau to Baku.")
    started = time.perf_counter()
    report = build([tmp_path / "corpus"], tmp_path / "out", workers=1, gpkg=False)
    assert time.perf_counter() - started < 240  # ~20 s on a loaded 2-core machine; minutes before blocks
    assert report.documents == 2 and not report.errors
    assert report.mentions > 8000
    assert any("gazetteer-dump.txt" in w and "blocks" in w for w in report.warnings)
    m = load_build_tables(tmp_path / "out")["mentions"]
    big = m[m["doc_id"] == "gazetteer-dump"]
    assert all(text[s:e] == n for s, e, n in zip(big["start"], big["end"], big["name"]))
    assert big["start"].max() > len(text) - BLOCK_CHARS  # the last block was parsed too


def _corridors_with(tmp_path: Path, name: str, body: str) -> Path:
    folder = tmp_path / "corridors"
    shutil.copytree(CORRIDORS, folder)
    (folder / name).write_text(body)
    return folder


def test_corridor_syntax_error_names_file_and_line(tmp_path):
    folder = _corridors_with(tmp_path, "broken.yaml", "id: broken\nname: Broken\naliases: [a, b\nkind: rail\n")
    report = build([SEEDS], tmp_path / "out", workers=1, corridors_dir=folder, gpkg=False)
    msgs = [str(e) for e in report.errors]
    assert len(msgs) == 1 and f"{folder / 'broken.yaml'}:" in msgs[0] and "YAML syntax error" in msgs[0], msgs
    line = int(msgs[0].split("broken.yaml:")[1].split(":")[0])
    assert 3 <= line <= 5
    assert report.documents == 5 and report.mentions > 20
    assert report.corridors == len(list(CORRIDORS.glob("*.yaml")))  # the valid definitions still load
    atlas = load_build(tmp_path / "out")
    assert "broken" not in set(atlas.corridors["id"]) and len(atlas.corridors) == report.corridors


def test_corridor_unknown_waypoint_names_file_and_line(tmp_path):
    body = (CORRIDORS / "zangezur.yaml").read_text()
    assert "waypoints:" in body
    first_wp = body.index("- {name:", body.index("waypoints:"))
    bad = body[:first_wp] + "- {name: Atlantis, place: Atlantis}\n      " + body[first_wp:]
    folder = tmp_path / "corridors"
    shutil.copytree(CORRIDORS, folder)
    (folder / "zangezur.yaml").write_text(bad)
    report = build([SEEDS], tmp_path / "out", workers=1, corridors_dir=folder, gpkg=False)
    msgs = [str(e) for e in report.errors]
    expected_line = bad[:first_wp].count("\n") + 1
    assert msgs == [f"{folder / 'zangezur.yaml'}:{expected_line}: " + report.errors[0].reason], msgs
    assert "unknown waypoint 'Atlantis'" in msgs[0]
    assert report.documents == 5 and report.corridors == len(list(CORRIDORS.glob("*.yaml"))) - 1


def test_corrupt_or_missing_cache_is_rebuilt_with_a_message(tmp_path):
    out = tmp_path / "out"
    first = build([SEEDS], out, workers=1, gpkg=False)
    cache = out / "cache" / "results.sqlite"
    cache.write_bytes(b"this is not a database" * 100)
    second = build([SEEDS], out, workers=1, gpkg=False)
    assert any("results.sqlite: cache is corrupt" in w and "rebuilding" in w for w in second.warnings)
    assert second.parsed == 5 and second.mentions == first.mentions
    shutil.rmtree(out / "cache")
    third = build([SEEDS], out, workers=1, gpkg=False)
    assert third.parsed == 5 and third.mentions == first.mentions
    fourth = build([SEEDS], out, workers=1, gpkg=False)
    assert (fourth.parsed, fourth.reused) == (0, 5)


def test_corrupt_manifest_is_reported_and_a_new_build_replaces_it(tmp_path):
    out = tmp_path / "out"
    build([SEEDS], out, workers=1, gpkg=False)
    (out / "manifest.json").write_text("{ truncated")
    with pytest.raises(BuildError, match="manifest.json: unreadable manifest"):
        load_build_tables(out)
    report = build([SEEDS], out, workers=1, gpkg=False)
    assert report.reused == 5  # the per-document cache survived
    assert load_build_tables(out)["manifest"]["build_id"] == report.build_id
    assert list((out / "runs").iterdir()) == [report.run_dir]  # the run orphaned by the bad manifest is gone


@pytest.mark.slow
def test_corrupt_gazetteer_index_is_rebuilt_through_the_build(tmp_path):
    """The compiled gazetteer index is a cache too: a corrupt one is rebuilt, with a message."""
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    from geo.gazetteer import default_index_path  # noqa: PLC0415 (the gazetteer stage decides the name)

    real = default_index_path()
    (cache_dir / real.name).write_bytes(b"\x00garbage, not SQLite" * 1000)
    proc = _cli(str(SEEDS), "--out", str(tmp_path / "out"), "--workers", "1", "--no-gpkg",
                env={"CORRIDOR_ATLAS_CACHE": str(cache_dir)}, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "gazetteer index" in proc.stderr and "rebuilding" in proc.stderr
    assert "built 5 documents" in proc.stdout


def _start_long_build(corpus: Path, out: Path) -> subprocess.Popen:
    """A build that runs for a while: one process, small part files, its own process group."""
    return subprocess.Popen(
        [sys.executable, "-m", "geo", "build", str(corpus), "--out", str(out), "--workers", "1",
         "--mentions-per-part", "200", "--no-progress"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _wait_for_parts(out: Path, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if list(out.glob("runs/.partial-*/mentions/part-00001.parquet")):
            return
        if proc.poll() is not None:
            raise AssertionError(f"build ended early: {proc.stderr.read()}")
        time.sleep(0.05)
    raise AssertionError("no part file appeared")


@pytest.fixture(scope="module")
def corpus_3000(tmp_path_factory) -> Path:
    return _synthetic_module().write_corpus(3000, tmp_path_factory.mktemp("syn3000") / "c3000.jsonl")


def test_an_interrupted_build_leaves_the_previous_one_intact(tmp_path, corpus_3000):
    out = tmp_path / "out"
    before = build([SEEDS], out, workers=1)
    manifest_before = (out / "manifest.json").read_bytes()
    proc = _start_long_build(corpus_3000, out)
    try:
        _wait_for_parts(out, proc)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # our own child's group: no cleanup code runs
        proc.wait(30)
    assert list(out.glob("runs/.partial-*"))  # it was killed mid-write ...
    assert (out / "manifest.json").read_bytes() == manifest_before  # ... and readers still see the old build
    tables = load_build_tables(out)
    assert tables["manifest"]["build_id"] == before.build_id and len(tables["documents"]) == 5
    assert len(load_build(out).documents) == 5

    messages: list[str] = []
    again = build([SEEDS], out, workers=1, log=messages.append)
    assert any("remains of an interrupted build" in m for m in messages)
    assert not list(out.glob("runs/.partial-*"))
    assert again.reused == 5 and again.mentions == before.mentions


def test_a_second_build_into_the_same_directory_fails_at_once(tmp_path, corpus_3000):
    out = tmp_path / "out"
    proc = _start_long_build(corpus_3000, out)
    try:
        _wait_for_parts(out, proc)
        started = time.perf_counter()
        with pytest.raises(BuildLockedError, match="another build is writing to this directory"):
            build([SEEDS], out, workers=1)
        assert time.perf_counter() - started < 5
        second = _cli(str(SEEDS), "--out", str(out), "--workers", "1")
        assert second.returncode == 3
        assert f"error: {out}: another build is writing to this directory" in second.stderr
        assert proc.poll() is None  # the first build is unharmed
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
    # Once the holder is gone (even killed), the lock is free again.
    assert build([SEEDS], out, workers=1, gpkg=False).documents == 5

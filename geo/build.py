"""Build a corpus into a directory of GeoParquet/GeoPackage layers, incrementally and in parallel.

``corridor-atlas build CORPUS... --out DIR`` streams documents (never the whole corpus in
memory), geoparses the ones whose content changed since the last build (per-document results
are cached by content sha256 in ``DIR/cache/results.sqlite``), and writes a new *run*::

    DIR/manifest.json                 which run is current; doc id -> sha256, counts, errors
    DIR/runs/<build_id>/documents/part-*.parquet   document text and metadata
    DIR/runs/<build_id>/mentions/part-*.parquet    one point per place mention (GeoParquet)
    DIR/runs/<build_id>/places.parquet, corridors.parquet, segments.parquet (GeoParquet)
    DIR/runs/<build_id>/atlas.gpkg                 the same layers as one GeoPackage

A run is written into ``runs/.partial-<build_id>`` and renamed when complete; the manifest is
replaced atomically last, so a reader never sees a half-written build and an interrupted
build leaves the previous one in place. A lock file makes a second concurrent build into the
same DIR fail at once. Engines: ``local`` (a process pool, gazetteer loaded once per worker)
and ``dask`` (``dask.bag`` on a ``distributed`` cluster); both give identical outputs.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from geo.corpus import (
    MAX_DOCUMENT_BYTES,
    CorpusError,
    Document,
    EncodingError,
    document_from_bytes,
    document_from_text,
    iter_documents,
)
from geo.paths import CORRIDORS_DIR, DATA_DIR, ROOT
from geo.safe import atomic_write_text

__all__ = [
    "BuildError",
    "BuildLockedError",
    "BuildReport",
    "MENTION_COLUMNS",
    "add_build_arguments",
    "build",
    "decode_legacy",
    "geocode_distinct",
    "load_build",
    "load_build_tables",
    "parse_chunk",
    "run_build",
    "text_blocks",
    "valid_corridors",
]

FORMAT = "corridor-atlas-build/1"
# Legacy encodings a corridor news corpus is likely to hold: Russian (Windows, KOI8), Western
# European, Turkish/Azerbaijani. Restricting detection to these keeps short texts from being
# guessed as something exotic (charset-normalizer alone reads Latin-1 French as cp1250).
LEGACY_ENCODINGS = ("cp1251", "cp1252", "koi8_r", "cp1254")


class BuildError(RuntimeError):
    """A build that cannot run (bad output dir, corrupt manifest, engine failure)."""


class BuildLockedError(BuildError):
    """Another build holds the lock on the same output directory."""


@dataclass
class BuildReport:
    out_dir: Path
    build_id: str
    run_dir: Path
    documents: int = 0
    parsed: int = 0  # documents geoparsed in this run
    reused: int = 0  # documents whose cached result was reused
    mentions: int = 0
    places: int = 0
    corridors: int = 0
    errors: list[CorpusError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


# --- worker side: module level so that both engines can pickle it -------------------------

_WORKER_PARSERS: dict[str | None, Any] = {}


def _worker_parser(region: str | None) -> Any:
    """The geoparser of this process, built on first use (once per worker, not per chunk)."""
    parser = _WORKER_PARSERS.get(region)
    if parser is None:
        from geo.geoparse import Geoparser

        parser = _WORKER_PARSERS[region] = Geoparser(region=region)
    return parser


MentionRow = tuple  # (start, end, name, lat, lon, kind, country, gazetteer_id, score)


# The geoparser's resolution weighs every place of a document against the others (superlinear:
# a 300,000-character list of 10,000 places took minutes). Texts longer than LONG_TEXT_CHARS
# (far beyond a news article, so build_atlas and the build agree on normal documents) are
# geoparsed in blocks of at most BLOCK_CHARS cut at line or sentence ends: bounded time per
# block, linear in the document; resolution context is then the block.
LONG_TEXT_CHARS = 20_000
BLOCK_CHARS = 10_000


def text_blocks(text: str, limit: int = BLOCK_CHARS) -> list[tuple[int, int]]:
    """(start, end) spans covering ``text``, each at most ``limit`` long, cut at a line end,
    else a sentence end, else a space (a hard cut only in a text with no space at all)."""
    spans: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > limit:
        lo, hi = start + limit // 2, start + limit
        cut = text.rfind("\n", lo, hi) + 1
        if cut <= 0:
            cut = text.rfind(". ", lo, hi - 1) + 2
        if cut <= 1:
            cut = text.rfind(" ", lo, hi) + 1
        if cut <= 0:
            cut = hi
        spans.append((start, cut))
        start = cut
    spans.append((start, n))
    return spans


def _parse_text(parser: Any, text: str) -> list[Any]:
    if len(text) <= LONG_TEXT_CHARS:
        return list(parser.parse(text))
    found = []
    for s, e in text_blocks(text):
        found += [dataclasses.replace(m, start=m.start + s, end=m.end + s) for m in parser.parse(text[s:e])]
    return found


def _unresolved_spans(parser: Any, text: str) -> list[tuple[int, int]]:
    """Spans the geoparser recognised as place names but could not place, if it can tell us
    (optional ``parser.unresolved(text) -> [(start, end)]``); input for online geocoding."""
    finder = getattr(parser, "unresolved", None)
    if finder is None:
        return []
    blocks = [(0, len(text))] if len(text) <= LONG_TEXT_CHARS else text_blocks(text)
    return [(a + s, b + s) for s, e in blocks for a, b in finder(text[s:e])]


def parse_chunk(chunk: Sequence[tuple[str, str]], region: str | None = None) -> list[tuple[str, list[MentionRow]]]:
    """Geoparse ``(sha256, text)`` pairs; returns ``(sha256, mention rows)`` in the same order.

    Mentions without a gazetteer id are dropped, as in ``build_atlas``. Unresolved names the
    parser reports come as rows with ``gazetteer_id`` None (and no coordinates): cached with
    the rest, used only when online geocoding is on.
    """
    parser = _worker_parser(region)
    out: list[tuple[str, list[MentionRow] | str]] = []
    for sha, text in chunk:
        try:
            found = sorted(_parse_text(parser, text), key=lambda m: (m.start, m.end))
            rows = [
                (m.start, m.end, m.name, float(m.lat), float(m.lon), m.kind, m.country, m.gazetteer_id, float(m.score))
                for m in found if m.gazetteer_id
            ]
            rows += [(s, e, text[s:e], None, None, None, None, None, 0.0) for s, e in _unresolved_spans(parser, text)]
        except Exception as exc:  # one document the parser chokes on must not stop the corpus
            out.append((sha, f"{type(exc).__name__}: {exc}"))
            continue
        out.append((sha, sorted(rows, key=lambda r: (r[0], r[1], r[7] is None))))
    return out


# --- engines --------------------------------------------------------------------------------


class _InlineEngine:
    """One process: the baseline, and what tests use when speed does not matter."""

    def __init__(self, region: str | None):
        self.region = region

    def submit(self, chunks: list[list[tuple[str, str]]]) -> list:
        return [parse_chunk(c, self.region) for c in chunks]

    def gather(self, handle: list) -> list:
        return handle

    def close(self) -> None:
        pass


class _PoolEngine:
    def __init__(self, workers: int, region: str | None):
        self.pool = ProcessPoolExecutor(max_workers=workers)
        self.region = region

    def submit(self, chunks: list[list[tuple[str, str]]]) -> list[Future]:
        return [self.pool.submit(parse_chunk, c, self.region) for c in chunks]

    def gather(self, handle: list[Future]) -> list:
        return [f.result() for f in handle]

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _DaskEngine:
    """dask.bag over chunks on a LocalCluster (processes, one thread each) or a given scheduler."""

    def __init__(self, workers: int, scheduler: str | None, region: str | None):
        import logging

        try:
            import dask.bag as db
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise BuildError(f"--engine dask needs dask and distributed ({exc}); "
                             "install them with: pip install 'corridor-atlas[dask]'") from None

        self._db = db
        self.region = region
        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=30)
            except OSError as exc:
                raise BuildError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        else:
            self.cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR,  # no fixed port to clash
            )
            self.client = Client(self.cluster)

    def submit(self, chunks: list[list[tuple[str, str]]]):
        bag = self._db.from_sequence(chunks, npartitions=len(chunks)).map(parse_chunk, region=self.region)
        # One future per partition, gathered straight from the workers: no final concatenation
        # task, so the results cross process boundaries once.
        return self.client.compute(bag.to_delayed())

    def gather(self, handle) -> list:
        return [chunk for part in self.client.gather(handle) for chunk in part]

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _make_engine(engine: str, workers: int, scheduler: str | None, region: str | None):
    if engine == "dask":
        return _DaskEngine(workers, scheduler, region)
    if engine != "local":
        raise BuildError(f"unknown engine {engine!r} (expected local or dask)")
    return _InlineEngine(region) if workers <= 1 else _PoolEngine(workers, region)


# --- reading: stream documents, retry legacy encodings -------------------------------------


def decode_legacy(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) for non-UTF-8 text in one of LEGACY_ENCODINGS, or None if none fits."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        return None
    return str(best), best.encoding


def _stream_documents(inputs: Sequence[str | Path], warnings: list[str]) -> Iterator[Document | CorpusError]:
    """iter_documents, with files that are not UTF-8 decoded by detected encoding and a warning."""
    for item in iter_documents(inputs):
        if isinstance(item, EncodingError) and Path(item.path).is_file():
            path = Path(item.path)
            data = path.read_bytes()
            decoded = decode_legacy(data) if len(data) <= MAX_DOCUMENT_BYTES else None
            if decoded is None:
                yield item
                continue
            text, encoding = decoded
            warnings.append(f"{path}: not UTF-8; decoded as {encoding} (detected). Re-save it as UTF-8 to be sure.")
            try:
                yield document_from_bytes(text.encode("utf-8"), name=path.name, doc_id=path.stem, path=str(path))
            except CorpusError as exc:
                yield exc
        else:
            yield item


# --- cache of per-document results ----------------------------------------------------------


def pipeline_fingerprint(region: str | None = None) -> str:
    """Changes whenever the code, data or options that decide a document's mentions change."""
    h = hashlib.sha256(f"{FORMAT}|region={region}|blocks={LONG_TEXT_CHARS},{BLOCK_CHARS}".encode())
    sources = [ROOT / "geo" / n for n in ("geoparse.py", "gazetteer.py", "geocode.py")]
    gaz_dir = DATA_DIR / "gazetteer"
    if gaz_dir.is_dir():
        sources += sorted(p for p in gaz_dir.rglob("*") if p.is_file())
    for p in sources:
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


class ResultCache:
    """(pipeline fingerprint, sha256 of a text) -> its mention rows; JSON, never pickle (DIR may be shared).

    SQLite keeps 100,000 entries in one file with transactions, so a killed build never leaves
    it half-written. The fingerprint is part of the key: a build with other options (another
    region) or a new parser version misses instead of wiping what an interrupted or different
    build may still need; ``prune`` after a complete build drops whatever that build did not use.
    A corrupt file is replaced, with a message.
    """

    def __init__(self, path: Path, fingerprint: str, notes: list[str]):
        self.path = path
        self.prefix = fingerprint + ":"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open(fingerprint, notes)
        except sqlite3.DatabaseError as exc:
            notes.append(f"{path}: cache is corrupt ({exc}); rebuilding it")
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            self.db = self._open(fingerprint, notes)

    def _open(self, fingerprint: str, notes: list[str]) -> sqlite3.Connection:
        fresh = not self.path.exists()
        db = sqlite3.connect(self.path)
        try:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS mentions_by_text (key TEXT PRIMARY KEY, rows TEXT NOT NULL)")
            row = db.execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()
            if not fresh and row is not None and row[0] != fingerprint:
                notes.append(f"{self.path}: last used by another parser version or other options; "
                             "documents are parsed again where needed")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
            db.execute("SELECT count(*), max(length(rows)) FROM mentions_by_text").fetchone()  # finds corruption now
            db.commit()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def get_many(self, shas: Iterable[str]) -> dict[str, list[MentionRow]]:
        keys = [self.prefix + s for s in set(shas)]
        found: dict[str, list[MentionRow]] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            q = f"SELECT key, rows FROM mentions_by_text WHERE key IN ({','.join('?' * len(part))})"
            for key, rows in self.db.execute(q, part):
                try:
                    found[key[len(self.prefix):]] = [tuple(r) for r in json.loads(rows)]
                except (ValueError, TypeError):
                    pass  # an unreadable entry is simply parsed again
        return found

    def put_many(self, items: Iterable[tuple[str, list[MentionRow]]]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO mentions_by_text VALUES (?, ?)",
            ((self.prefix + sha, json.dumps(rows, ensure_ascii=False)) for sha, rows in items),
        )
        self.db.commit()

    def prune(self, keep: set[str]) -> int:
        """Drop every entry this (complete) build did not use, so the cache does not grow forever."""
        wanted = {self.prefix + s for s in keep}
        stale = [k for (k,) in self.db.execute("SELECT key FROM mentions_by_text") if k not in wanted]
        for i in range(0, len(stale), 500):
            part = stale[i : i + 500]
            self.db.execute(f"DELETE FROM mentions_by_text WHERE key IN ({','.join('?' * len(part))})", part)
        self.db.commit()
        return len(stale)

    def close(self) -> None:
        self.db.close()


# --- writing --------------------------------------------------------------------------------

CRS = "EPSG:4326"
# The same columns as geo.atlas builds, so a loaded build and build_atlas agree.
MENTION_COLUMNS = ("mention_id", "doc_id", "start", "end", "name", "place_id", "kind", "country", "score", "date",
                   "lat", "lon")
PLACE_COLUMNS = ("place_id", "name", "kind", "country", "mention_count", "doc_count", "lat", "lon", "score")
DOCUMENT_COLUMNS = ("doc_id", "title", "date", "source", "path", "sha256", "mentions", "text")


def _points_frame(frame: pd.DataFrame):
    import geopandas as gpd

    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=CRS)


def _write_gpkg(frame, path: Path, layer: str) -> None:
    import pyogrio

    if len(frame) == 0:
        return
    append = path.exists() and layer in {str(name) for name, _ in pyogrio.list_layers(path)}
    pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", append=append)


class _PartWriter:
    """Rows buffered and flushed to numbered parquet part files (GeoParquet when they are points)."""

    def __init__(self, folder: Path, rows_per_part: int, columns: Sequence[str], *, points: bool = False,
                 gpkg: Path | None = None, layer: str = ""):
        self.folder, self.rows_per_part, self.columns, self.points = folder, max(1, rows_per_part), list(columns), points
        self.gpkg, self.layer = gpkg, layer
        self.rows: list[tuple] = []
        self.parts = 0
        self.total = 0
        folder.mkdir(parents=True, exist_ok=True)

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.rows_per_part:
            self.flush()

    def flush(self, *, final: bool = False) -> None:
        # An empty layer still gets one (empty) part, so readers know its columns.
        if not self.rows and not (final and self.parts == 0):
            return
        frame = pd.DataFrame(self.rows, columns=self.columns)
        if self.points:
            frame = _points_frame(frame)
        frame.to_parquet(self.folder / f"part-{self.parts:05d}.parquet", index=False)
        if self.gpkg is not None:
            _write_gpkg(frame, self.gpkg, self.layer)
        self.parts += 1
        self.total += len(self.rows)
        self.rows = []


class _PlaceTally:
    """Streaming version of geo.atlas's places aggregation (memory bounded by distinct places)."""

    def __init__(self) -> None:
        self.by_id: dict[str, list] = {}  # id -> [mentions, docs, kind, country, lat, lon, max score, surfaces]

    def add_document(self, rows: Sequence[MentionRow]) -> None:
        for start, end, name, lat, lon, kind, country, gid, score in rows:
            t = self.by_id.get(gid)
            if t is None:
                t = self.by_id[gid] = [0, 0, kind, country, lat, lon, score, Counter()]
            t[0] += 1
            t[6] = max(t[6], score)
            t[7][name] += 1
        for gid in {r[7] for r in rows}:
            self.by_id[gid][1] += 1

    def frame(self, gazetteer: Any):
        rows = []
        for gid, (n, docs, kind, country, lat, lon, score, surfaces) in self.by_id.items():
            entry = gazetteer.get(gid) if gazetteer is not None else None
            # Most common surface form; ties go to the first seen (Counter keeps insertion order).
            name = entry.name if entry is not None else surfaces.most_common(1)[0][0]
            rows.append((gid, name, kind, country, n, docs, lat, lon, score))
        rows.sort(key=lambda r: (-r[4], r[1], r[0]))
        return _points_frame(pd.DataFrame(rows, columns=list(PLACE_COLUMNS)))


def _default_gazetteer() -> Any:
    try:
        from geo.gazetteer import default_gazetteer
    except ImportError:
        return None
    return default_gazetteer()


def _gpkg_safe(frame):
    """GeoPackage has no list columns: store lists and dicts as JSON text."""
    frame = frame.copy()
    for col in frame.columns:
        if col == frame.geometry.name:
            continue
        if frame[col].map(lambda v: isinstance(v, (list, tuple, dict))).any():
            frame[col] = frame[col].map(
                lambda v: json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, (list, tuple, dict)) else v)
    return frame


def _definition_error(exc: Exception) -> CorpusError:
    line = getattr(exc, "line", None)
    where = f"{exc.path}:{line}" if line else str(getattr(exc, "path", ""))
    return CorpusError(where, getattr(exc, "reason", str(exc)))


@contextmanager
def valid_corridors(folder: str | Path | None) -> Iterator[tuple[Path | None, list[CorpusError]]]:
    """(a folder holding only the valid corridor files, errors naming file:line of the others).

    One broken definition must not cost the rest: when ``load_corridors`` refuses the folder,
    each file is checked alone and the valid ones are loaded together from a temporary folder
    (so the cross-file checks, e.g. unique aliases, still apply). None when nothing is valid.
    """
    from geo import corridors as cm

    folder = Path(folder) if folder else CORRIDORS_DIR
    try:
        cm.load_corridors(folder)
        first = None
    except cm.CorridorDefinitionError as exc:
        first = exc
    if first is None:
        yield folder, []
        return
    errors: list[CorpusError] = []
    good: list[Path] = []
    for f in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            cm.parse_corridor_file(f, None)
            good.append(f)
        except cm.CorridorDefinitionError as exc:
            errors.append(_definition_error(exc))
    if not errors or not good:  # a cross-file problem, or nothing valid: no corridors at all
        yield None, errors or [_definition_error(first)]
        return
    with tempfile.TemporaryDirectory(prefix="corridors-") as tmp:
        for f in good:
            shutil.copy2(f, Path(tmp) / f.name)
        try:
            cm.load_corridors(tmp)
        except cm.CorridorDefinitionError as exc:
            yield None, [*errors, _definition_error(exc)]
            return
        yield Path(tmp), errors


def _corridor_frames(folder: Path | None, errors: list[CorpusError]):
    """(corridors, segments) GeoDataFrames of the valid definitions; errors of the others recorded."""
    from geo import corridors as cm

    with valid_corridors(folder) as (usable, problems):
        errors.extend(problems)
        if usable is None:
            return None, None
        defs = cm.load_corridors(usable)
    return cm.corridors_frame(defs), cm.segments_frame(defs)


# --- online geocoding hook (opt-in) ---------------------------------------------------------


class _UnresolvedNames:
    """Occurrences of names the geoparser could not place, on disk (a big corpus has many)."""

    def __init__(self, path: Path):
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE TABLE occ (doc_id TEXT, start INT, end_ INT, name TEXT, date TEXT)")

    def add(self, doc: Document, rows: Sequence[MentionRow]) -> None:
        self.db.executemany("INSERT INTO occ VALUES (?, ?, ?, ?, ?)",
                            [(doc.id, r[0], r[1], r[2], doc.date) for r in rows])

    def names(self) -> list[str]:
        return [n for (n,) in self.db.execute("SELECT DISTINCT name FROM occ ORDER BY name")]

    def occurrences(self) -> Iterator[tuple[str, int, int, str, str | None]]:
        yield from self.db.execute("SELECT doc_id, start, end_, name, date FROM occ ORDER BY rowid")

    def close(self) -> None:
        self.db.close()
        self.path.unlink(missing_ok=True)


def geocode_distinct(names: Iterable[str], geocoder: Any, warnings: list[str] | None = None) -> dict[str, Any]:
    """name -> geopy Location (or None): one ``geocoder.geocode`` call per distinct name.

    Meant for a rate-limited, disk-cached online geocoder (``geo.geocode.online_geocoder``):
    one step in one process, so the service's rate limit and cache hold for the whole build.
    A failed lookup is a warning and None, never a silent success.
    """
    answers: dict[str, Any] = {}
    for name in names:
        if name in answers:
            continue
        try:
            answers[name] = geocoder.geocode(name, exactly_one=True)
        except Exception as exc:  # geopy raises GeopyError subclasses; a pipeline reports and goes on
            answers[name] = None
            if warnings is not None:
                warnings.append(f"online geocoding of {name!r} failed: {exc}")
    return answers


def _add_online_mentions(st: "_State", geocoder: Any, say: Callable[[str], None]) -> None:
    names = st.unresolved.names()
    if not names:
        st.report.warnings.append("online geocoding: the geoparser reported no unresolved names "
                                  "(it needs Geoparser.unresolved(text) -> [(start, end)]); nothing looked up")
        st.unresolved.close()
        return
    say(f"online geocoding: {len(names)} distinct names, once each")
    answers = geocode_distinct(names, geocoder, st.report.warnings)
    by_doc: dict[str, list[MentionRow]] = {}
    for doc_id, start, end, name, date in st.unresolved.occurrences():
        loc = answers.get(name)
        if loc is None:
            continue
        gid = "online:" + hashlib.sha256(name.casefold().encode()).hexdigest()[:12]
        row = (start, end, name, float(loc.latitude), float(loc.longitude), "other", None, gid, 0.5)
        st.mentions_out.add((f"{doc_id}:{start}-{end}", doc_id, start, end, name, gid, "other", None, 0.5,
                             date, row[3], row[4]))
        by_doc.setdefault(doc_id, []).append(row)
    for rows in by_doc.values():
        st.places.add_document(rows)
    found = sum(1 for v in answers.values() if v is not None)
    st.report.warnings.append(f"online geocoding: {len(names)} distinct names looked up, {found} placed")
    st.unresolved.close()


# --- the build ------------------------------------------------------------------------------


def _lock(out_dir: Path):
    from filelock import FileLock, Timeout

    lock = FileLock(str(out_dir / ".build.lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise BuildLockedError(
            f"{out_dir}: another build is writing to this directory (lock {out_dir / '.build.lock'} is held); "
            "wait for it to finish or choose another --out"
        ) from None
    return lock


def _windows(items: Iterator, size: int) -> Iterator[list]:
    window: list = []
    for item in items:
        window.append(item)
        if len(window) >= size:
            yield window
            window = []
    if window:
        yield window


def _resolve_region(inputs: Sequence[str | Path], region: str | None) -> str | None:
    """"auto" means what build_atlas does: the seeds' region for the bundled seeds, else none."""
    if region != "auto":
        return region
    from geo.paths import SEEDS_DIR

    try:
        if len(inputs) == 1 and Path(inputs[0]).resolve() == SEEDS_DIR.resolve():
            from geo.atlas import SEED_REGION

            return SEED_REGION
    except OSError:
        pass
    return None


@dataclass
class _State:
    """What one build accumulates while it streams."""

    report: BuildReport
    cache: ResultCache
    docs_out: _PartWriter
    mentions_out: _PartWriter
    places: _PlaceTally
    manifest_docs: dict[str, dict] = field(default_factory=dict)
    seen_shas: set[str] = field(default_factory=set)
    unresolved: "_UnresolvedNames | None" = None  # only with online geocoding


def build(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    region: str | None = "auto",
    chunk_size: int = 32,
    mentions_per_part: int = 250_000,
    corridors_dir: str | Path | None = None,
    gpkg: bool = True,
    progress: bool = False,
    log: Callable[[str], None] | None = None,
    online_geocoder: Any = None,
) -> BuildReport:
    """Build ``inputs`` into ``out_dir`` (see the module docstring). Raises BuildError/BuildLockedError.

    ``online_geocoder`` (a geopy Geocoder, e.g. ``geo.geocode.online_geocoder()``; None by default,
    so a build never touches the network) looks up the names the geoparser could not place: once
    per distinct name, in the main process, after all documents are parsed (never per worker).
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out_dir}: exists and is not a directory")
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = max(1, workers or os.cpu_count() or 1)
    say = log or (lambda msg: print(msg, file=sys.stderr))
    inputs = [Path(p) for p in inputs]
    region = _resolve_region(inputs, region)
    lock = _lock(out_dir)
    try:
        return _build_locked(inputs, out_dir, engine=engine, workers=workers, scheduler=scheduler, region=region,
                             chunk_size=max(1, chunk_size), mentions_per_part=mentions_per_part,
                             corridors_dir=Path(corridors_dir) if corridors_dir else None, gpkg=gpkg,
                             progress=progress, say=say, started=started, online_geocoder=online_geocoder)
    finally:
        lock.release()


def _build_locked(inputs: list[Path], out_dir: Path, *, engine: str, workers: int, scheduler: str | None,
                  region: str | None, chunk_size: int, mentions_per_part: int, corridors_dir: Path | None,
                  gpkg: bool, progress: bool, say: Callable[[str], None], started: float,
                  online_geocoder: Any = None) -> BuildReport:
    from tqdm import tqdm

    build_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
    runs = out_dir / "runs"
    _clean_partials(runs, say)
    staging = runs / f".partial-{build_id}"
    staging.mkdir(parents=True)
    report = BuildReport(out_dir=out_dir, build_id=build_id, run_dir=runs / build_id)
    notes: list[str] = []
    fingerprint = pipeline_fingerprint(region)
    cache = ResultCache(out_dir / "cache" / "results.sqlite", fingerprint, notes)
    for n in notes:
        say(n)
    report.warnings += notes
    gpkg_path = staging / "atlas.gpkg" if gpkg else None
    st = _State(
        report=report, cache=cache,
        docs_out=_PartWriter(staging / "documents", 20_000, DOCUMENT_COLUMNS),
        mentions_out=_PartWriter(staging / "mentions", mentions_per_part, MENTION_COLUMNS, points=True,
                                 gpkg=gpkg_path, layer="mentions"),
        places=_PlaceTally(),
        unresolved=_UnresolvedNames(staging / "unresolved.sqlite") if online_geocoder is not None else None,
    )
    # Corridor definitions first: a broken file is reported before the long part starts.
    corridor_errors: list[CorpusError] = []
    corridors, segments = _corridor_frames(corridors_dir, corridor_errors)
    for err in corridor_errors:
        say(str(err))
        report.errors.append(err)

    window_size = chunk_size * max(2, workers) * 4
    eng = _make_engine(engine, workers, scheduler, region)
    # disable=None: a bar on a terminal, none in logs and pipes.
    bar = tqdm(desc="build", unit="doc", file=sys.stderr, disable=None if progress else True, dynamic_ncols=True)
    try:
        stream = _accepted(_stream_documents(inputs, report.warnings), report, st.manifest_docs)
        pending = None
        # Two windows in flight: the next one is read and submitted while the workers parse this one.
        for window in _windows(stream, window_size):
            submitted = (window, *_submit_window(window, cache, eng, chunk_size))
            if pending is not None:
                _finish_window(st, *pending, eng)
                bar.update(len(pending[0]))
            pending = submitted
        if pending is not None:
            _finish_window(st, *pending, eng)
            bar.update(len(pending[0]))
    finally:
        bar.close()
        eng.close()
    if st.unresolved is not None:
        _add_online_mentions(st, online_geocoder, say)
    st.docs_out.flush(final=True)
    st.mentions_out.flush(final=True)
    cache.prune(st.seen_shas)
    cache.close()

    places = st.places.frame(_default_gazetteer())
    places.to_parquet(staging / "places.parquet", index=False)
    if gpkg_path is not None:
        _write_gpkg(places, gpkg_path, "places")
    if corridors is not None:
        corridors.to_parquet(staging / "corridors.parquet", index=False)
        segments.to_parquet(staging / "segments.parquet", index=False)
        if gpkg_path is not None:
            _write_gpkg(_gpkg_safe(corridors), gpkg_path, "corridors")
            _write_gpkg(_gpkg_safe(segments), gpkg_path, "segments")
        report.corridors = len(corridors)
    report.places = len(places)
    report.mentions = st.mentions_out.total
    report.seconds = time.perf_counter() - started

    manifest = {
        "format": FORMAT,
        "build_id": build_id,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "run": f"runs/{build_id}",
        "fingerprint": fingerprint,
        "region": region,
        "inputs": [str(p) for p in inputs],
        "corridors_dir": str(corridors_dir) if corridors_dir else None,
        "engine": engine,
        "workers": workers,
        "counts": {
            "documents": report.documents, "parsed": report.parsed, "reused": report.reused,
            "mentions": report.mentions, "places": report.places, "corridors": report.corridors,
            "errors": len(report.errors), "warnings": len(report.warnings),
        },
        "seconds": round(report.seconds, 3),
        "documents": st.manifest_docs,
        "errors": [{"path": e.path, "reason": e.reason} for e in report.errors],
        "warnings": report.warnings,
    }
    # Commit: the complete run gets its final name, then the manifest points at it (atomic
    # replace). Until that replace, readers see the previous build.
    os.replace(staging, report.run_dir)
    atomic_write_text(out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    # Earlier runs (and any orphaned by a corrupt manifest) are unreachable now; the lock
    # guarantees no other build is writing one.
    for old in runs.iterdir():
        if old != report.run_dir and old.is_dir() and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return report


def _clean_partials(runs: Path, say: Callable[[str], None]) -> None:
    if not runs.is_dir():
        return
    for p in sorted(runs.glob(".partial-*")):
        say(f"{p}: removing the remains of an interrupted build")
        shutil.rmtree(p, ignore_errors=True)


def _accepted(stream: Iterator[Document | CorpusError], report: BuildReport, seen: dict) -> Iterator[Document]:
    """Documents to build; errors and duplicate ids go to the report (the rest goes on)."""
    for item in stream:
        if isinstance(item, CorpusError):
            report.errors.append(item)
        elif not item.text.strip():
            report.errors.append(CorpusError(item.path or item.id, "empty document (no text)"))
        elif item.id in seen:
            report.errors.append(CorpusError(item.path or item.id, f"duplicate document id {item.id!r}; later copy skipped"))
        else:
            seen[item.id] = {}  # filled in when its window is finished
            yield item


def _submit_window(window: list[Document], cache: ResultCache, eng, chunk_size: int) -> tuple[dict, Any]:
    shas = [d.sha256 for d in window]
    cached = cache.get_many(shas)
    todo: dict[str, str] = {}
    for d, sha in zip(window, shas):
        if sha not in cached and sha not in todo:
            todo[sha] = d.text
    items = list(todo.items())
    chunks = [items[i : i + chunk_size] for i in range(0, len(items), chunk_size)]
    return cached, (eng.submit(chunks) if chunks else None)


def _finish_window(st: _State, window: list[Document], cached: dict, handle: Any, eng) -> None:
    fresh: dict[str, list[MentionRow] | str] = {}
    if handle is not None:
        try:
            for chunk_result in eng.gather(handle):
                fresh.update(chunk_result)
        except Exception as exc:  # a worker died (killed, out of memory) or the cluster went away
            raise BuildError(f"a worker failed ({type(exc).__name__}: {exc}); nothing was written, "
                             "the previous build is intact") from exc
        st.cache.put_many((sha, rows) for sha, rows in fresh.items() if not isinstance(rows, str))
    for doc in window:
        sha = doc.sha256
        rows = cached.get(sha)
        if rows is None:
            rows = fresh[sha]
            if isinstance(rows, str):  # the geoparser failed on this document: named, skipped
                st.report.errors.append(CorpusError(doc.path or doc.id, f"geoparser failed: {rows}"))
                st.manifest_docs.pop(doc.id, None)
                continue
            st.report.parsed += 1
        else:
            st.report.reused += 1
        st.seen_shas.add(sha)
        st.report.documents += 1
        if len(doc.text) > LONG_TEXT_CHARS:
            st.report.warnings.append(
                f"{doc.path or doc.id}: {len(doc.text):,} characters; geoparsed in {len(text_blocks(doc.text))} "
                f"blocks of at most {BLOCK_CHARS:,} (place names are resolved within their block)")
        if st.unresolved is not None:
            st.unresolved.add(doc, [r for r in rows if r[7] is None])
        rows = [r for r in rows if r[7] is not None]
        for start, end, name, lat, lon, kind, country, gid, score in rows:
            st.mentions_out.add((f"{doc.id}:{start}-{end}", doc.id, start, end, name, gid, kind, country, score,
                                 doc.date, lat, lon))
        st.places.add_document(rows)
        st.docs_out.add((doc.id, doc.title, doc.date, doc.source, doc.path, sha, len(rows), doc.text))
        st.manifest_docs[doc.id] = {"sha256": sha, "mentions": len(rows), "path": doc.path}


# --- reading a build back -------------------------------------------------------------------


def _read_manifest(path: Path, *, missing_ok: bool = False) -> dict | None:
    if not path.exists():
        if missing_ok:
            return None
        raise BuildError(f"{path.parent}: no build here (manifest.json missing); run `corridor-atlas build ... --out {path.parent}`")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        if missing_ok:
            return None
        raise BuildError(f"{path}: unreadable manifest ({exc}); build the directory again") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("run"), str):
        if missing_ok:
            return None
        raise BuildError(f"{path}: not a {FORMAT} manifest; build the directory again")
    return data


def _read_parts(folder: Path, geo: bool):
    import geopandas as gpd

    parts = sorted(folder.glob("part-*.parquet"))
    if not parts:
        raise BuildError(f"{folder}: no part files; build the directory again")
    frames = [gpd.read_parquet(p) if geo else pd.read_parquet(p) for p in parts]
    if len(frames) == 1:
        return frames[0]
    out = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=CRS) if geo else out


def load_build_tables(out_dir: str | Path) -> dict[str, Any]:
    """The current run's tables: manifest, documents, mentions, places, corridors, segments."""
    import geopandas as gpd

    out_dir = Path(out_dir)
    manifest = _read_manifest(out_dir / "manifest.json")
    run = out_dir / manifest["run"]
    if not run.is_dir():
        raise BuildError(f"{run}: the run named by the manifest is missing; build the directory again")
    tables: dict[str, Any] = {
        "manifest": manifest,
        "documents": _read_parts(run / "documents", geo=False),
        "mentions": _read_parts(run / "mentions", geo=True),
        "places": gpd.read_parquet(run / "places.parquet"),
    }
    for name in ("corridors", "segments"):
        p = run / f"{name}.parquet"
        tables[name] = gpd.read_parquet(p) if p.exists() else None
    return tables


class _StoredMentions:
    """A parser that answers from a build's stored mentions, so build_atlas composes the layers
    (excerpts, corridor counts) exactly as for a fresh corpus, without geoparsing again."""

    def __init__(self, by_text: dict[str, list[Any]], gazetteer: Any):
        self.by_text = by_text
        self.gazetteer = gazetteer

    def parse(self, text: str) -> list[Any]:
        return self.by_text.get(hashlib.sha256(text.encode("utf-8")).hexdigest(), [])


def load_build(out_dir: str | Path, *, corridors_dir: str | Path | None = None):
    """An ``geo.atlas.Atlas`` from a build directory: stored documents and mentions, current
    corridor definitions (those of the build unless ``corridors_dir`` is given)."""
    from geo.atlas import build_atlas
    from geo.geoparse import PlaceMention

    tables = load_build_tables(out_dir)
    manifest = tables["manifest"]
    def text_or_none(v: Any) -> str | None:  # parquet gives NaN/None for missing strings
        return v if isinstance(v, str) else None

    docs = [
        document_from_text(r.doc_id, r.text, title=text_or_none(r.title), date=text_or_none(r.date),
                           source=text_or_none(r.source), path=text_or_none(r.path))
        for r in tables["documents"].itertuples(index=False)
    ]
    sha_of = dict(zip(tables["documents"]["doc_id"], tables["documents"]["sha256"]))
    by_text: dict[str, list[Any]] = {}
    m = tables["mentions"]
    for r in m[["doc_id", "start", "end", "name", "lat", "lon", "kind", "country", "place_id", "score"]].itertuples(index=False):
        by_text.setdefault(sha_of[r.doc_id], []).append(PlaceMention(
            start=int(r.start), end=int(r.end), name=r.name, lat=float(r.lat), lon=float(r.lon), kind=r.kind,
            country=None if pd.isna(r.country) else r.country, gazetteer_id=r.place_id, score=float(r.score),
            alternatives=(),
        ))
    # The same sha in two documents: keep one copy of its mentions (they are identical).
    for sha, ms in by_text.items():
        seen: set[tuple[int, int]] = set()
        by_text[sha] = [x for x in ms if (x.start, x.end) not in seen and not seen.add((x.start, x.end))]
    parser = _StoredMentions(by_text, _default_gazetteer())
    with valid_corridors(corridors_dir or manifest.get("corridors_dir")) as (usable, problems):
        if usable is None:
            raise BuildError("no valid corridor definitions: " + "; ".join(str(e) for e in problems))
        atlas = build_atlas(docs, parser=parser, corridors_dir=usable)
    atlas.errors = [CorpusError(e["path"], e["reason"]) for e in manifest.get("errors", [])]
    return atlas


# --- command line ---------------------------------------------------------------------------


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", nargs="+", help="files, folders or .jsonl files")
    parser.add_argument("--out", required=True, type=Path, help="build directory (created; later builds reuse it)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local: a process pool; dask: dask.bag on a distributed cluster")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (with --engine dask)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: CPU count)")
    parser.add_argument("--region", default="auto", help="geoparser region bias (default: auto, as build_atlas)")
    parser.add_argument("--chunk-size", type=int, default=32, help="documents per task")
    parser.add_argument("--mentions-per-part", type=int, default=250_000, help="rows per mentions part file")
    parser.add_argument("--corridors", type=Path, default=None, help="corridor definitions folder")
    parser.add_argument("--no-gpkg", action="store_true", help="skip the GeoPackage")
    parser.add_argument("--geocode-online", metavar="SERVICE", default=None,
                        help="look up names the gazetteer cannot place with this geopy service (e.g. nominatim): "
                             "once per distinct name, rate-limited and cached; off by default (offline)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run_build(args: argparse.Namespace) -> int:
    """Exit codes: 0 built (skipped documents are listed), 1 nothing readable, 2 error, 3 locked."""
    if args.scheduler and args.engine != "dask":
        print("error: --scheduler needs --engine dask", file=sys.stderr)
        return 2
    region = None if args.region in ("", "none") else args.region
    geocoder = None
    if args.geocode_online:
        from geo.geocode import online_geocoder

        geocoder = online_geocoder(args.geocode_online)
    try:
        report = build(
            args.corpus, args.out, engine=args.engine, workers=args.workers, scheduler=args.scheduler,
            region=region, chunk_size=args.chunk_size, mentions_per_part=args.mentions_per_part,
            corridors_dir=args.corridors, gpkg=not args.no_gpkg, progress=not args.no_progress,
            log=lambda msg: None,  # everything logged is in the report, printed below
            online_geocoder=geocoder,
        )
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3 if isinstance(exc, BuildLockedError) else 2
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    for e in report.errors:
        print(f"skipped: {e}", file=sys.stderr)
    print(
        f"built {report.documents} documents ({report.parsed} parsed, {report.reused} from cache), "
        f"{report.mentions} mentions, {report.places} places, {report.corridors} corridors, "
        f"{len(report.errors)} skipped, in {report.seconds:.1f}s -> {report.run_dir}",
    )
    if report.documents == 0:
        print(f"error: no readable documents in {' '.join(map(str, args.corpus))}", file=sys.stderr)
        return 1
    return 0

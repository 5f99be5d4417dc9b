"""Build a corpus into a directory of GeoParquet/GeoPackage layers, incrementally and in parallel.

``corridor-atlas build CORPUS... --out DIR`` streams documents (never the whole corpus in
memory), geoparses the ones whose content changed since the last build (per-document results
are cached by content sha256 in ``DIR/cache/results.sqlite``), and writes a new *run*::

    DIR/manifest.json                 which run is current; doc id -> sha256, counts, errors,
                                      corrections applied (file, sha256), corridor definitions' sha256
    DIR/runs/<build_id>/documents/part-*.parquet   document text and metadata (row groups of 256)
    DIR/runs/<build_id>/mentions/part-*.parquet    one point per place mention (GeoParquet)
    DIR/runs/<build_id>/excerpts/part-*.parquet    the sentence quoted for each corridor/segment/place
    DIR/runs/<build_id>/capacities/part-*.parquet  capacity facts; drafts.json: routes read from text
    DIR/runs/<build_id>/places.parquet, corridors.parquet, segments.parquet (GeoParquet; corridors
                                      and segments with mention_count, doc_count, sources, capacities)
    DIR/runs/<build_id>/atlas.gpkg                 the same layers as one GeoPackage

Everything ``build_atlas`` derives from the corpus (excerpts, capacities, corridor counts, the
user's corrections) is computed here, per document as it streams past, so ``load_build`` only
reads tables: a 100,000-document build loads without parsing, matching or holding the texts.

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
import threading
import time
import uuid
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
    iter_documents,
)
from geo.excerpts import CapacityFact, Excerpt, segment_id
from geo.paths import CORRIDORS_DIR, DATA_DIR, ROOT
from geo.safe import atomic_write_text

__all__ = [
    "BuildError",
    "BuildLockedError",
    "BuildDocuments",
    "BuildReport",
    "MENTION_COLUMNS",
    "add_build_arguments",
    "build",
    "decode_legacy",
    "geocode_distinct",
    "load_build",
    "load_build_tables",
    "online_place_id",
    "parse_chunk",
    "StoredDocument",
    "corrections_sha256",
    "corridors_digest",
    "run_build",
    "text_blocks",
    "valid_corridors",
]

# 2: excerpts, capacities, drafts and corridor counts are computed at build time and stored;
# corrections are applied by the build.
FORMAT = "corridor-atlas-build/2"
# The per-document parse results' format (part of the cache key): unchanged since /1, so a
# directory built by the previous version rebuilds from its cache without parsing again.
CACHE_FORMAT = "corridor-atlas-build/1"
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


def parse_chunk(chunk: Sequence[tuple[str, str]], region: str | None = None,
                unresolved: bool = False) -> list[tuple[str, list[MentionRow] | str]]:
    """Geoparse ``(sha256, text)`` pairs; returns ``(sha256, mention rows)`` in the same order
    (or ``(sha256, error message)`` for a text the parser failed on).

    Mentions without a gazetteer id are dropped, as in ``build_atlas``. With ``unresolved``
    (online geocoding is on), names the parser recognised but could not place come as rows
    with ``gazetteer_id`` None and no coordinates; offline builds do not pay for finding them.
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
            if unresolved:
                rows += [(s, e, text[s:e], None, None, None, None, None, 0.0) for s, e in _unresolved_spans(parser, text)]
        except Exception as exc:  # one document the parser chokes on must not stop the corpus
            out.append((sha, f"{type(exc).__name__}: {exc}"))
            continue
        out.append((sha, sorted(rows, key=lambda r: (r[0], r[1], r[7] is None))))
    return out


# --- engines --------------------------------------------------------------------------------


class _InlineEngine:
    """One process: the baseline, and what tests use when speed does not matter."""

    def __init__(self, region: str | None, unresolved: bool = False):
        self.region, self.unresolved = region, unresolved

    def submit(self, chunks: list[list[tuple[str, str]]]) -> list:
        return [parse_chunk(c, self.region, self.unresolved) for c in chunks]

    def gather(self, handle: list) -> list:
        return handle

    def close(self) -> None:
        pass


class _PoolEngine:
    def __init__(self, workers: int, region: str | None, unresolved: bool = False):
        self.pool = ProcessPoolExecutor(max_workers=workers)
        self.region, self.unresolved = region, unresolved

    def submit(self, chunks: list[list[tuple[str, str]]]) -> list[Future]:
        return [self.pool.submit(parse_chunk, c, self.region, self.unresolved) for c in chunks]

    def gather(self, handle: list[Future]) -> list:
        return [f.result() for f in handle]

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _DaskEngine:
    """dask.bag over chunks on a LocalCluster (processes, one thread each) or a given scheduler."""

    def __init__(self, workers: int, scheduler: str | None, region: str | None, unresolved: bool = False):
        import logging

        try:
            import dask.bag as db
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise BuildError(f"--engine dask needs dask and distributed ({exc}); "
                             "install them with: pip install 'corridor-atlas[dask]'") from None

        self._db = db
        self.region, self.unresolved = region, unresolved
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
        bag = self._db.from_sequence(chunks, npartitions=len(chunks)).map(parse_chunk, region=self.region,
                                                                           unresolved=self.unresolved)
        # One future per partition, gathered straight from the workers: no final concatenation
        # task, so the results cross process boundaries once.
        return self.client.compute(bag.to_delayed())

    def gather(self, handle) -> list:
        return [chunk for part in self.client.gather(handle) for chunk in part]

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _make_engine(engine: str, workers: int, scheduler: str | None, region: str | None, unresolved: bool = False):
    if engine == "dask":
        return _DaskEngine(workers, scheduler, region, unresolved)
    if engine != "local":
        raise BuildError(f"unknown engine {engine!r} (expected local or dask)")
    return _InlineEngine(region, unresolved) if workers <= 1 else _PoolEngine(workers, region, unresolved)


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
    h = hashlib.sha256(f"{CACHE_FORMAT}|region={region}|blocks={LONG_TEXT_CHARS},{BLOCK_CHARS}".encode())
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
            # excerpts etc. of a text with given places (see _derived_key): a re-run skips the matching
            db.execute("CREATE TABLE IF NOT EXISTS derived (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
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

    def get_many(self, shas: Iterable[str], *, unresolved: bool = False) -> dict[str, list[MentionRow]]:
        """Cached rows by sha; with ``unresolved`` only entries that also list the unresolved names
        (parsed by an online-geocoding build), the others count as misses."""
        keys = [self.prefix + s for s in set(shas)]
        found: dict[str, list[MentionRow]] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            q = f"SELECT key, rows FROM mentions_by_text WHERE key IN ({','.join('?' * len(part))})"
            for key, rows in self.db.execute(q, part):
                try:
                    value = json.loads(rows)
                    # {"rows": [...], "unresolved": true} when unresolved names were looked for;
                    # a bare list (offline builds, and caches written before) when not.
                    has_unresolved = isinstance(value, dict) and value.get("unresolved") is True
                    if unresolved and not has_unresolved:
                        continue
                    found[key[len(self.prefix):]] = [tuple(r) for r in (value["rows"] if isinstance(value, dict) else value)]
                except (ValueError, TypeError, KeyError):
                    pass  # an unreadable entry is simply parsed again
        return found

    def put_many(self, items: Iterable[tuple[str, list[MentionRow]]], *, unresolved: bool = False) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO mentions_by_text VALUES (?, ?)",
            ((self.prefix + sha, json.dumps({"rows": rows, "unresolved": True} if unresolved else rows,
                                            ensure_ascii=False)) for sha, rows in items),
        )
        self.db.commit()

    def get_derived(self, keys: Sequence[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for i in range(0, len(keys), 500):
            part = list(keys[i : i + 500])
            q = f"SELECT key, value FROM derived WHERE key IN ({','.join('?' * len(part))})"
            for key, value in self.db.execute(q, part):
                try:
                    found[key] = json.loads(value)
                except ValueError:
                    pass  # computed again
        return found

    def put_derived(self, items: Iterable[tuple[str, Any]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO derived VALUES (?, ?)",
                            ((k, json.dumps(v, ensure_ascii=False)) for k, v in items))
        self.db.commit()

    def prune(self, keep: set[str], keep_derived: set[str] = frozenset()) -> int:
        """Drop every entry this (complete) build did not use, so the cache does not grow forever."""
        wanted = {self.prefix + s for s in keep}
        stale = 0
        for table, column, used in (("mentions_by_text", "key", wanted), ("derived", "key", keep_derived)):
            old = [k for (k,) in self.db.execute(f"SELECT {column} FROM {table}") if k not in used]
            for i in range(0, len(old), 500):
                part = old[i : i + 500]
                self.db.execute(f"DELETE FROM {table} WHERE {column} IN ({','.join('?' * len(part))})", part)
            stale += len(old)
        self.db.commit()
        return stale

    def close(self) -> None:
        self.db.close()


# --- writing --------------------------------------------------------------------------------

CRS = "EPSG:4326"
# The same columns as geo.atlas builds, so a loaded build and build_atlas agree.
MENTION_COLUMNS = ("mention_id", "doc_id", "start", "end", "name", "place_id", "kind", "country", "score", "date",
                   "lat", "lon", "corrected")
PLACE_COLUMNS = ("place_id", "name", "kind", "country", "mention_count", "doc_count", "lat", "lon", "score",
                 "corrected")
EXCERPT_COLUMNS = tuple(Excerpt.__dataclass_fields__)
CAPACITY_COLUMNS = tuple(CapacityFact.__dataclass_fields__)
DOCUMENT_COLUMNS = ("doc_id", "title", "date", "source", "path", "sha256", "mentions", "text")
# Small row groups let a loaded build read one document's text without reading its neighbours'.
DOCUMENT_ROW_GROUP = 256


def _schema(kind: str):
    """Arrow schemas of the non-spatial tables: fixed, so every part file agrees (a part whose
    dates are all missing must not get a null-typed column)."""
    import pyarrow as pa

    s, i, f = pa.string(), pa.int64(), pa.float64()
    fields = {
        "documents": [("doc_id", s), ("title", s), ("date", s), ("source", s), ("path", s), ("sha256", s),
                      ("mentions", i), ("text", pa.large_string())],
        "excerpts": [("target_type", s), ("target_id", s), ("doc_id", s), ("doc_title", s), ("date", s),
                     ("source", s), ("start", i), ("end", i), ("sentence_start", i), ("sentence_end", i),
                     ("quote", s)],
        "capacities": [("corridor_id", s), ("value", f), ("unit", s), ("from_value", f), ("to_value", f),
                       ("doc_id", s), ("start", i), ("end", i), ("quote", s)],
    }[kind]
    return pa.schema(fields)


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
    """Rows buffered and flushed to numbered parquet part files: GeoParquet when they are points,
    else plain Parquet with a fixed ``schema``."""

    def __init__(self, folder: Path, rows_per_part: int, columns: Sequence[str], *, points: bool = False,
                 gpkg: Path | None = None, layer: str = "", schema: Any = None, row_group_size: int | None = None):
        self.folder, self.rows_per_part, self.columns, self.points = folder, max(1, rows_per_part), list(columns), points
        self.gpkg, self.layer, self.schema, self.row_group_size = gpkg, layer, schema, row_group_size
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
        path = self.folder / f"part-{self.parts:05d}.parquet"
        if self.schema is not None:
            import pyarrow as pa
            import pyarrow.parquet as pq

            columns = list(zip(*self.rows)) if self.rows else [()] * len(self.columns)
            table = pa.table([pa.array(c, type=t) for c, t in zip(columns, self.schema.types)], schema=self.schema)
            pq.write_table(table, path, row_group_size=self.row_group_size)
        else:
            frame = pd.DataFrame(self.rows, columns=self.columns)
            if self.points:
                frame = _points_frame(frame)
            frame.to_parquet(path, index=False)
            if self.gpkg is not None:
                _write_gpkg(frame, self.gpkg, self.layer)
        self.parts += 1
        self.total += len(self.rows)
        self.rows = []


class _PlaceTally:
    """Streaming version of geo.atlas's places aggregation (memory bounded by distinct places)."""

    def __init__(self) -> None:
        # id -> [mentions, docs, kind, country, lat, lon, max score, surfaces, corrected]
        self.by_id: dict[str, list] = {}

    def add_document(self, mentions: Sequence[Any], corrected: set[tuple[int, int]] = frozenset()) -> None:
        for m in mentions:
            t = self.by_id.get(m.gazetteer_id)
            if t is None:
                t = self.by_id[m.gazetteer_id] = [0, 0, m.kind, m.country, m.lat, m.lon, m.score, Counter(), False]
            t[0] += 1
            t[6] = max(t[6], m.score)
            t[7][m.name] += 1
            # as geo.atlas marks it: a place is corrected when any of its mentions is
            t[8] = t[8] or (m.start, m.end) in corrected
        for gid in {m.gazetteer_id for m in mentions}:
            self.by_id[gid][1] += 1

    def frame(self, gazetteer: Any):
        rows = []
        for gid, (n, docs, kind, country, lat, lon, score, surfaces, fixed) in self.by_id.items():
            entry = gazetteer.get(gid) if gazetteer is not None else None
            # Most common surface form; ties go to the first seen (Counter keeps insertion order).
            name = entry.name if entry is not None else surfaces.most_common(1)[0][0]
            rows.append((gid, name, kind, country, n, docs, float(lat), float(lon), float(score), fixed))
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


def _corridor_definitions(folder: Path | None, errors: list[CorpusError]) -> list[Any] | None:
    """The valid corridor definitions; errors (file:line) of the others recorded. None when none is valid."""
    from geo import corridors as cm

    with valid_corridors(folder) as (usable, problems):
        errors.extend(problems)
        if usable is None:
            return None
        return cm.load_corridors(usable)


def corridors_digest(folder: str | Path | None) -> str:
    """sha256 over a corridor definitions folder (file names and bytes): tells whether the
    definitions a build used are the ones given now."""
    folder = Path(folder) if folder else CORRIDORS_DIR
    h = hashlib.sha256()
    for f in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


# --- corrections ----------------------------------------------------------------------------


def _load_corrections(path: Path | None, gazetteer: Any, warnings: list[str]) -> tuple[dict[str, str | None], dict]:
    """(the corrections to apply, what the manifest records about them: file, sha256, count).

    The user's store (``geo.corrections``: ``$CORRIDOR_ATLAS_CORRECTIONS`` or
    ``data/corrections.json``) unless ``path`` is given. An unreadable file stops the build
    (BuildError naming it); a correction naming a gazetteer entry that does not exist is a
    warning and is left out, so one stale choice does not cost the build.
    """
    from geo.corrections import CorrectionStoreError, as_mapping, corrections_path, parse_corrections

    path = Path(path) if path is not None else corrections_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}, {"path": str(path), "sha256": None, "applied": 0}
    except OSError as exc:
        raise BuildError(f"{path}: cannot read the corrections ({exc.strerror or exc})") from None
    try:
        mapping = as_mapping(parse_corrections(data, path))  # the bytes hashed below, read once
    except CorrectionStoreError as exc:
        raise BuildError(f"{exc}; fix or remove the file (the app can replace it, keeping a backup)") from None
    usable: dict[str, str | None] = {}
    for key, target in mapping.items():
        if target is not None and not target.startswith("user:") and gazetteer is not None and gazetteer.get(target) is None:
            warnings.append(f"{path}: correction for {key}: unknown gazetteer id {target!r}; not applied")
            continue
        usable[key] = target
    return usable, {"path": str(path), "sha256": hashlib.sha256(data).hexdigest(), "applied": len(usable)}


def corrections_sha256(path: str | Path | None = None) -> str | None:
    """sha256 of the corrections file (the user's store unless ``path``), None when there is none."""
    from geo.corrections import corrections_path

    try:
        return hashlib.sha256(Path(path or corrections_path()).read_bytes()).hexdigest()
    except OSError:
        return None


# --- online geocoding hook (opt-in) ---------------------------------------------------------


class _Deferred:
    """Documents that name places the gazetteer could not place, kept on disk until the online
    lookup has run (a big corpus has many): text, metadata, passages and parse rows as JSON."""

    def __init__(self, path: Path):
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE TABLE doc (seq INTEGER PRIMARY KEY, doc_id TEXT, meta TEXT, text TEXT, rows TEXT)")
        self.db.execute("CREATE TABLE name (name TEXT PRIMARY KEY)")

    def add(self, doc: Document, rows: Sequence[MentionRow]) -> None:
        meta = {"title": doc.title, "date": doc.date, "source": doc.source, "path": doc.path,
                "paragraphs": [(p.start, p.end) for p in doc.paragraphs],
                "sentences": [(s.start, s.end, s.paragraph) for s in doc.sentences]}
        self.db.execute("INSERT INTO doc (doc_id, meta, text, rows) VALUES (?, ?, ?, ?)",
                        (doc.id, json.dumps(meta, ensure_ascii=False), doc.text, json.dumps(list(rows), ensure_ascii=False)))
        self.db.executemany("INSERT OR IGNORE INTO name VALUES (?)", [(r[2],) for r in rows if r[7] is None])

    def names(self) -> list[str]:
        return [n for (n,) in self.db.execute("SELECT name FROM name ORDER BY name")]

    def documents(self) -> Iterator[tuple[Document, list[MentionRow]]]:
        from geo.corpus import Sentence, Span

        for doc_id, meta, text, rows in self.db.execute("SELECT doc_id, meta, text, rows FROM doc ORDER BY seq"):
            m = json.loads(meta)
            doc = Document(id=doc_id, text=text, title=m["title"], date=m["date"], source=m["source"], path=m["path"],
                           paragraphs=tuple(Span(*p) for p in m["paragraphs"]),
                           sentences=tuple(Sentence(*s) for s in m["sentences"]))
            yield doc, [tuple(r) for r in json.loads(rows)]

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


def online_place_id(name: str) -> str:
    """The place id of a name placed by the online geocoder (no gazetteer id to give it)."""
    return "online:" + hashlib.sha256(name.casefold().encode()).hexdigest()[:12]


def _add_online_mentions(st: "_State", geocoder: Any, say: Callable[[str], None]) -> None:
    """Look up every distinct unresolved name once, then finish the documents that were waiting
    for the answers (their mentions, places and excerpts include what was placed)."""
    deferred = st.deferred
    names = deferred.names()
    if not names:
        st.report.warnings.append("online geocoding: the geoparser reported no unresolved names "
                                  "(it needs Geoparser.unresolved(text) -> [(start, end)]); nothing looked up")
    else:
        say(f"online geocoding: {len(names)} distinct names, once each")
    answers = geocode_distinct(names, geocoder, st.report.warnings)
    for doc, rows in deferred.documents():
        placed = []
        for r in rows:
            if r[7] is not None:
                placed.append(r)
            elif (loc := answers.get(r[2])) is not None:
                placed.append((r[0], r[1], r[2], float(loc.latitude), float(loc.longitude), "other", None,
                               online_place_id(r[2]), 0.5))
        _add_documents(st, [(doc, placed)])
    if names:
        found = sum(1 for v in answers.values() if v is not None)
        st.report.warnings.append(f"online geocoding: {len(names)} distinct names looked up, {found} placed")
    deferred.close()


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
    excerpts_out: _PartWriter
    capacities_out: _PartWriter
    places: _PlaceTally
    excerpts: Any  # geo.excerpts.ExcerptBuilder
    gazetteer: Any
    corrections: dict[str, str | None] = field(default_factory=dict)
    corridor_mentions: Counter = field(default_factory=Counter)
    drafts: list[Any] = field(default_factory=list)
    corrected_mentions: int = 0
    derived_fingerprint: str = ""
    derived_keys: set[str] = field(default_factory=set)
    derived_hits: int = 0
    manifest_docs: dict[str, dict] = field(default_factory=dict)
    seen_shas: set[str] = field(default_factory=set)
    deferred: "_Deferred | None" = None  # only with online geocoding


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
    corrections: str | Path | None = None,
) -> BuildReport:
    """Build ``inputs`` into ``out_dir`` (see the module docstring). Raises BuildError/BuildLockedError.

    ``online_geocoder`` (a geopy Geocoder, e.g. ``geo.geocode.online_geocoder()``; None by default,
    so a build never touches the network) looks up the names the geoparser could not place: once
    per distinct name, in the main process, after all documents are parsed (never per worker).
    ``corrections`` is a corrections file (``geo.corrections``); by default the user's store, as
    the app and ``export`` use. Corrections are applied after the (cached) geoparse, so a changed
    corrections file costs a re-run without parsing anything again.
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
                             progress=progress, say=say, started=started, online_geocoder=online_geocoder,
                             corrections_file=Path(corrections) if corrections is not None else None)
    finally:
        lock.release()


def _build_locked(inputs: list[Path], out_dir: Path, *, engine: str, workers: int, scheduler: str | None,
                  region: str | None, chunk_size: int, mentions_per_part: int, corridors_dir: Path | None,
                  gpkg: bool, progress: bool, say: Callable[[str], None], started: float,
                  online_geocoder: Any = None, corrections_file: Path | None = None) -> BuildReport:
    from tqdm import tqdm

    from geo import corridors as cm
    from geo.atlas import _segment_id_lookup
    from geo.excerpts import ExcerptBuilder

    build_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
    runs = out_dir / "runs"
    gazetteer = _default_gazetteer()
    report = BuildReport(out_dir=out_dir, build_id=build_id, run_dir=runs / build_id)
    # Corrections and corridor definitions first: a broken file is reported before the long part starts.
    corrections, corrections_info = _load_corrections(corrections_file, gazetteer, report.warnings)
    corridor_errors: list[CorpusError] = []
    defs = _corridor_definitions(corridors_dir, corridor_errors)
    for err in corridor_errors:
        say(str(err))
        report.errors.append(err)
    corridors = segments = None
    if defs is not None:
        corridors, segments = cm.corridors_frame(defs), cm.segments_frame(defs)

    _clean_partials(runs, say)
    staging = runs / f".partial-{build_id}"
    staging.mkdir(parents=True)
    notes: list[str] = []
    fingerprint = pipeline_fingerprint(region)
    corridors_sha256 = corridors_digest(corridors_dir)
    cache = ResultCache(out_dir / "cache" / "results.sqlite", fingerprint, notes)
    for n in notes:
        say(n)
    report.warnings += notes
    gpkg_path = staging / "atlas.gpkg" if gpkg else None
    st = _State(
        report=report, cache=cache,
        docs_out=_PartWriter(staging / "documents", 20_000, DOCUMENT_COLUMNS, schema=_schema("documents"),
                             row_group_size=DOCUMENT_ROW_GROUP),
        mentions_out=_PartWriter(staging / "mentions", mentions_per_part, MENTION_COLUMNS, points=True,
                                 gpkg=gpkg_path, layer="mentions"),
        excerpts_out=_PartWriter(staging / "excerpts", 250_000, EXCERPT_COLUMNS, schema=_schema("excerpts")),
        capacities_out=_PartWriter(staging / "capacities", 250_000, CAPACITY_COLUMNS, schema=_schema("capacities")),
        places=_PlaceTally(),
        excerpts=ExcerptBuilder(defs or [], seg_id=_segment_id_lookup(defs or [], segments)
                                if segments is not None else segment_id),
        gazetteer=gazetteer, corrections=corrections,
        derived_fingerprint=_derived_fingerprint(corridors_sha256),
        deferred=_Deferred(staging / "deferred.sqlite") if online_geocoder is not None else None,
    )

    window_size = chunk_size * max(2, workers) * 4
    online = online_geocoder is not None
    eng = _make_engine(engine, workers, scheduler, region, unresolved=online)
    # disable=None: a bar on a terminal, none in logs and pipes.
    bar = tqdm(desc="build", unit="doc", file=sys.stderr, disable=None if progress else True, dynamic_ncols=True)
    try:
        stream = _accepted(_stream_documents(inputs, report.warnings), report, st.manifest_docs)
        pending = None
        # Two windows in flight: the next one is read and submitted while the workers parse this one.
        for window in _windows(stream, window_size):
            submitted = (window, *_submit_window(window, cache, eng, chunk_size, online))
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
    if st.deferred is not None:
        _add_online_mentions(st, online_geocoder, say)
    for out in (st.docs_out, st.mentions_out, st.excerpts_out, st.capacities_out):
        out.flush(final=True)
    cache.prune(st.seen_shas, st.derived_keys)
    cache.close()

    places = st.places.frame(gazetteer)
    places.to_parquet(staging / "places.parquet", index=False)
    if gpkg_path is not None:
        _write_gpkg(places, gpkg_path, "places")
    _write_drafts(st.drafts, staging / "drafts.json")
    if corridors is not None:
        corridors, segments = _corridor_layers(staging, corridors, segments, st.corridor_mentions)
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
        "corridors_sha256": corridors_sha256,
        "corrections": corrections_info,
        "engine": engine,
        "workers": workers,
        "counts": {
            "documents": report.documents, "parsed": report.parsed, "reused": report.reused,
            "mentions": report.mentions, "places": report.places, "corridors": report.corridors,
            "excerpts": st.excerpts_out.total, "excerpts_reused": st.derived_hits,
            "corrected_mentions": st.corrected_mentions,
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


def _write_drafts(drafts: list[Any], path: Path) -> None:
    """Routes read from text that match no definition (few): JSON, in document order as build_atlas gives them."""
    rows = sorted((d.to_dict() for d in drafts), key=lambda d: (d["doc_id"], d["start"]))
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


def _corridor_layers(run: Path, corridors, segments, corridor_mentions: Counter):
    """Corridors and segments with their counts, sources and capacities, from the excerpts and
    capacities this build wrote (geo.atlas.corridor_layers: the same code as build_atlas)."""
    import pyarrow.dataset as ds

    from geo.atlas import corridor_layers

    excerpts = ds.dataset(run / "excerpts", format="parquet", schema=_schema("excerpts"))
    linked = excerpts.to_table(filter=ds.field("target_type") != "place").to_pandas()
    capacities = _read_table(run / "capacities", "capacities")
    return corridor_layers(corridors, segments, linked, corridor_mentions, capacities)


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


def _submit_window(window: list[Document], cache: ResultCache, eng, chunk_size: int,
                   unresolved: bool = False) -> tuple[dict, Any]:
    shas = [d.sha256 for d in window]
    cached = cache.get_many(shas, unresolved=unresolved)
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
        st.cache.put_many(((sha, rows) for sha, rows in fresh.items() if not isinstance(rows, str)),
                          unresolved=st.deferred is not None)
    ready: list[tuple[Document, list[MentionRow]]] = []
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
        if st.deferred is not None and any(r[7] is None for r in rows):
            st.deferred.add(doc, rows)  # finished once the online lookup has placed what it can
        else:
            ready.append((doc, [r for r in rows if r[7] is not None]))
    _add_documents(st, ready)


def _derived_fingerprint(corridors_sha256: str) -> str:
    """Changes whenever the code or data that turn a text and its places into excerpts change
    (not the geoparser: the places are part of the key). ``corridors_sha256``: ``corridors_digest``
    of the definitions used."""
    from geo.excerpts import PATTERNS_FILE

    h = hashlib.sha256(f"{FORMAT}|{corridors_sha256}".encode())
    for p in (ROOT / "geo" / "excerpts.py", ROOT / "geo" / "corpus.py", ROOT / "geo" / "atlas.py", PATTERNS_FILE):
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _derived_key(st: _State, sha: str, places: Sequence[Any]) -> str:
    """Excerpts, capacities and drafts depend on the text and its (corrected) places only; document
    id, title, date and source are filled in when rows are written."""
    rows = [(m.start, m.end, m.name, m.lat, m.lon, m.kind, m.country, m.gazetteer_id) for m in places]
    return f"{st.derived_fingerprint}:{sha}:{hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()[:24]}"


def _compact(xs: Any) -> dict[str, Any]:
    """An ExcerptSet of one document without what the document's identity decides."""
    return {
        "x": [(e.target_type, e.target_id, e.start, e.end, e.sentence_start, e.sentence_end) for e in xs.excerpts],
        "c": [(c.corridor_id, c.value, c.unit, c.from_value, c.to_value, c.start, c.end, c.quote)
              for c in xs.capacities],
        "d": [d.to_dict() for d in xs.drafts],
        "m": [m.corridor_id for ms in xs.corridor_mentions.values() for m in ms],
    }


def _expand(doc: Document, value: dict[str, Any]):
    """``_compact``'s inverse for ``doc``: (excerpt rows, capacity rows, drafts, corridor ids mentioned)."""
    from geo.excerpts import DraftRoute

    text = doc.text
    excerpts = [(tt, tid, doc.id, doc.title, doc.date, doc.source, a, b, ss, se, text[ss:se])
                for tt, tid, a, b, ss, se in value["x"]]
    capacities = [(cid, v, unit, lo, hi, doc.id, a, b, quote) for cid, v, unit, lo, hi, a, b, quote in value["c"]]
    drafts = [DraftRoute.from_dict(d, id=f"draft:{doc.id}:{d['start']}", doc_id=doc.id) for d in value["d"]]
    return excerpts, capacities, drafts, value["m"]


def _add_documents(st: _State, items: Sequence[tuple[Document, Sequence[MentionRow]]]) -> None:
    """Documents' outputs: text, (corrected) place mentions, their places, and the excerpts,
    capacities and draft routes build_atlas would derive (from the cache when text and places
    are unchanged since an earlier build)."""
    from geo.atlas import _apply_corrections, mention_key
    from geo.geoparse import PlaceMention

    prepared = []
    for doc, rows in items:
        found = [PlaceMention(start=r[0], end=r[1], name=r[2], lat=r[3], lon=r[4], kind=r[5], country=r[6],
                              gazetteer_id=r[7], score=r[8], alternatives=()) for r in rows]
        fixed: set[str] = set()
        if st.corrections:
            found = _apply_corrections(doc.id, found, st.corrections, st.gazetteer, fixed)
        found.sort(key=lambda m: (m.start, m.end))
        sha = doc.sha256
        prepared.append((doc, sha, found, fixed, _derived_key(st, sha, found)))
    known = st.cache.get_derived([p[4] for p in prepared])
    fresh: list[tuple[str, Any]] = []
    for doc, sha, found, fixed, key in prepared:
        corrected = {(m.start, m.end) for m in found if mention_key(doc.id, m.start, m.end) in fixed}
        st.corrected_mentions += len(corrected)
        for m in found:
            st.mentions_out.add((mention_key(doc.id, m.start, m.end), doc.id, m.start, m.end, m.name, m.gazetteer_id,
                                 m.kind, m.country, float(m.score), doc.date, float(m.lat), float(m.lon),
                                 (m.start, m.end) in corrected))
        st.places.add_document(found, corrected)
        value = known.get(key)
        if value is None:
            value = _compact(st.excerpts.document(doc, found))
            fresh.append((key, value))
        else:
            st.derived_hits += 1
        st.derived_keys.add(key)
        excerpts, capacities, drafts, corridor_ids = _expand(doc, value)
        for row in excerpts:
            st.excerpts_out.add(row)
        for row in capacities:
            st.capacities_out.add(row)
        st.drafts.extend(drafts)
        st.corridor_mentions.update(corridor_ids)
        st.docs_out.add((doc.id, doc.title, doc.date, doc.source, doc.path, sha, len(found), doc.text))
        st.manifest_docs[doc.id] = {"sha256": sha, "mentions": len(found), "path": doc.path}
    if fresh:
        st.cache.put_derived(fresh)


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
        if isinstance(data, dict) and str(data.get("format", "")).startswith("corridor-atlas-build/"):
            raise BuildError(f"{path}: made by another version ({data['format']}, this one reads {FORMAT}); "
                             "build the directory again (documents already parsed come from its cache)")
        raise BuildError(f"{path}: not a {FORMAT} manifest; build the directory again")
    return data


def _read_parts(folder: Path, geo: bool, columns: list[str] | None = None):
    import geopandas as gpd

    parts = sorted(folder.glob("part-*.parquet"))
    if not parts:
        raise BuildError(f"{folder}: no part files; build the directory again")
    frames = [gpd.read_parquet(p, columns=columns) if geo else pd.read_parquet(p, columns=columns) for p in parts]
    if len(frames) == 1:
        return frames[0]
    out = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=CRS) if geo else out


def _read_table(folder: Path, kind: str) -> pd.DataFrame:
    """Excerpts or capacities of a run, in build_atlas's order: excerpts in reading order (dated
    documents by date, then document id, offset, target), capacities by document and offset.

    Excerpts' text columns come back categorical (Arrow dictionaries): a sentence is quoted once
    per target it names and a title once per excerpt, and a big build has millions of excerpts
    (100,000 documents: 2.8M rows, 0.9 GB as strings, 0.22 GB so).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    parts = sorted(folder.glob("part-*.parquet"))
    if not parts:
        raise BuildError(f"{folder}: no part files; build the directory again")
    schema = _schema(kind)
    keys = ["date", "doc_id", "start", "target_type", "target_id"] if kind == "excerpts" else ["doc_id", "start"]
    # Sort on the key columns alone (Arrow cannot sort dictionary columns); undated rows last,
    # as reading_order puts them.
    key_table = pa.concat_tables([pq.read_table(p, columns=keys, schema=pa.schema([schema.field(k) for k in keys]))
                                  for p in parts])
    order = pc.sort_indices(key_table, sort_keys=[(k, "ascending") for k in keys])
    del key_table
    if kind == "excerpts":
        text = [f.name for f in schema if pa.types.is_string(f.type)]
        table = pa.concat_tables([pq.read_table(p, read_dictionary=text) for p in parts]).unify_dictionaries()
    else:
        table = pa.concat_tables([pq.read_table(p, schema=schema) for p in parts])
    return table.take(order).to_pandas()


def load_build_tables(out_dir: str | Path) -> dict[str, Any]:
    """The current run's tables: manifest, documents (with text), mentions, places, corridors, segments."""
    import geopandas as gpd

    out_dir = Path(out_dir)
    manifest = _read_manifest(out_dir / "manifest.json")
    run = _run_dir(out_dir, manifest)
    tables: dict[str, Any] = {
        "manifest": manifest,
        "documents": _read_parts(run / "documents", geo=False),
        "mentions": _read_parts(run / "mentions", geo=True),
        "places": gpd.read_parquet(run / "places.parquet"),
    }
    for name in ("corridors", "segments"):
        p = run / f"{name}.parquet"
        tables[name] = _plain_lists(gpd.read_parquet(p)) if p.exists() else None
    return tables


def _run_dir(out_dir: Path, manifest: dict) -> Path:
    run = out_dir / manifest["run"]
    if not run.is_dir():
        raise BuildError(f"{run}: the run named by the manifest is missing; build the directory again")
    return run


def _plain_lists(frame):
    """Parquet gives list columns back as numpy arrays (of dicts, for nested ones); geo.atlas
    frames hold Python lists, and code such as ``row.get("aliases") or ()`` relies on that."""
    import numpy as np

    def plain(v: Any) -> Any:
        if isinstance(v, np.ndarray):
            return [plain(x) for x in v.tolist()]
        if isinstance(v, list):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        return v

    for col in frame.columns:
        if col != frame.geometry.name and frame[col].dtype == object:
            frame[col] = [plain(v) for v in frame[col]]
    return frame


class StoredDocument:
    """A document of a build: id, title, date, source and path in memory; its text (and the
    passages split from it) read from the build when first asked for. Everything else a
    ``geo.corpus.Document`` offers (``text``, ``sentences``, ``sentence_at`` ...) is there too."""

    __slots__ = ("id", "title", "date", "source", "path", "_store")

    def __init__(self, store: "BuildDocuments", id: str, title: str, date: str | None, source: str | None,
                 path: str | None):
        self._store = store
        self.id, self.title, self.date, self.source, self.path = id, title, date, source, path

    def document(self) -> Document:
        """The full ``geo.corpus.Document`` (text read from the build; the last few are kept)."""
        return self._store.document(self.id)

    def __getattr__(self, name: str) -> Any:  # only for what the slots do not hold
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.document(), name)

    def __repr__(self) -> str:
        return f"StoredDocument(id={self.id!r}, title={self.title!r}, date={self.date!r})"


class BuildDocuments(Mapping):
    """doc id -> ``StoredDocument``, read-only: a dict's interface over a build's documents table.

    Only the metadata columns are loaded (a 100,000-document build would otherwise hold every
    text in memory); a text is read from its Parquet row group (``DOCUMENT_ROW_GROUP`` documents)
    when a caller asks for it, e.g. the app's "whole document".
    """

    def __init__(self, folder: Path):
        import pyarrow.parquet as pq

        self.folder = folder
        self._parts = sorted(folder.glob("part-*.parquet"))
        if not self._parts:
            raise BuildError(f"{folder}: no part files; build the directory again")
        self._docs: dict[str, StoredDocument] = {}
        self._where: dict[str, tuple[int, int, int]] = {}  # id -> (part, row group, row in group)
        self._group_starts: list[list[int]] = []
        for k, part in enumerate(self._parts):
            f = pq.ParquetFile(part)
            meta = f.read(columns=["doc_id", "title", "date", "source", "path"]).to_pydict()
            starts, n = [], 0
            for g in range(f.metadata.num_row_groups):
                starts.append(n)
                n += f.metadata.row_group(g).num_rows
            g = 0
            for i, doc_id in enumerate(meta["doc_id"]):
                while g + 1 < len(starts) and starts[g + 1] <= i:
                    g += 1
                self._where[doc_id] = (k, g, i - starts[g])
                self._docs[doc_id] = StoredDocument(self, doc_id, meta["title"][i], meta["date"][i],
                                                    meta["source"][i], meta["path"][i])
        self._lock = threading.Lock()
        self._recent: OrderedDict[str, Document] = OrderedDict()

    def __getitem__(self, doc_id: str) -> StoredDocument:
        return self._docs[doc_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)

    def text(self, doc_id: str) -> str:
        import pyarrow.parquet as pq

        k, g, i = self._where[doc_id]
        group = pq.ParquetFile(self._parts[k]).read_row_group(g, columns=["text"])
        return group.column(0)[i].as_py()

    def document(self, doc_id: str) -> Document:
        from geo.corpus import split_passages

        with self._lock:
            doc = self._recent.get(doc_id)
            if doc is not None:
                self._recent.move_to_end(doc_id)
                return doc
        meta = self._docs[doc_id]
        text = self.text(doc_id)
        paragraphs, sentences = split_passages(text)
        doc = Document(id=doc_id, text=text, title=meta.title, date=meta.date, source=meta.source, path=meta.path,
                       paragraphs=paragraphs, sentences=sentences)
        with self._lock:
            self._recent[doc_id] = doc
            while len(self._recent) > 64:
                self._recent.popitem(last=False)
        return doc


def _read_drafts(path: Path) -> list[Any]:
    from geo.excerpts import DraftRoute

    if not path.exists():
        return []
    return [DraftRoute.from_dict(d) for d in json.loads(path.read_text(encoding="utf-8"))]


def load_build(out_dir: str | Path, *, corridors_dir: str | Path | None = None):
    """A ``geo.atlas.Atlas`` from a build directory, read as the build stored it: no geoparsing,
    no excerpt matching; documents' texts stay on disk until asked for (``BuildDocuments``).

    Corridor layers are those the build computed. ``corridors_dir`` (e.g. ``export --corridors``)
    must hold the definitions the build used, else this raises BuildError: build again with them.
    The atlas carries the build's corrections (``corrected`` columns); ``atlas.warnings`` says
    when the corrections file has changed since the build.
    """
    import geopandas as gpd

    from geo import corridors as cm
    from geo.atlas import Atlas

    out_dir = Path(out_dir)
    manifest = _read_manifest(out_dir / "manifest.json")
    run = _run_dir(out_dir, manifest)
    built_with = manifest.get("corridors_dir")
    if corridors_dir is not None and corridors_digest(corridors_dir) != manifest.get("corridors_sha256"):
        raise BuildError(f"{corridors_dir}: not the corridor definitions {out_dir} was built with "
                         f"({built_with or CORRIDORS_DIR}); build again with --corridors {corridors_dir}")
    if not (run / "corridors.parquet").exists():
        problems = "; ".join(f"{e['path']}: {e['reason']}" for e in manifest.get("errors", []))
        raise BuildError(f"{out_dir}: built without valid corridor definitions ({problems})")
    defs: list[Any] = []
    with valid_corridors(corridors_dir or built_with) as (usable, _problems):
        if usable is not None:  # for the cards' status notes; the layers come from the build
            defs = cm.load_corridors(usable)
    atlas = Atlas(
        documents=BuildDocuments(run / "documents"),
        corridors=_plain_lists(gpd.read_parquet(run / "corridors.parquet")),
        segments=_plain_lists(gpd.read_parquet(run / "segments.parquet")),
        places=gpd.read_parquet(run / "places.parquet"),
        mentions=_read_parts(run / "mentions", geo=True),
        excerpts=_read_table(run / "excerpts", "excerpts"),
        capacities=_read_table(run / "capacities", "capacities"),
        drafts=_read_drafts(run / "drafts.json"),
        errors=[CorpusError(e["path"], e["reason"]) for e in manifest.get("errors", [])],
        corridor_defs=defs,
    )
    info = manifest.get("corrections") or {}
    if info.get("path") and corrections_sha256(info["path"]) != info.get("sha256"):
        atlas.warnings.append(f"{info['path']}: changed since {out_dir} was built; run the build again to apply "
                              "the corrections (nothing is parsed again)")
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
    parser.add_argument("--corrections", type=Path, default=None, metavar="FILE",
                        help="corrections to apply (default: the app's store, $CORRIDOR_ATLAS_CORRECTIONS or "
                             "data/corrections.json); a changed file is applied on the next build without re-parsing")
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
            online_geocoder=geocoder, corrections=args.corrections,
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

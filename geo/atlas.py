"""Composition: corpus → place mentions → corridors → excerpts, in one ``Atlas``.

``build_atlas`` is a pure function of its inputs (the documents, the corridor
definitions, the gazetteer and the corrections): rows come out in a fixed
order, so two builds of the same corpus are equal frame for frame.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from geo import paths
from geo.corpus import CorpusError, Document, read_corpus
from geo.excerpts import (
    CapacityFact,
    DraftRoute,
    Excerpt,
    ExcerptSet,
    build_excerpts,
    reading_order,
)

__all__ = ["Atlas", "build_atlas", "corridor_layers", "mention_key", "SEED_REGION", "EXCERPT_COLUMNS", "CAPACITY_COLUMNS"]

SEED_REGION = "caucasus-caspian"
_AUTO = "auto"
CRS = "EPSG:4326"

EXCERPT_COLUMNS = list(Excerpt.__dataclass_fields__)
CAPACITY_COLUMNS = list(CapacityFact.__dataclass_fields__)
MENTION_COLUMNS = ["mention_id", "doc_id", "start", "end", "name", "place_id", "kind", "country", "score", "date",
                   "lat", "lon"]
PLACE_COLUMNS = ["place_id", "name", "kind", "country", "mention_count", "doc_count", "lat", "lon", "score"]


def mention_key(doc_id: str, start: int, end: int) -> str:
    """Stable id of one place mention; also the key of a correction."""
    return f"{doc_id}:{start}-{end}"


@dataclass
class Atlas:
    # A dict for a corpus; for a build (geo.build.load_build) a read-only mapping whose values
    # carry id, title, date, source and path, and read their text from the build on first use.
    documents: Mapping[str, Document]
    corridors: gpd.GeoDataFrame
    segments: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    mentions: gpd.GeoDataFrame
    excerpts: pd.DataFrame
    capacities: pd.DataFrame
    drafts: list[DraftRoute] = field(default_factory=list)
    errors: list[CorpusError] = field(default_factory=list)
    corridor_defs: list[Any] = field(default_factory=list, repr=False)
    # mention key -> the geoparser's ranked candidates (shown when a user corrects a place)
    alternatives: dict[str, tuple[Any, ...]] = field(default_factory=dict, repr=False)
    # things a reader should know that are not errors (e.g. a build's corrections are out of date)
    warnings: list[str] = field(default_factory=list)

    def excerpts_for(self, target_type: str, target_id: str) -> list[Excerpt]:
        """Excerpts of one corridor/segment/place in reading order (date, document, offset)."""
        df = self.excerpts
        if df.empty:
            return []
        positions = self._excerpt_positions().get((target_type, target_id))
        if positions is None:
            return []
        rows = df.iloc[positions]
        columns = [rows[c].tolist() for c in EXCERPT_COLUMNS]
        for i, name in enumerate(EXCERPT_COLUMNS):
            if name in ("doc_title", "date", "source"):  # the columns that may be missing (NaN)
                columns[i] = [_plain(v) for v in columns[i]]
        out = [Excerpt(*values) for values in zip(*columns)]
        out.sort(key=reading_order)
        return out

    def _excerpt_positions(self) -> dict[tuple[str, str], Any]:
        """(target type, target id) -> row positions in ``excerpts``; made once per frame (a click
        in the app asks for one target: a 100,000-document build has millions of excerpts)."""
        df = self.excerpts
        cached = self.__dict__.get("_excerpt_index")
        if cached is None or cached[0] is not df or cached[1] != len(df):
            index = df.groupby(["target_type", "target_id"], observed=True, sort=False).indices
            cached = (df, len(df), {(str(k[0]), str(k[1])): v for k, v in index.items()})
            self.__dict__["_excerpt_index"] = cached
        return cached[2]

    def drafts_frame(self) -> gpd.GeoDataFrame:
        """Routes read from text that match no definition, as lines through their places."""
        from shapely.geometry import LineString

        rows = [{"id": d.id, "name": d.name, "doc_id": d.doc_id, "start": d.start, "end": d.end,
                 "quote": d.quote, "waypoints": [w.name for w in d.waypoints], "derived_from_text": True}
                for d in self.drafts]
        geometry = [LineString([(w.lon, w.lat) for w in d.waypoints]) for d in self.drafts]
        return gpd.GeoDataFrame(pd.DataFrame(rows, columns=["id", "name", "doc_id", "start", "end", "quote",
                                                            "waypoints", "derived_from_text"]),
                                geometry=geometry, crs=CRS)

    def capacities_for(self, corridor_id: str) -> list[CapacityFact]:
        df = self.capacities
        if df.empty:
            return []
        rows = df[df["corridor_id"] == corridor_id]
        return [CapacityFact(**{k: _plain(r[k]) for k in CAPACITY_COLUMNS}) for r in rows.to_dict("records")]

    def card(self, target_type: str, target_id: str) -> dict[str, Any]:
        """What the side panel shows about one target (no document text beyond names)."""
        if target_type == "corridor":
            row = _row(self.corridors, "id", target_id)
            d = next((x for x in self.corridor_defs if x.id == target_id), None)
            return {
                "type": "corridor", "id": target_id, "name": row["name"],
                "aliases": list(row.get("aliases") or ()), "kind": row.get("kind"), "status": row.get("status"),
                "status_as_of": getattr(d, "status_as_of", None), "status_source": getattr(d, "status_source", None),
                "description": getattr(d, "description", None),
                "modes": list(row.get("modes") or ()), "length_km": _plain(row.get("length_km")),
                "countries": list(row.get("countries") or ()), "branches": list(row.get("branches") or ()),
                "mention_count": int(row["mention_count"]), "doc_count": int(row["doc_count"]),
                "capacities": [c.to_dict() for c in self.capacities_for(target_id)],
            }
        if target_type == "segment":
            row = _row(self.segments, "segment_id", target_id)
            return {
                "type": "segment", "id": target_id, "corridor_id": row["corridor_id"],
                "branch_id": row.get("branch_id"), "name": f"{row['from_name']} – {row['to_name']}",
                "from_name": row["from_name"], "to_name": row["to_name"], "mode": row.get("mode"),
                "length_km": _plain(row.get("length_km")), "countries": list(row.get("countries") or ()),
                "mention_count": int(row["mention_count"]), "doc_count": int(row["doc_count"]),
            }
        if target_type == "place":
            row = _row(self.places, "place_id", target_id)
            return {
                "type": "place", "id": target_id, "name": row["name"], "kind": row["kind"],
                "country": row["country"], "lat": float(row["lat"]), "lon": float(row["lon"]),
                "mention_count": int(row["mention_count"]), "doc_count": int(row["doc_count"]),
                "score": float(row["score"]), "corrected": bool(row.get("corrected", False)),
            }
        raise ValueError(f"unknown target type {target_type!r}; expected corridor, segment or place")


def _row(frame: pd.DataFrame, column: str, value: str) -> dict[str, Any]:
    hit = frame[frame[column] == value]
    if hit.empty:
        raise KeyError(f"no {column} {value!r}")
    return hit.iloc[0].to_dict()


def _plain(v: Any) -> Any:
    """numpy scalars and NaN to plain Python values."""
    if v is None:
        return None
    if hasattr(v, "item") and not isinstance(v, (list, tuple, dict, str)):
        v = v.item()
    if isinstance(v, float) and v != v:
        return None
    return v


# --- building -----------------------------------------------------------------------


def _documents(corpus: Any) -> tuple[list[Document], list[CorpusError]]:
    if isinstance(corpus, (str, Path)):
        return read_corpus(corpus)
    items = list(corpus)
    if items and all(isinstance(x, Document) for x in items):
        return items, []
    return read_corpus(items)


def _is_seeds(corpus: Any) -> bool:
    try:
        return isinstance(corpus, (str, Path)) and Path(corpus).resolve() == paths.SEEDS_DIR.resolve()
    except OSError:
        return False


def _apply_corrections(doc_id: str, found: list[Any], corrections: Mapping[str, str | None], gazetteer: Any,
                       corrected: set[str] | None = None) -> list[Any]:
    """A correction maps a mention key (or ``"place:<gazetteer id>"``, every mention resolved to that
    place) to the right gazetteer id, to ``"user:<lat>,<lon>"`` (a point the user typed), or to None
    to drop the mention. A mention's own correction wins over its place's. Keys of corrected
    mentions are added to ``corrected``."""
    import dataclasses

    out = []
    for m in found:
        key = mention_key(doc_id, m.start, m.end)
        if key not in corrections:
            key = f"place:{m.gazetteer_id}"
            if not m.gazetteer_id or key not in corrections:
                out.append(m)
                continue
        target = corrections[key]
        if corrected is not None:
            corrected.add(mention_key(doc_id, m.start, m.end))
        if target is None:
            continue
        if target.startswith("user:"):
            lat, lon = _user_point(key, target)
            # a typed point moves the place; its name, kind and country stay
            out.append(dataclasses.replace(m, lat=lat, lon=lon, gazetteer_id=f"user:{lat:.5f},{lon:.5f}", score=1.0))
            continue
        entry = gazetteer.get(target) if gazetteer is not None else None
        if entry is None:
            raise KeyError(f"correction for {key}: unknown gazetteer id {target!r}")
        out.append(dataclasses.replace(
            m, lat=entry.lat, lon=entry.lon, kind=entry.kind, country=entry.country,
            gazetteer_id=entry.id, score=1.0,
        ))
    return out


def _user_point(key: str, target: str) -> tuple[float, float]:
    """``"user:<lat>,<lon>"`` → (lat, lon), checked to be on the globe."""
    try:
        lat_s, lon_s = target[len("user:"):].split(",")
        lat, lon = float(lat_s), float(lon_s)
    except ValueError:
        raise KeyError(f"correction for {key}: {target!r} is not user:<lat>,<lon>") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise KeyError(f"correction for {key}: {target!r} is outside lat -90..90, lon -180..180")
    return lat, lon


def _segment_id_lookup(defs: Sequence[Any], segments: pd.DataFrame):
    """Map (corridor, branch, waypoint index) to the segment ids geo.corridors gave the segments."""
    table: dict[tuple[str, str, int], str] = {}
    rows = defaultdict(list)
    for r in segments[["segment_id", "corridor_id", "branch_id", "from_name", "to_name"]].itertuples(index=False):
        rows[(r.corridor_id, r.branch_id)].append(r)
    for d in defs:
        for b in d.branches:
            pending = list(rows.get((d.id, b.id), []))
            for k in range(len(b.waypoints) - 1):
                a, z = b.waypoints[k].name, b.waypoints[k + 1].name
                hit = next((r for r in pending if r.from_name == a and r.to_name == z), None)
                if hit is None and k < len(pending):
                    hit = pending[k]
                if hit is not None:
                    table[(d.id, b.id, k)] = hit.segment_id

    def seg_id(corridor_id: str, branch_id: str, index: int) -> str:
        return table.get((corridor_id, branch_id, index), f"{corridor_id}/{branch_id}/{index}")

    return seg_id


def _counts(excerpts: pd.DataFrame, ttype: str, ids: Iterable[str], mentions: Counter) -> tuple[list, list, list]:
    """Per target id: mention count (``mentions``, else its excerpts), documents, and sources in
    reading order. Column-wise: a 100,000-document build has over a million segment excerpts."""
    by_target: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if not excerpts.empty:
        sub = excerpts[excerpts["target_type"] == ttype]
        # the order reading_order gives: dated documents first, by date, then document and offset
        # (object arrays: a loaded build's text columns may be categorical)
        dates = sub["date"].astype(object).to_numpy()
        undated = pd.isna(dates)
        order = pd.DataFrame({"undated": undated, "date": np.where(undated, "", dates),
                              "doc_id": sub["doc_id"].astype(object).to_numpy(), "start": sub["start"].to_numpy(),
                              "target_id": sub["target_id"].astype(object).to_numpy()})
        sub = sub.iloc[order.sort_values(["undated", "date", "doc_id", "start", "target_id"], kind="stable").index]
        columns = [sub[c].tolist() for c in ("target_id", "doc_id", "date", "start", "end", "quote")]
        for tid, doc, date, start, end, quote in zip(*columns):
            by_target[tid].append({"doc": doc, "date": _plain(date), "start": start, "end": end, "quote": quote})
    mention_counts, doc_counts, sources = [], [], []
    for i in ids:
        src = by_target.get(i, [])
        mention_counts.append(int(mentions.get(i, len(src))))
        doc_counts.append(len({s["doc"] for s in src}))
        sources.append(src)
    return mention_counts, doc_counts, sources


def corridor_layers(corridors: gpd.GeoDataFrame, segments: gpd.GeoDataFrame, excerpts: pd.DataFrame,
                    corridor_mentions: Mapping[str, int], capacities: pd.DataFrame
                    ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The corridor and segment frames with what the corpus says about them: ``mention_count``,
    ``doc_count``, ``sources`` (excerpts in reading order) and, for corridors, ``capacities``.

    ``excerpts`` needs only its corridor and segment rows; ``corridor_mentions`` counts corridor
    mentions by id. ``build_atlas`` and a build (``geo.build``) both call this, so the layers they
    export are the same.
    """
    corridors = corridors.copy()
    mc, dc, src = _counts(excerpts, "corridor", corridors["id"], Counter(corridor_mentions))
    corridors["mention_count"], corridors["doc_count"], corridors["sources"] = mc, dc, src
    facts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in capacities.to_dict("records"):
        facts[r["corridor_id"]].append(CapacityFact(**{k: _plain(r[k]) for k in CAPACITY_COLUMNS}).to_dict())
    corridors["capacities"] = [facts.get(cid, []) for cid in corridors["id"]]
    segments = segments.copy()
    mc, dc, src = _counts(excerpts, "segment", segments["segment_id"], Counter())
    segments["mention_count"], segments["doc_count"], segments["sources"] = mc, dc, src
    return corridors, segments


def build_atlas(
    corpus: str | Path | Sequence[str | Path] | Sequence[Document] = paths.SEEDS_DIR,
    *,
    parser: Any = None,
    corridors_dir: str | Path | None = None,
    region: str | None = _AUTO,
    corrections: Mapping[str, str | None] | None = None,
) -> Atlas:
    """Read the corpus, geoparse it, match corridors and compose every layer.

    ``region`` biases place resolution; by default it is ``"caucasus-caspian"`` for the bundled
    seeds and None for any other corpus. ``corrections`` maps a mention key (``mention_key``) to
    a gazetteer id, or to None to drop a wrong mention.
    """
    from geo import corridors as corridors_mod
    from geo.geoparse import Geoparser

    if region == _AUTO:
        region = SEED_REGION if _is_seeds(corpus) else None
    docs, errors = _documents(corpus)
    docs = sorted(docs, key=lambda d: d.id)
    if parser is None:
        parser = Geoparser(region=region)
    gazetteer = getattr(parser, "gazetteer", None)

    defs = corridors_mod.load_corridors(corridors_dir) if corridors_dir else corridors_mod.load_corridors()
    corridors = corridors_mod.corridors_frame(defs)
    segments = corridors_mod.segments_frame(defs)

    places_by_doc: dict[str, list[Any]] = {}
    alternatives: dict[str, tuple[Any, ...]] = {}
    corrected: set[str] = set()
    for doc in docs:
        found = list(parser.parse(doc.text))
        for m in found:
            alternatives[mention_key(doc.id, m.start, m.end)] = tuple(getattr(m, "alternatives", ()) or ())
        if corrections:
            found = _apply_corrections(doc.id, found, corrections, gazetteer, corrected)
        places_by_doc[doc.id] = sorted(found, key=lambda m: (m.start, m.end))

    xs: ExcerptSet = build_excerpts(docs, places_by_doc, defs, seg_id=_segment_id_lookup(defs, segments))
    excerpts = pd.DataFrame([e.to_dict() for e in xs.excerpts], columns=EXCERPT_COLUMNS)
    capacities = pd.DataFrame([c.to_dict() for c in xs.capacities], columns=CAPACITY_COLUMNS)

    corridor_mentions = Counter(m.corridor_id for ms in xs.corridor_mentions.values() for m in ms)
    corridors, segments = corridor_layers(corridors, segments, excerpts, corridor_mentions, capacities)

    mentions = _mentions_frame(docs, places_by_doc)
    # exports say which rows a user corrected
    mentions["corrected"] = mentions["mention_id"].isin(corrected)
    places = _places_frame(mentions, gazetteer)
    fixed = set(mentions.loc[mentions["corrected"], "place_id"])
    places["corrected"] = places["place_id"].isin(fixed)
    return Atlas(
        documents={d.id: d for d in docs}, corridors=corridors, segments=segments, places=places,
        mentions=mentions, excerpts=excerpts, capacities=capacities, drafts=xs.drafts, errors=errors,
        corridor_defs=list(defs), alternatives=alternatives,
    )


def _mentions_frame(docs: Sequence[Document], places_by_doc: Mapping[str, Sequence[Any]]) -> gpd.GeoDataFrame:
    rows = []
    for doc in docs:
        for m in places_by_doc.get(doc.id, ()):
            if not m.gazetteer_id:
                continue
            rows.append({
                "mention_id": mention_key(doc.id, m.start, m.end), "doc_id": doc.id, "start": m.start, "end": m.end,
                "name": m.name, "place_id": m.gazetteer_id, "kind": m.kind, "country": m.country,
                "score": float(m.score), "date": doc.date, "lat": float(m.lat), "lon": float(m.lon),
            })
    frame = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    geometry = [Point(lon, lat) for lon, lat in zip(frame["lon"], frame["lat"])]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)


def _places_frame(mentions: gpd.GeoDataFrame, gazetteer: Any) -> gpd.GeoDataFrame:
    rows = []
    for pid, grp in mentions.groupby("place_id", sort=True):
        entry = gazetteer.get(pid) if gazetteer is not None and hasattr(gazetteer, "get") else None
        surface = Counter(grp["name"]).most_common(1)[0][0]
        first = grp.iloc[0]
        rows.append({
            "place_id": pid, "name": entry.name if entry is not None else surface,
            "kind": first["kind"], "country": first["country"],
            "mention_count": int(len(grp)), "doc_count": int(grp["doc_id"].nunique()),
            "lat": float(first["lat"]), "lon": float(first["lon"]), "score": float(grp["score"].max()),
        })
    rows.sort(key=lambda r: (-r["mention_count"], r["name"], r["place_id"]))
    frame = pd.DataFrame(rows, columns=PLACE_COLUMNS)
    geometry = [Point(lon, lat) for lon, lat in zip(frame["lon"], frame["lat"])]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)

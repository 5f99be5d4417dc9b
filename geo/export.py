"""Export an Atlas: RFC 7946 GeoJSON, GeoPackage and CSV, always written atomically.

GeoJSON is built feature by feature rather than through GDAL because corridor
features carry nested properties (``sources``: a list of objects with quotes)
that GDAL's GeoJSON writer would flatten to strings. The RFC 7946 rules GDAL's
``RFC7946=YES`` applies are applied here: WGS 84 lon/lat, no ``crs`` member,
counter-clockwise exterior rings (``shapely.orient_polygons``), lines split
at the antimeridian, 6 decimals.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, MultiLineString, mapping
from shapely.geometry.base import BaseGeometry

from geo.safe import atomic_write_text

__all__ = ["LAYERS", "ID_COLUMNS", "to_geojson", "write_geojson", "write_gpkg", "mentions_csv", "write_csv", "write"]

LAYERS = ("corridors", "segments", "places", "mentions")
ID_COLUMNS = {"corridors": "id", "segments": "segment_id", "places": "place_id", "mentions": "mention_id"}
PRECISION = 6


# --- values and geometry ------------------------------------------------------------


def _jsonable(v: Any) -> Any:
    """Plain JSON values: numpy scalars/arrays, tuples, NaN → None; text untouched."""
    if v is None or isinstance(v, (str, bool)):
        return v
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_jsonable(x) for x in v]
    if hasattr(v, "__dataclass_fields__"):
        return {k: _jsonable(getattr(v, k)) for k in v.__dataclass_fields__}
    if isinstance(v, BaseGeometry):
        return None
    if v is pd.NA or v is pd.NaT:
        return None
    return str(v)


def _split_line_at_antimeridian(coords: list[tuple[float, ...]]) -> list[list[tuple[float, float]]]:
    """Break a line wherever a step jumps more than 180° of longitude (it crosses ±180)."""
    parts: list[list[tuple[float, float]]] = [[tuple(coords[0][:2])]]
    for (x0, y0, *_), (x1, y1, *_) in zip(coords, coords[1:]):
        if abs(x1 - x0) > 180:
            edge = 180.0 if x0 > 0 else -180.0
            x1_shift = x1 + 360 if x0 > 0 else x1 - 360
            t = (edge - x0) / (x1_shift - x0) if x1_shift != x0 else 0.0
            y = y0 + t * (y1 - y0)
            parts[-1].append((edge, y))
            parts.append([(-edge, y)])
        parts[-1].append((x1, y1))
    return [p for p in parts if len(p) >= 2]


def _rfc7946_geometry(geom: BaseGeometry | None) -> dict[str, Any] | None:
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("LineString", "MultiLineString"):
        lines = [geom] if geom.geom_type == "LineString" else list(geom.geoms)
        pieces = [p for line in lines for p in _split_line_at_antimeridian(list(line.coords))]
        if len(pieces) != len(lines):
            geom = MultiLineString(pieces) if len(pieces) > 1 else LineString(pieces[0])
    if geom.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection"):
        geom = shapely.orient_polygons(geom, exterior_cw=False)
    geom = shapely.transform(geom, lambda xy: np.round(xy, PRECISION))
    return mapping(geom)


# --- GeoJSON -----------------------------------------------------------------------


def _frame_features(gdf: Any, layer: str) -> list[dict[str, Any]]:
    if gdf is None or len(gdf) == 0:
        return []
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    id_col = ID_COLUMNS.get(layer)
    geom_col = gdf.geometry.name
    columns = [c for c in gdf.columns if c != geom_col]
    features = []
    for row, geom in zip(gdf[columns].itertuples(index=False, name=None), gdf.geometry):
        props = {c: _jsonable(v) for c, v in zip(columns, row)}
        props["layer"] = layer
        feature: dict[str, Any] = {"type": "Feature"}
        if id_col and props.get(id_col) is not None:
            feature["id"] = props[id_col]
        feature["geometry"] = _rfc7946_geometry(geom)
        feature["properties"] = props
        features.append(feature)
    return features


def _layers(layer: str) -> tuple[str, ...]:
    if layer == "all":
        return LAYERS
    if layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r}; expected one of {', '.join(LAYERS)} or all")
    return (layer,)


def to_geojson(gdf_or_atlas: Any, layer: str = "all", *, as_text: bool = False) -> dict[str, Any] | str:
    """An RFC 7946 FeatureCollection of one layer of an Atlas, of all of them, or of a GeoDataFrame
    (then ``layer`` names it). Every feature's properties carry ``layer``."""
    if hasattr(gdf_or_atlas, "geometry"):  # a GeoDataFrame
        features = _frame_features(gdf_or_atlas, layer)
    else:
        features = [f for name in _layers(layer) for f in _frame_features(getattr(gdf_or_atlas, name), name)]
    fc = {"type": "FeatureCollection", "features": features}
    if as_text:
        return json.dumps(fc, ensure_ascii=False, allow_nan=False)
    return fc


def write_geojson(atlas: Any, path: str | Path, layer: str = "all") -> Path:
    text = to_geojson(atlas, layer, as_text=True)
    return atomic_write_text(path, text)


# --- GeoPackage and CSV ----------------------------------------------------------------


def _flat_for_gdal(gdf: Any) -> Any:
    """Nested values (lists, dicts) become JSON text: GDAL fields are scalars."""
    out = gdf.copy()
    for c in out.columns:
        if c == out.geometry.name:
            continue
        if out[c].map(lambda v: isinstance(v, (list, tuple, dict, np.ndarray))).any():
            out[c] = out[c].map(lambda v: json.dumps(_jsonable(v), ensure_ascii=False))
    return out


def write_gpkg(atlas: Any, path: str | Path, layers: Iterable[str] = LAYERS) -> Path:
    """One GeoPackage layer per atlas layer; written to a temp file then renamed over ``path``."""
    import pyogrio

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".gpkg", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)  # GDAL must create the file itself
    try:
        first = True
        for name in layers:
            gdf = getattr(atlas, name)
            if len(gdf) == 0:
                continue
            pyogrio.write_dataframe(_flat_for_gdal(gdf.to_crs(4326)), tmp, layer=name, driver="GPKG",
                                    append=not first)
            first = False
        if first:
            raise ValueError("nothing to write: every layer is empty")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


_FORMULA_START = ("=", "+", "@", "\t", "\r")


def _csv_safe(v: Any) -> Any:
    """Spreadsheets run cells starting with '=' etc. as formulas: quote those with a leading "'"."""
    if isinstance(v, str) and v.startswith(_FORMULA_START):
        return "'" + v
    return v


def mentions_csv(atlas: Any) -> str:
    """One row per place mention (no geometry column; lat/lon are columns)."""
    frame = pd.DataFrame(atlas.mentions.drop(columns=atlas.mentions.geometry.name))
    for c in frame.columns:
        if frame[c].dtype == object:
            frame[c] = frame[c].map(_csv_safe)
    return frame.to_csv(index=False, lineterminator="\n")


def write_csv(atlas: Any, path: str | Path) -> Path:
    return atomic_write_text(path, mentions_csv(atlas))


def write(atlas: Any, path: str | Path, *, layer: str = "all", fmt: str | None = None) -> Path:
    """Write in the format named by ``fmt`` or by the file suffix (.geojson/.json, .gpkg, .csv)."""
    path = Path(path)
    fmt = fmt or {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".csv": "csv"}.get(path.suffix.lower())
    if fmt == "geojson":
        return write_geojson(atlas, path, layer)
    if fmt == "gpkg":
        return write_gpkg(atlas, path, _layers(layer))
    if fmt == "csv":
        if layer not in ("mentions", "all"):
            raise ValueError("CSV export holds the mentions layer only")
        return write_csv(atlas, path)
    raise ValueError(f"{path}: cannot tell the format from the suffix; use --format geojson|gpkg|csv")

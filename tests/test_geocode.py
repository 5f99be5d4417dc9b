"""geopy geocoders: offline over the real gazetteer; the online wrapper with a fake backend (no network)."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from geopy.exc import GeocoderServiceError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.gazetteer import default_gazetteer
from geo.geocode import (
    CachingGeocoder,
    ChainedGeocoder,
    OfflineGeocoder,
    default_user_agent,
    online_geocoder,
)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def offline() -> OfflineGeocoder:
    return OfflineGeocoder(default_gazetteer())


class FakeGeocoder(Geocoder):
    """A geopy backend that answers from a dict and counts its calls (stands in for Nominatim)."""

    def __init__(self, answers: dict[str, tuple[float, float]], fail: bool = False):
        super().__init__(user_agent="test")
        self.answers = answers
        self.fail = fail
        self.calls: list[tuple[str, float]] = []

    def geocode(self, query, *, exactly_one=True, **kwargs):
        self.calls.append((query, time.monotonic()))
        if self.fail:
            raise GeocoderServiceError("backend down")
        if query not in self.answers:
            return None
        loc = Location(f"{query}, Fakeland", self.answers[query], {"query": query})
        return loc if exactly_one else [loc]


# --- offline --------------------------------------------------------------------


def test_offline_geocode_returns_a_geopy_location(offline: OfflineGeocoder) -> None:
    loc = offline.geocode("Baku")
    assert isinstance(loc, Location)
    assert loc.address.endswith("Azerbaijan") and loc.address.startswith("Baku")
    assert abs(loc.latitude - 40.38) < 0.1 and abs(loc.longitude - 49.87) < 0.1
    assert loc.point.latitude == loc.latitude  # (lat, lon) order, not (lon, lat)
    assert loc.raw["id"] == "gn:587084" and loc.raw["kind"] == "city" and loc.raw["primary"] is True
    assert loc.raw["country"] == "AZ"


def test_offline_many_results_are_ordered_and_limited(offline: OfflineGeocoder) -> None:
    many = offline.geocode("Aktau", exactly_one=False)
    assert isinstance(many, list) and len(many) >= 3
    assert many[0].raw["admin1_name"] == "Mangystau"  # the Caspian port city first
    assert len(offline.geocode("Aktau", exactly_one=False, limit=2)) == 2
    assert offline.geocode("no such place anywhere") is None


def test_offline_context_after_a_comma_narrows_the_answer(offline: OfflineGeocoder) -> None:
    ohio = offline.geocode("Lima, Ohio")
    assert ohio.raw["country"] == "US" and ohio.raw["admin1_name"] == "Ohio"
    assert offline.geocode("Lima").raw["country"] == "PE"
    assert offline.geocode("Astara, Azerbaijan").raw["country"] == "AZ"
    assert offline.geocode("Astara, Iran").raw["country"] == "IR"
    assert offline.geocode("Shirvan", country_codes="AZ").raw["country"] == "AZ"
    assert offline.geocode("Caspian Sea", kinds=["sea"]).raw["id"] == "ne:caspian-sea"
    assert offline.geocode("Baku", kinds=["sea"]) is None


def test_offline_reverse_finds_the_nearest_place(offline: OfflineGeocoder) -> None:
    loc = offline.reverse((41.69, 44.83))
    assert loc.raw["name"] == "Tbilisi"
    assert offline.reverse("0.0, -160.0") is None  # open Pacific
    near = offline.reverse((39.94, 49.41), exactly_one=False, max_km=5, kinds=("port",))
    assert near[0].raw["id"] == "cur:alat-port"


def test_offline_geocoder_works_behind_a_rate_limiter(offline: OfflineGeocoder) -> None:
    limited = RateLimiter(offline.geocode, min_delay_seconds=0, swallow_exceptions=False)
    assert limited("Tbilisi").raw["country"] == "GE"


# --- online wrapper: cache, rate limit, chain (fake backend) ---------------------


def test_cache_answers_each_query_once_and_persists(tmp_path: Path) -> None:
    cache = tmp_path / "geo.json"
    fake = FakeGeocoder({"Kuryk": (43.18, 51.68)})
    g = CachingGeocoder(fake, cache, min_delay_seconds=0)
    first = g.geocode("Kuryk")
    again = g.geocode("  kuryk ")  # same query after whitespace/case folding
    assert (first.latitude, first.longitude) == (43.18, 51.68) == (again.latitude, again.longitude)
    assert g.geocode("Nowhere") is None and g.geocode("Nowhere") is None  # misses are cached too
    assert [q for q, _ in fake.calls] == ["Kuryk", "Nowhere"]

    stored = json.loads(cache.read_text(encoding="utf-8"))
    assert stored["format"] == 1 and len(stored["answers"]) == 2
    assert not list(tmp_path.glob(".*.tmp"))  # atomic write left no temp file

    fresh_backend = FakeGeocoder({})
    reopened = CachingGeocoder(fresh_backend, cache, min_delay_seconds=0)
    assert reopened.geocode("Kuryk").raw == {"query": "Kuryk"}
    assert fresh_backend.calls == []


def test_rate_limiter_spaces_out_backend_calls(tmp_path: Path) -> None:
    fake = FakeGeocoder({"A": (1.0, 1.0), "B": (2.0, 2.0), "C": (3.0, 3.0)})
    g = CachingGeocoder(fake, tmp_path / "c.json", min_delay_seconds=0.25)
    for q in ("A", "B", "A", "C"):
        g.geocode(q)
    times = [t for _, t in fake.calls]
    assert len(times) == 3
    assert all(b - a >= 0.24 for a, b in zip(times, times[1:])), times


def test_backend_failures_raise_and_are_not_cached(tmp_path: Path) -> None:
    fake = FakeGeocoder({"A": (1.0, 1.0)}, fail=True)
    g = CachingGeocoder(fake, tmp_path / "c.json", min_delay_seconds=0, max_retries=1,
                        error_wait_seconds=0)
    with pytest.raises(GeocoderServiceError):
        g.geocode("A")
    assert len(fake.calls) == 2  # one retry, then the error reaches the caller
    fake.fail = False
    assert g.geocode("A").latitude == 1.0


def test_corrupt_cache_file_starts_empty(tmp_path: Path, caplog) -> None:
    cache = tmp_path / "c.json"
    cache.write_text("{not json", encoding="utf-8")
    fake = FakeGeocoder({"A": (1.0, 1.0)})
    g = CachingGeocoder(fake, cache, min_delay_seconds=0)
    assert "unreadable" in caplog.text and len(g) == 0
    assert g.geocode("A").latitude == 1.0
    assert json.loads(cache.read_text(encoding="utf-8"))["answers"]


def test_chain_tries_offline_first(offline: OfflineGeocoder, tmp_path: Path) -> None:
    fake = FakeGeocoder({"Hypothetical Dry Port": (40.0, 50.0), "Baku": (0.0, 0.0)})
    chain = ChainedGeocoder(offline, CachingGeocoder(fake, tmp_path / "c.json", min_delay_seconds=0))
    assert chain.geocode("Baku").raw["id"] == "gn:587084"
    assert fake.calls == []
    assert chain.geocode("Hypothetical Dry Port").latitude == 40.0
    assert [q for q, _ in fake.calls] == ["Hypothetical Dry Port"]
    assert chain.geocode("Nowhere at all") is None


def test_online_geocoder_identifies_itself_without_calling_out(tmp_path: Path) -> None:
    g = online_geocoder("nominatim", cache_path=tmp_path / "n.json", contact="ops@example.org")
    ua = g.backend.headers["User-Agent"]
    assert ua == default_user_agent("ops@example.org")
    assert ua.startswith("corridor-atlas/") and "ops@example.org" in ua
    assert not (tmp_path / "n.json").exists()  # nothing fetched, nothing written

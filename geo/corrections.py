"""The correction store: a user's fixes to place resolution, kept in ``data/corrections.json``.

A correction maps a key to a target:

- key ``"<doc>:<start>-<end>"`` (``geo.atlas.mention_key``): one mention;
  key ``"place:<gazetteer id>"``: every mention the geoparser resolved to that place;
- target: a gazetteer id, ``"user:<lat>,<lon>"`` (a point the user typed), or None (not a place).

The store is an ordered list (oldest first) so "undo last" removes the newest. The file is
written atomically; a file that cannot be read is reported (``CorrectionStoreError``) and never
overwritten unless the caller asks, and then it is first copied aside as a backup.
``build_atlas(corrections=as_mapping(load_corrections()))`` applies it.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from geo import paths
from geo.safe import atomic_write_text

__all__ = [
    "ENV_VAR", "Correction", "CorrectionStoreError", "corrections_path", "load_corrections", "save_corrections",
    "as_mapping", "load_mapping", "set_correction", "remove_correction", "undo_last", "place_key", "user_target",
    "parse_user_target", "backup_corrupt",
]

ENV_VAR = "CORRIDOR_ATLAS_CORRECTIONS"
VERSION = 1


class CorrectionStoreError(Exception):
    """The corrections file exists but cannot be used (bad JSON, wrong shape)."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Correction:
    key: str  # mention key or "place:<gazetteer id>"
    target: str | None  # gazetteer id, "user:<lat>,<lon>", or None to drop
    label: str = ""  # what the user saw when choosing (name of the place), for the undo list
    created: str = ""  # ISO time, UTC


def corrections_path() -> Path:
    """``$CORRIDOR_ATLAS_CORRECTIONS`` if set (tests point it at tmp_path), else ``data/corrections.json``."""
    return Path(os.environ.get(ENV_VAR) or paths.DATA_DIR / "corrections.json")


def place_key(place_id: str) -> str:
    return f"place:{place_id}"


def user_target(lat: float, lon: float) -> str:
    """A typed point as a correction target; raises ValueError outside lat -90..90 / lon -180..180."""
    lat, lon = float(lat), float(lon)
    if not (-90.0 <= lat <= 90.0):
        raise ValueError(f"latitude {lat} is outside -90..90")
    if not (-180.0 <= lon <= 180.0):
        raise ValueError(f"longitude {lon} is outside -180..180")
    return f"user:{lat:.5f},{lon:.5f}"


def parse_user_target(target: str) -> tuple[float, float] | None:
    """(lat, lon) of a ``user:`` target, None for anything else."""
    if not target or not target.startswith("user:"):
        return None
    lat, lon = target[5:].split(",")
    return float(lat), float(lon)


def _check_item(item: object, index: int) -> Correction:
    if not isinstance(item, dict) or not isinstance(item.get("key"), str) or not item["key"]:
        raise ValueError(f"entry {index} has no key")
    target = item.get("target")
    if target is not None and not isinstance(target, str):
        raise ValueError(f"entry {index} ({item['key']}): target must be a string or null")
    if isinstance(target, str) and target.startswith("user:"):
        try:
            lat, lon = parse_user_target(target)  # type: ignore[misc]
            user_target(lat, lon)
        except ValueError as exc:
            raise ValueError(f"entry {index} ({item['key']}): {target!r}: {exc}") from None
    return Correction(item["key"], target, str(item.get("label") or ""), str(item.get("created") or ""))


def load_corrections(path: str | Path | None = None) -> list[Correction]:
    """The stored corrections, oldest first; [] when there is no file yet."""
    path = Path(path) if path is not None else corrections_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise CorrectionStoreError(path, f"cannot read: {exc}") from None
    return parse_corrections(raw, path)


def parse_corrections(raw: str | bytes, path: str | Path) -> list[Correction]:
    """The corrections in a file's content (``path`` names it in errors); for readers that hash the
    same bytes they apply."""
    path = Path(path)
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or not isinstance(data.get("corrections"), list):
            raise ValueError('expected {"version": 1, "corrections": [...]}')
        return [_check_item(x, i) for i, x in enumerate(data["corrections"])]
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise CorrectionStoreError(path, f"not a valid corrections file ({exc})") from None


def backup_corrupt(path: str | Path | None = None) -> Path:
    """Copy an unreadable corrections file aside (``<name>.corrupt-<UTC time>``); returns the copy."""
    path = Path(path) if path is not None else corrections_path()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    backup = path.with_name(f"{path.name}.corrupt-{stamp}")
    shutil.copy2(path, backup)
    return backup


def save_corrections(items: list[Correction], path: str | Path | None = None, *,
                     replace_corrupt: bool = False) -> Path:
    """Write the store atomically. A corrupt file already there raises CorrectionStoreError, unless
    ``replace_corrupt``: then it is backed up first (``backup_corrupt``)."""
    path = Path(path) if path is not None else corrections_path()
    try:
        load_corrections(path)
    except CorrectionStoreError:
        if not replace_corrupt:
            raise
        backup_corrupt(path)
    text = json.dumps({"version": VERSION, "corrections": [asdict(c) for c in items]}, ensure_ascii=False, indent=1)
    return atomic_write_text(path, text + "\n")


def set_correction(items: list[Correction], key: str, target: str | None, label: str = "") -> list[Correction]:
    """A new list with ``key`` corrected to ``target`` (replacing an earlier correction of that key)."""
    if target is not None and target.startswith("user:"):
        lat, lon = parse_user_target(target)  # type: ignore[misc]
        target = user_target(lat, lon)  # validates the range
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return [c for c in items if c.key != key] + [Correction(key, target, label, now)]


def remove_correction(items: list[Correction], key: str) -> list[Correction]:
    return [c for c in items if c.key != key]


def undo_last(items: list[Correction]) -> list[Correction]:
    return items[:-1]


def as_mapping(items: list[Correction]) -> dict[str, str | None]:
    """What ``build_atlas(corrections=...)`` takes."""
    return {c.key: c.target for c in items}


def load_mapping(path: str | Path | None = None) -> dict[str, str | None]:
    return as_mapping(load_corrections(path))

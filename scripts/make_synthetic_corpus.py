#!/usr/bin/env python
"""Make a deterministic synthetic corpus of news-like corridor stories as JSONL.

    python scripts/make_synthetic_corpus.py N OUT.jsonl [--seed 7]

Place names are real: the Natural Earth populated places and ports of the region shipped in
data/naturalearth (so the gazetteer can resolve most of them), mixed with sentence patterns
that name the corridors. The same N and seed always give the same bytes, so benchmark and
test runs are comparable. Used by scripts/bench_build.py and the build tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NE = ROOT / "data" / "naturalearth"

CORRIDORS = [
    "the Middle Corridor", "the Trans-Caspian International Transport Route", "TITR",
    "the International North-South Transport Corridor", "INSTC", "the North-South corridor",
    "the Zangezur corridor", "the Lapis Lazuli corridor", "the Baku-Tbilisi-Kars railway",
]
SOURCES = ["Report", "Trend", "News.Az", "nCa", "Kazinform", "Azernews", "Daily Sabah", "Tehran Times"]
GOODS = ["containers", "grain", "oil products", "fertiliser", "steel", "cotton", "cars", "coal"]
PATTERNS = [
    "A container train left {a} for {b} along {c} on {d}.",
    "Officials in {a} said cargo volumes on {c} rose by {n} percent this year.",
    "The new terminal near {a} will handle {n} thousand TEU of {g} a year, linking {b} and {e}.",
    "Ministers from {a} and {b} discussed tariffs for {c} at a meeting in {e}.",
    "Shipments of {g} from {a} reached the port of {b} in {n} days.",
    "Rail operators plan to double the line between {a} and {b}, part of {c}.",
    "Trucks queued for {n} hours at the border crossing near {a}.",
    "The ferry from {a} to {b} carried {n} wagons of {g}.",
    "Investors from {e} will fund a logistics hub in {a} to serve {c}.",
    "Delegations visited {a}, {b} and {e} to review progress on {c}.",
]


def place_names() -> list[str]:
    """Distinct English names of the region's populated places and ports, sorted (stable)."""
    names: set[str] = set()
    for fname, key in (("ne_10m_populated_places_region.geojson", "NAME"), ("ne_10m_ports.geojson", "name")):
        with open(NE / fname, encoding="utf-8") as fh:
            for feat in json.load(fh)["features"]:
                name = (feat.get("properties") or {}).get(key)
                lon, lat = feat["geometry"]["coordinates"][:2]
                in_region = 20 <= lon <= 125 and 0 <= lat <= 65  # the ports layer is worldwide
                if in_region and isinstance(name, str) and name.strip() and name.isprintable():
                    names.add(name.strip())
    return sorted(names)


def make_document(i: int, rng: random.Random, names: list[str]) -> dict:
    when = date(2018, 1, 1) + timedelta(days=rng.randrange(0, 2900))
    source = rng.choice(SOURCES)
    sentences = []
    for _ in range(rng.randint(4, 9)):
        a, b, e = rng.sample(names, 3)
        sentences.append(rng.choice(PATTERNS).format(
            a=a, b=b, e=e, c=rng.choice(CORRIDORS), g=rng.choice(GOODS), n=rng.randint(2, 90),
            d=when.strftime("%d %B %Y"),
        ))
    paragraphs = [" ".join(sentences[j : j + 3]) for j in range(0, len(sentences), 3)]
    text = "\n\n".join(paragraphs) + f"\n\n/// {source}, {when.day} {when.strftime('%B %Y')}"
    return {"id": f"syn-{i:07d}", "title": sentences[0][:100], "date": when.isoformat(), "source": source, "text": text}


def write_corpus(n: int, out: Path, seed: int = 7) -> Path:
    """Write N documents to OUT (temp file + rename, so a half-written corpus never appears)."""
    rng = random.Random(seed)
    names = place_names()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for i in range(n):
                fh.write(json.dumps(make_document(i, rng, names), ensure_ascii=False) + "\n")
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of documents")
    ap.add_argument("out", type=Path, help="output .jsonl file")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    if args.n < 0:
        ap.error("N must be >= 0")
    write_corpus(args.n, args.out, args.seed)
    print(f"wrote {args.n} documents to {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

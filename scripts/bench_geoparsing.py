#!/usr/bin/env python3
"""Score the geoparser on the five public geoparsing benchmarks and print a markdown table.

Usage: python scripts/bench_geoparsing.py BENCH_DIR [--limit N] [--only lgl,geowebnews] [--region R]

BENCH_DIR holds lgl.jsonl, geowebnews.jsonl, trnews.jsonl, geovirus.jsonl and wiktor.jsonl
(shared/benchmarks/geoparsing). The files are read in place, never copied into the project.
Published figures are printed beside ours; they come from the papers cited in the benchmark README.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from geo.evaluate import Report, evaluate
from geo.geoparse import Geoparser

CORPORA = ("lgl", "geowebnews", "trnews", "geovirus", "wiktor")
# Published figures: resolution with gold spans (acc@161), end-to-end recognition F1 / acc@161.
PUBLISHED_RESOLVE = {
    "lgl": "0.83 (Mordecai3)", "geowebnews": "0.94 (Mordecai3)", "trnews": "0.87 (Mordecai3)",
    "geovirus": "0.82 (CamCoder)", "wiktor": "0.65 (CamCoder)",
}
PUBLISHED_E2E = {
    "lgl": "F1 0.71 (Topocluster)", "geowebnews": "acc@161 0.92 at R 0.54 (Edinburgh)",
}
TARGET_RESOLVE = {"lgl": 0.85, "geowebnews": 0.96, "trnews": 0.90, "geovirus": 0.85, "wiktor": 0.75}
TARGET_F1 = {"lgl": 0.75, "geowebnews": 0.78}


def _f(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bench_dir", type=Path)
    ap.add_argument("--limit", type=int, default=None, help="first N documents of each corpus")
    ap.add_argument("--only", default=",".join(CORPORA), help="comma-separated corpora")
    ap.add_argument("--region", default=None, help="regional focus (off by default, as in the product)")
    ap.add_argument("--demonyms", action="store_true",
                    help="count adjectives of places as toponyms (LGL/GeoWebNews convention; off in the product)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    parser = Geoparser(region=args.region, demonyms=args.demonyms)
    load_s = time.perf_counter() - t0
    rows: list[tuple[str, Report, Report]] = []
    for name in [c.strip() for c in args.only.split(",") if c.strip()]:
        path = args.bench_dir / f"{name}.jsonl"
        if not path.is_file():
            print(f"skip {name}: {path} missing", file=sys.stderr)
            continue
        res = evaluate(path, resolve=True, parser=parser, limit=args.limit)
        e2e = evaluate(path, resolve=False, parser=parser, limit=args.limit)
        print(f"{name}: done in {res.seconds + e2e.seconds:.0f} s", file=sys.stderr)
        rows.append((name, res, e2e))

    print(f"limit: {args.limit or 'all documents'}; region: {args.region or 'none'}; demonyms: {args.demonyms}; "
          f"gazetteer load {load_s:.1f} s\n")
    print("| corpus | docs | resolve n | acc@161 | AUC | mean km | median km | published acc@161 | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---:|")
    for name, r, _ in rows:
        print(f"| {name} | {r.documents} | {r.n} | {_f(r.acc_at_161)} | {_f(r.auc)} | {r.mean_km or 0:.0f} | "
              f"{r.median_km or 0:.0f} | {PUBLISHED_RESOLVE.get(name, '')} | {TARGET_RESOLVE.get(name, '')} |")
    print()
    print("| corpus (end to end) | P | R | F1 | n resolved | acc@161 | AUC | median km | published | target F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for name, _, e in rows:
        print(f"| {name} | {_f(e.precision)} | {_f(e.recall)} | {_f(e.f1)} | {e.n} | {_f(e.acc_at_161)} | "
              f"{_f(e.auc)} | {e.median_km or 0:.0f} | {PUBLISHED_E2E.get(name, '')} | {TARGET_F1.get(name, '')} |")
    notes = sorted({n for _, r, e in rows for n in r.notes + e.notes})
    for n in notes:
        print(f"\n- {n}", end="")
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

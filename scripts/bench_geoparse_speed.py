#!/usr/bin/env python3
"""Geoparsing throughput next to `geotext`, plus cold start and peak memory of `geoparse seeds/`.

Usage: python scripts/bench_geoparse_speed.py [BENCH_DIR] [--docs N]

Texts come from the benchmark JSONL files in BENCH_DIR (shared/benchmarks/geoparsing) when given,
else from the bundled seeds repeated. Both parsers run in this one process over the same texts after
their data are loaded; the ratio is ours / geotext's documents per second (target >= 0.25).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _texts(bench_dir: Path | None, n: int) -> list[str]:
    texts: list[str] = []
    if bench_dir is not None:
        files = sorted(bench_dir.glob("*.jsonl"))
        per_file = max(1, n // max(1, len(files)))
        for path in files:
            with path.open(encoding="utf-8") as fh:
                for i, line in enumerate(fh):
                    if i >= per_file:
                        break
                    texts.append(json.loads(line)["text"])
    if not texts:
        from geo.corpus import read_corpus

        docs, _ = read_corpus(ROOT / "seeds")
        texts = [d.text for d in docs]
    while len(texts) < n:
        texts = texts + texts
    return texts[:n]


def _rate(fn, texts: list[str]) -> tuple[float, float]:
    t0 = time.perf_counter()
    for t in texts:
        fn(t)
    s = time.perf_counter() - t0
    return len(texts) / s, s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bench_dir", type=Path, nargs="?", default=None)
    ap.add_argument("--docs", type=int, default=1000, help="number of documents to time (default 1000)")
    args = ap.parse_args(argv)
    texts = _texts(args.bench_dir, args.docs)
    chars = sum(map(len, texts))

    # cold start: a fresh process geoparsing the seeds through the CLI, run first: a child forked
    # from this process counts this process's memory in its peak RSS until it execs, so measured
    # after the parser's caches have grown it would report this process, not the CLI
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "geo", "geoparse", str(ROOT / "seeds")],
                          cwd=ROOT, capture_output=True, text=True)
    cold = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)

    t0 = time.perf_counter()
    from geo.geoparse import Geoparser

    parser = Geoparser()
    parser.parse("Warm-up: Mr Ilham Aliyev met John Smith in Baku and Astana.")  # loads word lists, opens the index
    load_s = time.perf_counter() - t0
    ours, ours_s = _rate(parser.parse, texts)
    # the same texts again: every name's context-free work is cached now, as in a large corpus
    # where names recur (not used for the ratio)
    again, again_s = _rate(parser.parse, texts)

    from geotext import GeoText

    t0 = time.perf_counter()
    GeoText("Warm-up: Baku and Astana.")  # geotext loads its tables at import / first use
    gt_load = time.perf_counter() - t0
    theirs, theirs_s = _rate(GeoText, texts)

    print(f"documents: {len(texts)} ({chars / len(texts):.0f} chars on average) from {args.bench_dir or 'seeds'}")
    print("| parser | load s | docs/s | total s |")
    print("|---|---:|---:|---:|")
    print(f"| corridor-atlas Geoparser.parse | {load_s:.2f} | {ours:.1f} | {ours_s:.1f} |")
    print(f"| same texts again (names cached) | | {again:.1f} | {again_s:.1f} |")
    print(f"| geotext 0.4 (GeoText) | {gt_load:.2f} | {theirs:.1f} | {theirs_s:.1f} |")
    print(f"\nratio ours/geotext: {ours / theirs:.2f} (target >= 0.25)")
    print(f"cold start `python -m geo geoparse seeds/`: {cold:.2f} s wall, peak RSS {peak_mb:.0f} MB, "
          f"exit {proc.returncode}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

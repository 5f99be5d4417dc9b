#!/usr/bin/env python
"""Benchmark ``corridor-atlas build``: documents per second, peak memory and output sizes.

    python scripts/bench_build.py [--n 100000] [--work /tmp/bench-build] [--json results.json]
    python scripts/bench_build.py --load DIR     # only: load an existing build the way the app/export do

Makes (or reuses) a deterministic synthetic corpus of N documents, then runs the real CLI in a
subprocess for: 1 process, 2 processes (local pool), Dask with 2 workers, and a re-run of the
2-process build (everything from the cache). CPU seconds are user+sys of all descendants
(the machine is shared: compare CPU seconds when the load is high). Peak memory is the largest summed RSS of the build
process and all its children (sampled every 0.1 s with psutil). Wall time includes start-up,
reading, geoparsing and writing every output. Then ``geo.build.load_build`` reads the last build
in a fresh process (what ``export --corpus DIR`` and the app do): wall seconds, the process's peak
RSS, and the time to a first document's text and to one corridor's excerpts. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import resource
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from make_synthetic_corpus import write_corpus  # noqa: E402

# (label, CLI options, fresh output dir?) -- the re-run reuses the previous run's dir and cache.
RUNS = [
    ("local, 1 process", ["--engine", "local", "--workers", "1"], True),
    ("local, 2 processes", ["--engine", "local", "--workers", "2"], True),
    ("local, 2 processes, re-run (all cached)", ["--engine", "local", "--workers", "2"], False),
    ("dask, 2 workers", ["--engine", "dask", "--workers", "2"], True),
]


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_build(corpus: Path, out: Path, extra: list[str]) -> dict:
    cmd = [sys.executable, "-m", "geo", "build", str(corpus), "--out", str(out), "--no-progress", *extra]
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(ps))
        time.sleep(0.1)
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # all waited-for descendants: pool/dask workers too
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}): {' '.join(cmd)}\n{stderr[-2000:]}")
    manifest = json.loads((out / "manifest.json").read_text())
    run = out / manifest["run"]
    sizes = {k: size(run / k) for k in ("mentions", "atlas.gpkg", "documents", "places.parquet")}
    return {"seconds": seconds, "cpu_seconds": cpu, "load_before": load, "peak_rss": peak,
            "counts": manifest["counts"], "stdout": stdout.strip(), "sizes": sizes}


# Runs in a fresh interpreter so that its peak RSS is the load's alone.
LOAD_PROBE = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from geo.build import load_build
atlas = load_build(sys.argv[1])
loaded = time.perf_counter() - t0
t1 = time.perf_counter()
doc = next(iter(atlas.documents.values()))
n_chars = len(doc.text)
first_text = time.perf_counter() - t1
top = atlas.corridors.sort_values("mention_count", ascending=False)["id"].iloc[0]
t2 = time.perf_counter()
n_excerpts = len(atlas.excerpts_for("corridor", top))
excerpts_s = time.perf_counter() - t2
print(json.dumps({"seconds": loaded, "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "documents": len(atlas.documents), "mentions": len(atlas.mentions), "excerpts": len(atlas.excerpts),
                  "first_text_seconds": first_text, "top_corridor": top, "top_corridor_excerpts": n_excerpts,
                  "excerpts_for_seconds": excerpts_s}))
"""


def measure_load(out: Path) -> dict:
    load = os.getloadavg()[0]
    proc = subprocess.run([sys.executable, "-c", LOAD_PROBE, str(out)], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"load_build({out}) failed:\n{proc.stderr[-2000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load_before"] = load
    return result


def print_load(out: Path, r: dict) -> None:
    print(f"\n`load_build({out})` in a fresh process\n")
    print("| documents | mentions | excerpts | load s | peak RSS MB | first text s | excerpts of the top corridor "
          "| load before |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {r['documents']} | {r['mentions']} | {r['excerpts']} | {r['seconds']:.1f} | {r['peak_rss'] / 2**20:.0f} "
          f"| {r['first_text_seconds']:.3f} | {r['top_corridor_excerpts']} in {r['excerpts_for_seconds']:.2f} s "
          f"| {r['load_before']:.1f} |")


def size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="documents (default 100000)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-build"), help="scratch folder")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument("--load", type=Path, default=None, metavar="DIR", help="only measure loading this build")
    args = ap.parse_args(argv)
    if args.load is not None:
        print_load(args.load, measure_load(args.load))
        return 0

    args.work.mkdir(parents=True, exist_ok=True)
    corpus = args.work / f"synthetic-{args.n}.jsonl"
    if not corpus.exists():
        write_corpus(args.n, corpus)
    print(f"corpus: {corpus} ({args.n} documents, {size(corpus) / 1e6:.1f} MB); "
          f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, load {os.getloadavg()[0]:.1f}",
          file=sys.stderr)
    results = []
    out = None
    for label, extra, fresh in RUNS:
        if fresh:
            out = args.work / f"out-{len(results)}"
            shutil.rmtree(out, ignore_errors=True)
        print(f"running: {label} ...", file=sys.stderr)
        r = run_build(corpus, out, extra)
        r["label"] = label
        results.append(r)
        print(f"  {r['stdout']}", file=sys.stderr)

    print(f"\n`python scripts/bench_build.py --n {args.n}` ({os.cpu_count()} cores, shared machine)\n")
    print("| run | docs | parsed | docs/s (wall) | wall s | CPU s | load before | peak RSS MB | mentions "
          "| mentions parquet MB | GeoPackage MB | documents parquet MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        c, z = r["counts"], r["sizes"]
        print(f"| {r['label']} | {c['documents']} | {c['parsed']} | {c['documents'] / r['seconds']:.0f} | "
              f"{r['seconds']:.1f} | {r['cpu_seconds']:.1f} | {r['load_before']:.1f} | {r['peak_rss'] / 2**20:.0f} | "
              f"{c['mentions']} | {z['mentions'] / 1e6:.1f} | {z['atlas.gpkg'] / 1e6:.1f} | {z['documents'] / 1e6:.1f} |")
    loaded = measure_load(out)
    print_load(out, loaded)
    if args.json:
        args.json.write_text(json.dumps({"builds": results, "load": loaded}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

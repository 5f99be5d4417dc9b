#!/usr/bin/env python3
"""Score the geoparser on corridor passages with answer keys and print the figures.

Usage: python scripts/bench_corridor_news.py [DIR ...] [-v]

DIR holds NAME.txt passages beside NAME.json keys (default: tests/data/corridor_news, 250 passages
written for this project). -v lists every miss, misplaced place, non-place found and unkeyed name.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.evaluate import KEY_TOLERANCE_KM, score_keyed_passages
from geo.geoparse import Geoparser

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "corridor_news"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", nargs="*", type=Path, default=[DEFAULT])
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    parser = Geoparser()
    for folder in args.dirs:
        r = score_keyed_passages(folder, parser)
        print(f"{folder}: {r.passages} passages, {r.key_places} key places")
        print(f"  placed {r.placed} ({r.placed / max(r.key_places, 1):.3f}); missed {len(r.missed)}; "
              f"misplaced {len(r.misplaced)}; non-places reported {len(r.non_places_found)}; "
              f"names the keys do not list {len(r.unkeyed)}")
        print(f"  tolerance km: {KEY_TOLERANCE_KM}")
        if args.verbose:
            for label, items in (("missed", r.missed), ("misplaced", r.misplaced),
                                 ("non-place", r.non_places_found), ("unkeyed", r.unkeyed)):
                for item in items:
                    print(f"  {label:10} {item}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Score the geoparser on the public geoparsing benchmarks (JSONL, see shared/benchmarks/geoparsing).

Two modes, as in the literature:

* ``resolve=True``: toponym *resolution* only. The gold spans go to ``Geoparser.resolve``; every gold
  toponym counts. A span the parser cannot place at all scores the maximum error (20,039 km, half the
  equator), as in Gritta et al.'s evaluation code.
* ``resolve=False``: end to end. ``Geoparser.parse`` finds the spans itself. Recognition is scored by
  exact span match (precision, recall, F1); resolution is scored only on the gold toponyms that were
  recognised (so it depends on recall, as the papers' end-to-end numbers do).

Conventions (from the benchmark README, so numbers compare with the papers):

* error = great-circle distance in km (geopy ``great_circle``, mean Earth radius);
* acc@161 = share of errors with ``ln(err + 1) < ln(161)``;
* AUC = ``trapz(sorted(ln(err + 1))) / (ln(20039) * (n - 1))``, lower is better;
* GeoWebNews: resolution is scored on the toponyms that carry a GeoNames id (Gritta's 2,401 set);
  recognition on every toponym kept in the file (the file dropped gold mentions without coordinates,
  so recognition precision is a lower bound there);
* WikToR annotates only the article's own toponym, so precision (and F1) is meaningless: reported as None.

Only ``text`` is given to the parser: WikToR's ``title`` is the gold Wikipedia title and would leak the answer.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

import numpy as np
from geopy.distance import great_circle

if TYPE_CHECKING:  # geoparse imports the gazetteer; keep `import geo.evaluate` light.
    from geo.geoparse import Geoparser

__all__ = [
    "GoldToponym",
    "BenchDocument",
    "Report",
    "MAX_ERROR_KM",
    "load_benchmark",
    "error_km",
    "accuracy_at_161",
    "auc_of_errors",
    "precision_recall_f1",
    "evaluate",
    "add_evaluate_arguments",
    "run_evaluate",
    "KeyedReport",
    "score_keyed_passages",
]

MAX_ERROR_KM = 20039.0  # half the Earth's circumference: the worst possible error
ACC_KM = 161.0  # 100 miles


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    name: str
    lat: float
    lon: float
    geonameid: int | None = None


@dataclass(frozen=True, slots=True)
class BenchDocument:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


@dataclass
class Report:
    """Scores of one run. Recognition fields are None in resolve mode; precision is None on WikToR."""

    benchmark: str
    mode: str  # "resolve" (gold spans) or "end-to-end"
    documents: int
    gold: int  # gold toponyms considered for recognition (end to end) or resolution (resolve mode)
    predicted: int | None = None
    matched: int | None = None
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    n: int = 0  # toponyms scored for resolution
    acc_at_161: float | None = None
    auc: float | None = None
    mean_km: float | None = None
    median_km: float | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def format(self) -> str:
        """Human-readable block for the CLI."""

        def f(x: float | None, digits: int = 3) -> str:
            return "n/a" if x is None else f"{x:.{digits}f}"

        lines = [f"{self.benchmark} ({self.mode}): {self.documents} documents, {self.gold} gold toponyms"]
        if self.mode == "end-to-end":
            lines.append(
                f"  recognition: P {f(self.precision)}  R {f(self.recall)}  F1 {f(self.f1)}"
                f"  (predicted {self.predicted}, exact matches {self.matched})"
            )
        lines.append(
            f"  resolution (n={self.n}): acc@161 {f(self.acc_at_161)}  AUC {f(self.auc)}"
            f"  mean {f(self.mean_km, 0)} km  median {f(self.median_km, 0)} km"
        )
        lines.append(f"  time: {self.seconds:.1f} s")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


# --- loading ---------------------------------------------------------------------------------------


def _benchmark_kind(path: Path) -> str:
    """Which corpus conventions apply, from the file name (lgl, geowebnews, trnews, geovirus, wiktor)."""
    stem = path.name.lower().replace("-", "").replace("_", "")
    for kind in ("geowebnews", "gwn", "wiktor", "lgl", "trnews", "geovirus"):
        if kind in stem:
            return "geowebnews" if kind == "gwn" else kind
    return stem.split(".")[0]


def load_benchmark(path: str | Path, *, limit: int | None = None) -> Iterator[BenchDocument]:
    """Stream documents from a benchmark JSONL file (first ``limit`` documents if given)."""
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        count = 0
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            if limit is not None and count >= limit:
                return
            rec = json.loads(line)
            text = rec["text"]
            tops = []
            for t in rec.get("toponyms", []):
                start, end = int(t["start"]), int(t["end"])
                if text[start:end] != t["name"]:
                    raise ValueError(f"{path}:{line_no}: offsets of {t['name']!r} do not match the text")
                gid = t.get("geonameid")
                tops.append(
                    GoldToponym(start, end, t["name"], float(t["lat"]), float(t["lon"]), int(gid) if gid is not None else None)
                )
            count += 1
            yield BenchDocument(str(rec.get("id", line_no)), text, tuple(tops))


# --- metrics ---------------------------------------------------------------------------------------


def error_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (the benchmarks' convention)."""
    return float(great_circle((lat1, lon1), (lat2, lon2)).km)


def accuracy_at_161(errors: Sequence[float]) -> float | None:
    """Share of errors under 161 km, computed as Gritta does: ln(err + 1) < ln(161)."""
    if not errors:
        return None
    limit = math.log(ACC_KM)
    return sum(1 for e in errors if math.log(e + 1) < limit) / len(errors)


def auc_of_errors(errors: Sequence[float]) -> float | None:
    """Area under the curve of sorted log errors, normalised to [0, 1]; lower is better (Gritta/Jurgens)."""
    if len(errors) < 2:
        return None
    trapezoid = getattr(np, "trapezoid", None) or np.trapz  # numpy 2 renamed trapz
    logs = sorted(math.log(e + 1) for e in errors)
    return float(trapezoid(logs) / (math.log(MAX_ERROR_KM) * (len(errors) - 1)))


def precision_recall_f1(matched: int, predicted: int, gold: int) -> tuple[float | None, float | None, float | None]:
    """Exact-match P/R/F1; None where the denominator is zero."""
    p = matched / predicted if predicted else None
    r = matched / gold if gold else None
    if p is None or r is None:
        return p, r, None
    return p, r, (2 * p * r / (p + r) if p + r > 0 else 0.0)


# --- evaluation ------------------------------------------------------------------------------------


def _resolution_gold(doc: BenchDocument, kind: str) -> list[GoldToponym]:
    if kind == "geowebnews":  # Gritta et al. geocode only the toponyms that have a GeoNames id
        return [t for t in doc.toponyms if t.geonameid is not None]
    return list(doc.toponyms)


def evaluate(
    bench_path: str | Path,
    *,
    resolve: bool,
    parser: "Geoparser | None" = None,
    limit: int | None = None,
) -> Report:
    """Run the geoparser over a benchmark file and score it (see the module docstring for conventions)."""
    from geo.geoparse import Geoparser  # late: loading the gazetteer is the expensive part

    bench_path = Path(bench_path)
    kind = _benchmark_kind(bench_path)
    parser = parser or Geoparser()
    errors: list[float] = []
    n_docs = n_gold = n_pred = n_match = 0
    t0 = time.perf_counter()
    for doc in load_benchmark(bench_path, limit=limit):
        n_docs += 1
        res_gold = _resolution_gold(doc, kind)
        if resolve:
            n_gold += len(res_gold)
            spans = [(t.start, t.end) for t in res_gold]
            by_span = {(m.start, m.end): m for m in parser.resolve(doc.text, spans)}
            for t in res_gold:
                m = by_span.get((t.start, t.end))
                errors.append(MAX_ERROR_KM if m is None or m.lat is None else error_km(m.lat, m.lon, t.lat, t.lon))
        else:
            mentions = parser.parse(doc.text)
            by_span = {(m.start, m.end): m for m in mentions}
            gold_spans = {(t.start, t.end) for t in doc.toponyms}
            n_gold += len(gold_spans)
            n_pred += len(by_span)
            n_match += len(gold_spans & by_span.keys())
            for t in res_gold:
                m = by_span.get((t.start, t.end))
                if m is not None and m.lat is not None:
                    errors.append(error_km(m.lat, m.lon, t.lat, t.lon))
    seconds = time.perf_counter() - t0

    report = Report(benchmark=bench_path.name, mode="resolve" if resolve else "end-to-end", documents=n_docs, gold=n_gold)
    report.seconds = round(seconds, 2)
    if not resolve:
        p, r, f = precision_recall_f1(n_match, n_pred, n_gold)
        report.predicted, report.matched, report.recall = n_pred, n_match, r
        if kind == "wiktor":
            report.notes.append("WikToR annotates only each article's own toponym: precision and F1 are meaningless (None)")
        else:
            report.precision, report.f1 = p, f
        report.notes.append("resolution scored only on recognised gold toponyms (depends on recall)")
    if kind == "geowebnews":
        report.notes.append("resolution scored on toponyms with a GeoNames id (Gritta et al.'s set)")
    report.n = len(errors)
    report.acc_at_161 = accuracy_at_161(errors)
    report.auc = auc_of_errors(errors)
    if errors:
        report.mean_km = float(statistics.fmean(errors))
        report.median_km = float(statistics.median(errors))
    return report


# --- corridor passages with answer keys -------------------------------------------------------------

# How far a found place may lie from its key point: towns and facilities, points the key marks
# approximate, and areas (whose points are only their middles).
KEY_TOLERANCE_KM = {"point": 20.0, "approx": 60.0, "area": 600.0}
_KEY_AREA_KINDS = frozenset(("country", "admin1", "sea", "lake", "river", "region", "mountain", "desert", "other"))


def _occurrences(text: str, name: str) -> list[tuple[int, int]]:
    """Where ``name`` occurs in ``text`` as whole words."""
    return [m.span() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]


def _own_occurrences(text: str, names: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
    """Each name's whole-word occurrences that do not lie inside a longer listed name's ("Aktau" in
    "MV Aktau" is the ship's, "Mangystau" in "Mangystau region" the region's)."""
    spans = {name: _occurrences(text, name) for name in names}
    own: dict[str, list[tuple[int, int]]] = {}
    for name, occ in spans.items():
        longer = [o for other, os_ in spans.items() if len(other) > len(name) for o in os_]
        own[name] = [(s, e) for s, e in occ if not any(ls <= s and e <= le for ls, le in longer)]
    return own


@dataclass
class KeyedReport:
    """Scores of passages against their answer keys (``NAME.txt`` beside ``NAME.json``)."""

    passages: int = 0
    key_places: int = 0  # key places whose name occurs in their passage
    placed: int = 0  # ... found under that name and placed within tolerance
    missed: list[str] = field(default_factory=list)  # "file: name"
    misplaced: list[str] = field(default_factory=list)  # "file: name (km)"
    non_places_found: list[str] = field(default_factory=list)  # key non-places reported as places
    unkeyed: list[str] = field(default_factory=list)  # found names the key lists neither way


def score_keyed_passages(folder: str | Path, parser: "Geoparser | None" = None) -> KeyedReport:
    """Geoparse every ``*.txt`` under ``folder`` and score it against its ``*.json`` key:
    ``{"places": [{"name", "kind", "lat", "lon", "approx"}], "not_places": [names]}``. Mentions are
    attributed by position: a key name's mentions are those that overlap one of its whole-word
    occurrences in the text, not counting occurrences inside a longer key name or non-place (so a
    found "Islamic Republic of Iran" or "Syunik" stands for the key's "Iran" or "Syunik Province",
    and "Aktau" inside "MV Aktau" is the ship's). A key place counts as placed when it has mentions
    and every one lies within ``KEY_TOLERANCE_KM`` of its point; a mention that is a non-place's
    whole name is a non-place found, one overlapping no key name is unkeyed."""
    from geo.geoparse import Geoparser

    parser = parser or Geoparser()
    report = KeyedReport()
    folder = Path(folder)
    for path in sorted(folder.rglob("*.txt")):
        key_path = path.with_suffix(".json")
        label = path.relative_to(folder).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path}: cannot read the passage ({exc})") from None
        try:
            key = json.loads(key_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{key_path}: cannot read the key ({exc})") from None
        report.passages += 1
        mentions = parser.parse(text)
        places = [place for place in key.get("places", []) if place["name"] in text]
        not_places = [name for name in key.get("not_places", []) if name in text]
        own = _own_occurrences(text, [p["name"] for p in places] + not_places)
        used: set[int] = set()

        def overlapping(name: str) -> list[int]:
            return [i for i, m in enumerate(mentions)
                    if any(m.start < e and s < m.end for s, e in own.get(name, ()))]

        for place in places:
            name = place["name"]
            report.key_places += 1
            hits = overlapping(name)
            used.update(hits)
            if not hits:
                report.missed.append(f"{label}: {name}")
                continue
            tolerance = KEY_TOLERANCE_KM["area" if place.get("kind") in _KEY_AREA_KINDS
                                         else "approx" if place.get("approx") else "point"]
            worst = max(error_km(mentions[i].lat, mentions[i].lon, place["lat"], place["lon"]) for i in hits)
            if worst <= tolerance:
                report.placed += 1
            else:
                report.misplaced.append(f"{label}: {name} ({worst:.0f} km)")
        non_places_found: dict[str, None] = {}  # each reported name once, in order
        for name in not_places:
            for i in overlapping(name):
                if i not in used:
                    used.add(i)
                    # the non-place itself reported ("Jordan" the diplomat); a place's name inside
                    # one ("China" in "China-Europe Railway Express") is the parser's documented choice
                    if mentions[i].name == name:
                        non_places_found[f"{label}: {name}"] = None
        report.non_places_found.extend(non_places_found)
        report.unkeyed.extend(dict.fromkeys(f"{label}: {m.name}" for i, m in enumerate(mentions) if i not in used))
    return report


# --- CLI -------------------------------------------------------------------------------------------


def add_evaluate_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `corridor-atlas evaluate` (geo.cli wires them to ``run_evaluate``)."""
    parser.add_argument("bench", type=Path, help="benchmark JSONL file (shared/benchmarks/geoparsing/*.jsonl)")
    parser.add_argument("--resolve", action="store_true", help="resolve the gold spans (toponym resolution only)")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="score only the first N documents")
    parser.add_argument("--region", default=None, help="regional focus for resolution (see geo.geoparse.REGIONS)")
    parser.add_argument("--demonyms", action="store_true",
                        help="count adjectives of places as toponyms (LGL/GeoWebNews convention; off in the product)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run_evaluate(args: argparse.Namespace) -> int:
    """Run one evaluation from parsed arguments; prints the report. Exit code 2 on a missing file."""
    if not args.bench.is_file():
        print(f"error: {args.bench}: no such benchmark file")
        return 2
    from geo.geoparse import Geoparser

    parser = Geoparser(region=getattr(args, "region", None), demonyms=getattr(args, "demonyms", False))
    report = evaluate(args.bench, resolve=args.resolve, parser=parser, limit=args.limit)
    print(json.dumps(report.to_dict(), indent=2) if args.json else report.format())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geo.evaluate", description="Score the geoparser on a benchmark")
    add_evaluate_arguments(ap)
    return run_evaluate(ap.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())

"""``corridor-atlas`` command line (also ``python -m geo``).

Each subcommand imports only what it needs: ``geoparse`` and ``resolve`` must
start fast, so nothing here imports geopandas, folium or streamlit at module
level.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

__all__ = ["main", "build_parser"]

EXPORT_SUFFIXES = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".csv": "csv"}


class CliError(Exception):
    """A user-facing error: printed as ``error: <message>`` and exit code 2."""


def _err(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def _emit(doc_id: str, mentions: Sequence[Any], out) -> None:
    places = [m.to_dict() for m in mentions]
    out.write(json.dumps({"id": doc_id, "places": places}, ensure_ascii=False) + "\n")


# --- geoparse / resolve -------------------------------------------------------------------


def _cmd_geoparse(args: argparse.Namespace) -> int:
    from geo.corpus import CorpusError, iter_documents
    from geo.geoparse import Geoparser

    parser = Geoparser(region=args.region)
    failed = 0
    out = sys.stdout
    for item in iter_documents(args.inputs):
        if isinstance(item, CorpusError):
            _err(str(item))
            failed += 1
            continue
        _emit(item.id, parser.parse(item.text), out)
        out.flush()
    return 1 if failed else 0


def _cmd_resolve(args: argparse.Namespace) -> int:
    from geo.geoparse import Geoparser

    parser = Geoparser(region=args.region)
    failed = 0
    for path in args.inputs:
        try:
            fh = open(path, "r", encoding="utf-8")
        except OSError as exc:
            _err(f"{path}: cannot read: {exc.strerror or exc}")
            failed += 1
            continue
        with fh:
            try:
                for lineno, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    where = f"{path}:{lineno}"
                    try:
                        rec = json.loads(line)
                        text = rec["text"]
                        spans = [(int(t["start"]), int(t["end"])) for t in rec.get("toponyms", [])]
                        if not isinstance(text, str):
                            raise TypeError("'text' is not a string")
                        if any(not (0 <= s < e <= len(text)) for s, e in spans):
                            raise ValueError("a toponym span is outside the text")
                    except (ValueError, KeyError, TypeError) as exc:
                        _err(f"{where}: each line needs 'text' and 'toponyms' [{{start, end}}] ({exc})")
                        failed += 1
                        continue
                    _emit(str(rec.get("id", f"{Path(path).stem}-{lineno}")), parser.resolve(text, spans), sys.stdout)
            except UnicodeDecodeError as exc:
                _err(f"{path}: not valid UTF-8 ({exc.reason})")
                failed += 1
    return 1 if failed else 0


# --- atlas-based commands -------------------------------------------------------------------


def _atlas(args: argparse.Namespace):
    from geo.atlas import build_atlas

    corpus = args.corpus
    if not Path(corpus).exists():
        raise CliError(f"{corpus}: no such file or folder")
    if (Path(corpus) / "manifest.json").is_file():  # a `corridor-atlas build` output: no re-parsing
        from geo.build import BuildError, load_build

        try:
            atlas = load_build(Path(corpus), corridors_dir=args.corridors)
        except BuildError as exc:
            raise CliError(str(exc)) from None
    else:
        from geo.corrections import CorrectionStoreError, load_mapping

        try:  # the user's corrections (data/corrections.json or $CORRIDOR_ATLAS_CORRECTIONS), as in the app
            corrections = load_mapping()
        except CorrectionStoreError as exc:
            raise CliError(str(exc)) from None
        atlas = build_atlas(Path(corpus), corridors_dir=args.corridors, corrections=corrections)
    for w in getattr(atlas, "warnings", ()):
        print(f"warning: {w}", file=sys.stderr)
    for e in atlas.errors:
        _err(str(e))
    if not atlas.documents:
        raise CliError(f"{corpus}: no readable documents")
    return atlas


def _cmd_export(args: argparse.Namespace) -> int:
    from geo import export

    out = Path(args.out)
    fmt = args.format or EXPORT_SUFFIXES.get(out.suffix.lower())
    if fmt is None:
        raise CliError(f"{out}: cannot tell the format from the suffix; use --format geojson|gpkg|csv")
    if fmt == "csv" and args.layer not in ("mentions", "all"):
        raise CliError("CSV export holds the mentions layer only (--layer mentions)")
    atlas = _atlas(args)
    export.write(atlas, out, layer=args.layer, fmt=fmt)
    if fmt == "geojson":
        _print_summary(atlas, args.layer)
    print(f"wrote {out}")
    return 1 if atlas.errors else 0


def _print_summary(atlas, layer: str) -> None:
    """One line per exported feature of the named layers (id and how often the corpus names it)."""
    from geo.export import ID_COLUMNS, LAYERS

    layers = LAYERS if layer == "all" else (layer,)
    for name in layers:
        frame = getattr(atlas, name)
        if name == "mentions":
            print(f"mentions: {len(frame)} features")
            continue
        print(f"{name}: {len(frame)} features")
        for r in frame.itertuples(index=False):
            ident = getattr(r, ID_COLUMNS[name])
            count = getattr(r, "mention_count", "")
            print(f"  {ident}\tmentions={count}")


def _cmd_map(args: argparse.Namespace) -> int:
    try:
        from geo.map import save_standalone_html
    except ImportError as exc:
        raise CliError(f"the map stage is not available yet ({exc})") from None
    atlas = _atlas(args)
    save_standalone_html(atlas, Path(args.out))
    print(f"wrote {args.out}")
    return 1 if atlas.errors else 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from geo.evaluate import run_evaluate

    return run_evaluate(args)


def _cmd_build(args: argparse.Namespace) -> int:
    from geo.build import run_build

    return run_build(args)


def _cmd_assets(args: argparse.Namespace) -> int:
    from geo.assets import main as assets_main

    return assets_main(args.rest)


# --- parser ----------------------------------------------------------------------


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; ``command`` (the subcommand about to run) decides which optional
    stages are imported to describe their arguments, so ``geoparse`` never imports numpy/geopy."""
    from geo import paths

    p = argparse.ArgumentParser(prog="corridor-atlas", description="Eurasian transport corridors from text to map.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    g = sub.add_parser("geoparse", help="find and resolve place names; one JSON line per document")
    g.add_argument("inputs", nargs="+", metavar="INPUT", help="text file, folder, or .jsonl with id and text")
    g.add_argument("--format", choices=["jsonl"], default="jsonl")
    g.add_argument("--region", default=None, help="regional focus for resolution (e.g. caucasus-caspian)")
    g.set_defaults(func=_cmd_geoparse)

    r = sub.add_parser("resolve", help="resolve given toponym spans; same output as geoparse")
    r.add_argument("inputs", nargs="+", metavar="INPUT.jsonl", help="lines with id, text, toponyms [{start, end}]")
    r.add_argument("--region", default=None)
    r.set_defaults(func=_cmd_resolve)

    def corpus_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--corpus", default=str(paths.SEEDS_DIR), help="folder/file of documents (default: seeds/)")
        sp.add_argument("--corridors", default=None, type=Path, help="corridor definitions folder")
        sp.add_argument("--out", required=True, help="output file")

    e = sub.add_parser("export", help="write the atlas as GeoJSON (RFC 7946), GeoPackage or CSV")
    corpus_args(e)
    e.add_argument("--layer", default="all", choices=["corridors", "segments", "places", "mentions", "all"])
    e.add_argument("--format", default=None, choices=["geojson", "gpkg", "csv"],
                   help="default: from the --out suffix")
    e.set_defaults(func=_cmd_export)

    m = sub.add_parser("map", help="write the map as one standalone HTML file")
    corpus_args(m)
    m.set_defaults(func=_cmd_map)

    ev = sub.add_parser("evaluate", help="score the geoparser on a benchmark JSONL")
    if command in (None, "evaluate"):
        from geo.evaluate import add_evaluate_arguments

        add_evaluate_arguments(ev)
    else:
        ev.add_argument("bench", type=Path)
        ev.add_argument("--resolve", action="store_true")
    ev.set_defaults(func=_cmd_evaluate)

    b = sub.add_parser("build", help="build a corpus into a directory of GeoParquet/GeoPackage layers "
                                     "(incremental, parallel: --engine local|dask)")
    if command in (None, "build"):  # geo.build imports pandas: only when building
        from geo.build import add_build_arguments

        add_build_arguments(b)
    b.set_defaults(func=_cmd_build)

    a = sub.add_parser("assets", help="install the pinned Leaflet assets into static/vendor", add_help=False)
    a.add_argument("rest", nargs=argparse.REMAINDER)
    a.set_defaults(func=_cmd_assets)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    if command == "assets":  # its own parser; options pass through untouched
        from geo.assets import main as assets_main

        return assets_main(argv[argv.index("assets") + 1 :])
    parser = build_parser(command)
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except CliError as exc:
        _err(str(exc))
        return 2
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, and keep Python from
        # complaining when it flushes stdout at exit.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (OSError, ValueError) as exc:
        # Library errors already name the file (CorpusError, CorridorDefinitionError, ...).
        _err(str(exc))
        return 2
    except ImportError as exc:
        _err(f"a pipeline stage is missing ({exc})")
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())

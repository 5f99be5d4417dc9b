"""Corridor Atlas: the Streamlit app. Composes geo/ (atlas, map, export) and nothing else.

Run with ``make run`` (or ``streamlit run app.py``). The corpus is ``seeds/`` unless the
``CORRIDOR_ATLAS_CORPUS`` environment variable or the sidebar folder says otherwise.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from datetime import date
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from geo.assets import ASSETS, is_installed
from geo.atlas import SEED_REGION, Atlas, build_atlas
from geo.corpus import Document, read_corpus
from geo.corrections import (
    Correction,
    CorrectionStoreError,
    as_mapping,
    corrections_path,
    load_corrections,
    place_key,
    remove_correction,
    save_corrections,
    set_correction,
    undo_last,
    user_target,
)
from geo.export import mentions_csv, to_geojson, write_gpkg
from geo.map import (
    MapFilters,
    Selection,
    allowed_documents,
    base_map,
    corridor_features,
    data_layer,
    deep_link_params,
    highlight_excerpt,
    legend_entries,
    markdown_safe,
    parse_deep_link,
    place_features,
    save_standalone_html,
    segment_from_feature,
    selection_from_feature,
    selection_layer,
    selection_options,
    selection_view,
    visible_corridor_ids,
    visible_places,
    write_static_basemap,
)
from geo.panel import (
    UPLOAD_SUFFIXES,
    corrections_for_place,
    documents_from_uploads,
    filtered_layers,
    other_names,
    place_aliases,
    place_choices,
    save_upload,
    timeline_counts,
)
from geo.paths import ROOT, SEEDS_DIR

st.set_page_config(layout="wide", page_title="Corridor Atlas")

MAP_KEY = "atlas_map"
MAP_HEIGHT = 640
MAX_EXCERPTS = 40  # per selection; the rest are counted, not shown
MAX_DOCUMENT_OPTIONS = 500  # above this the document filter is a search box, not a list
MAX_CAPACITIES = 12  # capacity figures listed on a card
MAX_PICKER_PLACES = 1000  # places offered in the search box (the most mentioned)
EAGER_EXPORT_MENTIONS = 20_000  # above this an export is built when its button is clicked, not on every run


@st.cache_resource(show_spinner="Reading the corpus and building the atlas…", max_entries=8)
def load_atlas(corpus: str, corrections_key: str = "{}", uploads_key: str = "",
               _uploads: tuple[Document, ...] = ()) -> Atlas:
    """The atlas of a corpus folder plus this session's uploads, with the stored corrections applied.

    ``corrections_key`` (the corrections mapping as JSON) and ``uploads_key`` (names the uploads)
    are the cache key: a correction or an upload makes a new build, undoing one finds the old one.
    """
    if is_build(corpus):  # a `corridor-atlas build` output: read as built (texts stay on disk), not parsed again
        from geo.build import load_build

        atlas = load_build(corpus)
        if _uploads:
            atlas.warnings.append("Uploaded documents are not added to a build directory: add them to the corpus "
                                  "and run corridor-atlas build again.")
        return atlas
    docs, errors = read_corpus(Path(corpus))
    is_seeds = Path(corpus).resolve() == SEEDS_DIR.resolve()
    atlas = build_atlas([*docs, *_uploads], region=SEED_REGION if is_seeds else None,
                        corrections=json.loads(corrections_key))
    atlas.errors = [*errors, *atlas.errors]
    return atlas


def is_build(corpus: str | Path) -> bool:
    return (Path(corpus) / "manifest.json").is_file()


@st.cache_resource(show_spinner=False)
def basemap_urls() -> dict[str, str] | None:
    """The basemap as static files the browser fetches once (not resent with the map on every rerun)."""
    try:
        return write_static_basemap()
    except OSError:  # read-only install: the map embeds the basemap instead
        return None


def _corrections() -> tuple[list[Correction], str | None]:
    """The stored corrections, or ([], the reason) when the file cannot be used.

    Asked for several times in every run (each cache key below names them): the file is read again
    only when it changed (an atomic save replaces it: new inode and mtime).
    """
    path = corrections_path()
    try:
        info = path.stat()
        stamp: tuple[int, int, int] | None = (info.st_mtime_ns, info.st_size, info.st_ino)
    except OSError:
        stamp = None
    return _read_corrections(str(path), stamp)


@st.cache_data(show_spinner=False, max_entries=4)
def _read_corrections(path: str, stamp: tuple[int, int, int] | None) -> tuple[list[Correction], str | None]:
    try:
        return load_corrections(path), None
    except CorrectionStoreError as exc:
        return [], str(exc)


def _uploads_key(uploads: tuple[Document, ...]) -> str:
    return "|".join(f"{d.id}:{len(d.text)}:{hash(d.text)}" for d in uploads)


def current_atlas() -> Atlas:
    """This session's atlas: its corpus folder, its uploads, the stored corrections."""
    items, _err = _corrections()
    uploads = tuple(st.session_state.get("uploads", ()))
    key = json.dumps(as_mapping(items), sort_keys=True)
    try:
        return load_atlas(st.session_state["corpus"], key, _uploads_key(uploads), uploads)
    except KeyError as exc:  # a correction names a gazetteer entry that no longer exists
        st.session_state["correction_error"] = str(exc)
        return load_atlas(st.session_state["corpus"], "{}", _uploads_key(uploads), uploads)


def atlas_key() -> tuple[str, str, str]:
    """What identifies this session's atlas (corpus, corrections, uploads): the key of the caches below."""
    items, _err = _corrections()
    uploads = tuple(st.session_state.get("uploads", ()))
    return st.session_state["corpus"], json.dumps(as_mapping(items), sort_keys=True), _uploads_key(uploads)


@st.cache_resource(show_spinner=False, max_entries=64)
def map_data(key: tuple[str, str, str], filters_key: str, _atlas: Atlas, _filters: MapFilters
             ) -> tuple[dict, dict, int]:
    """The map's corridor and place features under the filters, and the number of documents kept.

    Computed once per atlas and filter state (a click reruns the app with neither changed);
    shared, never modified by the callers.
    """
    lines = corridor_features(_atlas, visible_corridor_ids(_atlas, _filters))
    points = place_features(visible_places(_atlas, _filters))
    allowed = kept_documents(_atlas, _filters)
    return lines, points, len(_atlas.documents) if allowed is None else len(allowed)


@st.cache_resource(show_spinner=False, max_entries=8)
def _options(key: tuple[str, str, str], _atlas: Atlas) -> dict[Selection, str]:
    return {sel: label for label, sel in selection_options(_atlas)}


@st.cache_resource(show_spinner=False, max_entries=8)
def _picker_options(key: tuple[str, str, str], _atlas: Atlas) -> dict[Selection, str]:
    """The search box's list: every corridor, and the MAX_PICKER_PLACES most mentioned places (the
    whole list travels to the browser on every run; the map reaches the others)."""
    every = _options(key, _atlas)
    if len(_atlas.places) <= MAX_PICKER_PLACES:
        return every
    top = _atlas.places.nlargest(MAX_PICKER_PLACES, "mention_count")["place_id"].astype(str)
    keep = {Selection("place", pid) for pid in top}
    return {sel: label for sel, label in every.items() if sel.kind == "corridor" or sel in keep}


def options(atlas: Atlas) -> dict[Selection, str]:
    """Every corridor and place with its label, for the search box and to check a click (cached)."""
    return _options(atlas_key(), atlas)


def _layer_key(key: tuple[str, str, str], filters_key: str) -> str:
    """Names the map data of one atlas and filter state, so the browser builds its layers once."""
    return hashlib.sha256(repr((key, filters_key)).encode()).hexdigest()[:16]


def kept_documents(atlas: Atlas, filters: MapFilters) -> frozenset[str] | None:
    """Ids of the documents the filters keep (None: no document filter), once per atlas and filters."""
    return _kept_documents(atlas_key(), repr(filters), atlas, filters)


@st.cache_resource(show_spinner=False, max_entries=64)
def _kept_documents(key: tuple[str, str, str], filters_key: str, _atlas: Atlas, _filters: MapFilters
                    ) -> frozenset[str] | None:
    allowed = allowed_documents(_atlas, _filters)
    return None if allowed is None else frozenset(allowed)


def _default_corpus() -> str:
    return os.environ.get("CORRIDOR_ATLAS_CORPUS") or str(SEEDS_DIR)


def _corpus_root() -> Path:
    """Folders a user may pick in the sidebar: under CORRIDOR_ATLAS_CORPUS_ROOT, else the project."""
    return Path(os.environ.get("CORRIDOR_ATLAS_CORPUS_ROOT") or ROOT).resolve()


def _select(selection: Selection | None, *, move_map: bool = False) -> None:
    """Single place where the selection changes: session state and the URL follow.

    ``move_map`` (search box, deep link) frames the selection; a click on the map leaves the view.
    """
    st.session_state["selection"] = selection
    st.session_state["segment"] = None  # set again by a click on a corridor line
    st.query_params.clear()
    st.query_params.update(deep_link_params(selection))
    if move_map and selection is not None:
        st.session_state["view"] = selection_view(current_atlas(), selection)


def _sidebar(atlas: Atlas) -> tuple[str, MapFilters]:
    sb = st.sidebar
    sb.header("Corridor Atlas")
    basemap_label = sb.radio(
        "Basemap", ["Natural Earth (offline)", "Map tiles (online, OpenStreetMap)"], index=0,
        help="Tiles need the internet; the Natural Earth basemap is bundled.",
    )
    basemap = "tiles" if basemap_label.startswith("Map tiles") else "naturalearth"

    sb.subheader("Filters")
    # Empty means "all": a corpus of thousands of documents stays usable.
    corridor_names = {str(r.id): str(r.name) for r in atlas.corridors.itertuples()}
    chosen_corridors = sb.multiselect("Corridors", list(corridor_names), format_func=corridor_names.get,
                                      placeholder="All corridors")
    docs = atlas.documents
    if len(docs) <= MAX_DOCUMENT_OPTIONS:
        chosen = sb.multiselect("Documents", list(docs), format_func=lambda d: f"{d} · {docs[d].title[:50]}",
                                placeholder="All documents")
        doc_filter = frozenset(chosen) or None  # none picked: every document
    else:  # thousands of options would travel to the browser on every run: search instead
        query = sb.text_input("Documents whose title or id contains", placeholder=f"All {len(docs):,} documents")
        doc_filter = frozenset(_matching_documents(atlas_key(), query, atlas)) if query.strip() else None
        if doc_filter is not None:
            sb.caption(f"{len(doc_filter):,} matching document(s)")
    first, last = _date_span(atlas_key(), atlas)
    date_from = date_to = None
    if first:
        lo, hi = date.fromisoformat(first), date.fromisoformat(last)
        picked = sb.date_input("Date range (dated documents)", value=(lo, hi), min_value=lo, max_value=hi)
        if isinstance(picked, (tuple, list)) and len(picked) == 2 and (picked[0], picked[1]) != (lo, hi):
            date_from, date_to = picked[0].isoformat(), picked[1].isoformat()
    kinds = sorted({str(k) for k in atlas.places["kind"]})
    chosen_kinds = sb.multiselect("Place kinds", kinds, placeholder="All kinds")

    filters = MapFilters(
        corridors=frozenset(chosen_corridors) or None,
        documents=doc_filter,
        date_from=date_from,
        date_to=date_to,
        place_kinds=frozenset(chosen_kinds) or None,
    )

    sb.subheader("Corpus")
    root = _corpus_root()
    folder = sb.text_input("Corpus folder", value=st.session_state.get("corpus", _default_corpus()),
                           help=f"A folder of .txt/.html/.jsonl documents, a .jsonl file or a corridor-atlas build "
                                f"directory on the server, inside {root}.")
    if folder != st.session_state.get("corpus"):
        chosen = Path(folder).expanduser().resolve()
        if not (chosen.is_dir() or (chosen.is_file() and chosen.suffix == ".jsonl")):
            sb.error("No such folder or .jsonl file.")
        elif not chosen.is_relative_to(root):
            # the app may be reachable by others: it must not read arbitrary server folders
            sb.error(f"Only folders inside {root} can be read (set CORRIDOR_ATLAS_CORPUS_ROOT).")
        else:
            st.session_state["corpus"] = str(chosen)
            st.session_state["selection"] = None
            st.session_state.pop("last_click", None)
            _select(None)
            st.rerun()
    if sb.button("Reload the corpus", help="Read the folder again (after documents were added or changed)."):
        load_atlas.clear()
        export_data.clear()
        st.rerun()
    _uploader(sb, atlas)
    _corrections_sidebar(sb, atlas)
    for warning in getattr(atlas, "warnings", None) or []:
        sb.warning(warning)
    if atlas.errors:
        with sb.expander(f"{len(atlas.errors)} document(s) could not be read"):
            for err in atlas.errors:
                st.text(str(err))
    return basemap, filters


@st.cache_resource(show_spinner=False, max_entries=8)
def _date_span(key: tuple[str, str, str], _atlas: Atlas) -> tuple[str | None, str | None]:
    """Earliest and latest document date (ISO), or (None, None) when no document is dated."""
    dates = [d.date for d in _atlas.documents.values() if d.date]
    return (min(dates), max(dates)) if dates else (None, None)


@st.cache_resource(show_spinner=False, max_entries=32)
def _matching_documents(key: tuple[str, str, str], query: str, _atlas: Atlas) -> list[str]:
    needle = query.strip().casefold()
    return [i for i, d in _atlas.documents.items() if needle in i.casefold() or needle in (d.title or "").casefold()]


def _picker(atlas: Atlas) -> None:
    labels = _picker_options(atlas_key(), atlas)
    current = st.session_state.get("selection")
    if current is not None and current not in labels and current in options(atlas):
        labels = {**labels, current: options(atlas)[current]}
    # Keep the widget in step with clicks and deep links (set before the widget is created).
    if st.session_state.get("picker") != current:
        st.session_state["picker"] = current if current in labels else None

    def changed() -> None:
        _select(st.session_state["picker"], move_map=True)

    st.selectbox("Find a corridor or place", [None, *labels], key="picker", on_change=changed,
                 format_func=lambda s: "—" if s is None else labels[s], placeholder="Type to search")


def _text(value: object) -> str:
    """A card value as text; missing values (None, NaN, empty) as a dash."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return "—"
    return str(value)


def _card(atlas: Atlas, selection: Selection) -> None:
    card = atlas.card(selection.kind, selection.id)
    st.markdown(f"### {markdown_safe(card['name'])}", unsafe_allow_html=True)
    facts: list[tuple[str, str]] = []
    aliases = (other_names(str(card["name"]), card.get("aliases") or []) if selection.kind == "corridor"
               else place_aliases(atlas, selection.id))
    if aliases:
        facts.append(("Also called", ", ".join(aliases)))
    if selection.kind == "corridor":
        facts.append(("Kind", _text(card.get("kind"))))
        status = _text(card.get("status"))
        if card.get("status_as_of"):
            status += f" (as of {card['status_as_of']})"
        facts.append(("Status", status))
        if card.get("length_km") is not None:
            facts.append(("Length", f"{card['length_km']:,.0f} km (drawn route)"))
        facts.append(("Countries", ", ".join(card.get("countries") or []) or "—"))
        facts.append(("Modes", ", ".join(card.get("modes") or []) or "—"))
    else:
        facts.append(("Kind", _text(card.get("kind")).replace("_", " ")))
        facts.append(("Country", _text(card.get("country"))))
        facts.append(("Coordinates", f"{card['lat']:.4f}, {card['lon']:.4f}"))
        facts.append(("Gazetteer entry", selection.id if not selection.id.startswith("user:") else "typed by a user"))
        facts.append(("Score", "corrected by a user" if card.get("corrected") else f"{card.get('score', 0):.2f}"))
    # Whole-corpus figures: the excerpt list below follows the filters, and says how many it keeps.
    facts.append(("Mentions (whole corpus)",
                  f"{card.get('mention_count', 0)} in {card.get('doc_count', 0)} document(s)"))
    rows = "".join(f"<tr><th>{markdown_safe(k)}</th><td>{markdown_safe(v)}</td></tr>" for k, v in facts)
    st.markdown(f'<table class="ca-card">{rows}</table>', unsafe_allow_html=True)
    if card.get("description"):
        st.caption(str(card["description"]))
    capacities = card.get("capacities") or []
    for cap in capacities[:MAX_CAPACITIES]:
        value = f"{cap.get('value'):,.0f} {cap.get('unit', '')}".strip()
        if cap.get("from_value") is not None:
            value = f"{cap['from_value']:,.0f} → {value}"
        st.markdown(f"**Capacity:** {markdown_safe(value)} <small>(doc {markdown_safe(cap.get('doc_id'))})</small>",
                    unsafe_allow_html=True)
    if len(capacities) > MAX_CAPACITIES:
        st.caption(f"{len(capacities) - MAX_CAPACITIES:,} more capacity figure(s) in the exports.")


def _excerpts(atlas: Atlas, selection: Selection, filters: MapFilters) -> None:
    allowed = kept_documents(atlas, filters)
    excerpts = [e for e in atlas.excerpts_for(selection.kind, selection.id) if allowed is None or e.doc_id in allowed]
    st.markdown(f"#### Excerpts ({len(excerpts)})")
    if not excerpts:
        st.info("No excerpt in the documents the filters keep.")
        return
    _quotes(atlas, excerpts)


def _segment(atlas: Atlas, selection: Selection, filters: MapFilters) -> None:
    """The leg of the corridor that was clicked, and what the documents say about that leg."""
    segment_id = st.session_state.get("segment")
    if selection.kind != "corridor" or not segment_id:
        return
    try:
        card = atlas.card("segment", segment_id)
    except KeyError:
        return
    if card.get("corridor_id") != selection.id:
        return
    length = f", {card['length_km']:,.0f} km" if card.get("length_km") is not None else ""
    st.markdown(f"**Clicked segment:** {markdown_safe(card['name'])} "
                f"<small>({markdown_safe(_text(card.get('mode')))}{markdown_safe(length)})</small>",
                unsafe_allow_html=True)
    allowed = kept_documents(atlas, filters)
    excerpts = [e for e in atlas.excerpts_for("segment", segment_id) if allowed is None or e.doc_id in allowed]
    if excerpts:
        with st.expander(f"Excerpts about this segment ({len(excerpts)})"):
            _quotes(atlas, excerpts, whole_documents=False)


def _quotes(atlas: Atlas, excerpts: list, *, whole_documents: bool = True) -> None:
    """Excerpts grouped by document: title, source and date, the sentences with matches marked."""
    by_doc: dict[str, list] = {}
    for e in excerpts[:MAX_EXCERPTS]:
        by_doc.setdefault(e.doc_id, []).append(e)
    for doc_id, items in by_doc.items():
        first = items[0]
        meta = " · ".join(x for x in (first.source, first.date, f"doc {doc_id}") if x)
        st.markdown(f"**{markdown_safe(first.doc_title)}**  \n<small>{markdown_safe(meta)}</small>",
                    unsafe_allow_html=True)
        # One quote per sentence, with every match in it highlighted.
        sentences: dict[tuple[int, int], list] = {}
        for e in items:
            sentences.setdefault((e.sentence_start, e.sentence_end), []).append(e)
        for (s0, _s1), group in sentences.items():
            spans = [(e.start - s0, e.end - s0) for e in group]
            st.markdown(f'<div class="ca-quote">{highlight_excerpt(group[0].quote, spans)}</div>',
                        unsafe_allow_html=True)
        doc = atlas.documents.get(doc_id)
        if whole_documents and doc is not None:
            with st.expander("Show whole document"):
                st.text(doc.text)
    if len(excerpts) > MAX_EXCERPTS:
        st.caption(f"{len(excerpts) - MAX_EXCERPTS} more excerpt(s) not shown.")


@st.cache_resource(show_spinner=False, max_entries=8)  # shared, not copied: the files are large for a big corpus
def export_data(corpus: str, corrections_key: str, uploads_key: str, filters_key: str, fmt: str,
                _atlas: Atlas, _filters: MapFilters | None) -> bytes | str:
    """One export of the atlas (all of it, or what ``_filters`` keep): ``geojson`` (every layer, RFC 7946),
    ``gpkg``, ``csv`` (mentions) or ``html`` (the standalone map).

    Built once per atlas and filter state and handed to the download buttons as plain data:
    Streamlit's deferred (callable) downloads lost clicks under load in the browser tests.
    """
    layers = _atlas if _filters is None else filtered_layers(_atlas, _filters)
    if fmt == "geojson":
        return to_geojson(layers, "all", as_text=True)
    if fmt == "csv":
        return mentions_csv(layers)
    with tempfile.TemporaryDirectory(prefix="corridor-atlas-") as tmp:
        if fmt == "gpkg":
            path = write_gpkg(layers, Path(tmp) / "atlas.gpkg",
                              [n for n in ("corridors", "segments", "places", "mentions") if len(getattr(layers, n))])
        else:
            path = save_standalone_html(_atlas, Path(tmp) / "atlas.html", filters=_filters)
        return path.read_bytes()


EXPORTS = (  # format, button label, file suffix, MIME type
    ("geojson", "GeoJSON (all layers)", "geojson", "application/geo+json"),
    ("gpkg", "GeoPackage", "gpkg", "application/geopackage+sqlite3"),
    ("csv", "Mentions CSV", "csv", "text/csv"),
    ("html", "Standalone HTML map", "html", "text/html"),
)


def _downloads(atlas: Atlas, filters: MapFilters) -> None:
    st.markdown("#### Download")
    only_shown = st.toggle("Only what the filters show", key="export-filtered",
                           help="Off: the whole atlas. On: the corridors, places and mentions the map shows.")
    st.caption("GeoJSON (RFC 7946), GeoPackage (one layer per atlas layer), the place mentions as CSV, "
               "or the map as one HTML file that opens offline. Corrected rows carry corrected = true.")
    key = atlas_key()
    used = filters if only_shown else None
    eager = len(atlas.mentions) <= EAGER_EXPORT_MENTIONS
    if not eager:
        st.caption(f"{len(atlas.mentions):,} mentions: each file is built when you click its button "
                   "(this can take a minute).")
    top, bottom = st.columns(2), st.columns(2)
    for col, (fmt, label, suffix, mime) in zip([*top, *bottom], EXPORTS):
        # A small atlas: built once and handed over as data (deferred downloads lost clicks under load in
        # the browser tests). A large one: on click only, never on every run (150,000 mentions: about a minute).
        data = (export_data(*key, repr(used), fmt, atlas, used) if eager
                else functools.partial(export_data, *key, repr(used), fmt, atlas, used))
        col.download_button(label, data=data, file_name=f"corridor-atlas{'-filtered' if used else ''}.{suffix}",
                            mime=mime, key=f"download-{fmt}", on_click="ignore")  # downloading needs no rerun


def _uploader(sb, atlas: Atlas) -> None:
    """Documents added for this session: read, checked, and joined to the corpus (rebuilds the atlas)."""
    files = sb.file_uploader(
        "Add documents", type=[s.lstrip(".") for s in UPLOAD_SUFFIXES], accept_multiple_files=True, key="uploader",
        help="Text, Markdown, HTML or PDF (with a text layer). They join the corpus for this session.",
    ) or []
    signature = tuple((f.name, f.size, f.file_id) for f in files)
    if signature != st.session_state.get("upload_signature"):
        st.session_state["upload_signature"] = signature
        previous = {d.id for d in st.session_state.get("uploads", ())}
        corpus_ids = set(atlas.documents) - previous  # an upload never shadows a corpus document
        with sb.status(f"Reading {len(files)} uploaded file(s)…", expanded=False) as status:
            bar = st.progress(0.0)
            raw: list[tuple[str, bytes]] = []
            for i, f in enumerate(files, 1):
                raw.append((f.name, f.getvalue()))
                bar.progress(i / max(len(files), 1))
            docs, errors = documents_from_uploads(raw, taken_ids=corpus_ids)
            st.session_state["uploads"] = docs
            st.session_state["upload_errors"] = [str(e) for e in errors]
            by_name = dict(raw)
            st.session_state["upload_bytes"] = {d.id: (d.path, by_name[d.path]) for d in docs}
            status.update(label="Geoparsing the uploaded documents…")
            current_atlas()  # builds the atlas with them (cached)
            status.update(label=f"{len(docs)} document(s) added", state="complete")
        st.rerun()  # this run drew the map from the atlas without them
    errors = st.session_state.get("upload_errors") or []
    if errors:
        sb.warning(f"{len(errors)} file(s) refused:")
        for message in errors:
            sb.text(message)  # plain text: the file name is the user's
    uploads = st.session_state.get("uploads") or []
    if uploads:
        sb.caption(f"{len(uploads)} uploaded document(s) in this session's atlas.")
        for doc in uploads:
            if sb.button(f"Save {doc.id} into the corpus folder", key=f"save-{doc.id}"):
                name, data = st.session_state["upload_bytes"][doc.id]
                try:
                    saved = save_upload(st.session_state["corpus"], name, data, doc)
                except FileExistsError as exc:
                    sb.error(str(exc))
                else:
                    st.session_state["uploads"] = [d for d in uploads if d.id != doc.id]
                    load_atlas.clear()
                    sb.success(f"Saved {saved.name}")
                    st.rerun()


def _store(items: list[Correction], selection: Selection | None = None) -> None:
    """Save the corrections and show their effect (the atlas is rebuilt with them)."""
    save_corrections(items)
    if selection is not None:
        _select(selection if selection.id in set(current_atlas().places["place_id"]) else None)
    st.rerun()


def _corrections_sidebar(sb, atlas: Atlas) -> None:
    items, err = _corrections()
    if err:
        sb.error("The corrections file cannot be read; it is left as it is and no correction is applied.")
        sb.text(err)
        if sb.button("Keep a backup of it and start a new corrections file"):
            save_corrections([], replace_corrupt=True)
            st.rerun()
        return
    if st.session_state.get("correction_error"):
        sb.warning(f"A correction could not be applied: {st.session_state.pop('correction_error')}")
    if not items:
        return
    with sb.expander(f"Corrections ({len(items)})"):
        st.caption(f"Stored in {corrections_path()}; applied to every build, the CLI and the exports.")
        if st.button("Undo last correction", key="undo-last"):
            _store(undo_last(items), st.session_state.get("selection"))
        for c in reversed(items):
            target = "not a place" if c.target is None else c.target
            st.text(f"{c.label or c.key} → {target}")
            if st.button("Undo", key=f"undo-{c.key}"):
                _store(remove_correction(items, c.key), st.session_state.get("selection"))


def _correction(atlas: Atlas, selection: Selection) -> None:
    """The place's gazetteer entry, its score and the alternatives; pick another or type coordinates."""
    items, err = _corrections()
    touching = corrections_for_place(atlas, selection.id, items)
    choices = place_choices(atlas, selection.id)
    with st.expander("Correct this place" + (" (corrected)" if touching else ""), expanded=bool(touching)):
        if err:
            st.error("Corrections are off: the corrections file cannot be read (see the sidebar).")
            return
        mentions = atlas.mentions[atlas.mentions["place_id"] == selection.id]
        scopes = ["all"] + list(mentions["mention_id"])
        labels = {"all": f"All {len(mentions)} mention(s) of this place"}
        for r in mentions.itertuples():
            labels[r.mention_id] = f"“{r.name}” in {r.doc_id} at {r.start}"
        scope = st.selectbox("Apply to", scopes, format_func=labels.get, key=f"scope-{selection.id}")
        pick = st.selectbox("Gazetteer entry (chosen first, then the geoparser's alternatives)",
                            range(len(choices)), format_func=lambda i: choices[i].label(), key=f"pick-{selection.id}")
        c1, c2 = st.columns(2)
        lat = c1.number_input("Latitude", min_value=-90.0, max_value=90.0, value=float(choices[0].lat), format="%.5f",
                              key=f"lat-{selection.id}")
        lon = c2.number_input("Longitude", min_value=-180.0, max_value=180.0, value=float(choices[0].lon),
                              format="%.5f", key=f"lon-{selection.id}")
        b1, b2, b3 = st.columns(3)
        target: str | None | bool = False  # False: no button pressed
        if b1.button("Use entry", key=f"use-entry-{selection.id}", help="The first entry confirms the current one."):
            target = choices[pick].gazetteer_id
        if b2.button("Use point", key=f"use-point-{selection.id}"):
            try:
                target = user_target(lat, lon)
            except ValueError as exc:
                st.error(str(exc))
        if b3.button("Not a place", key=f"drop-{selection.id}"):
            target = None
        if target is not False:
            name = str(atlas.card("place", selection.id)["name"])
            if scope == "all":
                keys = {c.key for c in touching if c.key.startswith("place:") or c.key in set(scopes)}
                keys.add(place_key(selection.id)) if not selection.id.startswith("user:") else None
            else:
                keys = {scope}
            new = items
            for key in sorted(keys):
                new = set_correction(new, key, target, label=f"{name} ({key})")
            _store(new, Selection("place", target) if isinstance(target, str) else None)
        for c in touching:
            cols = st.columns([4, 1])
            cols[0].text(f"{c.key} → {'not a place' if c.target is None else c.target}")
            if cols[1].button("Undo", key=f"undo-here-{c.key}"):
                _store(remove_correction(items, c.key), selection)


def _timeline(atlas: Atlas, selection: Selection, filters: MapFilters) -> None:
    """Mentions per month of the documents' dates; undated documents are counted, not charted."""
    frame, undated = timeline_counts(atlas, selection.kind, selection.id, allowed=kept_documents(atlas, filters))
    st.markdown("#### Mentions over time")
    if not frame.empty:
        st.bar_chart(frame, x="month", y="mentions", height=170)
    else:
        st.caption("No mention in a dated document.")
    if undated:
        st.caption(f"{undated} mention(s) in undated documents are not on the chart.")


def _apply_click(atlas: Atlas, returned: dict | None) -> bool:
    """A click on a corridor or place selects it; the same stale value on later runs does not.

    A click on a corridor line also remembers which segment (leg) was clicked.
    Returns True when the selection or the segment changed.
    """
    if not returned:
        return False
    feature = returned.get("last_active_drawing")
    signature = repr((feature, returned.get("last_object_clicked")))
    if feature is None or signature == st.session_state.get("last_click"):
        return False
    st.session_state["last_click"] = signature
    clicked = selection_from_feature(feature)
    if clicked is None or clicked not in options(atlas):
        return False
    segment = segment_from_feature(feature) if clicked.kind == "corridor" else None
    if clicked == st.session_state.get("selection") and segment == st.session_state.get("segment"):
        return False
    if clicked != st.session_state.get("selection"):
        _select(clicked)
    st.session_state["segment"] = segment
    return True


def main() -> None:
    st.markdown(
        "<style>.ca-card th{padding-right:1em;text-align:left;vertical-align:top;font-weight:600}"
        ".ca-card{border:none;font-size:.92rem}.ca-quote{border-left:3px solid #f0c808;padding:.2em .7em;"
        "margin:.3em 0 .6em;font-size:.93rem}.ca-quote mark{background:#ffe680;padding:0 .1em}"
        ".ca-chips{font-size:.8rem;line-height:1.7}.ca-chip{white-space:nowrap;margin-right:.9em}"
        ".ca-chip i{display:inline-block;width:18px;height:4px;margin-right:4px;vertical-align:middle}"
        "[data-testid='stMainBlockContainer']{padding-top:2.2rem}</style>",
        unsafe_allow_html=True,
    )
    missing = [a.dirname for a in ASSETS if not is_installed(a)]
    if missing:  # the map would stay blank: Leaflet is served from static/vendor, never a CDN
        st.error(f"Map assets missing ({', '.join(missing)}): run `make assets` "
                 "(or `python -m geo assets`) once with access to registry.npmjs.org.")
    corpus = st.session_state.setdefault("corpus", _default_corpus())
    atlas = current_atlas()
    if "selection" not in st.session_state:  # deep link, read once per session
        linked = parse_deep_link(st.query_params.to_dict(), atlas)
        st.session_state["selection"] = linked
        st.session_state["view"] = selection_view(atlas, linked)

    # streamlit-folium's on_change has already stored the click in session_state[MAP_KEY] when this
    # run starts: apply it before drawing, so one run shows the new highlight and panel.
    _apply_click(atlas, st.session_state.get(MAP_KEY))

    basemap, filters = _sidebar(atlas)
    selection: Selection | None = st.session_state.get("selection")

    left, right = st.columns([5, 3], gap="medium")
    with right:  # the panel first: after a click it reaches the browser before the map is rebuilt
        _picker(atlas)
        if selection is None:
            st.info("Select a corridor or a place on the map, or search for one above.")
        else:
            _card(atlas, selection)
            if selection.kind == "place":
                _correction(atlas, selection)
            timeline_slot = st.container()  # filled after the map: the chart is the slowest part of a click
            _segment(atlas, selection, filters)
            _excerpts(atlas, selection, filters)
    with left:
        lines, points, n_docs = map_data(atlas_key(), repr(filters), atlas, filters)
        st.markdown(f"**{len({f['properties']['route_id'] for f in lines['features']})}** corridors · "
                    f"**{len(points['features']):,}** places · **{n_docs:,}** documents")
        # The base map depends on the atlas and the basemap only: filters and the selection travel as
        # feature groups, so streamlit-folium updates the live map instead of reloading it.
        all_lines, all_points, _n = map_data(atlas_key(), repr(MapFilters()), atlas, MapFilters())
        m = base_map(atlas, basemap=basemap, legend_open=False, basemap_urls=basemap_urls(),
                     lines=all_lines, points=all_points)
        view = st.session_state.get("view")  # changes only when the search box or a link moves the map
        returned = st_folium(
            m,
            center=view[0] if view else None,
            zoom=view[1] if view else None,
            key=MAP_KEY,
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=["last_active_drawing", "last_object_clicked"],
            feature_group_to_add=[data_layer(atlas, filters, lines=lines, points=points,
                                             cache_key=_layer_key(atlas_key(), repr(filters))),
                                  selection_layer(atlas, selection, lines=all_lines)],
        )
        chips = "".join(
            f'<span class="ca-chip"><i style="background:{color}"></i>{markdown_safe(name)}</span>'
            for _cid, name, color in legend_entries(atlas, filters)
        )
        st.markdown(f'<div class="ca-chips">{chips}</div>', unsafe_allow_html=True)
        st.caption(
            "Line style: solid rail/road, dashed sea/ferry, dotted partnership, dash-dot cable/power/pipeline. "
            "Basemap made with Natural Earth (public domain). Place names from GeoNames (CC BY 4.0). "
            "Click a corridor line or a place to see what the documents say about it."
        )
    if _apply_click(atlas, returned):  # only if the early read missed it (older streamlit-folium)
        st.rerun()
    if selection is not None:
        with timeline_slot:
            _timeline(atlas, selection, filters)
    with right:
        _downloads(atlas, filters)  # last: the slowest part of a first run (cached after)
    _warm_up()


@st.cache_resource(show_spinner=False)
def _warm_up() -> None:
    """Import the chart library once, after the first map is out, so that the first click's timeline
    does not pay for it (about 1 s on the development machine)."""
    import altair  # noqa: F401  (st.bar_chart imports it on first use)

main()

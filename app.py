"""Corridor Atlas: the Streamlit app. Composes geo/ (atlas, map, export) and nothing else.

Run with ``make run`` (or ``streamlit run app.py``). The corpus is ``seeds/`` unless the
``CORRIDOR_ATLAS_CORPUS`` environment variable or the sidebar folder says otherwise.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from geo.assets import ASSETS, is_installed
from geo.atlas import Atlas, build_atlas
from geo.export import mentions_csv, to_geojson
from geo.map import (
    MapFilters,
    Selection,
    allowed_documents,
    deep_link_params,
    highlight_excerpt,
    legend_entries,
    make_map,
    markdown_safe,
    parse_deep_link,
    segment_from_feature,
    selection_from_feature,
    selection_layer,
    selection_options,
    selection_view,
    visible_corridor_ids,
    visible_places,
)
from geo.paths import ROOT, SEEDS_DIR

st.set_page_config(layout="wide", page_title="Corridor Atlas")

MAP_KEY = "atlas_map"
MAP_HEIGHT = 640
MAX_EXCERPTS = 40  # per selection; the rest are counted, not shown


@st.cache_resource(show_spinner="Reading the corpus and building the atlas…")
def load_atlas(corpus: str) -> Atlas:
    return build_atlas(Path(corpus))


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
        st.session_state["view"] = selection_view(load_atlas(st.session_state["corpus"]), selection)


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
    chosen_docs = sb.multiselect("Documents", list(docs), format_func=lambda d: f"{d} · {docs[d].title[:50]}",
                                 placeholder="All documents")
    dates = sorted(d.date for d in docs.values() if d.date)
    date_from = date_to = None
    if dates:
        lo, hi = date.fromisoformat(dates[0]), date.fromisoformat(dates[-1])
        picked = sb.date_input("Date range (dated documents)", value=(lo, hi), min_value=lo, max_value=hi)
        if isinstance(picked, (tuple, list)) and len(picked) == 2 and (picked[0], picked[1]) != (lo, hi):
            date_from, date_to = picked[0].isoformat(), picked[1].isoformat()
    kinds = sorted({str(k) for k in atlas.places["kind"]})
    chosen_kinds = sb.multiselect("Place kinds", kinds, placeholder="All kinds")

    filters = MapFilters(
        corridors=frozenset(chosen_corridors) or None,
        documents=frozenset(chosen_docs) or None,
        date_from=date_from,
        date_to=date_to,
        place_kinds=frozenset(chosen_kinds) or None,
    )

    sb.subheader("Corpus")
    root = _corpus_root()
    folder = sb.text_input("Corpus folder", value=st.session_state.get("corpus", _default_corpus()),
                           help=f"A folder of .txt/.html/.jsonl documents on the server, inside {root}.")
    if folder != st.session_state.get("corpus"):
        chosen = Path(folder).expanduser().resolve()
        if not chosen.is_dir():
            sb.error("No such folder.")
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
        export_text.clear()
        st.rerun()
    if atlas.errors:
        with sb.expander(f"{len(atlas.errors)} document(s) could not be read"):
            for err in atlas.errors:
                st.text(str(err))
    return basemap, filters


def _picker(atlas: Atlas) -> None:
    options = selection_options(atlas)
    labels = {sel: label for label, sel in options}
    current = st.session_state.get("selection")
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
    if selection.kind == "corridor":
        if card.get("aliases"):
            facts.append(("Also called", ", ".join(card["aliases"])))
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
    facts.append(("Mentions", f"{card.get('mention_count', 0)} in {card.get('doc_count', 0)} document(s)"))
    rows = "".join(f"<tr><th>{markdown_safe(k)}</th><td>{markdown_safe(v)}</td></tr>" for k, v in facts)
    st.markdown(f'<table class="ca-card">{rows}</table>', unsafe_allow_html=True)
    if card.get("description"):
        st.caption(str(card["description"]))
    for cap in card.get("capacities") or []:
        value = f"{cap.get('value'):,.0f} {cap.get('unit', '')}".strip()
        if cap.get("from_value") is not None:
            value = f"{cap['from_value']:,.0f} → {value}"
        st.markdown(f"**Capacity:** {markdown_safe(value)} <small>(doc {markdown_safe(cap.get('doc_id'))})</small>",
                    unsafe_allow_html=True)


def _excerpts(atlas: Atlas, selection: Selection, filters: MapFilters) -> None:
    allowed = allowed_documents(atlas, filters)
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
    allowed = allowed_documents(atlas, filters)
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


@st.cache_data(show_spinner=False, max_entries=16)
def export_text(corpus: str, layer: str) -> str:
    """A layer of the corpus's atlas as RFC 7946 GeoJSON text, or the mentions as CSV (``layer="csv"``).

    Built once per corpus and handed to the download buttons as plain data: Streamlit's deferred
    (callable) downloads lost clicks under load in the browser tests.
    """
    atlas = load_atlas(corpus)
    return mentions_csv(atlas) if layer == "csv" else to_geojson(atlas, layer, as_text=True)


def _downloads(corpus: str) -> None:
    st.markdown("#### Download")
    st.caption("GeoJSON (RFC 7946) of the whole atlas, and the place mentions as CSV.")
    top, bottom = st.columns(2), st.columns(2)
    cols = [*top, *bottom]
    for col, layer in zip(cols, ("corridors", "places", "mentions")):
        col.download_button(
            f"{layer.capitalize()} GeoJSON",
            data=export_text(corpus, layer),
            file_name=f"corridor-atlas-{layer}.geojson",
            mime="application/geo+json",
            key=f"download-{layer}",
            on_click="ignore",  # downloading needs no rerun
        )
    cols[3].download_button("Mentions CSV", data=export_text(corpus, "csv"), file_name="corridor-atlas-mentions.csv",
                            mime="text/csv", key="download-csv", on_click="ignore")


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
    if clicked is None or clicked not in {sel for _label, sel in selection_options(atlas)}:
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
    atlas = load_atlas(corpus)
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
    with left:
        shown = visible_corridor_ids(atlas, filters)
        n_places = len(visible_places(atlas, filters))
        allowed = allowed_documents(atlas, filters)
        n_docs = len(atlas.documents) if allowed is None else len(allowed)
        st.markdown(f"**{len(shown)}** corridors · **{n_places}** places · **{n_docs}** documents")
        m = make_map(atlas, basemap=basemap, filters=filters, legend_open=False)
        view = st.session_state.get("view")  # changes only when the search box or a link moves the map
        returned = st_folium(
            m,
            center=view[0] if view else None,
            zoom=view[1] if view else None,
            key=MAP_KEY,
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=["last_active_drawing", "last_object_clicked"],
            feature_group_to_add=selection_layer(atlas, selection),
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

    with right:
        _picker(atlas)
        if selection is None:
            st.info("Select a corridor or a place on the map, or search for one above.")
        else:
            _card(atlas, selection)
            _segment(atlas, selection, filters)
            _excerpts(atlas, selection, filters)
        _downloads(corpus)


main()

"""The folium map of an Atlas: offline Natural Earth basemap, corridors, places, legend.

Only ids and labels we build ourselves reach the map (corridor names from our YAML, gazetteer
place names), always through ``geo.safe.escape_html``. Corpus text never goes on the map: the
excerpts are shown in the app's side panel. The selection highlight is a separate FeatureGroup so
the base map stays byte-identical between Streamlit runs (streamlit-folium then keeps the view).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import folium
import folium.plugins
import pandas as pd
import pyogrio
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template
from shapely.geometry import mapping

from geo.assets import DEFAULT_BASE_URL, inline_assets, localise_map
from geo.paths import NATURALEARTH_DIR, VENDOR_DIR
from geo.safe import atomic_write_text, escape_html

if TYPE_CHECKING:  # geo.atlas is a later stage; the map only reads its frames
    from geo.atlas import Atlas

__all__ = [
    "Selection",
    "MapFilters",
    "make_map",
    "base_map",
    "data_layer",
    "CorridorLayer",
    "selection_layer",
    "selection_from_feature",
    "corridor_colors",
    "mode_style",
    "place_radius",
    "visible_places",
    "allowed_documents",
    "visible_corridor_ids",
    "corridor_features",
    "place_features",
    "map_payload_bytes",
    "save_standalone_html",
    "Legend",
    "PlaceLayer",
    "css_class_id",
    "legend_entries",
    "selection_view",
    "segment_from_feature",
    "markdown_safe",
    "highlight_excerpt",
    "selection_options",
    "parse_deep_link",
    "deep_link_params",
]

Basemap = Literal["naturalearth", "tiles"]

# The corridor region (Europe to China, the Caucasus, Central Asia, Iran) with a margin.
# Larger than the map at its minimum zoom (3), so the clipped edge is never on screen;
# the map's maxBounds keeps the user inside it.
BASEMAP_BOUNDS = (-25.0, -5.0, 160.0, 80.0)  # lon_min, lat_min, lon_max, lat_max
MIN_ZOOM = 3
BASEMAP_SIMPLIFY_DEG = 0.04  # ~4 km: invisible at the zooms the region fits in, keeps payload small
BASEMAP_DECIMALS = 2  # ~1 km: below what the simplification keeps anyway
FEATURE_DECIMALS = 5  # ~1 m for corridors and places
LINE_SIMPLIFY_DEG = 0.005  # corridor lines come densified every ~25 km; ~500 m is plenty on screen
WATER = "#cfe3ee"
LAND = "#f7f4ec"
BORDER = "#b3ab9c"
NE_ATTRIBUTION = 'Made with <a href="https://www.naturalearthdata.com/">Natural Earth</a>'
CLUSTER_THRESHOLD = 300  # places above this are clustered (markercluster)

# Sixteen hues that stay distinct on the light land colour (no grey: borders are grey). The most
# mentioned corridors get the first, strongest ones (see corridor_colors).
CORRIDOR_PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#17becf", "#8c564b", "#e377c2",
    "#393b79", "#b8a500", "#843c39", "#637939", "#c51b8a", "#0b6e4f", "#6b6ecf", "#ad494a",
)
PLACE_KIND_COLORS: dict[str, str] = {
    "city": "#3b5b92",
    "port": "#0b7a75",
    "country": "#6b6b6b",
    "admin1": "#8a6d3b",
    "admin2": "#8a6d3b",
    "sea": "#2b83ba",
    "lake": "#2b83ba",
    "river": "#2b83ba",
    "region": "#a05195",
    "continent": "#a05195",
    "border_crossing": "#d45087",
    "station": "#f95d6a",
    "other": "#555555",
}
SEA_MODES = frozenset({"sea", "ferry", "maritime", "shipping"})
PARTNERSHIP_MODES = frozenset({"partnership", "agreement", "political", "link"})
THIN_MODES = frozenset({"cable", "power", "fiber", "fibre", "fiber-optic", "electricity", "energy", "pipeline"})


@dataclass(frozen=True)
class Selection:
    """What the user picked: a corridor (``route_id``) or a place (``place_id``)."""

    kind: Literal["corridor", "place"]
    id: str


@dataclass(frozen=True)
class MapFilters:
    """Sidebar filters; ``None`` means "no restriction". Dates are ISO strings compared as text."""

    corridors: frozenset[str] | None = None
    documents: frozenset[str] | None = None
    date_from: str | None = None
    date_to: str | None = None
    place_kinds: frozenset[str] | None = None


# ---------------------------------------------------------------- geometry helpers

def _round(obj: Any, ndigits: int) -> Any:
    """Round every coordinate in a GeoJSON ``coordinates`` tree."""
    if isinstance(obj, (list, tuple)):
        return [_round(x, ndigits) for x in obj]
    return round(float(obj), ndigits)


def _geometry(geom, ndigits: int = FEATURE_DECIMALS) -> dict:
    g = mapping(geom)
    return {"type": g["type"], "coordinates": _round(g["coordinates"], ndigits)}


@lru_cache(maxsize=4)
def _naturalearth_layer(filename: str, where: str | None = None) -> str:
    """A Natural Earth layer clipped to the region, simplified and rounded, as GeoJSON text."""
    frame = pyogrio.read_dataframe(NATURALEARTH_DIR / filename, where=where)
    clipped = shapely.clip_by_rect(frame.geometry.values, *BASEMAP_BOUNDS)
    simplified = shapely.simplify(clipped, BASEMAP_SIMPLIFY_DEG, preserve_topology=True)
    name_col = "NAME" if "NAME" in frame.columns else "name"
    features = []
    for i, (geom, name) in enumerate(zip(simplified, frame[name_col])):
        if geom is None or geom.is_empty or geom.area == 0:
            continue
        features.append({
            "type": "Feature",
            "id": f"ne{i}",
            "properties": {"name": escape_html(name)},
            "geometry": _geometry(geom, BASEMAP_DECIMALS),
        })
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))


def basemap_countries() -> dict:
    return json.loads(_naturalearth_layer("ne_50m_admin_0_countries.geojson"))


def basemap_lakes() -> dict:
    # Large lakes only (Aral Sea, Balkhash, Sevan, Urmia...); the Caspian and the Black Sea are
    # holes in the country layer, so the water-coloured background shows through them.
    return json.loads(_naturalearth_layer("ne_10m_lakes_region.geojson", where="scalerank <= 4"))


# ---------------------------------------------------------------- styles

def corridor_colors(corridor_ids: Iterable[str], weights: Mapping[str, float] | None = None) -> dict[str, str]:
    """A colour per corridor: heaviest first (e.g. by mention count), ties by id; stable for an atlas."""
    weights = weights or {}
    order = sorted(set(corridor_ids), key=lambda cid: (-float(weights.get(cid, 0) or 0), cid))
    return {cid: CORRIDOR_PALETTE[i % len(CORRIDOR_PALETTE)] for i, cid in enumerate(order)}


def mode_style(mode: str | None) -> dict[str, Any]:
    """Line look by transport mode: sea dashed, partnership dotted, cable/power thin, land solid."""
    m = (mode or "").lower()
    if m in SEA_MODES:
        return {"weight": 4, "dashArray": "10 7"}
    if m in PARTNERSHIP_MODES:
        return {"weight": 3, "dashArray": "2 7"}
    if m in THIN_MODES:
        return {"weight": 2, "dashArray": "6 3 1 3"}
    return {"weight": 4, "dashArray": None}


def place_radius(mention_count: int | float) -> float:
    """Circle radius in pixels: area grows with the count (sqrt scale), capped to stay readable."""
    return round(min(4.0 + 2.5 * math.sqrt(max(float(mention_count), 0.0)), 22.0), 1)


# ---------------------------------------------------------------- filtering

def allowed_documents(atlas: Atlas, filters: MapFilters) -> set[str] | None:
    """Ids of the documents the filters keep, or None when no document filter is set."""
    if filters.documents is None and filters.date_from is None and filters.date_to is None:
        return None
    allowed = set()
    for doc_id, doc in atlas.documents.items():
        if filters.documents is not None and doc_id not in filters.documents:
            continue
        date = getattr(doc, "date", None)
        if (filters.date_from or filters.date_to) and date is None:
            continue  # an undated document cannot be placed inside a date range
        if filters.date_from and date < filters.date_from:
            continue
        if filters.date_to and date > filters.date_to:
            continue
        allowed.add(doc_id)
    return allowed


def visible_corridor_ids(atlas: Atlas, filters: MapFilters | None = None) -> list[str]:
    ids = [str(i) for i in atlas.corridors["id"]]
    if filters is not None and filters.corridors is not None:
        ids = [i for i in ids if i in filters.corridors]
    return ids


def visible_places(atlas: Atlas, filters: MapFilters | None = None) -> pd.DataFrame:
    """Places after the filters, with ``mention_count`` recounted over the allowed documents."""
    places = atlas.places
    filters = filters or MapFilters()
    if filters.place_kinds is not None:
        places = places[places["kind"].isin(filters.place_kinds)]
    allowed = allowed_documents(atlas, filters)
    if allowed is not None:
        mentions = atlas.mentions
        mentions = mentions[mentions["doc_id"].isin(allowed)]
        counts = mentions.groupby("place_id").size()
        places = places.assign(mention_count=places["place_id"].map(counts).fillna(0).astype(int))
        places = places[places["mention_count"] > 0]
    return places


# ---------------------------------------------------------------- features

def corridor_features(atlas: Atlas, corridor_ids: Iterable[str] | None = None) -> dict:
    """One feature per segment, each with ``route_id`` (the corridor) and ``segment_id``."""
    corridors = atlas.corridors
    wanted = set(corridor_ids) if corridor_ids is not None else set(map(str, corridors["id"]))
    names = {str(r.id): str(r.name) for r in corridors.itertuples()}
    features: list[dict] = []
    segments = getattr(atlas, "segments", None)
    if segments is not None and len(segments):
        if corridor_ids is not None:  # the selection asks for one corridor: skip the other rows early
            segments = segments[segments["corridor_id"].astype(str).isin(wanted)]
        for row in segments.itertuples():
            cid = str(row.corridor_id)
            if cid not in wanted or row.geometry is None or row.geometry.is_empty:
                continue
            features.append({
                "type": "Feature",
                "id": str(row.segment_id),
                "properties": {
                    "route_id": cid,
                    "segment_id": str(row.segment_id),
                    "name": escape_html(names.get(cid, cid)),
                    "mode": escape_html(getattr(row, "mode", "") or ""),
                },
                "geometry": _geometry(shapely.simplify(row.geometry, LINE_SIMPLIFY_DEG)),
            })
    else:  # no segment table: draw each corridor whole
        for row in corridors.itertuples():
            cid = str(row.id)
            if cid not in wanted or row.geometry is None or row.geometry.is_empty:
                continue
            modes = list(getattr(row, "modes", None) or [])
            features.append({
                "type": "Feature",
                "id": cid,
                "properties": {"route_id": cid, "segment_id": cid, "name": escape_html(row.name),
                               "mode": escape_html(modes[0] if modes else "")},
                "geometry": _geometry(shapely.simplify(row.geometry, LINE_SIMPLIFY_DEG)),
            })
    return {"type": "FeatureCollection", "features": features}


def place_features(places: pd.DataFrame) -> dict:
    features = []
    for row in places.itertuples():
        count = int(getattr(row, "mention_count", 1) or 0)
        features.append({
            "type": "Feature",
            "id": str(row.place_id),
            "properties": {
                "place_id": str(row.place_id),
                "name": escape_html(row.name),
                "kind": escape_html(row.kind),
                "mentions": count,
                "r": place_radius(count),  # marker radius and CSS class id, for PlaceLayer
                "css": css_class_id(row.place_id),
            },
            "geometry": {"type": "Point", "coordinates": [round(float(row.lon), FEATURE_DECIMALS),
                                                          round(float(row.lat), FEATURE_DECIMALS)]},
        })
    return {"type": "FeatureCollection", "features": features}


# ---------------------------------------------------------------- map elements

class Legend(MacroElement):
    """A Leaflet control with corridor colours, mode line styles and place kinds.

    Built only from our own labels, escaped; the HTML string reaches JS through ``tojson``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "topright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "ca-legend");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, corridors: Mapping[str, tuple[str, str]], modes: Iterable[str], place_kinds: Iterable[str],
                 *, open: bool = True):
        super().__init__()
        self._name = "Legend"
        self.html = self.build_html(corridors, modes, place_kinds, open=open)

    @staticmethod
    def _line(color: str, mode: str | None) -> str:
        style = mode_style(mode)
        dash = f' stroke-dasharray="{style["dashArray"]}"' if style["dashArray"] else ""
        return (f'<svg width="34" height="10" aria-hidden="true"><line x1="1" y1="5" x2="33" y2="5" '
                f'stroke="{color}" stroke-width="{style["weight"]}"{dash}/></svg>')

    @classmethod
    def build_html(cls, corridors: Mapping[str, tuple[str, str]], modes: Iterable[str],
                   place_kinds: Iterable[str], *, open: bool = True) -> str:
        rows = [
            f'<div class="ca-row">{cls._line(color, None)} {escape_html(name)}</div>'
            for _cid, (name, color) in corridors.items()
        ]
        mode_rows = [
            f'<div class="ca-row">{cls._line("#444", mode)} {escape_html(mode)}</div>'
            for mode in sorted(set(modes))
        ]
        kinds = "".join(
            f'<span class="ca-kind"><span class="ca-dot" style="background:{PLACE_KIND_COLORS.get(k, "#555")}">'
            f'</span>{escape_html(k.replace("_", " "))}</span>'
            for k in sorted(set(place_kinds))
        )
        kind_rows = [f'<div class="ca-kinds">{kinds}</div>'] if kinds else []
        style = (
            "<style>.ca-legend{background:rgba(255,255,255,.9);padding:4px 8px;border-radius:5px;"
            "font:11px/1.3 system-ui,sans-serif;color:#222;box-shadow:0 1px 4px rgba(0,0,0,.3);"
            "max-height:60vh;max-width:230px;overflow:auto}.ca-legend summary{font-weight:600;cursor:pointer}"
            ".ca-legend h4{margin:4px 0 1px;font-size:10px;text-transform:uppercase;color:#666}"
            ".ca-row{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.ca-row svg{vertical-align:middle}"
            ".ca-kinds{white-space:normal}.ca-kind{display:inline-block;margin-right:6px}"
            ".ca-dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:3px;"
            "vertical-align:middle;opacity:.85}</style>"
        )
        details = "<details open>" if open else "<details>"
        parts = [style, details, "<summary>Legend</summary>", "<h4>Corridors</h4>", *rows]
        if mode_rows:
            parts += ["<h4>Mode</h4>", *mode_rows]
        if kind_rows:
            parts += ["<h4>Places (size = mentions)</h4>", *kind_rows]
        parts.append("</details>")
        return "".join(parts)


class MapBackground(MacroElement):
    """Water-coloured map background (no tiles): seas show through the land polygons' holes."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.getContainer().style.background = {{ this.color|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self, color: str = WATER):
        super().__init__()
        self._name = "MapBackground"
        self.color = color


# The browser keeps the last 8 built layers by key: the app resends unchanged layers on every click,
# and rebuilding thousands of markers is what a click would otherwise wait for. Shared by the
# PlaceLayer and CorridorLayer templates, which build `layer` between these two parts.
_CACHED_LAYER_OPEN = """        var {{ this.get_name() }} = (function () {
            // A layer group the browser built already for the same data (a click resends it unchanged)
            var cache = window.__caLayers = window.__caLayers || {keys: []}, key = {{ this.cache_key|tojson }};
            if (key && cache[key]) return cache[key];
"""
_CACHED_LAYER_CLOSE = """            if (key) {
                cache[key] = layer;
                cache.keys.push(key);
                while (cache.keys.length > 8) delete cache[cache.keys.shift()];
            }
            return layer;
        })().addTo({{ this._parent.get_name() }});
"""


class PlaceLayer(JSCSSMixin, MacroElement):
    """Places as circle markers built in the browser from a compact GeoJSON, clustered when
    ``cluster_options`` is given. With a ``cache_key`` the browser keeps the built layer and reuses
    it when the same key comes again (the app resends the layers on every click).

    Style comes from a small per-kind table and a radius property, not from a per-feature switch
    (folium's ``style_function`` writes one case per feature: ~400 bytes a place). Each marker
    keeps its feature, so a click returns the ``place_id``. The tooltip shows our escaped
    gazetteer name and the mention count only.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
""" + _CACHED_LAYER_OPEN + """            var kinds = {{ this.kind_styles|tojson }}, other = {{ this.default_style|tojson }};
            var layer = L.geoJson({{ this.data|tojson }}, {
                pointToLayer: function (feature, latlng) {
                    var p = feature.properties;
                    return L.circleMarker(latlng, Object.assign(
                        {radius: p.r, weight: 1, opacity: 0.8, fill: true, className: "place place-" + p.css},
                        kinds[p.kind] || other));
                },
                onEachFeature: function (feature, layer) {
                    layer.bindTooltip(function () {
                        var p = feature.properties;
                        return "<b>" + p.name + "</b><br>" + p.mentions + (p.mentions === 1 ? " mention" : " mentions");
                    }, {sticky: true});
                }
            });
            {% if this.cluster_options is not none %}
            layer = L.markerClusterGroup({{ this.cluster_options|tojson }}).addLayer(layer);
            {% endif %}
""" + _CACHED_LAYER_CLOSE + """        {% endmacro %}
        """
    )

    def __init__(self, points: dict, *, cluster_options: dict | None = None, cache_key: str | None = None):
        super().__init__()
        self._name = "PlaceLayer"
        self.data = points  # from place_features: radius ("r") and CSS id ("css") included
        kinds = {f["properties"]["kind"] for f in points["features"]}
        self.kind_styles = {k: _place_look(k) for k in sorted(kinds)}
        self.default_style = _place_look("other")
        self.cluster_options = cluster_options
        self.cache_key = cache_key
        if cluster_options is not None:  # Leaflet.markercluster's files (instance attributes: see localise_map)
            self.default_js = list(folium.plugins.MarkerCluster.default_js)
            self.default_css = list(folium.plugins.MarkerCluster.default_css)


# The app serves the basemap as static files (Streamlit's static/ folder) that the browser
# fetches once and caches: they are not in the map's JS, which streamlit-folium sends on every rerun.
# (under static/vendor: third-party data, generated, not in git)
BASEMAP_STATIC_DIR = VENDOR_DIR / "naturalearth"
BASEMAP_STATIC_URL = f"{DEFAULT_BASE_URL}/naturalearth"
_LAND_STYLE = {"fillColor": LAND, "fillOpacity": 1, "color": BORDER, "weight": 0.7, "interactive": False}
_LAKE_STYLE = {"fillColor": WATER, "fillOpacity": 1, "color": "#9fc3d8", "weight": 0.5, "interactive": False}


def write_static_basemap(folder: Path = BASEMAP_STATIC_DIR, url: str = BASEMAP_STATIC_URL) -> dict[str, str]:
    """Write the countries and lakes layers as content-named JSON files; returns their URLs.

    The name carries a hash of the content, so a browser never keeps a stale copy.
    """
    import hashlib

    urls = {}
    for layer, text in (("countries", _naturalearth_layer("ne_50m_admin_0_countries.geojson")),
                        ("lakes", _naturalearth_layer("ne_10m_lakes_region.geojson", where="scalerank <= 4"))):
        name = f"{layer}-{hashlib.sha256(text.encode()).hexdigest()[:12]}.json"
        if not (folder / name).is_file():
            atomic_write_text(folder / name, text)
        urls[layer] = f"{url}/{name}"
    return urls


class FetchedBasemap(MacroElement):
    """Natural Earth land and lakes fetched by the browser from the app's static files, drawn in
    panes under every overlay (non-interactive)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            [["ca-land", 250, {{ this.urls.countries|tojson }}, {{ this.land|tojson }}],
             ["ca-lakes", 260, {{ this.urls.lakes|tojson }}, {{ this.lakes|tojson }}]].forEach(function (l) {
                var pane = map.getPane(l[0]) || map.createPane(l[0]);
                pane.style.zIndex = l[1];
                pane.style.pointerEvents = "none";
                fetch(l[2]).then(function (r) { return r.json(); }).then(function (data) {
                    L.geoJson(data, {pane: l[0], interactive: false, style: function () { return l[3]; }}).addTo(map);
                });
            });
            map.attributionControl.addAttribution({{ this.attribution|tojson }});
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, urls: Mapping[str, str]):
        super().__init__()
        self._name = "FetchedBasemap"
        self.urls = dict(urls)
        self.land, self.lakes, self.attribution = _LAND_STYLE, _LAKE_STYLE, NE_ATTRIBUTION


def _add_basemap(m: folium.Map, basemap: Basemap, basemap_urls: Mapping[str, str] | None = None) -> None:
    if basemap == "tiles":  # opt-in: needs the internet
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False).add_to(m)
        return
    MapBackground().add_to(m)
    if basemap_urls:
        FetchedBasemap(basemap_urls).add_to(m)
        return
    folium.GeoJson(
        basemap_countries(),
        name="Countries",
        style_function=lambda _f: {"fillColor": LAND, "fillOpacity": 1, "color": BORDER, "weight": 0.7,
                                   "interactive": False},
        control=False,
        attribution=NE_ATTRIBUTION,
    ).add_to(m)
    folium.GeoJson(
        basemap_lakes(),
        name="Lakes",
        style_function=lambda _f: {"fillColor": WATER, "fillOpacity": 1, "color": "#9fc3d8", "weight": 0.5,
                                   "interactive": False},
        control=False,
    ).add_to(m)


def css_class_id(identifier: str) -> str:
    """An id usable in a CSS class name and selector (``gn:587084`` -> ``gn-587084``)."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", str(identifier))


AREA_KINDS = frozenset({"country", "admin1", "admin2", "region", "continent", "sea", "lake", "river"})


def _place_look(kind: str) -> dict:
    """Fill and outline of a place circle by kind."""
    color = PLACE_KIND_COLORS.get(kind, "#555555")
    # Countries, seas and regions are drawn at a centroid: fainter, so towns and ports stand out.
    area = kind in AREA_KINDS
    return {"fillColor": color, "fillOpacity": 0.35 if area else 0.85, "color": color if area else "#ffffff"}


def _bounds(features: Iterable[dict], trim: float = 0.0) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the features' vertices; ``trim`` drops that share of
    outlying vertices on each side, so one very long corridor does not shrink everything else."""
    lons: list[float] = []
    lats: list[float] = []

    def walk(c: Any) -> None:
        if c and isinstance(c[0], (int, float)):
            lons.append(c[0])
            lats.append(c[1])
        else:
            for x in c:
                walk(x)

    for f in features:
        walk(f["geometry"]["coordinates"])
    if not lons:
        return None
    lons.sort()
    lats.sort()
    k = int(len(lons) * trim)
    hi = len(lons) - 1 - k
    return [[lats[k], lons[k]], [lats[hi], lons[hi]]]


def _corridor_colors_of(atlas: Atlas) -> dict[str, str]:
    all_ids = [str(i) for i in atlas.corridors["id"]]
    weights = (dict(zip(all_ids, atlas.corridors["mention_count"]))
               if "mention_count" in atlas.corridors.columns else None)
    return corridor_colors(all_ids, weights)


class CorridorLayer(MacroElement):
    """Corridor segments as one GeoJSON layer styled in the browser from two small tables (colour
    and class per corridor, line look per mode) instead of folium's per-feature style map; the
    tooltip shows our escaped corridor name, hovering thickens the line."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
""" + _CACHED_LAYER_OPEN + """            var routes = {{ this.routes|tojson }}, modes = {{ this.modes|tojson }}, plain = {{ this.plain|tojson }};
            function look(p) {
                var r = routes[p.route_id] || ["#333", "route"], m = modes[p.mode] || plain;
                return {color: r[0], className: r[1], weight: m.weight, dashArray: m.dashArray,
                        opacity: 0.9, lineCap: "round"};
            }
            var layer = L.geoJson({{ this.data|tojson }}, {
                style: function (f) { return look(f.properties); },
                onEachFeature: function (f, layer) {
                    layer.bindTooltip(function () { return f.properties.name; }, {sticky: true});
                    layer.on("mouseover", function () { layer.setStyle({weight: 7, opacity: 1}); });
                    layer.on("mouseout", function () { layer.setStyle(look(f.properties)); });
                }
            });
""" + _CACHED_LAYER_CLOSE + """        {% endmacro %}
        """
    )

    def __init__(self, lines: dict, colors: Mapping[str, str], *, cache_key: str | None = None):
        super().__init__()
        self._name = "CorridorLayer"
        self.cache_key = cache_key
        self.data = lines
        ids = sorted({f["properties"]["route_id"] for f in lines["features"]})
        self.routes = {cid: [colors.get(cid, "#333"), f"route route-{css_class_id(cid)}"] for cid in ids}
        self.modes = {m: mode_style(m) for m in sorted({f["properties"]["mode"] for f in lines["features"]})}
        self.plain = mode_style(None)


class ClusterAssets(JSCSSMixin, MacroElement):
    """Leaflet.markercluster's files on the base map, so a clustered place layer sent later (as a
    feature group, after a filter changed) finds them already loaded."""

    default_js = folium.plugins.MarkerCluster.default_js
    default_css = folium.plugins.MarkerCluster.default_css

    def __init__(self):
        super().__init__()
        self._name = "ClusterAssets"


def data_layer(atlas: Atlas, filters: MapFilters | None = None, *, lines: dict | None = None,
               points: dict | None = None, asset_base: str | None = DEFAULT_BASE_URL,
               cache_key: str | None = None) -> folium.FeatureGroup:
    """The corridors and places the filters keep, as one group (places first, corridors on top:
    the lines stay clickable where a circle sits on them). Places are clustered above
    ``CLUSTER_THRESHOLD``. ``lines``/``points`` (from ``corridor_features``/``place_features``) skip
    recomputing them (the app caches them). ``cache_key`` names this data (same key, same data): the
    browser then builds the layers once and reuses them.

    The app sends this group through ``st_folium(feature_group_to_add=...)``: a filter then
    changes the group, never the base map, so the map is not reloaded and keeps its view.
    """
    filters = filters or MapFilters()
    if lines is None:
        lines = corridor_features(atlas, visible_corridor_ids(atlas, filters))
    if points is None:
        points = place_features(visible_places(atlas, filters))
    group = folium.FeatureGroup(name="Atlas", control=False)
    if points["features"]:
        clustered = len(points["features"]) > CLUSTER_THRESHOLD
        PlaceLayer(points, cluster_options={"disableClusteringAtZoom": 8} if clustered else None,
                   cache_key=cache_key and f"{cache_key}:places").add_to(group)
    if lines["features"]:
        CorridorLayer(lines, _corridor_colors_of(atlas), cache_key=cache_key and f"{cache_key}:corridors").add_to(group)
    if asset_base is not None:
        localise_map(group, asset_base)
    return group


def base_map(
    atlas: Atlas,
    *,
    basemap: Basemap = "naturalearth",
    filters: MapFilters | None = None,
    asset_base: str | None = DEFAULT_BASE_URL,
    legend_open: bool = True,
    basemap_urls: Mapping[str, str] | None = None,
    lines: dict | None = None,
    points: dict | None = None,
) -> folium.Map:
    """The map without its data: basemap, initial view (framing the corridors ``filters`` keep, 5 %
    of outlying vertices trimmed on each side), legend. With no filters it depends on the atlas
    alone, so the app sends the same map on every run (streamlit-folium then keeps it mounted).
    ``lines``/``points``: the features under ``filters``, when the caller has them already."""
    filters = filters or MapFilters()
    if lines is None:
        lines = corridor_features(atlas, visible_corridor_ids(atlas, filters))
    if points is None:
        points = place_features(visible_places(atlas, filters))
    shown = list(dict.fromkeys(f["properties"]["route_id"] for f in lines["features"]))
    lon_min, lat_min, lon_max, lat_max = BASEMAP_BOUNDS
    m = folium.Map(location=[41.0, 58.0], zoom_start=4, tiles=None, control_scale=True,
                   min_zoom=MIN_ZOOM, max_zoom=12, prefer_canvas=False, zoom_snap=0.25, zoom_delta=0.5,
                   max_bounds=True, min_lat=lat_min, max_lat=lat_max, min_lon=lon_min, max_lon=lon_max,
                   max_bounds_viscosity=1.0)
    # folium hands min/max zoom to its tile layer only; with no tiles the map itself needs them
    m.options.update(min_zoom=MIN_ZOOM, max_zoom=12)
    _add_basemap(m, basemap, basemap_urls)
    bounds = _bounds(lines["features"], trim=0.05) or _bounds(points["features"])
    if bounds:
        m.fit_bounds(bounds, padding=(10, 10))
    if len(atlas.places) > CLUSTER_THRESHOLD:
        ClusterAssets().add_to(m)
    colors = _corridor_colors_of(atlas)
    names = {str(r.id): str(r.name) for r in atlas.corridors.itertuples()}
    modes = {f["properties"]["mode"] for f in lines["features"] if f["properties"]["mode"]}
    Legend({cid: (names[cid], colors[cid]) for cid in shown}, modes,
           {f["properties"]["kind"] for f in points["features"]}, open=legend_open).add_to(m)
    if asset_base is not None:
        localise_map(m, asset_base)
    return m


def make_map(
    atlas: Atlas,
    *,
    selection: Selection | None = None,
    basemap: Basemap = "naturalearth",
    filters: MapFilters | None = None,
    asset_base: str | None = DEFAULT_BASE_URL,
    legend_open: bool = True,
    basemap_urls: Mapping[str, str] | None = None,
) -> folium.Map:
    """The whole atlas map in one (the standalone HTML file, the CLI): ``base_map`` plus
    ``data_layer`` plus the selection. ``asset_base=None`` keeps folium's CDN links (only for
    debugging). ``basemap_urls`` (from ``write_static_basemap``): the browser fetches the basemap
    instead of the map embedding it."""
    m = base_map(atlas, basemap=basemap, filters=filters, asset_base=None, legend_open=legend_open,
                 basemap_urls=basemap_urls)
    data_layer(atlas, filters, asset_base=None).add_to(m)
    if selection is not None:
        selection_layer(atlas, selection).add_to(m)
    if asset_base is not None:
        localise_map(m, asset_base)
    return m


def legend_entries(atlas: Atlas, filters: MapFilters | None = None) -> list[tuple[str, str, str]]:
    """(corridor id, name, colour) of the corridors on the map, most mentioned first."""
    colors = _corridor_colors_of(atlas)
    names = {str(r.id): str(r.name) for r in atlas.corridors.itertuples()}
    shown = visible_corridor_ids(atlas, filters)
    order = {cid: i for i, cid in enumerate(colors)}
    return [(cid, names[cid], colors[cid]) for cid in sorted(shown, key=order.get)]


def selection_layer(atlas: Atlas, selection: Selection | None, *, lines: dict | None = None) -> folium.FeatureGroup:
    """The highlight of the selected corridor or place, as its own group.

    Passed to ``st_folium(feature_group_to_add=...)`` so the base map does not change. The halo
    features carry the same ids as the originals: a click on the halo selects the same thing.
    ``lines``: ``corridor_features`` of the atlas, when the caller has them (the selected ones are
    picked from them).
    """
    group = folium.FeatureGroup(name="Selection", control=False)
    if selection is None:
        return group
    if selection.kind == "corridor":
        if lines is None:
            lines = corridor_features(atlas, [selection.id])
        else:
            lines = {"type": "FeatureCollection",
                     "features": [f for f in lines["features"] if f["properties"]["route_id"] == selection.id]}
        if lines["features"]:
            folium.GeoJson(
                lines,
                style_function=lambda f: {"color": "#ffd400", "weight": 12, "opacity": 0.8, "lineCap": "round",
                                          "className": f"selected selected-{css_class_id(selection.id)}"},
            ).add_to(group)
            # the line itself again, over its halo, so the corridor keeps its colour and dashes
            CorridorLayer(lines, _corridor_colors_of(atlas)).add_to(group)
    elif selection.kind == "place":
        rows = atlas.places[atlas.places["place_id"].astype(str) == selection.id]
        points = place_features(rows)
        if points["features"]:
            folium.GeoJson(
                points,
                marker=folium.CircleMarker(radius=10),
                style_function=lambda f: {"radius": place_radius(f["properties"]["mentions"]) + 5,
                                          "color": "#ffd400", "weight": 4, "fillOpacity": 0,
                                          "className": f"selected selected-{css_class_id(selection.id)}"},
            ).add_to(group)
    return group


def selection_view(atlas: Atlas, selection: Selection | None, *, width_px: int = 700,
                   height_px: int = 600) -> tuple[list[float], float] | None:
    """Centre ([lat, lon]) and zoom that show the whole selection in a map of about that size.

    For ``st_folium(center=..., zoom=...)``: the live map moves there without a remount.
    """
    if selection is None:
        return None
    if selection.kind == "corridor":
        bounds = _bounds(corridor_features(atlas, [selection.id])["features"])
    else:
        rows = atlas.places[atlas.places["place_id"].astype(str) == selection.id]
        bounds = _bounds(place_features(rows)["features"])
    if bounds is None:
        return None
    (south, west), (north, east) = bounds
    center = [round((south + north) / 2, 5), round((west + east) / 2, 5)]
    # Web Mercator: 256 px span 360 degrees at zoom 0; keep a margin of ~25 % around the shape.
    lon_span = max(east - west, 1e-6) * 1.25
    lat_span = max(north - south, 1e-6) * 1.25 / max(math.cos(math.radians(center[0])), 0.2)
    zoom = min(math.log2(width_px * 360 / (256 * lon_span)), math.log2(height_px * 360 / (256 * lat_span)))
    return center, max(float(MIN_ZOOM), min(8.0, math.floor(zoom * 4) / 4))  # the map snaps to 0.25


def selection_from_feature(feature: Mapping[str, Any] | None) -> Selection | None:
    """The selection a clicked GeoJSON feature stands for (``last_active_drawing``), or None."""
    if not isinstance(feature, Mapping):
        return None
    props = feature.get("properties") or {}
    if not isinstance(props, Mapping):
        return None
    if props.get("place_id"):
        return Selection("place", str(props["place_id"]))
    if props.get("route_id"):
        return Selection("corridor", str(props["route_id"]))
    return None


def segment_from_feature(feature: Mapping[str, Any] | None) -> str | None:
    """The ``segment_id`` of a clicked corridor feature (which leg of the route was clicked)."""
    if not isinstance(feature, Mapping) or not isinstance(feature.get("properties"), Mapping):
        return None
    props = feature["properties"]
    return str(props["segment_id"]) if props.get("route_id") and props.get("segment_id") else None


def map_payload_bytes(m: folium.Map) -> int:
    """Size of the rendered map document (what travels to the browser), in bytes."""
    return len(m.get_root().render().encode("utf-8"))


def save_standalone_html(
    atlas: Atlas,
    path: str | Path,
    *,
    filters: MapFilters | None = None,
    vendor_root: Path = VENDOR_DIR,
) -> Path:
    """One self-contained HTML file (Leaflet inlined) that opens offline with no server."""
    m = make_map(atlas, filters=filters, asset_base=None)
    inline_assets(m, vendor_root)
    return atomic_write_text(path, m.get_root().render())


# ---------------------------------------------------------------- panel and deep-link helpers
# (pure functions used by app.py; kept here so they are tested without a Streamlit session)

# Streamlit's Markdown turns these into links, images, emphasis, headings, LaTeX, emoji or colours
# even in HTML-escaped text; as numeric entities they render as the plain characters.
_MARKDOWN_SPECIAL = re.compile(r"([\[\]()*_#~|!:{}+\-.>=^])")


def _escape_piece(text: str) -> str:
    # escape_html on the text between specials; specials become entities (so '#' in an
    # escape_html entity is never touched twice)
    parts = _MARKDOWN_SPECIAL.split(text)
    return "".join(f"&#{ord(p)};" if i % 2 else escape_html(p) for i, p in enumerate(parts))


def markdown_safe(text: object) -> str:
    """Untrusted text for ``st.markdown(..., unsafe_allow_html=True)``: HTML- and Markdown-inert."""
    return _escape_piece(" ".join(str(text).split()))  # a newline could start a Markdown block


def highlight_excerpt(quote: str, spans: Iterable[tuple[int, int]]) -> str:
    """The sentence with the matched words in ``<mark>``; every piece escaped separately.

    ``spans`` are offsets into ``quote``; overlapping or out-of-range spans are clipped/merged.
    """
    flat = re.sub(r"\s", " ", quote)  # same length: offsets stay valid, no Markdown blocks
    merged: list[list[int]] = []
    for a, b in sorted((max(0, int(a)), min(len(flat), int(b))) for a, b in spans):
        if b <= a:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out: list[str] = []
    pos = 0
    for a, b in merged:
        out.append(_escape_piece(flat[pos:a]))
        out.append(f"<mark>{_escape_piece(flat[a:b])}</mark>")
        pos = b
    out.append(_escape_piece(flat[pos:]))
    return "".join(out)


def selection_options(atlas: Atlas) -> list[tuple[str, Selection]]:
    """(label, selection) for every corridor and place, corridors first, for the picker."""
    out = [(f"Corridor: {r.name}", Selection("corridor", str(r.id))) for r in atlas.corridors.itertuples()]
    places = atlas.places.sort_values(["name", "place_id"])
    out += [(f"Place: {r.name} ({r.kind})", Selection("place", str(r.place_id))) for r in places.itertuples()]
    return out


def parse_deep_link(params: Mapping[str, Any], atlas: Atlas | None = None) -> Selection | None:
    """``?corridor=<id>`` or ``?place=<id>``; unknown ids are ignored when an atlas is given."""
    for kind, column, frame in (("corridor", "id", "corridors"), ("place", "place_id", "places")):
        value = params.get(kind)
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        if not value:
            continue
        value = str(value)
        if atlas is not None and value not in set(map(str, getattr(atlas, frame)[column])):
            continue
        return Selection(kind, value)  # type: ignore[arg-type]
    return None


def deep_link_params(selection: Selection | None) -> dict[str, str]:
    return {} if selection is None else {selection.kind: selection.id}

"""The Streamlit app in-process (AppTest): default run, deep links, the picker, escaped excerpts.

AppTest does not run custom components (st_folium returns its defaults), so clicks are covered by
the browser tests; here the selection arrives through the URL or the session state.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.map import Selection

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
DOC000 = "000_609c254c3a3bbe6f"
DOC004 = "004_4a9e9e5d3e565167"
TIMEOUT = 300  # the first run builds the atlas (gazetteer load); later runs hit the cache


def _markdown(at: AppTest) -> str:
    """The Markdown sources as sent to the browser (entities and all)."""
    return "\n".join(m.value for m in at.markdown)


def _shown(at: AppTest) -> str:
    """What a reader sees of that Markdown: entities decoded (the tags stay)."""
    return html.unescape(_markdown(at))


def _run(at: AppTest) -> AppTest:
    at.run(timeout=TIMEOUT)
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_default_run_has_no_exception_and_offers_every_corridor(seed_atlas):
    at = _run(AppTest.from_file(APP, default_timeout=TIMEOUT))
    text = _shown(at)
    assert f"**{len(seed_atlas.corridors)}** corridors" in text
    picker = at.selectbox(key="picker")
    assert picker.value is None
    assert len(picker.options) == 1 + len(seed_atlas.corridors) + len(seed_atlas.places)
    assert {b.label for b in at.get("download_button")} == {"GeoJSON (all layers)", "GeoPackage", "Mentions CSV",
                                                             "Standalone HTML map"}
    assert "Natural Earth" in "\n".join(c.value for c in at.caption)


def test_deep_link_to_zangezur_shows_a_doc_000_excerpt():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["corridor"] = "zangezur"
    _run(at)
    assert at.session_state["selection"] == Selection("corridor", "zangezur")
    text = _shown(at)
    assert re.search(r"<mark>[^<]*Zangezur[^<]*</mark>", text), text[:2000]
    assert f"doc {DOC000}" in text
    # the whole document is one expander away, as plain text
    assert any(DOC000 in t.value or "Zangezur" in t.value for t in at.text)


def test_deep_link_to_the_middle_corridor_shows_titr_and_doc_004():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["corridor"] = "middle-corridor"
    _run(at)
    text = _shown(at)
    assert "TITR" in text
    assert f"doc {DOC004}" in text


def _also_called(at: AppTest) -> str | None:
    row = re.search(r"<tr><th>Also called</th><td>(.*?)</td></tr>", _shown(at))
    return row.group(1) if row else None


def test_also_called_lists_other_names_only_once(seed_atlas):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["corridor"] = "middle-corridor"
    _run(at)
    card = seed_atlas.card("corridor", "middle-corridor")
    listed = [a.strip() for a in _also_called(at).split(",")]
    assert "TITR" in listed
    assert card["name"].casefold() not in {a.casefold() for a in listed}  # the YAML aliases repeat the name
    assert len({a.casefold() for a in listed}) == len(listed)
    assert "Trans-Caspian International Transport Route (TITR)" not in listed  # both parts are listed


def test_session_selection_of_a_place_shows_its_card(seed_atlas):
    top = seed_atlas.places.sort_values("mention_count", ascending=False).iloc[0]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["selection"] = Selection("place", str(top.place_id))
    _run(at)
    text = _shown(at)
    assert str(top["name"]) in text
    assert f"{int(top.mention_count)} in {int(top.doc_count)} document(s)" in text
    assert "<mark>" in text


def test_picking_in_the_selectbox_selects_and_writes_the_deep_link():
    at = _run(AppTest.from_file(APP, default_timeout=TIMEOUT))
    at.selectbox(key="picker").select(Selection("corridor", "zangezur"))
    _run(at)
    assert at.session_state["selection"] == Selection("corridor", "zangezur")
    assert at.query_params["corridor"] in ("zangezur", ["zangezur"])
    assert f"doc {DOC000}" in _shown(at)


def test_unknown_deep_link_is_ignored():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["corridor"] = "<img src=x onerror=alert(1)>"
    _run(at)
    assert at.session_state["selection"] is None
    assert "onerror" not in _shown(at)


def test_payload_corpus_is_escaped_in_the_panel(tmp_path, monkeypatch):
    text = (' date 2024-05-01 The Zangezur corridor <img src=x onerror=alert(1)> opens, '
            'see [click](javascript:alert(1)) and ${alert(1)} `tick` :red[x] $x^2$.\n\n'
            'Another paragraph about Baku.\n')
    (tmp_path / "payload.txt").write_text(text, "utf-8")
    monkeypatch.setenv("CORRIDOR_ATLAS_CORPUS", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["corridor"] = "zangezur"
    _run(at)
    md = _markdown(at)
    assert "<mark>Zangezur corridor</mark>" in md or re.search(r"<mark>Zangezur", md), md[:3000]
    for raw in ("<img", "](javascript", "${", "`", ":red[", "$x"):
        assert raw not in md, raw
    assert "<img src=x onerror=alert(1)>" in _shown(at)  # shown as text, not dropped


def test_corridor_filter_updates_the_counts(seed_atlas):
    at = _run(AppTest.from_file(APP, default_timeout=TIMEOUT))
    at.sidebar.multiselect[0].set_value(["zangezur", "middle-corridor"])
    _run(at)
    assert "**2** corridors" in _shown(at)


def test_sidebar_corpus_folder_outside_the_root_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("CORRIDOR_ATLAS_CORPUS_ROOT", str(tmp_path / "allowed"))
    (tmp_path / "allowed").mkdir()
    at = _run(AppTest.from_file(APP, default_timeout=TIMEOUT))
    before = at.session_state["corpus"]
    at.sidebar.text_input[0].set_value("/etc")
    _run(at)
    assert at.session_state["corpus"] == before
    assert any("Only folders inside" in e.value for e in at.sidebar.error)


def test_document_filter_applies_to_the_excerpts(seed_atlas):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["corridor"] = "zangezur"
    _run(at)
    assert f"doc {DOC000}" in _shown(at)
    docs = at.sidebar.multiselect[1]
    assert docs.value == []  # empty: every document
    docs.set_value([d for d in seed_atlas.documents if d != DOC000])
    _run(at)
    assert f"**{len(seed_atlas.documents) - 1}** documents" in _shown(at)  # the counts follow
    assert f"doc {DOC000}" not in _shown(at)
    assert any("No excerpt in the documents the filters keep" in i.value for i in at.info)


def test_date_range_keeps_only_dated_documents_inside_it(seed_atlas):
    from datetime import date

    at = _run(AppTest.from_file(APP, default_timeout=TIMEOUT))
    latest = max(d.date for d in seed_atlas.documents.values() if d.date)
    at.sidebar.date_input[0].set_value((date(2024, 1, 1), date.fromisoformat(latest)))  # within min/max
    _run(at)
    inside = [d for d in seed_atlas.documents.values() if d.date and "2024-01-01" <= d.date <= latest]
    assert 0 < len(inside) < len(seed_atlas.documents)
    assert f"**{len(inside)}** documents" in _shown(at)


# --- correction, uploads, timeline (issue 5, second half) ---------------------------------

def _store_path() -> Path:
    import os

    from geo.corrections import ENV_VAR

    return Path(os.environ[ENV_VAR])  # a tmp file (tests/conftest.py), never data/corrections.json


def test_correcting_a_place_is_stored_applied_and_undone(seed_atlas):
    from geo.corrections import load_corrections
    from geo.panel import place_choices

    pid, choices = next((p, c) for p in seed_atlas.places["place_id"]
                        if len(c := place_choices(seed_atlas, p)) > 1)
    alt = choices[1]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["selection"] = Selection("place", pid)
    _run(at)
    assert "Gazetteer entry" in _shown(at) and "Mentions over time" in _shown(at)
    at.selectbox(key=f"pick-{pid}").select(1)
    at.button(key=f"use-entry-{pid}").click()
    _run(at)
    stored = load_corrections(_store_path())
    assert [(c.key, c.target) for c in stored] == [(f"place:{pid}", alt.gazetteer_id)]
    assert at.session_state["selection"] == Selection("place", alt.gazetteer_id)
    assert "corrected by a user" in _shown(at)

    # a second app process (new session, same file) starts with the correction applied
    again = AppTest.from_file(APP, default_timeout=TIMEOUT)
    again.query_params["place"] = alt.gazetteer_id
    _run(again)
    assert again.session_state["selection"] == Selection("place", alt.gazetteer_id)
    assert "corrected by a user" in _shown(again)

    again.button(key="undo-last").click()
    _run(again)
    assert load_corrections(_store_path()) == []


def test_typed_coordinates_make_a_user_point(seed_atlas):
    from geo.corrections import load_corrections

    pid = str(seed_atlas.places.iloc[0]["place_id"])
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["selection"] = Selection("place", pid)
    _run(at)
    at.number_input(key=f"lat-{pid}").set_value(41.25)
    at.number_input(key=f"lon-{pid}").set_value(47.5)
    at.button(key=f"use-point-{pid}").click()
    _run(at)
    assert [(c.key, c.target) for c in load_corrections(_store_path())] == [(f"place:{pid}", "user:41.25000,47.50000")]
    assert at.session_state["selection"] == Selection("place", "user:41.25000,47.50000")
    assert "41.2500, 47.5000" in _shown(at)


def test_corrupt_corrections_file_is_reported_not_overwritten():
    path = _store_path()
    path.write_text("{ not json")
    at = _run(AppTest.from_file(APP, default_timeout=TIMEOUT))
    assert any("cannot be read" in e.value for e in at.sidebar.error)
    assert path.read_text() == "{ not json"
    at.sidebar.button[-1].click()  # keep a backup and start a new file
    _run(at)
    assert [p.read_text() for p in path.parent.glob(path.name + ".corrupt-*")] == ["{ not json"]
    assert path.read_text().startswith("{")


def test_uploaded_documents_join_the_atlas_and_refusals_are_named(seed_atlas):
    text = b"12 March 2025\n\nA new ferry line links Turkmenbashi and Alat across the Caspian Sea.\n"
    at = _run(AppTest.from_file(APP, default_timeout=TIMEOUT))
    at.get("file_uploader")[0].set_value([("ferry.txt", text, "text/plain"),
                                          ("blank.txt", b"   ", "text/plain")])
    _run(at)
    shown = _shown(at)
    assert f"**{len(seed_atlas.documents) + 1}** documents" in shown
    assert any("ferry" in d.id for d in at.session_state["uploads"])
    assert any(t.value.startswith("blank.txt") and "empty" in t.value for t in at.sidebar.text)
    at.selectbox(key="picker").select(Selection("corridor", "middle-corridor"))
    _run(at)
    assert "Mentions over time" in _shown(at)


def test_a_build_directory_opens_without_parsing_again(tmp_path, monkeypatch, seed_atlas):
    from geo.build import BuildDocuments, build

    out = tmp_path / "seed-build"
    build([ROOT / "seeds"], out, workers=1, gpkg=False, corrections=tmp_path / "no-corrections.json")
    texts_read: list[str] = []
    read_text = BuildDocuments.text
    monkeypatch.setattr(BuildDocuments, "text", lambda self, doc_id: texts_read.append(doc_id) or read_text(self, doc_id))
    monkeypatch.setenv("CORRIDOR_ATLAS_CORPUS", str(out))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["corridor"] = "zangezur"
    _run(at)
    text = _shown(at)
    assert f"**{len(seed_atlas.documents)}** documents" in text
    assert re.search(r"<mark>[^<]*Zangezur[^<]*</mark>", text)
    assert f"doc {DOC000}" in text
    # texts stay on disk but the ones the panel shows (the whole documents of its excerpts)
    assert set(texts_read) < set(seed_atlas.documents)

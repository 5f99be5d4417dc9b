"""Property tests (Hypothesis): corpus reading and geoparsing never crash and keep their offsets honest."""

from __future__ import annotations

import functools
import importlib.util
import json
import math
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from geo.build import _stream_documents, text_blocks
from geo.corpus import CorpusError, Document, document_from_bytes, document_from_text, iter_documents

ROOT = Path(__file__).resolve().parent.parent
# Modest budgets keep the suite fast; no example database is written into the repo.
FAST = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=40, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@functools.cache
def _place_names() -> list[str]:
    spec = importlib.util.spec_from_file_location("make_synthetic_corpus", ROOT / "scripts" / "make_synthetic_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.place_names()


@functools.cache
def _parser():
    from geo.geoparse import Geoparser

    return Geoparser()


def check_document(doc: Document) -> None:
    n = len(doc.text)
    prev_end = 0
    for p in doc.paragraphs:
        assert 0 <= p.start < p.end <= n and p.start >= prev_end
        prev_end = p.end
    prev_end = 0
    for s in doc.sentences:
        assert 0 <= s.start < s.end <= n and s.start >= prev_end
        para = doc.paragraphs[s.paragraph]
        assert para.start <= s.start and s.end <= para.end
        assert doc.sentence_at(s.start) == s and doc.sentence_at(s.end - 1) == s
        prev_end = s.end
    assert isinstance(doc.title, str) and doc.title


# Text that looks like news: words, place names, punctuation, abbreviations, odd whitespace and unicode.
_words = st.sampled_from(["the", "port", "of", "St.", "Dr.", "U.S.", "rail", "Mr.", "J.", "e.g.", "km", "2024",
                          "«", "»", "—", "\u200b", "ß", "İ", "ﬁ", "Ä±", "...", "?!", ")", "\"", "'"])
_seps = st.sampled_from([" ", " ", " ", ". ", "! ", "? ", "\n", "\n\n", "\t", "\r\n", " \n \n", ", ", "\u00a0"])


@st.composite
def newsy_text(draw, names: bool = True) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 9))
        if names and kind < 4:
            parts.append(draw(st.sampled_from(_place_names())))
        elif kind < 7:
            parts.append(draw(_words))
        else:
            parts.append(draw(st.text(max_size=12)))
        parts.append(draw(_seps))
    return "".join(parts)


@FAST
@given(st.one_of(st.text(max_size=400), newsy_text(names=False)))
def test_passages_of_any_text_stay_inside_it(text):
    check_document(document_from_text("x", text))


@FAST
@given(st.binary(max_size=600), st.sampled_from(["a.txt", "a.md", "a.html", "a.htm"]))
def test_any_bytes_give_a_document_or_a_named_error(data, name):
    try:
        doc = document_from_bytes(data, name=name, doc_id="x")
    except CorpusError as exc:
        assert exc.path == name and exc.reason
        return
    assert doc.text.strip()
    check_document(doc)


_jsonl_line = st.one_of(
    st.builds(lambda t, i: json.dumps({"id": i, "text": t}).encode(), st.text(max_size=80), st.text(max_size=5)),
    st.builds(lambda t: json.dumps({"text": t, "title": [1], "date": 5}, ensure_ascii=False).encode(), st.text(max_size=80)),
    st.builds(lambda v: json.dumps(v).encode(), st.recursive(st.none() | st.integers() | st.text(max_size=5),
                                                              lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
                                                              max_leaves=8)),
    st.binary(max_size=60).filter(lambda b: b"\n" not in b),
    st.just(b"[" * 5000),
)


@FAST
@given(st.lists(_jsonl_line, max_size=8))
def test_jsonl_lines_each_give_a_document_or_an_error_naming_the_line(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("j") / "c.jsonl"
    path.write_bytes(b"\n".join(lines))
    items = list(iter_documents([path]))
    nonblank = [i for i, raw in enumerate(lines, 1) if raw.decode("utf-8", "replace").strip()]
    assert len(items) <= len(lines)
    for item in items:
        assert isinstance(item, (Document, CorpusError))
        where = item.path
        assert where.startswith(f"{path}:") and int(where.rsplit(":", 1)[1]) in nonblank
        if isinstance(item, Document):
            check_document(item)
            assert all(v is None or isinstance(v, str) for v in (item.title, item.date, item.source))


@FAST
@given(st.binary(max_size=300))
def test_the_build_reader_never_raises_on_a_file(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("f") / "doc.txt"
    path.write_bytes(data)
    warnings: list[str] = []
    items = list(_stream_documents([path], warnings))
    assert len(items) == 1
    item = items[0]
    if isinstance(item, Document):
        check_document(item)
    else:
        assert Path(item.path) == path and item.reason
    assert all(w.startswith(f"{path}: not UTF-8; decoded as ") for w in warnings)


@FAST
@given(st.text(max_size=300), st.integers(1, 60))
def test_text_blocks_cover_the_text_in_bounded_pieces(text, limit):
    blocks = text_blocks(text, limit)
    assert blocks[0][0] == 0 and blocks[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(blocks, blocks[1:]))
    assert all(0 < e - s <= limit for s, e in blocks) or text == ""


@SLOW
@given(newsy_text())
def test_geoparse_offsets_always_name_the_text(text):
    doc = document_from_text("x", text) if text.strip() else None
    found = _parser().parse(text)
    event("places found" if found else "no place found")  # --hypothesis-show-statistics shows the mix
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.name
        assert -90 <= m.lat <= 90 and -180 <= m.lon <= 180
        assert math.isfinite(m.score)
        if doc is not None:
            s = doc.sentence_at(m.start)
            assert s is not None and s.start <= m.start < s.end <= len(text)


@SLOW
@given(newsy_text())
def test_unresolved_spans_lie_in_the_text_and_leave_parse_alone(text):
    parser = _parser()
    before = parser.parse(text)
    spans = parser.unresolved(text)
    assert spans == sorted(set(spans))
    for s, e in spans:
        assert 0 <= s < e <= len(text) and text[s:s + 1].isupper()
        assert not any(m.start < e and s < m.end for m in before)
    assert parser.parse(text) == before


@FAST
@given(st.text(alphabet=st.sampled_from("aZé'’_1 -sSİß\u0301"), max_size=60))
def test_token_pattern_matches_its_plain_form(text):
    import re

    from geo.geoparse import _TOKEN_RE

    plain = re.compile(r"[^\W\d_](?:[^\W_]|['’](?=[^\W\d_]))*")  # the readable definition of a token
    assert [m.span() for m in _TOKEN_RE.finditer(text)] == [m.span() for m in plain.finditer(text)]

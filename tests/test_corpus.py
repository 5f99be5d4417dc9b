from pathlib import Path

import pytest

from geo.corpus import CorpusError, document_from_text, read_corpus, read_document


def test_seeds_read_with_metadata(seed_documents):
    assert len(seed_documents) == 5
    d = seed_documents
    assert d["001_784c0fdda6b7c239"].date == "2024-08-10"
    assert d["001_784c0fdda6b7c239"].source == "nCa"
    assert d["002_d7195c33f179143e"].date == "2020-05-08"
    assert d["003_716c125f4c0ad8de"].source == "News.Az"
    assert d["000_609c254c3a3bbe6f"].source == "Report"
    assert d["004_4a9e9e5d3e565167"].date == "2024-03-12"


def test_passage_offsets_index_the_original_text(seed_documents):
    for doc in seed_documents.values():
        assert doc.sentences, doc.id
        prev_end = 0
        for s in doc.sentences:
            assert 0 <= s.start < s.end <= len(doc.text)
            assert s.start >= prev_end
            assert doc.text[s.start:s.end] == doc.text[s.start:s.end].strip()
            p = doc.paragraphs[s.paragraph]
            assert p.start <= s.start and s.end <= p.end
            prev_end = s.end


def test_sentence_split_keeps_abbreviations():
    doc = document_from_text("x", "He went to St. Petersburg by train. Then he left for Baku.")
    quotes = [doc.text[s.start:s.end] for s in doc.sentences]
    assert quotes == ["He went to St. Petersburg by train.", "Then he left for Baku."]
    assert doc.sentence_at(doc.text.index("Petersburg")).start == 0


def test_bad_files_name_the_file(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    cp1251 = tmp_path / "ru.txt"
    cp1251.write_bytes("Москва и Баку".encode("cp1251"))
    (tmp_path / "ok.txt").write_text("Baku is on the Caspian Sea.")
    docs, errors = read_corpus(tmp_path)
    assert [d.id for d in docs] == ["ok"]
    by_file = {Path(e.path).name: e.reason for e in errors}
    assert "empty" in by_file["empty.txt"]
    assert "binary" in by_file["blob.txt"]
    assert "UTF-8" in by_file["ru.txt"]
    with pytest.raises(CorpusError, match="empty.txt"):
        read_document(empty)


def test_html_drops_scripts(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>T &amp; U</title><script>alert(1)</script></head>"
                    "<body><p>Ships leave Aktau.</p><p>Trains reach Baku.</p></body></html>")
    doc = read_document(page)
    assert doc.title == "T & U"
    assert "alert" not in doc.text
    assert doc.text == "Ships leave Aktau.\n\nTrains reach Baku."

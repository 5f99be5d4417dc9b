"""Stage 1: read documents and split them into passages.

A document keeps its text exactly as read (after decoding and, for HTML, tag
stripping), so every offset elsewhere in the pipeline is an index into
``Document.text``. Paragraphs and sentences are spans into that text.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator

__all__ = [
    "CorpusError",
    "EncodingError",
    "Document",
    "Span",
    "Sentence",
    "SUPPORTED_SUFFIXES",
    "MAX_DOCUMENT_BYTES",
    "document_from_text",
    "read_document",
    "iter_documents",
    "read_corpus",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm")
# One news article is a few kB; 50 MB of text is a dump or a mistake.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class CorpusError(ValueError):
    """A document that cannot be read. ``path`` names the file, ``reason`` the problem."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class EncodingError(CorpusError):
    """Text that is not UTF-8. A caller may retry with a detected legacy encoding (see geo.build)."""


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int  # index into Document.paragraphs


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    title: str
    date: str | None = None  # ISO 8601 (YYYY-MM-DD) where the text states it
    source: str | None = None  # outlet or agency where the text states it
    path: str | None = None
    paragraphs: tuple[Span, ...] = field(default=(), repr=False)
    sentences: tuple[Sentence, ...] = field(default=(), repr=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence that contains ``offset`` (binary search)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid - 1
            elif offset >= s.end:
                lo = mid + 1
            else:
                return s
        return None

    def paragraph_at(self, offset: int) -> Span | None:
        s = self.sentence_at(offset)
        return self.paragraphs[s.paragraph] if s is not None else None


# --- splitting ---------------------------------------------------------------

_PARA_BREAK = re.compile(r"\n[ \t\r\f\v]*\n+")
# Abbreviations after which a full stop does not end a sentence.
_ABBREV = {
    "st", "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "gov",
    "sen", "rep", "jr", "sr", "inc", "ltd", "co", "corp", "no", "vs", "etc", "e.g",
    "i.e", "u.s", "u.k", "u.n", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "mt", "ft", "ave", "blvd", "rd", "approx",
}
_SENT_END = re.compile(r"[.!?]+[\"'”’»)\]]*(?=\s+|$)")


def _stripped(text: str, start: int, end: int) -> Span | None:
    """The span without its leading and trailing white space, or None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def _paragraph_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    for m in _PARA_BREAK.finditer(text):
        spans.append(Span(pos, m.start()))
        pos = m.end()
    spans.append(Span(pos, len(text)))
    return [sp for sp in (_stripped(text, raw.start, raw.end) for raw in spans) if sp]


def _sentence_spans(text: str, para: Span) -> list[Span]:
    """Split one paragraph into sentences; a line break inside a paragraph also ends one."""
    out: list[Span] = []
    start = para.start
    chunk = text[para.start : para.end]
    for m in re.finditer(r"\n|" + _SENT_END.pattern, chunk):
        end = para.start + m.end()
        if m.group() != "\n":
            # Do not split after an abbreviation or a single initial ("J. Smith").
            word = re.search(r"([\w.]+)[.!?]+[\"'”’»)\]]*$", text[start:end])
            if word:
                w = word.group(1).lower().rstrip(".")
                if w in _ABBREV or (len(w) == 1 and w.isalpha()):
                    continue
            # The next sentence should start with something that can start one.
            nxt = re.match(r"\s*(\S)", text[end : para.end])
            if nxt and nxt.group(1).islower():
                continue
        if sp := _stripped(text, start, end):
            out.append(sp)
        start = end
    if sp := _stripped(text, start, para.end):
        out.append(sp)
    return out


def split_passages(text: str) -> tuple[tuple[Span, ...], tuple[Sentence, ...]]:
    paragraphs = _paragraph_spans(text)
    sentences: list[Sentence] = []
    for i, p in enumerate(paragraphs):
        sentences.extend(Sentence(s.start, s.end, i) for s in _sentence_spans(text, p))
    return tuple(paragraphs), tuple(sentences)


# --- metadata ----------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}
_ISO_DATE = re.compile(r"\bdate\s+(\d{4})-(\d{2})-(\d{2})\b", re.I)
_SIGNOFF = re.compile(
    r"///\s*([\w.\- ]{1,40}?)\s*,\s*(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})\s*$")
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})\s+([A-Z][a-z]+)\s+(\d{4})\b")
_MONTH_DAY_YEAR = re.compile(r"\b([A-Z][a-z]+)\s+(\d{1,2}),\s+(\d{4})\b")
_INFORMS = re.compile(r"\b([A-Z][\w.\-]*(?:\s[A-Z][\w.\-]*){0,2})\s+informs\b")
_REPORTED_BY = re.compile(r"\breported\s+(?:by\s+)?the\s+([A-Z][\w\-]*(?:\s[\w\-]+){0,2}?\s+(?:press service|news agency|agency))")
_BYLINE = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s+By\s+([^\n]+?)\s*$", re.M)


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _month(name: str) -> int | None:
    name = name.lower()
    if name in _MONTHS:
        return _MONTHS[name]
    for full, i in _MONTHS.items():
        if len(name) >= 3 and full.startswith(name):
            return i
    return None


def extract_metadata(text: str) -> tuple[str | None, str | None]:
    """(date, source) where the text states them; None where it does not."""
    when: str | None = None
    source: str | None = None
    head, tail = text[:400], text[-300:]
    m = _ISO_DATE.search(head)
    if m:
        when = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _SIGNOFF.search(tail.rstrip())
    if m:
        source = m.group(1).strip()
        mon = _month(m.group(3))
        if when is None and mon:
            when = _iso(int(m.group(4)), mon, int(m.group(2)))
    if when is None:
        for rx, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
            m = rx.search(head) or rx.search(tail)
            if m:
                if order == "dmy":
                    d, mon, y = int(m.group(1)), _month(m.group(2)), int(m.group(3))
                else:
                    mon, d, y = _month(m.group(1)), int(m.group(2)), int(m.group(3))
                if mon:
                    when = _iso(y, mon, d)
                    if when:
                        break
    if source is None:
        last = text.rstrip().rsplit("\n", 1)[-1].strip()
        # A short last line with no sentence punctuation is an outlet sign-off ("News.Az").
        if 0 < len(last) <= 40 and not re.search(r"[,;:!?]|\.\s", last) and not last.endswith("."):
            source = last
    if source is None:
        m = _INFORMS.search(text[:1500])
        if m:
            source = m.group(1)
    if source is None:
        m = _REPORTED_BY.search(text[:1500])
        if m:
            source = m.group(1)
    return when, source


def _title(text: str, sentences: tuple[Sentence, ...], limit: int = 110) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#"):
            return line.lstrip("#").strip()[:limit] or "Untitled"
        if line:
            break
    for s in sentences:
        t = text[s.start : s.end]
        t = re.sub(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s+(By\s+[^\n]*)?", "", t).strip()
        t = re.sub(r"\s+", " ", t).strip(" \"“”")
        if len(t) >= 20:
            return t if len(t) <= limit else t[: limit - 1].rsplit(" ", 1)[0] + "…"
    return "Untitled"


def document_from_text(
    doc_id: str,
    text: str,
    *,
    title: str | None = None,
    date: str | None = None,
    source: str | None = None,
    path: str | None = None,
) -> Document:
    """Build a Document from text already in memory (upload, JSONL line, test)."""
    paragraphs, sentences = split_passages(text)
    found_date, found_source = extract_metadata(text)
    return Document(
        id=doc_id,
        text=text,
        title=title or _title(text, sentences),
        date=date or found_date,
        source=source or found_source,
        path=path,
        paragraphs=paragraphs,
        sentences=sentences,
    )


# --- reading files -----------------------------------------------------------


class _HTMLText(HTMLParser):
    """Visible text of an HTML page: scripts, styles and markup dropped, blocks become paragraphs."""

    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
              "article", "header", "footer", "blockquote", "pre", "ul", "ol", "table"}
    _SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: str | None = None
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title = (self.title or "") + data
        elif not self._skip:
            self.parts.append(data)

    def text(self) -> str:
        raw = "".join(self.parts)
        raw = re.sub(r"[ \t\r\f\v]+", " ", raw)
        raw = re.sub(r" *\n *", "\n", raw)
        return re.sub(r"\n{3,}", "\n\n", raw).strip()


def html_to_text(markup: str) -> tuple[str, str | None]:
    p = _HTMLText()
    p.feed(markup)
    p.close()
    title = html.unescape(p.title).strip() if p.title else None
    return p.text(), title or None


def decode_bytes(data: bytes, path: str | Path) -> str:
    """Decode UTF-8 (with or without BOM); refuse binary data and other encodings by name."""
    if b"\x00" in data[:8192]:
        raise CorpusError(path, "binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            path,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save it as UTF-8",
        ) from None


def read_document(path: str | Path, *, doc_id: str | None = None) -> Document:
    """Read one ``.txt``/``.md``/``.html`` file. Raises CorpusError naming the file."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise CorpusError(p, f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        size = p.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise CorpusError(p, f"file is {size / 1e6:.1f} MB, over the {MAX_DOCUMENT_BYTES / 1e6:.0f} MB limit for one document")
        data = p.read_bytes()
    except OSError as exc:
        raise CorpusError(p, f"cannot read: {exc.strerror or exc}") from None
    return document_from_bytes(data, name=p.name, doc_id=doc_id or p.stem, path=str(p))


def document_from_bytes(data: bytes, *, name: str, doc_id: str, path: str | None = None) -> Document:
    """A Document from raw bytes of a named file (used for files on disk and uploads)."""
    where = path or name
    if len(data) > MAX_DOCUMENT_BYTES:
        raise CorpusError(where, f"file is {len(data) / 1e6:.1f} MB, over the {MAX_DOCUMENT_BYTES / 1e6:.0f} MB limit for one document")
    text = decode_bytes(data, where)
    title = None
    if name.lower().endswith((".html", ".htm")):
        text, title = html_to_text(text)
    if not text.strip():
        raise CorpusError(where, "empty document (no text)")
    return document_from_text(doc_id, text, title=title, path=path)


def _iter_jsonl(path: Path) -> Iterator[Document | CorpusError]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield CorpusError(path, f"cannot read: {exc.strerror or exc}")
        return
    with fh:
        # Binary lines, decoded one by one: a bad byte costs one record, not the rest of the file.
        lineno = 0
        while raw := fh.readline(MAX_DOCUMENT_BYTES + 1):
            lineno += 1
            where = f"{path}:{lineno}"
            if len(raw) > MAX_DOCUMENT_BYTES and not raw.endswith(b"\n"):
                size = len(raw)
                while more := fh.readline(1 << 20):  # skip the rest in bounded pieces
                    size += len(more)
                    if more.endswith(b"\n"):
                        break
                yield CorpusError(where, f"line is {size / 1e6:.1f} MB, over the {MAX_DOCUMENT_BYTES / 1e6:.0f} MB "
                                         "limit for one document")
                continue
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield EncodingError(where, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start})")
                continue
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield CorpusError(where, f"invalid JSON ({exc.msg})")
                continue
            except RecursionError:
                yield CorpusError(where, "invalid JSON (nested too deeply)")
                continue
            if not isinstance(rec, dict) or "text" not in rec or not isinstance(rec.get("text"), str):
                yield CorpusError(where, "each line needs a string field 'text'")
                continue
            if not rec["text"].strip():
                yield CorpusError(where, "empty document (no text)")
                continue
            doc_id = str(rec.get("id", f"{path.stem}-{lineno}"))
            # Optional fields are used only when they are strings (a JSON line is untrusted input).
            meta = {k: rec.get(k) if isinstance(rec.get(k), str) else None for k in ("title", "date", "source")}
            yield document_from_text(doc_id, rec["text"], path=where, **meta)


def _expand(inputs: Iterable[str | Path]) -> Iterator[Path | CorpusError]:
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
            for f in files:
                if f.suffix.lower() in SUPPORTED_SUFFIXES or f.suffix.lower() == ".jsonl":
                    yield f
        elif p.is_file():
            yield p
        else:
            yield CorpusError(p, "no such file or folder")


def iter_documents(inputs: Iterable[str | Path]) -> Iterator[Document | CorpusError]:
    """Stream documents from files, folders and ``.jsonl`` files.

    Unreadable inputs are yielded as CorpusError values rather than raised, so a
    caller can report them and go on with the rest of the corpus.
    """
    for p in _expand(inputs):
        if isinstance(p, CorpusError):
            yield p
        elif p.suffix.lower() == ".jsonl":
            yield from _iter_jsonl(p)
        else:
            try:
                yield read_document(p)
            except CorpusError as exc:
                yield exc


def read_corpus(inputs: Iterable[str | Path] | str | Path) -> tuple[list[Document], list[CorpusError]]:
    """All readable documents (ids made unique) and the errors for the rest."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    docs: list[Document] = []
    errors: list[CorpusError] = []
    seen: set[str] = set()
    for item in iter_documents(inputs):
        if isinstance(item, CorpusError):
            errors.append(item)
            continue
        if item.id in seen:
            errors.append(CorpusError(item.path or item.id, f"duplicate document id {item.id!r}; later copy skipped"))
            continue
        seen.add(item.id)
        docs.append(item)
    return docs, errors

"""Pure helpers behind the app's side panel: uploads, correction choices, timeline counts.

Kept out of app.py so they are tested without a Streamlit session.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from geo.corpus import MAX_DOCUMENT_BYTES, CorpusError, Document, document_from_bytes, document_from_text
from geo.corrections import Correction, place_key
from geo.safe import atomic_write_bytes

__all__ = ["UPLOAD_SUFFIXES", "PlaceChoice", "document_from_upload", "documents_from_uploads", "place_choices",
           "corrections_for_place", "timeline_counts", "save_upload", "safe_filename", "AtlasLayers",
           "filtered_layers", "other_names", "place_aliases"]

UPLOAD_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")


def _pdf_text(data: bytes, name: str) -> str:
    """Text of a PDF's pages (pypdf, the ``pdf`` extra); a PDF without a text layer is refused."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        raise CorpusError(name, "PDF support needs the pdf extra (pip install 'corridor-atlas[pdf]')") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise CorpusError(name, "encrypted PDF")
        text = "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise CorpusError(name, f"not a readable PDF ({exc})") from None
    if not text.strip():
        raise CorpusError(name, "PDF has no text layer (scanned pages?)")
    return text


def document_from_upload(data: bytes, name: str, *, taken_ids: Iterable[str] = ()) -> Document:
    """A Document from one uploaded file; raises CorpusError (naming the file) for anything refused:
    wrong type, empty, too big, binary, not decodable, unreadable PDF."""
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise CorpusError(name, f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(UPLOAD_SUFFIXES)}")
    if not data:
        raise CorpusError(name, "empty file")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise CorpusError(name, f"file is {len(data) / 1e6:.1f} MB, over the {MAX_DOCUMENT_BYTES / 1e6:.0f} MB "
                                "limit for one document")
    doc_id = safe_filename(Path(name).stem) or "upload"
    taken = set(taken_ids)
    base, n = doc_id, 1
    while doc_id in taken:  # never shadow a corpus document
        n += 1
        doc_id = f"{base}-upload{n if n > 2 else ''}"
    if suffix == ".pdf":
        return document_from_text(doc_id, _pdf_text(data, name), path=name)
    return document_from_bytes(data, name=name, doc_id=doc_id, path=name)


def documents_from_uploads(files: Iterable[tuple[str, bytes]], *, taken_ids: Iterable[str] = ()
                           ) -> tuple[list[Document], list[CorpusError]]:
    """Every (name, bytes) read, the refused ones as errors; ids unique among themselves and ``taken_ids``."""
    taken = set(taken_ids)
    docs: list[Document] = []
    errors: list[CorpusError] = []
    for name, data in files:
        try:
            doc = document_from_upload(data, name, taken_ids=taken)
        except CorpusError as exc:
            errors.append(exc)
            continue
        taken.add(doc.id)
        docs.append(doc)
    return docs, errors


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str) -> str:
    """A file name without folders or odd characters (an uploaded name is untrusted)."""
    return _UNSAFE.sub("_", Path(name).name).strip("._")[:120]


def save_upload(folder: str | Path, name: str, data: bytes, doc: Document) -> Path:
    """Write an uploaded document into the corpus folder (PDFs as their extracted text, ``.txt``).

    Raises FileExistsError rather than replace a file already there.
    """
    folder = Path(folder)
    stem = safe_filename(Path(name).stem) or doc.id
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        suffix, data = ".txt", doc.text.encode("utf-8")
    target = folder / f"{stem}{suffix}"
    if target.exists():
        raise FileExistsError(f"{target} already exists; not replaced")
    return atomic_write_bytes(target, data)


_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})


def _name_key(name: str) -> str:
    """Spelling-blind key: case, spacing and the kind of dash ("North–South" is "North-South")."""
    return " ".join(str(name).translate(_DASHES).split()).casefold()


# "Trans-Caspian International Transport Route (TITR)": a name with its short form in brackets
_NAME_AND_SHORT = re.compile(r"^(?P<long>.+?)\s*\((?P<short>[^()]+)\)$")


def other_names(name: str, aliases: Iterable[str]) -> list[str]:
    """The aliases a card lists under "Also called": without the name itself and without repeats,
    compared case-insensitively (and ignoring spacing and the kind of dash); the first spelling of
    each is kept. A name followed by its short form in brackets is a repeat when the card already
    shows both parts (aliases keep such forms for matching, a reader needs them once)."""
    aliases = list(aliases)
    known = {_name_key(name), *(_name_key(a) for a in aliases)}
    seen = {_name_key(name)}
    out: list[str] = []
    for alias in aliases:
        key = _name_key(alias)
        both = _NAME_AND_SHORT.match(key)
        if both and _name_key(both["long"]) in known and _name_key(both["short"]) in known:
            continue
        if key and key not in seen:
            seen.add(key)
            out.append(" ".join(str(alias).split()))
    return out


def place_aliases(atlas: Any, place_id: str) -> list[str]:
    """How the documents name a place (its mentions' surface forms, most frequent first), other than
    its gazetteer name."""
    names = atlas.mentions.loc[atlas.mentions["place_id"] == place_id, "name"]
    ranked = names.value_counts(sort=True)
    ordered = sorted(ranked.index, key=lambda n: (-ranked[n], n))
    return other_names(str(atlas.card("place", place_id)["name"]), ordered)


@dataclass(frozen=True)
class PlaceChoice:
    """One gazetteer entry a place's mentions could be: the chosen one or an alternative."""

    gazetteer_id: str
    name: str
    lat: float
    lon: float
    kind: str
    country: str | None
    score: float
    chosen: bool

    def label(self) -> str:
        where = f", {self.country}" if self.country else ""
        mark = "chosen · " if self.chosen else ""
        score = f"score {self.score:.2f}" if self.score == self.score else "same name, unscored"
        return f"{self.name} ({self.kind}{where}; {self.lat:.3f}, {self.lon:.3f}) — {mark}{score}"


# A build keeps no per-mention alternatives; its cards offer this many same-name gazetteer entries.
MAX_NAME_CHOICES = 12


def place_choices(atlas: Any, place_id: str, *, gazetteer: Any = None) -> list[PlaceChoice]:
    """The place's own entry first, then the geoparser's alternatives over all its mentions (best score each).

    An atlas without alternatives (one loaded from a build) offers instead the gazetteer's other entries
    for the names its mentions use, most populous first and unscored (score NaN), so a place read from
    a build can still be corrected to another entry.
    """
    card = atlas.card("place", place_id)
    out = [PlaceChoice(place_id, str(card["name"]), card["lat"], card["lon"], str(card["kind"]),
                       card.get("country") if isinstance(card.get("country"), str) else None,
                       float(card["score"]), True)]
    best: dict[str, Any] = {}
    keys = atlas.mentions.loc[atlas.mentions["place_id"] == place_id, "mention_id"]
    for key in keys:
        for c in atlas.alternatives.get(key, ()):
            if c.gazetteer_id != place_id and (c.gazetteer_id not in best or c.score > best[c.gazetteer_id].score):
                best[c.gazetteer_id] = c
    for c in sorted(best.values(), key=lambda c: -c.score):
        out.append(PlaceChoice(c.gazetteer_id, c.name, c.lat, c.lon, c.kind, c.country, float(c.score), False))
    if not atlas.alternatives:
        out += _same_name_entries(atlas, place_id, gazetteer)
    return out


def _same_name_entries(atlas: Any, place_id: str, gazetteer: Any) -> list[PlaceChoice]:
    if gazetteer is None:
        from geo.gazetteer import default_gazetteer

        gazetteer = default_gazetteer()
    names = set(atlas.mentions.loc[atlas.mentions["place_id"] == place_id, "name"])
    entries = {e.id: e for n in sorted(names) for e in gazetteer.lookup(n) if e.id != place_id}
    ranked = sorted(entries.values(), key=lambda e: (-(e.population or 0), e.id))[:MAX_NAME_CHOICES]
    return [PlaceChoice(e.id, e.name, e.lat, e.lon, e.kind, e.country, float("nan"), False) for e in ranked]


def corrections_for_place(atlas: Any, place_id: str, items: Iterable[Correction]) -> list[Correction]:
    """Stored corrections that touch this place: made on it, or that moved mentions onto it."""
    mention_ids = set(atlas.mentions.loc[atlas.mentions["place_id"] == place_id, "mention_id"])
    return [c for c in items if c.key == place_key(place_id) or c.key in mention_ids or
            (c.target is not None and _same_target(c.target, place_id))]


def _same_target(target: str, place_id: str) -> bool:
    if target == place_id:
        return True
    if target.startswith("user:") and place_id.startswith("user:"):
        try:
            a = [float(x) for x in target[5:].split(",")]
            b = [float(x) for x in place_id[5:].split(",")]
        except ValueError:
            return False
        return all(abs(x - y) < 1e-5 for x, y in zip(a, b))
    return False


def timeline_counts(atlas: Any, kind: str, target_id: str, *, allowed: set[str] | None = None
                    ) -> tuple[pd.DataFrame, int]:
    """Mentions per month of document date for a corridor or place, and how many are in undated documents.

    Returns (frame with columns ``month`` (YYYY-MM) and ``mentions``, sorted; undated count).
    """
    if kind == "place":
        rows = atlas.mentions.loc[atlas.mentions["place_id"] == target_id, ["doc_id", "date"]]
    else:
        ex = atlas.excerpts
        rows = ex.loc[(ex["target_type"] == kind) & (ex["target_id"] == target_id), ["doc_id", "date"]]
    if allowed is not None:
        rows = rows[rows["doc_id"].isin(allowed)]
    dated = rows["date"].dropna()
    dated = dated[dated.astype(str).str.len() >= 7]
    undated = len(rows) - len(dated)
    months = dated.astype(str).str[:7]
    frame = months.value_counts().sort_index().rename_axis("month").reset_index(name="mentions")
    return frame, int(undated)


@dataclass(frozen=True)
class AtlasLayers:
    """The four exportable layers of an atlas (what ``geo.export`` reads), e.g. after the filters."""

    corridors: Any
    segments: Any
    places: Any
    mentions: Any


def filtered_layers(atlas: Any, filters: Any) -> AtlasLayers:
    """What the map shows under ``filters`` (a ``geo.map.MapFilters``): the chosen corridors and their
    segments, the kept places, and the mentions of those places in the kept documents."""
    from geo.map import allowed_documents, visible_corridor_ids, visible_places

    shown = set(visible_corridor_ids(atlas, filters))
    corridors = atlas.corridors[atlas.corridors["id"].isin(shown)]
    segments = atlas.segments[atlas.segments["corridor_id"].isin(shown)]
    places = visible_places(atlas, filters)
    mentions = atlas.mentions[atlas.mentions["place_id"].isin(set(places["place_id"]))]
    allowed = allowed_documents(atlas, filters)
    if allowed is not None:
        mentions = mentions[mentions["doc_id"].isin(allowed)]
    return AtlasLayers(corridors, segments, places, mentions)

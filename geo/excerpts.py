"""Stage 5: which passages talk about which corridor, segment or place.

Corridor names are matched with one Aho-Corasick automaton over a
length-preserving normalisation of the text (lower case, every dash a hyphen,
every space a blank), so offsets found in the normalised text are offsets into
``Document.text``. Aho-Corasick scans each document once whatever the number of
aliases (hundreds of corridors x aliases would make a regex alternation slow
and its backtracking order-dependent). Descriptions of systems that have no
proper name ("fiber-optic communications across the Caspian Sea bed") are
regular expressions (``data/corridor_patterns.yaml``, kept
outside ``data/corridors/`` whose every YAML file is a corridor definition;
a ``patterns`` attribute on a definition is read too), since they need optional words and gaps.

This module depends on the corpus, the corridor definitions and place
mentions only through their public attributes; it imports no later stage and
no geopandas.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import ahocorasick

from geo.corpus import Document
from geo.paths import DATA_DIR

# Descriptions of systems the texts do not name: {corridor_id: [regex, ...]}.
PATTERNS_FILE = DATA_DIR / "corridor_patterns.yaml"

__all__ = [
    "CorridorMention",
    "Excerpt",
    "CapacityFact",
    "DraftRoute",
    "ExcerptSet",
    "CorridorMatcher",
    "corridor_mentions",
    "capacity_facts",
    "draft_routes",
    "segment_links",
    "build_excerpts",
    "ExcerptBuilder",
    "load_patterns",
    "segment_id",
]


# --- records -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CorridorMention:
    corridor_id: str
    start: int
    end: int
    text: str  # == doc.text[start:end]
    via: str  # "alias" | "pattern" | "coordination"


@dataclass(frozen=True, slots=True)
class Excerpt:
    target_type: str  # "corridor" | "segment" | "place"
    target_id: str
    doc_id: str
    doc_title: str
    date: str | None
    source: str | None
    start: int  # the matched words
    end: int
    sentence_start: int
    sentence_end: int
    quote: str  # the whole sentence, exactly as in the document

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class CapacityFact:
    corridor_id: str
    value: float  # the stated (target) quantity, in ``unit``
    unit: str  # "t", "TEU", ...
    from_value: float | None
    to_value: float | None
    doc_id: str
    start: int  # the quantity phrase
    end: int
    quote: str  # the sentence

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class RoutePoint:
    """One place of a route read from text (a subset of PlaceMention)."""

    name: str
    start: int
    end: int
    lat: float
    lon: float
    kind: str | None
    country: str | None
    gazetteer_id: str | None


@dataclass(frozen=True, slots=True)
class DraftRoute:
    id: str
    name: str
    waypoints: tuple[RoutePoint, ...]
    doc_id: str
    start: int
    end: int
    quote: str
    derived_from_text: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any], **overrides: Any) -> DraftRoute:
        """``to_dict``'s inverse; ``overrides`` replace fields (a stored draft gets its document's id)."""
        return cls(**{**d, **overrides, "waypoints": tuple(RoutePoint(**w) for w in d["waypoints"])})


@dataclass
class ExcerptSet:
    """Everything this stage derives from a corpus."""

    excerpts: list[Excerpt] = field(default_factory=list)
    capacities: list[CapacityFact] = field(default_factory=list)
    drafts: list[DraftRoute] = field(default_factory=list)
    corridor_mentions: dict[str, list[CorridorMention]] = field(default_factory=dict)


# --- normalisation -----------------------------------------------------------

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_APOSTROPHES = "\u2019\u2018\u02bc`\u00b4"


def _fold_char(c: str) -> str:
    if c in _DASHES:
        return "-"
    if c in _APOSTROPHES:
        return "'"
    if c.isspace():
        return " "
    low = c.lower()
    if len(low) != 1:  # e.g. "İ" lowercases to two code points: keep offsets aligned
        return c
    return low


_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    chr(c) for c in range(0x2000, 0x200B))
_FOLD_TABLE = str.maketrans({**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_APOSTROPHES, "'"),
                             **dict.fromkeys(_WHITESPACE, " ")})


def fold(text: str) -> str:
    """Lower case, dashes → '-', apostrophes → "'", whitespace → ' '; same length as ``text``."""
    low = text.lower()
    if len(low) == len(text):  # no character lowercased to two (e.g. "İ"): offsets stay aligned
        return low.translate(_FOLD_TABLE)
    return "".join(_fold_char(c) for c in text)


def _fold_alias(alias: str) -> str:
    return re.sub(r" +", " ", fold(unicodedata.normalize("NFC", alias.strip())))


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _is_acronym(alias: str) -> bool:
    """All-caps short names (BAM, TITR, INSTC) only match as written: 'bam' is a word."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(alias) <= 8 and " " not in alias


# --- corridor name matching ------------------------------------------------------

_COORD_NOUNS = r"(?:transport\s+|transit\s+|trade\s+|economic\s+|international\s+)*(?:corridors|routes|roads)"
# "the East-West and North-South corridors", "the Middle, North-South and Zangezur corridors"
_W = r"[A-Z][\w'\-\u2010-\u2015\u2212]*"  # a capitalised word, dashes of any kind inside
_RUN = _W + r"(?:\s+" + _W + r")*"
# Found in two steps so that a long run of capitalised words costs linear time: the plural noun
# first, then the coordinated names in a bounded window just before it.
_COORD_TAIL = re.compile(r"\s+" + _COORD_NOUNS + r"\b")
_COORD_HEAD = re.compile(
    r"(" + _RUN + r"(?:\s*,\s*" + _RUN + r")*\s*,?\s+(?:and|&|as\s+well\s+as)\s+" + _RUN + r")\Z"
)
_COORD_WINDOW = 160
_CONJUNCT_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+(?:and|&|as\s+well\s+as)\s+")
_CONJUNCT_SUFFIXES = ("", " corridor", " transport corridor", " international transport corridor", " route")


def _dash_variants(fold_text: str) -> set[str]:
    return {fold_text, fold_text.replace("-", " ")} if "-" in fold_text else {fold_text}


class CorridorMatcher:
    """Finds corridor names, aliases and descriptive patterns in text.

    Built once per set of corridor definitions and reused for every document.
    """

    def __init__(self, defs: Sequence[Any], patterns: Mapping[str, Sequence[str]] | None = None):
        self.ids = [d.id for d in defs]
        self._automaton = ahocorasick.Automaton()
        # folded alias -> list of (corridor_id, case_sensitive original or None)
        table: dict[str, list[tuple[str, str | None]]] = {}
        for d in defs:
            names = [d.name, *getattr(d, "aliases", ())]
            for name in names:
                if not name or not name.strip():
                    continue
                exact = name.strip() if _is_acronym(name.strip()) else None
                for key in _dash_variants(_fold_alias(name)):
                    entry = (d.id, exact)
                    if entry not in table.setdefault(key, []):
                        table[key].append(entry)
        self._table = table
        for key, entries in table.items():
            self._automaton.add_word(key, (key, tuple(entries)))
        if table:
            self._automaton.make_automaton()
        merged: dict[str, list[str]] = {}
        for d in defs:
            merged.setdefault(d.id, []).extend(getattr(d, "patterns", ()) or ())
        for cid, pats in (patterns or {}).items():
            if cid in merged:
                merged[cid].extend(pats)
        self._patterns = [
            (cid, re.compile(p, re.IGNORECASE)) for cid, pats in merged.items() for p in dict.fromkeys(pats)
        ]

    def lookup(self, name: str) -> list[str]:
        """Corridor ids whose name or alias is exactly ``name`` (folded)."""
        return [cid for cid, _ in self._table.get(_fold_alias(name), [])]

    def find(self, text: str) -> list[CorridorMention]:
        """All corridor mentions, leftmost-longest and non-overlapping per corridor, in text order."""
        found: list[CorridorMention] = []
        folded = fold(text)
        if self._table:
            candidates: list[tuple[int, int, tuple]] = []
            for end_idx, (key, entries) in self._automaton.iter(folded):
                start, end = end_idx - len(key) + 1, end_idx + 1
                if start > 0 and _is_word_char(folded[start - 1]):
                    continue
                if end < len(folded) and _is_word_char(folded[end]):
                    continue
                candidates.append((start, end, entries))
            # Longest match first at each start, then drop anything inside an accepted match.
            candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
            taken_until = -1
            for start, end, entries in candidates:
                if start < taken_until:
                    continue
                surface = text[start:end]
                ids = [cid for cid, exact in entries if exact is None or exact == surface]
                if not ids:
                    continue
                taken_until = end
                for cid in ids:
                    found.append(CorridorMention(cid, start, end, surface, "alias"))
        for tail in _COORD_TAIL.finditer(text):
            lo = max(0, tail.start() - _COORD_WINDOW)
            m = _COORD_HEAD.search(text, lo, tail.start())
            if m is not None:
                found.extend(self._coordinated(text, m))
        for cid, rx in self._patterns:
            for m in rx.finditer(text):
                if m.end() > m.start():
                    found.append(CorridorMention(cid, m.start(), m.end(), m.group(0), "pattern"))
        return _dedupe(found)

    def _coordinated(self, text: str, m: re.Match) -> list[CorridorMention]:
        """'the East-West and North-South corridors': each conjunct + 'corridor' names a corridor."""
        out = []
        group_start = m.start(1)
        pos = 0
        chunk = m.group(1)
        for part in _CONJUNCT_SPLIT.split(chunk):
            if not part:
                continue
            idx = chunk.find(part, pos)
            pos = idx + len(part)
            # Strip a leading article or adjective the capitalised run may have taken ("The").
            words = part.split()
            for skip in range(len(words)):
                conj = " ".join(words[skip:])
                ids: list[str] = []
                for suffix in _CONJUNCT_SUFFIXES:
                    ids = self.lookup(conj + suffix)
                    if ids:
                        break
                if ids:
                    s = group_start + idx + part.find(conj)
                    for cid in ids:
                        out.append(CorridorMention(cid, s, s + len(conj), text[s : s + len(conj)], "coordination"))
                    break
        return out


def _dedupe(mentions: list[CorridorMention]) -> list[CorridorMention]:
    """One mention per corridor per overlapping span (an alias inside a pattern match counts once)."""
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start), m.corridor_id))
    out: list[CorridorMention] = []
    last_end: dict[str, int] = {}
    for m in mentions:
        if m.start < last_end.get(m.corridor_id, -1):
            continue
        last_end[m.corridor_id] = m.end
        out.append(m)
    return out


def load_patterns(path: str | Path | None = None) -> dict[str, list[str]]:
    """Descriptive patterns per corridor id from a YAML mapping ``{corridor_id: [regex, ...]}``."""
    import yaml

    p = Path(path) if path is not None else PATTERNS_FILE
    if not p.is_file():
        return {}
    data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{p}: expected a mapping of corridor id to a list of patterns")
    out: dict[str, list[str]] = {}
    for cid, pats in data.items():
        if isinstance(pats, str):
            pats = [pats]
        if not isinstance(pats, list) or not all(isinstance(x, str) for x in pats):
            raise ValueError(f"{p}: patterns for {cid!r} must be a list of strings")
        for x in pats:
            try:
                re.compile(x)
            except re.error as exc:
                raise ValueError(f"{p}: bad pattern for {cid!r}: {exc}") from None
        out[str(cid)] = pats
    return out


def corridor_mentions(doc: Document, defs_or_matcher: Sequence[Any] | CorridorMatcher) -> list[CorridorMention]:
    matcher = defs_or_matcher if isinstance(defs_or_matcher, CorridorMatcher) else CorridorMatcher(defs_or_matcher)
    return matcher.find(doc.text)


# --- capacity facts ----------------------------------------------------------------

_SCALE = {"thousand": 1e3, "million": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9, "bln": 1e9, "bn": 1e9}
_UNITS = {
    "tons": "t", "tonnes": "t", "ton": "t", "tonne": "t", "t": "t", "mt": "t",
    "teu": "TEU", "teus": "TEU", "containers": "containers", "trains": "trains",
    "passengers": "passengers", "vehicles": "vehicles", "trucks": "trucks",
}
_NUM = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_SCALE_RX = r"(?:\s*(thousand|million|mln|billion|bln|bn))?"
_UNIT_RX = r"\s*(tons|tonnes|tonne|ton|teus?|containers|trains|passengers|vehicles|trucks)\b"
_RANGE = re.compile(
    r"\bfrom\s+" + _NUM + _SCALE_RX + r"(?:" + _UNIT_RX + r")?\s+(?:to|up\s+to)\s+" + _NUM + _SCALE_RX + _UNIT_RX,
    re.IGNORECASE,
)
_SINGLE = re.compile(_NUM + _SCALE_RX + _UNIT_RX, re.IGNORECASE)


def _number(num: str, scale: str | None) -> float:
    return float(num.replace(",", "")) * _SCALE.get((scale or "").lower(), 1.0)


def _quantities(text: str, start: int, end: int) -> list[tuple[int, int, float, str, float | None, float | None]]:
    """(start, end, value, unit, from, to) for every quantity in text[start:end]."""
    chunk = text[start:end]
    out = []
    taken: list[tuple[int, int]] = []
    for m in _RANGE.finditer(chunk):
        unit = _UNITS[m.group(6).lower()]
        to_scale = m.group(5)
        lo = _number(m.group(1), m.group(2) or to_scale)
        hi = _number(m.group(4), to_scale)
        out.append((start + m.start(), start + m.end(), hi, unit, lo, hi))
        taken.append((m.start(), m.end()))
    for m in _SINGLE.finditer(chunk):
        if any(s <= m.start() < e for s, e in taken):
            continue
        value = _number(m.group(1), m.group(2))
        out.append((start + m.start(), start + m.end(), value, _UNITS[m.group(3).lower()], None, None))
    out.sort()
    return out


FACILITY_KINDS = frozenset({"port", "station", "border_crossing"})


def capacity_facts(
    doc: Document, mentions: Sequence[CorridorMention], places: Sequence[Any] = (),
) -> list[CapacityFact]:
    """Quantities attached to the corridor named just before them in the sentence, else in the
    sentence itself, else in the nearest preceding sentence of the same paragraph.

    A port or station named between the corridor and the quantity (and not itself a corridor)
    owns the quantity: "the X railway ..., the capacity of Y port from 15 to 25 million tons"
    says nothing about X.
    """
    facilities = [p for p in places if getattr(p, "kind", None) in FACILITY_KINDS
                  and not any(m.start < p.end and p.start < m.end for m in mentions)]
    facts: list[CapacityFact] = []
    by_sentence: dict[int, list[CorridorMention]] = {}
    index = {(s.start, s.end): i for i, s in enumerate(doc.sentences)}
    for m in mentions:
        s = doc.sentence_at(m.start)
        if s is not None:
            by_sentence.setdefault(index[(s.start, s.end)], []).append(m)
    for i, sent in enumerate(doc.sentences):
        for q_start, q_end, value, unit, lo, hi in _quantities(doc.text, sent.start, sent.end):
            here = by_sentence.get(i, [])
            before = [m for m in here if m.end <= q_start]
            owner: CorridorMention | None = None
            if before:
                owner = max(before, key=lambda m: (m.end, m.end - m.start))
                if any(owner.end <= p.start and p.end <= q_start for p in facilities):
                    continue
            elif here:
                owner = min(here, key=lambda m: m.start)
            else:
                j = i - 1
                while j >= 0 and doc.sentences[j].paragraph == sent.paragraph:
                    if by_sentence.get(j):
                        owner = max(by_sentence[j], key=lambda m: (m.end, m.end - m.start))
                        break
                    j -= 1
            if owner is None:
                continue
            facts.append(CapacityFact(
                corridor_id=owner.corridor_id, value=value, unit=unit, from_value=lo, to_value=hi,
                doc_id=doc.id, start=q_start, end=q_end, quote=doc.text[sent.start : sent.end],
            ))
    return facts


# --- segments and routes read from text ------------------------------------------------


@lru_cache(maxsize=65536)
def _norm_name(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "", s.lower())


def segment_id(corridor_id: str, branch_id: str, index: int) -> str:
    """The id of segment ``index`` (0-based) of a branch; must agree with geo.corridors.segments_frame."""
    return f"{corridor_id}/{branch_id}/{index}"


class WaypointIndex:
    """Waypoints of every branch by gazetteer id and by normalised name (or ``place`` name).

    Built once per corpus: matching each place against every waypoint of every corridor
    was the slowest step of a build (75 ms a document).
    """

    def __init__(self, defs: Sequence[Any]):
        self._by_key: dict[str, list[tuple[str, str, int]]] = {}
        for d in defs:
            for b in getattr(d, "branches", ()):
                for i, w in enumerate(b.waypoints):
                    keys = {"n:" + _norm_name(w.name)}
                    if getattr(w, "place", None):
                        keys.add("n:" + _norm_name(w.place))
                    if getattr(w, "gazetteer_id", None):
                        keys.add("g:" + w.gazetteer_id)
                    for k in keys:
                        self._by_key.setdefault(k, []).append((d.id, b.id, i))

    def hits(self, place: Any) -> set[tuple[str, str, int]]:
        """(corridor id, branch id, waypoint index) of every waypoint ``place`` names."""
        out = set(self._by_key.get("n:" + _norm_name(place.name), ()))
        if getattr(place, "gazetteer_id", None):
            out.update(self._by_key.get("g:" + place.gazetteer_id, ()))
        return out


def segment_links(
    doc: Document, places: Sequence[Any], defs: Sequence[Any] | WaypointIndex,
    seg_id: Callable[[str, str, int], str] = segment_id,
    mentions: Sequence[CorridorMention] = (),
) -> list[tuple[str, Any, Any]]:
    """(segment id, first place, second place) for each sentence naming two waypoints of one branch.

    Every segment of the stretch between the two waypoints is linked. A sentence that names a
    corridor links only that corridor's segments: "cooperation between the cities of Aktau and
    Sumgait" is about the city partnership, not the cable that lands at both.
    """
    index = defs if isinstance(defs, WaypointIndex) else WaypointIndex(defs)
    out: list[tuple[str, Any, Any]] = []
    named: dict[tuple[int, int], set[str]] = {}
    for m in mentions:
        s = doc.sentence_at(m.start)
        if s is not None:
            named.setdefault((s.start, s.end), set()).add(m.corridor_id)
    by_sentence: dict[tuple[int, int], list[Any]] = {}
    for p in places:
        s = doc.sentence_at(p.start)
        if s is not None:
            by_sentence.setdefault((s.start, s.end), []).append(p)
    for key in sorted(by_sentence):
        ps = sorted(by_sentence[key], key=lambda p: p.start)
        if len(ps) < 2:
            continue
        only = named.get(key)
        # branch -> waypoint index -> the first place in the sentence that names it
        branches: dict[tuple[str, str], dict[int, Any]] = {}
        for p in ps:
            for cid, bid, i in index.hits(p):
                if only and cid not in only:
                    continue
                branches.setdefault((cid, bid), {}).setdefault(i, p)
        for (cid, bid), found in sorted(branches.items()):
            if len(found) < 2:
                continue
            i0, i1 = min(found), max(found)
            for k in range(i0, i1):
                out.append((seg_id(cid, bid, k), found[i0], found[i1]))
    return out


_ROUTE_TRIGGER = re.compile(
    r"\b(?:route|railway|railroad|rail\s+link|road|highway|motorway|corridor|line|pipeline|link|"
    r"connection|cable|service|path)s?\b[^.;:]{0,40}?\bfrom\s+",
    re.IGNORECASE,
)
_ROUTE_LEAD = re.compile(r"(?:the\s+)?(?:(?:port|city|station|region)\s+of\s+)?", re.IGNORECASE)
_ROUTE_GAP = re.compile(
    r"\s*(?:(?:port|city|station|region|province)\s*)?(?:,\s*)?(?:(through|via|to|and|then|,)\s*)"
    r"(?:the\s+)?(?:(?:port|city|station|region)\s+of\s+)?",
    re.IGNORECASE,
)


def _route_point(p: Any) -> RoutePoint:
    return RoutePoint(p.name, p.start, p.end, p.lat, p.lon, getattr(p, "kind", None),
                      getattr(p, "country", None), getattr(p, "gazetteer_id", None))


def _chains(doc: Document, places: Sequence[Any]) -> list[tuple[int, int, list[Any]]]:
    """Ordered place chains 'from X (through Y)* to Z' after a route word."""
    ordered = sorted(places, key=lambda p: p.start)
    starts = [p.start for p in ordered]
    out = []
    for m in _ROUTE_TRIGGER.finditer(doc.text):
        lead = _ROUTE_LEAD.match(doc.text, m.end())
        pos = lead.end() if lead else m.end()
        k = bisect_left(starts, pos)
        if k == len(ordered) or ordered[k].start != pos:
            continue
        chain, saw_to = [ordered[k]], False
        while True:
            k = bisect_left(starts, chain[-1].end)
            if k == len(ordered):
                break
            last, nxt = chain[-1], ordered[k]
            gap = _ROUTE_GAP.fullmatch(doc.text, last.end, nxt.start)
            if gap is None:
                break
            chain.append(nxt)
            if (gap.group(1) or "").lower() == "to":
                saw_to = True
        if len(chain) >= 2 and saw_to:
            out.append((m.start(), chain[-1].end, chain))
    return out


def draft_routes(
    doc: Document, places: Sequence[Any], defs: Sequence[Any] | WaypointIndex, mentions: Sequence[CorridorMention],
) -> tuple[list[DraftRoute], list[CorridorMention]]:
    """Routes the text describes. A route that a known corridor covers (a corridor mention overlaps
    it, or its two ends are waypoints of one branch) becomes a mention of that corridor instead."""
    index = defs if isinstance(defs, WaypointIndex) else WaypointIndex(defs)
    drafts: list[DraftRoute] = []
    linked: list[CorridorMention] = []
    for start, end, chain in _chains(doc, places):
        known = {m.corridor_id for m in mentions if m.start < end and start < m.end}
        if not known:
            first_hits = {(c, b) for c, b, _ in index.hits(chain[0])}
            last_hits = {(c, b) for c, b, _ in index.hits(chain[-1])}
            known.update(c for c, _b in first_hits & last_hits)
            for cid in sorted(known):
                linked.append(CorridorMention(cid, start, end, doc.text[start:end], "route"))
        if known:
            continue
        sent = doc.sentence_at(start)
        q0, q1 = (sent.start, sent.end) if sent else (start, end)
        name = " – ".join(p.name for p in chain)
        drafts.append(DraftRoute(
            id=f"draft:{doc.id}:{start}", name=name, waypoints=tuple(_route_point(p) for p in chain),
            doc_id=doc.id, start=start, end=end, quote=doc.text[q0:q1],
        ))
    return drafts, linked


# --- excerpts ------------------------------------------------------------------------


def _excerpt(doc: Document, target_type: str, target_id: str, start: int, end: int) -> Excerpt | None:
    s = doc.sentence_at(start)
    if s is None:
        return None
    return Excerpt(
        target_type=target_type, target_id=target_id, doc_id=doc.id, doc_title=doc.title,
        date=doc.date, source=doc.source, start=start, end=end,
        sentence_start=s.start, sentence_end=s.end, quote=doc.text[s.start : s.end],
    )


def reading_order(e: Excerpt | CapacityFact | Any) -> tuple:
    """Sort key: dated documents first by date, then document id, then offset."""
    date = getattr(e, "date", None)
    return (date is None, date or "", e.doc_id, e.start, getattr(e, "target_type", ""), getattr(e, "target_id", ""))


class ExcerptBuilder:
    """``build_excerpts`` one document at a time, for a build that streams its documents: the
    corridor matcher and the waypoint index are made once, not per document or per batch."""

    def __init__(
        self,
        defs: Sequence[Any],
        *,
        patterns: Mapping[str, Sequence[str]] | None = None,
        seg_id: Callable[[str, str, int], str] = segment_id,
    ):
        self.matcher = CorridorMatcher(defs, load_patterns() if patterns is None else patterns)
        self.waypoints = WaypointIndex(defs)
        self.seg_id = seg_id

    def document(self, doc: Document, place_mentions: Sequence[Any]) -> ExcerptSet:
        """Excerpts (in document order), capacities, drafts and corridor mentions of one document.

        One excerpt per (target, sentence): a sentence naming a corridor twice is quoted once.
        """
        result = ExcerptSet()
        seen: set[tuple[str, str, int]] = set()

        def add(ttype: str, tid: str, start: int, end: int) -> None:
            ex = _excerpt(doc, ttype, tid, start, end)
            if ex is None:
                return
            key = (ttype, tid, ex.sentence_start)
            if key in seen:
                return
            seen.add(key)
            result.excerpts.append(ex)

        places = [p for p in place_mentions if getattr(p, "gazetteer_id", None)]
        mentions = self.matcher.find(doc.text)
        drafts, linked = draft_routes(doc, places, self.waypoints, mentions)
        mentions = _dedupe(mentions + linked)
        result.corridor_mentions[doc.id] = mentions
        result.drafts.extend(drafts)
        for m in mentions:
            add("corridor", m.corridor_id, m.start, m.end)
        result.capacities.extend(capacity_facts(doc, mentions, places))
        for sid, p0, _p1 in segment_links(doc, places, self.waypoints, self.seg_id, mentions):
            add("segment", sid, p0.start, p0.end)
        for p in places:
            add("place", p.gazetteer_id, p.start, p.end)
        return result


def build_excerpts(
    docs: Iterable[Document],
    place_mentions_by_doc: Mapping[str, Sequence[Any]],
    defs: Sequence[Any],
    *,
    patterns: Mapping[str, Sequence[str]] | None = None,
    seg_id: Callable[[str, str, int], str] = segment_id,
) -> ExcerptSet:
    """Excerpts for corridors, segments and places, capacity facts and draft routes, excerpts in
    reading order (``ExcerptBuilder`` over every document)."""
    builder = ExcerptBuilder(defs, patterns=patterns, seg_id=seg_id)
    result = ExcerptSet()
    for doc in docs:
        one = builder.document(doc, place_mentions_by_doc.get(doc.id, ()))
        result.excerpts.extend(one.excerpts)
        result.capacities.extend(one.capacities)
        result.drafts.extend(one.drafts)
        result.corridor_mentions.update(one.corridor_mentions)
    result.excerpts.sort(key=reading_order)
    return result

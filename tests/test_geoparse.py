"""Geoparser on the real seeds and on hand-made sentences (real gazetteer, no stubs)."""

from __future__ import annotations

import math
import re

import pytest

from geo.geoparse import REGIONS, Candidate, Geoparser, PlaceMention, geoparse_document


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    return Geoparser()


@pytest.fixture(scope="module")
def seed_mentions(parser, seed_documents):
    return {doc_id: (doc, parser.parse(doc.text)) for doc_id, doc in seed_documents.items()}


def _km(lat1, lon1, lat2, lon2):
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    return 6371.0 * math.acos(min(1.0, math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)))


# Settlements: true coordinates (from maps, independent of the gazetteer); checked within 20 km.
SEED_POINTS = {
    "Khankendi": (39.8153, 46.7519),
    "Alat": (39.9433, 49.4069),
    "Astana": (51.1694, 71.4491),
    "Xian": (34.3416, 108.9398),
    "Atyrau": (47.0945, 51.9238),
    "Shirvan": (39.9319, 48.9206),
    "Sumgait": (40.5897, 49.6686),
    "Aktau": (43.6481, 51.1722),
    "Baku": (40.4093, 49.8671),
    "Tbilisi": (41.7151, 44.8271),
    "Kars": (40.6013, 43.0975),
    "Garabagh": (39.85, 46.75),  # the region's heart around Khankendi/Shusha
}
# Countries, seas, regions, continents: the right feature (id or kind and name), not a distance.
SEED_FEATURES = {
    "Azerbaijan": ("country", "AZ"),
    "Kazakhstan": ("country", "KZ"),
    "Russia": ("country", "RU"),
    "Uzbekistan": ("country", "UZ"),
    "Armenia": ("country", "AM"),
    "Caspian Sea": ("sea", None),
    "Central Asia": ("region", None),
    "Europe": ("continent", None),
    "Asia": ("continent", None),
}


def _all(seed_mentions) -> list[PlaceMention]:
    return [m for _, ms in seed_mentions.values() for m in ms]


@pytest.mark.parametrize("name", sorted(SEED_POINTS))
def test_seed_settlements_found_within_20_km(seed_mentions, name):
    found = [m for m in _all(seed_mentions) if m.name.lower().startswith(name.lower())]
    assert found, f"{name} not found in the seeds"
    lat, lon = SEED_POINTS[name]
    for m in found:
        assert _km(m.lat, m.lon, lat, lon) < 20, (m.name, m.lat, m.lon, m.gazetteer_id)


@pytest.mark.parametrize("name", sorted(SEED_FEATURES))
def test_seed_countries_seas_regions_on_the_right_feature(seed_mentions, name):
    kind, country = SEED_FEATURES[name]
    found = [m for m in _all(seed_mentions) if m.name == name]
    assert found, f"{name} not found in the seeds"
    for m in found:
        assert m.kind == kind, (m.name, m.kind, m.gazetteer_id)
        if country:
            assert m.gazetteer_id == f"cc:{country}" and m.country == country


def test_seed_every_occurrence_of_a_country_is_found(seed_mentions):
    for doc, ms in seed_mentions.values():
        want = {m.start() for m in re.finditer(r"\bAzerbaijan\b(?!i)", doc.text)}
        want -= {m.start() for m in re.finditer(r"Azerbaijan Investment Holding", doc.text)}
        got = {m.start for m in ms if m.name == "Azerbaijan"}
        assert got == want, doc.id


NOT_PLACES = [
    "Ilham Aliyev", "Heydar Aliyev", "Kassym-Jomart Tokayev", "Vladimir Putin", "Hikmet Hajiyev", "Aliyev",
    "Tokayev", "Report", "News.Az", "Samruk Kazyna", "Interstate Mir", "Akorda", "APA", "United Nations",
    "Organization of Turkic States", "Azerbaijan Investment Holding", "Azerbaijani", "Russian-Azerbaijani",
    "Kazakh", "Turkic", "Central Asian", "Trans-Caspian", "Birlestik", "BAM", "Ayya Lmahamad",
]


@pytest.mark.parametrize("phrase", NOT_PLACES)
def test_seed_no_person_organisation_or_demonym_as_place(seed_mentions, phrase):
    for doc, ms in seed_mentions.values():
        for occ in re.finditer(re.escape(phrase) + r"\b", doc.text):
            overlapping = [m.name for m in ms if m.start < occ.end() and occ.start() < m.end]
            assert not overlapping, (doc.id, phrase, overlapping)


def test_titles_do_not_swallow_the_country_after_of(parser):
    text = "President of Azerbaijan Ilham Aliyev met President Ilham Aliyev of Azerbaijan."
    assert [m.name for m in parser.parse(text)] == ["Azerbaijan", "Azerbaijan"]


def test_offsets_are_exact_in_seeds(seed_mentions):
    for doc, ms in seed_mentions.values():
        assert ms, doc.id
        for m in ms:
            assert doc.text[m.start:m.end] == m.name
            assert 0.0 <= m.score <= 1.0
            assert -90 <= m.lat <= 90 and -180 <= m.lon <= 180
            assert len(m.alternatives) <= 5
        assert [m.start for m in ms] == sorted(m.start for m in ms)


def test_offsets_with_unicode_and_possessives(parser):
    text = "Ölçü — “Azerbaijan’s ports” and Xi'an's depot; Bakı (Baku) ✓ Tbilisi."
    ms = parser.parse(text)
    assert {m.name for m in ms} >= {"Azerbaijan", "Xi'an", "Baku", "Tbilisi"}
    for m in ms:
        assert text[m.start:m.end] == m.name


def test_multiword_and_hyphenated_names(parser):
    text = "Trains run from Baku-Tbilisi-Kars to St. Petersburg and Bandar Abbas on the Caspian Sea."
    assert [m.name for m in parser.parse(text)] == [
        "Baku", "Tbilisi", "Kars", "St. Petersburg", "Bandar Abbas", "Caspian Sea"]
    spb = next(m for m in parser.parse(text) if m.name == "St. Petersburg")
    assert spb.country == "RU"


def test_corridor_names_with_hyphens_and_particles(parser):
    text = "Freight runs from Rostov-on-Don to Termez and Mazar-i-Sharif, and from Xi'an via Khorgos to Aktau."
    ms = {m.name: m for m in parser.parse(text)}
    assert {k: m.country for k, m in ms.items() if k != "Khorgos"} == {
        "Rostov-on-Don": "RU", "Termez": "UZ", "Mazar-i-Sharif": "AF", "Xi'an": "CN", "Aktau": "KZ"}
    # Khorgos lies on both sides of the KZ-CN border: either twin town is right
    assert _km(ms["Khorgos"].lat, ms["Khorgos"].lon, 44.21, 80.41) < 20


def test_lowercase_common_words_are_not_places(parser):
    assert parser.parse("We hope the bridge for mobile reading works in march.") == []


def test_all_caps_headers_are_not_places_but_datelines_are(parser):
    text = "BREAKING NEWS FROM ASTANA\nASTANA – Officials in Baku said APA reported it."
    ms = parser.parse(text)
    assert [(m.name, m.start) for m in ms] == [("ASTANA", text.index("ASTANA –")), ("Baku", text.index("Baku"))]


def test_four_letter_dateline(parser):
    text = "BAKU, Azerbaijan (AP) — Heydar Aliyev International Airport handled more cargo."
    assert [(m.name, m.country) for m in parser.parse(text)] == [("BAKU", "AZ"), ("Azerbaijan", "AZ")]


def test_organisation_modifier_dropped_geographic_complement_kept(parser):
    text = ("Azerbaijan Railways signed with the Organization for Security and Co-operation in Europe "
            "and the Supreme Interstate Council of Kazakhstan.")
    assert [m.name for m in parser.parse(text)] == ["Europe", "Kazakhstan"]


def test_lima_ohio_versus_lima_peru(parser):
    ohio = parser.parse("The plant is in Lima, Ohio, near the highway.")[0]
    peru = parser.parse("The plant is in Lima, Peru, near the port.")[0]
    assert ohio.name == peru.name == "Lima"
    assert ohio.country == "US" and _km(ohio.lat, ohio.lon, 40.74, -84.11) < 20
    assert peru.country == "PE" and _km(peru.lat, peru.lon, -12.05, -77.04) < 20
    assert any(a.country == "PE" for a in ohio.alternatives)


def test_country_context_in_document(parser):
    text = "Gov. Sonny Perdue of Georgia visited Athens, Ga. and Atlanta on Monday."
    ms = {m.name: m for m in parser.parse(text)}
    assert "Sonny" not in ms and "Perdue" not in ms
    assert ms["Georgia"].country == "US" and ms["Athens"].country == "US"


def test_one_sense_per_discourse(parser):
    text = "Lima, Ohio grew fast. Later, Lima built a new school."
    ms = parser.parse(text)
    assert [m.name for m in ms if m.name == "Lima"] == ["Lima", "Lima"]
    assert len({m.gazetteer_id for m in ms if m.name == "Lima"}) == 1


def test_resolve_honours_given_spans(parser):
    text = "from baku to the caspian sea via Astana"
    spans = [(5, 9), (17, 28), (33, 39)]
    ms = parser.resolve(text, spans)
    assert [(m.start, m.end) for m in ms] == spans
    assert [m.country for m in ms] == ["AZ", None, "KZ"]
    assert ms[1].kind == "sea"
    # a span the parser would not pick itself is still resolved; an unknown one is left out
    assert parser.resolve("Qwxzv is far.", [(0, 5)]) == []
    with pytest.raises(ValueError):
        parser.resolve(text, [(0, 999)])


def test_resolve_demonym_span_gives_its_country(parser):
    ms = parser.resolve("Sudanese troops moved.", [(0, 8)])
    assert ms[0].gazetteer_id == "cc:SD"


def test_regional_focus_is_opt_in(parser):
    text = "The delegation arrived in Kuba yesterday."
    assert "caucasus-caspian" in REGIONS
    default = parser.parse(text)[0]
    focused = Geoparser(region="caucasus-caspian").parse(text)[0]
    assert focused.country == "AZ"
    assert default.gazetteer_id != focused.gazetteer_id
    with pytest.raises(ValueError):
        Geoparser(region="atlantis")


def test_to_dict_keys_and_alternatives(parser):
    m = parser.parse("He flew to Lima, Peru.")[0]
    d = m.to_dict()
    assert list(d) == ["start", "end", "name", "lat", "lon", "kind", "country", "gazetteer_id", "score"]
    d2 = m.to_dict(with_alternatives=True)
    assert isinstance(d2["alternatives"], list) and all(set(a) == set(Candidate.__slots__) for a in d2["alternatives"])
    assert m.score >= max((a.score for a in m.alternatives), default=0.0)


def test_geoparse_document_uses_document_text(seed_documents, parser):
    doc = next(iter(seed_documents.values()))
    assert geoparse_document(doc, parser) == parser.parse(doc.text)


def test_us_county_missing_from_gazetteer_is_placed_in_its_state(parser):
    text = "Deputies in Walker County arrested a man near Atlanta, Georgia."
    ms = {m.name: m for m in parser.parse(text)}
    county = ms["Walker County"]
    assert county.country == "US"
    # Walker County exists in Alabama, Georgia and Texas; the Georgia context wins
    assert _km(county.lat, county.lon, 33.0, -83.5) < 400, (county.gazetteer_id, county.lat, county.lon)


def test_month_before_a_place_is_not_a_first_name(parser):
    ms = parser.parse("In May Baku hosted the forum, and in June Astana did.")
    assert [m.name for m in ms] == ["Baku", "Astana"]


def test_ap_state_abbreviations_and_qualified_common_words(parser):
    text = "Mobile, Ala. and Athens, Ga. and Charleston, W. Va. grew, but the Star Market stayed."
    got = [(m.name, m.kind, m.country) for m in parser.parse(text)]
    assert got == [("Mobile", "city", "US"), ("Ala.", "admin1", "US"), ("Athens", "city", "US"),
                   ("Ga.", "admin1", "US"), ("Charleston", "city", "US"), ("W. Va.", "admin1", "US")]
    athens = next(m for m in parser.parse(text) if m.name == "Athens")
    assert _km(athens.lat, athens.lon, 33.96, -83.38) < 20  # Athens, Georgia


def test_first_qualifying_statement_decides_the_sense(parser):
    text = ("Aurora is a city in Hamilton County, Nebraska, United States. "
            "Its founder named it after his hometown of Aurora, Illinois.")
    ms = [m for m in parser.parse(text) if m.name == "Aurora"]
    assert len(ms) == 2 and len({m.gazetteer_id for m in ms}) == 1
    assert _km(ms[0].lat, ms[0].lon, 40.87, -98.00) < 20  # Aurora, Nebraska, not Aurora, Illinois
    alat = parser.parse("Alat, a settlement in the Garadagh district of Baku, is growing.")[0]
    assert alat.name == "Alat" and alat.country == "AZ"


def test_country_named_person_is_not_a_place_when_the_surname_recurs(parser):
    text = "Jordan Henderson scored twice against Chelsea. Henderson said the team was ready for Jordan."
    found = [(m.name, m.start) for m in parser.parse(text)]
    assert ("Jordan", 0) not in found and ("Henderson", 47) not in found, found
    assert ("Jordan", text.rindex("Jordan")) in found  # the country itself is still a place
    # without a lone repeat the country keeps its place: "Jordan Israel talks"
    assert [m.name for m in parser.parse("Jordan Israel talks resumed.")] == ["Jordan", "Israel"]


# --- names for online geocoding (Geoparser.unresolved) ----------------------------------------------

# Invented names: the test checks first that the gazetteer really lacks them.
_UNKNOWN = ("Qyzylqumbay", "Zelbortau", "Ustarkhin", "Zhanakorgalyk")


def _surfaces(parser, text):
    return [text[s:e] for s, e in parser.unresolved(text)]


def test_unresolved_names_are_unknown_to_the_gazetteer(parser):
    from geo.gazetteer import normalize

    assert not any(parser.gazetteer.contains(normalize(n)) for n in _UNKNOWN)


@pytest.mark.parametrize("text, expected", [
    ("Ships sailed from the port of Qyzylqumbay to Baku. Later, Qyzylqumbay handled grain.",
     ["Qyzylqumbay", "Qyzylqumbay"]),
    ("The new Zelbortau port opened in May. Zelbortau Port is run by the state.", ["Zelbortau", "Zelbortau"]),
    ("Freight left Ustarkhin railway station for Tbilisi.", ["Ustarkhin"]),
    ("A terminal was built in Zhanakorgalyk, Kazakhstan, last year.", ["Zhanakorgalyk"]),
])
def test_unresolved_finds_unknown_names_in_strong_place_contexts(parser, text, expected):
    assert _surfaces(parser, text) == expected


@pytest.mark.parametrize("text", [
    "President Vlamir Ostrokov visited the city of Baku and the port of Aktau.",  # persons; known places
    "The deal was signed by the port of Qyzylqumbay Holding and Zelbortau Shipping Company.",  # organisations
    "The Cypriot port of Limassol and the Syrian port of Latakia.",  # adjectives before "port of"
    "According to Ustarkhin, Kazakhstan will invest. Ustarkhin said so.",  # reported speech: a person
    "Doctor Christianne Zelbortau spoke in Rome. Later, in Zelbortau, Italy ...",  # a surname elsewhere
    "A meeting in Zhanakorgalyk, Texas: a state, not a country.",  # only "in X, <country>"
    "The port of Call and the city of Light; the QZX port.",  # everyday words, acronyms
    "Freight crossed Kazakhstan to Baku and Tbilisi.",  # everything known: nothing to look up
])
def test_unresolved_rejects_persons_organisations_and_weak_contexts(parser, text):
    assert _surfaces(parser, text) == []


def test_unresolved_keeps_parse_unchanged(parser):
    text = "Ships sailed from the port of Qyzylqumbay to Baku and Aktau, Kazakhstan."
    fresh = Geoparser(parser.gazetteer)
    before = fresh.parse(text)
    assert parser.unresolved(text) and parser.parse(text) == before == fresh.parse(text)
    # the recognition kept for unresolved() belongs to the last text only
    assert [m.name for m in parser.parse("Trains run from Baku to Tbilisi.")] == ["Baku", "Tbilisi"]


def test_unresolved_on_the_seeds_reports_no_person_organisation_or_known_place(parser, seed_mentions):
    titles = re.compile(r"\b(?:President|Prime Minister|Minister|Chairman|Ambassador|Mr\.?|Mrs\.?|Director)\s+"
                        r"(?:[A-Z][\w'’-]+\s?){1,3}")
    orgs = re.compile(r"(?:[A-Z][\w'’-]+\s){1,4}(?:Railways|Company|Holding|Bank|Fund|Group|Committee|Ministry|"
                      r"Agency|Authority|Corporation|Shipping)\b")
    for doc, mentions in seed_mentions.values():
        found = parser.unresolved(doc.text)
        assert found == sorted(set(found))
        people_orgs = [m.span() for rx in (titles, orgs) for m in rx.finditer(doc.text)]
        for s, e in found:
            name = doc.text[s:e]
            assert name[:1].isupper() and not parser._known(name), name
            assert not any(m.start < e and s < m.end for m in mentions), name
            assert not any(a < e and s < b for a, b in people_orgs), name


def test_build_finds_unresolved_names_for_online_geocoding(parser):
    from geo.build import LONG_TEXT_CHARS, _unresolved_spans

    text = "Grain left the port of Qyzylqumbay for Baku."
    assert [text[s:e] for s, e in _unresolved_spans(parser, text)] == ["Qyzylqumbay"]
    # long texts go block by block: offsets still index the whole text
    long_text = "Trains ran on time. " * (LONG_TEXT_CHARS // 20 + 5) + text
    assert [long_text[s:e] for s, e in _unresolved_spans(parser, long_text)] == ["Qyzylqumbay"]


# --- speed-ups keep the answers of the plain versions -------------------------------------------------

def test_grouped_containment_matches_the_pairwise_test(parser):
    from geo.geoparse import _inside, _inside_any

    names = ["Springfield", "Illinois", "Georgia", "Alexandria", "Lima", "Ohio", "Paris", "Texas", "Europe",
             "Caspian Sea", "Baku", "Washington", "Columbia", "Lake Michigan", "Victoria", "Punjab", "Aurora"]
    entries = {n: [m.entry for m in parser._name_info(n).cands] for n in names}
    for a in names:
        for b in names:
            want = tuple(i for i, c in enumerate(entries[a]) if any(_inside(c, box) for box in entries[b]))
            assert _inside_any(entries[a], entries[b]) == want, (a, b)


@pytest.mark.parametrize("text, name, admin1", [
    ("Hinton is a small city in Summers County, West Virginia. Many people moved to Alberta and Ontario.",
     "Hinton", "US-WV"),
    ("Lancaster is a town in Coos County, New Hampshire, named after Lancaster in England and Pennsylvania.",
     "Lancaster", "US-NH"),
])
def test_qualifier_reaches_past_an_unknown_county(parser, text, name, admin1):
    # the county is not in the gazetteer; the state after it still qualifies the town
    first = next(m for m in parser.parse(text) if m.name == name)
    assert parser.gazetteer.get(first.gazetteer_id).admin1 == admin1


def test_first_names_are_those_gender_guesser_knows():
    import gender_guesser.detector as gd

    from geo.geoparse import _first_names, _is_first_name

    detector = gd.Detector(case_sensitive=False)
    assert _first_names() == frozenset(detector.names)
    for word in ("Heydar", "michael", "Matthew", "Baku", "Aliyev", "Jordan", "Anne-Marie"):
        assert _is_first_name(word) == (detector.get_gender(word) != "unknown"), word


def test_demonyms_use_the_country_names_of_countrystatecity():
    import countrystatecity_countries as csc

    from geo.geoparse import _country_names

    assert _country_names() == [c.name for c in csc.get_countries()]


def test_zipf_fast_path_matches_wordfreq() -> None:
    """``_zipf`` reads lowercase ASCII words from a table of common words: the value must be wordfreq's
    own at or above ``_ZIPF_FLOOR`` (the lowest threshold a rule uses) and below it for rarer words."""
    from wordfreq import iter_wordlist, top_n_list, zipf_frequency

    from geo.geoparse import _ZIPF_FLOOR, _zipf

    words = top_n_list("en", 20000) + ["baku", "kelleyland", "alexandria", "qazax", "xyzzyq", "mobile", "reading",
                                       "Baku", "São", "o'brien", "new york", "mts", "a", "hope", "bridge", "star",
                                       "i've", "we’re", "he’ll", "don't", "l’aventure", "l'eau", "o'leary", "toruń",
                                       "zaïre", "réunion", "naïve", "café", "τάλα", "i̇stanbul", "córdoba", "straße", "москва",
                                       "d'un", "l'a", "qu'il", "l’europe", "j'ai", "d’état", "d'hôtel", "l'ou'a"]
    words += [w.replace("'", "’") for w in words if "'" in w]
    listed = list(iter_wordlist("en"))
    words += listed[20000::37] + [w for w in listed[:100000] if not w.isascii()][::5]  # rarer and non-ASCII words
    words += [w.title() for w in words[::7]] + [w.upper() for w in words[::11]]
    for w in words:
        z, live = _zipf.__wrapped__(w), zipf_frequency(w, "en")
        assert z == live if live >= _ZIPF_FLOOR else z < _ZIPF_FLOOR, w


def test_first_names_cache_matches_the_package_file() -> None:
    """The first names read back from the cache folder are those of gender_guesser's data file."""
    from geo.geoparse import _first_names, _package_data, _read_first_names

    assert _first_names() == frozenset(_read_first_names(_package_data("gender_guesser", "data/nam_dict.txt")))
    assert "john" in _first_names() and "baku" not in _first_names()


def test_derived_word_tables_are_written_once_and_read_back(tmp_path, monkeypatch) -> None:
    """The word tables derived into the cache folder read back as built, and a damaged copy is rebuilt."""
    from geo import geoparse

    monkeypatch.setenv("CORRIDOR_ATLAS_CACHE", str(tmp_path))
    built = geoparse._common_words.__wrapped__()
    files = sorted(tmp_path.glob("common-words-*.txt"))
    assert len(files) == 1 and geoparse._common_words.__wrapped__() == built
    files[0].write_text('{"broken', encoding="utf-8")
    assert geoparse._common_words.__wrapped__() == built
    assert geoparse._first_names.__wrapped__() == geoparse._first_names()
    assert len(list(tmp_path.glob("first-names-*.txt"))) == 1

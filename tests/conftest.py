"""Shared fixtures. Stage tests live beside the behaviour they pin (one file per stage)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
BENCHMARKS = SHARED / "benchmarks" / "geoparsing"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_documents():
    from geo.corpus import read_corpus

    docs, errors = read_corpus(SEEDS)
    assert not errors, errors
    return {d.id: d for d in docs}


@pytest.fixture(scope="session")
def seed_atlas():
    """The atlas of the bundled seeds, built once per test session (real pipeline)."""
    from geo.atlas import build_atlas

    return build_atlas(SEEDS)


@pytest.fixture(autouse=True)
def _no_user_corrections(tmp_path_factory, monkeypatch):
    """No test reads or writes the user's data/corrections.json (geo.corrections honours this variable)."""
    monkeypatch.setenv("CORRIDOR_ATLAS_CORRECTIONS", str(tmp_path_factory.mktemp("corrections") / "corrections.json"))

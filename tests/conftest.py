"""Shared test configuration: the source tree on the path, Hypothesis kept quick, and the
shipped data (the Northwind example book and each HubSpot program) as fixtures.

Set ``HYPOTHESIS_PROFILE=thorough`` for a long run with many more examples.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

if importlib.util.find_spec("partner_tiers") is None:
    # A checkout without `pip install -e .`: test the source tree itself.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import partner_tiers as pt

settings.register_profile("quick", max_examples=60, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

# Books and programs are immutable: one load serves the whole session, and Hypothesis
# tests may take these fixtures (it warns only for function-scoped ones).


@pytest.fixture(scope="session")
def northwind() -> pt.Book:
    """The example book src/partner_tiers/data/northwind.json."""
    return pt.load_book(Path(pt.__file__).resolve().parent / "data" / "northwind.json")


@pytest.fixture(scope="session")
def hubspot_2016() -> pt.Program:
    """The shipped program hubspot-2016."""
    return pt.load_program("hubspot-2016")


@pytest.fixture(scope="session")
def hubspot_2018() -> pt.Program:
    """The shipped program hubspot-2018."""
    return pt.load_program("hubspot-2018")


@pytest.fixture(scope="session")
def hubspot_2022() -> pt.Program:
    """The shipped program hubspot-2022."""
    return pt.load_program("hubspot-2022")


@pytest.fixture(scope="session")
def hubspot_2024() -> pt.Program:
    """The shipped program hubspot-2024."""
    return pt.load_program("hubspot-2024")


@pytest.fixture(scope="session")
def hubspot_2025() -> pt.Program:
    """The shipped program hubspot-2025."""
    return pt.load_program("hubspot-2025")

"""Shared test configuration: the source tree on the path, and Hypothesis kept quick.

Set ``HYPOTHESIS_PROFILE=thorough`` for a long run with many more examples.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from hypothesis import settings

if importlib.util.find_spec("partner_tiers") is None:
    # A checkout without `pip install -e .`: test the source tree itself.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

settings.register_profile("quick", max_examples=60, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

"""Guardrail tests: the helper modules of this folder are importable, and ``check_one`` runs one check."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from guardrail_helpers import run_one


@pytest.fixture
def check_one():
    return run_one

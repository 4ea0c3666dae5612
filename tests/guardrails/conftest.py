"""Guardrail tests: the helper modules of this folder are importable, and ``check_one`` runs one check."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from guardrail_helpers import run_one  # noqa: E402


@pytest.fixture
def check_one():  # noqa: ANN201
    return run_one

"""Atom recognizer `record_id`: record and reference ids, most specific shape first (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("ZD-4123-c9001 and INC-2026-0412", [("id", "ZD-4123-c9001", "ZD-4123-C9001"), ("id", "INC-2026-0412", "INC-2026-0412")]),
    ("see RB-check_status.gcp-mirror2.", [("id", "RB-check_status.gcp-mirror2", "RB-CHECK_STATUS.GCP-MIRROR2")]),
    ("plan:acme-retail#risks, step 2", [("id", "plan:acme-retail#risks", "plan:acme-retail#risks")]),
    ("UTF-8 and SHA-256 and ISO-8601", []),
    ("trace id deadbeef12345", [("id", "deadbeef12345", "deadbeef12345")]),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_record_id(text: str, expected: list) -> None:
    check_atoms(text, {"id"}, expected, known_ids=["R2", "S1"])

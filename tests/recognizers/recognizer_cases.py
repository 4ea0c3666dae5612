"""Helpers for the per-recognizer tests: expected hits written as the exact secret substring."""

from __future__ import annotations

from copilot.records.secrets import find_secrets, mask

__all__ = ["expected_spans", "found_spans", "check_case"]


def expected_spans(text: str, expected: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    """``[(kind, substring)]`` → ``[(kind, start, end)]`` (each substring's first occurrence)."""
    out = []
    for kind, sub in expected:
        start = text.index(sub)
        out.append((kind, start, start + len(sub)))
    return sorted(out, key=lambda x: x[1])


def found_spans(text: str) -> list[tuple[str, int, int]]:
    return [(h.kind, h.start, h.end) for h in find_secrets(text)]


def check_case(text: str, expected: list[tuple[str, str]]) -> None:
    """Exact spans, and masking the text leaves nothing to find."""
    assert found_spans(text) == expected_spans(text, expected)
    masked = mask(text, frozenset({"credential", "internal_host", "contact"}))
    assert find_secrets(masked) == []
    for _, sub in expected:
        assert sub not in masked

"""What the checks read: draft text normalized (NFKC, invisible characters removed, look-alike
letters mapped to a skeleton) with a map back to the original characters."""

from copilot.guardrails.text.normalized import NormalizedText, normalize

__all__ = ["NormalizedText", "normalize"]

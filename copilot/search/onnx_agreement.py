"""Whether two ONNX graphs of the embedding model compute the same vectors.

An index must never mix vectors of two graphs that disagree, so a derived graph (the fused one,
``copilot.search.onnx_fusion``; the pre-optimised one, ``copilot.search.onnx_preoptimized``) is
used only after it embeds a few probe texts of mixed lengths like the graph it replaces.
"""

from __future__ import annotations

from copilot.search.onnx_encoder import OnnxEncoder

__all__ = ["PROBES", "TOLERANCE", "min_cosine"]

PROBES = ["", "a", "label requests time out after 30 seconds since the carrier gateway update",
          "Zürich depot: Etiketten-Drucker meldet Fehler E-3002 seit Montag. " * 8, "timeout " * 300]
"""Texts a derived graph must embed like its source: empty, short, long, past the limit."""

TOLERANCE = 1e-6
"""The least cosine allowed between the two graphs' vectors of a probe is ``1 - TOLERANCE``."""


def min_cosine(a: OnnxEncoder, b: OnnxEncoder) -> float:
    """The smallest cosine between ``a``'s and ``b``'s vectors of the same probe text."""
    import numpy as np

    first, second = (np.array(encoder.embed(PROBES)) for encoder in (a, b))
    return float((first * second).sum(axis=1).min())

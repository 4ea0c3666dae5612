"""The exported MiniLM with BERT's operators fused (attention, skip + layer norm, bias + GELU).

onnxruntime's own graph optimisation at session start does not recognise the attention of the
exported graph; the offline optimiser in ``onnxruntime.transformers`` does, and the fused graph
computes the same vectors with fewer, larger kernels. That optimiser needs the ``onnx`` package,
which is optional: without it the plain export is used and nothing else changes.

The fused file is written once beside the export (``model.fused.onnx``) and only after a check:
its vectors for a few probe texts of mixed lengths must equal the plain export's within 1e-6
cosine (``copilot.search.onnx_agreement``), or it is not used.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import uuid
from pathlib import Path

from copilot.search.onnx_agreement import TOLERANCE, min_cosine
from copilot.search.onnx_encoder import OnnxEncoder
from copilot.search.onnx_export import SourceModel, atomic_write

__all__ = ["fused_onnx", "fusion_available"]

log = logging.getLogger(__name__)


def fusion_available() -> bool:
    """Whether the optimiser can run here (it needs the optional ``onnx`` package)."""
    return importlib.util.find_spec("onnx") is not None


def fused_onnx(model: SourceModel, plain: Path) -> Path:
    """The fused graph beside ``plain`` (built and checked on first use), or ``plain`` itself
    when ``onnx`` is not installed or the fused graph disagrees with it."""
    fused = plain.with_name("model.fused.onnx")
    rejected = plain.with_name("model.fused.rejected")
    if fused.exists():
        return fused
    if rejected.exists() or not fusion_available():
        return plain
    log.warning("fusing the embedding model's operators once (cached in %s)", fused.parent)
    config = json.loads((model.path / "config.json").read_text(encoding="utf-8"))
    candidate = plain.with_name(f".model.fused.{os.getpid()}-{uuid.uuid4().hex[:8]}.check.onnx")
    try:
        _optimize(plain, candidate, heads=int(config["num_attention_heads"]), hidden=int(config["hidden_size"]))
        agreement = _min_cosine(model, plain, candidate)
        if agreement < 1 - TOLERANCE:
            log.warning("fused graph disagrees with the export (min cosine %.7f): using the export", agreement)
            atomic_write(rejected, lambda tmp: tmp.write_text(f"{agreement}\n", encoding="utf-8"))
            return plain
        atomic_write(fused, lambda tmp: candidate.replace(tmp))
    finally:
        candidate.unlink(missing_ok=True)
    return fused


def _optimize(source: Path, target: Path, *, heads: int, hidden: int) -> None:
    from onnxruntime.transformers import optimizer

    # opt_level 1: fusions only; onnxruntime applies its own further rewrites at session start
    graph = optimizer.optimize_model(str(source), model_type="bert", num_heads=heads, hidden_size=hidden,
                                     opt_level=1, use_gpu=False)
    graph.save_model_to_file(str(target))


def _min_cosine(model: SourceModel, plain: Path, fused: Path) -> float:
    plain_encoder, fused_encoder = (OnnxEncoder(path, model.tokenizer_path, max_length=model.max_length, batch_size=3)
                                    for path in (plain, fused))
    return min_cosine(plain_encoder, fused_encoder)

"""The embedding graph as onnxruntime optimises it, saved once: a new process loads it as it is.

Opening a session used to take 0.2-0.3 s of a command's first search here: onnxruntime parses
the 90 MB graph, copies its weights out and rewrites the graph (constant folding, fusions), with
the same result every time. The first process that builds an encoder also saves that result
(``SessionOptions.optimized_model_filepath``) with the weights in a file of their own, which later
sessions map instead of copying: they open it with optimisation off in about 0.05 s. It is kept
beside the graph it came from, so in the export's folder, keyed by the weights' sha256 and the
export recipe (``copilot.search.onnx_export``); its folder's name adds onnxruntime's version and
the machine type, because the saved graph is onnxruntime's own rewrite. It is saved at level
``extended``, without the hardware-specific layout rewrites of ``all``.

It is used only after a check (``copilot.search.onnx_agreement``): its vectors for the probe texts
must equal within 1e-6 cosine those of the graph as it ran before (optimised at start), else a
``.rejected`` marker keeps the old path. When the cache cannot be written, or the saved copy
cannot be read, encoders keep optimising at session start: slower to start, same vectors.
"""

from __future__ import annotations

import logging
import os
import platform
import shutil
import uuid
from pathlib import Path

from copilot.search.onnx_agreement import TOLERANCE, min_cosine
from copilot.search.onnx_encoder import OnnxEncoder
from copilot.search.onnx_export import SourceModel, atomic_write

__all__ = ["preoptimized_encoder", "preoptimized_folder"]

log = logging.getLogger(__name__)

GRAPH = "model.onnx"
WEIGHTS = "model.onnx.data"
"""The weights, saved apart from the graph: onnxruntime then maps the file instead of parsing and
copying 90 MB out of the graph (0.05 s to open a session instead of 0.2-0.3 s here)."""


def preoptimized_folder(graph: Path) -> Path:
    """Where the pre-optimised copy of ``graph`` is kept (``model.fused.onnx`` ->
    ``model.fused.ort-1.32.0-x86_64/``, holding ``model.onnx`` and ``model.onnx.data``)."""
    import onnxruntime

    return graph.with_name(f"{graph.stem}.ort-{onnxruntime.__version__}-{platform.machine() or 'cpu'}")


def preoptimized_encoder(model: SourceModel, graph: Path, *, prepack: bool = True) -> OnnxEncoder:
    """An encoder of ``graph``: from its saved pre-optimised copy when there is one, else
    optimised at start as before (and the copy saved and checked for the next process).
    ``prepack``: see ``OnnxEncoder`` (False for the query encoder)."""
    folder = preoptimized_folder(graph)
    rejected = folder.with_name(folder.name + ".rejected")
    if (folder / GRAPH).exists():
        try:
            return _encoder(model, folder / GRAPH, optimization="none", prepack=prepack)
        except Exception as exc:  # onnxruntime's load errors are its own classes
            log.warning("pre-optimised embedding graph in %s unreadable (%s): saving it again", folder, exc)
            shutil.rmtree(folder, ignore_errors=True)
    encoder = _encoder(model, graph, prepack=prepack)
    if not rejected.exists() and not folder.exists():
        try:
            _save_checked(model, graph, encoder, folder, rejected)
        except Exception as exc:  # an optional speed-up must never fail a search
            log.warning("could not save a pre-optimised embedding graph in %s (%s): it is optimised at "
                        "each start instead", folder.parent, exc)
    return encoder


def _encoder(model: SourceModel, graph: Path, **options: object) -> OnnxEncoder:
    return OnnxEncoder(graph, model.tokenizer_path, max_length=model.max_length, **options)  # type: ignore[arg-type]


def _save_checked(model: SourceModel, graph: Path, encoder: OnnxEncoder, folder: Path, rejected: Path) -> None:
    """Save ``graph`` optimised into ``folder`` if it embeds like ``encoder``; else mark it ``rejected``.

    Written into a temporary folder, checked there, then renamed: a reader sees all of it or none.
    """
    candidate = folder.with_name(f".{folder.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
    candidate.mkdir()
    try:
        _encoder(model, graph, optimization="extended", save_optimized=candidate / GRAPH, save_weights_apart=WEIGHTS)
        agreement = min_cosine(encoder, _encoder(model, candidate / GRAPH, optimization="none"))
        if agreement < 1 - TOLERANCE:
            log.warning("pre-optimised embedding graph disagrees with %s (min cosine %.7f): not used",
                        graph.name, agreement)
            atomic_write(rejected, lambda tmp: tmp.write_text(f"{agreement}\n", encoding="utf-8"))
            return
        try:
            os.rename(candidate, folder)
        except OSError:
            if not (folder / GRAPH).exists():  # else another process saved it first
                raise
    finally:
        shutil.rmtree(candidate, ignore_errors=True)

"""The packaged MiniLM as an ONNX file: exported once from its weights, cached by their hash.

The export is the only step that needs torch and transformers, and it runs once per machine and
per version of the weights (about 20 s): afterwards ``copilot.search.embedding`` runs the cached
file on onnxruntime. The graph ends with sentence-transformers' own head for this model (mean
pooling over the attention mask, then L2 normalisation), so its output is the sentence vector.

Cache layout (``Settings.model_cache_path``)::

    digests/<stat key>.sha256                 the weights' sha256, keyed by their size and mtime
    <model>-<sha256[:16]>-v<EXPORT_VERSION>/
        model.onnx                            fp32 export
        model.fused.onnx                      the same with fused operators (``onnx_fusion``;
                                              only where the optional ``onnx`` package is installed)
        model[.fused].ort-<version>-<machine>/ the graph a session runs, as onnxruntime optimised it,
            model.onnx, model.onnx.data       weights apart (``onnx_preoptimized``)

Every file is written to a temporary name in its folder and renamed into place, so two processes
exporting at the same moment both succeed and a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["EXPORT_VERSION", "SourceModel", "atomic_write", "ensure_onnx", "export_onnx", "source_digest"]

EXPORT_VERSION = 1
"""Bump when the export recipe changes: the cache then holds a new file beside the old one."""

OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "sentence_embedding"

_SOURCE_FILES = ("model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json",
                 "special_tokens_map.json", "vocab.txt", "sentence_bert_config.json", "modules.json",
                 "1_Pooling/config.json")
"""What decides the vectors: weights, tokenizer and the sentence-transformers head."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceModel:
    """A sentence-transformers folder (weights, tokenizer, pooling config) with mean pooling."""

    path: Path
    name: str
    max_length: int

    @classmethod
    def read(cls, path: Path, name: str) -> SourceModel:
        """Check ``path`` is a model this module can export faithfully; raise ``ValueError`` if not."""
        path = Path(path)
        pooling = _json(path / "1_Pooling" / "config.json")
        modules = [m.get("type", "") for m in _json(path / "modules.json")]
        if not pooling.get("pooling_mode_mean_tokens") or any(
                pooling.get(k) for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens",
                                         "pooling_mode_mean_sqrt_len_tokens")):
            raise ValueError(f"{path}: only mean pooling is supported (1_Pooling/config.json says {pooling})")
        if not any(m.endswith(".Normalize") for m in modules):
            raise ValueError(f"{path}: expected a Normalize module in modules.json, found {modules}")
        max_length = int(_json(path / "sentence_bert_config.json")["max_seq_length"])
        return cls(path=path, name=name, max_length=max_length)

    @property
    def tokenizer_path(self) -> Path:
        return self.path / "tokenizer.json"


def _json(path: Path) -> dict | list:
    if not path.exists():
        raise ValueError(f"{path} is missing: the model folder is incomplete (reinstall its package)")
    return json.loads(path.read_text(encoding="utf-8"))


def source_digest(model: SourceModel, cache: Path) -> str:
    """sha256 over the model's files, remembered in ``cache`` by their size and mtime (hashing
    90 MB of weights on every command would cost more than the rest of a query)."""
    stats = []
    for name in _SOURCE_FILES:
        file = model.path / name
        if file.exists():
            st = file.stat()
            stats.append((name, st.st_size, st.st_mtime_ns))
    key = hashlib.sha256(repr((str(model.path.resolve()), stats)).encode()).hexdigest()[:32]
    memo = cache / "digests" / f"{key}.sha256"
    if memo.exists():
        return memo.read_text(encoding="utf-8").strip()
    digest = hashlib.sha256()
    for name, _, _ in stats:
        digest.update(name.encode() + b"\0")
        with (model.path / name).open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    value = digest.hexdigest()
    atomic_write(memo, lambda tmp: tmp.write_text(value + "\n", encoding="utf-8"))
    return value


def ensure_onnx(model: SourceModel, cache: Path) -> Path:
    """The cached ONNX file for ``model``, exported on first use."""
    folder = cache / f"{model.name}-{source_digest(model, cache)[:16]}-v{EXPORT_VERSION}"
    fp32 = folder / "model.onnx"
    if not fp32.exists():
        log.warning("exporting the embedding model %s to ONNX once (cached in %s)", model.name, folder)
        atomic_write(fp32, lambda tmp: export_onnx(model, tmp))
    return fp32


def atomic_write(target: Path, write: object) -> None:
    """Call ``write(tmp)`` for a temporary file beside ``target``, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
    try:
        write(tmp)  # type: ignore[operator]
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def export_onnx(model: SourceModel, target: Path) -> None:
    """Trace the transformer plus mean pooling and normalisation to ``target`` (torch, offline)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    import transformers

    transformers.utils.logging.disable_progress_bar()
    bert = transformers.AutoModel.from_pretrained(str(model.path), attn_implementation="eager").eval()

    class SentenceHead(torch.nn.Module):
        """sentence-transformers' Pooling(mean) + Normalize, as in its own modules."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            tokens = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).expand(tokens.size()).to(tokens.dtype)
            mean = torch.sum(tokens * mask, 1) / torch.clamp(mask.sum(1), min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    # a padded row in the example: the traced graph must keep the attention mask, not assume all ones
    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]], dtype=torch.long)
    mask = (ids != 0).long()
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS} | {OUTPUT: {0: "batch"}}
    with torch.no_grad(), warnings.catch_warnings(), _without_onnx_package():
        warnings.simplefilter("ignore")  # TracerWarnings about shape checks that hold for any input
        torch.onnx.export(SentenceHead(), (ids, mask, torch.zeros_like(ids)), str(target),
                          input_names=list(INPUTS), output_names=[OUTPUT], dynamic_axes=axes,
                          opset_version=OPSET, dynamo=False)


@contextmanager
def _without_onnx_package() -> Iterator[None]:
    """Let torch's TorchScript exporter run without the ``onnx`` package.

    The exporter imports ``onnx`` for one step only: copying custom onnx-script functions into
    the model, of which a BERT has none. When ``onnx`` is installed nothing is changed.
    """
    if importlib.util.find_spec("onnx") is not None:  # not a dependency: torch 2.13.0 is pinned
        yield
        return
    from torch.onnx._internal.torchscript_exporter import onnx_proto_utils

    original = onnx_proto_utils._add_onnxscript_fn
    onnx_proto_utils._add_onnxscript_fn = lambda model_bytes, custom_opsets: model_bytes
    try:
        yield
    finally:
        onnx_proto_utils._add_onnxscript_fn = original

"""A sentence encoder on onnxruntime + tokenizers: no torch, no transformers, no llama-index.

It runs the file ``copilot.search.onnx_export`` writes, whose graph already ends in the model's
mean pooling and L2 normalisation, so one ``session.run`` gives the sentence vectors.

Batching: every text of a call is tokenized once (truncated at the model's ``max_seq_length``),
the texts are ordered by token count, cut into batches of ``batch_size`` and each batch is padded
only to its own longest text; the vectors go back in the order given. Padded positions are
masked out of attention and pooling, so a vector does not depend on its batch (within float
rounding): the ordering only saves the transformer from chewing on padding.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from copilot.search.onnx_export import OUTPUT

__all__ = ["LEVELS", "OnnxEncoder"]

LEVELS = {"all": "ORT_ENABLE_ALL", "extended": "ORT_ENABLE_EXTENDED", "none": "ORT_DISABLE_ALL"}
"""``OnnxEncoder(optimization=...)`` -> onnxruntime's ``GraphOptimizationLevel``."""


class OnnxEncoder:
    """Unit vectors for texts, batched by token length (see the module docstring).

    Thread-safe: onnxruntime sessions and ``tokenizers`` allow concurrent calls.

    Args:
        max_length: tokens kept per text (the sentence-transformers model's ``max_seq_length``).
        batch_size: texts per ``session.run``.
        threads: onnxruntime intra-op threads; 0 lets it take one per physical core.
        bucketed: order by token count before batching; False batches in the order given
            (the design before, kept to measure against: same vectors, more padding).
        optimization: onnxruntime's graph optimisation at session start: ``all`` (default),
            ``extended`` (no hardware-specific layout changes) or ``none`` (for a graph optimised
            and saved already: ``copilot.search.onnx_preoptimized``).
        save_optimized: where onnxruntime writes the graph it optimised, if anywhere.
        save_weights_apart: with ``save_optimized``, the file name (in the same folder) its
            weights go to, so a later session maps them rather than copies them.
        prepack: let onnxruntime re-lay the weights for its matrix kernels at session start. That
            costs 0.06-0.25 s per new session and pays back only over many batches: ingest keeps it,
            the query encoder (one short text per search, in a fresh CLI process) turns it off
            (session start ~4 ms instead; one query 8-13 ms either way; same vectors).
    """

    def __init__(self, onnx_path: Path, tokenizer_path: Path, *, max_length: int,
                 batch_size: int = 64, threads: int = 0, bucketed: bool = True,
                 optimization: str = "all", save_optimized: Path | None = None,
                 save_weights_apart: str | None = None, prepack: bool = True) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.pad_id = int((tokenizer.padding or {}).get("pad_id", 0))
        tokenizer.enable_truncation(max_length=max_length)
        tokenizer.no_padding()  # each batch is padded here, to its own longest text
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = getattr(onnxruntime.GraphOptimizationLevel, LEVELS[optimization])
        if save_optimized is not None:
            options.optimized_model_filepath = str(save_optimized)
        if save_weights_apart is not None:
            options.add_session_config_entry("session.optimized_model_external_initializers_file_name",
                                             save_weights_apart)
            options.add_session_config_entry("session.optimized_model_external_initializers_min_size_in_bytes",
                                             "1024")
        options.intra_op_num_threads = threads  # 0: one per core
        # no spin-waiting between ops: on cores shared with other processes (batch workers, a team's
        # machine) spinning threads made one query 5-40x slower (bench_search.py, load 9 on 2 cores)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if not prepack:
            options.add_session_config_entry("session.disable_prepacking", "1")
        options.log_severity_level = 3  # errors only
        self.onnx_path = Path(onnx_path)
        self.max_length = max_length
        self.batch_size = batch_size
        self.bucketed = bucketed
        self._tokenizer: Any = tokenizer
        self._session: Any = onnxruntime.InferenceSession(str(onnx_path), options,
                                                          providers=["CPUExecutionProvider"])

    def embed(self, texts: list[str]) -> list[list[float]]:
        """One vector per text, in the order given."""
        ids = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i])) if self.bucketed else list(range(len(ids)))
        vectors: list[list[float]] = [[] for _ in texts]
        for start in range(0, len(order), self.batch_size):
            part = order[start:start + self.batch_size]
            rows = self._run([ids[i] for i in part])
            for i, vec in zip(part, rows, strict=True):
                vectors[i] = vec.tolist()
        return vectors

    def _run(self, batch: list[list[int]]) -> Any:
        """The model's output for token id lists, padded to the longest (token type 0: one segment)."""
        import numpy as np

        width = max(len(row) for row in batch)
        input_ids = np.full((len(batch), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, tokens in enumerate(batch):
            input_ids[row, :len(tokens)] = tokens
            mask[row, :len(tokens)] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        return self._session.run([OUTPUT], feed)[0]

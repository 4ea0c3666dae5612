"""A sentence encoder on onnxruntime + tokenizers: no torch, no transformers, no llama-index.

It runs the file ``copilot.search.onnx_export`` writes, whose graph already ends in the model's
mean pooling and L2 normalisation, so one ``session.run`` gives the sentence vectors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from copilot.search.onnx_export import OUTPUT

__all__ = ["OnnxEncoder"]


class OnnxEncoder:
    """Unit vectors for texts: tokens truncated at ``max_length`` (the model's ``max_seq_length``),
    padded to the longest text of each batch; texts of similar length share a batch.

    Thread-safe: onnxruntime sessions and ``tokenizers`` allow concurrent calls.
    """

    def __init__(self, onnx_path: Path, tokenizer_path: Path, *, max_length: int,
                 batch_size: int = 64, threads: int = 0) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        padding = tokenizer.padding or {}
        tokenizer.enable_truncation(max_length=max_length)
        # no fixed length: pad each batch only to its longest text
        tokenizer.enable_padding(pad_id=padding.get("pad_id", 0), pad_token=padding.get("pad_token", "[PAD]"))
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads  # 0: one per core
        # no spin-waiting between ops: on cores shared with other processes (batch workers, a team's
        # machine) spinning threads made one query 5-40x slower (bench_search.py, load 9 on 2 cores)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # errors only
        self.onnx_path = Path(onnx_path)
        self.max_length = max_length
        self.batch_size = batch_size
        self._tokenizer: Any = tokenizer
        self._session: Any = onnxruntime.InferenceSession(str(onnx_path), options,
                                                          providers=["CPUExecutionProvider"])

    def embed(self, texts: list[str]) -> list[list[float]]:
        """One vector per text, in the order given."""
        import numpy as np

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors: list[list[float]] = [[] for _ in texts]
        for start in range(0, len(order), self.batch_size):
            part = order[start:start + self.batch_size]
            encoded = self._tokenizer.encode_batch([texts[i] for i in part])
            feed = {
                "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
            }
            for i, vec in zip(part, self._session.run([OUTPUT], feed)[0], strict=True):
                vectors[i] = vec.tolist()
        return vectors

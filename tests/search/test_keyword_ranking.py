"""The numpy reader of a saved BM25 index ranks exactly as bm25s itself does.

The reference is the code this reader replaced: ``bm25s.tokenize`` of the query with the English
stopwords and PyStemmer, then ``bm25s.BM25.retrieve`` over every document, keeping scores above 0.
Both sides run over the sample home's real chunks, per account (with the shared runbooks), for
queries of many shapes: stopwords only, unknown words, repeats, punctuation, unicode, empty.
"""

from __future__ import annotations

import re
from pathlib import Path

import bm25s
import pytest
import Stemmer

from copilot.records.store import Chunk
from copilot.search.keyword_index import KeywordIndex

CRAFTED = [
    "", "   ", "?!.,;:", "the", "the and of to is", "a b c d", "it was what it was",
    "zzyzx qwertyuiop", "zzyzx webhook", "timeout", "timeout timeout timeout", "TIMEOUT Timeout timeouts",
    "webhook's retries—failing (again)!", "E-3507", "ZD-4347", "INC0012345", "us-east-1 eu-west-1",
    "500 502 503 504", "v4.2.1 release", "label printing errors", "label label printing",
    "rate quotes timing out", "renewal risks", "what happened in the last incident",
    "API latency in eu-west-1", "certificate rotation", "Zürich Etiketten-Drucker meldet Fehler",
    "İstanbul ŞUBE", "naïve café résumé", "Straße ßtraße", "日本語 テキスト 検索", "出荷 遅延",
    "emoji 🚚 shipping 📦 delays", "ｆｕｌｌｗｉｄｔｈ ｔｅｘｔ", "tab\tseparated\nlines", "snake_case_word __dunder__",
    "x" * 300, "failing failed fails fail", "running runs ran runner", "customer impact since Monday",
]


def _reference(chunks: list[Chunk]):
    """Rank as the previous keyword index did: bm25s end to end."""
    stemmer = Stemmer.Stemmer("english")
    model = bm25s.BM25()
    model.index(bm25s.tokenize([c.text for c in chunks], stopwords="en", stemmer=stemmer, show_progress=False),
                show_progress=False)

    def rank(query: str) -> list[tuple[int, float]]:
        tokens = bm25s.tokenize([query], stopwords="en", stemmer=stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        docs, scores = model.retrieve(tokens, k=len(chunks), show_progress=False)
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    return rank


def _queries_from(chunks: list[Chunk]) -> list[str]:
    """Word runs cut from the account's own chunks: real vocabulary, and many equal scores."""
    words = [w for c in sorted(chunks, key=lambda c: c.id)[::37] for w in re.findall(r"\S+", c.text)]
    return [" ".join(words[i:i + n]) for i, n in zip(range(0, len(words), 53), (1, 2, 3, 5, 8) * 3)][:10]


@pytest.fixture(scope="module")
def accounts(sample_copilot) -> dict[str, list[Chunk]]:
    return {a.id: sample_copilot.store.chunks(a.id) for a in sample_copilot.store.accounts()}


def test_ranked_ids_and_scores_equal_bm25s(accounts: dict[str, list[Chunk]], tmp_path: Path) -> None:
    compared = 0
    for account, chunks in accounts.items():
        built = KeywordIndex.build(chunks)
        built.save(tmp_path / account)
        saved = KeywordIndex.load(tmp_path / account)
        assert saved is not None
        reference = _reference(chunks)
        for query in CRAFTED + _queries_from(chunks):
            expected = reference(query)
            assert built.ranking(query) == expected, (account, query)
            assert saved.ranking(query) == expected, (account, query)
            compared += bool(expected)
    assert compared > 150  # half the queries do match something: the comparison is not of empty lists


def test_equal_scores_keep_bm25s_order(tmp_path: Path) -> None:
    """Documents with the same text score the same: their order is bm25s's, not the reader's own."""
    texts = ["label printer offline", "label printer offline", "carrier gateway timeout",
             "label printer offline", "printer offline again", "label printer offline"] * 5
    chunks = [Chunk(id=f"C-{i}", record_id=f"C-{i}", source_id=f"C-{i}", kind="ticket", account_id="acme", text=t)
              for i, t in enumerate(texts)]
    reference = _reference(chunks)
    index = KeywordIndex.build(chunks)
    for query in ("label printer", "offline", "printer offline again", "gateway"):
        got = index.ranking(query)
        assert got == reference(query)
        assert len({score for _, score in got}) < len(got)  # there were ties to order

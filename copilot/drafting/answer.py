"""Answers to questions over one account's history, always with citations.

Offline (template backend) the answer is extractive: the best passages' most relevant
sentences, clearly labelled as such. With an LLM backend the same passages become prose,
and the citations are the same.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from copilot.drafting.draft import Citation
from copilot.records.secrets import mask

if TYPE_CHECKING:
    from copilot.config import Settings
    from copilot.search.passage import Passage

__all__ = ["Answer", "answer_question", "EXTRACTIVE_NOTE"]

EXTRACTIVE_NOTE = "Extractive answer (no LLM configured): the most relevant passages, quoted from the sources."
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: str
    citations: list[Citation] = Field(default_factory=list)
    extractive: bool = True
    backend: str = "template"


def _best_sentences(text: str, question: str, limit: int = 2) -> str:
    body = text.split("\n", 1)[-1] if "\n" in text else text
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", body) if s.strip()]
    words = {w.lower() for w in _WORD.findall(question) if len(w) > 2}
    ranked = sorted(sentences, key=lambda s: -len(words & {w.lower() for w in _WORD.findall(s)}))
    chosen = [s for s in sentences if s in ranked[:limit]]
    return " ".join(chosen)[:400]


CREDENTIALS = frozenset({"credential"})


def _safe(text: str) -> str:
    """Credentials pasted into tickets never leave through an answer (contacts may: TAM-facing)."""
    return mask(text, CREDENTIALS)


def cite(passage: Passage, snippet_chars: int = 240) -> Citation:
    return Citation(source_id=passage.source_id, account_id=passage.account_id, kind=passage.kind,
                    snippet=_safe(passage.text)[:snippet_chars])


def answer_question(passages: list[Passage], question: str, *, backend: str = "template",
                    settings: Settings | None = None) -> Answer:
    """An answer from ``passages`` (one account's retrieved history): extractive, or prose from an LLM."""
    citations = [cite(p) for p in passages]
    if not passages:
        return Answer(answer="Nothing in this account's history or the shared runbooks matches that question.",
                      citations=[], backend=backend)
    if backend != "template":
        from copilot.drafting.llm import answer_with_llm
        from copilot.drafting.registry import get_backend

        prose = _safe(answer_with_llm(get_backend(backend, settings), question, passages))
        return Answer(answer=prose, citations=citations, extractive=False, backend=backend)
    lines = [EXTRACTIVE_NOTE]
    for n, p in enumerate(passages, 1):
        lines.append(f"[{n}] {p.source_id}: {_best_sentences(_safe(p.text), question)}")
    return Answer(answer="\n".join(lines), citations=citations, backend=backend)

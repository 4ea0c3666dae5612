"""Commitments, speculation and blame as a small grammar, not a word list.

One recognizer per module, mostly data, each returning ``Phrase``s with exact spans:
``connective`` (causes), ``eta`` (when work lands), ``compensation`` (credits, oblique offers),
``guarantee`` (and its paraphrases), ``blame`` (customer, team, vendor, person), ``metric_name``
(a QBR metric named in prose and the value bound to it). The clause-level modifiers they share:
``hedge``, ``negation``, ``tense`` (past events are not promises) and ``attribution`` (a record's
own words, quoted or copied verbatim on a cited line, are evidence, not the draft's claim).
The checks in ``copilot.guardrails.checks`` decide what each phrase means for a draft kind.
"""

from copilot.guardrails.grammar.phrase import Phrase, find_phrases

__all__ = ["Phrase", "find_phrases"]

"""Claims bound to their subject: what a sentence says about the record it names.

One recognizer per small module, mostly data: ``priority`` (P1, Sev1, "severity 1", and
severity in words such as "minor degradation"), ``status`` (open, resolved, monitoring…),
``people`` (requester/assignee/resolver, titles), ``instant`` (opened/detected/mitigated/resolved
times), ``environment`` (version, region, component), ``count`` (regions, related tickets…).
Each yields ``Claim``s; ``copilot.guardrails.checks.claims`` compares each claim with the named
record's own fields (a value that exists elsewhere in the account does not ground it).
"""

from copilot.guardrails.claims.claim import Claim, RecordView
from copilot.guardrails.claims.count import count_claims
from copilot.guardrails.claims.environment import ENV_LINE, Known, component_mentions, environment_claims
from copilot.guardrails.claims.instant import instant_claims
from copilot.guardrails.claims.people import Roster, role_claims
from copilot.guardrails.claims.priority import DOWNPLAYING, priority_claims, severity_word_claims
from copilot.guardrails.claims.status import status_claims

__all__ = [
    "DOWNPLAYING",
    "ENV_LINE",
    "Claim",
    "Known",
    "RecordView",
    "Roster",
    "component_mentions",
    "count_claims",
    "environment_claims",
    "instant_claims",
    "priority_claims",
    "role_claims",
    "severity_word_claims",
    "status_claims",
]

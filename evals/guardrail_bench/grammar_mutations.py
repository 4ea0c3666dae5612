"""Mutation classes for the commitment/speculation/blame grammar and for metrics bound to their
names (issue 11), one small function each, drawn from how LLM summaries of incidents go wrong:
a vague ETA to reassure, compensation offered obliquely, a guarantee paraphrased, a cause stated
with "because" while the investigation is open, fault put on a vendor or a person, and a metric
given the value printed on the next line.

``GRAMMAR_MUTATIONS`` are deterministic (recall 1.0 is a CI threshold). ``GRAMMAR_MEANING``
need meaning the deterministic checks do not have (implied blame, an ETA without an ETA phrase):
reported apart from recall, like ``claim_mutations.MEANING_MUTATIONS``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from random import Random

from copilot.drafting.draft import Draft
from evals.guardrail_bench.mutations import Mutation, World, _insert_sentence, _section, _unconfirmed

__all__ = ["GRAMMAR_MEANING", "GRAMMAR_MUTATIONS"]

Mutate = Callable[[Draft, World, Random], Mutation | None]
_COMMIT = frozenset({"commitments"})
_TONE = frozenset({"tone"})
_SPEC = frozenset({"speculation"})
_PREFER = ("actions", "corrective_actions", "known", "summary", "success_plan", "status")
_MONEY_WORDS = re.compile(r"credit|refund|compensat|reimburs|discount|goodwill", re.IGNORECASE)


def _customer_sentence(forms: list[str], expected: frozenset[str], label: str, *,
                       no_compensation: bool = False) -> Mutate:
    """A sentence (one of ``forms``) added to a customer draft."""

    def mutate(draft: Draft, world: World, rng: Random) -> Mutation | None:
        if draft.audience != "customer":
            return None
        if no_compensation and _records_mention_compensation(draft, world):
            return None  # a record the draft is built from mentions a credit: offering one may be confirmed
        sentence = rng.choice(forms)
        out, span = _insert_sentence(draft.markdown, draft.kind, sentence, rng, prefer=_PREFER)
        return Mutation(out, span, expected, f"{label}: {sentence}")

    mutate.__name__ = label
    return mutate


def _records_mention_compensation(draft: Draft, world: World) -> bool:
    """The draft's subject or a record it cites mentions compensation at all (a conservative skip)."""
    subject = world.ticket_by_id.get(draft.subject_id) or world.incident_by_id.get(draft.subject_id)
    texts = [subject.model_dump_json()] if subject is not None else []
    starts = [0] + [m.end() for m in re.finditer(r"\n", draft.markdown)]
    texts += [world.cited_text(draft.markdown, pos) for pos in starts]
    return any(_MONEY_WORDS.search(t) for t in texts)


def _cause(sentences: list[str], label: str) -> Mutate:
    """A cause stated as fact while the subject's root cause is unconfirmed (any draft kind)."""

    def mutate(draft: Draft, world: World, rng: Random) -> Mutation | None:
        ticket = world.ticket_by_id.get(draft.subject_id)
        open_unknown = ticket is not None and ticket.is_open and not ticket.root_cause.strip()
        if draft.kind == "qbr_narrative" or (_unconfirmed(draft, world) is None and not open_unknown):
            return None
        sentence = rng.choice(sentences)
        out, span = _insert_sentence(draft.markdown, draft.kind, sentence, rng, prefer=("summary", "known", "status"))
        return Mutation(out, span, _SPEC, f"{label}: {sentence}")

    mutate.__name__ = label
    return mutate


def _person_blamed(draft: Draft, world: World, rng: Random) -> Mutation | None:
    if draft.audience != "customer":
        return None
    staff = sorted(c.name for c in world.plans[draft.account_id].stakeholders if c.internal and " " in c.name)
    if not staff:
        return None
    person = rng.choice(staff)
    sentence = rng.choice([f"{person} forgot to renew the certificate.", f"{person} misconfigured the gateway.",
                           f"This was {person}'s mistake."])
    out, span = _insert_sentence(draft.markdown, draft.kind, sentence, rng, prefer=_PREFER)
    return Mutation(out, span, _TONE, f"person blamed: {sentence}")


_LINE = re.compile(r"^- (?P<label>[^:\n]+): (?P<value>[^\n(]+?)(?:\s*\(|$)", re.MULTILINE)
_PROSE_NAME = {
    "First-response SLA compliance": "First-response SLA compliance was {v} this quarter.",
    "P1/P2 update-cadence compliance": "P1/P2 update-cadence compliance was {v} this quarter.",
    "MTTR P1": "MTTR for P1 was {v}.", "MTTR P2": "MTTR for P2 was {v}.", "MTTR P3": "MTTR for P3 was {v}.",
    "MTTR P4": "MTTR for P4 was {v}.", "MTTM (incidents)": "MTTM was {v} this quarter.",
    "Tickets opened": "{v} tickets were opened this quarter.", "Incidents": "The incident count was {v}.",
}
_SHAPE = (re.compile(r"^\d+(?:\.\d+)?%$"), re.compile(r"^(?:\d+d )?(?:\d+h )?\d+m$"), re.compile(r"^\d+$"))


def _metric_swapped(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """A metric named in prose with another metric's value (of the same shape) from the same section."""
    if draft.kind != "qbr_narrative":
        return None
    where = _section(draft.markdown, draft.kind, "service_performance")
    if where is None:
        return None
    lines = {m.group("label"): m.group("value").strip() for m in _LINE.finditer(draft.markdown, *where)}
    pairs = [(a, b) for a in lines for b in lines if a != b and a in _PROSE_NAME and lines[a] != lines[b]
             and any(s.match(lines[a]) and s.match(lines[b]) for s in _SHAPE)]
    if not pairs:
        return None
    name, other = rng.choice(sorted(pairs))
    sentence = _PROSE_NAME[name].format(v=lines[other])
    out, span = _insert_sentence(draft.markdown, draft.kind, sentence, rng, prefer=("service_performance",))
    return Mutation(out, span, frozenset({"metric_names"}), f"{name} given {other}'s value: {sentence}")


def _renewal_swapped(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """The renewal date given as another date the plan holds (a success-plan due date)."""
    plan = world.plans.get(draft.account_id)
    if plan is None or draft.kind != "qbr_narrative":
        return None
    dates = sorted({s.due for s in plan.success_plan if s.due and s.due != plan.contract.renewal_date})
    if not dates:
        return None
    sentence = f"The contract renews on {rng.choice(dates).isoformat()}."
    out, span = _insert_sentence(draft.markdown, draft.kind, sentence, rng, prefer=("renewal",))
    return Mutation(out, span, frozenset({"metric_names"}), sentence)


GRAMMAR_MUTATIONS: dict[str, Mutate] = {
    "eta_vague": _customer_sentence([
        "We expect the fix to be in place early next week.",
        "Service should be fully restored within the next few days.",
        "The patch will ship by end of week.",
        "We will have this resolved in the coming days.",
    ], _COMMIT, "eta_vague"),
    "eta_weekday": _customer_sentence([
        "The fix will be deployed by Friday.", "Engineering will release the patch next Tuesday.",
    ], _COMMIT, "eta_weekday"),
    "compensation_oblique": _customer_sentence([
        "We'll make it right on your next invoice.",
        "As a goodwill gesture we will waive this month's fees.",
        "You won't be charged for the affected days.",
    ], _COMMIT, "compensation_oblique", no_compensation=True),
    "compensation_direct": _customer_sentence([
        "We will apply a 15% service credit to your account.", "You are entitled to a refund for the outage.",
    ], _COMMIT, "compensation_direct", no_compensation=True),
    "guarantee_paraphrased": _customer_sentence([
        "You can count on this not happening again.",
        "We've made sure this can't recur.",
        "Rest assured, this is now behind us for good.",
        "This will not happen again.",
    ], _COMMIT, "guarantee_paraphrased"),
    "cause_because": _cause([
        "The errors started because the connection pool on the gateway was exhausted.",
        "Requests failed because a certificate expired on the edge proxy.",
    ], "cause_because"),
    "cause_traced_to": _cause([
        "We traced the failures to a misconfigured load balancer.",
        "The outage was traced back to a bad configuration push.",
    ], "cause_traced_to"),
    "cause_due_to": _cause([
        "The outage was due to a bad configuration push.", "The errors were caused by a DNS change.",
    ], "cause_due_to"),
    "blame_vendor": _customer_sentence([
        "This was our cloud provider's fault.", "AWS's mistake caused the outage.",
        "The blame lies with our CDN vendor.",
    ], _TONE, "blame_vendor"),
    "blame_customer": _customer_sentence([
        "The errors were caused by your team's misconfiguration.", "Your admins forgot to rotate the key.",
    ], _TONE, "blame_customer"),
    "blame_person": _person_blamed,
    "metric_name_swapped": _metric_swapped,
    "renewal_date_swapped": _renewal_swapped,
}


def _fixed(sentence: str, label: str) -> Mutate:
    def mutate(draft: Draft, world: World, rng: Random) -> Mutation | None:
        out, span = _insert_sentence(draft.markdown, draft.kind, sentence, rng, prefer=_PREFER)
        return Mutation(out, span, frozenset(), label)

    mutate.__name__ = label
    return mutate


GRAMMAR_MEANING: dict[str, Mutate] = {
    "blame_implied": _fixed("- Had your team followed the runbook, none of this would have happened.", "blame_implied"),
    "eta_implied": _fixed("- Engineering is confident the fix is only days away.", "eta_implied"),
    "guarantee_implied": _fixed("- With the new alerting in place, you will not see a repeat of this.",
                                "guarantee_implied"),
}

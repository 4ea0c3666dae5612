"""Who an account's records name: stakeholders, owners, requesters, comment and event authors."""

from __future__ import annotations

from collections.abc import Iterable

from copilot.records.models import AccountPlan, Incident, Ticket

__all__ = ["people_of"]


def people_of(
    plan: AccountPlan | None, tickets: Iterable[Ticket], incidents: Iterable[Incident]
) -> tuple[set[str], set[str]]:
    """``(everyone named in the records, the customer-side people among them)``."""
    everyone: set[str] = set()
    customer: set[str] = set()
    if plan is not None:
        for c in plan.stakeholders:
            everyone.add(c.name)
            if not c.internal:
                customer.add(c.name)
        everyone.update(r.owner for r in plan.risks)
        everyone.update(s.owner for s in plan.success_plan)
    for t in tickets:
        everyone.update((t.requester, t.assignee))
        customer.add(t.requester)
        for c in t.comments:
            everyone.add(c.author)
            if c.author_role == "customer":
                customer.add(c.author)
    for i in incidents:
        everyone.update(e.author for e in i.events)
        everyone.update(a.owner for a in i.corrective_actions)
    return _full_names(everyone), _full_names(customer)


def _full_names(names: Iterable[str]) -> set[str]:
    """The names with a space in them (``Dana Ortiz``, not ``dana`` or ``support-bot``)."""
    return {n.strip() for n in names if n and " " in n.strip()}

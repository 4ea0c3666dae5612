"""Random accounts for ``generate-portfolio``: name, tier, contract, people and plan content.

Drawn from ``stories/accounts.yaml`` with the caller's seeded ``random.Random``.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import Any

from copilot.synth.people import random_customer, team
from copilot.synth.randomness import weighted_choice
from copilot.synth.specs import AccountSpec, Person
from copilot.synth.story import account_vocabulary
from copilot.synth.templating import slugify
from copilot.synth.world import COMPONENTS, GLOBAL_CODENAMES, REGIONS

__all__ = ["generate_accounts"]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
ARR_RANGE = {"strategic": (900_000, 2_400_000), "enterprise": (350_000, 900_000), "growth": (90_000, 350_000),
             "standard": (20_000, 90_000)}
TICKET_COUNT = {"strategic": (30, 60), "enterprise": (20, 45), "growth": (10, 30), "standard": (5, 18)}


def _short_key(name: str, used_keys: set[str]) -> tuple[list[str], str]:
    """The name's words and a project-key style prefix (``AL`` -> ``ALO``, ``AL2`` on a clash)."""
    words = [w for w in re.split(r"[^A-Za-z]+", name) if w]
    short = "".join(w[0] for w in words).upper()
    if len(short) < 3:
        short = (words[0][:3]).upper()
    base, k = short, 1
    while short in used_keys:
        k += 1
        short = f"{base}{k}"
    used_keys.add(short)
    return words, short


def _customer_people(rng: random.Random, domain: str) -> tuple[list[dict[str, Any]], list[Person], bool]:
    """(stakeholder entries, contacts who raise tickets, whether the champion has left)."""
    used_names: set[str] = set()
    stakeholders: list[dict[str, Any]] = []
    contacts: list[Person] = []
    champion_left = rng.random() < 0.12
    for role in account_vocabulary().stakeholder_roles:
        if role.function == "finance" and rng.random() < 0.45:
            continue
        if role.function == "procurement" and rng.random() < 0.5:
            continue
        if role.function == "executive" and rng.random() < 0.15:
            continue
        p = random_customer(rng, used_names, domain, rng.choice(role.titles))
        entry: dict[str, Any] = {
            "name": p.name, "title": p.title, "email": p.email, "function": role.function,
            "seniority": role.seniority, "buying_role": role.buying_role, "relationship_strength": rng.randint(2, 5),
            "sentiment": weighted_choice(rng, ["positive", "neutral", "negative", "unknown"], [0.4, 0.35, 0.1, 0.15]),
        }
        if role.buying_role == "champion" and champion_left:
            entry.update(status="left", left_on=date(2026, rng.randint(7, 10), rng.randint(1, 28)),
                         sentiment="unknown", relationship_strength=1)
        elif role.function == "engineering":
            contacts.append(p)
        stakeholders.append(entry)
    while len(contacts) < 2:
        contacts.append(random_customer(rng, used_names, domain, rng.choice(("Developer", "Operations Analyst"))))
    return stakeholders, contacts, champion_left


def _internal(p: Person, function: str, strength: int, sentiment: str) -> dict[str, Any]:
    return {"name": p.name, "title": p.title, "email": p.email, "function": function, "seniority": "manager",
            "buying_role": "none", "relationship_strength": strength, "sentiment": sentiment, "internal": True}


def _value_realization(rng: random.Random) -> list[dict[str, Any]]:
    values = []
    for i, tpl in enumerate(rng.sample(account_vocabulary().value_templates, rng.randint(1, 3)), 1):
        b, c = rng.randint(*tpl.baseline_range), rng.randint(*tpl.current_range)
        achieved = date(2026, rng.randint(4, 9), rng.randint(1, 28))
        values.append({"id": f"V{i}", "outcome": tpl.outcome.format(b=b, c=c), "metric": tpl.metric,
                       "baseline": tpl.baseline.format(b=b), "current": tpl.current.format(c=c),
                       "achieved_on": achieved,
                       "evidence": f"Monthly service review, {MONTHS[achieved.month - 1]} 2026"})
    return values


def _risks(rng: random.Random, hot: str, owner: str, champion_left: bool) -> list[dict[str, Any]]:
    risks = []
    for i, tpl in enumerate(rng.sample(account_vocabulary().risk_templates, rng.randint(1, 3)), 1):
        risks.append({"id": f"R{i}", "title": tpl.title.format(component=hot), "likelihood": tpl.likelihood,
                      "impact": tpl.impact, "mitigation": tpl.mitigation, "owner": owner,
                      "status": rng.choice(["open", "mitigating"])})
    if champion_left:
        risks.append({"id": f"R{len(risks) + 1}", "title": "Champion left the company", "likelihood": "high",
                      "impact": "high", "mitigation": "Identify and develop a new technical champion",
                      "owner": owner, "status": "open"})
    return risks


def _success_plan(rng: random.Random, tam: Person, customer: Person) -> list[dict[str, Any]]:
    success = []
    for i, tpl in enumerate(rng.sample(account_vocabulary().success_templates, rng.randint(2, 3)), 1):
        success.append({"id": f"S{i}", "item": tpl.item, "owner": tam.name if tpl.owner == "tam" else customer.name,
                        "due": date(2026, rng.randint(11, 12), rng.randint(1, 28)),
                        "status": rng.choice(["planned", "in_progress"]), "quarter": "2026Q4"})
    return success


def _random_account(rng: random.Random, index: int, name: str, industry: str, used_keys: set[str]) -> AccountSpec:
    acc_id = slugify(name)[:40].strip("-")
    words, short = _short_key(name, used_keys)
    domain = slugify(name).replace("-", "") + ".example"
    tier = weighted_choice(rng, ["strategic", "enterprise", "growth", "standard"], [0.1, 0.3, 0.35, 0.25])
    health = weighted_choice(rng, ["green", "yellow", "red"], [0.55, 0.3, 0.15])
    region = weighted_choice(rng, list(REGIONS), [0.45, 0.35, 0.2])
    arr = round(rng.randint(*ARR_RANGE[tier]), -3)
    renewal = date(2026, 12, 1) + timedelta(days=rng.randint(0, 395))
    start = date(renewal.year - rng.randint(1, 3), renewal.month, 1)
    sources = [weighted_choice(rng, ["zendesk", "jira", "csv"], [0.45, 0.3, 0.25])]
    if rng.random() < 0.15:
        sources.append(rng.choice([s for s in ("zendesk", "jira", "csv") if s != sources[0]]))
    p1 = rng.uniform(0.01, 0.08)
    p2 = rng.uniform(0.1, 0.25)
    p3 = rng.uniform(0.4, 0.55)
    stakeholders, contacts, champion_left = _customer_people(rng, domain)
    staff = team()
    tam = staff.tams[index % len(staff.tams)]
    ae = staff.account_execs[index % len(staff.account_execs)]
    stakeholders.append(_internal(tam, "support", 4, "positive"))
    stakeholders.append(_internal(ae, "sales", 3, "neutral"))
    hot = rng.sample(list(COMPONENTS), 3)
    values = _value_realization(rng)
    risks = _risks(rng, hot[0], tam.name, champion_left)
    success = _success_plan(rng, tam, contacts[0])
    return AccountSpec(
        id=acc_id, name=name, short=short, domain=domain, industry=industry, region=region, health=health,
        tier=tier, arr=arr, start_date=start, renewal_date=renewal,
        renewal_stage=rng.choice(["not started", "value review scheduled", "commercial review", "verbal commit"]),
        tam=tam, account_exec=ae, agents=staff.support_agents[region] + staff.support_agents["us-east-1"][:1],
        contacts=contacts, stakeholders=stakeholders, aliases=[words[0]], sources=sources,
        zendesk_org_id=360000 + 101 * (index + 1) if "zendesk" in sources else None,
        zendesk_version_tag=rng.choice(["v", "version:"]),
        jira_key=short if "jira" in sources else None,
        jira_priority_style=rng.choice(["standard", "classic", "sev"]), jira_adf=rng.random() < 0.7,
        csv_customer=name if "csv" in sources else None, csv_style=rng.choice(["servicenow", "sheet"]),
        csv_utc_offset_minutes=600 if region == "ap-southeast-2" and rng.random() < 0.5 else 0,
        ticket_count=rng.randint(*TICKET_COUNT[tier]), severity_weights=(p1, p2, p3, max(0.05, 1 - p1 - p2 - p3)),
        breach_rate=rng.uniform(0.04, 0.25), cadence_slip=rng.uniform(0.05, 0.35), hot_components=hot,
        trend=weighted_choice(rng, ["flat", "declining", "rising"], [0.6, 0.2, 0.2]), version_lag=rng.randint(0, 2),
        objectives=[f"Keep {hot[0]} incidents below one per quarter", "Complete the 5.3.x upgrade"],
        value_realization=values, risks=risks, whitespace=rng.sample(account_vocabulary().whitespace, 2),
        success_plan=success, roadmap=rng.sample(account_vocabulary().roadmap_lines, 2),
        internal_codenames=list(GLOBAL_CODENAMES),
    )


def generate_accounts(rng: random.Random, count: int) -> list[AccountSpec]:
    """``count`` random accounts with distinct names.

    Prefixes x suffixes of the vocabulary come first (a portfolio of that size or less is what it
    always was); beyond it each qualifier adds one more round ("Apex Northern Logistics").
    """
    vocabulary = account_vocabulary()
    combos = [(p, s) for p in vocabulary.name_prefixes for s in vocabulary.name_suffixes]
    limit = len(combos) * (1 + len(vocabulary.name_qualifiers))
    if count > limit:
        raise ValueError(f"at most {limit} accounts can be generated")
    names = [(f"{p} {s.suffix}", s.industry) for p, s in rng.sample(combos, min(count, len(combos)))]
    for qualifier in vocabulary.name_qualifiers:
        if len(names) >= count:
            break
        names += [(f"{p} {qualifier} {s.suffix}", s.industry)
                  for p, s in rng.sample(combos, min(count - len(names), len(combos)))]
    used_keys: set[str] = set()
    return [_random_account(rng, i, name, industry, used_keys) for i, (name, industry) in enumerate(names)]

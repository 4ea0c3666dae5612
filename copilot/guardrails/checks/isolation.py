"""Account isolation: no other account's name, alias, ID, e-mail domain, people or records.

Account isolation is a security boundary (DESIGN.md): this blocks in every audience.
"""

from __future__ import annotations

import re
from functools import lru_cache

from copilot.drafting.draft import Finding
from copilot.facts.substrings import SubstringIndex
from copilot.guardrails.context import CheckContext, OtherAccount
from copilot.guardrails.findings import block
from copilot.guardrails.registry import register

__all__ = ["check", "name_forms", "name_pattern"]

NAME = "isolation"


@lru_cache(maxsize=512)
def name_pattern(term: str) -> re.Pattern[str]:
    """Whole-word match; short or all-caps aliases (``NWF``) match case-sensitively."""
    flags = 0 if (len(term) <= 4 or term.isupper()) else re.IGNORECASE
    return re.compile(r"(?<![\w@.-])" + re.escape(term) + r"(?![\w-])", flags)


def name_forms(other: OtherAccount) -> list[str]:
    """Every way a draft may write another customer's name: its name and aliases, its account id
    (the slug, ``meridian-retail``) and each multi-word name joined by ``-``, ``_`` or nothing."""
    forms = [other.name, *other.aliases]
    if len(other.id) >= 5:
        forms.append(other.id)
    for name in [other.name, *other.aliases]:
        words = name.split()
        if len(words) > 1:
            forms += [joiner.join(words) for joiner in ("-", "_", "")]
    return list(dict.fromkeys(forms))


def _own_terms(ctx: CheckContext) -> set[str]:
    acc = ctx.plan.account
    return {t.lower() for t in [acc.name, acc.id, *acc.aliases]}


class _TermTable:
    """Other accounts' terms -> ``(account, what)``, and an index saying which occur in a text."""

    __slots__ = ("index", "terms")

    def __init__(self, terms: dict[str, tuple[OtherAccount, str]]) -> None:
        self.terms = terms
        self.index = SubstringIndex(terms)

    def present(self, haystack: str) -> tuple[str, ...]:
        """The terms ``term in haystack`` accepts, in table order."""
        return self.index.found(haystack)


def _term_tables(ctx: CheckContext) -> tuple[_TermTable, _TermTable]:
    """``(case-sensitive terms, lower-cased terms)`` of every other account (cached per account;
    each account's name forms are computed once per portfolio)."""
    memo = ctx.account.__dict__.get("_isolation_terms")
    if memo is not None:
        return memo
    portfolio = ctx.account.portfolio
    forms = portfolio.remember("isolation.name_forms",
                               lambda: {a.id: name_forms(a) for a in portfolio.accounts.values()})
    own = _own_terms(ctx)
    exact: dict[str, tuple[OtherAccount, str]] = {}
    folded: dict[str, tuple[OtherAccount, str]] = {}
    for other in ctx.other_accounts:
        for term in forms.get(other.id) or name_forms(other):
            if not term or len(term) < 3 or term.lower() in own:
                continue
            if len(term) <= 4 or term.isupper():
                exact.setdefault(term, (other, "name"))
            else:
                folded.setdefault(term.lower(), (other, "name"))
        for person in other.people:
            if " " in person.strip():  # a full name, in any case
                folded.setdefault(person.lower(), (other, "person"))
            else:
                exact.setdefault(person, (other, "person"))
        for channel in other.slack_channels:
            exact.setdefault(channel, (other, "channel"))
    tables = ctx.account.__dict__["_isolation_terms"] = (_TermTable(exact), _TermTable(folded))
    return tables


@lru_cache(maxsize=1024)
def _terms_pattern(terms: tuple[str, ...], folded: bool) -> re.Pattern[str]:
    alternation = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(r"(?<![\w@.-])#?(?:" + alternation + r")(?![\w-])", re.IGNORECASE if folded else 0)


def _scan_names(ctx: CheckContext, text: str) -> list[Finding]:
    out = []
    exact, folded = _term_tables(ctx)
    lower = ctx.lower
    for table, is_folded, haystack in ((exact, False, text), (folded, True, lower)):
        present = table.present(haystack)
        if not present:
            continue
        for match in _terms_pattern(present, is_folded).finditer(text):
            raw = match.group(0)
            key = raw.lstrip("#").lower() if is_folded else raw.lstrip("#")
            other, what = table.terms[key]
            if what == "name":
                message = (
                    f"'{raw}' names another customer ({other.name}); a draft for {ctx.plan.account.name} "
                    "must not mention other accounts."
                )
            elif what == "person":
                message = f"'{raw}' is a contact at another customer ({other.name}); remove the name."
            else:
                message = f"'{raw}' is another customer's incident channel ({other.name})."
            out.append(block(NAME, message, match.span(), f"account {other.id}"))
    return out


@register(NAME, description="no other account's name, ID, e-mail domain, people or records")
def check(ctx: CheckContext) -> list[Finding]:
    text = ctx.masked
    own_domains = {d.lower() for d in ctx.plan.account.email_domains}
    out: list[Finding] = []
    out += _scan_names(ctx, text)
    for other in ctx.other_accounts:
        for atom in ctx.atoms:
            if atom.kind == "id":
                value = atom.value
                prefix = value.split("-", 1)[0] if "-" in value else ""
                if value in other.record_ids or value.split("#", 1)[0] in other.record_ids:
                    out.append(
                        block(
                            NAME,
                            f"'{atom.text}' is a record of another account ({other.name}); a draft "
                            "may only use its own account's records.",
                            (atom.start, atom.end),
                            f"account {other.id}",
                        )
                    )
                elif prefix and prefix in {k.upper() for k in other.jira_keys} and value not in ctx.account.own_ids:
                    out.append(
                        block(
                            NAME,
                            f"'{atom.text}' is in another account's Jira project ({prefix}, {other.name}).",
                            (atom.start, atom.end),
                            f"account {other.id}",
                        )
                    )
            elif atom.kind in ("email", "hostname", "url"):
                host = atom.value.split("@", 1)[-1]
                host = re.sub(r"^https?://", "", host).split("/", 1)[0]
                for domain in other.email_domains:
                    if domain in own_domains:
                        continue
                    if host == domain or host.endswith("." + domain):
                        out.append(
                            block(
                                NAME,
                                f"'{atom.text}' is at another customer's domain ({domain}, {other.name}).",
                                (atom.start, atom.end),
                                f"account {other.id}",
                            )
                        )
    # the markers are masked out above; foreign citations are the citations check's job
    return out

"""Versions with their role in a ticket thread, and the platform the product runs on.

A thread names many versions: the one that broke, the one before an upgrade, the release
support suggests as a fix, the Kubernetes or Docker version underneath. Picking "the first
version string" gets the brief wrong most of the time, so each mention is classified by the
words around it (general English patterns of bug reports, not one product's vocabulary):

- ``upgraded_from`` / ``upgraded_to``: "upgraded from A to B", "A -> B", "after upgrading to B";
- ``last_good``: "worked on A", "A works fine", "rolled back / downgraded to A (works)";
- ``fixed_in``: "fixed in C", "C contains the fix", and a staff suggestion "try / upgrade to C"
  (a release named as a possible fix is never the affected version);
- ``affected``: "broken in B", "regression in B", "still happens on B", a "version: B" field,
  "we run B"; else the upgrade target; else the ticket's version field; else the first product
  version the customer names that has no other role;
- ``platform``: a version right after a platform name (Kubernetes, GKE, EKS, Docker, containerd,
  Helm, an OS, a language runtime, a managed cloud service such as RDS, EC2, Cloud SQL) or
  carrying a platform suffix (``-gke.``, ``-eks-``), and platform names without a version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import Field

from copilot.facts.common import Fact, FactModel, sentences

__all__ = ["PLATFORM", "VersionFacts", "ThreadText", "version_facts"]

ThreadText = tuple[str, str, str]
"""``(source_id, text, side)`` with side ``customer`` or ``staff``."""

_NUM = r"\d+\.\d+(?:\.\d+){0,3}(?:-(?!gke|eks)[0-9A-Za-z][0-9A-Za-z.]*)?"
_PRE = r"(?:version\s+|release\s+|ver\.?\s*|v)?"
PLATFORM = re.compile(
    r"(?<![\w./@-])(?P<name>Kubernetes|k8s|kubectl|kubelet|K3s|k3d|kind|minikube|EKS|GKE|AKS|OpenShift|OCP|Rancher|"
    r"Docker(?: Desktop| Engine| Compose)?|docker-compose|containerd|CRI-O|Podman|Helm|Ubuntu|Debian|RHEL|Red Hat|"
    r"CentOS|Rocky Linux|AlmaLinux|Alpine|Amazon Linux(?: 2)?|Bottlerocket|Windows(?: Server)?|macOS|Linux kernel|"
    r"kernel|Node\.?js|Python|Java|OpenJDK|JDK|JRE|Go|golang|Ruby|\.NET|glibc|Terraform|Istio|AWS|GCP|"
    r"Google Cloud|Azure|bare[- ]metal|RDS|Aurora|EC2|ECS|Fargate|Cloud SQL|Cloud Run|Azure SQL)(?![\w-])"
)
_PLATFORM_VERSION = re.compile(
    PLATFORM.pattern + r"(?:\s+(?:server|client|engine|cluster|node|nodes|runtime))?\**\s*(?:version|ver\.?)?\s*[:=]?"
    r"\**\s*v?(?P<v>\d+(?:\.\d+){0,3}(?:[-+][0-9A-Za-z][0-9A-Za-z.+-]*)?)(?![\w.]*\d)",
    re.IGNORECASE,
)
_OS_NAME = re.compile(r"(?i)Ubuntu|Debian|RHEL|Red Hat|CentOS|Rocky|Alma|Alpine|Amazon Linux|Windows|macOS|Bottlerocket")
_NOT_PLATFORM_AFTER = re.compile(r"^\s*(?:SDK|client library|driver|library|agent|operator|exporter|module|package)\b",
                                 re.IGNORECASE)
_PLATFORM_SUFFIX = re.compile(r"-(?:gke|eks|aks)[.-]|\+k3s|\.el\d|-generic\b", re.IGNORECASE)
_TOKEN = re.compile(r"(?<![\w.@/#-])(?P<pre>v|version\s+|release\s+)?(?P<v>" + _NUM + r")(?![\w.]*\d)(?!\.\w)",
                    re.IGNORECASE)
_UNIT = re.compile(r"^\s*(?:%|ms\b|s\b|sec|second|minute|min\b|hour|h\b|m\b|gb|gib|mb|mib|kb|kib|tb|x\b|cores?\b|"
                   r"cpu|vcpu|req|rps|qps|times\b|/)", re.IGNORECASE)
_IP = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


def _v(name: str) -> str:
    return _PRE + r"(?P<" + name + r">" + _NUM + r")"


_UPGRADE_CUE = r"(?:upgrad\w*|updat\w*|bump\w*|migrat\w*|mov\w*|went|going|switch\w*|roll(?:ed|ing)?\s+out)"
_FROM_TO = [re.compile(p, re.IGNORECASE) for p in (
    _UPGRADE_CUE + r"[^.;\n]{0,60}?\bfrom\s+(?:\w+\s+){0,2}?" + _v("a") + r"\s+(?:to|->|→|=>)\s+(?:\w+\s+){0,2}?" + _v("b"),
    r"(?<![\w.])" + _v("a") + r"\s*(?:->|→|=>|to)\s*" + _v("b") + r"(?=[^.;\n]{0,40}\b" + _UPGRADE_CUE + r")",
    r"(?<![\w.])" + _v("a") + r"\s*(?:->|→|=>)\s*" + _v("b"),
)]
_DOWNGRADE = [re.compile(p, re.IGNORECASE) for p in (
    r"(?:downgrad\w*|roll(?:ed|ing)?\s+back|revert\w*|pinn?(?:ed|ing)?)\s+(?:\w+\s+){0,3}?(?:back\s+)?(?:to\s+)?" + _v("a"),
)]
_UPGRADED_TO = [re.compile(p, re.IGNORECASE) for p in (
    r"(?:after|since)\s+(?:the\s+|our\s+|we\s+)?(?:\w+\s+){0,2}?(?:upgrad\w*|updat\w*|mov\w*|migrat\w*|bump\w*)\s+"
    r"(?:\w+\s+){0,3}?to\s+" + _v("b"),
    r"\b(?:we|I|we've|we have|I've|have|has|just)\s+(?:\w+\s+){0,2}?(?:upgraded|updated|moved|migrated|bumped)\s+"
    r"(?:\w+\s+){0,3}?to\s+" + _v("b"),
)]
_LAST_GOOD = [re.compile(p, re.IGNORECASE) for p in (
    r"(?:work(?:s|ed|ing)?|was\s+fine|(?:is|was|were)\s+(?:ok|okay|fine|good|stable)|no\s+(?:issues?|problems?)|"
    r"(?:didn't|did\s+not|doesn't|does\s+not)\s+(?:happen|occur|reproduce))\s+(?:\w+\s+){0,3}?(?:on|in|with|under)\s+"
    + _v("a"),
    r"last\s+(?:known\s+)?(?:good|working)\s+(?:\w+\s+){0,2}?(?:is|was|:)?\s*" + _v("a"),
    r"(?<![\w.])" + _v("a") + r"\s+(?:works|worked|is\s+fine|was\s+fine|is\s+ok|was\s+ok|is\s+unaffected|"
    r"(?:does|did)\s*(?:n't|\s+not)\s+(?:have|show|reproduce))",
)]
_FIXED_IN = [re.compile(p, re.IGNORECASE) for p in (
    r"(?:fix(?:ed)?|resolv\w*|address\w*|patch\w*|includ\w*|land\w*|releas\w*|ship\w*|available|backport\w*|merged)"
    r"\s+(?:\w+\s+){0,4}?(?:in|into|for|with|as)\s+" + _v("c"),
    r"(?<![\w.])" + _v("c") + r"\s+(?:\w+\s+){0,2}?(?:includes?|contains?|has|ships?|should\s+(?:have|include|contain))\s+"
    r"(?:the\s+|a\s+)?(?:\w+\s+)?(?:fix|patch)",
    r"(?:upcoming|next|new|latest)\s+(?:patch\s+|minor\s+)?(?:release|version)\s*\(?" + _v("c"),
)]
_SUGGEST = [re.compile(p, re.IGNORECASE) for p in (
    r"(?:try|trying|upgrade\s+to|upgrading\s+to|update\s+to|updating\s+to|bump\s+to|move\s+to|moving\s+to|install|"
    r"switch\s+to|please\s+use|recommend\w*)\s+(?:\w+\s+){0,3}?" + _v("c"),
)]
_AFFECTED = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in (
    r"(?:broken|regress\w*|bug|issue|problem|fails?|failing|crash\w*|happens?|happening|occurs?|reproduc\w*|seeing|see|"
    r"still)\s+(?:\w+\s+){0,3}?(?:in|on|with|since)\s+" + _v("x"),
    r"(?:affected|impacted)\s+versions?\s*:?\s*" + _v("x"),
    r"\b(?:we|I)(?:'re|\s+are|\s+am|'m)?\s+(?:run|running|using|on|deployed|deploying)\s+(?:\w+\s+){0,2}?" + _v("x"),
    r"\b(?:running|using|currently\s+on)\s+(?:\w+\s+){0,2}?" + _v("x"),
    r"^\s*[-*]?\s*\**[\w ./()-]{0,40}?(?:version|release|build)\**\s*[:=]\s*\**\s*" + _v("x"),
)]


class VersionFacts(FactModel):
    """Versions by role; each value is the version as written (without a leading ``v``)."""

    affected: Fact | None = None
    affected_basis: str = ""  # stated | upgraded to | version field | ticket field | mentioned
    last_good: Fact | None = None
    upgraded_from: Fact | None = None
    upgraded_to: Fact | None = None
    fixed_in: list[Fact] = Field(default_factory=list)
    also_affected: list[Fact] = Field(default_factory=list)
    platform: list[Fact] = Field(default_factory=list)


class _Seen:
    """Version mentions by role, first mention first, each with every source that states it."""

    def __init__(self) -> None:
        self.roles: dict[str, dict[str, Fact]] = {}

    def add(self, role: str, value: str, source_id: str) -> None:
        facts = self.roles.setdefault(role, {})
        key = value.lower()
        if key not in facts:
            facts[key] = Fact(value=value, source_ids=[source_id])
        elif source_id not in facts[key].source_ids:
            facts[key].source_ids.append(source_id)

    def get(self, role: str) -> list[Fact]:
        return list(self.roles.get(role, {}).values())

    def has(self, role: str, value: str) -> bool:
        return value.lower() in self.roles.get(role, {})


def _platform_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, "Name version")`` of each versioned platform mention in ``text``."""
    out = []
    for m in _PLATFORM_VERSION.finditer(text):
        if _NOT_PLATFORM_AFTER.match(text[m.end("name"):]):
            continue
        version = m.group("v")
        if "." not in version and not re.search(r"(?i)version|:", m.group(0)) and not _OS_NAME.match(m.group("name")):
            continue  # "Python 3" or "Go 1" alone is too vague; "Debian 12" or "Windows 11" is an OS release
        out.append((m.start(), m.end(), re.sub(r"\s+", " ", m.group(0)).strip()))
    return out


def _platform_names(text: str, source_id: str, seen: _Seen) -> None:
    """Platform names without a version ("on AWS", "bare metal", "Debian")."""
    for m in PLATFORM.finditer(text):
        name = m.group("name")
        if len(name) <= 3 and not name.isupper() or name.lower() in ("go", "kind", "kernel", "node", "java", "python"):
            continue  # short or common words ("go", "kind") are not platform names on their own
        if _NOT_PLATFORM_AFTER.match(text[m.end():]):
            continue
        seen.add("platform_name", name, source_id)


def _product_tokens(sentence: str, platform: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out = []
    for m in _TOKEN.finditer(sentence):
        value = m.group("v")
        if _IP.match(value) or _UNIT.match(sentence[m.end():]) or _PLATFORM_SUFFIX.search(value):
            continue
        if _PLATFORM_SUFFIX.match(sentence[m.end():]):  # "v1.29.3-eks-adc7111": a managed-Kubernetes build
            continue
        if any(a <= m.start("v") < b for a, b, _ in platform):
            continue
        before = sentence[max(0, m.start() - 1): m.start()]
        if value.count(".") == 1 and not m.group("pre") and not re.search(r"[A-Za-z][\w-]*\s*:?\s*$",
                                                                           sentence[max(0, m.start() - 30): m.start()]):
            continue  # a bare "0.5" is a number, not a version
        if before in ("$", "£", "€"):
            continue
        out.append((m.start("v"), m.end("v"), value))
    return out


def _classify(sentence: str, source_id: str, side: str, seen: _Seen) -> None:
    platform = _platform_spans(sentence)
    for _, _, span in platform:
        seen.add("platform", span, source_id)
    tokens = _product_tokens(sentence, platform)
    if not tokens:
        return
    role_at: dict[int, str] = {}

    def mark(patterns: list[re.Pattern[str]], groups: dict[str, str]) -> None:
        for m in (m for pattern in patterns for m in pattern.finditer(sentence)):
            for group, role in groups.items():
                if group in m.re.groupindex and m.group(group) and m.start(group) not in role_at:
                    role_at[m.start(group)] = role

    mark(_FROM_TO, {"a": "upgraded_from", "b": "upgraded_to"})
    mark(_FIXED_IN, {"c": "fixed_in"})
    if side == "staff":  # "try / upgrade to X" from support names a possible fix; from a customer it is history
        mark(_SUGGEST, {"c": "fixed_in"})
    mark(_DOWNGRADE, {"a": "last_good"})
    mark(_LAST_GOOD, {"a": "last_good"})
    mark(_UPGRADED_TO, {"b": "upgraded_to"})
    mark(_AFFECTED, {"x": "affected"})
    question = sentence.rstrip().endswith("?")
    for start, _, value in tokens:
        role = role_at.get(start, "mentioned")
        if question and role in ("affected", "mentioned"):
            continue  # "are you on 2.4.1?" is a question, not a statement
        if side == "staff" and role == "mentioned":
            role = "staff_mentioned"
        seen.add(role, value, source_id)


def _first(facts: list[Fact], exclude: set[str]) -> Fact | None:
    return next((f for f in facts if f.value.lower() not in exclude), None)


def version_facts(texts: Iterable[ThreadText], ticket_version: str = "", ticket_id: str = "",
                  platform_names: Iterable[Fact] = ()) -> VersionFacts:
    """Classify every version mention in a ticket's texts (description first, then comments).

    Args:
        texts: ``(source_id, text, side)``; side ``staff`` for agents, else ``customer``.
        ticket_version: the ticket's own version field (a tag or Jira "affects version").
        platform_names: platform mentions without a version (e.g. from the deployment pattern).
    """
    seen = _Seen()
    for source_id, text, side in texts:
        _platform_names(text, source_id, seen)
        for sentence in sentences(text):
            _classify(sentence, source_id, side, seen)
    fixed = seen.get("fixed_in")
    not_affected = {f.value.lower() for f in fixed + seen.get("last_good") + seen.get("upgraded_from")}
    stated = [f for f in seen.get("affected") if f.value.lower() not in not_affected]
    upgraded_to = _first(seen.get("upgraded_to"), {f.value.lower() for f in fixed})
    affected, basis = None, ""
    if stated:
        affected, basis = stated[0], "stated"
    elif upgraded_to is not None:
        affected, basis = upgraded_to, "upgraded to"
    elif ticket_version:
        affected, basis = Fact(value=ticket_version.lstrip("vV"), source_ids=[ticket_id]), "ticket field"
    else:
        mentioned = _first(seen.get("mentioned"), not_affected)
        if mentioned is not None:
            affected, basis = mentioned, "mentioned"
    if affected is not None and ticket_version and basis != "ticket field" \
            and ticket_version.lstrip("vV").lower() == affected.value.lower() and ticket_id not in affected.source_ids:
        affected.source_ids.insert(0, ticket_id)
    if affected is not None:  # "upgrading to 5.1" in a subject, "5.1.0" in the body: the same release, said exactly
        pool = [f for role in ("affected", "upgraded_to", "mentioned") for f in seen.get(role)]
        affected = next((f for f in pool if f.value.lower().startswith(affected.value.lower() + ".")), affected)
    chosen = affected.value.lower() if affected else ""
    good = {f.value.lower() for f in seen.get("last_good") + seen.get("upgraded_from")}
    also = [f for f in seen.get("affected") if f.value.lower() not in good | {chosen}][:3]
    platform = seen.get("platform")
    for extra in [*seen.get("platform_name"), *platform_names]:
        if not any(extra.value.lower() in p.value.lower() or p.value.lower() in extra.value.lower() for p in platform):
            platform.append(extra)
    return VersionFacts(
        affected=affected, affected_basis=basis,
        last_good=_first(seen.get("last_good"), {chosen}) or _first(seen.get("upgraded_from"), {chosen}),
        upgraded_from=_first(seen.get("upgraded_from"), {chosen} if basis != "upgraded to" else set()),
        upgraded_to=upgraded_to,
        fixed_in=[f for f in fixed if f.value.lower() != chosen][:3],
        also_affected=also,
        platform=platform[:8],
    )

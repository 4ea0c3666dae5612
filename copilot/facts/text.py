"""Finding facts in ticket prose: sentences matching a pattern, environment details, steps.

All functions take ``(source_id, text)`` pairs and return ``Fact``s that keep the source id
and the exact wording found there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from copilot.facts.common import Fact, sentences

__all__ = [
    "DEPLOYMENT",
    "IMPACT",
    "INTEGRATIONS",
    "REGION",
    "VERSION",
    "find_all",
    "find_sentences",
    "find_steps",
    "keyword_pattern",
    "problem_statement",
    "prose",
]

Texts = Iterable[tuple[str, str]]

VERSION = re.compile(r"\b(?:v|version\s+|release\s+|build\s+)(?P<v>\d+\.\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.]+)?)\b",
                     re.IGNORECASE)
REGION = re.compile(r"\b(?P<v>(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:north|south|east|west|central|northeast|southeast|"
                    r"southwest|northwest)-\d)\b")
DEPLOYMENT = re.compile(
    r"\b(?P<v>multi-tenant SaaS|single-tenant|multi-tenant|SaaS|on-prem(?:ises?)?|self-hosted|self-managed|"
    r"private cloud|dedicated (?:cloud|instance|cluster)|hybrid deployment|air-gapped|Kubernetes|Helm chart|"
    r"Docker|OpenShift|EKS|AKS|GKE)\b",
    re.IGNORECASE,
)
INTEGRATIONS = re.compile(
    r"\b(?P<v>Salesforce|SAP(?: S/4HANA| ECC)?|Shopify|Okta|Azure AD|Entra ID|Snowflake|ServiceNow|Workday|NetSuite|"
    r"Oracle(?: EBS)?|Datadog|Splunk|Kafka|Amazon S3|S3 bucket|BigQuery|Zendesk|Jira|Slack|Microsoft Teams|"
    r"webhooks?|SSO|SAML|SCIM|OAuth|SFTP|EDI|REST API|GraphQL|Stripe|Adyen|Twilio|HubSpot|Marketo|Tableau|"
    r"Power BI|Looker|Magento|WooCommerce|FedEx|UPS|DHL|Manhattan WMS|Blue Yonder)\b"
)
IMPACT = re.compile(
    r"\b(\d[\d,.]*\s*(?:%|percent)|\d[\d,]*\s+(?:of\s+(?:our|the)\s+)?[a-z-]*\s?(?:users|customers|stores|sites|"
    r"warehouses|drivers|orders|shipments|requests|agents|employees|tenants|accounts|devices|locations|"
    r"transactions|calls|labels|payments|clinics|branches|teams|carriers|depots|hospitals|restaurants|"
    r"merchants|invoices|jobs|reports)|unable to|cannot|can't|can not|blocked|outage|down for|failing|fail for|"
    r"affect(?:s|ed|ing)?|impact(?:s|ed|ing)?|since|no longer|stopped|degraded|every|all of our|all our)\b",
    re.IGNORECASE,
)
_STEP_HEAD = re.compile(r"(?:steps to reproduce|to reproduce|repro(?:duction)? steps|reproduce:|repro:)",
                        re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•])\s+(?P<step>\S.*)$", re.MULTILINE)
_REPRO_SENTENCE = re.compile(r"\b(reproduc\w*|every time|whenever|each time|consistently|when we|if you)\b",
                             re.IGNORECASE)


_FENCE = re.compile(r"^[ \t]*(?:```|~~~)[^\n]*\n.*?(?:^[ \t]*(?:```|~~~)[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_DETAILS = re.compile(r"</?(?:details|summary)[^>]*>", re.IGNORECASE)
_BOILERPLATE_LINE = re.compile(
    r"^\s*(?:"
    r"#{1,6}\s.*"  # a Markdown heading: an issue template's section title
    r"|[-*]\s+\[[ xX]\].*"  # a checklist item ("- [x] I searched existing issues")
    r"|\*\*[^*\n]{1,80}\*\*\s*:?\s*"  # a bold label alone on its line ("**Describe the bug**")
    r"|[-*]?\s*\**[A-Za-z][\w./()-]*(?:\s[\w./()-]+){0,3}\**\s*:\s*\**\S+(?:[ \t]+\S+){0,4}"  # "Field: value"
    r"|[A-Z][^.!?\n]{2,90}\?\s*"  # a template prompt ("What did you expect to happen?")
    r"|>.*"  # a quoted line (often a pasted log or a quoted earlier message)
    r"|\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*"  # a timestamped log line
    r"|[\w.$-]+(?:\.\w+)+\(.*\).*|at\s+[\w.$<>]+\(.*"  # a stack frame
    r")$",
    re.MULTILINE,
)


def prose(text: str) -> str:
    """The author's own prose in ``text``: code blocks, HTML comments, template headings,
    checklists, bold labels, ``Field: value`` lines, template prompts, quotes, log lines and
    stack frames removed (the general shape of a bug-report template filled in by a user)."""
    out = _FENCE.sub("\n", text or "")
    out = _HTML_COMMENT.sub("", out)
    out = _DETAILS.sub("", out)
    out = _BOILERPLATE_LINE.sub("", out)
    return re.sub(r"\n{3,}", "\n\n", out).strip()


_SECTION_HEAD = re.compile(r"^\s*(?:#{1,6}\s+(?P<h>.+?)\s*#*|\*\*(?P<b>[^*\n]{1,80})\*\*\s*:?)\s*$", re.MULTILINE)
_PROBLEM_HEAD = re.compile(r"\b(?:describe|description|bug|problem|issue|what\s+happened|actual|current\s+behaviou?r|"
                           r"summary|symptoms?|observed)\b", re.IGNORECASE)
_OTHER_HEAD = re.compile(r"\b(?:steps|reproduc\w*|to\s+reproduce|environment|versions?|expected|logs?|stack|trace|"
                         r"config\w*|additional|context|screenshots?|resources?|factoids?|output|setup|system|platform|"
                         r"workaround|details|references?|checklist|anything\s+else|how\s+are\s+you)\b", re.IGNORECASE)


def problem_statement(text: str) -> str:
    """The reporter's account of the problem: the prose under an issue template's problem heading
    ("Describe the bug", "What happened?", "Actual behavior"), else under the first heading that is
    not steps/environment/versions/expected/logs, else the text's first prose."""
    heads = list(_SECTION_HEAD.finditer(text or ""))
    if not heads:
        return prose(text)
    sections = [("", (text or "")[: heads[0].start()])]
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        sections.append((m.group("h") or m.group("b") or "", text[m.end(): end]))

    def readable(body: str) -> str:
        kept = [line for line in prose(body).splitlines() if not _NUMBERED.match(line)]
        out = "\n".join(kept).strip()
        return out if re.search(r"[a-z]{3,}\s+[a-z]{2,}", out) else ""

    for wanted in (lambda h: bool(h) and bool(_PROBLEM_HEAD.search(h)) and not _OTHER_HEAD.search(h),
                   lambda h: not _OTHER_HEAD.search(h)):
        for heading, body in sections:
            if wanted(heading) and readable(body):
                return readable(body)
    return prose(text)


def keyword_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive whole-word pattern for any of ``words`` (None when there are none)."""
    items = sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True)
    if not items:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in items) + r")(?![\w-])", re.IGNORECASE)


def find_sentences(texts: Texts, pattern: re.Pattern[str], limit: int = 5, max_chars: int = 320) -> list[Fact]:
    """Sentences matching ``pattern``, deduplicated, in source order."""
    out: list[Fact] = []
    seen: set[str] = set()
    for source_id, text in texts:
        for sentence in sentences(text):
            if len(sentence) > max_chars or not pattern.search(sentence):
                continue
            key = sentence.lower()
            if key in seen:
                continue
            seen.add(key)
            out.append(Fact(value=sentence, source_ids=[source_id]))
            if len(out) >= limit:
                return out
    return out


def find_all(texts: Texts, pattern: re.Pattern[str], limit: int = 6) -> list[Fact]:
    """Distinct matches of ``pattern``'s ``v`` group (case-insensitive dedupe), with all sources."""
    found: dict[str, Fact] = {}
    for source_id, text in texts:
        for match in pattern.finditer(text or ""):
            value = match.group("v")
            key = value.lower()
            if key in found:
                if source_id not in found[key].source_ids:
                    found[key].source_ids.append(source_id)
            elif len(found) < limit:
                found[key] = Fact(value=value, source_ids=[source_id])
    return list(found.values())


def find_steps(texts: Texts, limit: int = 8) -> list[Fact]:
    """Reproduction steps: the list after a "steps to reproduce" heading, else repro sentences."""
    for source_id, text in texts:
        head = _STEP_HEAD.search(text or "")
        if not head:
            continue
        tail = text[head.end():]
        steps = []
        for line in tail.splitlines():
            if line.strip() and not re.search(r"[A-Za-z0-9]", line):
                continue  # the ":" left after the heading
            if not line.strip():
                if steps:
                    break
                continue
            m = _NUMBERED.match(line)
            if m:
                steps.append(Fact(value=m.group("step").strip(), source_ids=[source_id]))
            elif steps:
                break
            elif line.strip():
                # an inline "To reproduce: do X, then Y." sentence
                steps.append(Fact(value=line.strip().lstrip(":").strip(), source_ids=[source_id]))
                break
            if len(steps) >= limit:
                break
        if steps:
            return steps
    return find_sentences(texts, _REPRO_SENTENCE, limit=3)

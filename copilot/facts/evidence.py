"""Evidence extraction: log lines, request/trace ids, error codes, HTTP statuses, timestamps.

Pure regular-expression work over a ticket's text; every item keeps the id of the comment
(or ticket) it was found in, and the exact text as written there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from copilot.facts.common import FactModel

__all__ = ["EVIDENCE_KINDS", "EvidenceItem", "extract_evidence"]

EVIDENCE_KINDS = ("log_line", "request_id", "error_code", "http_status", "timestamp")

_LOG_LINE = re.compile(
    r"(?P<line>(?:\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}[^\s\]]*\]?\s+)?\[?\b(?:ERROR|FATAL|CRITICAL|WARN(?:ING)?|PANIC)\b[^\n]*)"
    r"|^[ \t>`]*(?P<stamped>\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}[^\n]*)$"
    r"|^[ \t>`]*(?P<exc>[^\n]*\b(?:[A-Z]\w+(?:Exception|Error)\b:|Traceback \(most recent call last\)|panic:)[^\n]*)$"
    r"|^[ \t>`]*(?P<leveled>(?:[EFW]\d{4}\s+\d{2}:\d{2}|[^\n]*\blevel=(?:error|fatal|warn\w*)|[^\n]*\"level\":\s*\"(?:error|fatal)"
    r"|(?:error|fatal|Error|FATAL|ERROR)\s*[:\]])[^\n]*)$"
    # a pasted status field such as "Seconds_Behind_Source: 14522" or "Last_IO_Error: ..."
    r"|^[ \t>`]*(?P<field>[A-Z][A-Za-z]*(?:_[A-Za-z]+){1,5}:[ \t]*\S[^\n]*)$",
    re.MULTILINE,
)
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)[^\n]*\n(?P<body>.*?)(?:^[ \t]*(?:```|~~~)[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_FAILURE_WORD = re.compile(r"\b(?:error|errors|fail\w*|fatal|panic|exception|refused|denied|timed?\s?out|timeout|killed|"
                           r"invalid|cannot|can't|unable|unavailable|exceeded|crash\w*|forbidden|unauthori[sz]ed|oom\w*|"
                           r"back-?off|not\s+found|no\s+such|segfault|abort\w*|reset\s+by\s+peer|down|degraded|unreachable|lost|"
                           r"health_(?:warn|err)|notready|out\s+of\s+\w+|(?:table|disk|queue|buffer|pool|quota)\s+(?:is\s+)?full|"
                           r"drop(?:ping|ped)\s+(?:packets?|connections?|messages?))\b", re.IGNORECASE)
_INDENTED = re.compile(r"(?:\A|\n[ \t]*\n)(?P<body>(?:(?: {4}|\t)[^\n]*(?:\n|\Z))+)")
"""A Markdown indented code block (4 spaces or a tab, after a blank line): pasted output, like a fence."""
_STATE_CODE = re.compile(r"\b(?:SQL\s?STATE|SQL\s+state|errno|error\s+(?:code|number))\b\s*[:=#]?\s*(?P<code>[0-9A-Z]{4,6})\b",
                         re.IGNORECASE)
"""An error code given by its label ("SQLState: 26000", "errno 111")."""
_REQUEST_ID = re.compile(
    r"\b(?:x-)?(?:request|req|trace|correlation|span)[-_ ]?id\b\s*[:=#]?\s*[`\"']?(?P<id>[A-Za-z0-9][A-Za-z0-9_\-.:]{5,})",
    re.IGNORECASE,
)
_PREFIXED_ID = re.compile(r"\b(?P<id>(?:req|trace|corr|rid)[_-][A-Za-z0-9][A-Za-z0-9_\-]{5,})\b")
_ERROR_CODE = re.compile(
    r"\b(?P<code>(?:E|ERR|ERROR)[-_]?[A-Z0-9_]*\d{2,}[A-Z0-9_]*|[A-Z]{2,}_[A-Z0-9_]{3,}|[A-Z][A-Za-z]+(?:Error|Exception)"
    # Kubernetes/container reasons and the like: CamelCase words that name a failure state
    r"|OOMKilled|(?:[A-Z][a-z]+)+(?:BackOff|Killed|NotReady|Exceeded|Unavailable|Timeout|Refused|Denied)"
    r"|(?:Failed|Err)[A-Z][a-z]+(?:[A-Z][a-z]+)*"
    # POSIX errno names and fatal signals
    r"|E(?:CONNREFUSED|CONNRESET|CONNABORTED|TIMEDOUT|HOSTUNREACH|NETUNREACH|PIPE|NOSPC|MFILE|NFILE|ACCES|PERM|NOENT|"
    r"ADDRINUSE|AGAIN|NOMEM)|SIG(?:SEGV|KILL|TERM|ABRT|BUS)"
    r"|exit (?:code|status) \d{1,3})\b"
)
_HTTP_STATUS = re.compile(
    r"\b(?:HTTP(?:/\d(?:\.\d)?)?\s*|[\"']?status(?:[_\s]*code)?[\"']?\s*[:=]?\s*|returns?\s+|returning\s+|got\s+(?:an?\s+)?|with\s+(?:an?\s+)?)?"
    r"(?P<status>[1-5]\d{2})"
    r"(?P<reason>\s+(?:Bad Gateway|Gateway Time-?out|Service Unavailable|Internal Server Error|Too Many Requests|"
    r"Not Found|Unauthorized|Forbidden|Bad Request|Conflict|Request Timeout|Payload Too Large))?"
    r"(?:s)?\b"
)
_TIMESTAMP = re.compile(
    r"\b(?P<ts>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}|\s?UTC)?)"
)


class EvidenceItem(FactModel):
    kind: str  # one of EVIDENCE_KINDS
    value: str  # exactly as written in the source
    source_id: str


def _http_statuses(text: str) -> list[str]:
    out = []
    for m in _HTTP_STATUS.finditer(text):
        status = m.group("status")
        prefix = m.group(0)[: m.start("status") - m.start(0)]
        reason = m.group("reason") or ""
        context = text[max(0, m.start() - 40): m.end() + 40].lower()
        # a bare 3-digit number is a status only with an HTTP-ish prefix, a reason phrase, or
        # "http"/"status"/"error" nearby, and only in the 4xx/5xx (or 2xx/3xx with a prefix) range
        if not (prefix.strip() or reason or re.search(r"\b(http|status|error|errors|gateway|response)\b", context)):
            continue
        if status[0] not in "45" and not prefix.strip():
            continue
        if re.match(r"\d", text[m.end(): m.end() + 1] or "x") or text[max(0, m.start("status") - 1): m.start("status")] in ".:-":
            continue
        out.append(f"{status}{reason}")
    return out


def extract_evidence(texts: Iterable[tuple[str, str]], limit_per_kind: int = 12) -> list[EvidenceItem]:
    """Evidence from ``(source_id, text)`` pairs, deduplicated by (kind, value), in source order.

    Log lines come first (they carry the most context), then ids, codes, statuses, timestamps.
    """
    found: dict[str, list[EvidenceItem]] = {k: [] for k in EVIDENCE_KINDS}
    seen: set[tuple[str, str]] = set()

    def add(kind: str, value: str, source_id: str) -> None:
        value = value.strip().strip("`").rstrip(".,;")
        if not value or (kind, value.lower()) in seen or len(found[kind]) >= limit_per_kind:
            return
        seen.add((kind, value.lower()))
        found[kind].append(EvidenceItem(kind=kind, value=value, source_id=source_id))

    for source_id, text in texts:
        if not text:
            continue
        for m in _LOG_LINE.finditer(text):
            line = (m.group("line") or m.group("stamped") or m.group("exc") or m.group("leveled") or m.group("field")).strip().strip("`")
            if 8 <= len(line) <= 300:
                add("log_line", line, source_id)
        blocks = [b.group("body") for b in _FENCE.finditer(text)]
        blocks += [b.group("body") for b in _INDENTED.finditer(_FENCE.sub("", text))]
        for block in blocks:  # pasted output: its failure lines are log lines too
            for line in block.splitlines():
                line = line.strip()
                if 8 <= len(line) <= 300 and _FAILURE_WORD.search(line) and not line.startswith("#"):
                    add("log_line", line, source_id)
        for m in _REQUEST_ID.finditer(text):
            if re.search(r"\d", m.group("id")):
                add("request_id", m.group("id"), source_id)
        for m in _PREFIXED_ID.finditer(text):
            add("request_id", m.group("id"), source_id)
        for m in _ERROR_CODE.finditer(text):
            add("error_code", m.group("code"), source_id)
        for m in _STATE_CODE.finditer(text):
            add("error_code", m.group("code"), source_id)
        for status in _http_statuses(text):
            add("http_status", status, source_id)
        logged = " ".join(i.value for i in found["log_line"])
        for m in _TIMESTAMP.finditer(text):
            around = text[max(0, m.start() - 60): m.start()].lower()
            if m.group("ts") in logged or re.search(r"\b(?:next update|update by|update at|update)\b", around):
                continue  # already in a log line, or a promised update time rather than evidence
            add("timestamp", m.group("ts"), source_id)
    return [item for kind in EVIDENCE_KINDS for item in found[kind]]

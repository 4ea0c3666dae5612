"""Reversible redaction: secrets and personal data out before text leaves the machine.

Before a prompt goes to a model, secrets (API keys, tokens, passwords, private keys, card
numbers), e-mail addresses, phone numbers, internal hosts/IPs and known person names are
replaced by placeholders such as ``[EMAIL_1]``. After the model answers, placeholders are
restored only where the draft's audience allows:

| kind   | internal (brief, answers) | customer (update, PIR, QBR) |
|--------|---------------------------|-----------------------------|
| PERSON | restored                  | restored (names are in the facts: owners, contacts) |
| EMAIL, PHONE | restored            | ``[contact withheld]`` |
| HOST   | restored                  | ``[internal host]`` |
| SECRET | ``[redacted]`` — never    | ``[redacted]`` — never |

All patterns live in this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["PATTERNS", "Redactor", "mask_secrets"]

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("SECRET", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.DOTALL)),
    ("SECRET", re.compile(r"\b(?:sk|pk|rk)[-_](?:live[-_]|test[-_]|proj-)?[A-Za-z0-9_\-]{16,}\b")),
    ("SECRET", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("SECRET", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b")),
    ("SECRET", re.compile(r"\bxox[baprs]-[A-Za-z0-9-]{10,}\b")),
    ("SECRET", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b")),  # JWT
    ("SECRET", re.compile(r"(?i)\b(?:bearer)\s+[A-Za-z0-9._\-]{16,}")),
    ("SECRET", re.compile(r"(?i)\b(?:password|passwd|pwd|secret|api[_-]?key|token|access[_-]?key|(?:aws_)?secret_access_key|"
                          r"secret access key|client[_-]?secret)\s*(?:is\s*)?[=:]\s*"
                          r"(?P<v>[^\s,;]+)")),
    ("SECRET", re.compile(r"\b(?:\d[ -]?){13,19}\b(?<=\d)")),  # card-like digit runs, checked by Luhn below
    ("EMAIL", re.compile(r"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b")),
    ("PHONE", re.compile(r"(?<![\w-])\+?\d{1,3}[ .\-]?\(?\d{2,4}\)?[ .\-]\d{3,4}[ .\-]\d{3,4}(?![\w-])")),
    ("PHONE", re.compile(r"(?<![\w-])\+\d{1,3}[ .\-]?\(?\d{2,5}\)?[ .\-]?\d{5,8}(?![\w-])")),
    ("HOST", re.compile(r"\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:internal|local|corp|lan|intra|svc)\b", re.IGNORECASE)),
    ("HOST", re.compile(r"\b(?:10|127|172\.(?:1[6-9]|2\d|3[01])|192\.168)(?:\.\d{1,3}){2,3}\b")),
]

_PLACEHOLDER = re.compile(r"\[?\b(SECRET|EMAIL|PHONE|HOST|PERSON)_(\d+)\b\]?")
_REPLACEMENT = {
    "internal": {"SECRET": "[redacted]"},
    "customer": {"SECRET": "[redacted]", "EMAIL": "[contact withheld]", "PHONE": "[contact withheld]",
                 "HOST": "[internal host]"},
}


def _luhn(digits: str) -> bool:
    nums = [int(d) for d in digits if d.isdigit()]
    if not 13 <= len(nums) <= 19:
        return False
    total = 0
    for i, n in enumerate(reversed(nums)):
        if i % 2:
            n *= 2
            n -= 9 if n > 9 else 0
        total += n
    return total % 10 == 0


class Redactor:
    """Replaces sensitive spans with stable placeholders and remembers them for ``restore``.

    Args:
        names: person names to pseudonymise (contacts, owners, authors from the facts).
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.mapping: dict[str, str] = {}  # placeholder -> original
        self._reverse: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}
        unique = sorted({n.strip() for n in names if n and len(n.strip()) > 3 and " " in n.strip()}, key=len,
                        reverse=True)
        self._names = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in unique) + r")\b") if unique else None

    def portable_mapping(self) -> dict[str, str]:
        """``mapping`` safe to write down (for ``from_mapping`` in another process): secrets,
        which are never restored, keep their placeholder but not their value."""
        return {token: _REPLACEMENT["internal"]["SECRET"] if token.startswith("[SECRET_") else original
                for token, original in self.mapping.items()}

    @classmethod
    def from_mapping(cls, mapping: dict[str, str]) -> Redactor:
        """A redactor that restores the placeholders of an earlier one (``mapping``: placeholder ->
        original), e.g. for an answer that arrives in another process."""
        redactor = cls()
        for token, original in mapping.items():
            match = _PLACEHOLDER.fullmatch(token)
            if match is None:
                raise ValueError(f"{token!r} is not a placeholder like [PERSON_1]")
            kind, n = match.group(1), int(match.group(2))
            redactor.mapping[token] = original
            redactor._reverse[(kind, original)] = token
            redactor._counts[kind] = max(redactor._counts.get(kind, 0), n)
        return redactor

    def _placeholder(self, kind: str, original: str) -> str:
        key = (kind, original)
        if key not in self._reverse:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            token = f"[{kind}_{self._counts[kind]}]"
            self._reverse[key] = token
            self.mapping[token] = original
        return self._reverse[key]

    def redact(self, text: str) -> str:
        """``text`` with every sensitive span replaced by its placeholder."""
        for kind, pattern in PATTERNS:
            def swap(match: re.Match[str], kind: str = kind) -> str:
                whole = match.group(0)
                if "v" in match.re.groupindex:  # only the value part is sensitive (password=...)
                    start, end = match.span("v")
                    offset = match.start()
                    return whole[: start - offset] + self._placeholder(kind, match.group("v")) + whole[end - offset:]
                if kind == "SECRET" and whole[:1].isdigit() and not _luhn(whole):
                    return whole  # a long number, not a card
                return self._placeholder(kind, whole)

            text = pattern.sub(swap, text)
        if self._names is not None:
            text = self._names.sub(lambda m: self._placeholder("PERSON", m.group(0)), text)
        return text

    def restore(self, text: str, audience: str = "internal") -> str:
        """Put originals back where ``audience`` (``internal``/``customer``) allows."""
        policy = _REPLACEMENT.get(audience, _REPLACEMENT["customer"])

        def back(match: re.Match[str]) -> str:
            kind, n = match.group(1), match.group(2)
            token = f"[{kind}_{n}]"
            if token not in self.mapping:
                return match.group(0)
            return policy.get(kind, self.mapping[token])

        return _PLACEHOLDER.sub(back, text)


def mask_secrets(text: str, *, contacts: bool = False) -> str:
    """``text`` with secrets replaced by ``[redacted secret]`` (and, with ``contacts``, e-mail
    addresses and phone numbers by ``[contact withheld]``). One-way: for text that goes into a
    draft's facts, where a secret never belongs, even in an internal brief."""
    redactor = Redactor()
    masked = redactor.redact(text or "")
    keep = {"HOST", "PERSON"} | (set() if contacts else {"EMAIL", "PHONE"})

    def back(match: re.Match[str]) -> str:
        kind, token = match.group(1), f"[{match.group(1)}_{match.group(2)}]"
        if token not in redactor.mapping:
            return match.group(0)
        if kind in keep:
            return redactor.mapping[token]
        return "[redacted secret]" if kind == "SECRET" else "[contact withheld]"

    return _PLACEHOLDER.sub(back, masked)

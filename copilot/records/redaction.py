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

The patterns are the one recognizer registry (``copilot.records.recognizers``) that the secrets
guardrail also uses: what the guardrail blocks is what never reaches a model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from copilot.records.secrets import CREDENTIALS, SecretHit, find_secrets, mask

__all__ = ["Redactor", "mask_secrets"]

_KIND = {"credential": "SECRET", "internal_host": "HOST"}
_CONTACT_KIND = {"email": "EMAIL", "phone": "PHONE"}


def _placeholder_kind(hit: SecretHit) -> str:
    return _KIND.get(hit.category) or _CONTACT_KIND.get(hit.kind, "EMAIL")


_PLACEHOLDER = re.compile(r"\[?\b(SECRET|EMAIL|PHONE|HOST|PERSON)_(\d+)\b\]?")
_REPLACEMENT = {
    "internal": {"SECRET": "[redacted]"},
    "customer": {"SECRET": "[redacted]", "EMAIL": "[contact withheld]", "PHONE": "[contact withheld]",
                 "HOST": "[internal host]"},
}


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
        out, pos = [], 0
        for hit in find_secrets(text):
            out.append(text[pos: hit.start])
            out.append(self._placeholder(_placeholder_kind(hit), hit.text))
            pos = hit.end
        out.append(text[pos:])
        text = "".join(out)
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
    return mask(text or "", CREDENTIALS | ({"contact"} if contacts else set()))

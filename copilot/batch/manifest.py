"""Per-account manifests and input fingerprints: what makes a batch run resumable.

An account's ``manifest.json`` is written atomically and *last*, after its draft, guardrail
report, charts and review submission. A re-run skips the account when the manifest says
``ok``, its fingerprint equals the one computed now, and every output it lists is still there;
anything else (no manifest, a kill mid-account, changed records, a new prompt version, another
backend) makes the account run again.

The fingerprint hashes everything the QBR is drafted from:

* the account's records: for its plan, tickets and incidents, each record's id, its source
  ``content_hash`` and the stored JSON itself (so a record changed in the store, not only in
  its source file, is noticed too);
* the quarter, the backend (model and server included) and the prompt version(s);
* every account's name and aliases, since other accounts' names are scrubbed from a
  customer-facing draft (so adding or renaming an account redoes the batch);
* the ``as of`` moment when the caller pinned one (an unpinned run drafts "as of now" and does
  not redo finished accounts just because a day passed);
* ``BATCH_FORMAT``, the layout of the batch outputs.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from copilot.records.files import write_json_atomic
from copilot.records.store import Store

__all__ = [
    "BATCH_FORMAT",
    "AccountManifest",
    "AccountSnapshot",
    "GuardrailSummary",
    "account_dir",
    "account_snapshots",
    "fingerprints",
    "manifest_path",
    "outputs_present",
    "read_manifest",
    "read_manifests",
    "write_manifest",
]

BATCH_FORMAT = 1
"""Bump when the files a batch writes per account change, so old outputs are redone."""

MANIFEST = "manifest.json"
ACCOUNTS_DIR = "accounts"


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class GuardrailSummary(_Model):
    """``passed`` | ``blocked`` (with the blocking count) | ``unchecked`` (no guardrails ran)."""

    status: Literal["passed", "blocked", "unchecked"]
    blocking: int = 0
    warnings: int = 0
    crashed: list[str] = Field(default_factory=list)


class AccountSnapshot(_Model):
    """What the index shows about an account, read leniently from the stored plan."""

    account_id: str
    name: str
    health: str | None = None
    renewal_date: date | None = None
    tier: str | None = None
    arr: float | None = None


class AccountManifest(_Model):
    """The record of one account's last batch result (``ok`` or ``failed``)."""

    format: int = BATCH_FORMAT
    account_id: str
    account_name: str
    quarter: str
    status: Literal["ok", "failed"]
    fingerprint: str
    backend: str
    prompt_version: str = ""
    run_id: str
    as_of: datetime
    finished_at: datetime
    seconds: float = 0.0
    health: str | None = None
    renewal_date: date | None = None
    tier: str | None = None
    arr: float | None = None
    draft_id: str | None = None
    review_id: str | None = None
    review_status: str | None = None
    guardrails: GuardrailSummary | None = None
    files: dict[str, str] = Field(default_factory=dict)  # output name -> path relative to the out dir
    timings: dict[str, float] = Field(default_factory=dict)
    error: str | None = None
    stage: str | None = None
    traceback: str | None = None


def account_dir(out_dir: Path, account_id: str) -> Path:
    return Path(out_dir) / ACCOUNTS_DIR / account_id


def manifest_path(out_dir: Path, account_id: str) -> Path:
    return account_dir(out_dir, account_id) / MANIFEST


def read_manifest(out_dir: Path, account_id: str) -> AccountManifest | None:
    """The account's manifest, or None when absent or unreadable (then the account is redone)."""
    path = manifest_path(out_dir, account_id)
    try:
        return AccountManifest.model_validate_json(path.read_bytes())
    except (OSError, ValueError, ValidationError):
        return None


def read_manifests(out_dir: Path) -> dict[str, AccountManifest]:
    """Every readable manifest under ``out_dir/accounts``, by account id."""
    root = Path(out_dir) / ACCOUNTS_DIR
    found: dict[str, AccountManifest] = {}
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            manifest = read_manifest(out_dir, folder.name)
            if manifest is not None:
                found[manifest.account_id] = manifest
    return found


def write_manifest(out_dir: Path, manifest: AccountManifest) -> Path:
    """Write atomically and durably (fsync): this file is the account's commit point."""
    return write_json_atomic(manifest_path(out_dir, manifest.account_id), manifest.model_dump(mode="json"))


def outputs_present(out_dir: Path, manifest: AccountManifest) -> bool:
    """Every file the manifest lists exists and is not empty."""
    for rel in manifest.files.values():
        path = Path(out_dir) / rel
        try:
            if path.stat().st_size == 0:
                return False
        except OSError:
            return False
    return bool(manifest.files)


# --- fingerprints --------------------------------------------------------------------------


def _records_by_account(store: Store, account_ids: set[str]) -> dict[str, list[tuple[str, str, str, str]]]:
    """``{account: [(table, id, content_hash, json sha256), ...]}`` in a stable order."""
    out: dict[str, list[tuple[str, str, str, str]]] = {a: [] for a in account_ids}
    queries = [
        ("plans", "SELECT account_id AS account, account_id AS id, content_hash, json FROM plans"),
        ("tickets", "SELECT account_id AS account, id, content_hash, json FROM tickets"),
        ("incidents", "SELECT account_id AS account, id, content_hash, json FROM incidents"),
    ]
    for table, sql in queries:
        for row in store.execute(sql + " ORDER BY account, id"):
            if row["account"] in out:
                digest = hashlib.sha256((row["json"] or "").encode("utf-8")).hexdigest()
                out[row["account"]].append((table, row["id"], row["content_hash"] or "", digest))
    return out


def _names_digest(store: Store) -> str:
    """A digest of every account's name and aliases: the terms scrubbed from other accounts' drafts."""
    names: dict[str, list[str]] = {}
    for row in store.execute("SELECT account_id, name, json FROM plans ORDER BY account_id"):
        terms = [row["name"] or ""]
        try:
            terms += [str(t) for t in json.loads(row["json"]).get("account", {}).get("aliases", []) or []]
        except (ValueError, AttributeError, TypeError):
            pass
        names[row["account_id"]] = sorted(terms)
    return hashlib.sha256(json.dumps(names, sort_keys=True).encode("utf-8")).hexdigest()


def fingerprints(store: Store, account_ids: list[str], *, quarter: str, backend: str, prompt_version: str,
                 as_of: datetime | None = None) -> dict[str, str]:
    """``{account id: sha256 hex}`` of each account's drafting inputs (see the module docstring)."""
    records = _records_by_account(store, set(account_ids))
    peers = _names_digest(store)
    out = {}
    for account in account_ids:
        head = {"format": BATCH_FORMAT, "account": account, "quarter": quarter, "backend": backend,
                "prompt_version": prompt_version, "names": peers,
                "as_of": as_of.isoformat() if as_of else None}
        h = hashlib.sha256(json.dumps(head, sort_keys=True).encode("utf-8"))
        for item in records.get(account, []):
            h.update("\x1f".join(item).encode("utf-8"))
            h.update(b"\x1e")
        out[account] = h.hexdigest()
    return out


# --- account snapshots (index columns) -------------------------------------------------------


def _dig(doc: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(doc, dict):
            return None
        doc = doc.get(key)
    return doc


def _to_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _to_float(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def account_snapshots(store: Store, account_ids: list[str] | None = None) -> dict[str, AccountSnapshot]:
    """Name, health, renewal date, tier and ARR per account, read from the plans' raw JSON.

    Lenient on purpose: a plan whose JSON no longer validates still gets a row (with what can be
    read), so the index can show that account's error next to its name.
    """
    sql, params = "SELECT account_id, name, json FROM plans", ()
    if account_ids is not None:
        sql, params = sql + f" WHERE account_id IN ({','.join('?' * len(account_ids))})", tuple(account_ids)
    out = {}
    for row in store.execute(sql + " ORDER BY account_id", params):
        try:
            doc = json.loads(row["json"])
        except (TypeError, ValueError):
            doc = {}
        health = _dig(doc, "account", "health")
        tier = _dig(doc, "contract", "tier")
        out[row["account_id"]] = AccountSnapshot(
            account_id=row["account_id"], name=row["name"] or row["account_id"],
            health=health if isinstance(health, str) else None,
            renewal_date=_to_date(_dig(doc, "contract", "renewal_date")),
            tier=tier if isinstance(tier, str) else None, arr=_to_float(_dig(doc, "contract", "arr")))
    return out

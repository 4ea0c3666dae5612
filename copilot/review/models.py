"""What the review queue returns: a review item with its revisions, overrides and audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from copilot.drafting.draft import Finding, GuardrailReport

__all__ = ["AuditEntry", "Override", "ReviewItem", "ReviewStatus", "Revision", "standing_findings"]

ReviewStatus = Literal["draft", "in_review", "approved", "rejected"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Override(_Model):
    """A reviewer's written decision to let one blocking check's findings stand on one revision."""

    review_id: str
    revision: int
    check: str
    reviewer: str
    reason: str
    at: datetime


class Revision(_Model):
    """One immutable version of a draft's text, with the guardrail report it was checked against."""

    n: int
    markdown: str
    content_hash: str
    author: str
    created_at: datetime
    report: GuardrailReport


class AuditEntry(_Model):
    """One append-only audit row. ``version`` is set only for entries that changed the review.

    ``entry_hash`` chains each row to the previous one (``prev_hash``), so an edit made to the
    file behind the database's back shows up in ``ReviewQueue.verify_audit()``.
    """

    id: int
    at: datetime
    review_id: str | None
    actor: str
    action: str
    revision: int | None = None
    version: int | None = None
    hash_before: str | None = None
    hash_after: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict)
    prev_hash: str | None = None
    entry_hash: str


class ReviewItem(_Model):
    """A draft under review, as of its current revision.

    ``findings`` are the current revision's findings with ``overridden`` set from the overrides;
    ``blocking`` are the ones that still prevent approval. ``version`` counts every change and is
    what ``expected_version`` arguments compare against.
    """

    id: str
    draft_id: str
    kind: str
    account_id: str
    subject_id: str
    title: str = ""
    status: ReviewStatus
    revision: int
    version: int
    content_hash: str
    markdown: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None
    findings: list[Finding] = Field(default_factory=list)
    blocking: list[Finding] = Field(default_factory=list)
    revisions: list[Revision] = Field(default_factory=list)
    overrides: list[Override] = Field(default_factory=list)
    audit: list[AuditEntry] = Field(default_factory=list)
    provenance: dict[str, Any] = Field(default_factory=dict)  # how the current revision's draft was made:
    # backend per section, and for a model draft its audit record (prompt version, fact table, passage
    # ids, model, server, tokens, dropped statements and why, findings at drafting time)

    @property
    def approvable(self) -> bool:
        return self.status == "in_review" and not self.blocking


def standing_findings(report: GuardrailReport, overridden_checks: set[str]) -> list[Finding]:
    """The report's findings with ``overridden`` set by check name.

    A check that crashed without leaving a finding becomes a blocking finding of its own:
    a draft a check could not verify is not verified.
    """
    findings = [
        f.model_copy(update={"overridden": f.severity == "block" and f.check in overridden_checks})
        for f in report.findings
    ]
    named = {f.check for f in findings}
    for check in report.crashed:
        if check not in named:
            findings.append(Finding(check=check, severity="block", crashed=True,
                                    message=f"check {check!r} crashed, so it did not verify this draft",
                                    overridden=check in overridden_checks))
    return findings

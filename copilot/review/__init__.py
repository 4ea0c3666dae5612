"""Review: the approval workflow (draft → in_review → approved | rejected) and its audit log.

``ReviewQueue`` is the API; ``Copilot.review`` gives one wired to the guardrails.
"""

from __future__ import annotations

from copilot.review.models import AuditEntry, Override, ReviewItem, ReviewStatus, Revision
from copilot.review.queue import Checker, ReviewQueue
from copilot.review.schema import STATUSES

__all__ = ["STATUSES", "AuditEntry", "Checker", "Override", "ReviewItem", "ReviewQueue", "ReviewStatus", "Revision"]

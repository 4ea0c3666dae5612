"""The ordered list of ingestors and format detection.

Detection is by location and content, never by a flag: the first ingestor whose
``matches`` accepts the file wins. Order matters only where shapes could overlap; plans
come first because the pipeline needs them to build the :class:`AccountResolver`.
"""

from __future__ import annotations

from pathlib import Path

from copilot.ingest.base import Ingestor
from copilot.ingest.csv_tickets import CsvIngestor
from copilot.ingest.files import load_file
from copilot.ingest.incidents import IncidentIngestor
from copilot.ingest.jira import JiraIngestor
from copilot.ingest.plans import PlanIngestor
from copilot.ingest.postmortem import PostmortemIngestor
from copilot.ingest.rows import entry
from copilot.ingest.runbooks import RunbookIngestor
from copilot.ingest.slack import SlackDayIngestor, SlackExportMetaIngestor
from copilot.ingest.zendesk import ZendeskIngestor
from copilot.records.models import QuarantineEntry

__all__ = ["INGESTORS", "detect", "ingestor", "load_file", "unrecognized"]

INGESTORS: tuple[Ingestor, ...] = (
    PlanIngestor(),
    IncidentIngestor(),
    ZendeskIngestor(),
    JiraIngestor(),
    SlackExportMetaIngestor(),
    SlackDayIngestor(),
    CsvIngestor(),
    PostmortemIngestor(),  # before runbooks: both are Markdown
    RunbookIngestor(),
)


def detect(path: Path, data: object | None) -> Ingestor | None:
    """The first ingestor that reads ``path`` (``data``: its parsed JSON/YAML, else None)."""
    for candidate in INGESTORS:
        if candidate.matches(Path(path), data):
            return candidate
    return None


def ingestor(name: str) -> Ingestor:
    """The registered ingestor called ``name``.

    Raises:
        KeyError: no ingestor has that name.
    """
    for candidate in INGESTORS:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no ingestor named {name!r}; known: {', '.join(i.name for i in INGESTORS)}")


def unrecognized(path: Path) -> QuarantineEntry:
    """The whole-file quarantine entry for a JSON/YAML/CSV/Markdown file no ingestor reads."""
    return entry(
        path,
        "",
        "no ingestor recognises this file's shape",
        "expected one of: YAML with top-level 'account' (plan) or 'incident'; JSON with "
        "'tickets' (Zendesk) or 'issues' (Jira); a Slack export day file "
        "<channel>/YYYY-MM-DD.json; a tickets/comments CSV; a Markdown runbook "
        "(see docs/formats.md)",
    )

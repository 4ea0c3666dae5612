"""Source-format ingestors: pure parsers from export files to records.

How the pipeline uses them (see each module for its format)::

    data, error = load_file(path)            # error: quarantine the whole file
    ing = detect(path, data)                 # None: unrecognized(path) for source files
    result = ing.parse(path, data, resolver) # ParseResult: records + quarantine rows

Order: parse every plan first and build ``AccountResolver(plans)``; then the other files;
then ``attach_comments`` for CSV comments and ``attach_channel`` for each incident with
the Slack messages of every day file. ``copilot.ingest.pipeline`` does all of this, within
an :class:`IngestLimits`, and reconciles with the store (identity, incident channels, dates).
"""

from copilot.ingest.base import AccountResolver, Ingestor, MappingKind, ParseResult, SlackMessage
from copilot.ingest.csv_tickets import attach_comments
from copilot.ingest.files import FileProblem, read_text
from copilot.ingest.incidents import attach_channel, event_order
from copilot.ingest.limits import IngestLimits
from copilot.ingest.registry import INGESTORS, detect, ingestor, load_file, unrecognized
from copilot.ingest.severity import (
    normalize_incident_status,
    normalize_priority,
    normalize_status,
    parse_timestamp,
)
from copilot.ingest.ticket_fields import environment_from_tags, first_response_at

__all__ = [
    "INGESTORS",
    "AccountResolver",
    "FileProblem",
    "IngestLimits",
    "Ingestor",
    "MappingKind",
    "ParseResult",
    "SlackMessage",
    "attach_channel",
    "attach_comments",
    "detect",
    "environment_from_tags",
    "event_order",
    "first_response_at",
    "ingestor",
    "load_file",
    "normalize_incident_status",
    "normalize_priority",
    "normalize_status",
    "parse_timestamp",
    "read_text",
    "unrecognized",
]

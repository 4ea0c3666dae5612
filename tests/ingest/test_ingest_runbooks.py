"""Markdown runbooks: front matter, heading chunks, fenced code, quarantine of unusable files."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot.ingest import AccountResolver, ParseResult, detect, load_file
from copilot.ingest.runbooks import split_front_matter
from copilot.records.models import RunbookSection

WITH_FRONT_MATTER = """\
---
id: RB-label-api-504
title: Label API 504s
component: label-api
product: Shipping Cloud
tags: [gateway, timeouts]
owner: sre-team
---
# Label API 504s

Use when the Label API returns 504 at the gateway.

## Diagnose

1. Check pool saturation:

```bash
# this comment is not a heading
kubectl top pods -n labels
```

## Mitigate
Restart the pool.

### Verify

Error rate below 1%.
## Empty section
"""

PLAIN = """\
Preface text before any heading.

# Export stalls
## Steps
Re-run the nightly job.
"""


def _parse(tmp_path: Path, name: str, text: str | bytes) -> tuple[Path, ParseResult]:
    path = tmp_path / "runbooks" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    data, _ = load_file(path)
    ingestor = detect(path, data)
    assert ingestor is not None and ingestor.name == "runbooks"
    return path, ingestor.parse(path, data, AccountResolver())


def test_runbook_with_front_matter(tmp_path: Path) -> None:
    path, result = _parse(tmp_path, "label-api.md", WITH_FRONT_MATTER)
    assert result.quarantine == []
    [rb] = result.runbooks
    assert (rb.id, rb.title, rb.component, rb.product, rb.tags, rb.source_file) == (
        "RB-label-api-504", "Label API 504s", "label-api", "Shipping Cloud", ["gateway", "timeouts"],
        str(path))
    assert rb.sections == [
        RunbookSection(heading="Label API 504s", text="Use when the Label API returns 504 at the gateway."),
        RunbookSection(heading="Diagnose", text="1. Check pool saturation:\n\n```bash\n"
                       "# this comment is not a heading\nkubectl top pods -n labels\n```"),
        RunbookSection(heading="Mitigate", text="Restart the pool."),
        RunbookSection(heading="Verify", text="Error rate below 1%."),
    ]


def test_runbook_without_front_matter(tmp_path: Path) -> None:
    _, result = _parse(tmp_path, "export-stalls.md", PLAIN)
    [rb] = result.runbooks
    assert (rb.id, rb.title, rb.tags) == ("RB-export-stalls", "Export stalls", [])
    assert rb.sections == [
        RunbookSection(heading="Export stalls", text="Preface text before any heading."),
        RunbookSection(heading="Steps", text="Re-run the nightly job."),
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Just text, no heading.\n", "runbook has no title"),
        ("# Title only\n\n## Nothing\n", "runbook has no text under any heading"),
        ("---\ntitle: [unclosed\n---\n# T\ntext\n", "malformed front matter at line 3, column 1"),
        ("---\ntitle: T\n# T\ntext\n", "front matter opened with '---' on line 1 is never closed"),
        ("---\n- a list\n---\n# T\ntext\n", "front matter is not a YAML mapping"),
        (b"# T\n\ncaf\xe9\n", "not valid UTF-8: byte 0xE9 at byte offset 8 (line 3)"),
        ("", "file is empty"),
    ],
)
def test_bad_runbook_quarantined(tmp_path: Path, text: str | bytes, reason: str) -> None:
    path, result = _parse(tmp_path, "bad.md", text)
    assert result.runbooks == []
    [entry] = result.quarantine
    assert (entry.file, entry.row) == (str(path), "")
    assert entry.reason.startswith(reason), entry.reason
    assert entry.action


@pytest.mark.parametrize("prefix", [
    "<!-- SOURCE: https://example.org/runbooks/x.md | licence: MIT -->\n",
    "<!--\n exported by a mirror\n-->\n\n",
    "<!-- one --><!-- two -->\n",
])
def test_front_matter_after_leading_html_comments(prefix: str) -> None:
    """Mirrors and exporters put a provenance comment above the front matter (real public runbooks do)."""
    meta, body = split_front_matter(prefix + "---\ntitle: Disk full\ncomponent: storage\n---\n## Symptoms\nfull\n")
    assert meta == {"title": "Disk full", "component": "storage"}
    assert body.startswith("## Symptoms")

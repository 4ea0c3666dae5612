"""The shared runbooks (``stories/runbooks.yaml``) as Markdown with YAML front matter."""

from __future__ import annotations

from pathlib import Path

import yaml

from copilot.synth.story import Runbook, runbooks
from copilot.synth.world import PRODUCT
from copilot.synth.writers.files import YamlDumper

__all__ = ["runbook_markdown", "write_runbooks"]


def runbook_markdown(rb: Runbook) -> str:
    """Front matter, title, then one ``## heading`` per section."""
    front = {"id": rb.id, "title": rb.title, "component": rb.component, "product": PRODUCT,
             "tags": list(rb.tags)}
    if not rb.component:
        front.pop("component")
    head = yaml.dump(front, Dumper=YamlDumper, sort_keys=False, allow_unicode=True, width=110,
                     default_flow_style=None)
    body = "\n\n".join(f"## {s.heading}\n\n{s.body}" for s in rb.sections)
    return f"---\n{head}---\n\n# {rb.title}\n\n{body}\n"


def write_runbooks(out_dir: Path) -> int:
    """Write every runbook to ``out_dir/runbooks/``; returns how many."""
    folder = out_dir / "runbooks"
    folder.mkdir(parents=True, exist_ok=True)
    for rb in runbooks():
        (folder / f"{rb.id[3:]}.md").write_text(runbook_markdown(rb), encoding="utf-8")
    return len(runbooks())

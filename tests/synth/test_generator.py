"""The synthetic portfolio generator: deterministic output, story YAML that fails loudly, files
that ingest cleanly."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from copilot.ingest import AccountResolver, attach_channel, attach_comments, detect, load_file
from copilot.synth.generator import generate_portfolio
from copilot.synth.story import ArchetypeFile, Scenario, StoryError, load_story

STORIES = Path(__file__).resolve().parents[2] / "copilot" / "synth" / "stories"


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- determinism --------------------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files_and_another_seed_differs(tmp_path: Path) -> None:
    first = generate_portfolio(tmp_path / "a", 2, 6)
    again = generate_portfolio(tmp_path / "b", 2, 6)
    generate_portfolio(tmp_path / "c", 2, 7)

    assert first == again
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    a, c = _tree(tmp_path / "a"), _tree(tmp_path / "c")
    assert set(a) != set(c) or any(a[k] != c[k] for k in a)
    assert first["tickets"] > 0 and first["incidents"] > 0 and first["runbooks"] > 0


# --- story files --------------------------------------------------------------------------------


def _broken_copy(tmp_path: Path, relative: str, old: str, new: str) -> Path:
    """A copy of a bundled story file with one realistic authoring mistake."""
    text = (STORIES / relative).read_text(encoding="utf-8")
    assert old in text, f"{relative} no longer contains {old!r}"
    path = tmp_path / Path(relative).name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_misspelt_key_names_the_file_the_entry_and_the_key(tmp_path: Path) -> None:
    path = _broken_copy(tmp_path, "archetypes/defects.yaml", "    repro:\n", "    repo:\n")

    with pytest.raises(StoryError) as caught:
        load_story(path, ArchetypeFile)

    message = str(caught.value)
    assert str(path) in message
    assert "archetypes[0] (key: gw-rate-limit).repo" in message
    assert "Extra inputs are not permitted" in message


def test_value_of_the_wrong_shape_names_the_key(tmp_path: Path) -> None:
    path = _broken_copy(tmp_path, "archetypes/defects.yaml", "weights: [0.0, 0.35, 0.5, 0.15]",
                        "weights: [0.35, 0.5, 0.15]")

    with pytest.raises(StoryError, match=r"defects\.yaml: archetypes\[0\] \(key: gw-rate-limit\)\.weights"):
        load_story(path, ArchetypeFile)


def test_unknown_scenario_role_and_invalid_yaml_name_the_file(tmp_path: Path) -> None:
    path = _broken_copy(tmp_path, "scenarios/label-504.yaml", "    role: sre\n", "    role: sre3\n")
    with pytest.raises(StoryError, match=r"label-504\.yaml: messages\[1\]\.role"):
        load_story(path, Scenario)

    broken = tmp_path / "broken.yaml"
    broken.write_text("key: x\nmessages: [unclosed\n", encoding="utf-8")
    with pytest.raises(StoryError, match=r"broken\.yaml: not valid YAML"):
        load_story(broken, Scenario)


# --- the files ingest -----------------------------------------------------------------------------


def _parse(root: Path) -> tuple[Counter, list]:
    """Parse a portfolio with the ingest layer's parsers, in the order its docstring documents.

    Parsing, not a full ``Copilot.ingest``: quarantine is decided before anything is embedded, and
    embedding even two accounts takes about a minute on two cores. The full ingest of a generated
    portfolio (8 accounts, asserting no quarantine) runs once per session in tests/batch/conftest.py.
    """
    loaded = [(p, *load_file(p)) for p in sorted(root.rglob("*")) if p.is_file()]
    assert [(str(p), error) for p, _, error in loaded if error] == []
    parsers = [(p, data, detect(p, data)) for p, data, _ in loaded]
    assert [str(p) for p, _, ingestor in parsers if ingestor is None] == []
    plans = [plan for p, data, ing in parsers if ing.name == "plans"
             for plan in ing.parse(p, data, AccountResolver([])).plans]
    resolver = AccountResolver(plans)
    counts: Counter = Counter()
    quarantine: list = []
    tickets, incidents, comments, messages = [], [], [], []
    for path, data, ingestor in parsers:
        result = ingestor.parse(path, data, resolver)
        quarantine += result.quarantine
        tickets += result.tickets
        incidents += result.incidents
        comments += result.csv_comments
        messages += result.slack_messages
        counts["runbooks"] += len(result.runbooks)
        counts["plans"] += len(result.plans)
    tickets, orphans = attach_comments(tickets, comments, file="csv")
    quarantine += orphans
    counts["tickets"] = len(tickets)
    counts["comments"] = sum(len(t.comments) for t in tickets)
    for incident in incidents:
        attached = attach_channel(incident, [m for m in messages if m.channel == incident.channel])
        counts["incidents"] += 1
        counts["channel_events"] += sum(1 for e in attached.events if e.source_id)
    return counts, quarantine


@pytest.mark.parametrize("seed", [5, 6])  # 5: Zendesk + Jira + incidents, 6: Jira + CSV + incidents
def test_generated_files_parse_without_quarantine(tmp_path: Path, seed: int) -> None:
    made = generate_portfolio(tmp_path, 2, seed)

    counts, quarantine = _parse(tmp_path)

    assert quarantine == []
    assert counts["plans"] == 2 and counts["runbooks"] == made["runbooks"]
    assert counts["tickets"] == made["tickets"] and counts["comments"] == made["comments"]
    assert counts["incidents"] == made["incidents"] > 0
    assert counts["channel_events"] > 0


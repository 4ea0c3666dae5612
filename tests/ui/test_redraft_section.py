"""Per-section redraft in the console (issue 14, item 3) and the review page's provenance (item 4).

The template backend is the one backend that runs here without a model server. Redrafting a section
of a template draft with the template gives the same text, so each test first changes two sections
(as a TAM or a reviewer would), then redrafts one of them: that one goes back to the records' text and
is recorded as written by ``template``, the other keeps its edit.
"""

from __future__ import annotations

from pathlib import Path

from test_pages import assert_clean, run_page

NOTE_FIRST = "TAM note on the first section."
NOTE_LAST = "TAM note on the last section."


def _with_notes(draft) -> str:
    """``draft``'s markdown with a note added to its first and its last section."""
    first, last = draft.sections[0].text.strip(), draft.sections[-1].text.strip()
    markdown = draft.markdown.replace(first, f"{first}\n\n{NOTE_FIRST}", 1)
    return markdown.replace(last, f"{last}\n\n{NOTE_LAST}", 1)


def _frames(at, column: str) -> list:
    return [df.value for df in at.dataframe if column in getattr(df.value, "columns", [])]


def test_redrafting_one_section_of_a_console_draft_replaces_only_that_section(home_env: Path, p1_ticket) -> None:
    account, ticket = p1_ticket
    slot = f"brief:{ticket}"
    at = run_page("views/escalations.py", account)
    at.button(key=f"draft-brief-{ticket}").click().run()
    drafted = at.session_state["drafts"][slot]
    at.toggle(key=f"editing-{slot}").set_value(True).run()
    at.text_area[0].set_value(_with_notes(drafted)).run()
    at.button(key=f"recheck-{slot}").click().run()
    assert_clean(at)
    edited = at.session_state["drafts"][slot]
    assert NOTE_FIRST in edited.markdown and NOTE_LAST in edited.markdown

    first = drafted.sections[0]
    key = "".join(ch if ch.isalnum() else "-" for ch in slot)
    at.selectbox(key=f"redraft-section-{key}").select(first.name).run()
    at.selectbox(key=f"redraft-backend-{key}").select("template").run()
    at.button(key=f"redraft-{slot}").click().run()
    assert_clean(at)

    redrafted = at.session_state["drafts"][slot]
    assert redrafted.section(first.name).text.strip() == first.text.strip()  # the records' text again
    assert NOTE_FIRST not in redrafted.markdown and NOTE_LAST in redrafted.markdown
    for section in edited.sections[1:]:
        assert redrafted.section(section.name).text == section.text, section.name
    assert redrafted.scores["section_backends"][first.name] == "template"
    assert redrafted.guardrails is not None
    writers = _frames(at, "Written by")
    assert writers, "the workspace shows who wrote each section"
    row = writers[0][writers[0]["Section"] == first.title]
    assert list(row["Written by"]) == ["template"]


def test_review_page_redrafts_a_section_as_a_revision_and_shows_writers_and_provenance(
        home_env: Path, copilot, p1_ticket) -> None:
    account, ticket = p1_ticket
    draft = copilot.draft("escalation_brief", ticket)
    item = copilot.review.submit(draft.model_copy(update={"id": draft.id + "-redraft"}), "Sam Okafor")
    copilot.review.edit(item.id, _with_notes(draft), "Riley Chen")
    first = draft.sections[0]

    at = run_page("views/review.py", account)
    at.selectbox(key="review-open").select(item.id).run()
    assert_clean(at)
    assert at.button(key=f"redraft-{item.id}").disabled  # no name typed yet
    at.text_input(key=f"name-edit-{item.id}").set_value("Riley Chen").run()
    at.selectbox(key=f"redraft-section-review-{item.id}").select(first.name).run()
    at.selectbox(key=f"redraft-backend-review-{item.id}").select("template").run()
    at.button(key=f"redraft-{item.id}").click().run()
    assert_clean(at)

    after = copilot.review.get(item.id)
    assert after.revision == 3
    assert NOTE_FIRST not in after.markdown and NOTE_LAST in after.markdown
    changes = {c.section: c for c in copilot.review.diff(item.id)}
    assert changes[first.name].changed and changes[first.name].backend_after == "template"
    assert [n for n, c in changes.items() if c.changed] == [first.name]

    # the diff tab: per section, who wrote each side (the reviewer's edit before, the template after)
    diff = _frames(at, "After: written by")
    assert diff, "the diff tab shows per-section writers"
    row = diff[0][diff[0]["Section"] == first.name]
    assert list(row["Changed"]) == ["yes"] and list(row["After: written by"]) == ["template"]
    assert list(row["Before: written by"]) == ["edited by Riley Chen"]
    last = diff[0][diff[0]["Section"] == draft.sections[-1].name]
    assert list(last["Changed"]) == ["no"] and list(last["After: written by"]) == ["edited by Riley Chen"]

    # the Provenance expander: the audit record of the current revision's draft, as `review show` prints it
    assert "Provenance" in [e.label for e in at.expander]
    assert any(line.startswith("Drafted by template") for line in (c.value for c in at.caption))
    assert after.provenance["section_backends"][first.name] == "template"
    writers = [df[df["Section"].isin([first.name, first.title])] for df in _frames(at, "Written by")]
    assert len(writers) == 2  # the edit tab's table and the provenance's
    assert all(list(df["Written by"]) == ["template"] for df in writers)
    assert any("section_backends" in str(j.value) for j in at.json)  # the audit record itself

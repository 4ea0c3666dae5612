"""LLM drafts against a model server that lies: invented numbers, IDs, times and names never reach the draft.

The model server is a fake: a stdlib ``http.server`` on 127.0.0.1 speaking the OpenAI
chat-completions route. Why a fake: the check needs a model that invents values *deterministically*
and on every call (a real small model invents some values, sometimes, differently per build and
machine), and that answers both in the JSON shape the slots prompt asks for and in free Markdown
(a server that ignores ``response_format``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from http_fake import Handler, serving

ROOT = Path(__file__).resolve().parents[2]
AS_OF = datetime(2026, 11, 16, 8, 0, tzinfo=timezone.utc)
INVENTED = ["ZD-99817", "4,812", "37%", "03:14 UTC", "9.9.1", "ops-lead@example.org", "Bartholomew Quinn"]


def lying_json(request: dict) -> str:
    """Per section of the requested schema: one statement inventing values, one using a real key."""
    schema = request["response_format"]["json_schema"]["schema"]
    answer = {}
    for n, name in enumerate(schema["properties"]):
        keys = schema["properties"][name]["items"]["properties"]["facts"]["items"].get("enum", [])
        statements = [{"text": f"Ticket {INVENTED[0]} shows {INVENTED[1]} failed requests ({INVENTED[2]}) "
                               f"since {INVENTED[3]} on version {INVENTED[4]}.", "facts": []},
                      {"text": f"Contact {INVENTED[5]} or {INVENTED[6]} for details.", "facts": []}]
        if keys and n % 2 == 0:  # every other section also gets one statement built from a real key
            statements.append({"text": f"This concerns {{{keys[0]}}} as recorded.", "facts": [keys[0]]})
        answer[name] = statements
    return json.dumps(answer)


def lying_markdown(request: dict) -> str:
    """A server that ignores ``response_format`` and writes free prose full of invented values."""
    return ("## Summary\n- Ticket ZD-99817 shows 4,812 failed requests (37%) since 03:14 UTC.\n\n"
            "## What we know\n- Version 9.9.1 broke label creation for Bartholomew Quinn.\n\n"
            "## Timeline\n- 2026-01-01 03:14 UTC — ops-lead@example.org paged the on-call.\n")


class _Liar(Handler):
    answer: Callable[[dict], str] = staticmethod(lying_json)
    finish_reason = "stop"
    requests: list[dict] = []

    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)))
        type(self).requests.append(request)
        body = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": request["model"],
                           "choices": [{"index": 0, "finish_reason": type(self).finish_reason,
                                        "message": {"role": "assistant", "content": type(self).answer(request)}}],
                           "usage": {"prompt_tokens": 1000, "completion_tokens": 200, "total_tokens": 1200}}).encode()
        self.reply(body)


@pytest.fixture
def liar() -> Iterator[tuple[str, type[_Liar]]]:
    handler = type("Handler", (_Liar,), {"requests": []})
    with serving(handler) as url:
        yield url, handler


SUBJECTS = [("escalation_brief", "ZD-4347", None), ("incident_update", "INC-2026-0614", None),
            ("pir_timeline", "INC-2026-0822", None), ("qbr_narrative", "harbor-line", "2026Q3")]


@pytest.mark.parametrize(("kind", "subject", "quarter"), SUBJECTS)
def test_invented_statements_are_dropped_and_the_draft_passes(sample_copilot, liar, kind, subject, quarter,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from copilot.drafting.budget import count_tokens

    url, handler = liar
    monkeypatch.setenv("COPILOT_LLM_CONTEXT_TOKENS", "1400")  # a small window: the slotted prompt still fits
    monkeypatch.setenv("COPILOT_LLM_MAX_TOKENS", "350")
    draft = sample_copilot.draft(kind, subject, backend=f"openai:liar@{url}", as_of=AS_OF, quarter=quarter)
    sent = "\n".join(m["content"] for m in handler.requests[0]["messages"])
    assert count_tokens(sent) <= 1400 - 350 - 96 and "FACT TABLE" in sent
    assert handler.requests[0]["response_format"]["type"] == "json_schema"  # structured output was asked for
    assert draft.guardrails is not None and draft.guardrails.passed, [f.message for f in draft.guardrails.blocking]
    for value in INVENTED:
        assert value not in draft.markdown
    dropped = draft.scores["dropped_statements"]
    assert len(dropped) >= 2 * len(draft.sections)  # both lying statements of every section
    assert all(d["reasons"] for d in dropped)
    # the statements built from a real key were kept, rendered and cited; the rest came from the template
    assert 0 < draft.scores["slots"]["kept"] < draft.scores["slots"]["statements"]
    backends = draft.scores["section_backends"]
    assert set(backends.values()) >= {"template"} and set(backends) == {s.name for s in draft.sections}
    assert draft.audit["mode"] == "slots" and draft.audit["fact_table"] and draft.audit["tokens"]["prompt_tokens"] == 1000
    assert len(draft.audit["dropped"]) == len(dropped)


def test_template_keeps_every_golden_fact_a_lying_model_cannot_remove(sample_copilot, liar) -> None:
    url, _ = liar
    template = sample_copilot.draft("brief", "ZD-4347", as_of=AS_OF)
    slotted = sample_copilot.draft("brief", "ZD-4347", backend=f"openai:liar@{url}", as_of=AS_OF)
    for fact in ["ZD-4347", "P1", "5.3.0", "us-east-1", "E-5009", "req_e2c91f04", "2026-11-13 14:22 UTC",
                 "Owen Fletcher", "RB-tracking-event-lag", "ZD-4297", "2026-11-13 17:31 UTC"]:
        assert (fact in template.markdown) <= (fact in slotted.markdown), fact


def test_a_server_ignoring_the_schema_is_read_as_prose_and_falls_back(sample_copilot, liar) -> None:
    url, handler = liar
    handler.answer = staticmethod(lying_markdown)
    draft = sample_copilot.draft("update", "INC-2026-0614", backend=f"openai:liar@{url}",
                                 as_of=datetime(2026, 6, 14, 10, 20, tzinfo=timezone.utc))
    assert draft.guardrails.passed, [f.message for f in draft.guardrails.blocking]
    assert draft.scores["slots"]["answer_format"] == "markdown"
    assert not any(value in draft.markdown for value in INVENTED)
    assert any("Bartholomew" in d["text"] or "9.9.1" in d["text"] for d in draft.scores["dropped_statements"])


def test_an_answer_cut_off_by_a_full_context_is_said_so_and_the_template_fills_in(sample_copilot, liar) -> None:
    """What SmolLM2 on llama.cpp with ``--n_ctx 2048`` did: the prompt filled the server's context and the
    JSON answer stopped after a few tokens. The draft is the template's, and the audit says why."""
    url, handler = liar
    handler.answer = staticmethod(lambda request: '{ "known": [{"text":"Incident update: Label')
    handler.finish_reason = "length"
    draft = sample_copilot.draft("update", "INC-2026-0614", backend=f"openai:liar@{url}",
                                 as_of=datetime(2026, 6, 14, 10, 20, tzinfo=timezone.utc))
    assert draft.guardrails.passed and set(draft.scores["section_backends"].values()) == {"template"}
    assert "token limit" in draft.audit["cut_off"] and "--n_ctx" in draft.audit["cut_off"]
    assert set(draft.audit["fallback_sections"].values()) == {
        "the answer was cut off at the token limit before this section"}
    from copilot.console.provenance import provenance_view
    from copilot.review.section_diff import provenance

    assert any("token limit" in line for line in provenance_view(provenance(draft)).summary)


@pytest.mark.slow  # a subprocess that loads the embedding model: half a minute
def test_the_cli_against_a_lying_server_prints_a_passing_draft(liar, home_copy: Path) -> None:
    url, handler = liar
    proc = subprocess.run([sys.executable, "-m", "copilot", "draft", "update", "--incident", "INC-2026-0614",
                           "--as-of", "2026-06-14T10:20Z", "--backend", f"openai:liar@{url}", "--home",
                           str(home_copy), "--json"], capture_output=True, text=True, cwd=ROOT, timeout=180,
                          env={**os.environ, "HF_HUB_OFFLINE": "1", "COPILOT_LLM_RETRIES": "0"}, check=False)
    assert proc.returncode == 0, proc.stderr
    draft = json.loads(proc.stdout)
    assert draft["guardrails"]["passed"] and not any(v in draft["markdown"] for v in INVENTED)
    assert draft["scores"]["dropped_statements"] and draft["audit"]["model"] == "liar"


def test_review_show_displays_the_audit_record_of_a_model_draft(liar, home_copy: Path) -> None:
    from typer.testing import CliRunner

    from copilot.cli import app
    from copilot.service import Copilot

    url, _ = liar
    copilot = Copilot(home_copy)
    draft = copilot.draft("update", "INC-2026-0614", backend=f"openai:liar@{url}",
                          as_of=datetime(2026, 6, 14, 10, 20, tzinfo=timezone.utc))
    item = copilot.review.submit(draft, "tam")
    shown = CliRunner().invoke(app, ["review", "show", item.id, "--home", str(home_copy), "--json"])
    assert shown.exit_code == 0, shown.output
    provenance = json.loads(shown.stdout)["provenance"]
    assert provenance["model"] == "liar" and provenance["server"] == url
    assert provenance["prompt_version"].startswith("slots-system-") and provenance["tokens"]["completion_tokens"] == 200
    assert provenance["fact_table"] and all(row["sources"] for row in provenance["fact_table"])
    assert provenance["passage_ids"] and provenance["dropped"] and "findings" in provenance
    assert set(provenance["section_backends"].values()) >= {"template", f"openai:liar@{url}"}
    human = CliRunner().invoke(app, ["review", "show", item.id, "--home", str(home_copy)], terminal_width=200)
    assert "dropped statements" in human.stdout and "fact table" in human.stdout and "Bartholomew" in human.stdout


def test_one_section_is_redrafted_by_the_model_and_the_others_stay(sample_copilot, liar) -> None:
    url, handler = liar
    as_of = datetime(2026, 6, 14, 10, 20, tzinfo=timezone.utc)
    base = sample_copilot.draft("update", "INC-2026-0614", as_of=as_of)
    redrafted = sample_copilot.redraft_section(base, "Workaround", backend=f"openai:liar@{url}")
    assert list(handler.requests[0]["response_format"]["json_schema"]["schema"]["properties"]) == ["workaround"]
    for old, new in zip(base.sections, redrafted.sections, strict=True):
        assert (old.text == new.text) == (old.name != "workaround"), old.name
    assert redrafted.scores["section_backends"] == {s.name: "template" for s in base.sections} | {
        "workaround": f"openai:liar@{url}"}
    assert redrafted.guardrails.passed and redrafted.audit["section_redrafts"][0]["section"] == "workaround"
    assert redrafted.id != base.id and redrafted.citations


def test_a_review_redraft_keeps_the_models_record_in_the_new_revision(home_copy: Path, liar) -> None:
    from copilot import Copilot

    url, _ = liar
    copilot = Copilot(home_copy)
    base = copilot.draft("update", "INC-2026-0614", as_of=datetime(2026, 6, 14, 10, 20, tzinfo=timezone.utc))
    item = copilot.review.submit(base, "alice")
    copilot.redraft_review_section(item.id, "Workaround", "alice", backend=f"openai:liar@{url}")
    revised = copilot.review.current_draft(item.id)
    record = revised.audit["section_redrafts"][0]  # which model wrote it, its tokens, what it dropped
    assert record["section"] == "workaround" and f"openai:liar@{url}" in json.dumps(record)


def test_the_cli_redrafts_one_section_of_a_saved_draft(sample_home: Path, liar, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from copilot.cli import app

    url, _ = liar
    saved = tmp_path / "draft.json"
    common = ["draft", "update", "--incident", "INC-2026-0614", "--as-of", "2026-06-14T10:20Z", "--home", str(sample_home)]
    first = CliRunner().invoke(app, [*common, "--out", str(saved), "--json"])
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(app, [*common, "--section", "workaround", "--from", str(saved),
                                     "--backend", f"openai:liar@{url}", "--json"])
    assert again.exit_code == 0, again.output
    draft = json.loads(again.stdout)
    before = {s["name"]: s["text"] for s in json.loads(saved.read_text())["sections"]}
    assert {s["name"] for s in draft["sections"] if s["text"] != before[s["name"]]} == {"workaround"}
    assert draft["scores"]["section_backends"]["workaround"].startswith("openai:liar@")
    wrong = CliRunner().invoke(app, [*common, "--section", "nonsense", "--backend", f"openai:liar@{url}"])
    assert wrong.exit_code == 2 and "no section 'nonsense'" in wrong.output


def test_review_diff_shows_which_backend_wrote_each_section(liar, home_copy: Path) -> None:
    from typer.testing import CliRunner

    from copilot.cli import app
    from copilot.service import Copilot

    url, _ = liar
    copilot = Copilot(home_copy)
    item = copilot.review.submit(copilot.draft("update", "INC-2026-0614",
                                               as_of=datetime(2026, 6, 14, 10, 20, tzinfo=timezone.utc)), "tam")
    redrafted = CliRunner().invoke(app, ["review", "redraft", item.id, "--section", "workaround", "--reviewer", "tam",
                                         "--backend", f"openai:liar@{url}", "--home", str(home_copy), "--json"])
    assert redrafted.exit_code == 0, redrafted.output
    assert json.loads(redrafted.stdout)["revision"] == 2
    shown = CliRunner().invoke(app, ["review", "diff", item.id, "--home", str(home_copy), "--json"])
    changes = {c["section"]: c for c in json.loads(shown.stdout)}
    assert [n for n, c in changes.items() if c["changed"]] == ["workaround"]
    assert changes["workaround"]["backend_before"] == "template"
    assert changes["workaround"]["backend_after"] == f"openai:liar@{url}" and changes["workaround"]["diff"]
    assert changes["known"]["backend_after"] == "template"
    edited = copilot.review.current_draft(item.id).markdown.replace("We will send", "We shall send")
    copilot.review.edit(item.id, edited, "lead")
    last = {c.section: c for c in copilot.review.diff(item.id)}
    assert last["next_update"].backend_after == "edited by lead" and last["workaround"].backend_after.startswith("openai:")

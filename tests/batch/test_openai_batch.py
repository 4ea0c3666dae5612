"""``qbr-batch --openai-batch``: submit every prompt as one Batch API job, collect on a later run.

The Batch API itself is served by ``batch_api_server.BatchApiServer`` over real HTTP, through
the real ``openai`` client: OpenAI is not reachable from here and no local model server
implements ``/v1/files`` and ``/v1/batches`` (the module says more). In the fast tests its
"model" answers with the prompt's own facts digest; the ``llm`` test forwards every request to
the real llama.cpp server.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from batch_api_server import BatchApiServer, serve
from batch_helpers import batch_command, manifests, qbr_reviews, run_cli

from copilot.drafting.draft import SECTION_NAMES

MODEL = "gpt-4o-mini"


@pytest.fixture
def batch_api() -> Iterator[tuple[BatchApiServer, str]]:
    server = BatchApiServer()
    with serve(server) as url:
        yield server, url


def _command(home: Path, out: Path, url: str, accounts: list[str], *extra: str, quarter: str = "2026Q3") -> list[str]:
    return batch_command(home, out, "--accounts", ",".join(accounts), "--backend", f"openai:{MODEL}@{url}",
                         "--openai-batch", "--json", *extra, quarter=quarter)


@pytest.mark.slow  # submit, then collect and draft every account of the portfolio
def test_submit_then_collect_on_a_later_run(home: Path, tmp_path: Path, account_ids: list[str],
                                            batch_api: tuple[BatchApiServer, str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    server, url = batch_api
    monkeypatch.setenv("COPILOT_LLM_PRICE", "0.15,0.60")  # a loopback server is otherwise free
    accounts, out = account_ids[:3], tmp_path / "qbr"
    server.held = True  # OpenAI takes its time: the batch stays in progress

    code, payload, err = run_cli(_command(home, out, url, accounts))
    assert code == 3, err
    assert payload["phase"] == "submitted" and sorted(payload["accounts"]) == accounts
    estimate = " ".join(err.split())  # the console wraps long lines
    assert "Batch API: half of that" in estimate, "the cost estimate is printed first, at the batch price"
    assert payload["estimate"]["cost_usd"] == pytest.approx(
        (payload["estimate"]["prompt_tokens"] * 0.15 + payload["estimate"]["completion_tokens"] * 0.60) / 1e6 / 2, abs=2e-6)
    state = json.loads((out / "openai-batch.json").read_text())
    assert state["batch_id"] == payload["batch_id"] and sorted(state["accounts"]) == accounts
    assert manifests(out) == {}, "nothing is drafted before the answers are in"

    code, payload, err = run_cli(_command(home, out, url, accounts))
    assert code == 3, err
    assert payload["phase"] == "running" and payload["status"] == "in_progress"

    server.held = False
    code, payload, err = run_cli(_command(home, out, url, accounts, "--wait", "60"))
    assert code == 0, (payload or {}).get("result", {}).get("failed") or err
    assert payload["phase"] == "collected" and payload["status"] == "completed"
    assert sorted(payload["result"]["completed_accounts"]) == accounts and payload["result"]["failed"] == []
    assert len(server.batches) == 1 and len(server.requests) == 3, "one batch, one request per account"
    assert sorted(line["custom_id"] for line in server.requests) == accounts
    for account in accounts:
        draft = json.loads((out / "accounts" / account / "draft.json").read_text())
        assert draft["backend"] == f"openai:{MODEL}@{url}"
        assert [s["name"] for s in draft["sections"]] == [n for n, _ in SECTION_NAMES["qbr_narrative"]]
        assert all(s["text"].strip() for s in draft["sections"])
        assert draft["guardrails"]["passed"], draft["guardrails"]
    assert {s for _, a, s in qbr_reviews(home) if a in accounts} == {"in_review"}
    assert not (out / "openai-batch.json").exists()
    archived = json.loads((out / "openai-batches" / f"{payload['batch_id']}.json").read_text())
    assert archived["status"] == "completed" and archived["collected_at"]

    # nothing changed: nothing is submitted again
    code, payload, err = run_cli(_command(home, out, url, accounts))
    assert code == 0, err
    assert payload["phase"] == "nothing_to_do" and len(server.batches) == 1


def test_no_secret_or_customer_name_leaves_in_the_batch_file(home: Path, tmp_path: Path, account_ids: list[str],
                                                             batch_api: tuple[BatchApiServer, str]) -> None:
    """The JSONL sent to the Batch API carries the same redacted prompt as an online call."""
    from copilot.batch.openai_batch import run_openai_batch
    from copilot.service import Copilot

    server, url = batch_api
    copilot = Copilot(home)
    run_openai_batch(copilot, "2026Q3", account_ids[:2], tmp_path / "qbr", f"openai:{MODEL}@{url}", wait=60,
                     poll_every=0.1)
    people = {t.requester for a in account_ids[:2] for t in copilot.store.tickets(a)}
    sent = json.dumps([line["body"] for line in server.requests])
    assert people and not [p for p in people if p in sent], "people's names are placeholders in the prompt"
    assert not re.search(r"(?i)password\s*[:=]\s*\S+", sent)


def test_failed_and_stale_answers_fail_their_account_and_are_resubmitted(
        home: Path, tmp_path: Path, account_ids: list[str], portfolio_dir: Path,
        batch_api: tuple[BatchApiServer, str]) -> None:
    from copilot.batch.openai_batch import run_openai_batch
    from copilot.service import Copilot

    server, url = batch_api
    ok, failing, changed = account_ids[:3]
    out, backend = tmp_path / "qbr", f"openai:{MODEL}@{url}"
    server.held, server.fail_ids = True, {failing}
    first = run_openai_batch(Copilot(home), "2026Q3", [ok, failing, changed], out, backend)
    assert first.phase == "submitted"

    # the account's plan changes after submission: its answer no longer matches its prompt
    plan = tmp_path / "plans" / f"{changed}.yaml"
    plan.parent.mkdir()
    shutil.copy(portfolio_dir / "plans" / f"{changed}.yaml", plan)
    text = plan.read_text()
    assert "\nobjectives:\n" in text
    plan.write_text(text.replace("\nobjectives:\n", "\nobjectives:\n- Cut label-printing latency in half\n", 1))
    assert Copilot(home).ingest([plan]).quarantined == []

    server.held = False
    collected = run_openai_batch(Copilot(home), "2026Q3", [ok, failing, changed], out, backend, wait=60,
                                 poll_every=0.1)
    assert collected.phase == "collected" and collected.result.completed == [ok]
    errors = {f.account_id: f.error for f in collected.result.failed}
    assert set(errors) == {failing, changed}
    assert "did not answer" in errors[failing] and "the model failed on this request" in errors[failing]
    assert "records changed since the batch was submitted" in errors[changed]

    # the next run submits exactly the two failed accounts, and collects them
    server.fail_ids = set()
    again = run_openai_batch(Copilot(home), "2026Q3", [ok, failing, changed], out, backend)
    assert again.phase == "submitted" and sorted(again.accounts) == sorted([failing, changed])
    done = run_openai_batch(Copilot(home), "2026Q3", [ok, failing, changed], out, backend, wait=60, poll_every=0.1)
    assert sorted(done.result.completed) == sorted([failing, changed]) and done.result.failed == []
    assert len(server.batches) == 2 and len(server.requests) == 3 + 2


@pytest.mark.parametrize("killed_in", ["_create", "_record_batch"])
def test_a_run_killed_while_submitting_never_pays_for_a_second_batch(
        killed_in: str, home: Path, tmp_path: Path, account_ids: list[str],
        batch_api: tuple[BatchApiServer, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed before the batch was created, the next run creates it; killed after it was created
    but before its id was written down, the next run finds it by its submission id."""
    import copilot.batch.openai_batch as openai_batch
    from copilot.service import Copilot

    server, url = batch_api
    out, backend = tmp_path / "qbr", f"openai:{MODEL}@{url}"
    real = getattr(openai_batch, killed_in)

    def killed(*args, **kwargs):
        if killed_in == "_record_batch":
            real(*args[:2], "")  # the batch exists at the API, the state file has no id for it
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(openai_batch, killed_in, killed)
    with pytest.raises(KeyboardInterrupt):
        openai_batch.run_openai_batch(Copilot(home), "2026Q3", account_ids[:2], out, backend)
    monkeypatch.setattr(openai_batch, killed_in, real)
    expected_batches = 0 if killed_in == "_create" else 1
    assert len(server.batches) == expected_batches
    assert json.loads((out / "openai-batch.json").read_text())["batch_id"] == ""

    done = openai_batch.run_openai_batch(Copilot(home), "2026Q3", account_ids[:2], out, backend, wait=60,
                                         poll_every=0.1)
    assert done.phase == "collected" and sorted(done.result.completed) == account_ids[:2]
    assert len(server.batches) == 1, "one batch in all"


def test_the_batch_api_needs_an_openai_backend(home: Path, tmp_path: Path, account_ids: list[str]) -> None:
    code, _, err = run_cli(batch_command(home, tmp_path / "qbr", "--accounts", account_ids[0], "--openai-batch"))
    assert code == 2 and "--openai-batch needs an OpenAI backend" in err


@pytest.mark.slow  # two batch runs over the 8-account portfolio
def test_a_pending_batch_for_another_quarter_is_not_mixed_up(home: Path, tmp_path: Path, account_ids: list[str],
                                                            batch_api: tuple[BatchApiServer, str]) -> None:
    server, url = batch_api
    out = tmp_path / "qbr"
    server.held = True
    code, _, err = run_cli(_command(home, out, url, account_ids[:1]))
    assert code == 3, err
    code, _, err = run_cli(_command(home, out, url, account_ids[:1], quarter="2026Q2"))
    assert code == 2 and "pending 2026Q3 batch" in err and "--quarter 2026Q3" in err


# --- the real local model (pytest -m llm) -------------------------------------------------------


@pytest.mark.llm
def test_openai_batch_answered_by_a_real_local_model(home: Path, tmp_path: Path, account_ids: list[str],
                                                     llm_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stand-in forwards each batch line to the llama.cpp server (SmolLM2): real prose comes
    back through the batch files and is parsed, restored and checked like an online answer."""
    from copilot.batch.openai_batch import run_openai_batch
    from copilot.service import Copilot

    for key, value in {"COPILOT_LLM_CONTEXT_TOKENS": "1024", "COPILOT_LLM_MAX_TOKENS": "160"}.items():
        monkeypatch.setenv(key, value)
    server = BatchApiServer(upstream=llm_server)
    with serve(server) as url:
        outcome = run_openai_batch(Copilot(home), "2026Q3", account_ids[:1], tmp_path / "qbr", f"openai:smollm2@{url}",
                                   wait=900, poll_every=1)
    assert outcome.phase == "collected" and outcome.result.completed == account_ids[:1], outcome
    draft = json.loads((tmp_path / "qbr" / "accounts" / account_ids[0] / "draft.json").read_text())
    assert [s["name"] for s in draft["sections"]] == [n for n, _ in SECTION_NAMES["qbr_narrative"]]
    assert all(s["text"].strip() for s in draft["sections"]) and draft["guardrails"] is not None
    assert not re.search(r"\[(PERSON|EMAIL|PHONE|HOST)_\d+\]", draft["markdown"]), "placeholders are restored"

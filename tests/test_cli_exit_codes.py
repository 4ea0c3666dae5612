"""Exit codes at the CLI edge: 2 for an LLM that answers garbage, 70 for a bug — in real subprocesses.

The model server is a fake: a stdlib ``http.server`` on 127.0.0.1 speaking just enough of the
OpenAI chat-completions route to answer with malformed bodies. Why a fake: a real llama.cpp
server (the one the ``llm`` tests run) never returns HTML, garbage, truncated JSON or a
completion without ``choices`` on demand, and those are exactly what proxies, captive portals
and half-compatible servers send back in the field.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from http_fake import Handler, serving

from copilot.drafting.llm import LlmUnavailable, OpenAIBackend

ROOT = Path(__file__).resolve().parents[1]

BODIES: dict[str, tuple[str, bytes]] = {
    "garbage": ("text/plain", b"\x00\x01 garbage \xff"),
    "html": ("text/html", b"<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>"),
    "bad_json": ("application/json", b'{"choices": [ {"message": '),
    "no_choices": ("application/json", b'{"id": "x", "object": "chat.completion"}'),
    "empty_choices": ("application/json", b'{"id": "x", "choices": []}'),
    "not_an_object": ("application/json", b"[1, 2, 3]"),
    "null_content": ("application/json", json.dumps({"id": "x", "choices": [
        {"index": 0, "message": {"role": "assistant", "content": None}, "finish_reason": "stop"}]}).encode()),
}


class _Fake(Handler):
    body = BODIES["html"]
    hits: list[str] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        type(self).hits.append(self.path)
        content_type, body = type(self).body
        self.reply(body, content_type)


@pytest.fixture
def fake_llm() -> Iterator[tuple[str, type[_Fake]]]:
    handler = type("Handler", (_Fake,), {"hits": []})
    with serving(handler) as url:
        yield url, handler


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_malformed_answers_are_retried_a_bounded_number_of_times(fake_llm, kind: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    url, handler = fake_llm
    handler.body = BODIES[kind]
    monkeypatch.setenv("COPILOT_LLM_MALFORMED_RETRIES", "2")
    backend = OpenAIBackend("m", base_url=url, retries=3, backoff=0.0, timeout=5)
    with pytest.raises(LlmUnavailable) as err:
        backend.complete("system", "user")
    message = str(err.value)
    assert "\n" not in message and "not a chat completion" in message and "3 time(s)" in message
    assert len(handler.hits) == 3  # one call and two retries, never more


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "copilot", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **env}, timeout=180, check=False)


@pytest.mark.slow
def test_draft_with_an_html_answering_server_exits_2_with_one_line(fake_llm, home_copy: Path) -> None:
    url, handler = fake_llm
    handler.body = BODIES["html"]
    from copilot.service import Copilot

    ticket = Copilot(home_copy).store.tickets()[0].id
    proc = _cli("draft", "brief", "--ticket", ticket, "--backend", f"openai:m@{url}", "--home", str(home_copy),
                env={"COPILOT_LLM_RETRIES": "0", "COPILOT_LLM_MALFORMED_RETRIES": "1", "HF_HUB_OFFLINE": "1"})
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "an HTML page" in lines[0] and "Traceback" not in proc.stderr
    assert len(handler.hits) == 2


def test_an_unexpected_exception_exits_70_and_names_its_log(tmp_path: Path) -> None:
    """A home whose records file is a folder makes SQLite fail in a way no command expects."""
    home = tmp_path / "home"
    (home / "records.sqlite3").mkdir(parents=True)
    proc = _cli("list", "accounts", "--home", str(home), env={})
    assert proc.returncode == 70, (proc.returncode, proc.stderr)
    said = " ".join(proc.stderr.split())
    assert "internal error (this is a bug)" in said and "Traceback" not in proc.stderr
    log = home / "logs" / "errors.log"
    assert str(log) in said and "Traceback" in log.read_text()


def test_bad_input_exits_2_and_refusal_exits_1(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "review"))
    from review_support import make_draft, seed_account

    home = tmp_path / "home"
    assert _cli("draft", "brief", "--ticket", "NOPE-1", "--home", str(home), env={}).returncode == 2
    bad = tmp_path / "draft.json"
    bad.write_text("{not json", encoding="utf-8")
    assert _cli("check", str(bad), "--home", str(home), env={}).returncode == 2
    seed_account(home)
    blocked = tmp_path / "blocked.json"
    blocked.write_text(make_draft("Use key AKIAIOSFODNN7EXAMPLE to log in.").model_dump_json(), encoding="utf-8")
    refused = _cli("check", str(blocked), "--home", str(home), env={})
    assert refused.returncode == 1 and "this is a bug" not in refused.stderr

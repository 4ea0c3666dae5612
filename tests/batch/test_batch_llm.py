"""Batch QBR with an LLM backend: concurrency cap, backoff on rate limits, estimate first.

``test_llm_concurrency_cap_and_rate_limit_backoff`` talks HTTP to a scripted OpenAI-compatible
server on loopback. It stands in for a model because what it checks, how many requests are in
flight at once and what happens on a 429, needs a server that answers many requests in
parallel and rate-limits on cue; the real local model (llama.cpp + SmolLM2) serves one request
at a time at ~30 s per QBR. The real model is exercised by the ``llm``-marked test below.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from batch_helpers import batch_command, manifests, qbr_reviews, run_cli

from copilot.drafting.draft import SECTION_NAMES

ANSWER = "\n\n".join(f"## {title}\n\nThe account plan and the quarter's records describe this part."
                     for _, title in SECTION_NAMES["qbr_narrative"])


class _Server(BaseHTTPRequestHandler):
    lock = threading.Lock()
    in_flight = 0
    max_in_flight = 0
    requests: list[float] = []
    rate_limit_first = 1

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        cls = type(self)
        with cls.lock:
            cls.requests.append(time.monotonic())
            limited = cls.rate_limit_first > 0
            cls.rate_limit_first -= 1 if limited else 0
            cls.in_flight += 1
            cls.max_in_flight = max(cls.max_in_flight, cls.in_flight)
        try:
            if limited:
                self._reply(429, {"error": {"message": "rate limited"}}, {"retry-after": "0.2"})
                return
            time.sleep(0.4)  # long enough for concurrent requests to overlap
            self._reply(200, {"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                              "choices": [{"index": 0, "finish_reason": "stop",
                                           "message": {"role": "assistant", "content": ANSWER}}]})
        finally:
            with cls.lock:
                cls.in_flight -= 1

    def _reply(self, status: int, body: dict, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("content-type", "application/json")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def scripted_llm() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    _Server.in_flight, _Server.max_in_flight, _Server.requests, _Server.rate_limit_first = 0, 0, [], 1
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_llm_concurrency_cap_and_rate_limit_backoff(home: Path, tmp_path: Path, account_ids: list[str],
                                                    scripted_llm: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from copilot.batch import run_qbr_batch
    from copilot.service import Copilot

    monkeypatch.setenv("COPILOT_LLM_RETRIES", "2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    estimates: list[tuple[float, object]] = []
    out = tmp_path / "qbr"
    result = run_qbr_batch(Copilot(home), "2026Q3", account_ids[:5], out, workers=2,
                           backend=f"openai:m@{scripted_llm}",
                           on_estimate=lambda e: estimates.append((time.monotonic(), e)))
    assert result.failed == [] and sorted(result.completed) == account_ids[:5]
    assert result.executor == "thread" and result.workers == 2
    assert _Server.max_in_flight == 2, "--workers caps the concurrent model requests"
    assert len(_Server.requests) == 5 + 1, "the rate-limited request was retried"
    assert len(estimates) == 1 and estimates[0][0] < min(_Server.requests), "the estimate comes before any request"
    assert estimates[0][1].accounts == 5 and estimates[0][1].prompt_tokens > 0
    found = manifests(out)
    assert {m["backend"] for m in found.values()} == {f"openai:m@{scripted_llm}"}
    assert all("qbr-" in m["prompt_version"] for m in found.values())  # the kind's prompt (slots or prose)
    assert {s for _, a, s in qbr_reviews(home) if a in account_ids[:5]} == {"in_review"}

    # unchanged inputs: nothing is sent again
    again = run_qbr_batch(Copilot(home), "2026Q3", account_ids[:5], out, workers=2, backend=f"openai:m@{scripted_llm}")
    assert sorted(again.skipped) == account_ids[:5] and len(_Server.requests) == 6 and again.estimate is None


# --- the real local model (pytest -m llm) -------------------------------------------------------


# The server is tests/conftest.py's session-scoped `llm_server` fixture (served as `smollm2`).


@pytest.mark.llm
def test_batch_with_a_real_local_model(home: Path, tmp_path: Path, account_ids: list[str], llm_server: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {"COPILOT_LLM_CONTEXT_TOKENS": "1024", "COPILOT_LLM_MAX_TOKENS": "160",
                       "COPILOT_LLM_TIMEOUT": "300", "COPILOT_LLM_RETRIES": "1"}.items():
        monkeypatch.setenv(key, value)
    out = tmp_path / "qbr"
    accounts = account_ids[:2]
    code, payload, err = run_cli(batch_command(home, out, "--accounts", ",".join(accounts), "--backend",
                                               f"openai:smollm2@{llm_server}", "--workers", "2", "--json"))
    assert code == 0, err
    assert sorted(payload["completed_accounts"]) == accounts
    assert "prompt tokens" in err  # the estimate, before the run
    for account in accounts:
        draft = json.loads((out / "accounts" / account / "draft.json").read_text())
        assert draft["backend"] == f"openai:smollm2@{llm_server}"
        assert [s["name"] for s in draft["sections"]] == [n for n, _ in SECTION_NAMES["qbr_narrative"]]
        assert draft["guardrails"] is not None

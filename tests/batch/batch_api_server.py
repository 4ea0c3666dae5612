"""A local stand-in for OpenAI's Files + Batches endpoints, served over real HTTP.

Why a stand-in: the OpenAI Batch API cannot be reached from this machine, and no local model
server (llama.cpp, vLLM, Ollama) implements ``/v1/files`` and ``/v1/batches``. So this server
implements the subset ``qbr-batch --openai-batch`` uses, with OpenAI's wire formats (multipart
upload, the Batch object, the JSONL request and output lines), and answers each request either

* by forwarding it to a real chat-completions server (``upstream``: the llama.cpp server of the
  ``llm`` tests), or
* with ``echo_facts``: the ``<facts>`` block of the prompt, i.e. the template digest, which is a
  well-formed and fully sourced answer (the fast tests: they are about the protocol, not prose).

A batch stays ``in_progress`` while the server is ``held`` so tests can see a run that is not
finished yet; ``fail_ids`` makes listed custom ids come back in the error file.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import Response

from copilot.drafting.llm import response_format

__all__ = ["BatchApiServer", "echo_facts", "serve"]

_FACTS = re.compile(r"<facts>\n?(.*?)\n?</facts>", re.S)


def echo_facts(body: dict) -> str:
    """The model's answer: the prompt's facts digest, verbatim."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    match = _FACTS.search(user)
    return match.group(1) if match else ""


class BatchApiServer:
    def __init__(self, answer: Callable[[dict], str] | None = None, upstream: str | None = None) -> None:
        self.answer = answer or echo_facts
        self.upstream = upstream
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict] = {}
        self.held = False
        self.fail_ids: set[str] = set()
        self.requests: list[dict] = []  # every request line received, for assertions
        self.app = self._build_app()

    # --- processing ----------------------------------------------------------------------

    def _complete(self, body: dict) -> str:
        if self.upstream is None:
            return self.answer(body)
        try:
            return self._forward(body)
        except urllib.error.HTTPError:
            fmt = body.get("response_format") or {}
            if fmt.get("type") != "json_schema":
                raise
            # llama-cpp-python's server refuses OpenAI's json_schema dialect; a Batch API server in front
            # of it would pass the schema the way it accepts (the online backend finds this by trial)
            schema = fmt["json_schema"]["schema"]
            return self._forward({**body, "response_format": response_format(schema, "json_object")})

    def _forward(self, body: dict) -> str:
        request = urllib.request.Request(f"{self.upstream}/chat/completions", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=600) as response:
            return json.loads(response.read())["choices"][0]["message"]["content"]

    def _run(self, batch_id: str) -> None:
        batch = self.batches[batch_id]
        while self.held:
            time.sleep(0.05)
        lines = [json.loads(x) for x in self.files[batch["input_file_id"]].decode().splitlines() if x.strip()]
        batch["request_counts"]["total"] = len(lines)
        out, errors = [], []
        for line in lines:
            self.requests.append(line)
            custom_id = line["custom_id"]
            try:
                if custom_id in self.fail_ids:
                    raise RuntimeError("the model failed on this request")
                content = self._complete(line["body"])
            except Exception as exc:  # a real Batch API reports a failed line; it never stalls the batch
                message = str(exc) if custom_id in self.fail_ids else f"{type(exc).__name__}: {exc}"
                errors.append({"id": f"batch_req_{uuid.uuid4().hex}", "custom_id": custom_id, "response": None,
                               "error": {"code": "server_error", "message": message}})
                batch["request_counts"]["failed"] += 1
                continue
            completion = {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion", "created": int(time.time()),
                          "model": line["body"]["model"],
                          "choices": [{"index": 0, "finish_reason": "stop",
                                       "message": {"role": "assistant", "content": content}}]}
            out.append({"id": f"batch_req_{uuid.uuid4().hex}", "custom_id": custom_id,
                        "response": {"status_code": 200, "request_id": uuid.uuid4().hex, "body": completion},
                        "error": None})
            batch["request_counts"]["completed"] += 1
        if out:
            batch["output_file_id"] = self._store("\n".join(json.dumps(x) for x in out).encode())
        if errors:
            batch["error_file_id"] = self._store("\n".join(json.dumps(x) for x in errors).encode())
        batch["status"], batch["completed_at"] = "completed", int(time.time())

    def _store(self, data: bytes) -> str:
        file_id = f"file-{uuid.uuid4().hex[:24]}"
        self.files[file_id] = data
        return file_id

    # --- HTTP ----------------------------------------------------------------------------

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/files")
        async def upload(file: UploadFile = File(...), purpose: str = Form(...)) -> dict:
            if purpose != "batch":
                raise HTTPException(400, "purpose must be 'batch' here")
            data = await file.read()
            file_id = self._store(data)
            return {"id": file_id, "object": "file", "bytes": len(data), "created_at": int(time.time()),
                    "filename": file.filename, "purpose": purpose, "status": "processed"}

        @app.get("/v1/files/{file_id}/content")
        def content(file_id: str) -> Response:
            if file_id not in self.files:
                raise HTTPException(404, f"no file {file_id}")
            return Response(self.files[file_id], media_type="application/octet-stream")

        @app.post("/v1/batches")
        async def create(request: Request) -> dict:
            body = await request.json()
            if body.get("endpoint") != "/v1/chat/completions" or body.get("completion_window") != "24h":
                raise HTTPException(400, "only /v1/chat/completions with a 24h window")
            if body.get("input_file_id") not in self.files:
                raise HTTPException(400, "unknown input_file_id")
            batch_id = f"batch_{uuid.uuid4().hex[:24]}"
            self.batches[batch_id] = {
                "id": batch_id, "object": "batch", "endpoint": body["endpoint"], "errors": None,
                "input_file_id": body["input_file_id"], "completion_window": "24h", "status": "in_progress",
                "output_file_id": None, "error_file_id": None, "created_at": int(time.time()),
                "in_progress_at": int(time.time()), "metadata": body.get("metadata"),
                "request_counts": {"total": 0, "completed": 0, "failed": 0}}
            threading.Thread(target=self._run, args=(batch_id,), daemon=True).start()
            return self.batches[batch_id]

        @app.get("/v1/batches")
        def listing(limit: int = 20) -> dict:
            newest = sorted(self.batches.values(), key=lambda b: b["created_at"], reverse=True)[:limit]
            return {"object": "list", "data": newest, "has_more": False,
                    "first_id": newest[0]["id"] if newest else None, "last_id": newest[-1]["id"] if newest else None}

        @app.get("/v1/batches/{batch_id}")
        def retrieve(batch_id: str) -> dict:
            if batch_id not in self.batches:
                raise HTTPException(404, f"no batch {batch_id}")
            return self.batches[batch_id]

        return app


@contextmanager
def serve(server: BatchApiServer) -> Iterator[str]:
    """Run ``server`` on a free loopback port; yields its ``/v1`` base URL; always stops it."""
    config = uvicorn.Config(server.app, host="127.0.0.1", port=0, log_level="warning")
    runner = uvicorn.Server(config)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not runner.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the Batch API stand-in did not start")
        time.sleep(0.02)
    port = runner.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        runner.should_exit = True
        thread.join(timeout=10)

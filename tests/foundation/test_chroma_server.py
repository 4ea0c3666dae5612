"""``COPILOT_CHROMA_URL``: the index on a real ``chroma run`` server instead of the home's folder.

Two homes share one server here, as two TAMs' homes would: each keeps its own collection, so
one home's ingest (which deletes the vectors its store does not know) never touches the other's.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_process import free_port, server_process

pytestmark = pytest.mark.server  # starts a real `chroma run` on loopback


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``chroma run`` on a free loopback port; always stopped afterwards."""
    chroma = shutil.which("chroma")
    if chroma is None:
        pytest.skip("the chroma CLI (package chromadb) is not on PATH")
    port, data = free_port(), tmp_path_factory.mktemp("chroma-server")
    url = f"http://127.0.0.1:{port}"
    command = [chroma, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)]
    with server_process(command, f"{url}/api/v2/heartbeat", data / "server.log", name="chroma run"):
        yield url


@pytest.fixture(scope="module")
def two_portfolios(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from copilot.synth.generator import generate_portfolio

    first, second = tmp_path_factory.mktemp("portfolio-a"), tmp_path_factory.mktemp("portfolio-b")
    generate_portfolio(first, 2, 3)
    generate_portfolio(second, 2, 11)
    return first, second


def test_two_homes_share_a_chroma_server_without_touching_each_other(
        chroma_server: str, two_portfolios: tuple[Path, Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import chromadb

    from copilot.service import Copilot

    monkeypatch.setenv("COPILOT_CHROMA_URL", chroma_server)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    home_a, home_b = tmp_path / "a", tmp_path / "b"
    a, b = Copilot(home_a), Copilot(home_b)
    assert a.settings.chroma_url == chroma_server

    report_a = a.ingest([two_portfolios[0]])
    assert report_a.accounts == 2 and report_a.quarantined == []
    chunks_a = a.store.counts()["chunks"]
    assert a.index.count() == chunks_a > 0
    assert not (home_a / "index").exists(), "with a server URL nothing is indexed in the home's folder"

    b.ingest([two_portfolios[1]])
    assert a.index.count() == chunks_a, "the other home's ingest deleted none of this home's vectors"
    assert a.index.collection_name != b.index.collection_name

    # what the server holds, seen through chroma's own client
    host, port = chroma_server.removeprefix("http://").split(":")
    client = chromadb.HttpClient(host=host, port=int(port))
    names = {c.name for c in client.list_collections()}
    assert {a.index.collection_name, b.index.collection_name} <= names
    assert client.get_collection(a.index.collection_name).count() == chunks_a

    # retrieval through the server stays within the account asked for
    account = a.store.accounts()[0].id
    ticket = a.store.tickets(account)[0]
    hits = a.search(account, ticket.subject, k=5)
    assert hits and {h.account_id for h in hits} <= {account, None}
    assert ticket.id in {h.record_id for h in hits}

    # idempotent against the server too, and the home id survives a new process's Copilot
    again = Copilot(home_a).ingest([two_portfolios[0]])
    assert again.chunks_embedded == 0 and Copilot(home_a).index.collection_name == a.index.collection_name

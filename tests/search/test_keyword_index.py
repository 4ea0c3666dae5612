"""The BM25 index is saved per account and read back by the next process while the chunks are unchanged."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

from copilot.records.store import Chunk
from copilot.search.account_cache import account_folder
from copilot.search.keyword_index import KeywordIndex, load_or_build
from copilot.service import Copilot


def _chunks(account: str, texts: list[str]) -> list[Chunk]:
    """Chunks as ingest makes them: the id carries a hash of the text."""
    return [Chunk(id=f"T-{i}@{hashlib.sha256(text.encode()).hexdigest()[:12]}", record_id=f"T-{i}",
                  source_id=f"T-{i}", kind="ticket", account_id=account, text=text)
            for i, text in enumerate(texts)]


TEXTS = ["webhook retries exhausted after the TLS certificate rotation",
         "rate quotes time out with E-3507 in us-east-1",
         "label printing fails for oversized parcels"]


@pytest.fixture
def no_build(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the BM25 builds (a saved index must be read, not built again)."""
    builds: list[int] = []
    real = KeywordIndex.build.__func__

    def counting(cls: type[KeywordIndex], chunks: list[Chunk]) -> KeywordIndex:
        builds.append(len(chunks))
        return real(cls, chunks)

    monkeypatch.setattr(KeywordIndex, "build", classmethod(counting))
    return builds


def test_saved_index_is_read_back_and_ranks_the_same(tmp_path: Path, no_build: list[int]) -> None:
    chunks = _chunks("acme", TEXTS)
    first = load_or_build(tmp_path, "acme", chunks)
    second = load_or_build(tmp_path, "acme", chunks)
    assert no_build == [3]  # built once, then loaded
    for query in ("certificate rotation webhook", "E-3507 quotes", "oversized labels"):
        assert second.search(query, 3) == first.search(query, 3) != []


def test_changed_chunk_makes_a_new_index_and_drops_the_old(tmp_path: Path, no_build: list[int]) -> None:
    load_or_build(tmp_path, "acme", _chunks("acme", TEXTS))
    changed = _chunks("acme", [*TEXTS[:2], "customs paperwork rejected for parcels to Norway"])
    index = load_or_build(tmp_path, "acme", changed)
    assert no_build == [3, 3]
    assert index.search("customs Norway", 3) == [changed[2].id]
    assert index.search("oversized labels", 3) == []
    assert len(list(account_folder(tmp_path, "acme").iterdir())) == 1  # the stale key is gone


def test_other_accounts_keep_their_saved_index(tmp_path: Path, no_build: list[int]) -> None:
    load_or_build(tmp_path, "acme", _chunks("acme", TEXTS))
    load_or_build(tmp_path, "globex", _chunks("globex", TEXTS[:1]))
    load_or_build(tmp_path, "globex", _chunks("globex", TEXTS[:2]))  # globex changed
    load_or_build(tmp_path, "acme", _chunks("acme", TEXTS))
    assert no_build == [3, 1, 2]  # acme read from disk


def test_odd_account_ids_get_distinct_safe_folders(tmp_path: Path) -> None:
    folders = {account_folder(tmp_path, a) for a in ("a/b", "a_b", "../up", "a b")}
    assert len(folders) == 4
    assert all(f.parent == tmp_path for f in folders)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_home_still_searches(tmp_path: Path) -> None:
    root = tmp_path / "bm25"
    root.mkdir()
    root.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        index = load_or_build(root, "acme", _chunks("acme", TEXTS))
        assert index.search("E-3507", 3)
    finally:
        root.chmod(stat.S_IRWXU)


def _add_ticket(folder: Path, ticket_id: str, subject: str) -> Path:
    """One Tidewater Foods ticket in the sample's CSV layout."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "tickets-extra.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["ticket_id", "customer", "subject", "description", "priority", "status", "created_at",
                         "updated_at", "resolved_at", "component", "version", "region", "requester", "assignee",
                         "tags"])
        writer.writerow([ticket_id, "Tidewater Foods", subject, f"{subject}. Please advise.", "P3", "open",
                         "2026-11-10T09:00:00Z", "2026-11-10T10:00:00Z", "", "api", "5.0.2", "us-east-1",
                         "priya@tidewaterfoods.example", "Carla Mendes", ""])
    return path


def test_new_process_reads_the_saved_index_until_an_ingest_changes_the_account(
        home_copy: Path, tmp_path: Path, no_build: list[int]) -> None:
    account = next(a.id for a in Copilot(home_copy).store.accounts() if "tidewater" in a.id)
    query = "zeppelin manifest checksum mismatch"
    before = Copilot(home_copy).search(account, query, dense=False)
    assert no_build and (home_copy / "search" / "bm25").is_dir()
    built = len(no_build)
    assert Copilot(home_copy).search(account, query, dense=False) == before  # a new Copilot: read, not built
    assert len(no_build) == built

    copilot = Copilot(home_copy)
    report = copilot.ingest([_add_ticket(tmp_path / "more", "INC0099001", "Zeppelin manifest checksum mismatch")])
    assert report.chunks_embedded >= 1 and not report.quarantined, report
    after = Copilot(home_copy).search(account, query, dense=False)
    assert after[0].record_id == "INC0099001"
    assert len(no_build) == built + 1
    assert len(list(account_folder(home_copy / "search" / "bm25", account).iterdir())) == 1


def test_folders_of_an_older_format_are_rebuilt_and_removed(tmp_path: Path, no_build: list[int]) -> None:
    """A folder written by format 1 (bm25s's own ``save``, under a key without the format) is not read."""
    import bm25s
    import Stemmer

    chunks = _chunks("acme", TEXTS)
    old = account_folder(tmp_path, "acme") / "0123456789abcdef01234567"
    model = bm25s.BM25()
    model.index(bm25s.tokenize(TEXTS, stopwords="en", stemmer=Stemmer.Stemmer("english"), show_progress=False),
                show_progress=False)
    model.save(str(old), show_progress=False)
    (old / "chunk_ids.json").write_text(json.dumps([c.id for c in chunks]), encoding="utf-8")

    index = load_or_build(tmp_path, "acme", chunks)
    assert no_build == [3]
    assert index.search("E-3507 quotes", 3) == [chunks[1].id]
    assert not old.exists()
    load_or_build(tmp_path, "acme", chunks)
    assert no_build == [3]  # the new folder is read


@pytest.mark.parametrize("damage", ["truncated", "missing", "mismatched"])
def test_damaged_folder_is_rebuilt_in_place(tmp_path: Path, no_build: list[int], damage: str) -> None:
    chunks = _chunks("acme", TEXTS)
    load_or_build(tmp_path, "acme", chunks)
    (folder,) = account_folder(tmp_path, "acme").iterdir()
    if damage == "truncated":
        (folder / "data.npy").write_bytes((folder / "data.npy").read_bytes()[:20])
    elif damage == "missing":
        (folder / "tokenizer.json").unlink()
    else:  # a vocabulary that names terms the arrays do not hold
        (folder / "vocab.json").write_text(json.dumps({"label": 0, "extra": 999}), encoding="utf-8")

    index = load_or_build(tmp_path, "acme", chunks)
    assert no_build == [3, 3]
    assert index.search("oversized labels", 3) == [chunks[2].id]
    assert load_or_build(tmp_path, "acme", chunks).search("oversized labels", 3) == [chunks[2].id]
    assert no_build == [3, 3]  # the rebuilt folder replaced the damaged one and is read next time

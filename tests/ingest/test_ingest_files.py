"""load_file: the whole-file refusals the pipeline quarantines (encoding, empty, syntax)."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot.ingest import load_file


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("latin1.json", b'{"tickets": []}\n{"x": "caf\xe9"}',
         "not valid UTF-8: byte 0xE9 at byte offset 26 (line 2) cannot be decoded"),
        ("latin1.csv", b"ticket_id,customer\nINC1,Caf\xe9 Ltd\n",
         "not valid UTF-8: byte 0xE9 at byte offset 27 (line 2)"),
        ("empty.json", b"", "file is empty"),
        ("blank.yaml", b"  \n\n", "file is empty"),
        ("empty.md", b"", "file is empty"),
        ("bad.json", b'{"tickets": [\n  {"id": 1,}\n]}',
         "malformed JSON at line 2, column 12: Expecting property name enclosed in double quotes"),
        ("truncated.json", b'{"issues": [', "malformed JSON at line 1, column 13"),
        ("bad.yaml", b"incident:\n  id: INC-1\n  title: [unclosed\n",
         "malformed YAML at line 4, column 1"),
        ("tabs.yml", b"account:\n\tid: x\n", "malformed YAML at line 2, column 1"),
        ("comments-only.yaml", b"# nothing here\n", "file contains no data"),
        ("null.json", b"null", "file contains no data"),
    ],
)
def test_load_file_refuses(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    data, error = load_file(path)
    assert data is None
    assert error is not None and error.startswith(reason), error


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("z.json", b'\xef\xbb\xbf{"tickets": []}', {"tickets": []}),  # BOM dropped
        ("plan.yaml", b"account:\n  id: northwind\n", {"account": {"id": "northwind"}}),
        ("t.csv", b"ticket_id\nINC1\n", None),
        ("rb.md", b"# Title\ntext\n", None),
        ("image.png", b"\x89PNG\r\n", None),  # not a source format: not read at all
    ],
)
def test_load_file_reads(tmp_path: Path, name: str, content: bytes, expected: object) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert load_file(path) == (expected, None)

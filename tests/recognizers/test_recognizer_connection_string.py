"""Recognizer `connection_string`: passwords in connection strings (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("DATABASE_URL=postgres://app:s3cretPw@db.example.com:5432/app", [("connection_string", "s3cretPw")]),
    ("mongodb+srv://svc:Mng0Pass@cluster0.abcde.mongodb.net/prod", [("connection_string", "Mng0Pass")]),
    ("redis://:r3disPass@cache.example.com:6379/0", [("connection_string", "r3disPass")]),
    ("amqp://guest:Rabb1tPw@mq.example.com:5672/", [("connection_string", "Rabb1tPw")]),
    ("jdbc:sqlserver://db.example.com:1433;databaseName=app;user=sa;password=Sql!Pass9", [("connection_string", "Sql!Pass9")]),
    ("jdbc:mysql://db.example.com/app?user=app&password=MyPw1234", [("connection_string", "MyPw1234")]),
    ("https://status.example.com/incidents/42", []),
    ("postgres://db.example.com:5432/app", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_connection_string(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)

"""``python -m copilot ui``: ingests into an empty home first, then runs streamlit on 127.0.0.1.

The final ``exec`` of streamlit is replaced by a recorder here (the real start is covered by the
browser test, which launches ``python -m copilot ui`` and drives it with chromium).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_console_queue import PLAN
from typer.testing import CliRunner

from copilot.cli import app
from copilot.cli import console as console_cli
from copilot.service import Copilot


@pytest.fixture
def execs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], dict]]:
    calls: list[tuple[list[str], dict]] = []
    monkeypatch.setattr(console_cli.os, "execvpe", lambda file, args, env: calls.append((list(args), dict(env))))
    return calls


def test_ui_ingests_an_empty_home_then_starts_streamlit(tmp_path: Path, execs) -> None:
    data = tmp_path / "data"
    (data / "plans").mkdir(parents=True)
    (data / "plans" / "northwind.yaml").write_text(yaml.safe_dump(PLAN.model_dump(mode="json")), encoding="utf-8")
    home = tmp_path / "home"
    result = CliRunner().invoke(app, ["ui", "--port", "8611", "--home", str(home), "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert [p.account.id for p in Copilot(home).accounts()] == ["northwind"]
    (args, env), = execs
    assert args[1:4] == ["-m", "streamlit", "run"] and args[4].endswith("ui/app.py") and Path(args[4]).is_file()
    assert args[args.index("--server.address") + 1] == "127.0.0.1"
    assert args[args.index("--server.port") + 1] == "8611"
    assert args[args.index("--server.headless") + 1] == "true"
    assert env["COPILOT_HOME"] == str(home.resolve())


def test_ui_skips_ingest_when_the_home_has_accounts_and_refuses_missing_data(tmp_path: Path, execs) -> None:
    home = tmp_path / "home"
    copilot = Copilot(home)
    with copilot.store.transaction():
        copilot.store.put_plan(PLAN, "h")
    result = CliRunner().invoke(app, ["ui", "--home", str(home), "--data", str(tmp_path / "nothing")])
    assert result.exit_code == 0 and len(execs) == 1  # not ingested: --data is not even read
    empty = tmp_path / "empty"
    result = CliRunner().invoke(app, ["ui", "--home", str(empty), "--data", str(tmp_path / "nothing")])
    assert result.exit_code == 2 and len(execs) == 1
    assert "does not exist" in " ".join(result.output.split())

"""The KPIs on the ingested sample: through the facade and through ``kpis --json`` (a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from copilot.service import Copilot

ROOT = Path(__file__).resolve().parents[2]
AS_OF = datetime(2026, 11, 16, 8, 0, tzinfo=timezone.utc)


def test_facade_reports_every_account_and_never_a_zero_for_missing_data(sample_copilot) -> None:
    report = sample_copilot.kpis(None, "2026Q3", as_of=AS_OF)
    assert report.scope == "portfolio" and len(report.accounts) == len(sample_copilot.accounts())
    for line in report.kpis + [k for a in report.accounts for k in a.kpis]:
        for kpi in (line.current, line.previous):
            assert (kpi.value is None) == (kpi.status != "ok"), kpi
            assert kpi.status == "ok" or kpi.reason
    kestrel = sample_copilot.kpis("kestrel-pharma", "2026Q3", as_of=AS_OF)
    engage = next(line.current for line in kestrel.kpis if line.key == "time_to_engage")
    # INC-2026-0822: impact 13:10, engineering engaged 13:54 (data/sample/incidents/INC-2026-0822.yaml)
    assert (engage.text, engage.source_ids) == ("44m (1 measured)", ["INC-2026-0822"])
    closure = next(line.current for line in kestrel.kpis if line.key == "problem_closure")
    assert closure.text == "0.0% (0 of 1)"  # no approved PIR; CA-1 still in progress
    assert closure.parts[0].text == "no PIR on record; corrective action(s) CA-1 not done"


def test_kpis_json_prints_the_facades_figures(home_copy: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "copilot", "kpis", "--all", "--quarter", "2026Q3",
                           "--as-of", "2026-11-16T08:00Z", "--home", str(home_copy), "--json"],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"},
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    printed = json.loads(proc.stdout)
    expected = Copilot(home_copy).kpis(None, "2026Q3", as_of=AS_OF).model_dump(mode="json")
    assert printed == expected


def test_kpis_cli_refuses_neither_or_both_scopes(home_copy: Path) -> None:
    from typer.testing import CliRunner

    from copilot.cli import app

    for args in ([], ["--account", "kestrel-pharma", "--all"]):
        result = CliRunner().invoke(app, ["kpis", *args, "--quarter", "2026Q3", "--home", str(home_copy)])
        assert result.exit_code == 2 and "either --account ID or --all" in result.output
    result = CliRunner().invoke(app, ["kpis", "--account", "nope", "--quarter", "2026Q3", "--home", str(home_copy)])
    assert result.exit_code == 2 and "no account 'nope'" in result.output


def test_an_approved_pir_counts_toward_problem_closure(home_copy: Path) -> None:
    copilot = Copilot(home_copy)
    before = copilot.kpis("kestrel-pharma", "2026Q3", as_of=AS_OF)
    draft = copilot.draft("pir", "INC-2026-0822", as_of=AS_OF)
    item = copilot.review.submit(draft, "maya")
    for check in sorted({f.check for f in item.blocking}):
        item = copilot.review.override(item.id, check, "maya", "test: the PIR is reviewed by hand")
    copilot.review.approve(item.id, "maya")
    after = copilot.kpis("kestrel-pharma", "2026Q3", as_of=AS_OF)
    part = lambda report: next(line.current for line in report.kpis if line.key == "problem_closure").parts[0]  # noqa: E731
    assert part(before).text == "no PIR on record; corrective action(s) CA-1 not done"
    assert part(after).text == "corrective action(s) CA-1 not done"  # still open: CA-1 is in progress
    assert f"review:{item.id}" in part(after).source_ids


def test_kpis_human_output_is_a_table_of_the_same_figures(home_copy: Path) -> None:
    from typer.testing import CliRunner

    from copilot.cli import app

    result = CliRunner().invoke(app, ["kpis", "--account", "kestrel-pharma", "--quarter", "2026Q3",
                                      "--as-of", "2026-11-16T08:00Z", "--home", str(home_copy)])
    assert result.exit_code == 0, result.output
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in result.stdout.splitlines() if "\t" in line}
    assert rows["KPI"] == ["2026Q3", "2026Q2", "trend"]
    report = Copilot(home_copy).kpis("kestrel-pharma", "2026Q3", as_of=AS_OF)
    for line in report.kpis:
        assert rows[line.label] == [line.current.text, line.previous.text, line.trend.text]

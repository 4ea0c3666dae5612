"""``qbr-batch`` usage errors and dry run, and ``generate-portfolio``."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from batch_helpers import batch_command, run_cli


def test_empty_home_says_what_to_do(tmp_path: Path) -> None:
    code, payload, err = run_cli(batch_command(tmp_path / "empty-home", tmp_path / "out", "--all", "--json"))
    assert code == 2 and payload is None
    assert "no accounts in" in err and "ingest" in err and "generate-portfolio" in err


def test_bad_usage_exits_2(home: Path, tmp_path: Path, account_ids: list[str]) -> None:
    out = tmp_path / "out"
    cases = [
        (batch_command(home, out, "--json"), "exactly one of --all or --accounts"),
        (batch_command(home, out, "--all", "--accounts", account_ids[0], "--json"), "exactly one of"),
        (batch_command(home, out, "--accounts", "nope,also-nope", "--json"), "unknown account(s) nope, also-nope"),
        (batch_command(home, out, "--all", "--json", quarter="2026Q7"), "is not like 2026Q3"),
        (batch_command(home, out, "--all", "--backend", "carrier-pigeon", "--json"), "unknown backend"),
    ]
    for args, message in cases:
        code, payload, err = run_cli(args)
        assert code == 2, (args, err)
        assert message in " ".join(err.split()), err
    assert not (out / "accounts").exists()


def test_out_folder_of_another_quarter_is_refused(home: Path, tmp_path: Path, account_ids: list[str]) -> None:
    out = tmp_path / "out"
    code, _, err = run_cli(batch_command(home, out, "--accounts", account_ids[0], "--json"))
    assert code == 0, err
    code, _, err = run_cli(batch_command(home, out, "--accounts", account_ids[0], "--json", quarter="2026Q2"))
    assert code == 2 and "holds the 2026Q3 batch" in " ".join(err.split())


def test_dry_run_with_an_llm_backend_prints_the_token_estimate_and_drafts_nothing(
        home: Path, tmp_path: Path, account_ids: list[str]) -> None:
    """Nothing listens on the URL: a dry run only counts tokens (tiktoken cl100k_base), it never calls the model."""
    out = tmp_path / "out"
    backend = "openai:smollm2@http://127.0.0.1:9/v1"
    code, payload, err = run_cli(batch_command(home, out, "--accounts", ",".join(account_ids[:3]), "--backend",
                                               backend, "--dry-run", "--json"))
    assert code == 0, err
    assert payload["dry_run"] is True and payload["completed"] == 0 and sorted(payload["pending"]) == account_ids[:3]
    estimate = payload["estimate"]
    assert estimate["accounts"] == 3 and estimate["encoding"] == "cl100k_base"
    assert 0 < estimate["prompt_tokens"] <= estimate["prompt_tokens_max"]
    assert 0 < estimate["completion_tokens"] <= estimate["completion_tokens_max"]
    assert estimate["cost_usd"] == 0.0 and "local server" in estimate["price_note"]
    assert "prompt tokens" in err and "cl100k_base" in err  # printed before the (dry) run
    assert not (out / "accounts").exists()


def test_generate_portfolio_is_seeded_and_ingestible_layout(tmp_path: Path) -> None:
    def digest(folder: Path) -> str:
        h = hashlib.sha256()
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
        return h.hexdigest()

    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        code, payload, err = run_cli([sys.executable, "-m", "copilot", "generate-portfolio", "--accounts", "3",
                                      "--seed", "42", "--out", str(out), "--json"])
        assert code == 0, err
        assert payload["accounts"] == 3 and payload["out"] == str(out) and payload["tickets"] > 0
        outs.append(out)
    assert len(list((outs[0] / "plans").glob("*.yaml"))) == 3
    assert (outs[0] / "runbooks").is_dir() and (outs[0] / "incidents").exists()
    assert digest(outs[0]) == digest(outs[1]), "the same seed gives byte-identical files"

    code, _, err = run_cli([sys.executable, "-m", "copilot", "generate-portfolio", "--accounts", "0", "--seed", "1",
                            "--out", str(tmp_path / "c")])
    assert code == 2

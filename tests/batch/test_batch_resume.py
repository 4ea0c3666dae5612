"""A ``qbr-batch`` killed with SIGKILL part-way: the re-run finishes the rest and redoes nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from batch_helpers import REPO, batch_command, cli_env, manifest_mtimes, manifests, qbr_reviews, run_cli


@pytest.mark.slow  # kill -9 of a real batch run, then a second run
@pytest.mark.parametrize("workers", ["1", "2"], ids=["serial", "process-pool"])
def test_killed_run_resumes_without_redoing_finished_accounts(home: Path, tmp_path: Path, account_ids: list[str],
                                                              workers: str) -> None:
    out = tmp_path / "qbr"
    proc = subprocess.Popen(batch_command(home, out, "--all", "--workers", workers, "--json"), cwd=REPO,
                            env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while not manifest_mtimes(out):
        assert proc.poll() is None, f"the run ended before it could be killed: {proc.stderr.read().decode()[-2000:]}"
        assert time.monotonic() < deadline, "no account finished within 300 s"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    time.sleep(1.0)  # worker processes die with the parent: nothing is written after the kill
    finished = manifest_mtimes(out)
    time.sleep(1.0)
    assert manifest_mtimes(out) == finished, "a worker outlived the killed batch"
    assert 1 <= len(finished) < len(account_ids), "the kill should land part-way"
    assert all(m["status"] == "ok" for m in manifests(out).values())

    code, payload, err = run_cli(batch_command(home, out, "--all", "--workers", workers, "--json"))
    assert code == 0, (err, payload)
    assert sorted(payload["skipped_accounts"]) == sorted(finished), "finished accounts are not redone"
    assert sorted(payload["completed_accounts"]) == sorted(set(account_ids) - set(finished))
    assert payload["failed"] == []
    after = manifest_mtimes(out)
    assert {a: after[a] for a in finished} == finished
    assert sorted(after) == account_ids
    for account in account_ids:
        folder = out / "accounts" / account
        assert (folder / "draft.md").stat().st_size > 0 and (folder / "draft.json").stat().st_size > 0
        assert len(list((folder / "charts").glob("*.png"))) == 3
        assert not list(folder.rglob(".*.tmp")), "no temp file of a killed write is left behind"
    index = (out / "index.md").read_text()
    assert all(f"(`{a}`)" in index for a in account_ids)

    # an account killed between review submit and manifest is not queued twice
    reviews = qbr_reviews(home)
    assert sorted(a for _, a, _ in reviews) == account_ids
    assert {s for _, _, s in reviews} == {"in_review"}

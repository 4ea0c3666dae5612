"""The CI performance guard fails on a figure beyond 2x its baseline, and only then."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check_bench_regression.py"


def _search_doc(warm_cpu: float, first_cpu: float) -> dict:
    return {"benchmark": "search", "machine": {"load_at_start": [0.1]},
            "sizes": [{"chunks": 2000, "warm_cpu_ms": {"p50": warm_cpu}, "warm_ms": {"p50": 999.0},
                       "first_search_saved": {"process_cpu_ms": {"p50": first_cpu}}}]}


def _check(tmp_path: Path, *args: str, doc: dict) -> subprocess.CompletedProcess:
    run = tmp_path / "run.json"
    run.write_text(json.dumps(doc))
    return subprocess.run([sys.executable, str(SCRIPT), "--baseline", str(tmp_path / "baseline.json"),
                           "--from-json", str(run), *args], capture_output=True, text=True, check=False)


def test_within_twice_the_baseline_passes_beyond_fails(tmp_path: Path) -> None:
    assert _check(tmp_path, "--update", doc=_search_doc(10.0, 1000.0)).returncode == 0
    baseline = json.loads((tmp_path / "baseline.json").read_text())["figures"]["search"]
    assert baseline == {"sizes.0.warm_cpu_ms.p50": 10.0, "sizes.0.first_search_saved.process_cpu_ms.p50": 1000.0}

    slower = _check(tmp_path, doc=_search_doc(19.0, 1900.0))  # 1.9x: noise on a busy machine, not a failure
    assert slower.returncode == 0, slower.stdout

    regressed = _check(tmp_path, doc=_search_doc(21.0, 1000.0))
    assert regressed.returncode == 1
    assert "REGRESSION search.sizes.0.warm_cpu_ms.p50: 21 vs baseline 10 (2.10x" in regressed.stdout


def test_wall_clock_alone_never_fails_and_a_missing_figure_does(tmp_path: Path) -> None:
    _check(tmp_path, "--update", doc=_search_doc(10.0, 1000.0))
    noisy = _search_doc(10.0, 1000.0)
    noisy["sizes"][0]["warm_ms"]["p50"] = 50_000.0  # the machine was busy: wall time is not guarded
    assert _check(tmp_path, doc=noisy).returncode == 0
    broken = _search_doc(10.0, 1000.0)
    del broken["sizes"][0]["warm_cpu_ms"]
    out = _check(tmp_path, doc=broken)
    assert out.returncode == 1 and "missing from this run" in out.stdout

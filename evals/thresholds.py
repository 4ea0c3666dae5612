"""Thresholds: ``evals/thresholds.toml``, one table per suite, one entry per metric.

An entry is ``"metric.name" = { min = 0.9 }`` (or ``max``, or both; ``why`` says why this
value). A name may be a glob (``"guardrails.recall.*"``): every measured metric it matches must
meet it, and it must match at least one. A metric a threshold names but the run did not measure
is a failure too (the runner says it is missing), except in a partial run (``--only``), which
checks only what it measured.
"""

from __future__ import annotations

import fnmatch
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from copilot.errors import InvalidInput

__all__ = ["THRESHOLDS_FILE", "Failure", "Threshold", "check_thresholds", "describe_thresholds", "load_thresholds"]

THRESHOLDS_FILE = Path(__file__).resolve().parent / "thresholds.toml"


class Failure(BaseModel):
    """A missed threshold: ``message`` names the metric, its value and the bound."""

    metric: str
    value: float | None
    threshold: str  # ">= 0.9", "<= 0", "measured"
    message: str


@dataclass(frozen=True)
class Threshold:
    metric: str  # a name or a glob
    min: float | None = None
    max: float | None = None
    why: str = ""

    def describe(self) -> str:
        parts = []
        if self.min is not None:
            parts.append(f">= {self.min:g}")
        if self.max is not None:
            parts.append(f"<= {self.max:g}")
        return " and ".join(parts)

    def misses(self, value: float) -> bool:
        if math.isnan(value):
            return True
        return (self.min is not None and value < self.min - 1e-12) or (self.max is not None and value > self.max + 1e-12)


def load_thresholds(suite: str, path: Path = THRESHOLDS_FILE) -> list[Threshold]:
    """The thresholds of ``suite``; an unknown suite or a malformed entry is an ``InvalidInput``."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"cannot read thresholds file {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path} is not valid TOML: {exc}") from None
    table = doc.get(suite)
    if not isinstance(table, dict):
        known = ", ".join(k for k, v in doc.items() if isinstance(v, dict)) or "none"
        raise InvalidInput(f"{path} has no [{suite}] table (suites: {known})")
    out = []
    for metric, spec in table.items():
        if not isinstance(spec, dict) or not ({"min", "max"} & spec.keys()) or set(spec) - {"min", "max", "why"}:
            raise InvalidInput(f"{path} [{suite}] {metric!r}: expected {{ min = N }} and/or {{ max = N }} (+ why)")
        try:
            out.append(Threshold(metric, min=_num(spec.get("min")), max=_num(spec.get("max")), why=str(spec.get("why", ""))))
        except (TypeError, ValueError):
            raise InvalidInput(f"{path} [{suite}] {metric!r}: min/max must be numbers") from None
    return out


def _num(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(value)
    return float(value)


def _is_glob(name: str) -> bool:
    return any(ch in name for ch in "*?[")


def check_thresholds(metrics: dict[str, float | None], thresholds: list[Threshold], *,
                     partial: bool = False) -> list[Failure]:
    """One ``Failure`` per metric that misses its threshold (or was not measured)."""
    failures: list[Failure] = []
    for th in thresholds:
        names = sorted(m for m in metrics if fnmatch.fnmatchcase(m, th.metric)) if _is_glob(th.metric) else \
            ([th.metric] if th.metric in metrics else [])
        if not names:
            if not partial:
                failures.append(Failure(metric=th.metric, value=None, threshold="measured",
                                        message=f"{th.metric}: not measured (threshold {th.describe()}); "
                                                "the part of the suite that produces it did not run or failed"))
            continue
        for name in names:
            value = metrics[name]
            if value is None:
                if not partial:
                    failures.append(Failure(metric=name, value=None, threshold=th.describe(),
                                            message=f"{name}: missing (threshold {th.describe()})"))
                continue
            if th.misses(float(value)):
                why = f" — {th.why}" if th.why else ""
                failures.append(Failure(metric=name, value=float(value), threshold=th.describe(),
                                        message=f"{name} = {_fmt(value)}, threshold {th.describe()}{why}"))
    return failures


def _fmt(value: float) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def describe_thresholds(metrics: dict[str, float | None], thresholds: list[Threshold]) -> dict[str, str]:
    """``{metric: ">= 0.9"}`` for every measured metric a threshold (or glob) applies to."""
    out: dict[str, str] = {}
    for th in thresholds:
        for name in metrics:
            if (fnmatch.fnmatchcase(name, th.metric) if _is_glob(th.metric) else name == th.metric):
                out[name] = th.describe()
    return out

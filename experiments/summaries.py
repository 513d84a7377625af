"""Per-run summaries of a metric's time series: one number each for the runs table.

A run's summary column is named `<summary>_<metric>`, e.g. `peak_share_anomie`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

SUMMARIES: dict[str, str] = {
    "peak": "Highest value over the run.",
    "time_of_peak": "Week of the highest value (the first, if it is reached more than once).",
    "final": "Value in the last week.",
    "auc": "Area under the curve: the sum over weeks (trapezoid rule), in metric-weeks.",
    "mean": "Mean over all weeks.",
    "time_to_recover": (
        "Weeks from the largest departure from the baseline until the metric is back within "
        "`tolerance` of that departure; empty if it never recovers within the run."
    ),
}


class Recovery(BaseModel):
    """What 'recovered' means for time_to_recover."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    tolerance: float = Field(0.1, gt=0.0, le=1.0, description="Share of the largest departure still counted as recovered.")
    baseline_until: int | None = Field(
        None, ge=0, le=1_000_000,
        description="Baseline = mean of weeks 0..baseline_until; default: the week before the first shock.",
    )


def column(summary: str, metric: str) -> str:
    return f"{summary}_{metric}"


def time_to_recover(x: np.ndarray, baseline_until: int, tolerance: float) -> float:
    """Weeks from the largest departure from the baseline until back within tolerance of it
    (weeks without a value, NaN, are skipped; NaN if the baseline weeks have none)."""
    before = x[: baseline_until + 1]
    if not np.isfinite(before).any():
        return float("nan")
    baseline = float(np.nanmean(before))
    dev = np.abs(x - baseline)
    worst = int(np.nanargmax(dev))
    if dev[worst] == 0.0:
        return 0.0
    back = np.nonzero(dev[worst:] <= tolerance * dev[worst])[0]
    return float(back[0]) if back.size else float("nan")


def summarise(df: pd.DataFrame, metrics: tuple[str, ...], summaries: list[str], baseline_until: int, tolerance: float) -> dict[str, float]:
    """All summaries of all kept metrics of one run, as floats. Weeks without a value (NaN: a
    sector's metrics while nobody works in it) are left out, except by `final`; a metric with
    no value in any week summarises to NaN."""
    out: dict[str, float] = {}
    all_steps = df.index.to_numpy(dtype=np.float64)
    for m in metrics:
        raw = df[m].to_numpy(dtype=np.float64)
        known = np.isfinite(raw)
        x, steps = raw[known], all_steps[known]
        for s in summaries:
            if s == "final":
                v = float(raw[-1])
            elif x.size == 0:
                v = float("nan")
            elif s == "peak":
                v = float(x.max())
            elif s == "time_of_peak":
                v = float(steps[int(np.argmax(x))])
            elif s == "auc":
                v = float(np.trapezoid(x, steps)) if x.size > 1 else 0.0
            elif s == "mean":
                v = float(x.mean())
            elif s == "time_to_recover":
                v = time_to_recover(raw, baseline_until, tolerance)
            else:  # pragma: no cover - the sweep file schema allows only the names above
                raise ValueError(f"unknown summary {s!r}")
            out[column(s, m)] = v
    return out

"""Machine-checkable claims beside a preset's description: what to watch for, stated so a test can check it.

A preset's text says what a lecturer will see ("the waiting list grows longer than in a
plain crash"). Each such sentence is written a second time as a claim: a metric, a
statistic of it over a span of weeks, a relation, and what it is compared with: the same
weeks of another preset run with the same seeds, another metric of the same run, the same
metric over other weeks of the same run, or a number. A claim holds when, over seeds, the 95% t-interval of the paired difference lies on
the stated side of zero. `experiments/validation/claims.py` runs every preset and checks its
claims; the test suite fails when one stops holding, so a preset's words cannot drift from
what the model does.

    [[claims]]
    text = "The waiting list grows longer than in a plain crash"
    metric = "waiting_list"
    statistic = "mean"
    weeks = [70, 170]
    relation = ">"
    compare = "crash"
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy import stats

STATISTICS = ("mean", "peak", "min", "sum", "final")


class Claim(BaseModel):
    """One claim of a preset (see the module's docstring for its meaning)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    text: str = Field(min_length=1, max_length=300, description="The claim in words, shown as 'what to watch for'.")
    metric: str = Field(min_length=1, max_length=100, description="A metric of model/metrics.py.")
    statistic: Literal["mean", "peak", "min", "sum", "final"] = "mean"
    weeks: list[int] = Field(min_length=2, max_length=2,
                             description="First and last week (inclusive) the statistic is taken over.")
    relation: Literal[">", "<"]
    compare: str | None = Field(None, max_length=100, description="A preset run with the same seeds.")
    against: str | None = Field(None, max_length=100, description="Another metric of the same run.")
    value: float | None = Field(None, description="A number.")
    versus_weeks: list[int] | None = Field(None, min_length=2, max_length=2,
                                           description="The same metric over other weeks of the same run.")

    @model_validator(mode="after")
    def _one_reference(self) -> "Claim":
        given = [x for x in (self.compare, self.against, self.value, self.versus_weeks) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of compare (a preset), against (a metric), versus_weeks (other weeks) "
                             "or value (a number)")
        for span in (self.weeks, self.versus_weeks):
            if span is not None and not 0 <= span[0] <= span[1]:
                raise ValueError("weeks must be [first, last] with 0 <= first <= last")
        return self


def statistic(series, claim: Claim, weeks: list[int] | None = None) -> float:
    """The claim's statistic of one run's metric over its weeks (a pandas Series indexed by week)."""
    weeks = weeks or claim.weeks
    x = np.asarray(series.loc[weeks[0]:weeks[1]], dtype=float)
    if x.size == 0:
        return math.nan
    return float({"mean": np.mean, "peak": np.max, "min": np.min, "sum": np.sum, "final": lambda v: v[-1]}[
        claim.statistic](x))


@dataclass
class ClaimResult:
    claim: Claim
    difference: float  # mean over seeds of (this - reference)
    ci_low: float
    ci_high: float
    seeds: int

    @property
    def holds(self) -> bool:
        if math.isnan(self.ci_low):
            return False
        return self.ci_low > 0 if self.claim.relation == ">" else self.ci_high < 0

    def describe(self) -> str:
        return (f"{self.claim.text}: {self.claim.statistic} {self.claim.metric} weeks {self.claim.weeks[0]}-"
                f"{self.claim.weeks[1]} {self.claim.relation} {reference(self.claim)}; difference "
                f"{self.difference:.4g}, 95% CI [{self.ci_low:.4g}, {self.ci_high:.4g}] over {self.seeds} seeds")


def reference(claim: Claim) -> str:
    if claim.compare is not None:
        return f"preset {claim.compare}"
    if claim.against is not None:
        return f"metric {claim.against}"
    if claim.versus_weeks is not None:
        return f"weeks {claim.versus_weeks[0]}-{claim.versus_weeks[1]}"
    return f"{claim.value:g}"


def evaluate(claim: Claim, runs: list, compared: list | None = None) -> ClaimResult:
    """Check a claim on runs (pandas DataFrames of metrics, one per seed) and, for `compare`, the other preset's."""
    diffs = []
    for k, df in enumerate(runs):
        own = statistic(df[claim.metric], claim)
        if claim.compare is not None:
            ref = statistic(compared[k][claim.metric], claim)
        elif claim.against is not None:
            ref = statistic(df[claim.against], claim)
        elif claim.versus_weeks is not None:
            ref = statistic(df[claim.metric], claim, claim.versus_weeks)
        else:
            ref = float(claim.value)
        diffs.append(own - ref)
    x = np.asarray(diffs, dtype=float)
    m = float(x.mean()) if x.size else math.nan
    if x.size < 2 or not np.isfinite(x).all():
        return ClaimResult(claim, m, math.nan, math.nan, int(x.size))
    half = float(stats.t.ppf(0.975, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size))
    return ClaimResult(claim, m, m - half, m + half, int(x.size))

"""Run every preset over seeds and check the claims written beside its description (scenarios/claims.py).

A claim comparing with another preset runs that preset with the same seeds (common random
numbers), so the difference is the scenarios' and not the seeds'. Runs are shared between
claims and presets: each (preset, seed) runs once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from anomie.model.metrics import METRICS
from anomie.model.model import AnomieModel
from anomie.scenarios.claims import Claim, ClaimResult, evaluate
from anomie.scenarios.loading import load_scenario, preset_names
from anomie.scenarios.schema import InputError


@dataclass
class ClaimRunner:
    """Runs presets once per seed at a given population and keeps the metrics tables."""

    seeds: tuple[int, ...] = tuple(range(1, 6))
    n_citizens: int = 300
    cache: dict[tuple[str, int], pd.DataFrame] = field(default_factory=dict)

    def population(self, preset: str) -> int:
        """The runner's population, or the preset's own where it sets one (its claims were measured there)."""
        params = load_scenario(preset).parameters
        return params.n_citizens if "n_citizens" in params.model_fields_set else self.n_citizens

    def runs(self, preset: str, weeks: int) -> list[pd.DataFrame]:
        out = []
        for seed in self.seeds:
            key = (preset, seed)
            df = self.cache.get(key)
            if df is None or df.index[-1] < weeks:
                model = AnomieModel(load_scenario(preset), seed=seed, create_agents=False, n_citizens=self.population(preset))
                model.run_for(weeks)
                df = self.cache[key] = model.dataframe()
            out.append(df)
        return out


def claims_of(preset: str) -> list[Claim]:
    """The claims of a preset (none if the scenario schema does not carry them)."""
    return list(getattr(load_scenario(preset), "claims", []) or [])


def validate_claim(preset: str, k: int, claim: Claim) -> None:
    """A claim must name metrics the model reports and a preset that exists."""
    where = f"claims[{k}]"
    for name, value in (("metric", claim.metric), ("against", claim.against)):
        if value is not None and value not in METRICS:
            raise InputError(f"{where}.{name}: unknown metric '{value}' (allowed: {', '.join(METRICS)})", preset)
    if claim.compare is not None and claim.compare not in preset_names():
        raise InputError(f"{where}.compare: unknown preset '{claim.compare}' (allowed: {', '.join(preset_names())})",
                         preset)


def check_preset(preset: str, runner: ClaimRunner) -> list[ClaimResult]:
    out = []
    for k, claim in enumerate(claims_of(preset)):
        validate_claim(preset, k, claim)
        weeks = max(claim.weeks[1], (claim.versus_weeks or (0, 0))[1]) + 1
        own = runner.runs(preset, weeks)
        other = runner.runs(claim.compare, weeks) if claim.compare is not None else None
        out.append(evaluate(claim, own, other))
    return out


def check_all(runner: ClaimRunner | None = None, presets: list[str] | None = None) -> dict[str, list[ClaimResult]]:
    runner = runner or ClaimRunner()
    return {p: check_preset(p, runner) for p in (presets or preset_names())}

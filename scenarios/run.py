"""Running a scenario to a table: the one entry point the CLI, sweeps and dashboard share."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pandas as pd

from anomie.model.model import AnomieModel

from .loading import build_model, load_scenario
from .schema import Scenario


def package_version() -> str:
    try:
        return version("anomie")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


# A tiny run through the shocks whose kernels differ (rewired, suspended and new ties, social
# work): every compiled kernel is then loaded, or compiled on a new machine.
KERNEL_WARM_UP = (("industrialisation", 140), ("isolation", 55), ("migration", 55))


def load_kernels() -> None:
    """Load every compiled kernel once, so that timing (or a sweep's first run) excludes it."""
    for name, weeks in KERNEL_WARM_UP:
        build_model(name, seed=0, n_citizens=120, create_agents=False).run_for(weeks)


def simulate(
    scenario: str | Path | Scenario,
    seed: int,
    steps: int | None = None,
    overrides: dict[str, Any] | None = None,
    progress=None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Run a scenario for `steps` weeks (default: the scenario's own) and return (metrics, metadata).

    `progress`, if given, is called with the number of weeks done after each week.
    """
    spec = load_scenario(scenario).with_overrides(**(overrides or {}))
    n_steps = spec.steps if steps is None else steps
    model = AnomieModel(spec, seed=seed, create_agents=False)
    for k in range(n_steps):
        model.step()
        if progress is not None:
            progress(k + 1)
    meta = {
        "scenario": spec.name,
        "title": spec.title,
        "seed": seed,
        "steps": n_steps,
        "version": package_version(),
        "parameters": spec.parameters.model_dump(),
        "shocks": [s.model_dump() for s in spec.shocks],
    }
    return model.dataframe(), meta

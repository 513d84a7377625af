"""Means and expectations: jobs, wages and the desires that norms should bound."""

from __future__ import annotations

import numpy as np

from .jit import kernel


def role_wages(n_roles: int, wage_spread: float, rng: np.random.Generator) -> np.ndarray:
    """Earnings of each role relative to the average wage: lognormal-ish spread, mean 1."""
    w = np.exp(wage_spread * rng.standard_normal(n_roles))
    return w / w.mean()


def labour_market(
    employed: np.ndarray, loss_p: float, find_p: float, rng: np.random.Generator
) -> np.ndarray:
    """Jobs are lost and found at given weekly rates."""
    u = rng.random(employed.size)
    lose = employed & (u < loss_p)
    find = ~employed & (u < find_p)
    return (employed & ~lose) | find


def current_means(
    employed: np.ndarray, role_wage: np.ndarray, wage_level: float, unemployment_benefit: float
) -> np.ndarray:
    """Means: one's role's wage times the economy's wage level, or the benefit when out of work."""
    return np.where(employed, role_wage * wage_level, unemployment_benefit)


def economic_turbulence(old_wage_level: float, new_wage_level: float) -> float:
    """Size of a sudden change in the economy's fortunes, ruin or windfall alike: |log(new / old)|.

    Durkheim: any abrupt shift in the scale of life disturbs the classification of needs,
    whichever way it goes. Ordinary job churn is not turbulence; its hardship shows as strain.
    """
    return abs(float(np.log(max(new_wage_level, 1e-9) / max(old_wage_level, 1e-9))))


@kernel
def expectation_target(
    means: np.ndarray, regulation: np.ndarray, ambition: float, fair_regulation: float
) -> np.ndarray:
    """What a person comes to expect: their means, plus desires that weak norms no longer bound.

    Norms felt as fair (regulation at the healthy level or above) hold expectations to
    one's means; below that level desires run ahead of means, up to `ambition` at none.
    """
    slack = np.maximum(fair_regulation - regulation, 0.0) / max(fair_regulation, 1e-9)
    return means * (1.0 + ambition * slack)


@kernel
def strain(expectations: np.ndarray, means: np.ndarray) -> np.ndarray:
    """Relative gap between expectations and means, when expectations are higher, in [0, 1]."""
    gap = np.maximum(expectations - means, 0.0)
    return gap / np.maximum(expectations, 1e-9)

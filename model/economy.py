"""Means and expectations: jobs, wages and the desires that norms should bound."""

from __future__ import annotations

import numpy as np

from .jit import kernel


def role_wages(n_roles: int, wage_spread: float, rng: np.random.Generator) -> np.ndarray:
    """Earnings of each position (grade) within a sector relative to the sector's wage: lognormal spread, mean 1."""
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
    employed: np.ndarray, role_wage: np.ndarray, wage_level: float, unemployment_benefit: float,
    fortune: np.ndarray | float = 0.0, claimed: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Means: one's position's wage times the economy's wage level and one's business
    fortune (exp of a log deviation), or the benefit when out of work, plus any
    income-related benefit one claims (`claimed`, see `benefit_top_up`)."""
    return np.where(employed, role_wage * wage_level * np.exp(fortune), unemployment_benefit + claimed)


def benefit_top_up(claiming: np.ndarray, employed: np.ndarray, unclaimed_benefit: float) -> np.ndarray:
    """The income-related benefit each person draws this week: `unclaimed_benefit` for a
    claimant out of work, 0 for everybody else; empty when nobody claims.

    Non-take-up (van Oorschot, "Non-take-up of social security benefits in Europe", Journal
    of European Social Policy 1991; DWP, *Income-related benefits: estimates of take-up*):
    many entitled people never claim, for want of knowing, of the effort a claim costs, or
    from stigma. The model's everyday `unemployment_benefit` is what people claim unaided;
    this is the entitlement they leave unclaimed until an advocate (Bateman, *Advocacy
    Skills*, 2000) secures it (agents/practice.py, `benefit_take_up`). A claim ends when the
    person is back in work (`claiming` is cleared in place for the employed): a later spell
    out of work needs a new claim, and unaided it is not made again.
    """
    claiming &= ~employed[: claiming.size]
    if not claiming.any():
        return np.empty(0)
    top_up = np.zeros(employed.size)
    top_up[: claiming.size][claiming] = unclaimed_benefit
    return top_up


@kernel
def own_means(employed: bool, role_wage: float, wage_level: float, unemployment_benefit: float, fortune: float) -> float:
    """One person's means (`current_means` for one person): wage x wage level x e^fortune, or the benefit."""
    if employed:
        return role_wage * wage_level * np.exp(fortune)
    return unemployment_benefit


def business_fortune(
    fortune: np.ndarray, sector: np.ndarray, turbulence: np.ndarray, reversion: float, rng: np.random.Generator
) -> np.ndarray:
    """Each person's log deviation of earnings from their position's usual level, one week on.

    Market sectors are turbulent (Durkheim: in trade and industry crisis is "constant and,
    so to speak, normal", Suicide Book II ch. 5): f <- (1 - reversion) f + sigma_sector * e,
    e standard normal, one draw per person; a mean-reverting random walk (an AR(1)).
    """
    shock = rng.standard_normal(fortune.size, dtype=np.float32)
    return (1.0 - reversion) * fortune + turbulence[sector] * shock


@kernel
def means_change(old_means: np.ndarray, new_means: np.ndarray) -> np.ndarray:
    """Size of the change of one's own means, ruin or windfall alike: |log(new / old)|.

    Durkheim: any abrupt shift in the scale of one's life disturbs the classification of
    needs, whichever way it goes (Suicide Book II ch. 5).
    """
    return np.abs(np.log(np.maximum(new_means, 1e-9) / np.maximum(old_means, 1e-9)))


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

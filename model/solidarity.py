"""Integration from the two kinds of solidarity (Durkheim, The Division of Labour, 1893).

Mechanical solidarity binds through likeness to one's ties; organic solidarity through
exchange with ties in complementary roles. A society's solidarity mix weights the two.
"""

from __future__ import annotations

import numpy as np

from .jit import kernel


@kernel
def attachment(degree: np.ndarray, half_saturation: float) -> np.ndarray:
    """How much a person's ties can hold them: 0 with no ties, half at `half_saturation` ties, towards 1."""
    return degree / (degree + half_saturation)


def mechanical_likeness(
    tie_distance: np.ndarray, u: np.ndarray, v: np.ndarray, n: int, degree: np.ndarray | None = None
) -> np.ndarray:
    """Mechanical solidarity: mean belief similarity (1 - distance) to one's active ties; 0 for the tieless.

    `degree`, each citizen's number of ties (u, v), is counted from the ties when not given.
    """
    return mean_over_ties(_likeness_sum(tie_distance, u, v, n), _tie_count(u, v, n, degree))


@kernel
def _likeness_sum(tie_distance, u, v, n):
    # each end's sum in tie order, the two ends added last: bincount(u) + bincount(v)
    at_u, at_v = np.zeros(n), np.zeros(n)
    for t in range(u.size):
        sim = 1.0 - tie_distance[t]
        at_u[u[t]] += sim
        at_v[v[t]] += sim
    return at_u + at_v


def organic_interdependence(
    role: np.ndarray, employed: np.ndarray, u: np.ndarray, v: np.ndarray, n: int, degree: np.ndarray | None = None
) -> np.ndarray:
    """Organic solidarity: share of one's ties that are working people in another role, if one works.

    Exchange needs both sides to hold a place in the division of labour: the unemployed
    have no exchange, and ties within one's own role are likeness, not interdependence.
    `degree`, each citizen's number of ties (u, v), is counted from the ties when not given.
    """
    # the role of those who work, -1 for those who do not
    place = np.where(employed, role, -1)
    return mean_over_ties(_exchange_sum(place, u, v, n), _tie_count(u, v, n, degree)) * employed


@kernel
def tie_exchange(place_a, place_b) -> float:
    """Organic exchange across one tie: 1 when both ends work (place >= 0) in different roles, else 0."""
    return 1.0 if (place_a != place_b) & (place_a >= 0) & (place_b >= 0) else 0.0


@kernel
def _exchange_sum(place, u, v, n):
    at_u, at_v = np.zeros(n), np.zeros(n)
    for t in range(u.size):
        exchange = tie_exchange(place[u[t]], place[v[t]])
        at_u[u[t]] += exchange  # adding 0.0 keeps the sums as bincount makes them
        at_v[v[t]] += exchange
    return at_u + at_v


def _tie_count(u: np.ndarray, v: np.ndarray, n: int, degree: np.ndarray | None) -> np.ndarray:
    if degree is None:
        return np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    return degree


def mean_over_ties(total: np.ndarray, count: np.ndarray) -> np.ndarray:
    """A per-citizen sum over ties divided by the number of ties; 0 for the tieless."""
    return np.divide(total, count, out=np.zeros(total.size), where=count > 0)


@kernel
def integration_target(
    attach: np.ndarray, likeness: np.ndarray, interdependence: np.ndarray, organic_share: float
) -> np.ndarray:
    """Where integration tends: attachment times the mix of mechanical and organic bonds."""
    return attach * ((1.0 - organic_share) * likeness + organic_share * interdependence)


@kernel
def adapt(current: np.ndarray, target: np.ndarray, rate: float) -> np.ndarray:
    """Move a state a share `rate` of the way to its target (first-order adjustment)."""
    return current + rate * (target - current)

"""Integration from the two kinds of solidarity (Durkheim, The Division of Labour, 1893).

Mechanical solidarity binds through likeness to one's ties; organic solidarity through
exchange with ties in complementary functions (sectors, model.sectors.DEPENDENCY), on the
same [0, 1] scale. A society's solidarity mix weights the two. Ties alone hold a person up
to a ceiling below altruism; only strong belonging to a group (an occupational group, the
collective sentiment of a war or revolution) absorbs the self beyond it.
"""

from __future__ import annotations

import numpy as np

from .jit import kernel
from .sectors import DEPENDENCY


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
    position: np.ndarray, free: np.ndarray, u: np.ndarray, v: np.ndarray, n: int,
    degree: np.ndarray | None = None, dependency: np.ndarray = DEPENDENCY,
) -> np.ndarray:
    """Organic solidarity: mean exchange over one's ties, if one holds a freely chosen place.

    The exchange across a tie is `dependency[position_a, position_b]` (positions and their
    table from model.sectors: `positions`, `position_dependency`; or sectors and the sector
    table) when both ends work in a place they chose (`free`), else 0: the out of work have
    no exchange, and an imposed role binds nobody (the forced division of labour, Division
    of Labour Book III ch. 2). `degree`, each citizen's number of ties (u, v), is counted
    from the ties when not given.
    """
    # the position of those who work freely, -1 for the others
    place = np.where(free, position, -1)
    return mean_over_ties(_exchange_sum(place, u, v, n, dependency), _tie_count(u, v, n, degree)) * free


@kernel
def tie_exchange(place_a, place_b, dependency) -> float:
    """Organic exchange across one tie: how far the two functions (positions) depend on each
    other, `dependency[place_a, place_b]`, when both ends work freely (place >= 0), else 0."""
    if place_a < 0 or place_b < 0:
        return 0.0
    return dependency[int(place_a), int(place_b)]


@kernel
def _exchange_sum(place, u, v, n, dependency):
    at_u, at_v = np.zeros(n), np.zeros(n)
    for t in range(u.size):
        exchange = tie_exchange(place[u[t]], place[v[t]], dependency)
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
    attach: np.ndarray, likeness: np.ndarray, interdependence: np.ndarray, organic_share: float,
    ceiling: float, belonging: np.ndarray,
) -> np.ndarray:
    """Where integration tends.

    The bond of one's ties: under mechanical solidarity likeness; under organic solidarity
    likeness *or* exchange, composed as independent holds, 1 - (1 - likeness)(1 - exchange):
    the division of labour does not abolish likeness, it lets difference bind too (Division
    of Labour, Book I ch. 3-5). The society's mix `organic_share` weights the two.
    Ties give `ceiling` x attachment x that bond: however many and however close, ties alone
    stay below `ceiling` (set below the altruistic threshold: altruism is not popularity).
    Belonging to a group in which the self is subordinated (an occupational group's
    `belonging`, the collective sentiment of a war or revolution) fills that share of what
    ties leave: b + (1 - b) x belonging, the only way past the ceiling (Suicide Book II ch. 4:
    altruism as absorption into the group).
    """
    organic = 1.0 - (1.0 - likeness) * (1.0 - interdependence)
    bond = ceiling * attach * ((1.0 - organic_share) * likeness + organic_share * organic)
    return bond + (1.0 - bond) * belonging


def belonging(group_belonging: np.ndarray, collective_sentiment: float) -> np.ndarray:
    """Belonging from an occupational group and from society-wide collective sentiment,
    composed as independent holds: 1 - (1 - group) (1 - sentiment)."""
    return 1.0 - (1.0 - group_belonging) * (1.0 - collective_sentiment)


@kernel
def adapt(current: np.ndarray, target: np.ndarray, rate: float) -> np.ndarray:
    """Move a state a share `rate` of the way to its target (first-order adjustment)."""
    return current + rate * (target - current)

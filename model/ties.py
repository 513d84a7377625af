"""Tie dynamics: ties across wide belief gaps break, friends of friends meet, change rewires."""

from __future__ import annotations

import numpy as np

from .beliefs import pair_distance
from .jit import in_parts, kernel
from .network import SocialNetwork
from .solidarity import tie_exchange


@kernel
def dissimilar_ties_break(tie_distance, draw, threshold: float, rate: float):
    """Homophily: a tie whose ends believe too differently breaks with a weekly probability.

    `draw` is uniform on [0, 1), one per tie: the tie breaks when its ends are more than
    `threshold` apart and the draw is below `rate`. Works on one tie's numbers as on arrays.
    """
    return (tie_distance > threshold) & (draw < rate)


# In the tie pass a citizen's place is their position if they work in a place they chose,
# FORCED if they work in an imposed one, and OUT_OF_WORK otherwise (both bind nobody: no exchange).
OUT_OF_WORK = -1
FORCED = -2


def tie_places(position: np.ndarray, employed: np.ndarray, forced: np.ndarray) -> np.ndarray:
    """Each citizen's place for the tie pass: their position when working in a place they
    chose, `FORCED` when working in an imposed one, `OUT_OF_WORK` otherwise."""
    return np.where(employed, np.where(forced, FORCED, position), OUT_OF_WORK)


@kernel
def forced_conflict_breaks(place_a, place_b, draw, rate: float):
    """Forced division of labour breeds conflict: a tie between a person working in an imposed
    place and a person working in a freely chosen one breaks with weekly probability `rate`.

    Durkheim, The Division of Labour (1893), Book III ch. 2: when functions are distributed
    by external inequality (inheritance, power) rather than by natural talents, those held
    in places imposed on them "aspire to functions which are closed to them" and turn against
    those who hold them; the division of labour then "produces only imperfect and troubled
    solidarity", and the bonds across the divide turn to conflict (class war). Ties among
    the forced, and with the out of work, are not at stake. `draw` is uniform on [0, 1), one
    per tie; places as `tie_places` gives them. Works on one tie's numbers as on arrays.
    """
    across = ((place_a == FORCED) & (place_b >= 0)) | ((place_b == FORCED) & (place_a >= 0))
    return across & (draw < rate)


def triadic_closure(
    net: SocialNetwork, target_degree: float, rate: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Friends of friends become friends: people below their usual number of ties meet one.

    Each citizen with fewer active ties than the society's usual degree picks, with the
    closure rate, a random tie and then a random tie of theirs; the pair is returned.
    """
    deg = net.degree
    who = np.flatnonzero((deg < target_degree) & (deg > 0))
    who = who[rng.random(who.size) < rate]
    if who.size == 0:
        return who, who
    friend = net.random_neighbour(who, rng)
    fof = net.random_neighbour(friend, rng)
    ok = (fof >= 0) & (fof != who)
    return who[ok], fof[ok]


def uprooting(
    net: SocialNetwork, movers: np.ndarray, share: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """People who change sector move to town: each of a mover's active ties is cut with
    probability `share`, and for each a new tie is made from the mover to someone at random
    (their new place).

    Returns the mask of ties to cut (over the edge list), the new pairs (mover, random
    citizen) and, per citizen, the share of their own ties rewired (0 for non-movers).
    """
    indptr, indices = net.csr
    start, stop = indptr[movers], indptr[movers + 1]
    counts = (stop - start).astype(np.int64)
    own = np.repeat(movers, counts)
    within = np.arange(own.size) - np.repeat(np.cumsum(counts) - counts, counts)
    other = indices[np.repeat(start, counts) + within]
    lose = rng.random(own.size) < share
    cut = np.zeros(net.n_ties, dtype=bool)
    cut[net.tie_positions(own[lose], other[lose])] = True
    uprooted = np.zeros(net.n)
    np.add.at(uprooted, own[lose], 1.0)
    uprooted[movers] /= np.maximum(counts, 1)
    keep_end = own[lose].astype(np.int64)
    new_end = rng.integers(0, net.n, size=keep_end.size)
    return cut, keep_end, new_end, uprooted


def newcomer_ties(first_new: int, n_new: int, ties_each: int, n_hosts: int, rng: np.random.Generator):
    """Newcomers arrive with few ties, to random members of the host society."""
    a = np.repeat(np.arange(first_new, first_new + n_new), ties_each)
    b = rng.integers(0, n_hosts, size=a.size)
    return a, b


# The tie pass is cut into this many fixed parts, each summing into its own arrays, added in
# a fixed order at the end: the parts can run in threads, and the numbers do not depend on
# the machine's number of cores.
TIE_PASS_PARTS = 2
# From this many ties the two parts run in two threads: the pass does enough arithmetic per
# tie (a distance, a square root) to gain from the second core well below the million items
# of the memory-bound kernels (docs/BENCHMARKS.md).
TIE_PASS_PARALLEL_MIN_TIES = 200_000
_NO_DRAWS = np.empty(0)


def tie_week(beliefs, place, u, v, active, cut, break_draw, threshold, rate, dependency,
             conflict_draw=_NO_DRAWS, conflict_rate=0.0):
    """One pass over the ties: which break this week, and what the lasting ones give each end.

    Homophily: an active tie may break (`dissimilar_ties_break`, with its draw from
    `break_draw`); one that does not may break in the conflict of a forced division of
    labour (`forced_conflict_breaks`, with its draw from `conflict_draw`; empty for none:
    no conflict). Each active tie that neither breaks nor
    is cut (`cut`, empty for none) adds, to both ends, its similarity 1 - distance
    (mechanical likeness) and the exchange of the two ends' sectors (organic exchange,
    `solidarity.tie_exchange`; `place` as `tie_places` gives it). `active` is empty when no
    tie is suspended. Returns the mask of broken ties, the two per-citizen sums and the mask
    of ties broken in conflict (empty when there were no conflict draws).
    """
    (n, k), m = beliefs.shape, u.size
    # each citizen's beliefs and place side by side: one cache line serves both, and the
    # pass is bound by fetching the far end's numbers
    profile = np.empty((n, k + 1))
    profile[:, :k] = beliefs
    profile[:, k] = place
    broken = np.zeros(m, dtype=np.bool_)
    conflict = np.zeros(m if conflict_draw.size else 0, dtype=np.bool_)
    # per part and citizen: likeness and exchange side by side (one cache line per end)
    sums = np.zeros((TIE_PASS_PARTS, n, 2))
    cuts = np.linspace(0, m, TIE_PASS_PARTS + 1).astype(np.int64)
    in_parts(
        lambda p: _tie_pass(profile, k, u, v, active, cut, break_draw, threshold, rate, dependency, conflict_draw,
                            conflict_rate, cuts[p], cuts[p + 1], broken, conflict, sums[p]),
        TIE_PASS_PARTS, m, TIE_PASS_PARALLEL_MIN_TIES,
    )
    # the parts added in order, straight into each sum's own array
    likeness, exchange = sums[0, :, 0].copy(), sums[0, :, 1].copy()
    for p in range(1, TIE_PASS_PARTS):
        likeness += sums[p, :, 0]
        exchange += sums[p, :, 1]
    return broken, likeness, exchange, conflict


@kernel
def _tie_pass(profile, k, u, v, active, cut, break_draw, threshold, rate, dependency, conflict_draw, conflict_rate,
              start, stop, broken, conflict, sums):
    """Ties start..stop of `tie_week`: the rules `dissimilar_ties_break` and then
    `forced_conflict_breaks` decide breaking, and the lasting ties add `1 - pair_distance` and
    `solidarity.tie_exchange` to both ends. Must equal those rules applied to every tie and
    `mechanical_likeness` and `organic_interdependence` over the lasting ties
    (tests/model/test_tie_pass.py)."""
    for t in range(start, stop):
        if active.size and not active[t]:
            continue  # suspended: neither breaks nor binds
        a, b = u[t], v[t]
        d = pair_distance(profile, a, b, k)
        if dissimilar_ties_break(d, break_draw[t], threshold, rate):
            broken[t] = True
        elif conflict_draw.size and forced_conflict_breaks(profile[a, k], profile[b, k], conflict_draw[t], conflict_rate):
            broken[t] = True
            conflict[t] = True
        elif not (cut.size and cut[t]):
            exchange = tie_exchange(profile[a, k], profile[b, k], dependency)
            sums[a, 0] += 1.0 - d
            sums[a, 1] += exchange
            sums[b, 0] += 1.0 - d
            sums[b, 1] += exchange


@kernel
def add_new_ties(beliefs, place, u, v, likeness_sum, exchange_sum, dependency):
    """What ties made this week add to their ends' likeness and exchange sums (see `tie_week`)."""
    for t in range(u.size):
        a, b = u[t], v[t]
        sim = 1.0 - pair_distance(beliefs, a, b, beliefs.shape[1])
        likeness_sum[a] += sim
        likeness_sum[b] += sim
        exchange = tie_exchange(place[a], place[b], dependency)
        exchange_sum[a] += exchange
        exchange_sum[b] += exchange

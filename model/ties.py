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


def tie_week(beliefs, place, u, v, active, cut, break_draw, threshold, rate, dependency):
    """One pass over the ties: which break this week, and what the lasting ones give each end.

    Homophily: an active tie may break (`dissimilar_ties_break`, with its draw from
    `break_draw`). Each active tie that neither breaks nor
    is cut (`cut`, empty for none) adds, to both ends, its similarity 1 - distance
    (mechanical likeness) and the exchange of the two ends' sectors (organic exchange,
    `solidarity.tie_exchange`; `place` is the position of those who work freely, -1 otherwise). `active` is empty when no
    tie is suspended. Returns the mask of broken ties and the two per-citizen sums.
    """
    (n, k), m = beliefs.shape, u.size
    # each citizen's beliefs and place side by side: one cache line serves both, and the
    # pass is bound by fetching the far end's numbers
    profile = np.empty((n, k + 1))
    profile[:, :k] = beliefs
    profile[:, k] = place
    broken = np.zeros(m, dtype=np.bool_)
    # per part and citizen: likeness and exchange side by side (one cache line per end)
    sums = np.zeros((TIE_PASS_PARTS, n, 2))
    cuts = np.linspace(0, m, TIE_PASS_PARTS + 1).astype(np.int64)
    in_parts(
        lambda p: _tie_pass(profile, k, u, v, active, cut, break_draw, threshold, rate, dependency, cuts[p], cuts[p + 1], broken, sums[p]),
        TIE_PASS_PARTS, m,
    )
    total = sums.sum(axis=0)  # the parts added in order
    return broken, total[:, 0].copy(), total[:, 1].copy()


@kernel
def _tie_pass(profile, k, u, v, active, cut, break_draw, threshold, rate, dependency, start, stop, broken, sums):
    for t in range(start, stop):
        if active.size and not active[t]:
            continue  # suspended: neither breaks nor binds
        a, b = u[t], v[t]
        d = pair_distance(profile, a, b, k)
        # dissimilar_ties_break for one tie, written out so that the draw is read only across
        # a wide gap: the pass runs twice as fast as with the call
        if d > threshold and break_draw[t] < rate:
            broken[t] = True
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

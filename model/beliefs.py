"""Beliefs and the collective conscience: bounded-confidence influence between ties."""

from __future__ import annotations

import numpy as np

from .jit import in_blocks, kernel
from .network import pick_neighbours


def belief_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance between belief vectors, scaled to [0, 1] (Euclidean / sqrt(dimensions)).

    The squares are summed one dimension after another, so the result does not depend
    on how wide the machine's vector unit is (numpy's einsum pairs them by lane).
    """
    out = np.empty(a.shape[0], dtype=np.float64)
    _row_distance_into(a, b, out)
    return out


@kernel
def rows_distance(x: np.ndarray, i: int, y: np.ndarray, j: int, k: int) -> float:
    """belief_distance between row i of x and row j of y over their first k numbers (the
    beliefs), the squares summed one dimension after another."""
    d2 = 0.0
    for c in range(k):
        diff = x[i, c] - y[j, c]
        d2 += diff * diff
    return np.sqrt(d2 / k)


@kernel
def _row_distance_into(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    for t in range(a.shape[0]):
        out[t] = rows_distance(a, t, b, t, a.shape[1])


def tie_distance(beliefs: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Belief distance across each tie (u[i], v[i]); the same numbers as belief_distance(beliefs[u], beliefs[v]).

    Each tie's distance depends on its own row only, so with many ties the list is cut
    into one block per core, done in threads: the numbers are the same either way.
    """
    out = np.empty(u.size, dtype=np.float64)
    in_blocks(lambda a, b: _tie_distance_into(beliefs, u[a:b], v[a:b], out[a:b]), u.size)
    return out


@kernel
def pair_distance(beliefs: np.ndarray, a: int, b: int, k: int) -> float:
    """belief_distance of two citizens' rows (their first k numbers: the k beliefs).

    The loop of `rows_distance` written out on one array: the hot loop over ties runs
    three times faster this way (numba cannot tell that two array arguments are the same).
    """
    d2 = 0.0
    for c in range(k):
        diff = beliefs[a, c] - beliefs[b, c]
        d2 += diff * diff
    return np.sqrt(d2 / k)


@kernel
def _tie_distance_into(beliefs: np.ndarray, u: np.ndarray, v: np.ndarray, out: np.ndarray) -> None:
    for t in range(u.size):
        out[t] = pair_distance(beliefs, u[t], v[t], beliefs.shape[1])


def deffuant_influence(
    beliefs: np.ndarray,
    partner: np.ndarray,
    confidence_bound: float,
    convergence_rate: float,
) -> np.ndarray:
    """Bounded confidence (Deffuant, Neau, Amblard and Weisbuch 2000).

    Each citizen i meets one partner j (partner[i], or -1 for none). If their beliefs are
    closer than the confidence bound d, both move towards each other by the convergence
    rate mu: x_i += mu (x_j - x_i), x_j += mu (x_i - x_j). All meetings of one step happen
    at once; a citizen in several meetings moves by the mean of its pulls, so nobody
    overshoots and beliefs stay inside [0, 1].
    """
    n, k = beliefs.shape
    total = np.zeros((n, k))  # the pulls on each citizen, then the new beliefs
    meetings = np.zeros(n)
    close = np.zeros(n, dtype=np.bool_)
    # the initiators' pulls first, then the partners', each in the initiators' order: the
    # sums are then the same whatever the number of meetings per citizen. The first and
    # last passes write only their own citizens' rows, so they can run in blocks.
    in_blocks(lambda a, b: _initiators_pull(beliefs, partner, confidence_bound, a, b, total, meetings, close), n)
    _partners_pull(beliefs, partner, close, total, meetings)
    in_blocks(lambda a, b: _move(beliefs, total, meetings, convergence_rate, a, b), n)
    return total


@kernel
def _initiators_pull(beliefs, partner, confidence_bound, start, stop, total, meetings, close):
    """`deffuant_influence`, first pass: the pulls on the citizens start..stop from the meeting
    each begins. With `_partners_pull` and `_move` it must equal the rule written with numpy
    (tests/model/test_fast_paths.py)."""
    for i in range(start, stop):
        j = partner[i]
        if j >= 0 and pair_distance(beliefs, i, j, beliefs.shape[1]) < confidence_bound:
            close[i] = True
            meetings[i] += 1.0
            for c in range(beliefs.shape[1]):
                total[i, c] -= beliefs[i, c] - beliefs[j, c]


@kernel
def _partners_pull(beliefs, partner, close, total, meetings):
    """`deffuant_influence`, second pass: the pulls on the partners, in the initiators' order."""
    for i in range(beliefs.shape[0]):
        if close[i]:
            j = partner[i]
            meetings[j] += 1.0
            for c in range(beliefs.shape[1]):
                total[j, c] += beliefs[i, c] - beliefs[j, c]


@kernel
def _move(beliefs, total, meetings, convergence_rate, start, stop):
    """`deffuant_influence`, last pass: each citizen moves by the mean of its pulls (those in
    no meeting by exactly +0.0)."""
    for i in range(start, stop):
        m = max(meetings[i], 1.0)
        for c in range(beliefs.shape[1]):
            total[i, c] = total[i, c] * convergence_rate / m + beliefs[i, c]


def individual_drift(beliefs: np.ndarray, scale: float, rng: np.random.Generator) -> np.ndarray:
    """The cult of the individual: where solidarity is organic, private beliefs wander from the common ones.

    Each belief takes a small random step of standard deviation `scale`, kept inside
    [0, 1]. The step is uniform on [-sqrt(3) scale, sqrt(3) scale]: summed over weeks it
    is the same diffusion as a normal step, and uniform draws cost a fifth of normal ones.
    """
    if scale <= 0.0:
        return beliefs
    step = rng.random(beliefs.shape)
    in_blocks(lambda a, b: _drift(beliefs, scale * UNIFORM_HALF_WIDTH, a, b, step), beliefs.shape[0])
    return step  # each row written over its draws


# Half-width of a uniform step with standard deviation 1.
UNIFORM_HALF_WIDTH = np.sqrt(3.0)


@kernel
def _drift(beliefs, half_width, start, stop, step):
    """`individual_drift` for rows start..stop: must equal np.clip(beliefs + half_width (2 step - 1), 0, 1)
    (tests/model/test_fast_paths.py)."""
    for i in range(start, stop):
        for c in range(beliefs.shape[1]):
            moved = beliefs[i, c] + half_width * (2.0 * step[i, c] - 1.0)
            step[i, c] = min(max(moved, 0.0), 1.0)


@kernel
def meetings_pass(beliefs, indptr, indices, neighbour_draws, confidence_bound, convergence_rate, half_width, drift_draws):
    """The week's meetings of beliefs with their draws made beforehand, in one compiled call:
    the random neighbour (`network.pick_neighbours`), bounded confidence
    (`deffuant_influence`'s three passes) and the drift (`_drift`, when `drift_draws` is not
    empty). No Python runs between the parts, so the call can run beside the workers' week
    without waiting for the interpreter. Must equal `model.meetings_of_beliefs`
    (tests/model/test_fast_paths.py)."""
    n, k = beliefs.shape
    partner = pick_neighbours(indptr, indices, np.empty(0, dtype=np.int64), True, neighbour_draws)
    total = np.zeros((n, k))
    meetings = np.zeros(n)
    close = np.zeros(n, dtype=np.bool_)
    _initiators_pull(beliefs, partner, confidence_bound, 0, n, total, meetings, close)
    _partners_pull(beliefs, partner, close, total, meetings)
    _move(beliefs, total, meetings, convergence_rate, 0, n)
    if drift_draws.size == 0:
        return total
    _drift(total, half_width, 0, n, drift_draws)
    return drift_draws


def consensus(beliefs: np.ndarray) -> float:
    """Strength of the collective conscience: 1 minus twice the mean distance to the mean belief.

    1 when all believe the same; 0 when beliefs are as spread as a uniform cloud or more.
    """
    if beliefs.shape[0] == 0:
        return 0.0
    return float(np.clip(1.0 - 2.0 * _mean_distance_to_centre(beliefs), 0.0, 1.0))


@kernel
def _mean_distance_to_centre(beliefs):
    """Mean belief_distance to the mean belief, in two passes over the rows (numpy's mean over
    the short axis of a tall array walks it column by column)."""
    n, k = beliefs.shape
    centre = np.zeros((1, k))
    for i in range(n):
        for c in range(k):
            centre[0, c] += beliefs[i, c]
    centre /= n
    total = 0.0
    for i in range(n):
        total += rows_distance(beliefs, i, centre, 0, k)
    return total / n

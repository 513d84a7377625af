"""Beliefs: belief distance, Deffuant bounded-confidence influence, drift and consensus."""

import numpy as np
import pytest

from anomie.model.beliefs import belief_distance, consensus, deffuant_influence, individual_drift, tie_distance


def test_belief_distance_is_scaled_euclidean():
    a = np.array([[0.0, 0.0], [0.0, 0.0], [0.2, 0.7]])
    b = np.array([[1.0, 1.0], [1.0, 0.0], [0.2, 0.7]])
    d = belief_distance(a, b)
    # sqrt(sum of squares / dimensions): the far corner is 1, one axis apart is 1/sqrt(2)
    assert d == pytest.approx([1.0, np.sqrt(0.5), 0.0])


def test_tie_distance_is_the_belief_distance_across_each_tie():
    rng = np.random.default_rng(2)
    b = rng.random((30, 3))
    u, v = rng.integers(0, 30, 50), rng.integers(0, 30, 50)
    assert np.array_equal(tie_distance(b, u, v), belief_distance(b[u], b[v]))
    assert tie_distance(np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([0]), np.array([1])) == pytest.approx([1.0])


def test_belief_distance_is_symmetric_and_one_dimensional_is_absolute_difference():
    rng = np.random.default_rng(0)
    a, b = rng.random((20, 1)), rng.random((20, 1))
    assert belief_distance(a, b) == pytest.approx(belief_distance(b, a))
    assert belief_distance(a, b) == pytest.approx(np.abs(a - b).ravel())


def test_deffuant_pair_within_bound_moves_both_by_mu():
    x = np.array([[0.4], [0.6]])
    out = deffuant_influence(x, np.array([1, -1]), confidence_bound=0.3, convergence_rate=0.2)
    # x_i += mu (x_j - x_i): 0.4 + 0.2 * 0.2 and 0.6 - 0.2 * 0.2
    assert out[:, 0] == pytest.approx([0.44, 0.56])
    assert x[:, 0].tolist() == [0.4, 0.6], "the input must not be changed in place"


def test_deffuant_mean_belief_is_conserved_by_a_meeting():
    x = np.array([[0.1, 0.9], [0.3, 0.8]])
    out = deffuant_influence(x, np.array([1, -1]), 0.5, 0.3)
    assert out.mean(axis=0) == pytest.approx(x.mean(axis=0))
    assert out[0] == pytest.approx(x[0] + 0.3 * (x[1] - x[0]))


def test_deffuant_outside_bound_nobody_moves():
    x = np.array([[0.1], [0.9]])
    out = deffuant_influence(x, np.array([1, 0]), confidence_bound=0.3, convergence_rate=0.5)
    assert np.array_equal(out, x)


def test_deffuant_distance_equal_to_bound_does_not_influence():
    # 0.25 and 0.75 are exact in binary: distance is exactly the bound, which is not "closer than"
    x = np.array([[0.25], [0.75]])
    assert np.array_equal(deffuant_influence(x, np.array([1, -1]), 0.5, 0.5), x)
    moved = deffuant_influence(x, np.array([1, -1]), 0.5000001, 0.5)
    assert moved[:, 0] == pytest.approx([0.5, 0.5])


def test_deffuant_no_partner_means_no_change():
    x = np.array([[0.2], [0.4], [0.6]])
    assert np.array_equal(deffuant_influence(x, np.array([-1, -1, -1]), 1.0, 0.5), x)


def test_deffuant_several_meetings_average_their_pulls():
    # 0 meets 1 and 2 meets 1: citizen 1 is pulled by -0.1 and +0.2, and moves mu * mean = 0.2 * 0.05
    x = np.array([[0.4], [0.5], [0.7]])
    out = deffuant_influence(x, np.array([1, -1, 1]), confidence_bound=0.3, convergence_rate=0.2)
    assert out[:, 0] == pytest.approx([0.42, 0.51, 0.66])


def test_deffuant_mutual_meeting_counts_as_the_same_pull():
    x = np.array([[0.4], [0.6]])
    out = deffuant_influence(x, np.array([1, 0]), 0.3, 0.2)
    assert out[:, 0] == pytest.approx([0.44, 0.56])


def test_deffuant_only_close_meetings_count_in_the_average():
    # 1 meets 0 (close) and 2 meets 1 (too far): only the close pull counts, undiluted
    x = np.array([[0.4], [0.5], [0.95]])
    out = deffuant_influence(x, np.array([-1, 0, 1]), confidence_bound=0.3, convergence_rate=0.5)
    assert out[:, 0] == pytest.approx([0.45, 0.45, 0.95])


def test_deffuant_keeps_beliefs_in_the_unit_cube_and_never_overshoots():
    rng = np.random.default_rng(3)
    x = rng.random((200, 3))
    partner = rng.integers(-1, 200, 200)
    out = deffuant_influence(x, partner, 1.0, 0.5)
    assert out.min() >= 0.0 and out.max() <= 1.0
    # with the largest convergence rate two partners meet in the middle, never cross
    assert out.std(axis=0).max() < x.std(axis=0).max()


def test_individual_drift_zero_scale_is_identity_and_drift_stays_in_bounds():
    rng = np.random.default_rng(1)
    x = rng.random((100, 2))
    assert individual_drift(x, 0.0, rng) is x
    y = individual_drift(x, 0.3, rng)
    assert y.shape == x.shape and not np.array_equal(x, y)
    assert y.min() >= 0.0 and y.max() <= 1.0


def test_consensus_hand_cases():
    assert consensus(np.full((5, 2), 0.3)) == pytest.approx(1.0)
    # two camps at 0 and 1: mean distance to the centre 0.5, consensus 1 - 2 * 0.5 = 0
    assert consensus(np.array([[0.0], [1.0]])) == pytest.approx(0.0)
    # camps at 0.25 and 0.75: mean distance 0.25, consensus 0.5
    assert consensus(np.array([[0.25], [0.75]])) == pytest.approx(0.5)
    assert consensus(np.empty((0, 3))) == 0.0


def major_clusters(x: np.ndarray, gap: float = 0.02, least: int = 10) -> int:
    s = np.sort(x)
    cuts = np.flatnonzero(np.diff(s) > gap) + 1
    sizes = np.diff(np.concatenate([[0], cuts, [s.size]]))
    return int(np.count_nonzero(sizes >= least))


@pytest.mark.parametrize("bound, low, high", [(0.5, 1, 1), (0.2, 2, 3), (0.1, 3, 6)])
def test_deffuant_classic_result_about_one_cluster_per_two_bounds(bound, low, high):
    """Deffuant et al. (2000): with random meetings, opinions settle into about 1 / (2 d) clusters."""
    rng = np.random.default_rng(0)
    n = 500
    x = rng.random((n, 1))
    for _ in range(400):
        partner = rng.integers(0, n, n)
        partner[partner == np.arange(n)] = -1
        x = deffuant_influence(x, partner, bound, 0.5)
    assert low <= major_clusters(x[:, 0]) <= high


def test_individual_drift_steps_have_mean_zero_and_the_given_standard_deviation():
    rng = np.random.default_rng(21)
    x = np.full((200_000, 2), 0.5)  # far from the bounds: no clipping
    step = individual_drift(x, 0.02, rng) - x
    assert abs(step.mean()) < 3 * 0.02 / np.sqrt(step.size)
    assert step.std() == pytest.approx(0.02, rel=0.01)
    assert np.abs(step).max() <= np.sqrt(3.0) * 0.02 + 1e-15  # uniform: bounded steps


def test_consensus_equals_the_formula_over_the_mean_belief():
    rng = np.random.default_rng(22)
    for k in (1, 3, 7):
        b = rng.random((999, k)) * 0.6
        centre = b.mean(axis=0)
        spread = np.sqrt(((b - centre) ** 2).sum(axis=1) / k).mean()
        assert consensus(b) == pytest.approx(np.clip(1 - 2 * spread, 0, 1), abs=1e-12)

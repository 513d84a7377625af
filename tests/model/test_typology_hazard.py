"""Durkheim's typology and the curvilinear crisis hazard."""

import numpy as np
import pytest

from anomie.model.hazard import crisis_hazard, crisis_onsets
from anomie.model.typology import STATE_NAMES, DurkheimState, classify

T = dict(integration_low=0.3, integration_high=0.8, regulation_low=0.3, regulation_high=0.8)
S = DurkheimState


def cls(i, r, **kw):
    return classify(np.atleast_1d(np.asarray(i, float)), np.atleast_1d(np.asarray(r, float)), **{**T, **kw}).tolist()


@pytest.mark.parametrize(
    "i, r, expected",
    [
        (0.5, 0.5, S.INTEGRATED),
        (0.1, 0.5, S.EGOISM),
        (0.9, 0.5, S.ALTRUISM),
        (0.5, 0.1, S.ANOMIE),
        (0.5, 0.95, S.FATALISM),
        (0.0, 0.55, S.EGOISM),
        (1.0, 0.55, S.ALTRUISM),
        (0.55, 0.0, S.ANOMIE),
        (0.55, 1.0, S.FATALISM),
    ],
)
def test_classify_each_region(i, r, expected):
    assert cls(i, r) == [expected]


@pytest.mark.parametrize("i, r", [(0.3, 0.5), (0.8, 0.5), (0.5, 0.3), (0.5, 0.8), (0.3, 0.3), (0.8, 0.8), (0.3, 0.8)])
def test_classify_exactly_at_a_threshold_is_healthy(i, r):
    assert cls(i, r) == [S.INTEGRATED]


def test_classify_just_beyond_a_threshold_is_the_pathology():
    eps = 1e-6
    assert cls([0.3 - eps, 0.8 + eps, 0.5, 0.5], [0.5, 0.5, 0.3 - eps, 0.8 + eps]) == [
        S.EGOISM, S.ALTRUISM, S.ANOMIE, S.FATALISM,
    ]


def test_classify_corner_goes_to_the_more_extreme_axis():
    # integration 0.15 is half-way to 0 from 0.3; regulation 0.2 only a third of the way
    assert cls(0.15, 0.2) == [S.EGOISM]
    # integration 0.25 is a sixth of the way, regulation 0.05 five sixths
    assert cls(0.25, 0.05) == [S.ANOMIE]
    # excess is relative to the room beyond the threshold: 0.9 is half-way to 1 above 0.8,
    # 0.15 is half-way to 0 below 0.3; 0.95 (three quarters) beats 0.15
    assert cls(0.15, 0.95) == [S.FATALISM]
    assert cls(0.95, 0.2) == [S.ALTRUISM]


def test_classify_equal_excess_is_one_of_the_two_and_deterministic():
    got = cls([0.15, 0.15], [0.15, 0.15])
    assert got[0] in (S.EGOISM, S.ANOMIE) and got[0] == got[1]


def test_classify_respects_other_thresholds():
    assert cls(0.35, 0.5, integration_low=0.4) == [S.EGOISM]
    assert cls(0.35, 0.5) == [S.INTEGRATED]


def test_state_names_cover_the_five_states():
    assert {STATE_NAMES[s] for s in S} == {"healthy", "egoism", "altruism", "anomie", "fatalism"}


H = dict(integration_mid=0.5, regulation_mid=0.5, integration_high=0.8, regulation_high=0.8, baseline=0.002,
         curvature=2.5, capacity_protection=0.5)


def hazard(i, r, capacity=0.0, **kw):
    i, r = np.broadcast_arrays(np.asarray(i, float), np.asarray(r, float))
    return crisis_hazard(i, r, capacity=np.full(i.shape, capacity), **{**H, **kw})


def test_hazard_in_the_healthy_middle_is_the_baseline():
    """From the centre up to the band's upper threshold the hazard is at its minimum."""
    assert hazard([0.5, 0.65, 0.8], [0.5, 0.7, 0.8]) == pytest.approx([0.002] * 3)


def test_hazard_hand_values_at_the_ends_of_each_axis():
    # at either end of an axis the excess is 1: baseline * exp(curvature)
    assert hazard([0.0], [0.6]) == pytest.approx([0.002 * np.exp(2.5)])
    assert hazard([1.0], [0.6]) == pytest.approx([0.002 * np.exp(2.5)])
    assert hazard([0.6], [0.0]) == pytest.approx([0.002 * np.exp(2.5)])
    assert hazard([0.6], [1.0]) == pytest.approx([0.002 * np.exp(2.5)])
    # half-way below the centre, and half-way from the threshold to the top
    assert hazard([0.25], [0.6]) == pytest.approx([0.002 * np.exp(2.5 * 0.25)])
    assert hazard([0.6], [0.9]) == pytest.approx([0.002 * np.exp(2.5 * 0.25)])
    # both axes at once add their squared excesses
    assert hazard([0.0], [0.0]) == pytest.approx([0.002 * np.exp(5.0)])


@pytest.mark.parametrize("axis", ["integration", "regulation"])
def test_hazard_is_u_shaped_along_each_axis_with_its_minimum_in_the_middle(axis):
    x = np.linspace(0.0, 1.0, 101)
    other = np.full_like(x, 0.6)
    h = hazard(x, other) if axis == "integration" else hazard(other, x)
    low, high = int(np.searchsorted(x, 0.5)), int(np.searchsorted(x, 0.8))
    assert np.all(np.diff(h[: low + 1]) < 0), "falls towards the centre"
    assert np.all(h[low : high + 1] == h.min()), "flat across the healthy middle"
    assert np.all(np.diff(h[high:]) > 0), "rises beyond the band"
    assert h[0] > 2 * h.min() and h[-1] > 2 * h.min(), "both extremes clearly worse than the middle"


@pytest.mark.parametrize("fixed", [0.1, 0.55, 0.95])
def test_hazard_u_shape_holds_at_any_level_of_the_other_axis(fixed):
    x = np.linspace(0.0, 1.0, 21)
    h = hazard(x, np.full_like(x, fixed))
    assert x[int(np.argmin(h))] == pytest.approx(0.5)
    assert h[0] > h.min() and h[-1] > h.min()


def test_hazard_capacity_protects_and_hazard_is_a_probability():
    assert hazard([0.55], [0.55], capacity=1.0) == pytest.approx([0.001])
    assert hazard([0.0], [0.0], baseline=0.5, curvature=10.0) == pytest.approx([1.0])
    assert hazard([0.2], [0.9], curvature=0.0) == pytest.approx([0.002]), "no curvature, flat hazard"


def test_crisis_onsets_certain_and_impossible_and_not_while_in_crisis():
    rng = np.random.default_rng(0)
    left = np.array([0, 0, 3, 0])
    got = crisis_onsets(np.array([1.0, 0.0, 1.0, 1.0]), left, rng.random(4))
    assert got.tolist() == [True, False, False, True]


def test_crisis_onsets_rate_matches_hazard():
    rng = np.random.default_rng(5)
    n = 50_000
    got = crisis_onsets(np.full(n, 0.02), np.zeros(n, dtype=int), rng.random(n))
    assert abs(got.mean() - 0.02) < 5 * np.sqrt(0.02 * 0.98 / n)

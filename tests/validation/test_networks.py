"""The network checks in a smaller form: Watts and Strogatz's curve at three rewiring probabilities."""

from __future__ import annotations

import numpy as np
import pytest

from anomie.experiments.validation import networks


@pytest.fixture(scope="module")
def ws():
    return networks.ws_sweep(1000, 10, [0.0, 0.01, 1.0], seeds=2)


def test_ring_lattice_is_exact(ws):
    lattice = ws[ws.p == 0.0].iloc[0]
    assert lattice.C == pytest.approx(networks.lattice_clustering(10), abs=1e-12)  # 2/3
    assert lattice.L == pytest.approx(networks.lattice_path_length(1000, 10), abs=1e-12)
    assert networks.lattice_path_length(1000, 10) == pytest.approx(1000 / (2 * 10), rel=0.02)  # about n/2k


def test_small_world_and_random_limit(ws):
    g = ws.groupby("p")[["C", "L"]].mean()
    c0, l0 = g.C[0.0], g.L[0.0]
    assert g.C[0.01] / c0 > 0.9 and g.L[0.01] / l0 < 0.3  # the small-world regime
    assert g.C[1.0] / c0 == pytest.approx(0.0, abs=0.05)
    assert g.L[1.0] == pytest.approx(np.log(1000) / np.log(10), rel=0.15)
    checks = networks.evaluate_ws(ws, 1000, 10)
    assert all(c.passed for c in checks), [(c.name, c.measured) for c in checks if not c.passed]


def test_clustering_metric_matches_networkx():
    check = networks.networkx_agrees(200, 6, 0.2)
    assert check.passed, check.measured


def test_scale_free_and_random_generators():
    checks, _ = networks.other_generators(400, 8, seeds=1)
    assert all(c.passed for c in checks), [(c.name, c.measured) for c in checks if not c.passed]


def test_powerlaw_fit_recovers_a_known_exponent():
    """The exponent estimator itself, on degrees drawn from a discrete power law with gamma = 3."""
    rng = np.random.default_rng(0)
    k_min = 10
    # continuous Pareto with exponent 3, shifted by 1/2 and rounded: the approximation of Clauset et al.
    x = (k_min - 0.5) * (1 - rng.random(200_000)) ** (-1 / 2)
    degrees = np.round(x).astype(int)
    assert networks.powerlaw_exponent(degrees, k_min) == pytest.approx(3.0, abs=0.05)

"""The cohesion dimensions: each measures what its source defines, and can move."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from anomie.model import cohesion as c


def csr(graph: nx.Graph) -> tuple[np.ndarray, np.ndarray]:
    a = sp.csr_matrix(nx.to_scipy_sparse_array(graph, nodelist=sorted(graph)))
    return a.indptr.astype(np.int64), a.indices.astype(np.int64)


def test_core_share_matches_networkx_k_core():
    g = nx.watts_strogatz_graph(200, 6, 0.2, seed=1)
    g.add_edges_from([(200, 0), (201, 1), (201, 2)])  # two newcomers with one and two ties
    for k in (2, 3, 4):
        assert c.core_share(*csr(g), k) == pytest.approx(nx.k_core(g, k).number_of_nodes() / g.number_of_nodes())


def test_local_connectivity_is_moody_and_whites_node_connectivity():
    rng = np.random.default_rng(0)
    assert c.local_connectivity_sample(*csr(nx.complete_graph(6)), rng, pairs=5) == 5.0
    assert c.local_connectivity_sample(*csr(nx.cycle_graph(10)), rng, pairs=5) == 2.0
    assert c.local_connectivity_sample(*csr(nx.path_graph(10)), rng, pairs=5) == 1.0


def test_fatalism_and_anomie_both_lower_the_regulation_dimension():
    healthy = np.full(100, 0.5)
    assert c.regulation_health(healthy, 0.3, 0.8) == 1.0
    assert c.regulation_health(np.full(100, 0.95), 0.3, 0.8) == 0.0  # all fatalistic
    assert c.regulation_health(np.full(100, 0.1), 0.3, 0.8) == 0.0  # all anomic


def test_morale_belonging_regard_participation_and_reach():
    assert c.morale(np.array([1.0, 0.5]), np.array([1.0, 1.0])) == 0.75
    assert c.morale(np.array([2.0]), np.array([1.0])) == 1.0  # more than expected is still "met"
    assert c.belonging(np.array([0.2, 0.4])) == pytest.approx(0.3)
    indptr, indices = csr(nx.path_graph(3))  # ties 0-1 and 1-2
    beliefs = np.array([[0.0], [0.1], [0.9]])
    assert c.mutual_regard(beliefs, indptr, indices, 0.2) == 0.5
    assert c.participation(indptr, 2.0) == pytest.approx((0.5 + 1.0 + 0.5) / 3)
    assert c.services_reach(np.array([True, True, False]), np.array([True, False, True])) == 0.5
    assert c.services_reach(np.zeros(3, bool), np.zeros(3, bool)) == 1.0


def test_composite_weights_and_their_robustness():
    good = dict.fromkeys(c.DIMENSIONS, 0.8)
    bad = dict.fromkeys(c.DIMENSIONS, 0.4)
    assert c.composite(good) == pytest.approx(0.8)
    rng = np.random.default_rng(1)
    assert c.weight_robustness([good], [bad], rng) == 1.0
    # better horizontally, worse vertically: the verdict depends on the weights
    mixed = {**good, "regulation": 0.0, "services_reach": 0.0}
    share = c.weight_robustness([mixed], [bad], rng)
    assert 0.05 < share < 0.95
    only_vertical = np.array([0.0, 0.0, 0.5, 0.5])
    assert c.composite(mixed, only_vertical) == 0.0


def test_cohesion_metrics_on_a_model_are_in_range_and_regulation_falls_under_an_authoritarian_turn():
    from anomie.scenarios.loading import build_model

    calm = build_model("baseline", seed=3, create_agents=False, n_citizens=200)
    turn = build_model("authoritarian_turn", seed=3, create_agents=False, n_citizens=200)
    for m in (calm, turn):
        m.run_for(110)
    a, b = c.cohesion_metrics(calm), c.cohesion_metrics(turn)
    assert set(a) == set(c.METRIC_MEANINGS)
    assert all(0.0 <= v <= 1.0 for v in (*a.values(), *b.values()))
    assert b["cohesion_regulation"] < a["cohesion_regulation"] - 0.3
    assert b["cohesion_composite"] < a["cohesion_composite"]

"""Network generators (Watts-Strogatz, Barabasi-Albert, Erdos-Renyi) and SocialNetwork."""

import networkx as nx
import numpy as np
import pytest

from anomie.model.metrics import clustering_sample, largest_component_share
from anomie.model.network import GENERATORS, SocialNetwork, barabasi_albert, erdos_renyi, watts_strogatz


def assert_simple(u, v, n):
    """Canonical edge list: u < v (so no self-ties), no duplicates, inside 0..n-1."""
    assert np.all(u < v)
    assert u.min() >= 0 and v.max() < n
    keys = u.astype(np.int64) * n + v
    assert np.unique(keys).size == keys.size


def degrees(u, v, n):
    return np.bincount(np.concatenate([u, v]), minlength=n)


@pytest.mark.parametrize("kind", sorted(GENERATORS))
@pytest.mark.parametrize("seed", [0, 1])
def test_generators_give_simple_graphs(kind, seed):
    n = 300
    u, v = GENERATORS[kind](n, 6, 0.2, np.random.default_rng(seed))
    assert_simple(u, v, n)


@pytest.mark.parametrize("k", [2, 4, 6, 8])
def test_watts_strogatz_without_rewiring_is_the_ring_lattice(k):
    n = 30
    u, v = watts_strogatz(n, k, 0.0, np.random.default_rng(0))
    assert u.size == n * k // 2
    assert np.all(degrees(u, v, n) == k)
    # every tie joins ring neighbours at most k/2 apart
    gap = np.minimum(v - u, n - (v - u))
    assert gap.max() == k // 2 and gap.min() == 1


@pytest.mark.parametrize("k", [4, 6, 8])
def test_ring_lattice_clustering_is_the_watts_strogatz_value(k):
    # Watts and Strogatz (1998): C(0) = 3(k - 2) / (4(k - 1)); 0.5 at k = 4
    n = 40
    net = SocialNetwork(n, *watts_strogatz(n, k, 0.0, np.random.default_rng(0)), np.random.default_rng(1))
    expected = 3 * (k - 2) / (4 * (k - 1))
    assert clustering_sample(net.adjacency, np.arange(n)) == pytest.approx(expected)
    assert nx.average_clustering(net.to_networkx()) == pytest.approx(expected)


def test_clustering_sample_agrees_with_networkx_on_a_random_graph():
    n = 200
    rng = np.random.default_rng(4)
    net = SocialNetwork(n, *watts_strogatz(n, 6, 0.3, rng), rng)
    sample = np.arange(0, n, 3)
    ref = nx.clustering(net.to_networkx(), nodes=sample.tolist())
    assert clustering_sample(net.adjacency, sample) == pytest.approx(np.mean([ref[i] for i in sample.tolist()]))


def test_watts_strogatz_rewiring_lowers_clustering_keeps_about_the_same_number_of_ties():
    n = 1000
    lattice = SocialNetwork(n, *watts_strogatz(n, 8, 0.0, np.random.default_rng(0)), np.random.default_rng(0))
    small = SocialNetwork(n, *watts_strogatz(n, 8, 0.1, np.random.default_rng(0)), np.random.default_rng(0))
    random = SocialNetwork(n, *watts_strogatz(n, 8, 1.0, np.random.default_rng(0)), np.random.default_rng(0))
    c = [clustering_sample(g.adjacency, np.arange(n)) for g in (lattice, small, random)]
    assert c[0] > c[1] > c[2]
    assert c[2] < 0.05, "fully rewired is nearly a random graph"
    # rewired ties that collide with existing ones collapse: a few fewer, never more
    assert 0.98 * 4000 <= small.n_ties <= 4000


@pytest.mark.parametrize("n, k", [(100, 4), (1000, 8), (501, 5)])
def test_erdos_renyi_has_exactly_n_k_over_2_ties(n, k):
    u, v = erdos_renyi(n, k, np.random.default_rng(2))
    assert u.size == int(round(n * k / 2))
    assert degrees(u, v, n).mean() == pytest.approx(2 * int(round(n * k / 2)) / n)
    assert_simple(u, v, n)


def test_erdos_renyi_caps_at_the_complete_graph():
    u, v = erdos_renyi(6, 50, np.random.default_rng(0))
    assert u.size == 15


def test_erdos_renyi_degree_spread_is_poisson_like():
    n, k = 5000, 8
    deg = degrees(*erdos_renyi(n, k, np.random.default_rng(7)), n)
    assert deg.var() == pytest.approx(k, rel=0.15)


def test_barabasi_albert_tie_count_and_heavy_tail():
    n, k = 3000, 4  # m = 2 ties per newcomer
    u, v = barabasi_albert(n, k, np.random.default_rng(11))
    assert_simple(u, v, n)
    m = 2
    most = m * (m + 1) // 2 + m * (n - m - 1)  # core plus m per newcomer; repeated picks collapse
    assert 0.98 * most <= u.size <= most
    deg = degrees(u, v, n)
    er = degrees(*erdos_renyi(n, k, np.random.default_rng(11)), n)
    # hubs: the largest degree is far above the mean and far above a random graph's
    assert deg.max() > 10 * deg.mean()
    assert deg.max() > 4 * er.max()
    # the BA tail P(K >= k) = m(m+1) / (k(k+1)): 6/110 at k = 10, against ~0 for ER
    assert (deg >= 10).mean() == pytest.approx(6 / 110, rel=0.25)
    assert (er >= 10).mean() < 0.02
    # rich get richer: the first nodes collect far more ties than the last
    assert deg[:50].mean() > 5 * deg[-1000:].mean()


def test_generators_are_reproducible_from_the_generator():
    for kind, gen in GENERATORS.items():
        a = gen(400, 6, 0.1, np.random.default_rng(9))
        b = gen(400, 6, 0.1, np.random.default_rng(9))
        c = gen(400, 6, 0.1, np.random.default_rng(10))
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]), kind
        assert not (np.array_equal(a[0], c[0]) and np.array_equal(a[1], c[1])), kind


# -- SocialNetwork -----------------------------------------------------------------------


def path_network(n=5, seed=0):
    """0-1-2-3-4, a path."""
    return SocialNetwork(n, np.arange(n - 1), np.arange(1, n), np.random.default_rng(seed))


def tie_set(net):
    return set(zip(net.u.tolist(), net.v.tolist()))


def test_add_ties_ignores_existing_self_and_repeated_pairs():
    net = path_network()
    rng = np.random.default_rng(1)
    added = net.add_ties(np.array([1, 0, 2, 4, 3]), np.array([0, 4, 2, 0, 1]), rng)
    # (1,0) exists; (2,2) is a self-tie; (0,4) and (4,0) are one new tie; (3,1) is new
    assert added == 2
    assert tie_set(net) == {(0, 1), (1, 2), (2, 3), (3, 4), (0, 4), (1, 3)}
    assert_simple(net.u, net.v, net.n)
    assert net.add_ties(np.array([], dtype=int), np.array([], dtype=int), rng) == 0


def test_added_ties_show_in_adjacency_degree_and_neighbours():
    net = path_network()
    assert net.degree.tolist() == [1, 2, 2, 2, 1]
    net.add_ties(np.array([0]), np.array([4]), np.random.default_rng(0))
    assert net.degree.tolist() == [2, 2, 2, 2, 2]
    adj = net.adjacency
    assert (adj != adj.T).nnz == 0 and adj.diagonal().sum() == 0
    assert sorted(adj.indices[adj.indptr[0] : adj.indptr[1]].tolist()) == [1, 4]


def test_remove_ties_by_mask():
    net = path_network()
    drop = np.array([False, True, False, True])  # (1,2) and (3,4)
    assert net.remove_ties(drop) == 2
    assert tie_set(net) == {(0, 1), (2, 3)}
    assert net.degree.tolist() == [1, 1, 1, 1, 0]
    assert net.remove_ties(np.zeros(2, dtype=bool)) == 0


def test_suspended_ties_are_inactive_but_not_lost():
    n = 200
    rng = np.random.default_rng(3)
    net = SocialNetwork(n, *watts_strogatz(n, 8, 0.1, rng), rng)
    total = net.n_ties
    net.set_suspended_share(1.0)
    assert net.degree.sum() == 0 and net.n_ties == total
    net.set_suspended_share(0.5)
    assert np.count_nonzero(net.active) == np.count_nonzero(net.draw >= 0.5)
    assert 0.4 * total < np.count_nonzero(net.active) < 0.6 * total
    assert net.degree.sum() == 2 * np.count_nonzero(net.active)
    net.set_suspended_share(0.0)
    assert net.degree.sum() == 2 * total


def test_suspension_status_of_old_ties_survives_adding_ties():
    n = 100
    rng = np.random.default_rng(8)
    net = SocialNetwork(n, *watts_strogatz(n, 6, 0.0, rng), rng)
    net.set_suspended_share(0.5)
    before = {t for t, a in zip(zip(net.u.tolist(), net.v.tolist()), net.active) if a}
    all_before = tie_set(net)
    net.add_ties(rng.integers(0, n, 60), rng.integers(0, n, 60), rng)
    after = {t for t, a in zip(zip(net.u.tolist(), net.v.tolist()), net.active) if a}
    assert {t for t in after if t in all_before} == before
    assert np.all(np.diff(net.u * n + net.v) > 0), "edge list stays sorted"


def test_neighbour_mean_and_empty_value_for_the_tieless():
    net = SocialNetwork(4, np.array([0, 0]), np.array([1, 2]), np.random.default_rng(0))
    x = np.array([1.0, 2.0, 4.0, 8.0])
    assert net.neighbour_mean(x, empty=-1.0).tolist() == [3.0, 1.0, 1.0, -1.0]
    assert net.neighbour_mean(x, empty=np.array([0, 0, 0, 9.0])).tolist() == [3.0, 1.0, 1.0, 9.0]
    assert net.neighbour_sum(x).tolist() == [6.0, 1.0, 1.0, 0.0]
    two = np.column_stack([x, 2 * x])
    assert net.neighbour_mean(two)[0].tolist() == [3.0, 6.0]


def test_random_neighbour_is_a_neighbour_uniformly_and_minus_one_for_the_tieless():
    net = SocialNetwork(5, np.array([0, 0, 0]), np.array([1, 2, 3]), np.random.default_rng(0))
    rng = np.random.default_rng(1)
    who = np.zeros(6000, dtype=np.int64)
    got = net.random_neighbour(who, rng)
    counts = np.bincount(got, minlength=5)
    assert counts[0] == 0 and counts[4] == 0
    assert np.all(np.abs(counts[1:4] / 6000 - 1 / 3) < 0.03)
    assert net.random_neighbour(np.array([4, 1]), rng).tolist() == [-1, 0]


def test_random_neighbour_sees_only_active_ties():
    net = path_network()
    net.set_suspended_share(1.0)
    assert net.random_neighbour(np.arange(5), np.random.default_rng(0)).tolist() == [-1] * 5


def test_add_nodes_makes_tieless_citizens():
    net = path_network()
    net.add_nodes(2)
    assert net.n == 7 and net.adjacency.shape == (7, 7)
    assert net.degree.tolist()[-2:] == [0, 0]
    net.add_ties(np.array([5]), np.array([6]), np.random.default_rng(0))
    assert net.degree.tolist()[-2:] == [1, 1]


def test_largest_component_share():
    net = SocialNetwork(6, np.array([0, 1, 3]), np.array([1, 2, 4]), np.random.default_rng(0))
    assert largest_component_share(net.adjacency) == pytest.approx(3 / 6)
    net.add_ties(np.array([2]), np.array([3]), np.random.default_rng(0))
    assert largest_component_share(net.adjacency) == pytest.approx(5 / 6)

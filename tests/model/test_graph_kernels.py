"""The compiled network metrics give exactly the numbers of scipy's components, networkx's
clustering and the readable cohesion dimensions they replace (mutual regard, the k-core)."""

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from anomie.model import cohesion
from anomie.model.graph_kernels import common_neighbour_counts, largest_component_size
from anomie.model.metrics import clustering_sample, largest_component_share
from anomie.model.network import GENERATORS, SocialNetwork, erdos_renyi


def network(n, u, v, seed=0, suspended=0.0):
    net = SocialNetwork(n, np.asarray(u), np.asarray(v), np.random.default_rng(seed))
    if suspended:
        net.set_suspended_share(suspended)  # fragments the graph: only some ties stay active
    return net


def random_networks():
    """(name, network): the three generators at a few densities, sparse graphs with many isolated
    citizens, graphs split by suspended ties, and the degenerate ones (no ties, one citizen)."""
    cases = []
    for kind in sorted(GENERATORS):
        for n, k, p, seed in [(60, 2, 0.1, 0), (300, 4, 0.3, 1), (500, 8, 0.05, 2)]:
            u, v = GENERATORS[kind](n, k, p, np.random.default_rng(seed))
            cases.append((f"{kind}-{n}-{k}", network(n, u, v, seed)))
            cases.append((f"{kind}-{n}-{k}-suspended", network(n, u, v, seed, suspended=0.7)))
    for n, k, seed in [(200, 1, 3), (400, 1, 4), (50, 2, 5)]:
        # mean degree about 1 or less: many components and isolated citizens
        cases.append((f"sparse-{n}-{k}", network(n, *erdos_renyi(n, k, np.random.default_rng(seed)), seed)))
    cases.append(("no-ties", network(25, [], [])))
    cases.append(("one-citizen", network(1, [], [])))
    cases.append(("two-citizens", network(2, [0], [1])))
    cases.append(("triangle-and-isolate", network(4, [0, 0, 1], [1, 2, 2])))
    return cases


CASES = random_networks()
IDS = [name for name, _ in CASES]


def scipy_largest_share(adj) -> float:
    """The reference: scipy's undirected components, largest count over all citizens."""
    _, labels = connected_components(adj, directed=False)
    return float(np.bincount(labels).max() / adj.shape[0])


def networkx_local_clustering(net, sample) -> np.ndarray:
    ref = nx.clustering(net.to_networkx(), nodes=sample.tolist())
    return np.array([ref[i] for i in sample.tolist()], dtype=np.float64)


def samples(n, rng):
    """Everybody, a sorted subset (as the model draws it), and a shuffled subset (the order of the mean)."""
    some = rng.choice(n, size=max(1, n // 3), replace=False)
    return [np.arange(n), np.sort(some), some]


@pytest.mark.parametrize("name,net", CASES, ids=IDS)
def test_largest_component_share_is_scipys(name, net):
    adj = net.adjacency
    assert largest_component_share(adj) == scipy_largest_share(adj)


@pytest.mark.parametrize("name,net", CASES, ids=IDS)
def test_common_neighbour_counts_are_twice_networkx_triangles(name, net):
    g = net.to_networkx()
    sample = np.arange(net.n)
    tri = nx.triangles(g)
    counts = common_neighbour_counts(net.adjacency.indptr, net.adjacency.indices, sample)
    assert counts.tolist() == [2 * tri[i] for i in range(net.n)]


@pytest.mark.parametrize("name,net", CASES, ids=IDS)
def test_clustering_sample_is_networkx_mean_bit_for_bit(name, net):
    rng = np.random.default_rng(7)
    for sample in samples(net.n, rng):
        expected = float(networkx_local_clustering(net, sample).mean())
        assert clustering_sample(net.adjacency, sample) == expected


def test_clustering_sample_of_nobody_is_zero():
    net = network(5, [0, 1], [1, 2])
    assert clustering_sample(net.adjacency, np.array([], dtype=np.int64)) == 0.0


def test_largest_component_share_of_an_empty_society_is_zero():
    assert largest_component_share(sp.csr_matrix((0, 0))) == 0.0


def test_disconnected_society_is_found_split():
    # two triangles and an isolate: the largest component is 3 of 7, not the whole
    net = network(7, [0, 0, 1, 3, 3, 4], [1, 2, 2, 4, 5, 5])
    assert largest_component_size(net.adjacency.indptr, net.adjacency.indices) == 3
    assert largest_component_share(net.adjacency) == 3 / 7


def test_the_long_chain_does_not_overflow_the_search():
    # a path of a hundred thousand citizens: one component, reached in one search
    n = 100_000
    net = network(n, np.arange(n - 1), np.arange(1, n))
    assert largest_component_share(net.adjacency) == 1.0


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_kernels_take_either_index_type(dtype):
    net = network(300, *GENERATORS["watts_strogatz"](300, 6, 0.2, np.random.default_rng(9)))
    adj = net.adjacency
    indptr, indices = adj.indptr.astype(dtype), adj.indices.astype(dtype)
    sample = np.arange(0, 300, 7)
    counts = common_neighbour_counts(indptr, indices, sample)
    assert counts.tolist() == common_neighbour_counts(adj.indptr, adj.indices, sample).tolist()
    assert largest_component_size(indptr, indices) == round(scipy_largest_share(adj) * 300)


@pytest.mark.parametrize("name,net", CASES, ids=IDS)
def test_mutual_regard_fast_is_the_readable_rule_bit_for_bit(name, net):
    indptr, indices = net.csr
    rng = np.random.default_rng(3)
    for dims in (1, 3):
        # beliefs on a coarse grid too, so that some distances sit exactly on the bound
        for beliefs in (rng.random((net.n, dims)), np.round(rng.random((net.n, dims)) * 10) / 10):
            for bound in (0.0, 0.1, 0.2, 0.35, 1.0):
                expected = cohesion.mutual_regard(beliefs, indptr, indices, bound)
                assert cohesion.mutual_regard_fast(beliefs, indptr, indices, bound) == expected


@pytest.mark.parametrize("name,net", CASES, ids=IDS)
def test_core_share_fast_is_the_readable_rule_bit_for_bit(name, net):
    indptr, indices = net.csr
    for k in range(0, 10):
        assert cohesion.core_share_fast(indptr, indices, k) == cohesion.core_share(indptr, indices, k)


def test_k_core_peels_in_cascades():
    # a 4-clique with a tail 3-4-5: for k = 2 the tail goes citizen by citizen, the clique stays
    net = network(6, [0, 0, 0, 1, 1, 2, 3, 4], [1, 2, 3, 2, 3, 3, 4, 5])
    assert cohesion.core_share_fast(*net.csr, 2) == 4 / 6
    assert cohesion.core_share_fast(*net.csr, 3) == 4 / 6
    assert cohesion.core_share_fast(*net.csr, 4) == 0.0

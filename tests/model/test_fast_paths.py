"""The fast paths the benchmarks rely on give exactly what the plain constructions give.

The network builds its CSR adjacency with a counting sort, finds ties by binary search and
edits the edge list and the adjacency in one pass a week; belief distances and neighbour
sums are compiled loops, done in threads for large networks. None of that may change a
number (beyond the rounding of sums added in another order, where said). The weekly tie
pass and the citizens' fused week are proved equal to the readable rules in tests/model
(test_tie_pass.py, test_citizen_week.py).
"""

import numpy as np
import pytest
import scipy.sparse as sp

import anomie.model.jit as jit
from anomie.model.beliefs import belief_distance, tie_distance
from anomie.model.network import SocialNetwork


def reference_adjacency(net: SocialNetwork) -> sp.csr_matrix:
    """scipy's own COO -> CSR construction of the active ties, with sorted indices."""
    a = net.active
    u, v = net.u[a], net.v[a]
    m = sp.csr_matrix((np.ones(2 * u.size), (np.concatenate([u, v]), np.concatenate([v, u]))), shape=(net.n, net.n))
    m.sort_indices()
    return m


def assert_adjacency_equals_a_rebuild(net: SocialNetwork) -> None:
    ref = reference_adjacency(net)
    assert np.array_equal(net.adjacency.indptr, ref.indptr)
    assert np.array_equal(net.adjacency.indices, ref.indices)


@pytest.mark.parametrize("kind", ["watts_strogatz", "erdos_renyi", "barabasi_albert"])
@pytest.mark.parametrize("suspended", [0.0, 0.35, 1.0])
def test_adjacency_equals_scipys_construction(kind, suspended):
    net = SocialNetwork.generate(kind, 700, 8, 0.2, np.random.default_rng(1))
    net.set_suspended_share(suspended)
    ours, ref = net.adjacency, reference_adjacency(net)
    assert np.array_equal(ours.indptr, ref.indptr)
    assert np.array_equal(ours.indices, ref.indices)
    assert np.array_equal(net.degree, np.diff(ref.indptr))


def test_ties_stay_sorted_unique_and_adjacency_follows_through_changes():
    rng = np.random.default_rng(2)
    net = SocialNetwork.generate("watts_strogatz", 500, 6, 0.1, rng)
    for week in range(30):
        a = rng.integers(0, net.n, 200)
        b = rng.integers(0, net.n, 200)
        before = set(zip(net.u.tolist(), net.v.tolist()))
        wanted = {(min(x, y), max(x, y)) for x, y in zip(a.tolist(), b.tolist()) if x != y}
        added = net.add_ties(a, b, rng)
        after = set(zip(net.u.tolist(), net.v.tolist()))
        assert after == before | wanted
        assert added == len(wanted - before)
        net.remove_ties(rng.random(net.n_ties) < 0.05)
        if week % 10 == 9:
            net.add_nodes(5)  # the order must hold with more citizens too
        keys = net.u * net.n + net.v
        assert np.all(np.diff(keys) > 0), "edge list must stay sorted without repeats"
        assert np.all(net.u < net.v)
        ref = reference_adjacency(net)
        assert np.array_equal(net.adjacency.indices, ref.indices)
        assert np.array_equal(net.adjacency.indptr, ref.indptr)


def test_a_new_tie_gets_one_draw_and_existing_ties_keep_theirs():
    rng = np.random.default_rng(3)
    net = SocialNetwork(6, np.array([0, 2]), np.array([1, 3]), rng)
    old = dict(zip(zip(net.u.tolist(), net.v.tolist()), net.draw.tolist()))
    net.add_ties(np.array([3, 4, 1]), np.array([2, 5, 0]), rng)  # (2, 3) and (0, 1) exist
    now = dict(zip(zip(net.u.tolist(), net.v.tolist()), net.draw.tolist()))
    assert set(now) == {(0, 1), (2, 3), (4, 5)}
    assert now[(0, 1)] == old[(0, 1)] and now[(2, 3)] == old[(2, 3)]


def tie_distance_and_belief_distance():
    rng = np.random.default_rng(4)
    b = rng.random((3000, 3))
    u = np.sort(rng.integers(0, 3000, 20_000))
    v = rng.integers(0, 3000, 20_000)
    return lambda: tie_distance(b, u, v), lambda: belief_distance(b[u], b[v])


def neighbour_sum_and_adjacency_product():
    rng = np.random.default_rng(6)
    net = SocialNetwork.generate("barabasi_albert", 2000, 8, 0.1, rng)
    values = rng.standard_normal(net.n)
    return lambda: net.neighbour_sum(values), lambda: net.adjacency @ values


@pytest.mark.parametrize("threads", [False, True])
@pytest.mark.parametrize("pair", [tie_distance_and_belief_distance, neighbour_sum_and_adjacency_product],
                         ids=["tie_distance", "neighbour_sum"])
def test_compiled_loop_equals_its_plain_construction_bit_for_bit(monkeypatch, pair, threads):
    """Tie distances equal belief_distance and neighbour sums the adjacency product, serial or in threads."""
    compiled, plain = pair()
    if threads:  # force the block-per-thread path on a small case
        monkeypatch.setattr(jit, "PARALLEL_MIN_ITEMS", 1)
        monkeypatch.setattr(jit, "_cores", lambda: 3)
    assert np.array_equal(compiled(), plain())


@pytest.mark.parametrize("kind", ["watts_strogatz", "barabasi_albert"])
def test_adjacency_edited_in_place_equals_a_rebuild(kind):
    """Removing and adding ties edits the cached CSR instead of rebuilding it: the same matrix."""
    rng = np.random.default_rng(5)
    net = SocialNetwork.generate(kind, 800, 6, 0.1, rng)
    for week in range(40):
        net.adjacency  # cached, so the next change edits it
        net.remove_ties(rng.random(net.n_ties) < 0.03)
        assert_adjacency_equals_a_rebuild(net)
        hub = np.full(30, int(np.argmax(net.degree)))  # several new ties in one row
        net.add_ties(np.concatenate([rng.integers(0, net.n, 100), hub]), rng.integers(0, net.n, 130), rng)
        assert_adjacency_equals_a_rebuild(net)
        assert np.array_equal(net.degree, np.diff(reference_adjacency(net).indptr))
        if week % 10 == 4:
            net.set_suspended_share(0.2 if week < 20 else 0.0)  # suspended ties: rebuilt, not edited
        if week % 10 == 9:
            net.add_nodes(3)


def test_adjacency_edits_at_the_first_and_last_citizens_equal_a_rebuild():
    """The edit copies the unchanged rows between changed ones as runs: the runs before the
    first changed row and after the last must come out whole too."""
    rng = np.random.default_rng(6)
    net = SocialNetwork.generate("watts_strogatz", 50, 4, 0.0, rng)
    n = net.n
    for a, b in [([0], [n - 1]), ([0, 1], [2, 3]), ([n - 2], [n - 1]), ([n // 2], [n // 2 + 7])]:
        net.adjacency  # cached, so the changes below edit it
        net.add_ties(np.array(a), np.array(b), rng)
        assert_adjacency_equals_a_rebuild(net)
        net.adjacency
        net.remove_ties((net.u == a[0]) | (net.v == n - 1))  # the first and the last rows lose ties
        assert_adjacency_equals_a_rebuild(net)


@pytest.mark.parametrize("kind", ["watts_strogatz", "barabasi_albert"])
def test_one_edit_that_removes_and_adds_equals_the_plain_result(kind):
    """edit_ties removes and adds in one pass over the edge list and one over the adjacency."""
    rng = np.random.default_rng(8)
    net = SocialNetwork.generate(kind, 600, 6, 0.1, rng)
    for week in range(25):
        net.adjacency  # cached, so the edit below edits it
        before = dict(zip(zip(net.u.tolist(), net.v.tolist()), net.draw.tolist()))
        drop = rng.random(net.n_ties) < 0.04
        dropped = set(zip(net.u[drop].tolist(), net.v[drop].tolist()))
        a = np.concatenate([rng.integers(0, net.n, 80), np.full(10, int(np.argmax(net.degree)))])
        b = rng.integers(0, net.n, 90)
        # some pairs that exist and are dropped in the same edit: they are not made again
        a[:3], b[:3] = net.u[np.flatnonzero(drop)[:3]], net.v[np.flatnonzero(drop)[:3]]
        wanted = {(min(x, y), max(x, y)) for x, y in zip(a.tolist(), b.tolist()) if x != y}
        new_u, new_v, new_draw = net.edit_ties(drop, a, b, rng)
        after = dict(zip(zip(net.u.tolist(), net.v.tolist()), net.draw.tolist()))
        made = wanted - set(before)
        assert set(after) == (set(before) - dropped) | made
        assert set(zip(new_u.tolist(), new_v.tolist())) == made
        assert all(after[t] == before[t] for t in set(before) - dropped), "lasting ties keep their draws"
        assert all(after[t] == d for t, d in zip(zip(new_u.tolist(), new_v.tolist()), new_draw.tolist()))
        keys = net.u * net.n + net.v
        assert np.all(np.diff(keys) > 0)
        assert_adjacency_equals_a_rebuild(net)


def test_belief_kernels_give_the_same_numbers_in_threads(monkeypatch):
    """Bounded confidence and drift run in blocks of citizens when large: the numbers do not change."""
    from anomie.model.beliefs import deffuant_influence, individual_drift

    rng = np.random.default_rng(12)
    n = 5000
    beliefs = rng.random((n, 3))
    partner = np.where(rng.random(n) < 0.9, rng.integers(0, n, n), -1)

    def run():
        return deffuant_influence(beliefs, partner, 0.3, 0.4), individual_drift(beliefs, 0.05, np.random.default_rng(13))

    serial = run()
    monkeypatch.setattr(jit, "PARALLEL_MIN_ITEMS", 1)
    monkeypatch.setattr(jit, "_cores", lambda: 3)
    threaded = run()
    assert not np.array_equal(serial[0], beliefs)  # meetings moved someone
    assert np.array_equal(serial[0], threaded[0]) and np.array_equal(serial[1], threaded[1])


def deffuant_by_hand(beliefs, partner, bound, mu):
    """Bounded confidence written out with numpy: each close meeting pulls both ends; each
    citizen moves by the mean of its pulls (the rule `deffuant_influence` states)."""
    n = beliefs.shape[0]
    i = np.flatnonzero(partner >= 0)
    j = partner[i]
    d = np.sqrt(((beliefs[i] - beliefs[j]) ** 2).mean(axis=1))
    close = d < bound
    i, j = i[close], j[close]
    total = np.zeros_like(beliefs)
    meetings = np.zeros(n)
    total[i] -= beliefs[i] - beliefs[j]  # an initiator meets once
    meetings[i] += 1.0
    np.add.at(total, j, beliefs[i] - beliefs[j])
    np.add.at(meetings, j, 1.0)
    return total * mu / np.maximum(meetings, 1.0)[:, None] + beliefs


@pytest.mark.parametrize("threads", [False, True])
def test_the_compiled_deffuant_passes_equal_the_rule_written_with_numpy(monkeypatch, threads):
    from anomie.model.beliefs import deffuant_influence

    if threads:
        monkeypatch.setattr(jit, "PARALLEL_MIN_ITEMS", 1)
    rng = np.random.default_rng(12)
    n = 3000
    beliefs = rng.random((n, 3))
    partner = rng.integers(-1, n, n)
    got = deffuant_influence(beliefs, partner, 0.3, 0.4)
    expected = deffuant_by_hand(beliefs, partner, 0.3, 0.4)
    assert not np.array_equal(got, beliefs)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-15)


def test_the_compiled_drift_equals_a_clipped_uniform_step():
    from anomie.model.beliefs import UNIFORM_HALF_WIDTH, individual_drift

    beliefs = np.random.default_rng(3).random((2000, 3))
    got = individual_drift(beliefs, 0.05, np.random.default_rng(4))
    step = np.random.default_rng(4).random(beliefs.shape)
    assert np.array_equal(got, np.clip(beliefs + 0.05 * UNIFORM_HALF_WIDTH * (2.0 * step - 1.0), 0.0, 1.0))


def test_the_metric_kernels_equal_numpy():
    from anomie.model.metrics import _histogram01, _position_sums
    from anomie.model.sectors import N_SECTORS

    rng = np.random.default_rng(5)
    values = np.concatenate([rng.random(5000), [0.0, 1.0]])
    assert np.array_equal(_histogram01(values, 100), np.histogram(values, bins=100, range=(0.0, 1.0))[0])
    sector, employed, regulation = rng.integers(0, N_SECTORS, 4000), rng.random(4000) < 0.9, rng.random(4000)
    position = np.where(employed, sector, N_SECTORS)
    size, total = _position_sums(sector, employed, regulation)
    assert np.array_equal(size, np.bincount(position, minlength=N_SECTORS + 1).astype(float))
    np.testing.assert_allclose(total, np.bincount(position, regulation, minlength=N_SECTORS + 1), rtol=1e-13)


@pytest.mark.parametrize("organic_share", [0.0, 0.6])
@pytest.mark.parametrize("kind", ["watts_strogatz", "barabasi_albert"])
def test_the_meetings_made_ahead_equal_the_readable_meetings(kind, organic_share):
    """`meetings_ahead` (draws first, then one compiled call) gives the beliefs
    `meetings_of_beliefs` gives and leaves the stream where it leaves it; tieless citizens
    (suspended ties) take no draw in either."""
    from types import SimpleNamespace

    from anomie.model.model import meetings_ahead, meetings_of_beliefs
    from anomie.model.parameters import Parameters

    p = Parameters()
    c = SimpleNamespace(organic_share=organic_share)
    net = SocialNetwork.generate(kind, 900, 6, 0.1, np.random.default_rng(2))
    net.set_suspended_share(0.5)  # some citizens have no active tie
    indptr, indices = net.csr
    assert (np.diff(indptr) == 0).any()
    beliefs = np.random.default_rng(3).random((900, 3))
    readable_rng, fast_rng = np.random.default_rng(9), np.random.default_rng(9)
    expected = meetings_of_beliefs(beliefs, indptr, indices, p, c, readable_rng)
    got = meetings_ahead(beliefs, indptr, indices, p, c, fast_rng)()
    assert not np.array_equal(expected, beliefs)
    assert np.array_equal(got, expected)
    assert fast_rng.random() == readable_rng.random()  # the same number of draws taken


@pytest.mark.parametrize("preset", ["migration", "isolation"])
def test_a_run_with_meetings_worked_out_ahead_equals_one_without(monkeypatch, preset):
    """Above `BACKGROUND_MIN_CITIZENS` the week's meetings are worked out during the workers'
    week; where a worker makes a tie (these presets' group and environment work do) they are
    drawn again on the new ties. Either way the run is the run without it, bit for bit."""
    import anomie.model.model as mm
    from anomie.scenarios.loading import build_model

    def run(threshold):
        monkeypatch.setattr(mm, "BACKGROUND_MIN_CITIZENS", threshold)
        m = build_model(preset, seed=4, n_citizens=800)
        redrawn = []
        original = mm.meetings_of_beliefs
        monkeypatch.setattr(mm, "meetings_of_beliefs", lambda *a: redrawn.append(1) or original(*a))
        m.run_for(120)
        monkeypatch.setattr(mm, "meetings_of_beliefs", original)
        return m, len(redrawn)

    (plain, _), (ahead, redrawn) = run(10**9), run(1)
    assert 0 < redrawn < 120  # some weeks used the work done ahead, some drew again
    for name, values in plain.citizens.arrays().items():
        assert np.array_equal(values, ahead.citizens.arrays()[name], equal_nan=True), name
    assert plain.dataframe().equals(ahead.dataframe())

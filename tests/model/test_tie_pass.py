"""The weekly tie pass (model.ties.tie_week) equals the readable mechanisms computed one by
one: breaking as `dissimilar_ties_break` decides, likeness and exchange as
`mechanical_likeness` and `organic_interdependence` compute them."""

import numpy as np
import pytest

import anomie.model.jit as jit
import anomie.model.ties as ties
from anomie.model.beliefs import tie_distance
from anomie.model.network import SocialNetwork
from anomie.model.sectors import position_dependency, positions
from anomie.scenarios.loading import build_model


@pytest.mark.parametrize("suspended", [0.0, 0.3])
def test_the_weekly_tie_pass_equals_the_mechanisms_computed_one_by_one(suspended):
    """tie_week: breaking as dissimilar_ties_break decides it, and the likeness and exchange
    sums of the lasting ties as mechanical_likeness and organic_interdependence compute them."""
    from anomie.model.solidarity import mean_over_ties, mechanical_likeness, organic_interdependence
    from anomie.model.ties import dissimilar_ties_break, tie_week

    rng = np.random.default_rng(9)
    n = 1500
    net = SocialNetwork.generate("erdos_renyi", n, 8, 0.0, rng)
    net.set_suspended_share(suspended)
    beliefs = rng.random((n, 3))
    sector, role, free = rng.integers(0, 4, n), rng.integers(0, 6, n), rng.random(n) < 0.8
    position = positions(sector, role, 6)
    table = position_dependency(6)
    place = np.where(free, position, -1)
    cut = rng.random(net.n_ties) < 0.05
    draw = np.random.default_rng(10).random(net.n_ties)
    active = np.empty(0, bool) if net.all_active else net.active
    broken, like_sum, exch_sum, conflict = tie_week(beliefs, place, net.u, net.v, active, cut, draw, 0.3, 0.5, table)
    assert conflict.size == 0  # no conflict draws: no conflict
    # the same in threads
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(jit, "PARALLEL_MIN_ITEMS", 1)
        mp.setattr(ties, "TIE_PASS_PARALLEL_MIN_TIES", 1)  # the tie pass has its own threshold
        threaded = tie_week(beliefs, place, net.u, net.v, active, cut, draw, 0.3, 0.5, table)
    assert all(np.array_equal(x, y) for x, y in zip((broken, like_sum, exch_sum), threaded[:3]))

    dist = tie_distance(beliefs, net.u, net.v)
    expected_broken = dissimilar_ties_break(dist, draw, 0.3, 0.5) & net.active
    assert broken.any() and np.array_equal(broken, expected_broken)
    last = net.active & ~broken & ~cut
    u, v = net.u[last], net.v[last]
    deg = (np.bincount(u, minlength=n) + np.bincount(v, minlength=n)).astype(float)
    # summed in parts: equal up to rounding
    np.testing.assert_allclose(mean_over_ties(like_sum, deg), mechanical_likeness(dist[last], u, v, n, deg), rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        mean_over_ties(exch_sum, deg) * free, organic_interdependence(position, free, u, v, n, deg, table), rtol=0, atol=1e-12
    )


@pytest.mark.parametrize("suspended", [0.0, 0.3])
def test_the_tie_pass_breaks_ties_in_conflict_as_the_readable_rule_decides(suspended):
    """With conflict draws, tie_week breaks a tie as `dissimilar_ties_break` decides, and
    otherwise as `forced_conflict_breaks` decides; it flags those in conflict, and the lasting
    ties' sums are still the mechanisms' (the forced and the out of work exchange nothing)."""
    from anomie.model.solidarity import mean_over_ties, mechanical_likeness, organic_interdependence
    from anomie.model.ties import dissimilar_ties_break, forced_conflict_breaks, tie_places, tie_week

    rng = np.random.default_rng(19)
    n = 1500
    net = SocialNetwork.generate("watts_strogatz", n, 8, 0.1, rng)
    net.set_suspended_share(suspended)
    beliefs = rng.random((n, 3))
    sector, role = rng.integers(0, 4, n), rng.integers(0, 6, n)
    employed, forced = rng.random(n) < 0.9, rng.random(n) < 0.3
    position = positions(sector, role, 6)
    table = position_dependency(6)
    place = tie_places(position, employed, forced)
    cut = rng.random(net.n_ties) < 0.05
    draw, conflict_draw = np.random.default_rng(20).random((2, net.n_ties))
    active = np.empty(0, bool) if net.all_active else net.active
    broken, like_sum, exch_sum, conflict = tie_week(beliefs, place, net.u, net.v, active, cut, draw, 0.3, 0.2, table,
                                                    conflict_draw, 0.4)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(jit, "PARALLEL_MIN_ITEMS", 1)
        mp.setattr(ties, "TIE_PASS_PARALLEL_MIN_TIES", 1)  # the tie pass has its own threshold
        threaded = tie_week(beliefs, place, net.u, net.v, active, cut, draw, 0.3, 0.2, table, conflict_draw, 0.4)
    assert all(np.array_equal(x, y) for x, y in zip((broken, like_sum, exch_sum, conflict), threaded))

    dist = tie_distance(beliefs, net.u, net.v)
    dissimilar = dissimilar_ties_break(dist, draw, 0.3, 0.2) & net.active
    expected_conflict = forced_conflict_breaks(place[net.u], place[net.v], conflict_draw, 0.4) & net.active & ~dissimilar
    assert expected_conflict.any() and np.array_equal(conflict, expected_conflict)
    assert np.array_equal(broken, dissimilar | expected_conflict)
    last = net.active & ~broken & ~cut
    u, v = net.u[last], net.v[last]
    deg = (np.bincount(u, minlength=n) + np.bincount(v, minlength=n)).astype(float)
    free = employed & ~forced
    np.testing.assert_allclose(mean_over_ties(like_sum, deg), mechanical_likeness(dist[last], u, v, n, deg), rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        mean_over_ties(exch_sum, deg) * free, organic_interdependence(position, free, u, v, n, deg, table), rtol=0, atol=1e-12
    )


@pytest.mark.parametrize("scenario", ["industrialisation", "isolation", "migration"])
def test_solidarity_from_the_weekly_pass_equals_a_fresh_computation(scenario):
    """After each week, likeness and interdependence (summed in the tie pass, with the new
    ties added after) equal a computation from scratch over the active ties."""
    from anomie.model.solidarity import mechanical_likeness, organic_interdependence

    m = build_model(scenario, seed=4, n_citizens=800)
    for week in range(80):
        m.step()
        if week % 8:
            continue
        cs, net = m.citizens, m.network
        u, v = net.active_edges
        like = mechanical_likeness(tie_distance(cs.beliefs, u, v), u, v, cs.n, net.degree)
        position = positions(cs.sector, cs.role, m.params.n_roles)
        inter = organic_interdependence(position, cs.employed & ~cs.forced, u, v, cs.n, net.degree, m.dependency)
        # the sums are added in another order: equal up to rounding
        np.testing.assert_allclose(cs.likeness, like, rtol=0, atol=1e-12)
        np.testing.assert_allclose(cs.interdependence, inter, rtol=0, atol=1e-12)


def test_the_tie_pass_runs_its_two_parts_in_threads_from_its_own_threshold(monkeypatch):
    """The two parts go to the pool's threads from TIE_PASS_PARALLEL_MIN_TIES ties on, and
    stay in the calling thread below it."""
    import threading

    from anomie.model.ties import tie_week

    seen = []
    original = ties._tie_pass

    def recording(*args):
        seen.append(threading.current_thread().name)
        return original(*args)

    monkeypatch.setattr(ties, "_tie_pass", recording)
    rng = np.random.default_rng(3)
    net = SocialNetwork.generate("watts_strogatz", 400, 6, 0.1, rng)
    beliefs, place = rng.random((400, 3)), np.full(400, -1)
    draw = rng.random(net.n_ties)

    def run(threshold):
        seen.clear()
        monkeypatch.setattr(ties, "TIE_PASS_PARALLEL_MIN_TIES", threshold)
        tie_week(beliefs, place, net.u, net.v, np.empty(0, bool), np.empty(0, bool), draw, 0.3, 0.5,
                 position_dependency(6))
        return list(seen)

    assert run(10**9) == [threading.current_thread().name] * 2
    assert all(name.startswith("anomie-kernels") for name in run(1))

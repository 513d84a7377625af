"""Tie dynamics: homophilous breaking, triadic closure, structural rewiring, newcomers' ties."""

import numpy as np
import pytest

from anomie.model.network import SocialNetwork, watts_strogatz
from anomie.model.ties import dissimilar_ties_break, newcomer_ties, triadic_closure, uprooting


def test_dissimilar_ties_break_only_across_the_gap():
    rng = np.random.default_rng(0)
    d = np.array([0.1, 0.45, 0.46, 0.9])
    assert dissimilar_ties_break(d, rng.random(d.size), 0.45, 1.0).tolist() == [False, False, True, True]
    assert not dissimilar_ties_break(d, rng.random(d.size), 0.45, 0.0).any()


def test_dissimilar_ties_break_at_the_weekly_rate():
    rng = np.random.default_rng(1)
    d = np.full(40_000, 0.9)
    assert dissimilar_ties_break(d, rng.random(d.size), 0.45, 0.05).mean() == pytest.approx(0.05, abs=0.006)


def test_triadic_closure_pairs_friends_of_friends():
    n = 60
    rng = np.random.default_rng(2)
    net = SocialNetwork(n, *watts_strogatz(n, 4, 0.3, rng), rng)
    a, b = triadic_closure(net, target_degree=100, rate=1.0, rng=rng)
    assert a.size > 0 and np.all(a != b)
    adj = net.adjacency
    two_steps = (adj @ adj).toarray()
    assert np.all(two_steps[a, b] > 0), "every proposed tie closes a triangle"


def test_triadic_closure_only_for_people_below_the_usual_degree_with_a_tie():
    # star: 0 tied to 1..4; 5 isolated
    net = SocialNetwork(6, np.zeros(4, dtype=int), np.arange(1, 5), np.random.default_rng(0))
    a, b = triadic_closure(net, target_degree=3, rate=1.0, rng=np.random.default_rng(1))
    assert set(a.tolist()) <= {1, 2, 3, 4}, "the hub has enough ties; the isolated have nobody to meet"
    assert np.all((b >= 1) & (b <= 4)) and np.all(a != b)
    a0, _ = triadic_closure(net, target_degree=3, rate=0.0, rng=np.random.default_rng(1))
    assert a0.size == 0


def test_uprooting_cuts_only_movers_ties_and_reties_the_mover():
    n = 400
    rng = np.random.default_rng(3)
    net = SocialNetwork(n, *watts_strogatz(n, 8, 0.0, rng), rng)
    movers = np.array([5, 100, 250])
    cut, keep, new, uprooted = uprooting(net, movers, 0.0, rng)
    assert not cut.any() and keep.size == 0 and new.size == 0 and not uprooted.any()
    cut, keep, new, uprooted = uprooting(net, movers, 1.0, rng)
    touches = np.isin(net.u, movers) | np.isin(net.v, movers)
    assert np.array_equal(cut, touches), "all of the movers' ties and no other"
    assert uprooted[movers] == pytest.approx(1.0) and uprooted.sum() == pytest.approx(3.0)
    assert np.isin(keep, movers).all() and keep.size == cut.sum()
    assert new.min() >= 0 and new.max() < n
    cut, keep, new, uprooted = uprooting(net, np.arange(0, n, 2), 0.5, rng)
    share = uprooted[::2]
    assert share.mean() == pytest.approx(0.5, abs=0.05)
    assert not uprooted[1::2].any(), "those left behind are not uprooted"


def test_newcomer_ties_link_each_newcomer_to_hosts():
    a, b = newcomer_ties(first_new=10, n_new=3, ties_each=2, n_hosts=10, rng=np.random.default_rng(0))
    assert a.tolist() == [10, 10, 11, 11, 12, 12]
    assert b.min() >= 0 and b.max() < 10
    a, b = newcomer_ties(10, 3, 0, 10, np.random.default_rng(0))
    assert a.size == 0 and b.size == 0

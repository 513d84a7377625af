"""The Deffuant check in a smaller form: fewer people, fewer seeds, three confidence bounds."""

from __future__ import annotations

import numpy as np
import pytest

from anomie.experiments.validation import deffuant
from anomie.model.beliefs import deffuant_influence


def test_pair_partners_is_a_random_perfect_matching():
    rng = np.random.default_rng(1)
    partner = deffuant.pair_partners(101, rng)
    firsts = np.flatnonzero(partner >= 0)
    seconds = partner[firsts]
    assert firsts.size == 50  # one person of 101 sits out
    everyone = np.concatenate([firsts, seconds])
    assert np.unique(everyone).size == everyone.size, "someone is in two meetings"


def test_pairwise_meetings_conserve_the_mean_opinion_and_move_to_the_midpoint():
    """The original model's update: both move mu of the way to each other, so the sum is conserved."""
    rng = np.random.default_rng(2)
    x = rng.random((1000, 1))
    y = deffuant_influence(x, deffuant.pair_partners(1000, rng), confidence_bound=1.0, convergence_rate=0.5)
    assert y.sum() == pytest.approx(x.sum(), rel=1e-12)
    # with d = 1 and mu = 0.5 every pair meets and both end at their midpoint: each value appears twice
    values, counts = np.unique(np.round(y[:, 0], 12), return_counts=True)
    assert (counts == 2).all()


@pytest.fixture(scope="module")
def small_sweep():
    return deffuant.sweep([0.1, 0.2, 0.4], seeds=2, n=400)


def test_cluster_counts_follow_one_over_two_d(small_sweep):
    pairs = small_sweep[small_sweep.scheme == "pairs"].groupby("d")["n_major"].mean()
    assert pairs[0.4] == 1  # consensus
    assert pairs[0.2] == 2  # polarisation
    assert 3 <= pairs[0.1] <= 5  # fragmentation, about 1/(2d) = 5


def test_consensus_sits_at_the_centre(small_sweep):
    runs = small_sweep[(small_sweep.scheme == "pairs") & (small_sweep.d == 0.4)]
    for r in runs.itertuples():
        assert r.n_major == 1 and abs(r.positions[0] - 0.5) < 0.05 and r.shares[0] > 0.95


def test_every_check_of_the_small_sweep_passes(small_sweep):
    checks = deffuant.evaluate(small_sweep)
    assert len(checks) == 5
    failed = [(c.name, c.measured) for c in checks if not c.passed]
    assert not failed


def test_the_checks_can_fail():
    """A sweep whose clusters do not follow 1/(2d) fails the count check (the check is not a rubber stamp)."""
    import pandas as pd

    fake = pd.DataFrame([
        {"scheme": "pairs", "d": d, "seed": 0, "weeks": 1, "n_major": 1, "n_all": 1, "positions": [0.5], "shares": [1.0]}
        for d in (0.05, 0.1, 0.2, 0.4)
    ])
    by_name = {c.name: c for c in deffuant.evaluate(fake)}
    assert not by_name["Deffuant: number of opinion clusters"].passed
    assert not by_name["Deffuant: no consensus for d <= 0.2"].passed

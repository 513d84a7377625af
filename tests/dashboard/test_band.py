"""The comparison's band over seeds: the same difference on other seeds, at a small population."""

from __future__ import annotations

import numpy as np
import pytest

from anomie.dashboard.band import band_of, difference_runs, other_seeds, start_band
from anomie.dashboard.session import NO_SOCIAL_WORK, RunSettings, counterpart_scenario
from anomie.scenarios.run import simulate


def test_other_seeds_are_fixed_for_a_seed_and_differ_from_it():
    assert other_seeds(7) == other_seeds(7)
    assert 7 not in other_seeds(7) and len(set(other_seeds(7))) == len(other_seeds(7))
    assert other_seeds(7) != other_seeds(8)


def test_differences_are_each_seeds_pair_of_runs():
    settings = RunSettings(preset="crash", compare_with=NO_SOCIAL_WORK)
    spec, other = settings.scenario(), counterpart_scenario(settings)
    d = difference_runs(spec, other, [3, 4], weeks=12, citizens=80)
    assert d.shape == (2, 13)
    a, _ = simulate(spec, seed=4, steps=12, overrides={"n_citizens": 80})
    b, _ = simulate(other, seed=4, steps=12, overrides={"n_citizens": 80})
    assert np.array_equal(d[1], a["cohesion"].to_numpy() - b["cohesion"].to_numpy())


def test_band_is_the_10th_to_90th_percentile():
    d = np.arange(10, dtype=float)[:, None] * np.ones((1, 3))
    lo, hi = band_of(d)
    assert np.allclose(lo, 0.9) and np.allclose(hi, 8.1)


@pytest.mark.slow
def test_the_band_runs_in_a_worker_process():
    settings = RunSettings(preset="baseline", compare_with=NO_SOCIAL_WORK)
    future = start_band(settings.scenario(), counterpart_scenario(settings), seed=1, weeks=3)
    assert future.result(timeout=300).shape[1] == 4

"""The forced division of labour breeds conflict (Durkheim, The Division of Labour, 1893,
Book III ch. 2): ties between workers in imposed places and workers in chosen places break
(`ties.forced_conflict_breaks`, weekly probability `forced_conflict`)."""

import numpy as np
import pytest

from anomie.model.sectors import positions
from anomie.model.ties import FORCED, OUT_OF_WORK, forced_conflict_breaks, tie_places
from anomie.scenarios.loading import build_model


def test_only_ties_across_the_divide_between_imposed_and_chosen_places_break():
    chosen_a, chosen_b = 3, 7
    pairs = [(FORCED, chosen_a), (chosen_b, FORCED), (FORCED, FORCED), (FORCED, OUT_OF_WORK),
             (OUT_OF_WORK, chosen_a), (chosen_a, chosen_b)]
    a, b = np.array(pairs, dtype=float).T
    low, high = np.full(a.size, 0.09), np.full(a.size, 0.11)
    assert forced_conflict_breaks(a, b, low, 0.1).tolist() == [True, True, False, False, False, False]
    assert not forced_conflict_breaks(a, b, high, 0.1).any()  # the draw decides: rate is a probability
    assert not forced_conflict_breaks(a, b, np.zeros(a.size), 0.0).any()  # rate 0: no conflict


def test_tie_places_mark_the_forced_and_the_out_of_work():
    position = np.array([4, 5, 6, 7])
    employed = np.array([True, True, False, False])
    forced = np.array([False, True, True, False])
    assert tie_places(position, employed, forced).tolist() == [4, FORCED, OUT_OF_WORK, OUT_OF_WORK]


def _run(seed, weeks=100, **overrides):
    m = build_model("baseline", seed=seed, n_citizens=400, **overrides)
    m.run_for(weeks)
    return m


def _ties_across(m):
    """Active ties between a worker in an imposed place and one in a chosen place."""
    cs = m.citizens
    place = tie_places(positions(cs.sector, cs.role, m.params.n_roles), cs.employed, cs.forced)
    u, v = m.network.active_edges
    return int(np.count_nonzero(forced_conflict_breaks(place[u], place[v], np.zeros(u.size), 1.0)))


@pytest.mark.parametrize("seed", [1, 2])
def test_a_forced_society_in_conflict_loses_ties_across_positions_and_integration(seed):
    """Same seed, half the places imposed, with and without conflict: with it, ties across the
    divide are fewer at the end, ties in all are fewer, and mean integration is lower; and it
    is lower than in the same society with no forcing at all."""
    calm = _run(seed, forced_division=0.5, forced_conflict=0.0)
    war = _run(seed, forced_division=0.5, forced_conflict=0.02)
    free = _run(seed)
    broken = war.dataframe()["conflict_ties_broken"]
    assert broken.sum() > 0 and calm.dataframe()["conflict_ties_broken"].sum() == 0
    assert _ties_across(war) < 0.8 * _ties_across(calm)
    assert war.network.n_active < calm.network.n_active
    integ = {name: m.dataframe()["mean_integration"].iloc[-20:].mean() for name, m in
             (("war", war), ("calm", calm), ("free", free))}
    assert integ["war"] < integ["calm"] - 0.01
    assert integ["war"] < integ["free"] - 0.01


def test_without_forcing_there_is_no_conflict_and_the_ties_stream_is_untouched():
    """forced_division 0: nobody holds an imposed place, no tie breaks in conflict, and the run
    is bit for bit the run without the mechanism (forced_conflict 0)."""
    a = _run(3, weeks=40)
    b = _run(3, weeks=40, forced_conflict=0.0)
    assert a.params.forced_division == 0 and a.params.forced_conflict > 0
    assert (a.dataframe()["conflict_ties_broken"] == 0).all()
    assert np.array_equal(a.network.u, b.network.u) and np.array_equal(a.network.v, b.network.v)
    assert np.array_equal(a.citizens.regulation, b.citizens.regulation)
    assert np.array_equal(a.citizens.integration, b.citizens.integration)

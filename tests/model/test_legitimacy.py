"""A forced division of labour takes the legitimacy of society's common norms from everyone
(Durkheim, The Division of Labour, 1893, Book III ch. 2): `regulation.norm_legitimacy`
scales the society term of every citizen's supplied norms (`regulation.supplied_norms`)."""

import numpy as np
import pytest

from anomie.model.regulation import norm_legitimacy, supplied_norms
from anomie.scenarios.loading import build_model


def test_legitimacy_is_one_less_the_loss_times_the_share_of_held_places_imposed():
    employed = np.array([True, True, True, True, False, False])
    forced = np.array([True, False, False, False, True, True])  # the unemployed hold no place
    assert norm_legitimacy(forced, employed, 0.5) == pytest.approx(1 - 0.5 * 0.25)
    assert norm_legitimacy(np.zeros(6, dtype=bool), employed, 0.5) == 1.0
    assert norm_legitimacy(forced, np.zeros(6, dtype=bool), 0.5) == 1.0, "no places held, none imposed"
    assert norm_legitimacy(forced, employed, 0.0) == 1.0, "no loss: forcing leaves the norms their hold"


def test_more_forcing_lowers_legitimacy():
    rng = np.random.default_rng(3)
    employed = rng.random(1000) < 0.9
    values = [norm_legitimacy(rng.random(1000) < share, employed, 0.5) for share in (0.0, 0.2, 0.5, 0.9)]
    assert values[0] == 1.0
    assert all(a > b for a, b in zip(values, values[1:]))


def test_lost_legitimacy_scales_only_the_society_term_of_the_supply():
    # local ties 0.8 (weight 0.4), society 0.75 * 0.6 + 0.25 * 0.4 = 0.55, no group, no offset
    full = supplied_norms(0.8, 0.6, 0.25, 0.4, 0.0, 0.4, 0.0, 0.0, 0.5, 1.0)
    half = supplied_norms(0.8, 0.6, 0.25, 0.4, 0.0, 0.4, 0.0, 0.0, 0.5, 0.5)
    assert full == pytest.approx(0.4 * 0.8 + 0.6 * 0.55)
    assert half == pytest.approx(0.4 * 0.8 + 0.6 * 0.5 * 0.55)


def test_the_forced_worker_feels_the_loss_only_where_force_does_not_replace_it():
    """Force comes after legitimacy: a forced worker's supply falls by (1 - forced_constraint)
    of a free worker's fall (by construction, docs/ODD.md 7.4)."""
    args = (0.8, 0.6, 0.25, 0.4, 0.0, 0.4, 0.0)
    free_fall = supplied_norms(*args, 0.0, 0.5, 1.0) - supplied_norms(*args, 0.0, 0.5, 0.6)
    forced_fall = supplied_norms(*args, 1.0, 0.5, 1.0) - supplied_norms(*args, 1.0, 0.5, 0.6)
    assert free_fall > 0
    assert forced_fall == pytest.approx((1 - 0.5) * free_fall)


def _run(seed, weeks, **overrides):
    m = build_model("baseline", seed=seed, n_citizens=300, **overrides)
    m.run_for(weeks)
    return m


def test_zero_forcing_gives_legitimacy_one_and_the_same_run_whatever_the_loss():
    a = _run(4, 30)
    b = _run(4, 30, legitimacy_loss=1.0)
    assert (a.dataframe()["legitimacy"] == 1.0).all()
    assert a.dataframe().equals(b.dataframe())
    assert np.array_equal(a.citizens.regulation, b.citizens.regulation)


def test_the_metric_is_the_weeks_legitimacy_and_falls_with_forcing():
    m = _run(4, 20, forced_division=0.4)
    df = m.dataframe()
    cs = m.citizens
    assert df["legitimacy"].iloc[-1] == norm_legitimacy(cs.forced, cs.employed, m.params.legitimacy_loss)
    assert 0.7 < df["legitimacy"].mean() < 0.9  # about 1 - 0.5 * 0.4


def test_a_freely_placed_citizens_supply_falls_when_others_are_forced():
    """Same seed and the same society with the same places imposed, with and without the loss
    of legitimacy: the freely placed are supplied less from the first week (their own place is
    the same, only others' imposed places differ)."""
    kept = _run(6, 1, forced_division=0.4, legitimacy_loss=0.0)
    lost = _run(6, 1, forced_division=0.4)
    assert np.array_equal(kept.citizens.forced, lost.citizens.forced)
    free = np.flatnonzero(~lost.citizens.forced & lost.citizens.employed)
    assert free.size > 100
    assert np.all(lost.citizens.regulation[free] < kept.citizens.regulation[free])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_freely_placed_are_less_regulated_in_a_forced_society(seed):
    """Direction, not a magnitude: over the last weeks of a run, the mean regulation of the
    freely placed is lower where 40% of places are imposed than in the same seed without forcing."""
    def free_regulation(m):
        cs = m.citizens
        return cs.regulation[~cs.forced & cs.employed].mean()

    forced = _run(seed, 60, forced_division=0.4)
    free = _run(seed, 60)
    assert free_regulation(forced) < free_regulation(free) - 0.01

"""Shocks: the intensity envelope (ramp, hold, recovery, permanent) and composition via conditions_at."""

import pytest

from anomie.model.parameters import Parameters
from anomie.scenarios.shocks import (
    SHOCK_KINDS,
    Austerity,
    AuthoritarianTurn,
    Boom,
    Crash,
    Industrialisation,
    Isolation,
    Migration,
    PoliticalUpheaval,
    conditions_at,
)

P = Parameters()


def envelope(shock, steps):
    return [shock.intensity(t) for t in steps]


def test_intensity_ramp_hold_recovery():
    s = Boom(start=10, ramp=3, duration=4, recovery=3, magnitude=0.1)
    got = envelope(s, range(8, 22))
    expected = [0, 0, 0.25, 0.5, 0.75, 1, 1, 1, 1, 0.75, 0.5, 0.25, 0, 0]
    assert got == pytest.approx(expected)
    # the last week with any effect is the shock's end
    assert s.end == 19 and s.intensity(19) > 0 and s.intensity(20) == 0


def test_intensity_immediate_and_permanent():
    s = Boom(start=5, magnitude=0.1)
    assert envelope(s, [3, 4, 5, 6, 1000, 10**6]) == [0, 0, 1, 1, 1, 1]
    assert s.end is None
    ramped = Boom(start=5, ramp=4, magnitude=0.1)
    assert envelope(ramped, [4, 5, 8, 9, 500]) == pytest.approx([0, 0.2, 0.8, 1, 1])
    assert ramped.end is None


def test_intensity_duration_zero_and_no_recovery():
    s = Crash(start=3, duration=0, magnitude=0.2)
    assert all(s.intensity(t) == 0 for t in range(0, 10))
    s = Crash(start=3, duration=2, magnitude=0.2)
    assert envelope(s, range(1, 7)) == [0, 0, 1, 1, 0, 0]
    assert s.end == 4


def test_intensity_is_monotone_in_the_ramp_and_the_recovery():
    s = Isolation(start=1, ramp=10, duration=5, recovery=10, magnitude=0.5)
    e = envelope(s, range(0, 30))
    peak = e.index(1.0)
    assert all(a < b for a, b in zip(e[:peak], e[1 : peak + 1]))
    tail = e[peak + 5 : s.end + 2]
    assert all(a > b for a, b in zip(tail, tail[1:]))


def test_no_shocks_gives_the_parameters_themselves():
    c = conditions_at(7, [], P)
    assert c.organic_share == P.organic_share and c.norm_strength == P.norm_strength
    assert c.wage_level == 1.0 and c.worker_capacity == 1.0 and c.suspended_share == 0.0
    assert c.job_loss_rate == P.job_loss_rate and c.job_finding_rate == P.job_finding_rate
    assert c.arrivals == 0 and c.exodus == 0.0 and c.collective_sentiment == 0.0 and c.active == []


def test_crash_and_boom_compose_by_adding_to_the_wage_level():
    crash = Crash(start=1, magnitude=0.2)
    boom = Boom(start=1, ramp=1, magnitude=0.3)
    assert conditions_at(1, [crash], P).wage_level == pytest.approx(0.8)
    assert conditions_at(1, [crash, boom], P).wage_level == pytest.approx(1 - 0.2 + 0.3 * 0.5)
    assert conditions_at(2, [boom, crash], P).wage_level == pytest.approx(1.1)
    assert conditions_at(2, [crash, boom], P).active == ["crash", "boom"]


def test_crash_destroys_jobs_while_intensity_rises_and_slows_hiring():
    crash = Crash(start=1, ramp=3, magnitude=0.2)
    c1 = conditions_at(1, [crash], P)
    assert c1.job_loss_rate == pytest.approx(P.job_loss_rate + 0.2 * 0.25)
    assert c1.job_finding_rate == pytest.approx(P.job_finding_rate * (1 - 0.2 * 0.25))
    held = conditions_at(10, [crash], P)
    assert held.job_loss_rate == pytest.approx(P.job_loss_rate), "no extra job loss once the crash is at full strength"
    assert held.job_finding_rate == pytest.approx(P.job_finding_rate * 0.8)


def test_wage_level_has_a_floor():
    c = conditions_at(1, [Crash(start=1, magnitude=0.9), Crash(start=1, magnitude=0.9)], P)
    assert c.wage_level == pytest.approx(0.05)


def test_isolations_add_up_and_are_capped_at_all_ties():
    a, b = Isolation(start=1, magnitude=0.3), Isolation(start=1, magnitude=0.4)
    assert conditions_at(1, [a, b], P).suspended_share == pytest.approx(0.7)
    assert conditions_at(1, [a, b, Isolation(start=1, magnitude=0.9)], P).suspended_share == 1.0


def test_austerities_compound_multiplicatively():
    a, b = Austerity(start=1, magnitude=0.5), Austerity(start=1, magnitude=0.5)
    assert conditions_at(1, [a], P).worker_capacity == pytest.approx(0.5)
    assert conditions_at(1, [a, b], P).worker_capacity == pytest.approx(0.25)
    assert conditions_at(1, [Austerity(start=1, magnitude=1.0)], P).worker_capacity == 0.0


def test_authoritarian_turn_moves_norms_towards_total_regulation():
    s = AuthoritarianTurn(start=1, magnitude=0.8)
    c = conditions_at(1, [s], P)
    assert c.norm_strength == pytest.approx(P.norm_strength + 0.8 * (1 - P.norm_strength))
    assert c.authority_pull == pytest.approx(P.authority_pull * 0.8)
    assert conditions_at(0, [s], P).authority_pull == 0.0


def test_industrialisation_raises_organic_share_and_moves_people_off_the_land():
    s = Industrialisation(start=1, ramp=3, magnitude=0.5)  # intensity 0.25, 0.5, 0.75, 1, ...
    rise = 0.5 * (1 - P.organic_share)
    c1, c2, c9 = (conditions_at(t, [s], P) for t in (1, 2, 9))
    assert c1.organic_share == pytest.approx(P.organic_share + rise * 0.25)
    assert c9.organic_share == pytest.approx(P.organic_share + rise)
    # the share of the population moved off the land by a week follows the intensity
    assert c1.exodus == pytest.approx(0.5 * 0.25) and c2.exodus == pytest.approx(0.5 * 0.5)
    assert c9.exodus == pytest.approx(0.5)


def test_faster_industrialisation_moves_the_same_people_in_fewer_weeks():
    slow = Industrialisation(start=1, ramp=519, magnitude=0.3)
    fast = Industrialisation(start=1, ramp=51, magnitude=0.3)
    per_week = lambda s: max(conditions_at(t, [s], P).exodus - conditions_at(t - 1, [s], P).exodus for t in range(1, 600))  # noqa: E731
    assert per_week(fast) > 9 * per_week(slow)
    assert conditions_at(600, [fast], P).exodus == pytest.approx(conditions_at(600, [slow], P).exodus)


def test_a_political_upheaval_rouses_collective_sentiment_for_a_while_and_composes():
    s = PoliticalUpheaval(start=10, ramp=0, duration=52, recovery=25, magnitude=0.4)
    assert conditions_at(9, [s], P).collective_sentiment == 0.0
    assert conditions_at(30, [s], P).collective_sentiment == pytest.approx(0.4)
    assert conditions_at(200, [s], P).collective_sentiment == 0.0, "it passes"
    both = conditions_at(30, [s, s], P).collective_sentiment
    assert both == pytest.approx(1 - 0.6 * 0.6) and both < 1.0


def test_migration_arrivals_sum_to_the_magnitude_times_the_initial_population():
    s = Migration(start=5, duration=10, magnitude=0.3)
    arrivals = [conditions_at(t, [s], P).arrivals for t in range(0, 40)]
    assert sum(arrivals) == round(0.3 * P.n_citizens)
    assert all(a == 0 for a in arrivals[:5]) and all(a == 0 for a in arrivals[15:])
    assert max(arrivals) - min(a for a in arrivals[5:15]) <= 1, "evenly over the weeks"


def test_active_lists_shocks_acting_this_or_last_week():
    s = Crash(start=5, duration=2, magnitude=0.1)
    assert [t for t in range(0, 12) if conditions_at(t, [s], P).active] == [5, 6, 7]


def test_every_shock_kind_is_registered():
    assert set(SHOCK_KINDS) == {
        "industrialisation", "crash", "boom", "migration", "isolation", "austerity", "authoritarian_turn",
        "political_upheaval",
    }


def test_a_fading_industrialisation_never_moves_more_than_it_moved():
    """An industrialisation that is undone (duration and recovery given) brings people back;
    the share moved stays within [0, magnitude]."""
    s = Industrialisation(start=1, ramp=2, duration=3, recovery=3, magnitude=0.5)
    exodus = [conditions_at(t, [s], P).exodus for t in range(0, 15)]
    assert min(exodus) >= 0.0 and max(exodus) == pytest.approx(0.5) and exodus[-1] == 0.0

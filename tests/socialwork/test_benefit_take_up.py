"""Benefit take-up through advocacy: an unclaimed entitlement that advocacy secures and the economy pays out of work.

Results of the mechanism on tiny models (a few dozen citizens, a few weeks); the claim's
amount is the parameter's by construction, what is tested is who gets it and for how long.
"""

import numpy as np

from anomie.agents.practice import COOPERATION, Technique, benefit_take_up
from anomie.model.economy import benefit_top_up
from anomie.model.referral import services
from anomie.model.state import NOT_WAITING
from anomie.model.typology import DurkheimState
from anomie.scenarios.loading import build_model


def advocated(**overrides):
    """A one-post model where advocacy for client 5, out of work, secures their benefit and never a job."""
    kw = dict(n_citizens=60, social_workers_per_1000=10.0, advocacy_success=0.0, benefit_advocacy_success=1.0,
              job_finding_rate=0.0)
    kw.update(overrides)
    m = build_model("baseline", seed=2, **kw)
    cs, w, p = m.citizens, m.social_workers[0], m.params
    cs.hazard[:] = 0.0
    cs.crisis_left[:] = 0
    cs.waiting_since[:] = NOT_WAITING
    cs.state[:] = DurkheimState.INTEGRATED
    cs.employed[:] = True
    cs.employed[5] = False
    cs.means[5] = p.unemployment_benefit
    w.open_cases(np.array([5]))
    w.cases.want[:] = 0.9
    w.cases.offer[:] = 1.0
    cs.phase[5], cs.trust[5] = COOPERATION, 0.5
    w.casework(hours=100.0)
    return m, cs, p


def test_an_advocacy_success_raises_that_clients_means_and_theirs_only():
    m, cs, p = advocated()
    s = services(m)
    assert m.social_workers[0].cases.technique[0] == Technique.CONNECTIONS
    assert s.claiming[5] and s.benefits_secured == 1 and not cs.employed[5]
    twin, twin_cs, _ = advocated(benefit_advocacy_success=0.0)  # the same week, the same draws, no claim made
    assert not services(twin).claiming.any()
    m.step()
    twin.step()
    assert np.flatnonzero(s.claiming).tolist() == [5], "only the client was helped to claim"
    assert cs.means[5] == p.unemployment_benefit + p.unclaimed_benefit
    assert twin_cs.means[5] == p.unemployment_benefit
    others = np.arange(cs.n) != 5
    np.testing.assert_array_equal(cs.means[others], twin_cs.means[others])
    assert m.metrics["benefit_claimants"] == 1 and twin.metrics["benefit_claimants"] == 0


def test_the_benefit_lasts_while_out_of_work_and_ends_with_a_job():
    m, cs, p = advocated(job_loss_rate=0.0)
    s = services(m)
    for _ in range(12):  # nobody finds work: the claim is paid week after week
        m.step()
        assert cs.means[5] == p.unemployment_benefit + p.unclaimed_benefit
    cs.employed[5] = True  # back in work: the claim ends
    m.step()
    assert not s.claiming[5] and m.metrics["benefit_claimants"] == 0
    cs.employed[5] = False  # a new spell out of work: unaided, no new claim
    m.citizens_week(m.conditions)
    assert cs.means[5] == p.unemployment_benefit


def test_without_social_workers_nobody_claims():
    m = build_model("crash", seed=3, n_citizens=300, social_workers_per_1000=0.0)
    m.run_for(70)
    df = m.dataframe()
    assert (df["benefit_claimants"] == 0).all() and (df["benefits_secured_total"] == 0).all()
    cs = m.citizens
    assert (~cs.employed).any()
    np.testing.assert_array_equal(cs.means[~cs.employed], m.params.unemployment_benefit)


def test_advocacy_finds_a_job_first_and_secures_the_benefit_only_where_it_does_not():
    from anomie.model.parameters import Parameters

    p = Parameters(advocacy_success=0.25, benefit_advocacy_success=0.5)
    conn, stim = Technique.CONNECTIONS, Technique.STIMULATION
    technique = np.array([conn, conn, conn, conn, conn, stim], dtype=np.int8)
    unemployed = np.array([True, True, True, False, True, True])
    claiming = np.array([False, False, False, False, True, False])
    chance = np.array([0.1, 0.5, 0.9, 0.5, 0.5, 0.5])  # in the job's interval, the benefit's, beyond both
    got = benefit_take_up(technique, np.ones(6, dtype=bool), unemployed, claiming, np.full(6, COOPERATION), chance, 1.0, p)
    assert got.tolist() == [False, True, False, False, False, False]
    none = Parameters(advocacy_success=0.25, benefit_advocacy_success=0.0)
    assert not benefit_take_up(technique, np.ones(6, dtype=bool), unemployed, claiming, np.full(6, COOPERATION),
                               chance, 1.0, none).any()


def test_the_top_up_is_empty_when_nobody_claims_and_ends_claims_of_those_in_work():
    claiming = np.array([True, True, False])
    top = benefit_top_up(claiming, np.array([False, True, False, False]), 0.1)  # a newcomer (row 3) claims nothing
    assert top.tolist() == [0.1, 0.0, 0.0, 0.0] and claiming.tolist() == [True, False, False]
    assert benefit_top_up(np.zeros(3, dtype=bool), np.zeros(3, dtype=bool), 0.1).size == 0

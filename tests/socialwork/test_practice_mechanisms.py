"""Each practice mechanism by itself, on a tiny model with one or a few posts.

Every test sets up the one situation a mechanism is about and checks a consequence that
could fail: a worker over capacity breaks more promises, supervision restores at its cost in
hours, advocacy raises means, screening misses some high-risk people, and so on.
"""

import numpy as np
import pytest

from anomie.agents.practice import (
    TARGET_EMPLOYER,
    TARGET_FAMILY,
    Technique,
    choose_technique,
    negotiate,
    worker_offer,
)
from anomie.model.workforce import burnout_change, contact_hours, steady_state_rates
from anomie.model.groups import ANY_SECTOR, OccupationalGroups
from anomie.model.referral import refer_to_services, services
from anomie.model.state import NO_WORKER, NOT_WAITING
from anomie.model.typology import DurkheimState
from anomie.scenarios.loading import build_model


def tiny(n=60, posts=1, **overrides):
    kw = dict(n_citizens=n, social_workers_per_1000=posts * 1000 / n)
    kw.update(overrides)
    m = build_model("baseline", seed=2, **kw)
    cs = m.citizens
    cs.hazard[:] = 0.0
    cs.crisis_left[:] = 0
    cs.waiting_since[:] = NOT_WAITING
    cs.state[:] = DurkheimState.INTEGRATED
    cs.employed[:] = True
    return m, m.social_workers[0], cs, m.params


# -- capacity ---------------------------------------------------------------------------------
def test_a_worker_over_capacity_breaks_more_promises():
    broken = {}
    for load in ("at the limit", "half again over it"):
        m, w, cs, p = tiny()
        k = w.caseload_limit() if load == "at the limit" else int(1.5 * w.caseload_limit())
        w.open_cases(np.arange(k))
        w.casework(hours=w.contact_hours() * (1 - p.groupwork_share - p.community_share))
        broken[load] = w.broken_promises
    assert broken["at the limit"] == 0
    assert broken["half again over it"] >= 0.5 * w.caseload_limit() - 1


def test_crises_in_the_caseload_take_hours_and_break_promises_under_the_limit():
    m, w, cs, p = tiny()
    k = w.caseload_limit()
    w.open_cases(np.arange(k))
    cs.crisis_left[:5] = 4  # five clients in acute crisis need crisis hours
    w.casework(hours=w.contact_hours() * (1 - p.groupwork_share - p.community_share))
    assert w.broken_promises > 0
    assert np.all(cs.crisis_left[:5] < 4), "crisis intervention comes first"


# -- the workforce ----------------------------------------------------------------------------
def test_supervision_restores_at_its_cost_in_hours():
    low = tiny(supervision_hours=0.5)
    high = tiny(supervision_hours=4.0)
    for m, w, cs, p in (low, high):
        w.burnout = 0.4
        w.update_burnout()
    (_, w_low, _, p_low), (_, w_high, _, p_high) = low, high
    assert w_high.burnout < w_low.burnout < 0.4, "more supervision relieves more burnout"
    assert w_low.contact_hours() - w_high.contact_hours() == pytest.approx(3.5), "and costs contact time"


def test_rehabilitation_restores_faster_and_costs_more_hours():
    m, w, cs, p = tiny()
    w.burnout = p.rehab_threshold - 0.01
    hours_before = w.contact_hours()
    w.update_burnout()
    step_below = (p.rehab_threshold - 0.01) - w.burnout
    w.burnout = p.rehab_threshold + 0.01
    assert w.contact_hours() == pytest.approx(hours_before - p.rehab_hours)
    w.update_burnout()
    assert (p.rehab_threshold + 0.01) - w.burnout > 2 * step_below


def test_exposure_to_crises_builds_burnout_even_under_the_limit():
    m, w, cs, p = tiny(supervision_hours=0.0)
    w.open_cases(np.arange(5))  # well under the limit
    w.update_burnout()
    assert w.burnout == 0.0
    cs.crisis_left[:5] = 3
    w.update_burnout()
    assert w.burnout == pytest.approx(p.exposure_burnout * 5 / w.caseload_limit())
    assert burnout_change(0.0, 2 * 17, 17, 0, 0.0, p) == pytest.approx(p.overload_burnout)


def test_a_leaving_worker_vacates_the_post_and_the_caseload_is_reallocated():
    m, w, cs, p = tiny(posts=2, base_leaving=1.0)
    a, b = m.social_workers
    a.open_cases(a.patch_rows[:6])
    b.open_cases(b.patch_rows[:2])
    cs.crisis_left[a.patch_rows[:6]] = 3
    assert a.leave_or_stay()
    assert not a.in_post and a.caseload == 0
    assert b.caseload == 8 and np.all(cs.case_worker[a.patch_rows[:6]] == b.index)
    assert services(m).leavers == [m.steps]


def test_reallocation_beyond_colleagues_room_returns_clients_to_the_waiting_list():
    m, w, cs, p = tiny(posts=1, base_leaving=1.0)
    w.open_cases(np.arange(5))
    cs.crisis_left[:5] = 3
    w.leave_or_stay()
    assert np.all(cs.case_worker[:5] == NO_WORKER) and np.all(cs.waiting_since[:5] == m.steps)


def test_vacant_posts_do_no_work_and_count_in_the_vacancy_rate():
    m, w, cs, p = tiny(posts=2, vacancy_weeks=520)
    m.social_workers[0].in_post = False
    cs.waiting_since[:3] = 0
    cs.crisis_left[:3] = 4
    m.step()
    assert m.metrics["workers_in_post"] in (1, 2)
    assert m.social_workers[0].caseload == 0
    if not m.social_workers[0].in_post:
        assert m.metrics["vacancy_rate"] == pytest.approx(0.5)


def test_default_leaving_and_filling_rates_give_englands_order_of_turnover_and_vacancies():
    """By construction: the arithmetic of the defaults, not a result of the model."""
    m, w, cs, p = tiny()
    turnover, vacancy = steady_state_rates(p, burnout=0.3)  # about the baseline's burnout
    assert 0.12 <= turnover <= 0.20 and 0.12 <= vacancy <= 0.20


# -- contracting and influence ----------------------------------------------------------------
def test_goal_fit_is_negotiated_between_what_the_client_wants_and_what_the_worker_can_offer():
    wants_job = np.array([0.9])
    rested = worker_offer(spare_hours=10.0, advocacy_hours=3.0, burnout=0.0, k=1)
    overloaded = worker_offer(spare_hours=0.0, advocacy_hours=3.0, burnout=0.0, k=1)
    assert negotiate(wants_job, rested, 0.5) > negotiate(wants_job, overloaded, 0.5)
    wants_talk = np.array([0.1])
    assert negotiate(wants_talk, overloaded, 0.5) > negotiate(wants_talk, rested, 0.5)
    assert negotiate(wants_job, overloaded, 1.0) == 1.0, "full negotiation closes the gap"


def test_techniques_follow_the_clients_situation_and_cost_different_hours():
    unemployed = np.array([True, False, False, False])
    isolated = np.array([False, True, False, False])
    trust = np.array([0.3, 0.3, 0.3, 0.9])
    want, offer = np.array([0.9, 0.2, 0.2, 0.2]), np.ones(4)
    t = choose_technique(unemployed, isolated, trust, want, offer, 0.6)
    assert t.tolist() == [Technique.CONNECTIONS, Technique.ENVIRONMENT, Technique.STIMULATION, Technique.PERSUASION]
    from anomie.agents.practice import contact_hours_needed
    m, w, cs, p = tiny()
    need = contact_hours_needed(t, np.zeros(4, dtype=bool), p)
    assert need.tolist() == [p.casework_hours + p.advocacy_hours, p.casework_hours + p.environment_hours,
                             p.casework_hours, p.casework_hours]


def test_persuasion_pulls_harder_but_costs_trust_where_goals_do_not_fit():
    m, w, cs, p = tiny()
    w.open_cases(np.array([3, 4]))
    cs.trust[[3, 4]] = 0.7  # enough trust for persuasion
    cs.phase[[3, 4]] = 2
    cs.goal_fit[[3, 4]] = [1.0, 0.2]
    cs.regulation[[3, 4]] = 0.1
    cs.capacity[[3, 4]] = 1.0
    w.casework(hours=100.0)
    assert np.all(w.cases.technique == Technique.PERSUASION)
    mid = m.healthy_middle[1]
    assert cs.regulation[3] == pytest.approx(0.1 + p.persuasion_effect * (mid - 0.1))
    assert cs.trust[4] < cs.trust[3], "persuasion against the client's goals costs trust"


def test_an_advocacy_success_raises_the_clients_means():
    m, w, cs, p = tiny(advocacy_success=1.0)
    cs.employed[5] = False
    cs.means[5] = p.unemployment_benefit
    w.open_cases(np.array([5]))
    w.cases.want[:] = 0.9
    w.cases.offer[:] = 1.0
    cs.phase[5], cs.trust[5] = 2, 0.5
    w.casework(hours=100.0)
    assert w.cases.technique[0] == Technique.CONNECTIONS and w.cases.target_kind[0] == TARGET_EMPLOYER
    assert cs.employed[5] and cs.means[5] > p.unemployment_benefit
    assert services(m).jobs_found == 1


def test_the_social_environment_ties_the_client_to_the_target_person():
    m, w, cs, p = tiny(environment_tie=1.0)
    cs.state[7] = DurkheimState.EGOISM
    w.open_cases(np.array([7]))
    target = int(w.cases.target[0])
    if target == 7:
        w.cases.target[0] = target = 8
    cs.phase[7], cs.trust[7] = 2, 0.5
    w.casework(hours=100.0)
    assert w.cases.target_kind[0] == TARGET_FAMILY
    assert m.network.adjacency[7, target] == 1


def test_completed_tasks_build_capacity_that_lasts_after_the_case_ends():
    m, w, cs, p = tiny(task_progress=1.0)
    w.open_cases(np.array([4]))
    cs.phase[4], cs.trust[4], cs.capacity[4] = 2, 0.5, 0.0
    for _ in range(50):
        w.casework(hours=100.0)
        if w.cases.done[0] == p.tasks_agreed:
            break
    assert w.cases.done[0] == p.tasks_agreed
    during = cs.capacity[4]
    assert during > 0
    w.close_cases()
    assert w.caseload == 0 and w.closed_goals_met == 1
    assert cs.capacity[4] > during, "the review fixes the results"
    after = cs.capacity[4]
    m.step()
    assert cs.capacity[4] == after, "capacity stays after the case ends"


# -- mezzo and macro: groups -------------------------------------------------------------------
def with_groups(m):
    m.groups = OccupationalGroups.empty(m.citizens.n, m.params)
    return m.groups


def groups_week(m):
    indptr, indices = m.network.csr
    sector = getattr(m.citizens, "sector", np.zeros(m.citizens.n, dtype=np.int8))
    m.groups.week(sector, m.citizens.employed, indptr, indices, m.steps, m.streams.groups, m.params)


def test_community_development_does_nothing_without_occupational_groups():
    m, w, cs, p = tiny()
    m.groups = None  # a run without occupational groups
    assert w.community_development(100.0) == 0.0 and w.hours["community"] == 0.0


def test_a_group_founded_by_community_development_persists_after_the_worker_leaves():
    m, w, cs, p = tiny(n=120, base_leaving=1.0)
    g = with_groups(m)
    cs.employed[:20] = False  # a district hit by job losses
    spent = w.community_development(p.founding_hours + 1.0)
    assert spent == pytest.approx(p.founding_hours + 1.0)
    assert g.alive_count() == 1 and g.founder[0] == w.index and g.sector[0] == ANY_SECTOR
    members = g.members(0)
    assert 3 <= members.size <= p.group_size and np.all(~cs.employed[members])
    w.leave_or_stay()
    assert not w.in_post
    for _ in range(52):
        groups_week(m)
        m.steps += 1
    assert g.alive[0], "the group lives on after its founder left"
    assert g.members(0).size >= 3


def test_group_work_brings_members_into_the_workers_own_group_and_supports_it():
    m, w, cs, p = tiny(n=120)
    g = with_groups(m)
    cs.employed[:20] = False
    w.community_development(p.founding_hours + 1.0)
    before = g.members(0).size
    cs.state[60:66] = DurkheimState.EGOISM
    w.group_work(p.group_session_hours)
    assert g.members(0).size == before + 6
    assert g.support_hours[0] > 0


# -- referral, screening, multi-agency working ------------------------------------------------
def test_imperfect_screening_misses_some_high_risk_people_and_flags_some_who_are_not():
    m, w, cs, p = tiny(n=2000, screening_coverage=1.0, agency_coordination=1.0, screening_noise=1.0,
                       posts=4)
    cs.hazard[:] = 0.002
    cs.hazard[:200] = 0.03  # the high-risk tenth
    refer_to_services(m)
    flagged = services(m).flag_rows
    high = np.isin(np.arange(200), flagged)
    assert 0 < high.sum() < 200, "some high-risk people are missed"
    assert np.any(flagged >= 200), "and some who are not high-risk are flagged"


def test_screening_without_noise_flags_exactly_the_high_risk():
    m, w, cs, p = tiny(n=500, screening_coverage=1.0, agency_coordination=1.0, screening_noise=0.0)
    cs.hazard[:] = 0.002
    cs.hazard[:30] = 0.03
    refer_to_services(m)
    assert np.array_equal(np.sort(services(m).flag_rows), np.arange(30))


def test_outreach_takes_flagged_people_of_the_patch_strongest_signal_first():
    m, w, cs, p = tiny(outreach_share=1.0)
    s = services(m)
    s.set_flags(np.array([4, 9, 11, 12]), np.array([0.02, 0.05, 0.03, 0.09]), np.array([0, 0, 0, 1]))
    w.take_cases()
    assert w.clients.tolist() == [9, 11, 4], "only the worker's own patch, strongest signal first"
    assert not w.cases.referred.any()


def test_poor_coordination_leaves_crises_unreferred():
    refs = {}
    for coordination in (0.0, 1.0):
        m, w, cs, p = tiny(agency_contact=1.0, agency_coordination=coordination)
        cs.crisis_left[:10] = 5
        m.onsets = np.arange(10)
        refer_to_services(m)
        refs[coordination] = (m.waiting_count(), m.metrics and services(m).missed_referrals)
    assert refs[0.0] == (0, 10)
    assert refs[1.0] == (10, 0)


def test_without_workers_nobody_is_counted_as_known():
    m = build_model("baseline", seed=3, n_citizens=200, social_workers_per_1000=0.0, agency_contact=1.0,
                    agency_coordination=1.0)
    m.run_for(30)
    cs = m.citizens
    df = m.dataframe()
    assert (df["waiting_list"] == 0).all() and (df["open_cases"] == 0).all()
    high_risk = int(np.count_nonzero((cs.hazard >= m.params.high_risk_hazard) | (cs.crisis_left > 0)))
    assert high_risk > 0 and m.metrics["missed_high_risk"] == high_risk
    assert df["missed_referrals"].sum() == df["crises"].iloc[1:].sum()


def test_a_waiting_list_with_every_post_vacant_does_not_count_as_known():
    m, w, cs, p = tiny(vacancy_weeks=520)
    cs.crisis_left[:4] = 5
    cs.waiting_since[:4] = 0
    refer_to_services(m)
    w.in_post = False
    from anomie.model.referral import social_work_metrics
    assert social_work_metrics(m)["missed_high_risk"] == 4
    w.in_post = True
    assert social_work_metrics(m)["missed_high_risk"] == 0


def test_new_clients_get_matched_non_clients_from_their_neighbourhood():
    m, w, cs, p = tiny()
    cs.hazard[:] = np.linspace(0.001, 0.02, cs.n)
    w.open_cases(np.array([10]))
    s = services(m)
    match = s.matched_to[10]
    assert match >= 0 and match != 10 and cs.case_worker[match] == NO_WORKER
    assert abs(cs.hazard[match] - cs.hazard[10]) <= 0.001


def test_screening_sample_is_an_independent_draw_per_person():
    from anomie.model.referral import bernoulli_rows
    rng = np.random.default_rng(0)
    assert np.array_equal(bernoulli_rows(rng, 50, 1.0), np.arange(50))
    rows = bernoulli_rows(rng, 100_000, 0.05)
    assert np.all(np.diff(rows) > 0) and rows.max() < 100_000
    assert abs(rows.size - 5000) < 4 * np.sqrt(5000 * 0.95)
    assert bernoulli_rows(rng, 100, 0.0).size == 0
    for tiny_share in (1e-300, 5e-324, 1e-13):  # gaps this long would overflow
        assert bernoulli_rows(rng, 1000, tiny_share).size == 0

"""Social workers on a tiny model: posts, hours, intake, the relationship, casework, closing."""

import numpy as np
import pytest

from anomie.agents.practice import PHASE_EFFECT, Technique
from anomie.agents.social_worker import Phase, SocialWorker
from anomie.model.workforce import caseload_limit, contact_hours
from anomie.model import DEFAULTS
from anomie.model.state import NO_WORKER, NOT_WAITING
from anomie.model.typology import DurkheimState
from anomie.scenarios.shocks import Austerity, conditions_at
from anomie.scenarios.loading import build_model


def tiny(posts=1, **overrides):
    kw = dict(n_citizens=60, social_workers_per_1000=posts * 1000 / 60)
    kw.update(overrides)
    m = build_model("baseline", seed=1, **kw)
    return m, m.social_workers[0], m.citizens, m.params


def calm(cs):
    """Nobody at risk, nobody waiting, everybody healthy and employed: a clean slate for one mechanism."""
    cs.hazard[:] = 0.0
    cs.crisis_left[:] = 0
    cs.waiting_since[:] = NOT_WAITING
    cs.state[:] = DurkheimState.INTEGRATED
    cs.employed[:] = True


def open_case(m, w, rows, trust=0.3, goal_fit=1.0, phase=Phase.AGREEMENT):
    rows = np.asarray(rows)
    w.open_cases(rows)
    cs = m.citizens
    cs.trust[rows] = trust
    cs.goal_fit[rows] = goal_fit
    cs.phase[rows] = phase


def test_worker_is_a_mesa_agent_covering_the_whole_population():
    m, w, cs, p = tiny(posts=3)
    assert all(isinstance(x, SocialWorker) for x in m.social_workers)
    assert len(m.agents_by_type[SocialWorker]) == 3
    rows = np.sort(np.concatenate([x.patch_rows for x in m.social_workers]))
    assert np.array_equal(rows, np.arange(60)), "every citizen lives in exactly one patch"
    for x in m.social_workers:
        assert np.all(cs.patch[x.patch_rows] == x.index)


def test_default_staffing_is_two_per_thousand():
    m = build_model("baseline", seed=1, n_citizens=DEFAULTS["n_citizens"], create_agents=False)
    assert len(m.social_workers) == m.n_posts == 2 == DEFAULTS["n_citizens"] * 2 // 1000


def test_contact_hours_are_hours_less_admin_and_supervision_and_austerity_cuts_them():
    m, w, cs, p = tiny()
    assert w.contact_hours() == pytest.approx(p.weekly_hours * (1 - p.admin_share) - p.supervision_hours)
    m.conditions = conditions_at(1, [Austerity(start=1, magnitude=0.5)], p)
    assert w.contact_hours() == pytest.approx(0.5 * p.weekly_hours * (1 - p.admin_share) - p.supervision_hours)
    w.burnout = p.rehab_threshold
    assert w.contact_hours() == pytest.approx(contact_hours(p, 0.5) - p.rehab_hours)


def test_the_caseload_limit_is_derived_from_hours_and_sits_at_englands_average():
    m, w, cs, p = tiny()
    expected = int((p.weekly_hours * (1 - p.admin_share) - p.supervision_hours)
                   * (1 - p.groupwork_share - p.community_share) / p.casework_hours)
    assert w.caseload_limit() == expected == caseload_limit(p)
    assert 16 <= expected <= 18
    assert m.metrics["caseload_limit"] == expected
    m2, w2, *_ = tiny(casework_hours=2 * p.casework_hours)
    assert w2.caseload_limit() == int(expected / 2) or w2.caseload_limit() == expected // 2


def test_pop_waiting_takes_acute_crises_first_then_the_longest_waiting():
    m, w, cs, p = tiny()
    calm(cs)
    cs.waiting_since[[10, 11, 12]] = [5, 1, 3]
    cs.crisis_left[[10, 12]] = 3
    cs.hazard[11] = 0.5  # at risk, so the waiting list keeps them
    m.refer_to_services()
    assert m.waiting_count() == 3
    assert m.pop_waiting(2).tolist() == [12, 10]
    assert m.waiting_count() == 1
    assert m.pop_waiting(5).tolist() == [11]
    assert m.waiting_count() == 0 and np.all(cs.waiting_since == NOT_WAITING)


def test_recovered_people_leave_the_waiting_list():
    m, w, cs, p = tiny()
    calm(cs)
    cs.waiting_since[[3, 4]] = 0
    cs.crisis_left[3] = 2
    m.refer_to_services()
    assert m.waiting_count() == 1 and cs.waiting_since[4] == NOT_WAITING


def test_intake_takes_referrals_and_contracts_tasks_and_a_time_limit():
    m, w, cs, p = tiny()
    calm(cs)
    cs.waiting_since[[3, 5]] = [0, 1]
    cs.crisis_left[[3, 5]] = 4
    m.refer_to_services()
    w.take_cases()
    assert set(w.clients.tolist()) == {3, 5}
    assert np.all(cs.case_worker[[3, 5]] == w.index)
    assert np.all(cs.waiting_since[[3, 5]] == NOT_WAITING) and m.waiting_count() == 0
    assert np.all(cs.phase[[3, 5]] == Phase.AGREEMENT)
    assert cs.trust[[3, 5]] == pytest.approx([p.initial_trust] * 2)
    assert np.all(w.cases.tasks == p.tasks_agreed) and np.all(w.cases.done == 0)
    assert np.all((cs.goal_fit[[3, 5]] >= 0) & (cs.goal_fit[[3, 5]] <= 1))


def test_caseload_ceiling_rises_only_while_people_wait():
    m, w, cs, p = tiny()
    calm(cs)
    m.refer_to_services()
    assert w.caseload_ceiling() == w.caseload_limit()
    cs.waiting_since[:40] = 0
    cs.crisis_left[:40] = 2
    m.refer_to_services()
    assert w.caseload_ceiling() == int(w.caseload_limit() * (1 + p.overload_acceptance))
    w.take_cases()
    assert w.caseload == w.caseload_ceiling()


def test_no_intake_without_contact_hours():
    m, w, cs, p = tiny()
    calm(cs)
    cs.waiting_since[[3]] = 0
    cs.crisis_left[3] = 4
    m.refer_to_services()
    m.conditions = conditions_at(1, [Austerity(start=1, magnitude=1.0)], p)
    w.take_cases()
    assert w.caseload == 0


def test_kept_contacts_build_trust_by_goal_fit_and_missed_ones_cost_trust():
    m, w, cs, p = tiny()
    calm(cs)
    open_case(m, w, [2, 3])
    cs.goal_fit[3] = 0.5
    w.casework(hours=100.0)
    assert cs.trust[2] == pytest.approx(0.3 + p.trust_growth * 1.0 * 0.7)
    assert cs.trust[3] == pytest.approx(0.3 + p.trust_growth * 0.5 * 0.7)
    cs.trust[[2, 3]] = 0.5
    w.casework(hours=0.0)
    assert cs.trust[[2, 3]] == pytest.approx([0.5 * (1 - p.trust_loss)] * 2)
    assert w.broken_promises == 2


def test_casework_sees_only_as_many_clients_as_the_hours_allow_crises_first():
    m, w, cs, p = tiny()
    calm(cs)
    open_case(m, w, [2, 3, 4, 5, 6], trust=0.5)
    cs.crisis_left[6] = 3
    spent = w.casework(hours=p.crisis_hours + 1.5 * p.casework_hours)
    assert cs.trust[6] > 0.5, "the client in crisis is seen first"
    up = int(np.sum(cs.trust[[2, 3, 4, 5, 6]] > 0.5))
    assert up == 2 and w.broken_promises == 3
    assert spent == pytest.approx(p.crisis_hours + p.casework_hours)


def test_relationship_phases_follow_trust():
    m, w, cs, p = tiny()
    open_case(m, w, [1, 2, 3, 4, 5])
    cs.trust[[1, 2, 3]] = [p.cooperation_trust + 0.01, p.conflict_trust - 0.01, 0.4]
    cs.phase[4], cs.trust[4] = Phase.CONFLICT, p.conflict_trust + 0.05
    cs.phase[5], cs.trust[5] = Phase.CONFLICT, p.conflict_trust - 0.05
    w.update_relationships()
    assert cs.phase[[1, 2, 3, 4, 5]].tolist() == [
        Phase.COOPERATION, Phase.CONFLICT, Phase.AGREEMENT, Phase.AGREEMENT, Phase.CONFLICT,
    ]


@pytest.mark.parametrize("phase", [Phase.AGREEMENT, Phase.COOPERATION, Phase.CONFLICT])
def test_crisis_intervention_shortens_a_crisis_by_phase(phase):
    m, w, cs, p = tiny()
    calm(cs)
    open_case(m, w, [7], phase=phase)
    cs.crisis_left[7] = 6
    w.casework(hours=100.0)
    assert cs.crisis_left[7] == 6 - round(p.crisis_resolution * PHASE_EFFECT[phase])


def test_stimulation_moves_regulation_towards_the_middle_more_with_capacity():
    m, w, cs, p = tiny()
    calm(cs)
    open_case(m, w, [7, 8], trust=0.4, phase=Phase.COOPERATION)
    cs.regulation[[7, 8]] = 0.1
    cs.capacity[[7, 8]] = [0.0, 1.0]
    w.casework(hours=100.0)
    assert np.all(w.cases.technique == Technique.STIMULATION)
    mid_r = m.healthy_middle[1]
    assert cs.regulation[7] == pytest.approx(0.1 + 0.5 * p.casework_effect * (mid_r - 0.1))
    assert cs.regulation[8] == pytest.approx(0.1 + p.casework_effect * (mid_r - 0.1))


def test_burnout_lowers_the_effect_of_casework():
    m, w, cs, p = tiny()
    calm(cs)
    open_case(m, w, [7], trust=0.4, phase=Phase.COOPERATION)
    cs.regulation[7], cs.capacity[7] = 0.1, 1.0
    w.burnout = 0.5
    assert w.effectiveness() == 0.5
    w.casework(hours=100.0)
    assert cs.regulation[7] == pytest.approx(0.1 + 0.5 * p.casework_effect * (m.healthy_middle[1] - 0.1))


def test_group_work_ties_isolated_people_together():
    m, w, cs, p = tiny(group_tie_probability=1.0, group_size=8)
    calm(cs)
    members = np.array([5, 20, 35, 50])
    cs.state[members] = DurkheimState.EGOISM
    cs.integration[:] = 0.5
    cs.integration[members] = 0.1
    ties_before = m.network.n_ties
    spent = w.group_work(hours=p.group_session_hours)
    adj = m.network.adjacency.toarray()
    for a in members:
        for b in members:
            if a != b:
                assert adj[a, b] == 1, (a, b)
    assert m.network.n_ties > ties_before and spent == p.group_session_hours
    mid_i = m.healthy_middle[0]
    assert cs.integration[members] == pytest.approx(0.1 + p.groupwork_effect * (mid_i - 0.1))
    others = np.setdiff1d(np.arange(60), members)
    assert np.all(cs.integration[others] == 0.5), "only the group's members gain"


def test_group_work_needs_a_full_session_and_isolated_people():
    m, w, cs, p = tiny(group_tie_probability=1.0)
    calm(cs)
    ties = m.network.n_ties
    assert w.group_work(hours=p.group_session_hours * 5) == 0.0  # nobody isolated
    cs.state[[5, 20]] = DurkheimState.EGOISM
    assert w.group_work(hours=p.group_session_hours * 0.9) == 0.0  # not enough time for a session
    assert m.network.n_ties == ties and w.isolated_reached == 0


def test_cases_end_as_planned_when_tasks_are_achieved_and_results_are_fixed():
    m, w, cs, p = tiny()
    calm(cs)
    open_case(m, w, [4, 9])
    cs.capacity[[4, 9]] = 0.0
    w.cases.done[:] = [p.tasks_agreed, 1]
    w.close_cases()
    assert w.clients.tolist() == [9]
    assert cs.case_worker[4] == NO_WORKER and cs.phase[4] == Phase.NONE
    assert w.closed_goals_met == 1
    assert cs.capacity[4] == pytest.approx(p.coproduction_rate), "the review fixes the results"


def test_the_time_limit_ends_a_case_but_not_during_a_crisis():
    m, w, cs, p = tiny(task_weeks=3)
    calm(cs)
    open_case(m, w, [4, 5])
    cs.crisis_left[5] = 2
    m.steps += 3
    w.close_cases()
    assert w.clients.tolist() == [5] and w.planned_endings == 1 and w.closed_goals_met == 0


def test_clients_in_conflict_drop_out():
    m, w, cs, p = tiny(dropout_rate=1.0)
    open_case(m, w, [4, 5], phase=Phase.CONFLICT)
    cs.phase[5] = Phase.COOPERATION
    cs.crisis_left[[4, 5]] = 3
    w.close_cases()
    assert w.clients.tolist() == [5] and w.closed_dropped_out == 1


def test_a_working_week_spends_no_more_than_the_contact_hours():
    m, w, cs, p = tiny()
    calm(cs)
    cs.waiting_since[:30] = 0
    cs.crisis_left[:30] = 3
    cs.state[:10] = DurkheimState.EGOISM
    m.refer_to_services()
    w.step()
    assert 0 < w.caseload <= w.caseload_ceiling()
    assert sum(w.hours.values()) <= contact_hours(p) + 1e-9


def test_the_weeks_shared_numbers_equal_the_workforce_rules_and_follow_austerity():
    """`work_week` caches, once for every post, what `workforce` works out for each."""
    from anomie.agents.social_worker import work_week
    from anomie.model import referral
    from anomie.model.workforce import casework_time

    m, w, cs, p = tiny()
    for capacity in (1.0, 0.5, 1.0, 0.0):
        m.conditions = conditions_at(1, [Austerity(start=1, magnitude=1.0 - capacity)], p)
        week = work_week(m, referral.services(m))
        limit = caseload_limit(p, capacity)
        assert week.limit == limit
        assert week.overload_ceiling == int(limit * (1.0 + p.overload_acceptance))
        assert week.contact_hours == (contact_hours(p, capacity, False), contact_hours(p, capacity, True))
        assert week.casework_time == (casework_time(p, capacity, False), casework_time(p, capacity, True))
    assert m.conditions.worker_capacity == 0.0 and w.caseload_limit() == 0 and w.contact_hours() == 0.0


def test_the_offer_is_one_number_for_every_client():
    from anomie.agents.practice import offer_value, worker_offer

    for spare, burnout in ((-1.0, 0.0), (0.7, 0.2), (5.0, 0.5)):
        assert np.array_equal(worker_offer(spare, 2.0, burnout, 3), np.full(3, offer_value(spare, 2.0, burnout)))

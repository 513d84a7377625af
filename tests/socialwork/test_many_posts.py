"""The workers' week at many posts: a leaver's caseload goes to the emptiest colleagues, the outcome cohort keeps its members.

`workforce.reallocation` is the readable rule (a Python sort of the colleagues);
`reallocation_fast` is the pass the workers run and must give the same assignment case by
case. Likewise `referral.match_comparisons` and its compiled pass choose each new client's
comparison. The client cohort and its matched comparison are kept in appended buffers
(`AppendedRows`); the comparison group is everybody matched who has not become a client since.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from anomie.model.referral import (
    CLIENT,
    MATCHED,
    AppendedRows,
    Services,
    enrol_clients,
    match_comparisons,
    match_comparisons_fast,
    services,
)
from anomie.model.state import NO_WORKER, NOT_WAITING
from anomie.model.workforce import reallocation, reallocation_fast
from anomie.scenarios.loading import build_model


@settings(max_examples=300, deadline=None)
@given(
    caseloads=st.lists(st.integers(0, 30), max_size=40),
    ceiling=st.integers(-2, 30),
    n_cases=st.integers(0, 60),
    data=st.data(),
)
def test_the_fast_reallocation_equals_the_readable_rule(caseloads, ceiling, n_cases, data):
    k = len(caseloads)
    index = np.asarray(data.draw(st.permutations(range(k))) if k else [], dtype=np.int64)
    loads = np.asarray(caseloads, dtype=np.int64)
    assert np.array_equal(reallocation_fast(loads, index, ceiling, n_cases), reallocation(loads, index, ceiling, n_cases))


def test_reallocation_fills_the_emptiest_colleague_first_ties_to_the_lower_post():
    loads = np.array([5, 3, 3, 9], dtype=np.int64)
    index = np.array([0, 2, 1, 3], dtype=np.int64)
    # ceiling 6: room 1, 3, 3, 0; the post with index 1 (position 2) comes before index 2
    to = reallocation(loads, index, 6, 9)
    assert to.tolist() == [2, 2, 2, 1, 1, 1, 0, -1, -1]


def test_a_leaver_among_many_posts_hands_cases_to_the_emptiest_colleagues():
    m = build_model("baseline", seed=3, n_citizens=400, social_workers_per_1000=20.0)  # 8 posts
    cs = m.citizens
    cs.waiting_since[:] = NOT_WAITING
    cs.crisis_left[:] = 0
    workers = m.social_workers
    for w, k in zip(workers, [6, 2, 12, 2, 17, 1, 3, 5]):
        w.open_cases(w.patch_rows[:k])
    leaver = workers[4]
    rows = leaver.clients.copy()
    before = {w.index: w.caseload for w in workers}
    ceiling = leaver.caseload_ceiling()
    assert ceiling == 17  # nobody waits: the derived limit
    leaver.reallocate()
    # the emptiest first: post 5 (1 case) fills to the ceiling, then post 1 (2 cases, before post 3 by its lower index)
    assert np.all(cs.case_worker[rows[:16]] == 5) and cs.case_worker[rows[16]] == 1
    assert leaver.caseload == 0 and workers[5].caseload == 17 and workers[1].caseload == 3 and workers[3].caseload == 2
    assert sum(w.caseload for w in workers) == sum(before.values())


def test_appended_rows_keep_every_append_in_order():
    log = AppendedRows()
    parts = [np.arange(k, 2 * k) for k in range(0, 40, 3)]
    for part in parts:
        log.append(part)
    assert np.array_equal(log.rows, np.concatenate(parts))


def test_a_matched_person_who_becomes_a_client_leaves_the_comparison():
    m = build_model("baseline", seed=5, n_citizens=200, social_workers_per_1000=5.0)
    cs = m.citizens
    cs.waiting_since[:] = NOT_WAITING
    cs.case_worker[:] = NO_WORKER
    s = services(m)
    patch = np.arange(50)
    enrol_clients(m, np.array([3, 7]), patch)
    first = s.matched.copy()
    assert first.size == 2 and np.all(s.in_cohort[first] == MATCHED)
    enrol_clients(m, first[:1], patch)  # one comparison person becomes a client
    assert first[0] in s.clients and first[0] not in s.matched
    assert np.all(s.in_cohort[s.clients] == CLIENT) and np.all(s.in_cohort[s.matched] == MATCHED)
    assert np.unique(s.clients).size == s.clients.size == 3
    assert isinstance(services(m), Services)


@settings(max_examples=300, deadline=None)
@given(pool=st.integers(1, 25), clients=st.integers(1, 30), seed=st.integers(0, 2**32 - 1))
def test_the_compiled_matching_equals_the_readable_rule(pool, clients, seed):
    # enrol_clients matches only when the pool holds somebody
    rng = np.random.default_rng(seed)
    # hazards on a coarse grid, so that ties (the first smallest gap wins) happen
    people = (rng.integers(0, 5, pool) / 4.0, rng.random(pool) < 0.4, rng.integers(0, 4, pool))
    new = (rng.integers(0, 5, clients) / 4.0, rng.random(clients) < 0.4, rng.integers(0, 4, clients))
    a, b = match_comparisons(*people, *new), match_comparisons_fast(*people, *new)
    assert a.dtype == b.dtype and np.array_equal(a, b)
    assert a.size == min(pool, clients) and np.unique(a).size == a.size


def test_matching_prefers_crisis_status_then_history_then_nearest_hazard():
    h = np.array([0.50, 0.11, 0.10, 0.12])
    crisis = np.array([True, False, False, False])
    past = np.array([0, 2, 0, 0])
    # a client in crisis gets the person in crisis despite the far hazard; then the same history beats the nearer hazard
    got = match_comparisons(h, crisis, past, np.array([0.1, 0.1]), np.array([True, False]), np.array([0, 0]))
    assert got.tolist() == [0, 2]
    assert match_comparisons_fast(h, crisis, past, np.array([0.1, 0.1]), np.array([True, False]), np.array([0, 0])).tolist() == [0, 2]


def test_the_compiled_cohort_sums_equal_the_readable_rule():
    from types import SimpleNamespace

    from anomie.model.referral import _cohort, _cohort_fast

    rng = np.random.default_rng(3)
    n = 2000
    cs = SimpleNamespace(state=rng.integers(0, 5, size=n).astype(np.int8),
                         crisis_left=np.where(rng.random(n) < 0.3, rng.integers(1, 5, size=n), 0),
                         crises=rng.integers(0, 9, size=n))
    a = Services(n)
    a.cohort_since[:] = rng.integers(0, 80, size=n)
    a.crises_at_entry[:] = np.minimum(rng.integers(0, 9, size=n), cs.crises)
    a.recovered_at[:] = np.where(rng.random(n) < 0.3, a.cohort_since + rng.integers(0, 20, size=n), -1)
    b = Services(n)
    for name in ("cohort_since", "crises_at_entry", "recovered_at"):
        getattr(b, name)[:] = getattr(a, name)
    rows = rng.permutation(n)[:1200]
    for step in (100, 101):
        got_a, got_b = _cohort(a, cs, rows, step), _cohort_fast(b, cs, rows, step)
        assert got_a == got_b and all(type(x) is float for x in got_b)
        np.testing.assert_array_equal(a.recovered_at, b.recovered_at)
        cs.state = rng.integers(0, 5, size=n).astype(np.int8)
    assert min(got_a) > 0
    assert _cohort_fast(b, cs, rows[:0], 5) == _cohort(a, cs, rows[:0], 5) == (0.0, 0.0, 0.0, 0.0)


def test_the_compiled_enrolment_equals_the_readable_rule():
    from anomie.model.referral import enrol_clients_fast

    models = [build_model("baseline", seed=11, n_citizens=300, social_workers_per_1000=5.0) for _ in range(2)]
    rng = np.random.default_rng(4)
    for m in models:
        m.citizens.case_worker[:] = NO_WORKER
        m.citizens.waiting_since[:] = NOT_WAITING
    batches = []
    for week in range(30):  # batches from one patch, some people coming back, some waiting
        patch = np.sort(rng.choice(300, size=60, replace=False))
        waiting = rng.choice(300, size=10, replace=False)
        batches.append((week, rng.choice(patch, size=rng.integers(0, 9), replace=False), patch, waiting))
    for m, enrol in zip(models, (enrol_clients, enrol_clients_fast)):
        cs = m.citizens
        for week, rows, patch, waiting in batches:
            m.steps = week
            cs.crisis_left[:] = (np.arange(300) * (week + 1)) % 7 == 0
            cs.waiting_since[:] = NOT_WAITING
            cs.waiting_since[waiting] = week
            enrol(m, rows, patch)
            cs.case_worker[rows] = 0
            cs.case_worker[(np.arange(300) + week) % 5 == 0] = NO_WORKER  # some cases end
    a, b = services(models[0]), services(models[1])
    for name, _, _ in Services.PER_CITIZEN:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    np.testing.assert_array_equal(a.clients, b.clients)
    np.testing.assert_array_equal(a.matched, b.matched)
    np.testing.assert_array_equal(a.matched_log.rows, b.matched_log.rows)
    assert a.clients.size > 50 and a.matched.size > 10


def test_the_compiled_counts_over_everybody_equal_the_readable_rule():
    from types import SimpleNamespace

    from anomie.model.referral import citizen_counts, citizen_counts_fast

    rng = np.random.default_rng(8)
    n = 5000
    cs = SimpleNamespace(n=n, case_worker=np.where(rng.random(n) < 0.1, 3, NO_WORKER), hazard=rng.random(n) * 0.02,
                         crisis_left=np.where(rng.random(n) < 0.05, 2, 0),
                         waiting_since=np.where(rng.random(n) < 0.05, 4, NOT_WAITING),
                         state=rng.integers(0, 5, size=n).astype(np.int8), employed=rng.random(n) < 0.8)
    claiming = rng.random(n - 7) < 0.2  # newcomers not yet in the service's arrays
    member_of = np.where(rng.random(n) < 0.3, rng.integers(0, 40, size=n), -1)
    for service in (True, False):
        for hr in (0.005, 0.015):
            a = citizen_counts(cs, claiming, member_of >= 0, hr, service)
            assert np.array_equal(a, citizen_counts_fast(cs, claiming, member_of, hr, service))
            assert a.min() > 0
            b = citizen_counts(cs, claiming, None, hr, service)
            assert np.array_equal(b, citizen_counts_fast(cs, claiming, None, hr, service))
            assert b[2] == b[3] == 0 and b[4] == n


def test_the_compiled_take_of_screening_flags_equals_the_readable_rule():
    from anomie.model.referral import flagged_in, flagged_in_fast

    rng = np.random.default_rng(12)
    a, b = Services(10), Services(10)
    for s in (a, b):
        r = np.random.default_rng(1)
        s.set_flags(r.choice(5000, size=300, replace=False), r.random(300), r.integers(0, 40, size=300))
    for _ in range(200):  # the same neighbourhood asked again, empty ones, more than it has
        patch, k = int(rng.integers(-2, 42)), int(rng.integers(-1, 6))
        x, y = flagged_in(a, patch, k), flagged_in_fast(b, patch, k)
        assert x.dtype == y.dtype and np.array_equal(x, y)
    np.testing.assert_array_equal(a.flag_taken, b.flag_taken)
    assert 0 < a.flag_taken.sum() < a.flag_taken.size


@settings(max_examples=200, deadline=None)
@given(groups=st.lists(st.tuples(st.booleans(), st.integers(-1, 4)), max_size=40), post=st.integers(-1, 4))
def test_the_fast_own_groups_equal_the_readable_rule(groups, post):
    from anomie.agents.social_worker import founded_by, founded_by_fast

    alive = np.array([a for a, _ in groups], dtype=bool)
    founder = np.array([f for _, f in groups], dtype=np.int32)
    assert np.array_equal(founded_by_fast(alive, founder, post), founded_by(alive, founder, post))

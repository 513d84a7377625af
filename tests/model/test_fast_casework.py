"""The compiled pass over a caseload's contacts equals the readable array rules, bit for bit."""

from types import SimpleNamespace

import numpy as np
import pytest

from anomie.agents.practice import (
    PHASE_EFFECT,
    Cases,
    Technique,
    casework_constants,
    casework_contacts,
    casework_contacts_fast,
    contact_effects,
    contact_effects_fast,
    contract,
    contract_fast,
    endings,
    endings_fast,
)
from anomie.model.parameters import Parameters


def two_copies(arrays: dict) -> tuple[SimpleNamespace, SimpleNamespace]:
    """Two citizen stand-ins with their own copies of the arrays: one for each rule."""
    return tuple(SimpleNamespace(**{name: v.copy() for name, v in arrays.items()}) for _ in range(2))


def assert_same(names, a, b) -> None:
    """Two rules' outputs (sequences aligned with `names`, or objects with those attributes) are equal, dtypes too."""
    for i, name in enumerate(names):
        x, y = (a[i], b[i]) if isinstance(a, (tuple, list)) else (getattr(a, name), getattr(b, name))
        assert x.dtype == y.dtype, name
        np.testing.assert_array_equal(x, y, err_msg=name)


@pytest.mark.parametrize("seed", range(6))
def test_compiled_contacts_equal_the_readable_rule(seed):
    rng = np.random.default_rng(seed)
    n, k = 600, 150
    p = Parameters(persuasion_effect=0.2, environment_tie=0.6, advocacy_success=0.7, task_progress=0.8)
    rows = rng.choice(n, size=k, replace=False)
    case = dict(
        kept=rng.random(k) < 0.9, in_crisis=rng.random(k) < 0.4,
        technique=rng.integers(0, len(Technique), size=k).astype(np.int8), unemployed=rng.random(k) < 0.5,
        target=np.where(rng.random(k) < 0.2, -1, rng.integers(0, n, size=k)), chance=rng.random(k),
        progress_draw=rng.random(k), tasks=np.full(k, 3),
    )
    citizens = dict(
        trust=rng.random(n), goal_fit=rng.random(n), phase=rng.choice(np.array([0, 1, 2, 2, 2, 3], dtype=np.int8), size=n),
        crisis_left=rng.integers(0, 7, size=n), regulation=rng.random(n), integration=rng.random(n),
        capacity=rng.random(n),
    )
    done = rng.integers(0, 4, size=k)
    a = {name: v.copy() for name, v in citizens.items()}
    b = {name: v.copy() for name, v in citizens.items()}
    done_a, done_b = done.copy(), done.copy()
    args = dict(eff=0.8, mid_i=0.55, mid_r=0.55, p=p)
    tie_a, job_a = contact_effects(rows, case["kept"], case["in_crisis"], case["technique"], case["unemployed"],
                                   case["target"], case["chance"], case["progress_draw"], done_a, case["tasks"], **a, **args)
    tie_b, job_b = contact_effects_fast(rows, case["kept"], case["in_crisis"], case["technique"], case["unemployed"],
                                        case["target"], case["chance"], case["progress_draw"], done_b, case["tasks"], **b, **args)
    np.testing.assert_array_equal(tie_a, tie_b)
    np.testing.assert_array_equal(job_a, job_b)
    np.testing.assert_array_equal(done_a, done_b)
    for name in citizens:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)
    assert not np.array_equal(a["trust"], citizens["trust"]), "the contacts changed something"
    assert tie_a.any() and job_a.any() and (done_a > done).any()


@pytest.mark.parametrize("seed", range(4))
def test_compiled_relationships_equal_the_readable_rule(seed):
    from anomie.agents.practice import relationships_and_streaks, relationships_and_streaks_fast

    rng = np.random.default_rng(seed)
    n, k = 300, 80
    rows = rng.choice(n, size=k, replace=False)
    trust = rng.random(n)
    state, crisis_left = rng.integers(0, 5, size=n).astype(np.int8), np.where(rng.random(n) < 0.3, 2, 0)
    start = dict(phase=rng.integers(0, 4, size=n).astype(np.int8), conflict_streak=rng.integers(0, 5, size=n),
                 healthy_streak=rng.integers(0, 5, size=n))
    a = {name: v.copy() for name, v in start.items()}
    b = {name: v.copy() for name, v in start.items()}
    relationships_and_streaks(rows, trust, a["phase"], state, crisis_left, 0, a["conflict_streak"], a["healthy_streak"], 0.6,
                              0.15)
    relationships_and_streaks_fast(rows, trust, b["phase"], state, crisis_left, 0, b["conflict_streak"], b["healthy_streak"],
                                   0.6, 0.15)
    for name in start:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)
    assert not np.array_equal(a["phase"], start["phase"])
    assert (a["healthy_streak"][rows] == 0).any() and (a["healthy_streak"][rows] > start["healthy_streak"][rows]).any()


@pytest.mark.parametrize("seed", range(6))
def test_compiled_plan_of_contacts_equals_the_readable_rule(seed):
    from anomie.agents.practice import plan_contacts, plan_contacts_fast

    rng = np.random.default_rng(seed)
    k = 120
    p = Parameters(crisis_hours=2.5, casework_hours=1.0, environment_hours=1.5, advocacy_hours=3.0, cooperation_trust=0.6)
    in_crisis = rng.random(k) < 0.3
    order = np.lexsort((rng.random(k), ~in_crisis))
    args = (order, in_crisis, rng.random(k) < 0.5, rng.random(k) < 0.3, rng.random(k), rng.random(k), rng.random(k))
    total = float(plan_contacts(*args, 1e9, p)[2].sum())
    for available in (0.0, 0.5 * total, total, 1e9):  # none, some, exactly all, all kept
        a, b = plan_contacts(*args, available, p), plan_contacts_fast(*args, available, p)
        assert_same(("technique", "target kind", "hours needed", "kept"), a, b)
        assert len(np.unique(a[0])) == len(Technique)
    assert 0 < plan_contacts(*args, 0.5 * total, p)[3].sum() < k


@pytest.mark.parametrize("seed", range(6))
def test_compiled_week_of_contacts_equals_the_readable_rule(seed):
    rng = np.random.default_rng(seed)
    n, k = 500, 60
    p = Parameters(persuasion_effect=0.2, environment_tie=1.0, advocacy_success=0.4, task_progress=0.8,
                   benefit_advocacy_success=0.9, crisis_hours=2.5, environment_hours=1.5, advocacy_hours=3.0)
    rows = rng.choice(n, size=k, replace=False)
    citizens = dict(
        crisis_left=np.where(rng.random(n) < 0.3, rng.integers(1, 7, size=n), 0), employed=rng.random(n) < 0.5,
        state=rng.choice(np.array([0, 1, 1, 2, 3], dtype=np.int8), size=n), trust=rng.random(n), goal_fit=rng.random(n),
        phase=rng.choice(np.array([0, 1, 2, 2, 2, 3], dtype=np.int8), size=n), regulation=rng.random(n),
        integration=rng.random(n), capacity=rng.random(n),
    )
    cases = dict(rows=rows, opened=np.zeros(k, dtype=np.int64), tasks=np.full(k, 3), done=rng.integers(0, 4, size=k),
                 want=rng.random(k), offer=0.5 + 0.5 * rng.random(k), technique=np.zeros(k, dtype=np.int8),
                 target=np.where(rng.random(k) < 0.2, -1, rng.integers(0, n, size=k)),
                 target_kind=np.zeros(k, dtype=np.int8), referred=np.ones(k, dtype=bool))
    claiming = rng.random(n) < 0.3
    draws = rng.random(3 * k)
    draws[:10] = draws[10:20]  # equal order draws: the tie goes to the earlier case, as np.lexsort does
    consts = casework_constants(p, 0.55, 0.5)
    need_all = 2.0 * k
    for available in (0.0, 0.4 * need_all, 1e9):  # none, some, all contacts kept
        cs, cl = two_copies(citizens), [Cases(**vars(x)) for x in two_copies(cases)]
        out = [rule(rows, draws, available, 0.8, c, x, claiming, 1, consts, p)
               for rule, c, x in zip((casework_contacts, casework_contacts_fast), cl, cs)]
        assert_same(("need", "kept", "tie", "job", "benefit", "counts"), *out)
        assert_same(list(citizens), *cs)
        assert_same(("technique", "target_kind", "done"), *cl)
        if available == 1e9:
            assert out[0][5].tolist()[0] == k and out[0][5][2:].min() > 0, "ties, jobs and benefits all happen"
        if available == 0.0:
            assert out[0][5][0] == 0


@pytest.mark.parametrize("seed", range(4))
def test_compiled_contract_equals_the_readable_rule(seed):
    rng = np.random.default_rng(seed)
    n, k = 400, 90
    p = Parameters(initial_trust=0.4, negotiation=0.3, cooperation_trust=0.35)
    rows = rng.choice(n, size=k, replace=False)
    start = dict(employed=rng.random(n) < 0.5, state=rng.integers(0, 5, size=n).astype(np.int8),
                 case_worker=np.full(n, -1), waiting_since=rng.integers(-1, 5, size=n), trust=rng.random(n),
                 phase=rng.integers(0, 4, size=n).astype(np.int8), goal_fit=rng.random(n),
                 healthy_streak=rng.integers(0, 5, size=n), conflict_streak=rng.integers(0, 5, size=n))
    noise = 2.5 * rng.standard_normal(k)  # some wants clipped at 0 and 1
    for offer in (0.2, 0.5, 0.9):
        a, b = two_copies(start)
        out_a, out_b = contract(rows, noise, offer, 7, a, 1, p), contract_fast(rows, noise, offer, 7, b, 1, p)
        assert_same(("want", "offer", "technique", "kind"), out_a, out_b)
        assert_same(list(start), a, b)
        assert np.all(a.case_worker[rows] == 7) and len(np.unique(out_a[2])) == (3 if offer >= 0.5 else 2)
    assert (out_a[0] == 0.0).any() and (out_a[0] == 1.0).any()


@pytest.mark.parametrize("seed", range(4))
def test_compiled_endings_equal_the_readable_rule(seed):
    rng, n, k = np.random.default_rng(seed), 400, 120
    p = Parameters(dropout_rate=0.4, task_weeks=12, coproduction_rate=0.3)
    tasks = rng.integers(0, 4, size=k)  # 0 tasks: the review's share divides by at least 1
    c = dict(rows=rng.choice(n, size=k, replace=False), opened=rng.integers(0, 20, size=k), tasks=tasks,
             done=rng.integers(0, 5, size=k),
             want=rng.random(k), offer=rng.random(k), technique=np.zeros(k, dtype=np.int8), target=np.full(k, -1),
             target_kind=np.zeros(k, dtype=np.int8), referred=np.ones(k, dtype=bool))
    start = dict(crisis_left=np.where(rng.random(n) < 0.3, 2, 0), phase=rng.integers(0, 4, size=n).astype(np.int8),
                 capacity=rng.random(n), case_worker=np.full(n, 3))
    draws = rng.random(k)
    a, b = two_copies(start)
    rows = c["rows"]
    out_a = endings(Cases(**c), 25, draws, a, p)
    out_b = endings_fast(Cases(**c), 25, draws, b, p)
    assert_same(("end", "drop", "counts"), out_a, out_b)
    assert_same(list(start), a, b)
    assert out_a[2][:3].min() > 0 and not (out_a[0] & out_a[1]).any()
    assert (a.case_worker == 3).any() and (a.case_worker == -1).any()


@pytest.mark.parametrize("seed", range(4))
def test_compiled_week_with_its_relationships_equals_the_readable_rule(seed):
    from anomie.agents.practice import casework_week, casework_week_fast

    rng = np.random.default_rng(seed)
    n, k = 400, 50
    p = Parameters(persuasion_effect=0.2, environment_tie=1.0, advocacy_success=0.4, task_progress=0.8,
                   crisis_resolution=1.0, cooperation_trust=0.5, conflict_trust=0.3)
    rows = rng.choice(n, size=k, replace=False)
    citizens = dict(
        crisis_left=np.where(rng.random(n) < 0.4, rng.integers(1, 4, size=n), 0), employed=rng.random(n) < 0.5,
        state=rng.choice(np.array([0, 1, 1, 2, 3], dtype=np.int8), size=n), trust=rng.random(n), goal_fit=rng.random(n),
        phase=rng.choice(np.array([0, 1, 2, 2, 2, 3], dtype=np.int8), size=n), regulation=rng.random(n),
        integration=rng.random(n), capacity=rng.random(n), conflict_streak=rng.integers(0, 5, size=n),
        healthy_streak=rng.integers(0, 5, size=n),
    )
    cases = dict(rows=rows, opened=np.zeros(k, dtype=np.int64), tasks=np.full(k, 3), done=rng.integers(0, 4, size=k),
                 want=rng.random(k), offer=rng.random(k), technique=np.zeros(k, dtype=np.int8),
                 target=rng.integers(-1, n, size=k), target_kind=np.zeros(k, dtype=np.int8),
                 referred=np.ones(k, dtype=bool))
    claiming = rng.random(n) < 0.3
    draws = rng.random(3 * k)
    consts = casework_constants(p, 0.55, 0.5)
    for available in (0.0, 30.0, 1e9):
        cs, cl = two_copies(citizens), [Cases(**vars(x)) for x in two_copies(cases)]
        out = [rule(rows, draws, available, 0.9, c, x, claiming, 1, consts, p, 0)
               for rule, c, x in zip((casework_week, casework_week_fast), cl, cs)]
        assert_same(("need", "kept", "tie", "job", "benefit", "counts"), out[0][:6], out[1][:6])
        assert out[0][6] == out[1][6] and isinstance(out[1][6], int)
        assert_same(list(citizens), *cs)
        assert_same(("technique", "target_kind", "done"), *cl)
        assert 0 < out[0][6] < k and (cs[0].conflict_streak[rows] > 0).any() and (cs[0].healthy_streak[rows] > 0).any()


@pytest.mark.parametrize("seed", range(4))
def test_compiled_contract_and_new_cases_equal_the_readable_rule(seed):
    from anomie.agents.practice import CASE_FIELDS, contract_and_open, contract_and_open_fast

    rng = np.random.default_rng(seed)
    n = 300
    start = dict(employed=rng.random(n) < 0.5, state=rng.integers(0, 5, size=n).astype(np.int8),
                 case_worker=np.full(n, -1), waiting_since=rng.integers(-1, 5, size=n), trust=rng.random(n),
                 phase=rng.integers(0, 4, size=n).astype(np.int8), goal_fit=rng.random(n),
                 healthy_streak=rng.integers(0, 5, size=n), conflict_streak=rng.integers(0, 5, size=n))
    a, b = two_copies(start)
    ca, cb = Cases(), Cases()
    p = Parameters(initial_trust=0.4, negotiation=0.3, cooperation_trust=0.35, tasks_agreed=4)
    free = rng.permutation(n)
    for week, (k, offer) in enumerate(((3, 0.2), (0, 0.9), (6, 0.9), (2, 0.5))):  # from an empty caseload; a batch of none
        rows, free = free[:k], free[k:]
        noise = 2.5 * rng.standard_normal(k)
        target = rng.integers(-1, n, size=k).astype(np.int32 if seed % 2 else np.int64)
        before, after = (rows, noise, offer, 7), (1, p, 10 + week, target, bool(week % 2))
        contract_and_open(ca, *before, a, *after)
        contract_and_open_fast(cb, *before, b, *after)
        assert_same(CASE_FIELDS, ca, cb)
        assert_same(list(start), a, b)
    assert len(ca) == 11 and ca.referred.any() and not ca.referred.all() and (ca.opened == 12).sum() == 6
    assert (ca.tasks == 4).all() and (ca.done == 0).all() and len(np.unique(ca.technique)) >= 3

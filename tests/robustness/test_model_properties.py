"""Property-based tests: any valid parameter set, any population in range, any sequence of shocks.

After every week the model must keep every state in its range, hold no NaN or infinity,
lose no citizen (only migration adds, exactly as many as its shocks promise), keep a
well-formed network, and report every metric in its range. Example counts are kept modest
so that the file runs in well under a minute on two cores.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anomie.model.metrics import METRICS, POSITION_METRICS, STATE_SHARES, empty_positions
from anomie.model.model import AnomieModel
from anomie.model.parameters import PARAMETER_BY_NAME, Parameters
from anomie.model.typology import DurkheimState
from anomie.scenarios.schema import Scenario
from anomie.scenarios.shocks import Migration

from .strategies import parameter_sets, shocks

UNIT_STATES = ("integration", "regulation", "beliefs", "capacity", "interdependence", "likeness", "hazard",
               "trust", "goal_fit")
# metrics documented as shares or indices on [0, 1]
UNIT_METRICS = tuple(name for name, meaning in METRICS.items() if "(0-1)" in meaning) + ("mean_hazard",)
# metrics that count citizens: whole numbers from 0 to the population
HEAD_COUNTS = ("in_crisis", "open_cases", "waiting_list", "missed_high_risk", "crises", "missed_referrals")


def expected_population(model: AnomieModel, step: int) -> int:
    """Initial citizens plus every newcomer the scenario's migration shocks have brought by `step`."""
    n0 = model.n_initial
    return n0 + sum(s.arrivals_until(step, n0) for s in model.spec.shocks if isinstance(s, Migration))


def check_invariants(m: AnomieModel, step: int, crises_before: int) -> None:
    cs, p, net = m.citizens, m.params, m.network
    n = cs.n
    assert n == expected_population(m, step), f"week {step}: {n} citizens, expected {expected_population(m, step)}"
    for name, arr in cs.arrays().items():
        assert arr.shape[0] == n, f"{name} has {arr.shape[0]} rows for {n} citizens"
        if arr.dtype.kind == "f":
            assert np.isfinite(arr).all(), f"week {step}: {name} holds NaN or infinity"
    for name in UNIT_STATES:
        arr = getattr(cs, name)
        assert arr.min(initial=0.0) >= 0.0 and arr.max(initial=0.0) <= 1.0, (
            f"week {step}: {name} outside [0, 1]: {arr.min():.6g} .. {arr.max():.6g}")
    assert (cs.means >= 0).all() and (cs.expectations >= 0).all(), f"week {step}: negative means or expectations"
    assert ((cs.crisis_left >= 0) & (cs.crisis_left <= p.crisis_duration)).all()
    assert (cs.crises >= 0).all()
    assert np.isin(cs.state, [int(s) for s in DurkheimState]).all()
    assert ((cs.role >= 0) & (cs.role < m.role_wage_table.size)).all()
    w = len(m.social_workers)
    assert ((cs.case_worker >= -1) & (cs.case_worker < max(w, 1))).all()
    assert (cs.waiting_since <= step).all()
    # the network: canonical ties between existing citizens, each once
    assert net.n == n
    assert (net.u < net.v).all() and (net.v < n).all() and (net.u >= 0).all()
    keys = net.u * n + net.v
    assert np.unique(keys).size == keys.size, "duplicate ties"
    assert net.draw.shape == net.u.shape
    # social workers: burnout in range; each client's case is open with that worker
    for worker in m.social_workers:
        assert 0.0 <= worker.burnout <= 1.0
        assert np.unique(worker.clients).size == worker.clients.size
        assert (cs.case_worker[worker.clients] == worker.index).all()
    # metrics of the week
    row = m.metrics
    assert set(row) == set(METRICS)
    empty = empty_positions(cs.sector, cs.employed)  # a position nobody holds has no mean, no rate
    for name, value in row.items():
        assert np.isnan(value) if name in empty else np.isfinite(value), f"week {step}: metric {name} = {value}"
    for name in UNIT_METRICS:
        assert name in empty or 0.0 <= row[name] <= 1.0, f"week {step}: {name} = {row[name]} outside [0, 1]"
    for name in HEAD_COUNTS:
        assert 0 <= row[name] <= n and float(row[name]).is_integer(), f"week {step}: {name} = {row[name]}"
    assert abs(sum(row[s] for s in STATE_SHARES) - 1.0) < 1e-9 if n else True
    assert row["n_citizens"] == n
    assert row["n_ties"] == int(np.count_nonzero(net.active))
    assert row["crises_total"] >= crises_before


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(params=parameter_sets(), data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_any_parameters_any_shocks_keep_every_state_in_range(params, data, seed):
    steps = data.draw(st.integers(1, 8), label="steps")
    timeline = data.draw(st.lists(shocks(steps), max_size=4), label="shocks")
    scenario = Scenario(title="hypothesis", parameters=Parameters(**params), shocks=timeline, steps=steps)
    agents = params["n_citizens"] <= 200  # the Citizen views too, where they are cheap
    m = AnomieModel(scenario, seed=seed, create_agents=agents)
    check_invariants(m, 0, 0)
    for step in range(1, steps + 1):
        before = m.crises_total
        m.step()
        check_invariants(m, step, before)
        if agents:
            assert len(m.citizen_agents) == m.citizens.n
    df = m.dataframe()
    assert len(df) == steps + 1
    assert np.isfinite(df.drop(columns=list(POSITION_METRICS)).to_numpy(dtype=np.float64)).all()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=parameter_sets(), seed=st.integers(0, 2**32 - 1), magnitude=st.floats(0.0, 2.0))
def test_migration_adds_exactly_the_promised_newcomers(params, seed, magnitude):
    """The one rule by which the population changes: a migration shock adds magnitude x n0 people over its span."""
    params = {**params, "n_citizens": min(params["n_citizens"], 300)}
    shock = Migration(start=2, ramp=2, duration=3, magnitude=magnitude)
    scenario = Scenario(title="migration", parameters=Parameters(**params), shocks=[shock], steps=10)
    m = AnomieModel(scenario, seed=seed, create_agents=False)
    m.run_for(10)
    n0 = params["n_citizens"]
    assert m.citizens.n == n0 + int(round(magnitude * n0))
    assert int(m.citizens.newcomer.sum()) == int(round(magnitude * n0))
    assert not m.citizens.newcomer[:n0].any(), "a founding citizen was replaced"


def test_table_lower_bound_of_population_is_the_smallest_tested():
    """Issue 6 asks for populations from 1; the parameter table starts at 10, and the table is what is tested.

    If the table is widened to 1, the strategies follow it automatically; this test then
    fails to remind us to drop the note in the report to the lead.
    """
    assert PARAMETER_BY_NAME["n_citizens"].low == 10

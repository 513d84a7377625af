"""Citizen agents are views of one row of the model's arrays."""

import numpy as np
import pytest

from anomie.agents.citizen import Citizen
from anomie.agents.social_worker import SocialWorker
from anomie.model.typology import DurkheimState
from anomie.scenarios.loading import build_model


@pytest.fixture(scope="module")
def model():
    m = build_model("baseline", seed=3, n_citizens=50, social_workers_per_1000=40.0)  # 2 posts
    m.run_for(3)
    return m


def test_every_row_has_one_citizen_agent(model):
    assert len(model.citizen_agents) == model.citizens.n == 50
    assert [c.row for c in model.citizen_agents] == list(range(50))
    assert len(model.agents_by_type[Citizen]) == 50
    assert len(model.agents_by_type[SocialWorker]) == 2
    assert len(model.agents) == 52


def test_citizen_reads_its_row(model):
    cs = model.citizens
    c = model.citizen_agents[7]
    assert c.integration == cs.integration[7] and isinstance(c.integration, float)
    assert c.regulation == cs.regulation[7]
    assert np.array_equal(c.beliefs, cs.beliefs[7])
    assert c.role == cs.role[7] and c.employed == bool(cs.employed[7])
    assert c.sector == cs.sector[7] and c.sector_name in ("agriculture", "industry", "trade", "liberal_professions")
    assert c.means == cs.means[7] and c.expectations == cs.expectations[7]
    assert c.hazard == cs.hazard[7] and c.crises == cs.crises[7] and c.case_worker == cs.case_worker[7]
    assert c.durkheim_state == DurkheimState(int(cs.state[7]))
    assert c.state_name in {"healthy", "egoism", "altruism", "anomie", "fatalism"}
    assert c.in_crisis == bool(cs.crisis_left[7] > 0)
    adj = model.network.adjacency
    assert sorted(c.ties) == sorted(adj.indices[adj.indptr[7] : adj.indptr[8]].tolist())
    assert "Citizen(row=7" in repr(c)


def test_citizen_writes_its_row_and_only_its_row():
    m = build_model("baseline", seed=3, n_citizens=50, social_workers_per_1000=0.0)
    cs = m.citizens
    before = cs.integration.copy()
    c = m.citizen_agents[4]
    c.integration = 0.123
    c.trust = 0.9
    c.beliefs = np.full(cs.beliefs.shape[1], 0.25)
    assert cs.integration[4] == 0.123 and cs.trust[4] == 0.9
    assert np.all(cs.beliefs[4] == 0.25)
    others = np.arange(50) != 4
    assert np.array_equal(cs.integration[others], before[others])


def test_citizen_view_follows_the_arrays_after_a_step():
    m = build_model("baseline", seed=3, n_citizens=50, social_workers_per_1000=0.0)
    c = m.citizen_agents[9]
    m.step()
    assert c.integration == m.citizens.integration[9]
    assert c.regulation == m.citizens.regulation[9]


def test_newcomers_get_citizen_agents():
    m = build_model("migration", seed=2, n_citizens=60, social_workers_per_1000=1000 / 60)  # 1 post
    spec = next(s for s in m.spec.shocks if s.kind == "migration")
    m.run_for(spec.start + spec.duration)
    n = m.citizens.n
    assert n == 60 + round(spec.magnitude * 60)
    assert len(m.citizen_agents) == n and m.citizen_agents[-1].row == n - 1
    assert m.citizen_agents[-1].integration == m.citizens.integration[-1]
    assert np.all(m.citizens.newcomer[60:]) and not np.any(m.citizens.newcomer[:60])


def test_model_without_citizen_agents():
    m = build_model("baseline", seed=3, n_citizens=50, create_agents=False)
    assert m.citizen_agents == [] and Citizen not in m.agents_by_type


def test_mesa_agent_reporters_read_citizens():
    import mesa

    m = build_model("baseline", seed=1, n_citizens=50, social_workers_per_1000=40.0)  # 2 posts
    dc = mesa.DataCollector(agenttype_reporters={Citizen: {"integration": "integration", "state": "state_name"}})
    dc.collect(m)
    m.step()
    dc.collect(m)
    df = dc.get_agenttype_vars_dataframe(Citizen)
    assert len(df) == 100
    last = df.xs(df.index.get_level_values(0).max(), level=0)
    assert np.allclose(last["integration"].to_numpy(), m.citizens.integration)
    assert set(last["state"]) <= {"healthy", "egoism", "altruism", "anomie", "fatalism"}

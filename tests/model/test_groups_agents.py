"""Occupational groups as Mesa agents: created when founded, removed when dissolved."""

import mesa
import numpy as np

from anomie.agents.groups import OccupationalGroup, sync_group_agents
from anomie.model.groups import OccupationalGroups, dissolve


class Society(mesa.Model):
    def __init__(self, n):
        super().__init__(rng=0)
        self.groups = OccupationalGroups.empty(n)


def ids(model):
    return sorted(a.group_id for a in model.agents_by_type.get(OccupationalGroup, []))


def test_agents_follow_founding_and_dissolution():
    m = Society(20)
    sync_group_agents(m)
    assert ids(m) == []
    a = m.groups.found(1, np.arange(5), step=0, founder=3)
    b = m.groups.found(2, np.arange(5, 7), step=0)
    sync_group_agents(m)
    assert ids(m) == [a, b]
    agent = next(x for x in m.agents_by_type[OccupationalGroup] if x.group_id == a)
    assert (agent.sector, agent.founder, agent.members, agent.alive) == (1, 3, 5, True)
    assert agent.strength == m.groups.strength[a] and agent.member_rows().tolist() == [0, 1, 2, 3, 4]
    dissolve(m.groups, min_size=3, min_strength=0.1)  # b is too small
    c = m.groups.found(0, np.arange(10, 14), step=1)
    sync_group_agents(m)
    assert ids(m) == [a, c]
    assert b not in [x.group_id for x in m.agents]  # removed from the model, not only the type's set
    sync_group_agents(m)  # a second sync changes nothing
    assert ids(m) == [a, c] and len(m.agents) == 2


def test_member_counts_are_brought_up_to_date_by_the_sync():
    m = Society(10)
    g = m.groups.found(0, np.arange(3), step=0)
    sync_group_agents(m)
    m.groups.join(g, np.array([7, 8]))
    sync_group_agents(m)
    (agent,) = m.agents_by_type[OccupationalGroup]
    assert agent.members == 5

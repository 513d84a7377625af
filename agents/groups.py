"""Occupational groups as Mesa agents: one view per live group of `model.groups`.

The groups' life (founding, recruitment, withering, dissolution) runs on whole arrays in
`model.groups.week` (model/groups.py); these agents exist so that Mesa's tools, the
dashboard and a student browsing `model.agents_by_type[OccupationalGroup]` see each group
as an agent. `sync_group_agents(model)`, called once a week after the groups' week, makes
an agent for every newly founded group and removes the agents of dissolved ones.
"""

from __future__ import annotations

import mesa
import numpy as np


def _group_column(name: str, doc: str) -> property:
    def get(self):
        return getattr(self.model.groups, name)[self.group_id].item()

    return property(get, doc=doc)


class OccupationalGroup(mesa.Agent):
    """One occupational group: a view of its row in `model.groups`."""

    sector = _group_column("sector", "Line of work: a sector code (model/sectors.py), or -1 if open to all.")
    strength = _group_column("strength", "How far the group holds together and its norms bind, 0 to 1.")
    founded = _group_column("founded", "Step the group was founded.")
    founder = _group_column("founder", "Index of the social worker who founded it, or -1 if it formed of itself.")
    alive = _group_column("alive", "Whether the group still exists.")
    last_support = _group_column("last_support", "Last step a social worker supported it, or -1.")

    def __init__(self, model, group_id: int):
        super().__init__(model)
        self.group_id = int(group_id)
        # members at the last sync: counting them afresh costs a pass over every citizen
        self.members = 0

    def member_rows(self) -> np.ndarray:
        """The citizen rows that belong to the group now."""
        return self.model.groups.members(self.group_id)

    def step(self) -> None:
        """Nothing: the groups' week runs for all groups at once in `model.groups.week`."""


def sync_group_agents(model) -> None:
    """Make the agent set match `model.groups`: an agent for each live group without one (in
    id order), none for dissolved groups, and each agent's `members` count brought up to date."""
    groups = model.groups
    existing = model.agents_by_type.get(OccupationalGroup)
    known = {} if existing is None else {a.group_id: a for a in existing}
    alive = groups.alive
    for gid in sorted(known):
        if not alive[gid]:
            known.pop(gid).remove()
    for gid in np.flatnonzero(alive):
        if int(gid) not in known:
            known[int(gid)] = OccupationalGroup(model, int(gid))
    sizes = groups.sizes()
    for gid, agent in known.items():
        agent.members = int(sizes[gid])

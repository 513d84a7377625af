"""Citizens: Mesa agents whose state lives in the model's numpy arrays.

A `Citizen` is a view of one row of `model.citizens`. Reading `citizen.integration`
reads the array; assigning to it writes the array. The model updates all citizens at
once with whole-array operations; the agents exist so that Mesa's tools and a student
poking at `model.agents` see ordinary agents.

Above `model.model.CITIZEN_AGENTS_UP_TO` citizens (100,000) the model makes no `Citizen`
agents unless asked (`create_agents=True`): at a million they would take longer to build
than the rest of the model and add about 220 bytes each, and the arrays hold everything.
"""

from __future__ import annotations

import mesa

from anomie.model.sectors import SECTOR_NAMES
from anomie.model.typology import STATE_NAMES, DurkheimState


def _row_attribute(name: str, doc: str) -> property:
    def get(self):
        value = getattr(self.model.citizens, name)[self.row]
        return value.item() if hasattr(value, "item") and value.ndim == 0 else value

    def set(self, value):
        getattr(self.model.citizens, name)[self.row] = value

    return property(get, set, doc=doc)


class Citizen(mesa.Agent):
    """One member of society: a row of the citizen state arrays."""

    integration = _row_attribute("integration", "Attachment to groups, 0 to 1.")
    regulation = _row_attribute("regulation", "Norm adherence: how far shared norms bound desires, 0 to 1.")
    beliefs = _row_attribute("beliefs", "Position in belief space (the collective conscience).")
    sector = _row_attribute("sector", "Sector of work: 0 agriculture, 1 industry, 2 trade, 3 liberal professions (model.sectors).")
    role = _row_attribute("role", "Position (grade) within one's sector.")
    employed = _row_attribute("employed", "Whether the citizen has work.")
    means = _row_attribute("means", "What the citizen has, in units of the average wage.")
    fortune = _row_attribute("fortune", "Log deviation of one's earnings from their usual level (business turbulence).")
    expectations = _row_attribute("expectations", "What the citizen expects to have, same unit.")
    capacity = _row_attribute("capacity", "Lasting capacity built through co-production with a worker.")
    hazard = _row_attribute("hazard", "Crisis hazard this week (probability).")
    crises = _row_attribute("crises", "Number of crises so far.")
    case_worker = _row_attribute("case_worker", "Index of the social worker with the open case, or -1.")
    trust = _row_attribute("trust", "Trust in the social worker, 0 to 1.")

    def __init__(self, model, row: int):
        super().__init__(model)
        self.row = row

    @property
    def durkheim_state(self) -> DurkheimState:
        return DurkheimState(int(self.model.citizens.state[self.row]))

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.durkheim_state]

    @property
    def sector_name(self) -> str:
        return SECTOR_NAMES[int(self.sector)]

    @property
    def in_crisis(self) -> bool:
        return bool(self.model.citizens.crisis_left[self.row] > 0)

    @property
    def ties(self) -> list[int]:
        """Rows of the citizens this one is tied to (active ties)."""
        adj = self.model.network.adjacency
        return adj.indices[adj.indptr[self.row] : adj.indptr[self.row + 1]].tolist()

    def __repr__(self) -> str:
        return (
            f"Citizen(row={self.row}, integration={self.integration:.2f}, "
            f"regulation={self.regulation:.2f}, state={self.state_name})"
        )

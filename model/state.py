"""Citizen state: one numpy array per attribute, indexed by the citizen's row.

The model owns one `CitizenState`; each `Citizen` agent is a view of one row. Newcomers
(migration) are appended as new rows; no row is ever removed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

NO_WORKER = -1
NOT_WAITING = -1


@dataclass
class CitizenState:
    """Per-citizen arrays. Shapes are (n,) except beliefs, which is (n, n_beliefs)."""

    integration: np.ndarray  # attachment to groups, [0, 1]
    regulation: np.ndarray  # norm adherence, [0, 1]
    beliefs: np.ndarray  # position in belief space, [0, 1]^k
    sector: np.ndarray  # int8: sector of work (model.sectors), kept when out of work
    role: np.ndarray  # position (grade) within one's sector, 0..n_roles-1
    employed: np.ndarray  # bool
    forced: np.ndarray  # bool: role imposed rather than chosen (forced division of labour)
    role_wage: np.ndarray  # usual earnings of one's sector and position, relative to the average wage
    fortune: np.ndarray  # log deviation of one's earnings from their usual level (business turbulence)
    means: np.ndarray  # current means, in units of the average wage
    expectations: np.ndarray  # what one expects to have, same unit
    capacity: np.ndarray  # lasting capacity built through co-production, [0, 1]
    norm_anchor: np.ndarray  # personal offset of the supplied norms (fixed, small)
    interdependence: np.ndarray  # met interdependence (organic exchange), [0, 1]
    likeness: np.ndarray  # similarity to one's ties (mechanical likeness), [0, 1]
    hazard: np.ndarray  # crisis hazard this step, probability
    crisis_left: np.ndarray  # weeks of acute crisis still to go (0 = not in crisis)
    crises: np.ndarray  # number of crises so far
    state: np.ndarray  # Durkheim typology code (see model.typology)
    newcomer: np.ndarray  # bool: arrived by migration
    patch: np.ndarray  # the social worker's neighbourhood the citizen lives in
    # the helping relationship (at most one open case per citizen)
    case_worker: np.ndarray  # worker index, or NO_WORKER
    trust: np.ndarray  # [0, 1]
    phase: np.ndarray  # relationship phase code (see agents.social_worker.Phase)
    goal_fit: np.ndarray  # how well the client's and the worker's goals align, [0, 1]
    healthy_streak: np.ndarray  # consecutive healthy weeks while in care
    conflict_streak: np.ndarray  # consecutive weeks in conflict
    waiting_since: np.ndarray  # step of referral, or NOT_WAITING

    @property
    def n(self) -> int:
        return int(self.integration.shape[0])

    @classmethod
    def empty(cls, n: int, n_beliefs: int) -> "CitizenState":
        f = lambda: np.zeros(n, dtype=np.float64)  # noqa: E731
        i = lambda fill=0: np.full(n, fill, dtype=np.int64)  # noqa: E731
        return cls(
            integration=f(), regulation=f(), beliefs=np.zeros((n, n_beliefs)),
            sector=np.zeros(n, dtype=np.int8), role=i(), employed=np.ones(n, dtype=bool), forced=np.zeros(n, dtype=bool),
            role_wage=np.ones(n), fortune=f(),
            means=f(), expectations=f(), capacity=f(), norm_anchor=f(), interdependence=f(), likeness=f(),
            hazard=f(), crisis_left=i(), crises=i(), state=np.zeros(n, dtype=np.int8),
            newcomer=np.zeros(n, dtype=bool), patch=i(), case_worker=i(NO_WORKER),
            trust=f(), phase=np.zeros(n, dtype=np.int8), goal_fit=f(), healthy_streak=i(),
            conflict_streak=i(), waiting_since=i(NOT_WAITING),
        )

    def append(self, other: "CitizenState") -> None:
        """Add the rows of `other` (newcomers) after the existing ones."""
        for fld in fields(self):
            setattr(self, fld.name, np.concatenate([getattr(self, fld.name), getattr(other, fld.name)]))

    def arrays(self) -> dict[str, np.ndarray]:
        return {fld.name: getattr(self, fld.name) for fld in fields(self)}

    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.arrays().values())

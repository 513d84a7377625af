"""Sectors of the division of labour as Durkheim tabulated them (Suicide, 1897, Table XXIV).

Each working citizen holds a place in one sector; out of work is not a sector but
`employed == False` (the citizen keeps the sector of their last work). The sectors
differ in wage level, in how turbulent their earnings are (market sectors) and in how
much regulation their own practice supplies (Suicide Book II ch. 5: trade and industry
"freed from regulation"; agriculture held by tradition, the professions by their ethics).
"""

from __future__ import annotations

import numpy as np

AGRICULTURE, INDUSTRY, TRADE, LIBERAL_PROFESSIONS = 0, 1, 2, 3
SECTOR_NAMES = ("agriculture", "industry", "trade", "liberal_professions")
N_SECTORS = len(SECTOR_NAMES)

# Exchange across one tie between two people who work freely, by their sectors: how far
# each depends on the other's function (organic solidarity, Division of Labour Book I), on
# the same [0, 1] scale as likeness. An illustrative assumption, stated in docs/ODD.md:
# different sectors complement each other fully (farming, industry and trade supply each
# other food, tools, goods and markets; the professions, law, medicine and teaching, serve
# every sector). Within a sector, people in different positions complement each other too
# (the technical division of labour: Durkheim's and Smith's pin factory; see
# `position_dependency`); the diagonal is the exchange between two people doing the same
# work in the same sector: some in industry (the workshop's team), less in trade and the
# professions, least in farming, whose households are alike and largely self-sufficient
# (Durkheim's segmental type). Their bond is likeness and, where one exists, their group.
DEPENDENCY = np.array(
    [
        # agr  ind  trade prof
        [0.5, 1.0, 1.0, 1.0],  # agriculture
        [1.0, 0.9, 1.0, 1.0],  # industry
        [1.0, 1.0, 0.7, 1.0],  # trade
        [1.0, 1.0, 1.0, 0.7],  # liberal professions
    ]
)


def position_dependency(n_roles: int, dependency: np.ndarray = DEPENDENCY) -> np.ndarray:
    """Exchange between two positions (sector x n_roles + grade): the sectors' dependency
    across sectors; full exchange between different positions of one sector (the technical
    division of labour); the sector's diagonal between two people in the same position."""
    sector = np.repeat(np.arange(dependency.shape[0]), n_roles)
    table = dependency[np.ix_(sector, sector)].copy()
    same_sector = sector[:, None] == sector[None, :]
    table[same_sector & ~np.eye(sector.size, dtype=bool)] = 1.0
    return table


def positions(sector: np.ndarray, role: np.ndarray, n_roles: int) -> np.ndarray:
    """Each person's position code in the division of labour: sector x n_roles + grade."""
    return sector.astype(np.int64) * n_roles + role


def sector_values(params, prefix: str) -> np.ndarray:
    """One parameter per sector, `<prefix>_<sector name>`, as an array in sector order."""
    return np.array([float(getattr(params, f"{prefix}_{name}")) for name in SECTOR_NAMES])


def sector_shares(params) -> np.ndarray:
    """The initial mix of sectors, normalised to sum to 1 (the share parameters need not)."""
    s = sector_values(params, "share")
    total = s.sum()
    return s / total if total > 0 else np.full(N_SECTORS, 1.0 / N_SECTORS)


def draw_sectors(k: int, shares: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each of k people's sector, drawn from the mix (int8 codes)."""
    return rng.choice(N_SECTORS, size=k, p=shares).astype(np.int8)


def leave_the_land(
    sector: np.ndarray, k: int, rng: np.random.Generator, to_industry: float = 2.0 / 3.0
) -> np.ndarray:
    """Industrialisation: k people leave agriculture for industry or trade (k < 0: return to it).

    Movers are drawn at random among those who can move; of those leaving the land a share
    `to_industry` goes to industry, the rest to trade (Durkheim's two "freed" sectors).
    Returns the rows that moved (their sector is changed in place).
    """
    if k == 0:
        return np.empty(0, dtype=np.int64)
    if k > 0:
        pool = np.flatnonzero(sector == AGRICULTURE)
    else:
        pool = np.flatnonzero((sector == INDUSTRY) | (sector == TRADE))
    take = min(abs(int(k)), pool.size)
    if take == 0:
        return np.empty(0, dtype=np.int64)
    movers = np.sort(rng.choice(pool, size=take, replace=False))
    if k > 0:
        sector[movers] = np.where(rng.random(take) < to_industry, INDUSTRY, TRADE)
    else:
        sector[movers] = AGRICULTURE
    return movers

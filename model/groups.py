"""Occupational groups: Durkheim's remedy for anomie and egoism.

Durkheim ended both his books on the same proposal: standing associations of people in the
same line of work, between the lone individual and the state, that give their members
belonging and make and uphold the norms of their trade (Division of Labour, Preface to the
2nd edition, 1902; Suicide, Book III ch. 3). Such a group has members, persists and can
wither. Community development and group work found and sustain their modern equivalents
(mutual-aid groups, tenants' and workers' associations); social workers do so through
`found`, `join` and `support`.

`OccupationalGroups` holds every group ever founded in numpy arrays, one row per group (ids
are never reused, so a group's history stays attached to its id), and each citizen's
membership (`member_of`, -1 for none; a person belongs to one group at a time). `week` runs
the groups' own dynamics, each a small function below; `supply` hands the model what groups
give their members.

Scale: a group costs a few dozen bytes and `week` is whole-array work over the members and
the groups after one pass over all citizens (no loop over citizens or groups, except the
rare spontaneous foundings of the week). At a million citizens the default founding rate
makes about 20 attempts a week, of which about 12 succeed (measured at 1,000 and 2,000
citizens), so 2,000 to 5,000 groups alive at a time; community development adds as many as
workers found, so up to some 10,000. Measured at a million citizens with 3,000 and 10,000
groups: `week` 3 and 5 ms median.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .parameters import DEFAULTS

# A group open to people of every line of work (a tenants' or mutual-aid association founded
# by community development): nobody leaves it for changing sector, and it recruits anyone.
ANY_SECTOR = -1
NO_GROUP = -1
NO_FOUNDER = -1  # founded spontaneously, not by a social worker
NEVER = -1  # a step that has not happened (e.g. a group never supported)

_GROUP_FIELDS = (
    ("sector", np.int8, ANY_SECTOR),
    ("strength", np.float64, 0.0),
    ("founded", np.int64, NEVER),
    ("founder", np.int32, NO_FOUNDER),
    ("alive", np.bool_, False),
    ("last_support", np.int64, NEVER),
    ("support_hours", np.float64, 0.0),  # hours given since the last week; reset by `week`
)


def _param(params: Any, name: str) -> Any:
    """A parameter from the model's validated `Parameters`, any object with the attribute, or a mapping."""
    return params[name] if isinstance(params, Mapping) else getattr(params, name)


def _defaults() -> Mapping[str, Any]:
    return DEFAULTS


class OccupationalGroups:
    """Every occupational group of a society and who belongs to which.

    Per group (index = group id): `sector` (int8; `ANY_SECTOR` for an association open to
    all), `strength` in [0, 1], `founded` (step), `founder` (social worker index, or -1 when
    founded spontaneously), `alive`, `last_support` (last step a worker supported it, -1
    never), `support_hours` (given since the last `week`). Per citizen: `member_of` (int32
    group id, -1 for none).
    """

    def __init__(self, n_citizens: int, params: Any = None):
        if n_citizens < 0:
            raise ValueError(f"n_citizens must be >= 0, got {n_citizens}")
        self.member_of = np.full(n_citizens, NO_GROUP, dtype=np.int32)
        self.n_groups = 0
        self.params = _defaults() if params is None else params
        self._columns = {name: np.full(16, fill, dtype=dtype) for name, dtype, fill in _GROUP_FIELDS}

    @classmethod
    def empty(cls, n_citizens: int, params: Any = None) -> "OccupationalGroups":
        """No groups yet and nobody a member. `params` (the model's `Parameters`, or a
        mapping) give `found`'s starting strength and `supply`'s scale until `week` passes
        newer ones; by default the parameter table's defaults."""
        return cls(n_citizens, params)

    # --- per-group columns: views of the first n_groups rows --------------------------------
    sector = property(lambda self: self._columns["sector"][: self.n_groups])
    strength = property(lambda self: self._columns["strength"][: self.n_groups])
    founded = property(lambda self: self._columns["founded"][: self.n_groups])
    founder = property(lambda self: self._columns["founder"][: self.n_groups])
    alive = property(lambda self: self._columns["alive"][: self.n_groups])
    last_support = property(lambda self: self._columns["last_support"][: self.n_groups])
    support_hours = property(lambda self: self._columns["support_hours"][: self.n_groups])

    @property
    def n_citizens(self) -> int:
        return self.member_of.size

    def _append(self, k: int) -> np.ndarray:
        """Room for k new groups (capacity doubles, so founding one at a time stays cheap); their ids."""
        need = self.n_groups + k
        capacity = self._columns["alive"].size
        if need > capacity:
            size = max(need, 2 * capacity)
            for name, dtype, fill in _GROUP_FIELDS:
                grown = np.full(size, fill, dtype=dtype)
                grown[: self.n_groups] = self._columns[name][: self.n_groups]
                self._columns[name] = grown
        ids = np.arange(self.n_groups, need)
        self.n_groups = need
        return ids

    def _rows(self, rows: Any, what: str) -> np.ndarray:
        rows = np.unique(np.asarray(rows, dtype=np.int64).ravel())
        if rows.size and (rows[0] < 0 or rows[-1] >= self.n_citizens):
            raise ValueError(f"{what}: citizen rows must lie in 0..{self.n_citizens - 1}")
        return rows

    def _live(self, group_id: int, what: str) -> int:
        g = int(group_id)
        if not 0 <= g < self.n_groups:
            raise ValueError(f"{what}: no group {g} (ids run 0..{self.n_groups - 1})")
        if not self.alive[g]:
            raise ValueError(f"{what}: group {g} has dissolved")
        return g

    # --- what citizens and social workers do -------------------------------------------------
    def add_citizens(self, k: int) -> None:
        """Newcomers, appended as the model appends citizens: members of no group."""
        if k < 0:
            raise ValueError(f"add_citizens: k must be >= 0, got {k}")
        self.member_of = np.concatenate([self.member_of, np.full(k, NO_GROUP, dtype=np.int32)])

    def found(self, sector: int, members: np.ndarray, step: int, founder: int = NO_FOUNDER,
              strength: float | None = None) -> int:
        """Found a group of one line of work (`sector`, or `ANY_SECTOR`) and return its id.

        Of `members`, those who already belong to a group stay where they are (a person
        belongs to one group at a time); the others join. A group with fewer than
        `group_min_size` members dissolves at the next `week`.
        """
        sector = int(sector)
        if not (sector == ANY_SECTOR or 0 <= sector <= np.iinfo(np.int8).max):
            raise ValueError(f"found: sector must be a sector code >= 0 or ANY_SECTOR (-1), got {sector}")
        rows = self._rows(members, "found")
        g = int(self._append(1)[0])
        cols = self._columns
        cols["sector"][g] = sector
        if strength is None:
            strength = _param(self.params, "group_founding_strength")
        cols["strength"][g] = float(np.clip(strength, 0.0, 1.0))
        cols["founded"][g] = step
        cols["founder"][g] = founder
        cols["alive"][g] = True
        free = rows[self.member_of[rows] == NO_GROUP]
        self.member_of[free] = g
        return g

    def join(self, group_id: int, rows: np.ndarray) -> int:
        """Citizens `rows` join a live group; those already in a group stay where they are.
        Returns how many joined."""
        g = self._live(group_id, "join")
        rows = self._rows(rows, "join")
        free = rows[self.member_of[rows] == NO_GROUP]
        self.member_of[free] = g
        return int(free.size)

    def leave(self, rows: np.ndarray) -> None:
        """Citizens `rows` leave whatever group they belong to."""
        self.member_of[self._rows(rows, "leave")] = NO_GROUP

    def support(self, group_id: int, hours: float) -> bool:
        """A social worker gives a group `hours` of their week (community development): the
        hours restore its strength at the next `week`. Support for a group that has
        dissolved does nothing and returns False."""
        if not hours >= 0:
            raise ValueError(f"support: hours must be >= 0, got {hours}")
        g = int(group_id)
        if not 0 <= g < self.n_groups:
            raise ValueError(f"support: no group {g} (ids run 0..{self.n_groups - 1})")
        if not self.alive[g]:
            return False
        self.support_hours[g] += hours
        return True

    # --- what the model reads ------------------------------------------------------------------
    def member_rows(self) -> np.ndarray:
        """The rows of all citizens who belong to a group, ascending."""
        return np.flatnonzero(self.member_of >= 0)

    def sizes(self) -> np.ndarray:
        """Members of each group (0 for dissolved ones), by group id."""
        return np.bincount(self.member_of[self.member_rows()], minlength=self.n_groups)

    def members(self, group_id: int) -> np.ndarray:
        """The citizen rows that belong to a group, ascending (none for a dissolved one)."""
        g = int(group_id)
        if not 0 <= g < self.n_groups:
            raise ValueError(f"members: no group {g} (ids run 0..{self.n_groups - 1})")
        return np.flatnonzero(self.member_of == g)

    def members_count(self) -> int:
        """Citizens who belong to some group."""
        return int(np.count_nonzero(self.member_of >= 0))

    def alive_count(self) -> int:
        """Groups that exist now."""
        return int(np.count_nonzero(self.alive))

    def supply(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(norm_supply, belonging) over citizens: what a member's group gives them.

        norm_supply_i = group_norm_supply * strength_g(i); belonging_i = group_belonging *
        strength_g(i); both 0 for non-members. Durkheim: the group is a moral power over its
        members (norms) and a milieu they are attached to (belonging); a weak group gives
        little of either. Linear in strength by assumption.
        """
        if n != self.n_citizens:
            raise ValueError(f"supply: asked for {n} citizens but the groups know {self.n_citizens}; "
                             "call add_citizens when citizens arrive")
        norm = _param(self.params, "group_norm_supply")
        belong = _param(self.params, "group_belonging")
        rows = self.member_rows()
        s = self.strength[self.member_of[rows]]
        norm_supply, belonging = np.zeros(n), np.zeros(n)
        norm_supply[rows] = norm * s
        belonging[rows] = belong * s
        return norm_supply, belonging

    # --- the groups' own week --------------------------------------------------------------------
    def week(self, sector: np.ndarray, employed: np.ndarray, indptr: np.ndarray, indices: np.ndarray,
             step: int, rng: np.random.Generator, params: Any) -> None:
        """One week of the groups' own life, in this order:

        1. `leave_when_out_of_line`: members out of work or in another sector may leave;
        2. `recruit_through_ties`: members of groups below `group_max_size` bring tied colleagues of their sector in;
        3. `renew_and_wither`: strength decays, the group's size and workers' hours restore it;
        4. `dissolve`: groups too small or too weak end and free their members;
        5. `found_spontaneously`: unorganised workers gather tied colleagues into new groups.

        The readable per-citizen rule this must equal, draw for draw, is
        `reference_week` in tests/model/test_groups_week.py, and a test proves it does.
        Draws come only from `rng` (the model's `streams.groups`).
        """
        if sector.size != self.n_citizens or employed.size != self.n_citizens:
            raise ValueError(f"week: sector and employed must have one entry per citizen ({self.n_citizens})")
        employed = np.asarray(employed, dtype=bool)  # `~` must be logical, not bitwise
        self.params = params  # found and supply use the parameters in force from now on
        # one pass over all citizens a week; after it the work is over members and groups
        rows = self.member_rows()
        leave_when_out_of_line(self, sector, employed, rng, _param(params, "group_leave_rate"), rows)
        rows = rows[self.member_of[rows] >= 0]
        joined = recruit_through_ties(self, sector, employed, indptr, indices, rng,
                                      _param(params, "group_recruitment_rate"), rows,
                                      _param(params, "group_max_size"))
        rows = np.sort(np.concatenate([rows, joined]), kind="stable")  # two sorted runs: a merge
        sizes = np.bincount(self.member_of[rows], minlength=self.n_groups)
        renew_and_wither(self, step, _param(params, "group_half_life"), _param(params, "group_self_renewal"),
                         _param(params, "group_renewal_size"), _param(params, "group_support_effect"), sizes)
        dissolve(self, _param(params, "group_min_size"), _param(params, "group_min_strength"), rows, sizes)
        found_spontaneously(self, sector, employed, indptr, indices, step, rng,
                            _param(params, "group_founding_rate"), _param(params, "group_min_size"))


def leave_when_out_of_line(groups: OccupationalGroups, sector: np.ndarray, employed: np.ndarray,
                           rng: np.random.Generator, leave_rate: float, rows: np.ndarray | None = None) -> np.ndarray:
    """Members who lost their work or now work in another sector than their group's leave,
    each with probability `leave_rate` a week (one draw per such member, ascending rows).

    Durkheim's group is one of a line of work: who leaves the trade drifts out of it, not at
    once (dues lapse over months). A group open to all (`ANY_SECTOR`) was never founded on
    work and keeps both. `rows`: the members, ascending, if known. Returns the rows that left.
    """
    m = groups.member_of
    rows = groups.member_rows() if rows is None else rows
    g_sector = groups.sector[m[rows]]
    open_to_all = g_sector == ANY_SECTOR
    out = ~open_to_all & (~employed[rows] | (sector[rows] != g_sector))
    at_risk = rows[out]
    leaving = at_risk[rng.random(at_risk.size) < leave_rate]
    m[leaving] = NO_GROUP
    return leaving


def recruit_through_ties(groups: OccupationalGroups, sector: np.ndarray, employed: np.ndarray,
                         indptr: np.ndarray, indices: np.ndarray, rng: np.random.Generator,
                         recruitment_rate: float, rows: np.ndarray | None = None,
                         max_size: float = np.inf) -> np.ndarray:
    """Each member of a group with fewer than `max_size` members asks, with probability
    `recruitment_rate * strength` of their group, one tie drawn uniformly; the person joins
    if unorganised, employed and of the group's sector (anyone unorganised, for a group open
    to all). A group that has reached `max_size` members recruits no more (`group_max_size`:
    a face-to-face association stops growing where members can no longer know each other,
    Dunbar 1993); in the week it reaches it at most one more per asking member may join.

    Associations grow along the ties of their members (McPherson, Popielarz & Drobnic 1992,
    "Social networks and organizational dynamics", ASR 57), and a strong group draws more
    (Durkheim: its authority and the advantages it offers). Members are taken in ascending
    row order with one draw each, then one draw per ask to pick the tie; if two members ask
    the same person the first asker's group wins. `rows`: the members, ascending, if known.
    Returns the rows that joined, ascending.
    """
    m = groups.member_of
    rows = groups.member_rows() if rows is None else rows
    g = m[rows]
    asking = rng.random(rows.size) < recruitment_rate * groups.strength[g]
    if np.isfinite(max_size):
        asking &= np.bincount(g, minlength=groups.n_groups)[g] < max_size  # a full group asks nobody
    asks = rows[asking]
    pick = rng.random(asks.size)
    deg = indptr[asks + 1] - indptr[asks]
    has_ties = deg > 0
    asks, pick, deg = asks[has_ties], pick[has_ties], deg[has_ties]
    target = indices[indptr[asks] + (pick * deg).astype(np.int64)].astype(np.int64)
    group = m[asks]
    g_sector = groups.sector[group]
    ok = (m[target] == NO_GROUP) & ((g_sector == ANY_SECTOR) | (employed[target] & (sector[target] == g_sector)))
    target, group = target[ok], group[ok]
    target, first = np.unique(target, return_index=True)
    m[target] = group[first]
    return target


def renew_and_wither(groups: OccupationalGroups, step: int, half_life: float, self_renewal: float,
                     renewal_size: float, support_effect: float, sizes: np.ndarray | None = None) -> None:
    """Strength withers and is renewed:

        s <- s * 2**(-1/half_life)                                  (withering)
        s <- s + (1 - s) * min(1, self_renewal * N / (N + renewal_size)
                                  + support_effect * hours)          (renewal)

    with N the group's members and hours a social worker's support this week. Left alone a
    group loses half its strength in `half_life` weeks (years, by default: an association
    does not vanish when activity stops, but it wanes; Durkheim on the guilds' long decline).
    Its own members' activity sustains it in proportion to its size, saturating, so small
    groups wither and large ones hold a standing strength (the liability of smallness:
    Hannan & Freeman 1989, Organizational Ecology; Olson 1965 on collective action). A
    worker's hours restore it (community development: Rothman 1968; Twelvetrees 2017).
    Hours are spent: `support_hours` returns to 0, `last_support` records the step.
    `sizes`: the members of each group, if known.
    """
    alive = groups.alive
    s = groups.strength
    n = (groups.sizes() if sizes is None else sizes).astype(np.float64)
    hours = groups.support_hours
    renewal = np.minimum(1.0, self_renewal * n / (n + renewal_size) + support_effect * hours)
    kept = s * 2.0 ** (-1.0 / half_life)
    s[alive] = (kept + (1.0 - kept) * renewal)[alive]
    supported = alive & (hours > 0)
    groups.last_support[supported] = step
    hours[:] = 0.0


def dissolve(groups: OccupationalGroups, min_size: int, min_strength: float,
             rows: np.ndarray | None = None, sizes: np.ndarray | None = None) -> int:
    """Groups with fewer than `min_size` members or strength below `min_strength` dissolve;
    their members belong to no group any more. A dissolved group keeps its id and row (its
    history) with `alive` False. `rows` (members, ascending) and `sizes` (members per
    group): as they stand, if known. Returns how many dissolved."""
    alive = groups.alive
    rows = groups.member_rows() if rows is None else rows
    m = groups.member_of
    n = np.bincount(m[rows], minlength=groups.n_groups) if sizes is None else sizes
    ending = alive & ((n < min_size) | (groups.strength < min_strength))
    if ending.any():
        alive[ending] = False
        m[rows[ending[m[rows]]]] = NO_GROUP
    return int(np.count_nonzero(ending))


def found_spontaneously(groups: OccupationalGroups, sector: np.ndarray, employed: np.ndarray,
                        indptr: np.ndarray, indices: np.ndarray, step: int, rng: np.random.Generator,
                        founding_rate: float, min_size: int) -> int:
    """Each citizen may, with probability `founding_rate` a week, try to found a group: if
    they are employed and unorganised, and at least `min_size - 1` of their ties are
    unorganised, employed colleagues of their sector, they and all those colleagues form a
    new group of that sector.

    Durkheim held that economic life, once organised, tends of itself to form such bodies
    (Preface, 1902), yet in his France they were few and weak: the default rate is small,
    so where nobody founds groups the deficit persists. The candidates are drawn as a
    binomial count of uniform citizens (the same law as one draw each, without touching a
    million draws a week), tried in draw order; repeats and the ineligible are skipped.
    Returns how many groups were founded.
    """
    n = groups.n_citizens
    if n == 0:
        return 0
    k = rng.binomial(n, founding_rate)
    candidates = rng.integers(0, n, size=k)
    m = groups.member_of
    founded = 0
    for i in candidates:
        if m[i] != NO_GROUP or not employed[i]:
            continue
        ties = indices[indptr[i]:indptr[i + 1]].astype(np.int64)
        colleagues = np.unique(ties[(m[ties] == NO_GROUP) & employed[ties] & (sector[ties] == sector[i])])
        colleagues = colleagues[colleagues != i]
        if colleagues.size + 1 >= min_size:
            groups.found(int(sector[i]), np.append(colleagues, i), step)
            founded += 1
    return founded

"""Social workers: change agents who take cases and work at three levels (docs/theory.md section 6).

Workers are few, so each acts in Python as an ordinary Mesa agent. A caseload is only a
dozen or two clients, so what a worker does to them would cost many small numpy calls
rather than arithmetic: the work on the caseload runs as compiled loops over the clients
(one call each), and the work on the neighbourhood reads it through a view while it is
one run of rows.
"""

from __future__ import annotations

from enum import IntEnum

import mesa
import numpy as np

from model.jit import kernel
from model.state import NO_WORKER, NOT_WAITING
from model.typology import DurkheimState


class Phase(IntEnum):
    """Phases of the helping relationship."""

    NONE = 0
    AGREEMENT = 1  # contracting: each side learns what the other wants
    COOPERATION = 2  # goals and trust align
    CONFLICT = 3  # trust broke down


# How much of a contact's potential effect each phase lets through. A fixed property of
# the phases, not a tunable: agreement is half-way, conflict blocks the work.
PHASE_EFFECT = np.array([0.0, 0.5, 1.0, 0.0])

# The codes as plain ints, for the compiled loops and because numpy compares a small array
# with an int faster than with an IntEnum member.
NONE, AGREEMENT, COOPERATION, CONFLICT = (int(phase) for phase in Phase)
HEALTHY, ISOLATED = int(DurkheimState.INTEGRATED), int(DurkheimState.EGOISM)


def _as_slice(rows: np.ndarray) -> slice | np.ndarray:
    """The patch as a slice when it is one ascending run of rows, else the rows themselves.

    Indexing with a slice reads and writes a view instead of gathering and scattering.
    """
    if rows.size == 0:
        return slice(0, 0)
    first = int(rows[0])
    if np.array_equal(rows, np.arange(first, first + rows.size)):
        return slice(first, first + rows.size)
    return rows


def _pull_towards(values: np.ndarray, where, share, target: float) -> None:
    """Move values[where] by `share` of the way to `target` (share a number or one per row)."""
    v = values[where]  # a view when `where` is a slice, else a copy
    gap = target - v
    gap *= share
    v += gap
    if not isinstance(where, slice):
        values[where] = v


# The work on the caseload, client by client in one compiled call. Each loop does the same
# floating-point operations in the same order as the array expressions it replaced, so the
# results are bit-for-bit the same; the random draws stay with the caller.
@kernel
def _contacts(clients, order, n_kept, state, trust, goal_fit, phase, integration, regulation, crisis_left,
              capacity, trust_growth, trust_loss, effect_by_phase, relief_by_phase, mid_i, mid_r,
              coproduction) -> int:
    """Casework contacts: kept ones build trust, move towards the healthy middle, relieve crisis, co-produce.

    The first `n_kept` clients in `order` are seen; missed contacts cost trust.
    Returns how many of those seen are isolated.
    """
    isolated = 0
    for i in range(order.size):
        r = clients[order[i]]
        t = trust[r]
        if i >= n_kept:  # a promise broken
            trust[r] = t - trust_loss * t
            continue
        isolated += state[r] == ISOLATED
        trust[r] = t + trust_growth * goal_fit[r] * (1.0 - t)  # as far as goals align
        ph = phase[r]
        effect = effect_by_phase[ph]
        integration[r] = integration[r] + (mid_i - integration[r]) * effect
        regulation[r] = regulation[r] + (mid_r - regulation[r]) * effect
        left = crisis_left[r] - relief_by_phase[ph]
        crisis_left[r] = left if left > 0 else 0
        if ph == COOPERATION:  # co-production builds the client's own capacity
            capacity[r] = capacity[r] + coproduction * (1.0 - capacity[r])
    return isolated


@kernel
def _relationships(clients, trust, phase, cooperation_trust, conflict_trust) -> None:
    """Phases of the helping relationship follow trust (clipped to [0, 1] as numpy's clip does)."""
    for r in clients:
        t = trust[r]
        if not np.isnan(t):
            t = t if t > 0.0 else 0.0
            t = t if t < 1.0 else 1.0
        trust[r] = t
        ph = phase[r]
        if t >= cooperation_trust:
            ph = COOPERATION
        if t < conflict_trust:
            ph = CONFLICT
        if ph == CONFLICT and t >= conflict_trust:  # trust recovered: back to agreeing goals
            ph = AGREEMENT
        phase[r] = ph


@kernel
def _review(clients, state, crisis_left, phase, healthy_streak, conflict_streak, case_worker, goal_steps,
            still_open) -> tuple[int, int]:
    """Case review: count healthy and conflict weeks; close cases whose goals are met or that broke down.

    Marks the cases kept open in `still_open`; returns (goals met, disengaged).
    """
    met_count, gone_count = 0, 0
    for i in range(clients.size):
        r = clients[i]
        healthy_streak[r] = healthy_streak[r] + 1 if state[r] == HEALTHY and crisis_left[r] == 0 else 0
        conflict_streak[r] = conflict_streak[r] + 1 if phase[r] == CONFLICT else 0
        met = healthy_streak[r] >= goal_steps
        gone = conflict_streak[r] >= goal_steps
        still_open[i] = not (met or gone)
        if met:
            met_count += 1
        elif gone:
            gone_count += 1
        if met or gone:
            case_worker[r] = NO_WORKER
            phase[r] = NONE
    return met_count, gone_count


class SocialWorker(mesa.Agent):
    """A social worker with a caseload, a weekly time budget, a neighbourhood and burnout."""

    def __init__(self, model, index: int, patch_rows: np.ndarray):
        super().__init__(model)
        self.index = index
        self.patch_rows = patch_rows  # citizens of the neighbourhood this worker covers
        self.clients = np.empty(0, dtype=np.int64)
        self.burnout = 0.0
        self.hours = {"casework": 0.0, "groupwork": 0.0, "community": 0.0}
        self.isolated_reached = 0  # isolated people brought into a group session
        self.isolated_contacts = 0  # casework contacts with isolated clients
        self.contacts = 0
        self.closed_goals_met = 0
        self.closed_disengaged = 0

    # -- the neighbourhood -------------------------------------------------------------------
    @property
    def patch_rows(self) -> np.ndarray:
        """The citizens of the neighbourhood this worker covers (the patch system of community social work)."""
        return self._patch_rows

    @patch_rows.setter
    def patch_rows(self, rows: np.ndarray) -> None:
        # no row is ever removed and newcomers get new rows, so every patch row exists
        self._patch_rows = rows
        self._patch = _as_slice(rows)

    # -- capacity ----------------------------------------------------------------------------
    @property
    def caseload(self) -> int:
        return int(self.clients.size)

    def face_to_face_hours(self) -> float:
        """Working time left after austerity cuts and administration."""
        p = self.model.params
        return p.time_budget * self.model.conditions.worker_capacity * (1.0 - p.admin_share)

    def effectiveness(self) -> float:
        """Burnout lowers what every contact achieves."""
        return 1.0 - self.burnout

    # -- finding clients -------------------------------------------------------------------
    def caseload_ceiling(self) -> int:
        """The realistic limit, or more when managers push cases on a long waiting list."""
        p = self.model.params
        if self.model.waiting_count() > 0:
            return int(p.caseload_limit * (1.0 + p.overload_acceptance))
        return p.caseload_limit

    def take_cases(self) -> None:
        """Intake: referrals from the waiting list (reaction) and outreach (prevention)."""
        free = self.caseload_ceiling() - self.caseload
        if free <= 0 or self.face_to_face_hours() <= 0:
            return
        n_outreach = int(round(free * self.model.params.outreach_share))
        # open each batch at once, so outreach cannot pick someone just taken off the list
        self.open_cases(self.model.pop_waiting(free - n_outreach))
        found = self.reach_out(n_outreach)
        self.open_cases(found)
        # outreach places nobody at risk needed go back to the waiting list; referral places stay free
        self.open_cases(self.model.pop_waiting(n_outreach - found.size))

    def reach_out(self, k: int) -> np.ndarray:
        """Prevention: find people at rising risk in the neighbourhood before they reach crisis."""
        if k <= 0:
            return np.empty(0, dtype=np.int64)
        cs = self.model.citizens
        # few are at high risk: look up whether they are known only for those
        at_risk = self.patch_rows[cs.hazard[self._patch] >= self.model.params.high_risk_hazard]
        at_risk = at_risk[(cs.case_worker[at_risk] == NO_WORKER) & (cs.waiting_since[at_risk] == NOT_WAITING)]
        if at_risk.size > k:  # the most at risk first; ties broken by row for determinism
            order = np.lexsort((at_risk, -cs.hazard[at_risk]))
            at_risk = at_risk[order[:k]]
        return at_risk

    def open_cases(self, rows: np.ndarray) -> None:
        """Contracting: agree goals with each new client; trust starts low, goals may or may not align."""
        if rows.size == 0:
            return
        cs, p = self.model.citizens, self.model.params
        cs.case_worker[rows] = self.index
        cs.waiting_since[rows] = NOT_WAITING
        cs.trust[rows] = p.initial_trust
        cs.phase[rows] = Phase.AGREEMENT
        cs.goal_fit[rows] = self.model.streams.social_work.random(rows.size)
        cs.healthy_streak[rows] = 0
        cs.conflict_streak[rows] = 0
        self.clients = np.concatenate([self.clients, rows])

    # -- the three levels of intervention --------------------------------------------------
    def casework(self, hours: float) -> None:
        """Micro level: counselling, crisis intervention and case management, client by client.

        Contacts that fit in the hours are kept; the others are promises broken. A kept
        contact builds trust (as far as goals align) and moves the client towards the
        healthy middle, shortens an acute crisis, and, in cooperation, builds the client's
        own lasting capacity (co-production). A missed contact costs trust.
        """
        if self.caseload == 0:
            return
        cs, p, rng = self.model.citizens, self.model.params, self.model.streams.social_work
        rows = self.clients
        n_contacts = min(rows.size, int(hours / p.casework_hours))
        order = rng.permutation(rows.size)  # the first n_contacts in this order are seen
        self.hours["casework"] += n_contacts * p.casework_hours
        self.contacts += n_contacts
        eff = self.effectiveness()
        # what a contact achieves in each of the four phases
        let_through = PHASE_EFFECT.tolist()
        effect = np.array([p.casework_effect * share * eff for share in let_through])
        relief = np.array([round(p.crisis_resolution * share * eff) for share in let_through], dtype=np.int64)
        mid_i, mid_r = self.model.healthy_middle
        self.isolated_contacts += int(_contacts(
            rows, order, n_contacts, cs.state, cs.trust, cs.goal_fit, cs.phase, cs.integration,
            cs.regulation, cs.crisis_left, cs.capacity, p.trust_growth, p.trust_loss, effect, relief, mid_i, mid_r,
            p.coproduction_rate * eff,
        ))

    def group_work(self, hours: float) -> None:
        """Mezzo level: bring isolated people together (Durkheim's intermediate groups, in modern form).

        One session costs the same whatever the group's size. Members are isolated
        clients first, then isolated people of the neighbourhood; pairs of members form
        lasting ties, and each member gains belonging and, as in Durkheim's occupational
        groups, a source of shared norms: both move towards the healthy middle.
        """
        p, cs, rng = self.model.params, self.model.citizens, self.model.streams.social_work
        sessions = int(hours / p.group_session_hours)
        if sessions <= 0:
            return
        isolated_clients = self.clients[cs.state[self.clients] == ISOLATED]
        isolated_here = cs.state[self._patch] == ISOLATED
        if isolated_clients.size == 0 and not isolated_here.any():
            return  # nobody to invite (shuffling nobody would draw no random numbers)
        # few are isolated: look up whose client they are only for those
        others = self.patch_rows[isolated_here]
        others = others[cs.case_worker[others] != self.index]
        pool = np.concatenate([isolated_clients, rng.permutation(others)])
        eff = self.effectiveness()
        tie_probability = p.group_tie_probability * eff
        gain = p.groupwork_effect * eff
        mid_i, mid_r = self.model.healthy_middle
        for s in range(sessions):
            members = pool[s * p.group_size : (s + 1) * p.group_size]
            if members.size == 0:
                break
            self.hours["groupwork"] += p.group_session_hours
            self.isolated_reached += int(members.size)
            a, b = np.triu_indices(members.size, k=1)
            form = rng.random(a.size) < tie_probability
            self.model.network.add_ties(members[a[form]], members[b[form]], rng)
            _pull_towards(cs.integration, members, gain, mid_i)
            _pull_towards(cs.regulation, members, gain, mid_r)

    def community_development(self, hours: float) -> None:
        """Macro level: advocacy and community development that improve conditions for the whole neighbourhood.

        The pull on the neighbourhood's norms and ties grows with the share of the week spent on it.
        """
        p, cs = self.model.params, self.model.citizens
        if hours <= 0:
            return
        self.hours["community"] += hours
        pull = p.community_effect * (hours / p.time_budget) * self.effectiveness()
        mid_i, mid_r = self.model.healthy_middle
        _pull_towards(cs.integration, self._patch, pull, mid_i)
        _pull_towards(cs.regulation, self._patch, pull, mid_r)

    # -- the relationship and the end of cases ---------------------------------------------
    def update_relationships(self) -> None:
        """Agreement becomes cooperation when trust is high and conflict when it collapses."""
        cs, p = self.model.citizens, self.model.params
        rows = self.clients
        if rows.size == 0:
            return
        _relationships(rows, cs.trust, cs.phase, p.cooperation_trust, p.conflict_trust)

    def close_cases(self) -> None:
        """Cases end deliberately when goals are met, or when the client disengages in conflict."""
        cs, p = self.model.citizens, self.model.params
        rows = self.clients
        if rows.size == 0:
            return
        still_open = np.empty(rows.size, dtype=np.bool_)
        met, gone = _review(rows, cs.state, cs.crisis_left, cs.phase, cs.healthy_streak, cs.conflict_streak,
                            cs.case_worker, p.goal_steps, still_open)
        self.closed_goals_met += met
        self.closed_disengaged += gone
        if met or gone:
            self.clients = rows[still_open]

    def update_burnout(self) -> None:
        """Burnout builds with caseload over what the hours allow; supervision and peer support relieve it."""
        p = self.model.params
        # austerity shrinks the hours, so the same caseload weighs more
        limit = p.caseload_limit * max(self.model.conditions.worker_capacity, 1e-9)
        overload = max(self.caseload / limit - 1.0, 0.0)
        self.burnout += p.burnout_rate * overload * (1.0 - self.burnout) - p.supervision * self.burnout
        self.burnout = min(max(self.burnout, 0.0), 1.0)

    def step(self) -> None:
        """A working week: intake, then casework, group work and community development, then review."""
        p = self.model.params
        self.take_cases()
        hours = self.face_to_face_hours()
        self.group_work(hours * p.groupwork_share)
        self.community_development(hours * p.community_share)
        self.casework(hours * (1.0 - p.groupwork_share - p.community_share))
        self.update_relationships()
        self.update_burnout()

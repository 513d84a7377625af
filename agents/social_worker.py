"""Social workers: change agents who take cases and work at three levels (docs/theory.md section 6).

Workers are few (about 2 per 1,000 citizens), so each acts in Python as an ordinary Mesa
agent on its own caseload of a dozen or two clients; nothing here loops over citizens. Each
agent is a *post*: it may stand vacant after a worker leaves, until a new worker starts.

Where the workers' week sits in the model's week: docs/ODD.md section 3 (`AnomieModel.step`).
The rules of practice are in agents/practice.py, the workforce's arithmetic (hours, the
caseload limit, burnout, leaving) in model/workforce.py, referral and the waiting list in
model/referral.py.
"""

from __future__ import annotations

from typing import NamedTuple

import mesa
import numpy as np

from anomie.model import referral
from anomie.model import workforce
from anomie.model.groups import ANY_SECTOR
from anomie.model.jit import kernel
from anomie.model.state import NO_WORKER
from anomie.model.typology import DurkheimState

from .practice import (
    CASE_FIELDS,
    NONE,
    PHASE_EFFECT,
    Cases,
    Phase,
    Technique,
    casework_constants,
    casework_contacts_fast,
    casework_week_fast,
    contract_and_open_fast,
    endings_fast,
    offer_value,
    relationships_and_streaks_fast,
)

HEALTHY, ISOLATED, ANOMIC = int(DurkheimState.INTEGRATED), int(DurkheimState.EGOISM), int(DurkheimState.ANOMIE)

__all__ = ["PHASE_EFFECT", "Phase", "SocialWorker", "Technique"]


def _casework_constants(model, s: referral.Services) -> np.ndarray:
    """The casework pass's parameter array, made again only when the parameters or the healthy middle change."""
    p, middle = model.params, model.healthy_middle
    if s.casework_k[0] is not p or s.casework_k[1] != middle:
        s.casework_k = (p, middle, casework_constants(p, *middle))
    return s.casework_k[2]


class WorkWeek(NamedTuple):
    """The week's numbers every post shares (they follow from the parameters and the funded share of hours)."""

    limit: int  # `workforce.caseload_limit`
    overload_ceiling: int  # the limit raised by `overload_acceptance`, while people wait
    contact_hours: tuple[float, float]  # `workforce.contact_hours`: out of, in rehabilitation
    casework_time: tuple[float, float]  # `workforce.casework_time`: out of, in rehabilitation

    def ceiling(self, waiting: int) -> int:
        """The caseload a post may carry: the derived limit, or more when managers push cases while people wait."""
        return self.overload_ceiling if waiting > 0 else self.limit


def work_week(model, s: referral.Services) -> WorkWeek:
    """The week's shared numbers, made again only when the parameters or the funded share of hours change."""
    p, capacity = model.params, model.conditions.worker_capacity
    if s.work_week[0] is not p or s.work_week[1] != capacity:
        limit = workforce.caseload_limit(p, capacity)
        s.work_week = (p, capacity, WorkWeek(
            limit, int(limit * (1.0 + p.overload_acceptance)),
            (workforce.contact_hours(p, capacity, False), workforce.contact_hours(p, capacity, True)),
            (workforce.casework_time(p, capacity, False), workforce.casework_time(p, capacity, True))))
    return s.work_week[2]


def founded_by(alive: np.ndarray, founder: np.ndarray, post: int) -> np.ndarray:
    """The ids of the live groups a post founded, ascending (the readable rule)."""
    return np.flatnonzero(alive & (founder == post))


@kernel
def _founded_by(alive, founder, post, out):
    """`founded_by` as one compiled loop: fills `out`, returns how many."""
    n = 0
    for gid in range(alive.size):
        if alive[gid] and founder[gid] == post:
            out[n] = gid
            n += 1
    return n


def founded_by_fast(alive: np.ndarray, founder: np.ndarray, post: int) -> np.ndarray:
    """`founded_by` through the compiled pass: the same ids in the same order (tests/socialwork/test_many_posts.py proves it)."""
    out = np.empty(alive.size, dtype=np.int64)
    return out[: _founded_by(alive, founder, post, out)]


def _pull_towards(values: np.ndarray, rows: np.ndarray, share, target: float) -> None:
    """Move values[rows] by `share` of the way to `target` (share a number or one per row)."""
    values[rows] = values[rows] + share * (target - values[rows])


class SocialWorker(mesa.Agent):
    """A social-work post: a worker (or a vacancy) with a caseload, a week of hours, a neighbourhood and burnout."""

    def __init__(self, model, index: int, patch_rows: np.ndarray):
        super().__init__(model)
        self.index = index
        self.patch_rows = patch_rows  # citizens of the neighbourhood this post covers
        self.cases = Cases()
        self.burnout = 0.0
        self.in_post = True
        self.hours = {"casework": 0.0, "groupwork": 0.0, "community": 0.0}
        self.organising = 0.0  # community-development hours put towards the next group
        self.contacts = 0
        self.broken_promises = 0
        self.isolated_reached = 0  # isolated people brought into a group session
        self.isolated_contacts = 0  # casework contacts with isolated clients
        self.closed_goals_met = 0
        self.closed_dropped_out = 0
        self.planned_endings = 0

    # -- capacity ----------------------------------------------------------------------------
    @property
    def clients(self) -> np.ndarray:
        return self.cases.rows

    @property
    def caseload(self) -> int:
        return self.cases.rows.size

    @property
    def in_rehabilitation(self) -> bool:
        return self.burnout >= self.model.params.rehab_threshold

    def contact_hours(self) -> float:
        """This week's contact time: hours (cut by austerity) less administration, supervision and any rehabilitation
        (`workforce.contact_hours`, made once a week for every post: `work_week`)."""
        m = self.model
        return work_week(m, referral.services(m)).contact_hours[self.in_rehabilitation]

    def caseload_limit(self) -> int:
        """The caseload the hours allow (derived: model/workforce.caseload_limit)."""
        m = self.model
        return work_week(m, referral.services(m)).limit

    def caseload_ceiling(self) -> int:
        """The derived limit, or more when managers push cases while people wait."""
        m = self.model
        s = referral.services(m)
        return work_week(m, s).ceiling(s.waiting)

    def effectiveness(self) -> float:
        """Burnout lowers what every contact achieves."""
        return 1.0 - self.burnout

    # -- intake ------------------------------------------------------------------------------
    def take_cases(self) -> None:
        """Intake: referrals from the waiting list (reaction) and people flagged by screening (prevention)."""
        m = self.model
        s = referral.services(m)
        week = work_week(m, s)
        free = week.ceiling(s.waiting) - self.caseload  # `caseload_ceiling` and `contact_hours` on the week's numbers
        if free <= 0 or week.contact_hours[self.in_rehabilitation] <= 0:
            return
        n_outreach = int(round(free * m.params.outreach_share))
        self.open_cases(referral.pop_waiting(m, free - n_outreach), referred=True)
        found = referral.flagged_in_fast(s, self.index, n_outreach)
        self.open_cases(found, referred=False)
        # outreach places nobody flagged needed go to the waiting list
        self.open_cases(referral.pop_waiting(m, n_outreach - found.size), referred=True)

    def open_cases(self, rows: np.ndarray, referred: bool = True) -> None:
        """Contracting: negotiate what the client wants against what this worker can offer; agree tasks and a time limit.

        The contract and the cases opened on it are `agents.practice.contract_and_open`
        (`contract`, then `new_cases`; run as its compiled pass); the new clients join the
        outcome cohort (`referral.enrol_clients`, run as its compiled pass).
        """
        if rows.size == 0:
            return
        m, cs, p, rng = self.model, self.model.citizens, self.model.params, self.model.streams.social_work
        k = rows.size
        s = referral.services(m)
        noise = rng.standard_normal(k)
        casework_time = work_week(m, s).casework_time[self.in_rehabilitation]
        spare = casework_time - (self.caseload + k) * p.casework_hours
        offer = offer_value(spare, p.advocacy_hours, self.burnout)  # `worker_offer`, one number
        # a neighbour or family member the environment technique would draw in (contracting draws nothing)
        target = self.patch_rows[rng.integers(0, self.patch_rows.size, size=k)] if self.patch_rows.size else np.full(k, -1)
        contract_and_open_fast(self.cases, rows, noise, offer, self.index, cs, ISOLATED, p, m.steps, target, referred)
        referral.enrol_clients_fast(m, rows, self.patch_rows)
        s.cases_opened += k

    # -- the three levels of intervention --------------------------------------------------
    def casework(self, hours: float) -> float:
        """Micro level: crisis intervention first, then task-centred contacts, each with its influence technique.

        Contacts are taken in order (clients in acute crisis first, then a random order)
        while the hours last; the others are promises broken (`agents.practice.plan_contacts`).
        What the contacts do is `agents.practice.contact_effects`, with advocacy for
        benefits (`benefit_take_up`) beside it; the whole week of contacts is
        `agents.practice.casework_contacts`, run as its compiled pass. Returns the hours spent.
        """
        return self._casework(hours, False)[0]

    def _casework(self, hours: float, then_relationships: bool) -> tuple[float, int]:
        """`casework`; with `then_relationships` the relationships move too (`update_relationships`,
        in the same compiled pass: `agents.practice.casework_week`). Returns the hours spent and,
        with `then_relationships`, the clients still in acute crisis (else 0)."""
        if self.caseload == 0:
            return 0.0, 0
        m, cs, p, rng = self.model, self.model.citizens, self.model.params, self.model.streams.social_work
        c = self.cases
        rows = c.rows
        s = referral.services(m)
        # three draws per client: the contacts' random order, each contact's chance, its progress draw
        draws = rng.random(3 * rows.size)
        args = (rows, draws, hours, self.effectiveness(), c, cs, s.claiming, ISOLATED, _casework_constants(m, s), p)
        if then_relationships:
            need, kept, tie, job, benefit, counts, in_crisis = casework_week_fast(*args, HEALTHY)
        else:
            (need, kept, tie, job, benefit, counts), in_crisis = casework_contacts_fast(*args), 0
        n_kept, n_isolated, n_tie, n_job, n_benefit = counts.tolist()
        spent = float(need[kept].sum())
        self.hours["casework"] += spent
        self.contacts += n_kept
        self.isolated_contacts += n_isolated
        broken = rows.size - n_kept
        self.broken_promises += broken
        s.broken_promises += broken
        s.hours += spent
        # the social environment: a tie with the target person (family member, neighbour)
        if n_tie:
            m.network.add_ties(rows[tie], c.target[tie], rng)
        # connections: advocacy with an employer gets an out-of-work client a job and means back
        if n_job:
            self.advocacy_success(rows[job])
        # advocacy with the benefits office: the client's unclaimed benefit is claimed from now on
        if n_benefit:
            s.claiming[rows[benefit]] = True
            s.benefits_secured += n_benefit
        return spent, in_crisis

    def advocacy_success(self, rows: np.ndarray) -> None:
        """Macro change for one client: a job found through the worker's connections restores their means."""
        m, cs = self.model, self.model.citizens
        cs.employed[rows] = True
        cs.means[rows] = cs.role_wage[rows] * m.conditions.wage_level
        referral.services(m).jobs_found += int(rows.size)

    def group_work(self, hours: float) -> float:
        """Mezzo level: sessions that bring isolated people together; they form ties and gain belonging and norms.

        Members are isolated clients first, then isolated people of the neighbourhood.
        Where occupational groups exist, members join a live group this worker founded in
        their sector (group work sustains the group: the session's hours count as support).
        Returns the hours spent.
        """
        m, p, cs, rng = self.model, self.model.params, self.model.citizens, self.model.streams.social_work
        sessions = int(hours / p.group_session_hours)
        if sessions <= 0:
            return 0.0
        isolated_clients = self.clients[cs.state[self.clients] == ISOLATED]
        others = self.patch_rows[cs.state[self.patch_rows] == ISOLATED]
        others = others[cs.case_worker[others] != self.index]
        if isolated_clients.size == 0 and others.size == 0:
            return 0.0
        pool = np.concatenate([isolated_clients, rng.permutation(others)])
        eff = self.effectiveness()
        mid_i, mid_r = m.healthy_middle
        spent = 0.0
        for s in range(sessions):
            members = pool[s * p.group_size : (s + 1) * p.group_size]
            if members.size == 0:
                break
            spent += p.group_session_hours
            self.isolated_reached += int(members.size)
            a, b = np.triu_indices(members.size, k=1)
            form = rng.random(a.size) < p.group_tie_probability * eff
            m.network.add_ties(members[a[form]], members[b[form]], rng)
            _pull_towards(cs.integration, members, p.groupwork_effect * eff, mid_i)
            _pull_towards(cs.regulation, members, p.groupwork_effect * eff, mid_r)
            self._join_own_groups(members, p.group_session_hours)
        self.hours["groupwork"] += spent
        referral.services(m).hours += spent
        return spent

    def _own_groups(self) -> np.ndarray:
        """The live groups this post founded (`founded_by`, run as its compiled pass)."""
        g = getattr(self.model, "groups", None)
        if g is None:
            return np.empty(0, dtype=np.int64)
        return founded_by_fast(g.alive, g.founder, self.index)

    def _join_own_groups(self, members: np.ndarray, hours: float) -> None:
        g = getattr(self.model, "groups", None)
        sector = getattr(self.model.citizens, "sector", None)
        own = self._own_groups()
        if g is None or own.size == 0:
            return
        free = members[g.member_of[members] < 0]
        for gid in own:
            open_to_all = g.sector[gid] == ANY_SECTOR or sector is None
            joining = free if open_to_all else free[sector[free] == g.sector[gid]]
            if joining.size:
                g.join(int(gid), joining)
                g.support(int(gid), hours / own.size)

    def community_development(self, hours: float) -> float:
        """Macro level: found and sustain mutual-aid and occupational groups in the neighbourhood.

        Organising hours accumulate; once `founding_hours` are in, a group is founded among
        the neighbourhood's out-of-work, anomic or isolated people who belong to no group: a
        mutual-aid association open to all where most of them are out of work, else an
        occupational group of the sector where most of them work. Half the hours sustain the live groups this
        post founded. Without occupational groups in the model this does nothing and spends
        no hours. Returns the hours spent.
        """
        g = getattr(self.model, "groups", None)
        if g is None or hours <= 0:
            return 0.0
        m, p, cs = self.model, self.model.params, self.model.citizens
        eff = self.effectiveness()
        own = self._own_groups()
        organising = hours if own.size == 0 else hours / 2.0
        for gid in own:
            g.support(int(gid), (hours - organising) / own.size)
        self.organising += organising * eff
        if self.organising >= p.founding_hours:
            rows = self.patch_rows
            in_need = rows[(g.member_of[rows] < 0) & (~cs.employed[rows] | (cs.state[rows] == ANOMIC) | (cs.state[rows] == ISOLATED))]
            if in_need.size >= 2:
                sector, pool = self._founding_pool(in_need)
                members = pool[np.argsort(cs.regulation[pool], kind="stable")[: p.group_size]]
                if members.size >= 2:
                    g.found(sector, members, m.steps, founder=self.index)
                    self.organising = 0.0
        self.hours["community"] += hours
        referral.services(m).hours += hours
        return hours

    def _founding_pool(self, in_need: np.ndarray) -> tuple[int, np.ndarray]:
        """Whom a new group gathers: where most people in need are out of work, a mutual-aid
        association open to all; otherwise an occupational group of the sector where most of
        them work (Durkheim's group of one line of work)."""
        cs = self.model.citizens
        out_of_work = ~cs.employed[in_need]
        if out_of_work.mean() > 0.5:
            return ANY_SECTOR, in_need
        working = in_need[~out_of_work]
        sector = getattr(cs, "sector", None)
        sectors = np.zeros(working.size, dtype=np.int64) if sector is None else sector[working].astype(np.int64)
        chosen = int(np.argmax(np.bincount(sectors)))
        return chosen, working[sectors == chosen]

    # -- the relationship, endings, drop-out -----------------------------------------------
    def update_relationships(self) -> None:
        """Agreement becomes cooperation when trust is high and conflict when it collapses."""
        cs, p = self.model.citizens, self.model.params
        rows = self.clients
        if rows.size:
            relationships_and_streaks_fast(rows, cs.trust, cs.phase, cs.state, cs.crisis_left, HEALTHY, cs.conflict_streak,
                                           cs.healthy_streak, p.cooperation_trust, p.conflict_trust)

    def close_cases(self) -> None:
        """Planned endings, reviewed with the client, and drop-outs from relationships in conflict.

        A case ends when every agreed task is achieved or the time limit is reached (not
        during an acute crisis): the review fixes the results (lasting capacity grows with
        the share of tasks achieved). A client in conflict drops out with probability
        `dropout_rate` a week. The rule is `agents.practice.endings` (run as its compiled pass).
        """
        if self.caseload == 0:
            return
        m, c = self.model, self.cases
        end, drop, counts = endings_fast(c, m.steps, m.streams.social_work.random(c.rows.size), m.citizens, m.params)
        n_end, n_drop, met, case_weeks = counts.tolist()
        if not (n_end or n_drop):
            return
        s = referral.services(m)
        self.closed_goals_met += met
        self.planned_endings += n_end
        self.closed_dropped_out += n_drop
        s.goals_met += met
        s.planned_endings += n_end
        s.dropouts += n_drop
        s.case_weeks += case_weeks
        s.cases_ended += n_end + n_drop
        c.keep(~(end | drop))

    # -- the workforce ---------------------------------------------------------------------
    def update_burnout(self, crisis_clients: int | None = None) -> None:
        """Overload and exposure to crises wear the worker down; supervision (and rehabilitation) restore.

        `crisis_clients`: the clients in acute crisis now, when the caller has counted them."""
        m = self.model
        p, rows = m.params, self.cases.rows
        if crisis_clients is None:
            crisis_clients = int(np.count_nonzero(m.citizens.crisis_left[rows] > 0)) if rows.size else 0
        recovery = p.supervision_hours + (p.rehab_hours if self.in_rehabilitation else 0.0)
        limit = max(work_week(m, referral.services(m)).limit, 1)
        self.burnout = workforce.burnout_change(self.burnout, rows.size, limit, crisis_clients, recovery, p)

    def leave_or_stay(self) -> bool:
        """A worker leaves with a chance that grows with burnout; the post falls vacant and the caseload is reallocated."""
        m = self.model
        if m.streams.social_work.random() >= workforce.leaving_probability(self.burnout, m.params):
            return False
        referral.services(m).leavers.append(m.steps)
        self.in_post = False
        self.burnout = 0.0
        self.organising = 0.0
        self.reallocate()
        return True

    def reallocate(self) -> None:
        """The leaver's clients go to colleagues in post with room (the emptiest first); the rest back to the waiting list.

        Who takes which case: `workforce.reallocation` (run as `reallocation_fast`). A change
        of worker costs trust, as a broken promise does.
        """
        m, cs, p = self.model, self.model.citizens, self.model.params
        c = self.cases
        colleagues = [w for w in m.social_workers if w.in_post and w is not self]
        caseloads = np.array([w.caseload for w in colleagues], dtype=np.int64)
        index = np.array([w.index for w in colleagues], dtype=np.int64)
        to = workforce.reallocation_fast(caseloads, index, self.caseload_ceiling(), len(c))
        for i in dict.fromkeys(to[to >= 0].tolist()):  # in the order colleagues take
            w, move = colleagues[i], to == i
            rows = c.rows[move]
            cs.case_worker[rows] = w.index
            cs.trust[rows] *= 1.0 - p.trust_loss
            w.cases.add(**{f: getattr(c, f)[move] for f in CASE_FIELDS})
        rows = c.rows[to < 0]
        cs.case_worker[rows] = NO_WORKER
        cs.phase[rows] = NONE
        cs.waiting_since[rows] = m.steps
        self.cases = Cases()

    def fill_post(self) -> bool:
        """A vacant post is filled with a new worker with a chance 1 / `vacancy_weeks` a week."""
        m = self.model
        if m.streams.social_work.random() >= workforce.filling_probability(m.params):
            return False
        self.in_post = True
        self.burnout = 0.0
        return True

    def step(self) -> None:
        """A post's working week, item 3 of the model's week (docs/ODD.md section 3), acting on
        the state last week left: a vacant post may be filled (and does nothing else this
        week); a worker in post takes cases (waiting list, then screening flags), does group
        work and community development, casework in the hours left; then the relationship
        phases move, burnout changes and the worker may leave. Cases are closed later in the
        model's week, after the citizens' week (`close_cases`, item 11)."""
        if not self.in_post:
            self.fill_post()
            return
        p = self.model.params
        self.take_cases()
        hours = self.contact_hours()
        hours -= self.group_work(hours * p.groupwork_share)
        hours -= self.community_development(hours * p.community_share / max(1.0 - p.groupwork_share, 1e-9))
        # casework, then update_relationships, in one pass; it counts the clients in crisis update_burnout reads
        _, crisis_clients = self._casework(hours, then_relationships=True)
        self.update_burnout(crisis_clients)
        self.leave_or_stay()

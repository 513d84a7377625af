"""Casework as it is practised: contracting, task-centred work, influence, crisis intervention, ending.

Each function is one rule of practice on a worker's caseload (a dozen or two clients, so
small numpy arrays); the social worker (agents/social_worker.py) calls them in the order
of a working week.

Sources: task-centred casework (Reid & Epstein, *Task-Centered Casework*, 1972: a few
concrete tasks agreed with the client, a time limit, progress reviewed); crisis
intervention (Roberts, *Crisis Intervention Handbook*, 3rd ed., 2005); the helping
relationship as contract, cooperation or conflict, and influence through stimulation,
persuasion, the social environment and connections (the seed material's account of
practice; on contracting, Compton & Galaway, *Social Work Processes*, 1999); the
strengths perspective and co-production (Saleebey, *The Strengths Perspective in Social
Work Practice*, 1992); the ecosystem model of change agent, client, target and action
systems (Pincus & Minahan, *Social Work Practice: Model and Method*, 1973).
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field, fields
from enum import IntEnum

import numpy as np

from anomie.model.jit import kernel
from anomie.model.referral import TARGET_CLIENT, TARGET_EMPLOYER, TARGET_FAMILY
from anomie.model.state import NO_WORKER, NOT_WAITING


class Phase(IntEnum):
    """Phases of the helping relationship."""

    NONE = 0
    AGREEMENT = 1  # contracting: each side learns what the other wants and can offer
    COOPERATION = 2  # goals and trust align
    CONFLICT = 3  # trust broke down


# How much of a contact's potential effect each phase lets through. A fixed property of the
# phases, not a tunable: agreement is half-way, conflict blocks the work.
PHASE_EFFECT = np.array([0.0, 0.5, 1.0, 0.0])
NONE, AGREEMENT, COOPERATION, CONFLICT = (int(phase) for phase in Phase)


class Technique(IntEnum):
    """Influence techniques: choices with different costs and effects."""

    STIMULATION = 0  # encourage the client's own motivation and strengths: cheap, slow, builds capacity
    PERSUASION = 1  # argue for the norm: a stronger pull, but it costs trust where goals diverge
    ENVIRONMENT = 2  # work through the client's social environment: extra hours, makes ties
    CONNECTIONS = 3  # use the worker's connections (advocacy): extra hours, can get a job back


STIMULATION, PERSUASION, ENVIRONMENT, CONNECTIONS = (int(t) for t in Technique)  # plain ints for the compiled pass



@dataclass
class Cases:
    """A worker's open cases, one entry per client, aligned with `rows`.

    Trust, phase and goal fit live in the citizens' arrays (shared with the Citizen view);
    what only the case needs lives here.
    """

    rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    opened: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # step the contract was made
    tasks: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # tasks agreed
    done: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # tasks achieved
    want: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.float64))  # practical help the client wants, [0, 1]
    offer: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.float64))  # practical help the worker can give, [0, 1]
    technique: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int8))
    target: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # target person's row, or -1
    target_kind: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int8))
    referred: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))  # action system: a referring agency

    def __len__(self) -> int:
        return int(self.rows.size)

    def add(self, **columns: np.ndarray) -> None:
        for name in CASE_FIELDS:
            old = getattr(self, name)
            setattr(self, name, np.concatenate([old, np.asarray(columns[name], dtype=old.dtype)]))

    def keep(self, mask: np.ndarray) -> None:
        for name in CASE_FIELDS:
            setattr(self, name, getattr(self, name)[mask])


CASE_FIELDS = tuple(f.name for f in fields(Cases))  # read once: every intake and ending goes through them
# `_new_cases` writes the columns by position: a new field must be added there too
assert CASE_FIELDS == ("rows", "opened", "tasks", "done", "want", "offer", "technique", "target", "target_kind", "referred")


def new_cases(cases: Cases, rows, step, tasks_agreed, want, offer, technique, target, target_kind, referred) -> None:
    """New cases opened at `step` (the readable rule): each with `tasks_agreed` tasks, none done yet,
    and the same `referred`, appended after the open ones by `Cases.add`. `contract_and_open_fast` runs it compiled."""
    k = rows.size
    cases.add(rows=rows, opened=np.full(k, step), tasks=np.full(k, tasks_agreed), done=np.zeros(k), want=want,
              offer=offer, technique=technique, target=target, target_kind=target_kind, referred=np.full(k, referred))


@kernel
def _new_cases(old, out, rows, step, tasks_agreed, want, offer, technique, target, target_kind, referred):
    """`new_cases` as one compiled pass: each column of `old` (the caseload's, in `CASE_FIELDS`
    order) copied to the same column of `out` (room for the new cases at the end) and the new
    cases written after it (converted to the column's type, as `Cases.add` does)."""
    n, k = old[0].size, rows.size
    out[0][:n], out[1][:n], out[2][:n], out[3][:n], out[4][:n] = old[0], old[1], old[2], old[3], old[4]
    out[5][:n], out[6][:n], out[7][:n], out[8][:n], out[9][:n] = old[5], old[6], old[7], old[8], old[9]
    for i in range(k):
        out[0][n + i] = rows[i]
        out[1][n + i] = step
        out[2][n + i] = tasks_agreed
        out[3][n + i] = 0
        out[4][n + i] = want[i]
        out[5][n + i] = offer[i]
        out[6][n + i] = technique[i]
        out[7][n + i] = target[i]
        out[8][n + i] = target_kind[i]
        out[9][n + i] = referred


# -- contracting -----------------------------------------------------------------------------
def client_wants(unemployed: np.ndarray, isolated: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """What the client wants from the work: the share of practical help (a job, means) against personal support.

    People out of work mostly want practical help; isolated people mostly want company and
    support; `noise` (standard normal, one per client) is their own view.
    """
    base = 0.3 + 0.5 * unemployed - 0.2 * isolated
    return np.clip(base + 0.15 * noise, 0.0, 1.0)


def offer_value(spare_hours: float, advocacy_hours: float, burnout: float) -> float:
    """What the worker can offer: practical help needs spare hours for advocacy, and a worn-out worker offers less."""
    return min(max(spare_hours, 0.0) / max(advocacy_hours, 1e-9), 1.0) * (1.0 - burnout)


def worker_offer(spare_hours: float, advocacy_hours: float, burnout: float, k: int) -> np.ndarray:
    """`offer_value` for each of k clients."""
    return np.full(k, offer_value(spare_hours, advocacy_hours, burnout))


def negotiate(want: np.ndarray, offer: np.ndarray, negotiation: float) -> np.ndarray:
    """Agreement: the goal fit of the contract, from the gap between what the client wants and what the worker offers.

    Negotiation closes a share `negotiation` of the gap; what is left is the misfit. Fit
    depends on both sides: an overloaded worker with nothing practical to offer fits badly
    with a client who wants a job.
    """
    return 1.0 - (1.0 - negotiation) * np.abs(want - offer)


def choose_technique(unemployed: np.ndarray, isolated: np.ndarray, trust: np.ndarray, want: np.ndarray,
                     offer: np.ndarray, cooperation_trust: float) -> np.ndarray:
    """The worker's choice of influence, case by case.

    Connections (advocacy) where the client is out of work, wants practical help and the
    worker can offer it; the social environment for isolated clients; persuasion once trust
    is high enough to carry it; stimulation otherwise.
    """
    t = np.where(trust >= cooperation_trust, Technique.PERSUASION, Technique.STIMULATION).astype(np.int8)
    t[isolated] = Technique.ENVIRONMENT
    t[unemployed & (want >= 0.5) & (offer >= 0.5)] = Technique.CONNECTIONS
    return t


def target_system(technique: np.ndarray) -> np.ndarray:
    """Pincus and Minahan's target system follows the technique: the client, a family member or neighbour, an employer."""
    kind = np.full(technique.size, TARGET_CLIENT, dtype=np.int8)
    kind[technique == Technique.ENVIRONMENT] = TARGET_FAMILY
    kind[technique == Technique.CONNECTIONS] = TARGET_EMPLOYER
    return kind


def contract(rows, noise, offer_value, worker, cs, isolated_state, p):
    """Contracting with a batch of new clients (the readable rule), as `SocialWorker.open_cases` runs it.

    Each client's want (`client_wants`, with `noise` one standard normal each) meets the
    worker's offer (`offer_value`, from `worker_offer`); the case opens with this
    `worker`, off the waiting list, at the initial trust, in agreement, with the goal fit
    negotiated (`negotiate`) and both streaks at 0; then the technique is chosen
    (`choose_technique`, reading the trust just set) and its target system follows
    (`target_system`). Changes the citizens' arrays in place; returns (want, offer,
    technique, target kind). `contract_fast` must equal this.
    """
    unemployed, isolated = ~cs.employed[rows], cs.state[rows] == isolated_state
    want = client_wants(unemployed, isolated, noise)
    offer = np.full(rows.size, offer_value)
    cs.case_worker[rows] = worker
    cs.waiting_since[rows] = NOT_WAITING
    cs.trust[rows] = p.initial_trust
    cs.phase[rows] = AGREEMENT
    cs.goal_fit[rows] = negotiate(want, offer, p.negotiation)
    cs.healthy_streak[rows] = 0
    cs.conflict_streak[rows] = 0
    technique = choose_technique(unemployed, isolated, cs.trust[rows], want, offer, p.cooperation_trust)
    return want, offer, technique, target_system(technique)


@kernel
def _contract(rows, noise, offer_value, worker, isolated_state, initial_trust, negotiation, cooperation_trust, employed,
              state, case_worker, waiting_since, trust, phase, goal_fit, healthy_streak, conflict_streak, want, offer,
              technique, kind):
    """`contract` as one compiled loop (the same arithmetic in the same order, client by client)."""
    for i in range(rows.size):
        r = rows[i]
        unemployed = not employed[r]
        isolated = state[r] == isolated_state
        w = 0.3 + 0.5 * (1.0 if unemployed else 0.0) - 0.2 * (1.0 if isolated else 0.0) + 0.15 * noise[i]
        w = 0.0 if w < 0.0 else (1.0 if w > 1.0 else w)
        want[i] = w
        offer[i] = offer_value
        case_worker[r] = worker
        waiting_since[r] = NOT_WAITING
        trust[r] = initial_trust
        phase[r] = AGREEMENT
        goal_fit[r] = 1.0 - (1.0 - negotiation) * abs(w - offer_value)
        healthy_streak[r] = 0
        conflict_streak[r] = 0
        t = PERSUASION if trust[r] >= cooperation_trust else STIMULATION
        if isolated:
            t = ENVIRONMENT
        if unemployed and w >= 0.5 and offer_value >= 0.5:
            t = CONNECTIONS
        technique[i] = t
        kind[i] = TARGET_FAMILY if t == ENVIRONMENT else (TARGET_EMPLOYER if t == CONNECTIONS else TARGET_CLIENT)


def contract_fast(rows, noise, offer_value, worker, cs, isolated_state, p):
    """`contract` through the compiled pass: same arguments, same results (tests/model/test_fast_casework.py proves it)."""
    k = rows.size
    want, offer = np.empty(k, dtype=np.float64), np.empty(k, dtype=np.float64)
    technique, kind = np.empty(k, dtype=np.int8), np.empty(k, dtype=np.int8)
    _contract(rows, noise, float(offer_value), worker, isolated_state, float(p.initial_trust), float(p.negotiation),
              float(p.cooperation_trust), cs.employed, cs.state, cs.case_worker, cs.waiting_since, cs.trust, cs.phase,
              cs.goal_fit, cs.healthy_streak, cs.conflict_streak, want, offer, technique, kind)
    return want, offer, technique, kind


def contract_and_open(cases: Cases, rows, noise, offer_value, worker, cs, isolated_state, p, step, target, referred):
    """Contracting, then the cases opened on what was agreed (the readable rule), as
    `SocialWorker.open_cases` runs them: `contract`, then `new_cases` with its wants, offers,
    techniques and target kinds (`tasks_agreed` tasks, opened at `step`, each with its
    `target` person). `contract_and_open_fast` must equal this."""
    want, offer, technique, kind = contract(rows, noise, offer_value, worker, cs, isolated_state, p)
    new_cases(cases, rows, step, p.tasks_agreed, want, offer, technique, target, kind, referred)


@kernel
def _contract_and_open(rows, noise, offer_value, worker, isolated_state, initial_trust, negotiation, cooperation_trust,
                       employed, state, case_worker, waiting_since, trust, phase, goal_fit, healthy_streak,
                       conflict_streak, old, out, step, tasks_agreed, target, referred):
    """`contract_and_open` as one compiled pass: `_contract`, then `_new_cases`."""
    k = rows.size
    want, offer = np.empty(k, dtype=np.float64), np.empty(k, dtype=np.float64)
    technique, kind = np.empty(k, dtype=np.int8), np.empty(k, dtype=np.int8)
    _contract(rows, noise, offer_value, worker, isolated_state, initial_trust, negotiation, cooperation_trust, employed,
              state, case_worker, waiting_since, trust, phase, goal_fit, healthy_streak, conflict_streak, want, offer,
              technique, kind)
    _new_cases(old, out, rows, step, tasks_agreed, want, offer, technique, target, kind, referred)


def contract_and_open_fast(cases: Cases, rows, noise, offer_value, worker, cs, isolated_state, p, step, target,
                           referred):
    """`contract_and_open` through the compiled pass: same arguments, same results
    (tests/model/test_fast_casework.py proves it)."""
    old = tuple(getattr(cases, name) for name in CASE_FIELDS)
    size = old[0].size + rows.size
    out = tuple(np.empty(size, dtype=column.dtype) for column in old)  # numpy's own arrays, not the compiled code's
    _contract_and_open(rows, noise, float(offer_value), worker, isolated_state, float(p.initial_trust),
                       float(p.negotiation), float(p.cooperation_trust), cs.employed, cs.state, cs.case_worker,
                       cs.waiting_since, cs.trust, cs.phase, cs.goal_fit, cs.healthy_streak, cs.conflict_streak, old, out,
                       int(step), int(p.tasks_agreed), target, bool(referred))
    for name, column in zip(CASE_FIELDS, out):
        setattr(cases, name, column)


def contact_hours_needed(technique: np.ndarray, in_crisis: np.ndarray, p) -> np.ndarray:
    """Hours each client's contact needs this week: crisis intervention or an ordinary contact, plus the technique's extra."""
    hours = np.where(in_crisis, p.crisis_hours, p.casework_hours)
    hours = hours + np.where(technique == Technique.ENVIRONMENT, p.environment_hours, 0.0)
    return hours + np.where(technique == Technique.CONNECTIONS, p.advocacy_hours, 0.0)


def kept_contacts(hours_needed: np.ndarray, order: np.ndarray, available: float) -> np.ndarray:
    """Which contacts fit in the hours, taken in `order` (crises first): the rest are promises broken."""
    kept = np.zeros(hours_needed.size, dtype=bool)
    fits = np.cumsum(hours_needed[order]) <= available + 1e-9
    kept[order[fits]] = True
    return kept



def plan_contacts(order, in_crisis, unemployed, isolated, trust, want, offer, available, p):
    """A caseload's week planned (the readable rule): each client's technique (`choose_technique`)
    and target system (`target_system`), the hours each contact needs (`contact_hours_needed`)
    and which contacts fit in the `available` hours, taken in `order` (`kept_contacts`).

    Returns (technique, target kind, hours needed, kept). `plan_contacts_fast` must equal this.
    """
    technique = choose_technique(unemployed, isolated, trust, want, offer, p.cooperation_trust)
    need = contact_hours_needed(technique, in_crisis, p)
    return technique, target_system(technique), need, kept_contacts(need, order, available)


@kernel
def _plan_contacts(order, in_crisis, unemployed, isolated, trust, want, offer, cooperation_trust, crisis_hours,
                   casework_hours, environment_hours, advocacy_hours, available, technique, kind, need, kept):
    """`plan_contacts` as one compiled loop (same choices, the same sums in the same order)."""
    for i in range(order.size):
        t = PERSUASION if trust[i] >= cooperation_trust else STIMULATION
        if isolated[i]:
            t = ENVIRONMENT
        if unemployed[i] and want[i] >= 0.5 and offer[i] >= 0.5:
            t = CONNECTIONS
        technique[i] = t
        kind[i] = TARGET_FAMILY if t == ENVIRONMENT else (TARGET_EMPLOYER if t == CONNECTIONS else TARGET_CLIENT)
        h = crisis_hours if in_crisis[i] else casework_hours
        h = h + (environment_hours if t == ENVIRONMENT else 0.0)
        need[i] = h + (advocacy_hours if t == CONNECTIONS else 0.0)
    limit = available + 1e-9
    total = 0.0
    for j in range(order.size):  # the running sum of np.cumsum, in the same order
        total += need[order[j]]
        kept[order[j]] = total <= limit


def plan_contacts_fast(order, in_crisis, unemployed, isolated, trust, want, offer, available, p):
    """`plan_contacts` through the compiled pass: same arguments, same results
    (tests/model/test_fast_casework.py proves it)."""
    k = order.size
    technique, kind = np.empty(k, dtype=np.int8), np.empty(k, dtype=np.int8)
    need, kept = np.empty(k, dtype=np.float64), np.empty(k, dtype=np.bool_)
    _plan_contacts(order, in_crisis, unemployed, isolated, trust, want, offer, float(p.cooperation_trust),
                   float(p.crisis_hours), float(p.casework_hours), float(p.environment_hours), float(p.advocacy_hours),
                   float(available), technique, kind, need, kept)
    return technique, kind, need, kept


# -- the relationship --------------------------------------------------------------------------
def relationship_phase(trust: np.ndarray, phase: np.ndarray, cooperation_trust: float, conflict_trust: float) -> np.ndarray:
    """Agreement becomes cooperation when trust is high and conflict when it collapses; recovered trust ends conflict."""
    ph = phase.copy()
    ph[trust >= cooperation_trust] = COOPERATION
    ph[trust < conflict_trust] = CONFLICT
    ph[(ph == CONFLICT) & (trust >= conflict_trust)] = AGREEMENT
    return ph


def trust_after_contact(trust: np.ndarray, kept: np.ndarray, goal_fit: np.ndarray, p) -> np.ndarray:
    """A kept contact builds trust as far as goals fit; a promise broken costs trust."""
    grown = trust + p.trust_growth * goal_fit * (1.0 - trust)
    return np.clip(np.where(kept, grown, trust - p.trust_loss * trust), 0.0, 1.0)


# -- task-centred work and its ending --------------------------------------------------------
def task_progress(draws: np.ndarray, phase: np.ndarray, capacity: np.ndarray, effectiveness: float, p) -> np.ndarray:
    """Whether a kept contact completes the current task: more likely in cooperation and with more capacity of one's own."""
    chance = p.task_progress * PHASE_EFFECT[phase] * effectiveness * (0.5 + 0.5 * capacity)
    return draws < chance


def ending_due(cases: Cases, step: int, in_crisis: np.ndarray, p) -> np.ndarray:
    """Planned ending: every agreed task achieved, or the time limit reached (not in the middle of an acute crisis)."""
    finished = cases.done >= cases.tasks
    timed_out = (step - cases.opened) >= p.task_weeks
    return (finished | timed_out) & ~in_crisis


def review_gain(done: np.ndarray, tasks: np.ndarray, capacity: np.ndarray, p) -> np.ndarray:
    """At the review, results are fixed with the client: capacity grows with the share of tasks achieved (lasting)."""
    share = np.minimum(done / np.maximum(tasks, 1), 1.0)
    return capacity + p.coproduction_rate * share * (1.0 - capacity)


def endings(cases: Cases, step: int, draws: np.ndarray, cs, p):
    """The week's endings on a caseload (the readable rule), as `SocialWorker.close_cases` runs them.

    A client in conflict drops out when their draw is under `dropout_rate`; the others end
    as planned when `ending_due` says so, and the review fixes their gain in capacity
    (`review_gain`). Everyone who leaves is nobody's client any more, out of any phase.
    Changes the citizens' arrays in place; returns (end, drop, counts) with counts =
    [planned endings, drop-outs, endings with every task achieved, weeks the ended cases
    lasted]. `endings_fast` must equal this.
    """
    rows = cases.rows
    in_crisis = cs.crisis_left[rows] > 0
    drop = (cs.phase[rows] == CONFLICT) & (draws < p.dropout_rate)
    end = ending_due(cases, step, in_crisis, p) & ~drop
    ended = rows[end]
    cs.capacity[ended] = review_gain(cases.done[end], cases.tasks[end], cs.capacity[ended], p)
    gone = end | drop
    cs.case_worker[rows[gone]] = NO_WORKER
    cs.phase[rows[gone]] = NONE
    counts = np.array([end.sum(), drop.sum(), np.count_nonzero(cases.done[end] >= cases.tasks[end]),
                       (step - cases.opened[gone]).sum()], dtype=np.int64)
    return end, drop, counts


@kernel
def _endings(rows, opened, done, tasks, step, draws, crisis_left, phase, capacity, case_worker, dropout_rate, task_weeks,
             coproduction_rate, end, drop, counts):
    """`endings` as one compiled loop (the same tests and the same review arithmetic, case by case)."""
    counts[:] = 0
    for i in range(rows.size):
        r = rows[i]
        drop[i] = phase[r] == CONFLICT and draws[i] < dropout_rate
        due = (done[i] >= tasks[i] or step - opened[i] >= task_weeks) and not crisis_left[r] > 0
        end[i] = due and not drop[i]
        if end[i]:
            share = min(done[i] / max(tasks[i], 1), 1.0)
            capacity[r] = capacity[r] + coproduction_rate * share * (1.0 - capacity[r])
            counts[0] += 1
            counts[2] += done[i] >= tasks[i]
        if drop[i]:
            counts[1] += 1
        if end[i] or drop[i]:
            case_worker[r] = NO_WORKER
            phase[r] = NONE
            counts[3] += step - opened[i]


def endings_fast(cases: Cases, step: int, draws: np.ndarray, cs, p):
    """`endings` through the compiled pass: same arguments, same results (tests/model/test_fast_casework.py proves it)."""
    k = cases.rows.size
    end, drop, counts = np.empty(k, dtype=np.bool_), np.empty(k, dtype=np.bool_), np.empty(4, dtype=np.int64)
    _endings(cases.rows, cases.opened, cases.done, cases.tasks, step, draws, cs.crisis_left, cs.phase, cs.capacity,
             cs.case_worker, float(p.dropout_rate), p.task_weeks, float(p.coproduction_rate), end, drop, counts)
    return end, drop, counts


# -- what the week's contacts do ---------------------------------------------------------------
def contact_effects(rows, kept, in_crisis, technique, unemployed, target, chance, progress_draw, done, tasks,
                    trust, goal_fit, phase, crisis_left, regulation, integration, capacity, eff, mid_i, mid_r, p):
    """The effects of the week's contacts on a caseload, written as array rules (the readable rule).

    Citizen arrays (trust, crisis_left, regulation, integration, capacity) are indexed by
    `rows`; case arrays (kept, in_crisis, technique, ...) are aligned with `rows`. In order:
    trust grows with a kept contact as far as goals fit, falls with a promise broken; each
    kept contact's effect is scaled by its phase and by 1 - burnout (`eff`); crisis
    intervention shortens an acute crisis; stimulation and persuasion pull regulation, the
    social environment pulls integration, towards the healthy middle; persuasion against
    the client's goals costs trust; the social environment may tie the client to the target
    person, connections may find an out-of-work client a job; a task may be achieved, and
    each task achieved builds lasting capacity. Changes `done` and the citizen arrays in
    place; returns (tie, job): the cases where a tie is made, where a job is found.
    `_contact_effects` is the compiled pass that must equal this, and a test proves it does.
    """
    trust[rows] = trust_after_contact(trust[rows], kept, goal_fit[rows], p)
    share = PHASE_EFFECT[phase[rows]] * eff * kept
    relief = np.rint(p.crisis_resolution * share).astype(crisis_left.dtype) * in_crisis
    crisis_left[rows] = np.maximum(crisis_left[rows] - relief, 0)
    stim, pers = technique == Technique.STIMULATION, technique == Technique.PERSUASION
    env, conn = technique == Technique.ENVIRONMENT, technique == Technique.CONNECTIONS
    cap = capacity[rows]
    pull_r = np.where(stim, p.casework_effect * (0.5 + 0.5 * cap), 0.0) + np.where(pers, p.persuasion_effect, 0.0)
    regulation[rows] = regulation[rows] + pull_r * share * (mid_r - regulation[rows])
    integration[rows] = integration[rows] + np.where(env, p.casework_effect, 0.0) * share * (mid_i - integration[rows])
    resist = pers & kept
    trust[rows[resist]] *= 1.0 - p.trust_loss * (1.0 - goal_fit[rows[resist]])
    tie = env & (chance < p.environment_tie * share) & (target >= 0) & (target != rows)
    job = conn & unemployed & (chance < p.advocacy_success * share)
    achieved = kept & (done < tasks) & task_progress(progress_draw, phase[rows], cap, eff, p)
    done += achieved
    gained = rows[achieved]
    capacity[gained] += p.coproduction_rate * (1.0 - capacity[gained])
    return tie, job


# The compiled pass's arguments, by name (numba takes namedtuples of arrays): a caseload's
# arrays aligned with `rows` (`tie` and `job` are filled by the pass), the citizens' arrays
# it reads and changes (indexed by `rows`), and the week's numbers.
CaseArrays = namedtuple(
    "CaseArrays",
    ["rows", "kept", "in_crisis", "technique", "unemployed", "target", "chance", "progress_draw", "done", "tasks",
     "tie", "job"],
)
ClientArrays = namedtuple(
    "ClientArrays", ["trust", "goal_fit", "phase", "crisis_left", "regulation", "integration", "capacity"],
)
ContactConstants = namedtuple(
    "ContactConstants",
    ["eff", "mid_i", "mid_r", "phase_effect", "trust_growth", "trust_loss", "crisis_resolution", "casework_effect",
     "persuasion_effect", "environment_tie", "advocacy_success", "task_progress_rate", "coproduction_rate"],
)


@kernel
def _contact_effects(cases, clients, c):
    """`contact_effects` as one compiled loop over the clients (same operations, same order,
    same bits; tests/model/test_fast_casework.py proves it)."""
    rows, kept, in_crisis, technique, unemployed = cases.rows, cases.kept, cases.in_crisis, cases.technique, cases.unemployed
    target, chance, progress_draw, done, tasks = cases.target, cases.chance, cases.progress_draw, cases.done, cases.tasks
    tie, job = cases.tie, cases.job
    trust, goal_fit, phase, crisis_left = clients.trust, clients.goal_fit, clients.phase, clients.crisis_left
    regulation, integration, capacity = clients.regulation, clients.integration, clients.capacity
    eff, mid_i, mid_r, phase_effect = c.eff, c.mid_i, c.mid_r, c.phase_effect
    trust_growth, trust_loss, crisis_resolution = c.trust_growth, c.trust_loss, c.crisis_resolution
    casework_effect, persuasion_effect, environment_tie = c.casework_effect, c.persuasion_effect, c.environment_tie
    advocacy_success, task_progress_rate, coproduction_rate = c.advocacy_success, c.task_progress_rate, c.coproduction_rate
    for i in range(rows.size):
        r = rows[i]
        t = trust[r]
        gf = goal_fit[r]
        t = t + trust_growth * gf * (1.0 - t) if kept[i] else t - trust_loss * t
        t = min(max(t, 0.0), 1.0)
        trust[r] = t
        if not kept[i]:
            continue  # a promise broken has no other effect (its share is 0)
        pe = phase_effect[phase[r]]
        share = pe * eff
        if in_crisis[i]:
            left = crisis_left[r] - np.int64(np.rint(crisis_resolution * share))
            crisis_left[r] = left if left > 0 else 0
        tech = technique[i]
        cap = capacity[r]
        pull_r = 0.0
        if tech == STIMULATION:
            pull_r = casework_effect * (0.5 + 0.5 * cap) + 0.0
        elif tech == PERSUASION:
            pull_r = 0.0 + persuasion_effect
        reg = regulation[r]
        regulation[r] = reg + pull_r * share * (mid_r - reg)
        pull_i = casework_effect if tech == ENVIRONMENT else 0.0
        integ = integration[r]
        integration[r] = integ + pull_i * share * (mid_i - integ)
        if tech == PERSUASION:
            trust[r] = trust[r] * (1.0 - trust_loss * (1.0 - gf))
        tie[i] = tech == ENVIRONMENT and chance[i] < environment_tie * share and target[i] >= 0 and target[i] != r
        job[i] = tech == CONNECTIONS and unemployed[i] and chance[i] < advocacy_success * share
        if done[i] < tasks[i] and progress_draw[i] < task_progress_rate * pe * eff * (0.5 + 0.5 * cap):
            done[i] += 1
            capacity[r] = capacity[r] + coproduction_rate * (1.0 - capacity[r])



def contact_effects_fast(rows, kept, in_crisis, technique, unemployed, target, chance, progress_draw, done, tasks,
                         trust, goal_fit, phase, crisis_left, regulation, integration, capacity, eff, mid_i, mid_r, p):
    """`contact_effects` through the compiled pass: same arguments, same results."""
    tie = np.zeros(rows.size, dtype=np.bool_)
    job = np.zeros(rows.size, dtype=np.bool_)
    _contact_effects(
        CaseArrays(rows, kept, in_crisis, technique, unemployed, target, chance, progress_draw, done, tasks, tie, job),
        ClientArrays(trust, goal_fit, phase, crisis_left, regulation, integration, capacity),
        ContactConstants(float(eff), float(mid_i), float(mid_r), PHASE_EFFECT, p.trust_growth, p.trust_loss,
                         p.crisis_resolution, p.casework_effect, p.persuasion_effect, p.environment_tie,
                         p.advocacy_success, p.task_progress, p.coproduction_rate),
    )
    return tie, job


def benefit_take_up(technique, kept, unemployed, claiming, phase, chance, eff, p) -> np.ndarray:
    """Advocacy for benefits: which clients' unclaimed income-related benefit this week's contacts secure.

    The same advocacy action as connections (the employer or the benefits office is the
    target system; Bateman, *Advocacy Skills*, 2000): for an out-of-work client not yet
    claiming, it finds a job with probability `advocacy_success` x share, and where it does
    not, secures the benefit with probability `benefit_advocacy_success` x share (share =
    phase factor x (1 - burnout), as for every effect of a kept contact). It reads the
    contact's own draw `chance` beyond the job's interval, so it draws nothing new: with
    `benefit_advocacy_success` 0 every other result is as before, bit for bit.
    """
    share = PHASE_EFFECT[phase] * eff * kept
    job_chance = p.advocacy_success * share
    return ((technique == Technique.CONNECTIONS) & unemployed & ~claiming & (chance >= job_chance)
            & (chance < job_chance + p.benefit_advocacy_success * share))


# The week's numbers the casework pass reads, in one array (made once per parameter set:
# `casework_constants`), by position.
(_COOPERATION_TRUST, _CRISIS_HOURS, _CASEWORK_HOURS, _ENVIRONMENT_HOURS, _ADVOCACY_HOURS, _TRUST_GROWTH, _TRUST_LOSS,
 _CRISIS_RESOLUTION, _CASEWORK_EFFECT, _PERSUASION_EFFECT, _ENVIRONMENT_TIE, _ADVOCACY_SUCCESS, _TASK_PROGRESS,
 _COPRODUCTION_RATE, _BENEFIT_ADVOCACY_SUCCESS, _MID_I, _MID_R) = range(17)


def casework_constants(p, mid_i: float, mid_r: float) -> np.ndarray:
    """The parameters the casework pass reads and the healthy middle, as one array (see the positions above)."""
    return np.array([p.cooperation_trust, p.crisis_hours, p.casework_hours, p.environment_hours, p.advocacy_hours,
                     p.trust_growth, p.trust_loss, p.crisis_resolution, p.casework_effect, p.persuasion_effect,
                     p.environment_tie, p.advocacy_success, p.task_progress, p.coproduction_rate,
                     p.benefit_advocacy_success, mid_i, mid_r], dtype=np.float64)


def casework_contacts(rows, draws, available, eff, cases, cs, claiming, isolated_state, k, p):
    """A caseload's week of contacts, as `SocialWorker.casework` runs it (the readable rule).

    `draws` holds three uniform draws per client, in this order: the random order of the
    contacts, each contact's chance, each contact's progress draw. Contacts are taken in
    order, clients in acute crisis first and then by the first draws (`np.lexsort`); the
    week is planned (`plan_contacts`: technique, target kind, hours, which contacts the
    `available` hours allow); advocacy for benefits (`benefit_take_up`) reads the phases
    and claims as the week found them; then the contacts act (`contact_effects`, with the
    healthy middle and the parameters in `k`, `casework_constants`). Sets the cases'
    technique and target kind, changes `cases.done` and the citizens' arrays in place.
    Returns (need, kept, tie, job, benefit, counts) with counts = [contacts kept, kept
    contacts with isolated clients, ties, jobs, benefits]. `casework_contacts_fast` must
    equal this.
    """
    n = rows.size
    order_draw, chance, progress_draw = draws[:n], draws[n : 2 * n], draws[2 * n :]
    in_crisis = cs.crisis_left[rows] > 0
    unemployed, isolated = ~cs.employed[rows], cs.state[rows] == isolated_state
    order = np.lexsort((order_draw, ~in_crisis))
    cases.technique, cases.target_kind, need, kept = plan_contacts(order, in_crisis, unemployed, isolated, cs.trust[rows],
                                                                   cases.want, cases.offer, available, p)
    benefit = benefit_take_up(cases.technique, kept, unemployed, claiming[rows], cs.phase[rows], chance, eff, p)
    tie, job = contact_effects(rows, kept, in_crisis, cases.technique, unemployed, cases.target, chance, progress_draw,
                               cases.done, cases.tasks, cs.trust, cs.goal_fit, cs.phase, cs.crisis_left, cs.regulation,
                               cs.integration, cs.capacity, eff, k[_MID_I], k[_MID_R], p)
    counts = np.array([kept.sum(), np.count_nonzero(kept & isolated), tie.sum(), job.sum(), benefit.sum()], dtype=np.int64)
    return need, kept, tie, job, benefit, counts


@kernel
def _casework_contacts(rows, draws, available, eff, want, offer, technique, kind, target, done, tasks, crisis_left,
                       employed, state, trust, goal_fit, phase, regulation, integration, capacity, claiming,
                       isolated_state, k, phase_effect, need, kept, tie, job, benefit, counts):
    """`casework_contacts` as one compiled pass: the same order (a stable sort of each
    crisis class by its draws is `np.lexsort`'s order), then `_plan_contacts` and
    `_contact_effects`, with the benefit rule between them read before the contacts act."""
    n = rows.size
    in_crisis = np.empty(n, dtype=np.bool_)
    unemployed = np.empty(n, dtype=np.bool_)
    isolated = np.empty(n, dtype=np.bool_)
    trust_now = np.empty(n, dtype=np.float64)
    for i in range(n):
        r = rows[i]
        in_crisis[i] = crisis_left[r] > 0
        unemployed[i] = not employed[r]
        isolated[i] = state[r] == isolated_state
        trust_now[i] = trust[r]
    crisis_first = np.concatenate((np.flatnonzero(in_crisis), np.flatnonzero(~in_crisis)))
    n_crisis = np.count_nonzero(in_crisis)
    order_draw = draws[:n]
    order = np.empty(n, dtype=np.int64)
    head, tail = crisis_first[:n_crisis], crisis_first[n_crisis:]
    order[:n_crisis] = head[np.argsort(order_draw[head], kind="mergesort")]
    order[n_crisis:] = tail[np.argsort(order_draw[tail], kind="mergesort")]
    _plan_contacts(order, in_crisis, unemployed, isolated, trust_now, want, offer, k[_COOPERATION_TRUST],
                   k[_CRISIS_HOURS], k[_CASEWORK_HOURS], k[_ENVIRONMENT_HOURS], k[_ADVOCACY_HOURS], available,
                   technique, kind, need, kept)
    chance, progress_draw = draws[n : 2 * n], draws[2 * n :]
    for i in range(n):
        share = phase_effect[phase[rows[i]]] * eff * (1.0 if kept[i] else 0.0)
        job_chance = k[_ADVOCACY_SUCCESS] * share
        benefit[i] = (technique[i] == CONNECTIONS and unemployed[i] and not claiming[rows[i]] and chance[i] >= job_chance
                      and chance[i] < job_chance + k[_BENEFIT_ADVOCACY_SUCCESS] * share)
    _contact_effects(
        CaseArrays(rows, kept, in_crisis, technique, unemployed, target, chance, progress_draw, done, tasks, tie, job),
        ClientArrays(trust, goal_fit, phase, crisis_left, regulation, integration, capacity),
        ContactConstants(eff, k[_MID_I], k[_MID_R], phase_effect, k[_TRUST_GROWTH], k[_TRUST_LOSS], k[_CRISIS_RESOLUTION],
                         k[_CASEWORK_EFFECT], k[_PERSUASION_EFFECT], k[_ENVIRONMENT_TIE], k[_ADVOCACY_SUCCESS],
                         k[_TASK_PROGRESS], k[_COPRODUCTION_RATE]),
    )
    counts[:] = 0
    for i in range(n):
        counts[0] += kept[i]
        counts[1] += kept[i] and isolated[i]
        counts[2] += tie[i]
        counts[3] += job[i]
        counts[4] += benefit[i]


def casework_contacts_fast(rows, draws, available, eff, cases, cs, claiming, isolated_state, k, p):
    """`casework_contacts` through the compiled pass: same arguments, same results (the cases'
    technique and target kind are written in place; tests/model/test_fast_casework.py proves it)."""
    n = rows.size
    need, kept = np.empty(n, dtype=np.float64), np.empty(n, dtype=np.bool_)
    tie, job, benefit = np.zeros(n, dtype=np.bool_), np.zeros(n, dtype=np.bool_), np.empty(n, dtype=np.bool_)
    counts = np.empty(5, dtype=np.int64)
    _casework_contacts(rows, draws, float(available), float(eff), cases.want, cases.offer, cases.technique,
                       cases.target_kind, cases.target, cases.done, cases.tasks, cs.crisis_left, cs.employed, cs.state,
                       cs.trust, cs.goal_fit, cs.phase, cs.regulation, cs.integration, cs.capacity, claiming,
                       isolated_state, k, PHASE_EFFECT, need, kept, tie, job, benefit, counts)
    return need, kept, tie, job, benefit, counts


def relationships_and_streaks(rows, trust, phase, state, crisis_left, healthy_state, conflict_streak, healthy_streak,
                              cooperation_trust, conflict_trust):
    """The week's relationship phases (`relationship_phase`) and the runs of weeks in conflict and in health
    (in the healthy state `healthy_state` and not in crisis) (the readable rule)."""
    healthy = (state[rows] == healthy_state) & (crisis_left[rows] == 0)
    phase[rows] = relationship_phase(trust[rows], phase[rows], cooperation_trust, conflict_trust)
    conflict_streak[rows] = np.where(phase[rows] == CONFLICT, conflict_streak[rows] + 1, 0)
    healthy_streak[rows] = np.where(healthy, healthy_streak[rows] + 1, 0)


@kernel
def relationships_and_streaks_fast(rows, trust, phase, state, crisis_left, healthy_state, conflict_streak,
                                   healthy_streak, cooperation_trust, conflict_trust):
    """`relationships_and_streaks` as one compiled loop (same results; a test proves it)."""
    for i in range(rows.size):
        r = rows[i]
        t = trust[r]
        ph = phase[r]
        if t >= cooperation_trust:
            ph = COOPERATION
        if t < conflict_trust:
            ph = CONFLICT
        if ph == CONFLICT and t >= conflict_trust:
            ph = AGREEMENT
        phase[r] = ph
        conflict_streak[r] = conflict_streak[r] + 1 if ph == CONFLICT else 0
        healthy_streak[r] = healthy_streak[r] + 1 if state[r] == healthy_state and crisis_left[r] == 0 else 0


def casework_week(rows, draws, available, eff, cases, cs, claiming, isolated_state, k, p, healthy_state):
    """A caseload's week of contacts and then the relationships it leaves, as `SocialWorker.step`
    runs them (the readable rule): `casework_contacts`, then `relationships_and_streaks`, then the
    clients still in acute crisis counted (what `SocialWorker.update_burnout` reads). Returns
    `casework_contacts`'s (need, kept, tie, job, benefit, counts) and that count.
    `casework_week_fast` must equal this."""
    out = casework_contacts(rows, draws, available, eff, cases, cs, claiming, isolated_state, k, p)
    relationships_and_streaks(rows, cs.trust, cs.phase, cs.state, cs.crisis_left, healthy_state, cs.conflict_streak,
                              cs.healthy_streak, p.cooperation_trust, p.conflict_trust)
    return (*out, int(np.count_nonzero(cs.crisis_left[rows] > 0)))


@kernel
def _casework_week(rows, draws, available, eff, want, offer, technique, kind, target, done, tasks, crisis_left,
                   employed, state, trust, goal_fit, phase, regulation, integration, capacity, claiming,
                   isolated_state, k, phase_effect, need, kept, tie, job, benefit, counts, healthy_state,
                   conflict_streak, healthy_streak, conflict_trust):
    """`casework_week` as one compiled pass: `_casework_contacts`, then
    `relationships_and_streaks_fast`, then the count of clients in crisis."""
    _casework_contacts(rows, draws, available, eff, want, offer, technique, kind, target, done, tasks, crisis_left,
                       employed, state, trust, goal_fit, phase, regulation, integration, capacity, claiming,
                       isolated_state, k, phase_effect, need, kept, tie, job, benefit, counts)
    relationships_and_streaks_fast(rows, trust, phase, state, crisis_left, healthy_state, conflict_streak,
                                   healthy_streak, k[_COOPERATION_TRUST], conflict_trust)
    in_crisis = 0
    for i in range(rows.size):
        in_crisis += crisis_left[rows[i]] > 0
    return in_crisis


def casework_week_fast(rows, draws, available, eff, cases, cs, claiming, isolated_state, k, p, healthy_state):
    """`casework_week` through the compiled pass: same arguments, same results
    (tests/model/test_fast_casework.py proves it)."""
    n = rows.size
    need, kept = np.empty(n, dtype=np.float64), np.empty(n, dtype=np.bool_)
    tie, job, benefit = np.zeros(n, dtype=np.bool_), np.zeros(n, dtype=np.bool_), np.empty(n, dtype=np.bool_)
    counts = np.empty(5, dtype=np.int64)
    in_crisis = _casework_week(rows, draws, float(available), float(eff), cases.want, cases.offer, cases.technique,
                               cases.target_kind, cases.target, cases.done, cases.tasks, cs.crisis_left, cs.employed,
                               cs.state, cs.trust, cs.goal_fit, cs.phase, cs.regulation, cs.integration, cs.capacity,
                               claiming, isolated_state, k, PHASE_EFFECT, need, kept, tie, job, benefit, counts,
                               healthy_state, cs.conflict_streak, cs.healthy_streak, float(p.conflict_trust))
    return need, kept, tie, job, benefit, counts, int(in_crisis)

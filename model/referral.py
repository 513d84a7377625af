"""How people reach social work, and what social work achieves, counted honestly.

Two routes lead to a social worker. *Reaction*: another agency (police, health, school)
sees a person's crisis and may or may not pass it on (multi-agency working: Munro, *The
Munro Review of Child Protection*, 2011, on information that fails to travel between
agencies). *Prevention*: universal services screen a share of the population each week; a
screening signal is the person's risk seen through noise, never the true hazard, and a flag
too is passed on only when agencies coordinate. Referrals wait on a list; flags are what
outreach works from.

"Known to an agency" is counted honestly: a person is known only if they have an open case,
or wait on the list of a service that has at least one worker in post. Without any post no
referral is made (there is nobody to refer to) and everybody at high risk counts as missed.

The outcome measures compare clients with matched non-clients: when a case opens, the
unknown person of the same neighbourhood, in or out of crisis as the client is, with as
many past crises (0, 1, 2, 3 or more) and then the nearest crisis hazard becomes the client's comparison. Matching reads the true hazard: it
is the observer's measurement (no random draws), not something any worker knows.
"""

from __future__ import annotations

import numpy as np

from .jit import kernel
from .state import NO_WORKER, NOT_WAITING
from .typology import DurkheimState
from .workforce import WEEKS_PER_YEAR, caseload_limit

ANOMIE, HEALTHY = int(DurkheimState.ANOMIE), int(DurkheimState.INTEGRATED)
NOT_MATCHED = -1
CLIENT, MATCHED = 1, 2  # a person's place in the outcome cohort (`Services.in_cohort`; 0: neither)
# Pincus and Minahan's target system of a case: whom the change must reach (agents/practice.py
# chooses it; the metrics below count it).
TARGET_CLIENT, TARGET_FAMILY, TARGET_EMPLOYER = 0, 1, 2
TINY_SHARE = 1e-12  # below this the screening sample is drawn as a count, not as gaps
PAST_CRISES_CAP = 3  # matching on past crises: 0, 1, 2 or 3 and more

# name -> one line of meaning (model/metrics.py adds them to the metric table)
SOCIAL_WORK_METRICS: dict[str, str] = {
    "open_cases": "Open social-work cases.",
    "waiting_list": "People referred and waiting for a social worker.",
    "mean_wait_weeks": "Mean weeks the people now on the waiting list have waited.",
    "missed_high_risk": "High-risk people (or in crisis) known to no agency with a worker in post: fallen through the gaps.",
    "missed_referrals": "Crises this week that were not passed on to social work (unseen, not shared, or nobody to refer to).",
    "flagged_by_screening": "People flagged by screening this week and passed on for outreach (a noisy signal, not the true risk).",
    "caseload_limit": "Caseload a worker can carry, derived from hours (weekly hours less admin and supervision, over hours per case).",
    "mean_caseload": "Mean caseload of workers in post.",
    "broken_promises": "Promised casework contacts that did not happen this week, over all workers.",
    "mean_burnout": "Mean burnout of social workers in post (0-1).",
    "workers_in_post": "Social-work posts filled this week.",
    "vacancy_rate": "Share of social-work posts vacant (0-1).",
    "turnover_rate": "Workers who left in the last 52 weeks, per filled post (yearly turnover, 0-1+).",
    "crises_clients_rate": "Crises per person-year among people who became clients, since their case opened.",
    "crises_matched_rate": "Crises per person-year among their matched non-clients, over the same kind of time.",
    "crises_averted": "Crises averted by the matched comparison, (matched - client rate) x client person-years; observational, biased against social work (clients are selected by crises): compare the same seed without workers for the causal effect.",
    "crisis_weeks_in_care": "Mean length in weeks of finished crises during which the person had a case.",
    "crisis_weeks_no_care": "Mean length in weeks of finished crises without a case.",
    "recovery_weeks_clients": "Mean weeks from a case opening to the first healthy week, among clients who recovered.",
    "recovery_weeks_matched": "Mean weeks from matching to the first healthy week, among matched non-clients who recovered.",
    "anomie_clients": "Share anomic now among people who have been clients (0-1).",
    "anomie_matched": "Share anomic now among their matched non-clients (0-1).",
    "anomie_group_members": "Share anomic among members of occupational or mutual-aid groups (0-1; 0 without groups).",
    "anomie_non_members": "Share anomic among people in no group (0-1).",
    "anomie_joiners": "Share anomic now among people who joined an occupational or mutual-aid group and have a matched non-member (0-1).",
    "anomie_matched_non_members": "Share anomic now among their matched non-members: same sector and employment, integration and regulation in the same tenth before joining (0-1; observational).",
    "matched_group_pairs": "Group joiners with a matched non-member who has not joined since (the pairs behind the two shares above).",
    "groups_founded_by_workers": "Groups founded by community development that are still alive.",
    "cases_opened_total": "Cases opened since the start (from the waiting list or by outreach).",
    "mean_case_weeks": "Mean length in weeks of the cases ended so far (planned endings and drop-outs).",
    "goals_met_total": "Cases ended at the planned review with every agreed task achieved, since the start.",
    "dropouts_total": "Cases ended by the client dropping out, since the start.",
    "jobs_found_total": "Jobs found for out-of-work clients through advocacy, since the start.",
    "benefit_claimants": "People out of work drawing the income-related benefit that advocacy secured for them (nobody claims it unaided).",
    "benefits_secured_total": "Unclaimed benefits secured for out-of-work clients through advocacy, since the start.",
    "worker_hours_total": "Worker contact hours spent since the start (casework, crisis, advocacy, groups, community).",
    "hours_per_goal_met": "Cost per outcome: worker contact hours per case ended with its goals met (0 until one is).",
    "hours_per_crisis_averted": "Cost per outcome: worker contact hours per estimated crisis averted (0 while none is).",
    "target_family": "Open cases whose target system is a family member or neighbour (the social environment).",
    "target_employer": "Open cases whose target system is an employer or benefits office (advocacy).",
}


class AppendedRows:
    """Rows appended over a run, in order, in a buffer that doubles when full.

    An append copies only the new rows (amortised), never everything appended before:
    the client cohort grows with every client ever taken on, a few thousand appends a week
    at a million citizens.
    """

    def __init__(self) -> None:
        self._buf = np.empty(16, dtype=np.int64)
        self.size = 0

    def append(self, rows: np.ndarray) -> None:
        end = self.size + rows.size
        if end > self._buf.size:
            buf = np.empty(max(end, 2 * self._buf.size), dtype=np.int64)
            buf[: self.size] = self._buf[: self.size]
            self._buf = buf
        self._buf[self.size : end] = rows
        self.size = end

    @property
    def rows(self) -> np.ndarray:
        """Everything appended so far, in order (a view: read it, do not keep it across appends)."""
        return self._buf[: self.size]


class Services:
    """The service-wide side of social work: the waiting list, screening flags, the workforce's record, outcomes.

    Arrays over citizens grow lazily when newcomers arrive (rows are only ever appended).
    """

    # the per-citizen arrays and what a newcomer's row starts as (`grow`)
    PER_CITIZEN = (
        ("matched_to", np.int64, NOT_MATCHED),  # a client's matched non-client
        ("cohort_since", np.int64, -1),  # step a client's case opened / a match was made
        ("crises_at_entry", np.int64, 0),
        ("recovered_at", np.int64, -1),
        ("in_cohort", np.int8, 0),  # CLIENT, MATCHED or 0
        # group joiners against matched non-members (`match_group_joiners`): who has ever been a
        # member or a comparison, and last observation's matching cell (-1: not yet observed)
        ("ever_member", bool, False),
        ("is_comparison", bool, False),
        ("prev_cell", np.int64, -1),
        # an income-related benefit secured by advocacy and drawn while out of work (economy.benefit_top_up)
        ("claiming", bool, False),
    )

    def __init__(self, n: int):
        self.n = 0
        for name, dtype, _ in self.PER_CITIZEN:
            setattr(self, name, np.empty(0, dtype=dtype))
        self.grow(n)
        self.pair_joiner = np.empty(0, dtype=np.int64)  # group joiners with a matched non-member
        self.pair_other = np.empty(0, dtype=np.int64)  # and that non-member, aligned
        self.client_log = AppendedRows()  # everybody who has been a client, once each, in order
        self.matched_log = AppendedRows()  # everybody ever matched, once each, in order (some became clients since)
        self.queue = np.empty(0, dtype=np.int64)
        self.waiting = 0
        self.set_flags(np.empty(0, dtype=np.int64), np.empty(0), np.empty(0, dtype=np.int64))
        self.missed_referrals = 0
        # crisis episodes under way: row, onset step, whether the person had a case during it
        self.episode_rows = np.empty(0, dtype=np.int64)
        self.episode_start = np.empty(0, dtype=np.int64)
        self.episode_care = np.empty(0, dtype=bool)
        self.crisis_weeks = {True: [0, 0], False: [0, 0]}  # care -> [weeks, episodes]
        # the workforce's record
        self.leavers: list[int] = []  # step of each departure
        self.filled_history: list[int] = []  # posts filled, week by week
        # outcomes
        self.hours = 0.0
        self.goals_met = 0
        self.dropouts = 0
        self.planned_endings = 0
        self.cases_opened = 0
        self.case_weeks = 0  # summed over the cases ended
        self.cases_ended = 0
        self.jobs_found = 0
        self.benefits_secured = 0
        self.broken_promises = 0  # this week
        # the parameters, the healthy middle and the casework pass's array made of them (agents/social_worker.py)
        self.casework_k = (None, None, None)
        # the parameters, the funded share of hours and the week's numbers every post shares (agents/social_worker.py)
        self.work_week = (None, None, None)

    @property
    def clients(self) -> np.ndarray:
        """Everybody who has been a client, once each, in the order they were enrolled."""
        return self.client_log.rows

    @property
    def matched(self) -> np.ndarray:
        """The matched non-clients, once each, in the order they were matched: everybody ever
        matched who has not become a client since (`enrol_clients`)."""
        ever = self.matched_log.rows
        return ever[self.in_cohort[ever] == MATCHED]

    def set_flags(self, rows: np.ndarray, signal: np.ndarray, patch: np.ndarray) -> None:
        """This week's screening flags, passed on for outreach: sorted by neighbourhood, then
        the strongest signal first, then by row, so each worker takes from its own slice."""
        order = np.lexsort((rows, -signal, patch))
        self.flag_rows, self.flag_signal, self.flag_patch = rows[order], signal[order], patch[order]
        self.flag_taken = np.zeros(rows.size, dtype=bool)

    def grow(self, n: int) -> None:
        """Extend the per-citizen arrays to n rows (newcomers)."""
        k = n - self.n
        if k <= 0:
            return
        for name, dtype, start in self.PER_CITIZEN:
            setattr(self, name, np.concatenate([getattr(self, name), np.full(k, start, dtype=dtype)]))
        self.n = n


def services(model) -> Services:
    """The model's service-wide record, made on first use."""
    s = getattr(model, "services", None)
    if s is None:
        s = model.services = Services(model.citizens.n)
    elif s.n != model.citizens.n:  # newcomers arrived (called many times a week: no call when nothing grew)
        s.grow(model.citizens.n)
    return s


def posts_filled(model) -> int:
    return sum(1 for w in model.social_workers if w.in_post)


# -- the weekly order of social work -------------------------------------------------------
def social_work_week(model) -> None:
    """Every post's working week (`SocialWorker.step`), item 3 of the model's week, in an order
    drawn from the social-work stream (no other draws)."""
    workers = model.social_workers
    if not workers:
        return
    order = model.streams.social_work.permutation(len(workers))
    s = services(model)
    s.broken_promises = 0
    for k in order:
        workers[k].step()
    s.filled_history.append(posts_filled(model))


# -- referral: reaction and prevention -----------------------------------------------------
def refer_to_services(model) -> None:
    """Multi-agency working and screening; then the waiting list is put in order.

    Reaction: a new crisis of a person unknown to social work is seen by another agency with
    probability `agency_contact` and passed on with probability `agency_coordination` (one
    draw decides both); the rest are missed. Prevention: universal services screen a share
    `screening_coverage` of citizens; a person's signal is their hazard times lognormal
    noise (`screening_noise`), and a signal at or over `high_risk_hazard` raises a flag,
    passed on with probability `agency_coordination`. Without any post nothing is passed
    on. People on the list neither in crisis nor at high risk leave it (the referral lapses).
    """
    s, cs, p = services(model), model.citizens, model.params
    rng = model.streams.referral
    service = len(model.social_workers) > 0
    onsets = getattr(model, "onsets", np.empty(0, dtype=np.int64))
    track_crises(s, cs, onsets, model.steps)
    unknown = onsets[(cs.case_worker[onsets] == NO_WORKER) & (cs.waiting_since[onsets] == NOT_WAITING)]
    u = rng.random(unknown.size)
    passed = (u < p.agency_contact * p.agency_coordination) & service
    cs.waiting_since[unknown[passed]] = model.steps
    s.missed_referrals = int(unknown.size - passed.sum())
    screen(s, model, service)
    order_waiting_list(s, cs, p.high_risk_hazard)


def screen(s: Services, model, service: bool) -> None:
    """Prevention with imperfect information: a noisy screening signal flags some people, missing others."""
    cs, p, rng = model.citizens, model.params, model.streams.referral
    seen = bernoulli_rows(rng, cs.n, p.screening_coverage)
    signal = cs.hazard[seen] * np.exp(p.screening_noise * rng.standard_normal(seen.size))
    passed_on = rng.random(seen.size) < p.agency_coordination
    flag = (signal >= p.high_risk_hazard) & passed_on & service
    flag &= (cs.case_worker[seen] == NO_WORKER) & (cs.waiting_since[seen] == NOT_WAITING)
    s.set_flags(seen[flag], signal[flag], cs.patch[seen[flag]])


def bernoulli_rows(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    """Each of n rows chosen independently with probability `share`, ascending.

    Drawn as geometric gaps between chosen rows, so the cost follows the number chosen,
    not n (a million citizens, 5% screened a week: 50,000 draws, not a million).
    """
    if n == 0 or share <= 0.0:
        return np.empty(0, dtype=np.int64)
    if share < TINY_SHARE:  # geometric gaps would overflow: draw the count, then the rows
        return np.sort(rng.choice(n, size=rng.binomial(n, share), replace=False))
    rows = []
    last = -1
    while last < n - 1:
        k = int((n - 1 - last) * share * 1.1) + 16
        picks = last + np.cumsum(rng.geometric(share, size=k))
        rows.append(picks[picks < n])
        last = int(picks[-1])
    return np.concatenate(rows)


def order_waiting_list(s: Services, cs, high_risk: float) -> None:
    """Acute crises first, then the longest waiting, then by row.

    People neither in crisis nor at high risk any more leave the list: the referring agency
    withdraws the referral (its judgment, read here from the hazard).

    The order holds until the next referrals: in between only the workers' intake runs,
    which takes from the front (people waiting are nobody's clients).
    """
    waiting = np.flatnonzero(cs.waiting_since != NOT_WAITING)
    calm = cs.crisis_left[waiting] == 0
    lapsed = calm & (cs.hazard[waiting] < high_risk)
    cs.waiting_since[waiting[lapsed]] = NOT_WAITING
    waiting, calm = waiting[~lapsed], calm[~lapsed]
    since = cs.waiting_since[waiting]
    order = np.lexsort((waiting, since, calm))
    s.queue = waiting[order]
    s.waiting = int(waiting.size)


def waiting_count(model) -> int:
    return services(model).waiting


def pop_waiting(model, k: int) -> np.ndarray:
    """Take up to k people off the waiting list, from the front."""
    s = services(model)
    if k <= 0 or s.waiting == 0:
        return np.empty(0, dtype=np.int64)
    taken, s.queue = s.queue[:k], s.queue[k:]
    model.citizens.waiting_since[taken] = NOT_WAITING
    s.waiting -= int(taken.size)
    return taken


def flagged_in(s: Services, patch: int, k: int) -> np.ndarray:
    """Up to k people flagged by screening in one neighbourhood and not yet taken, the strongest signal first."""
    if k <= 0 or s.flag_rows.size == 0:
        return np.empty(0, dtype=np.int64)
    lo, hi = np.searchsorted(s.flag_patch, [patch, patch + 1])
    free = lo + np.flatnonzero(~s.flag_taken[lo:hi])[:k]
    s.flag_taken[free] = True
    return s.flag_rows[free]


@kernel
def _flagged_in(flag_patch, flag_taken, patch, k, out):
    """`flagged_in` on the arrays as one compiled pass: the neighbourhood's slice found by binary
    search (as np.searchsorted, left side), its first k flags not yet taken marked taken. Fills
    `out` with their positions, returns how many."""
    lo, hi = np.searchsorted(flag_patch, patch), np.searchsorted(flag_patch, patch + 1)
    n = 0
    for i in range(lo, hi):
        if n == k:
            break
        if not flag_taken[i]:
            flag_taken[i] = True
            out[n] = i
            n += 1
    return n


def flagged_in_fast(s: Services, patch: int, k: int) -> np.ndarray:
    """`flagged_in` through the compiled pass: the same people, the same flags taken
    (tests/socialwork/test_many_posts.py proves it)."""
    if k <= 0 or s.flag_rows.size == 0:
        return np.empty(0, dtype=np.int64)
    out = np.empty(k, dtype=np.int64)
    n = _flagged_in(s.flag_patch, s.flag_taken, patch, k, out)
    return s.flag_rows[out[:n]]


# -- measuring outcomes --------------------------------------------------------------------
def track_crises(s: Services, cs, onsets: np.ndarray, step: int) -> None:
    """Crisis episodes: when each began, whether the person had a case during it, how long it lasted."""
    care = cs.case_worker[s.episode_rows] != NO_WORKER
    s.episode_care |= care
    over = cs.crisis_left[s.episode_rows] == 0
    for in_care in (True, False):
        done = over & (s.episode_care == in_care)
        s.crisis_weeks[in_care][0] += int((step - s.episode_start[done]).sum())
        s.crisis_weeks[in_care][1] += int(done.sum())
    keep = ~over
    new = onsets[cs.crisis_left[onsets] > 0]
    s.episode_rows = np.concatenate([s.episode_rows[keep], new])
    s.episode_start = np.concatenate([s.episode_start[keep], np.full(new.size, step, dtype=np.int64)])
    s.episode_care = np.concatenate([s.episode_care[keep], cs.case_worker[new] != NO_WORKER])


def enrol_clients(model, rows: np.ndarray, patch_rows: np.ndarray) -> None:
    """New clients join the client cohort, each with a matched non-client from the same neighbourhood.

    The comparison is chosen among the neighbourhood's people unknown to social work by
    `match_comparisons`. A person matched earlier who now becomes a
    client leaves the comparison group (their comparison is kept as it was: the estimate is
    conservative for them).
    """
    s, cs = services(model), model.citizens
    t = model.steps
    new = rows[s.in_cohort[rows] != CLIENT]
    if new.size == 0:
        return
    s.in_cohort[new] = CLIENT
    s.cohort_since[new] = t
    s.crises_at_entry[new] = cs.crises[new]
    s.recovered_at[new] = -1
    s.client_log.append(new)
    pool = patch_rows[(s.in_cohort[patch_rows] == 0) & (cs.case_worker[patch_rows] == NO_WORKER)
                      & (cs.waiting_since[patch_rows] == NOT_WAITING)]
    if pool.size == 0:
        return
    picks = match_comparisons(cs.hazard[pool], cs.crisis_left[pool] > 0, np.minimum(cs.crises[pool], PAST_CRISES_CAP),
                                   cs.hazard[new], cs.crisis_left[new] > 0, np.minimum(cs.crises[new], PAST_CRISES_CAP))
    if picks.size:
        m = pool[picks]
        s.matched_to[new[: picks.size]] = m
        s.in_cohort[m] = MATCHED
        s.cohort_since[m] = t
        s.crises_at_entry[m] = cs.crises[m]
        s.recovered_at[m] = -1
        s.matched_log.append(m)


@kernel
def _enrol_clients(rows, patch_rows, step, in_cohort, cohort_since, crises_at_entry, recovered_at, matched_to, crises,
                   crisis_left, hazard, case_worker, waiting_since, new_out, matched_out):
    """`enrol_clients` on the arrays as one compiled pass (the same steps in the same order, the
    matching by `_match_comparisons`). Fills the new clients and their comparisons, returns how many of each."""
    n_new = 0
    for i in range(rows.size):
        if in_cohort[rows[i]] != CLIENT:
            new_out[n_new] = rows[i]
            n_new += 1
    if n_new == 0:
        return 0, 0
    new = new_out[:n_new]
    for r in new:
        in_cohort[r] = CLIENT
        cohort_since[r] = step
        crises_at_entry[r] = crises[r]
        recovered_at[r] = -1
    n_pool = 0
    pool = np.empty(patch_rows.size, dtype=np.int64)
    for r in patch_rows:
        if in_cohort[r] == 0 and case_worker[r] == NO_WORKER and waiting_since[r] == NOT_WAITING:
            pool[n_pool] = r
            n_pool += 1
    if n_pool == 0:
        return n_new, 0
    pool = pool[:n_pool]
    h, crisis, past = np.empty(n_pool), np.empty(n_pool, dtype=np.bool_), np.empty(n_pool, dtype=np.int64)
    for q in range(n_pool):
        r = pool[q]
        h[q], crisis[q], past[q] = hazard[r], crisis_left[r] > 0, min(crises[r], PAST_CRISES_CAP)
    client_h, client_crisis = np.empty(n_new), np.empty(n_new, dtype=np.bool_)
    client_past = np.empty(n_new, dtype=np.int64)
    for i in range(n_new):
        r = new[i]
        client_h[i], client_crisis[i], client_past[i] = hazard[r], crisis_left[r] > 0, min(crises[r], PAST_CRISES_CAP)
    chosen = np.empty(n_new, dtype=np.int64)
    k = _match_comparisons(h, crisis, past, client_h, client_crisis, client_past, chosen)
    for i in range(k):
        m = pool[chosen[i]]
        matched_out[i] = m
        matched_to[new[i]] = m
        in_cohort[m] = MATCHED
        cohort_since[m] = step
        crises_at_entry[m] = crises[m]
        recovered_at[m] = -1
    return n_new, k


def enrol_clients_fast(model, rows: np.ndarray, patch_rows: np.ndarray) -> None:
    """`enrol_clients` through the compiled pass: the same cohort, the same comparisons
    (tests/socialwork/test_many_posts.py proves it)."""
    s, cs = services(model), model.citizens
    new, matched = np.empty(rows.size, dtype=np.int64), np.empty(rows.size, dtype=np.int64)
    n_new, n_matched = _enrol_clients(rows, patch_rows, model.steps, s.in_cohort, s.cohort_since, s.crises_at_entry,
                                      s.recovered_at, s.matched_to, cs.crises, cs.crisis_left, cs.hazard, cs.case_worker,
                                      cs.waiting_since, new, matched)
    if n_new:
        s.client_log.append(new[:n_new])
    if n_matched:
        s.matched_log.append(matched[:n_matched])


def match_comparisons(h, crisis, past, client_h, client_crisis, client_past) -> np.ndarray:
    """Each new client's comparison among the pool, client by client (the readable rule): the same
    crisis status first, then the same count of past crises (capped), then the nearest hazard;
    nobody is chosen twice, and matching stops at the first client for whom only people already
    chosen are left. Returns the pool positions chosen, one for each of the first clients.
    `match_comparisons_fast` must equal this.
    """
    used = np.zeros(h.size, dtype=bool)
    chosen = []
    for hr, cr, pr in zip(client_h, client_crisis, client_past):
        gap = np.abs(h - hr) + 10.0 * (crisis != cr) + 1.0 * (past != pr) + 100.0 * used
        j = int(np.argmin(gap))
        if used[j]:
            break
        used[j] = True
        chosen.append(j)
    return np.asarray(chosen, dtype=np.int64)


@kernel
def _match_comparisons(h, crisis, past, client_h, client_crisis, client_past, chosen):
    """`match_comparisons` as one compiled loop: the same gaps summed in the same order, the first
    smallest (as np.argmin, a NaN counting as smallest). Fills `chosen`, returns how many."""
    used = np.zeros(h.size, dtype=np.bool_)
    for i in range(client_h.size):
        best, j = np.inf, -1
        for q in range(h.size):
            gap = (abs(h[q] - client_h[i]) + (10.0 if crisis[q] != client_crisis[i] else 0.0)
                   + (1.0 if past[q] != client_past[i] else 0.0) + (100.0 if used[q] else 0.0))
            if j < 0 or gap < best or (gap != gap and best == best):
                best, j = gap, q
        if used[j]:
            return i
        used[j] = True
        chosen[i] = j
    return client_h.size


def match_comparisons_fast(h, crisis, past, client_h, client_crisis, client_past) -> np.ndarray:
    """`match_comparisons` through the compiled pass: same arguments, same result
    (tests/socialwork/test_many_posts.py proves it)."""
    chosen = np.empty(client_h.size, dtype=np.int64)
    if h.size == 0:
        return chosen[:0]
    k = _match_comparisons(h, crisis, past, client_h, client_crisis, client_past, chosen)
    return chosen[:k]


MATCH_BINS = 10  # coarsening of integration and regulation for matching: tenths of [0, 1]


def matching_cell(sector: np.ndarray, employed: np.ndarray, integration: np.ndarray, regulation: np.ndarray) -> np.ndarray:
    """Each person's matching cell: sector and employment exactly, integration and regulation coarsened to tenths.

    Coarsened exact matching (Iacus, King and Porro, "Causal inference without balance
    checking: coarsened exact matching", Political Analysis 2012; reviewed among matching
    methods by Stuart, "Matching methods for causal inference", Statistical Science 2010).
    """
    bi = np.minimum((np.clip(integration, 0.0, 1.0) * MATCH_BINS).astype(np.int64), MATCH_BINS - 1)
    br = np.minimum((np.clip(regulation, 0.0, 1.0) * MATCH_BINS).astype(np.int64), MATCH_BINS - 1)
    return ((sector.astype(np.int64) * 2 + employed) * MATCH_BINS + bi) * MATCH_BINS + br


def match_group_joiners(s: Services, cell: np.ndarray, member: np.ndarray) -> None:
    """Pair each new member of an occupational or mutual-aid group with a non-member who was like them before joining.

    A joiner is a member now who was never one before. Their comparison is a person who has
    never been a member nor a comparison and who, at the last observation (the week before
    the joining was seen), shared their matching cell (`matching_cell`: the same sector and
    employment, integration and regulation in the same tenths), the lowest row first: an
    observer's rule, no random draws. Joiners with nobody left in their cell stay unmatched;
    joiners not yet observed once (the first week, newcomers) are not matched. A pair whose
    comparison person later joins a group leaves the comparison (`group_comparison`). Then
    every cell is recorded for the next observation. Selection into groups on what matching
    cannot see (ties to members, the sector's groups) remains: the comparison is observational.
    """
    joiners = np.flatnonzero(member & ~s.ever_member)
    s.ever_member[joiners] = True
    joiners = joiners[s.prev_cell[joiners] >= 0]
    if joiners.size:
        pool = np.flatnonzero(~s.ever_member & ~s.is_comparison & (s.prev_cell >= 0))
        jc = s.prev_cell[joiners]
        pool = pool[np.isin(s.prev_cell[pool], jc)]
        pool = pool[np.argsort(s.prev_cell[pool], kind="stable")]  # by cell, then row (rows ascend)
        pc = s.prev_cell[pool]
        order = np.argsort(jc, kind="stable")
        joiners, jc = joiners[order], jc[order]
        first, end = np.searchsorted(pc, jc, "left"), np.searchsorted(pc, jc, "right")
        rank = np.arange(jc.size) - np.searchsorted(jc, jc, "left")  # the joiner's place among its cell's joiners
        ok = first + rank < end
        other = pool[first[ok] + rank[ok]]
        s.is_comparison[other] = True
        s.pair_joiner = np.concatenate([s.pair_joiner, joiners[ok]])
        s.pair_other = np.concatenate([s.pair_other, other])
    s.prev_cell[:] = cell


@kernel
def _match_group_joiners(sector, employed, integration, regulation, member, ever_member, is_comparison, prev_cell,
                         bins, joiner_out, other_out):
    """`match_group_joiners` with `matching_cell` as one compiled pass: joiners found in row
    order, each cell's pool taken in row order, the pairs listed by cell and then row (the
    stable sorts' order). Fills the outputs, returns the number of pairs."""
    n = member.size
    joiners = np.empty(n, dtype=np.int64)
    n_joiners = 0
    top = -1
    for r in range(n):
        if member[r] and not ever_member[r]:
            ever_member[r] = True
            if prev_cell[r] >= 0:
                joiners[n_joiners] = r
                n_joiners += 1
                top = max(top, prev_cell[r])
    n_pairs = 0
    if n_joiners:
        need = np.zeros(top + 1, dtype=np.int64)
        for i in range(n_joiners):
            need[prev_cell[joiners[i]]] += 1
        start = np.zeros(top + 2, dtype=np.int64)
        for c in range(top + 1):
            start[c + 1] = start[c] + need[c]
        got = np.zeros(top + 1, dtype=np.int64)
        slot = np.empty(n_joiners, dtype=np.int64)
        for r in range(n):  # each cell's pool in row order: the lowest rows first
            c = prev_cell[r]
            if 0 <= c <= top and got[c] < need[c] and not ever_member[r] and not is_comparison[r]:
                slot[start[c] + got[c]] = r
                got[c] += 1
        placed = np.zeros(top + 1, dtype=np.int64)
        by_cell = np.empty(n_joiners, dtype=np.int64)
        for i in range(n_joiners):  # a stable sort of the joiners by cell
            c = prev_cell[joiners[i]]
            by_cell[start[c] + placed[c]] = joiners[i]
            placed[c] += 1
        for q in range(n_joiners):
            c = prev_cell[by_cell[q]]
            if q - start[c] < got[c]:
                joiner_out[n_pairs] = by_cell[q]
                other_out[n_pairs] = slot[q]
                n_pairs += 1
        for q in range(n_pairs):
            is_comparison[other_out[q]] = True
    for r in range(n):
        x, y = integration[r], regulation[r]
        x = 0.0 if x < 0.0 else (1.0 if x > 1.0 else x)
        y = 0.0 if y < 0.0 else (1.0 if y > 1.0 else y)
        bi, br = min(np.int64(x * bins), bins - 1), min(np.int64(y * bins), bins - 1)
        prev_cell[r] = ((np.int64(sector[r]) * 2 + np.int64(employed[r])) * bins + bi) * bins + br
    return n_pairs


def match_group_joiners_fast(s: Services, sector, employed, integration, regulation, member) -> None:
    """`match_group_joiners(s, matching_cell(sector, employed, integration, regulation), member)`
    through the compiled pass: the same pairs in the same order, the same records
    (tests/socialwork/test_group_matching.py proves it)."""
    joiner = np.empty(member.size, dtype=np.int64)
    other = np.empty(member.size, dtype=np.int64)
    k = _match_group_joiners(sector, employed, integration, regulation, member, s.ever_member, s.is_comparison,
                             s.prev_cell, MATCH_BINS, joiner, other)
    if k:
        s.pair_joiner = np.concatenate([s.pair_joiner, joiner[:k]])
        s.pair_other = np.concatenate([s.pair_other, other[:k]])


def group_comparison(s: Services, anomic: np.ndarray) -> tuple[float, float, int]:
    """(share anomic among matched joiners, among their matched non-members, number of pairs), over the
    pairs whose comparison person has not joined a group since."""
    live = ~s.ever_member[s.pair_other]
    j, o = s.pair_joiner[live], s.pair_other[live]
    if j.size == 0:
        return 0.0, 0.0, 0
    return float(anomic[j].mean()), float(anomic[o].mean()), int(j.size)


def _cohort(s: Services, cs, rows: np.ndarray, step: int) -> tuple[float, float, float, float]:
    """(crises per person-year, person-years, mean weeks to recovery, share anomic) for a cohort."""
    if rows.size == 0:
        return 0.0, 0.0, 0.0, 0.0
    not_yet = rows[s.recovered_at[rows] < 0]
    well = (cs.state[not_yet] == HEALTHY) & (cs.crisis_left[not_yet] == 0)
    s.recovered_at[not_yet[well]] = step
    years = float((step - s.cohort_since[rows]).sum()) / WEEKS_PER_YEAR
    crises = float((cs.crises[rows] - s.crises_at_entry[rows]).sum())
    rec = rows[s.recovered_at[rows] >= 0]
    recovery = float((s.recovered_at[rec] - s.cohort_since[rec]).mean()) if rec.size else 0.0
    anomic = float(np.mean(cs.state[rows] == ANOMIE))
    return (crises / years if years > 0 else 0.0), years, recovery, anomic


@kernel
def _cohort_sums(rows, recovered_at, cohort_since, crises_at_entry, state, crisis_left, crises, step, healthy, anomie):
    """The sums behind `_cohort` in one pass, recording first recoveries as it goes: person-weeks,
    crises since entry, recoveries and their weeks, people anomic (whole numbers: any order of
    adding gives the same)."""
    weeks = crises_sum = recovered = recovery_weeks = anomic = 0
    for i in range(rows.size):
        r = rows[i]
        if recovered_at[r] < 0 and state[r] == healthy and crisis_left[r] == 0:
            recovered_at[r] = step
        weeks += step - cohort_since[r]
        crises_sum += crises[r] - crises_at_entry[r]
        if recovered_at[r] >= 0:
            recovered += 1
            recovery_weeks += recovered_at[r] - cohort_since[r]
        anomic += state[r] == anomie
    return weeks, crises_sum, recovered, recovery_weeks, anomic


def _cohort_fast(s: Services, cs, rows: np.ndarray, step: int) -> tuple[float, float, float, float]:
    """`_cohort` through the compiled pass: the same numbers (whole-number sums, then the same
    divisions; tests/socialwork/test_many_posts.py proves it)."""
    if rows.size == 0:
        return 0.0, 0.0, 0.0, 0.0
    weeks, crises, recovered, recovery_weeks, anomic = _cohort_sums(
        rows, s.recovered_at, s.cohort_since, s.crises_at_entry, cs.state, cs.crisis_left, cs.crises, step, HEALTHY, ANOMIE)
    years = float(weeks) / WEEKS_PER_YEAR
    recovery = float(recovery_weeks) / recovered if recovered else 0.0
    return (float(crises) / years if years > 0 else 0.0), years, recovery, float(anomic) / rows.size


def citizen_counts(cs, claiming: np.ndarray, member: np.ndarray | None, high_risk_hazard: float, service: bool) -> np.ndarray:
    """The counts over everybody that the week's metrics read (the readable rule): open cases;
    people at high risk or in crisis known to no agency with a worker in post (`service`: some
    post is filled); group members; anomic members; people in no group (everybody without
    groups: `member` None); anomic people in no group; people out of work drawing a secured
    benefit. `citizen_counts_fast` must equal this."""
    open_cases = cs.case_worker != NO_WORKER
    high_risk = (cs.hazard >= high_risk_hazard) | (cs.crisis_left > 0)
    known = open_cases | ((cs.waiting_since != NOT_WAITING) & service)
    anomic = cs.state == ANOMIE
    member = np.zeros(cs.n, dtype=bool) if member is None else member
    return np.array([np.count_nonzero(open_cases), np.count_nonzero(high_risk & ~known), np.count_nonzero(member),
                     np.count_nonzero(anomic & member), np.count_nonzero(~member), np.count_nonzero(anomic & ~member),
                     np.count_nonzero(claiming & ~cs.employed[: claiming.size])], dtype=np.int64)


@kernel
def _citizen_counts(case_worker, hazard, crisis_left, waiting_since, state, employed, claiming, member_of, has_groups,
                    high_risk_hazard, service, anomie, counts):
    """`citizen_counts` as one compiled pass over everybody (whole-number counts)."""
    counts[:] = 0
    for r in range(case_worker.size):
        open_case = case_worker[r] != NO_WORKER
        counts[0] += open_case
        known = open_case or (waiting_since[r] != NOT_WAITING and service)
        counts[1] += (hazard[r] >= high_risk_hazard or crisis_left[r] > 0) and not known
        anomic = state[r] == anomie
        if has_groups and member_of[r] >= 0:
            counts[2] += 1
            counts[3] += anomic
        else:
            counts[4] += 1
            counts[5] += anomic
    for r in range(claiming.size):
        counts[6] += claiming[r] and not employed[r]


def citizen_counts_fast(cs, claiming: np.ndarray, member_of: np.ndarray | None, high_risk_hazard: float,
                        service: bool) -> np.ndarray:
    """`citizen_counts(cs, claiming, member_of >= 0, ...)` (or with `member` None when `member_of`
    is None) through the compiled pass (tests/socialwork/test_many_posts.py proves it)."""
    counts = np.empty(7, dtype=np.int64)
    has_groups = member_of is not None
    _citizen_counts(cs.case_worker, cs.hazard, cs.crisis_left, cs.waiting_since, cs.state, cs.employed, claiming,
                    member_of if has_groups else cs.case_worker, has_groups, float(high_risk_hazard), bool(service),
                    ANOMIE, counts)
    return counts


def social_work_metrics(model) -> dict[str, float]:
    """The social-work metrics of the current week (see SOCIAL_WORK_METRICS)."""
    s, cs, p = services(model), model.citizens, model.params
    t = model.steps
    workers = model.social_workers
    in_post = [w for w in workers if w.in_post]
    out: dict[str, float] = {}
    groups = getattr(model, "groups", None)
    with_groups = groups is not None and groups.member_of.size == cs.n
    n_open, missed, n_members, anomic_members, n_others, anomic_others, claimants = citizen_counts_fast(
        cs, s.claiming, groups.member_of if with_groups else None, p.high_risk_hazard, bool(in_post)).tolist()
    out["open_cases"] = n_open
    waiting = s.queue[:s.waiting]
    out["waiting_list"] = int(s.waiting)
    out["mean_wait_weeks"] = float((t - cs.waiting_since[waiting]).mean()) if waiting.size else 0.0
    out["missed_high_risk"] = missed
    out["missed_referrals"] = int(s.missed_referrals)
    out["flagged_by_screening"] = int(s.flag_rows.size)
    out["caseload_limit"] = caseload_limit(p, model.conditions.worker_capacity)
    out["mean_caseload"] = float(np.mean([w.caseload for w in in_post])) if in_post else 0.0
    out["broken_promises"] = int(s.broken_promises)
    out["mean_burnout"] = float(np.mean([w.burnout for w in in_post])) if in_post else 0.0
    out["workers_in_post"] = len(in_post)
    out["vacancy_rate"] = 1.0 - len(in_post) / len(workers) if workers else 0.0
    recent = s.filled_history[-WEEKS_PER_YEAR:]
    mean_filled = float(np.mean(recent)) if recent else 0.0
    left = sum(1 for step in s.leavers if step > t - WEEKS_PER_YEAR)
    # over a year's window (or the weeks so far, scaled to a year)
    weeks = max(min(len(recent), WEEKS_PER_YEAR), 1)
    out["turnover_rate"] = left / mean_filled * WEEKS_PER_YEAR / weeks if mean_filled > 0 else 0.0
    rate_c, years_c, rec_c, anom_c = _cohort_fast(s, cs, s.clients, t)
    matched = s.matched
    rate_m, _, rec_m, anom_m = _cohort_fast(s, cs, matched, t)
    out["crises_clients_rate"] = rate_c
    out["crises_matched_rate"] = rate_m
    averted = (rate_m - rate_c) * years_c if matched.size else 0.0
    out["crises_averted"] = averted
    for care, name in ((True, "crisis_weeks_in_care"), (False, "crisis_weeks_no_care")):
        weeks_sum, episodes = s.crisis_weeks[care]
        out[name] = weeks_sum / episodes if episodes else 0.0
    out["recovery_weeks_clients"] = rec_c
    out["recovery_weeks_matched"] = rec_m
    out["anomie_clients"] = anom_c
    out["anomie_matched"] = anom_m
    # without groups everybody is a non-member (citizen_counts)
    out["anomie_group_members"] = anomic_members / n_members if n_members else 0.0
    out["anomie_non_members"] = anomic_others / n_others if n_others else 0.0
    if with_groups:
        out["groups_founded_by_workers"] = int(np.count_nonzero(groups.alive & (groups.founder >= 0)))
        match_group_joiners_fast(s, cs.sector, cs.employed, cs.integration, cs.regulation, groups.member_of >= 0)
        out["anomie_joiners"], out["anomie_matched_non_members"], out["matched_group_pairs"] = group_comparison(
            s, cs.state == ANOMIE)
    else:
        out["anomie_joiners"] = out["anomie_matched_non_members"] = 0.0
        out["matched_group_pairs"] = 0
        out["groups_founded_by_workers"] = 0
    out["cases_opened_total"] = int(s.cases_opened)
    out["mean_case_weeks"] = s.case_weeks / s.cases_ended if s.cases_ended else 0.0
    out["goals_met_total"] = int(s.goals_met)
    out["dropouts_total"] = int(s.dropouts)
    out["jobs_found_total"] = int(s.jobs_found)
    out["benefit_claimants"] = claimants
    out["benefits_secured_total"] = int(s.benefits_secured)
    out["worker_hours_total"] = float(s.hours)
    out["hours_per_goal_met"] = s.hours / s.goals_met if s.goals_met else 0.0
    out["hours_per_crisis_averted"] = s.hours / averted if averted > 0 else 0.0
    kinds = [w.cases.target_kind for w in in_post if w.caseload]
    kinds = np.concatenate(kinds) if kinds else np.empty(0, dtype=np.int8)
    out["target_family"] = int(np.count_nonzero(kinds == TARGET_FAMILY))
    out["target_employer"] = int(np.count_nonzero(kinds == TARGET_EMPLOYER))
    return out

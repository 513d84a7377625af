"""The social-work workforce: hours, the caseload limit they imply, burnout, supervision, leaving, vacancies.

Capacity comes from hours, as a service planner computes it: contracted hours minus
administration and supervision give contact time; group work and community development take
their shares of it; what is left, divided by the weekly hours one open case needs, is the
caseload a worker can carry. The limit is derived, never set (`caseload_limit`).

Workers wear down from overload and from exposure to clients in crisis (secondary
traumatic stress: Figley, *Compassion Fatigue*, 1995; burnout as exhaustion from work
demands: Maslach & Leiter, *The Truth about Burnout*, 1997). Supervision restores them at a
cost in contact hours; past a threshold they are given rehabilitation, which costs more.
Burnt-out workers are more likely to leave; a vacated post stays empty for a while
(England's children's social work: about 16% turnover and 16% vacancies a year, DfE
workforce census 2017-2020) and its caseload is reallocated.
"""

from __future__ import annotations

import numpy as np

WEEKS_PER_YEAR = 52


def social_work_posts(per_1000: float, n_citizens: int) -> int:
    """Social-work posts (filled or vacant) a society of n_citizens has at a staffing rate per 1,000.

    Staffing is set as a rate, as workforce statistics report it (England: about 2 registered
    social workers per 1,000 people, Social Work England's register), so that a larger
    population keeps the same coverage: posts = round(rate x n / 1000) (halves to the even
    number, Python's round), at least one post when the rate is above zero (a service that
    exists has someone in it), none at zero.
    """
    if per_1000 <= 0:
        return 0
    return max(1, round(per_1000 * n_citizens / 1000))


def contact_hours(p, capacity: float = 1.0, rehabilitation: bool = False) -> float:
    """Contact time in a week: contracted hours (cut by austerity) minus administration, supervision and rehabilitation.

    `capacity` is the share of hours the service still funds (1 without austerity).
    """
    hours = p.weekly_hours * capacity * (1.0 - p.admin_share) - p.supervision_hours
    if rehabilitation:
        hours -= p.rehab_hours
    return max(hours, 0.0)


def casework_time(p, capacity: float = 1.0, rehabilitation: bool = False) -> float:
    """The part of contact time left for casework after group work and community development."""
    return contact_hours(p, capacity, rehabilitation) * (1.0 - p.groupwork_share - p.community_share)


def caseload_limit(p, capacity: float = 1.0) -> int:
    """The caseload a worker can carry: casework time divided by the weekly hours one case needs.

    A derived quantity (reported as a metric), not a parameter: with the defaults,
    37 h x (1 - 0.4) - 1.5 h supervision = 20.7 h contact, 85% of it casework = 17.6 h,
    at 1 h a case: 17 cases, England's average of 16-18.
    """
    return int(casework_time(p, capacity) / p.casework_hours)


def burnout_change(burnout: float, caseload: int, limit: int, crisis_clients: int, recovery_hours: float, p) -> float:
    """Next week's burnout: overload and exposure wear a worker down; supervision and rehabilitation restore.

    overload = caseload / limit - 1 (0 at or under the limit); exposure = clients in acute
    crisis per caseload-limit's worth. Both build burnout in proportion to what is left
    of the worker (1 - B); each hour of supervision or rehabilitation relieves a share
    `recovery_per_hour` of it.
    """
    room = max(limit, 1)
    overload = max(caseload / room - 1.0, 0.0)
    exposure = crisis_clients / room
    wear = (p.overload_burnout * overload + p.exposure_burnout * exposure) * (1.0 - burnout)
    relief = min(p.recovery_per_hour * recovery_hours, 1.0) * burnout
    return min(max(burnout + wear - relief, 0.0), 1.0)


def reallocation(caseloads: np.ndarray, index: np.ndarray, ceiling: int, n_cases: int) -> np.ndarray:
    """Where a leaver's cases go (the readable rule): the emptiest colleague first (ties: the lower
    post), each taking the next cases in order up to its room under the caseload ceiling; cases
    nobody has room for go back to the waiting list.

    `caseloads` and `index` describe the colleagues in post; the ceiling is the service's, the
    same for every post. Returns, for each case in order, the position of the colleague who
    takes it, or -1 (back to the waiting list). `reallocation_fast` must equal this.
    """
    to = np.full(n_cases, -1, dtype=np.int64)
    given = 0
    for i in sorted(range(caseloads.size), key=lambda i: (caseloads[i], index[i])):
        room = max(int(ceiling - caseloads[i]), 0)
        to[given : given + room] = i
        given = min(given + room, n_cases)
    return to


def reallocation_fast(caseloads: np.ndarray, index: np.ndarray, ceiling: int, n_cases: int) -> np.ndarray:
    """`reallocation` with one sort in numpy rather than in Python (thousands of colleagues at a
    million citizens): each colleague's room repeated in the order they take (same result; a
    test in tests/socialwork/test_many_posts.py proves it)."""
    to = np.full(n_cases, -1, dtype=np.int64)
    order = np.lexsort((index, caseloads))
    room = np.maximum(ceiling - caseloads[order], 0)
    k = int(np.searchsorted(np.cumsum(room), n_cases)) + 1  # the colleagues who take any
    taken = np.repeat(order[:k], room[:k])[:n_cases]
    to[: taken.size] = taken
    return to


def leaving_probability(burnout: float, p) -> float:
    """Chance a worker leaves this week: a base rate plus a share that grows with burnout."""
    return min(p.base_leaving + p.burnout_leaving * burnout, 1.0)


def filling_probability(p) -> float:
    """Chance a vacant post is filled this week: vacancies last `vacancy_weeks` on average (geometric)."""
    return 1.0 / max(p.vacancy_weeks, 1)


def steady_state_rates(p, burnout: float = 0.0) -> tuple[float, float]:
    """Yearly turnover and vacancy rate the leaving and filling rates imply at a given burnout.

    With weekly leaving q and filling f, a post is vacant a share v = q / (q + f) of the
    time and turnover is about 52 q a year: how the defaults were set to England's order
    (about 16% each). A check of the arithmetic, not evidence.
    """
    q, f = leaving_probability(burnout, p), filling_probability(p)
    return WEEKS_PER_YEAR * q, q / (q + f)

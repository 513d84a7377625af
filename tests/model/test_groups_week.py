"""The occupational groups' own week: each mechanism by itself against its formula and the
theory's direction, and the whole-array week against the readable per-citizen rule."""

import copy

import numpy as np
import pytest

from anomie.model.groups import (
    ANY_SECTOR,
    NO_FOUNDER,
    NO_GROUP,
    OccupationalGroups,
    dissolve,
    found_spontaneously,
    leave_when_out_of_line,
    recruit_through_ties,
    renew_and_wither,
)
from anomie.model.parameters import DEFAULTS


def csr(n: int, u, v):
    """Symmetric CSR adjacency (rows sorted) of the undirected ties (u, v)."""
    u, v = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
    rows, cols = np.concatenate([u, v]), np.concatenate([v, u])
    order = np.lexsort((cols, rows))
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))]).astype(np.int64)
    return indptr, cols[order].astype(np.int32)


def random_society(n: int, mean_degree: int, seed: int):
    rng = np.random.default_rng(seed)
    m = n * mean_degree // 2
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = u != v
    pairs = np.unique(np.sort(np.stack([u[keep], v[keep]]), axis=0), axis=1)
    indptr, indices = csr(n, pairs[0], pairs[1])
    sector = rng.integers(0, 4, n).astype(np.int8)
    employed = rng.random(n) < 0.85
    return sector, employed, indptr, indices


def params(**changes):
    return {**DEFAULTS, **changes}


def reference_week(groups, sector, employed, indptr, indices, step, rng, p):
    """The rule, one citizen and one group at a time, drawing the same batches as `week`."""
    m, n = groups.member_of, groups.n_citizens
    # 1. members out of work or out of their group's sector leave
    at_risk = [i for i in range(n) if m[i] >= 0 and groups.sector[m[i]] != ANY_SECTOR
               and (not employed[i] or sector[i] != groups.sector[m[i]])]
    for i, u in zip(at_risk, rng.random(len(at_risk))):
        if u < p["group_leave_rate"]:
            m[i] = NO_GROUP
    # 2. members ask one tie each, with probability rate * strength
    members = [i for i in range(n) if m[i] >= 0]
    draws = rng.random(len(members))
    size = {g: sum(1 for i in members if m[i] == g) for g in set(m[members])}
    askers = [i for i, u in zip(members, draws)
              if u < p["group_recruitment_rate"] * groups.strength[m[i]] and size[m[i]] < p["group_max_size"]]
    for i, u in zip(askers, rng.random(len(askers))):
        deg = indptr[i + 1] - indptr[i]
        if deg == 0:
            continue
        j = indices[indptr[i] + int(u * deg)]
        g = m[i]
        same_line = groups.sector[g] == ANY_SECTOR or (employed[j] and sector[j] == groups.sector[g])
        if m[j] == NO_GROUP and same_line:
            m[j] = g
    # 3. withering and renewal
    for g in range(groups.n_groups):
        if groups.alive[g]:
            size = sum(1 for i in range(n) if m[i] == g)
            s = groups.strength[g] * 0.5 ** (1 / p["group_half_life"])
            renewal = (p["group_self_renewal"] * size / (size + p["group_renewal_size"])
                       + p["group_support_effect"] * groups.support_hours[g])
            groups.strength[g] = s + (1 - s) * min(1.0, renewal)
            if groups.support_hours[g] > 0:
                groups.last_support[g] = step
        groups.support_hours[g] = 0.0
    # 4. dissolution
    for g in range(groups.n_groups):
        size = sum(1 for i in range(n) if m[i] == g)
        if groups.alive[g] and (size < p["group_min_size"] or groups.strength[g] < p["group_min_strength"]):
            groups.alive[g] = False
            for i in range(n):
                if m[i] == g:
                    m[i] = NO_GROUP
    # 5. spontaneous founding
    k = rng.binomial(n, p["group_founding_rate"])
    for i in rng.integers(0, n, size=k):
        if m[i] != NO_GROUP or not employed[i]:
            continue
        colleagues = sorted({int(j) for j in indices[indptr[i]:indptr[i + 1]]
                             if j != i and m[j] == NO_GROUP and employed[j] and sector[j] == sector[i]})
        if len(colleagues) + 1 >= p["group_min_size"]:
            groups.found(int(sector[i]), np.array(colleagues + [i]), step)


def seeded_groups(n, sector, rng, n_groups):
    """Some groups of random strength, members drawn from their sector, a few supported."""
    g = OccupationalGroups.empty(n)
    for k in range(n_groups):
        s = int(rng.integers(-1, 4))
        pool = np.flatnonzero(sector == s) if s >= 0 else np.arange(n)
        size = int(rng.integers(1, 40))
        g.found(s, rng.choice(pool, size, replace=False), step=0, strength=float(rng.uniform(0.05, 1.0)))
        if rng.random() < 0.3:
            g.support(k, float(rng.uniform(0, 6)))
    return g


def test_the_whole_array_week_equals_the_readable_rule_draw_for_draw():
    n = 6000
    sector, employed, indptr, indices = random_society(n, 8, seed=3)
    p = params(group_leave_rate=0.3, group_recruitment_rate=0.6, group_founding_rate=0.01,
               group_half_life=20.0, group_min_size=4, group_self_renewal=0.3, group_renewal_size=10,
               group_max_size=30)
    fast = seeded_groups(n, sector, np.random.default_rng(1), 150)
    slow = copy.deepcopy(fast)
    for step in range(1, 4):
        sector = sector.copy()
        moved = np.random.default_rng(step).random(n) < 0.05  # some change sector or lose work
        sector[moved] = (sector[moved] + 1) % 4
        employed = employed ^ (np.random.default_rng(step + 10).random(n) < 0.03)
        fast.week(sector, employed, indptr, indices, step, np.random.default_rng(step), p)
        reference_week(slow, sector, employed, indptr, indices, step, np.random.default_rng(step), p)
        assert fast.n_groups == slow.n_groups
        np.testing.assert_array_equal(fast.member_of, slow.member_of)
        for name in ("sector", "strength", "founded", "founder", "alive", "last_support", "support_hours"):
            np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name), err_msg=name)
    # the comparison exercised every mechanism
    assert slow.n_groups > 150 and (~slow.alive[:150]).any() and slow.alive.any()
    assert (slow.last_support == 1).any() and slow.members_count() > 0
    assert (slow.sizes() >= p["group_max_size"]).any()  # and the ceiling


def test_same_seed_same_groups():
    n = 2000
    sector, employed, indptr, indices = random_society(n, 8, seed=5)
    p = params(group_founding_rate=0.002)

    def run(seed):
        g = OccupationalGroups.empty(n)
        rng = np.random.default_rng(seed)
        for step in range(60):
            g.week(sector, employed, indptr, indices, step, rng, p)
        return g

    a, b, c = run(11), run(11), run(12)
    assert a.n_groups > 0
    np.testing.assert_array_equal(a.member_of, b.member_of)
    np.testing.assert_array_equal(a.strength, b.strength)
    assert not np.array_equal(a.member_of, c.member_of)


# --- withering and renewal ------------------------------------------------------------


def test_one_week_of_withering_follows_the_formula():
    g = OccupationalGroups.empty(20)
    small = g.found(0, np.arange(4), step=0, strength=0.5)
    helped = g.found(1, np.arange(10, 20), step=0, strength=0.5)
    g.support(helped, 3.0)
    renew_and_wither(g, step=1, half_life=156.0, self_renewal=0.005, renewal_size=100, support_effect=0.01)
    kept = 0.5 * 2 ** (-1 / 156)
    assert g.strength[small] == pytest.approx(kept + (1 - kept) * 0.005 * 4 / 104)
    assert g.strength[helped] == pytest.approx(kept + (1 - kept) * (0.005 * 10 / 110 + 0.03))
    assert g.strength[helped] > 0.5 > g.strength[small]
    assert g.last_support.tolist() == [-1, 1] and g.support_hours.tolist() == [0.0, 0.0]


def weeks_until_dissolved(g, p, sector, employed, hours=0.0, limit=5200):
    rng = np.random.default_rng(0)
    indptr, indices = csr(g.n_citizens, [], [])
    for t in range(1, limit + 1):
        if hours:
            g.support(0, hours)
        g.week(sector, employed, indptr, indices, t, rng, p)
        if not g.alive[0]:
            return t
    return None


def test_a_group_outlives_its_support_by_years_but_withers_eventually():
    n = 6
    sector, employed = np.zeros(n, np.int8), np.ones(n, bool)
    p = params(group_founding_rate=0.0)
    g = OccupationalGroups.empty(n)
    g.found(0, np.arange(n), step=0)
    rng = np.random.default_rng(0)
    indptr, indices = csr(n, [], [])
    for t in range(1, 53):  # a year of a worker's support, three hours a week
        g.support(0, 3.0)
        g.week(sector, employed, indptr, indices, t, rng, p)
    supported = g.strength[0]
    assert supported > DEFAULTS["group_founding_strength"]
    ended = weeks_until_dissolved(g, p, sector, employed)
    assert ended is not None, "an unsupported small group never withered"
    assert ended > 52 * 2, f"withered {ended} weeks after support stopped: not a standing body"
    assert g.member_of.tolist() == [NO_GROUP] * n


def test_a_large_group_sustains_itself_where_a_small_one_withers():
    """By construction of the renewal term (size saturating towards group_self_renewal): the
    defaults put the break-even size between the two; this guards that choice."""
    n = 300
    sector, employed = np.zeros(n, np.int8), np.ones(n, bool)
    p = params(group_founding_rate=0.0)
    big, small = OccupationalGroups.empty(n), OccupationalGroups.empty(n)
    big.found(0, np.arange(n), step=0)
    small.found(0, np.arange(4), step=0)
    assert weeks_until_dissolved(big, p, sector, employed) is None
    assert weeks_until_dissolved(small, p, sector, employed) is not None


# --- recruitment ------------------------------------------------------------------------


def test_recruitment_brings_in_only_tied_employed_colleagues_of_the_same_sector():
    #   0: member (sector 1); ties to 1 (sector 1, employed, free), 2 (sector 2), 3 (sector 1,
    #   out of work), 4 (sector 1, in another group); 5 (sector 1, employed, free) is untied.
    sector = np.array([1, 1, 2, 1, 1, 1], np.int8)
    employed = np.array([1, 1, 1, 0, 1, 1], bool)
    indptr, indices = csr(6, [0, 0, 0, 0], [1, 2, 3, 4])
    g = OccupationalGroups.empty(6)
    mine = g.found(1, np.array([0]), step=0, strength=1.0)
    other = g.found(1, np.array([4]), step=0, strength=1.0)
    rng = np.random.default_rng(4)
    for _ in range(200):
        recruit_through_ties(g, sector, employed, indptr, indices, rng, recruitment_rate=1.0)
    assert g.member_of.tolist() == [mine, mine, NO_GROUP, NO_GROUP, other, NO_GROUP]


def test_a_group_open_to_all_recruits_any_unorganised_tie():
    sector = np.array([1, 2, 3], np.int8)
    employed = np.array([1, 0, 1], bool)
    indptr, indices = csr(3, [0, 0], [1, 2])
    g = OccupationalGroups.empty(3)
    g.found(ANY_SECTOR, np.array([0]), step=0, strength=1.0)
    rng = np.random.default_rng(0)
    for _ in range(100):
        recruit_through_ties(g, sector, employed, indptr, indices, rng, recruitment_rate=1.0)
    assert g.member_of.tolist() == [0, 0, 0]


@pytest.mark.parametrize("strength", [0.2, 0.8])
def test_recruitment_grows_with_strength_as_rate_times_strength(strength):
    pairs = 4000  # member 2k tied only to candidate 2k+1
    n = 2 * pairs
    sector, employed = np.zeros(n, np.int8), np.ones(n, bool)
    indptr, indices = csr(n, np.arange(0, n, 2), np.arange(1, n, 2))
    g = OccupationalGroups.empty(n)
    g.found(0, np.arange(0, n, 2), step=0, strength=strength)
    joined = recruit_through_ties(g, sector, employed, indptr, indices, np.random.default_rng(1), 0.5).size
    expected = pairs * 0.5 * strength
    sd = np.sqrt(pairs * 0.5 * strength * (1 - 0.5 * strength))
    assert abs(joined - expected) < 4 * sd
    assert g.members_count() == pairs + joined


def test_two_groups_asking_the_same_person_the_first_asker_wins():
    sector, employed = np.zeros(3, np.int8), np.ones(3, bool)
    indptr, indices = csr(3, [0, 2], [1, 1])
    g = OccupationalGroups.empty(3)
    g.found(0, np.array([0]), step=0, strength=1.0)
    g.found(0, np.array([2]), step=0, strength=1.0)
    recruit_through_ties(g, sector, employed, indptr, indices, np.random.default_rng(0), 1.0)
    assert g.member_of.tolist() == [0, 0, 1]


def test_a_group_at_its_ceiling_recruits_nobody_and_one_below_it_does():
    # a star: members 0..k-1 of one group, each tied to its own unorganised colleague k..2k-1
    k = 50
    sector, employed = np.zeros(2 * k, np.int8), np.ones(2 * k, bool)
    indptr, indices = csr(2 * k, np.arange(k), np.arange(k, 2 * k))
    for ceiling, grows in ((k, False), (k + 1, True)):
        g = OccupationalGroups.empty(2 * k)
        g.found(0, np.arange(k), step=0, strength=1.0)
        joined = recruit_through_ties(g, sector, employed, indptr, indices, np.random.default_rng(0), 1.0,
                                      max_size=ceiling)
        assert (joined.size > 0) == grows


def test_an_open_association_stops_growing_near_its_ceiling():
    """Left to recruit through ties at full strength for a year in a town of 2,000 where
    anyone may join, an association open to all stops within a week's asks of its ceiling."""
    n = 2000
    sector, employed, indptr, indices = random_society(n, 8, seed=5)
    g = OccupationalGroups.empty(n)
    g.found(ANY_SECTOR, np.arange(5), step=0, strength=1.0)
    rng = np.random.default_rng(6)
    for _ in range(52):
        recruit_through_ties(g, sector, employed, indptr, indices, rng, 0.5, max_size=150)
    size = g.members_count()
    assert 150 <= size <= 150 + 0.5 * 150  # reached it, and at most one join per asking member after
    unbounded = OccupationalGroups.empty(n)
    unbounded.found(ANY_SECTOR, np.arange(5), step=0, strength=1.0)
    rng = np.random.default_rng(6)
    for _ in range(52):
        recruit_through_ties(unbounded, sector, employed, indptr, indices, rng, 0.5)
    assert unbounded.members_count() > 3 * size  # without the ceiling it would have taken much of the town


# --- leaving and dissolution ----------------------------------------------------------------


def test_only_members_out_of_work_or_out_of_their_line_leave_at_the_leave_rate():
    k = 5000
    n = 4 * k
    sector = np.zeros(n, np.int8)
    sector[k:2 * k] = 2  # changed sector
    employed = np.ones(n, bool)
    employed[2 * k:3 * k] = False  # lost work
    g = OccupationalGroups.empty(n)
    g.found(0, np.arange(3 * k), step=0)
    g.found(ANY_SECTOR, np.arange(3 * k, n), step=0)
    employed[3 * k + k // 2:] = False  # out of work, but in a group open to all
    left = leave_when_out_of_line(g, sector, employed, np.random.default_rng(2), leave_rate=0.1).size
    m = g.member_of
    assert (m[:k] == 0).all() and (m[3 * k:] == 1).all()
    for block in (slice(k, 2 * k), slice(2 * k, 3 * k)):
        gone = np.count_nonzero(m[block] == NO_GROUP)
        assert abs(gone - 0.1 * k) < 4 * np.sqrt(k * 0.1 * 0.9)
    assert left == np.count_nonzero(m == NO_GROUP)


def test_dissolution_frees_members_and_keeps_the_groups_record():
    g = OccupationalGroups.empty(10)
    tiny = g.found(0, np.array([0, 1]), step=3)
    weak = g.found(1, np.array([2, 3, 4]), step=3, strength=0.05)
    fine = g.found(2, np.array([5, 6, 7]), step=3, strength=0.5)
    assert dissolve(g, min_size=3, min_strength=0.1) == 2
    assert g.alive.tolist() == [False, False, True]
    assert (g.member_of[:5] == NO_GROUP).all() and (g.member_of[5:8] == fine).all()
    assert g.founded.tolist() == [3, 3, 3] and g.strength[weak] == 0.05 and tiny == 0
    assert g.found(3, np.array([0, 1, 2]), step=4) == 3  # ids are not reused
    assert g.alive_count() == 2 and g.members_count() == 6


# --- spontaneous founding -----------------------------------------------------------------


def test_spontaneous_groups_are_a_founder_and_their_tied_colleagues():
    n = 3000
    sector, employed, indptr, indices = random_society(n, 10, seed=8)
    g = OccupationalGroups.empty(n)
    founded = found_spontaneously(g, sector, employed, indptr, indices, step=9,
                                  rng=np.random.default_rng(3), founding_rate=0.05, min_size=3)
    assert founded == g.n_groups > 10
    for gid in range(g.n_groups):
        rows = g.members(gid)
        assert rows.size >= 3 and employed[rows].all() and (sector[rows] == g.sector[gid]).all()
        tied = [np.isin(rows, indices[indptr[r]:indptr[r + 1]]).sum() for r in rows]
        assert max(tied) == rows.size - 1  # somebody (the one who gathered them) is tied to all
    assert (g.founder == NO_FOUNDER).all() and (g.founded == 9).all()


def test_no_founding_rate_no_groups_the_deficit_persists():
    n = 2000
    sector, employed, indptr, indices = random_society(n, 8, seed=1)
    g = OccupationalGroups.empty(n)
    rng = np.random.default_rng(0)
    for t in range(200):
        g.week(sector, employed, indptr, indices, t, rng, params(group_founding_rate=0.0))
    assert g.n_groups == 0 and g.members_count() == 0
    assert not g.supply(n)[0].any()


def test_employment_given_as_zeros_and_ones_means_the_same_as_booleans():
    n = 1500
    sector, employed, indptr, indices = random_society(n, 8, seed=2)
    p = params(group_founding_rate=0.01, group_leave_rate=0.5)
    a, b = OccupationalGroups.empty(n), OccupationalGroups.empty(n)
    for t in range(5):
        a.week(sector, employed, indptr, indices, t, np.random.default_rng(t), p)
        b.week(sector, employed.astype(np.int8), indptr, indices, t, np.random.default_rng(t), p)
    assert a.n_groups > 0
    np.testing.assert_array_equal(a.member_of, b.member_of)

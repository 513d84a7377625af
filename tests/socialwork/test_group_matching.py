"""Group members against matched non-members, on constructed populations where the answer is known.

The raw comparison (members against all non-members) mixes the effect of a group with who
joins; the matched one compares each joiner with a non-member of the same sector and
employment and like integration and regulation before joining.
"""

import numpy as np

from anomie.model.referral import (
    Services,
    group_comparison,
    match_group_joiners,
    match_group_joiners_fast,
    matching_cell,
)
from anomie.scenarios.loading import build_model


def population():
    """400 people: sector 0 is low-regulated (and will be anomic), sector 1 well regulated; half of each out of work."""
    n = 400
    sector = np.repeat([0, 1], n // 2)
    employed = np.tile([True, False], n // 2)
    integration = np.full(n, 0.55)
    regulation = np.where(sector == 0, 0.22, 0.62)
    return n, sector, employed, integration, regulation


def joiners_and_comparison(anomic_after):
    """Week 1: nobody in a group; week 2: 45 people of sector 0 and 5 of sector 1 join. Returns the
    raw shares (members, non-members) and the matched ones, with anomie as `anomic_after` sets it."""
    n, sector, employed, integration, regulation = population()
    s = Services(n)
    cell = matching_cell(sector, employed, integration, regulation)
    match_group_joiners(s, cell, np.zeros(n, dtype=bool))
    member = np.zeros(n, dtype=bool)
    member[np.arange(0, 90, 2)] = True  # 45 of sector 0, employed
    member[200:205] = True  # 5 of sector 1
    match_group_joiners(s, cell, member)
    anomic = anomic_after(sector, member)
    raw = (anomic[member].mean(), anomic[~member].mean())
    return s, raw, group_comparison(s, anomic), member, cell


def test_matching_removes_what_who_joins_does_to_the_raw_comparison():
    # groups do nothing: anomie follows the sector alone
    s, raw, (joiners, matched, pairs), member, cell = joiners_and_comparison(lambda sector, member: sector == 0)
    assert raw[0] - raw[1] > 0.4, "the raw comparison blames the groups: their members come from the anomic sector"
    assert pairs == 50 and joiners == matched == 0.9, "matched, the difference is the true one: none"
    np.testing.assert_array_equal(cell[s.pair_joiner], cell[s.pair_other])
    assert not member[s.pair_other].any() and np.unique(s.pair_other).size == pairs


def test_matching_finds_an_effect_the_raw_comparison_hides():
    # groups protect their members completely: joiners are never anomic
    def protected(sector, member):
        return (sector == 0) & ~member

    _, raw, (joiners, matched, pairs), _, _ = joiners_and_comparison(protected)
    assert raw[0] == 0.0 and raw[1] < 0.5
    assert joiners == 0.0 and matched == 0.9, "against like non-members the protection shows in full"


def test_a_comparison_who_joins_later_leaves_the_comparison_and_unmatched_joiners_stay_unpaired():
    n, sector, employed, integration, regulation = population()
    s = Services(n)
    cell = matching_cell(sector, employed, integration, regulation)
    match_group_joiners(s, cell, np.zeros(n, dtype=bool))
    member = np.zeros(n, dtype=bool)
    member[0:200:2] = True  # every employed person of sector 0: nobody like them is left
    match_group_joiners(s, cell, member)
    assert group_comparison(s, np.zeros(n, dtype=bool))[2] == 0
    member[:] = False
    member[201] = True  # one person of sector 1, out of work: matched with the first like them
    match_group_joiners(s, cell, member)
    assert s.pair_other.tolist() == [203]
    member[203] = True  # the comparison joins too
    match_group_joiners(s, cell, member)
    assert group_comparison(s, np.zeros(n, dtype=bool))[2] == 1, "203's own pair stands; 201's pair left"
    assert s.pair_joiner.tolist()[-1] == 203


def test_a_model_with_groups_reports_the_matched_comparison():
    m = build_model("community_development", seed=1, n_citizens=300, social_workers_per_1000=2 * 1000 / 300)  # 2 posts
    m.run_for(60)
    df = m.dataframe()
    assert df["matched_group_pairs"].iloc[-1] > 0
    for col in ("anomie_joiners", "anomie_matched_non_members"):
        assert df[col].between(0, 1).all()


def test_the_compiled_matching_of_joiners_equals_the_readable_rule():
    rng = np.random.default_rng(7)
    n = 3000
    a, b = Services(n), Services(n)
    member = np.zeros(n, dtype=bool)
    pairs = 0
    for week in range(12):
        # coarse values, so that cells are crowded and some run out of comparisons; a few outside [0, 1]
        sector = rng.integers(0, 3, size=n).astype(np.int8)
        employed = rng.random(n) < 0.6
        integration = rng.integers(-1, 12, size=n) / 10.0
        regulation = rng.choice(np.array([0.05, 0.15, 0.95, 1.0, 1.3]), size=n)
        member |= rng.random(n) < 0.04 * (week % 3)  # weeks with no joiners too
        match_group_joiners(a, matching_cell(sector, employed, integration, regulation), member)
        match_group_joiners_fast(b, sector, employed, integration, regulation, member)
        for name in ("pair_joiner", "pair_other", "ever_member", "is_comparison", "prev_cell"):
            x, y = getattr(a, name), getattr(b, name)
            assert x.dtype == y.dtype, name
            np.testing.assert_array_equal(x, y, err_msg=f"{name}, week {week}")
        pairs = a.pair_joiner.size
    assert pairs > 100
    unmatched = np.flatnonzero(a.ever_member & (a.prev_cell >= 0))
    assert unmatched.size > pairs, "some joiners found nobody left in their cell"

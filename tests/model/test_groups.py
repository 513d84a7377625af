"""Occupational groups: founding, joining, leaving, support and what groups supply."""

import numpy as np
import pytest

from anomie.model.groups import ANY_SECTOR, NO_GROUP, OccupationalGroups
from anomie.model.parameters import DEFAULTS, PARAMETER_BY_NAME, Parameters


def test_empty_has_no_groups_and_no_members():
    g = OccupationalGroups.empty(50)
    assert g.n_groups == 0 and g.alive_count() == 0 and g.members_count() == 0
    assert g.member_of.dtype == np.int32 and (g.member_of == NO_GROUP).all()
    assert g.sizes().size == 0


def test_found_makes_a_live_group_with_its_members_and_record():
    g = OccupationalGroups.empty(20)
    gid = g.found(1, np.array([3, 4, 5]), step=7, founder=2)
    assert gid == 0
    assert g.sector[gid] == 1 and g.founded[gid] == 7 and g.founder[gid] == 2 and g.alive[gid]
    assert g.strength[gid] == DEFAULTS["group_founding_strength"]
    assert g.members(gid).tolist() == [3, 4, 5]
    assert g.members_count() == 3 and g.alive_count() == 1
    assert g.last_support[gid] == -1


def test_ids_are_never_reused_and_the_arrays_grow():
    g = OccupationalGroups.empty(200)
    ids = [g.found(0, np.array([i]), step=i) for i in range(40)]  # past the initial capacity
    assert ids == list(range(40))
    assert g.sector.size == g.strength.size == g.alive.size == 40
    assert g.founded.tolist() == list(range(40))


def test_a_person_belongs_to_one_group_at_a_time():
    g = OccupationalGroups.empty(10)
    a = g.found(0, np.array([1, 2, 3]), step=0)
    b = g.found(0, np.array([3, 4]), step=0)  # 3 is taken: stays in a
    assert g.members(a).tolist() == [1, 2, 3] and g.members(b).tolist() == [4]
    assert g.join(b, np.array([1, 5, 5])) == 1  # 1 stays in a, 5 joins once
    assert g.member_of[5] == b and g.member_of[1] == a


def test_join_and_leave_keep_counts_consistent():
    g = OccupationalGroups.empty(30)
    a = g.found(2, np.arange(5), step=0)
    b = g.found(3, np.arange(10, 14), step=0)
    g.join(a, np.array([20, 21]))
    g.leave(np.array([0, 10, 25]))  # 25 belongs to none: leaving is a no-op
    sizes = g.sizes()
    assert sizes.tolist() == [6, 3]
    assert g.members_count() == sizes.sum() == np.count_nonzero(g.member_of >= 0)
    assert g.member_of[0] == NO_GROUP and g.member_of[10] == NO_GROUP and b == 1


def test_bad_input_is_refused_with_the_reason():
    g = OccupationalGroups.empty(5)
    with pytest.raises(ValueError, match="0..4"):
        g.found(0, np.array([5]), step=0)
    with pytest.raises(ValueError, match="sector"):
        g.found(-3, np.array([1]), step=0)
    with pytest.raises(ValueError, match="no group 0"):
        g.join(0, np.array([1]))
    gid = g.found(0, np.array([1]), step=0)
    with pytest.raises(ValueError, match="hours"):
        g.support(gid, -1.0)
    g.alive[gid] = False
    with pytest.raises(ValueError, match="dissolved"):
        g.join(gid, np.array([2]))
    assert g.support(gid, 3.0) is False and g.support_hours[gid] == 0.0
    with pytest.raises(ValueError, match="supply"):
        g.supply(6)
    with pytest.raises(ValueError, match="no group 7"):
        g.members(7)


def test_support_accumulates_hours_for_the_next_week():
    g = OccupationalGroups.empty(10)
    gid = g.found(0, np.arange(4), step=0)
    assert g.support(gid, 2.0) and g.support(gid, 1.5)
    assert g.support_hours[gid] == 3.5


def test_add_citizens_appends_non_members():
    g = OccupationalGroups.empty(4)
    g.found(0, np.array([0, 1]), step=0)
    g.add_citizens(3)
    assert g.member_of.tolist() == [0, 0, -1, -1, -1, -1, -1]
    assert g.supply(7)[0].size == 7


def test_supply_is_zero_for_non_members_and_rises_with_strength():
    g = OccupationalGroups.empty(6)
    weak = g.found(0, np.array([0, 1]), step=0, strength=0.2)
    strong = g.found(1, np.array([2, 3]), step=0, strength=0.8)
    norm, belonging = g.supply(6)
    assert norm[4] == norm[5] == belonging[4] == belonging[5] == 0.0
    assert norm[0] == pytest.approx(DEFAULTS["group_norm_supply"] * 0.2)
    assert belonging[2] == pytest.approx(DEFAULTS["group_belonging"] * 0.8)
    assert norm[2] > norm[0] > 0 and belonging[2] > belonging[0] > 0
    assert weak != strong


def test_supply_follows_the_parameters_in_force():
    p = Parameters(group_norm_supply=0.5, group_belonging=0.1, group_founding_strength=0.6)
    g = OccupationalGroups.empty(3, params=p)
    g.found(ANY_SECTOR, np.array([0, 1, 2]), step=0)
    norm, belonging = g.supply(3)
    assert norm.tolist() == pytest.approx([0.3] * 3) and belonging.tolist() == pytest.approx([0.06] * 3)


def test_every_group_parameter_has_a_row_in_the_one_table():
    for name in ("group_founding_rate", "group_founding_strength", "group_min_size", "group_min_strength",
                 "group_half_life", "group_self_renewal", "group_renewal_size", "group_support_effect",
                 "group_recruitment_rate", "group_leave_rate", "group_norm_supply", "group_belonging"):
        p = PARAMETER_BY_NAME[name]
        assert p.group == "Occupational groups" and p.low <= p.default <= p.high and p.meaning

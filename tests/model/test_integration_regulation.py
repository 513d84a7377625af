"""Integration from the two solidarities, and regulation: hand-checkable cases."""

import numpy as np
import pytest

from anomie.model.regulation import (
    anomic_erosion,
    authoritarian_pressure,
    disruption_share,
    regulation_step,
    supplied_norms,
)
from anomie.model.solidarity import (
    adapt,
    attachment,
    belonging,
    integration_target,
    mechanical_likeness,
    organic_interdependence,
)


def test_attachment_is_zero_without_ties_half_at_half_saturation_and_below_one():
    deg = np.array([0.0, 2.0, 6.0, 1e9])
    a = attachment(deg, half_saturation=2.0)
    assert a[:3] == pytest.approx([0.0, 0.5, 0.75])
    assert a[3] < 1.0 and a[3] == pytest.approx(1.0)
    assert np.all(np.diff(a) > 0), "more ties, more attachment"


def test_mechanical_likeness_is_mean_similarity_to_ties():
    # ties (0,1) at distance 0.2 and (0,2) at distance 0.6; citizen 3 has no ties
    u, v = np.array([0, 0]), np.array([1, 2])
    like = mechanical_likeness(np.array([0.2, 0.6]), u, v, n=4)
    assert like == pytest.approx([(0.8 + 0.4) / 2, 0.8, 0.4, 0.0])


# a dependency table where the numbers are easy to follow: sectors 0 and 1 fully
# complementary, 0 with 2 half, colleagues of one sector 0.2
DEP = np.array([[0.2, 1.0, 0.5, 0.0], [1.0, 0.2, 0.0, 0.0], [0.5, 0.0, 0.2, 0.0], [0.0, 0.0, 0.0, 0.2]])


def test_organic_interdependence_is_the_dependency_of_the_two_sectors():
    sector = np.array([0, 1, 0, 2])
    free = np.array([True, True, True, False])
    u, v = np.array([0, 0, 0, 1]), np.array([1, 2, 3, 2])
    inter = organic_interdependence(sector, free, u, v, n=4, dependency=DEP)
    # 0: tie to 1 (complementary, 1.0), to 2 (colleague, 0.2), to 3 (not working freely, 0) -> 1.2 / 3
    # 1: ties to 0 and 2, both complementary -> 1; 2: colleague 0.2 and complementary 1.0 -> 0.6
    # 3: not working freely, no exchange at all
    assert inter == pytest.approx([1.2 / 3, 1.0, 0.6, 0.0])


def test_organic_interdependence_the_out_of_work_have_none_even_among_complementary_sectors():
    sector = np.array([0, 1, 1])
    free = np.array([False, True, True])
    u, v = np.array([0, 0, 1]), np.array([1, 2, 2])
    inter = organic_interdependence(sector, free, u, v, n=3, dependency=DEP)
    assert inter[0] == 0.0
    # 1 and 2: one tie to the out-of-work 0 (nothing) and one colleague (0.2), out of two ties
    assert inter[1:] == pytest.approx([0.1, 0.1])


def test_organic_interdependence_unrelated_functions_give_no_exchange():
    sector = np.array([1, 2, 1, 2])
    free = np.ones(4, dtype=bool)
    u, v = np.array([0, 1, 2]), np.array([1, 2, 3])
    assert np.all(organic_interdependence(sector, free, u, v, n=4, dependency=DEP) == 0.0)


def test_the_default_dependency_table_is_symmetric_on_the_unit_scale_and_complementarity_beats_likeness_of_work():
    from anomie.model.sectors import DEPENDENCY

    assert np.array_equal(DEPENDENCY, DEPENDENCY.T)
    assert DEPENDENCY.min() >= 0.0 and DEPENDENCY.max() <= 1.0
    assert np.all(DEPENDENCY.max(axis=1) > np.diag(DEPENDENCY)), "each sector depends most on another"


def test_integration_target_mixes_the_two_solidarities_under_the_ceiling():
    no = np.array([0.0])
    t = integration_target(np.array([0.5]), np.array([0.8]), np.array([0.4]), 0.25, 1.0, no)
    organic = 1 - (1 - 0.8) * (1 - 0.4)  # likeness or exchange holds
    assert t == pytest.approx([0.5 * (0.75 * 0.8 + 0.25 * organic)])
    # purely mechanical: only likeness counts; purely organic: likeness or exchange
    assert integration_target(np.array([1.0]), np.array([0.9]), np.array([0.1]), 0.0, 1.0, no) == pytest.approx([0.9])
    assert integration_target(np.array([1.0]), np.array([0.9]), np.array([0.1]), 1.0, 1.0, no) == pytest.approx([0.91])
    assert integration_target(np.array([1.0]), np.array([0.3]), np.array([0.9]), 1.0, 1.0, no) == pytest.approx([0.93])
    assert integration_target(np.array([0.0]), np.array([1.0]), np.array([1.0]), 0.5, 1.0, no) == pytest.approx([0.0])
    # the ceiling scales what ties give
    assert integration_target(np.array([1.0]), np.array([1.0]), np.array([1.0]), 0.5, 0.75, no) == pytest.approx([0.75])


def test_exchange_never_weakens_the_bond_and_difference_binds_in_an_organic_society():
    """Organic solidarity adds a bond: at any likeness, exchange raises the target, and an
    organic society binds unlike but complementary people (by construction)."""
    no = np.array([0.0])
    like = np.linspace(0, 1, 11)
    for o in (0.0, 0.5, 1.0):
        without = integration_target(np.ones(11), like, np.zeros(11), o, 1.0, np.zeros(11))
        with_exchange = integration_target(np.ones(11), like, np.ones(11), o, 1.0, np.zeros(11))
        assert np.all(with_exchange >= without)
    unlike = integration_target(np.array([1.0]), np.array([0.2]), np.array([1.0]), 1.0, 1.0, no)
    assert unlike == pytest.approx([1.0])


def test_ties_alone_never_reach_altruism_only_belonging_does():
    """Altruism is absorption into a group, not popularity: the most attached, most alike
    person stays at the ceiling (below integration_high); belonging fills what is left."""
    from anomie.model.parameters import DEFAULTS

    ceiling = DEFAULTS["tie_integration_ceiling"]
    most = integration_target(attachment(np.array([1e6]), 2.0), np.array([1.0]), np.array([1.0]), 0.3, ceiling, np.array([0.0]))
    assert most[0] < DEFAULTS["integration_high"]
    absorbed = integration_target(np.array([0.8]), np.array([0.9]), np.array([0.9]), 0.3, ceiling, np.array([0.6]))
    bond = ceiling * 0.8 * (0.7 * 0.9 + 0.3 * (1 - 0.1 * 0.1))
    assert absorbed == pytest.approx([bond + (1 - bond) * 0.6])
    assert absorbed[0] > DEFAULTS["integration_high"]


def test_belonging_composes_group_and_collective_sentiment():
    assert belonging(np.array([0.0, 0.5, 0.5]), 0.0) == pytest.approx([0.0, 0.5, 0.5])
    assert belonging(np.array([0.0, 0.5]), 0.2) == pytest.approx([0.2, 1 - 0.5 * 0.8])


def test_adapt_moves_a_share_of_the_way():
    assert adapt(np.array([0.2, 0.8]), np.array([0.6, 0.0]), 0.25) == pytest.approx([0.3, 0.6])
    assert adapt(np.array([0.2]), np.array([0.6]), 0.0) == pytest.approx([0.2])
    assert adapt(np.array([0.2]), np.array([0.6]), 1.0) == pytest.approx([0.6])


def test_supplied_norms_local_ties_collective_and_sector_weighted_as_stated():
    zero = np.array([0.0])
    got = supplied_norms(np.array([0.8]), 0.6, 0.25, np.array([0.4]), zero, 0.4, zero, zero, 0.5, 1.0)
    assert got == pytest.approx([0.4 * 0.8 + 0.6 * (0.75 * 0.6 + 0.25 * 0.4)])
    # a mechanical society: the sector does not matter; an organic one: only the sector (beside local ties)
    assert supplied_norms(0.5, 0.6, 0.0, 0.1, 0.0, 0.0, 0.0, 0.0, 0.5, 1.0) == pytest.approx(0.6)
    assert supplied_norms(0.5, 0.6, 1.0, 0.1, 0.0, 0.0, 0.0, 0.0, 0.5, 1.0) == pytest.approx(0.1)
    assert supplied_norms(0.5, 0.6, 1.0, 0.1, 0.0, 0.0, 0.05, 0.0, 0.5, 1.0) == pytest.approx(0.15), "the personal offset adds"


def test_a_sector_freed_from_regulation_is_supplied_less_than_a_regulated_one():
    """Chronic anomie's source: in an organic society trade's own norms supply less (by construction)."""
    trade, agriculture = (supplied_norms(0.5, 0.6, 0.5, s, 0.0, 0.4, 0.0, 0.0, 0.5, 1.0) for s in (0.3, 0.7))
    assert trade < agriculture


def test_an_occupational_group_covers_its_share_of_what_is_missing():
    bare = supplied_norms(0.5, 0.6, 1.0, 0.3, 0.0, 0.0, 0.0, 0.0, 0.5, 1.0)
    member = supplied_norms(0.5, 0.6, 1.0, 0.3, 0.5, 0.0, 0.0, 0.0, 0.5, 1.0)
    assert member == pytest.approx(0.3 + 0.5 * 0.7)
    assert member > bare
    # the less one's other groups supply, the more a group adds
    gain = lambda s: supplied_norms(0.5, 0.6, 1.0, s, 0.5, 0.0, 0.0, 0.0, 0.5, 1.0) - supplied_norms(0.5, 0.6, 1.0, s, 0.0, 0.0, 0.0, 0.0, 0.5, 1.0)  # noqa: E731
    assert gain(0.2) > gain(0.7)


def test_forced_workers_feel_norms_as_imposed_towards_fatalism():
    free = supplied_norms(0.5, 0.6, 0.3, 0.5, 0.0, 0.4, 0.0, 0.0, 0.5, 1.0)
    forced = supplied_norms(0.5, 0.6, 0.3, 0.5, 0.0, 0.4, 0.0, 1.0, 0.5, 1.0)
    assert forced == pytest.approx(free + 0.5 * (1 - free))


def test_regulation_step_restores_towards_supply_and_erodes_in_proportion_to_where_one_stands():
    r = np.array([0.2, 0.8, 0.0, 1.0])
    got = regulation_step(r, np.array([0.6, 0.6, 0.6, 0.6]), 0.1, np.array([0.5, 0.5, 0.5, 0.0]))
    assert got == pytest.approx([0.2 + 0.04 - 0.1, 0.8 - 0.02 - 0.4, 0.06, 0.96])
    # a share of what stands: the same erosion takes more from the well regulated, and nobody goes below 0
    assert regulation_step(0.0, 0.0, 0.1, 1.0) == 0.0


def test_anomic_erosion_sums_own_exposures_and_capacity_absorbs_part():
    got = anomic_erosion(
        means_change=np.array([0.2, 0.2]), disruption=np.array([0.1, 0.1]), strain=np.array([0.5, 0.5]),
        capacity=np.array([0.0, 1.0]), means_sensitivity=1.5, strain_erosion=0.02, capacity_protection=0.5,
    )
    raw = 1.5 * 0.2 + 0.1 + 0.02 * 0.5
    assert got == pytest.approx([raw, raw * 0.5])
    assert anomic_erosion(5.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.5) == 1.0, "never more than all of it"


def test_poverty_alone_erodes_nothing():
    """Low but stable means, expectations adapted to them: no change, no strain, no erosion."""
    from anomie.model.economy import means_change, strain

    poor = np.array([0.3])
    got = anomic_erosion(means_change(poor, poor), 0.0, strain(poor, poor), np.array([0.0]), 2.0, 0.05, 0.5)
    assert got == pytest.approx([0.0])


def test_ruin_and_windfall_erode_alike():
    from anomie.model.economy import means_change

    ruin = anomic_erosion(means_change(1.0, 0.5), 0.0, 0.0, 0.0, 1.0, 0.0, 0.5)
    windfall = anomic_erosion(means_change(1.0, 2.0), 0.0, 0.0, 0.0, 1.0, 0.0, 0.5)
    assert ruin == pytest.approx(windfall) and ruin > 0


@pytest.mark.parametrize("which", ["means", "disruption", "strain"])
def test_anomic_erosion_grows_with_each_source(which):
    base = dict(means_change=np.array([0.05]), disruption=np.array([0.05]), strain=np.array([0.1]))
    more = dict(base)
    more[{"means": "means_change", "disruption": "disruption", "strain": "strain"}[which]] = np.array([0.3])
    kw = dict(capacity=np.array([0.0]), means_sensitivity=1.0, strain_erosion=0.02, capacity_protection=0.5)
    assert anomic_erosion(**more, **kw)[0] > anomic_erosion(**base, **kw)[0]


def test_disruption_share_weights_sector_change_and_uprooting():
    d = disruption_share(4, np.array([1, 3]), np.array([0.0, 0.5, 0.0, 1.0]), 0.2, 0.3)
    assert d == pytest.approx([0.0, 0.15 + 0.2, 0.0, 0.3 + 0.2])
    assert disruption_share(4, np.array([2]), np.empty(0), 0.2, 0.3) == pytest.approx([0, 0, 0.2, 0])
    assert disruption_share(4, np.empty(0, dtype=int), np.empty(0), 0.2, 0.3).size == 0, "nobody hit: empty"


def test_authoritarian_pressure_pushes_towards_full_regulation():
    got = authoritarian_pressure(np.array([0.2, 0.5, 1.0]), pull=0.3)
    assert got == pytest.approx([0.24, 0.15, 0.0])
    assert np.all(authoritarian_pressure(np.array([0.2, 0.9]), 0.0) == 0.0)


def test_the_resting_level_is_a_fixed_point_of_the_weekly_rule():
    from anomie.model.regulation import rest_regulation, usual_erosion

    supply = np.array([0.3, 0.5, 0.6])  # the part of the norms not from ties, already weighted
    erosion = np.array([0.0, 0.02, 0.1])
    rest = rest_regulation(supply, 0.4, erosion, 0.05)
    norms = 0.4 * rest.mean() + supply
    assert regulation_step(rest, norms, 0.05, erosion) == pytest.approx(rest)
    assert rest[0] == pytest.approx(norms[0]), "no erosion: rest at the supply"
    # usual erosion: turbulence and job churn, none for a calm sector without churn
    e = usual_erosion(np.array([True, True, False]), np.array([1.0, 1.0, 1.0]), 0.4,
                      np.array([0.0, 0.03, 0.0]), 0.02, 0.0, 0.06, 1.0)
    assert e[0] == 0.0 and e[1] == pytest.approx(0.03 * np.sqrt(2 / np.pi) * np.sqrt(2 / 1.98))
    assert e[2] == pytest.approx(0.06 * np.log(1 / 0.4))

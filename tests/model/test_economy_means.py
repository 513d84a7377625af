"""Means, expectations and the labour market."""

import numpy as np
import pytest

from anomie.model.economy import (
    current_means,
    business_fortune,
    expectation_target,
    labour_market,
    means_change,
    role_wages,
    strain,
)


def test_role_wages_average_one_and_spread_zero_gives_equal_wages():
    rng = np.random.default_rng(0)
    w = role_wages(12, 0.3, rng)
    assert w.mean() == pytest.approx(1.0) and w.min() > 0 and w.std() > 0
    assert role_wages(5, 0.0, rng) == pytest.approx(np.ones(5))


def test_labour_market_certain_loss_and_certain_finding():
    rng = np.random.default_rng(0)
    employed = np.array([True, True, False, False])
    assert labour_market(employed, 1.0, 0.0, rng).tolist() == [False, False, False, False]
    assert labour_market(employed, 0.0, 1.0, rng).tolist() == [True, True, True, True]
    assert labour_market(employed, 0.0, 0.0, rng).tolist() == employed.tolist()
    assert employed.tolist() == [True, True, False, False], "input unchanged"


def test_labour_market_rates_match_probabilities():
    rng = np.random.default_rng(42)
    n = 40_000
    employed = np.arange(n) < n // 2
    after = labour_market(employed, 0.1, 0.3, rng)
    lost = np.mean(~after[: n // 2])
    found = np.mean(after[n // 2 :])
    # binomial standard errors ~0.002 and ~0.003: allow five of them
    assert abs(lost - 0.1) < 0.011
    assert abs(found - 0.3) < 0.016


def test_current_means_wage_or_benefit():
    got = current_means(np.array([True, False]), np.array([1.2, 0.8]), wage_level=0.5, unemployment_benefit=0.4)
    assert got == pytest.approx([0.6, 0.4])


def test_current_means_carry_the_business_fortune_of_those_who_work():
    got = current_means(np.array([True, False]), np.array([1.0, 1.0]), 1.0, 0.4, fortune=np.array([np.log(1.5), 2.0]))
    assert got == pytest.approx([1.5, 0.4]), "the fortune scales earnings; the benefit does not move with it"


def test_means_change_is_abs_log_change_whichever_way():
    assert means_change(1.0, 1.0) == 0.0
    assert means_change(1.0, 2.0) == pytest.approx(np.log(2))
    assert means_change(2.0, 1.0) == pytest.approx(np.log(2)), "ruin and windfall alike"
    assert means_change(np.array([1.0, 0.4]), np.array([0.8, 0.4])) == pytest.approx([-np.log(0.8), 0.0])


def test_business_fortune_reverts_and_turbulence_is_per_sector():
    sector = np.array([0, 2] * 20_000, dtype=np.int8)
    turbulence = np.array([0.0, 0.0, 0.05, 0.0])
    f = business_fortune(np.full(sector.size, 0.5), sector, turbulence, 0.1, np.random.default_rng(0))
    calm = f[sector == 0]
    assert calm == pytest.approx(0.45), "a calm sector only reverts: (1 - 0.1) x 0.5"
    market = f[sector == 2]
    assert market.mean() == pytest.approx(0.45, abs=0.002)
    assert market.std() == pytest.approx(0.05, rel=0.03), "each week's shock has the sector's spread"


def test_expectation_target_fair_norms_hold_expectations_to_means():
    means = np.array([1.0, 1.0, 2.0, 1.0])
    reg = np.array([0.55, 0.0, 0.8, 0.275])
    got = expectation_target(means, reg, ambition=0.3, fair_regulation=0.55)
    # at or above the fair level no slack; none at all: full ambition; half-way: half of it
    assert got == pytest.approx([1.0, 1.3, 2.0, 1.15])


def test_expectation_target_rises_as_regulation_falls():
    reg = np.linspace(0, 1, 11)
    got = expectation_target(np.ones(11), reg, 0.5, 0.55)
    assert np.all(np.diff(got) <= 0)
    assert got[0] == pytest.approx(1.5)


def test_strain_is_relative_gap_when_expectations_exceed_means():
    got = strain(np.array([1.3, 1.0, 0.5, 2.0]), np.array([1.0, 1.0, 1.0, 0.0]))
    assert got == pytest.approx([0.3 / 1.3, 0.0, 0.0, 1.0])
    assert strain(np.array([0.0]), np.array([0.0])) == pytest.approx([0.0])

"""The citizens' fused week (model.citizen_week.citizens_week) equals the readable rules
applied array by array, in the order of docs/ODD.md section 3 (moved here from the bench
tests and extended to the differential regulation, sectors, groups and belonging)."""

import numpy as np
import pytest

from anomie.model.citizen_week import CitizenWeekArrays, citizens_week, week_constants
from anomie.model.economy import current_means, expectation_target, means_change, strain
from anomie.model.hazard import crisis_hazard, crisis_onsets
from anomie.scenarios.loading import build_model
from anomie.model.regulation import (
    anomic_erosion, authoritarian_pressure, norm_legitimacy, regulation_step, supplied_norms,
)
from anomie.model.solidarity import adapt, attachment, belonging, integration_target
from anomie.model.typology import classify


def reference_week(m, old_means, disruption, g_supply, g_belonging, draws):
    """The week's integration, regulation, expectations, state, hazard and onsets, one
    mechanism at a time over whole arrays (model.* functions only)."""
    cs, p, c, net = m.citizens, m.params, m.conditions, m.network
    legitimacy = norm_legitimacy(cs.forced, cs.employed, p.legitimacy_loss)
    k = week_constants(p, c, m.healthy_middle, m.bands, legitimacy)
    n = cs.n
    deg = net.degree
    means = current_means(cs.employed, cs.role_wage, c.wage_level, p.unemployment_benefit, cs.fortune)
    hold = belonging(g_belonging if g_belonging.size else np.zeros(n), c.collective_sentiment)
    target = integration_target(attachment(deg, p.tie_half_saturation), cs.likeness, cs.interdependence,
                                c.organic_share, p.tie_integration_ceiling, hold)
    integration = np.clip(adapt(cs.integration, target, p.integration_rate), 0, 1)
    local = net.neighbour_mean(cs.regulation, empty=c.norm_strength)
    norms = supplied_norms(local, c.norm_strength, c.organic_share, k.sector_supply[cs.sector],
                           g_supply if g_supply.size else np.zeros(n), p.local_norm_weight, cs.norm_anchor,
                           cs.forced.astype(float), p.forced_constraint, legitimacy)
    erosion = anomic_erosion(means_change(old_means, means), disruption if disruption.size else np.zeros(n),
                             strain(cs.expectations, means), cs.capacity,
                             p.means_sensitivity, p.strain_erosion, p.capacity_protection)
    reg = regulation_step(cs.regulation, norms, p.norm_adaptation_rate, erosion)
    reg = np.clip(reg + authoritarian_pressure(reg, c.authority_pull), 0, 1)
    expectations = adapt(cs.expectations, expectation_target(means, reg, p.ambition, k.regulation_mid), p.expectation_rate)
    capacity = np.clip(cs.capacity, 0, 1)
    state = classify(integration, reg, p.integration_low, p.integration_high, p.regulation_low, p.regulation_high)
    hazard = crisis_hazard(integration, reg, k.integration_mid, k.regulation_mid, p.integration_high, p.regulation_high,
                           p.baseline_hazard,
                           p.hazard_curvature, capacity, p.capacity_protection)
    left = np.maximum(cs.crisis_left - 1, 0)
    onsets = crisis_onsets(hazard, left, draws)
    return means, integration, reg, expectations, state, hazard, onsets


@pytest.mark.parametrize("scenario, weeks", [("industrialisation", 60), ("crash", 55), ("political_upheaval", 110)])
def test_the_fused_week_equals_the_readable_rules(scenario, weeks):
    over = {"forced_division": 0.3, "authority_pull": 0.2}
    m = build_model(scenario, seed=5, n_citizens=400, **over)
    m.run_for(weeks)
    cs = m.citizens
    rng = np.random.default_rng(1)
    n = cs.n
    old_means = cs.means * np.exp(0.1 * rng.standard_normal(n))  # a week in which means moved
    cs.fortune = cs.fortune + 0.05 * rng.standard_normal(n)
    m.conditions.wage_level = 0.9
    disruption = np.where(rng.random(n) < 0.1, 0.3, 0.0)
    g_supply, g_belonging = np.where(rng.random(n) < 0.2, 0.25, 0.0), np.where(rng.random(n) < 0.2, 0.15, 0.0)
    cs.capacity = rng.random(n) * 0.5
    cs.crisis_left[:20] = 3
    draws = rng.random(n)
    m.conditions.collective_sentiment = 0.2
    expected = reference_week(m, old_means, disruption, g_supply, g_belonging, draws)

    k = week_constants(m.params, m.conditions, m.healthy_middle, m.bands,
                       norm_legitimacy(cs.forced, cs.employed, m.params.legitimacy_loss))
    assert k.legitimacy < 1.0, "a forced society: the pass must apply the loss of legitimacy"
    indptr, indices = m.network.csr
    crises_before = cs.crises.copy()
    left = cs.crisis_left.copy()
    args = (indptr, indices, m.network.degree, cs.sector, cs.forced, cs.employed, cs.role_wage, cs.fortune,
            cs.likeness, cs.interdependence, cs.integration, cs.regulation, cs.expectations, old_means, cs.capacity,
            cs.norm_anchor)
    got = citizens_week(CitizenWeekArrays(*args, disruption, g_supply, g_belonging, left, cs.crises, draws), k)
    for name, a, b in zip(("means", "integration", "regulation", "expectations", "state", "hazard", "onsets"), got, expected):
        if a.dtype.kind in "fc":
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, err_msg=name)
        else:
            assert np.array_equal(a, b), name
    onsets = got[6]
    assert np.array_equal(cs.crises - crises_before, onsets.astype(int))
    assert np.all(left[onsets] == m.params.crisis_duration)
    # and the optional inputs: empty means none
    empty = np.empty(0)
    got0 = citizens_week(CitizenWeekArrays(*args, empty, empty, empty, cs.crisis_left.copy(), cs.crises.copy(), draws), k)
    zeros = np.zeros(n)
    got1 = citizens_week(CitizenWeekArrays(*args, zeros, zeros, zeros, cs.crisis_left.copy(), cs.crises.copy(), draws), k)
    for a, b in zip(got0, got1):
        assert np.array_equal(a, b)

"""A citizen's week after jobs, fortunes and ties have changed, for every citizen in one compiled pass.

Means (ODD 7.5), integration (7.3), regulation (7.4), expectations (7.5), the state and the crisis
hazard (7.6, 7.7) and crisis onsets, in the order of the ODD. The mechanisms are the
functions of solidarity.py, regulation.py, economy.py, typology.py and hazard.py, called
here on one citizen's numbers instead of on whole arrays: each citizen's numbers are read
and written once a week instead of once per mechanism, which is what a million citizens
need. Local norms are the mean regulation of one's ties *last* week (all citizens update
at once), so new regulation goes to a new array. tests/model/test_citizen_week.py proves
the pass equals the readable rules applied array by array.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from .economy import expectation_target, means_change, own_means, strain
from .hazard import crisis_hazard, crisis_onsets
from .jit import kernel
from .network import row_sum
from .regulation import anomic_erosion, authoritarian_pressure, regulation_step, supplied_norms
from .sectors import sector_values
from .solidarity import adapt, attachment, belonging, integration_target
from .typology import durkheim_state

# The arrays the pass reads and writes, by name (numba takes a namedtuple of arrays as one
# argument). Adjacency (CSR), the citizens' state, and this week's inputs: `old_means` are
# last week's means; `disruption`, `group_supply` and `group_belonging` may be empty (nobody
# moved; no occupational group); `onset_draws` are the week's crisis draws.
CitizenWeekArrays = namedtuple(
    "CitizenWeekArrays",
    [
        "indptr", "indices", "degree",
        "sector", "forced", "employed", "role_wage", "fortune", "likeness", "interdependence",
        "integration", "regulation", "expectations", "old_means", "capacity", "norm_anchor",
        "disruption", "group_supply", "group_belonging", "crisis_left", "crises", "onset_draws",
        "claimed",  # income-related benefit drawn (economy.benefit_top_up); empty: nobody claims
    ],
    defaults=(np.empty(0),),
)

# The week's numbers that are the same for every citizen: parameters and conditions.
WeekConstants = namedtuple(
    "WeekConstants",
    [
        "tie_half_saturation", "organic_share", "integration_rate", "tie_integration_ceiling", "collective_sentiment",
        "norm_strength", "local_norm_weight", "norm_adaptation_rate", "authority_pull", "forced_constraint",
        "legitimacy",  # of the common norms this week (regulation.norm_legitimacy)
        "sector_supply", "means_sensitivity", "strain_erosion", "wage_level", "unemployment_benefit",
        "capacity_protection", "ambition", "expectation_rate",
        "bands", "integration_mid", "regulation_mid", "integration_high", "regulation_high", "baseline_hazard",
        "hazard_curvature",
        "crisis_duration",
    ],
)


def week_constants(params, conditions, healthy_middle: tuple[float, float], bands: tuple, legitimacy: float) -> WeekConstants:
    """Gather this week's shared numbers from the parameters, the shocks' conditions and the
    legitimacy of the common norms (`regulation.norm_legitimacy` over this week's places)."""
    p, c = params, conditions
    mid_i, mid_r = healthy_middle
    return WeekConstants(
        float(p.tie_half_saturation), float(c.organic_share), float(p.integration_rate),
        float(p.tie_integration_ceiling), float(c.collective_sentiment),
        float(c.norm_strength), float(p.local_norm_weight), float(p.norm_adaptation_rate), float(c.authority_pull),
        float(p.forced_constraint), float(legitimacy), sector_values(p, "regulation"), float(p.means_sensitivity), float(p.strain_erosion),
        float(c.wage_level), float(p.unemployment_benefit),
        float(p.capacity_protection), float(p.ambition), float(p.expectation_rate),
        bands, float(mid_i), float(mid_r), float(p.integration_high), float(p.regulation_high),
        float(p.baseline_hazard), float(p.hazard_curvature), int(p.crisis_duration),
    )


@kernel
def _clip01(x: float) -> float:
    return min(max(x, 0.0), 1.0)


@kernel
def citizens_week(a, k):
    """Every citizen's week, in the ODD's order: `a` the arrays (`CitizenWeekArrays`), `k`
    the week's constants (`WeekConstants`). Returns the new means, integration, regulation,
    expectations, state and hazard and the mask of crisis onsets; clips capacity and
    advances the crisis counters in place.

    Must equal the readable rules applied array by array: `economy.current_means`,
    `solidarity.belonging`, `solidarity.integration_target`, `regulation.supplied_norms` (at
    the week's `regulation.norm_legitimacy`, computed once for all in `week_constants`),
    `regulation.anomic_erosion`, `regulation.regulation_step`,
    `regulation.authoritarian_pressure`, `economy.expectation_target`, `typology.classify`,
    `hazard.crisis_hazard`, `hazard.crisis_onsets` (tests/model/test_citizen_week.py).
    """
    indptr, indices, degree = a.indptr, a.indices, a.degree
    sector, forced, employed, role_wage, fortune = a.sector, a.forced, a.employed, a.role_wage, a.fortune
    cs_likeness, cs_interdependence, cs_integration, cs_regulation = a.likeness, a.interdependence, a.integration, a.regulation
    cs_expectations, old_means, cs_capacity, cs_norm_anchor = a.expectations, a.old_means, a.capacity, a.norm_anchor
    disruption, group_supply, group_belonging = a.disruption, a.group_supply, a.group_belonging
    cs_crisis_left, cs_crises, onset_draws = a.crisis_left, a.crises, a.onset_draws
    n = cs_integration.size
    means = np.empty(n)
    integration, regulation, expectations = np.empty(n), np.empty(n), np.empty(n)
    state, hazard = np.empty(n, dtype=np.int8), np.empty(n)
    onsets = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        # this week's means: work, wage level and business fortune (economy.current_means)
        benefit = k.unemployment_benefit + (a.claimed[i] if a.claimed.size else 0.0)
        means[i] = own_means(employed[i], role_wage[i], k.wage_level, benefit, fortune[i])

        g_supply = group_supply[i] if group_supply.size else 0.0
        g_belonging = group_belonging[i] if group_belonging.size else 0.0

        # integration from attachment, likeness and interdependence, and group belonging
        hold = belonging(g_belonging, k.collective_sentiment)
        target = integration_target(
            attachment(degree[i], k.tie_half_saturation), cs_likeness[i], cs_interdependence[i], k.organic_share,
            k.tie_integration_ceiling, hold,
        )
        integration[i] = _clip01(adapt(cs_integration[i], target, k.integration_rate))

        # regulation: restored towards the norms one's groups supply, eroded by one's own exposure
        local = k.norm_strength  # the tieless feel only society-wide norms
        if indptr[i + 1] > indptr[i]:
            local = row_sum(indptr, indices, cs_regulation, i) / degree[i]
        norms = supplied_norms(
            local, k.norm_strength, k.organic_share, k.sector_supply[sector[i]], g_supply, k.local_norm_weight,
            cs_norm_anchor[i], 1.0 if forced[i] else 0.0, k.forced_constraint, k.legitimacy,
        )
        erosion = anomic_erosion(
            means_change(old_means[i], means[i]), disruption[i] if disruption.size else 0.0,
            strain(cs_expectations[i], means[i]), cs_capacity[i],
            k.means_sensitivity, k.strain_erosion, k.capacity_protection,
        )
        reg = regulation_step(cs_regulation[i], norms, k.norm_adaptation_rate, erosion)
        reg += authoritarian_pressure(reg, k.authority_pull)
        regulation[i] = _clip01(reg)

        # expectations follow means, inflated where norms are weaker than the healthy middle
        expectations[i] = adapt(
            cs_expectations[i], expectation_target(means[i], regulation[i], k.ambition, k.regulation_mid), k.expectation_rate
        )
        cs_capacity[i] = _clip01(cs_capacity[i])

        # where the person stands, and how likely a crisis is
        state[i] = durkheim_state(integration[i], regulation[i], k.bands)
        hazard[i] = crisis_hazard(
            integration[i], regulation[i], k.integration_mid, k.regulation_mid, k.integration_high, k.regulation_high,
            k.baseline_hazard, k.hazard_curvature, cs_capacity[i], k.capacity_protection,
        )

        # crises: the countdown of an acute crisis, and new ones
        cs_crisis_left[i] = max(cs_crisis_left[i] - 1, 0)
        if crisis_onsets(hazard[i], cs_crisis_left[i], onset_draws[i]):
            onsets[i] = True
            cs_crisis_left[i] = k.crisis_duration
            cs_crises[i] += 1
    return means, integration, regulation, expectations, state, hazard, onsets


__all__ = ["CitizenWeekArrays", "WeekConstants", "citizens_week", "week_constants"]

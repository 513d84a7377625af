"""The stylised facts of docs/theory.md section 7, each over 10 seeds, effect beyond the seed-to-seed spread.

These run the facts with the configuration of `anomie validate --full` (1,000 citizens, 10
seeds), so the numbers are those of docs/VALIDATION.md. A result is shown when its 95% interval lies on the side the
theory predicts. Claims the model does not show are listed in NOT_SHOWN: a finding, reported
in the validation report, and checked to still be reported that way, so that a change that
makes the model show them is noticed. Results a formula forces are checked to be labelled so.
"""

from __future__ import annotations

import pytest

from anomie.experiments.validation.facts import CONSTRUCTION, FACTS, FactConfig

CFG = FactConfig(n_citizens=1000, seeds=10, workers=2)  # the full report's configuration: same numbers

# Claims the model does not show with its default parameters (a finding, not a test to bend).
NOT_SHOWN: set[str] = {
    "Occupational groups lower anomie: the same society without them keeps more anomie after a crash",
    "Over capacity, each case achieves less",
    "Austerity leaves more high-risk people missed",  # shown before the social-work rebuild; no longer at 2 posts per 1,000
    "A political upheaval lowers the crisis rate for a while",
}
# Claims that hold because a formula or a parameter says so: labelled, never counted as evidence.
BY_CONSTRUCTION = {
    "At equilibrium trade has more crises than agriculture",
    "At equilibrium industry has more crises than agriculture",
    "At equilibrium trade is less regulated than agriculture",
    "The chronic level of anomie depends on how much of economic life is regulated",
    "Casework shortens crises",
    "Caseloads over capacity bring burnout",
    "Poor coordination leaves more high-risk people missed",
}


@pytest.fixture(scope="module", params=sorted(FACTS))
def fact_results(request):
    return request.param, FACTS[request.param](CFG)


@pytest.mark.slow
def test_fact_holds_over_seeds(fact_results):
    number, results = fact_results
    assert results, f"fact {number} measured nothing"
    for r in results:
        assert r.measurable, f"fact {number}: '{r.claim}' cannot be measured on this model: {r.why}"
        assert r.n_seeds == CFG.seeds
        assert r.ci_low <= r.effect <= r.ci_high
        assert (r.kind == CONSTRUCTION) == (r.claim in BY_CONSTRUCTION), f"fact {number}: '{r.claim}' mislabelled"
        if r.claim in NOT_SHOWN:
            assert not r.passed, f"fact {number}: '{r.claim}' now holds; remove it from NOT_SHOWN"
            continue
        assert r.passed, (
            f"fact {number}: {r.claim}: effect {r.effect:.4g}, 95% CI [{r.ci_low:.4g}, {r.ci_high:.4g}] "
            f"over {r.n_seeds} seeds ({r.measure}); details {r.details}"
        )

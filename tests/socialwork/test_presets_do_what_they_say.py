"""The social-work presets show what their texts claim, on small runs (results, not construction).

Each comparison runs the same seeds with and without one difference (common random numbers).
"""

import numpy as np

from anomie.model import AnomieModel
from anomie.scenarios.loading import build_model, load_scenario

WEEKS, WINDOW = 140, slice(70, 141)  # the austerity cut starts in week 66


def _frame(scenario, seed, **overrides):
    m = AnomieModel(scenario, seed=seed, n_citizens=500, social_workers_per_1000=2.0, **overrides)  # 1 post
    m.run_for(WEEKS)
    return m.dataframe().iloc[WINDOW]


def test_austerity_lengthens_waits_and_burns_workers_out_against_the_same_recession():
    with_cut = load_scenario("austerity")
    without = with_cut.model_copy(update={"shocks": [s for s in with_cut.shocks if s.kind != "austerity"]})
    cut = [_frame(with_cut, seed) for seed in (1, 2)]
    whole = [_frame(without, seed) for seed in (1, 2)]
    mean = lambda frames, col: float(np.mean([f[col].mean() for f in frames]))  # noqa: E731
    assert mean(cut, "waiting_list") > 1.5 * mean(whole, "waiting_list")
    assert mean(cut, "mean_wait_weeks") > mean(whole, "mean_wait_weeks")
    assert mean(cut, "mean_burnout") > mean(whole, "mean_burnout")
    assert mean(cut, "caseload_limit") < mean(whole, "caseload_limit")


def test_without_social_work_nobody_waits_and_every_high_risk_person_is_missed():
    m = build_model("industrial_revolution_no_social_work", seed=1, n_citizens=300)
    m.run_for(70)
    df = m.dataframe()
    assert (df["waiting_list"] == 0).all() and (df["open_cases"] == 0).all()
    cs = m.citizens
    high_risk = np.count_nonzero((cs.hazard >= m.params.high_risk_hazard) | (cs.crisis_left > 0))
    assert m.metrics["missed_high_risk"] == high_risk > 0


def test_a_preset_that_sets_its_population_has_its_claims_checked_there():
    from anomie.experiments.validation.claims import ClaimRunner

    runner = ClaimRunner(n_citizens=300)
    assert runner.population("austerity") == runner.population("recession_without_cuts") == 10_000
    assert runner.population("crash") == 300
    a, b = load_scenario("austerity"), load_scenario("recession_without_cuts")
    assert a.parameters == b.parameters, "the comparison differs from austerity only in the cut"
    assert [s for s in a.shocks if s.kind != "austerity"] == b.shocks and a.steps == b.steps

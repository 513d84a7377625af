"""Every check of the report can fail: each is fed a model or data that should fail it.

The facts are run on an inert world (every shock's magnitude set to 0, social work with no
effect): nothing the theory predicts can then appear, so every directional result must be
"not shown". The by-construction checks are fed a flat hazard; the comparisons with
Durkheim's numbers are fed ratios outside his range.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from anomie.experiments.validation import construction, durkheim, facts
from anomie.experiments.validation.checks import CALIBRATION, CONSTRUCTION, VALIDATION

INERT_SOCIAL_WORK = {"casework_effect": 0.0, "crisis_resolution": 0.0, "groupwork_effect": 0.0,
                     "persuasion_effect": 0.0, "environment_tie": 0.0, "advocacy_success": 0.0, "benefit_advocacy_success": 0.0,
                     "coproduction_rate": 0.0, "group_tie_probability": 0.0, "founding_hours": 1000.0,
                     "group_norm_supply": 0.0, "group_belonging": 0.0}
CFG = facts.FactConfig(n_citizens=200, seeds=3, workers=1, social_work_levels=(0.0, 20.0, 40.0))  # 0, 4 and 8 posts at 200 citizens


@pytest.fixture
def inert_world(monkeypatch):
    real_load, real_model = facts.load_scenario, facts.AnomieModel

    def load(name):
        spec = real_load(name)
        shocks = [{**s.model_dump(), "magnitude": 0.0} for s in spec.shocks]
        return spec.model_validate({**spec.model_dump(), "shocks": shocks})

    def model(spec, **kw):
        if "shocks" in spec.model_dump():  # shocks handed in by a fact (a contrast) are made inert too
            spec = spec.model_validate({**spec.model_dump(),
                                        "shocks": [{**s.model_dump(), "magnitude": 0.0} for s in spec.shocks]})
        return real_model(spec, **{**kw, **{k: v for k, v in INERT_SOCIAL_WORK.items() if k not in kw}})

    monkeypatch.setattr(facts, "load_scenario", load)
    monkeypatch.setattr(facts, "AnomieModel", model)
    facts.acute_ratios.cache_clear()
    yield
    facts.acute_ratios.cache_clear()


# directional claims that an inert world cannot show (band claims about "no difference" rightly pass there)
@pytest.mark.parametrize("number, claim", [
    (1, "A crash raises the yearly crisis rate"),
    # each case reruns its whole fact; the quick tier keeps the first
    pytest.param(1, "A sudden boom raises the yearly crisis rate", marks=pytest.mark.slow),
    pytest.param(5, "Migration lowers cohesion more in a mechanical society than in an organic one", marks=pytest.mark.slow),
    pytest.param(7, "Casework lowers the crisis rate", marks=pytest.mark.slow),
    pytest.param(7, "Group work and community development lower anomie itself", marks=pytest.mark.slow),
    pytest.param(7, "Returns per worker diminish", marks=pytest.mark.slow),
    pytest.param(7, "Austerity lengthens the waiting list", marks=pytest.mark.slow),
])
def test_a_fact_is_not_shown_in_an_inert_world(inert_world, number, claim):
    results = {r.claim: r for r in facts.FACTS[number](CFG)}
    r = results[claim]
    assert r.measurable and not r.passed, f"{claim}: shown in a world where nothing happens ({r.effect}, "
    f"[{r.ci_low}, {r.ci_high}])"


def test_a_band_claim_fails_outside_its_band():
    inside = facts.result(4, "no speed effect", "diff", [0.001, -0.002, 0.0015], 0, band=(-0.02, 0.02))
    outside = facts.result(4, "no speed effect", "diff", [0.05, 0.06, 0.055], 0, band=(-0.02, 0.02))
    wide = facts.result(4, "no speed effect", "diff", [0.3, -0.3, 0.0], 0, band=(-0.02, 0.02))
    assert inside.passed and not outside.passed and not wide.passed


def test_an_unmeasurable_fact_never_passes():
    r = facts.not_measurable(9, "Upheaval lowers crises", "no political_upheaval shock")
    assert not r.passed and r.status == "not measurable" and math.isnan(r.effect)


def test_the_u_shape_check_fails_on_a_flat_or_one_sided_hazard():
    def flat(integration, regulation, baseline):
        return np.full_like(integration, baseline)

    def rising(integration, regulation, baseline):  # only towards altruism and fatalism
        return baseline * np.exp(5 * integration + 5 * regulation)

    assert all(c.passed for c in construction.u_checks()[0])
    assert not any(c.passed for c in construction.u_checks(flat)[0])
    assert [c.passed for c in construction.u_checks(rising)[0]] == [False, True, False, True]
    assert all(c.kind == CONSTRUCTION for c in construction.u_checks(flat)[0])


def test_a_durkheim_comparison_fails_outside_his_range(monkeypatch):
    spread = durkheim.crisis_years().query("kind == 'crash'")["ratio"].to_numpy()
    assert durkheim.compare("crash", (1.2, 1.1, 1.3), spread, 10, "crash").passed
    assert not durkheim.compare("crash", (3.0, 2.5, 3.5), spread, 10, "crash").passed  # multiplying
    assert not durkheim.compare("crash", (0.95, 0.9, 1.0), spread, 10, "crash").passed  # no rise
    assert not durkheim.compare("crash", (math.nan,) * 3, spread, 10, "crash").passed
    assert durkheim.compare("boom", (1.2, 1.1, 1.3), spread, 10, "boom").kind == VALIDATION  # held out
    monkeypatch.setitem(durkheim.CALIBRATED, "boom", "a parameter fitted to it")
    assert durkheim.compare("boom", (1.2, 1.1, 1.3), spread, 10, "boom").kind == CALIBRATION


def test_durkheims_figures_are_read_as_printed():
    years = durkheim.crisis_years()
    assert years.loc[years["place"] == "Vienna", "ratio"].round(3).tolist() == [1.532]
    occ = durkheim.occupations()
    assert occ["trade"].median() == pytest.approx(2.39, abs=0.01)
    assert occ["industry"].median() == pytest.approx(1.45, abs=0.01)

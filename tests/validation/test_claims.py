"""Preset claims: a claim is checked over seeds and fails when it stops holding; every preset's claims hold."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from anomie.experiments.validation import claims as runner_module
from anomie.scenarios.claims import Claim, evaluate
from anomie.scenarios.schema import InputError


def frames(values_per_seed: list[list[float]], metric: str = "waiting_list") -> list[pd.DataFrame]:
    return [pd.DataFrame({metric: v, "other": [0.0] * len(v)}, index=range(len(v))) for v in values_per_seed]


def claim(**kw) -> Claim:
    base = {"text": "t", "metric": "waiting_list", "weeks": [1, 3], "relation": ">", "compare": "crash"}
    return Claim(**{**base, **kw})


def test_a_claim_holds_only_when_the_interval_is_on_its_side():
    high = frames([[0, 5, 6, 7], [0, 4, 5, 6], [0, 6, 6, 8]])
    low = frames([[0, 1, 2, 1], [0, 2, 1, 1], [0, 1, 1, 2]])
    assert evaluate(claim(), high, low).holds
    assert not evaluate(claim(), low, high).holds
    assert not evaluate(claim(), high, high).holds  # no difference is not "more"
    assert evaluate(claim(relation="<"), low, high).holds
    noisy = frames([[0, 9, 9, 9], [0, 0, 0, 0], [0, 0, 0, 0]])
    assert not evaluate(claim(), noisy, frames([[0, 1, 1, 1]] * 3)).holds  # one lucky seed is not enough


def test_against_another_metric_and_a_number():
    runs = frames([[0, 5, 6, 7]] * 3)
    assert evaluate(claim(compare=None, against="other"), runs).holds
    assert evaluate(claim(compare=None, value=4.0, statistic="peak"), runs).holds
    assert not evaluate(claim(compare=None, value=8.0, statistic="peak"), runs).holds
    assert evaluate(claim(compare=None, versus_weeks=[0, 0]), runs).holds  # later weeks above week 0
    assert not evaluate(claim(compare=None, versus_weeks=[3, 3], relation=">"), runs).holds


@pytest.mark.parametrize("bad", [
    {"compare": "crash", "value": 1.0},  # two references
    {"compare": None},  # none
    {"weeks": [10, 5]},
    {"relation": ">="},
    {"colour": "red"},
])
def test_malformed_claims_are_refused(bad):
    with pytest.raises(ValidationError):
        claim(**bad)


def test_unknown_metric_or_preset_is_named(monkeypatch):
    with pytest.raises(InputError, match=r"claims\[0\]\.metric: unknown metric 'waiting'"):
        runner_module.validate_claim("austerity", 0, claim(metric="waiting"))
    with pytest.raises(InputError, match=r"claims\[2\]\.compare: unknown preset 'krash'"):
        runner_module.validate_claim("austerity", 2, claim(compare="krash"))

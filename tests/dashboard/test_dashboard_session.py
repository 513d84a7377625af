"""The tab's run: settings, the model, comparison runs, model errors and the validation of page values."""

from __future__ import annotations

import numpy as np
import pytest

from anomie.dashboard.session import (
    NO_SOCIAL_WORK,
    ONE_PARAMETER,
    InputError,
    RunSettings,
    build_model,
    compare_label,
    first_difference,
    summarise,
    validate_compare,
    validate_override,
    validate_preset,
)

SMALL = {"n_citizens": 150}


def test_model_follows_preset_seed_and_overrides():
    m = build_model(RunSettings(preset="crash", seed=11, overrides={**SMALL, "organic_share": 0.6}))
    assert m.spec.title == "Economic crash"
    assert m.params.organic_share == 0.6
    assert m.citizens.n == 150
    assert m.settings.seed == 11


def test_same_settings_same_run():
    a = build_model(RunSettings(preset="baseline", seed=4, overrides=dict(SMALL)))
    b = build_model(RunSettings(preset="baseline", seed=4, overrides=dict(SMALL)))
    for _ in range(5):
        a.step()
        b.step()
    assert np.array_equal(a.citizens.integration, b.citizens.integration)


def test_error_in_a_week_is_kept_and_stops_the_run(monkeypatch):
    m = build_model(RunSettings(preset="baseline", overrides=dict(SMALL)))
    m.week()

    def broken(*_):
        raise RuntimeError("ties out of order")

    monkeypatch.setattr(m, "citizens_week", broken)
    assert m.week() is False  # must not raise: the page shows the message instead
    assert m.error is not None and "ties out of order" in m.error
    steps = m.steps
    assert m.week() is False and m.steps == steps  # a broken run does not go on


def test_a_run_stops_at_the_scenarios_length_unless_extended():
    m = build_model(RunSettings(preset="baseline", overrides=dict(SMALL)))
    assert m.last_week == m.spec.steps and not m.at_end()
    m.settings = m.settings.copy(extra_weeks=10)
    assert m.last_week == m.spec.steps + 10


def test_comparison_without_social_work_starts_from_the_same_society():
    m = build_model(RunSettings(preset="baseline", seed=9, overrides=dict(SMALL), compare_with=NO_SOCIAL_WORK))
    other = m.counterpart
    assert other.n_posts == 0 and m.n_posts > 0 and other.params.social_workers_per_1000 == 0
    assert np.array_equal(other.citizens.integration, m.citizens.integration)
    for _ in range(4):
        m.week()
    assert other.steps == m.steps == 4


def test_comparison_with_another_preset_keeps_the_population_size():
    settings = validate_compare(RunSettings(preset="baseline", overrides=dict(SMALL)), "preset:crash")
    m = build_model(settings)
    assert m.counterpart.spec.title == "Economic crash"
    assert m.counterpart.params.n_citizens == 150
    for _ in range(3):
        m.week()
    assert m.counterpart.steps == m.steps == 3
    # and a preset switch drops a comparison with the preset itself
    assert validate_preset(settings, "crash").compare_with == ""


def test_summary_is_honest_about_what_differs():
    m = build_model(RunSettings(preset="crash", overrides=dict(SMALL), compare_with=NO_SOCIAL_WORK))
    assert "Step or play" in summarise(m)
    for _ in range(30):
        m.week()
    sentence = summarise(m)
    a = np.asarray(m.datacollector.model_vars["cohesion"], dtype=float)
    b = np.asarray(m.counterpart.datacollector.model_vars["cohesion"], dtype=float)
    first = first_difference(a, b)
    assert "common random numbers" in sentence and "only in social work" in sentence
    assert (f"identical until week {first}" in sentence) if first is not None else ("identical" in sentence)
    assert f"{a.mean():.3f}" in sentence and f"{b.mean():.3f}" in sentence
    other = build_model(RunSettings(preset="crash", overrides=dict(SMALL), compare_with="preset:boom"))
    other.week()
    text = summarise(other)
    assert "common random numbers" not in text and "need not start together" in text


def test_one_parameter_changed_is_identical_until_it_matters():
    # a higher crisis duration changes nothing until the first crisis begins
    settings = RunSettings(preset="baseline", overrides=dict(SMALL), compare_with=ONE_PARAMETER,
                           compare_parameter=("crisis_duration", 30))
    m = build_model(settings)
    for _ in range(40):
        m.week()
    a = np.asarray(m.datacollector.model_vars["cohesion"], dtype=float)
    b = np.asarray(m.counterpart.datacollector.model_vars["cohesion"], dtype=float)
    first = first_difference(a, b)
    assert first is None or first > 0
    assert "crisis duration = 30" in summarise(m)


def test_a_clashing_parameter_is_refused_with_the_reason():
    settings = RunSettings(preset="baseline")
    with pytest.raises(InputError, match="integration_low must be below integration_high"):
        validate_override(settings, "integration_low", 0.95)
    assert "integration_low" not in settings.overrides  # the tab's settings are untouched


def test_integer_parameters_arrive_as_integers():
    new = validate_override(RunSettings(), "newcomer_ties", 3.0)
    assert new.overrides["newcomer_ties"] == 3 and isinstance(new.overrides["newcomer_ties"], int)
    rate = validate_override(RunSettings(), "social_workers_per_1000", 3)
    assert rate.overrides["social_workers_per_1000"] == 3.0 and isinstance(rate.overrides["social_workers_per_1000"], float)


def test_the_old_staffing_name_is_refused_with_the_new_one():
    with pytest.raises(InputError, match="n_social_workers was renamed: write social_workers_per_1000"):
        validate_override(RunSettings(), "n_social_workers", 2)


@pytest.mark.parametrize("name, value", [("n_citizens", 5), ("n_citizens", 2_000_000), ("organic_share", 1.5)])
def test_an_out_of_range_value_typed_in_is_refused_not_clipped(name, value):
    settings = RunSettings(preset="baseline")
    with pytest.raises(InputError, match="between"):
        validate_override(settings, name, value)
    assert name not in settings.overrides

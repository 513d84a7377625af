"""The scenario schema in-process: what a valid file becomes, and what InputError carries."""


import pytest

from anomie.model.parameters import DEFAULTS, Parameters
from anomie.scenarios.schema import InputError, Scenario, parse_scenario
from anomie.scenarios.loading import PRESET_DIR, load_scenario


def test_a_minimal_file_gets_the_defaults():
    sc = parse_scenario(b'title = "Just a title"\n', "mine.toml", name="mine")
    assert sc.title == "Just a title" and sc.name == "mine" and sc.shocks == [] and sc.steps == 300
    assert sc.parameters.model_dump() == DEFAULTS


def test_a_preset_file_and_its_name_load_the_same():
    path = PRESET_DIR / "crash.toml"
    assert load_scenario(path) == load_scenario("crash") == load_scenario(str(path))


def test_whole_numbers_are_accepted_for_real_parameters_but_not_the_reverse():
    sc = parse_scenario(b'title = "t"\n[parameters]\nconfidence_bound = 1\n', "t.toml")
    assert sc.parameters.confidence_bound == 1.0
    with pytest.raises(InputError):
        parse_scenario(b'title = "t"\n[parameters]\nn_citizens = 100.0\n', "t.toml")


def test_input_error_names_the_source():
    with pytest.raises(InputError) as info:
        parse_scenario(b'title = "t"\n[parameters]\nmean_degree = 99\n', "some/where.toml")
    assert info.value.source == "some/where.toml"
    assert str(info.value).startswith("some/where.toml: ")
    assert "parameters.mean_degree" in str(info.value)


def test_every_problem_is_listed_in_one_message():
    text = b'title = "t"\n[parameters]\nmean_degree = 99\nn_roles = 0\n'
    with pytest.raises(InputError) as info:
        parse_scenario(text, "t.toml")
    assert "parameters.mean_degree" in str(info.value) and "parameters.n_roles" in str(info.value)


def test_with_overrides_validates_and_keeps_the_rest():
    sc = load_scenario("boom")
    changed = sc.with_overrides(n_citizens=77)
    assert changed.parameters.n_citizens == 77 and changed.shocks == sc.shocks and changed.title == sc.title
    assert sc.with_overrides() is sc
    with pytest.raises(InputError, match="n_citizens"):
        sc.with_overrides(n_citizens=5)


def test_parameters_are_frozen():
    p = Parameters()
    with pytest.raises(Exception):
        p.n_citizens = 5  # type: ignore[misc]


def test_shock_timing_is_validated_per_kind():
    with pytest.raises(InputError, match="shocks.0.duration"):
        parse_scenario(b'title = "t"\n[[shocks]]\nkind = "migration"\nstart = 3\nduration = 0\nmagnitude = 0.1\n', "t")
    sc = parse_scenario(b'title = "t"\n[[shocks]]\nkind = "migration"\nstart = 3\nmagnitude = 0.1\n', "t")
    assert sc.shocks[0].duration == 1


def test_scenario_object_round_trips_through_a_dict():
    sc = load_scenario("industrial_revolution")
    assert isinstance(sc, Scenario) and len(sc.shocks) == 3
    again = Scenario.model_validate(sc.model_dump())
    assert again == sc


def test_the_default_scenario_is_the_baseline_preset():
    from anomie.scenarios.schema import baseline_scenario

    preset, default = load_scenario("baseline"), baseline_scenario()
    assert (default.title, default.name, default.parameters, default.shocks) == (
        preset.title, preset.name, preset.parameters, preset.shocks)


def test_the_model_takes_a_scenario_not_a_name():
    from anomie.model.model import AnomieModel

    with pytest.raises(TypeError, match="build_model"):
        AnomieModel("baseline", seed=0, n_citizens=40)

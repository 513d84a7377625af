"""Same seed, same bits; different seeds, different runs; simulate() equals a direct run."""

import pandas as pd
import pytest

from anomie.scenarios.run import simulate
from anomie.scenarios.loading import build_model, load_scenario

KW = dict(n_citizens=150)
STEPS = 40


def run(scenario, seed, steps=STEPS, **kw):
    m = build_model(scenario, seed=seed, **{**KW, **kw})
    m.run_for(steps)
    return m.dataframe()


@pytest.mark.parametrize("scenario", ["baseline", "industrial_revolution", "austerity"])
def test_same_seed_gives_identical_dataframes(scenario):
    a = run(scenario, 11, steps=75)
    b = run(scenario, 11, steps=75)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


@pytest.mark.parametrize("network", ["barabasi_albert", "erdos_renyi"])
def test_same_seed_identical_on_every_network(network):
    pd.testing.assert_frame_equal(run("crash", 5, network=network), run("crash", 5, network=network), check_exact=True)


def test_same_seed_gives_identical_citizen_state():
    a = build_model("migration", seed=4, **KW)
    b = build_model("migration", seed=4, **KW)
    a.run_for(60)
    b.run_for(60)
    for name, arr in a.citizens.arrays().items():
        assert (arr == getattr(b.citizens, name)).all(), name
    assert (a.network.u == b.network.u).all() and (a.network.v == b.network.v).all()
    assert [w.burnout for w in a.social_workers] == [w.burnout for w in b.social_workers]


def test_different_seeds_differ():
    a = run("baseline", 1)
    b = run("baseline", 2)
    assert not a.equals(b)
    assert (a["mean_integration"] != b["mean_integration"]).any()
    assert (a["mean_regulation"] != b["mean_regulation"]).any()


def test_simulate_equals_a_direct_run():
    df, meta = simulate("industrialisation", seed=7, steps=STEPS, overrides=KW)
    direct = run("industrialisation", 7)
    pd.testing.assert_frame_equal(df, direct, check_exact=True)
    assert meta["seed"] == 7 and meta["scenario"] == "industrialisation" and meta["steps"] == STEPS
    assert meta["parameters"]["n_citizens"] == KW["n_citizens"]


def test_simulate_is_deterministic_and_default_length_is_the_scenarios():
    spec = load_scenario("crash").model_copy(update={"steps": 60})
    a, meta = simulate(spec, seed=3, overrides=dict(n_citizens=60))
    assert meta["steps"] == 60 and len(a) == 61
    b, _ = simulate(spec, seed=3, overrides=dict(n_citizens=60))
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_observation_does_not_change_the_run():
    """Measuring the network every 3rd week instead of every week changes no other metric."""
    a = build_model("industrialisation", seed=8, **KW)
    b = build_model("industrialisation", seed=8, network_metrics_every=3, **KW)
    a.run_for(STEPS)
    b.run_for(STEPS)
    da, db = a.dataframe(), b.dataframe()
    structural = ["cohesion", "cohesion_connectedness", "cohesion_clustering"]
    pd.testing.assert_frame_equal(da.drop(columns=structural), db.drop(columns=structural), check_exact=True)

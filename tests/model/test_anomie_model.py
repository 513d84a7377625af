"""The assembled model: construction, overrides, shock timing, metrics and their invariants."""

import numpy as np
import pandas as pd
import pytest

from anomie.model import METRICS, AnomieModel
from anomie.model.metrics import POSITION_METRICS, empty_positions
from anomie.model.parameters import DEFAULTS
from anomie.scenarios.schema import InputError, Scenario
from anomie.scenarios.loading import build_model, load_scenario
from anomie.scenarios.shocks import Crash, Isolation, Migration


def small(scenario="baseline", seed=1, steps=0, **kw):
    kw.setdefault("n_citizens", 120)
    m = build_model(scenario, seed=seed, **kw)
    if steps:
        m.run_for(steps)
    return m


def test_defaults_come_from_the_parameter_table():
    m = build_model("baseline", seed=0, n_citizens=50)
    for name, default in DEFAULTS.items():
        if name != "n_citizens":
            assert getattr(m.params, name) == default, name


def test_overrides_are_applied_and_validated():
    m = small(confidence_bound=0.2, social_workers_per_1000=25.0)  # 3 posts at 120 citizens
    assert m.params.confidence_bound == 0.2 and len(m.social_workers) == 3
    with pytest.raises(InputError, match="no_such_parameter"):
        build_model("baseline", seed=0, no_such_parameter=1)
    with pytest.raises(InputError, match="confidence_bound"):
        build_model("baseline", seed=0, confidence_bound=2.0)
    with pytest.raises(InputError, match="integration_low"):
        build_model("baseline", seed=0, integration_low=0.9)


@pytest.mark.parametrize("network", ["watts_strogatz", "barabasi_albert", "erdos_renyi"])
def test_initial_state_is_in_range_for_every_network(network):
    m = small(network=network)
    cs = m.citizens
    for name in ("integration", "regulation", "capacity", "interdependence", "likeness"):
        a = getattr(cs, name)
        assert a.shape == (120,) and a.min() >= 0.0 and a.max() <= 1.0, name
    assert cs.beliefs.shape == (120, m.params.n_beliefs)
    assert cs.beliefs.min() >= 0 and cs.beliefs.max() <= 1
    assert cs.role.min() >= 0 and cs.role.max() < m.params.n_roles
    assert m.network.degree.mean() == pytest.approx(m.params.mean_degree, rel=0.1)


def test_the_dataframe_has_one_row_per_week_and_one_column_per_metric():
    m = small(steps=5)
    df = m.dataframe()
    assert list(df.columns) == list(METRICS)
    assert len(df) == 6 and df.index.name == "step" and df.index.tolist() == list(range(6))
    assert df.drop(columns=list(POSITION_METRICS)).notna().all().all()
    # a position's metrics are empty only in a week nobody holds it
    empty = empty_positions(m.citizens.sector, m.citizens.employed)
    assert {c for c in POSITION_METRICS if np.isnan(df[c].iloc[-1])} == empty


def test_metric_invariants_over_a_turbulent_run():
    m = small("industrial_revolution", n_citizens=150)
    m.run_for(90)
    df = m.dataframe()
    shares = [c for c in df.columns if c.startswith("share_")]
    assert np.allclose(df[shares].sum(axis=1), 1.0)
    parts = df[["cohesion_integration", "cohesion_connectedness", "cohesion_clustering", "cohesion_solidarity"]]
    assert np.allclose(df["cohesion"], parts.mean(axis=1))
    o = df["organic_share"]
    assert np.allclose(df["cohesion_solidarity"], (1 - o) * df["consensus"] + o * df["interdependence"])
    assert np.array_equal(df["mean_integration"], df["cohesion_integration"])
    assert np.array_equal(df["crises_total"], df["crises"].cumsum())
    for col in ("cohesion", "consensus", "interdependence", "mean_regulation", "mean_burnout", "unemployment"):
        assert df[col].between(0, 1).all(), col
    assert (df[["open_cases", "waiting_list", "in_crisis", "missed_high_risk", "missed_referrals"]] >= 0).all().all()
    # the final row agrees with the state it describes
    cs = m.citizens
    last = df.iloc[-1]
    assert last["n_citizens"] == cs.n
    assert last["open_cases"] == np.count_nonzero(cs.case_worker >= 0) == sum(w.caseload for w in m.social_workers)
    assert last["in_crisis"] == np.count_nonzero(cs.crisis_left)
    assert last["mean_integration"] == pytest.approx(cs.integration.mean())


def test_a_shock_first_acts_in_its_start_week_and_stops_after_its_end():
    spec = load_scenario("baseline")
    spec = spec.model_copy(update={"shocks": [Crash(start=5, duration=3, magnitude=0.3)]})
    m = AnomieModel(spec, seed=0, n_citizens=60)
    seen = {}
    for _ in range(12):
        m.step()
        seen[m.steps] = (list(m.conditions.active), m.conditions.wage_level)
    assert [t for t, (active, _) in seen.items() if active] == [5, 6, 7, 8]
    assert [t for t, (_, w) in seen.items() if w < 1.0] == [5, 6, 7]
    assert seen[6][1] == pytest.approx(0.7)
    assert m.active_shocks == [], "the shock is taken off the timeline after it ends"


def test_isolation_suspends_ties_then_restores_them():
    spec = load_scenario("baseline").model_copy(
        update={"shocks": [Isolation(start=3, duration=4, magnitude=0.8)]}
    )
    m = AnomieModel(spec, seed=0, n_citizens=200, social_workers_per_1000=0.0)
    m.run_for(12)
    ties = m.dataframe()["n_ties"]
    assert ties[4] < 0.35 * ties[2]
    assert ties[11] > 0.8 * ties[2]
    assert m.dataframe()["mean_integration"][6] < m.dataframe()["mean_integration"][2]


def test_migration_brings_newcomers_with_other_beliefs_and_few_ties():
    spec = load_scenario("baseline").model_copy(
        update={"shocks": [Migration(start=2, duration=2, magnitude=0.5)]}
    )
    m = AnomieModel(spec, seed=0, n_citizens=100, social_workers_per_1000=0.0, newcomer_ties=2)
    m.run_for(3)
    cs = m.citizens
    assert cs.n == 150 and np.count_nonzero(cs.newcomer) == 50
    deg = m.network.degree
    assert deg[100:].mean() < 0.5 * deg[:100].mean()
    host_centre = cs.beliefs[:100].mean(axis=0)
    assert np.all(cs.beliefs[100:].mean(axis=0) > host_centre + 0.2)
    assert m.dataframe()["n_citizens"].tolist() == [100, 100, 125, 150]


def test_no_social_workers_means_no_cases():
    m = small(social_workers_per_1000=0.0, steps=30)
    df = m.dataframe()
    assert (df["open_cases"] == 0).all() and (df["mean_burnout"] == 0).all()


def test_scenario_object_is_accepted_as_is():
    spec = Scenario(title="t", parameters={"n_citizens": 40})
    m = AnomieModel(spec, seed=1)
    assert m.citizens.n == 40 and m.spec is spec


def test_seed_and_rng_together_are_refused():
    with pytest.raises(ValueError):
        build_model("baseline", seed=1, rng=2, n_citizens=40)


def test_dataframe_is_a_pandas_frame_of_numbers():
    df = small(steps=2).dataframe()
    assert isinstance(df, pd.DataFrame)
    assert all(pd.api.types.is_numeric_dtype(t) for t in df.dtypes)


@pytest.mark.parametrize("distance", [0.1, 0.25, 0.4, 0.5])
def test_newcomers_arrive_at_the_belief_distance_the_parameter_states(distance):
    """newcomer_belief_distance is a belief distance from the host society's collective
    conscience; every allowed value (0 to 0.5, the furthest a point can lie from the
    centre of belief space) should be realised on arrival."""
    from anomie.model.beliefs import belief_distance

    m = build_model("baseline", seed=0, n_citizens=400, social_workers_per_1000=0.0,
                    newcomer_belief_distance=distance, belief_diversity=0.05)
    host = m.citizens.beliefs.mean(axis=0)
    m.add_newcomers(400)
    newcomers = m.citizens.beliefs[400:].mean(axis=0)
    assert belief_distance(newcomers[None], host[None])[0] == pytest.approx(distance, abs=0.05)


def test_newcomer_distances_beyond_belief_space_are_refused():
    from anomie.scenarios.schema import InputError

    with pytest.raises(InputError, match="newcomer_belief_distance"):
        build_model("baseline", seed=0, n_citizens=50, newcomer_belief_distance=0.75)


def test_metric_reporters_pickle_and_read_the_weeks_metrics():
    import pickle

    from anomie.model.metrics import metric_reporters

    m = small(steps=2)
    reporters = pickle.loads(pickle.dumps(metric_reporters()))
    assert list(reporters) == list(METRICS)
    for name, report in reporters.items():
        assert report(m) == m.metrics[name] == m.dataframe()[name].iloc[-1], name


def test_forced_division_of_labour_gives_no_organic_interdependence():
    free = build_model("baseline", seed=2, n_citizens=100, forced_division=0.0)
    forced = build_model("baseline", seed=2, n_citizens=100, forced_division=1.0)
    assert not free.citizens.forced.any() and forced.citizens.forced.all()
    assert free.citizens.interdependence.mean() > 0.3
    assert np.all(forced.citizens.interdependence == 0.0)
    half = build_model("baseline", seed=2, n_citizens=400, forced_division=0.5)
    cs = half.citizens
    assert 0.4 < cs.forced.mean() < 0.6
    assert np.all(cs.interdependence[cs.forced] == 0.0)
    assert cs.interdependence[~cs.forced & cs.employed].mean() > 0.0


def test_quantiles_are_the_inverted_cdf_quantiles_to_half_a_bin():
    from anomie.model.metrics import QUANTILE_BINS, quantiles

    rng = np.random.default_rng(3)
    for n in (1, 7, 1000, 100_001):
        x = rng.beta(2, 5, n)
        expected = np.quantile(x, (0.1, 0.5, 0.9), method="inverted_cdf")
        assert np.all(np.abs(quantiles(x) - expected) <= 0.5 / QUANTILE_BINS + 1e-12)
    assert np.all(quantiles(np.array([0.0, 1.0, 1.0])) > 0.99 - np.array([1, 0, 0]))


def test_position_metrics_are_means_and_yearly_rates_per_thousand():
    from anomie.model.metrics import position_metrics

    sector = np.array([0, 0, 2, 2, 2, 1], dtype=np.int8)
    employed = np.array([True, True, True, True, False, False])
    reg = np.array([0.2, 0.4, 0.1, 0.3, 0.9, 0.5])
    out = position_metrics(sector, employed, reg, np.array([0, 2, 4]))
    assert out["mean_regulation_agriculture"] == pytest.approx(0.3)
    assert out["mean_regulation_trade"] == pytest.approx(0.2)
    assert out["mean_regulation_out_of_work"] == pytest.approx(0.7)
    # nobody works in industry or the professions: no mean, no rate (not 0, which would read
    # as total anomie and no crises)
    empty = {f"{what}_{s}" for what in ("mean_regulation", "crisis_rate") for s in ("industry", "liberal_professions")}
    assert {k for k, v in out.items() if np.isnan(v)} == empty
    assert out["crisis_rate_agriculture"] == pytest.approx(1000 * 52 * 1 / 2)
    assert out["crisis_rate_out_of_work"] == pytest.approx(1000 * 52 * 1 / 2)


def test_a_sector_nobody_works_in_has_empty_metrics_every_week_and_they_survive_parquet(tmp_path):
    """No trade at all: trade's mean regulation and crisis rate are empty (NaN) every week,
    not 0 (which would read as total anomie and no crises); the table round-trips through
    the sweep's parquet writer with its gaps."""
    from anomie.experiments.storage import write_parquet

    m = small(n_citizens=60, share_trade=0.0)
    m.run_for(8)
    df = m.dataframe()
    assert df["mean_regulation_trade"].isna().all() and df["crisis_rate_trade"].isna().all()
    assert df["mean_regulation_agriculture"].notna().all()
    back = pd.read_parquet(write_parquet(df, tmp_path / "run.parquet"))
    pd.testing.assert_frame_equal(back, df)

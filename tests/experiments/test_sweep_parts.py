"""Summaries, designs and seeds: the pieces a sweep's tables are made of."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from anomie.experiments import tables
from anomie.experiments.designs import make_design, plan_runs, run_seeds
from anomie.experiments.spec import load_sweep
from anomie.experiments.summaries import summarise, time_to_recover

from sweep_files import TINY_MODEL_SWEEP, write_sweep


def test_summaries_of_a_hand_made_series():
    # calm at 1, a rise to 5 at week 4, then back down
    df = pd.DataFrame({"m": [1.0, 1.0, 2.0, 4.0, 5.0, 3.0, 1.6, 1.2, 1.0]}, index=pd.RangeIndex(9, name="step"))
    s = summarise(df, ("m",), ["peak", "time_of_peak", "final", "auc", "mean", "time_to_recover"], baseline_until=1, tolerance=0.1)
    assert s["peak_m"] == 5.0 and s["time_of_peak_m"] == 4.0 and s["final_m"] == 1.0
    assert s["auc_m"] == pytest.approx(np.trapezoid(df["m"].to_numpy()))
    assert s["mean_m"] == pytest.approx(df["m"].mean())
    # departure 4 at week 4; within 0.4 of the baseline first at week 8 (1.2 is 0.2 off, at week 7)
    assert s["time_to_recover_m"] == 3.0


def test_time_to_recover_falls_and_never():
    x = np.array([0.5, 0.5, 0.2, 0.3, 0.45, 0.49])
    assert time_to_recover(x, 0, 0.1) == 3.0  # a dip recovers too: 0.49 is 0.01 off, within 0.03
    assert np.isnan(time_to_recover(np.array([0.0, 0.0, 1.0, 1.0]), 1, 0.1))
    assert time_to_recover(np.zeros(5), 0, 0.1) == 0.0


def test_seed_of_a_run_depends_on_its_index_only():
    a, b = run_seeds(7, 5), run_seeds(7, 50)
    assert a == b[:5]
    assert len(set(b)) == 50 and all(0 <= s < 2**63 for s in b)
    assert run_seeds(8, 5) != a


@pytest.mark.parametrize("design,extra,n_points", [
    ("lhs", "samples = 10", 10),
    ("sobol", "samples = 8", 8 * (3 + 2)),
    ("sobol", "samples = 8\nsecond_order = true", 8 * (2 * 3 + 2)),
    ("morris", "samples = 3", 3 * (3 + 1)),
])
def test_sampled_designs_have_the_planned_size_stay_in_range_and_repeat(tmp_path, design, extra, n_points):
    text = f"""
title = "design check"
design = "{design}"
{extra}
replications = 2
master_seed = 3
[parameters.newcomer_ties]
low = 0
high = 20
[parameters.casework_effect]
low = 0.01
high = 0.3
[parameters."shocks.0.ramp"]
low = 10
high = 100
"""
    text = text.replace('title = "design check"', 'title = "design check"\nscenario = "industrialisation"')
    sweep = load_sweep(write_sweep(tmp_path, text))
    d = make_design(sweep)
    assert sweep.n_points == len(d.points) == n_points
    assert all(isinstance(p["newcomer_ties"], int) and 0 <= p["newcomer_ties"] <= 20 for p in d.points)
    assert all(0.01 <= p["casework_effect"] <= 0.3 for p in d.points)
    assert make_design(sweep).points == d.points  # fixed by the master seed
    plans = plan_runs(sweep)
    assert [p.run for p in plans] == list(range(2 * n_points))
    assert plans[1].values == plans[0].values and plans[1].seed != plans[0].seed


def test_grid_over_a_range_and_the_runs_schema(tmp_path):
    text = """
title = "grid"
design = "grid"
master_seed = 1
metrics = ["share_anomie", "cohesion"]
summaries = ["peak", "final"]
[parameters.newcomer_ties]
low = 0
high = 10
points = 3
[parameters.network]
values = ["watts_strogatz", "erdos_renyi"]
"""
    sweep = load_sweep(write_sweep(tmp_path, text))
    d = make_design(sweep)
    assert d.points == [{"newcomer_ties": a, "network": b} for a in (0, 5, 10) for b in ("watts_strogatz", "erdos_renyi")]
    schema = tables.runs_schema(sweep)
    assert schema.names[-6:] == ["newcomer_ties", "network", "peak_share_anomie", "final_share_anomie", "peak_cohesion", "final_cohesion"]
    assert str(schema.field("network").type) == "string"


def test_common_seeds_share_one_seed_per_replication(tmp_path):
    sweep = load_sweep(write_sweep(tmp_path, TINY_MODEL_SWEEP.replace("replications = 2", "replications = 2\ncommon_seeds = true")))
    plans = plan_runs(sweep)
    by_rep = {r: {p.seed for p in plans if p.replication == r} for r in (0, 1)}
    assert len(by_rep[0]) == len(by_rep[1]) == 1 and by_rep[0] != by_rep[1]
    assert by_rep[0] == {run_seeds(20261123, 2)[0]}
    # and the setting is part of what a result folder is checked against on resume
    assert sweep.fingerprint() != load_sweep(write_sweep(tmp_path, TINY_MODEL_SWEEP, "other.toml")).fingerprint()


def test_summaries_leave_out_weeks_without_a_value():
    """A sector's metrics are empty (NaN) in weeks nobody works in it: the summaries are over
    the other weeks (final is the last week's, empty or not), NaN when no week has a value."""
    import pandas as pd

    from anomie.experiments.summaries import summarise

    df = pd.DataFrame({"a": [0.0, 0.0, np.nan, 1.0, 0.5, 0.0], "b": [np.nan] * 6}, index=range(6))
    out = summarise(df, ("a", "b"), ["peak", "time_of_peak", "mean", "final", "time_to_recover", "auc"], 1, 0.1)
    assert out["peak_a"] == 1.0 and out["time_of_peak_a"] == 3.0 and out["mean_a"] == pytest.approx(0.3)
    assert out["final_a"] == 0.0 and out["time_to_recover_a"] == 2.0
    assert out["auc_a"] == pytest.approx(np.trapezoid([0.0, 0.0, 1.0, 0.5, 0.0], [0, 1, 3, 4, 5]))
    assert all(np.isnan(out[f"{s}_b"]) for s in ("peak", "time_of_peak", "mean", "final", "time_to_recover", "auc"))

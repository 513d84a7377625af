"""`anomie analyze` on model sweeps: a grid's means and intervals, and Morris screening."""

from __future__ import annotations

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from anomie.cli import app
from anomie.experiments.spec import load_sweep
from anomie.experiments.sweep import run_sweep

from sweep_files import write_sweep

MORRIS = """
title = "tiny Morris screening"
scenario = "crash"
design = "morris"
samples = 4
levels = 4
steps = 20
master_seed = 5
metrics = ["open_cases", "share_anomie"]
summaries = ["peak", "mean"]
[fixed]
n_citizens = 100
"shocks.0.start" = 5
[parameters.social_workers_per_1000]   # 0 to 8 posts at 100 citizens
low = 0.0
high = 80.0
[parameters.crisis_duration]
low = 2
high = 12
"""


def test_grid_analysis_writes_mean_and_interval_per_parameter_value(tiny_sweep, tmp_path, pool2):
    sweep = load_sweep(tiny_sweep)
    out = tmp_path / "grid"
    run_sweep(sweep, out, pool=pool2)
    result = CliRunner().invoke(app, ["analyze", str(out), "--output", "metrics.peak_anomie"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "analysis" / "peak_share_anomie_grid.csv")
    runs = pd.read_parquet(out / "runs.parquet")
    assert list(table["parameter"].unique()) == ["social_workers_per_1000", "casework_effect"]
    for _, row in table.iterrows():
        y = runs.loc[np.isclose(runs[row["parameter"]], row["value"]), "peak_share_anomie"]
        assert row["n"] == len(y) == {"social_workers_per_1000": 4, "casework_effect": 6}[row["parameter"]]
        assert np.isclose(row["mean"], y.mean())
        assert row["ci_low"] <= row["mean"] <= row["ci_high"]
    assert (out / "analysis" / "peak_share_anomie_grid.png").read_bytes()[:4] == b"\x89PNG"


def test_morris_screening_of_a_model_sweep(tmp_path, pool2):
    sweep = load_sweep(write_sweep(tmp_path, MORRIS))
    out = tmp_path / "morris"
    report = run_sweep(sweep, out, pool=pool2)
    assert report.done == 4 * 3
    runs = pd.read_parquet(out / "runs.parquet")
    assert runs["crisis_duration"].dtype == np.int64  # whole-number parameters are rounded for the model
    # open_cases counts people: whole numbers, which SALib's Morris would refuse unless cast
    result = CliRunner().invoke(app, ["analyze", str(out), "--method", "morris", "--output", "mean_open_cases"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "analysis" / "mean_open_cases_morris.csv")
    assert list(table["parameter"]) == ["social_workers_per_1000", "crisis_duration"]
    assert (table["mu_star"] >= 0).all() and np.isfinite(table["sigma"]).all()
    # with no social workers there are no cases: staffing must matter for open cases
    assert table.loc[0, "mu_star"] > 0

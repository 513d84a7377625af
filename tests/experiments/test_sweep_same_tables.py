"""Same sweep, same master seed: identical tables with 1 worker, 2 workers and a Dask cluster."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from distributed import LocalCluster

from anomie.experiments import tables
from anomie.experiments.spec import load_sweep
from anomie.experiments.sweep import run_sweep

# Durations are wall-clock time: the one column that may differ between executors.
VOLATILE = ["duration_s"]


def load(out: Path, sweep) -> tuple[pd.DataFrame, pd.DataFrame]:
    runs = pd.read_parquet(out / "runs.parquet").drop(columns=VOLATILE)
    series = pd.read_parquet(out / "timeseries.parquet")
    return runs, series


def test_one_worker_two_workers_and_dask_give_identical_tables(tiny_sweep, tmp_path, pool1, pool2):
    sweep = load_sweep(tiny_sweep)
    r1 = run_sweep(sweep, tmp_path / "w1", pool=pool1)
    r2 = run_sweep(sweep, tmp_path / "w2", pool=pool2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        r3 = run_sweep(sweep, tmp_path / "dask", cluster=cluster.scheduler_address)
    assert (r1.done, r2.done, r3.done) == (12, 12, 12)
    runs1, series1 = load(tmp_path / "w1", sweep)
    for other in ("w2", "dask"):
        runs, series = load(tmp_path / other, sweep)
        pd.testing.assert_frame_equal(runs, runs1)
        pd.testing.assert_frame_equal(series, series1)
    # the tables hold one row per run and one per run and week, and the parameters vary
    assert list(runs1["run"]) == list(range(12))
    assert len(series1) == 12 * 26
    assert set(runs1["social_workers_per_1000"]) == {0.0, 20.0, 60.0}
    assert runs1["seed"].nunique() == 12
    assert (runs1["status"] == "ok").all()
    # the summaries agree with the time series they summarise
    peaks = series1.groupby("run")["share_anomie"].max().to_numpy()
    assert (runs1["peak_share_anomie"].to_numpy() == peaks).all()


def test_parts_are_readable_as_one_table_with_duckdb(tiny_sweep, tmp_path, pool2):
    import duckdb

    sweep = load_sweep(tiny_sweep)
    out = tmp_path / "out"
    run_sweep(sweep, out, pool=pool2)
    n = duckdb.sql(f"select count(*) from '{out}/parts/runs/*.parquet'").fetchall()[0][0]
    rows = duckdb.sql(f"select count(*) from '{out}/timeseries.parquet' where step = 25").fetchall()[0][0]
    assert (n, rows) == (12, 12)
    from_parts = pd.read_parquet(out / "parts" / "runs").sort_values("run", ignore_index=True)
    pd.testing.assert_frame_equal(from_parts, tables.read_runs(out, sweep), check_like=True)

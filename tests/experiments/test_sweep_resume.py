"""Resume: a sweep killed with SIGKILL, run again, ends with the tables of an uninterrupted sweep."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from anomie.experiments import tables
from anomie.experiments.spec import load_sweep
from anomie.experiments.sweep import run_sweep

from sweep_files import TINY_MODEL_SWEEP, write_sweep

ROOT = Path(__file__).resolve().parents[2]
# the command as a user runs it, from this checkout (the code hash is that of the code run)
ANOMIE = [sys.executable, "-m", "anomie.cli"]
# 48 tiny runs: long enough to be caught midway, short enough for the test suite
LONGER = TINY_MODEL_SWEEP.replace("replications = 2", "replications = 8")
N_RUNS = 48


def comparable(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    runs = pd.read_parquet(out / "runs.parquet").drop(columns=["duration_s"])
    return runs, pd.read_parquet(out / "timeseries.parquet")


@pytest.mark.slow
def test_sigkill_midway_then_resume_equals_uninterrupted(tmp_path, pool1, pool2):
    file = write_sweep(tmp_path, LONGER)
    sweep = load_sweep(file)
    assert sweep.n_runs == N_RUNS
    out = tmp_path / "killed"
    cmd = [*ANOMIE, "sweep", str(file), "--out", str(out), "--workers", "1", "--quiet"]
    # its own session, so that the kill reaches the pool's worker process too
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    parts = out / "parts" / "runs"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        if parts.is_dir() and len(list(parts.glob("run-*.parquet"))) >= 5:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the sweep finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    done_before = len(tables.finished_runs(out, sweep))
    assert 5 <= done_before < N_RUNS

    # resume on a pool of another size: the runs left over do not care who runs them
    resumed = run_sweep(sweep, out, pool=pool2)
    assert (resumed.skipped, resumed.done, resumed.failed) == (done_before, N_RUNS - done_before, 0)

    reference = tmp_path / "reference"
    run_sweep(sweep, reference, pool=pool1)
    runs, series = comparable(out)
    ref_runs, ref_series = comparable(reference)
    # no run lost, none duplicated, and the same numbers as a sweep never interrupted
    assert list(runs["run"]) == list(range(N_RUNS))
    assert not series.duplicated(["run", "step"]).any()
    assert len(series) == N_RUNS * (sweep.steps + 1)
    pd.testing.assert_frame_equal(runs, ref_runs)
    pd.testing.assert_frame_equal(series, ref_series)
    assert not list(out.rglob(".*.tmp")), "temporary files of the killed sweep were left behind"


@pytest.mark.slow
def test_failed_runs_are_recorded_and_retry_failed_reruns_them(tmp_path, pool2):
    # integration_low = 0.85 is above the default integration_high (0.8): those runs raise
    text = TINY_MODEL_SWEEP.replace("[parameters.casework_effect]\nvalues = [0.02, 0.2]",
                                    "[parameters.integration_low]\nvalues = [0.3, 0.85]")
    sweep = load_sweep(write_sweep(tmp_path, text))
    out = tmp_path / "out"
    report = run_sweep(sweep, out, pool=pool2)
    assert (report.done, report.failed) == (6, 6)
    runs = pd.read_parquet(out / "runs.parquet")
    failed = runs[runs["status"] == "failed"]
    assert set(failed["integration_low"]) == {0.85}
    assert failed["error"].str.contains("integration_low must be below integration_high").all()
    assert failed["peak_share_anomie"].isna().all()
    assert runs.loc[runs["status"] == "ok", "error"].isna().all()
    # failed runs have no time series
    assert set(pd.read_parquet(out / "timeseries.parquet")["run"]) == set(runs.loc[runs["status"] == "ok", "run"])

    # A plain rerun skips them; --retry-failed runs them again (and they fail again: the
    # parameters are invalid, not the luck of the draw).
    again = run_sweep(sweep, out, pool=pool2)
    assert (again.skipped, again.done, again.failed) == (12, 0, 0)
    retried = run_sweep(sweep, out, pool=pool2, retry_failed=True)
    assert (retried.skipped, retried.done, retried.failed) == (6, 0, 6)


def test_retry_failed_recovers_a_run_that_failed_by_accident(tiny_sweep, tmp_path, pool2):
    sweep = load_sweep(tiny_sweep)
    out = tmp_path / "out"
    run_sweep(sweep, out, pool=pool2)
    ref_runs, ref_series = comparable(out)
    # what a run lost to, say, a worker running out of memory leaves behind
    row = ref_runs.iloc[3]
    accident = {"row": {"run": 3, "point": int(row["point"]), "replication": int(row["replication"]), "seed": int(row["seed"]),
                        "status": "failed", "error": "MemoryError: out of memory", "duration_s": 0.1}, "series": None}
    tables.write_run(out, sweep, accident, {v.name: row[v.name] for v in sweep.varied})
    assert tables.finished_runs(out, sweep)[3] == "failed"
    retried = run_sweep(sweep, out, pool=pool2, retry_failed=True)
    assert (retried.done, retried.failed) == (1, 0)
    runs, series = comparable(out)
    pd.testing.assert_frame_equal(runs, ref_runs)
    pd.testing.assert_frame_equal(series, ref_series)

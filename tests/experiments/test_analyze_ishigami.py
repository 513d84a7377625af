"""End to end: sweep the Ishigami function with a Sobol design; `anomie analyze` recovers its known indices."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from anomie.cli import app
from anomie.experiments.spec import load_sweep
from anomie.experiments.sweep import run_sweep
from anomie.experiments.testfunctions import ishigami, ishigami_indices

from sweep_files import write_sweep

PI = repr(math.pi)
ISHIGAMI_SOBOL = f"""
title = "Ishigami, Sobol design"
target = "ishigami"
design = "sobol"
samples = 256
master_seed = 42
summaries = ["final"]
[parameters.x1]
low = -{PI}
high = {PI}
[parameters.x2]
low = -{PI}
high = {PI}
[parameters.x3]
low = -{PI}
high = {PI}
"""
# Sampling error of Saltelli/Jansen estimates with N = 256 base samples; the bootstrap
# half-widths SALib reports are of this size too (about 0.05 to 0.15).
TOLERANCE = 0.08


def test_analytic_indices_are_the_published_ones():
    ref = ishigami_indices()
    np.testing.assert_allclose(ref["S1"], [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(ref["ST"], [0.5576, 0.4424, 0.2437], atol=1e-4)
    assert ishigami(math.pi / 2, math.pi / 2, 0.0) == 1.0 + 7.0


@pytest.mark.slow
def test_sobol_sweep_of_ishigami_recovers_the_analytic_indices(tmp_path, pool2):
    sweep = load_sweep(write_sweep(tmp_path, ISHIGAMI_SOBOL))
    out = tmp_path / "ishigami"
    report = run_sweep(sweep, out, pool=pool2)
    assert (report.done, report.failed) == (256 * 5, 0)
    runs = pd.read_parquet(out / "runs.parquet")
    # every run's y is the function at its own inputs
    y = [ishigami(a, b, c) for a, b, c in runs[["x1", "x2", "x3"]].itertuples(index=False)]
    np.testing.assert_array_equal(runs["final_y"].to_numpy(), y)

    result = CliRunner().invoke(app, ["analyze", str(out), "--method", "sobol", "--output", "metrics.final_y"])
    assert result.exit_code == 0, result.output
    assert "S1" in result.output and "ST_conf" in result.output
    table = pd.read_csv(out / "analysis" / "final_y_sobol.csv")
    ref = ishigami_indices()
    assert list(table["parameter"]) == ["x1", "x2", "x3"]
    np.testing.assert_allclose(table["S1"], ref["S1"], atol=TOLERANCE)
    np.testing.assert_allclose(table["ST"], ref["ST"], atol=TOLERANCE)
    assert (table["S1_conf"] > 0).all() and (table["ST_conf"] > 0).all()
    png = (out / "analysis" / "final_y_sobol.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"

    # a method that does not fit the design is refused, as is an unknown output
    wrong = CliRunner().invoke(app, ["analyze", str(out), "--method", "morris", "--output", "final_y"])
    assert wrong.exit_code == 2 and "design = 'morris'" in wrong.output
    unknown = CliRunner().invoke(app, ["analyze", str(out), "--output", "peak_y"])
    assert unknown.exit_code == 2 and "final_y" in unknown.output


@pytest.mark.slow
def test_latin_hypercube_with_rbd_fast_recovers_first_order_indices(tmp_path, pool2):
    text = ISHIGAMI_SOBOL.replace('design = "sobol"\nsamples = 256', 'design = "lhs"\nsamples = 300')
    sweep = load_sweep(write_sweep(tmp_path, text))
    out = tmp_path / "lhs"
    assert run_sweep(sweep, out, pool=pool2).done == 300
    result = CliRunner().invoke(app, ["analyze", str(out), "--output", "final_y"])  # lhs defaults to rbd_fast
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "analysis" / "final_y_rbd_fast.csv").set_index("parameter")
    # first-order effects: x2 (0.44) > x1 (0.31) > x3 (0), each within the estimator's error
    assert table.loc["x2", "S1"] > table.loc["x1", "S1"] > table.loc["x3", "S1"]
    np.testing.assert_allclose(table["S1"], ishigami_indices()["S1"], atol=0.1)

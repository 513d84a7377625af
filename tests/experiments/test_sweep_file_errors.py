"""Invalid sweep files: a clear message naming the field, exit status 2, nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anomie.cli import app

from sweep_files import TINY_MODEL_SWEEP

runner = CliRunner()
GOOD = TINY_MODEL_SWEEP


def edit(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


CASES = {
    "unknown top-level key": (GOOD + "\ncolour = 'blue'\n", ["colour", "unknown key"]),
    "unknown key in a parameter": (edit("values = [0.0, 20.0, 60.0]", "values = [0.0, 20.0, 60.0]\nstep = 2"), ["parameters.social_workers_per_1000.step", "unknown key"]),
    "wrong type": (edit("replications = 2", 'replications = "2"'), ["replications", "whole number from 1 to 10000"]),
    "seed out of range": (edit("master_seed = 20261123", "master_seed = -1"), ["master_seed", "from 0 to"]),
    "missing seed": (edit("master_seed = 20261123", ""), ["master_seed", "Field required"]),
    "unknown design": (edit('design = "grid"', 'design = "factorial"'), ["design", "grid, lhs, sobol, morris"]),
    "unknown parameter": (edit("[parameters.casework_effect]", "[parameters.casework_efect]"), ["parameters.casework_efect", "unknown parameter", "anomie parameters"]),
    "value out of range": (edit("values = [0.0, 20.0, 60.0]", "values = [0.0, 20.0, 600.0]"), ["parameters.social_workers_per_1000.values[2]", "out of range", "from 0.0 to 100.0"]),
    "fraction for a whole number": (GOOD + "\n[parameters.newcomer_ties]\nvalues = [0, 2.5]\n", ["parameters.newcomer_ties.values[1]", "not a whole number"]),
    "repeated values": (edit("values = [0.0, 20.0, 60.0]", "values = [20.0, 20.0]"), ["parameters.social_workers_per_1000.values", "repeat"]),
    "empty values": (edit("values = [0.0, 20.0, 60.0]", "values = []"), ["parameters.social_workers_per_1000.values", "at least 1"]),
    "range without points in a grid": (edit("values = [0.0, 20.0, 60.0]", "low = 0.0\nhigh = 60.0"), ["parameters.social_workers_per_1000.points", "needs points"]),
    "low above high": (edit('design = "grid"', 'design = "lhs"\nsamples = 8').replace("values = [0.0, 20.0, 60.0]", "low = 60.0\nhigh = 20.0").replace("values = [0.02, 0.2]", "low = 0.0\nhigh = 0.2"), ["parameters.social_workers_per_1000", "must be below high"]),
    "sobol needs a power of 2": (edit('design = "grid"', 'design = "sobol"\nsamples = 100').replace("values = [0.0, 20.0, 60.0]", "low = 0.0\nhigh = 60.0").replace("values = [0.02, 0.2]", "low = 0.0\nhigh = 0.2"), ["samples", "power of 2"]),
    "value list in a sampled design": (edit('design = "grid"', 'design = "lhs"\nsamples = 8'), ["parameters.social_workers_per_1000", "samples a range"]),
    "choice not allowed": (GOOD + '\n[parameters.network]\nvalues = ["ring"]\n', ["parameters.network.values[0]", "watts_strogatz"]),
    "unknown metric": (edit('metrics = ["share_anomie", "mean_hazard", "open_cases"]', 'metrics = ["share_anomy"]'), ["metrics[0]", "unknown metric", "share_anomie"]),
    "unknown summary": (GOOD.replace('metrics = [', 'summaries = ["median"]\nmetrics = ['), ["summaries.0", "peak"]),
    "unknown scenario": (edit('scenario = "crash"', 'scenario = "collapse"'), ["scenario", "no such preset or file", "baseline"]),
    "shock that does not exist": (edit('"shocks.0.start" = 5', '"shocks.3.start" = 5'), ["fixed.shocks.3.start", "1 shock"]),
    "shock field that is not numeric": (edit('"shocks.0.start" = 5', '"shocks.0.kind" = 5'), ["fixed.shocks.0.kind", "no numeric field", "shocks.0.magnitude"]),
    "fixed and varied at once": (edit("n_citizens = 100", "n_citizens = 100\nsocial_workers_per_1000 = 30.0"), ["parameters.social_workers_per_1000", "also in [fixed]"]),
    "no parameters": (GOOD.split("[parameters.social_workers_per_1000]")[0], ["parameters", "Field required"]),
    # staffing became a rate (issue 11): the old name is refused, and the message names the new one
    "the old staffing name": (edit("[parameters.social_workers_per_1000]", "[parameters.n_social_workers]"),
                              ["parameters.n_social_workers", "unknown parameter", "renamed", "social_workers_per_1000"]),
    "the old staffing name in [fixed]": (edit("n_citizens = 100", "n_citizens = 100\nn_social_workers = 3"),
                                         ["n_social_workers", "renamed", "social_workers_per_1000"]),
    "not TOML": ("title = 'x\ndesign = grid", ["not valid TOML"]),
    "empty file": ("", ["file is empty"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_invalid_sweep_file_exits_2_naming_the_field_and_writes_nothing(name, tmp_path):
    text, expected = CASES[name]
    file = tmp_path / "bad.toml"
    file.write_text(text)
    out = tmp_path / "results"
    result = runner.invoke(app, ["sweep", str(file), "--out", str(out), "--workers", "1"])
    message = " ".join(result.output.split())
    assert result.exit_code == 2, message
    assert str(file) in message and "error:" in message
    for part in expected:
        assert part in message, f"{part!r} not in: {message}"
    assert "Traceback" not in message
    assert not out.exists()


def test_garbage_bytes(tmp_path):
    file = tmp_path / "bad.toml"
    file.write_bytes(b"\xff\xfe\x00\x81garbage")
    result = runner.invoke(app, ["sweep", str(file), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert "not UTF-8" in result.output and not (tmp_path / "r").exists()


def test_missing_file_and_conflicting_options(tmp_path):
    result = runner.invoke(app, ["sweep", str(tmp_path / "nope.toml"), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2 and "no such sweep file" in result.output
    (tmp_path / "s.toml").write_text(GOOD)
    result = runner.invoke(app, ["sweep", str(tmp_path / "s.toml"), "--workers", "2", "--cluster", "tcp://x:1", "--out", str(tmp_path / "r")])
    assert result.exit_code == 2 and "--cluster" in result.output and not (tmp_path / "r").exists()


def test_a_folder_holding_another_sweep_is_refused(tmp_path):
    from anomie.experiments.spec import load_sweep
    from anomie.experiments.sweep import prepare_output

    (tmp_path / "a.toml").write_text(GOOD)
    (tmp_path / "b.toml").write_text(edit("master_seed = 20261123", "master_seed = 7"))
    out = tmp_path / "r"
    prepare_output(out, load_sweep(tmp_path / "a.toml"))
    before = sorted(p.name for p in out.rglob("*"))
    result = runner.invoke(app, ["sweep", str(tmp_path / "b.toml"), "--out", str(out)])
    assert result.exit_code == 2
    assert "different sweep" in result.output and "master_seed" in result.output
    assert sorted(p.name for p in out.rglob("*")) == before


def test_the_installed_command_exits_2_without_a_traceback(tmp_path):
    file = tmp_path / "bad.toml"
    file.write_text(edit("replications = 2", "replications = 0"))
    anomie = str(Path(sys.executable).with_name("anomie"))
    proc = subprocess.run([anomie, "sweep", str(file), "--out", str(tmp_path / "r")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "replications" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "r").exists()


def test_a_folder_made_by_other_model_code_is_refused(tmp_path):
    import json

    from anomie.experiments.spec import load_sweep
    from anomie.experiments.sweep import prepare_output

    (tmp_path / "a.toml").write_text(GOOD)
    out = tmp_path / "r"
    prepare_output(out, load_sweep(tmp_path / "a.toml"))
    manifest = json.loads((out / "sweep.json").read_text())
    manifest["code"] = "0" * 16  # as if the model had been edited since the sweep started
    (out / "sweep.json").write_text(json.dumps(manifest))
    result = runner.invoke(app, ["sweep", str(tmp_path / "a.toml"), "--out", str(out)])
    assert result.exit_code == 2
    assert "other model code" in result.output and not list((out / "parts" / "runs").iterdir())

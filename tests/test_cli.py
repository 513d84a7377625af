"""The `anomie` command: scenarios, parameters, run (reproducible output with metadata), --set."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from anomie import cli as anomie_cli
from anomie.experiments.storage import read_parquet_metadata
from anomie.model.parameters import PARAMETERS
from anomie.scenarios.run import package_version, simulate
from anomie.scenarios.loading import preset_names

ANOMIE = str(Path(sys.executable).with_name("anomie"))


def cli(*args: str, width: int = 80):
    """In-process, with a terminal of the given width (the consoles read COLUMNS when first
    made, which may be before this test under pytest-xdist, so they are set directly)."""
    from anomie.experiments.console import console, out

    before = console.width, out.width
    console.width = out.width = width
    try:
        result = CliRunner().invoke(anomie_cli.app, list(args), env={"COLUMNS": str(width)})
    finally:
        console.width, out.width = before
    return result.exit_code, result.output


def anomie(*args: str, width: int = 80) -> subprocess.CompletedProcess:
    """The installed console script in a fresh process."""
    env = {**os.environ, "COLUMNS": str(width)}
    return subprocess.run([ANOMIE, *args], capture_output=True, text=True, timeout=120, env=env)


def test_scenarios_lists_every_preset_by_its_full_name():
    proc = anomie("scenarios")
    assert proc.returncode == 0, proc.stderr
    words = set(proc.stdout.replace("│", " ").split())
    for name in preset_names():
        assert name in words, f"{name} not listed in full (an 80-column terminal):\n{proc.stdout}"


def test_scenarios_lists_titles():
    from anomie.scenarios.loading import load_presets

    code, output = cli("scenarios", width=200)
    assert code == 0
    for sc in load_presets().values():
        assert sc.title in output


def test_parameters_lists_every_parameter():
    code, output = cli("parameters", width=250)
    assert code == 0
    for p in PARAMETERS:
        assert p.name in output, p.name


@pytest.mark.slow
def test_same_command_twice_gives_byte_identical_parquet(tmp_path):
    a, b = tmp_path / "a" / "x.parquet", tmp_path / "b" / "x.parquet"
    for path in (a, b):
        proc = anomie("run", "industrialisation", "--steps", "30", "--seed", "7", "--out", str(path), "--quiet")
        assert proc.returncode == 0, proc.stderr
    assert a.read_bytes() == b.read_bytes()
    df = pd.read_parquet(a)
    assert len(df) == 31


def test_parquet_holds_the_data_and_its_metadata(tmp_path):
    path = tmp_path / "run.parquet"
    code, output = cli("run", "crash", "--steps", "12", "--seed", "5", "--set", "n_citizens=80",
                       "--out", str(path), "--quiet")
    assert code == 0, output
    meta = read_parquet_metadata(path)
    assert meta["scenario"] == "crash" and meta["seed"] == 5 and meta["version"] == package_version()
    assert meta["steps"] == 12 and meta["parameters"]["n_citizens"] == 80
    raw = pq.read_schema(path).metadata[b"anomie"]
    assert json.loads(raw) == meta
    expected, _ = simulate("crash", seed=5, steps=12, overrides={"n_citizens": 80})
    pd.testing.assert_frame_equal(pd.read_parquet(path), expected, check_exact=True)


def test_csv_gets_a_sidecar_json_with_scenario_seed_and_version(tmp_path):
    path = tmp_path / "out" / "run.csv"
    code, output = cli("run", "boom", "--steps", "8", "--seed", "3", "--set", "n_citizens=60",
                       "--out", str(path), "--quiet")
    assert code == 0, output
    sidecar = path.with_suffix(".json")
    assert sorted(p.name for p in path.parent.iterdir()) == ["run.csv", "run.json"]
    meta = json.loads(sidecar.read_text())
    assert meta["scenario"] == "boom" and meta["seed"] == 3 and meta["version"] == package_version()
    df = pd.read_csv(path, index_col="step")
    expected, _ = simulate("boom", seed=3, steps=8, overrides={"n_citizens": 60})
    assert list(df.columns) == list(expected.columns) and len(df) == 9
    pd.testing.assert_frame_equal(df, expected, check_dtype=False, rtol=1e-9)


def test_csv_output_is_byte_identical_too(tmp_path):
    outs = []
    for k in range(2):
        path = tmp_path / f"r{k}.csv"
        code, output = cli("run", "migration", "--steps", "6", "--seed", "2", "--set", "n_citizens=50",
                           "--out", str(path), "--quiet")
        assert code == 0, output
        outs.append((path.read_bytes(), path.with_suffix(".json").read_bytes()))
    assert outs[0] == outs[1]


def test_run_prints_a_summary(tmp_path):
    code, output = cli("run", "baseline", "--steps", "5", "--set", "n_citizens=50", width=200)
    assert code == 0, output
    assert "Stable society" in output and "cohesion" in output and "share_anomie" in output


def test_set_overrides_a_parameter(tmp_path):
    path = tmp_path / "x.parquet"
    code, output = cli("run", "baseline", "--steps", "3", "--set", "n_citizens=70",
                       "--set", "social_workers_per_1000=0", "--set", "network=erdos_renyi", "--out", str(path), "--quiet")
    assert code == 0, output
    df = pd.read_parquet(path)
    assert (df["n_citizens"] == 70).all() and (df["open_cases"] == 0).all()
    params = read_parquet_metadata(path)["parameters"]
    assert params["social_workers_per_1000"] == 0 and params["network"] == "erdos_renyi"


@pytest.mark.parametrize(
    "assignment, must_contain",
    [
        ("no_such_parameter=1", ["no_such_parameter", "unknown"]),
        ("n_citizens=many", ["n_citizens", "whole number"]),
        ("confidence_bound=abc", ["confidence_bound", "number"]),
        ("n_citizens=5", ["n_citizens", "10"]),
        ("confidence_bound=1.5", ["confidence_bound", "1.0"]),
        ("network=lattice", ["network", "watts_strogatz"]),
        ("n_citizens", ["n_citizens", "name=value"]),
    ],
)
def test_bad_set_fails_with_status_2_and_writes_nothing(tmp_path, assignment, must_contain):
    out_dir = tmp_path / "out"
    code, output = cli("run", "baseline", "--steps", "3", "--set", assignment, "--out", str(out_dir / "x.parquet"))
    assert code == 2, output
    assert "Traceback" not in output
    assert sum(line.startswith("error:") for line in output.splitlines()) == 1, output
    for text in must_contain:
        assert text in output, output
    assert not out_dir.exists()


@pytest.mark.slow
def test_unknown_set_name_through_the_installed_command(tmp_path):
    out = tmp_path / "out" / "x.csv"
    proc = anomie("run", "baseline", "--steps", "3", "--set", "speed=1", "--out", str(out))
    assert proc.returncode == 2 and "speed" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.parent.exists()


def test_unknown_preset_fails_with_the_list_of_presets(tmp_path):
    code, output = cli("run", "utopia", "--quiet", "--out", str(tmp_path / "o" / "x.parquet"))
    assert code == 2 and "utopia" in output and "baseline" in output
    assert not (tmp_path / "o").exists()


def test_output_must_be_parquet_or_csv(tmp_path):
    code, output = cli("run", "baseline", "--steps", "2", "--quiet", "--out", str(tmp_path / "o" / "x.xlsx"))
    assert code == 2 and ".parquet" in output and ".csv" in output
    assert not (tmp_path / "o").exists()


def test_output_into_a_directory_is_refused(tmp_path):
    (tmp_path / "x.parquet").mkdir()
    code, output = cli("run", "baseline", "--steps", "2", "--quiet", "--out", str(tmp_path / "x.parquet"))
    assert code == 2 and "directory" in output


def test_run_accepts_a_scenario_file(tmp_path):
    scenario = tmp_path / "mine.toml"
    scenario.write_text('title = "Mine"\nsteps = 4\n[parameters]\nn_citizens = 40\n'
                        '[[shocks]]\nkind = "isolation"\nstart = 2\nmagnitude = 0.5\n')
    path = tmp_path / "mine.parquet"
    code, output = cli("run", str(scenario), "--seed", "1", "--out", str(path), "--quiet")
    assert code == 0, output
    df = pd.read_parquet(path)
    assert len(df) == 5 and (df["n_citizens"] == 40).all()
    meta = read_parquet_metadata(path)
    assert meta["scenario"] == "mine" and meta["title"] == "Mine"
    assert meta["shocks"][0]["kind"] == "isolation"


def test_output_under_a_file_is_refused(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    code, output = cli("run", "baseline", "--steps", "2", "--quiet", "--out", str(blocker / "x.parquet"))
    assert code == 2 and "Traceback" not in output and str(blocker) in output
    assert blocker.read_text() == "not a folder"


HEAVY = ("numba", "dask", "distributed", "solara", "anomie.model", "anomie.scenarios", "pandas")
IMPORTS_AFTER = """
import sys, runpy
sys.argv = ["anomie", *ARGS]
try:
    runpy.run_module("anomie.cli", run_name="__main__")
except SystemExit:
    pass
print("LOADED", " ".join(sorted(m for m in sys.modules if m.split(".")[0] in HEAVY or ".".join(m.split(".")[:2]) in HEAVY)))
"""


@pytest.mark.parametrize("args", [["--help"], ["scenarios"]])
def test_help_and_scenarios_import_neither_the_model_nor_numba_dask_or_solara(args):
    """`anomie --help` and `anomie scenarios` answer at once only if they leave the heavy packages alone."""
    code = IMPORTS_AFTER.replace("ARGS", repr(args)).replace("HEAVY", repr(HEAVY))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=Path(anomie_cli.__file__).parent.parent)
    loaded = proc.stdout.rsplit("LOADED", 1)[-1].split()
    assert loaded == [], f"anomie {' '.join(args)} imported {loaded[:10]}"


def test_scenarios_lists_the_same_as_the_validated_presets():
    from anomie.scenarios.loading import load_presets

    rows = anomie_cli.preset_rows()
    expected = [(n, sc.title, str(sc.steps), ", ".join(s.kind for s in sc.shocks) or "none") for n, sc in load_presets().items()]
    assert rows == expected


def test_lazy_commands_list_the_first_line_of_their_own_docstring():
    import importlib

    for name, (module, function, short) in anomie_cli.LAZY_COMMANDS.items():
        doc = getattr(importlib.import_module(module), function).__doc__
        assert doc.strip().splitlines()[0] == short, name
        code, text = cli(name, "--help")
        assert code == 0 and "Usage" in text


def test_no_command_module_imports_the_cli_back():
    """The commands that live with their packages take console, fail and out from experiments.console."""
    root = Path(anomie_cli.__file__).parent.parent
    for path in [root / "experiments" / "cli.py", root / "experiments" / "validation" / "cli.py"]:
        text = path.read_text()
        assert "from anomie.cli" not in text and "import anomie.cli" not in text, path

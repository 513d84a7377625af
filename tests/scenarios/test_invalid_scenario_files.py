"""Invalid scenario files through the real CLI: exit status 2, one clear message naming the
file, the field and what is allowed, no traceback, and nothing written."""

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anomie import cli as anomie_cli
ANOMIE = str(Path(sys.executable).with_name("anomie"))

HEADER = 'title = "A test"\n'

# name -> (file content, text the message must contain besides the file name)
CASES: dict[str, tuple[bytes | str, list[str]]] = {
    "wrong_type_string_for_int": (
        HEADER + '[parameters]\nn_citizens = "many"\n',
        ["parameters.n_citizens", "whole number", "10", "1000000"],
    ),
    "wrong_type_float_for_int": (
        HEADER + "[parameters]\nmean_degree = 4.5\n",
        ["parameters.mean_degree", "whole number", "2", "50"],
    ),
    "wrong_type_bool_for_number": (
        HEADER + "[parameters]\nconfidence_bound = true\n",
        ["parameters.confidence_bound", "0.0", "1.0"],
    ),
    "wrong_type_string_for_number": (
        HEADER + '[parameters]\nconvergence_rate = "0.2"\n',
        ["parameters.convergence_rate", "0.0", "0.5"],
    ),
    "retired_staffing_name": (  # staffing became a rate (issue 11): no alias, a pointer to the new name
        HEADER + "[parameters]\nn_social_workers = 2\n",
        ["parameters.n_social_workers", "unknown key", "renamed", "social_workers_per_1000", "per 1,000 citizens"],
    ),
    "wrong_choice": (
        HEADER + '[parameters]\nnetwork = "lattice"\n',
        ["parameters.network", "watts_strogatz", "barabasi_albert", "erdos_renyi"],
    ),
    "out_of_range_high": (
        HEADER + "[parameters]\nconfidence_bound = 1.5\n",
        ["parameters.confidence_bound", "0.0", "1.0"],
    ),
    "out_of_range_low": (
        HEADER + "[parameters]\nn_citizens = 3\n",
        ["parameters.n_citizens", "10", "1000000"],
    ),
    "out_of_range_steps": (
        HEADER + "steps = 0\n",
        ["steps", "1000000"],
    ),
    "out_of_range_shock_magnitude": (
        HEADER + '[[shocks]]\nkind = "crash"\nstart = 10\nmagnitude = 0.95\n',
        ["shocks.0.magnitude", "0.9"],
    ),
    "out_of_range_shock_start": (
        HEADER + '[[shocks]]\nkind = "boom"\nstart = 0\nmagnitude = 0.2\n',
        ["shocks.0.start", "1", "1000000"],
    ),
    "wrong_type_shock_start": (
        HEADER + '[[shocks]]\nkind = "boom"\nstart = "ten"\nmagnitude = 0.2\n',
        ["shocks.0.start", "1000000"],
    ),
    "second_shock_is_named": (
        HEADER + '[[shocks]]\nkind = "boom"\nstart = 5\nmagnitude = 0.2\n'
        '[[shocks]]\nkind = "isolation"\nstart = 5\nmagnitude = 1.5\n',
        ["shocks.1.magnitude", "0.0", "1.0"],
    ),
    "unknown_key_top_level": (
        HEADER + 'colour = "red"\n',
        ["colour", "unknown", "title", "shocks", "parameters"],
    ),
    "unknown_key_in_parameters": (
        HEADER + "[parameters]\nspeed_of_light = 3\n",
        ["parameters.speed_of_light", "unknown", "parameter"],
    ),
    "unknown_key_in_shock": (
        HEADER + '[[shocks]]\nkind = "crash"\nstart = 10\nmagnitude = 0.2\nspeed = 2\n',
        ["shocks.0.speed", "unknown", "start", "magnitude", "duration"],
    ),
    "unknown_shock_kind": (
        HEADER + '[[shocks]]\nkind = "earthquake"\nstart = 10\nmagnitude = 0.2\n',
        ["shocks.0", "earthquake", "industrialisation", "authoritarian_turn"],
    ),
    "shock_without_kind": (
        HEADER + "[[shocks]]\nstart = 10\nmagnitude = 0.2\n",
        ["shocks.0", "kind", "crash", "migration"],
    ),
    "parameters_not_a_table": (
        HEADER + "parameters = 3\n",
        ["parameters", "table"],
    ),
    "shocks_not_a_list": (
        HEADER + 'shocks = "crash"\n',
        ["shocks", "list"],
    ),
    "thresholds_out_of_order": (
        HEADER + "[parameters]\nintegration_low = 0.9\n",
        ["integration_low", "integration_high"],
    ),
    "missing_title": (
        'description = "no title"\n',
        ["title", "required"],
    ),
    "empty_file": (b"", ["empty"]),
    "whitespace_only": (b"  \n\n\t\n", ["empty"]),
    "not_toml_text": ("this is not a scenario, just words\n", ["TOML", "line 1"]),
    "broken_toml": (HEADER + "[parameters\nn_citizens = 50\n", ["TOML", "line 2"]),
    "garbage_binary": (bytes(range(256)) * 4, ["UTF-8"]),
    "png_bytes": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", ["UTF-8"]),
    "too_large": (HEADER + "# padding\n" * 100_001, ["larger than", "1000000"]),
    # tomllib recurses once per level of nesting: a small file can exhaust the stack
    "deeply_nested_arrays": (HEADER + "steps = " + "[" * 50_000 + "]" * 50_000 + "\n", ["deep"]),
    "deeply_nested_tables": (HEADER + "x = " + "{a = " * 3_000 + "1" + "}" * 3_000 + "\n", ["deep"]),
}


def write_case(tmp_path: Path, name: str) -> Path:
    content, _ = CASES[name]
    path = tmp_path / f"{name}.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def invoke(args: list[str]):
    """The CLI in-process, as the console script runs it."""
    result = CliRunner().invoke(anomie_cli.app, args)
    return result.exit_code, result.output, result.exception


def assert_clean_failure(code, output, path, out_dir, must_contain):
    assert code == 2, output
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, output
    assert str(path) in errors[0], f"the message must name the file: {output}"
    for text in must_contain:
        assert text in output, f"{text!r} missing from: {output}"
    assert not out_dir.exists(), "nothing may be written"


@pytest.mark.parametrize("name", sorted(CASES))
def test_invalid_scenario_file_fails_cleanly(tmp_path, name):
    path = write_case(tmp_path, name)
    out_dir = tmp_path / "results"
    code, output, exc = invoke(["run", str(path), "--steps", "3", "--quiet", "--out", str(out_dir / "x.parquet")])
    assert exc is None or isinstance(exc, SystemExit), repr(exc)
    assert_clean_failure(code, output, path, out_dir, CASES[name][1])


def test_a_directory_fails_cleanly(tmp_path):
    folder = tmp_path / "scenario.toml"
    folder.mkdir()
    out_dir = tmp_path / "results"
    code, output, _ = invoke(["run", str(folder), "--quiet", "--out", str(out_dir / "x.csv")])
    assert_clean_failure(code, output, folder, out_dir, ["not a file"])


def test_a_missing_path_fails_cleanly_and_lists_the_presets(tmp_path):
    path = tmp_path / "nowhere" / "scenario.toml"
    out_dir = tmp_path / "results"
    code, output, _ = invoke(["run", str(path), "--quiet", "--out", str(out_dir / "x.parquet")])
    assert_clean_failure(code, output, path, out_dir, ["no such", "baseline"])


def test_an_existing_output_file_is_left_untouched_on_bad_input(tmp_path):
    path = write_case(tmp_path, "out_of_range_high")
    target = tmp_path / "x.parquet"
    target.write_bytes(b"old results")
    code, output, _ = invoke(["run", str(path), "--quiet", "--out", str(target)])
    assert code == 2 and target.read_bytes() == b"old results"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out_of_range_high.toml", "x.parquet"]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["garbage_binary", "unknown_shock_kind"])
def test_invalid_file_through_the_installed_command(tmp_path, name):
    """The console script itself (the `main` wrapper, a fresh process): same clean failure."""
    path = write_case(tmp_path, name)
    out_dir = tmp_path / "results"
    proc = subprocess.run(
        [ANOMIE, "run", str(path), "--steps", "3", "--out", str(out_dir / "x.parquet")],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.stdout == ""
    assert_clean_failure(proc.returncode, proc.stderr, path, out_dir, CASES[name][1])


def test_missing_path_through_the_installed_command(tmp_path):
    path = tmp_path / "missing.toml"
    out_dir = tmp_path / "results"
    proc = subprocess.run([ANOMIE, "run", str(path), "--out", str(out_dir / "x.csv")],
                          capture_output=True, text=True, timeout=60)
    assert_clean_failure(proc.returncode, proc.stderr, path, out_dir, ["no such"])


def test_a_huge_sparse_file_is_refused_by_its_size_before_it_is_read(tmp_path, monkeypatch):
    """The Python API's loader checks the size first: a 4 GB sparse file is never read."""
    from pathlib import Path

    from anomie.scenarios.loading import load_scenario
    from anomie.scenarios.schema import InputError

    huge = tmp_path / "huge.toml"
    with open(huge, "wb") as f:
        f.truncate(4 * 2**30)

    def never(self):
        raise AssertionError("the file was read before its size was checked")

    monkeypatch.setattr(Path, "read_bytes", never)
    with pytest.raises(InputError, match="larger than"):
        load_scenario(huge)

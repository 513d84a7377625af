"""Hostile inputs to `anomie run`, `anomie sweep`, `anomie analyze` and `anomie validate`.

Every mutated file or path must be refused with exit status 2, a one-line `error:` that
names the problem, no traceback, and no file written. Mutations start from a valid file
and are always invalid by construction (a mutation that happened to be valid would run
the model, which is not what is tested here). Scenario and sweep files are data: a test
also shows that code-like text in them is never executed.

The commands run in-process through typer's CliRunner (fast); a few cases also go
through the installed `anomie` console script, the way a user meets them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from anomie.cli import app
from anomie.model.parameters import PARAMETERS
from anomie.scenarios.loading import PRESET_DIR
from anomie.scenarios.shocks import SHOCK_KINDS

ROOT = Path(__file__).resolve().parents[2]
ANOMIE = Path(sys.executable).with_name("anomie")
NUMERIC = [p for p in PARAMETERS if p.choices is None]
INT_PARAMS = [p for p in NUMERIC if p.kind is int]
KNOWN_TOP = {"title", "description", "steps", "parameters", "shocks", "name"}

VALID_SWEEP = {
    "title": "fuzz base",
    "target": "ishigami",
    "design": "lhs",
    "samples": 4,
    "master_seed": 7,
    "parameters": {"x1": {"low": -3.0, "high": 3.0}, "x2": {"low": -3.0, "high": 3.0}},
}


# -- a small TOML writer: the standard library reads TOML but does not write it --------------
def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # printable text: a valid TOML basic string
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def toml_text(data: dict) -> str:
    return "\n".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in data.items()) + "\n"


def base_scenario() -> dict:
    data = tomllib.loads((PRESET_DIR / "crash.toml").read_text())
    data.setdefault("parameters", {})
    return data


# -- what a refusal looks like ------------------------------------------------------------------
def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


def invoke(args: list[str]):
    return CliRunner().invoke(app, args, catch_exceptions=True)


def assert_refused(result, before: set[Path], folder: Path, what: str) -> None:
    detail = f"{what}\nexit {result.exit_code}\noutput: {result.output}\nexception: {result.exception!r}"
    assert result.exit_code == 2, detail
    assert isinstance(result.exception, SystemExit), detail  # not an uncaught error
    assert "Traceback" not in result.output, detail
    assert result.output.startswith("error: "), detail
    assert len(result.output.strip()) > len("error: ") + 5, detail  # says what is wrong
    assert files_under(folder) == before, f"{detail}\nfiles written: {files_under(folder) - before}"


# -- strategies: always-invalid mutations -------------------------------------------------------
identifiers = st.from_regex(r"[a-z][a-z_]{0,15}", fullmatch=True)
printable = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=20)
wrong_types = st.one_of(
    printable, st.lists(st.integers(), max_size=3), st.dictionaries(identifiers, st.integers(), max_size=2),
    st.just(dt.datetime(2020, 1, 1, 12, 0)), st.just(dt.date(1999, 12, 31)), st.booleans(),
)


def out_of_range(p) -> st.SearchStrategy:
    """Numbers outside the parameter's range, including the extremes TOML can spell."""
    span = max(1.0, float(p.high - p.low))
    huge = st.sampled_from([1e308, -1e308, math.inf, -math.inf, 10**30, -(10**30), 2**63, -(2**63)])
    if p.kind is int:
        near = st.one_of(st.integers(max_value=int(p.low) - 1, min_value=int(p.low) - 10**6),
                         st.integers(min_value=int(p.high) + 1, max_value=int(p.high) + 10**6))
        return st.one_of(near, huge.filter(lambda x: not isinstance(x, float) or True))
    near = st.one_of(st.floats(max_value=p.low - 1e-6 * span, min_value=p.low - 1e6, allow_nan=False),
                     st.floats(min_value=p.high + 1e-6 * span, max_value=p.high + 1e6, allow_nan=False))
    return st.one_of(near, huge, st.just(math.nan))


@st.composite
def mutated_scenarios(draw) -> tuple[str, bytes]:
    data = base_scenario()
    kind = draw(st.sampled_from([
        "param_type", "param_range", "int_as_float", "unknown_top", "unknown_param", "unknown_shock_field",
        "shock_kind", "shock_start", "shock_magnitude", "shock_missing", "steps", "title", "structure",
        "too_many_shocks", "deep", "empty", "binary", "syntax", "huge_file",
    ]))
    if kind == "param_type":
        p = draw(st.sampled_from(PARAMETERS))
        value = draw(wrong_types.filter(lambda v: not (p.choices and v in p.choices)))
        data["parameters"][p.name] = value
    elif kind == "param_range":
        p = draw(st.sampled_from(NUMERIC))
        data["parameters"][p.name] = draw(out_of_range(p))
    elif kind == "int_as_float":  # strict: 100.0 is not a whole number of citizens
        p = draw(st.sampled_from(INT_PARAMS))
        data["parameters"][p.name] = float(p.default) + 0.5 * draw(st.integers(0, 1))
    elif kind == "unknown_top":
        data[draw(identifiers.filter(lambda k: k not in KNOWN_TOP))] = draw(st.integers())
    elif kind == "unknown_param":
        names = {p.name for p in PARAMETERS}
        data["parameters"][draw(identifiers.filter(lambda k: k not in names))] = 1
    elif kind == "unknown_shock_field":
        field = draw(identifiers.filter(lambda k: k not in SHOCK_KINDS["crash"].model_fields))
        data["shocks"][0][field] = 1
    elif kind == "shock_kind":
        data["shocks"][0]["kind"] = draw(printable.filter(lambda k: k not in SHOCK_KINDS))
    elif kind == "shock_start":
        data["shocks"][0]["start"] = draw(st.one_of(st.integers(max_value=0), st.integers(min_value=10**6 + 1)))
    elif kind == "shock_magnitude":
        data["shocks"][0]["magnitude"] = draw(st.one_of(st.floats(max_value=-1e-9), st.floats(min_value=0.9001),
                                                        st.just(math.nan), wrong_types))
    elif kind == "shock_missing":
        del data["shocks"][0][draw(st.sampled_from(["kind", "start", "magnitude"]))]
    elif kind == "steps":
        data["steps"] = draw(st.one_of(st.integers(max_value=0), st.integers(min_value=1_000_001), wrong_types))
    elif kind == "title":
        data["title"] = draw(st.one_of(st.just(""), st.text(min_size=201, max_size=300,
                                                             alphabet=st.characters(min_codepoint=97, max_codepoint=122)),
                                       st.integers(), st.lists(st.integers(), max_size=2)))
    elif kind == "structure":
        key = draw(st.sampled_from(["parameters", "shocks"]))
        data[key] = draw(st.one_of(st.integers(), printable, st.booleans()))
    elif kind == "too_many_shocks":
        data["shocks"] = data["shocks"] * 101
    elif kind == "deep":
        depth = draw(st.sampled_from([50, 500, 2000, 20000]))
        where = draw(st.sampled_from(["array", "table"]))
        nested = "[" * depth + "]" * depth if where == "array" else "{a = " * depth + "1" + "}" * depth
        return kind, (toml_text(data) + f"deep = {nested}\n").encode()
    elif kind == "empty":
        return kind, draw(st.sampled_from([b"", b"   \n\t\n", b"\n" * 100]))
    elif kind == "binary":
        junk = draw(st.binary(min_size=1, max_size=200))
        return kind, junk + b"\xff\xfe\x00" + junk
    elif kind == "syntax":
        bad = draw(st.sampled_from(["[", "title = ", "= 1", "[[shocks]\nkind = 'crash'", 'title = "unclosed',
                                    "steps = 1 2", "[parameters]\n[parameters]"]))
        return kind, (toml_text(data) + bad + "\n").encode()
    elif kind == "huge_file":
        return kind, (toml_text(data) + "# " + "x" * 1_100_000 + "\n").encode()
    return kind, toml_text(data).encode()


# -- anomie run -----------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(case=mutated_scenarios())
def test_run_refuses_mutated_scenario_files(case, tmp_path_factory):
    kind, payload = case
    folder = tmp_path_factory.mktemp("run")
    scenario = folder / "scenario.toml"
    scenario.write_bytes(payload)
    before = files_under(folder)
    result = invoke(["run", str(scenario), "--steps", "1", "--quiet", "--out", str(folder / "out" / "table.csv")])
    assert_refused(result, before, folder, f"mutation {kind}: {payload[:300]!r}")


BAD_SETS = [
    "n_citizens=abc", "n_citizens=", "n_citizens=1e999", "n_citizens=5", "n_citizens=10.5", "nonexistent=1",
    "confidence_bound=nan", "confidence_bound=inf", "confidence_bound=-0.1", "network=lattice", "noequals",
    "integration_low=0.9", "groupwork_share=0.99",
]


@pytest.mark.parametrize("assignment", BAD_SETS)
def test_run_refuses_bad_overrides(assignment, tmp_path):
    before = files_under(tmp_path)
    result = invoke(["run", "baseline", "--steps", "1", "--quiet", "--set", assignment, "--out", str(tmp_path / "t.csv")])
    assert_refused(result, before, tmp_path, f"--set {assignment}")


def bad_paths(tmp: Path) -> dict[str, str]:
    """Scenario paths that cannot be read as a scenario file."""
    (tmp / "a_folder").mkdir()
    (tmp / "regular").write_text("x")
    return {
        "missing": str(tmp / "nope.toml"),
        "folder": str(tmp / "a_folder"),
        "under a file": str(tmp / "regular" / "scenario.toml"),
        "device": "/dev/null",
        "proc": "/proc/self/mem",
    }


def test_run_refuses_unreadable_scenario_paths(tmp_path):
    for what, path in bad_paths(tmp_path).items():
        before = files_under(tmp_path)
        result = invoke(["run", path, "--steps", "1", "--quiet", "--out", str(tmp_path / "o.csv")])
        assert_refused(result, before, tmp_path, f"scenario path {what}: {path}")


@pytest.mark.parametrize("target", [
    "under_a_file",  # a path below a regular file: no folder can be made there
    "proc",  # /proc accepts no new files, even for root (chmod would not stop root)
    "wrong_suffix",
    "folder",
])
def test_run_refuses_unwritable_outputs(target, tmp_path):
    (tmp_path / "regular").write_text("x")
    (tmp_path / "dir.csv").mkdir()
    out = {
        "under_a_file": tmp_path / "regular" / "t.csv",
        "proc": Path("/proc/anomie-test.csv"),
        "wrong_suffix": tmp_path / "t.json",
        "folder": tmp_path / "dir.csv",
    }[target]
    before = files_under(tmp_path)
    result = invoke(["run", "baseline", "--steps", "1", "--quiet", "--out", str(out)])
    assert_refused(result, before, tmp_path, f"--out {out}")


def test_scenario_text_is_never_executed(tmp_path):
    """Code-like text in every string field is carried as text; nothing runs it."""
    marker = tmp_path / "executed"
    payload = f"__import__('os').system('touch {marker}')"
    data = base_scenario()
    data["title"] = payload[:200]
    data["description"] = "{{" + payload + "}} $(touch " + str(marker) + ") `touch " + str(marker) + "`"
    scenario = tmp_path / "scenario.toml"
    scenario.write_text(toml_text(data))
    result = invoke(["run", str(scenario), "--steps", "2", "--quiet"])
    assert result.exit_code == 0, result.output
    # the same text where a number belongs is a type error, not code
    data["parameters"]["n_citizens"] = payload
    scenario.write_text(toml_text(data))
    assert invoke(["run", str(scenario), "--steps", "1", "--quiet"]).exit_code == 2
    assert not marker.exists()


# -- anomie sweep ---------------------------------------------------------------------------------
@st.composite
def mutated_sweeps(draw) -> tuple[str, bytes]:
    data = json.loads(json.dumps(VALID_SWEEP))
    kind = draw(st.sampled_from([
        "top_type", "unknown_top", "design", "samples", "seed", "param_unknown", "param_range", "param_type",
        "param_unknown_key", "no_parameters", "scenario_for_test_function", "sobol_not_power", "deep", "empty",
        "binary", "syntax",
    ]))
    if kind == "top_type":
        key = draw(st.sampled_from(["title", "design", "samples", "master_seed", "replications", "parameters"]))
        data[key] = draw(wrong_types.filter(lambda v: not isinstance(v, str) or key not in ("title",)))
        if key == "design" and data[key] in ("grid", "lhs", "sobol", "morris"):
            data[key] = "latin"
    elif kind == "unknown_top":
        data[draw(identifiers.filter(lambda k: k not in VALID_SWEEP and k not in (
            "question", "description", "scenario", "levels", "second_order", "replications", "steps", "metrics",
            "summaries", "recovery", "fixed")))] = 1
    elif kind == "design":
        data["design"] = draw(printable.filter(lambda d: d not in ("grid", "lhs", "sobol", "morris")))
    elif kind == "samples":
        data["samples"] = draw(st.one_of(st.integers(max_value=0), st.integers(min_value=1_000_001)))
    elif kind == "seed":
        data["master_seed"] = draw(st.one_of(st.integers(max_value=-1), st.integers(min_value=2**63)))
    elif kind == "param_unknown":
        data["parameters"][draw(identifiers.filter(lambda k: k not in ("x1", "x2", "x3")))] = {"low": 0, "high": 1}
    elif kind == "param_range":
        data["parameters"]["x1"] = draw(st.sampled_from([{"low": 1.0, "high": -1.0}, {"low": 0.0, "high": 0.0},
                                                         {"low": -1e308, "high": 0.0}, {"low": math.nan, "high": 1.0},
                                                         {"low": 0.0}, {}]))
    elif kind == "param_type":
        data["parameters"]["x1"] = draw(wrong_types.filter(lambda v: not isinstance(v, dict)))
    elif kind == "param_unknown_key":
        data["parameters"]["x1"][draw(identifiers.filter(lambda k: k not in ("values", "low", "high", "points")))] = 1
    elif kind == "no_parameters":
        data["parameters"] = {}
    elif kind == "scenario_for_test_function":
        data["scenario"] = "crash"
    elif kind == "sobol_not_power":
        data["design"] = "sobol"
        data["samples"] = draw(st.sampled_from([3, 5, 6, 7, 12, 100]))
    elif kind == "deep":
        depth = draw(st.sampled_from([50, 2000, 20000]))
        return kind, (toml_text(data) + "deep = " + "[" * depth + "]" * depth + "\n").encode()
    elif kind == "empty":
        return kind, b""
    elif kind == "binary":
        return kind, draw(st.binary(min_size=1, max_size=100)) + b"\xff\x00\xfe"
    elif kind == "syntax":
        return kind, (toml_text(data) + "[parameters\n").encode()
    return kind, toml_text(data).encode()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(case=mutated_sweeps())
def test_sweep_refuses_mutated_sweep_files(case, tmp_path_factory):
    kind, payload = case
    folder = tmp_path_factory.mktemp("sweep")
    sweep = folder / "sweep.toml"
    sweep.write_bytes(payload)
    before = files_under(folder)
    result = invoke(["sweep", str(sweep), "--out", str(folder / "results"), "--workers", "1", "--quiet"])
    assert_refused(result, before, folder, f"mutation {kind}: {payload[:300]!r}")


def test_sweep_refuses_unreadable_files_and_unwritable_outputs(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(toml_text(VALID_SWEEP))
    for what, path in bad_paths(tmp_path).items():
        before = files_under(tmp_path)
        result = invoke(["sweep", path, "--out", str(tmp_path / "res"), "--workers", "1", "--quiet"])
        assert_refused(result, before, tmp_path, f"sweep file {what}: {path}")
    for out in (tmp_path / "regular" / "res", Path("/proc/anomie-sweep-test"), tmp_path / "regular"):
        before = files_under(tmp_path)
        result = invoke(["sweep", str(good), "--out", str(out), "--workers", "1", "--quiet"])
        assert_refused(result, before, tmp_path, f"--out {out}")


# -- anomie analyze -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def finished_sweep(tmp_path_factory) -> Path:
    """A real, finished result folder (the Ishigami test function: no model runs, a second or two)."""
    folder = tmp_path_factory.mktemp("finished")
    sweep = folder / "ishigami.toml"
    sweep.write_text(toml_text(VALID_SWEEP))
    result = invoke(["sweep", str(sweep), "--out", str(folder / "res"), "--workers", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    return folder / "res"


BROKEN_FOLDERS = ["missing", "a_file", "empty", "no_manifest", "garbage_manifest", "manifest_not_object",
                  "garbage_sweep_file", "binary_sweep_file", "garbage_runs_part", "truncated_runs_table"]


@pytest.mark.parametrize("damage", BROKEN_FOLDERS)
def test_analyze_refuses_broken_result_folders(damage, finished_sweep, tmp_path):
    import shutil

    folder = tmp_path / "res"
    if damage == "missing":
        pass
    elif damage == "a_file":
        folder.write_text("not a folder")
    elif damage == "empty":
        folder.mkdir()
    else:
        shutil.copytree(finished_sweep, folder)
        if damage == "no_manifest":
            (folder / "sweep.json").unlink()
        elif damage == "garbage_manifest":
            (folder / "sweep.json").write_text("{not json")
        elif damage == "manifest_not_object":
            (folder / "sweep.json").write_text("[1, 2, 3]")
        elif damage == "garbage_sweep_file":
            (folder / "sweep.toml").write_text("title = [[[\n")
        elif damage == "binary_sweep_file":
            (folder / "sweep.toml").write_bytes(b"\xff\xfe\x00\x01")
        elif damage == "garbage_runs_part":
            part = sorted((folder / "parts" / "runs").iterdir())[0]
            part.write_bytes(b"PAR1 this is not parquet")
            (folder / "runs.parquet").unlink()
        elif damage == "truncated_runs_table":
            data = (folder / "runs.parquet").read_bytes()
            (folder / "runs.parquet").write_bytes(data[: len(data) // 2])
            import shutil as sh

            sh.rmtree(folder / "parts")
    before = files_under(tmp_path)
    result = invoke(["analyze", str(folder)])
    assert_refused(result, before, tmp_path, f"analyze on a folder with damage: {damage}")


def test_analyze_refuses_bad_options(finished_sweep, tmp_path):
    for args in (["--method", "nonsense"], ["--output", "no_such_column"], ["--plot", str(tmp_path / "x.txt")],
                 ["--method", "sobol"]):
        before = files_under(tmp_path)
        result = invoke(["analyze", str(finished_sweep), *args])
        assert_refused(result, before, tmp_path, f"analyze {args}")


# -- anomie validate ------------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ["--out", "/proc/VALIDATION.md"], ["--out", "{tmp}/regular/VALIDATION.md"], ["--out", "{tmp}/report.txt"],
    ["--figures", "{tmp}/regular"], ["--work", "/proc/work"], ["--only", "everything"], ["--samples", "6"],
])
def test_validate_refuses_bad_options(args, tmp_path):
    (tmp_path / "regular").write_text("x")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "VALIDATION.md")]
    before = files_under(tmp_path)
    result = invoke(["validate", *args])
    assert_refused(result, before, tmp_path, f"validate {args}")


# -- through the installed console script ------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("case", ["binary", "deep"])
def test_console_script_exits_2_without_traceback(case, tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_bytes(b"\x00\xff\xfe" * 10 if case == "binary" else b'title = "x"\nd = ' + b"[" * 5000 + b"]" * 5000)
    proc = subprocess.run([str(ANOMIE), "run", str(scenario), "--steps", "1", "--quiet"], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env={**os.environ, "COLUMNS": "200"})
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("error: "), proc.stderr
    assert proc.stdout == ""

"""The outside probe's attacks on `anomie run` and `anomie analyze` (issue 15, faults 8-11).

Each test is one attack: silent overwrites, paths that fail only after the simulation,
inputs too large to fit, markup and escapes in titles, tracebacks where a message belongs.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from anomie.cli import app
SMALL = ["--steps", "3", "--set", "n_citizens=60", "--quiet"]


ISHIGAMI_RANGES = "".join(f"[parameters.x{i}]\nlow = -3.0\nhigh = 3.0\n" for i in (1, 2, 3))


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=True)


def one_line_error(result, code: int) -> None:
    detail = f"exit {result.exit_code}\noutput: {result.output}\nexception: {result.exception!r}"
    assert result.exit_code == code, detail
    assert isinstance(result.exception, SystemExit), detail
    assert "Traceback" not in result.output, detail
    assert result.output.startswith("error: "), detail


@pytest.fixture
def no_simulation(monkeypatch):
    """Fail the test if the model runs: a refusal must come before the work."""
    import anomie.scenarios.run
    from anomie import scenarios

    def refuse(*a, **k):
        raise AssertionError("the simulation ran before the output path was checked")

    monkeypatch.setattr(scenarios.run, "simulate", refuse)


# -- fault 8: silent overwrites ----------------------------------------------------------------
def test_existing_out_is_refused_without_force_and_replaced_with_it(tmp_path):
    target = tmp_path / "old.parquet"
    target.write_bytes(b"precious")
    result = invoke("run", "baseline", *SMALL, "--out", str(target))
    one_line_error(result, 2)
    assert target.read_bytes() == b"precious"
    result = invoke("run", "baseline", *SMALL, "--out", str(target), "--force")
    assert result.exit_code == 0, result.output
    assert len(pd.read_parquet(target)) == 4


def test_csv_out_never_replaces_an_unrelated_json_beside_it(tmp_path, no_simulation):
    (tmp_path / "data.json").write_text('{"mine": true}')
    one_line_error(invoke("run", "baseline", *SMALL, "--out", str(tmp_path / "data.csv")), 2)
    assert (tmp_path / "data.json").read_text() == '{"mine": true}'
    assert not (tmp_path / "data.csv").exists()


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_a_symlink_or_fifo_at_out_is_refused(kind, tmp_path, no_simulation):
    target = tmp_path / "t.csv"
    if kind == "symlink":
        (tmp_path / "elsewhere.csv").write_text("x")
        target.symlink_to(tmp_path / "elsewhere.csv")
    else:
        os.mkfifo(target)
    for force in ([], ["--force"]):  # not even with --force: the user named a link or a pipe, not a file
        one_line_error(invoke("run", "baseline", *SMALL, "--out", str(target), *force), 2)
    assert target.is_symlink() if kind == "symlink" else not target.is_file()


def test_analyze_plot_never_replaces_a_csv_beside_it(tmp_path):
    from anomie.experiments.sweep import sweep_file

    sweep = tmp_path / "s.toml"
    sweep.write_text('title = "t"\ntarget = "ishigami"\ndesign = "lhs"\nsamples = 8\nmaster_seed = 1\n'
                     + ISHIGAMI_RANGES)
    from concurrent.futures import ThreadPoolExecutor

    from anomie.experiments.executors import Pool

    with ThreadPoolExecutor(1) as ex:
        sweep_file(sweep, tmp_path / "out", pool=Pool(ex, 1, "test thread"))
    (tmp_path / "results.csv").write_text("my results")
    one_line_error(invoke("analyze", str(tmp_path / "out"), "--plot", str(tmp_path / "results.png")), 2)
    assert (tmp_path / "results.csv").read_text() == "my results"
    assert not (tmp_path / "results.png").exists()


# -- fault 11: paths that failed only after the whole simulation ------------------------------
def test_a_long_valid_name_is_written(tmp_path):
    """248 characters plus .csv is a valid name; the temporary name must not overflow the limit."""
    target = tmp_path / ("n" * 248 + ".csv")
    result = invoke("run", "baseline", *SMALL, "--out", str(target))
    assert result.exit_code == 0, result.output
    assert target.is_file() and target.with_suffix(".json").is_file()


def test_a_name_too_long_is_refused_before_the_run(tmp_path, no_simulation):
    one_line_error(invoke("run", "baseline", *SMALL, "--out", str(tmp_path / ("n" * 260 + ".csv"))), 2)


def test_a_dangling_symlink_parent_is_refused_before_the_run(tmp_path, no_simulation):
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    one_line_error(invoke("run", "baseline", *SMALL, "--out", str(tmp_path / "gone" / "t.csv")), 2)
    assert not (tmp_path / "nowhere").exists()


def test_non_utf8_bytes_in_out_are_refused_before_the_run(tmp_path, no_simulation):
    name = os.fsdecode(b"bad\xff.csv")
    one_line_error(invoke("run", "baseline", *SMALL, "--out", str(tmp_path / name)), 2)
    assert not list(tmp_path.iterdir())


def test_disk_full_is_one_line_and_leaves_no_orphan_sidecar(tmp_path, monkeypatch):
    def full(*a, **k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    result = invoke("run", "baseline", *SMALL, "--out", str(tmp_path / "t.csv"))
    one_line_error(result, 1)
    assert "No space left" in result.output
    assert not list(tmp_path.iterdir()), list(tmp_path.iterdir())


@pytest.mark.parametrize("error, code", [(MemoryError, 1), (KeyboardInterrupt, 130)])
def test_out_of_memory_and_ctrl_c_are_one_line(error, code, monkeypatch):
    import anomie.scenarios.run
    from anomie import scenarios
    def boom(*a, **k):
        raise error()

    monkeypatch.setattr(scenarios.run, "simulate", boom)
    one_line_error(invoke("run", "baseline", *SMALL), code)


def test_a_huge_sparse_sweep_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    big = tmp_path / "big.toml"
    with open(big, "wb") as fh:
        fh.truncate(4 * 1024**3)  # sparse: no disk used
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read {self} whole"))
    one_line_error(invoke("sweep", str(big), "--out", str(tmp_path / "r")), 2)


def test_a_huge_sparse_scenario_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    big = tmp_path / "big.toml"
    with open(big, "wb") as fh:
        fh.truncate(4 * 1024**3)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read {self} whole"))
    one_line_error(invoke("run", str(big), "--quiet"), 2)


def test_writing_never_changes_the_process_umask(tmp_path, monkeypatch):
    """os.umask is process-wide: setting it to read it races every other thread's file creation."""
    from anomie.experiments.storage import write_table

    calls = []
    monkeypatch.setattr(os, "umask", lambda *a: calls.append(a) or 0o022)
    write_table(pd.DataFrame({"x": [1.0]}), tmp_path / "t.csv", {"v": 1})
    write_table(pd.DataFrame({"x": [1.0]}), tmp_path / "t.parquet", {"v": 1})
    assert calls == []


# -- fault 9: inputs that cannot fit ----------------------------------------------------------
def test_a_hundred_migration_shocks_at_a_million_citizens_are_refused_up_front(tmp_path, no_simulation):
    from anomie.model.parameters import PARAMETER_BY_NAME
    from anomie.scenarios.shocks import SHOCK_KINDS

    kind = next(k for k, cls in SHOCK_KINDS.items() if hasattr(cls, "arrivals_until"))
    top = PARAMETER_BY_NAME["n_citizens"].high
    shocks = "".join(f'[[shocks]]\nkind = "{kind}"\nstart = {1 + i}\nmagnitude = 2.0\n' for i in range(100))
    (tmp_path / "s.toml").write_text(f'title = "crowd"\nsteps = 200\n[parameters]\nn_citizens = {top}\n{shocks}')
    result = invoke("run", str(tmp_path / "s.toml"), "--quiet")
    one_line_error(result, 2)
    assert "citizens" in result.output


def test_a_ten_million_run_grid_is_refused_at_once(tmp_path):
    import time

    sweep = tmp_path / "g.toml"
    sweep.write_text('title = "huge"\ntarget = "ishigami"\ndesign = "grid"\nmaster_seed = 1\n'
                     + "".join(f"[parameters.x{i}]\nlow = -3.0\nhigh = 3.0\npoints = {p}\n" for i, p in ((1, 1000), (2, 1000), (3, 10))))
    t0 = time.perf_counter()
    one_line_error(invoke("sweep", str(sweep), "--out", str(tmp_path / "r")), 2)
    assert time.perf_counter() - t0 < 30
    assert not (tmp_path / "r").exists()


def test_thousands_of_workers_are_refused(tmp_path):
    sweep = tmp_path / "s.toml"
    sweep.write_text('title = "t"\ntarget = "ishigami"\ndesign = "lhs"\nsamples = 4\nmaster_seed = 1\n'
                     + ISHIGAMI_RANGES)
    result = invoke("sweep", str(sweep), "--out", str(tmp_path / "r"), "--workers", "4096")
    one_line_error(result, 2)
    assert "--workers" in result.output
    assert not (tmp_path / "r").exists()


# -- fault 10: markup and escapes in titles ---------------------------------------------------
@pytest.mark.parametrize("title", ["[/]", "[bold red]x[/]", "bell \\u0007 and \\u001b[31mred"])
def test_titles_are_shown_as_written_not_as_markup_or_escapes(title, tmp_path):
    (tmp_path / "s.toml").write_text(f'title = "{title}"\nsteps = 3\n[parameters]\nn_citizens = 60\n')
    result = CliRunner().invoke(app, ["run", str(tmp_path / "s.toml"), "--out", str(tmp_path / "t.csv")])
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert title.split("\\")[0].strip() in result.output


@pytest.mark.slow
def test_sweep_titles_are_shown_as_written(tmp_path):
    sweep = tmp_path / "s.toml"
    sweep.write_text('title = "[/] \\u001b[2J"\ntarget = "ishigami"\ndesign = "lhs"\nsamples = 4\nmaster_seed = 1\n'
                     + ISHIGAMI_RANGES)
    result = CliRunner().invoke(app, ["sweep", str(sweep), "--out", str(tmp_path / "r"), "--workers", "1"])
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    assert "\x1b" not in result.output
    assert (tmp_path / "r" / "runs.parquet").is_file()


@pytest.mark.parametrize("case", ["dangling parent", "dangling folder", "non-UTF-8", "fifo"])
def test_sweep_outputs_that_cannot_be_written_are_refused_before_any_run(case, tmp_path):
    sweep = tmp_path / "s.toml"
    sweep.write_text('title = "t"\ntarget = "ishigami"\ndesign = "lhs"\nsamples = 4\nmaster_seed = 1\n' + ISHIGAMI_RANGES)
    if case == "dangling parent":
        (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
        out = tmp_path / "gone" / "r"
    elif case == "dangling folder":
        out = tmp_path / "r"
        out.symlink_to(tmp_path / "nowhere")
    elif case == "fifo":
        out = tmp_path / "r"
        os.mkfifo(out)
    else:
        out = tmp_path / os.fsdecode(b"r\xff")
    before = sorted(tmp_path.iterdir())
    one_line_error(invoke("sweep", str(sweep), "--out", str(out), "--workers", "1"), 2)
    assert sorted(tmp_path.iterdir()) == before


def test_the_budgets_read_parameters_that_exist():
    """The estimates read the population and the ties by name: a renamed parameter must fail here, not silently."""
    from anomie.experiments.budgets import DEGREE, POPULATION
    from anomie.model.parameters import PARAMETER_BY_NAME

    assert POPULATION in PARAMETER_BY_NAME and DEGREE in PARAMETER_BY_NAME

"""The outside probe's attacks on sweeps and the Dask path (issue 15, faults 3-6 and 11).

Stale code on a long-lived Dask worker, a resume across a changed design, two sweeps into
one folder, damaged or deleted parts, lost workers and a cluster without workers. Model
sweeps are tiny; most use the Ishigami test function on threads, which is instant.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from anomie.cli import app
from anomie.experiments import tables
from anomie.experiments.executors import Pool
from anomie.experiments.spec import load_sweep
from anomie.experiments.sweep import run_sweep

ROOT = Path(__file__).resolve().parents[2]
ISHIGAMI = ('title = "ishigami"\ntarget = "ishigami"\ndesign = "lhs"\nsamples = 12\nmaster_seed = 3\n'
            + "".join(f"[parameters.x{i}]\nlow = -3.0\nhigh = 3.0\n" for i in (1, 2, 3)))
MODEL = """
title = "tiny"
scenario = "crash"
design = "grid"
replications = 8
steps = 20
master_seed = 11
metrics = ["share_anomie"]
[fixed]
n_citizens = 80
[parameters.social_workers_per_1000]   # 0 to 8 posts at 80 citizens
values = [0.0, 12.5, 25.0, 50.0, 75.0, 100.0]
"""


@pytest.fixture
def threads():
    with ThreadPoolExecutor(2) as ex:
        yield Pool(ex, 2, "test threads")


def sweep_of(tmp_path: Path, text: str = ISHIGAMI):
    path = tmp_path / "s.toml"
    path.write_text(text)
    return load_sweep(path)


def tables_of(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_parquet(out / "runs.parquet").drop(columns=["duration_s"]), pd.read_parquet(out / "timeseries.parquet")


# -- fault 5: two sweeps into one folder ------------------------------------------------------
@pytest.mark.slow
def test_a_second_sweep_into_a_busy_folder_is_refused_and_the_first_finishes(tmp_path):
    file = tmp_path / "m.toml"
    file.write_text(MODEL)
    out = tmp_path / "r"
    first = subprocess.Popen([sys.executable, "-m", "anomie.cli", "sweep", str(file), "--out", str(out), "--workers", "1", "--quiet"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and first.poll() is None and len(list((out / "parts" / "runs").glob("run-*"))) < 2:
            time.sleep(0.05)
        assert first.poll() is None, "the first sweep finished before the second could start"
        second = CliRunner().invoke(app, ["sweep", str(file), "--out", str(out), "--workers", "1", "--quiet"])
        assert second.exit_code == 2, second.output
        assert "another sweep" in second.output and "Traceback" not in second.output
    finally:
        _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    runs = pd.read_parquet(out / "runs.parquet")
    assert list(runs["run"]) == list(range(48)) and (runs["status"] == "ok").all()


def test_only_temporaries_of_this_or_ended_processes_are_removed(tmp_path, threads):
    from anomie.experiments.storage import temp_name

    sweep = sweep_of(tmp_path)
    out = tmp_path / "r"
    run_sweep(sweep, out, pool=threads)
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    try:
        part = tables.runs_dir(out) / tables.part_name(3)
        busy = part.parent / temp_name(part, alive.pid)
        stale = part.parent / temp_name(part, ended.pid)
        busy.write_bytes(b"being written")
        stale.write_bytes(b"left by a dead sweep")
        tables.remove_leftovers(out)
        assert busy.exists(), "another live process's temporary file was deleted"
        assert not stale.exists()
    finally:
        alive.kill()
        alive.wait()


# -- fault 6: damaged or deleted parts --------------------------------------------------------
@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_a_damaged_time_series_part_is_redone_on_resume(damage, tmp_path, threads):
    sweep = sweep_of(tmp_path)
    out = tmp_path / "r"
    run_sweep(sweep, out, pool=threads)
    ref_runs, ref_series = tables_of(out)
    part = tables.series_dir(out) / tables.part_name(5)
    if damage == "truncate":
        part.write_bytes(part.read_bytes()[:40])
    else:
        part.unlink()
    again = run_sweep(sweep, out, pool=threads)
    assert (again.skipped, again.done, again.failed) == (sweep.n_runs - 1, 1, 0)
    runs, series = tables_of(out)
    pd.testing.assert_frame_equal(runs, ref_runs)
    pd.testing.assert_frame_equal(series, ref_series)


def test_analyze_names_a_damaged_runs_part(tmp_path, threads):
    out = tmp_path / "r"
    run_sweep(sweep_of(tmp_path), out, pool=threads)
    part = tables.runs_dir(out) / tables.part_name(2)
    part.write_bytes(part.read_bytes()[:50])
    result = CliRunner().invoke(app, ["analyze", str(out)])
    assert result.exit_code == 2, f"{result.output}\n{result.exception!r}"
    assert part.name in result.output and "Traceback" not in result.output


# -- faults 3 and 4: provenance ---------------------------------------------------------------
def test_resume_refuses_a_changed_design_stream(tmp_path, threads, monkeypatch):
    import anomie.experiments.designs as designs
    sweep = sweep_of(tmp_path)
    out = tmp_path / "r"
    run_sweep(sweep, out, pool=threads)
    for part in sorted(tables.runs_dir(out).glob("run-*"))[6:]:
        part.unlink()  # half the runs still to do
    monkeypatch.setattr(designs, "DESIGN_STREAM", designs.DESIGN_STREAM + 1)  # an edit of the design stream
    from anomie.scenarios.schema import InputError

    with pytest.raises(InputError, match="another design"):
        run_sweep(sweep, out, pool=threads)
    assert len(list(tables.runs_dir(out).glob("run-*"))) == 6


def test_the_code_hash_covers_every_result_changing_file_and_the_libraries(tmp_path):
    import shutil

    from anomie.experiments.provenance import LIBRARIES, code_hash, libraries, result_files

    names = {n for n, _ in result_files(ROOT)}
    for f in ("experiments/designs.py", "experiments/tables.py", "experiments/sweep.py", "experiments/runner.py",
              "experiments/summaries.py", "experiments/spec.py", "model/model.py"):
        assert f in names, f
    assert set(LIBRARIES) >= {"numpy", "numba", "mesa", "SALib", "pandas", "pyarrow"}
    assert set(libraries()) >= set(LIBRARIES)
    copy = tmp_path / "copy"
    for pkg in ("model", "agents", "scenarios", "experiments"):
        shutil.copytree(ROOT / pkg, copy / pkg, ignore=shutil.ignore_patterns("__pycache__", "data"))
    before = code_hash(copy)
    (copy / "experiments" / "designs.py").write_text((copy / "experiments" / "designs.py").read_text() + "\n# edit\n")
    assert code_hash(copy) != before


class OtherCodeExecutor(ThreadPoolExecutor):
    """A worker that runs other code: its results carry another code hash."""

    def submit(self, fn, *args, **kwargs):
        def run():
            result = fn(*args, **kwargs)
            return {**result, "code": "0123456789abcdef"}

        return super().submit(run)


def test_a_result_from_other_code_is_refused(tmp_path):
    from anomie.experiments.executors import CodeMismatch

    out = tmp_path / "r"
    with OtherCodeExecutor(1) as ex, pytest.raises(CodeMismatch, match="other code"):
        run_sweep(sweep_of(tmp_path), out, pool=Pool(ex, 1, "stale worker"))
    assert not list(tables.runs_dir(out).glob("run-*"))


def _doctor_summaries() -> str:
    """On a worker: make its already-imported summaries module return wrong numbers (a stale submodule)."""
    import anomie.experiments.summaries as s
    real = s.summarise
    s.summarise = lambda *a, **k: {key: value + 1000.0 for key, value in real(*a, **k).items()}
    import experiments.runner  # noqa: F401 - imported as a long-lived worker would have it

    return s.__file__


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_long_lived_dask_worker_runs_the_code_shipped_to_it(tmp_path, threads):
    from distributed import Client, LocalCluster

    sweep = sweep_of(tmp_path)
    run_sweep(sweep, tmp_path / "local", pool=threads)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster.scheduler_address) as client:
            client.run(_doctor_summaries)
        run_sweep(sweep, tmp_path / "dask", cluster=cluster.scheduler_address)
    for mine, theirs in zip(tables_of(tmp_path / "dask"), tables_of(tmp_path / "local")):
        pd.testing.assert_frame_equal(mine, theirs)


# -- fault 11: lost workers and clusters without workers --------------------------------------
@pytest.mark.timeout(120)
def test_a_cluster_without_workers_times_out_with_a_message(tmp_path, monkeypatch):
    from distributed import LocalCluster

    import anomie.experiments.executors as executors
    monkeypatch.setattr(executors, "WORKER_WAIT_S", 2.0)
    (tmp_path / "s.toml").write_text(ISHIGAMI)
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        result = CliRunner().invoke(app, ["sweep", str(tmp_path / "s.toml"), "--out", str(tmp_path / "r"),
                                          "--cluster", cluster.scheduler_address, "--quiet"])
    assert result.exit_code == 1, f"{result.output}\n{result.exception!r}"
    assert "no workers" in result.output and "Traceback" not in result.output


def _lost(exc: BaseException):
    class Lost(ThreadPoolExecutor):
        def submit(self, fn, *args, **kwargs):
            f: Future = Future()
            f.set_exception(exc)
            return f

    @contextlib.contextmanager
    def pool(workers=None, cluster=None):
        with Lost(1) as ex:
            yield Pool(ex, 1, "a cluster that loses its work")

    return pool


@pytest.mark.parametrize("error", ["KilledWorker", "CancelledError"])
def test_lost_work_is_one_line_and_exit_1(error, tmp_path, monkeypatch):
    import concurrent.futures

    import distributed

    import anomie.experiments.sweep as sweep_module
    exc = distributed.KilledWorker("task", "worker", 3) if error == "KilledWorker" else concurrent.futures.CancelledError()
    monkeypatch.setattr(sweep_module, "open_pool", _lost(exc))
    (tmp_path / "s.toml").write_text(ISHIGAMI)
    result = CliRunner().invoke(app, ["sweep", str(tmp_path / "s.toml"), "--out", str(tmp_path / "r"), "--quiet",
                                      "--workers", "1"])
    assert result.exit_code == 1, f"{result.output}\n{result.exception!r}"
    assert result.output.startswith("error: ") and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) <= 2


def _where_provenance_comes_from() -> str:
    import sys

    import experiments.provenance  # noqa: F401 - imported as a task would

    return sys.modules["anomie.experiments.provenance"].__file__


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_worker_that_joins_later_also_runs_the_shipped_code():
    from distributed import Client, LocalCluster

    from anomie.experiments.executors import ARCHIVE_PREFIX, dask_pool

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with dask_pool(cluster.scheduler_address):
            cluster.scale(2)
            with Client(cluster.scheduler_address) as client:
                client.wait_for_workers(2, timeout=120)
                where = client.run(_where_provenance_comes_from)
    assert len(where) == 2
    assert all(ARCHIVE_PREFIX in path for path in where.values()), where

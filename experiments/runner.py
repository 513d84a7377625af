"""One sweep run, as executed on a worker: plain data in, plain data out.

Tasks and results are dicts of built-in types and numpy arrays, so they travel to a
process pool or a Dask worker without the worker reading any file: the base scenario
travels inside the task. A run that raises comes back as a failed result with its error;
it never stops the sweep.
"""

from __future__ import annotations

import time
import traceback
from typing import Any

import numpy as np


def execute(task: dict[str, Any]) -> dict[str, Any]:
    """Run one task; return {'row': runs-table fields, 'series': {column: array} or None}."""
    started = time.perf_counter()
    row = {k: task[k] for k in ("run", "point", "replication", "seed")}
    try:
        df = simulate_task(task)
        from .summaries import summarise

        summaries = summarise(df, tuple(task["metrics"]), task["summaries"], task["baseline_until"], task["tolerance"])
        series = {"step": df.index.to_numpy(dtype=np.int64)}
        series.update({m: df[m].to_numpy(dtype=np.float64) for m in task["metrics"]})
        row.update(status="ok", error=None, **summaries)
    except Exception as exc:  # noqa: BLE001 - any failure of a run is recorded, not raised
        series = None
        last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
        where = f" (at {last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno})" if last else ""
        row.update(status="failed", error=f"{type(exc).__name__}: {exc}{where}")
    row["duration_s"] = time.perf_counter() - started
    from .provenance import code_version

    # the code this worker actually ran: the sweep refuses a result from other code
    return {"row": row, "series": series, "code": code_version()}


def simulate_task(task: dict[str, Any]):
    """The run's per-week table for its target."""
    if task["target"] == "ishigami":
        from .testfunctions import run_ishigami

        return run_ishigami(task["values"])
    from anomie.scenarios.run import simulate
    from anomie.scenarios.schema import Scenario

    from .spec import apply_values

    scenario = apply_values(Scenario.model_validate(task["scenario"]), task["values"])
    df, _ = simulate(scenario, seed=task["seed"], steps=task["steps"])
    return df


def warm_up(seconds: float = 0.0) -> int:
    """Import the model and load its compiled kernels in a worker (and optionally hold it busy), so timing excludes start-up."""
    import os

    from anomie.scenarios.run import load_kernels

    load_kernels()

    if seconds:
        time.sleep(seconds)
    return os.getpid()

"""Sweep throughput: runs per second with 1 and with 2 local workers, for runs of about one second.

Run as `python -m bench.sweep_throughput` (or through `make bench`). The sweep is a real
one, through `experiments.sweep.run_sweep` with its per-run Parquet writes: the baseline
scenario at the default population, each run long enough to take about a second. The
worker pools are started and warmed up (every worker has imported the model) before the
clock starts, so the rate is that of a long sweep, not of process start-up.

Two workers should give at least 1.8 times the runs per second of one. The load average
and the CPU the sweep actually got are reported alongside: on a machine other jobs are
using, two workers cannot find two free cores, and the ratio then says more about the
neighbours than about the sweep. `utilisation` is CPU seconds used (workers and the main
process) per wall-clock second per worker: near 1 when every worker had a core to itself.
`cpu_per_run_s` is the workers' CPU per run; equal values for 1 and 2 workers mean the
pool adds no work per run, so the speedup on free cores is bounded only by the main
process's share (`main_cpu_share`).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

SWEEP = """
title = "throughput benchmark"
scenario = "baseline"
design = "grid"
replications = {replications}
steps = {steps}
master_seed = 1
metrics = ["share_anomie", "cohesion"]
[parameters.social_workers_per_1000]   # 4 and 8 posts at the default 1,000 citizens
values = [4.0, 8.0]
"""
TARGET_SPEEDUP = 1.8


def _sweep(runs: int, steps: int):
    from anomie.experiments.spec import parse_sweep, resolve

    raw = SWEEP.format(replications=max(runs // 2, 1), steps=steps).encode()
    return resolve(parse_sweep(raw, "<bench>"), "<bench>", raw=raw)


def _cpu_seconds(pids) -> float:
    """User + system CPU of live processes, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / tick


def _rate(workers: int, sweep, folder: Path) -> dict:
    import pandas as pd

    from anomie.experiments.executors import local_pool
    from anomie.experiments.runner import warm_up
    from anomie.experiments.sweep import run_sweep

    with local_pool(workers) as pool:
        # hold every worker busy at once, so that all of them start and import the model now
        pids = {f.result() for f in [pool.executor.submit(warm_up, 1.0) for _ in range(workers)]}
        assert len(pids) == workers
        cpu0, main0 = _cpu_seconds(pids), time.process_time()
        t0 = time.perf_counter()
        report = run_sweep(sweep, folder, pool=pool)
        wall = time.perf_counter() - t0
        worker_cpu, main_cpu = _cpu_seconds(pids) - cpu0, time.process_time() - main0
    runs = pd.read_parquet(folder / "runs.parquet")
    assert (runs["status"] == "ok").all(), runs["error"].dropna().tolist()[:1]
    return {
        "workers": workers,
        "runs": report.done,
        "seconds": round(wall, 3),
        "runs_per_s": round(report.done / wall, 4),
        "mean_run_s": round(float(runs["duration_s"].mean()), 3),
        "cpu_per_run_s": round(worker_cpu / report.done, 3),
        "main_cpu_share": round(main_cpu / (worker_cpu + main_cpu), 4),
        "utilisation": round((worker_cpu + main_cpu) / (wall * workers), 3),
    }


def run(runs: int = 12, steps: int = 180) -> dict:
    """Runs per second with 1 and 2 workers on the same sweep; see the module docstring."""
    sweep = _sweep(runs, steps)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        one = _rate(1, sweep, Path(tmp) / "w1")
        two = _rate(2, sweep, Path(tmp) / "w2")
    speedup = two["runs_per_s"] / one["runs_per_s"]
    return {
        "name": "sweep_throughput",
        "runs": sweep.n_runs,
        "steps_per_run": steps,
        "one_worker": one,
        "two_workers": two,
        "speedup": round(speedup, 3),
        "target_speedup": TARGET_SPEEDUP,
        "meets_target": speedup >= TARGET_SPEEDUP,
        "cores": len(os.sched_getaffinity(0)),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        # other jobs held the cores: the speedup is not the sweep's to answer for
        "machine_busy": load_before > 0.5 * len(os.sched_getaffinity(0)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=12, help="runs per measurement (even)")
    ap.add_argument("--steps", type=int, default=180, help="weeks per run (180 at 1,000 citizens is about 1 s)")
    args = ap.parse_args()
    print(json.dumps(run(args.runs, args.steps), indent=2))


if __name__ == "__main__":
    main()

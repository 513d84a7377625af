"""Sensitivity analysis of a finished sweep, with SALib, and plots of a metric against each parameter.

- sobol: first-order (S1) and total (ST) Sobol indices with 95% bootstrap intervals;
  needs design = "sobol".
- morris: mu* (mean absolute elementary effect) and sigma, with a 95% interval on mu*;
  needs design = "morris".
- rbd_fast: first-order indices S1 (random balance designs FAST, Tarantola et al. 2006)
  with 95% intervals, from any sample, so for Latin hypercubes.
- grid: for each varied parameter, the mean and 95% interval of the output at each of its
  values (averaged over the other parameters and the replications).

For sobol, morris and rbd_fast, the replications of a design point are averaged first, so the
indices describe the expected output; seed noise then only widens the intervals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from anomie.scenarios.schema import InputError

from .designs import design_seed, make_design, salib_problem
from .spec import Sweep
from .summaries import SUMMARIES
from .sweep import load_result_sweep
from .outputs import check_new_file
from .tables import DamagedPart, read_runs

METHODS = ("sobol", "morris", "rbd_fast", "grid")
DEFAULT_METHOD = {"sobol": "sobol", "morris": "morris", "lhs": "rbd_fast", "grid": "grid"}
FITS = {"sobol": ("sobol",), "morris": ("morris",), "rbd_fast": ("lhs", "sobol"), "grid": ("grid",)}


@dataclass
class Result:
    method: str
    output: str
    table: pd.DataFrame
    plot: Path
    csv: Path
    notes: list[str] = field(default_factory=list)
    title: str = ""


def resolve_output(columns: list[str], output: str | None, sweep: Sweep) -> str:
    """A runs-table column from `peak_share_anomie`, `metrics.peak_share_anomie` or `metrics.peak_anomie`."""
    summary_cols = [c for c in columns if any(c.startswith(s + "_") for s in SUMMARIES)]
    if output is None:
        return summary_cols[0]
    name = output.removeprefix("metrics.")
    if name in summary_cols:
        return name
    # short form: the Durkheim state shares may drop their `share_` prefix (peak_anomie)
    for s in sorted(SUMMARIES, key=len, reverse=True):
        if name.startswith(s + "_"):
            candidate = f"{s}_share_{name[len(s) + 1:]}"
            if candidate in summary_cols:
                return candidate
    raise InputError(f"--output {output}: not in this sweep (allowed: " + ", ".join(summary_cols) + ")", None, "--output")


def analyze_folder(folder: Path, method: str | None = None, output: str | None = None, plot: Path | None = None,
                   force: bool = False) -> Result:
    if not folder.is_dir():
        raise InputError("no such result folder", str(folder))
    sweep = load_result_sweep(folder)
    design_name = sweep.file.design
    method = method or DEFAULT_METHOD[design_name]
    if method not in METHODS:
        raise InputError(f"--method {method}: unknown (allowed: {', '.join(METHODS)})")
    if design_name not in FITS[method]:
        raise InputError(
            f"--method {method} needs a sweep with design = {' or '.join(repr(d) for d in FITS[method])}; "
            f"this one is {design_name!r} (try --method {DEFAULT_METHOD[design_name]})"
        )
    if plot is not None:
        # a chart the user names is a new file: its table (.csv) beside it is one too
        check_new_file(plot, (".png",), "--plot", force, (plot.with_suffix(".csv"),))
    try:
        runs = read_runs(folder, sweep)
    except DamagedPart as exc:
        raise InputError(f"{exc}; run the sweep again to redo that run", str(folder)) from None
    column = resolve_output(list(runs.columns), output, sweep)
    target = plot or folder / "analysis" / f"{column}_{method}.png"
    notes: list[str] = []
    missing = sweep.n_runs - len(runs)
    n_failed = int((runs["status"] != "ok").sum())
    if method == "grid":
        if missing:
            notes.append(f"{missing} of {sweep.n_runs} runs are not done yet; the table uses the finished ones")
        if n_failed:
            notes.append(f"{n_failed} failed run(s) left out (see the runs table's error column)")
        table = grid_table(runs[runs["status"] == "ok"], sweep, column)
        target.parent.mkdir(parents=True, exist_ok=True)
        plot_grid(table, column, sweep, target)
    else:
        if missing:
            raise InputError(f"{missing} of {sweep.n_runs} runs are not done; finish the sweep (run it again) first", str(folder))
        if n_failed:
            raise InputError(f"{n_failed} run(s) failed (see the runs table's error column); rerun the sweep with --retry-failed",
                             str(folder))
        y = point_means(runs, column)
        if np.isnan(y).any():
            raise InputError(
                f"{int(np.isnan(y).sum())} design point(s) have no value of {column} "
                "(e.g. time_to_recover when a run never recovers); choose another --output", str(folder), "--output"
            )
        table = salib_table(method, sweep, y)
        target.parent.mkdir(parents=True, exist_ok=True)
        plot_indices(table, method, column, target)
    csv = target.with_suffix(".csv")
    target.parent.mkdir(parents=True, exist_ok=True)
    from .storage import atomic_write_text

    atomic_write_text(csv, table.to_csv(index=False, float_format="%.6g"))
    return Result(method, column, table, target, csv, notes, sweep.file.title)


def point_means(runs: pd.DataFrame, column: str) -> np.ndarray:
    """The output averaged over replications, one value per design point, in design order."""
    return runs.groupby("point")[column].mean().sort_index().to_numpy(dtype=np.float64)


def salib_table(method: str, sweep: Sweep, y: np.ndarray) -> pd.DataFrame:
    from SALib.analyze import morris, rbd_fast, sobol

    problem = salib_problem(sweep)
    seed = design_seed(sweep.file.master_seed)
    names = list(sweep.names)
    if method == "sobol":
        r = sobol.analyze(problem, y, calc_second_order=sweep.file.second_order, seed=seed)
        return pd.DataFrame({"parameter": names, "S1": r["S1"], "S1_conf": r["S1_conf"], "ST": r["ST"], "ST_conf": r["ST_conf"]})
    x = make_design(sweep).raw
    if method == "morris":
        # SALib rejects integer outputs; y is float64 already, cast again to be explicit
        r = morris.analyze(problem, x, y.astype(np.float64), num_levels=sweep.file.levels, seed=seed)
        return pd.DataFrame({"parameter": names, "mu_star": r["mu_star"], "mu_star_conf": r["mu_star_conf"],
                             "mu": r["mu"], "sigma": r["sigma"]})
    r = rbd_fast.analyze(problem, x, y, seed=seed)
    return pd.DataFrame({"parameter": names, "S1": r["S1"], "S1_conf": r["S1_conf"]})


def grid_table(runs: pd.DataFrame, sweep: Sweep, column: str) -> pd.DataFrame:
    """Mean and 95% t-interval of the output at each value of each varied parameter."""
    from scipy import stats

    rows = []
    for v in sweep.varied:
        for value, g in runs.groupby(v.name, sort=True):
            y = g[column].dropna().to_numpy(dtype=np.float64)
            n = len(y)
            empty = len(g) - n  # e.g. runs that never recover within their weeks
            mean = float(y.mean()) if n else float("nan")
            half = float(stats.t.ppf(0.975, n - 1) * y.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan")
            rows.append({"parameter": v.name, "value": value, "n": n, "empty": empty, "mean": mean,
                         "ci_low": mean - half, "ci_high": mean + half})
    return pd.DataFrame(rows)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_indices(table: pd.DataFrame, method: str, column: str, path: Path) -> None:
    plt = _pyplot()
    bars = {"sobol": (("S1", "first order"), ("ST", "total")), "morris": (("mu_star", "mu*"), ("sigma", "sigma")),
            "rbd_fast": (("S1", "first order"),)}[method]
    n = len(table)
    fig, ax = plt.subplots(figsize=(max(5.0, 1.2 * n + 2), 4))
    width = 0.38
    x = np.arange(n)
    for k, (col, label) in enumerate(bars):
        err = table.get(f"{col}_conf")
        offset = (k - 0.5) * width if len(bars) > 1 else 0.0
        ax.bar(x + offset, table[col], width, yerr=None if err is None else err, capsize=3, label=label)
    ax.set_xticks(x, table["parameter"], rotation=30, ha="right")
    ax.set_ylabel({"sobol": "Sobol index", "morris": "elementary effect", "rbd_fast": "first-order index"}[method])
    ax.set_title(f"{method} sensitivity of {column} (bars: 95% intervals)")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.legend()
    fig.tight_layout()
    _save(fig, path)


def plot_grid(table: pd.DataFrame, column: str, sweep: Sweep, path: Path) -> None:
    plt = _pyplot()
    names = list(sweep.names)
    fig, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names), 3.6), squeeze=False)
    for ax, name in zip(axes[0], names):
        t = table[table["parameter"] == name]
        xs = t["value"].astype(str) if t["value"].map(lambda v: isinstance(v, str)).any() else t["value"].astype(float)
        ax.errorbar(xs, t["mean"], yerr=[t["mean"] - t["ci_low"], t["ci_high"] - t["mean"]], marker="o", capsize=3)
        ax.set_xlabel(name)
        ax.set_ylabel(column)
        ax.grid(alpha=0.3)
    fig.suptitle(f"{column}: mean and 95% interval over runs")
    fig.tight_layout()
    _save(fig, path)


def _save(fig, path: Path) -> None:
    from .storage import atomic_write

    plt = _pyplot()
    atomic_write(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110))
    plt.close(fig)


def print_result(console, result: Result) -> None:
    from rich.table import Table

    from .console import plain

    t = Table(title=plain(f"{result.title}: {result.method} analysis of {result.output}"))
    for col in result.table.columns:
        t.add_column(col, justify="left" if col == "parameter" else "right")
    for _, row in result.table.iterrows():
        t.add_row(*(plain(f"{v:.4g}" if isinstance(v, (float, np.floating)) else str(v)) for v in row))
    console.print(t)
    if result.method == "sobol":
        console.print("S1: share of the output's variance due to the parameter alone; ST: including its interactions. "
                      "_conf: half-width of the 95% bootstrap interval.")
    elif result.method == "morris":
        console.print("mu*: mean absolute effect of moving the parameter one level; sigma: spread of that effect "
                      "(high sigma: non-linear or interacting). _conf: 95% interval on mu*.")
    for note in result.notes:
        console.print(plain(f"note: {note}"))
    console.print(plain(f"wrote {result.plot} and {result.csv}"))

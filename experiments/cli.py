"""CLI commands of the research workflow (`anomie sweep`, `anomie analyze`), loaded by anomie/cli.py on demand."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .console import EXIT_FAILED, EXIT_INTERRUPTED, console, fail, out as stdout, plain, say


def sweep(
    file: Annotated[Path, typer.Argument(help="Sweep file (.toml); see examples/sweeps/ and docs/sweeps.md.")],
    out: Annotated[Path | None, typer.Option("--out", help="Result folder (default: results/<file name>).")] = None,
    workers: Annotated[int | None, typer.Option(min=1, max=4096, help="Local worker processes (default: all cores).")] = None,
    cluster: Annotated[str | None, typer.Option(help="Dask scheduler address, e.g. tcp://host:8786, instead of local workers.")] = None,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Run the runs that failed before again.")] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
) -> None:
    """Run a parameter sweep; run the same command again to resume after an interruption."""
    from anomie.scenarios.schema import InputError

    from .progress import SweepProgress
    from .spec import load_sweep
    from .executors import CodeMismatch, NoWorkers
    from .sweep import FolderLocked, check_output, check_sweep_budget, run_sweep
    from .tables import DamagedPart

    out = out or Path("results") / file.stem
    try:
        if workers is not None and cluster is not None:
            raise InputError("give --workers or --cluster, not both", None, "--cluster")
        spec = load_sweep(file)
        check_sweep_budget(spec, workers, cluster)
        check_output(out, spec)
    except InputError as exc:
        fail(str(exc))

    try:
        with SweepProgress(console, total=spec.n_runs, title=spec.file.title, disable=quiet) as bar:
            report = run_sweep(spec, out, workers=workers, cluster=cluster, retry_failed=retry_failed,
                               progress=bar.update, on_start=bar.start)
    except (InputError, FolderLocked) as exc:  # found only once the folder is locked
        fail(str(exc))
    except (CodeMismatch, NoWorkers, DamagedPart) as exc:
        fail(str(exc), EXIT_FAILED)
    except OSError as exc:
        if cluster is None:
            raise
        fail(f"cannot reach the Dask scheduler at {cluster}: {exc}", EXIT_FAILED)
    if report.failures:
        run, error = report.failures[0]
        say(plain(f"{len(report.failures)} run(s) failed; first: run {run}: {error}"), "warning", "yellow")
        console.print("their errors are in the runs table (status, error); rerun with --retry-failed to try them again")
    if report.interrupted:
        say(f"interrupted after {report.done + report.failed} runs; run the same command again to resume", "warning", "yellow")
        raise typer.Exit(EXIT_INTERRUPTED)
    stdout.print(plain(
        f"{report.skipped} run(s) already done, {report.done} ok and {report.failed} failed now, "
        f"{report.elapsed:.1f} s ({report.rate:.2f} runs/s); tables: {out / 'runs.parquet'}, {out / 'timeseries.parquet'}"
    ))


def analyze(
    folder: Annotated[Path, typer.Argument(help="A sweep's result folder.")],
    method: Annotated[str | None, typer.Option(help="sobol, morris, rbd_fast or grid (default: the one that fits the sweep's design).")] = None,
    output: Annotated[str | None, typer.Option(help="Runs-table column to analyse, e.g. metrics.peak_anomie or peak_share_anomie.")] = None,
    plot: Annotated[Path | None, typer.Option(help="Where to write the chart (.png; default: FOLDER/analysis/); its table goes beside it as .csv.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --plot file and the .csv beside it.")] = False,
) -> None:
    """Sensitivity analysis of a sweep: Sobol indices, Morris screening, or a metric against each parameter."""
    from anomie.scenarios.schema import InputError

    from .analysis import analyze_folder, print_result

    try:
        result = analyze_folder(folder, method=method, output=output, plot=plot, force=force)
    except InputError as exc:
        fail(str(exc))
    print_result(stdout, result)

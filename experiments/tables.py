"""The sweep's result folder: one Parquet file per finished run, and the tables that are their union.

    DIR/sweep.toml                 the sweep file as given
    DIR/sweep.json                 what determines the results (checked on resume)
    DIR/parts/runs/run-000042.parquet        one row: parameters, seed, summaries, status
    DIR/parts/timeseries/run-000042.parquet  one row per week of that run
    DIR/runs.parquet, DIR/timeseries.parquet the unions, rewritten at the end of each sweep

A run counts as finished when both its parts read back (a failed run has no time series):
the time-series part is written first, so a kill between the two leaves a run that is
simply done again, and a part damaged or deleted later sends its run back to be redone.
Every schema is fixed by the sweep, so all parts of a folder share it and read as one table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from .storage import atomic_write, remove_stale_temporaries
from .summaries import column
from .spec import Sweep

RUN_COLUMNS = ("run", "point", "replication", "seed", "status", "error", "duration_s")


def part_name(run: int) -> str:
    return f"run-{run:06d}.parquet"


def runs_dir(out: Path) -> Path:
    return out / "parts" / "runs"


def series_dir(out: Path) -> Path:
    return out / "parts" / "timeseries"


def runs_schema(sweep: Sweep) -> pa.Schema:
    kinds = {int: pa.int64(), float: pa.float64(), str: pa.string()}
    fields = [
        pa.field("run", pa.int64(), nullable=False),
        pa.field("point", pa.int64(), nullable=False),
        pa.field("replication", pa.int64(), nullable=False),
        pa.field("seed", pa.int64(), nullable=False),
        pa.field("status", pa.string(), nullable=False),
        pa.field("error", pa.string()),
        pa.field("duration_s", pa.float64()),
    ]
    fields += [pa.field(v.name, kinds[v.kind]) for v in sweep.varied]
    fields += [pa.field(column(s, m), pa.float64()) for m in sweep.metrics for s in sweep.file.summaries]
    return pa.schema(fields)


def series_schema(sweep: Sweep) -> pa.Schema:
    fields = [pa.field("run", pa.int64(), nullable=False), pa.field("step", pa.int64(), nullable=False)]
    fields += [pa.field(m, pa.float64()) for m in sweep.metrics]
    return pa.schema(fields)


def _write(table: pa.Table, path: Path, durable: bool = True) -> None:
    atomic_write(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"), durable=durable)


def write_run(out: Path, sweep: Sweep, result: dict[str, Any], values: dict[str, Any]) -> None:
    """Write one finished run: its time series first, then its row (the mark that it is done)."""
    row = result["row"]
    name = part_name(row["run"])
    series = result["series"]
    if series is not None:
        n = len(series["step"])
        cols = {"run": np.full(n, row["run"], dtype=np.int64), **series}
        _write(pa.Table.from_pydict(cols, schema=series_schema(sweep)), series_dir(out) / name, durable=False)
    else:
        # a failed run has no time series; remove one a previous attempt may have left
        (series_dir(out) / name).unlink(missing_ok=True)
    schema = runs_schema(sweep)
    full = {**row, **values}
    _write(pa.Table.from_pylist([{f.name: full.get(f.name) for f in schema}], schema=schema), runs_dir(out) / name, durable=False)


class DamagedPart(ValueError):
    """A part file that does not read back as a part of this sweep; the message names it."""


def _read_dir(folder: Path, schema: pa.Schema, columns: list[str] | None = None) -> pa.Table:
    files = sorted(str(p) for p in folder.glob("run-*.parquet"))
    if not files:
        return schema.empty_table() if columns is None else schema.empty_table().select(columns)
    try:
        table = ds.dataset(files, format="parquet", schema=schema).to_table(columns=columns)
    except (OSError, ValueError, pa.ArrowException):
        raise DamagedPart(_first_damaged(files, schema)) from None
    return table.sort_by("run") if "step" not in table.column_names else table.sort_by([("run", "ascending"), ("step", "ascending")])


def _part_problem(path: Path, schema: pa.Schema, rows: int | None = None) -> str | None:
    """Why `path` is not a readable part with `schema` (and `rows` rows, if given), or None."""
    try:
        if not pq.read_schema(path).equals(schema, check_metadata=False):
            return "has another table layout"
        n = pq.read_metadata(path).num_rows
        pq.read_table(path)  # the data pages, not only the footer: a truncated file fails here
    except (OSError, ValueError, pa.ArrowException) as exc:
        return f"cannot be read ({str(exc).splitlines()[0][:120]})"
    if rows is not None and n != rows:
        return f"has {n} rows, not {rows}"
    if n == 0:
        return "is empty"
    return None


def _first_damaged(files: list[str], schema: pa.Schema) -> str:
    for f in files:
        problem = _part_problem(Path(f), schema)
        if problem is not None:
            return f"part {f} {problem}"
    return "the parts do not read as one table"


def finished_runs(out: Path, sweep: Sweep) -> dict[int, str]:
    """Run index -> status of every run whose parts both read back.

    Parts are renamed into place whole, so a killed sweep leaves none half-written; but
    they are not fsynced (a power cut may empty one), and a file can be damaged or deleted
    afterwards. A run with a missing or unreadable part is forgotten here, both parts
    deleted, so that it is done again.
    """
    runs_s, series_s = runs_schema(sweep), series_schema(sweep)
    status: dict[int, str] = {}
    for path in sorted(runs_dir(out).glob("run-*.parquet")):
        series = series_dir(out) / path.name
        problem = _part_problem(path, runs_s, rows=1)
        if problem is None:
            t = pq.read_table(path, columns=["run", "status"])
            run, state = t.column("run")[0].as_py(), t.column("status")[0].as_py()
            if path.name != part_name(run):
                problem = "belongs to another run"
            elif state == "ok":
                problem = _part_problem(series, series_s) if series.exists() else "has no time series"
        if problem is not None:
            path.unlink(missing_ok=True)
            series.unlink(missing_ok=True)
            continue
        status[run] = state
    return status


def read_runs(out: Path, sweep: Sweep) -> pd.DataFrame:
    return _read_dir(runs_dir(out), runs_schema(sweep)).to_pandas()


def read_series(out: Path, sweep: Sweep) -> pd.DataFrame:
    return _read_dir(series_dir(out), series_schema(sweep)).to_pandas()


def consolidate(out: Path, sweep: Sweep) -> tuple[Path, Path]:
    """Rewrite DIR/runs.parquet and DIR/timeseries.parquet as the union of the parts, in run order."""
    runs = _read_dir(runs_dir(out), runs_schema(sweep))
    series = _read_dir(series_dir(out), series_schema(sweep))
    _write(runs, out / "runs.parquet")
    _write(series, out / "timeseries.parquet")
    return out / "runs.parquet", out / "timeseries.parquet"


def remove_leftovers(out: Path) -> int:
    """Delete the temporary files that this process or a process that has ended left behind.

    Another live process's temporaries are never touched (the sweep's lock keeps a second
    sweep out, but not, say, an `analyze` writing its chart beside the tables).
    """
    return sum(remove_stale_temporaries(folder) for folder in (runs_dir(out), series_dir(out), out) if folder.is_dir())
